//! The Alto Settings flow in a real headless Chromium, driven over WebDriver (chromedriver).
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/admin-services.sh` installs them).
//! Without them the test is skipped on a laptop and fails under CI.
//!
//! The app is opened as `http://localhost`, where Chromium keeps the `Secure`, `__Host-`
//! session cookie without TLS (it would not on another host over plain HTTP).

mod common;

use std::net::Ipv4Addr;
use std::time::Duration;

use alto_admin::auth::create_user;
use alto_admin::web::serve;
use alto_admin::{AdminState, Role};
use alto_testkit::browser::{self, click, screenshot, sign_in, start_driver, text, wait_for};
use fantoccini::{Client, Locator};

const PASSWORD: &str = "browser test password";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_sets_agency_ref_in_a_real_browser() {
    if !browser::available() {
        common::skip_unless_ci(
            "Chromium",
            "install Debian's chromium and chromium-driver: bash .ci/admin-services.sh",
        );
        return;
    }
    let db = common::sqlite().await;
    db.store.seed_demo().await.unwrap();
    create_user(&db.store, "ann", PASSWORD, Role::Admin)
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .unwrap();
    let base = format!("http://localhost:{}", listener.local_addr().unwrap().port());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(
        listener,
        AdminState::builder(db.store.clone()).build(),
        None,
        async {
            let _ = stopped.await;
        },
    ));

    let profile = tempfile::tempdir().unwrap();
    let (_driver, client) = start_driver(profile.path(), "chromedriver.log").await;
    let outcome = tokio::time::timeout(Duration::from_secs(240), async {
        flow(&client, &base).await;
        hardening_flow(&client, &base).await;
    })
    .await;
    if outcome.is_err() {
        screenshot(&client, "admin-browser-timeout.png").await;
    }
    let _ = client.close().await;
    let _ = stop.send(());
    server.await.unwrap().unwrap();
    outcome.expect("the browser flow took longer than 4 minutes");

    // What the browser did is what the store holds.
    let agency = db.store.agency("agency-0001").await.unwrap().unwrap();
    assert_eq!(
        agency.alto_agency_ref.as_deref(),
        Some("3eec92c8-942b-5546-9b84-0bcaeb2e8810")
    );
    assert!(agency.use_production);
}

async fn flow(client: &Client, base: &str) {
    // Sign in: the list redirects to the login page first.
    sign_in(
        client,
        &format!("{base}/admin/alto-agencies"),
        "ann",
        PASSWORD,
    )
    .await;
    assert_eq!(text(client, "#signed-in-as").await, "ann");

    // List: search for the agency, check its row, open the edit page.
    let search = client.find(Locator::Css("input[name=q]")).await.unwrap();
    search.send_keys("harbour").await.unwrap();
    click(client, "#filter button").await;
    client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_url(
            &format!("{base}/admin/alto-agencies?q=harbour&status=")
                .parse()
                .unwrap(),
        )
        .await
        .unwrap();
    let rows = client
        .find_all(Locator::Css("#agencies tbody tr"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 1, "search finds exactly Harbour Lettings");
    let row = "#agencies tbody tr[data-agency-id='agency-0001']";
    assert_eq!(
        text(client, &format!("{row} .name")).await,
        "Harbour Lettings"
    );
    assert_eq!(
        text(client, &format!("{row} .status")).await,
        "Sandbox only"
    );
    click(client, &format!("{row} a.edit")).await;
    wait_for(client, "#settings").await;
    assert_eq!(text(client, "#status").await, "Sandbox only");

    // Production on with an empty AgencyRef: refused with the validation message.
    click(client, "#use_production").await;
    click(client, "#save").await;
    let error = wait_for(client, "#error").await.text().await.unwrap();
    assert!(error.contains("An AgencyRef is required when"), "{error}");
    assert_eq!(
        text(client, "#status").await,
        "Sandbox only",
        "nothing was saved"
    );
    screenshot(client, "admin-browser-validation.png").await;

    // Enter the ref (with stray spaces, as pasted from an email) and save.
    let checkbox = client.find(Locator::Css("#use_production")).await.unwrap();
    assert!(
        checkbox.is_selected().await.unwrap(),
        "the form kept the toggle"
    );
    let field = client.find(Locator::Css("#agency_ref")).await.unwrap();
    field.clear().await.unwrap();
    field
        .send_keys("  3eec92c8-942b-5546-9b84-0bcaeb2e8810 ")
        .await
        .unwrap();
    click(client, "#save").await;
    assert_eq!(
        wait_for(client, "#notice").await.text().await.unwrap(),
        "Saved."
    );
    assert_eq!(text(client, "#status").await, "Production connected");
    assert_eq!(text(client, "#environment").await, "production");
    let stored = client
        .find(Locator::Css("#agency_ref"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(
        stored.as_deref(),
        Some("3eec92c8-942b-5546-9b84-0bcaeb2e8810"),
        "trimmed"
    );

    // Audit history: old and new value, who and when.
    click(client, "#audit-link").await;
    wait_for(client, "#audit").await;
    let mut saw_ref = false;
    for row in client
        .find_all(Locator::Css("#audit tbody tr"))
        .await
        .unwrap()
    {
        let cell = |css: &'static str| {
            let row = row.clone();
            async move {
                row.find(Locator::Css(css))
                    .await
                    .unwrap()
                    .text()
                    .await
                    .unwrap()
            }
        };
        let when = cell(".when").await;
        assert!(looks_like_utc_time(&when), "{when:?}");
        assert_eq!(cell(".who").await, "ann");
        match cell(".field").await.as_str() {
            "AgencyRef" => {
                assert_eq!(
                    (cell(".old").await.as_str(), cell(".new").await.as_str()),
                    ("(none)", "3eec92c8-942b-5546-9b84-0bcaeb2e8810")
                );
                saw_ref = true;
            }
            "Use Alto in production" => {
                assert_eq!(
                    (cell(".old").await.as_str(), cell(".new").await.as_str()),
                    ("false", "true")
                );
            }
            other => panic!("unexpected audit field {other:?}"),
        }
    }
    assert!(saw_ref, "the AgencyRef change is in the audit history");
    screenshot(client, "admin-browser-audit.png").await;

    // The list shows the new status under its filter.
    client
        .goto(&format!(
            "{base}/admin/alto-agencies?status=production-connected"
        ))
        .await
        .unwrap();
    wait_for(client, "#agencies").await;
    let row = "#agencies tbody tr[data-agency-id='agency-0001']";
    assert_eq!(
        text(client, &format!("{row} .status")).await,
        "Production connected"
    );
    assert_eq!(
        text(client, &format!("{row} .agency-ref")).await,
        "3eec92c8-942b-5546-9b84-0bcaeb2e8810"
    );
    screenshot(client, "admin-browser-list.png").await;

    // Sign out: the list needs a new sign-in.
    click(client, "#logout").await;
    wait_for(client, "#username").await;
}

/// The Secure session cookie, adding an agency and switching Alto off, the list on a phone-sized
/// screen, and sign-in throttling.
async fn hardening_flow(client: &Client, base: &str) {
    sign_in(
        client,
        &format!("{base}/admin/alto-agencies"),
        "ann",
        PASSWORD,
    )
    .await;
    let cookies = client.get_all_cookies().await.unwrap();
    let session = cookies
        .iter()
        .find(|c| c.name() == "__Host-alto_admin_session")
        .expect("Chromium kept the Secure session cookie on http://localhost");
    assert_eq!(
        (session.secure(), session.http_only(), session.path()),
        (Some(true), Some(true), Some("/"))
    );

    // Add an agency: a refused id first, its message tied to the field.
    click(client, "#add-agency").await;
    let id = wait_for(client, "#new-agency #id").await;
    id.send_keys("has space").await.unwrap();
    let name = client.find(Locator::Css("#display_name")).await.unwrap();
    name.send_keys("Browser Lettings").await.unwrap();
    click(client, "#add").await;
    wait_for(client, "#id-error").await;
    let id = client.find(Locator::Css("#id")).await.unwrap();
    assert_eq!(
        id.attr("aria-invalid").await.unwrap().as_deref(),
        Some("true")
    );
    assert_eq!(
        id.attr("aria-describedby").await.unwrap().as_deref(),
        Some("id-hint id-error")
    );
    assert_eq!(
        client
            .find(Locator::Css("#error"))
            .await
            .unwrap()
            .attr("role")
            .await
            .unwrap()
            .as_deref(),
        Some("alert")
    );
    id.clear().await.unwrap();
    id.send_keys("agency-browser").await.unwrap();
    click(client, "#add").await;
    wait_for(client, "#alto-off").await;
    assert_eq!(text(client, "#notice").await, "Agency added.");
    assert_eq!(text(client, "#alto-enabled").await, "Yes");
    click(client, "#alto-off").await;
    wait_for(client, "#alto-on").await;
    assert_eq!(text(client, "#alto-enabled").await, "No");

    // The agency list on a phone-sized screen: nothing wider than the screen.
    client.set_window_size(390, 844).await.unwrap();
    client
        .goto(&format!("{base}/admin/alto-agencies"))
        .await
        .unwrap();
    wait_for(client, "#agencies").await;
    let fits = client
        .execute(
            "return document.documentElement.scrollWidth <= window.innerWidth",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        fits,
        serde_json::Value::Bool(true),
        "the list fits a narrow screen"
    );
    screenshot(client, "admin-browser-narrow-list.png").await;
    client.set_window_size(1280, 900).await.unwrap();

    click(client, "#logout").await;
    wait_for(client, "#username").await;

    // Wrong passwords (for a name that does not exist) meet the throttle within 30 tries.
    let mut throttled = false;
    for _ in 0..30 {
        let username = wait_for(client, "#username").await;
        username.clear().await.unwrap();
        username.send_keys("nobody-here").await.unwrap();
        client
            .find(Locator::Css("#password"))
            .await
            .unwrap()
            .send_keys("not the password")
            .await
            .unwrap();
        let sign_in = client.find(Locator::Css("#sign-in")).await.unwrap();
        sign_in.click().await.unwrap();
        // The answer is a new page: read its message only once the old form has gone, or the
        // old page's message (or a stale element) is read instead.
        for _ in 0..250 {
            if sign_in.is_displayed().await.is_err() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let message = wait_for(client, "#error").await.text().await.unwrap();
        if message.starts_with("Too many failed sign-ins") {
            throttled = true;
            break;
        }
        assert_eq!(message, "Wrong username or password.");
    }
    assert!(throttled, "throttled within 30 wrong passwords");
    screenshot(client, "admin-browser-throttled.png").await;
}

/// `YYYY-MM-DD HH:MM:SS UTC`.
fn looks_like_utc_time(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 23
        && s.ends_with(" UTC")
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b' ',
            13 | 16 => *c == b':',
            19..=22 => true,
            _ => c.is_ascii_digit(),
        })
}
