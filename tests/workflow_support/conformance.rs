//! Checks a request against Zoopla's own Alto document (`../shared/alto-openapi/`): the
//! operation exists for the method and path, query parameters are declared (exact casing) and
//! typed right, headers the client adds are declared, and JSON body fields exist in the request
//! schema with the right types, required fields present.

use serde_json::Value;

/// Zoopla's document.
pub struct UpstreamSpec {
    doc: Value,
}

/// A request as sent.
pub struct SentRequest<'a> {
    /// Method, upper case.
    pub method: &'a str,
    /// Path without query.
    pub path: &'a str,
    /// Query pairs.
    pub query: Vec<(String, String)>,
    /// Header names the client set on purpose (e.g. `agencyref`).
    pub headers: Vec<String>,
    /// Content type, if a body was sent.
    pub content_type: Option<&'a str>,
    /// JSON body, if any.
    pub json: Option<Value>,
    /// Multipart field names, if a form was sent.
    pub form_fields: Vec<String>,
}

impl UpstreamSpec {
    /// Loads the document (`ALTO_UPSTREAM_SPEC`, or `../shared/alto-openapi/` beside the
    /// checkout); `None`, with a notice, when this machine does not have it.
    pub fn load() -> Option<Self> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let candidates = [
            std::env::var("ALTO_UPSTREAM_SPEC")
                .ok()
                .map(std::path::PathBuf::from),
            Some(root.join("../shared/alto-openapi/alto-api-openapi.json")),
            Some(root.join("../../shared/alto-openapi/alto-api-openapi.json")),
            // Where this workplace keeps it, for checkouts elsewhere (CI clones).
            Some(std::path::PathBuf::from(
                "/work/shared/alto-openapi/alto-api-openapi.json",
            )),
        ];
        for path in candidates.into_iter().flatten() {
            if let Ok(text) = std::fs::read_to_string(&path) {
                return Some(Self {
                    doc: serde_json::from_str(&text).expect("upstream spec is JSON"),
                });
            }
        }
        eprintln!(
            "skipping conformance: Zoopla's spec is not on this machine (set ALTO_UPSTREAM_SPEC)"
        );
        None
    }

    fn operation(&self, method: &str, path: &str) -> Result<(&str, &Value), String> {
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        let mut best: Option<(usize, &str, &Value)> = None;
        for (template, item) in self.doc["paths"].as_object().unwrap() {
            let t: Vec<&str> = template.trim_matches('/').split('/').collect();
            if t.len() != segments.len() {
                continue;
            }
            let mut literal = 0;
            let matches = t.iter().zip(&segments).all(|(t, s)| {
                if t.starts_with('{') {
                    !s.is_empty()
                } else {
                    literal += 1;
                    t == s
                }
            });
            if let (true, Some(op)) = (matches, item.get(method.to_ascii_lowercase())) {
                if best.is_none_or(|(l, _, _)| literal > l) {
                    best = Some((literal, template.as_str(), op));
                }
            }
        }
        best.map(|(_, t, op)| (t, op))
            .ok_or_else(|| format!("{method} {path}: no such operation in Zoopla's spec"))
    }

    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => self.resolve(
                self.doc
                    .pointer(&r[1..].replace("~1", "/"))
                    .unwrap_or(&Value::Null),
            ),
            None => match schema.get("allOf").and_then(Value::as_array) {
                Some(all) if all.len() == 1 => self.resolve(&all[0]),
                _ => schema,
            },
        }
    }

    /// Checks one request; the error says what does not conform.
    pub fn check(&self, req: &SentRequest<'_>) -> Result<(), String> {
        let (template, op) = self.operation(req.method, req.path)?;
        let at = format!("{} {template}", req.method);
        let params = op["parameters"].as_array().cloned().unwrap_or_default();
        let declared = |kind: &str, name: &str| {
            params.iter().find(|p| {
                p["in"] == kind
                    && p["name"]
                        .as_str()
                        .is_some_and(|n| n.eq_ignore_ascii_case(name))
                    && (kind == "header" || p["name"] == name)
            })
        };
        for (name, value) in &req.query {
            let p = declared("query", name)
                .ok_or_else(|| format!("{at}: query parameter {name:?} is not declared"))?;
            let schema = self.resolve(&p["schema"]);
            let item = if schema["type"] == "array" {
                self.resolve(&schema["items"])
            } else {
                schema
            };
            self.check_scalar(
                item,
                &Value::String(value.clone()),
                &format!("{at} query {name}"),
                true,
            )?;
        }
        for p in params
            .iter()
            .filter(|p| p["in"] == "query" && p["required"] == true)
        {
            let name = p["name"].as_str().unwrap();
            if !req.query.iter().any(|(k, _)| k == name) {
                return Err(format!("{at}: required query parameter {name:?} missing"));
            }
        }
        for name in &req.headers {
            declared("header", name)
                .ok_or_else(|| format!("{at}: header {name:?} is not declared"))?;
        }
        let content = &op["requestBody"]["content"];
        match (req.content_type, &req.json) {
            (Some(ct), Some(body)) => {
                let media = ct.split(';').next().unwrap().trim();
                let schema = content
                    .get(media)
                    .map(|m| &m["schema"])
                    .ok_or_else(|| format!("{at}: body media type {media} not accepted"))?;
                self.check_value(schema, body, &format!("{at} body"))?;
            }
            (Some(ct), None) if ct.starts_with("multipart/form-data") => {
                let media = &content["multipart/form-data"];
                let schema = self.resolve(&media["schema"]);
                for f in &req.form_fields {
                    if schema["properties"].get(f).is_none() && !self.exploded(media, schema, f) {
                        return Err(format!("{at}: form field {f:?} is not declared"));
                    }
                }
            }
            (None, None) if op["requestBody"]["required"] == true => {
                return Err(format!("{at}: body required"))
            }
            _ => {}
        }
        Ok(())
    }

    /// Whether `field` is a property of an object-typed form property encoded `style: form`
    /// (explode is the default): its properties travel as fields of their own. Upstream
    /// describes ASP.NET `[FromForm]` models that way (`request` of `POST /media-item` and
    /// `POST /inventory/{inventoryId}/media-link`), and ASP.NET binds the fields by name.
    fn exploded(&self, media: &Value, schema: &Value, field: &str) -> bool {
        let Some(properties) = schema["properties"].as_object() else {
            return false;
        };
        properties.iter().any(|(name, property)| {
            let encoding = &media["encoding"][name];
            encoding["style"] == "form"
                && encoding["explode"] != false
                && self.resolve(property)["properties"].get(field).is_some()
        })
    }

    fn check_value(&self, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
        let schema = self.resolve(schema);
        if value.is_null() {
            return if schema["nullable"] == true || schema.get("type").is_none() {
                Ok(())
            } else {
                Err(format!("{at}: null not allowed"))
            };
        }
        match schema["type"].as_str() {
            Some("object") | None if schema.get("properties").is_some() => {
                let obj = value
                    .as_object()
                    .ok_or_else(|| format!("{at}: expected an object, got {value}"))?;
                for (k, v) in obj {
                    let ps = schema["properties"]
                        .get(k)
                        .ok_or_else(|| format!("{at}: field {k:?} is not in the schema"))?;
                    self.check_value(ps, v, &format!("{at}.{k}"))?;
                }
                for r in schema["required"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                {
                    if !obj.contains_key(r) {
                        return Err(format!("{at}: required field {r:?} missing"));
                    }
                }
                Ok(())
            }
            Some("array") => {
                let items = value
                    .as_array()
                    .ok_or_else(|| format!("{at}: expected an array, got {value}"))?;
                items.iter().enumerate().try_for_each(|(i, v)| {
                    self.check_value(&schema["items"], v, &format!("{at}[{i}]"))
                })
            }
            _ => self.check_scalar(schema, value, at, false),
        }
    }

    fn check_scalar(
        &self,
        schema: &Value,
        value: &Value,
        at: &str,
        from_text: bool,
    ) -> Result<(), String> {
        let text = value
            .as_str()
            .map(String::from)
            .unwrap_or_else(|| value.to_string());
        let ok = match (schema["type"].as_str(), schema["format"].as_str()) {
            (Some("integer"), Some("int32")) => {
                if from_text {
                    text.parse::<i32>().is_ok()
                } else {
                    value.as_i64().is_some_and(|n| i32::try_from(n).is_ok())
                }
            }
            (Some("integer"), _) => {
                if from_text {
                    text.parse::<i64>().is_ok()
                } else {
                    value.is_i64()
                }
            }
            (Some("number"), _) => {
                if from_text {
                    text.parse::<f64>().is_ok()
                } else {
                    value.is_number()
                }
            }
            (Some("boolean"), _) => {
                if from_text {
                    text == "true" || text == "false"
                } else {
                    value.is_boolean()
                }
            }
            (Some("string"), Some("date-time")) => {
                value.is_string() && chrono::DateTime::parse_from_rfc3339(&text).is_ok()
            }
            (Some("string"), Some("uuid")) => {
                value.is_string() && uuid::Uuid::parse_str(&text).is_ok()
            }
            (Some("string"), _) => value.is_string(),
            _ => true,
        };
        if !ok {
            return Err(format!("{at}: {value} does not fit {schema}"));
        }
        if let Some(allowed) = schema["enum"].as_array() {
            if !allowed.iter().any(|a| a.as_str() == Some(text.as_str())) {
                return Err(format!("{at}: {text:?} is not one of {allowed:?}"));
            }
        }
        Ok(())
    }
}
