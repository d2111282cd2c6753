//! Re-fetching what an event says changed.
//!
//! Alto's events are notifications, not state: `subject` / `data.subjectId` name the resource,
//! `data.agencyRef` the agency. Reading the resource afresh makes handlers immune to duplicates
//! and reordering (they always see the current state) — the pattern to build on.
//!
//! Each [`EventKind`](crate::EventKind) knows its read ([`RefetchTarget`]). The facade's helper
//! is used where it has one (contacts, properties, appointments, tenancies); the raw client's
//! typed call otherwise (branches, offers, sales progressions, leads, the partner integration),
//! through [`AgencyClient::send`] so errors are the facade's. Every read carries the `AgencyRef`
//! of the agency linked to the event's `data.agencyRef`, and only that one: an event whose
//! `AgencyRef` no agency holds is reported ([`RefetchError::UnlinkedAgency`]) and never read
//! with another agency's.

use alto::appointments::Appointment;
use alto::contacts::Contact;
use alto::ids::{AppointmentId, ContactId, PropertyId, TenancyId};
use alto::properties::PropertyDetail;
use alto::raw::types;
use alto::tenancies::Tenancy;
use alto::{AgencyClient, AltoClient, AltoError};
use alto_store::{Store, StoreError};

use crate::events::{AltoEvent, RefetchTarget};

/// The resource an event named, as Alto has it now.
#[derive(Debug, Clone)]
pub enum Refetched {
    /// `Contact.*`: `GET /contacts/{contactId}`.
    Contact(Box<Contact>),
    /// `Property.*`: `GET /inventory/{inventoryId}`.
    Property(Box<PropertyDetail>),
    /// `Branch.Modified`: `GET /branches/{branchId}`.
    Branch(Box<types::Branch>),
    /// `Appointment.*`: `GET /appointments/{appointmentId}/{instanceId}`.
    Appointment(Box<Appointment>),
    /// `Tenancy.*`: `GET /tenancies/{tenancyId}`.
    Tenancy(Box<Tenancy>),
    /// `Offer.Created` / `Modified` / `Withdrawn`: `GET /offers/sales-offer/{offerId}`.
    SalesOffer(Box<types::Offer>),
    /// `Offer.Accepted`, `SalesProgression.*`: `GET /sales-progressions/{offerId}`.
    SalesProgression(Box<types::AgreedOfferWithMilestones>),
    /// `Lead.*`: `GET /leads/{leadId}`.
    Lead(Box<types::Lead>),
    /// `Integration.*`: `GET /partners/integration`.
    Integration(Box<types::IntegrationStateResponse>),
}

/// Why the resource could not be re-fetched. The event itself stays stored either way.
#[derive(Debug, thiserror::Error)]
pub enum RefetchError {
    /// The event has no `data.agencyRef`.
    #[error("the event has no data.agencyRef, so its agency is unknown")]
    NoAgencyRef,
    /// No agency in Alto Settings holds this `AgencyRef` (yet): nothing is read.
    #[error("no agency in Alto Settings holds the event's AgencyRef; link its Integration.Activated in Alto Settings, then process the event again")]
    UnlinkedAgency,
    /// The client for the linked agency would send a different `AgencyRef` than the event's:
    /// nothing is read (it would read another agency's data).
    #[error("agency {agency} would be called with a different AgencyRef than the event carries; check its AgencyRef in Alto Settings")]
    AgencyRefMismatch {
        /// The agency's internal id.
        agency: String,
    },
    /// The event does not name the resource in a form its read takes.
    #[error("the event's subject does not name a {target}: subject {subject:?}, data.subjectId {subject_id:?}")]
    BadSubject {
        /// The read (`GET /contacts/{contactId}`).
        target: &'static str,
        /// `subject` as received.
        subject: Option<String>,
        /// `data.subjectId` as received.
        subject_id: Option<String>,
    },
    /// A type outside Alto's catalogue: there is no read to make.
    #[error("{0} is not in Alto's catalogue, so there is nothing known to re-fetch")]
    NotCatalogued(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The call to Alto failed.
    #[error(transparent)]
    Alto(#[from] AltoError),
}

/// Resolves the event's agency by `data.agencyRef` and reads what the event's kind re-fetches.
pub async fn refetch(
    client: &AltoClient,
    store: &Store,
    event: &AltoEvent,
) -> Result<Refetched, RefetchError> {
    let target = event
        .kind
        .refetches()
        .ok_or_else(|| RefetchError::NotCatalogued(event.kind.to_string()))?;
    let agency = agency_for(client, store, event).await?;
    read(&agency, target, event).await
}

/// Reads `target` for `event` with an agency client already resolved for it.
pub async fn read(
    agency: &AgencyClient,
    target: RefetchTarget,
    event: &AltoEvent,
) -> Result<Refetched, RefetchError> {
    let bad = || RefetchError::BadSubject {
        target: target.request(),
        subject: event.subject.clone(),
        subject_id: event.subject_id().map(str::to_string),
    };
    let text_id = || event.subject_id().ok_or_else(bad);
    let number = || text_id()?.parse::<i64>().map_err(|_| bad());
    let int32 = || i32::try_from(number()?).map_err(|_| bad());
    let raw = agency.raw();
    Ok(match target {
        RefetchTarget::Contact => {
            Refetched::Contact(Box::new(agency.contacts().get(ContactId(number()?)).await?))
        }
        RefetchTarget::Property => Refetched::Property(Box::new(
            agency.properties().get(PropertyId(number()?)).await?,
        )),
        RefetchTarget::Tenancy => Refetched::Tenancy(Box::new(
            agency.tenancies().get(TenancyId(number()?)).await?,
        )),
        RefetchTarget::Appointment => {
            let (appointment, instance) = appointment_ids(event).ok_or_else(bad)?;
            Refetched::Appointment(Box::new(
                agency
                    .appointments()
                    .get(AppointmentId(appointment), instance)
                    .await?,
            ))
        }
        RefetchTarget::Branch => {
            let call = raw.get_branch().branch_id(text_id()?.to_string()).send();
            Refetched::Branch(Box::new(
                agency.send("get_branch", call).await?.into_inner(),
            ))
        }
        RefetchTarget::SalesOffer => {
            let call = raw.get_sales_offer().offer_id(int32()?).send();
            Refetched::SalesOffer(Box::new(
                agency.send("get_sales_offer", call).await?.into_inner(),
            ))
        }
        RefetchTarget::SalesProgression => {
            let call = raw.get_sales_progression().offer_id(number()?).send();
            Refetched::SalesProgression(Box::new(
                agency
                    .send("get_sales_progression", call)
                    .await?
                    .into_inner(),
            ))
        }
        RefetchTarget::Lead => {
            let call = raw.get_lead().lead_id(int32()?).send();
            Refetched::Lead(Box::new(agency.send("get_lead", call).await?.into_inner()))
        }
        RefetchTarget::Integration => {
            let call = raw.get_integration().send();
            Refetched::Integration(Box::new(
                agency.send("get_integration", call).await?.into_inner(),
            ))
        }
    })
}

/// `/appointments/{appointmentId}/{instanceId}` → both ids; `/appointments/{appointmentId}` →
/// instance 0 (a single appointment).
fn appointment_ids(event: &AltoEvent) -> Option<(i64, i32)> {
    let subject = event.subject.as_deref()?;
    let mut segments = subject.trim().trim_matches('/').split('/');
    segments.find(|s| s.eq_ignore_ascii_case("appointments"))?;
    let appointment = segments.next()?.parse().ok()?;
    let instance = match segments.next() {
        Some(instance) => instance.parse().ok()?,
        None => 0,
    };
    Some((appointment, instance))
}

/// The agency client for the event's `data.agencyRef`: the agency whose stored `AgencyRef`
/// matches, never another.
pub async fn agency_for(
    client: &AltoClient,
    store: &Store,
    event: &AltoEvent,
) -> Result<AgencyClient, RefetchError> {
    let agency_ref = event.stored_agency_ref().ok_or(RefetchError::NoAgencyRef)?;
    let Some(id) = store.agency_id_by_ref(&agency_ref).await? else {
        tracing::warn!(event = %event.id, kind = %event.kind, "Alto event for an AgencyRef no agency holds; kept, not re-fetched");
        return Err(RefetchError::UnlinkedAgency);
    };
    let agency = client.resolve_agency(store, &id).await?;
    // Sandbox sends no AgencyRef at all; production must send exactly the event's.
    if agency
        .agency_ref()
        .is_some_and(|sent| sent.as_str() != agency_ref)
    {
        tracing::warn!(event = %event.id, agency = %id, "Alto event's AgencyRef differs from its agency's; kept, not re-fetched");
        return Err(RefetchError::AgencyRefMismatch { agency: id });
    }
    Ok(agency)
}
