//! Compares two schemas, following `$ref`s on both sides, and records each difference at the
//! JSON pointer where it is (in the new document; in the old one for what was removed).

use std::collections::BTreeSet;

use serde_json::Value;

use super::rules::{self, Rule};

const SCHEMA_REF: &str = "#/components/schemas/";

/// Which way the value travels, which decides a change's class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// The client sends it (parameters, request bodies).
    Request,
    /// The client decodes it (success answers).
    Response,
    /// An error answer, kept as bytes by the normalizer.
    ErrorResponse,
}

/// One difference found inside a schema.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Found {
    /// JSON pointer (`#/components/schemas/ReferenceCheckDto/properties/tenantId`).
    pub location: String,
    /// The rule it falls under.
    pub rule: &'static str,
    /// What exactly: the property, the values, old → new.
    pub detail: String,
}

/// Walks two schemas side by side. `seen` stops cycles and repeats: a pair of components is
/// compared once per operation part.
pub struct Walker<'a> {
    /// The old document.
    pub old_doc: &'a Value,
    /// The new document.
    pub new_doc: &'a Value,
    /// Which way values travel.
    pub direction: Direction,
    /// Differences found so far.
    pub found: Vec<Found>,
    seen: BTreeSet<(String, String)>,
}

/// RFC 6901 escaping of one pointer segment.
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

fn ref_of(v: &Value) -> Option<&str> {
    v.get("$ref")?.as_str()
}

fn resolve<'d>(doc: &'d Value, reference: &str) -> Option<&'d Value> {
    let name = reference.strip_prefix(SCHEMA_REF)?;
    doc.pointer("/components/schemas")?.get(name)
}

fn words(v: &Value) -> String {
    match v.get("format").and_then(Value::as_str) {
        Some(f) => format!("{} ({f})", v["type"].as_str().unwrap_or("any")),
        None => v["type"].as_str().unwrap_or("any").to_string(),
    }
}

fn set_of(v: &Value, key: &str) -> BTreeSet<String> {
    v.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|x| {
            x.as_str()
                .map(String::from)
                .unwrap_or_else(|| x.to_string())
        })
        .collect()
}

impl<'a> Walker<'a> {
    /// A walker for one operation part.
    pub fn new(old_doc: &'a Value, new_doc: &'a Value, direction: Direction) -> Self {
        Walker {
            old_doc,
            new_doc,
            direction,
            found: Vec::new(),
            seen: BTreeSet::new(),
        }
    }

    fn push(&mut self, location: &str, rule: Rule, detail: String) {
        let rule = if self.direction == Direction::ErrorResponse {
            rules::ERROR_BODY_CHANGED
        } else {
            rule
        };
        self.found.push(Found {
            location: location.to_string(),
            rule: rule.id,
            detail,
        });
    }

    fn pick(&self, request: Rule, response: Rule) -> Rule {
        match self.direction {
            Direction::Request => request,
            _ => response,
        }
    }

    /// Compares `old` (at `old_at` in the old document) with `new` (at `new_at`).
    pub fn compare(&mut self, old: &Value, new: &Value, old_at: &str, new_at: &str) {
        let (mut old, mut new) = (old, new);
        let (mut old_at, mut new_at) = (old_at.to_string(), new_at.to_string());
        if ref_of(old).is_some() || ref_of(new).is_some() {
            let key = (
                ref_of(old).unwrap_or(&old_at).to_string(),
                ref_of(new).unwrap_or(&new_at).to_string(),
            );
            if !self.seen.insert(key) {
                return;
            }
        }
        if let Some(r) = ref_of(old) {
            match resolve(self.old_doc, r) {
                Some(v) => {
                    old = v;
                    old_at = r.to_string();
                }
                None => return,
            }
        }
        if let Some(r) = ref_of(new) {
            match resolve(self.new_doc, r) {
                Some(v) => {
                    new = v;
                    new_at = r.to_string();
                }
                None => return,
            }
        }
        // No shortcut on `old == new`: two equal schemas may still name components that differ.
        let at = new_at.as_str();
        if old.get("type") != new.get("type") || old.get("format") != new.get("format") {
            let rule = self.pick(rules::REQUEST_TYPE_CHANGED, rules::RESPONSE_TYPE_CHANGED);
            self.push(at, rule, format!("{} → {}", words(old), words(new)));
            return;
        }
        for key in ["anyOf", "oneOf", "allOf"] {
            match (
                old.get(key).and_then(Value::as_array),
                new.get(key).and_then(Value::as_array),
            ) {
                (None, None) => {}
                // Branch by branch: `allOf: [{$ref}]` wraps most of Zoopla's properties.
                (Some(o), Some(n)) if o.len() == n.len() => {
                    for (i, (ob, nb)) in o.iter().zip(n).enumerate() {
                        self.compare(
                            ob,
                            nb,
                            &format!("{old_at}/{key}/{i}"),
                            &format!("{at}/{key}/{i}"),
                        );
                    }
                }
                _ => self.push(at, rules::SHAPE_CHANGED, key.to_string()),
            }
        }
        self.compare_nullable(old, new, at);
        self.compare_enum(old, new, at);
        self.compare_limits(old, new, at);
        self.compare_properties(old, new, &old_at, at);
        if let (Some(o), Some(n)) = (old.get("items"), new.get("items")) {
            self.compare(o, n, &format!("{old_at}/items"), &format!("{at}/items"));
        }
    }

    fn compare_nullable(&mut self, old: &Value, new: &Value, at: &str) {
        let (o, n) = (old["nullable"] == true, new["nullable"] == true);
        if o == n {
            return;
        }
        let rule = match (n, self.direction) {
            (true, Direction::Request) => rules::REQUEST_BECAME_NULLABLE,
            (false, Direction::Request) => rules::REQUEST_BECAME_NOT_NULLABLE,
            (true, _) => rules::RESPONSE_BECAME_NULLABLE,
            (false, _) => rules::RESPONSE_BECAME_NOT_NULLABLE,
        };
        self.push(at, rule, format!("nullable {o} → {n}"));
    }

    fn compare_enum(&mut self, old: &Value, new: &Value, at: &str) {
        let (o, n) = (set_of(old, "enum"), set_of(new, "enum"));
        if o == n || (o.is_empty() && n.is_empty()) {
            return;
        }
        if o.is_empty() || n.is_empty() {
            // An enum appearing restricts a sent value; one disappearing widens a received one.
            let rule = match (n.is_empty(), self.direction) {
                (false, Direction::Request) => rules::REQUEST_ENUM_VALUE_REMOVED,
                (true, Direction::Request) => rules::REQUEST_ENUM_VALUE_ADDED,
                (false, _) => rules::RESPONSE_ENUM_VALUE_REMOVED,
                (true, _) => rules::RESPONSE_ENUM_VALUE_ADDED,
            };
            self.push(at, rule, format!("enum {} → {}", o.len(), n.len()));
            return;
        }
        let added: Vec<&String> = n.difference(&o).collect();
        let removed: Vec<&String> = o.difference(&n).collect();
        if !added.is_empty() {
            let rule = self.pick(
                rules::REQUEST_ENUM_VALUE_ADDED,
                rules::RESPONSE_ENUM_VALUE_ADDED,
            );
            self.push(at, rule, join("+", &added));
        }
        if !removed.is_empty() {
            let rule = self.pick(
                rules::REQUEST_ENUM_VALUE_REMOVED,
                rules::RESPONSE_ENUM_VALUE_REMOVED,
            );
            self.push(at, rule, join("-", &removed));
        }
    }

    fn compare_limits(&mut self, old: &Value, new: &Value, at: &str) {
        // For each limit: does a larger new value tighten it (a minimum) or loosen it (a maximum)?
        for (key, larger_is_tighter) in [
            ("minimum", true),
            ("maximum", false),
            ("minLength", true),
            ("maxLength", false),
            ("minItems", true),
            ("maxItems", false),
            ("pattern", true),
        ] {
            let (o, n) = (old.get(key), new.get(key));
            if o == n {
                continue;
            }
            let tighter = match (o.and_then(Value::as_f64), n.and_then(Value::as_f64)) {
                (Some(o), Some(n)) => (n > o) == larger_is_tighter,
                _ => n.is_some(), // a limit (or a pattern) appearing tightens; one vanishing loosens
            };
            let rule = match (self.direction, tighter) {
                (Direction::Request, true) => rules::REQUEST_CONSTRAINT_TIGHTENED,
                (Direction::Request, false) => rules::REQUEST_CONSTRAINT_LOOSENED,
                _ => rules::RESPONSE_CONSTRAINT_CHANGED,
            };
            let show = |v: Option<&Value>| v.map(Value::to_string).unwrap_or_else(|| "none".into());
            self.push(at, rule, format!("{key} {} → {}", show(o), show(n)));
        }
    }

    fn compare_properties(&mut self, old: &Value, new: &Value, old_at: &str, at: &str) {
        let props = |v: &Value| {
            v.get("properties")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default()
        };
        let (op, np) = (props(old), props(new));
        let (oreq, nreq) = (set_of(old, "required"), set_of(new, "required"));
        let request = self.direction == Direction::Request;
        for (name, o) in &op {
            let old_here = format!("{old_at}/properties/{}", escape(name));
            let new_here = format!("{at}/properties/{}", escape(name));
            match np.get(name) {
                None => {
                    let rule = self.pick(
                        rules::REQUEST_PROPERTY_REMOVED,
                        rules::RESPONSE_PROPERTY_REMOVED,
                    );
                    self.push(&old_here, rule, name.clone());
                }
                Some(n) => {
                    match (oreq.contains(name), nreq.contains(name)) {
                        (false, true) => {
                            let rule = self.pick(
                                rules::REQUEST_PROPERTY_BECAME_REQUIRED,
                                rules::RESPONSE_PROPERTY_BECAME_REQUIRED,
                            );
                            self.push(&new_here, rule, name.clone());
                        }
                        (true, false) => {
                            let rule = self.pick(
                                rules::REQUEST_PROPERTY_BECAME_OPTIONAL,
                                rules::RESPONSE_PROPERTY_BECAME_OPTIONAL,
                            );
                            self.push(&new_here, rule, name.clone());
                        }
                        _ => {}
                    }
                    self.compare(o, n, &old_here, &new_here);
                }
            }
        }
        for name in np.keys().filter(|n| !op.contains_key(*n)) {
            let here = format!("{at}/properties/{}", escape(name));
            let rule = match (request, nreq.contains(name)) {
                (true, true) => rules::REQUEST_REQUIRED_PROPERTY_ADDED,
                (true, false) => rules::REQUEST_OPTIONAL_PROPERTY_ADDED,
                (false, _) => rules::RESPONSE_PROPERTY_ADDED,
            };
            self.push(&here, rule, name.clone());
        }
    }
}

fn join(sign: &str, values: &[&String]) -> String {
    values
        .iter()
        .map(|v| format!("{sign}{v}"))
        .collect::<Vec<_>>()
        .join(" ")
}
