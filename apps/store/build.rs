//! Rebuilds the crate when a migration is added: `sqlx::migrate!` embeds the files at compile
//! time, and Cargo does not otherwise notice a new file in the folders.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
