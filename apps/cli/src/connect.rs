//! Building the client from the flags; whatever they leave unset comes from the environment,
//! read by the library (`AltoClientBuilder::from_env_with`).

use alto::{AgencyClient, AgencyRef, AltoClient, Credentials, EnvOverrides};

use crate::args::Connection;
use crate::output::Failure;

/// The flags as overrides of the environment variables.
pub fn overrides(connection: &Connection) -> EnvOverrides {
    let mut overrides = EnvOverrides::default();
    overrides.environment = connection.environment.map(Into::into);
    overrides.api_url = connection.api_url.clone();
    overrides.token_url = connection.token_url.clone();
    overrides
}

/// The client for the flags, with `credentials` (or those from the environment).
pub fn client(
    connection: &Connection,
    credentials: Option<Credentials>,
) -> Result<AltoClient, Failure> {
    let mut overrides = overrides(connection);
    overrides.credentials = credentials;
    Ok(AltoClient::builder().from_env_with(overrides)?.build()?)
}

/// The agency client for the flags, with `credentials` (or those from the environment).
pub fn agency(
    connection: &Connection,
    credentials: Option<Credentials>,
) -> Result<AgencyClient, Failure> {
    let client = client(connection, credentials)?;
    let environment = client.default_environment();
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
