//! Asynchronous processing: the app's [`Handlers`], and the [`Worker`] that claims stored events,
//! runs the built-in handling of integration events and the app's handlers, and marks events processed.
//!
//! Delivery guarantee: an event is marked processed right after its handlers succeed, under the
//! worker's claim. Duplicates never reach handlers twice (one row per event id). The one
//! at-least-once boundary: if an instance dies after a handler ran but before the mark, the claim
//! expires and another worker runs the handlers again, so handlers should be idempotent (the
//! [`refetch`](crate::refetch) pattern is).

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use alto_store::{now_ms, IntegrationChange, IntegrationScope};
use futures::future::BoxFuture;
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;

use crate::events::{AltoEvent, EventKind};
use crate::store::EventStore;

/// What a handler may fail with; the event is then retried later.
pub type HandlerError = Box<dyn std::error::Error + Send + Sync + 'static>;

type Handler = Arc<dyn Fn(AltoEvent) -> BoxFuture<'static, Result<(), HandlerError>> + Send + Sync>;

/// The app's handlers, by event kind.
///
/// ```
/// use alto_webhooks::{EventKind, Handlers};
/// let handlers = Handlers::new().on(EventKind::ContactCreated, |event| async move {
///     println!("contact {:?} created", event.subject_id());
///     Ok(())
/// });
/// assert!(handlers.handles(&EventKind::ContactCreated));
/// ```
#[derive(Clone, Default)]
pub struct Handlers {
    by_kind: HashMap<EventKind, Vec<Handler>>,
    any: Vec<Handler>,
}

impl std::fmt::Debug for Handlers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Handlers")
            .field("kinds", &self.by_kind.keys().collect::<Vec<_>>())
            .field("any", &self.any.len())
            .finish()
    }
}

impl Handlers {
    /// No handlers (events are still stored, de-duplicated and marked processed).
    pub fn new() -> Self {
        Self::default()
    }

    /// Runs `handler` for every event of `kind` (after any handler registered earlier).
    pub fn on<F, Fut>(mut self, kind: EventKind, handler: F) -> Self
    where
        F: Fn(AltoEvent) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), HandlerError>> + Send + 'static,
    {
        self.by_kind
            .entry(kind)
            .or_default()
            .push(Arc::new(move |event| Box::pin(handler(event))));
        self
    }

    /// Runs `handler` for every event, whatever its kind (including [`EventKind::Other`]).
    pub fn on_any<F, Fut>(mut self, handler: F) -> Self
    where
        F: Fn(AltoEvent) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), HandlerError>> + Send + 'static,
    {
        self.any
            .push(Arc::new(move |event| Box::pin(handler(event))));
        self
    }

    /// Whether a handler is registered for `kind` specifically.
    pub fn handles(&self, kind: &EventKind) -> bool {
        self.by_kind.contains_key(kind)
    }

    async fn run(&self, event: &AltoEvent) -> Result<(), HandlerError> {
        let specific = self.by_kind.get(&event.kind).into_iter().flatten();
        for handler in specific.chain(self.any.iter()) {
            handler(event.clone()).await?;
        }
        Ok(())
    }
}

/// Knobs of the worker.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// Name of this worker in claims (unique per instance; default: random).
    pub name: String,
    /// Events claimed at a time.
    pub batch: u32,
    /// How long a claim lasts; a dead worker's events are taken over after this.
    pub claim_for: Duration,
    /// How often to look for work when not woken by the receiver.
    pub idle_poll: Duration,
    /// Attempts before an event whose handlers keep failing is given up (kept with its error).
    pub max_attempts: i64,
    /// Wait before retrying a failed event (doubled per attempt, at most one hour).
    pub retry_base: Duration,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            name: format!("worker-{}", random_hex()),
            batch: 50,
            claim_for: Duration::from_secs(300),
            idle_poll: Duration::from_secs(2),
            max_attempts: 10,
            retry_base: Duration::from_secs(5),
        }
    }
}

/// The processing worker of one instance.
#[derive(Debug, Clone)]
pub struct Worker {
    events: EventStore,
    handlers: Arc<Handlers>,
    config: Arc<WorkerConfig>,
    wake: Arc<Notify>,
}

impl Worker {
    /// A worker over the admin store's webhook tables.
    pub fn new(events: EventStore, handlers: Handlers, config: WorkerConfig) -> Self {
        Self {
            events,
            handlers: Arc::new(handlers),
            config: Arc::new(config),
            wake: Arc::new(Notify::new()),
        }
    }

    /// The event store it works on.
    pub fn events(&self) -> &EventStore {
        &self.events
    }

    /// Wakes the worker (the receiver calls this after storing a new event).
    pub fn notify(&self) {
        self.wake.notify_one();
    }

    /// Claims and processes events until none is left; returns how many were processed.
    pub async fn drain(&self) -> Result<usize, alto_store::StoreError> {
        let mut done = 0;
        loop {
            let claimed = self
                .events
                .claim(
                    &self.config.name,
                    self.config.batch,
                    i64::try_from(self.config.claim_for.as_millis()).unwrap_or(i64::MAX),
                )
                .await?;
            if claimed.is_empty() {
                return Ok(done);
            }
            for claimed in claimed {
                self.process(claimed.event, claimed.attempts).await?;
                done += 1;
            }
        }
    }

    async fn process(&self, event: AltoEvent, attempts: i64) -> Result<(), alto_store::StoreError> {
        // A malformed activation can never succeed: give it up at once rather than retry.
        let (outcome, permanent) = match builtin(self.events.store(), &event).await {
            Ok(()) => (self.handlers.run(&event).await, false),
            Err(e @ BuiltinError::Store(_)) => (Err(Box::new(e) as HandlerError), false),
            Err(e) => (Err(Box::new(e) as HandlerError), true),
        };
        match outcome {
            Ok(()) => {
                self.events
                    .mark_processed(&event.id, &self.config.name)
                    .await?;
                crate::telemetry::event_processed();
            }
            Err(error) => {
                let attempt = attempts + 1;
                let give_up = permanent || attempt >= self.config.max_attempts;
                tracing::warn!(event = %event.id, kind = %event.kind, attempt, give_up, %error, "Alto event handler failed");
                crate::telemetry::event_failed(give_up);
                let base = i64::try_from(self.config.retry_base.as_millis()).unwrap_or(5_000);
                let retry_in = base
                    .saturating_mul(1 << attempt.clamp(0, 20))
                    .min(3_600_000);
                self.events
                    .mark_failed(
                        &event.id,
                        &self.config.name,
                        &error.to_string(),
                        retry_in,
                        give_up,
                    )
                    .await?;
            }
        }
        Ok(())
    }

    /// Runs the worker in a task until `stop` turns true (or its sender is dropped).
    pub fn spawn(self, mut stop: watch::Receiver<bool>) -> JoinHandle<()> {
        tokio::spawn(async move {
            loop {
                if let Err(e) = self.drain().await {
                    tracing::error!(error = %e, "Alto event worker could not reach the store");
                }
                tokio::select! {
                    _ = self.wake.notified() => {}
                    _ = tokio::time::sleep(self.config.idle_poll) => {}
                    changed = stop.changed() => {
                        if changed.is_err() || *stop.borrow() { return; }
                    }
                }
                if *stop.borrow() {
                    return;
                }
            }
        })
    }
}

/// What the project itself does with events before the app's handlers: apply Alto's
/// integration switches to the agency store, in event-time order (the store keeps the newest
/// event per group and per branch; see `alto_store::IntegrationChange`).
async fn builtin(store: &alto_store::Store, event: &AltoEvent) -> Result<(), BuiltinError> {
    let (scope, active) = match event.kind {
        EventKind::IntegrationActivated => (IntegrationScope::Branch(event.branch_id()), true),
        EventKind::IntegrationDeactivated => (IntegrationScope::Branch(event.branch_id()), false),
        EventKind::IntegrationEnabled => (IntegrationScope::Group, true),
        EventKind::IntegrationDisabled => (IntegrationScope::Group, false),
        _ => return Ok(()),
    };
    let name = event.kind.as_str().to_string();
    let agency_ref = event
        .agency_ref()
        .ok_or_else(|| BuiltinError::NoAgencyRef(name.clone()))?;
    let agency_ref = alto::AgencyRef::parse(agency_ref)
        .map_err(|e| BuiltinError::BadAgencyRef(name, e.to_string()))?;
    let received = now_ms();
    let applied = store
        .apply_integration_change(
            &IntegrationChange {
                event_id: event.id.clone(),
                agency_ref: agency_ref.as_str().to_string(),
                scope,
                active,
                // Events stored before `time` was required fall back to their processing time.
                time_ms: event.time.map_or(received, |t| t.timestamp_millis()),
            },
            received,
        )
        .await?;
    // The event id, not the AgencyRef: AgencyRefs stay out of logs.
    tracing::info!(event = %event.id, kind = %event.kind, ?applied, "Alto integration event applied");
    Ok(())
}

/// Why the built-in activation handling failed.
#[derive(Debug, thiserror::Error)]
enum BuiltinError {
    #[error("{0} without data.agencyRef")]
    NoAgencyRef(String),
    #[error("{0} with an AgencyRef that cannot be right: {1}")]
    BadAgencyRef(String, String),
    #[error(transparent)]
    Store(#[from] alto_store::StoreError),
}

/// 64 random bits as hex (instance names).
pub(crate) fn random_hex() -> String {
    let mut bytes = [0u8; 8];
    // Names only need to differ between instances; a failing OS source still gives a usable name.
    let _ = getrandom::fill(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
