//! The contract layer: every operation's answers as the vendored spec declares them.
//!
//! One middleware, inside the token and `AgencyRef` guard, wraps every operation's handler:
//! it finds the spec operation of the matched route (`spec`), refuses a request the spec does
//! not allow with the operation's declared 400 (`validate`, `schema`), re-renders a handler's
//! [`ApiError`](crate::problem::ApiError) in the declared status, schema and media type
//! (`render`), and in strict mode checks the answer against the spec (`strict`). Answers of
//! the gateway (guard, injected faults) and of the router's fallbacks are outside it.

mod render;
mod schema;
mod spec;
mod strict;
mod validate;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt as _;

use crate::problem::ApiError;
use crate::state::AppState;

pub(crate) use spec::Spec;
pub use strict::{ContractViolation, ExemptScope, Exemption, EXEMPTIONS};

/// The middleware (a `route_layer` inside the auth guard).
pub(crate) async fn layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let op = request
        .extensions()
        .get::<MatchedPath>()
        .and_then(|m| Spec::get().operation(request.method(), m.as_str()));
    let Some(op) = op else {
        return next.run(request).await;
    };
    let response = match validate::check(op, request).await {
        Ok(request) => rerender(op, next.run(request).await).await,
        Err(refusal) => {
            let mut response = render::render(op, &refusal);
            response.extensions_mut().insert(strict::Refused);
            response
        }
    };
    if state.strict {
        strict::enforce(&state, op, response).await
    } else {
        response
    }
}

/// Re-renders an error answer in the operation's declared shape: a handler's `ApiError`, or an
/// extractor's plain-text rejection (read as a 400 naming what it says).
async fn rerender(op: &spec::Operation, response: Response) -> Response {
    if let Some(error) = response.extensions().get::<ApiError>().cloned() {
        return render::render(op, &error);
    }
    let status = response.status();
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/plain"));
    if !status.is_client_error() || !plain {
        return response;
    }
    let text = match response.into_body().collect().await {
        Ok(c) => String::from_utf8_lossy(&c.to_bytes()).into_owned(),
        Err(_) => String::new(),
    };
    let error = ApiError::new(
        status,
        status.canonical_reason().unwrap_or("Bad Request"),
        text,
    );
    render::render(op, &error).into_response()
}
