//! Python bindings for the `alto` facade: the `alto_crm` package's native module
//! (`alto_crm._native`). Tokens, environments, the AgencyRef rule, retries, paging and typed
//! errors all come from the facade; this crate only converts between Python and Rust values.
//!
//! Where things are: `config` (constructor arguments → an agency client), `operations` (the
//! seed's calls on the facade, shared by both clients), `sync_client` and `async_client` (the two
//! Python classes), `convert` (dates, ids, files, JSON), `errors` (facade errors → the Python
//! exceptions of `alto_crm/errors.py`), `simulator` (the embedded simulator), `runtime`.

use pyo3::prelude::*;

mod async_client;
mod client_methods;
mod config;
mod convert;
mod errors;
mod operations;
mod runtime;
mod simulator;
mod sync_client;

/// The native module; `alto_crm/__init__.py` re-exports its classes.
#[pymodule(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<sync_client::AltoClient>()?;
    m.add_class::<async_client::AsyncAltoClient>()?;
    m.add_class::<simulator::Simulator>()?;
    m.add("OPERATION_IDS", operations::operation_ids())?;
    Ok(())
}
