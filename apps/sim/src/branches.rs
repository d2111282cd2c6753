//! The agency's branches and negotiators: `GET /branches`, `GET /negotiators`, both paged with
//! `next-token`/`max-results`.

use alto::raw::types;
use axum::extract::{RawQuery, State};
use axum::{Extension, Json};

use crate::paging::{id_key, PageRequest};
use crate::params::Params;
use crate::problem::ApiError;
use crate::state::{AgencyKey, AppState};

/// `GET /branches`.
pub(crate) async fn branches(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    query: RawQuery,
) -> Result<Json<types::BranchPagedResponse>, ApiError> {
    let params = Params::parse(&query)?;
    let page = PageRequest::from_params(&params, "/branches", "next-token", "max-results")?;
    let data = state.data(&agency);
    let items = data
        .branches
        .iter()
        .map(|b| {
            let item = types::Branch {
                branch_id: Some(b.id.to_string()),
                name: Some(b.name.clone()),
                address: Some(b.address.clone()),
                default_market: Some(b.default_market),
                status: Some(types::BranchStatus::Active),
                created_at: Some(b.created),
                modified_at: Some(b.created),
            };
            (id_key(b.id), item)
        })
        .collect();
    let (items, next) = page.page(items);
    Ok(Json(types::BranchPagedResponse {
        items: Some(items),
        meta: Some(types::Meta {
            next_token: next,
            previous_token: None,
        }),
    }))
}

/// `GET /negotiators`.
pub(crate) async fn negotiators(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    query: RawQuery,
) -> Result<Json<types::NegotiatorPagedResponse>, ApiError> {
    let params = Params::parse(&query)?;
    let page = PageRequest::from_params(&params, "/negotiators", "next-token", "max-results")?;
    let data = state.data(&agency);
    let items = data
        .negotiators
        .iter()
        .map(|n| {
            let item = types::Negotiator {
                id: Some(n.id.to_string()),
                name: Some(n.name.clone()),
                title: Some(n.title.clone()),
                email: Some(n.email.clone()),
                phone_number: Some(n.phone.clone()),
                role: Some(n.role.clone()),
                login_name: Some(n.email.clone()),
                authorised_signatory: Some(false),
            };
            (id_key(n.id), item)
        })
        .collect();
    let (items, next) = page.page(items);
    Ok(Json(types::NegotiatorPagedResponse {
        items: Some(items),
        meta: Some(types::Meta {
            next_token: next,
            previous_token: None,
        }),
    }))
}
