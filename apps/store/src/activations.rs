//! Pending activations (from Alto's `Integration.Activated` notification) and the deactivation
//! flag (from `Integration.Deactivated`).
//!
//! The webhook worker writes these; Alto Settings shows them and links an activation to an agency
//! through its audited settings service.

use sqlx::any::AnyRow;

use super::agencies::{agency_from_row, AGENCY_COLUMNS};
use super::link::with_branch;
use super::{col, now_ms, Store, StoreError};
use crate::model::Agency;

/// What an `Integration.Activated` notification said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewActivation {
    /// The CloudEvents id of the notification (one pending row per notification).
    pub event_id: String,
    /// `data.agencyRef`, as received (trimmed).
    pub agency_ref: String,
    /// The branch id the notification named, if any.
    pub branch_id: Option<String>,
    /// When the notification was received, unix milliseconds.
    pub received_at_ms: i64,
}

/// What recording an activation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActivationOutcome {
    /// A pending activation now waits for an admin (or already did, for a repeated event id).
    Pending,
    /// An agency already carries this `AgencyRef`: nothing to link; its deactivation flag (if
    /// any) was cleared. Holds the agency's internal id.
    AlreadyLinked(String),
}

/// A pending activation as Alto Settings shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingActivation {
    /// Row id (what the Link form posts).
    pub id: i64,
    /// The notification's CloudEvents id.
    pub event_id: String,
    /// The `AgencyRef` Alto issued.
    pub agency_ref: String,
    /// The branch id, if the notification named one.
    pub branch_id: Option<String>,
    /// When it was received, unix milliseconds.
    pub received_at_ms: i64,
    /// The agency it was linked to, once linked.
    pub linked_agency_id: Option<String>,
}

/// Who the audit log names for changes made by Alto's own notifications.
pub const ACTIVATION_AUDIT_USER: &str = "Alto (Integration.Activated)";

const ACTIVATION_COLUMNS: &str =
    "id, event_id, agency_ref, branch_id, received_at, linked_agency_id";

impl Store {
    /// Records an `Integration.Activated` notification. Idempotent per event id.
    ///
    /// When an agency already holds the `AgencyRef` (another branch of the same group, or a
    /// repeated activation), nothing waits for an admin: the agency's deactivation flag is
    /// cleared and the notification's branch id joins its identifiers (audited as
    /// [`ACTIVATION_AUDIT_USER`]).
    pub async fn record_activation(
        &self,
        activation: &NewActivation,
    ) -> Result<ActivationOutcome, StoreError> {
        let mut tx = self.begin_write().await?;
        let cleared = sqlx::query(
            "UPDATE agencies SET alto_deactivated_at = NULL WHERE alto_agency_ref = $1 \
             RETURNING id, alto_identifiers",
        )
        .bind(&activation.agency_ref)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(row) = cleared {
            let id: String = col(&row, "id")?;
            let identifiers: String = col(&row, "alto_identifiers")?;
            let old = serde_json::from_str(&identifiers).unwrap_or_default();
            let added = activation
                .branch_id
                .as_deref()
                .and_then(|branch| with_branch(&old, branch));
            if let Some(new) = added {
                let now = now_ms();
                sqlx::query(
                    "UPDATE agencies SET alto_identifiers = $1, version = version + 1, \
                     updated_at = $2 WHERE id = $3",
                )
                .bind(new.to_string())
                .bind(now)
                .bind(&id)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "INSERT INTO agency_audit (agency_id, field, old_value, new_value, \
                     changed_by, changed_at) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(&id)
                .bind("alto_identifiers")
                .bind(identifiers)
                .bind(new.to_string())
                .bind(ACTIVATION_AUDIT_USER)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            return Ok(ActivationOutcome::AlreadyLinked(id));
        }
        sqlx::query(
            "INSERT INTO pending_activations (event_id, agency_ref, branch_id, received_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (event_id) DO NOTHING",
        )
        .bind(&activation.event_id)
        .bind(&activation.agency_ref)
        .bind(activation.branch_id.as_deref())
        .bind(activation.received_at_ms)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(ActivationOutcome::Pending)
    }

    /// Activations not yet linked, newest first (at most `limit`).
    pub async fn pending_activations(
        &self,
        limit: u32,
    ) -> Result<Vec<PendingActivation>, StoreError> {
        let sql = format!(
            "SELECT {ACTIVATION_COLUMNS} FROM pending_activations WHERE linked_at IS NULL \
             ORDER BY received_at DESC, id DESC LIMIT $1"
        );
        let rows = sqlx::query(&sql)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(activation_from_row).collect()
    }

    /// One activation by row id, linked or not.
    pub async fn activation(&self, id: i64) -> Result<Option<PendingActivation>, StoreError> {
        let sql = format!("SELECT {ACTIVATION_COLUMNS} FROM pending_activations WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(activation_from_row).transpose()
    }

    /// Flags every agency with this `AgencyRef` as deactivated (keeps an earlier flag's time).
    /// Returns the flagged agencies' internal ids.
    pub async fn flag_deactivated(
        &self,
        agency_ref: &str,
        at_ms: i64,
    ) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "UPDATE agencies SET alto_deactivated_at = COALESCE(alto_deactivated_at, $1) \
             WHERE alto_agency_ref = $2 RETURNING id",
        )
        .bind(at_ms)
        .bind(agency_ref)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|row| col(row, "id")).collect()
    }

    /// Agencies an activation carrying `agency_ref` can be linked to, by name (at most
    /// `limit`): Alto-enabled, with no `AgencyRef` yet or already holding this one (another
    /// branch of the same group). `search` narrows them to names or ids containing it, in any
    /// case; blank offers the first by name.
    pub async fn link_candidates(
        &self,
        agency_ref: &str,
        search: &str,
        limit: u32,
    ) -> Result<Vec<Agency>, StoreError> {
        let sql = format!(
            "SELECT {AGENCY_COLUMNS} FROM agencies WHERE alto_enabled = $1 \
             AND (alto_agency_ref IS NULL OR alto_agency_ref = $2) \
             AND (LOWER(display_name) LIKE $3 ESCAPE '\\' OR LOWER(id) LIKE $3 ESCAPE '\\') \
             ORDER BY display_name, id LIMIT $4"
        );
        let rows = sqlx::query(&sql)
            .bind(true)
            .bind(agency_ref)
            .bind(super::agencies::like_pattern(search.trim()))
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(agency_from_row).collect()
    }
}

fn activation_from_row(row: &AnyRow) -> Result<PendingActivation, StoreError> {
    Ok(PendingActivation {
        id: col(row, "id")?,
        event_id: col(row, "event_id")?,
        agency_ref: col(row, "agency_ref")?,
        branch_id: col(row, "branch_id")?,
        received_at_ms: col(row, "received_at")?,
        linked_agency_id: col(row, "linked_agency_id")?,
    })
}
