//! The contacts family's routes beyond the first ones in `router`: patching contacts and
//! their people, requirements, consent, bank accounts, forwarding addresses, search, client
//! data, client parameters, leads, opt-out status, the partner integration, and single
//! branches and negotiators.

use axum::routing::{get, patch, post};
use axum::Router;

use crate::state::AppState;
use crate::{
    applicant_requirements, branches, client_parameters, contact_consent, contact_extras,
    contact_people, contact_search, contacts, leads, partner_integration,
};

/// The routes, merged into the guarded API by `router`.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/contacts/search", get(contact_search::search))
        .route("/contacts/{contactId}", patch(contacts::patch))
        .route(
            "/contacts/{contactId}/applicant-requirements",
            post(applicant_requirements::create),
        )
        .route(
            "/contacts/{contactId}/applicant-requirements/{requirementId}",
            patch(applicant_requirements::patch),
        )
        .route(
            "/contacts/{contactId}/bank-accounts",
            get(contact_extras::bank_accounts),
        )
        .route(
            "/contacts/{contactId}/forwarding-address",
            post(contact_extras::forwarding_address),
        )
        .route(
            "/contacts/{contactId}/persons/{personId}",
            get(contact_people::get).patch(contact_people::patch),
        )
        .route(
            "/contacts/{contactId}/preferences",
            get(contact_consent::list).post(contact_consent::record),
        )
        .route("/clients", get(contact_search::clients))
        .route(
            "/parameters/client-disposal-statuses",
            get(client_parameters::disposal_statuses),
        )
        .route(
            "/parameters/client-intentions",
            get(client_parameters::intentions),
        )
        .route(
            "/parameters/client-positions",
            get(client_parameters::positions),
        )
        .route(
            "/parameters/lead-sources",
            get(client_parameters::lead_sources),
        )
        .route(
            "/parameters/property-types",
            get(client_parameters::property_types),
        )
        .route("/leads", get(leads::list).post(leads::create))
        .route("/leads/{leadId}", get(leads::get).patch(leads::patch))
        .route(
            "/opt-out-status/{linkedType}/{linkedId}",
            get(contact_consent::opt_out_status),
        )
        .route("/partners/integration", get(partner_integration::get))
        .route(
            "/partners/integration/status",
            post(partner_integration::set_status),
        )
        .route("/branches/{branchId}", get(branches::branch))
        .route("/negotiators/{negotiatorId}", get(branches::negotiator))
}
