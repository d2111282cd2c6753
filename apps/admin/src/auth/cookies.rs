//! The two cookies: the session token, and the login form's double-submit CSRF token.
//!
//! By default both are `__Host-` prefixed and `Secure`: a browser then only accepts them from a
//! secure origin, for the whole host (`Path=/`, no `Domain`), so a sibling subdomain or a plain
//! HTTP page cannot plant or overwrite them. Chromium and Firefox treat `http://localhost` as a
//! secure origin, so development on localhost works as is. Plain-HTTP cookies (any other host
//! over `http://`) need [`CookiePolicy::plain_http`], an explicit development choice; they lose
//! the prefix too, which browsers refuse without `Secure`.

use axum::http::header::COOKIE;
use axum::http::HeaderMap;
use cookie::{Cookie, SameSite};

/// Cookie name of the session token (the database keeps only its hash), without a prefix.
pub const SESSION_COOKIE: &str = "alto_admin_session";
/// Cookie name of the login form's CSRF token (there is no session yet to keep it in).
pub const LOGIN_CSRF_COOKIE: &str = "alto_admin_login_csrf";
/// The prefix browsers only accept on `Secure`, host-only cookies with `Path=/`.
pub const HOST_PREFIX: &str = "__Host-";

/// How the admin app's cookies are named and flagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CookiePolicy {
    secure: bool,
}

impl Default for CookiePolicy {
    /// `Secure` and `__Host-` prefixed.
    fn default() -> Self {
        Self::secure()
    }
}

impl CookiePolicy {
    /// `Secure`, `__Host-` prefixed: for HTTPS and for `http://localhost`.
    pub fn secure() -> Self {
        Self { secure: true }
    }

    /// No `Secure` flag and no prefix, so a browser keeps the cookies over plain HTTP on any
    /// host. For development only: the cookies then travel in clear text.
    pub fn plain_http() -> Self {
        Self { secure: false }
    }

    /// Whether cookies are marked `Secure`.
    pub fn is_secure(self) -> bool {
        self.secure
    }

    /// The full name of the session cookie under this policy.
    pub fn session_name(self) -> String {
        self.name(SESSION_COOKIE)
    }

    /// The full name of the login form's CSRF cookie under this policy.
    pub fn login_csrf_name(self) -> String {
        self.name(LOGIN_CSRF_COOKIE)
    }

    fn name(self, base: &str) -> String {
        if self.secure {
            format!("{HOST_PREFIX}{base}")
        } else {
            base.to_string()
        }
    }

    /// A `Set-Cookie` value: HttpOnly, SameSite=Strict, `Path=/`, `Secure` unless plain HTTP.
    pub fn set(self, name: &str, value: &str, max_age_secs: i64) -> String {
        Cookie::build((name, value))
            .path("/")
            .max_age(cookie::time::Duration::seconds(max_age_secs))
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(self.secure)
            .build()
            .to_string()
    }

    /// A `Set-Cookie` value that deletes the cookie.
    pub fn clear(self, name: &str) -> String {
        self.set(name, "", 0)
    }
}

/// The value of cookie `name` in the request, if present.
pub fn read_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == name)
        .map(|cookie| cookie.value().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn reads_one_cookie_among_many() {
        let mut headers = HeaderMap::new();
        headers.append(
            COOKIE,
            HeaderValue::from_static("a=1; __Host-alto_admin_session=tok"),
        );
        headers.append(COOKIE, HeaderValue::from_static("b=2"));
        let name = CookiePolicy::secure().session_name();
        assert_eq!(read_cookie(&headers, &name).as_deref(), Some("tok"));
        assert_eq!(read_cookie(&headers, "b").as_deref(), Some("2"));
        assert_eq!(read_cookie(&headers, SESSION_COOKIE), None);
    }

    #[test]
    fn secure_by_default_plain_only_when_asked() {
        let secure = CookiePolicy::default();
        let set = secure.set(&secure.session_name(), "tok", 60);
        for part in [
            "__Host-alto_admin_session=tok",
            "Path=/",
            "HttpOnly",
            "SameSite=Strict",
            "Secure",
            "Max-Age=60",
        ] {
            assert!(set.contains(part), "{part} in {set}");
        }
        assert!(!set.contains("Domain"), "{set}");
        let plain = CookiePolicy::plain_http();
        let set = plain.set(&plain.session_name(), "tok", 60);
        assert!(set.starts_with("alto_admin_session=tok"), "{set}");
        assert!(!set.contains("Secure"), "{set}");
        assert!(set.contains("HttpOnly") && set.contains("SameSite=Strict"));
    }
}
