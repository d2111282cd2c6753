//! Contact relationships: `GET`/`POST /contacts/{contactId}/relationship` and
//! `DELETE /contacts/{contactId}/relationship/{contactRelationshipId}`.
//!
//! Both contacts must exist; a contact cannot be related to itself; the same relationship twice
//! answers 409 with the existing one's `Location`. None of the three declares 404, so a contact
//! or relationship the agency does not have answers 400 naming it.

use alto::raw::types;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use bytes::Bytes;

use crate::params::Params;
use crate::problem::{json_body, recast, ApiError};
use crate::simulator::RunningSimulator;
use crate::state::{AgencyKey, AppState};
use crate::store::{AgencyData, RelationshipRec};

type Kind = types::ContactRelationshipRelationshipType;

fn contact(data: &AgencyData, raw: &str) -> Result<i64, ApiError> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|id| data.contacts.contains_key(id))
        .ok_or_else(|| {
            ApiError::field(
                "contactId",
                format!("Contact '{raw}' does not exist for this agency."),
            )
        })
}

fn to_item(r: &RelationshipRec) -> types::ContactRelationship {
    types::ContactRelationship {
        relationship_id: i32::try_from(r.id).ok(),
        relationship_type: Some(r.kind),
        related_contact_id: i32::try_from(r.related_contact_id).ok(),
    }
}

fn to_response(r: &RelationshipRec) -> types::ContactRelationshipResponse {
    types::ContactRelationshipResponse {
        id: Some(r.id.to_string()),
        links: Some(vec![types::HateoasLink {
            href: Some(location(r)),
            rel: Some("self".into()),
        }]),
        relationship_type: recast(&r.kind),
        contact_id: Some(r.contact_id.to_string()),
        related_contact_id: Some(r.related_contact_id.to_string()),
    }
}

fn location(r: &RelationshipRec) -> String {
    format!("/contacts/{}/relationship/{}", r.contact_id, r.id)
}

/// `GET /contacts/{contactId}/relationship`, optionally only some `relationshipType`s.
pub(crate) async fn list(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
    query: RawQuery,
) -> Result<Json<types::GetContactRelationshipResponse>, ApiError> {
    let params = Params::parse(&query)?;
    let kinds = params
        .all("relationshipType")
        .into_iter()
        .map(|k| {
            k.parse::<Kind>().map_err(|_| {
                ApiError::field(
                    "relationshipType",
                    format!("'{k}' is not one of TenantGuarantor, ForwardingAddress."),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let data = state.data(&agency);
    let contact_id = contact(&data, &id)?;
    let relationships = data
        .relationships
        .values()
        .filter(|r| r.contact_id == contact_id)
        .filter(|r| kinds.is_empty() || kinds.contains(&r.kind))
        .map(to_item)
        .collect();
    Ok(Json(types::GetContactRelationshipResponse {
        contact_id: i32::try_from(contact_id).ok(),
        relationships: Some(relationships),
    }))
}

/// `POST /contacts/{contactId}/relationship`: 201 with the relationship.
pub(crate) async fn create(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let request: types::PostContactRelationshipRequest = json_body(&body)?;
    let kind: Kind = recast(&request.relationship_type)
        .ok_or_else(|| ApiError::field("relationshipType", "Unknown relationship type."))?;
    let mut data = state.data(&agency);
    let contact_id = contact(&data, &id)?;
    let related_raw = request.related_contact_id.to_string();
    let related = related_raw
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|r| data.contacts.contains_key(r))
        .ok_or_else(|| {
            ApiError::field(
                "relatedContactId",
                format!("Contact '{related_raw}' does not exist."),
            )
        })?;
    if related == contact_id {
        return Err(ApiError::field(
            "relatedContactId",
            "A contact cannot be related to itself.",
        ));
    }
    if let Some(existing) = data
        .relationships
        .values()
        .find(|r| r.contact_id == contact_id && r.related_contact_id == related && r.kind == kind)
    {
        return Err(ApiError::conflict(
            format!(
                "Contact {contact_id} already has this relationship ({}).",
                existing.id
            ),
            location(existing),
        ));
    }
    let rec = RelationshipRec {
        id: data.next_id(),
        contact_id,
        related_contact_id: related,
        kind,
    };
    data.relationships.insert(rec.id, rec.clone());
    let mut r = (StatusCode::CREATED, Json(to_response(&rec))).into_response();
    if let Ok(v) = location(&rec).parse() {
        r.headers_mut().insert(header::LOCATION, v);
    }
    Ok(r)
}

/// `DELETE /contacts/{contactId}/relationship/{contactRelationshipId}`: 200 with the removed
/// relationship; 400 when the contact has no such relationship.
pub(crate) async fn delete(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path((id, relationship)): Path<(String, String)>,
) -> Result<Json<types::ContactRelationshipResponse>, ApiError> {
    let mut data = state.data(&agency);
    let contact_id = contact(&data, &id)?;
    let rid = relationship
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|r| {
            data.relationships
                .get(r)
                .is_some_and(|r| r.contact_id == contact_id)
        })
        .ok_or_else(|| {
            ApiError::field(
                "contactRelationshipId",
                format!("Contact {contact_id} has no relationship '{relationship}'."),
            )
        })?;
    let removed = data.relationships.remove(&rid).expect("checked");
    Ok(Json(to_response(&removed)))
}

/// What tests can look at.
impl RunningSimulator {
    /// The agency's relationships as `(contact id, relationship)`, oldest first.
    ///
    /// # Panics
    /// If the agency is not one of this simulator's.
    pub fn relationships(&self, agency: Option<&str>) -> Vec<(i64, types::ContactRelationship)> {
        self.with(agency, |d| {
            d.relationships
                .values()
                .map(|r| (r.contact_id, to_item(r)))
                .collect()
        })
    }
}
