//! The HTTP server: hyper's connection loop around the axum router, so that injected faults
//! can do what axum alone cannot — close a connection without an answer. Every request is
//! recorded (with `Authorization` masked) on the way out.

use std::convert::Infallible;
use std::fmt;

use axum::body::Body;
use axum::http::{header, HeaderValue, Method, Request, Response, StatusCode};
use axum::response::IntoResponse;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower::ServiceExt as _;

use crate::faults::Failure;
use crate::inspect::{mask_authorization, Injected, RecordedRequest};
use crate::problem::ApiError;
use crate::state::AppState;

/// Returned from the hyper service to make hyper drop the connection without answering; the
/// client sees a transport error ("connection closed before message completed").
#[derive(Debug)]
struct ConnectionReset;

impl fmt::Display for ConnectionReset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection reset injected by the simulator")
    }
}

impl std::error::Error for ConnectionReset {}

/// Accepts connections until `shutdown` changes; then drops every open connection.
pub(crate) async fn run(
    listener: TcpListener,
    router: Router,
    state: AppState,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let (router, state) = (router.clone(), state.clone());
                connections.spawn(async move {
                    let service = service_fn(move |request| {
                        handle(state.clone(), router.clone(), request)
                    });
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
            _ = shutdown.changed() => break,
        }
        while connections.try_join_next().is_some() {}
    }
    connections.shutdown().await;
}

async fn handle(
    state: AppState,
    router: Router,
    request: Request<Incoming>,
) -> Result<Response<Body>, ConnectionReset> {
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let query = request.uri().query().map(String::from);
    let headers = request
        .headers()
        .iter()
        .map(|(k, v)| {
            let value = v.to_str().unwrap_or("<binary>");
            let value = if *k == header::AUTHORIZATION {
                mask_authorization(value)
            } else {
                value.to_string()
            };
            (k.as_str().to_string(), value)
        })
        .collect();
    // Read the body once: it is recorded (for tests' request snapshots) and handed on.
    let (parts, body) = request.into_parts();
    let bytes = match http_body_util::BodyExt::collect(body).await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return Err(ConnectionReset),
    };
    let recorded_body = (!bytes.is_empty()).then(|| {
        let limit = bytes.len().min(MAX_RECORDED_BODY);
        String::from_utf8_lossy(&bytes[..limit]).into_owned()
    });
    let request = Request::from_parts(parts, Body::from(bytes));
    let plan = state.injector.plan(&path);
    if !plan.delay.is_zero() {
        tokio::time::sleep(plan.delay).await;
    }
    let write = method != Method::GET && method != Method::HEAD;
    let lost = state.injector.take_lost_answer(method.as_str(), &path);
    let after_commit = lost || (write && state.injector.faults.fail_after_commit);
    let failure = if lost {
        Some(Failure::Reset)
    } else {
        plan.failure
    };
    let (status, injected, result) = match failure {
        None => {
            let response = call(router, request).await;
            (Some(response.status().as_u16()), None, Ok(response))
        }
        Some(failure) => {
            if after_commit {
                drop(call(router, request).await);
            }
            match failure {
                Failure::Status(status) => (
                    Some(status),
                    Some(Injected::Status {
                        status,
                        after_commit,
                    }),
                    Ok(injected_error(&state, status)),
                ),
                Failure::Reset => (
                    None,
                    Some(Injected::Reset { after_commit }),
                    Err(ConnectionReset),
                ),
            }
        }
    };
    tracing::debug!(%method, %path, status = ?status, injected = ?injected, "alto-sim request");
    state
        .requests
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(RecordedRequest {
            method: method.to_string(),
            path,
            query,
            headers,
            status,
            injected,
            body: recorded_body,
        });
    result
}

/// Bodies longer than this are recorded truncated.
const MAX_RECORDED_BODY: usize = 64 * 1024;

async fn call(router: Router, request: Request<Body>) -> Response<Body> {
    let response: Result<_, Infallible> = router.oneshot(request).await;
    match response {
        Ok(r) => r,
        Err(never) => match never {},
    }
}

fn injected_error(state: &AppState, status: u16) -> Response<Body> {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let mut e = ApiError::new(
        code,
        code.canonical_reason().unwrap_or("Error"),
        "Fault injected by the Alto simulator.",
    );
    if matches!(status, 429 | 503) {
        e.retry_after = state
            .injector
            .faults
            .retry_after
            .map(|d| d.as_secs().max(1));
    }
    let mut r = e.into_response();
    r.headers_mut()
        .insert("x-alto-sim-fault", HeaderValue::from_static("injected"));
    r
}
