//! Changing appointments and the diary's parameters: `PATCH /appointments/viewings/{appointmentId}`,
//! `PATCH /appointments/general/{appointmentId}` (JSON Patch documents of `replace` operations
//! on the paths the spec lists) and `GET /parameters/appointment-subtypes`.

use alto::raw::types;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use bytes::Bytes;
use chrono::Utc;
use serde_json::Value;

use crate::problem::{json_body, ApiError, Validation};
use crate::state::{AgencyKey, AppState};
use crate::store::AppointmentRec;

type Kind = types::ExternalPartnerAppointmentType;

/// Paths a viewing patch may replace, and those of a general appointment (the spec's enums).
const VIEWING_PATHS: [&str; 7] = [
    "/status",
    "/startDate",
    "/endDate",
    "/negotiatorId",
    "/notes",
    "/applicantFeedback",
    "/internalNotes",
];
const GENERAL_PATHS: [&str; 4] = ["/startDate", "/endDate", "/negotiatorIds", "/status"];

/// `GET /parameters/appointment-subtypes`: the group's general appointment sub-types.
pub(crate) async fn sub_types(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
) -> Json<Vec<types::DiaryEventSubType>> {
    let data = state.data(&agency);
    Json(
        data.appointment_sub_types
            .iter()
            .map(|(id, name)| types::DiaryEventSubType {
                id: Some(*id),
                display_name: Some(name.clone()),
            })
            .collect(),
    )
}

/// `PATCH /appointments/viewings/{appointmentId}`: 200 without a body.
pub(crate) async fn patch_viewing(
    state: State<AppState>,
    agency: Extension<AgencyKey>,
    id: Path<String>,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    patch(state, agency, id, body, Kind::Viewing, &VIEWING_PATHS)
}

/// `PATCH /appointments/general/{appointmentId}`: 200 without a body.
pub(crate) async fn patch_general(
    state: State<AppState>,
    agency: Extension<AgencyKey>,
    id: Path<String>,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    patch(state, agency, id, body, Kind::General, &GENERAL_PATHS)
}

fn patch(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
    body: Bytes,
    kind: Kind,
    paths: &[&str],
) -> Result<StatusCode, ApiError> {
    let id: i64 = id
        .trim()
        .parse()
        .map_err(|_| ApiError::field("appointmentId", format!("The value '{id}' is not valid.")))?;
    let operations: Vec<Value> = json_body(&body)?;
    let mut data = state.data(&agency);
    let what = if kind == Kind::Viewing {
        "Viewing"
    } else {
        "General appointment"
    };
    let current = data
        .appointments
        .get(&id)
        .filter(|a| a.kind == kind)
        .cloned()
        .ok_or_else(|| ApiError::not_found(what, id))?;
    let mut next = current;
    let mut v = Validation::default();
    for (i, op) in operations.iter().enumerate() {
        let at = format!("[{i}]");
        let path = op["path"].as_str().unwrap_or_default();
        v.check(op["op"] == "replace", &format!("{at}.op"), || {
            "Only the 'replace' operation is supported.".into()
        });
        if !paths.contains(&path) {
            v.check(false, &format!("{at}.path"), || {
                format!(
                    "'{path}' cannot be patched; supported: {}",
                    paths.join(", ")
                )
            });
            continue;
        }
        if let Err(message) = apply(&mut next, path, &op["value"]) {
            v.check(false, &format!("{at}.value"), || message);
        }
    }
    for n in &next.negotiator_ids {
        v.check(data.has_negotiator(*n), "negotiatorIds", || {
            format!("Negotiator {n} does not exist.")
        });
    }
    v.check(next.end > next.start, "endDate", || {
        "The appointment must end after it starts.".into()
    });
    v.finish()?;
    next.modified = Utc::now();
    data.appointments.insert(id, next);
    Ok(StatusCode::OK)
}

/// Applies one `replace` to the record, or says why the value does not fit.
fn apply(a: &mut AppointmentRec, path: &str, value: &Value) -> Result<(), String> {
    let text = || match value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        other => Err(format!("expected a string, got {other}")),
    };
    let ids = || -> Result<Vec<i64>, String> {
        let items: Vec<String> = match value {
            Value::Array(items) => items
                .iter()
                .map(|i| i.to_string().trim_matches('"').to_string())
                .collect(),
            _ => text()?.split(',').map(|s| s.trim().to_string()).collect(),
        };
        items
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().map_err(|_| format!("'{s}' is not an id")))
            .collect()
    };
    match path {
        "/startDate" | "/endDate" => {
            let t = crate::appointments::diary_local(&path[1..], &text()?).map_err(|e| e.detail)?;
            if path == "/startDate" {
                a.start = t;
            } else {
                a.end = t;
            }
        }
        "/negotiatorId" | "/negotiatorIds" => {
            let ids = ids()?;
            if ids.is_empty() || (path == "/negotiatorId" && ids.len() != 1) {
                return Err("expected one negotiator id per negotiator".into());
            }
            a.negotiator_ids = ids;
        }
        "/status" => {
            a.status = serde_json::from_value(Value::String(text()?))
                .map_err(|_| format!("{value} is not an appointment status"))?;
        }
        "/notes" => a.notes = Some(text()?),
        "/internalNotes" => a.internal_notes = Some(text()?),
        "/applicantFeedback" => a.applicant_feedback = Some(text()?),
        _ => return Err(format!("'{path}' is not supported")),
    }
    Ok(())
}
