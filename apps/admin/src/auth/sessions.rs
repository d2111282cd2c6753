//! Signing in and out: check the password, create or end a server-side session.

use std::time::Duration;

use super::password::verify_password_off_thread;
use super::tokens::{random_token, token_hash};
use crate::model::User;
use crate::store::{now_ms, NewSession, Store, StoreError};
use crate::web::AdminState;

/// A fresh session: the token goes into the cookie, never into logs or the database.
pub struct NewLogin {
    /// Who signed in.
    pub user: User,
    /// The session token for the cookie.
    pub token: String,
}

impl std::fmt::Debug for NewLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewLogin")
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// Why signing in failed.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// Unknown user or wrong password (deliberately not saying which).
    #[error("wrong username or password")]
    BadCredentials,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Checks `username` / `password` and opens a session lasting at most `ttl`.
///
/// The password is checked on the blocking pool (see [`verify_password_off_thread`]). An
/// unknown user, a disabled one and a wrong password get the same answer after the same work.
pub async fn log_in(
    store: &Store,
    username: &str,
    password: &str,
    ttl: Duration,
) -> Result<NewLogin, LoginError> {
    let credentials = store.user_credentials(username).await?;
    let hash = credentials.as_ref().map(|c| c.password_hash.clone());
    let matches = verify_password_off_thread(hash, password).await;
    let Some(credentials) = credentials.filter(|c| matches && !c.disabled) else {
        return Err(LoginError::BadCredentials);
    };
    let token = random_token();
    let csrf = random_token();
    let ttl_ms = i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX);
    store
        .insert_session(&NewSession {
            id_hash: &token_hash(&token),
            user_id: credentials.user.id,
            csrf_token: &csrf,
            expires_at_ms: now_ms().saturating_add(ttl_ms),
        })
        .await?;
    Ok(NewLogin {
        user: credentials.user,
        token,
    })
}

/// Ends the session with this token (a no-op if it is already gone).
pub async fn log_out(store: &Store, token: &str) -> Result<(), StoreError> {
    store.delete_session(&token_hash(token)).await
}

/// Deletes expired and idle sessions every `every`, until the returned task is aborted.
/// Sessions are refused as soon as they end anyway; this keeps the table small.
pub fn spawn_session_purge(state: AdminState, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match state
                .store()
                .purge_sessions(state.config().idle_timeout)
                .await
            {
                Ok(0) => {}
                Ok(purged) => tracing::debug!(purged, "ended sessions purged"),
                Err(e) => tracing::warn!(error = %e, "could not purge ended sessions"),
            }
        }
    })
}
