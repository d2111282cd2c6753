//! Contacts: create, get, list people, list by creation or modification time; duplicates
//! surface as [`AltoError::Duplicate`] with the existing contact's id. Relationships between
//! contacts (guarantors, forwarding addresses) are in [`relationships`].

pub mod relationships;

use futures::Stream;
use serde::Serialize;

use crate::client::AgencyClient;
use crate::error::AltoError;
use crate::ids::{BranchId, ContactId, NegotiatorId};
use crate::operations;
use crate::paging::{raw_pages, DEFAULT_PAGE_SIZE};
use crate::raw::types;
use crate::reconcile::create_reconciled;
pub use crate::reference_checks::DateRange;
use crate::typed::typed;

/// A contact as Alto returns it.
pub type Contact = types::ContactDetails;
/// A person within a contact, as Alto returns it.
pub type Person = types::ContactPerson;
/// A contact as `GET /contacts/all` lists it.
pub type ContactListItem = types::ContactListItem;

/// Which contacts [`Contacts::list`] returns: a creation range and a modification range, each
/// end open or inclusive.
///
/// ```
/// use alto::contacts::{ContactFilter, DateRange};
/// let changed = ContactFilter::modified(DateRange::since("2026-11-01T00:00:00Z".parse().unwrap()));
/// assert!(changed.created.from.is_none());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ContactFilter {
    /// Creation time (`created-from`, `created-to`).
    pub created: DateRange,
    /// Last modification time (`modified-from`, `modified-to`).
    pub modified: DateRange,
}

impl ContactFilter {
    /// Contacts modified within `range` (creation or any later edit).
    pub fn modified(range: DateRange) -> Self {
        Self {
            modified: range,
            ..Self::default()
        }
    }

    /// Contacts created within `range`.
    pub fn created(range: DateRange) -> Self {
        Self {
            created: range,
            ..Self::default()
        }
    }
}

/// The most people one contact can have (`people` has `maxItems: 2` in Alto's spec).
pub const MAX_PEOPLE: usize = 2;

/// A third person added to a [`NewContact`]: Alto takes at most [`MAX_PEOPLE`] on one contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a contact has at most {max} people in Alto; create another contact for the next person and relate them")]
pub struct TooManyPeople {
    /// The limit ([`MAX_PEOPLE`]).
    pub max: usize,
}

/// A new contact: at least one person, and the branch it belongs to (Alto requires both).
///
/// ```
/// use alto::contacts::{NewContact, NewPerson};
/// use alto::ids::BranchId;
/// let contact = NewContact::new(BranchId::new(1), NewPerson::new("Doe").forename("John").email("john.doe@example.com"));
/// assert_eq!(contact.people().len(), 1);
/// ```
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewContact {
    #[serde(serialize_with = "crate::typed::as_text::one")]
    branch_id: BranchId,
    people: Vec<NewPerson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    address: Option<Address>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::typed::as_text::option"
    )]
    negotiator_id: Option<NegotiatorId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notes: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    potential_landlord: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    potential_vendor: Option<bool>,
}

/// A person of a new contact. Alto requires the surname.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewPerson {
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    forename: Option<String>,
    surname: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    email_addresses: Vec<EmailAddress>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    phone_numbers: Vec<Phone>,
}

#[derive(Debug, Clone, Serialize)]
struct EmailAddress {
    address: String,
}

#[derive(Debug, Clone, Serialize)]
struct Phone {
    number: String,
    #[serde(rename = "type")]
    kind: PhoneType,
}

/// Kind of phone number, as Alto names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub enum PhoneType {
    /// Not said.
    Unspecified,
    /// Home.
    Home,
    /// Business.
    Business,
    /// Mobile.
    Mobile,
    /// Work.
    Work,
}

/// A postal address (UK fields as Alto names them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    /// Flat or unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_dwelling: Option<String>,
    /// House name or number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_number: Option<String>,
    /// Street.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    /// Locality.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locality: Option<String>,
    /// Town.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub town: Option<String>,
    /// County.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub county: Option<String>,
    /// Postcode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    /// Country code (`GB`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_code: Option<String>,
}

impl Address {
    /// An address from house name/number, street, town and postcode.
    pub fn new(name_number: &str, street: &str, town: &str, postcode: &str) -> Self {
        Self {
            name_number: Some(name_number.into()),
            street: Some(street.into()),
            town: Some(town.into()),
            postcode: Some(postcode.into()),
            country_code: Some("GB".into()),
            ..Self::default()
        }
    }
}

impl NewPerson {
    /// A person with a surname.
    pub fn new(surname: impl Into<String>) -> Self {
        Self {
            title: None,
            forename: None,
            surname: surname.into(),
            email_addresses: vec![],
            phone_numbers: vec![],
        }
    }

    /// Sets the title (`Mr`, `Ms`, `Dr`).
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// Sets the forename.
    pub fn forename(mut self, forename: impl Into<String>) -> Self {
        self.forename = Some(forename.into());
        self
    }

    /// Adds an email address.
    pub fn email(mut self, address: impl Into<String>) -> Self {
        self.email_addresses.push(EmailAddress {
            address: address.into(),
        });
        self
    }

    /// Adds a phone number.
    pub fn phone(mut self, kind: PhoneType, number: impl Into<String>) -> Self {
        self.phone_numbers.push(Phone {
            number: number.into(),
            kind,
        });
        self
    }
}

impl NewContact {
    /// A contact of one person, at a branch.
    pub fn new(branch: BranchId, person: NewPerson) -> Self {
        Self {
            branch_id: branch,
            people: vec![person],
            address: None,
            negotiator_id: None,
            notes: None,
            potential_landlord: None,
            potential_vendor: None,
        }
    }

    /// Adds another person (a couple, joint tenants). Alto takes at most
    /// [`MAX_PEOPLE`] people on one contact, so a third is refused here, before anything is
    /// sent.
    ///
    /// ```
    /// use alto::contacts::{NewContact, NewPerson, TooManyPeople};
    /// use alto::ids::BranchId;
    /// let couple = NewContact::new(BranchId::new(1), NewPerson::new("Okafor").forename("Daniel"))
    ///     .and_person(NewPerson::new("Okafor").forename("Grace"))
    ///     .unwrap();
    /// let third = couple.and_person(NewPerson::new("Okafor").forename("Ruth"));
    /// assert_eq!(third.unwrap_err(), TooManyPeople { max: 2 });
    /// ```
    pub fn and_person(mut self, person: NewPerson) -> Result<Self, TooManyPeople> {
        if self.people.len() >= MAX_PEOPLE {
            return Err(TooManyPeople { max: MAX_PEOPLE });
        }
        self.people.push(person);
        Ok(self)
    }

    /// Sets the contact's address.
    pub fn address(mut self, address: Address) -> Self {
        self.address = Some(address);
        self
    }

    /// Sets the responsible negotiator.
    pub fn negotiator(mut self, negotiator: NegotiatorId) -> Self {
        self.negotiator_id = Some(negotiator);
        self
    }

    /// Sets free-text notes.
    pub fn notes(mut self, notes: impl Into<String>) -> Self {
        self.notes = Some(notes.into());
        self
    }

    /// Marks the contact as a potential landlord (an owner of a letting).
    pub fn potential_landlord(mut self) -> Self {
        self.potential_landlord = Some(true);
        self
    }

    /// Marks the contact as a potential vendor (an owner selling).
    pub fn potential_vendor(mut self) -> Self {
        self.potential_vendor = Some(true);
        self
    }

    /// The people of this contact.
    pub fn people(&self) -> &[NewPerson] {
        &self.people
    }
}

/// Contact operations for one agency. Get it with [`AgencyClient::contacts`].
#[derive(Debug, Clone, Copy)]
pub struct Contacts<'a> {
    client: &'a AgencyClient,
}

impl AgencyClient {
    /// Contact operations.
    pub fn contacts(&self) -> Contacts<'_> {
        Contacts { client: self }
    }
}

impl<'a> Contacts<'a> {
    /// Every contact matching `filter`, page by page (`GET /contacts/all`, `next-token` paging).
    pub fn list(
        &self,
        filter: ContactFilter,
    ) -> impl Stream<Item = Result<ContactListItem, AltoError>> + 'a {
        const OP: &str = operations::LIST_CONTACTS;
        raw_pages!(self.client, OP, |raw| {
            let mut call = raw.list_contacts().max_results(DEFAULT_PAGE_SIZE as i32);
            if let Some(from) = filter.created.from {
                call = call.created_from(from);
            }
            if let Some(to) = filter.created.to {
                call = call.created_to(to);
            }
            if let Some(from) = filter.modified.from {
                call = call.modified_from(from);
            }
            if let Some(to) = filter.modified.to {
                call = call.modified_to(to);
            }
            call
        })
    }
}

impl Contacts<'_> {
    /// Creates a contact (`POST /contacts`). A contact Alto already has answers 409:
    /// [`AltoError::Duplicate`] carries the existing id.
    pub async fn create(&self, contact: &NewContact) -> Result<Contact, AltoError> {
        const OP: &str = operations::CREATE_CONTACT;
        let body: types::PostContactRequest = typed(OP, contact)?;
        Ok(self
            .client
            .send(OP, self.client.raw().create_contact().body(body).send())
            .await?
            .into_inner())
    }

    /// Creates a contact, or returns the id of the one Alto already has (409). Safe after a
    /// failure whose outcome is unknown: the repeat finds the first attempt's contact (409).
    /// Returns the id and whether this call created it.
    pub async fn create_or_existing(
        &self,
        contact: &NewContact,
    ) -> Result<(ContactId, bool), AltoError> {
        let attempt = || async {
            match self.create(contact).await {
                Ok(created) => Ok((
                    ContactId::parse(operations::CREATE_CONTACT, created.id.as_deref())?,
                    true,
                )),
                Err(e) => existing_from_duplicate(e).map(|id| (ContactId::new(id), false)),
            }
        };
        create_reconciled(attempt, || async { Ok(None) }).await
    }

    /// Gets a contact (`GET /contacts/{contactId}`).
    pub async fn get(&self, id: ContactId) -> Result<Contact, AltoError> {
        const OP: &str = operations::GET_CONTACT;
        Ok(self
            .client
            .send(
                OP,
                self.client
                    .raw()
                    .get_contact()
                    .contact_id(id.to_string())
                    .send(),
            )
            .await?
            .into_inner())
    }

    /// The people of a contact (`GET /contacts/{contactId}/persons`).
    pub async fn people(&self, id: ContactId) -> Result<Vec<Person>, AltoError> {
        const OP: &str = operations::GET_CONTACT_PERSONS;
        let contact = self
            .client
            .send(
                OP,
                self.client
                    .raw()
                    .get_contact_persons()
                    .contact_id(id.to_string())
                    .send(),
            )
            .await?;
        Ok(contact.into_inner().people.unwrap_or_default())
    }
}

/// The existing record's id from a 409, or the error itself for anything else.
pub(crate) fn existing_from_duplicate(e: AltoError) -> Result<i64, AltoError> {
    match e.existing_ids().first().and_then(|id| id.parse().ok()) {
        Some(id) => Ok(id),
        None => Err(e),
    }
}
