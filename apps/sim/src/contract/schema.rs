//! OpenAPI 3.0 schemas as JSON Schema validators, compiled on first use and cached.
//!
//! OpenAPI 3.0 differs from JSON Schema where it matters here: `nullable: true` becomes a
//! `null` alternative, and `$ref`s to `#/components/schemas/..` resolve against the spec's own
//! components (nothing is fetched: the crate is built without its network and file resolvers).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use jsonschema::{Draft, Validator};
use serde_json::{json, Map, Value};

use super::spec::Spec;

/// Which side of the exchange a value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Side {
    /// A request: checked leniently where the spec is loose in practice (a `date-time` may
    /// lack its offset, as .NET clients send it).
    Request,
    /// An answer of the simulator: checked to the letter.
    Response,
}

/// Rewrites OpenAPI 3.0 keywords into JSON Schema (draft 4, which 3.0 is built on).
pub(crate) fn convert(schema: &Value) -> Value {
    match schema {
        Value::Array(items) => Value::Array(items.iter().map(convert).collect()),
        Value::Object(map) => {
            let mut out: Map<String, Value> = map
                .iter()
                .filter(|(k, _)| k.as_str() != "nullable")
                .map(|(k, v)| (k.clone(), convert(v)))
                .collect();
            if map.get("nullable") != Some(&Value::Bool(true)) {
                return Value::Object(out);
            }
            if let Some(Value::Array(values)) = out.get_mut("enum") {
                if !values.contains(&Value::Null) {
                    values.push(Value::Null);
                }
            }
            match out.get("type").cloned() {
                Some(Value::String(t)) => {
                    out.insert("type".into(), json!([t, "null"]));
                    Value::Object(out)
                }
                _ => json!({ "anyOf": [Value::Object(out), { "type": "null" }] }),
            }
        }
        other => other.clone(),
    }
}

fn components() -> &'static Value {
    static COMPONENTS: OnceLock<Value> = OnceLock::new();
    COMPONENTS.get_or_init(|| {
        let schemas = Spec::get()
            .root
            .pointer("/components/schemas")
            .cloned()
            .unwrap_or_else(|| json!({}));
        json!({ "schemas": convert(&schemas) })
    })
}

type Cache = Mutex<HashMap<(Side, String), Arc<Validator>>>;

/// A validator for an OpenAPI `schema` (as written in the spec), compiled once per side.
///
/// `None` when the schema cannot be compiled; that is logged and the value is not checked, so
/// an oddity of the spec never refuses a request.
pub(crate) fn validator(schema: &Value, side: Side) -> Option<Arc<Validator>> {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = (side, schema.to_string());
    if let Some(v) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Some(v.clone());
    }
    let root = json!({ "allOf": [convert(schema)], "components": components() });
    let mut options = jsonschema::options()
        .with_draft(Draft::Draft4)
        .should_validate_formats(true)
        .should_ignore_unknown_formats(true);
    if side == Side::Request {
        options = options.with_format("date-time", lenient_date_time);
    }
    match options.build(&root) {
        Ok(compiled) => {
            let compiled = Arc::new(compiled);
            cache
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(key, compiled.clone());
            Some(compiled)
        }
        Err(e) => {
            tracing::warn!(error = %e, "a schema of the vendored spec does not compile; not checked");
            None
        }
    }
}

/// What is wrong with `value` under `schema`: one line per problem, each naming where.
pub(crate) fn problems(schema: &Value, value: &Value, side: Side) -> Vec<String> {
    let Some(validator) = validator(schema, side) else {
        return Vec::new();
    };
    validator
        .iter_errors(value)
        .map(|e| {
            let at = e.instance_path().to_string();
            let at = if at.is_empty() { "$".to_string() } else { at };
            format!("{at}: {e}")
        })
        .take(10)
        .collect()
}

/// RFC 3339 with or without the offset.
fn lenient_date_time(text: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(text).is_ok()
        || chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nullable_allows_null() {
        let s = json!({ "type": "string", "nullable": true, "enum": ["A"] });
        assert!(problems(&s, &Value::Null, Side::Response).is_empty());
        assert!(problems(&s, &json!("A"), Side::Response).is_empty());
        assert!(!problems(&s, &json!("B"), Side::Response).is_empty());
        assert!(!problems(&json!({ "type": "string" }), &Value::Null, Side::Response).is_empty());
    }

    #[test]
    fn component_references_resolve() {
        let s = json!({ "$ref": "#/components/schemas/ErrorsResponse" });
        let ok = json!({ "errors": [{ "code": "x", "message": "y" }] });
        assert!(problems(&s, &ok, Side::Response).is_empty());
        let extra = json!({ "errors": [], "title": "no such field" });
        assert!(!problems(&s, &extra, Side::Response).is_empty());
    }

    #[test]
    fn requests_may_omit_the_offset_of_a_date_time() {
        let s = json!({ "type": "string", "format": "date-time" });
        assert!(problems(&s, &json!("2026-03-01T10:00:00"), Side::Request).is_empty());
        assert!(!problems(&s, &json!("2026-03-01T10:00:00"), Side::Response).is_empty());
        assert!(!problems(&s, &json!("next week"), Side::Request).is_empty());
    }
}
