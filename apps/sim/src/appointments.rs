//! Appointments: `POST /appointments/viewings`, `POST /appointments/general`,
//! `POST /appraisals`, `GET /appointments/{appointmentId}/{instanceId}`,
//! `GET /appointments/valuations`, `GET /appointments/negotiators`,
//! `PATCH /appointments/viewings/{appointmentId}`, `PATCH /appointments/general/{appointmentId}`,
//! `GET /parameters/appointment-subtypes`. Every referenced property, contact and negotiator
//! must exist.
//!
//! Like Alto's diary, start and end are kept as UK local wall-clock times: a value sent with `Z`
//! or an offset is converted to UK local time, a plain value is taken as it is, and answers carry
//! the local digits (marked `Z`, as Zoopla's examples mark them `+00:00`).

use alto::appointments::diary_time;
use alto::raw::types;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use bytes::Bytes;
use chrono::{DateTime, NaiveDateTime, Utc};

use crate::paging::{id_key, PageRequest};
use crate::params::{parse_date_time, Params};
use crate::problem::{json_body, ApiError, Validation};
use crate::properties::display_address;
use crate::state::{AgencyKey, AppState};
use crate::store::{AgencyData, AppointmentRec};

type Kind = types::ExternalPartnerAppointmentType;
type Status = types::ExternalPartnerAppointmentStatus;

/// A date-time sent to the diary as UK local time: converted when it has `Z` or an offset,
/// taken as it is when plain.
pub(crate) fn diary_local(field: &str, v: &str) -> Result<NaiveDateTime, ApiError> {
    if let Ok(t) = DateTime::parse_from_rfc3339(v) {
        return Ok(diary_time::to_local(t.with_timezone(&Utc)));
    }
    parse_date_time(field, v).map(|t| t.naive_utc())
}

struct Draft {
    kind: Kind,
    start: NaiveDateTime,
    end: NaiveDateTime,
    property_ids: Vec<i64>,
    contact_ids: Vec<i64>,
    negotiator_ids: Vec<i64>,
    branch_id: Option<i64>,
    notes: Option<String>,
}

fn check_refs(v: &mut Validation, data: &AgencyData, d: &Draft, fields: [&str; 3]) {
    let [p_field, c_field, n_field] = fields;
    for p in &d.property_ids {
        v.check(data.properties.contains_key(p), p_field, || {
            format!("Property {p} does not exist.")
        });
    }
    for c in &d.contact_ids {
        v.check(data.contacts.contains_key(c), c_field, || {
            format!("Contact {c} does not exist.")
        });
    }
    for n in &d.negotiator_ids {
        v.check(data.has_negotiator(*n), n_field, || {
            format!("Negotiator {n} does not exist.")
        });
    }
    if let Some(b) = d.branch_id {
        v.check(data.has_branch(b), "branchId", || {
            format!("Branch {b} does not exist.")
        });
    }
    v.check(d.end > d.start, "endDate", || {
        "The appointment must end after it starts.".into()
    });
}

fn store(data: &mut AgencyData, d: Draft) -> i64 {
    let id = data.next_id();
    let now = Utc::now();
    let what = match d.kind {
        Kind::Viewing => "Viewing",
        Kind::Valuation => "Market appraisal",
        _ => "Appointment",
    };
    let title = match d.property_ids.first().and_then(|p| data.properties.get(p)) {
        Some(p) => format!("{what}: {}", display_address(&p.address)),
        None => what.to_string(),
    };
    data.appointments.insert(
        id,
        AppointmentRec {
            id,
            kind: d.kind,
            title,
            start: d.start,
            end: d.end,
            property_ids: d.property_ids,
            contact_ids: d.contact_ids,
            negotiator_ids: d.negotiator_ids,
            branch_id: d.branch_id,
            notes: d.notes,
            created: now,
            status: types::ExternalPartnerAppointmentStatus::Active,
            internal_notes: None,
            applicant_feedback: None,
            modified: now,
        },
    );
    id
}

/// `POST /appointments/viewings`: 200 with `CreateAppointmentData`.
pub(crate) async fn create_viewing(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    body: Bytes,
) -> Result<Json<types::CreateAppointmentData>, ApiError> {
    let r: types::ViewingRequest = json_body(&body)?;
    let draft = Draft {
        kind: Kind::Viewing,
        start: diary_time::to_local(r.start_date),
        end: diary_time::to_local(r.end_date),
        property_ids: vec![r.property_id.into()],
        contact_ids: r.applicant_ids.iter().map(|&c| c.into()).collect(),
        negotiator_ids: vec![r.negotiator_id.into()],
        branch_id: r.branch_id.map(i64::from),
        notes: r.notes.clone(),
    };
    let mut data = state.data(&agency);
    let mut v = Validation::default();
    v.check(!draft.contact_ids.is_empty(), "applicantIds", || {
        "At least one applicant is required.".into()
    });
    check_refs(
        &mut v,
        &data,
        &draft,
        ["propertyId", "applicantIds", "negotiatorId"],
    );
    v.finish()?;
    let id = store(&mut data, draft);
    Ok(Json(types::CreateAppointmentData {
        appointment_id: Some(id),
    }))
}

/// `POST /appointments/general`: 200 with `CreateAppointmentData`.
pub(crate) async fn create_general(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    body: Bytes,
) -> Result<Json<types::CreateAppointmentData>, ApiError> {
    let r: types::GeneralAppointmentRequest = json_body(&body)?;
    let draft = Draft {
        kind: Kind::General,
        start: diary_time::to_local(r.start_date),
        end: diary_time::to_local(r.end_date),
        property_ids: r.property_ids.iter().flatten().map(|&p| p.into()).collect(),
        contact_ids: r.contact_ids.iter().flatten().map(|&c| c.into()).collect(),
        negotiator_ids: r.negotiator_ids.iter().map(|&n| n.into()).collect(),
        branch_id: r.branch_id.map(i64::from),
        notes: r.notes.clone(),
    };
    let mut data = state.data(&agency);
    let mut v = Validation::default();
    v.check(!draft.negotiator_ids.is_empty(), "negotiatorIds", || {
        "At least one negotiator is required.".into()
    });
    v.check(
        data.appointment_sub_types
            .iter()
            .any(|(id, _)| *id == r.sub_type_id),
        "subTypeId",
        || {
            format!(
                "Sub-type {} does not exist (see GET /parameters/appointment-subtypes).",
                r.sub_type_id
            )
        },
    );
    check_refs(
        &mut v,
        &data,
        &draft,
        ["propertyIds", "contactIds", "negotiatorIds"],
    );
    v.finish()?;
    let id = store(&mut data, draft);
    Ok(Json(types::CreateAppointmentData {
        appointment_id: Some(id),
    }))
}

/// `POST /appraisals`: 201 with the new appointment id as a bare JSON number.
pub(crate) async fn create_appraisal(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let r: types::CreateAppraisalRequest = json_body(&body)?;
    let mut v = Validation::default();
    let property = r
        .property_id
        .as_deref()
        .and_then(|p| p.trim().parse::<i64>().ok());
    v.check(property.is_some(), "propertyId", || {
        "propertyId is required and must be a number.".into()
    });
    let appraisers: Vec<Option<i64>> = r
        .appraiser_ids
        .iter()
        .flatten()
        .map(|a| a.trim().parse().ok())
        .collect();
    v.check(
        !appraisers.is_empty() && appraisers.iter().all(Option::is_some),
        "appraiserIds",
        || "At least one appraiser id (a number) is required.".into(),
    );
    let start = r.start_date.as_deref().map(|s| diary_local("startDate", s));
    let end = r.end_date.as_deref().map(|s| diary_local("endDate", s));
    let (start, end) = match (start, end) {
        (Some(Ok(s)), Some(Ok(e))) => (s, e),
        _ => {
            v.check(false, "startDate", || {
                "startDate and endDate are required date-times.".into()
            });
            (NaiveDateTime::default(), NaiveDateTime::default())
        }
    };
    let draft = Draft {
        kind: Kind::Valuation,
        start,
        end,
        property_ids: property.into_iter().collect(),
        contact_ids: vec![],
        negotiator_ids: appraisers.into_iter().flatten().collect(),
        branch_id: None,
        notes: r.notes.clone(),
    };
    let mut data = state.data(&agency);
    let mut draft = draft;
    draft.branch_id = property
        .and_then(|p| data.properties.get(&p))
        .and_then(|p| p.branch_id);
    check_refs(
        &mut v,
        &data,
        &draft,
        ["propertyId", "contactIds", "appraiserIds"],
    );
    v.finish()?;
    let id = store(&mut data, draft);
    Ok((StatusCode::CREATED, Json(id)).into_response())
}

/// `GET /appointments/{appointmentId}/{instanceId}`; no appointment here recurs, so each has
/// only instance 0 (Alto's value for a single appointment).
pub(crate) async fn get(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path((id, instance)): Path<(String, String)>,
) -> Result<Json<types::ExternalPartnerAppointment>, ApiError> {
    let id: i64 = id
        .trim()
        .parse()
        .map_err(|_| ApiError::field("appointmentId", format!("The value '{id}' is not valid.")))?;
    let instance: i32 = instance.trim().parse().map_err(|_| {
        ApiError::field(
            "instanceId",
            format!("The value '{instance}' is not valid."),
        )
    })?;
    let data = state.data(&agency);
    data.appointments
        .get(&id)
        .filter(|_| instance == 0)
        .map(|a| Json(to_appointment(a)))
        .ok_or_else(|| ApiError::not_found("Appointment", format!("{id}/{instance}")))
}

/// `GET /appointments/valuations`, paged with `next-token`/`max-results`.
pub(crate) async fn valuations(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    query: RawQuery,
) -> Result<Json<types::ExternalPartnerAppointmentPagedResponse>, ApiError> {
    let params = Params::parse(&query)?;
    let page = PageRequest::from_params(
        &params,
        "/appointments/valuations",
        "next-token",
        "max-results",
    )?;
    let from = params.date_time("created-from")?;
    let to = params.date_time("created-to")?;
    let negotiators = params.ints("negotiator-ids")?;
    let branches = params.ints("branch-ids")?;
    let data = state.data(&agency);
    let items = data
        .appointments
        .values()
        .filter(|a| a.kind == Kind::Valuation)
        .filter(|a| from.is_none_or(|f| a.created >= f) && to.is_none_or(|t| a.created <= t))
        .filter(|a| {
            negotiators.is_empty() || a.negotiator_ids.iter().any(|n| negotiators.contains(n))
        })
        .filter(|a| branches.is_empty() || a.branch_id.is_some_and(|b| branches.contains(&b)))
        .map(|a| (id_key(a.id), to_appointment(a)))
        .collect();
    let (items, next) = page.page(items);
    Ok(Json(types::ExternalPartnerAppointmentPagedResponse {
        items: Some(items),
        meta: Some(types::Meta {
            next_token: next,
            previous_token: None,
        }),
    }))
}

/// A stored appointment as Alto answers it.
pub(crate) fn to_appointment(a: &AppointmentRec) -> types::ExternalPartnerAppointment {
    let ids = |v: &[i64]| v.iter().map(|i| i.to_string()).collect::<Vec<_>>();
    types::ExternalPartnerAppointment {
        id: Some(a.id),
        instance_id: Some(0),
        type_: Some(a.kind),
        title: Some(a.title.clone()),
        start_date: Some(a.start.and_utc()),
        end_date: Some(a.end.and_utc()),
        created_date: Some(a.created),
        modified_date: Some(a.modified),
        is_cancelled: Some(!matches!(a.status, Status::Active | Status::NotYetBooked)),
        status: Some(a.status),
        contacts: Some(
            ids(&a.contact_ids)
                .into_iter()
                .map(|id| types::ExternalPartnerContact {
                    id: Some(id),
                    links: None,
                })
                .collect(),
        ),
        negotiators: Some(
            ids(&a.negotiator_ids)
                .into_iter()
                .map(|id| types::ExternalPartnerNegotiator {
                    id: Some(id),
                    links: None,
                })
                .collect(),
        ),
        properties: Some(
            ids(&a.property_ids)
                .into_iter()
                .map(|id| types::ExternalPartnerProperty {
                    id: Some(id),
                    links: None,
                })
                .collect(),
        ),
        viewing_details: (a.kind == Kind::Viewing).then(|| types::ExternalPartnerViewingDetails {
            internal_notes: a.internal_notes.clone(),
            applicant_feedback: a.applicant_feedback.clone(),
        }),
    }
}

/// `GET /appointments/negotiators`: each negotiator's appointments overlapping
/// `start-date`..`end-date` (both required), optionally of one `type-id`; paged with
/// `next-token`/`max-results`, one item per negotiator.
pub(crate) async fn by_negotiator(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    query: RawQuery,
) -> Result<Json<types::ExternalPartnerUserAppointmentsPagedResponse>, ApiError> {
    let params = Params::parse(&query)?;
    let page = PageRequest::from_params(
        &params,
        "/appointments/negotiators",
        "next-token",
        "max-results",
    )?;
    let mut v = Validation::default();
    let from = params
        .get("start-date")
        .map(|v| diary_local("start-date", v))
        .transpose()?;
    let to = params
        .get("end-date")
        .map(|v| diary_local("end-date", v))
        .transpose()?;
    let negotiators = params.ints("negotiator-id")?;
    v.check(from.is_some(), "start-date", || {
        "start-date is required.".into()
    });
    v.check(to.is_some(), "end-date", || "end-date is required.".into());
    v.check(!negotiators.is_empty(), "negotiator-id", || {
        "at least one negotiator-id is required.".into()
    });
    v.finish()?;
    let (from, to) = (from.expect("checked"), to.expect("checked"));
    let kind = match params.get("type-id") {
        Some(k) => Some(
            serde_json::from_value::<Kind>(serde_json::Value::String(k.to_string())).map_err(
                |_| ApiError::bad_request(format!("type-id {k:?} is not an appointment type")),
            )?,
        ),
        None => None,
    };
    let data = state.data(&agency);
    let items = negotiators
        .iter()
        .map(|n| {
            let appointments = data
                .appointments
                .values()
                .filter(|a| a.negotiator_ids.contains(n))
                .filter(|a| kind.is_none_or(|k| a.kind == k))
                .filter(|a| a.start < to && a.end > from)
                .map(to_appointment)
                .collect();
            let entry = types::ExternalPartnerUserAppointments {
                appointments: Some(appointments),
                negotiator_id: i32::try_from(*n).ok(),
            };
            (id_key(*n), entry)
        })
        .collect();
    let (items, next) = page.page(items);
    Ok(Json(types::ExternalPartnerUserAppointmentsPagedResponse {
        items: Some(items),
        meta: Some(types::Meta {
            next_token: next,
            previous_token: None,
        }),
    }))
}
