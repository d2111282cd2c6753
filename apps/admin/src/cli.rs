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

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{bail, Context};
use axum::http::HeaderName;
use tokio::io::AsyncBufReadExt;
use tokio::sync::watch;

use crate::auth::create_user;
use crate::auth::users::reset_password;
use crate::model::Role;
use crate::settings::AltoSettings;
use crate::staff::AgencyDraft;
use crate::store::{Store, DEFAULT_DATABASE_URL};
use crate::web::pages::format_time;
use crate::web::{metrics_router, serve, AdminState, MetricsEndpoint, RenderMetrics, TrustedProxy};

/// Environment variable `create-user` reads the password from when `--password-stdin` is not given.
pub const PASSWORD_ENV: &str = "ALTO_ADMIN_PASSWORD";
/// Environment variable holding the bearer token for `/metrics` on the app's address.
pub const METRICS_TOKEN_ENV: &str = "ALTO_METRICS_TOKEN";

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
        /// Development only: cookies without `Secure` and without the `__Host-` prefix, for
        /// plain http:// on a host other than localhost. By default cookies are Secure, which
        /// browsers accept over HTTPS and on http://localhost.
        #[arg(long)]
        plain_http_cookies: bool,
        /// Address of the reverse proxy in front of this server; only from it is the client's
        /// address taken from --trusted-proxy-header (for login throttling and logs).
        #[arg(long)]
        trusted_proxy: Option<IpAddr>,
        /// The header the trusted proxy names the client in (its last entry counts).
        #[arg(long, default_value = "x-forwarded-for", requires = "trusted_proxy")]
        trusted_proxy_header: HeaderName,
        /// Serve Prometheus metrics at /metrics on this address too, without authentication:
        /// bind it to loopback or a private network only. (On --bind, /metrics exists only when
        /// ALTO_METRICS_TOKEN or --metrics-token-file gives the bearer token scrapers send.)
        #[arg(long)]
        metrics_addr: Option<SocketAddr>,
        /// File holding the bearer token for /metrics on --bind (instead of ALTO_METRICS_TOKEN).
        #[arg(long, env = "ALTO_METRICS_TOKEN_FILE")]
        metrics_token_file: Option<PathBuf>,
        /// Seconds to let requests in flight finish after SIGTERM or Ctrl-C before exiting.
        #[arg(long, default_value_t = 10)]
        shutdown_grace: u64,
    },
    /// List the users who can sign in to Alto Settings, with their role, state and sessions.
    ListUsers {
        /// Database: sqlite://PATH?mode=rwc (default) or postgres://USER:PASS@HOST/DB.
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, hide_env_values = true)]
        database_url: String,
    },
    /// Disable a user: they can no longer sign in, and their sessions end now.
    DisableUser {
        /// Login name.
        #[arg(long)]
        username: String,
        /// Database: sqlite://PATH?mode=rwc (default) or postgres://USER:PASS@HOST/DB.
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, hide_env_values = true)]
        database_url: String,
    },
    /// Let a disabled user sign in again.
    EnableUser {
        /// Login name.
        #[arg(long)]
        username: String,
        /// Database: sqlite://PATH?mode=rwc (default) or postgres://USER:PASS@HOST/DB.
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, hide_env_values = true)]
        database_url: String,
    },
    /// Set a new password for a user and end their sessions.
    ///
    /// The password comes from standard input (--password-stdin) or from ALTO_ADMIN_PASSWORD.
    ResetPassword {
        /// Login name.
        #[arg(long)]
        username: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        /// Database: sqlite://PATH?mode=rwc (default) or postgres://USER:PASS@HOST/DB.
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, hide_env_values = true)]
        database_url: String,
    },
    /// Add an agency (sandbox, no AgencyRef yet); audited under --by.
    AddAgency {
        /// The application's own id for the agency, without spaces (e.g. agency-0042).
        #[arg(long)]
        id: String,
        /// The name staff see.
        #[arg(long)]
        name: String,
        /// Whether the agency uses Alto (only Alto-enabled agencies are listed).
        #[arg(long, action = clap::ArgAction::Set, default_value_t = true)]
        alto_enabled: bool,
        /// Who is making the change, as the audit log should name them.
        #[arg(long)]
        by: String,
        /// Database: sqlite://PATH?mode=rwc (default) or postgres://USER:PASS@HOST/DB.
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, hide_env_values = true)]
        database_url: String,
    },
    /// Switch "Alto enabled" for an agency (true or false); audited under --by.
    SetAltoEnabled {
        /// The agency's internal id.
        #[arg(long)]
        agency: String,
        /// true to enable Alto for the agency, false to disable it.
        #[arg(long, action = clap::ArgAction::Set)]
        enabled: bool,
        /// Who is making the change, as the audit log should name them.
        #[arg(long)]
        by: String,
        /// Database: sqlite://PATH?mode=rwc (default) or postgres://USER:PASS@HOST/DB.
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, hide_env_values = true)]
        database_url: String,
    },
    /// End every session of a user (they must sign in again).
    EndSessions {
        /// Login name.
        #[arg(long)]
        username: String,
        /// Database: sqlite://PATH?mode=rwc (default) or postgres://USER:PASS@HOST/DB.
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, hide_env_values = true)]
        database_url: String,
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
    run_serving(command, extra, None).await
}

/// Like [`run_with`]; `metrics` renders the process' metrics for `/metrics` (see
/// [`web::ops`](crate::web::ops)). Without it `serve` has no `/metrics`.
pub async fn run_serving(
    command: AdminCommand,
    extra: impl FnOnce(&Store) -> Option<axum::Router>,
    metrics: Option<RenderMetrics>,
) -> anyhow::Result<()> {
    run_command(command, extra, metrics)
        .await
        .map_err(|e| anyhow::anyhow!("{e:#}"))
}

async fn run_command(
    command: AdminCommand,
    extra: impl FnOnce(&Store) -> Option<axum::Router>,
    metrics: Option<RenderMetrics>,
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
            plain_http_cookies,
            trusted_proxy,
            trusted_proxy_header,
            metrics_addr,
            metrics_token_file,
            shutdown_grace,
        } => {
            // Handlers first: a SIGTERM during start-up must not kill the process mid-write.
            let signal = shutdown_signal();
            let token = metrics_token(metrics_token_file.as_deref())?;
            let endpoint = match (&metrics, token) {
                (Some(render), Some(token)) => Some(
                    MetricsEndpoint::protected(render.clone(), &token)
                        .context("ALTO_METRICS_TOKEN")?,
                ),
                (None, Some(_)) => {
                    bail!("a metrics token is set, but this build has no metrics recorder")
                }
                (_, None) => None,
            };
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
                .plain_http_cookies(plain_http_cookies)
                .trusted_proxy(
                    trusted_proxy.map(|ip| TrustedProxy::new(ip).header(trusted_proxy_header)),
                )
                .metrics(endpoint)
                .build();
            if plain_http_cookies {
                eprintln!("warning: --plain-http-cookies: session cookies travel unprotected over plain HTTP; for development only");
            }
            let listener = tokio::net::TcpListener::bind(bind)
                .await
                .with_context(|| format!("cannot listen on {bind}"))?;
            let addr = listener.local_addr()?;
            // Browsers keep the Secure session cookie on http://localhost, so that is the
            // address to open when serving on a loopback interface without TLS.
            let shown = if addr.ip().is_loopback() {
                format!("localhost:{}", addr.port())
            } else {
                addr.to_string()
            };
            println!("Alto Settings: http://{shown}/admin/alto-agencies");
            let (stop_tx, stop) = watch::channel(false);
            tokio::spawn(async move {
                signal.await;
                eprintln!("stopping: no new connections; finishing the requests in flight");
                let _ = stop_tx.send(true);
            });
            let metrics_server = match (metrics_addr, metrics) {
                (Some(addr), Some(render)) => {
                    let listener = tokio::net::TcpListener::bind(addr)
                        .await
                        .with_context(|| format!("cannot listen on {addr}"))?;
                    println!("metrics: http://{}/metrics", listener.local_addr()?);
                    let stopped = stopped(stop.clone());
                    Some(tokio::spawn(async move {
                        axum::serve(listener, metrics_router(render))
                            .with_graceful_shutdown(stopped)
                            .await
                    }))
                }
                (Some(_), None) => bail!("--metrics-addr: this build has no metrics recorder"),
                (None, _) => None,
            };
            let store = state.store().clone();
            let served = serve(listener, state, extra, stopped(stop.clone()));
            let grace = Duration::from_secs(shutdown_grace);
            let deadline = async move {
                stopped(stop).await;
                tokio::time::sleep(grace).await;
            };
            let outcome = tokio::select! {
                served = served => served.context("the admin server stopped with an error"),
                () = deadline => {
                    eprintln!("requests still in flight after {grace:?}; exiting anyway");
                    Ok(())
                }
            };
            if let Some(server) = metrics_server {
                server.abort();
            }
            store.close().await;
            outcome
        }
        AdminCommand::ListUsers { database_url } => {
            let store = connect(&database_url).await?;
            let users = store.list_users().await.context("could not list users")?;
            println!(
                "{:<24} {:<7} {:<9} {:>8}  created",
                "username", "role", "state", "sessions"
            );
            for summary in users {
                println!(
                    "{:<24} {:<7} {:<9} {:>8}  {}",
                    summary.user.username,
                    summary.user.role.as_str(),
                    if summary.disabled_at_ms.is_some() {
                        "disabled"
                    } else {
                        "active"
                    },
                    summary.sessions,
                    format_time(summary.created_at_ms),
                );
            }
            store.close().await;
            Ok(())
        }
        AdminCommand::DisableUser {
            username,
            database_url,
        } => {
            let store = connect(&database_url).await?;
            let user = store
                .set_user_disabled(&username, true)
                .await
                .with_context(|| format!("could not disable user {username:?}"))?;
            println!(
                "disabled user {:?}; their sessions have ended",
                user.username
            );
            store.close().await;
            Ok(())
        }
        AdminCommand::EnableUser {
            username,
            database_url,
        } => {
            let store = connect(&database_url).await?;
            let user = store
                .set_user_disabled(&username, false)
                .await
                .with_context(|| format!("could not enable user {username:?}"))?;
            println!("enabled user {:?}", user.username);
            store.close().await;
            Ok(())
        }
        AdminCommand::ResetPassword {
            username,
            password_stdin,
            database_url,
        } => {
            let password = read_password(password_stdin).await?;
            let store = connect(&database_url).await?;
            let user = reset_password(&store, &username, &password)
                .await
                .with_context(|| format!("could not reset the password of {username:?}"))?;
            println!(
                "new password set for {:?}; their sessions have ended",
                user.username
            );
            store.close().await;
            Ok(())
        }
        AdminCommand::AddAgency {
            id,
            name,
            alto_enabled,
            by,
            database_url,
        } => {
            let store = connect(&database_url).await?;
            let draft = AgencyDraft {
                id,
                display_name: name,
                alto_enabled,
            };
            let agency = AltoSettings::new(store.clone())
                .add_agency(&draft, &by)
                .await
                .with_context(|| format!("could not add agency {:?}", draft.id))?;
            println!(
                "added agency {:?} ({}), Alto {}",
                agency.id,
                agency.display_name,
                if agency.alto_enabled {
                    "enabled"
                } else {
                    "disabled"
                }
            );
            store.close().await;
            Ok(())
        }
        AdminCommand::SetAltoEnabled {
            agency,
            enabled,
            by,
            database_url,
        } => {
            let store = connect(&database_url).await?;
            let saved = AltoSettings::new(store.clone())
                .set_alto_enabled(&agency, enabled, None, &by)
                .await
                .with_context(|| format!("could not switch Alto for agency {agency:?}"))?;
            println!(
                "agency {:?}: Alto {}",
                saved.id,
                if saved.alto_enabled {
                    "enabled"
                } else {
                    "disabled"
                }
            );
            store.close().await;
            Ok(())
        }
        AdminCommand::EndSessions {
            username,
            database_url,
        } => {
            let store = connect(&database_url).await?;
            let ended = end_sessions(&store, &username)
                .await
                .with_context(|| format!("could not end the sessions of {username:?}"))?;
            println!("ended {ended} session(s) of {username:?}");
            store.close().await;
            Ok(())
        }
    }
}

/// Resolves once `stop` turns true (or its sender is gone).
async fn stopped(mut stop: watch::Receiver<bool>) {
    let _ = stop.wait_for(|stop| *stop).await;
}

/// The bearer token for `/metrics` on the app's address: the file's first line, else
/// `ALTO_METRICS_TOKEN`, else none (no `/metrics` there).
fn metrics_token(file: Option<&std::path::Path>) -> anyhow::Result<Option<String>> {
    if let Some(path) = file {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the metrics token file {}", path.display()))?;
        return Ok(text.lines().next().map(|l| l.trim().to_string()));
    }
    Ok(std::env::var(METRICS_TOKEN_ENV)
        .ok()
        .filter(|t| !t.trim().is_empty()))
}

/// Resolves at the first SIGTERM or Ctrl-C (SIGINT). The handlers are installed when this is
/// called, not when it is first awaited, so a signal arriving early is not fatal.
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let term = signal(SignalKind::terminate());
        let interrupt = signal(SignalKind::interrupt());
        async move {
            match (term, interrupt) {
                (Ok(mut term), Ok(mut interrupt)) => {
                    tokio::select! {
                        _ = term.recv() => {}
                        _ = interrupt.recv() => {}
                    }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}

async fn end_sessions(store: &Store, username: &str) -> anyhow::Result<u64> {
    let user = store.user_named(username).await?;
    Ok(store.end_sessions_of(user.id).await?)
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
