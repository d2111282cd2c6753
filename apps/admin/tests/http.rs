//! HTTP-level tests of the admin app through `tower::ServiceExt::oneshot` (no sockets).

mod common;

use alto_admin::{router, AdminState, NewAgency, Role};
use axum::body::Body;
use axum::http::header::{CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};
use axum::http::{Request, Response, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use tower::ServiceExt;

/// Cookie names under the default (Secure) policy.
const SESSION: &str = "__Host-alto_admin_session";
const LOGIN_CSRF: &str = "__Host-alto_admin_login_csrf";
const ADMIN_PASSWORD: &str = "correct horse battery staple";
const VIEWER_PASSWORD: &str = "viewer horse battery staple";

struct App {
    db: common::TestDb,
    router: Router,
}

/// A session as a browser holds it: the cookie and the CSRF token from the page.
struct Session {
    cookie: String,
    csrf: String,
}

async fn app() -> App {
    app_with(|b| b).await
}

async fn app_with(
    configure: impl FnOnce(alto_admin::AdminStateBuilder) -> alto_admin::AdminStateBuilder,
) -> App {
    let db = common::sqlite().await;
    db.store.seed_demo().await.unwrap();
    // Users with cheap hashes: these tests sign in often (create_user is covered by the store suite).
    let hash = common::cheap_password_hash;
    db.store
        .insert_user("ann", &hash(ADMIN_PASSWORD), Role::Admin)
        .await
        .unwrap();
    db.store
        .insert_user("vic", &hash(VIEWER_PASSWORD), Role::Viewer)
        .await
        .unwrap();
    let state = configure(AdminState::builder(db.store.clone())).build();
    App {
        db,
        router: router(state),
    }
}

impl App {
    async fn send(&self, request: Request<Body>) -> Response<Body> {
        self.router.clone().oneshot(request).await.unwrap()
    }

    async fn get(&self, path: &str, session: Option<&Session>) -> Response<Body> {
        let mut request = Request::get(path);
        if let Some(session) = session {
            request = request.header(COOKIE, &session.cookie);
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    async fn post_form(
        &self,
        path: &str,
        cookie: Option<&str>,
        fields: &[(&str, &str)],
    ) -> Response<Body> {
        let mut request =
            Request::post(path).header(CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(cookie) = cookie {
            request = request.header(COOKIE, cookie);
        }
        let body = serde_urlencoded::to_string(fields).unwrap();
        self.send(request.body(Body::from(body)).unwrap()).await
    }

    /// Signs in through the login form, as a browser would.
    async fn login(&self, username: &str, password: &str) -> Session {
        let response = self
            .post_login(username, password, "/admin/alto-agencies")
            .await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "sign-in as {username}"
        );
        let session_cookie = set_cookie(&response, SESSION).expect("session cookie");
        let cookie = format!("{SESSION}={session_cookie}");
        // Every signed-in page carries the session's CSRF token (in the logout form).
        let page = self.get_with_cookie("/admin/alto-agencies", &cookie).await;
        let csrf = hidden_csrf(&body(page).await).expect("csrf on page");
        Session { cookie, csrf }
    }

    async fn get_with_cookie(&self, path: &str, cookie: &str) -> Response<Body> {
        self.send(
            Request::get(path)
                .header(COOKIE, cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    async fn post_login(&self, username: &str, password: &str, next: &str) -> Response<Body> {
        let form = self.get("/admin/login", None).await;
        assert_eq!(form.status(), StatusCode::OK);
        let login_cookie = set_cookie(&form, LOGIN_CSRF).expect("login csrf cookie");
        let html = body(form).await;
        let csrf = hidden_csrf(&html).expect("csrf field on login form");
        assert_eq!(csrf, login_cookie, "double-submit token");
        self.post_form(
            "/admin/login",
            Some(&format!("{LOGIN_CSRF}={login_cookie}")),
            &[
                ("csrf", &csrf),
                ("next", next),
                ("username", username),
                ("password", password),
            ],
        )
        .await
    }
}

fn set_cookie(response: &Response<Body>, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap_or_default().to_string())
        .filter(|v| !v.is_empty())
}

fn hidden_csrf(html: &str) -> Option<String> {
    let start = html.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_string())
}

async fn body(response: Response<Body>) -> String {
    String::from_utf8(
        response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
    .unwrap()
}

/// Text as askama writes it into HTML (numeric entities).
fn escaped(text: &str) -> String {
    text.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

fn location(response: &Response<Body>) -> String {
    response
        .headers()
        .get(LOCATION)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

const GET_ROUTES: [&str; 5] = [
    "/admin",
    "/admin/alto-agencies",
    "/admin/alto-agencies/agency-0001/edit",
    "/admin/alto-agencies/agency-0001/audit",
    "/admin/alto-agencies/activations/1/link",
];
const POST_ROUTES: [&str; 3] = [
    "/admin/alto-agencies/agency-0001/edit",
    "/admin/logout",
    "/admin/alto-agencies/activations/1/link",
];

fn edit_fields<'a>(
    csrf: &'a str,
    agency_ref: &'a str,
    production: bool,
    version: &'a str,
) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("csrf", csrf),
        ("agency_ref", agency_ref),
        ("version", version),
    ];
    if production {
        fields.push(("use_production", "on"));
    }
    fields
}

#[tokio::test]
async fn every_admin_route_needs_a_session() {
    let app = app().await;
    for cookie in [None, Some("__Host-alto_admin_session=forged-or-expired")] {
        for path in GET_ROUTES {
            let response = match cookie {
                Some(c) => app.get_with_cookie(path, c).await,
                None => app.get(path, None).await,
            };
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "GET {path}");
            let to = location(&response);
            assert!(to.starts_with("/admin/login?next="), "GET {path} → {to}");
        }
        for path in POST_ROUTES {
            let response = app
                .post_form(
                    path,
                    cookie,
                    &edit_fields("x", "8662b309-dc51-58ea-9b1c-8ec10b34e88b", true, "1"),
                )
                .await;
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "POST {path}");
        }
    }
    let agency = app.db.store.agency("agency-0001").await.unwrap().unwrap();
    assert_eq!(agency.version, 1, "nothing changed");
}

#[tokio::test]
async fn every_admin_route_needs_the_admin_role() {
    let app = app().await;
    let viewer = app.login("vic", VIEWER_PASSWORD).await;
    for path in GET_ROUTES {
        let response = app.get(path, Some(&viewer)).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "GET {path}");
        assert!(body(response).await.contains("admin role"));
    }
    let response = app
        .post_form(
            POST_ROUTES[0],
            Some(&viewer.cookie),
            &edit_fields("x", "8662b309-dc51-58ea-9b1c-8ec10b34e88b", true, "1"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = app
        .post_form(
            POST_ROUTES[0],
            Some(&viewer.cookie),
            &edit_fields(
                &viewer.csrf,
                "8662b309-dc51-58ea-9b1c-8ec10b34e88b",
                true,
                "1",
            ),
        )
        .await;
    assert_eq!(
        response.status(),
        StatusCode::FORBIDDEN,
        "even with the session's own token"
    );
    assert_eq!(
        app.db
            .store
            .agency("agency-0001")
            .await
            .unwrap()
            .unwrap()
            .version,
        1
    );
    // A viewer can still sign out (the 403 page carries the logout form).
    let logout = app
        .post_form(
            "/admin/logout",
            Some(&viewer.cookie),
            &[("csrf", &viewer.csrf)],
        )
        .await;
    assert_eq!(logout.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn posts_without_the_sessions_csrf_token_are_refused() {
    let app = app().await;
    let ann = app.login("ann", ADMIN_PASSWORD).await;
    let other = app.login("ann", ADMIN_PASSWORD).await;
    assert_ne!(ann.csrf, other.csrf, "each session has its own token");
    let path = "/admin/alto-agencies/agency-0001/edit";

    let no_token: Vec<_> = edit_fields("", "8662b309-dc51-58ea-9b1c-8ec10b34e88b", true, "1")
        .into_iter()
        .filter(|(k, _)| *k != "csrf")
        .collect();
    for (what, fields) in [
        ("missing", no_token),
        (
            "empty",
            edit_fields("", "8662b309-dc51-58ea-9b1c-8ec10b34e88b", true, "1"),
        ),
        (
            "wrong",
            edit_fields(
                "not-the-token",
                "8662b309-dc51-58ea-9b1c-8ec10b34e88b",
                true,
                "1",
            ),
        ),
        (
            "another session's",
            edit_fields(
                &other.csrf,
                "8662b309-dc51-58ea-9b1c-8ec10b34e88b",
                true,
                "1",
            ),
        ),
    ] {
        let response = app.post_form(path, Some(&ann.cookie), &fields).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{what} token");
        assert!(body(response).await.contains("security token"));
    }
    let json = app
        .send(
            Request::post(path)
                .header(COOKIE, &ann.cookie)
                .header(CONTENT_TYPE, "application/json")
                .body(Body::from(format!(
                    r#"{{"csrf":"{}","agency_ref":"8662b309-dc51-58ea-9b1c-8ec10b34e88b","version":1}}"#,
                    ann.csrf
                )))
                .unwrap(),
        )
        .await;
    assert_eq!(
        json.status(),
        StatusCode::FORBIDDEN,
        "non-form bodies carry no token"
    );
    assert_eq!(
        app.db
            .store
            .agency("agency-0001")
            .await
            .unwrap()
            .unwrap()
            .version,
        1,
        "nothing saved"
    );

    let logout = app
        .post_form("/admin/logout", Some(&ann.cookie), &[("csrf", "nope")])
        .await;
    assert_eq!(
        logout.status(),
        StatusCode::FORBIDDEN,
        "logout needs the token too"
    );
    assert_eq!(
        app.get("/admin/alto-agencies", Some(&ann)).await.status(),
        StatusCode::OK,
        "still signed in"
    );

    let ok = app
        .post_form(
            path,
            Some(&ann.cookie),
            &edit_fields(&ann.csrf, "8662b309-dc51-58ea-9b1c-8ec10b34e88b", true, "1"),
        )
        .await;
    assert_eq!(
        ok.status(),
        StatusCode::SEE_OTHER,
        "with the right token the same post is accepted"
    );
}

#[tokio::test]
async fn login_form_checks_its_token_and_the_password() {
    let app = app().await;
    let no_cookie = app
        .post_form(
            "/admin/login",
            None,
            &[
                ("csrf", "x"),
                ("username", "ann"),
                ("password", ADMIN_PASSWORD),
            ],
        )
        .await;
    assert_eq!(no_cookie.status(), StatusCode::FORBIDDEN);
    assert!(set_cookie(&no_cookie, SESSION).is_none());

    let wrong = app
        .post_login("ann", "wrong password here", "/admin/alto-agencies")
        .await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(set_cookie(&wrong, SESSION).is_none());
    assert!(body(wrong).await.contains("Wrong username or password."));
    let unknown = app
        .post_login("nobody", ADMIN_PASSWORD, "/admin/alto-agencies")
        .await;
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);

    let ok = app
        .post_login("ann", ADMIN_PASSWORD, "https://evil.example/")
        .await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&ok), "/admin/alto-agencies", "no open redirect");
    let cookie = ok
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|v| v.starts_with("__Host-alto_admin_session="))
        .unwrap()
        .to_string();
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && cookie.contains("Path=/;")
    );
    assert!(cookie.contains("Secure"), "Secure by default: {cookie}");

    let back = app
        .post_login(
            "ann",
            ADMIN_PASSWORD,
            "/admin/alto-agencies/agency-0003/edit",
        )
        .await;
    assert_eq!(
        location(&back),
        "/admin/alto-agencies/agency-0003/edit",
        "returns to the page asked for"
    );
}

#[tokio::test]
async fn every_cookie_is_secure_and_host_prefixed_by_default() {
    let app = app().await;
    let form = app.get("/admin/login", None).await;
    let ok = app
        .post_login("ann", ADMIN_PASSWORD, "/admin/alto-agencies")
        .await;
    let cookies: Vec<String> = [&form, &ok]
        .iter()
        .flat_map(|r| r.headers().get_all(SET_COOKIE).iter())
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    assert_eq!(
        cookies.len(),
        3,
        "login CSRF set, then session set and login CSRF cleared"
    );
    for cookie in cookies {
        assert!(cookie.starts_with("__Host-"), "{cookie}");
        for part in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/;"] {
            assert!(cookie.contains(part), "{part} in {cookie}");
        }
        assert!(!cookie.contains("Domain"), "{cookie}");
    }
}

#[tokio::test]
async fn logout_ends_the_session_on_the_server() {
    let app = app().await;
    let ann = app.login("ann", ADMIN_PASSWORD).await;
    let response = app
        .post_form("/admin/logout", Some(&ann.cookie), &[("csrf", &ann.csrf)])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/admin/login?signed_out=1");
    // Replaying the old cookie does not work: the session is gone from the database.
    let again = app.get("/admin/alto-agencies", Some(&ann)).await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn names_with_script_tags_are_escaped() {
    let app = app().await;
    let name = "<script>alert('owned')</script> & Co";
    app.db
        .store
        .insert_agency(&NewAgency::sandbox("xss", name))
        .await
        .unwrap();
    let ann = app.login("ann", ADMIN_PASSWORD).await;
    for path in [
        "/admin/alto-agencies?q=script",
        "/admin/alto-agencies/xss/edit",
        "/admin/alto-agencies/xss/audit",
    ] {
        let response = app.get(path, Some(&ann)).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let html = body(response).await;
        assert!(
            !html.contains("<script>alert"),
            "{path} must not contain the raw tag"
        );
        assert!(
            html.contains(&escaped(name)),
            "{path} shows the escaped name"
        );
    }
    let search = app
        .get("/admin/alto-agencies?q=%3Cscript%3E", Some(&ann))
        .await;
    let html = body(search).await;
    assert!(
        html.contains(&format!("value=\"{}\"", escaped("<script>"))),
        "search box echoes escaped text"
    );
}

#[tokio::test]
async fn sql_metacharacters_in_inputs_are_kept_verbatim() {
    let app = app().await;
    let name = "Robert'); DROP TABLE agencies;--";
    let id = "bobby'; DELETE FROM agencies;--";
    app.db
        .store
        .insert_agency(&NewAgency::sandbox(id, name))
        .await
        .unwrap();
    let ann = app.login("ann", ADMIN_PASSWORD).await;

    let q = serde_urlencoded::to_string([("q", "'); DROP TABLE agencies;--")]).unwrap();
    let html = body(
        app.get(&format!("/admin/alto-agencies?{q}"), Some(&ann))
            .await,
    )
    .await;
    assert!(
        html.contains("1 agencies"),
        "exactly the one agency matches"
    );
    assert!(html.contains(&escaped(name)));

    let edit = format!(
        "/admin/alto-agencies/{}/edit",
        "bobby%27%3B%20DELETE%20FROM%20agencies%3B--"
    );
    let saved = app
        .post_form(
            &edit,
            Some(&ann.cookie),
            &edit_fields(&ann.csrf, "45d38ada-cbcc-5ff6-9e3e-555b21d76833", true, "1"),
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let refused = app
        .post_form(
            &edit,
            Some(&ann.cookie),
            &edit_fields(&ann.csrf, "x'); DROP TABLE agencies;--", true, "2"),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let agency = app
        .db
        .store
        .agency(id)
        .await
        .unwrap()
        .expect("id kept verbatim");
    assert_eq!(agency.display_name, name);
    assert_eq!(
        agency.alto_agency_ref.as_deref(),
        Some("45d38ada-cbcc-5ff6-9e3e-555b21d76833")
    );
    assert_eq!(
        app.db.store.seed_demo().await.unwrap(),
        0,
        "the agencies table is intact"
    );
}

#[tokio::test]
async fn edit_validate_save_and_audit_over_http() {
    let app = app().await;
    let ann = app.login("ann", ADMIN_PASSWORD).await;
    let path = "/admin/alto-agencies/agency-0001/edit";
    let form = body(app.get(path, Some(&ann)).await).await;
    assert!(form.contains("Sandbox only") && form.contains("name=\"version\" value=\"1\""));

    let missing = app
        .post_form(
            path,
            Some(&ann.cookie),
            &edit_fields(&ann.csrf, "  ", true, "1"),
        )
        .await;
    assert_eq!(missing.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = body(missing).await;
    assert!(html.contains("An AgencyRef is required when"), "{html}");
    assert!(html.contains("checked"), "the form keeps what was entered");

    let bad = app
        .post_form(
            path,
            Some(&ann.cookie),
            &edit_fields(&ann.csrf, "AGY 12", true, "1"),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = body(bad).await;
    assert!(html.contains("a GUID such as") && html.contains("value=\"AGY 12\""));

    let saved = app
        .post_form(
            path,
            Some(&ann.cookie),
            &edit_fields(
                &ann.csrf,
                " 87edb320-2c8e-57df-a2bb-ac5d200081d9 ",
                true,
                "1",
            ),
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let html = body(app.get(&location(&saved), Some(&ann)).await).await;
    assert!(
        html.contains("Saved.")
            && html.contains("Production connected")
            && html.contains("value=\"87edb320-2c8e-57df-a2bb-ac5d200081d9\"")
    );

    let list = body(
        app.get(
            "/admin/alto-agencies?status=production-connected",
            Some(&ann),
        )
        .await,
    )
    .await;
    assert!(
        list.contains("Harbour Lettings") && list.contains("87edb320-2c8e-57df-a2bb-ac5d200081d9")
    );

    let audit = body(
        app.get("/admin/alto-agencies/agency-0001/audit", Some(&ann))
            .await,
    )
    .await;
    assert!(audit.contains("<td class=\"new\">87edb320-2c8e-57df-a2bb-ac5d200081d9</td>"));
    assert!(audit.contains("<td class=\"old\">(none)</td>"));
    assert!(audit.contains("<td class=\"who\">ann</td>"));
    assert!(audit.contains(" UTC</td>"));

    let stale = app
        .post_form(
            path,
            Some(&ann.cookie),
            &edit_fields(&ann.csrf, "4d3c9676-56b7-5c0f-ab13-79ccdb0b6e77", true, "1"),
        )
        .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let html = body(stale).await;
    assert!(html.contains("Someone else changed this agency since you opened it"));
    assert!(
        html.contains("value=\"87edb320-2c8e-57df-a2bb-ac5d200081d9\""),
        "shows the stored value, not the stale one"
    );
    assert_eq!(
        app.db
            .store
            .agency("agency-0001")
            .await
            .unwrap()
            .unwrap()
            .alto_agency_ref
            .as_deref(),
        Some("87edb320-2c8e-57df-a2bb-ac5d200081d9")
    );
}

#[tokio::test]
async fn list_pages_through_many_agencies() {
    let app = app_with(|b| b.per_page(50)).await;
    app.db
        .store
        .insert_agencies(&alto_admin::store::bulk_agencies(120))
        .await
        .unwrap();
    let ann = app.login("ann", ADMIN_PASSWORD).await;
    let first = body(app.get("/admin/alto-agencies?q=bulk", Some(&ann)).await).await;
    assert!(first.contains("120 agencies · page 1 of 3"));
    assert!(first.contains("id=\"next\"") && !first.contains("id=\"prev\""));
    // Next carries the last row of this page (Bulk Agency 00050), so page 2 is a seek.
    let next =
        "/admin/alto-agencies?page=2&after_name=Bulk+Agency+00050&after_id=bulk-00050&q=bulk";
    assert!(
        first.contains(&format!("href=\"{}\"", next.replace('&', "&#38;"))),
        "{first}"
    );
    let second = body(app.get(next, Some(&ann)).await).await;
    let numbered = body(
        app.get("/admin/alto-agencies?q=bulk&page=2", Some(&ann))
            .await,
    )
    .await;
    assert!(second.contains("page 2 of 3") && second.contains("Bulk Agency 00051"));
    assert_eq!(second, numbered, "Next gives the same page as its number");
    assert!(
        second.contains("href=\"/admin/alto-agencies?page=1&#38;q=bulk\""),
        "Previous to page 1 needs no cursor"
    );
    let last = body(
        app.get("/admin/alto-agencies?q=bulk&page=3", Some(&ann))
            .await,
    )
    .await;
    assert!(
        last.contains("page 3 of 3")
            && last.contains("Bulk Agency 00120")
            && !last.contains("Bulk Agency 00100")
    );
    assert!(!last.contains("id=\"next\""));
    let missing = app.get("/admin/alto-agencies/nope/edit", Some(&ann)).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

/// A value stored before the GUID rule (or written around the form) is flagged in the list
/// and on the edit page, so staff see what blocks the agency's production calls; the value
/// itself is still shown there for them to correct.
#[tokio::test]
async fn a_stored_agency_ref_that_is_not_a_guid_shows_as_invalid() {
    let app = app().await;
    app.db
        .store
        .insert_agency(&NewAgency {
            use_production: true,
            alto_agency_ref: Some("AG-LEGACY-7".into()),
            ..NewAgency::sandbox("legacy-7", "Legacy Lettings")
        })
        .await
        .unwrap();
    let ann = app.login("ann", ADMIN_PASSWORD).await;
    let list = body(app.get("/admin/alto-agencies?q=legacy", Some(&ann)).await).await;
    assert!(list.contains("Invalid AgencyRef"), "{list}");
    assert!(list.contains("status-invalid-agency-ref"), "{list}");
    assert!(
        !list.contains("class=\"status status-production-connected\""),
        "not shown as connected: {list}"
    );
    let edit = body(
        app.get("/admin/alto-agencies/legacy-7/edit", Some(&ann))
            .await,
    )
    .await;
    assert!(edit.contains("Invalid AgencyRef"), "{edit}");
    // The demo agencies, all GUIDs, are not flagged.
    let all = body(app.get("/admin/alto-agencies", Some(&ann)).await).await;
    assert_eq!(all.matches("Invalid AgencyRef").count(), 1, "{all}");
}

/// Records a pending activation from Alto and returns its link page's path.
async fn pending_activation(app: &App, event_id: &str, agency_ref: &str) -> String {
    use alto_admin::store::NewActivation;
    app.db
        .store
        .record_activation(&NewActivation {
            event_id: event_id.into(),
            agency_ref: agency_ref.into(),
            branch_id: Some("BR-12".into()),
            received_at_ms: 1_000,
        })
        .await
        .unwrap();
    let pending = app.db.store.pending_activations(10).await.unwrap();
    let id = pending.iter().find(|a| a.event_id == event_id).unwrap().id;
    format!("/admin/alto-agencies/activations/{id}/link")
}

#[tokio::test]
async fn link_an_activation_found_with_the_search_box() {
    let app = app().await;
    let ann = app.login("ann", ADMIN_PASSWORD).await;
    let path = pending_activation(&app, "ev-1", "3f2b8c1e-0a4d-4c5e-9b7a-1d2e3f4a5b61").await;

    // The list offers a link page per activation, not a drop-down of every agency.
    let list = body(app.get("/admin/alto-agencies", Some(&ann)).await).await;
    assert!(list.contains(&format!("href=\"{path}\"")), "{list}");
    assert!(
        !list.contains("name=\"agency_id\""),
        "no agency picker on the list"
    );

    let page = app.get(&format!("{path}?q=harb"), Some(&ann)).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = body(page).await;
    assert!(html.contains("type=\"search\""), "a search box");
    assert!(html.contains("3f2b8c1e-0a4d-4c5e-9b7a-1d2e3f4a5b61") && html.contains("BR-12"));
    assert!(html.contains("Link to Harbour Lettings"), "{html}");
    assert!(
        !html.contains("Northgate Property Management"),
        "the search narrows the agencies offered"
    );
    let all = body(app.get(&path, Some(&ann)).await).await;
    assert!(all.contains("Northgate Property Management"));
    assert!(
        !all.contains("Meadow &#38; Finch Estates"),
        "an agency holding another AgencyRef is not offered"
    );

    let linked = app
        .post_form(
            &path,
            Some(&ann.cookie),
            &[
                ("csrf", &ann.csrf),
                ("agency_id", "agency-0001"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(linked.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&linked), "/admin/alto-agencies?linked=agency-0001");
    let agency = app.db.store.agency("agency-0001").await.unwrap().unwrap();
    assert_eq!(
        agency.alto_agency_ref.as_deref(),
        Some("3f2b8c1e-0a4d-4c5e-9b7a-1d2e3f4a5b61")
    );
    assert_eq!(
        agency.alto_identifiers,
        serde_json::json!({"branch_ids": ["BR-12"]})
    );

    // The same form again (a double click, or a second admin): refused, nothing changes.
    let again = app
        .post_form(
            &path,
            Some(&ann.cookie),
            &[("csrf", &ann.csrf), ("agency_id", "agency-0003")],
        )
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert!(body(again).await.contains("no longer pending"));
    let other = app.db.store.agency("agency-0003").await.unwrap().unwrap();
    assert_eq!((other.alto_agency_ref, other.version), (None, 1));
}

#[tokio::test]
async fn link_over_another_agency_ref_says_so_and_offers_the_edit_page() {
    let app = app().await;
    let ann = app.login("ann", ADMIN_PASSWORD).await;
    let path = pending_activation(&app, "ev-1", "3f2b8c1e-0a4d-4c5e-9b7a-1d2e3f4a5b62").await;
    let before = app.db.store.agency("agency-0002").await.unwrap().unwrap();
    assert!(before.alto_agency_ref.is_some());

    let refused = app
        .post_form(
            &path,
            Some(&ann.cookie),
            &[
                ("csrf", &ann.csrf),
                ("agency_id", "agency-0002"),
                ("version", &before.version.to_string()),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    let html = body(refused).await;
    assert!(html.contains("already has a different AgencyRef"), "{html}");
    assert!(
        html.contains("href=\"/admin/alto-agencies/agency-0002/edit\""),
        "offers the edit page: {html}"
    );
    assert!(html.contains("role=\"alert\""));
    assert_eq!(
        app.db.store.agency("agency-0002").await.unwrap().unwrap(),
        before,
        "nothing written"
    );
    assert_eq!(app.db.store.pending_activations(10).await.unwrap().len(), 1);

    // A stale version is refused like the edit form's.
    let stale = app
        .post_form(
            &path,
            Some(&ann.cookie),
            &[
                ("csrf", &ann.csrf),
                ("agency_id", "agency-0001"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    assert!(body(stale)
        .await
        .contains("Someone else changed this agency"));
    assert_eq!(
        app.db
            .store
            .agency("agency-0001")
            .await
            .unwrap()
            .unwrap()
            .version,
        1
    );
}

#[tokio::test]
async fn the_edit_form_refuses_an_agency_ref_another_agency_holds() {
    let app = app().await;
    let ann = app.login("ann", ADMIN_PASSWORD).await;
    let holder = app.db.store.agency("agency-0002").await.unwrap().unwrap();
    let taken = holder.alto_agency_ref.clone().unwrap();
    let response = app
        .post_form(
            "/admin/alto-agencies/agency-0001/edit",
            Some(&ann.cookie),
            &edit_fields(&ann.csrf, &taken, true, "1"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = body(response).await;
    assert!(
        html.contains("agency-0002") && html.contains("belongs to one agency"),
        "{html}"
    );
    let agency = app.db.store.agency("agency-0001").await.unwrap().unwrap();
    assert_eq!((agency.alto_agency_ref, agency.version), (None, 1));
}

#[tokio::test]
async fn staff_add_an_agency_and_switch_alto_from_the_pages() {
    let app = app().await;
    let ann = app.login("ann", ADMIN_PASSWORD).await;
    let form = body(app.get("/admin/alto-agencies/new", Some(&ann)).await).await;
    assert!(form.contains("id=\"new-agency\""));
    let list = body(app.get("/admin/alto-agencies", Some(&ann)).await).await;
    assert!(list.contains("href=\"/admin/alto-agencies/new\""));

    // A refused field says why next to itself, tied to the input for screen readers.
    let bad = app
        .post_form(
            "/admin/alto-agencies/new",
            Some(&ann.cookie),
            &[
                ("csrf", &ann.csrf),
                ("id", "has space"),
                ("display_name", "Kept Name"),
                ("alto_enabled", "on"),
            ],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = body(bad).await;
    assert!(html.contains("role=\"alert\""), "{html}");
    assert!(
        html.contains("aria-describedby=\"id-hint id-error\"")
            && html.contains("aria-invalid=\"true\"")
    );
    assert!(html.contains("id=\"id-error\"") && html.contains("value=\"Kept Name\""));

    let added = app
        .post_form(
            "/admin/alto-agencies/new",
            Some(&ann.cookie),
            &[
                ("csrf", &ann.csrf),
                ("id", "agency-new"),
                ("display_name", "New Lettings"),
                ("alto_enabled", "on"),
            ],
        )
        .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&added),
        "/admin/alto-agencies/agency-new/edit?added=1"
    );
    let edit = body(
        app.get("/admin/alto-agencies/agency-new/edit?added=1", Some(&ann))
            .await,
    )
    .await;
    assert!(edit.contains("Agency added.") && edit.contains("Turn Alto off for New Lettings"));

    let off = app
        .post_form(
            "/admin/alto-agencies/agency-new/alto-enabled",
            Some(&ann.cookie),
            &[("csrf", &ann.csrf), ("version", "1")],
        )
        .await;
    assert_eq!(off.status(), StatusCode::SEE_OTHER);
    let agency = app.db.store.agency("agency-new").await.unwrap().unwrap();
    assert!(!agency.alto_enabled);
    // The same stale form again: refused, nothing written.
    let stale = app
        .post_form(
            "/admin/alto-agencies/agency-new/alto-enabled",
            Some(&ann.cookie),
            &[("csrf", &ann.csrf), ("version", "1"), ("enabled", "on")],
        )
        .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    // Without the CSRF token: refused by the gate.
    let forged = app
        .post_form(
            "/admin/alto-agencies/agency-new/alto-enabled",
            Some(&ann.cookie),
            &[("version", "2"), ("enabled", "on")],
        )
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);

    let audit = body(
        app.get("/admin/alto-agencies/agency-new/audit", Some(&ann))
            .await,
    )
    .await;
    assert!(
        audit.contains("Agency added") && audit.contains("Alto enabled"),
        "{audit}"
    );
    assert!(audit.contains("<caption>") && audit.contains("scope=\"col\""));
}

#[tokio::test]
async fn the_list_is_announced_and_each_row_link_names_its_agency() {
    let app = app().await;
    let ann = app.login("ann", ADMIN_PASSWORD).await;
    let html = body(app.get("/admin/alto-agencies", Some(&ann)).await).await;
    assert!(html.contains("<caption>Alto-enabled agencies"), "{html}");
    assert!(html.contains("<th scope=\"col\">Name</th>"));
    assert!(html.contains("<th scope=\"row\" class=\"name\""));
    let link_texts: Vec<&str> = html
        .split("class=\"edit\"")
        .skip(1)
        .map(|rest| &rest[rest.find('>').unwrap() + 1..rest.find("</a>").unwrap()])
        .collect();
    assert!(link_texts.len() > 1);
    let distinct: std::collections::HashSet<_> = link_texts.iter().collect();
    assert_eq!(distinct.len(), link_texts.len(), "{link_texts:?}");
    // A refused save ties the message to the field.
    let saved = app
        .post_form(
            "/admin/alto-agencies/agency-0001/edit",
            Some(&ann.cookie),
            &edit_fields(&ann.csrf, "", true, "1"),
        )
        .await;
    let html = body(saved).await;
    assert!(html.contains("role=\"alert\""));
    assert!(
        html.contains("aria-describedby=\"agency-ref-hint error\" aria-invalid=\"true\""),
        "{html}"
    );
}

#[tokio::test]
async fn health_and_readiness_need_no_session_and_say_nothing_sensitive() {
    let app = app().await;
    for (path, expected) in [("/healthz", "ok\n"), ("/readyz", "ready\n")] {
        let response = app.get(path, None).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        assert!(
            response.headers().get(SET_COOKIE).is_none(),
            "{path} sets no cookie"
        );
        assert_eq!(body(response).await, expected);
    }
    // Without a metrics endpoint configured there is no /metrics on the app's address.
    assert_eq!(
        app.get("/metrics", None).await.status(),
        StatusCode::NOT_FOUND
    );
    // A closed database is reported as not ready, with a short reason and no URL.
    app.db.store.close().await;
    let response = app.get("/readyz", None).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body(response).await, "not ready: database unreachable\n");
    assert_eq!(app.get("/healthz", None).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn metrics_on_the_app_address_need_the_bearer_token() {
    let token = "a-metrics-token-of-enough-length-0123";
    let render: alto_admin::RenderMetrics = std::sync::Arc::new(|| "alto_up 1\n".to_string());
    assert!(alto_admin::MetricsEndpoint::protected(render.clone(), "short").is_err());
    let endpoint = alto_admin::MetricsEndpoint::protected(render, token).unwrap();
    let app = app_with(|b| b.metrics(Some(endpoint))).await;
    for authorization in [
        None,
        Some("Bearer wrong-token".to_string()),
        Some(token.to_string()),
    ] {
        let mut request = Request::get("/metrics");
        if let Some(value) = &authorization {
            request = request.header("authorization", value);
        }
        let response = app.send(request.body(Body::empty()).unwrap()).await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "{authorization:?}"
        );
        assert!(!body(response).await.contains("alto_up"));
    }
    let response = app
        .send(
            Request::get("/metrics")
                .header("authorization", format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body(response).await, "alto_up 1\n");
}
