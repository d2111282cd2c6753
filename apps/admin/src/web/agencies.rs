//! Handlers of the Alto Settings pages: list, edit form, save, audit history. Thin: they read the
//! request, call [`AltoSettings`](crate::settings::AltoSettings) and pick a page.

use axum::extract::{Path, Query, State};
use axum::http::header::LOCATION;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

use super::pages::{
    error_page, render, AgenciesPage, AgencyRow, AuditPage, AuditRow, EditPage, PendingRow,
};
use super::{paths, AdminState};
use crate::auth::SignedIn;
use crate::model::AltoStatus;
use crate::settings::{SettingsError, SettingsUpdate};
use crate::store::{AgencyFilter, PageCursor, PageRequest, RowKey};

/// Query of the list page.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    page: Option<u32>,
    /// Next: the page starts after this row (name and id of the last row of the page before).
    after_name: Option<String>,
    after_id: Option<String>,
    /// Previous: the page ends before this row (name and id of the first row of the page after).
    before_name: Option<String>,
    before_id: Option<String>,
    /// Set after an activation was linked: the agency's internal id.
    linked: Option<String>,
}

impl ListQuery {
    /// The Next/Previous cursor, when both halves of one came with the request.
    fn cursor(&self) -> Option<PageCursor> {
        let key = |name: &Option<String>, id: &Option<String>| {
            Some(RowKey {
                display_name: name.clone()?,
                id: id.clone()?,
            })
        };
        key(&self.after_name, &self.after_id)
            .map(PageCursor::After)
            .or_else(|| key(&self.before_name, &self.before_id).map(PageCursor::Before))
    }
}

/// How many pending activations the list shows.
const PENDING_LIMIT: u32 = 100;

/// `GET /admin/alto-agencies`
pub async fn list(
    State(state): State<AdminState>,
    signed_in: SignedIn,
    Query(query): Query<ListQuery>,
) -> Response {
    let status = query.status.parse::<AltoStatus>().ok();
    let filter = AgencyFilter {
        search: Some(query.q.clone()),
        status,
    };
    let request = PageRequest {
        page: query.page.unwrap_or(1),
        per_page: state.config().per_page,
    };
    let store = state.store();
    let cursor = query.cursor();
    // Two independent reads, on two pooled connections at once.
    let (page, pending) = tokio::join!(
        state.settings().list(&filter, request, cursor.as_ref()),
        store.pending_activations(PENDING_LIMIT)
    );
    let page = match page {
        Ok(page) => page,
        Err(e) => return failure(&e),
    };
    let pending = match pending {
        Ok(pending) => pending,
        Err(e) => return failure(&e.into()),
    };
    // Next and Previous carry the neighbouring row, so the next request seeks instead of
    // counting past every earlier row; page 1 needs no cursor.
    let href = |page_no: u32, cursor: Option<PageCursor>| {
        let mut params = vec![("page", page_no.to_string())];
        match cursor.filter(|_| page_no > 1) {
            Some(PageCursor::After(key)) => {
                params.push(("after_name", key.display_name));
                params.push(("after_id", key.id));
            }
            Some(PageCursor::Before(key)) => {
                params.push(("before_name", key.display_name));
                params.push(("before_id", key.id));
            }
            None => {}
        }
        if !query.q.trim().is_empty() {
            params.push(("q", query.q.clone()));
        }
        if let Some(status) = status {
            params.push(("status", status.key().to_string()));
        }
        format!(
            "/admin/alto-agencies?{}",
            serde_urlencoded::to_string(params).unwrap_or_default()
        )
    };
    let page_count = page.page_count();
    render(
        StatusCode::OK,
        &AgenciesPage {
            chrome: Some((&signed_in).into()),
            q: query.q.clone(),
            status_options: AgenciesPage::status_options(status),
            total: page.total,
            page: page.page,
            page_count,
            rows: page.agencies.iter().map(AgencyRow::from).collect(),
            prev_href: (page.page > 1).then(|| {
                let first = page.agencies.first().map(RowKey::of);
                href(page.page - 1, first.map(PageCursor::Before))
            }),
            next_href: (page.page < page_count).then(|| {
                let last = page.agencies.last().map(RowKey::of);
                href(page.page + 1, last.map(PageCursor::After))
            }),
            csrf: signed_in.csrf_token.clone(),
            pending: pending.iter().map(PendingRow::from).collect(),
            notice: query
                .linked
                .map(|id| format!("Linked the activation to agency {id}.")),
        },
    )
}

/// Query of the edit page.
#[derive(Debug, Deserialize)]
pub struct EditQuery {
    saved: Option<String>,
    /// Set after the agency was added.
    added: Option<String>,
}

/// `GET /admin/alto-agencies/{id}/edit`
pub async fn edit_form(
    State(state): State<AdminState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    Query(query): Query<EditQuery>,
) -> Response {
    match state.settings().agency(&id).await {
        Ok(agency) => {
            let mut page = EditPage::new(&signed_in, &agency);
            if query.saved.is_some() {
                page.notice = Some("Saved.".into());
            }
            if query.added.is_some() {
                page.notice = Some("Agency added.".into());
            }
            render(StatusCode::OK, &page)
        }
        Err(e) => failure(&e),
    }
}

/// What the edit form posts (the gate has already checked its `csrf` field).
#[derive(Debug, Deserialize)]
pub struct EditForm {
    #[serde(default)]
    agency_ref: String,
    /// Present ("on") when the checkbox is ticked.
    use_production: Option<String>,
    version: i64,
}

/// `POST /admin/alto-agencies/{id}/edit`
pub async fn save(
    State(state): State<AdminState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<EditForm>,
) -> Response {
    let update = SettingsUpdate {
        agency_ref: form.agency_ref,
        use_production: form.use_production.is_some(),
        version: form.version,
    };
    match state
        .settings()
        .update(&id, &update, &signed_in.user.username)
        .await
    {
        Ok(agency) => {
            tracing::info!(agency = %agency.id, user = %signed_in.user.username, "Alto settings saved");
            (
                StatusCode::SEE_OTHER,
                [(LOCATION, format!("{}?saved=1", paths::edit(&agency.id)))],
            )
                .into_response()
        }
        Err(e) if e.is_validation() => match state.settings().agency(&id).await {
            // Show what was typed, so the admin can correct it rather than retype it.
            Ok(agency) => {
                let mut page = EditPage::new(&signed_in, &agency);
                page.agency_ref = update.agency_ref;
                page.use_production = update.use_production;
                page.version = update.version;
                page.error = Some(e.to_string());
                render(StatusCode::UNPROCESSABLE_ENTITY, &page)
            }
            Err(e) => failure(&e),
        },
        Err(SettingsError::Conflict { current }) => {
            // Show the agency as it is now; the admin's own value is quoted in the message.
            let mut page = EditPage::new(&signed_in, &current);
            let conflict = SettingsError::Conflict {
                current: current.clone(),
            };
            page.error = Some(format!(
                "{conflict} (You entered AgencyRef \u{201c}{}\u{201d} with production {}.)",
                update.agency_ref.trim(),
                if update.use_production { "on" } else { "off" }
            ));
            render(StatusCode::CONFLICT, &page)
        }
        Err(e) => failure(&e),
    }
}

/// `GET /admin/alto-agencies/{id}/audit`
pub async fn audit(
    State(state): State<AdminState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Response {
    match state.settings().history(&id).await {
        Ok((agency, entries)) => render(
            StatusCode::OK,
            &AuditPage {
                chrome: Some((&signed_in).into()),
                name: agency.display_name.clone(),
                edit_href: paths::edit(&agency.id),
                entries: entries.iter().map(AuditRow::from).collect(),
            },
        ),
        Err(e) => failure(&e),
    }
}

/// Not found → 404; anything else here is a server fault → 500 (logged, details not shown).
pub(super) fn failure(error: &SettingsError) -> Response {
    match error {
        SettingsError::NotFound(_) => {
            error_page(StatusCode::NOT_FOUND, "No such agency", &error.to_string())
        }
        other => {
            tracing::error!(error = %other, "Alto Settings request failed");
            error_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong",
                "The agency store could not be read or written. Try again in a moment.",
            )
        }
    }
}
