//! Fault injection: latency, latency spikes, error statuses, connection resets, and whether
//! a failed write was applied first. Draws come from a seeded RNG, so a test run is reproducible.

use std::sync::Mutex;
use std::time::Duration;

/// Faults the simulator injects into API calls. The default injects nothing.
///
/// The token endpoint is exempt unless [`Faults::include_token_endpoint`] is set; the
/// inspection methods of [`crate::RunningSimulator`] never go through HTTP and are never affected.
///
/// ```
/// use std::time::Duration;
/// use alto_sim::Faults;
/// // 10% 503 with Retry-After: 1, and a 200 ms spike on 10% of calls.
/// let faults = Faults::default()
///     .error_rate(503, 0.10)
///     .retry_after(Duration::from_secs(1))
///     .latency_spikes(0.10, Duration::from_millis(200))
///     .seed(7);
/// assert!(faults.is_active());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Faults {
    /// Added to every answer.
    pub latency: Duration,
    /// Probability (0..=1) that a call gets [`Faults::spike_latency`] on top.
    pub spike_probability: f64,
    /// Length of a latency spike.
    pub spike_latency: Duration,
    /// Error answers by status: each `(status, probability)` is drawn in turn.
    pub error_rates: Vec<(u16, f64)>,
    /// `Retry-After` sent with injected 429 and 503 answers.
    pub retry_after: Option<Duration>,
    /// Probability (0..=1) that the connection is closed without an answer.
    pub reset_probability: f64,
    /// For writes (anything but GET/HEAD): when true an injected failure happens after the change
    /// was committed (the client sees an error, yet the record exists); when false, before.
    pub fail_after_commit: bool,
    /// Calls whose answer is lost after the simulator committed them, as
    /// `(method, path, how many times)`: the handler runs, then the connection closes without
    /// an answer. Not drawn from the RNG, so a test can lose exactly the answer it means to.
    pub lost_answers: Vec<(String, String, u32)>,
    /// Apply faults to `POST /token` as well.
    pub include_token_endpoint: bool,
    /// Overrides the token lifetime (short lifetimes exercise refresh).
    pub token_lifetime: Option<Duration>,
    /// RNG seed.
    pub seed: u64,
}

impl Default for Faults {
    fn default() -> Self {
        Self {
            latency: Duration::ZERO,
            spike_probability: 0.0,
            spike_latency: Duration::ZERO,
            error_rates: Vec::new(),
            retry_after: None,
            reset_probability: 0.0,
            fail_after_commit: false,
            lost_answers: Vec::new(),
            include_token_endpoint: false,
            token_lifetime: None,
            seed: 0x5EED,
        }
    }
}

impl Faults {
    /// No faults at all.
    pub fn none() -> Self {
        Self::default()
    }

    /// Sets the fixed latency.
    pub fn latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    /// Adds `latency` to a `probability` share of calls.
    pub fn latency_spikes(mut self, probability: f64, latency: Duration) -> Self {
        self.spike_probability = probability;
        self.spike_latency = latency;
        self
    }

    /// Answers `status` to a `probability` share of calls.
    pub fn error_rate(mut self, status: u16, probability: f64) -> Self {
        self.error_rates.push((status, probability));
        self
    }

    /// Sends `Retry-After` with injected 429/503 answers.
    pub fn retry_after(mut self, after: Duration) -> Self {
        self.retry_after = Some(after);
        self
    }

    /// Closes the connection without an answer on a `probability` share of calls.
    pub fn resets(mut self, probability: f64) -> Self {
        self.reset_probability = probability;
        self
    }

    /// Injected failures on writes happen after the change is committed.
    pub fn fail_after_commit(mut self, after: bool) -> Self {
        self.fail_after_commit = after;
        self
    }

    /// Loses the answer of the next `times` calls to `method path` (e.g. `POST`,
    /// `/inventory/new`) after they were committed: the record exists, the client sees the
    /// connection close.
    ///
    /// ```
    /// use alto_sim::Faults;
    /// let faults = Faults::default().lose_answers_after_commit("POST", "/inventory/new", 1);
    /// assert!(faults.is_active());
    /// ```
    pub fn lose_answers_after_commit(mut self, method: &str, path: &str, times: u32) -> Self {
        self.lost_answers
            .push((method.to_ascii_uppercase(), path.to_string(), times));
        self
    }

    /// Also applies faults to the token endpoint.
    pub fn include_token_endpoint(mut self, include: bool) -> Self {
        self.include_token_endpoint = include;
        self
    }

    /// Issues tokens that expire after `lifetime`.
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = Some(lifetime);
        self
    }

    /// Sets the RNG seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Whether any request-level fault is configured.
    pub fn is_active(&self) -> bool {
        !self.latency.is_zero()
            || self.spike_probability > 0.0
            || self.error_rates.iter().any(|(_, p)| *p > 0.0)
            || self.reset_probability > 0.0
            || self.lost_answers.iter().any(|(_, _, n)| *n > 0)
    }
}

/// What happens to one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Plan {
    pub delay: Duration,
    pub failure: Option<Failure>,
}

/// An injected failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    Status(u16),
    Reset,
}

/// The configured faults plus their RNG.
#[derive(Debug)]
pub(crate) struct Injector {
    pub faults: Faults,
    rng: Mutex<SplitMix64>,
    /// What is left of [`Faults::lost_answers`].
    lost: Mutex<Vec<(String, String, u32)>>,
}

impl Injector {
    pub fn new(faults: Faults) -> Self {
        let rng = Mutex::new(SplitMix64(faults.seed));
        let lost = Mutex::new(faults.lost_answers.clone());
        Self { faults, rng, lost }
    }

    /// Whether this call's answer is to be lost after commit (counting it off if so).
    pub fn take_lost_answer(&self, method: &str, path: &str) -> bool {
        let mut lost = self.lost.lock().unwrap_or_else(|e| e.into_inner());
        match lost
            .iter_mut()
            .find(|(m, p, n)| *n > 0 && m == method && p == path)
        {
            Some((_, _, n)) => {
                *n -= 1;
                true
            }
            None => false,
        }
    }

    /// Draws the plan for one call. Always draws the same number of values, so one call's
    /// outcome does not shift the next call's draws.
    pub fn plan(&self, path: &str) -> Plan {
        let f = &self.faults;
        if path == "/token" && !f.include_token_endpoint {
            return Plan::default();
        }
        let mut rng = self.rng.lock().unwrap_or_else(|e| e.into_inner());
        let spike = rng.unit() < f.spike_probability;
        let reset = rng.unit() < f.reset_probability;
        let mut failure = reset.then_some(Failure::Reset);
        for (status, p) in &f.error_rates {
            let hit = rng.unit() < *p;
            if hit && failure.is_none() {
                failure = Some(Failure::Status(*status));
            }
        }
        Plan {
            delay: f.latency
                + if spike {
                    f.spike_latency
                } else {
                    Duration::ZERO
                },
            failure,
        }
    }
}

/// SplitMix64: tiny, fast, and the same sequence on every platform and version.
#[derive(Debug, Clone)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_are_reproducible_and_near_the_configured_rates() {
        let faults = Faults::default()
            .error_rate(503, 0.1)
            .resets(0.05)
            .latency_spikes(0.2, Duration::from_millis(200))
            .seed(42);
        let draw = || {
            let inj = Injector::new(faults.clone());
            (0..10_000)
                .map(|_| inj.plan("/contacts"))
                .collect::<Vec<_>>()
        };
        let plans = draw();
        assert_eq!(plans, draw());
        let count = |f: &dyn Fn(&Plan) -> bool| plans.iter().filter(|p| f(p)).count();
        let errors = count(&|p| p.failure == Some(Failure::Status(503)));
        let resets = count(&|p| p.failure == Some(Failure::Reset));
        let spikes = count(&|p| !p.delay.is_zero());
        assert!((800..1000).contains(&errors), "{errors}");
        assert!((400..600).contains(&resets), "{resets}");
        assert!((1800..2200).contains(&spikes), "{spikes}");
    }

    #[test]
    fn lost_answers_are_counted_off_per_method_and_path() {
        let inj =
            Injector::new(Faults::default().lose_answers_after_commit("post", "/inventory/new", 2));
        assert!(!inj.take_lost_answer("GET", "/inventory/new"));
        assert!(inj.take_lost_answer("POST", "/inventory/new"));
        assert!(inj.take_lost_answer("POST", "/inventory/new"));
        assert!(!inj.take_lost_answer("POST", "/inventory/new"));
    }

    #[test]
    fn token_endpoint_is_exempt_unless_asked() {
        let faults = Faults::default().error_rate(500, 1.0);
        assert_eq!(Injector::new(faults.clone()).plan("/token").failure, None);
        let inj = Injector::new(faults.include_token_endpoint(true));
        assert_eq!(inj.plan("/token").failure, Some(Failure::Status(500)));
    }
}
