//! Linking a pending activation: a page per activation that finds the agency with a search box
//! (ten thousand agencies do not fit in a drop-down), and the post that links it through the
//! settings service's one transaction.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header::LOCATION;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

use super::agencies::failure;
use super::pages::{format_time, render, signed_in_error_page, Chrome};
use super::{paths, AdminState};
use crate::auth::SignedIn;
use crate::model::Agency;
use crate::settings::SettingsError;
use crate::store::PendingActivation;

/// How many matching agencies the page offers; a search narrows them further.
const CANDIDATE_LIMIT: u32 = 25;

/// An agency the page offers, with its own Link form.
pub struct Candidate {
    /// Internal id (what the form posts).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Status label.
    pub status: &'static str,
    /// The version the form is based on (a change since is refused, as on the edit page).
    pub version: i64,
    /// Whether it already holds this activation's `AgencyRef` (another branch of its group).
    pub holds_this_ref: bool,
}

impl From<&Agency> for Candidate {
    fn from(agency: &Agency) -> Self {
        Self {
            id: agency.id.clone(),
            name: agency.display_name.clone(),
            status: agency.status().label(),
            version: agency.version,
            holds_this_ref: agency.alto_agency_ref.is_some(),
        }
    }
}

/// The link page of one pending activation.
#[derive(Template)]
#[template(path = "link.html")]
pub struct LinkPage {
    /// Header.
    pub chrome: Option<Chrome>,
    /// CSRF token of the Link forms.
    pub csrf: String,
    /// The `AgencyRef` Alto issued.
    pub agency_ref: String,
    /// Branch id, or "—".
    pub branch_id: String,
    /// When received.
    pub received: String,
    /// This page (the search form's target and the Link forms' too).
    pub link_href: String,
    /// The search text.
    pub q: String,
    /// Matching agencies.
    pub candidates: Vec<Candidate>,
    /// Why the last link was refused.
    pub error: Option<String>,
    /// The edit page of the agency the refusal is about, when changing it there is the way on.
    pub edit_href: Option<String>,
}

/// Query of the link page.
#[derive(Debug, Deserialize)]
pub struct LinkQuery {
    #[serde(default)]
    q: String,
}

/// `GET /admin/alto-agencies/activations/{id}/link`
pub async fn form(
    State(state): State<AdminState>,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    Query(query): Query<LinkQuery>,
) -> Response {
    page(&state, &signed_in, id, &query.q, StatusCode::OK, None).await
}

/// What a Link form posts (the gate has already checked `csrf`).
#[derive(Debug, Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    agency_id: String,
    /// The agency's version when the page was opened; blank takes the current one.
    #[serde(default)]
    version: String,
}

/// `POST /admin/alto-agencies/activations/{id}/link`: links the activation to the chosen agency
/// in one transaction (claimed only if still pending, never over a different AgencyRef,
/// version-checked, audited).
pub async fn link(
    State(state): State<AdminState>,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<LinkForm>,
) -> Response {
    let username = &signed_in.user.username;
    let version = form.version.trim().parse::<i64>().ok();
    match state
        .settings()
        .link_activation(id, &form.agency_id, version, username)
        .await
    {
        Ok(agency) => {
            tracing::info!(agency = %agency.id, user = %username, "Alto activation linked");
            let query = serde_urlencoded::to_string([("linked", &agency.id)]).unwrap_or_default();
            (
                StatusCode::SEE_OTHER,
                [(LOCATION, format!("/admin/alto-agencies?{query}"))],
            )
                .into_response()
        }
        Err(e @ SettingsError::ActivationNotPending(_)) => signed_in_error_page(
            &signed_in,
            StatusCode::CONFLICT,
            "Not linked",
            &e.to_string(),
        ),
        Err(e @ SettingsError::NotFound(_)) => {
            let refusal = Refusal::new(&e, None);
            page(
                &state,
                &signed_in,
                id,
                "",
                StatusCode::NOT_FOUND,
                Some(refusal),
            )
            .await
        }
        Err(SettingsError::AgencyHasOtherRef { agency }) => {
            let edit = paths::edit(&agency.id);
            let e = SettingsError::AgencyHasOtherRef { agency };
            let refusal = Refusal::new(&e, Some(edit));
            page(
                &state,
                &signed_in,
                id,
                "",
                StatusCode::CONFLICT,
                Some(refusal),
            )
            .await
        }
        Err(SettingsError::AgencyRefHeldElsewhere(holder)) => {
            let edit = paths::edit(&holder);
            let e = SettingsError::AgencyRefHeldElsewhere(holder);
            let refusal = Refusal::new(&e, Some(edit));
            page(
                &state,
                &signed_in,
                id,
                "",
                StatusCode::CONFLICT,
                Some(refusal),
            )
            .await
        }
        Err(e @ SettingsError::Conflict { .. }) => {
            let refusal = Refusal::new(&e, None);
            page(
                &state,
                &signed_in,
                id,
                "",
                StatusCode::CONFLICT,
                Some(refusal),
            )
            .await
        }
        Err(e) if e.is_validation() => {
            let refusal = Refusal::new(&e, None);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            page(&state, &signed_in, id, "", status, Some(refusal)).await
        }
        Err(e) => failure(&e),
    }
}

/// Why a link was refused, and the edit page that offers the way on (if any).
struct Refusal {
    message: String,
    edit_href: Option<String>,
}

impl Refusal {
    fn new(error: &SettingsError, edit_href: Option<String>) -> Self {
        Self {
            message: error.to_string(),
            edit_href,
        }
    }
}

/// The link page of activation `id`, its candidates matching `q`.
async fn page(
    state: &AdminState,
    signed_in: &SignedIn,
    id: i64,
    q: &str,
    status: StatusCode,
    refusal: Option<Refusal>,
) -> Response {
    let store = state.store();
    let activation = match store.activation(id).await {
        Ok(Some(activation)) if activation.linked_agency_id.is_none() => activation,
        Ok(_) => {
            let e = SettingsError::ActivationNotPending(id);
            return signed_in_error_page(
                signed_in,
                StatusCode::NOT_FOUND,
                "Not pending",
                &e.to_string(),
            );
        }
        Err(e) => return failure(&e.into()),
    };
    let candidates = match store
        .link_candidates(&activation.agency_ref, q, CANDIDATE_LIMIT)
        .await
    {
        Ok(candidates) => candidates,
        Err(e) => return failure(&e.into()),
    };
    let (error, edit_href) = match refusal {
        Some(refusal) => (Some(refusal.message), refusal.edit_href),
        None => (None, None),
    };
    render(
        status,
        &LinkPage {
            chrome: Some(signed_in.into()),
            csrf: signed_in.csrf_token.clone(),
            agency_ref: activation.agency_ref.clone(),
            branch_id: branch_label(&activation),
            received: format_time(activation.received_at_ms),
            link_href: paths::link_activation(activation.id),
            q: q.to_string(),
            candidates: candidates.iter().map(Candidate::from).collect(),
            error,
            edit_href,
        },
    )
}

fn branch_label(activation: &PendingActivation) -> String {
    activation
        .branch_id
        .clone()
        .unwrap_or_else(|| "\u{2014}".into())
}
