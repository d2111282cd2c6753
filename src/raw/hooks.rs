//! progenitor's `ClientHooks::exec` for the generated client: where a request gets its token.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use tracing::Instrument;

use super::facts;
use super::retry::{self, RetryPolicy};
use crate::agency::AgencyRef;
use crate::auth::TokenSource;
use crate::environment::Environment;

/// Per-client context the hook reads: token source, `AgencyRef`, retry policy.
///
/// The facade builds one per agency; raw-client users can build their own. The hook reuses the
/// token source's cached token; if no token can be had, the request goes out without one and
/// Alto answers 401 (the facade fetches the token first, so its callers get the typed
/// [`crate::TokenError`] instead).
#[derive(Debug, Clone)]
pub struct Context {
    pub(crate) tokens: Option<Arc<TokenSource>>,
    pub(crate) agency_ref: Option<AgencyRef>,
    pub(crate) agency_label: Option<Arc<str>>,
    pub(crate) environment: Environment,
    pub(crate) retry: RetryPolicy,
}

impl Context {
    /// A context for `environment` that authenticates with `tokens` (or not at all with `None`).
    pub fn new(environment: Environment, tokens: Option<Arc<TokenSource>>) -> Self {
        Self {
            tokens,
            agency_ref: None,
            agency_label: None,
            environment,
            retry: RetryPolicy::default(),
        }
    }

    /// Sends `AgencyRef` on every call. Ignored in sandbox, where Alto issues none.
    pub fn with_agency_ref(mut self, agency_ref: Option<AgencyRef>) -> Self {
        self.agency_ref = agency_ref.filter(|_| self.environment.requires_agency_ref());
        self
    }

    /// Names the agency in tracing spans.
    pub fn with_agency_label(mut self, label: impl Into<Arc<str>>) -> Self {
        self.agency_label = Some(label.into());
        self
    }

    /// Replaces the retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The environment calls go to.
    pub fn environment(&self) -> Environment {
        self.environment
    }

    /// The `AgencyRef` sent on every call, if any.
    pub fn agency_ref(&self) -> Option<&AgencyRef> {
        self.agency_ref.as_ref()
    }

    /// The token source, if calls are authenticated.
    pub fn tokens(&self) -> Option<&Arc<TokenSource>> {
        self.tokens.as_ref()
    }
}

const AGENCY_REF: HeaderName = HeaderName::from_static("agencyref");

impl ClientHooks<Context> for super::Client {
    async fn exec(
        &self,
        mut request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let ctx = self.inner();
        let span = tracing::info_span!(
            "alto.call",
            operation = info.operation_id,
            method = %request.method(),
            environment = %ctx.environment,
            agency = ctx.agency_label.as_deref().unwrap_or("-"),
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let attempts_made = AtomicUsize::new(1);
        let attempts_seen = &attempts_made;
        let answer = Box::pin(
            async move {
                prepare(&mut request, ctx, info.operation_id);
                let token = match &ctx.tokens {
                    Some(tokens) => tokens.token().await.ok(),
                    None => None,
                };
                if let Some(t) = &token {
                    request
                        .headers_mut()
                        .insert(AUTHORIZATION, t.header_value());
                }
                let idempotent =
                    retry::is_idempotent_operation(request.method(), info.operation_id);
                if !retry::is_replayable(&request) {
                    // A streamed body goes once: no retries, no replay after a 401.
                    let (response, attempts) = retry::send_once(self.client(), request).await?;
                    attempts_seen.store(attempts, Ordering::Relaxed);
                    record(&response, attempts, started);
                    return Ok(response);
                }
                let (mut response, mut attempts) =
                    retry::send(self.client(), &request, &ctx.retry, idempotent).await?;
                if response.status() == reqwest::StatusCode::UNAUTHORIZED {
                    if let (Some(tokens), Some(old)) = (&ctx.tokens, token) {
                        tokens.invalidate(&old).await;
                        if let Ok(fresh) = tokens.token().await {
                            tracing::debug!("Alto answered 401; retrying once with a fresh token");
                            request
                                .headers_mut()
                                .insert(AUTHORIZATION, fresh.header_value());
                            let (r, n) =
                                retry::send(self.client(), &request, &ctx.retry, idempotent)
                                    .await?;
                            response = r;
                            attempts += n;
                        }
                    }
                }
                attempts_seen.store(attempts, Ordering::Relaxed);
                record(&response, attempts, started);
                Ok(response)
            }
            .instrument(span),
        )
        .await;
        super::metrics::call_finished(
            info.operation_id,
            answer.as_ref().ok().map(|r| r.status().as_u16()),
            attempts_made.load(Ordering::Relaxed),
            started.elapsed(),
        );
        answer
    }
}

/// Notes the outcome on the call's span, and logs the end of the call.
fn record(response: &reqwest::Response, attempts: usize, started: Instant) {
    let span = tracing::Span::current();
    if !span.is_disabled() {
        span.record("status", response.status().as_u16());
        span.record("attempts", attempts);
        span.record("latency_ms", started.elapsed().as_millis() as u64);
    }
    tracing::debug!("Alto call finished");
}

/// Adds the `AgencyRef` header (only when configured) and the real content type of the body.
/// Also drops progenitor's `api-version` header, which Alto's spec does not define.
fn prepare(request: &mut reqwest::Request, ctx: &Context, operation_id: &str) {
    request.headers_mut().remove("api-version");
    if let Some(agency_ref) = ctx
        .agency_ref
        .as_ref()
        .filter(|_| ctx.environment.requires_agency_ref())
    {
        if let Ok(v) = HeaderValue::from_str(agency_ref.as_str()) {
            request.headers_mut().insert(AGENCY_REF, v);
        }
    }
    if request.body().is_none() {
        return; // no body, no content type to set (and no lookup on every GET)
    }
    let wire = facts::operation(operation_id).and_then(|f| f.wire_content_type);
    if let Some(content_type) = wire.filter(|ct| !ct.starts_with("multipart/")) {
        request
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
}
