//! `alto_crm.AltoClient`: the seed's client shape, blocking, with the GIL released during I/O.

use pyo3::prelude::*;

use crate::client_methods::client_methods;
use crate::config::Settings;
use crate::errors::to_py_err;
use crate::operations::Session;
use crate::runtime::block_on;

/// A client for one Alto agency; every method blocks until Alto answers (other Python threads
/// run meanwhile). Tokens, retries, paging and errors come from the Rust facade.
#[pyclass(frozen, module = "alto_crm")]
pub struct AltoClient {
    session: Session,
}

impl AltoClient {
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

client_methods!(AltoClient, block_on);
