//! The receiver: the route Alto POSTs its notifications to.
//!
//! Order of checks, cheapest and safest first: authentication (401, nothing read or stored) →
//! body size (413) → CloudEvents parsing (400) → insert with de-duplication → 202. Handlers run
//! later, in the [`Worker`](crate::processing::Worker), so Alto gets its answer fast.

mod auth;
mod failures;
mod parse;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use std::sync::Arc;

use alto_store::Store;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::json;
use tokio::sync::watch;

pub use auth::{WeakWebhookSecret, WebhookAuth, SIGNATURE_HEADER};
pub use failures::AuthFailures;
pub use parse::{parse_event, ParseError};

use crate::processing::{Handlers, Worker, WorkerConfig};
use crate::store::{EventStore, Inserted};

/// Where the receiver is mounted unless configured otherwise.
pub const DEFAULT_PATH: &str = "/webhooks/alto";
/// Largest body accepted unless configured otherwise (Alto's events are a few KiB).
pub const DEFAULT_BODY_LIMIT: usize = 256 * 1024;

/// Configuration of the receiver.
#[derive(Debug, Clone)]
pub struct ReceiverConfig {
    /// The path Alto posts to (default [`DEFAULT_PATH`]).
    pub path: String,
    /// How Alto authenticates.
    pub auth: WebhookAuth,
    /// Largest accepted body in bytes; larger answers 413.
    pub body_limit: usize,
    auth_failures: AuthFailures,
}

impl ReceiverConfig {
    /// The default path and body limit with this authentication.
    pub fn new(auth: WebhookAuth) -> Self {
        Self {
            path: DEFAULT_PATH.to_string(),
            auth,
            body_limit: DEFAULT_BODY_LIMIT,
            auth_failures: AuthFailures::default(),
        }
    }

    /// The count of requests refused for missing or wrong credentials (keep a clone before
    /// handing the config to [`routes`], for metrics or a health page).
    pub fn auth_failures(&self) -> AuthFailures {
        self.auth_failures.clone()
    }

    /// Mounts the receiver at `path` instead.
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }

    /// Changes the body limit.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }
}

#[derive(Clone)]
struct ReceiverState {
    auth: WebhookAuth,
    auth_failures: AuthFailures,
    events: EventStore,
    worker: Worker,
    _worker_task: Option<Arc<StopOnDrop>>,
}

/// Stops the worker spawned by [`routes`] when the last copy of the router goes away.
struct StopOnDrop(watch::Sender<bool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        let _ = self.0.send(true);
    }
}

/// The receiver route with its own processing worker, ready to merge into the admin app:
/// `alto_admin::router(state).merge(receiver::routes(config, store, handlers))`.
///
/// Spawns a [`Worker`] (default [`WorkerConfig`]) that runs `handlers`; it stops when the router
/// is dropped. Must be called inside a Tokio runtime.
pub fn routes(config: ReceiverConfig, store: Store, handlers: Handlers) -> Router {
    let worker = Worker::new(EventStore::new(store), handlers, WorkerConfig::default());
    let (stop, stopped) = watch::channel(false);
    worker.clone().spawn(stopped);
    build(config, worker, Some(Arc::new(StopOnDrop(stop))))
}

/// The receiver route over a worker the caller runs (or drains by hand, as tests do).
pub fn routes_with_worker(config: ReceiverConfig, worker: Worker) -> Router {
    build(config, worker, None)
}

fn build(config: ReceiverConfig, worker: Worker, stop: Option<Arc<StopOnDrop>>) -> Router {
    let state = ReceiverState {
        auth: config.auth,
        auth_failures: config.auth_failures,
        events: worker.events().clone(),
        worker,
        _worker_task: stop,
    };
    Router::new()
        .route(&config.path, post(receive))
        .layer(DefaultBodyLimit::max(config.body_limit))
        .with_state(state)
}

async fn receive(State(state): State<ReceiverState>, headers: HeaderMap, body: Body) -> Response {
    if !state.auth.verify(&headers) {
        let failure = if headers.contains_key(SIGNATURE_HEADER)
            || headers.contains_key(axum::http::header::AUTHORIZATION)
        {
            failures::Failure::WrongCredentials
        } else {
            failures::Failure::NoCredentials
        };
        state.auth_failures.record(failure);
        crate::telemetry::auth_failure();
        return problem(StatusCode::UNAUTHORIZED, "missing or wrong credentials");
    }
    if !is_json(&headers) {
        return problem(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send a structured-mode CloudEvent as application/cloudevents+json or application/json",
        );
    }
    let bytes = match body.0 {
        Ok(bytes) => bytes,
        Err(status) => return problem(status, "the body is larger than this receiver accepts"),
    };
    let event = match parse_event(&bytes) {
        Ok(event) => event,
        Err(e) => return problem(StatusCode::BAD_REQUEST, &e.to_string()),
    };
    let payload = String::from_utf8_lossy(&bytes);
    match state.events.insert(&event, &payload).await {
        Ok(Inserted::New) => {
            crate::telemetry::event_received();
            state.worker.notify();
            tracing::debug!(event = %event.id, kind = %event.kind, "Alto event stored");
            (
                StatusCode::ACCEPTED,
                Json(json!({"id": event.id, "status": "accepted"})),
            )
                .into_response()
        }
        Ok(Inserted::Duplicate) => {
            crate::telemetry::event_duplicate();
            (
                StatusCode::ACCEPTED,
                Json(json!({"id": event.id, "status": "duplicate"})),
            )
                .into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, event = %event.id, "Alto event could not be stored");
            // 503 makes Alto retry later, which is what we want when the store is down.
            problem(
                StatusCode::SERVICE_UNAVAILABLE,
                "the event could not be stored; retry",
            )
        }
    }
}

/// The body, read after authentication (so an unauthenticated caller cannot make us buffer it).
struct Body(Result<Bytes, StatusCode>);

impl<S: Send + Sync> axum::extract::FromRequest<S> for Body {
    type Rejection = std::convert::Infallible;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        Ok(Body(Bytes::from_request(req, state).await.map_err(
            |rejection| match rejection.status() {
                StatusCode::PAYLOAD_TOO_LARGE => StatusCode::PAYLOAD_TOO_LARGE,
                _ => StatusCode::BAD_REQUEST,
            },
        )))
    }
}

/// Structured mode is `application/cloudevents+json`; Alto also sends `application/json`.
/// A missing content type is read as JSON.
fn is_json(headers: &HeaderMap) -> bool {
    match headers.get(CONTENT_TYPE).map(|v| v.to_str()) {
        None => true,
        Some(Ok(value)) => {
            let media = value.split(';').next().unwrap_or_default().trim();
            media.eq_ignore_ascii_case("application/json")
                || media.eq_ignore_ascii_case("application/cloudevents+json")
        }
        Some(Err(_)) => false,
    }
}

fn problem(status: StatusCode, detail: &str) -> Response {
    (
        status,
        Json(json!({"status": status.as_u16(), "detail": detail})),
    )
        .into_response()
}
