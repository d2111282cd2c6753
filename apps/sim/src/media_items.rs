//! Media items of a property: `POST /media-item` (`multipart/form-data` or
//! `application/x-www-form-urlencoded`) and `DELETE /media-item/{mediaItemId}`.
//!
//! The form's fields are the request's (`fileToUpload`, `filename`, `linkedType`, `linkedId`,
//! `mediaType`; names case-insensitive and optionally prefixed with `request.`, as ASP.NET binds
//! them). A `Photo`, `Floorplan` or `VirtualTour` joins the listing's gallery, floorplans or
//! virtual-tour images (`GET /listing/property/{propertyId}/images`, under the media id); the
//! other kinds are kept with the property but appear in no listing answer. Deleting removes any
//! media item: an uploaded one, a listing image or a media link.

use alto::raw::types;
use axum::body::to_bytes;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{header, StatusCode};
use axum::routing::{delete, post};
use axum::{Extension, Json, Router};
use bytes::Bytes;
use chrono::Utc;

use crate::documents::MAX_UPLOAD_BYTES;
use crate::problem::{ApiError, Validation};
use crate::sales_store::MediaItemRec;
use crate::state::{AgencyKey, AppState};
use crate::store::{AgencyData, ImageKind, ListingImageRec};

/// The routes of media items.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/media-item", post(create))
        .route("/media-item/{mediaItemId}", delete(remove))
}

/// The fields of a `POST /media-item` form.
#[derive(Debug, Default)]
struct MediaForm {
    file: Option<(Option<String>, Option<String>, Bytes)>,
    file_name: Option<String>,
    linked_type: Option<String>,
    linked_id: Option<String>,
    media_type: Option<String>,
}

impl MediaForm {
    fn set(&mut self, name: &str, value: String) {
        let name = name.to_ascii_lowercase();
        match name.strip_prefix("request.").unwrap_or(&name) {
            "filetoupload" => self.file = Some((None, None, Bytes::from(value))),
            "filename" => self.file_name = Some(value),
            "linkedtype" => self.linked_type = Some(value),
            "linkedid" => self.linked_id = Some(value),
            "mediatype" => self.media_type = Some(value),
            _ => {}
        }
    }

    async fn read(request: Request) -> Result<Self, ApiError> {
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let mut form = Self::default();
        if content_type.starts_with("multipart/form-data") {
            let mut parts = Multipart::from_request(request, &()).await.map_err(|e| {
                ApiError::bad_request(format!("the multipart body is malformed: {e}"))
            })?;
            while let Some(field) = parts.next_field().await.map_err(|e| {
                ApiError::bad_request(format!("the multipart body is malformed: {e}"))
            })? {
                let name = field.name().unwrap_or_default().to_string();
                let bare = name.to_ascii_lowercase();
                if bare.strip_prefix("request.").unwrap_or(&bare) == "filetoupload" {
                    let file_name = field.file_name().map(String::from);
                    let mime = field.content_type().map(String::from);
                    let bytes = field.bytes().await.map_err(|e| {
                        ApiError::bad_request(format!("the file could not be read: {e}"))
                    })?;
                    form.file = Some((file_name, mime, bytes));
                } else {
                    let value = field.text().await.unwrap_or_default();
                    form.set(&name, value);
                }
            }
        } else if content_type.starts_with("application/x-www-form-urlencoded") {
            let body = to_bytes(request.into_body(), MAX_UPLOAD_BYTES)
                .await
                .map_err(|e| ApiError::bad_request(format!("the body could not be read: {e}")))?;
            let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
                .map_err(|e| ApiError::bad_request(format!("the form is malformed: {e}")))?;
            for (name, value) in pairs {
                form.set(&name, value);
            }
        } else {
            return Err(ApiError::bad_request(
                "the body must be multipart/form-data or application/x-www-form-urlencoded",
            ));
        }
        Ok(form)
    }
}

/// A content type from the file name, for parts sent without one.
fn content_type_of(file_name: &str) -> &'static str {
    let ext = file_name
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match ext.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// The listing image kind a media type is shown as, if any.
fn image_kind(media_type: types::MediaType) -> Option<ImageKind> {
    match media_type {
        types::MediaType::Photo => Some(ImageKind::Gallery),
        types::MediaType::Floorplan => Some(ImageKind::Floorplan),
        types::MediaType::VirtualTour => Some(ImageKind::VirtualTour),
        _ => None,
    }
}

/// `POST /media-item`: 200 with the new media id; 400 naming each missing or invalid field;
/// 404 when `linkedId` names no property of the agency.
pub(crate) async fn create(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    request: Request,
) -> Result<Json<types::PostMediaItemResponse>, ApiError> {
    let form = MediaForm::read(request).await?;
    let mut v = Validation::default();
    let linked_type = form
        .linked_type
        .as_deref()
        .map(str::trim)
        .unwrap_or("Property");
    v.check(
        linked_type.eq_ignore_ascii_case("Property"),
        "linkedType",
        || format!("linkedType '{linked_type}' is not one of Property."),
    );
    let linked_id = form
        .linked_id
        .as_deref()
        .and_then(|id| id.trim().parse::<i64>().ok())
        .filter(|id| *id >= 1);
    v.check(linked_id.is_some(), "linkedId", || {
        "linkedId must be a property id of at least 1.".into()
    });
    let raw_type = form
        .media_type
        .as_deref()
        .map(str::trim)
        .unwrap_or_default();
    let media_type: Option<types::MediaType> = raw_type.parse().ok();
    v.check(media_type.is_some(), "mediaType", || {
        format!(
            "mediaType '{raw_type}' is not one of Photo, Floorplan, VirtualTour, File, Document, Brochure, EPC, WebLink."
        )
    });
    let (part_name, part_type, bytes) = form.file.unwrap_or_default();
    v.check(!bytes.is_empty(), "fileToUpload", || {
        "A non-empty fileToUpload is required.".into()
    });
    let file_name = form
        .file_name
        .filter(|n| !n.trim().is_empty())
        .or(part_name)
        .unwrap_or_else(|| "upload".into());
    v.finish()?;
    let (Some(property_id), Some(media_type)) = (linked_id, media_type) else {
        unreachable!("checked above");
    };
    let content_type = part_type
        .filter(|t| !t.is_empty() && t != "application/octet-stream")
        .unwrap_or_else(|| content_type_of(&file_name).into());
    let mut data = state.data(&agency);
    if !data.properties.contains_key(&property_id) {
        return Err(ApiError::not_found("Property", property_id));
    }
    let id = data.next_id();
    let now = Utc::now();
    if let Some(kind) = image_kind(media_type) {
        let (order, has_main) = listing_position(&data, property_id, kind);
        data.listing_images.insert(
            id,
            ListingImageRec {
                id,
                property_id,
                kind,
                order,
                main: kind == ImageKind::Gallery && !has_main,
                content_type: content_type.clone(),
                bytes: bytes.clone(),
                modified: now,
            },
        );
    }
    data.sales.media_items.insert(
        id,
        MediaItemRec {
            property_id,
            media_type,
            file_name,
            content_type,
            bytes,
        },
    );
    Ok(Json(types::PostMediaItemResponse {
        media_id: i32::try_from(id).ok(),
    }))
}

/// The order a new image of `kind` takes (after the others), and whether the listing already
/// has a main image.
fn listing_position(data: &AgencyData, property_id: i64, kind: ImageKind) -> (i32, bool) {
    let mine = data
        .listing_images
        .values()
        .filter(|i| i.property_id == property_id);
    let mut last = 0;
    let mut has_main = false;
    for i in mine {
        has_main |= i.main;
        if i.kind == kind {
            last = last.max(i.order);
        }
    }
    (last + 1, has_main)
}

/// `DELETE /media-item/{mediaItemId}`: 204; 404 when the id names no media item, image or media
/// link of the agency (the operation declares no 400, so an id that is not a number is a 404
/// too).
pub(crate) async fn remove(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let mut data = state.data(&agency);
    let Some(id) = id.trim().parse::<i32>().ok().map(i64::from) else {
        return Err(ApiError::not_found("Media item", id));
    };
    let image = data.listing_images.remove(&id).is_some();
    let link = data.media_links.remove(&id).is_some();
    let item = data.sales.media_items.remove(&id).is_some();
    if image || link || item {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("Media item", id))
    }
}

/// What tests can look at.
impl crate::simulator::RunningSimulator {
    /// The media items uploaded with `POST /media-item`: `(media id, property id, media type,
    /// file name, content type, bytes)`.
    ///
    /// # Panics
    /// If the agency is not one of this simulator's.
    pub fn media_items(
        &self,
        agency: Option<&str>,
    ) -> Vec<(i64, i64, types::MediaType, String, String, Bytes)> {
        self.with(agency, |d| {
            d.sales
                .media_items
                .iter()
                .map(|(id, m)| {
                    (
                        *id,
                        m.property_id,
                        m.media_type,
                        m.file_name.clone(),
                        m.content_type.clone(),
                        m.bytes.clone(),
                    )
                })
                .collect()
        })
    }
}
