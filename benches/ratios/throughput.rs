//! Facade vs raw reqwest: the same `GET /contacts/{contactId}` calls, decoded into the same
//! generated type, against one simulator child, in alternating rounds, both through the same
//! `reqwest::Client` (the facade's: same pool, TLS and timeouts), so the difference is the
//! facade alone. The ratio is facade throughput over raw throughput (target ≥ 0.97). The
//! generated client alone (through the same hook, without the facade's `send`) runs in the same
//! rounds, to show which layer any difference comes from.

use std::time::{Duration, Instant};

use alto::ids::ContactId;
use alto::raw::types::AltoContactsApiModelsResponsesContact as Contact;
use alto::{AgencyClient, AltoClient, Environment};
use futures::StreamExt;

use crate::child::SimChild;
use crate::Figure;

const ROUNDS: usize = 12;
const CALLS_PER_ROUND: usize = 2_000;
const CONCURRENCY: usize = 8;

pub fn run() -> Figure {
    let sim = SimChild::start(&["sandbox".into(), "0".into()]);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (facade_time, raw_time, generated_time, calls) = rt.block_on(async {
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
        let (mut facade, mut raw, mut generated) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
        for round in 0..ROUNDS {
            // Rotate which goes first, so drift over the run falls on every side.
            for turn in 0..3 {
                match (round + turn) % 3 {
                    0 => facade += facade_batch(&agency, contact, CALLS_PER_ROUND).await,
                    1 => raw += raw_batch(&http, &url, &token, CALLS_PER_ROUND).await,
                    _ => generated += generated_batch(&agency, contact, CALLS_PER_ROUND).await,
                }
            }
        }
        (facade, raw, generated, ROUNDS * CALLS_PER_ROUND)
    });
    let facade_rate = calls as f64 / facade_time.as_secs_f64();
    let raw_rate = calls as f64 / raw_time.as_secs_f64();
    let generated_rate = calls as f64 / generated_time.as_secs_f64();
    let ratio = facade_rate / raw_rate;
    Figure {
        what: format!(
            "facade vs raw reqwest throughput (same `reqwest::Client`), `GET /contacts/{{id}}` \
             decoded to the same type, {calls} calls each, {CONCURRENCY} at a time"
        ),
        target: "≥ 0.97",
        measured: format!(
            "{ratio:.3} ({facade_rate:.0} vs {raw_rate:.0} calls/s; the generated client alone \
             {generated_rate:.0} calls/s, {:.3} of raw)",
            generated_rate / raw_rate
        ),
        met: ratio >= 0.97,
    }
}

/// Runs `call` `n` times, `CONCURRENCY` at a time; the wall time.
async fn timed<F, Fut, T>(n: usize, call: F) -> Duration
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let started = Instant::now();
    futures::stream::iter(0..n)
        .map(|_| call())
        .buffer_unordered(CONCURRENCY)
        .for_each(|answer| async move {
            std::hint::black_box(answer);
        })
        .await;
    started.elapsed()
}

async fn facade_batch(agency: &AgencyClient, contact: ContactId, n: usize) -> Duration {
    timed(n, || async move {
        agency.contacts().get(contact).await.expect("facade call")
    })
    .await
}

async fn raw_batch(http: &reqwest::Client, url: &str, token: &str, n: usize) -> Duration {
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
async fn generated_batch(agency: &AgencyClient, contact: ContactId, n: usize) -> Duration {
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
