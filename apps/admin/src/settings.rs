//! The Alto Settings service: what the edit form may save, and how.
//!
//! Web handlers and tests call this; it validates, applies the production rule and the
//! optimistic lock, and leaves SQL to the store.

use crate::agency_ref::{AgencyRef, InvalidAgencyRef};
use crate::model::{Agency, AuditEntry};
use crate::store::{
    ActivationLink, AgencyFilter, AgencyPage, LinkOutcome, PageCursor, PageRequest, SettingsChange,
    Store, StoreError, UpdateOutcome,
};

/// What the edit form submits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsUpdate {
    /// The `AgencyRef` field as typed or pasted (trimmed here); blank clears it.
    pub agency_ref: String,
    /// "Use Alto in production for this agency".
    pub use_production: bool,
    /// The agency's version when the form was opened.
    pub version: i64,
}

/// Why a save was refused. Every message tells the admin what to do next.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// Production is on and the `AgencyRef` is blank.
    #[error("An AgencyRef is required when \u{201c}Use Alto in production\u{201d} is on: paste it exactly as it appears in Alto's activation email, or turn production off.")]
    AgencyRefRequired,
    /// The `AgencyRef` is obviously wrong.
    #[error("That AgencyRef cannot be right: {0}. Paste it exactly as it appears in Alto's activation email.")]
    InvalidAgencyRef(#[source] InvalidAgencyRef),
    /// Someone else saved this agency since the form was opened; nothing was written.
    #[error("Someone else changed this agency since you opened it; reload to see their change, then make yours again. Nothing was saved.")]
    Conflict {
        /// The agency as it is now.
        current: Box<Agency>,
    },
    /// No agency with that id.
    #[error("There is no agency with id {0:?}.")]
    NotFound(String),
    /// No pending activation with that id (or it was linked meanwhile).
    #[error("That activation is no longer pending (someone may have linked it already); reload the list.")]
    ActivationNotPending(i64),
    /// The agency to link holds a different `AgencyRef`; linking would overwrite it. Nothing
    /// was saved; the edit page is where a ref is changed on purpose.
    #[error("{} already has a different AgencyRef, so this activation was not linked to it. To replace that AgencyRef, change it on the agency's edit page; otherwise pick another agency.", .agency.display_name)]
    AgencyHasOtherRef {
        /// The agency as it is.
        agency: Box<Agency>,
    },
    /// Another agency holds the activation's `AgencyRef` (an AgencyRef belongs to one agency).
    #[error("Agency {0:?} already holds this AgencyRef, and an AgencyRef belongs to one agency. Use that agency, or clear its AgencyRef on its edit page first.")]
    AgencyRefHeldElsewhere(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl SettingsError {
    /// Whether the admin can fix this by changing the form (as opposed to reloading or retrying).
    pub fn is_validation(&self) -> bool {
        matches!(
            self,
            SettingsError::AgencyRefRequired
                | SettingsError::InvalidAgencyRef(_)
                | SettingsError::AgencyRefHeldElsewhere(_)
        )
    }
}

/// Checks the form's values and turns them into what the store saves.
///
/// Blank `AgencyRef` with production off clears it; a non-blank one is validated either way, so a
/// ref can be entered before production is switched on.
pub fn validate(agency_ref: &str, use_production: bool) -> Result<SettingsChange, SettingsError> {
    let alto_agency_ref = match AgencyRef::parse(agency_ref) {
        Ok(valid) => Some(valid.as_str().to_string()),
        Err(InvalidAgencyRef::Empty) if use_production => {
            return Err(SettingsError::AgencyRefRequired)
        }
        Err(InvalidAgencyRef::Empty) => None,
        Err(invalid) => return Err(SettingsError::InvalidAgencyRef(invalid)),
    };
    Ok(SettingsChange {
        alto_agency_ref,
        use_production,
    })
}

/// The service: a store handle plus the rules.
#[derive(Clone, Debug)]
pub struct AltoSettings {
    store: Store,
}

impl AltoSettings {
    /// Wraps a store.
    pub fn new(store: Store) -> Self {
        Self { store }
    }

    /// The store underneath.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// A page of Alto-enabled agencies, by number, or from a Next/Previous `cursor`.
    pub async fn list(
        &self,
        filter: &AgencyFilter,
        page: PageRequest,
        cursor: Option<&PageCursor>,
    ) -> Result<AgencyPage, SettingsError> {
        Ok(match cursor {
            Some(cursor) => self.store.list_agencies_from(filter, page, cursor).await?,
            None => self.store.list_agencies(filter, page).await?,
        })
    }

    /// One agency, or [`SettingsError::NotFound`].
    pub async fn agency(&self, id: &str) -> Result<Agency, SettingsError> {
        self.store
            .agency(id)
            .await?
            .ok_or_else(|| SettingsError::NotFound(id.to_string()))
    }

    /// An agency's audit history, newest first ([`SettingsError::NotFound`] for an unknown agency).
    pub async fn history(&self, id: &str) -> Result<(Agency, Vec<AuditEntry>), SettingsError> {
        let agency = self.agency(id).await?;
        let entries = self.store.audit_history(id).await?;
        Ok((agency, entries))
    }

    /// Validates and saves the edit form as `username`; returns the agency as saved.
    pub async fn update(
        &self,
        id: &str,
        update: &SettingsUpdate,
        username: &str,
    ) -> Result<Agency, SettingsError> {
        let change = validate(&update.agency_ref, update.use_production)?;
        match self
            .store
            .update_settings(id, update.version, &change, username)
            .await?
        {
            UpdateOutcome::Saved(agency) | UpdateOutcome::Unchanged(agency) => Ok(agency),
            UpdateOutcome::Conflict(current) => Err(SettingsError::Conflict {
                current: Box::new(current),
            }),
            UpdateOutcome::NotFound => Err(SettingsError::NotFound(id.to_string())),
            UpdateOutcome::AgencyRefTaken(holder) => {
                Err(SettingsError::AgencyRefHeldElsewhere(holder))
            }
        }
    }
}

impl AltoSettings {
    /// Links a pending activation (from `Integration.Activated`) to an agency as `username`, in
    /// one transaction ([`Store::link_activation`]): the activation is claimed only if still
    /// unlinked, a different `AgencyRef` on the agency is never overwritten, the version is
    /// honoured like the edit form's, the branch id is kept and the changes are audited.
    ///
    /// `expected_version` is the agency's version the admin saw; `None` takes the current one.
    pub async fn link_activation(
        &self,
        activation_id: i64,
        agency_id: &str,
        expected_version: Option<i64>,
        username: &str,
    ) -> Result<Agency, SettingsError> {
        let link = ActivationLink {
            activation_id,
            agency_id,
            expected_version,
            linked_by: username,
        };
        match self.store.link_activation(&link).await? {
            LinkOutcome::Linked(agency) => Ok(agency),
            LinkOutcome::ActivationNotPending => {
                Err(SettingsError::ActivationNotPending(activation_id))
            }
            LinkOutcome::AgencyNotFound => Err(SettingsError::NotFound(agency_id.to_string())),
            LinkOutcome::Conflict(current) => Err(SettingsError::Conflict {
                current: Box::new(current),
            }),
            LinkOutcome::AgencyHasOtherRef(agency) => Err(SettingsError::AgencyHasOtherRef {
                agency: Box::new(agency),
            }),
            LinkOutcome::RefHeldByOtherAgency(holder) => {
                Err(SettingsError::AgencyRefHeldElsewhere(holder))
            }
            LinkOutcome::InvalidAgencyRef(invalid) => Err(SettingsError::InvalidAgencyRef(invalid)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_requires_a_ref() {
        assert!(matches!(
            validate("  ", true),
            Err(SettingsError::AgencyRefRequired)
        ));
        assert_eq!(
            validate("", false).unwrap(),
            SettingsChange {
                alto_agency_ref: None,
                use_production: false
            }
        );
        assert_eq!(
            validate(" {8662B309-DC51-58EA-9B1C-8EC10B34E88B} ", true)
                .unwrap()
                .alto_agency_ref
                .as_deref(),
            Some("8662b309-dc51-58ea-9b1c-8ec10b34e88b"),
            "stored canonical"
        );
    }

    #[test]
    fn wrong_refs_are_refused_even_in_sandbox() {
        let err = validate("AG 1", false).unwrap_err();
        assert!(err.is_validation());
        assert!(err.to_string().contains("a GUID such as"), "{err}");
        assert!(
            !err.to_string().contains("AG 1"),
            "the value is not echoed: {err}"
        );
    }
}
