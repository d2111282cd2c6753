//! The sales side of an agency: offers, the sales progressions of agreed ones with their
//! milestones and solicitors, referrals, uploaded media items and the listing copy (rooms, lead
//! texts) edited through the listing patches. One [`SalesData`] per agency, in
//! [`crate::store::AgencyData::sales`].

use std::collections::BTreeMap;

use alto::raw::types;
use bytes::Bytes;
use chrono::{DateTime, Utc};

/// An offer on a property (sale or let).
#[derive(Debug, Clone)]
pub(crate) struct OfferRec {
    pub id: i64,
    pub property_id: i64,
    pub branch_id: Option<i64>,
    /// The applicants making the offer.
    pub contact_ids: Vec<i64>,
    pub amount: f64,
    pub status: types::OfferStatus,
    pub record_type: types::OfferRecordType,
    /// The negotiator who owns the offer record.
    pub negotiator_id: Option<i64>,
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
    /// When the offer took effect (made, or accepted).
    pub effective: DateTime<Utc>,
}

/// A firm of solicitors (a conveyancer) acting for a buyer or a vendor.
#[derive(Debug, Clone)]
pub(crate) struct SolicitorRec {
    pub id: i64,
    pub company_name: String,
    pub contact_name: String,
    pub email: String,
    pub phone: String,
    pub address: types::AddressResponse,
}

/// One step of a sales progression (searches, mortgage offer, exchange…).
#[derive(Debug, Clone)]
pub(crate) struct MilestoneRec {
    pub id: i64,
    pub description: String,
    pub kind: String,
    pub sub_type_id: i32,
    pub ordering: i32,
    pub priority: String,
    pub target: Option<DateTime<Utc>>,
    pub completed: Option<DateTime<Utc>>,
    pub notes: Option<String>,
}

/// The progression of an accepted sale offer to completion. Keyed by its offer's id.
#[derive(Debug, Clone)]
pub(crate) struct ProgressionRec {
    pub offer_id: i64,
    /// One of [`PROGRESSION_STATUSES`].
    pub status: &'static str,
    pub agreed: DateTime<Utc>,
    pub estimated_exchange: Option<DateTime<Utc>>,
    pub exchanged: Option<DateTime<Utc>>,
    pub completion: Option<DateTime<Utc>>,
    pub buyer_solicitor: Option<i64>,
    pub vendor_solicitor: Option<i64>,
    /// The negotiator progressing the sale.
    pub progressor_id: Option<i64>,
    pub milestones: Vec<MilestoneRec>,
}

/// The statuses of a sales progression; `StatusId` n of `GET /sales-progressions` selects the
/// n-th (1-based).
pub(crate) const PROGRESSION_STATUSES: [&str; 4] =
    ["InProgress", "Exchanged", "Completed", "FallenThrough"];

/// A referral of a client to a partner (void switching of utilities, conveyancing, mortgage
/// advice), with the fee the partner reports.
#[derive(Debug, Clone)]
pub(crate) struct ReferralRec {
    pub id: uuid::Uuid,
    pub offer_id: Option<i64>,
    pub property_id: Option<i64>,
    pub tenancy_id: Option<i64>,
    /// The contact referred.
    pub referee_id: i64,
    pub agent_email: String,
    pub status: String,
    pub fees: Option<f64>,
}

/// A media item uploaded with `POST /media-item` that is not one of the listing's images
/// (images live in [`crate::store::AgencyData::listing_images`] under the same id).
#[derive(Debug, Clone)]
pub(crate) struct MediaItemRec {
    pub property_id: i64,
    pub media_type: types::MediaType,
    pub file_name: String,
    pub content_type: String,
    pub bytes: Bytes,
}

/// The listing copy edited through `PATCH /listing/property/{propertyId}/summary` and
/// `…/rooms`, beside the summary (kept in [`crate::store::ListingRec`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct ListingCopy {
    pub lead_in: Option<String>,
    pub lead_out: Option<String>,
    pub include_lead_in_out: bool,
    pub rooms: Vec<types::ListingRoomResponse>,
}

/// Everything of the sales side of one agency.
#[derive(Debug, Clone, Default)]
pub(crate) struct SalesData {
    pub offers: BTreeMap<i64, OfferRec>,
    /// Sales progressions by offer id.
    pub progressions: BTreeMap<i64, ProgressionRec>,
    pub solicitors: BTreeMap<i64, SolicitorRec>,
    pub referrals: BTreeMap<uuid::Uuid, ReferralRec>,
    pub media_items: BTreeMap<i64, MediaItemRec>,
    /// Listing copy by property id.
    pub listing_copy: BTreeMap<i64, ListingCopy>,
}
