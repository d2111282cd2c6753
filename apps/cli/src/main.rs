//! `alto`: the command-line face of the Alto toolkit.

mod args;
mod commands;
mod connect;
mod demo;
mod output;
mod simulator;
mod telemetry;
mod when;

use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory, FromArgMatches};

use crate::args::{Cli, Command};
use crate::output::Failure;

fn main() -> std::process::ExitCode {
    let matches = Cli::command().get_matches();
    let mut cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    cli.connection.api_url_on_command_line = typed_on_command_line(&matches, "api_url");
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ALTO_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            return Failure::new(format!("could not start the async runtime: {e}"), None).report()
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

/// Whether the global option `id` was typed on the command line (before or after a
/// subcommand), rather than taken from its environment variable or default.
fn typed_on_command_line(matches: &ArgMatches, id: &str) -> bool {
    matches.value_source(id) == Some(ValueSource::CommandLine)
        || matches
            .subcommand()
            .is_some_and(|(_, sub)| typed_on_command_line(sub, id))
}

async fn run(cli: Cli) -> Result<(), Failure> {
    let json = cli.json;
    match cli.command {
        Command::Demo(args) => demo::run(&cli.connection, &args, json).await,
        Command::ReferenceChecks(cmd) => {
            commands::reference_checks::run(&cli.connection, cmd, json).await
        }
        Command::Contacts(cmd) => commands::contacts::run(&cli.connection, cmd, json).await,
        // Listings, relationships, file notes, record documents
        Command::Listings(cmd) => commands::listings::run(&cli.connection, cmd, json).await,
        Command::FileNotes(cmd) => commands::file_notes::run(&cli.connection, cmd, json).await,
        Command::Documents(cmd) => commands::documents::run(&cli.connection, cmd, json).await,
        Command::Appointments(cmd) => commands::appointments::run(&cli.connection, cmd, json).await,
        Command::Calendar(args) => commands::calendar::run(&cli.connection, args).await,
        Command::Spec(cmd) => commands::spec::run(cmd, json),
        Command::Sim(cmd) => commands::sim::run(cmd).await,
        Command::Admin(cmd) => {
            let metrics = matches!(cmd, alto_admin::cli::AdminCommand::Serve { .. })
                .then(telemetry::install)
                .flatten();
            alto_admin::cli::run_serving(cmd, commands::receiver::routes, metrics)
                .await
                .map_err(|e| Failure::new(e.to_string(), Some("see `alto admin --help`")))
        }
        Command::Poll(args) => alto_webhooks::cli::run_with_metrics(
            args,
            alto_webhooks::cli::Connection {
                environment: cli.connection.environment.clone(),
                api_url: cli.connection.api_url.clone(),
                token_url: cli.connection.token_url.clone(),
            },
            telemetry::install(),
        )
        .await
        .map_err(|e| Failure::new(format!("{e:#}"), Some("see `alto poll --help`"))),
    }
}
