//! The vendored spec, loaded once and indexed by method and path template.
//!
//! The router may name a path parameter differently from the spec (`/inventory/{inventoryId}`
//! serves the spec's `/inventory/{propertyId}/...` too), so templates are compared with every
//! `{name}` written as `{}`.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use axum::http::Method;
use serde_json::Value;

/// One declared answer of an operation: its media types, each with its schema (if any).
#[derive(Debug, Clone, Default)]
pub(crate) struct Declared {
    /// `(media type, schema)` in the spec's order; empty when the status declares no body.
    pub media: Vec<(String, Option<Value>)>,
}

impl Declared {
    /// The media type answers use: `application/json` when declared, else the first one.
    pub fn preferred(&self) -> Option<&(String, Option<Value>)> {
        self.media
            .iter()
            .find(|(m, _)| m == "application/json")
            .or_else(|| self.media.first())
    }

    /// The schema declared for `media` (or, for a JSON flavour not declared by name, the
    /// preferred one's).
    pub fn schema_for(&self, media: &str) -> Option<&Value> {
        self.media
            .iter()
            .find(|(m, _)| m.eq_ignore_ascii_case(media))
            .or_else(|| self.preferred())
            .and_then(|(_, s)| s.as_ref())
    }

    /// The last segment of the preferred schema's `$ref` (e.g. `ErrorsResponse`), if any.
    pub fn schema_name(&self) -> Option<&str> {
        let schema = self.preferred()?.1.as_ref()?;
        schema.get("$ref")?.as_str()?.rsplit('/').next()
    }
}

/// One declared parameter (path or query; headers are the gateway's business).
#[derive(Debug, Clone)]
pub(crate) struct Parameter {
    /// Its name as the spec spells it.
    pub name: String,
    /// `path` or `query`.
    pub location: String,
    /// Whether the spec marks it required.
    pub required: bool,
    /// Its schema.
    pub schema: Value,
}

/// One operation of the spec.
#[derive(Debug, Clone)]
pub(crate) struct Operation {
    /// `METHOD /path` as in the spec, e.g. `GET /contacts/{contactId}`.
    pub key: String,
    /// The path template as in the spec.
    pub path: String,
    /// Declared answers by status.
    pub responses: BTreeMap<u16, Declared>,
    /// Path and query parameters.
    pub parameters: Vec<Parameter>,
    /// Request body media types and schemas; empty when the operation takes no body.
    pub request: Vec<(String, Option<Value>)>,
}

impl Operation {
    /// Whether `status` is declared.
    pub fn declares(&self, status: u16) -> bool {
        self.responses.contains_key(&status)
    }
}

/// The indexed spec.
#[derive(Debug)]
pub(crate) struct Spec {
    /// The whole document (for `$ref` resolution).
    pub root: Value,
    operations: HashMap<(Method, String), Operation>,
}

/// Writes every `{name}` of a path template as `{}`.
pub(crate) fn normalise(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut in_param = false;
    for c in template.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}

impl Spec {
    /// The vendored spec, parsed and indexed on first use.
    pub fn get() -> &'static Spec {
        static SPEC: OnceLock<Spec> = OnceLock::new();
        SPEC.get_or_init(|| {
            let root: Value =
                serde_json::from_str(alto::spec::VENDORED_SPEC).expect("the vendored spec is JSON");
            Spec::index(root)
        })
    }

    fn index(root: Value) -> Spec {
        let mut operations = HashMap::new();
        let paths = root.get("paths").and_then(Value::as_object);
        for (path, item) in paths.into_iter().flatten() {
            let shared = item.get("parameters").and_then(Value::as_array);
            for (method, op) in item.as_object().into_iter().flatten() {
                let Ok(method) = method.to_ascii_uppercase().parse::<Method>() else {
                    continue;
                };
                if !op.is_object() || method == Method::OPTIONS {
                    continue;
                }
                let params = shared
                    .into_iter()
                    .flatten()
                    .chain(
                        op.get("parameters")
                            .and_then(Value::as_array)
                            .into_iter()
                            .flatten(),
                    )
                    .filter_map(|p| parameter(&root, p))
                    .collect();
                let responses = op
                    .get("responses")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .filter_map(|(status, r)| Some((status.parse().ok()?, declared(r))))
                    .collect();
                let request = op
                    .get("requestBody")
                    .map(|b| media(resolve(&root, b)))
                    .unwrap_or_default();
                let operation = Operation {
                    key: format!("{method} {path}"),
                    path: path.clone(),
                    responses,
                    parameters: params,
                    request,
                };
                operations.insert((method, normalise(path)), operation);
            }
        }
        Spec { root, operations }
    }

    /// The operation `method` on the router's template `path` (parameter names may differ).
    pub fn operation(&self, method: &Method, path: &str) -> Option<&Operation> {
        self.operations.get(&(method.clone(), normalise(path)))
    }

    /// Every operation, in no particular order.
    #[cfg(test)]
    pub fn operations(&self) -> impl Iterator<Item = &Operation> {
        self.operations.values()
    }
}

/// Follows a `$ref` to an object of the document (parameters and bodies may be references).
fn resolve<'a>(root: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(pointer) => root
            .pointer(pointer.trim_start_matches('#'))
            .unwrap_or(value),
        None => value,
    }
}

fn parameter(root: &Value, p: &Value) -> Option<Parameter> {
    let p = resolve(root, p);
    let location = p.get("in")?.as_str()?;
    if location != "path" && location != "query" {
        return None;
    }
    Some(Parameter {
        name: p.get("name")?.as_str()?.to_string(),
        location: location.to_string(),
        required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
        schema: p
            .get("schema")
            .cloned()
            .unwrap_or(Value::Object(Default::default())),
    })
}

fn media(body: &Value) -> Vec<(String, Option<Value>)> {
    body.get("content")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(m, v)| (m.clone(), v.get("schema").cloned()))
        .collect()
}

fn declared(response: &Value) -> Declared {
    Declared {
        media: media(response),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_compare_without_parameter_names() {
        assert_eq!(
            normalise("/inventory/{inventoryId}/owner"),
            "/inventory/{}/owner"
        );
        assert_eq!(normalise("/a/{x}/{y}"), normalise("/a/{p}/{q}"));
    }

    #[test]
    fn router_templates_find_spec_operations() {
        let spec = Spec::get();
        let op = spec
            .operation(&Method::GET, "/inventory/{inventoryId}/file-notes")
            .expect("the spec's /inventory/{propertyId}/file-notes");
        assert_eq!(op.key, "GET /inventory/{propertyId}/file-notes");
        assert!(spec.operation(&Method::GET, "/nowhere").is_none());
        assert!(spec.operations().count() > 100);
    }

    #[test]
    fn declared_answers_name_their_schema() {
        let op = Spec::get()
            .operation(&Method::POST, "/contacts")
            .expect("POST /contacts");
        assert!(op.declares(409));
        assert!(op.responses[&400].schema_name().is_some());
    }
}
