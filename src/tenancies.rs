//! Tenancies: a tenancy's tenants, and each tenant's guarantors.

use crate::charges::{decode, NewTenancyCharge, TenancyCharge};
use crate::client::AgencyClient;
use crate::error::AltoError;
use crate::ids::{ContactId, TenancyId, TenantId};
use crate::operations;
use crate::paging::raw_pages;
use crate::raw::types;

/// A tenancy as Alto lists it.
pub type TenancyListItem = types::TenancyListItem;

/// A tenancy's summary as Alto returns it.
pub type Tenancy = types::TenancyLight;

/// A tenant of a tenancy: the tenant id and the tenant's contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Tenant {
    /// Tenant id within the tenancy.
    pub tenant: TenantId,
    /// The tenant's contact.
    pub contact: ContactId,
}

/// A guarantor of a tenant: the guarantor id and the guarantor's contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Guarantor {
    /// Guarantor id.
    pub guarantor: i64,
    /// The guarantor's contact.
    pub contact: ContactId,
}

/// Tenancy operations for one agency. Get it with [`AgencyClient::tenancies`].
#[derive(Debug, Clone, Copy)]
pub struct Tenancies<'a> {
    client: &'a AgencyClient,
}

impl AgencyClient {
    /// Tenancy operations.
    pub fn tenancies(&self) -> Tenancies<'_> {
        Tenancies { client: self }
    }
}

impl<'a> Tenancies<'a> {
    /// All tenancies, page after page (`GET /tenancies`).
    pub fn list(&self) -> impl futures::Stream<Item = Result<TenancyListItem, AltoError>> + 'a {
        const OP: &str = operations::LIST_TENANCIES;
        raw_pages!(self.client, OP, |raw| raw.list_tenancies().max_results(
            std::num::NonZeroU32::new(crate::paging::DEFAULT_PAGE_SIZE).expect("non-zero"),
        ))
    }

    /// Gets a tenancy (`GET /tenancies/{tenancyId}`).
    pub async fn get(&self, tenancy: TenancyId) -> Result<Tenancy, AltoError> {
        const OP: &str = operations::GET_TENANCY;
        let call = self
            .client
            .raw()
            .get_tenancy()
            .tenancy_id(tenancy.as_i32(OP)?)
            .send();
        Ok(self.client.send(OP, call).await?.into_inner())
    }

    /// The tenants of a tenancy (`GET /tenancies/{tenancyId}/tenantIds`).
    pub async fn tenants(&self, tenancy: TenancyId) -> Result<Vec<Tenant>, AltoError> {
        const OP: &str = operations::GET_TENANT_IDS;
        let call = self
            .client
            .raw()
            .get_tenant_ids()
            .tenancy_id(tenancy.as_i32(OP)?)
            .send();
        let items = self
            .client
            .send(OP, call)
            .await?
            .into_inner()
            .items
            .unwrap_or_default();
        items
            .into_iter()
            .map(|t| match (t.tenant_id, t.contact_id) {
                (Some(tenant), Some(contact)) => Ok(Tenant {
                    tenant: tenant.into(),
                    contact: contact.into(),
                }),
                _ => Err(AltoError::Decode {
                    operation: OP.into(),
                    detail: "a tenant without tenantId or contactId".into(),
                }),
            })
            .collect()
    }

    /// The tenants of a tenancy, each with their guarantors.
    pub async fn tenants_with_guarantors(
        &self,
        tenancy: TenancyId,
    ) -> Result<Vec<(Tenant, Vec<Guarantor>)>, AltoError> {
        let mut tenants = Vec::new();
        for tenant in self.tenants(tenancy).await? {
            let guarantors = self.guarantors(tenant.tenant).await?;
            tenants.push((tenant, guarantors));
        }
        Ok(tenants)
    }

    /// The guarantors of a tenant (`GET /guarantorIds?tenantId=`).
    pub async fn guarantors(&self, tenant: TenantId) -> Result<Vec<Guarantor>, AltoError> {
        const OP: &str = operations::GET_GUARANTOR_IDS;
        let call = self
            .client
            .raw()
            .get_guarantor_ids()
            .tenant_id(vec![tenant.as_i32(OP)?])
            .send();
        let items = self
            .client
            .send(OP, call)
            .await?
            .into_inner()
            .items
            .unwrap_or_default();
        Ok(items
            .into_iter()
            .filter(|t| t.tenant_id.map(i64::from) == Some(tenant.0))
            .flat_map(|t| t.guarantor_ids.unwrap_or_default())
            .filter_map(|g| {
                Some(Guarantor {
                    guarantor: g.guarantor_id?.into(),
                    contact: g.guarantor_contact_id?.into(),
                })
            })
            .collect())
    }

    /// Raises a charge to a tenant of the tenancy (`POST /tenancies/{tenancyId}/charges`,
    /// `multipart/form-data`). Not resent once sent (a POST).
    pub async fn charge(
        &self,
        tenancy: TenancyId,
        charge: NewTenancyCharge,
    ) -> Result<TenancyCharge, AltoError> {
        const OP: &str = operations::CREATE_TENANCY_CHARGE;
        let form = charge.into_form(OP)?;
        let id = tenancy.to_string();
        let body = self
            .client
            .send_multipart(OP, &[("tenancyId", &id)], form)
            .await?;
        decode(OP, &body)
    }
}
