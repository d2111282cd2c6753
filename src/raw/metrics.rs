//! What every Alto call and token request records through the [`metrics`] facade: counters
//! and a latency histogram, labelled by operation id and HTTP status only (never an agency, an
//! `AgencyRef`, a token or a URL). Without a recorder installed the calls cost next to nothing;
//! without the `metrics` feature they compile to nothing.
//!
//! - `alto_calls_total{operation, status}`: finished calls; `status` is the final HTTP status,
//!   or `error` when no answer came (connection refused, timeout).
//! - `alto_call_duration_seconds{operation, status}`: from the hook's start to the final
//!   answer, retries and the token fetch included.
//! - `alto_call_retries_total{operation}`: attempts beyond the first.
//! - `alto_token_fetches_total{outcome}`: token requests to the token endpoint, `ok` or `error`.

use std::time::Duration;

/// Name of the call counter.
pub const CALLS: &str = "alto_calls_total";
/// Name of the latency histogram.
pub const CALL_DURATION: &str = "alto_call_duration_seconds";
/// Name of the retry counter.
pub const CALL_RETRIES: &str = "alto_call_retries_total";
/// Name of the token-fetch counter.
pub const TOKEN_FETCHES: &str = "alto_token_fetches_total";

/// Records one finished call: `status` is `None` when no answer came.
#[cfg_attr(not(feature = "metrics"), allow(unused_variables))]
pub(crate) fn call_finished(
    operation: &'static str,
    status: Option<u16>,
    attempts: usize,
    elapsed: Duration,
) {
    #[cfg(feature = "metrics")]
    {
        let status = status.map_or_else(|| "error".to_string(), |s| s.to_string());
        metrics::counter!(CALLS, "operation" => operation, "status" => status.clone()).increment(1);
        metrics::histogram!(CALL_DURATION, "operation" => operation, "status" => status)
            .record(elapsed.as_secs_f64());
        if attempts > 1 {
            metrics::counter!(CALL_RETRIES, "operation" => operation)
                .increment(attempts as u64 - 1);
        }
    }
}

/// Records one request to the token endpoint.
#[cfg_attr(not(feature = "metrics"), allow(unused_variables))]
pub(crate) fn token_fetched(ok: bool) {
    #[cfg(feature = "metrics")]
    metrics::counter!(TOKEN_FETCHES, "outcome" => if ok { "ok" } else { "error" }).increment(1);
}
