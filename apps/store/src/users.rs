//! Admin users: username, argon2 password hash (PHC string), role.

use super::{col, is_unique_violation, now_ms, Store, StoreError};
use crate::model::{Role, User};

/// A user and the stored password hash, for checking a login.
pub struct UserCredentials {
    /// The user.
    pub user: User,
    /// The argon2 PHC string.
    pub password_hash: String,
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
            "SELECT id, username, role, password_hash FROM admin_users WHERE username = $1",
        )
        .bind(username)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(UserCredentials {
                user: user_from_row(&row)?,
                password_hash: col(&row, "password_hash")?,
            })
        })
        .transpose()
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
