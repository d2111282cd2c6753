//! Parsing a POST body into an [`AltoEvent`].
//!
//! Alto posts CloudEvents 1.0 in structured mode (the whole event is the JSON body). The
//! attribute rules (required `specversion`, `id`, `source`, `type`; typed optional attributes)
//! come from `cloudevents-sdk`'s core `Event` deserializer, which builds against http 1 / axum 0.8
//! without conflicts (measured: its core needs only serde, chrono, url, uuid and two small
//! crates). Its axum *binding* is not used: as an extractor it would run before our
//! authentication and body limit, pick its own status codes, and also accept binary mode,
//! which Alto does not send. So the body is read by us and handed to the deserializer.

use cloudevents::event::{Data, SpecVersion};
use cloudevents::AttributesReader;
use serde_json::Value;

use crate::events::{AltoEvent, EventKind};

/// Why a body is not an event we accept (always answered 400).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Not JSON at all.
    #[error("the body is not JSON: {0}")]
    MalformedJson(String),
    /// JSON, but not a CloudEvents 1.0 structured-mode event.
    #[error("the body is not a CloudEvents 1.0 event: {0}")]
    NotCloudEvent(String),
}

/// Parses a structured-mode CloudEvents 1.0 JSON body. Never panics, whatever the bytes.
pub fn parse_event(body: &[u8]) -> Result<AltoEvent, ParseError> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| ParseError::MalformedJson(e.to_string()))?;
    if !value.is_object() {
        return Err(ParseError::NotCloudEvent(
            "expected a JSON object with specversion, id, source and type".into(),
        ));
    }
    if value.get("specversion").and_then(Value::as_str) != Some("1.0") {
        return Err(ParseError::NotCloudEvent(
            "specversion must be \"1.0\"".into(),
        ));
    }
    let event: cloudevents::Event =
        serde_json::from_value(value).map_err(|e| ParseError::NotCloudEvent(e.to_string()))?;
    if event.specversion() != SpecVersion::V10 {
        return Err(ParseError::NotCloudEvent(
            "specversion must be \"1.0\"".into(),
        ));
    }
    let id = event.id().trim();
    let ty = event.ty().trim();
    if id.is_empty() || ty.is_empty() || event.source().trim().is_empty() {
        return Err(ParseError::NotCloudEvent(
            "id, source and type must not be empty".into(),
        ));
    }
    let data = match event.data() {
        Some(Data::Json(json)) => json.clone(),
        // A JSON `data` sent with a non-JSON content type arrives as a string; try to read it.
        Some(Data::String(text)) => serde_json::from_str(text).unwrap_or(Value::Null),
        Some(Data::Binary(_)) | None => Value::Null,
    };
    Ok(AltoEvent {
        id: id.to_string(),
        kind: EventKind::parse(ty),
        source: event.source().to_string(),
        subject: event.subject().map(str::to_string),
        time: event.time().copied(),
        data,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_structured_event() {
        let body = br#"{"specversion":"1.0","id":"e1","source":"https://alto","type":"Integration.Activated",
            "subject":"agencies/8662b309-dc51-58ea-9b1c-8ec10b34e88b","time":"2026-01-02T03:04:05Z","datacontenttype":"application/json",
            "data":{"agencyRef":"8662b309-dc51-58ea-9b1c-8ec10b34e88b","branchId":"B-9"}}"#;
        let event = parse_event(body).unwrap();
        assert_eq!(event.kind, EventKind::IntegrationActivated);
        assert_eq!(
            event.agency_ref(),
            Some("8662b309-dc51-58ea-9b1c-8ec10b34e88b")
        );
        assert_eq!(event.branch_id().as_deref(), Some("B-9"));
        assert!(event.time.is_some());
    }

    #[test]
    fn refuses_what_is_not_a_cloudevent() {
        assert!(matches!(
            parse_event(b"{nope"),
            Err(ParseError::MalformedJson(_))
        ));
        for body in [
            &br#"[1,2]"#[..],
            br#"{"id":"1","source":"s","type":"t"}"#,
            br#"{"specversion":"0.3","id":"1","source":"s","type":"t"}"#,
            br#"{"specversion":"1.0","source":"s","type":"t"}"#,
            br#"{"specversion":"1.0","id":"","source":"s","type":"t"}"#,
            br#"{"specversion":"1.0","id":"1","source":"s","type":"t","time":"yesterday"}"#,
        ] {
            assert!(
                matches!(parse_event(body), Err(ParseError::NotCloudEvent(_))),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }
}
