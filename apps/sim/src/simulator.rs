//! Starting a simulator and looking inside it: [`Simulator::builder`] → [`RunningSimulator`].

use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use alto::raw::types;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::contract::ContractViolation;
use crate::faults::{Faults, Injector};
use crate::inspect::{RecordedRequest, ResourceCounts};
use crate::state::{AgencyKey, AppState, Mode, Shared};
use crate::store::AgencyData;
use crate::{
    appointments, contacts, documents, properties, reference_checks, router, seed, server,
    tenancies,
};

/// Client id the simulator accepts unless told otherwise.
pub const DEFAULT_CLIENT_ID: &str = "sim-client";
/// Client secret the simulator accepts unless told otherwise.
pub const DEFAULT_CLIENT_SECRET: &str = "sim-secret";
/// Token lifetime unless told otherwise (Alto's is one hour).
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(3600);

/// Why a simulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The address could not be bound.
    #[error("the simulator could not listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The configuration is inconsistent.
    #[error("invalid simulator configuration: {0}")]
    Config(String),
}

/// The client id and secret a simulator accepts. `Debug` hides the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct SimCredentials {
    /// Client id.
    pub client_id: String,
    /// Client secret.
    pub client_secret: String,
}

impl SimCredentials {
    /// As the facade's credentials type.
    pub fn to_alto(&self) -> alto::Credentials {
        alto::Credentials::new(&self.client_id, &self.client_secret)
    }
}

impl std::fmt::Debug for SimCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimCredentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .finish()
    }
}

/// Entry point: `Simulator::builder()`.
#[derive(Debug, Clone, Copy)]
pub struct Simulator;

impl Simulator {
    /// A builder for a sandbox simulator with demo data, default credentials, no faults, on a
    /// free port of 127.0.0.1.
    pub fn builder() -> SimulatorBuilder {
        SimulatorBuilder::default()
    }
}

/// Configures a simulator; [`SimulatorBuilder::start`] runs it.
#[derive(Debug, Clone)]
pub struct SimulatorBuilder {
    mode: Mode,
    agencies: Vec<(String, String)>,
    client_id: String,
    client_secret: String,
    token_lifetime: Duration,
    faults: Faults,
    seed_demo_data: bool,
    strict: bool,
    addr: SocketAddr,
}

impl Default for SimulatorBuilder {
    fn default() -> Self {
        Self {
            mode: Mode::Sandbox,
            agencies: Vec::new(),
            client_id: DEFAULT_CLIENT_ID.into(),
            client_secret: DEFAULT_CLIENT_SECRET.into(),
            token_lifetime: DEFAULT_TOKEN_LIFETIME,
            faults: Faults::default(),
            seed_demo_data: true,
            strict: true,
            addr: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0),
        }
    }
}

impl SimulatorBuilder {
    /// Behave like Alto's sandbox: no `AgencyRef`, one data set (the default).
    pub fn sandbox(mut self) -> Self {
        self.mode = Mode::Sandbox;
        self.agencies.clear();
        self
    }

    /// Behave like production with these agencies, as `(AgencyRef, name)`; each gets its own
    /// data set and every call must carry one of the `AgencyRef`s.
    pub fn production<I, R, N>(mut self, agencies: I) -> Self
    where
        I: IntoIterator<Item = (R, N)>,
        R: Into<String>,
        N: Into<String>,
    {
        self.mode = Mode::Production;
        self.agencies = agencies
            .into_iter()
            .map(|(r, n)| (r.into(), n.into()))
            .collect();
        self
    }

    /// The client credentials `POST /token` accepts.
    pub fn credentials(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.client_id = client_id.into();
        self.client_secret = client_secret.into();
        self
    }

    /// How long issued tokens stay valid (overridden by [`Faults::token_lifetime`]).
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = lifetime;
        self
    }

    /// Faults to inject.
    pub fn faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }

    /// Whether to load the demo data set (branches and negotiators are always there).
    pub fn seed_demo_data(mut self, seed: bool) -> Self {
        self.seed_demo_data = seed;
        self
    }

    /// Strict mode (on unless turned off): every answer of an operation is checked against the
    /// vendored spec (status, media type, body schema); a departure is logged, recorded (see
    /// [`RunningSimulator::contract_violations`]) and answered as a 500 saying
    /// "simulator strict mode: ...".
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Listens on this port of 127.0.0.1 (0, the default, picks a free one).
    pub fn port(mut self, port: u16) -> Self {
        self.addr.set_port(port);
        self
    }

    /// Listens on this address (for `alto sim serve --host`).
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Binds, seeds and starts serving in the background of the current tokio runtime.
    pub async fn start(self) -> Result<RunningSimulator, SimError> {
        let state = Arc::new(self.shared()?);
        let listener = TcpListener::bind(self.addr)
            .await
            .map_err(|source| SimError::Bind {
                addr: self.addr,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| SimError::Bind {
            addr: self.addr,
            source,
        })?;
        let (stop, stopped) = watch::channel(false);
        let app = router::router(state.clone());
        let task = tokio::spawn(server::run(listener, app, state.clone(), stopped));
        tracing::info!(%addr, mode = ?state.mode, "Alto simulator listening");
        Ok(RunningSimulator {
            state,
            addr,
            stop,
            task: Some(task),
        })
    }

    fn shared(&self) -> Result<Shared, SimError> {
        let named: Vec<(String, String)> = match self.mode {
            Mode::Sandbox => vec![(String::new(), "Sandbox Lettings".into())],
            Mode::Production => {
                if self.agencies.is_empty() {
                    return Err(SimError::Config(
                        "production mode needs at least one agency (AgencyRef, name)".into(),
                    ));
                }
                // Keyed by the canonical form, which is what the client sends.
                self.agencies
                    .iter()
                    .map(|(r, n)| {
                        let agency_ref = alto::AgencyRef::parse(r).map_err(|e| {
                            SimError::Config(format!("{r:?} cannot be an AgencyRef: {e}"))
                        })?;
                        Ok((agency_ref.to_string(), n.clone()))
                    })
                    .collect::<Result<_, SimError>>()?
            }
        };
        let mut agencies = BTreeMap::new();
        for (i, (key, name)) in named.iter().enumerate() {
            let mut data = AgencyData::new((i as i64 + 1) * 100_000);
            seed::seed_directory(&mut data, name);
            if self.seed_demo_data {
                seed::seed_demo(&mut data);
            }
            if agencies
                .insert(AgencyKey(key.clone()), Mutex::new(data))
                .is_some()
            {
                return Err(SimError::Config(format!(
                    "AgencyRef {key:?} is listed twice"
                )));
            }
        }
        if self.client_id.is_empty() || self.client_secret.is_empty() {
            return Err(SimError::Config(
                "client id and secret must not be empty".into(),
            ));
        }
        Ok(Shared {
            mode: self.mode,
            agency_names: if self.mode == Mode::Production {
                named
            } else {
                Vec::new()
            },
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.clone(),
            token_lifetime: self.faults.token_lifetime.unwrap_or(self.token_lifetime),
            tokens: Mutex::new(HashMap::new()),
            token_requests: AtomicU64::new(0),
            requests: Mutex::new(Vec::new()),
            agencies,
            injector: Injector::new(self.faults.clone()),
            strict: self.strict,
            violations: Mutex::new(Vec::new()),
        })
    }
}

/// A simulator serving in the background. Dropping it stops the server.
#[derive(Debug)]
pub struct RunningSimulator {
    state: AppState,
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl RunningSimulator {
    /// The API base URL, e.g. `http://127.0.0.1:41234` (no trailing slash).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The token endpoint: `base_url() + "/token"`.
    pub fn token_url(&self) -> String {
        format!("{}/token", self.base_url())
    }

    /// The socket address served.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The client credentials the token endpoint accepts.
    pub fn credentials(&self) -> SimCredentials {
        SimCredentials {
            client_id: self.state.client_id.clone(),
            client_secret: self.state.client_secret.clone(),
        }
    }

    /// Sandbox or production.
    pub fn mode(&self) -> Mode {
        self.state.mode
    }

    /// The production agencies as `(AgencyRef, name)`; empty in sandbox.
    pub fn agencies(&self) -> Vec<(String, String)> {
        self.state.agency_names.clone()
    }

    /// Every request received so far, oldest first (`Authorization` masked).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state
            .requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Forgets the recorded requests (resource data is kept).
    pub fn clear_requests(&self) {
        self.state
            .requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// Answers strict mode found departing from the spec, oldest first (each was answered 500).
    pub fn contract_violations(&self) -> Vec<ContractViolation> {
        self.state
            .violations
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Whether strict mode is on.
    pub fn strict(&self) -> bool {
        self.state.strict
    }

    /// How many times `POST /token` was called (successful or not).
    pub fn token_requests(&self) -> u64 {
        self.state.token_requests.load(Ordering::Relaxed)
    }

    pub(crate) fn with<T>(&self, agency: Option<&str>, f: impl FnOnce(&mut AgencyData) -> T) -> T {
        let key = AgencyKey(agency.unwrap_or_default().trim().to_string());
        let Some(data) = self.state.agencies.get(&key) else {
            panic!(
                "the simulator has no agency {:?} (it is in {:?} mode; use None for sandbox)",
                key.0, self.state.mode
            );
        };
        f(&mut data.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Record counts of one agency: `None` for sandbox, `Some(agency_ref)` in production.
    ///
    /// # Panics
    /// If the agency is not one of this simulator's.
    pub fn counts(&self, agency: Option<&str>) -> ResourceCounts {
        self.with(agency, |d| ResourceCounts {
            contacts: d.contacts.len(),
            properties: d.properties.len(),
            owners: d.ownerships.len(),
            documents: d.documents.len(),
            appointments: d.appointments.len(),
            tenancies: d.tenancies.len(),
            reference_checks: d.reference_checks.len(),
        })
    }

    /// The agency's contacts, as `GET /contacts/{contactId}` answers them, oldest first.
    pub fn contacts(&self, agency: Option<&str>) -> Vec<types::ContactDetails> {
        self.with(agency, |d| {
            d.contacts
                .values()
                .map(|c| contacts::to_contact(d, c))
                .collect()
        })
    }

    /// The agency's properties, as `GET /inventory/{inventoryId}` answers them.
    pub fn properties(&self, agency: Option<&str>) -> Vec<types::InventoryDetailItem> {
        self.with(agency, |d| {
            d.properties
                .values()
                .map(|p| properties::to_detail(d, p))
                .collect()
        })
    }

    /// The agency's documents, as `GET /documents` lists them.
    pub fn documents(&self, agency: Option<&str>) -> Vec<types::Document> {
        self.with(agency, |d| {
            d.documents.values().map(documents::to_document).collect()
        })
    }

    /// The agency's appointments (viewings, general, appraisals).
    pub fn appointments(&self, agency: Option<&str>) -> Vec<types::ExternalPartnerAppointment> {
        self.with(agency, |d| {
            d.appointments
                .values()
                .map(appointments::to_appointment)
                .collect()
        })
    }

    /// The agency's tenancies, as `GET /tenancies/{tenancyId}` answers them.
    pub fn tenancies(&self, agency: Option<&str>) -> Vec<types::TenancyLight> {
        self.with(agency, |d| {
            d.tenancies
                .values()
                .map(|t| tenancies::to_light(d, t))
                .collect()
        })
    }

    /// The agency's reference checks, oldest first.
    pub fn reference_checks(&self, agency: Option<&str>) -> Vec<types::ReferenceCheckDto> {
        self.with(agency, |d| {
            let mut checks: Vec<_> = d.reference_checks.iter().collect();
            checks.sort_by_key(|c| (c.created, c.id));
            checks.into_iter().map(reference_checks::to_dto).collect()
        })
    }

    /// Adds a reference check created at `created` (on the agency's first tenancy, if any), as if
    /// Alto had made one; returns its id. For tests of pollers that see checks appear over time.
    ///
    /// # Panics
    /// If the agency is not one of this simulator's.
    pub fn add_reference_check(
        &self,
        agency: Option<&str>,
        created: chrono::DateTime<chrono::Utc>,
    ) -> uuid::Uuid {
        self.with(agency, |data| {
            let (tenancy_id, tenant_id) = data
                .tenancies
                .values()
                .next()
                .map(|t| (t.id, t.tenants.first().map_or(0, |x| x.tenant_id)))
                .unwrap_or((0, 0));
            let id = uuid::Uuid::new_v4();
            data.reference_checks.push(crate::store::ReferenceCheckRec {
                id,
                tenancy_id,
                tenant_id,
                status: types::ReferenceCheckStatus::Pending,
                created,
                modified: created,
                modified_by: None,
            });
            id
        })
    }

    /// Records a change to contact `id` at `at` (its notes and modification time), as an edit in
    /// Alto would; `false` when the agency has no such contact.
    pub fn modify_contact(
        &self,
        agency: Option<&str>,
        id: i64,
        notes: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> bool {
        self.with(agency, |data| {
            let Some(contact) = data.contacts.get_mut(&id) else {
                return false;
            };
            contact.notes = Some(notes.to_string());
            contact.modified = at;
            true
        })
    }

    /// Stops serving and waits until the listener is closed.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningSimulator {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}
