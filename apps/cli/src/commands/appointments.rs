//! `alto appointments types|valuations|get|reschedule`.

use alto::appointments::diary_time::{from_local, to_local};
use alto::appointments::{Appointment, AppointmentLinks, DiarySlot, ValuationFilter};
use alto::ids::{AppointmentId, NegotiatorId};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use futures::TryStreamExt;

use crate::args::{AppointmentsCommand, Connection, RescheduleKind};
use crate::output::{print_json, Failure};
use crate::when::parse_instant;

/// Runs the command.
pub async fn run(
    connection: &Connection,
    command: AppointmentsCommand,
    json: bool,
) -> Result<(), Failure> {
    let agency = crate::connect::agency(connection, None)?;
    let appointments = agency.appointments();
    match command {
        AppointmentsCommand::Types => {
            let types = appointments.sub_types().await?;
            if json {
                return print_json(&types);
            }
            for t in types {
                println!("{:>6}  {}", t.id, t.name);
            }
            Ok(())
        }
        AppointmentsCommand::Valuations {
            since,
            until,
            negotiators,
        } => {
            let now = Utc::now();
            let from = parse_instant(&since, now)?;
            let to = until.map(|u| parse_instant(&u, now)).transpose()?;
            let filter = negotiators
                .into_iter()
                .fold(ValuationFilter::created(from, to.unwrap_or(now)), |f, n| {
                    f.negotiator(NegotiatorId::new(n))
                });
            let all: Vec<Appointment> = appointments.valuations(filter).try_collect().await?;
            if json {
                return print_json(&all);
            }
            println!("{} market appraisals created since {from}", all.len());
            for a in &all {
                println!("{}", line(a));
            }
            Ok(())
        }
        AppointmentsCommand::Get { id, instance } => {
            let a = appointments.get(AppointmentId::new(id), instance).await?;
            if json {
                return print_json(&a);
            }
            println!("{}", line(&a));
            let links = AppointmentLinks::of(&a);
            let list = |ids: Vec<String>| {
                if ids.is_empty() {
                    "-".to_string()
                } else {
                    ids.join(", ")
                }
            };
            println!(
                "  negotiators: {}",
                list(links.negotiators.iter().map(|n| n.to_string()).collect())
            );
            println!(
                "  contacts:    {}",
                list(links.contacts.iter().map(|c| c.to_string()).collect())
            );
            println!(
                "  properties:  {}",
                list(links.properties.iter().map(|p| p.to_string()).collect())
            );
            Ok(())
        }
        AppointmentsCommand::Reschedule {
            id,
            kind,
            start,
            end,
        } => {
            let (start, end) = (parse_uk_time(&start)?, parse_uk_time(&end)?);
            let id = AppointmentId::new(id);
            match kind {
                RescheduleKind::Viewing => appointments.reschedule_viewing(id, start, end).await?,
                RescheduleKind::General => appointments.reschedule_general(id, start, end).await?,
            }
            if json {
                return print_json(&serde_json::json!({
                    "appointmentId": id,
                    "start": start,
                    "end": end,
                }));
            }
            println!(
                "moved appointment {id} to {} – {} (UK time)",
                to_local(start).format("%a %d %b %Y %H:%M"),
                to_local(end).format("%H:%M")
            );
            Ok(())
        }
    }
}

/// One appointment as a line: id, kind, UK local start and end, title.
fn line(a: &Appointment) -> String {
    let when = DiarySlot::of(a)
        .map(|s| {
            format!(
                "{} – {}",
                to_local(s.start).format("%Y-%m-%d %H:%M"),
                to_local(s.end).format("%H:%M")
            )
        })
        .unwrap_or_else(|| "no time".into());
    format!(
        "{:>8}  {:<10} {when}  {}{}",
        a.id.map(|i| i.to_string()).unwrap_or_default(),
        a.type_.map(|t| t.to_string()).unwrap_or_default(),
        a.title.as_deref().unwrap_or(""),
        if a.is_cancelled == Some(true) {
            " (cancelled)"
        } else {
            ""
        }
    )
}

/// A time as people type it for the UK diary: `2026-10-26T10:00` (UK local), a date (UK local
/// midnight) or an RFC 3339 time with an offset.
pub fn parse_uk_time(text: &str) -> Result<DateTime<Utc>, Failure> {
    let t = text.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return Ok(d.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(local) = NaiveDateTime::parse_from_str(t, format) {
            return Ok(from_local(local));
        }
    }
    if let Ok(date) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(from_local(date.and_hms_opt(0, 0, 0).expect("midnight")));
    }
    Err(Failure::new(
        format!("{text:?} is not a time"),
        Some("use UK local time (2026-10-26T10:00), a date (2026-10-26) or an RFC 3339 time"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uk_local_times_dates_and_offsets() {
        let at = |s: &str| parse_uk_time(s).unwrap().to_rfc3339();
        assert_eq!(at("2026-07-01T10:00"), "2026-07-01T09:00:00+00:00");
        assert_eq!(at("2026-12-01T10:00"), "2026-12-01T10:00:00+00:00");
        assert_eq!(at("2026-07-01"), "2026-06-30T23:00:00+00:00");
        assert_eq!(at("2026-07-01T10:00:00+02:00"), "2026-07-01T08:00:00+00:00");
        assert!(parse_uk_time("next week").is_err());
    }
}
