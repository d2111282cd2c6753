//! Edits of a listing's copy: its summary and lead texts
//! (`PATCH /listing/property/{propertyId}/summary`) and its rooms
//! (`PATCH /listing/property/{propertyId}/rooms`), built as typed JSON Patches.
//!
//! The spec declares both bodies as an object whose `operations` array holds RFC 6902
//! operations (`op`, `path`, `value`); [`ListingSummaryPatch`] and [`ListingRoomsPatch`] write
//! those operations, so no caller spells a JSON Pointer.

use serde_json::Value;

use super::Listings;
use crate::error::AltoError;
use crate::ids::PropertyId;
use crate::operations;
use crate::raw::types;

/// Whether a room entry is a room or a free paragraph of the description.
pub type RoomRecordType = types::RoomRecordType;

/// One RFC 6902 operation.
fn op(kind: &str, path: String, value: Option<Value>) -> (String, String, Option<Value>) {
    (kind.to_string(), path, value)
}

/// Changes to a listing's summary and lead-in/lead-out texts, sent with
/// [`Listings::update_summary`]. Each setter adds one `replace` operation.
///
/// ```
/// use alto::listings::ListingSummaryPatch;
/// let patch = ListingSummaryPatch::new()
///     .summary("A Victorian terrace with a south-facing garden.")
///     .lead_in_text("Chain free")
///     .include_lead_in_out_text(true);
/// assert_eq!(patch.len(), 3);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListingSummaryPatch {
    ops: Vec<(String, String, Option<Value>)>,
}

impl ListingSummaryPatch {
    /// An empty patch.
    pub fn new() -> Self {
        Self::default()
    }

    fn replace(mut self, path: &str, value: Value) -> Self {
        self.ops.push(op("replace", path.into(), Some(value)));
        self
    }

    /// Replaces the summary (`summary`).
    pub fn summary(self, text: impl Into<String>) -> Self {
        self.replace("/summary", Value::String(text.into()))
    }

    /// Clears the summary.
    pub fn clear_summary(self) -> Self {
        self.replace("/summary", Value::Null)
    }

    /// Replaces the lead-in text (`leadInText`).
    pub fn lead_in_text(self, text: impl Into<String>) -> Self {
        self.replace("/leadInText", Value::String(text.into()))
    }

    /// Replaces the lead-out text (`leadOutText`).
    pub fn lead_out_text(self, text: impl Into<String>) -> Self {
        self.replace("/leadOutText", Value::String(text.into()))
    }

    /// Whether the lead-in and lead-out texts are shown (`includeLeadInOutText`).
    pub fn include_lead_in_out_text(self, include: bool) -> Self {
        self.replace("/includeLeadInOutText", Value::Bool(include))
    }

    /// How many operations the patch holds.
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// Whether the patch holds no operation.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }
}

/// A room (or paragraph) of a listing's description, as [`ListingRoomsPatch`] adds it.
///
/// ```
/// use alto::listings::Room;
/// let kitchen = Room::new("Kitchen").size("4.2m x 3.1m").description("Range cooker, garden views.");
/// let note = Room::paragraph("All measurements are approximate.");
/// # let _ = (kitchen, note);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Room {
    kind: RoomRecordType,
    name: Option<String>,
    description: Option<String>,
    size: Option<String>,
    size_metric: Option<String>,
    size_imperial: Option<String>,
}

impl Room {
    /// A room called `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            kind: RoomRecordType::Room,
            name: Some(name.into()),
            description: None,
            size: None,
            size_metric: None,
            size_imperial: None,
        }
    }

    /// A paragraph of free text between the rooms.
    pub fn paragraph(text: impl Into<String>) -> Self {
        Self {
            kind: RoomRecordType::Paragraph,
            name: None,
            description: Some(text.into()),
            size: None,
            size_metric: None,
            size_imperial: None,
        }
    }

    /// Sets the description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// Sets the size as shown (`4.2m x 3.1m (13'9" x 10'2")`).
    pub fn size(mut self, size: impl Into<String>) -> Self {
        self.size = Some(size.into());
        self
    }

    /// Sets the metric size.
    pub fn size_metric(mut self, size: impl Into<String>) -> Self {
        self.size_metric = Some(size.into());
        self
    }

    /// Sets the imperial size.
    pub fn size_imperial(mut self, size: impl Into<String>) -> Self {
        self.size_imperial = Some(size.into());
        self
    }

    /// The room as the listing's `rooms` entries name its fields.
    fn to_value(&self) -> Value {
        let mut room = serde_json::Map::new();
        room.insert(
            "roomRecordType".into(),
            Value::String(self.kind.to_string()),
        );
        for (key, value) in [
            ("name", &self.name),
            ("description", &self.description),
            ("size", &self.size),
            ("sizeMetric", &self.size_metric),
            ("sizeImperial", &self.size_imperial),
        ] {
            if let Some(v) = value {
                room.insert(key.into(), Value::String(v.clone()));
            }
        }
        Value::Object(room)
    }
}

/// Changes to a listing's rooms, by position (0 is the first room as
/// `GET /listing/property/{propertyId}` lists them), applied in the order added, sent with
/// [`Listings::update_rooms`].
///
/// ```
/// use alto::listings::{ListingRoomsPatch, Room};
/// let patch = ListingRoomsPatch::new()
///     .add_room(Room::new("Kitchen").size("4.2m x 3.1m"))
///     .rename_room(0, "Hall")
///     .remove_room(2);
/// assert_eq!(patch.len(), 3);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListingRoomsPatch {
    ops: Vec<(String, String, Option<Value>)>,
}

impl ListingRoomsPatch {
    /// An empty patch.
    pub fn new() -> Self {
        Self::default()
    }

    fn push(mut self, kind: &str, path: String, value: Option<Value>) -> Self {
        self.ops.push(op(kind, path, value));
        self
    }

    /// Adds `room` after the last one.
    pub fn add_room(self, room: Room) -> Self {
        self.push("add", "/rooms/-".into(), Some(room.to_value()))
    }

    /// Inserts `room` at `index`, moving the rooms from there on one place down.
    pub fn insert_room(self, index: usize, room: Room) -> Self {
        self.push("add", format!("/rooms/{index}"), Some(room.to_value()))
    }

    /// Replaces the room at `index` with `room`.
    pub fn replace_room(self, index: usize, room: Room) -> Self {
        self.push("replace", format!("/rooms/{index}"), Some(room.to_value()))
    }

    /// Removes the room at `index`.
    pub fn remove_room(self, index: usize) -> Self {
        self.push("remove", format!("/rooms/{index}"), None)
    }

    /// Renames the room at `index`.
    pub fn rename_room(self, index: usize, name: impl Into<String>) -> Self {
        let value = Value::String(name.into());
        self.push("replace", format!("/rooms/{index}/name"), Some(value))
    }

    /// Replaces the description of the room at `index`.
    pub fn describe_room(self, index: usize, description: impl Into<String>) -> Self {
        let value = Value::String(description.into());
        self.push(
            "replace",
            format!("/rooms/{index}/description"),
            Some(value),
        )
    }

    /// Replaces the size (as shown) of the room at `index`.
    pub fn resize_room(self, index: usize, size: impl Into<String>) -> Self {
        let value = Value::String(size.into());
        self.push("replace", format!("/rooms/{index}/size"), Some(value))
    }

    /// How many operations the patch holds.
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// Whether the patch holds no operation.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }
}

/// The operations of a patch as the spec's operation type `T`; an empty patch is refused.
fn operations_of<T>(
    operation: &str,
    ops: &[(String, String, Option<Value>)],
    build: impl Fn(String, String, Option<Value>) -> T,
) -> Result<Vec<T>, AltoError> {
    if ops.is_empty() {
        return Err(AltoError::InvalidRequest {
            operation: operation.into(),
            detail: "the patch changes nothing; add at least one change".into(),
        });
    }
    Ok(ops
        .iter()
        .map(|(kind, path, value)| build(kind.clone(), path.clone(), value.clone()))
        .collect())
}

impl Listings<'_> {
    /// Changes a listing's summary and lead texts
    /// (`PATCH /listing/property/{propertyId}/summary`). An empty patch is refused before
    /// sending.
    pub async fn update_summary(
        &self,
        property: PropertyId,
        patch: &ListingSummaryPatch,
    ) -> Result<(), AltoError> {
        const OP: &str = operations::UPDATE_LISTING_SUMMARY;
        let id = super::property_i32(OP, property)?;
        let ops = operations_of(OP, &patch.ops, |op, path, value| {
            types::PutListingSummaryOperation {
                from: None,
                op: Some(op),
                path: Some(path),
                value,
            }
        })?;
        let body = types::PutListingSummaryJsonPatchDocument {
            operations: Some(ops),
        };
        let call = self
            .client
            .raw()
            .update_listing_summary()
            .property_id(id)
            .body(body)
            .send();
        self.client.send(OP, call).await?;
        Ok(())
    }

    /// Changes a listing's rooms (`PATCH /listing/property/{propertyId}/rooms`). An empty patch
    /// is refused before sending.
    pub async fn update_rooms(
        &self,
        property: PropertyId,
        patch: &ListingRoomsPatch,
    ) -> Result<(), AltoError> {
        const OP: &str = operations::UPDATE_LISTING_ROOMS;
        let id = super::property_i32(OP, property)?;
        let ops = operations_of(OP, &patch.ops, |op, path, value| {
            types::PatchListingRoomsRequestOperation {
                from: None,
                op: Some(op),
                path: Some(path),
                value,
            }
        })?;
        let body = types::PatchListingRoomsRequestJsonPatchDocument {
            operations: Some(ops),
        };
        let call = self
            .client
            .raw()
            .update_listing_rooms()
            .property_id(id)
            .body(body)
            .send();
        self.client.send(OP, call).await?;
        Ok(())
    }
}
