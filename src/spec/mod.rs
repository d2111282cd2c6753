//! The spec pipeline: import Zoopla's document as facts, report drift, normalize for progenitor.
//!
//! `build.rs` includes `import.rs` and `normalize.rs` directly (they depend only on
//! `serde_json`); the CLI's `alto spec import` uses them through this module.

pub mod drift;
pub mod import;
pub mod normalize;
pub mod type_names;

use std::collections::BTreeSet;
use std::path::Path;

/// The vendored facts-only spec, as committed.
pub const VENDORED_SPEC: &str = include_str!("../../openapi/alto.json");
/// The checked-in operation names (`"METHOD /path": "name"`), one per operation: the raw
/// client's method names.
pub const OPERATION_NAMES: &str = include_str!("../../openapi/operation-names.json");
/// The checked-in type names (`"schema name": "RustName"`), one per schema.
pub const TYPE_NAMES: &str = include_str!("../../openapi/type-names.json");

/// `METHOD /path` keys of the operations the drift report marks as the facade's (the operations
/// that had checked-in names before every operation got one).
pub fn facade_operations() -> BTreeSet<String> {
    [
        "GET /ReferenceChecks",
        "PATCH /ReferenceChecks/{referenceCheckId}",
        "GET /guarantorIds",
        "GET /contacts",
        "POST /contacts",
        "GET /contacts/{contactId}",
        "PATCH /contacts/{contactId}",
        "GET /contacts/{contactId}/persons",
        "GET /contacts/all",
        "GET /contacts/search",
        "GET /owners",
        "GET /inventory",
        "POST /inventory/new",
        "GET /inventory/{inventoryId}",
        "POST /inventory/{inventoryId}/owner",
        "GET /documents",
        "POST /documents/post",
        "GET /documents/{documentId}/content",
        "GET /tenancies",
        "GET /tenancies/{tenancyId}",
        "GET /tenancies/{tenancyId}/tenantIds",
        "POST /appointments/viewings",
        "POST /appointments/general",
        "GET /appointments/{appointmentId}/{instanceId}",
        "GET /appointments/valuations",
        "POST /appraisals",
        "GET /negotiators",
        "GET /branches",
        "GET /appointments/negotiators",
    ]
    .into_iter()
    .map(String::from)
    .collect()
}

/// Result of importing an upstream document.
pub struct ImportOutcome {
    /// The new facts-only spec text.
    pub text: String,
    /// Differences from the spec it replaces.
    pub drift: drift::DriftReport,
}

/// Imports `upstream` and compares it with `current` (the existing `openapi/alto.json`, if any).
pub fn import_with_drift(
    upstream: &str,
    current: Option<&str>,
) -> Result<ImportOutcome, import::ImportError> {
    let text = import::import_str(upstream)?;
    let new: serde_json::Value = serde_json::from_str(&text).map_err(import::ImportError::Json)?;
    let old = current
        .and_then(|c| serde_json::from_str(c).ok())
        .unwrap_or(serde_json::json!({}));
    Ok(ImportOutcome {
        drift: drift::drift(&old, &new, &facade_operations()),
        text,
    })
}

/// Imports the upstream document at `upstream_path` into `out_path`, returning the drift report.
pub fn import_file(
    upstream_path: &Path,
    out_path: &Path,
) -> Result<drift::DriftReport, Box<dyn std::error::Error + Send + Sync>> {
    let upstream = std::fs::read_to_string(upstream_path)
        .map_err(|e| format!("{}: {e}", upstream_path.display()))?;
    let current = std::fs::read_to_string(out_path).ok();
    let outcome = import_with_drift(&upstream, current.as_deref())?;
    std::fs::write(out_path, outcome.text).map_err(|e| format!("{}: {e}", out_path.display()))?;
    Ok(outcome.drift)
}
