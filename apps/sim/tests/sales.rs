//! The sales side over HTTP, stateful: offers and sales progressions, referrals (and the
//! void-switching update), media items on a listing, and the listing's summary and rooms
//! patches. Every answer decodes into its generated type.

mod common;

use alto::raw::types;
use alto_sim::Simulator;
use common::{declared_error, Api, Shape};
use reqwest::{Method, Response};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

async fn typed<T: DeserializeOwned>(what: &str, r: Response, status: u16) -> T {
    assert_eq!(r.status().as_u16(), status, "{what}");
    let body = r.bytes().await.unwrap();
    serde_json::from_slice(&body).unwrap_or_else(|e| {
        panic!("{what}: {e}: {}", String::from_utf8_lossy(&body));
    })
}

/// Sends RFC 6902 operations; to the listing operations in the object their spec declares
/// (`{"operations": [...]}`).
async fn json_patch(api: &Api, path: &str, ops: &Value) -> Response {
    let body = match ops {
        Value::Array(_) if path.starts_with("/listing/") => {
            serde_json::json!({ "operations": ops })
        }
        other => other.clone(),
    };
    api.request(Method::PATCH, path)
        .header("content-type", "application/json-patch+json")
        .body(body.to_string())
        .send()
        .await
        .unwrap()
}

/// The seeded house for sale.
fn house(sim: &alto_sim::RunningSimulator) -> i64 {
    sim.listings(None)
        .into_iter()
        .find(|l| l.market.as_deref() == Some("Sale"))
        .and_then(|l| l.property_id)
        .map(i64::from)
        .expect("a house for sale is seeded")
}

#[tokio::test]
async fn a_sales_progression_lists_filters_and_shows_its_milestones_and_offer() {
    let sim = Simulator::builder().start().await.unwrap();
    let api = Api::new(&sim, None).await;
    let house = house(&sim);
    let all: types::AgreedOfferPagedResults =
        typed("list", api.get("/sales-progressions").await, 200).await;
    let items = all.items.unwrap();
    assert_eq!(items.len(), 1);
    let agreed = &items[0];
    assert_eq!(agreed.property_id, Some(house.to_string()));
    assert_eq!(agreed.offer_amount, Some(418_000.0));
    assert!(agreed.buyer_solicitor.is_some() && agreed.vendor_solicitor.is_some());
    let offer_id = agreed.id.clone().unwrap();

    let one: types::AgreedOfferWithMilestones = typed(
        "get",
        api.get(&format!("/sales-progressions/{offer_id}")).await,
        200,
    )
    .await;
    let milestones = one.milestones.unwrap();
    assert!(milestones.len() >= 5);
    assert!(milestones.iter().any(|m| m.completed_date.is_some()));
    assert!(milestones.iter().any(|m| m.completed_date.is_none()));

    let by_firm: types::AgreedOfferPagedResults = typed(
        "fts",
        api.get("/sales-progressions?FTSQuery=harbourside").await,
        200,
    )
    .await;
    assert_eq!(by_firm.items.unwrap().len(), 1);
    let other_property: types::AgreedOfferPagedResults = typed(
        "filter",
        api.get("/sales-progressions?PropertyId=1").await,
        200,
    )
    .await;
    assert!(other_property.items.unwrap().is_empty());
    let exchanged: types::AgreedOfferPagedResults = typed(
        "status",
        api.get("/sales-progressions?StatusId=2").await,
        200,
    )
    .await;
    assert!(exchanged.items.unwrap().is_empty());

    let offer: types::Offer = typed(
        "offer",
        api.get(&format!("/offers/sales-offer/{offer_id}")).await,
        200,
    )
    .await;
    assert_eq!(offer.status, Some(types::OfferStatus::Accepted));
    assert_eq!(offer.record_type, Some(types::OfferRecordType::Sale));
    assert!(offer.contacts_json.unwrap().contains("Turner"));

    let r = api.get("/sales-progressions/999999").await;
    assert_eq!(r.status(), 400);
    assert!(declared_error(r).await.names("offerId"));
}

#[tokio::test]
async fn referral_patches_show_in_the_referral() {
    let sim = Simulator::builder().start().await.unwrap();
    let api = Api::new(&sim, None).await;
    let (id, seeded, _) = sim.referrals(None).into_iter().next().unwrap();
    assert!(seeded.tenancy_id.is_some());
    let path = format!("/referrals/{id}");

    let ops = json!([{"op": "replace", "path": "/status", "value": "Completed"},
        {"op": "replace", "path": "/fees", "value": 42.5}]);
    assert_eq!(json_patch(&api, &path, &ops).await.status(), 204);
    let got: types::GetReferralResponse = typed("get", api.get(&path).await, 200).await;
    assert_eq!(got.status.as_deref(), Some("Completed"));
    let fees = |sim: &alto_sim::RunningSimulator| {
        sim.referrals(None)
            .into_iter()
            .find(|r| r.0 == id)
            .unwrap()
            .2
    };
    assert_eq!(fees(&sim), Some(42.5));

    let bad = json!([{"op": "remove", "path": "/status"}]);
    assert_eq!(json_patch(&api, &path, &bad).await.status(), 400);
    let got: types::GetReferralResponse = typed("get", api.get(&path).await, 200).await;
    assert_eq!(
        got.status.as_deref(),
        Some("Completed"),
        "a refused patch changes nothing"
    );

    let void = api
        .request(Method::PATCH, &format!("/voidswitching/referrals/{id}"))
        .json(&json!({"status": "Switched", "fees": 35.0}))
        .send()
        .await
        .unwrap();
    assert_eq!(void.status(), 200);
    let got: types::GetReferralResponse = typed("get", api.get(&path).await, 200).await;
    assert_eq!(got.status.as_deref(), Some("Switched"));
    assert_eq!(fees(&sim), Some(35.0));

    let unknown = api
        .request(Method::PATCH, "/voidswitching/referrals/not-a-referral")
        .json(&json!({"status": "Switched"}))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 200, "the operation declares only 200");
}

async fn upload(api: &Api, property: i64, media_type: &str, name: &'static str) -> Response {
    let form = reqwest::multipart::Form::new()
        .text("linkedType", "Property")
        .text("linkedId", property.to_string())
        .text("mediaType", media_type.to_string())
        .part(
            "fileToUpload",
            reqwest::multipart::Part::bytes(b"\x89PNG fake".to_vec())
                .file_name(name)
                .mime_str("image/png")
                .unwrap(),
        );
    api.request(Method::POST, "/media-item")
        .multipart(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_posted_photo_joins_the_gallery_and_a_deleted_one_leaves_it() {
    let sim = Simulator::builder().start().await.unwrap();
    let api = Api::new(&sim, None).await;
    let house = house(&sim);
    let before = sim
        .listing_images(None, house)
        .gallery_images
        .unwrap()
        .len();
    let created: types::PostMediaItemResponse = typed(
        "photo",
        upload(&api, house, "Photo", "garden.png").await,
        200,
    )
    .await;
    let id = created.media_id.unwrap();
    let images: types::ListingImagesResponse = typed(
        "images",
        api.get(&format!("/listing/property/{house}/images")).await,
        200,
    )
    .await;
    let gallery = images.gallery_images.unwrap();
    assert_eq!(gallery.len(), before + 1);
    let last = gallery.last().unwrap();
    let src = last
        .sizes
        .as_ref()
        .unwrap()
        .tile
        .as_ref()
        .unwrap()
        .src
        .clone()
        .unwrap();
    assert!(src.contains(&format!("/images/{id}")), "{src}");
    let content = api.get(&src).await;
    assert_eq!(content.status(), 200);
    assert_eq!(content.bytes().await.unwrap().as_ref(), b"\x89PNG fake");

    let plan: types::PostMediaItemResponse = typed(
        "floorplan",
        upload(&api, house, "Floorplan", "plan.png").await,
        200,
    )
    .await;
    assert_eq!(
        sim.listing_images(None, house)
            .floorplan_images
            .unwrap()
            .len(),
        1
    );

    let r = api
        .request(Method::DELETE, &format!("/media-item/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(
        sim.listing_images(None, house)
            .gallery_images
            .unwrap()
            .len(),
        before
    );
    let again = api
        .request(Method::DELETE, &format!("/media-item/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 404);
    assert!(sim
        .media_items(None)
        .iter()
        .any(|m| i64::from(plan.media_id.unwrap()) == m.0));

    let bad = upload(&api, house, "Hologram", "x.png").await;
    assert_eq!(bad.status(), 400);
    // The operation declares its 400 without a body.
    assert_eq!(declared_error(bad).await.shape, Shape::Empty);
    assert_eq!(upload(&api, 999_999, "Photo", "x.png").await.status(), 404);
}

async fn listing(api: &Api, house: i64) -> types::ListingResponse {
    let path = format!("/listing/property/{house}");
    typed("listing", api.get(&path).await, 200).await
}

#[tokio::test]
async fn summary_and_rooms_patches_change_the_listing() {
    let sim = Simulator::builder().start().await.unwrap();
    let api = Api::new(&sim, None).await;
    let house = house(&sim);
    let summary = json!([
        {"op": "replace", "path": "/summary", "value": "A Victorian terrace with a new kitchen."},
        {"op": "replace", "path": "/LeadInText", "value": "Chain free."},
        {"op": "replace", "path": "/includeLeadInOutText", "value": true}
    ]);
    let r = json_patch(
        &api,
        &format!("/listing/property/{house}/summary"),
        &summary,
    )
    .await;
    assert_eq!(r.status(), 204);
    let got = listing(&api, house).await;
    assert_eq!(
        got.summary.as_deref(),
        Some("A Victorian terrace with a new kitchen.")
    );
    assert_eq!(got.lead_in_text.as_deref(), Some("Chain free."));
    assert_eq!(got.include_lead_in_out_text, Some(true));

    // The spec's object form is read too.
    let rooms = json!({"operations": [
        {"op": "add", "path": "/rooms/-", "value": {"name": "Kitchen", "size": "4.2m x 3.1m"}},
        {"op": "add", "path": "/rooms/-", "value": {"name": "Garden", "description": "South facing."}}
    ]});
    let r = json_patch(&api, &format!("/listing/property/{house}/rooms"), &rooms).await;
    assert_eq!(r.status(), 204);
    let got = listing(&api, house).await.rooms.unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].name.as_deref(), Some("Kitchen"));
    assert_eq!(got[1].order_index, Some(1));
    assert!(got[0].id.unwrap() > 0);

    let remove = json!([{"op": "remove", "path": "/rooms/0"},
        {"op": "replace", "path": "/rooms/0/size", "value": "12m x 8m"}]);
    let r = json_patch(&api, &format!("/listing/property/{house}/rooms"), &remove).await;
    assert_eq!(r.status(), 204);
    let got = listing(&api, house).await.rooms.unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].name.as_deref(), Some("Garden"));
    assert_eq!(got[0].size.as_deref(), Some("12m x 8m"));

    let unknown_member = json!([{"op": "add", "path": "/rooms/0/colour", "value": "red"}]);
    let r = json_patch(
        &api,
        &format!("/listing/property/{house}/rooms"),
        &unknown_member,
    )
    .await;
    assert_eq!(r.status(), 400);
    assert_eq!(
        listing(&api, house).await.rooms.unwrap().len(),
        1,
        "nothing changed"
    );
    let r = json_patch(&api, "/listing/property/999999/rooms", &remove).await;
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn seeded_referrals_have_stable_ids_in_the_every_operation_agency() {
    let sim = Simulator::builder()
        .production([("8662b309-dc51-58ea-9b1c-8ec10b34e88b", "Acme Lettings")])
        .start()
        .await
        .unwrap();
    let ids: Vec<String> = sim
        .referrals(Some("8662b309-dc51-58ea-9b1c-8ec10b34e88b"))
        .into_iter()
        .map(|r| r.0.to_string())
        .collect();
    assert!(
        ids.contains(&"7e4e0000-0000-4000-8000-000186b80001".to_string()),
        "{ids:?}"
    );
}
