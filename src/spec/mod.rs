//! The spec pipeline: import Zoopla's document as facts, report drift, normalize for progenitor.
//!
//! `build.rs` includes `import.rs` and `normalize.rs` directly (they depend only on
//! `serde_json`); the CLI's `alto spec import` uses them through this module.

pub mod docs;
pub mod drift;
pub mod import;
pub mod normalize;
pub mod type_names;

use std::collections::BTreeMap;
use std::path::Path;

/// The vendored facts-only spec, as committed.
pub const VENDORED_SPEC: &str = include_str!("../../openapi/alto.json");
/// The checked-in operation names (`"METHOD /path": "name"`), one per operation: the raw
/// client's method names.
pub const OPERATION_NAMES: &str = include_str!("../../openapi/operation-names.json");
/// The checked-in type names (`"schema name": "RustName"`), one per schema.
pub const TYPE_NAMES: &str = include_str!("../../openapi/type-names.json");

/// What the drift report needs to know about this crate: the facade's operations (from
/// [`crate::operations::FACADE_OPERATIONS`], keyed `METHOD /path` through the names table) with
/// the functions that call them, and the raw client's method names.
pub fn drift_context() -> drift::Context {
    let names: serde_json::Value =
        serde_json::from_str(OPERATION_NAMES).expect("operation-names.json is JSON");
    let names: BTreeMap<String, String> = names
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(key, id)| Some((key.clone(), id.as_str()?.to_string())))
        .collect();
    let facade = names
        .iter()
        .filter_map(|(key, id)| {
            let op = crate::operations::facade_operation(id)?;
            Some((
                key.clone(),
                op.callers.iter().map(|c| c.to_string()).collect(),
            ))
        })
        .collect();
    drift::Context { facade, names }
}

/// Result of importing an upstream document.
pub struct ImportOutcome {
    /// The new facts-only spec text.
    pub text: String,
    /// Differences from the spec it replaces.
    pub drift: drift::DriftReport,
}

/// Imports `upstream` and compares it with `current` (the vendored `openapi/alto.json`, if any).
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
        drift: drift::drift(&old, &new, &drift_context()),
        text,
    })
}

/// Imports the upstream document at `upstream_path` into `out_path`, returning the drift report
/// against the vendored spec this crate was built from (whatever `out_path` held before).
pub fn import_file(
    upstream_path: &Path,
    out_path: &Path,
) -> Result<drift::DriftReport, Box<dyn std::error::Error + Send + Sync>> {
    let upstream = read(upstream_path)?;
    let outcome = import_with_drift(&upstream, Some(VENDORED_SPEC))?;
    std::fs::write(out_path, outcome.text).map_err(|e| format!("{}: {e}", out_path.display()))?;
    Ok(outcome.drift)
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// The drift report between any two documents (Zoopla's or facts-only renditions: both go
/// through the importer first, so prose and media-type noise never show as changes).
pub fn diff_files(
    old_path: &Path,
    new_path: &Path,
) -> Result<drift::DriftReport, Box<dyn std::error::Error + Send + Sync>> {
    let facts =
        |path: &Path| -> Result<serde_json::Value, Box<dyn std::error::Error + Send + Sync>> {
            let text =
                import::import_str(&read(path)?).map_err(|e| format!("{}: {e}", path.display()))?;
            Ok(serde_json::from_str(&text)?)
        };
    Ok(drift::drift(
        &facts(old_path)?,
        &facts(new_path)?,
        &drift_context(),
    ))
}
