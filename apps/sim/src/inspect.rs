//! What tests can look at: recorded requests (secrets masked) and resource counts.

use serde::Serialize;

/// A fault the simulator injected into one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Injected {
    /// An error status was answered instead of the real one.
    Status {
        /// The injected status.
        status: u16,
        /// Whether the change had been committed before the error was answered.
        after_commit: bool,
    },
    /// The connection was closed without an answer.
    Reset {
        /// Whether the change had been committed before the connection was closed.
        after_commit: bool,
    },
}

/// One request as the simulator received it. `Authorization` values are masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordedRequest {
    /// HTTP method.
    pub method: String,
    /// Path, without the query.
    pub path: String,
    /// Raw query string, if any.
    pub query: Option<String>,
    /// Headers in arrival order, names lower-cased; `authorization` shows only its scheme.
    pub headers: Vec<(String, String)>,
    /// Status answered; `None` when the connection was reset.
    pub status: Option<u16>,
    /// The injected fault, if any.
    pub injected: Option<Injected>,
    /// The request body as text (lossy UTF-8, at most 64 KiB), if there was one.
    pub body: Option<String>,
}

impl RecordedRequest {
    /// The first value of a header (name case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The values of a query parameter, in order (name case-sensitive, as Alto reads them).
    pub fn query_values(&self, name: &str) -> Vec<String> {
        self.query
            .as_deref()
            .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
            .unwrap_or_default()
            .into_iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v)
            .collect()
    }
}

/// How many records one agency has, per resource family.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ResourceCounts {
    /// Contacts.
    pub contacts: usize,
    /// Properties.
    pub properties: usize,
    /// Property owner links.
    pub owners: usize,
    /// Documents.
    pub documents: usize,
    /// Appointments (viewings, general, appraisals).
    pub appointments: usize,
    /// Tenancies.
    pub tenancies: usize,
    /// Reference checks.
    pub reference_checks: usize,
}

/// Masks an `Authorization` value to its scheme: tokens and client secrets are never kept.
pub(crate) fn mask_authorization(value: &str) -> String {
    match value.split_once(' ') {
        Some((scheme, _)) => format!("{scheme} ****"),
        None => "****".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorization_keeps_only_the_scheme() {
        assert_eq!(mask_authorization("Bearer abc.def"), "Bearer ****");
        assert_eq!(mask_authorization("Basic c2ltOnNlY3JldA=="), "Basic ****");
        assert_eq!(mask_authorization("rawtoken"), "****");
    }
}
