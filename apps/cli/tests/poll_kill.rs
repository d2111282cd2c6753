//! `alto poll` killed with SIGKILL mid-run and restarted: the inbox ends with every reference
//! check exactly once, and the restart offers none that the killed run had written. Then
//! `--consume` prints each change once, and an edited contact comes back as one new change.

use std::collections::BTreeSet;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use alto_admin::{NewAgency, Store};
use alto_webhooks::poller::{inbox, REFERENCE_CHECKS};

const AGENCIES: [(&str, &str); 4] = [
    ("8662b309-dc51-58ea-9b1c-8ec10b34e88b", "Acme Lettings"),
    ("15717b02-2ec5-56db-94e7-74531a345a98", "Bath Homes"),
    ("074f9fbc-b7e7-559e-a2d9-474de24205f4", "Cardiff Rentals"),
    ("2a34f564-d108-5c50-9264-b67ca6746628", "Derby Lets"),
];

struct Setup {
    sim: alto_sim::RunningSimulator,
    db_url: String,
    store: Store,
    _dir: tempfile::TempDir,
}

async fn setup() -> Setup {
    // Every answer takes 150 ms, so one agency's token + listing takes a few hundred ms and the
    // test can kill the process between two agencies' hand-offs.
    let sim = alto_sim::Simulator::builder()
        .production(AGENCIES)
        .seed_demo_data(true)
        .faults(alto_sim::Faults::none().latency(Duration::from_millis(150)))
        .start()
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db_url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("admin.sqlite").display()
    );
    let store = Store::connect(&db_url).await.unwrap();
    for (i, (agency_ref, name)) in AGENCIES.iter().enumerate() {
        store
            .insert_agency(&NewAgency {
                use_production: true,
                alto_agency_ref: Some((*agency_ref).into()),
                ..NewAgency::sandbox(format!("agency-{i}"), *name)
            })
            .await
            .unwrap();
    }
    Setup {
        sim,
        db_url,
        store,
        _dir: dir,
    }
}

/// `alto poll --once` against the simulator, one agency at a time, under a fixed instance name.
fn poll(setup: &Setup, extra: &[&str]) -> Command {
    let creds = setup.sim.credentials();
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("alto"));
    cmd.env_clear()
        .env("ALTO_CLIENT_ID", &creds.client_id)
        .env("ALTO_CLIENT_SECRET", &creds.client_secret)
        .env("ALTO_ENV", "production")
        .env("ALTO_API_URL", setup.sim.base_url())
        .args([
            "poll",
            "--once",
            "--concurrency",
            "1",
            "--holder",
            "poller-a",
        ])
        .args(["--database-url", &setup.db_url])
        .args(extra);
    cmd
}

fn all_checks(sim: &alto_sim::RunningSimulator) -> BTreeSet<(String, String)> {
    AGENCIES
        .iter()
        .enumerate()
        .flat_map(|(i, (agency_ref, _))| {
            sim.reference_checks(Some(agency_ref))
                .into_iter()
                .map(move |c| {
                    (
                        format!("agency-{i}"),
                        c.reference_check_id.unwrap().to_string(),
                    )
                })
        })
        .collect()
}

async fn inbox_rows(store: &Store) -> Vec<(String, String)> {
    inbox::open(store, REFERENCE_CHECKS, 10_000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.agency_key, e.item_id))
        .collect()
}

fn add_checks(sim: &alto_sim::RunningSimulator, n: i64) {
    let base = chrono::Utc::now();
    for (agency_ref, _) in AGENCIES {
        for i in 0..n {
            sim.add_reference_check(Some(agency_ref), base + chrono::Duration::seconds(i / 2));
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_killed_poll_restarts_without_repeats_or_gaps() {
    let setup = setup().await;
    add_checks(&setup.sim, 5);
    let expected = all_checks(&setup.sim);

    // Run 1: killed (SIGKILL) as soon as the first agency's checks are in the inbox.
    let mut child = poll(&setup, &[])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let written_before_kill = loop {
        let n = inbox_rows(&setup.store).await.len();
        if n > 0 {
            child.kill().unwrap();
            break n;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "run 1 ended before it was killed"
        );
        assert!(
            Instant::now() < deadline,
            "run 1 wrote nothing within a minute"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    let _ = child.wait();
    let after_kill = inbox_rows(&setup.store).await.len();
    assert!(
        after_kill >= written_before_kill && after_kill < expected.len(),
        "killed mid-run: {after_kill} of {} written",
        expected.len()
    );

    // Run 2: the same instance name, so it resumes at once.
    let out = tokio::task::spawn_blocking({
        let mut cmd = poll(&setup, &[]);
        move || cmd.output().unwrap()
    })
    .await
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let summary = format!(
        "4 agencies: {} new changes in the inbox (0 there already)",
        expected.len() - after_kill
    );
    assert!(
        stderr.contains(&summary),
        "expected «{summary}» in: {stderr}"
    );
    let rows = inbox_rows(&setup.store).await;
    assert_eq!(rows.len(), expected.len(), "no row twice");
    assert_eq!(
        rows.into_iter().collect::<BTreeSet<_>>(),
        expected,
        "none missed"
    );

    // Run 3, contacts too, with --consume: new checks and every contact join the inbox; each
    // open row is printed once and consumed.
    add_checks(&setup.sim, 1);
    let both = ["--resources", "reference-checks,contacts", "--consume"];
    let printed = printed_rows(poll_output(&setup, &both).await);
    let contacts = all_contacts(&setup.sim);
    assert!(!contacts.is_empty(), "the demo data has contacts");
    let checks_printed: Vec<_> = printed
        .iter()
        .filter(|r| r.0 == "reference_checks")
        .map(|r| (r.1.clone(), r.2.clone()))
        .collect();
    let contacts_printed: Vec<_> = printed
        .iter()
        .filter(|r| r.0 == "contacts")
        .map(|r| (r.1.clone(), r.2.clone()))
        .collect();
    let now_expected = all_checks(&setup.sim);
    assert_eq!(
        checks_printed.len(),
        now_expected.len(),
        "each check printed once"
    );
    assert_eq!(
        checks_printed.into_iter().collect::<BTreeSet<_>>(),
        now_expected
    );
    assert_eq!(
        contacts_printed.len(),
        contacts.len(),
        "each contact printed once"
    );
    assert_eq!(
        contacts_printed.into_iter().collect::<BTreeSet<_>>(),
        contacts
    );
    assert!(
        printed
            .iter()
            .filter(|r| r.0 == "contacts")
            .all(|r| r.3 == "created"),
        "{printed:?}"
    );
    assert!(inbox_rows(&setup.store).await.is_empty(), "all consumed");

    // Run 4: one contact edited in Alto is one new change; nothing else comes again.
    let (agency_key, contact_id) = contacts.iter().next().unwrap().clone();
    let agency_ref = AGENCIES[agency_key["agency-".len()..].parse::<usize>().unwrap()].0;
    let edited_at = chrono::Utc::now();
    assert!(setup.sim.modify_contact(
        Some(agency_ref),
        contact_id.parse().unwrap(),
        "moved to Bath",
        edited_at
    ));
    let printed = printed_rows(poll_output(&setup, &both).await);
    assert_eq!(
        printed,
        [(
            "contacts".to_string(),
            agency_key,
            contact_id,
            "edited".to_string()
        )]
    );
    setup.sim.shutdown().await;
}

async fn poll_output(setup: &Setup, extra: &[&str]) -> std::process::Output {
    let out = tokio::task::spawn_blocking({
        let mut cmd = poll(setup, extra);
        move || cmd.output().unwrap()
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// `--consume` lines as (resource, agency, Alto id, detail); the time field must parse.
fn printed_rows(out: std::process::Output) -> Vec<(String, String, String, String)> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            assert_eq!(f.len(), 5, "resource, agency, id, time, detail: {line}");
            chrono::DateTime::parse_from_rfc3339(f[3]).expect("an RFC 3339 time");
            (f[0].into(), f[1].into(), f[2].into(), f[4].into())
        })
        .collect()
}

fn all_contacts(sim: &alto_sim::RunningSimulator) -> BTreeSet<(String, String)> {
    AGENCIES
        .iter()
        .enumerate()
        .flat_map(|(i, (agency_ref, _))| {
            sim.contacts(Some(agency_ref))
                .into_iter()
                .map(move |c| (format!("agency-{i}"), c.id.unwrap()))
        })
        .collect()
}
