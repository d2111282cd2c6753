//! Short type names for the generated client: Zoopla's schema names carry .NET namespaces
//! (`Alto.Contacts.Api.Models.Requests.PostContactRequest`) and generic arities
//! (`PagedResults1_Alto….Tenancy`), which progenitor would turn into Rust names of up to ~108
//! characters. The checked-in table `openapi/type-names.json` maps each schema to a short,
//! collision-free name; the normalizer renames the schemas and rewrites every `$ref` to them.
//!
//! A schema missing from the table (a new one in a Zoopla update) still gets a short name
//! derived the same way, so a build straight from a new document never fails on naming; the
//! completeness test and `scripts/check-spec` ask for it to be added to the table.
//!
//! This file depends only on `serde_json`, because `build.rs` includes it with `#[path]`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

const SCHEMA_REF: &str = "#/components/schemas/";

/// `Alto.Contacts.Api.Models.Requests.PostContactRequest` → `PostContactRequest`;
/// `…PagedResults1_Alto….Tenancy` → `TenancyPagedResults`;
/// `SystemTextJsonPatch.Operations.Operation1_….TenancyPatch` → `TenancyPatchOperation`.
pub fn short_type_name(schema: &str) -> String {
    if let Some((outer, inner)) = schema.split_once("1_") {
        let wrapper = outer.rsplit('.').next().unwrap_or(outer);
        let inner = inner.rsplit('.').next().unwrap_or(inner);
        let suffix = match wrapper {
            // A patch document's element: `KeySetPatch` + `Operation`, `PatchPersonRequest` +
            // `PatchOperation`, so both read as "an operation of that patch".
            "Operation" if inner.ends_with("Patch") => "Operation".to_string(),
            "Operation" => "PatchOperation".to_string(),
            other => other.to_string(),
        };
        return format!("{inner}{suffix}");
    }
    schema.rsplit('.').next().unwrap_or(schema).to_string()
}

/// The Rust-safe form of a name nobody chose: every character that is not ASCII alphanumeric
/// dropped (what progenitor's own conversion would keep).
fn plain(schema: &str) -> String {
    schema.chars().filter(char::is_ascii_alphanumeric).collect()
}

/// Decides the new name of each schema: the table's entry, else [`short_type_name`], else (when
/// that is taken) the full name without punctuation. Fails when the table itself gives two
/// schemas one name.
pub fn plan_type_names(
    schemas: &[String],
    table: &Value,
) -> Result<BTreeMap<String, String>, String> {
    let mut plan = BTreeMap::new();
    let mut taken = BTreeMap::<String, String>::new();
    for schema in schemas {
        if let Some(name) = table.get(schema).and_then(Value::as_str) {
            if let Some(other) = taken.insert(name.to_ascii_lowercase(), schema.clone()) {
                return Err(format!(
                    "openapi/type-names.json gives `{other}` and `{schema}` the same name {name}"
                ));
            }
            plan.insert(schema.clone(), name.to_string());
        }
    }
    let mut unlisted: Vec<&String> = schemas.iter().filter(|s| !plan.contains_key(*s)).collect();
    // Names without a namespace first, so a new `Meta` keeps its own name before a namespaced
    // `Alto.X.Meta` claims it.
    unlisted.sort_by_key(|s| (s.contains('.'), s.to_string()));
    for schema in unlisted {
        let short = short_type_name(schema);
        let name = if taken.contains_key(&short.to_ascii_lowercase()) {
            plain(schema)
        } else {
            short
        };
        taken.insert(name.to_ascii_lowercase(), schema.clone());
        plan.insert(schema.clone(), name);
    }
    Ok(plan)
}

/// Renames `components.schemas` by `table` and rewrites every `$ref` to them. Returns each new
/// name's original.
pub fn apply_type_names(
    spec: &mut Value,
    table: &Value,
) -> Result<BTreeMap<String, String>, String> {
    let Some(schemas) = spec
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return Ok(BTreeMap::new());
    };
    let names: Vec<String> = schemas.keys().cloned().collect();
    let plan = plan_type_names(&names, table)?;
    let old = std::mem::take(schemas);
    for (name, schema) in old {
        schemas.insert(plan[&name].clone(), schema);
    }
    rewrite_refs(spec, &plan);
    Ok(plan.into_iter().map(|(old, new)| (new, old)).collect())
}

fn rewrite_refs(v: &mut Value, plan: &BTreeMap<String, String>) {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get_mut("$ref") {
                if let Some(new) = r.strip_prefix(SCHEMA_REF).and_then(|n| plan.get(n)) {
                    *r = format!("{SCHEMA_REF}{new}");
                }
            }
            map.values_mut().for_each(|v| rewrite_refs(v, plan));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_refs(v, plan)),
        _ => {}
    }
}

/// Schemas of `spec` that the table does not name, and table entries for schemas `spec` lacks.
pub fn table_gaps(spec: &Value, table: &Value) -> (Vec<String>, Vec<String>) {
    let schemas: BTreeSet<String> = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let listed: BTreeSet<String> = table
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    (
        schemas.difference(&listed).cloned().collect(),
        listed.difference(&schemas).cloned().collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn short_names_drop_namespaces_and_generic_arity() {
        assert_eq!(
            short_type_name("Alto.Contacts.Api.Models.Requests.PostContactRequest"),
            "PostContactRequest"
        );
        assert_eq!(
            short_type_name("Alto.PropertyManagement.Api.Models.Responses.PagedResults1_Alto.PropertyManagement.Api.Models.Responses.Tenancy"),
            "TenancyPagedResults"
        );
        assert_eq!(
            short_type_name("SystemTextJsonPatch.Operations.Operation1_Alto.PropertyManagement.Api.Models.TenancyPatch"),
            "TenancyPatchOperation"
        );
        assert_eq!(
            short_type_name("SystemTextJsonPatch.Operations.Operation1_Alto.Contacts.Api.Models.Requests.PatchPersonRequest"),
            "PatchPersonRequestPatchOperation"
        );
        assert_eq!(short_type_name("Meta"), "Meta");
    }

    #[test]
    fn the_table_renames_schemas_and_every_ref() {
        let mut spec = json!({ "paths": { "/a": { "get": { "responses": { "200": { "content": {
            "application/json": { "schema": { "$ref": "#/components/schemas/X.Y.Long" } } } } } } } },
            "components": { "schemas": {
                "X.Y.Long": { "properties": { "m": { "$ref": "#/components/schemas/X.Y.Meta" } } },
                "X.Y.Meta": { "type": "object" }, "Meta": { "type": "object" } } } });
        let table = json!({ "X.Y.Long": "Long", "X.Y.Meta": "YMeta" });
        apply_type_names(&mut spec, &table).unwrap();
        let schemas = spec["components"]["schemas"].as_object().unwrap();
        let keys: Vec<&String> = schemas.keys().collect();
        assert_eq!(keys, ["Long", "Meta", "YMeta"]);
        assert_eq!(
            spec.pointer("/paths/~1a/get/responses/200/content/application~1json/schema/$ref"),
            Some(&json!("#/components/schemas/Long"))
        );
        assert_eq!(
            schemas["Long"]["properties"]["m"]["$ref"],
            "#/components/schemas/YMeta"
        );
    }

    #[test]
    fn unlisted_schemas_get_a_short_name_unless_it_is_taken() {
        let names = [
            "Meta".to_string(),
            "A.B.Meta".to_string(),
            "A.B.New".to_string(),
        ];
        let plan = plan_type_names(&names, &json!({})).unwrap();
        assert_eq!(plan["Meta"], "Meta");
        assert_eq!(plan["A.B.Meta"], "ABMeta");
        assert_eq!(plan["A.B.New"], "New");
    }

    #[test]
    fn a_table_giving_two_schemas_one_name_is_an_error() {
        let names = ["A.X".to_string(), "B.X".to_string()];
        let err = plan_type_names(&names, &json!({ "A.X": "X", "B.X": "x" })).unwrap_err();
        assert!(err.contains("A.X") && err.contains("B.X"), "{err}");
    }

    #[test]
    fn gaps_name_missing_and_stale_entries() {
        let spec = json!({ "components": { "schemas": { "A": {}, "B": {} } } });
        let (missing, stale) = table_gaps(&spec, &json!({ "A": "A", "C": "C" }));
        assert_eq!(missing, ["B"]);
        assert_eq!(stale, ["C"]);
    }
}
