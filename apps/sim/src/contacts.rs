//! Contacts: `POST /contacts`, `GET /contacts/{contactId}`, `GET /contacts?id=`,
//! `GET /contacts/{contactId}/persons`, `GET /contacts/all`.
//!
//! Alto refuses a second contact with the same email address, or with the same name and phone
//! number, with 409 and the existing contact's `Location`.

use alto::raw::types;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use bytes::Bytes;
use chrono::{DateTime, Utc};

use crate::paging::{id_key, PageRequest};
use crate::params::Params;
use crate::problem::{json_body, recast, ApiError, Validation};
use crate::state::{AgencyKey, AppState};
use crate::store::{AgencyData, ContactRec, PersonRec};

/// `POST /contacts`: 201 with the contact and its `Location`.
pub(crate) async fn create(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let request: types::PostContactRequest = json_body(&body)?;
    let mut data = state.data(&agency);
    let contact = create_contact(&mut data, request)?;
    let mut r = (StatusCode::CREATED, Json(to_contact(&contact))).into_response();
    if let Ok(v) = format!("/contacts/{}", contact.id).parse() {
        r.headers_mut().insert(header::LOCATION, v);
    }
    Ok(r)
}

/// Validates and stores a new contact.
pub(crate) fn create_contact(
    data: &mut AgencyData,
    request: types::PostContactRequest,
) -> Result<ContactRec, ApiError> {
    let mut v = Validation::default();
    v.check(!request.people.is_empty(), "people", || {
        "At least one person is required.".into()
    });
    let branch = request.branch_id.trim().to_string();
    v.check(
        branch.parse().is_ok_and(|b| data.has_branch(b)),
        "branchId",
        || format!("Branch '{branch}' does not exist."),
    );
    if let Some(n) = request.negotiator_id.as_deref() {
        v.check(
            n.parse().is_ok_and(|n| data.has_negotiator(n)),
            "negotiatorId",
            || format!("Negotiator '{n}' does not exist."),
        );
    }
    for (i, p) in request.people.iter().enumerate() {
        v.check(
            !p.surname.trim().is_empty(),
            &format!("people[{i}].surname"),
            || "The surname is required.".into(),
        );
    }
    v.finish()?;
    let people: Vec<PersonRec> = request
        .people
        .iter()
        .map(|p| PersonRec {
            id: 0,
            title: p.title.as_ref().map(|t| t.to_string()),
            forename: p.forename.as_ref().map(|f| f.to_string()),
            surname: p.surname.to_string(),
            emails: p
                .email_addresses
                .iter()
                .flatten()
                .map(|e| e.address.to_string())
                .collect(),
            phones: p
                .phone_numbers
                .iter()
                .flatten()
                .map(|ph| (ph.type_.as_ref().and_then(recast), ph.number.to_string()))
                .collect(),
        })
        .collect();
    if let Some(existing) = duplicate_of(data, &people) {
        return Err(ApiError::conflict(
            format!(
                "Contact {existing} already has this email address, or this name and phone number."
            ),
            format!("/contacts/{existing}"),
        ));
    }
    let id = data.next_id();
    let now = Utc::now();
    let people = people
        .into_iter()
        .map(|mut p| {
            p.id = data.next_id();
            p
        })
        .collect();
    let contact = ContactRec {
        id,
        branch_id: branch,
        people,
        address: request.address.as_ref().and_then(recast),
        notes: request.notes.clone(),
        potential_landlord: request.potential_landlord,
        potential_vendor: request.potential_vendor,
        created: now,
        modified: now,
    };
    data.contacts.insert(id, contact.clone());
    Ok(contact)
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

fn same_name(a: &PersonRec, b: &PersonRec) -> bool {
    let norm = |s: Option<&str>| s.unwrap_or_default().trim().to_lowercase();
    norm(a.forename.as_deref()) == norm(b.forename.as_deref())
        && norm(Some(&a.surname)) == norm(Some(&b.surname))
}

/// The id of an existing contact that a new one with `people` would duplicate.
fn duplicate_of(data: &AgencyData, people: &[PersonRec]) -> Option<i64> {
    data.contacts.values().find_map(|c| {
        let clash = c.people.iter().any(|old| {
            people.iter().any(|new| {
                let email = new.emails.iter().any(|e| {
                    old.emails
                        .iter()
                        .any(|o| o.trim().eq_ignore_ascii_case(e.trim()))
                });
                let phone = same_name(old, new)
                    && new.phones.iter().any(|(_, n)| {
                        !digits(n).is_empty()
                            && old.phones.iter().any(|(_, o)| digits(o) == digits(n))
                    });
                email || phone
            })
        });
        clash.then_some(c.id)
    })
}

/// `GET /contacts/{contactId}`.
pub(crate) async fn get(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
) -> Result<Json<types::ContactDetails>, ApiError> {
    let data = state.data(&agency);
    find(&data, &id).map(|c| Json(to_contact(c)))
}

/// `GET /contacts/{contactId}/persons`: the contact with its people.
pub(crate) async fn persons(
    state: State<AppState>,
    agency: Extension<AgencyKey>,
    id: Path<String>,
) -> Result<Json<types::ContactDetails>, ApiError> {
    get(state, agency, id).await
}

/// `GET /contacts?id=`: the first contact named.
pub(crate) async fn by_query(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    query: RawQuery,
) -> Result<Json<types::ContactDetails>, ApiError> {
    let params = Params::parse(&query)?;
    let ids = params.all("id");
    let Some(first) = ids.first() else {
        return Err(ApiError::field("id", "At least one id is required."));
    };
    let data = state.data(&agency);
    find(&data, first).map(|c| Json(to_contact(c)))
}

fn find<'a>(data: &'a AgencyData, id: &str) -> Result<&'a ContactRec, ApiError> {
    id.trim()
        .parse::<i64>()
        .ok()
        .and_then(|n| data.contacts.get(&n))
        .ok_or_else(|| ApiError::not_found("Contact", id))
}

/// `GET /contacts/all`, paged with `next-token`/`max-results`, oldest first; filtered by
/// `created-from`/`created-to` and `modified-from`/`modified-to` (inclusive).
pub(crate) async fn list(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    query: RawQuery,
) -> Result<Json<types::ContactListItemPagedResponse>, ApiError> {
    let params = Params::parse(&query)?;
    let page = PageRequest::from_params(&params, "/contacts/all", "next-token", "max-results")?;
    let created = (
        params.date_time("created-from")?,
        params.date_time("created-to")?,
    );
    let modified = (
        params.date_time("modified-from")?,
        params.date_time("modified-to")?,
    );
    let within = |at: DateTime<Utc>, (from, to): (Option<DateTime<Utc>>, Option<DateTime<Utc>>)| {
        from.is_none_or(|f| at >= f) && to.is_none_or(|t| at <= t)
    };
    let data = state.data(&agency);
    let items = data
        .contacts
        .values()
        .filter(|c| within(c.created, created) && within(c.modified, modified))
        .map(|c| (id_key(c.id), to_list_item(c)))
        .collect();
    let (items, next) = page.page(items);
    Ok(Json(types::ContactListItemPagedResponse {
        items: Some(items),
        meta: Some(types::PaginationMeta { next_token: next }),
    }))
}

/// A stored contact as Alto answers it.
pub(crate) fn to_contact(c: &ContactRec) -> types::ContactDetails {
    types::ContactDetails {
        id: Some(c.id.to_string()),
        address: c.address.clone(),
        archived: Some(false),
        branch: Some(types::ContactBranch {
            id: Some(c.branch_id.clone()),
        }),
        category: Some(types::ContactDetailsCategory::Client),
        modified_date: Some(c.modified),
        notes: c.notes.clone(),
        people: Some(c.people.iter().map(to_person).collect()),
        potential_landlord: c.potential_landlord,
        potential_vendor: c.potential_vendor,
        links: Some(vec![types::HateoasLink {
            href: Some(format!("/contacts/{}", c.id)),
            rel: Some("self".into()),
        }]),
        ..Default::default()
    }
}

fn to_person(p: &PersonRec) -> types::ContactPerson {
    types::ContactPerson {
        id: Some(p.id.to_string()),
        title: p.title.clone(),
        forename: p.forename.clone(),
        surname: Some(p.surname.clone()),
        email_addresses: Some(
            p.emails
                .iter()
                .zip(1..)
                .map(|(e, i)| types::ContactEmailAddress {
                    address: Some(e.clone()),
                    preference_order: Some(i),
                    type_: Some(types::ContactEmailAddressType::Personal),
                })
                .collect(),
        ),
        phone_numbers: Some(
            p.phones
                .iter()
                .zip(1..)
                .map(|((kind, n), i)| types::ContactPhone {
                    number: Some(n.clone()),
                    preference_order: Some(i),
                    type_: *kind,
                    description: None,
                })
                .collect(),
        ),
        links: None,
    }
}

fn to_list_item(c: &ContactRec) -> types::ContactListItem {
    types::ContactListItem {
        id: Some(c.id.to_string()),
        branch: Some(types::ContactBranch {
            id: Some(c.branch_id.clone()),
        }),
        contact_information: Some(
            c.people
                .iter()
                .map(|p| types::ContactInformation {
                    title: p.title.clone(),
                    fore_name: p.forename.clone(),
                    surname: Some(p.surname.clone()),
                    email_address: p.emails.first().cloned(),
                    phone_number: p.phones.first().map(|(_, n)| n.clone()),
                })
                .collect(),
        ),
        created_at: Some(c.created),
        modified_at: Some(c.modified),
        is_active: Some(true),
        notes: c.notes.clone(),
        potential_landlord: c.potential_landlord,
        potential_vendor: c.potential_vendor,
        ..Default::default()
    }
}
