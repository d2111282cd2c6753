//! Hardening of Alto Settings: login throttling, cookies, security headers, sessions (idle
//! timeout, failed logout), with the router driven through `oneshot`; and the same checks
//! live, on a real TCP socket as `alto admin serve` runs it.

mod common;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use alto_admin::auth::create_user;
use alto_admin::web::serve;
use alto_admin::{router, AdminState, AdminStateBuilder, Role};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::header::{CONTENT_TYPE, COOKIE, RETRY_AFTER, SET_COOKIE};
use axum::http::{HeaderMap, Request, Response, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use tower::ServiceExt;

const PASSWORD: &str = "correct horse battery staple";

struct App {
    db: common::TestDb,
    router: Router,
}

async fn app_with(configure: impl FnOnce(AdminStateBuilder) -> AdminStateBuilder) -> App {
    let db = common::sqlite().await;
    db.store.seed_demo().await.unwrap();
    db.store
        .insert_user("ann", &common::cheap_password_hash(PASSWORD), Role::Admin)
        .await
        .unwrap();
    let state = configure(AdminState::builder(db.store.clone())).build();
    App {
        db,
        router: router(state),
    }
}

async fn app() -> App {
    app_with(|b| b).await
}

/// What a browser keeps between requests: cookies by name.
#[derive(Default, Clone)]
struct Jar(Vec<(String, String)>);

impl Jar {
    fn take(&mut self, headers: &HeaderMap) {
        for set in headers.get_all(SET_COOKIE) {
            let set = set.to_str().unwrap();
            let (pair, _) = set.split_once(';').unwrap_or((set, ""));
            let (name, value) = pair.split_once('=').unwrap();
            self.0.retain(|(n, _)| n != name);
            if !value.is_empty() {
                self.0.push((name.to_string(), value.to_string()));
            }
        }
    }

    fn header(&self) -> String {
        self.0
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

impl App {
    async fn send(&self, mut request: Request<Body>, peer: Option<IpAddr>) -> Response<Body> {
        if let Some(ip) = peer {
            request
                .extensions_mut()
                .insert(ConnectInfo(SocketAddr::new(ip, 40000)));
        }
        self.router.clone().oneshot(request).await.unwrap()
    }

    async fn get(&self, path: &str, jar: &mut Jar) -> Response<Body> {
        let request = Request::get(path)
            .header(COOKIE, jar.header())
            .body(Body::empty())
            .unwrap();
        let response = self.send(request, None).await;
        jar.take(response.headers());
        response
    }

    async fn post(
        &self,
        path: &str,
        jar: &mut Jar,
        fields: &[(&str, &str)],
        peer: Option<IpAddr>,
        extra: &[(&str, &str)],
    ) -> Response<Body> {
        let mut request = Request::post(path)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(COOKIE, jar.header());
        for (name, value) in extra {
            request = request.header(*name, *value);
        }
        let body = serde_urlencoded::to_string(fields).unwrap();
        let response = self
            .send(request.body(Body::from(body)).unwrap(), peer)
            .await;
        jar.take(response.headers());
        response
    }

    /// Opens the login form (for its CSRF cookie) and posts `username` / `password`.
    async fn sign_in(
        &self,
        jar: &mut Jar,
        username: &str,
        password: &str,
        peer: Option<IpAddr>,
        extra: &[(&str, &str)],
    ) -> Response<Body> {
        let form = self.get("/admin/login", jar).await;
        let csrf = hidden_csrf(&body(form).await);
        self.post(
            "/admin/login",
            jar,
            &[
                ("csrf", &csrf),
                ("next", "/admin/alto-agencies"),
                ("username", username),
                ("password", password),
            ],
            peer,
            extra,
        )
        .await
    }
}

fn hidden_csrf(html: &str) -> String {
    let start = html.find("name=\"csrf\" value=\"").expect("csrf field") + 19;
    let end = html[start..].find('"').unwrap();
    html[start..start + end].to_string()
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

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .map(|v| v.to_str().unwrap())
        .unwrap_or_default()
}

/// The security headers every admin response carries.
fn assert_security_headers(headers: &HeaderMap, what: &str) {
    let csp = header(headers, "content-security-policy");
    for part in [
        "default-src 'none'",
        "frame-ancestors 'none'",
        "style-src 'self'",
    ] {
        assert!(csp.contains(part), "{what}: {part} in CSP {csp:?}");
    }
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("script-src"),
        "{what}: {csp}"
    );
    assert_eq!(
        header(headers, "x-content-type-options"),
        "nosniff",
        "{what}"
    );
    assert_eq!(header(headers, "referrer-policy"), "no-referrer", "{what}");
    assert_eq!(header(headers, "cache-control"), "no-store", "{what}");
}

#[tokio::test]
async fn every_admin_response_carries_the_security_headers() {
    let app = app().await;
    let mut jar = Jar::default();
    let login = app.get("/admin/login", &mut jar).await;
    assert_security_headers(login.headers(), "login page");
    let html = body(login).await;
    assert!(!html.contains("<script") && !html.contains("<style") && !html.contains("style="));
    assert!(html.contains("href=\"/admin/assets/admin.css\""));
    let redirect = app.get("/admin/alto-agencies", &mut Jar::default()).await;
    assert_eq!(redirect.status(), StatusCode::SEE_OTHER);
    assert_security_headers(redirect.headers(), "redirect to login");
    let css = app
        .get("/admin/assets/admin.css", &mut Jar::default())
        .await;
    assert_eq!(
        header(css.headers(), "content-type"),
        "text/css; charset=utf-8"
    );
    assert_security_headers(css.headers(), "stylesheet");
    assert!(body(css).await.contains(".error"));

    let signed_in = app.sign_in(&mut jar, "ann", PASSWORD, None, &[]).await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert_security_headers(signed_in.headers(), "sign-in answer");
    for path in [
        "/admin/alto-agencies",
        "/admin/alto-agencies/agency-0001/edit",
        "/admin/alto-agencies/agency-0001/audit",
        "/admin/alto-agencies/no-such-agency/edit",
    ] {
        let page = app.get(path, &mut jar).await;
        assert_security_headers(page.headers(), path);
        let html = body(page).await;
        assert!(
            !html.contains("<script") && !html.contains("style="),
            "{path}"
        );
    }
}

#[tokio::test]
async fn plain_http_cookies_only_with_the_development_flag() {
    let app = app_with(|b| b.plain_http_cookies(true)).await;
    let mut jar = Jar::default();
    let ok = app.sign_in(&mut jar, "ann", PASSWORD, None, &[]).await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    let set: Vec<&str> = ok
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert!(
        set.iter().any(|c| c.starts_with("alto_admin_session=")),
        "{set:?}"
    );
    assert!(
        set.iter()
            .all(|c| !c.contains("Secure") && !c.starts_with("__Host-")),
        "{set:?}"
    );
    assert!(set
        .iter()
        .all(|c| c.contains("HttpOnly") && c.contains("SameSite=Strict")));
    let list = app.get("/admin/alto-agencies", &mut jar).await;
    assert_eq!(
        list.status(),
        StatusCode::OK,
        "the plain cookie is the session"
    );

    // A cookie of the other policy is not a session here, and the other way round.
    let secure = app_with(|b| b).await;
    let list = secure.get("/admin/alto-agencies", &mut jar).await;
    assert_eq!(list.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn repeated_failures_are_answered_429_with_retry_after_for_any_username() {
    let app = app().await;
    let client: IpAddr = "192.0.2.10".parse().unwrap();
    for username in ["ann", "nobody-by-this-name"] {
        let mut jar = Jar::default();
        let mut answers = Vec::new();
        for _ in 0..8 {
            let response = app
                .sign_in(&mut jar, username, "a wrong password", Some(client), &[])
                .await;
            answers.push(response.status().as_u16());
            if response.status() == StatusCode::TOO_MANY_REQUESTS {
                let retry_after: u64 = header(response.headers(), "retry-after").parse().unwrap();
                assert!((1..=900).contains(&retry_after), "{retry_after}");
                assert!(body(response).await.contains("Too many failed sign-ins"));
            }
        }
        // Five failures are free, the sixth starts a delay, the seventh meets it.
        assert_eq!(&answers[..6], &[401; 6], "{username}: {answers:?}");
        assert_eq!(&answers[6..], &[429, 429], "{username}: {answers:?}");
        // Not even the right password gets through while the name is throttled.
        let right = app
            .sign_in(&mut jar, username, PASSWORD, Some(client), &[])
            .await;
        assert_eq!(right.status(), StatusCode::TOO_MANY_REQUESTS, "{username}");
        assert!(right.headers().contains_key(RETRY_AFTER));
    }
}

#[tokio::test]
async fn one_address_is_throttled_across_usernames_and_a_proxy_header_is_believed_only_from_the_proxy(
) {
    let proxy: IpAddr = "10.0.0.5".parse().unwrap();
    let app = app_with(|b| b.trusted_proxy(Some(alto_admin::web::TrustedProxy::new(proxy)))).await;
    // Real accounts with cheap hashes: an unknown name costs a full argon2 check, slow in debug.
    for name in (0..22).flat_map(|n| [format!("user{n}"), format!("direct{n}")]) {
        let hash = common::cheap_password_hash(PASSWORD);
        app.db
            .store
            .insert_user(&name, &hash, Role::Admin)
            .await
            .unwrap();
    }
    let sign_in = |username: String, peer: IpAddr, forwarded: &'static str| {
        let app = &app;
        async move {
            let mut jar = Jar::default();
            app.sign_in(
                &mut jar,
                &username,
                "wrong",
                Some(peer),
                &[("x-forwarded-for", forwarded)],
            )
            .await
            .status()
        }
    };
    // Twenty failures from one client (through the proxy), each on a different name, are free.
    for n in 0..21 {
        let status = sign_in(format!("user{n}"), proxy, "203.0.113.1").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {n}");
    }
    assert_eq!(
        sign_in("user21".into(), proxy, "203.0.113.1").await,
        StatusCode::TOO_MANY_REQUESTS,
        "the address is throttled"
    );
    assert_eq!(
        sign_in("user21".into(), proxy, "6.6.6.6, 203.0.113.2").await,
        StatusCode::UNAUTHORIZED,
        "another client behind the same proxy is not"
    );
    // A client talking to the server directly cannot pick its address with the header.
    let direct: IpAddr = "198.51.100.3".parse().unwrap();
    for n in 0..21 {
        sign_in(format!("direct{n}"), direct, "203.0.113.50").await;
    }
    assert_eq!(
        sign_in("direct21".into(), direct, "203.0.113.51").await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

/// Log lines written while `body` runs on this thread.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn refused_sign_ins_log_the_address_never_the_name_or_password() {
    // The process-wide subscriber (the only test here that sets one): a scoped one can miss
    // events whose call sites other tests' threads registered first.
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .init();
    let app = app().await;
    let client: IpAddr = "192.0.2.77".parse().unwrap();
    for _ in 0..7 {
        let mut jar = Jar::default();
        app.sign_in(
            &mut jar,
            "mallory-typed-this",
            "hunter2-typed-password",
            Some(client),
            &[],
        )
        .await;
    }
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("sign-in refused") && logs.contains("sign-in throttled"),
        "{logs}"
    );
    assert!(logs.contains("192.0.2.77"), "{logs}");
    assert!(!logs.contains("mallory"), "{logs}");
    assert!(!logs.contains("hunter2"), "{logs}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_burst_of_sign_ins_does_not_stall_other_requests() {
    // Real argon2 cost (create_user), which takes a long time in a debug build: the point.
    let app = Arc::new(app().await);
    create_user(&app.db.store, "slow", "a long enough password", Role::Admin)
        .await
        .unwrap();
    let hash = app
        .db
        .store
        .user_credentials("slow")
        .await
        .unwrap()
        .unwrap()
        .password_hash;
    let started = Instant::now();
    assert!(!alto_admin::auth::password::verify_password(&hash, "wrong"));
    let one_check = started.elapsed();

    // On this single-threaded runtime a check run in place would block everything else.
    let logins: Vec<_> = (0..4)
        .map(|n| {
            let app = Arc::clone(&app);
            tokio::spawn(async move {
                let mut jar = Jar::default();
                let peer: IpAddr = format!("192.0.2.{n}").parse().unwrap();
                app.sign_in(&mut jar, "slow", "wrong password", Some(peer), &[])
                    .await
                    .status()
            })
        })
        .collect();
    // Long enough for every sign-in to reach its password check; were the checks run on this
    // thread, the sleep itself would overrun by at least one check.
    let settle = Duration::from_millis(300);
    let started = Instant::now();
    tokio::time::sleep(settle).await;
    let page = app
        .get("/admin/assets/admin.css", &mut Jar::default())
        .await;
    let waited = started.elapsed();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(
        waited < settle + one_check / 2,
        "a page took {waited:?} (after a {settle:?} pause) during a burst of sign-ins; one check takes {one_check:?}"
    );
    for login in logins {
        assert_eq!(login.await.unwrap(), StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn an_idle_session_ends() {
    let app = app_with(|b| b.idle_timeout(Duration::from_millis(300))).await;
    let mut jar = Jar::default();
    app.sign_in(&mut jar, "ann", PASSWORD, None, &[]).await;
    let page = app.get("/admin/alto-agencies", &mut jar).await;
    assert_eq!(page.status(), StatusCode::OK, "fresh session");
    tokio::time::sleep(Duration::from_millis(400)).await;
    let page = app.get("/admin/alto-agencies", &mut jar).await;
    assert_eq!(page.status(), StatusCode::SEE_OTHER, "idle too long");
    assert!(header(page.headers(), "location").starts_with("/admin/login?next="));
}

#[tokio::test]
async fn a_failed_sign_out_says_so_instead_of_signed_out() {
    let app = app().await;
    let mut jar = Jar::default();
    app.sign_in(&mut jar, "ann", PASSWORD, None, &[]).await;
    let page = body(app.get("/admin/alto-agencies", &mut jar).await).await;
    let csrf = hidden_csrf(&page);
    // Make ending sessions fail in the database, the way an outage in the middle would.
    sqlx::query(
        "CREATE TRIGGER sessions_stuck BEFORE DELETE ON admin_sessions \
         BEGIN SELECT RAISE(ABORT, 'disk failure'); END",
    )
    .execute(app.db.store.pool())
    .await
    .unwrap();
    let out = app
        .post("/admin/logout", &mut jar, &[("csrf", &csrf)], None, &[])
        .await;
    assert_eq!(out.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(
        out.headers().get(SET_COOKIE).is_none(),
        "the cookie is kept: still signed in"
    );
    let html = body(out).await;
    assert!(
        html.contains("Not signed out") && html.contains("still signed in"),
        "{html}"
    );
    assert!(html.contains("role=\"alert\""), "{html}");

    sqlx::query("DROP TRIGGER sessions_stuck")
        .execute(app.db.store.pool())
        .await
        .unwrap();
    let out = app
        .post("/admin/logout", &mut jar, &[("csrf", &csrf)], None, &[])
        .await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        header(out.headers(), "location"),
        "/admin/login?signed_out=1"
    );
    let login = body(app.get("/admin/login?signed_out=1", &mut jar).await).await;
    assert!(login.contains("You are signed out."));
    assert_eq!(
        app.get("/admin/alto-agencies", &mut jar).await.status(),
        StatusCode::SEE_OTHER
    );
}

/// What `alto admin serve` does, on a real socket: the security headers, a `Secure`
/// `__Host-` session cookie, and a `429` within 30 wrong passwords.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_server_sends_the_headers_a_secure_cookie_and_429_within_30_wrong_passwords() {
    let db = common::sqlite().await;
    db.store
        .insert_user("ann", &common::cheap_password_hash(PASSWORD), Role::Admin)
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(
        listener,
        AdminState::builder(db.store.clone()).build(),
        None,
        async {
            let _ = stopped.await;
        },
    ));
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    // One sign-in attempt as a browser makes it: the form (and its CSRF cookie), then the post.
    let attempt = |password: &'static str| {
        let (http, base) = (http.clone(), base.clone());
        async move {
            let form = http
                .get(format!("{base}/admin/login"))
                .send()
                .await
                .unwrap();
            assert_security_headers(form.headers(), "live login page");
            let set = header(form.headers(), "set-cookie").to_string();
            assert!(set.starts_with("__Host-alto_admin_login_csrf="), "{set}");
            let cookie = set.split(';').next().unwrap().to_string();
            let csrf = hidden_csrf(&form.text().await.unwrap());
            http.post(format!("{base}/admin/login"))
                .header("cookie", cookie)
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("next", "/admin/alto-agencies"),
                    ("username", "ann"),
                    ("password", password),
                ])
                .send()
                .await
                .unwrap()
        }
    };

    let ok = attempt(PASSWORD).await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    assert_security_headers(ok.headers(), "live sign-in");
    let session = ok
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("__Host-alto_admin_session="))
        .expect("session cookie");
    for part in ["; Secure", "; HttpOnly", "; SameSite=Strict", "; Path=/"] {
        assert!(session.contains(part), "{part} in {session}");
    }
    let list = http
        .get(format!("{base}/admin/alto-agencies"))
        .header("cookie", session.split(';').next().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), StatusCode::OK);
    assert_security_headers(list.headers(), "live agency list");

    let mut throttled_at = None;
    for n in 1..=30 {
        let wrong = attempt("not the password").await;
        assert_security_headers(wrong.headers(), "live refused sign-in");
        if wrong.status() == StatusCode::TOO_MANY_REQUESTS {
            let retry_after: u64 = header(wrong.headers(), "retry-after").parse().unwrap();
            assert!(retry_after >= 1);
            throttled_at = Some(n);
            break;
        }
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED, "attempt {n}");
    }
    assert!(throttled_at.is_some(), "no 429 within 30 wrong passwords");

    let _ = stop.send(());
    server.await.unwrap().unwrap();
}

#[tokio::test]
async fn ended_sessions_are_purged_on_a_schedule() {
    let app = app().await;
    let state = AdminState::builder(app.db.store.clone())
        .idle_timeout(Duration::from_millis(200))
        .build();
    let mut jar = Jar::default();
    app.sign_in(&mut jar, "ann", PASSWORD, None, &[]).await;
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM admin_sessions")
            .fetch_one(app.db.store.pool())
            .await
            .unwrap()
    };
    assert_eq!(count().await, 1);
    let purge = alto_admin::auth::sessions::spawn_session_purge(state, Duration::from_millis(100));
    tokio::time::sleep(Duration::from_millis(600)).await;
    purge.abort();
    assert_eq!(
        count().await,
        0,
        "the idle session was deleted without any request"
    );
}
