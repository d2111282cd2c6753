//! Integration.Activated → pending activation → an admin links it in a real headless Chromium →
//! the agency reads "Production connected", with an audit entry under the admin's name.
//!
//! Same approach as `apps/admin/tests/browser.rs`: Debian's `chromium` + `chromium-driver`
//! (`.ci/admin-services.sh` installs them); skipped without them on a laptop, failing under CI.

mod common;

use std::net::Ipv4Addr;
use std::time::Duration;

use alto_admin::auth::create_user;
use alto_admin::{AdminState, NewAgency, Role};
use alto_testkit::browser::{self, screenshot, sign_in, start_driver, text, wait_for};
use alto_webhooks::receiver::{routes_with_worker, ReceiverConfig, WebhookAuth};
use alto_webhooks::store::EventStore;
use alto_webhooks::{Handlers, Worker, WorkerConfig};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use fantoccini::{Client, Locator};
use serde_json::json;
use tower::ServiceExt;

const PASSWORD: &str = "browser test password";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_links_a_pending_activation_in_a_real_browser() {
    if !browser::available() {
        common::skip_unless_ci(
            "Chromium",
            "install Debian's chromium and chromium-driver: bash .ci/admin-services.sh",
        );
        return;
    }
    let db = common::sqlite().await;
    let store = db.store.clone();
    store.seed_demo().await.unwrap();
    // Production on, no AgencyRef yet: "Missing AgencyRef" until the activation is linked.
    store
        .insert_agency(&NewAgency {
            use_production: true,
            ..NewAgency::sandbox("agency-new", "Newly Activated Lettings")
        })
        .await
        .unwrap();
    create_user(&store, "ann", PASSWORD, Role::Admin)
        .await
        .unwrap();

    // The admin app with the receiver mounted in it, as a deployment runs them.
    let worker = Worker::new(
        EventStore::new(store.clone()),
        Handlers::new(),
        WorkerConfig::default(),
    );
    let receiver = routes_with_worker(
        ReceiverConfig::new(WebhookAuth::shared_secret("browser-test-shared-secret").unwrap()),
        worker.clone(),
    );
    let app = alto_admin::router(AdminState::builder(store.clone()).build()).merge(receiver);

    // Alto announces the activation.
    let body = common::event_body(
        "activation-1",
        "Integration.Activated",
        "integrations/67901a5f-552b-596c-8e73-7040c46ee413",
        json!({"agencyRef": "67901a5f-552b-596c-8e73-7040c46ee413", "branchId": "BR-12"}),
    );
    let answer = app
        .clone()
        .oneshot(
            Request::post("/webhooks/alto")
                .header("content-type", "application/cloudevents+json")
                .header("x-signature", "browser-test-shared-secret")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::ACCEPTED);
    worker.drain().await.unwrap();
    assert_eq!(store.pending_activations(10).await.unwrap().len(), 1);

    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
    });

    let profile = tempfile::tempdir().unwrap();
    let (_driver, client) = start_driver(profile.path(), "chromedriver-webhooks.log").await;
    let outcome = tokio::time::timeout(Duration::from_secs(120), flow(&client, &base)).await;
    if outcome.is_err() {
        screenshot(&client, "webhooks-browser-timeout.png").await;
    }
    let _ = client.close().await;
    let _ = stop.send(());
    server.await.unwrap().unwrap();
    outcome.expect("the browser flow took longer than 2 minutes");

    // What the browser did is what the store holds: the ref, audited under the admin's name.
    let agency = store.agency("agency-new").await.unwrap().unwrap();
    assert_eq!(
        agency.alto_agency_ref.as_deref(),
        Some("67901a5f-552b-596c-8e73-7040c46ee413")
    );
    assert_eq!(
        agency.alto_identifiers,
        serde_json::json!({"branch_ids": ["BR-12"]})
    );
    let audit = store.audit_history("agency-new").await.unwrap();
    let mut fields: Vec<_> = audit.iter().map(|e| e.field.as_str()).collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        ["alto_agency_ref", "alto_identifiers", "linked_activation"],
        "{audit:?}"
    );
    let ref_line = audit.iter().find(|e| e.field == "alto_agency_ref").unwrap();
    assert_eq!(
        ref_line.new_value.as_deref(),
        Some("67901a5f-552b-596c-8e73-7040c46ee413")
    );
    assert!(audit.iter().all(|e| e.changed_by == "ann"));
    assert!(store.pending_activations(10).await.unwrap().is_empty());
}

async fn flow(client: &Client, base: &str) {
    sign_in(
        client,
        &format!("{base}/admin/alto-agencies?q=newly"),
        "ann",
        PASSWORD,
    )
    .await;
    let row = "#agencies tbody tr[data-agency-id='agency-new']";
    assert_eq!(
        text(client, &format!("{row} .status")).await,
        "Missing AgencyRef"
    );

    // The pending activation, with its ref and branch, and a one-click Link form.
    let pending = "#pending-activations tbody tr";
    wait_for(client, pending).await;
    assert_eq!(
        text(client, &format!("{pending} .agency-ref")).await,
        "67901a5f-552b-596c-8e73-7040c46ee413"
    );
    assert_eq!(text(client, &format!("{pending} .branch")).await, "BR-12");
    screenshot(client, "webhooks-browser-pending.png").await;
    // Its link page finds the agency with a search box, then links it with one click.
    client
        .find(Locator::Css(&format!("{pending} a.link")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let search = wait_for(client, "#agency-search input[name=q]").await;
    search.send_keys("newly").await.unwrap();
    client
        .find(Locator::Css("#agency-search button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let candidate = "#candidates tbody tr[data-agency-id='agency-new']";
    wait_for(client, candidate).await;
    screenshot(client, "webhooks-browser-link-page.png").await;
    client
        .find(Locator::Css(&format!("{candidate} button.link")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    let notice = wait_for(client, "#notice").await.text().await.unwrap();
    assert!(notice.contains("agency-new"), "{notice}");
    assert!(
        client
            .find_all(Locator::Css("#pending-activations"))
            .await
            .unwrap()
            .is_empty(),
        "nothing pending any more"
    );
    client
        .goto(&format!("{base}/admin/alto-agencies?q=newly"))
        .await
        .unwrap();
    wait_for(client, "#agencies").await;
    assert_eq!(
        text(client, &format!("{row} .status")).await,
        "Production connected"
    );
    assert_eq!(
        text(client, &format!("{row} .agency-ref")).await,
        "67901a5f-552b-596c-8e73-7040c46ee413"
    );
    screenshot(client, "webhooks-browser-linked.png").await;
}
