//! The seed README's second example in Rust: reference checks of the last 7 days.
//!
//! ```sh
//! cargo run --example reference_checks_last_7_days
//! ```

use alto::reference_checks::DateRange;
use alto::{AltoClient, Endpoints, Environment};
use futures::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (client, _simulator) = match AltoClient::from_env() {
        Ok(client) => (client, None),
        Err(_) => {
            let sim = alto_sim::Simulator::builder()
                .sandbox()
                .seed_demo_data(true)
                .start()
                .await?;
            let client = AltoClient::builder()
                .environment(
                    Environment::Sandbox,
                    Endpoints::custom(sim.base_url(), sim.token_url())?,
                    sim.credentials().to_alto(),
                )
                .build()?;
            (client, Some(sim))
        }
    };
    let agency = client.default_agency(None)?;

    // Every page is fetched as the stream is read; only one page is held at a time.
    let checks: Vec<_> = agency
        .reference_checks()
        .list(DateRange::last_days(7))
        .try_collect()
        .await?;
    println!("{} reference checks in the last 7 days", checks.len());
    for check in checks {
        println!(
            "{:?} {:?} tenancy {:?}",
            check.reference_check_id, check.status, check.tenancy_id
        );
    }
    Ok(())
}
