//! Staff accounts, sessions and staff changes in the store, on SQLite and on PostgreSQL
//! (`ALTO_TEST_POSTGRES_URL`): the idle timeout, the purge, disabled users, password resets,
//! ending a user's sessions; adding an agency and switching "Alto enabled", audited.

mod common;

use std::time::Duration;

use alto_admin::auth::sessions::log_in;
use alto_admin::auth::users::reset_password;
use alto_admin::auth::{LoginError, UserError};
use alto_admin::staff::{AgencyDraft, StaffChangeError};
use alto_admin::store::{now_ms, AgencyFilter, NewSession, PageRequest};
use alto_admin::{AltoSettings, Role, StoreError};
use common::TestDb;

/// Generates `sqlite::NAME` and `postgres::NAME` for every suite function.
macro_rules! staff_suite {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let db = crate::common::sqlite().await;
                    super::$name(&db).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(db) = crate::common::postgres().await else { return };
                    super::$name(&db).await;
                }
            )*
        }
    };
}

staff_suite!(
    idle_sessions_end_and_are_purged,
    disabled_users_cannot_sign_in_and_lose_their_sessions,
    a_password_reset_ends_the_sessions,
    ending_a_users_sessions_leaves_others_alone,
    added_agencies_and_the_alto_switch_are_audited,
);

const PASSWORD: &str = "correct horse battery staple";
const HOUR: Duration = Duration::from_secs(3600);

async fn user(db: &TestDb, name: &str) -> i64 {
    let hash = common::cheap_password_hash(PASSWORD);
    db.store
        .insert_user(name, &hash, Role::Admin)
        .await
        .unwrap()
        .id
}

async fn session(db: &TestDb, id_hash: &str, user_id: i64) {
    db.store
        .insert_session(&NewSession {
            id_hash,
            user_id,
            csrf_token: "csrf",
            expires_at_ms: now_ms() + 3_600_000,
        })
        .await
        .unwrap();
}

/// Moves a session's last use `ago` into the past.
async fn last_seen(db: &TestDb, id_hash: &str, ago: Duration) {
    let at = now_ms() - i64::try_from(ago.as_millis()).unwrap();
    sqlx::query("UPDATE admin_sessions SET last_seen_at = $1 WHERE id_hash = $2")
        .bind(at)
        .bind(id_hash)
        .execute(db.store.pool())
        .await
        .unwrap();
}

async fn idle_sessions_end_and_are_purged(db: &TestDb) {
    let ann = user(db, "ann").await;
    session(db, "fresh", ann).await;
    session(db, "idle", ann).await;
    session(db, "busy", ann).await;
    last_seen(db, "idle", Duration::from_secs(31 * 60)).await;
    last_seen(db, "busy", Duration::from_secs(10 * 60)).await;
    let idle = Duration::from_secs(30 * 60);
    assert!(db
        .store
        .active_session("fresh", idle)
        .await
        .unwrap()
        .is_some());
    assert!(db
        .store
        .active_session("idle", idle)
        .await
        .unwrap()
        .is_none());
    assert!(
        db.store.session("idle").await.unwrap().is_some(),
        "still within the absolute timeout"
    );
    // A use restarts the idle clock: 25 minutes later it is 35 minutes old, yet active.
    assert!(db
        .store
        .active_session("busy", idle)
        .await
        .unwrap()
        .is_some());
    let seen: i64 =
        sqlx::query_scalar("SELECT last_seen_at FROM admin_sessions WHERE id_hash = 'busy'")
            .fetch_one(db.store.pool())
            .await
            .unwrap();
    assert!(now_ms() - seen < 60_000, "the use was recorded");

    assert_eq!(
        db.store.purge_sessions(idle).await.unwrap(),
        1,
        "only the idle one"
    );
    assert!(db.store.session("idle").await.unwrap().is_none());
    assert!(db.store.session("fresh").await.unwrap().is_some());
}

async fn disabled_users_cannot_sign_in_and_lose_their_sessions(db: &TestDb) {
    let ann = user(db, "ann").await;
    session(db, "s1", ann).await;
    log_in(&db.store, "ann", PASSWORD, HOUR).await.unwrap();

    let disabled = db.store.set_user_disabled("ann", true).await.unwrap();
    assert_eq!(disabled.username, "ann");
    assert!(
        db.store.session("s1").await.unwrap().is_none(),
        "sessions ended"
    );
    let refused = log_in(&db.store, "ann", PASSWORD, HOUR).await.unwrap_err();
    assert!(matches!(refused, LoginError::BadCredentials), "{refused}");
    let listed = db.store.list_users().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].disabled_at_ms.is_some());
    assert_eq!(listed[0].sessions, 0);

    db.store.set_user_disabled("ann", false).await.unwrap();
    let login = log_in(&db.store, "ann", PASSWORD, HOUR).await.unwrap();
    assert_eq!(login.user.username, "ann");
    let listed = db.store.list_users().await.unwrap();
    assert_eq!((listed[0].disabled_at_ms, listed[0].sessions), (None, 1));

    let missing = db
        .store
        .set_user_disabled("nobody", true)
        .await
        .unwrap_err();
    assert!(
        matches!(missing, StoreError::NoSuchUser(ref n) if n == "nobody"),
        "{missing}"
    );
    assert!(missing.to_string().contains("list-users"), "{missing}");
}

async fn a_password_reset_ends_the_sessions(db: &TestDb) {
    let ann = user(db, "ann").await;
    session(db, "s1", ann).await;
    let weak = reset_password(&db.store, "ann", "short").await.unwrap_err();
    assert!(matches!(weak, UserError::WeakPassword), "{weak}");
    assert!(
        db.store.session("s1").await.unwrap().is_some(),
        "a refused reset changes nothing"
    );

    reset_password(&db.store, "ann", "a brand new long password")
        .await
        .unwrap();
    assert!(db.store.session("s1").await.unwrap().is_none());
    assert!(log_in(&db.store, "ann", PASSWORD, HOUR).await.is_err());
    log_in(&db.store, "ann", "a brand new long password", HOUR)
        .await
        .unwrap();
    let missing = reset_password(&db.store, "nobody", "a brand new long password").await;
    assert!(matches!(
        missing,
        Err(UserError::Store(StoreError::NoSuchUser(_)))
    ));
}

async fn ending_a_users_sessions_leaves_others_alone(db: &TestDb) {
    let ann = user(db, "ann").await;
    let bob = user(db, "bob").await;
    session(db, "a1", ann).await;
    session(db, "a2", ann).await;
    session(db, "b1", bob).await;
    assert_eq!(db.store.end_sessions_of(ann).await.unwrap(), 2);
    assert!(db.store.session("a1").await.unwrap().is_none());
    assert!(db.store.session("b1").await.unwrap().is_some());
    assert_eq!(db.store.user_named("bob").await.unwrap().id, bob);
}

async fn added_agencies_and_the_alto_switch_are_audited(db: &TestDb) {
    let settings = AltoSettings::new(db.store.clone());
    let draft = AgencyDraft {
        id: " agency-new ".into(),
        display_name: "New Lettings".into(),
        alto_enabled: true,
    };
    let added = settings.add_agency(&draft, "ann").await.unwrap();
    assert_eq!(
        (added.id.as_str(), added.alto_enabled),
        ("agency-new", true)
    );
    assert!(!added.use_production && added.alto_agency_ref.is_none());
    let listed = |search: &'static str| {
        let store = db.store.clone();
        async move {
            let filter = AgencyFilter {
                search: Some(search.into()),
                status: None,
            };
            store
                .list_agencies(&filter, PageRequest::default())
                .await
                .unwrap()
                .total
        }
    };
    assert_eq!(listed("New Lettings").await, 1, "listed at once");
    let again = settings.add_agency(&draft, "ann").await.unwrap_err();
    assert!(
        matches!(again, StaffChangeError::DuplicateId(ref id) if id == "agency-new"),
        "{again}"
    );

    let off = settings
        .set_alto_enabled("agency-new", false, Some(added.version), "bob")
        .await
        .unwrap();
    assert!(!off.alto_enabled);
    assert_eq!(off.version, added.version + 1);
    assert_eq!(
        listed("New Lettings").await,
        0,
        "only Alto-enabled agencies are listed"
    );
    let stale = settings
        .set_alto_enabled("agency-new", true, Some(added.version), "ann")
        .await;
    assert!(
        matches!(stale, Err(StaffChangeError::Conflict)),
        "{stale:?}"
    );
    let same = settings
        .set_alto_enabled("agency-new", false, None, "ann")
        .await
        .unwrap();
    assert_eq!(same.version, off.version, "no change, no version bump");
    let missing = settings.set_alto_enabled("nope", true, None, "ann").await;
    assert!(matches!(missing, Err(StaffChangeError::NotFound(_))));

    let history = db.store.audit_history("agency-new").await.unwrap();
    let lines: Vec<_> = history
        .iter()
        .map(|e| {
            (
                e.field.as_str(),
                e.old_value.as_deref(),
                e.new_value.as_deref(),
                e.changed_by.as_str(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            ("alto_enabled", Some("true"), Some("false"), "bob"),
            ("alto_enabled", None, Some("true"), "ann"),
            ("agency_created", None, Some("New Lettings"), "ann"),
        ]
    );
}
