//! Management events: `GET`/`POST /management-events`, `GET`/`PATCH /management-events/{eventId}`
//! and `GET /inventory/{inventoryId}/management-events`.

use alto::raw::types;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use bytes::Bytes;
use chrono::Utc;

use super::common::{
    bool_param, check_page_size, created, missing, patch_document, path_id, unknown, Range,
};
use super::records::EventRec;
use crate::paging::{id_key, PageRequest};
use crate::params::Params;
use crate::problem::{json_body, ApiError, Validation};
use crate::state::{AgencyKey, AppState};
use crate::store::AgencyData;

/// The event types Alto's property management offers, by key.
const EVENT_TYPES: &[(&str, &str)] = &[
    ("GasSafetyCheck", "Gas safety check"),
    ("ElectricalSafetyCheck", "Electrical safety check"),
    ("EPC", "Energy performance certificate"),
    ("Inspection", "Inspection"),
    ("RentReview", "Rent review"),
    ("TenancyRenewal", "Tenancy renewal"),
    ("SmokeAlarmCheck", "Smoke alarm check"),
    ("LegionellaRiskAssessment", "Legionella risk assessment"),
    ("Other", "Other"),
];

fn to_event(e: &EventRec) -> types::ManagementEvent {
    types::ManagementEvent {
        id: Some(e.id.to_string()),
        branch_id: e.branch_id.map(|b| b.to_string()),
        property_id: e.property_id.map(|p| p.to_string()),
        tenancy_id: e.tenancy_id.map(|t| t.to_string()),
        event_type: Some(types::ManagementEventType {
            key: Some(e.event_type.clone()),
            label: EVENT_TYPES
                .iter()
                .find(|(k, _)| *k == e.event_type)
                .map(|(_, l)| (*l).to_string()),
        }),
        notes: e.notes.clone(),
        due_date: e.due,
        completion_date: e.completed,
        rescheduled_for_date: None,
        critical: Some(e.priority == types::ManagementEventPriority::High),
        priority: Some(e.priority),
        recurring: Some(matches!(
            e.event_type.as_str(),
            "GasSafetyCheck" | "ElectricalSafetyCheck" | "SmokeAlarmCheck"
        )),
        reminder_days: Some(7),
        status: Some(e.status),
        created_date: Some(e.created),
        modified_date: Some(e.modified),
    }
}

/// The filters both listings take.
fn page_of(
    data: &AgencyData,
    params: &Params,
    route: &'static str,
    keep: impl Fn(&EventRec) -> bool,
) -> Result<types::ManagementEventPagedResults, ApiError> {
    check_page_size(params, "maxResults", 100)?;
    let page = PageRequest::from_params(params, route, "nextToken", "maxResults")?;
    let created = Range::read(params, "createdFrom", "createdTo")?;
    let modified = Range::read(params, "modifiedFrom", "modifiedTo")?;
    let upcoming = bool_param(params, "upcoming")?;
    let statuses = params
        .all("status")
        .into_iter()
        .map(|s| {
            serde_json::from_value::<types::ManagementEventStatus>(serde_json::Value::String(
                s.into(),
            ))
            .map_err(|_| ApiError::field("status", format!("The value '{s}' is not valid.")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let now = Utc::now();
    let items: Vec<_> = data
        .management
        .events
        .values()
        .filter(|e| keep(e))
        .filter(|e| created.contains(Some(e.created)) && modified.contains(Some(e.modified)))
        .filter(|e| statuses.is_empty() || statuses.contains(&e.status))
        .filter(|e| upcoming != Some(true) || e.due.is_some_and(|d| d >= now))
        .map(|e| (id_key(e.id), to_event(e)))
        .collect();
    let total = items.len();
    let (items, next) = page.page(items);
    Ok(types::ManagementEventPagedResults {
        items: Some(items),
        meta: Some(types::PropertyManagementMeta {
            next_token: next,
            total_items: i32::try_from(total).ok(),
        }),
    })
}

/// `GET /management-events`.
pub(crate) async fn list(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    query: RawQuery,
) -> Result<Json<types::ManagementEventPagedResults>, ApiError> {
    let params = Params::parse(&query)?;
    let data = state.data(&agency);
    Ok(Json(page_of(&data, &params, "/management-events", |_| {
        true
    })?))
}

/// `GET /inventory/{inventoryId}/management-events`: an unknown property has none.
pub(crate) async fn of_property(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
    query: RawQuery,
) -> Result<Json<types::ManagementEventPagedResults>, ApiError> {
    let property_id = path_id("inventoryId", &id)?;
    let params = Params::parse(&query)?;
    let data = state.data(&agency);
    Ok(Json(page_of(
        &data,
        &params,
        "/inventory/management-events",
        |e| e.property_id == Some(property_id),
    )?))
}

/// `POST /management-events`: an event on a property or a tenancy (`linkedType`); 201.
pub(crate) async fn create(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let request: types::CreateManagementEventRequest = json_body(&body)?;
    let mut data = state.data(&agency);
    let mut v = Validation::default();
    let kind = request.event_type.to_string();
    v.check(
        EVENT_TYPES.iter().any(|(k, _)| *k == kind),
        "eventType",
        || {
            format!(
                "Unknown event type '{kind}'; use one of {}.",
                EVENT_TYPES
                    .iter()
                    .map(|(k, _)| *k)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        },
    );
    let linked = i64::from(request.linked_id);
    let (property_id, tenancy_id) = match request.linked_type.to_ascii_lowercase().as_str() {
        "property" => {
            v.check(data.properties.contains_key(&linked), "linkedId", || {
                format!("Property {linked} does not exist.")
            });
            (Some(linked), None)
        }
        "tenancy" => {
            let property = data.tenancies.get(&linked).map(|t| t.property_id);
            v.check(property.is_some(), "linkedId", || {
                format!("Tenancy {linked} does not exist.")
            });
            (property, Some(linked))
        }
        other => {
            v.check(false, "linkedType", || {
                format!("Unknown linkedType '{other}'; use Property or Tenancy.")
            });
            (None, None)
        }
    };
    let negotiator = i64::from(request.negotiator_id);
    v.check(data.has_negotiator(negotiator), "negotiatorId", || {
        format!("Negotiator {negotiator} does not exist.")
    });
    v.finish()?;
    let now = Utc::now();
    let id = data.next_id();
    let event = EventRec {
        id,
        event_type: kind,
        property_id,
        tenancy_id,
        branch_id: property_id
            .and_then(|p| data.properties.get(&p))
            .and_then(|p| p.branch_id),
        notes: request.notes.map(|n| n.to_string()),
        due: request.due_date,
        completed: None,
        priority: types::ManagementEventPriority::Normal,
        status: types::ManagementEventStatus::Pending,
        created: now,
        modified: now,
    };
    let answer = to_event(&event);
    data.management.events.insert(id, event);
    Ok(created(format!("/management-events/{id}"), &answer))
}

/// `GET /management-events/{eventId}`.
pub(crate) async fn get(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
) -> Result<Json<types::ManagementEvent>, ApiError> {
    let id = path_id("eventId", &id)?;
    let data = state.data(&agency);
    data.management
        .events
        .get(&id)
        .map(|e| Json(to_event(e)))
        .ok_or_else(|| missing("Management event", id))
}

/// `PATCH /management-events/{eventId}`: `replace` of `/status`, `/priority`, `/notes`,
/// `/dueDate` or `/completionDate`; 200, empty. An unknown event is a 400 (no 404 declared).
pub(crate) async fn patch(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let id = path_id("eventId", &id)?;
    let document = patch_document(&body, &["replace"])?;
    let mut data = state.data(&agency);
    let mut e = data
        .management
        .events
        .get(&id)
        .cloned()
        .ok_or_else(|| unknown("eventId", "Management event", id))?;
    for op in &document {
        match op.field().as_str() {
            "status" => {
                e.status = op.enumerated()?;
                if e.status == types::ManagementEventStatus::Complete && e.completed.is_none() {
                    e.completed = Some(Utc::now());
                }
            }
            "priority" => e.priority = op.enumerated()?,
            "notes" => e.notes = Some(op.string()?),
            "duedate" => e.due = Some(op.date_time()?),
            "completiondate" => e.completed = Some(op.date_time()?),
            _ => return Err(op.unsupported()),
        }
    }
    e.modified = Utc::now();
    data.management.events.insert(id, e);
    Ok(StatusCode::OK.into_response())
}
