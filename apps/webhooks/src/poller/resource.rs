//! What the poller polls, and how an Alto item becomes a change with an id and a time.
//!
//! - Reference checks: Alto filters them by creation time only (`CreatedFrom`), so a change is
//!   a new check; its id is the check's id.
//! - Contacts: filtered by modification time (`modified-from`), so a change is a creation or any
//!   later edit; its id is `"{contact id}@{modification time in µs}"`, so a contact edited twice
//!   is two changes, and the same edit seen twice is one.

use alto::contacts::{ContactFilter, ContactListItem};
use alto::reference_checks::{DateRange, ReferenceCheck};
use alto::{AgencyClient, AltoError};
use chrono::{DateTime, Utc};
use futures::TryStreamExt;

use super::mark::Stamped;

/// A kind of Alto record the poller watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Resource {
    /// New reference checks (`GET /ReferenceChecks`, by creation time).
    ReferenceChecks,
    /// New and edited contacts (`GET /contacts/all`, by modification time).
    Contacts,
}

impl Resource {
    /// Every resource.
    pub const ALL: [Resource; 2] = [Resource::ReferenceChecks, Resource::Contacts];

    /// Its key in the marks and the inbox.
    pub fn name(self) -> &'static str {
        match self {
            Resource::ReferenceChecks => super::REFERENCE_CHECKS,
            Resource::Contacts => super::CONTACTS,
        }
    }

    /// The resource with key `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.name() == name)
    }

    /// The changes Alto lists from `from` on (everything when `None`), stamped; items without
    /// an id or a time cannot be placed and are logged and left out.
    pub(crate) async fn changes_since(
        self,
        client: &AgencyClient,
        from: Option<DateTime<Utc>>,
    ) -> Result<Vec<Stamped<Change>>, AltoError> {
        let range = DateRange { from, to: None };
        Ok(match self {
            Resource::ReferenceChecks => client
                .reference_checks()
                .list(range)
                .try_collect::<Vec<_>>()
                .await?
                .into_iter()
                .filter_map(|check| stamp(Change::ReferenceCheck(check)))
                .collect(),
            Resource::Contacts => client
                .contacts()
                .list(ContactFilter::modified(range))
                .try_collect::<Vec<_>>()
                .await?
                .into_iter()
                .filter_map(|contact| stamp(Change::Contact(Box::new(contact))))
                .collect(),
        })
    }
}

/// One change handed over by the poller.
#[derive(Debug, Clone)]
pub enum Change {
    /// A new reference check.
    ReferenceCheck(ReferenceCheck),
    /// A new or edited contact, as listed (boxed: a list item is much larger than a check).
    Contact(Box<ContactListItem>),
}

impl Change {
    /// Which resource it belongs to.
    pub fn resource(&self) -> Resource {
        match self {
            Change::ReferenceCheck(_) => Resource::ReferenceChecks,
            Change::Contact(_) => Resource::Contacts,
        }
    }

    /// Alto's id of the changed record.
    pub fn alto_id(&self) -> Option<String> {
        match self {
            Change::ReferenceCheck(check) => check.reference_check_id.map(|id| id.to_string()),
            Change::Contact(contact) => contact.id.clone(),
        }
    }

    /// When it happened: a check's creation, a contact's last modification (or creation).
    pub fn at(&self) -> Option<DateTime<Utc>> {
        match self {
            Change::ReferenceCheck(check) => check.created_date,
            Change::Contact(contact) => contact.modified_at.or(contact.created_at),
        }
    }

    /// The record as Alto's JSON.
    pub fn to_json(&self) -> serde_json::Result<String> {
        match self {
            Change::ReferenceCheck(check) => serde_json::to_string(check),
            Change::Contact(contact) => serde_json::to_string(contact),
        }
    }

    /// Decodes the JSON of a record of `resource` (as stored in the inbox).
    pub fn from_json(resource: Resource, json: &str) -> serde_json::Result<Self> {
        Ok(match resource {
            Resource::ReferenceChecks => Change::ReferenceCheck(serde_json::from_str(json)?),
            Resource::Contacts => Change::Contact(Box::new(serde_json::from_str(json)?)),
        })
    }
}

fn stamp(change: Change) -> Option<Stamped<Change>> {
    let (Some(alto_id), Some(at)) = (change.alto_id(), change.at()) else {
        tracing::warn!(resource = change.resource().name(), id = ?change.alto_id(), "change without id or time skipped");
        return None;
    };
    let created_us = at.timestamp_micros();
    let id = match change.resource() {
        Resource::ReferenceChecks => alto_id,
        Resource::Contacts => format!("{alto_id}@{created_us}"),
    };
    Some(Stamped {
        id,
        created_us,
        item: change,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contact_edit_is_a_new_change_and_the_same_edit_is_not() {
        let at = |s: &str| Some(s.parse::<DateTime<Utc>>().unwrap());
        let contact = |modified: &str| {
            Change::Contact(Box::new(ContactListItem {
                id: Some("42".into()),
                created_at: at("2026-11-01T09:00:00Z"),
                modified_at: at(modified),
                ..Default::default()
            }))
        };
        let first = stamp(contact("2026-11-02T10:00:00Z")).unwrap();
        let again = stamp(contact("2026-11-02T10:00:00Z")).unwrap();
        let edited = stamp(contact("2026-11-03T08:30:00Z")).unwrap();
        assert_eq!(first.id, again.id);
        assert_ne!(first.id, edited.id);
        assert!(first.id.starts_with("42@"));
        assert!(edited.created_us > first.created_us);
        assert_eq!(Resource::from_name("contacts"), Some(Resource::Contacts));
        let json = first.item.to_json().unwrap();
        let back = Change::from_json(Resource::Contacts, &json).unwrap();
        assert_eq!(back.to_json().unwrap(), json);
    }

    #[test]
    fn a_change_without_a_time_is_skipped() {
        let check = Change::ReferenceCheck(ReferenceCheck {
            reference_check_id: Some(uuid::Uuid::nil()),
            ..Default::default()
        });
        assert!(stamp(check).is_none());
    }
}
