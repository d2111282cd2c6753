//! Bulk poll: every reference check of 1,000 production agencies, 3 pages each, with 50 ms
//! latency on every answer, 100 agencies at a time. The ideal is pages × latency / concurrency;
//! the ratio is the measured wall time over that bound (target ≤ 1.15). The CLI's `alto poll`
//! does the same work with a progress bar.

use std::time::{Duration, Instant};

use alto::reference_checks::DateRange;
use alto::{AgencyRef, AltoClient, Environment};
use futures::{StreamExt, TryStreamExt};

use crate::child::{agency_ref, SimChild};
use crate::Figure;

const AGENCIES: usize = 1_000;
const PAGES: usize = 3;
const CHECKS_PER_AGENCY: usize = 250; // pages of 100: 100 + 100 + 50
const LATENCY: Duration = Duration::from_millis(50);
const CONCURRENCY: usize = 100;

pub fn run() -> Figure {
    let sim = SimChild::start(&[
        "production".into(),
        AGENCIES.to_string(),
        CHECKS_PER_AGENCY.to_string(),
        LATENCY.as_millis().to_string(),
    ]);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (elapsed, checks) = rt.block_on(async {
        let client = AltoClient::builder()
            .environment(Environment::Production, sim.endpoints(), sim.credentials())
            .build()
            .unwrap();
        let agencies: Vec<_> = (0..AGENCIES)
            .map(|i| {
                let r = AgencyRef::parse(&agency_ref(i)).unwrap();
                client
                    .agency(Environment::Production, Some(r), &agency_ref(i))
                    .unwrap()
            })
            .collect();
        agencies[0].authenticate().await.unwrap(); // the token is not part of the poll
        let started = Instant::now();
        let checks: usize = futures::stream::iter(&agencies)
            .map(|agency| async move {
                agency
                    .reference_checks()
                    .list(DateRange::default())
                    .try_fold(0usize, |n, _| async move { Ok(n + 1) })
                    .await
                    .expect("poll an agency")
            })
            .buffer_unordered(CONCURRENCY)
            .fold(0, |total, n| async move { total + n })
            .await;
        (started.elapsed(), checks)
    });
    assert_eq!(checks, AGENCIES * CHECKS_PER_AGENCY, "every check, once");
    let ideal = LATENCY.as_secs_f64() * (AGENCIES * PAGES) as f64 / CONCURRENCY as f64;
    let ratio = elapsed.as_secs_f64() / ideal;
    Figure {
        what: format!(
            "bulk poll, {AGENCIES} agencies × {PAGES} pages, {} ms latency, {CONCURRENCY} at a \
             time, vs pages × latency / concurrency",
            LATENCY.as_millis()
        ),
        target: "≤ 1.15",
        measured: format!(
            "{ratio:.3} ({:.2} s vs {ideal:.2} s ideal; {checks} checks)",
            elapsed.as_secs_f64()
        ),
        met: ratio <= 1.15,
    }
}
