//! A fresh store per test, on SQLite or PostgreSQL (`ALTO_TEST_POSTGRES_URL`).

use alto_store::Store;
use sqlx::Connection;

/// Environment variable naming the PostgreSQL server the store suite also runs on.
pub const POSTGRES_URL_VAR: &str = "ALTO_TEST_POSTGRES_URL";

/// Whether a missing service must fail the test (CI) rather than skip it (a laptop).
pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// Fails under CI, otherwise prints a skip notice and returns false.
pub fn skip_unless_ci(what: &str, how: &str) -> bool {
    assert!(!in_ci(), "CI is set but {what} is not available: {how}");
    eprintln!("SKIPPED: {what} is not available ({how}); set it up to run this test");
    false
}

/// A test database that lives as long as the value.
pub struct TestDb {
    /// The store under test.
    pub store: Store,
    /// The URL the store was opened with (to reopen it).
    pub url: String,
    /// Held for its `Drop`: removes the database after the store (declared before it) closed.
    _cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, schema: String },
}

/// An empty test database, no migrations run: for tests that build an older schema first (an
/// upgrade from an earlier migration). Dropped with the value, as [`TestDb`] is.
pub struct EmptyDb {
    /// The URL to open it with.
    pub url: String,
    cleanup: Cleanup,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        if let Cleanup::Postgres { admin_url, schema } = self {
            let (admin_url, schema) = (admin_url.clone(), schema.clone());
            // Drop runs inside the test's runtime; use a thread with its own to await the cleanup.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .ok()?;
                rt.block_on(async {
                    let mut conn = sqlx::PgConnection::connect(&admin_url).await.ok()?;
                    sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                        .execute(&mut conn)
                        .await
                        .ok()
                })
            })
            .join();
        }
    }
}

/// An empty SQLite database in its own temporary folder.
pub fn empty_sqlite() -> EmptyDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}/admin.sqlite?mode=rwc", dir.path().display());
    EmptyDb {
        url,
        cleanup: Cleanup::Sqlite(dir),
    }
}

/// An empty PostgreSQL schema, or `None` (with a notice) when no server is configured outside
/// CI. Under CI a missing server fails the test.
pub async fn empty_postgres() -> Option<EmptyDb> {
    let Ok(admin_url) = std::env::var(POSTGRES_URL_VAR) else {
        skip_unless_ci(
            "PostgreSQL",
            "ALTO_TEST_POSTGRES_URL is unset; run `eval \"$(bash .ci/admin-services.sh)\"`",
        );
        return None;
    };
    let schema = format!("alto_test_{}", random_suffix());
    let mut conn = sqlx::PgConnection::connect(&admin_url)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to {POSTGRES_URL_VAR}: {e}"));
    sqlx::query(&format!("CREATE SCHEMA {schema}"))
        .execute(&mut conn)
        .await
        .expect("create test schema");
    conn.close().await.ok();
    let separator = if admin_url.contains('?') { '&' } else { '?' };
    let url = format!("{admin_url}{separator}options[search_path]={schema}");
    Some(EmptyDb {
        url,
        cleanup: Cleanup::Postgres { admin_url, schema },
    })
}

/// A fresh SQLite store in its own temporary folder.
pub async fn sqlite() -> TestDb {
    migrated(empty_sqlite()).await
}

/// A fresh PostgreSQL store in its own schema, or `None` (with a notice) when no server is
/// configured outside CI. Under CI a missing server fails the test.
pub async fn postgres() -> Option<TestDb> {
    Some(migrated(empty_postgres().await?).await)
}

/// Opens `empty` as a store, which brings its schema up to date.
pub async fn migrated(empty: EmptyDb) -> TestDb {
    let EmptyDb { url, cleanup } = empty;
    let store = Store::connect(&url).await.expect("open the test store");
    TestDb {
        store,
        url,
        _cleanup: cleanup,
    }
}

/// Lower-case hex, unique enough to keep parallel tests apart.
pub fn random_suffix() -> String {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("random");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// An argon2id hash with tiny parameters, so tests that sign in many times stay fast in debug
/// builds. Verification reads the parameters from the hash, so login code runs unchanged.
pub fn cheap_password_hash(password: &str) -> String {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let params = argon2::Params::new(1024, 1, 1, None).expect("params");
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let salt = SaltString::encode_b64(random_suffix().as_bytes()).expect("salt");
    argon
        .hash_password(password.as_bytes(), &salt)
        .expect("hash")
        .to_string()
}
