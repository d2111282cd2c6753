//! An in-process simulator of Zoopla's Alto API, so everything runs with no credentials.
//!
//! It serves the operations the `alto` facade uses, with Alto's methods, paths, paging casings
//! and status codes. Request bodies are read into the generated request types and answers are
//! built from the generated response types (`alto::raw::types`), so the simulator follows the
//! spec by construction.
//!
//! ```no_run
//! # async fn demo() -> Result<(), alto_sim::SimError> {
//! use alto_sim::{Faults, Simulator};
//! let sim = Simulator::builder()
//!     .production([("8662b309-dc51-58ea-9b1c-8ec10b34e88b", "Acme Lettings"), ("15717b02-2ec5-56db-94e7-74531a345a98", "Bath Homes")])
//!     .faults(Faults::default().error_rate(503, 0.1).seed(1))
//!     .start()
//!     .await?;
//! println!("{} {}", sim.base_url(), sim.token_url());
//! assert_eq!(sim.counts(Some("8662b309-dc51-58ea-9b1c-8ec10b34e88b")).documents, 0);
//! sim.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! Where things are: `auth` (token endpoint, bearer and `AgencyRef` guard), `contract` (every
//! answer rendered and, in strict mode, checked as the vendored spec declares), `faults`,
//! `paging`, `store` (records; the sales side's in `sales_store`), `seed` (demo data; the sales
//! side's in `sales_seed`), one module per resource family, `router`
//! (route table), `server` (connection loop, recording, fault application).

#![warn(missing_docs)]

mod applicant_requirements;
mod appointment_changes;
mod appointments;
mod auth;
mod branches;
mod client_parameters;
mod contact_consent;
mod contact_extras;
mod contact_people;
mod contact_records;
mod contact_routes;
mod contact_search;
mod contacts;
mod contract;
mod documents;
mod faults;
mod file_notes;
mod inspect;
mod leads;
mod listing_edits;
mod listings;
mod media_items;
mod paging;
mod params;
mod partner_integration;
mod problem;
mod properties;
mod property_management;
mod record_documents;
mod reference_checks;
mod referrals;
mod relationships;
mod router;
mod sales;
mod sales_seed;
mod sales_store;
mod seed;
mod serve;
mod server;
mod simulator;
mod state;
mod store;
mod tenancies;
mod wire_patch;

pub use contract::{ContractViolation, ExemptScope, Exemption, EXEMPTIONS};
pub use faults::Faults;
pub use inspect::{Injected, RecordedRequest, ResourceCounts};
pub use paging::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
pub use serve::{serve, ServeOptions};
pub use simulator::{
    RunningSimulator, SimCredentials, SimError, Simulator, SimulatorBuilder, DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET, DEFAULT_TOKEN_LIFETIME,
};
pub use state::Mode;
