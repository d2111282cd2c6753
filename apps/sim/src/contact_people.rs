//! One person of a contact: `GET` and `PATCH /contacts/{contactId}/persons/{personId}`
//! (JSON Patch). A patched person shows in the contact and in `GET .../persons`.
//!
//! Limits are the contact request schema's: surname required, at most 50 characters (title 20),
//! at most 2 email addresses and 4 phone numbers, each number 10 to 20 digits or spaces with an
//! optional leading `+`.

use alto::raw::types;
use axum::extract::{Path, State};
use axum::{Extension, Json};
use bytes::Bytes;
use chrono::Utc;
use serde_json::{json, Value};

use crate::contacts::to_person;
use crate::problem::{ApiError, Validation};
use crate::state::{AgencyKey, AppState};
use crate::store::{AgencyData, PersonRec};
use crate::wire_patch;

const MAX_EMAILS: usize = 2;
const MAX_PHONES: usize = 4;

/// The contact and person ids from the path: 400 when either is not a number, 404 when the
/// contact has no such person.
fn locate(data: &AgencyData, contact: &str, person: &str) -> Result<(i64, usize), ApiError> {
    let contact_id: i64 = contact
        .trim()
        .parse()
        .map_err(|_| ApiError::field("contactId", format!("'{contact}' is not a contact id.")))?;
    let person_id: i64 = person
        .trim()
        .parse()
        .map_err(|_| ApiError::field("personId", format!("'{person}' is not a person id.")))?;
    let c = data
        .contacts
        .get(&contact_id)
        .ok_or_else(|| ApiError::not_found("Contact", contact_id))?;
    let index = c
        .people
        .iter()
        .position(|p| p.id == person_id)
        .ok_or_else(|| ApiError::not_found("Person", person_id))?;
    Ok((contact_id, index))
}

/// `GET /contacts/{contactId}/persons/{personId}`.
pub(crate) async fn get(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path((contact, person)): Path<(String, String)>,
) -> Result<Json<types::PersonSingle>, ApiError> {
    let data = state.data(&agency);
    let (contact_id, index) = locate(&data, &contact, &person)?;
    let p = to_person(&data.contacts[&contact_id].people[index]);
    Ok(Json(types::PersonSingle {
        id: p.id,
        title: p.title,
        forename: p.forename,
        surname: p.surname,
        email_addresses: p.email_addresses,
        phone_numbers: p.phone_numbers,
        is_contact_archived: Some(!data.contact_family.profile(contact_id).active),
        links: Some(vec![types::HateoasLink {
            href: Some(format!("/contacts/{contact_id}/persons/{person}")),
            rel: Some("self".into()),
        }]),
    }))
}

/// A list value read back: an array of strings or of objects carrying `key`, or one string of
/// items separated by `,` or `;`.
fn list(wire: &Value, field: &str, key: &str) -> Result<Vec<String>, ApiError> {
    let items: Vec<String> = match &wire[field] {
        Value::Null => Vec::new(),
        Value::String(s) => s.split([',', ';']).map(str::to_string).collect(),
        Value::Array(items) => items
            .iter()
            .map(|i| match i {
                Value::String(s) => Ok(s.clone()),
                Value::Object(o) => o
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(key))
                    .and_then(|(_, v)| v.as_str())
                    .map(String::from)
                    .ok_or_else(|| ApiError::field(field, format!("Each item needs '{key}'."))),
                other => Err(ApiError::field(field, format!("{other} is not a {key}."))),
            })
            .collect::<Result<_, _>>()?,
        other => Err(ApiError::field(field, format!("{other} is not a list.")))?,
    };
    Ok(items
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect())
}

fn phone_ok(n: &str) -> bool {
    let rest = n.strip_prefix('+').unwrap_or(n);
    (10..=20).contains(&rest.len()) && rest.chars().all(|c| c.is_ascii_digit() || c == ' ')
}

/// `PATCH /contacts/{contactId}/persons/{personId}` (JSON Patch, `replace` of `/Title`,
/// `/Forename`, `/Surname`, `/PhoneNumbers`, `/EmailAddresses`): 200 with the person.
pub(crate) async fn patch(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path((contact, person)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<types::PatchPersonResponse>, ApiError> {
    let mut data = state.data(&agency);
    let (contact_id, index) = locate(&data, &contact, &person)?;
    let current = data.contacts[&contact_id].people[index].clone();
    let mut wire = wire_patch::object([
        ("Title", json!(current.title)),
        ("Forename", json!(current.forename)),
        ("Surname", json!(current.surname)),
        (
            "PhoneNumbers",
            json!(current.phones.iter().map(|(_, n)| n).collect::<Vec<_>>()),
        ),
        ("EmailAddresses", json!(current.emails)),
    ]);
    wire_patch::apply(&mut wire, &body, &["replace"])?;
    let title = wire_patch::optional_text(&wire, "Title")?;
    let forename = wire_patch::optional_text(&wire, "Forename")?;
    let surname = wire_patch::optional_text(&wire, "Surname")?.unwrap_or_default();
    let phones = list(&wire, "PhoneNumbers", "number")?;
    let emails = list(&wire, "EmailAddresses", "address")?;
    let mut v = Validation::default();
    v.check(!surname.trim().is_empty(), "Surname", || {
        "The surname is required.".into()
    });
    for (field, value, max) in [
        ("Title", title.as_deref(), 20),
        ("Forename", forename.as_deref(), 50),
        ("Surname", Some(surname.as_str()), 50),
    ] {
        v.check(
            value.is_none_or(|s| s.chars().count() <= max),
            field,
            || format!("{field} is longer than {max} characters."),
        );
    }
    v.check(emails.len() <= MAX_EMAILS, "EmailAddresses", || {
        format!("A person has at most {MAX_EMAILS} email addresses.")
    });
    v.check(
        emails.iter().all(|e| e.contains('@')),
        "EmailAddresses",
        || "Each email address needs an '@'.".into(),
    );
    v.check(phones.len() <= MAX_PHONES, "PhoneNumbers", || {
        format!("A person has at most {MAX_PHONES} phone numbers.")
    });
    v.check(phones.iter().all(|n| phone_ok(n)), "PhoneNumbers", || {
        "Each phone number is 10 to 20 digits or spaces, with an optional leading '+'.".into()
    });
    v.finish()?;
    let updated = PersonRec {
        id: current.id,
        title,
        forename,
        surname,
        phones: phones
            .into_iter()
            .enumerate()
            .map(|(i, n)| {
                let kind = current
                    .phones
                    .get(i)
                    .and_then(|(k, _)| *k)
                    .or(Some(types::ContactPhoneType::Unspecified));
                (kind, n)
            })
            .collect(),
        emails,
    };
    let stored = data.contacts.get_mut(&contact_id).expect("located above");
    stored.people[index] = updated.clone();
    stored.modified = Utc::now();
    let p = to_person(&updated);
    Ok(Json(types::PatchPersonResponse {
        id: p.id,
        title: p.title,
        forename: p.forename,
        surname: p.surname,
        email_addresses: p.email_addresses,
        phone_numbers: p.phone_numbers,
        links: Some(vec![types::HateoasLink {
            href: Some(format!("/contacts/{contact_id}/persons/{}", updated.id)),
            rel: Some("self".into()),
        }]),
    }))
}
