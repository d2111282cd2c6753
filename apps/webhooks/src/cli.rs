//! `alto poll`: run the reference-check poller from the command line, with a progress bar over
//! agencies. New checks are printed one per line (`agency<TAB>id<TAB>created<TAB>status`).

use std::io::Write;
use std::time::Duration;

use alto::{AltoClient, Credentials, Endpoints, Environment};
use alto_admin::{Store, DEFAULT_DATABASE_URL};
use indicatif::{ProgressBar, ProgressStyle};

use crate::poller::{AgencyOutcome, PollTarget, Poller, PollerConfig};

/// Options of `alto poll`.
#[derive(Debug, Clone, clap::Args)]
pub struct PollArgs {
    /// The Alto Settings store (agencies, marks, leases): sqlite://PATH?mode=rwc or postgres://…
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,
    /// Poll every agency once and exit (default: keep polling).
    #[arg(long)]
    pub once: bool,
    /// Agencies polled at once.
    #[arg(long, default_value_t = 4)]
    pub concurrency: usize,
    /// Seconds between polls when not --once.
    #[arg(long, default_value_t = 60)]
    pub interval: u64,
    /// Also poll the sandbox (needs sandbox credentials; with --env sandbox it is the only target).
    #[arg(long)]
    pub sandbox: bool,
}

/// Where to connect: the global `--env`, `--api-url` and `--token-url` of the `alto` command.
#[derive(Debug, Clone, Default)]
pub struct Connection {
    /// `sandbox` or `production`.
    pub environment: String,
    /// API base URL override.
    pub api_url: Option<String>,
    /// Token URL override.
    pub token_url: Option<String>,
}

/// Runs `alto poll`. Credentials come from `ALTO_CLIENT_ID` / `ALTO_CLIENT_SECRET`.
pub async fn run(args: PollArgs, connection: Connection) -> anyhow::Result<()> {
    let environment: Environment = connection
        .environment
        .parse()
        .map_err(|e| anyhow::anyhow!("--env: {e}"))?;
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    let (Some(id), Some(secret)) = (var("ALTO_CLIENT_ID"), var("ALTO_CLIENT_SECRET")) else {
        anyhow::bail!("set ALTO_CLIENT_ID and ALTO_CLIENT_SECRET to poll Alto");
    };
    let defaults = Endpoints::of(environment);
    let api_url = connection.api_url.unwrap_or(defaults.api_url);
    let token_url = connection
        .token_url
        .unwrap_or_else(|| format!("{}/token", api_url.trim_end_matches('/')));
    let client = AltoClient::builder()
        .environment(
            environment,
            Endpoints::custom(api_url, token_url)?,
            Credentials::new(id, secret),
        )
        .build()?;
    let store = Store::connect(&args.database_url).await?;
    let config = PollerConfig {
        concurrency: args.concurrency.max(1),
        sandbox: args.sandbox || environment == Environment::Sandbox,
        ..PollerConfig::default()
    };
    let poller = Poller::new(client, store, config, print_checks);
    loop {
        poll_with_progress(&poller).await?;
        if args.once {
            return Ok(());
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(args.interval.max(1))) => {}
            _ = tokio::signal::ctrl_c() => return Ok(()),
        }
    }
}

async fn poll_with_progress(poller: &Poller) -> anyhow::Result<()> {
    let (targets, unusable) = poller.targets().await?;
    let bar = ProgressBar::new((targets.len() + unusable.len()) as u64);
    bar.set_style(
        ProgressStyle::with_template("{spinner} polling agencies {pos}/{len} {wide_bar} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let reports = poller
        .run_once(|report| {
            bar.inc(1);
            bar.set_message(report.key.clone());
        })
        .await?;
    bar.finish_and_clear();
    let (mut handed, mut leased, mut failed) = (0, 0, 0);
    for report in &reports {
        match &report.outcome {
            AgencyOutcome::Polled(n) => handed += n,
            AgencyOutcome::Leased => leased += 1,
            AgencyOutcome::Failed(why) => {
                failed += 1;
                eprintln!("agency {}: {why}", report.key);
            }
        }
    }
    eprintln!(
        "{} agencies: {handed} new reference checks, {leased} polled by another instance, {failed} failed",
        reports.len()
    );
    Ok(())
}

async fn print_checks(
    target: PollTarget,
    checks: Vec<alto::reference_checks::ReferenceCheck>,
) -> Result<(), crate::HandlerError> {
    let mut out = std::io::stdout().lock();
    for check in checks {
        writeln!(
            out,
            "{}\t{}\t{}\t{}",
            target.key,
            check
                .reference_check_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            check
                .created_date
                .map(|t| t.to_rfc3339())
                .unwrap_or_default(),
            check.status.map(|s| s.to_string()).unwrap_or_default(),
        )?;
    }
    out.flush()?;
    Ok(())
}
