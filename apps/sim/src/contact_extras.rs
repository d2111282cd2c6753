//! `GET /contacts/{contactId}/bank-accounts` and `POST /contacts/{contactId}/forwarding-address`.
//!
//! A forwarding address is a contact of its own (the same people, the new address) related
//! to the first by a `ForwardingAddress` relationship, so it shows in
//! `GET /contacts/{contactId}/relationship`; the answer is the new contact's id.

use alto::raw::types;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use bytes::Bytes;
use chrono::Utc;

use crate::problem::{json_body, recast, ApiError, Validation};
use crate::state::{AgencyKey, AppState};
use crate::store::{ContactRec, PersonRec, RelationshipRec};

/// `GET /contacts/{contactId}/bank-accounts`: 200 with the accounts, 204 when the contact has
/// none.
pub(crate) async fn bank_accounts(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let contact: i64 = id
        .trim()
        .parse()
        .map_err(|_| ApiError::field("contactId", format!("'{id}' is not a contact id.")))?;
    let data = state.data(&agency);
    if !data.contacts.contains_key(&contact) {
        return Err(ApiError::not_found("Contact", contact));
    }
    match data.contact_family.bank_accounts.get(&contact) {
        Some(accounts) if !accounts.is_empty() => Ok(Json(accounts.clone()).into_response()),
        _ => Ok(StatusCode::NO_CONTENT.into_response()),
    }
}

/// `POST /contacts/{contactId}/forwarding-address`: 201 with the forwarding contact's id. The
/// operation declares no 404, so a contact the agency does not have answers 400.
pub(crate) async fn forwarding_address(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let request: types::PostForwardingAddressRequest = json_body(&body)?;
    let address: types::SdkAddress = recast(&request.address).unwrap_or_default();
    let branch = request.branch_id.to_string();
    let mut data = state.data(&agency);
    let mut v = Validation::default();
    let contact = id
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|c| data.contacts.contains_key(c));
    v.check(contact.is_some(), "contactId", || {
        format!("Contact '{id}' does not exist for this agency.")
    });
    v.check(
        branch.trim().parse().is_ok_and(|b| data.has_branch(b)),
        "branchId",
        || format!("Branch '{branch}' does not exist."),
    );
    if let Some(n) = request.negotiator_id.as_deref() {
        v.check(
            n.trim().parse().is_ok_and(|n| data.has_negotiator(n)),
            "negotiatorId",
            || format!("Negotiator '{n}' does not exist."),
        );
    }
    let blank = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
    v.check(!blank(&address.postcode), "address.postcode", || {
        "The postcode is required.".into()
    });
    v.check(
        !(blank(&address.name_number) && blank(&address.street)),
        "address.nameNumber",
        || "A house name/number or street is required.".into(),
    );
    v.finish()?;
    let original = data.contacts[&contact.expect("checked")].clone();
    let now = Utc::now();
    let forwarding_id = data.next_id();
    let people = original
        .people
        .iter()
        .map(|p| PersonRec {
            id: data.next_id(),
            emails: Vec::new(),
            phones: Vec::new(),
            ..p.clone()
        })
        .collect();
    data.contacts.insert(
        forwarding_id,
        ContactRec {
            id: forwarding_id,
            branch_id: branch.trim().to_string(),
            people,
            address: Some(address),
            notes: Some(format!("Forwarding address of contact {}", original.id)),
            potential_landlord: None,
            potential_vendor: None,
            created: now,
            modified: now,
        },
    );
    let relationship = data.next_id();
    data.relationships.insert(
        relationship,
        RelationshipRec {
            id: relationship,
            contact_id: original.id,
            related_contact_id: forwarding_id,
            kind: types::ContactRelationshipRelationshipType::ForwardingAddress,
        },
    );
    let body = i32::try_from(forwarding_id).unwrap_or_default();
    Ok((StatusCode::CREATED, Json(body)).into_response())
}
