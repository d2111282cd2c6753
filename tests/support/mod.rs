//! A small mock of Alto for the facade tests: a real HTTP server on loopback (axum) that issues
//! tokens, checks them, answers API routes as each test scripts, and records every request.
//!
//! It runs on its own thread and runtime, so tests on any runtime flavour can use it and its own
//! logs never reach a test's tracing subscriber.
//!
//! - `POST /token` checks HTTP Basic against [`CLIENT_ID`]/[`CLIENT_SECRET`] and the form
//!   `grant_type=client_credentials`, then issues `access-token-1`, `access-token-2`, … (or what
//!   [`MockAlto::enqueue_token`] scripted), after [`MockAlto::set_token_delay`].
//! - Every other request needs `Authorization: Bearer <an issued, unrevoked token>` (401
//!   otherwise), then gets, in order of precedence: the next reply queued for its route, the
//!   route's handler, the route's standing reply, or 404.
//!
//! Routes are written `"GET /ReferenceChecks"`: method, space, path without query.

#![allow(dead_code)] // each test binary uses a different part of it

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use alto::{AltoClient, Credentials, Endpoints, Environment, RetryPolicy};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};

/// The client id the mock accepts.
pub const CLIENT_ID: &str = "facade-test-client";
/// The client secret the mock accepts; tests look for it in logs and `Debug` output.
pub const CLIENT_SECRET: &str = "cs-9f8e7d6c5b4a-very-secret";

/// One scripted answer.
#[derive(Clone, Debug)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Option<String>,
    delay: Option<Duration>,
}

impl Reply {
    /// An empty answer with `status`.
    pub fn status(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: None,
            delay: None,
        }
    }

    /// A JSON answer.
    pub fn json(status: u16, body: Value) -> Self {
        Self::status(status)
            .header("content-type", "application/json")
            .with_body(body.to_string())
    }

    /// A raw body (content type not set).
    pub fn with_body(mut self, body: impl Into<String>) -> Self {
        self.body = Some(body.into());
        self
    }

    /// Adds a header (repeatable: two `Location`s make two header lines).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Waits this long before answering.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// Order of arrival, from 0.
    pub seq: usize,
    /// When the handler started on it.
    pub at: Instant,
    /// HTTP method.
    pub method: String,
    /// Path, without the query.
    pub path: String,
    /// Query pairs, decoded, in wire order.
    pub query: Vec<(String, String)>,
    /// Headers with lower-case names, in wire order.
    pub headers: Vec<(String, String)>,
    /// The body, as text.
    pub body: String,
}

impl Recorded {
    /// `"GET /ReferenceChecks"`.
    pub fn route(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of query parameter `name` (exact case).
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The query parameter names, in wire order.
    pub fn query_names(&self) -> Vec<&str> {
        self.query.iter().map(|(k, _)| k.as_str()).collect()
    }

    /// The request's shape for snapshots: secrets masked, and what changes per run (the port,
    /// the user agent's version) left out.
    pub fn shape(&self) -> Value {
        let mut query: Vec<(String, String)> = self.query.clone();
        query.sort();
        let mut headers = BTreeMap::new();
        for (name, value) in &self.headers {
            let value = match name.as_str() {
                "user-agent" => continue,
                "host" => "[loopback]".to_string(),
                "authorization" => match value.split_once(' ') {
                    Some((scheme, _)) => format!("{scheme} [redacted]"),
                    None => "[redacted]".to_string(),
                },
                _ => value.clone(),
            };
            headers.insert(name.clone(), value);
        }
        // The body exactly as sent (not re-parsed, which would hide duplicate JSON keys).
        let body = if self.body.is_empty() {
            Value::Null
        } else {
            Value::String(self.body.clone())
        };
        json!({
            "method": self.method,
            "path": self.path,
            "query": query,
            "headers": headers,
            "body": body,
        })
    }
}

type Handler = Arc<dyn Fn(&Recorded) -> Reply + Send + Sync>;

#[derive(Default)]
struct Script {
    queued: HashMap<String, VecDeque<Reply>>,
    handlers: HashMap<String, Handler>,
    standing: HashMap<String, Reply>,
    token_queue: VecDeque<Reply>,
    token_lifetime: u64,
    token_delay: Duration,
    revoked: HashSet<String>,
    reject_all_tokens: bool,
}

struct Shared {
    requests: Mutex<Vec<Recorded>>,
    script: Mutex<Script>,
    issued: Mutex<HashSet<String>>,
    token_requests: AtomicUsize,
    expected_basic: String,
}

/// The running mock; stops when dropped.
pub struct MockAlto {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl MockAlto {
    /// Starts a mock on a free loopback port.
    pub fn start() -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        listener.set_nonblocking(true).expect("non-blocking");
        let addr = listener.local_addr().expect("local addr");
        let expected_basic = reqwest::Client::new()
            .post("http://127.0.0.1/")
            .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
            .build()
            .expect("request")
            .headers()[reqwest::header::AUTHORIZATION]
            .to_str()
            .expect("ascii")
            .to_string();
        let shared = Arc::new(Shared {
            requests: Mutex::new(Vec::new()),
            script: Mutex::new(Script {
                token_lifetime: 3600,
                ..Script::default()
            }),
            issued: Mutex::new(HashSet::new()),
            token_requests: AtomicUsize::new(0),
            expected_basic,
        });
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let app = Router::new()
            .route("/token", post(token))
            .fallback(api)
            .with_state(shared.clone());
        let thread = std::thread::Builder::new()
            .name(format!("mock-alto-{}", addr.port()))
            .spawn(move || {
                // The mock's own events go nowhere, even under a global subscriber: each of its
                // threads keeps a silent default for its whole life (hence the forgotten guard).
                let silence = || {
                    let none = tracing::Dispatch::new(tracing::subscriber::NoSubscriber::default());
                    std::mem::forget(tracing::dispatcher::set_default(&none));
                };
                silence();
                let rt = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .on_thread_start(silence)
                    .enable_all()
                    .build()
                    .expect("mock runtime");
                rt.block_on(async move {
                    let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
                    tokio::select! {
                        served = axum::serve(listener, app) => served.expect("mock server"),
                        _ = stopped => {}
                    }
                });
            })
            .expect("mock thread");
        Self {
            addr,
            shared,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The API at the mock's root, the token endpoint at `/token`.
    pub fn endpoints(&self) -> Endpoints {
        Endpoints::custom(self.url(), format!("{}/token", self.url())).expect("valid URLs")
    }

    /// A client with the accepted credentials for `environment`, and fast retries (1 ms
    /// backoff, no jitter) so retry tests are quick and exact.
    pub fn client(&self, environment: Environment) -> AltoClient {
        self.builder(environment)
            .build()
            .expect("client configuration")
    }

    /// The builder behind [`MockAlto::client`], for tests that change a setting.
    pub fn builder(&self, environment: Environment) -> alto::AltoClientBuilder {
        AltoClient::builder()
            .environment(
                environment,
                self.endpoints(),
                Credentials::new(CLIENT_ID, CLIENT_SECRET),
            )
            .retry(fast_retries(4))
    }

    // ---- scripting -------------------------------------------------------------------------

    /// Answers `route` with `reply` whenever nothing more specific is scripted.
    pub fn on(&self, route: &str, reply: Reply) -> &Self {
        self.script().standing.insert(route.to_string(), reply);
        self
    }

    /// Answers the next requests to `route` with `replies`, in order (before anything else).
    pub fn enqueue(&self, route: &str, replies: impl IntoIterator<Item = Reply>) -> &Self {
        self.script()
            .queued
            .entry(route.to_string())
            .or_default()
            .extend(replies);
        self
    }

    /// Answers `route` by calling `handler` with the request (after the queue is empty).
    pub fn on_fn(
        &self,
        route: &str,
        handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static,
    ) -> &Self {
        self.script()
            .handlers
            .insert(route.to_string(), Arc::new(handler));
        self
    }

    /// Answers the next token requests with `replies` instead of issuing tokens.
    pub fn enqueue_token(&self, replies: impl IntoIterator<Item = Reply>) -> &Self {
        self.script().token_queue.extend(replies);
        self
    }

    /// `expires_in` of the tokens issued from now on (default 3600).
    pub fn set_token_lifetime(&self, seconds: u64) -> &Self {
        self.script().token_lifetime = seconds;
        self
    }

    /// How long the token endpoint takes to answer (default: at once).
    pub fn set_token_delay(&self, delay: Duration) -> &Self {
        self.script().token_delay = delay;
        self
    }

    /// The API answers 401 to `token` from now on (as if Alto had revoked it).
    pub fn revoke_token(&self, token: &str) -> &Self {
        self.script().revoked.insert(token.to_string());
        self
    }

    /// The API answers 401 to every token, issued or not.
    pub fn reject_all_tokens(&self) -> &Self {
        self.script().reject_all_tokens = true;
        self
    }

    // ---- what happened ---------------------------------------------------------------------

    /// Every request received, token requests included, in order of arrival.
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.requests.lock().unwrap().clone()
    }

    /// Requests to the API (everything but `POST /token`).
    pub fn api_requests(&self) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.path != "/token")
            .collect()
    }

    /// Requests to the token endpoint, recorded.
    pub fn token_request_log(&self) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.path == "/token")
            .collect()
    }

    /// How many token requests arrived.
    pub fn token_requests(&self) -> usize {
        self.shared.token_requests.load(Ordering::SeqCst)
    }

    /// The `Authorization` value of a token request with the accepted credentials (the secret
    /// in base64: tests look for it in logs too).
    pub fn basic_credentials(&self) -> &str {
        &self.shared.expected_basic
    }

    /// How many requests of any kind arrived.
    pub fn request_count(&self) -> usize {
        self.shared.requests.lock().unwrap().len()
    }

    fn script(&self) -> std::sync::MutexGuard<'_, Script> {
        self.shared.script.lock().unwrap()
    }
}

impl Drop for MockAlto {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Retries as tests want them: `attempts` in all, 1 ms apart, no jitter.
pub fn fast_retries(attempts: usize) -> RetryPolicy {
    RetryPolicy {
        max_attempts: attempts,
        min_delay: Duration::from_millis(1),
        max_delay: Duration::from_secs(10),
        jitter: false,
    }
}

fn record(
    shared: &Shared,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Recorded {
    let at = Instant::now();
    let query = uri
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default();
    let headers = headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let mut log = shared.requests.lock().unwrap();
    let recorded = Recorded {
        seq: log.len(),
        at,
        method: method.to_string(),
        path: uri.path().to_string(),
        query,
        headers,
        body: String::from_utf8_lossy(body).into_owned(),
    };
    log.push(recorded.clone());
    recorded
}

async fn token(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request = record(&shared, &method, &uri, &headers, &body);
    let n = shared.token_requests.fetch_add(1, Ordering::SeqCst) + 1;
    let (scripted, lifetime, delay) = {
        let mut script = shared.script.lock().unwrap();
        (
            script.token_queue.pop_front(),
            script.token_lifetime,
            script.token_delay,
        )
    };
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    if let Some(reply) = scripted {
        return respond(reply).await;
    }
    if request.header("authorization") != Some(shared.expected_basic.as_str()) {
        return respond(Reply::json(401, json!({"error": "invalid_client"}))).await;
    }
    if request.header("content-type") != Some("application/x-www-form-urlencoded")
        || request.body != "grant_type=client_credentials"
    {
        return respond(Reply::json(400, json!({"error": "unsupported_grant_type"}))).await;
    }
    let access_token = format!("access-token-{n}");
    shared.issued.lock().unwrap().insert(access_token.clone());
    respond(Reply::json(
        200,
        json!({"access_token": access_token, "token_type": "Bearer", "expires_in": lifetime}),
    ))
    .await
}

async fn api(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request = record(&shared, &method, &uri, &headers, &body);
    let bearer = request
        .header("authorization")
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_string);
    let authorized = {
        let script = shared.script.lock().unwrap();
        let issued = shared.issued.lock().unwrap();
        bearer.as_ref().is_some_and(|t| {
            !script.reject_all_tokens && issued.contains(t) && !script.revoked.contains(t)
        })
    };
    if !authorized {
        return respond(Reply::json(
            401,
            json!({"title": "Unauthorized", "status": 401}),
        ))
        .await;
    }
    let route = request.route();
    let reply = {
        let mut script = shared.script.lock().unwrap();
        if let Some(reply) = script.queued.get_mut(&route).and_then(VecDeque::pop_front) {
            Some(reply)
        } else if let Some(handler) = script.handlers.get(&route).cloned() {
            drop(script);
            Some(handler(&request))
        } else {
            script.standing.get(&route).cloned()
        }
    };
    respond(reply.unwrap_or_else(|| {
        Reply::json(
            404,
            json!({"title": format!("no route {route} in the mock")}),
        )
    }))
    .await
}

async fn respond(reply: Reply) -> Response {
    if let Some(delay) = reply.delay {
        tokio::time::sleep(delay).await;
    }
    let mut response = Response::builder().status(reply.status);
    for (name, value) in &reply.headers {
        response = response.header(name.as_str(), value.as_str());
    }
    response
        .body(axum::body::Body::from(reply.body.unwrap_or_default()))
        .expect("valid scripted reply")
}

/// `GET /ReferenceChecks` through the facade's token handling and error mapping.
pub async fn list_reference_checks(
    agency: &alto::AgencyClient,
) -> Result<alto::raw::types::ReferenceCheckPagedResultsDto, alto::AltoError> {
    agency
        .send(
            "get_reference_checks",
            agency.raw().get_reference_checks().send(),
        )
        .await
        .map(alto::raw::ResponseValue::into_inner)
}
