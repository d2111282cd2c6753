//! The admin web app: state, router, thin handlers, askama pages.

mod agencies;
pub mod client_addr;
pub mod headers;
mod link;
mod login;
pub mod ops;
pub mod pages;
mod paths;
mod staff;

use std::sync::Arc;
use std::time::Duration;

use axum::middleware::from_fn_with_state;
use axum::response::Redirect;
use axum::routing::get;
use axum::Router;

pub use client_addr::{ClientAddr, TrustedProxy};
pub use ops::{metrics_router, MetricsEndpoint, RenderMetrics};

use crate::auth::cookies::CookiePolicy;
use crate::auth::sessions::spawn_session_purge;
use crate::auth::throttle::{LoginThrottle, ThrottlePolicy};
use crate::auth::{require_admin, require_session};
use crate::settings::AltoSettings;
use crate::store::Store;

/// Knobs of the admin app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminConfig {
    /// How long a session lasts after signing in, however active (the absolute timeout).
    pub session_ttl: Duration,
    /// How long a session lasts without a request (the idle timeout).
    pub idle_timeout: Duration,
    /// How the cookies are named and flagged (`Secure` and `__Host-` unless plain HTTP is asked).
    pub cookies: CookiePolicy,
    /// The reverse proxy whose header names the client, when the app runs behind one.
    pub trusted_proxy: Option<TrustedProxy>,
    /// When failed sign-ins start to be delayed.
    pub throttle: ThrottlePolicy,
    /// Agencies per list page.
    pub per_page: u32,
}

impl Default for AdminConfig {
    fn default() -> Self {
        Self {
            session_ttl: Duration::from_secs(8 * 60 * 60),
            idle_timeout: Duration::from_secs(30 * 60),
            cookies: CookiePolicy::secure(),
            trusted_proxy: None,
            throttle: ThrottlePolicy::default(),
            per_page: 50,
        }
    }
}

/// Shared state of the admin app: the Alto Settings service and the configuration.
///
/// Other features (the webhook receiver) can take a clone to reach the same store.
#[derive(Clone, Debug)]
pub struct AdminState {
    settings: AltoSettings,
    config: Arc<AdminConfig>,
    throttle: Arc<LoginThrottle>,
    metrics: Option<MetricsEndpoint>,
}

impl AdminState {
    /// Starts building state around a store.
    pub fn builder(store: Store) -> AdminStateBuilder {
        AdminStateBuilder {
            store,
            config: AdminConfig::default(),
            metrics: None,
        }
    }

    /// The Alto Settings service.
    pub fn settings(&self) -> &AltoSettings {
        &self.settings
    }

    /// The store.
    pub fn store(&self) -> &Store {
        self.settings.store()
    }

    /// The configuration.
    pub fn config(&self) -> &AdminConfig {
        &self.config
    }

    /// The failed sign-in counts of this instance.
    pub fn throttle(&self) -> &LoginThrottle {
        &self.throttle
    }
}

/// Builder for [`AdminState`].
#[derive(Debug)]
pub struct AdminStateBuilder {
    store: Store,
    config: AdminConfig,
    metrics: Option<MetricsEndpoint>,
}

impl AdminStateBuilder {
    /// How long a session lasts however active (default 8 hours).
    pub fn session_ttl(mut self, ttl: Duration) -> Self {
        self.config.session_ttl = ttl;
        self
    }

    /// How long a session lasts without a request (default 30 minutes).
    pub fn idle_timeout(mut self, idle: Duration) -> Self {
        self.config.idle_timeout = idle;
        self
    }

    /// Plain-HTTP cookies (no `Secure`, no `__Host-` prefix) when `plain` is true: for
    /// development on a host other than localhost without TLS. Default off.
    pub fn plain_http_cookies(mut self, plain: bool) -> Self {
        self.config.cookies = if plain {
            CookiePolicy::plain_http()
        } else {
            CookiePolicy::secure()
        };
        self
    }

    /// Believe `proxy`'s header for the client's address (default: the socket peer).
    pub fn trusted_proxy(mut self, proxy: Option<TrustedProxy>) -> Self {
        self.config.trusted_proxy = proxy;
        self
    }

    /// When failed sign-ins start to be delayed, and by how much.
    pub fn throttle(mut self, policy: ThrottlePolicy) -> Self {
        self.config.throttle = policy;
        self
    }

    /// Agencies per list page (default 50).
    pub fn per_page(mut self, per_page: u32) -> Self {
        self.config.per_page = per_page.clamp(1, 500);
        self
    }

    /// Serves `/metrics` on the app's address, behind the endpoint's bearer token (default:
    /// no `/metrics` route).
    pub fn metrics(mut self, endpoint: Option<MetricsEndpoint>) -> Self {
        self.metrics = endpoint;
        self
    }

    /// Finishes the state.
    pub fn build(self) -> AdminState {
        AdminState {
            settings: AltoSettings::new(self.store),
            throttle: Arc::new(LoginThrottle::new(self.config.throttle)),
            config: Arc::new(self.config),
            metrics: self.metrics,
        }
    }
}

/// The admin routes with their guards, still wanting state: merge more routes into it, then call
/// `.with_state(state)`.
///
/// Every route under `/admin` except the login page and the stylesheet sits behind a guard:
/// admin pages behind [`require_admin`] (session, admin role, CSRF on posts), logout behind
/// [`require_session`]. `/healthz`, `/readyz` and `/metrics` ([`ops`]) need no session (the
/// last needs its bearer token). Every response carries the security headers of [`headers`].
pub fn routes(state: &AdminState) -> Router<AdminState> {
    let admin_pages = Router::new()
        .route(
            "/admin",
            get(|| async { Redirect::to("/admin/alto-agencies") }),
        )
        .route("/admin/alto-agencies", get(agencies::list))
        .route(
            "/admin/alto-agencies/{id}/edit",
            get(agencies::edit_form).post(agencies::save),
        )
        .route("/admin/alto-agencies/{id}/audit", get(agencies::audit))
        .route(
            "/admin/alto-agencies/new",
            get(staff::new_form).post(staff::add),
        )
        .route(
            "/admin/alto-agencies/{id}/alto-enabled",
            axum::routing::post(staff::set_alto_enabled),
        )
        .route(
            "/admin/alto-agencies/activations/{id}/link",
            get(link::form).post(link::link),
        )
        .route_layer(from_fn_with_state(state.clone(), require_admin));
    let signed_in = Router::new()
        .route("/admin/logout", axum::routing::post(login::logout))
        .route_layer(from_fn_with_state(state.clone(), require_session));
    let public = Router::new()
        .route("/admin/login", get(login::form).post(login::submit))
        .route(headers::STYLESHEET_PATH, get(headers::stylesheet));
    headers::with_security_headers(
        admin_pages
            .merge(signed_in)
            .merge(public)
            .merge(ops::routes(state)),
    )
}

/// The complete admin app, ready to serve.
pub fn router(state: AdminState) -> Router {
    routes(&state).with_state(state)
}

/// How often expired and idle sessions are deleted while serving.
pub const SESSION_PURGE_EVERY: Duration = Duration::from_secs(5 * 60);

/// Serves the admin app, plus `extra` routes (e.g. the webhook receiver) when given, on
/// `listener` until `shutdown` completes; meanwhile ended sessions are purged every
/// [`SESSION_PURGE_EVERY`]. Each request knows its socket address (for login throttling).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AdminState,
    extra: Option<Router>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let purge = spawn_session_purge(state.clone(), SESSION_PURGE_EVERY);
    let app = match extra {
        Some(extra) => router(state).merge(extra),
        None => router(state),
    };
    let served = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await;
    purge.abort();
    served
}
