//! Helpers shared by the integration tests: a fresh store per test on SQLite or PostgreSQL
//! (from `alto-testkit`, which the webhook suite uses too).
#![allow(unused_imports)] // each test binary uses a different subset

pub use alto_testkit::db::*;
