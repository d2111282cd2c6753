//! `alto admin serve` and `alto poll` stop gracefully on SIGTERM: a webhook delivery in flight
//! when the signal comes is still answered 202 and stored, a poll in progress finishes and
//! releases its leases, and both exit 0 within seconds. Also the endpoints for the platform:
//! `/healthz`, `/readyz`, and `/metrics` (refused without its token, complete with it).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use alto_admin::Store;
use alto_webhooks::store::EventStore;

const SECRET: &str = "a-webhook-secret-long-enough-0123";
const METRICS_TOKEN: &str = "a-metrics-token-long-enough-0123456";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn get(port: u16, path: &str, token: Option<&str>) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    let auth = token
        .map(|t| format!("authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nhost: localhost\r\n{auth}connection: close\r\n\r\n"
    )
    .ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    let status = answer.split(' ').nth(1)?.parse().ok()?;
    Some((status, answer))
}

fn wait_ready(port: u16, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the server exited early"
        );
        if get(port, "/readyz", None).is_some_and(|(s, _)| s == 200) {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("not ready within 60 s");
}

fn terminate(child: &Child) {
    let pid = i32::try_from(child.id()).unwrap();
    // SAFETY: sends a signal to our own child process, whose id we hold.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
}

fn exit_within(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("still running {limit:?} after SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_serve_finishes_a_delivery_in_flight_and_exits_0_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let db_url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("a.sqlite").display()
    );
    let store = Store::connect(&db_url).await.unwrap();
    let (port, metrics_port) = (free_port(), free_port());
    let mut child = Command::new(env!("CARGO_BIN_EXE_alto"))
        .env_clear()
        .env("ALTO_WEBHOOK_SECRET", SECRET)
        .env("ALTO_METRICS_TOKEN", METRICS_TOKEN)
        .args(["admin", "serve", "--bind", &format!("127.0.0.1:{port}")])
        .args(["--metrics-addr", &format!("127.0.0.1:{metrics_port}")])
        .args(["--database-url", &db_url])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_ready(port, &mut child);
    assert_eq!(get(port, "/healthz", None).unwrap().0, 200);
    assert_eq!(
        get(port, "/metrics", None).unwrap().0,
        401,
        "no token, no metrics"
    );
    assert_eq!(get(port, "/metrics", Some("wrong")).unwrap().0, 401);
    assert_eq!(get(port, "/metrics", Some(METRICS_TOKEN)).unwrap().0, 200);
    assert_eq!(get(metrics_port, "/metrics", None).unwrap().0, 200);

    // A refused sign-in and the delivery itself show in the metrics.
    let mut login = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let form = "username=ann&password=wrong&csrf=forged";
    write!(
        login,
        "POST /admin/login HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\
         content-type: application/x-www-form-urlencoded\r\ncontent-length: {}\r\n\r\n{form}",
        form.len()
    )
    .unwrap();
    let mut refused = String::new();
    login.read_to_string(&mut refused).unwrap();
    assert!(refused.starts_with("HTTP/1.1 403"), "{refused}");
    let (_, text) = get(metrics_port, "/metrics", None).unwrap();
    assert!(
        text.contains("alto_admin_login_failures_total{reason=\"form_expired\"} 1"),
        "{text}"
    );

    // Half a delivery, then SIGTERM, then the rest: the request in flight is completed.
    let body = serde_json::json!({
        "specversion": "1.0", "id": "0b7e6d2c-1f3a-4c5b-8d9e-7a6b5c4d3e21|integration-1", "source": "alto",
        "type": "Contact.Created", "subject": "/contacts/1", "time": "2026-03-01T10:00:00Z",
        "datacontenttype": "application/json",
        "data": {"integrationId": "integration-1", "agencyRef": "8662b309-dc51-58ea-9b1c-8ec10b34e88b", "subjectId": "1"},
    })
    .to_string();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "POST /webhooks/alto HTTP/1.1\r\nhost: localhost\r\nx-signature: {SECRET}\r\n\
         content-type: application/cloudevents+json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    let (first, rest) = body.split_at(body.len() / 2);
    stream.write_all(first.as_bytes()).unwrap();
    stream.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    terminate(&child);
    std::thread::sleep(Duration::from_millis(500));
    stream.write_all(rest.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 202"), "{answer}");

    let status = exit_within(&mut child, Duration::from_secs(10));
    assert!(status.success(), "{status:?}");
    let (stored, _) = EventStore::new(store.clone()).counts().await.unwrap();
    assert_eq!(stored, 1, "the delivery accepted during shutdown is stored");
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "no longer accepting"
    );
}

const AGENCIES: [(&str, &str); 3] = [
    ("8662b309-dc51-58ea-9b1c-8ec10b34e88b", "Acme Lettings"),
    ("15717b02-2ec5-56db-94e7-74531a345a98", "Bath Homes"),
    ("074f9fbc-b7e7-559e-a2d9-474de24205f4", "Cardiff Rentals"),
];

#[tokio::test(flavor = "multi_thread")]
async fn poll_finishes_its_agency_releases_the_lease_and_exits_0_on_sigterm() {
    // Slow answers, so the signal comes while an agency is being polled.
    let sim = alto_sim::Simulator::builder()
        .production(AGENCIES)
        .seed_demo_data(true)
        .faults(alto_sim::Faults::none().latency(Duration::from_millis(300)))
        .start()
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db_url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("p.sqlite").display()
    );
    let store = Store::connect(&db_url).await.unwrap();
    for (i, (agency_ref, name)) in AGENCIES.iter().enumerate() {
        store
            .insert_agency(&alto_admin::NewAgency {
                use_production: true,
                alto_agency_ref: Some((*agency_ref).into()),
                ..alto_admin::NewAgency::sandbox(format!("agency-{i}"), *name)
            })
            .await
            .unwrap();
    }
    let (health_port, metrics_port) = (free_port(), free_port());
    let creds = sim.credentials();
    let mut child = Command::new(env!("CARGO_BIN_EXE_alto"))
        .env_clear()
        .env("ALTO_CLIENT_ID", &creds.client_id)
        .env("ALTO_CLIENT_SECRET", &creds.client_secret)
        .args(["poll", "--concurrency", "1", "--interval", "1"])
        .args(["--env", "production", "--api-url", &sim.base_url()])
        .args(["--health-addr", &format!("127.0.0.1:{health_port}")])
        .args(["--metrics-addr", &format!("127.0.0.1:{metrics_port}")])
        .args(["--database-url", &db_url])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_ready(health_port, &mut child);
    assert_eq!(get(health_port, "/healthz", None).unwrap().0, 200);
    // Wait for the first agency to be polled, then for a lease to be held again.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (_, text) = get(metrics_port, "/metrics", None).unwrap();
        if text.contains("alto_poller_lag_seconds{agency=\"agency-") {
            assert!(text.contains("alto_calls_total{operation="), "{text}");
            assert!(
                text.contains("alto_call_duration_seconds_bucket{"),
                "{text}"
            );
            assert!(
                text.contains("alto_token_fetches_total{outcome=\"ok\"}"),
                "{text}"
            );
            assert!(!text.contains(AGENCIES[0].0), "no AgencyRef in a label");
            break;
        }
        assert!(Instant::now() < deadline, "no agency polled within 60 s");
        std::thread::sleep(Duration::from_millis(100));
    }
    let leases = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM alto_poll_leases")
            .fetch_one(store.pool())
            .await
            .unwrap()
    };
    while leases().await == 0 {
        assert!(Instant::now() < deadline, "no lease taken within 60 s");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    terminate(&child);
    let status = exit_within(&mut child, Duration::from_secs(10));
    assert!(status.success(), "{status:?}");
    assert_eq!(leases().await, 0, "every lease released");
    let marks = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM alto_poll_state")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert!(marks >= 1, "the agency in progress was finished and marked");
}
