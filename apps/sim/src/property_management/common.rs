//! What the property-management handlers share: reading ids from paths, JSON Patch documents,
//! enum query parameters, date ranges and the page-size limits these operations declare.

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

use crate::params::{parse_date_time, Params};
use crate::problem::{json_body, ApiError};

/// A path id that must be an integer: anything else is the operation's 400 naming the parameter.
pub(crate) fn path_id(name: &str, raw: &str) -> Result<i64, ApiError> {
    raw.trim()
        .parse::<i32>()
        .map(i64::from)
        .map_err(|_| ApiError::field(name, format!("The value '{raw}' is not valid.")))
}

/// 404 for a record that does not exist.
pub(crate) fn missing(what: &str, id: impl std::fmt::Display) -> ApiError {
    ApiError::not_found(what, id)
}

/// 400 naming a record that does not exist, for operations that declare no 404.
pub(crate) fn unknown(field: &str, what: &str, id: impl std::fmt::Display) -> ApiError {
    ApiError::field(
        field,
        format!("{what} {id} does not exist for this agency."),
    )
}

/// One operation of an RFC 6902 JSON Patch document.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct PatchOp {
    pub op: String,
    pub path: String,
    #[serde(default)]
    pub value: Option<Value>,
}

impl PatchOp {
    /// The path's one segment, lower-cased, without the leading `/` (Alto's patch paths are
    /// matched without regard to case).
    pub fn field(&self) -> String {
        self.path.trim_start_matches('/').to_ascii_lowercase()
    }

    /// The value, required for everything but `remove`.
    pub fn value(&self) -> Result<&Value, ApiError> {
        self.value
            .as_ref()
            .ok_or_else(|| ApiError::field(&self.path, "A value is required."))
    }

    /// The value as a string.
    pub fn string(&self) -> Result<String, ApiError> {
        match self.value()? {
            Value::String(s) => Ok(s.clone()),
            other => Err(ApiError::field(
                &self.path,
                format!("Expected a string, got {other}."),
            )),
        }
    }

    /// The value as a number.
    pub fn number(&self) -> Result<f64, ApiError> {
        let v = self.value()?;
        v.as_f64()
            .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
            .ok_or_else(|| ApiError::field(&self.path, format!("Expected a number, got {v}.")))
    }

    /// The value as a date-time.
    pub fn date_time(&self) -> Result<DateTime<Utc>, ApiError> {
        parse_date_time(&self.path, &self.string()?)
    }

    /// The value as a generated enum.
    pub fn enumerated<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        serde_json::from_value(self.value()?.clone()).map_err(|_| {
            ApiError::field(
                &self.path,
                format!(
                    "The value {} is not allowed here.",
                    self.value.as_ref().unwrap_or(&Value::Null)
                ),
            )
        })
    }

    /// 400 for an operation this document may not use on this path.
    pub fn unsupported(&self) -> ApiError {
        ApiError::field(
            &self.path,
            format!("'{}' of '{}' is not supported.", self.op, self.path),
        )
    }
}

/// Reads a JSON Patch document: a non-empty array of operations, each of the allowed `ops`.
pub(crate) fn patch_document(body: &bytes::Bytes, ops: &[&str]) -> Result<Vec<PatchOp>, ApiError> {
    let document: Vec<PatchOp> = json_body(body)?;
    if document.is_empty() {
        return Err(ApiError::field(
            "$",
            "The patch document has no operations.",
        ));
    }
    for op in &document {
        if !ops.contains(&op.op.as_str()) {
            return Err(ApiError::field(
                "op",
                format!(
                    "The operation '{}' is not allowed; use {}.",
                    op.op,
                    ops.join(" or ")
                ),
            ));
        }
    }
    Ok(document)
}

/// An enum query parameter read into its generated type; an unknown value is a 400.
pub(crate) fn enum_param<T: DeserializeOwned>(
    params: &Params,
    name: &str,
) -> Result<Option<T>, ApiError> {
    params
        .get(name)
        .map(|v| {
            serde_json::from_value(Value::String(v.to_string()))
                .map_err(|_| ApiError::field(name, format!("The value '{v}' is not valid.")))
        })
        .transpose()
}

/// A boolean query parameter.
pub(crate) fn bool_param(params: &Params, name: &str) -> Result<Option<bool>, ApiError> {
    params
        .get(name)
        .map(|v| match v.to_ascii_lowercase().as_str() {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(ApiError::field(
                name,
                format!("The value '{v}' is not valid."),
            )),
        })
        .transpose()
}

/// A `from`/`to` pair of date-time parameters; `from` after `to` is a 400.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Range {
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
}

impl Range {
    pub fn read(params: &Params, from: &str, to: &str) -> Result<Self, ApiError> {
        let range = Self {
            from: params.date_time(from)?,
            to: params.date_time(to)?,
        };
        if let (Some(f), Some(t)) = (range.from, range.to) {
            if f > t {
                return Err(ApiError::field(to, format!("{to} is before {from}.")));
            }
        }
        Ok(range)
    }

    /// Whether `at` is inside (an absent date is inside only an open range).
    pub fn contains(&self, at: Option<DateTime<Utc>>) -> bool {
        match at {
            Some(at) => self.from.is_none_or(|f| at >= f) && self.to.is_none_or(|t| at <= t),
            None => self.from.is_none() && self.to.is_none(),
        }
    }
}

/// Refuses a page size outside `1..=max`, the bounds the operation declares.
pub(crate) fn check_page_size(params: &Params, name: &str, max: i64) -> Result<(), ApiError> {
    match params.int(name)? {
        Some(n) if !(1..=max).contains(&n) => Err(ApiError::field(
            name,
            format!("{name} must be between 1 and {max}."),
        )),
        _ => Ok(()),
    }
}

/// 201 with `Location` and a JSON body.
pub(crate) fn created<T: serde::Serialize>(location: String, body: &T) -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut r = (StatusCode::CREATED, axum::Json(body)).into_response();
    if let Ok(v) = location.parse() {
        r.headers_mut().insert(axum::http::header::LOCATION, v);
    }
    r
}
