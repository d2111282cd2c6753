//! Failed authentications at the receiver: every one counted, logged at most once a minute.
//!
//! Someone probing the endpoint can send thousands of requests a second; one line per request
//! would bury the log (and fill its disk), while none would hide the probing. So the first
//! failure is logged at once, and later ones in a summary line once the interval has passed.
//! Nothing the caller sent (a secret, a user name) is ever logged.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Count of requests the receiver refused for missing or wrong credentials; cheap to clone,
/// every clone sees the same count.
#[derive(Clone, Debug, Default)]
pub struct AuthFailures(Arc<Inner>);

#[derive(Debug, Default)]
struct Inner {
    total: AtomicU64,
    log: Mutex<LogWindow>,
}

#[derive(Debug, Default)]
struct LogWindow {
    last_logged: Option<Instant>,
    unlogged: u64,
}

/// Why a request failed authentication (logged; never the value it carried).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// No `x-signature` or `Authorization` header at all.
    NoCredentials,
    /// Credentials that do not match the configured ones.
    WrongCredentials,
    /// Valid credentials, but of another integration than the event's `data.integrationId`.
    OtherIntegration,
}

impl AuthFailures {
    /// Shortest time between two log lines about failed authentications.
    pub const LOG_INTERVAL: Duration = Duration::from_secs(60);

    /// Requests refused since the receiver started.
    pub fn count(&self) -> u64 {
        self.0.total.load(Ordering::Relaxed)
    }

    /// Counts one failure and logs it unless a line was logged within [`Self::LOG_INTERVAL`].
    pub(crate) fn record(&self, failure: Failure) {
        let total = self.0.total.fetch_add(1, Ordering::Relaxed) + 1;
        let mut window = self.0.log.lock().unwrap_or_else(|e| e.into_inner());
        let due = window
            .last_logged
            .is_none_or(|at| at.elapsed() >= Self::LOG_INTERVAL);
        if !due {
            window.unlogged += 1;
            return;
        }
        let since_last_line = std::mem::take(&mut window.unlogged);
        window.last_logged = Some(Instant::now());
        drop(window);
        let reason = match failure {
            Failure::NoCredentials => "no credentials",
            Failure::WrongCredentials => "wrong credentials",
            Failure::OtherIntegration => "credentials of another integration",
        };
        tracing::warn!(
            reason,
            total,
            since_last_line,
            "Alto webhook request refused (HTTP 401 or 403); further refusals are summarised at most once a minute"
        );
    }
}
