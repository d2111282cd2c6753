//! Query strings as Alto's ASP.NET back end reads them: repeated keys or comma lists for
//! arrays, case-sensitive names (so a client using the wrong casing is not silently served).

use axum::extract::RawQuery;
use chrono::{DateTime, Utc};

use crate::problem::ApiError;

/// Parsed query parameters, in order.
#[derive(Debug, Default, Clone)]
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    pub fn parse(raw: &RawQuery) -> Result<Self, ApiError> {
        match raw.0.as_deref() {
            None | Some("") => Ok(Self::default()),
            Some(q) => serde_urlencoded::from_str(q)
                .map(Self)
                .map_err(|e| ApiError::bad_request(format!("the query string is malformed: {e}"))),
        }
    }

    /// The first value of `name`, if present and not empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }

    /// All values of `name`, repeated or comma-separated.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .collect()
    }

    pub fn int(&self, name: &str) -> Result<Option<i64>, ApiError> {
        self.get(name)
            .map(|v| {
                v.parse()
                    .map_err(|_| ApiError::field(name, format!("The value '{v}' is not valid.")))
            })
            .transpose()
    }

    pub fn ints(&self, name: &str) -> Result<Vec<i64>, ApiError> {
        self.all(name)
            .into_iter()
            .map(|v| {
                v.parse()
                    .map_err(|_| ApiError::field(name, format!("The value '{v}' is not valid.")))
            })
            .collect()
    }

    pub fn date_time(&self, name: &str) -> Result<Option<DateTime<Utc>>, ApiError> {
        self.get(name).map(|v| parse_date_time(name, v)).transpose()
    }
}

/// RFC 3339 date-time, or a bare date / date-time without offset (read as UTC), as .NET accepts.
pub(crate) fn parse_date_time(field: &str, v: &str) -> Result<DateTime<Utc>, ApiError> {
    if let Ok(t) = DateTime::parse_from_rfc3339(v) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(t) = chrono::NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M:%S%.f") {
        return Ok(t.and_utc());
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        return Ok(d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc());
    }
    Err(ApiError::field(
        field,
        format!("The value '{v}' is not a valid date-time."),
    ))
}
