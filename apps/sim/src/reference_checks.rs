//! Reference checks: `GET /ReferenceChecks` (paged with `NextToken`/`MaxResults`, filtered by
//! `CreatedFrom`/`CreatedTo`) and `PATCH /ReferenceChecks/{referenceCheckId}`.

use alto::raw::types;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use bytes::Bytes;
use chrono::Utc;

use crate::paging::PageRequest;
use crate::params::Params;
use crate::problem::{json_body, ApiError};
use crate::state::{AgencyKey, AppState};
use crate::store::ReferenceCheckRec;

/// `GET /ReferenceChecks`, oldest first.
pub(crate) async fn list(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    query: RawQuery,
) -> Result<Json<types::ReferenceCheckPagedResultsDto>, ApiError> {
    let params = Params::parse(&query)?;
    let page = PageRequest::from_params(&params, "/ReferenceChecks", "NextToken", "MaxResults")?;
    let from = params.date_time("CreatedFrom")?;
    let to = params.date_time("CreatedTo")?;
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(ApiError::field(
                "CreatedTo",
                "CreatedTo is before CreatedFrom.",
            ));
        }
    }
    let data = state.data(&agency);
    let mut checks: Vec<&ReferenceCheckRec> = data
        .reference_checks
        .iter()
        .filter(|c| from.is_none_or(|f| c.created >= f) && to.is_none_or(|t| c.created <= t))
        .collect();
    checks.sort_unstable_by_key(|c| (c.created, c.id));
    // Keys sort as (created, id): micros offset into u64 range, zero-padded.
    let key = |c: &&ReferenceCheckRec| {
        let micros = (c.created.timestamp_micros() as u64) ^ (1 << 63);
        format!("{micros:020}|{}", c.id)
    };
    let (page, next) = page.page_sorted(&checks, key);
    let items = page.iter().map(|c| to_dto(c)).collect();
    Ok(Json(types::ReferenceCheckPagedResultsDto {
        items: Some(items),
        meta: Some(types::Meta {
            next_token: next,
            previous_token: None,
        }),
    }))
}

/// `PATCH /ReferenceChecks/{referenceCheckId}`: status `Pending` or `Completed`; 202, empty.
pub(crate) async fn patch(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let id: uuid::Uuid = id.trim().parse().map_err(|_| {
        ApiError::field(
            "referenceCheckId",
            format!("The value '{id}' is not a valid GUID."),
        )
    })?;
    let request: types::PatchReferenceCheckRequest = json_body(&body)?;
    let status = match request.status.as_deref() {
        Some("Pending") => types::ReferenceCheckStatus::Pending,
        Some("Completed") => types::ReferenceCheckStatus::Completed,
        other => {
            return Err(ApiError::field(
                "status",
                format!(
                    "The status '{}' is not supported; use Pending or Completed.",
                    other.unwrap_or_default()
                ),
            ))
        }
    };
    let mut data = state.data(&agency);
    let check = data
        .reference_checks
        .iter_mut()
        .find(|c| c.id == id)
        // The operation declares no 404: an unknown check is a 400 naming the id.
        .ok_or_else(|| {
            ApiError::field(
                "referenceCheckId",
                format!("Reference check {id} does not exist for this agency."),
            )
        })?;
    check.status = status;
    check.modified = Utc::now();
    check.modified_by = Some("alto-sim integration".into());
    Ok(StatusCode::ACCEPTED.into_response())
}

/// A stored reference check as Alto lists it.
pub(crate) fn to_dto(c: &ReferenceCheckRec) -> types::ReferenceCheckDto {
    types::ReferenceCheckDto {
        reference_check_id: Some(c.id),
        tenancy_id: i32::try_from(c.tenancy_id).ok(),
        tenant_id: Some(c.tenant_id.to_string()),
        status: Some(c.status),
        created_date: Some(c.created),
        modified_date: Some(c.modified),
        modified_by: c.modified_by.clone(),
        created_by_id: Some(1),
    }
}
