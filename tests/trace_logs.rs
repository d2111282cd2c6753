//! Secrets stay out of TRACE logs.
//!
//! This test has its own binary because it installs the *global* subscriber: with a thread-local
//! one (`set_default`), tests running on other threads could register tracing callsites first
//! and have them cached as disabled, and the capture would miss the `alto.call` span.

mod support;

use std::io;
use std::sync::{Arc, Mutex};

use alto::{AgencyRef, Environment};
use serde_json::json;
use support::{list_reference_checks, MockAlto, Reply, CLIENT_SECRET};

const REFERENCE_CHECKS: &str = "GET /ReferenceChecks";

/// Everything the subscriber writes, kept for the assertions.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

#[tokio::test]
async fn trace_logs_of_a_token_and_call_cycle_hold_no_secret() {
    // `log` records (reqwest's) become tracing events too.
    tracing_log::LogTracer::init().expect("the only logger");
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");

    let mock = MockAlto::start();
    mock.on(
        REFERENCE_CHECKS,
        Reply::json(200, json!({"items": [], "meta": {}})),
    );
    mock.revoke_token("access-token-1"); // a 401, a refresh and a retry
    let client = mock.client(Environment::Production);
    let agency = client
        .agency(
            Environment::Production,
            Some(AgencyRef::parse("3de66524-cb50-5e76-aba2-e4048ba50687").unwrap()),
            "Acme Lettings",
        )
        .unwrap();
    list_reference_checks(&agency).await.unwrap();
    assert_eq!(mock.token_requests(), 2);

    let logs = captured.text();
    // What should be there is there (so an empty capture cannot pass) …
    for expected in [
        "alto.call",
        "get_reference_checks",
        "status=200",
        "attempts=2",
        "Acme Lettings",
        "requesting Alto access token",
        "retrying once with a fresh token",
    ] {
        assert!(
            logs.contains(expected),
            "{expected:?} missing from:\n{logs}"
        );
    }
    // … and no secret is.
    let basic = mock
        .basic_credentials()
        .trim_start_matches("Basic ")
        .to_string();
    for secret in [CLIENT_SECRET, &basic, "access-token-1", "access-token-2"] {
        assert!(!logs.contains(secret), "{secret:?} leaked into:\n{logs}");
    }
}
