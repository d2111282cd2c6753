//! Agencies as the facade sees them: an internal id, the environment, and the `AgencyRef`.
//!
//! The admin store ("Alto Settings") implements [`AgencyDirectory`]; the facade resolves an
//! agency through it and applies the production rule before any network call.

use std::fmt;

use futures::future::BoxFuture;

use crate::environment::Environment;

/// The value Alto issues per agency for production calls, sent in the `AgencyRef` header.
///
/// Zoopla's API reference describes it as a GUID. [`AgencyRef::parse`] accepts one as it is
/// usually pasted (surrounding whitespace, `{braces}`, any case) and keeps it in one canonical
/// form, lower-case `8-4-4-4-12`, so the same agency is never stored twice in two spellings.
/// Not a secret, but never guessed: a wrong value answers 403.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AgencyRef(String);

/// What an AgencyRef looks like, for error messages (an example, not a real agency's).
pub const AGENCY_REF_SHAPE: &str = "a GUID such as 0f8fad5b-d9cb-469f-a165-70867728950e (32 hexadecimal digits in groups of 8-4-4-4-12, as in Alto's activation email)";

/// Why a string cannot be an `AgencyRef`. The message never repeats the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidAgencyRef {
    /// Nothing left after trimming.
    #[error("the AgencyRef is empty; an AgencyRef is {AGENCY_REF_SHAPE}")]
    Empty,
    /// Not a GUID.
    #[error("the AgencyRef is not a GUID; an AgencyRef is {AGENCY_REF_SHAPE}")]
    NotAGuid,
}

impl AgencyRef {
    /// Validates a raw value (as pasted from an activation email or taken from a webhook):
    /// surrounding whitespace and one pair of braces are dropped, case is ignored, and the
    /// GUID is kept in canonical lower-case `8-4-4-4-12` form.
    ///
    /// ```
    /// use alto::AgencyRef;
    /// let pasted = AgencyRef::parse(" {0F8FAD5B-D9CB-469F-A165-70867728950E}\n").unwrap();
    /// assert_eq!(pasted.as_str(), "0f8fad5b-d9cb-469f-a165-70867728950e");
    /// assert!(AgencyRef::parse("AG-123").is_err());
    /// ```
    pub fn parse(raw: &str) -> Result<Self, InvalidAgencyRef> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(InvalidAgencyRef::Empty);
        }
        let bare = value
            .strip_prefix('{')
            .and_then(|v| v.strip_suffix('}'))
            .unwrap_or(value);
        // Only the hyphenated form: uuid also reads 32 bare digits and `urn:uuid:`, which
        // nobody copies from an activation email and which would only hide a paste mistake.
        let hyphens_where_a_guid_has_them = bare.len() == 36
            && bare
                .char_indices()
                .all(|(i, c)| matches!(i, 8 | 13 | 18 | 23) == (c == '-'));
        if !hyphens_where_a_guid_has_them {
            return Err(InvalidAgencyRef::NotAGuid);
        }
        let guid = uuid::Uuid::try_parse(bare).map_err(|_| InvalidAgencyRef::NotAGuid)?;
        Ok(Self(guid.hyphenated().to_string()))
    }

    /// The value as sent on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for AgencyRef {
    type Error = InvalidAgencyRef;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<AgencyRef> for String {
    fn from(agency_ref: AgencyRef) -> Self {
        agency_ref.0
    }
}

/// A stored `AgencyRef` that no longer passes [`AgencyRef::parse`] (written before the rule,
/// or around the admin form). A directory returns it as its error so that
/// [`crate::AltoClient::resolve_agency`] can refuse production calls with
/// [`crate::ConfigError::InvalidAgencyRef`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("agency {agency:?} has a stored AgencyRef that is not valid ({reason}); correct it in Alto Settings")]
pub struct StoredAgencyRefInvalid {
    /// The agency's internal id.
    pub agency: String,
    /// Why the value is refused.
    pub reason: InvalidAgencyRef,
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

    const CANONICAL: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

    #[test]
    fn a_guid_is_accepted_in_the_forms_people_paste_and_kept_canonical() {
        for pasted in [
            CANONICAL,
            "0F8FAD5B-D9CB-469F-A165-70867728950E",
            "  0f8fad5b-D9CB-469f-a165-70867728950e\t\n",
            "{0f8fad5b-d9cb-469f-a165-70867728950e}",
            " {0F8FAD5B-D9CB-469F-A165-70867728950E} ",
        ] {
            assert_eq!(
                AgencyRef::parse(pasted).unwrap().as_str(),
                CANONICAL,
                "{pasted:?}"
            );
        }
    }

    #[test]
    fn anything_else_is_refused_with_what_an_agency_ref_looks_like() {
        assert_eq!(AgencyRef::parse("   "), Err(InvalidAgencyRef::Empty));
        for wrong in [
            "AG-123",
            "abc-1",
            "0f8fad5bd9cb469fa16570867728950e",
            "urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e",
            "0f8fad5b-d9cb-469f-a165-70867728950",
            "0f8fad5b-d9cb-469f-a165-70867728950e0",
            "0f8fad5b-d9cb-469f-a165-70867728950g",
            "0f8fad5b-d9cb4-69f-a165-70867728950e",
            "{0f8fad5b-d9cb-469f-a165-70867728950e",
            "{{0f8fad5b-d9cb-469f-a165-70867728950e}}",
            "0f8fad5b-d9cb-469f-a165-70867728950e 1",
            "é8fad5b-d9cb-469f-a165-70867728950",
        ] {
            assert_eq!(
                AgencyRef::parse(wrong),
                Err(InvalidAgencyRef::NotAGuid),
                "{wrong:?}"
            );
        }
        let message = InvalidAgencyRef::NotAGuid.to_string();
        assert!(
            message.contains("GUID") && message.contains("8-4-4-4-12"),
            "{message}"
        );
    }

    #[test]
    fn deserializing_applies_the_rule() {
        let parsed: AgencyRef =
            serde_json::from_str("\"{0F8FAD5B-D9CB-469F-A165-70867728950E}\"").unwrap();
        assert_eq!(parsed.as_str(), CANONICAL);
        assert!(serde_json::from_str::<AgencyRef>("\"AG-1\"").is_err());
        assert_eq!(
            serde_json::to_string(&parsed).unwrap(),
            format!("\"{CANONICAL}\"")
        );
    }
}
