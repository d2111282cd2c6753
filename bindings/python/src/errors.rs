//! Facade errors as the Python exceptions of `alto_crm/errors.py`: one class per
//! [`alto::AltoError`] kind, the facade's own message, and its details as attributes.

use alto::{AltoError, Problem};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Why a call failed: the facade said so, or the Python arguments were refused before the call.
#[derive(Debug)]
pub enum Failure {
    /// A facade error, raised as its `alto_crm` exception.
    Alto(AltoError),
    /// Bad input found on the Python side of the call, raised as `ValueError`.
    Value(String),
}

impl From<AltoError> for Failure {
    fn from(e: AltoError) -> Self {
        Failure::Alto(e)
    }
}

impl From<alto::ConfigError> for Failure {
    fn from(e: alto::ConfigError) -> Self {
        Failure::Alto(e.into())
    }
}

/// The Python exception for `failure`.
pub fn to_py_err(py: Python<'_>, failure: Failure) -> PyErr {
    match failure {
        Failure::Value(message) => PyValueError::new_err(message),
        Failure::Alto(error) => {
            alto_exception(py, &error).unwrap_or_else(|e| PyRuntimeError::new_err(e.to_string()))
        }
    }
}

fn alto_exception(py: Python<'_>, error: &AltoError) -> PyResult<PyErr> {
    let details = PyDict::new(py);
    let (class, operation, problem) = match error {
        AltoError::Config(_) => ("ConfigurationError", None, None),
        AltoError::Token(_) => ("TokenError", None, None),
        AltoError::Unauthorized { operation } => ("UnauthorizedError", Some(operation), None),
        AltoError::Forbidden {
            operation,
            environment,
            agency_ref,
            required_scopes,
            problem,
            ..
        } => {
            details.set_item("environment", environment.to_string())?;
            details.set_item("agency_ref", agency_ref)?;
            details.set_item("required_scopes", required_scopes)?;
            ("ForbiddenError", Some(operation), problem.as_deref())
        }
        AltoError::NotFound { operation, problem } => {
            ("NotFoundError", Some(operation), problem.as_deref())
        }
        AltoError::Validation {
            operation, problem, ..
        } => {
            details.set_item("field_errors", &problem.errors)?;
            ("ValidationError", Some(operation), Some(problem.as_ref()))
        }
        AltoError::Duplicate {
            operation, problem, ..
        } => {
            details.set_item("existing_ids", error.existing_ids())?;
            ("DuplicateError", Some(operation), problem.as_deref())
        }
        AltoError::RateLimited {
            operation,
            retry_after,
        } => {
            details.set_item("retry_after", retry_after.map(|d| d.as_secs_f64()))?;
            ("RateLimitedError", Some(operation), None)
        }
        AltoError::Server {
            operation,
            problem,
            retried,
            ..
        } => {
            details.set_item("retried", retried)?;
            ("ServerError", Some(operation), problem.as_deref())
        }
        AltoError::Redirected {
            operation,
            location,
            ..
        } => {
            details.set_item("location", location)?;
            ("RedirectError", Some(operation), None)
        }
        AltoError::UnexpectedStatus {
            operation, problem, ..
        } => ("UnexpectedStatusError", Some(operation), problem.as_deref()),
        AltoError::Timeout { operation } => ("TimeoutError", Some(operation), None),
        AltoError::Transport { operation, .. } => ("TransportError", Some(operation), None),
        AltoError::Decode { operation, .. } => ("DecodeError", Some(operation), None),
        AltoError::InvalidRequest { operation, .. } => {
            ("InvalidRequestError", Some(operation), None)
        }
        // A kind added to the library after these bindings: the base class still catches it.
        _ => ("AltoError", None, None),
    };
    details.set_item("operation", operation)?;
    details.set_item("status", error.status())?;
    details.set_item("problem", problem.map(|p| problem_dict(py, p)).transpose()?)?;
    let class = py.import("alto_crm.errors")?.getattr(class)?;
    let exception = class.call((error.to_string(),), Some(&details))?;
    Ok(PyErr::from_value(exception))
}

/// Alto's problem details as a dict: title, detail, type, field errors, non-JSON text.
fn problem_dict<'py>(py: Python<'py>, problem: &Problem) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("title", &problem.title)?;
    dict.set_item("detail", &problem.detail)?;
    dict.set_item("type", &problem.kind)?;
    dict.set_item("errors", &problem.errors)?;
    dict.set_item("text", &problem.text)?;
    Ok(dict)
}
