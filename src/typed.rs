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
