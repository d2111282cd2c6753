//! The one tokio runtime behind both clients: the sync client blocks on it with the GIL
//! released, the async client hands its futures to asyncio through pyo3-async-runtimes, which
//! drives them on this same runtime.

use std::future::Future;

use pyo3::prelude::*;

use crate::errors::{to_py_err, Failure};

/// Runs `call` to completion on the shared runtime with the GIL released (other Python
/// threads run during the I/O), then converts its answer.
pub fn block_on<T, F, C>(py: Python<'_>, call: F, convert: C) -> PyResult<Py<PyAny>>
where
    T: Send,
    F: Future<Output = Result<T, Failure>> + Send,
    C: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>>,
{
    let outcome = py.detach(|| pyo3_async_runtimes::tokio::get_runtime().block_on(call));
    match outcome {
        Ok(value) => convert(py, value),
        Err(failure) => Err(to_py_err(py, failure)),
    }
}

/// An asyncio awaitable of `call`, run on the shared runtime.
pub fn awaitable<T, F, C>(py: Python<'_>, call: F, convert: C) -> PyResult<Py<PyAny>>
where
    T: Send + 'static,
    F: Future<Output = Result<T, Failure>> + Send + 'static,
    C: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>> + Send + 'static,
{
    pyo3_async_runtimes::tokio::future_into_py(py, async move {
        let outcome = call.await;
        Python::attach(|py| match outcome {
            Ok(value) => convert(py, value),
            Err(failure) => Err(to_py_err(py, failure)),
        })
    })
    .map(Bound::unbind)
}
