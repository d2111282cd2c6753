//! Tenancies of a property and changes to tenancies: `GET`/`POST /inventory/{inventoryId}/tenancies`,
//! `PATCH /tenancies/{tenancyId}`, and meter readings (`GET`/`POST
//! /tenancies/{tenancyId}/meter-readings`, `PATCH /tenancies/{tenancyId}/meter-readings/{utilityType}`).
//!
//! A proposed tenancy (202) is listed at once by `GET /tenancies` and under its property, with
//! each applicant as a tenant.

use alto::raw::types;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use bytes::Bytes;
use chrono::{Duration, Utc};

use super::common::{check_page_size, created, missing, patch_document, path_id, unknown};
use super::inventory::property;
use super::records::MeterReadingRec;
use crate::paging::{id_key, PageRequest};
use crate::params::Params;
use crate::problem::{json_body, recast, ApiError, Validation};
use crate::state::{AgencyKey, AppState};
use crate::store::{AgencyData, TenancyRec, TenantRec};
use crate::tenancies::tenant_of;

fn to_tenancy(data: &AgencyData, t: &TenancyRec) -> types::Tenancy {
    types::Tenancy {
        id: i32::try_from(t.id).ok(),
        currency_code: Some("GBP".into()),
        start_date: Some(t.start),
        end_date: Some(t.end),
        occupant_count: i32::try_from(t.tenants.len()).ok(),
        rent: Some(t.rent),
        rental_frequency: Some("Monthly".into()),
        status: Some(t.status.clone()),
        target_vacate_date: None,
        tenants: Some(
            t.tenants
                .iter()
                .filter_map(|x| tenant_of(data, x))
                .collect(),
        ),
    }
}

/// `GET /inventory/{inventoryId}/tenancies`, paged with `nextToken`/`maxResults`.
pub(crate) async fn of_property(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
    query: RawQuery,
) -> Result<Json<types::TenancyPagedResults>, ApiError> {
    let params = Params::parse(&query)?;
    check_page_size(&params, "maxResults", 100)?;
    let page =
        PageRequest::from_params(&params, "/inventory/tenancies", "nextToken", "maxResults")?;
    let data = state.data(&agency);
    let property_id = property(&data, "inventoryId", &id)?.id;
    let items: Vec<_> = data
        .tenancies
        .values()
        .filter(|t| t.property_id == property_id)
        .map(|t| (id_key(t.id), to_tenancy(&data, t)))
        .collect();
    let total = items.len();
    let (items, next) = page.page(items);
    Ok(Json(types::TenancyPagedResults {
        items: Some(items),
        meta: Some(types::PropertyManagementMeta {
            next_token: next,
            total_items: i32::try_from(total).ok(),
        }),
    }))
}

/// `POST /inventory/{inventoryId}/tenancies`: proposes a tenancy for the applicants; 202, empty.
/// The operation declares no 404, so an unknown property is a 400.
pub(crate) async fn propose(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let property_id = path_id("inventoryId", &id)?;
    let request: types::CreateProposedTenancyRequest = json_body(&body)?;
    let mut data = state.data(&agency);
    let Some(p) = data.properties.get(&property_id).cloned() else {
        return Err(unknown("inventoryId", "Property", property_id));
    };
    let mut v = Validation::default();
    v.check(
        p.market != types::SdkPropertyRecordType::Sale,
        "inventoryId",
        || format!("Property {property_id} is for sale, not to let."),
    );
    let rent = request.rental_amount.unwrap_or(0.0);
    v.check(rent > 0.0, "rentalAmount", || {
        "rentalAmount must be more than 0.".into()
    });
    let applicants: Vec<i64> = request
        .applicant_contact_ids
        .iter()
        .flatten()
        .map(|c| i64::from(*c))
        .collect();
    v.check(!applicants.is_empty(), "applicantContactIds", || {
        "At least one applicant contact is required.".into()
    });
    for (i, c) in applicants.iter().enumerate() {
        v.check(
            data.contacts.contains_key(c),
            &format!("applicantContactIds[{i}]"),
            || format!("Contact {c} does not exist."),
        );
    }
    let months =
        request.tenancy_term_years.unwrap_or(0) * 12 + request.tenancy_term_months.unwrap_or(0);
    let months = if request.tenancy_term_years.is_none() && request.tenancy_term_months.is_none() {
        12
    } else {
        months
    };
    v.check(months > 0, "tenancyTermMonths", || {
        "The term must be at least a month.".into()
    });
    v.finish()?;
    let now = Utc::now();
    let start = request
        .tenancy_start_date
        .unwrap_or(now + Duration::days(14));
    let end = start
        .checked_add_months(chrono::Months::new(u32::try_from(months).unwrap_or(12)))
        .unwrap_or(start);
    let id = data.next_id();
    let tenants = applicants
        .into_iter()
        .map(|contact_id| TenantRec {
            tenant_id: data.next_id(),
            contact_id,
            guarantors: Vec::new(),
        })
        .collect();
    let branch_id = p
        .branch_id
        .or_else(|| data.branches.first().map(|b| b.id))
        .unwrap_or_default();
    data.tenancies.insert(
        id,
        TenancyRec {
            id,
            property_id,
            branch_id,
            start,
            end,
            rent,
            status: "Proposed".into(),
            tenants,
            created: now,
            modified: now,
        },
    );
    Ok(StatusCode::ACCEPTED.into_response())
}

/// The statuses a tenancy moves through.
const TENANCY_STATUSES: &[&str] = &[
    "Proposed",
    "Pending",
    "Active",
    "Periodic",
    "Ending",
    "Ended",
    "Cancelled",
];

/// `PATCH /tenancies/{tenancyId}`: `/rent`, `/status`, `/startDate`, `/endDate`; 204.
pub(crate) async fn patch(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let id = path_id("tenancyId", &id)?;
    let document = patch_document(&body, &["add", "replace", "test"])?;
    let mut data = state.data(&agency);
    let mut t = data
        .tenancies
        .get(&id)
        .cloned()
        .ok_or_else(|| missing("Tenancy", id))?;
    for op in &document {
        let before = t.clone();
        match op.field().as_str() {
            "rent" => {
                let rent = op.number()?;
                if rent <= 0.0 {
                    return Err(ApiError::field(&op.path, "The rent must be more than 0."));
                }
                t.rent = rent;
            }
            "status" => {
                let s = op.string()?;
                if !TENANCY_STATUSES.contains(&s.as_str()) {
                    return Err(ApiError::field(
                        &op.path,
                        format!("'{s}' is not one of {}.", TENANCY_STATUSES.join(", ")),
                    ));
                }
                t.status = s;
            }
            "startdate" => t.start = op.date_time()?,
            "enddate" => t.end = op.date_time()?,
            _ => return Err(op.unsupported()),
        }
        if op.op == "test" {
            let same = (before.rent, &before.status, before.start, before.end)
                == (t.rent, &t.status, t.start, t.end);
            if !same {
                return Err(ApiError::field(&op.path, "The current value differs."));
            }
        }
    }
    if t.end <= t.start {
        return Err(ApiError::field(
            "endDate",
            "The end date must be after the start date.",
        ));
    }
    t.modified = Utc::now();
    data.tenancies.insert(id, t);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /tenancies/{tenancyId}/meter-readings`: one per utility; an unknown tenancy has none
/// (the operation declares only 200).
pub(crate) async fn readings(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
) -> Json<Vec<types::TenancyUtilityReading>> {
    let tenancy = id.trim().parse::<i64>().ok();
    let data = state.data(&agency);
    Json(
        data.management
            .meter_readings
            .values()
            .filter(|r| Some(r.tenancy_id) == tenancy)
            .map(|r| r.values.clone())
            .collect(),
    )
}

fn reading_location(tenancy: i64, utility: types::TenancyUtilityReadingUtilityType) -> String {
    format!("/tenancies/{tenancy}/meter-readings/{utility}")
}

/// `POST /tenancies/{tenancyId}/meter-readings`: 201 with the reading; a second reading of the
/// same utility is a 409 whose `Location` is the existing one's. No 404 is declared: an unknown
/// tenancy is a 400.
pub(crate) async fn add_reading(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let tenancy_id = path_id("tenancyId", &id)?;
    let request: types::PostTenancyMeterReadingRequest = json_body(&body)?;
    let mut data = state.data(&agency);
    let Some(tenancy) = data.tenancies.get(&tenancy_id).cloned() else {
        return Err(unknown("tenancyId", "Tenancy", tenancy_id));
    };
    let mut v = Validation::default();
    v.check(
        request.property_id.trim() == tenancy.property_id.to_string(),
        "propertyId",
        || {
            format!(
                "Tenancy {tenancy_id} is of property {}, not {}.",
                tenancy.property_id,
                request.property_id.as_str()
            )
        },
    );
    let utility: Option<types::TenancyUtilityReadingUtilityType> = recast(&request.utility_type);
    v.check(
        utility.is_some_and(|u| u != types::TenancyUtilityReadingUtilityType::Unspecified),
        "utilityType",
        || "Name the utility (Gas, Electricity, Water…).".into(),
    );
    for (name, value) in [
        ("inValue", request.in_value),
        ("inLowValue", request.in_low_value),
        ("inHighValue", request.in_high_value),
        ("outValue", request.out_value),
        ("outLowValue", request.out_low_value),
        ("outHighValue", request.out_high_value),
    ] {
        v.check(value.is_none_or(|n| n >= 0), name, || {
            format!("{name} cannot be negative.")
        });
    }
    v.finish()?;
    let Some(utility) = utility else {
        unreachable!("validated above")
    };
    if data
        .management
        .meter_readings
        .values()
        .any(|r| r.tenancy_id == tenancy_id && r.utility == utility)
    {
        return Err(ApiError::conflict(
            format!("Tenancy {tenancy_id} already has a {utility} reading; PATCH it instead."),
            reading_location(tenancy_id, utility),
        ));
    }
    let id = data.next_id();
    let values = types::TenancyUtilityReading {
        id: Some(id.to_string()),
        utility_type: Some(utility),
        in_value: request.in_value,
        in_low_value: request.in_low_value,
        in_high_value: request.in_high_value,
        out_value: request.out_value,
        out_low_value: request.out_low_value,
        out_high_value: request.out_high_value,
    };
    data.management.meter_readings.insert(
        id,
        MeterReadingRec {
            tenancy_id,
            utility,
            values: values.clone(),
        },
    );
    Ok(created(reading_location(tenancy_id, utility), &values))
}

/// `PATCH /tenancies/{tenancyId}/meter-readings/{utilityType}`: `replace`/`remove` of the
/// reading's values; 204.
pub(crate) async fn patch_reading(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path((id, utility)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let tenancy_id = path_id("tenancyId", &id)?;
    let utility: types::TenancyUtilityReadingUtilityType =
        serde_json::from_value(serde_json::Value::String(utility.clone())).map_err(|_| {
            ApiError::field("utilityType", format!("'{utility}' is not a utility type."))
        })?;
    let document = patch_document(&body, &["replace", "remove"])?;
    let mut data = state.data(&agency);
    if !data.tenancies.contains_key(&tenancy_id) {
        return Err(missing("Tenancy", tenancy_id));
    }
    let reading = data
        .management
        .meter_readings
        .values_mut()
        .find(|r| r.tenancy_id == tenancy_id && r.utility == utility)
        .ok_or_else(|| missing(&format!("The {utility} reading of tenancy"), tenancy_id))?;
    let mut values = reading.values.clone();
    for op in &document {
        let slot = match op.field().as_str() {
            "invalue" => &mut values.in_value,
            "inlowvalue" => &mut values.in_low_value,
            "inhighvalue" => &mut values.in_high_value,
            "outvalue" => &mut values.out_value,
            "outlowvalue" => &mut values.out_low_value,
            "outhighvalue" => &mut values.out_high_value,
            _ => return Err(op.unsupported()),
        };
        *slot = if op.op == "remove" {
            None
        } else {
            let n = op.number()?;
            if n < 0.0 || n.fract() != 0.0 || n > f64::from(i32::MAX) {
                return Err(ApiError::field(
                    &op.path,
                    "A reading is a whole number, at least 0.",
                ));
            }
            Some(n as i32)
        };
    }
    reading.values = values;
    Ok(StatusCode::NO_CONTENT.into_response())
}
