//! Password hashing with argon2id (PHC strings, so parameters can be raised later without a migration).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// Hashing failed (the OS random source or argon2 itself).
#[derive(Debug, thiserror::Error)]
#[error("could not hash the password: {0}")]
pub struct HashError(String);

/// Hashes a password with argon2id's default (OWASP-recommended) parameters and a random salt.
pub fn hash_password(password: &str) -> Result<String, HashError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| HashError(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| HashError(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| HashError(e.to_string()))
}

/// Whether `password` matches the stored PHC string; a malformed hash never matches.
pub fn verify_password(phc: &str, password: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(hash) => Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok(),
        Err(_) => false,
    }
}

/// How many argon2 checks run at once. Each takes tens of megabytes and a core for a noticeable
/// time; more in parallel would only slow them all down and starve the rest of the server.
pub const PARALLEL_CHECKS: usize = 2;

static CHECKS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(PARALLEL_CHECKS);

/// [`verify_password`] (or, with no stored hash, [`burn_verify`]) on tokio's blocking pool,
/// at most [`PARALLEL_CHECKS`] at a time. The async threads stay free, so a burst of sign-ins
/// queues here instead of stalling every other request (the webhook receiver shares the server).
pub async fn verify_password_off_thread(phc: Option<String>, password: &str) -> bool {
    let Ok(permit) = CHECKS.acquire().await else {
        // The semaphore is never closed; refusing is the safe answer if it ever were.
        return false;
    };
    // The blocking task needs its own copy of the typed password; it is wiped when dropped.
    let password = zeroize::Zeroizing::new(password.to_string());
    // The permit moves into the task: a caller that gives up waiting (the client went away)
    // does not free a slot while its check still runs.
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        match phc {
            Some(phc) => verify_password(&phc, &password),
            None => {
                burn_verify(&password);
                false
            }
        }
    })
    .await
    .unwrap_or(false)
}

/// Spends about as long as a real check, so a login for an unknown user takes as long as one
/// with a wrong password (no user enumeration by timing).
pub fn burn_verify(password: &str) {
    use std::sync::OnceLock;
    static DUMMY: OnceLock<Option<String>> = OnceLock::new();
    if let Some(dummy) = DUMMY.get_or_init(|| hash_password("not a real password").ok()) {
        let _ = verify_password(dummy, password);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_then_verify() {
        let hash = hash_password("correct horse battery staple").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(&hash, "correct horse battery staple"));
        assert!(!verify_password(&hash, "correct horse battery stapl"));
        assert!(!verify_password("not a hash", "x"));
    }
}
