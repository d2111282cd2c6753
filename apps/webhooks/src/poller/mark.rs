//! The per-agency high-water mark: which changes were already handed over.
//!
//! Alto filters by creation time (`CreatedFrom`), and several items can share one timestamp, or
//! become visible a moment after a later one. So the mark is the newest creation time handed
//! over plus the ids seen within an overlap window before it: the next poll asks from
//! `high_water - overlap` and drops ids it has seen. Nothing with an equal timestamp is missed or
//! repeated; an item that surfaces later than `overlap` after its creation time would be missed,
//! so the window should cover Alto's indexing delay (default one minute).

use std::collections::BTreeMap;

use alto_store::now_ms;
use alto_store::{Store, StoreError, DATABASE_NOW_MS};
use chrono::{DateTime, Utc};
use sqlx::Row;

use super::inbox::InboxItem;

/// One polled item: id, creation time (unix microseconds) and the item.
#[derive(Debug, Clone, PartialEq)]
pub struct Stamped<T> {
    /// Alto's id of the item.
    pub id: String,
    /// Creation time, unix microseconds.
    pub created_us: i64,
    /// The item.
    pub item: T,
}

/// The mark of one agency and resource.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HighWater {
    /// Newest creation time handed over (unix microseconds); `None` before the first hand-over.
    pub high_water_us: Option<i64>,
    /// Ids handed over within the overlap window, with their creation times.
    pub seen: BTreeMap<String, i64>,
}

impl HighWater {
    /// Where the next poll starts: the mark minus the overlap (`None`: from the beginning).
    pub fn poll_from(&self, overlap_us: i64) -> Option<DateTime<Utc>> {
        self.high_water_us.map(|hw| {
            DateTime::from_timestamp_micros(hw.saturating_sub(overlap_us)).unwrap_or_default()
        })
    }

    /// The items not handed over yet, oldest first (ties by id).
    pub fn select_new<T>(&self, items: Vec<Stamped<T>>, overlap_us: i64) -> Vec<Stamped<T>> {
        let floor = self.high_water_us.map(|hw| hw.saturating_sub(overlap_us));
        let mut fresh: Vec<_> = items
            .into_iter()
            .filter(|s| !self.seen.contains_key(&s.id))
            .filter(|s| floor.is_none_or(|f| s.created_us >= f))
            .collect();
        fresh.sort_by(|a, b| (a.created_us, &a.id).cmp(&(b.created_us, &b.id)));
        fresh.dedup_by(|a, b| a.id == b.id);
        fresh
    }

    /// The mark after `handed` were handed over (ids outside the window are forgotten).
    pub fn advance<T>(&self, handed: &[Stamped<T>], overlap_us: i64) -> HighWater {
        let mut next = self.clone();
        for s in handed {
            next.high_water_us = Some(
                next.high_water_us
                    .map_or(s.created_us, |hw| hw.max(s.created_us)),
            );
            next.seen.insert(s.id.clone(), s.created_us);
        }
        if let Some(hw) = next.high_water_us {
            let floor = hw.saturating_sub(overlap_us);
            next.seen.retain(|_, created| *created >= floor);
        }
        next
    }
}

/// Reads the stored mark of `agency_key`/`resource` (default when none).
pub async fn load(
    store: &Store,
    agency_key: &str,
    resource: &str,
) -> Result<HighWater, StoreError> {
    let row = sqlx::query(
        "SELECT high_water, seen FROM alto_poll_state WHERE agency_key = $1 AND resource = $2",
    )
    .bind(agency_key)
    .bind(resource)
    .fetch_optional(store.pool())
    .await?;
    let Some(row) = row else {
        return Ok(HighWater::default());
    };
    let seen: String = row.try_get("seen")?;
    Ok(HighWater {
        high_water_us: Some(row.try_get("high_water")?),
        seen: serde_json::from_str(&seen).map_err(|e| StoreError::Corrupt {
            column: "seen",
            detail: e.to_string(),
        })?,
    })
}

/// Why a mark was not saved.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// This poller's lease expired and may be someone else's now: nothing was written.
    #[error("the lease on {0} expired before the mark was saved")]
    LeaseLost(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Saves the mark, in one transaction with a check (and renewal) of `holder`'s lease, so a
/// poller whose lease was taken over cannot overwrite the new holder's progress. `inbox` items
/// are written to the inbox in the same transaction (pass none when the app took them already);
/// returns how many of them were new there.
pub async fn save(
    store: &Store,
    agency_key: &str,
    resource: &str,
    mark: &HighWater,
    holder: &str,
    lease_ms: i64,
    inbox: &[InboxItem],
) -> Result<usize, SaveError> {
    let Some(high_water) = mark.high_water_us else {
        return Ok(0);
    };
    let now = now_ms();
    let seen = serde_json::to_string(&mark.seen).unwrap_or_else(|_| "{}".into());
    let mut tx = store.begin_write().await?;
    // The lease's times are the database's (see `lease`).
    let held = sqlx::query(&format!(
        "UPDATE alto_poll_leases SET expires_at = {DATABASE_NOW_MS} + $1 \
         WHERE agency_key = $2 AND holder = $3 AND expires_at > {DATABASE_NOW_MS}"
    ))
    .bind(lease_ms)
    .bind(agency_key)
    .bind(holder)
    .execute(&mut *tx)
    .await
    .map_err(StoreError::from)?
    .rows_affected();
    if held != 1 {
        tx.rollback().await.map_err(StoreError::from)?;
        return Err(SaveError::LeaseLost(agency_key.to_string()));
    }
    let inserted = super::inbox::insert(&mut tx, agency_key, resource, holder, inbox).await?;
    sqlx::query(
        "INSERT INTO alto_poll_state (agency_key, resource, high_water, seen, updated_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (agency_key, resource) DO UPDATE SET \
         high_water = excluded.high_water, seen = excluded.seen, updated_at = excluded.updated_at",
    )
    .bind(agency_key)
    .bind(resource)
    .bind(high_water)
    .bind(seen)
    .bind(now)
    .execute(&mut *tx)
    .await
    .map_err(StoreError::from)?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(inserted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(id: &str, t: i64) -> Stamped<()> {
        Stamped {
            id: id.into(),
            created_us: t,
            item: (),
        }
    }

    #[test]
    fn equal_timestamps_are_neither_missed_nor_repeated() {
        let mark = HighWater::default();
        let first = mark.select_new(vec![s("b", 10), s("a", 10), s("c", 5)], 0);
        assert_eq!(
            first.iter().map(|x| x.id.as_str()).collect::<Vec<_>>(),
            ["c", "a", "b"]
        );
        let mark = mark.advance(&first, 0);
        assert_eq!(mark.high_water_us, Some(10));
        assert_eq!(mark.seen.len(), 2, "c is outside the window");
        // Alto answers from the mark (inclusive): a, b again plus a new d at the same instant.
        let next = mark.select_new(vec![s("a", 10), s("b", 10), s("d", 10), s("e", 11)], 0);
        assert_eq!(
            next.iter().map(|x| x.id.as_str()).collect::<Vec<_>>(),
            ["d", "e"]
        );
    }

    #[test]
    fn the_overlap_catches_late_arrivals() {
        let mark = HighWater::default().advance(&[s("a", 100)], 50);
        assert_eq!(mark.poll_from(50).unwrap().timestamp_micros(), 50);
        let next = mark.select_new(vec![s("a", 100), s("late", 60), s("old", 10)], 50);
        assert_eq!(
            next.iter().map(|x| x.id.as_str()).collect::<Vec<_>>(),
            ["late"]
        );
    }
}
