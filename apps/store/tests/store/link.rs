//! Linking a pending activation: one transaction, never over a different AgencyRef, one winner
//! when two admins link at once, the branch kept, audited.

use alto_store::{
    ActivationLink, ActivationOutcome, LinkOutcome, NewActivation, NewAgency, SettingsChange,
    Store, StoreError, UpdateOutcome, ACTIVATION_AUDIT_USER,
};
use alto_testkit::db::TestDb;
use serde_json::json;

crate::on_both_backends!(
    double_link_is_refused,
    two_admins_linking_at_once_one_wins,
    two_activations_for_one_agency_at_once_one_wins,
    link_over_an_existing_ref_is_refused,
    branches_of_one_group_link_to_the_agency_holding_the_ref,
    stale_version_is_refused,
    an_activation_for_a_linked_ref_records_its_branch,
    an_agency_ref_belongs_to_one_agency,
);

const REF_A: &str = "5b3c1f7e-2d4a-4e8b-9c6d-0a1b2c3d4e5a";
const REF_B: &str = "5b3c1f7e-2d4a-4e8b-9c6d-0a1b2c3d4e5b";

async fn agency(store: &Store, id: &str, agency_ref: Option<&str>) {
    store
        .insert_agency(&NewAgency {
            alto_agency_ref: agency_ref.map(str::to_string),
            ..NewAgency::sandbox(id, format!("Agency {id}"))
        })
        .await
        .unwrap();
}

/// Records a pending activation and returns its row id.
async fn pending(store: &Store, event_id: &str, agency_ref: &str, branch: Option<&str>) -> i64 {
    let outcome = store
        .record_activation(&NewActivation {
            event_id: event_id.into(),
            agency_ref: agency_ref.into(),
            branch_id: branch.map(str::to_string),
            received_at_ms: 1_000,
        })
        .await
        .unwrap();
    assert_eq!(outcome, ActivationOutcome::Pending);
    let all = store.pending_activations(100).await.unwrap();
    all.iter().find(|a| a.event_id == event_id).unwrap().id
}

fn link<'a>(activation_id: i64, agency_id: &'a str, version: Option<i64>) -> ActivationLink<'a> {
    ActivationLink {
        activation_id,
        agency_id,
        expected_version: version,
        linked_by: "ann",
    }
}

async fn double_link_is_refused(db: &TestDb) {
    let store = &db.store;
    agency(store, "x", None).await;
    agency(store, "y", None).await;
    let id = pending(store, "ev-1", REF_A, Some("BR-1")).await;

    let first = store
        .link_activation(&link(id, "x", Some(1)))
        .await
        .unwrap();
    let LinkOutcome::Linked(x) = first else {
        panic!("{first:?}")
    };
    assert_eq!(x.alto_agency_ref.as_deref(), Some(REF_A));
    assert_eq!(x.version, 2);
    assert_eq!(x.alto_identifiers, json!({"branch_ids": ["BR-1"]}));
    let linked = store.activation(id).await.unwrap().unwrap();
    assert_eq!(linked.linked_agency_id.as_deref(), Some("x"));
    assert!(store.pending_activations(10).await.unwrap().is_empty());

    // The same activation again, to the same agency or another: nothing more happens.
    for target in ["x", "y"] {
        let again = store
            .link_activation(&link(id, target, None))
            .await
            .unwrap();
        assert_eq!(again, LinkOutcome::ActivationNotPending, "to {target}");
    }
    let y = store.agency("y").await.unwrap().unwrap();
    assert_eq!((y.alto_agency_ref, y.version), (None, 1));
    assert_eq!(store.agency("x").await.unwrap().unwrap().version, 2);

    // Audited under the admin's name: the link, the AgencyRef, the branch.
    let audit = store.audit_history("x").await.unwrap();
    let mut fields: Vec<_> = audit.iter().map(|e| e.field.as_str()).collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        ["alto_agency_ref", "alto_identifiers", "linked_activation"]
    );
    assert!(audit.iter().all(|e| e.changed_by == "ann"));
    let ref_line = audit.iter().find(|e| e.field == "alto_agency_ref").unwrap();
    assert_eq!(
        (ref_line.old_value.as_deref(), ref_line.new_value.as_deref()),
        (None, Some(REF_A))
    );
    assert!(store.audit_history("y").await.unwrap().is_empty());
}

async fn two_admins_linking_at_once_one_wins(db: &TestDb) {
    // Two instances (two pools) on one database, as behind a load balancer.
    let other = Store::connect(&db.url).await.unwrap();
    for round in 0..5 {
        let (x, y) = (format!("x{round}"), format!("y{round}"));
        agency(&db.store, &x, None).await;
        agency(&db.store, &y, None).await;
        let agency_ref = format!("6c4d2a8f-3e5b-4f9c-8d7e-{round:012}");
        let id = pending(&db.store, &format!("race-{round}"), &agency_ref, None).await;
        let (to_x, to_y) = (link(id, &x, None), link(id, &y, None));
        let (a, b) = tokio::join!(
            db.store.link_activation(&to_x),
            other.link_activation(&to_y),
        );
        let outcomes = [a.unwrap(), b.unwrap()];
        let linked = outcomes
            .iter()
            .filter(|o| matches!(o, LinkOutcome::Linked(_)))
            .count();
        assert_eq!(linked, 1, "round {round}: {outcomes:?}");
        assert!(
            outcomes.contains(&LinkOutcome::ActivationNotPending),
            "round {round}: {outcomes:?}"
        );
        let holders = [
            db.store.agency(&x).await.unwrap().unwrap(),
            db.store.agency(&y).await.unwrap().unwrap(),
        ];
        let with_ref: Vec<_> = holders
            .iter()
            .filter(|a| a.alto_agency_ref.as_deref() == Some(agency_ref.as_str()))
            .collect();
        assert_eq!(with_ref.len(), 1, "round {round}: {holders:?}");
        let activation = db.store.activation(id).await.unwrap().unwrap();
        assert_eq!(
            activation.linked_agency_id.as_deref(),
            Some(with_ref[0].id.as_str())
        );
    }
    other.close().await;
}

async fn two_activations_for_one_agency_at_once_one_wins(db: &TestDb) {
    let other = Store::connect(&db.url).await.unwrap();
    for round in 0..5 {
        let x = format!("x{round}");
        agency(&db.store, &x, None).await;
        let (ref_a, ref_b) = (
            format!("7d5e3b9a-4f6c-4a0d-9e8f-{round:012}"),
            format!("8e6f4cab-5a7d-4b1e-af90-{round:012}"),
        );
        let a = pending(&db.store, &format!("a-{round}"), &ref_a, None).await;
        let b = pending(&db.store, &format!("b-{round}"), &ref_b, None).await;
        let (link_a, link_b) = (link(a, &x, None), link(b, &x, None));
        let (first, second) = tokio::join!(
            db.store.link_activation(&link_a),
            other.link_activation(&link_b),
        );
        let outcomes = [first.unwrap(), second.unwrap()];
        let winners: Vec<_> = outcomes
            .iter()
            .filter_map(|o| match o {
                LinkOutcome::Linked(agency) => agency.alto_agency_ref.clone(),
                _ => None,
            })
            .collect();
        assert_eq!(winners.len(), 1, "round {round}: {outcomes:?}");
        assert!(
            outcomes.iter().any(|o| matches!(
                o,
                LinkOutcome::AgencyHasOtherRef(_) | LinkOutcome::Conflict(_)
            )),
            "round {round}: {outcomes:?}"
        );
        let stored = db.store.agency(&x).await.unwrap().unwrap();
        assert_eq!(stored.alto_agency_ref, Some(winners[0].clone()));
        // The loser's activation still waits for an admin.
        let open = db.store.pending_activations(100).await.unwrap();
        assert_eq!(open.len(), 1, "round {round}");
        assert_ne!(open[0].agency_ref, winners[0]);
        for activation in open {
            // Clear the way for the next round.
            let y = format!("y{round}");
            agency(&db.store, &y, None).await;
            let done = db
                .store
                .link_activation(&link(activation.id, &y, None))
                .await;
            assert!(matches!(done.unwrap(), LinkOutcome::Linked(_)));
        }
    }
    other.close().await;
}

async fn link_over_an_existing_ref_is_refused(db: &TestDb) {
    let store = &db.store;
    agency(store, "x", Some(REF_B)).await;
    let id = pending(store, "ev-1", REF_A, Some("BR-1")).await;
    let outcome = store.link_activation(&link(id, "x", None)).await.unwrap();
    let LinkOutcome::AgencyHasOtherRef(x) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(x.alto_agency_ref.as_deref(), Some(REF_B));
    let stored = store.agency("x").await.unwrap().unwrap();
    assert_eq!(stored, x, "nothing written");
    assert_eq!(stored.alto_identifiers, json!({}));
    assert!(store.audit_history("x").await.unwrap().is_empty());
    let activation = store.activation(id).await.unwrap().unwrap();
    assert_eq!(activation.linked_agency_id, None, "still pending");
}

async fn branches_of_one_group_link_to_the_agency_holding_the_ref(db: &TestDb) {
    let store = &db.store;
    agency(store, "group", None).await;
    agency(store, "other", None).await;
    // Both branches' activations arrive before anyone links the first.
    let first = pending(store, "ev-1", REF_A, Some("BR-1")).await;
    let second = pending(store, "ev-2", REF_A, Some("BR-2")).await;
    let third = pending(store, "ev-3", REF_A, Some("BR-3")).await;
    assert!(matches!(
        store
            .link_activation(&link(first, "group", None))
            .await
            .unwrap(),
        LinkOutcome::Linked(_)
    ));
    // The ref belongs to "group" now: not to another agency.
    assert_eq!(
        store
            .link_activation(&link(second, "other", None))
            .await
            .unwrap(),
        LinkOutcome::RefHeldByOtherAgency("group".into())
    );
    assert_eq!(store.agency("other").await.unwrap().unwrap().version, 1);
    // To the agency that holds it: accepted, and the branch recorded.
    let outcome = store
        .link_activation(&link(second, "group", Some(2)))
        .await
        .unwrap();
    let LinkOutcome::Linked(group) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(group.alto_agency_ref.as_deref(), Some(REF_A));
    assert_eq!(
        group.alto_identifiers,
        json!({"branch_ids": ["BR-1", "BR-2"]})
    );
    let audit = store.audit_history("group").await.unwrap();
    let newest: Vec<_> = audit.iter().take(2).map(|e| e.field.as_str()).collect();
    assert!(
        newest.contains(&"alto_identifiers") && newest.contains(&"linked_activation"),
        "{audit:?}"
    );
    assert_eq!(
        audit
            .iter()
            .filter(|e| e.field == "alto_agency_ref")
            .count(),
        1,
        "the ref itself changed once"
    );
    assert!(matches!(
        store
            .link_activation(&link(third, "group", None))
            .await
            .unwrap(),
        LinkOutcome::Linked(_)
    ));
    assert_eq!(
        store
            .agency("group")
            .await
            .unwrap()
            .unwrap()
            .alto_identifiers,
        json!({"branch_ids": ["BR-1", "BR-2", "BR-3"]})
    );
}

async fn stale_version_is_refused(db: &TestDb) {
    let store = &db.store;
    agency(store, "x", None).await;
    let id = pending(store, "ev-1", REF_A, None).await;
    // Someone saves the agency after the admin opened the link page at version 1.
    let saved = store
        .update_settings(
            "x",
            1,
            &SettingsChange {
                alto_agency_ref: None,
                use_production: true,
            },
            "bob",
        )
        .await
        .unwrap();
    assert!(matches!(saved, UpdateOutcome::Saved(_)));
    let outcome = store
        .link_activation(&link(id, "x", Some(1)))
        .await
        .unwrap();
    let LinkOutcome::Conflict(current) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!((current.version, current.alto_agency_ref), (2, None));
    assert_eq!(
        store
            .activation(id)
            .await
            .unwrap()
            .unwrap()
            .linked_agency_id,
        None
    );
    assert_eq!(
        store
            .link_activation(&link(id, "nope", None))
            .await
            .unwrap(),
        LinkOutcome::AgencyNotFound
    );
    assert!(matches!(
        store
            .link_activation(&link(id, "x", Some(2)))
            .await
            .unwrap(),
        LinkOutcome::Linked(_)
    ));
}

async fn an_activation_for_a_linked_ref_records_its_branch(db: &TestDb) {
    let store = &db.store;
    agency(store, "x", Some(REF_A)).await;
    store.flag_deactivated(REF_A, 5).await.unwrap();
    let activation = |event: &str, branch: &str| NewActivation {
        event_id: event.into(),
        agency_ref: REF_A.into(),
        branch_id: Some(branch.into()),
        received_at_ms: 10,
    };
    for (event, branch) in [("ev-1", "BR-7"), ("ev-2", "BR-8"), ("ev-3", "BR-7")] {
        let outcome = store
            .record_activation(&activation(event, branch))
            .await
            .unwrap();
        assert_eq!(outcome, ActivationOutcome::AlreadyLinked("x".into()));
    }
    let x = store.agency("x").await.unwrap().unwrap();
    assert_eq!(x.alto_identifiers, json!({"branch_ids": ["BR-7", "BR-8"]}));
    assert!(!x.is_deactivated());
    assert!(store.pending_activations(10).await.unwrap().is_empty());
    let audit = store.audit_history("x").await.unwrap();
    assert_eq!(audit.len(), 2, "one line per new branch: {audit:?}");
    assert!(audit.iter().all(|e| e.changed_by == ACTIVATION_AUDIT_USER));
}

async fn an_agency_ref_belongs_to_one_agency(db: &TestDb) {
    let store = &db.store;
    agency(store, "x", Some(REF_A)).await;
    let err = store
        .insert_agency(&NewAgency {
            alto_agency_ref: Some(REF_A.into()),
            ..NewAgency::sandbox("y", "Y")
        })
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::AgencyRefTaken(ref holder) if holder == "x"),
        "{err}"
    );
    agency(store, "z", None).await;
    let outcome = store
        .update_settings(
            "z",
            1,
            &SettingsChange {
                alto_agency_ref: Some(REF_A.into()),
                use_production: true,
            },
            "ann",
        )
        .await
        .unwrap();
    assert_eq!(outcome, UpdateOutcome::AgencyRefTaken("x".into()));
    let z = store.agency("z").await.unwrap().unwrap();
    assert_eq!((z.version, z.alto_agency_ref), (1, None));
    assert_eq!(
        store.agency_id_by_ref(REF_A).await.unwrap().as_deref(),
        Some("x")
    );
    // Agencies without a ref are many.
    agency(store, "w", None).await;
}
