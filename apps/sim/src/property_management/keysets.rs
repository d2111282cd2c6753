//! Key sets of a property: `POST /inventory/{inventoryId}/keyset`,
//! `GET /inventory/{inventoryId}/keysets`, `PATCH`/`DELETE /inventory/{inventoryId}/keyset/{keySetId}`.

use alto::raw::types;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use bytes::Bytes;
use chrono::Utc;

use super::common::{created, missing, patch_document, path_id};
use super::inventory::property;
use super::records::KeySetRec;
use crate::problem::{json_body, recast, ApiError, Validation};
use crate::state::{AgencyKey, AppState};
use crate::store::AgencyData;

fn holder_name(data: &AgencyData, holder: &(types::AltoKeySetHolderType, i64)) -> Option<String> {
    match holder.0 {
        types::AltoKeySetHolderType::Contact => data.contacts.get(&holder.1).and_then(|c| {
            c.people.first().map(|p| {
                [
                    p.title.as_deref(),
                    p.forename.as_deref(),
                    Some(p.surname.as_str()),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ")
            })
        }),
        types::AltoKeySetHolderType::User => data
            .negotiators
            .iter()
            .find(|n| n.id == holder.1)
            .map(|n| n.name.clone()),
    }
}

fn to_key_set(data: &AgencyData, k: &KeySetRec) -> types::AltoKeySet {
    types::AltoKeySet {
        id: i32::try_from(k.id).ok(),
        property_id: i32::try_from(k.property_id).ok(),
        description: k.description.clone(),
        reference_code: k.reference_code.clone(),
        key_count: Some(k.key_count),
        status: Some(k.status),
        notes: k.notes.clone(),
        holder_type: k.holder.map(|h| h.0),
        holder_id: k.holder.and_then(|h| i32::try_from(h.1).ok()),
        holder_name: k.holder.as_ref().and_then(|h| holder_name(data, h)),
        date_out: k.date_out,
        expected_date_in: k.expected_date_in,
    }
}

/// Checks that a holder names an existing contact or member of staff.
fn check_holder(
    v: &mut Validation,
    data: &AgencyData,
    holder: Option<(types::AltoKeySetHolderType, i64)>,
) {
    if let Some((kind, id)) = holder {
        let exists = match kind {
            types::AltoKeySetHolderType::Contact => data.contacts.contains_key(&id),
            types::AltoKeySetHolderType::User => data.has_negotiator(id),
        };
        v.check(exists, "holderId", || {
            format!("The holder {id} does not exist.")
        });
    }
}

/// `POST /inventory/{inventoryId}/keyset`: 201 with the new key set.
pub(crate) async fn create(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let request: types::AddKeySetRequest = json_body(&body)?;
    let mut data = state.data(&agency);
    let property_id = property(&data, "inventoryId", &id)?.id;
    let mut v = Validation::default();
    let key_count = request.key_count.unwrap_or(1);
    v.check(key_count >= 1, "keyCount", || {
        "keyCount must be at least 1.".into()
    });
    v.check(
        request.holder_type.is_some() == request.holder_id.is_some(),
        "holderId",
        || "holderType and holderId go together.".into(),
    );
    let holder = match (
        request.holder_type.as_ref().and_then(recast),
        request.holder_id,
    ) {
        (Some(kind), Some(id)) => Some((kind, i64::from(id))),
        _ => None,
    };
    check_holder(&mut v, &data, holder);
    v.finish()?;
    let status = request.status.unwrap_or(if holder.is_some() {
        types::KeySetStatus::Out
    } else {
        types::KeySetStatus::In
    });
    let id = data.next_id();
    let key_set = KeySetRec {
        id,
        property_id,
        description: request.description,
        reference_code: request.reference_code,
        key_count,
        status,
        notes: request.notes,
        holder,
        date_out: (status == types::KeySetStatus::Out).then(Utc::now),
        expected_date_in: request.expected_date_in,
    };
    let answer = to_key_set(&data, &key_set);
    data.management.key_sets.insert(id, key_set);
    Ok(created(
        format!("/inventory/{property_id}/keysets"),
        &answer,
    ))
}

/// `GET /inventory/{inventoryId}/keysets`: the property's key sets, oldest first.
pub(crate) async fn list(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
) -> Result<Json<Vec<types::AltoKeySet>>, ApiError> {
    let data = state.data(&agency);
    let property_id = property(&data, "inventoryId", &id)?.id;
    Ok(Json(
        data.management
            .key_sets
            .values()
            .filter(|k| k.property_id == property_id)
            .map(|k| to_key_set(&data, k))
            .collect(),
    ))
}

/// The key set `key_set` of property `property`, as a mutable record; 404 for either unknown.
fn key_set_mut<'a>(
    data: &'a mut AgencyData,
    property: &str,
    key_set: &str,
) -> Result<&'a mut KeySetRec, ApiError> {
    let property_id =
        path_id("inventoryId", property).map_err(|_| missing("Property", property))?;
    let key_set_id = path_id("keySetId", key_set).map_err(|_| missing("Key set", key_set))?;
    if !data.properties.contains_key(&property_id) {
        return Err(missing("Property", property_id));
    }
    data.management
        .key_sets
        .get_mut(&key_set_id)
        .filter(|k| k.property_id == property_id)
        .ok_or_else(|| missing("Key set", key_set_id))
}

/// `PATCH /inventory/{inventoryId}/keyset/{keySetId}`: `replace`/`test` of the key set's fields; 204.
pub(crate) async fn patch(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path((property_id, key_set_id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let document = patch_document(&body, &["replace", "test"])?;
    let mut data = state.data(&agency);
    let mut k = key_set_mut(&mut data, &property_id, &key_set_id)?.clone();
    for op in &document {
        let before = k.clone();
        match op.field().as_str() {
            "description" => k.description = Some(op.string()?),
            "notes" => k.notes = Some(op.string()?),
            "keycount" => {
                let n = op.number()?;
                if n < 1.0 || n.fract() != 0.0 {
                    return Err(ApiError::field(
                        &op.path,
                        "KeyCount must be a whole number, at least 1.",
                    ));
                }
                k.key_count = n as i32;
            }
            "status" => {
                k.status = op.enumerated()?;
                if k.status == types::KeySetStatus::Out && before.status != types::KeySetStatus::Out
                {
                    k.date_out = Some(Utc::now());
                }
            }
            "expecteddatein" => k.expected_date_in = Some(op.date_time()?),
            "holdertype" => {
                let kind: types::AltoKeySetHolderType = op.enumerated()?;
                k.holder = Some((kind, k.holder.map_or(0, |h| h.1)));
            }
            "holderid" => {
                let id = op.number()? as i64;
                let kind = k
                    .holder
                    .map_or(types::AltoKeySetHolderType::Contact, |h| h.0);
                k.holder = Some((kind, id));
            }
            _ => return Err(op.unsupported()),
        }
        if op.op == "test" {
            let same = serde_json::to_value(to_key_set(&data, &before)).ok()
                == serde_json::to_value(to_key_set(&data, &k)).ok();
            if !same {
                return Err(ApiError::field(&op.path, "The current value differs."));
            }
            k = before;
        }
    }
    let mut v = Validation::default();
    check_holder(&mut v, &data, k.holder);
    v.finish()?;
    *key_set_mut(&mut data, &property_id, &key_set_id)? = k;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `DELETE /inventory/{inventoryId}/keyset/{keySetId}`: 204.
pub(crate) async fn delete(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path((property_id, key_set_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let mut data = state.data(&agency);
    let id = key_set_mut(&mut data, &property_id, &key_set_id)?.id;
    data.management.key_sets.remove(&id);
    Ok(StatusCode::NO_CONTENT.into_response())
}
