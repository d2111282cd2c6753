//! Signing in and out: check the password, create or end a server-side session.

use std::time::Duration;

use super::password::{burn_verify, verify_password};
use super::tokens::{random_token, token_hash};
use crate::model::User;
use crate::store::{now_ms, NewSession, Store, StoreError};

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

/// Checks `username` / `password` and opens a session lasting `ttl`.
pub async fn log_in(
    store: &Store,
    username: &str,
    password: &str,
    ttl: Duration,
) -> Result<NewLogin, LoginError> {
    let credentials = store.user_credentials(username).await?;
    let Some(credentials) = credentials else {
        burn_verify(password);
        return Err(LoginError::BadCredentials);
    };
    if !verify_password(&credentials.password_hash, password) {
        return Err(LoginError::BadCredentials);
    }
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
