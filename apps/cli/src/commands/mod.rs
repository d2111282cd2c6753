//! One module per command family.

pub mod contacts;
pub mod receiver;
pub mod reference_checks;
pub mod sim;
pub mod spec;
