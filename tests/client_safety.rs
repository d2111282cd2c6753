//! What the client refuses to do with an agency's credentials: follow a redirect to another
//! host, talk plain HTTP across the network, trust a token lifetime it cannot schedule; and
//! the typed 403 that names the AgencyRef and the scope, in both environments.

mod support;

use alto::raw::facts;
use alto::{AgencyRef, AltoError, ConfigError, Endpoints, Environment, TokenError};
use serde_json::json;
use support::{list_reference_checks, MockAlto, Reply};

const REFERENCE_CHECKS: &str = "GET /ReferenceChecks";
const AGENCY_REF: &str = "9b2f6c1e-4d7a-4e0b-8c3f-2a5d7e9f1b46";

fn empty_page() -> Reply {
    Reply::json(200, json!({ "items": [] }))
}

fn production(mock: &MockAlto) -> alto::AgencyClient {
    mock.client(Environment::Production)
        .agency(
            Environment::Production,
            Some(AgencyRef::parse(AGENCY_REF).unwrap()),
            "Acme Lettings",
        )
        .expect("production agency")
}

// ---- redirects ---------------------------------------------------------------------------------

#[tokio::test]
async fn an_api_redirect_is_not_followed_and_is_a_typed_error() {
    let mock = MockAlto::start();
    let elsewhere = MockAlto::start();
    elsewhere.on(REFERENCE_CHECKS, empty_page());
    let target = format!("{}/ReferenceChecks", elsewhere.url());
    for status in [301, 302, 307, 308] {
        mock.enqueue(
            REFERENCE_CHECKS,
            [Reply::status(status).header("location", &target)],
        );
        let error = list_reference_checks(&production(&mock)).await.unwrap_err();
        assert!(
            matches!(&error, AltoError::Redirected { status: s, location: Some(l), .. } if *s == status && *l == target),
            "{status}: {error:?}"
        );
        assert_eq!(error.status(), Some(status));
        assert!(error.to_string().contains("API URL"), "{error}");
    }
    assert_eq!(
        elsewhere.request_count(),
        0,
        "the AgencyRef never reached the host the redirect named"
    );
    assert_eq!(
        mock.api_requests().len(),
        4,
        "each redirect was not retried"
    );
}

#[tokio::test]
async fn a_token_endpoint_redirect_is_not_followed() {
    let mock = MockAlto::start();
    let elsewhere = MockAlto::start();
    let target = format!("{}/token", elsewhere.url());
    mock.enqueue_token([Reply::status(307).header("location", &target)]);
    let error = list_reference_checks(&production(&mock)).await.unwrap_err();
    assert!(
        matches!(&error, AltoError::Token(TokenError::Redirected { status: 307, location: Some(l), .. }) if *l == target),
        "{error:?}"
    );
    assert_eq!(
        elsewhere.request_count(),
        0,
        "the client secret stayed home"
    );
    assert_eq!(mock.token_requests(), 1, "a redirect is not retried");
}

// ---- plain HTTP ----------------------------------------------------------------------------------

#[test]
fn plain_http_is_refused_unless_the_host_is_loopback() {
    for (api, token) in [
        ("http://127.0.0.1:8787", "http://127.0.0.1:8787/token"),
        ("http://127.3.4.5:1", "http://127.3.4.5:1/token"),
        ("http://localhost:8787", "http://LOCALHOST:8787/token"),
        ("http://[::1]:8787", "http://[::1]:8787/token"),
        ("https://alto.example.com", "https://alto.example.com/token"),
    ] {
        assert!(Endpoints::custom(api, token).is_ok(), "{api} is allowed");
    }
    for (api, token, setting) in [
        (
            "http://alto.example.com",
            "https://alto.example.com/token",
            "API URL",
        ),
        (
            "https://alto.example.com",
            "http://alto.example.com/token",
            "token URL",
        ),
        (
            "http://10.0.0.7:8787",
            "http://10.0.0.7:8787/token",
            "API URL",
        ),
        (
            "http://localhost.example.com",
            "https://x.example.com/token",
            "API URL",
        ),
        ("http://[::2]:1", "https://x.example.com/token", "API URL"),
    ] {
        let error = Endpoints::custom(api, token).unwrap_err();
        assert!(
            matches!(&error, ConfigError::InsecureUrl { setting: s, .. } if *s == setting),
            "{api} {token}: {error:?}"
        );
        let text = error.to_string();
        assert!(
            text.contains("https") && text.contains("localhost"),
            "{text}"
        );
    }
    assert!(matches!(
        Endpoints::custom("ftp://127.0.0.1", "https://x.example.com/token"),
        Err(ConfigError::InvalidUrl { .. })
    ));
}

// ---- token lifetimes -----------------------------------------------------------------------------

#[tokio::test]
async fn a_huge_expires_in_is_clamped_instead_of_overflowing() {
    let mock = MockAlto::start();
    mock.on(REFERENCE_CHECKS, empty_page());
    mock.set_token_lifetime(u64::MAX);
    let agency = production(&mock);
    list_reference_checks(&agency).await.unwrap();
    list_reference_checks(&agency).await.unwrap();
    assert_eq!(mock.token_requests(), 1, "the token was cached");
}

#[tokio::test]
async fn a_zero_expires_in_does_not_make_every_call_fetch_a_token() {
    let mock = MockAlto::start();
    mock.on(REFERENCE_CHECKS, empty_page());
    mock.set_token_lifetime(0);
    let agency = production(&mock);
    for _ in 0..5 {
        list_reference_checks(&agency).await.unwrap();
    }
    assert_eq!(mock.token_requests(), 1, "one token served the burst");
}

// ---- the typed 403 -------------------------------------------------------------------------------

fn forbidden() -> Reply {
    Reply::json(403, json!({ "title": "Forbidden", "status": 403 }))
}

#[tokio::test]
async fn a_403_in_production_names_the_agency_ref_and_the_scope() {
    let mock = MockAlto::start();
    mock.on(REFERENCE_CHECKS, forbidden());
    let scopes = facts::required_scopes("get_reference_checks");
    assert!(!scopes.is_empty(), "the spec names the operation's scope");

    let error = list_reference_checks(&production(&mock)).await.unwrap_err();
    let AltoError::Forbidden {
        environment,
        agency_ref,
        required_scopes,
        problem,
        ..
    } = &error
    else {
        panic!("not a typed 403: {error:?}")
    };
    assert_eq!(*environment, Environment::Production);
    assert_eq!(agency_ref.as_deref(), Some(AGENCY_REF));
    assert_eq!(*required_scopes, scopes);
    assert_eq!(
        problem.as_ref().unwrap().title.as_deref(),
        Some("Forbidden")
    );
    let text = error.to_string();
    for part in [
        AGENCY_REF,
        "Acme Lettings",
        scopes[0].as_str(),
        "activation email",
    ] {
        assert!(text.contains(part), "{part:?} missing from: {text}");
    }
    assert_eq!(mock.api_requests().len(), 1, "a 403 is not retried");
}

#[tokio::test]
async fn a_403_in_sandbox_names_the_scope_and_no_agency_ref() {
    let mock = MockAlto::start();
    mock.on(REFERENCE_CHECKS, forbidden());
    let agency = mock
        .client(Environment::Sandbox)
        .agency(
            Environment::Sandbox,
            Some(AgencyRef::parse(AGENCY_REF).unwrap()),
            "Sandbox Lettings",
        )
        .unwrap();
    let error = list_reference_checks(&agency).await.unwrap_err();
    let AltoError::Forbidden {
        environment,
        agency_ref,
        required_scopes,
        ..
    } = &error
    else {
        panic!("not a typed 403: {error:?}")
    };
    assert_eq!(*environment, Environment::Sandbox);
    assert_eq!(
        *agency_ref, None,
        "sandbox sends no AgencyRef, so names none"
    );
    assert_eq!(
        *required_scopes,
        facts::required_scopes("get_reference_checks")
    );
    let text = error.to_string();
    assert!(text.contains("in sandbox"), "{text}");
    assert!(text.contains(&required_scopes[0]), "{text}");
    assert!(text.contains("ask Zoopla"), "{text}");
    assert!(!text.contains(AGENCY_REF), "{text}");
}

// ---- a stored AgencyRef that is not valid ---------------------------------------------------------

struct Directory;

impl alto::AgencyDirectory for Directory {
    fn find_agency<'a>(
        &'a self,
        internal_id: &'a str,
    ) -> futures::future::BoxFuture<
        'a,
        Result<Option<alto::AgencyRecord>, alto::agency::DirectoryError>,
    > {
        Box::pin(async move {
            Err(Box::new(alto::agency::StoredAgencyRefInvalid {
                agency: internal_id.to_string(),
                reason: alto::agency::InvalidAgencyRef::NotAGuid,
            }) as alto::agency::DirectoryError)
        })
    }
}

#[tokio::test]
async fn a_stored_agency_ref_that_is_not_valid_blocks_production_with_a_typed_error() {
    let mock = MockAlto::start();
    let error = mock
        .client(Environment::Production)
        .resolve_agency(&Directory, "agency-legacy")
        .await
        .unwrap_err();
    assert!(
        matches!(&error, AltoError::Config(ConfigError::InvalidAgencyRef { agency, .. }) if agency == "agency-legacy"),
        "{error:?}"
    );
    let text = error.to_string();
    assert!(
        text.contains("Alto Settings") && text.contains("Invalid AgencyRef"),
        "{text}"
    );
    assert_eq!(mock.request_count(), 0, "nothing was sent");
}
