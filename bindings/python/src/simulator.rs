//! `alto_crm.Simulator`: the embedded Alto simulator (`alto_sim`) on the clients' runtime, so a
//! Python team's tests run with no credentials and no network.

use std::sync::Mutex;
use std::time::Duration;

use alto_sim::{Faults, Mode, RunningSimulator};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;

use crate::async_client::AsyncAltoClient;
use crate::config::Settings;
use crate::sync_client::AltoClient;

/// A running simulator of Alto on a free loopback port, with demo data (branches, negotiators,
/// tenancies with tenants and guarantors, reference checks). Sandbox by default; with
/// `agencies={"1b7c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e": "Acme"}` it behaves like production (every call needs an AgencyRef).
/// `error_rate` of calls (0..1) answer `error_status`; `latency_ms` delays every answer.
/// Use it as a context manager, or call `close()`.
#[pyclass(module = "alto_crm")]
pub struct Simulator {
    running: Mutex<Option<RunningSimulator>>,
    api_url: String,
    token_url: String,
    client_id: String,
    client_secret: String,
    production: bool,
}

#[pymethods]
impl Simulator {
    #[new]
    #[pyo3(signature = (agencies=None, seed_demo_data=true, error_rate=0.0, error_status=503, latency_ms=0, retry_after_secs=0))]
    fn py_new(
        py: Python<'_>,
        agencies: Option<std::collections::BTreeMap<String, String>>,
        seed_demo_data: bool,
        error_rate: f64,
        error_status: u16,
        latency_ms: u64,
        retry_after_secs: u64,
    ) -> PyResult<Self> {
        if !(0.0..=1.0).contains(&error_rate) {
            return Err(PyValueError::new_err(format!(
                "error_rate {error_rate} is not a share between 0 and 1"
            )));
        }
        let mut faults = Faults::none().latency(Duration::from_millis(latency_ms));
        if error_rate > 0.0 {
            faults = faults.error_rate(error_status, error_rate);
        }
        if retry_after_secs > 0 {
            faults = faults.retry_after(Duration::from_secs(retry_after_secs));
        }
        let mut builder = alto_sim::Simulator::builder()
            .seed_demo_data(seed_demo_data)
            .faults(faults);
        if let Some(agencies) = agencies.filter(|a| !a.is_empty()) {
            builder = builder.production(agencies);
        }
        let running = py
            .detach(|| pyo3_async_runtimes::tokio::get_runtime().block_on(builder.start()))
            .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
        let credentials = running.credentials();
        Ok(Self {
            api_url: running.base_url(),
            token_url: running.token_url(),
            client_id: credentials.client_id,
            client_secret: credentials.client_secret,
            production: running.mode() == Mode::Production,
            running: Mutex::new(Some(running)),
        })
    }

    /// The simulated API's base URL.
    #[getter]
    fn api_url(&self) -> String {
        self.api_url.clone()
    }

    /// The simulated token endpoint.
    #[getter]
    fn token_url(&self) -> String {
        self.token_url.clone()
    }

    /// The client id the simulator accepts.
    #[getter]
    fn client_id(&self) -> String {
        self.client_id.clone()
    }

    /// The client secret the simulator accepts (a fixed test value, not a real secret).
    #[getter]
    fn client_secret(&self) -> String {
        self.client_secret.clone()
    }

    /// A client for this simulator (`agency_ref` picks the agency in production mode).
    #[pyo3(signature = (agency_ref=None, timeout=None, max_attempts=None))]
    fn client(
        &self,
        agency_ref: Option<String>,
        timeout: Option<f64>,
        max_attempts: Option<usize>,
    ) -> PyResult<AltoClient> {
        AltoClient::from_settings(self.settings(agency_ref, timeout, max_attempts))
    }

    /// An asyncio client for this simulator.
    #[pyo3(signature = (agency_ref=None, timeout=None, max_attempts=None))]
    fn async_client(
        &self,
        agency_ref: Option<String>,
        timeout: Option<f64>,
        max_attempts: Option<usize>,
    ) -> PyResult<AsyncAltoClient> {
        AsyncAltoClient::from_settings(self.settings(agency_ref, timeout, max_attempts))
    }

    /// How many records the agency (`agency_ref`, or the sandbox's one data set) holds, per
    /// family: contacts, properties, owners, documents, appointments, tenancies,
    /// reference_checks.
    #[pyo3(signature = (agency_ref=None))]
    fn counts(&self, py: Python<'_>, agency_ref: Option<String>) -> PyResult<Py<PyAny>> {
        let guard = self.running.lock().expect("simulator lock");
        let running = guard
            .as_ref()
            .ok_or_else(|| PyRuntimeError::new_err("the simulator is closed"))?;
        let counts = serde_json::to_value(running.counts(agency_ref.as_deref()))
            .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
        crate::convert::py_of(py, &counts)
    }

    /// Stops the simulator (idempotent).
    fn close(&self, py: Python<'_>) {
        let running = self.running.lock().expect("simulator lock").take();
        if let Some(running) = running {
            py.detach(|| pyo3_async_runtimes::tokio::get_runtime().block_on(running.shutdown()));
        }
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, py: Python<'_>, _exc: &Bound<'_, pyo3::types::PyTuple>) -> bool {
        self.close(py);
        false
    }

    fn __repr__(&self) -> String {
        format!(
            "Simulator(api_url={:?}, mode={:?})",
            self.api_url,
            if self.production {
                "production"
            } else {
                "sandbox"
            }
        )
    }
}

impl Simulator {
    fn settings(
        &self,
        agency_ref: Option<String>,
        timeout: Option<f64>,
        max_attempts: Option<usize>,
    ) -> Settings {
        Settings {
            client_id: Some(self.client_id.clone()),
            client_secret: Some(self.client_secret.clone()),
            sandbox: Some(!self.production),
            agency_ref,
            api_url: Some(self.api_url.clone()),
            token_url: Some(self.token_url.clone()),
            timeout,
            max_attempts,
        }
    }
}
