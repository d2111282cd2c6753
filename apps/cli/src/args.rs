//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Work with Zoopla's Alto CRM API. With no credentials set, `alto demo` runs on the embedded
/// simulator.
#[derive(Debug, Parser)]
#[command(name = "alto", version, about)]
pub struct Cli {
    /// Connection options.
    #[command(flatten)]
    pub connection: Connection,
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Where calls go and as whom.
#[derive(Debug, Clone, Args)]
pub struct Connection {
    /// Alto environment: sandbox or production.
    #[arg(
        long = "env",
        env = "ALTO_ENV",
        global = true,
        default_value = "sandbox"
    )]
    pub environment: String,
    /// API base URL (default: the environment's Zoopla host).
    #[arg(long, env = "ALTO_API_URL", global = true)]
    pub api_url: Option<String>,
    /// OAuth2 token URL (default: `{api-url}/token`).
    #[arg(long, env = "ALTO_TOKEN_URL", global = true)]
    pub token_url: Option<String>,
    /// The agency's AgencyRef (production only; ignored in sandbox).
    #[arg(long, env = "ALTO_AGENCY_REF", global = true)]
    pub agency_ref: Option<String>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the whole seed workflow end to end (on the embedded simulator unless
    /// ALTO_CLIENT_ID/ALTO_CLIENT_SECRET are set).
    Demo(DemoArgs),
    /// Reference checks.
    #[command(subcommand)]
    ReferenceChecks(ReferenceChecksCommand),
    /// Contacts.
    #[command(subcommand)]
    Contacts(ContactsCommand),
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
    Poll(alto_webhooks::cli::PollArgs),
}

/// Options of `alto demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Use the embedded simulator even when credentials are set.
    #[arg(long)]
    pub simulator: bool,
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
}

/// `alto spec …`
#[derive(Debug, Subcommand)]
pub enum SpecCommand {
    /// Import Zoopla's OpenAPI document as the vendored facts-only spec, with a drift report.
    Import {
        /// Zoopla's document (alto-api-openapi.json).
        upstream: PathBuf,
        /// Where the facts-only spec goes.
        #[arg(long, default_value = "openapi/alto.json")]
        out: PathBuf,
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
        /// Production mode with these agencies (`AgencyRef=Name`, repeatable); default: sandbox.
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
    },
}
