//! Alto's diary keeps UK local wall-clock times (Europe/London), not instants.
//!
//! What the spec says about appointment dates, and what follows here:
//! - **Sent** (`startDate`/`endDate` of new appointments, `start-date`/`end-date` of diary
//!   listings): a value with `Z` or an offset is converted by Alto to UK local time; a plain value
//!   is taken as UK local time as it is. The facade sends instants (`Z`), so Alto does the
//!   conversion, except for reschedules (see [`to_local`]).
//! - **Answered** (`startDate`/`endDate` of an appointment): the UK local diary time "with no
//!   timezone offset"; Zoopla's own example carries `+00:00`. The generated client reads it as
//!   UTC, so its digits are the local time: [`from_answer`] turns it into the real instant.
//!
//! Around the clock changes a local time is not always one instant. The rules are RFC 5545's
//! for a `TZID` time (so a calendar export means exactly what the diary shows):
//! - **Repeated hour** (last Sunday of October, 01:00–01:59 happens in BST, then again in GMT):
//!   the first occurrence (BST).
//! - **Skipped hour** (last Sunday of March, 01:00–01:59 does not exist): read with the offset
//!   before the gap (GMT), so 01:30 is 02:30 BST.

use chrono::{DateTime, Duration, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

/// The time zone of Alto's diary.
pub const DIARY_TIME_ZONE: Tz = chrono_tz::Europe::London;

/// The UK local wall-clock time of `instant`, as Alto's diary stores it.
///
/// ```
/// use alto::appointments::diary_time::to_local;
/// let summer: chrono::DateTime<chrono::Utc> = "2026-07-01T09:00:00Z".parse().unwrap();
/// assert_eq!(to_local(summer).to_string(), "2026-07-01 10:00:00"); // BST
/// ```
pub fn to_local(instant: DateTime<Utc>) -> NaiveDateTime {
    instant.with_timezone(&DIARY_TIME_ZONE).naive_local()
}

/// The instant a UK local diary time stands for (first occurrence in the repeated hour; offset
/// before the gap in the skipped hour).
///
/// ```
/// use alto::appointments::diary_time::from_local;
/// let local = chrono::NaiveDate::from_ymd_opt(2026, 10, 25).unwrap().and_hms_opt(1, 30, 0).unwrap();
/// assert_eq!(from_local(local).to_rfc3339(), "2026-10-25T00:30:00+00:00"); // the BST 01:30
/// ```
pub fn from_local(local: NaiveDateTime) -> DateTime<Utc> {
    match DIARY_TIME_ZONE.from_local_datetime(&local) {
        chrono::LocalResult::Single(t) => t.with_timezone(&Utc),
        chrono::LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        chrono::LocalResult::None => {
            // UK gaps last one hour; two hours earlier is before the gap.
            let before = DIARY_TIME_ZONE
                .offset_from_local_datetime(&(local - Duration::hours(2)))
                .earliest()
                .map(|o| o.fix().local_minus_utc())
                .unwrap_or(0);
            (local - Duration::seconds(i64::from(before))).and_utc()
        }
    }
}

/// The instant an appointment date in Alto's answer stands for: its digits are UK local time
/// (whatever offset the decoder assumed), so they are read again as such.
pub fn from_answer(answered: DateTime<Utc>) -> DateTime<Utc> {
    from_local(answered.naive_utc())
}

/// Whether `instant` survives the diary: false only for the second pass of the repeated
/// October hour (01:00–01:59 GMT), which the diary cannot tell from the first.
pub fn storable(instant: DateTime<Utc>) -> bool {
    from_local(to_local(instant)) == instant
}

/// A diary time as Alto's examples write it (`2024-05-27T10:30:00`, no offset).
pub(crate) fn local_text(instant: DateTime<Utc>) -> String {
    to_local(instant).format("%Y-%m-%dT%H:%M:%S").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn local(d: u32, m: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn gmt_and_bst_either_side_of_the_march_change() {
        assert_eq!(from_local(local(28, 3, 10, 0)), utc("2026-03-28T10:00:00Z"));
        assert_eq!(from_local(local(29, 3, 10, 0)), utc("2026-03-29T09:00:00Z"));
        assert_eq!(to_local(utc("2026-03-29T09:00:00Z")), local(29, 3, 10, 0));
    }

    #[test]
    fn the_skipped_hour_uses_the_offset_before_the_gap() {
        assert_eq!(from_local(local(29, 3, 1, 30)), utc("2026-03-29T01:30:00Z"));
        assert_eq!(to_local(utc("2026-03-29T01:30:00Z")), local(29, 3, 2, 30));
    }

    #[test]
    fn the_repeated_hour_is_its_first_occurrence_and_the_second_is_not_storable() {
        let first = utc("2026-10-25T00:30:00Z");
        let second = utc("2026-10-25T01:30:00Z");
        assert_eq!(to_local(first), local(25, 10, 1, 30));
        assert_eq!(to_local(second), local(25, 10, 1, 30));
        assert_eq!(from_local(local(25, 10, 1, 30)), first);
        assert!(storable(first));
        assert!(!storable(second));
        assert!(storable(utc("2026-10-25T02:30:00Z")));
    }

    #[test]
    fn answers_are_read_as_local_digits() {
        assert_eq!(
            from_answer(utc("2026-10-24T10:00:00Z")),
            utc("2026-10-24T09:00:00Z")
        );
        assert_eq!(
            local_text(utc("2026-10-24T09:00:00Z")),
            "2026-10-24T10:00:00"
        );
    }
}
