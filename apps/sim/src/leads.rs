//! Leads (enquiries): `GET`/`POST /leads`, `GET`/`PATCH /leads/{leadId}`.
//!
//! - A posted lead is an `Api` lead, `Unprocessed`, enquired now unless `enquiryDate` says when.
//! - 422: the lead names a branch or an enquired property the agency does not have.
//! - 409 (with the existing lead's `Location`): a lead with the same `sourceIdentifier` exists,
//!   or the same enquirer email enquired about the same properties (or about none) within
//!   [`DUPLICATE_WINDOW_HOURS`] hours of an existing lead: how a retried delivery looks.
//! - `PATCH` (a JSON Patch of `/contactId` and `/leadStatus`) links the lead to a contact that
//!   must exist, and the contact then names the lead.

use alto::raw::types;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use serde_json::json;

use crate::contact_records::LeadRec;
use crate::paging::{id_key, PageRequest};
use crate::params::Params;
use crate::problem::{json_body, recast, ApiError, Validation};
use crate::state::{AgencyKey, AppState};
use crate::store::AgencyData;
use crate::wire_patch;

/// Two leads from one email about the same properties this close together are one enquiry.
pub(crate) const DUPLICATE_WINDOW_HOURS: i64 = 24;
/// The largest page `GET /leads` serves (`max-results` has `maximum: 250`).
const MAX_LEADS_PAGE: i64 = 250;

fn link(href: String) -> Option<Vec<types::Link>> {
    Some(vec![types::Link {
        href: Some(href),
        rel: Some("self".into()),
    }])
}

fn location(id: i64) -> String {
    format!("/leads/{id}")
}

/// A stored lead as Alto answers it.
fn to_lead(l: &LeadRec) -> types::Lead {
    types::Lead {
        id: Some(l.id.to_string()),
        branch_id: Some(l.branch_id.to_string()),
        comment: l.comment.clone(),
        contact: l.contact_id.map(|c| types::Contact {
            id: Some(c.to_string()),
            links: link(format!("/contacts/{c}")),
        }),
        enquirer_details: Some(l.enquirer.clone()),
        enquiry_date: Some(l.enquiry_date),
        enquiry_type: Some(l.enquiry_type),
        lead_source: Some(l.source),
        lead_status: Some(l.status),
        created_date: Some(l.created),
        modified_date: Some(l.modified),
        properties: Some(
            l.property_ids
                .iter()
                .map(|p| types::Property {
                    id: Some(p.to_string()),
                    links: link(format!("/inventory/{p}")),
                })
                .collect(),
        ),
    }
}

/// The lead-source code (`GET /parameters/lead-sources`) a contact made from this lead shows.
fn source_code(source: types::LeadSource) -> &'static str {
    match source {
        types::LeadSource::Zoopla
        | types::LeadSource::ZooplaAdReachExpress
        | types::LeadSource::ZooplaAudienceConnect => "ZOOPLA",
        types::LeadSource::RightMove => "RIGHTMOVE",
        _ => "WEBSITE",
    }
}

fn same_email(a: &types::EnquirerDetails, b: &types::EnquirerDetails) -> bool {
    match (&a.email, &b.email) {
        (Some(x), Some(y)) => x.trim().eq_ignore_ascii_case(y.trim()),
        _ => false,
    }
}

/// The existing lead a new one repeats (see the module documentation).
fn duplicate_of(data: &AgencyData, new: &LeadRec) -> Option<i64> {
    let mut properties = new.property_ids.clone();
    properties.sort_unstable();
    data.contact_family.leads.values().find_map(|old| {
        let mut old_properties = old.property_ids.clone();
        old_properties.sort_unstable();
        let close =
            (old.enquiry_date - new.enquiry_date).num_hours().abs() < DUPLICATE_WINDOW_HOURS;
        let same_source = old.source_identifier.trim() == new.source_identifier.trim();
        let same_enquiry =
            same_email(&old.enquirer, &new.enquirer) && old_properties == properties && close;
        (same_source || same_enquiry).then_some(old.id)
    })
}

fn text<T: std::ops::Deref<Target = String>>(value: &Option<T>) -> Option<String> {
    value
        .as_ref()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// `POST /leads`: 201 with the lead and its `Location`.
pub(crate) async fn create(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let request: types::PostLeadRequest = json_body(&body)?;
    let enquirer = &request.enquirer_details;
    let mut v = Validation::default();
    v.check(
        !enquirer.forename.as_str().trim().is_empty(),
        "enquirerDetails.forename",
        || "The enquirer's forename is required.".into(),
    );
    v.check(
        !request.source_identifier.as_str().trim().is_empty(),
        "sourceIdentifier",
        || "The source identifier is required.".into(),
    );
    v.finish()?;
    let enquiries = request.property_enquiries.clone().unwrap_or_default();
    let mut data = state.data(&agency);
    let branch = i64::from(request.branch_id.get());
    let mut unknown = Vec::new();
    if !data.has_branch(branch) {
        unknown.push(format!("branch {branch}"));
    }
    let mut property_ids = Vec::new();
    for e in &enquiries {
        if let Some(raw) = e.property_id.as_deref() {
            match raw
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|p| data.properties.contains_key(p))
            {
                Some(p) => property_ids.push(p),
                None => unknown.push(format!("property {raw}")),
            }
        }
    }
    if !unknown.is_empty() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Unprocessable Entity",
            format!(
                "The lead names records the agency does not have: {}.",
                unknown.join(", ")
            ),
        ));
    }
    let now = Utc::now();
    let mut lead = LeadRec {
        id: 0,
        branch_id: branch,
        comment: text(&request.comment),
        enquirer: types::EnquirerDetails {
            title: text(&enquirer.title),
            forename: Some(enquirer.forename.to_string()),
            surname: text(&enquirer.surname),
            email: text(&enquirer.email),
            phone_number_day: text(&enquirer.phone_number_day),
            phone_number_eve: text(&enquirer.phone_number_eve),
            address: enquirer.address.as_ref().and_then(recast),
        },
        enquiry_date: request.enquiry_date.unwrap_or(now),
        enquiry_type: request
            .enquiry_type
            .unwrap_or(types::EnquiryType::Unspecified),
        source: types::LeadSource::Api,
        source_identifier: request.source_identifier.to_string(),
        status: types::LeadStatus::Unprocessed,
        contact_id: None,
        property_ids,
        created: now,
        modified: now,
    };
    if let Some(existing) = duplicate_of(&data, &lead) {
        return Err(ApiError::conflict(
            format!(
                "Lead {existing} is the same enquiry (same email and properties within {DUPLICATE_WINDOW_HOURS} hours)."
            ),
            location(existing),
        ));
    }
    lead.id = data.next_id();
    data.contact_family.leads.insert(lead.id, lead.clone());
    let mut r = (StatusCode::CREATED, Json(to_lead(&lead))).into_response();
    if let Ok(v) = location(lead.id).parse() {
        r.headers_mut().insert(header::LOCATION, v);
    }
    Ok(r)
}

fn within(at: DateTime<Utc>, from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>) -> bool {
    from.is_none_or(|f| at >= f) && to.is_none_or(|t| at <= t)
}

/// `GET /leads`, paged with `next-token`/`max-results` (1 to 250), oldest first; filtered by
/// `lead-status` and the `modified-`/`enquiry-` ranges (inclusive).
pub(crate) async fn list(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    query: RawQuery,
) -> Result<Json<types::LeadPagedResponse>, ApiError> {
    let params = Params::parse(&query)?;
    if params
        .int("max-results")?
        .is_some_and(|n| n > MAX_LEADS_PAGE)
    {
        return Err(ApiError::field(
            "max-results",
            format!("max-results is at most {MAX_LEADS_PAGE}."),
        ));
    }
    let page = PageRequest::from_params(&params, "/leads", "next-token", "max-results")?;
    let status = params
        .get("lead-status")
        .map(|s| {
            s.parse::<types::LeadStatus>()
                .map_err(|_| ApiError::field("lead-status", format!("'{s}' is not a lead status.")))
        })
        .transpose()?;
    let (modified_from, modified_to) = (
        params.date_time("modified-from")?,
        params.date_time("modified-to")?,
    );
    let (enquiry_from, enquiry_to) = (
        params.date_time("enquiry-from")?,
        params.date_time("enquiry-to")?,
    );
    let data = state.data(&agency);
    let items = data
        .contact_family
        .leads
        .values()
        .filter(|l| status.is_none_or(|s| s == l.status))
        .filter(|l| within(l.modified, modified_from, modified_to))
        .filter(|l| within(l.enquiry_date, enquiry_from, enquiry_to))
        .map(|l| (id_key(l.id), to_lead(l)))
        .collect();
    let (items, next) = page.page(items);
    Ok(Json(types::LeadPagedResponse {
        items: Some(items),
        meta: Some(types::Meta {
            next_token: next,
            previous_token: None,
        }),
    }))
}

fn lead_id(raw: &str) -> Result<i64, ApiError> {
    raw.trim()
        .parse()
        .map_err(|_| ApiError::field("leadId", format!("'{raw}' is not a lead id.")))
}

/// `GET /leads/{leadId}`.
pub(crate) async fn get(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
) -> Result<Json<types::Lead>, ApiError> {
    let id = lead_id(&id)?;
    let data = state.data(&agency);
    data.contact_family
        .leads
        .get(&id)
        .map(|l| Json(to_lead(l)))
        .ok_or_else(|| ApiError::not_found("Lead", id))
}

/// `PATCH /leads/{leadId}`: 200 with the lead.
pub(crate) async fn patch(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<types::Lead>, ApiError> {
    let id = lead_id(&id)?;
    let mut data = state.data(&agency);
    let current = data
        .contact_family
        .leads
        .get(&id)
        .cloned()
        .ok_or_else(|| ApiError::not_found("Lead", id))?;
    let mut wire = wire_patch::object([
        (
            "contactId",
            json!(current.contact_id.map(|c| c.to_string())),
        ),
        ("leadStatus", json!(current.status)),
    ]);
    wire_patch::apply(&mut wire, &body, &["replace"])?;
    let contact = match wire_patch::optional_text(&wire, "contactId")? {
        None => None,
        Some(raw) => Some(
            raw.trim()
                .parse::<i64>()
                .ok()
                .filter(|c| data.contacts.contains_key(c))
                .ok_or_else(|| {
                    ApiError::field("contactId", format!("Contact '{raw}' does not exist."))
                })?,
        ),
    };
    let status_text = wire_patch::optional_text(&wire, "leadStatus")?.unwrap_or_default();
    let status = status_text.parse::<types::LeadStatus>().map_err(|_| {
        ApiError::field(
            "leadStatus",
            format!("'{status_text}' is not a lead status."),
        )
    })?;
    let updated = LeadRec {
        contact_id: contact,
        status,
        modified: Utc::now(),
        ..current
    };
    if let Some(c) = contact {
        data.contact_family.profiles.entry(c).or_default().lead =
            Some((id, source_code(updated.source).into()));
    }
    data.contact_family.leads.insert(id, updated.clone());
    Ok(Json(to_lead(&updated)))
}
