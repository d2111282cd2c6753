//! The generated raw client with the project's hook, straight (no facade): every request
//! carries the bearer token, and `AgencyRef` only when one is configured for production.

use std::sync::Arc;

use alto::raw::{Client, Context};
use alto::{AgencyRef, Environment, TokenSource};
use insta::assert_json_snapshot;
use serde_json::json;

/// Method, path, query and headers of a recorded request; secrets masked, transport headers
/// (host, user-agent, content-length) left out.
fn wire(r: &alto_sim::RecordedRequest) -> serde_json::Value {
    let mut headers: Vec<(String, String)> = r
        .headers
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "host" | "user-agent" | "content-length"))
        .cloned()
        .collect();
    headers.sort();
    json!({ "method": r.method, "path": r.path, "query": r.query, "headers": headers })
}

async fn call_with(
    sim: &alto_sim::RunningSimulator,
    context: Context,
) -> alto_sim::RecordedRequest {
    sim.clear_requests();
    let client = Client::new_with_client(&sim.base_url(), reqwest::Client::new(), context);
    let _ = client.get_reference_checks().max_results(5).send().await;
    sim.requests()
        .into_iter()
        .find(|r| r.path == "/ReferenceChecks")
        .expect("request reached the server")
}

fn tokens(sim: &alto_sim::RunningSimulator) -> Arc<TokenSource> {
    Arc::new(TokenSource::new(
        reqwest::Client::new(),
        sim.token_url(),
        sim.credentials().to_alto(),
        std::time::Duration::from_secs(60),
    ))
}

#[tokio::test]
async fn production_call_carries_token_and_agency_ref() {
    let sim = alto_sim::Simulator::builder()
        .production([("541d6d7a-94e5-5f36-9724-f6e2e6a2d57d", "Acme Lettings")])
        .start()
        .await
        .unwrap();
    let context = Context::new(Environment::Production, Some(tokens(&sim))).with_agency_ref(Some(
        AgencyRef::parse("541d6d7a-94e5-5f36-9724-f6e2e6a2d57d").unwrap(),
    ));
    let request = call_with(&sim, context).await;
    assert_eq!(
        request.status,
        Some(200),
        "the simulator accepted token and AgencyRef"
    );
    assert_json_snapshot!("raw_production_with_agency_ref", wire(&request));
}

#[tokio::test]
async fn no_agency_ref_header_unless_configured() {
    let sim = alto_sim::Simulator::builder()
        .production([("541d6d7a-94e5-5f36-9724-f6e2e6a2d57d", "Acme Lettings")])
        .start()
        .await
        .unwrap();
    let request = call_with(
        &sim,
        Context::new(Environment::Production, Some(tokens(&sim))),
    )
    .await;
    assert!(request.header("agencyref").is_none());
    assert_eq!(
        request.status,
        Some(403),
        "production without AgencyRef is refused by Alto"
    );
    assert_json_snapshot!("raw_production_without_agency_ref", wire(&request));
}

#[tokio::test]
async fn sandbox_never_sends_agency_ref_even_if_given() {
    let sim = alto_sim::Simulator::builder()
        .sandbox()
        .start()
        .await
        .unwrap();
    let context = Context::new(Environment::Sandbox, Some(tokens(&sim))).with_agency_ref(Some(
        AgencyRef::parse("541d6d7a-94e5-5f36-9724-f6e2e6a2d57d").unwrap(),
    ));
    let request = call_with(&sim, context).await;
    assert!(request.header("agencyref").is_none());
    assert_eq!(request.status, Some(200));
    assert_json_snapshot!("raw_sandbox", wire(&request));
}
