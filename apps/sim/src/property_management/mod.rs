//! The property-management family: the inventory (search, filter, details, key sets, owners,
//! appraisal figures), landlords, suppliers, management events, tenancies and their meter
//! readings and charges, works orders, guarantors and reference checks.
//!
//! [`routes`] is its whole route table; `router.rs` merges it.

mod charges;
mod common;
mod events;
mod inventory;
mod keysets;
mod people;
mod records;
mod seed;
mod tenancy_writes;
mod work_orders;

use axum::routing::{get, patch, post};
use axum::Router;

pub(crate) use common::{check_page_size, Range};
pub(crate) use people::pm_address;
pub(crate) use records::PropertyManagementData;
pub(crate) use seed::seed;

use crate::state::AppState;
use crate::{appointments, properties, reference_checks, tenancies};

/// The family's routes. Paths keep one parameter name per position: `{inventoryId}` under
/// `/inventory` (the spec's `{propertyId}` too), `{tenancyId}` under `/tenancies`,
/// `{workOrderId}` under `/work-orders` (the spec's `{id}`).
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/inventory", get(inventory::list))
        .route("/inventory/new", post(properties::create))
        .route("/inventory/search", get(inventory::search))
        .route("/inventory/filter", get(inventory::filter))
        .route("/inventory/items", get(inventory::items))
        .route(
            "/inventory/{inventoryId}",
            get(inventory::get).patch(inventory::patch),
        )
        .route(
            "/inventory/{inventoryId}/appraisal",
            patch(inventory::patch_appraisal),
        )
        .route("/inventory/{inventoryId}/keyset", post(keysets::create))
        .route(
            "/inventory/{inventoryId}/keyset/{keySetId}",
            patch(keysets::patch).delete(keysets::delete),
        )
        .route("/inventory/{inventoryId}/keysets", get(keysets::list))
        .route(
            "/inventory/{inventoryId}/owner",
            post(properties::add_owner),
        )
        .route(
            "/inventory/{inventoryId}/landlords",
            get(people::of_property),
        )
        .route(
            "/inventory/{inventoryId}/management-events",
            get(events::of_property),
        )
        .route(
            "/inventory/{inventoryId}/suppliers",
            get(people::of_property_suppliers),
        )
        .route(
            "/inventory/{inventoryId}/tenancies",
            get(tenancy_writes::of_property).post(tenancy_writes::propose),
        )
        .route(
            "/inventory/{inventoryId}/work-orders",
            get(work_orders::of_property),
        )
        .route(
            "/inventory/{inventoryId}/charges",
            post(charges::to_property),
        )
        .route("/landlords", get(people::landlords))
        .route("/management-events", get(events::list).post(events::create))
        .route(
            "/management-events/{eventId}",
            get(events::get).patch(events::patch),
        )
        .route("/suppliers", get(people::suppliers))
        .route("/suppliers/{supplierId}", get(people::supplier))
        .route("/tenancies", get(tenancies::list))
        .route(
            "/tenancies/{tenancyId}",
            get(tenancies::get).patch(tenancy_writes::patch),
        )
        .route("/tenancies/{tenancyId}/charges", post(charges::to_tenancy))
        .route(
            "/tenancies/{tenancyId}/meter-readings",
            get(tenancy_writes::readings).post(tenancy_writes::add_reading),
        )
        .route(
            "/tenancies/{tenancyId}/meter-readings/{utilityType}",
            patch(tenancy_writes::patch_reading),
        )
        .route(
            "/tenancies/{tenancyId}/tenantIds",
            get(tenancies::tenant_ids),
        )
        .route("/work-orders", post(work_orders::create))
        .route(
            "/work-orders/{workOrderId}",
            get(work_orders::get).patch(work_orders::patch),
        )
        .route("/guarantorIds", get(tenancies::guarantor_ids))
        .route("/ReferenceChecks", get(reference_checks::list))
        .route(
            "/ReferenceChecks/{referenceCheckId}",
            patch(reference_checks::patch),
        )
        .route("/appraisals", post(appointments::create_appraisal))
}
