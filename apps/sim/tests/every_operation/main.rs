//! Every operation of the vendored spec, its happy path and its declared errors, against one
//! production-mode simulator. Each family lists its cases in its own module.

mod case;
mod runner;

mod contacts;
mod property_management;
mod sales_and_listings;

use case::Case;

/// All cases, in the order they run.
fn all_cases() -> Vec<Case> {
    let mut cases = contacts::cases();
    cases.extend(property_management::cases());
    cases.extend(sales_and_listings::cases());
    cases
}

#[tokio::test]
async fn every_case_answers_its_status() {
    runner::run(all_cases()).await;
}
