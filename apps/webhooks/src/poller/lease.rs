//! Agency leases: at most one poller instance polls an agency at a time, and a dead instance's
//! lease expires so another can take over.
//!
//! Acquiring is one `INSERT … ON CONFLICT … DO UPDATE … WHERE expires_at < now OR holder = me`:
//! on PostgreSQL the conflicting row is locked and the `WHERE` re-checked on its newest version,
//! so of two racing pollers exactly one gets the lease; SQLite runs one writer at a time.
//!
//! "Now" is the database's clock ([`DATABASE_NOW_MS`]), never the instance's: instances whose
//! clocks disagree would otherwise take over a live lease early, or wait out a dead one late.

use alto_store::{Store, StoreError, DATABASE_NOW_MS};

/// Tries to take (or renew) the lease on `agency_key` for `holder` for `lease_ms`.
/// Returns whether `holder` holds it now.
pub async fn acquire(
    store: &Store,
    agency_key: &str,
    holder: &str,
    lease_ms: i64,
) -> Result<bool, StoreError> {
    let taken = sqlx::query(&format!(
        "INSERT INTO alto_poll_leases (agency_key, holder, expires_at) \
         VALUES ($1, $2, {DATABASE_NOW_MS} + $3) \
         ON CONFLICT (agency_key) DO UPDATE SET holder = excluded.holder, \
         expires_at = excluded.expires_at \
         WHERE alto_poll_leases.expires_at < {DATABASE_NOW_MS} OR alto_poll_leases.holder = $2"
    ))
    .bind(agency_key)
    .bind(holder)
    .bind(lease_ms)
    .execute(store.pool())
    .await?
    .rows_affected();
    Ok(taken == 1)
}

/// Gives the lease up (if `holder` still has it).
pub async fn release(store: &Store, agency_key: &str, holder: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM alto_poll_leases WHERE agency_key = $1 AND holder = $2")
        .bind(agency_key)
        .bind(holder)
        .execute(store.pool())
        .await?;
    Ok(())
}
