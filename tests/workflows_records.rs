//! The record helpers over HTTP on loopback: listings and their media, contact
//! relationships, file notes, and a record's documents. Each helper runs against the simulator,
//! its request is pinned by an insta snapshot and checked against Zoopla's own spec; bad input
//! is refused before sending; lost answers are reconciled against a scripted mock.

mod support;
mod workflow_support;

use alto::contacts::relationships::RelationshipType;
use alto::contacts::{NewContact, NewPerson};
use alto::documents::{DocumentLink, FileType, MediaType, PropertyDocuments, Upload};
use alto::file_notes::{FileNoteEdit, NewFileNote, NewFileNoteType};
use alto::ids::{
    BranchId, ContactId, DocumentId, FileNoteId, ImageId, NegotiatorId, PropertyId, RelationshipId,
    WorkOrderId,
};
use alto::listings::{
    image_id, DateRange, ImageSize, ListingFilter, ListingRoomsPatch, ListingSortBy, ListingStatus,
    ListingSummaryPatch, MediaItem, MediaLink, MediaLinkAdded, Room, SortOrder,
};
use alto::properties::{Market, NewProperty};
use alto::{AgencyClient, AgencyRef, AltoClient, AltoError, Endpoints, Environment};
use chrono::{TimeZone, Utc};
use futures::TryStreamExt;
use insta::assert_json_snapshot;
use serde_json::json;
use support::{MockAlto, Reply};
use workflow_support::{assert_conforms, sandbox, shape, Setup};

/// The demo flat (to let, two bedrooms) and house (for sale, three bedrooms).
fn demo_properties(s: &Setup) -> (PropertyId, PropertyId) {
    let listings = s.sim.listings(None);
    let by_bedrooms = |n| {
        PropertyId::from(
            listings
                .iter()
                .find(|l| l.bedrooms == Some(n))
                .and_then(|l| l.property_id)
                .expect("a demo listing"),
        )
    };
    (by_bedrooms(2), by_bedrooms(3))
}

async fn contact(s: &Setup, forename: &str, surname: &str) -> ContactId {
    let branch = s.sim.contacts(None)[0].branch.clone().unwrap().id.unwrap();
    let created = s
        .agency
        .contacts()
        .create(&NewContact::new(
            BranchId::new(branch.parse().unwrap()),
            NewPerson::new(surname).forename(forename).email(format!(
                "{}.{}@example.co.uk",
                forename.to_lowercase(),
                surname.to_lowercase()
            )),
        ))
        .await
        .unwrap();
    ContactId::parse("t", created.id.as_deref()).unwrap()
}

/// `value` with each id replaced by its label wherever it appears (paths, query values, body
/// fields), so snapshots do not depend on the ids the simulator hands out.
fn masked(value: serde_json::Value, ids: &[(i64, &str)]) -> serde_json::Value {
    let mut text = value.to_string();
    for (id, label) in ids {
        text = text
            .replace(&format!("\"{id}\""), &format!("\"{label}\""))
            .replace(&format!("/{id}/"), &format!("/{label}/"))
            .replace(&format!("/{id}\""), &format!("/{label}\""));
    }
    serde_json::from_str(&text).unwrap()
}

fn mock_agency(mock: &MockAlto) -> AgencyClient {
    mock.client(Environment::Sandbox)
        .agency(Environment::Sandbox, None, "Mock Lettings")
        .unwrap()
}

#[tokio::test]
async fn listings_are_filtered_read_and_their_images_downloaded() {
    let s = sandbox().await;
    let (flat, house) = demo_properties(&s);
    s.take_requests();
    let listings = s.agency.listings();

    let everything: Vec<_> = listings
        .filter(ListingFilter::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(everything.len(), s.sim.listings(None).len());
    let available: Vec<_> = listings
        .filter(ListingFilter::default().status(ListingStatus::Available))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        available
            .iter()
            .map(|l| l.property_id.unwrap())
            .collect::<Vec<_>>(),
        vec![house.0 as i32]
    );
    assert_conforms(&s.take_requests());

    // Every criterion, with fixed values for the snapshot.
    let branch = BranchId::new(
        s.sim.properties(None)[0]
            .branch_id
            .clone()
            .unwrap()
            .parse()
            .unwrap(),
    );
    let filter = ListingFilter::default()
        .status(ListingStatus::Let)
        .branch(branch)
        .negotiator(NegotiatorId::new(100_004))
        .created(DateRange::since(
            Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap(),
        ))
        .modified(DateRange {
            from: Some(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()),
            to: Some(Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap()),
        })
        .auction(false, DateRange::default())
        .sort(ListingSortBy::Id, SortOrder::Ascending);
    let _: Vec<_> = listings.filter(filter).try_collect().await.unwrap();
    let requests = s.take_requests();
    let ids = [(branch.0, "[branch]")];
    assert_json_snapshot!("listings_filter", masked(shape(&requests[0]), &ids));
    assert_conforms(&requests);

    let one = listings.get(flat).await.unwrap();
    assert_eq!(one.market.as_deref(), Some("Rent"));
    let many = listings.get_many(&[house, flat]).await.unwrap();
    assert_eq!(
        many.iter()
            .map(|l| PropertyId::from(l.property_id.unwrap()))
            .collect::<Vec<_>>(),
        vec![house, flat]
    );
    let images = listings.images(flat).await.unwrap();
    let gallery = images.gallery_images.clone().unwrap();
    assert_eq!(gallery.len(), 2);
    assert_eq!(gallery.iter().filter(|i| i.main == Some(true)).count(), 1);
    let image = image_id(&gallery[0]).expect("the image's id in its URL");
    let download = listings
        .image(flat, image, Some(ImageSize::Thumbnail))
        .await
        .unwrap();
    assert_eq!(download.content_type(), Some("image/png"));
    assert!(download.bytes().await.unwrap().starts_with(b"\x89PNG"));
    let requests = s.take_requests();
    let ids = [
        (flat.0, "[flat]"),
        (house.0, "[house]"),
        (image.0, "[image]"),
    ];
    assert_json_snapshot!("listing_get", masked(shape(&requests[0]), &ids));
    assert_json_snapshot!("listing_get_many", masked(shape(&requests[1]), &ids));
    assert_json_snapshot!("listing_images", masked(shape(&requests[2]), &ids));
    assert_json_snapshot!("listing_image", masked(shape(&requests[3]), &ids));
    assert!(requests[3].path.ends_with(&format!("/images/{}", image.0)));
    assert_conforms(&requests);
}

#[tokio::test]
async fn listing_input_is_checked_before_sending_and_unknown_records_are_not_found() {
    let s = sandbox().await;
    let (flat, _) = demo_properties(&s);
    s.take_requests();
    let listings = s.agency.listings();
    let invalid = |r: Result<_, AltoError>| matches!(r, Err(AltoError::InvalidRequest { .. }));

    assert!(invalid(listings.get_many(&[]).await.map(|_| ())));
    assert!(invalid(
        listings.get(PropertyId::new(i64::MAX)).await.map(|_| ())
    ));
    let backwards = ListingFilter::default().created(DateRange {
        from: Some(Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).unwrap()),
        to: Some(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()),
    });
    let first = listings.filter(backwards).try_next().await;
    assert!(invalid(first.map(|_| ())), "a range that ends first");
    assert!(invalid(
        listings
            .image(flat, ImageId::new(1 << 40), None)
            .await
            .map(|_| ())
    ));
    assert!(invalid(
        listings
            .add_media_link(flat, &MediaLink::web_link("www.example.co.uk/no-scheme"))
            .await
            .map(|_| ())
    ));
    assert!(s.take_requests().is_empty(), "nothing was sent");

    assert!(matches!(
        listings.get(PropertyId::new(999_999)).await,
        Err(AltoError::NotFound { .. })
    ));
    assert!(matches!(
        listings.image(flat, ImageId::new(999_999), None).await,
        Err(AltoError::NotFound { .. })
    ));
}

#[tokio::test]
async fn media_links_are_added_and_a_lost_answer_is_not_repeated() {
    let s = sandbox().await;
    let (_, house) = demo_properties(&s);
    s.take_requests();
    let url = "https://tours.example.co.uk/7-cotham-hill/drone";
    let created = s
        .agency
        .listings()
        .add_media_link(
            house,
            &MediaLink::virtual_tour(url).description("Drone tour"),
        )
        .await
        .unwrap();
    let requests = s.take_requests();
    let ids = [(house.0, "[house]")];
    assert_json_snapshot!("media_link", masked(shape(&requests[0]), &ids));
    assert_conforms(&requests);
    let tours = s
        .sim
        .listing_images(None, house.0)
        .virtual_tour_links
        .unwrap();
    assert!(tours.iter().any(|l| l.url.as_deref() == Some(url)));
    let again = s
        .agency
        .listings()
        .add_media_link_once(house, &MediaLink::web_link("https://video.example.co.uk/7"))
        .await
        .unwrap();
    assert!(matches!(again, MediaLinkAdded::Created(id) if id != created));

    // The answer to the POST is lost (503 after Alto applied it): the link is found, not resent.
    let mock = MockAlto::start();
    mock.on("POST /inventory/42/media-link", Reply::status(503));
    mock.on(
        "GET /listing/property/42/images",
        Reply::json(
            200,
            json!({"virtualTourLinks": [{"url": url}], "webLinks": []}),
        ),
    );
    let agency = mock_agency(&mock);
    let outcome = agency
        .listings()
        .add_media_link_once(PropertyId::new(42), &MediaLink::virtual_tour(url))
        .await
        .unwrap();
    assert_eq!(outcome, MediaLinkAdded::AlreadyListed);
    assert_eq!(posts(&mock), 1);
}

#[tokio::test]
async fn contacts_are_related_listed_and_unrelated() {
    let s = sandbox().await;
    let tenant = contact(&s, "Nadia", "Rahman").await;
    let guarantor = contact(&s, "Samir", "Rahman").await;
    s.take_requests();
    let contacts = s.agency.contacts();

    let (id, created) = contacts
        .relate(tenant, RelationshipType::TenantGuarantor, guarantor)
        .await
        .unwrap();
    assert!(created);
    assert_eq!(
        contacts
            .relate(tenant, RelationshipType::TenantGuarantor, guarantor)
            .await
            .unwrap(),
        (id, false),
        "a repeat finds the relationship (409)"
    );
    let all = contacts.relationships(tenant, &[]).await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].related_contact_id, Some(guarantor.0 as i32));
    let forwarding = contacts
        .relationships(tenant, &[RelationshipType::ForwardingAddress])
        .await
        .unwrap();
    assert!(forwarding.is_empty());
    contacts.unrelate(tenant, id).await.unwrap();
    assert!(contacts
        .relationships(tenant, &[])
        .await
        .unwrap()
        .is_empty());
    let requests = s.take_requests();
    let methods: Vec<&str> = requests.iter().map(|r| r.method.as_str()).collect();
    assert_eq!(
        methods,
        ["POST", "POST", "GET", "GET", "DELETE", "GET"],
        "the 409 names the existing relationship; no lookup needed"
    );
    let ids = [
        (tenant.0, "[tenant]"),
        (guarantor.0, "[guarantor]"),
        (id.0, "[relationship]"),
    ];
    assert_json_snapshot!("relationship_create", masked(shape(&requests[0]), &ids));
    assert_json_snapshot!("relationships_list", masked(shape(&requests[3]), &ids));
    assert_json_snapshot!("relationship_delete", masked(shape(&requests[4]), &ids));
    assert_conforms(&requests);

    // The operation declares 200 and 400 only: a relationship already removed is a 400.
    assert!(matches!(
        contacts.unrelate(tenant, id).await,
        Err(AltoError::Validation { status: 400, .. })
    ));
    s.take_requests();
    assert!(matches!(
        contacts
            .relate(tenant, RelationshipType::TenantGuarantor, tenant)
            .await,
        Err(AltoError::InvalidRequest { .. })
    ));
    assert!(s.take_requests().is_empty(), "nothing was sent");

    // A lost answer: the relationship is found, not created twice.
    let mock = MockAlto::start();
    mock.on("POST /contacts/7/relationship", Reply::status(503));
    mock.on(
        "GET /contacts/7/relationship",
        Reply::json(
            200,
            json!({"contactId": 7, "relationships": [
            {"relationshipId": 70, "relationshipType": "TenantGuarantor", "relatedContactId": 8}]}),
        ),
    );
    let agency = mock_agency(&mock);
    assert_eq!(
        agency
            .contacts()
            .relate(
                ContactId::new(7),
                RelationshipType::TenantGuarantor,
                ContactId::new(8)
            )
            .await
            .unwrap(),
        (RelationshipId::new(70), false)
    );
    assert_eq!(posts(&mock), 1);
}

#[tokio::test]
async fn file_notes_record_a_contact_and_property_history() {
    let s = sandbox().await;
    let owner = contact(&s, "Harriet", "Bamford").await;
    let property = s
        .agency
        .properties()
        .create(&NewProperty::new(
            alto::contacts::Address::new("18", "Lansdown Crescent", "Bath", "BA1 5EX"),
            Market::Rent,
            owner,
        ))
        .await
        .unwrap();
    s.take_requests();
    let notes = s.agency.file_notes();

    let note = NewFileNote::about_property(property, "Landlord called: boiler serviced on Monday.")
        .owner(owner)
        .title("Boiler service")
        .kind(NewFileNoteType::PhoneCall);
    let id = notes.create(&note).await.unwrap();
    let found = notes.search(owner).await.unwrap();
    assert_eq!(
        found.iter().map(|n| n.id).collect::<Vec<_>>(),
        vec![Some(id.0)]
    );
    let read = notes.get(id).await.unwrap();
    assert_eq!(
        read.notes.as_deref(),
        Some("Landlord called: boiler serviced on Monday.")
    );
    notes
        .update(
            id,
            &FileNoteEdit::default()
                .title("Boiler serviced")
                .notes("Landlord called: boiler serviced on Monday; certificate emailed."),
        )
        .await
        .unwrap();
    let latest = notes.for_property(property).await.unwrap();
    assert_eq!(latest.id, Some(id.0));
    assert_eq!(latest.title.as_deref(), Some("Boiler serviced"));
    assert!(latest.updated_date.is_some());
    let requests = s.take_requests();
    let ids = [
        (owner.0, "[owner]"),
        (property.0, "[property]"),
        (id.0, "[note]"),
    ];
    assert_json_snapshot!("file_note_create", masked(shape(&requests[0]), &ids));
    assert_json_snapshot!("file_notes_search", masked(shape(&requests[1]), &ids));
    assert_json_snapshot!("file_note_get", masked(shape(&requests[2]), &ids));
    assert_json_snapshot!("file_note_update", masked(shape(&requests[3]), &ids));
    assert_json_snapshot!("file_notes_for_property", masked(shape(&requests[4]), &ids));
    assert_conforms(&requests);

    // Refused before sending.
    for bad in [
        NewFileNote::about_contact(owner, "   "),
        NewFileNote::about_contact(owner, "Fine").title("x".repeat(51)),
    ] {
        assert!(matches!(
            notes.create(&bad).await,
            Err(AltoError::InvalidRequest { .. })
        ));
    }
    assert!(matches!(
        notes.update(id, &FileNoteEdit::default()).await,
        Err(AltoError::InvalidRequest { .. })
    ));
    assert!(s.take_requests().is_empty(), "nothing was sent");
    assert!(matches!(
        notes.get(FileNoteId::new(999_999)).await,
        Err(AltoError::NotFound { .. })
    ));
    assert!(matches!(
        notes.search(ContactId::new(999_999)).await,
        Err(AltoError::NotFound { .. })
    ));

    // A lost answer: the note is found in the contact's history, not created twice.
    let mock = MockAlto::start();
    mock.on("POST /file-notes", Reply::status(503));
    mock.on(
        "GET /file-notes/search",
        Reply::json(200, json!([
            {"id": 98, "notes": "Other note", "contactIds": [7], "createdDate": "2026-11-20T10:00:00Z"},
            {"id": 99, "notes": "Viewing feedback: keen.", "contactIds": [7], "createdDate": "2026-11-24T10:00:00Z"}])),
    );
    let agency = mock_agency(&mock);
    let once = agency
        .file_notes()
        .create_once(&NewFileNote::about_contact(
            ContactId::new(7),
            "Viewing feedback: keen.",
        ))
        .await
        .unwrap();
    assert_eq!(once, FileNoteId::new(99));
    assert_eq!(posts(&mock), 1);
}

#[tokio::test]
async fn record_documents_by_type_property_and_works_order_and_streamed_content() {
    let s = sandbox().await;
    let (flat, _) = demo_properties(&s);
    s.take_requests();
    let docs = s.agency.documents();
    let names = |d: Vec<alto::documents::Document>| {
        d.into_iter()
            .filter_map(|d| d.file_name)
            .collect::<Vec<_>>()
    };

    let photos = docs
        .list_of_type(DocumentLink::Property(flat), MediaType::Photo)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names(photos), vec!["living-room.jpg"]);
    let pdfs: Vec<_> = docs
        .of_property(flat, PropertyDocuments::default().file(FileType::Pdf))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names(pdfs.clone()), vec!["gas-safety-certificate.pdf"]);
    let work_order = WorkOrderId::new(s.sim.work_orders(None)[0]);
    let invoices = docs.of_work_order(work_order).try_collect().await.unwrap();
    assert_eq!(names(invoices), vec!["extractor-fan-invoice.pdf"]);
    let certificate = DocumentId::parse("t", pdfs[0].id.as_deref()).unwrap();
    let download = docs.download(certificate).await.unwrap();
    assert_eq!(download.file_name(), Some("gas-safety-certificate.pdf"));
    assert_eq!(download.content_type(), Some("application/pdf"));
    assert_eq!(download.len(), Some(19));
    assert_eq!(&download.bytes().await.unwrap()[..], b"%PDF-1.4 gas safety");
    let requests = s.take_requests();
    let ids = [
        (flat.0, "[flat]"),
        (work_order.0, "[works order]"),
        (certificate.0, "[certificate]"),
    ];
    assert_json_snapshot!("documents_of_type", masked(shape(&requests[0]), &ids));
    assert_json_snapshot!("documents_of_property", masked(shape(&requests[1]), &ids));
    assert_json_snapshot!("documents_of_work_order", masked(shape(&requests[2]), &ids));
    assert_json_snapshot!("document_download", masked(shape(&requests[3]), &ids));
    assert_conforms(&requests);

    // A large upload comes back byte for byte, streamed to disk.
    let content: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let id = docs
        .upload(
            Upload::bytes("survey.pdf", content.clone()),
            DocumentLink::Property(flat),
        )
        .await
        .unwrap();
    let path = std::env::temp_dir().join(format!("alto-download-{}.pdf", std::process::id()));
    let written = docs.download(id).await.unwrap().save(&path).await.unwrap();
    assert_eq!(written, content.len() as u64);
    assert_eq!(std::fs::read(&path).unwrap(), content);
    let _ = std::fs::remove_file(&path);

    // The operation declares no 404: an unknown id is its declared 400.
    assert!(matches!(
        docs.download(DocumentId::new(999_999)).await,
        Err(AltoError::Validation { .. })
    ));
    s.take_requests();
    assert!(matches!(
        docs.download(DocumentId::new(i64::MAX)).await,
        Err(AltoError::InvalidRequest { .. })
    ));
    assert!(s.take_requests().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn production_calls_carry_the_agency_ref() {
    let sim = alto_sim::Simulator::builder()
        .production([("b2aaa210-8657-500b-b47b-76f5b526b82f", "Bath Homes")])
        .seed_demo_data(true)
        .start()
        .await
        .unwrap();
    let client = AltoClient::builder()
        .environment(
            Environment::Production,
            Endpoints::custom(sim.base_url(), sim.token_url()).unwrap(),
            sim.credentials().to_alto(),
        )
        .build()
        .unwrap();
    let agency = client
        .agency(
            Environment::Production,
            Some(AgencyRef::parse("b2aaa210-8657-500b-b47b-76f5b526b82f").unwrap()),
            "Bath Homes",
        )
        .unwrap();
    let flat = sim
        .listings(Some("b2aaa210-8657-500b-b47b-76f5b526b82f"))
        .iter()
        .find(|l| l.bedrooms == Some(2))
        .and_then(|l| l.property_id)
        .map(PropertyId::from)
        .unwrap();
    sim.clear_requests();
    let listing = agency.listings().get(flat).await.unwrap();
    assert_eq!(listing.property_id, Some(flat.0 as i32));
    let note = agency.file_notes().for_property(flat).await.unwrap();
    assert!(note.notes.is_some());
    let requests: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.path != "/token")
        .collect();
    assert_eq!(requests.len(), 2);
    for r in &requests {
        assert_eq!(
            r.header("agencyref"),
            Some("b2aaa210-8657-500b-b47b-76f5b526b82f")
        );
    }
    let ids = [(flat.0, "[flat]")];
    assert_json_snapshot!("listing_get_production", masked(shape(&requests[0]), &ids));
    assert_conforms(&requests);
}

/// How many POSTs the mock received (a lost answer must not lead to a second one).
fn posts(mock: &support::MockAlto) -> usize {
    mock.api_requests()
        .iter()
        .filter(|r| r.method == "POST")
        .count()
}

#[tokio::test]
async fn listing_copy_is_edited_with_typed_patches() {
    let s = sandbox().await;
    let (_, house) = demo_properties(&s);
    let listings = s.agency.listings();
    s.take_requests();

    let summary = ListingSummaryPatch::new()
        .summary("A Victorian terrace with a new kitchen.")
        .lead_in_text("Chain free")
        .include_lead_in_out_text(true);
    listings.update_summary(house, &summary).await.unwrap();
    let rooms = ListingRoomsPatch::new()
        .add_room(
            Room::new("Kitchen")
                .size("4.2m x 3.1m")
                .description("Range cooker."),
        )
        .add_room(Room::new("Garden"))
        .add_room(Room::paragraph("All measurements are approximate."))
        .rename_room(1, "Rear garden");
    listings.update_rooms(house, &rooms).await.unwrap();
    let requests = s.take_requests();
    let ids = [(house.0, "[house]")];
    assert_json_snapshot!("listing_summary_patch", masked(shape(&requests[0]), &ids));
    assert_json_snapshot!("listing_rooms_patch", masked(shape(&requests[1]), &ids));
    assert_conforms(&requests);

    let listing = listings.get(house).await.unwrap();
    assert_eq!(
        listing.summary.as_deref(),
        Some("A Victorian terrace with a new kitchen.")
    );
    assert_eq!(listing.lead_in_text.as_deref(), Some("Chain free"));
    assert_eq!(listing.include_lead_in_out_text, Some(true));
    let names: Vec<_> = listing
        .rooms
        .unwrap()
        .iter()
        .map(|r| r.name.clone().or(r.description.clone()).unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Kitchen",
            "Rear garden",
            "All measurements are approximate."
        ]
    );

    listings
        .update_rooms(
            house,
            &ListingRoomsPatch::new()
                .remove_room(0)
                .resize_room(0, "12m x 8m"),
        )
        .await
        .unwrap();
    let rooms = listings.get(house).await.unwrap().rooms.unwrap();
    assert_eq!(rooms.len(), 2);
    assert_eq!(rooms[0].size.as_deref(), Some("12m x 8m"));

    // Empty patches are refused before sending; a room that is not there is Alto's 400.
    s.take_requests();
    assert!(matches!(
        listings
            .update_rooms(house, &ListingRoomsPatch::new())
            .await,
        Err(AltoError::InvalidRequest { .. })
    ));
    assert!(matches!(
        listings
            .update_summary(house, &ListingSummaryPatch::new())
            .await,
        Err(AltoError::InvalidRequest { .. })
    ));
    assert!(s.take_requests().is_empty(), "nothing was sent");
    assert!(matches!(
        listings
            .update_rooms(house, &ListingRoomsPatch::new().rename_room(9, "Study"))
            .await,
        Err(AltoError::Validation { .. })
    ));
    assert!(matches!(
        listings
            .update_summary(
                PropertyId::new(999_999),
                &ListingSummaryPatch::new().summary("x")
            )
            .await,
        Err(AltoError::NotFound { .. })
    ));
}

#[tokio::test]
async fn media_items_are_uploaded_to_the_listing_and_deleted() {
    let s = sandbox().await;
    let (_, house) = demo_properties(&s);
    let listings = s.agency.listings();
    let before = listings.images(house).await.unwrap();
    let gallery = before.gallery_images.unwrap_or_default().len();
    s.take_requests();

    let photo = Upload::bytes("garden.png", b"\x89PNG garden".to_vec());
    let id = listings
        .add_media_item(house, MediaItem::photo(photo).file_name("Rear garden.png"))
        .await
        .unwrap();
    let requests = s.take_requests();
    let ids = [(house.0, "[house]")];
    assert_json_snapshot!("media_item", masked(shape(&requests[0]), &ids));
    assert_conforms(&requests);

    let images = listings.images(house).await.unwrap();
    let added = images.gallery_images.unwrap();
    assert_eq!(added.len(), gallery + 1);
    assert!(
        added.iter().filter_map(image_id).any(|i| i.0 == id.0),
        "the photo is in the gallery under its media id"
    );
    let floorplan = listings
        .add_media_item(
            house,
            MediaItem::floorplan(Upload::bytes("plan.png", b"\x89PNG plan".to_vec())),
        )
        .await
        .unwrap();
    assert_ne!(floorplan, id);
    assert_eq!(
        listings
            .images(house)
            .await
            .unwrap()
            .floorplan_images
            .unwrap()
            .len(),
        1
    );

    listings.delete_media_item(id).await.unwrap();
    let after = listings
        .images(house)
        .await
        .unwrap()
        .gallery_images
        .unwrap();
    assert_eq!(after.len(), gallery);
    assert!(matches!(
        listings.delete_media_item(id).await,
        Err(AltoError::NotFound { .. })
    ));

    // An empty file is refused before sending; an unknown property is Alto's 404.
    s.take_requests();
    assert!(matches!(
        listings
            .add_media_item(
                house,
                MediaItem::photo(Upload::bytes("empty.png", Vec::new()))
            )
            .await,
        Err(AltoError::InvalidRequest { .. })
    ));
    assert!(s.take_requests().is_empty(), "nothing was sent");
    assert!(matches!(
        listings
            .add_media_item(
                PropertyId::new(999_999),
                MediaItem::photo(Upload::bytes("x.png", b"x".to_vec()))
            )
            .await,
        Err(AltoError::NotFound { .. })
    ));
}
