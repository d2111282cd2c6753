//! Linking a pending activation to an agency: one transaction that claims the activation, sets
//! the agency's `AgencyRef`, records the activation's branch and writes the audit lines.
//!
//! Everything is decided inside the transaction, against rows it has locked (SQLite: the write
//! lock taken at `BEGIN IMMEDIATE`; PostgreSQL: `FOR UPDATE` on the agency, the guarded
//! `UPDATE` on the activation), so two admins linking at once cannot both succeed, and a check
//! made here cannot go stale before the write.

use alto::agency::{AgencyRef, InvalidAgencyRef};
use serde_json::Value;

use super::agencies::{agency_from_row, AGENCY_COLUMNS};
use super::integration_state::apply_flag;
use super::{col, is_unique_violation, now_ms, Backend, Store, StoreError};
use crate::model::Agency;

/// The key of `alto_identifiers` that lists the Alto branch ids linked to an agency.
pub const BRANCH_IDS: &str = "branch_ids";

/// What the Link form asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivationLink<'a> {
    /// The pending activation's row id.
    pub activation_id: i64,
    /// The agency to link it to.
    pub agency_id: &'a str,
    /// The agency's version the admin saw; `None` takes the current one.
    pub expected_version: Option<i64>,
    /// Username of the admin, for the audit log.
    pub linked_by: &'a str,
}

/// What linking did. Only [`LinkOutcome::Linked`] wrote anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkOutcome {
    /// Linked: the agency as it is now.
    Linked(Agency),
    /// No such activation, or it was linked already (perhaps by another admin just now).
    ActivationNotPending,
    /// No agency with that id.
    AgencyNotFound,
    /// The agency changed since the admin saw it: the agency as it is now.
    Conflict(Agency),
    /// The agency holds a different `AgencyRef`; linking would overwrite it. The agency as it is.
    AgencyHasOtherRef(Agency),
    /// Another agency holds this activation's `AgencyRef`: its internal id.
    RefHeldByOtherAgency(String),
    /// The activation's `AgencyRef` does not pass the facade's rule.
    InvalidAgencyRef(InvalidAgencyRef),
}

impl Store {
    /// Links a pending activation to an agency, in one transaction: the activation is claimed
    /// only if still unlinked; the agency's `AgencyRef` is set unless it holds a different one
    /// (the same one is accepted: another branch of the same group); the version is honoured
    /// like the edit form's; the activation's branch id joins the agency's
    /// [`BRANCH_IDS`]; the deactivation flag follows the integration events stored for the
    /// `AgencyRef` (cleared when there are none); and the changes are audited.
    pub async fn link_activation(
        &self,
        link: &ActivationLink<'_>,
    ) -> Result<LinkOutcome, StoreError> {
        let lock = match self.backend() {
            Backend::Postgres => " FOR UPDATE",
            Backend::Sqlite => "",
        };
        let mut tx = self.begin_write().await?;
        let sql = format!("SELECT {AGENCY_COLUMNS} FROM agencies WHERE id = $1{lock}");
        let Some(row) = sqlx::query(&sql)
            .bind(link.agency_id)
            .fetch_optional(&mut *tx)
            .await?
        else {
            return Ok(LinkOutcome::AgencyNotFound);
        };
        let agency = agency_from_row(&row)?;
        if link.expected_version.is_some_and(|v| v != agency.version) {
            return Ok(LinkOutcome::Conflict(agency));
        }
        let now = now_ms();
        let Some(claimed) = sqlx::query(
            "UPDATE pending_activations SET linked_agency_id = $1, linked_by = $2, linked_at = $3 \
             WHERE id = $4 AND linked_at IS NULL RETURNING event_id, agency_ref, branch_id",
        )
        .bind(link.agency_id)
        .bind(link.linked_by)
        .bind(now)
        .bind(link.activation_id)
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(LinkOutcome::ActivationNotPending);
        };
        let event_id: String = col(&claimed, "event_id")?;
        let branch_id: Option<String> = col(&claimed, "branch_id")?;
        let received: String = col(&claimed, "agency_ref")?;
        let agency_ref = match AgencyRef::parse(&received) {
            Ok(valid) => valid.as_str().to_string(),
            Err(invalid) => return Ok(LinkOutcome::InvalidAgencyRef(invalid)),
        };
        if agency
            .alto_agency_ref
            .as_deref()
            .is_some_and(|held| held != agency_ref)
        {
            return Ok(LinkOutcome::AgencyHasOtherRef(agency));
        }
        let holder = sqlx::query("SELECT id FROM agencies WHERE alto_agency_ref = $1 AND id <> $2")
            .bind(&agency_ref)
            .bind(link.agency_id)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(holder) = holder {
            return Ok(LinkOutcome::RefHeldByOtherAgency(col(&holder, "id")?));
        }

        let identifiers = branch_id
            .as_deref()
            .and_then(|branch| with_branch(&agency.alto_identifiers, branch))
            .unwrap_or_else(|| agency.alto_identifiers.clone());
        let identifiers_text = identifiers.to_string();
        let updated = sqlx::query(
            "UPDATE agencies SET alto_agency_ref = $1, alto_identifiers = $2, \
             version = version + 1, updated_at = $3 \
             WHERE id = $4 AND version = $5",
        )
        .bind(&agency_ref)
        .bind(&identifiers_text)
        .bind(now)
        .bind(link.agency_id)
        .bind(agency.version)
        .execute(&mut *tx)
        .await;
        let updated = match updated {
            // Another transaction set this AgencyRef on another agency after the check above
            // (PostgreSQL's unique index waits for it to commit, then refuses this one).
            Err(e) if is_unique_violation(&e) => {
                drop(tx);
                return Ok(match self.agency_id_by_ref(&agency_ref).await? {
                    Some(other) => LinkOutcome::RefHeldByOtherAgency(other),
                    None => LinkOutcome::ActivationNotPending,
                });
            }
            other => other?.rows_affected(),
        };
        if updated == 0 {
            drop(tx);
            return Ok(match self.agency(link.agency_id).await? {
                Some(current) => LinkOutcome::Conflict(current),
                None => LinkOutcome::AgencyNotFound,
            });
        }

        // Integration events that arrived before the link (a branch deactivated, the group
        // disabled) take effect now; with none, the agency is active.
        apply_flag(&mut tx, &agency_ref).await?;

        let mut audit = vec![("linked_activation", None, Some(event_id))];
        if agency.alto_agency_ref.as_deref() != Some(agency_ref.as_str()) {
            audit.push((
                "alto_agency_ref",
                agency.alto_agency_ref.clone(),
                Some(agency_ref.clone()),
            ));
        }
        if identifiers != agency.alto_identifiers {
            audit.push((
                "alto_identifiers",
                Some(agency.alto_identifiers.to_string()),
                Some(identifiers_text),
            ));
        }
        for (field, old, new) in &audit {
            sqlx::query(
                "INSERT INTO agency_audit (agency_id, field, old_value, new_value, changed_by, \
                 changed_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(link.agency_id)
            .bind(*field)
            .bind(old.as_deref())
            .bind(new.as_deref())
            .bind(link.linked_by)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        let linked = self
            .agency(link.agency_id)
            .await?
            .ok_or_else(|| StoreError::Corrupt {
                column: "id",
                detail: "linked agency vanished".into(),
            })?;
        Ok(LinkOutcome::Linked(linked))
    }
}

/// `identifiers` with `branch` added to its [`BRANCH_IDS`] list, or `None` when it is there
/// already. A value that is not a JSON object (written around the store) is replaced by one.
pub(super) fn with_branch(identifiers: &Value, branch: &str) -> Option<Value> {
    let mut object = identifiers.as_object().cloned().unwrap_or_default();
    let ids = object
        .entry(BRANCH_IDS)
        .or_insert_with(|| Value::Array(Vec::new()));
    if !ids.is_array() {
        *ids = Value::Array(Vec::new());
    }
    let list = ids.as_array_mut()?;
    if list.iter().any(|id| id.as_str() == Some(branch)) {
        return None;
    }
    list.push(Value::String(branch.to_string()));
    Some(Value::Object(object))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn branches_are_added_once() {
        let first = with_branch(&json!({}), "12").unwrap();
        assert_eq!(first, json!({"branch_ids": ["12"]}));
        let second = with_branch(&first, "34").unwrap();
        assert_eq!(second, json!({"branch_ids": ["12", "34"]}));
        assert_eq!(with_branch(&second, "12"), None);
    }

    #[test]
    fn other_identifiers_are_kept() {
        assert_eq!(
            with_branch(&json!({"office": "x", "branch_ids": "bad"}), "7").unwrap(),
            json!({"office": "x", "branch_ids": ["7"]})
        );
    }
}
