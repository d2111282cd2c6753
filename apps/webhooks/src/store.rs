//! The `alto_webhook_events` table: insert with de-duplication, claim, mark processed.
//!
//! The tables are created by the store's migrations (`apps/store/migrations/*/0002_*`), so one
//! `Store::connect` brings everything up to date; they are this crate's, so their SQL lives here.

use alto_store::now_ms;
use alto_store::{Backend, Store, StoreError, DATABASE_NOW_MS};
use sqlx::Row;

use crate::events::{AltoEvent, EventKind};

/// Whether an insert stored a new event or recognised a redelivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inserted {
    /// First delivery of this event id.
    New,
    /// The id was already stored (Alto's retry, or a duplicate): nothing more to do.
    Duplicate,
}

/// An event claimed by a worker, with the stored attempt count.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimedEvent {
    /// The event.
    pub event: AltoEvent,
    /// Earlier attempts that failed.
    pub attempts: i64,
}

/// Access to the webhook tables of a [`Store`].
#[derive(Debug, Clone)]
pub struct EventStore {
    store: Store,
}

impl EventStore {
    /// Wraps the store (its migrations create the tables).
    pub fn new(store: Store) -> Self {
        Self { store }
    }

    /// The store underneath.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Stores a received event unless its id is already stored. The primary key (the full
    /// `<event-uuid>|<integrationId>`) is the de-duplication, so two receivers racing on the
    /// same id store it once, and one event delivered to two integrations is two events.
    pub async fn insert(&self, event: &AltoEvent, payload: &str) -> Result<Inserted, StoreError> {
        let now = now_ms();
        let inserted = sqlx::query(
            "INSERT INTO alto_webhook_events (event_id, event_type, source, subject, agency_ref, \
             event_time, payload, received_at, integration_id, subject_id, branch_id, \
             related_subjects, data_content_type) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
             ON CONFLICT (event_id) DO NOTHING",
        )
        .bind(&event.id)
        .bind(event.kind.as_str())
        .bind(&event.source)
        .bind(event.subject.as_deref())
        .bind(event.agency_ref())
        .bind(event.time.map(|t| t.timestamp_millis()))
        .bind(payload)
        .bind(now)
        .bind(event.integration_id.as_deref())
        .bind(event.subject_id())
        .bind(event.branch_id())
        .bind(related_subjects(event))
        .bind(event.data_content_type.as_deref())
        .execute(self.store.pool())
        .await?
        .rows_affected();
        if inserted == 1 {
            return Ok(Inserted::New);
        }
        sqlx::query(
            "UPDATE alto_webhook_events SET deliveries = deliveries + 1 WHERE event_id = $1",
        )
        .bind(&event.id)
        .execute(self.store.pool())
        .await?;
        Ok(Inserted::Duplicate)
    }

    /// Claims up to `limit` unprocessed events for `worker` until `lease_ms` from now, oldest
    /// first. An event whose claim expired (its worker died) can be claimed again.
    ///
    /// PostgreSQL: `FOR UPDATE SKIP LOCKED` lets several workers claim side by side without
    /// waiting on or double-claiming each other's rows. SQLite has one writer at a time, so the
    /// single `UPDATE … RETURNING` is already atomic.
    pub async fn claim(
        &self,
        worker: &str,
        limit: u32,
        lease_ms: i64,
    ) -> Result<Vec<ClaimedEvent>, StoreError> {
        let lock = match self.store.backend() {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        // A claim is a lease: its times are the database's, so workers on several instances
        // agree on when one has expired.
        let sql = format!(
            "UPDATE alto_webhook_events SET claimed_by = $1, \
             claimed_until = {DATABASE_NOW_MS} + $2 \
             WHERE event_id IN (SELECT event_id FROM alto_webhook_events \
               WHERE processed_at IS NULL \
               AND (claimed_until IS NULL OR claimed_until < {DATABASE_NOW_MS}) \
               ORDER BY received_at, event_id LIMIT $3{lock}) \
             RETURNING event_id, event_type, source, subject, event_time, payload, attempts, \
             received_at, integration_id, data_content_type"
        );
        let rows = sqlx::query(&sql)
            .bind(worker)
            .bind(lease_ms)
            .bind(i64::from(limit))
            .fetch_all(self.store.pool())
            .await?;
        let mut claimed = Vec::with_capacity(rows.len());
        for row in rows {
            let payload: String = row.try_get("payload")?;
            let data = serde_json::from_str::<serde_json::Value>(&payload)
                .ok()
                .and_then(|v| v.get("data").cloned())
                .unwrap_or(serde_json::Value::Null);
            let event_time: Option<i64> = row.try_get("event_time")?;
            let received_at: i64 = row.try_get("received_at")?;
            claimed.push((
                received_at,
                ClaimedEvent {
                    event: AltoEvent {
                        id: row.try_get("event_id")?,
                        kind: EventKind::parse(&row.try_get::<String, _>("event_type")?),
                        source: row.try_get("source")?,
                        subject: row.try_get("subject")?,
                        time: event_time.and_then(chrono::DateTime::from_timestamp_millis),
                        integration_id: row.try_get("integration_id")?,
                        data_content_type: row.try_get("data_content_type")?,
                        data,
                    },
                    attempts: row.try_get("attempts")?,
                },
            ));
        }
        // RETURNING does not keep the sub-select's order.
        claimed.sort_by(|a, b| (a.0, &a.1.event.id).cmp(&(b.0, &b.1.event.id)));
        Ok(claimed.into_iter().map(|(_, c)| c).collect())
    }

    /// Marks an event processed, if `worker` still holds its claim. Returns whether it did.
    pub async fn mark_processed(&self, event_id: &str, worker: &str) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE alto_webhook_events SET processed_at = $1, claimed_until = NULL \
             WHERE event_id = $2 AND claimed_by = $3 AND processed_at IS NULL",
        )
        .bind(now_ms())
        .bind(event_id)
        .bind(worker)
        .execute(self.store.pool())
        .await?
        .rows_affected();
        Ok(done == 1)
    }

    /// Records a failed attempt: the event is retried after `retry_in_ms`, or, when `give_up`,
    /// marked processed with the error kept in `last_error`.
    pub async fn mark_failed(
        &self,
        event_id: &str,
        worker: &str,
        error: &str,
        retry_in_ms: i64,
        give_up: bool,
    ) -> Result<(), StoreError> {
        let now = now_ms();
        // The retry time is a claim's expiry, so it is on the database's clock (see `claim`).
        sqlx::query(&format!(
            "UPDATE alto_webhook_events SET attempts = attempts + 1, last_error = $1, \
             claimed_until = {DATABASE_NOW_MS} + $2, processed_at = $3 \
             WHERE event_id = $4 AND claimed_by = $5 AND processed_at IS NULL"
        ))
        .bind(error)
        .bind(retry_in_ms)
        .bind(give_up.then_some(now))
        .bind(event_id)
        .bind(worker)
        .execute(self.store.pool())
        .await?;
        Ok(())
    }

    /// How many events are stored, and how many of them are processed.
    pub async fn counts(&self) -> Result<(i64, i64), StoreError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS total, COUNT(processed_at) AS processed FROM alto_webhook_events",
        )
        .fetch_one(self.store.pool())
        .await?;
        Ok((row.try_get("total")?, row.try_get("processed")?))
    }
}

/// `data.relatedSubjects` as a JSON array, or `None` when the event has none.
fn related_subjects(event: &AltoEvent) -> Option<String> {
    let related = event.related_subjects();
    (!related.is_empty()).then(|| serde_json::to_string(&related).unwrap_or_default())
}
