//! The polling fallback: for agencies (or data) without webhooks, poll Alto for changes —
//! new reference checks, new and edited contacts ([`resource`]) — agency by agency, and hand
//! each one to the app once.
//!
//! - Agencies: production agencies with an `AgencyRef` from Alto Settings (not deactivated), and
//!   the sandbox when configured.
//! - Bounded concurrency (`buffer_unordered`), one lease per agency ([`lease`]) so several
//!   instances can run side by side, and a persisted high-water mark per agency ([`mark`]) so a
//!   restart resumes where it stopped.
//! - Two hand-offs:
//!   - **Inbox** ([`Poller::to_inbox`], what `alto poll` uses): changes are written to the
//!     store's inbox ([`inbox`]) in the same transaction that advances the mark. Exactly once,
//!     even when the process is killed at any instant; the app consumes the inbox.
//!   - **Sink** ([`Poller::new`]): changes go to an async function, and only when it returned
//!     `Ok` is the mark saved. At least once: if the sink fails, or the process dies between
//!     hand-off and mark, those changes come again next time (make the sink idempotent by id).
//!     Each agency's step runs as its own task, so cancelling a poll (dropping it, aborting its
//!     task) never stops a step between hand-off and mark.

pub mod inbox;
pub mod lease;
pub mod mark;
pub mod resource;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use alto::{AgencyClient, AltoClient, Environment};
use alto_store::{Store, StoreError};
use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use futures::StreamExt;

use crate::processing::{random_hex, HandlerError};
use inbox::InboxItem;
pub use resource::{Change, Resource};

/// Key of reference checks in marks and the inbox.
pub const REFERENCE_CHECKS: &str = "reference_checks";
/// Key of contacts in marks and the inbox.
pub const CONTACTS: &str = "contacts";
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

/// Where changes go: called once per agency, resource and poll with that agency's new changes
/// of one resource, oldest first. Return `Err` to have them handed over again next time.
pub type Sink = Arc<
    dyn Fn(PollTarget, Vec<Change>) -> BoxFuture<'static, Result<(), HandlerError>> + Send + Sync,
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
    /// What to poll, in this order (default: reference checks).
    pub resources: Vec<Resource>,
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
            resources: vec![Resource::ReferenceChecks],
        }
    }
}

/// What happened to one agency in one poll.
#[derive(Debug)]
pub enum AgencyOutcome {
    /// Polled every resource.
    Polled {
        /// New changes handed over.
        handed: usize,
        /// Changes the inbox held already, left as they were (0 unless a mark was reset).
        already_in_inbox: usize,
    },
    /// Another instance holds the lease.
    Leased,
    /// Failed for at least one resource; what failed was not marked (it comes again next
    /// time), resources polled before the failure were.
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
    handoff: Handoff,
    /// When the newest successful poll of each agency started (for the lag gauge).
    last_success: Arc<Mutex<HashMap<String, SystemTime>>>,
}

/// Where changes go.
#[derive(Clone)]
enum Handoff {
    /// The store's inbox, in the mark's transaction.
    Inbox,
    /// The app's function, before the mark is saved.
    Sink(Sink),
}

impl std::fmt::Debug for Poller {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Poller")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Poller {
    /// A poller handing changes to `sink` (at least once).
    pub fn new<F, Fut>(client: AltoClient, store: Store, config: PollerConfig, sink: F) -> Self
    where
        F: Fn(PollTarget, Vec<Change>) -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = Result<(), HandlerError>> + Send + 'static,
    {
        Self {
            client,
            store,
            config: Arc::new(config),
            handoff: Handoff::Sink(Arc::new(move |target, checks| {
                Box::pin(sink(target, checks))
            })),
            last_success: Arc::default(),
        }
    }

    /// A poller writing changes to the store's inbox ([`inbox`]), exactly once.
    pub fn to_inbox(client: AltoClient, store: Store, config: PollerConfig) -> Self {
        Self {
            client,
            store,
            config: Arc::new(config),
            handoff: Handoff::Inbox,
            last_success: Arc::default(),
        }
    }

    /// The agencies a poll covers now.
    pub async fn targets(&self) -> Result<(Vec<PollTarget>, Vec<AgencyReport>), StoreError> {
        let ids = self.store.agencies_to_poll().await?;
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
        for id in ids {
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
        self.run_once_until(on_agency, None).await
    }

    /// Like [`run_once`](Self::run_once), but once `stop` turns true no further agency is
    /// started: those in progress finish (hand-off, mark, lease release), the rest are left for
    /// the next poll. For a graceful shutdown.
    pub async fn run_once_until(
        &self,
        on_agency: impl Fn(&AgencyReport),
        stop: Option<tokio::sync::watch::Receiver<bool>>,
    ) -> Result<Vec<AgencyReport>, StoreError> {
        let (targets, mut reports) = self.targets().await?;
        for report in &reports {
            on_agency(report);
        }
        let stopping = move || stop.as_ref().is_some_and(|s| *s.borrow());
        let mut steps = futures::stream::iter(targets)
            .take_while(move |_| std::future::ready(!stopping()))
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

    /// One agency: lease → for each resource (read mark → list → hand over → save mark) →
    /// release.
    async fn poll_agency(&self, target: PollTarget) -> AgencyOutcome {
        let key = target.key.clone();
        let started = SystemTime::now();
        let holder = &self.config.holder;
        let lease_ms = i64::try_from(self.config.lease_for.as_millis()).unwrap_or(i64::MAX);
        match lease::acquire(&self.store, &key, holder, lease_ms).await {
            Ok(true) => {}
            Ok(false) => {
                self.note_lag(&key, &AgencyOutcome::Leased, started);
                return AgencyOutcome::Leased;
            }
            Err(e) => {
                let outcome = AgencyOutcome::Failed(e.to_string());
                self.note_lag(&key, &outcome, started);
                return outcome;
            }
        }
        let outcome = match self
            .holding_lease(&key, lease_ms, self.steps(target, lease_ms))
            .await
        {
            Ok((handed, already_in_inbox)) => AgencyOutcome::Polled {
                handed,
                already_in_inbox,
            },
            Err(e) => {
                tracing::warn!(agency = %key, error = %e, "polling failed");
                AgencyOutcome::Failed(e)
            }
        };
        if let Err(e) = lease::release(&self.store, &key, holder).await {
            tracing::warn!(agency = %key, error = %e, "could not release the poll lease (it will expire)");
        }
        self.note_lag(&key, &outcome, started);
        outcome
    }

    /// Updates the agency's lag gauges: a success moves its last success to `started`.
    fn note_lag(&self, key: &str, outcome: &AgencyOutcome, started: SystemTime) {
        let mut last = self.last_success.lock().unwrap_or_else(|e| e.into_inner());
        let name = match outcome {
            AgencyOutcome::Polled { .. } => {
                last.insert(key.to_string(), started);
                "polled"
            }
            AgencyOutcome::Leased => "leased",
            AgencyOutcome::Failed(_) => "failed",
        };
        crate::telemetry::agency_polled(key, name, last.get(key).copied());
    }

    /// Every configured resource of one agency, in order; the first failure ends the round.
    async fn steps(&self, target: PollTarget, lease_ms: i64) -> Result<(usize, usize), String> {
        let (mut handed, mut repeated) = (0, 0);
        for resource in &self.config.resources {
            let (h, r) = self
                .step(target.clone(), *resource, lease_ms)
                .await
                .map_err(|e| format!("{}: {e}", resource.name()))?;
            handed += h;
            repeated += r;
        }
        Ok((handed, repeated))
    }

    /// Runs `work` while renewing the lease every third of its length, so a long listing does
    /// not let it lapse; if another instance took it over all the same, the work is abandoned
    /// before its next hand-off (its mark save would be refused anyway).
    async fn holding_lease<T>(
        &self,
        key: &str,
        lease_ms: i64,
        work: impl std::future::Future<Output = Result<T, String>>,
    ) -> Result<T, String> {
        let renew_every = (self.config.lease_for / 3).max(Duration::from_millis(10));
        let lost = async {
            let mut tick = tokio::time::interval(renew_every);
            tick.tick().await;
            loop {
                tick.tick().await;
                match lease::acquire(&self.store, key, &self.config.holder, lease_ms).await {
                    Ok(true) => {}
                    Ok(false) => return,
                    Err(e) => {
                        tracing::warn!(agency = %key, error = %e, "could not renew the poll lease")
                    }
                }
            }
        };
        tokio::select! {
            done = work => done,
            () = lost => Err(format!("another poller took over the lease on {key}")),
        }
    }

    /// One resource of one agency: lists, selects the new changes, hands them over and saves
    /// the mark; returns the changes handed over and those the inbox held already.
    async fn step(
        &self,
        target: PollTarget,
        resource: Resource,
        lease_ms: i64,
    ) -> Result<(usize, usize), String> {
        let overlap_us = i64::try_from(self.config.overlap.as_micros()).unwrap_or(i64::MAX);
        let key = target.key.clone();
        let current = mark::load(&self.store, &key, resource.name())
            .await
            .map_err(|e| e.to_string())?;
        let from = current.poll_from(overlap_us).or(self.config.initial_since);
        let listed = resource
            .changes_since(&target.client, from)
            .await
            .map_err(|e| e.to_string())?;
        let fresh = current.select_new(listed, overlap_us);
        if fresh.is_empty() {
            return Ok((0, 0));
        }
        let next = current.advance(&fresh, overlap_us);
        let count = fresh.len();
        let items = match &self.handoff {
            Handoff::Inbox => fresh
                .iter()
                .map(|s| {
                    Ok(InboxItem {
                        id: s.id.clone(),
                        created_us: s.created_us,
                        body: s.item.to_json()?,
                    })
                })
                .collect::<Result<Vec<_>, serde_json::Error>>()
                .map_err(|e| format!("a change did not serialize: {e}"))?,
            Handoff::Sink(sink) => {
                let changes = fresh.into_iter().map(|s| s.item).collect();
                sink(target, changes)
                    .await
                    .map_err(|e| format!("the app did not take the changes: {e}"))?;
                Vec::new()
            }
        };
        let inserted = mark::save(
            &self.store,
            &key,
            resource.name(),
            &next,
            &self.config.holder,
            lease_ms,
            &items,
        )
        .await
        .map_err(|e| e.to_string())?;
        Ok(match self.handoff {
            Handoff::Inbox => (inserted, count - inserted),
            Handoff::Sink(_) => (count, 0),
        })
    }
}
