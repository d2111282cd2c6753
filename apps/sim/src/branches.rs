//! The agency's branches and negotiators: `GET /branches`, `GET /negotiators` (both paged with
//! `next-token`/`max-results`), `GET /branches/{branchId}`, `GET /negotiators/{negotiatorId}`.

use alto::raw::types;
use axum::extract::{Path, RawQuery, State};
use axum::{Extension, Json};

use crate::paging::{id_key, PageRequest};
use crate::params::Params;
use crate::problem::ApiError;
use crate::state::{AgencyKey, AppState};
use crate::store::{BranchRec, NegotiatorRec};

fn to_branch(b: &BranchRec) -> types::Branch {
    types::Branch {
        branch_id: Some(b.id.to_string()),
        name: Some(b.name.clone()),
        address: Some(b.address.clone()),
        default_market: Some(b.default_market),
        status: Some(types::BranchStatus::Active),
        created_at: Some(b.created),
        modified_at: Some(b.created),
    }
}

fn to_negotiator(n: &NegotiatorRec) -> types::Negotiator {
    types::Negotiator {
        id: Some(n.id.to_string()),
        name: Some(n.name.clone()),
        title: Some(n.title.clone()),
        email: Some(n.email.clone()),
        phone_number: Some(n.phone.clone()),
        role: Some(n.role.clone()),
        login_name: Some(n.email.clone()),
        authorised_signatory: Some(false),
    }
}

/// `GET /branches/{branchId}`: 400 when the id is not a number, 404 when the agency has no
/// such branch.
pub(crate) async fn branch(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
) -> Result<Json<types::Branch>, ApiError> {
    let branch_id: i64 = id
        .trim()
        .parse()
        .map_err(|_| ApiError::field("branchId", format!("'{id}' is not a branch id.")))?;
    let data = state.data(&agency);
    data.branches
        .iter()
        .find(|b| b.id == branch_id)
        .map(|b| Json(to_branch(b)))
        .ok_or_else(|| ApiError::not_found("Branch", branch_id))
}

/// `GET /negotiators/{negotiatorId}`: 404 when the agency has no such negotiator (the
/// operation declares no 400, so an id that is not a number is not found either).
pub(crate) async fn negotiator(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
) -> Result<Json<types::Negotiator>, ApiError> {
    let data = state.data(&agency);
    id.trim()
        .parse::<i64>()
        .ok()
        .and_then(|n| data.negotiators.iter().find(|x| x.id == n))
        .map(|n| Json(to_negotiator(n)))
        .ok_or_else(|| ApiError::not_found("Negotiator", &id))
}

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
        .map(|b| (id_key(b.id), to_branch(b)))
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
        .map(|n| (id_key(n.id), to_negotiator(n)))
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
