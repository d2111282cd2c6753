//! One request of the every-operation run and what it must answer.
//!
//! Cases run in order against one simulator, so a case can read what an earlier one wrote.
//! `{name}` in a path or a JSON body is replaced by the id an earlier case saved under `name`.

use reqwest::Method;
use serde_json::Value;

/// What a case sends as its body.
#[derive(Debug, Clone)]
// A branch may hold only some families' cases, which use only some of these.
#[allow(dead_code)]
pub enum Body {
    /// No body.
    None,
    /// `application/json`.
    Json(Value),
    /// `application/json-patch+json` (an array of RFC 6902 operations).
    JsonPatch(Value),
    /// `multipart/form-data`: text fields, and files as `(field, file name, content type, bytes)`.
    Multipart {
        /// Text fields.
        fields: Vec<(&'static str, String)>,
        /// File parts.
        files: Vec<(&'static str, &'static str, &'static str, Vec<u8>)>,
    },
    /// `application/x-www-form-urlencoded`.
    Form(Vec<(&'static str, String)>),
}

/// One request and the status it must answer.
#[derive(Debug, Clone)]
pub struct Case {
    /// HTTP method.
    pub method: Method,
    /// Path and query, e.g. `/leads/{lead}?x=1`; `{name}` takes a saved id.
    pub path: String,
    /// Request body.
    pub body: Body,
    /// The status the simulator must answer (one the operation declares).
    pub status: u16,
    /// Save the answer's id under this name: the body's `id` field (or its only `…Id` field), a
    /// bare integer or string body, or the last segment of `Location`.
    pub save: Option<&'static str>,
}

impl Case {
    /// A case with no body.
    pub fn new(method: Method, path: impl Into<String>, status: u16) -> Self {
        Self {
            method,
            path: path.into(),
            body: Body::None,
            status,
            save: None,
        }
    }

    /// `GET path` answering `status`.
    pub fn get(path: impl Into<String>, status: u16) -> Self {
        Self::new(Method::GET, path, status)
    }

    /// `DELETE path` answering `status`.
    pub fn delete(path: impl Into<String>, status: u16) -> Self {
        Self::new(Method::DELETE, path, status)
    }

    /// `POST path` with a JSON body.
    pub fn post(path: impl Into<String>, body: Value, status: u16) -> Self {
        Self::new(Method::POST, path, status).body(Body::Json(body))
    }

    /// `PATCH path` with a JSON body (for operations that take `application/json`).
    pub fn patch(path: impl Into<String>, body: Value, status: u16) -> Self {
        Self::new(Method::PATCH, path, status).body(Body::Json(body))
    }

    /// `PATCH path` with a JSON Patch document.
    pub fn json_patch(path: impl Into<String>, ops: Value, status: u16) -> Self {
        Self::new(Method::PATCH, path, status).body(Body::JsonPatch(ops))
    }

    /// Replaces the body.
    pub fn body(mut self, body: Body) -> Self {
        self.body = body;
        self
    }

    /// Saves the answer's id under `name`.
    pub fn save(mut self, name: &'static str) -> Self {
        self.save = Some(name);
        self
    }
}
