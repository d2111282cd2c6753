//! Every simulator answer decodes into the generated response type of its operation, and
//! re-encodes to the same JSON (so it carries no field the spec does not define).

mod common;

use alto::raw::types;
use alto_sim::Simulator;
use common::Api;
use reqwest::{Method, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

async fn conforms<T: DeserializeOwned + Serialize>(what: &str, r: Response, status: u16) -> T {
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

#[tokio::test]
async fn every_answer_decodes_into_its_generated_type() {
    let sim = Simulator::builder()
        .production([("8662b309-dc51-58ea-9b1c-8ec10b34e88b", "Acme Lettings")])
        .start()
        .await
        .unwrap();
    let api = Api::new(&sim, Some("8662b309-dc51-58ea-9b1c-8ec10b34e88b")).await;

    let branches: types::BranchPagedResponse =
        conforms("branches", api.get("/branches").await, 200).await;
    let branch = branches.items.unwrap()[0].branch_id.clone().unwrap();
    let negotiators: types::NegotiatorPagedResponse =
        conforms("negotiators", api.get("/negotiators").await, 200).await;
    let negotiator: i64 = negotiators.items.unwrap()[0]
        .id
        .clone()
        .unwrap()
        .parse()
        .unwrap();

    let new_contact = json!({"branchId": branch, "potentialLandlord": true,
        "address": {"nameNumber": "9", "street": "Argyle Street", "town": "Bath", "postcode": "BA2 4BQ", "countryCode": "GB"},
        "people": [{"title": "Dr", "forename": "Rosa", "surname": "Franklin",
            "emailAddresses": [{"address": "rosa@example.co.uk"}],
            "phoneNumbers": [{"number": "07700 900555", "type": "Mobile"}]}]});
    let created: types::ContactDetails = conforms(
        "create_contact",
        api.post_json("/contacts", &new_contact).await,
        201,
    )
    .await;
    let contact = created.id.unwrap();
    let _: types::ProblemDetails = conforms(
        "create_contact 409",
        api.post_json("/contacts", &new_contact).await,
        409,
    )
    .await;
    let _: types::ContactDetails = conforms(
        "get_contact",
        api.get(&format!("/contacts/{contact}")).await,
        200,
    )
    .await;
    let _: types::ContactDetails = conforms(
        "get_contacts",
        api.get(&format!("/contacts?id={contact}")).await,
        200,
    )
    .await;
    let persons: types::ContactDetails = conforms(
        "get_contact_persons",
        api.get(&format!("/contacts/{contact}/persons")).await,
        200,
    )
    .await;
    assert_eq!(
        persons.people.unwrap()[0].surname.as_deref(),
        Some("Franklin")
    );
    let _: types::ContactListItemPagedResponse =
        conforms("list_contacts", api.get("/contacts/all").await, 200).await;

    let new_property = json!({"address": {"nameNumber": "9", "street": "Argyle Street", "town": "Bath", "postcode": "BA2 4BQ"},
        "market": "Rent", "branchId": branch.parse::<i64>().unwrap(), "negotiatorId": negotiator,
        "owners": [{"contactId": contact.parse::<i64>().unwrap()}]});
    let property: types::InventoryItem = conforms(
        "create_property",
        api.post_json("/inventory/new", &new_property).await,
        201,
    )
    .await;
    let property = property.id.unwrap();
    let _: types::InventoryDetailItem = conforms(
        "get_property",
        api.get(&format!("/inventory/{property}")).await,
        200,
    )
    .await;
    let _: types::OwnerPagedResponse = conforms("list_owners", api.get("/owners").await, 200).await;

    let form = reqwest::multipart::Form::new()
        .part(
            "fileToUpload",
            reqwest::multipart::Part::bytes(b"hello".to_vec()).file_name("hello.txt"),
        )
        .text("linkedType", "Property")
        .text("linkedId", property.clone());
    let upload = api
        .request(Method::POST, "/documents/post")
        .multipart(form)
        .send()
        .await
        .unwrap();
    let _: types::CreateDocumentResponse = conforms("upload_document", upload, 200).await;
    let _: types::DocumentPagedResults =
        conforms("list_documents", api.get("/documents").await, 200).await;

    let tenancies: types::TenancyListItemPagedResults = conforms(
        "list_tenancies",
        api.get("/tenancies?include-tenants=true").await,
        200,
    )
    .await;
    let tenancy = tenancies.items.unwrap()[0].id.unwrap();
    let _: types::TenancyLight = conforms(
        "get_tenancy",
        api.get(&format!("/tenancies/{tenancy}")).await,
        200,
    )
    .await;
    let tenants: types::TenantIdDataItemCollection = conforms(
        "get_tenant_ids",
        api.get(&format!("/tenancies/{tenancy}/tenantIds")).await,
        200,
    )
    .await;
    let ids: Vec<i32> = tenants
        .items
        .unwrap()
        .iter()
        .map(|t| t.tenant_id.unwrap())
        .collect();
    assert_eq!(ids.len(), 2);
    let guarantors: types::TenantGuarantorDataItemCollection = conforms(
        "get_guarantor_ids",
        api.get(&format!(
            "/guarantorIds?tenantId={}&tenantId={}",
            ids[0], ids[1]
        ))
        .await,
        200,
    )
    .await;
    let guarantors = guarantors.items.unwrap();
    assert_eq!(guarantors.len(), 2);
    assert!(guarantors
        .iter()
        .all(|g| g.guarantor_ids.as_ref().unwrap().len() == 1));

    let _: types::ReferenceCheckPagedResultsDto = conforms(
        "get_reference_checks",
        api.get("/ReferenceChecks").await,
        200,
    )
    .await;

    let start = chrono::Utc::now() + chrono::Duration::days(1);
    let end = start + chrono::Duration::hours(1);
    let viewing = json!({"propertyId": property.parse::<i64>().unwrap(), "applicantIds": [contact.parse::<i64>().unwrap()],
        "negotiatorId": negotiator, "startDate": start, "endDate": end});
    let created: types::CreateAppointmentData = conforms(
        "create_viewing",
        api.post_json("/appointments/viewings", &viewing).await,
        200,
    )
    .await;
    let general =
        json!({"negotiatorIds": [negotiator], "subTypeId": 3, "startDate": start, "endDate": end});
    let _: types::CreateAppointmentData = conforms(
        "create_general_appointment",
        api.post_json("/appointments/general", &general).await,
        200,
    )
    .await;
    let appraisal = json!({"propertyId": property, "appraiserIds": [negotiator.to_string()],
        "startDate": start.to_rfc3339(), "endDate": end.to_rfc3339(), "type": "FreeMarketAppraisal"});
    let _: i64 = conforms(
        "create_appraisal",
        api.post_json("/appraisals", &appraisal).await,
        201,
    )
    .await;
    let id = created.appointment_id.unwrap();
    let _: types::ExternalPartnerAppointment = conforms(
        "get_appointment",
        api.get(&format!("/appointments/{id}/0")).await,
        200,
    )
    .await;
    let valuations: types::ExternalPartnerAppointmentPagedResponse = conforms(
        "list_valuations",
        api.get("/appointments/valuations").await,
        200,
    )
    .await;
    assert_eq!(valuations.items.unwrap().len(), 1);
    let _: types::ProblemDetails = conforms("not found", api.get("/contacts/1").await, 404).await;
}
