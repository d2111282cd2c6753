//! The facade link: the Alto client resolves an agency by internal id from this store.

use alto::agency::DirectoryError;
use alto::{AgencyDirectory, AgencyRecord, AgencyRef};
use std::future::Future;
use std::pin::Pin;

use super::{Store, StoreError};
use crate::model::Agency;

/// A stored `AgencyRef` that no longer passes the rule (written around the admin form).
#[derive(Debug, thiserror::Error)]
#[error("agency {agency:?} has a stored AgencyRef that is not valid ({reason}); correct it in Alto Settings")]
pub struct StoredAgencyRefInvalid {
    /// The agency's internal id.
    pub agency: String,
    /// Why the value is refused.
    pub reason: alto::agency::InvalidAgencyRef,
}

/// The facade's view of a stored agency: production iff "Use Alto in production" is on.
///
/// "Alto enabled" is not part of the record: the facade is only asked about agencies the
/// application already sends to Alto.
pub fn agency_record(agency: &Agency) -> Result<AgencyRecord, StoredAgencyRefInvalid> {
    let agency_ref = agency
        .alto_agency_ref
        .as_deref()
        .map(AgencyRef::parse)
        .transpose()
        .map_err(|reason| StoredAgencyRefInvalid {
            agency: agency.id.clone(),
            reason,
        })?;
    Ok(AgencyRecord {
        internal_id: agency.id.clone(),
        display_name: agency.display_name.clone(),
        environment: agency.environment(),
        agency_ref,
    })
}

impl AgencyDirectory for Store {
    fn find_agency<'a>(
        &'a self,
        internal_id: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<Option<AgencyRecord>, DirectoryError>> + Send + 'a>>
    {
        Box::pin(async move {
            let agency = self
                .agency(internal_id)
                .await
                .map_err(|e: StoreError| Box::new(e) as DirectoryError)?;
            match agency {
                None => Ok(None),
                Some(agency) => Ok(Some(agency_record(&agency).map_err(Box::new)?)),
            }
        })
    }
}
