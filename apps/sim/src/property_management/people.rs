//! Landlords and suppliers: `GET /landlords`, `GET /inventory/{inventoryId}/landlords`,
//! `GET /suppliers`, `GET /suppliers/{supplierId}`, `GET /inventory/{inventoryId}/suppliers`.
//!
//! A landlord is a contact owning a property to let, so adding an owner makes a landlord.

use alto::raw::types;
use axum::extract::{Path, RawQuery, State};
use axum::{Extension, Json};

use super::common::{check_page_size, missing, path_id, Range};
use super::inventory::property;
use super::records::SupplierRec;
use crate::paging::{id_key, PageRequest};
use crate::params::Params;
use crate::problem::ApiError;
use crate::state::{AgencyKey, AppState};
use crate::store::{AgencyData, ContactRec};

pub(crate) fn pm_address(a: &types::SdkAddress) -> types::PropertyManagementAddress {
    types::PropertyManagementAddress {
        country: a.country_code.clone(),
        county: a.county.clone(),
        locality: a.locality.clone(),
        name_no: a.name_number.clone(),
        postcode: a.postcode.clone(),
        street: a.street.clone(),
        sub_dwelling: a.sub_dwelling.clone(),
        town: a.town.clone(),
    }
}

fn landlord_ids(data: &AgencyData) -> Vec<i64> {
    let mut ids: Vec<i64> = data
        .ownerships
        .values()
        .filter(|o| {
            data.properties
                .get(&o.property_id)
                .is_some_and(|p| p.market == types::SdkPropertyRecordType::Rent)
        })
        .map(|o| o.contact_id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

fn people(c: &ContactRec) -> Vec<types::PropertyManagementPerson> {
    c.people
        .iter()
        .map(|p| types::PropertyManagementPerson {
            title: p.title.clone(),
            forename: p.forename.clone(),
            surname: Some(p.surname.clone()),
            email_addresses: Some(p.emails.clone()),
            telephone_numbers: Some(p.phones.iter().map(|(_, n)| n.clone()).collect()),
        })
        .collect()
}

fn landlord_item(data: &AgencyData, c: &ContactRec) -> types::LandlordListItem {
    let properties = data
        .ownerships
        .values()
        .filter(|o| o.contact_id == c.id)
        .filter_map(|o| data.properties.get(&o.property_id))
        .map(|p| types::LandlordProperty {
            id: i32::try_from(p.id).ok(),
            name_no: p.address.name_number.clone(),
            sub_dwelling: p.address.sub_dwelling.clone(),
            street: p.address.street.clone(),
            locality: p.address.locality.clone(),
            town: p.address.town.clone(),
            county: p.address.county.clone(),
            postcode: p.address.postcode.clone(),
            country: p.address.country_code.clone(),
            links: None,
        })
        .collect();
    types::LandlordListItem {
        id: i32::try_from(c.id).ok(),
        active: Some(true),
        branch_id: c.branch_id.parse().ok(),
        address: c.address.as_ref().map(pm_address),
        created_date: Some(c.created),
        modified_date: Some(c.modified),
        people: Some(people(c)),
        properties: Some(properties),
        links: None,
    }
}

/// `GET /landlords`, paged with `next-token`/`max-results`; filtered by dates and
/// `active-status`. Declares only 200, so parameters it cannot read are ignored.
pub(crate) async fn landlords(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    query: RawQuery,
) -> Json<types::LandlordListItemPagedResults> {
    let params = Params::parse(&query).unwrap_or_default();
    let page = PageRequest::from_params(&params, "/landlords", "next-token", "max-results")
        .or_else(|_| {
            PageRequest::from_params(
                &Params::default(),
                "/landlords",
                "next-token",
                "max-results",
            )
        })
        .expect("default paging");
    let created = Range::read(&params, "created-from", "created-to").unwrap_or_default();
    let modified = Range::read(&params, "modified-from", "modified-to").unwrap_or_default();
    let archived_only = params.get("active-status") == Some("Archived");
    let data = state.data(&agency);
    let ids = landlord_ids(&data);
    let items: Vec<_> = ids
        .iter()
        .filter(|_| !archived_only)
        .filter_map(|id| data.contacts.get(id))
        .filter(|c| created.contains(Some(c.created)) && modified.contains(Some(c.modified)))
        .map(|c| (id_key(c.id), landlord_item(&data, c)))
        .collect();
    let total = items.len();
    let (items, next) = page.page(items);
    Json(types::LandlordListItemPagedResults {
        items: Some(items),
        meta: Some(types::PropertyManagementMeta {
            next_token: next,
            total_items: i32::try_from(total).ok(),
        }),
    })
}

/// `GET /inventory/{inventoryId}/landlords`: the property's owners as landlords.
pub(crate) async fn of_property(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
) -> Result<Json<types::LandlordItemCollection>, ApiError> {
    let data = state.data(&agency);
    let p = property(&data, "inventoryId", &id)?;
    let items: Vec<_> = data
        .owners_of(p.id)
        .filter_map(|o| data.contacts.get(&o.contact_id))
        .map(|c| {
            let person = c.people.first();
            types::Landlord {
                id: Some(c.id.to_string()),
                title: person.and_then(|p| p.title.clone()),
                forename: person.and_then(|p| p.forename.clone()),
                surname: person.map(|p| p.surname.clone()),
                email: person.and_then(|p| p.emails.first().cloned()),
                phone: person.and_then(|p| p.phones.first().map(|(_, n)| n.clone())),
                address: c.address.as_ref().map(pm_address),
                created_date: Some(c.created),
                modified_date: Some(c.modified),
                links: None,
            }
        })
        .collect();
    Ok(Json(types::LandlordItemCollection {
        total_count: i32::try_from(items.len()).ok(),
        items: Some(items),
    }))
}

fn to_supplier(s: &SupplierRec) -> types::Supplier {
    let (title, forename, surname) = &s.contact;
    types::Supplier {
        id: Some(s.id.to_string()),
        branch_id: Some(s.branch_id.to_string()),
        company_name: Some(s.company_name.clone()),
        notes: None,
        address: Some(pm_address(&s.address)),
        people: Some(vec![types::PropertyManagementPerson {
            title: Some(title.clone()),
            forename: Some(forename.clone()),
            surname: Some(surname.clone()),
            email_addresses: Some(vec![s.email.clone()]),
            telephone_numbers: Some(vec![s.phone.clone()]),
        }]),
        provided_services: Some(s.services.clone()),
    }
}

fn supplier_page(
    data: &AgencyData,
    params: &Params,
    route: &'static str,
    keep: impl Fn(&SupplierRec) -> bool,
) -> Result<types::SupplierPagedResults, ApiError> {
    check_page_size(params, "maxResults", 100)?;
    let page = PageRequest::from_params(params, route, "nextToken", "maxResults")?;
    let items: Vec<_> = data
        .management
        .suppliers
        .values()
        .filter(|s| keep(s))
        .map(|s| (id_key(s.id), to_supplier(s)))
        .collect();
    let total = items.len();
    let (items, next) = page.page(items);
    Ok(types::SupplierPagedResults {
        items: Some(items),
        meta: Some(types::PropertyManagementMeta {
            next_token: next,
            total_items: i32::try_from(total).ok(),
        }),
    })
}

/// `GET /suppliers`, paged with `nextToken`/`maxResults`.
pub(crate) async fn suppliers(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    query: RawQuery,
) -> Result<Json<types::SupplierPagedResults>, ApiError> {
    let params = Params::parse(&query)?;
    let data = state.data(&agency);
    Ok(Json(supplier_page(&data, &params, "/suppliers", |_| true)?))
}

/// `GET /suppliers/{supplierId}`.
pub(crate) async fn supplier(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
) -> Result<Json<types::Supplier>, ApiError> {
    let id = path_id("supplierId", &id)?;
    let data = state.data(&agency);
    data.management
        .suppliers
        .get(&id)
        .map(|s| Json(to_supplier(s)))
        .ok_or_else(|| missing("Supplier", id))
}

/// `GET /inventory/{inventoryId}/suppliers`: the suppliers that look after the property; an
/// unknown property has none (the operation declares no 404).
pub(crate) async fn of_property_suppliers(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
    query: RawQuery,
) -> Result<Json<types::SupplierPagedResults>, ApiError> {
    let property_id = path_id("inventoryId", &id)?;
    let params = Params::parse(&query)?;
    let data = state.data(&agency);
    Ok(Json(supplier_page(
        &data,
        &params,
        "/inventory/suppliers",
        |s| s.property_ids.contains(&property_id),
    )?))
}
