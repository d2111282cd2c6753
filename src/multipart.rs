//! `multipart/form-data` operations, which progenitor cannot generate (`openapi/README.md` lists
//! the five). [`AgencyClient::send_multipart`] sends a reqwest [`Form`] to any of them by
//! operation id, through the raw client's hook like every other call: the token, the `AgencyRef`
//! rules, tracing, typed errors, and no blind resend (they are all POSTs).
//! [`crate::documents`] builds its upload on it.
//!
//! ```no_run
//! # async fn example(agency: &alto::AgencyClient) -> Result<(), alto::AltoError> {
//! use alto::multipart::Form;
//!
//! let form = Form::new()
//!     .text("chargeType", "CheckInFee")
//!     .text("amount", "120.00")
//!     .text("chargeDate", "2026-12-01T00:00:00Z");
//! let body = agency
//!     .send_multipart("create_tenancy_charge", &[("tenancyId", "42")], form)
//!     .await?;
//! println!("{}", String::from_utf8_lossy(&body));
//! # Ok(()) }
//! ```

use bytes::Bytes;
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
pub use reqwest::multipart::{Form, Part};

use crate::client::AgencyClient;
use crate::error::AltoError;
use crate::raw::{facts, Context};

impl AgencyClient {
    /// Sends `form` to the multipart operation `operation` (its raw method name, e.g.
    /// `create_tenancy_charge`), filling the path template's `{name}`s from
    /// `path_params` (percent-encoded). Returns the body of the success answer.
    ///
    /// Refused before sending, as [`AltoError::InvalidRequest`]: an unknown operation, one that is
    /// not `multipart/form-data`, a path parameter missing or not in the template.
    pub async fn send_multipart(
        &self,
        operation: &str,
        path_params: &[(&str, &str)],
        form: Form,
    ) -> Result<Bytes, AltoError> {
        let facts = multipart_operation(operation)?;
        let path = fill_path(facts.id, facts.path, path_params)?;
        let raw = self.raw();
        let request = raw
            .client()
            .post(format!("{}{path}", raw.baseurl()))
            .multipart(form)
            .build()
            .map_err(|e| invalid(facts.id, e.to_string()))?;
        self.tokens().token().await?;
        let info = OperationInfo {
            operation_id: facts.id,
        };
        let result = <crate::raw::Client as ClientHooks<Context>>::exec(raw, request, &info).await;
        self.success_body(facts.id, result).await
    }
}

/// A request refused before anything is sent.
pub(crate) fn invalid(operation: &str, detail: impl Into<String>) -> AltoError {
    AltoError::InvalidRequest {
        operation: operation.into(),
        detail: detail.into(),
    }
}

/// The facts of `operation`, if the vendored spec has it.
pub(crate) fn known_operation(
    operation: &str,
) -> Result<&'static facts::OperationFacts, AltoError> {
    facts::operation(operation).ok_or_else(|| {
        invalid(
            operation,
            "no such operation in the vendored spec (use the raw method's name)",
        )
    })
}

/// The facts of `operation`, if it is a multipart POST.
fn multipart_operation(operation: &str) -> Result<&'static facts::OperationFacts, AltoError> {
    let facts = known_operation(operation)?;
    let multipart = facts
        .wire_content_type
        .is_some_and(|ct| ct.starts_with("multipart/"));
    if !multipart || facts.method != "POST" {
        return Err(invalid(
            operation,
            format!(
                "{} {} does not take multipart/form-data: use its raw method",
                facts.method, facts.path
            ),
        ));
    }
    Ok(facts)
}

/// `template` with every `{name}` replaced by its percent-encoded value from `params`.
pub(crate) fn fill_path(
    operation: &str,
    template: &str,
    params: &[(&str, &str)],
) -> Result<String, AltoError> {
    let mut path = template.to_string();
    for (name, value) in params {
        let placeholder = format!("{{{name}}}");
        if !path.contains(&placeholder) {
            return Err(invalid(
                operation,
                format!("{template} has no path parameter `{name}`"),
            ));
        }
        if value.is_empty() {
            return Err(invalid(
                operation,
                format!("path parameter `{name}` is empty"),
            ));
        }
        path = path.replace(&placeholder, &progenitor_client::encode_path(value));
    }
    if let Some(start) = path.find('{') {
        let end = path[start..]
            .find('}')
            .map_or(path.len(), |e| start + e + 1);
        return Err(invalid(
            operation,
            format!("path parameter {} was not given", &path[start..end]),
        ));
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_parameters_are_filled_and_encoded() {
        let path = fill_path(
            "op",
            "/tenancies/{tenancyId}/charges",
            &[("tenancyId", "4 2/x")],
        );
        assert_eq!(path.unwrap(), "/tenancies/4%202%2Fx/charges");
    }

    #[test]
    fn a_missing_unknown_or_empty_parameter_is_refused() {
        let missing = fill_path("op", "/tenancies/{tenancyId}/charges", &[]).unwrap_err();
        assert!(
            missing.to_string().contains("{tenancyId} was not given"),
            "{missing}"
        );
        let unknown =
            fill_path("op", "/tenancies/{tenancyId}/charges", &[("id", "1")]).unwrap_err();
        assert!(
            unknown.to_string().contains("no path parameter `id`"),
            "{unknown}"
        );
        let empty =
            fill_path("op", "/tenancies/{tenancyId}/charges", &[("tenancyId", "")]).unwrap_err();
        assert!(empty.to_string().contains("is empty"), "{empty}");
    }

    #[test]
    fn only_multipart_operations_are_accepted() {
        assert!(multipart_operation("create_media_item").is_ok());
        assert!(multipart_operation("upload_document").is_ok());
        let json = multipart_operation("create_contact").unwrap_err();
        assert!(
            json.to_string().contains("does not take multipart"),
            "{json}"
        );
        let unknown = multipart_operation("no_such_thing").unwrap_err();
        assert!(
            unknown.to_string().contains("no such operation"),
            "{unknown}"
        );
    }
}
