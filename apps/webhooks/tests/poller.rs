//! The polling fallback against the simulator: a poller stopped mid-run and restarted hands no
//! reference check twice and misses none; two pollers on one PostgreSQL database hand every
//! check over exactly once, to a sink or to the inbox; a listing longer than the lease keeps it.
//! (The process-kill test of `alto poll` is in the CLI's tests.)

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use alto::{AltoClient, Endpoints, Environment};
use alto_admin::{NewAgency, Store};
use alto_sim::{RunningSimulator, Simulator};
use alto_webhooks::poller::{
    inbox, AgencyOutcome, Poller, PollerConfig, Resource, CONTACTS, REFERENCE_CHECKS,
};
use chrono::Utc;

const AGENCIES: [(&str, &str); 3] = [
    ("8662b309-dc51-58ea-9b1c-8ec10b34e88b", "Acme Lettings"),
    ("15717b02-2ec5-56db-94e7-74531a345a98", "Bath Homes"),
    ("074f9fbc-b7e7-559e-a2d9-474de24205f4", "Cardiff Rentals"),
];

/// Every hand-over, as (agency key, reference check id).
type Log = Arc<Mutex<Vec<(String, String)>>>;

async fn setup(store: &Store) -> (RunningSimulator, AltoClient) {
    setup_with(store, alto_sim::Faults::none()).await
}

async fn setup_with(store: &Store, faults: alto_sim::Faults) -> (RunningSimulator, AltoClient) {
    let sim = Simulator::builder()
        .production(AGENCIES)
        .seed_demo_data(true)
        .faults(faults)
        .start()
        .await
        .unwrap();
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
    // Alto-enabled but sandbox-only: not polled.
    store
        .insert_agency(&NewAgency::sandbox("agency-sandbox", "Sandbox Only"))
        .await
        .unwrap();
    let client = AltoClient::builder()
        .environment(
            Environment::Production,
            Endpoints::custom(sim.base_url(), sim.token_url()).unwrap(),
            sim.credentials().to_alto(),
        )
        .build()
        .unwrap();
    (sim, client)
}

/// When the test's checks are created: after the simulator's demo data, as new checks would be.
fn t0() -> chrono::DateTime<Utc> {
    static T0: std::sync::OnceLock<chrono::DateTime<Utc>> = std::sync::OnceLock::new();
    *T0.get_or_init(|| Utc::now() + chrono::Duration::minutes(1))
}

/// Adds `n` checks to every agency at `t0 + round minutes`, pairs sharing one creation instant
/// (so a later call for the same round adds checks at instants already handed over).
fn add_checks(sim: &RunningSimulator, round: i64, n: i64) {
    let base = t0() + chrono::Duration::minutes(round);
    for (agency_ref, _) in AGENCIES {
        for i in 0..n {
            // Pairs share a timestamp, so equal-instant handling is exercised.
            sim.add_reference_check(Some(agency_ref), base + chrono::Duration::seconds(i / 2));
        }
    }
}

fn all_checks(sim: &RunningSimulator) -> Vec<String> {
    let mut ids: Vec<String> = AGENCIES
        .iter()
        .flat_map(|(r, _)| sim.reference_checks(Some(r)))
        .filter_map(|c| c.reference_check_id.map(|id| id.to_string()))
        .collect();
    ids.sort();
    ids
}

fn poller(client: &AltoClient, store: &Store, log: &Log, config: PollerConfig) -> Poller {
    let log = log.clone();
    Poller::new(
        client.clone(),
        store.clone(),
        config,
        move |target, checks| {
            let log = log.clone();
            async move {
                let mut log = log.lock().unwrap();
                for check in checks {
                    log.push((target.key.clone(), check.alto_id().unwrap()));
                }
                Ok(())
            }
        },
    )
}

fn assert_exactly_once(log: &Log, expected: &[String]) {
    let log = log.lock().unwrap();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for (_, id) in log.iter() {
        *counts.entry(id.as_str()).or_default() += 1;
    }
    let twice: Vec<_> = counts.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "handed over more than once: {twice:?}");
    let mut handed: Vec<String> = counts.keys().map(|s| s.to_string()).collect();
    handed.sort();
    assert_eq!(handed, expected, "every check handed over");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_poller_stopped_mid_run_resumes_without_repeats_or_gaps() {
    let db = common::sqlite().await;
    let (sim, client) = setup(&db.store).await;
    add_checks(&sim, 0, 4);
    let log: Log = Arc::default();

    // Run 1: one agency at a time; stop the poll as soon as the first agency was handed over.
    let (first_done, first_done_rx) = tokio::sync::oneshot::channel::<()>();
    let first_done = Mutex::new(Some(first_done));
    let p1 = poller(
        &client,
        &db.store,
        &log,
        PollerConfig {
            concurrency: 1,
            ..PollerConfig::default()
        },
    );
    tokio::select! {
        _ = p1.run_once(|report| {
            if matches!(report.outcome, AgencyOutcome::Polled { .. }) {
                if let Some(tx) = first_done.lock().unwrap().take() { let _ = tx.send(()); }
            }
        }) => panic!("the run should have been stopped"),
        _ = first_done_rx => {}
    }
    let after_stop = log.lock().unwrap().len();
    assert!(
        after_stop > 0,
        "the first agency was handed over before the stop"
    );
    assert!(
        after_stop < all_checks(&sim).len(),
        "the stop left agencies unpolled"
    );

    // Meanwhile Alto gets new checks, some at the same instant as ones already handed over.
    add_checks(&sim, 0, 6);
    add_checks(&sim, 1, 3);

    // Restart (a new instance name): the in-flight step of the stopped run has released its
    // lease by now or does so shortly; poll until every agency was polled by the new instance.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let p2 = poller(&client, &db.store, &log, PollerConfig::default());
    for _ in 0..3 {
        p2.run_once(|_| {}).await.unwrap();
    }
    assert_exactly_once(&log, &all_checks(&sim));

    // One more round of new checks: only those are handed over.
    let before = log.lock().unwrap().len();
    add_checks(&sim, 2, 2);
    let reports = p2.run_once(|_| {}).await.unwrap();
    assert_eq!(
        reports.len(),
        3,
        "three production agencies with a ref: {reports:?}"
    );
    assert_eq!(log.lock().unwrap().len(), before + 6);
    assert_exactly_once(&log, &all_checks(&sim));
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_failing_app_gets_the_checks_again_and_a_dead_lease_expires() {
    let db = common::sqlite().await;
    let (sim, client) = setup(&db.store).await;
    add_checks(&sim, 0, 2);
    let fail = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let log: Log = Arc::default();
    let failing = {
        let (fail, log) = (fail.clone(), log.clone());
        Poller::new(
            client.clone(),
            db.store.clone(),
            PollerConfig::default(),
            move |target, checks| {
                let (fail, log) = (fail.clone(), log.clone());
                async move {
                    if fail.load(std::sync::atomic::Ordering::SeqCst) {
                        return Err("app is down".into());
                    }
                    let mut log = log.lock().unwrap();
                    for c in checks {
                        log.push((target.key.clone(), c.alto_id().unwrap()));
                    }
                    Ok(())
                }
            },
        )
    };
    let reports = failing.run_once(|_| {}).await.unwrap();
    assert!(
        reports
            .iter()
            .all(|r| matches!(r.outcome, AgencyOutcome::Failed(_))),
        "{reports:?}"
    );
    fail.store(false, std::sync::atomic::Ordering::SeqCst);

    // A dead instance holds agency-0's lease: skipped until the lease expires.
    alto_webhooks::poller::lease::acquire(&db.store, "agency-0", "dead-instance", 300)
        .await
        .unwrap();
    let reports = failing.run_once(|_| {}).await.unwrap();
    let leased: Vec<_> = reports
        .iter()
        .filter(|r| matches!(r.outcome, AgencyOutcome::Leased))
        .collect();
    assert_eq!(leased.len(), 1, "{reports:?}");
    tokio::time::sleep(Duration::from_millis(400)).await;
    failing.run_once(|_| {}).await.unwrap();
    assert_exactly_once(&log, &all_checks(&sim));
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn two_pollers_on_one_postgres_hand_each_check_over_once() {
    let Some(db) = common::postgres().await else {
        return;
    };
    let (sim, client) = setup(&db.store).await;
    // The second instance has its own connection pool, as a second process would.
    let other_store = Store::connect(&db.url).await.unwrap();
    let log: Log = Arc::default();
    let a = poller(
        &client,
        &db.store,
        &log,
        PollerConfig {
            concurrency: 2,
            ..PollerConfig::default()
        },
    );
    let b = poller(
        &client,
        &other_store,
        &log,
        PollerConfig {
            concurrency: 3,
            ..PollerConfig::default()
        },
    );
    let mut polled = 0;
    for round in 0..6 {
        add_checks(&sim, round, 5);
        let (ra, rb) = tokio::join!(a.run_once(|_| {}), b.run_once(|_| {}));
        polled += ra
            .unwrap()
            .iter()
            .chain(rb.unwrap().iter())
            .filter(|r| matches!(r.outcome, AgencyOutcome::Polled { .. }))
            .count();
    }
    // Whatever a round skipped because the other instance held the lease, a last pass catches.
    a.run_once(|_| {}).await.unwrap();
    b.run_once(|_| {}).await.unwrap();
    assert!(
        polled >= 18,
        "each round polled every agency once between the two: {polled}"
    );
    assert_exactly_once(&log, &all_checks(&sim));
    sim.shutdown().await;
}

/// Sums what inbox pollers reported: (handed, already in the inbox, agencies polled).
fn inbox_totals(reports: &[alto_webhooks::poller::AgencyReport]) -> (usize, usize, usize) {
    reports
        .iter()
        .fold((0, 0, 0), |(h, r, n), report| match report.outcome {
            AgencyOutcome::Polled {
                handed,
                already_in_inbox,
            } => (h + handed, r + already_in_inbox, n + 1),
            _ => (h, r, n),
        })
}

/// Every open inbox row, as (agency key, reference check id), decoded.
async fn inbox_rows(store: &Store) -> Vec<(String, String)> {
    let open = inbox::open(store, REFERENCE_CHECKS, 10_000).await.unwrap();
    open.iter()
        .map(|e| {
            let check = e
                .reference_check()
                .expect("the inbox holds reference checks");
            assert_eq!(
                check.reference_check_id.map(|id| id.to_string()).as_deref(),
                Some(e.item_id.as_str())
            );
            (e.agency_key.clone(), e.item_id.clone())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn two_inbox_pollers_on_one_postgres_write_each_check_once() {
    let Some(db) = common::postgres().await else {
        return;
    };
    let (sim, client) = setup(&db.store).await;
    let other_store = Store::connect(&db.url).await.unwrap();
    let a = Poller::to_inbox(
        client.clone(),
        db.store.clone(),
        PollerConfig {
            concurrency: 2,
            ..PollerConfig::default()
        },
    );
    let b = Poller::to_inbox(client.clone(), other_store, PollerConfig::default());
    let (mut handed, mut repeated) = (0, 0);
    for round in 0..5 {
        add_checks(&sim, round, 4);
        let (ra, rb) = tokio::join!(a.run_once(|_| {}), b.run_once(|_| {}));
        let mut reports = ra.unwrap();
        reports.extend(rb.unwrap());
        let (h, r, _) = inbox_totals(&reports);
        (handed, repeated) = (handed + h, repeated + r);
    }
    for last in [a.run_once(|_| {}).await, b.run_once(|_| {}).await] {
        let (h, r, _) = inbox_totals(&last.unwrap());
        (handed, repeated) = (handed + h, repeated + r);
    }
    let expected = all_checks(&sim);
    assert_eq!(
        repeated, 0,
        "no poller offered a check the other had written"
    );
    assert_eq!(handed, expected.len(), "each check written once");
    let log: Log = Arc::new(Mutex::new(inbox_rows(&db.store).await));
    assert_exactly_once(&log, &expected);

    // The app consumes a row: it is no longer open, and consuming it twice reports so.
    let first = inbox::open(&db.store, REFERENCE_CHECKS, 1).await.unwrap();
    assert!(inbox::consume(&db.store, &first[0]).await.unwrap());
    assert!(!inbox::consume(&db.store, &first[0]).await.unwrap());
    assert_eq!(inbox_rows(&db.store).await.len(), expected.len() - 1);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_listing_longer_than_the_lease_keeps_the_lease() {
    let db = common::sqlite().await;
    // Every answer but the token's takes 600 ms: an agency's listing outlasts the 200 ms lease
    // three times over.
    let (sim, client) = setup_with(
        &db.store,
        alto_sim::Faults::none().latency(Duration::from_millis(600)),
    )
    .await;
    add_checks(&sim, 0, 2);
    let log: Log = Arc::default();
    let config = |holder: &str| PollerConfig {
        holder: holder.into(),
        concurrency: 3,
        lease_for: Duration::from_millis(200),
        ..PollerConfig::default()
    };
    let slow = poller(&client, &db.store, &log, config("slow"));
    let other = poller(&client, &db.store, &log, config("other"));
    let (slow_reports, other_reports) = tokio::join!(slow.run_once(|_| {}), async {
        // Past the first lease's end, while `slow` is still listing.
        tokio::time::sleep(Duration::from_millis(350)).await;
        other.run_once(|_| {}).await
    });
    let slow_reports = slow_reports.unwrap();
    assert!(
        slow_reports
            .iter()
            .all(|r| matches!(r.outcome, AgencyOutcome::Polled { handed, .. } if handed > 0)),
        "{slow_reports:?}"
    );
    let other_reports = other_reports.unwrap();
    assert!(
        other_reports
            .iter()
            .all(|r| matches!(r.outcome, AgencyOutcome::Leased)),
        "the renewed leases kept the other instance out: {other_reports:?}"
    );
    assert_exactly_once(&log, &all_checks(&sim));
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn contacts_are_polled_by_modification_and_an_edit_is_one_change() {
    let db = common::sqlite().await;
    let (sim, client) = setup(&db.store).await;
    let log: Log = Arc::default();
    let both = PollerConfig {
        resources: vec![Resource::ReferenceChecks, Resource::Contacts],
        ..PollerConfig::default()
    };
    let p = poller(&client, &db.store, &log, both);
    let reports = p.run_once(|_| {}).await.unwrap();
    assert!(
        reports
            .iter()
            .all(|r| matches!(r.outcome, AgencyOutcome::Polled { .. })),
        "{reports:?}"
    );
    let contacts: Vec<(String, String)> = AGENCIES
        .iter()
        .enumerate()
        .flat_map(|(i, (r, _))| {
            sim.contacts(Some(r))
                .into_iter()
                .map(move |c| (format!("agency-{i}"), c.id.unwrap()))
        })
        .collect();
    let first_round = log.lock().unwrap().len();
    assert_eq!(first_round, all_checks(&sim).len() + contacts.len());

    // Nothing changed: nothing comes. Then one edit: that contact alone, once.
    p.run_once(|_| {}).await.unwrap();
    assert_eq!(log.lock().unwrap().len(), first_round);
    let (agency_key, contact_id) = contacts[contacts.len() - 1].clone();
    let agency_ref = AGENCIES[agency_key["agency-".len()..].parse::<usize>().unwrap()].0;
    assert!(sim.modify_contact(
        Some(agency_ref),
        contact_id.parse().unwrap(),
        "edited",
        Utc::now()
    ));
    p.run_once(|_| {}).await.unwrap();
    p.run_once(|_| {}).await.unwrap();
    let log = log.lock().unwrap().clone();
    assert_eq!(log.len(), first_round + 1);
    assert_eq!(log[first_round], (agency_key, contact_id));
    sim.shutdown().await;
}

#[tokio::test]
async fn a_large_hand_over_is_written_in_chunks_exactly_once() {
    use alto_webhooks::poller::inbox::InboxItem;
    use alto_webhooks::poller::{lease, mark};
    let db = common::sqlite().await;
    let items: Vec<InboxItem> = (0..1201)
        .map(|i| InboxItem {
            id: format!("item-{i}"),
            created_us: i,
            body: "{}".into(),
        })
        .collect();
    let high_water = mark::HighWater {
        high_water_us: Some(1200),
        ..Default::default()
    };
    assert!(lease::acquire(&db.store, "agency-0", "me", 60_000)
        .await
        .unwrap());
    let save = || {
        mark::save(
            &db.store,
            "agency-0",
            CONTACTS,
            &high_water,
            "me",
            60_000,
            &items,
        )
    };
    assert_eq!(save().await.unwrap(), 1201, "three chunks, every row new");
    assert_eq!(
        save().await.unwrap(),
        0,
        "the same rows again are left as they were"
    );
    let open = inbox::open(&db.store, CONTACTS, 5_000).await.unwrap();
    assert_eq!(open.len(), 1201);
}

#[tokio::test]
async fn leases_run_on_the_database_clock_on_sqlite() {
    let db = common::sqlite().await;
    leases_run_on_the_database_clock(&db).await;
}

#[tokio::test]
async fn leases_run_on_the_database_clock_on_postgres() {
    let Some(db) = common::postgres().await else {
        return;
    };
    leases_run_on_the_database_clock(&db).await;
}

/// The database's clock runs an hour ahead of this instance's. A lease another instance took
/// until 30 minutes from now (by this instance's clock) has expired by the database's clock,
/// which is the one every instance shares: it is taken over, and the new lease ends a lease
/// length after the database's now, not this instance's.
async fn leases_run_on_the_database_clock(db: &common::TestDb) {
    use alto_store::now_ms;
    use alto_webhooks::poller::{lease, mark};
    const HOUR_MS: i64 = 3_600_000;
    let clock = match db.store.backend() {
        alto_store::Backend::Sqlite => "CAST(unixepoch('subsec') * 1000 AS BIGINT)",
        alto_store::Backend::Postgres => {
            "CAST(FLOOR(EXTRACT(EPOCH FROM clock_timestamp()) * 1000) AS BIGINT)"
        }
    };
    sqlx::query("DROP VIEW alto_clock")
        .execute(db.store.pool())
        .await
        .unwrap();
    sqlx::query(&format!(
        "CREATE VIEW alto_clock AS SELECT {clock} + {HOUR_MS} AS now_ms"
    ))
    .execute(db.store.pool())
    .await
    .unwrap();

    sqlx::query(
        "INSERT INTO alto_poll_leases (agency_key, holder, expires_at) VALUES ($1, $2, $3)",
    )
    .bind("agency-0")
    .bind("skewed-instance")
    .bind(now_ms() + HOUR_MS / 2)
    .execute(db.store.pool())
    .await
    .unwrap();
    assert!(
        lease::acquire(&db.store, "agency-0", "me", 60_000)
            .await
            .unwrap(),
        "expired by the database's clock"
    );
    let expires_at = |store: &alto_store::Store| {
        let pool = store.pool().clone();
        async move {
            let row = sqlx::query("SELECT holder, expires_at FROM alto_poll_leases")
                .fetch_one(&pool)
                .await
                .unwrap();
            use sqlx::Row;
            (
                row.try_get::<String, _>("holder").unwrap(),
                row.try_get::<i64, _>("expires_at").unwrap(),
            )
        }
    };
    let (holder, until) = expires_at(&db.store).await;
    assert_eq!(holder, "me");
    let database_now = db.store.database_now_ms().await.unwrap();
    assert!(
        (database_now..=database_now + 60_000).contains(&until),
        "ends a lease length after the database's now ({database_now}), not ours: {until}"
    );
    // Another instance cannot take a lease that is live by the database's clock.
    assert!(!lease::acquire(&db.store, "agency-0", "other", 60_000)
        .await
        .unwrap());
    // Saving a mark renews the lease on the same clock.
    let high_water = mark::HighWater {
        high_water_us: Some(1),
        ..Default::default()
    };
    mark::save(
        &db.store,
        "agency-0",
        CONTACTS,
        &high_water,
        "me",
        120_000,
        &[],
    )
    .await
    .unwrap();
    let (_, renewed) = expires_at(&db.store).await;
    assert!(renewed > until && renewed > now_ms() + HOUR_MS, "{renewed}");
}
