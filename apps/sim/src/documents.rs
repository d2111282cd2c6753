//! Documents: `POST /documents/post` (multipart: `fileToUpload`, `linkedType`, `linkedId`),
//! `GET /documents` (paged with `nextToken`/`maxResults`, filtered by `linkedType`, `linkedId`,
//! `mediaType`), `GET /documents/{documentId}/content`.

use alto::raw::types;
use axum::extract::{Multipart, Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use bytes::Bytes;
use chrono::Utc;

use crate::paging::{id_key, PageRequest};
use crate::params::Params;
use crate::problem::{ApiError, Validation};
use crate::state::{AgencyKey, AppState};
use crate::store::DocumentRec;

/// Largest upload Alto accepts.
pub(crate) const MAX_UPLOAD_BYTES: usize = 30 * 1024 * 1024;

/// The linked types a document can name, in Alto's spelling.
fn canonical_type(raw: &str) -> Option<&'static str> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "contact" => Some("Contact"),
        "property" | "inventory" => Some("Property"),
        "tenancy" => Some("Tenancy"),
        "workorder" | "worksorder" => Some("WorkOrder"),
        _ => None,
    }
}

/// `POST /documents/post`: 200 with `CreateDocumentResponse`.
pub(crate) async fn upload(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    mut form: Multipart,
) -> Result<Json<types::CreateDocumentResponse>, ApiError> {
    let mut file: Option<(String, String, Bytes)> = None;
    let mut linked_type = None;
    let mut linked_id = None;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| ApiError::bad_request(format!("the multipart body is malformed: {e}")))?
    {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "fileToUpload" => {
                let file_name = field.file_name().unwrap_or_default().to_string();
                let content_type = field
                    .content_type()
                    .unwrap_or("application/octet-stream")
                    .to_string();
                let bytes = field.bytes().await.map_err(|e| {
                    ApiError::field("fileToUpload", format!("the file could not be read: {e}"))
                })?;
                file = Some((file_name, content_type, bytes));
            }
            "linkedType" => linked_type = field.text().await.ok(),
            "linkedId" => linked_id = field.text().await.ok(),
            _ => {}
        }
    }
    let mut v = Validation::default();
    v.check(file.is_some(), "fileToUpload", || {
        "A file is required.".into()
    });
    if let Some((name, _, bytes)) = &file {
        v.check(!name.trim().is_empty(), "fileToUpload", || {
            "The file needs a file name.".into()
        });
        v.check(!bytes.is_empty(), "fileToUpload", || {
            "The file is empty.".into()
        });
        v.check(bytes.len() <= MAX_UPLOAD_BYTES, "fileToUpload", || {
            "The file is larger than 30 MB.".into()
        });
    }
    let kind = linked_type.as_deref().and_then(canonical_type);
    v.check(kind.is_some(), "linkedType", || {
        format!(
            "linkedType '{}' is not one of Contact, Property, Tenancy, WorkOrder.",
            linked_type.as_deref().unwrap_or_default()
        )
    });
    let id: Option<i64> = linked_id.as_deref().and_then(|s| s.trim().parse().ok());
    v.check(id.is_some(), "linkedId", || {
        "linkedId must be a number.".into()
    });
    v.finish()?;
    let (Some((file_name, content_type, bytes)), Some(kind), Some(linked)) = (file, kind, id)
    else {
        return Err(ApiError::bad_request("incomplete form"));
    };
    let mut data = state.data(&agency);
    if !data.linkable(kind, linked) {
        return Err(ApiError::field(
            "linkedId",
            format!("{kind} {linked} does not exist."),
        ));
    }
    let id = data.next_id();
    data.documents.insert(
        id,
        DocumentRec {
            id,
            file_name,
            content_type,
            bytes,
            linked_type: kind,
            linked_id: linked,
            created: Utc::now(),
        },
    );
    Ok(Json(types::CreateDocumentResponse { id: Some(id) }))
}

/// `GET /documents`, paged with `nextToken`/`maxResults`; filters `linkedType`, `linkedId`.
pub(crate) async fn list(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    query: RawQuery,
) -> Result<Json<types::DocumentPagedResults>, ApiError> {
    let params = Params::parse(&query)?;
    let page = PageRequest::from_params(&params, "/documents", "nextToken", "maxResults")?;
    let kind = match params.get("linkedType") {
        Some(raw) => Some(canonical_type(raw).ok_or_else(|| {
            ApiError::field("linkedType", format!("linkedType '{raw}' is not valid."))
        })?),
        None => None,
    };
    let linked = params.int("linkedId")?;
    let media: Option<types::MediaType> = params
        .get("mediaType")
        .map(|m| {
            m.parse()
                .map_err(|_| ApiError::field("mediaType", format!("mediaType '{m}' is not valid.")))
        })
        .transpose()?;
    let data = state.data(&agency);
    let items = data
        .documents
        .values()
        .filter(|d| kind.is_none_or(|k| d.linked_type == k))
        .filter(|d| linked.is_none_or(|l| d.linked_id == l))
        .filter(|d| media.is_none_or(|m| crate::record_documents::media_type(d) == m))
        .map(|d| (id_key(d.id), to_document(d)))
        .collect();
    let (items, next) = page.page(items);
    Ok(Json(types::DocumentPagedResults {
        items: Some(items),
        meta: Some(types::Meta {
            next_token: next,
            previous_token: None,
        }),
    }))
}

/// `GET /documents/{documentId}/content`: the bytes as uploaded.
pub(crate) async fn content(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let data = state.data(&agency);
    let doc = id
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(|n| data.documents.get(&n))
        // The operation declares no 404: an unknown document is its 400, naming the id.
        .ok_or_else(|| {
            ApiError::field(
                "documentId",
                format!("Document {id} does not exist for this agency."),
            )
        })?;
    let disposition = format!(
        "attachment; filename=\"{}\"",
        doc.file_name.replace('"', "")
    );
    Ok((
        [
            (header::CONTENT_TYPE, doc.content_type.clone()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        doc.bytes.clone(),
    )
        .into_response())
}

/// A stored document as Alto lists it.
pub(crate) fn to_document(d: &DocumentRec) -> types::Document {
    types::Document {
        id: Some(d.id.to_string()),
        file_name: Some(d.file_name.clone()),
        file_type: Some(d.content_type.clone()),
        type_: Some(d.linked_type.to_string()),
        caption: None,
        created_date: Some(d.created),
        modified_date: Some(d.created),
        url: Some(format!("/documents/{}/content", d.id)),
    }
}
