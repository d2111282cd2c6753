//! Drives the `alto` binary as a process: the demo, reference checks against a simulator the
//! test starts, and a bad-credentials failure.

use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::*;

/// The `alto` binary with a clean environment (no credentials, no overrides).
fn alto() -> Command {
    let mut cmd = Command::cargo_bin("alto").expect("alto binary");
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .timeout(Duration::from_secs(120));
    cmd
}

async fn simulator(faults: alto_sim::Faults) -> alto_sim::RunningSimulator {
    alto_sim::Simulator::builder()
        .sandbox()
        .seed_demo_data(true)
        .faults(faults)
        .start()
        .await
        .expect("simulator starts")
}

#[test]
fn demo_runs_on_the_embedded_simulator_with_no_environment() {
    alto()
        .arg("demo")
        .assert()
        .success()
        .stdout(predicate::str::contains("demo finished"))
        .stdout(predicate::str::contains("property with owner"))
        .stdout(predicate::str::contains("marked Completed"));
}

#[test]
fn demo_json_lists_every_step() {
    let out = alto().args(["demo", "--json"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let steps: Vec<&str> = summary["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["step"].as_str().unwrap())
        .collect();
    for step in [
        "token",
        "owner contact",
        "property with owner",
        "documents",
        "viewing appointment",
        "tenancy tenants and guarantors",
        "reference checks (last 7 days)",
        "reference check completed",
    ] {
        assert!(steps.contains(&step), "missing step {step}: {steps:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn reference_checks_list_against_a_simulator_started_by_the_test() {
    let sim = simulator(alto_sim::Faults::none()).await;
    let creds = sim.credentials();
    let (id, secret) = (creds.client_id.clone(), creds.client_secret.clone());
    let url = sim.base_url();
    let out = tokio::task::spawn_blocking(move || {
        alto()
            .env("ALTO_CLIENT_ID", id)
            .env("ALTO_CLIENT_SECRET", secret)
            .args([
                "--json",
                "reference-checks",
                "list",
                "--api-url",
                &url,
                "--since",
                "7d",
            ])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let week_ago = chrono::Utc::now() - chrono::Duration::days(7);
    let expected = sim
        .reference_checks(None)
        .iter()
        .filter(|c| c.created_date.is_some_and(|d| d >= week_ago))
        .count();
    assert!(expected > 0, "the demo data has recent reference checks");
    assert_eq!(listed.len(), expected);
    let list_calls = sim
        .requests()
        .iter()
        .filter(|r| r.path == "/ReferenceChecks")
        .count();
    assert!(list_calls >= 1);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_credentials_give_one_clear_sentence_a_hint_and_a_failure_code() {
    let sim = simulator(alto_sim::Faults::none()).await;
    let url = sim.base_url();
    let out = tokio::task::spawn_blocking(move || {
        alto()
            .env("ALTO_CLIENT_ID", "wrong")
            .env("ALTO_CLIENT_SECRET", "also-wrong")
            .args(["reference-checks", "list", "--api-url", &url])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(3), "refused credentials exit 3");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: Alto refused the client credentials for wrong"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: check ALTO_CLIENT_ID and ALTO_CLIENT_SECRET"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("also-wrong"),
        "the secret must never be printed: {stderr}"
    );
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("error:")).count(),
        1
    );
    sim.shutdown().await;
}

/// 10% injected 503s (failing writes after they were applied, the hard case) and 200 ms latency
/// spikes on 10% of calls: the demo completes, and nothing is created twice. Several seeds, so
/// both reads and writes meet faults.
#[tokio::test(flavor = "multi_thread")]
async fn demo_survives_faults_and_creates_nothing_twice() {
    let (mut faulted_reads, mut faulted_writes) = (0, 0);
    for seed in 1..=6 {
        let faults = alto_sim::Faults::none()
            .error_rate(503, 0.10)
            .latency_spikes(0.10, Duration::from_millis(200))
            .fail_after_commit(true)
            .seed(seed);
        let sim = simulator(faults).await;
        let before = sim.counts(None);
        let creds = sim.credentials();
        let (id, secret) = (creds.client_id.clone(), creds.client_secret.clone());
        let url = sim.base_url();
        let out = tokio::task::spawn_blocking(move || {
            alto()
                .env("ALTO_CLIENT_ID", id)
                .env("ALTO_CLIENT_SECRET", secret)
                .args(["demo", "--api-url", &url])
                .output()
                .unwrap()
        })
        .await
        .unwrap();
        assert!(
            out.status.success(),
            "seed {seed}: demo failed under faults: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let after = sim.counts(None);
        assert_eq!(
            after.contacts - before.contacts,
            2,
            "seed {seed}: owner + applicant, once each"
        );
        assert_eq!(after.properties - before.properties, 1, "seed {seed}");
        assert_eq!(after.documents - before.documents, 2, "seed {seed}");
        assert_eq!(after.appointments - before.appointments, 1, "seed {seed}");
        for r in sim.requests().iter().filter(|r| r.injected.is_some()) {
            if r.method == "GET" {
                faulted_reads += 1
            } else {
                faulted_writes += 1
            }
        }
        sim.shutdown().await;
    }
    assert!(faulted_reads > 0, "some reads met injected faults");
    assert!(faulted_writes > 0, "some writes failed after being applied");
}

/// The steps of one `alto demo --json` run against `sim`, as `(step, result)`.
async fn demo_steps(sim: &alto_sim::RunningSimulator) -> Vec<(String, String)> {
    let creds = sim.credentials();
    let (id, secret) = (creds.client_id.clone(), creds.client_secret.clone());
    let url = sim.base_url();
    let out = tokio::task::spawn_blocking(move || {
        alto()
            .env("ALTO_CLIENT_ID", id)
            .env("ALTO_CLIENT_SECRET", secret)
            .args(["demo", "--json", "--api-url", &url])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "the demo failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    summary["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["step"].as_str().unwrap().to_string(),
                s["result"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn result_of<'a>(steps: &'a [(String, String)], step: &str) -> &'a str {
    steps
        .iter()
        .find(|(s, _)| s == step)
        .map(|(_, r)| r.as_str())
        .unwrap_or_else(|| panic!("no step {step}: {steps:?}"))
}

/// `alto demo` twice against one simulator (what `alto sim serve` runs): the second run's
/// owner contact and property meet 409s, which resolve to the first run's records through
/// `Location`, so both runs pass, name the same records, and create them once.
#[tokio::test(flavor = "multi_thread")]
async fn demo_runs_twice_against_one_simulator() {
    let sim = simulator(alto_sim::Faults::none()).await;
    let before = sim.counts(None);
    let first = demo_steps(&sim).await;
    let second = demo_steps(&sim).await;
    let owner = result_of(&first, "owner contact");
    assert!(owner.ends_with("(created)"), "{owner}");
    assert_eq!(
        result_of(&second, "owner contact"),
        owner.replace("(created)", "(already in Alto)"),
        "the second run finds the first run's owner through the 409's Location"
    );
    let property = result_of(&first, "property with owner");
    assert_eq!(
        result_of(&second, "property with owner"),
        property.replace("(created)", "(already in Alto)")
    );
    assert_eq!(
        result_of(&first, "applicant contact"),
        result_of(&second, "applicant contact")
    );
    let after = sim.counts(None);
    assert_eq!(
        after.contacts - before.contacts,
        2,
        "owner + applicant, once"
    );
    assert_eq!(after.properties - before.properties, 1);
    let refused: Vec<_> = sim
        .requests()
        .iter()
        .filter(|r| r.status == Some(409))
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert!(
        refused.contains(&"POST /contacts".to_string()),
        "the second run met the duplicate contact: {refused:?}"
    );
    sim.shutdown().await;
}

/// Credentials, URLs and production settings left in the environment from real work do not
/// send the demo (which creates records) anywhere but the embedded simulator.
#[tokio::test(flavor = "multi_thread")]
async fn demo_ignores_alto_settings_from_the_environment() {
    let sim = simulator(alto_sim::Faults::none()).await;
    let creds = sim.credentials();
    let (id, secret, url) = (
        creds.client_id.clone(),
        creds.client_secret.clone(),
        sim.base_url(),
    );
    let out = tokio::task::spawn_blocking(move || {
        alto()
            .env("ALTO_CLIENT_ID", id)
            .env("ALTO_CLIENT_SECRET", secret)
            .env("ALTO_API_URL", &url)
            .env("ALTO_TOKEN_URL", format!("{url}/token"))
            .env("ALTO_ENV", "production")
            .env("ALTO_AGENCY_REF", "0f8fad5b-d9cb-469f-a165-70867728950e")
            .args(["demo", "--json"])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["target"], "embedded simulator");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--live"));
    assert!(
        sim.requests().is_empty(),
        "the Alto named by the environment was never called"
    );
    sim.shutdown().await;
}

/// `--live` is the explicit way to Alto's sandbox, and never to production.
#[tokio::test(flavor = "multi_thread")]
async fn demo_live_runs_on_the_configured_sandbox_and_refuses_production() {
    let sim = simulator(alto_sim::Faults::none()).await;
    let creds = sim.credentials();
    let (id, secret, url) = (
        creds.client_id.clone(),
        creds.client_secret.clone(),
        sim.base_url(),
    );
    let run = move |environment: &'static str| {
        let (id, secret, url) = (id.clone(), secret.clone(), url.clone());
        move || {
            alto()
                .env("ALTO_CLIENT_ID", id)
                .env("ALTO_CLIENT_SECRET", secret)
                .env("ALTO_API_URL", url)
                .env("ALTO_ENV", environment)
                .env("ALTO_AGENCY_REF", "0f8fad5b-d9cb-469f-a165-70867728950e")
                .args(["demo", "--live"])
                .output()
                .unwrap()
        }
    };
    let refused = tokio::task::spawn_blocking(run("production"))
        .await
        .unwrap();
    assert_eq!(refused.status.code(), Some(2), "a usage error");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("refuses production"), "{stderr}");
    assert!(sim.requests().is_empty(), "nothing was sent to production");

    let live = tokio::task::spawn_blocking(run("sandbox")).await.unwrap();
    assert!(
        live.status.success(),
        "{}",
        String::from_utf8_lossy(&live.stderr)
    );
    assert!(
        sim.requests().iter().any(|r| r.path != "/token"),
        "the demo ran on the configured sandbox"
    );
    sim.shutdown().await;
}

/// A database URL carries its password: `--help` names the variable, never its value.
#[test]
fn help_never_shows_a_database_url_from_the_environment() {
    for command in [
        &["poll", "--help"][..],
        &["admin", "serve", "--help"],
        &["admin", "create-user", "--help"],
    ] {
        let out = alto()
            .env("DATABASE_URL", "postgres://alto:pw-s3cret@db.internal/alto")
            .env("ALTO_AGENCY_REF", "0f8fad5b-d9cb-469f-a165-70867728950e")
            .args(command)
            .output()
            .unwrap();
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(help.contains("DATABASE_URL"), "{command:?}: {help}");
        assert!(
            !help.contains("pw-s3cret"),
            "{command:?} shows the URL: {help}"
        );
        assert!(
            !help.contains("0f8fad5b"),
            "{command:?} shows the AgencyRef: {help}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn production_needs_an_agency_ref_and_uses_it() {
    let sim = alto_sim::Simulator::builder()
        .production([("541d6d7a-94e5-5f36-9724-f6e2e6a2d57d", "Acme Lettings")])
        .seed_demo_data(true)
        .start()
        .await
        .unwrap();
    let creds = sim.credentials();
    let (id, secret, url) = (
        creds.client_id.clone(),
        creds.client_secret.clone(),
        sim.base_url(),
    );
    let run = move |agency_ref: Option<&'static str>| {
        let (id, secret, url) = (id.clone(), secret.clone(), url.clone());
        move || {
            let mut cmd = alto();
            cmd.env("ALTO_CLIENT_ID", id)
                .env("ALTO_CLIENT_SECRET", secret)
                .args(["--json", "reference-checks", "list"])
                .args(["--env", "production", "--api-url", &url]);
            if let Some(r) = agency_ref {
                cmd.args(["--agency-ref", r]);
            }
            cmd.output().unwrap()
        }
    };
    let without = tokio::task::spawn_blocking(run(None)).await.unwrap();
    assert_eq!(without.status.code(), Some(2), "a configuration error");
    let stderr = String::from_utf8_lossy(&without.stderr);
    assert!(stderr.contains("has no AgencyRef"), "{stderr}");
    assert!(
        sim.requests().is_empty(),
        "nothing was sent before the AgencyRef check"
    );

    let with = tokio::task::spawn_blocking(run(Some("541d6d7a-94e5-5f36-9724-f6e2e6a2d57d")))
        .await
        .unwrap();
    assert!(
        with.status.success(),
        "{}",
        String::from_utf8_lossy(&with.stderr)
    );
    let listed: Vec<serde_json::Value> = serde_json::from_slice(&with.stdout).unwrap();
    assert!(!listed.is_empty());
    assert!(sim
        .requests()
        .iter()
        .filter(|r| r.path != "/token")
        .all(|r| r.header("agencyref") == Some("541d6d7a-94e5-5f36-9724-f6e2e6a2d57d")));
    sim.shutdown().await;
}

/// `alto admin serve` mounts the webhook receiver when a secret is configured: a signed
/// CloudEvent is accepted (202), an unsigned one refused (401).
#[tokio::test(flavor = "multi_thread")]
async fn admin_serve_mounts_the_webhook_receiver() {
    let dir = std::env::temp_dir().join(format!("alto-cli-admin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite://{}?mode=rwc", dir.join("admin.sqlite").display());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = std::process::Command::new(assert_cmd::cargo::cargo_bin("alto"))
        .env_clear()
        .env("ALTO_WEBHOOK_SECRET", "hook-secret-123456")
        .args([
            "admin",
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--database-url",
            &db,
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let url = format!("http://127.0.0.1:{port}/webhooks/alto");
    let http = reqwest::Client::new();
    let event = serde_json::json!({
        "specversion": "1.0", "id": "6f1c2a8e-4b7d-4e1a-9c3f-2d5e8a7b1c40|integration-1", "source": "alto", "type": "Contact.Created",
        "subject": "/contacts/42", "time": "2026-03-01T10:00:00Z", "datacontenttype": "application/json",
        "data": { "integrationId": "integration-1", "agencyRef": "8662b309-dc51-58ea-9b1c-8ec10b34e88b", "subjectId": "42" }
    });
    let mut answer = None;
    for _ in 0..100 {
        match http
            .post(&url)
            .header("x-signature", "hook-secret-123456")
            .header("content-type", "application/cloudevents+json")
            .json(&event)
            .send()
            .await
        {
            Ok(r) => {
                answer = Some(r.status().as_u16());
                break;
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    let unsigned = http
        .post(&url)
        .header("content-type", "application/cloudevents+json")
        .json(&event)
        .send()
        .await
        .map(|r| r.status().as_u16());
    server.kill().unwrap();
    let _ = server.wait();
    assert_eq!(answer, Some(202), "a signed event is accepted");
    assert_eq!(unsigned.unwrap(), 401, "an unsigned event is refused");
}

const SPEC_UPDATE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/spec-update.json"
);
const VENDORED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi/alto.json");

#[test]
fn spec_diff_reports_the_update_as_text_and_json() {
    alto()
        .args(["spec", "diff", VENDORED, SPEC_UPDATE])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "removed  GET /guarantorIds (get_guarantor_ids)  BREAKING  used by the facade: Tenancies::guarantors",
        ))
        .stdout(predicate::str::contains(
            "changed  POST /contacts (create_contact)  BREAKING  used by the facade: Contacts::create, Contacts::create_or_existing",
        ));
    let out = alto()
        .args(["--json", "spec", "diff", VENDORED, SPEC_UPDATE])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["breakingForFacade"], 5);
    alto()
        .args(["spec", "diff", VENDORED, VENDORED])
        .assert()
        .success()
        .stdout(predicate::str::contains("no drift"));
}

#[test]
fn spec_import_to_another_path_compares_with_the_vendored_spec() {
    let dir = std::env::temp_dir().join(format!("alto-spec-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("elsewhere.json");
    // Before the fix, an absent --out path was the baseline: every operation showed as added.
    alto()
        .args(["spec", "import", SPEC_UPDATE, "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "operations: 1 removed, 16 changed, 1 added (5 used by the facade)",
        ));
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .contains("/ReferenceChecks/{referenceCheckId}"));
    std::fs::remove_dir_all(&dir).unwrap();
}
