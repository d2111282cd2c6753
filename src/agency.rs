//! Agencies as the facade sees them: an internal id, the environment, and the `AgencyRef`.
//!
//! The admin store ("Alto Settings") implements [`AgencyDirectory`]; the facade resolves an
//! agency through it and applies the production rule before any network call.

use std::fmt;

use futures::future::BoxFuture;

use crate::environment::Environment;

/// The value Alto issues per agency for production calls, sent in the `AgencyRef` header.
///
/// Kept exactly as received, with surrounding whitespace trimmed. Not a secret, but never
/// guessed: a wrong value answers 403.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct AgencyRef(String);

/// Why a string cannot be an `AgencyRef`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidAgencyRef {
    /// Nothing left after trimming.
    #[error("the AgencyRef is empty")]
    Empty,
    /// Longer than any identifier Alto issues.
    #[error("the AgencyRef is {0} characters long; Alto issues short identifiers (at most 128)")]
    TooLong(usize),
    /// Contains characters that cannot travel in an HTTP header value or are clearly pasted by mistake.
    #[error("the AgencyRef contains {0:?}, which cannot be part of an AgencyRef (letters, digits, '-', '_', '.' and ':' only)")]
    BadCharacter(char),
}

impl AgencyRef {
    /// Maximum accepted length.
    pub const MAX_LEN: usize = 128;

    /// Validates and trims a raw value (as pasted from an activation email or a webhook).
    ///
    /// ```
    /// use alto::AgencyRef;
    /// assert_eq!(AgencyRef::parse("  AG-123 ").unwrap().as_str(), "AG-123");
    /// assert!(AgencyRef::parse("two words").is_err());
    /// ```
    pub fn parse(raw: &str) -> Result<Self, InvalidAgencyRef> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(InvalidAgencyRef::Empty);
        }
        let len = value.chars().count();
        if len > Self::MAX_LEN {
            return Err(InvalidAgencyRef::TooLong(len));
        }
        if let Some(bad) = value
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':')))
        {
            return Err(InvalidAgencyRef::BadCharacter(bad));
        }
        Ok(Self(value.to_string()))
    }

    /// The value as sent on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AgencyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AgencyRef({:?})", self.0)
    }
}

impl fmt::Display for AgencyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for AgencyRef {
    type Err = InvalidAgencyRef;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// One agency's Alto settings, as stored by the admin app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencyRecord {
    /// The application's own id for the agency.
    pub internal_id: String,
    /// Name shown to staff.
    pub display_name: String,
    /// Where this agency's calls go: `Production` when "use Alto in production" is on.
    pub environment: Environment,
    /// The production `AgencyRef`, if one has been entered or captured.
    pub agency_ref: Option<AgencyRef>,
}

/// Error type of a directory lookup (database errors and the like).
pub type DirectoryError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Somewhere agencies' Alto settings can be looked up by internal id (the admin store).
pub trait AgencyDirectory: Send + Sync {
    /// Finds an agency by its internal id; `Ok(None)` when there is no such agency.
    fn find_agency<'a>(
        &'a self,
        internal_id: &'a str,
    ) -> BoxFuture<'a, Result<Option<AgencyRecord>, DirectoryError>>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agency_ref_is_trimmed_and_checked() {
        assert_eq!(AgencyRef::parse("\tabc-1\n").unwrap().as_str(), "abc-1");
        assert_eq!(AgencyRef::parse("   "), Err(InvalidAgencyRef::Empty));
        assert_eq!(
            AgencyRef::parse("a<b"),
            Err(InvalidAgencyRef::BadCharacter('<'))
        );
        assert!(matches!(
            AgencyRef::parse(&"x".repeat(200)),
            Err(InvalidAgencyRef::TooLong(200))
        ));
    }
}
