//! The admin web app: state, router, thin handlers, askama pages.

mod agencies;
mod link;
mod login;
pub mod pages;
mod paths;

use std::sync::Arc;
use std::time::Duration;

use axum::middleware::from_fn_with_state;
use axum::response::Redirect;
use axum::routing::get;
use axum::Router;

use crate::auth::{require_admin, require_session};
use crate::settings::AltoSettings;
use crate::store::Store;

/// Knobs of the admin app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminConfig {
    /// How long a session lasts after signing in.
    pub session_ttl: Duration,
    /// Mark cookies `Secure` (set when served over HTTPS, e.g. behind a TLS proxy).
    pub secure_cookies: bool,
    /// Agencies per list page.
    pub per_page: u32,
}

impl Default for AdminConfig {
    fn default() -> Self {
        Self {
            session_ttl: Duration::from_secs(8 * 60 * 60),
            secure_cookies: false,
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
}

impl AdminState {
    /// Starts building state around a store.
    pub fn builder(store: Store) -> AdminStateBuilder {
        AdminStateBuilder {
            store,
            config: AdminConfig::default(),
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
}

/// Builder for [`AdminState`].
#[derive(Debug)]
pub struct AdminStateBuilder {
    store: Store,
    config: AdminConfig,
}

impl AdminStateBuilder {
    /// How long a session lasts (default 8 hours).
    pub fn session_ttl(mut self, ttl: Duration) -> Self {
        self.config.session_ttl = ttl;
        self
    }

    /// Whether cookies are marked `Secure` (default off; turn on behind HTTPS).
    pub fn secure_cookies(mut self, secure: bool) -> Self {
        self.config.secure_cookies = secure;
        self
    }

    /// Agencies per list page (default 50).
    pub fn per_page(mut self, per_page: u32) -> Self {
        self.config.per_page = per_page.clamp(1, 500);
        self
    }

    /// Finishes the state.
    pub fn build(self) -> AdminState {
        AdminState {
            settings: AltoSettings::new(self.store),
            config: Arc::new(self.config),
        }
    }
}

/// The admin routes with their guards, still wanting state: merge more routes into it, then call
/// `.with_state(state)`.
///
/// Every route under `/admin` except the login page sits behind a guard: admin pages behind
/// [`require_admin`] (session, admin role, CSRF on posts), logout behind [`require_session`].
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
            "/admin/alto-agencies/activations/{id}/link",
            get(link::form).post(link::link),
        )
        .route_layer(from_fn_with_state(state.clone(), require_admin));
    let signed_in = Router::new()
        .route("/admin/logout", axum::routing::post(login::logout))
        .route_layer(from_fn_with_state(state.clone(), require_session));
    let public = Router::new().route("/admin/login", get(login::form).post(login::submit));
    admin_pages.merge(signed_in).merge(public)
}

/// The complete admin app, ready to serve.
pub fn router(state: AdminState) -> Router {
    routes(&state).with_state(state)
}

/// Serves the admin app, plus `extra` routes (e.g. the webhook receiver) when given, on
/// `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AdminState,
    extra: Option<Router>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = match extra {
        Some(extra) => router(state).merge(extra),
        None => router(state),
    };
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
