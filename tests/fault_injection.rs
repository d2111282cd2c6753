//! The fault-injection suite: 10,000 facade operations against the simulator while it answers
//! 10% of calls 503, closes 5% of connections without an answer, adds latency spikes, applies
//! writes before failing them, fails token requests too, and issues tokens that live 3 seconds.
//!
//! Checked against the simulator's own state afterwards:
//! - every idempotent operation (reads and reference-check status updates) succeeded;
//! - no contact or viewing was created twice, and every create reported as done exists once;
//! - no status update was lost: each check ends with the status last set on it.
//!
//! Operations run in 16 lanes at once; each lane owns its reference checks, so the last status
//! set on a check is well defined. `ALTO_FAULT_OPS` changes the number of operations (the long
//! run: `ALTO_FAULT_OPS=100000 cargo test --test fault_injection -- --nocapture`).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use alto::appointments::NewViewing;
use alto::contacts::{NewContact, NewPerson};
use alto::ids::{BranchId, ContactId, NegotiatorId, PropertyId, TenancyId};
use alto::reference_checks::{DateRange, ReferenceCheckStatus};
use alto::{AgencyClient, AltoClient, Endpoints, Environment, RetryPolicy};
use alto_sim::{Faults, RunningSimulator, Simulator};
use chrono::{TimeZone, Utc};
use futures::{StreamExt, TryStreamExt};

const LANES: usize = 16;
const CHECKS_PER_LANE: usize = 8;

fn faults() -> Faults {
    Faults::default()
        .error_rate(503, 0.10)
        .resets(0.05)
        .latency_spikes(0.02, Duration::from_millis(150))
        .fail_after_commit(true)
        .include_token_endpoint(true)
        .token_lifetime(Duration::from_secs(3))
        .seed(0xFA17)
}

/// Quick retries, enough attempts that a call failing 15% of the time gets through: 0.15^10
/// is about 6e-9 per call.
fn retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 10,
        min_delay: Duration::from_millis(2),
        max_delay: Duration::from_millis(100),
        jitter: true,
    }
}

/// What the lanes share: ids of records that exist before the run.
#[derive(Clone)]
struct World {
    branch: BranchId,
    negotiator: NegotiatorId,
    contacts: Vec<ContactId>,
    properties: Vec<PropertyId>,
    tenancy: TenancyId,
}

/// What one lane did.
#[derive(Default)]
struct Outcome {
    reads: usize,
    failed_reads: Vec<String>,
    status_updates: usize,
    failed_status_updates: Vec<String>,
    /// Last status set on each of the lane's checks.
    last_status: BTreeMap<uuid::Uuid, ReferenceCheckStatus>,
    /// Contact marker (e-mail) → id, for creates reported done.
    contacts_created: BTreeMap<String, ContactId>,
    /// Viewing start minute → whether the create was reported done.
    viewings: BTreeMap<i64, bool>,
    failed_creates: Vec<String>,
}

async fn start() -> (RunningSimulator, AgencyClient) {
    let sim = Simulator::builder()
        .sandbox()
        .seed_demo_data(true)
        .faults(faults())
        .start()
        .await
        .expect("simulator");
    let client = AltoClient::builder()
        .environment(
            Environment::Sandbox,
            Endpoints::custom(sim.base_url(), sim.token_url()).unwrap(),
            sim.credentials().to_alto(),
        )
        .retry(retries())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let agency = client
        .agency(Environment::Sandbox, None, "fault run")
        .unwrap();
    (sim, agency)
}

async fn world(sim: &RunningSimulator, agency: &AgencyClient) -> World {
    let negotiators: Vec<_> = agency
        .branches()
        .negotiators()
        .try_collect()
        .await
        .expect("negotiators, through the faults");
    let branches: Vec<_> = agency.branches().list().try_collect().await.unwrap();
    World {
        branch: BranchId::new(branches[0].branch_id.as_deref().unwrap().parse().unwrap()),
        negotiator: NegotiatorId::new(negotiators[0].id.as_deref().unwrap().parse().unwrap()),
        contacts: sim
            .contacts(None)
            .iter()
            .map(|c| ContactId::parse("t", c.id.as_deref()).unwrap())
            .collect(),
        properties: sim
            .properties(None)
            .iter()
            .map(|p| PropertyId::parse("t", p.id.as_deref()).unwrap())
            .collect(),
        tenancy: TenancyId::from(sim.tenancies(None)[0].id.unwrap()),
    }
}

/// A small deterministic mix: the same operation sequence on every run.
fn pick(lane: usize, step: usize) -> u64 {
    let mut x = (lane as u64) << 32 | step as u64;
    x = x.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x ^= x >> 29;
    x % 100
}

async fn run_lane(
    lane: usize,
    steps: usize,
    agency: &AgencyClient,
    world: &World,
    checks: &[uuid::Uuid],
) -> Outcome {
    let mut out = Outcome::default();
    let day = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
    for step in 0..steps {
        let n = pick(lane, step);
        let tag = format!("lane {lane} step {step}");
        match n {
            0..=44 => {
                out.reads += 1;
                if let Err(e) = read(n, agency, world).await {
                    out.failed_reads.push(format!("{tag}: {e}"));
                }
            }
            45..=74 => {
                out.status_updates += 1;
                let check = checks[step % checks.len()];
                let status = if (step / checks.len()).is_multiple_of(2) {
                    ReferenceCheckStatus::Completed
                } else {
                    ReferenceCheckStatus::Pending
                };
                match agency.reference_checks().set_status(check, status).await {
                    Ok(()) => {
                        out.last_status.insert(check, status);
                    }
                    Err(e) => out.failed_status_updates.push(format!("{tag}: {e}")),
                }
            }
            75..=89 => {
                let email = format!("fault-{lane}-{step}@example.test");
                let contact = NewContact::new(
                    world.branch,
                    NewPerson::new(format!("Fault{lane}x{step}")).email(&email),
                );
                match agency.contacts().create_or_existing(&contact).await {
                    Ok((id, _)) => {
                        out.contacts_created.insert(email, id);
                    }
                    Err(e) => out.failed_creates.push(format!("{tag}: contact: {e}")),
                }
            }
            _ => {
                // One viewing per (lane, step): a start minute no other operation uses. Up to
                // 160,000 operations they fall between 1 December 2026 and the clock change of
                // 28 March 2027, where Alto's UK-local diary times equal UTC.
                let minute = (lane * steps + step) as i64;
                let start = day + chrono::Duration::minutes(minute);
                let viewing = NewViewing::new(
                    world.properties[step % world.properties.len()],
                    world.contacts[step % world.contacts.len()],
                    world.negotiator,
                    start,
                    start + chrono::Duration::minutes(30),
                );
                let done = agency.appointments().create_viewing(&viewing).await;
                if let Err(e) = &done {
                    out.failed_creates.push(format!("{tag}: viewing: {e}"));
                }
                out.viewings.insert(minute, done.is_ok());
            }
        }
    }
    out
}

async fn read(n: u64, agency: &AgencyClient, world: &World) -> Result<(), alto::AltoError> {
    match n % 6 {
        0 => agency.contacts().get(world.contacts[0]).await.map(drop),
        1 => agency.properties().get(world.properties[0]).await.map(drop),
        2 => agency.tenancies().tenants(world.tenancy).await.map(drop),
        3 => agency
            .reference_checks()
            .list(DateRange::last_days(30))
            .try_collect::<Vec<_>>()
            .await
            .map(drop),
        4 => agency
            .branches()
            .list()
            .try_collect::<Vec<_>>()
            .await
            .map(drop),
        _ => agency.tenancies().get(world.tenancy).await.map(drop),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_operations_under_faults_lose_nothing_and_create_nothing_twice() {
    let total: usize = std::env::var("ALTO_FAULT_OPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let (sim, agency) = start().await;
    let world = world(&sim, &agency).await;
    let before = sim.counts(None);
    let lanes_checks: Vec<Vec<uuid::Uuid>> = (0..LANES)
        .map(|lane| {
            (0..CHECKS_PER_LANE)
                .map(|i| {
                    let created = Utc::now() - chrono::Duration::minutes((lane * 10 + i) as i64);
                    sim.add_reference_check(None, created)
                })
                .collect()
        })
        .collect();

    let started = Instant::now();
    let steps = total.div_ceil(LANES);
    let outcomes: Vec<Outcome> = futures::stream::iter(0..LANES)
        .map(|lane| {
            let (agency, world, checks) = (&agency, &world, &lanes_checks[lane]);
            async move { run_lane(lane, steps, agency, world, checks).await }
        })
        .buffer_unordered(LANES)
        .collect()
        .await;
    let elapsed = started.elapsed();

    // Every idempotent operation succeeded.
    let failed_reads: Vec<&String> = outcomes.iter().flat_map(|o| &o.failed_reads).collect();
    let failed_updates: Vec<&String> = outcomes
        .iter()
        .flat_map(|o| &o.failed_status_updates)
        .collect();
    assert!(failed_reads.is_empty(), "reads failed: {failed_reads:#?}");
    assert!(
        failed_updates.is_empty(),
        "status updates failed: {failed_updates:#?}"
    );

    // No status update was lost: each check ends with the status last set on it.
    let states: BTreeMap<uuid::Uuid, ReferenceCheckStatus> = sim
        .reference_checks(None)
        .into_iter()
        .filter_map(|c| Some((c.reference_check_id?, c.status?)))
        .collect();
    let mut updated_checks = 0;
    for outcome in &outcomes {
        for (check, status) in &outcome.last_status {
            assert_eq!(states.get(check), Some(status), "check {check}");
            updated_checks += 1;
        }
    }

    // No contact was created twice; every contact reported created exists exactly once.
    let contacts = sim.contacts(None);
    let mut per_email: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in &contacts {
        for email in c
            .people
            .iter()
            .flatten()
            .flat_map(|p| p.email_addresses.iter().flatten())
            .filter_map(|e| e.address.clone())
            .filter(|a| a.starts_with("fault-"))
        {
            per_email
                .entry(email)
                .or_default()
                .push(c.id.clone().unwrap_or_default());
        }
    }
    for (email, ids) in &per_email {
        assert_eq!(ids.len(), 1, "{email} was created {} times", ids.len());
    }
    let mut created_contacts = 0;
    for outcome in &outcomes {
        for (email, id) in &outcome.contacts_created {
            assert_eq!(per_email.get(email), Some(&vec![id.to_string()]), "{email}");
            created_contacts += 1;
        }
    }

    // No viewing was booked twice; every viewing reported booked exists exactly once.
    let mut per_start: BTreeMap<i64, usize> = BTreeMap::new();
    let day = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
    for a in sim.appointments(None) {
        if let Some(start) = a.start_date.filter(|s| *s >= day) {
            *per_start.entry((start - day).num_minutes()).or_default() += 1;
        }
    }
    let mut booked = 0;
    for outcome in &outcomes {
        for (minute, done) in &outcome.viewings {
            let n = per_start.get(minute).copied().unwrap_or(0);
            assert!(n <= 1, "viewing at minute {minute} booked {n} times");
            if *done {
                assert_eq!(n, 1, "viewing at minute {minute} reported booked");
                booked += 1;
            }
        }
    }

    // The run did what it says: the faults fired, and almost every create got through.
    let reads: usize = outcomes.iter().map(|o| o.reads).sum();
    let updates: usize = outcomes.iter().map(|o| o.status_updates).sum();
    let failed_creates: Vec<&String> = outcomes.iter().flat_map(|o| &o.failed_creates).collect();
    let attempted_creates = outcomes
        .iter()
        .map(|o| o.contacts_created.len() + o.viewings.len())
        .sum::<usize>()
        + outcomes
            .iter()
            .flat_map(|o| &o.failed_creates)
            .filter(|f| f.contains("contact:"))
            .count();
    assert_eq!(reads + updates + attempted_creates, steps * LANES);
    let after = sim.counts(None);
    let requests = sim.requests();
    let answered_503 = requests.iter().filter(|r| r.status == Some(503)).count();
    let resets = requests
        .iter()
        .filter(|r| matches!(r.injected, Some(alto_sim::Injected::Reset { .. })))
        .count();
    let token_requests = sim.token_requests();
    eprintln!(
        "fault run: {} operations in {:.1?}: {reads} reads, {updates} status updates on \
         {updated_checks} checks, {created_contacts} contacts and {booked} viewings created \
         ({} creates failed and were reported), {} API requests ({answered_503} answered 503, \
         {resets} connections dropped), \
         {token_requests} token requests, contacts {} -> {}",
        steps * LANES,
        elapsed,
        failed_creates.len(),
        requests.len(),
        before.contacts,
        after.contacts,
    );
    assert!(
        failed_creates.len() * 100 <= attempted_creates.max(1),
        "more than 1% of creates failed: {failed_creates:#?}"
    );
    assert!(
        answered_503 * 100 >= requests.len() * 5,
        "the faults did not fire: {answered_503} of {} answered 503",
        requests.len()
    );
    assert!(
        resets * 100 >= requests.len() * 2,
        "the resets did not fire: {resets} of {}",
        requests.len()
    );
    assert!(
        token_requests >= 2,
        "tokens living 3 s were refreshed during the run"
    );
}
