//! Helpers shared by the integration tests: fresh stores on SQLite or PostgreSQL (from
//! `alto-testkit`, shared with the admin suite), CloudEvent bodies.
#![allow(dead_code, unused_imports)] // each test binary uses a different subset

pub use alto_testkit::db::*;

/// A structured-mode CloudEvent body.
pub fn event_body(id: &str, kind: &str, subject: &str, data: serde_json::Value) -> String {
    serde_json::json!({
        "specversion": "1.0",
        "id": id,
        "source": "https://api.zoopla.co.uk/alto",
        "type": kind,
        "subject": subject,
        "time": "2026-03-01T10:00:00Z",
        "datacontenttype": "application/json",
        "data": data,
    })
    .to_string()
}
