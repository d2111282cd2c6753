//! A contact's consent: `GET`/`POST /contacts/{contactId}/preferences`, and
//! `GET /opt-out-status/{linkedType}/{linkedId}`, which reads it.
//!
//! A posted preference replaces the contact's earlier answer of the same type (its version goes
//! up). A contact is opted out of marketing while its `GeneralMarketing` preference is
//! `Denied`; a property is never opted out.

use alto::raw::types;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use bytes::Bytes;
use chrono::Utc;

use crate::contact_records::PreferenceRec;
use crate::problem::{json_body, recast, ApiError, Validation};
use crate::state::{AgencyKey, AppState};
use crate::store::AgencyData;

/// The agency group every record belongs to (the simulator has one group per agency).
const GROUP_ID: i32 = 1;

fn to_preference(p: &PreferenceRec) -> types::ContactConsentPreference {
    types::ContactConsentPreference {
        id: i32::try_from(p.id).ok(),
        contact_id: i32::try_from(p.contact_id).ok(),
        record_id: i32::try_from(p.contact_id).ok(),
        group_id: Some(GROUP_ID),
        type_: Some(p.kind),
        opt_in_status: Some(p.status),
        additional_information: p.notes.clone(),
        date_actioned: Some(p.actioned),
        actioned_by: Some(p.actioned_by.clone()),
        version_number: Some(p.version),
    }
}

fn parse_contact(raw: &str) -> Result<i64, ApiError> {
    raw.trim()
        .parse()
        .map_err(|_| ApiError::field("contactId", format!("'{raw}' is not a contact id.")))
}

/// `GET /contacts/{contactId}/preferences`: the contact's consent answers, one per type.
pub(crate) async fn list(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
) -> Result<Json<Vec<types::ContactConsentPreference>>, ApiError> {
    let contact = parse_contact(&id)?;
    let data = state.data(&agency);
    if !data.contacts.contains_key(&contact) {
        return Err(ApiError::not_found("Contact", contact));
    }
    Ok(Json(
        data.contact_family
            .preferences
            .iter()
            .filter(|p| p.contact_id == contact)
            .map(to_preference)
            .collect(),
    ))
}

/// `POST /contacts/{contactId}/preferences`: 200, no body. The operation declares no 404, so
/// a contact the agency does not have answers 400.
pub(crate) async fn record(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let contact = parse_contact(&id)?;
    let request: types::PostContactConsentPreferencesRequest = json_body(&body)?;
    let items = request.items.unwrap_or_default();
    let mut v = Validation::default();
    v.check(!items.is_empty(), "items", || {
        "At least one preference is required.".into()
    });
    let mut answers = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let kind: Option<types::ContactConsentPreferenceType> =
            item.type_.as_ref().and_then(recast);
        let status: Option<types::ContactConsentPreferenceOptInStatus> =
            item.opt_in.as_ref().and_then(recast);
        v.check(kind.is_some(), &format!("items[{i}].type"), || {
            "The preference type is required.".into()
        });
        v.check(status.is_some(), &format!("items[{i}].optIn"), || {
            "optIn is required (Granted or Denied).".into()
        });
        v.check(
            kind.is_none_or(|k| !answers.iter().any(|(other, _, _)| *other == k)),
            &format!("items[{i}].type"),
            || "Each preference type can be answered once per request.".into(),
        );
        if let (Some(kind), Some(status)) = (kind, status) {
            answers.push((kind, status, item.notes.clone()));
        }
    }
    v.finish()?;
    let mut data = state.data(&agency);
    if !data.contacts.contains_key(&contact) {
        return Err(ApiError::field(
            "contactId",
            format!("Contact {contact} does not exist for this agency."),
        ));
    }
    let now = Utc::now();
    for (kind, status, notes) in answers {
        let previous = data
            .contact_family
            .preferences
            .iter()
            .position(|p| p.contact_id == contact && p.kind == kind);
        let version = previous.map_or(1, |i| data.contact_family.preferences[i].version + 1);
        let id = match previous {
            Some(i) => data.contact_family.preferences.remove(i).id,
            None => data.next_id(),
        };
        data.contact_family.preferences.push(PreferenceRec {
            id,
            contact_id: contact,
            kind,
            status,
            notes,
            actioned: now,
            actioned_by: "API".into(),
            version,
        });
    }
    if let Some(c) = data.contacts.get_mut(&contact) {
        c.modified = now;
    }
    Ok(StatusCode::OK)
}

/// The marketing opt-out of a contact: when its `GeneralMarketing` answer is `Denied`.
fn contact_opt_out(data: &AgencyData, contact: i64) -> Option<chrono::DateTime<Utc>> {
    data.contact_family
        .preferences
        .iter()
        .find(|p| {
            p.contact_id == contact
                && p.kind == types::ContactConsentPreferenceType::GeneralMarketing
                && p.status == types::ContactConsentPreferenceOptInStatus::Denied
        })
        .map(|p| p.actioned)
}

/// `GET /opt-out-status/{linkedType}/{linkedId}` for a `Contact` or a `Property`; another
/// record type, or an id that is not a number, answers 400; a record the agency does not have,
/// 404.
pub(crate) async fn opt_out_status(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path((linked_type, linked_id)): Path<(String, String)>,
) -> Result<Json<types::OptOutResponse>, ApiError> {
    let kind = linked_type
        .parse::<types::ModelType>()
        .ok()
        .filter(|k| matches!(k, types::ModelType::Contact | types::ModelType::Property))
        .ok_or_else(|| {
            ApiError::field(
                "linkedType",
                format!("'{linked_type}' is not a record type with an opt-out status (Contact, Property)."),
            )
        })?;
    let id: i64 = linked_id
        .trim()
        .parse()
        .map_err(|_| ApiError::field("linkedId", format!("'{linked_id}' is not a record id.")))?;
    let data = state.data(&agency);
    let opted_out = match kind {
        types::ModelType::Contact if data.contacts.contains_key(&id) => contact_opt_out(&data, id),
        types::ModelType::Property if data.properties.contains_key(&id) => None,
        _ => return Err(ApiError::not_found(&linked_type, id)),
    };
    Ok(Json(types::OptOutResponse {
        linked_id: Some(id),
        linked_type: Some(kind),
        opt_out_status: Some(if opted_out.is_some() {
            types::EntityOptOutStatus::OptedOut
        } else {
            types::EntityOptOutStatus::OptedIn
        }),
        opted_out_at: opted_out,
        opted_out_by: None,
    }))
}
