//! One place where raw-client results become facade results: a token first (so token
//! failures stay typed), then the call, then error answers parsed into [`AltoError`].

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;
use futures::TryStreamExt;
use progenitor_client::{ByteStream, Error as RawError, ResponseValue};
use reqwest::header::{HeaderMap, LOCATION, RETRY_AFTER};
use reqwest::StatusCode;

use crate::client::AgencyClient;
use crate::environment::Environment;
use crate::error::{AltoError, ExistingResource, Problem};
use crate::raw::{facts, retry};

/// The body type of an operation's error answers: bytes (normalized spec) or none.
pub trait ErrorBody: Sized {
    /// Reads the whole body.
    fn into_bytes(self) -> impl Future<Output = Bytes> + Send;
}

impl ErrorBody for ByteStream {
    async fn into_bytes(self) -> Bytes {
        let chunks: Vec<Bytes> = self.into_inner().try_collect().await.unwrap_or_default();
        chunks.concat().into()
    }
}

impl ErrorBody for () {
    async fn into_bytes(self) -> Bytes {
        Bytes::new()
    }
}

impl AgencyClient {
    /// Runs a raw-client call through the facade: gets a token first (so token failures come
    /// back as [`AltoError::Token`]), awaits `call`, and maps an error answer to the typed
    /// [`AltoError`] (401, 403 with the scope, 409 with the existing ids, …).
    ///
    /// Use it for operations the workflow helpers do not wrap; `operation` is the raw client's
    /// method name (it names the call in errors and picks the scopes a 403 explains).
    ///
    /// ```no_run
    /// # async fn demo(agency: &alto::AgencyClient) -> Result<(), alto::AltoError> {
    /// let page = agency
    ///     .send("get_reference_checks", agency.raw().get_reference_checks().max_results(50).send())
    ///     .await?
    ///     .into_inner();
    /// println!("{} reference checks", page.items.unwrap_or_default().len());
    /// # Ok(())
    /// # }
    /// ```
    pub fn send<'a, T, E, F>(
        &'a self,
        operation: &'static str,
        call: F,
    ) -> impl Future<Output = Result<ResponseValue<T>, AltoError>> + 'a
    where
        T: 'a,
        E: ErrorBody + 'a,
        F: Future<Output = Result<ResponseValue<T>, RawError<E>>> + 'a,
    {
        // The raw call's future is large (1–2 KB); boxed once here, every future built on this
        // one carries a pointer instead of copies of it (measured in `benches/ratios`).
        self.send_boxed(operation, Box::pin(call))
    }

    async fn send_boxed<T, E, F>(
        &self,
        operation: &'static str,
        call: Pin<Box<F>>,
    ) -> Result<ResponseValue<T>, AltoError>
    where
        E: ErrorBody,
        F: Future<Output = Result<ResponseValue<T>, RawError<E>>>,
    {
        self.tokens().token().await?;
        match call.await {
            Ok(value) => Ok(value),
            // Boxed: the error path's state stays out of every call's future.
            Err(e) => Err(Box::pin(self.map_error(operation, e)).await),
        }
    }

    async fn map_error<E: ErrorBody>(
        &self,
        operation: &'static str,
        error: RawError<E>,
    ) -> AltoError {
        let op = operation.to_string();
        match error {
            RawError::ErrorResponse(rv) => {
                let status = rv.status();
                let headers = rv.headers().clone();
                let body = rv.into_inner().into_bytes().await;
                self.classify(operation, status, &headers, &body)
            }
            RawError::UnexpectedResponse(response) => {
                let status = response.status();
                let headers = response.headers().clone();
                let body = response.bytes().await.unwrap_or_default();
                self.classify(operation, status, &headers, &body)
            }
            RawError::CommunicationError(e)
            | RawError::ResponseBodyError(e)
            | RawError::InvalidUpgrade(e) => {
                if e.is_decode() {
                    AltoError::Decode {
                        operation: op,
                        detail: e.to_string(),
                    }
                } else {
                    transport(operation, e)
                }
            }
            RawError::InvalidResponsePayload(_, e) => AltoError::Decode {
                operation: op,
                detail: e.to_string(),
            },
            RawError::InvalidRequest(detail) | RawError::Custom(detail) => {
                AltoError::InvalidRequest {
                    operation: op,
                    detail,
                }
            }
        }
    }

    /// Turns an error answer into the matching [`AltoError`].
    pub(crate) fn classify(
        &self,
        operation: &'static str,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
    ) -> AltoError {
        let operation_s = operation.to_string();
        let problem = Problem::parse(body).map(Box::new);
        match status.as_u16() {
            400 | 422 => AltoError::Validation {
                operation: operation_s,
                status: status.as_u16(),
                problem: problem.unwrap_or_default(),
            },
            401 => AltoError::Unauthorized {
                operation: operation_s,
            },
            403 => {
                let required_scopes = facts::required_scopes(operation);
                let scopes = if required_scopes.is_empty() {
                    "its scope".to_string()
                } else {
                    required_scopes.join(" and ")
                };
                let why = match (self.environment(), self.agency_ref()) {
                    (Environment::Production, Some(r)) => format!(
                        "for agency {}: check that AgencyRef {r} is this agency's (from its activation email) and that the integration has been granted {scopes}",
                        self.label()
                    ),
                    _ => format!("in {}: the integration has not been granted {scopes}; ask Zoopla to enable it", self.environment()),
                };
                AltoError::Forbidden {
                    operation: operation_s,
                    environment: self.environment(),
                    agency_ref: self.agency_ref().map(|r| r.to_string()),
                    required_scopes,
                    why,
                    problem,
                }
            }
            404 => AltoError::NotFound {
                operation: operation_s,
                problem,
            },
            409 => AltoError::Duplicate {
                operation: operation_s,
                existing: headers
                    .get_all(LOCATION)
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .flat_map(|v| v.split(','))
                    .map(|v| ExistingResource::from_location(v.trim()))
                    .collect(),
                problem,
            },
            300..=399 => AltoError::Redirected {
                operation: operation_s,
                status: status.as_u16(),
                location: headers
                    .get(LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .map(String::from),
            },
            429 => AltoError::RateLimited {
                operation: operation_s,
                retry_after: headers
                    .get(RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse().ok())
                    .map(Duration::from_secs),
            },
            500..=599 => {
                let retried = facts::operation(operation)
                    .and_then(|f| f.method.parse::<reqwest::Method>().ok())
                    .is_some_and(|m| retry::is_idempotent_operation(&m, operation));
                AltoError::Server {
                    operation: operation_s,
                    status: status.as_u16(),
                    problem,
                    retried,
                }
            }
            other => AltoError::UnexpectedStatus {
                operation: operation_s,
                status: other,
                problem,
            },
        }
    }
}

impl AgencyClient {
    /// The body of a successful answer to a request sent outside the generated builders (the
    /// multipart upload), or the typed error.
    pub(crate) async fn success_body(
        &self,
        operation: &'static str,
        result: reqwest::Result<reqwest::Response>,
    ) -> Result<Bytes, AltoError> {
        let response = result.map_err(|e| transport(operation, e))?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map_err(|e| transport(operation, e))?;
        if status.is_success() {
            Ok(body)
        } else {
            Err(self.classify(operation, status, &headers, &body))
        }
    }
}

fn transport(operation: &str, e: reqwest::Error) -> AltoError {
    if e.is_timeout() {
        AltoError::Timeout {
            operation: operation.into(),
        }
    } else {
        AltoError::Transport {
            operation: operation.into(),
            source: e,
        }
    }
}
