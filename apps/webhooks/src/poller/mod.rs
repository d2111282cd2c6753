//! The polling fallback: for agencies (or data) without webhooks, poll Alto for new reference
//! checks, agency by agency, and hand each one to the app once.
//!
//! - Agencies: production agencies with an `AgencyRef` from Alto Settings (not deactivated), and
//!   the sandbox when configured.
//! - Bounded concurrency (`buffer_unordered`), one lease per agency ([`lease`]) so several
//!   instances can run side by side, and a persisted high-water mark per agency ([`mark`]) so a
//!   restart resumes where it stopped.
//! - Hand-off, then mark: an agency's new checks go to the app's sink, and only when the sink
//!   returned `Ok` is the mark saved. Each agency's step runs as its own task, so cancelling a
//!   poll (dropping it, aborting its task) never stops a step between hand-off and mark.
//!   The at-least-once boundary: if the sink fails, or the process is killed between hand-off and
//!   mark, those checks are handed over again next time. Make the sink idempotent by id if that
//!   matters.

pub mod lease;
pub mod mark;

use std::sync::Arc;
use std::time::Duration;

use alto::reference_checks::{DateRange, ReferenceCheck};
use alto::{AgencyClient, AltoClient, Environment};
use alto_admin::{Store, StoreError};
use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use futures::{StreamExt, TryStreamExt};
use sqlx::Row;

use crate::processing::{random_hex, HandlerError};
use mark::Stamped;

/// Name of the resource in `alto_poll_state`.
pub const REFERENCE_CHECKS: &str = "reference_checks";
/// Key of the sandbox in leases and marks.
pub const SANDBOX_KEY: &str = "@sandbox";

/// One agency to poll.
#[derive(Debug, Clone)]
pub struct PollTarget {
    /// The internal agency id (or [`SANDBOX_KEY`]): the key of its lease and mark.
    pub key: String,
    /// The client scoped to it.
    pub client: AgencyClient,
}

/// Where new checks go: called once per agency and poll with that agency's new checks, oldest
/// first. Return `Err` to have them handed over again next time.
pub type Sink = Arc<
    dyn Fn(PollTarget, Vec<ReferenceCheck>) -> BoxFuture<'static, Result<(), HandlerError>>
        + Send
        + Sync,
>;

/// Knobs of the poller.
#[derive(Debug, Clone)]
pub struct PollerConfig {
    /// This instance's name in leases (default: random).
    pub holder: String,
    /// Agencies polled at once.
    pub concurrency: usize,
    /// How long a lease lasts; a dead instance's agencies are taken over after this.
    pub lease_for: Duration,
    /// Overlap window of the high-water mark (see [`mark`]).
    pub overlap: Duration,
    /// Where an agency without a mark starts (`None`: everything Alto has).
    pub initial_since: Option<DateTime<Utc>>,
    /// Also poll the sandbox.
    pub sandbox: bool,
}

impl Default for PollerConfig {
    fn default() -> Self {
        Self {
            holder: format!("poller-{}", random_hex()),
            concurrency: 4,
            lease_for: Duration::from_secs(300),
            overlap: Duration::from_secs(60),
            initial_since: None,
            sandbox: false,
        }
    }
}

/// What happened to one agency in one poll.
#[derive(Debug)]
pub enum AgencyOutcome {
    /// Polled; this many new checks were handed over.
    Polled(usize),
    /// Another instance holds the lease.
    Leased,
    /// Failed; nothing new was marked (the checks come again next time).
    Failed(String),
}

/// One agency's result.
#[derive(Debug)]
pub struct AgencyReport {
    /// The agency key.
    pub key: String,
    /// What happened.
    pub outcome: AgencyOutcome,
}

/// The multi-agency reference-check poller.
#[derive(Clone)]
pub struct Poller {
    client: AltoClient,
    store: Store,
    config: Arc<PollerConfig>,
    sink: Sink,
}

impl std::fmt::Debug for Poller {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Poller")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Poller {
    /// A poller handing new reference checks to `sink`.
    pub fn new<F, Fut>(client: AltoClient, store: Store, config: PollerConfig, sink: F) -> Self
    where
        F: Fn(PollTarget, Vec<ReferenceCheck>) -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = Result<(), HandlerError>> + Send + 'static,
    {
        Self {
            client,
            store,
            config: Arc::new(config),
            sink: Arc::new(move |target, checks| Box::pin(sink(target, checks))),
        }
    }

    /// The agencies a poll covers now.
    pub async fn targets(&self) -> Result<(Vec<PollTarget>, Vec<AgencyReport>), StoreError> {
        let rows = sqlx::query(
            "SELECT id FROM agencies WHERE alto_enabled = $1 AND use_production = $1 \
             AND alto_agency_ref IS NOT NULL AND alto_deactivated_at IS NULL ORDER BY id",
        )
        .bind(true)
        .fetch_all(self.store.pool())
        .await?;
        let mut targets = Vec::new();
        let mut failed = Vec::new();
        if self.config.sandbox {
            match self.client.agency(Environment::Sandbox, None, "sandbox") {
                Ok(client) => targets.push(PollTarget {
                    key: SANDBOX_KEY.into(),
                    client,
                }),
                Err(e) => failed.push(AgencyReport {
                    key: SANDBOX_KEY.into(),
                    outcome: AgencyOutcome::Failed(e.to_string()),
                }),
            }
        }
        for row in rows {
            let id: String = row.try_get("id")?;
            match self.client.resolve_agency(&self.store, &id).await {
                Ok(client) => targets.push(PollTarget { key: id, client }),
                Err(e) => failed.push(AgencyReport {
                    key: id,
                    outcome: AgencyOutcome::Failed(e.to_string()),
                }),
            }
        }
        Ok((targets, failed))
    }

    /// Polls every agency once; `on_agency` hears about each agency as it finishes.
    pub async fn run_once(
        &self,
        on_agency: impl Fn(&AgencyReport),
    ) -> Result<Vec<AgencyReport>, StoreError> {
        let (targets, mut reports) = self.targets().await?;
        for report in &reports {
            on_agency(report);
        }
        let mut steps = futures::stream::iter(targets)
            .map(|target| {
                let this = self.clone();
                let key = target.key.clone();
                async move {
                    // A task of its own: dropping this poll does not cut a step in half.
                    let outcome = tokio::spawn(async move { this.poll_agency(target).await })
                        .await
                        .unwrap_or_else(|e| AgencyOutcome::Failed(format!("poll task: {e}")));
                    AgencyReport { key, outcome }
                }
            })
            .buffer_unordered(self.config.concurrency.max(1));
        while let Some(report) = steps.next().await {
            on_agency(&report);
            reports.push(report);
        }
        Ok(reports)
    }

    /// Polls every `interval` until `stop` turns true.
    pub async fn run(&self, interval: Duration, mut stop: tokio::sync::watch::Receiver<bool>) {
        loop {
            if let Err(e) = self.run_once(|_| {}).await {
                tracing::error!(error = %e, "poll failed: the store is unreachable");
            }
            tokio::select! {
                _ = tokio::time::sleep(interval) => {}
                changed = stop.changed() => if changed.is_err() || *stop.borrow() { return; },
            }
        }
    }

    /// One agency: lease → read mark → list → hand over → save mark → release.
    async fn poll_agency(&self, target: PollTarget) -> AgencyOutcome {
        let key = target.key.clone();
        let holder = &self.config.holder;
        let lease_ms = i64::try_from(self.config.lease_for.as_millis()).unwrap_or(i64::MAX);
        match lease::acquire(&self.store, &key, holder, lease_ms).await {
            Ok(true) => {}
            Ok(false) => return AgencyOutcome::Leased,
            Err(e) => return AgencyOutcome::Failed(e.to_string()),
        }
        let outcome = match self.step(target, lease_ms).await {
            Ok(n) => AgencyOutcome::Polled(n),
            Err(e) => {
                tracing::warn!(agency = %key, error = %e, "polling reference checks failed");
                AgencyOutcome::Failed(e)
            }
        };
        if let Err(e) = lease::release(&self.store, &key, holder).await {
            tracing::warn!(agency = %key, error = %e, "could not release the poll lease (it will expire)");
        }
        outcome
    }

    async fn step(&self, target: PollTarget, lease_ms: i64) -> Result<usize, String> {
        let overlap_us = i64::try_from(self.config.overlap.as_micros()).unwrap_or(i64::MAX);
        let key = target.key.clone();
        let current = mark::load(&self.store, &key, REFERENCE_CHECKS)
            .await
            .map_err(|e| e.to_string())?;
        let range = DateRange {
            from: current.poll_from(overlap_us).or(self.config.initial_since),
            to: None,
        };
        let listed: Vec<ReferenceCheck> = target
            .client
            .reference_checks()
            .list(range)
            .try_collect()
            .await
            .map_err(|e| e.to_string())?;
        let fresh = current.select_new(stamp(listed), overlap_us);
        if fresh.is_empty() {
            return Ok(0);
        }
        let next = current.advance(&fresh, overlap_us);
        let count = fresh.len();
        let checks = fresh.into_iter().map(|s| s.item).collect();
        (self.sink)(target, checks)
            .await
            .map_err(|e| format!("the app did not take the checks: {e}"))?;
        mark::save(
            &self.store,
            &key,
            REFERENCE_CHECKS,
            &next,
            &self.config.holder,
            lease_ms,
        )
        .await
        .map_err(|e| e.to_string())?;
        Ok(count)
    }
}

/// Reference checks with their id and creation time; ones without either cannot be placed and
/// are logged and left out.
fn stamp(checks: Vec<ReferenceCheck>) -> Vec<Stamped<ReferenceCheck>> {
    checks
        .into_iter()
        .filter_map(|check| {
            let (Some(id), Some(created)) = (check.reference_check_id, check.created_date) else {
                tracing::warn!(?check.reference_check_id, "reference check without id or creation time skipped");
                return None;
            };
            Some(Stamped {
                id: id.to_string(),
                created_us: created.timestamp_micros(),
                item: check,
            })
        })
        .collect()
}
