//! The property-management records of one agency: key sets, inventory details set by PATCH,
//! appraisal figures, suppliers, management events, meter readings and charges. Tenancies,
//! owners and works orders live in [`crate::store::AgencyData`] beside the other families.

use std::collections::BTreeMap;

use alto::raw::types;
use chrono::{DateTime, Utc};
use serde_json::Value;

/// A set of keys of a property, and who holds it.
#[derive(Debug, Clone)]
pub(crate) struct KeySetRec {
    pub id: i64,
    pub property_id: i64,
    pub description: Option<String>,
    pub reference_code: Option<String>,
    pub key_count: i32,
    pub status: types::KeySetStatus,
    pub notes: Option<String>,
    pub holder: Option<(types::AltoKeySetHolderType, i64)>,
    pub date_out: Option<DateTime<Utc>>,
    pub expected_date_in: Option<DateTime<Utc>>,
}

/// A contractor the agency sends works orders to.
#[derive(Debug, Clone)]
pub(crate) struct SupplierRec {
    pub id: i64,
    pub branch_id: i64,
    pub company_name: String,
    pub contact: (String, String, String),
    pub email: String,
    pub phone: String,
    pub address: types::SdkAddress,
    pub services: Vec<String>,
    /// Properties it looks after.
    pub property_ids: Vec<i64>,
}

/// A management event (gas safety check due, rent review, inspection) on a property or tenancy.
#[derive(Debug, Clone)]
pub(crate) struct EventRec {
    pub id: i64,
    pub event_type: String,
    pub property_id: Option<i64>,
    pub tenancy_id: Option<i64>,
    pub branch_id: Option<i64>,
    pub notes: Option<String>,
    pub due: Option<DateTime<Utc>>,
    pub completed: Option<DateTime<Utc>>,
    pub priority: types::ManagementEventPriority,
    pub status: types::ManagementEventStatus,
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
}

/// One utility's meter reading of a tenancy (at most one per utility).
#[derive(Debug, Clone)]
pub(crate) struct MeterReadingRec {
    pub tenancy_id: i64,
    pub utility: types::TenancyUtilityReadingUtilityType,
    pub values: types::TenancyUtilityReading,
}

/// Everything of the property-management family that has no place in the shared records.
#[derive(Debug, Clone, Default)]
pub(crate) struct PropertyManagementData {
    pub key_sets: BTreeMap<i64, KeySetRec>,
    /// Inventory fields set by `PATCH /inventory/{inventoryId}`, by property, in the detail's
    /// JSON names.
    pub inventory_details: BTreeMap<i64, serde_json::Map<String, Value>>,
    /// When `PATCH /inventory/{inventoryId}` last changed a property.
    pub inventory_modified: BTreeMap<i64, DateTime<Utc>>,
    /// Appraisal figures set by `PATCH /inventory/{propertyId}/appraisal`, by property.
    pub appraisals: BTreeMap<i64, serde_json::Map<String, Value>>,
    pub suppliers: BTreeMap<i64, SupplierRec>,
    pub events: BTreeMap<i64, EventRec>,
    pub meter_readings: BTreeMap<i64, MeterReadingRec>,
    /// Charges as answered (`PropertyCharge` or `TenancyCharge` JSON), by id.
    pub charges: BTreeMap<i64, Value>,
}
