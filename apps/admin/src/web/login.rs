//! Sign in and sign out.
//!
//! The login form has no session yet to hold a CSRF token, so it uses a double-submit cookie:
//! a random token in an HttpOnly SameSite=Strict cookie that the form must echo.

use axum::extract::{Query, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

use super::pages::{error_page, render, LoginPage};
use super::AdminState;
use crate::auth::cookies::{
    clear_cookie, read_cookie, set_cookie, LOGIN_CSRF_COOKIE, SESSION_COOKIE,
};
use crate::auth::sessions::{log_in, log_out};
use crate::auth::tokens::{constant_time_eq, random_token};
use crate::auth::{LoginError, SignedIn};

const LOGIN_PATH: &str = "/admin/login";
const SESSION_PATH: &str = "/admin";
const DEFAULT_NEXT: &str = "/admin/alto-agencies";

/// Query of the login page.
#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

/// `GET /admin/login`
pub async fn form(State(state): State<AdminState>, Query(query): Query<LoginQuery>) -> Response {
    let csrf = random_token();
    let cookie = set_cookie(
        LOGIN_CSRF_COOKIE,
        &csrf,
        LOGIN_PATH,
        3600,
        state.config().secure_cookies,
    );
    let page = LoginPage {
        chrome: None,
        csrf,
        next: safe_next(query.next.as_deref()).to_string(),
        username: String::new(),
        error: None,
    };
    (
        AppendHeaders([(SET_COOKIE, cookie)]),
        render(StatusCode::OK, &page),
    )
        .into_response()
}

/// What the login form posts.
#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

/// `POST /admin/login`
pub async fn submit(
    State(state): State<AdminState>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let cookie_token = read_cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if cookie_token.is_empty() || !constant_time_eq(&cookie_token, &form.csrf) {
        return error_page(
            StatusCode::FORBIDDEN,
            "Form expired",
            "The sign-in form expired or did not come from this site. Reload the sign-in page and try again.",
        );
    }
    let secure = state.config().secure_cookies;
    match log_in(
        state.store(),
        &form.username,
        &form.password,
        state.config().session_ttl,
    )
    .await
    {
        Ok(login) => {
            tracing::info!(user = %login.user.username, "signed in");
            let max_age = i64::try_from(state.config().session_ttl.as_secs()).unwrap_or(i64::MAX);
            (
                StatusCode::SEE_OTHER,
                AppendHeaders([
                    (
                        SET_COOKIE,
                        set_cookie(SESSION_COOKIE, &login.token, SESSION_PATH, max_age, secure),
                    ),
                    (
                        SET_COOKIE,
                        clear_cookie(LOGIN_CSRF_COOKIE, LOGIN_PATH, secure),
                    ),
                    (LOCATION, safe_next(Some(&form.next)).to_string()),
                ]),
            )
                .into_response()
        }
        Err(LoginError::BadCredentials) => {
            tracing::info!(user = %form.username, "sign-in refused");
            let page = LoginPage {
                chrome: None,
                csrf: cookie_token,
                next: safe_next(Some(&form.next)).to_string(),
                username: form.username,
                error: Some("Wrong username or password.".into()),
            };
            render(StatusCode::UNAUTHORIZED, &page)
        }
        Err(LoginError::Store(e)) => {
            tracing::error!(error = %e, "sign-in failed");
            error_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong",
                "Signing in failed because the store could not be reached. Try again in a moment.",
            )
        }
    }
}

/// `POST /admin/logout` (behind the session gate, so it carries the CSRF token).
pub async fn logout(State(state): State<AdminState>, signed_in: SignedIn) -> Response {
    if let Err(e) = log_out(state.store(), &signed_in.session_token).await {
        tracing::error!(error = %e, "sign-out failed");
    }
    let secure = state.config().secure_cookies;
    (
        StatusCode::SEE_OTHER,
        AppendHeaders([
            (
                SET_COOKIE,
                clear_cookie(SESSION_COOKIE, SESSION_PATH, secure),
            ),
            (LOCATION, LOGIN_PATH.to_string()),
        ]),
    )
        .into_response()
}

/// Only our own admin pages are valid targets after signing in (no open redirect).
fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(next)
            if next.starts_with("/admin")
                && !next.starts_with("//")
                && !next.contains('\\')
                && !next.starts_with(LOGIN_PATH) =>
        {
            next
        }
        _ => DEFAULT_NEXT,
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_admin_pages() {
        assert_eq!(
            safe_next(Some("/admin/alto-agencies?page=2")),
            "/admin/alto-agencies?page=2"
        );
        assert_eq!(
            safe_next(Some("https://evil.example/")),
            "/admin/alto-agencies"
        );
        assert_eq!(
            safe_next(Some("//evil.example/admin")),
            "/admin/alto-agencies"
        );
        assert_eq!(safe_next(Some("/admin/login")), "/admin/alto-agencies");
        assert_eq!(safe_next(None), "/admin/alto-agencies");
    }
}
