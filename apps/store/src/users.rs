//! Admin users: username, argon2 password hash (PHC string), role.

use super::{col, is_unique_violation, now_ms, Store, StoreError};
use crate::model::{Role, User};

/// A user and the stored password hash, for checking a login.
pub struct UserCredentials {
    /// The user.
    pub user: User,
    /// The argon2 PHC string.
    pub password_hash: String,
    /// The account is disabled: it may not sign in.
    pub disabled: bool,
}

/// One user as `alto admin list-users` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserSummary {
    /// The user.
    pub user: User,
    /// When the account was created, unix milliseconds.
    pub created_at_ms: i64,
    /// When the account was disabled, unix milliseconds; `None` while it may sign in.
    pub disabled_at_ms: Option<i64>,
    /// How many sessions are open (not yet purged; some may have expired).
    pub sessions: i64,
}

impl std::fmt::Debug for UserCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserCredentials")
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Stores a new user; [`StoreError::DuplicateUser`] when the name is taken.
    pub async fn insert_user(
        &self,
        username: &str,
        password_hash: &str,
        role: Role,
    ) -> Result<User, StoreError> {
        let result = sqlx::query(
            "INSERT INTO admin_users (username, password_hash, role, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(username)
        .bind(password_hash)
        .bind(role.as_str())
        .bind(now_ms())
        .execute(&self.pool)
        .await;
        match result {
            Err(e) if is_unique_violation(&e) => {
                Err(StoreError::DuplicateUser(username.to_string()))
            }
            Err(e) => Err(e.into()),
            Ok(_) => Ok(self
                .user_credentials(username)
                .await?
                .ok_or_else(|| StoreError::Corrupt {
                    column: "username",
                    detail: "inserted user not found".into(),
                })?
                .user),
        }
    }

    /// Looks a user up by name, with the password hash.
    pub async fn user_credentials(
        &self,
        username: &str,
    ) -> Result<Option<UserCredentials>, StoreError> {
        let row = sqlx::query(
            "SELECT id, username, role, password_hash, disabled_at FROM admin_users WHERE username = $1",
        )
        .bind(username)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(UserCredentials {
                user: user_from_row(&row)?,
                password_hash: col(&row, "password_hash")?,
                disabled: col::<Option<i64>>(&row, "disabled_at")?.is_some(),
            })
        })
        .transpose()
    }

    /// Every user, by name, with the count of open sessions.
    pub async fn list_users(&self) -> Result<Vec<UserSummary>, StoreError> {
        let rows = sqlx::query(
            "SELECT u.id, u.username, u.role, u.created_at, u.disabled_at, \
             (SELECT COUNT(*) FROM admin_sessions s WHERE s.user_id = u.id) AS sessions \
             FROM admin_users u ORDER BY u.username",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(UserSummary {
                    user: user_from_row(row)?,
                    created_at_ms: col(row, "created_at")?,
                    disabled_at_ms: col(row, "disabled_at")?,
                    sessions: col(row, "sessions")?,
                })
            })
            .collect()
    }

    /// Disables (or enables again) the account named `username`. Disabling also ends its
    /// sessions, in the same transaction, so nobody stays signed in as a disabled user.
    /// [`StoreError::NoSuchUser`] when there is no such account.
    pub async fn set_user_disabled(
        &self,
        username: &str,
        disabled: bool,
    ) -> Result<User, StoreError> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "UPDATE admin_users SET disabled_at = $2 WHERE username = $1 \
             RETURNING id, username, role",
        )
        .bind(username)
        .bind(disabled.then(now_ms))
        .fetch_optional(&mut *tx)
        .await?;
        let user = user_from_row(&row.ok_or_else(|| StoreError::NoSuchUser(username.into()))?)?;
        if disabled {
            sqlx::query("DELETE FROM admin_sessions WHERE user_id = $1")
                .bind(user.id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(user)
    }

    /// Replaces the password hash of `username` and ends its sessions (a reset usually means
    /// the old password may be known to someone else).
    pub async fn set_password_hash(
        &self,
        username: &str,
        password_hash: &str,
    ) -> Result<User, StoreError> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "UPDATE admin_users SET password_hash = $2 WHERE username = $1 \
             RETURNING id, username, role",
        )
        .bind(username)
        .bind(password_hash)
        .fetch_optional(&mut *tx)
        .await?;
        let user = user_from_row(&row.ok_or_else(|| StoreError::NoSuchUser(username.into()))?)?;
        sqlx::query("DELETE FROM admin_sessions WHERE user_id = $1")
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(user)
    }

    /// The user named `username`; [`StoreError::NoSuchUser`] when there is none.
    pub async fn user_named(&self, username: &str) -> Result<User, StoreError> {
        self.user_credentials(username)
            .await?
            .map(|credentials| credentials.user)
            .ok_or_else(|| StoreError::NoSuchUser(username.into()))
    }
}

pub(super) fn user_from_row(row: &sqlx::any::AnyRow) -> Result<User, StoreError> {
    let role: String = col(row, "role")?;
    Ok(User {
        id: col(row, "id")?,
        username: col(row, "username")?,
        role: role
            .parse()
            .map_err(|e: crate::model::UnknownValue| StoreError::Corrupt {
                column: "role",
                detail: e.to_string(),
            })?,
    })
}
