//! The agency store: one SQL code path over sqlx's `Any` driver, SQLite or PostgreSQL underneath.
//!
//! Why `Any` rather than one implementation per backend: every query here is portable SQL
//! (`$n` placeholders work in both), so a single code path keeps both backends behaving alike
//! and the shared test suite meaningful. Only the migrations differ, one directory per backend.
//!
//! This crate is the one owner of the agency tables (agencies, activations, audit, users,
//! sessions) and the one migrator of each backend: the admin app and the webhooks crate both
//! connect through [`Store::connect`], which brings every table up to date. Which crate owns
//! which table is in this crate's README; no other crate writes SQL against this crate's tables.

#![warn(missing_docs)]

pub mod model;

mod activations;
mod agencies;
mod audit;
mod directory;
mod integration_state;
mod link;
mod seed;
mod sessions;
mod staff_changes;
mod updates;
mod users;

use std::path::Path;
use std::sync::Once;
use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::AnyPool;

pub use activations::{ActivationOutcome, NewActivation, PendingActivation, ACTIVATION_AUDIT_USER};
pub use agencies::{
    AgencyFilter, AgencyPage, PageCursor, PageRequest, RowKey, SettingsChange, UpdateOutcome,
};
pub use directory::{agency_record, StoredAgencyRefInvalid};
pub use integration_state::{IntegrationApplied, IntegrationChange, IntegrationScope};
pub use link::{ActivationLink, LinkOutcome, BRANCH_IDS};
pub use seed::{bulk_agencies, demo_agencies};
pub use sessions::{NewSession, SessionRecord};
pub use staff_changes::{AUDIT_ALTO_ENABLED, AUDIT_CREATED};
pub use users::{UserCredentials, UserSummary};

pub use model::{Agency, AltoStatus, AuditEntry, Environment, NewAgency, Role, User};

/// Where the admin app keeps its data when no `DATABASE_URL` is given.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://.alto/admin.sqlite?mode=rwc";

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The migration that makes an `AgencyRef` unique to one agency.
const UNIQUE_AGENCY_REF_MIGRATION: i64 = 7;

/// The one migrator of `backend`: every table of the store and of the crates that share its
/// database (README: which crate owns which table), in one numbered sequence.
pub fn migrator(backend: Backend) -> &'static sqlx::migrate::Migrator {
    match backend {
        Backend::Sqlite => &SQLITE_MIGRATIONS,
        Backend::Postgres => &POSTGRES_MIGRATIONS,
    }
}

/// The database's clock as unix milliseconds, as an SQL expression (the `alto_clock` view of
/// migration 0007). Leases compare times written by several instances, so they read this one
/// clock rather than each instance's own, which may be skewed.
pub const DATABASE_NOW_MS: &str = "(SELECT now_ms FROM alto_clock)";

/// Which database is underneath.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file: one instance.
    Sqlite,
    /// A PostgreSQL server: several app instances can share it.
    Postgres,
}

impl Backend {
    /// Picks the backend from a database URL's scheme.
    pub fn from_url(url: &str) -> Result<Self, StoreError> {
        let scheme = url.split(':').next().unwrap_or_default();
        match scheme {
            "sqlite" => Ok(Backend::Sqlite),
            "postgres" | "postgresql" => Ok(Backend::Postgres),
            _ => Err(StoreError::UnsupportedUrl {
                scheme: scheme.to_string(),
            }),
        }
    }
}

/// What can go wrong talking to the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The URL is neither `sqlite:` nor `postgres:`.
    #[error("unsupported database URL scheme {scheme:?}: use sqlite://PATH?mode=rwc or postgres://USER:PASS@HOST/DB")]
    UnsupportedUrl {
        /// The scheme that was given.
        scheme: String,
    },
    /// The SQLite file's folder could not be created.
    #[error("cannot create the folder for the SQLite database at {path}: {source}")]
    CreateDir {
        /// The folder.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// Migrations failed (a newer schema, or a broken database).
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A row did not have the shape the code expects.
    #[error("unexpected data in column {column}: {detail}")]
    Corrupt {
        /// The column.
        column: &'static str,
        /// What was wrong.
        detail: String,
    },
    /// A username is taken.
    #[error("a user named {0:?} already exists")]
    DuplicateUser(String),
    /// No admin user has this name.
    #[error("there is no user named {0:?} (see `alto admin list-users`)")]
    NoSuchUser(String),
    /// An agency id is taken.
    #[error("an agency with id {0:?} already exists")]
    DuplicateAgency(String),
    /// The `AgencyRef` belongs to another agency (an `AgencyRef` names one agency); holds that
    /// agency's internal id.
    #[error("agency {0:?} already holds that AgencyRef; an AgencyRef belongs to one agency")]
    AgencyRefTaken(String),
    /// Agencies share an `AgencyRef`, which migration 0007 forbids: the upgrade stopped before
    /// it. Each group holds the internal ids of agencies sharing one value.
    #[error("cannot upgrade the database: an AgencyRef must belong to one agency, but {} are shared ({}); clear or correct the AgencyRef of all but one agency of each in the database (UPDATE agencies SET alto_agency_ref = NULL WHERE id = ...), then start again", .0.len(), describe_groups(.0))]
    DuplicateAgencyRefs(Vec<Vec<String>>),
    /// Any other database error.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// Handle on the agency store; cheap to clone (a connection pool inside).
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

impl Store {
    /// Connects to `url` (SQLite or PostgreSQL) and brings the schema up to date.
    ///
    /// For SQLite the file's folder is created if needed (`?mode=rwc` creates the file).
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        static DRIVERS: Once = Once::new();
        DRIVERS.call_once(sqlx::any::install_default_drivers);

        let backend = Backend::from_url(url)?;
        if backend == Backend::Sqlite {
            create_sqlite_dir(url)?;
        }
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 4,
                Backend::Postgres => 10,
            })
            // sqlx pings a connection before lending it out, by default: a second round trip
            // per query. A SQLite connection is a file handle that cannot drop like a socket,
            // so the ping buys nothing there; PostgreSQL keeps it (a server restart or an idle
            // timeout can break a pooled connection).
            .test_before_acquire(backend == Backend::Postgres)
            .connect(url)
            .await?;
        let store = Store { pool, backend };
        store.migrate().await?;
        Ok(store)
    }

    /// Applies pending migrations of this backend: every table of every crate, in one order.
    ///
    /// Before migration 0007 makes an `AgencyRef` unique to one agency, agencies that share one
    /// stop the upgrade with [`StoreError::DuplicateAgencyRefs`], which names them, instead of
    /// the database's bare unique-index error.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        self.refuse_duplicate_agency_refs().await?;
        migrator(self.backend).run(&self.pool).await?;
        Ok(())
    }

    async fn refuse_duplicate_agency_refs(&self) -> Result<(), StoreError> {
        // A new database has no `_sqlx_migrations` yet (nothing to check); one past 0007 holds
        // no duplicates (the unique index refuses them).
        let applied = sqlx::query("SELECT MAX(version) AS v FROM _sqlx_migrations")
            .fetch_one(&self.pool)
            .await;
        let Ok(applied) = applied else {
            return Ok(());
        };
        let version: Option<i64> = col(&applied, "v")?;
        if version.is_none_or(|v| v >= UNIQUE_AGENCY_REF_MIGRATION) {
            return Ok(());
        }
        let refs = sqlx::query(
            "SELECT alto_agency_ref AS r, id FROM agencies WHERE alto_agency_ref IN \
             (SELECT alto_agency_ref FROM agencies WHERE alto_agency_ref IS NOT NULL \
             GROUP BY alto_agency_ref HAVING COUNT(*) > 1) ORDER BY alto_agency_ref, id",
        )
        .fetch_all(&self.pool)
        .await?;
        if refs.is_empty() {
            return Ok(());
        }
        // Grouped by the shared value, but the value itself is never put in the message: an
        // AgencyRef does not belong in logs.
        let mut groups: Vec<Vec<String>> = Vec::new();
        let mut last: Option<String> = None;
        for row in &refs {
            let shared: String = col(row, "r")?;
            let id: String = col(row, "id")?;
            if last.as_deref() != Some(shared.as_str()) {
                groups.push(Vec::new());
                last = Some(shared);
            }
            if let Some(group) = groups.last_mut() {
                group.push(id);
            }
        }
        Err(StoreError::DuplicateAgencyRefs(groups))
    }

    /// Begins a transaction that will write. On SQLite it is `BEGIN IMMEDIATE`: the write lock
    /// is taken (waiting out the busy timeout) before anything is read. A deferred transaction
    /// that reads first, as the search index's triggers do inside an `UPDATE` of an agency,
    /// fails at once with "database is locked" when another writer committed meanwhile.
    pub async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// The database's clock, unix milliseconds ([`DATABASE_NOW_MS`]).
    pub async fn database_now_ms(&self) -> Result<i64, StoreError> {
        let row = sqlx::query(&format!("SELECT {DATABASE_NOW_MS} AS now_ms"))
            .fetch_one(&self.pool)
            .await?;
        col(&row, "now_ms")
    }

    /// The migrations of this backend's migrator that the database has not applied
    /// successfully, by version: empty when the schema is current. An error means the database
    /// could not be asked (unreachable, or no migration table yet). Readiness checks use this.
    pub async fn pending_migrations(&self) -> Result<Vec<i64>, StoreError> {
        let rows = sqlx::query("SELECT version FROM _sqlx_migrations WHERE success = TRUE")
            .fetch_all(&self.pool)
            .await?;
        let applied = rows
            .iter()
            .map(|row| col::<i64>(row, "version"))
            .collect::<Result<std::collections::BTreeSet<_>, _>>()?;
        Ok(migrator(self.backend)
            .iter()
            .filter(|m| !m.migration_type.is_down_migration())
            .map(|m| m.version)
            .filter(|v| !applied.contains(v))
            .collect())
    }

    /// Whether the store can serve: the database answers and every migration is applied.
    /// The error is short and names no host or credential, fit for a readiness probe.
    pub async fn readiness(&self) -> Result<(), NotReady> {
        match self.pending_migrations().await {
            Ok(pending) if pending.is_empty() => Ok(()),
            Ok(pending) => Err(NotReady::MigrationsPending(pending.len())),
            Err(_) => Err(NotReady::DatabaseUnreachable),
        }
    }

    /// Which database is underneath.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The connection pool, for features that add their own tables (run their own migrations).
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Closes all connections.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Why [`Store::readiness`] says no.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NotReady {
    /// The database did not answer (or has no migration table).
    #[error("database unreachable")]
    DatabaseUnreachable,
    /// Some migrations of this build are not applied.
    #[error("{0} database migration(s) not applied")]
    MigrationsPending(usize),
}

fn describe_groups(groups: &[Vec<String>]) -> String {
    groups
        .iter()
        .map(|ids| format!("one by agencies {}", ids.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Current time as unix milliseconds.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

fn create_sqlite_dir(url: &str) -> Result<(), StoreError> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or_default();
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    match Path::new(path).parent() {
        Some(dir) if !dir.as_os_str().is_empty() => {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
                path: dir.display().to_string(),
                source,
            })
        }
        _ => Ok(()),
    }
}

/// Reads a column, naming it in the error.
fn col<'r, T>(row: &'r AnyRow, column: &'static str) -> Result<T, StoreError>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    use sqlx::Row;
    row.try_get(column).map_err(|e| StoreError::Corrupt {
        column,
        detail: e.to_string(),
    })
}

/// Reads a flag: BOOLEAN on PostgreSQL, INTEGER 0/1 on SQLite.
fn col_bool(row: &AnyRow, column: &'static str) -> Result<bool, StoreError> {
    use sqlx::Row;
    match row.try_get::<bool, _>(column) {
        Ok(flag) => Ok(flag),
        Err(_) => col::<i64>(row, column).map(|n| n != 0),
    }
}

/// Whether an error is a unique-constraint violation (portable across both backends).
fn is_unique_violation(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(db) => db.is_unique_violation(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_from_url() {
        assert_eq!(Backend::from_url("sqlite://x.db").unwrap(), Backend::Sqlite);
        assert_eq!(
            Backend::from_url("postgres://a@b/c").unwrap(),
            Backend::Postgres
        );
        assert_eq!(
            Backend::from_url("postgresql://a@b/c").unwrap(),
            Backend::Postgres
        );
        assert!(matches!(
            Backend::from_url("mysql://a"),
            Err(StoreError::UnsupportedUrl { .. })
        ));
    }
}
