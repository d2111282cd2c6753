//! Endpoints for the platform rather than for people: liveness, readiness and metrics.
//!
//! - `GET /healthz`: the process answers (200, no database access).
//! - `GET /readyz`: the database answers and every migration of this build is applied (200),
//!   else 503 with a short reason that names no host or credential.
//! - `GET /metrics`: the Prometheus text format. On the app's own address it is mounted only
//!   when a bearer token is configured ([`MetricsEndpoint::protected`]), and answers 401 without
//!   it; [`metrics_router`] serves it without a token on a separate, private address.
//!
//! None of them needs a session or a CSRF token: they change nothing and reveal nothing about
//! agencies, users or secrets.

use std::sync::Arc;

use axum::extract::State;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::AdminState;
use crate::auth::tokens::constant_time_eq;

/// Liveness path.
pub const HEALTHZ_PATH: &str = "/healthz";
/// Readiness path.
pub const READYZ_PATH: &str = "/readyz";
/// Metrics path.
pub const METRICS_PATH: &str = "/metrics";
/// Shortest bearer token accepted for `/metrics` on the app's address.
pub const MIN_METRICS_TOKEN_LEN: usize = 24;
/// Name of the counter of refused sign-ins, labelled by `reason`: `bad_credentials`,
/// `throttled` or `form_expired` (never the username or the address).
pub const LOGIN_FAILURES: &str = "alto_admin_login_failures_total";
/// The media type of Prometheus' text exposition format.
pub const PROMETHEUS_TEXT: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Renders the current metrics in the Prometheus text format (the recorder's handle, e.g.
/// `metrics_exporter_prometheus::PrometheusHandle::render`).
pub type RenderMetrics = Arc<dyn Fn() -> String + Send + Sync>;

/// `/metrics` on the app's own address: the renderer and the bearer token scrapers must send.
#[derive(Clone)]
pub struct MetricsEndpoint {
    render: RenderMetrics,
    token: Arc<str>,
}

impl std::fmt::Debug for MetricsEndpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MetricsEndpoint { token: <redacted> }")
    }
}

/// The bearer token for `/metrics` is shorter than [`MIN_METRICS_TOKEN_LEN`].
#[derive(Debug, thiserror::Error)]
#[error("the metrics token is too short: use at least {MIN_METRICS_TOKEN_LEN} random characters (e.g. `openssl rand -hex 32`)")]
pub struct WeakMetricsToken;

impl MetricsEndpoint {
    /// `/metrics` answering only requests with `Authorization: Bearer <token>`.
    pub fn protected(render: RenderMetrics, token: &str) -> Result<Self, WeakMetricsToken> {
        let token = token.trim();
        if token.len() < MIN_METRICS_TOKEN_LEN {
            return Err(WeakMetricsToken);
        }
        Ok(Self {
            render,
            token: token.into(),
        })
    }

    fn allows(&self, headers: &HeaderMap) -> bool {
        headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|given| constant_time_eq(given.trim(), &self.token))
    }
}

/// `/healthz`, `/readyz` and, when the state has a [`MetricsEndpoint`], `/metrics`.
pub(super) fn routes(state: &AdminState) -> Router<AdminState> {
    let router = Router::new()
        .route(HEALTHZ_PATH, get(healthz))
        .route(READYZ_PATH, get(readyz));
    if state.metrics.is_some() {
        router.route(METRICS_PATH, get(protected_metrics))
    } else {
        router
    }
}

/// `/metrics` without authentication, for a listener of its own on a private address
/// (`alto admin serve --metrics-addr`).
pub fn metrics_router(render: RenderMetrics) -> Router {
    Router::new().route(
        METRICS_PATH,
        get(move || {
            let render = render.clone();
            async move { prometheus_text(&render) }
        }),
    )
}

/// `GET /healthz`
pub async fn healthz() -> Response {
    (StatusCode::OK, "ok\n").into_response()
}

async fn readyz(State(state): State<AdminState>) -> Response {
    match state.store().readiness().await {
        Ok(()) => (StatusCode::OK, "ready\n").into_response(),
        Err(why) => {
            tracing::warn!(reason = %why, "not ready");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                format!("not ready: {why}\n"),
            )
                .into_response()
        }
    }
}

async fn protected_metrics(State(state): State<AdminState>, headers: HeaderMap) -> Response {
    let Some(endpoint) = &state.metrics else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if !endpoint.allows(&headers) {
        return (
            StatusCode::UNAUTHORIZED,
            [(WWW_AUTHENTICATE, "Bearer")],
            "send the metrics bearer token\n",
        )
            .into_response();
    }
    prometheus_text(&endpoint.render)
}

fn prometheus_text(render: &RenderMetrics) -> Response {
    ([(CONTENT_TYPE, PROMETHEUS_TEXT)], render()).into_response()
}
