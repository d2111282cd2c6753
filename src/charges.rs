//! Charges: to a property's landlord (`POST /inventory/{propertyId}/charges`) and to a
//! tenancy's tenant (`POST /tenancies/{tenancyId}/charges`).
//!
//! Both operations take `multipart/form-data`, which the raw client cannot send; these typed
//! builders write the form field by field (names and enum values from the spec), with an
//! optional invoice file, and [`crate::properties::Properties::charge`] and
//! [`crate::tenancies::Tenancies::charge`] send it through
//! [`crate::AgencyClient::send_multipart`] and read the created charge.
//!
//! ```no_run
//! # async fn example(agency: &alto::AgencyClient) -> Result<(), alto::AltoError> {
//! use alto::charges::{ChargeType, NewTenancyCharge, VatRate};
//! use alto::documents::Upload;
//! use alto::ids::{TenancyId, TenantId};
//!
//! let charge = NewTenancyCharge::new(ChargeType::CheckInFee)
//!     .net(100.0)
//!     .vat(20.0, VatRate::Standard)
//!     .tenant(TenantId::new(42))
//!     .invoice(Upload::bytes("check-in.pdf", b"%PDF-1.4".to_vec()));
//! let created = agency.tenancies().charge(TenancyId::new(7), charge).await?;
//! println!("{:?}", created.id);
//! # Ok(()) }
//! ```

use chrono::{DateTime, SecondsFormat, Utc};
use reqwest::multipart::Form;

use crate::documents::Upload;
use crate::error::AltoError;
use crate::ids::{SupplierId, TenantId, WorkOrderId};
use crate::raw::types;

/// What a charge is for (the spec's `chargeType`).
pub type ChargeType = types::PropertyChargeChargeType;
/// The VAT rate of a charge (the spec's `vatRateType`).
pub type VatRate = types::PropertyChargeVatRateType;
/// How a tenant pays a charge (the spec's `paymentMethod`).
pub type PaymentMethod = types::TenancyChargePaymentMethod;
/// A charge to a landlord as Alto created it.
pub type PropertyCharge = types::PropertyCharge;
/// A charge to a tenant as Alto created it.
pub type TenancyCharge = types::TenancyCharge;

/// The fields both kinds of charge have.
#[derive(Debug)]
struct ChargeFields {
    charge_type: ChargeType,
    date: Option<DateTime<Utc>>,
    description: Option<String>,
    net: Option<f32>,
    vat: Option<(f32, VatRate)>,
    supplier: Option<SupplierId>,
    work_order: Option<WorkOrderId>,
    invoice_reference: Option<String>,
    raise_immediately: Option<bool>,
    invoice: Option<Upload>,
}

impl ChargeFields {
    fn new(charge_type: ChargeType) -> Self {
        Self {
            charge_type,
            date: None,
            description: None,
            net: None,
            vat: None,
            supplier: None,
            work_order: None,
            invoice_reference: None,
            raise_immediately: None,
            invoice: None,
        }
    }

    /// The form, fields in the spec's order, the invoice last. Amounts below zero are refused
    /// before sending (the spec's `minimum: 0`).
    fn into_form(
        self,
        operation: &str,
        mut extra: Vec<(&'static str, String)>,
    ) -> Result<Form, AltoError> {
        let invalid = |detail: String| AltoError::InvalidRequest {
            operation: operation.into(),
            detail,
        };
        for (name, amount) in [("totalNet", self.net), ("totalVat", self.vat.map(|v| v.0))] {
            if amount.is_some_and(|a| !a.is_finite() || a < 0.0) {
                return Err(invalid(format!("{name} must be a number, at least 0")));
            }
        }
        let mut fields = vec![("chargeType", self.charge_type.to_string())];
        fields.extend(
            self.date
                .map(|d| ("chargeDate", d.to_rfc3339_opts(SecondsFormat::Secs, true))),
        );
        fields.extend(self.description.map(|d| ("description", d)));
        fields.extend(self.net.map(|n| ("totalNet", format!("{n:.2}"))));
        if let Some((vat, rate)) = self.vat {
            fields.push(("totalVat", format!("{vat:.2}")));
            fields.push(("vatRateType", rate.to_string()));
        }
        fields.extend(self.supplier.map(|s| ("supplierId", s.to_string())));
        fields.extend(self.work_order.map(|w| ("workOrderId", w.to_string())));
        fields.extend(self.invoice_reference.map(|r| ("invoiceReference", r)));
        fields.extend(
            self.raise_immediately
                .map(|r| ("raiseImmediately", r.to_string())),
        );
        fields.append(&mut extra);
        let mut form = fields
            .into_iter()
            .fold(Form::new(), |form, (name, value)| form.text(name, value));
        if let Some(invoice) = self.invoice {
            form = form.part("invoiceDocument", invoice.into_part(operation)?);
        }
        Ok(form)
    }
}

macro_rules! shared_setters {
    () => {
        /// The date the charge is raised on.
        pub fn date(mut self, date: DateTime<Utc>) -> Self {
            self.fields.date = Some(date);
            self
        }

        /// What the charge is for, in words.
        pub fn description(mut self, description: impl Into<String>) -> Self {
            self.fields.description = Some(description.into());
            self
        }

        /// The amount before VAT.
        pub fn net(mut self, net: f32) -> Self {
            self.fields.net = Some(net);
            self
        }

        /// The VAT and its rate.
        pub fn vat(mut self, vat: f32, rate: VatRate) -> Self {
            self.fields.vat = Some((vat, rate));
            self
        }

        /// The supplier who did the work.
        pub fn supplier(mut self, supplier: SupplierId) -> Self {
            self.fields.supplier = Some(supplier);
            self
        }

        /// The works order the charge settles.
        pub fn work_order(mut self, work_order: WorkOrderId) -> Self {
            self.fields.work_order = Some(work_order);
            self
        }

        /// The supplier's invoice reference.
        pub fn invoice_reference(mut self, reference: impl Into<String>) -> Self {
            self.fields.invoice_reference = Some(reference.into());
            self
        }

        /// Whether Alto raises the charge at once.
        pub fn raise_immediately(mut self, raise: bool) -> Self {
            self.fields.raise_immediately = Some(raise);
            self
        }

        /// The invoice file, kept by Alto as a document.
        pub fn invoice(mut self, invoice: Upload) -> Self {
            self.fields.invoice = Some(invoice);
            self
        }
    };
}

/// A charge to a property's landlord, for [`crate::properties::Properties::charge`].
#[derive(Debug)]
pub struct NewPropertyCharge {
    fields: ChargeFields,
}

impl NewPropertyCharge {
    /// A charge of `charge_type`; everything else is optional.
    pub fn new(charge_type: ChargeType) -> Self {
        Self {
            fields: ChargeFields::new(charge_type),
        }
    }

    shared_setters!();

    /// The `multipart/form-data` form Alto takes.
    pub(crate) fn into_form(self, operation: &str) -> Result<Form, AltoError> {
        self.fields.into_form(operation, Vec::new())
    }
}

/// A charge to a tenant, for [`crate::tenancies::Tenancies::charge`].
#[derive(Debug)]
pub struct NewTenancyCharge {
    fields: ChargeFields,
    tenant: Option<TenantId>,
    payment_method: Option<PaymentMethod>,
    payment_reference: Option<String>,
    exclude_from_arrears: Option<bool>,
    send_docs: Option<bool>,
    raise_in_advance_days: Option<i32>,
    show_in_arrears_after_days: Option<i32>,
    raise_end_date: Option<DateTime<Utc>>,
}

impl NewTenancyCharge {
    /// A charge of `charge_type`; everything else is optional.
    pub fn new(charge_type: ChargeType) -> Self {
        Self {
            fields: ChargeFields::new(charge_type),
            tenant: None,
            payment_method: None,
            payment_reference: None,
            exclude_from_arrears: None,
            send_docs: None,
            raise_in_advance_days: None,
            show_in_arrears_after_days: None,
            raise_end_date: None,
        }
    }

    shared_setters!();

    /// The tenant charged (one of the tenancy's).
    pub fn tenant(mut self, tenant: TenantId) -> Self {
        self.tenant = Some(tenant);
        self
    }

    /// How the tenant pays, and the payment's reference if any.
    pub fn paid_by(mut self, method: PaymentMethod, reference: Option<String>) -> Self {
        self.payment_method = Some(method);
        self.payment_reference = reference;
        self
    }

    /// Leaves the charge out of the tenant's arrears.
    pub fn exclude_from_arrears(mut self, exclude: bool) -> Self {
        self.exclude_from_arrears = Some(exclude);
        self
    }

    /// Whether Alto sends the tenant the charge's documents.
    pub fn send_docs(mut self, send: bool) -> Self {
        self.send_docs = Some(send);
        self
    }

    /// Raises the charge this many days before it is due.
    pub fn raise_in_advance_days(mut self, days: i32) -> Self {
        self.raise_in_advance_days = Some(days);
        self
    }

    /// Shows the charge in arrears this many days after it is due.
    pub fn show_in_arrears_after_days(mut self, days: i32) -> Self {
        self.show_in_arrears_after_days = Some(days);
        self
    }

    /// Stops raising a recurring charge after this date.
    pub fn raise_end_date(mut self, date: DateTime<Utc>) -> Self {
        self.raise_end_date = Some(date);
        self
    }

    /// The `multipart/form-data` form Alto takes.
    pub(crate) fn into_form(self, operation: &str) -> Result<Form, AltoError> {
        let mut extra = Vec::new();
        extra.extend(self.tenant.map(|t| ("tenantId", t.to_string())));
        extra.extend(
            self.payment_method
                .map(|m| ("paymentMethod", m.to_string())),
        );
        extra.extend(self.payment_reference.map(|r| ("paymentReference", r)));
        extra.extend(
            self.exclude_from_arrears
                .map(|e| ("excludeFromArrears", e.to_string())),
        );
        extra.extend(self.send_docs.map(|s| ("sendDocs", s.to_string())));
        extra.extend(
            self.raise_in_advance_days
                .map(|d| ("raiseInAdvanceDays", d.to_string())),
        );
        extra.extend(
            self.show_in_arrears_after_days
                .map(|d| ("showInArrearsAfterDays", d.to_string())),
        );
        extra.extend(
            self.raise_end_date
                .map(|d| ("raiseEndDate", d.to_rfc3339_opts(SecondsFormat::Secs, true))),
        );
        self.fields.into_form(operation, extra)
    }
}

/// Reads a created charge from the answer's body.
pub(crate) fn decode<T: serde::de::DeserializeOwned>(
    operation: &str,
    body: &[u8],
) -> Result<T, AltoError> {
    serde_json::from_slice(body).map_err(|e| AltoError::Decode {
        operation: operation.into(),
        detail: e.to_string(),
    })
}
