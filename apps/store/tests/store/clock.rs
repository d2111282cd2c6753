//! The database clock that leases read.

use alto_store::now_ms;
use alto_testkit::db::TestDb;

crate::on_both_backends!(the_database_clock_is_unix_milliseconds);

async fn the_database_clock_is_unix_milliseconds(db: &TestDb) {
    let before = now_ms();
    let database = db.store.database_now_ms().await.unwrap();
    let after = now_ms();
    // Same machine, so the same clock give or take a second; a unit mistake (seconds,
    // microseconds) would be off by orders of magnitude.
    assert!(
        (before - 1_000..=after + 1_000).contains(&database),
        "database {database}, local {before}..{after}"
    );
    let later = db.store.database_now_ms().await.unwrap();
    assert!(
        later >= database,
        "the clock does not stand still between statements"
    );
}
