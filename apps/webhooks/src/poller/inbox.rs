//! The durable hand-off: the poller writes new items to `alto_poll_inbox` in the transaction that
//! advances the agency's mark (see [`super::mark::save`]), so a poller killed at any instant —
//! even between listing and saving — loses nothing and writes nothing twice. The app reads the
//! open rows ([`open`]) and marks each one done ([`consume`]) once it acted on it.

use alto::reference_checks::ReferenceCheck;
use alto_store::now_ms;
use alto_store::{Store, StoreError};
use sqlx::Row;

use super::resource::{Change, Resource};

/// One item to hand over: Alto's id, its creation time (unix microseconds), its JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxItem {
    /// Alto's id of the item.
    pub id: String,
    /// Creation time, unix microseconds.
    pub created_us: i64,
    /// The item as Alto's JSON.
    pub body: String,
}

/// One row of the inbox.
#[derive(Debug, Clone, PartialEq)]
pub struct InboxEntry {
    /// The agency key (internal agency id, or the sandbox key).
    pub agency_key: String,
    /// The resource, e.g. [`super::REFERENCE_CHECKS`].
    pub resource: String,
    /// Alto's id of the item.
    pub item_id: String,
    /// Creation time, unix microseconds.
    pub created_us: i64,
    /// The item as Alto's JSON.
    pub body: String,
    /// When the poller handed it over (unix milliseconds).
    pub handed_at: i64,
    /// Which poller instance handed it over.
    pub handed_by: String,
}

impl InboxEntry {
    /// The item as a reference check (for rows of [`super::REFERENCE_CHECKS`]).
    pub fn reference_check(&self) -> Result<ReferenceCheck, serde_json::Error> {
        serde_json::from_str(&self.body)
    }

    /// The change, decoded by its resource; `None` for a resource this version does not know.
    pub fn change(&self) -> Option<Result<Change, serde_json::Error>> {
        Resource::from_name(&self.resource).map(|r| Change::from_json(r, &self.body))
    }

    /// Alto's id of the changed record (a contact change's item id is `"{id}@{time}"`).
    pub fn alto_id(&self) -> &str {
        self.item_id
            .split_once('@')
            .map_or(&self.item_id, |(id, _)| id)
    }
}

/// Rows per `INSERT` (7 binds each, well under PostgreSQL's 65,535 bind limit).
const INSERT_CHUNK: usize = 500;

/// Inserts `items` in `tx`, one multi-row `INSERT` per [`INSERT_CHUNK`] items; returns how many
/// were new (an id already there is left as it was).
pub(crate) async fn insert(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    agency_key: &str,
    resource: &str,
    holder: &str,
    items: &[InboxItem],
) -> Result<usize, StoreError> {
    let now = now_ms();
    let mut inserted = 0;
    for chunk in items.chunks(INSERT_CHUNK) {
        // Numbered placeholders by hand: sqlx's `QueryBuilder` writes `?` for `Any`, which
        // PostgreSQL refuses.
        let rows: Vec<String> = (0..chunk.len())
            .map(|i| {
                let n = i * 7;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${})",
                    n + 1,
                    n + 2,
                    n + 3,
                    n + 4,
                    n + 5,
                    n + 6,
                    n + 7
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO alto_poll_inbox \
             (agency_key, resource, item_id, created_us, body, handed_at, handed_by) VALUES {} \
             ON CONFLICT (agency_key, resource, item_id) DO NOTHING",
            rows.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for item in chunk {
            query = query
                .bind(agency_key)
                .bind(resource)
                .bind(item.id.as_str())
                .bind(item.created_us)
                .bind(item.body.as_str())
                .bind(now)
                .bind(holder);
        }
        inserted += query.execute(&mut **tx).await?.rows_affected() as usize;
    }
    Ok(inserted)
}

/// Up to `limit` rows of `resource` not consumed yet, oldest hand-over first.
pub async fn open(
    store: &Store,
    resource: &str,
    limit: i64,
) -> Result<Vec<InboxEntry>, StoreError> {
    let rows = sqlx::query(
        "SELECT agency_key, resource, item_id, created_us, body, handed_at, handed_by \
         FROM alto_poll_inbox WHERE resource = $1 AND consumed_at IS NULL \
         ORDER BY handed_at, agency_key, created_us, item_id LIMIT $2",
    )
    .bind(resource)
    .bind(limit)
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(InboxEntry {
                agency_key: row.try_get("agency_key")?,
                resource: row.try_get("resource")?,
                item_id: row.try_get("item_id")?,
                created_us: row.try_get("created_us")?,
                body: row.try_get("body")?,
                handed_at: row.try_get("handed_at")?,
                handed_by: row.try_get("handed_by")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(StoreError::from)
}

/// Marks one row consumed; `false` when it was not open (unknown, or consumed already).
pub async fn consume(store: &Store, entry: &InboxEntry) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE alto_poll_inbox SET consumed_at = $1 \
         WHERE agency_key = $2 AND resource = $3 AND item_id = $4 AND consumed_at IS NULL",
    )
    .bind(now_ms())
    .bind(&entry.agency_key)
    .bind(&entry.resource)
    .bind(&entry.item_id)
    .execute(store.pool())
    .await?
    .rows_affected();
    Ok(done == 1)
}
