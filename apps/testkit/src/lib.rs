//! Test support shared by the admin and webhook suites (dev-dependency only): a fresh store per
//! test on SQLite or PostgreSQL ([`db`]), and headless Chromium driven through chromedriver
//! ([`browser`]). Missing services skip a test on a laptop and fail it under CI.

pub mod browser;
pub mod db;
