//! State shared by every handler: configuration, issued tokens, recorded requests, and one
//! data set per agency.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::contract::ContractViolation;
use crate::faults::Injector;
use crate::inspect::RecordedRequest;
use crate::store::AgencyData;

/// Whether the simulator behaves like Alto's sandbox or production.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// No `AgencyRef`; one data set. A request carrying `AgencyRef` is refused (400).
    Sandbox,
    /// `AgencyRef` required on every call; one isolated data set per agency.
    Production,
}

/// The key of an agency's data: its `AgencyRef`, or `""` in sandbox.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct AgencyKey(pub String);

/// Everything handlers share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub mode: Mode,
    /// `(AgencyRef, name)` in production; empty in sandbox.
    pub agency_names: Vec<(String, String)>,
    pub client_id: String,
    pub client_secret: String,
    pub token_lifetime: Duration,
    pub tokens: Mutex<HashMap<String, Instant>>,
    pub token_requests: AtomicU64,
    pub requests: Mutex<Vec<RecordedRequest>>,
    pub agencies: BTreeMap<AgencyKey, Mutex<AgencyData>>,
    pub injector: Injector,
    /// Check every answer against the spec and answer 500 on a departure.
    pub strict: bool,
    /// Departures found in strict mode, oldest first.
    pub violations: Mutex<Vec<ContractViolation>>,
}

/// Handler state.
pub(crate) type AppState = Arc<Shared>;

impl Shared {
    /// Locks one agency's data. Unknown keys cannot reach handlers (the guard refuses them).
    pub fn data(&self, key: &AgencyKey) -> MutexGuard<'_, AgencyData> {
        self.agencies
            .get(key)
            .or_else(|| self.agencies.values().next())
            .expect("at least one agency")
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }
}
