//! Benchmarks for the facade's hot paths and the build-time normalizer.
//!
//! Targets (docs/performance.md): a warm token lookup well under 10 µs (it runs before every
//! call); paging adds no measurable cost per item next to HTTP (under 1 µs per item); a facade
//! call round trip on loopback under 2 ms in a debug build; normalizing the whole vendored spec
//! under 250 ms (it runs in build.rs only when the spec changes).
//!
//! Run: `cargo bench --bench facade`.

use std::time::Duration;

use alto::paging::{paginate, Paged};
use alto::{AltoClient, Endpoints, Environment};
use criterion::{criterion_group, criterion_main, Criterion};
use futures::TryStreamExt;

struct Page(Vec<u64>, Option<String>);

impl Paged for Page {
    type Item = u64;
    fn into_parts(self) -> (Vec<u64>, Option<String>) {
        (self.0, self.1)
    }
}

fn normalize(c: &mut Criterion) {
    let spec: serde_json::Value = serde_json::from_str(alto::spec::VENDORED_SPEC).unwrap();
    let names: serde_json::Value = serde_json::from_str(alto::spec::OPERATION_NAMES).unwrap();
    let type_names: serde_json::Value = serde_json::from_str(alto::spec::TYPE_NAMES).unwrap();
    c.bench_function("normalize the vendored spec (112 operations)", |b| {
        b.iter(|| {
            alto::spec::normalize::normalize(&spec, &names, &type_names)
                .unwrap()
                .operations
                .len()
        })
    });
}

fn paging(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    c.bench_function("page through 10,000 items (100 per page, in memory)", |b| {
        b.iter(|| {
            rt.block_on(async {
                let items: Vec<u64> = paginate(|cursor: Option<String>| async move {
                    let page: u64 = cursor.map(|c| c.parse().unwrap()).unwrap_or(0);
                    let next = (page + 1 < 100).then(|| (page + 1).to_string());
                    Ok(Page((page * 100..page * 100 + 100).collect(), next))
                })
                .try_collect()
                .await
                .unwrap();
                items.len()
            })
        })
    });
}

fn calls(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (sim, agency) = rt.block_on(async {
        let sim = alto_sim::Simulator::builder()
            .sandbox()
            .seed_demo_data(true)
            .start()
            .await
            .unwrap();
        let client = AltoClient::builder()
            .environment(
                Environment::Sandbox,
                Endpoints::custom(sim.base_url(), sim.token_url()).unwrap(),
                sim.credentials().to_alto(),
            )
            .build()
            .unwrap();
        let agency = client.agency(Environment::Sandbox, None, "bench").unwrap();
        agency.authenticate().await.unwrap();
        (sim, agency)
    });
    let tokens = agency.clone();
    c.bench_function("warm token lookup", |b| {
        b.iter(|| rt.block_on(tokens.authenticate()).unwrap())
    });
    let mut group = c.benchmark_group("loopback");
    group.measurement_time(Duration::from_secs(3));
    group.bench_function("list reference checks (one page) through the facade", |b| {
        b.iter(|| {
            rt.block_on(async {
                let checks: Vec<_> = agency
                    .reference_checks()
                    .list(Default::default())
                    .try_collect()
                    .await
                    .unwrap();
                checks.len()
            })
        })
    });
    group.finish();
    rt.block_on(sim.shutdown());
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
    targets = normalize, paging, calls
}
criterion_main!(benches);
