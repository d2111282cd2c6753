//! What updates from Alto (the webhook receiver and the poller) read about agencies: the store
//! answers, so no other crate writes SQL against the agencies table.

use super::{col, Store, StoreError};

impl Store {
    /// The internal id of the agency holding `agency_ref` (at most one: migration 0007).
    pub async fn agency_id_by_ref(&self, agency_ref: &str) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT id FROM agencies WHERE alto_agency_ref = $1")
            .bind(agency_ref)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| col(&row, "id")).transpose()
    }

    /// The internal ids of the agencies the poller covers, in id order: Alto-enabled, in
    /// production, with an `AgencyRef`, and not reported deactivated.
    pub async fn agencies_to_poll(&self) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT id FROM agencies WHERE alto_enabled = $1 AND use_production = $1 \
             AND alto_agency_ref IS NOT NULL AND alto_deactivated_at IS NULL ORDER BY id",
        )
        .bind(true)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|row| col(row, "id")).collect()
    }
}
