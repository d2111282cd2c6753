//! Shared pieces of the workflow tests: a simulator with a facade client on it, request shapes
//! for snapshots, and the check against Zoopla's spec.

#![allow(dead_code)]

pub mod conformance;

use alto::{AgencyClient, AltoClient, Endpoints, Environment};
use alto_sim::{RecordedRequest, RunningSimulator};
use serde_json::{json, Value};

/// A sandbox simulator with demo data and an agency client on it.
pub struct Setup {
    /// The simulator.
    pub sim: RunningSimulator,
    /// The facade client, scoped to the sandbox agency.
    pub agency: AgencyClient,
}

/// Starts a sandbox simulator with demo data.
pub async fn sandbox() -> Setup {
    sandbox_with_faults(alto_sim::Faults::default()).await
}

/// Starts a sandbox simulator with demo data that injects `faults`.
pub async fn sandbox_with_faults(faults: alto_sim::Faults) -> Setup {
    let sim = alto_sim::Simulator::builder()
        .sandbox()
        .seed_demo_data(true)
        .faults(faults)
        .start()
        .await
        .expect("simulator");
    let client = AltoClient::builder()
        .environment(
            Environment::Sandbox,
            Endpoints::custom(sim.base_url(), sim.token_url()).unwrap(),
            sim.credentials().to_alto(),
        )
        .build()
        .unwrap();
    let agency = client
        .agency(Environment::Sandbox, None, "test agency")
        .unwrap();
    Setup { sim, agency }
}

impl Setup {
    /// API requests (not token requests) recorded since the last call, oldest first.
    pub fn take_requests(&self) -> Vec<RecordedRequest> {
        let all = self.sim.requests();
        self.sim.clear_requests();
        all.into_iter().filter(|r| r.path != "/token").collect()
    }
}

/// What a snapshot pins of a request: method, path, query, the headers the client chooses
/// (`agencyref`, `content-type` with the multipart boundary masked, `authorization` scheme) and
/// the body (JSON, or the multipart form's parts).
pub fn shape(r: &RecordedRequest) -> Value {
    let mut query: Vec<(String, String)> = r
        .query
        .as_deref()
        .map(|q| serde_urlencoded::from_str(q).unwrap())
        .unwrap_or_default();
    query.sort();
    let content_type = r.header("content-type").map(mask_boundary);
    let body = match (content_type.as_deref(), r.body.as_deref()) {
        (Some(ct), Some(b)) if ct.starts_with("multipart/") => {
            multipart_parts(r.header("content-type").unwrap(), b)
        }
        (_, Some(b)) if !b.is_empty() => {
            serde_json::from_str(b).unwrap_or_else(|_| Value::String(b.to_string()))
        }
        _ => Value::Null,
    };
    json!({
        "method": r.method,
        "path": r.path,
        "query": query,
        "authorization": r.header("authorization"),
        "agencyref": r.header("agencyref"),
        "content-type": content_type,
        "body": body,
    })
}

fn mask_boundary(ct: &str) -> String {
    match ct.split_once("boundary=") {
        Some((head, _)) => format!("{head}boundary=[boundary]"),
        None => ct.to_string(),
    }
}

/// The parts of a multipart body: name, file name, content type, and text values (file
/// contents are summarised by length).
pub fn multipart_parts(content_type: &str, body: &str) -> Value {
    let boundary = content_type
        .split("boundary=")
        .nth(1)
        .unwrap_or_default()
        .trim_matches('"');
    let mut parts = Vec::new();
    for chunk in body
        .split(&format!("--{boundary}"))
        .filter(|c| !c.trim().is_empty() && c.trim() != "--")
    {
        let (head, content) = chunk.split_once("\r\n\r\n").unwrap_or((chunk, ""));
        let content = content.strip_suffix("\r\n").unwrap_or(content);
        let disposition = head
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("content-disposition"))
            .unwrap_or_default();
        let attr = |key: &str| {
            disposition
                .split(';')
                .map(str::trim)
                .find_map(|kv| kv.strip_prefix(&format!("{key}=\"")))
                .map(|v| v.trim_end_matches('"').to_string())
        };
        let part_type = head.lines().find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-type:")
                .map(|v| v.trim().to_string())
        });
        let value = if attr("filename").is_some() {
            json!(format!("[{} bytes]", content.len()))
        } else {
            json!(content)
        };
        parts.push(json!({ "name": attr("name"), "filename": attr("filename"), "content-type": part_type, "value": value }));
    }
    Value::Array(parts)
}

/// The request as the conformance check reads it.
pub fn sent(r: &RecordedRequest) -> conformance::SentRequest<'_> {
    let query: Vec<(String, String)> = r
        .query
        .as_deref()
        .map(|q| serde_urlencoded::from_str(q).unwrap())
        .unwrap_or_default();
    let content_type = r.header("content-type");
    let json = match (content_type, r.body.as_deref()) {
        (Some(ct), Some(b)) if ct.contains("json") && !b.is_empty() => {
            Some(serde_json::from_str(b).expect("JSON body"))
        }
        _ => None,
    };
    let form_fields = match (content_type, r.body.as_deref()) {
        (Some(ct), Some(b)) if ct.starts_with("multipart/") => multipart_parts(ct, b)
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_string())
            .collect(),
        _ => Vec::new(),
    };
    let headers = r
        .headers
        .iter()
        .map(|(k, _)| k.clone())
        .filter(|k| k == "agencyref")
        .collect();
    conformance::SentRequest {
        method: &r.method,
        path: &r.path,
        query,
        headers,
        content_type,
        json,
        form_fields,
    }
}

/// Every request conforms to Zoopla's spec (method, path, parameters, body fields and types).
pub fn assert_conforms(requests: &[alto_sim::RecordedRequest]) {
    let Some(spec) = conformance::UpstreamSpec::load() else {
        return;
    };
    assert!(!requests.is_empty(), "nothing to check");
    for r in requests {
        if let Err(e) = spec.check(&sent(r)) {
            panic!(
                "request does not conform to Zoopla's spec: {e}\n{:#}",
                shape(r)
            );
        }
    }
}
