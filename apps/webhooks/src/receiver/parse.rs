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
    /// A CloudEvent, but one field of Alto's envelope is missing or wrong.
    #[error("the event's {field} {problem}")]
    InvalidField {
        /// The field, as Alto's envelope names it (`data.integrationId`).
        field: String,
        /// What is wrong with it.
        problem: String,
    },
}

fn invalid(field: &str, problem: impl Into<String>) -> ParseError {
    ParseError::InvalidField {
        field: field.to_string(),
        problem: problem.into(),
    }
}

/// Parses a structured-mode CloudEvents 1.0 JSON body carrying Alto's envelope. Never panics,
/// whatever the bytes.
///
/// Required, as Alto documents them: `specversion` `"1.0"`, `id` (`<event-uuid>|<integrationId>`,
/// its tail equal to `data.integrationId`), `type`, `source`, `subject`, `time`, and in `data`
/// `integrationId`, `agencyRef` and `subjectId`. `datacontenttype`, when sent, is JSON;
/// `data.branchId` and `data.relatedSubjects` (`[{subjectUri, subjectId}]`) are optional. Any
/// `type` is accepted (unknown ones become [`EventKind::Other`]).
pub fn parse_event(body: &[u8]) -> Result<AltoEvent, ParseError> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| ParseError::MalformedJson(e.to_string()))?;
    if !value.is_object() {
        return Err(ParseError::NotCloudEvent(
            "expected a JSON object with specversion, id, source and type".into(),
        ));
    }
    if value.get("specversion").and_then(Value::as_str) != Some("1.0") {
        return Err(invalid("specversion", "must be \"1.0\""));
    }
    // Checked before the SDK reads `data`, whose reading depends on the content type.
    let data_content_type = match value.get("datacontenttype") {
        None | Some(Value::Null) => None,
        Some(Value::String(media)) => {
            let essence = media.split(';').next().unwrap_or_default().trim();
            if !essence.eq_ignore_ascii_case("application/json") {
                return Err(invalid(
                    "datacontenttype",
                    format!("is {media:?}; Alto sends \"application/json\""),
                ));
            }
            Some(media.clone())
        }
        Some(_) => return Err(invalid("datacontenttype", "must be a string")),
    };
    let event: cloudevents::Event =
        serde_json::from_value(value).map_err(|e| ParseError::NotCloudEvent(e.to_string()))?;
    if event.specversion() != SpecVersion::V10 {
        return Err(invalid("specversion", "must be \"1.0\""));
    }
    let id = event.id().trim();
    let ty = event.ty().trim();
    if id.is_empty() {
        return Err(invalid("id", "is empty"));
    }
    if ty.is_empty() {
        return Err(invalid("type", "is empty"));
    }
    if event.source().trim().is_empty() {
        return Err(invalid("source", "is empty"));
    }
    let subject = event
        .subject()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            invalid(
                "subject",
                "is missing: Alto names the changed resource there",
            )
        })?;
    let time = *event
        .time()
        .ok_or_else(|| invalid("time", "is missing: events are ordered by it"))?;
    let data = match event.data() {
        Some(Data::Json(json)) => json.clone(),
        // A JSON `data` sent with a non-JSON content type arrives as a string; try to read it.
        Some(Data::String(text)) => serde_json::from_str(text).unwrap_or(Value::Null),
        Some(Data::Binary(_)) | None => Value::Null,
    };
    if !data.is_object() {
        return Err(invalid("data", "must be a JSON object"));
    }
    let integration_id = id_like(&data, "integrationId")
        .ok_or_else(|| invalid("data.integrationId", "is missing or empty"))?;
    match id.rsplit_once('|') {
        Some((event_id, tail)) if !event_id.trim().is_empty() && tail == integration_id => {}
        _ => {
            return Err(invalid(
                "id",
                "must be \"<event-uuid>|<integrationId>\" ending in data.integrationId",
            ))
        }
    }
    if id_like(&data, "agencyRef").is_none() {
        return Err(invalid("data.agencyRef", "is missing or empty"));
    }
    if id_like(&data, "subjectId").is_none() {
        return Err(invalid("data.subjectId", "is missing or empty"));
    }
    match data.get("branchId") {
        None | Some(Value::Null) | Some(Value::String(_)) | Some(Value::Number(_)) => {}
        Some(_) => return Err(invalid("data.branchId", "must be a string or a number")),
    }
    match data.get("relatedSubjects") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                for key in ["subjectUri", "subjectId"] {
                    if id_like(item, key).is_none() {
                        return Err(invalid(
                            &format!("data.relatedSubjects[{i}].{key}"),
                            "is missing or empty",
                        ));
                    }
                }
            }
        }
        Some(_) => return Err(invalid("data.relatedSubjects", "must be an array")),
    }
    Ok(AltoEvent {
        id: id.to_string(),
        kind: EventKind::parse(ty),
        source: event.source().to_string(),
        subject: Some(subject.to_string()),
        time: Some(time),
        integration_id: Some(integration_id),
        data_content_type,
        data,
    })
}

/// A non-empty string or a number member of `value`, as text.
fn id_like(value: &Value, key: &str) -> Option<String> {
    match value.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn envelope() -> Value {
        json!({"specversion":"1.0","id":"0b6f1a8e-5c8e-4d7a-9a51-3f0f3c1d2e4b|int-7","source":"alto",
            "type":"Integration.Activated","subject":"/branches/B-9","time":"2026-01-02T03:04:05Z",
            "datacontenttype":"application/json",
            "data":{"integrationId":"int-7","agencyRef":"8662b309-dc51-58ea-9b1c-8ec10b34e88b",
                "subjectId":"B-9","branchId":"B-9",
                "relatedSubjects":[{"subjectUri":"/inventory/5","subjectId":"5"}]}})
    }

    #[test]
    fn reads_every_field_of_altos_envelope() {
        let event = parse_event(envelope().to_string().as_bytes()).unwrap();
        assert_eq!(event.kind, EventKind::IntegrationActivated);
        assert_eq!(event.id, "0b6f1a8e-5c8e-4d7a-9a51-3f0f3c1d2e4b|int-7");
        assert_eq!(event.integration_id.as_deref(), Some("int-7"));
        assert_eq!(event.data_content_type.as_deref(), Some("application/json"));
        assert_eq!(
            event.agency_ref(),
            Some("8662b309-dc51-58ea-9b1c-8ec10b34e88b")
        );
        assert_eq!(event.subject_id(), Some("B-9"));
        assert_eq!(event.branch_id().as_deref(), Some("B-9"));
        assert_eq!(event.related_subjects().len(), 1);
        assert_eq!(event.related_subjects()[0].subject_uri, "/inventory/5");
        assert!(event.time.is_some());
    }

    #[test]
    fn validation_errors_name_the_field() {
        type Change = Box<dyn Fn(&mut Value)>;
        let cases: [(&str, Change); 12] = [
            (
                "subject",
                Box::new(|v| {
                    v.as_object_mut().unwrap().remove("subject");
                }),
            ),
            (
                "time",
                Box::new(|v| {
                    v.as_object_mut().unwrap().remove("time");
                }),
            ),
            (
                "datacontenttype",
                Box::new(|v| v["datacontenttype"] = json!("text/xml")),
            ),
            (
                "data",
                Box::new(|v| {
                    v.as_object_mut().unwrap().remove("data");
                }),
            ),
            (
                "data.integrationId",
                Box::new(|v| {
                    v["data"].as_object_mut().unwrap().remove("integrationId");
                }),
            ),
            (
                "id",
                Box::new(|v| v["data"]["integrationId"] = json!("int-8")),
            ),
            ("id", Box::new(|v| v["id"] = json!("0b6f1a8e"))),
            ("id", Box::new(|v| v["id"] = json!("|int-7"))),
            (
                "data.agencyRef",
                Box::new(|v| v["data"]["agencyRef"] = json!(" ")),
            ),
            (
                "data.subjectId",
                Box::new(|v| {
                    v["data"].as_object_mut().unwrap().remove("subjectId");
                }),
            ),
            (
                "data.relatedSubjects[0].subjectUri",
                Box::new(|v| v["data"]["relatedSubjects"] = json!([{"subjectId":"5"}])),
            ),
            (
                "data.branchId",
                Box::new(|v| v["data"]["branchId"] = json!([1])),
            ),
        ];
        for (field, change) in cases {
            let mut body = envelope();
            change(&mut body);
            match parse_event(body.to_string().as_bytes()) {
                Err(ParseError::InvalidField { field: named, .. }) => assert_eq!(named, field),
                other => panic!("{field}: {other:?}"),
            }
        }
        let mut unknown = envelope();
        unknown["type"] = json!("Viewing.Booked");
        assert_eq!(
            parse_event(unknown.to_string().as_bytes()).unwrap().kind,
            EventKind::Other("Viewing.Booked".into())
        );
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
                parse_event(body).is_err(),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }
}
