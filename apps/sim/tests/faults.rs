//! Fault injection: it really injects, reproducibly, and `fail_after_commit` decides whether a
//! failed write exists.

mod common;

use std::time::{Duration, Instant};

use alto_sim::{Faults, Injected, Simulator};
use common::Api;
use serde_json::json;

async fn statuses(faults: Faults, calls: usize) -> Vec<u16> {
    let sim = Simulator::builder().faults(faults).start().await.unwrap();
    let api = Api::new(&sim, None).await;
    let mut out = Vec::new();
    for _ in 0..calls {
        out.push(api.get("/negotiators").await.status().as_u16());
    }
    out
}

#[tokio::test]
async fn error_rate_is_injected_at_about_the_configured_share_and_reproducibly() {
    let faults = Faults::default()
        .error_rate(503, 0.2)
        .error_rate(500, 0.05)
        .retry_after(Duration::from_secs(2))
        .seed(11);
    let first = statuses(faults.clone(), 300).await;
    let n503 = first.iter().filter(|s| **s == 503).count();
    let n500 = first.iter().filter(|s| **s == 500).count();
    // 300 draws at 20%: mean 60, sd ~7; at ~4% (after 503s): mean ~12.
    assert!((35..=85).contains(&n503), "{n503}");
    assert!((2..=30).contains(&n500), "{n500}");
    assert_eq!(
        first.iter().filter(|s| **s == 200).count(),
        300 - n503 - n500
    );
    assert_eq!(
        statuses(faults.clone(), 300).await,
        first,
        "same seed, same faults"
    );
    assert_ne!(statuses(faults.seed(12), 300).await, first);
}

#[tokio::test]
async fn injected_503_carries_retry_after_and_the_token_endpoint_is_exempt() {
    let sim = Simulator::builder()
        .faults(
            Faults::default()
                .error_rate(503, 1.0)
                .retry_after(Duration::from_secs(3)),
        )
        .start()
        .await
        .unwrap();
    let api = Api::new(&sim, None).await; // the token call succeeds despite 100% errors
    let r = api.get("/branches").await;
    assert_eq!(r.status(), 503);
    assert_eq!(r.headers()["retry-after"], "3");
    common::gateway_problem(r).await;
    let recorded = sim.requests();
    assert_eq!(recorded[0].path, "/token");
    assert_eq!(recorded[0].injected, None);
    assert_eq!(
        recorded[1].injected,
        Some(Injected::Status {
            status: 503,
            after_commit: false
        })
    );

    let strict = Simulator::builder()
        .faults(
            Faults::default()
                .error_rate(503, 1.0)
                .include_token_endpoint(true),
        )
        .start()
        .await
        .unwrap();
    let r = reqwest::Client::new()
        .post(strict.token_url())
        .basic_auth("sim-client", Some("sim-secret"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
}

#[tokio::test]
async fn latency_and_spikes_delay_answers() {
    let sim = Simulator::builder()
        .faults(Faults::default().latency(Duration::from_millis(60)))
        .start()
        .await
        .unwrap();
    let api = Api::new(&sim, None).await;
    let t = Instant::now();
    api.get("/branches").await;
    assert!(t.elapsed() >= Duration::from_millis(60));

    let spiky = Simulator::builder()
        .faults(
            Faults::default()
                .latency_spikes(0.5, Duration::from_millis(100))
                .seed(3),
        )
        .start()
        .await
        .unwrap();
    let api = Api::new(&spiky, None).await;
    let mut slow = 0;
    for _ in 0..20 {
        let t = Instant::now();
        api.get("/branches").await;
        if t.elapsed() >= Duration::from_millis(100) {
            slow += 1;
        }
    }
    assert!((3..=17).contains(&slow), "{slow}");
}

#[tokio::test]
async fn connection_resets_are_transport_errors() {
    let sim = Simulator::builder()
        .faults(Faults::default().resets(0.5).seed(5))
        .start()
        .await
        .unwrap();
    let api = Api::new(&sim, None).await;
    let (mut resets, mut ok) = (0, 0);
    for _ in 0..30 {
        match api.request(reqwest::Method::GET, "/branches").send().await {
            Ok(r) => {
                assert_eq!(r.status(), 200);
                ok += 1;
            }
            Err(e) => {
                assert!(e.status().is_none(), "{e}");
                assert!(e.is_request() || e.is_connect() || e.is_body(), "{e:?}");
                resets += 1;
            }
        }
    }
    assert!(resets >= 5 && ok >= 5, "resets {resets}, ok {ok}");
    let recorded = sim.requests();
    assert_eq!(
        recorded.iter().filter(|r| r.status.is_none()).count(),
        resets
    );
}

async fn failed_create(after_commit: bool) -> (u16, usize, usize) {
    let sim = Simulator::builder()
        .faults(
            Faults::default()
                .error_rate(503, 1.0)
                .fail_after_commit(after_commit),
        )
        .start()
        .await
        .unwrap();
    let api = Api::new(&sim, None).await;
    let before = sim.counts(None).contacts;
    let body = json!({"branchId": sim.contacts(None)[0].branch.as_ref().unwrap().id,
        "people": [{"surname": "Lost", "emailAddresses": [{"address": "lost@example.co.uk"}]}]});
    let status = api.post_json("/contacts", &body).await.status().as_u16();
    (status, before, sim.counts(None).contacts)
}

#[tokio::test]
async fn fail_after_commit_decides_whether_a_failed_post_was_applied() {
    let (status, before, after) = failed_create(false).await;
    assert_eq!(
        (status, after),
        (503, before),
        "failure before commit creates nothing"
    );
    let (status, before, after) = failed_create(true).await;
    assert_eq!(
        (status, after),
        (503, before + 1),
        "failure after commit keeps the record"
    );
}

#[tokio::test]
async fn reset_after_commit_also_keeps_the_record() {
    let sim = Simulator::builder()
        .faults(Faults::default().resets(1.0).fail_after_commit(true))
        .start()
        .await
        .unwrap();
    let api = Api::new(&sim, None).await;
    let before = sim.counts(None).contacts;
    let body = json!({"branchId": sim.contacts(None)[0].branch.as_ref().unwrap().id,
        "people": [{"surname": "Gone", "emailAddresses": [{"address": "gone@example.co.uk"}]}]});
    let sent = api
        .request(reqwest::Method::POST, "/contacts")
        .json(&body)
        .send()
        .await;
    assert!(sent.is_err());
    assert_eq!(sim.counts(None).contacts, before + 1);
    // GETs are never "after commit": the reset happens before the handler.
    assert!(api
        .request(reqwest::Method::GET, "/branches")
        .send()
        .await
        .is_err());
    let last = sim.requests().pop().unwrap();
    assert_eq!(
        last.injected,
        Some(Injected::Reset {
            after_commit: false
        })
    );
}
