//! Strict mode: every answer of an operation is checked against what the operation declares
//! (status, media type, body schema). A departure is logged, recorded and answered as a 500
//! saying "simulator strict mode: ...", so the test that caused it fails.

use std::fmt;

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use http_body_util::BodyExt as _;

use super::schema::{problems, Side};
use super::spec::Operation;
use crate::state::AppState;

/// An answer of the simulator that departed from the spec (recorded in strict mode).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractViolation {
    /// The operation as `METHOD /path` of the spec, e.g. `GET /contacts/{contactId}`.
    pub operation: String,
    /// The status the handler answered.
    pub status: u16,
    /// What was wrong, one line each.
    pub problems: Vec<String>,
}

impl fmt::Display for ContractViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} answered {}: {}",
            self.operation,
            self.status,
            self.problems.join("; ")
        )
    }
}

/// Where an exemption applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExemptScope {
    /// Answers of the gateway in front of every operation: the token and `AgencyRef` guard and
    /// injected faults. They never reach the per-operation layer.
    Gateway,
    /// The router's answers for paths and methods that are not operations.
    Fallback,
    /// A request the contract layer refused on an operation that declares no 400.
    RefusedWithoutDeclared400,
    /// One operation, for statuses it does not declare.
    Operation(&'static str),
    /// A download whose success the spec declares without content: the answer is the file,
    /// with the file's own `Content-Type`.
    FileContent(&'static str),
}

/// One documented departure from "every answer is declared by its operation".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exemption {
    /// Where it applies.
    pub scope: ExemptScope,
    /// The statuses it covers.
    pub statuses: &'static [u16],
    /// The answer given, for the docs.
    pub answer: &'static str,
}

/// Every answer strict mode does not check.
pub const EXEMPTIONS: &[Exemption] = &[
    Exemption {
        scope: ExemptScope::Gateway,
        statuses: &[401, 403],
        answer: "token or AgencyRef refused: ProblemDetails, application/problem+json",
    },
    Exemption {
        scope: ExemptScope::Gateway,
        statuses: &[400],
        answer: "AgencyRef sent to the sandbox: ProblemDetails, application/problem+json",
    },
    Exemption {
        scope: ExemptScope::Gateway,
        statuses: &[429, 500, 502, 503, 504],
        answer: "injected fault: ProblemDetails, application/problem+json, x-alto-sim-fault: injected, Retry-After when configured (connection resets and latency have no body)",
    },
    Exemption {
        scope: ExemptScope::Fallback,
        statuses: &[404, 405],
        answer: "no such path or method: ProblemDetails, application/problem+json",
    },
    Exemption {
        scope: ExemptScope::RefusedWithoutDeclared400,
        statuses: &[400],
        answer: "invalid request on an operation that declares no 400: ProblemDetails, application/json",
    },
    Exemption {
        scope: ExemptScope::Operation("PATCH /voidswitching/referrals/{referralId}"),
        statuses: &[400, 404],
        answer: "declares only 200: an unknown referral or an invalid body is answered 404 or 400, ProblemDetails, application/json",
    },
    Exemption {
        scope: ExemptScope::FileContent("GET /documents/{documentId}/content"),
        statuses: &[200],
        answer: "the document's bytes with its own Content-Type (the spec declares 200 without content)",
    },
    Exemption {
        scope: ExemptScope::FileContent("GET /listing/property/{propertyId}/images/{imageId}"),
        statuses: &[200],
        answer: "the image's bytes with its own Content-Type (the spec declares 200 without content)",
    },
];

/// Marks a response as a refusal by the contract layer's request validation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Refused;

/// Whether an exemption covers `status` on `op`.
pub(crate) fn exempt(op: &Operation, status: u16, refused: bool) -> bool {
    EXEMPTIONS.iter().any(|e| {
        e.statuses.contains(&status)
            && match e.scope {
                ExemptScope::Operation(key) => key == op.key,
                ExemptScope::RefusedWithoutDeclared400 => refused && !op.declares(400),
                ExemptScope::Gateway | ExemptScope::Fallback | ExemptScope::FileContent(_) => false,
            }
    })
}

/// Whether `op` answers `status` with a file although the spec declares no content.
pub(crate) fn file_content(op: &Operation, status: u16) -> bool {
    EXEMPTIONS.iter().any(|e| {
        e.statuses.contains(&status)
            && matches!(e.scope, ExemptScope::FileContent(key) if key == op.key)
    })
}

fn media_of(response: &Response) -> Option<String> {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
}

/// What is wrong with an answer of `op`; empty when it is as declared (or exempt).
pub(crate) fn check(
    op: &Operation,
    status: u16,
    media: Option<&str>,
    body: &[u8],
    refused: bool,
) -> Vec<String> {
    let Some(declared) = op.responses.get(&status) else {
        if exempt(op, status, refused) {
            return Vec::new();
        }
        let known: Vec<String> = op.responses.keys().map(u16::to_string).collect();
        return vec![format!(
            "status {status} is not declared (declared: {})",
            known.join(", ")
        )];
    };
    if declared.media.is_empty() {
        return if body.is_empty() || file_content(op, status) {
            Vec::new()
        } else {
            vec![format!(
                "{status} declares no body, but {} bytes were sent",
                body.len()
            )]
        };
    }
    if body.is_empty() {
        return if status == 204 {
            Vec::new()
        } else {
            vec![format!(
                "{status} declares a body ({}), but none was sent",
                declared.media[0].0
            )]
        };
    }
    let Some(media) = media else {
        return vec!["the answer has a body but no Content-Type".into()];
    };
    if !declared
        .media
        .iter()
        .any(|(m, _)| m.eq_ignore_ascii_case(media))
    {
        let known: Vec<&str> = declared.media.iter().map(|(m, _)| m.as_str()).collect();
        return vec![format!(
            "Content-Type {media} is not declared (declared: {})",
            known.join(", ")
        )];
    }
    let Some(schema) = declared.schema_for(media) else {
        return Vec::new();
    };
    if !media.contains("json") || schema.get("format").and_then(|f| f.as_str()) == Some("binary") {
        return Vec::new();
    }
    match serde_json::from_slice(body) {
        Ok(value) => problems(schema, &value, Side::Response),
        Err(e) => vec![format!("the body is not JSON: {e}")],
    }
}

/// Checks `response` of `op`; a departure is logged, recorded and replaced by a 500.
pub(crate) async fn enforce(state: &AppState, op: &Operation, response: Response) -> Response {
    let refused = response.extensions().get::<Refused>().is_some();
    let media = media_of(&response);
    let (parts, body) = response.into_parts();
    let bytes: Bytes = body
        .collect()
        .await
        .map(|c| c.to_bytes())
        .unwrap_or_default();
    let status = parts.status.as_u16();
    let found = check(op, status, media.as_deref(), &bytes, refused);
    if found.is_empty() {
        return Response::from_parts(parts, Body::from(bytes));
    }
    let violation = ContractViolation {
        operation: op.key.clone(),
        status,
        problems: found,
    };
    tracing::error!(%violation, body = %String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]), "simulator strict mode: an answer departs from the spec");
    let text = format!("simulator strict mode: {violation}");
    state
        .violations
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(violation);
    let mut r = Response::new(Body::from(text));
    *r.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
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
    fn the_exemptions_are_the_documented_ones() {
        let scopes: Vec<ExemptScope> = EXEMPTIONS.iter().map(|e| e.scope).collect();
        assert_eq!(
            scopes,
            [
                ExemptScope::Gateway,
                ExemptScope::Gateway,
                ExemptScope::Gateway,
                ExemptScope::Fallback,
                ExemptScope::RefusedWithoutDeclared400,
                ExemptScope::Operation("PATCH /voidswitching/referrals/{referralId}"),
                ExemptScope::FileContent("GET /documents/{documentId}/content"),
                ExemptScope::FileContent("GET /listing/property/{propertyId}/images/{imageId}"),
            ]
        );
        for e in EXEMPTIONS {
            if let ExemptScope::FileContent(key) | ExemptScope::Operation(key) = e.scope {
                let (method, path) = key.split_once(' ').expect("METHOD /path");
                let op = op(method.parse().expect("a method"), path);
                assert!(e
                    .statuses
                    .iter()
                    .all(|s| op.responses.get(s).is_none_or(|d| d.media.is_empty())));
            }
        }
        let download = op(Method::GET, "/documents/{documentId}/content");
        assert!(check(download, 200, Some("application/pdf"), b"%PDF", false).is_empty());
        let owner = op(Method::POST, "/inventory/{inventoryId}/owner");
        assert!(!check(owner, 201, Some("application/json"), b"{}", false).is_empty());
        // The one operation exemption names a spec operation that declares no error.
        let void = op(Method::PATCH, "/voidswitching/referrals/{referralId}");
        assert!(void.responses.keys().all(|s| *s < 400));
        assert!(exempt(void, 404, false));
        assert!(!exempt(
            op(Method::GET, "/contacts/{contactId}"),
            418,
            false
        ));
    }

    #[test]
    fn undeclared_status_media_type_and_body_are_reported() {
        let get = op(Method::GET, "/branches");
        assert!(check(get, 418, None, b"", false)[0].contains("not declared"));
        let wrong_type = check(get, 200, Some("text/html"), b"{}", false);
        assert!(wrong_type[0].contains("Content-Type"), "{wrong_type:?}");
        let wrong_body = check(
            get,
            200,
            Some("application/json"),
            br#"{"items": 3}"#,
            false,
        );
        assert!(!wrong_body.is_empty());
    }

    #[test]
    fn a_valid_error_answer_passes() {
        let create = op(Method::POST, "/contacts");
        let declared = &create.responses[&400];
        let (media, _) = declared.preferred().expect("400 has a body");
        let body = if declared
            .schema_name()
            .unwrap_or_default()
            .ends_with("ErrorsResponse")
        {
            r#"{"errors":[{"code":"people","message":"required"}]}"#
        } else {
            r#"{"title":"Bad Request","status":400}"#
        };
        assert!(check(create, 400, Some(media), body.as_bytes(), false).is_empty());
    }
}
