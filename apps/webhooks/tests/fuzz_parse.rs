//! Fuzzing the receiver's parsing with proptest: arbitrary bytes and arbitrary CloudEvents-like
//! JSON never panic, and whatever is accepted has a non-empty id and type.
//!
//! Case counts are moderate so the suite stays fast; for a long run set `PROPTEST_CASES`
//! (e.g. `PROPTEST_CASES=200000 cargo test -p alto-webhooks --test fuzz_parse --release`).

use alto_webhooks::receiver::parse_event;
use proptest::prelude::*;
use serde_json::{Map, Value};

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(".{0,6}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn attribute() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => "[A-Za-z0-9.:/_-]{0,16}".prop_map(Value::String),
        1 => json_value(),
    ]
}

/// Objects that look like CloudEvents: the known attributes, each present or not, with plausible
/// or arbitrary values, plus arbitrary extra members.
fn cloudevent_like() -> impl Strategy<Value = Value> {
    let names = [
        "specversion",
        "id",
        "source",
        "type",
        "subject",
        "time",
        "datacontenttype",
        "dataschema",
        "data",
        "data_base64",
    ];
    (
        prop::collection::vec(prop::option::of(attribute()), names.len()),
        prop_oneof![Just("1.0"), Just("0.3"), Just("2"), Just("")],
        prop_oneof![Just("2026-01-01T00:00:00Z".to_string()), ".{0,20}"],
        prop::collection::btree_map("[a-z]{1,8}", json_value(), 0..3),
    )
        .prop_map(move |(values, version, time, extra)| {
            let mut map: Map<String, Value> = extra.into_iter().collect();
            for (name, value) in names.iter().zip(values) {
                if let Some(value) = value {
                    map.insert((*name).to_string(), value);
                }
            }
            if map.contains_key("specversion") {
                map.insert("specversion".into(), Value::from(version));
            }
            if map.contains_key("time") {
                map.insert("time".into(), Value::from(time));
            }
            Value::Object(map)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_event(&bytes);
    }

    #[test]
    fn cloudevent_like_json_never_panics(value in cloudevent_like()) {
        let body = serde_json::to_vec(&value).unwrap();
        if let Ok(event) = parse_event(&body) {
            prop_assert!(!event.id.is_empty());
            prop_assert!(!event.kind.as_str().is_empty());
            let _ = (event.agency_ref(), event.branch_id(), event.subject_id());
        }
    }

    #[test]
    fn valid_events_are_accepted(id in "[A-Za-z0-9-]{1,20}", integration in "[A-Za-z0-9-]{1,12}", kind in "[A-Z][a-z]{1,8}\\.[A-Z][a-z]{1,8}", agency in "[A-Z0-9-]{1,10}", subject in "[0-9]{1,9}") {
        let full_id = format!("{id}|{integration}");
        let body = serde_json::json!({"specversion": "1.0", "id": full_id, "source": "alto", "type": kind,
            "subject": format!("/things/{subject}"), "time": "2026-01-01T00:00:00Z", "datacontenttype": "application/json",
            "data": {"integrationId": integration, "agencyRef": agency, "subjectId": subject}});
        let event = parse_event(body.to_string().as_bytes()).unwrap();
        prop_assert_eq!(&event.id, &full_id);
        prop_assert_eq!(event.kind.as_str(), kind.as_str());
        prop_assert_eq!(event.agency_ref(), Some(agency.as_str()));
        prop_assert_eq!(event.integration_id.as_deref(), Some(integration.as_str()));
        prop_assert_eq!(event.subject_id(), Some(subject.as_str()));
    }
}
