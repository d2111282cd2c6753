//! Normalizer: makes the vendored Alto spec acceptable to progenitor without losing meaning.
//!
//! What it does, and why (each rule has a unit test below):
//! - **Operation ids.** Alto has none; progenitor requires them. Every operation's id comes from
//!   the checked-in table `openapi/operation-names.json` (`create_contact`, `list_key_sets`); an
//!   operation missing from it (a new one in a Zoopla update) falls back to method + path
//!   (`get_contacts_contact_id_persons`).
//! - **Type names.** Schemas are renamed by the checked-in table `openapi/type-names.json`
//!   (`Alto.Contacts.Api.Models.Requests.PostContactRequest` → `PostContactRequest`) and every
//!   `$ref` follows (see `type_names.rs`).
//! - **`AgencyRef` header removed.** Upstream marks it required on nearly every operation, but the
//!   sandbox must not send it; the client hooks add it only when an agency is configured.
//! - **One media type per body and response.** Upstream lists `application/json`, `text/json`,
//!   `text/plain` and `application/*+json` for the same schema; one `application/json` remains.
//!   JSON Patch bodies (`application/json-patch+json`) are typed as JSON, and the real content type
//!   is kept as a fact (`x-alto-content-type`) that the hooks restore on the wire.
//! - **Multipart uploads** cannot be expressed by progenitor: the body becomes a raw byte body
//!   (`application/octet-stream`) with `x-alto-content-type: multipart/form-data`, and the facade
//!   encodes the form itself (see `openapi/README.md`).
//! - **Error bodies are kept as bytes.** Alto mixes several error body types (and none) in one
//!   operation, which progenitor refuses; every error response becomes a byte stream, which the
//!   facade parses (ProblemDetails, ErrorsResponse, plain text) into typed errors.
//! - **Success bodies**: a GET answer without a declared body is a download (bytes kept); when one
//!   operation's successes disagree (a typed 200 and an empty 204), they all become bytes.
//! - **Unknown fields tolerated**: upstream closes most objects (`additionalProperties: false`),
//!   which would make every new field Zoopla adds a decoding failure; the closure is dropped.
//! - **JSON Patch operations**: upstream describes a patch operation as `anyOf` one object per
//!   patchable path, each with that path as a `default`; generated as-is, every branch would be
//!   serialized at once. They become one object whose `path` is an enum of those paths.
//! - **Doc comments from facts**: each operation, parameter and schema gets a `description`
//!   stating what the spec says (method and path, scopes, constraints, statuses and their types,
//!   paging), which progenitor turns into the raw client's docs (see `docs.rs`).
//! - **Colliding parameters**: two query parameters that become the same Rust field (`image-size`
//!   and `imageSize`) are merged into the first; the alias is recorded in `x-alto-aliases`.
//!
//! This file depends only on `serde_json`, because `build.rs` includes it with `#[path]`.

use serde_json::{json, Map, Value};

/// The header Alto uses to name the agency in production.
pub const AGENCY_REF_HEADER: &str = "AgencyRef";

const HTTP_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
const JSON: &str = "application/json";
const JSON_PATCH: &str = "application/json-patch+json";
const MULTIPART: &str = "multipart/form-data";
const OCTET_STREAM: &str = "application/octet-stream";

/// Facts about one operation that the generated client keeps next to the generated code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationFacts {
    /// progenitor's operation id (snake case), also the raw client's method name.
    pub id: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// Path template, as in the spec.
    pub path: String,
    /// Per-route scopes (`alto/route:…`).
    pub route_scopes: Vec<String>,
    /// Scopes the integration must be granted (`alto/read:…`).
    pub granted_scopes: Vec<String>,
    /// Content type to put on the wire when it is not `application/json`.
    pub wire_content_type: Option<String>,
    /// The cursor parameter (`next-token`, `nextToken` or `NextToken`) of a paged operation.
    pub page_token_param: Option<String>,
    /// The page size parameter (`max-results`, `maxResults` or `MaxResults`) of a paged operation.
    pub page_size_param: Option<String>,
    /// Whether upstream declared an `AgencyRef` header on this operation.
    pub takes_agency_ref: bool,
}

/// The normalized document and the facts table, or why normalization failed.
pub struct Normalized {
    /// The document to hand to progenitor.
    pub spec: Value,
    /// One entry per operation, sorted by id.
    pub operations: Vec<OperationFacts>,
}

/// Normalizes a facts-only spec. `names` maps `"METHOD /path"` to an operation id;
/// `type_names` maps a schema name to its Rust type name.
pub fn normalize(spec: &Value, names: &Value, type_names: &Value) -> Result<Normalized, String> {
    let mut spec = spec.clone();
    let original_names = super::type_names::apply_type_names(&mut spec, type_names)?;
    let mut operations = Vec::new();
    let mut seen_ids = std::collections::BTreeMap::<String, String>::new();
    let paths = spec
        .get_mut("paths")
        .and_then(Value::as_object_mut)
        .ok_or("the spec has no `paths` object")?;
    for (path, item) in paths.iter_mut() {
        let item = item
            .as_object_mut()
            .ok_or_else(|| format!("path {path} is not an object"))?;
        let shared_params = item.remove("parameters");
        for method in HTTP_METHODS {
            let Some(op) = item.get_mut(method).and_then(Value::as_object_mut) else {
                continue;
            };
            let key = format!("{} {}", method.to_ascii_uppercase(), path);
            let id = match names.get(&key).and_then(Value::as_str) {
                Some(name) => name.to_string(),
                None => derive_operation_id(method, path),
            };
            if let Some(other) = seen_ids.insert(id.clone(), key.clone()) {
                return Err(format!(
                    "operation id {id} is used by both `{other}` and `{key}`"
                ));
            }
            op.insert("operationId".into(), Value::String(id.clone()));
            let mut params: Vec<Value> = shared_params
                .iter()
                .flat_map(|p| p.as_array().cloned().unwrap_or_default())
                .collect();
            params.extend(
                op.remove("parameters")
                    .and_then(|p| p.as_array().cloned())
                    .unwrap_or_default(),
            );
            let takes_agency_ref = params.iter().any(is_agency_ref);
            params.retain(|p| !is_agency_ref(p));
            let aliases = merge_colliding_params(&mut params);
            if !aliases.is_empty() {
                op.insert("x-alto-aliases".into(), json!(aliases));
            }
            let (page_token_param, page_size_param) = paging_params(&params);
            let (summary, description) = super::docs::operation_doc(&super::docs::OperationDoc {
                method: &method.to_ascii_uppercase(),
                path,
                op,
                params: &params,
                takes_agency_ref,
                paging: (page_token_param.as_deref(), page_size_param.as_deref()),
            });
            op.insert("summary".into(), Value::String(summary));
            op.insert("description".into(), Value::String(description));
            for p in params.iter_mut().filter_map(Value::as_object_mut) {
                let doc = super::docs::parameter_doc(&Value::Object(p.clone()));
                p.insert("description".into(), Value::String(doc));
            }
            op.insert("parameters".into(), Value::Array(params));
            let wire_content_type = normalize_body(op);
            normalize_responses(method, op).map_err(|e| format!("`{key}`: {e}"))?;
            let scopes = op.get("x-alto-scopes").cloned().unwrap_or(json!({}));
            let strings = |k: &str| -> Vec<String> {
                scopes[k]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(String::from)
                    .collect()
            };
            operations.push(OperationFacts {
                id,
                method: method.to_ascii_uppercase(),
                path: path.clone(),
                route_scopes: strings("route"),
                granted_scopes: strings("granted"),
                wire_content_type,
                page_token_param,
                page_size_param,
                takes_agency_ref,
            });
        }
    }
    if let Some(schemas) = spec
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for schema in schemas.values_mut() {
            collapse_patch_operation(schema);
        }
    }
    if let Some(schemas) = spec.pointer_mut("/components/schemas") {
        open_closed_objects(schemas);
    }
    super::docs::describe_schemas(&mut spec, &original_names);
    operations.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(Normalized { spec, operations })
}

/// `anyOf` of `{op, path (with a default), value}` objects → one object with `path` as an enum.
fn collapse_patch_operation(schema: &mut Value) {
    let Some(branches) = schema.get("anyOf").and_then(Value::as_array) else {
        return;
    };
    let mut ops = Vec::new();
    let mut paths = Vec::new();
    let mut values = Vec::new();
    for b in branches {
        let props = &b["properties"];
        let (Some(path), Some(op)) = (
            props["path"]["default"].as_str(),
            props["op"]["enum"].as_array(),
        ) else {
            return;
        };
        paths.push(Value::String(path.to_string()));
        for o in op {
            if !ops.contains(o) {
                ops.push(o.clone());
            }
        }
        let value = props.get("value").cloned().unwrap_or(json!({}));
        if !values.contains(&value) {
            values.push(value);
        }
    }
    let value = if values.len() == 1 {
        values.remove(0)
    } else {
        json!({})
    };
    *schema = json!({
        "type": "object",
        "required": ["op", "path"],
        "properties": {
            "op": { "type": "string", "enum": ops },
            "path": { "type": "string", "enum": paths },
            "value": value,
        }
    });
}

/// Removes `additionalProperties: false` everywhere, so unknown response fields are ignored.
fn open_closed_objects(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if map.get("additionalProperties") == Some(&Value::Bool(false)) {
                map.remove("additionalProperties");
            }
            map.values_mut().for_each(open_closed_objects);
        }
        Value::Array(items) => items.iter_mut().for_each(open_closed_objects),
        _ => {}
    }
}

/// `get /contacts/{contactId}/persons` → `get_contacts_contact_id_persons`.
pub fn derive_operation_id(method: &str, path: &str) -> String {
    let mut parts = vec![method.to_ascii_lowercase()];
    parts.extend(
        path.split('/')
            .filter(|s| !s.is_empty())
            .map(|s| snake_case(s.trim_matches(['{', '}']))),
    );
    parts.join("_")
}

/// `ReferenceChecks` → `reference_checks`, `tenantIds` → `tenant_ids`, `media-item` → `media_item`.
pub fn snake_case(s: &str) -> String {
    let mut out = String::new();
    let mut prev_lower_or_digit = false;
    for c in s.chars() {
        if c.is_ascii_uppercase() {
            if prev_lower_or_digit {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower_or_digit = false;
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
            prev_lower_or_digit = true;
        } else {
            if !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
            prev_lower_or_digit = false;
        }
    }
    out.trim_end_matches('_').to_string()
}

fn is_agency_ref(p: &Value) -> bool {
    p["in"] == "header"
        && p["name"]
            .as_str()
            .is_some_and(|n| n.eq_ignore_ascii_case(AGENCY_REF_HEADER))
}

/// Drops parameters whose Rust field name repeats an earlier one's; returns `[kept, dropped]` pairs.
fn merge_colliding_params(params: &mut Vec<Value>) -> Vec<[String; 2]> {
    let mut seen: Vec<(String, String)> = Vec::new();
    let mut aliases = Vec::new();
    params.retain(|p| {
        let name = p["name"].as_str().unwrap_or_default().to_string();
        let field = snake_case(&name);
        if let Some((_, kept)) = seen.iter().find(|(f, _)| *f == field) {
            aliases.push([kept.clone(), name]);
            false
        } else {
            seen.push((field, name));
            true
        }
    });
    aliases
}

fn paging_params(params: &[Value]) -> (Option<String>, Option<String>) {
    let find = |field: &str| {
        params
            .iter()
            .filter(|p| p["in"] == "query")
            .filter_map(|p| p["name"].as_str())
            .find(|n| snake_case(n) == field)
            .map(String::from)
    };
    (find("next_token"), find("max_results"))
}

/// Leaves one media type on the request body; returns the wire content type when it is not JSON.
fn normalize_body(op: &mut Map<String, Value>) -> Option<String> {
    let content = op
        .get_mut("requestBody")?
        .get_mut("content")?
        .as_object_mut()?;
    let (media, wire) = if content.contains_key(MULTIPART) {
        (OCTET_STREAM, Some(MULTIPART))
    } else if let Some(m) = pick_json(content) {
        (
            m,
            if m == JSON_PATCH {
                Some(JSON_PATCH)
            } else {
                None
            },
        )
    } else {
        return content
            .keys()
            .next()
            .map(|k| k.to_string())
            .filter(|k| k != JSON);
    };
    let schema = if media == OCTET_STREAM {
        json!({ "type": "string", "format": "binary" })
    } else {
        content[media].get("schema").cloned().unwrap_or(json!({}))
    };
    let target = if media == OCTET_STREAM {
        OCTET_STREAM
    } else {
        JSON
    };
    content.clear();
    content.insert(target.into(), json!({ "schema": schema }));
    if let Some(w) = wire {
        op.insert("x-alto-content-type".into(), Value::String(w.into()));
    }
    wire.map(String::from)
}

/// The JSON-ish media type to keep, in order of preference.
fn pick_json(content: &Map<String, Value>) -> Option<&'static str> {
    [
        JSON,
        "text/json",
        "application/*+json",
        JSON_PATCH,
        "text/plain",
    ]
    .into_iter()
    .find(|m| content.contains_key(*m))
}

fn normalize_responses(method: &str, op: &mut Map<String, Value>) -> Result<(), String> {
    let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
        return Ok(());
    };
    let bytes = || json!({ OCTET_STREAM: { "schema": { "type": "string", "format": "binary" } } });
    let mut success_kinds = std::collections::BTreeSet::new();
    for (status, resp) in responses.iter_mut() {
        let is_success = status.starts_with('2');
        let resp = resp
            .as_object_mut()
            .ok_or_else(|| format!("response {status} is not an object"))?;
        if !is_success {
            resp.insert("content".into(), bytes());
            continue;
        }
        let content = resp
            .get("content")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        match pick_json(&content) {
            Some(m) if content[m].get("schema").is_some() => {
                let schema = content[m]["schema"].clone();
                success_kinds.insert(schema.to_string());
                resp.insert("content".into(), json!({ JSON: { "schema": schema } }));
            }
            _ if method == "get" => {
                success_kinds.insert("bytes".into());
                resp.insert("content".into(), bytes());
            }
            _ => {
                success_kinds.insert("empty".into());
                resp.remove("content");
            }
        }
    }
    if success_kinds.len() > 1 {
        // Every response is an object by now (checked above).
        for resp in responses
            .iter_mut()
            .filter(|(s, _)| s.starts_with('2'))
            .filter_map(|(_, r)| r.as_object_mut())
        {
            resp.insert("content".into(), bytes());
        }
    }
    Ok(())
}

/// Renders the facts table as Rust source (`OPERATIONS`), included next to the generated client.
pub fn render_facts_table(ops: &[OperationFacts]) -> String {
    let opt = |v: &Option<String>| match v {
        Some(s) => format!("Some({s:?})"),
        None => "None".into(),
    };
    let list = |v: &[String]| {
        format!(
            "&[{}]",
            v.iter()
                .map(|s| format!("{s:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let mut out = String::from(
        "// Generated by build.rs from openapi/alto.json; do not edit.\n\
         /// One entry per Alto operation, sorted by operation id.\n\
         pub static OPERATIONS: &[OperationFacts] = &[\n",
    );
    for op in ops {
        out.push_str(&format!(
            "    OperationFacts {{ id: {:?}, method: {:?}, path: {:?}, route_scopes: {}, granted_scopes: {}, wire_content_type: {}, page_token_param: {}, page_size_param: {}, takes_agency_ref: {} }},\n",
            op.id,
            op.method,
            op.path,
            list(&op.route_scopes),
            list(&op.granted_scopes),
            opt(&op.wire_content_type),
            opt(&op.page_token_param),
            opt(&op.page_size_param),
            op.takes_agency_ref,
        ));
    }
    out.push_str("];\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec_with(path: &str, method: &str, op: Value) -> Value {
        json!({ "openapi": "3.0.4", "info": {"title": "t", "version": "1"}, "paths": { path: { method: op } } })
    }

    fn only_op(n: &Normalized, path: &str, method: &str) -> Value {
        n.spec["paths"][path][method].clone()
    }

    #[test]
    fn derives_readable_ids_and_honours_overrides() {
        assert_eq!(
            derive_operation_id("get", "/contacts/{contactId}/persons"),
            "get_contacts_contact_id_persons"
        );
        assert_eq!(
            derive_operation_id("patch", "/ReferenceChecks/{referenceCheckId}"),
            "patch_reference_checks_reference_check_id"
        );
        assert_eq!(
            derive_operation_id("get", "/tenancies/{tenancyId}/tenantIds"),
            "get_tenancies_tenancy_id_tenant_ids"
        );
        let spec = spec_with("/contacts", "post", json!({ "responses": {} }));
        let n = normalize(
            &spec,
            &json!({ "POST /contacts": "create_contact" }),
            &json!({}),
        )
        .unwrap();
        assert_eq!(
            only_op(&n, "/contacts", "post")["operationId"],
            "create_contact"
        );
        assert_eq!(n.operations[0].id, "create_contact");
    }

    #[test]
    fn duplicate_ids_are_an_error() {
        let spec = json!({ "openapi": "3.0.4", "paths": {
            "/a": { "get": { "responses": {} } }, "/b": { "get": { "responses": {} } } } });
        let err = normalize(
            &spec,
            &json!({ "GET /a": "same", "GET /b": "same" }),
            &json!({}),
        )
        .err()
        .unwrap();
        assert!(err.contains("same"), "{err}");
    }

    #[test]
    fn removes_agency_ref_header_and_records_it() {
        let spec = spec_with(
            "/x",
            "get",
            json!({ "parameters": [
            { "name": "AgencyRef", "in": "header", "required": true, "schema": {"type": "string"} },
            { "name": "ClientId", "in": "header", "schema": {"type": "string"} } ], "responses": {} }),
        );
        let n = normalize(&spec, &json!({}), &json!({})).unwrap();
        let params = only_op(&n, "/x", "get")["parameters"].clone();
        assert_eq!(params.as_array().unwrap().len(), 1);
        assert_eq!(params[0]["name"], "ClientId");
        assert!(n.operations[0].takes_agency_ref);
    }

    #[test]
    fn keeps_one_json_media_type_and_restores_json_patch_as_a_fact() {
        let schema = json!({ "$ref": "#/components/schemas/P" });
        let spec = spec_with(
            "/c/{id}",
            "patch",
            json!({
            "requestBody": { "content": { JSON_PATCH: { "schema": schema } } },
            "responses": { "200": { "description": "", "content": {
                "text/plain": { "schema": schema }, "application/json": { "schema": schema }, "text/json": { "schema": schema } } } } }),
        );
        let n = normalize(&spec, &json!({}), &json!({})).unwrap();
        let op = only_op(&n, "/c/{id}", "patch");
        assert_eq!(
            op["requestBody"]["content"],
            json!({ JSON: { "schema": schema } })
        );
        assert_eq!(
            op["responses"]["200"]["content"],
            json!({ JSON: { "schema": schema } })
        );
        assert_eq!(
            n.operations[0].wire_content_type.as_deref(),
            Some(JSON_PATCH)
        );
    }

    #[test]
    fn multipart_becomes_raw_bytes_with_the_real_type_kept() {
        let spec = spec_with(
            "/documents/post",
            "post",
            json!({
            "requestBody": { "content": { MULTIPART: { "schema": { "type": "object" } } } }, "responses": {} }),
        );
        let n = normalize(&spec, &json!({}), &json!({})).unwrap();
        let op = only_op(&n, "/documents/post", "post");
        assert_eq!(
            op["requestBody"]["content"][OCTET_STREAM]["schema"]["format"],
            "binary"
        );
        assert_eq!(
            n.operations[0].wire_content_type.as_deref(),
            Some(MULTIPART)
        );
    }

    #[test]
    fn error_bodies_of_mixed_kinds_become_one_byte_stream() {
        let spec = spec_with(
            "/o/{id}",
            "get",
            json!({ "responses": {
            "200": { "description": "", "content": { JSON: { "schema": { "$ref": "#/components/schemas/Offer" } } } },
            "404": { "description": "", "content": { JSON: { "schema": { "$ref": "#/components/schemas/Offer" } } } },
            "400": { "description": "", "content": { JSON: { "schema": { "$ref": "#/components/schemas/ProblemDetails" } } } },
            "500": { "description": "" } } }),
        );
        let n = normalize(&spec, &json!({}), &json!({})).unwrap();
        let op = only_op(&n, "/o/{id}", "get");
        for status in ["400", "404", "500"] {
            assert_eq!(
                op["responses"][status]["content"][OCTET_STREAM]["schema"]["format"], "binary",
                "{status}"
            );
        }
        assert!(op["responses"]["200"]["content"].get(JSON).is_some());
    }

    #[test]
    fn mixed_success_kinds_become_bytes_and_bodyless_get_is_a_download() {
        let spec = spec_with(
            "/d/{id}/content",
            "get",
            json!({ "responses": { "200": { "description": "" } } }),
        );
        let n = normalize(&spec, &json!({}), &json!({})).unwrap();
        assert!(
            only_op(&n, "/d/{id}/content", "get")["responses"]["200"]["content"]
                .get(OCTET_STREAM)
                .is_some()
        );

        let spec = spec_with(
            "/p",
            "post",
            json!({ "responses": {
            "200": { "description": "", "content": { JSON: { "schema": { "type": "integer" } } } },
            "204": { "description": "" } } }),
        );
        let n = normalize(&spec, &json!({}), &json!({})).unwrap();
        let op = only_op(&n, "/p", "post");
        assert!(op["responses"]["200"]["content"]
            .get(OCTET_STREAM)
            .is_some());
        assert!(op["responses"]["204"]["content"]
            .get(OCTET_STREAM)
            .is_some());
    }

    #[test]
    fn closed_objects_are_opened_so_new_fields_do_not_break_decoding() {
        let spec = json!({ "openapi": "3.0.4", "paths": {}, "components": { "schemas": {
            "A": { "type": "object", "additionalProperties": false, "properties": {
                "b": { "type": "object", "additionalProperties": false } } },
            "M": { "type": "object", "additionalProperties": { "type": "string" } } } } });
        let n = normalize(&spec, &json!({}), &json!({})).unwrap();
        let text = n.spec.to_string();
        assert!(!text.contains("\"additionalProperties\":false"), "{text}");
        assert_eq!(
            n.spec["components"]["schemas"]["M"]["additionalProperties"]["type"],
            "string"
        );
    }

    #[test]
    fn json_patch_operations_become_one_object_with_a_path_enum() {
        let branch = |path: &str| {
            json!({ "type": "object", "properties": {
            "op": { "type": "string", "enum": ["replace"] },
            "path": { "type": "string", "default": path },
            "value": { "type": "string" } } })
        };
        let spec = json!({ "openapi": "3.0.4", "paths": {}, "components": { "schemas": {
            "Op": { "anyOf": [branch("/Active"), branch("/PositionId")] },
            "Other": { "anyOf": [{ "type": "string" }, { "type": "integer" }] } } } });
        let n = normalize(&spec, &json!({}), &json!({})).unwrap();
        let op = &n.spec["components"]["schemas"]["Op"];
        assert_eq!(
            op["properties"]["path"]["enum"],
            json!(["/Active", "/PositionId"])
        );
        assert_eq!(op["properties"]["op"]["enum"], json!(["replace"]));
        assert_eq!(op["properties"]["value"], json!({ "type": "string" }));
        assert!(
            n.spec["components"]["schemas"]["Other"]
                .get("anyOf")
                .is_some(),
            "other unions untouched"
        );
    }

    #[test]
    fn colliding_query_parameters_are_merged() {
        let spec = spec_with(
            "/img",
            "get",
            json!({ "parameters": [
            { "name": "image-size", "in": "query", "schema": {"type": "string"} },
            { "name": "imageSize", "in": "query", "schema": {"type": "string"} } ], "responses": {} }),
        );
        let n = normalize(&spec, &json!({}), &json!({})).unwrap();
        let op = only_op(&n, "/img", "get");
        assert_eq!(op["parameters"].as_array().unwrap().len(), 1);
        assert_eq!(op["x-alto-aliases"], json!([["image-size", "imageSize"]]));
    }

    #[test]
    fn finds_paging_parameters_in_every_casing() {
        for (token, size) in [
            ("next-token", "max-results"),
            ("nextToken", "maxResults"),
            ("NextToken", "MaxResults"),
        ] {
            let spec = spec_with(
                "/l",
                "get",
                json!({ "parameters": [
                { "name": token, "in": "query", "schema": {"type": "string"} },
                { "name": size, "in": "query", "schema": {"type": "integer"} } ], "responses": {} }),
            );
            let n = normalize(&spec, &json!({}), &json!({})).unwrap();
            assert_eq!(n.operations[0].page_token_param.as_deref(), Some(token));
            assert_eq!(n.operations[0].page_size_param.as_deref(), Some(size));
        }
    }
}
