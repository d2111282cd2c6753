//! Handlers of the staff changes: the "Add an agency" page and the "Alto enabled" switch on the
//! edit page. Thin: they read the form, call [`crate::staff`] and pick a page.

use axum::extract::{Path, State};
use axum::http::header::LOCATION;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

use super::pages::{error_page, render, signed_in_error_page, NewAgencyPage};
use super::{paths, AdminState};
use crate::auth::SignedIn;
use crate::staff::{AgencyDraft, StaffChangeError};

/// `GET /admin/alto-agencies/new`
pub async fn new_form(signed_in: SignedIn) -> Response {
    render(StatusCode::OK, &NewAgencyPage::blank(&signed_in))
}

/// What the "Add an agency" form posts (the gate has already checked `csrf`).
#[derive(Debug, Deserialize)]
pub struct NewAgencyForm {
    #[serde(default)]
    id: String,
    #[serde(default)]
    display_name: String,
    /// Present ("on") when the checkbox is ticked.
    alto_enabled: Option<String>,
}

/// `POST /admin/alto-agencies/new`
pub async fn add(
    State(state): State<AdminState>,
    signed_in: SignedIn,
    Form(form): Form<NewAgencyForm>,
) -> Response {
    let draft = AgencyDraft {
        id: form.id,
        display_name: form.display_name,
        alto_enabled: form.alto_enabled.is_some(),
    };
    let username = &signed_in.user.username;
    match state.settings().add_agency(&draft, username).await {
        Ok(agency) => {
            tracing::info!(agency = %agency.id, user = %username, "agency added");
            let to = format!("{}?added=1", paths::edit(&agency.id));
            (StatusCode::SEE_OTHER, [(LOCATION, to)]).into_response()
        }
        Err(e) if e.is_validation() => {
            let mut page = NewAgencyPage::blank(&signed_in);
            page.field_error(&e);
            page.id = draft.id;
            page.display_name = draft.display_name;
            page.alto_enabled = draft.alto_enabled;
            render(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => failure(&signed_in, &e),
    }
}

/// What the "Alto enabled" switch posts.
#[derive(Debug, Deserialize)]
pub struct AltoEnabledForm {
    /// "on" to enable, anything else (or absent) to disable.
    #[serde(default)]
    enabled: String,
    version: i64,
}

/// `POST /admin/alto-agencies/{id}/alto-enabled`
pub async fn set_alto_enabled(
    State(state): State<AdminState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<AltoEnabledForm>,
) -> Response {
    let enabled = form.enabled == "on";
    let username = &signed_in.user.username;
    match state
        .settings()
        .set_alto_enabled(&id, enabled, Some(form.version), username)
        .await
    {
        Ok(agency) => {
            tracing::info!(agency = %agency.id, user = %username, enabled, "Alto enabled switched");
            let to = format!("{}?saved=1", paths::edit(&agency.id));
            (StatusCode::SEE_OTHER, [(LOCATION, to)]).into_response()
        }
        Err(e) => failure(&signed_in, &e),
    }
}

fn failure(signed_in: &SignedIn, error: &StaffChangeError) -> Response {
    match error {
        StaffChangeError::NotFound(_) => {
            error_page(StatusCode::NOT_FOUND, "No such agency", &error.to_string())
        }
        StaffChangeError::Conflict => signed_in_error_page(
            signed_in,
            StatusCode::CONFLICT,
            "Not saved",
            &error.to_string(),
        ),
        other => {
            tracing::error!(error = %other, "staff change failed");
            error_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong",
                "The agency store could not be written. Try again in a moment.",
            )
        }
    }
}
