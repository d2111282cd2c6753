//! Facade inputs become generated request types through serde, so the generated type's own
//! checks (required fields, enums, lengths) apply before anything is sent.

use serde::{de::DeserializeOwned, Serialize};

use crate::error::AltoError;

/// Converts a facade input into the operation's generated request type.
pub(crate) fn typed<T: DeserializeOwned>(
    operation: &str,
    input: &impl Serialize,
) -> Result<T, AltoError> {
    let value = serde_json::to_value(input).map_err(|e| invalid(operation, e))?;
    serde_json::from_value(value).map_err(|e| invalid(operation, e))
}

fn invalid(operation: &str, e: serde_json::Error) -> AltoError {
    AltoError::InvalidRequest {
        operation: operation.to_string(),
        detail: format!("the request does not fit the Alto spec: {e}"),
    }
}

/// Serializers for Alto fields that carry ids as strings (`"branchId": "1"`) although the
/// facade holds them as numbers.
pub(crate) mod as_text {
    use std::fmt::Display;

    use serde::Serializer;

    /// One value as a string.
    pub(crate) fn one<S: Serializer, T: Display>(v: &T, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(v)
    }

    /// An optional value as a string (or null).
    pub(crate) fn option<S: Serializer, T: Display>(
        v: &Option<T>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match v {
            Some(v) => s.collect_str(v),
            None => s.serialize_none(),
        }
    }

    /// A list of values as strings.
    pub(crate) fn many<S: Serializer, T: Display>(v: &[T], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter().map(ToString::to_string))
    }
}
