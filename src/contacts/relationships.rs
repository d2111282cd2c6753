//! Contact relationships: several contacts associated with one another — a tenant and their
//! guarantor, a contact and a forwarding address (`/contacts/{contactId}/relationship`).
//!
//! The related contact is a contact of its own (Alto: created with `POST /contacts`), so
//! [`Contacts::relate`] takes its [`ContactId`].
//!
//! ```no_run
//! # async fn example(agency: &alto::AgencyClient) -> Result<(), alto::AltoError> {
//! use alto::contacts::relationships::RelationshipType;
//! use alto::ids::ContactId;
//!
//! let (tenant, guarantor) = (ContactId::new(12), ContactId::new(13));
//! let (id, _created) = agency.contacts().relate(tenant, RelationshipType::TenantGuarantor, guarantor).await?;
//! let guarantors = agency.contacts().relationships(tenant, &[RelationshipType::TenantGuarantor]).await?;
//! agency.contacts().unrelate(tenant, id).await?;
//! # let _ = guarantors; Ok(()) }
//! ```

use serde::Serialize;

use super::Contacts;
use crate::error::AltoError;
use crate::ids::{ContactId, RelationshipId};
use crate::operations;
use crate::raw::types;
use crate::reconcile::create_reconciled;
use crate::typed::typed;

/// A relationship as `GET /contacts/{contactId}/relationship` lists it.
pub type Relationship = types::ContactRelationship;

/// The kinds of relationship Alto knows.
///
/// ```
/// use alto::contacts::relationships::RelationshipType;
/// assert_eq!(RelationshipType::TenantGuarantor.to_string(), "TenantGuarantor");
/// ```
pub type RelationshipType = types::ContactRelationshipRelationshipType;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct NewRelationship {
    relationship_type: RelationshipType,
    #[serde(serialize_with = "crate::typed::as_text::one")]
    related_contact_id: ContactId,
}

impl Contacts<'_> {
    /// A contact's relationships (`GET /contacts/{contactId}/relationship`), only those of
    /// `kinds` when any are given.
    pub async fn relationships(
        &self,
        contact: ContactId,
        kinds: &[RelationshipType],
    ) -> Result<Vec<Relationship>, AltoError> {
        const OP: &str = operations::LIST_CONTACT_RELATIONSHIPS;
        let mut call = self
            .client
            .raw()
            .list_contact_relationships()
            .contact_id(contact.to_string());
        if !kinds.is_empty() {
            call =
                call.relationship_type(kinds.iter().map(ToString::to_string).collect::<Vec<_>>());
        }
        Ok(self
            .client
            .send(OP, call.send())
            .await?
            .into_inner()
            .relationships
            .unwrap_or_default())
    }

    /// Relates `related` to `contact` as `kind` (`POST /contacts/{contactId}/relationship`):
    /// e.g. `relate(tenant, RelationshipType::TenantGuarantor, guarantor)`.
    ///
    /// Returns the relationship's id and whether this call created it. A relationship Alto
    /// already has (409), or one a lost earlier attempt created, is found and returned with
    /// `false`, so the call is safe to repeat. Relating a contact to itself is refused before
    /// sending.
    pub async fn relate(
        &self,
        contact: ContactId,
        kind: RelationshipType,
        related: ContactId,
    ) -> Result<(RelationshipId, bool), AltoError> {
        const OP: &str = operations::CREATE_CONTACT_RELATIONSHIP;
        if contact == related {
            return Err(AltoError::InvalidRequest {
                operation: OP.into(),
                detail: format!("contact {contact} cannot be related to itself"),
            });
        }
        let body: types::PostContactRelationshipRequest = typed(
            OP,
            &NewRelationship {
                relationship_type: kind,
                related_contact_id: related,
            },
        )?;
        let find = || async {
            let existing = self.relationships(contact, &[kind]).await?;
            Ok(existing
                .iter()
                .find(|r| r.related_contact_id.map(i64::from) == Some(related.0))
                .and_then(|r| r.relationship_id)
                .map(|id| (RelationshipId::from(id), false)))
        };
        let attempt = || async {
            let call = self
                .client
                .raw()
                .create_contact_relationship()
                .contact_id(contact.to_string())
                .body(body.clone())
                .send();
            match self.client.send(OP, call).await {
                Ok(created) => Ok((
                    RelationshipId::parse(OP, created.into_inner().id.as_deref())?,
                    true,
                )),
                Err(e @ AltoError::Duplicate { .. }) => {
                    match e.existing_ids().first().and_then(|id| id.parse().ok()) {
                        Some(id) => Ok((RelationshipId::new(id), false)),
                        None => find().await?.ok_or(e),
                    }
                }
                Err(e) => Err(e),
            }
        };
        create_reconciled(attempt, find).await
    }

    /// Removes a relationship (`DELETE /contacts/{contactId}/relationship/{contactRelationshipId}`).
    /// Safe to retry; an unknown relationship is refused with 400 ([`AltoError::Validation`]:
    /// the operation declares no 404).
    pub async fn unrelate(
        &self,
        contact: ContactId,
        relationship: RelationshipId,
    ) -> Result<(), AltoError> {
        const OP: &str = operations::DELETE_CONTACT_RELATIONSHIP;
        let call = self
            .client
            .raw()
            .delete_contact_relationship()
            .contact_id(contact.to_string())
            .contact_relationship_id(relationship.to_string())
            .send();
        self.client.send(OP, call).await?;
        Ok(())
    }
}
