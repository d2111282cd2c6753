//! Alto's integration switches, applied in event-time order.
//!
//! `Integration.Enabled` / `Disabled` switch a group (one `AgencyRef`); `Integration.Activated` /
//! `Deactivated` a branch of it. Alto does not deliver them in order, so each switch keeps the
//! newest event seen for it (by `time`, then `id`) and an older one arriving late changes
//! nothing. An agency holding the `AgencyRef` counts as deactivated when its group is disabled
//! or every branch known for it is deactivated; otherwise it is active. The state is kept for an
//! `AgencyRef` no agency holds yet and applied when an activation is linked
//! ([`Store::link_activation`]).

use sqlx::AnyConnection;

use super::activations::ACTIVATION_AUDIT_USER;
use super::link::with_branch;
use super::{col, now_ms, Backend, Store, StoreError};

/// What a switch applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntegrationScope {
    /// The whole group (`Integration.Enabled` / `Integration.Disabled`).
    Group,
    /// One branch (`Integration.Activated` / `Integration.Deactivated`); `None` when the event
    /// named no branch.
    Branch(Option<String>),
}

/// One integration event, as the store applies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegrationChange {
    /// The event's full id (`<event-uuid>|<integrationId>`): the tie-break between equal times.
    pub event_id: String,
    /// The group's `AgencyRef`, canonical.
    pub agency_ref: String,
    /// Group or branch.
    pub scope: IntegrationScope,
    /// On (`Enabled`, `Activated`) or off.
    pub active: bool,
    /// The event's `time`, unix milliseconds.
    pub time_ms: i64,
}

/// What applying a change did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegrationApplied {
    /// Whether the change was the newest for its switch (false: an older event, ignored).
    pub newest: bool,
    /// The agency holding the `AgencyRef`, if one does; else the state waits for a link.
    pub agency_id: Option<String>,
    /// Whether that agency now counts as deactivated.
    pub deactivated: bool,
    /// An `Integration.Activated` for an `AgencyRef` no agency holds: a pending activation
    /// waits for an admin.
    pub pending: bool,
}

const GROUP: &str = "group";
const BRANCH: &str = "branch";

impl Store {
    /// Applies an integration event in event-time order (see the module documentation) and
    /// brings the holding agency's deactivation flag in line. An `Integration.Activated` also
    /// records its branch on the agency, or a pending activation when no agency holds the
    /// `AgencyRef` (one per event id), as [`Store::record_activation`] does.
    pub async fn apply_integration_change(
        &self,
        change: &IntegrationChange,
        received_at_ms: i64,
    ) -> Result<IntegrationApplied, StoreError> {
        let mut tx = self.begin_write().await?;
        if self.backend() == Backend::Postgres {
            // Changes of one group are serialised: the flag depends on all its branches' rows.
            sqlx::query(
                "SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtext($1))) AS l",
            )
            .bind(&change.agency_ref)
            .fetch_one(&mut *tx)
            .await?;
        }
        let (scope, branch) = match &change.scope {
            IntegrationScope::Group => (GROUP, String::new()),
            IntegrationScope::Branch(branch) => (BRANCH, branch.clone().unwrap_or_default()),
        };
        let newest = sqlx::query(
            "INSERT INTO alto_integration_state \
             (agency_ref, scope, branch_id, active, event_time, event_id) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (agency_ref, scope, branch_id) DO UPDATE SET \
             active = excluded.active, event_time = excluded.event_time, \
             event_id = excluded.event_id \
             WHERE alto_integration_state.event_time < excluded.event_time \
             OR (alto_integration_state.event_time = excluded.event_time \
                 AND alto_integration_state.event_id < excluded.event_id)",
        )
        .bind(&change.agency_ref)
        .bind(scope)
        .bind(&branch)
        .bind(i64::from(change.active))
        .bind(change.time_ms)
        .bind(&change.event_id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;

        let holder =
            sqlx::query("SELECT id, alto_identifiers FROM agencies WHERE alto_agency_ref = $1")
                .bind(&change.agency_ref)
                .fetch_optional(&mut *tx)
                .await?;
        let mut pending = false;
        let is_activation = change.active && matches!(change.scope, IntegrationScope::Branch(_));
        if is_activation {
            match &holder {
                Some(row) if !branch.is_empty() => {
                    let id: String = col(row, "id")?;
                    let identifiers: String = col(row, "alto_identifiers")?;
                    record_branch(&mut tx, &id, &identifiers, &branch).await?;
                }
                Some(_) => {}
                None => {
                    sqlx::query(
                        "INSERT INTO pending_activations (event_id, agency_ref, branch_id, \
                         received_at) VALUES ($1, $2, $3, $4) ON CONFLICT (event_id) DO NOTHING",
                    )
                    .bind(&change.event_id)
                    .bind(&change.agency_ref)
                    .bind((!branch.is_empty()).then_some(branch.as_str()))
                    .bind(received_at_ms)
                    .execute(&mut *tx)
                    .await?;
                    pending = true;
                }
            }
        }
        let deactivated_at = apply_flag(&mut tx, &change.agency_ref).await?;
        tx.commit().await?;
        Ok(IntegrationApplied {
            newest,
            agency_id: holder.map(|row| col(&row, "id")).transpose()?,
            deactivated: deactivated_at.is_some(),
            pending,
        })
    }
}

/// When the group holding `agency_ref` counts as deactivated by its stored switches (the
/// deciding event's time), or `None` when it is active.
pub(crate) async fn deactivated_since(
    conn: &mut AnyConnection,
    agency_ref: &str,
) -> Result<Option<i64>, StoreError> {
    let rows = sqlx::query(
        "SELECT scope, active, event_time FROM alto_integration_state WHERE agency_ref = $1",
    )
    .bind(agency_ref)
    .fetch_all(&mut *conn)
    .await?;
    let mut branches_off: Option<i64> = None;
    let mut any_branch = false;
    let mut any_branch_on = false;
    for row in &rows {
        let scope: String = col(row, "scope")?;
        let active: i64 = col(row, "active")?;
        let time: i64 = col(row, "event_time")?;
        match (scope.as_str(), active != 0) {
            (GROUP, false) => return Ok(Some(time)),
            (GROUP, true) => {}
            (_, true) => {
                any_branch = true;
                any_branch_on = true;
            }
            (_, false) => {
                any_branch = true;
                branches_off = Some(branches_off.map_or(time, |t| t.max(time)));
            }
        }
    }
    Ok(if any_branch && !any_branch_on {
        branches_off
    } else {
        None
    })
}

/// Sets the deactivation flag of the agency holding `agency_ref` from the stored switches
/// (keeping an earlier flag's time while it stays deactivated); returns the flag.
pub(crate) async fn apply_flag(
    conn: &mut AnyConnection,
    agency_ref: &str,
) -> Result<Option<i64>, StoreError> {
    let since = deactivated_since(conn, agency_ref).await?;
    match since {
        Some(at) => sqlx::query(
            "UPDATE agencies SET alto_deactivated_at = COALESCE(alto_deactivated_at, $1) \
             WHERE alto_agency_ref = $2",
        )
        .bind(at),
        None => {
            sqlx::query("UPDATE agencies SET alto_deactivated_at = NULL WHERE alto_agency_ref = $1")
        }
    }
    .bind(agency_ref)
    .execute(&mut *conn)
    .await?;
    Ok(since)
}

async fn record_branch(
    conn: &mut AnyConnection,
    agency_id: &str,
    identifiers: &str,
    branch: &str,
) -> Result<(), StoreError> {
    let old = serde_json::from_str(identifiers).unwrap_or_default();
    let Some(new) = with_branch(&old, branch) else {
        return Ok(());
    };
    let now = now_ms();
    sqlx::query(
        "UPDATE agencies SET alto_identifiers = $1, version = version + 1, updated_at = $2 \
         WHERE id = $3",
    )
    .bind(new.to_string())
    .bind(now)
    .bind(agency_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO agency_audit (agency_id, field, old_value, new_value, changed_by, \
         changed_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(agency_id)
    .bind("alto_identifiers")
    .bind(identifiers)
    .bind(new.to_string())
    .bind(ACTIVATION_AUDIT_USER)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
