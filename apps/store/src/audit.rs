//! The append-only audit log (database triggers refuse UPDATE and DELETE on it).

use super::{col, Store, StoreError};
use crate::model::AuditEntry;

impl Store {
    /// An agency's audit history, newest first.
    pub async fn audit_history(&self, agency_id: &str) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, agency_id, field, old_value, new_value, changed_by, changed_at \
             FROM agency_audit WHERE agency_id = $1 ORDER BY id DESC",
        )
        .bind(agency_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(AuditEntry {
                    id: col(row, "id")?,
                    agency_id: col(row, "agency_id")?,
                    field: col(row, "field")?,
                    old_value: col(row, "old_value")?,
                    new_value: col(row, "new_value")?,
                    changed_by: col(row, "changed_by")?,
                    changed_at_ms: col(row, "changed_at")?,
                })
            })
            .collect()
    }
}
