//! The counters and gauges this crate records through the [`metrics`] facade (the application
//! installs the recorder; `alto admin serve` and `alto poll` expose them in Prometheus' format).
//! Labels are event outcomes and internal agency ids only: never an `AgencyRef`, a payload or a
//! credential.

use std::time::{SystemTime, UNIX_EPOCH};

/// Authenticated, well-formed events stored for the first time.
pub const EVENTS_RECEIVED: &str = "alto_webhook_events_received_total";
/// Events Alto delivered again (same id), acknowledged and not stored twice.
pub const EVENTS_DUPLICATE: &str = "alto_webhook_events_duplicate_total";
/// Events whose handlers succeeded.
pub const EVENTS_PROCESSED: &str = "alto_webhook_events_processed_total";
/// Handler failures, labelled `final` = `true` when the event is given up.
pub const EVENTS_FAILED: &str = "alto_webhook_events_failed_total";
/// Deliveries refused before reading the body: missing or wrong credentials.
pub const AUTH_FAILURES: &str = "alto_webhook_auth_failures_total";
/// Seconds since the poll whose results the inbox holds last started successfully, per agency.
pub const POLLER_LAG: &str = "alto_poller_lag_seconds";
/// Unix time at which the last successful poll of an agency started.
pub const POLLER_LAST_SUCCESS: &str = "alto_poller_last_success_timestamp_seconds";
/// Agency polls by outcome (`polled`, `leased`, `failed`).
pub const POLLER_AGENCY_POLLS: &str = "alto_poller_agency_polls_total";

pub(crate) fn event_received() {
    metrics::counter!(EVENTS_RECEIVED).increment(1);
}

pub(crate) fn event_duplicate() {
    metrics::counter!(EVENTS_DUPLICATE).increment(1);
}

pub(crate) fn event_processed() {
    metrics::counter!(EVENTS_PROCESSED).increment(1);
}

pub(crate) fn event_failed(given_up: bool) {
    metrics::counter!(EVENTS_FAILED, "final" => if given_up { "true" } else { "false" })
        .increment(1);
}

pub(crate) fn auth_failure() {
    metrics::counter!(AUTH_FAILURES).increment(1);
}

/// One agency's poll finished: `outcome` is `polled`, `leased` or `failed`; `last_success` is
/// when the newest successful poll of it started (this one's start when it succeeded).
pub(crate) fn agency_polled(agency: &str, outcome: &'static str, last_success: Option<SystemTime>) {
    metrics::counter!(POLLER_AGENCY_POLLS, "outcome" => outcome).increment(1);
    let Some(started) = last_success else {
        return;
    };
    let agency = agency.to_string();
    let lag = SystemTime::now()
        .duration_since(started)
        .unwrap_or_default()
        .as_secs_f64();
    metrics::gauge!(POLLER_LAG, "agency" => agency.clone()).set(lag);
    let at = started
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs_f64();
    metrics::gauge!(POLLER_LAST_SUCCESS, "agency" => agency).set(at);
}
