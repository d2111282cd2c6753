//! The inventory itself: `GET /inventory`, `GET /inventory/search`, `GET /inventory/filter`,
//! `GET /inventory/items`, `GET`/`PATCH /inventory/{inventoryId}` and
//! `PATCH /inventory/{propertyId}/appraisal`.

use alto::raw::types;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use bytes::Bytes;
use chrono::Utc;
use serde_json::Value;

use super::common::{
    bool_param, check_page_size, enum_param, missing, patch_document, path_id, Range,
};
use crate::paging::{id_key, PageRequest};
use crate::params::Params;
use crate::problem::ApiError;
use crate::properties::{display_address, to_address, to_detail};
use crate::state::{AgencyKey, AppState};
use crate::store::{AgencyData, PropertyRec};

fn record_type(p: &PropertyRec) -> types::InventoryPropertyRecordType {
    match p.market {
        types::SdkPropertyRecordType::Sale => types::InventoryPropertyRecordType::Sale,
        types::SdkPropertyRecordType::Rent => types::InventoryPropertyRecordType::Rent,
        types::SdkPropertyRecordType::Unspecified => {
            types::InventoryPropertyRecordType::Unspecified
        }
    }
}

fn management_type(p: &PropertyRec) -> types::RentalManagementType {
    match p.market {
        types::SdkPropertyRecordType::Rent => types::RentalManagementType::FullyManaged,
        _ => types::RentalManagementType::Unspecified,
    }
}

fn maintenance_type(p: &PropertyRec) -> types::MaintenanceType {
    match p.market {
        types::SdkPropertyRecordType::Rent => types::MaintenanceType::MaintainedByUs,
        _ => types::MaintenanceType::Unspecified,
    }
}

/// The marketing status: the listing's, else what `PATCH /Status` set, else `Available`.
fn status(data: &AgencyData, p: &PropertyRec) -> types::SdkInventoryStatus {
    let patched = data
        .management
        .inventory_details
        .get(&p.id)
        .and_then(|d| d.get("status"))
        .and_then(|v| serde_json::from_value(v.clone()).ok());
    patched
        .or_else(|| {
            data.listings
                .get(&p.id)
                .and_then(|l| crate::problem::recast(&l.status))
        })
        .unwrap_or(types::SdkInventoryStatus::Available)
}

/// When the property last changed: its last PATCH, else its creation.
pub(crate) fn modified(data: &AgencyData, p: &PropertyRec) -> chrono::DateTime<Utc> {
    data.management
        .inventory_modified
        .get(&p.id)
        .copied()
        .unwrap_or(p.created)
}

fn search_item(data: &AgencyData, p: &PropertyRec) -> types::InventorySearchItem {
    types::InventorySearchItem {
        address: Some(to_address(&p.address)),
        archived: Some(false),
        branch_id: p.branch_id.map(|b| b.to_string()),
        category_type: Some(types::PropertyCategoryType::Residential),
        created_at: Some(p.created),
        instruction_date: Some(p.created),
        inventory_id: Some(p.id.to_string()),
        maintenance_type: Some(maintenance_type(p)),
        management_type: Some(management_type(p)),
        modified_at: Some(modified(data, p)),
        record_type: Some(record_type(p)),
        status: Some(status(data, p)),
    }
}

/// The detail of `GET /inventory/{inventoryId}`, with what PATCH set laid over it.
pub(crate) fn detail(data: &AgencyData, p: &PropertyRec) -> types::InventoryDetailItem {
    let base = to_detail(data, p);
    let Some(patched) = data.management.inventory_details.get(&p.id) else {
        return base;
    };
    let mut value = serde_json::to_value(&base).unwrap_or_default();
    if let Value::Object(fields) = &mut value {
        for (k, v) in patched {
            fields.insert(k.clone(), v.clone());
        }
        fields.insert(
            "modifiedDate".into(),
            serde_json::to_value(modified(data, p)).unwrap_or_default(),
        );
    }
    serde_json::from_value(value).unwrap_or(base)
}

/// The common filters of search and filter: archived, record type, branches, dates.
struct Common {
    archived: Option<bool>,
    record_type: Option<types::InventoryPropertyRecordType>,
    branches: Vec<String>,
    created: Range,
    modified: Range,
}

impl Common {
    fn read(params: &Params, record_type_name: &str) -> Result<Self, ApiError> {
        check_page_size(params, "max-results", 250)?;
        Ok(Self {
            archived: bool_param(params, "archived")?,
            record_type: enum_param(params, record_type_name)?,
            branches: params
                .all("branchIds")
                .into_iter()
                .map(String::from)
                .collect(),
            created: Range::read(params, "created-from", "created-to")?,
            modified: Range::read(params, "modified-from", "modified-to")?,
        })
    }

    fn keeps(&self, data: &AgencyData, p: &PropertyRec) -> bool {
        self.archived != Some(true)
            && self.record_type.is_none_or(|r| r == record_type(p))
            && (self.branches.is_empty()
                || p.branch_id
                    .is_some_and(|b| self.branches.contains(&b.to_string())))
            && self.created.contains(Some(p.created))
            && self.modified.contains(Some(modified(data, p)))
    }
}

fn search_page(
    data: &AgencyData,
    page: &PageRequest,
    keep: impl Fn(&PropertyRec) -> bool,
) -> types::InventorySearchResults {
    let items = data
        .properties
        .values()
        .filter(|p| keep(p))
        .map(|p| (id_key(p.id), search_item(data, p)))
        .collect();
    let (items, next) = page.page(items);
    types::InventorySearchResults {
        items: Some(items),
        meta: Some(types::InventorySearchMeta { next_token: next }),
    }
}

fn matches_text(data: &AgencyData, p: &PropertyRec, query: &str) -> bool {
    let needle = query.trim().to_lowercase();
    let address = display_address(&p.address).to_lowercase();
    let squeezed = |s: &str| {
        s.chars()
            .filter(|c| !c.is_whitespace() && *c != ',')
            .collect::<String>()
    };
    p.id.to_string() == needle
        || address.contains(&needle)
        || squeezed(&address).contains(&squeezed(&needle))
        || data.owners_of(p.id).any(|o| {
            data.contacts.get(&o.contact_id).is_some_and(|c| {
                c.people
                    .iter()
                    .any(|person| person.surname.to_lowercase() == needle)
            })
        })
}

/// `GET /inventory/search?query=…`: free text over address, postcode, id and owners' surnames.
pub(crate) async fn search(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    query: RawQuery,
) -> Result<Json<types::InventorySearchResults>, ApiError> {
    let params = Params::parse(&query)?;
    let text = params
        .get("query")
        .filter(|q| !q.trim().is_empty())
        .ok_or_else(|| ApiError::field("query", "The query parameter is required."))?
        .to_string();
    let common = Common::read(&params, "recordType")?;
    let page = PageRequest::from_params(&params, "/inventory/search", "next-token", "max-results")?;
    let data = state.data(&agency);
    Ok(Json(search_page(&data, &page, |p| {
        common.keeps(&data, p) && matches_text(&data, p, &text)
    })))
}

/// `GET /inventory/filter`: by category, record, management and maintenance type, status,
/// instruction date, owner, branch and dates.
pub(crate) async fn filter(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    query: RawQuery,
) -> Result<Json<types::InventorySearchResults>, ApiError> {
    let params = Params::parse(&query)?;
    let common = Common::read(&params, "recordType")?;
    let category: Option<types::PropertyCategoryType> = enum_param(&params, "categoryType")?;
    let management: Option<types::RentalManagementType> = enum_param(&params, "managementType")?;
    let maintenance: Option<types::MaintenanceType> = enum_param(&params, "maintenance-type")?;
    let status_wanted: Option<types::SdkInventoryStatus> = enum_param(&params, "inventory-status")?;
    let instructed = Range::read(&params, "instruction-date-from", "instruction-date-to")?;
    let owner = params.int("owner-id")?;
    let page = PageRequest::from_params(&params, "/inventory/filter", "next-token", "max-results")?;
    let data = state.data(&agency);
    Ok(Json(search_page(&data, &page, |p| {
        common.keeps(&data, p)
            && category.is_none_or(|c| c == types::PropertyCategoryType::Residential)
            && management.is_none_or(|m| m == management_type(p))
            && maintenance.is_none_or(|m| m == maintenance_type(p))
            && status_wanted.is_none_or(|s| s == status(&data, p))
            && instructed.contains(Some(p.created))
            && owner.is_none_or(|o| data.owners_of(p.id).any(|x| x.contact_id == o))
    })))
}

/// `GET /inventory`: paged with `nextToken`/`maxResults`, filtered by `address`, `category`,
/// `recordType` and `archived`. No property matching is a 404, as Alto answers.
pub(crate) async fn list(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    query: RawQuery,
) -> Result<Json<types::InventoryPagedResults>, ApiError> {
    let params = Params::parse(&query)?;
    let address = params.get("address").map(str::to_lowercase);
    let category: Option<types::PropertyCategoryType> = enum_param(&params, "category")?;
    let kind: Option<types::InventoryPropertyRecordType> = enum_param(&params, "recordType")?;
    let archived = bool_param(&params, "archived")?;
    let page = PageRequest::from_params(&params, "/inventory", "nextToken", "maxResults")?;
    let data = state.data(&agency);
    let items: Vec<_> = data
        .properties
        .values()
        .filter(|_| archived != Some(true))
        .filter(|_| category.is_none_or(|c| c == types::PropertyCategoryType::Residential))
        .filter(|p| kind.is_none_or(|k| k == record_type(p)))
        .filter(|p| {
            address
                .as_deref()
                .is_none_or(|a| display_address(&p.address).to_lowercase().contains(a))
        })
        .map(|p| {
            (
                id_key(p.id),
                types::InventoryItem {
                    id: Some(p.id.to_string()),
                    address: Some(to_address(&p.address)),
                },
            )
        })
        .collect();
    if items.is_empty() {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "Not Found",
            "No property matches these filters.",
        ));
    }
    let (items, next) = page.page(items);
    Ok(Json(types::InventoryPagedResults {
        items: Some(items),
        meta: Some(types::InventoryMeta {
            next_token: next,
            previous_token: None,
        }),
    }))
}

/// `GET /inventory/items?inventory-id=…`: the details of each known id asked for; 404 if none is.
pub(crate) async fn items(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    query: RawQuery,
) -> Result<Json<types::InventoryDetailItemItemCollection>, ApiError> {
    let params = Params::parse(&query)?;
    let ids = params.ints("inventory-id")?;
    if ids.is_empty() {
        return Err(ApiError::field(
            "inventory-id",
            "At least one inventory-id is required.",
        ));
    }
    let data = state.data(&agency);
    let items: Vec<_> = ids
        .iter()
        .filter_map(|id| data.properties.get(id))
        .map(|p| detail(&data, p))
        .collect();
    if items.is_empty() {
        return Err(missing(
            "Property",
            ids.iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
    Ok(Json(types::InventoryDetailItemItemCollection {
        total_count: i32::try_from(items.len()).ok(),
        items: Some(items),
    }))
}

/// The stored property `raw` names: 400 if it is not an id, 404 if there is none.
pub(crate) fn property<'a>(
    data: &'a AgencyData,
    name: &str,
    raw: &str,
) -> Result<&'a PropertyRec, ApiError> {
    let id = path_id(name, raw)?;
    data.properties
        .get(&id)
        .ok_or_else(|| missing("Property", id))
}

/// `GET /inventory/{inventoryId}`.
pub(crate) async fn get(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
) -> Result<Json<types::InventoryDetailItem>, ApiError> {
    let data = state.data(&agency);
    let p = property(&data, "inventoryId", &id)?;
    Ok(Json(detail(&data, p)))
}

/// The patch paths of `InventoryPatch` that are top-level fields of the detail, with their
/// JSON names there.
const INVENTORY_FIELDS: &[(&str, &str)] = &[
    ("displayaddress", "displayAddress"),
    ("taxband", "taxBand"),
    ("taxbandexemptreason", "taxBandExemptReason"),
    ("localauthority", "localAuthority"),
    ("servicecharge", "serviceCharge"),
    ("servicechargenotes", "serviceChargeNotes"),
    ("groundrent", "groundRent"),
    ("leaseterm", "leaseTerm"),
    ("groundrentreviewperiod", "groundRentReviewPeriod"),
    (
        "groundrentpercentageincrease",
        "groundRentPercentageIncrease",
    ),
    ("groundrentfixedforterm", "groundRentFixedForTerm"),
    ("groundrentnotes", "groundRentNotes"),
    ("sharedownership", "sharedOwnership"),
    (
        "sharedownershippercentageshare",
        "sharedOwnershipPercentageShare",
    ),
    ("sharedownershiprent", "sharedOwnershipRent"),
    ("leasenotes", "leaseNotes"),
    ("privateviewingnotes", "privateViewingNotes"),
    ("status", "status"),
    ("tenure", "tenure"),
    ("yearbuilt", "yearBuilt"),
    ("newbuild", "newBuild"),
    ("bedrooms", "bedrooms"),
    ("bathrooms", "bathrooms"),
    ("receptions", "receptions"),
    ("landareainacres", "landAreaInAcres"),
    ("floorareainsquarefeet", "floorAreaInSquareFeet"),
    ("hasasbestos", "hasAsbestos"),
    ("coastalerosion", "coastalErosion"),
    ("knownplanningconsiderations", "knownPlanningConsiderations"),
    ("mobilecoverage", "mobileCoverage"),
    ("uprn", "uprn"),
    ("price", "price"),
];

/// `PATCH /inventory/{inventoryId}`: `replace` (or `test`) of the detail's own fields; 204.
pub(crate) async fn patch(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let document = patch_document(&body, &["replace", "test"])?;
    let mut data = state.data(&agency);
    let p = property(&data, "inventoryId", &id)?.clone();
    let current = serde_json::to_value(detail(&data, &p)).unwrap_or_default();
    let mut changes = data
        .management
        .inventory_details
        .get(&p.id)
        .cloned()
        .unwrap_or_default();
    for op in &document {
        let field = op.field();
        let Some((_, name)) = INVENTORY_FIELDS.iter().find(|(k, _)| *k == field) else {
            return Err(op.unsupported());
        };
        let value = op.value()?.clone();
        if op.op == "test" {
            if current.get(*name) != Some(&value) {
                return Err(ApiError::field(
                    &op.path,
                    format!("The current value is not {value}."),
                ));
            }
            continue;
        }
        if *name == "status" && value != Value::String("LetAgreed".into()) {
            return Err(ApiError::field(&op.path, "Only LetAgreed may be set."));
        }
        // The value must fit the detail's field: try it on the current detail.
        let mut trial = current.clone();
        trial[*name] = value.clone();
        if serde_json::from_value::<types::InventoryDetailItem>(trial).is_err() {
            return Err(ApiError::field(
                &op.path,
                format!("The value {value} is not valid here."),
            ));
        }
        changes.insert((*name).to_string(), value);
    }
    data.management.inventory_details.insert(p.id, changes);
    data.management.inventory_modified.insert(p.id, Utc::now());
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `PATCH /inventory/{propertyId}/appraisal`: the appraisal's figures; 204.
pub(crate) async fn patch_appraisal(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let document = patch_document(&body, &["replace", "test"])?;
    let mut data = state.data(&agency);
    let p = property(&data, "propertyId", &id)?.id;
    let mut figures = data
        .management
        .appraisals
        .get(&p)
        .cloned()
        .unwrap_or_default();
    for op in &document {
        let field = op.field();
        let numeric = NUMERIC_APPRAISAL.contains(&field.as_str());
        let text = TEXT_APPRAISAL.iter().find(|(k, _)| *k == field);
        let value = match (numeric, text) {
            (true, _) => Value::from(op.number()?),
            (false, Some((_, allowed))) => {
                let s = op.string()?;
                if !allowed.is_empty() && !allowed.contains(&s.as_str()) {
                    return Err(ApiError::field(
                        &op.path,
                        format!("The value '{s}' is not allowed."),
                    ));
                }
                Value::String(s)
            }
            (false, None) => return Err(op.unsupported()),
        };
        if op.op == "test" {
            if figures.get(&field) != Some(&value) {
                return Err(ApiError::field(
                    &op.path,
                    format!("The current value is not {value}."),
                ));
            }
            continue;
        }
        figures.insert(field, value);
    }
    data.management.appraisals.insert(p, figures);
    Ok(StatusCode::NO_CONTENT.into_response())
}

const NUMERIC_APPRAISAL: &[&str] = &[
    "saleupperamount",
    "saleloweramount",
    "saleowneramount",
    "saleproposedamount",
    "salecommission",
    "rentloweramount",
    "rentupperamount",
    "rentowneramount",
    "rentproposedamount",
    "rentmanagementcommission",
    "rentrecurringfeefixed",
];

const FREQUENCIES: &[&str] = &[
    "Unknown",
    "Weekly",
    "Monthly",
    "Quarterly",
    "Yearly",
    "AdHoc",
    "Daily",
    "Fortnightly",
    "FourWeekly",
    "MonthlyOnLastDay",
    "QuarterlyOnQuarterDays",
    "HalfYearly",
    "HalfYearlyOnQuarterDays",
];

const TEXT_APPRAISAL: &[(&str, &[&str])] = &[
    ("salefeequoted", &[]),
    (
        "salepricequalifier",
        &[
            "Unknown",
            "OffersInTheRegionOf",
            "NoOffers",
            "AskingPrice",
            "OffersOver",
            "AuctionGuide",
            "PriceGuide",
            "InformalTender",
            "OffersInExcessOf",
            "PerSqFoot",
            "Price",
            "PricesFrom",
            "GuidePrice",
        ],
    ),
    ("rentfrequency", FREQUENCIES),
    ("rentrecurringfeefixedfrequency", FREQUENCIES),
    (
        "rentpricequalifier",
        &["Unspecified", "PerWeek", "PerMonth", "PerAnnum"],
    ),
];
