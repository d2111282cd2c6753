//! The raw client: progenitor's output for every Alto operation (`generated/alto_client.rs`),
//! plus the hook that gives each request its token, its `AgencyRef` (only when configured), its
//! real content type, safe retries and one tracing span.
//!
//! Use it for anything the facade does not wrap: `agency_client.raw().list_branches().send()`.

#[allow(
    missing_docs,
    clippy::all,
    unused_imports,
    dead_code,
    irrefutable_let_patterns,
    unused_comparisons
)]
mod generated {
    use super::Context;
    include!(concat!(env!("OUT_DIR"), "/alto_client.rs"));
}

pub mod facts;
mod hooks;
pub mod metrics;
pub mod retry;

pub use generated::*;
pub use hooks::Context;
