//! Documents: upload a file linked to a contact, a tenancy or a property; list a record's
//! documents (by link, of a property by media and file type, of a works order); download one's
//! content as a stream.
//!
//! What the spec knows of a document: its media type ([`MediaType`]: `Photo`, `Floorplan`,
//! `VirtualTour`, `File`, `Document`, `Brochure`, `EPC`, `WebLink`), its file type
//! ([`FileType`]: `PDF`, `JPG`, `DOCX`, …), what it is linked to, and when it was created and
//! last modified. It has no status or workflow state; the modification date is the only trace
//! of a change.
//!
//! ```no_run
//! # async fn example(agency: &alto::AgencyClient) -> Result<(), alto::AltoError> {
//! use alto::documents::{FileType, PropertyDocuments};
//! use alto::ids::{DocumentId, PropertyId, WorkOrderId};
//! use futures::TryStreamExt;
//!
//! let pdfs: Vec<_> = agency
//!     .documents()
//!     .of_property(PropertyId::new(40), PropertyDocuments::default().file(FileType::Pdf))
//!     .try_collect()
//!     .await?;
//! let invoices: Vec<_> = agency.documents().of_work_order(WorkOrderId::new(7)).try_collect().await?;
//! let content = agency.documents().download(DocumentId::new(501)).await?;
//! content.save("lease.pdf").await.expect("written");
//! # let _ = (pdfs, invoices); Ok(()) }
//! ```
//!
//! `POST /documents/post` is `multipart/form-data`, which progenitor cannot generate (see
//! `openapi/README.md`), so the form is encoded here with reqwest's multipart support and sent
//! with [`AgencyClient::send_multipart`] — the same token, `AgencyRef` and tracing as every
//! other call.

use std::path::Path;

use bytes::Bytes;
use futures::{Stream, StreamExt, TryStreamExt};
use progenitor_client::{ByteStream, ResponseValue};
use reqwest::multipart::{Form, Part};

use crate::client::AgencyClient;
use crate::error::AltoError;
use crate::ids::{ContactId, DocumentId, PersonId, PropertyId, TenancyId, WorkOrderId};
use crate::operations;
use crate::paging::{paginate, raw_pages, DEFAULT_PAGE_SIZE};
use crate::raw::types;
use crate::reconcile::create_reconciled;

/// A document as Alto lists it.
pub type Document = types::Document;
/// The media type of a document, Alto's document categories (`Photo`, `Floorplan`,
/// `VirtualTour`, `File`, `Document`, `Brochure`, `EPC`, `WebLink`).
pub type MediaType = types::MediaType;
/// The file type of a document (`JPG`, `PDF`, `PNG`, `GIF`, `TXT`, `DOC`, `DOCX`, `XLSX`, `XLS`,
/// `CSV`).
pub type FileType = types::FileType;

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

    pub(crate) fn into_part(self, operation: &str) -> Result<Part, AltoError> {
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
        const OP: &str = operations::UPLOAD_DOCUMENT;
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
                        operations::LIST_DOCUMENTS,
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
        const OP: &str = operations::UPLOAD_DOCUMENT;
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
        const OP: &str = operations::LIST_DOCUMENTS;
        raw_pages!(self.client, OP, |raw| raw
            .list_documents()
            .linked_type(link.linked_type())
            .linked_id(link.linked_id())
            .max_results(DEFAULT_PAGE_SIZE as i32))
    }
}

/// Which of a property's documents [`Documents::of_property`] lists: some media types and/or
/// file types (empty: all).
///
/// ```
/// use alto::documents::{FileType, MediaType, PropertyDocuments};
/// let brochures = PropertyDocuments::default().media(MediaType::Brochure).file(FileType::Pdf);
/// assert_eq!(brochures.media_types, vec![MediaType::Brochure]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PropertyDocuments {
    /// Media types (`type`, repeated).
    pub media_types: Vec<MediaType>,
    /// File types (`fileType`, repeated).
    pub file_types: Vec<FileType>,
}

impl PropertyDocuments {
    /// Adds a media type.
    pub fn media(mut self, media_type: MediaType) -> Self {
        self.media_types.push(media_type);
        self
    }

    /// Adds a file type.
    pub fn file(mut self, file_type: FileType) -> Self {
        self.file_types.push(file_type);
        self
    }
}

impl<'a> Documents<'a> {
    /// Documents of one media type linked to something (`GET /documents?mediaType=…`).
    pub fn list_of_type(
        &self,
        link: DocumentLink,
        media_type: MediaType,
    ) -> impl Stream<Item = Result<Document, AltoError>> + 'a {
        const OP: &str = operations::LIST_DOCUMENTS;
        raw_pages!(self.client, OP, |raw| raw
            .list_documents()
            .linked_type(link.linked_type())
            .linked_id(link.linked_id())
            .media_type(media_type.to_string())
            .max_results(DEFAULT_PAGE_SIZE as i32))
    }

    /// A property's documents, by media and file type (`GET /inventory/{inventoryId}/documents`,
    /// `nextToken` paging).
    pub fn of_property(
        &self,
        property: PropertyId,
        filter: PropertyDocuments,
    ) -> impl Stream<Item = Result<Document, AltoError>> + 'a {
        const OP: &str = operations::LIST_PROPERTY_DOCUMENTS;
        let client = self.client;
        paginate(move |cursor: Option<String>| {
            let filter = filter.clone();
            async move {
                let mut call = client
                    .raw()
                    .list_property_documents()
                    .inventory_id(property.as_i32(OP)?)
                    .max_results(DEFAULT_PAGE_SIZE as i32);
                if !filter.media_types.is_empty() {
                    call = call.type_(filter.media_types);
                }
                if !filter.file_types.is_empty() {
                    call = call.file_type(filter.file_types);
                }
                if let Some(cursor) = cursor {
                    call = call.next_token(cursor);
                }
                Ok(client.send(OP, call.send()).await?.into_inner())
            }
        })
    }

    /// A works order's documents (`GET /work-orders/{workOrderId}/documents`, `nextToken` paging).
    pub fn of_work_order(
        &self,
        work_order: WorkOrderId,
    ) -> impl Stream<Item = Result<Document, AltoError>> + 'a {
        const OP: &str = operations::LIST_WORK_ORDER_DOCUMENTS;
        let client = self.client;
        paginate(move |cursor: Option<String>| async move {
            let mut call = client
                .raw()
                .list_work_order_documents()
                .work_order_id(work_order.as_i32(OP)?)
                .max_results(DEFAULT_PAGE_SIZE as i32);
            if let Some(cursor) = cursor {
                call = call.next_token(cursor);
            }
            Ok(client.send(OP, call.send()).await?.into_inner())
        })
    }

    /// A document's content, streamed (`GET /documents/{documentId}/content`): nothing is held
    /// in memory until read. Retried like every GET until the answer starts.
    pub async fn download(&self, document: DocumentId) -> Result<Download, AltoError> {
        const OP: &str = operations::GET_DOCUMENT_CONTENT;
        let call = self
            .client
            .raw()
            .get_document_content()
            .document_id(document.as_i32(OP)?)
            .send();
        let answer = self.client.send(OP, call).await?;
        Ok(Download::from_answer(OP, answer))
    }
}

/// Content streamed from Alto (a document, a listing image), with what its headers say of it.
pub struct Download {
    operation: &'static str,
    content_type: Option<String>,
    file_name: Option<String>,
    len: Option<u64>,
    body: ByteStream,
}

impl std::fmt::Debug for Download {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Download")
            .field("content_type", &self.content_type)
            .field("file_name", &self.file_name)
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

impl Download {
    pub(crate) fn from_answer(operation: &'static str, answer: ResponseValue<ByteStream>) -> Self {
        let header = |name: reqwest::header::HeaderName| {
            answer
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let content_type = header(reqwest::header::CONTENT_TYPE);
        let file_name = header(reqwest::header::CONTENT_DISPOSITION)
            .as_deref()
            .and_then(disposition_file_name);
        let len = header(reqwest::header::CONTENT_LENGTH).and_then(|l| l.parse().ok());
        Self {
            operation,
            content_type,
            file_name,
            len,
            body: answer.into_inner(),
        }
    }

    /// `Content-Type`, if sent.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The file name from `Content-Disposition`, if sent.
    pub fn file_name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// `Content-Length`, if sent.
    pub fn len(&self) -> Option<u64> {
        self.len
    }

    /// Whether the content is known to be empty.
    pub fn is_empty(&self) -> bool {
        self.len == Some(0)
    }

    /// The content, chunk by chunk; a broken connection ends it with [`AltoError::Transport`].
    pub fn into_stream(self) -> impl Stream<Item = Result<Bytes, AltoError>> + Send {
        let operation = self.operation;
        self.body.into_inner().map(move |chunk| {
            chunk.map_err(|source| AltoError::Transport {
                operation: operation.into(),
                source,
            })
        })
    }

    /// The whole content in memory (for small files; prefer [`Download::save`] for large ones).
    pub async fn bytes(self) -> Result<Bytes, AltoError> {
        let chunks: Vec<Bytes> = self.into_stream().try_collect().await?;
        Ok(chunks.concat().into())
    }

    /// Writes the content to `path` chunk by chunk; returns the number of bytes written. A
    /// failure leaves a partial file behind; the caller decides whether to remove it.
    pub async fn save(self, path: impl AsRef<Path>) -> Result<u64, std::io::Error> {
        use tokio::io::AsyncWriteExt;
        let mut file = tokio::fs::File::create(path).await?;
        let mut written = 0u64;
        let mut chunks = std::pin::pin!(self.into_stream());
        while let Some(chunk) = chunks.next().await {
            let chunk = chunk.map_err(std::io::Error::other)?;
            file.write_all(&chunk).await?;
            written += chunk.len() as u64;
        }
        file.flush().await?;
        Ok(written)
    }
}

/// The file name of a `Content-Disposition` value (`filename*=UTF-8''…` preferred, then
/// `filename="…"`).
fn disposition_file_name(value: &str) -> Option<String> {
    let params: Vec<(&str, &str)> = value
        .split(';')
        .filter_map(|p| p.trim().split_once('='))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect();
    let extended = params
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("filename*"))
        .and_then(|(_, v)| v.split_once("''"))
        .map(|(_, encoded)| {
            url::form_urlencoded::parse(format!("x={}", encoded.replace('+', "%2B")).as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        });
    extended
        .or_else(|| {
            params
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("filename"))
                .map(|(_, v)| v.trim_matches('"').to_string())
        })
        .filter(|n| !n.is_empty())
}

#[cfg(test)]
mod tests {
    use super::disposition_file_name;

    #[test]
    fn file_names_come_from_content_disposition() {
        assert_eq!(
            disposition_file_name("attachment; filename=\"gas safety.pdf\"").as_deref(),
            Some("gas safety.pdf")
        );
        assert_eq!(
            disposition_file_name("attachment; filename=a.pdf; filename*=UTF-8''caf%C3%A9.pdf")
                .as_deref(),
            Some("café.pdf")
        );
        assert_eq!(disposition_file_name("inline"), None);
    }
}
