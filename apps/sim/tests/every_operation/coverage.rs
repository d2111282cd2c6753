//! Which operations of the vendored spec the cases cover: a happy path (a 2xx) and one case for
//! each declared 4xx other than 401 and 403 (the gateway's, covered by the auth tests).

use std::collections::BTreeSet;

use serde_json::Value;

use crate::case::Case;

/// One operation of the spec: method, path template and its declared 4xx statuses.
struct Operation {
    method: String,
    path: String,
    errors: BTreeSet<u16>,
}

fn operations() -> Vec<Operation> {
    let spec: Value = serde_json::from_str(alto::spec::VENDORED_SPEC).expect("the spec is JSON");
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("a path item") {
            let Some(responses) = op.get("responses").and_then(Value::as_object) else {
                continue;
            };
            let errors = responses
                .keys()
                .filter_map(|s| s.parse::<u16>().ok())
                .filter(|s| (400..500).contains(s) && *s != 401 && *s != 403)
                .collect();
            out.push(Operation {
                method: method.to_ascii_uppercase(),
                path: path.clone(),
                errors,
            });
        }
    }
    out.sort_by(|a, b| (&a.path, &a.method).cmp(&(&b.path, &b.method)));
    out
}

/// How well `template` matches `path`: `None` when it does not, else the number of literal
/// segments (the most literal template wins, as in the router).
fn matches(template: &str, path: &str) -> Option<usize> {
    let path = path.split('?').next().unwrap_or_default();
    let t: Vec<&str> = template.split('/').collect();
    let p: Vec<&str> = path.split('/').collect();
    if t.len() != p.len() {
        return None;
    }
    let mut literal = 0;
    for (t, p) in t.iter().zip(&p) {
        if t.starts_with('{') {
            continue;
        }
        if !t.eq_ignore_ascii_case(p) {
            return None;
        }
        literal += 1;
    }
    Some(literal)
}

/// The operation a case exercises.
fn operation_of<'a>(ops: &'a [Operation], case: &Case) -> Option<&'a Operation> {
    ops.iter()
        .filter(|op| op.method == case.method.as_str())
        .filter_map(|op| matches(&op.path, &case.path).map(|score| (score, op)))
        .max_by_key(|(score, _)| *score)
        .map(|(_, op)| op)
}

/// One line per operation missing a case: `METHOD /path: no happy path; no 404 case`.
pub fn gaps(cases: &[Case]) -> Vec<String> {
    let ops = operations();
    let mut lines = Vec::new();
    for op in &ops {
        let mine: Vec<&Case> = cases
            .iter()
            .filter(|c| operation_of(&ops, c).is_some_and(|o| std::ptr::eq(o, op)))
            .collect();
        let mut missing = Vec::new();
        if !mine.iter().any(|c| (200..300).contains(&c.status)) {
            missing.push("no happy path".to_string());
        }
        for status in &op.errors {
            if !mine.iter().any(|c| c.status == *status) {
                missing.push(format!("no {status} case"));
            }
        }
        if !missing.is_empty() {
            lines.push(format!("{} {}: {}", op.method, op.path, missing.join("; ")));
        }
    }
    lines
}

#[test]
fn cases_find_their_operation() {
    let ops = operations();
    let patch = Case::new(
        reqwest::Method::PATCH,
        "/appointments/viewings/{viewing}",
        200,
    );
    assert_eq!(
        operation_of(&ops, &patch).map(|o| o.path.as_str()),
        Some("/appointments/viewings/{appointmentId}")
    );
    let search = Case::get("/file-notes/search?contactId=1", 200);
    assert_eq!(
        operation_of(&ops, &search).map(|o| o.path.as_str()),
        Some("/file-notes/search")
    );
}
