//! `alto admin create-user` end to end: password from the environment, hashed, usable to sign in.
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
}
