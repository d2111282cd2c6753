//! Python values in and out: dates, ids, files and JSON (dicts use Alto's own field names).

use chrono::{DateTime, NaiveDate, Utc};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyString};
use serde_json::Value;

/// A point in time from a `datetime` (naive means local time, as `datetime.now()` gives), a
/// `date` (midnight UTC) or an ISO 8601 string.
pub fn instant(value: &Bound<'_, PyAny>) -> PyResult<DateTime<Utc>> {
    let text = if value.is_instance_of::<PyString>() {
        value.extract::<String>()?
    } else if value.hasattr("hour")? {
        let utc = value
            .py()
            .import("datetime")?
            .getattr("timezone")?
            .getattr("utc")?;
        value
            .call_method1("astimezone", (utc,))?
            .call_method0("isoformat")?
            .extract()?
    } else if value.hasattr("isoformat")? {
        value.call_method0("isoformat")?.extract()?
    } else {
        return Err(PyTypeError::new_err(
            "expected a datetime, a date or an ISO 8601 string",
        ));
    };
    parse_instant(&text)
        .ok_or_else(|| PyValueError::new_err(format!("{text:?} is not an ISO 8601 date or time")))
}

fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
}

/// A numeric Alto id from an `int` or a string of digits.
pub fn id(value: &Bound<'_, PyAny>, what: &str) -> PyResult<i64> {
    if let Ok(n) = value.extract::<i64>() {
        return Ok(n);
    }
    value
        .extract::<String>()
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .ok_or_else(|| PyValueError::new_err(format!("{what} must be a numeric Alto id")))
}

/// A dict or list as JSON.
pub fn json(value: &Bound<'_, PyAny>, what: &str) -> PyResult<Value> {
    pythonize::depythonize(value)
        .map_err(|e| PyValueError::new_err(format!("{what} cannot be sent as JSON: {e}")))
}

/// JSON as Python dicts, lists, strings and numbers.
pub fn py_of(py: Python<'_>, value: &Value) -> PyResult<Py<PyAny>> {
    pythonize::pythonize(py, value)
        .map(Bound::unbind)
        .map_err(|e| PyValueError::new_err(e.to_string()))
}

/// A file to upload, from a path (`str` or `os.PathLike`), `bytes`/`bytearray`, or a binary file
/// object; its name is `file_name`, else the path's or file object's base name.
pub fn file(value: &Bound<'_, PyAny>, file_name: Option<String>) -> PyResult<(String, Vec<u8>)> {
    let base = |path: &str| {
        std::path::Path::new(path)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
    };
    if let Ok(bytes) = value.cast::<PyBytes>() {
        return named(file_name, bytes.as_bytes().to_vec());
    }
    if let Ok(bytes) = value.cast::<PyByteArray>() {
        return named(file_name, bytes.to_vec());
    }
    if value.hasattr("read")? {
        let name = file_name.or_else(|| {
            value
                .getattr("name")
                .and_then(|n| n.extract::<String>())
                .ok()
                .and_then(|n| base(&n))
        });
        let content = value.call_method0("read")?;
        let content = content
            .cast::<PyBytes>()
            .map_err(|_| PyTypeError::new_err("the file object must be opened in binary mode"))?;
        return named(name, content.as_bytes().to_vec());
    }
    let path: String = value
        .py()
        .import("os")?
        .call_method1("fspath", (value,))
        .and_then(|p| p.extract())
        .map_err(|_| PyTypeError::new_err("file must be a path, bytes or a binary file object"))?;
    let content = std::fs::read(&path)
        .map_err(|e| PyValueError::new_err(format!("cannot read {path}: {e}")))?;
    named(file_name.or_else(|| base(&path)), content)
}

fn named(name: Option<String>, content: Vec<u8>) -> PyResult<(String, Vec<u8>)> {
    match name.filter(|n| !n.trim().is_empty()) {
        Some(name) => Ok((name, content)),
        None => Err(PyValueError::new_err(
            "file_name is required when the file is given as bytes",
        )),
    }
}

/// A `raw()` keyword argument's value as query text: lists repeat the parameter, booleans are
/// `true`/`false`, datetimes and dates ISO 8601.
pub fn query_values(value: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    if value.is_instance_of::<PyString>() {
        return Ok(vec![value.extract()?]);
    }
    if let Ok(flag) = value.cast::<pyo3::types::PyBool>() {
        return Ok(vec![flag.is_true().to_string()]);
    }
    if value.is_instance_of::<pyo3::types::PyList>()
        || value.is_instance_of::<pyo3::types::PyTuple>()
    {
        let mut all = Vec::new();
        for item in value.try_iter()? {
            all.extend(query_values(&item?)?);
        }
        return Ok(all);
    }
    if value.hasattr("isoformat")? {
        return Ok(vec![
            instant(value)?.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        ]);
    }
    Ok(vec![value.str()?.extract()?])
}
