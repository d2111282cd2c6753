//! Contacts: `POST /contacts`, `GET`/`PATCH /contacts/{contactId}`, `GET /contacts?id=`,
//! `GET /contacts/{contactId}/persons`, `GET /contacts/all`.
//!
//! Alto refuses a second contact with the same email address, or with the same name and phone
//! number, with 409 and the existing contact's `Location`. A contact has one or two people
//! (the schema's `minItems`/`maxItems`).

use alto::raw::types;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use serde_json::json;

use crate::applicant_requirements;
use crate::client_parameters::{value_of, DISPOSALS, INTENTIONS, LEAD_SOURCES, POSITIONS};
use crate::contact_records::ContactProfile;
use crate::paging::{id_key, PageRequest};
use crate::params::Params;
use crate::problem::{json_body, recast, ApiError, Validation};
use crate::state::{AgencyKey, AppState};
use crate::store::{AgencyData, ContactRec, PersonRec};
use crate::wire_patch;

/// The most people one contact can have (`people` has `maxItems: 2`).
pub(crate) const MAX_PEOPLE: usize = 2;

/// `POST /contacts`: 201 with the contact and its `Location`.
pub(crate) async fn create(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let request: types::PostContactRequest = json_body(&body)?;
    let mut data = state.data(&agency);
    let contact = create_contact(&mut data, request)?;
    let mut r = (StatusCode::CREATED, Json(to_contact(&data, &contact))).into_response();
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
    v.check(request.people.len() <= MAX_PEOPLE, "people", || {
        format!(
            "A contact has at most {MAX_PEOPLE} people; this one names {}.",
            request.people.len()
        )
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
    find(&data, &id).map(|c| Json(to_contact(&data, c)))
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
    // The operation declares no 404: a contact the agency does not have is a bad `id`.
    find(&data, first)
        .map(|c| Json(to_contact(&data, c)))
        .map_err(|_| {
            ApiError::field(
                "id",
                format!("Contact '{first}' does not exist for this agency."),
            )
        })
}

/// The contact `id` names: 400 when it is not a number, 404 when the agency has no such
/// contact.
pub(crate) fn find<'a>(data: &'a AgencyData, id: &str) -> Result<&'a ContactRec, ApiError> {
    let n: i64 = id
        .trim()
        .parse()
        .map_err(|_| ApiError::field("contactId", format!("'{id}' is not a contact id.")))?;
    data.contacts
        .get(&n)
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

/// A stored contact as Alto answers it, with its profile and applicant requirements.
pub(crate) fn to_contact(data: &AgencyData, c: &ContactRec) -> types::ContactDetails {
    let profile = data.contact_family.profile(c.id);
    types::ContactDetails {
        id: Some(c.id.to_string()),
        address: c.address.clone(),
        archived: Some(!profile.active),
        position: profile
            .position
            .as_deref()
            .and_then(|p| value_of(POSITIONS, p)),
        intention: profile
            .intention
            .as_deref()
            .and_then(|p| value_of(INTENTIONS, p)),
        disposal: profile
            .disposal
            .as_deref()
            .and_then(|p| value_of(DISPOSALS, p)),
        lead: profile
            .lead
            .as_ref()
            .map(|(id, source)| types::ContactLead {
                id: i32::try_from(*id).ok(),
                source: value_of(LEAD_SOURCES, source),
            }),
        applicant_requirements: Some(
            data.contact_family
                .requirements_of(c.id)
                .map(applicant_requirements::to_requirement)
                .collect(),
        ),
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

pub(crate) fn to_person(p: &PersonRec) -> types::ContactPerson {
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

/// `PATCH /contacts/{contactId}` (JSON Patch, `replace` of `/Active`, `/PositionId`,
/// `/IntentionId`, `/DisposalId`, `/PotentialVendor`, `/PotentialLandlord`): 200 with the
/// contact. Codes must come from the client parameter lists; anything else, or a path the
/// contact cannot take (its people, say), answers 400 and changes nothing.
pub(crate) async fn patch(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<types::ContactDetails>, ApiError> {
    let contact_id: i64 = id
        .trim()
        .parse()
        .map_err(|_| ApiError::field("contactId", format!("'{id}' is not a contact id.")))?;
    let mut data = state.data(&agency);
    let contact = find(&data, &id)?.clone();
    let profile = data.contact_family.profile(contact_id);
    let mut wire = wire_patch::object([
        ("Active", json!(profile.active)),
        ("PositionId", json!(profile.position)),
        ("IntentionId", json!(profile.intention)),
        ("DisposalId", json!(profile.disposal)),
        (
            "PotentialVendor",
            json!(contact.potential_vendor.unwrap_or(false)),
        ),
        (
            "PotentialLandlord",
            json!(contact.potential_landlord.unwrap_or(false)),
        ),
    ]);
    wire_patch::apply(&mut wire, &body, &["replace"])?;
    let code = |key: &str, list: &[(&str, &str)]| -> Result<Option<String>, ApiError> {
        match wire_patch::optional_text(&wire, key)? {
            None => Ok(None),
            Some(c) => value_of(list, &c)
                .and_then(|v| v.code)
                .map(Some)
                .ok_or_else(|| {
                    ApiError::field(key, format!("'{c}' is not one of the agency's codes."))
                }),
        }
    };
    let updated = ContactProfile {
        active: wire_patch::boolean(&wire, "Active")?,
        position: code("PositionId", POSITIONS)?,
        intention: code("IntentionId", INTENTIONS)?,
        disposal: code("DisposalId", DISPOSALS)?,
        lead: profile.lead,
    };
    let vendor = wire_patch::boolean(&wire, "PotentialVendor")?;
    let landlord = wire_patch::boolean(&wire, "PotentialLandlord")?;
    data.contact_family.profiles.insert(contact_id, updated);
    let stored = data.contacts.get_mut(&contact_id).expect("found above");
    stored.potential_vendor = Some(vendor);
    stored.potential_landlord = Some(landlord);
    stored.modified = Utc::now();
    let stored = stored.clone();
    Ok(Json(to_contact(&data, &stored)))
}
