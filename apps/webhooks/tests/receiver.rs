//! The receiver over HTTP (`oneshot`): authentication, limits, parsing, de-duplication, and the
//! worker processing each event exactly once.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use alto_admin::NewAgency;
use alto_webhooks::receiver::{routes_with_worker, ReceiverConfig, WebhookAuth};
use alto_webhooks::store::EventStore;
use alto_webhooks::{EventKind, Handlers, Worker, WorkerConfig};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use base64::Engine;
use rand::seq::SliceRandom;
use serde_json::json;
use tower::ServiceExt;

use common::event_body;

const SECRET: &str = "alto-shared-secret";
const BASIC_PASSWORD: &str = "alto-basic-password";

fn receiver(store: &alto_admin::Store, auth: WebhookAuth, handlers: Handlers) -> (Router, Worker) {
    let worker = Worker::new(
        EventStore::new(store.clone()),
        handlers,
        WorkerConfig::default(),
    );
    let config = ReceiverConfig::new(auth).body_limit(16 * 1024);
    (routes_with_worker(config, worker.clone()), worker)
}

fn post(body: impl Into<Body>, headers: &[(&str, &str)]) -> Request<Body> {
    let mut request = Request::post("/webhooks/alto");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.body(body.into()).unwrap()
}

async fn status(app: &Router, request: Request<Body>) -> StatusCode {
    app.clone().oneshot(request).await.unwrap().status()
}

const JSON: (&str, &str) = ("content-type", "application/cloudevents+json");
const SIGNED: (&str, &str) = ("x-signature", SECRET);

#[tokio::test]
async fn wrong_or_missing_credentials_are_401_and_nothing_is_stored() {
    let db = common::sqlite().await;
    let (app, _) = receiver(
        &db.store,
        WebhookAuth::shared_secret(SECRET).unwrap(),
        Handlers::new(),
    );
    let body = event_body(
        "e-1",
        "Contact.Created",
        "contacts/1",
        json!({"agencyRef": "8662b309-dc51-58ea-9b1c-8ec10b34e88b"}),
    );
    assert_eq!(
        status(&app, post(body.clone(), &[JSON])).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        status(
            &app,
            post(body.clone(), &[JSON, ("x-signature", "alto-shared-secreT")])
        )
        .await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        status(&app, post(body.clone(), &[JSON, ("x-signature", "")])).await,
        StatusCode::UNAUTHORIZED
    );
    // Basic credentials do not stand in for a configured shared secret.
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("alto:{SECRET}"))
    );
    assert_eq!(
        status(&app, post(body.clone(), &[JSON, ("authorization", &basic)])).await,
        StatusCode::UNAUTHORIZED
    );
    // An unauthenticated oversize body is refused as unauthenticated, before it is read.
    assert_eq!(
        status(&app, post(vec![b'x'; 64 * 1024], &[JSON])).await,
        StatusCode::UNAUTHORIZED
    );
    let events = EventStore::new(db.store.clone());
    assert_eq!(events.counts().await.unwrap(), (0, 0), "nothing stored");

    assert_eq!(
        status(&app, post(body, &[JSON, SIGNED])).await,
        StatusCode::ACCEPTED
    );
    assert_eq!(events.counts().await.unwrap().0, 1);
}

/// A log line that a test can read back.
#[derive(Clone, Default)]
struct CapturedLog(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for CapturedLog {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn failed_authentications_are_counted_and_logged_at_most_once_a_minute() {
    let log = CapturedLog::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let db = common::sqlite().await;
    let worker = Worker::new(
        EventStore::new(db.store.clone()),
        Handlers::new(),
        WorkerConfig::default(),
    );
    let config = ReceiverConfig::new(WebhookAuth::shared_secret(SECRET).unwrap());
    let failures = config.auth_failures();
    let app = routes_with_worker(config, worker);
    let body = event_body("e-f", "Contact.Created", "contacts/1", json!({}));
    let guessed = "guessed-secret-value";
    assert_eq!(
        status(&app, post(body.clone(), &[JSON])).await,
        StatusCode::UNAUTHORIZED
    );
    for _ in 0..9 {
        assert_eq!(
            status(&app, post(body.clone(), &[JSON, ("x-signature", guessed)])).await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        status(&app, post(body, &[JSON, SIGNED])).await,
        StatusCode::ACCEPTED
    );
    assert_eq!(
        failures.count(),
        10,
        "every refusal counted, the success not"
    );

    let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("webhook request refused"))
        .collect();
    assert_eq!(lines.len(), 1, "one line for the burst: {text}");
    assert!(
        lines[0].contains("WARN") && lines[0].contains("no credentials"),
        "{text}"
    );
    assert!(!text.contains(guessed) && !text.contains(SECRET), "{text}");
}

#[tokio::test]
async fn basic_auth_when_configured() {
    let db = common::sqlite().await;
    let (app, _) = receiver(
        &db.store,
        WebhookAuth::basic("alto", BASIC_PASSWORD).unwrap(),
        Handlers::new(),
    );
    let body = event_body("e-b", "Lead.Created", "leads/1", json!({}));
    let encode = |s: &str| {
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(s)
        )
    };
    assert_eq!(
        status(
            &app,
            post(
                body.clone(),
                &[JSON, ("authorization", &encode("alto:nope"))]
            )
        )
        .await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        status(
            &app,
            post(body.clone(), &[JSON, ("x-signature", BASIC_PASSWORD)])
        )
        .await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        status(
            &app,
            post(
                body,
                &[
                    JSON,
                    ("authorization", &encode(&format!("alto:{BASIC_PASSWORD}")))
                ]
            )
        )
        .await,
        StatusCode::ACCEPTED
    );
}

#[tokio::test]
async fn malformed_and_non_cloudevents_bodies_are_400_and_oversize_413() {
    let db = common::sqlite().await;
    let (app, _) = receiver(
        &db.store,
        WebhookAuth::shared_secret(SECRET).unwrap(),
        Handlers::new(),
    );
    for body in [
        "{\"specversion\": \"1.0\", ",
        "not json",
        "",
        "[]",
        "42",
        r#"{"hello":"world"}"#,
        r#"{"specversion":"0.3","id":"1","source":"s","type":"Contact.Created"}"#,
        r#"{"specversion":"1.0","id":"1","type":"Contact.Created"}"#,
        r#"{"specversion":"1.0","id":"1","source":"s"}"#,
        r#"{"specversion":1.0,"id":"1","source":"s","type":"Contact.Created"}"#,
    ] {
        assert_eq!(
            status(&app, post(body, &[JSON, SIGNED])).await,
            StatusCode::BAD_REQUEST,
            "{body:?}"
        );
    }
    let big = event_body(
        "e-big",
        "Contact.Created",
        "contacts/1",
        json!({"pad": "x".repeat(20_000)}),
    );
    assert_eq!(
        status(&app, post(big, &[JSON, SIGNED])).await,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    let ok = event_body("e-ok", "Contact.Created", "contacts/1", json!({}));
    assert_eq!(
        status(
            &app,
            post(ok.clone(), &[("content-type", "text/plain"), SIGNED])
        )
        .await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    let events = EventStore::new(db.store.clone());
    assert_eq!(events.counts().await.unwrap(), (0, 0), "nothing stored");
    // Plain application/json is structured mode too.
    assert_eq!(
        status(
            &app,
            post(
                ok,
                &[("content-type", "application/json; charset=utf-8"), SIGNED]
            )
        )
        .await,
        StatusCode::ACCEPTED
    );
}

/// Alto's retries and duplicates: 10 deliveries of each of a few events, shuffled, posted
/// concurrently while two workers (two instances) process → every handler runs once per event.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_shuffled_deliveries_are_processed_exactly_once() {
    let db = common::sqlite().await;
    shuffled_deliveries(&db.store, &db.store).await;
}

/// The same on PostgreSQL, with the second worker on its own pool (a second instance): claims
/// use `FOR UPDATE SKIP LOCKED`.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_shuffled_deliveries_on_postgres_with_two_instances() {
    let Some(db) = common::postgres().await else {
        return;
    };
    let other = alto_admin::Store::connect(&db.url).await.unwrap();
    shuffled_deliveries(&db.store, &other).await;
}

async fn shuffled_deliveries(store: &alto_admin::Store, other_instance: &alto_admin::Store) {
    let calls: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
    let count = |calls: Arc<Mutex<HashMap<String, usize>>>| {
        move |event: alto_webhooks::AltoEvent| {
            let calls = calls.clone();
            async move {
                *calls.lock().unwrap().entry(event.id.clone()).or_default() += 1;
                Ok(())
            }
        }
    };
    let handlers = Handlers::new()
        .on(EventKind::ContactCreated, count(calls.clone()))
        .on(EventKind::TenancyModified, count(calls.clone()))
        .on(
            EventKind::Other("Viewing.Booked".into()),
            count(calls.clone()),
        );
    let (app, worker_a) = receiver(
        store,
        WebhookAuth::shared_secret(SECRET).unwrap(),
        handlers.clone(),
    );
    let worker_b = Worker::new(
        EventStore::new(other_instance.clone()),
        handlers,
        WorkerConfig {
            idle_poll: Duration::from_millis(20),
            ..WorkerConfig::default()
        },
    );
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let tasks = [worker_a.spawn(stopped.clone()), worker_b.spawn(stopped)];

    let kinds = ["Contact.Created", "Tenancy.Modified", "Viewing.Booked"];
    let mut deliveries = Vec::new();
    for i in 0..12 {
        let body = event_body(
            &format!("evt-{i}"),
            kinds[i % kinds.len()],
            &format!("things/{i}"),
            json!({"agencyRef": "8662b309-dc51-58ea-9b1c-8ec10b34e88b"}),
        );
        let times = if i == 0 { 10 } else { 1 + i % 4 };
        deliveries.extend(std::iter::repeat_n(body, times));
    }
    deliveries.shuffle(&mut rand::thread_rng());
    let total = deliveries.len();
    let answers = futures::future::join_all(deliveries.into_iter().map(|body| {
        let app = app.clone();
        async move { status(&app, post(body, &[JSON, SIGNED])).await }
    }))
    .await;
    assert!(
        answers.iter().all(|s| *s == StatusCode::ACCEPTED),
        "{answers:?}"
    );

    let events = EventStore::new(store.clone());
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while events.counts().await.unwrap() != (12, 12) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "not all processed: {:?}",
            events.counts().await
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Give a stray second run the chance to show up before counting.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let _ = stop.send(true);
    for task in tasks {
        task.await.unwrap();
    }
    let calls = calls.lock().unwrap();
    assert_eq!(calls.len(), 12, "{total} deliveries of 12 events");
    assert!(calls.values().all(|n| *n == 1), "{calls:?}");
}

#[tokio::test]
async fn activation_becomes_pending_and_deactivation_flags_the_agency() {
    let db = common::sqlite().await;
    let store = &db.store;
    store
        .insert_agency(&NewAgency {
            use_production: true,
            alto_agency_ref: Some("40339523-3358-5c31-a816-b9736f16c154".into()),
            ..NewAgency::sandbox("agency-old", "Old Lettings")
        })
        .await
        .unwrap();
    let (app, worker) = receiver(
        store,
        WebhookAuth::shared_secret(SECRET).unwrap(),
        Handlers::new(),
    );
    for (id, kind, data) in [
        (
            "act-1",
            "Integration.Activated",
            json!({"agencyRef": " 4d097a8d-871a-50fb-8709-4d6ba9fbe078 ", "branchId": "BR-7"}),
        ),
        (
            "act-1",
            "Integration.Activated",
            json!({"agencyRef": " 4d097a8d-871a-50fb-8709-4d6ba9fbe078 ", "branchId": "BR-7"}),
        ),
        (
            "deact-1",
            "Integration.Deactivated",
            json!({"agencyRef": "40339523-3358-5c31-a816-b9736f16c154"}),
        ),
    ] {
        let body = event_body(id, kind, "integrations/x", data);
        assert_eq!(
            status(&app, post(body, &[JSON, SIGNED])).await,
            StatusCode::ACCEPTED
        );
    }
    // Without data.agencyRef the envelope is incomplete: refused, naming the field.
    let bad = event_body(
        "act-bad",
        "Integration.Activated",
        "integrations/x",
        json!({"agencyRef": null, "branchId": "BR-8"}),
    );
    let answer = app
        .clone()
        .oneshot(post(bad, &[JSON, SIGNED]))
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    let detail = http_body_util::BodyExt::collect(answer.into_body())
        .await
        .unwrap()
        .to_bytes();
    assert!(
        String::from_utf8_lossy(&detail).contains("data.agencyRef"),
        "{detail:?}"
    );
    worker.drain().await.unwrap();

    let pending = store.pending_activations(10).await.unwrap();
    assert_eq!(pending.len(), 1, "{pending:?}");
    assert_eq!(
        pending[0].agency_ref,
        "4d097a8d-871a-50fb-8709-4d6ba9fbe078"
    );
    assert_eq!(pending[0].branch_id.as_deref(), Some("BR-7"));
    assert_eq!(pending[0].event_id, "act-1|int-1");
    let old = store.agency("agency-old").await.unwrap().unwrap();
    assert!(old.is_deactivated());
    let events = EventStore::new(store.clone());
    assert_eq!(events.counts().await.unwrap(), (2, 2));

    // Alto re-activates the old agency's ref, later: the flag is cleared, nothing to link.
    let body = common::envelope(
        "act-2",
        common::INTEGRATION,
        "Integration.Activated",
        "x",
        "2026-03-01T11:00:00Z",
        json!({"agencyRef": "40339523-3358-5c31-a816-b9736f16c154"}),
    );
    assert_eq!(
        status(&app, post(body, &[JSON, SIGNED])).await,
        StatusCode::ACCEPTED
    );
    worker.drain().await.unwrap();
    assert!(!store
        .agency("agency-old")
        .await
        .unwrap()
        .unwrap()
        .is_deactivated());
    assert_eq!(store.pending_activations(10).await.unwrap().len(), 1);
}

/// One endpoint, two integrations with their own secrets: each secret posts only its own
/// integration's events; one event id delivered to both integrations is two events, a
/// redelivery to one of them a duplicate.
#[tokio::test]
async fn one_endpoint_routes_by_integration_id() {
    let db = common::sqlite().await;
    let worker = Worker::new(
        EventStore::new(db.store.clone()),
        Handlers::new(),
        WorkerConfig::default(),
    );
    const NORTH: &str = "north-integration-secret";
    const SOUTH: &str = "south-integration-secret";
    let config =
        ReceiverConfig::for_integration("int-north", WebhookAuth::shared_secret(NORTH).unwrap())
            .integration("int-south", WebhookAuth::shared_secret(SOUTH).unwrap());
    let failures = config.auth_failures();
    let app = routes_with_worker(config, worker);
    let uuid = "0b6f1a8e-5c8e-4d7a-9a51-3f0f3c1d2e4b";
    let body = |integration: &str| {
        common::envelope(
            uuid,
            integration,
            "Contact.Modified",
            "/contacts/9",
            "2026-03-01T10:00:00Z",
            json!({}),
        )
    };
    let post_as = |body: String, secret: &'static str| post(body, &[JSON, ("x-signature", secret)]);
    // Another integration's secret: refused, nothing stored.
    assert_eq!(
        status(&app, post_as(body("int-north"), SOUTH)).await,
        StatusCode::FORBIDDEN
    );
    // An integration this endpoint does not serve.
    assert_eq!(
        status(&app, post_as(body("int-east"), NORTH)).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        status(&app, post_as(body("int-north"), "not-a-configured-secret")).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(failures.count(), 3);
    let events = EventStore::new(db.store.clone());
    assert_eq!(events.counts().await.unwrap(), (0, 0));

    for (integration, secret) in [
        ("int-north", NORTH),
        ("int-south", SOUTH),
        ("int-north", NORTH),
    ] {
        assert_eq!(
            status(&app, post_as(body(integration), secret)).await,
            StatusCode::ACCEPTED
        );
    }
    assert_eq!(
        events.counts().await.unwrap().0,
        2,
        "de-duplicated on the full id"
    );
    let stored: Vec<(String, Option<String>)> = sqlx::query_as::<_, (String, Option<String>)>(
        "SELECT event_id, integration_id FROM alto_webhook_events ORDER BY event_id",
    )
    .fetch_all(db.store.pool())
    .await
    .unwrap();
    assert_eq!(
        stored,
        [
            (format!("{uuid}|int-north"), Some("int-north".into())),
            (format!("{uuid}|int-south"), Some("int-south".into())),
        ]
    );
}

/// Integration events of a group posted in many seeded random orders, with redeliveries, and
/// processed by the worker: the agency ends as the newest events say, whatever the order.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn integration_events_in_any_order_apply_by_time_on_sqlite() {
    let db = common::sqlite().await;
    integration_events_in_any_order(&db.store).await;
}

/// The same on PostgreSQL.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn integration_events_in_any_order_apply_by_time_on_postgres() {
    let Some(db) = common::postgres().await else {
        return;
    };
    integration_events_in_any_order(&db.store).await;
}

async fn integration_events_in_any_order(store: &alto_admin::Store) {
    use rand::SeedableRng;
    let (app, worker) = receiver(
        store,
        WebhookAuth::shared_secret(SECRET).unwrap(),
        Handlers::new(),
    );
    // (type, branch, minute): two branches activate, one deactivates, the group is disabled and
    // enabled again, then the other branch deactivates → every known branch is off.
    let run: [(&str, Option<&str>, u32); 6] = [
        ("Integration.Activated", Some("BR-1"), 1),
        ("Integration.Activated", Some("BR-2"), 2),
        ("Integration.Deactivated", Some("BR-1"), 3),
        ("Integration.Disabled", None, 4),
        ("Integration.Enabled", None, 5),
        ("Integration.Deactivated", Some("BR-2"), 6),
    ];
    // Expected after each prefix of the run, delivered in any order.
    let expected = [false, false, false, true, false, true];
    let mut rng = rand::rngs::StdRng::seed_from_u64(20_261_204);
    for round in 0..24_usize {
        let len = 1 + round % run.len();
        let agency_ref = format!("6c1d2e3f-4a5b-4c6d-8e7f-{round:012}");
        let agency_id = format!("agency-{round}");
        store
            .insert_agency(&NewAgency {
                use_production: true,
                alto_agency_ref: Some(agency_ref.clone()),
                ..NewAgency::sandbox(agency_id.clone(), "Shuffled Lettings")
            })
            .await
            .unwrap();
        let mut bodies: Vec<String> = run[..len]
            .iter()
            .enumerate()
            .map(|(i, (kind, branch, minute))| {
                let mut data = json!({"agencyRef": agency_ref});
                if let Some(branch) = branch {
                    data["branchId"] = json!(branch);
                }
                common::envelope(
                    &format!("r{round}-e{i}"),
                    common::INTEGRATION,
                    kind,
                    &format!("/branches/{}", branch.unwrap_or("group")),
                    &format!("2026-03-01T10:{minute:02}:00Z"),
                    data,
                )
            })
            .collect();
        let again = bodies[round % len].clone();
        bodies.push(again);
        bodies.shuffle(&mut rng);
        for body in bodies {
            assert_eq!(
                status(&app, post(body, &[JSON, SIGNED])).await,
                StatusCode::ACCEPTED
            );
            // Processed one by one, so each order is really applied in that order.
            worker.drain().await.unwrap();
        }
        let agency = store.agency(&agency_id).await.unwrap().unwrap();
        assert_eq!(
            agency.is_deactivated(),
            expected[len - 1],
            "round {round}, first {len} events"
        );
    }
}
