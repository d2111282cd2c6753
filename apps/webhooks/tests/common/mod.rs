//! Helpers shared by the integration tests: fresh stores on SQLite or PostgreSQL, events.
#![allow(dead_code)] // each test binary uses a different subset

use alto_admin::Store;
use sqlx::Connection;

/// Environment variable naming the PostgreSQL server for the several-instances tests.
pub const POSTGRES_URL_VAR: &str = "ALTO_TEST_POSTGRES_URL";

/// Whether a missing service must fail the test (CI) rather than skip it.
pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// Fails under CI, otherwise prints a skip notice.
pub fn skip_unless_ci(what: &str, how: &str) {
    assert!(!in_ci(), "CI is set but {what} is not available: {how}");
    eprintln!("SKIPPED: {what} is not available ({how}); set it up to run this test");
}

/// A test database that lives as long as the value.
pub struct TestDb {
    /// The store under test.
    pub store: Store,
    /// The URL it was opened with (to open a second instance on it).
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin_url, schema)) = self.pg.take() {
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

/// A fresh SQLite store in a temporary folder.
pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}/admin.sqlite?mode=rwc", dir.path().display());
    let store = Store::connect(&url).await.expect("open SQLite store");
    TestDb {
        store,
        url,
        _dir: Some(dir),
        pg: None,
    }
}

/// A fresh PostgreSQL store in its own schema; `None` (with a notice) without a server outside
/// CI, a failure under CI.
pub async fn postgres() -> Option<TestDb> {
    let Ok(admin_url) = std::env::var(POSTGRES_URL_VAR) else {
        skip_unless_ci(
            "PostgreSQL",
            "ALTO_TEST_POSTGRES_URL is unset; run `eval \"$(bash .ci/admin-services.sh)\"`",
        );
        return None;
    };
    let schema = format!("alto_hooks_test_{}", random_suffix());
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
    let store = Store::connect(&url).await.expect("open PostgreSQL store");
    Some(TestDb {
        store,
        url,
        _dir: None,
        pg: Some((admin_url, schema)),
    })
}

/// Lower-case hex, unique enough to keep parallel tests apart.
pub fn random_suffix() -> String {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("random");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A structured-mode CloudEvent body.
pub fn event_body(id: &str, kind: &str, subject: &str, data: serde_json::Value) -> String {
    serde_json::json!({
        "specversion": "1.0",
        "id": id,
        "source": "https://api.zoopla.co.uk/alto",
        "type": kind,
        "subject": subject,
        "time": "2026-03-01T10:00:00Z",
        "datacontenttype": "application/json",
        "data": data,
    })
    .to_string()
}
