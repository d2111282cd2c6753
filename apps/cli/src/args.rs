//! Command-line arguments.

use std::path::PathBuf;

use alto::contacts::relationships::RelationshipType;
use alto::documents::MediaType;
use alto::file_notes::NewFileNoteType;
use alto::listings::ListingStatus;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::closed::closed;

/// Work with Zoopla's Alto CRM API. With no credentials set, `alto demo` runs on the embedded
/// simulator.
#[derive(Debug, Parser)]
#[command(name = "alto", version, about)]
pub struct Cli {
    /// Print machine-readable JSON instead of text; failures become one JSON object on stderr.
    #[arg(long, global = true)]
    pub json: bool,
    /// Log more (`-v` info, `-vv` debug, `-vvv` trace) or less (`-q`); `ALTO_LOG` wins when set.
    #[command(flatten)]
    pub verbosity: clap_verbosity_flag::Verbosity<clap_verbosity_flag::WarnLevel>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Alto's environments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EnvironmentArg {
    /// Alto's sandbox (no AgencyRef).
    Sandbox,
    /// Alto's production (an AgencyRef per agency).
    Production,
}

impl From<EnvironmentArg> for alto::Environment {
    fn from(e: EnvironmentArg) -> Self {
        match e {
            EnvironmentArg::Sandbox => alto::Environment::Sandbox,
            EnvironmentArg::Production => alto::Environment::Production,
        }
    }
}

/// Where calls go and as whom: on the commands that call Alto, and only there. Unset options
/// fall back to `ALTO_ENV`, `ALTO_API_URL` and `ALTO_TOKEN_URL`, read by the library's
/// `AltoClientBuilder::from_env_with` (the one place the environment is read); credentials
/// come from `ALTO_CLIENT_ID` and `ALTO_CLIENT_SECRET`.
#[derive(Debug, Clone, Default, Args)]
pub struct Connection {
    /// Alto environment [default: `ALTO_ENV`, else sandbox].
    #[arg(long = "env", value_enum, global = true)]
    pub environment: Option<EnvironmentArg>,
    /// API base URL [default: `ALTO_API_URL`, else the environment's Zoopla host].
    #[arg(long, global = true)]
    pub api_url: Option<String>,
    /// OAuth2 token URL [default: `ALTO_TOKEN_URL`, else `{api-url}/token`].
    #[arg(long, global = true)]
    pub token_url: Option<String>,
    /// The agency's AgencyRef (production only; ignored in sandbox).
    #[arg(long, env = "ALTO_AGENCY_REF", global = true, hide_env_values = true)]
    pub agency_ref: Option<String>,
}

/// A command that calls Alto: its connection options, then what to do.
#[derive(Debug, Args)]
pub struct Connected<C: Subcommand> {
    /// Connection options.
    #[command(flatten)]
    pub connection: Connection,
    /// What to do.
    #[command(subcommand)]
    pub command: C,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the whole seed workflow end to end: on the embedded simulator unless `--api-url` is
    /// given on the command line or `--live` (Alto's sandbox) is asked for.
    Demo(DemoArgs),
    /// Reference checks.
    ReferenceChecks(Connected<ReferenceChecksCommand>),
    /// Contacts.
    Contacts(Connected<ContactsCommand>),
    /// Property listings: filter, read, images, media links.
    Listings(Connected<ListingsCommand>),
    /// File notes: the history of contacts and properties.
    FileNotes(Connected<FileNotesCommand>),
    /// A record's documents: list and download.
    Documents(Connected<DocumentsCommand>),
    /// Diary appointments: sub-types, valuations, one appointment, rescheduling.
    Appointments(Connected<AppointmentsCommand>),
    /// Export a negotiator's or a property's appointments as iCalendar (.ics).
    Calendar(CalendarArgs),
    /// The spec pipeline.
    #[command(subcommand)]
    Spec(SpecCommand),
    /// The offline Alto simulator.
    #[command(subcommand)]
    Sim(SimCommand),
    /// The "Alto Settings" admin web app.
    #[command(subcommand)]
    Admin(alto_admin::cli::AdminCommand),
    /// Poll Alto for new reference checks of every production agency (the webhook fallback).
    Poll(PollCommand),
    /// Print a shell completion script (`alto completions bash > /etc/bash_completion.d/alto`).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// `alto poll`: connection options and the poller's own.
#[derive(Debug, Args)]
pub struct PollCommand {
    /// Connection options.
    #[command(flatten)]
    pub connection: Connection,
    /// The poller's options.
    #[command(flatten)]
    pub poll: alto_webhooks::cli::PollArgs,
}

/// Options of `alto demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Connection options (used with `--live` or `--api-url`).
    #[command(flatten)]
    pub connection: Connection,
    /// Use the embedded simulator (the default; kept for scripts that say so).
    #[arg(long, conflicts_with = "live")]
    pub simulator: bool,
    /// Run against Alto's sandbox with ALTO_CLIENT_ID/ALTO_CLIENT_SECRET instead of the
    /// simulator. Refused with `--env production`: the demo creates records.
    #[arg(long)]
    pub live: bool,
    /// Simulator fault injection: share of calls answered 503 (0.0–1.0).
    #[arg(long, default_value_t = 0.0)]
    pub fault_rate: f64,
    /// Simulator fault injection: share of calls delayed by a latency spike (0.0–1.0).
    #[arg(long, default_value_t = 0.0)]
    pub spike_rate: f64,
    /// Simulator fault injection: length of a latency spike in milliseconds.
    #[arg(long, default_value_t = 200)]
    pub spike_ms: u64,
    /// Simulator fault injection: seed of the random choices (for reproducible runs).
    #[arg(long, default_value_t = 7)]
    pub fault_seed: u64,
}

/// `alto reference-checks …`
#[derive(Debug, Subcommand)]
pub enum ReferenceChecksCommand {
    /// List reference checks created in a period.
    List {
        /// Created since: a duration back from now (`7d`, `12h`, `30m`) or a date (`2026-11-01`).
        #[arg(long, default_value = "7d")]
        since: String,
        /// Created until (same forms); default: now.
        #[arg(long)]
        until: Option<String>,
    },
    /// Mark a reference check Completed.
    Complete {
        /// The reference check id (a UUID).
        id: String,
    },
    /// Mark a reference check Pending.
    Reopen {
        /// The reference check id (a UUID).
        id: String,
    },
}

/// `alto contacts …`
#[derive(Debug, Subcommand)]
pub enum ContactsCommand {
    /// Create a contact of one person.
    Create {
        /// Branch id the contact belongs to.
        #[arg(long)]
        branch: i64,
        /// Surname (required by Alto).
        #[arg(long)]
        surname: String,
        /// Forename.
        #[arg(long)]
        forename: Option<String>,
        /// Email address.
        #[arg(long)]
        email: Option<String>,
        /// Mobile phone number.
        #[arg(long)]
        mobile: Option<String>,
    },
    /// Show a contact.
    Get {
        /// Contact id.
        id: i64,
    },
    // Listings, relationships, file notes, record documents
    /// Relate another contact to a contact (e.g. a tenant's guarantor). Safe to repeat.
    Relate {
        /// The contact (e.g. the tenant).
        contact: i64,
        /// The related contact (e.g. the guarantor).
        related: i64,
        /// Relationship type, as Alto names it.
        #[arg(long, default_value = "TenantGuarantor", value_parser = closed::<RelationshipType>(), ignore_case = true)]
        kind: RelationshipType,
    },
    /// List a contact's relationships.
    Relationships {
        /// Contact id.
        contact: i64,
        /// Only this relationship type; repeatable.
        #[arg(long, value_parser = closed::<RelationshipType>(), ignore_case = true)]
        kind: Vec<RelationshipType>,
    },
    /// Remove a relationship from a contact.
    Unrelate {
        /// Contact id.
        contact: i64,
        /// Relationship id (from `alto contacts relationships`).
        relationship: i64,
    },
}

// Listings, relationships, file notes, record documents

/// `alto listings …`
#[derive(Debug, Subcommand)]
pub enum ListingsCommand {
    /// List listings, most recently modified first.
    List {
        /// Only this status, as Alto names it.
        #[arg(long, value_parser = closed::<ListingStatus>(), ignore_case = true)]
        status: Option<ListingStatus>,
        /// Only this branch; repeatable.
        #[arg(long)]
        branch: Vec<i64>,
        /// Modified since: a duration back from now (`7d`, `12h`) or a date (`2026-11-01`).
        #[arg(long)]
        modified_since: Option<String>,
    },
    /// Show one listing, or several.
    Get {
        /// Property ids.
        #[arg(required = true)]
        ids: Vec<i64>,
    },
    /// List a listing's images, virtual tours and links.
    Images {
        /// Property id.
        property: i64,
    },
    /// Download one listing image.
    Image {
        /// Property id.
        property: i64,
        /// Image id (from `alto listings images`).
        image: i64,
        /// Size (default: Alto's).
        #[arg(long, value_enum)]
        size: Option<ImageSizeArg>,
        /// Where to write it.
        #[arg(long)]
        out: PathBuf,
    },
    /// Add a virtual tour or web link to a property. Safe to repeat.
    AddLink {
        /// Property id.
        property: i64,
        /// The link (absolute http or https URL).
        #[arg(long)]
        url: String,
        /// A web link instead of a virtual tour.
        #[arg(long)]
        web_link: bool,
        /// Description shown with the link.
        #[arg(long)]
        description: Option<String>,
    },
}

/// `alto file-notes …`
#[derive(Debug, Subcommand)]
pub enum FileNotesCommand {
    /// Add a file note to a contact's and/or a property's history.
    Add {
        /// Contact the note concerns; repeatable.
        #[arg(long, required_unless_present = "property")]
        contact: Vec<i64>,
        /// Property the note concerns.
        #[arg(long)]
        property: Option<i64>,
        /// The text.
        #[arg(long)]
        notes: String,
        /// Title (at most 50 characters).
        #[arg(long)]
        title: Option<String>,
        /// Kind, as Alto names it.
        #[arg(long, value_parser = closed::<NewFileNoteType>(), ignore_case = true)]
        kind: Option<NewFileNoteType>,
    },
    /// A contact's file notes, or a property's.
    Search {
        /// Contact id.
        #[arg(
            long,
            required_unless_present = "property",
            conflicts_with = "property"
        )]
        contact: Option<i64>,
        /// Property id (Alto answers its latest note).
        #[arg(long)]
        property: Option<i64>,
    },
    /// Replace a file note's title and/or text.
    Edit {
        /// File note id.
        id: i64,
        /// New title.
        #[arg(long)]
        title: Option<String>,
        /// New text.
        #[arg(long)]
        notes: Option<String>,
    },
}

/// `alto documents …`
#[derive(Debug, Subcommand)]
pub enum DocumentsCommand {
    /// List the documents of one record (name exactly one).
    List {
        /// A contact's documents.
        #[arg(long)]
        contact: Option<i64>,
        /// A property's documents.
        #[arg(long)]
        property: Option<i64>,
        /// A tenancy's documents.
        #[arg(long)]
        tenancy: Option<i64>,
        /// A works order's documents.
        #[arg(long)]
        work_order: Option<i64>,
        /// Only this media type.
        #[arg(long, value_parser = closed::<MediaType>(), ignore_case = true)]
        media_type: Option<MediaType>,
    },
    /// Download a document's content (streamed to disk).
    Download {
        /// Document id.
        id: i64,
        /// Where to write it (default: the file name Alto sends, in the current directory).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

// Appointments and calendar

/// `alto appointments …`
#[derive(Debug, Subcommand)]
pub enum AppointmentsCommand {
    /// List the sub-types of general appointments (their ids go into bookings).
    Types,
    /// List market appraisals (valuations) created in a period.
    Valuations {
        /// Created since: a duration back from now (`30d`, `12h`), a date or an RFC 3339 time.
        #[arg(long, default_value = "30d")]
        since: String,
        /// Created until (same forms); default: now.
        #[arg(long)]
        until: Option<String>,
        /// Only this negotiator's (repeatable).
        #[arg(long = "negotiator")]
        negotiators: Vec<i64>,
    },
    /// Show one appointment.
    Get {
        /// Appointment id.
        id: i64,
        /// Occurrence of a recurring general appointment (0 for any other).
        #[arg(long, default_value_t = 0)]
        instance: i32,
    },
    /// Move a viewing or a general appointment to a new time.
    Reschedule {
        /// Appointment id.
        id: i64,
        /// What it is (Alto has one route for each).
        #[arg(long, value_enum)]
        kind: RescheduleKind,
        /// New start: UK local time (`2026-10-26T10:00`) or an RFC 3339 time with offset.
        #[arg(long)]
        start: String,
        /// New end (same forms).
        #[arg(long)]
        end: String,
    },
}

/// The sizes of a listing image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImageSizeArg {
    /// For a screen.
    Screen,
    /// A thumbnail.
    Thumbnail,
    /// A tile.
    Tile,
}

impl From<ImageSizeArg> for alto::listings::ImageSize {
    fn from(size: ImageSizeArg) -> Self {
        match size {
            ImageSizeArg::Screen => Self::Screen,
            ImageSizeArg::Thumbnail => Self::Thumbnail,
            ImageSizeArg::Tile => Self::Tile,
        }
    }
}

/// Which kind of appointment `alto appointments reschedule` moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RescheduleKind {
    /// A viewing.
    Viewing,
    /// A general appointment.
    General,
}

/// Options of `alto calendar`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("whose").required(true).args(["negotiator", "property"])))]
pub struct CalendarArgs {
    /// Connection options.
    #[command(flatten)]
    pub connection: Connection,
    /// A negotiator's diary.
    #[arg(long)]
    pub negotiator: Option<i64>,
    /// A property's appointments (reads every negotiator's diary).
    #[arg(long)]
    pub property: Option<i64>,
    /// From: a UK local date (`2026-10-19`, midnight) or time, or an RFC 3339 time.
    #[arg(long)]
    pub from: String,
    /// To (same forms).
    #[arg(long)]
    pub to: String,
    /// Write the .ics here instead of standard output.
    #[arg(long)]
    pub output: Option<PathBuf>,
}

/// `alto spec …`
#[derive(Debug, Subcommand)]
pub enum SpecCommand {
    /// Import Zoopla's OpenAPI document as the vendored facts-only spec, with the drift report
    /// against the spec this build was made from.
    Import {
        /// Zoopla's document (alto-api-openapi.json).
        upstream: PathBuf,
        /// Where the facts-only spec goes.
        #[arg(long, default_value = "openapi/alto.json")]
        out: PathBuf,
    },
    /// The drift report between two documents (Zoopla's or facts-only): every change located,
    /// traced to the operations it reaches, classified breaking or compatible.
    Diff {
        /// The document the client was built from.
        old: PathBuf,
        /// The document to compare it with.
        new: PathBuf,
    },
}

/// `alto sim …`
#[derive(Debug, Subcommand)]
pub enum SimCommand {
    /// Serve the simulator over HTTP until interrupted.
    Serve {
        /// Port on 127.0.0.1 (0 picks a free one).
        #[arg(long, default_value_t = 8787)]
        port: u16,
        /// Production mode with these agencies (`AgencyRef=Name`, the AgencyRef a GUID:
        /// `--agency 0f8fad5b-d9cb-469f-a165-70867728950e=Acme`; repeatable); default: sandbox.
        #[arg(long = "agency")]
        agencies: Vec<String>,
        /// Share of calls answered 503 (0.0–1.0).
        #[arg(long, default_value_t = 0.0)]
        error_rate: f64,
        /// Share of calls delayed by a latency spike (0.0–1.0).
        #[arg(long, default_value_t = 0.0)]
        spike_rate: f64,
        /// Length of a latency spike in milliseconds.
        #[arg(long, default_value_t = 200)]
        spike_ms: u64,
        /// Share of calls whose connection is closed without an answer (0.0–1.0).
        #[arg(long, default_value_t = 0.0)]
        reset_rate: f64,
        /// Token lifetime in seconds.
        #[arg(long, default_value_t = 3600)]
        token_lifetime_secs: u64,
        /// Seed of the fault injection's random choices.
        #[arg(long, default_value_t = 7)]
        fault_seed: u64,
        /// Check every answer against the vendored spec; a departure is logged and answered
        /// 500 "simulator strict mode: ...".
        #[arg(long)]
        strict: bool,
    },
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    /// Every option read from an environment variable that can hold a secret (a database URL
    /// carries its password) or an AgencyRef keeps that variable's value out of `--help`.
    #[test]
    fn secret_environment_values_stay_out_of_help() {
        fn walk(command: &clap::Command, path: &str, checked: &mut Vec<String>) {
            for arg in command.get_arguments() {
                let Some(env) = arg.get_env().and_then(|e| e.to_str()) else {
                    continue;
                };
                let sensitive = ["DATABASE_URL", "SECRET", "PASSWORD", "AGENCY_REF"]
                    .iter()
                    .any(|word| env.contains(word));
                if sensitive {
                    assert!(
                        arg.is_hide_env_values_set(),
                        "`{path} --{}` shows ${env} in its help",
                        arg.get_id()
                    );
                    checked.push(format!("{path} {env}"));
                }
            }
            for sub in command.get_subcommands() {
                walk(sub, &format!("{path} {}", sub.get_name()), checked);
            }
        }
        let mut checked = Vec::new();
        walk(&Cli::command(), "alto", &mut checked);
        assert!(
            checked.iter().any(|c| c == "alto poll DATABASE_URL"),
            "the walk reached `alto poll`: {checked:?}"
        );
        assert!(checked.iter().any(|c| c == "alto admin serve DATABASE_URL"));
    }
}
