//! Migration 0009 on a database holding webhook events under former type names: those with an
//! Alto counterpart are renamed (`Contact.Updated` → `Contact.Modified`), the rest keep their
//! name, and the report table and view say which was which and how many events each had.

use std::borrow::Cow;

use alto_store::{migrator, Backend, Store};
use alto_testkit::db::{empty_postgres, empty_sqlite, EmptyDb};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Row};

mod sqlite {
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn former_event_names_are_renamed_or_reported() {
        super::renames_or_reports(super::empty_sqlite(), super::Backend::Sqlite).await;
    }
}

mod postgres {
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn former_event_names_are_renamed_or_reported() {
        let Some(db) = super::empty_postgres().await else {
            return;
        };
        super::renames_or_reports(db, super::Backend::Postgres).await;
    }
}

async fn at_0008(db: &EmptyDb, backend: Backend) -> AnyPool {
    sqlx::any::install_default_drivers();
    let pool = AnyPool::connect(&db.url).await.unwrap();
    let until: Vec<_> = migrator(backend)
        .iter()
        .filter(|m| m.version <= 8)
        .cloned()
        .collect();
    assert_eq!(until.len(), 8);
    Migrator {
        migrations: Cow::Owned(until),
        ..Migrator::DEFAULT
    }
    .run(&pool)
    .await
    .unwrap();
    pool
}

async fn renames_or_reports(db: EmptyDb, backend: Backend) {
    let pool = at_0008(&db, backend).await;
    let stored = [
        ("e1", "Contact.Updated"),
        ("e2", "Contact.Updated"),
        ("e3", "Offer.Updated"),
        ("e4", "ReferenceCheck.Updated"),
        ("e5", "Contact.Created"),
        ("e6", "Viewing.Booked"),
        ("e7", "WorkOrder.Created"),
        ("e8", "WorkOrder.Created"),
    ];
    for (id, kind) in stored {
        sqlx::query(
            "INSERT INTO alto_webhook_events (event_id, event_type, source, payload, received_at) \
             VALUES ($1, $2, 'alto', $3, 1)",
        )
        .bind(id)
        .bind(kind)
        .bind(format!(r#"{{"type":"{kind}"}}"#))
        .execute(&pool)
        .await
        .unwrap();
    }
    pool.close().await;

    let store = Store::connect(&db.url).await.expect("the upgrade runs");
    let types: Vec<(String, String, String)> = sqlx::query(
        "SELECT event_id, event_type, payload FROM alto_webhook_events ORDER BY event_id",
    )
    .fetch_all(store.pool())
    .await
    .unwrap()
    .iter()
    .map(|r| {
        (
            r.try_get("event_id").unwrap(),
            r.try_get("event_type").unwrap(),
            r.try_get("payload").unwrap(),
        )
    })
    .collect();
    let kinds: Vec<&str> = types.iter().map(|(_, kind, _)| kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "Contact.Modified",
            "Contact.Modified",
            "Offer.Modified",
            "ReferenceCheck.Updated",
            "Contact.Created",
            "Viewing.Booked",
            "WorkOrder.Created",
            "WorkOrder.Created",
        ]
    );
    // The body stays as it was received.
    assert_eq!(types[0].2, r#"{"type":"Contact.Updated"}"#);

    let report: Vec<(String, Option<String>, i64)> = sqlx::query(
        "SELECT former_type, current_type, events FROM alto_webhook_type_renames \
         ORDER BY former_type",
    )
    .fetch_all(store.pool())
    .await
    .unwrap()
    .iter()
    .map(|r| {
        (
            r.try_get("former_type").unwrap(),
            r.try_get("current_type").unwrap(),
            r.try_get("events").unwrap(),
        )
    })
    .collect();
    assert_eq!(
        report,
        [
            ("Contact.Updated".into(), Some("Contact.Modified".into()), 2),
            ("Offer.Updated".into(), Some("Offer.Modified".into()), 1),
            ("ReferenceCheck.Updated".into(), None, 1),
            ("WorkOrder.Created".into(), None, 2),
        ]
    );
    let unmapped: Vec<(String, i64)> = sqlx::query(
        "SELECT former_type, events FROM alto_webhook_unmapped_types ORDER BY former_type",
    )
    .fetch_all(store.pool())
    .await
    .unwrap()
    .iter()
    .map(|r| {
        (
            r.try_get("former_type").unwrap(),
            r.try_get("events").unwrap(),
        )
    })
    .collect();
    assert_eq!(
        unmapped,
        [
            ("ReferenceCheck.Updated".into(), 1),
            ("WorkOrder.Created".into(), 2)
        ]
    );
}
