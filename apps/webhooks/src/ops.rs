//! `alto poll`'s endpoints for the platform, served only when asked (`--health-addr`,
//! `--metrics-addr`):
//!
//! - `GET /healthz`: the process answers (200, no database access).
//! - `GET /readyz`: 200 when the database answers, every migration is applied and the last poll
//!   could read its agencies from the store; else 503 with a short reason.
//! - `GET /metrics`: the Prometheus text format, on its own (private) address.
//!
//! They need no credentials and reveal nothing about agencies or secrets.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use alto_store::Store;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

/// The media type of Prometheus' text exposition format.
pub const PROMETHEUS_TEXT: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Renders the current metrics in the Prometheus text format (the recorder's handle).
pub type RenderMetrics = Arc<dyn Fn() -> String + Send + Sync>;

/// What `/readyz` looks at: the store, and whether the poller's last look at it worked.
#[derive(Debug, Clone)]
pub struct PollerHealth {
    store: Store,
    store_reachable: Arc<AtomicBool>,
}

impl PollerHealth {
    /// Health of a poller over `store` (reachable until told otherwise).
    pub fn new(store: Store) -> Self {
        Self {
            store,
            store_reachable: Arc::new(AtomicBool::new(true)),
        }
    }

    /// Records whether the last poll could read its agencies from the store.
    pub fn set_store_reachable(&self, reachable: bool) {
        self.store_reachable.store(reachable, Ordering::Relaxed);
    }

    /// `Ok` when ready, else the short reason.
    pub async fn readiness(&self) -> Result<(), String> {
        self.store.readiness().await.map_err(|e| e.to_string())?;
        if !self.store_reachable.load(Ordering::Relaxed) {
            return Err("the last poll could not reach the database".into());
        }
        Ok(())
    }
}

/// `/healthz` and `/readyz`.
pub fn health_routes(health: PollerHealth) -> Router {
    Router::new()
        .route("/healthz", get(|| async { (StatusCode::OK, "ok\n") }))
        .route("/readyz", get(readyz))
        .with_state(health)
}

/// `/metrics`, unauthenticated: bind it to a private address.
pub fn metrics_routes(render: RenderMetrics) -> Router {
    Router::new().route(
        "/metrics",
        get(move || {
            let render = render.clone();
            async move { ([(CONTENT_TYPE, PROMETHEUS_TEXT)], render()).into_response() }
        }),
    )
}

async fn readyz(State(health): State<PollerHealth>) -> Response {
    match health.readiness().await {
        Ok(()) => (StatusCode::OK, "ready\n").into_response(),
        Err(why) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("not ready: {why}\n"),
        )
            .into_response(),
    }
}

/// Resolves at the first SIGTERM or Ctrl-C (SIGINT). The handlers are installed when this is
/// called, not when it is first awaited, so a signal arriving early is not fatal.
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let term = signal(SignalKind::terminate());
        let interrupt = signal(SignalKind::interrupt());
        async move {
            match (term, interrupt) {
                (Ok(mut term), Ok(mut interrupt)) => {
                    tokio::select! {
                        _ = term.recv() => {}
                        _ = interrupt.recv() => {}
                    }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}
