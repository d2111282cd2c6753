//! The token source: fetches, caches and refreshes the bearer token, one request at a time.
//!
//! Cached until `expires_in` minus a safety margin. Refresh is single-flight: callers that find
//! the cache cold or stale queue on one async mutex; the first fetches, the rest reuse its answer.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

use backon::Retryable;

use super::Credentials;
use crate::raw::retry::RetryPolicy;

/// A bearer token. `Debug` and `Display` never show it.
///
/// It is kept as its `Authorization` header (`Bearer <token>`, marked sensitive), built once:
/// each call clones a reference count instead of formatting the header again.
#[derive(Clone)]
pub struct AccessToken(Arc<reqwest::header::HeaderValue>);

impl AccessToken {
    /// Wraps a token value.
    pub fn new(value: impl Into<String>) -> Self {
        let mut header =
            reqwest::header::HeaderValue::from_str(&format!("Bearer {}", value.into()))
                .unwrap_or_else(|_| reqwest::header::HeaderValue::from_static("Bearer invalid"));
        header.set_sensitive(true);
        Self(Arc::new(header))
    }

    /// The `Authorization` header value, `Bearer <token>` (marked sensitive).
    pub(crate) fn header_value(&self) -> reqwest::header::HeaderValue {
        (*self.0).clone()
    }

    fn same_as(&self, other: &AccessToken) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken([redacted])")
    }
}

/// Why no token could be had from the token endpoint.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// The endpoint refused the client id or secret (400 `invalid_client`, 401 or 403).
    #[error("Alto refused the client credentials for {client_id} (HTTP {status}{code}): check ALTO_CLIENT_ID and ALTO_CLIENT_SECRET for this environment", code = .oauth_error.as_deref().map(|c| format!(", {c}")).unwrap_or_default())]
    BadCredentials {
        /// The client id that was refused (not secret).
        client_id: String,
        /// HTTP status of the refusal.
        status: u16,
        /// OAuth2 `error` code, when the answer had one.
        oauth_error: Option<String>,
    },
    /// The token endpoint could not be reached (DNS, connect, TLS, timeout).
    #[error("the Alto token endpoint {url} could not be reached: {source}; check the network and the token URL")]
    Unreachable {
        /// Token URL tried.
        url: String,
        /// The transport error.
        #[source]
        source: reqwest::Error,
    },
    /// The endpoint answered with something that is not a token.
    #[error("the Alto token endpoint {url} answered HTTP {status} with something that is not a token ({detail}); is the token URL right?")]
    Malformed {
        /// Token URL tried.
        url: String,
        /// HTTP status of the answer.
        status: u16,
        /// What was wrong with it.
        detail: String,
    },
    /// The endpoint answered with a redirect, which is not followed: the request carries the
    /// client secret, which must not go to another host.
    #[error("the Alto token endpoint {url} answered with a redirect (HTTP {status}{to}), which is not followed; set the token URL to the endpoint itself", to = .location.as_deref().map(|l| format!(" to {l}")).unwrap_or_default())]
    Redirected {
        /// Token URL tried.
        url: String,
        /// HTTP status of the answer.
        status: u16,
        /// The `Location` the answer named, if any.
        location: Option<String>,
    },
    /// The endpoint failed (5xx or another unexpected status); for 429 and 5xx, after the retry
    /// policy's attempts were spent.
    #[error("the Alto token endpoint {url} failed with HTTP {status}; try again later")]
    Unavailable {
        /// Token URL tried.
        url: String,
        /// HTTP status of the answer.
        status: u16,
    },
}

#[derive(serde::Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default)]
    token_type: Option<String>,
    #[serde(default)]
    expires_in: Option<u64>,
}

#[derive(serde::Deserialize)]
struct OAuthError {
    error: Option<String>,
}

struct Cached {
    token: AccessToken,
    refresh_at: Instant,
}

/// Fetches and caches tokens for one set of credentials at one token URL.
pub struct TokenSource {
    http: reqwest::Client,
    token_url: String,
    credentials: Credentials,
    margin: Duration,
    retry: RetryPolicy,
    cache: RwLock<Option<Cached>>,
    refresh: Mutex<()>,
    fetches: AtomicU64,
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSource")
            .field("token_url", &self.token_url)
            .field("credentials", &self.credentials)
            .field("fetches", &self.fetch_count())
            .finish_non_exhaustive()
    }
}

/// Token lifetime assumed when the answer has no `expires_in` (Alto issues 3600 s tokens).
const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);
/// Shortest lifetime believed: a token that claims to live 0 s would otherwise be fetched
/// again for every call; one that really dies sooner is caught by the 401 refresh.
pub const MIN_LIFETIME: Duration = Duration::from_secs(1);
/// Longest lifetime believed: a day. Larger values (up to `u64::MAX` seconds) would overflow
/// the refresh deadline, and a token cached for ever would outlive a credential rotation.
pub const MAX_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// The lifetime to cache a token for, from its `expires_in` (seconds), kept within
/// [`MIN_LIFETIME`]..=[`MAX_LIFETIME`].
fn clamp_lifetime(expires_in: Option<u64>) -> Duration {
    expires_in
        .map(|secs| Duration::from_secs(secs).clamp(MIN_LIFETIME, MAX_LIFETIME))
        .unwrap_or(DEFAULT_LIFETIME)
}

impl TokenSource {
    /// A token source that refreshes `margin` before the token expires.
    pub fn new(
        http: reqwest::Client,
        token_url: impl Into<String>,
        credentials: Credentials,
        margin: Duration,
    ) -> Self {
        Self {
            http,
            token_url: token_url.into(),
            credentials,
            margin,
            retry: RetryPolicy::default(),
            cache: RwLock::new(None),
            refresh: Mutex::new(()),
            fetches: AtomicU64::new(0),
        }
    }

    /// Retries a token request that failed in passing (unreachable, 429 or 5xx) as `retry`
    /// says. Asking for a token twice has no effect beyond a second token, so this is safe.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The token URL this source posts to.
    pub fn token_url(&self) -> &str {
        &self.token_url
    }

    /// How many token requests this source has made (for tests and metrics).
    pub fn fetch_count(&self) -> u64 {
        self.fetches.load(Ordering::Relaxed)
    }

    /// A valid token: the cached one, or a fresh one fetched by exactly one caller.
    pub async fn token(&self) -> Result<AccessToken, TokenError> {
        if let Some(token) = self.fresh_cached() {
            return Ok(token);
        }
        // Boxed: the refresh's state (a token request with retries) is large, and every
        // caller's future would otherwise carry it, copied on each move, even on the fast path.
        Box::pin(self.fetch_single_flight()).await
    }

    /// The slow path of [`TokenSource::token`]: one caller fetches, the others wait for it.
    async fn fetch_single_flight(&self) -> Result<AccessToken, TokenError> {
        let _flight = self.refresh.lock().await;
        if let Some(token) = self.fresh_cached() {
            return Ok(token);
        }
        let (token, lifetime) = self.fetch().await?;
        let refresh_at = Instant::now() + lifetime.saturating_sub(self.margin.min(lifetime / 2));
        *self.cache.write().unwrap_or_else(|e| e.into_inner()) = Some(Cached {
            token: token.clone(),
            refresh_at,
        });
        Ok(token)
    }

    /// Forgets `rejected` (after the API answered 401 to it) so the next call fetches a new
    /// token; a newer token cached meanwhile by another caller is kept.
    pub async fn invalidate(&self, rejected: &AccessToken) {
        let mut cache = self.cache.write().unwrap_or_else(|e| e.into_inner());
        if cache.as_ref().is_some_and(|c| c.token.same_as(rejected)) {
            *cache = None;
        }
    }

    /// The cached token while it is fresh. A plain lock: it is held for a clone, never across
    /// an await, so the hot path of every call needs no async lock.
    fn fresh_cached(&self) -> Option<AccessToken> {
        let cache = self.cache.read().unwrap_or_else(|e| e.into_inner());
        cache
            .as_ref()
            .filter(|c| Instant::now() < c.refresh_at)
            .map(|c| c.token.clone())
    }

    async fn fetch(&self) -> Result<(AccessToken, Duration), TokenError> {
        (|| self.fetch_once())
            .retry(self.retry.backoff())
            .sleep(tokio::time::sleep)
            .when(|e| match e {
                TokenError::Unreachable { .. } => true,
                TokenError::Unavailable { status, .. } => *status == 429 || *status >= 500,
                _ => false,
            })
            .notify(|e, delay| {
                tracing::debug!(error = %e, delay_ms = delay.as_millis() as u64, "retrying the token request");
            })
            .await
    }

    async fn fetch_once(&self) -> Result<(AccessToken, Duration), TokenError> {
        let fetched = self.request_token().await;
        crate::raw::metrics::token_fetched(fetched.is_ok());
        fetched
    }

    async fn request_token(&self) -> Result<(AccessToken, Duration), TokenError> {
        self.fetches.fetch_add(1, Ordering::Relaxed);
        let url = self.token_url.clone();
        tracing::debug!(token_url = %url, client_id = %self.credentials.client_id(), "requesting Alto access token");
        let response = self
            .http
            .post(&url)
            .basic_auth(
                self.credentials.client_id(),
                Some(self.credentials.client_secret()),
            )
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .map_err(|source| TokenError::Unreachable {
                url: url.clone(),
                source,
            })?;
        let status = response.status().as_u16();
        if response.status().is_redirection() {
            return Err(TokenError::Redirected {
                url,
                status,
                location: response
                    .headers()
                    .get(reqwest::header::LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .map(String::from),
            });
        }
        let body = response
            .bytes()
            .await
            .map_err(|source| TokenError::Unreachable {
                url: url.clone(),
                source,
            })?;
        match status {
            200..=299 => {}
            400 | 401 | 403 => {
                let oauth_error = serde_json::from_slice::<OAuthError>(&body)
                    .ok()
                    .and_then(|e| e.error);
                if status == 400
                    && oauth_error
                        .as_deref()
                        .is_some_and(|e| e != "invalid_client" && e != "unauthorized_client")
                {
                    return Err(TokenError::Malformed {
                        url,
                        status,
                        detail: format!("OAuth2 error {}", oauth_error.unwrap_or_default()),
                    });
                }
                return Err(TokenError::BadCredentials {
                    client_id: self.credentials.client_id().to_string(),
                    status,
                    oauth_error,
                });
            }
            _ => return Err(TokenError::Unavailable { url, status }),
        }
        let answer: TokenAnswer =
            serde_json::from_slice(&body).map_err(|e| TokenError::Malformed {
                url: url.clone(),
                status,
                detail: format!("not a token answer: {e}"),
            })?;
        if answer.access_token.trim().is_empty() {
            return Err(TokenError::Malformed {
                url,
                status,
                detail: "empty access_token".into(),
            });
        }
        if let Some(kind) = answer
            .token_type
            .as_deref()
            .filter(|t| !t.eq_ignore_ascii_case("bearer"))
        {
            return Err(TokenError::Malformed {
                url,
                status,
                detail: format!("token_type {kind:?}, expected Bearer"),
            });
        }
        let lifetime = clamp_lifetime(answer.expires_in);
        tracing::debug!(
            lifetime_secs = lifetime.as_secs(),
            "received Alto access token"
        );
        Ok((AccessToken::new(answer.access_token), lifetime))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires_in_is_kept_within_a_sane_range() {
        assert_eq!(clamp_lifetime(None), DEFAULT_LIFETIME);
        assert_eq!(clamp_lifetime(Some(0)), MIN_LIFETIME);
        assert_eq!(clamp_lifetime(Some(600)), Duration::from_secs(600));
        assert_eq!(clamp_lifetime(Some(u64::MAX)), MAX_LIFETIME);
    }
}
