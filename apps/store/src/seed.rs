//! Demo and bulk agencies, for `alto admin serve --seed-demo` and for paging tests.

use super::{Store, StoreError};
use crate::model::NewAgency;

/// A handful of agencies covering every status.
pub fn demo_agencies() -> Vec<NewAgency> {
    let agency = |id: &str, name: &str, production: bool, agency_ref: Option<&str>| NewAgency {
        id: id.to_string(),
        display_name: name.to_string(),
        alto_enabled: true,
        use_production: production,
        alto_agency_ref: agency_ref.map(str::to_string),
    };
    vec![
        agency("agency-0001", "Harbour Lettings", false, None),
        agency(
            "agency-0002",
            "Meadow & Finch Estates",
            true,
            Some("cc14b30e-a0f7-5fa1-8b66-bae2f340b87c"),
        ),
        agency("agency-0003", "Northgate Property Management", true, None),
        agency(
            "agency-0004",
            "Riverside Homes",
            false,
            Some("5b238e6b-29bb-53a0-b50e-b739d7296012"),
        ),
        agency("agency-0005", "Oakridge Residential", false, None),
        NewAgency {
            alto_enabled: false,
            ..agency("agency-0006", "Not On Alto Ltd", false, None)
        },
    ]
}

/// `count` Alto-enabled sandbox agencies named "Bulk Agency 00001" ... (ids `bulk-00001` ...).
pub fn bulk_agencies(count: usize) -> Vec<NewAgency> {
    (1..=count)
        .map(|i| NewAgency::sandbox(format!("bulk-{i:05}"), format!("Bulk Agency {i:05}")))
        .collect()
}

impl Store {
    /// Inserts the demo agencies that are not there yet; returns how many were added.
    pub async fn seed_demo(&self) -> Result<u64, StoreError> {
        self.insert_agencies(&demo_agencies()).await
    }
}
