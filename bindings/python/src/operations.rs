//! The seed's calls on the facade, shared by the sync and the async client: each takes owned
//! Rust values (converted from Python before the call) and answers JSON with Alto's field names.

use alto::contacts::{NewContact, NewPerson, PhoneType};
use alto::documents::{DocumentLink, Upload, MAX_UPLOAD_BYTES};
use alto::ids::{BranchId, ContactId, NegotiatorId, PropertyId, TenancyId, TenantId};
use alto::multipart::{Form, Part};
use alto::raw::{facts, types};
use alto::reference_checks::{DateRange, ReferenceCheckStatus};
use alto::{AgencyClient, AltoError};
use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::errors::Failure;

/// Every operation id of the generated facts table, sorted.
pub fn operation_ids() -> Vec<&'static str> {
    facts::OPERATIONS.iter().map(|op| op.id).collect()
}

/// The `{name}`s of `operation`'s path template (empty for an unknown operation).
pub fn path_parameters(operation: &str) -> Vec<String> {
    let Some(op) = facts::operation(operation) else {
        return Vec::new();
    };
    op.path
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
        .collect()
}

/// A contact to create: the seed's simple shape, or Alto's own body.
#[derive(Debug)]
pub enum NewContactInput {
    /// `{"firstName", "lastName", "email", "phone", "title", "branchId"}` (only `lastName`
    /// required); the branch defaults to the agency's first.
    Simple(Map<String, Value>),
    /// Alto's `POST /contacts` body, as it is.
    Alto(Value),
}

impl NewContactInput {
    /// Tells the two shapes apart: Alto's body has `people`.
    pub fn from_json(value: Value) -> Result<Self, Failure> {
        match value {
            Value::Object(map) if map.contains_key("people") => Ok(Self::Alto(Value::Object(map))),
            Value::Object(map) => Ok(Self::Simple(map)),
            _ => Err(Failure::Value("the contact must be a dict".into())),
        }
    }
}

/// One agency, as every Python call sees it.
#[derive(Clone, Debug)]
pub struct Session {
    agency: AgencyClient,
}

fn to_json(operation: &str, value: &impl Serialize) -> Result<Value, Failure> {
    serde_json::to_value(value).map_err(|e| {
        Failure::Alto(AltoError::Decode {
            operation: operation.into(),
            detail: e.to_string(),
        })
    })
}

fn typed<T: serde::de::DeserializeOwned>(operation: &str, body: Value) -> Result<T, Failure> {
    serde_json::from_value(body).map_err(|e| {
        Failure::Alto(AltoError::InvalidRequest {
            operation: operation.into(),
            detail: format!("the request does not fit the Alto spec: {e}"),
        })
    })
}

fn text(map: &Map<String, Value>, key: &str) -> Result<Option<String>, Failure> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(Failure::Value(format!(
            "{key} must be a string, not {other}"
        ))),
    }
}

impl Session {
    /// A session on `agency`.
    pub fn new(agency: AgencyClient) -> Self {
        Self { agency }
    }

    /// Every reference check created from `from` (to `to`), all pages.
    pub async fn reference_checks(
        self,
        from: DateTime<Utc>,
        to: Option<DateTime<Utc>>,
    ) -> Result<Value, Failure> {
        let range = DateRange {
            from: Some(from),
            to,
        };
        let checks: Vec<_> = self
            .agency
            .reference_checks()
            .list(range)
            .try_collect()
            .await?;
        to_json("get_reference_checks", &checks)
    }

    /// Sets a reference check's status (`status` already checked to be Pending or Completed).
    pub async fn set_reference_check_status(
        self,
        check: uuid::Uuid,
        status: ReferenceCheckStatus,
    ) -> Result<Value, Failure> {
        self.agency
            .reference_checks()
            .set_status(check, status)
            .await?;
        Ok(Value::Null)
    }

    async fn first_branch(&self) -> Result<BranchId, Failure> {
        let branch = self.agency.branches().list().try_next().await?;
        let id = branch.and_then(|b| b.branch_id);
        Ok(BranchId::parse("list_branches", id.as_deref())?)
    }

    async fn first_negotiator(&self) -> Result<NegotiatorId, Failure> {
        let negotiator = self.agency.branches().negotiators().try_next().await?;
        let id = negotiator.and_then(|n| n.id);
        Ok(NegotiatorId::parse("list_negotiators", id.as_deref())?)
    }

    /// Creates a contact from either shape; answers Alto's contact.
    pub async fn create_contact(self, input: NewContactInput) -> Result<Value, Failure> {
        const OP: &str = "create_contact";
        let created = match input {
            NewContactInput::Alto(body) => {
                let body: types::PostContactRequest = typed(OP, body)?;
                let call = self.agency.raw().create_contact().body(body).send();
                self.agency.send(OP, call).await?.into_inner()
            }
            NewContactInput::Simple(map) => {
                const KNOWN: [&str; 6] = [
                    "firstName",
                    "lastName",
                    "email",
                    "phone",
                    "title",
                    "branchId",
                ];
                if let Some(unknown) = map.keys().find(|k| !KNOWN.contains(&k.as_str())) {
                    return Err(Failure::Value(format!(
                        "unknown contact field {unknown:?}: the simple shape takes {}; for anything else pass Alto's own body (with \"people\")",
                        KNOWN.join(", ")
                    )));
                }
                let surname = text(&map, "lastName")?
                    .ok_or_else(|| Failure::Value("a contact needs a lastName".into()))?;
                let mut person = NewPerson::new(surname);
                if let Some(forename) = text(&map, "firstName")? {
                    person = person.forename(forename);
                }
                if let Some(email) = text(&map, "email")? {
                    person = person.email(email);
                }
                if let Some(phone) = text(&map, "phone")? {
                    person = person.phone(PhoneType::Mobile, phone);
                }
                if let Some(title) = text(&map, "title")? {
                    person = person.title(title);
                }
                let branch = match map.get("branchId") {
                    None | Some(Value::Null) => self.first_branch().await?,
                    Some(v) => BranchId::new(
                        v.as_i64()
                            .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
                            .ok_or_else(|| {
                                Failure::Value("branchId must be a numeric Alto id".into())
                            })?,
                    ),
                };
                self.agency
                    .contacts()
                    .create(&NewContact::new(branch, person))
                    .await?
            }
        };
        to_json(OP, &created)
    }

    /// A contact by id.
    pub async fn get_contact(self, id: i64) -> Result<Value, Failure> {
        let contact = self.agency.contacts().get(ContactId::new(id)).await?;
        to_json("get_contact", &contact)
    }

    /// Creates a property owned by `owner` (first among its owners); answers its id.
    pub async fn create_property(self, owner: i64, property: Value) -> Result<Value, Failure> {
        const OP: &str = "create_property";
        let Value::Object(mut body) = property else {
            return Err(Failure::Value("property must be a dict".into()));
        };
        let mut owners = vec![json!({"contactId": owner})];
        if let Some(Value::Array(more)) = body.remove("owners") {
            owners.extend(more.into_iter().filter(|o| o["contactId"] != json!(owner)));
        }
        body.insert("owners".into(), Value::Array(owners));
        let body: types::AddInventory = typed(OP, Value::Object(body))?;
        let call = self.agency.raw().create_property().body(body).send();
        let created = self.agency.send(OP, call).await?.into_inner();
        let id = PropertyId::parse(OP, created.id.as_deref())?;
        Ok(json!(id.0))
    }

    /// Uploads a file linked to a record of any type Alto takes; answers the document id.
    pub async fn upload_document(
        self,
        file_name: String,
        content: Vec<u8>,
        linked_type: String,
        linked_id: i64,
    ) -> Result<Value, Failure> {
        const OP: &str = "upload_document";
        let link = match linked_type.as_str() {
            "Contact" => Some(DocumentLink::Contact(ContactId::new(linked_id))),
            "Tenancy" => Some(DocumentLink::Tenancy(TenancyId::new(linked_id))),
            "Property" => Some(DocumentLink::Property(PropertyId::new(linked_id))),
            _ => None,
        };
        if let Some(link) = link {
            let upload = Upload::bytes(file_name, content);
            let id = self.agency.documents().upload(upload, link).await?;
            return Ok(json!(id.0));
        }
        // Types the facade's link does not name go out as the same form, through the same hook.
        if linked_type.trim().is_empty() {
            return Err(Failure::Value("linked_type is empty".into()));
        }
        if content.is_empty() || content.len() as u64 > MAX_UPLOAD_BYTES {
            return Err(Failure::Value(format!(
                "{file_name} is {} bytes; Alto accepts 1 byte to 30 MB",
                content.len()
            )));
        }
        let mime = mime_guess::from_path(&file_name).first_or_octet_stream();
        let part = Part::bytes(content)
            .file_name(file_name)
            .mime_str(mime.essence_str())
            .map_err(|e| Failure::Value(e.to_string()))?;
        let form = Form::new()
            .part("fileToUpload", part)
            .text("linkedType", linked_type)
            .text("linkedId", linked_id.to_string());
        let body = self.agency.send_multipart(OP, &[], form).await?;
        let created: types::CreateDocumentResponse =
            serde_json::from_slice(&body).map_err(|e| AltoError::Decode {
                operation: OP.into(),
                detail: e.to_string(),
            })?;
        Ok(json!(created.id))
    }

    /// The tenants of a tenancy: `[{"tenantId", "contactId"}]`.
    pub async fn tenant_ids(self, tenancy: i64) -> Result<Value, Failure> {
        let tenants = self
            .agency
            .tenancies()
            .tenants(TenancyId::new(tenancy))
            .await?;
        Ok(tenants
            .iter()
            .map(|t| json!({"tenantId": t.tenant.0, "contactId": t.contact.0}))
            .collect())
    }

    /// The guarantors of a tenant: `[{"guarantorId", "guarantorContactId"}]`.
    pub async fn guarantor_ids(self, tenant: i64) -> Result<Value, Failure> {
        let guarantors = self
            .agency
            .tenancies()
            .guarantors(TenantId::new(tenant))
            .await?;
        Ok(guarantors
            .iter()
            .map(|g| json!({"guarantorId": g.guarantor, "guarantorContactId": g.contact.0}))
            .collect())
    }

    /// Books a viewing of `property` by `contacts` (the facade's safe booking: never twice);
    /// the negotiator defaults to the agency's first. Answers the appointment id.
    #[allow(clippy::too_many_arguments)]
    pub async fn create_appointment(
        self,
        property: i64,
        contacts: Vec<i64>,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        negotiator: Option<i64>,
        notes: Option<String>,
        confirmed: bool,
    ) -> Result<Value, Failure> {
        let (first, more) = contacts
            .split_first()
            .ok_or_else(|| Failure::Value("an appointment needs at least one contact".into()))?;
        let negotiator = match negotiator {
            Some(id) => NegotiatorId::new(id),
            None => self.first_negotiator().await?,
        };
        let mut viewing = alto::appointments::NewViewing::new(
            PropertyId::new(property),
            ContactId::new(*first),
            negotiator,
            start,
            end,
        );
        for contact in more {
            viewing = viewing.and_applicant(ContactId::new(*contact));
        }
        if let Some(notes) = notes {
            viewing = viewing.notes(notes);
        }
        if confirmed {
            viewing = viewing.confirmed();
        }
        let id = self.agency.appointments().create_viewing(&viewing).await?;
        Ok(json!(id.0))
    }

    /// Every branch, all pages.
    pub async fn branches(self) -> Result<Value, Failure> {
        let branches: Vec<_> = self.agency.branches().list().try_collect().await?;
        to_json("list_branches", &branches)
    }

    /// Every negotiator, all pages.
    pub async fn negotiators(self) -> Result<Value, Failure> {
        let negotiators: Vec<_> = self.agency.branches().negotiators().try_collect().await?;
        to_json("list_negotiators", &negotiators)
    }

    /// Any operation by id: a paged one answers every item of every page.
    pub async fn raw(
        self,
        operation: String,
        path: Vec<(String, String)>,
        query: Vec<(String, String)>,
        body: Option<Value>,
    ) -> Result<Value, Failure> {
        let path: Vec<(&str, &str)> = path.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let query: Vec<(&str, &str)> = query
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let paged = facts::operation(&operation).is_some_and(|op| op.page_token_param.is_some());
        if paged && body.is_none() {
            let items = self
                .agency
                .send_json_pages(&operation, &path, &query)
                .await?;
            return Ok(Value::Array(items));
        }
        Ok(self
            .agency
            .send_json(&operation, &path, &query, body.as_ref())
            .await?)
    }
}

impl Session {
    /// The agency client calls go through.
    pub fn agency(&self) -> &AgencyClient {
        &self.agency
    }
}
