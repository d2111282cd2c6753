//! How Alto proves a POST is its own: the `x-signature` shared secret, HTTP Basic, or an OAuth2
//! bearer token from this app's token endpoint ([`super::oauth`]).
//! Secrets are compared in constant time and never logged (`Debug` redacts them); a secret too
//! short to resist guessing is refused when the receiver is configured, not discovered later.

use axum::http::header::AUTHORIZATION;
use axum::http::HeaderMap;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use subtle::ConstantTimeEq;

/// Name of the shared-secret header.
pub const SIGNATURE_HEADER: &str = "x-signature";

/// The authentication configured for the receiver; build it with
/// [`WebhookAuth::shared_secret`] or [`WebhookAuth::basic`], which refuse weak secrets.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookAuth(Scheme);

#[derive(Clone, PartialEq, Eq)]
enum Scheme {
    SharedSecret(String),
    Basic { username: String, password: String },
    OAuth2 { token_lifetime: std::time::Duration },
}

/// Why a webhook credential was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WeakWebhookSecret {
    /// The secret (or Basic password) is empty.
    #[error("the webhook {what} is empty: set a random value of at least {min} characters (e.g. `openssl rand -hex 32`) and give the same value to Alto support", min = WebhookAuth::MIN_SECRET_LEN)]
    Empty {
        /// "shared secret" or "Basic password".
        what: &'static str,
    },
    /// The secret (or Basic password) is shorter than [`WebhookAuth::MIN_SECRET_LEN`].
    #[error("the webhook {what} has {len} characters, fewer than the {min} required: anyone could guess it; set a random value (e.g. `openssl rand -hex 32`) and give the same value to Alto support", min = WebhookAuth::MIN_SECRET_LEN)]
    TooShort {
        /// "shared secret" or "Basic password".
        what: &'static str,
        /// Its length in characters.
        len: usize,
    },
    /// The Basic user name is empty.
    #[error("the webhook Basic user name is empty: set the user name agreed with Alto support")]
    EmptyUsername,
}

impl std::fmt::Debug for WebhookAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Scheme::SharedSecret(_) => f.write_str("SharedSecret([redacted])"),
            Scheme::Basic { username, .. } => f
                .debug_struct("Basic")
                .field("username", username)
                .field("password", &"[redacted]")
                .finish(),
            Scheme::OAuth2 { token_lifetime } => f
                .debug_struct("OAuth2")
                .field("token_lifetime", token_lifetime)
                .finish(),
        }
    }
}

impl WebhookAuth {
    /// Fewest characters a shared secret or Basic password may have.
    pub const MIN_SECRET_LEN: usize = 16;

    /// `x-signature: <secret>` must equal `secret` (at least [`Self::MIN_SECRET_LEN`]
    /// characters).
    pub fn shared_secret(secret: impl Into<String>) -> Result<Self, WeakWebhookSecret> {
        let secret = secret.into();
        check_strength("shared secret", &secret)?;
        Ok(Self(Scheme::SharedSecret(secret)))
    }

    /// `Authorization: Basic …` must carry `username` and `password` (at least
    /// [`Self::MIN_SECRET_LEN`] characters).
    pub fn basic(
        username: impl Into<String>,
        password: impl Into<String>,
    ) -> Result<Self, WeakWebhookSecret> {
        let (username, password) = (username.into(), password.into());
        if username.trim().is_empty() {
            return Err(WeakWebhookSecret::EmptyUsername);
        }
        check_strength("Basic password", &password)?;
        Ok(Self(Scheme::Basic { username, password }))
    }

    /// Longest lifetime of a bearer token the token endpoint issues.
    pub const MAX_TOKEN_LIFETIME: std::time::Duration = std::time::Duration::from_secs(3600);

    /// `Authorization: Bearer …` with a token this app's token endpoint issued to a client of
    /// the event's integration ([`super::oauth::OAuthClients::issue`]); tokens live
    /// `token_lifetime` (at most [`Self::MAX_TOKEN_LIFETIME`]; longer is shortened to it).
    pub fn oauth2(token_lifetime: std::time::Duration) -> Self {
        Self(Scheme::OAuth2 {
            token_lifetime: token_lifetime.min(Self::MAX_TOKEN_LIFETIME),
        })
    }

    /// The token lifetime, for OAuth2.
    pub(crate) fn token_lifetime(&self) -> Option<std::time::Duration> {
        match &self.0 {
            Scheme::OAuth2 { token_lifetime } => Some(*token_lifetime),
            _ => None,
        }
    }

    /// Whether the request headers carry the configured credentials (always false for OAuth2,
    /// whose tokens the receiver looks up in the store).
    pub fn verify(&self, headers: &HeaderMap) -> bool {
        match &self.0 {
            Scheme::OAuth2 { .. } => false,
            Scheme::SharedSecret(secret) => headers
                .get(SIGNATURE_HEADER)
                .is_some_and(|given| ct_eq(given.as_bytes(), secret.as_bytes())),
            Scheme::Basic { username, password } => {
                let Some(encoded) = headers
                    .get(AUTHORIZATION)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| {
                        v.strip_prefix("Basic ")
                            .or_else(|| v.strip_prefix("basic "))
                    })
                else {
                    return false;
                };
                let Ok(decoded) = STANDARD.decode(encoded.trim()) else {
                    return false;
                };
                let expected = format!("{username}:{password}");
                ct_eq(&decoded, expected.as_bytes())
            }
        }
    }
}

fn check_strength(what: &'static str, secret: &str) -> Result<(), WeakWebhookSecret> {
    let len = secret.chars().count();
    if secret.trim().is_empty() {
        Err(WeakWebhookSecret::Empty { what })
    } else if len < WebhookAuth::MIN_SECRET_LEN {
        Err(WeakWebhookSecret::TooShort { what, len })
    } else {
        Ok(())
    }
}

/// Constant-time equality (the length is not secret).
fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "s3cret-s3cret-s3cret";

    fn headers(name: &str, value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            value.parse().unwrap(),
        );
        h
    }

    #[test]
    fn shared_secret_and_basic() {
        let secret = WebhookAuth::shared_secret(SECRET).unwrap();
        assert!(secret.verify(&headers("x-signature", SECRET)));
        assert!(!secret.verify(&headers("x-signature", &SECRET[1..])));
        assert!(!secret.verify(&HeaderMap::new()));
        assert!(!format!("{secret:?}").contains(SECRET));

        let basic = WebhookAuth::basic("alto", SECRET).unwrap();
        let good = format!("Basic {}", STANDARD.encode(format!("alto:{SECRET}")));
        assert!(basic.verify(&headers("authorization", &good)));
        let bad = format!("Basic {}", STANDARD.encode("alto:px"));
        assert!(!basic.verify(&headers("authorization", &bad)));
        assert!(!basic.verify(&headers("authorization", "Basic !!!")));
        assert!(!basic.verify(&headers("x-signature", SECRET)));
        assert!(!format!("{basic:?}").contains(SECRET));
    }

    #[test]
    fn empty_and_short_secrets_are_refused() {
        assert_eq!(
            WebhookAuth::shared_secret(""),
            Err(WeakWebhookSecret::Empty {
                what: "shared secret"
            })
        );
        assert_eq!(
            WebhookAuth::shared_secret("                "),
            Err(WeakWebhookSecret::Empty {
                what: "shared secret"
            })
        );
        let short = WebhookAuth::shared_secret("x".repeat(15)).unwrap_err();
        assert_eq!(
            short,
            WeakWebhookSecret::TooShort {
                what: "shared secret",
                len: 15
            }
        );
        assert!(short.to_string().contains("16"), "{short}");
        assert!(WebhookAuth::shared_secret("x".repeat(16)).is_ok());
        assert!(matches!(
            WebhookAuth::basic("alto", "pw"),
            Err(WeakWebhookSecret::TooShort {
                what: "Basic password",
                len: 2
            })
        ));
        assert_eq!(
            WebhookAuth::basic(" ", SECRET),
            Err(WeakWebhookSecret::EmptyUsername)
        );
    }
}
