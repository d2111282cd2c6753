//! A record's documents: `GET /inventory/{inventoryId}/documents` (filtered by `type` and
//! `fileType`) and `GET /work-orders/{workOrderId}/documents`, both paged with
//! `nextToken`/`maxResults`; and the media and file type of a stored document, which
//! `GET /documents?mediaType=` filters on too.

use alto::raw::types;
use axum::extract::{Path, RawQuery, State};
use axum::{Extension, Json};

use crate::documents::to_document;
use crate::paging::{id_key, PageRequest};
use crate::params::Params;
use crate::problem::ApiError;
use crate::simulator::RunningSimulator;
use crate::state::{AgencyKey, AppState};
use crate::store::DocumentRec;

/// The media type of a stored document: images are photos (a floorplan if the file name says
/// so), everything else a document.
pub(crate) fn media_type(d: &DocumentRec) -> types::MediaType {
    let name = d.file_name.to_ascii_lowercase();
    if d.content_type.starts_with("image/") {
        if name.contains("floorplan") {
            types::MediaType::Floorplan
        } else {
            types::MediaType::Photo
        }
    } else if name.contains("brochure") {
        types::MediaType::Brochure
    } else if name.contains("epc") {
        types::MediaType::Epc
    } else {
        types::MediaType::Document
    }
}

/// The file type of a stored document, from its file name's extension.
pub(crate) fn file_type(d: &DocumentRec) -> Option<types::FileType> {
    let ext = d.file_name.rsplit_once('.')?.1.to_ascii_uppercase();
    let ext = if ext == "JPEG" {
        "JPG".to_string()
    } else {
        ext
    };
    ext.parse().ok()
}

fn listed(
    params: &Params,
    route: &'static str,
    docs: Vec<&DocumentRec>,
) -> Result<Json<types::DocumentPagedResults>, ApiError> {
    let page = PageRequest::from_params(params, route, "nextToken", "maxResults")?;
    let items = docs
        .into_iter()
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

fn parse_all<T: std::str::FromStr>(params: &Params, name: &str) -> Result<Vec<T>, ApiError> {
    params
        .all(name)
        .into_iter()
        .map(|v| {
            v.parse()
                .map_err(|_| ApiError::field(name, format!("The value '{v}' is not valid.")))
        })
        .collect()
}

fn numeric(name: &str, raw: &str) -> Result<i64, ApiError> {
    raw.trim()
        .parse()
        .map_err(|_| ApiError::field(name, format!("The value '{raw}' is not valid.")))
}

/// `GET /inventory/{inventoryId}/documents`.
pub(crate) async fn of_property(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
    query: RawQuery,
) -> Result<Json<types::DocumentPagedResults>, ApiError> {
    let params = Params::parse(&query)?;
    let types: Vec<types::MediaType> = parse_all(&params, "type")?;
    let files: Vec<types::FileType> = parse_all(&params, "fileType")?;
    let property = numeric("inventoryId", &id)?;
    let data = state.data(&agency);
    if !data.properties.contains_key(&property) {
        // The operation declares no 404: an unknown property is its 400.
        return Err(ApiError::field(
            "inventoryId",
            format!("Property {property} does not exist for this agency."),
        ));
    }
    let docs = data
        .documents
        .values()
        .filter(|d| d.linked_type == "Property" && d.linked_id == property)
        .filter(|d| types.is_empty() || types.contains(&media_type(d)))
        .filter(|d| files.is_empty() || file_type(d).is_some_and(|f| files.contains(&f)))
        .collect();
    listed(&params, "/inventory/{inventoryId}/documents", docs)
}

/// `GET /work-orders/{workOrderId}/documents`.
pub(crate) async fn of_work_order(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
    query: RawQuery,
) -> Result<Json<types::DocumentPagedResults>, ApiError> {
    let params = Params::parse(&query)?;
    let work_order = numeric("workOrderId", &id)?;
    let data = state.data(&agency);
    if !data.work_orders.contains_key(&work_order) {
        // The operation declares no 404: an unknown works order is its 400.
        return Err(ApiError::field(
            "workOrderId",
            format!("Works order {work_order} does not exist for this agency."),
        ));
    }
    let docs = data
        .documents
        .values()
        .filter(|d| d.linked_type == "WorkOrder" && d.linked_id == work_order)
        .collect();
    listed(&params, "/work-orders/{workOrderId}/documents", docs)
}

/// What tests can look at.
impl RunningSimulator {
    /// The ids of the agency's works orders.
    ///
    /// # Panics
    /// If the agency is not one of this simulator's.
    pub fn work_orders(&self, agency: Option<&str>) -> Vec<i64> {
        self.with(agency, |d| d.work_orders.keys().copied().collect())
    }
}
