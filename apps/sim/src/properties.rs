//! Properties ("inventory") and owners: `POST /inventory/new`,
//! `POST /inventory/{inventoryId}/owner`, `GET /owners`, and the detail every inventory read
//! builds on.
//!
//! A property must name at least one existing owner contact (Alto's sequencing rule). Alto does
//! not refuse a second property at the same address (`POST /inventory/new` declares no 409), so
//! neither does the simulator: a client that must not create twice looks the address up first.
//! Adding an owner a property already has is a 409 whose `Location` lists that ownership.

use alto::raw::types;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use bytes::Bytes;
use chrono::Utc;

use crate::paging::{id_key, PageRequest};
use crate::params::Params;
use crate::problem::{json_body, ApiError, Validation};
use crate::state::{AgencyKey, AppState};
use crate::store::{AgencyData, OwnershipRec, PropertyRec};

/// `POST /inventory/new`: 201 with the new property's id and address.
pub(crate) async fn create(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let request: types::AddInventory = json_body(&body)?;
    let mut data = state.data(&agency);
    let property = create_property(&mut data, request)?;
    let item = types::InventoryItem {
        id: Some(property.id.to_string()),
        address: Some(to_address(&property.address)),
    };
    let mut r = (StatusCode::CREATED, Json(item)).into_response();
    if let Ok(v) = format!("/inventory/{}", property.id).parse() {
        r.headers_mut().insert(header::LOCATION, v);
    }
    Ok(r)
}

fn norm(s: &Option<String>) -> String {
    s.as_deref().unwrap_or_default().trim().to_string()
}

/// Validates and stores a new property with its owners.
pub(crate) fn create_property(
    data: &mut AgencyData,
    request: types::AddInventory,
) -> Result<PropertyRec, ApiError> {
    let mut v = Validation::default();
    let address = request.address.clone().unwrap_or_default();
    v.check(request.address.is_some(), "address", || {
        "The address is required.".into()
    });
    if request.address.is_some() {
        v.check(
            !norm(&address.postcode).is_empty(),
            "address.postcode",
            || "The postcode is required.".into(),
        );
        v.check(
            !norm(&address.name_number).is_empty() || !norm(&address.street).is_empty(),
            "address.nameNumber",
            || "A house name/number or street is required.".into(),
        );
    }
    let owners: Vec<Option<i32>> = request
        .owners
        .iter()
        .flatten()
        .map(|o| o.contact_id)
        .collect();
    v.check(!owners.is_empty(), "owners", || {
        "A property must have an owner: create the owner contact first and pass its id.".into()
    });
    for (i, owner) in owners.iter().enumerate() {
        v.check(
            owner.is_some_and(|c| data.contacts.contains_key(&i64::from(c))),
            &format!("owners[{i}].contactId"),
            || match owner {
                Some(c) => format!("Contact {c} does not exist."),
                None => "The owner's contactId is required.".into(),
            },
        );
    }
    if let Some(b) = request.branch_id {
        v.check(data.has_branch(b.into()), "branchId", || {
            format!("Branch {b} does not exist.")
        });
    }
    if let Some(n) = request.negotiator_id {
        v.check(data.has_negotiator(n.into()), "negotiatorId", || {
            format!("Negotiator {n} does not exist.")
        });
    }
    v.finish()?;
    let now = Utc::now();
    let property = PropertyRec {
        id: data.next_id(),
        address,
        market: request
            .market
            .unwrap_or(types::SdkPropertyRecordType::Unspecified),
        branch_id: request.branch_id.map(i64::from),
        negotiator_id: request.negotiator_id.map(i64::from),
        created: now,
    };
    data.properties.insert(property.id, property.clone());
    for contact_id in owners.into_iter().flatten() {
        let id = data.next_id();
        data.ownerships.insert(
            id,
            OwnershipRec {
                id,
                property_id: property.id,
                contact_id: contact_id.into(),
                created: now,
            },
        );
    }
    Ok(property)
}

/// `POST /inventory/{inventoryId}/owner`: 201, empty.
pub(crate) async fn add_owner(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let property_id: i32 = id
        .trim()
        .parse()
        .map_err(|_| ApiError::field("inventoryId", format!("The value '{id}' is not valid.")))?;
    let request: types::AddInventoryOwner = json_body(&body)?;
    let contact_id = request
        .contact_id
        .ok_or_else(|| ApiError::field("contactId", "The contactId is required."))?;
    let (property_id, contact_id) = (i64::from(property_id), i64::from(contact_id));
    let mut data = state.data(&agency);
    if !data.properties.contains_key(&property_id) {
        return Err(ApiError::not_found("Property", property_id));
    }
    if !data.contacts.contains_key(&contact_id) {
        return Err(ApiError::not_found("Contact", contact_id));
    }
    if data
        .owners_of(property_id)
        .any(|o| o.contact_id == contact_id)
    {
        return Err(ApiError::conflict(
            format!("Contact {contact_id} already owns property {property_id}."),
            format!("/owners?property-id={property_id}&contact-id={contact_id}"),
        ));
    }
    let id = data.next_id();
    data.ownerships.insert(
        id,
        OwnershipRec {
            id,
            property_id,
            contact_id,
            created: Utc::now(),
        },
    );
    Ok(StatusCode::CREATED.into_response())
}

/// `GET /owners`, paged with `next-token`/`max-results`; filters `property-id`, `contact-id`.
pub(crate) async fn owners(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    query: RawQuery,
) -> Result<Json<types::OwnerPagedResponse>, ApiError> {
    let params = Params::parse(&query)?;
    let page = PageRequest::from_params(&params, "/owners", "next-token", "max-results")?;
    let properties = params.ints("property-id")?;
    let contacts = params.ints("contact-id")?;
    let data = state.data(&agency);
    let items = data
        .ownerships
        .values()
        .filter(|o| properties.is_empty() || properties.contains(&o.property_id))
        .filter(|o| contacts.is_empty() || contacts.contains(&o.contact_id))
        .map(|o| (id_key(o.id), to_owner(&data, o)))
        .collect();
    let (items, next) = page.page(items);
    Ok(Json(types::OwnerPagedResponse {
        items: Some(items),
        meta: Some(types::PaginationMeta { next_token: next }),
    }))
}

fn to_owner(data: &AgencyData, o: &OwnershipRec) -> types::ContactOwner {
    let property = data.properties.get(&o.property_id);
    types::ContactOwner {
        id: Some(o.id.to_string()),
        active: Some(true),
        created_at: Some(o.created),
        modified_at: Some(o.created),
        percentage_share: None,
        contact: Some(types::OwnerContact {
            id: Some(o.contact_id.to_string()),
            branch_id: data
                .contacts
                .get(&o.contact_id)
                .map(|c| c.branch_id.clone()),
            links: None,
        }),
        property: Some(types::OwnerProperty {
            id: Some(o.property_id.to_string()),
            branch_id: property.and_then(|p| p.branch_id).map(|b| b.to_string()),
            links: None,
        }),
        type_: Some(match property.map(|p| p.market) {
            Some(types::SdkPropertyRecordType::Rent) => types::ContactOwnerType::Landlord,
            Some(types::SdkPropertyRecordType::Sale) => types::ContactOwnerType::Vendor,
            _ => types::ContactOwnerType::Unknown,
        }),
        links: None,
    }
}

pub(crate) fn to_address(a: &types::SdkAddress) -> types::InventoryAddress {
    types::InventoryAddress {
        country_code: a.country_code.clone(),
        county: a.county.clone(),
        locality: a.locality.clone(),
        name_no: a.name_number.clone(),
        postcode: a.postcode.clone(),
        street: a.street.clone(),
        sub_dwelling: a.sub_dwelling.clone(),
        town: a.town.clone(),
    }
}

/// One-line address, as Alto displays it.
pub(crate) fn display_address(a: &types::SdkAddress) -> String {
    [
        &a.sub_dwelling,
        &a.name_number,
        &a.street,
        &a.town,
        &a.postcode,
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.trim().is_empty())
    .cloned()
    .collect::<Vec<_>>()
    .join(", ")
}

/// A stored property as `GET /inventory/{inventoryId}` answers it.
pub(crate) fn to_detail(data: &AgencyData, p: &PropertyRec) -> types::InventoryDetailItem {
    let owners = data
        .owners_of(p.id)
        .map(|o| {
            let contact = data.contacts.get(&o.contact_id);
            let person = contact.and_then(|c| c.people.first());
            types::InventoryOwner {
                contact_id: i32::try_from(o.contact_id).ok(),
                owner_id: Some(o.id.to_string()),
                name: person.map(|p| types::InventoryName {
                    title: p.title.clone(),
                    forename: p.forename.clone(),
                    surname: Some(p.surname.clone()),
                }),
                email_addresses: person.map(|p| {
                    p.emails
                        .iter()
                        .zip(1..)
                        .map(|(e, i)| types::InventoryEmailAddress {
                            address: Some(e.clone()),
                            preference_order: Some(i),
                        })
                        .collect()
                }),
                phone_numbers: person.map(|p| {
                    p.phones
                        .iter()
                        .zip(1..)
                        .map(|((_, n), i)| types::InventoryPhone {
                            number: Some(n.clone()),
                            preference_order: Some(i),
                            ..Default::default()
                        })
                        .collect()
                }),
            }
        })
        .collect();
    let record_type = match p.market {
        types::SdkPropertyRecordType::Sale => "Sale",
        types::SdkPropertyRecordType::Rent => "Rent",
        types::SdkPropertyRecordType::Unspecified => "Unspecified",
    };
    types::InventoryDetailItem {
        id: Some(p.id.to_string()),
        address: Some(to_address(&p.address)),
        display_address: Some(display_address(&p.address)),
        archived: Some(false),
        branch_id: p.branch_id.map(|b| b.to_string()),
        created_date: Some(p.created),
        modified_date: Some(p.created),
        currency: Some("GBP".into()),
        record_type: Some(record_type.into()),
        status: Some("Available".into()),
        is_at_active_status: Some(true),
        owners: Some(owners),
        negotiator_name: p
            .negotiator_id
            .and_then(|n| data.negotiators.iter().find(|x| x.id == n))
            .map(|n| n.name.clone()),
        ..Default::default()
    }
}
