//! Facade vs raw reqwest: the same `GET /contacts/{contactId}` calls, decoded into the same
//! generated type, against one simulator child, in alternating rounds, both through the same
//! `reqwest::Client` (the facade's: same pool, TLS and timeouts), so the difference is the
//! facade alone. The ratio is facade throughput over raw throughput (target ≥ 0.97), the median
//! of the rounds' ratios, with each side's client CPU per call beside it. The
//! generated client alone (through the same hook, without the facade's `send`) runs in the same
//! rounds, to show which layer any difference comes from.

use std::time::Instant;

use alto::ids::ContactId;
use alto::raw::types::ContactDetails as Contact;
use alto::{AgencyClient, AltoClient, Environment};
use futures::StreamExt;

use crate::child::SimChild;
use crate::cpu::cpu_seconds;
use crate::Figure;

const ROUNDS: usize = 21;
const CALLS_PER_ROUND: usize = 2_000;
const CONCURRENCY: usize = 8;

pub fn run() -> Figure {
    let sim = SimChild::start(&["sandbox".into(), "0".into()]);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let rounds = rt.block_on(async {
        let client = AltoClient::builder()
            .environment(Environment::Sandbox, sim.endpoints(), sim.credentials())
            .build()
            .unwrap();
        let agency = client.agency(Environment::Sandbox, None, "bench").unwrap();
        // The same reqwest client (pool, TLS, timeouts): the difference is the facade alone.
        let http = client.http().clone();
        let token = raw_token(&http, &sim).await;
        let contact = first_contact(&http, &sim, &token).await;
        let url = format!("{}/contacts/{}", sim.base_url, contact.0);
        // Warm both paths (connections, token cache).
        facade_batch(&agency, contact, 200).await;
        raw_batch(&http, &url, &token, 200).await;
        let mut rounds = Vec::with_capacity(ROUNDS);
        for round in 0..ROUNDS {
            let mut this = Round::default();
            // Rotate which goes first, so drift over the run falls on every side.
            for turn in 0..3 {
                match (round + turn) % 3 {
                    0 => this.facade = facade_batch(&agency, contact, CALLS_PER_ROUND).await,
                    1 => this.raw = raw_batch(&http, &url, &token, CALLS_PER_ROUND).await,
                    _ => this.generated = generated_batch(&agency, contact, CALLS_PER_ROUND).await,
                }
            }
            rounds.push(this);
        }
        rounds
    });
    let n_calls = ROUNDS * CALLS_PER_ROUND;
    let calls = n_calls as f64;
    let total = |pick: fn(&Round) -> Cost| {
        rounds.iter().map(pick).fold(Cost::default(), |a, b| Cost {
            wall: a.wall + b.wall,
            cpu: a.cpu + b.cpu,
        })
    };
    let (facade, raw, generated) = (
        total(|r| r.facade),
        total(|r| r.raw),
        total(|r| r.generated),
    );
    // Each round's ratio is taken side by side; the median keeps a burst of load on the machine
    // during one round from deciding the figure.
    let ratio = median(rounds.iter().map(|r| r.raw.wall / r.facade.wall).collect());
    let generated_ratio = median(
        rounds
            .iter()
            .map(|r| r.raw.wall / r.generated.wall)
            .collect(),
    );
    let rate = |c: Cost| calls / c.wall;
    let cpu_us = |c: Cost| c.cpu / calls * 1e6;
    Figure {
        what: format!(
            "facade vs raw reqwest throughput (same `reqwest::Client`), `GET /contacts/{{id}}` \
             decoded to the same type, {n_calls} calls each in {ROUNDS} rounds, {CONCURRENCY} at a \
             time; median of the rounds' ratios"
        ),
        target: "≥ 0.97",
        measured: format!(
            "{ratio:.3} ({:.0} vs {:.0} calls/s; client CPU per call {:.1} vs {:.1} µs; the \
             generated client alone {generated_ratio:.3} of raw, {:.1} µs)",
            rate(facade),
            rate(raw),
            cpu_us(facade),
            cpu_us(raw),
            cpu_us(generated),
        ),
        met: ratio >= 0.97,
    }
}

/// Wall time and this process's CPU time of one batch, in seconds.
#[derive(Debug, Default, Clone, Copy)]
struct Cost {
    wall: f64,
    cpu: f64,
}

/// One round: each variant's batch, run back to back.
#[derive(Debug, Default, Clone, Copy)]
struct Round {
    facade: Cost,
    raw: Cost,
    generated: Cost,
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    }
}

/// Runs `call` `n` times, `CONCURRENCY` at a time; the wall and CPU time it took.
async fn timed<F, Fut, T>(n: usize, call: F) -> Cost
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let cpu = cpu_seconds();
    let started = Instant::now();
    futures::stream::iter(0..n)
        .map(|_| call())
        .buffer_unordered(CONCURRENCY)
        .for_each(|answer| async move {
            std::hint::black_box(answer);
        })
        .await;
    Cost {
        wall: started.elapsed().as_secs_f64(),
        cpu: cpu_seconds() - cpu,
    }
}

async fn facade_batch(agency: &AgencyClient, contact: ContactId, n: usize) -> Cost {
    timed(n, || async move {
        agency.contacts().get(contact).await.expect("facade call")
    })
    .await
}

async fn raw_batch(http: &reqwest::Client, url: &str, token: &str, n: usize) -> Cost {
    timed(n, || async move {
        http.get(url)
            .bearer_auth(token)
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .expect("raw call")
            .json::<Contact>()
            .await
            .expect("raw decode")
    })
    .await
}

/// The generated client through the hook (token, `AgencyRef`, retries, tracing), without the
/// facade's `send` (error mapping).
async fn generated_batch(agency: &AgencyClient, contact: ContactId, n: usize) -> Cost {
    timed(n, || async move {
        let call = agency.raw().get_contact().contact_id(contact.to_string());
        call.send().await.expect("generated call").into_inner()
    })
    .await
}

/// A token fetched the way a hand-rolled client does it.
pub async fn raw_token(http: &reqwest::Client, sim: &SimChild) -> String {
    let answer: serde_json::Value = http
        .post(&sim.token_url)
        .basic_auth(&sim.client_id, Some(&sim.client_secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["access_token"].as_str().unwrap().to_string()
}

async fn first_contact(http: &reqwest::Client, sim: &SimChild, token: &str) -> ContactId {
    let page: serde_json::Value = http
        .get(format!("{}/contacts/all", sim.base_url))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let v = &page["items"][0]["id"];
    let id = v
        .as_i64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        .expect("a contact id");
    ContactId::new(id)
}
