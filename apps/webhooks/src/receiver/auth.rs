//! How Alto proves a POST is its own: the `x-signature` shared secret, or HTTP Basic.
//! Secrets are compared in constant time and never logged (`Debug` redacts them).

use axum::http::header::AUTHORIZATION;
use axum::http::HeaderMap;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use subtle::ConstantTimeEq;

/// Name of the shared-secret header.
pub const SIGNATURE_HEADER: &str = "x-signature";

/// The authentication configured for the receiver.
#[derive(Clone, PartialEq, Eq)]
pub enum WebhookAuth {
    /// `x-signature: <secret>` must equal this secret.
    SharedSecret(String),
    /// `Authorization: Basic …` must carry this user and password.
    Basic {
        /// User name.
        username: String,
        /// Password.
        password: String,
    },
}

impl std::fmt::Debug for WebhookAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WebhookAuth::SharedSecret(_) => f.write_str("SharedSecret([redacted])"),
            WebhookAuth::Basic { username, .. } => f
                .debug_struct("Basic")
                .field("username", username)
                .field("password", &"[redacted]")
                .finish(),
        }
    }
}

impl WebhookAuth {
    /// Whether the request headers carry the configured credentials.
    pub fn verify(&self, headers: &HeaderMap) -> bool {
        match self {
            WebhookAuth::SharedSecret(secret) => headers
                .get(SIGNATURE_HEADER)
                .is_some_and(|given| ct_eq(given.as_bytes(), secret.as_bytes())),
            WebhookAuth::Basic { username, password } => {
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

/// Constant-time equality (the length is not secret).
fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let secret = WebhookAuth::SharedSecret("s3cret".into());
        assert!(secret.verify(&headers("x-signature", "s3cret")));
        assert!(!secret.verify(&headers("x-signature", "s3cre")));
        assert!(!secret.verify(&HeaderMap::new()));
        assert!(!format!("{secret:?}").contains("s3cret"));

        let basic = WebhookAuth::Basic {
            username: "alto".into(),
            password: "pw".into(),
        };
        let good = format!("Basic {}", STANDARD.encode("alto:pw"));
        assert!(basic.verify(&headers("authorization", &good)));
        let bad = format!("Basic {}", STANDARD.encode("alto:px"));
        assert!(!basic.verify(&headers("authorization", &bad)));
        assert!(!basic.verify(&headers("authorization", "Basic !!!")));
        assert!(!basic.verify(&headers("x-signature", "pw")));
    }
}
