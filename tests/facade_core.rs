//! The facade core over real HTTP on loopback: tokens, environments and
//! the AgencyRef rule, typed errors, safe retries, paging in every casing, the request shapes
//! sent, and secrets kept out of `Debug` (the TRACE-log check is `tests/trace_logs.rs`).
//!
//! Every test talks to its own [`support::MockAlto`]; nothing reaches the network.

mod support;

use std::time::Duration;

use alto::agency::DirectoryError;
use alto::paging::paginate;
use alto::raw::{types, ResponseValue};
use alto::{
    AgencyClient, AgencyDirectory, AgencyRecord, AgencyRef, AltoClient, AltoError, ConfigError,
    Credentials, Environment, TokenError,
};
use futures::future::BoxFuture;
use futures::TryStreamExt;
use serde_json::json;
use support::{fast_retries, list_reference_checks, MockAlto, Reply, CLIENT_ID, CLIENT_SECRET};

const REFERENCE_CHECKS: &str = "GET /ReferenceChecks";

fn empty_page() -> Reply {
    Reply::json(200, json!({"items": [], "meta": {}}))
}

/// The smallest contact Alto accepts: a branch and one person with a surname.
fn new_contact() -> types::PostContactRequest {
    serde_json::from_value(json!({
        "branchId": "1",
        "people": [{"surname": "Smith", "forename": "Ann"}],
    }))
    .expect("a valid PostContactRequest")
}

async fn create_contact(agency: &AgencyClient) -> Result<types::ContactDetails, AltoError> {
    agency
        .send(
            "create_contact",
            agency.raw().create_contact().body(new_contact()).send(),
        )
        .await
        .map(ResponseValue::into_inner)
}

fn sandbox(mock: &MockAlto) -> AgencyClient {
    mock.client(Environment::Sandbox)
        .agency(Environment::Sandbox, None, "Sandbox Lettings")
        .expect("sandbox agency")
}

/// A sandbox agency whose client makes `attempts` attempts with 1 ms delays.
fn sandbox_with_retries(mock: &MockAlto, attempts: usize) -> AgencyClient {
    mock.builder(Environment::Sandbox)
        .retry(fast_retries(attempts))
        .build()
        .expect("client")
        .agency(Environment::Sandbox, None, "Sandbox Lettings")
        .expect("sandbox agency")
}

fn bearer(n: usize) -> String {
    format!("Bearer access-token-{n}")
}

// ---- tokens ------------------------------------------------------------------------------------

#[tokio::test]
async fn a_token_is_fetched_once_and_reused() {
    let mock = MockAlto::start();
    mock.on(REFERENCE_CHECKS, empty_page());
    let client = mock.client(Environment::Sandbox);
    let agency = client
        .agency(Environment::Sandbox, None, "Sandbox Lettings")
        .unwrap();

    list_reference_checks(&agency).await.unwrap();
    list_reference_checks(&agency).await.unwrap();

    assert_eq!(mock.token_requests(), 1);
    let api = mock.api_requests();
    assert_eq!(api.len(), 2);
    for request in &api {
        assert_eq!(request.header("authorization"), Some(bearer(1).as_str()));
    }
    let source = client.token_source(Environment::Sandbox).unwrap();
    assert_eq!(source.fetch_count(), 1);
}

#[tokio::test]
async fn a_token_is_refreshed_once_it_nears_expiry() {
    let mock = MockAlto::start();
    mock.on(REFERENCE_CHECKS, empty_page());
    // A 2 s token with the default 60 s margin: the margin is capped at half the lifetime, so
    // the token is stale after 1 s.
    mock.set_token_lifetime(2);
    let agency = sandbox(&mock);

    list_reference_checks(&agency).await.unwrap();
    assert_eq!(mock.token_requests(), 1);

    mock.set_token_lifetime(3600);
    tokio::time::sleep(Duration::from_millis(1200)).await; // let the first token go stale
    list_reference_checks(&agency).await.unwrap();
    list_reference_checks(&agency).await.unwrap();

    assert_eq!(mock.token_requests(), 2);
    let used: Vec<_> = mock
        .api_requests()
        .iter()
        .map(|r| r.header("authorization").unwrap().to_string())
        .collect();
    assert_eq!(used, vec![bearer(1), bearer(2), bearer(2)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_concurrent_calls_on_a_cold_cache_make_one_token_request() {
    let mock = MockAlto::start();
    mock.on(REFERENCE_CHECKS, empty_page());
    // A slow token endpoint keeps the cache cold while all the calls pile up behind it.
    mock.set_token_delay(Duration::from_millis(50));
    let agency = sandbox(&mock);

    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..1000 {
        let agency = agency.clone();
        calls.spawn(async move { list_reference_checks(&agency).await });
    }
    let results = calls.join_all().await;

    assert!(results.iter().all(Result::is_ok), "every call succeeds");
    assert_eq!(mock.token_requests(), 1);
    let api = mock.api_requests();
    assert_eq!(api.len(), 1000);
    assert!(api
        .iter()
        .all(|r| r.header("authorization") == Some(bearer(1).as_str())));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_concurrent_401s_make_one_refresh() {
    let mock = MockAlto::start();
    mock.on(REFERENCE_CHECKS, empty_page());
    let agency = sandbox(&mock);
    agency.authenticate().await.unwrap();
    mock.revoke_token("access-token-1");
    mock.set_token_delay(Duration::from_millis(50));

    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..200 {
        let agency = agency.clone();
        calls.spawn(async move { list_reference_checks(&agency).await });
    }
    let results = calls.join_all().await;

    assert!(results.iter().all(Result::is_ok), "every call succeeds");
    assert_eq!(mock.token_requests(), 2, "the first token and one refresh");
}

#[tokio::test]
async fn a_401_refreshes_the_token_once_and_the_retry_succeeds() {
    let mock = MockAlto::start();
    mock.on(REFERENCE_CHECKS, empty_page());
    mock.revoke_token("access-token-1");
    let agency = sandbox(&mock);

    list_reference_checks(&agency).await.unwrap();

    assert_eq!(mock.token_requests(), 2);
    let used: Vec<_> = mock
        .api_requests()
        .iter()
        .map(|r| r.header("authorization").unwrap().to_string())
        .collect();
    assert_eq!(used, vec![bearer(1), bearer(2)]);
}

#[tokio::test]
async fn a_second_401_is_unauthorized_after_exactly_one_refresh() {
    let mock = MockAlto::start();
    mock.on(REFERENCE_CHECKS, empty_page());
    mock.reject_all_tokens();
    let agency = sandbox(&mock);

    let error = list_reference_checks(&agency).await.unwrap_err();

    assert!(
        matches!(&error, AltoError::Unauthorized { operation } if operation == "get_reference_checks"),
        "{error:?}"
    );
    assert_eq!(error.status(), Some(401));
    assert_eq!(mock.token_requests(), 2);
    assert_eq!(mock.api_requests().len(), 2);
}

// ---- token endpoint failures are typed -----------------------------------------------------------

#[tokio::test]
async fn refused_credentials_are_bad_credentials() {
    let mock = MockAlto::start();
    mock.on(REFERENCE_CHECKS, empty_page());
    let client = AltoClient::builder()
        .environment(
            Environment::Sandbox,
            mock.endpoints(),
            Credentials::new(CLIENT_ID, "not-the-secret"),
        )
        .build()
        .unwrap();
    let agency = client.agency(Environment::Sandbox, None, "x").unwrap();

    let error = list_reference_checks(&agency).await.unwrap_err();

    match &error {
        AltoError::Token(TokenError::BadCredentials {
            client_id,
            status,
            oauth_error,
        }) => {
            assert_eq!(client_id, CLIENT_ID);
            assert_eq!(*status, 401);
            assert_eq!(oauth_error.as_deref(), Some("invalid_client"));
        }
        other => panic!("expected BadCredentials, got {other:?}"),
    }
    assert!(!error.to_string().contains("not-the-secret"));
    assert_eq!(mock.api_requests().len(), 0, "no API call without a token");
}

#[tokio::test]
async fn an_unreachable_token_endpoint_is_unreachable() {
    // A port that was free a moment ago: connecting to it is refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let client = AltoClient::builder()
        .environment(
            Environment::Sandbox,
            alto::Endpoints::custom(&url, format!("{url}/token")).unwrap(),
            Credentials::new(CLIENT_ID, CLIENT_SECRET),
        )
        .retry(fast_retries(2))
        .build()
        .unwrap();
    let agency = client.agency(Environment::Sandbox, None, "x").unwrap();

    let error = agency.authenticate().await.unwrap_err();
    assert!(
        matches!(&error, AltoError::Token(TokenError::Unreachable { url: u, .. }) if *u == format!("{url}/token")),
        "{error:?}"
    );
    let error = list_reference_checks(&agency).await.unwrap_err();
    assert!(
        matches!(error, AltoError::Token(TokenError::Unreachable { .. })),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_token_answer_without_a_token_is_malformed() {
    let mock = MockAlto::start();
    mock.enqueue_token([Reply::json(200, json!({"foo": 1}))]);
    let agency = sandbox(&mock);

    let error = agency.authenticate().await.unwrap_err();

    assert!(
        matches!(
            &error,
            AltoError::Token(TokenError::Malformed { status: 200, .. })
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_failing_token_endpoint_is_retried_and_then_unavailable() {
    let mock = MockAlto::start();
    mock.enqueue_token([Reply::status(503), Reply::status(503)]);
    let agency = sandbox_with_retries(&mock, 2);

    let error = agency.authenticate().await.unwrap_err();
    assert_eq!(
        mock.token_requests(),
        2,
        "both attempts of the policy were spent"
    );

    assert!(
        matches!(
            &error,
            AltoError::Token(TokenError::Unavailable { status: 503, .. })
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_token_request_that_fails_in_passing_is_retried() {
    let mock = MockAlto::start();
    mock.enqueue_token([Reply::status(503), Reply::status(429)]);
    let agency = sandbox_with_retries(&mock, 3);

    agency
        .authenticate()
        .await
        .expect("the third token request succeeds");
    assert_eq!(mock.token_requests(), 3);
}

#[tokio::test]
async fn refused_credentials_are_not_retried() {
    let mock = MockAlto::start();
    mock.enqueue_token([Reply::status(401)]);
    let agency = sandbox_with_retries(&mock, 3);

    let error = agency.authenticate().await.unwrap_err();
    assert!(
        matches!(error, AltoError::Token(TokenError::BadCredentials { .. })),
        "{error:?}"
    );
    assert_eq!(mock.token_requests(), 1);
}

// ---- environments and the AgencyRef rule -------------------------------------------------------

struct Directory(Vec<AgencyRecord>);

impl AgencyDirectory for Directory {
    fn find_agency<'a>(
        &'a self,
        internal_id: &'a str,
    ) -> BoxFuture<'a, Result<Option<AgencyRecord>, DirectoryError>> {
        Box::pin(async move {
            if internal_id == "broken" {
                return Err("database is down".into());
            }
            Ok(self
                .0
                .iter()
                .find(|r| r.internal_id == internal_id)
                .cloned())
        })
    }
}

#[tokio::test]
async fn a_production_agency_without_agency_ref_fails_before_any_request() {
    let mock = MockAlto::start();
    mock.on(REFERENCE_CHECKS, empty_page());
    let client = mock.client(Environment::Production);

    let error = client
        .agency(Environment::Production, None, "Acme Lettings")
        .unwrap_err();
    assert!(
        matches!(&error, AltoError::Config(ConfigError::MissingAgencyRef { agency }) if agency == "Acme Lettings"),
        "{error:?}"
    );
    assert!(error.to_string().contains("Alto Settings"), "{error}");

    let error = client.default_agency(None).unwrap_err();
    assert!(
        matches!(
            error,
            AltoError::Config(ConfigError::MissingAgencyRef { .. })
        ),
        "{error:?}"
    );

    let directory = Directory(vec![AgencyRecord {
        internal_id: "agency-7".into(),
        display_name: "Acme Lettings".into(),
        environment: Environment::Production,
        agency_ref: None,
    }]);
    let error = client
        .resolve_agency(&directory, "agency-7")
        .await
        .unwrap_err();
    assert!(
        matches!(&error, AltoError::Config(ConfigError::MissingAgencyRef { agency }) if agency.contains("Acme Lettings") && agency.contains("agency-7")),
        "{error:?}"
    );
    let error = client.resolve_agency(&directory, "nope").await.unwrap_err();
    assert!(
        matches!(&error, AltoError::Config(ConfigError::UnknownAgency(id)) if id == "nope"),
        "{error:?}"
    );
    let error = client
        .resolve_agency(&directory, "broken")
        .await
        .unwrap_err();
    assert!(
        matches!(&error, AltoError::Config(ConfigError::Directory(why)) if why.contains("database is down")),
        "{error:?}"
    );

    assert_eq!(mock.request_count(), 0, "nothing reached the server");
}

#[tokio::test]
async fn a_resolved_production_agency_sends_its_agency_ref() {
    let mock = MockAlto::start();
    mock.on(REFERENCE_CHECKS, empty_page());
    let client = mock.client(Environment::Production);
    let directory = Directory(vec![AgencyRecord {
        internal_id: "agency-8".into(),
        display_name: "Best Homes".into(),
        environment: Environment::Production,
        agency_ref: Some(AgencyRef::parse("5b9062eb-ea5b-5a4c-9b2e-e683c2f2086f").unwrap()),
    }]);

    let agency = client.resolve_agency(&directory, "agency-8").await.unwrap();
    list_reference_checks(&agency).await.unwrap();

    let api = mock.api_requests();
    assert_eq!(api.len(), 1);
    assert_eq!(
        api[0].header("agencyref"),
        Some("5b9062eb-ea5b-5a4c-9b2e-e683c2f2086f")
    );
}

#[tokio::test]
async fn sandbox_never_sends_agency_ref_and_production_always_does() {
    let mock = MockAlto::start();
    mock.on(REFERENCE_CHECKS, empty_page());
    // One process serving agencies of both environments (here both at the same mock).
    let client = AltoClient::builder()
        .environment(
            Environment::Sandbox,
            mock.endpoints(),
            Credentials::new(CLIENT_ID, CLIENT_SECRET),
        )
        .environment(
            Environment::Production,
            mock.endpoints(),
            Credentials::new(CLIENT_ID, CLIENT_SECRET),
        )
        .build()
        .unwrap();
    let agency_ref = AgencyRef::parse("3de66524-cb50-5e76-aba2-e4048ba50687").unwrap();
    let in_sandbox = client
        .agency(Environment::Sandbox, Some(agency_ref.clone()), "Acme")
        .unwrap();
    let in_production = client
        .agency(Environment::Production, Some(agency_ref), "Acme")
        .unwrap();
    assert_eq!(in_sandbox.agency_ref(), None);

    list_reference_checks(&in_sandbox).await.unwrap();
    list_reference_checks(&in_production).await.unwrap();

    let api = mock.api_requests();
    assert_eq!(api.len(), 2);
    assert_eq!(api[0].header("agencyref"), None, "sandbox: no AgencyRef");
    assert_eq!(
        api[1].header("agencyref"),
        Some("3de66524-cb50-5e76-aba2-e4048ba50687")
    );
    // Each environment has its own credentials, so its own token.
    assert_eq!(mock.token_requests(), 2);
}

// ---- typed errors ------------------------------------------------------------------------------

#[tokio::test]
async fn a_409_is_a_duplicate_naming_the_existing_contact() {
    let mock = MockAlto::start();
    mock.on(
        "POST /contacts",
        Reply::json(409, json!({"title": "Contact already exists"}))
            .header("Location", "/contacts/123"),
    );
    let agency = sandbox(&mock);

    let error = create_contact(&agency).await.unwrap_err();

    assert!(
        matches!(&error, AltoError::Duplicate { operation, .. } if operation == "create_contact"),
        "{error:?}"
    );
    assert_eq!(error.existing_ids(), vec!["123"]);
    assert!(error.to_string().contains("123"), "{error}");
    let api = mock.api_requests();
    assert_eq!(api.len(), 1);
    let sent: serde_json::Value = serde_json::from_str(&api[0].body).unwrap();
    assert_eq!(sent["people"][0]["surname"], "Smith");
}

/// `create_or_existing` resolves a 409 to the existing contact through `Location`, whichever
/// error body the answer carries (Alto's `ErrorsResponse`, a ProblemDetails, or none).
#[tokio::test]
async fn create_or_existing_follows_the_409_location_whatever_the_body() {
    let bodies = [
        Reply::json(
            409,
            json!({"errors": [{"code": "Conflict", "message": "Contact 123 already exists"}]}),
        ),
        Reply::json(
            409,
            json!({"type": "https://tools.ietf.org/html/rfc9110#section-15.5.10",
                   "title": "Conflict", "status": 409, "detail": "Contact 123 already exists"}),
        ),
        Reply::status(409),
    ];
    for reply in bodies {
        let mock = MockAlto::start();
        mock.on(
            "POST /contacts",
            reply.header("Location", "https://api.alto.example/contacts/123"),
        );
        let agency = sandbox(&mock);
        let contact = alto::contacts::NewContact::new(
            alto::ids::BranchId::new(1),
            alto::contacts::NewPerson::new("Smith").forename("Ann"),
        );

        let (id, created) = agency
            .contacts()
            .create_or_existing(&contact)
            .await
            .unwrap();

        assert_eq!((id, created), (alto::ids::ContactId::new(123), false));
        assert_eq!(mock.api_requests().len(), 1, "the 409 is not retried");
    }
}

#[tokio::test]
async fn a_409_with_several_locations_names_them_all() {
    let mock = MockAlto::start();
    mock.on(
        "POST /contacts",
        Reply::status(409)
            .header("Location", "https://api.alto.example/contacts/123")
            .header("Location", "/contacts/456"),
    );
    let agency = sandbox(&mock);

    let error = create_contact(&agency).await.unwrap_err();

    assert_eq!(error.existing_ids(), vec!["123", "456"]);
}

// ---- retries -----------------------------------------------------------------------------------

#[tokio::test]
async fn a_get_is_retried_after_two_503s() {
    let mock = MockAlto::start();
    mock.enqueue(REFERENCE_CHECKS, [Reply::status(503), Reply::status(503)]);
    mock.on(
        REFERENCE_CHECKS,
        Reply::json(200, json!({"items": [{"tenancyId": 7}], "meta": {}})),
    );
    let agency = sandbox(&mock);

    let page = list_reference_checks(&agency).await.unwrap();

    assert_eq!(page.items.unwrap()[0].tenancy_id, Some(7));
    let api = mock.api_requests();
    assert_eq!(api.len(), 3);
    assert!(api.iter().all(|r| r.route() == REFERENCE_CHECKS));
    assert_eq!(mock.token_requests(), 1);
}

#[tokio::test]
async fn a_get_that_keeps_failing_gives_up_after_the_attempt_budget() {
    let mock = MockAlto::start();
    mock.on(REFERENCE_CHECKS, Reply::status(502));
    let agency = sandbox(&mock); // 4 attempts

    let error = list_reference_checks(&agency).await.unwrap_err();

    assert!(
        matches!(
            error,
            AltoError::Server {
                status: 502,
                retried: true,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(mock.api_requests().len(), 4);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let mock = MockAlto::start();
    mock.enqueue(
        REFERENCE_CHECKS,
        [Reply::status(503).header("Retry-After", "1")],
    );
    mock.on(REFERENCE_CHECKS, empty_page());
    let agency = sandbox(&mock); // backoff of 1 ms unless the server says otherwise

    list_reference_checks(&agency).await.unwrap();

    let api = mock.api_requests();
    assert_eq!(api.len(), 2);
    let gap = api[1].at - api[0].at;
    assert!(
        gap >= Duration::from_millis(950),
        "the retry came {gap:?} after the 503, before its Retry-After of 1 s"
    );
}

#[tokio::test]
async fn a_post_is_not_retried_after_a_503() {
    let mock = MockAlto::start();
    mock.on("POST /contacts", Reply::status(503));
    let agency = sandbox(&mock);

    let error = create_contact(&agency).await.unwrap_err();

    assert!(
        matches!(
            &error,
            AltoError::Server {
                status: 503,
                retried: false,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("not retried"), "{error}");
    assert_eq!(mock.api_requests().len(), 1);
}

#[tokio::test]
async fn a_patch_is_not_retried_after_a_503() {
    let mock = MockAlto::start();
    mock.on("PATCH /contacts/123", Reply::status(503));
    let agency = sandbox(&mock);

    let error = agency
        .send(
            "update_contact",
            agency
                .raw()
                .update_contact()
                .contact_id(123)
                .body(landlord_patch())
                .send(),
        )
        .await
        .unwrap_err();

    assert!(
        matches!(error, AltoError::Server { retried: false, .. }),
        "{error:?}"
    );
    assert_eq!(mock.api_requests().len(), 1);
}

#[tokio::test]
async fn a_reference_check_status_update_is_resent_after_a_503_because_it_sets_an_absolute_value() {
    let mock = MockAlto::start();
    let check = uuid::Uuid::from_u128(7);
    let route = format!("PATCH /ReferenceChecks/{check}");
    mock.enqueue(&route, [Reply::status(503), Reply::status(503)])
        .on(&route, Reply::status(202));
    let agency = sandbox_with_retries(&mock, 3);

    agency
        .reference_checks()
        .set_status(
            check,
            alto::reference_checks::ReferenceCheckStatus::Completed,
        )
        .await
        .expect("the third attempt is answered 202");

    let sent = mock.api_requests();
    assert_eq!(sent.len(), 3);
    assert!(
        sent.iter().all(|r| r.body == sent[0].body),
        "the same body each time"
    );
}

#[tokio::test]
async fn a_get_that_times_out_is_retried_and_then_a_typed_timeout() {
    let mock = MockAlto::start();
    mock.on(REFERENCE_CHECKS, empty_page().delay(Duration::from_secs(5)));
    let client = mock
        .builder(Environment::Sandbox)
        .timeout(Duration::from_millis(200))
        .retry(support::fast_retries(2))
        .build()
        .unwrap();
    let agency = client.agency(Environment::Sandbox, None, "x").unwrap();

    let error = list_reference_checks(&agency).await.unwrap_err();

    assert!(
        matches!(&error, AltoError::Timeout { operation } if operation == "get_reference_checks"),
        "{error:?}"
    );
    assert_eq!(mock.api_requests().len(), 2);
}

#[tokio::test]
async fn a_post_that_times_out_is_not_sent_again() {
    let mock = MockAlto::start();
    mock.on(
        "POST /contacts",
        Reply::json(201, json!({"id": "1"})).delay(Duration::from_secs(5)),
    );
    let client = mock
        .builder(Environment::Sandbox)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let agency = client.agency(Environment::Sandbox, None, "x").unwrap();

    let error = create_contact(&agency).await.unwrap_err();

    assert!(matches!(error, AltoError::Timeout { .. }), "{error:?}");
    assert_eq!(mock.api_requests().len(), 1);
}

// ---- paging in every casing ----------------------------------------------------------------------

/// Serves `pages` on a route, following the cursor in `cursor_param` (exact casing): page `i`
/// is answered to cursor `cursor-i`. An unknown cursor is a 400, so a wrong casing cannot pass.
fn serve_pages(
    mock: &MockAlto,
    route: &str,
    cursor_param: &'static str,
    pages: Vec<Vec<serde_json::Value>>,
    last_meta: serde_json::Value,
) {
    let count = pages.len();
    mock.on_fn(route, move |request| {
        let index = match request.query_param(cursor_param) {
            None => 0,
            Some(cursor) => match cursor.strip_prefix("cursor-").and_then(|n| n.parse().ok()) {
                Some(n) if n < count => n,
                _ => return Reply::json(400, json!({"title": "unknown cursor"})),
            },
        };
        let meta = if index + 1 < count {
            json!({"nextToken": format!("cursor-{}", index + 1)})
        } else {
            last_meta.clone()
        };
        Reply::json(200, json!({"items": pages[index], "meta": meta}))
    });
}

/// The query each page request carried, sorted.
fn sorted_queries(mock: &MockAlto) -> Vec<Vec<(String, String)>> {
    mock.api_requests()
        .into_iter()
        .map(|r| {
            let mut q = r.query;
            q.sort();
            q
        })
        .collect()
}

fn pair(name: &str, value: &str) -> (String, String) {
    (name.to_string(), value.to_string())
}

#[tokio::test]
async fn reference_checks_page_with_pascal_case_cursors() {
    let mock = MockAlto::start();
    let item = |n: i32| json!({"tenancyId": n});
    serve_pages(
        &mock,
        REFERENCE_CHECKS,
        "NextToken",
        vec![
            vec![item(1), item(2)],
            vec![item(3), item(4)],
            vec![item(5)],
        ],
        json!({}),
    );
    let agency = sandbox(&mock);
    let agency = &agency;

    let items: Vec<types::ReferenceCheckDto> = paginate(move |cursor: Option<String>| {
        let request = agency.raw().get_reference_checks().max_results(2);
        let request = match cursor {
            Some(cursor) => request.next_token(cursor),
            None => request,
        };
        async move {
            agency
                .send("get_reference_checks", request.send())
                .await
                .map(ResponseValue::into_inner)
        }
    })
    .try_collect()
    .await
    .unwrap();

    let ids: Vec<_> = items.iter().map(|i| i.tenancy_id.unwrap()).collect();
    assert_eq!(ids, vec![1, 2, 3, 4, 5]);
    assert_eq!(
        sorted_queries(&mock),
        vec![
            vec![pair("MaxResults", "2")],
            vec![pair("MaxResults", "2"), pair("NextToken", "cursor-1")],
            vec![pair("MaxResults", "2"), pair("NextToken", "cursor-2")],
        ]
    );
}

#[tokio::test]
async fn documents_page_with_camel_case_cursors() {
    let mock = MockAlto::start();
    let item = |n: i32| json!({"id": format!("doc-{n}")});
    serve_pages(
        &mock,
        "GET /documents",
        "nextToken",
        vec![
            vec![item(1), item(2)],
            vec![item(3)],
            vec![item(4), item(5)],
        ],
        json!({"nextToken": null}),
    );
    let agency = sandbox(&mock);
    let agency = &agency;

    let items: Vec<types::Document> = paginate(move |cursor: Option<String>| {
        let request = agency.raw().list_documents().max_results(2);
        let request = match cursor {
            Some(cursor) => request.next_token(cursor),
            None => request,
        };
        async move {
            agency
                .send("list_documents", request.send())
                .await
                .map(ResponseValue::into_inner)
        }
    })
    .try_collect()
    .await
    .unwrap();

    let ids: Vec<_> = items.iter().map(|i| i.id.clone().unwrap()).collect();
    assert_eq!(ids, vec!["doc-1", "doc-2", "doc-3", "doc-4", "doc-5"]);
    assert_eq!(
        sorted_queries(&mock),
        vec![
            vec![pair("maxResults", "2")],
            vec![pair("maxResults", "2"), pair("nextToken", "cursor-1")],
            vec![pair("maxResults", "2"), pair("nextToken", "cursor-2")],
        ]
    );
}

#[tokio::test]
async fn contacts_page_with_kebab_case_cursors() {
    let mock = MockAlto::start();
    let item = |n: i32| json!({"id": format!("c-{n}")});
    serve_pages(
        &mock,
        "GET /contacts/all",
        "next-token",
        vec![
            vec![item(1), item(2)],
            vec![item(3), item(4)],
            vec![],
            vec![item(5)],
        ],
        json!({"nextToken": ""}),
    );
    let agency = sandbox(&mock);
    let agency = &agency;

    let items: Vec<types::ContactListItem> = paginate(move |cursor: Option<String>| {
        let request = agency.raw().list_contacts().max_results(2);
        let request = match cursor {
            Some(cursor) => request.next_token(cursor),
            None => request,
        };
        async move {
            agency
                .send("list_contacts", request.send())
                .await
                .map(ResponseValue::into_inner)
        }
    })
    .try_collect()
    .await
    .unwrap();

    let ids: Vec<_> = items.iter().map(|i| i.id.clone().unwrap()).collect();
    assert_eq!(ids, vec!["c-1", "c-2", "c-3", "c-4", "c-5"]);
    assert_eq!(
        sorted_queries(&mock),
        vec![
            vec![pair("max-results", "2")],
            vec![pair("max-results", "2"), pair("next-token", "cursor-1")],
            vec![pair("max-results", "2"), pair("next-token", "cursor-2")],
            vec![pair("max-results", "2"), pair("next-token", "cursor-3")],
        ]
    );
}

#[tokio::test]
async fn a_failing_page_ends_the_stream_with_the_typed_error() {
    let mock = MockAlto::start();
    mock.enqueue(
        REFERENCE_CHECKS,
        [Reply::json(
            200,
            json!({"items": [{"tenancyId": 1}], "meta": {"nextToken": "cursor-1"}}),
        )],
    );
    mock.on(REFERENCE_CHECKS, Reply::status(404));
    let agency = sandbox(&mock);
    let agency = &agency;

    let mut seen = Vec::new();
    let mut stream = std::pin::pin!(paginate(move |cursor: Option<String>| {
        let request = agency.raw().get_reference_checks();
        let request = match cursor {
            Some(cursor) => request.next_token(cursor),
            None => request,
        };
        async move {
            agency
                .send("get_reference_checks", request.send())
                .await
                .map(ResponseValue::into_inner)
        }
    }));
    let error = loop {
        match stream.try_next().await {
            Ok(Some(item)) => seen.push(item.tenancy_id),
            Ok(None) => panic!("the stream ended without the error"),
            Err(error) => break error,
        }
    };
    assert_eq!(seen, vec![Some(1)]);
    assert!(matches!(error, AltoError::NotFound { .. }), "{error:?}");
}

// ---- request shapes (insta) ----------------------------------------------------------------------

type ContactPatch = types::PatchContactRequestJsonPatchDocument;

/// One JSON Patch operation, `replace /PotentialLandlord`, through the generated type (whose
/// `path` is an enum of the paths Alto lets a client patch).
fn landlord_patch() -> ContactPatch {
    serde_json::from_value(
        json!([{"op": "replace", "path": "/PotentialLandlord", "value": "true"}]),
    )
    .expect("a valid contact patch")
}

#[test]
fn a_json_patch_operation_survives_a_serde_round_trip() {
    let unknown_path = json!([{"op": "replace", "path": "/NotAField", "value": "x"}]);
    assert!(
        serde_json::from_value::<ContactPatch>(unknown_path).is_err(),
        "paths Alto does not patch are refused"
    );
    let operation = json!([{"op": "replace", "path": "/PotentialLandlord", "value": "true"}]);
    let patch: ContactPatch = serde_json::from_value(operation).unwrap();
    let wire = serde_json::to_string(&patch).unwrap();
    assert_eq!(
        wire,
        r#"[{"op":"replace","path":"/PotentialLandlord","value":"true"}]"#
    );
}

#[tokio::test]
async fn request_shapes() {
    let mock = MockAlto::start();
    mock.on(REFERENCE_CHECKS, empty_page());
    mock.on(
        "PATCH /contacts/123",
        Reply::json(200, json!({"id": "123"})),
    );
    let client = AltoClient::builder()
        .environment(
            Environment::Sandbox,
            mock.endpoints(),
            Credentials::new(CLIENT_ID, CLIENT_SECRET),
        )
        .environment(
            Environment::Production,
            mock.endpoints(),
            Credentials::new(CLIENT_ID, CLIENT_SECRET),
        )
        .build()
        .unwrap();
    let in_sandbox = client.agency(Environment::Sandbox, None, "Acme").unwrap();
    let in_production = client
        .agency(
            Environment::Production,
            Some(AgencyRef::parse("3de66524-cb50-5e76-aba2-e4048ba50687").unwrap()),
            "Acme",
        )
        .unwrap();

    in_sandbox
        .send(
            "get_reference_checks",
            in_sandbox
                .raw()
                .get_reference_checks()
                .max_results(25)
                .next_token("abc")
                .send(),
        )
        .await
        .unwrap();
    in_production
        .send(
            "get_reference_checks",
            in_production.raw().get_reference_checks().send(),
        )
        .await
        .unwrap();
    in_sandbox
        .send(
            "update_contact",
            in_sandbox
                .raw()
                .update_contact()
                .contact_id(123)
                .body(landlord_patch())
                .send(),
        )
        .await
        .unwrap();

    let tokens = mock.token_request_log();
    let api = mock.api_requests();
    assert_eq!((tokens.len(), api.len()), (2, 3));
    assert_eq!(
        api[2].header("content-type"),
        Some("application/json-patch+json")
    );
    assert!(api.iter().all(|r| r.header("api-version").is_none()));
    insta::assert_yaml_snapshot!("token_request", tokens[0].shape());
    insta::assert_yaml_snapshot!("sandbox_get", api[0].shape());
    insta::assert_yaml_snapshot!("production_get", api[1].shape());
    insta::assert_yaml_snapshot!("json_patch", api[2].shape());
}

// ---- secrets stay secret -----------------------------------------------------------------------

#[tokio::test]
async fn debug_output_holds_no_secret() {
    let mock = MockAlto::start();
    mock.on(REFERENCE_CHECKS, empty_page());
    let credentials = Credentials::new(CLIENT_ID, CLIENT_SECRET);
    let builder = mock.builder(Environment::Production);
    let builder_debug = format!("{builder:?}");
    let client = builder.build().unwrap();
    let agency = client
        .agency(
            Environment::Production,
            Some(AgencyRef::parse("3de66524-cb50-5e76-aba2-e4048ba50687").unwrap()),
            "Acme Lettings",
        )
        .unwrap();
    list_reference_checks(&agency).await.unwrap(); // a token is cached now
    let token = client
        .token_source(Environment::Production)
        .unwrap()
        .token()
        .await
        .unwrap();

    let outputs = [
        format!("{credentials:?}"),
        builder_debug,
        format!("{client:?}"),
        format!("{agency:?}"),
        format!("{:?}", agency.raw()),
        format!(
            "{:?}",
            client.token_source(Environment::Production).unwrap()
        ),
        format!("{token:?}"),
    ];
    for output in &outputs {
        assert!(!output.contains(CLIENT_SECRET), "{output}");
        assert!(!output.contains("access-token-1"), "{output}");
    }
    assert!(
        outputs[0].contains(CLIENT_ID),
        "the client id is not secret"
    );
    assert!(
        outputs[3].contains("3de66524-cb50-5e76-aba2-e4048ba50687"),
        "nor is the AgencyRef"
    );
}

// ---- multipart operations ----------------------------------------------------------------------

#[tokio::test]
async fn a_multipart_operation_is_sent_by_id_with_token_agency_ref_and_form() {
    let mock = MockAlto::start();
    mock.on(
        "POST /tenancies/42/charges",
        Reply::json(201, json!({"id": 7})),
    );
    let agency = mock
        .client(Environment::Production)
        .agency(
            Environment::Production,
            Some(AgencyRef::parse("3de66524-cb50-5e76-aba2-e4048ba50687").unwrap()),
            "Acme",
        )
        .unwrap();
    let form = alto::multipart::Form::new()
        .text("chargeType", "CheckInFee")
        .text("amount", "120.00");

    let body = agency
        .send_multipart("create_tenancy_charge", &[("tenancyId", "42")], form)
        .await
        .unwrap();

    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&body).unwrap(),
        json!({"id": 7})
    );
    let api = mock.api_requests();
    assert_eq!(api.len(), 1);
    let content_type = api[0].header("content-type").unwrap().to_string();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect("a multipart content type");
    let shape = serde_json::to_string(&api[0].shape())
        .unwrap()
        .replace(boundary, "[boundary]");
    let shape: serde_json::Value = serde_json::from_str(&shape).unwrap();
    insta::assert_yaml_snapshot!("multipart_charge", shape);
}

#[tokio::test]
async fn a_multipart_post_is_not_resent_and_bad_calls_are_refused_before_sending() {
    let mock = MockAlto::start();
    mock.on("POST /media-item", Reply::status(503));
    let agency = sandbox(&mock);
    let form = || alto::multipart::Form::new().text("request", "{}");

    let error = agency
        .send_multipart("create_media_item", &[], form())
        .await
        .unwrap_err();
    assert!(
        matches!(
            &error,
            AltoError::Server {
                status: 503,
                retried: false,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(mock.api_requests().len(), 1, "a POST is sent once");

    for (operation, params) in [
        ("create_contact", &[][..]),
        ("create_tenancy_charge", &[][..]),
        ("create_media_item", &[("mediaId", "1")][..]),
    ] {
        let refused = agency
            .send_multipart(operation, params, form())
            .await
            .unwrap_err();
        assert!(
            matches!(refused, AltoError::InvalidRequest { .. }),
            "{operation}: {refused:?}"
        );
    }
    assert_eq!(mock.api_requests().len(), 1, "nothing more was sent");
}
