//! A database created at migration 0006, with data in every table, upgrades to the current
//! schema and loses nothing; one whose agencies share an AgencyRef stops before 0007, naming them.

use std::borrow::Cow;

use alto_store::{
    migrator, ActivationLink, AgencyFilter, Backend, LinkOutcome, PageRequest, Store, StoreError,
};
use alto_testkit::db::{empty_postgres, empty_sqlite, EmptyDb};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Row};

/// The first bytes (hex) of the SHA-384 checksums sqlx stored for 0001–0006 when they were
/// applied: databases out there hold these, so the files must never change.
const APPLIED: [(Backend, i64, &str); 12] = [
    (Backend::Sqlite, 1, "d9354f0c38fb909a1ea186fe"),
    (Backend::Sqlite, 2, "57c10fe827ed4f34eba9c3e6"),
    (Backend::Sqlite, 3, "ab25c847ac71e8eecc903910"),
    (Backend::Sqlite, 4, "e4bf3a51806366d9da46477a"),
    (Backend::Sqlite, 5, "27f8e4ef03cc3f378eaa907f"),
    (Backend::Sqlite, 6, "27ca4b3743a895d550f163b0"),
    (Backend::Postgres, 1, "ee666717b81c45baee188ec8"),
    (Backend::Postgres, 2, "d1f785e2a988f56b4a192007"),
    (Backend::Postgres, 3, "ab25c847ac71e8eecc903910"),
    (Backend::Postgres, 4, "e4bf3a51806366d9da46477a"),
    (Backend::Postgres, 5, "fb292af9aa208f77a4711170"),
    (Backend::Postgres, 6, "8829d335d65d6f945fefc641"),
];

#[test]
fn applied_migrations_keep_their_checksums() {
    for (backend, version, prefix) in APPLIED {
        let migration = migrator(backend)
            .iter()
            .find(|m| m.version == version)
            .unwrap_or_else(|| panic!("{backend:?} migration {version} is missing"));
        let hex: String = migration.checksum[..12]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(hex, prefix, "{backend:?} migration {version} changed");
    }
}

mod sqlite {
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_database_at_0006_upgrades_without_losing_anything() {
        super::upgrades_without_losing_anything(super::empty_sqlite(), super::Backend::Sqlite)
            .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn shared_agency_refs_stop_the_upgrade_naming_the_agencies() {
        super::shared_refs_stop_the_upgrade(super::empty_sqlite(), super::Backend::Sqlite).await;
    }
}

mod postgres {
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_database_at_0006_upgrades_without_losing_anything() {
        let Some(db) = super::empty_postgres().await else {
            return;
        };
        super::upgrades_without_losing_anything(db, super::Backend::Postgres).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn shared_agency_refs_stop_the_upgrade_naming_the_agencies() {
        let Some(db) = super::empty_postgres().await else {
            return;
        };
        super::shared_refs_stop_the_upgrade(db, super::Backend::Postgres).await;
    }
}

/// A pool on `db` with the schema of migration 0006, as a deployment of that time left it.
async fn at_0006(db: &EmptyDb, backend: Backend) -> AnyPool {
    sqlx::any::install_default_drivers();
    let pool = AnyPool::connect(&db.url).await.unwrap();
    let until_0006: Vec<_> = migrator(backend)
        .iter()
        .filter(|m| m.version <= 6)
        .cloned()
        .collect();
    assert_eq!(until_0006.len(), 6);
    let old = Migrator {
        migrations: Cow::Owned(until_0006),
        ..Migrator::DEFAULT
    };
    old.run(&pool).await.unwrap();
    pool
}

async fn insert_agency(
    pool: &AnyPool,
    id: &str,
    name: &str,
    production: bool,
    agency_ref: Option<&str>,
) {
    sqlx::query(
        "INSERT INTO agencies (id, display_name, alto_enabled, use_production, alto_agency_ref, \
         alto_identifiers, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 3, 100, 200)",
    )
    .bind(id)
    .bind(name)
    .bind(true)
    .bind(production)
    .bind(agency_ref)
    .bind(r#"{"office":"north"}"#)
    .execute(pool)
    .await
    .unwrap();
}

async fn execute(pool: &AnyPool, sql: &str) {
    sqlx::query(sql).execute(pool).await.unwrap();
}

async fn count(pool: &AnyPool, table: &str) -> i64 {
    let row = sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
        .fetch_one(pool)
        .await
        .unwrap();
    row.try_get("n").unwrap()
}

async fn upgrades_without_losing_anything(db: EmptyDb, backend: Backend) {
    let pool = at_0006(&db, backend).await;
    insert_agency(&pool, "ag-1", "Harbour Lettings", true, Some("AGY-OLD-1")).await;
    insert_agency(&pool, "ag-2", "Meadow Estates", false, None).await;
    insert_agency(&pool, "ag-3", "Northgate Homes", true, None).await;
    execute(&pool, "INSERT INTO agency_audit (agency_id, field, old_value, new_value, changed_by, changed_at) \
        VALUES ('ag-1', 'alto_agency_ref', NULL, 'AGY-OLD-1', 'ann', 150)").await;
    execute(
        &pool,
        "INSERT INTO admin_users (username, password_hash, role, created_at) \
        VALUES ('ann', '$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaA', 'admin', 1)",
    )
    .await;
    let ann: i64 = sqlx::query("SELECT id FROM admin_users WHERE username = 'ann'")
        .fetch_one(&pool)
        .await
        .unwrap()
        .try_get("id")
        .unwrap();
    sqlx::query(
        "INSERT INTO admin_sessions (id_hash, user_id, csrf_token, created_at, expires_at) \
        VALUES ('hash-1', $1, 'csrf-1', 1, 9999999999999)",
    )
    .bind(ann)
    .execute(&pool)
    .await
    .unwrap();
    execute(
        &pool,
        "INSERT INTO pending_activations (event_id, agency_ref, branch_id, received_at) \
        VALUES ('ev-1', '9f7a5dbc-6b8e-4c2f-b0a1-000000000009', 'BR-9', 300)",
    )
    .await;
    execute(
        &pool,
        "INSERT INTO alto_webhook_events (event_id, event_type, source, payload, received_at) \
        VALUES ('ev-1', 'Integration.Activated', 'alto', '{}', 300)",
    )
    .await;
    execute(
        &pool,
        "INSERT INTO alto_poll_state (agency_key, resource, high_water, updated_at) \
        VALUES ('ag-1', 'reference-checks', 42, 400)",
    )
    .await;
    execute(
        &pool,
        "INSERT INTO alto_poll_leases (agency_key, holder, expires_at) \
        VALUES ('ag-1', 'poller-a', 500)",
    )
    .await;
    execute(&pool, "INSERT INTO alto_poll_inbox (agency_key, resource, item_id, created_us, body, handed_at, handed_by) \
        VALUES ('ag-1', 'reference-checks', 'rc-1', 42, '{}', 400, 'poller-a')").await;
    pool.close().await;

    let store = Store::connect(&db.url).await.expect("the upgrade runs");
    assert_eq!(store.pending_migrations().await.unwrap(), Vec::<i64>::new());
    assert_eq!(store.readiness().await, Ok(()), "upgraded means ready");
    let versions: Vec<i64> = sqlx::query("SELECT version FROM _sqlx_migrations ORDER BY version")
        .fetch_all(store.pool())
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get("version").unwrap())
        .collect();
    assert_eq!(
        versions,
        migrator(backend)
            .iter()
            .map(|m| m.version)
            .collect::<Vec<_>>()
    );
    assert!(versions.contains(&7));

    let one = store.agency("ag-1").await.unwrap().unwrap();
    assert_eq!(one.display_name, "Harbour Lettings");
    assert_eq!(one.alto_agency_ref.as_deref(), Some("AGY-OLD-1"));
    assert!(one.use_production && one.alto_enabled);
    assert_eq!(one.alto_identifiers, serde_json::json!({"office": "north"}));
    assert_eq!(
        (one.version, one.created_at_ms, one.updated_at_ms),
        (3, 100, 200)
    );
    // The trigger-kept totals and the search index came through.
    let all = store
        .list_agencies(&AgencyFilter::default(), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(all.total, 3);
    let searched = store
        .list_agencies(
            &AgencyFilter {
                search: Some("gate hom".into()),
                status: None,
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        searched
            .agencies
            .iter()
            .map(|a| a.id.as_str())
            .collect::<Vec<_>>(),
        ["ag-3"]
    );
    let audit = store.audit_history("ag-1").await.unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].new_value.as_deref(), Some("AGY-OLD-1"));
    let user = store.user_credentials("ann").await.unwrap().unwrap();
    assert_eq!(user.user.id, ann);
    let session = store.session("hash-1").await.unwrap().unwrap();
    assert_eq!(session.csrf_token, "csrf-1");
    let pending = store.pending_activations(10).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].branch_id.as_deref(), Some("BR-9"));
    for table in [
        "alto_webhook_events",
        "alto_poll_state",
        "alto_poll_leases",
        "alto_poll_inbox",
    ] {
        assert_eq!(count(store.pool(), table).await, 1, "{table}");
    }

    // And the upgraded database works as a new one: the old activation links.
    let linked = store
        .link_activation(&ActivationLink {
            activation_id: pending[0].id,
            agency_id: "ag-3",
            expected_version: Some(3),
            linked_by: "ann",
        })
        .await
        .unwrap();
    let LinkOutcome::Linked(three) = linked else {
        panic!("{linked:?}")
    };
    assert_eq!(
        three.alto_identifiers,
        serde_json::json!({"office": "north", "branch_ids": ["BR-9"]})
    );
    store.close().await;
}

async fn shared_refs_stop_the_upgrade(db: EmptyDb, backend: Backend) {
    let pool = at_0006(&db, backend).await;
    insert_agency(&pool, "ag-1", "One", true, Some("AGY-SHARED-1")).await;
    insert_agency(&pool, "ag-2", "Two", true, Some("AGY-SHARED-1")).await;
    insert_agency(&pool, "ag-3", "Three", true, Some("AGY-SHARED-2")).await;
    insert_agency(&pool, "ag-4", "Four", true, Some("AGY-SHARED-2")).await;
    insert_agency(&pool, "ag-5", "Five", true, Some("AGY-SHARED-2")).await;
    insert_agency(&pool, "ag-6", "Six", true, Some("AGY-ALONE")).await;

    let err = Store::connect(&db.url).await.unwrap_err();
    let StoreError::DuplicateAgencyRefs(ref groups) = err else {
        panic!("{err}")
    };
    assert_eq!(
        groups,
        &[vec!["ag-1", "ag-2"], vec!["ag-3", "ag-4", "ag-5"]]
    );
    let message = err.to_string();
    assert!(
        message.contains("ag-1, ag-2") && message.contains("ag-3, ag-4, ag-5"),
        "{message}"
    );
    assert!(
        !message.contains("AGY-"),
        "the AgencyRefs stay out of the message: {message}"
    );
    // Nothing was applied: the database is still at 0006, ready once the duplicates are cleared.
    let top: i64 = sqlx::query("SELECT MAX(version) AS v FROM _sqlx_migrations")
        .fetch_one(&pool)
        .await
        .unwrap()
        .try_get("v")
        .unwrap();
    assert_eq!(top, 6);
    execute(
        &pool,
        "UPDATE agencies SET alto_agency_ref = NULL WHERE id IN ('ag-2', 'ag-4', 'ag-5')",
    )
    .await;
    let store = Store::connect(&db.url)
        .await
        .expect("upgrades once the duplicates are cleared");
    assert_eq!(
        store
            .agency_id_by_ref("AGY-SHARED-2")
            .await
            .unwrap()
            .as_deref(),
        Some("ag-3")
    );
    store.close().await;
    pool.close().await;
}
