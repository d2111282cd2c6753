//! Creating admin users and resetting their passwords (`alto admin create-user`,
//! `alto admin reset-password`).

use super::password::{hash_password, HashError};
use crate::model::{Role, User};
use crate::store::{Store, StoreError};

/// Shortest accepted password.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Why a user could not be created.
#[derive(Debug, thiserror::Error)]
pub enum UserError {
    /// Blank, too long, or containing control characters.
    #[error(
        "the username must be 1 to 64 characters with no control characters or surrounding spaces"
    )]
    BadUsername,
    /// Too short (or absurdly long).
    #[error("the password must be at least {MIN_PASSWORD_CHARS} characters (and at most 1024)")]
    WeakPassword,
    /// Hashing failed.
    #[error(transparent)]
    Hash(#[from] HashError),
    /// The store refused (for example the name is taken).
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Checks the username and password, hashes the password with argon2id and stores the user.
pub async fn create_user(
    store: &Store,
    username: &str,
    password: &str,
    role: Role,
) -> Result<User, UserError> {
    let chars = username.chars().count();
    if chars == 0
        || chars > 64
        || username.trim() != username
        || username.chars().any(char::is_control)
    {
        return Err(UserError::BadUsername);
    }
    let hash = checked_hash(password)?;
    Ok(store.insert_user(username, &hash, role).await?)
}

/// Sets a new password for `username` (same rules as [`create_user`]) and ends their sessions.
pub async fn reset_password(
    store: &Store,
    username: &str,
    password: &str,
) -> Result<User, UserError> {
    let hash = checked_hash(password)?;
    Ok(store.set_password_hash(username, &hash).await?)
}

fn checked_hash(password: &str) -> Result<String, UserError> {
    let password_chars = password.chars().count();
    if !(MIN_PASSWORD_CHARS..=1024).contains(&password_chars) {
        return Err(UserError::WeakPassword);
    }
    Ok(hash_password(password)?)
}
