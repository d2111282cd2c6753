//! Alto's notifications as typed values: [`EventKind`] for the event type and [`AltoEvent`] for
//! one received CloudEvent.

use std::fmt;
use std::str::FromStr;

use serde_json::Value;

macro_rules! event_kinds {
    ($($(#[$doc:meta])* $variant:ident => $name:literal reads $target:ident),+ $(,)?) => {
        /// The type of an Alto notification (the CloudEvents `type` attribute).
        ///
        /// Alto's published catalogue has 26 types (`Contact.Modified`, not `Contact.Updated`).
        /// Alto may add types: an unknown one is kept as [`EventKind::Other`] with its name,
        /// stored and handed to handlers like any other, never refused.
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

            /// What reading the event's resource afresh means for this kind; `None` for
            /// [`EventKind::Other`].
            pub fn refetches(&self) -> Option<RefetchTarget> {
                match self {
                    $(EventKind::$variant => Some(RefetchTarget::$target),)+
                    EventKind::Other(_) => None,
                }
            }
        }
    };
}

event_kinds! {
    /// `Contact.Created`
    ContactCreated => "Contact.Created" reads Contact,
    /// `Contact.Modified`
    ContactModified => "Contact.Modified" reads Contact,
    /// `Property.Created`
    PropertyCreated => "Property.Created" reads Property,
    /// `Property.Modified`
    PropertyModified => "Property.Modified" reads Property,
    /// `Property.MarketingInformationSent`
    PropertyMarketingInformationSent => "Property.MarketingInformationSent" reads Property,
    /// `Branch.Modified`
    BranchModified => "Branch.Modified" reads Branch,
    /// `Appointment.Created`
    AppointmentCreated => "Appointment.Created" reads Appointment,
    /// `Appointment.Modified`
    AppointmentModified => "Appointment.Modified" reads Appointment,
    /// `Tenancy.Created`
    TenancyCreated => "Tenancy.Created" reads Tenancy,
    /// `Tenancy.Modified`
    TenancyModified => "Tenancy.Modified" reads Tenancy,
    /// `Tenancy.ReferencingPassed`
    TenancyReferencingPassed => "Tenancy.ReferencingPassed" reads Tenancy,
    /// `Tenancy.Renewed`
    TenancyRenewed => "Tenancy.Renewed" reads Tenancy,
    /// `Tenancy.Vacated`
    TenancyVacated => "Tenancy.Vacated" reads Tenancy,
    /// `Offer.Created`
    OfferCreated => "Offer.Created" reads SalesOffer,
    /// `Offer.Modified`
    OfferModified => "Offer.Modified" reads SalesOffer,
    /// `Offer.Withdrawn`
    OfferWithdrawn => "Offer.Withdrawn" reads SalesOffer,
    /// `Offer.Accepted`: the offer is now a sales progression under the same id.
    OfferAccepted => "Offer.Accepted" reads SalesProgression,
    /// `SalesProgression.Exchanged`
    SalesProgressionExchanged => "SalesProgression.Exchanged" reads SalesProgression,
    /// `SalesProgression.Milestone.Completed`
    SalesProgressionMilestoneCompleted => "SalesProgression.Milestone.Completed" reads SalesProgression,
    /// `Lead.Received`
    LeadReceived => "Lead.Received" reads Lead,
    /// `Lead.Accepted`
    LeadAccepted => "Lead.Accepted" reads Lead,
    /// `Lead.Modified`
    LeadModified => "Lead.Modified" reads Lead,
    /// `Integration.Enabled`: the integration is on for a group (one `AgencyRef`).
    IntegrationEnabled => "Integration.Enabled" reads Integration,
    /// `Integration.Disabled`: the integration is off for a group (one `AgencyRef`).
    IntegrationDisabled => "Integration.Disabled" reads Integration,
    /// `Integration.Activated`: a branch switched the integration on; `data.agencyRef` is the
    /// group's `AgencyRef` (the same for every branch of the group).
    IntegrationActivated => "Integration.Activated" reads Integration,
    /// `Integration.Deactivated`: a branch switched the integration off.
    IntegrationDeactivated => "Integration.Deactivated" reads Integration,
}

/// The read that brings an event's resource up to date (Alto's notifications carry no snapshot).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefetchTarget {
    /// `GET /contacts/{contactId}` (facade: `contacts().get`).
    Contact,
    /// `GET /inventory/{inventoryId}` (facade: `properties().get`).
    Property,
    /// `GET /branches/{branchId}` (raw: `get_branch`; the facade only lists branches).
    Branch,
    /// `GET /appointments/{appointmentId}/{instanceId}` (facade: `appointments().get`).
    Appointment,
    /// `GET /tenancies/{tenancyId}` (facade: `tenancies().get`).
    Tenancy,
    /// `GET /offers/sales-offer/{offerId}` (raw: `get_sales_offer`).
    SalesOffer,
    /// `GET /sales-progressions/{offerId}` (raw: `get_sales_progression`).
    SalesProgression,
    /// `GET /leads/{leadId}` (raw: `get_lead`).
    Lead,
    /// `GET /partners/integration` (raw: `get_integration`): the integration's state for the
    /// agency.
    Integration,
}

impl RefetchTarget {
    /// The operation, as the spec writes it (`GET /contacts/{contactId}`).
    pub fn request(self) -> &'static str {
        match self {
            RefetchTarget::Contact => "GET /contacts/{contactId}",
            RefetchTarget::Property => "GET /inventory/{inventoryId}",
            RefetchTarget::Branch => "GET /branches/{branchId}",
            RefetchTarget::Appointment => "GET /appointments/{appointmentId}/{instanceId}",
            RefetchTarget::Tenancy => "GET /tenancies/{tenancyId}",
            RefetchTarget::SalesOffer => "GET /offers/sales-offer/{offerId}",
            RefetchTarget::SalesProgression => "GET /sales-progressions/{offerId}",
            RefetchTarget::Lead => "GET /leads/{leadId}",
            RefetchTarget::Integration => "GET /partners/integration",
        }
    }

    /// The raw client's method (the operation id) that performs the read.
    pub fn operation(self) -> &'static str {
        match self {
            RefetchTarget::Contact => "get_contact",
            RefetchTarget::Property => "get_property",
            RefetchTarget::Branch => "get_branch",
            RefetchTarget::Appointment => "get_appointment",
            RefetchTarget::Tenancy => "get_tenancy",
            RefetchTarget::SalesOffer => "get_sales_offer",
            RefetchTarget::SalesProgression => "get_sales_progression",
            RefetchTarget::Lead => "get_lead",
            RefetchTarget::Integration => "get_integration",
        }
    }
}

/// Names earlier versions of this crate used for types Alto does not send, with Alto's name for
/// the same notification where it has one. Migration 0009 renamed stored events accordingly;
/// the unmatched ones stay readable as [`EventKind::Other`].
pub const FORMER_NAMES: [(&str, Option<&str>); 19] = [
    ("Contact.Updated", Some("Contact.Modified")),
    ("Property.Updated", Some("Property.Modified")),
    ("Tenancy.Updated", Some("Tenancy.Modified")),
    ("Appointment.Updated", Some("Appointment.Modified")),
    ("Lead.Updated", Some("Lead.Modified")),
    ("Offer.Updated", Some("Offer.Modified")),
    ("Appointment.Cancelled", None),
    ("ReferenceCheck.Created", None),
    ("ReferenceCheck.Updated", None),
    ("Document.Created", None),
    ("Lead.Created", None),
    ("Listing.Updated", None),
    ("WorkOrder.Created", None),
    ("WorkOrder.Updated", None),
    ("ManagementEvent.Created", None),
    ("ManagementEvent.Updated", None),
    ("Landlord.Created", None),
    ("Landlord.Updated", None),
    ("Applicant.Created", None),
];

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
    /// The CloudEvents `time`: when the change happened (required on receipt; events stored
    /// by earlier versions may lack it).
    pub time: Option<chrono::DateTime<chrono::Utc>>,
    /// `data.integrationId`: which integration the event is for (the tail of `id`).
    pub integration_id: Option<String>,
    /// The CloudEvents `datacontenttype`, if sent.
    pub data_content_type: Option<String>,
    /// The `data` member (JSON; `Null` when absent or not JSON).
    pub data: Value,
}

/// One entry of `data.relatedSubjects`: another resource the change concerns.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RelatedSubject {
    /// Relative URI of the resource (`/inventory/123456`).
    pub subject_uri: String,
    /// Its id (the last segment of `subject_uri`).
    pub subject_id: String,
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

    /// `data.relatedSubjects`, the entries that have both members (empty when absent).
    pub fn related_subjects(&self) -> Vec<RelatedSubject> {
        let Some(items) = self.data.get("relatedSubjects").and_then(Value::as_array) else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|item| {
                let text = |key: &str| match item.get(key)? {
                    Value::String(s) => Some(s.trim().to_string()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                };
                Some(RelatedSubject {
                    subject_uri: text("subjectUri")?,
                    subject_id: text("subjectId")?,
                })
            })
            .collect()
    }

    /// The branch the event names (`data.branchId`, string or number), where applicable.
    pub fn branch_id(&self) -> Option<String> {
        ["branchId", "BranchId", "branch_id"]
            .iter()
            .find_map(|key| match self.data.get(key) {
                Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            })
    }

    /// The id of the changed resource: `data.subjectId`, or else the last path segment of
    /// `subject` (`/contacts/123` → `123`).
    pub fn subject_id(&self) -> Option<&str> {
        if let Some(id) = data_str(&self.data, &["subjectId"]) {
            return Some(id);
        }
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
        assert_eq!(
            EventKind::parse("Contact.Updated"),
            EventKind::Other("Contact.Updated".into()),
            "not Alto's name"
        );
        assert_eq!(EventKind::Other("x".into()).resource(), "x");
    }

    #[test]
    fn subject_id_is_the_last_segment() {
        let mut event = AltoEvent {
            id: "1".into(),
            kind: EventKind::ContactModified,
            source: "alto".into(),
            subject: Some("/contacts/123/".into()),
            time: None,
            integration_id: None,
            data_content_type: None,
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

    #[test]
    fn the_catalogue_is_altos_and_every_kind_knows_its_read() {
        let names: Vec<&str> = EventKind::CATALOGUE.iter().map(EventKind::as_str).collect();
        for name in [
            "Property.MarketingInformationSent",
            "Tenancy.ReferencingPassed",
            "SalesProgression.Milestone.Completed",
            "Integration.Enabled",
            "Integration.Disabled",
            "Integration.Activated",
            "Integration.Deactivated",
            "Lead.Received",
            "Offer.Withdrawn",
            "Branch.Modified",
        ] {
            assert!(names.contains(&name), "{name} missing");
        }
        assert!(names.iter().all(|n| !n.ends_with(".Updated")), "{names:?}");
        let read = |name: &str| {
            EventKind::parse(name)
                .refetches()
                .map(RefetchTarget::request)
        };
        assert_eq!(
            read("Offer.Accepted"),
            Some("GET /sales-progressions/{offerId}")
        );
        assert_eq!(
            read("Offer.Withdrawn"),
            Some("GET /offers/sales-offer/{offerId}")
        );
        assert_eq!(
            read("Integration.Disabled"),
            Some("GET /partners/integration")
        );
        assert_eq!(
            read("Appointment.Modified"),
            Some("GET /appointments/{appointmentId}/{instanceId}")
        );
        assert_eq!(read("Viewing.Booked"), None);
        assert!(EventKind::CATALOGUE.iter().all(|k| k.refetches().is_some()));
    }

    #[test]
    fn former_names_map_to_catalogued_kinds_or_stay_other() {
        for (former, current) in FORMER_NAMES {
            assert!(
                matches!(EventKind::parse(former), EventKind::Other(_)),
                "{former}"
            );
            if let Some(current) = current {
                assert!(
                    EventKind::CATALOGUE.contains(&EventKind::parse(current)),
                    "{current}"
                );
            }
        }
    }

    #[test]
    fn subject_id_prefers_data_subject_id() {
        let event = AltoEvent {
            id: "1".into(),
            kind: EventKind::ContactModified,
            source: "alto".into(),
            subject: Some("/contacts/123".into()),
            time: None,
            integration_id: None,
            data_content_type: None,
            data: serde_json::json!({"subjectId": "456"}),
        };
        assert_eq!(event.subject_id(), Some("456"));
    }
}
