//! Re-fetching what an event names, against the simulator: the reads it serves today
//! (contacts, properties, tenancies) with the linked agency's `AgencyRef` and no other; an event
//! for an `AgencyRef` no agency holds, or of a type outside the catalogue, reads nothing.

mod common;

use alto::{AltoClient, Endpoints, Environment};
use alto_admin::NewAgency;
use alto_sim::{RunningSimulator, Simulator};
use alto_webhooks::{refetch, AltoEvent, EventKind, RefetchError, Refetched};
use serde_json::json;

const LINKED: &str = "8662b309-dc51-58ea-9b1c-8ec10b34e88b";
const OTHER: &str = "15717b02-2ec5-56db-94e7-74531a345a98";
const UNLINKED: &str = "074f9fbc-b7e7-559e-a2d9-474de24205f4";

async fn setup(store: &alto_admin::Store) -> (RunningSimulator, AltoClient) {
    let sim = Simulator::builder()
        .production([
            (LINKED, "Acme Lettings"),
            (OTHER, "Bath Homes"),
            (UNLINKED, "Cardiff Rentals"),
        ])
        .seed_demo_data(true)
        .start()
        .await
        .unwrap();
    for (id, agency_ref) in [("agency-acme", LINKED), ("agency-bath", OTHER)] {
        store
            .insert_agency(&NewAgency {
                use_production: true,
                alto_agency_ref: Some(agency_ref.into()),
                ..NewAgency::sandbox(id, id)
            })
            .await
            .unwrap();
    }
    let client = AltoClient::builder()
        .environment(
            Environment::Production,
            Endpoints::custom(sim.base_url(), sim.token_url()).unwrap(),
            sim.credentials().to_alto(),
        )
        .build()
        .unwrap();
    (sim, client)
}

fn event(kind: &str, subject: &str, subject_id: &str, agency_ref: &str) -> AltoEvent {
    AltoEvent {
        id: format!("6f1c7a52-8d1e-4c55-9d0b-{subject_id:0>12}|int-1"),
        kind: EventKind::parse(kind),
        source: "alto".into(),
        subject: Some(subject.into()),
        time: None,
        integration_id: Some("int-1".into()),
        data_content_type: Some("application/json".into()),
        data: json!({"integrationId": "int-1", "agencyRef": agency_ref, "subjectId": subject_id}),
    }
}

/// The `AgencyRef` header of every request the simulator saw apart from token requests.
fn sent_refs(sim: &RunningSimulator) -> Vec<String> {
    sim.requests()
        .iter()
        .filter(|r| !r.path.contains("token"))
        .map(|r| r.header("agencyref").unwrap_or("(none)").to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn served_reads_use_the_linked_agencys_ref() {
    let db = common::sqlite().await;
    let (sim, client) = setup(&db.store).await;
    let contact = sim.contacts(Some(LINKED))[0].id.clone().unwrap();
    let property = sim.properties(Some(LINKED))[0].id.clone().unwrap();
    let tenancy = sim.tenancies(Some(LINKED))[0].id.unwrap().to_string();

    for kind in ["Contact.Created", "Contact.Modified"] {
        let got = refetch(
            &client,
            &db.store,
            &event(kind, &format!("/contacts/{contact}"), &contact, LINKED),
        )
        .await
        .unwrap();
        assert!(matches!(got, Refetched::Contact(_)), "{kind}: {got:?}");
    }
    for kind in [
        "Property.Created",
        "Property.Modified",
        "Property.MarketingInformationSent",
    ] {
        let got = refetch(
            &client,
            &db.store,
            &event(kind, &format!("/inventory/{property}"), &property, LINKED),
        )
        .await
        .unwrap();
        assert!(matches!(got, Refetched::Property(_)), "{kind}: {got:?}");
    }
    for kind in [
        "Tenancy.Created",
        "Tenancy.Modified",
        "Tenancy.ReferencingPassed",
        "Tenancy.Renewed",
        "Tenancy.Vacated",
    ] {
        let got = refetch(
            &client,
            &db.store,
            &event(kind, &format!("/tenancies/{tenancy}"), &tenancy, LINKED),
        )
        .await
        .unwrap();
        match got {
            Refetched::Tenancy(t) => {
                assert_eq!(t.id.map(|id| id.to_string()), Some(tenancy.clone()))
            }
            other => panic!("{kind}: {other:?}"),
        }
    }
    let refs = sent_refs(&sim);
    assert_eq!(refs.len(), 10, "{refs:?}");
    assert!(refs.iter().all(|r| r == LINKED), "{refs:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unlinked_or_uncatalogued_events_read_nothing() {
    let db = common::sqlite().await;
    let (sim, client) = setup(&db.store).await;
    let contact = sim.contacts(Some(UNLINKED))[0].id.clone().unwrap();
    let unlinked = event(
        "Contact.Modified",
        &format!("/contacts/{contact}"),
        &contact,
        UNLINKED,
    );
    assert!(matches!(
        refetch(&client, &db.store, &unlinked).await,
        Err(RefetchError::UnlinkedAgency)
    ));
    let mut no_ref = unlinked.clone();
    no_ref.data = json!({"subjectId": contact});
    assert!(matches!(
        refetch(&client, &db.store, &no_ref).await,
        Err(RefetchError::NoAgencyRef)
    ));
    let other = event("Viewing.Booked", "/viewings/1", "1", LINKED);
    assert!(matches!(
        refetch(&client, &db.store, &other).await,
        Err(RefetchError::NotCatalogued(name)) if name == "Viewing.Booked"
    ));
    let bad = event("Contact.Modified", "/contacts/abc", "abc", LINKED);
    assert!(matches!(
        refetch(&client, &db.store, &bad).await,
        Err(RefetchError::BadSubject { .. })
    ));
    assert_eq!(sent_refs(&sim), Vec::<String>::new(), "nothing was read");
}
