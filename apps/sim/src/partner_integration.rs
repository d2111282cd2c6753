//! The partner integration: `GET /partners/integration` (what the agency enabled, with its
//! branches) and `POST /partners/integration/status` (the partner reports `Pending` or
//! `Active`). The reported status shows in the integration's `agencyIntegrationData`.

use alto::raw::types;
use axum::extract::State;
use axum::{Extension, Json};
use bytes::Bytes;
use chrono::Utc;
use serde_json::json;

use crate::contact_records::IntegrationRec;
use crate::problem::{json_body, ApiError};
use crate::state::{AgencyKey, AppState};

fn status_data(i: &IntegrationRec) -> serde_json::Value {
    json!({
        "partnerIntegrationStatus": i.status,
        "partnerIntegrationStatusDescription": i.status_description,
        "partnerIntegrationStatusUpdatedOn": i.status_updated,
    })
}

/// `GET /partners/integration`.
pub(crate) async fn get(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
) -> Json<types::IntegrationStateResponse> {
    let data = state.data(&agency);
    let i = &data.contact_family.integration;
    let branches = data
        .branches
        .iter()
        .map(|b| types::IntegrationBranchResponse {
            branch_id: i32::try_from(b.id).ok(),
            branch_name: Some(b.name.clone()),
            branch_ref: Some(format!("BR-{}", b.id)),
            branch_address: Some(types::BranchAddressResponse {
                name_number: b.address.name_number.clone(),
                street: b.address.street.clone(),
                town: b.address.town.clone(),
                county: b.address.county.clone(),
                post_code: b.address.postcode.clone(),
                locality: b.address.locality.clone(),
                sub_dwelling: b.address.sub_dwelling.clone(),
            }),
            integration_data: None,
            overrides_agency_integration_data: Some(false),
        })
        .collect();
    Json(types::IntegrationStateResponse {
        integration_id: Some(i.id),
        integration_name: Some(i.name.clone()),
        agency_name: Some(i.agency_name.clone()),
        requested_by: Some(i.requested_by.clone()),
        agency_integration_data: Some(status_data(i)),
        branches: Some(branches),
    })
}

/// `POST /partners/integration/status`: 200 with what was recorded; a status other than
/// `Pending` or `Active` answers 400.
pub(crate) async fn set_status(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    body: Bytes,
) -> Result<Json<types::UpdateIntegrationStatusResponse>, ApiError> {
    let request: types::UpdateIntegrationStatusRequest = json_body(&body)?;
    let raw = request.partner_integration_status.unwrap_or_default();
    let status = raw
        .trim()
        .parse::<types::PartnerIntegrationStatus>()
        .map_err(|_| {
            ApiError::field(
                "partnerIntegrationStatus",
                format!("'{raw}' is not Pending or Active."),
            )
        })?;
    let mut data = state.data(&agency);
    let branch_ids: Vec<i32> = data
        .branches
        .iter()
        .filter_map(|b| i32::try_from(b.id).ok())
        .collect();
    let now = Utc::now();
    let i = &mut data.contact_family.integration;
    i.status = status;
    i.status_description = request.partner_integration_status_description.clone();
    i.status_updated = now;
    Ok(Json(types::UpdateIntegrationStatusResponse {
        partner_integration_status: Some(status),
        partner_integration_status_description: request.partner_integration_status_description,
        partner_integration_status_updated_on: Some(now),
        updated_record_count: i32::try_from(branch_ids.len()).ok(),
        updated_branch_ids: Some(branch_ids),
    }))
}
