//! `alto admin create-user` and the account commands end to end: password from the environment,
//! hashed, usable to sign in; then reset, disabled, enabled, sessions ended.
//! One test in this binary, because it sets a process-wide environment variable.

mod common;

use std::time::Duration;

use alto_admin::auth::sessions::log_in;
use alto_admin::cli::{run, AdminCommand, PASSWORD_ENV};
use alto_admin::{Role, Store};

#[tokio::test]
async fn create_user_reads_the_password_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}/nested/admin.sqlite?mode=rwc",
        dir.path().display()
    );
    let command = |username: &str| AdminCommand::CreateUser {
        username: username.to_string(),
        role: Role::Admin,
        password_stdin: false,
        database_url: url.clone(),
    };

    std::env::remove_var(PASSWORD_ENV);
    let err = run(command("ann")).await.unwrap_err();
    assert!(err.to_string().contains("--password-stdin"), "{err:#}");

    std::env::set_var(PASSWORD_ENV, "a long admin password");
    run(command("ann")).await.unwrap();
    let again = run(command("ann")).await.unwrap_err();
    assert!(
        again.to_string().contains("already exists"),
        "the cause is in to_string(): {again}"
    );
    std::env::remove_var(PASSWORD_ENV);

    let store = Store::connect(&url).await.unwrap();
    let login = log_in(
        &store,
        "ann",
        "a long admin password",
        Duration::from_secs(60),
    )
    .await
    .unwrap();
    assert_eq!(
        (login.user.username.as_str(), login.user.role),
        ("ann", Role::Admin)
    );
    assert!(
        log_in(&store, "ann", "wrong password", Duration::from_secs(60))
            .await
            .is_err()
    );
    let hash = store
        .user_credentials("ann")
        .await
        .unwrap()
        .unwrap()
        .password_hash;
    assert!(!hash.contains("a long admin password"));

    // reset-password: the new password works, the old one and its session do not.
    let database_url = url.clone();
    std::env::set_var(PASSWORD_ENV, "the new admin password");
    run(AdminCommand::ResetPassword {
        username: "ann".into(),
        password_stdin: false,
        database_url: database_url.clone(),
    })
    .await
    .unwrap();
    std::env::remove_var(PASSWORD_ENV);
    assert_eq!(store.list_users().await.unwrap()[0].sessions, 0);
    let ttl = Duration::from_secs(60);
    assert!(log_in(&store, "ann", "a long admin password", ttl)
        .await
        .is_err());
    log_in(&store, "ann", "the new admin password", ttl)
        .await
        .unwrap();
    log_in(&store, "ann", "the new admin password", ttl)
        .await
        .unwrap();

    // end-sessions, then disable-user and enable-user.
    let account =
        |command: fn(String, String) -> AdminCommand| command("ann".into(), database_url.clone());
    run(account(|username, database_url| {
        AdminCommand::EndSessions {
            username,
            database_url,
        }
    }))
    .await
    .unwrap();
    assert_eq!(store.list_users().await.unwrap()[0].sessions, 0);
    log_in(&store, "ann", "the new admin password", ttl)
        .await
        .unwrap();
    run(account(|username, database_url| {
        AdminCommand::DisableUser {
            username,
            database_url,
        }
    }))
    .await
    .unwrap();
    let listed = &store.list_users().await.unwrap()[0];
    assert!(
        listed.disabled_at_ms.is_some() && listed.sessions == 0,
        "{listed:?}"
    );
    assert!(log_in(&store, "ann", "the new admin password", ttl)
        .await
        .is_err());
    run(AdminCommand::ListUsers {
        database_url: database_url.clone(),
    })
    .await
    .unwrap();
    run(account(|username, database_url| AdminCommand::EnableUser {
        username,
        database_url,
    }))
    .await
    .unwrap();
    log_in(&store, "ann", "the new admin password", ttl)
        .await
        .unwrap();

    let unknown = run(AdminCommand::DisableUser {
        username: "nobody".into(),
        database_url,
    })
    .await
    .unwrap_err();
    assert!(
        unknown.to_string().contains("no user named \"nobody\""),
        "{unknown}"
    );
}
