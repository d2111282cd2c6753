//! `alto poll`: run the poller from the command line, with a progress bar over agencies. Changes
//! go to the store's inbox, exactly once (see [`crate::poller::inbox`]); with `--consume` the
//! open inbox rows are then printed one per line
//! (`resource<TAB>agency<TAB>alto id<TAB>time<TAB>detail`: a check's status, whether a contact
//! was created or edited)
//! and marked consumed.

use std::io::Write;
use std::net::SocketAddr;
use std::time::Duration;

use alto::{AltoClient, Environment};
use alto_store::{Store, DEFAULT_DATABASE_URL};
use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use tokio::sync::watch;

use crate::ops::{health_routes, metrics_routes, shutdown_signal, PollerHealth, RenderMetrics};

use crate::poller::{inbox, AgencyOutcome, Change, Poller, PollerConfig, Resource};

/// Options of `alto poll`.
#[derive(Debug, Clone, clap::Args)]
pub struct PollArgs {
    /// The Alto Settings store (agencies, marks, leases): sqlite://PATH?mode=rwc or postgres://…
    // Hidden env value: a PostgreSQL URL carries its password.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, hide_env_values = true)]
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
    /// What to poll (comma-separated).
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "reference-checks"
    )]
    pub resources: Vec<Resource>,
    /// This instance's name in agency leases (default: random per process). A restart under the
    /// same name resumes its agencies at once instead of waiting for its old leases to expire;
    /// two live instances must not share a name.
    #[arg(long)]
    pub holder: Option<String>,
    /// How long an agency lease lasts, in seconds: a dead instance's agencies are polled by
    /// another after this.
    #[arg(long, default_value_t = 300)]
    pub lease_seconds: u64,
    /// After each poll, print the open inbox rows and mark them consumed (a row printed just
    /// before the process dies is printed again next time).
    #[arg(long)]
    pub consume: bool,
    /// Serve /healthz and /readyz on this address (e.g. 127.0.0.1:9101).
    #[arg(long)]
    pub health_addr: Option<SocketAddr>,
    /// Serve Prometheus metrics at /metrics on this address, without authentication: bind it
    /// to loopback or a private network only.
    #[arg(long)]
    pub metrics_addr: Option<SocketAddr>,
}

/// Runs `alto poll` with `client` (built from the command line and the environment by
/// `AltoClientBuilder::from_env_with`).
pub async fn run(args: PollArgs, client: AltoClient) -> anyhow::Result<()> {
    run_with_metrics(args, client, None).await
}

/// Like [`run`]; `metrics` renders the process' metrics for `--metrics-addr` (required there).
///
/// SIGTERM or Ctrl-C stops it gracefully: no new agency is started, those in progress finish
/// (inbox, mark, lease release), the endpoints stop, and it returns `Ok`.
pub async fn run_with_metrics(
    args: PollArgs,
    client: AltoClient,
    metrics: Option<RenderMetrics>,
) -> anyhow::Result<()> {
    let (stop_tx, stop) = watch::channel(false);
    let signal = shutdown_signal();
    tokio::spawn(async move {
        signal.await;
        eprintln!("stopping: finishing the agencies in progress");
        let _ = stop_tx.send(true);
    });
    let environment = client.default_environment();
    let store = Store::connect(&args.database_url).await?;
    let health = PollerHealth::new(store.clone());
    let mut servers = Vec::new();
    if let Some(addr) = args.health_addr {
        servers.push(serve_on(addr, health_routes(health.clone()), stop.clone()).await?);
    }
    if let Some(addr) = args.metrics_addr {
        let Some(render) = metrics else {
            anyhow::bail!("--metrics-addr: this build has no metrics recorder");
        };
        servers.push(serve_on(addr, metrics_routes(render), stop.clone()).await?);
    }
    let poll_defaults = PollerConfig::default();
    let config = PollerConfig {
        holder: args.holder.clone().unwrap_or(poll_defaults.holder),
        lease_for: Duration::from_secs(args.lease_seconds.max(1)),
        concurrency: args.concurrency.max(1),
        sandbox: args.sandbox || environment == Environment::Sandbox,
        resources: args.resources.clone(),
        ..poll_defaults
    };
    let poller = Poller::to_inbox(client, store.clone(), config);
    let mut stopping = stop.clone();
    let result = async {
        loop {
            match poll_with_progress(&poller, stop.clone()).await {
                Ok(()) => health.set_store_reachable(true),
                Err(e) if !args.once => {
                    health.set_store_reachable(false);
                    eprintln!("poll failed: {e:#}");
                }
                Err(e) => return Err(e),
            }
            if args.consume {
                print_and_consume(&store, &args.resources).await?;
            }
            if args.once || *stopping.borrow() {
                return Ok(());
            }
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_secs(args.interval.max(1))) => {}
                _ = stopping.changed() => return Ok(()),
            }
        }
    }
    .await;
    // The endpoints stop with the poller (on a signal they have been told already).
    for server in servers {
        server.abort();
    }
    store.close().await;
    result
}

/// Serves `router` on `addr` until `stop` turns true.
async fn serve_on(
    addr: SocketAddr,
    router: axum::Router,
    mut stop: watch::Receiver<bool>,
) -> anyhow::Result<tokio::task::JoinHandle<()>> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    Ok(tokio::spawn(async move {
        let stopped = async move {
            let _ = stop.wait_for(|stop| *stop).await;
        };
        if let Err(e) = axum::serve(listener, router)
            .with_graceful_shutdown(stopped)
            .await
        {
            tracing::error!(error = %e, "the health or metrics endpoint stopped");
        }
    }))
}

async fn poll_with_progress(poller: &Poller, stop: watch::Receiver<bool>) -> anyhow::Result<()> {
    let (targets, unusable) = poller.targets().await?;
    let bar = ProgressBar::new((targets.len() + unusable.len()) as u64);
    bar.set_style(
        ProgressStyle::with_template("{spinner} polling agencies {pos}/{len} {wide_bar} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let reports = poller
        .run_once_until(
            |report| {
                bar.inc(1);
                bar.set_message(report.key.clone());
            },
            Some(stop),
        )
        .await?;
    bar.finish_and_clear();
    let (mut handed, mut repeated, mut leased, mut failed) = (0, 0, 0, 0);
    for report in &reports {
        match &report.outcome {
            AgencyOutcome::Polled {
                handed: h,
                already_in_inbox: r,
            } => {
                handed += h;
                repeated += r;
            }
            AgencyOutcome::Leased => leased += 1,
            AgencyOutcome::Failed(why) => {
                failed += 1;
                eprintln!("agency {}: {why}", report.key);
            }
        }
    }
    eprintln!(
        "{} agencies: {handed} new changes in the inbox ({repeated} there already), \
         {leased} polled by another instance, {failed} failed",
        reports.len()
    );
    Ok(())
}

async fn print_and_consume(store: &Store, resources: &[Resource]) -> anyhow::Result<()> {
    for resource in resources {
        loop {
            let open = inbox::open(store, resource.name(), 500).await?;
            if open.is_empty() {
                break;
            }
            let mut out = std::io::stdout().lock();
            for entry in &open {
                let change = Change::from_json(*resource, &entry.body)?;
                let at = change.at().map(|t| t.to_rfc3339()).unwrap_or_default();
                writeln!(
                    out,
                    "{}\t{}\t{}\t{at}\t{}",
                    resource.name(),
                    entry.agency_key,
                    entry.alto_id(),
                    detail(&change),
                )?;
            }
            out.flush()?;
            drop(out);
            for entry in &open {
                inbox::consume(store, entry).await?;
            }
        }
    }
    Ok(())
}

/// What a printed line says of a change besides its id and time: a check's status; whether a
/// contact was created or edited.
fn detail(change: &Change) -> String {
    match change {
        Change::ReferenceCheck(check) => check.status.map(|s| s.to_string()).unwrap_or_default(),
        Change::Contact(contact) => match (contact.created_at, contact.modified_at) {
            (Some(created), Some(modified)) if modified > created => "edited".into(),
            _ => "created".into(),
        },
    }
}
