//! `alto reference-checks list|complete|reopen`.

use alto::reference_checks::{DateRange, ReferenceCheckStatus};
use futures::TryStreamExt;

use crate::args::{Connection, ReferenceChecksCommand};
use crate::output::{print_json, Failure};
use crate::when::parse_instant;

/// Runs the command.
pub async fn run(
    connection: &Connection,
    command: ReferenceChecksCommand,
    json: bool,
) -> Result<(), Failure> {
    let agency = crate::connect::agency(connection, None)?;
    match command {
        ReferenceChecksCommand::List { since, until } => {
            let now = chrono::Utc::now();
            let range = DateRange {
                from: Some(parse_instant(&since, now)?),
                to: until.map(|u| parse_instant(&u, now)).transpose()?,
            };
            let progress =
                indicatif::ProgressBar::new_spinner().with_message("fetching reference checks");
            let checks = agency.reference_checks();
            let mut stream = std::pin::pin!(checks.list(range));
            let mut all = Vec::new();
            while let Some(check) = stream.try_next().await? {
                all.push(check);
                progress.set_message(format!("{} reference checks", all.len()));
                progress.tick();
            }
            progress.finish_and_clear();
            if json {
                return print_json(&all);
            }
            println!(
                "{} reference checks created since {}",
                all.len(),
                range.from.map(|f| f.to_rfc3339()).unwrap_or_default()
            );
            for c in &all {
                println!(
                    "  {}  {:<9}  tenancy {:<6}  created {}",
                    c.reference_check_id
                        .map(|i| i.to_string())
                        .unwrap_or_else(|| "-".into()),
                    c.status
                        .map(|s| s.to_string())
                        .unwrap_or_else(|| "-".into()),
                    c.tenancy_id
                        .map(|t| t.to_string())
                        .unwrap_or_else(|| "-".into()),
                    c.created_date
                        .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
                        .unwrap_or_default(),
                );
            }
            Ok(())
        }
        ReferenceChecksCommand::Complete { id } => {
            set(&agency, &id, ReferenceCheckStatus::Completed, json).await
        }
        ReferenceChecksCommand::Reopen { id } => {
            set(&agency, &id, ReferenceCheckStatus::Pending, json).await
        }
    }
}

async fn set(
    agency: &alto::AgencyClient,
    id: &str,
    status: ReferenceCheckStatus,
    json: bool,
) -> Result<(), Failure> {
    let check = uuid::Uuid::parse_str(id.trim()).map_err(|_| {
        Failure::new(
            format!("{id:?} is not a reference check id"),
            Some("reference check ids are UUIDs; list them with `alto reference-checks list`"),
        )
    })?;
    agency.reference_checks().set_status(check, status).await?;
    if json {
        print_json(&serde_json::json!({ "referenceCheckId": check, "status": status.to_string() }))
    } else {
        println!("reference check {check} is now {status}");
        Ok(())
    }
}
