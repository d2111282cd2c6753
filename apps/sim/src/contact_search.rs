//! Read-only views of contacts: `GET /contacts/search` (free text over names, email addresses,
//! phone numbers and address) and `GET /clients` (contacts by id, in the client-data shape).

use alto::raw::types;
use axum::extract::{RawQuery, State};
use axum::{Extension, Json};
use chrono::{DateTime, Utc};

use crate::paging::{id_key, PageRequest};
use crate::params::Params;
use crate::problem::{recast, ApiError};
use crate::properties::display_address;
use crate::state::{AgencyKey, AppState};
use crate::store::{AgencyData, ContactRec, PersonRec};

type Range = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

fn within(at: DateTime<Utc>, (from, to): Range) -> bool {
    from.is_none_or(|f| at >= f) && to.is_none_or(|t| at <= t)
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Whether `needle` (lower case) is in the contact's names, email addresses, phone numbers
/// (compared by digits) or address.
fn matches(c: &ContactRec, needle: &str) -> bool {
    let needle_digits = digits(needle);
    let person = |p: &PersonRec| {
        let name = format!(
            "{} {} {}",
            p.title.as_deref().unwrap_or_default(),
            p.forename.as_deref().unwrap_or_default(),
            p.surname
        )
        .to_lowercase();
        name.contains(needle)
            || p.emails.iter().any(|e| e.to_lowercase().contains(needle))
            || (needle_digits.len() >= 4
                && p.phones
                    .iter()
                    .any(|(_, n)| digits(n).contains(&needle_digits)))
    };
    let address = c
        .address
        .as_ref()
        .map(|a| display_address(a).to_lowercase())
        .unwrap_or_default();
    c.people.iter().any(person) || address.contains(needle)
}

/// How Alto names a contact in lists: its people's names, joined.
pub(crate) fn display_name(c: &ContactRec) -> String {
    c.people
        .iter()
        .map(|p| {
            [
                p.title.as_deref(),
                p.forename.as_deref(),
                Some(p.surname.as_str()),
            ]
            .into_iter()
            .flatten()
            .filter(|s| !s.trim().is_empty())
            .collect::<Vec<_>>()
            .join(" ")
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

/// `GET /contacts/search?query=`, paged with `next-token`/`max-results`, oldest first;
/// `archived`, `contact-type` and the created/modified ranges narrow it.
pub(crate) async fn search(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    query: RawQuery,
) -> Result<Json<types::ContactSearchItemResponsePagedResponse>, ApiError> {
    let params = Params::parse(&query)?;
    let needle = params
        .get("query")
        .map(|q| q.trim().to_lowercase())
        .filter(|q| !q.is_empty())
        .ok_or_else(|| ApiError::field("query", "The query is required."))?;
    let page = PageRequest::from_params(&params, "/contacts/search", "next-token", "max-results")?;
    let archived = params
        .get("archived")
        .map(|a| {
            a.parse::<bool>()
                .map_err(|_| ApiError::field("archived", format!("'{a}' is not true or false.")))
        })
        .transpose()?;
    let category = params
        .get("contact-type")
        .map(|t| {
            t.parse::<types::ContactSearchItemResponseCategory>()
                .map_err(|_| {
                    ApiError::field("contact-type", format!("'{t}' is not a contact type."))
                })
        })
        .transpose()?;
    let created = (
        params.date_time("created-from")?,
        params.date_time("created-to")?,
    );
    let modified = (
        params.date_time("modified-from")?,
        params.date_time("modified-to")?,
    );
    let data = state.data(&agency);
    let items = data
        .contacts
        .values()
        .filter(|c| matches(c, &needle))
        .filter(|c| within(c.created, created) && within(c.modified, modified))
        .filter(|_| category.is_none_or(|k| k == types::ContactSearchItemResponseCategory::Client))
        .filter(|c| archived.is_none_or(|a| a != data.contact_family.profile(c.id).active))
        .map(|c| (id_key(c.id), to_search_item(&data, c)))
        .collect();
    let (items, next) = page.page(items);
    Ok(Json(types::ContactSearchItemResponsePagedResponse {
        items: Some(items),
        meta: Some(types::PaginationMeta { next_token: next }),
    }))
}

fn link(href: String) -> Option<Vec<types::HateoasLink>> {
    Some(vec![types::HateoasLink {
        href: Some(href),
        rel: Some("self".into()),
    }])
}

fn to_search_item(data: &AgencyData, c: &ContactRec) -> types::ContactSearchItemResponse {
    let people = c
        .people
        .iter()
        .map(|p| types::ContactSearchPersonResponse {
            person_id: Some(p.id.to_string()),
            title: p.title.clone(),
            forename: p.forename.clone(),
            surname: Some(p.surname.clone()),
            emails: Some(
                p.emails
                    .iter()
                    .zip(1..)
                    .map(|(e, i)| types::ContactSearchEmailResponse {
                        email_address: Some(e.clone()),
                        email_address_id: Some(format!("{}-{i}", p.id)),
                    })
                    .collect(),
            ),
            phone_numbers: Some(
                p.phones
                    .iter()
                    .zip(1..)
                    .map(|((_, n), i)| types::ContactSearchPhoneResponse {
                        phone_number: Some(n.clone()),
                        phone_number_id: Some(format!("{}-{i}", p.id)),
                    })
                    .collect(),
            ),
        })
        .collect();
    let properties = data
        .ownerships
        .values()
        .filter(|o| o.contact_id == c.id)
        .filter_map(|o| data.properties.get(&o.property_id))
        .map(|p| types::ContactSearchPropertyResponse {
            id: Some(p.id.to_string()),
            property_id: Some(p.id.to_string()),
            display_address: Some(display_address(&p.address)),
            market: recast(&p.market),
            links: link(format!("/inventory/{}", p.id)),
        })
        .collect();
    let requirements = data
        .contact_family
        .requirements_of(c.id)
        .map(|r| types::ContactSearchApplicantRequirementResponse {
            id: Some(r.id.to_string()),
            beds_min: r.beds_min,
            price_from: r.price_from,
            price_to: r.price_to,
            is_new_build: r.is_new_build,
            is_active_profile: Some(r.is_active_profile),
            profile_intention: recast(&r.intention),
            rental_intention: (r.intention == "Rent").then(|| {
                types::ContactSearchRentalIntention {
                    furnishing: r.rental_furnishing.as_ref().and_then(recast),
                    price_qualifier: recast(
                        &r.rental_price_qualifier.as_deref().unwrap_or("Monthly"),
                    ),
                }
            }),
            links: link(format!(
                "/contacts/{}/applicant-requirements/{}",
                c.id, r.id
            )),
        })
        .collect();
    types::ContactSearchItemResponse {
        id: Some(c.id.to_string()),
        contact_id: Some(c.id.to_string()),
        display_name: Some(display_name(c)),
        address: c.address.clone(),
        archived: Some(!data.contact_family.profile(c.id).active),
        category: Some(types::ContactSearchItemResponseCategory::Client),
        notes: c.notes.clone(),
        people: Some(people),
        potential_landlord: Some(c.potential_landlord.unwrap_or(false)),
        potential_vendor: Some(c.potential_vendor.unwrap_or(false)),
        properties: Some(properties),
        applicant_requirements: Some(requirements),
        registered_on: Some(c.created),
        modified_date: Some(c.modified),
        last_contacted_on: None,
        links: link(format!("/contacts/{}", c.id)),
    }
}

/// `GET /clients?clientId=`: the contacts named (ids the agency does not have are left out),
/// or every contact when none is named.
pub(crate) async fn clients(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    query: RawQuery,
) -> Result<Json<types::ClientDataItemCollection>, ApiError> {
    let params = Params::parse(&query)?;
    let ids = params.ints("clientId")?;
    let data = state.data(&agency);
    let items = data
        .contacts
        .values()
        .filter(|c| ids.is_empty() || ids.contains(&c.id))
        .map(to_client)
        .collect();
    Ok(Json(types::ClientDataItemCollection { items: Some(items) }))
}

fn to_client(c: &ContactRec) -> types::ClientData {
    types::ClientData {
        contact_id: i32::try_from(c.id).ok(),
        branch_id: c.branch_id.parse().ok(),
        group_id: Some(1),
        address: c.address.as_ref().and_then(recast),
        people: Some(
            c.people
                .iter()
                .zip(1..)
                .map(|(p, n)| types::Person {
                    person_no: Some(n),
                    name: Some(types::Name {
                        title: p.title.clone(),
                        forename: p.forename.clone(),
                        surname: Some(p.surname.clone()),
                    }),
                    email_addresses: Some(
                        p.emails
                            .iter()
                            .zip(1..)
                            .map(|(e, i)| types::EmailAddress {
                                address: Some(e.clone()),
                                preference_order: Some(i),
                            })
                            .collect(),
                    ),
                    phone_numbers: Some(
                        p.phones
                            .iter()
                            .zip(1..)
                            .map(|((kind, number), i)| types::Phone {
                                number: Some(number.clone()),
                                preference_order: Some(i),
                                type_: kind.map(|k| k.to_string()),
                                description: None,
                            })
                            .collect(),
                    ),
                })
                .collect(),
        ),
    }
}
