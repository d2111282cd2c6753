//! Doc comments for the generated client, written from facts only.
//!
//! The vendored spec keeps no prose (Zoopla's text is third-party), so the raw client would
//! otherwise have undocumented methods and types. progenitor turns an operation's `summary` and
//! `description` into its method's doc comment, a parameter's `description` into a line under
//! "Arguments", and a schema's `description` into its type's doc comment. The normalizer fills
//! them here with what the spec states: method and path, scopes, parameters with their
//! constraints, request body, success and error statuses with their types, and the paging casing.
//!
//! This file depends only on `serde_json`, because `build.rs` includes it with `#[path]`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

const SCHEMA_REF: &str = "#/components/schemas/";

/// What an operation's doc comment states, gathered before the normalizer rewrites bodies.
pub struct OperationDoc<'a> {
    /// Upper-case HTTP method.
    pub method: &'a str,
    /// Path template.
    pub path: &'a str,
    /// The operation as in the facts-only spec (before bodies are normalized).
    pub op: &'a Map<String, Value>,
    /// Its parameters, merged and without the `AgencyRef` header (only their count is used:
    /// each describes itself).
    pub params: &'a [Value],
    /// Whether upstream declares the `AgencyRef` header.
    pub takes_agency_ref: bool,
    /// Cursor and page-size parameters of a paged operation.
    pub paging: (Option<&'a str>, Option<&'a str>),
}

/// `#/components/schemas/PostContactRequest` → `PostContactRequest`.
pub fn ref_name(schema: &Value) -> Option<&str> {
    schema.get("$ref")?.as_str()?.strip_prefix(SCHEMA_REF)
}

/// A schema's type in a few words: `PostContactRequest`, `array of Document`, `string (date-time)`.
pub fn type_words(schema: &Value) -> String {
    if let Some(name) = ref_name(schema) {
        return format!("`{name}`");
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("array") => format!(
            "array of {}",
            type_words(schema.get("items").unwrap_or(&Value::Null))
        ),
        Some(t) => match schema.get("format").and_then(Value::as_str) {
            Some(f) => format!("{t} ({f})"),
            None => t.to_string(),
        },
        None if schema.get("anyOf").is_some() || schema.get("oneOf").is_some() => {
            "one of several shapes".into()
        }
        None => "any JSON".into(),
    }
}

/// A parameter's constraints: `query, required, integer (int32), 1 ≤ value ≤ 100`.
pub fn parameter_doc(param: &Value) -> String {
    let schema = param.get("schema").unwrap_or(&Value::Null);
    let mut parts = vec![format!(
        "`{}` in {}",
        param["name"].as_str().unwrap_or("?"),
        param["in"].as_str().unwrap_or("?")
    )];
    parts.push(
        if param["required"] == true {
            "required"
        } else {
            "optional"
        }
        .into(),
    );
    parts.push(type_words(schema));
    parts.extend(constraints(schema));
    parts.join(", ")
}

fn constraints(schema: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let num = |k: &str| {
        schema
            .get(k)
            .filter(|v| v.is_number())
            .map(Value::to_string)
    };
    match (num("minimum"), num("maximum")) {
        (Some(lo), Some(hi)) => out.push(format!("{lo} ≤ value ≤ {hi}")),
        (Some(lo), None) => out.push(format!("value ≥ {lo}")),
        (None, Some(hi)) => out.push(format!("value ≤ {hi}")),
        (None, None) => {}
    }
    match (num("minLength"), num("maxLength")) {
        (Some(lo), Some(hi)) => out.push(format!("{lo}–{hi} characters")),
        (Some(lo), None) => out.push(format!("at least {lo} characters")),
        (None, Some(hi)) => out.push(format!("at most {hi} characters")),
        (None, None) => {}
    }
    if let Some(p) = schema.get("pattern").and_then(Value::as_str) {
        out.push(format!("pattern `{p}`"));
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let values: Vec<String> = values.iter().map(|v| format!("`{}`", plain(v))).collect();
        out.push(format!("one of {}", values.join(", ")));
    }
    if let Some(d) = schema.get("default") {
        out.push(format!("default `{}`", plain(d)));
    }
    if schema.get("items").is_some() {
        out.extend(constraints(&schema["items"]));
    }
    out
}

fn plain(v: &Value) -> String {
    v.as_str()
        .map(String::from)
        .unwrap_or_else(|| v.to_string())
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|s| format!("`{s}`"))
        .collect()
}

/// The body's type and media types: `` `PostContactRequest` (application/json, text/json) ``.
fn content_words(content: &Value) -> Option<String> {
    let content = content.as_object()?;
    let schema = content
        .get("application/json")
        .and_then(|m| m.get("schema"))
        .or_else(|| content.values().find_map(|m| m.get("schema")));
    let media: Vec<&str> = content.keys().map(String::as_str).collect();
    Some(match schema {
        Some(s) => format!("{} ({})", type_words(s), media.join(", ")),
        None => media.join(", "),
    })
}

/// The operation's `summary` (one line) and `description` (the facts, as Markdown).
pub fn operation_doc(doc: &OperationDoc) -> (String, String) {
    let op = doc.op;
    let tag = op
        .get("tags")
        .and_then(|t| t.get(0))
        .and_then(Value::as_str)
        .unwrap_or("Alto");
    let summary = format!("`{} {}` ({tag})", doc.method, doc.path);
    let mut lines = Vec::new();
    let scopes = op.get("x-alto-scopes").cloned().unwrap_or(Value::Null);
    let granted = strings(&scopes["granted"]);
    let route = strings(&scopes["route"]);
    lines.push(format!(
        "**Scopes**: granted {}; per route {}.",
        if granted.is_empty() {
            "none stated".into()
        } else {
            granted.join(", ")
        },
        if route.is_empty() {
            "none stated".into()
        } else {
            route.join(", ")
        }
    ));
    if doc.takes_agency_ref {
        lines.push("**AgencyRef** header: required in production; the client hook adds it.".into());
    }
    // Each parameter's own `description` (see [`parameter_doc`]) is listed by progenitor under
    // "Arguments"; here only whether there are any, so an operation without reads as such.
    if doc.params.is_empty() {
        lines.push("**Parameters**: none.".into());
    }
    if let Some(body) = op.get("requestBody") {
        let required = if body["required"] == true {
            "required"
        } else {
            "optional"
        };
        if let Some(words) = body.get("content").and_then(content_words) {
            lines.push(format!("**Request body** ({required}): {words}."));
        }
    }
    let responses = op
        .get("responses")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for (title, success) in [("Success", true), ("Errors", false)] {
        let listed: Vec<String> = responses
            .iter()
            .filter(|(status, _)| status.starts_with('2') == success)
            .map(
                |(status, r)| match r.get("content").and_then(content_words) {
                    Some(words) => format!("{status} {words}"),
                    None => format!("{status} no body"),
                },
            )
            .collect();
        if !listed.is_empty() {
            lines.push(format!("**{title}**: {}.", listed.join("; ")));
        }
    }
    if responses.is_empty() {
        lines.push("**Responses**: none declared.".into());
    }
    if let (Some(token), size) = doc.paging {
        lines.push(format!(
            "**Paging**: cursor `{token}`{}.",
            size.map(|s| format!(", page size `{s}`"))
                .unwrap_or_default()
        ));
    }
    (summary, lines.join("\n\n"))
}

/// Describes every schema: its name in Zoopla's document, its required properties, and the
/// operations that name it directly (by id, with where: request body or response status).
pub fn describe_schemas(spec: &mut Value, original_names: &BTreeMap<String, String>) {
    let mut used_by: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for item in spec
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|p| p.values())
    {
        for op in item.as_object().into_iter().flat_map(|m| m.values()) {
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            if let Some(body) = op.get("requestBody") {
                for name in refs_in(body) {
                    used_by
                        .entry(name)
                        .or_default()
                        .insert(format!("`{id}` (request)"));
                }
            }
            for (status, r) in op
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                for name in refs_in(r) {
                    used_by
                        .entry(name)
                        .or_default()
                        .insert(format!("`{id}` ({status})"));
                }
            }
        }
    }
    let Some(schemas) = spec
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for (name, schema) in schemas.iter_mut() {
        let Some(obj) = schema.as_object_mut() else {
            continue;
        };
        let original = original_names.get(name).unwrap_or(name);
        let mut lines = vec![format!("Alto schema `{original}`.")];
        let required = strings(obj.get("required").unwrap_or(&Value::Null));
        if !required.is_empty() {
            lines.push(format!("Required: {}.", required.join(", ")));
        }
        if let Some(values) = obj.get("enum").and_then(Value::as_array) {
            let values: Vec<String> = values.iter().map(|v| format!("`{}`", plain(v))).collect();
            lines.push(format!("Values: {}.", values.join(", ")));
        }
        if let Some(ops) = used_by.get(name) {
            lines.push(format!(
                "Named by: {}.",
                ops.iter().cloned().collect::<Vec<_>>().join(", ")
            ));
        }
        obj.insert("description".into(), Value::String(lines.join("\n\n")));
    }
}

fn refs_in(v: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    fn walk(v: &Value, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                if let Some(name) = ref_name(v) {
                    out.insert(name.to_string());
                }
                m.values().for_each(|v| walk(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    walk(v, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parameters_are_described_with_their_constraints() {
        let p = json!({ "name": "MaxResults", "in": "query", "required": true,
            "schema": { "type": "integer", "format": "int32", "minimum": 1, "maximum": 100 } });
        assert_eq!(
            parameter_doc(&p),
            "`MaxResults` in query, required, integer (int32), 1 ≤ value ≤ 100"
        );
        let p = json!({ "name": "kind", "in": "query",
            "schema": { "type": "array", "items": { "type": "string", "enum": ["A", "B"] } } });
        assert_eq!(
            parameter_doc(&p),
            "`kind` in query, optional, array of string, one of `A`, `B`"
        );
    }

    #[test]
    fn an_operation_doc_states_scopes_body_statuses_and_paging() {
        let op = json!({ "tags": ["ReferenceChecks"],
            "x-alto-scopes": { "granted": ["alto/read:x"], "route": ["alto/route:get-x"] },
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/NewX" } } } },
            "responses": {
                "200": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/XPage" } } } },
                "404": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ProblemDetails" } } } },
                "500": {} } });
        let params =
            [json!({ "name": "NextToken", "in": "query", "schema": { "type": "string" } })];
        let (summary, text) = operation_doc(&OperationDoc {
            method: "GET",
            path: "/x",
            op: op.as_object().unwrap(),
            params: &params,
            takes_agency_ref: true,
            paging: (Some("NextToken"), Some("MaxResults")),
        });
        assert_eq!(summary, "`GET /x` (ReferenceChecks)");
        for line in [
            "**Scopes**: granted `alto/read:x`; per route `alto/route:get-x`.",
            "**AgencyRef** header: required in production; the client hook adds it.",
            "**Request body** (required): `NewX` (application/json).",
            "**Success**: 200 `XPage` (application/json).",
            "**Errors**: 404 `ProblemDetails` (application/json); 500 no body.",
            "**Paging**: cursor `NextToken`, page size `MaxResults`.",
        ] {
            assert!(
                text.lines().any(|l| l == line),
                "missing {line:?} in\n{text}"
            );
        }
    }

    #[test]
    fn schemas_are_described_by_their_original_name_and_users() {
        let mut spec = json!({ "paths": { "/x": { "post": { "operationId": "create_x",
            "requestBody": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/NewX" } } } } } } },
            "components": { "schemas": { "NewX": { "type": "object", "required": ["a"] },
                "S": { "type": "string", "enum": ["On", "Off"] } } } });
        let original = [("NewX".to_string(), "Alto.X.NewX".to_string())].into();
        describe_schemas(&mut spec, &original);
        assert_eq!(
            spec["components"]["schemas"]["NewX"]["description"],
            "Alto schema `Alto.X.NewX`.\n\nRequired: `a`.\n\nNamed by: `create_x` (request)."
        );
        assert_eq!(
            spec["components"]["schemas"]["S"]["description"],
            "Alto schema `S`.\n\nValues: `On`, `Off`."
        );
    }
}
