//! Documents: upload a file linked to a contact, a tenancy or a property, and list them.
//!
//! `POST /documents/post` is `multipart/form-data`, which progenitor cannot generate (see
//! `openapi/README.md`), so the form is encoded here with reqwest's multipart support and sent
//! with [`AgencyClient::send_multipart`] — the same token, `AgencyRef` and tracing as every
//! other call.

use std::path::Path;

use bytes::Bytes;
use futures::{Stream, TryStreamExt};
use reqwest::multipart::{Form, Part};

use crate::client::AgencyClient;
use crate::error::AltoError;
use crate::ids::{ContactId, DocumentId, PersonId, PropertyId, TenancyId};
use crate::paging::{raw_pages, DEFAULT_PAGE_SIZE};
use crate::raw::types;
use crate::reconcile::create_reconciled;

/// A document as Alto lists it.
pub type Document = types::Document;

/// Largest file Alto accepts (30 MB).
pub const MAX_UPLOAD_BYTES: u64 = 30 * 1024 * 1024;

/// What a document is linked to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentLink {
    /// A contact's documents.
    Contact(ContactId),
    /// A tenancy's documents.
    Tenancy(TenancyId),
    /// A property's files (Property > Media > Other files in Alto).
    Property(PropertyId),
}

impl DocumentLink {
    /// `linkedType` as Alto names it.
    pub fn linked_type(&self) -> &'static str {
        match self {
            DocumentLink::Contact(_) => "Contact",
            DocumentLink::Tenancy(_) => "Tenancy",
            DocumentLink::Property(_) => "Property",
        }
    }

    /// `linkedId`.
    pub fn linked_id(&self) -> i64 {
        match self {
            DocumentLink::Contact(id) => id.0,
            DocumentLink::Tenancy(id) => id.0,
            DocumentLink::Property(id) => id.0,
        }
    }
}

enum Body {
    Bytes(Bytes),
    Stream(reqwest::Body, Option<u64>),
}

/// A file to upload: name, content type and body (bytes, a file on disk or a stream).
pub struct Upload {
    file_name: String,
    content_type: String,
    body: Body,
}

impl std::fmt::Debug for Upload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upload")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("len", &self.len())
            .finish()
    }
}

impl Upload {
    /// A file held in memory. The content type is guessed from the name; override it with
    /// [`Upload::content_type`].
    pub fn bytes(file_name: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        let file_name = file_name.into();
        Self {
            content_type: guess(&file_name),
            file_name,
            body: Body::Bytes(bytes.into()),
        }
    }

    /// A file on disk, streamed (not read into memory).
    pub async fn path(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let file = tokio::fs::File::open(path).await?;
        let len = file.metadata().await?.len();
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "document".into());
        Ok(Self {
            content_type: guess(&file_name),
            file_name,
            body: Body::Stream(reqwest::Body::from(file), Some(len)),
        })
    }

    /// A stream of chunks, with its length if known.
    pub fn stream<S, E>(file_name: impl Into<String>, stream: S, len: Option<u64>) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
    {
        let file_name = file_name.into();
        Self {
            content_type: guess(&file_name),
            file_name,
            body: Body::Stream(reqwest::Body::wrap_stream(stream), len),
        }
    }

    /// Sets the content type.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = content_type.into();
        self
    }

    /// The file name sent.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// Length in bytes, when known.
    pub fn len(&self) -> Option<u64> {
        match &self.body {
            Body::Bytes(b) => Some(b.len() as u64),
            Body::Stream(_, len) => *len,
        }
    }

    /// Whether the upload is known to be empty.
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }

    fn into_part(self, operation: &str) -> Result<Part, AltoError> {
        let invalid = |detail: String| AltoError::InvalidRequest {
            operation: operation.into(),
            detail,
        };
        if self.file_name.trim().is_empty() {
            return Err(invalid("the file name is empty".into()));
        }
        match self.len() {
            Some(0) => return Err(invalid(format!("{} is empty", self.file_name))),
            Some(n) if n > MAX_UPLOAD_BYTES => {
                return Err(invalid(format!(
                    "{} is {n} bytes; Alto accepts at most {MAX_UPLOAD_BYTES} (30 MB)",
                    self.file_name
                )))
            }
            _ => {}
        }
        let part = match self.body {
            Body::Bytes(b) => Part::bytes(b.to_vec()),
            Body::Stream(body, Some(len)) => Part::stream_with_length(body, len),
            Body::Stream(body, None) => Part::stream(body),
        };
        part.file_name(self.file_name)
            .mime_str(&self.content_type)
            .map_err(|e| invalid(format!("content type {:?}: {e}", self.content_type)))
    }
}

fn guess(file_name: &str) -> String {
    mime_guess::from_path(file_name)
        .first_or_octet_stream()
        .essence_str()
        .to_string()
}

/// Document operations for one agency. Get it with [`AgencyClient::documents`].
#[derive(Debug, Clone, Copy)]
pub struct Documents<'a> {
    client: &'a AgencyClient,
}

impl AgencyClient {
    /// Document operations.
    pub fn documents(&self) -> Documents<'_> {
        Documents { client: self }
    }
}

impl<'a> Documents<'a> {
    /// Uploads a document linked to a contact, tenancy or property (`POST /documents/post`).
    /// Not retried once sent (a POST); a 30 MB limit and empty files are refused before sending.
    pub async fn upload(
        &self,
        upload: Upload,
        link: DocumentLink,
    ) -> Result<DocumentId, AltoError> {
        const OP: &str = "upload_document";
        let form = Form::new()
            .part("fileToUpload", upload.into_part(OP)?)
            .text("linkedType", link.linked_type())
            .text("linkedId", link.linked_id().to_string());
        let body = self.client.send_multipart(OP, &[], form).await?;
        let created: types::CreateDocumentResponse =
            serde_json::from_slice(&body).map_err(|e| AltoError::Decode {
                operation: OP.into(),
                detail: e.to_string(),
            })?;
        created
            .id
            .map(DocumentId::new)
            .ok_or_else(|| AltoError::Decode {
                operation: OP.into(),
                detail: "no document id".into(),
            })
    }

    /// Uploads an in-memory file, safely repeatable: after a failure whose outcome is unknown it
    /// first looks for a document of the same name on the same record, and only uploads again
    /// if there is none — so a lost answer never makes a second copy.
    pub async fn upload_once(
        &self,
        file_name: &str,
        content_type: &str,
        bytes: Bytes,
        link: DocumentLink,
    ) -> Result<DocumentId, AltoError> {
        let attempt = || {
            self.upload(
                Upload::bytes(file_name, bytes.clone()).content_type(content_type),
                link,
            )
        };
        let find = || async {
            let mut docs = std::pin::pin!(self.list(link));
            while let Some(doc) = docs.try_next().await? {
                if doc.file_name.as_deref() == Some(file_name) {
                    return Ok(Some(DocumentId::parse(
                        "list_documents",
                        doc.id.as_deref(),
                    )?));
                }
            }
            Ok(None)
        };
        create_reconciled(attempt, find).await
    }

    /// Uploads one document per person of a contact (seed rule: for a contact with several
    /// people, each person's document is uploaded separately), all linked to the contact.
    ///
    /// Every person named must belong to the contact, and none may appear twice; this is
    /// checked before anything is uploaded. Returns the document id per person, in order.
    pub async fn upload_per_person(
        &self,
        contact: ContactId,
        uploads: Vec<(PersonId, Upload)>,
    ) -> Result<Vec<(PersonId, DocumentId)>, AltoError> {
        const OP: &str = "upload_document";
        let people = self.client.contacts().people(contact).await?;
        let known: Vec<i64> = people
            .iter()
            .filter_map(|p| p.id.as_deref()?.parse().ok())
            .collect();
        let mut seen = Vec::new();
        for (person, _) in &uploads {
            if !known.contains(&person.0) {
                return Err(AltoError::InvalidRequest {
                    operation: OP.into(),
                    detail: format!(
                        "person {person} is not one of contact {contact}'s people {known:?}"
                    ),
                });
            }
            if seen.contains(person) {
                return Err(AltoError::InvalidRequest { operation: OP.into(), detail: format!("person {person} has more than one document; upload one document per person") });
            }
            seen.push(*person);
        }
        let mut done = Vec::with_capacity(uploads.len());
        for (person, upload) in uploads {
            done.push((
                person,
                self.upload(upload, DocumentLink::Contact(contact)).await?,
            ));
        }
        Ok(done)
    }

    /// Documents linked to something, page after page (`GET /documents`).
    pub fn list(&self, link: DocumentLink) -> impl Stream<Item = Result<Document, AltoError>> + 'a {
        const OP: &str = "list_documents";
        raw_pages!(self.client, OP, |raw| raw
            .list_documents()
            .linked_type(link.linked_type())
            .linked_id(link.linked_id())
            .max_results(DEFAULT_PAGE_SIZE as i32))
    }
}
