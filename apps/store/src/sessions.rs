//! Server-side sessions in the same database, so several instances behind a load balancer share them.
//!
//! A small table of our own rather than tower-sessions' sqlx store: that store has one type per
//! backend with its own schema management, while this one rides the same `Any` pool and migrations,
//! stores only a SHA-256 of the token, and keeps the CSRF token next to the session it belongs to.

use super::users::user_from_row;
use super::{col, now_ms, Store, StoreError};
use crate::model::User;

/// A session to store. `id_hash` is the SHA-256 (hex) of the cookie's token, never the token.
pub struct NewSession<'a> {
    /// SHA-256 of the session token, hex.
    pub id_hash: &'a str,
    /// Who signed in.
    pub user_id: i64,
    /// The synchronizer token every form of this session must carry.
    pub csrf_token: &'a str,
    /// When the session stops being valid, unix milliseconds.
    pub expires_at_ms: i64,
}

/// A live session and its user.
pub struct SessionRecord {
    /// The signed-in user.
    pub user: User,
    /// The session's CSRF token.
    pub csrf_token: String,
    /// When the session expires, unix milliseconds.
    pub expires_at_ms: i64,
}

impl std::fmt::Debug for SessionRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionRecord")
            .field("user", &self.user)
            .field("expires_at_ms", &self.expires_at_ms)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Stores a new session (and drops expired ones, so the table does not grow without bound).
    pub async fn insert_session(&self, session: &NewSession<'_>) -> Result<(), StoreError> {
        let now = now_ms();
        sqlx::query("DELETE FROM admin_sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.pool)
            .await?;
        sqlx::query(
            "INSERT INTO admin_sessions (id_hash, user_id, csrf_token, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(session.id_hash)
        .bind(session.user_id)
        .bind(session.csrf_token)
        .bind(now)
        .bind(session.expires_at_ms)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The unexpired session with this token hash, if any.
    pub async fn session(&self, id_hash: &str) -> Result<Option<SessionRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT u.id, u.username, u.role, s.csrf_token, s.expires_at \
             FROM admin_sessions s JOIN admin_users u ON u.id = s.user_id \
             WHERE s.id_hash = $1 AND s.expires_at > $2",
        )
        .bind(id_hash)
        .bind(now_ms())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(SessionRecord {
                user: user_from_row(&row)?,
                csrf_token: col(&row, "csrf_token")?,
                expires_at_ms: col(&row, "expires_at")?,
            })
        })
        .transpose()
    }

    /// Ends a session (logout).
    pub async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM admin_sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
