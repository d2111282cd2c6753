//! Fuzz targets (proptest) for what the library parses from outside:
//! - the spec normalizer, fed Zoopla-shaped documents with random damage (keys removed, values
//!   replaced by arbitrary JSON): it returns `Ok` or a message, and never panics;
//! - error bodies (`Problem::parse`): arbitrary bytes and ProblemDetails-like JSON;
//! - `Location` headers of 409 answers (`ExistingResource::from_location`): arbitrary strings,
//!   and the id of every well-formed location is found.
//!
//! The suite runs a short version; a long run: `scripts/fuzz-parsing [cases]`.

use alto::{ExistingResource, Problem};
use proptest::prelude::*;
use serde_json::Value;

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,12}".prop_map(Value::String),
        Just(Value::String("#/components/schemas/Nowhere".into())),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z$]{0,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// `default` cases, or `PROPTEST_CASES` when set (long runs).
fn config(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig::with_cases(cases)
}

fn vendored() -> (Value, Value) {
    (
        serde_json::from_str(alto::spec::VENDORED_SPEC).unwrap(),
        serde_json::from_str(alto::spec::OPERATION_NAMES).unwrap(),
    )
}

fn type_names() -> Value {
    serde_json::from_str(alto::spec::TYPE_NAMES).unwrap()
}

/// JSON pointers to every node of `value` below the root.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                pointers(v, p, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                pointers(v, p, out);
            }
        }
        _ => {}
    }
}

/// One piece of damage to a spec.
#[derive(Debug, Clone)]
enum Damage {
    /// Remove the node (from its object or array).
    Remove(prop::sample::Index),
    /// Replace the node with arbitrary JSON.
    Replace(prop::sample::Index, Value),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        any::<prop::sample::Index>().prop_map(Damage::Remove),
        (any::<prop::sample::Index>(), json_value()).prop_map(|(i, v)| Damage::Replace(i, v)),
    ]
}

fn apply(spec: &mut Value, all: &[String], damage: &Damage) {
    let (index, replacement) = match damage {
        Damage::Remove(i) => (i, None),
        Damage::Replace(i, v) => (i, Some(v.clone())),
    };
    let pointer = index.get(all);
    if spec.pointer(pointer).is_none() {
        return; // an earlier damage removed it
    }
    match replacement {
        Some(v) => *spec.pointer_mut(pointer).unwrap() = v,
        None => {
            let (parent, key) = pointer.rsplit_once('/').unwrap();
            let key = key.replace("~1", "/").replace("~0", "~");
            match spec.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.remove(&key);
                }
                Some(Value::Array(items)) => {
                    if let Ok(i) = key.parse::<usize>() {
                        if i < items.len() {
                            items.remove(i);
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

#[test]
fn the_undamaged_spec_normalizes() {
    let (spec, names) = vendored();
    let normalized = alto::spec::normalize::normalize(&spec, &names, &type_names()).unwrap();
    assert_eq!(normalized.operations.len(), 112);
}

proptest! {
    #![proptest_config(config(96))]

    #[test]
    fn a_damaged_spec_is_normalized_or_refused_never_a_panic(
        damages in prop::collection::vec(damage(), 1..5),
    ) {
        let (mut spec, names) = vendored();
        let mut all = Vec::new();
        pointers(&spec, String::new(), &mut all);
        for d in &damages {
            apply(&mut spec, &all, d);
        }
        if let Err(message) = alto::spec::normalize::normalize(&spec, &names, &type_names()) {
            prop_assert!(!message.trim().is_empty());
        }
    }

    #[test]
    fn damaged_operation_names_are_refused_or_used_never_a_panic(names in json_value()) {
        let (spec, _) = vendored();
        let _ = alto::spec::normalize::normalize(&spec, &names, &type_names());
        let _ = alto::spec::normalize::normalize(&spec, &serde_json::json!({}), &names);
    }
}

proptest! {
    #![proptest_config(config(2000))]

    #[test]
    fn json_that_is_not_an_object_is_kept_as_text(
        value in json_value().prop_map(|v| if v.is_object() { Value::Array(vec![v]) } else { v }),
    ) {
        let body = value.to_string();
        let problem = Problem::parse(body.as_bytes()).expect("not empty");
        let kept: String = body.chars().take(500).collect();
        prop_assert_eq!(problem.text, Some(kept));
    }

    #[test]
    fn any_error_body_parses_without_panicking(body in prop::collection::vec(any::<u8>(), 0..600)) {
        if let Some(problem) = Problem::parse(&body) {
            if let Some(text) = &problem.text {
                prop_assert!(text.chars().count() <= 500);
            }
            let object = serde_json::from_slice::<Value>(&body).is_ok_and(|v| v.is_object());
            prop_assert!(object || problem.text.is_some(), "a body that is not ProblemDetails is kept as text");
            let _ = problem.summary();
        } else {
            prop_assert!(body.iter().all(u8::is_ascii_whitespace));
        }
    }

    #[test]
    fn problem_details_like_json_keeps_its_title_and_detail(
        title in proptest::option::of(".{0,40}"),
        detail in proptest::option::of(".{0,40}"),
        errors in json_value(),
        extra in json_value(),
    ) {
        let mut body = serde_json::json!({ "status": 400, "errors": errors, "extensions": extra });
        if let Some(t) = &title {
            body["title"] = Value::String(t.clone());
        }
        if let Some(d) = &detail {
            body["detail"] = Value::String(d.clone());
        }
        let problem = Problem::parse(body.to_string().as_bytes()).expect("a JSON object");
        prop_assert_eq!(&problem.title, &title);
        prop_assert_eq!(&problem.detail, &detail);
        let _ = problem.summary();
    }

    #[test]
    fn any_location_parses_without_panicking(location in ".{0,200}") {
        let existing = ExistingResource::from_location(&location);
        prop_assert_eq!(&existing.location, &location);
        if let Some(id) = &existing.id {
            prop_assert!(!id.is_empty() && !id.contains('/') && !id.contains('?'));
        }
    }

    #[test]
    fn the_id_of_a_well_formed_location_is_its_last_segment(
        host in prop_oneof![
            Just(""),
            Just("https://api.alto.zoopla.co.uk"),
            Just("https://api.alto.zoopladev.co.uk"),
            Just("http://127.0.0.1:8080"),
        ],
        family in "(contacts|inventory|appointments|documents)",
        id in "[A-Za-z0-9-]{1,36}",
        slash in any::<bool>(),
        query in proptest::option::of("[a-z]{1,6}=[a-z0-9]{0,6}"),
    ) {
        let mut location = format!("{host}/{family}/{id}");
        if slash {
            location.push('/');
        }
        if let Some(q) = query {
            location = format!("{location}?{q}");
        }
        prop_assert_eq!(ExistingResource::from_location(&location).id, Some(id));
    }
}
