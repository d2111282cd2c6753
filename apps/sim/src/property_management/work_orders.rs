//! Works orders: `POST /work-orders`, `GET`/`PATCH /work-orders/{id}` (routed as
//! `{workOrderId}`) and `GET /inventory/{inventoryId}/work-orders`.
//!
//! A works order naming a supplier (`supplierContactId`) makes that supplier one of the
//! property's suppliers.

use alto::raw::types;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use bytes::Bytes;
use chrono::Utc;

use super::common::{created, missing, patch_document, path_id};
use crate::params::parse_date_time;
use crate::problem::{json_body, ApiError, Validation};
use crate::state::{AgencyKey, AppState};
use crate::store::{AgencyData, WorkOrderRec};

/// Priorities a works order may have.
const PRIORITIES: &[&str] = &["Low", "Normal", "High", "Urgent"];
/// The stages of a works order.
const STATUSES: &[&str] = &[
    "Reported",
    "Quoted",
    "Approved",
    "InProgress",
    "Completed",
    "Cancelled",
];

pub(crate) fn to_work_order(w: &WorkOrderRec) -> types::WorkOrder {
    types::WorkOrder {
        id: Some(w.id.to_string()),
        work_order_number: Some(format!("WO-{:06}", w.id % 1_000_000)),
        property_id: Some(w.property_id.to_string()),
        summary: Some(w.summary.clone()),
        description: w.description.clone(),
        priority: Some(w.priority.clone()),
        status: Some(w.status.clone()),
        notes: w.notes.clone(),
        supplier_contact_id: w.supplier_contact_id.clone(),
        quote: w.quote,
        reporter_details: w.reporter.clone(),
        access_details: w.access.clone(),
        charge_details: w.charge.clone(),
        reported_date: Some(w.reported),
        start_date: w.start,
        modified_date: Some(w.modified),
    }
}

fn one_of(v: &mut Validation, field: &str, value: &str, allowed: &[&str]) {
    v.check(allowed.contains(&value), field, || {
        format!("'{value}' is not one of {}.", allowed.join(", "))
    });
}

/// Links the supplier to the property, when the supplier is one of the agency's.
fn link_supplier(data: &mut AgencyData, supplier: Option<&str>, property_id: i64) {
    let Some(id) = supplier.and_then(|s| s.trim().parse::<i64>().ok()) else {
        return;
    };
    if let Some(s) = data.management.suppliers.get_mut(&id) {
        if !s.property_ids.contains(&property_id) {
            s.property_ids.push(property_id);
        }
    }
}

/// `POST /work-orders`: 201 with the new works order.
pub(crate) async fn create(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let r: types::CreateWorkOrderRequest = json_body(&body)?;
    let mut data = state.data(&agency);
    let mut v = Validation::default();
    let property_id = r.property_id.trim().parse::<i64>().ok();
    v.check(
        property_id.is_some_and(|p| data.properties.contains_key(&p)),
        "propertyId",
        || format!("Property {} does not exist.", r.property_id.as_str()),
    );
    one_of(&mut v, "priority", &r.priority, PRIORITIES);
    v.check(!r.summary.trim().is_empty(), "summary", || {
        "A summary is required.".into()
    });
    let reported = parse_date_time("reportedDate", &r.reported_date);
    v.check(reported.is_ok(), "reportedDate", || {
        format!("'{}' is not a date-time.", r.reported_date.as_str())
    });
    let start = r
        .start_date
        .as_deref()
        .map(|s| parse_date_time("startDate", s));
    v.check(!matches!(start, Some(Err(_))), "startDate", || {
        "startDate is not a date-time.".into()
    });
    if let Some(n) = r.negotiator_id.as_deref() {
        v.check(
            n.trim().parse().is_ok_and(|n| data.has_negotiator(n)),
            "negotiatorId",
            || format!("Negotiator {n} does not exist."),
        );
    }
    if let Some(q) = r.quote {
        v.check(q >= 0.0, "quote", || "The quote cannot be negative.".into());
    }
    v.finish()?;
    let (Some(property_id), Ok(reported)) = (property_id, reported) else {
        unreachable!("validated above");
    };
    let now = Utc::now();
    let id = data.next_id();
    let work_order = WorkOrderRec {
        id,
        property_id,
        summary: r.summary.to_string(),
        description: r.description,
        priority: r.priority.to_string(),
        status: "Reported".into(),
        notes: r.notes,
        supplier_contact_id: r.supplier_contact_id,
        quote: r.quote,
        reporter: r.reporter_details,
        access: r.access_details,
        charge: r.charge_details,
        reported,
        start: start.and_then(Result::ok),
        created: now,
        modified: now,
    };
    link_supplier(
        &mut data,
        work_order.supplier_contact_id.as_deref(),
        property_id,
    );
    let answer = to_work_order(&work_order);
    data.work_orders.insert(id, work_order);
    Ok(created(format!("/work-orders/{id}"), &answer))
}

fn work_order_id(raw: &str) -> Result<i64, ApiError> {
    // The operation declares no 400: an id that is not a number names no works order.
    path_id("id", raw).map_err(|_| missing("Works order", raw))
}

/// `GET /work-orders/{id}`.
pub(crate) async fn get(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
) -> Result<Json<types::WorkOrder>, ApiError> {
    let id = work_order_id(&id)?;
    let data = state.data(&agency);
    data.work_orders
        .get(&id)
        .map(|w| Json(to_work_order(w)))
        .ok_or_else(|| missing("Works order", id))
}

/// `PATCH /work-orders/{id}`: `replace` of `/status`, `/priority`, `/summary`, `/description`,
/// `/notes`, `/quote`, `/supplierContactId` or `/startDate`; 204.
pub(crate) async fn patch(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let id = work_order_id(&id)?;
    let mut data = state.data(&agency);
    let mut w = data
        .work_orders
        .get(&id)
        .cloned()
        .ok_or_else(|| missing("Works order", id))?;
    let document = patch_document(&body, &["replace"])?;
    for op in &document {
        match op.field().as_str() {
            "status" => {
                let s = op.string()?;
                let mut v = Validation::default();
                one_of(&mut v, &op.path, &s, STATUSES);
                v.finish()?;
                w.status = s;
            }
            "priority" => {
                let s = op.string()?;
                let mut v = Validation::default();
                one_of(&mut v, &op.path, &s, PRIORITIES);
                v.finish()?;
                w.priority = s;
            }
            "summary" => w.summary = op.string()?,
            "description" => w.description = Some(op.string()?),
            "notes" => w.notes = Some(op.string()?),
            "quote" => w.quote = Some(op.number()?),
            "suppliercontactid" => w.supplier_contact_id = Some(op.string()?),
            "startdate" => w.start = Some(op.date_time()?),
            _ => return Err(op.unsupported()),
        }
    }
    w.modified = Utc::now();
    link_supplier(&mut data, w.supplier_contact_id.as_deref(), w.property_id);
    data.work_orders.insert(id, w);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /inventory/{inventoryId}/work-orders`: the spec answers one works order, the property's
/// latest; 404 if the property is unknown or has none.
pub(crate) async fn of_property(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
) -> Result<Json<types::WorkOrder>, ApiError> {
    let property_id = path_id("inventoryId", &id).map_err(|_| missing("Property", &id))?;
    let data = state.data(&agency);
    if !data.properties.contains_key(&property_id) {
        return Err(missing("Property", property_id));
    }
    data.work_orders
        .values()
        .filter(|w| w.property_id == property_id)
        .max_by_key(|w| (w.created, w.id))
        .map(|w| Json(to_work_order(w)))
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "Not Found",
                format!("Property {property_id} has no works order."),
            )
        })
}
