//! Sends the cases to one simulator and checks each answer's status, then that strict mode
//! found no answer departing from the spec.

use std::collections::HashMap;

use alto_sim::{RunningSimulator, Simulator};
use serde_json::Value;

use crate::case::{Body, Case};

/// The agency every case runs as.
pub const AGENCY_REF: &str = "8662b309-dc51-58ea-9b1c-8ec10b34e88b";

/// Starts a seeded production simulator with one agency.
pub async fn start() -> RunningSimulator {
    Simulator::builder()
        .production([(AGENCY_REF, "Acme Lettings")])
        .start()
        .await
        .expect("simulator starts")
}

async fn token(sim: &RunningSimulator) -> String {
    let creds = sim.credentials();
    let answer: Value = reqwest::Client::new()
        .post(sim.token_url())
        .basic_auth(&creds.client_id, Some(&creds.client_secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["access_token"].as_str().unwrap().to_string()
}

fn fill(text: &str, saved: &HashMap<&'static str, String>) -> String {
    saved.iter().fold(text.to_string(), |t, (name, id)| {
        t.replace(&format!("{{{name}}}"), id)
    })
}

fn fill_json(value: &Value, saved: &HashMap<&'static str, String>) -> Value {
    let text = fill(&value.to_string(), saved);
    serde_json::from_str(&text).expect("a filled body stays JSON")
}

fn id_of(body: &[u8], location: Option<&str>) -> Option<String> {
    if let Ok(v) = serde_json::from_slice::<Value>(body) {
        match &v {
            Value::Number(n) => return Some(n.to_string()),
            Value::String(s) => return Some(s.clone()),
            Value::Object(o) => {
                // `id`, or else the body's only `…Id` field (`appointmentId`, `mediaId`).
                let mut ids = o.iter().filter(|(k, _)| k.ends_with("Id"));
                let only = match (ids.next(), ids.next()) {
                    (Some((_, v)), None) => Some(v),
                    _ => None,
                };
                if let Some(id) = o.get("id").or(only) {
                    return Some(id.as_str().map_or_else(|| id.to_string(), String::from));
                }
            }
            _ => {}
        }
    }
    location
        .and_then(|l| l.rsplit('/').next())
        .map(String::from)
}

/// Runs `cases` in order; panics listing every case whose status differed.
pub async fn run(cases: Vec<Case>) {
    let sim = start().await;
    let http = reqwest::Client::new();
    let bearer = token(&sim).await;
    let mut saved: HashMap<&'static str, String> = HashMap::new();
    let mut failures = Vec::new();
    for case in &cases {
        let path = fill(&case.path, &saved);
        let mut request = http
            .request(case.method.clone(), format!("{}{}", sim.base_url(), path))
            .bearer_auth(&bearer)
            .header("AgencyRef", AGENCY_REF);
        request = match &case.body {
            Body::None => request,
            Body::Json(v) => request.json(&fill_json(v, &saved)),
            Body::JsonPatch(v) => request
                .header("content-type", "application/json-patch+json")
                .body(fill_json(v, &saved).to_string()),
            Body::Form(fields) => request.form(
                &fields
                    .iter()
                    .map(|(k, v)| (*k, fill(v, &saved)))
                    .collect::<Vec<_>>(),
            ),
            Body::Multipart { fields, files } => {
                let mut form = reqwest::multipart::Form::new();
                for (k, v) in fields {
                    form = form.text(*k, fill(v, &saved));
                }
                for (field, name, mime, bytes) in files {
                    let part = reqwest::multipart::Part::bytes(bytes.clone())
                        .file_name(*name)
                        .mime_str(mime)
                        .unwrap();
                    form = form.part(*field, part);
                }
                request.multipart(form)
            }
        };
        let answer = request.send().await.expect("the simulator answers");
        let status = answer.status().as_u16();
        let location = answer
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(String::from);
        let body = answer.bytes().await.unwrap_or_default();
        if status != case.status {
            failures.push(format!(
                "{} {path}: {status}, expected {}: {}",
                case.method,
                case.status,
                String::from_utf8_lossy(&body)
            ));
            continue;
        }
        if let Some(name) = case.save {
            match id_of(&body, location.as_deref()) {
                Some(id) => {
                    saved.insert(name, id);
                }
                None => failures.push(format!("{} {path}: no id to save as {name}", case.method)),
            }
        }
    }
    let violations = sim.contract_violations();
    sim.shutdown().await;
    assert!(
        violations.is_empty(),
        "strict mode found {} answers departing from the spec:\n{}",
        violations.len(),
        violations
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
