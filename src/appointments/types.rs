//! What Alto answers about appointments, and the facade's typed views of it.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::diary_time::from_answer;
use crate::ids::{ContactId, NegotiatorId, PropertyId};
use crate::raw::types;

/// An appointment as Alto answers it (diary listings, valuations, one appointment).
///
/// Its `start_date`/`end_date` hold UK local diary time; read them with [`DiarySlot::of`].
pub type Appointment = types::ExternalPartnerAppointment;

/// Kind of appointment (`Viewing`, `Valuation`, `General`, …).
pub type AppointmentKind = types::ExternalPartnerAppointmentType;

/// Status of an appointment (`Active`, `CancelledByOffice`, …).
pub type AppointmentStatus = types::ExternalPartnerAppointmentStatus;

/// Kind of valuation for a market appraisal (Alto's list).
pub type ValuationType = types::ValuationType;

/// A sub-type of general appointment, as the agency's group defines them
/// (`GET /parameters/appointment-subtypes`); its id goes into
/// [`NewGeneralAppointment::new`](super::NewGeneralAppointment::new).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppointmentSubType {
    /// The sub-type's id (`subTypeId`).
    pub id: i32,
    /// Its name as Alto shows it (empty when Alto sends none).
    pub name: String,
}

impl AppointmentSubType {
    pub(crate) fn from_raw(raw: types::DiaryEventSubType) -> Option<Self> {
        Some(Self {
            id: raw.id?,
            name: raw.display_name.unwrap_or_default(),
        })
    }
}

/// When an appointment happens, as instants (Alto's UK local diary times converted, see
/// [`diary_time`](super::diary_time)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiarySlot {
    /// Start.
    pub start: DateTime<Utc>,
    /// End.
    pub end: DateTime<Utc>,
}

impl DiarySlot {
    /// The slot of an appointment Alto answered; `None` when it has no start or end.
    ///
    /// ```
    /// use alto::appointments::{Appointment, DiarySlot};
    /// let summer = Appointment {
    ///     start_date: Some("2026-07-01T10:00:00Z".parse().unwrap()), // 10:00 in the diary
    ///     end_date: Some("2026-07-01T10:30:00Z".parse().unwrap()),
    ///     ..Default::default()
    /// };
    /// let slot = DiarySlot::of(&summer).unwrap();
    /// assert_eq!(slot.start.to_rfc3339(), "2026-07-01T09:00:00+00:00"); // 10:00 BST
    /// ```
    pub fn of(appointment: &Appointment) -> Option<Self> {
        Some(Self {
            start: from_answer(appointment.start_date?),
            end: from_answer(appointment.end_date?),
        })
    }
}

/// The records an appointment links to, as typed ids (Alto sends them as strings; any that is
/// not a number is left out).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppointmentLinks {
    /// Negotiators (attending staff).
    pub negotiators: Vec<NegotiatorId>,
    /// Contacts (applicants of a viewing, contacts of a general appointment).
    pub contacts: Vec<ContactId>,
    /// Properties.
    pub properties: Vec<PropertyId>,
}

impl AppointmentLinks {
    /// The links of an appointment Alto answered.
    pub fn of(appointment: &Appointment) -> Self {
        fn ids<T: From<i64>>(raw: impl Iterator<Item = Option<String>>) -> Vec<T> {
            raw.flatten()
                .filter_map(|s| s.trim().parse::<i64>().ok())
                .map(T::from)
                .collect()
        }
        Self {
            negotiators: ids(appointment
                .negotiators
                .iter()
                .flatten()
                .map(|n| n.id.clone())),
            contacts: ids(appointment.contacts.iter().flatten().map(|c| c.id.clone())),
            properties: ids(appointment
                .properties
                .iter()
                .flatten()
                .map(|p| p.id.clone())),
        }
    }
}
