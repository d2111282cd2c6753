//! JSON Patch (RFC 6902) on a record's wire form: the record is written out as the object the
//! operation's patch schema names (its top-level keys are the patchable paths), the patch is
//! applied with the `json-patch` crate, and the handler reads the object back, refusing values
//! the record cannot take.
//!
//! Alto's patch documents name paths in PascalCase (`/PotentialVendor`) and match them without
//! regard to case, so a path is first rewritten to the key's own spelling; a path naming no key
//! is refused, as is an operation the schema does not declare.

use bytes::Bytes;
use serde_json::{Map, Value};

use crate::problem::ApiError;

/// Applies the patch in `body` to `wire`, an object whose keys are the patchable paths.
/// `ops` are the operations the schema declares (`["replace"]`). On any error nothing changes.
pub(crate) fn apply(wire: &mut Value, body: &Bytes, ops: &[&str]) -> Result<(), ApiError> {
    let document: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::field("$", format!("The body is not a JSON Patch document: {e}")))?;
    let Value::Array(items) = document else {
        return Err(ApiError::field(
            "$",
            "A JSON Patch document is an array of operations.",
        ));
    };
    if items.is_empty() {
        return Err(ApiError::field("$", "At least one operation is required."));
    }
    let keys: Vec<String> = wire
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    let mut canonical = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let Value::Object(mut op) = item else {
            return Err(ApiError::field(
                &format!("[{i}]"),
                "An operation is an object.",
            ));
        };
        let name = op.get("op").and_then(Value::as_str).unwrap_or_default();
        if !ops.iter().any(|o| o.eq_ignore_ascii_case(name)) {
            return Err(ApiError::field(
                &format!("[{i}].op"),
                format!(
                    "'{name}' is not an operation this resource accepts ({}).",
                    ops.join(", ")
                ),
            ));
        }
        let lowered = name.to_ascii_lowercase();
        op.insert("op".into(), Value::String(lowered));
        let path = op.get("path").and_then(Value::as_str).unwrap_or_default();
        let key = path
            .strip_prefix('/')
            .filter(|k| !k.contains('/'))
            .and_then(|k| keys.iter().find(|known| known.eq_ignore_ascii_case(k)))
            .ok_or_else(|| {
                ApiError::field(
                    &format!("[{i}].path"),
                    format!(
                        "'{path}' is not a path this resource can patch ({}).",
                        keys.iter()
                            .map(|k| format!("/{k}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?;
        op.insert("path".into(), Value::String(format!("/{key}")));
        if !op.contains_key("value") {
            return Err(ApiError::field(
                &format!("[{i}].value"),
                "The operation needs a value.",
            ));
        }
        canonical.push(Value::Object(op));
    }
    let patch: json_patch::Patch = serde_json::from_value(Value::Array(canonical))
        .map_err(|e| ApiError::field("$", format!("The patch is not valid: {e}")))?;
    json_patch::patch(wire, &patch)
        .map_err(|e| ApiError::field("$", format!("The patch cannot be applied: {e}")))
}

/// A wire-form object from `(key, value)` pairs.
pub(crate) fn object<const N: usize>(pairs: [(&str, Value); N]) -> Value {
    Value::Object(
        pairs
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect::<Map<_, _>>(),
    )
}

/// Reads a boolean back: JSON `true`/`false`, or the strings `"true"`/`"false"` (the patch
/// schemas declare string values).
pub(crate) fn boolean(wire: &Value, key: &str) -> Result<bool, ApiError> {
    match &wire[key] {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        other => Err(ApiError::field(
            key,
            format!("{other} is not true or false."),
        )),
    }
}

/// Reads an optional boolean back (`null` is none).
pub(crate) fn optional_boolean(wire: &Value, key: &str) -> Result<Option<bool>, ApiError> {
    if wire[key].is_null() {
        return Ok(None);
    }
    boolean(wire, key).map(Some)
}

/// Reads an optional string back (`null` or blank is none).
pub(crate) fn optional_text(wire: &Value, key: &str) -> Result<Option<String>, ApiError> {
    match &wire[key] {
        Value::Null => Ok(None),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        Value::Number(n) => Ok(Some(n.to_string())),
        other => Err(ApiError::field(key, format!("{other} is not text."))),
    }
}

/// Reads an optional whole number back, from a number or a numeric string.
pub(crate) fn optional_int(wire: &Value, key: &str) -> Result<Option<i32>, ApiError> {
    let bad = |v: &Value| ApiError::field(key, format!("{v} is not a whole number."));
    match &wire[key] {
        Value::Null => Ok(None),
        Value::Number(n) => n
            .as_i64()
            .and_then(|n| i32::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| bad(&wire[key])),
        Value::String(s) => s.trim().parse().map(Some).map_err(|_| bad(&wire[key])),
        other => Err(bad(other)),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn body(v: Value) -> Bytes {
        Bytes::from(v.to_string())
    }

    #[test]
    fn paths_match_without_regard_to_case() {
        let mut wire = object([("PotentialVendor", json!(false)), ("Active", json!(true))]);
        let patch = json!([{"op": "replace", "path": "/potentialvendor", "value": "true"}]);
        apply(&mut wire, &body(patch), &["replace"]).unwrap();
        assert!(boolean(&wire, "PotentialVendor").unwrap());
        assert!(boolean(&wire, "Active").unwrap());
    }

    #[test]
    fn unknown_paths_and_undeclared_operations_are_refused_and_change_nothing() {
        let mut wire = object([("Active", json!(true))]);
        let before = wire.clone();
        for patch in [
            json!([{"op": "replace", "path": "/People/-", "value": {}}]),
            json!([{"op": "remove", "path": "/Active"}]),
            json!([{"op": "replace", "path": "/Active", "value": false}, {"op": "replace", "path": "/Nope", "value": 1}]),
            json!({"op": "replace"}),
            json!([]),
        ] {
            assert_eq!(
                apply(&mut wire, &body(patch), &["replace"])
                    .unwrap_err()
                    .status,
                400
            );
            assert_eq!(wire, before);
        }
    }
}
