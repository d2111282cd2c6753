//! One store test suite, run on SQLite and on PostgreSQL (`ALTO_TEST_POSTGRES_URL`).

mod common;

use std::collections::HashSet;

use alto_admin::auth::{create_user, UserError};
use alto_admin::store::{
    bulk_agencies, now_ms, AgencyFilter, NewSession, PageCursor, PageRequest, RowKey,
    SettingsChange, UpdateOutcome,
};
use alto_admin::{
    AltoSettings, AltoStatus, NewAgency, Role, SettingsError, SettingsUpdate, Store, StoreError,
};

/// Generates `sqlite::NAME` and `postgres::NAME` for every suite function.
macro_rules! store_suite {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let db = crate::common::sqlite().await;
                    super::$name(&db).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let Some(db) = crate::common::postgres().await else { return };
                    super::$name(&db).await;
                }
            )*
        }
    };
}

store_suite!(
    insert_and_read_back,
    duplicate_agency_is_refused,
    status_follows_the_rule,
    list_shows_only_alto_enabled_and_filters,
    search_treats_like_wildcards_literally,
    search_finds_substrings_and_follows_every_change,
    paging_through_thousands,
    list_totals_follow_every_change,
    next_and_previous_cursors_give_the_numbered_pages,
    save_bumps_version_and_audits_each_field,
    stale_version_is_refused_and_nothing_is_lost,
    concurrent_saves_exactly_one_wins,
    unchanged_save_writes_nothing,
    production_requires_agency_ref,
    invalid_agency_ref_is_refused,
    audit_log_is_append_only,
    sql_metacharacters_are_stored_verbatim,
    users_have_unique_names_and_hashed_passwords,
    sessions_expire_and_end,
    reopening_keeps_data_and_migrations_are_idempotent,
    agency_directory_gives_the_facade_its_records,
);

use common::TestDb;

fn settings(db: &TestDb) -> AltoSettings {
    AltoSettings::new(db.store.clone())
}

async fn insert(store: &Store, agency: NewAgency) {
    store.insert_agency(&agency).await.expect("insert agency");
}

async fn insert_and_read_back(db: &TestDb) {
    let before = now_ms();
    let saved = db
        .store
        .insert_agency(&NewAgency {
            id: "ag-1".into(),
            display_name: "Harbour Lettings".into(),
            alto_enabled: true,
            use_production: true,
            alto_agency_ref: Some("53a8da48-9cac-59db-a284-e70f436337f4".into()),
        })
        .await
        .unwrap();
    let read = db.store.agency("ag-1").await.unwrap().unwrap();
    assert_eq!(read, saved);
    assert_eq!(read.display_name, "Harbour Lettings");
    assert!(read.alto_enabled && read.use_production);
    assert_eq!(
        read.alto_agency_ref.as_deref(),
        Some("53a8da48-9cac-59db-a284-e70f436337f4")
    );
    assert_eq!(read.alto_identifiers, serde_json::json!({}));
    assert_eq!(read.version, 1);
    assert!(read.created_at_ms >= before && read.updated_at_ms == read.created_at_ms);
    assert_eq!(db.store.agency("nope").await.unwrap(), None);
}

async fn duplicate_agency_is_refused(db: &TestDb) {
    insert(&db.store, NewAgency::sandbox("ag-1", "A")).await;
    let err = db
        .store
        .insert_agency(&NewAgency::sandbox("ag-1", "B"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::DuplicateAgency(ref id) if id == "ag-1"),
        "{err}"
    );
    assert_eq!(
        db.store.agency("ag-1").await.unwrap().unwrap().display_name,
        "A"
    );
}

async fn status_follows_the_rule(db: &TestDb) {
    let cases = [
        ("s", false, None, AltoStatus::SandboxOnly),
        (
            "s-ref",
            false,
            Some("0a1b2c3d-0000-4000-8000-0000000000a1"),
            AltoStatus::SandboxOnly,
        ),
        (
            "p",
            true,
            Some("0a1b2c3d-0000-4000-8000-0000000000a2"),
            AltoStatus::ProductionConnected,
        ),
        ("m", true, None, AltoStatus::MissingAgencyRef),
        // Stored before the GUID rule (or around the form): flagged whatever the environment.
        ("i", true, Some("AG-OLD-7"), AltoStatus::InvalidAgencyRef),
        ("i-s", false, Some("AG-OLD-8"), AltoStatus::InvalidAgencyRef),
    ];
    for (id, production, agency_ref, _) in cases {
        insert(
            &db.store,
            NewAgency {
                use_production: production,
                alto_agency_ref: agency_ref.map(str::to_string),
                ..NewAgency::sandbox(id, id)
            },
        )
        .await;
    }
    for (id, production, _, status) in cases {
        let agency = db.store.agency(id).await.unwrap().unwrap();
        assert_eq!(agency.status(), status, "{id}");
        assert_eq!(
            agency.environment().as_str(),
            if production { "production" } else { "sandbox" }
        );
    }
}

async fn list_shows_only_alto_enabled_and_filters(db: &TestDb) {
    assert_eq!(db.store.seed_demo().await.unwrap(), 6);
    assert_eq!(
        db.store.seed_demo().await.unwrap(),
        0,
        "seeding twice adds nothing"
    );
    let ids = |page: alto_admin::store::AgencyPage| {
        page.agencies.into_iter().map(|a| a.id).collect::<Vec<_>>()
    };
    let list = |search: &str, status: Option<AltoStatus>| {
        let store = db.store.clone();
        let filter = AgencyFilter {
            search: Some(search.to_string()),
            status,
        };
        async move {
            store
                .list_agencies(&filter, PageRequest::default())
                .await
                .unwrap()
        }
    };

    let all = list("", None).await;
    assert_eq!(all.total, 5, "the agency without Alto is not listed");
    assert_eq!(
        ids(all),
        [
            "agency-0001",
            "agency-0002",
            "agency-0003",
            "agency-0005",
            "agency-0004"
        ],
        "ordered by name"
    );
    assert_eq!(
        ids(list("MEADOW", None).await),
        ["agency-0002"],
        "name, any case"
    );
    assert_eq!(
        ids(list("agency-0003", None).await),
        ["agency-0003"],
        "internal id"
    );
    assert_eq!(
        ids(list(" CC14B30E-A0F7 ", None).await),
        ["agency-0002"],
        "AgencyRef, trimmed, any case"
    );
    assert_eq!(
        ids(list("", Some(AltoStatus::MissingAgencyRef)).await),
        ["agency-0003"]
    );
    assert_eq!(
        ids(list("", Some(AltoStatus::ProductionConnected)).await),
        ["agency-0002"]
    );
    assert_eq!(
        ids(list("", Some(AltoStatus::SandboxOnly)).await),
        ["agency-0001", "agency-0005", "agency-0004"]
    );
    assert_eq!(
        ids(list("harbour", Some(AltoStatus::MissingAgencyRef)).await),
        Vec::<String>::new()
    );
    assert_eq!(ids(list("not on alto", None).await), Vec::<String>::new());
}

async fn search_treats_like_wildcards_literally(db: &TestDb) {
    insert(&db.store, NewAgency::sandbox("a1", "100% Lettings")).await;
    insert(&db.store, NewAgency::sandbox("a2", "Plain Homes")).await;
    insert(&db.store, NewAgency::sandbox("a_3", "Under Score")).await;
    assert_eq!(searched(&db.store, "%").await, ["a1"]);
    assert_eq!(searched(&db.store, "_").await, ["a_3"]);
    assert_eq!(searched(&db.store, "0% l").await, ["a1"]);
}

/// The ids of Alto-enabled agencies whose name, id or AgencyRef holds `needle` in any ASCII
/// case: what the search must answer, computed here from the rows themselves.
async fn expected_matches(store: &Store, needle: &str) -> Vec<String> {
    let needle = needle.trim().to_ascii_lowercase();
    let rows = sqlx::query(
        "SELECT id, display_name, alto_agency_ref FROM agencies WHERE alto_enabled = $1",
    )
    .bind(true)
    .fetch_all(store.pool())
    .await
    .unwrap();
    let mut ids: Vec<String> = rows
        .iter()
        .filter_map(|row| {
            use sqlx::Row;
            let id: String = row.get("id");
            let name: String = row.get("display_name");
            let agency_ref: Option<String> = row.get("alto_agency_ref");
            let hit = [Some(&id), Some(&name), agency_ref.as_ref()]
                .into_iter()
                .flatten()
                .any(|field| field.to_ascii_lowercase().contains(&needle));
            hit.then_some(id)
        })
        .collect();
    ids.sort();
    ids
}

/// Every agency the search for `needle` lists, page by page, sorted by id.
async fn searched(store: &Store, needle: &str) -> Vec<String> {
    let filter = AgencyFilter {
        search: Some(needle.to_string()),
        status: None,
    };
    let mut ids = Vec::new();
    for page in 1.. {
        let found = store
            .list_agencies(
                &filter,
                PageRequest {
                    page,
                    per_page: 500,
                },
            )
            .await
            .unwrap();
        ids.extend(found.agencies.iter().map(|a| a.id.clone()));
        if page >= found.page_count() {
            assert_eq!(found.total, ids.len() as u64, "total of {needle:?}");
            break;
        }
    }
    ids.sort();
    ids
}

async fn assert_searches(store: &Store, needles: &[&str], step: &str) {
    for needle in needles {
        assert_eq!(
            searched(store, needle).await,
            expected_matches(store, needle).await,
            "{step}: search {needle:?}"
        );
    }
}

/// Searches of every length (the trigram index answers three characters or more on SQLite,
/// LIKE the rest) agree with a plain substring test of the rows, before and after saves,
/// writes from outside the app, bulk inserts and a delete.
async fn search_finds_substrings_and_follows_every_change(db: &TestDb) {
    let store = &db.store;
    let agency = |id: &str, name: &str, agency_ref: Option<&str>| NewAgency {
        id: id.into(),
        display_name: name.into(),
        alto_enabled: true,
        use_production: agency_ref.is_some(),
        alto_agency_ref: agency_ref.map(Into::into),
    };
    insert(store, agency("ab", "Meadow & Co", None)).await;
    insert(
        store,
        agency(
            "hx-0042",
            r#"O'Brien "Quotes" Homes"#,
            Some("5ab20b37-87b3-5833-918d-762e50a9a073"),
        ),
    )
    .await;
    insert(
        store,
        agency(
            "hx-0043",
            "Ünïcode Lettings OR Sales*",
            Some("9d2c4e7a-1b3f-4a5c-8e6d-0f1a2b3c4d5e"),
        ),
    )
    .await;
    insert(store, agency("hx-0044", "Harbour Lets", None)).await;
    let mut hidden = agency("hx-0045", "Meadow Hidden", None);
    hidden.alto_enabled = false;
    insert(store, hidden).await;
    let needles = [
        "a",
        "ab",
        "AB",
        "co",
        "& c",
        "meadow",
        "MEADOW",
        "eado",
        r#""quotes""#,
        "o'b",
        "5AB20B37-87b3",
        "77a",
        "hx-004",
        "0043",
        "nïc",
        "or sales*",
        " lets ",
        "9D2C4E7A",
        "no such agency",
        "*",
        "\"",
    ];
    assert_searches(store, &needles, "inserts").await;
    assert_eq!(
        searched(store, "meadow").await,
        ["ab"],
        "hidden agency left out"
    );

    let version = store.agency("hx-0044").await.unwrap().unwrap().version;
    let saved = store
        .update_settings(
            "hx-0044",
            version,
            &SettingsChange {
                alto_agency_ref: Some("0a1b2c3d-0000-4000-8000-00000000ee01".into()),
                use_production: true,
            },
            "tester",
        )
        .await
        .unwrap();
    assert!(matches!(saved, UpdateOutcome::Saved(_)));
    assert_eq!(
        searched(store, "ee01").await,
        ["hx-0044"],
        "new AgencyRef found"
    );
    sqlx::query("UPDATE agencies SET display_name = $1 WHERE id = $2")
        .bind("Renamed Estates")
        .bind("ab")
        .execute(store.pool())
        .await
        .unwrap();
    assert_eq!(
        searched(store, "meadow").await,
        Vec::<String>::new(),
        "old name gone"
    );
    assert_eq!(
        searched(store, "renamed").await,
        ["ab"],
        "outside rename found"
    );
    sqlx::query("UPDATE agencies SET alto_enabled = $1 WHERE id = $2")
        .bind(true)
        .bind("hx-0045")
        .execute(store.pool())
        .await
        .unwrap();
    store.insert_agencies(&bulk_agencies(30)).await.unwrap();
    sqlx::query("DELETE FROM agencies WHERE id = $1")
        .bind("hx-0043")
        .execute(store.pool())
        .await
        .unwrap();
    assert_searches(store, &needles, "after changes").await;
    assert_searches(
        store,
        &["ee01", "renamed", "agency 00", "0001"],
        "after changes",
    )
    .await;
    // Past the trigram plan's limit of hits the search scans instead; both answer alike.
    store.insert_agencies(&bulk_agencies(1_100)).await.unwrap();
    assert_searches(
        store,
        &["agency", "agency 0100", "ulk-01", "x"],
        "1,100 more",
    )
    .await;
}

async fn paging_through_thousands(db: &TestDb) {
    let inserted = db
        .store
        .insert_agencies(&bulk_agencies(2500))
        .await
        .unwrap();
    assert_eq!(inserted, 2500);
    let filter = AgencyFilter::default();
    let first = db
        .store
        .list_agencies(
            &filter,
            PageRequest {
                page: 1,
                per_page: 100,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (first.total, first.page_count(), first.agencies.len()),
        (2500, 25, 100)
    );
    assert_eq!(first.agencies[0].id, "bulk-00001");

    let mut seen = Vec::new();
    for page in 1..=25 {
        let got = db
            .store
            .list_agencies(
                &filter,
                PageRequest {
                    page,
                    per_page: 100,
                },
            )
            .await
            .unwrap();
        assert_eq!(got.page, page);
        seen.extend(got.agencies.into_iter().map(|a| a.id));
    }
    let expected: Vec<String> = (1..=2500).map(|i| format!("bulk-{i:05}")).collect();
    assert_eq!(seen, expected, "every agency once, in order");

    let beyond = db
        .store
        .list_agencies(
            &filter,
            PageRequest {
                page: 999,
                per_page: 100,
            },
        )
        .await
        .unwrap();
    assert_eq!(beyond.page, 25, "a page past the end shows the last page");
    assert_eq!(beyond.agencies.last().unwrap().id, "bulk-02500");

    let nothing = db
        .store
        .list_agencies(
            &AgencyFilter {
                search: Some("no agency is called this".into()),
                status: None,
            },
            PageRequest {
                page: 3,
                per_page: 100,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (nothing.total, nothing.page, nothing.agencies.len()),
        (0, 1, 0),
        "no match: page 1 of nothing, whatever page was asked for"
    );

    let filtered = db
        .store
        .list_agencies(
            &AgencyFilter {
                search: Some("Agency 012".into()),
                status: None,
            },
            PageRequest {
                page: 2,
                per_page: 40,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (filtered.total, filtered.page_count()),
        (100, 3),
        "bulk-01200..01299"
    );
    assert_eq!(filtered.agencies[0].id, "bulk-01240");
}

/// Each filter's total (read from the trigger-kept `agency_counts`) equals the rows the same
/// filter lists.
async fn assert_totals_match_rows(store: &Store, step: &str) {
    let filters = [
        None,
        Some(AltoStatus::SandboxOnly),
        Some(AltoStatus::ProductionConnected),
        Some(AltoStatus::MissingAgencyRef),
    ];
    for status in filters {
        let filter = AgencyFilter {
            search: None,
            status,
        };
        let page = store
            .list_agencies(
                &filter,
                PageRequest {
                    page: 1,
                    per_page: 500,
                },
            )
            .await
            .unwrap();
        assert_eq!(
            page.total,
            page.agencies.len() as u64,
            "{step}: total of {status:?} matches its rows"
        );
    }
}

async fn list_totals_follow_every_change(db: &TestDb) {
    let store = &db.store;
    assert_totals_match_rows(store, "empty").await;
    let agency = |id: &str, enabled: bool, production: bool, agency_ref: Option<&str>| NewAgency {
        id: id.into(),
        display_name: format!("Agency {id}"),
        alto_enabled: enabled,
        use_production: production,
        alto_agency_ref: agency_ref.map(Into::into),
    };
    insert(store, agency("c-1", true, false, None)).await;
    insert(
        store,
        agency(
            "c-2",
            true,
            true,
            Some("c1014ac6-a237-5a3d-9ec3-d0b1d492c655"),
        ),
    )
    .await;
    insert(store, agency("c-3", true, true, None)).await;
    insert(
        store,
        agency(
            "c-4",
            false,
            true,
            Some("760a3297-a57a-5c1b-b2ad-60c5b67e7d3c"),
        ),
    )
    .await;
    store.insert_agencies(&bulk_agencies(40)).await.unwrap();
    assert_totals_match_rows(store, "inserts").await;
    let all = store
        .list_agencies(&AgencyFilter::default(), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(all.total, 43, "c-4 is not Alto-enabled");

    // Sandbox → production with a ref, and production with a ref → sandbox.
    let change = |agency_ref: Option<&str>, use_production: bool| SettingsChange {
        alto_agency_ref: agency_ref.map(Into::into),
        use_production,
    };
    for (id, to) in [
        (
            "c-1",
            change(Some("0e1f82fc-b647-5040-880a-e6f365b5ce27"), true),
        ),
        ("c-2", change(None, false)),
        (
            "c-3",
            change(Some("636b73c0-f3d3-5e9e-8ed6-3fa7d8c2b2f2"), true),
        ),
    ] {
        let version = store.agency(id).await.unwrap().unwrap().version;
        let outcome = store
            .update_settings(id, version, &to, "tester")
            .await
            .unwrap();
        assert!(matches!(outcome, UpdateOutcome::Saved(_)), "{id} saved");
        assert_totals_match_rows(store, &format!("update of {id}")).await;
    }

    // Writes from outside the app (the agency system's own SQL) are counted too.
    sqlx::query("UPDATE agencies SET alto_enabled = $1 WHERE id = $2")
        .bind(true)
        .bind("c-4")
        .execute(store.pool())
        .await
        .unwrap();
    assert_totals_match_rows(store, "c-4 enabled").await;
    sqlx::query("UPDATE agencies SET alto_enabled = $1 WHERE id = $2")
        .bind(false)
        .bind("c-1")
        .execute(store.pool())
        .await
        .unwrap();
    assert_totals_match_rows(store, "c-1 disabled").await;
    // c-4 has no audit lines (an audited agency cannot be deleted).
    sqlx::query("DELETE FROM agencies WHERE id = $1")
        .bind("c-4")
        .execute(store.pool())
        .await
        .unwrap();
    assert_totals_match_rows(store, "c-4 deleted").await;
    let all = store
        .list_agencies(&AgencyFilter::default(), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(
        all.total, 42,
        "43, +1 c-4 enabled, -1 c-1 disabled, -1 c-4 deleted"
    );
}

async fn next_and_previous_cursors_give_the_numbered_pages(db: &TestDb) {
    let store = &db.store;
    store.insert_agencies(&bulk_agencies(230)).await.unwrap();
    let filter = AgencyFilter::default();
    let numbered = |page: u32| PageRequest { page, per_page: 50 };
    let mut pages = Vec::new();
    for page in 1..=5 {
        pages.push(store.list_agencies(&filter, numbered(page)).await.unwrap());
    }
    // Forward with Next: each page from the last row of the one before.
    for page in 2..=5u32 {
        let before = &pages[page as usize - 2];
        let cursor = PageCursor::After(RowKey::of(before.agencies.last().unwrap()));
        let got = store
            .list_agencies_from(&filter, numbered(page), &cursor)
            .await
            .unwrap();
        assert_eq!(got, pages[page as usize - 1], "Next to page {page}");
    }
    // Back with Previous: each page from the first row of the one after.
    for page in (1..=4u32).rev() {
        let after = &pages[page as usize];
        let cursor = PageCursor::Before(RowKey::of(after.agencies.first().unwrap()));
        let got = store
            .list_agencies_from(&filter, numbered(page), &cursor)
            .await
            .unwrap();
        assert_eq!(got, pages[page as usize - 1], "Previous to page {page}");
    }
    // A cursor past every row (its neighbours deleted) falls back to the numbered page.
    let gone = PageCursor::After(RowKey {
        display_name: "zzz".into(),
        id: "zzz".into(),
    });
    let got = store
        .list_agencies_from(&filter, numbered(3), &gone)
        .await
        .unwrap();
    assert_eq!(got, pages[2], "an exhausted cursor reads page 3 by number");
}

async fn save_bumps_version_and_audits_each_field(db: &TestDb) {
    insert(&db.store, NewAgency::sandbox("ag", "Agency")).await;
    let before = now_ms();
    let saved = settings(db)
        .update(
            "ag",
            &SettingsUpdate {
                agency_ref: "  ace9839a-ad2f-5beb-b8aa-0b7781716909 ".into(),
                use_production: true,
                version: 1,
            },
            "alice",
        )
        .await
        .unwrap();
    assert_eq!(saved.version, 2);
    assert_eq!(
        saved.alto_agency_ref.as_deref(),
        Some("ace9839a-ad2f-5beb-b8aa-0b7781716909"),
        "trimmed, otherwise as typed"
    );
    assert_eq!(saved.status(), AltoStatus::ProductionConnected);

    let history = db.store.audit_history("ag").await.unwrap();
    assert_eq!(history.len(), 2);
    let by_field = |f: &str| history.iter().find(|e| e.field == f).unwrap().clone();
    let agency_ref = by_field("alto_agency_ref");
    assert_eq!(
        (agency_ref.old_value, agency_ref.new_value.as_deref()),
        (None, Some("ace9839a-ad2f-5beb-b8aa-0b7781716909"))
    );
    let production = by_field("use_production");
    assert_eq!(
        (
            production.old_value.as_deref(),
            production.new_value.as_deref()
        ),
        (Some("false"), Some("true"))
    );
    for entry in &history {
        assert_eq!(entry.changed_by, "alice");
        assert!(entry.changed_at_ms >= before && entry.changed_at_ms <= now_ms());
    }

    let cleared = settings(db)
        .update(
            "ag",
            &SettingsUpdate {
                agency_ref: "".into(),
                use_production: false,
                version: 2,
            },
            "bob",
        )
        .await
        .unwrap();
    assert_eq!(
        (cleared.version, cleared.alto_agency_ref.clone()),
        (3, None)
    );
    let newest = &db.store.audit_history("ag").await.unwrap()[..2];
    assert!(newest.iter().all(|e| e.changed_by == "bob"));
    assert!(newest.iter().any(|e| e.field == "alto_agency_ref"
        && e.old_value.as_deref() == Some("ace9839a-ad2f-5beb-b8aa-0b7781716909")
        && e.new_value.is_none()));
}

async fn stale_version_is_refused_and_nothing_is_lost(db: &TestDb) {
    insert(&db.store, NewAgency::sandbox("ag", "Agency")).await;
    let service = settings(db);
    // Both admins open the form at version 1.
    let opened = service.agency("ag").await.unwrap().version;
    service
        .update(
            "ag",
            &SettingsUpdate {
                agency_ref: "11111111-1111-4111-8111-111111111111".into(),
                use_production: true,
                version: opened,
            },
            "alice",
        )
        .await
        .unwrap();
    let err = service
        .update(
            "ag",
            &SettingsUpdate {
                agency_ref: "22222222-2222-4222-8222-222222222222".into(),
                use_production: false,
                version: opened,
            },
            "bob",
        )
        .await
        .unwrap_err();
    match &err {
        SettingsError::Conflict { current } => {
            assert_eq!(
                current.alto_agency_ref.as_deref(),
                Some("11111111-1111-4111-8111-111111111111")
            );
            assert_eq!(current.version, 2);
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert!(
        err.to_string()
            .contains("Someone else changed this agency since you opened it"),
        "{err}"
    );
    let now = service.agency("ag").await.unwrap();
    assert_eq!(
        (
            now.alto_agency_ref.as_deref(),
            now.use_production,
            now.version
        ),
        (Some("11111111-1111-4111-8111-111111111111"), true, 2)
    );
    let history = db.store.audit_history("ag").await.unwrap();
    assert!(
        history.iter().all(|e| e.changed_by == "alice"),
        "bob's refused save left no audit line"
    );
}

async fn concurrent_saves_exactly_one_wins(db: &TestDb) {
    insert(&db.store, NewAgency::sandbox("ag", "Agency")).await;
    let mut tasks = Vec::new();
    for i in 0..8 {
        let service = settings(db);
        tasks.push(tokio::spawn(async move {
            let update = SettingsUpdate {
                agency_ref: format!("00000000-0000-4000-8000-{i:012}"),
                use_production: true,
                version: 1,
            };
            service.update("ag", &update, &format!("admin{i}")).await
        }));
    }
    let mut winners = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            Ok(agency) => winners.push(agency),
            Err(SettingsError::Conflict { .. }) => {}
            Err(other) => panic!("a concurrent save failed instead of conflicting: {other}"),
        }
    }
    assert_eq!(
        winners.len(),
        1,
        "exactly one of the saves based on version 1 wins"
    );
    let stored = db.store.agency("ag").await.unwrap().unwrap();
    assert_eq!(stored, winners[0]);
    let history = db.store.audit_history("ag").await.unwrap();
    let ref_changes: Vec<_> = history
        .iter()
        .filter(|e| e.field == "alto_agency_ref")
        .collect();
    assert_eq!(ref_changes.len(), 1);
    assert_eq!(ref_changes[0].new_value, stored.alto_agency_ref);
}

async fn unchanged_save_writes_nothing(db: &TestDb) {
    insert(&db.store, NewAgency::sandbox("ag", "Agency")).await;
    let change = SettingsChange {
        alto_agency_ref: None,
        use_production: false,
    };
    let outcome = db
        .store
        .update_settings("ag", 1, &change, "alice")
        .await
        .unwrap();
    assert!(
        matches!(outcome, UpdateOutcome::Unchanged(ref a) if a.version == 1),
        "{outcome:?}"
    );
    assert!(db.store.audit_history("ag").await.unwrap().is_empty());
    let missing = db
        .store
        .update_settings("nope", 1, &change, "alice")
        .await
        .unwrap();
    assert_eq!(missing, UpdateOutcome::NotFound);
}

async fn production_requires_agency_ref(db: &TestDb) {
    insert(&db.store, NewAgency::sandbox("ag", "Agency")).await;
    let err = settings(db)
        .update(
            "ag",
            &SettingsUpdate {
                agency_ref: "   ".into(),
                use_production: true,
                version: 1,
            },
            "alice",
        )
        .await
        .unwrap_err();
    assert!(matches!(err, SettingsError::AgencyRefRequired), "{err:?}");
    assert!(err.to_string().contains("AgencyRef is required"));
    let stored = db.store.agency("ag").await.unwrap().unwrap();
    assert_eq!(
        (stored.use_production, stored.version),
        (false, 1),
        "nothing saved"
    );
}

async fn invalid_agency_ref_is_refused(db: &TestDb) {
    insert(&db.store, NewAgency::sandbox("ag", "Agency")).await;
    for bad in ["AGY 42", "AGY<42>", "x'; --", &"A".repeat(129)] {
        let err = settings(db)
            .update(
                "ag",
                &SettingsUpdate {
                    agency_ref: bad.into(),
                    use_production: true,
                    version: 1,
                },
                "alice",
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, SettingsError::InvalidAgencyRef(_)),
            "{bad:?}: {err:?}"
        );
    }
    assert!(db.store.audit_history("ag").await.unwrap().is_empty());
}

async fn audit_log_is_append_only(db: &TestDb) {
    insert(&db.store, NewAgency::sandbox("ag", "Agency")).await;
    settings(db)
        .update(
            "ag",
            &SettingsUpdate {
                agency_ref: "0a1b2c3d-0000-4000-8000-0000000000ff".into(),
                use_production: false,
                version: 1,
            },
            "alice",
        )
        .await
        .unwrap();
    let update = sqlx::query("UPDATE agency_audit SET changed_by = 'mallory'")
        .execute(db.store.pool())
        .await;
    assert!(update.is_err(), "UPDATE on the audit log must fail");
    let delete = sqlx::query("DELETE FROM agency_audit")
        .execute(db.store.pool())
        .await;
    assert!(delete.is_err(), "DELETE on the audit log must fail");
    let history = db.store.audit_history("ag").await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].changed_by, "alice");
}

async fn sql_metacharacters_are_stored_verbatim(db: &TestDb) {
    let name = "Robert'); DROP TABLE agencies;--";
    let id = "o'brien\"; DELETE FROM agencies WHERE '1'='1";
    let user = "Bobby'); DROP TABLE agency_audit;--";
    insert(&db.store, NewAgency::sandbox(id, name)).await;
    let saved = settings(db)
        .update(
            id,
            &SettingsUpdate {
                agency_ref: "8662b309-dc51-58ea-9b1c-8ec10b34e88b".into(),
                use_production: true,
                version: 1,
            },
            user,
        )
        .await
        .unwrap();
    assert_eq!((saved.id.as_str(), saved.display_name.as_str()), (id, name));
    let found = db
        .store
        .list_agencies(
            &AgencyFilter {
                search: Some("'); DROP".into()),
                status: None,
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(found.agencies.len(), 1);
    assert_eq!(found.agencies[0].display_name, name);
    let history = db.store.audit_history(id).await.unwrap();
    assert_eq!(history.len(), 2, "audit table still there");
    assert!(history
        .iter()
        .all(|e| e.changed_by == user && e.agency_id == id));

    create_user(&db.store, user, "a long enough password", Role::Admin)
        .await
        .unwrap();
    let creds = db.store.user_credentials(user).await.unwrap().unwrap();
    assert_eq!(creds.user.username, user);
}

async fn users_have_unique_names_and_hashed_passwords(db: &TestDb) {
    let user = create_user(&db.store, "ann", "correct horse battery", Role::Admin)
        .await
        .unwrap();
    assert_eq!((user.username.as_str(), user.role), ("ann", Role::Admin));
    let creds = db.store.user_credentials("ann").await.unwrap().unwrap();
    assert!(creds.password_hash.starts_with("$argon2id$"));
    assert!(!creds.password_hash.contains("correct horse"));

    let dup = create_user(&db.store, "ann", "another long password", Role::Viewer)
        .await
        .unwrap_err();
    assert!(
        matches!(dup, UserError::Store(StoreError::DuplicateUser(_))),
        "{dup}"
    );
    let weak = create_user(&db.store, "bob", "short", Role::Admin)
        .await
        .unwrap_err();
    assert!(matches!(weak, UserError::WeakPassword), "{weak}");
    let blank = create_user(&db.store, " ", "a long enough password", Role::Admin)
        .await
        .unwrap_err();
    assert!(matches!(blank, UserError::BadUsername), "{blank}");
    let viewer = create_user(&db.store, "vic", "a long enough password", Role::Viewer)
        .await
        .unwrap();
    assert_eq!(viewer.role, Role::Viewer);
    assert!(db.store.user_credentials("nobody").await.unwrap().is_none());
}

async fn sessions_expire_and_end(db: &TestDb) {
    let user = create_user(&db.store, "ann", "correct horse battery", Role::Admin)
        .await
        .unwrap();
    let live = NewSession {
        id_hash: "live",
        user_id: user.id,
        csrf_token: "c1",
        expires_at_ms: now_ms() + 60_000,
    };
    let expired = NewSession {
        id_hash: "old",
        user_id: user.id,
        csrf_token: "c2",
        expires_at_ms: now_ms() - 1,
    };
    db.store.insert_session(&expired).await.unwrap();
    db.store.insert_session(&live).await.unwrap();
    let found = db
        .store
        .session("live")
        .await
        .unwrap()
        .expect("live session");
    assert_eq!((found.user, found.csrf_token.as_str()), (user, "c1"));
    assert!(
        db.store.session("old").await.unwrap().is_none(),
        "expired sessions are not valid"
    );
    db.store.delete_session("live").await.unwrap();
    assert!(db.store.session("live").await.unwrap().is_none());
}

async fn reopening_keeps_data_and_migrations_are_idempotent(db: &TestDb) {
    insert(&db.store, NewAgency::sandbox("ag", "Agency")).await;
    db.store.migrate().await.unwrap();
    let reopened = Store::connect(&db.url).await.unwrap();
    assert_eq!(reopened.backend(), db.store.backend());
    assert_eq!(
        reopened.agency("ag").await.unwrap().unwrap().display_name,
        "Agency"
    );
    let ids: HashSet<_> = reopened
        .list_agencies(&AgencyFilter::default(), PageRequest::default())
        .await
        .unwrap()
        .agencies
        .into_iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(ids, HashSet::from(["ag".to_string()]));
    reopened.close().await;
}

async fn agency_directory_gives_the_facade_its_records(db: &TestDb) {
    use alto::{AgencyDirectory, AgencyRecord, AgencyRef, Environment};
    db.store.seed_demo().await.unwrap();
    let directory: &dyn AgencyDirectory = &db.store;

    let connected = directory
        .find_agency("agency-0002")
        .await
        .unwrap()
        .expect("agency-0002");
    assert_eq!(
        connected,
        AgencyRecord {
            internal_id: "agency-0002".into(),
            display_name: "Meadow & Finch Estates".into(),
            environment: Environment::Production,
            agency_ref: Some(AgencyRef::parse("cc14b30e-a0f7-5fa1-8b66-bae2f340b87c").unwrap()),
        }
    );
    let sandbox = directory.find_agency("agency-0004").await.unwrap().unwrap();
    assert_eq!(
        sandbox.environment,
        Environment::Sandbox,
        "a stored ref does not make it production"
    );
    assert_eq!(
        sandbox.agency_ref.as_ref().map(AgencyRef::as_str),
        Some("5b238e6b-29bb-53a0-b50e-b739d7296012")
    );
    let missing = directory.find_agency("agency-0003").await.unwrap().unwrap();
    assert_eq!(
        (missing.environment, missing.agency_ref),
        (Environment::Production, None)
    );
    assert_eq!(directory.find_agency("no-such-agency").await.unwrap(), None);

    // An edit through Alto Settings is what the facade sees next.
    settings(db)
        .update(
            "agency-0001",
            &SettingsUpdate {
                agency_ref: " a97ecc12-822f-5b98-ad53-94d14f5ffbcb ".into(),
                use_production: true,
                version: 1,
            },
            "ann",
        )
        .await
        .unwrap();
    let edited = directory.find_agency("agency-0001").await.unwrap().unwrap();
    assert_eq!(
        (edited.environment, edited.agency_ref.unwrap().as_str()),
        (
            Environment::Production,
            "a97ecc12-822f-5b98-ad53-94d14f5ffbcb"
        )
    );

    // A value written around the form is reported, not passed on.
    insert(
        &db.store,
        NewAgency {
            use_production: true,
            alto_agency_ref: Some("bad ref".into()),
            ..NewAgency::sandbox("corrupt", "C")
        },
    )
    .await;
    let err = directory.find_agency("corrupt").await.unwrap_err();
    assert!(
        err.to_string().contains("correct it in Alto Settings"),
        "{err}"
    );

    // The client refuses a production call for it with a typed error that says what to do,
    // before anything is sent (the endpoint below does not exist).
    let client = alto::AltoClient::builder()
        .environment(
            Environment::Production,
            alto::Endpoints::custom("http://127.0.0.1:9", "http://127.0.0.1:9/token").unwrap(),
            alto::Credentials::new("id", "secret"),
        )
        .build()
        .unwrap();
    let err = client
        .resolve_agency(&db.store, "corrupt")
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            alto::AltoError::Config(alto::ConfigError::InvalidAgencyRef { agency, reason: alto::agency::InvalidAgencyRef::NotAGuid })
                if agency == "corrupt"
        ),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.contains("Alto Settings") && text.contains("a GUID such as"),
        "{text}"
    );
    assert!(
        !text.contains("bad ref"),
        "the stored value is not echoed: {text}"
    );

    // In sandbox the stored value is never sent, so it blocks nothing.
    insert(
        &db.store,
        NewAgency {
            use_production: false,
            alto_agency_ref: Some("AG-OLD-9".into()),
            ..NewAgency::sandbox("corrupt-sandbox", "S")
        },
    )
    .await;
    let sandbox = directory
        .find_agency("corrupt-sandbox")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (sandbox.environment, sandbox.agency_ref),
        (Environment::Sandbox, None)
    );
}
