//! Listing edits: `PATCH /listing/property/{propertyId}/summary` and `…/rooms`, 204 each; what
//! they change shows in `GET /listing/property/{propertyId}`.
//!
//! The spec names the bodies `…JsonPatchDocument`, rendered as an object whose read-only
//! `operations` holds RFC 6902 operations (`op`, `path`, `value`, `from`): how ASP.NET's
//! `JsonPatchDocument<T>` is described, while on the wire it reads a bare RFC 6902 array. The
//! simulator takes both, and applies the operations with the `json-patch` crate to the listing's
//! editable document:
//!
//! - summary: `{"summary", "leadInText", "leadOutText", "includeLeadInOutText"}`;
//! - rooms: `{"rooms": [{"id", "name", "description", "size", "sizeMetric", "sizeImperial",
//!   "roomRecordType", "orderIndex"}]}`, in the order shown (`orderIndex` is the position; a room
//!   added without an `id` gets one).
//!
//! Paths are read case-insensitively on their first letter (`/Summary` is `/summary`), as ASP.NET
//! does. A patch that fails (an unknown member, a `test` that does not hold, a wrong type) changes
//! nothing and answers 400.

use alto::raw::types;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::patch;
use axum::{Extension, Router};
use bytes::Bytes;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::listings::details;
use crate::problem::ApiError;
use crate::sales_store::ListingCopy;
use crate::state::{AgencyKey, AppState};
use crate::store::AgencyData;

/// The routes of listing edits.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/listing/property/{propertyId}/summary", patch(summary))
        .route("/listing/property/{propertyId}/rooms", patch(rooms))
}

/// The editable text of a listing.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct SummaryDoc {
    summary: Option<String>,
    lead_in_text: Option<String>,
    lead_out_text: Option<String>,
    include_lead_in_out_text: bool,
}

/// One room (or paragraph) of a listing's description.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RoomDoc {
    #[serde(default)]
    id: Option<i32>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    size: Option<String>,
    #[serde(default)]
    size_metric: Option<String>,
    #[serde(default)]
    size_imperial: Option<String>,
    #[serde(default)]
    room_record_type: Option<types::RoomRecordType>,
    #[serde(default)]
    order_index: Option<i32>,
}

/// The rooms of a listing.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RoomsDoc {
    rooms: Vec<RoomDoc>,
}

/// `/Summary/0` → `/summary/0`: the first letter of each segment in lower case.
fn camel_path(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            let mut chars = segment.chars();
            chars.next().map_or_else(String::new, |c| {
                c.to_lowercase().chain(chars).collect::<String>()
            })
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The RFC 6902 operations of a body: a bare array, or the spec's `{"operations": [...]}`.
fn operations(body: &Bytes) -> Result<json_patch::Patch, ApiError> {
    if body.is_empty() {
        return Err(ApiError::field(
            "$",
            "A non-empty request body is required.",
        ));
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::field("$", format!("The body is not JSON: {e}")))?;
    let mut ops = match value {
        Value::Array(ops) => ops,
        Value::Object(mut o) => match o.remove("operations") {
            Some(Value::Array(ops)) => ops,
            _ => {
                return Err(ApiError::field(
                    "$",
                    "The body must be an array of JSON Patch operations.",
                ))
            }
        },
        _ => {
            return Err(ApiError::field(
                "$",
                "The body must be an array of JSON Patch operations.",
            ))
        }
    };
    if ops.is_empty() {
        return Err(ApiError::field("$", "At least one operation is required."));
    }
    for op in &mut ops {
        if let Some(o) = op.as_object_mut() {
            for key in ["path", "from"] {
                if let Some(Value::String(p)) = o.get(key) {
                    let camel = camel_path(p);
                    o.insert(key.into(), Value::String(camel));
                }
            }
            if let Some(Value::String(kind)) = o.get("op") {
                let lower = kind.to_ascii_lowercase();
                o.insert("op".into(), Value::String(lower));
            }
        }
    }
    serde_json::from_value(Value::Array(ops))
        .map_err(|e| ApiError::field("$", format!("Not a JSON Patch document: {e}")))
}

/// Applies `patch` to `doc` and reads the result back as `T`.
fn apply<T: Serialize + for<'de> Deserialize<'de>>(
    doc: &T,
    patch: &json_patch::Patch,
) -> Result<T, ApiError> {
    let mut value = serde_json::to_value(doc).map_err(|e| ApiError::bad_request(e.to_string()))?;
    json_patch::patch(&mut value, patch)
        .map_err(|e| ApiError::field("$", format!("The patch cannot be applied: {e}")))?;
    serde_json::from_value(value)
        .map_err(|e| ApiError::field("$", format!("The patched listing is not valid: {e}")))
}

fn property_id(data: &AgencyData, raw: &str) -> Result<i64, ApiError> {
    let id: i32 = raw
        .trim()
        .parse()
        .map_err(|_| ApiError::field("propertyId", format!("The value '{raw}' is not valid.")))?;
    let id = i64::from(id);
    if data.properties.contains_key(&id) {
        Ok(id)
    } else {
        Err(ApiError::not_found("Property", id))
    }
}

/// Marks the listing changed now (creating its details from the defaults if it had none) and
/// returns them.
fn touch(data: &mut AgencyData, property: i64) -> &mut crate::store::ListingRec {
    let defaults = data.properties.get(&property).map(|p| details(data, p));
    let listing = data
        .listings
        .entry(property)
        .or_insert_with(|| defaults.expect("the property exists"));
    listing.modified = Utc::now();
    listing
}

/// `PATCH /listing/property/{propertyId}/summary`.
pub(crate) async fn summary(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let mut data = state.data(&agency);
    let property = property_id(&data, &id)?;
    let patch = operations(&body)?;
    let copy = data
        .sales
        .listing_copy
        .get(&property)
        .cloned()
        .unwrap_or_default();
    let current = SummaryDoc {
        summary: data.listings.get(&property).and_then(|l| l.summary.clone()),
        lead_in_text: copy.lead_in.clone(),
        lead_out_text: copy.lead_out.clone(),
        include_lead_in_out_text: copy.include_lead_in_out,
    };
    let next = apply(&current, &patch)?;
    touch(&mut data, property).summary = next.summary;
    let copy = data.sales.listing_copy.entry(property).or_default();
    copy.lead_in = next.lead_in_text;
    copy.lead_out = next.lead_out_text;
    copy.include_lead_in_out = next.include_lead_in_out_text;
    Ok(StatusCode::NO_CONTENT)
}

fn to_doc(room: &types::ListingRoomResponse) -> RoomDoc {
    RoomDoc {
        id: room.id,
        name: room.name.clone(),
        description: room.description.clone(),
        size: room.size.clone(),
        size_metric: room.size_metric.clone(),
        size_imperial: room.size_imperial.clone(),
        room_record_type: room.room_record_type,
        order_index: room.order_index,
    }
}

/// `PATCH /listing/property/{propertyId}/rooms`.
pub(crate) async fn rooms(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let mut data = state.data(&agency);
    let property = property_id(&data, &id)?;
    let patch = operations(&body)?;
    let current = RoomsDoc {
        rooms: data
            .sales
            .listing_copy
            .get(&property)
            .map(|c| c.rooms.iter().map(to_doc).collect())
            .unwrap_or_default(),
    };
    let next = apply(&current, &patch)?;
    for (i, room) in next.rooms.iter().enumerate() {
        let named = [&room.name, &room.description]
            .into_iter()
            .flatten()
            .any(|t| !t.trim().is_empty());
        if !named {
            return Err(ApiError::field(
                &format!("rooms[{i}]"),
                "A room needs a name or a description.",
            ));
        }
    }
    let mut rooms = Vec::with_capacity(next.rooms.len());
    for (i, room) in next.rooms.into_iter().enumerate() {
        let id = match room.id.filter(|id| *id > 0) {
            Some(id) => id,
            None => i32::try_from(data.next_id()).unwrap_or(i32::MAX),
        };
        rooms.push(types::ListingRoomResponse {
            id: Some(id),
            name: room.name,
            description: room.description,
            size: room.size,
            size_metric: room.size_metric,
            size_imperial: room.size_imperial,
            room_record_type: Some(room.room_record_type.unwrap_or(types::RoomRecordType::Room)),
            order_index: Some(i32::try_from(i).unwrap_or(i32::MAX)),
        });
    }
    touch(&mut data, property);
    data.sales
        .listing_copy
        .entry(property)
        .or_insert_with(ListingCopy::default)
        .rooms = rooms;
    Ok(StatusCode::NO_CONTENT)
}
