//! "Alto Settings": the admin-only web app where staff attach the `AgencyRef` from Alto's
//! activation email to the right agency, and the store the Alto client reads it back from.
//!
//! Layout, one concern per place:
//! - [`store`]: the agency store (SQLite by default, PostgreSQL for several instances), its
//!   migrations, the append-only audit log, admin users and server-side sessions: the
//!   `alto-store` crate, which the webhooks crate shares.
//! - [`settings`]: the service layer (validation, the status rule, optimistic locking); the web
//!   handlers and tests call it, never SQL directly.
//! - [`staff`]: adding agencies and switching "Alto enabled" (audited).
//! - [`auth`]: passwords (argon2), sessions, CSRF tokens and the role check.
//! - [`web`]: the axum router, thin handlers and askama templates.
//! - [`cli`]: `alto admin create-user` and `alto admin serve`.

#![warn(missing_docs)]

pub mod agency_ref;
pub mod auth;
pub mod cli;
pub mod settings;
pub mod staff;
pub mod web;

/// The agency store (the `alto-store` crate), under the name the app's modules use.
pub use alto_store as store;
/// What the store keeps and the app shows (the `alto-store` crate's model).
pub use alto_store::model;

pub use agency_ref::{AgencyRef, InvalidAgencyRef};
pub use model::{Agency, AltoStatus, AuditEntry, Environment, NewAgency, Role};
pub use settings::{AltoSettings, SettingsError, SettingsUpdate};
pub use store::{Backend, Store, StoreError, DEFAULT_DATABASE_URL};
pub use web::{
    router, routes, AdminConfig, AdminState, AdminStateBuilder, MetricsEndpoint, RenderMetrics,
};
