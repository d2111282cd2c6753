//! `alto sim serve`: a simulator in the foreground until Ctrl-C, configured from plain fields
//! a CLI can fill from flags.

use std::time::Duration;

use crate::faults::Faults;
use crate::simulator::{
    SimError, Simulator, SimulatorBuilder, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET,
};

/// Options for [`serve`]; every field maps to one CLI flag. `Default` gives a sandbox with demo
/// data, default credentials and no faults.
#[derive(Debug, Clone, PartialEq)]
pub struct ServeOptions {
    /// Production agencies as `AGENCYREF=Name` (or just `AGENCYREF`); empty means sandbox.
    pub agencies: Vec<String>,
    /// Client id the token endpoint accepts.
    pub client_id: String,
    /// Client secret the token endpoint accepts.
    pub client_secret: String,
    /// Token lifetime in seconds.
    pub token_lifetime_secs: u64,
    /// Load the demo data set.
    pub seed_demo_data: bool,
    /// Fixed latency added to every call, in milliseconds.
    pub latency_ms: u64,
    /// Probability (0..=1) of a latency spike.
    pub spike_probability: f64,
    /// Latency spike length in milliseconds.
    pub spike_ms: u64,
    /// Probability (0..=1) of answering [`ServeOptions::error_status`] instead.
    pub error_rate: f64,
    /// Status of injected errors (503 unless set).
    pub error_status: u16,
    /// `Retry-After` seconds on injected 429/503 answers (0: none).
    pub retry_after_secs: u64,
    /// Probability (0..=1) of closing the connection without an answer.
    pub reset_probability: f64,
    /// Injected failures on writes happen after the change is committed.
    pub fail_after_commit: bool,
    /// RNG seed for faults.
    pub fault_seed: u64,
    /// Listen on all interfaces instead of 127.0.0.1.
    pub listen_all: bool,
    /// Strict mode: answers departing from the spec become 500s (see
    /// [`SimulatorBuilder::strict`]).
    pub strict: bool,
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self {
            agencies: Vec::new(),
            client_id: DEFAULT_CLIENT_ID.into(),
            client_secret: DEFAULT_CLIENT_SECRET.into(),
            token_lifetime_secs: 3600,
            seed_demo_data: true,
            latency_ms: 0,
            spike_probability: 0.0,
            spike_ms: 0,
            error_rate: 0.0,
            error_status: 503,
            retry_after_secs: 0,
            reset_probability: 0.0,
            fail_after_commit: false,
            fault_seed: Faults::default().seed,
            listen_all: false,
            strict: false,
        }
    }
}

impl ServeOptions {
    /// The faults these options describe.
    pub fn faults(&self) -> Faults {
        let mut faults = Faults::default()
            .latency(Duration::from_millis(self.latency_ms))
            .latency_spikes(self.spike_probability, Duration::from_millis(self.spike_ms))
            .resets(self.reset_probability)
            .fail_after_commit(self.fail_after_commit)
            .seed(self.fault_seed);
        if self.error_rate > 0.0 {
            faults = faults.error_rate(self.error_status, self.error_rate);
        }
        if self.retry_after_secs > 0 {
            faults = faults.retry_after(Duration::from_secs(self.retry_after_secs));
        }
        faults
    }

    /// A builder configured from these options, listening on `port`.
    pub fn builder(&self, port: u16) -> SimulatorBuilder {
        let mut builder = Simulator::builder()
            .credentials(&self.client_id, &self.client_secret)
            .token_lifetime(Duration::from_secs(self.token_lifetime_secs.max(1)))
            .faults(self.faults())
            .seed_demo_data(self.seed_demo_data)
            .strict(self.strict);
        if !self.agencies.is_empty() {
            builder = builder.production(self.agencies.iter().map(|a| match a.split_once('=') {
                Some((r, n)) => (r.trim().to_string(), n.trim().to_string()),
                None => (a.trim().to_string(), a.trim().to_string()),
            }));
        }
        if self.listen_all {
            builder = builder.bind(std::net::SocketAddr::from(([0, 0, 0, 0], port)));
        } else {
            builder = builder.port(port);
        }
        builder
    }
}

/// Runs a simulator on `port` until Ctrl-C, printing where it listens (never the secret).
pub async fn serve(port: u16, options: ServeOptions) -> Result<(), SimError> {
    let sim = options.builder(port).start().await?;
    eprintln!(
        "Alto simulator ({:?}) listening on {}",
        sim.mode(),
        sim.base_url()
    );
    eprintln!("  token URL: {}", sim.token_url());
    eprintln!(
        "  client id: {} (client secret as configured{})",
        options.client_id,
        if options.client_secret == DEFAULT_CLIENT_SECRET {
            ", the default"
        } else {
            ""
        }
    );
    for (r, name) in sim.agencies() {
        eprintln!("  agency: {r} ({name})");
    }
    if sim.strict() {
        eprintln!("  strict mode: answers departing from the spec are answered 500");
    }
    eprintln!("Press Ctrl-C to stop.");
    let _ = tokio::signal::ctrl_c().await;
    sim.shutdown().await;
    Ok(())
}
