//! Typed errors: what went wrong, in Alto's terms, and what to do about it.

use std::time::Duration;

use crate::auth::TokenError;
use crate::environment::Environment;

/// Bound on the error bodies [`crate::AgencyClient::send`] accepts (the raw client's
/// `ByteStream` or `()`).
pub use crate::call::ErrorBody;

/// Everything a facade call can fail with. `Display` says what to do.
///
/// Problem details are boxed so that `Result<_, AltoError>` stays small on the happy path.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AltoError {
    /// The client or agency is not set up right; raised before any network call.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// No access token could be obtained.
    #[error(transparent)]
    Token(#[from] TokenError),
    /// 401: the token was refused even after one refresh.
    #[error("Alto refused the access token for {operation} (HTTP 401) even after a refresh: check that the credentials belong to this environment")]
    Unauthorized {
        /// Operation id.
        operation: String,
    },
    /// 403: wrong `AgencyRef`, or the integration lacks the scope.
    #[error("Alto refused {operation} (HTTP 403) {why}")]
    Forbidden {
        /// Operation id.
        operation: String,
        /// Environment of the call.
        environment: Environment,
        /// The `AgencyRef` sent, if any.
        agency_ref: Option<String>,
        /// Scopes the operation needs, from the spec.
        required_scopes: Vec<String>,
        /// Human explanation built from the above.
        why: String,
        /// Problem details from the body, if any.
        problem: Option<Box<Problem>>,
    },
    /// 404: no such resource (for this agency).
    #[error("{operation}: not found in Alto (HTTP 404){detail}", detail = problem_suffix(.problem.as_deref()))]
    NotFound {
        /// Operation id.
        operation: String,
        /// Problem details from the body, if any.
        problem: Option<Box<Problem>>,
    },
    /// 400 or 422: Alto rejected the input; the problem names the fields.
    #[error("Alto rejected the input to {operation} (HTTP {status}){detail}; fix the fields named and send again", detail = problem_suffix(Some(.problem.as_ref())))]
    Validation {
        /// Operation id.
        operation: String,
        /// 400 or 422.
        status: u16,
        /// What Alto said.
        problem: Box<Problem>,
    },
    /// 409: the resource exists already; `existing` lists it (from the `Location` headers).
    #[error("{operation}: Alto already has this record (HTTP 409){ids}; use the existing one instead of creating it again", ids = existing_suffix(.existing))]
    Duplicate {
        /// Operation id.
        operation: String,
        /// The existing resources, one per `Location` header.
        existing: Vec<ExistingResource>,
        /// Problem details from the body, if any.
        problem: Option<Box<Problem>>,
    },
    /// 429 after the retry budget was spent.
    #[error("Alto is rate limiting {operation} (HTTP 429){after}; slow down and try again", after = .retry_after.map(|d| format!(", retry after {} s", d.as_secs())).unwrap_or_default())]
    RateLimited {
        /// Operation id.
        operation: String,
        /// The server's `Retry-After`, if given.
        retry_after: Option<Duration>,
    },
    /// 5xx after the retry budget was spent (or on a call that is not safe to retry).
    #[error("Alto failed on {operation} (HTTP {status}){detail}; try again later{hint}", detail = problem_suffix(.problem.as_deref()), hint = if *.retried { "" } else { " (not retried automatically: the request may have been applied; check before sending it again)" })]
    Server {
        /// Operation id.
        operation: String,
        /// HTTP status.
        status: u16,
        /// Problem details from the body, if any.
        problem: Option<Box<Problem>>,
        /// Whether the operation allows automatic retries (GET, HEAD, PUT, DELETE, and the
        /// absolute-value writes of [`crate::raw::retry::IDEMPOTENT_WRITES`]), so the retry
        /// policy's attempts were spent; false for other POSTs and PATCHes, never resent blindly.
        retried: bool,
    },
    /// 3xx: Alto (or something in front of it) answered with a redirect. Never followed: the
    /// request carries the agency's `AgencyRef` and token, which must not go to another host.
    #[error("{operation}: Alto answered with a redirect (HTTP {status}{to}), which is not followed; check the API URL (it should be Alto's own host, not one that redirects)", to = .location.as_deref().map(|l| format!(" to {l}")).unwrap_or_default())]
    Redirected {
        /// Operation id.
        operation: String,
        /// HTTP status (301, 302, 303, 307, 308, …).
        status: u16,
        /// The `Location` the answer named, if any.
        location: Option<String>,
    },
    /// Any other status the spec does not describe.
    #[error("{operation}: unexpected HTTP {status} from Alto{detail}", detail = problem_suffix(.problem.as_deref()))]
    UnexpectedStatus {
        /// Operation id.
        operation: String,
        /// HTTP status.
        status: u16,
        /// Problem details from the body, if any.
        problem: Option<Box<Problem>>,
    },
    /// The request timed out.
    #[error("{operation}: Alto did not answer in time; try again, or raise the timeout")]
    Timeout {
        /// Operation id.
        operation: String,
    },
    /// Connection-level failure (DNS, connect, TLS, reset).
    #[error("{operation}: could not reach Alto ({source}); check the network and the API URL")]
    Transport {
        /// Operation id.
        operation: String,
        /// The transport error.
        #[source]
        source: reqwest::Error,
    },
    /// Alto answered 2xx with a body that does not match the spec.
    #[error("{operation}: Alto's answer did not match the spec ({detail})")]
    Decode {
        /// Operation id.
        operation: String,
        /// What did not match.
        detail: String,
    },
    /// The request could not be built from the given input (e.g. a missing required field).
    #[error("{operation}: invalid request: {detail}")]
    InvalidRequest {
        /// Operation id.
        operation: String,
        /// What is wrong.
        detail: String,
    },
}

impl AltoError {
    /// HTTP status behind this error, if it came from an answer.
    pub fn status(&self) -> Option<u16> {
        match self {
            AltoError::Unauthorized { .. } => Some(401),
            AltoError::Forbidden { .. } => Some(403),
            AltoError::NotFound { .. } => Some(404),
            AltoError::Validation { status, .. } => Some(*status),
            AltoError::Duplicate { .. } => Some(409),
            AltoError::RateLimited { .. } => Some(429),
            AltoError::Redirected { status, .. } => Some(*status),
            AltoError::Server { status, .. } | AltoError::UnexpectedStatus { status, .. } => {
                Some(*status)
            }
            _ => None,
        }
    }

    /// The ids of existing records named by a 409 answer (empty for other errors).
    pub fn existing_ids(&self) -> Vec<&str> {
        match self {
            AltoError::Duplicate { existing, .. } => {
                existing.iter().filter_map(|e| e.id.as_deref()).collect()
            }
            _ => Vec::new(),
        }
    }
}

/// Configuration mistakes, found before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A production agency has no `AgencyRef`.
    #[error("agency {agency} is set to use Alto in production but has no AgencyRef: paste the AgencyRef from Alto's activation email into Alto Settings (/admin/alto-agencies), or turn production off for this agency")]
    MissingAgencyRef {
        /// Agency name or id.
        agency: String,
    },
    /// A production agency's stored `AgencyRef` no longer passes the rule (it is not a GUID).
    #[error("agency {agency} is set to use Alto in production but its stored AgencyRef is not valid ({reason}): correct it in Alto Settings (/admin/alto-agencies, where it shows as \"Invalid AgencyRef\"), or turn production off for this agency")]
    InvalidAgencyRef {
        /// Agency id.
        agency: String,
        /// Why the stored value is refused.
        reason: crate::agency::InvalidAgencyRef,
    },
    /// No credentials for the environment a call needs.
    #[error("no Alto credentials for {environment}: set ALTO_CLIENT_ID and ALTO_CLIENT_SECRET (with ALTO_ENV={environment}) or configure them on the client builder")]
    MissingCredentials {
        /// The environment without credentials.
        environment: Environment,
    },
    /// An agency id the directory does not know.
    #[error("no agency with internal id {0:?} in the agency store; check the id or add the agency in Alto Settings")]
    UnknownAgency(String),
    /// The agency store could not be read.
    #[error("the agency store could not be read: {0}")]
    Directory(String),
    /// A URL setting is not a valid URL.
    #[error("{setting} is not a valid URL: {value:?}")]
    InvalidUrl {
        /// Setting name.
        setting: &'static str,
        /// The value given.
        value: String,
    },
    /// A custom URL uses plain `http` on a host other than this machine.
    #[error("{setting} {value:?} uses plain http on a host that is not this machine: the client secret, tokens and AgencyRefs would cross the network unencrypted; use https (plain http is accepted only for localhost, 127.0.0.1 or [::1])")]
    InsecureUrl {
        /// Setting name.
        setting: &'static str,
        /// The value given.
        value: String,
    },
    /// Another setting is invalid.
    #[error("{0}")]
    Invalid(String),
}

/// An existing record named by a 409 answer's `Location` header.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExistingResource {
    /// The header value as sent.
    pub location: String,
    /// The last path segment, Alto's id of the existing record.
    pub id: Option<String>,
}

impl ExistingResource {
    /// Parses one `Location` header value (absolute URL or path).
    pub fn from_location(location: &str) -> Self {
        let path = location.split(['?', '#']).next().unwrap_or_default();
        let id = path
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .filter(|s| !s.is_empty() && !s.contains(':'))
            .map(String::from);
        Self {
            location: location.to_string(),
            id,
        }
    }
}

/// What Alto said about a failed call: RFC 7807 ProblemDetails, ErrorsResponse, or plain text.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// `title`.
    pub title: Option<String>,
    /// `detail`.
    pub detail: Option<String>,
    /// `type`.
    pub kind: Option<String>,
    /// Field errors: (field or code, message).
    pub errors: Vec<(String, String)>,
    /// The body when it was not JSON (truncated).
    pub text: Option<String>,
}

impl Problem {
    /// Parses an error body; `None` when it is empty.
    pub fn parse(body: &[u8]) -> Option<Problem> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return None;
        }
        // Only a JSON object can be ProblemDetails; keep anything else as text.
        let object = serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .filter(serde_json::Value::is_object);
        let Some(value) = object else {
            let text: String = String::from_utf8_lossy(body).chars().take(500).collect();
            return Some(Problem {
                text: Some(text),
                ..Problem::default()
            });
        };
        let s = |k: &str| value.get(k).and_then(|v| v.as_str()).map(String::from);
        let mut errors = Vec::new();
        match value.get("errors") {
            Some(serde_json::Value::Object(fields)) => {
                for (field, msgs) in fields {
                    for m in msgs
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|m| m.as_str())
                    {
                        errors.push((field.clone(), m.to_string()));
                    }
                }
            }
            Some(serde_json::Value::Array(items)) => {
                for item in items {
                    let code = item
                        .get("code")
                        .and_then(|c| c.as_str())
                        .unwrap_or_default();
                    let msg = item
                        .get("message")
                        .and_then(|c| c.as_str())
                        .unwrap_or_default();
                    errors.push((code.to_string(), msg.to_string()));
                }
            }
            _ => {}
        }
        Some(Problem {
            title: s("title"),
            detail: s("detail"),
            kind: s("type"),
            errors,
            text: None,
        })
    }

    /// One-line summary.
    pub fn summary(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        parts.extend(self.title.clone());
        // ASP.NET repeats field errors in `detail`; say each thing once.
        let detail_repeats_errors = self.errors.iter().any(|(_, m)| {
            self.detail
                .as_deref()
                .is_some_and(|d| d.contains(m.as_str()))
        });
        if !detail_repeats_errors {
            parts.extend(self.detail.clone());
        }
        parts.extend(self.errors.iter().map(|(f, m)| {
            if f.is_empty() {
                m.clone()
            } else {
                format!("{f}: {m}")
            }
        }));
        parts.extend(self.text.clone());
        parts.join("; ")
    }
}

fn problem_suffix(p: Option<&Problem>) -> String {
    match p.map(Problem::summary).filter(|s| !s.is_empty()) {
        Some(s) => format!(": {s}"),
        None => String::new(),
    }
}

fn existing_suffix(existing: &[ExistingResource]) -> String {
    let ids: Vec<&str> = existing
        .iter()
        .map(|e| e.id.as_deref().unwrap_or(&e.location))
        .collect();
    if ids.is_empty() {
        String::new()
    } else {
        format!(" as {}", ids.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_problem_details_with_field_errors() {
        let p = Problem::parse(br#"{"title":"One or more validation errors occurred.","status":400,"errors":{"surname":["required"]}}"#).unwrap();
        assert_eq!(
            p.title.as_deref(),
            Some("One or more validation errors occurred.")
        );
        assert_eq!(
            p.errors,
            vec![("surname".to_string(), "required".to_string())]
        );
    }

    #[test]
    fn parses_errors_response_and_plain_text() {
        let p = Problem::parse(br#"{"errors":[{"code":"E1","message":"bad date"}]}"#).unwrap();
        assert_eq!(p.summary(), "E1: bad date");
        assert_eq!(
            Problem::parse(b"Internal error").unwrap().text.as_deref(),
            Some("Internal error")
        );
        assert_eq!(Problem::parse(b"  "), None);
    }

    #[test]
    fn location_headers_give_ids() {
        assert_eq!(
            ExistingResource::from_location("https://api.alto.zoopla.co.uk/contacts/123")
                .id
                .as_deref(),
            Some("123")
        );
        assert_eq!(
            ExistingResource::from_location("/contacts/9/")
                .id
                .as_deref(),
            Some("9")
        );
    }

    #[test]
    fn messages_say_what_to_do() {
        let e = AltoError::from(ConfigError::MissingAgencyRef {
            agency: "Acme Lettings".into(),
        });
        let text = e.to_string();
        assert!(
            text.contains("Acme Lettings") && text.contains("Alto Settings"),
            "{text}"
        );
        let dup = AltoError::Duplicate {
            operation: "create_contact".into(),
            existing: vec![ExistingResource::from_location("/contacts/42")],
            problem: None,
        };
        assert!(dup.to_string().contains("42"));
        assert_eq!(dup.existing_ids(), vec!["42"]);
    }
}
