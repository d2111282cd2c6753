//! OAuth2 client credentials for Alto's callbacks: this app is the token endpoint.
//!
//! The partner issues Alto a client id and secret per integration ([`OAuthClients::issue`]);
//! Alto posts them to the token endpoint (`POST {receiver path}/token`,
//! `grant_type=client_credentials`, credentials in HTTP Basic or the form) and presents the
//! short-lived bearer token it gets with each event. A token is for its client's integration
//! only: an event for another `data.integrationId` is refused.
//!
//! At rest: client secrets as argon2id PHC strings (the scheme the admin app uses for
//! passwords), tokens as their SHA-256 (a token is 256 random bits, so a fast hash is enough;
//! it is looked up on every event). Expiry runs on the database's clock.

use std::time::Duration;

use alto_store::{now_ms, Store, StoreError, DATABASE_NOW_MS};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::http::header::AUTHORIZATION;
use axum::http::HeaderMap;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use sha2::{Digest, Sha256};
use sqlx::Row;

/// A client issued to Alto; the secret is shown once, here, and never stored.
#[derive(Clone, PartialEq, Eq)]
pub struct IssuedClient {
    /// The client id to give Alto support.
    pub client_id: String,
    /// The secret to give Alto support (only its hash is kept).
    pub client_secret: String,
    /// The integration its tokens are for.
    pub integration_id: String,
}

impl std::fmt::Debug for IssuedClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedClient")
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .field("integration_id", &self.integration_id)
            .finish()
    }
}

/// A token the endpoint issued.
#[derive(Clone, PartialEq, Eq)]
pub struct IssuedToken {
    /// The bearer token.
    pub access_token: String,
    /// Seconds until it expires.
    pub expires_in: u64,
}

impl std::fmt::Debug for IssuedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedToken")
            .field("access_token", &"[redacted]")
            .field("expires_in", &self.expires_in)
            .finish()
    }
}

/// Why the OAuth2 side failed.
#[derive(Debug, thiserror::Error)]
pub enum OAuthError {
    /// The integration id is empty.
    #[error(
        "an OAuth2 client needs the integration id Alto gives the integration (data.integrationId)"
    )]
    NoIntegration,
    /// Hashing or the random source failed.
    #[error("could not create the client secret: {0}")]
    Secret(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for OAuthError {
    fn from(e: sqlx::Error) -> Self {
        OAuthError::Store(StoreError::Database(e))
    }
}

/// The OAuth2 clients and tokens of a [`Store`].
#[derive(Debug, Clone)]
pub struct OAuthClients {
    store: Store,
}

impl OAuthClients {
    /// Over the store's `alto_webhook_oauth_*` tables (migration 0012).
    pub fn new(store: Store) -> Self {
        Self { store }
    }

    /// Issues a client for `integration_id`: a random id and secret (256 bits), the secret
    /// hashed before it is stored. Give both to Alto support with the token endpoint's URL.
    pub async fn issue(&self, integration_id: &str) -> Result<IssuedClient, OAuthError> {
        let integration_id = integration_id.trim();
        if integration_id.is_empty() {
            return Err(OAuthError::NoIntegration);
        }
        let client_id = format!("alto-{}", random_token(12)?);
        let client_secret = random_token(32)?;
        let hash = hash_secret(client_secret.clone()).await?;
        sqlx::query(
            "INSERT INTO alto_webhook_oauth_clients (client_id, integration_id, secret_hash, \
             created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(&client_id)
        .bind(integration_id)
        .bind(hash)
        .bind(now_ms())
        .execute(self.store.pool())
        .await?;
        Ok(IssuedClient {
            client_id,
            client_secret,
            integration_id: integration_id.to_string(),
        })
    }

    /// Revokes a client and every token it holds. Returns whether it existed.
    pub async fn revoke(&self, client_id: &str) -> Result<bool, OAuthError> {
        sqlx::query("DELETE FROM alto_webhook_oauth_tokens WHERE client_id = $1")
            .bind(client_id)
            .execute(self.store.pool())
            .await?;
        let revoked = sqlx::query(
            "UPDATE alto_webhook_oauth_clients SET revoked_at = $1 \
             WHERE client_id = $2 AND revoked_at IS NULL",
        )
        .bind(now_ms())
        .bind(client_id)
        .execute(self.store.pool())
        .await?
        .rows_affected();
        Ok(revoked == 1)
    }

    /// A token for the client, if the secret is right and the client not revoked.
    pub async fn token(
        &self,
        client_id: &str,
        client_secret: &str,
        lifetime: Duration,
    ) -> Result<Option<IssuedToken>, OAuthError> {
        let row = sqlx::query(
            "SELECT integration_id, secret_hash FROM alto_webhook_oauth_clients \
             WHERE client_id = $1 AND revoked_at IS NULL",
        )
        .bind(client_id)
        .fetch_optional(self.store.pool())
        .await?;
        let (integration_id, hash) = match row {
            Some(row) => (
                Some(row.try_get::<String, _>("integration_id")?),
                Some(row.try_get::<String, _>("secret_hash")?),
            ),
            None => (None, None),
        };
        // An unknown client costs the same argon2 check as a known one.
        if !verify_secret(hash, client_secret.to_string()).await {
            return Ok(None);
        }
        let Some(integration_id) = integration_id else {
            return Ok(None);
        };
        let access_token = random_token(32)?;
        let lifetime_ms = i64::try_from(lifetime.as_millis()).unwrap_or(i64::MAX / 2);
        sqlx::query(&format!(
            "DELETE FROM alto_webhook_oauth_tokens WHERE expires_at < {DATABASE_NOW_MS}"
        ))
        .execute(self.store.pool())
        .await?;
        sqlx::query(&format!(
            "INSERT INTO alto_webhook_oauth_tokens (token_hash, client_id, integration_id, \
             expires_at) VALUES ($1, $2, $3, {DATABASE_NOW_MS} + $4)"
        ))
        .bind(token_hash(&access_token))
        .bind(client_id)
        .bind(integration_id)
        .bind(lifetime_ms)
        .execute(self.store.pool())
        .await?;
        Ok(Some(IssuedToken {
            access_token,
            expires_in: lifetime.as_secs().max(1),
        }))
    }

    /// The integration a bearer token (the `Authorization` header) is for, if the token is
    /// known, unexpired and its client not revoked.
    pub async fn integration_of(&self, headers: &HeaderMap) -> Result<Option<String>, OAuthError> {
        let Some(token) = headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|t| !t.is_empty())
        else {
            return Ok(None);
        };
        let row = sqlx::query(&format!(
            "SELECT t.integration_id AS integration_id FROM alto_webhook_oauth_tokens t \
             JOIN alto_webhook_oauth_clients c ON c.client_id = t.client_id \
             WHERE t.token_hash = $1 AND t.expires_at > {DATABASE_NOW_MS} \
             AND c.revoked_at IS NULL"
        ))
        .bind(token_hash(token))
        .fetch_optional(self.store.pool())
        .await?;
        Ok(row.map(|r| r.try_get("integration_id")).transpose()?)
    }
}

/// The client credentials of a token request: HTTP Basic, or `client_id` / `client_secret` in
/// the form (RFC 6749 section 2.3.1).
pub(crate) fn client_credentials(
    headers: &HeaderMap,
    form: &[(String, String)],
) -> Option<(String, String)> {
    if let Some(basic) = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Basic ")
                .or_else(|| v.strip_prefix("basic "))
        })
    {
        let decoded = STANDARD.decode(basic.trim()).ok()?;
        let text = String::from_utf8(decoded).ok()?;
        let (id, secret) = text.split_once(':')?;
        let unescape = |s: &str| {
            form_urlencoded::parse(format!("v={s}").as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
        };
        return Some((unescape(id)?, unescape(secret)?));
    }
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_empty())
    };
    Some((field("client_id")?, field("client_secret")?))
}

fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn random_token(bytes: usize) -> Result<String, OAuthError> {
    let mut buffer = vec![0u8; bytes];
    getrandom::fill(&mut buffer).map_err(|e| OAuthError::Secret(e.to_string()))?;
    Ok(URL_SAFE_NO_PAD.encode(buffer))
}

async fn hash_secret(secret: String) -> Result<String, OAuthError> {
    tokio::task::spawn_blocking(move || {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).map_err(|e| OAuthError::Secret(e.to_string()))?;
        let salt = SaltString::encode_b64(&salt).map_err(|e| OAuthError::Secret(e.to_string()))?;
        Argon2::default()
            .hash_password(secret.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| OAuthError::Secret(e.to_string()))
    })
    .await
    .map_err(|e| OAuthError::Secret(e.to_string()))?
}

/// Whether `secret` matches the PHC string; with none, a check against a throwaway hash runs
/// anyway so an unknown client id takes as long as a wrong secret.
async fn verify_secret(phc: Option<String>, secret: String) -> bool {
    tokio::task::spawn_blocking(move || {
        static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let dummy = DUMMY.get_or_init(|| {
            let salt = SaltString::encode_b64(b"alto-dummy-salt!").expect("16 bytes");
            Argon2::default()
                .hash_password(b"not a secret anyone holds", &salt)
                .map(|h| h.to_string())
                .unwrap_or_default()
        });
        let known = phc.is_some();
        let phc = phc.unwrap_or_else(|| dummy.clone());
        let matches = PasswordHash::new(&phc).is_ok_and(|hash| {
            Argon2::default()
                .verify_password(secret.as_bytes(), &hash)
                .is_ok()
        });
        known && matches
    })
    .await
    .unwrap_or(false)
}
