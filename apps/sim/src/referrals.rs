//! Referrals: `GET /referrals/{referralId}`, `PATCH /referrals/{referralId}` (JSON Patch
//! `replace` of `/status` with a string or `/fees` with a number) and
//! `PATCH /voidswitching/referrals/{referralId}` (the void-switching partner's update of status
//! and fees, a plain JSON object).

use alto::raw::types;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, patch};
use axum::{Extension, Json, Router};
use bytes::Bytes;

use crate::problem::{json_body, ApiError, Validation};
use crate::sales_store::ReferralRec;
use crate::simulator::RunningSimulator;
use crate::state::{AgencyKey, AppState};

/// The routes of referrals.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/referrals/{referralId}", get(get_one).patch(patch_one))
        .route(
            "/voidswitching/referrals/{referralId}",
            patch(void_switching),
        )
}

fn to_response(r: &ReferralRec) -> types::GetReferralResponse {
    let int = |id: Option<i64>| id.and_then(|i| i32::try_from(i).ok());
    types::GetReferralResponse {
        agent_email: Some(r.agent_email.clone()),
        offer_id: int(r.offer_id),
        property_id: int(r.property_id),
        referee_id: int(Some(r.referee_id)),
        status: Some(r.status.clone()),
        tenancy_id: int(r.tenancy_id),
    }
}

fn referral_id(raw: &str) -> Result<uuid::Uuid, ApiError> {
    raw.trim().parse().map_err(|_| {
        ApiError::field(
            "referralId",
            format!("The value '{raw}' is not a valid GUID."),
        )
    })
}

/// `GET /referrals/{referralId}`.
pub(crate) async fn get_one(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
) -> Result<Json<types::GetReferralResponse>, ApiError> {
    let id = referral_id(&id)?;
    let data = state.data(&agency);
    data.sales
        .referrals
        .get(&id)
        .map(|r| Json(to_response(r)))
        .ok_or_else(|| ApiError::not_found("Referral", id))
}

/// One change of a referral.
enum Change {
    Status(String),
    Fees(f64),
}

/// Reads the `replace` operations of a referral patch: `/status` takes a non-empty string,
/// `/fees` a number not below zero (paths case-insensitive, as ASP.NET reads them).
fn changes(body: &Bytes) -> Result<Vec<Change>, ApiError> {
    let ops: Vec<serde_json::Value> = json_body(body)?;
    let mut v = Validation::default();
    v.check(!ops.is_empty(), "$", || {
        "At least one operation is required.".into()
    });
    let mut out = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        let field = format!("[{i}]");
        let kind = op.get("op").and_then(|o| o.as_str()).unwrap_or_default();
        v.check(
            kind.eq_ignore_ascii_case("replace"),
            &format!("{field}.op"),
            || format!("'{kind}' is not supported; only 'replace' is."),
        );
        let path = op.get("path").and_then(|p| p.as_str()).unwrap_or_default();
        let value = op.get("value");
        match path.to_ascii_lowercase().as_str() {
            "/status" => match value.and_then(|s| s.as_str()).map(str::trim) {
                Some(s) if !s.is_empty() => out.push(Change::Status(s.to_string())),
                _ => v.check(false, &format!("{field}.value"), || {
                    "/status takes a non-empty string.".into()
                }),
            },
            "/fees" => match value.and_then(serde_json::Value::as_f64) {
                Some(f) if f >= 0.0 => out.push(Change::Fees(f)),
                _ => v.check(false, &format!("{field}.value"), || {
                    "/fees takes a number not below zero.".into()
                }),
            },
            _ => v.check(false, &format!("{field}.path"), || {
                format!("'{path}' is not one of /status, /fees.")
            }),
        }
    }
    v.finish()?;
    Ok(out)
}

/// `PATCH /referrals/{referralId}`: 204; the status shows in `GET /referrals/{referralId}`.
pub(crate) async fn patch_one(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let id = referral_id(&id)?;
    let changes = changes(&body)?;
    let mut data = state.data(&agency);
    let referral = data
        .sales
        .referrals
        .get_mut(&id)
        .ok_or_else(|| ApiError::not_found("Referral", id))?;
    for change in changes {
        match change {
            Change::Status(s) => referral.status = s,
            Change::Fees(f) => referral.fees = Some(f),
        }
    }
    Ok(StatusCode::NO_CONTENT)
}

/// `PATCH /voidswitching/referrals/{referralId}`: sets the status and fees given (an absent or
/// empty field is left as it was); the status shows in `GET /referrals/{referralId}`.
///
/// The operation declares only 200, with no error answer at all, so the simulator answers 200
/// whatever it is sent: an id that names no referral of the agency (or is not a GUID), or a body
/// that is not a `PatchReferralRequest`, changes nothing and still answers 200. A client learns
/// whether a change took by reading the referral back.
pub(crate) async fn void_switching(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
    body: Bytes,
) -> StatusCode {
    let Ok(id) = referral_id(&id) else {
        return StatusCode::OK;
    };
    let Ok(request) = serde_json::from_slice::<types::PatchReferralRequest>(&body) else {
        return StatusCode::OK;
    };
    let mut data = state.data(&agency);
    if let Some(referral) = data.sales.referrals.get_mut(&id) {
        if let Some(status) = request
            .status
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
        {
            referral.status = status;
        }
        if let Some(fees) = request.fees.filter(|f| *f >= 0.0) {
            referral.fees = Some(fees);
        }
    }
    StatusCode::OK
}

/// What tests can look at.
impl RunningSimulator {
    /// The agency's referrals: id, what `GET /referrals/{referralId}` answers, and the fees
    /// (which only the patches set and no read returns).
    ///
    /// # Panics
    /// If the agency is not one of this simulator's.
    pub fn referrals(
        &self,
        agency: Option<&str>,
    ) -> Vec<(uuid::Uuid, types::GetReferralResponse, Option<f64>)> {
        self.with(agency, |d| {
            d.sales
                .referrals
                .values()
                .map(|r| (r.id, to_response(r), r.fees))
                .collect()
        })
    }
}
