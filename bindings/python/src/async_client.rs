//! `alto_crm.AsyncAltoClient`: the same methods as awaitables for asyncio apps, run on the same
//! Rust runtime as the sync client.

use pyo3::prelude::*;

use crate::client_methods::client_methods;
use crate::config::Settings;
use crate::errors::to_py_err;
use crate::operations::Session;
use crate::runtime::awaitable;

/// A client for one Alto agency whose methods return awaitables (`await client.get_branches()`).
#[pyclass(frozen, module = "alto_crm")]
pub struct AsyncAltoClient {
    session: Session,
}

impl AsyncAltoClient {
    /// A client for `settings`; configuration mistakes raise `ConfigurationError`.
    pub fn from_settings(settings: Settings) -> PyResult<Self> {
        let agency = settings
            .connect()
            .map_err(|f| Python::attach(|py| to_py_err(py, f)))?;
        Ok(Self {
            session: Session::new(agency),
        })
    }
}

client_methods!(AsyncAltoClient, awaitable);
