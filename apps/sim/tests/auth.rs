//! Token endpoint and bearer checks.

mod common;

use std::time::Duration;

use alto_sim::Simulator;
use serde_json::Value;

#[tokio::test]
async fn client_credentials_give_a_bearer_token_that_opens_the_api() {
    let sim = Simulator::builder()
        .credentials("id-1", "secret-1")
        .start()
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let r = http
        .post(sim.token_url())
        .basic_auth("id-1", Some("secret-1"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["token_type"], "Bearer");
    assert_eq!(v["expires_in"], 3600);
    let token = v["access_token"].as_str().unwrap();
    let ok = http
        .get(format!("{}/branches", sim.base_url()))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(sim.token_requests(), 1);

    // Tokens are random, and no recorded request keeps a secret.
    let again = common::token(&sim).await;
    assert_ne!(again, token);
    for request in sim.requests() {
        let auth = request.header("authorization").unwrap_or_default();
        assert!(auth.ends_with("****"), "{auth}");
        assert!(!format!("{request:?}").contains(token));
        assert!(!format!("{request:?}").contains("secret-1"));
    }
}

#[tokio::test]
async fn wrong_credentials_and_grants_are_refused_in_oauth_terms() {
    let sim = Simulator::builder().start().await.unwrap();
    let http = reqwest::Client::new();
    let send = |id: &'static str, secret: &'static str, grant: Option<&'static str>| {
        let mut r = http.post(sim.token_url()).basic_auth(id, Some(secret));
        if let Some(g) = grant {
            r = r.form(&[("grant_type", g)]);
        }
        r.send()
    };
    let bad = send("sim-client", "wrong", Some("client_credentials"))
        .await
        .unwrap();
    assert_eq!(bad.status(), 401);
    assert_eq!(
        bad.json::<Value>().await.unwrap()["error"],
        "invalid_client"
    );
    let unknown = send("someone", "sim-secret", Some("client_credentials"))
        .await
        .unwrap();
    assert_eq!(unknown.status(), 401);
    let grant = send("sim-client", "sim-secret", Some("password"))
        .await
        .unwrap();
    assert_eq!(grant.status(), 400);
    assert_eq!(
        grant.json::<Value>().await.unwrap()["error"],
        "unsupported_grant_type"
    );
    let missing = send("sim-client", "sim-secret", None).await.unwrap();
    assert_eq!(missing.status(), 400);
    assert_eq!(sim.token_requests(), 4);
}

#[tokio::test]
async fn api_calls_need_a_valid_unexpired_bearer_token() {
    let sim = Simulator::builder()
        .token_lifetime(Duration::from_secs(1))
        .start()
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let url = format!("{}/negotiators", sim.base_url());
    let none = http.get(&url).send().await.unwrap();
    assert_eq!(none.status(), 401);
    let p = common::gateway_problem(none).await;
    assert!(p["detail"].as_str().unwrap().contains("Bearer"));
    let forged = http
        .get(&url)
        .bearer_auth("sim.forged")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 401);

    let token = common::token(&sim).await;
    assert_eq!(
        http.get(&url)
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    tokio::time::sleep(Duration::from_millis(1300)).await;
    let expired = http.get(&url).bearer_auth(&token).send().await.unwrap();
    assert_eq!(expired.status(), 401);
    assert!(common::gateway_problem(expired).await["detail"]
        .as_str()
        .unwrap()
        .contains("expired"));
    let fresh = common::token(&sim).await;
    assert_eq!(
        http.get(&url)
            .bearer_auth(&fresh)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test]
async fn unknown_routes_answer_problem_details() {
    let sim = Simulator::builder().start().await.unwrap();
    let api = common::Api::new(&sim, None).await;
    let r = api.get("/no/such/route").await;
    assert_eq!(r.status(), 404);
    let p = common::gateway_problem(r).await;
    assert!(p["detail"].as_str().unwrap().contains("/no/such/route"));
    sim.shutdown().await;
}
