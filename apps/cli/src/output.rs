//! Output: results as text or JSON; failures as one sentence plus a hint (or, with `--json`,
//! one JSON object on stderr), with an exit code per kind of failure.

use alto::{AltoError, ConfigError, TokenError};
use serde::Serialize;

/// What kind of failure a command met; each has its exit code ([`EXIT_CODES`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Anything not named below.
    Failed,
    /// The command line or the configuration is wrong.
    Usage,
    /// Alto refused the credentials, the token or the AgencyRef.
    Auth,
    /// The record does not exist for this agency.
    NotFound,
    /// Alto refused the input, or the record already exists.
    Invalid,
    /// Alto or the network is unavailable for now: try again later.
    Unavailable,
    /// Alto's answer did not match the vendored spec.
    Contract,
}

/// Every exit code: `(code, kind, meaning)`. The README's table says the same (a test checks).
pub const EXIT_CODES: [(u8, Option<Kind>, &str); 8] = [
    (0, None, "success"),
    (
        1,
        Some(Kind::Failed),
        "the command failed for another reason",
    ),
    (2, Some(Kind::Usage), "wrong command line or configuration"),
    (
        3,
        Some(Kind::Auth),
        "credentials, token or AgencyRef refused",
    ),
    (4, Some(Kind::NotFound), "no such record for this agency"),
    (
        5,
        Some(Kind::Invalid),
        "Alto refused the input, or the record exists",
    ),
    (
        6,
        Some(Kind::Unavailable),
        "Alto or the network unavailable: try again later",
    ),
    (
        7,
        Some(Kind::Contract),
        "Alto's answer did not match the vendored spec",
    ),
];

impl Kind {
    /// The exit code of this kind.
    pub fn exit_code(self) -> u8 {
        EXIT_CODES
            .iter()
            .find(|(_, kind, _)| *kind == Some(self))
            .map(|(code, _, _)| *code)
            .expect("every kind has an exit code")
    }
}

/// A failed command: what went wrong, and what to try.
#[derive(Debug, Serialize)]
pub struct Failure {
    #[serde(rename = "error")]
    message: String,
    hint: Option<String>,
    kind: Kind,
}

impl Failure {
    /// A failure with a message and an optional hint.
    pub fn new(message: impl Into<String>, hint: Option<&str>) -> Self {
        Self {
            message: message.into(),
            hint: hint.map(String::from),
            kind: Kind::Failed,
        }
    }

    /// A failure of the command line itself.
    pub fn usage(message: impl Into<String>, hint: Option<&str>) -> Self {
        Self {
            kind: Kind::Usage,
            ..Self::new(message, hint)
        }
    }

    /// Prints it to stderr (as one JSON object with `json`) and gives the exit code.
    pub fn report(self, json: bool) -> std::process::ExitCode {
        if json {
            let text = serde_json::to_string(&self).expect("a failure serializes");
            eprintln!("{text}");
        } else {
            eprintln!("error: {}", self.message);
            if let Some(hint) = &self.hint {
                eprintln!("hint: {hint}");
            }
        }
        std::process::ExitCode::from(self.kind.exit_code())
    }
}

impl From<AltoError> for Failure {
    fn from(e: AltoError) -> Self {
        let (kind, hint) = match &e {
            AltoError::Config(ConfigError::MissingAgencyRef { .. }) => (Kind::Usage, "pass --agency-ref (or ALTO_AGENCY_REF), or use --env sandbox"),
            AltoError::Config(ConfigError::MissingCredentials { .. }) => (
                Kind::Usage,
                "export ALTO_CLIENT_ID and ALTO_CLIENT_SECRET, or run `alto demo` to use the embedded simulator",
            ),
            AltoError::Config(_) => (Kind::Usage, "check the command's options (`alto --help`)"),
            AltoError::Token(TokenError::BadCredentials { .. }) | AltoError::Unauthorized { .. } => {
                (Kind::Auth, "check ALTO_CLIENT_ID and ALTO_CLIENT_SECRET, and that they belong to --env")
            }
            AltoError::Token(_) | AltoError::Transport { .. } | AltoError::Timeout { .. } => {
                (Kind::Unavailable, "check the network, --api-url and --token-url")
            }
            AltoError::Redirected { .. } => (Kind::Usage, "check --api-url: it should name Alto's API host itself"),
            AltoError::Forbidden { .. } => (Kind::Auth, "check --agency-ref and the scopes granted to the integration"),
            AltoError::Validation { .. } | AltoError::InvalidRequest { .. } => (Kind::Invalid, "fix the input named above and run again"),
            AltoError::Duplicate { .. } => (Kind::Invalid, "use the existing record's id"),
            AltoError::NotFound { .. } => (Kind::NotFound, "check the id, and that it belongs to this agency"),
            AltoError::Server { .. } | AltoError::RateLimited { .. } => (Kind::Unavailable, "try again later"),
            AltoError::UnexpectedStatus { .. } => (Kind::Failed, "try again later"),
            AltoError::Decode { .. } => (Kind::Contract, "Alto's answer did not match the vendored spec: run `scripts/update-spec` with Zoopla's latest document"),
            _ => (Kind::Failed, "see the message above"),
        };
        Self {
            message: e.to_string(),
            hint: Some(hint.to_string()),
            kind,
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

#[cfg(test)]
mod tests {
    use super::{Kind, EXIT_CODES};

    /// The README's table of exit codes is the table the command uses.
    #[test]
    fn readme_lists_every_exit_code() {
        let readme = include_str!("../../../README.md");
        let rows: Vec<(u8, String)> = readme
            .lines()
            .skip_while(|l| !l.starts_with("| code | kind | meaning |"))
            .skip(2)
            .take_while(|l| l.starts_with('|'))
            .map(|l| {
                let cells: Vec<&str> = l.split('|').map(str::trim).collect();
                (
                    cells[1].parse().unwrap(),
                    cells[2].trim_matches('`').to_string(),
                )
            })
            .collect();
        let expected: Vec<(u8, String)> = EXIT_CODES
            .iter()
            .map(|(code, kind, _)| {
                let name = kind
                    .map(|k| {
                        serde_json::to_value(k)
                            .unwrap()
                            .as_str()
                            .unwrap()
                            .to_string()
                    })
                    .unwrap_or_default();
                (*code, name)
            })
            .collect();
        assert_eq!(rows, expected);
    }

    /// Every kind has its own code.
    #[test]
    fn kinds_have_distinct_codes() {
        let kinds = [
            Kind::Failed,
            Kind::Usage,
            Kind::Auth,
            Kind::NotFound,
            Kind::Invalid,
            Kind::Unavailable,
            Kind::Contract,
        ];
        let mut codes: Vec<u8> = kinds.iter().map(|k| k.exit_code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), kinds.len());
    }
}
