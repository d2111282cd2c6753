//! Re-fetching what an event says changed.
//!
//! Alto's events are notifications, not state: `subject` names the resource, `data.agencyRef`
//! the agency. Reading the resource afresh makes handlers immune to duplicates and reordering
//! (they always see the current state) — the pattern to build on.

use alto::contacts::Contact;
use alto::ids::{ContactId, PropertyId, TenancyId};
use alto::properties::PropertyDetail;
use alto::reference_checks::{DateRange, ReferenceCheck};
use alto::tenancies::Tenancy;
use alto::{AgencyClient, AltoClient, AltoError};
use alto_store::{Store, StoreError};
use futures::TryStreamExt;

use crate::events::AltoEvent;

/// The resource an event named, as Alto has it now.
#[derive(Debug, Clone)]
pub enum Refetched {
    /// `Contact.*`: `GET /contacts/{id}`.
    Contact(Box<Contact>),
    /// `Property.*`: `GET /inventory/{id}`.
    Property(Box<PropertyDetail>),
    /// `Tenancy.*`: `GET /tenancies/{id}`.
    Tenancy(Box<Tenancy>),
    /// `ReferenceCheck.*`: found in `GET /ReferenceChecks` (Alto has no single-check read).
    ReferenceCheck(Box<ReferenceCheck>),
}

/// Why the resource could not be re-fetched.
#[derive(Debug, thiserror::Error)]
pub enum RefetchError {
    /// The event has no `data.agencyRef`.
    #[error("the event has no data.agencyRef, so its agency is unknown")]
    NoAgencyRef,
    /// No agency in Alto Settings carries this `AgencyRef`.
    #[error(
        "no agency in Alto Settings has AgencyRef {0:?}; link the activation in Alto Settings"
    )]
    UnknownAgency(String),
    /// The event has no usable `subject`.
    #[error("the event's subject does not name a {kind} id: {subject:?}")]
    BadSubject {
        /// The resource family.
        kind: String,
        /// The subject as received.
        subject: Option<String>,
    },
    /// The event's resource family has no re-fetch yet.
    #[error(
        "re-fetching {0} resources is not supported yet; use AgencyClient::send for a raw call"
    )]
    Unsupported(String),
    /// Alto has no such reference check (any more).
    #[error("reference check {0} is not in Alto's list")]
    NotFound(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The call to Alto failed.
    #[error(transparent)]
    Alto(#[from] AltoError),
}

/// Resolves the event's agency by `data.agencyRef` and reads the resource named by `subject`.
///
/// Supported: Contact, Property, Tenancy and ReferenceCheck events; others answer
/// [`RefetchError::Unsupported`].
pub async fn refetch(
    client: &AltoClient,
    store: &Store,
    event: &AltoEvent,
) -> Result<Refetched, RefetchError> {
    let kind = event.kind.resource().to_string();
    if !matches!(
        kind.as_str(),
        "Contact" | "Property" | "Tenancy" | "ReferenceCheck"
    ) {
        return Err(RefetchError::Unsupported(kind));
    }
    let agency = agency_for(client, store, event).await?;
    let bad_subject = || RefetchError::BadSubject {
        kind: kind.clone(),
        subject: event.subject.clone(),
    };
    let id = event.subject_id().ok_or_else(bad_subject)?;
    let number = || id.parse::<i64>().map_err(|_| bad_subject());
    Ok(match kind.as_str() {
        "Contact" => {
            Refetched::Contact(Box::new(agency.contacts().get(ContactId(number()?)).await?))
        }
        "Property" => Refetched::Property(Box::new(
            agency.properties().get(PropertyId(number()?)).await?,
        )),
        "Tenancy" => Refetched::Tenancy(Box::new(
            agency.tenancies().get(TenancyId(number()?)).await?,
        )),
        _ => {
            let wanted: uuid::Uuid = id.parse().map_err(|_| bad_subject())?;
            let checks = agency.reference_checks();
            let found = checks
                .list(DateRange::default())
                .try_filter(|check| {
                    futures::future::ready(check.reference_check_id == Some(wanted))
                })
                .try_next()
                .await?;
            Refetched::ReferenceCheck(Box::new(
                found.ok_or_else(|| RefetchError::NotFound(wanted.to_string()))?,
            ))
        }
    })
}

/// The agency client for the event's `data.agencyRef` (the agency whose stored AgencyRef matches).
pub async fn agency_for(
    client: &AltoClient,
    store: &Store,
    event: &AltoEvent,
) -> Result<AgencyClient, RefetchError> {
    let agency_ref = event.stored_agency_ref().ok_or(RefetchError::NoAgencyRef)?;
    let Some(id) = store.agency_id_by_ref(&agency_ref).await? else {
        return Err(RefetchError::UnknownAgency(agency_ref));
    };
    Ok(client.resolve_agency(store, &id).await?)
}
