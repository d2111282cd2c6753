//! Properties ("inventory" in Alto) and their owners.
//!
//! Seed rule, enforced by types: a property must have an owner, so [`NewProperty::new`] takes
//! the owner's [`ContactId`]; there is no way to build a property without one. The owner contact
//! is created first — [`Properties::create_with_new_owner`] does both steps and reports which
//! one failed.
//!
//! ```compile_fail
//! use alto::properties::{Market, NewProperty};
//! use alto::contacts::Address;
//! // No owner: does not compile.
//! let property = NewProperty::new(Address::new("1", "High St", "Bath", "BA1 1AA"), Market::Rent);
//! ```

use serde::Serialize;

use crate::client::AgencyClient;
use futures::TryStreamExt;

use crate::charges::{decode, NewPropertyCharge, PropertyCharge};
use crate::contacts::{Address, NewContact};
use crate::error::AltoError;
use crate::ids::{BranchId, ContactId, NegotiatorId, PropertyId};
use crate::operations;
use crate::paging::raw_pages;
use crate::raw::types;
use crate::reconcile::create_reconciled;
use crate::typed::typed;

/// A property as Alto returns it after creation.
pub type Property = types::InventoryItem;
/// A property's full details.
pub type PropertyDetail = types::InventoryDetailItem;

/// Whether the property is for sale or to let.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub enum Market {
    /// For sale.
    Sale,
    /// To let.
    Rent,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Owner {
    contact_id: ContactId,
}

/// A new property, always with its first owner.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewProperty {
    address: Address,
    market: Market,
    owners: Vec<Owner>,
    #[serde(skip_serializing_if = "Option::is_none")]
    branch_id: Option<BranchId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    negotiator_id: Option<NegotiatorId>,
}

impl NewProperty {
    /// A property at `address`, on `market`, owned by the existing contact `owner`.
    pub fn new(address: Address, market: Market, owner: ContactId) -> Self {
        Self {
            address,
            market,
            owners: vec![Owner { contact_id: owner }],
            branch_id: None,
            negotiator_id: None,
        }
    }

    /// Adds a joint owner.
    pub fn and_owner(mut self, owner: ContactId) -> Self {
        self.owners.push(Owner { contact_id: owner });
        self
    }

    /// Sets the branch.
    pub fn branch(mut self, branch: BranchId) -> Self {
        self.branch_id = Some(branch);
        self
    }

    /// Sets the negotiator.
    pub fn negotiator(mut self, negotiator: NegotiatorId) -> Self {
        self.negotiator_id = Some(negotiator);
        self
    }

    /// The owners' contact ids.
    pub fn owners(&self) -> Vec<ContactId> {
        self.owners.iter().map(|o| o.contact_id).collect()
    }
}

/// A property without its owner yet: the details [`Properties::create_with_new_owner`] needs.
#[derive(Debug, Clone)]
pub struct PropertyDetails {
    /// Address.
    pub address: Address,
    /// Sale or rent.
    pub market: Market,
    /// Branch, if known.
    pub branch: Option<BranchId>,
    /// Negotiator, if known.
    pub negotiator: Option<NegotiatorId>,
}

/// What [`Properties::create_with_new_owner`] made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedProperty {
    /// The owner contact (new, or the one Alto already had).
    pub owner: ContactId,
    /// Whether the owner contact was created by this call (false: Alto had it already).
    pub owner_created: bool,
    /// The property: new, or the one Alto already had at the address.
    pub property: PropertyId,
    /// Whether the property was created by this call (false: Alto had it at this address
    /// already, and the owner was added to it if it was not one).
    pub property_created: bool,
}

/// A two-step workflow failed; says which step and what was already done.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PropertyWorkflowError {
    /// Creating the owner contact failed; nothing was created.
    #[error("creating the owner contact failed, so no property was created: {0}")]
    Owner(#[source] AltoError),
    /// The owner exists (maybe just created) but the property was not created.
    #[error("owner contact {owner} exists{created}, but creating the property failed: {error}", created = if *.owner_created { " (created by this call)" } else { "" })]
    Property {
        /// The owner contact, which stays in Alto.
        owner: ContactId,
        /// Whether this call created it.
        owner_created: bool,
        /// Why the property failed.
        #[source]
        error: AltoError,
    },
}

/// An address part as compared: lower case, without spaces or commas.
fn folded(part: &Option<String>) -> String {
    part.as_deref()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ',')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether Alto's `found` is the address `wanted`.
fn same_address(wanted: &Address, found: &types::InventoryAddress) -> bool {
    folded(&wanted.sub_dwelling) == folded(&found.sub_dwelling)
        && folded(&wanted.name_number) == folded(&found.name_no)
        && folded(&wanted.street) == folded(&found.street)
        && folded(&wanted.postcode) == folded(&found.postcode)
}

/// Property operations for one agency. Get it with [`AgencyClient::properties`].
#[derive(Debug, Clone, Copy)]
pub struct Properties<'a> {
    client: &'a AgencyClient,
}

impl AgencyClient {
    /// Property operations.
    pub fn properties(&self) -> Properties<'_> {
        Properties { client: self }
    }
}

impl Properties<'_> {
    /// Creates a property with its owner(s) (`POST /inventory/new`).
    pub async fn create(&self, property: &NewProperty) -> Result<PropertyId, AltoError> {
        const OP: &str = operations::CREATE_PROPERTY;
        let body: types::AddInventory = typed(OP, property)?;
        let created = self
            .client
            .send(OP, self.client.raw().create_property().body(body).send())
            .await?
            .into_inner();
        PropertyId::parse(OP, created.id.as_deref())
    }

    /// Creates a property, or returns the one its first owner already has at that address.
    /// Safe after a failure whose outcome is unknown. Returns the id and whether this call
    /// created it.
    ///
    /// `POST /inventory/new` declares no 409 (Alto would make a second property at the same
    /// address), so nothing here waits for one: [`Properties::find_existing`] looks first, and
    /// again after a failed attempt whose outcome is unknown, before anything is resent — so an
    /// answer lost after Alto committed the property never makes it twice.
    pub async fn create_or_existing(
        &self,
        property: &NewProperty,
    ) -> Result<(PropertyId, bool), AltoError> {
        if let Some(existing) = self.find_existing(property).await? {
            return Ok((existing, false));
        }
        // Found only after an attempt of ours failed: that attempt made it.
        create_reconciled(
            || async { self.create(property).await.map(|id| (id, true)) },
            || async { Ok(self.find_existing(property).await?.map(|id| (id, true))) },
        )
        .await
    }

    /// The property `property` would duplicate: one at the same address (house name or
    /// number, flat, street and postcode, ignoring case, spaces and commas) that its first
    /// owner owns. Searches the inventory by postcode (`GET /inventory/search`), then asks
    /// `GET /owners` about each property at that address.
    pub async fn find_existing(
        &self,
        property: &NewProperty,
    ) -> Result<Option<PropertyId>, AltoError> {
        const SEARCH: &str = operations::SEARCH_PROPERTIES;
        const OWNERS: &str = operations::LIST_OWNERS;
        let wanted = &property.address;
        let Some(query) = [&wanted.postcode, &wanted.street]
            .into_iter()
            .flatten()
            .find(|q| !q.trim().is_empty())
            .cloned()
        else {
            return Ok(None);
        };
        let Some(owner) = property.owners.first().map(|o| o.contact_id) else {
            return Ok(None);
        };
        let client = self.client;
        let query = query.as_str();
        let found = raw_pages!(client, SEARCH, |raw| raw
            .search_properties()
            .query(query)
            .max_results(std::num::NonZeroU32::new(100).expect("non-zero")));
        futures::pin_mut!(found);
        while let Some(item) = found.try_next().await? {
            let at_address = item
                .address
                .as_ref()
                .is_some_and(|a| same_address(wanted, a));
            let Some(id) = item.inventory_id.filter(|_| at_address) else {
                continue;
            };
            let call = client
                .raw()
                .list_owners()
                .property_id(vec![id.clone()])
                .contact_id(vec![owner.to_string()])
                .send();
            let owners = client.send(OWNERS, call).await?.into_inner();
            if !owners.items.unwrap_or_default().is_empty() {
                return PropertyId::parse(SEARCH, Some(&id)).map(Some);
            }
        }
        Ok(None)
    }

    /// Creates the owner contact (or finds the one Alto already has), then the property with
    /// that owner (or, when Alto already has a property at that address, makes sure the owner
    /// owns it). Both 409s resolve to the existing record through their `Location`, so running
    /// the same workflow twice gives the same ids. On failure the error names the step, and the
    /// owner id if it exists.
    pub async fn create_with_new_owner(
        &self,
        owner: &NewContact,
        details: PropertyDetails,
    ) -> Result<CreatedProperty, PropertyWorkflowError> {
        let (owner, owner_created) = self
            .client
            .contacts()
            .create_or_existing(owner)
            .await
            .map_err(PropertyWorkflowError::Owner)?;
        let mut property = NewProperty::new(details.address, details.market, owner);
        property.branch_id = details.branch;
        property.negotiator_id = details.negotiator;
        let failed = |error| PropertyWorkflowError::Property {
            owner,
            owner_created,
            error,
        };
        let (id, property_created) = self.create_or_existing(&property).await.map_err(failed)?;
        if !property_created {
            match self.add_owner(id, owner).await {
                Ok(()) => {}
                // Already an owner: nothing to add.
                Err(AltoError::Duplicate { .. }) => {}
                Err(error) => return Err(failed(error)),
            }
        }
        Ok(CreatedProperty {
            owner,
            owner_created,
            property: id,
            property_created,
        })
    }

    /// Associates a further owner with a property (`POST /inventory/{inventoryId}/owner`).
    pub async fn add_owner(&self, property: PropertyId, owner: ContactId) -> Result<(), AltoError> {
        const OP: &str = operations::ADD_PROPERTY_OWNER;
        let body: types::AddInventoryOwner = typed(OP, &Owner { contact_id: owner })?;
        let call = self
            .client
            .raw()
            .add_property_owner()
            .inventory_id(property.as_i32(OP)?)
            .body(body)
            .send();
        self.client.send(OP, call).await?;
        Ok(())
    }

    /// Gets a property's details (`GET /inventory/{inventoryId}`).
    pub async fn get(&self, property: PropertyId) -> Result<PropertyDetail, AltoError> {
        const OP: &str = operations::GET_PROPERTY;
        let call = self
            .client
            .raw()
            .get_property()
            .inventory_id(property.to_string())
            .send();
        Ok(self.client.send(OP, call).await?.into_inner())
    }

    /// Raises a charge to the property's landlord (`POST /inventory/{propertyId}/charges`,
    /// `multipart/form-data`). Not resent once sent (a POST).
    pub async fn charge(
        &self,
        property: PropertyId,
        charge: NewPropertyCharge,
    ) -> Result<PropertyCharge, AltoError> {
        const OP: &str = operations::CREATE_PROPERTY_CHARGE;
        let form = charge.into_form(OP)?;
        let id = property.to_string();
        let body = self
            .client
            .send_multipart(OP, &[("propertyId", &id)], form)
            .await?;
        decode(OP, &body)
    }
}
