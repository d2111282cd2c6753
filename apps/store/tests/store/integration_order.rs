//! Alto's integration switches applied in event-time order, whatever order they arrive in:
//! every permutation of each pair (and of longer runs) ends at the newest event's state; several
//! branches of one group belong to the agency holding its AgencyRef, which counts as
//! deactivated only when the group is disabled or every known branch is; switches for an
//! AgencyRef no agency holds yet take effect when it is linked.

use alto_store::{
    ActivationLink, IntegrationChange, IntegrationScope, LinkOutcome, NewAgency, Store,
};
use alto_testkit::db::TestDb;

crate::on_both_backends!(
    every_order_of_a_branch_pair_ends_at_the_newest,
    every_order_of_a_group_pair_ends_at_the_newest,
    equal_times_are_decided_by_id,
    an_agency_is_deactivated_only_when_every_branch_is,
    a_disabled_group_outranks_its_branches,
    switches_before_the_link_apply_at_the_link,
);

/// An AgencyRef per case, so many cases share one database.
fn agency_ref(case: usize) -> String {
    format!("6c1d2e3f-4a5b-4c6d-8e7f-{case:012}")
}

async fn agency(store: &Store, case: usize) -> String {
    let id = format!("agency-{case}");
    store
        .insert_agency(&NewAgency {
            alto_agency_ref: Some(agency_ref(case)),
            ..NewAgency::sandbox(id.clone(), format!("Agency {case}"))
        })
        .await
        .unwrap();
    id
}

fn change(
    case: usize,
    scope: IntegrationScope,
    active: bool,
    time_ms: i64,
    id: &str,
) -> IntegrationChange {
    IntegrationChange {
        event_id: format!("{id}|int-1"),
        agency_ref: agency_ref(case),
        scope,
        active,
        time_ms,
    }
}

fn branch(name: &str) -> IntegrationScope {
    IntegrationScope::Branch(Some(name.into()))
}

/// Every ordering of `items`.
fn permutations<T: Clone>(items: &[T]) -> Vec<Vec<T>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    let mut all = Vec::new();
    for i in 0..items.len() {
        let mut rest = items.to_vec();
        let first = rest.remove(i);
        for mut tail in permutations(&rest) {
            tail.insert(0, first.clone());
            all.push(tail);
        }
    }
    all
}

async fn deactivated(store: &Store, agency_id: &str) -> bool {
    store
        .agency(agency_id)
        .await
        .unwrap()
        .unwrap()
        .is_deactivated()
}

/// Delivers every permutation of `changes` (built for a fresh case each time) and checks the
/// agency's flag against `expect_deactivated`.
async fn all_orders(
    store: &Store,
    first_case: &mut usize,
    changes: impl Fn(usize) -> Vec<IntegrationChange>,
    expect_deactivated: bool,
) {
    let count = changes(0).len();
    let orders = permutations(&(0..count).collect::<Vec<_>>());
    for order in orders {
        *first_case += 1;
        let case = *first_case;
        let id = agency(store, case).await;
        let events = changes(case);
        for &i in &order {
            store.apply_integration_change(&events[i], 1).await.unwrap();
        }
        assert_eq!(
            deactivated(store, &id).await,
            expect_deactivated,
            "delivered in order {order:?}"
        );
    }
}

async fn every_order_of_a_branch_pair_ends_at_the_newest(db: &TestDb) {
    let store = &db.store;
    let mut case = 0;
    // Deactivated after Activated; then Activated after Deactivated.
    all_orders(
        store,
        &mut case,
        |c| {
            vec![
                change(c, branch("BR-1"), true, 1_000, "a"),
                change(c, branch("BR-1"), false, 2_000, "b"),
            ]
        },
        true,
    )
    .await;
    all_orders(
        store,
        &mut case,
        |c| {
            vec![
                change(c, branch("BR-1"), false, 1_000, "a"),
                change(c, branch("BR-1"), true, 2_000, "b"),
            ]
        },
        false,
    )
    .await;
    // Four switches of one branch, in all 24 orders: the newest (off) wins.
    all_orders(
        store,
        &mut case,
        |c| {
            vec![
                change(c, branch("BR-1"), true, 1_000, "a"),
                change(c, branch("BR-1"), false, 2_000, "b"),
                change(c, branch("BR-1"), true, 3_000, "c"),
                change(c, branch("BR-1"), false, 4_000, "d"),
            ]
        },
        true,
    )
    .await;
}

async fn every_order_of_a_group_pair_ends_at_the_newest(db: &TestDb) {
    let store = &db.store;
    let mut case = 100;
    all_orders(
        store,
        &mut case,
        |c| {
            vec![
                change(c, IntegrationScope::Group, true, 1_000, "a"),
                change(c, IntegrationScope::Group, false, 2_000, "b"),
            ]
        },
        true,
    )
    .await;
    all_orders(
        store,
        &mut case,
        |c| {
            vec![
                change(c, IntegrationScope::Group, false, 1_000, "a"),
                change(c, IntegrationScope::Group, true, 2_000, "b"),
            ]
        },
        false,
    )
    .await;
    all_orders(
        store,
        &mut case,
        |c| {
            vec![
                change(c, IntegrationScope::Group, false, 1_000, "a"),
                change(c, IntegrationScope::Group, true, 2_000, "b"),
                change(c, IntegrationScope::Group, false, 3_000, "c"),
                change(c, IntegrationScope::Group, true, 4_000, "d"),
            ]
        },
        false,
    )
    .await;
}

async fn equal_times_are_decided_by_id(db: &TestDb) {
    let store = &db.store;
    let mut case = 200;
    all_orders(
        store,
        &mut case,
        |c| {
            vec![
                change(c, branch("BR-1"), true, 5_000, "0a"),
                change(c, branch("BR-1"), false, 5_000, "0b"),
            ]
        },
        true,
    )
    .await;
    all_orders(
        store,
        &mut case,
        |c| {
            vec![
                change(c, IntegrationScope::Group, false, 5_000, "0a"),
                change(c, IntegrationScope::Group, true, 5_000, "0b"),
            ]
        },
        false,
    )
    .await;
}

async fn an_agency_is_deactivated_only_when_every_branch_is(db: &TestDb) {
    let store = &db.store;
    let mut case = 300;
    // Two branches activated, one deactivated: still active, in every order.
    all_orders(
        store,
        &mut case,
        |c| {
            vec![
                change(c, branch("BR-1"), true, 1_000, "a"),
                change(c, branch("BR-2"), true, 2_000, "b"),
                change(c, branch("BR-1"), false, 3_000, "c"),
            ]
        },
        false,
    )
    .await;
    // Both deactivated: deactivated, in every order.
    all_orders(
        store,
        &mut case,
        |c| {
            vec![
                change(c, branch("BR-1"), true, 1_000, "a"),
                change(c, branch("BR-2"), true, 2_000, "b"),
                change(c, branch("BR-1"), false, 3_000, "c"),
                change(c, branch("BR-2"), false, 4_000, "d"),
            ]
        },
        true,
    )
    .await;
    // The branches are recorded on the one agency holding the ref.
    let last = store
        .agency(&format!("agency-{case}"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        last.alto_identifiers,
        serde_json::json!({"branch_ids": if last.alto_identifiers["branch_ids"][0] == "BR-1" { ["BR-1", "BR-2"] } else { ["BR-2", "BR-1"] }})
    );
    assert!(store.pending_activations(10).await.unwrap().is_empty());
}

async fn a_disabled_group_outranks_its_branches(db: &TestDb) {
    let store = &db.store;
    let mut case = 400;
    all_orders(
        store,
        &mut case,
        |c| {
            vec![
                change(c, branch("BR-1"), true, 1_000, "a"),
                change(c, IntegrationScope::Group, false, 2_000, "b"),
                change(c, branch("BR-2"), true, 3_000, "c"),
            ]
        },
        true,
    )
    .await;
    all_orders(
        store,
        &mut case,
        |c| {
            vec![
                change(c, branch("BR-1"), true, 1_000, "a"),
                change(c, IntegrationScope::Group, false, 2_000, "b"),
                change(c, IntegrationScope::Group, true, 3_000, "c"),
            ]
        },
        false,
    )
    .await;
}

async fn switches_before_the_link_apply_at_the_link(db: &TestDb) {
    let store = &db.store;
    for (case, deactivated_last, expect) in [(500, true, true), (501, false, false)] {
        let id = format!("agency-{case}");
        store
            .insert_agency(&NewAgency::sandbox(id.clone(), "Not linked yet"))
            .await
            .unwrap();
        let (first, second) = if deactivated_last {
            (true, false)
        } else {
            (false, true)
        };
        // Delivered newest first: the older one must not undo it.
        let newest = store
            .apply_integration_change(&change(case, branch("BR-1"), second, 2_000, "b"), 1)
            .await
            .unwrap();
        let older = store
            .apply_integration_change(&change(case, branch("BR-1"), first, 1_000, "a"), 1)
            .await
            .unwrap();
        assert!(newest.newest && !older.newest);
        assert_eq!(newest.agency_id, None, "kept for a link");
        let activation = store
            .pending_activations(100)
            .await
            .unwrap()
            .into_iter()
            .find(|a| a.agency_ref == agency_ref(case))
            .expect("the Activated waits for an admin");
        let linked = store
            .link_activation(&ActivationLink {
                activation_id: activation.id,
                agency_id: &id,
                expected_version: None,
                linked_by: "ann",
            })
            .await
            .unwrap();
        match linked {
            LinkOutcome::Linked(agency) => {
                assert_eq!(agency.is_deactivated(), expect, "case {case}")
            }
            other => panic!("{other:?}"),
        }
    }
}
