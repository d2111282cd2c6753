//! Sandbox and production `AgencyRef` rules, and per-agency isolation.

mod common;

use alto_sim::Simulator;
use common::{problem, Api};

#[tokio::test]
async fn sandbox_refuses_an_agency_ref_so_leaks_are_caught() {
    let sim = Simulator::builder().sandbox().start().await.unwrap();
    let api = Api::new(&sim, Some("AG-1")).await;
    let r = api.get("/branches").await;
    assert_eq!(r.status(), 400);
    let p = problem(r).await;
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
        .production([("AG-1", "Acme Lettings"), ("AG-2", "Bath Homes")])
        .start()
        .await
        .unwrap();
    let missing = Api::new(&sim, None).await.get("/branches").await;
    assert_eq!(missing.status(), 403);
    assert!(problem(missing).await["detail"]
        .as_str()
        .unwrap()
        .contains("AgencyRef"));
    let unknown = Api::new(&sim, Some("AG-9")).await.get("/branches").await;
    assert_eq!(unknown.status(), 403);
    let known = Api::new(&sim, Some("AG-2")).await.get("/branches").await;
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
        .production([("AG-1", "Acme Lettings"), ("AG-2", "Bath Homes")])
        .start()
        .await
        .unwrap();
    let a = Api::new(&sim, Some("AG-1")).await;
    let b = Api::new(&sim, Some("AG-2")).await;
    let before = sim.counts(Some("AG-2"));
    let id = a.contact("Ada", "Lovelace", "ada@example.co.uk").await;
    assert_eq!(a.get(&format!("/contacts/{id}")).await.status(), 200);
    assert_eq!(b.get(&format!("/contacts/{id}")).await.status(), 404);
    // The same person may exist in both agencies: no 409 across agencies.
    b.contact("Ada", "Lovelace", "ada@example.co.uk").await;
    assert_eq!(sim.counts(Some("AG-1")).contacts, before.contacts + 1);
    assert_eq!(sim.counts(Some("AG-2")).contacts, before.contacts + 1);
    // Seeded data is per agency too: AG-1's reference checks are not AG-2's.
    let a_checks = sim.reference_checks(Some("AG-1"));
    let b_checks = sim.reference_checks(Some("AG-2"));
    assert_eq!(a_checks.len(), b_checks.len());
    assert!(a_checks.iter().all(|c| !b_checks
        .iter()
        .any(|d| d.reference_check_id == c.reference_check_id)));
    let tenancy = a_checks[0].tenancy_id.unwrap();
    assert_eq!(b.get(&format!("/tenancies/{tenancy}")).await.status(), 404);
}
