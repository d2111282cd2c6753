//! Helpers shared by the integration tests: fresh stores on SQLite or PostgreSQL (from
//! `alto-testkit`, shared with the admin suite), CloudEvent bodies in Alto's envelope.
#![allow(dead_code, unused_imports)] // each test binary uses a different subset

pub use alto_testkit::db::*;

/// The integration the test events are for unless a test says otherwise.
pub const INTEGRATION: &str = "int-1";
/// The `AgencyRef` test events carry when `data` names none.
pub const AGENCY_REF: &str = "8662b309-dc51-58ea-9b1c-8ec10b34e88b";

/// A structured-mode CloudEvent body in Alto's envelope for [`INTEGRATION`]: `id` becomes
/// `<id>|int-1` (unless it has a `|` already); `data` gets `integrationId`, `subjectId` (the
/// subject's last segment) and `agencyRef` ([`AGENCY_REF`]) unless it sets them (`null` drops
/// one).
pub fn event_body(id: &str, kind: &str, subject: &str, data: serde_json::Value) -> String {
    envelope(id, INTEGRATION, kind, subject, "2026-03-01T10:00:00Z", data)
}

/// [`event_body`] for another integration and time.
pub fn envelope(
    id: &str,
    integration: &str,
    kind: &str,
    subject: &str,
    time: &str,
    data: serde_json::Value,
) -> String {
    let mut data = match data {
        serde_json::Value::Object(map) => map,
        _ => serde_json::Map::new(),
    };
    let subject_id = subject
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    for (key, value) in [
        ("integrationId", integration),
        ("subjectId", subject_id),
        ("agencyRef", AGENCY_REF),
    ] {
        data.entry(key).or_insert_with(|| value.into());
    }
    data.retain(|_, value| !value.is_null());
    let id = if id.contains('|') {
        id.to_string()
    } else {
        format!("{id}|{integration}")
    };
    serde_json::json!({
        "specversion": "1.0",
        "id": id,
        "source": "alto",
        "type": kind,
        "subject": subject,
        "time": time,
        "datacontenttype": "application/json",
        "data": data,
    })
    .to_string()
}
