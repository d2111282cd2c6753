//! Branches and negotiators: the agency's offices and staff, whose ids contacts, properties and
//! appointments need.

use futures::Stream;

use crate::client::AgencyClient;
use crate::error::AltoError;
use crate::operations;
use crate::paging::{raw_pages, DEFAULT_PAGE_SIZE};
use crate::raw::types;

/// A branch as Alto lists it.
pub type Branch = types::Branch;
/// A negotiator as Alto lists it.
pub type Negotiator = types::Negotiator;

/// Branch and negotiator listings for one agency. Get it with [`AgencyClient::branches`].
#[derive(Debug, Clone, Copy)]
pub struct Branches<'a> {
    client: &'a AgencyClient,
}

impl AgencyClient {
    /// Branch and negotiator listings.
    pub fn branches(&self) -> Branches<'_> {
        Branches { client: self }
    }
}

impl<'a> Branches<'a> {
    /// All active branches (`GET /branches`).
    pub fn list(&self) -> impl Stream<Item = Result<Branch, AltoError>> + 'a {
        const OP: &str = operations::LIST_BRANCHES;
        raw_pages!(self.client, OP, |raw| raw
            .list_branches()
            .active_only(true)
            .max_results(DEFAULT_PAGE_SIZE as i32))
    }

    /// All negotiators (`GET /negotiators`).
    pub fn negotiators(&self) -> impl Stream<Item = Result<Negotiator, AltoError>> + 'a {
        const OP: &str = operations::LIST_NEGOTIATORS;
        raw_pages!(self.client, OP, |raw| raw
            .list_negotiators()
            .max_results(DEFAULT_PAGE_SIZE as i32))
    }
}
