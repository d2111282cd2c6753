//! Typed ids of Alto records. Alto sends some ids as numbers and some as numeric strings; the
//! facade keeps them apart by kind, so a property id cannot be passed where a contact id belongs.

use std::fmt;

use crate::error::AltoError;

macro_rules! alto_id {
    ($($(#[$doc:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            /// Wraps a known id.
            pub const fn new(id: i64) -> Self {
                Self(id)
            }

            /// Parses an id Alto sent as a string (`"123"`).
            pub fn parse(operation: &str, raw: Option<&str>) -> Result<Self, AltoError> {
                raw.and_then(|s| s.trim().parse::<i64>().ok()).map(Self).ok_or_else(|| AltoError::Decode {
                    operation: operation.to_string(),
                    detail: format!("expected a numeric {} in the answer, got {:?}", stringify!($name), raw),
                })
            }

            /// The id as the `int32` most Alto request bodies use.
            pub fn as_i32(self, operation: &str) -> Result<i32, AltoError> {
                i32::try_from(self.0).map_err(|_| AltoError::InvalidRequest {
                    operation: operation.to_string(),
                    detail: format!("{} {} does not fit the 32-bit id Alto expects", stringify!($name), self.0),
                })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl From<i64> for $name {
            fn from(id: i64) -> Self {
                Self(id)
            }
        }

        impl From<i32> for $name {
            fn from(id: i32) -> Self {
                Self(id.into())
            }
        }
    )+};
}

alto_id! {
    /// A contact (one or more people) in Alto.
    ContactId,
    /// A person within a contact.
    PersonId,
    /// A property (Alto's "inventory" item).
    PropertyId,
    /// A tenancy.
    TenancyId,
    /// A tenant within a tenancy.
    TenantId,
    /// A negotiator (agency staff member).
    NegotiatorId,
    /// A branch of the agency.
    BranchId,
    /// A document.
    DocumentId,
    /// A diary appointment.
    AppointmentId,
    // Listings, relationships, file notes, record documents
    /// A file note (an entry of a record's history).
    FileNoteId,
    /// A relationship between two contacts (a guarantor, a forwarding address).
    RelationshipId,
    /// A works order.
    WorkOrderId,
    /// A supplier (a contractor works orders and charges name).
    SupplierId,
    /// An image of a property listing.
    ImageId,
    /// A media item of a property (a photo, floorplan or file uploaded, a virtual tour or web
    /// link).
    MediaItemId,
}
