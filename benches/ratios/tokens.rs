//! Token requests made by 1,000 concurrent calls on a cold cache (target: exactly 1). The
//! simulator runs in-process here: the figure is a count, read from its token counter.

use alto::{AltoClient, Endpoints, Environment};
use futures::future::join_all;

use crate::Figure;

const CALLS: usize = 1_000;

pub fn run() -> Figure {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (token_requests, ok) = rt.block_on(async {
        let sim = alto_sim::Simulator::builder()
            .sandbox()
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
        let calls = (0..CALLS).map(|_| {
            let agency = agency.clone();
            async move {
                use futures::TryStreamExt;
                agency
                    .branches()
                    .list()
                    .try_collect::<Vec<_>>()
                    .await
                    .is_ok()
            }
        });
        let ok = join_all(calls).await.into_iter().filter(|ok| *ok).count();
        (sim.token_requests(), ok)
    });
    Figure {
        what: format!("token requests made by {CALLS} concurrent calls on a cold cache"),
        target: "exactly 1",
        measured: format!("{token_requests} ({ok} of {CALLS} calls succeeded)"),
        met: token_requests == 1 && ok == CALLS,
    }
}
