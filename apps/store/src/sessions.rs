//! Server-side sessions in the same database, so several instances behind a load balancer share them.
//!
//! A small table of our own rather than tower-sessions' sqlx store: that store has one type per
//! backend with its own schema management, while this one rides the same `Any` pool and migrations,
//! stores only a SHA-256 of the token, and keeps the CSRF token next to the session it belongs to.

use std::time::Duration;

use super::users::user_from_row;
use super::{col, now_ms, Store, StoreError};
use crate::model::User;

/// A session's last-seen time is written at most this often: every request would otherwise
/// be a write (and on SQLite take the write lock), while the idle timeout is counted in minutes.
const TOUCH_EVERY_MS: i64 = 60_000;

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

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
            "INSERT INTO admin_sessions \
             (id_hash, user_id, csrf_token, created_at, expires_at, last_seen_at) \
             VALUES ($1, $2, $3, $4, $5, $4)",
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

    /// The unexpired session with this token hash, if any (none for a disabled user).
    pub async fn session(&self, id_hash: &str) -> Result<Option<SessionRecord>, StoreError> {
        self.session_seen_since(id_hash, i64::MIN).await
    }

    /// The session with this token hash if it has neither expired nor been idle longer than
    /// `idle`, and records this use of it (the idle clock restarts).
    pub async fn active_session(
        &self,
        id_hash: &str,
        idle: Duration,
    ) -> Result<Option<SessionRecord>, StoreError> {
        let now = now_ms();
        let record = self
            .session_seen_since(id_hash, now.saturating_sub(millis(idle)))
            .await?;
        if record.is_some() {
            sqlx::query(
                "UPDATE admin_sessions SET last_seen_at = $2 \
                 WHERE id_hash = $1 AND last_seen_at < $3",
            )
            .bind(id_hash)
            .bind(now)
            .bind(now - TOUCH_EVERY_MS)
            .execute(&self.pool)
            .await?;
        }
        Ok(record)
    }

    async fn session_seen_since(
        &self,
        id_hash: &str,
        seen_after_ms: i64,
    ) -> Result<Option<SessionRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT u.id, u.username, u.role, s.csrf_token, s.expires_at \
             FROM admin_sessions s JOIN admin_users u ON u.id = s.user_id \
             WHERE s.id_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 \
             AND u.disabled_at IS NULL",
        )
        .bind(id_hash)
        .bind(now_ms())
        .bind(seen_after_ms)
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

    /// Deletes sessions past their absolute expiry or idle longer than `idle`; how many.
    pub async fn purge_sessions(&self, idle: Duration) -> Result<u64, StoreError> {
        let now = now_ms();
        let done =
            sqlx::query("DELETE FROM admin_sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
                .bind(now)
                .bind(now.saturating_sub(millis(idle)))
                .execute(&self.pool)
                .await?;
        Ok(done.rows_affected())
    }

    /// Ends every session of the user with this id; how many were open.
    pub async fn end_sessions_of(&self, user_id: i64) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM admin_sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
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
