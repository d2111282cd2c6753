//! Duplicates, sequencing rules, multipart upload, reference-check and appointment validation.

mod common;

use alto_sim::Simulator;
use common::{declared_error, Api, Shape};
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn duplicate_contacts_answer_409_with_the_existing_location() {
    let sim = Simulator::builder().start().await.unwrap();
    let api = Api::new(&sim, None).await;
    let branch = api.branch().await;
    let first = json!({"branchId": branch, "people": [{"forename": "Jane", "surname": "Doe",
        "emailAddresses": [{"address": "jane.doe@example.co.uk"}],
        "phoneNumbers": [{"number": "07700 900001", "type": "Mobile"}]}]});
    let r = api.post_json("/contacts", &first).await;
    assert_eq!(r.status(), 201);
    let id = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let before = sim.counts(None).contacts;

    // Same email, different case.
    let same_email = json!({"branchId": branch, "people": [{"surname": "Other",
        "emailAddresses": [{"address": "JANE.DOE@example.co.uk"}]}]});
    let r = api.post_json("/contacts", &same_email).await;
    assert_eq!(r.status(), 409);
    assert_eq!(r.headers()["location"], format!("/contacts/{id}").as_str());
    declared_error(r).await;

    // Same name and phone, no email.
    let same_phone = json!({"branchId": branch, "people": [{"forename": "jane", "surname": "DOE",
        "phoneNumbers": [{"number": "07700900001"}]}]});
    let r = api.post_json("/contacts", &same_phone).await;
    assert_eq!(r.status(), 409);
    assert_eq!(r.headers()["location"], format!("/contacts/{id}").as_str());

    // Same name, different phone: a different person.
    let other = json!({"branchId": branch, "people": [{"forename": "Jane", "surname": "Doe",
        "phoneNumbers": [{"number": "07700 900002"}]}]});
    assert_eq!(api.post_json("/contacts", &other).await.status(), 201);
    assert_eq!(sim.counts(None).contacts, before + 1);
}

#[tokio::test]
async fn contact_validation_names_the_fields() {
    let sim = Simulator::builder().start().await.unwrap();
    let api = Api::new(&sim, None).await;
    let r = api
        .post_json("/contacts", &json!({"branchId": "999", "people": []}))
        .await;
    // The spec's own rules first (people needs one item), then the simulator's (a known branch).
    assert_eq!(r.status(), 400);
    let p = declared_error(r).await;
    assert!(p.names("people") && !p.names("branchId"), "{p:?}");
    let one = json!({"branchId": "999", "people": [{"forename": "Ann", "surname": "Lee"}]});
    let r = api.post_json("/contacts", &one).await;
    assert_eq!(r.status(), 400);
    assert!(declared_error(r).await.names("branchId"));
    let r = api.post_json("/contacts", &json!({"people": "nope"})).await;
    assert_eq!(r.status(), 400);
    let p = declared_error(r).await;
    assert!(p.names("people") && p.names("branchId"), "{p:?}");
    let r = api
        .request(reqwest::Method::POST, "/contacts")
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(declared_error(r).await.names("$"));
}

#[tokio::test]
async fn properties_need_an_existing_owner_and_owners_are_added_once() {
    let sim = Simulator::builder().start().await.unwrap();
    let api = Api::new(&sim, None).await;
    let address = json!({"nameNumber": "3", "street": "Royal Crescent", "town": "Bath", "postcode": "BA1 2LR"});
    let no_owner = api
        .post_json(
            "/inventory/new",
            &json!({"address": address, "market": "Sale"}),
        )
        .await;
    assert_eq!(no_owner.status(), 400);
    // The operation's 400 declares no body.
    assert_eq!(declared_error(no_owner).await.shape, Shape::Empty);
    let ghost = api
        .post_json(
            "/inventory/new",
            &json!({"address": address, "owners": [{"contactId": 1}]}),
        )
        .await;
    assert_eq!(ghost.status(), 400);
    assert_eq!(declared_error(ghost).await.shape, Shape::Empty);

    let owner = api.contact("Olive", "Owner", "olive@example.co.uk").await;
    let created = api
        .post_json(
            "/inventory/new",
            &json!({"address": address, "market": "Sale", "owners": [{"contactId": owner}]}),
        )
        .await;
    assert_eq!(created.status(), 201);
    let id: i64 = created.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    // POST /inventory/new declares no 409: a second property at the same address is created,
    // and the inventory search finds both (which is how a client avoids creating twice).
    let again_address = json!({"nameNumber": "3", "street": "royal crescent", "town": "Bath", "postcode": "ba12lr"});
    let second_at_address = api
        .post_json(
            "/inventory/new",
            &json!({"address": again_address, "owners": [{"contactId": owner}]}),
        )
        .await;
    assert_eq!(second_at_address.status(), 201);
    let found: Value = api
        .get("/inventory/search?query=BA1%202LR")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["items"].as_array().unwrap().len(), 2, "{found}");

    // A second owner; unknown ids answer 404; the same owner twice answers 409.
    let second = api.contact("Sam", "Second", "sam@example.co.uk").await;
    let add = |p: i64, c: i64| {
        api.request(Method::POST, &format!("/inventory/{p:?}/owner"))
            .json(&json!({"contactId": c}))
            .send()
    };
    assert_eq!(add(id, second).await.unwrap().status(), 201);
    let again = add(id, second).await.unwrap();
    assert_eq!(again.status(), 409);
    assert_eq!(
        again.headers()["location"],
        format!("/owners?property-id={id}&contact-id={second}").as_str()
    );
    assert_eq!(add(id, 4).await.unwrap().status(), 404);
    assert_eq!(add(5, second).await.unwrap().status(), 404);
    let detail: Value = api
        .get(&format!("/inventory/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["owners"].as_array().unwrap().len(), 2);
    let owners: Value = api
        .get(&format!("/owners?property-id={id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(owners["items"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn multipart_upload_links_lists_and_serves_documents() {
    let sim = Simulator::builder().start().await.unwrap();
    let api = Api::new(&sim, None).await;
    let contact = api.contact("Dora", "Docs", "dora@example.co.uk").await;
    let before = sim.counts(None).documents;
    let upload = |linked_type: &str, linked_id: i64, bytes: &'static [u8]| {
        let form = reqwest::multipart::Form::new()
            .part(
                "fileToUpload",
                reqwest::multipart::Part::bytes(bytes)
                    .file_name("passport.pdf")
                    .mime_str("application/pdf")
                    .unwrap(),
            )
            .text("linkedType", linked_type.to_string())
            .text("linkedId", linked_id.to_string());
        api.request(Method::POST, "/documents/post")
            .multipart(form)
            .send()
    };
    let r = upload("Contact", contact, b"%PDF-1.7 passport")
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

    let missing = upload("Contact", 42, b"x").await.unwrap();
    assert_eq!(missing.status(), 400);
    assert!(declared_error(missing).await.names("linkedId"));
    let bad_type = upload("Spaceship", contact, b"x").await.unwrap();
    assert_eq!(bad_type.status(), 400);
    let empty = upload("Contact", contact, b"").await.unwrap();
    assert_eq!(empty.status(), 400);
    assert_eq!(sim.counts(None).documents, before + 1);

    let list: Value = api
        .get(&format!("/documents?linkedType=Contact&linkedId={contact}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"][0]["id"], id.to_string());
    assert_eq!(list["items"][0]["fileName"], "passport.pdf");
    let other: Value = api
        .get("/documents?linkedType=Property&linkedId=1")
        .await
        .json()
        .await
        .unwrap();
    assert!(other["items"].as_array().unwrap().is_empty());
    let content = api.get(&format!("/documents/{id}/content")).await;
    assert_eq!(content.headers()["content-type"], "application/pdf");
    assert_eq!(&content.bytes().await.unwrap()[..], b"%PDF-1.7 passport");
}

#[tokio::test]
async fn reference_check_status_accepts_only_pending_and_completed() {
    let sim = Simulator::builder().start().await.unwrap();
    let api = Api::new(&sim, None).await;
    let pending = sim
        .reference_checks(None)
        .into_iter()
        .find(|c| c.status == Some(alto::raw::types::ReferenceCheckStatus::Pending))
        .unwrap();
    let id = pending.reference_check_id.unwrap();
    let patch = |path: String, body: Value| api.request(Method::PATCH, &path).json(&body).send();
    let r = patch(format!("/ReferenceChecks/{id}"), json!({"status": "Done"}))
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(declared_error(r).await.names("status"));
    let r = patch(format!("/ReferenceChecks/{id}"), json!({}))
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = patch(
        format!("/ReferenceChecks/{}", uuid::Uuid::nil()),
        json!({"status": "Completed"}),
    )
    .await
    .unwrap();
    // No 404 declared: an unknown check is the declared 400 (ProblemDetails), naming it.
    assert_eq!(r.status(), 400);
    let p = declared_error(r).await;
    assert_eq!(p.shape, Shape::ProblemDetails);
    assert!(p.message.contains(&uuid::Uuid::nil().to_string()), "{p:?}");
    let r = patch(
        "/ReferenceChecks/not-a-guid".into(),
        json!({"status": "Completed"}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 400);
    let r = patch(
        format!("/ReferenceChecks/{id}"),
        json!({"status": "Completed"}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 202);
    assert!(r.bytes().await.unwrap().is_empty());
    let now = sim
        .reference_checks(None)
        .into_iter()
        .find(|c| c.reference_check_id == Some(id))
        .unwrap();
    assert_eq!(
        now.status,
        Some(alto::raw::types::ReferenceCheckStatus::Completed)
    );
}

#[tokio::test]
async fn appointments_need_existing_property_contacts_and_negotiators() {
    let sim = Simulator::builder().start().await.unwrap();
    let api = Api::new(&sim, None).await;
    let owner = api.contact("Vera", "Viewing", "vera@example.co.uk").await;
    let property = api.property("21", owner).await;
    let negotiator = api.negotiator().await;
    let start = chrono::Utc::now() + chrono::Duration::days(2);
    let end = start + chrono::Duration::minutes(30);
    let viewing = json!({"propertyId": property, "applicantIds": [owner], "negotiatorId": negotiator,
        "startDate": start, "endDate": end});
    let r = api.post_json("/appointments/viewings", &viewing).await;
    assert_eq!(r.status(), 200);
    let id = r.json::<Value>().await.unwrap()["appointmentId"]
        .as_i64()
        .unwrap();
    let got: Value = api
        .get(&format!("/appointments/{id}/0"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(got["type"], "Viewing");
    assert_eq!(
        api.get(&format!("/appointments/{id}/1")).await.status(),
        404
    );

    let bad = json!({"propertyId": 7, "applicantIds": [8], "negotiatorId": 9,
        "startDate": end, "endDate": start});
    let r = api.post_json("/appointments/viewings", &bad).await;
    assert_eq!(r.status(), 400);
    let p = declared_error(r).await;
    for field in ["propertyId", "applicantIds", "negotiatorId", "endDate"] {
        assert!(p.names(field), "{field}: {p:?}");
    }
    let general = json!({"negotiatorIds": [negotiator], "subTypeId": 1, "propertyIds": [property],
        "contactIds": [owner], "startDate": start, "endDate": end});
    assert_eq!(
        api.post_json("/appointments/general", &general)
            .await
            .status(),
        200
    );
    let appraisal = json!({"propertyId": property.to_string(), "appraiserIds": [negotiator.to_string()],
        "startDate": start.to_rfc3339(), "endDate": end.to_rfc3339(), "type": "FreeMarketAppraisal"});
    let r = api.post_json("/appraisals", &appraisal).await;
    assert_eq!(r.status(), 201);
    assert!(r.json::<Value>().await.unwrap().is_i64());
    let ghost = json!({"propertyId": "1", "appraiserIds": ["2"], "startDate": start.to_rfc3339(),
        "endDate": end.to_rfc3339()});
    assert_eq!(api.post_json("/appraisals", &ghost).await.status(), 400);
    assert_eq!(sim.counts(None).appointments, 3);
}
