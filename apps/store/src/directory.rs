//! The facade link: the Alto client resolves an agency by internal id from this store.

use alto::agency::DirectoryError;
use alto::{AgencyDirectory, AgencyRecord, AgencyRef};
use std::future::Future;
use std::pin::Pin;

use super::{Store, StoreError};
use crate::model::Agency;

/// A stored `AgencyRef` that no longer passes the rule (the facade's type, so the client can
/// turn it into `ConfigError::InvalidAgencyRef`).
pub use alto::agency::StoredAgencyRefInvalid;

/// The facade's view of a stored agency: production iff "Use Alto in production" is on.
///
/// "Alto enabled" is not part of the record: the facade is only asked about agencies the
/// application already sends to Alto. A stored `AgencyRef` that is not valid is an error in
/// production only: sandbox never sends it, so it does not block sandbox calls.
pub fn agency_record(agency: &Agency) -> Result<AgencyRecord, StoredAgencyRefInvalid> {
    let agency_ref = match agency.alto_agency_ref.as_deref().map(AgencyRef::parse) {
        None => None,
        Some(Ok(agency_ref)) => Some(agency_ref),
        Some(Err(_)) if !agency.use_production => None,
        Some(Err(reason)) => {
            return Err(StoredAgencyRefInvalid {
                agency: agency.id.clone(),
                reason,
            })
        }
    };
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
                // Boxed as itself (not as a `Box` of it), so the client can downcast it.
                Some(agency) => Ok(Some(
                    agency_record(&agency).map_err(|e| Box::new(e) as DirectoryError)?,
                )),
            }
        })
    }
}
