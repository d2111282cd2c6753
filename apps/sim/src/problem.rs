//! Handlers' errors: a status, a message and field errors. Rendered as RFC 7807 ProblemDetails
//! here; the contract layer (`crate::contract`) re-renders each in the shape and media type the
//! operation declares, reading the error from the response's extensions.

use std::collections::BTreeMap;

use alto::raw::types;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::de::DeserializeOwned;

/// An error answer: status, ProblemDetails fields, and the `Location` of an existing record
/// for 409s.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub title: String,
    pub detail: String,
    pub errors: BTreeMap<String, Vec<String>>,
    pub location: Option<String>,
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, title: &str, detail: impl Into<String>) -> Self {
        Self {
            status,
            title: title.to_string(),
            detail: detail.into(),
            errors: BTreeMap::new(),
            location: None,
            retry_after: None,
        }
    }

    /// 400 with one field error.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::new(
            StatusCode::BAD_REQUEST,
            "One or more validation errors occurred.",
            message.clone(),
        )
        .with_error(field, message)
    }

    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "Bad Request", detail)
    }

    pub fn not_found(what: &str, id: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "Not Found",
            format!("{what} {id} does not exist for this agency"),
        )
    }

    pub fn conflict(detail: impl Into<String>, location: String) -> Self {
        let mut e = Self::new(StatusCode::CONFLICT, "Conflict", detail);
        e.location = Some(location);
        e
    }

    pub fn with_error(mut self, field: &str, message: impl Into<String>) -> Self {
        self.errors
            .entry(field.to_string())
            .or_default()
            .push(message.into());
        self
    }

    fn type_uri(&self) -> &'static str {
        match self.status.as_u16() {
            400 => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
            401 => "https://tools.ietf.org/html/rfc9110#section-15.5.2",
            403 => "https://tools.ietf.org/html/rfc9110#section-15.5.4",
            404 => "https://tools.ietf.org/html/rfc9110#section-15.5.5",
            405 => "https://tools.ietf.org/html/rfc9110#section-15.5.6",
            409 => "https://tools.ietf.org/html/rfc9110#section-15.5.10",
            429 => "https://tools.ietf.org/html/rfc6585#section-4",
            503 => "https://tools.ietf.org/html/rfc9110#section-15.6.4",
            _ => "https://tools.ietf.org/html/rfc9110#section-15.6.1",
        }
    }

    /// The body as the generated type.
    pub fn problem(&self) -> types::ProblemDetails {
        let mut extra = serde_json::Map::new();
        if !self.errors.is_empty() {
            extra.insert(
                "errors".into(),
                serde_json::to_value(&self.errors).unwrap_or_default(),
            );
        }
        types::ProblemDetails {
            type_: Some(self.type_uri().into()),
            title: Some(self.title.clone()),
            status: Some(i32::from(self.status.as_u16())),
            detail: Some(self.detail.clone()),
            instance: None,
            extra,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        let error = self.clone();
        let mut response = (self.status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(v) = self
            .location
            .as_deref()
            .and_then(|l| HeaderValue::from_str(l).ok())
        {
            headers.insert(header::LOCATION, v);
        }
        if let Some(secs) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response.extensions_mut().insert(error);
        response
    }
}

/// Collects field errors, then fails with all of them at once (as ASP.NET model validation does).
#[derive(Debug, Default)]
pub(crate) struct Validation {
    errors: BTreeMap<String, Vec<String>>,
}

impl Validation {
    pub fn check(&mut self, ok: bool, field: &str, message: impl FnOnce() -> String) {
        if !ok {
            self.errors
                .entry(field.to_string())
                .or_default()
                .push(message());
        }
    }

    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            return Ok(());
        }
        let detail = self
            .errors
            .iter()
            .flat_map(|(f, ms)| ms.iter().map(move |m| format!("{f}: {m}")))
            .collect::<Vec<_>>()
            .join("; ");
        let mut e = ApiError::new(
            StatusCode::BAD_REQUEST,
            "One or more validation errors occurred.",
            detail,
        );
        e.errors = self.errors;
        Err(e)
    }
}

/// Deserializes a JSON body into a generated request type; mistakes answer 400 naming the field.
pub(crate) fn json_body<T: DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    if body.is_empty() {
        return Err(ApiError::field(
            "$",
            "A non-empty request body is required.",
        ));
    }
    serde_json::from_slice(body)
        .map_err(|e| ApiError::field("$", format!("The JSON body does not match the schema: {e}")))
}

/// Converts between generated types that share a wire shape (request and response enums).
pub(crate) fn recast<A: serde::Serialize, B: DeserializeOwned>(value: &A) -> Option<B> {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| serde_json::from_value(v).ok())
}
