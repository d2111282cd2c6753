//! Per-operation facts generated with the client: scopes, wire content type, paging parameters.

/// Facts about one Alto operation, from the vendored spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationFacts {
    /// Operation id (the raw client's method name).
    pub id: &'static str,
    /// HTTP method.
    pub method: &'static str,
    /// Path template.
    pub path: &'static str,
    /// Per-route scopes.
    pub route_scopes: &'static [&'static str],
    /// Scopes the integration must be granted.
    pub granted_scopes: &'static [&'static str],
    /// Content type on the wire when it is not `application/json` (JSON Patch, multipart).
    pub wire_content_type: Option<&'static str>,
    /// Cursor parameter name, for paged operations.
    pub page_token_param: Option<&'static str>,
    /// Page size parameter name, for paged operations.
    pub page_size_param: Option<&'static str>,
    /// Whether upstream declares the `AgencyRef` header on it.
    pub takes_agency_ref: bool,
}

include!(concat!(env!("OUT_DIR"), "/operations.rs"));

/// Looks an operation up by id.
pub fn operation(id: &str) -> Option<&'static OperationFacts> {
    OPERATIONS
        .binary_search_by(|op| op.id.cmp(id))
        .ok()
        .map(|i| &OPERATIONS[i])
}

/// All scopes an operation needs (granted scopes first, then route scopes).
pub fn required_scopes(id: &str) -> Vec<String> {
    operation(id)
        .map(|op| {
            op.granted_scopes
                .iter()
                .chain(op.route_scopes)
                .map(|s| s.to_string())
                .collect()
        })
        .unwrap_or_default()
}
