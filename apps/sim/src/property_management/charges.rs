//! Charges: `POST /inventory/{propertyId}/charges` (to the landlord) and
//! `POST /tenancies/{tenancyId}/charges` (to a tenant), both `multipart/form-data`.
//!
//! Alto has no operation that lists charges; what a client can read back is the invoice: an
//! `invoiceDocument` becomes a document of the property (or tenancy), listed by
//! `GET /documents` and `GET /inventory/{inventoryId}/documents`, and its id is the charge's
//! `invoiceDocumentId`. Tests see the charges themselves through
//! [`crate::RunningSimulator::charges`].

use std::collections::BTreeMap;

use alto::raw::types;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use bytes::Bytes;
use chrono::Utc;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::common::{missing, path_id};
use crate::params::parse_date_time;
use crate::problem::{ApiError, Validation};
use crate::simulator::RunningSimulator;
use crate::state::{AgencyKey, AppState};
use crate::store::{AgencyData, DocumentRec};

/// Invoices larger than this are refused.
const MAX_INVOICE_BYTES: usize = 10 * 1024 * 1024;

/// The form as sent: text fields by name, and the invoice file.
#[derive(Default)]
struct ChargeForm {
    text: BTreeMap<String, String>,
    invoice: Option<(String, String, Bytes)>,
}

async fn read_form(mut form: Multipart) -> Result<ChargeForm, ApiError> {
    let mut out = ChargeForm::default();
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| ApiError::bad_request(format!("the multipart body is malformed: {e}")))?
    {
        let name = field.name().unwrap_or_default().to_string();
        if name == "invoiceDocument" {
            let file_name = field.file_name().unwrap_or("invoice").to_string();
            let content_type = field
                .content_type()
                .unwrap_or("application/octet-stream")
                .to_string();
            let bytes = field.bytes().await.map_err(|e| {
                ApiError::field(
                    "invoiceDocument",
                    format!("the file could not be read: {e}"),
                )
            })?;
            out.invoice = Some((file_name, content_type, bytes));
        } else {
            let value = field
                .text()
                .await
                .map_err(|e| ApiError::field(&name, format!("the field could not be read: {e}")))?;
            out.text.insert(name, value);
        }
    }
    Ok(out)
}

impl ChargeForm {
    fn get(&self, name: &str) -> Option<&str> {
        self.text
            .get(name)
            .map(String::as_str)
            .filter(|s| !s.trim().is_empty())
    }

    fn enumerated<T: DeserializeOwned>(&self, v: &mut Validation, name: &str) -> Option<T> {
        let raw = self.get(name)?;
        let parsed = serde_json::from_value(Value::String(raw.trim().to_string())).ok();
        v.check(parsed.is_some(), name, || {
            format!("The value '{raw}' is not valid.")
        });
        parsed
    }

    fn amount(&self, v: &mut Validation, name: &str) -> Option<f32> {
        let raw = self.get(name)?;
        let parsed = raw.trim().parse::<f32>().ok().filter(|n| n.is_finite());
        v.check(parsed.is_some_and(|n| n >= 0.0), name, || {
            format!("{name} must be a number, at least 0.")
        });
        parsed
    }

    fn int(&self, v: &mut Validation, name: &str) -> Option<i32> {
        let raw = self.get(name)?;
        let parsed = raw.trim().parse::<i32>().ok();
        v.check(parsed.is_some(), name, || {
            format!("{name} must be a whole number.")
        });
        parsed
    }

    fn flag(&self, v: &mut Validation, name: &str) -> Option<bool> {
        let raw = self.get(name)?;
        let parsed = match raw.trim().to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        };
        v.check(parsed.is_some(), name, || {
            format!("{name} must be true or false.")
        });
        parsed
    }

    fn date(&self, v: &mut Validation, name: &str) -> Option<chrono::DateTime<Utc>> {
        let raw = self.get(name)?;
        let parsed = parse_date_time(name, raw.trim()).ok();
        v.check(parsed.is_some(), name, || {
            format!("'{raw}' is not a date-time.")
        });
        parsed
    }
}

/// What both charges share, checked against the agency's records.
struct Common<T> {
    charge_type: Option<T>,
    charge_date: chrono::DateTime<Utc>,
    total_net: Option<f32>,
    total_vat: Option<f32>,
    supplier_id: Option<String>,
    work_order_id: Option<String>,
}

fn common<T: DeserializeOwned>(
    v: &mut Validation,
    form: &ChargeForm,
    data: &AgencyData,
    property_id: i64,
) -> Common<T> {
    let charge_type = form.enumerated(v, "chargeType");
    v.check(form.get("chargeType").is_some(), "chargeType", || {
        "chargeType is required.".into()
    });
    let supplier_id = form.get("supplierId").map(str::trim).map(String::from);
    if let Some(s) = &supplier_id {
        v.check(
            s.parse()
                .is_ok_and(|id| data.management.suppliers.contains_key(&id)),
            "supplierId",
            || format!("Supplier {s} does not exist."),
        );
    }
    let work_order_id = form.get("workOrderId").map(str::trim).map(String::from);
    if let Some(w) = &work_order_id {
        v.check(
            w.parse()
                .ok()
                .and_then(|id| data.work_orders.get(&id))
                .is_some_and(|w| w.property_id == property_id),
            "workOrderId",
            || format!("Works order {w} is not one of this property's."),
        );
    }
    if let Some((name, _, bytes)) = &form.invoice {
        v.check(!bytes.is_empty(), "invoiceDocument", || {
            format!("{name} is empty.")
        });
        v.check(bytes.len() <= MAX_INVOICE_BYTES, "invoiceDocument", || {
            format!("{name} is larger than 10 MB.")
        });
    }
    Common {
        charge_type,
        charge_date: form.date(v, "chargeDate").unwrap_or_else(Utc::now),
        total_net: form.amount(v, "totalNet"),
        total_vat: form.amount(v, "totalVat"),
        supplier_id,
        work_order_id,
    }
}

/// Stores the invoice as a document of `linked_type` `linked_id`; returns its id.
fn store_invoice(
    data: &mut AgencyData,
    invoice: Option<(String, String, Bytes)>,
    linked_type: &'static str,
    linked_id: i64,
) -> Option<String> {
    let (file_name, content_type, bytes) = invoice?;
    let id = data.next_id();
    data.documents.insert(
        id,
        DocumentRec {
            id,
            file_name,
            content_type,
            bytes,
            linked_type,
            linked_id,
            created: Utc::now(),
        },
    );
    Some(id.to_string())
}

/// `POST /inventory/{propertyId}/charges`: 201 with the charge.
pub(crate) async fn to_property(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
    form: Multipart,
) -> Result<Response, ApiError> {
    let mut form = read_form(form).await?;
    let mut data = state.data(&agency);
    let property_id = path_id("propertyId", &id)
        .ok()
        .filter(|p| data.properties.contains_key(p))
        .ok_or_else(|| missing("Property", &id))?;
    let mut v = Validation::default();
    let c = common::<types::PropertyChargeChargeType>(&mut v, &form, &data, property_id);
    let vat_rate = form.enumerated::<types::PropertyChargeVatRateType>(&mut v, "vatRateType");
    v.finish()?;
    let charge_id = data.next_id();
    let invoice = store_invoice(&mut data, form.invoice.take(), "Property", property_id);
    let charge = types::PropertyCharge {
        id: Some(charge_id.to_string()),
        property_id: Some(property_id.to_string()),
        charge_type: c.charge_type,
        charge_date: Some(c.charge_date),
        description: form.get("description").map(String::from),
        invoice_reference: form.get("invoiceReference").map(String::from),
        invoice_document_id: invoice,
        supplier_id: c.supplier_id,
        work_order_id: c.work_order_id,
        total_net: Some(c.total_net.unwrap_or(0.0)),
        total_vat: Some(c.total_vat.unwrap_or(0.0)),
        vat_rate_type: Some(vat_rate.unwrap_or(types::PropertyChargeVatRateType::Standard)),
    };
    data.management
        .charges
        .insert(charge_id, serde_json::to_value(&charge).unwrap_or_default());
    Ok((StatusCode::CREATED, Json(charge)).into_response())
}

/// `POST /tenancies/{tenancyId}/charges`: 201 with the charge. `tenantId`, when given, must be
/// one of the tenancy's tenants.
pub(crate) async fn to_tenancy(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
    form: Multipart,
) -> Result<Response, ApiError> {
    let mut form = read_form(form).await?;
    let mut data = state.data(&agency);
    let tenancy = path_id("tenancyId", &id)
        .ok()
        .and_then(|t| data.tenancies.get(&t))
        .cloned()
        .ok_or_else(|| missing("Tenancy", &id))?;
    let mut v = Validation::default();
    let c = common::<types::TenancyChargeChargeType>(&mut v, &form, &data, tenancy.property_id);
    let vat_rate = form.enumerated::<types::TenancyChargeVatRateType>(&mut v, "vatRateType");
    let payment_method =
        form.enumerated::<types::TenancyChargePaymentMethod>(&mut v, "paymentMethod");
    let tenant_id = form.get("tenantId").map(str::trim).map(String::from);
    if let Some(t) = &tenant_id {
        v.check(
            tenancy
                .tenants
                .iter()
                .any(|x| x.tenant_id.to_string() == *t),
            "tenantId",
            || format!("Tenant {t} is not a tenant of tenancy {}.", tenancy.id),
        );
    }
    let exclude = form.flag(&mut v, "excludeFromArrears");
    let send_docs = form.flag(&mut v, "sendDocs");
    let _raise_now = form.flag(&mut v, "raiseImmediately");
    let in_advance = form.int(&mut v, "raiseInAdvanceDays");
    let arrears_after = form.int(&mut v, "showInArrearsAfterDays");
    let raise_end = form.date(&mut v, "raiseEndDate");
    v.finish()?;
    let charge_id = data.next_id();
    let invoice = store_invoice(&mut data, form.invoice.take(), "Tenancy", tenancy.id);
    let charge = types::TenancyCharge {
        id: Some(charge_id.to_string()),
        tenancy_id: Some(tenancy.id.to_string()),
        property_id: Some(tenancy.property_id.to_string()),
        tenant_id: tenant_id.or_else(|| tenancy.tenants.first().map(|t| t.tenant_id.to_string())),
        charge_type: c.charge_type,
        charge_date: Some(c.charge_date),
        description: form.get("description").map(String::from),
        invoice_reference: form.get("invoiceReference").map(String::from),
        invoice_document_id: invoice,
        supplier_id: c.supplier_id,
        work_order_id: c.work_order_id,
        total_net: Some(c.total_net.unwrap_or(0.0)),
        total_vat: Some(c.total_vat.unwrap_or(0.0)),
        vat_rate_type: Some(vat_rate.unwrap_or(types::TenancyChargeVatRateType::Standard)),
        payment_method,
        payment_reference: form.get("paymentReference").map(String::from),
        exclude_from_arrears: Some(exclude.unwrap_or(false)),
        send_docs: Some(send_docs.unwrap_or(false)),
        raise_in_advance_days: Some(in_advance.unwrap_or(0)),
        show_in_arrears_after_days: Some(arrears_after.unwrap_or(0)),
        raise_end_date: raise_end,
    };
    data.management
        .charges
        .insert(charge_id, serde_json::to_value(&charge).unwrap_or_default());
    Ok((StatusCode::CREATED, Json(charge)).into_response())
}

/// What tests can look at.
impl RunningSimulator {
    /// The agency's charges as they were answered (`PropertyCharge` or `TenancyCharge` JSON),
    /// oldest first.
    ///
    /// # Panics
    /// If the agency is not one of this simulator's.
    pub fn charges(&self, agency: Option<&str>) -> Vec<Value> {
        self.with(agency, |d| d.management.charges.values().cloned().collect())
    }
}
