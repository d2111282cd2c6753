//! Alto's notifications as typed values: [`EventKind`] for the event type and [`AltoEvent`] for
//! one received CloudEvent.

use std::fmt;
use std::str::FromStr;

use serde_json::Value;

macro_rules! event_kinds {
    ($($(#[$doc:meta])* $variant:ident => $name:literal),+ $(,)?) => {
        /// The type of an Alto notification (the CloudEvents `type` attribute).
        ///
        /// The catalogue of 26 types is taken from Zoopla's webhook documentation as summarised to
        /// us (names of the form `Contact.Created`). Alto may add types: an unknown one is kept as
        /// [`EventKind::Other`] with its name, stored and handed to handlers like any other, never
        /// refused.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum EventKind {
            $($(#[$doc])* $variant,)+
            /// A type not in the catalogue, with its name as received.
            Other(String),
        }

        impl EventKind {
            /// Every catalogued kind, in catalogue order.
            pub const CATALOGUE: [EventKind; 26] = [$(EventKind::$variant),+];

            /// Alto's name of the type (`Contact.Created`); for [`EventKind::Other`] the name as
            /// received.
            pub fn as_str(&self) -> &str {
                match self {
                    $(EventKind::$variant => $name,)+
                    EventKind::Other(name) => name,
                }
            }

            /// The kind named `name`; never fails (unknown names become [`EventKind::Other`]).
            pub fn parse(name: &str) -> Self {
                match name {
                    $($name => EventKind::$variant,)+
                    other => EventKind::Other(other.to_string()),
                }
            }
        }
    };
}

event_kinds! {
    /// `Contact.Created`
    ContactCreated => "Contact.Created",
    /// `Contact.Updated`
    ContactUpdated => "Contact.Updated",
    /// `Property.Created`
    PropertyCreated => "Property.Created",
    /// `Property.Updated`
    PropertyUpdated => "Property.Updated",
    /// `Tenancy.Created`
    TenancyCreated => "Tenancy.Created",
    /// `Tenancy.Updated`
    TenancyUpdated => "Tenancy.Updated",
    /// `Appointment.Created`
    AppointmentCreated => "Appointment.Created",
    /// `Appointment.Updated`
    AppointmentUpdated => "Appointment.Updated",
    /// `Appointment.Cancelled`
    AppointmentCancelled => "Appointment.Cancelled",
    /// `ReferenceCheck.Created`
    ReferenceCheckCreated => "ReferenceCheck.Created",
    /// `ReferenceCheck.Updated`
    ReferenceCheckUpdated => "ReferenceCheck.Updated",
    /// `Document.Created`
    DocumentCreated => "Document.Created",
    /// `Lead.Created`
    LeadCreated => "Lead.Created",
    /// `Lead.Updated`
    LeadUpdated => "Lead.Updated",
    /// `Offer.Created`
    OfferCreated => "Offer.Created",
    /// `Offer.Updated`
    OfferUpdated => "Offer.Updated",
    /// `Listing.Updated`
    ListingUpdated => "Listing.Updated",
    /// `WorkOrder.Created`
    WorkOrderCreated => "WorkOrder.Created",
    /// `WorkOrder.Updated`
    WorkOrderUpdated => "WorkOrder.Updated",
    /// `ManagementEvent.Created`
    ManagementEventCreated => "ManagementEvent.Created",
    /// `ManagementEvent.Updated`
    ManagementEventUpdated => "ManagementEvent.Updated",
    /// `Landlord.Created`
    LandlordCreated => "Landlord.Created",
    /// `Landlord.Updated`
    LandlordUpdated => "Landlord.Updated",
    /// `Applicant.Created`
    ApplicantCreated => "Applicant.Created",
    /// `Integration.Activated`: Alto issued an `AgencyRef` (in `data.agencyRef`) for an agency.
    IntegrationActivated => "Integration.Activated",
    /// `Integration.Deactivated`: the agency switched the integration off.
    IntegrationDeactivated => "Integration.Deactivated",
}

impl EventKind {
    /// The resource family before the dot (`Contact` for `Contact.Created`).
    pub fn resource(&self) -> &str {
        let name = self.as_str();
        name.split_once('.').map_or(name, |(family, _)| family)
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EventKind {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self::parse(s))
    }
}

/// One Alto notification, as received and stored.
#[derive(Debug, Clone, PartialEq)]
pub struct AltoEvent {
    /// The CloudEvents `id`: Alto's de-duplication key (a redelivery carries the same id).
    pub id: String,
    /// The event type.
    pub kind: EventKind,
    /// The CloudEvents `source`.
    pub source: String,
    /// The CloudEvents `subject`: which resource changed (an id, or a path ending in one).
    pub subject: Option<String>,
    /// The CloudEvents `time`, if sent.
    pub time: Option<chrono::DateTime<chrono::Utc>>,
    /// The `data` member (JSON; `Null` when absent or not JSON).
    pub data: Value,
}

impl AltoEvent {
    /// `data.agencyRef`: the agency the event concerns (trimmed; `None` when absent or blank).
    pub fn agency_ref(&self) -> Option<&str> {
        data_str(&self.data, &["agencyRef", "AgencyRef", "agency_ref"])
    }

    /// `data.agencyRef` in the form the store keeps (`alto::AgencyRef`'s canonical GUID), so
    /// an event spelling it in capitals or braces still finds its agency; as sent (trimmed)
    /// when it is not a GUID at all, which then matches no agency.
    pub fn stored_agency_ref(&self) -> Option<String> {
        let raw = self.agency_ref()?;
        Some(match alto::AgencyRef::parse(raw) {
            Ok(agency_ref) => agency_ref.to_string(),
            Err(_) => raw.to_string(),
        })
    }

    /// The branch id an `Integration.Activated` event names (`data.branchId`, string or number).
    pub fn branch_id(&self) -> Option<String> {
        ["branchId", "BranchId", "branch_id"]
            .iter()
            .find_map(|key| match self.data.get(key) {
                Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            })
    }

    /// The id of the changed resource: the last path segment of `subject`
    /// (`contacts/123` → `123`, `123` → `123`).
    pub fn subject_id(&self) -> Option<&str> {
        let subject = self.subject.as_deref()?.trim().trim_end_matches('/');
        let id = subject.rsplit('/').next()?.trim();
        (!id.is_empty()).then_some(id)
    }
}

fn data_str<'a>(data: &'a Value, keys: &[&str]) -> Option<&'a str> {
    keys.iter()
        .find_map(|key| data.get(key).and_then(Value::as_str))
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_types_are_kept() {
        for kind in EventKind::CATALOGUE {
            assert_eq!(EventKind::parse(kind.as_str()), kind);
        }
        let distinct: std::collections::BTreeSet<_> =
            EventKind::CATALOGUE.iter().map(EventKind::as_str).collect();
        assert_eq!(distinct.len(), 26);
        assert_eq!(
            EventKind::parse("Viewing.Booked"),
            EventKind::Other("Viewing.Booked".into())
        );
        assert_eq!(EventKind::ContactCreated.resource(), "Contact");
        assert_eq!(EventKind::Other("x".into()).resource(), "x");
    }

    #[test]
    fn subject_id_is_the_last_segment() {
        let mut event = AltoEvent {
            id: "1".into(),
            kind: EventKind::ContactUpdated,
            source: "alto".into(),
            subject: Some("/contacts/123/".into()),
            time: None,
            data: serde_json::json!({"agencyRef": " 8662b309-dc51-58ea-9b1c-8ec10b34e88b ", "branchId": 7}),
        };
        assert_eq!(event.subject_id(), Some("123"));
        assert_eq!(
            event.agency_ref(),
            Some("8662b309-dc51-58ea-9b1c-8ec10b34e88b")
        );
        assert_eq!(event.branch_id().as_deref(), Some("7"));
        event.subject = Some("  ".into());
        assert_eq!(event.subject_id(), None);
    }
}
