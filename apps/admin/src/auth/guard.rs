//! The gate in front of every admin route: session (401 / redirect to login), role (403), and on
//! every state-changing request the session's CSRF token (403).
//!
//! It is a route layer rather than per-handler code so a new admin route cannot forget a check.

use axum::body::{to_bytes, Body};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{CONTENT_TYPE, LOCATION};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::cookies::read_cookie;
use super::tokens::{constant_time_eq, token_hash};
use crate::model::{Role, User};
use crate::web::pages::{error_page, signed_in_error_page};
use crate::web::AdminState;

/// Largest form body the gate reads to find the CSRF token.
const MAX_FORM_BYTES: usize = 64 * 1024;
const FORBIDDEN_TITLE: &str = "Admins only";
const FORBIDDEN_MESSAGE: &str =
    "Your account does not have the admin role, which Alto Settings requires.";
/// Name of the hidden form field carrying the CSRF token.
pub const CSRF_FIELD: &str = "csrf";

/// The signed-in user of this request, put there by the gate.
#[derive(Clone)]
pub struct SignedIn {
    /// Who is signed in.
    pub user: User,
    /// The session's CSRF token, for the forms on the page.
    pub csrf_token: String,
    /// The session token (only used to end the session on logout).
    pub(crate) session_token: String,
}

impl std::fmt::Debug for SignedIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignedIn")
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// Why the gate turned a request away.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthRejection {
    /// No valid session on a page load: go to the login page, then come back to `next`.
    LoginRequired {
        /// Where to return after signing in.
        next: String,
    },
    /// No valid session on a form post or other non-GET request.
    Unauthenticated,
    /// Signed in, but without the admin role.
    Forbidden,
    /// A state-changing request without this session's CSRF token.
    CsrfRejected,
    /// The form body could not be read.
    BadBody,
    /// The store failed while checking the session.
    Internal,
}

impl IntoResponse for AuthRejection {
    fn into_response(self) -> Response {
        match self {
            AuthRejection::LoginRequired { next } => {
                let query = serde_urlencoded::to_string([("next", next)]).unwrap_or_default();
                (StatusCode::SEE_OTHER, [(LOCATION, format!("/admin/login?{query}"))]).into_response()
            }
            AuthRejection::Unauthenticated => error_page(
                StatusCode::UNAUTHORIZED,
                "Sign in required",
                "Your session has ended or you are not signed in. Sign in and try again.",
            ),
            AuthRejection::Forbidden => {
                error_page(StatusCode::FORBIDDEN, FORBIDDEN_TITLE, FORBIDDEN_MESSAGE)
            }
            AuthRejection::CsrfRejected => error_page(
                StatusCode::FORBIDDEN,
                "Form expired",
                "This form did not carry a valid security token (it may be from an old page or another site). Reload the page and try again.",
            ),
            AuthRejection::BadBody => error_page(
                StatusCode::BAD_REQUEST,
                "Unreadable form",
                "The form could not be read. Reload the page and try again.",
            ),
            AuthRejection::Internal => error_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong",
                "The session could not be checked. Try again in a moment.",
            ),
        }
    }
}

/// Route layer for admin pages: signed in, admin role, CSRF on every non-GET request.
pub async fn require_admin(
    State(state): State<AdminState>,
    request: Request,
    next: Next,
) -> Response {
    gate(&state, request, next, true).await
}

/// Route layer for pages any signed-in user may use (logout): signed in, CSRF on non-GET.
pub async fn require_session(
    State(state): State<AdminState>,
    request: Request,
    next: Next,
) -> Response {
    gate(&state, request, next, false).await
}

async fn gate(state: &AdminState, request: Request, next: Next, admin_only: bool) -> Response {
    let (mut parts, body) = request.into_parts();
    let signed_in = match session_of(state, &parts.headers).await {
        Ok(Some(signed_in)) => signed_in,
        Ok(None) => return unauthenticated(&parts).into_response(),
        Err(rejection) => return rejection.into_response(),
    };
    if admin_only && signed_in.user.role != Role::Admin {
        // Same words as AuthRejection::Forbidden, with the header so the user can still sign out.
        return signed_in_error_page(
            &signed_in,
            StatusCode::FORBIDDEN,
            FORBIDDEN_TITLE,
            FORBIDDEN_MESSAGE,
        );
    }
    let body = if is_safe(&parts.method) {
        body
    } else {
        let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
            return AuthRejection::BadBody.into_response();
        };
        if !carries_csrf(&parts.headers, &bytes, &signed_in.csrf_token) {
            return AuthRejection::CsrfRejected.into_response();
        }
        Body::from(bytes)
    };
    parts.extensions.insert(signed_in);
    next.run(Request::from_parts(parts, body)).await
}

async fn session_of(
    state: &AdminState,
    headers: &HeaderMap,
) -> Result<Option<SignedIn>, AuthRejection> {
    let Some(token) = read_cookie(headers, &state.config().cookies.session_name()) else {
        return Ok(None);
    };
    let record = state
        .store()
        .active_session(&token_hash(&token), state.config().idle_timeout)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "session lookup failed");
            AuthRejection::Internal
        })?;
    Ok(record.map(|record| SignedIn {
        user: record.user,
        csrf_token: record.csrf_token,
        session_token: token,
    }))
}

fn unauthenticated(parts: &Parts) -> AuthRejection {
    if is_safe(&parts.method) {
        let next = parts
            .uri
            .path_and_query()
            .map(|pq| pq.as_str().to_string())
            .unwrap_or_else(|| "/admin/alto-agencies".into());
        AuthRejection::LoginRequired { next }
    } else {
        AuthRejection::Unauthenticated
    }
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD)
}

fn carries_csrf(headers: &HeaderMap, body: &[u8], expected: &str) -> bool {
    let is_form = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return false;
    }
    let Ok(fields) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(body) else {
        return false;
    };
    let mut tokens = fields
        .iter()
        .filter(|(k, _)| k == CSRF_FIELD)
        .map(|(_, v)| v);
    match (tokens.next(), tokens.next()) {
        (Some(token), None) => constant_time_eq(token, expected),
        _ => false,
    }
}

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = AuthRejection;

    /// Reads what the gate stored; without the gate in front, fails closed.
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<SignedIn>()
            .cloned()
            .ok_or(AuthRejection::Unauthenticated)
    }
}
