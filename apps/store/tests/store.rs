//! The store's own suite, every test run on SQLite and on PostgreSQL (`ALTO_TEST_POSTGRES_URL`).
//! The admin app's suite (`apps/admin/tests/store_suite.rs`) covers the list, the edit form's
//! saves, users and sessions through the settings service.

#[path = "store/clock.rs"]
mod clock;
#[path = "store/event_names.rs"]
mod event_names;
#[path = "store/integration_order.rs"]
mod integration_order;
#[path = "store/link.rs"]
mod link;
#[path = "store/upgrade.rs"]
mod upgrade;

/// Generates `sqlite::NAME` and `postgres::NAME` for each `module::NAME(&TestDb)`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let db = alto_testkit::db::sqlite().await;
                    super::$name(&db).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let Some(db) = alto_testkit::db::postgres().await else { return };
                    super::$name(&db).await;
                }
            )*
        }
    };
}
