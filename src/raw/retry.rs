//! Safe retries: which failures are retried, with backoff and jitter (backon), honouring
//! `Retry-After`. GET, HEAD, PUT, DELETE and OPTIONS are retried on 5xx, 429, timeouts and
//! broken connections; POST and PATCH only when the connection never opened, since otherwise
//! the request may have reached Alto and been applied. The exception is a write whose body sets
//! absolute values ([`IDEMPOTENT_WRITES`]): applying it twice leaves the same state as once, so
//! it is retried like a GET.

use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};
use reqwest::{Method, Request, Response, StatusCode};

/// How failed calls are retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 disables retries).
    pub max_attempts: usize,
    /// Delay before the first retry.
    pub min_delay: Duration,
    /// Longest delay between attempts, and the cap on `Retry-After`.
    pub max_delay: Duration,
    /// Randomize delays so many clients do not retry in step.
    pub jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            min_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(10),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    pub(crate) fn backoff(&self) -> ExponentialBuilder {
        let b = ExponentialBuilder::default()
            .with_min_delay(self.min_delay)
            .with_max_delay(self.max_delay)
            .with_max_times(self.max_attempts.saturating_sub(1));
        if self.jitter {
            b.with_jitter()
        } else {
            b
        }
    }
}

/// Whether a method may be sent again after the server may have seen it.
pub fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
    )
}

/// Writes that may be sent again: their body is an absolute value, never a delta.
/// `update_reference_check` sets `{"status": "Pending" | "Completed"}`, so a second copy of a
/// lost attempt changes nothing (a lost status update would otherwise be lost for good).
pub const IDEMPOTENT_WRITES: &[&str] = &["update_reference_check"];

/// Whether the operation `operation_id`, sent with `method`, may be sent again after the server
/// may have seen it.
pub fn is_idempotent_operation(method: &Method, operation_id: &str) -> bool {
    is_idempotent(method) || IDEMPOTENT_WRITES.contains(&operation_id)
}

/// Statuses worth another try of an idempotent request.
pub fn is_retryable_status(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
}

enum Attempt {
    Status(Response),
    Transport(reqwest::Error),
    Fatal(reqwest::Error),
}

fn retry_after(attempt: &Attempt) -> Option<Duration> {
    let Attempt::Status(response) = attempt else {
        return None;
    };
    let value = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// Sends a copy of `request` per attempt, retrying as the policy allows; `idempotent` says
/// whether it may be sent again after the server may have seen it ([`is_idempotent_operation`]).
/// Returns the last answer and the number of attempts.
///
/// A request whose body is a stream cannot be copied: send it once, by value, with
/// [`send_once`]; [`is_replayable`] tells which is which.
pub async fn send(
    client: &reqwest::Client,
    request: &Request,
    policy: &RetryPolicy,
    idempotent: bool,
) -> reqwest::Result<(Response, usize)> {
    let mut attempts = 0;
    // Built on the first failure only: a call that succeeds at once pays for no backoff state.
    let mut delays: Option<backon::ExponentialBackoff> = None;
    loop {
        attempts += 1;
        let copy = request
            .try_clone()
            .expect("a replayable request (see is_replayable)");
        let failed = match attempt(client, copy, idempotent).await {
            Ok(response) => return Ok((response, attempts)),
            Err(Attempt::Fatal(e)) => return Err(e),
            Err(failed) => failed,
        };
        let planned = delays
            .get_or_insert_with(|| policy.backoff().build())
            .next();
        let Some(planned) = planned else {
            return failed.into_result(attempts);
        };
        let delay = retry_after(&failed).map_or(planned, |ra| ra.min(policy.max_delay));
        let why = match &failed {
            Attempt::Status(r) => format!("HTTP {}", r.status().as_u16()),
            Attempt::Transport(e) if e.is_timeout() => "timeout".to_string(),
            _ => "connection failed".to_string(),
        };
        tracing::debug!(reason = %why, delay_ms = delay.as_millis() as u64, "retrying Alto call");
        drop(failed);
        tokio::time::sleep(delay).await;
    }
}

/// One attempt, classified: an answer to keep, a failure worth another try, or a fatal one.
async fn attempt(
    client: &reqwest::Client,
    request: Request,
    idempotent: bool,
) -> Result<Response, Attempt> {
    match client.execute(request).await {
        Ok(resp) if idempotent && is_retryable_status(resp.status()) => Err(Attempt::Status(resp)),
        Ok(resp) => Ok(resp),
        // A connection that never opened cannot have reached Alto: safe for any method.
        // Anything else (timeout, reset mid-answer) only for idempotent methods.
        Err(e)
            if e.is_connect()
                || (idempotent && (e.is_timeout() || e.is_request() || e.is_body())) =>
        {
            Err(Attempt::Transport(e))
        }
        Err(e) => Err(Attempt::Fatal(e)),
    }
}

impl Attempt {
    /// The outcome once no attempt is left: the last answer, or the last error.
    fn into_result(self, attempts: usize) -> reqwest::Result<(Response, usize)> {
        match self {
            Attempt::Status(resp) => Ok((resp, attempts)),
            Attempt::Transport(e) | Attempt::Fatal(e) => Err(e),
        }
    }
}

/// Whether `request` can be copied for another attempt (its body, if any, is in memory).
pub fn is_replayable(request: &Request) -> bool {
    request.body().is_none_or(|body| body.as_bytes().is_some())
}

/// Sends a request that cannot be copied (a streamed body): one attempt.
pub async fn send_once(
    client: &reqwest::Client,
    request: Request,
) -> reqwest::Result<(Response, usize)> {
    client.execute(request).await.map(|r| (r, 1))
}
