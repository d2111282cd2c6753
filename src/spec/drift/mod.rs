//! The semantic diff of two facts-only specs: every change located by a JSON pointer, traced
//! through `$ref`s to each operation it reaches (parameters, request body, each response),
//! classified for a client of the API by one rules table ([`rules::RULES`]), and marked with the
//! facade functions that call the operation.

pub mod report;
pub mod rules;
pub mod schema;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use rules::{Class, Rule};
use schema::{escape, Direction, Walker};

/// Operations of a spec, keyed `METHOD /path`.
pub fn operations(spec: &Value) -> Vec<(String, Value)> {
    let mut ops = Vec::new();
    for (path, item) in spec
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for method in super::import::METHODS {
            if let Some(op) = item.get(method) {
                ops.push((
                    format!("{} {path}", method.to_ascii_uppercase()),
                    op.clone(),
                ));
            }
        }
    }
    ops
}

/// What the report knows about the facade and the raw client's names.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// `METHOD /path` → the facade functions that call it.
    pub facade: BTreeMap<String, Vec<String>>,
    /// `METHOD /path` → the raw client's method name.
    pub names: BTreeMap<String, String>,
}

/// One classified change inside an operation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// The rule's id.
    pub rule: &'static str,
    /// The rule's class.
    pub class: Class,
    /// Where in the operation it is reached: `operation`, `parameters/query/MaxResults`,
    /// `requestBody`, `responses/200`, `scopes`.
    pub via: String,
    /// JSON pointer to the change (`#/components/schemas/ReferenceCheckDto/properties/tenantId`).
    pub location: String,
    /// What exactly changed (a property, enum values, old → new).
    pub detail: String,
}

/// How an operation differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Only in the old document.
    Removed,
    /// In both, with changes.
    Changed,
    /// Only in the new document.
    Added,
}

impl Status {
    /// `removed`, `changed` or `added`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Removed => "removed",
            Status::Changed => "changed",
            Status::Added => "added",
        }
    }
}

/// One operation's differences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationDiff {
    /// `METHOD /path`.
    pub operation: String,
    /// The raw client's method name, when known.
    pub operation_id: Option<String>,
    /// Added, removed or changed.
    pub status: Status,
    /// The facade functions that call it (empty: not used by the facade).
    pub used_by: Vec<String>,
    /// Its changes, sorted.
    pub changes: Vec<Change>,
}

impl OperationDiff {
    /// Breaking when any of its changes is.
    pub fn class(&self) -> Class {
        self.changes
            .iter()
            .map(|c| c.class)
            .min()
            .unwrap_or(Class::Compatible)
    }
}

/// A schema whose change reaches no operation (or one added or removed on its own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaDiff {
    /// Its name.
    pub schema: String,
    /// Added, removed or changed.
    pub status: Status,
}

/// The whole diff.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DriftReport {
    /// Operations with differences: removed, then changed, then added; by key within each.
    pub operations: Vec<OperationDiff>,
    /// Schemas that differ but that no reported operation change reaches.
    pub schemas: Vec<SchemaDiff>,
}

impl DriftReport {
    /// True when nothing changed.
    pub fn is_empty(&self) -> bool {
        self.operations.is_empty() && self.schemas.is_empty()
    }

    /// The operations with `status`.
    pub fn with_status(&self, status: Status) -> impl Iterator<Item = &OperationDiff> {
        self.operations.iter().filter(move |o| o.status == status)
    }

    /// Count of changes of `class`, over all operations.
    pub fn count(&self, class: Class) -> usize {
        self.operations
            .iter()
            .flat_map(|o| &o.changes)
            .filter(|c| c.class == class)
            .count()
    }
}

fn change(rule: Rule, via: &str, location: String, detail: String) -> Change {
    Change {
        rule: rule.id,
        class: rule.class,
        via: via.to_string(),
        location,
        detail,
    }
}

fn class_of(rule_id: &str) -> Class {
    rules::RULES
        .iter()
        .find(|r| r.id == rule_id)
        .map(|r| r.class)
        .unwrap_or(Class::Breaking)
}

fn op_pointer(key: &str) -> String {
    let (method, path) = key.split_once(' ').unwrap_or((key, ""));
    format!("#/paths/{}/{}", escape(path), method.to_ascii_lowercase())
}

/// Compares two facts-only specs.
pub fn drift(old: &Value, new: &Value, context: &Context) -> DriftReport {
    let old_ops: BTreeMap<_, _> = operations(old).into_iter().collect();
    let new_ops: BTreeMap<_, _> = operations(new).into_iter().collect();
    let keys: BTreeSet<&String> = old_ops.keys().chain(new_ops.keys()).collect();
    let mut report = DriftReport::default();
    for key in keys {
        let at = op_pointer(key);
        let (status, changes) = match (old_ops.get(key), new_ops.get(key)) {
            (Some(_), None) => (
                Status::Removed,
                vec![change(rules::API_REMOVED, "operation", at, String::new())],
            ),
            (None, Some(_)) => (
                Status::Added,
                vec![change(rules::API_ADDED, "operation", at, String::new())],
            ),
            (Some(o), Some(n)) => (Status::Changed, operation_changes(old, new, o, n, &at)),
            (None, None) => continue,
        };
        if changes.is_empty() {
            continue;
        }
        report.operations.push(OperationDiff {
            operation: key.clone(),
            operation_id: context.names.get(key).cloned(),
            status,
            used_by: context.facade.get(key).cloned().unwrap_or_default(),
            changes,
        });
    }
    report
        .operations
        .sort_by(|a, b| (a.status, &a.operation).cmp(&(b.status, &b.operation)));
    report.schemas = unreached_schemas(old, new, &report);
    report
}

fn operation_changes(
    old_doc: &Value,
    new_doc: &Value,
    old: &Value,
    new: &Value,
    at: &str,
) -> Vec<Change> {
    let mut out = Vec::new();
    parameters(old_doc, new_doc, old, new, at, &mut out);
    request_body(old_doc, new_doc, old, new, at, &mut out);
    responses(old_doc, new_doc, old, new, at, &mut out);
    scopes(old, new, at, &mut out);
    out.sort();
    out.dedup();
    out
}

fn walk_into(out: &mut Vec<Change>, via: &str, walker: Walker) {
    for f in walker.found {
        out.push(Change {
            rule: f.rule,
            class: class_of(f.rule),
            via: via.to_string(),
            location: f.location,
            detail: f.detail,
        });
    }
}

fn parameters(
    old_doc: &Value,
    new_doc: &Value,
    old: &Value,
    new: &Value,
    at: &str,
    out: &mut Vec<Change>,
) {
    let list = |v: &Value| -> BTreeMap<(String, String), (usize, Value)> {
        v.get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
            .filter_map(|(i, p)| {
                let key = (
                    p["in"].as_str()?.to_string(),
                    p["name"].as_str()?.to_string(),
                );
                Some((key, (i, p.clone())))
            })
            .collect()
    };
    let (op, np) = (list(old), list(new));
    for ((place, name), (i, o)) in &op {
        let via = format!("parameters/{place}/{name}");
        let old_at = format!("{at}/parameters/{i}");
        match np.get(&(place.clone(), name.clone())) {
            None => out.push(change(rules::PARAMETER_REMOVED, &via, old_at, name.clone())),
            Some((j, n)) => {
                let new_at = format!("{at}/parameters/{j}");
                match (o["required"] == true, n["required"] == true) {
                    (false, true) => out.push(change(
                        rules::PARAMETER_BECAME_REQUIRED,
                        &via,
                        new_at.clone(),
                        name.clone(),
                    )),
                    (true, false) => out.push(change(
                        rules::PARAMETER_BECAME_OPTIONAL,
                        &via,
                        new_at.clone(),
                        name.clone(),
                    )),
                    _ => {}
                }
                let mut w = Walker::new(old_doc, new_doc, Direction::Request);
                w.compare(
                    &o["schema"],
                    &n["schema"],
                    &format!("{old_at}/schema"),
                    &format!("{new_at}/schema"),
                );
                walk_into(out, &via, w);
            }
        }
    }
    for ((place, name), (j, n)) in &np {
        if op.contains_key(&(place.clone(), name.clone())) {
            continue;
        }
        let rule = if n["required"] == true {
            rules::REQUIRED_PARAMETER_ADDED
        } else {
            rules::OPTIONAL_PARAMETER_ADDED
        };
        out.push(change(
            rule,
            &format!("parameters/{place}/{name}"),
            format!("{at}/parameters/{j}"),
            name.clone(),
        ));
    }
}

fn media(v: &Value) -> BTreeMap<String, Value> {
    v.get("content")
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

fn request_body(
    old_doc: &Value,
    new_doc: &Value,
    old: &Value,
    new: &Value,
    at: &str,
    out: &mut Vec<Change>,
) {
    let via = "requestBody";
    let here = format!("{at}/requestBody");
    match (old.get("requestBody"), new.get("requestBody")) {
        (None, None) => {}
        (Some(_), None) => out.push(change(
            rules::REQUEST_BODY_REMOVED,
            via,
            here,
            String::new(),
        )),
        (None, Some(_)) => out.push(change(rules::REQUEST_BODY_ADDED, via, here, String::new())),
        (Some(o), Some(n)) => {
            if o["required"] != true && n["required"] == true {
                out.push(change(
                    rules::REQUEST_BODY_BECAME_REQUIRED,
                    via,
                    here.clone(),
                    String::new(),
                ));
            }
            let (om, nm) = (media(o), media(n));
            for (m, ov) in &om {
                let m_at = format!("{here}/content/{}", escape(m));
                match nm.get(m) {
                    None => out.push(change(
                        rules::REQUEST_MEDIA_TYPE_REMOVED,
                        via,
                        m_at,
                        m.clone(),
                    )),
                    Some(nv) => {
                        let mut w = Walker::new(old_doc, new_doc, Direction::Request);
                        w.compare(
                            &ov["schema"],
                            &nv["schema"],
                            &format!("{m_at}/schema"),
                            &format!("{m_at}/schema"),
                        );
                        walk_into(out, via, w);
                    }
                }
            }
            for m in nm.keys().filter(|m| !om.contains_key(*m)) {
                out.push(change(
                    rules::REQUEST_MEDIA_TYPE_ADDED,
                    via,
                    format!("{here}/content/{}", escape(m)),
                    m.clone(),
                ));
            }
        }
    }
}

fn responses(
    old_doc: &Value,
    new_doc: &Value,
    old: &Value,
    new: &Value,
    at: &str,
    out: &mut Vec<Change>,
) {
    let list = |v: &Value| {
        v.get("responses")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let (or, nr) = (list(old), list(new));
    for (status, o) in &or {
        let via = format!("responses/{status}");
        let here = format!("{at}/responses/{status}");
        let success = status.starts_with('2');
        let Some(n) = nr.get(status) else {
            let rule = if success {
                rules::SUCCESS_STATUS_REMOVED
            } else {
                rules::ERROR_STATUS_CHANGED
            };
            out.push(change(rule, &via, here, format!("-{status}")));
            continue;
        };
        let direction = if success {
            Direction::Response
        } else {
            Direction::ErrorResponse
        };
        let (om, nm) = (media(o), media(n));
        for (m, ov) in &om {
            let m_at = format!("{here}/content/{}", escape(m));
            match nm.get(m) {
                None => {
                    let rule = if success {
                        rules::RESPONSE_MEDIA_TYPE_REMOVED
                    } else {
                        rules::ERROR_BODY_CHANGED
                    };
                    out.push(change(rule, &via, m_at, m.clone()));
                }
                Some(nv) => {
                    let mut w = Walker::new(old_doc, new_doc, direction);
                    w.compare(
                        &ov["schema"],
                        &nv["schema"],
                        &format!("{m_at}/schema"),
                        &format!("{m_at}/schema"),
                    );
                    walk_into(out, &via, w);
                }
            }
        }
        for m in nm.keys().filter(|m| !om.contains_key(*m)) {
            let rule = if success {
                rules::RESPONSE_MEDIA_TYPE_ADDED
            } else {
                rules::ERROR_BODY_CHANGED
            };
            out.push(change(
                rule,
                &via,
                format!("{here}/content/{}", escape(m)),
                m.clone(),
            ));
        }
    }
    for status in nr.keys().filter(|s| !or.contains_key(*s)) {
        let rule = if status.starts_with('2') {
            rules::SUCCESS_STATUS_ADDED
        } else {
            rules::ERROR_STATUS_CHANGED
        };
        out.push(change(
            rule,
            &format!("responses/{status}"),
            format!("{at}/responses/{status}"),
            format!("+{status}"),
        ));
    }
}

fn scopes(old: &Value, new: &Value, at: &str, out: &mut Vec<Change>) {
    let all = |v: &Value| -> BTreeSet<String> {
        ["route", "granted"]
            .iter()
            .flat_map(|k| {
                v["x-alto-scopes"][k]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
            })
            .filter_map(|s| s.as_str().map(String::from))
            .collect()
    };
    let (o, n) = (all(old), all(new));
    let here = format!("{at}/x-alto-scopes");
    for s in n.difference(&o) {
        out.push(change(
            rules::SCOPE_ADDED,
            "scopes",
            here.clone(),
            s.clone(),
        ));
    }
    for s in o.difference(&n) {
        out.push(change(
            rules::SCOPE_REMOVED,
            "scopes",
            here.clone(),
            s.clone(),
        ));
    }
}

fn unreached_schemas(old: &Value, new: &Value, report: &DriftReport) -> Vec<SchemaDiff> {
    let schemas = |v: &Value| {
        v.pointer("/components/schemas")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let (os, ns) = (schemas(old), schemas(new));
    let reached: BTreeSet<&str> = report
        .operations
        .iter()
        .flat_map(|o| &o.changes)
        .filter_map(|c| c.location.strip_prefix("#/components/schemas/"))
        .map(|rest| rest.split('/').next().unwrap_or(rest))
        .collect();
    let names: BTreeSet<&String> = os.keys().chain(ns.keys()).collect();
    names
        .into_iter()
        .filter(|n| !reached.contains(escape(n).as_str()))
        .filter_map(|n| {
            let status = match (os.get(n), ns.get(n)) {
                (Some(_), None) => Status::Removed,
                (None, Some(_)) => Status::Added,
                (Some(a), Some(b)) if a != b => Status::Changed,
                _ => return None,
            };
            Some(SchemaDiff {
                schema: n.clone(),
                status,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
