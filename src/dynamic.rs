//! Calls by operation id with JSON in and out, for callers that cannot name the raw client's
//! typed builders at compile time (the Python bindings' `client.raw(operation_id, **params)`).
//!
//! [`AgencyClient::send_json`] looks the operation up in the facts table generated with the
//! client ([`crate::raw::facts`]: method, path template, paging parameters), so it serves every
//! operation the spec has, under whatever id the build gives it. The request goes through the
//! raw client's hook like every other call: the token, the `AgencyRef` rules, the real content
//! type (JSON Patch), safe retries by method, tracing, and typed errors.
//! [`AgencyClient::send_json_pages`] follows a paged operation's cursor to the last page.
//!
//! ```no_run
//! # async fn example(agency: &alto::AgencyClient) -> Result<(), alto::AltoError> {
//! let tenants = agency
//!     .send_json("get_tenant_ids", &[("tenancyId", "42")], &[], None)
//!     .await?;
//! let branches = agency.send_json_pages("list_branches", &[], &[]).await?;
//! println!("{tenants} / {} branches", branches.len());
//! # Ok(()) }
//! ```

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use serde_json::Value;

use crate::client::AgencyClient;
use crate::error::AltoError;
use crate::multipart::{fill_path, invalid, known_operation};
use crate::paging::{paginate, Paged, DEFAULT_PAGE_SIZE};
use crate::raw::{facts, Context};
use futures::TryStreamExt;

impl AgencyClient {
    /// Sends one call to `operation` (an id of [`crate::raw::facts::OPERATIONS`]): `path_params`
    /// fill the path template's `{name}`s, `query` is sent as it is (a name may repeat, for
    /// array parameters), `body` as JSON. Returns the answer's JSON (`Null` when it has no body).
    ///
    /// Refused before sending, as [`AltoError::InvalidRequest`]: an unknown operation, a
    /// multipart one (use [`AgencyClient::send_multipart`]), a body on a GET or DELETE, a path
    /// parameter missing or not in the template. An answer that is not JSON is
    /// [`AltoError::Decode`].
    pub async fn send_json(
        &self,
        operation: &str,
        path_params: &[(&str, &str)],
        query: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<Value, AltoError> {
        let facts = json_operation(operation)?;
        let method: reqwest::Method = facts
            .method
            .parse()
            .map_err(|_| invalid(facts.id, format!("unknown method {}", facts.method)))?;
        if body.is_some() && matches!(method, reqwest::Method::GET | reqwest::Method::DELETE) {
            return Err(invalid(
                facts.id,
                format!("{} {} takes no body", facts.method, facts.path),
            ));
        }
        let path = fill_path(facts.id, facts.path, path_params)?;
        let raw = self.raw();
        let mut request = raw
            .client()
            .request(method, format!("{}{path}", raw.baseurl()))
            .header(reqwest::header::ACCEPT, "application/json");
        if !query.is_empty() {
            request = request.query(query);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let request = request
            .build()
            .map_err(|e| invalid(facts.id, e.to_string()))?;
        self.tokens().token().await?;
        let info = OperationInfo {
            operation_id: facts.id,
        };
        let result = <crate::raw::Client as ClientHooks<Context>>::exec(raw, request, &info).await;
        let answer = self.success_body(facts.id, result).await?;
        if answer.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Null);
        }
        serde_json::from_slice(&answer).map_err(|e| AltoError::Decode {
            operation: facts.id.into(),
            detail: format!("the answer is not JSON: {e}"),
        })
    }

    /// Every item of a paged operation, page after page: like [`AgencyClient::send_json`], with
    /// the operation's own page-size parameter (100 unless `query` sets it) and its cursor
    /// parameter in the casing the facts table names. Refused for an operation that is not
    /// paged.
    pub async fn send_json_pages(
        &self,
        operation: &str,
        path_params: &[(&str, &str)],
        query: &[(&str, &str)],
    ) -> Result<Vec<Value>, AltoError> {
        let facts = json_operation(operation)?;
        let Some(cursor_param) = facts.page_token_param else {
            return Err(invalid(
                facts.id,
                format!("{} {} is not paged", facts.method, facts.path),
            ));
        };
        let size = DEFAULT_PAGE_SIZE.to_string();
        let mut base: Vec<(&str, &str)> = query.to_vec();
        if let Some(size_param) = facts.page_size_param {
            if !base.iter().any(|(name, _)| *name == size_param) {
                base.push((size_param, &size));
            }
        }
        let base = &base;
        paginate(|cursor: Option<String>| async move {
            let mut query = base.clone();
            if let Some(cursor) = &cursor {
                query.push((cursor_param, cursor));
            }
            self.send_json(facts.id, path_params, &query, None)
                .await
                .map(JsonPage)
        })
        .try_collect()
        .await
    }
}

/// A paged answer as JSON: `items` and `meta.nextToken`, as every paged Alto answer has them.
struct JsonPage(Value);

impl Paged for JsonPage {
    type Item = Value;

    fn into_parts(self) -> (Vec<Value>, Option<String>) {
        let next = self
            .0
            .pointer("/meta/nextToken")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .map(String::from);
        let items = match self.0 {
            Value::Object(mut answer) => match answer.remove("items") {
                Some(Value::Array(items)) => items,
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        (items, next)
    }
}

/// The facts of `operation`, if it exists and does not take a multipart form.
fn json_operation(operation: &str) -> Result<&'static facts::OperationFacts, AltoError> {
    let facts = known_operation(operation)?;
    if facts
        .wire_content_type
        .is_some_and(|ct| ct.starts_with("multipart/"))
    {
        return Err(invalid(
            operation,
            format!(
                "{} {} takes multipart/form-data: send it with send_multipart",
                facts.method, facts.path
            ),
        ));
    }
    Ok(facts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_json_page_splits_into_items_and_cursor() {
        let page = JsonPage(json!({"items": [{"id": 1}, {"id": 2}], "meta": {"nextToken": "n2"}}));
        assert_eq!(
            page.into_parts(),
            (vec![json!({"id": 1}), json!({"id": 2})], Some("n2".into()))
        );
        let last = JsonPage(json!({"items": [], "meta": {"nextToken": ""}}));
        assert_eq!(last.into_parts(), (vec![], None));
    }

    #[test]
    fn unknown_and_multipart_operations_are_refused() {
        assert!(json_operation("list_branches").is_ok());
        let multipart = json_operation("upload_document").unwrap_err();
        assert!(
            multipart.to_string().contains("send_multipart"),
            "{multipart}"
        );
        let unknown = json_operation("no_such_thing").unwrap_err();
        assert!(
            unknown.to_string().contains("no such operation"),
            "{unknown}"
        );
    }
}
