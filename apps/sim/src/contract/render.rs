//! Renders a handler's [`ApiError`] in the status, schema and media type its operation declares.
//!
//! Where the spec is silent the rules are (docs/simulator.md has the table): a status the
//! operation does not declare becomes the operation's declared 400, whose message names what
//! was wrong (the unknown id of a 404, the existing record of a 409); 409 keeps its `Location`
//! only where 409 is declared. With no declared 400 either, the status stays as it is.

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::spec::Operation;
use crate::problem::ApiError;

/// The status `status` is answered with on `op`.
pub(crate) fn declared_status(op: &Operation, status: u16) -> u16 {
    if op.declares(status) || !(400..500).contains(&status) {
        return status;
    }
    if op.declares(400) {
        400
    } else {
        status
    }
}

/// A PascalCase code for `status`, e.g. `NotFound`: the `code` of an `ErrorsResponse` entry
/// that names no field.
fn code(status: StatusCode) -> String {
    status
        .canonical_reason()
        .unwrap_or("Error")
        .split([' ', '-'])
        .collect()
}

/// The `ErrorsResponse` body: one entry per field error, or one for the whole error.
pub(crate) fn errors_response(error: &ApiError) -> Value {
    let errors: Vec<Value> = if error.errors.is_empty() {
        vec![json!({ "code": code(error.status), "message": error.detail })]
    } else {
        error
            .errors
            .iter()
            .flat_map(|(field, messages)| {
                messages
                    .iter()
                    .map(move |m| json!({ "code": field, "message": m }))
            })
            .collect()
    };
    json!({ "errors": errors })
}

/// The answer to `error` on `op`.
pub(crate) fn render(op: &Operation, error: &ApiError) -> Response {
    let status = declared_status(op, error.status.as_u16());
    let mut error = error.clone();
    if status != error.status.as_u16() {
        if let Ok(code) = StatusCode::from_u16(status) {
            error.title = code.canonical_reason().unwrap_or("Error").to_string();
            error.status = code;
        }
    }
    let Some(declared) = op.responses.get(&status) else {
        // Undeclared even after mapping: keep the ProblemDetails rendering (strict mode
        // reports it unless an exemption covers it).
        return error.into_response();
    };
    let mut response = match declared.preferred() {
        None => error.status.into_response(),
        Some((media, _)) => {
            let name = declared.schema_name().unwrap_or_default();
            let body = if name.ends_with("ErrorsResponse") {
                errors_response(&error)
            } else if name.ends_with("ProblemDetails") || name.is_empty() {
                serde_json::to_value(error.problem()).unwrap_or_default()
            } else {
                // A non-error schema declared for an error status: an empty object of it.
                json!({})
            };
            let mut r = Response::new(Body::from(body.to_string()));
            *r.status_mut() = error.status;
            if let Ok(v) = HeaderValue::from_str(media) {
                r.headers_mut().insert(header::CONTENT_TYPE, v);
            }
            r
        }
    };
    let headers = response.headers_mut();
    if status == 409 {
        if let Some(v) = error
            .location
            .as_deref()
            .and_then(|l| HeaderValue::from_str(l).ok())
        {
            headers.insert(header::LOCATION, v);
        }
    }
    if let Some(secs) = error.retry_after {
        headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    response
}

#[cfg(test)]
mod tests {
    use axum::http::Method;

    use super::*;
    use crate::contract::spec::Spec;

    fn op(method: Method, path: &str) -> &'static Operation {
        Spec::get()
            .operation(&method, path)
            .expect("a spec operation")
    }

    #[test]
    fn an_undeclared_404_becomes_the_declared_400() {
        let owner = op(Method::POST, "/inventory/{inventoryId}/owner");
        if owner.declares(404) {
            return;
        }
        assert_eq!(declared_status(owner, 404), 400);
    }

    #[test]
    fn errors_response_names_each_field() {
        let e = ApiError::field("people", "At least one person is required.");
        let body = errors_response(&e);
        assert_eq!(body["errors"][0]["code"], "people");
        let whole = errors_response(&ApiError::not_found("Contact", 7));
        assert_eq!(whole["errors"][0]["code"], "NotFound");
    }

    #[test]
    fn a_declared_409_keeps_its_location() {
        let create = op(Method::POST, "/contacts");
        let e = ApiError::conflict("exists", "/contacts/7".into());
        let r = render(create, &e);
        assert_eq!(r.status(), 409);
        assert_eq!(r.headers()[header::LOCATION], "/contacts/7");
    }
}
