//! Sandbox and production `AgencyRef` rules, and per-agency isolation.

mod common;

use alto_sim::Simulator;
use common::{gateway_problem, Api};

#[tokio::test]
async fn sandbox_refuses_an_agency_ref_so_leaks_are_caught() {
    let sim = Simulator::builder().sandbox().start().await.unwrap();
    let api = Api::new(&sim, Some("8662b309-dc51-58ea-9b1c-8ec10b34e88b")).await;
    let r = api.get("/branches").await;
    assert_eq!(r.status(), 400);
    let p = gateway_problem(r).await;
    assert!(
        p["title"].as_str().unwrap().contains("not used in sandbox"),
        "{p}"
    );
    assert!(p["errors"]["AgencyRef"].is_array());
    let plain = Api::new(&sim, None).await;
    assert_eq!(plain.get("/branches").await.status(), 200);
}

#[tokio::test]
async fn production_requires_a_known_agency_ref() {
    let sim = Simulator::builder()
        .production([
            ("8662b309-dc51-58ea-9b1c-8ec10b34e88b", "Acme Lettings"),
            ("15717b02-2ec5-56db-94e7-74531a345a98", "Bath Homes"),
        ])
        .start()
        .await
        .unwrap();
    let missing = Api::new(&sim, None).await.get("/branches").await;
    assert_eq!(missing.status(), 403);
    assert!(gateway_problem(missing).await["detail"]
        .as_str()
        .unwrap()
        .contains("AgencyRef"));
    let unknown = Api::new(&sim, Some("45d38ada-cbcc-5ff6-9e3e-555b21d76833"))
        .await
        .get("/branches")
        .await;
    assert_eq!(unknown.status(), 403);
    let known = Api::new(&sim, Some("15717b02-2ec5-56db-94e7-74531a345a98"))
        .await
        .get("/branches")
        .await;
    assert_eq!(known.status(), 200);
    let v: serde_json::Value = known.json().await.unwrap();
    assert!(v["items"][0]["name"]
        .as_str()
        .unwrap()
        .starts_with("Bath Homes"));
}

#[tokio::test]
async fn each_agency_sees_only_its_own_records() {
    let sim = Simulator::builder()
        .production([
            ("8662b309-dc51-58ea-9b1c-8ec10b34e88b", "Acme Lettings"),
            ("15717b02-2ec5-56db-94e7-74531a345a98", "Bath Homes"),
        ])
        .start()
        .await
        .unwrap();
    let a = Api::new(&sim, Some("8662b309-dc51-58ea-9b1c-8ec10b34e88b")).await;
    let b = Api::new(&sim, Some("15717b02-2ec5-56db-94e7-74531a345a98")).await;
    let before = sim.counts(Some("15717b02-2ec5-56db-94e7-74531a345a98"));
    let id = a.contact("Ada", "Lovelace", "ada@example.co.uk").await;
    assert_eq!(a.get(&format!("/contacts/{id}")).await.status(), 200);
    assert_eq!(b.get(&format!("/contacts/{id}")).await.status(), 404);
    // The same person may exist in both agencies: no 409 across agencies.
    b.contact("Ada", "Lovelace", "ada@example.co.uk").await;
    assert_eq!(
        sim.counts(Some("8662b309-dc51-58ea-9b1c-8ec10b34e88b"))
            .contacts,
        before.contacts + 1
    );
    assert_eq!(
        sim.counts(Some("15717b02-2ec5-56db-94e7-74531a345a98"))
            .contacts,
        before.contacts + 1
    );
    // Seeded data is per agency too: 8662b309-dc51-58ea-9b1c-8ec10b34e88b's reference checks are not 15717b02-2ec5-56db-94e7-74531a345a98's.
    let a_checks = sim.reference_checks(Some("8662b309-dc51-58ea-9b1c-8ec10b34e88b"));
    let b_checks = sim.reference_checks(Some("15717b02-2ec5-56db-94e7-74531a345a98"));
    assert_eq!(a_checks.len(), b_checks.len());
    assert!(a_checks.iter().all(|c| !b_checks
        .iter()
        .any(|d| d.reference_check_id == c.reference_check_id)));
    let tenancy = a_checks[0].tenancy_id.unwrap();
    assert_eq!(b.get(&format!("/tenancies/{tenancy}")).await.status(), 404);
}
