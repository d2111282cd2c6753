//! One module per command family.

pub mod appointments;
pub mod calendar;
pub mod contacts;
pub mod documents;
pub mod file_notes;
pub mod listings;
pub mod receiver;
pub mod reference_checks;
pub mod relationships;
pub mod sim;
pub mod spec;
