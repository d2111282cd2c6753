//! Output: results as text or JSON, failures as one sentence plus a hint.

use alto::{AltoError, ConfigError, TokenError};

/// A failed command: what went wrong, and what to try.
#[derive(Debug)]
pub struct Failure {
    message: String,
    hint: Option<String>,
    code: u8,
}

impl Failure {
    /// A failure with a message and an optional hint.
    pub fn new(message: impl Into<String>, hint: Option<&str>) -> Self {
        Self {
            message: message.into(),
            hint: hint.map(String::from),
            code: 1,
        }
    }

    /// A failure of the command line itself (exit code 2, like a configuration error).
    pub fn usage(message: impl Into<String>, hint: Option<&str>) -> Self {
        Self {
            code: 2,
            ..Self::new(message, hint)
        }
    }

    /// Prints it to stderr and gives the exit code.
    pub fn report(self) -> std::process::ExitCode {
        eprintln!("error: {}", self.message);
        if let Some(hint) = self.hint {
            eprintln!("hint: {hint}");
        }
        std::process::ExitCode::from(self.code)
    }
}

impl From<AltoError> for Failure {
    fn from(e: AltoError) -> Self {
        let hint = match &e {
            AltoError::Config(ConfigError::MissingAgencyRef { .. }) => Some("pass --agency-ref (or ALTO_AGENCY_REF), or use --env sandbox"),
            AltoError::Config(ConfigError::MissingCredentials { .. }) => {
                Some("export ALTO_CLIENT_ID and ALTO_CLIENT_SECRET, or run `alto demo` to use the embedded simulator")
            }
            AltoError::Config(_) => Some("check the command's options (`alto --help`)"),
            AltoError::Token(TokenError::BadCredentials { .. }) | AltoError::Unauthorized { .. } => {
                Some("check ALTO_CLIENT_ID and ALTO_CLIENT_SECRET, and that they belong to --env")
            }
            AltoError::Token(_) | AltoError::Transport { .. } | AltoError::Timeout { .. } => {
                Some("check the network, --api-url and --token-url")
            }
            AltoError::Redirected { .. } => Some("check --api-url: it should name Alto's API host itself"),
            AltoError::Forbidden { .. } => Some("check --agency-ref and the scopes granted to the integration"),
            AltoError::Validation { .. } | AltoError::InvalidRequest { .. } => Some("fix the input named above and run again"),
            AltoError::Duplicate { .. } => Some("use the existing record's id"),
            AltoError::NotFound { .. } => Some("check the id, and that it belongs to this agency"),
            AltoError::Server { .. } | AltoError::RateLimited { .. } | AltoError::UnexpectedStatus { .. } => Some("try again later"),
            AltoError::Decode { .. } => Some("Alto's answer did not match the vendored spec: run `scripts/update-spec` with Zoopla's latest document"),
        };
        let code = if matches!(e, AltoError::Config(_)) {
            2
        } else {
            1
        };
        Self {
            message: e.to_string(),
            hint: hint.map(String::from),
            code,
        }
    }
}

impl From<ConfigError> for Failure {
    fn from(e: ConfigError) -> Self {
        AltoError::from(e).into()
    }
}

/// Prints a value as pretty JSON on stdout.
pub fn print_json<T: serde::Serialize>(value: &T) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Failure::new(format!("could not write JSON: {e}"), None))?;
    println!("{text}");
    Ok(())
}
