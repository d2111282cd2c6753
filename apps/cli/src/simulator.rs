//! The embedded simulator, as the demo and `alto sim serve` use it.

use std::time::Duration;

use alto::Credentials;
use alto_sim::{Faults, RunningSimulator, Simulator};

use crate::args::DemoArgs;
use crate::output::Failure;

/// A running simulator and the credentials it accepts.
pub struct Embedded {
    running: RunningSimulator,
}

impl Embedded {
    /// API base URL.
    pub fn api_url(&self) -> String {
        self.running.base_url()
    }

    /// Token URL.
    pub fn token_url(&self) -> String {
        self.running.token_url()
    }

    /// The client credentials it accepts.
    pub fn credentials(&self) -> Credentials {
        self.running.credentials().to_alto()
    }

    /// Stops it.
    pub async fn stop(self) {
        self.running.shutdown().await;
    }
}

/// Fault injection from the demo's flags.
pub fn faults(args: &DemoArgs) -> Result<Faults, Failure> {
    for (flag, rate) in [
        ("--fault-rate", args.fault_rate),
        ("--spike-rate", args.spike_rate),
    ] {
        if !(0.0..=1.0).contains(&rate) {
            return Err(Failure::new(
                format!("{flag} {rate} is not a share between 0 and 1"),
                Some("e.g. --fault-rate 0.1 for 10%"),
            ));
        }
    }
    Ok(Faults::none()
        .error_rate(503, args.fault_rate)
        .latency_spikes(args.spike_rate, Duration::from_millis(args.spike_ms))
        .seed(args.fault_seed))
}

/// Starts a sandbox simulator with demo data for `alto demo`.
pub async fn start_for_demo(args: &DemoArgs) -> Result<Embedded, Failure> {
    let running = Simulator::builder()
        .sandbox()
        .seed_demo_data(true)
        .faults(faults(args)?)
        .start()
        .await
        .map_err(|e| Failure::new(format!("the embedded simulator did not start: {e}"), None))?;
    Ok(Embedded { running })
}
