//! The workflow helpers over HTTP on loopback, against the simulator: each helper's requests are
//! pinned by an insta snapshot and checked against Zoopla's own spec.

mod workflow_support;

use alto::appointments::{NewGeneralAppointment, NewMarketAppraisal, NewViewing};
use alto::contacts::{Address, ContactFilter, NewContact, NewPerson, PhoneType};
use alto::documents::{DocumentLink, Upload, MAX_UPLOAD_BYTES};
use alto::ids::{BranchId, ContactId, NegotiatorId, PersonId, PropertyId, TenancyId};
use alto::properties::{Market, NewProperty, PropertyDetails, PropertyWorkflowError};
use alto::reference_checks::{DateRange, ReferenceCheckStatus};
use alto::AltoError;
use chrono::{Duration, TimeZone, Utc};
use futures::TryStreamExt;
use insta::assert_json_snapshot;
use workflow_support::{assert_conforms, sandbox, shape, Setup};

fn owner(branch: BranchId) -> NewContact {
    NewContact::new(
        branch,
        NewPerson::new("Whitfield")
            .title("Mrs")
            .forename("Eleanor")
            .email("eleanor.whitfield@example.co.uk")
            .phone(PhoneType::Mobile, "07700 900456"),
    )
    .address(Address::new("12", "Cranbrook Road", "Bristol", "BS6 7BL"))
    .potential_landlord()
}

fn flat() -> Address {
    Address::new("Flat 3, 41", "Gloucester Road", "Bristol", "BS7 8AD")
}

async fn first_branch_and_negotiator(s: &Setup) -> (BranchId, NegotiatorId) {
    let b = s
        .agency
        .branches()
        .list()
        .try_next()
        .await
        .unwrap()
        .unwrap();
    let n = s
        .agency
        .branches()
        .negotiators()
        .try_next()
        .await
        .unwrap()
        .unwrap();
    (
        BranchId::new(b.branch_id.unwrap().parse().unwrap()),
        NegotiatorId::new(n.id.unwrap().parse().unwrap()),
    )
}

#[tokio::test]
async fn contacts_create_get_people_and_duplicates() {
    let s = sandbox().await;
    let (branch, _) = first_branch_and_negotiator(&s).await;
    s.take_requests();
    let contact = NewContact::new(
        branch,
        NewPerson::new("Okafor")
            .forename("Daniel")
            .email("daniel.okafor@example.co.uk"),
    )
    .and_person(
        NewPerson::new("Okafor")
            .forename("Grace")
            .email("grace.okafor@example.co.uk"),
    )
    .unwrap();
    let created = s.agency.contacts().create(&contact).await.unwrap();
    let id = ContactId::parse("t", created.id.as_deref()).unwrap();
    let fetched = s.agency.contacts().get(id).await.unwrap();
    assert_eq!(fetched.id, created.id);
    let people = s.agency.contacts().people(id).await.unwrap();
    assert_eq!(
        people
            .iter()
            .filter_map(|p| p.forename.as_deref())
            .collect::<Vec<_>>(),
        vec!["Daniel", "Grace"]
    );

    let again = s.agency.contacts().create(&contact).await.unwrap_err();
    assert!(matches!(again, AltoError::Duplicate { .. }), "{again}");
    assert_eq!(again.existing_ids(), vec![id.to_string().as_str()]);
    assert_eq!(
        s.agency
            .contacts()
            .create_or_existing(&contact)
            .await
            .unwrap(),
        (id, false)
    );

    let requests = s.take_requests();
    assert_json_snapshot!("contacts_create", shape(&requests[0]));
    assert_json_snapshot!("contacts_get", (shape(&requests[1]), shape(&requests[2])));
    assert_conforms(&requests);
}

#[tokio::test]
async fn property_is_created_after_its_owner_and_more_owners_can_be_added() {
    let s = sandbox().await;
    let (branch, negotiator) = first_branch_and_negotiator(&s).await;
    s.take_requests();
    let details = PropertyDetails {
        address: flat(),
        market: Market::Rent,
        branch: Some(branch),
        negotiator: Some(negotiator),
    };
    let created = s
        .agency
        .properties()
        .create_with_new_owner(&owner(branch), details)
        .await
        .unwrap();
    assert!(created.owner_created);
    let requests = s.take_requests();
    let calls: Vec<String> = requests
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    // POST /inventory/new declares no 409: the address is looked up before creating.
    assert_eq!(
        calls,
        vec![
            "POST /contacts",
            "GET /inventory/search",
            "POST /inventory/new"
        ]
    );
    let owners = &shape(&requests[2])["body"]["owners"];
    assert_eq!(
        owners[0]["contactId"],
        serde_json::json!(created.owner.0),
        "the property names the owner created first"
    );
    assert_json_snapshot!(
        "property_with_owner",
        (shape(&requests[0]), shape(&requests[2]))
    );

    let second = s
        .agency
        .contacts()
        .create(&NewContact::new(
            branch,
            NewPerson::new("Whitfield").forename("Owen"),
        ))
        .await
        .unwrap();
    let second = ContactId::parse("t", second.id.as_deref()).unwrap();
    s.agency
        .properties()
        .add_owner(created.property, second)
        .await
        .unwrap();
    let owners = s.sim.counts(None).owners;
    assert!(owners >= 2);
    let requests = s.take_requests();
    assert_json_snapshot!("property_add_owner", shape(&requests[1]));
    assert_conforms(&requests);

    // Straight creation with a known owner; the type demands one.
    let id = s
        .agency
        .properties()
        .create(&NewProperty::new(
            Address::new("7", "Park Row", "Bristol", "BS1 5LJ"),
            Market::Sale,
            created.owner,
        ))
        .await
        .unwrap();
    assert_ne!(id, created.property);
    s.agency.properties().get(id).await.unwrap();
}

#[tokio::test]
async fn property_workflow_names_the_step_that_failed_and_keeps_the_owner() {
    let s = sandbox().await;
    let (branch, _) = first_branch_and_negotiator(&s).await;
    let details = PropertyDetails {
        address: flat(),
        market: Market::Rent,
        branch: Some(BranchId::new(424_242)),
        negotiator: None,
    };
    let err = s
        .agency
        .properties()
        .create_with_new_owner(&owner(branch), details)
        .await
        .unwrap_err();
    match &err {
        PropertyWorkflowError::Property {
            owner,
            owner_created,
            error,
        } => {
            assert!(*owner_created);
            assert!(matches!(error, AltoError::Validation { .. }), "{error}");
            assert!(
                s.sim
                    .contacts(None)
                    .iter()
                    .any(|c| c.id.as_deref() == Some(owner.to_string().as_str())),
                "the owner stays in Alto"
            );
        }
        other => panic!("expected the property step to fail, got {other}"),
    }
    assert!(
        err.to_string().contains("creating the property failed"),
        "{err}"
    );
    // The owner step failing means nothing was created.
    let bad_owner = NewContact::new(BranchId::new(424_242), NewPerson::new("Nobody"));
    let details = PropertyDetails {
        address: flat(),
        market: Market::Rent,
        branch: None,
        negotiator: None,
    };
    let before = s.sim.counts(None);
    assert!(matches!(
        s.agency
            .properties()
            .create_with_new_owner(&bad_owner, details)
            .await,
        Err(PropertyWorkflowError::Owner(_))
    ));
    assert_eq!(s.sim.counts(None).properties, before.properties);
    assert_eq!(s.sim.counts(None).contacts, before.contacts);
}

#[tokio::test]
async fn documents_upload_from_bytes_path_and_stream_linked_to_each_kind() {
    let s = sandbox().await;
    let (branch, negotiator) = first_branch_and_negotiator(&s).await;
    let details = PropertyDetails {
        address: flat(),
        market: Market::Rent,
        branch: Some(branch),
        negotiator: Some(negotiator),
    };
    let created = s
        .agency
        .properties()
        .create_with_new_owner(&owner(branch), details)
        .await
        .unwrap();
    let tenancy = s
        .agency
        .tenancies()
        .list()
        .try_next()
        .await
        .unwrap()
        .unwrap();
    let tenancy = TenancyId::new(tenancy.id.unwrap().into());
    s.take_requests();

    let docs = s.agency.documents();
    let a = docs
        .upload(
            Upload::bytes("id-check.pdf", b"%PDF-1.4 owner id".to_vec()),
            DocumentLink::Contact(created.owner),
        )
        .await
        .unwrap();
    let dir = std::env::temp_dir().join(format!("alto-doc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("gas-safety.pdf");
    std::fs::write(&path, b"%PDF-1.4 gas safety").unwrap();
    let b = docs
        .upload(
            Upload::path(&path).await.unwrap(),
            DocumentLink::Property(created.property),
        )
        .await
        .unwrap();
    let chunks = futures::stream::iter(vec![
        Ok::<_, std::io::Error>(bytes::Bytes::from_static(b"tenancy ")),
        Ok(bytes::Bytes::from_static(b"agreement")),
    ]);
    let c = docs
        .upload(
            Upload::stream("agreement.txt", chunks, None),
            DocumentLink::Tenancy(tenancy),
        )
        .await
        .unwrap();
    assert!(a != b && b != c);
    let requests = s.take_requests();
    assert_json_snapshot!("document_upload_bytes", shape(&requests[0]));
    assert_json_snapshot!("document_upload_path", shape(&requests[1]));
    assert_json_snapshot!("document_upload_stream", shape(&requests[2]));
    assert_conforms(&requests);

    let listed: Vec<_> = docs
        .list(DocumentLink::Property(created.property))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        listed
            .iter()
            .filter_map(|d| d.file_name.as_deref())
            .collect::<Vec<_>>(),
        vec!["gas-safety.pdf"]
    );
    assert_conforms(&s.take_requests());

    // Refused before sending: too big, empty.
    let too_big = Upload::stream(
        "huge.bin",
        futures::stream::empty::<Result<bytes::Bytes, std::io::Error>>(),
        Some(MAX_UPLOAD_BYTES + 1),
    );
    assert!(matches!(
        docs.upload(too_big, DocumentLink::Contact(created.owner))
            .await,
        Err(AltoError::InvalidRequest { .. })
    ));
    assert!(matches!(
        docs.upload(
            Upload::bytes("empty.pdf", Vec::new()),
            DocumentLink::Contact(created.owner)
        )
        .await,
        Err(AltoError::InvalidRequest { .. })
    ));
    assert!(s.take_requests().is_empty(), "nothing was sent");
}

/// Alto takes two people on a contact: a third is refused while building the contact, with
/// an error that says what to do, and nothing reaches Alto.
#[tokio::test]
async fn a_third_person_is_refused_before_anything_is_sent() {
    let s = sandbox().await;
    let (branch, _) = first_branch_and_negotiator(&s).await;
    s.take_requests();
    let couple = NewContact::new(branch, NewPerson::new("Okafor").forename("Daniel"))
        .and_person(NewPerson::new("Okafor").forename("Grace"))
        .unwrap();
    let refused = couple
        .clone()
        .and_person(NewPerson::new("Okafor").forename("Ruth"))
        .unwrap_err();
    assert_eq!(refused, alto::contacts::TooManyPeople { max: 2 });
    assert!(
        refused.to_string().contains("at most 2 people"),
        "{refused}"
    );
    assert_eq!(couple.people().len(), 2);
    assert!(s.take_requests().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn one_document_per_person_of_a_contact() {
    let s = sandbox().await;
    let (branch, _) = first_branch_and_negotiator(&s).await;
    let couple = NewContact::new(branch, NewPerson::new("Okafor").forename("Daniel"))
        .and_person(NewPerson::new("Okafor").forename("Grace"))
        .unwrap();
    let contact = s.agency.contacts().create(&couple).await.unwrap();
    let contact = ContactId::parse("t", contact.id.as_deref()).unwrap();
    let people: Vec<PersonId> = s
        .agency
        .contacts()
        .people(contact)
        .await
        .unwrap()
        .iter()
        .map(|p| PersonId::new(p.id.as_deref().unwrap().parse().unwrap()))
        .collect();
    assert_eq!(people.len(), 2);
    let docs = s.agency.documents();
    let before = s.sim.documents(None).len();

    let twice = vec![
        (people[0], Upload::bytes("a.pdf", b"a".to_vec())),
        (people[0], Upload::bytes("b.pdf", b"b".to_vec())),
    ];
    assert!(matches!(
        docs.upload_per_person(contact, twice).await,
        Err(AltoError::InvalidRequest { .. })
    ));
    let stranger = vec![(
        PersonId::new(999_999),
        Upload::bytes("a.pdf", b"a".to_vec()),
    )];
    assert!(matches!(
        docs.upload_per_person(contact, stranger).await,
        Err(AltoError::InvalidRequest { .. })
    ));
    assert_eq!(
        s.sim.documents(None).len(),
        before,
        "nothing uploaded for bad input"
    );

    let each = vec![
        (
            people[0],
            Upload::bytes("daniel-payslip.pdf", b"d".to_vec()),
        ),
        (people[1], Upload::bytes("grace-payslip.pdf", b"g".to_vec())),
    ];
    let done = docs.upload_per_person(contact, each).await.unwrap();
    assert_eq!(done.iter().map(|(p, _)| *p).collect::<Vec<_>>(), people);
    assert_eq!(s.sim.documents(None).len(), before + 2);
}

#[tokio::test]
async fn tenancy_tenants_and_their_guarantors() {
    let s = sandbox().await;
    let tenancy = s
        .agency
        .tenancies()
        .list()
        .try_next()
        .await
        .unwrap()
        .unwrap();
    let tenancy = TenancyId::new(tenancy.id.unwrap().into());
    s.take_requests();
    let tenants = s.agency.tenancies().tenants(tenancy).await.unwrap();
    assert_eq!(tenants.len(), 2, "the demo tenancy has two tenants");
    for t in &tenants {
        let guarantors = s.agency.tenancies().guarantors(t.tenant).await.unwrap();
        assert_eq!(guarantors.len(), 1, "each demo tenant has a guarantor");
        assert_ne!(guarantors[0].contact, t.contact);
    }
    let requests = s.take_requests();
    assert_json_snapshot!("tenancy_tenants", shape(&requests[0]));
    assert_json_snapshot!("tenant_guarantors", shape(&requests[1]));
    assert_conforms(&requests);
}

#[tokio::test]
async fn reference_checks_in_a_range_status_updates_and_parties() {
    let s = sandbox().await;
    s.take_requests();
    let all_recent: Vec<_> = s
        .agency
        .reference_checks()
        .list(DateRange::last_days(7))
        .try_collect()
        .await
        .unwrap();
    let week_ago = Utc::now() - Duration::days(7);
    let expected = s
        .sim
        .reference_checks(None)
        .iter()
        .filter(|c| c.created_date.is_some_and(|d| d >= week_ago))
        .count();
    assert_eq!(all_recent.len(), expected);
    let everything: Vec<_> = s
        .agency
        .reference_checks()
        .list(DateRange::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        everything.len(),
        s.sim.reference_checks(None).len(),
        "both ends open"
    );
    let bounded = DateRange {
        from: Some(Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).unwrap()),
        to: Some(Utc::now() - Duration::days(3)),
    };
    let older: Vec<_> = s
        .agency
        .reference_checks()
        .list(bounded)
        .try_collect()
        .await
        .unwrap();
    assert!(older
        .iter()
        .all(|c| c.created_date.unwrap() <= bounded.to.unwrap()));
    assert!(older.len() < everything.len());

    let pending = all_recent
        .iter()
        .find(|c| c.status == Some(ReferenceCheckStatus::Pending))
        .expect("a pending check");
    let id = pending.reference_check_id.unwrap();
    s.take_requests();
    s.agency
        .reference_checks()
        .set_status(id, ReferenceCheckStatus::Completed)
        .await
        .unwrap();
    let stored = s
        .sim
        .reference_checks(None)
        .into_iter()
        .find(|c| c.reference_check_id == Some(id))
        .unwrap();
    assert_eq!(stored.status, Some(ReferenceCheckStatus::Completed));
    let requests = s.take_requests();
    assert_json_snapshot!("reference_check_complete", shape(&requests[0]));
    assert_conforms(&requests);

    let parties = s.agency.reference_checks().parties(pending).await.unwrap();
    assert_eq!(
        parties.tenancy,
        TenancyId::new(pending.tenancy_id.unwrap().into())
    );
    assert!(!parties.tenants.is_empty());
    // The operation declares no 404: an unknown id is its declared 400.
    assert!(matches!(
        s.agency
            .reference_checks()
            .set_status(uuid::Uuid::new_v4(), ReferenceCheckStatus::Pending)
            .await,
        Err(AltoError::Validation { .. })
    ));
}

#[tokio::test]
async fn contacts_are_listed_by_creation_and_modification_time() {
    let s = sandbox().await;
    let everyone: Vec<_> = s
        .agency
        .contacts()
        .list(ContactFilter::default())
        .try_collect()
        .await
        .unwrap();
    assert!(everyone.len() > 2, "the demo data has contacts");
    // One contact edited now: a modification range from a minute ago finds it alone.
    let edited = everyone[1].id.clone().unwrap();
    let now = Utc::now();
    assert!(s
        .sim
        .modify_contact(None, edited.parse().unwrap(), "new notes", now));
    s.take_requests();
    let changed: Vec<_> = s
        .agency
        .contacts()
        .list(ContactFilter::modified(DateRange::since(
            now - chrono::Duration::minutes(1),
        )))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        changed
            .iter()
            .map(|c| c.id.clone().unwrap())
            .collect::<Vec<_>>(),
        [edited]
    );
    assert_eq!(
        changed[0].modified_at.map(|t| t.timestamp_micros()),
        Some(now.timestamp_micros())
    );
    let requests = s.take_requests();
    assert_eq!(requests.len(), 1);
    assert_conforms(&requests);

    // The request shape, with fixed times.
    let filter = ContactFilter {
        created: DateRange::since(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()),
        modified: DateRange {
            from: Some(Utc.with_ymd_and_hms(2026, 11, 18, 9, 0, 0).unwrap()),
            to: Some(Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap()),
        },
    };
    let _: Vec<_> = s
        .agency
        .contacts()
        .list(filter)
        .try_collect()
        .await
        .unwrap();
    let requests = s.take_requests();
    assert_json_snapshot!("contacts_list", shape(&requests[0]));
    assert_conforms(&requests);
}

#[tokio::test]
async fn reference_check_listing_sends_the_spec_parameters() {
    let s = sandbox().await;
    s.take_requests();
    let range = DateRange {
        from: Some(Utc.with_ymd_and_hms(2026, 11, 18, 9, 0, 0).unwrap()),
        to: Some(Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap()),
    };
    let _: Vec<_> = s
        .agency
        .reference_checks()
        .list(range)
        .try_collect()
        .await
        .unwrap();
    let requests = s.take_requests();
    assert_json_snapshot!("reference_checks_list", shape(&requests[0]));
    assert_conforms(&requests);
}

#[tokio::test]
async fn appointments_viewing_general_and_market_appraisal() {
    let s = sandbox().await;
    let (branch, negotiator) = first_branch_and_negotiator(&s).await;
    let details = PropertyDetails {
        address: flat(),
        market: Market::Rent,
        branch: Some(branch),
        negotiator: Some(negotiator),
    };
    let created = s
        .agency
        .properties()
        .create_with_new_owner(&owner(branch), details)
        .await
        .unwrap();
    let applicant = s
        .agency
        .contacts()
        .create(&NewContact::new(
            branch,
            NewPerson::new("Okafor").forename("Daniel"),
        ))
        .await
        .unwrap();
    let applicant = ContactId::parse("t", applicant.id.as_deref()).unwrap();
    s.take_requests();
    let start = Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap();
    let end = start + Duration::minutes(30);

    let viewing = NewViewing::new(created.property, applicant, negotiator, start, end)
        .notes("Keys at office")
        .confirmed();
    let viewing = s
        .agency
        .appointments()
        .create_viewing(&viewing)
        .await
        .unwrap();
    let general = NewGeneralAppointment::new(
        negotiator,
        1,
        created.property,
        created.owner,
        start + Duration::hours(2),
        end + Duration::hours(2),
    )
    .location("At the property");
    let general = s
        .agency
        .appointments()
        .create_general(&general)
        .await
        .unwrap();
    let appraisal = NewMarketAppraisal::new(
        created.property,
        negotiator,
        start + Duration::days(1),
        end + Duration::days(1),
    );
    let appraisal = s
        .agency
        .appointments()
        .create_market_appraisal(&appraisal)
        .await
        .unwrap();
    assert!(viewing != general && general != appraisal);
    let requests = s.take_requests();
    assert_json_snapshot!("appointment_viewing", shape(&requests[0]));
    assert_json_snapshot!("appointment_general", shape(&requests[1]));
    assert_json_snapshot!("appointment_market_appraisal", shape(&requests[2]));
    assert_conforms(&requests);

    let diary = s
        .agency
        .appointments()
        .diary(
            negotiator,
            start - Duration::hours(1),
            end + Duration::days(2),
        )
        .await
        .unwrap();
    assert!(
        diary.iter().any(|a| a.id == Some(viewing.0)),
        "the viewing is in the negotiator's diary"
    );
    assert_conforms(&s.take_requests());

    // Bad input is refused: before sending (times), or by Alto (unknown property).
    let backwards = NewViewing::new(created.property, applicant, negotiator, end, start);
    assert!(matches!(
        s.agency.appointments().create_viewing(&backwards).await,
        Err(AltoError::InvalidRequest { .. })
    ));
    assert!(s.take_requests().is_empty());
    let unknown = NewViewing::new(PropertyId::new(999_999), applicant, negotiator, start, end);
    assert!(matches!(
        s.agency.appointments().create_viewing(&unknown).await,
        Err(AltoError::Validation { .. })
    ));
}
