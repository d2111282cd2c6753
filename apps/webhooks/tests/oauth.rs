//! OAuth2 client credentials, the third way Alto can authenticate its callbacks: this app is the
//! token endpoint. Tokens are issued only for a right secret, expire, are for one integration,
//! die with their client; secrets and tokens are stored hashed. On SQLite and PostgreSQL.

mod common;

use std::time::Duration;

use alto_webhooks::receiver::{routes_with_worker, OAuthClients, ReceiverConfig, WebhookAuth};
use alto_webhooks::store::EventStore;
use alto_webhooks::{Handlers, Worker, WorkerConfig};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use base64::Engine;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

const LIFETIME: Duration = Duration::from_secs(600);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oauth2_on_sqlite() {
    let db = common::sqlite().await;
    oauth2(&db.store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oauth2_on_postgres() {
    let Some(db) = common::postgres().await else {
        return;
    };
    oauth2(&db.store).await;
}

async fn send(app: &Router, request: Request<Body>) -> (StatusCode, Value) {
    let answer = app.clone().oneshot(request).await.unwrap();
    let status = answer.status();
    let bytes = answer.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn token_request(form: &str, basic: Option<(&str, &str)>) -> Request<Body> {
    let mut request = Request::post("/webhooks/alto/token")
        .header("content-type", "application/x-www-form-urlencoded");
    if let Some((id, secret)) = basic {
        let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"));
        request = request.header("authorization", format!("Basic {encoded}"));
    }
    request.body(Body::from(form.to_string())).unwrap()
}

fn event(token: &str, integration: &str, id: &str) -> Request<Body> {
    let body = common::envelope(
        id,
        integration,
        "Contact.Modified",
        "/contacts/7",
        "2026-03-01T10:00:00Z",
        json!({}),
    );
    Request::post("/webhooks/alto")
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {token}"))
        .body(Body::from(body))
        .unwrap()
}

async fn oauth2(store: &alto_admin::Store) {
    let worker = Worker::new(
        EventStore::new(store.clone()),
        Handlers::new(),
        WorkerConfig::default(),
    );
    let config = ReceiverConfig::new(WebhookAuth::oauth2(LIFETIME));
    let failures = config.auth_failures();
    let app = routes_with_worker(config, worker);
    let clients = OAuthClients::new(store.clone());
    let north = clients.issue("int-north").await.unwrap();
    let south = clients.issue("int-south").await.unwrap();
    assert!(!format!("{north:?}").contains(&north.client_secret));

    // Secrets are stored as argon2id hashes only.
    let hashes: Vec<String> = sqlx::query_scalar::<_, String>(
        "SELECT secret_hash FROM alto_webhook_oauth_clients ORDER BY client_id",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    assert_eq!(hashes.len(), 2);
    for hash in &hashes {
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(!hash.contains(&north.client_secret) && !hash.contains(&south.client_secret));
    }

    // Token endpoint denials.
    let grant = "grant_type=client_credentials";
    let (status, body) = send(
        &app,
        token_request(grant, Some((&north.client_id, "wrong-secret"))),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_client"))
    );
    let (status, _) = send(
        &app,
        token_request(grant, Some(("alto-nobody", &north.client_secret))),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = send(&app, token_request(grant, None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = send(
        &app,
        token_request(
            "grant_type=password",
            Some((&north.client_id, &north.client_secret)),
        ),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("unsupported_grant_type"))
    );
    assert_eq!(failures.count(), 3);

    // Tokens: by HTTP Basic and by the form.
    let (status, body) = send(
        &app,
        token_request(grant, Some((&north.client_id, &north.client_secret))),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert!(body["expires_in"].as_u64().unwrap() >= 1);
    let north_token = body["access_token"].as_str().unwrap().to_string();
    let form = format!(
        "{grant}&client_id={}&client_secret={}",
        south.client_id, south.client_secret
    );
    let (status, body) = send(&app, token_request(&form, None)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let south_token = body["access_token"].as_str().unwrap().to_string();
    let stored: Vec<String> =
        sqlx::query_scalar::<_, String>("SELECT token_hash FROM alto_webhook_oauth_tokens")
            .fetch_all(store.pool())
            .await
            .unwrap();
    assert!(
        stored
            .iter()
            .all(|h| h != &north_token && h != &south_token),
        "tokens stored hashed"
    );

    // Events: the token's own integration only.
    assert_eq!(
        send(&app, event(&north_token, "int-north", "e1")).await.0,
        StatusCode::ACCEPTED
    );
    assert_eq!(
        send(&app, event(&south_token, "int-north", "e2")).await.0,
        StatusCode::FORBIDDEN,
        "token of another integration"
    );
    assert_eq!(
        send(&app, event("made-up-token", "int-north", "e3"))
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    // Other schemes do not stand in for a token.
    let signed = Request::post("/webhooks/alto")
        .header("content-type", "application/json")
        .header("x-signature", &north.client_secret)
        .body(Body::from(common::envelope(
            "e4",
            "int-north",
            "Contact.Modified",
            "/contacts/7",
            "2026-03-01T10:00:00Z",
            json!({}),
        )))
        .unwrap();
    assert_eq!(send(&app, signed).await.0, StatusCode::UNAUTHORIZED);

    // A revoked client's token dies with it.
    assert!(clients.revoke(&south.client_id).await.unwrap());
    assert_eq!(
        send(&app, event(&south_token, "int-south", "e5")).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (status, _) = send(
        &app,
        token_request(grant, Some((&south.client_id, &south.client_secret))),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Expired: a receiver issuing tokens that live 200 ms (argon2 in a debug build is slow, so
    // the lifetime runs from the issue, checked well after it).
    let short = routes_with_worker(
        ReceiverConfig::new(WebhookAuth::oauth2(Duration::from_millis(200))),
        Worker::new(
            EventStore::new(store.clone()),
            Handlers::new(),
            WorkerConfig::default(),
        ),
    );
    let (status, body) = send(
        &short,
        token_request(grant, Some((&north.client_id, &north.client_secret))),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let brief = body["access_token"].as_str().unwrap().to_string();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        send(&short, event(&brief, "int-north", "e6")).await.0,
        StatusCode::UNAUTHORIZED,
        "expired token"
    );
    assert_eq!(
        send(&short, event(&north_token, "int-north", "e7")).await.0,
        StatusCode::ACCEPTED,
        "the long-lived one still works"
    );
    assert_eq!(EventStore::new(store.clone()).counts().await.unwrap().0, 2);
}
