//! Rescheduling: `PATCH /appointments/viewings/{appointmentId}` and
//! `PATCH /appointments/general/{appointmentId}`.
//!
//! Alto takes a JSON Patch document (an array of `replace` operations on `/startDate` and
//! `/endDate`), sent as `application/json` like every other body of these operations. The
//! values are UK local diary times without offset, as the spec's example writes them; the
//! spec states the UTC-to-local conversion for the booking bodies and listings but not for these
//! patch values, so the facade does the conversion itself rather than rely on it.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::diary_time::local_text;
use super::{check_slot, Appointments, DiarySlot};
use crate::error::AltoError;
use crate::ids::AppointmentId;
use crate::operations;
use crate::raw::types;
use crate::reconcile::create_reconciled;
use crate::typed::typed;

#[derive(Debug, Serialize)]
struct Replace {
    op: &'static str,
    path: &'static str,
    value: String,
}

/// The patch that moves an appointment, after checking the times (see [`super::check_slot`]).
fn move_patch(
    operation: &str,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Vec<Replace>, AltoError> {
    check_slot(operation, start, end)?;
    Ok(vec![
        Replace {
            op: "replace",
            path: "/startDate",
            value: local_text(start),
        },
        Replace {
            op: "replace",
            path: "/endDate",
            value: local_text(end),
        },
    ])
}

impl Appointments<'_> {
    /// Moves a viewing to `start`–`end` (`PATCH /appointments/viewings/{appointmentId}`).
    ///
    /// Refused before sending when the end is not after the start. Safe when an answer is lost:
    /// the appointment is read back and the patch (which sets absolute times) sent again only
    /// if it did not apply.
    ///
    /// ```no_run
    /// # async fn demo(agency: &alto::AgencyClient) -> Result<(), alto::AltoError> {
    /// use alto::ids::AppointmentId;
    /// let start = "2026-10-26T10:00:00Z".parse().unwrap();
    /// agency.appointments()
    ///     .reschedule_viewing(AppointmentId::new(76543), start, start + chrono::Duration::minutes(30))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn reschedule_viewing(
        &self,
        id: AppointmentId,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<(), AltoError> {
        const OP: &str = operations::UPDATE_VIEWING;
        let body: types::ViewingPatchJsonPatchDocument = typed(OP, &move_patch(OP, start, end)?)?;
        let attempt = || async {
            let call = self
                .client
                .raw()
                .update_viewing()
                .appointment_id(id.0)
                .body(body.clone())
                .send();
            self.client.send(OP, call).await.map(|_| ())
        };
        create_reconciled(attempt, || self.moved(id, start, end)).await
    }

    /// Moves a general appointment to `start`–`end`
    /// (`PATCH /appointments/general/{appointmentId}`), for all its negotiators. Same checks
    /// and safety as [`Appointments::reschedule_viewing`].
    pub async fn reschedule_general(
        &self,
        id: AppointmentId,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<(), AltoError> {
        const OP: &str = operations::UPDATE_GENERAL_APPOINTMENT;
        let body: types::GeneralAppointmentPatchJsonPatchDocument =
            typed(OP, &move_patch(OP, start, end)?)?;
        let attempt = || async {
            let call = self
                .client
                .raw()
                .update_general_appointment()
                .appointment_id(id.0)
                .body(body.clone())
                .send();
            self.client.send(OP, call).await.map(|_| ())
        };
        create_reconciled(attempt, || self.moved(id, start, end)).await
    }

    /// `Some(())` when the appointment already has these times (a lost patch applied).
    async fn moved(
        &self,
        id: AppointmentId,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<Option<()>, AltoError> {
        let now = self.get(id, 0).await?;
        Ok((DiarySlot::of(&now) == Some(DiarySlot { start, end })).then_some(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn values_are_uk_local_times_without_offset() {
        let patch = move_patch(
            "t",
            utc("2026-10-24T09:00:00Z"),
            utc("2026-10-26T10:00:00Z"),
        )
        .unwrap();
        assert_eq!(patch[0].value, "2026-10-24T10:00:00"); // BST
        assert_eq!(patch[1].value, "2026-10-26T10:00:00"); // GMT
    }

    #[test]
    fn refuses_backwards_times_and_the_second_repeated_hour() {
        let t = utc("2026-10-24T09:00:00Z");
        assert!(matches!(
            move_patch("t", t, t),
            Err(AltoError::InvalidRequest { .. })
        ));
        let second_pass = utc("2026-10-25T01:15:00Z");
        assert!(matches!(
            move_patch(
                "t",
                second_pass,
                second_pass + chrono::Duration::minutes(30)
            ),
            Err(AltoError::InvalidRequest { .. })
        ));
    }
}
