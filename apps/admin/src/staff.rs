//! Staff changes to the agency list: adding an agency and switching "Alto enabled", from the
//! pages or the CLI, each audited under the name of whoever made it.

use crate::model::{Agency, NewAgency};
use crate::settings::AltoSettings;
use crate::store::{StoreError, UpdateOutcome};

/// Longest internal id and display name accepted.
const MAX_ID_CHARS: usize = 64;
const MAX_NAME_CHARS: usize = 200;

/// A new agency as staff type it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencyDraft {
    /// The application's own id for the agency.
    pub id: String,
    /// The name staff see.
    pub display_name: String,
    /// Whether the agency uses Alto from the start.
    pub alto_enabled: bool,
}

/// Why a staff change was refused; each message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum StaffChangeError {
    /// The internal id is blank, too long, or has spaces or control characters.
    #[error("The internal id must be 1 to {MAX_ID_CHARS} characters without spaces (for example agency-0042).")]
    InvalidId,
    /// The display name is blank or too long.
    #[error("The name must be 1 to {MAX_NAME_CHARS} characters.")]
    InvalidName,
    /// Another agency has this id.
    #[error("An agency with internal id {0:?} already exists; open it from the list, or choose another id.")]
    DuplicateId(String),
    /// No agency with that id.
    #[error("There is no agency with id {0:?}.")]
    NotFound(String),
    /// Someone changed the agency since the page was opened; nothing was written.
    #[error("Someone else changed this agency since you opened it; reload and try again. Nothing was saved.")]
    Conflict,
    /// The store failed.
    #[error(transparent)]
    Store(StoreError),
}

impl StaffChangeError {
    /// Whether the person can fix this by changing what they typed.
    pub fn is_validation(&self) -> bool {
        matches!(
            self,
            Self::InvalidId | Self::InvalidName | Self::DuplicateId(_)
        )
    }
}

impl From<StoreError> for StaffChangeError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::DuplicateAgency(id) => Self::DuplicateId(id),
            other => Self::Store(other),
        }
    }
}

/// Checks a draft and trims its fields.
pub fn validate_draft(draft: &AgencyDraft) -> Result<NewAgency, StaffChangeError> {
    let id = draft.id.trim();
    let id_chars = id.chars().count();
    if id_chars == 0
        || id_chars > MAX_ID_CHARS
        || id.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(StaffChangeError::InvalidId);
    }
    let name = draft.display_name.trim();
    let name_chars = name.chars().count();
    if name_chars == 0 || name_chars > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(StaffChangeError::InvalidName);
    }
    Ok(NewAgency {
        id: id.to_string(),
        display_name: name.to_string(),
        alto_enabled: draft.alto_enabled,
        use_production: false,
        alto_agency_ref: None,
    })
}

impl AltoSettings {
    /// Adds an agency (sandbox, no AgencyRef yet) as `username`; audited.
    pub async fn add_agency(
        &self,
        draft: &AgencyDraft,
        username: &str,
    ) -> Result<Agency, StaffChangeError> {
        let agency = validate_draft(draft)?;
        Ok(self.store().add_agency(&agency, username).await?)
    }

    /// Switches "Alto enabled" as `username`, if the agency is still at `version` (`None`: the
    /// current one, for the CLI); audited.
    pub async fn set_alto_enabled(
        &self,
        id: &str,
        enabled: bool,
        version: Option<i64>,
        username: &str,
    ) -> Result<Agency, StaffChangeError> {
        let version = match version {
            Some(version) => version,
            None => {
                self.store()
                    .agency(id)
                    .await?
                    .ok_or_else(|| StaffChangeError::NotFound(id.to_string()))?
                    .version
            }
        };
        match self
            .store()
            .set_alto_enabled(id, version, enabled, username)
            .await?
        {
            UpdateOutcome::Saved(agency) | UpdateOutcome::Unchanged(agency) => Ok(agency),
            // The switch writes no AgencyRef, so a clash on one means another save got there first.
            UpdateOutcome::Conflict(_) | UpdateOutcome::AgencyRefTaken(_) => {
                Err(StaffChangeError::Conflict)
            }
            UpdateOutcome::NotFound => Err(StaffChangeError::NotFound(id.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(id: &str, name: &str) -> AgencyDraft {
        AgencyDraft {
            id: id.into(),
            display_name: name.into(),
            alto_enabled: true,
        }
    }

    #[test]
    fn drafts_are_checked_and_trimmed() {
        let ok = validate_draft(&draft(" agency-42 ", " Acme Lettings ")).unwrap();
        assert_eq!(
            (ok.id.as_str(), ok.display_name.as_str()),
            ("agency-42", "Acme Lettings")
        );
        assert!(ok.alto_enabled && !ok.use_production && ok.alto_agency_ref.is_none());
        for bad in ["", "   ", "has space", "tab\there"] {
            assert!(
                matches!(
                    validate_draft(&draft(bad, "Acme")),
                    Err(StaffChangeError::InvalidId)
                ),
                "{bad:?}"
            );
        }
        assert!(matches!(
            validate_draft(&draft("a", " ")),
            Err(StaffChangeError::InvalidName)
        ));
        let long = "x".repeat(201);
        assert!(matches!(
            validate_draft(&draft("a", &long)),
            Err(StaffChangeError::InvalidName)
        ));
    }
}
