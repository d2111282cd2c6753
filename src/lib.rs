//! Typed Rust client for Zoopla's Alto CRM API.
//!
//! Layers, in the order a request flows through them:
//! - [`spec`]: the importer and normalizer that turn Zoopla's OpenAPI document into the input of
//!   progenitor (run by `build.rs`).
//! - [`raw`]: the generated client for all 112 operations, with the hook that adds the token,
//!   the `AgencyRef` (production only), retries and tracing.
//! - The facade: [`AltoClient`] and one module per Alto resource family.

#![warn(missing_docs)]

#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

pub mod agency;
pub mod appointments;
pub mod auth;
pub mod branches;
pub mod calendar;
mod call;
pub mod charges;
pub mod client;
pub mod contacts;
pub mod documents;
pub mod dynamic;
pub mod environment;
pub mod error;
pub mod file_notes;
pub mod ids;
pub mod listings;
pub mod multipart;
pub mod operations;
pub mod paging;
pub mod properties;
pub mod raw;
pub mod reconcile;
pub mod reference_checks;
pub mod spec;
pub mod tenancies;
mod typed;

pub use agency::{AgencyDirectory, AgencyRecord, AgencyRef};
pub use auth::{Credentials, TokenError, TokenSource};
pub use client::{AgencyClient, AltoClient, AltoClientBuilder, Endpoints, EnvOverrides};
pub use environment::Environment;
pub use error::{AltoError, ConfigError, ExistingResource, Problem};
pub use raw::retry::RetryPolicy;
