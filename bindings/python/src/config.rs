//! The clients' constructor arguments, with the environment variables the Rust client reads
//! through `AltoClientBuilder::from_env_with` (`ALTO_CLIENT_ID`, `ALTO_CLIENT_SECRET`,
//! `ALTO_ENV`, `ALTO_API_URL`, `ALTO_TOKEN_URL`) and `ALTO_AGENCY_REF` filling what is not
//! given, turned into one facade agency client.

use std::time::Duration;

use alto::raw::retry::RetryPolicy;
use alto::{
    AgencyClient, AgencyRef, AltoClient, ConfigError, Credentials, EnvOverrides, Environment,
};

use crate::errors::Failure;

/// What a Python client was constructed with.
#[derive(Debug, Default)]
pub struct Settings {
    /// OAuth2 client id (else `ALTO_CLIENT_ID`).
    pub client_id: Option<String>,
    /// OAuth2 client secret (else `ALTO_CLIENT_SECRET`).
    pub client_secret: Option<String>,
    /// Sandbox (true) or production (false); else `ALTO_ENV`, else sandbox.
    pub sandbox: Option<bool>,
    /// The agency's AgencyRef, required in production (else `ALTO_AGENCY_REF`).
    pub agency_ref: Option<String>,
    /// API base URL (else `ALTO_API_URL`, else Zoopla's host for the environment).
    pub api_url: Option<String>,
    /// Token URL (else `ALTO_TOKEN_URL`, else `<api_url>/token` when the API URL is custom).
    pub token_url: Option<String>,
    /// Seconds allowed for one HTTP attempt.
    pub timeout: Option<f64>,
    /// Attempts in all for calls that are safe to retry (1 disables retries).
    pub max_attempts: Option<usize>,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl Settings {
    /// The agency client these settings describe; every mistake is a configuration error
    /// raised here, before anything is sent.
    pub fn connect(self) -> Result<AgencyClient, Failure> {
        let mut overrides = EnvOverrides::default();
        overrides.environment = self.sandbox.map(|sandbox| {
            if sandbox {
                Environment::Sandbox
            } else {
                Environment::Production
            }
        });
        overrides.api_url = self.api_url;
        overrides.token_url = self.token_url;
        // A half-given pair falls back to the variables for the other half.
        if self.client_id.is_some() || self.client_secret.is_some() {
            let (Some(id), Some(secret)) = (
                self.client_id.or_else(|| var("ALTO_CLIENT_ID")),
                self.client_secret.or_else(|| var("ALTO_CLIENT_SECRET")),
            ) else {
                let environment = overrides.environment.unwrap_or(Environment::Sandbox);
                return Err(ConfigError::MissingCredentials { environment }.into());
            };
            overrides.credentials = Some(Credentials::new(id, secret));
        }
        let mut builder = AltoClient::builder().from_env_with(overrides)?;
        if let Some(seconds) = self.timeout {
            if !(seconds.is_finite() && seconds > 0.0) {
                return Err(Failure::Value(format!(
                    "timeout must be a positive number of seconds, not {seconds}"
                )));
            }
            builder = builder.timeout(Duration::from_secs_f64(seconds));
        }
        if let Some(attempts) = self.max_attempts {
            if attempts == 0 {
                return Err(Failure::Value("max_attempts must be at least 1".into()));
            }
            builder = builder.retry(RetryPolicy {
                max_attempts: attempts,
                ..RetryPolicy::default()
            });
        }
        let agency_ref = self
            .agency_ref
            .or_else(|| var("ALTO_AGENCY_REF"))
            .map(|r| AgencyRef::parse(&r))
            .transpose()
            .map_err(|e| ConfigError::Invalid(format!("AgencyRef: {e}")))?;
        let client = builder.build()?;
        // The label names the agency in logs and errors; never the AgencyRef itself.
        let environment = client.default_environment();
        Ok(client.agency(environment, agency_ref, "the Python client's agency")?)
    }
}
