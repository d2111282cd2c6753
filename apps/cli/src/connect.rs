//! Building the client from flags and environment variables.

use alto::{AgencyClient, AgencyRef, AltoClient, Credentials, Endpoints, Environment};

use crate::args::Connection;
use crate::output::Failure;

/// Client id and secret from `ALTO_CLIENT_ID` / `ALTO_CLIENT_SECRET`, if both are set.
pub fn credentials_from_env() -> Option<Credentials> {
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    Some(Credentials::new(
        var("ALTO_CLIENT_ID")?,
        var("ALTO_CLIENT_SECRET")?,
    ))
}

/// The environment named by `--env`.
pub fn environment(connection: &Connection) -> Result<Environment, Failure> {
    connection
        .environment
        .parse()
        .map_err(|e: alto::environment::UnknownEnvironment| {
            Failure::new(e.to_string(), Some("use --env sandbox or --env production"))
        })
}

/// The agency client for the flags, with `credentials` (or those from the environment).
pub fn agency(
    connection: &Connection,
    credentials: Option<Credentials>,
) -> Result<AgencyClient, Failure> {
    let environment = environment(connection)?;
    let credentials = credentials
        .or_else(credentials_from_env)
        .ok_or(alto::ConfigError::MissingCredentials { environment })?;
    let defaults = Endpoints::of(environment);
    let api_url = connection.api_url.clone().unwrap_or(defaults.api_url);
    let token_url = connection
        .token_url
        .clone()
        .unwrap_or_else(|| format!("{}/token", api_url.trim_end_matches('/')));
    let client = AltoClient::builder()
        .environment(
            environment,
            Endpoints::custom(api_url, token_url)?,
            credentials,
        )
        .build()?;
    let agency_ref = match connection.agency_ref.as_deref() {
        Some(raw) => Some(AgencyRef::parse(raw).map_err(|e| {
            Failure::new(
                format!("--agency-ref: {e}"),
                Some("paste the AgencyRef exactly as in the activation email"),
            )
        })?),
        None => None,
    };
    let label = agency_ref
        .as_ref()
        .map(|r| format!("AgencyRef {r}"))
        .unwrap_or_else(|| environment.to_string());
    Ok(client.agency(environment, agency_ref, &label)?)
}
