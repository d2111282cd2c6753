//! Importer: turns Zoopla's published Alto OpenAPI document into the project's facts-only
//! rendition (`openapi/alto.json`).
//!
//! Kept: paths, methods, tags, parameters, request and response media types and schemas, enums,
//! formats, `required`, `nullable`, limits, servers and security. Dropped: every piece of prose
//! (descriptions, summaries, titles, examples). Each operation's scopes become facts in
//! `x-alto-scopes`: the per-route scope named by `security`, and the broader scope an integration
//! must be granted, which upstream states only in the description text.
//!
//! Output is canonical JSON (keys sorted, two-space indent, trailing newline), so the same input
//! always gives the same bytes. This file depends only on `serde_json` because `build.rs`
//! includes it too (to build straight from an upstream document).

use serde_json::{json, Map, Value};

/// Name of the security scheme the upstream operations reference but never define.
pub const SECURITY_SCHEME: &str = "appAuth";

/// Operation keys (`METHOD path`) in the order HTTP methods are listed in OpenAPI.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Schema keywords that are prose and never kept.
const PROSE_KEYS: [&str; 5] = ["description", "summary", "title", "example", "examples"];

/// Why an upstream document cannot be imported.
#[derive(Debug)]
#[non_exhaustive]
pub enum ImportError {
    /// Not JSON at all.
    Json(serde_json::Error),
    /// JSON, but not an OpenAPI 3.0 document with paths.
    Shape(String),
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::Json(e) => write!(f, "the upstream document is not valid JSON: {e}"),
            ImportError::Shape(what) => write!(
                f,
                "the upstream document is not an OpenAPI 3.0 document: {what}"
            ),
        }
    }
}

impl std::error::Error for ImportError {}

/// Imports an upstream document (as text) into the facts-only rendition, as canonical JSON text.
pub fn import_str(upstream: &str) -> Result<String, ImportError> {
    let doc: Value = serde_json::from_str(upstream).map_err(ImportError::Json)?;
    let facts = import(&doc)?;
    Ok(to_canonical_string(&facts))
}

/// Imports an upstream document into the facts-only rendition.
pub fn import(upstream: &Value) -> Result<Value, ImportError> {
    let version = upstream
        .get("openapi")
        .and_then(Value::as_str)
        .ok_or_else(|| ImportError::Shape("no `openapi` version".into()))?;
    if !version.starts_with("3.0") {
        return Err(ImportError::Shape(format!(
            "version {version}, expected 3.0.x"
        )));
    }
    let paths = upstream
        .get("paths")
        .and_then(Value::as_object)
        .ok_or_else(|| ImportError::Shape("no `paths` object".into()))?;

    let mut out_paths = Map::new();
    let mut all_scopes = std::collections::BTreeSet::new();
    for (path, item) in paths {
        let mut out_item = Map::new();
        if let Some(params) = item.get("parameters").and_then(Value::as_array) {
            out_item.insert(
                "parameters".into(),
                Value::Array(params.iter().map(parameter).collect()),
            );
        }
        for method in METHODS {
            if let Some(op) = item.get(method) {
                let out_op = operation(op);
                if let Some(scopes) = out_op.get("x-alto-scopes") {
                    for kind in ["route", "granted"] {
                        for s in scopes[kind].as_array().into_iter().flatten() {
                            all_scopes.insert(s.as_str().unwrap_or_default().to_string());
                        }
                    }
                }
                out_item.insert(method.into(), out_op);
            }
        }
        out_paths.insert(path.clone(), Value::Object(out_item));
    }

    let schemas = upstream
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|s| {
            s.iter()
                .map(|(k, v)| (k.clone(), schema(v)))
                .collect::<Map<_, _>>()
        })
        .unwrap_or_default();

    let servers: Vec<Value> = upstream
        .get("servers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| s.get("url").cloned())
        .map(|url| {
            let env = if url.as_str().is_some_and(|u| u.contains("zoopladev")) {
                "sandbox"
            } else {
                "production"
            };
            json!({ "url": url, "x-alto-environment": env })
        })
        .collect();

    let token_url = servers
        .first()
        .and_then(|s| s["url"].as_str())
        .map(|u| format!("{u}/token"))
        .unwrap_or_else(|| "/token".into());
    let scope_map: Map<String, Value> = all_scopes
        .into_iter()
        .map(|s| (s, Value::String(String::new())))
        .collect();

    Ok(json!({
        "openapi": version,
        "info": {
            "title": upstream.pointer("/info/title").cloned().unwrap_or(json!("Alto API")),
            "version": upstream.pointer("/info/version").cloned().unwrap_or(json!("0")),
        },
        "servers": servers,
        "security": [{ SECURITY_SCHEME: [] }],
        "paths": out_paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                SECURITY_SCHEME: {
                    "type": "oauth2",
                    "flows": { "clientCredentials": { "tokenUrl": token_url, "scopes": scope_map } }
                }
            }
        }
    }))
}

fn operation(op: &Value) -> Value {
    let mut out = Map::new();
    for key in ["tags", "deprecated"] {
        if let Some(v) = op.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    if let Some(params) = op.get("parameters").and_then(Value::as_array) {
        out.insert(
            "parameters".into(),
            Value::Array(params.iter().map(parameter).collect()),
        );
    }
    if let Some(body) = op.get("requestBody") {
        let mut b = Map::new();
        if let Some(r) = body.get("required") {
            b.insert("required".into(), r.clone());
        }
        b.insert("content".into(), content(body.get("content")));
        out.insert("requestBody".into(), Value::Object(b));
    }
    let mut responses = Map::new();
    for (status, resp) in op
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let mut r = Map::new();
        r.insert("description".into(), Value::String(String::new()));
        if let Some(c) = resp.get("content") {
            r.insert("content".into(), content(Some(c)));
        }
        if let Some(headers) = resp.get("headers").and_then(Value::as_object) {
            let h: Map<String, Value> = headers
                .iter()
                .map(|(name, h)| {
                    (
                        name.clone(),
                        json!({ "schema": h.get("schema").map(schema).unwrap_or(json!({})) }),
                    )
                })
                .collect();
            r.insert("headers".into(), Value::Object(h));
        }
        responses.insert(status.clone(), Value::Object(r));
    }
    out.insert("responses".into(), Value::Object(responses));

    let (route, granted) = scopes(op);
    if !route.is_empty() || !granted.is_empty() {
        out.insert(
            "security".into(),
            json!([{ SECURITY_SCHEME: route.iter().chain(granted.iter()).collect::<Vec<_>>() }]),
        );
        out.insert(
            "x-alto-scopes".into(),
            json!({ "route": route, "granted": granted }),
        );
    }
    Value::Object(out)
}

/// Splits an operation's scopes into route scopes (`alto/route:…`) and granted scopes
/// (`alto/read:…`, `alto/write:…`, …) from `security` and the "Required scope:" text.
fn scopes(op: &Value) -> (Vec<String>, Vec<String>) {
    let mut route = Vec::new();
    let mut granted = Vec::new();
    let mut push = |s: &str| {
        let list = if s.starts_with("alto/route:") {
            &mut route
        } else {
            &mut granted
        };
        if !list.iter().any(|x| x == s) {
            list.push(s.to_string());
        }
    };
    for req in op
        .get("security")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for list in req.as_object().into_iter().flat_map(|o| o.values()) {
            for s in list
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                push(s);
            }
        }
    }
    for text in ["description", "summary"]
        .iter()
        .filter_map(|k| op.get(*k).and_then(Value::as_str))
    {
        for found in granted_scopes_in(text) {
            push(&found);
        }
    }
    route.sort();
    granted.sort();
    (route, granted)
}

/// Finds `Required scope: alto/<verb>:<resource>` statements in a piece of prose.
fn granted_scopes_in(text: &str) -> Vec<String> {
    const MARK: &str = "required scope:";
    let lower = text.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find(MARK) {
        let start = from + i + MARK.len();
        let rest = text[start..].trim_start();
        let scope: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | ':' | '_' | '-'))
            .collect();
        if scope.starts_with("alto/") {
            found.push(scope);
        }
        from = start;
    }
    found
}

fn parameter(p: &Value) -> Value {
    if let Some(r) = p.get("$ref") {
        return json!({ "$ref": r });
    }
    let mut out = Map::new();
    for key in [
        "name",
        "in",
        "required",
        "deprecated",
        "style",
        "explode",
        "allowEmptyValue",
    ] {
        if let Some(v) = p.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    if let Some(s) = p.get("schema") {
        out.insert("schema".into(), schema(s));
    }
    Value::Object(out)
}

fn content(c: Option<&Value>) -> Value {
    let mut out = Map::new();
    for (media, m) in c.and_then(Value::as_object).into_iter().flatten() {
        let mut mo = Map::new();
        if let Some(s) = m.get("schema") {
            mo.insert("schema".into(), schema(s));
        }
        if let Some(enc) = m.get("encoding").and_then(Value::as_object) {
            let e: Map<String, Value> = enc
                .iter()
                .map(|(k, v)| {
                    let kept: Map<String, Value> = v
                        .as_object()
                        .into_iter()
                        .flatten()
                        .filter(|(k, _)| matches!(k.as_str(), "contentType" | "style" | "explode"))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect();
                    (k.clone(), Value::Object(kept))
                })
                .collect();
            mo.insert("encoding".into(), Value::Object(e));
        }
        out.insert(media.clone(), Value::Object(mo));
    }
    Value::Object(out)
}

/// Strips prose from a schema, recursively; property names are data, not keywords.
fn schema(s: &Value) -> Value {
    match s {
        Value::Object(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                if PROSE_KEYS.contains(&k.as_str()) || k == "externalDocs" || k == "xml" {
                    continue;
                }
                let kept = match k.as_str() {
                    "properties" => Value::Object(
                        v.as_object()
                            .into_iter()
                            .flatten()
                            .map(|(name, ps)| (name.clone(), schema(ps)))
                            .collect(),
                    ),
                    "items" | "additionalProperties" | "not" => schema(v),
                    "allOf" | "oneOf" | "anyOf" => {
                        Value::Array(v.as_array().into_iter().flatten().map(schema).collect())
                    }
                    "default" | "enum" => v.clone(),
                    _ if v.is_object() || v.is_array() => schema(v),
                    _ => v.clone(),
                };
                out.insert(k.clone(), kept);
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(schema).collect()),
        other => other.clone(),
    }
}

/// Serializes with object keys sorted at every level, two-space indent and a final newline.
pub fn to_canonical_string(v: &Value) -> String {
    let mut text = serde_json::to_string_pretty(&sorted(v)).expect("JSON values always serialize");
    text.push('\n');
    text
}

fn sorted(v: &Value) -> Value {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), sorted(&map[k])))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Value {
        json!({
            "openapi": "3.0.4",
            "info": { "title": "Alto API", "version": "v1", "description": "Long prose" },
            "servers": [{ "url": "https://api.alto.zoopladev.co.uk", "description": "Sandbox" }],
            "paths": { "/things/{id}": { "get": {
                "summary": "Gets a thing",
                "description": "Does things.\nRequired scope: alto/read:things",
                "tags": ["Things"],
                "parameters": [{ "name": "id", "in": "path", "required": true, "description": "The id", "schema": { "type": "string", "example": "abc" } }],
                "responses": { "200": { "description": "OK", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Thing" } } } } },
                "security": [{ "appAuth": ["alto/route:get-things-id"] }]
            } } },
            "components": { "schemas": { "Thing": {
                "type": "object", "title": "A thing", "description": "Prose",
                "required": ["description"],
                "properties": { "description": { "type": "string", "description": "the description field", "nullable": true } }
            } } }
        })
    }

    #[test]
    fn drops_prose_but_keeps_property_names_and_facts() {
        let out = import(&sample()).unwrap();
        let text = to_canonical_string(&out);
        for prose in [
            "Gets a thing",
            "Does things",
            "The id",
            "Prose",
            "A thing",
            "the description field",
            "Long prose",
            "\"abc\"",
        ] {
            assert!(!text.contains(prose), "prose survived: {prose}");
        }
        let thing = &out["components"]["schemas"]["Thing"];
        assert_eq!(thing["properties"]["description"]["nullable"], json!(true));
        assert_eq!(thing["required"], json!(["description"]));
    }

    #[test]
    fn keeps_route_and_granted_scopes_and_defines_the_scheme() {
        let out = import(&sample()).unwrap();
        let op = &out["paths"]["/things/{id}"]["get"];
        assert_eq!(
            op["x-alto-scopes"]["route"],
            json!(["alto/route:get-things-id"])
        );
        assert_eq!(op["x-alto-scopes"]["granted"], json!(["alto/read:things"]));
        let scheme = &out["components"]["securitySchemes"]["appAuth"];
        assert_eq!(
            scheme["flows"]["clientCredentials"]["tokenUrl"],
            json!("https://api.alto.zoopladev.co.uk/token")
        );
        assert!(scheme["flows"]["clientCredentials"]["scopes"]
            .get("alto/read:things")
            .is_some());
    }

    #[test]
    fn output_is_canonical_and_deterministic() {
        let a = import_str(&sample().to_string()).unwrap();
        let b = import_str(&serde_json::to_string_pretty(&sample()).unwrap()).unwrap();
        assert_eq!(a, b);
        assert!(a.ends_with("}\n"));
    }

    #[test]
    fn rejects_documents_that_are_not_openapi_3_0() {
        assert!(matches!(import_str("not json"), Err(ImportError::Json(_))));
        assert!(matches!(
            import(&json!({"openapi": "2.0", "paths": {}})),
            Err(ImportError::Shape(_))
        ));
        assert!(matches!(
            import(&json!({"openapi": "3.0.1"})),
            Err(ImportError::Shape(_))
        ));
    }
}
