//! Sign in and sign out.
//!
//! The login form has no session yet to hold a CSRF token, so it uses a double-submit cookie:
//! a random token in an HttpOnly SameSite=Strict cookie that the form must echo.
//!
//! Failed sign-ins are counted per username and per client address (see
//! [`LoginThrottle`](crate::auth::throttle::LoginThrottle)); once throttled, an attempt gets
//! `429` with `Retry-After` before its password is looked at, whether the user exists or not.
//! Log lines name the client address and a short hash of the typed username, never the name
//! or the password themselves.

use axum::extract::{Query, State};
use axum::http::header::{LOCATION, RETRY_AFTER, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

use super::pages::{error_page, render, signed_in_error_page, LoginPage};
use super::{AdminState, ClientAddr};
use crate::auth::cookies::read_cookie;
use crate::auth::sessions::{log_in, log_out};
use crate::auth::throttle::username_tag;
use crate::auth::tokens::{constant_time_eq, random_token};
use crate::auth::{LoginError, SignedIn};

const LOGIN_PATH: &str = "/admin/login";
const DEFAULT_NEXT: &str = "/admin/alto-agencies";

/// Query of the login page.
#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    /// Set after signing out.
    signed_out: Option<String>,
}

/// `GET /admin/login`
pub async fn form(State(state): State<AdminState>, Query(query): Query<LoginQuery>) -> Response {
    let csrf = random_token();
    let cookies = state.config().cookies;
    let cookie = cookies.set(&cookies.login_csrf_name(), &csrf, 3600);
    let page = LoginPage {
        chrome: None,
        csrf,
        next: safe_next(query.next.as_deref()).to_string(),
        username: String::new(),
        error: None,
        notice: query.signed_out.map(|_| "You are signed out.".to_string()),
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
    client: ClientAddr,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let cookies = state.config().cookies;
    let cookie_token = read_cookie(&headers, &cookies.login_csrf_name()).unwrap_or_default();
    if cookie_token.is_empty() || !constant_time_eq(&cookie_token, &form.csrf) {
        count_failure("form_expired");
        return error_page(
            StatusCode::FORBIDDEN,
            "Form expired",
            "The sign-in form expired or did not come from this site. Reload the sign-in page and try again.",
        );
    }
    let throttle = state.throttle();
    if let Err(throttled) = throttle.check(&form.username, client.0) {
        let seconds = throttled.retry_after.as_secs();
        count_failure("throttled");
        tracing::warn!(%client, user_tag = %username_tag(&form.username), retry_after = seconds, "sign-in throttled");
        let page = LoginPage {
            chrome: None,
            csrf: cookie_token,
            next: safe_next(Some(&form.next)).to_string(),
            username: form.username,
            error: Some(format!(
                "Too many failed sign-ins. Wait {seconds} second{} and try again.",
                if seconds == 1 { "" } else { "s" }
            )),
            notice: None,
        };
        return (
            [(RETRY_AFTER, seconds.to_string())],
            render(StatusCode::TOO_MANY_REQUESTS, &page),
        )
            .into_response();
    }
    match log_in(
        state.store(),
        &form.username,
        &form.password,
        state.config().session_ttl,
    )
    .await
    {
        Ok(login) => {
            throttle.record_success(&form.username);
            tracing::info!(user = %login.user.username, %client, "signed in");
            let max_age = i64::try_from(state.config().session_ttl.as_secs()).unwrap_or(i64::MAX);
            (
                StatusCode::SEE_OTHER,
                AppendHeaders([
                    (
                        SET_COOKIE,
                        cookies.set(&cookies.session_name(), &login.token, max_age),
                    ),
                    (SET_COOKIE, cookies.clear(&cookies.login_csrf_name())),
                    (LOCATION, safe_next(Some(&form.next)).to_string()),
                ]),
            )
                .into_response()
        }
        Err(LoginError::BadCredentials) => {
            throttle.record_failure(&form.username, client.0);
            count_failure("bad_credentials");
            tracing::warn!(%client, user_tag = %username_tag(&form.username), "sign-in refused");
            let page = LoginPage {
                chrome: None,
                csrf: cookie_token,
                next: safe_next(Some(&form.next)).to_string(),
                username: form.username,
                error: Some("Wrong username or password.".into()),
                notice: None,
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
///
/// When the store cannot end the session, the page says so: the session would otherwise stay
/// valid on the server while the user believes they signed out.
pub async fn logout(State(state): State<AdminState>, signed_in: SignedIn) -> Response {
    if let Err(e) = log_out(state.store(), &signed_in.session_token).await {
        tracing::error!(error = %e, "sign-out failed");
        return signed_in_error_page(
            &signed_in,
            StatusCode::INTERNAL_SERVER_ERROR,
            "Not signed out",
            "Your session could not be ended, so you are still signed in. Try signing out again in a moment; if it keeps failing, close the browser.",
        );
    }
    let cookies = state.config().cookies;
    (
        StatusCode::SEE_OTHER,
        AppendHeaders([
            (SET_COOKIE, cookies.clear(&cookies.session_name())),
            (LOCATION, format!("{LOGIN_PATH}?signed_out=1")),
        ]),
    )
        .into_response()
}

fn count_failure(reason: &'static str) {
    metrics::counter!(super::ops::LOGIN_FAILURES, "reason" => reason).increment(1);
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
