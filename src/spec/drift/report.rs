//! The drift report as text (one line per operation, one per change under it) and as JSON for CI.

use std::fmt;

use serde_json::{json, Value};

use super::rules::Class;
use super::{DriftReport, OperationDiff, Status};

fn class_word(class: Class) -> &'static str {
    match class {
        Class::Breaking => "BREAKING",
        Class::Compatible => "compatible",
    }
}

impl OperationDiff {
    fn headline(&self) -> String {
        let id = self
            .operation_id
            .as_deref()
            .map(|id| format!(" ({id})"))
            .unwrap_or_default();
        let used = if self.used_by.is_empty() {
            String::new()
        } else {
            format!("  used by the facade: {}", self.used_by.join(", "))
        };
        format!(
            "{:<8} {}{id}  {}{used}",
            self.status.as_str(),
            self.operation,
            class_word(self.class())
        )
    }
}

impl fmt::Display for DriftReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return writeln!(
                f,
                "no drift: the two documents have the same operations and schemas"
            );
        }
        let count = |s: Status| self.with_status(s).count();
        let facade = self
            .operations
            .iter()
            .filter(|o| !o.used_by.is_empty())
            .count();
        writeln!(
            f,
            "operations: {} removed, {} changed, {} added ({facade} used by the facade); changes: {} breaking, {} compatible",
            count(Status::Removed),
            count(Status::Changed),
            count(Status::Added),
            self.count(Class::Breaking),
            self.count(Class::Compatible),
        )?;
        for op in &self.operations {
            writeln!(f, "{}", op.headline())?;
            for c in &op.changes {
                let detail = if c.detail.is_empty() {
                    String::new()
                } else {
                    format!("  ({})", c.detail)
                };
                writeln!(
                    f,
                    "  {:<10} {}  {}  {}{detail}",
                    class_word(c.class),
                    c.rule,
                    c.via,
                    c.location
                )?;
            }
        }
        for s in &self.schemas {
            writeln!(
                f,
                "schema {:<8} {}  (reaches no operation)",
                s.status.as_str(),
                s.schema
            )?;
        }
        Ok(())
    }
}

impl DriftReport {
    /// The report as JSON (`alto spec diff --json`); its shape is documented in
    /// `docs/spec-drift.md`.
    pub fn to_json(&self) -> Value {
        let count = |s: Status| self.with_status(s).count();
        json!({
            "summary": {
                "removed": count(Status::Removed),
                "changed": count(Status::Changed),
                "added": count(Status::Added),
                "breaking": self.count(Class::Breaking),
                "compatible": self.count(Class::Compatible),
                "breakingForFacade": self.operations.iter()
                    .filter(|o| !o.used_by.is_empty() && o.class() == Class::Breaking)
                    .count(),
            },
            "operations": self.operations.iter().map(|o| json!({
                "operation": o.operation,
                "operationId": o.operation_id,
                "status": o.status.as_str(),
                "class": o.class().as_str(),
                "usedByFacade": o.used_by,
                "changes": o.changes.iter().map(|c| json!({
                    "rule": c.rule,
                    "class": c.class.as_str(),
                    "via": c.via,
                    "location": c.location,
                    "detail": c.detail,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "schemas": self.schemas.iter().map(|s| json!({
                "schema": s.schema,
                "status": s.status.as_str(),
            })).collect::<Vec<_>>(),
        })
    }
}
