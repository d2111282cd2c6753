//! `POST /token` (OAuth2 client credentials) and the guard every other route passes: a valid
//! bearer token, then the `AgencyRef` rule of the mode.

use std::sync::atomic::Ordering;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use bytes::Bytes;
use serde_json::json;

use crate::problem::ApiError;
use crate::state::{AgencyKey, AppState, Mode};

/// The header Alto reads the agency from in production.
pub(crate) const AGENCY_REF: &str = "agencyref";

fn oauth_error(status: StatusCode, error: &str) -> Response {
    let mut r = (status, Json(json!({ "error": error }))).into_response();
    if status == StatusCode::UNAUTHORIZED {
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"alto-sim\""),
        );
    }
    r
}

/// `POST /token`: HTTP Basic `client_id:client_secret` (or the two as form fields), form
/// `grant_type=client_credentials`.
pub(crate) async fn token(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    state.token_requests.fetch_add(1, Ordering::Relaxed);
    let form: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    if field("grant_type").as_deref() != Some("client_credentials") {
        return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type");
    }
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| STANDARD.decode(b.trim()).ok())
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| {
            s.split_once(':')
                .map(|(i, s)| (i.to_string(), s.to_string()))
        });
    let (id, secret) = match basic {
        Some(pair) => pair,
        None => match (field("client_id"), field("client_secret")) {
            (Some(i), Some(s)) => (i, s),
            _ => return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client"),
        },
    };
    if id != state.client_id || secret != state.client_secret {
        tracing::debug!("token request with unknown client credentials refused");
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client");
    }
    let access_token = format!(
        "sim.{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    let now = Instant::now();
    {
        let mut tokens = state.tokens.lock().unwrap_or_else(|e| e.into_inner());
        tokens.retain(|_, expires| *expires > now);
        tokens.insert(access_token.clone(), now + state.token_lifetime);
    }
    let mut r = Json(json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": state.token_lifetime.as_secs().max(1),
    }))
    .into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// Checks the bearer token, then the `AgencyRef` rule, and hands the agency to the handler.
pub(crate) async fn guard(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    if let Err(e) = check_token(&state, request.headers()) {
        return e.into_response();
    }
    match agency_of(&state, request.headers()) {
        Ok(key) => {
            request.extensions_mut().insert(key);
            next.run(request).await
        }
        Err(e) => e.into_response(),
    }
}

fn check_token(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let unauthorized =
        |detail: &str| ApiError::new(StatusCode::UNAUTHORIZED, "Unauthorized", detail);
    let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return Err(unauthorized(
            "An Authorization: Bearer <token> header is required; get a token from POST /token.",
        ));
    };
    let Some(token) = value.strip_prefix("Bearer ") else {
        return Err(unauthorized(
            "The Authorization header must use the Bearer scheme.",
        ));
    };
    let tokens = state.tokens.lock().unwrap_or_else(|e| e.into_inner());
    match tokens.get(token.trim()) {
        Some(expires) if *expires > Instant::now() => Ok(()),
        Some(_) => Err(unauthorized(
            "The access token has expired; get a new one from POST /token.",
        )),
        None => Err(unauthorized("The access token is not valid.")),
    }
}

fn agency_of(state: &AppState, headers: &HeaderMap) -> Result<AgencyKey, ApiError> {
    let given = headers
        .get(AGENCY_REF)
        .map(|v| v.to_str().unwrap_or_default().trim().to_string());
    match (state.mode, given) {
        (Mode::Sandbox, None) => Ok(AgencyKey(String::new())),
        (Mode::Sandbox, Some(_)) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "AgencyRef is not used in sandbox",
            "This is the sandbox environment, which has no agencies: remove the AgencyRef header (it is only sent in production).",
        )
        .with_error("AgencyRef", "AgencyRef is not used in sandbox.")),
        (Mode::Production, None) => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "AgencyRef required",
            "Production calls must name the agency in the AgencyRef header; the agency's AgencyRef comes from Alto's activation email.",
        )),
        (Mode::Production, Some(r)) => {
            let key = AgencyKey(r);
            if state.agencies.contains_key(&key) {
                Ok(key)
            } else {
                Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "Unknown AgencyRef",
                    "The AgencyRef does not name an agency that has activated this integration.",
                ))
            }
        }
    }
}
