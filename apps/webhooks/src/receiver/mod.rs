//! The receiver: the route Alto POSTs its notifications to.
//!
//! Order of checks, cheapest and safest first: authentication (401, nothing read or stored) →
//! body size (413) → CloudEvents parsing and Alto's envelope (400, naming the field) → the
//! event's `data.integrationId` is one the credentials are for (403) → insert with
//! de-duplication on the full `id` → 202. Handlers run
//! later, in the [`Worker`](crate::processing::Worker), so Alto gets its answer fast.

mod auth;
mod failures;
pub mod oauth;
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
pub use oauth::{IssuedClient, IssuedToken, OAuthClients, OAuthError};
pub use parse::{parse_event, ParseError};

use crate::processing::{Handlers, Worker, WorkerConfig};
use crate::store::{EventStore, Inserted};

/// Where the receiver is mounted unless configured otherwise.
pub const DEFAULT_PATH: &str = "/webhooks/alto";
/// Largest body accepted unless configured otherwise (Alto's events are a few KiB).
pub const DEFAULT_BODY_LIMIT: usize = 256 * 1024;

/// Configuration of the receiver.
///
/// One endpoint can serve several integrations (Alto's `data.integrationId`), each with its own
/// credentials: [`ReceiverConfig::for_integration`] then [`ReceiverConfig::integration`] per
/// further one. A request must carry credentials of some configured integration before its body
/// is read, and the event it carries must be for that same integration (else 403). With
/// [`ReceiverConfig::new`] one set of credentials serves every integration id.
#[derive(Debug, Clone)]
pub struct ReceiverConfig {
    /// The path Alto posts to (default [`DEFAULT_PATH`]).
    pub path: String,
    callers: Vec<Caller>,
    /// Largest accepted body in bytes; larger answers 413.
    pub body_limit: usize,
    auth_failures: AuthFailures,
}

/// Credentials and the integration they are for (`None`: any).
#[derive(Debug, Clone)]
struct Caller {
    integration: Option<String>,
    auth: WebhookAuth,
}

impl ReceiverConfig {
    /// The default path and body limit with one authentication for every integration id.
    pub fn new(auth: WebhookAuth) -> Self {
        Self::with_callers(vec![Caller {
            integration: None,
            auth,
        }])
    }

    /// The default path and body limit, serving only `integration_id` (Alto's
    /// `data.integrationId`) with these credentials; add more with
    /// [`ReceiverConfig::integration`].
    pub fn for_integration(integration_id: impl Into<String>, auth: WebhookAuth) -> Self {
        Self::with_callers(Vec::new()).integration(integration_id, auth)
    }

    /// Also serves `integration_id`, with its own credentials.
    pub fn integration(mut self, integration_id: impl Into<String>, auth: WebhookAuth) -> Self {
        self.callers.push(Caller {
            integration: Some(integration_id.into()),
            auth,
        });
        self
    }

    fn with_callers(callers: Vec<Caller>) -> Self {
        Self {
            path: DEFAULT_PATH.to_string(),
            callers,
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
    callers: Arc<Vec<Caller>>,
    /// The OAuth2 clients and token lifetime, when a caller authenticates with OAuth2.
    oauth: Option<(OAuthClients, std::time::Duration)>,
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
    let oauth = config
        .callers
        .iter()
        .find_map(|caller| caller.auth.token_lifetime())
        .map(|lifetime| (OAuthClients::new(worker.events().store().clone()), lifetime));
    let token_path = format!("{}/token", config.path.trim_end_matches('/'));
    let state = ReceiverState {
        oauth: oauth.clone(),
        callers: Arc::new(config.callers),
        auth_failures: config.auth_failures,
        events: worker.events().clone(),
        worker,
        _worker_task: stop,
    };
    let mut router = Router::new().route(&config.path, post(receive));
    if oauth.is_some() {
        router = router.route(&token_path, post(issue_token));
    }
    router
        .layer(DefaultBodyLimit::max(config.body_limit))
        .with_state(state)
}

async fn receive(State(state): State<ReceiverState>, headers: HeaderMap, body: Body) -> Response {
    // Every configured caller is checked (each in constant time), so timing does not tell
    // which integration's credentials came close.
    let mut allowed: Vec<Option<String>> = state
        .callers
        .iter()
        .filter(|caller| caller.auth.verify(&headers))
        .map(|caller| caller.integration.clone())
        .collect();
    if let Some((clients, _)) = &state.oauth {
        match clients.integration_of(&headers).await {
            // A token is for its own integration, and only where OAuth2 is configured for it.
            Ok(Some(integration)) => {
                let configured = state.callers.iter().any(|caller| {
                    caller.auth.token_lifetime().is_some()
                        && caller
                            .integration
                            .as_deref()
                            .is_none_or(|only| only == integration)
                });
                if configured {
                    allowed.push(Some(integration));
                }
            }
            Ok(None) => {}
            Err(e) => {
                tracing::error!(error = %e, "Alto webhook bearer token could not be checked");
                return problem(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the credentials could not be checked; retry",
                );
            }
        }
    }
    if allowed.is_empty() {
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
    let for_this_integration = allowed
        .iter()
        .any(|integration| integration.is_none() || *integration == event.integration_id);
    if !for_this_integration {
        state
            .auth_failures
            .record(failures::Failure::OtherIntegration);
        return problem(
            StatusCode::FORBIDDEN,
            "these credentials are not for the event's data.integrationId",
        );
    }
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

/// The OAuth2 token endpoint Alto calls (client credentials grant, RFC 6749 section 4.4):
/// `application/x-www-form-urlencoded` with `grant_type=client_credentials`, the client's id and
/// secret in HTTP Basic or the form. Answers a bearer token, or an OAuth2 error body.
async fn issue_token(
    State(state): State<ReceiverState>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let Some((clients, lifetime)) = &state.oauth else {
        return problem(StatusCode::NOT_FOUND, "OAuth2 is not configured");
    };
    let Ok(bytes) = body.0 else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request");
    };
    let form: Vec<(String, String)> = form_urlencoded::parse(&bytes)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let grant = form
        .iter()
        .find(|(k, _)| k == "grant_type")
        .map(|(_, v)| v.as_str());
    if grant != Some("client_credentials") {
        return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type");
    }
    let Some((client_id, client_secret)) = oauth::client_credentials(&headers, &form) else {
        state.auth_failures.record(failures::Failure::NoCredentials);
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client");
    };
    match clients.token(&client_id, &client_secret, *lifetime).await {
        Ok(Some(token)) => (
            StatusCode::OK,
            [(axum::http::header::CACHE_CONTROL, "no-store")],
            Json(json!({
                "access_token": token.access_token,
                "token_type": "Bearer",
                "expires_in": token.expires_in,
            })),
        )
            .into_response(),
        Ok(None) => {
            state
                .auth_failures
                .record(failures::Failure::WrongCredentials);
            oauth_error(StatusCode::UNAUTHORIZED, "invalid_client")
        }
        Err(e) => {
            tracing::error!(error = %e, "Alto OAuth2 token could not be issued");
            problem(
                StatusCode::SERVICE_UNAVAILABLE,
                "the token could not be issued; retry",
            )
        }
    }
}

fn oauth_error(status: StatusCode, error: &str) -> Response {
    let mut response = (
        status,
        [(axum::http::header::CACHE_CONTROL, "no-store")],
        Json(json!({"error": error})),
    )
        .into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            axum::http::header::WWW_AUTHENTICATE,
            axum::http::HeaderValue::from_static("Basic realm=\"alto-webhooks\""),
        );
    }
    response
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
