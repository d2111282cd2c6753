//! The `AgencyRef` rule: trimmed, otherwise kept exactly as received, obviously wrong values refused.
//!
//! Mirrors `alto::AgencyRef::parse` so both sides agree on what a valid value is; once this crate
//! depends on `alto`, this module becomes a re-export.

use std::fmt;

/// An `AgencyRef` as Alto issues it in the activation email, surrounding whitespace trimmed.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct AgencyRef(String);

/// Why a pasted value cannot be an `AgencyRef`; the message says what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidAgencyRef {
    /// Nothing left after trimming.
    #[error("the AgencyRef is empty")]
    Empty,
    /// Longer than any identifier Alto issues.
    #[error("the AgencyRef is {0} characters long; Alto issues short identifiers (at most 128)")]
    TooLong(usize),
    /// Contains a character that cannot be part of an `AgencyRef` (whitespace inside, `<`, `'`, ...).
    #[error("the AgencyRef contains {0:?}, which cannot be part of an AgencyRef (letters, digits, '-', '_', '.' and ':' only)")]
    BadCharacter(char),
}

impl AgencyRef {
    /// Longest accepted value, in characters.
    pub const MAX_LEN: usize = 128;

    /// Trims `raw` and checks it: non-empty, at most [`Self::MAX_LEN`] characters, and only
    /// ASCII letters, digits, `-`, `_`, `.` and `:`.
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

    /// The value as stored and sent to Alto.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Gives up the inner string.
    pub fn into_string(self) -> String {
        self.0
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_keeps_case_and_punctuation() {
        assert_eq!(
            AgencyRef::parse("  Ab-1_2.3:x \n").unwrap().as_str(),
            "Ab-1_2.3:x"
        );
    }

    #[test]
    fn rejects_obviously_wrong_values() {
        assert_eq!(AgencyRef::parse(" \t "), Err(InvalidAgencyRef::Empty));
        assert_eq!(
            AgencyRef::parse("AG 123"),
            Err(InvalidAgencyRef::BadCharacter(' '))
        );
        assert_eq!(
            AgencyRef::parse("a'b"),
            Err(InvalidAgencyRef::BadCharacter('\''))
        );
        assert_eq!(
            AgencyRef::parse("é1"),
            Err(InvalidAgencyRef::BadCharacter('é'))
        );
        assert_eq!(
            AgencyRef::parse(&"x".repeat(129)),
            Err(InvalidAgencyRef::TooLong(129))
        );
        assert!(AgencyRef::parse(&"x".repeat(128)).is_ok());
    }
}
