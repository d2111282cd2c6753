//! Alto environments: sandbox and production hosts, or custom URLs for tests and proxies.

use std::fmt;
use std::str::FromStr;

/// Base URL of Alto's sandbox API (also serves the sandbox token endpoint at `/token`).
pub const SANDBOX_API_URL: &str = "https://api.alto.zoopladev.co.uk";
/// Base URL of Alto's production API (also serves the production token endpoint at `/token`).
pub const PRODUCTION_API_URL: &str = "https://api.alto.zoopla.co.uk";

/// Which Alto environment a call goes to.
///
/// The environment decides the hosts and the `AgencyRef` rule: production calls must carry the
/// agency's `AgencyRef`; sandbox calls never do (the sandbox tenant is already linked to the
/// integration).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Environment {
    /// `api.alto.zoopladev.co.uk`: no `AgencyRef` is issued or sent.
    Sandbox,
    /// `api.alto.zoopla.co.uk`: every call names the agency with its `AgencyRef`.
    Production,
}

impl Environment {
    /// Default API base URL of this environment.
    pub fn api_url(self) -> &'static str {
        match self {
            Environment::Sandbox => SANDBOX_API_URL,
            Environment::Production => PRODUCTION_API_URL,
        }
    }

    /// Default OAuth2 token URL of this environment (`POST {host}/token`).
    pub fn token_url(self) -> String {
        format!("{}/token", self.api_url())
    }

    /// Whether calls in this environment must carry an `AgencyRef` header.
    pub fn requires_agency_ref(self) -> bool {
        matches!(self, Environment::Production)
    }

    /// Lower-case name, as used in `ALTO_ENV` and configuration files.
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Sandbox => "sandbox",
            Environment::Production => "production",
        }
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error for an environment name that is neither `sandbox` nor `production`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown Alto environment {0:?}: use \"sandbox\" or \"production\"")]
pub struct UnknownEnvironment(pub String);

impl FromStr for Environment {
    type Err = UnknownEnvironment;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "sandbox" | "sand" | "dev" => Ok(Environment::Sandbox),
            "production" | "prod" | "live" => Ok(Environment::Production),
            _ => Err(UnknownEnvironment(s.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_and_rejects_others() {
        assert_eq!(
            "Production".parse::<Environment>(),
            Ok(Environment::Production)
        );
        assert_eq!(" sandbox ".parse::<Environment>(), Ok(Environment::Sandbox));
        assert!("staging".parse::<Environment>().is_err());
    }

    #[test]
    fn only_production_requires_agency_ref() {
        assert!(Environment::Production.requires_agency_ref());
        assert!(!Environment::Sandbox.requires_agency_ref());
        assert_eq!(
            Environment::Sandbox.token_url(),
            "https://api.alto.zoopladev.co.uk/token"
        );
    }
}
