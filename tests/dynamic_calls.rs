//! Calls by operation id with JSON in and out (`AgencyClient::send_json`, `send_json_pages`):
//! the request each one sends (token, `AgencyRef`, path, query, body, wire content type), paging
//! in the operation's own casing, typed errors, retries by method, and what is refused before
//! anything is sent.
//!
//! Every test talks to its own [`support::MockAlto`]; nothing reaches the network.

mod support;

use alto::{AgencyClient, AgencyRef, AltoError, Environment};
use serde_json::json;
use support::{MockAlto, Reply};

fn sandbox(mock: &MockAlto) -> AgencyClient {
    mock.client(Environment::Sandbox)
        .agency(Environment::Sandbox, None, "Sandbox Lettings")
        .expect("sandbox agency")
}

#[tokio::test]
async fn a_get_by_id_fills_the_path_sends_the_query_and_the_agency_ref() {
    let mock = MockAlto::start();
    mock.on(
        "GET /tenancies/42/tenantIds",
        Reply::json(200, json!({"items": [{"tenantId": 7, "contactId": 8}]})),
    );
    let agency = mock
        .client(Environment::Production)
        .agency(
            Environment::Production,
            Some(AgencyRef::parse("4e0f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7").unwrap()),
            "Acme",
        )
        .unwrap();

    let answer = agency
        .send_json(
            "get_tenant_ids",
            &[("tenancyId", "42")],
            &[("include", "a"), ("include", "b")],
            None,
        )
        .await
        .unwrap();

    assert_eq!(answer, json!({"items": [{"tenantId": 7, "contactId": 8}]}));
    let sent = mock.api_requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].route(), "GET /tenancies/42/tenantIds");
    assert_eq!(
        sent[0].query,
        vec![
            ("include".into(), "a".into()),
            ("include".into(), "b".into())
        ]
    );
    assert_eq!(
        sent[0].header("authorization"),
        Some("Bearer access-token-1")
    );
    assert_eq!(
        sent[0].header("agencyref"),
        Some("4e0f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7")
    );
}

#[tokio::test]
async fn a_json_patch_goes_with_its_wire_content_type_and_an_empty_answer_is_null() {
    let mock = MockAlto::start();
    mock.on("PATCH /contacts/5", Reply::status(204));
    let agency = sandbox(&mock);
    let patch = json!([{"op": "replace", "path": "/notes", "value": "Called"}]);

    let answer = agency
        .send_json("update_contact", &[("contactId", "5")], &[], Some(&patch))
        .await
        .unwrap();

    assert_eq!(answer, serde_json::Value::Null);
    let sent = mock.api_requests();
    assert_eq!(
        sent[0].header("content-type"),
        Some("application/json-patch+json")
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&sent[0].body).unwrap(),
        patch
    );
    assert_eq!(sent[0].header("agencyref"), None, "sandbox sends none");
}

#[tokio::test]
async fn pages_are_followed_in_the_operations_own_casing() {
    let mock = MockAlto::start();
    mock.enqueue(
        "GET /branches",
        [
            Reply::json(
                200,
                json!({"items": [{"branchId": "1"}], "meta": {"nextToken": "p2"}}),
            ),
            Reply::json(200, json!({"items": [{"branchId": "2"}], "meta": {}})),
        ],
    );
    let agency = sandbox(&mock);

    let branches = agency
        .send_json_pages("list_branches", &[], &[])
        .await
        .unwrap();

    assert_eq!(
        branches,
        vec![json!({"branchId": "1"}), json!({"branchId": "2"})]
    );
    let sent = mock.api_requests();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].query_param("max-results"), Some("100"));
    assert_eq!(sent[0].query_param("next-token"), None);
    assert_eq!(sent[1].query_param("next-token"), Some("p2"));

    let mock = MockAlto::start();
    mock.on(
        "GET /ReferenceChecks",
        Reply::json(200, json!({"items": [], "meta": {}})),
    );
    sandbox(&mock)
        .send_json_pages("get_reference_checks", &[], &[("MaxResults", "5")])
        .await
        .unwrap();
    let sent = mock.api_requests();
    assert_eq!(
        sent[0].query_names(),
        vec!["MaxResults"],
        "the caller's size kept"
    );
}

#[tokio::test]
async fn errors_are_typed_and_a_post_is_not_resent() {
    let mock = MockAlto::start();
    mock.on("GET /contacts/9", Reply::status(404));
    mock.on(
        "POST /contacts",
        Reply::status(409).header("location", "/contacts/77"),
    );
    mock.on("POST /appointments/viewings", Reply::status(503));
    mock.on("GET /branches/3", Reply::status(503));
    let agency = sandbox(&mock);

    let missing = agency
        .send_json("get_contact", &[("contactId", "9")], &[], None)
        .await
        .unwrap_err();
    assert!(matches!(missing, AltoError::NotFound { .. }), "{missing:?}");

    let duplicate = agency
        .send_json("create_contact", &[], &[], Some(&json!({"branchId": "1"})))
        .await
        .unwrap_err();
    assert_eq!(duplicate.existing_ids(), vec!["77"]);

    let before = mock.api_requests().len();
    let failed = agency
        .send_json("create_viewing", &[], &[], Some(&json!({})))
        .await
        .unwrap_err();
    assert!(
        matches!(failed, AltoError::Server { retried: false, .. }),
        "{failed:?}"
    );
    assert_eq!(mock.api_requests().len(), before + 1, "a POST is sent once");

    let before = mock.api_requests().len();
    let failed = agency
        .send_json("get_branch", &[("branchId", "3")], &[], None)
        .await
        .unwrap_err();
    assert!(
        matches!(failed, AltoError::Server { retried: true, .. }),
        "{failed:?}"
    );
    assert_eq!(mock.api_requests().len(), before + 4, "a GET is retried");
}

#[tokio::test]
async fn bad_calls_are_refused_before_sending() {
    let mock = MockAlto::start();
    let agency = sandbox(&mock);
    let body = json!({});
    let refusals = [
        agency.send_json("no_such_operation", &[], &[], None).await,
        agency.send_json("upload_document", &[], &[], None).await,
        agency
            .send_json("list_branches", &[], &[], Some(&body))
            .await,
        agency.send_json("get_contact", &[], &[], None).await,
        agency
            .send_json("get_contact", &[("contactId", "1"), ("x", "2")], &[], None)
            .await,
        agency
            .send_json_pages("get_contact", &[("contactId", "1")], &[])
            .await
            .map(serde_json::Value::from),
    ];
    for refused in refusals {
        assert!(
            matches!(refused, Err(AltoError::InvalidRequest { .. })),
            "{refused:?}"
        );
    }
    assert_eq!(mock.api_requests().len(), 0, "nothing was sent");
}
