//! Changes staff make to the agency list itself: adding an agency and switching "Alto enabled".
//! Each writes its audit lines in the same transaction as the change.

use super::agencies::UpdateOutcome;
use super::{is_unique_violation, now_ms, Store, StoreError};
use crate::model::{Agency, NewAgency};

/// The audit field of an agency's creation (its new value is the display name).
pub const AUDIT_CREATED: &str = "agency_created";
/// The audit field of the "Alto enabled" switch.
pub const AUDIT_ALTO_ENABLED: &str = "alto_enabled";

impl Store {
    /// Inserts `agency` and audits its creation (and its "Alto enabled" state) as `changed_by`.
    /// [`StoreError::DuplicateAgency`] when the id is taken.
    pub async fn add_agency(
        &self,
        agency: &NewAgency,
        changed_by: &str,
    ) -> Result<Agency, StoreError> {
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let inserted = sqlx::query(
            "INSERT INTO agencies (id, display_name, alto_enabled, use_production, alto_agency_ref, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind(&agency.id)
        .bind(&agency.display_name)
        .bind(agency.alto_enabled)
        .bind(agency.use_production)
        .bind(agency.alto_agency_ref.as_deref())
        .bind(now)
        .execute(&mut *tx)
        .await;
        match inserted {
            Err(e) if is_unique_violation(&e) => {
                return Err(StoreError::DuplicateAgency(agency.id.clone()))
            }
            Err(e) => return Err(e.into()),
            Ok(_) => {}
        }
        let lines = [
            (AUDIT_CREATED, Some(agency.display_name.clone())),
            (AUDIT_ALTO_ENABLED, Some(agency.alto_enabled.to_string())),
        ];
        for (field, new_value) in lines {
            audit(&mut tx, &agency.id, field, None, new_value, changed_by, now).await?;
        }
        tx.commit().await?;
        self.agency(&agency.id)
            .await?
            .ok_or_else(|| StoreError::Corrupt {
                column: "id",
                detail: "inserted agency not found".into(),
            })
    }

    /// Switches "Alto enabled" if the agency is still at `expected_version`, with an audit line.
    /// Like the settings save, the guarded `UPDATE` is the optimistic lock.
    pub async fn set_alto_enabled(
        &self,
        id: &str,
        expected_version: i64,
        enabled: bool,
        changed_by: &str,
    ) -> Result<UpdateOutcome, StoreError> {
        let Some(current) = self.agency(id).await? else {
            return Ok(UpdateOutcome::NotFound);
        };
        if current.version != expected_version {
            return Ok(UpdateOutcome::Conflict(current));
        }
        if current.alto_enabled == enabled {
            return Ok(UpdateOutcome::Unchanged(current));
        }
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let updated = sqlx::query(
            "UPDATE agencies SET alto_enabled = $1, version = version + 1, updated_at = $2 \
             WHERE id = $3 AND version = $4",
        )
        .bind(enabled)
        .bind(now)
        .bind(id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if updated == 0 {
            tx.rollback().await?;
            return Ok(match self.agency(id).await? {
                Some(current) => UpdateOutcome::Conflict(current),
                None => UpdateOutcome::NotFound,
            });
        }
        let old = Some(current.alto_enabled.to_string());
        let new = Some(enabled.to_string());
        audit(&mut tx, id, AUDIT_ALTO_ENABLED, old, new, changed_by, now).await?;
        tx.commit().await?;
        let saved = self.agency(id).await?.ok_or_else(|| StoreError::Corrupt {
            column: "id",
            detail: "updated agency vanished".into(),
        })?;
        Ok(UpdateOutcome::Saved(saved))
    }
}

async fn audit(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    agency_id: &str,
    field: &str,
    old_value: Option<String>,
    new_value: Option<String>,
    changed_by: &str,
    at: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO agency_audit (agency_id, field, old_value, new_value, changed_by, changed_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(agency_id)
    .bind(field)
    .bind(old_value)
    .bind(new_value)
    .bind(changed_by)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
