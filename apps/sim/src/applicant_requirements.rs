//! An applicant's requirements: `POST /contacts/{contactId}/applicant-requirements` and
//! `PATCH /contacts/{contactId}/applicant-requirements/{requirementId}` (JSON Patch). They
//! show in the contact's `applicantRequirements`.
//!
//! Limits are the request schema's: at most 10 minimum bedrooms, prices not negative, and the
//! simulator also refuses a price range whose lower end is above its upper end.

use alto::raw::types;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use bytes::Bytes;
use serde_json::json;

use crate::contact_records::RequirementRec;
use crate::problem::{json_body, recast, ApiError, Validation};
use crate::state::{AgencyKey, AppState};
use crate::store::AgencyData;
use crate::wire_patch;

const MAX_BEDS: i32 = 10;
const INTENTIONS: &[&str] = &["Buy", "Rent"];
const PRICE_QUALIFIERS: &[&str] = &["Weekly", "Monthly"];
const FURNISHINGS: &[&str] = &["Furnished", "PartFurnished", "Unfurnished", "Unspecified"];
const TENURES: &[&str] = &["Freehold", "Leasehold", "Unspecified"];

/// A contact id from the path: 400 when it is not a number, 404 when the agency has no such
/// contact (both statuses the requirement operations declare).
fn contact_id(data: &AgencyData, raw: &str) -> Result<i64, ApiError> {
    let id: i64 = raw
        .trim()
        .parse()
        .map_err(|_| ApiError::field("contactId", format!("'{raw}' is not a contact id.")))?;
    if data.contacts.contains_key(&id) {
        Ok(id)
    } else {
        Err(ApiError::not_found("Contact", id))
    }
}

fn location(r: &RequirementRec) -> String {
    format!("/contacts/{}/applicant-requirements/{}", r.contact_id, r.id)
}

fn links(r: &RequirementRec) -> Option<Vec<types::HateoasLink>> {
    Some(vec![types::HateoasLink {
        href: Some(location(r)),
        rel: Some("self".into()),
    }])
}

fn rental_intention(r: &RequirementRec) -> Option<types::RentalIntention> {
    (r.intention == "Rent").then(|| types::RentalIntention {
        furnishing: r.rental_furnishing.as_ref().and_then(recast),
        price_qualifier: recast(&r.rental_price_qualifier.as_deref().unwrap_or("Monthly")),
    })
}

/// A requirement as the contact and `POST` answer it.
pub(crate) fn to_requirement(r: &RequirementRec) -> types::ApplicantRequirement {
    types::ApplicantRequirement {
        id: Some(r.id.to_string()),
        beds_min: r.beds_min,
        is_active_profile: Some(r.is_active_profile),
        is_new_build: r.is_new_build,
        notes: r.notes.clone(),
        price_from: r.price_from.map(f64::from),
        price_to: r.price_to.map(f64::from),
        profile_intention: Some(r.intention.clone()),
        rental_intention: rental_intention(r),
        tenure_type: r.tenure.as_ref().and_then(recast),
        links: links(r),
    }
}

fn to_patched(r: &RequirementRec) -> types::PatchApplicantRequirement {
    types::PatchApplicantRequirement {
        id: Some(r.id.to_string()),
        beds_min: r.beds_min,
        is_active_profile: Some(r.is_active_profile),
        is_new_build: r.is_new_build,
        notes: r.notes.clone(),
        price_from: r.price_from,
        price_to: r.price_to,
        profile_intention: recast(&r.intention),
        rental_intention: rental_intention(r),
        tenure_type: r.tenure.as_ref().and_then(recast),
        links: links(r),
    }
}

fn check(r: &RequirementRec) -> Result<(), ApiError> {
    let mut v = Validation::default();
    v.check(
        INTENTIONS.contains(&r.intention.as_str()),
        "profileIntention",
        || format!("'{}' is not Buy or Rent.", r.intention),
    );
    v.check(
        r.beds_min.is_none_or(|b| (0..=MAX_BEDS).contains(&b)),
        "bedsMin",
        || format!("bedsMin must be between 0 and {MAX_BEDS}."),
    );
    for (field, price) in [("priceFrom", r.price_from), ("priceTo", r.price_to)] {
        v.check(price.is_none_or(|p| p >= 0), field, || {
            "A price cannot be negative.".into()
        });
    }
    v.check(
        !matches!((r.price_from, r.price_to), (Some(f), Some(t)) if f > t),
        "priceFrom",
        || "priceFrom cannot be above priceTo.".into(),
    );
    for (field, value, allowed) in [
        (
            "rentalPriceQualifier",
            &r.rental_price_qualifier,
            PRICE_QUALIFIERS,
        ),
        ("rentalFurnishing", &r.rental_furnishing, FURNISHINGS),
        ("tenureType", &r.tenure, TENURES),
    ] {
        v.check(
            value.as_deref().is_none_or(|x| allowed.contains(&x)),
            field,
            || format!("must be one of {}.", allowed.join(", ")),
        );
    }
    v.finish()
}

fn wire_text<T: serde::Serialize>(value: &T) -> Option<String> {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
}

/// `POST /contacts/{contactId}/applicant-requirements`: 201 with the requirement.
pub(crate) async fn create(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let mut data = state.data(&agency);
    let contact = contact_id(&data, &id)?;
    let request: types::PostApplicantRequirementRequest = json_body(&body)?;
    let rec = RequirementRec {
        id: 0,
        contact_id: contact,
        intention: wire_text(&request.profile_intention).unwrap_or_default(),
        beds_min: request.beds_min,
        price_from: request.price_from,
        price_to: request.price_to,
        is_new_build: request.is_new_build,
        is_active_profile: request.is_active_profile.unwrap_or(true),
        notes: request.notes.clone(),
        rental_price_qualifier: request.rental_price_qualifier.as_ref().and_then(wire_text),
        rental_furnishing: request.rental_furnishing.as_ref().and_then(wire_text),
        tenure: request.tenure_type.as_ref().and_then(wire_text),
    };
    check(&rec)?;
    let rec = RequirementRec {
        id: data.next_id(),
        ..rec
    };
    data.contact_family.requirements.insert(rec.id, rec.clone());
    touch(&mut data, contact);
    let mut r = (StatusCode::CREATED, Json(to_requirement(&rec))).into_response();
    if let Ok(v) = location(&rec).parse() {
        r.headers_mut().insert(header::LOCATION, v);
    }
    Ok(r)
}

fn touch(data: &mut AgencyData, contact: i64) {
    if let Some(c) = data.contacts.get_mut(&contact) {
        c.modified = chrono::Utc::now();
    }
}

/// `PATCH /contacts/{contactId}/applicant-requirements/{requirementId}` (JSON Patch,
/// `replace` of `/ProfileIntention`, `/IsNewBuild`, `/IsActiveProfile`, `/PriceFrom`,
/// `/PriceTo`, `/BedsMin`, `/RentalPriceQualifier`, `/RentalFurnishing`, `/TenureType`,
/// `/Notes`): 200 with the requirement.
pub(crate) async fn patch(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path((id, requirement)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<types::PatchApplicantRequirement>, ApiError> {
    let mut data = state.data(&agency);
    let contact = contact_id(&data, &id)?;
    let rid: i64 = requirement.trim().parse().map_err(|_| {
        ApiError::field(
            "requirementId",
            format!("'{requirement}' is not a requirement id."),
        )
    })?;
    let current = data
        .contact_family
        .requirements
        .get(&rid)
        .filter(|r| r.contact_id == contact)
        .cloned()
        .ok_or_else(|| ApiError::not_found("Applicant requirement", rid))?;
    let mut wire = wire_patch::object([
        ("ProfileIntention", json!(current.intention)),
        ("IsNewBuild", json!(current.is_new_build)),
        ("IsActiveProfile", json!(current.is_active_profile)),
        ("PriceFrom", json!(current.price_from)),
        ("PriceTo", json!(current.price_to)),
        ("BedsMin", json!(current.beds_min)),
        (
            "RentalPriceQualifier",
            json!(current.rental_price_qualifier),
        ),
        ("RentalFurnishing", json!(current.rental_furnishing)),
        ("TenureType", json!(current.tenure)),
        ("Notes", json!(current.notes)),
    ]);
    wire_patch::apply(&mut wire, &body, &["replace"])?;
    let updated = RequirementRec {
        intention: wire_patch::optional_text(&wire, "ProfileIntention")?.unwrap_or_default(),
        is_new_build: wire_patch::optional_boolean(&wire, "IsNewBuild")?,
        is_active_profile: wire_patch::boolean(&wire, "IsActiveProfile")?,
        price_from: wire_patch::optional_int(&wire, "PriceFrom")?,
        price_to: wire_patch::optional_int(&wire, "PriceTo")?,
        beds_min: wire_patch::optional_int(&wire, "BedsMin")?,
        rental_price_qualifier: wire_patch::optional_text(&wire, "RentalPriceQualifier")?,
        rental_furnishing: wire_patch::optional_text(&wire, "RentalFurnishing")?,
        tenure: wire_patch::optional_text(&wire, "TenureType")?,
        notes: wire_patch::optional_text(&wire, "Notes")?,
        ..current
    };
    check(&updated)?;
    data.contact_family
        .requirements
        .insert(rid, updated.clone());
    touch(&mut data, contact);
    Ok(Json(to_patched(&updated)))
}
