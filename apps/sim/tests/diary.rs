//! The diary as Alto keeps it: UK local wall-clock times, JSON Patch reschedules of
//! viewings and general appointments, and the group's appointment sub-types.

mod common;

use alto_sim::Simulator;
use common::{declared_error, Api};
use reqwest::Method;
use serde_json::{json, Value};

async fn patch(api: &Api, path: &str, body: &Value) -> reqwest::Response {
    api.request(Method::PATCH, path)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn appointment(api: &Api, id: i64) -> Value {
    api.get(&format!("/appointments/{id}/0"))
        .await
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn diary_times_are_uk_local_and_patches_replace_them() {
    let sim = Simulator::builder().start().await.unwrap();
    let api = Api::new(&sim, None).await;
    let owner = api.contact("Vera", "Viewing", "vera@example.co.uk").await;
    let property = api.property("21", owner).await;
    let negotiator = api.negotiator().await;
    // Sent as UTC in summer: the diary holds 10:00 (BST) and answers its digits.
    let viewing = json!({"propertyId": property, "applicantIds": [owner], "negotiatorId": negotiator,
        "startDate": "2026-07-01T09:00:00Z", "endDate": "2026-07-01T09:30:00Z"});
    let r = api.post_json("/appointments/viewings", &viewing).await;
    assert_eq!(r.status(), 200);
    let id = r.json::<Value>().await.unwrap()["appointmentId"]
        .as_i64()
        .unwrap();
    let got = appointment(&api, id).await;
    assert_eq!(got["startDate"], "2026-07-01T10:00:00Z");
    assert_eq!(got["instanceId"], 0);

    // A plain local value is taken as it is; one with an offset is converted.
    let moved = json!([
        {"op": "replace", "path": "/startDate", "value": "2026-10-26T10:00:00"},
        {"op": "replace", "path": "/endDate", "value": "2026-10-26T11:30:00+01:00"},
        {"op": "replace", "path": "/internalNotes", "value": "Keys at office"}
    ]);
    let r = patch(&api, &format!("/appointments/viewings/{id}"), &moved).await;
    assert_eq!(r.status(), 200);
    let got = appointment(&api, id).await;
    assert_eq!(got["startDate"], "2026-10-26T10:00:00Z");
    assert_eq!(got["endDate"], "2026-10-26T10:30:00Z", "10:30 GMT");
    assert_eq!(got["viewingDetails"]["internalNotes"], "Keys at office");

    // The end must come after the start; nothing changes when it does not.
    let r = patch(
        &api,
        &format!("/appointments/viewings/{id}"),
        &json!([{"op": "replace", "path": "/endDate", "value": "2026-10-26T09:00:00"}]),
    )
    .await;
    assert_eq!(r.status(), 400);
    assert!(declared_error(r).await.names("endDate"));

    // Only `replace`, only the paths the spec lists for the kind, only existing appointments.
    let r = patch(
        &api,
        &format!("/appointments/viewings/{id}"),
        &json!([{"op": "remove", "path": "/negotiatorIds", "value": "1"}]),
    )
    .await;
    assert_eq!(r.status(), 400);
    let p = declared_error(r).await;
    assert!(p.names("[0].op"), "{p:?}");
    assert!(p.names("[0].path"), "{p:?}");
    let r = patch(
        &api,
        &format!("/appointments/general/{id}"),
        &json!([{"op": "replace", "path": "/startDate", "value": "2026-10-26T09:00:00"}]),
    )
    .await;
    assert_eq!(r.status(), 404, "a viewing is not a general appointment");

    // Cancelling through /status shows as cancelled.
    let r = patch(
        &api,
        &format!("/appointments/viewings/{id}"),
        &json!([{"op": "replace", "path": "/status", "value": "CancelledByApplicant"}]),
    )
    .await;
    assert_eq!(r.status(), 200);
    let got = appointment(&api, id).await;
    assert_eq!(got["status"], "CancelledByApplicant");
    assert_eq!(got["isCancelled"], true);
}

#[tokio::test]
async fn general_appointments_need_a_known_sub_type_and_negotiators_can_be_replaced() {
    let sim = Simulator::builder().start().await.unwrap();
    let api = Api::new(&sim, None).await;
    let types: Vec<Value> = api
        .get("/parameters/appointment-subtypes")
        .await
        .json()
        .await
        .unwrap();
    assert!(types
        .iter()
        .any(|t| t["id"] == 1 && t["displayName"] == "Meeting"));
    let negotiator = api.negotiator().await;
    let general = |sub_type: i64| {
        json!({"negotiatorIds": [negotiator], "subTypeId": sub_type,
            "startDate": "2026-12-01T10:00:00Z", "endDate": "2026-12-01T11:00:00Z"})
    };
    let r = api.post_json("/appointments/general", &general(999)).await;
    assert_eq!(r.status(), 400);
    assert!(declared_error(r).await.names("subTypeId"));
    let r = api.post_json("/appointments/general", &general(1)).await;
    assert_eq!(r.status(), 200);
    let id = r.json::<Value>().await.unwrap()["appointmentId"]
        .as_i64()
        .unwrap();
    let r = patch(
        &api,
        &format!("/appointments/general/{id}"),
        &json!([{"op": "replace", "path": "/negotiatorIds", "value": [negotiator, 1]}]),
    )
    .await;
    assert_eq!(r.status(), 400, "negotiator 1 does not exist");
    let r = patch(
        &api,
        &format!("/appointments/general/{id}"),
        &json!([{"op": "replace", "path": "/notes", "value": "x"}]),
    )
    .await;
    assert_eq!(r.status(), 400, "/notes is a viewing path only");
}
