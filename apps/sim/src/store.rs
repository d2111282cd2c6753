//! In-memory records, one [`AgencyData`] per agency (one for sandbox). Records are the
//! simulator's own; each family module turns them into the generated response types.

use std::collections::BTreeMap;

use alto::raw::types;
use bytes::Bytes;
use chrono::{DateTime, NaiveDateTime, Utc};

/// A branch of the agency.
#[derive(Debug, Clone)]
pub(crate) struct BranchRec {
    pub id: i64,
    pub name: String,
    pub address: types::Address,
    pub default_market: types::PropertyRecordType,
    pub created: DateTime<Utc>,
}

/// A negotiator (member of staff).
#[derive(Debug, Clone)]
pub(crate) struct NegotiatorRec {
    pub id: i64,
    pub name: String,
    pub title: String,
    pub email: String,
    pub phone: String,
    pub role: String,
}

/// One person of a contact.
#[derive(Debug, Clone)]
pub(crate) struct PersonRec {
    pub id: i64,
    pub title: Option<String>,
    pub forename: Option<String>,
    pub surname: String,
    pub emails: Vec<String>,
    pub phones: Vec<(Option<types::ContactPhoneType>, String)>,
}

/// A contact (one or more people).
#[derive(Debug, Clone)]
pub(crate) struct ContactRec {
    pub id: i64,
    pub branch_id: String,
    pub people: Vec<PersonRec>,
    pub address: Option<types::SdkAddress>,
    pub notes: Option<String>,
    pub potential_landlord: Option<bool>,
    pub potential_vendor: Option<bool>,
    pub created: DateTime<Utc>,
    /// Last change (creation time until one).
    pub modified: DateTime<Utc>,
}

/// A property ("inventory").
#[derive(Debug, Clone)]
pub(crate) struct PropertyRec {
    pub id: i64,
    pub address: types::SdkAddress,
    pub market: types::SdkPropertyRecordType,
    pub branch_id: Option<i64>,
    pub negotiator_id: Option<i64>,
    pub created: DateTime<Utc>,
}

/// A contact owning a property.
#[derive(Debug, Clone)]
pub(crate) struct OwnershipRec {
    pub id: i64,
    pub property_id: i64,
    pub contact_id: i64,
    pub created: DateTime<Utc>,
}

/// An uploaded document and what it is linked to.
#[derive(Debug, Clone)]
pub(crate) struct DocumentRec {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub bytes: Bytes,
    pub linked_type: &'static str,
    pub linked_id: i64,
    pub created: DateTime<Utc>,
}

/// A diary appointment (viewing, general, market appraisal). Start and end are UK local
/// wall-clock times, as Alto's diary keeps them.
#[derive(Debug, Clone)]
pub(crate) struct AppointmentRec {
    pub id: i64,
    pub kind: types::ExternalPartnerAppointmentType,
    pub title: String,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub property_ids: Vec<i64>,
    pub contact_ids: Vec<i64>,
    pub negotiator_ids: Vec<i64>,
    pub branch_id: Option<i64>,
    pub notes: Option<String>,
    pub created: DateTime<Utc>,
    // Appointments and calendar
    pub status: types::ExternalPartnerAppointmentStatus,
    pub internal_notes: Option<String>,
    pub applicant_feedback: Option<String>,
    pub modified: DateTime<Utc>,
}

/// A tenant of a tenancy, with the guarantors `(guarantor id, guarantor contact id)`.
#[derive(Debug, Clone)]
pub(crate) struct TenantRec {
    pub tenant_id: i64,
    pub contact_id: i64,
    pub guarantors: Vec<(i64, i64)>,
}

/// A tenancy.
#[derive(Debug, Clone)]
pub(crate) struct TenancyRec {
    pub id: i64,
    pub property_id: i64,
    pub branch_id: i64,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub rent: f64,
    pub status: String,
    pub tenants: Vec<TenantRec>,
    pub created: DateTime<Utc>,
    /// Last change (creation time until one).
    pub modified: DateTime<Utc>,
}

/// A reference check on a tenant.
#[derive(Debug, Clone)]
pub(crate) struct ReferenceCheckRec {
    pub id: uuid::Uuid,
    pub tenancy_id: i64,
    pub tenant_id: i64,
    pub status: types::ReferenceCheckStatus,
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
    pub modified_by: Option<String>,
}

// Listings, relationships, file notes, record documents

/// The marketing side of a property: what its listing shows. A property without one is listed
/// with defaults.
#[derive(Debug, Clone)]
pub(crate) struct ListingRec {
    pub status: types::InventoryStatus,
    pub price: Option<f64>,
    pub price_qualifier: Option<String>,
    pub bedrooms: Option<i32>,
    pub bathrooms: Option<i32>,
    pub receptions: Option<i32>,
    pub property_type: Option<String>,
    pub summary: Option<String>,
    pub auction_closing: Option<DateTime<Utc>>,
    pub modified: DateTime<Utc>,
}

/// Where a listing image appears.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ImageKind {
    Gallery,
    Floorplan,
    VirtualTour,
}

/// An image of a listing.
#[derive(Debug, Clone)]
pub(crate) struct ListingImageRec {
    pub id: i64,
    pub property_id: i64,
    pub kind: ImageKind,
    pub order: i32,
    pub main: bool,
    pub content_type: String,
    pub bytes: Bytes,
    pub modified: DateTime<Utc>,
}

/// A virtual tour or web link of a property.
#[derive(Debug, Clone)]
pub(crate) struct MediaLinkRec {
    pub property_id: i64,
    pub kind: types::PostLinkMediaItemRequestMediaType,
    pub url: String,
    pub description: Option<String>,
    pub created: DateTime<Utc>,
}

/// A relationship of one contact to another (a guarantor, a forwarding address).
#[derive(Debug, Clone)]
pub(crate) struct RelationshipRec {
    pub id: i64,
    pub contact_id: i64,
    pub related_contact_id: i64,
    pub kind: types::ContactRelationshipRelationshipType,
}

/// A file note: one entry of a contact's or property's history.
#[derive(Debug, Clone)]
pub(crate) struct FileNoteRec {
    pub id: i64,
    pub title: Option<String>,
    pub notes: String,
    /// Contacts and owners named.
    pub contact_ids: Vec<i64>,
    pub property_id: Option<i64>,
    pub negotiator_id: Option<i64>,
    pub kind: types::GetFileNoteResponseFileNoteType,
    pub created: DateTime<Utc>,
    pub updated: Option<DateTime<Utc>>,
}

/// A works order on a property: the job, who reported it, the supplier, and its progress.
#[derive(Debug, Clone)]
pub(crate) struct WorkOrderRec {
    pub id: i64,
    pub property_id: i64,
    pub summary: String,
    pub description: Option<String>,
    pub priority: String,
    pub status: String,
    pub notes: Option<String>,
    pub supplier_contact_id: Option<String>,
    pub quote: Option<f64>,
    pub reporter: Option<types::WorkOrderActor>,
    pub access: Option<types::WorkOrderActor>,
    pub charge: Option<types::WorkOrderActor>,
    pub reported: DateTime<Utc>,
    pub start: Option<DateTime<Utc>>,
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
}

/// Where [`AgencyData::next_seed_id`] starts, above the agency's base.
const SEED_ID_OFFSET: i64 = 90_000;

/// Everything one agency has. Ids start at a per-agency base so that an id of one agency is
/// never valid in another (a client that mixes agencies up gets 404, not someone else's data).
#[derive(Debug, Clone, Default)]
pub(crate) struct AgencyData {
    next_id: i64,
    pub branches: Vec<BranchRec>,
    pub negotiators: Vec<NegotiatorRec>,
    pub contacts: BTreeMap<i64, ContactRec>,
    pub properties: BTreeMap<i64, PropertyRec>,
    pub ownerships: BTreeMap<i64, OwnershipRec>,
    pub documents: BTreeMap<i64, DocumentRec>,
    pub appointments: BTreeMap<i64, AppointmentRec>,
    pub tenancies: BTreeMap<i64, TenancyRec>,
    pub reference_checks: Vec<ReferenceCheckRec>,
    // Listings, relationships, file notes, record documents
    /// Listing details by property id.
    pub listings: BTreeMap<i64, ListingRec>,
    pub listing_images: BTreeMap<i64, ListingImageRec>,
    pub media_links: BTreeMap<i64, MediaLinkRec>,
    pub relationships: BTreeMap<i64, RelationshipRec>,
    pub file_notes: BTreeMap<i64, FileNoteRec>,
    pub work_orders: BTreeMap<i64, WorkOrderRec>,
    /// The next id of [`AgencyData::next_seed_id`].
    seed_ids: i64,
    // Appointments and calendar
    /// General appointment sub-types `(id, display name)` of the agency's group.
    pub appointment_sub_types: Vec<(i32, String)>,
    /// Contact profiles, requirements, consent, bank accounts, leads, the partner integration.
    pub contact_family: crate::contact_records::ContactFamily,
    /// Property management: key sets, suppliers, management events, meter readings, charges.
    pub management: crate::property_management::PropertyManagementData,
    /// Offers, sales progressions, referrals, media items and listing copy.
    pub sales: crate::sales_store::SalesData,
}

impl AgencyData {
    /// Empty data whose ids start after `base`.
    pub fn new(base: i64) -> Self {
        Self {
            next_id: base,
            seed_ids: base + SEED_ID_OFFSET,
            ..Self::default()
        }
    }

    // Listings, relationships, file notes, record documents
    /// A fresh id for the demo's listing, relationship, file-note and document records, from a
    /// range of their own (`base + 90 000` on): seeding them does not renumber the records created afterwards, which snapshots pin.
    /// Unique as long as an agency creates fewer than 90 000 records.
    pub fn next_seed_id(&mut self) -> i64 {
        self.seed_ids += 1;
        self.seed_ids
    }

    /// A fresh id, unique within the agency (and across agencies, by the base).
    pub fn next_id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }

    pub fn has_negotiator(&self, id: i64) -> bool {
        self.negotiators.iter().any(|n| n.id == id)
    }

    pub fn has_branch(&self, id: i64) -> bool {
        self.branches.iter().any(|b| b.id == id)
    }

    pub fn owners_of(&self, property_id: i64) -> impl Iterator<Item = &OwnershipRec> {
        self.ownerships
            .values()
            .filter(move |o| o.property_id == property_id)
    }

    /// Whether `linked_type`/`linked_id` names an existing record a document can link to.
    pub fn linkable(&self, linked_type: &str, linked_id: i64) -> bool {
        match linked_type {
            "Contact" => self.contacts.contains_key(&linked_id),
            "Property" => self.properties.contains_key(&linked_id),
            "Tenancy" => self.tenancies.contains_key(&linked_id),
            "WorkOrder" => self.work_orders.contains_key(&linked_id),
            _ => false,
        }
    }
}
