//! Drift report: what changed between the vendored spec and a newly imported one.

use std::collections::BTreeSet;
use std::fmt;

use serde_json::Value;

/// One operation's change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// `METHOD /path`.
    pub operation: String,
    /// Which parts changed: `parameters`, `requestBody`, `responses`, `scopes`.
    pub parts: Vec<&'static str>,
    /// Whether the facade calls this operation.
    pub used_by_facade: bool,
}

/// Operations added, removed and changed, and schemas changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DriftReport {
    /// Operations only in the new spec.
    pub added: Vec<Change>,
    /// Operations only in the old spec.
    pub removed: Vec<Change>,
    /// Operations in both, with differences.
    pub changed: Vec<Change>,
    /// Schema names added, removed or changed.
    pub schemas_changed: Vec<String>,
}

impl DriftReport {
    /// True when nothing changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && self.schemas_changed.is_empty()
    }
}

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

/// Compares two facts-only specs. `used` lists the `METHOD /path` keys the facade calls.
pub fn drift(old: &Value, new: &Value, used: &BTreeSet<String>) -> DriftReport {
    let old_ops: std::collections::BTreeMap<_, _> = operations(old).into_iter().collect();
    let new_ops: std::collections::BTreeMap<_, _> = operations(new).into_iter().collect();
    let change = |op: &String, parts: Vec<&'static str>| Change {
        operation: op.clone(),
        parts,
        used_by_facade: used.contains(op),
    };
    let mut report = DriftReport::default();
    for (key, new_op) in &new_ops {
        match old_ops.get(key) {
            None => report.added.push(change(key, vec![])),
            Some(old_op) => {
                let parts: Vec<&'static str> = [
                    ("parameters", "parameters"),
                    ("requestBody", "requestBody"),
                    ("responses", "responses"),
                    ("x-alto-scopes", "scopes"),
                ]
                .into_iter()
                .filter(|(k, _)| old_op.get(*k) != new_op.get(*k))
                .map(|(_, name)| name)
                .collect();
                if !parts.is_empty() {
                    report.changed.push(change(key, parts));
                }
            }
        }
    }
    for key in old_ops.keys().filter(|k| !new_ops.contains_key(*k)) {
        report.removed.push(change(key, vec![]));
    }
    let schemas = |v: &Value| {
        v.pointer("/components/schemas")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let (old_s, new_s) = (schemas(old), schemas(new));
    let names: BTreeSet<&String> = old_s.keys().chain(new_s.keys()).collect();
    report.schemas_changed = names
        .into_iter()
        .filter(|n| old_s.get(*n) != new_s.get(*n))
        .cloned()
        .collect();
    report
}

impl fmt::Display for DriftReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return writeln!(
                f,
                "no drift: the new spec has the same operations and schemas"
            );
        }
        let mark = |c: &Change| {
            if c.used_by_facade {
                "  [used by facade]"
            } else {
                ""
            }
        };
        for (title, list) in [
            ("added", &self.added),
            ("removed", &self.removed),
            ("changed", &self.changed),
        ] {
            writeln!(f, "{title}: {}", list.len())?;
            for c in list {
                let parts = if c.parts.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", c.parts.join(", "))
                };
                writeln!(f, "  {}{parts}{}", c.operation, mark(c))?;
            }
        }
        writeln!(f, "schemas changed: {}", self.schemas_changed.len())?;
        for s in &self.schemas_changed {
            writeln!(f, "  {s}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reports_added_removed_changed_and_marks_facade_operations() {
        let old = json!({ "paths": {
            "/a": { "get": { "parameters": [] , "responses": {} } },
            "/b": { "post": { "responses": {} } } } });
        let new = json!({ "paths": {
            "/a": { "get": { "parameters": [{ "name": "x", "in": "query" }], "responses": {} } },
            "/c": { "get": { "responses": {} } } } });
        let used: BTreeSet<String> = ["GET /a".to_string()].into();
        let r = drift(&old, &new, &used);
        assert_eq!(r.added.len(), 1);
        assert_eq!(r.removed[0].operation, "POST /b");
        assert_eq!(r.changed[0].parts, vec!["parameters"]);
        assert!(r.changed[0].used_by_facade);
        assert!(r
            .to_string()
            .contains("GET /a (parameters)  [used by facade]"));
        assert!(drift(&new, &new, &used).is_empty());
    }
}
