//! Reference checks: list them in a date range, mark them Pending or Completed, and find the
//! tenants and guarantors they concern.

use chrono::{DateTime, Utc};
use futures::Stream;
use serde::Serialize;

use crate::client::AgencyClient;
use crate::error::AltoError;
use crate::ids::TenancyId;
use crate::operations;
use crate::paging::{raw_pages, DEFAULT_PAGE_SIZE};
use crate::raw::types;
use crate::tenancies::{Guarantor, Tenant};
use crate::typed::typed;

/// A reference check as Alto returns it.
pub type ReferenceCheck = types::ReferenceCheckDto;

/// The only two statuses Alto accepts for a reference check.
///
/// ```
/// use alto::reference_checks::ReferenceCheckStatus;
/// assert_eq!(ReferenceCheckStatus::Completed.to_string(), "Completed");
/// ```
pub type ReferenceCheckStatus = types::ReferenceCheckStatus;

/// A date range, both ends inclusive and either open (the seed's "last 7 days" has no end). For
/// reference checks it filters the creation date; contacts filter creation or modification
/// ([`crate::contacts::ContactFilter`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DateRange {
    /// Earliest creation time, inclusive.
    pub from: Option<DateTime<Utc>>,
    /// Latest creation time, inclusive.
    pub to: Option<DateTime<Utc>>,
}

impl DateRange {
    /// From `from` on, with no end.
    pub fn since(from: DateTime<Utc>) -> Self {
        Self {
            from: Some(from),
            to: None,
        }
    }

    /// The last `days` days up to now.
    pub fn last_days(days: i64) -> Self {
        Self::since(Utc::now() - chrono::Duration::days(days))
    }
}

/// The people a reference check concerns: the tenancy's tenants, each with their guarantors.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CheckParties {
    /// The tenancy of the check.
    pub tenancy: TenancyId,
    /// Tenants with their guarantors.
    pub tenants: Vec<(Tenant, Vec<Guarantor>)>,
}

#[derive(Serialize)]
struct StatusPatch {
    status: ReferenceCheckStatus,
}

/// Reference-check operations for one agency. Get it with [`AgencyClient::reference_checks`].
#[derive(Debug, Clone, Copy)]
pub struct ReferenceChecks<'a> {
    client: &'a AgencyClient,
}

impl AgencyClient {
    /// Reference-check operations.
    pub fn reference_checks(&self) -> ReferenceChecks<'_> {
        ReferenceChecks { client: self }
    }
}

impl<'a> ReferenceChecks<'a> {
    /// All checks created in `range`, page after page (`GET /ReferenceChecks`).
    pub fn list(
        &self,
        range: DateRange,
    ) -> impl Stream<Item = Result<ReferenceCheck, AltoError>> + 'a {
        const OP: &str = operations::GET_REFERENCE_CHECKS;
        raw_pages!(self.client, OP, |raw| {
            let mut call = raw
                .get_reference_checks()
                .max_results(DEFAULT_PAGE_SIZE as i32);
            if let Some(from) = range.from {
                call = call.created_from(from);
            }
            if let Some(to) = range.to {
                call = call.created_to(to);
            }
            call
        })
    }

    /// Sets a check's status (`PATCH /ReferenceChecks/{id}`; Alto answers 202).
    pub async fn set_status(
        &self,
        check: uuid::Uuid,
        status: ReferenceCheckStatus,
    ) -> Result<(), AltoError> {
        const OP: &str = operations::UPDATE_REFERENCE_CHECK;
        let body: types::PatchReferenceCheckRequest = typed(OP, &StatusPatch { status })?;
        let call = self
            .client
            .raw()
            .update_reference_check()
            .reference_check_id(check)
            .body(body)
            .send();
        self.client.send(OP, call).await?;
        Ok(())
    }

    /// The tenants and guarantors of a check's tenancy.
    pub async fn parties(&self, check: &ReferenceCheck) -> Result<CheckParties, AltoError> {
        let tenancy =
            check
                .tenancy_id
                .map(TenancyId::from)
                .ok_or_else(|| AltoError::InvalidRequest {
                    operation: operations::GET_TENANT_IDS.into(),
                    detail: "the reference check names no tenancy".into(),
                })?;
        let tenants = self
            .client
            .tenancies()
            .tenants_with_guarantors(tenancy)
            .await?;
        Ok(CheckParties { tenancy, tenants })
    }
}
