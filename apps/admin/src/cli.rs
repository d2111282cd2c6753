//! `alto admin ...`: the subcommands the `alto` binary mounts.
//!
//! ```text
//! #[derive(clap::Subcommand)]
//! enum Command {
//!     /// Alto Settings admin app.
//!     #[command(subcommand)]
//!     Admin(alto_admin::cli::AdminCommand),
//! }
//! // ...
//! Command::Admin(cmd) => alto_admin::cli::run(cmd).await?,
//! ```

use std::net::SocketAddr;

use anyhow::{bail, Context};
use tokio::io::AsyncBufReadExt;

use crate::auth::create_user;
use crate::model::Role;
use crate::store::{Store, DEFAULT_DATABASE_URL};
use crate::web::{serve, AdminState};

/// Environment variable `create-user` reads the password from when `--password-stdin` is not given.
pub const PASSWORD_ENV: &str = "ALTO_ADMIN_PASSWORD";

/// The admin subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum AdminCommand {
    /// Create a user who can sign in to Alto Settings (the first admin, typically).
    ///
    /// The password comes from standard input (--password-stdin) or from ALTO_ADMIN_PASSWORD,
    /// never from the command line, where it would end up in shell history and `ps`.
    CreateUser {
        /// Login name (also what the audit log shows).
        #[arg(long)]
        username: String,
        /// What the user may do.
        #[arg(long, value_enum, default_value_t = Role::Admin)]
        role: Role,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        /// Database: sqlite://PATH?mode=rwc (default) or postgres://USER:PASS@HOST/DB.
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, hide_env_values = true)]
        database_url: String,
    },
    /// Run the Alto Settings web app (http://BIND/admin/alto-agencies).
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: SocketAddr,
        /// Database: sqlite://PATH?mode=rwc (default) or postgres://USER:PASS@HOST/DB.
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, hide_env_values = true)]
        database_url: String,
        /// Insert a few demo agencies (those already present are left alone).
        #[arg(long)]
        seed_demo: bool,
        /// Mark cookies Secure (use when served over HTTPS, e.g. behind a TLS proxy).
        #[arg(long)]
        secure_cookies: bool,
    },
}

/// Runs one admin subcommand.
///
/// The error's `Display` carries the whole cause chain ("could not create user "ann": a user
/// named "ann" already exists"), so a caller printing `to_string()` shows what to fix.
pub async fn run(command: AdminCommand) -> anyhow::Result<()> {
    run_with(command, |_| None).await
}

/// Like [`run`], and `serve` also mounts the routes `extra` makes from the store (the binary
/// uses this to add the Alto webhook receiver, which lives in a crate of its own).
pub async fn run_with(
    command: AdminCommand,
    extra: impl FnOnce(&Store) -> Option<axum::Router>,
) -> anyhow::Result<()> {
    run_command(command, extra)
        .await
        .map_err(|e| anyhow::anyhow!("{e:#}"))
}

async fn run_command(
    command: AdminCommand,
    extra: impl FnOnce(&Store) -> Option<axum::Router>,
) -> anyhow::Result<()> {
    match command {
        AdminCommand::CreateUser {
            username,
            role,
            password_stdin,
            database_url,
        } => {
            let password = read_password(password_stdin).await?;
            let store = connect(&database_url).await?;
            let user = create_user(&store, &username, &password, role)
                .await
                .with_context(|| format!("could not create user {username:?}"))?;
            println!("created {} user {:?}", user.role.as_str(), user.username);
            store.close().await;
            Ok(())
        }
        AdminCommand::Serve {
            bind,
            database_url,
            seed_demo,
            secure_cookies,
        } => {
            let store = connect(&database_url).await?;
            if seed_demo {
                let added = store
                    .seed_demo()
                    .await
                    .context("could not insert demo agencies")?;
                println!("demo agencies added: {added}");
            }
            let extra = extra(&store);
            let state = AdminState::builder(store)
                .secure_cookies(secure_cookies)
                .build();
            let listener = tokio::net::TcpListener::bind(bind)
                .await
                .with_context(|| format!("cannot listen on {bind}"))?;
            let addr = listener.local_addr()?;
            println!("Alto Settings: http://{addr}/admin/alto-agencies");
            serve(listener, state, extra, async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .context("the admin server stopped with an error")
        }
    }
}

async fn connect(database_url: &str) -> anyhow::Result<Store> {
    // The URL may hold a password: name only the backend in the message.
    Store::connect(database_url)
        .await
        .context("could not open the admin database (check DATABASE_URL / --database-url)")
}

async fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    let password = if from_stdin {
        let mut line = String::new();
        tokio::io::BufReader::new(tokio::io::stdin())
            .read_line(&mut line)
            .await
            .context("could not read the password from standard input")?;
        line.trim_end_matches(['\r', '\n']).to_string()
    } else {
        match std::env::var(PASSWORD_ENV) {
            Ok(value) => value,
            Err(_) => {
                bail!("no password given: pipe it in with --password-stdin, or set {PASSWORD_ENV}")
            }
        }
    };
    if password.is_empty() {
        bail!("the password is empty");
    }
    Ok(password)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, clap::Parser)]
    struct Cli {
        #[command(subcommand)]
        admin: AdminCommand,
    }

    #[test]
    fn parses_serve_and_create_user() {
        let cli = Cli::try_parse_from(["alto", "serve", "--bind", "127.0.0.1:9000", "--seed-demo"])
            .unwrap();
        assert!(matches!(
            cli.admin,
            AdminCommand::Serve { bind, seed_demo: true, .. } if bind.port() == 9000
        ));
        let cli = Cli::try_parse_from([
            "alto",
            "create-user",
            "--username",
            "ann",
            "--password-stdin",
        ])
        .unwrap();
        assert!(matches!(
            cli.admin,
            AdminCommand::CreateUser { ref username, password_stdin: true, role: Role::Admin, .. } if username == "ann"
        ));
    }

    #[test]
    fn no_password_flag_exists() {
        assert!(Cli::try_parse_from([
            "alto",
            "create-user",
            "--username",
            "ann",
            "--password",
            "x"
        ])
        .is_err());
    }
}
