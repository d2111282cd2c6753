//! The route table: method and path exactly as in Alto's spec, each to its family's handler.

use axum::extract::DefaultBodyLimit;
use axum::http::{Method, StatusCode, Uri};
use axum::middleware::from_fn_with_state;
use axum::routing::{delete, get, patch, post};
use axum::Router;

use crate::problem::ApiError;
use crate::state::AppState;
use crate::{
    appointment_changes, appointments, auth, branches, contacts, contract, documents, properties,
    property_management,
};
// Listings, relationships, file notes, record documents
use crate::{file_notes, listings, record_documents, relationships};

/// The whole API: `/token` open, everything else behind the token and `AgencyRef` guard.
pub(crate) fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/contacts", post(contacts::create).get(contacts::by_query))
        .route("/contacts/all", get(contacts::list))
        .route("/contacts/{contactId}", get(contacts::get))
        .route("/contacts/{contactId}/persons", get(contacts::persons))
        .route("/owners", get(properties::owners))
        .route("/documents/post", post(documents::upload))
        .route("/documents", get(documents::list))
        .route("/documents/{documentId}/content", get(documents::content))
        .route("/appointments/viewings", post(appointments::create_viewing))
        .route("/appointments/general", post(appointments::create_general))
        .route("/appointments/valuations", get(appointments::valuations))
        .route(
            "/appointments/negotiators",
            get(appointments::by_negotiator),
        )
        .route(
            "/appointments/{appointmentId}/{instanceId}",
            get(appointments::get),
        )
        // Appointments and calendar
        .route(
            "/appointments/viewings/{appointmentId}",
            patch(appointment_changes::patch_viewing),
        )
        .route(
            "/appointments/general/{appointmentId}",
            patch(appointment_changes::patch_general),
        )
        .route(
            "/parameters/appointment-subtypes",
            get(appointment_changes::sub_types),
        )
        .route("/negotiators", get(branches::negotiators))
        .route("/branches", get(branches::branches))
        // Listings, relationships, file notes, record documents
        .route("/listing/filter", get(listings::filter))
        .route("/listing/property/items", get(listings::items))
        .route("/listing/property/{propertyId}", get(listings::get))
        .route(
            "/listing/property/{propertyId}/images",
            get(listings::images),
        )
        .route(
            "/listing/property/{propertyId}/images/{imageId}",
            get(listings::image),
        )
        .route(
            "/inventory/{inventoryId}/media-link",
            post(listings::add_media_link),
        )
        .route(
            "/contacts/{contactId}/relationship",
            get(relationships::list).post(relationships::create),
        )
        .route(
            "/contacts/{contactId}/relationship/{contactRelationshipId}",
            delete(relationships::delete),
        )
        .route("/file-notes", post(file_notes::create))
        .route("/file-notes/search", get(file_notes::search))
        .route(
            "/file-notes/{fileNoteId}",
            get(file_notes::get).patch(file_notes::patch),
        )
        // The spec's `{propertyId}`; the router needs one name per path segment.
        .route(
            "/inventory/{inventoryId}/file-notes",
            get(file_notes::by_property),
        )
        .route(
            "/inventory/{inventoryId}/documents",
            get(record_documents::of_property),
        )
        .route(
            "/work-orders/{workOrderId}/documents",
            get(record_documents::of_work_order),
        )
        .merge(crate::contact_routes::routes())
        .merge(property_management::routes())
        .merge(crate::sales::routes())
        .merge(crate::referrals::routes())
        .merge(crate::media_items::routes())
        .merge(crate::listing_edits::routes())
        // After every route (a route layer covers the routes added before it), inside the
        // guard: the guard's answers are the gateway's.
        .route_layer(from_fn_with_state(state.clone(), contract::layer))
        .route_layer(from_fn_with_state(state.clone(), auth::guard))
        .method_not_allowed_fallback(method_not_allowed);
    Router::new()
        .route("/token", post(auth::token))
        .merge(api)
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(
            documents::MAX_UPLOAD_BYTES + 1024 * 1024,
        ))
        .with_state(state)
}

/// Paths that are no operation: a gateway-like ProblemDetails 404 (outside the contract layer).
async fn not_found(method: Method, uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "Not Found",
        format!("The simulator has no operation {method} {}.", uri.path()),
    )
}

/// Methods a path does not have: a gateway-like ProblemDetails 405.
async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "Method Not Allowed",
        format!("{} does not accept {method}.", uri.path()),
    )
}
