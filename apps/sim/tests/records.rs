//! The record routes over HTTP: listings (filter, sort, paging, images, media links), contact
//! relationships, file notes, and a record's documents. Every answer decodes into its generated
//! type.

mod common;

use alto::raw::types;
use alto_sim::Simulator;
use common::{problem, Api};
use reqwest::{Method, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

async fn typed<T: DeserializeOwned + Serialize>(what: &str, r: Response, status: u16) -> T {
    assert_eq!(r.status().as_u16(), status, "{what}");
    let body = r.bytes().await.unwrap();
    let raw: Value =
        serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{what}: not JSON: {e}"));
    let typed: T = serde_json::from_slice(&body).unwrap_or_else(|e| {
        panic!(
            "{what}: does not match {}: {e}\n{raw}",
            std::any::type_name::<T>()
        )
    });
    assert_eq!(
        serde_json::to_value(&typed).unwrap(),
        raw,
        "{what}: fields outside the spec"
    );
    typed
}

fn ids(page: &types::FilterListingResponsePagedResponse) -> Vec<i32> {
    page.items
        .iter()
        .flatten()
        .filter_map(|l| l.property_id)
        .collect()
}

#[tokio::test]
async fn listings_filter_sort_and_page() {
    let sim = Simulator::builder().start().await.unwrap();
    let api = Api::new(&sim, None).await;
    let owner = api.contact("Lena", "Lister", "lena@example.co.uk").await;
    let extra = api.property("21", owner).await;

    let all: types::FilterListingResponsePagedResponse =
        typed("filter", api.get("/listing/filter").await, 200).await;
    assert_eq!(ids(&all).len(), 3, "two demo listings and the new property");
    assert_eq!(
        ids(&all)[0],
        extra as i32,
        "newest modification first by default"
    );

    let available: types::FilterListingResponsePagedResponse = typed(
        "status",
        api.get("/listing/filter?status=Available").await,
        200,
    )
    .await;
    assert_eq!(available.items.as_ref().unwrap().len(), 1);
    assert_eq!(
        available.items.unwrap()[0].status,
        Some(types::InventoryStatus::Available)
    );

    let by_id: types::FilterListingResponsePagedResponse = typed(
        "sort",
        api.get("/listing/filter?sort-by=Id&sort-order=Ascending")
            .await,
        200,
    )
    .await;
    let mut sorted = ids(&by_id);
    sorted.sort();
    assert_eq!(ids(&by_id), sorted);

    // Two pages of one and two.
    let first: types::FilterListingResponsePagedResponse = typed(
        "page 1",
        api.get("/listing/filter?max-results=2&sort-by=Id&sort-order=Ascending")
            .await,
        200,
    )
    .await;
    let token = first.meta.as_ref().unwrap().next_token.clone().unwrap();
    let second: types::FilterListingResponsePagedResponse = typed(
        "page 2",
        api.get(&format!(
            "/listing/filter?max-results=2&sort-by=Id&sort-order=Ascending&next-token={token}"
        ))
        .await,
        200,
    )
    .await;
    assert_eq!([ids(&first), ids(&second)].concat(), ids(&by_id));
    assert!(second.meta.unwrap().next_token.is_none());

    let r = api.get("/listing/filter?status=Sold").await;
    assert_eq!(r.status(), 400);
    assert!(problem(r).await["errors"]["status"].is_array());
    let modified_later: types::FilterListingResponsePagedResponse = typed(
        "modified",
        api.get("/listing/filter?modified-from=2999-01-01T00:00:00Z")
            .await,
        200,
    )
    .await;
    assert!(ids(&modified_later).is_empty());
}

#[tokio::test]
async fn listings_by_id_images_and_media_links() {
    let sim = Simulator::builder().start().await.unwrap();
    let api = Api::new(&sim, None).await;
    let listings = sim.listings(None);
    let flat = listings
        .iter()
        .find(|l| l.bedrooms == Some(2))
        .unwrap()
        .property_id
        .unwrap();
    let house = listings
        .iter()
        .find(|l| l.bedrooms == Some(3))
        .unwrap()
        .property_id
        .unwrap();

    let one: types::ListingResponse = typed(
        "get",
        api.get(&format!("/listing/property/{flat}")).await,
        200,
    )
    .await;
    assert_eq!(one.market.as_deref(), Some("Rent"));
    let many: types::ListingResponseItemCollection = typed(
        "items",
        api.get(&format!(
            "/listing/property/items?property-id={house}&property-id={flat}&property-id=999999"
        ))
        .await,
        200,
    )
    .await;
    let got: Vec<_> = many
        .items
        .unwrap()
        .iter()
        .map(|l| l.property_id.unwrap())
        .collect();
    assert_eq!(
        got,
        vec![house, flat],
        "in the order asked, unknown skipped"
    );
    assert_eq!(api.get("/listing/property/items").await.status(), 400);
    assert_eq!(api.get("/listing/property/999999").await.status(), 404);

    let images: types::ListingImagesResponse = typed(
        "images",
        api.get(&format!("/listing/property/{flat}/images")).await,
        200,
    )
    .await;
    let gallery = images.gallery_images.unwrap();
    assert_eq!(gallery.len(), 2);
    assert_eq!(images.floorplan_images.unwrap().len(), 1);
    let src = gallery[0]
        .sizes
        .as_ref()
        .unwrap()
        .thumbnail
        .as_ref()
        .unwrap()
        .src
        .clone()
        .unwrap();
    let r = api.get(&src).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert!(r.bytes().await.unwrap().starts_with(b"\x89PNG"));
    let image_path = src.split('?').next().unwrap().to_string();
    assert_eq!(
        api.get(&format!("{image_path}?image-size=huge"))
            .await
            .status(),
        400
    );
    let other_property = image_path.replace(&flat.to_string(), &house.to_string());
    assert_eq!(api.get(&other_property).await.status(), 404);

    let link = |fields: &[(&str, &str)]| {
        let mut form = reqwest::multipart::Form::new();
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        api.request(Method::POST, &format!("/inventory/{flat}/media-link"))
            .multipart(form)
            .send()
    };
    let r = link(&[
        ("mediaType", "WebLink"),
        ("url", "https://video.example.co.uk/flat"),
        ("description", "Video"),
    ])
    .await
    .unwrap();
    let created: types::PostLinkMediaItemResponse = typed("media link", r, 200).await;
    assert!(created.media_id.is_some());
    let r = link(&[
        ("request.MediaType", "VirtualTour"),
        ("request.Url", "ftp://x"),
    ])
    .await
    .unwrap();
    assert_eq!(r.status(), 400);
    assert!(problem(r).await["errors"]["url"].is_array());
    let images = sim.listing_images(None, flat.into());
    let links = images.web_links.unwrap();
    assert_eq!(links.len(), 1);
    assert_eq!(
        links[0].url.as_deref(),
        Some("https://video.example.co.uk/flat")
    );
}

#[tokio::test]
async fn relationships_are_created_listed_refused_and_deleted() {
    let sim = Simulator::builder().start().await.unwrap();
    let api = Api::new(&sim, None).await;
    let tenant = api.contact("Tara", "Tenant", "tara@example.co.uk").await;
    let guarantor = api.contact("Gus", "Guarantor", "gus@example.co.uk").await;
    let path = format!("/contacts/{tenant}/relationship");
    let body =
        json!({"relationshipType": "TenantGuarantor", "relatedContactId": guarantor.to_string()});
    let r = api.post_json(&path, &body).await;
    let location = r.headers().get("location").cloned();
    let created: types::ContactRelationshipResponse = typed("create", r, 201).await;
    let id = created.id.unwrap();
    assert_eq!(
        location.unwrap(),
        format!("/contacts/{tenant}/relationship/{id}").as_str()
    );

    let again = api.post_json(&path, &body).await;
    assert_eq!(again.status(), 409);
    assert!(again.headers()["location"].to_str().unwrap().ends_with(&id));
    let itself =
        json!({"relationshipType": "TenantGuarantor", "relatedContactId": tenant.to_string()});
    assert_eq!(api.post_json(&path, &itself).await.status(), 400);
    let ghost = json!({"relationshipType": "TenantGuarantor", "relatedContactId": "999999"});
    let r = api.post_json(&path, &ghost).await;
    assert_eq!(r.status(), 400);
    assert!(problem(r).await["errors"]["relatedContactId"].is_array());
    let bad_kind = json!({"relationshipType": "Cousin", "relatedContactId": guarantor.to_string()});
    assert_eq!(api.post_json(&path, &bad_kind).await.status(), 400);

    let listed: types::GetContactRelationshipResponse =
        typed("list", api.get(&path).await, 200).await;
    assert_eq!(listed.relationships.unwrap().len(), 1);
    let filtered: types::GetContactRelationshipResponse = typed(
        "filtered",
        api.get(&format!("{path}?relationshipType=ForwardingAddress"))
            .await,
        200,
    )
    .await;
    assert!(filtered.relationships.unwrap().is_empty());
    assert_eq!(api.get("/contacts/999999/relationship").await.status(), 404);

    let r = api
        .request(Method::DELETE, &format!("{path}/{id}"))
        .send()
        .await
        .unwrap();
    let _: types::ContactRelationshipResponse = typed("delete", r, 200).await;
    let r = api
        .request(Method::DELETE, &format!("{path}/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert!(sim.relationships(None).iter().all(|(c, _)| *c != tenant));
}

#[tokio::test]
async fn file_notes_are_created_searched_patched_and_found_by_property() {
    let sim = Simulator::builder().start().await.unwrap();
    let api = Api::new(&sim, None).await;
    let owner = api.contact("Olive", "Owner", "olive@example.co.uk").await;
    let property = api.property("5", owner).await;
    let r = api
        .post_json(
            "/file-notes",
            &json!({"propertyId": property.to_string(), "ownerIds": [owner.to_string()],
                    "title": "Keys", "notes": "Second set of keys cut.", "fileNoteType": "FileNote"}),
        )
        .await;
    let id: i64 = typed("create", r, 201).await;

    let found: Vec<types::GetFileNoteResponse> = typed(
        "search",
        api.get(&format!("/file-notes/search?contact-id={owner}"))
            .await,
        200,
    )
    .await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, Some(id));
    assert_eq!(
        api.get("/file-notes/search?contact-id=999999")
            .await
            .status(),
        404
    );

    let patch = json!([{"op": "replace", "path": "/Notes", "value": "Third set of keys cut."}]);
    let r = api
        .request(Method::PATCH, &format!("/file-notes/{id}"))
        .json(&patch)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let note: types::GetFileNoteResponse =
        typed("get", api.get(&format!("/file-notes/{id}")).await, 200).await;
    assert_eq!(note.notes.as_deref(), Some("Third set of keys cut."));
    assert!(note.updated_date.is_some());
    let long_title = json!([{"op": "replace", "path": "/Title", "value": "x".repeat(51)}]);
    let r = api
        .request(Method::PATCH, &format!("/file-notes/{id}"))
        .json(&long_title)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);

    let latest: types::GetFileNoteResponse = typed(
        "by property",
        api.get(&format!("/inventory/{property}/file-notes")).await,
        200,
    )
    .await;
    assert_eq!(latest.id, Some(id));

    // Refused: no text, nothing named, an unknown contact.
    for bad in [
        json!({"propertyId": property.to_string(), "notes": " "}),
        json!({"notes": "About nobody"}),
        json!({"contactIds": ["999999"], "notes": "Ghost"}),
    ] {
        let r = api.post_json("/file-notes", &bad).await;
        assert_eq!(r.status(), 400, "{bad}");
        problem(r).await;
    }
    assert_eq!(api.get("/file-notes/999999").await.status(), 404);
}

#[tokio::test]
async fn record_documents_by_property_type_and_works_order() {
    let sim = Simulator::builder().start().await.unwrap();
    let api = Api::new(&sim, None).await;
    let flat = sim
        .listings(None)
        .iter()
        .find(|l| l.bedrooms == Some(2))
        .unwrap()
        .property_id
        .unwrap();
    let all: types::DocumentPagedResults = typed(
        "property documents",
        api.get(&format!("/inventory/{flat}/documents")).await,
        200,
    )
    .await;
    assert_eq!(all.items.unwrap().len(), 2);
    let photos: types::DocumentPagedResults = typed(
        "photos",
        api.get(&format!("/inventory/{flat}/documents?type=Photo"))
            .await,
        200,
    )
    .await;
    let photos = photos.items.unwrap();
    assert_eq!(photos.len(), 1);
    assert_eq!(photos[0].file_name.as_deref(), Some("living-room.jpg"));
    let pdfs: types::DocumentPagedResults = typed(
        "pdfs",
        api.get(&format!("/inventory/{flat}/documents?fileType=PDF"))
            .await,
        200,
    )
    .await;
    assert_eq!(
        pdfs.items.unwrap()[0].file_name.as_deref(),
        Some("gas-safety-certificate.pdf")
    );
    assert_eq!(
        api.get(&format!("/inventory/{flat}/documents?type=Hologram"))
            .await
            .status(),
        400
    );
    let by_media: types::DocumentPagedResults = typed(
        "mediaType",
        api.get(&format!(
            "/documents?linkedType=Property&linkedId={flat}&mediaType=Document"
        ))
        .await,
        200,
    )
    .await;
    assert_eq!(by_media.items.unwrap().len(), 1);

    let work_order = sim.work_orders(None)[0];
    let invoice: types::DocumentPagedResults = typed(
        "works order",
        api.get(&format!("/work-orders/{work_order}/documents"))
            .await,
        200,
    )
    .await;
    let invoice = invoice.items.unwrap();
    assert_eq!(invoice.len(), 1);
    assert_eq!(
        invoice[0].file_name.as_deref(),
        Some("extractor-fan-invoice.pdf")
    );
    let r = api.get("/work-orders/999999/documents").await;
    assert_eq!(r.status(), 400, "the operation declares no 404");
}
