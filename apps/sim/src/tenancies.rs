//! Tenancies, tenants and guarantors: `GET /tenancies/{tenancyId}`,
//! `GET /tenancies/{tenancyId}/tenantIds`, `GET /guarantorIds?tenantId=`, `GET /tenancies`.

use alto::raw::types;
use axum::extract::{Path, RawQuery, State};
use axum::{Extension, Json};

use crate::paging::{id_key, PageRequest};
use crate::params::Params;
use crate::problem::ApiError;
use crate::property_management::{check_page_size, Range};
use crate::state::{AgencyKey, AppState};
use crate::store::{AgencyData, TenancyRec, TenantRec};

fn tenancy<'a>(data: &'a AgencyData, raw: &str) -> Result<&'a TenancyRec, ApiError> {
    let id: i32 = raw
        .trim()
        .parse()
        .map_err(|_| ApiError::field("tenancyId", format!("The value '{raw}' is not valid.")))?;
    data.tenancies
        .get(&i64::from(id))
        .ok_or_else(|| ApiError::not_found("Tenancy", id))
}

/// `GET /tenancies/{tenancyId}`.
pub(crate) async fn get(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
) -> Result<Json<types::TenancyLight>, ApiError> {
    let data = state.data(&agency);
    let t = tenancy(&data, &id)?;
    Ok(Json(to_light(&data, t)))
}

/// `GET /tenancies/{tenancyId}/tenantIds`.
pub(crate) async fn tenant_ids(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
) -> Result<Json<types::TenantIdDataItemCollection>, ApiError> {
    let data = state.data(&agency);
    let t = tenancy(&data, &id)?;
    let items: Vec<_> = t
        .tenants
        .iter()
        .map(|x| types::TenantIdData {
            tenant_id: i32::try_from(x.tenant_id).ok(),
            contact_id: i32::try_from(x.contact_id).ok(),
        })
        .collect();
    Ok(Json(types::TenantIdDataItemCollection {
        total_count: i32::try_from(items.len()).ok(),
        items: Some(items),
    }))
}

/// `GET /guarantorIds?tenantId=…`: one item per known tenant asked for.
pub(crate) async fn guarantor_ids(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    query: RawQuery,
) -> Result<Json<types::TenantGuarantorDataItemCollection>, ApiError> {
    let params = Params::parse(&query)?;
    let asked = params.ints("tenantId")?;
    if asked.is_empty() {
        return Err(ApiError::field(
            "tenantId",
            "At least one tenantId is required.",
        ));
    }
    let data = state.data(&agency);
    let items = asked
        .iter()
        .filter_map(|id| {
            data.tenancies
                .values()
                .flat_map(|t| &t.tenants)
                .find(|x| x.tenant_id == *id)
        })
        .map(|x| types::TenantGuarantorData {
            tenant_id: i32::try_from(x.tenant_id).ok(),
            guarantor_ids: Some(
                x.guarantors
                    .iter()
                    .map(|(g, c)| types::GuarantorIdData {
                        guarantor_id: i32::try_from(*g).ok(),
                        guarantor_contact_id: i32::try_from(*c).ok(),
                    })
                    .collect(),
            ),
        })
        .collect();
    Ok(Json(types::TenantGuarantorDataItemCollection {
        items: Some(items),
    }))
}

/// `GET /tenancies`, paged with `next-token`/`max-results`, filtered by the created, modified,
/// start, end and first-full-rent date ranges; `include-tenants` adds the tenants.
pub(crate) async fn list(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    query: RawQuery,
) -> Result<Json<types::TenancyListItemPagedResults>, ApiError> {
    let params = Params::parse(&query)?;
    check_page_size(&params, "max-results", 100)?;
    let page = PageRequest::from_params(&params, "/tenancies", "next-token", "max-results")?;
    let include_tenants = params.get("include-tenants") == Some("true");
    let range = |name: &str| Range::read(&params, &format!("{name}-from"), &format!("{name}-to"));
    let (created, modified, start, end, first_rent) = (
        range("created")?,
        range("modified")?,
        range("start-date")?,
        range("end-date")?,
        range("first-full-rent-date")?,
    );
    // Tenancies have no vacate, notice or renewal dates yet: asking for one finds none.
    let mut unset = false;
    for name in ["target-vacate-date", "notice-to-quit-date", "renewal-date"] {
        unset |= !range(name)?.contains(None);
    }
    let data = state.data(&agency);
    let items: Vec<_> = data
        .tenancies
        .values()
        .filter(|_| !unset)
        .filter(|t| {
            created.contains(Some(t.created))
                && modified.contains(Some(t.modified))
                && start.contains(Some(t.start))
                && end.contains(Some(t.end))
                && first_rent.contains(Some(t.start))
        })
        .map(|t| (id_key(t.id), to_list_item(&data, t, include_tenants)))
        .collect();
    let total = items.len();
    let (items, next) = page.page(items);
    Ok(Json(types::TenancyListItemPagedResults {
        items: Some(items),
        meta: Some(types::PropertyManagementMeta {
            next_token: next,
            total_items: i32::try_from(total).ok(),
        }),
    }))
}

/// A tenant as the property-management listings show it.
pub(crate) fn tenant_of(data: &AgencyData, x: &TenantRec) -> Option<types::Tenant> {
    let c = data.contacts.get(&x.contact_id)?;
    let p = c.people.first();
    Some(types::Tenant {
        id: Some(x.tenant_id.to_string()),
        title: p.and_then(|p| p.title.clone()),
        forename: p.and_then(|p| p.forename.clone()),
        surname: p.map(|p| p.surname.clone()),
        email: p.and_then(|p| p.emails.first().cloned()),
        phone: p.and_then(|p| p.phones.first().map(|(_, n)| n.clone())),
        address: c
            .address
            .as_ref()
            .map(crate::property_management::pm_address),
        created_date: Some(c.created),
        modified_date: Some(c.modified),
        links: None,
    })
}

fn rental_address(data: &AgencyData, t: &TenancyRec) -> Option<types::PropertyManagementAddress> {
    data.properties.get(&t.property_id).map(|p| {
        let a = &p.address;
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
    })
}

/// A stored tenancy as `GET /tenancies/{tenancyId}` answers it.
pub(crate) fn to_light(data: &AgencyData, t: &TenancyRec) -> types::TenancyLight {
    types::TenancyLight {
        id: i32::try_from(t.id).ok(),
        property_id: i32::try_from(t.property_id).ok(),
        branch_id: i32::try_from(t.branch_id).ok(),
        currency_code: Some("GBP".into()),
        deposit_requested: Some((t.rent * 12.0 / 52.0 * 5.0).round()),
        deposit_scheme_type: Some("Custodial".into()),
        start_date: Some(t.start),
        end_date: Some(t.end),
        first_full_rent_date: Some(t.start),
        occupant_count: i32::try_from(t.tenants.len()).ok(),
        rent: Some(t.rent),
        rental_frequency: Some("Monthly".into()),
        rental_address: rental_address(data, t),
        term_months: Some(12),
        term_years: Some(1),
        ..Default::default()
    }
}

fn to_list_item(
    data: &AgencyData,
    t: &TenancyRec,
    include_tenants: bool,
) -> types::TenancyListItem {
    let light = to_light(data, t);
    let tenants = include_tenants.then(|| {
        t.tenants
            .iter()
            .filter_map(|x| tenant_of(data, x))
            .collect()
    });
    types::TenancyListItem {
        id: light.id,
        property_id: light.property_id,
        branch_id: light.branch_id,
        currency_code: light.currency_code,
        deposit_requested: light.deposit_requested,
        deposit_scheme_type: light.deposit_scheme_type,
        start_date: light.start_date,
        end_date: light.end_date,
        first_full_rent_date: light.first_full_rent_date,
        occupant_count: light.occupant_count,
        rent: light.rent,
        rental_frequency: light.rental_frequency,
        rental_address: light.rental_address,
        term_months: light.term_months,
        term_years: light.term_years,
        created_date: Some(t.created),
        modified_date: Some(t.modified),
        status: Some(t.status.clone()),
        tenants,
        ..Default::default()
    }
}
