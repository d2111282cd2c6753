//! The contacts family is stateful: each write shows in the next read (patched contacts and
//! people, requirements, consent and opt-out, forwarding addresses, leads, the integration
//! status), and the limits the spec declares are refused (a third person, a duplicate lead).

mod common;

use alto::raw::types;
use alto_sim::Simulator;
use common::Api;
use reqwest::{Method, Response};
use serde_json::{json, Value};

async fn json_of(r: Response, status: u16) -> Value {
    let got = r.status().as_u16();
    let body = r.text().await.unwrap();
    assert_eq!(got, status, "{body}");
    serde_json::from_str(&body).unwrap_or(Value::Null)
}

async fn json_patch(api: &Api, path: &str, ops: Value) -> Response {
    api.request(Method::PATCH, path)
        .header("content-type", "application/json-patch+json")
        .body(ops.to_string())
        .send()
        .await
        .unwrap()
}

async fn started() -> (alto_sim::RunningSimulator, Api) {
    let sim = Simulator::builder().start().await.unwrap();
    let api = Api::new(&sim, None).await;
    (sim, api)
}

#[tokio::test]
async fn a_patched_contact_reads_back_and_a_third_person_is_refused() {
    let (sim, api) = started().await;
    let branch = api.branch().await;
    let id = api.contact("Isla", "Fairbairn", "isla@example.co.uk").await;
    let path = format!("/contacts/{id}");
    let patched = json_of(
        json_patch(
            &api,
            &path,
            json!([
                {"op": "replace", "path": "/PotentialLandlord", "value": "true"},
                {"op": "replace", "path": "/positionId", "value": "FTB"},
                {"op": "replace", "path": "/Active", "value": "false"}
            ]),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(patched["potentialLandlord"], true);
    let read: types::ContactDetails =
        serde_json::from_value(json_of(api.get(&path).await, 200).await).unwrap();
    assert_eq!(read.potential_landlord, Some(true));
    assert_eq!(read.archived, Some(true));
    assert_eq!(
        read.position.and_then(|p| p.name).as_deref(),
        Some("First-time buyer")
    );

    for bad in [
        json!([{"op": "replace", "path": "/PositionId", "value": "NOT-A-CODE"}]),
        json!([{"op": "add", "path": "/People/-", "value": {"surname": "Third"}}]),
        json!([{"op": "replace", "path": "/Active", "value": "perhaps"}]),
    ] {
        assert_eq!(json_patch(&api, &path, bad).await.status(), 400);
    }
    let again: types::ContactDetails =
        serde_json::from_value(json_of(api.get(&path).await, 200).await).unwrap();
    assert_eq!(
        again.position.and_then(|p| p.code).as_deref(),
        Some("FTB"),
        "a refused patch changes nothing"
    );

    let three = json!({"branchId": branch, "people": [
        {"surname": "Ashworth", "forename": "Ann"},
        {"surname": "Ashworth", "forename": "Bill"},
        {"surname": "Ashworth", "forename": "Cara"}
    ]});
    let before = sim.counts(None).contacts;
    let refused = json_of(api.post_json("/contacts", &three).await, 400).await;
    let names_people = refused["errors"]
        .as_array()
        .is_some_and(|errors| errors.iter().any(|e| e["code"] == "people"));
    assert!(names_people, "{refused}");
    assert_eq!(sim.counts(None).contacts, before);
}

#[tokio::test]
async fn a_duplicate_contact_answers_409_with_the_existing_location() {
    let (_sim, api) = started().await;
    let id = api.contact("Isla", "Fairbairn", "isla@example.co.uk").await;
    let body = json!({"branchId": api.branch().await,
                      "people": [{"surname": "Fairbairn", "emailAddresses": [{"address": "ISLA@example.co.uk"}]}]});
    let r = api.post_json("/contacts", &body).await;
    assert_eq!(r.status(), 409);
    assert_eq!(
        r.headers()["location"].to_str().unwrap(),
        format!("/contacts/{id}")
    );
}

#[tokio::test]
async fn a_patched_person_shows_in_the_contact_and_its_people() {
    let (_sim, api) = started().await;
    let id = api.contact("Isla", "Fairbairn", "isla@example.co.uk").await;
    let people = json_of(api.get(&format!("/contacts/{id}/persons")).await, 200).await;
    let person = people["people"][0]["id"].as_str().unwrap().to_string();
    let path = format!("/contacts/{id}/persons/{person}");
    let patched = json_of(
        json_patch(
            &api,
            &path,
            json!([
                {"op": "replace", "path": "/Forename", "value": "Isobel"},
                {"op": "replace", "path": "/PhoneNumbers", "value": "07700 900111, 01225 400400"}
            ]),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(patched["forename"], "Isobel");
    let single = json_of(api.get(&path).await, 200).await;
    assert_eq!(single["forename"], "Isobel");
    assert_eq!(single["phoneNumbers"][1]["number"], "01225 400400");
    let people = json_of(api.get(&format!("/contacts/{id}/persons")).await, 200).await;
    assert_eq!(people["people"][0]["forename"], "Isobel");
    assert_eq!(
        people["people"][0]["emailAddresses"][0]["address"],
        "isla@example.co.uk"
    );
    let too_many = json!([{"op": "replace", "path": "/EmailAddresses",
                           "value": ["a@example.co.uk", "b@example.co.uk", "c@example.co.uk"]}]);
    assert_eq!(json_patch(&api, &path, too_many).await.status(), 400);
}

#[tokio::test]
async fn requirements_preferences_and_forwarding_addresses_read_back() {
    let (_sim, api) = started().await;
    let id = api.contact("Isla", "Fairbairn", "isla@example.co.uk").await;
    let created = json_of(
        api.post_json(
            &format!("/contacts/{id}/applicant-requirements"),
            &json!({"profileIntention": "Rent", "bedsMin": 2, "priceTo": 1400, "rentalPriceQualifier": "Monthly"}),
        )
        .await,
        201,
    )
    .await;
    let requirement = created["id"].as_str().unwrap();
    let patched = json_of(
        json_patch(
            &api,
            &format!("/contacts/{id}/applicant-requirements/{requirement}"),
            json!([{"op": "replace", "path": "/BedsMin", "value": 3},
                   {"op": "replace", "path": "/Notes", "value": "Needs parking"}]),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(patched["bedsMin"], 3);
    let contact = json_of(api.get(&format!("/contacts/{id}")).await, 200).await;
    assert_eq!(contact["applicantRequirements"][0]["bedsMin"], 3);
    assert_eq!(
        contact["applicantRequirements"][0]["notes"],
        "Needs parking"
    );

    let preferences = format!("/contacts/{id}/preferences");
    assert_eq!(json_of(api.get(&preferences).await, 200).await, json!([]));
    let opt_out = format!("/opt-out-status/Contact/{id}");
    assert_eq!(
        json_of(api.get(&opt_out).await, 200).await["optOutStatus"],
        "OptedIn"
    );
    let r = api
        .post_json(
            &preferences,
            &json!({"items": [{"type": "GeneralMarketing", "optIn": "Denied", "notes": "By phone"}]}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let listed = json_of(api.get(&preferences).await, 200).await;
    assert_eq!(listed[0]["type"], "GeneralMarketing");
    assert_eq!(listed[0]["optInStatus"], "Denied");
    assert_eq!(
        json_of(api.get(&opt_out).await, 200).await["optOutStatus"],
        "OptedOut"
    );
    api.post_json(
        &preferences,
        &json!({"items": [{"type": "GeneralMarketing", "optIn": "Granted"}]}),
    )
    .await;
    let listed = json_of(api.get(&preferences).await, 200).await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["versionNumber"], 2);

    let forwarding = json_of(
        api.post_json(
            &format!("/contacts/{id}/forwarding-address"),
            &json!({"branchId": api.branch().await,
                    "address": {"nameNumber": "3", "street": "Royal Crescent", "town": "Bath", "postcode": "BA1 2LR"}}),
        )
        .await,
        201,
    )
    .await;
    let related = json_of(api.get(&format!("/contacts/{id}/relationship")).await, 200).await;
    assert_eq!(
        related["relationships"][0]["relationshipType"],
        "ForwardingAddress"
    );
    assert_eq!(related["relationships"][0]["relatedContactId"], forwarding);
    let moved = json_of(api.get(&format!("/contacts/{forwarding}")).await, 200).await;
    assert_eq!(moved["address"]["postcode"], "BA1 2LR");
}

#[tokio::test]
async fn a_created_lead_is_listed_read_and_patched_and_a_repeat_is_a_409() {
    let (_sim, api) = started().await;
    let branch: i64 = api.branch().await.parse().unwrap();
    let contact = api.contact("Oliver", "Grant", "oliver@example.co.uk").await;
    let lead = json!({"branchId": branch, "sourceIdentifier": "portal-1",
                      "enquirerDetails": {"forename": "Oliver", "email": "oliver@example.co.uk"}});
    let created = json_of(api.post_json("/leads", &lead).await, 201).await;
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(created["leadStatus"], "Unprocessed");
    let listed = json_of(
        api.get("/leads?lead-status=Unprocessed&max-results=250")
            .await,
        200,
    )
    .await;
    assert!(listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["id"] == id));

    let repeat = json!({"branchId": branch, "sourceIdentifier": "portal-2",
                        "enquirerDetails": {"forename": "Oliver", "email": "OLIVER@example.co.uk"}});
    let r = api.post_json("/leads", &repeat).await;
    assert_eq!(r.status(), 409);
    assert_eq!(
        r.headers()["location"].to_str().unwrap(),
        format!("/leads/{id}")
    );
    let ghost = json!({"branchId": 999999, "sourceIdentifier": "portal-3",
                       "enquirerDetails": {"forename": "Nobody"}});
    assert_eq!(api.post_json("/leads", &ghost).await.status(), 422);

    let r = api
        .request(Method::PATCH, &format!("/leads/{id}"))
        .json(
            &json!([{"op": "replace", "path": "/contactId", "value": contact.to_string()},
                      {"op": "replace", "path": "/leadStatus", "value": "Accepted"}]),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(json_of(r, 200).await["leadStatus"], "Accepted");
    let read = json_of(api.get(&format!("/leads/{id}")).await, 200).await;
    assert_eq!(read["contact"]["id"], contact.to_string());
    let named = json_of(api.get(&format!("/contacts/{contact}")).await, 200).await;
    assert_eq!(named["lead"]["id"].to_string(), id);
}

#[tokio::test]
async fn the_integration_status_posted_shows_in_the_integration() {
    let (_sim, api) = started().await;
    let before = json_of(api.get("/partners/integration").await, 200).await;
    assert_eq!(
        before["agencyIntegrationData"]["partnerIntegrationStatus"],
        "Pending"
    );
    let r = api
        .post_json(
            "/partners/integration/status",
            &json!({"partnerIntegrationStatus": "Active", "partnerIntegrationStatusDescription": "Live"}),
        )
        .await;
    let answer = json_of(r, 200).await;
    assert_eq!(answer["updatedRecordCount"], 2);
    let after = json_of(api.get("/partners/integration").await, 200).await;
    assert_eq!(
        after["agencyIntegrationData"]["partnerIntegrationStatus"],
        "Active"
    );
    assert_eq!(
        after["agencyIntegrationData"]["partnerIntegrationStatusDescription"],
        "Live"
    );
}

#[tokio::test]
async fn seeded_reads_return_real_records() {
    let (_sim, api) = started().await;
    for path in [
        "/parameters/client-disposal-statuses",
        "/parameters/client-intentions",
        "/parameters/client-positions",
        "/parameters/lead-sources",
        "/parameters/property-types",
    ] {
        let values = json_of(api.get(path).await, 200).await;
        assert!(
            values[0]["code"].is_string() && values[0]["name"].is_string(),
            "{path}"
        );
    }
    let leads = json_of(api.get("/leads").await, 200).await;
    assert!(leads["items"].as_array().unwrap().len() >= 3);
    let found = json_of(api.get("/contacts/search?query=hughes").await, 200).await;
    let landlord = found["items"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(found["items"][0]["displayName"], "Mrs Margaret Hughes");
    let accounts = json_of(
        api.get(&format!("/contacts/{landlord}/bank-accounts"))
            .await,
        200,
    )
    .await;
    assert!(accounts[0]["accountNumber"].is_string());
    let clients = json_of(api.get(&format!("/clients?clientId={landlord}")).await, 200).await;
    assert_eq!(
        clients["items"][0]["people"][0]["name"]["surname"],
        "Hughes"
    );
    let branch = api.branch().await;
    let one = json_of(api.get(&format!("/branches/{branch}")).await, 200).await;
    assert_eq!(one["branchId"], branch);
    let negotiator = api.negotiator().await;
    let one = json_of(api.get(&format!("/negotiators/{negotiator}")).await, 200).await;
    assert_eq!(one["id"], negotiator.to_string());
}
