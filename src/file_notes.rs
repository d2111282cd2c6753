//! File notes: the history of a contact or property (calls, emails, notes). Create one, find a
//! contact's or a property's, read one, and edit its title or text.
//!
//! Alto's rule, enforced by types: a file note concerns at least a property or a contact, so
//! [`NewFileNote`] is built from one of them.
//!
//! ```no_run
//! # async fn example(agency: &alto::AgencyClient) -> Result<(), alto::AltoError> {
//! use alto::file_notes::{FileNoteEdit, NewFileNote, NewFileNoteType};
//! use alto::ids::ContactId;
//!
//! let contact = ContactId::new(12);
//! let note = NewFileNote::about_contact(contact, "Called about the deposit.").kind(NewFileNoteType::PhoneCall);
//! let id = agency.file_notes().create_once(&note).await?;
//! agency.file_notes().update(id, &FileNoteEdit::default().notes("Deposit paid.")).await?;
//! let history = agency.file_notes().search(contact).await?;
//! # let _ = history; Ok(()) }
//! ```

use serde::Serialize;

use crate::client::AgencyClient;
use crate::error::AltoError;
use crate::ids::{ContactId, FileNoteId, NegotiatorId, PropertyId, TenancyId};
use crate::operations;
use crate::raw::types;
use crate::reconcile::create_reconciled;
use crate::typed::typed;

/// A file note as Alto returns it.
pub type FileNote = types::GetFileNoteResponse;
/// The kinds of file note Alto accepts on creation (`FileNote`, `PhoneCall`, `EMail`,
/// `DetailsToVendor`, `DetailsApproved`, `Unspecified`).
pub type NewFileNoteType = types::CreateFileNoteRequestFileNoteType;
/// The kind of a file note Alto returns (its full list, including notes Alto writes itself:
/// `Viewing`, `OfferMade`, `KeysOut`, …).
pub type FileNoteType = types::GetFileNoteResponseFileNoteType;

/// Longest title Alto accepts.
pub const MAX_TITLE_CHARS: usize = 50;

/// A new file note: its text, and the property and/or contacts it concerns.
///
/// ```
/// use alto::file_notes::{NewFileNote, NewFileNoteType};
/// use alto::ids::{ContactId, PropertyId};
/// let note = NewFileNote::about_contact(ContactId::new(12), "Called about the deposit; will pay Friday.")
///     .property(PropertyId::new(40))
///     .kind(NewFileNoteType::PhoneCall)
///     .title("Deposit");
/// assert_eq!(note.contacts(), &[ContactId::new(12)]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewFileNote {
    notes: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::typed::as_text::option"
    )]
    property_id: Option<PropertyId>,
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "crate::typed::as_text::many"
    )]
    contact_ids: Vec<ContactId>,
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "crate::typed::as_text::many"
    )]
    owner_ids: Vec<ContactId>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::typed::as_text::option"
    )]
    tenancy_id: Option<TenancyId>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::typed::as_text::option"
    )]
    negotiator_id: Option<NegotiatorId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    file_note_type: Option<NewFileNoteType>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    update_last_contacted_date: bool,
}

impl NewFileNote {
    fn empty(notes: impl Into<String>) -> Self {
        Self {
            notes: notes.into(),
            title: None,
            property_id: None,
            contact_ids: Vec::new(),
            owner_ids: Vec::new(),
            tenancy_id: None,
            negotiator_id: None,
            file_note_type: None,
            update_last_contacted_date: false,
        }
    }

    /// A note in a contact's history.
    pub fn about_contact(contact: ContactId, notes: impl Into<String>) -> Self {
        Self::empty(notes).contact(contact)
    }

    /// A note in a property's history.
    pub fn about_property(property: PropertyId, notes: impl Into<String>) -> Self {
        Self::empty(notes).property(property)
    }

    /// Links the note to a property as well.
    pub fn property(mut self, property: PropertyId) -> Self {
        self.property_id = Some(property);
        self
    }

    /// Links the note to another contact.
    pub fn contact(mut self, contact: ContactId) -> Self {
        if !self.contact_ids.contains(&contact) {
            self.contact_ids.push(contact);
        }
        self
    }

    /// Links the note to an owner of the property.
    pub fn owner(mut self, owner: ContactId) -> Self {
        if !self.owner_ids.contains(&owner) {
            self.owner_ids.push(owner);
        }
        self
    }

    /// Links the note to a tenancy.
    pub fn tenancy(mut self, tenancy: TenancyId) -> Self {
        self.tenancy_id = Some(tenancy);
        self
    }

    /// The negotiator who wrote it.
    pub fn negotiator(mut self, negotiator: NegotiatorId) -> Self {
        self.negotiator_id = Some(negotiator);
        self
    }

    /// Sets the title (at most 50 characters; not shown to Alto users today).
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// Sets the kind (default: Alto's).
    pub fn kind(mut self, kind: NewFileNoteType) -> Self {
        self.file_note_type = Some(kind);
        self
    }

    /// Also updates the "last contacted" date of the contacts and owners named.
    pub fn update_last_contacted(mut self) -> Self {
        self.update_last_contacted_date = true;
        self
    }

    /// The contacts named (besides owners).
    pub fn contacts(&self) -> &[ContactId] {
        &self.contact_ids
    }

    /// The text.
    pub fn notes(&self) -> &str {
        &self.notes
    }

    fn check(&self, operation: &str) -> Result<(), AltoError> {
        let invalid = |detail: String| AltoError::InvalidRequest {
            operation: operation.into(),
            detail,
        };
        if self.notes.trim().is_empty() {
            return Err(invalid("the note has no text".into()));
        }
        check_title(operation, self.title.as_deref())
    }

    /// Whether `note` is what this request would have created (same text, title and links).
    fn matches(&self, note: &FileNote) -> bool {
        let ids = |v: &[ContactId]| v.iter().map(|c| c.0).collect::<Vec<_>>();
        let mut wanted = ids(&self.contact_ids);
        wanted.extend(ids(&self.owner_ids));
        let found: Vec<i64> = note
            .contact_ids
            .iter()
            .flatten()
            .map(|&c| i64::from(c))
            .collect();
        note.notes.as_deref() == Some(self.notes.as_str())
            && note.title.as_deref() == self.title.as_deref()
            && self
                .property_id
                .is_none_or(|p| note.property_id.map(i64::from) == Some(p.0))
            && wanted.iter().all(|c| found.contains(c))
    }
}

fn check_title(operation: &str, title: Option<&str>) -> Result<(), AltoError> {
    match title {
        Some(t) if t.chars().count() > MAX_TITLE_CHARS => Err(AltoError::InvalidRequest {
            operation: operation.into(),
            detail: format!(
                "the title is {} characters; Alto accepts at most {MAX_TITLE_CHARS}",
                t.chars().count()
            ),
        }),
        _ => Ok(()),
    }
}

/// A change to a file note: a new title and/or new text (Alto replaces them whole; to append,
/// read the note first).
///
/// ```
/// use alto::file_notes::FileNoteEdit;
/// let edit = FileNoteEdit::default().notes("Paid the deposit on Friday.");
/// assert!(!edit.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileNoteEdit {
    title: Option<String>,
    notes: Option<String>,
}

impl FileNoteEdit {
    /// Replaces the title.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// Replaces the text.
    pub fn notes(mut self, notes: impl Into<String>) -> Self {
        self.notes = Some(notes.into());
        self
    }

    /// Whether the edit changes nothing.
    pub fn is_empty(&self) -> bool {
        self.title.is_none() && self.notes.is_none()
    }

    fn patch(&self, operation: &str) -> Result<types::FileNotePatchJsonPatchDocument, AltoError> {
        if self.is_empty() {
            return Err(AltoError::InvalidRequest {
                operation: operation.into(),
                detail: "the edit changes nothing; set a title or notes".into(),
            });
        }
        if self.notes.as_deref().is_some_and(|n| n.trim().is_empty()) {
            return Err(AltoError::InvalidRequest {
                operation: operation.into(),
                detail: "the new text is empty".into(),
            });
        }
        check_title(operation, self.title.as_deref())?;
        let op = |path, value: &String| types::FileNotePatchOperation {
            op: types::FileNotePatchOperationOp::Replace,
            path,
            value: Some(value.clone()),
        };
        let mut ops = Vec::new();
        if let Some(t) = &self.title {
            ops.push(op(types::FileNotePatchOperationPath::Title, t));
        }
        if let Some(n) = &self.notes {
            ops.push(op(types::FileNotePatchOperationPath::Notes, n));
        }
        Ok(ops.into())
    }
}

/// File-note operations for one agency. Get it with [`AgencyClient::file_notes`].
#[derive(Debug, Clone, Copy)]
pub struct FileNotes<'a> {
    client: &'a AgencyClient,
}

impl AgencyClient {
    /// File-note (history) operations.
    pub fn file_notes(&self) -> FileNotes<'_> {
        FileNotes { client: self }
    }
}

impl FileNotes<'_> {
    /// Creates a file note (`POST /file-notes`). Not resent after a failure whose outcome is
    /// unknown (a POST); see [`FileNotes::create_once`].
    pub async fn create(&self, note: &NewFileNote) -> Result<FileNoteId, AltoError> {
        const OP: &str = operations::CREATE_FILE_NOTE;
        note.check(OP)?;
        let body: types::CreateFileNoteRequest = typed(OP, note)?;
        let id = self
            .client
            .send(OP, self.client.raw().create_file_note().body(body).send())
            .await?
            .into_inner();
        Ok(FileNoteId::new(id))
    }

    /// Creates a file note, safely repeatable: after a failure whose outcome is unknown it looks
    /// in the first contact's history (or the property's) for a note with the same text, title
    /// and links, and creates it again only if there is none.
    pub async fn create_once(&self, note: &NewFileNote) -> Result<FileNoteId, AltoError> {
        let find = || async {
            let candidates = match (note.contact_ids.first(), note.property_id) {
                (Some(&contact), _) => self.search(contact).await?,
                (None, Some(property)) => match self.for_property(property).await {
                    Ok(n) => vec![n],
                    Err(AltoError::NotFound { .. }) => vec![],
                    Err(e) => return Err(e),
                },
                (None, None) => vec![],
            };
            Ok(candidates
                .iter()
                .filter(|n| note.matches(n))
                .find_map(|n| n.id.map(FileNoteId::new)))
        };
        create_reconciled(|| self.create(note), find).await
    }

    /// A contact's file notes (`GET /file-notes/search?contact-id=…`).
    pub async fn search(&self, contact: ContactId) -> Result<Vec<FileNote>, AltoError> {
        const OP: &str = operations::SEARCH_FILE_NOTES;
        let call = self
            .client
            .raw()
            .search_file_notes()
            .contact_id(contact.to_string())
            .send();
        Ok(self.client.send(OP, call).await?.into_inner())
    }

    /// One file note (`GET /file-notes/{fileNoteId}`).
    pub async fn get(&self, id: FileNoteId) -> Result<FileNote, AltoError> {
        const OP: &str = operations::GET_FILE_NOTE;
        let call = self
            .client
            .raw()
            .get_file_note()
            .file_note_id(id.to_string())
            .send();
        Ok(self.client.send(OP, call).await?.into_inner())
    }

    /// Replaces a file note's title and/or text (`PATCH /file-notes/{fileNoteId}`, JSON Patch
    /// `replace` operations). An empty edit, an empty text or a title over 50 characters is
    /// refused before sending.
    pub async fn update(&self, id: FileNoteId, edit: &FileNoteEdit) -> Result<(), AltoError> {
        const OP: &str = operations::UPDATE_FILE_NOTE;
        let body = edit.patch(OP)?;
        let call = self
            .client
            .raw()
            .update_file_note()
            .file_note_id(id.to_string())
            .body(body)
            .send();
        self.client.send(OP, call).await?;
        Ok(())
    }

    /// The file note of a property (`GET /inventory/{propertyId}/file-notes`). Zoopla's spec
    /// declares one file note as the answer (not a list), and the facade follows it.
    pub async fn for_property(&self, property: PropertyId) -> Result<FileNote, AltoError> {
        const OP: &str = operations::LIST_PROPERTY_FILE_NOTES;
        let call = self
            .client
            .raw()
            .list_property_file_notes()
            .property_id(property.to_string())
            .send();
        Ok(self.client.send(OP, call).await?.into_inner())
    }
}
