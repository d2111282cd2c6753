//! Appointments: viewings, general appointments and market appraisals (valuations) — book
//! them, read them (a negotiator's diary, one appointment, valuations, the sub-types of general
//! appointments) and reschedule them.
//!
//! Alto's diary keeps UK local times; [`diary_time`] says how the facade converts, and
//! [`DiarySlot::of`] gives an answered appointment's real start and end.

mod booking;
pub mod diary_time;
mod reschedule;
mod types;

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use futures::{Stream, StreamExt, TryStreamExt};

pub use booking::{NewGeneralAppointment, NewMarketAppraisal, NewViewing};
pub use types::{
    Appointment, AppointmentKind, AppointmentLinks, AppointmentStatus, AppointmentSubType,
    DiarySlot, ValuationType,
};

use crate::client::AgencyClient;
use crate::error::AltoError;
use crate::ids::{AppointmentId, BranchId, NegotiatorId};
use crate::operations;
use crate::paging::{paginate, DEFAULT_PAGE_SIZE};
use crate::raw::types as raw;

/// Negotiator ids sent in one diary request (`negotiator-id` repeats in the query string).
pub const NEGOTIATORS_PER_DIARY_REQUEST: usize = 50;

/// Appointment operations for one agency. Get it with [`AgencyClient::appointments`].
#[derive(Debug, Clone, Copy)]
pub struct Appointments<'a> {
    client: &'a AgencyClient,
}

impl AgencyClient {
    /// Appointment operations.
    pub fn appointments(&self) -> Appointments<'_> {
        Appointments { client: self }
    }
}

fn check_times(
    operation: &str,
    start: &DateTime<Utc>,
    end: &DateTime<Utc>,
) -> Result<(), AltoError> {
    if end <= start {
        return Err(AltoError::InvalidRequest {
            operation: operation.into(),
            detail: format!("the appointment ends ({end}) before it starts ({start})"),
        });
    }
    Ok(())
}

/// The times of an appointment to book or move: the end after the start, and both times ones
/// the diary can hold ([`diary_time::storable`]). That also keeps them in order on the diary's
/// clock: only an end in the repeated October hour could fall "before" its start there.
fn check_slot(operation: &str, start: DateTime<Utc>, end: DateTime<Utc>) -> Result<(), AltoError> {
    check_times(operation, &start, &end)?;
    let invalid = |detail: String| AltoError::InvalidRequest {
        operation: operation.into(),
        detail,
    };
    for (what, t) in [("start", start), ("end", end)] {
        if !diary_time::storable(t) {
            return Err(invalid(format!(
                "the {what} ({t}) is the second {} of the night the clocks go back; Alto's diary \
                 keeps UK local time and would read it as the first (BST)",
                diary_time::to_local(t).format("%H:%M")
            )));
        }
    }
    Ok(())
}

/// Which market appraisals [`Appointments::valuations`] lists: those created in a period
/// (Alto requires both ends), optionally of some negotiators or branches only.
///
/// ```
/// use alto::appointments::ValuationFilter;
/// use alto::ids::NegotiatorId;
/// let to = chrono::Utc::now();
/// let filter = ValuationFilter::created(to - chrono::Duration::days(30), to).negotiator(NegotiatorId::new(7));
/// assert_eq!(filter.negotiators, vec![NegotiatorId::new(7)]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValuationFilter {
    /// Created at or after (`created-from`).
    pub from: DateTime<Utc>,
    /// Created at or before (`created-to`).
    pub to: DateTime<Utc>,
    /// Only these negotiators' (`negotiator-ids`; empty: all).
    pub negotiators: Vec<NegotiatorId>,
    /// Only these branches' (`branch-ids`; empty: all).
    pub branches: Vec<BranchId>,
}

impl ValuationFilter {
    /// Market appraisals created between `from` and `to`.
    pub fn created(from: DateTime<Utc>, to: DateTime<Utc>) -> Self {
        Self {
            from,
            to,
            negotiators: Vec::new(),
            branches: Vec::new(),
        }
    }

    /// Only those of `negotiator` (repeat for several).
    pub fn negotiator(mut self, negotiator: NegotiatorId) -> Self {
        self.negotiators.push(negotiator);
        self
    }

    /// Only those of `branch` (repeat for several).
    pub fn branch(mut self, branch: BranchId) -> Self {
        self.branches.push(branch);
        self
    }
}

fn ids_i32<T: Copy>(
    operation: &str,
    ids: &[T],
    as_i32: impl Fn(T, &str) -> Result<i32, AltoError>,
) -> Result<Vec<i32>, AltoError> {
    ids.iter().map(|&id| as_i32(id, operation)).collect()
}

impl<'a> Appointments<'a> {
    /// Market appraisals created in a period (`GET /appointments/valuations`, paged). A period
    /// that ends before it starts, or an id that does not fit Alto's 32 bits, is refused before
    /// anything is sent (the stream's first item is the error).
    pub fn valuations(
        &self,
        filter: ValuationFilter,
    ) -> impl Stream<Item = Result<Appointment, AltoError>> + 'a {
        const OP: &str = operations::LIST_VALUATIONS;
        let checked = (|| {
            if filter.to < filter.from {
                return Err(AltoError::InvalidRequest {
                    operation: OP.into(),
                    detail: format!(
                        "the creation period ends ({}) before it starts ({})",
                        filter.to, filter.from
                    ),
                });
            }
            Ok((
                ids_i32(OP, &filter.negotiators, NegotiatorId::as_i32)?,
                ids_i32(OP, &filter.branches, BranchId::as_i32)?,
            ))
        })();
        match checked {
            Err(e) => futures::stream::once(async { Err(e) }).left_stream(),
            Ok((negotiators, branches)) => {
                let (from, to) = (filter.from, filter.to);
                let client = self.client;
                paginate(move |cursor: Option<String>| {
                    let (negotiators, branches) = (negotiators.clone(), branches.clone());
                    async move {
                        let mut call = client
                            .raw()
                            .list_valuations()
                            .created_from(from)
                            .created_to(to)
                            .max_results(DEFAULT_PAGE_SIZE);
                        if !negotiators.is_empty() {
                            call = call.negotiator_ids(negotiators);
                        }
                        if !branches.is_empty() {
                            call = call.branch_ids(branches);
                        }
                        if let Some(cursor) = cursor {
                            call = call.next_token(cursor);
                        }
                        Ok(client.send(OP, call.send()).await?.into_inner())
                    }
                })
                .right_stream()
            }
        }
    }
}

impl Appointments<'_> {
    /// A negotiator's appointments between `from` and `to` (`GET /appointments/negotiators`).
    pub async fn diary(
        &self,
        negotiator: NegotiatorId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Appointment>, AltoError> {
        self.diary_of(&[negotiator], from, to).await
    }

    /// The appointments of several negotiators between `from` and `to`, each once even when
    /// several of them attend (`GET /appointments/negotiators`, up to
    /// [`NEGOTIATORS_PER_DIARY_REQUEST`] negotiators per request, each request paged).
    pub async fn diary_of(
        &self,
        negotiators: &[NegotiatorId],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Appointment>, AltoError> {
        const OP: &str = operations::LIST_NEGOTIATOR_APPOINTMENTS;
        check_times(OP, &from, &to)?;
        let ids = ids_i32(OP, negotiators, NegotiatorId::as_i32)?;
        let client = self.client;
        let mut seen = HashSet::new();
        let mut all = Vec::new();
        for chunk in ids.chunks(NEGOTIATORS_PER_DIARY_REQUEST) {
            let chunk = chunk.to_vec();
            let pages = paginate(move |cursor: Option<String>| {
                let chunk = chunk.clone();
                async move {
                    let mut call = client
                        .raw()
                        .list_negotiator_appointments()
                        .negotiator_id(chunk)
                        .start_date(from)
                        .end_date(to);
                    if let Some(cursor) = cursor {
                        call = call.next_token(cursor);
                    }
                    Ok(client.send(OP, call.send()).await?.into_inner())
                }
            });
            let per_negotiator: Vec<raw::ExternalPartnerUserAppointments> =
                pages.try_collect().await?;
            for appointment in per_negotiator
                .into_iter()
                .flat_map(|n| n.appointments.unwrap_or_default())
            {
                if seen.insert((appointment.id, appointment.instance_id)) {
                    all.push(appointment);
                }
            }
        }
        Ok(all)
    }

    /// One appointment (`GET /appointments/{appointmentId}/{instanceId}`); `instance` is 0
    /// except for an occurrence of a recurring general appointment.
    pub async fn get(&self, id: AppointmentId, instance: i32) -> Result<Appointment, AltoError> {
        const OP: &str = operations::GET_APPOINTMENT;
        if instance < 0 {
            return Err(AltoError::InvalidRequest {
                operation: OP.into(),
                detail: format!("instance {instance} is negative; use 0 for a single appointment"),
            });
        }
        let call = self
            .client
            .raw()
            .get_appointment()
            .appointment_id(id.0)
            .instance_id(instance)
            .send();
        Ok(self.client.send(OP, call).await?.into_inner())
    }

    /// The sub-types of general appointments the agency's group defines
    /// (`GET /parameters/appointment-subtypes`), for [`NewGeneralAppointment::new`].
    pub async fn sub_types(&self) -> Result<Vec<AppointmentSubType>, AltoError> {
        const OP: &str = operations::LIST_APPOINTMENT_SUB_TYPES;
        let call = self.client.raw().list_appointment_sub_types().send();
        Ok(self
            .client
            .send(OP, call)
            .await?
            .into_inner()
            .into_iter()
            .filter_map(AppointmentSubType::from_raw)
            .collect())
    }
}
