//! Booking: viewings, general appointments and market appraisals.
//!
//! Seed rule, enforced by types: an appointment needs the ids of the property and contact(s)
//! it concerns, so each constructor takes a [`PropertyId`] and/or [`ContactId`]s — which exist
//! only once those records were created.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{check_slot, Appointments, DiarySlot, ValuationType};
use crate::error::AltoError;
use crate::ids::{AppointmentId, ContactId, NegotiatorId, PropertyId};
use crate::operations;
use crate::raw::types;
use crate::reconcile::create_reconciled;
use crate::typed::typed;

/// A viewing of a property by one or more applicants, with a negotiator.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewViewing {
    property_id: PropertyId,
    applicant_ids: Vec<ContactId>,
    negotiator_id: NegotiatorId,
    start_date: DateTime<Utc>,
    end_date: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notes: Option<String>,
    is_confirmed: bool,
}

impl NewViewing {
    /// A viewing of `property` by `applicant` with `negotiator`, from `start` to `end`.
    pub fn new(
        property: PropertyId,
        applicant: ContactId,
        negotiator: NegotiatorId,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Self {
        Self {
            property_id: property,
            applicant_ids: vec![applicant],
            negotiator_id: negotiator,
            start_date: start,
            end_date: end,
            notes: None,
            is_confirmed: false,
        }
    }

    /// Adds another applicant.
    pub fn and_applicant(mut self, applicant: ContactId) -> Self {
        self.applicant_ids.push(applicant);
        self
    }

    /// Sets notes.
    pub fn notes(mut self, notes: impl Into<String>) -> Self {
        self.notes = Some(notes.into());
        self
    }

    /// Marks it confirmed.
    pub fn confirmed(mut self) -> Self {
        self.is_confirmed = true;
        self
    }
}

/// A general diary appointment for negotiators, linked to properties and contacts.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewGeneralAppointment {
    negotiator_ids: Vec<NegotiatorId>,
    sub_type_id: i32,
    start_date: DateTime<Utc>,
    end_date: DateTime<Utc>,
    property_ids: Vec<PropertyId>,
    contact_ids: Vec<ContactId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notes: Option<String>,
}

impl NewGeneralAppointment {
    /// An appointment of sub-type `sub_type` (an id from [`Appointments::sub_types`]) for
    /// `negotiator` about `property` with `contact`.
    pub fn new(
        negotiator: NegotiatorId,
        sub_type: i32,
        property: PropertyId,
        contact: ContactId,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Self {
        Self {
            negotiator_ids: vec![negotiator],
            sub_type_id: sub_type,
            start_date: start,
            end_date: end,
            property_ids: vec![property],
            contact_ids: vec![contact],
            location: None,
            notes: None,
        }
    }

    /// Adds a negotiator.
    pub fn and_negotiator(mut self, negotiator: NegotiatorId) -> Self {
        self.negotiator_ids.push(negotiator);
        self
    }

    /// Adds a contact.
    pub fn and_contact(mut self, contact: ContactId) -> Self {
        self.contact_ids.push(contact);
        self
    }

    /// Sets where it happens.
    pub fn location(mut self, location: impl Into<String>) -> Self {
        self.location = Some(location.into());
        self
    }

    /// Sets notes.
    pub fn notes(mut self, notes: impl Into<String>) -> Self {
        self.notes = Some(notes.into());
        self
    }
}

/// A market appraisal (valuation) of a property by one or more negotiators.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewMarketAppraisal {
    #[serde(serialize_with = "crate::typed::as_text::one")]
    property_id: PropertyId,
    #[serde(serialize_with = "crate::typed::as_text::many")]
    appraiser_ids: Vec<NegotiatorId>,
    start_date: String,
    end_date: String,
    #[serde(rename = "type")]
    kind: ValuationType,
    #[serde(skip_serializing_if = "Option::is_none")]
    notes: Option<String>,
    #[serde(skip)]
    slot: (DateTime<Utc>, DateTime<Utc>),
}

impl NewMarketAppraisal {
    /// A free market appraisal of `property` by `appraiser` from `start` to `end`.
    pub fn new(
        property: PropertyId,
        appraiser: NegotiatorId,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Self {
        Self {
            property_id: property,
            appraiser_ids: vec![appraiser],
            start_date: start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            end_date: end.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            kind: ValuationType::FreeMarketAppraisal,
            notes: None,
            slot: (start, end),
        }
    }

    /// Sets the kind of valuation.
    pub fn kind(mut self, kind: ValuationType) -> Self {
        self.kind = kind;
        self
    }

    /// Sets notes.
    pub fn notes(mut self, notes: impl Into<String>) -> Self {
        self.notes = Some(notes.into());
        self
    }
}

impl Appointments<'_> {
    /// Books a viewing (`POST /appointments/viewings`). Safe to use when answers may be lost:
    /// after a failure whose outcome is unknown, the negotiator's diary is searched for the
    /// viewing before it is booked again, so it is never booked twice.
    pub async fn create_viewing(&self, viewing: &NewViewing) -> Result<AppointmentId, AltoError> {
        const OP: &str = operations::CREATE_VIEWING;
        check_slot(OP, viewing.start_date, viewing.end_date)?;
        let body: types::ViewingRequest = typed(OP, viewing)?;
        let attempt = || async {
            let call = self.client.raw().create_viewing().body(body.clone()).send();
            let created = self.client.send(OP, call).await?.into_inner();
            created
                .appointment_id
                .map(AppointmentId::new)
                .ok_or_else(|| AltoError::Decode {
                    operation: OP.into(),
                    detail: "no appointmentId".into(),
                })
        };
        create_reconciled(attempt, || self.find_viewing(viewing)).await
    }

    async fn find_viewing(&self, viewing: &NewViewing) -> Result<Option<AppointmentId>, AltoError> {
        let property = viewing.property_id.to_string();
        let diary = self
            .diary(viewing.negotiator_id, viewing.start_date, viewing.end_date)
            .await?;
        Ok(diary
            .into_iter()
            .filter(|a| DiarySlot::of(a).is_some_and(|s| s.start == viewing.start_date))
            .filter(|a| {
                a.properties
                    .iter()
                    .flatten()
                    .any(|p| p.id.as_deref() == Some(property.as_str()))
            })
            .find_map(|a| a.id.map(AppointmentId::new)))
    }

    /// Books a general appointment (`POST /appointments/general`).
    pub async fn create_general(
        &self,
        appointment: &NewGeneralAppointment,
    ) -> Result<AppointmentId, AltoError> {
        const OP: &str = operations::CREATE_GENERAL_APPOINTMENT;
        check_slot(OP, appointment.start_date, appointment.end_date)?;
        let body: types::GeneralAppointmentRequest = typed(OP, appointment)?;
        let created = self
            .client
            .send(
                OP,
                self.client
                    .raw()
                    .create_general_appointment()
                    .body(body)
                    .send(),
            )
            .await?
            .into_inner();
        created
            .appointment_id
            .map(AppointmentId::new)
            .ok_or_else(|| AltoError::Decode {
                operation: OP.into(),
                detail: "no appointmentId".into(),
            })
    }

    /// Books a market appraisal (`POST /appraisals`).
    pub async fn create_market_appraisal(
        &self,
        appraisal: &NewMarketAppraisal,
    ) -> Result<AppointmentId, AltoError> {
        const OP: &str = operations::CREATE_APPRAISAL;
        check_slot(OP, appraisal.slot.0, appraisal.slot.1)?;
        let body: types::CreateAppraisalRequest = typed(OP, appraisal)?;
        let id = self
            .client
            .send(OP, self.client.raw().create_appraisal().body(body).send())
            .await?
            .into_inner();
        Ok(AppointmentId::new(id))
    }
}
