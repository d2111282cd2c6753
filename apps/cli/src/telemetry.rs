//! The Prometheus recorder behind `/metrics` of `alto admin serve` and `alto poll`.
//!
//! Why the `metrics` facade with `metrics-exporter-prometheus` rather than `prometheus-client`:
//! the library records its calls through the facade, a dependency of a few hundred lines that
//! costs nothing until an application installs a recorder, so users of the `alto` crate who
//! do not want Prometheus pay nothing and those with another backend (StatsD, OpenTelemetry)
//! install theirs. `prometheus-client` would need a registry handed through every client.
//! Only the binary installs the exporter, without its HTTP listener (the admin app and the
//! poller serve `/metrics` themselves, where they decide who may read it).

use std::sync::Arc;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder};

/// Latency buckets of `alto_call_duration_seconds`: from a fast answer to a slow paged listing.
const CALL_BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// Installs the process-wide recorder and returns what renders it; `None` when a recorder is
/// installed already (the metrics then go there, and this process has no `/metrics`).
pub fn install() -> Option<Arc<dyn Fn() -> String + Send + Sync>> {
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(
            Matcher::Full(alto::raw::metrics::CALL_DURATION.to_string()),
            &CALL_BUCKETS,
        )
        .ok()?
        .install_recorder()
        .ok()?;
    describe();
    Some(Arc::new(move || {
        handle.run_upkeep();
        handle.render()
    }))
}

/// The HELP lines of the families.
fn describe() {
    use alto::raw::metrics as calls;
    use alto_webhooks::telemetry as hooks;
    metrics::describe_counter!(calls::CALLS, "Alto API calls by operation and final status");
    metrics::describe_histogram!(
        calls::CALL_DURATION,
        metrics::Unit::Seconds,
        "Alto API call latency, retries and token fetch included"
    );
    metrics::describe_counter!(calls::CALL_RETRIES, "Alto API attempts beyond the first");
    metrics::describe_counter!(calls::TOKEN_FETCHES, "Requests to Alto's token endpoint");
    metrics::describe_counter!(hooks::EVENTS_RECEIVED, "Alto webhook events stored");
    metrics::describe_counter!(
        hooks::EVENTS_DUPLICATE,
        "Alto webhook events delivered again"
    );
    metrics::describe_counter!(hooks::EVENTS_PROCESSED, "Alto webhook events handled");
    metrics::describe_counter!(hooks::EVENTS_FAILED, "Alto webhook event handler failures");
    metrics::describe_counter!(
        hooks::AUTH_FAILURES,
        "Webhook deliveries refused for credentials"
    );
    metrics::describe_gauge!(
        hooks::POLLER_LAG,
        metrics::Unit::Seconds,
        "Seconds since the last successful poll of an agency started"
    );
    metrics::describe_gauge!(
        hooks::POLLER_LAST_SUCCESS,
        "Unix time the last successful poll of an agency started"
    );
    metrics::describe_counter!(hooks::POLLER_AGENCY_POLLS, "Agency polls by outcome");
    metrics::describe_counter!(
        alto_admin::web::ops::LOGIN_FAILURES,
        "Refused sign-ins to Alto Settings by reason"
    );
}
