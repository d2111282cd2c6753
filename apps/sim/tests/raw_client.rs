//! The generated raw client (with its token hook) against the simulator: its query encodings
//! (`NextToken`, date-times, repeated `tenantId`) and `AgencyRef` are what the simulator reads.

use std::sync::Arc;
use std::time::Duration;

use alto::raw::{types, Client, Context};
use alto::{AgencyRef, Environment, TokenSource};
use alto_sim::Simulator;

#[tokio::test]
async fn generated_client_pages_filters_and_patches_in_production() {
    let sim = Simulator::builder()
        .production([("5f241d7a-02f9-5d0a-852c-70c87131b143", "Clifton Lets")])
        .start()
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let tokens = Arc::new(TokenSource::new(
        http.clone(),
        sim.token_url(),
        sim.credentials().to_alto(),
        Duration::from_secs(30),
    ));
    let context = Context::new(Environment::Production, Some(tokens)).with_agency_ref(Some(
        AgencyRef::parse("5f241d7a-02f9-5d0a-852c-70c87131b143").unwrap(),
    ));
    let raw = Client::new_with_client(&sim.base_url(), http, context);

    let mut token: Option<String> = None;
    let mut seen = Vec::new();
    loop {
        let mut call = raw
            .get_reference_checks()
            .max_results(3)
            .created_from(chrono::Utc::now() - chrono::Duration::days(14));
        if let Some(t) = token.take() {
            call = call.next_token(t);
        }
        let page = call.send().await.unwrap().into_inner();
        seen.extend(page.items.unwrap_or_default());
        token = page.meta.and_then(|m| m.next_token);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(seen.len(), 8);

    let tenancy = seen[0].tenancy_id.unwrap();
    let tenants = raw
        .get_tenant_ids()
        .tenancy_id(tenancy)
        .send()
        .await
        .unwrap()
        .into_inner()
        .items
        .unwrap();
    let ids: Vec<i32> = tenants.iter().map(|t| t.tenant_id.unwrap()).collect();
    let guarantors = raw
        .get_guarantor_ids()
        .tenant_id(ids.clone())
        .send()
        .await
        .unwrap()
        .into_inner()
        .items
        .unwrap();
    assert_eq!(guarantors.len(), ids.len());

    let pending = seen
        .iter()
        .find(|c| c.status == Some(types::ReferenceCheckStatus::Pending))
        .unwrap();
    let body: types::PatchReferenceCheckRequest =
        serde_json::from_value(serde_json::json!({"status": "Completed"})).unwrap();
    raw.update_reference_check()
        .reference_check_id(pending.reference_check_id.unwrap())
        .body(body)
        .send()
        .await
        .unwrap();
    let after = sim.reference_checks(Some("5f241d7a-02f9-5d0a-852c-70c87131b143"));
    let done = after
        .iter()
        .find(|c| c.reference_check_id == pending.reference_check_id)
        .unwrap();
    assert_eq!(done.status, Some(types::ReferenceCheckStatus::Completed));
    assert_eq!(sim.token_requests(), 1, "one token for the whole session");
    assert!(sim
        .requests()
        .iter()
        .filter(|r| r.path != "/token")
        .all(|r| r.header("agencyref") == Some("5f241d7a-02f9-5d0a-852c-70c87131b143")));
}
