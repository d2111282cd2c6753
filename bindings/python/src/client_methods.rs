//! The methods both Python clients have, written once: `client_methods!(AltoClient, block_on)`
//! makes them block (GIL released), `client_methods!(AsyncAltoClient, awaitable)` makes them
//! return asyncio awaitables. Arguments are converted before the call, answers after it.

/// Generates the `#[pymethods]` of a client class holding a `session: Session`; `$run` is
/// [`crate::runtime::block_on`] or [`crate::runtime::awaitable`].
macro_rules! client_methods {
    ($class:ident, $run:path) => {
        #[pyo3::pymethods]
        impl $class {
            /// Connects to Alto (or to `api_url`/`token_url`, e.g. a simulator). Arguments not
            /// given come from ALTO_CLIENT_ID, ALTO_CLIENT_SECRET, ALTO_ENV, ALTO_API_URL,
            /// ALTO_TOKEN_URL and ALTO_AGENCY_REF. Production (`sandbox=False`) requires the
            /// agency's AgencyRef; sandbox never sends one. `timeout` is per attempt in seconds;
            /// `max_attempts` bounds the retries of calls that are safe to retry.
            #[new]
            #[pyo3(signature = (client_id=None, client_secret=None, sandbox=None, agency_ref=None, api_url=None, token_url=None, timeout=None, max_attempts=None))]
            #[allow(clippy::too_many_arguments)]
            fn py_new(
                client_id: Option<String>,
                client_secret: Option<String>,
                sandbox: Option<bool>,
                agency_ref: Option<String>,
                api_url: Option<String>,
                token_url: Option<String>,
                timeout: Option<f64>,
                max_attempts: Option<usize>,
            ) -> pyo3::PyResult<Self> {
                let settings = $crate::config::Settings {
                    client_id,
                    client_secret,
                    sandbox,
                    agency_ref,
                    api_url,
                    token_url,
                    timeout,
                    max_attempts,
                };
                Self::from_settings(settings)
            }

            /// "sandbox" or "production".
            #[getter]
            fn environment(&self) -> String {
                self.session.agency().environment().to_string()
            }

            /// The API base URL calls go to.
            #[getter]
            fn api_url(&self) -> String {
                self.session.agency().api_url().to_string()
            }

            fn __repr__(&self) -> String {
                format!(
                    "{}(environment={:?}, api_url={:?})",
                    stringify!($class),
                    self.session.agency().environment().to_string(),
                    self.session.agency().api_url()
                )
            }

            /// Reference checks created from `start_date` (to `end_date`), every page, as dicts.
            /// Dates: `datetime` (naive means local time), `date` or ISO 8601 text.
            #[pyo3(signature = (start_date, end_date=None))]
            fn get_reference_checks(
                &self,
                py: pyo3::Python<'_>,
                start_date: &pyo3::Bound<'_, pyo3::PyAny>,
                end_date: Option<&pyo3::Bound<'_, pyo3::PyAny>>,
            ) -> pyo3::PyResult<pyo3::Py<pyo3::PyAny>> {
                let from = $crate::convert::instant(start_date)?;
                let to = end_date.map($crate::convert::instant).transpose()?;
                let call = self.session.clone().reference_checks(from, to);
                $run(py, call, json_answer)
            }

            /// Sets a reference check's status: only "Pending" or "Completed" (anything else
            /// raises ValueError before sending). Returns None.
            fn update_reference_check_status(
                &self,
                py: pyo3::Python<'_>,
                reference_check_id: &pyo3::Bound<'_, pyo3::PyAny>,
                status: &str,
            ) -> pyo3::PyResult<pyo3::Py<pyo3::PyAny>> {
                let status = match status {
                    "Pending" => alto::reference_checks::ReferenceCheckStatus::Pending,
                    "Completed" => alto::reference_checks::ReferenceCheckStatus::Completed,
                    other => {
                        return Err(pyo3::exceptions::PyValueError::new_err(format!(
                            "status must be \"Pending\" or \"Completed\", not {other:?}"
                        )))
                    }
                };
                let id: String = reference_check_id.str()?.extract()?;
                let id = uuid::Uuid::parse_str(id.trim()).map_err(|_| {
                    pyo3::exceptions::PyValueError::new_err(format!(
                        "reference_check_id {id:?} is not a UUID"
                    ))
                })?;
                let call = self.session.clone().set_reference_check_status(id, status);
                $run(py, call, json_answer)
            }

            /// Creates a contact from the seed's simple dict (`firstName`, `lastName`, `email`,
            /// `phone`, `title`, `branchId`; the branch defaults to the agency's first) or from
            /// Alto's own body (with `people`). Returns Alto's contact (with its `id`).
            fn create_contact(
                &self,
                py: pyo3::Python<'_>,
                contact: &pyo3::Bound<'_, pyo3::PyAny>,
            ) -> pyo3::PyResult<pyo3::Py<pyo3::PyAny>> {
                let input = $crate::operations::NewContactInput::from_json(
                    $crate::convert::json(contact, "the contact")?,
                )
                .map_err(|f| $crate::errors::to_py_err(py, f))?;
                $run(py, self.session.clone().create_contact(input), json_answer)
            }

            /// A contact by id, as Alto returns it.
            fn get_contact(
                &self,
                py: pyo3::Python<'_>,
                contact_id: &pyo3::Bound<'_, pyo3::PyAny>,
            ) -> pyo3::PyResult<pyo3::Py<pyo3::PyAny>> {
                let id = $crate::convert::id(contact_id, "contact_id")?;
                $run(py, self.session.clone().get_contact(id), json_answer)
            }

            /// Creates a property owned by an existing contact (owner first, as Alto requires);
            /// `property` is Alto's body (`address`, `market`, `branchId`, …). Returns its id.
            #[pyo3(signature = (owner_contact_id, property))]
            fn create_property(
                &self,
                py: pyo3::Python<'_>,
                owner_contact_id: &pyo3::Bound<'_, pyo3::PyAny>,
                property: &pyo3::Bound<'_, pyo3::PyAny>,
            ) -> pyo3::PyResult<pyo3::Py<pyo3::PyAny>> {
                let owner = $crate::convert::id(owner_contact_id, "owner_contact_id")?;
                let body = $crate::convert::json(property, "the property")?;
                $run(py, self.session.clone().create_property(owner, body), json_answer)
            }

            /// Uploads a file (a path, bytes or a binary file object) linked to a record:
            /// `linked_type` is any type Alto takes ("Contact", "Tenancy", "Property" are
            /// constants of this module). Returns the document id.
            #[pyo3(signature = (file, file_name=None, *, linked_type, linked_id))]
            fn upload_document(
                &self,
                py: pyo3::Python<'_>,
                file: &pyo3::Bound<'_, pyo3::PyAny>,
                file_name: Option<String>,
                linked_type: String,
                linked_id: &pyo3::Bound<'_, pyo3::PyAny>,
            ) -> pyo3::PyResult<pyo3::Py<pyo3::PyAny>> {
                let linked_id = $crate::convert::id(linked_id, "linked_id")?;
                let (name, content) = $crate::convert::file(file, file_name)?;
                let call = self
                    .session
                    .clone()
                    .upload_document(name, content, linked_type, linked_id);
                $run(py, call, json_answer)
            }

            /// The tenants of a tenancy: `[{"tenantId": …, "contactId": …}]`.
            fn get_tenant_ids(
                &self,
                py: pyo3::Python<'_>,
                tenancy_id: &pyo3::Bound<'_, pyo3::PyAny>,
            ) -> pyo3::PyResult<pyo3::Py<pyo3::PyAny>> {
                let id = $crate::convert::id(tenancy_id, "tenancy_id")?;
                $run(py, self.session.clone().tenant_ids(id), json_answer)
            }

            /// The guarantors of a tenant (`GET /guarantorIds?tenantId=`):
            /// `[{"guarantorId": …, "guarantorContactId": …}]`.
            fn get_guarantor_ids(
                &self,
                py: pyo3::Python<'_>,
                tenant_id: &pyo3::Bound<'_, pyo3::PyAny>,
            ) -> pyo3::PyResult<pyo3::Py<pyo3::PyAny>> {
                let id = $crate::convert::id(tenant_id, "tenant_id")?;
                $run(py, self.session.clone().guarantor_ids(id), json_answer)
            }

            /// Books a viewing of a property with one or more contacts (never twice, even when
            /// an answer is lost); the negotiator defaults to the agency's first. Returns the
            /// appointment id.
            #[pyo3(signature = (property_id, contact_ids, start, end, negotiator_id=None, notes=None, confirmed=true))]
            #[allow(clippy::too_many_arguments)]
            fn create_appointment(
                &self,
                py: pyo3::Python<'_>,
                property_id: &pyo3::Bound<'_, pyo3::PyAny>,
                contact_ids: &pyo3::Bound<'_, pyo3::PyAny>,
                start: &pyo3::Bound<'_, pyo3::PyAny>,
                end: &pyo3::Bound<'_, pyo3::PyAny>,
                negotiator_id: Option<&pyo3::Bound<'_, pyo3::PyAny>>,
                notes: Option<String>,
                confirmed: bool,
            ) -> pyo3::PyResult<pyo3::Py<pyo3::PyAny>> {
                let property = $crate::convert::id(property_id, "property_id")?;
                let contacts = match contact_ids.try_iter() {
                    Ok(ids) if !contact_ids.is_instance_of::<pyo3::types::PyString>() => ids
                        .map(|c| $crate::convert::id(&c?, "contact_ids"))
                        .collect::<pyo3::PyResult<Vec<i64>>>()?,
                    _ => vec![$crate::convert::id(contact_ids, "contact_ids")?],
                };
                let negotiator = negotiator_id
                    .map(|n| $crate::convert::id(n, "negotiator_id"))
                    .transpose()?;
                let call = self.session.clone().create_appointment(
                    property,
                    contacts,
                    $crate::convert::instant(start)?,
                    $crate::convert::instant(end)?,
                    negotiator,
                    notes,
                    confirmed,
                );
                $run(py, call, json_answer)
            }

            /// Every branch of the agency, as dicts.
            fn get_branches(&self, py: pyo3::Python<'_>) -> pyo3::PyResult<pyo3::Py<pyo3::PyAny>> {
                $run(py, self.session.clone().branches(), json_answer)
            }

            /// Every negotiator of the agency, as dicts.
            fn get_negotiators(
                &self,
                py: pyo3::Python<'_>,
            ) -> pyo3::PyResult<pyo3::Py<pyo3::PyAny>> {
                $run(py, self.session.clone().negotiators(), json_answer)
            }

            /// Any Alto operation by id (`alto_crm.OPERATION_IDS`): keyword arguments named like
            /// a `{name}` of its path fill the path, `body` is the JSON body, the rest are query
            /// parameters with Alto's names (lists repeat). A paged operation returns every item
            /// of every page; others return Alto's answer (None when empty).
            #[pyo3(signature = (operation_id, /, body=None, **params))]
            fn raw(
                &self,
                py: pyo3::Python<'_>,
                operation_id: String,
                body: Option<&pyo3::Bound<'_, pyo3::PyAny>>,
                params: Option<&pyo3::Bound<'_, pyo3::types::PyDict>>,
            ) -> pyo3::PyResult<pyo3::Py<pyo3::PyAny>> {
                use pyo3::prelude::*;
                let names = $crate::operations::path_parameters(&operation_id);
                let mut path = Vec::new();
                let mut query = Vec::new();
                if let Some(params) = params {
                    for (name, value) in params.iter() {
                        let name: String = name.extract()?;
                        if value.is_none() {
                            continue;
                        }
                        if names.contains(&name) {
                            path.push((name, value.str()?.extract::<String>()?));
                        } else {
                            for v in $crate::convert::query_values(&value)? {
                                query.push((name.clone(), v));
                            }
                        }
                    }
                }
                let body = body
                    .filter(|b| !b.is_none())
                    .map(|b| $crate::convert::json(b, "body"))
                    .transpose()?;
                let call = self.session.clone().raw(operation_id, path, query, body);
                $run(py, call, json_answer)
            }
        }

        fn json_answer(
            py: pyo3::Python<'_>,
            value: serde_json::Value,
        ) -> pyo3::PyResult<pyo3::Py<pyo3::PyAny>> {
            $crate::convert::py_of(py, &value)
        }
    };
}
pub(crate) use client_methods;
