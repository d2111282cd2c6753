//! `alto calendar --negotiator N | --property P --from … --to … [--output file.ics]`.

use alto::ids::{NegotiatorId, PropertyId};

use crate::args::CalendarArgs;
use crate::commands::appointments::parse_uk_time;
use crate::output::Failure;

/// Runs the command: the .ics goes to `--output` (with a one-line summary on stdout) or stdout.
pub async fn run(args: CalendarArgs) -> Result<(), Failure> {
    let agency = crate::connect::agency(&args.connection, None)?;
    let (from, to) = (parse_uk_time(&args.from)?, parse_uk_time(&args.to)?);
    let export = agency.calendar();
    let ics = match (args.negotiator, args.property) {
        (Some(n), _) => export.negotiator(NegotiatorId::new(n), from, to).await?,
        (None, Some(p)) => export.property(PropertyId::new(p), from, to).await?,
        (None, None) => unreachable!("clap requires --negotiator or --property"),
    };
    match args.output {
        Some(path) => {
            std::fs::write(&path, &ics).map_err(|e| {
                Failure::new(
                    format!("could not write {}: {e}", path.display()),
                    Some("check the --output path"),
                )
            })?;
            let events = ics.matches("BEGIN:VEVENT").count();
            println!("wrote {events} appointments to {}", path.display());
        }
        None => print!("{ics}"),
    }
    Ok(())
}
