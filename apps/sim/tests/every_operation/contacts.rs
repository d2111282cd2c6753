//! Cases for the contacts family: contacts and everything under `/contacts`, owners, client
//! parameters, leads, opt-out status, the partner integration, clients, branches and
//! negotiators.
//!
//! Seeded records are named by id: the agency's ids start at 100 000 and the demo data is
//! created in a fixed order (see `apps/sim/src/seed.rs`).

use serde_json::json;

use crate::case::Case;

/// The seeded Bath branch.
const BATH: &str = "100001";
/// The seeded Bristol branch.
const BRISTOL: &str = "100002";
/// The seeded branch manager.
const NEGOTIATOR: &str = "100003";
/// The seeded landlord, Mrs Margaret Hughes, and her person.
const LANDLORD: &str = "100006";
const LANDLORD_PERSON: &str = "100007";
/// The seeded house for sale on Cotham Hill.
const HOUSE: &str = "100022";
/// An id no record has.
const NOBODY: &str = "999999";

fn isla() -> serde_json::Value {
    json!({
        "branchId": BATH,
        "people": [{
            "title": "Ms",
            "forename": "Isla",
            "surname": "Fairbairn",
            "emailAddresses": [{"address": "isla.fairbairn@example.co.uk"}],
            "phoneNumbers": [{"number": "07700 900777", "type": "Mobile"}]
        }],
        "address": {"nameNumber": "9", "street": "Gay Street", "town": "Bath", "postcode": "BA1 2PH"}
    })
}

fn contacts() -> Vec<Case> {
    let three = json!({"branchId": BATH, "people": [
        {"surname": "Ashworth", "forename": "Ann"},
        {"surname": "Ashworth", "forename": "Bill"},
        {"surname": "Ashworth", "forename": "Cara"}
    ]});
    vec![
        Case::post("/contacts", isla(), 201).save("contact"),
        Case::post("/contacts", isla(), 409),
        Case::post("/contacts", three, 400),
        Case::get("/contacts/{contact}", 200),
        Case::get("/contacts/not-a-number", 400),
        Case::get(format!("/contacts/{NOBODY}"), 404),
        Case::get("/contacts?id={contact}", 200),
        Case::get(format!("/contacts?id={NOBODY}"), 400),
        Case::get("/contacts/all?max-results=2", 200),
        Case::get("/contacts/all?max-results=0", 400),
        Case::get("/contacts/search?query=fairbairn", 200),
        Case::get("/contacts/search", 400),
        Case::json_patch(
            "/contacts/{contact}",
            json!([
                {"op": "replace", "path": "/PotentialVendor", "value": "true"},
                {"op": "replace", "path": "/PositionId", "value": "FTB"}
            ]),
            200,
        ),
        Case::json_patch(
            "/contacts/{contact}",
            json!([{"op": "add", "path": "/People/-", "value": {"surname": "Third"}}]),
            400,
        ),
        Case::json_patch(
            format!("/contacts/{NOBODY}"),
            json!([{"op": "replace", "path": "/Active", "value": "false"}]),
            404,
        ),
    ]
}

fn people() -> Vec<Case> {
    let person = format!("/contacts/{LANDLORD}/persons/{LANDLORD_PERSON}");
    vec![
        Case::get("/contacts/{contact}/persons", 200),
        Case::get("/contacts/not-a-number/persons", 400),
        Case::get(format!("/contacts/{NOBODY}/persons"), 404),
        Case::get(&person, 200),
        Case::get(format!("/contacts/{LANDLORD}/persons/not-a-number"), 400),
        Case::get(format!("/contacts/{LANDLORD}/persons/{NOBODY}"), 404),
        Case::json_patch(
            &person,
            json!([{"op": "replace", "path": "/Forename", "value": "Maggie"}]),
            200,
        ),
        Case::json_patch(
            &person,
            json!([{"op": "replace", "path": "/Surname", "value": ""}]),
            400,
        ),
        Case::json_patch(
            format!("/contacts/{LANDLORD}/persons/{NOBODY}"),
            json!([{"op": "replace", "path": "/Forename", "value": "Nobody"}]),
            404,
        ),
    ]
}

fn requirements() -> Vec<Case> {
    let path = "/contacts/{contact}/applicant-requirements";
    vec![
        Case::post(
            path,
            json!({"profileIntention": "Rent", "bedsMin": 2, "priceFrom": 900, "priceTo": 1400,
                   "rentalPriceQualifier": "Monthly", "rentalFurnishing": "Furnished"}),
            201,
        )
        .save("requirement"),
        Case::post(
            path,
            json!({"profileIntention": "Buy", "priceFrom": 400000, "priceTo": 300000}),
            400,
        ),
        Case::post(
            format!("/contacts/{NOBODY}/applicant-requirements"),
            json!({"profileIntention": "Buy"}),
            404,
        ),
        Case::json_patch(
            "/contacts/{contact}/applicant-requirements/{requirement}",
            json!([{"op": "replace", "path": "/BedsMin", "value": 3}]),
            200,
        ),
        Case::json_patch(
            "/contacts/{contact}/applicant-requirements/{requirement}",
            json!([{"op": "replace", "path": "/BedsMin", "value": 11}]),
            400,
        ),
        Case::json_patch(
            format!("/contacts/{{contact}}/applicant-requirements/{NOBODY}"),
            json!([{"op": "replace", "path": "/Notes", "value": "x"}]),
            404,
        ),
    ]
}

fn accounts_addresses_and_consent() -> Vec<Case> {
    let forwarding = json!({
        "branchId": BATH,
        "address": {"nameNumber": "3", "street": "Royal Crescent", "town": "Bath", "postcode": "BA1 2LR"}
    });
    vec![
        Case::get(format!("/contacts/{LANDLORD}/bank-accounts"), 200),
        Case::get("/contacts/{contact}/bank-accounts", 204),
        Case::get("/contacts/not-a-number/bank-accounts", 400),
        Case::get(format!("/contacts/{NOBODY}/bank-accounts"), 404),
        Case::post(
            "/contacts/{contact}/forwarding-address",
            forwarding.clone(),
            201,
        ),
        Case::post(
            format!("/contacts/{NOBODY}/forwarding-address"),
            forwarding,
            400,
        ),
        Case::post(
            "/contacts/{contact}/preferences",
            json!({"items": [{"type": "GeneralMarketing", "optIn": "Denied"},
                             {"type": "PropertyMatching", "optIn": "Granted"}]}),
            200,
        ),
        Case::post("/contacts/{contact}/preferences", json!({"items": []}), 400),
        Case::get("/contacts/{contact}/preferences", 200),
        Case::get("/contacts/not-a-number/preferences", 400),
        Case::get(format!("/contacts/{NOBODY}/preferences"), 404),
    ]
}

fn relationships() -> Vec<Case> {
    let guarantor = json!({"relationshipType": "TenantGuarantor", "relatedContactId": LANDLORD});
    vec![
        Case::post("/contacts/{contact}/relationship", guarantor.clone(), 201).save("relationship"),
        Case::post("/contacts/{contact}/relationship", guarantor, 409),
        Case::post(
            "/contacts/{contact}/relationship",
            json!({"relationshipType": "TenantGuarantor", "relatedContactId": NOBODY}),
            400,
        ),
        Case::get("/contacts/{contact}/relationship", 200),
        Case::get(
            "/contacts/{contact}/relationship?relationshipType=Cousin",
            400,
        ),
        Case::delete("/contacts/{contact}/relationship/{relationship}", 200),
        Case::delete("/contacts/{contact}/relationship/{relationship}", 400),
    ]
}

fn parameters_and_owners() -> Vec<Case> {
    vec![
        Case::get("/owners", 200),
        Case::get(format!("/owners?property-id={HOUSE}"), 200),
        Case::get("/parameters/client-disposal-statuses", 200),
        Case::get("/parameters/client-intentions", 200),
        Case::get("/parameters/client-positions", 200),
        Case::get("/parameters/lead-sources", 200),
        Case::get("/parameters/property-types", 200),
    ]
}

fn leads() -> Vec<Case> {
    let lead = |branch: &str, source: &str| {
        json!({
            "branchId": branch.parse::<i64>().unwrap(),
            "sourceIdentifier": source,
            "enquiryType": "LookingToBuy",
            "enquirerDetails": {"forename": "Oliver", "surname": "Grant", "email": "oliver.grant@example.co.uk"},
            "propertyEnquiries": [{"propertyId": HOUSE, "price": 425000.0}]
        })
    };
    vec![
        Case::post("/leads", lead(BRISTOL, "every-op-1"), 201).save("lead"),
        Case::post("/leads", lead(BRISTOL, "every-op-2"), 409),
        Case::post("/leads", lead(NOBODY, "every-op-3"), 422),
        Case::post(
            "/leads",
            json!({"branchId": 100002, "sourceIdentifier": "x"}),
            400,
        ),
        Case::get("/leads?lead-status=Unprocessed", 200),
        Case::get("/leads?lead-status=Bogus", 400),
        Case::get("/leads/{lead}", 200),
        Case::get("/leads/not-a-number", 400),
        Case::get(format!("/leads/{NOBODY}"), 404),
        Case::patch(
            "/leads/{lead}",
            json!([{"op": "replace", "path": "/contactId", "value": "{contact}"},
                   {"op": "replace", "path": "/leadStatus", "value": "Processed"}]),
            200,
        ),
        Case::patch(
            "/leads/{lead}",
            json!([{"op": "replace", "path": "/leadStatus", "value": "Bogus"}]),
            400,
        ),
        Case::patch(
            format!("/leads/{NOBODY}"),
            json!([{"op": "replace", "path": "/leadStatus", "value": "Processed"}]),
            404,
        ),
    ]
}

fn the_rest() -> Vec<Case> {
    vec![
        Case::get("/opt-out-status/Contact/{contact}", 200),
        Case::get(format!("/opt-out-status/Property/{HOUSE}"), 200),
        Case::get("/opt-out-status/Spaceship/1", 400),
        Case::get(format!("/opt-out-status/Contact/{NOBODY}"), 404),
        Case::get("/partners/integration", 200),
        Case::post(
            "/partners/integration/status",
            json!({"partnerIntegrationStatus": "Active", "partnerIntegrationStatusDescription": "Syncing"}),
            200,
        ),
        Case::post(
            "/partners/integration/status",
            json!({"partnerIntegrationStatus": "Sleeping"}),
            400,
        ),
        Case::get("/clients?clientId={contact}", 200),
        Case::get("/clients?clientId=not-a-number", 400),
        Case::get("/branches", 200),
        Case::get(format!("/branches/{BATH}"), 200),
        Case::get("/branches/not-a-number", 400),
        Case::get(format!("/branches/{NOBODY}"), 404),
        Case::get("/negotiators", 200),
        Case::get(format!("/negotiators/{NEGOTIATOR}"), 200),
        Case::get(format!("/negotiators/{NOBODY}"), 404),
    ]
}

/// This family's cases, in order.
pub fn cases() -> Vec<Case> {
    let mut cases = contacts();
    cases.extend(people());
    cases.extend(requirements());
    cases.extend(accounts_addresses_and_consent());
    cases.extend(relationships());
    cases.extend(parameters_and_owners());
    cases.extend(leads());
    cases.extend(the_rest());
    cases
}
