//! One module per command family.

pub mod appointments;
pub mod calendar;
pub mod contacts;
pub mod receiver;
pub mod reference_checks;
pub mod sim;
pub mod spec;
