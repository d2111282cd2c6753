//! Creating safely when an answer is lost.
//!
//! POST is never retried blindly (the hook refuses), because a 5xx or a dropped connection leaves
//! it unknown whether Alto applied the request. These helpers resolve the doubt first: look for
//! the record the lost attempt may have made, and only if it is absent, send again. Contacts need no
//! lookup (Alto answers a repeat with 409 and the existing id); properties do, since
//! `POST /inventory/new` declares no 409 (see `Properties::create_or_existing`).

use std::future::Future;
use std::time::Duration;

use crate::error::AltoError;

/// Attempts in all for a reconciled create.
pub const ATTEMPTS: usize = 4;

/// Whether a failed write may have been applied (so it must be reconciled, not just resent).
pub fn outcome_unknown(e: &AltoError) -> bool {
    matches!(
        e,
        AltoError::Server { .. } | AltoError::Timeout { .. } | AltoError::Transport { .. }
    )
}

/// Whether a failed write was certainly not applied and may simply be sent again later.
fn not_applied(e: &AltoError) -> bool {
    matches!(e, AltoError::RateLimited { .. })
}

/// Runs `attempt`; after a failure with unknown outcome, asks `find` for what the lost attempt
/// may have created and returns that, or tries again (at most [`ATTEMPTS`] times).
pub async fn create_reconciled<T, A, AF, F, FF>(mut attempt: A, mut find: F) -> Result<T, AltoError>
where
    A: FnMut() -> AF,
    AF: Future<Output = Result<T, AltoError>>,
    F: FnMut() -> FF,
    FF: Future<Output = Result<Option<T>, AltoError>>,
{
    let mut delay = Duration::from_millis(100);
    let mut unknown = false;
    for n in 1..=ATTEMPTS {
        if unknown {
            if let Some(found) = find().await? {
                tracing::debug!(attempt = n, "found the record a lost attempt created");
                return Ok(found);
            }
        }
        match attempt().await {
            Ok(v) => return Ok(v),
            Err(e) if n < ATTEMPTS && (outcome_unknown(&e) || not_applied(&e)) => {
                unknown |= outcome_unknown(&e);
                tracing::debug!(attempt = n, error = %e, "create failed; reconciling before trying again");
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(5));
            }
            Err(e) => return Err(e),
        }
    }
    unreachable!("the last attempt returns")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn server_error() -> AltoError {
        AltoError::Server {
            operation: "t".into(),
            status: 503,
            problem: None,
            retried: false,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_lost_create_is_found_not_repeated() {
        let sent = AtomicUsize::new(0);
        let result = create_reconciled(
            || async {
                sent.fetch_add(1, Ordering::SeqCst);
                Err::<u32, _>(server_error())
            },
            || async { Ok(Some(7)) },
        )
        .await;
        assert_eq!(result.unwrap(), 7);
        assert_eq!(sent.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn absent_record_is_sent_again_and_other_errors_stop() {
        let sent = AtomicUsize::new(0);
        let result = create_reconciled(
            || async {
                if sent.fetch_add(1, Ordering::SeqCst) == 0 {
                    Err(server_error())
                } else {
                    Ok(1u32)
                }
            },
            || async { Ok(None) },
        )
        .await;
        assert_eq!(result.unwrap(), 1);
        let validation = create_reconciled(
            || async {
                Err::<u32, _>(AltoError::Validation {
                    operation: "t".into(),
                    status: 400,
                    problem: Default::default(),
                })
            },
            || async { panic!("no lookup after a certain failure") },
        )
        .await;
        assert!(matches!(validation, Err(AltoError::Validation { .. })));
    }

    #[tokio::test(start_paused = true)]
    async fn gives_up_after_the_attempt_budget() {
        let sent = AtomicUsize::new(0);
        let result = create_reconciled(
            || async {
                sent.fetch_add(1, Ordering::SeqCst);
                Err::<u32, _>(server_error())
            },
            || async { Ok(None) },
        )
        .await;
        assert!(matches!(result, Err(AltoError::Server { .. })));
        assert_eq!(sent.load(Ordering::SeqCst), ATTEMPTS);
    }
}
