//! Request validation from the spec: path and query parameters (required, type, enum) and
//! JSON bodies (the operation's request schema), before the handler runs.
//!
//! Only what the spec states is refused, and leniently where ASP.NET binds leniently (query
//! names and enum values in any case, a `date-time` without its offset). A refusal is an
//! [`ApiError`] naming the field, rendered as the operation's declared 400.

use axum::body::Body;
use axum::extract::Request;
use http_body_util::BodyExt as _;
use serde_json::Value;

use super::schema::{problems, Side};
use super::spec::{Operation, Parameter, Spec};
use crate::problem::ApiError;

/// Checks `request` against `op`; hands the request back (its body re-made) or the refusal.
pub(crate) async fn check(op: &Operation, request: Request) -> Result<Request, ApiError> {
    let mut refusal = Refusal::default();
    let path = request.uri().path().to_string();
    let query = request.uri().query().unwrap_or_default().to_string();
    check_path(op, &path, &mut refusal);
    check_query(op, &query, &mut refusal);
    let media = request
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        });
    let (parts, body) = request.into_parts();
    let bytes = body
        .collect()
        .await
        .map(|c| c.to_bytes())
        .unwrap_or_default();
    if let Some(media) = media.filter(|m| m.contains("json")) {
        check_body(op, &media, &bytes, &mut refusal);
    }
    refusal.finish()?;
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

#[derive(Default)]
struct Refusal {
    error: Option<ApiError>,
}

impl Refusal {
    fn add(&mut self, field: &str, message: String) {
        self.error = Some(match self.error.take() {
            None => ApiError::field(field, message),
            Some(e) => {
                let mut e = e.with_error(field, message.clone());
                e.detail = format!("{}; {message}", e.detail);
                e
            }
        });
    }

    fn finish(self) -> Result<(), ApiError> {
        self.error.map_or(Ok(()), Err)
    }
}

/// Follows a top-level `$ref` (and a one-element `allOf`) to the schema that says the type.
fn resolved(schema: &Value) -> &Value {
    let root = &Spec::get().root;
    let mut current = schema;
    for _ in 0..8 {
        if let Some(target) = current
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| root.pointer(r.trim_start_matches('#')))
        {
            current = target;
            continue;
        }
        match current.get("allOf").and_then(Value::as_array) {
            Some(all) if all.len() == 1 => current = &all[0],
            _ => break,
        }
    }
    current
}

/// A parameter's text as the JSON value its schema describes (left as text when it is not
/// one, so the schema check reports it).
fn typed(text: &str, schema: &Value) -> Value {
    let schema = resolved(schema);
    let kind = schema
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("string");
    match kind {
        "integer" => text
            .trim()
            .parse::<i64>()
            .map_or_else(|_| Value::String(text.into()), Value::from),
        "number" => text
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(|| Value::String(text.into()), Value::Number),
        "boolean" => match text.trim().to_ascii_lowercase().as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(text.into()),
        },
        _ => {
            // ASP.NET binds enum values in any case.
            let canonical = schema
                .get("enum")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .find(|v| v.eq_ignore_ascii_case(text.trim()));
            Value::String(canonical.unwrap_or(text).to_string())
        }
    }
}

fn check_parameter(p: &Parameter, value: Value, refusal: &mut Refusal) {
    if let Some(problem) = problems(&p.schema, &value, Side::Request)
        .into_iter()
        .next()
    {
        let problem = problem.trim_start_matches("$: ");
        refusal.add(
            &p.name,
            format!("{} {value} is not valid: {problem}", p.name),
        );
    }
}

fn check_path(op: &Operation, path: &str, refusal: &mut Refusal) {
    let template: Vec<&str> = op.path.split('/').collect();
    let actual: Vec<&str> = path.split('/').collect();
    if template.len() != actual.len() {
        return;
    }
    for (segment, text) in template.iter().zip(actual) {
        let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else {
            continue;
        };
        let Some(p) = op
            .parameters
            .iter()
            .find(|p| p.location == "path" && p.name == name)
        else {
            continue;
        };
        let text = percent_decode(text);
        check_parameter(p, typed(&text, &p.schema), refusal);
    }
}

fn check_query(op: &Operation, query: &str, refusal: &mut Refusal) {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    for p in op.parameters.iter().filter(|p| p.location == "query") {
        let values: Vec<&str> = pairs
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(&p.name))
            .map(|(_, v)| v.as_str())
            .collect();
        if values.is_empty() {
            if p.required {
                refusal.add(
                    &p.name,
                    format!("the query parameter {} is required", p.name),
                );
            }
            continue;
        }
        let schema = resolved(&p.schema);
        let value = if schema.get("type").and_then(Value::as_str) == Some("array") {
            let items = schema.get("items").cloned().unwrap_or_default();
            Value::Array(
                values
                    .iter()
                    .flat_map(|v| v.split(','))
                    .map(|v| typed(v, &items))
                    .collect(),
            )
        } else {
            typed(values[0], &p.schema)
        };
        check_parameter(p, value, refusal);
    }
}

fn check_body(op: &Operation, media: &str, body: &[u8], refusal: &mut Refusal) {
    if body.iter().all(u8::is_ascii_whitespace) {
        return;
    }
    let declared = op
        .request
        .iter()
        .find(|(m, _)| m.eq_ignore_ascii_case(media))
        .or_else(|| {
            // `application/*+json` and plain JSON flavours share the JSON schema.
            op.request.iter().find(|(m, _)| m == "application/json")
        })
        .or_else(|| op.request.iter().find(|(m, _)| m.contains("json")));
    let Some((_, Some(schema))) = declared else {
        return;
    };
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            refusal.add("$", format!("the body is not JSON: {e}"));
            return;
        }
    };
    for problem in problems(schema, &value, Side::Request) {
        let (at, message) = problem.split_once(": ").unwrap_or(("$", problem.as_str()));
        let mut field = field_name(at);
        // A missing property is named by the property, not by the object that lacks it.
        if let Some(name) = message
            .strip_suffix(" is a required property")
            .map(|n| n.trim_matches('"'))
        {
            field = match field.as_str() {
                "$" => name.to_string(),
                parent => format!("{parent}.{name}"),
            };
        }
        refusal.add(&field, message.to_string());
    }
}

/// A JSON pointer as ASP.NET names a field: `/owners/0/contactId` is `owners[0].contactId`,
/// `/0/op` is `[0].op`, the root is `$`.
fn field_name(pointer: &str) -> String {
    let mut out = String::new();
    for segment in pointer
        .trim_start_matches('$')
        .split('/')
        .filter(|s| !s.is_empty())
    {
        if segment.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{segment}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&segment.replace("~1", "/").replace("~0", "~"));
        }
    }
    if out.is_empty() {
        "$".into()
    } else {
        out
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use axum::http::Method;
    use serde_json::json;

    use super::*;

    fn op(method: Method, path: &str) -> &'static Operation {
        Spec::get()
            .operation(&method, path)
            .expect("a spec operation")
    }

    #[test]
    fn a_path_id_of_the_wrong_type_is_named() {
        let get = op(Method::GET, "/appointments/{appointmentId}/{instanceId}");
        let mut refusal = Refusal::default();
        check_path(get, "/appointments/abc/1", &mut refusal);
        let e = refusal.finish().expect_err("abc is no appointment id");
        assert!(e.errors.contains_key("appointmentId"), "{e:?}");
        let mut fine = Refusal::default();
        check_path(get, "/appointments/42/1", &mut fine);
        assert!(fine.finish().is_ok());
    }

    #[test]
    fn body_problems_name_the_field() {
        let create = op(Method::POST, "/contacts");
        let mut refusal = Refusal::default();
        check_body(
            create,
            "application/json",
            br#"{"people": "nope"}"#,
            &mut refusal,
        );
        let e = refusal.finish().expect_err("people is an array");
        assert!(e.errors.contains_key("people"), "{e:?}");
        assert!(e.errors.contains_key("branchId"), "{e:?}");
        let mut fine = Refusal::default();
        let body = json!({"branchId": "1", "people": [{"forename": "Jane", "surname": "Doe"}]});
        let body = body.to_string();
        check_body(create, "application/json", body.as_bytes(), &mut fine);
        let fine = fine.finish();
        assert!(fine.is_ok(), "{fine:?}");
    }

    #[test]
    fn query_names_and_enums_bind_in_any_case() {
        assert_eq!(percent_decode("a%20b"), "a b");
        assert_eq!(field_name("/owners/0/contactId"), "owners[0].contactId");
        assert_eq!(field_name("/0/op"), "[0].op");
        assert_eq!(field_name("$"), "$");
        assert_eq!(typed("42", &json!({"type": "integer"})), json!(42));
        assert_eq!(typed("x", &json!({"type": "integer"})), json!("x"));
        assert_eq!(
            typed("sale", &json!({"type": "string", "enum": ["Sale"]})),
            json!("Sale")
        );
    }
}
