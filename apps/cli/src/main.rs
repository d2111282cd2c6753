//! `alto`: the command-line face of the Alto toolkit.

mod args;
mod closed;
mod commands;
mod connect;
mod demo;
mod output;
mod simulator;
mod telemetry;
mod when;

use clap::{CommandFactory, FromArgMatches};

use crate::args::{Cli, Command};
use crate::output::Failure;

fn main() -> std::process::ExitCode {
    // `--json` is known before parsing, so even a wrong command line answers in JSON.
    let json = std::env::args_os().any(|a| a == "--json");
    let cli = match Cli::command()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m))
    {
        Ok(cli) => cli,
        Err(e) if json && e.use_stderr() => {
            let message = e.render().to_string();
            let first = message.lines().next().unwrap_or("invalid command line");
            let first = first.trim_start_matches("error: ").to_string();
            return Failure::usage(first, Some("see `alto --help`")).report(true);
        }
        Err(e) => e.exit(),
    };
    let level = cli.verbosity.tracing_level_filter().to_string();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ALTO_LOG")
                .unwrap_or_else(|_| level.into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            return Failure::new(format!("could not start the async runtime: {e}"), None)
                .report(json)
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(failure) => failure.report(json),
    }
}

async fn run(cli: Cli) -> Result<(), Failure> {
    let json = cli.json;
    match cli.command {
        Command::Demo(args) => demo::run(&args, json).await,
        Command::ReferenceChecks(c) => {
            commands::reference_checks::run(&c.connection, c.command, json).await
        }
        Command::Contacts(c) => commands::contacts::run(&c.connection, c.command, json).await,
        Command::Listings(c) => commands::listings::run(&c.connection, c.command, json).await,
        Command::FileNotes(c) => commands::file_notes::run(&c.connection, c.command, json).await,
        Command::Documents(c) => commands::documents::run(&c.connection, c.command, json).await,
        Command::Appointments(c) => {
            commands::appointments::run(&c.connection, c.command, json).await
        }
        Command::Calendar(args) => commands::calendar::run(args).await,
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
        Command::Poll(c) => {
            let client = connect::client(&c.connection, None)?;
            alto_webhooks::cli::run_with_metrics(c.poll, client, telemetry::install())
                .await
                .map_err(|e| Failure::new(format!("{e:#}"), Some("see `alto poll --help`")))
        }
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "alto", &mut std::io::stdout());
            Ok(())
        }
    }
}
