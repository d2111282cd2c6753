//! Agencies: insert, look up, list with search/filter/paging, and the versioned settings update.

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::Any;

use super::{col, col_bool, is_unique_violation, now_ms, Backend, Store, StoreError};
use crate::model::{Agency, AltoStatus, NewAgency};

pub(super) const AGENCY_COLUMNS: &str =
    "id, display_name, alto_enabled, use_production, alto_agency_ref, \
     alto_identifiers, version, created_at, updated_at, alto_deactivated_at";

/// Which agencies the list shows. Only Alto-enabled agencies are ever listed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgencyFilter {
    /// Case-insensitive substring of the name, internal id or `AgencyRef`; blank matches all.
    pub search: Option<String>,
    /// Only agencies with this status.
    pub status: Option<AltoStatus>,
}

/// Which page of the list, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// Page number, starting at 1.
    pub page: u32,
    /// Rows per page (clamped to 1..=500).
    pub per_page: u32,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self {
            page: 1,
            per_page: 50,
        }
    }
}

/// Where a page reached by Next or Previous starts: next to a row of the page it came from.
/// The database seeks to that row in the `(alto_enabled, display_name, id)` index instead of
/// walking past every earlier row, as `OFFSET` does, so a deep page costs what the first does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageCursor {
    /// The page starts after this row (Next, from the last row of the page before).
    After(RowKey),
    /// The page ends before this row (Previous, from the first row of the page after).
    Before(RowKey),
}

/// The list's sort key of one row: name, then internal id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowKey {
    /// The agency's display name.
    pub display_name: String,
    /// The agency's internal id.
    pub id: String,
}

impl RowKey {
    /// The sort key of `agency`.
    pub fn of(agency: &Agency) -> Self {
        Self {
            display_name: agency.display_name.clone(),
            id: agency.id.clone(),
        }
    }
}

/// One page of agencies and the total that matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencyPage {
    /// The agencies on this page, ordered by name then id.
    pub agencies: Vec<Agency>,
    /// How many agencies matched in all.
    pub total: u64,
    /// This page's number (1-based, clamped to the last page).
    pub page: u32,
    /// Rows per page.
    pub per_page: u32,
}

impl AgencyPage {
    /// Number of pages (at least 1).
    pub fn page_count(&self) -> u32 {
        let pages = self.total.div_ceil(u64::from(self.per_page.max(1)));
        u32::try_from(pages.max(1)).unwrap_or(u32::MAX)
    }
}

/// New values for an agency's Alto settings (already validated by the service layer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsChange {
    /// The `AgencyRef` to store, or `None` to clear it.
    pub alto_agency_ref: Option<String>,
    /// "Use Alto in production".
    pub use_production: bool,
}

/// Result of a versioned update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpdateOutcome {
    /// Saved; the agency as it is now (version bumped) and the audit lines written.
    Saved(Agency),
    /// Nothing differed from what is stored; no version bump, no audit line.
    Unchanged(Agency),
    /// The agency changed since `expected_version`; nothing was written. Holds the current agency.
    Conflict(Agency),
    /// No agency with that id.
    NotFound,
    /// Another agency holds the new `AgencyRef` (an `AgencyRef` belongs to one agency); nothing
    /// was written. Holds that agency's internal id.
    AgencyRefTaken(String),
}

impl Store {
    /// Inserts one agency.
    pub async fn insert_agency(&self, agency: &NewAgency) -> Result<Agency, StoreError> {
        let now = now_ms();
        let result = sqlx::query(
            "INSERT INTO agencies (id, display_name, alto_enabled, use_production, alto_agency_ref, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind(&agency.id)
        .bind(&agency.display_name)
        .bind(agency.alto_enabled)
        .bind(agency.use_production)
        .bind(agency.alto_agency_ref.as_deref())
        .bind(now)
        .execute(&self.pool)
        .await;
        match result {
            Err(e) if is_unique_violation(&e) => Err(self.which_duplicate(agency).await?),
            Err(e) => Err(e.into()),
            Ok(_) => self
                .agency(&agency.id)
                .await?
                .ok_or_else(|| StoreError::Corrupt {
                    column: "id",
                    detail: "inserted agency not found".into(),
                }),
        }
    }

    /// Which of `agency`'s unique values is taken: its id, or its `AgencyRef`.
    async fn which_duplicate(&self, agency: &NewAgency) -> Result<StoreError, StoreError> {
        if self.agency(&agency.id).await?.is_some() {
            return Ok(StoreError::DuplicateAgency(agency.id.clone()));
        }
        let holder = match agency.alto_agency_ref.as_deref() {
            Some(agency_ref) => self.agency_id_by_ref(agency_ref).await?,
            None => None,
        };
        Ok(match holder {
            Some(holder) => StoreError::AgencyRefTaken(holder),
            // Gone again since the insert failed: report the id, the usual cause.
            None => StoreError::DuplicateAgency(agency.id.clone()),
        })
    }

    /// Inserts many agencies in one transaction, skipping ids that already exist.
    /// Returns how many were inserted.
    pub async fn insert_agencies(&self, agencies: &[NewAgency]) -> Result<u64, StoreError> {
        // 6 parameters per row keeps a chunk well under SQLite's parameter limit.
        const CHUNK: usize = 200;
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let mut inserted = 0;
        for chunk in agencies.chunks(CHUNK) {
            let mut sql = String::from(
                "INSERT INTO agencies (id, display_name, alto_enabled, use_production, \
                 alto_agency_ref, created_at, updated_at) VALUES ",
            );
            for i in 0..chunk.len() {
                let p = i * 6;
                if i > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${})",
                    p + 1,
                    p + 2,
                    p + 3,
                    p + 4,
                    p + 5,
                    p + 6,
                    p + 6
                ));
            }
            sql.push_str(" ON CONFLICT (id) DO NOTHING");
            let mut query = sqlx::query(&sql);
            for agency in chunk {
                query = query
                    .bind(&agency.id)
                    .bind(&agency.display_name)
                    .bind(agency.alto_enabled)
                    .bind(agency.use_production)
                    .bind(agency.alto_agency_ref.as_deref())
                    .bind(now);
            }
            inserted += query.execute(&mut *tx).await?.rows_affected();
        }
        tx.commit().await?;
        if inserted > 0 && self.backend() == Backend::Sqlite {
            self.optimize_search_index().await?;
        }
        Ok(inserted)
    }

    /// Merges the SQLite search index into one segment. A bulk insert leaves it in many
    /// (FTS5 flushes as it goes), and a search reads every segment: with 10,000 agencies a
    /// search took 12 ms unmerged and 1.2 ms merged. Single writes rely on FTS5's own
    /// incremental merging.
    async fn optimize_search_index(&self) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO agency_search (agency_search) VALUES ('optimize')")
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Looks an agency up by internal id.
    pub async fn agency(&self, id: &str) -> Result<Option<Agency>, StoreError> {
        let sql = format!("SELECT {AGENCY_COLUMNS} FROM agencies WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(agency_from_row).transpose()
    }

    /// One page of Alto-enabled agencies matching `filter`, ordered by name then id.
    ///
    /// A page past the last one is answered with the last page. The count rides along with the
    /// page in one statement (an uncorrelated subquery, evaluated once, from the trigger-kept
    /// `agency_counts` unless searching): one round trip to the database on the list page's
    /// usual path; only an empty page (no match, or a page number past the end) costs a
    /// separate count.
    pub async fn list_agencies(
        &self,
        filter: &AgencyFilter,
        page: PageRequest,
    ) -> Result<AgencyPage, StoreError> {
        let plan = self.search_plan(filter).await?;
        self.list_agencies_planned(filter, page, plan).await
    }

    /// [`Store::list_agencies`] with its search plan already chosen.
    async fn list_agencies_planned(
        &self,
        filter: &AgencyFilter,
        page: PageRequest,
        plan: SearchPlan,
    ) -> Result<AgencyPage, StoreError> {
        let per_page = page.per_page.clamp(1, 500);
        let (where_sql, binds) = filter_sql(filter, plan);
        let count_sql = count_sql(filter, &where_sql);
        let page_no = page.page.max(1);
        let (agencies, total) = self
            .agency_page(&where_sql, &count_sql, &binds, per_page, page_no)
            .await?;
        if let Some(total) = total {
            return Ok(AgencyPage {
                agencies,
                total,
                page: page_no,
                per_page,
            });
        }
        // Nothing on this page: count, and answer the last page instead (if not this one).
        let count_row = bind_all(sqlx::query(&format!("SELECT {count_sql} AS n")), &binds)
            .fetch_one(&self.pool)
            .await?;
        let total = u64::try_from(col::<i64>(&count_row, "n")?).unwrap_or(0);
        let last_page =
            u32::try_from(total.div_ceil(u64::from(per_page)).max(1)).unwrap_or(u32::MAX);
        let agencies = if total == 0 || last_page == page_no {
            agencies
        } else {
            self.agency_page(&where_sql, &count_sql, &binds, per_page, last_page)
                .await?
                .0
        };
        Ok(AgencyPage {
            agencies,
            total,
            page: if total == 0 { 1 } else { last_page },
            per_page,
        })
    }

    /// Page `page.page` of the agencies matching `filter`, found from `cursor` (see
    /// [`PageCursor`]); the page number is the caller's, clamped to the pages there are.
    ///
    /// When the cursor finds no row (its neighbours were deleted), or Previous finds less than a
    /// page (rows before it were deleted), the page is read by number instead.
    pub async fn list_agencies_from(
        &self,
        filter: &AgencyFilter,
        page: PageRequest,
        cursor: &PageCursor,
    ) -> Result<AgencyPage, StoreError> {
        let per_page = page.per_page.clamp(1, 500);
        let plan = self.search_plan(filter).await?;
        let (where_sql, mut binds) = filter_sql(filter, plan);
        let count_sql = count_sql(filter, &where_sql);
        let (key, comparison, order) = match cursor {
            PageCursor::After(key) => (key, ">", "ASC"),
            PageCursor::Before(key) => (key, "<", "DESC"),
        };
        binds.push(Bind::Text(key.display_name.clone()));
        binds.push(Bind::Text(key.id.clone()));
        let n = binds.len();
        let sql = format!(
            "SELECT {AGENCY_COLUMNS}, {count_sql} AS matching FROM agencies \
             WHERE {where_sql} AND (display_name, id) {comparison} (${}, ${n}) \
             ORDER BY display_name {order}, id {order} LIMIT ${}",
            n - 1,
            n + 1
        );
        let rows = bind_all(sqlx::query(&sql), &binds)
            .bind(i64::from(per_page))
            .fetch_all(&self.pool)
            .await?;
        let short = rows.len() < per_page as usize;
        let Some(first) = rows.first() else {
            return self.list_agencies_planned(filter, page, plan).await;
        };
        if short && matches!(cursor, PageCursor::Before(_)) {
            return self
                .list_agencies_planned(filter, PageRequest { page: 1, per_page }, plan)
                .await;
        }
        let total = u64::try_from(col::<i64>(first, "matching")?).unwrap_or(0);
        let mut agencies: Vec<Agency> =
            rows.iter().map(agency_from_row).collect::<Result<_, _>>()?;
        if matches!(cursor, PageCursor::Before(_)) {
            agencies.reverse();
        }
        let mut found = AgencyPage {
            agencies,
            total,
            page: 1,
            per_page,
        };
        found.page = page.page.clamp(1, found.page_count());
        Ok(found)
    }

    /// Page `page_no` of the agencies matching `where_sql`, with the number matching in all
    /// (the expression `count_sql`; `None` when the page is empty, since the count comes on
    /// each row).
    async fn agency_page(
        &self,
        where_sql: &str,
        count_sql: &str,
        binds: &[Bind],
        per_page: u32,
        page_no: u32,
    ) -> Result<(Vec<Agency>, Option<u64>), StoreError> {
        let offset = i64::from(page_no - 1) * i64::from(per_page);
        let n = binds.len();
        let list_sql = format!(
            "SELECT {AGENCY_COLUMNS}, {count_sql} AS matching \
             FROM agencies WHERE {where_sql} \
             ORDER BY display_name, id LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        );
        let rows = bind_all(sqlx::query(&list_sql), binds)
            .bind(i64::from(per_page))
            .bind(offset)
            .fetch_all(&self.pool)
            .await?;
        let total = match rows.first() {
            Some(row) => Some(u64::try_from(col::<i64>(row, "matching")?).unwrap_or(0)),
            None => None,
        };
        let agencies = rows.iter().map(agency_from_row).collect::<Result<_, _>>()?;
        Ok((agencies, total))
    }

    /// Writes new Alto settings if the agency is still at `expected_version`, with one audit line
    /// per changed field, all in one transaction.
    ///
    /// The guarded `UPDATE ... WHERE version = $expected` is the lock: of two saves based on the
    /// same version exactly one matches a row; the other gets [`UpdateOutcome::Conflict`].
    pub async fn update_settings(
        &self,
        id: &str,
        expected_version: i64,
        change: &SettingsChange,
        changed_by: &str,
    ) -> Result<UpdateOutcome, StoreError> {
        let Some(current) = self.agency(id).await? else {
            return Ok(UpdateOutcome::NotFound);
        };
        if current.version != expected_version {
            return Ok(UpdateOutcome::Conflict(current));
        }
        let mut changes: Vec<(&str, Option<String>, Option<String>)> = Vec::new();
        if current.alto_agency_ref != change.alto_agency_ref {
            changes.push((
                "alto_agency_ref",
                current.alto_agency_ref.clone(),
                change.alto_agency_ref.clone(),
            ));
        }
        if current.use_production != change.use_production {
            changes.push((
                "use_production",
                Some(current.use_production.to_string()),
                Some(change.use_production.to_string()),
            ));
        }
        if changes.is_empty() {
            return Ok(UpdateOutcome::Unchanged(current));
        }

        let now = now_ms();
        // The write lock comes first: `begin_write` takes SQLite's at BEGIN (no stale-snapshot
        // upgrade), and the UPDATE makes PostgreSQL re-check the version under the row lock.
        let mut tx = self.begin_write().await?;
        let updated = sqlx::query(
            "UPDATE agencies SET alto_agency_ref = $1, use_production = $2, version = version + 1, \
             updated_at = $3 WHERE id = $4 AND version = $5",
        )
        .bind(change.alto_agency_ref.as_deref())
        .bind(change.use_production)
        .bind(now)
        .bind(id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await;
        let updated = match updated {
            Err(e) if is_unique_violation(&e) => {
                drop(tx);
                let agency_ref = change.alto_agency_ref.as_deref().unwrap_or_default();
                return Ok(match self.agency_id_by_ref(agency_ref).await? {
                    Some(holder) => UpdateOutcome::AgencyRefTaken(holder),
                    None => UpdateOutcome::Conflict(current),
                });
            }
            other => other?.rows_affected(),
        };
        if updated == 0 {
            tx.rollback().await?;
            return Ok(match self.agency(id).await? {
                Some(current) => UpdateOutcome::Conflict(current),
                None => UpdateOutcome::NotFound,
            });
        }
        for (field, old, new) in &changes {
            sqlx::query(
                "INSERT INTO agency_audit (agency_id, field, old_value, new_value, changed_by, changed_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(*field)
            .bind(old.as_deref())
            .bind(new.as_deref())
            .bind(changed_by)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        let saved = self.agency(id).await?.ok_or_else(|| StoreError::Corrupt {
            column: "id",
            detail: "updated agency vanished".into(),
        })?;
        Ok(UpdateOutcome::Saved(saved))
    }
}

/// A bound value of the dynamic list query.
enum Bind {
    Text(String),
    Bool(bool),
}

fn bind_all<'q>(
    mut query: Query<'q, Any, AnyArguments<'q>>,
    binds: &'q [Bind],
) -> Query<'q, Any, AnyArguments<'q>> {
    for bind in binds {
        query = match bind {
            Bind::Text(s) => query.bind(s.as_str()),
            Bind::Bool(b) => query.bind(*b),
        };
    }
    query
}

/// How many agencies match `filter`, as an SQL expression. Without a search it reads the
/// per-status counts that triggers keep in `agency_counts` (migration 0005): a few rows instead
/// of a count over every agency on each view of the list. A search counts the matching rows.
fn count_sql(filter: &AgencyFilter, where_sql: &str) -> String {
    if search_text(filter).is_some() {
        return format!("(SELECT COUNT(*) FROM agencies WHERE {where_sql})");
    }
    // CAST: PostgreSQL's SUM of BIGINT is NUMERIC, which the Any driver cannot read.
    match filter.status {
        None => "(SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM agency_counts)".to_string(),
        // The key is one of three constants, never user input.
        Some(status) => format!(
            "(SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM agency_counts WHERE status = '{}')",
            status.key()
        ),
    }
}

/// How the list query finds the agencies a search matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SearchPlan {
    /// A case-insensitive `LIKE` over the three columns: on SQLite a scan of every agency, on
    /// PostgreSQL answered from the `pg_trgm` indexes of migration 0006.
    Scan,
    /// The few agencies the trigram index (`agency_search`, SQLite migration 0006) names, each
    /// looked up by id.
    Trigram,
}

/// The shortest search the trigram index can answer.
const TRIGRAM: usize = 3;

/// Up to this many index hits, looking each up by id beats walking the whole list in name
/// order (10,000 agencies, the page and its count in the sqlite3 shell: 10 hits 0.6 ms, the
/// `LIKE` scan 14 ms; all 10,000 hits looked up and sorted 50 ms).
const TRIGRAM_MAX_HITS: i64 = 1_000;

impl Store {
    /// Picks the [`SearchPlan`] for `filter`: the trigram index on SQLite for a search of three
    /// or more characters that names few agencies, `LIKE` otherwise and on PostgreSQL. The
    /// index's hits are counted only up to one past the limit, so a broad search pays for no
    /// full count on top of its scan.
    async fn search_plan(&self, filter: &AgencyFilter) -> Result<SearchPlan, StoreError> {
        let Some(search) = search_text(filter) else {
            return Ok(SearchPlan::Scan);
        };
        if self.backend() != Backend::Sqlite || search.chars().count() < TRIGRAM {
            return Ok(SearchPlan::Scan);
        }
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM (SELECT 1 FROM agency_search \
             WHERE agency_search MATCH $1 LIMIT $2) AS hits",
        )
        .bind(fts_phrase(search))
        .bind(TRIGRAM_MAX_HITS + 1)
        .fetch_one(&self.pool)
        .await?;
        let hits: i64 = col(&row, "n")?;
        Ok(if hits <= TRIGRAM_MAX_HITS {
            SearchPlan::Trigram
        } else {
            SearchPlan::Scan
        })
    }
}

/// The search text of `filter`, trimmed; `None` when blank.
fn search_text(filter: &AgencyFilter) -> Option<&str> {
    filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// The list query's `WHERE` clause for `filter`, its search found as `plan` says, with its
/// bound values.
fn filter_sql(filter: &AgencyFilter, plan: SearchPlan) -> (String, Vec<Bind>) {
    let search = search_text(filter);
    let trigram = search.is_some() && plan == SearchPlan::Trigram;
    let mut binds = vec![Bind::Bool(true)];
    // With the trigram plan, `+` keeps SQLite off the name index, which would walk every agency
    // in name order to test each against the hits: it looks the hits up by id and sorts them.
    let enabled = if trigram {
        "+alto_enabled"
    } else {
        "alto_enabled"
    };
    let mut clauses = vec![format!("{enabled} = $1")];
    if let Some(search) = search {
        if trigram {
            binds.push(Bind::Text(fts_phrase(search)));
            let p = binds.len();
            clauses.push(format!(
                "id IN (SELECT agency_id FROM agency_search WHERE agency_search MATCH ${p})"
            ));
        } else {
            binds.push(Bind::Text(like_pattern(search)));
            let p = binds.len();
            clauses.push(format!(
                "(LOWER(display_name) LIKE ${p} ESCAPE '\\' OR LOWER(id) LIKE ${p} ESCAPE '\\' \
                 OR LOWER(COALESCE(alto_agency_ref, '')) LIKE ${p} ESCAPE '\\')"
            ));
        }
    }
    if let Some(status) = filter.status {
        binds.push(Bind::Bool(status != AltoStatus::SandboxOnly));
        let p = binds.len();
        clauses.push(format!("use_production = ${p}"));
        match status {
            AltoStatus::SandboxOnly => {}
            // Not offered as a filter (SQL does not apply the GUID rule): its nearest superset.
            AltoStatus::ProductionConnected | AltoStatus::InvalidAgencyRef => {
                clauses.push("alto_agency_ref IS NOT NULL".into())
            }
            AltoStatus::MissingAgencyRef => clauses.push("alto_agency_ref IS NULL".into()),
        }
    }
    (clauses.join(" AND "), binds)
}

/// `search` as one FTS5 phrase: every character literal (a `"` is doubled), so with the trigram
/// tokenizer it matches rows holding `search` as a substring of one column, in any case.
fn fts_phrase(search: &str) -> String {
    format!("\"{}\"", search.replace('"', "\"\""))
}

/// `%needle%`, lower-cased, with LIKE's own metacharacters escaped so they match literally.
pub(super) fn like_pattern(search: &str) -> String {
    let mut pattern = String::with_capacity(search.len() + 2);
    pattern.push('%');
    for c in search.to_lowercase().chars() {
        if matches!(c, '\\' | '%' | '_') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

pub(super) fn agency_from_row(row: &AnyRow) -> Result<Agency, StoreError> {
    let identifiers: String = col(row, "alto_identifiers")?;
    Ok(Agency {
        id: col(row, "id")?,
        display_name: col(row, "display_name")?,
        alto_enabled: col_bool(row, "alto_enabled")?,
        use_production: col_bool(row, "use_production")?,
        alto_agency_ref: col(row, "alto_agency_ref")?,
        alto_identifiers: serde_json::from_str(&identifiers).map_err(|e| StoreError::Corrupt {
            column: "alto_identifiers",
            detail: e.to_string(),
        })?,
        version: col(row, "version")?,
        created_at_ms: col(row, "created_at")?,
        updated_at_ms: col(row, "updated_at")?,
        alto_deactivated_at_ms: col(row, "alto_deactivated_at")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fts_phrase_keeps_every_character_literal() {
        assert_eq!(fts_phrase(r#"say "hi" OR x*"#), r#""say ""hi"" OR x*""#);
    }

    #[test]
    fn like_pattern_escapes_wildcards() {
        assert_eq!(like_pattern("A_b%c\\"), "%a\\_b\\%c\\\\%");
    }
}
