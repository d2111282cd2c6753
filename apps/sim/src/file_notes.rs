//! File notes: `POST /file-notes`, `GET /file-notes/search?contact-id=`,
//! `GET`/`PATCH /file-notes/{fileNoteId}` (JSON Patch `replace` of `/Title` or `/Notes`), and
//! `GET /inventory/{propertyId}/file-notes`.
//!
//! A note needs text and at least a property or a contact; every id it names must exist; a
//! title is at most 50 characters. The property endpoint answers one note (the latest), as the
//! spec declares.

use alto::raw::types;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use bytes::Bytes;
use chrono::Utc;

use crate::params::Params;
use crate::problem::{json_body, recast, ApiError, Validation};
use crate::simulator::RunningSimulator;
use crate::state::{AgencyKey, AppState};
use crate::store::{AgencyData, FileNoteRec};

const MAX_TITLE_CHARS: usize = 50;

/// A stored note as Alto answers it.
pub(crate) fn to_response(n: &FileNoteRec) -> types::GetFileNoteResponse {
    types::GetFileNoteResponse {
        id: Some(n.id),
        title: n.title.clone(),
        notes: Some(n.notes.clone()),
        contact_ids: Some(
            n.contact_ids
                .iter()
                .filter_map(|&c| i32::try_from(c).ok())
                .collect(),
        ),
        property_id: n.property_id.and_then(|p| i32::try_from(p).ok()),
        created_date: Some(n.created),
        updated_date: n.updated,
        negotiator_id: n.negotiator_id.and_then(|p| i32::try_from(p).ok()),
        file_note_type: Some(n.kind),
    }
}

fn title_ok(title: Option<&str>) -> bool {
    title.is_none_or(|t| t.chars().count() <= MAX_TITLE_CHARS)
}

/// `POST /file-notes`: 201 with the new note's id as the body.
pub(crate) async fn create(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let request: types::CreateFileNoteRequest = json_body(&body)?;
    let mut data = state.data(&agency);
    let mut v = Validation::default();
    let notes = request.notes.clone().unwrap_or_default();
    v.check(!notes.trim().is_empty(), "notes", || {
        "The notes are required.".into()
    });
    v.check(title_ok(request.title.as_deref()), "title", || {
        format!("The title cannot be longer than {MAX_TITLE_CHARS} characters.")
    });
    let mut id_of = |field: &str, raw: &str, exists: &dyn Fn(&AgencyData, i64) -> bool| {
        let id = raw.trim().parse::<i64>().ok().filter(|&i| exists(&data, i));
        v.check(id.is_some(), field, || format!("'{raw}' does not exist."));
        id
    };
    let property_id = request
        .property_id
        .as_deref()
        .and_then(|p| id_of("propertyId", p, &|d, i| d.properties.contains_key(&i)));
    if let Some(t) = request.tenancy_id.as_deref() {
        id_of("tenancyId", t, &|d, i| d.tenancies.contains_key(&i));
    }
    let negotiator_id = request
        .negotiator_id
        .as_deref()
        .and_then(|n| id_of("negotiatorId", n, &|d, i| d.has_negotiator(i)));
    let mut contact_ids = Vec::new();
    for (field, ids) in [
        ("contactIds", &request.contact_ids),
        ("ownerIds", &request.owner_ids),
    ] {
        for raw in ids.iter().flatten() {
            if let Some(id) = id_of(field, raw, &|d, i| d.contacts.contains_key(&i)) {
                if !contact_ids.contains(&id) {
                    contact_ids.push(id);
                }
            }
        }
    }
    let names_something = request.property_id.is_some()
        || request.contact_ids.as_ref().is_some_and(|c| !c.is_empty())
        || request.owner_ids.as_ref().is_some_and(|c| !c.is_empty());
    v.check(names_something, "propertyId", || {
        "A file note must be associated to a property or a contact.".into()
    });
    v.finish()?;
    let kind = request
        .file_note_type
        .as_ref()
        .and_then(recast)
        .unwrap_or(types::GetFileNoteResponseFileNoteType::FileNote);
    let id = data.next_id();
    data.file_notes.insert(
        id,
        FileNoteRec {
            id,
            title: request.title.clone(),
            notes,
            contact_ids,
            property_id,
            negotiator_id,
            kind,
            created: Utc::now(),
            updated: None,
        },
    );
    Ok((StatusCode::CREATED, Json(id)).into_response())
}

fn find<'a>(data: &'a mut AgencyData, raw: &str) -> Result<&'a mut FileNoteRec, ApiError> {
    let id: i64 = raw
        .trim()
        .parse()
        .map_err(|_| ApiError::field("fileNoteId", format!("The value '{raw}' is not valid.")))?;
    data.file_notes
        .get_mut(&id)
        .ok_or_else(|| ApiError::not_found("File note", raw))
}

/// `GET /file-notes/search?contact-id=`: the contact's notes, newest first (every note when no
/// contact is named); 404 for an unknown contact.
pub(crate) async fn search(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    query: RawQuery,
) -> Result<Json<Vec<types::GetFileNoteResponse>>, ApiError> {
    let params = Params::parse(&query)?;
    let contact = params.int("contact-id")?;
    let data = state.data(&agency);
    if let Some(c) = contact {
        if !data.contacts.contains_key(&c) {
            return Err(ApiError::not_found("Contact", c));
        }
    }
    let mut notes: Vec<&FileNoteRec> = data
        .file_notes
        .values()
        .filter(|n| contact.is_none_or(|c| n.contact_ids.contains(&c)))
        .collect();
    notes.sort_by_key(|n| std::cmp::Reverse((n.created, n.id)));
    Ok(Json(notes.into_iter().map(to_response).collect()))
}

/// `GET /file-notes/{fileNoteId}`.
pub(crate) async fn get(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
) -> Result<Json<types::GetFileNoteResponse>, ApiError> {
    let mut data = state.data(&agency);
    find(&mut data, &id).map(|n| Json(to_response(n)))
}

/// `PATCH /file-notes/{fileNoteId}`: `replace` of `/Title` and/or `/Notes`; 200 with no body.
pub(crate) async fn patch(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let ops: Vec<types::FileNotePatchOperation> = json_body(&body)?;
    let mut v = Validation::default();
    v.check(!ops.is_empty(), "$", || {
        "At least one operation is required.".into()
    });
    for (i, op) in ops.iter().enumerate() {
        let value = op.value.as_deref();
        match op.path {
            types::FileNotePatchOperationPath::Title => {
                v.check(title_ok(value), &format!("[{i}].value"), || {
                    format!("The title cannot be longer than {MAX_TITLE_CHARS} characters.")
                });
            }
            types::FileNotePatchOperationPath::Notes => {
                v.check(
                    value.is_some_and(|n| !n.trim().is_empty()),
                    &format!("[{i}].value"),
                    || "The notes cannot be empty.".into(),
                );
            }
        }
    }
    v.finish()?;
    let mut data = state.data(&agency);
    let note = find(&mut data, &id)?;
    for op in ops {
        match op.path {
            types::FileNotePatchOperationPath::Title => note.title = op.value,
            types::FileNotePatchOperationPath::Notes => note.notes = op.value.unwrap_or_default(),
        }
    }
    note.updated = Some(Utc::now());
    Ok(StatusCode::OK.into_response())
}

/// `GET /inventory/{propertyId}/file-notes`: the property's latest note; 404 for an unknown
/// property or one without notes.
pub(crate) async fn by_property(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
) -> Result<Json<types::GetFileNoteResponse>, ApiError> {
    let data = state.data(&agency);
    let property = id
        .trim()
        .parse::<i64>()
        .map_err(|_| ApiError::field("propertyId", format!("The value '{id}' is not valid.")))
        .map(Some)?
        .filter(|p| data.properties.contains_key(p))
        .ok_or_else(|| ApiError::not_found("Property", &id))?;
    data.file_notes
        .values()
        .filter(|n| n.property_id == Some(property))
        .max_by_key(|n| (n.created, n.id))
        .map(|n| Json(to_response(n)))
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "Not Found",
                format!("Property {property} has no file notes"),
            )
        })
}

/// What tests can look at.
impl RunningSimulator {
    /// The agency's file notes, oldest first.
    ///
    /// # Panics
    /// If the agency is not one of this simulator's.
    pub fn file_notes(&self, agency: Option<&str>) -> Vec<types::GetFileNoteResponse> {
        self.with(agency, |d| d.file_notes.values().map(to_response).collect())
    }
}
