//! CPU time per request: the facade vs a small Python `requests` client of the seed's shape
//! (`bench/python/`, pinned versions), each running the same seed workflow against the same
//! simulator child: create a contact, read it, create a property it owns, list reference checks,
//! set a check's status, read a tenancy's tenants, book a viewing (7 requests per round).
//! Target: the Rust client needs at most 1/10 of Python's CPU per request.

use std::path::Path;
use std::process::Command;

use alto::appointments::NewViewing;
use alto::contacts::{Address, NewContact, NewPerson};
use alto::ids::{BranchId, ContactId, NegotiatorId, TenancyId};
use alto::properties::{Market, NewProperty};
use alto::reference_checks::{DateRange, ReferenceCheckStatus};
use alto::{AgencyClient, AltoClient, Environment};
use chrono::{TimeZone, Utc};
use futures::TryStreamExt;

use crate::child::SimChild;
use crate::Figure;

const ROUNDS: usize = 300;
const REQUESTS_PER_ROUND: usize = 7;

struct Ids {
    branch: BranchId,
    negotiator: NegotiatorId,
    tenancy: TenancyId,
    check: uuid::Uuid,
}

pub fn run() -> Vec<Figure> {
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/python");
    let interpreter = python.join(".venv/bin/python");
    if !interpreter.exists() {
        eprintln!("cpu: skipped; run bench/python/setup.sh first");
        return Vec::new();
    }
    let sim = SimChild::start(&["sandbox".into(), "0".into()]);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let client = AltoClient::builder()
        .environment(Environment::Sandbox, sim.endpoints(), sim.credentials())
        .build()
        .unwrap();
    let agency = client.agency(Environment::Sandbox, None, "bench").unwrap();
    let ids = rt.block_on(ids(&agency));
    // Warm up (connection, token), then measure the loop alone, as the Python side does.
    rt.block_on(workflow(&agency, &ids, 100_000..100_005));
    let before = cpu_seconds();
    rt.block_on(workflow(&agency, &ids, 0..ROUNDS));
    let rust_cpu = cpu_seconds() - before;
    let rust_per_request = rust_cpu / (ROUNDS * REQUESTS_PER_ROUND) as f64;

    let out = Command::new(&interpreter)
        .current_dir(&python)
        .arg("workflow.py")
        .args(["--base-url", &sim.base_url, "--token-url", &sim.token_url])
        .args([
            "--client-id",
            &sim.client_id,
            "--client-secret",
            &sim.client_secret,
        ])
        .args(["--branch", &ids.branch.to_string()])
        .args(["--negotiator", &ids.negotiator.to_string()])
        .args(["--tenancy", &ids.tenancy.to_string()])
        .args(["--check", &ids.check.to_string()])
        .args(["--iterations", &ROUNDS.to_string(), "--tag", "py"])
        .output()
        .expect("run the Python workflow");
    assert!(
        out.status.success(),
        "python: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let py_requests = answer["requests"].as_u64().unwrap() as f64;
    let py_per_request = answer["cpu_seconds"].as_f64().unwrap() / py_requests;
    let ratio = rust_per_request / py_per_request;
    vec![Figure {
        what: format!(
            "CPU per request, facade vs Python `requests` 2.32.3, seed workflow × {ROUNDS} \
             ({REQUESTS_PER_ROUND} requests each)"
        ),
        target: "≤ 0.10 of Python's",
        measured: format!(
            "{ratio:.3} ({:.0} µs vs {:.0} µs per request)",
            rust_per_request * 1e6,
            py_per_request * 1e6
        ),
        met: ratio <= 0.10,
    }]
}

async fn ids(agency: &AgencyClient) -> Ids {
    let branch = agency.branches().list().try_next().await.unwrap().unwrap();
    let negotiator = agency
        .branches()
        .negotiators()
        .try_next()
        .await
        .unwrap()
        .unwrap();
    let tenancy = agency.tenancies().list().try_next().await.unwrap().unwrap();
    let check = agency
        .reference_checks()
        .list(DateRange::last_days(30))
        .try_next()
        .await
        .unwrap()
        .unwrap();
    Ids {
        branch: BranchId::new(branch.branch_id.unwrap().parse().unwrap()),
        negotiator: NegotiatorId::new(negotiator.id.unwrap().parse().unwrap()),
        tenancy: TenancyId::from(tenancy.id.unwrap()),
        check: check.reference_check_id.unwrap(),
    }
}

/// Rounds `rounds` of the workflow; round numbers keep e-mails, addresses and times unique.
async fn workflow(agency: &AgencyClient, ids: &Ids, rounds: std::ops::Range<usize>) {
    let day = Utc.with_ymd_and_hms(2027, 9, 1, 9, 0, 0).unwrap();
    for i in rounds {
        let contact = agency
            .contacts()
            .create(&NewContact::new(
                ids.branch,
                NewPerson::new(format!("Bench{i}"))
                    .forename("Ada")
                    .email(format!("rs-{i}@example.test")),
            ))
            .await
            .unwrap();
        let contact = ContactId::parse("bench", contact.id.as_deref()).unwrap();
        agency.contacts().get(contact).await.unwrap();
        let address = Address::new(&i.to_string(), "Rust Street", "Bristol", "BS1 1AA");
        let property = agency
            .properties()
            .create(
                &NewProperty::new(address, Market::Rent, contact)
                    .branch(ids.branch)
                    .negotiator(ids.negotiator),
            )
            .await
            .unwrap();
        let first_page = agency
            .reference_checks()
            .list(DateRange::last_days(7))
            .try_collect::<Vec<_>>()
            .await
            .unwrap();
        std::hint::black_box(first_page);
        let status = if i % 2 == 1 {
            ReferenceCheckStatus::Completed
        } else {
            ReferenceCheckStatus::Pending
        };
        agency
            .reference_checks()
            .set_status(ids.check, status)
            .await
            .unwrap();
        agency.tenancies().tenants(ids.tenancy).await.unwrap();
        let start = day + chrono::Duration::minutes(30 * i as i64);
        let viewing = NewViewing::new(
            property,
            contact,
            ids.negotiator,
            start,
            start + chrono::Duration::minutes(30),
        )
        .confirmed();
        agency
            .appointments()
            .create_viewing(&viewing)
            .await
            .unwrap();
    }
}

/// CPU time of this process so far (user + system), in seconds.
pub fn cpu_seconds() -> f64 {
    // SAFETY: getrusage writes into the struct we pass and nothing else.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let t = |tv: libc::timeval| tv.tv_sec as f64 + tv.tv_usec as f64 / 1e6;
    t(usage.ru_utime) + t(usage.ru_stime)
}
