//! The clients' constructor arguments, with the environment variables the Rust client reads
//! (`ALTO_CLIENT_ID`, `ALTO_CLIENT_SECRET`, `ALTO_ENV`, `ALTO_API_URL`, `ALTO_TOKEN_URL`) and
//! `ALTO_AGENCY_REF` filling what is not given, turned into one facade agency client.

use std::time::Duration;

use alto::raw::retry::RetryPolicy;
use alto::{AgencyClient, AgencyRef, AltoClient, ConfigError, Credentials, Endpoints, Environment};

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
        let environment = match (self.sandbox, var("ALTO_ENV")) {
            (Some(true), _) | (None, None) => Environment::Sandbox,
            (Some(false), _) => Environment::Production,
            (None, Some(name)) => name
                .parse::<Environment>()
                .map_err(|e| ConfigError::Invalid(e.to_string()))?,
        };
        let (Some(id), Some(secret)) = (
            self.client_id.or_else(|| var("ALTO_CLIENT_ID")),
            self.client_secret.or_else(|| var("ALTO_CLIENT_SECRET")),
        ) else {
            return Err(ConfigError::MissingCredentials { environment }.into());
        };
        let api_url = self.api_url.or_else(|| var("ALTO_API_URL"));
        let token_url = self.token_url.or_else(|| var("ALTO_TOKEN_URL"));
        let endpoints = match (api_url, token_url) {
            (None, None) => Endpoints::of(environment),
            (api, token) => {
                let api = api.unwrap_or_else(|| Endpoints::of(environment).api_url);
                let token = token.unwrap_or_else(|| format!("{}/token", api.trim_end_matches('/')));
                Endpoints::custom(api, token)?
            }
        };
        let mut builder =
            AltoClient::builder().environment(environment, endpoints, Credentials::new(id, secret));
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
        Ok(client.agency(environment, agency_ref, "the Python client's agency")?)
    }
}
