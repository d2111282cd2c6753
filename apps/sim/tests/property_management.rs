//! Property management is stateful: what one operation writes, the next read shows — key sets,
//! inventory details, owners as landlords, works orders and their suppliers, proposed
//! tenancies, meter readings, management events and charges' invoices.

mod common;

use alto::raw::types;
use alto_sim::Simulator;
use common::Api;
use reqwest::Method;
use serde_json::{json, Value};

async fn body<T: serde::de::DeserializeOwned>(r: reqwest::Response, status: u16) -> T {
    let got = r.status().as_u16();
    let text = r.text().await.unwrap();
    assert_eq!(got, status, "{text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap()
}

async fn status(r: reqwest::Response) -> u16 {
    r.status().as_u16()
}

async fn patch(api: &Api, path: &str, ops: Value) -> u16 {
    status(
        api.request(Method::PATCH, path)
            .json(&ops)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn setup() -> (alto_sim::RunningSimulator, Api, i64, i64) {
    let sim = Simulator::builder().start().await.unwrap();
    let api = Api::new(&sim, None).await;
    let owner = api
        .contact("Helen", "Marsh", "helen.marsh@example.co.uk")
        .await;
    let property = api.property("40", owner).await;
    (sim, api, owner, property)
}

async fn keysets(api: &Api, property: i64) -> Vec<types::AltoKeySet> {
    body(
        api.get(&format!("/inventory/{property}/keysets")).await,
        200,
    )
    .await
}

#[tokio::test]
async fn key_sets_are_listed_changed_and_removed() {
    let (_sim, api, owner, property) = setup().await;
    let created: types::AltoKeySet = body(
        api.post_json(
            &format!("/inventory/{property}/keyset"),
            &json!({"description": "Back door", "keyCount": 2, "holderType": "Contact", "holderId": owner}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(
        created.status,
        Some(types::KeySetStatus::Out),
        "held keys are out"
    );
    assert_eq!(created.holder_name.as_deref(), Some("Helen Marsh"));
    let id = created.id.unwrap();
    assert_eq!(
        json(&keysets(&api, property).await),
        json(&vec![created.clone()])
    );

    let path = format!("/inventory/{property}/keyset/{id}");
    let ops = json!([{"op": "replace", "path": "/Status", "value": "Returned"},
        {"op": "replace", "path": "/KeyCount", "value": 3}]);
    assert_eq!(patch(&api, &path, ops).await, 204);
    let after = keysets(&api, property).await;
    assert_eq!(after[0].status, Some(types::KeySetStatus::Returned));
    assert_eq!(after[0].key_count, Some(3));
    let wrong = json!([{"op": "test", "path": "/KeyCount", "value": 9}]);
    assert_eq!(patch(&api, &path, wrong).await, 400);

    assert_eq!(
        status(api.request(Method::DELETE, &path).send().await.unwrap()).await,
        204
    );
    assert!(keysets(&api, property).await.is_empty());
    assert_eq!(
        status(api.request(Method::DELETE, &path).send().await.unwrap()).await,
        404
    );
}

#[tokio::test]
async fn inventory_reads_see_patches_owners_and_new_properties() {
    let (_sim, api, _owner, property) = setup().await;
    let ops = json!([{"op": "replace", "path": "/Bedrooms", "value": 4},
        {"op": "replace", "path": "/TaxBand", "value": "D"}]);
    assert_eq!(
        patch(&api, &format!("/inventory/{property}"), ops).await,
        204
    );
    let detail: types::InventoryDetailItem =
        body(api.get(&format!("/inventory/{property}")).await, 200).await;
    assert_eq!(
        (detail.bedrooms, detail.tax_band.as_deref()),
        (Some(4), Some("D"))
    );

    // search, filter and items are operations of their own, not property ids.
    let found: types::InventorySearchResults = body(
        api.get("/inventory/search?query=40%20Gay%20Street").await,
        200,
    )
    .await;
    let ids: Vec<_> = found
        .items
        .unwrap()
        .into_iter()
        .map(|i| i.inventory_id.unwrap())
        .collect();
    assert_eq!(ids, vec![property.to_string()]);
    let filtered: types::InventorySearchResults =
        body(api.get("/inventory/filter?recordType=Sale").await, 200).await;
    assert!(filtered
        .items
        .unwrap()
        .iter()
        .all(|i| i.record_type == Some(types::InventoryPropertyRecordType::Sale)));
    let items: types::InventoryDetailItemItemCollection = body(
        api.get(&format!("/inventory/items?inventory-id={property}"))
            .await,
        200,
    )
    .await;
    assert_eq!(items.items.unwrap()[0].bedrooms, Some(4));
    let listed: types::InventoryPagedResults =
        body(api.get("/inventory?address=Gay%20Street").await, 200).await;
    assert_eq!(listed.items.unwrap().len(), 1);

    // A new owner of a property to let is a landlord at once.
    let second = api
        .contact("Ivan", "Novak", "ivan.novak@example.co.uk")
        .await;
    let r = api
        .post_json(
            &format!("/inventory/{property}/owner"),
            &json!({"contactId": second}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let landlords: types::LandlordItemCollection = body(
        api.get(&format!("/inventory/{property}/landlords")).await,
        200,
    )
    .await;
    assert_eq!(landlords.total_count, Some(2));
    let all: types::LandlordListItemPagedResults = body(api.get("/landlords").await, 200).await;
    assert!(all
        .items
        .unwrap()
        .iter()
        .any(|l| l.id == Some(second as i32)));
    let again = api
        .post_json(
            &format!("/inventory/{property}/owner"),
            &json!({"contactId": second}),
        )
        .await;
    assert_eq!(again.status(), 409);
    let location = again.headers()["location"].to_str().unwrap().to_string();
    let existing: types::OwnerPagedResponse = body(api.get(&location).await, 200).await;
    assert_eq!(
        existing.items.unwrap().len(),
        1,
        "the Location finds the ownership"
    );
}

#[tokio::test]
async fn a_works_order_shows_by_id_under_its_property_and_links_its_supplier() {
    let (_sim, api, _owner, property) = setup().await;
    let suppliers: types::SupplierPagedResults = body(api.get("/suppliers").await, 200).await;
    let supplier = suppliers.items.unwrap()[2].id.clone().unwrap();
    let none: types::SupplierPagedResults = body(
        api.get(&format!("/inventory/{property}/suppliers")).await,
        200,
    )
    .await;
    assert!(none.items.unwrap().is_empty());
    assert_eq!(
        api.get(&format!("/inventory/{property}/work-orders"))
            .await
            .status(),
        404
    );

    let created: types::WorkOrder = body(
        api.post_json(
            "/work-orders",
            &json!({"propertyId": property.to_string(), "priority": "Urgent",
                "reportedDate": "2026-12-02T08:30:00Z", "summary": "Leak under the kitchen sink",
                "supplierContactId": supplier}),
        )
        .await,
        201,
    )
    .await;
    let id = created.id.clone().unwrap();
    let by_id: types::WorkOrder = body(api.get(&format!("/work-orders/{id}")).await, 200).await;
    assert_eq!(json(&by_id), json(&created));
    let latest: types::WorkOrder = body(
        api.get(&format!("/inventory/{property}/work-orders")).await,
        200,
    )
    .await;
    assert_eq!(latest.id.as_deref(), Some(id.as_str()));
    let linked: types::SupplierPagedResults = body(
        api.get(&format!("/inventory/{property}/suppliers")).await,
        200,
    )
    .await;
    assert_eq!(
        linked.items.unwrap()[0].id.as_deref(),
        Some(supplier.as_str())
    );

    let ops = json!([{"op": "replace", "path": "/status", "value": "Completed"},
        {"op": "replace", "path": "/quote", "value": 180.5}]);
    assert_eq!(patch(&api, &format!("/work-orders/{id}"), ops).await, 204);
    let after: types::WorkOrder = body(api.get(&format!("/work-orders/{id}")).await, 200).await;
    assert_eq!(
        (after.status.as_deref(), after.quote),
        (Some("Completed"), Some(180.5))
    );
}

#[tokio::test]
async fn a_proposed_tenancy_is_listed_with_its_applicants_as_tenants() {
    let (_sim, api, _owner, property) = setup().await;
    let before: types::TenancyListItemPagedResults = body(api.get("/tenancies").await, 200).await;
    let applicant = api.contact("Leah", "Osei", "leah.osei@example.co.uk").await;
    let r = api
        .post_json(
            &format!("/inventory/{property}/tenancies"),
            &json!({"applicantContactIds": [applicant], "rentalAmount": 1275.0,
                "tenancyStartDate": "2027-02-01T00:00:00Z", "tenancyTermYears": 1}),
        )
        .await;
    assert_eq!(r.status(), 202);
    let after: types::TenancyListItemPagedResults =
        body(api.get("/tenancies?include-tenants=true").await, 200).await;
    let total = |r: &types::TenancyListItemPagedResults| r.meta.as_ref().unwrap().total_items;
    assert_eq!(total(&after), total(&before).map(|n| n + 1));
    let new = after
        .items
        .unwrap()
        .into_iter()
        .find(|t| t.property_id == Some(property as i32))
        .expect("the proposed tenancy is listed");
    assert_eq!(new.status.as_deref(), Some("Proposed"));
    assert_eq!(new.rent, Some(1275.0));
    assert_eq!(new.tenants.unwrap()[0].surname.as_deref(), Some("Osei"));
    let of_property: types::TenancyPagedResults = body(
        api.get(&format!("/inventory/{property}/tenancies")).await,
        200,
    )
    .await;
    let tenancy = of_property.items.unwrap()[0].clone();
    assert_eq!(tenancy.id, new.id);

    let id = tenancy.id.unwrap();
    let ops = json!([{"op": "replace", "path": "/status", "value": "Active"}]);
    assert_eq!(patch(&api, &format!("/tenancies/{id}"), ops).await, 204);
    let listed: types::TenancyListItemPagedResults = body(api.get("/tenancies").await, 200).await;
    let status = listed
        .items
        .unwrap()
        .into_iter()
        .find(|t| t.id == Some(id))
        .unwrap()
        .status;
    assert_eq!(status.as_deref(), Some("Active"));
    let ids: types::TenantIdDataItemCollection =
        body(api.get(&format!("/tenancies/{id}/tenantIds")).await, 200).await;
    assert_eq!(ids.items.unwrap()[0].contact_id, Some(applicant as i32));
}

#[tokio::test]
async fn meter_readings_are_listed_refused_twice_and_patched() {
    let (_sim, api, _owner, property) = setup().await;
    let applicant = api
        .contact("Omar", "Farouk", "omar.farouk@example.co.uk")
        .await;
    let r = api
        .post_json(
            &format!("/inventory/{property}/tenancies"),
            &json!({"applicantContactIds": [applicant], "rentalAmount": 990.0}),
        )
        .await;
    assert_eq!(r.status(), 202);
    let tenancies: types::TenancyPagedResults = body(
        api.get(&format!("/inventory/{property}/tenancies")).await,
        200,
    )
    .await;
    let tenancy = tenancies.items.unwrap()[0].id.unwrap();
    let path = format!("/tenancies/{tenancy}/meter-readings");
    let empty: Vec<types::TenancyUtilityReading> = body(api.get(&path).await, 200).await;
    assert!(empty.is_empty());

    let reading = json!({"propertyId": property.to_string(), "utilityType": "Electricity",
        "inLowValue": 1200, "inHighValue": 3400});
    let created: types::TenancyUtilityReading =
        body(api.post_json(&path, &reading).await, 201).await;
    let listed: Vec<types::TenancyUtilityReading> = body(api.get(&path).await, 200).await;
    assert_eq!(json(&listed), json(&vec![created]));

    let again = api.post_json(&path, &reading).await;
    assert_eq!(again.status(), 409);
    let location = again.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(location, format!("{path}/Electricity"));

    let ops = json!([{"op": "replace", "path": "/outLowValue", "value": 1290},
        {"op": "remove", "path": "/inHighValue"}]);
    assert_eq!(patch(&api, &location, ops).await, 204);
    let listed: Vec<types::TenancyUtilityReading> = body(api.get(&path).await, 200).await;
    assert_eq!(
        (listed[0].out_low_value, listed[0].in_high_value),
        (Some(1290), None)
    );
}

#[tokio::test]
async fn management_events_are_listed_under_their_property_and_patched() {
    let (_sim, api, _owner, property) = setup().await;
    let negotiator = api.negotiator().await;
    let path = format!("/inventory/{property}/management-events");
    let before: types::ManagementEventPagedResults = body(api.get(&path).await, 200).await;
    assert!(before.items.unwrap().is_empty());
    let created: types::ManagementEvent = body(
        api.post_json(
            "/management-events",
            &json!({"eventType": "Inspection", "linkedType": "Property", "linkedId": property,
                "negotiatorId": negotiator, "dueDate": "2027-03-01T10:00:00Z"}),
        )
        .await,
        201,
    )
    .await;
    let id = created.id.clone().unwrap();
    let listed: types::ManagementEventPagedResults = body(api.get(&path).await, 200).await;
    assert_eq!(json(&listed.items.unwrap()), json(&vec![created]));

    let ops = json!([{"op": "replace", "path": "/status", "value": "Cancelled"}]);
    assert_eq!(
        patch(&api, &format!("/management-events/{id}"), ops).await,
        200
    );
    let got: types::ManagementEvent =
        body(api.get(&format!("/management-events/{id}")).await, 200).await;
    assert_eq!(got.status, Some(types::ManagementEventStatus::Cancelled));
    let pending: types::ManagementEventPagedResults =
        body(api.get(&format!("{path}?status=Pending")).await, 200).await;
    assert!(pending.items.unwrap().is_empty());
}

#[tokio::test]
async fn a_charge_s_invoice_becomes_a_document_of_the_property() {
    let (sim, api, _owner, property) = setup().await;
    let form = reqwest::multipart::Form::new()
        .text("chargeType", "Plumbing")
        .text("totalNet", "140.00")
        .text("totalVat", "28.00")
        .text("description", "Replaced the kitchen tap")
        .part(
            "invoiceDocument",
            reqwest::multipart::Part::bytes(b"%PDF-1.4 tap".to_vec())
                .file_name("tap-invoice.pdf")
                .mime_str("application/pdf")
                .unwrap(),
        );
    let r = api
        .request(Method::POST, &format!("/inventory/{property}/charges"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let charge: types::PropertyCharge = body(r, 201).await;
    assert_eq!(charge.total_net, Some(140.0));
    let document = charge
        .invoice_document_id
        .clone()
        .expect("the invoice is kept");
    let documents: Value = body(
        api.get(&format!("/inventory/{property}/documents")).await,
        200,
    )
    .await;
    assert!(
        documents["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["id"] == document.as_str()),
        "{documents}"
    );
    assert_eq!(
        sim.charges(None),
        vec![serde_json::to_value(&charge).unwrap()]
    );

    let bad = reqwest::multipart::Form::new()
        .text("chargeType", "Plumbing")
        .text("totalNet", "-1");
    let r = api
        .request(Method::POST, &format!("/inventory/{property}/charges"))
        .multipart(bad)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(sim.charges(None).len(), 1, "a refused charge is not kept");
}
