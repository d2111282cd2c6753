//! The askama pages and the view models they show. askama escapes every value for HTML.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::paths;
use crate::auth::SignedIn;
use crate::model::{Agency, AltoStatus, AuditEntry};
use crate::store::PendingActivation;

/// Header bits of a signed-in page: who, and the token for the logout form.
pub struct Chrome {
    /// Username shown in the header.
    pub username: String,
    /// CSRF token for the logout form.
    pub csrf: String,
}

impl From<&SignedIn> for Chrome {
    fn from(signed_in: &SignedIn) -> Self {
        Self {
            username: signed_in.user.username.clone(),
            csrf: signed_in.csrf_token.clone(),
        }
    }
}

/// Renders a page with a status code; a template error becomes a plain 500.
pub fn render(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the page could not be rendered",
            )
                .into_response()
        }
    }
}

/// A page that only says what went wrong and what to do.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage<'a> {
    /// Header, when the user is known to be signed in.
    pub chrome: Option<Chrome>,
    /// Heading.
    pub title: &'a str,
    /// What to do.
    pub message: &'a str,
}

/// Renders [`ErrorPage`] for someone not (known to be) signed in.
pub fn error_page(status: StatusCode, title: &str, message: &str) -> Response {
    render(
        status,
        &ErrorPage {
            chrome: None,
            title,
            message,
        },
    )
}

/// Renders [`ErrorPage`] with the header of a signed-in user (so they can still sign out).
pub fn signed_in_error_page(
    signed_in: &SignedIn,
    status: StatusCode,
    title: &str,
    message: &str,
) -> Response {
    render(
        status,
        &ErrorPage {
            chrome: Some(signed_in.into()),
            title,
            message,
        },
    )
}

/// The login form.
#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    /// Always `None` (nobody is signed in yet).
    pub chrome: Option<Chrome>,
    /// The double-submit CSRF token.
    pub csrf: String,
    /// Where to go after signing in.
    pub next: String,
    /// The username typed before (after a failed attempt).
    pub username: String,
    /// Why the last attempt failed.
    pub error: Option<String>,
    /// A message that is not an error (after signing out).
    pub notice: Option<String>,
}

/// One status in the filter's drop-down.
pub struct StatusOption {
    /// Query value.
    pub key: &'static str,
    /// Label.
    pub label: &'static str,
    /// Whether it is the current filter.
    pub selected: bool,
}

/// One agency row in the list.
pub struct AgencyRow {
    /// Internal id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// "sandbox" / "production".
    pub environment: &'static str,
    /// Current AgencyRef.
    pub agency_ref: Option<String>,
    /// Status label.
    pub status: &'static str,
    /// Status key (CSS class).
    pub status_key: &'static str,
    /// Link to the edit page.
    pub edit_href: String,
    /// Alto reported the integration deactivated.
    pub deactivated: bool,
}

impl From<&Agency> for AgencyRow {
    fn from(agency: &Agency) -> Self {
        Self {
            id: agency.id.clone(),
            name: agency.display_name.clone(),
            environment: agency.environment().as_str(),
            agency_ref: agency.alto_agency_ref.clone(),
            status: agency.status().label(),
            status_key: agency.status().key(),
            edit_href: paths::edit(&agency.id),
            deactivated: agency.is_deactivated(),
        }
    }
}

/// One pending activation with its Link form.
pub struct PendingRow {
    /// Row id.
    pub id: i64,
    /// The `AgencyRef` Alto issued.
    pub agency_ref: String,
    /// Branch id, or "—".
    pub branch_id: String,
    /// When received, `YYYY-MM-DD HH:MM:SS UTC`.
    pub received: String,
    /// The activation's link page (where its agency is found and linked).
    pub link_href: String,
}

impl From<&PendingActivation> for PendingRow {
    fn from(activation: &PendingActivation) -> Self {
        Self {
            id: activation.id,
            agency_ref: activation.agency_ref.clone(),
            branch_id: activation
                .branch_id
                .clone()
                .unwrap_or_else(|| "\u{2014}".into()),
            received: format_time(activation.received_at_ms),
            link_href: paths::link_activation(activation.id),
        }
    }
}

/// The list of Alto-enabled agencies.
#[derive(Template)]
#[template(path = "agencies.html")]
pub struct AgenciesPage {
    /// Header.
    pub chrome: Option<Chrome>,
    /// Search text.
    pub q: String,
    /// Status filter choices.
    pub status_options: Vec<StatusOption>,
    /// Matching agencies in all.
    pub total: u64,
    /// Current page.
    pub page: u32,
    /// Number of pages.
    pub page_count: u32,
    /// Rows of this page.
    pub rows: Vec<AgencyRow>,
    /// Link to the previous page.
    pub prev_href: Option<String>,
    /// Link to the next page.
    pub next_href: Option<String>,
    /// CSRF token of the page's forms.
    pub csrf: String,
    /// Activations from Alto waiting to be linked.
    pub pending: Vec<PendingRow>,
    /// Success message (after a link).
    pub notice: Option<String>,
}

impl AgenciesPage {
    /// The status options with `selected` marked.
    pub fn status_options(selected: Option<AltoStatus>) -> Vec<StatusOption> {
        AltoStatus::ALL
            .into_iter()
            .map(|status| StatusOption {
                key: status.key(),
                label: status.label(),
                selected: Some(status) == selected,
            })
            .collect()
    }
}

/// The edit form of one agency.
#[derive(Template)]
#[template(path = "edit.html")]
pub struct EditPage {
    /// Header.
    pub chrome: Option<Chrome>,
    /// CSRF token of the form.
    pub csrf: String,
    /// Internal id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// "sandbox" / "production" (as stored).
    pub environment: &'static str,
    /// Status label (as stored).
    pub status: &'static str,
    /// Status key.
    pub status_key: &'static str,
    /// Version the form is based on.
    pub version: i64,
    /// Value of the AgencyRef field.
    pub agency_ref: String,
    /// State of the production checkbox.
    pub use_production: bool,
    /// Success message.
    pub notice: Option<String>,
    /// Why the last save was refused.
    pub error: Option<String>,
    /// Where the form posts.
    pub edit_href: String,
    /// Link to the audit history.
    pub audit_href: String,
    /// Whether the agency uses Alto (its own switch, below the settings).
    pub alto_enabled: bool,
    /// Where the "Alto enabled" switch posts.
    pub alto_enabled_href: String,
}

impl EditPage {
    /// The form showing the agency as stored.
    pub fn new(signed_in: &SignedIn, agency: &Agency) -> Self {
        Self {
            chrome: Some(signed_in.into()),
            csrf: signed_in.csrf_token.clone(),
            id: agency.id.clone(),
            name: agency.display_name.clone(),
            environment: agency.environment().as_str(),
            status: agency.status().label(),
            status_key: agency.status().key(),
            version: agency.version,
            agency_ref: agency.alto_agency_ref.clone().unwrap_or_default(),
            use_production: agency.use_production,
            notice: None,
            error: None,
            edit_href: paths::edit(&agency.id),
            audit_href: paths::audit(&agency.id),
            alto_enabled: agency.alto_enabled,
            alto_enabled_href: paths::alto_enabled(&agency.id),
        }
    }
}

/// One audit line as shown.
pub struct AuditRow {
    /// `YYYY-MM-DD HH:MM:SS UTC`.
    pub when: String,
    /// Username.
    pub who: String,
    /// Human name of the setting.
    pub field: String,
    /// Old value, or "(none)".
    pub old_value: String,
    /// New value, or "(none)".
    pub new_value: String,
}

impl From<&AuditEntry> for AuditRow {
    fn from(entry: &AuditEntry) -> Self {
        let field = match entry.field.as_str() {
            "alto_agency_ref" => "AgencyRef".to_string(),
            "use_production" => "Use Alto in production".to_string(),
            "alto_identifiers" => "Alto identifiers".to_string(),
            "linked_activation" => "Linked activation (notification id)".to_string(),
            crate::store::AUDIT_ALTO_ENABLED => "Alto enabled".to_string(),
            crate::store::AUDIT_CREATED => "Agency added".to_string(),
            other => other.to_string(),
        };
        Self {
            when: format_time(entry.changed_at_ms),
            who: entry.changed_by.clone(),
            field,
            old_value: entry.old_value.clone().unwrap_or_else(|| "(none)".into()),
            new_value: entry.new_value.clone().unwrap_or_else(|| "(none)".into()),
        }
    }
}

/// The audit history of one agency.
#[derive(Template)]
#[template(path = "audit.html")]
pub struct AuditPage {
    /// Header.
    pub chrome: Option<Chrome>,
    /// Agency name.
    pub name: String,
    /// Link back to the edit page.
    pub edit_href: String,
    /// Newest first.
    pub entries: Vec<AuditRow>,
}

/// Unix milliseconds as `YYYY-MM-DD HH:MM:SS UTC`.
pub fn format_time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
        .unwrap_or_else(|| ms.to_string())
}

/// The "Add an agency" form.
#[derive(Template)]
#[template(path = "new_agency.html")]
pub struct NewAgencyPage {
    /// Header.
    pub chrome: Option<Chrome>,
    /// CSRF token of the form.
    pub csrf: String,
    /// Value of the internal id field.
    pub id: String,
    /// Value of the name field.
    pub display_name: String,
    /// State of the "Alto enabled" checkbox.
    pub alto_enabled: bool,
    /// Why the id was refused (shown next to its field).
    pub id_error: Option<String>,
    /// Why the name was refused (shown next to its field).
    pub name_error: Option<String>,
}

impl NewAgencyPage {
    /// The empty form ("Alto enabled" ticked: that is why staff add agencies here).
    pub fn blank(signed_in: &SignedIn) -> Self {
        Self {
            chrome: Some(signed_in.into()),
            csrf: signed_in.csrf_token.clone(),
            id: String::new(),
            display_name: String::new(),
            alto_enabled: true,
            id_error: None,
            name_error: None,
        }
    }

    /// Puts `error`'s message next to the field it is about.
    pub fn field_error(&mut self, error: &crate::staff::StaffChangeError) {
        use crate::staff::StaffChangeError::InvalidName;
        match error {
            InvalidName => self.name_error = Some(error.to_string()),
            _ => self.id_error = Some(error.to_string()),
        }
    }
}
