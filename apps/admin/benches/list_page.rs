//! Load on the Alto Settings list page: 10,000 agencies in the store, 50 concurrent clients
//! signed in as an admin, measured with `wrk` (p50 and p99 latency; target p99 ≤ 50 ms).
//!
//! ```text
//! apt-get install wrk        # once
//! cargo bench -p alto-admin --bench list_page
//! ALTO_BENCH_DATABASE_URL=postgres://... cargo bench -p alto-admin --bench list_page
//! ```
//!
//! The server runs in this process (release build); `wrk` runs beside it on the same machine.
//! Under `cargo test` (no `--bench` argument) it only checks, with 100 agencies, that a signed-in
//! admin gets the pages, and runs no load.

use std::process::Command;
use std::time::Duration;

use alto_admin::auth::{create_user, sessions::log_in};
use alto_admin::store::{bulk_agencies, AgencyFilter, PageRequest};
use alto_admin::{AdminState, Role, Store};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const AGENCIES: usize = 10_000;
const SMOKE_AGENCIES: usize = 100;
const CONNECTIONS: usize = 50;
const SECONDS: u64 = 15;

fn main() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(run());
}

async fn run() {
    let load = std::env::args().any(|a| a == "--bench");
    let agencies = if load { AGENCIES } else { SMOKE_AGENCIES };
    let dir = std::env::temp_dir().join(format!("alto-admin-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = std::env::var("ALTO_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}?mode=rwc", dir.join("bench.sqlite").display()));
    let store = Store::connect(&url).await.expect("store");
    store.migrate().await.unwrap();
    let added = store
        .insert_agencies(&bulk_agencies(agencies))
        .await
        .unwrap();
    println!("store {:?}: {added} agencies added", store.backend());
    let user = format!("bench-{}", std::process::id());
    let password = "a long enough bench password";
    create_user(&store, &user, password, Role::Admin)
        .await
        .unwrap();
    let login = log_in(&store, &user, password, Duration::from_secs(3600))
        .await
        .unwrap();
    let cookie = format!("Cookie: __Host-alto_admin_session={}", login.token);

    let state = AdminState::builder(store.clone()).build();
    let per_page = state.config().per_page;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(alto_admin::web::serve(
        listener,
        state,
        None,
        std::future::pending(),
    ));

    if load {
        println!("| page | target | p50 | p99 | requests/s | non-2xx |\n|---|---|---|---|---|---|");
    }
    // Page 150 as its Next link from page 149 names it: a seek from page 149's last row.
    let page_149 = store
        .list_agencies(
            &AgencyFilter::default(),
            PageRequest {
                page: 149,
                per_page,
            },
        )
        .await
        .unwrap();
    let next_to_150 = match page_149.agencies.last() {
        Some(last) => format!(
            "/admin/alto-agencies?{}",
            serde_urlencoded::to_string([
                ("page", "150"),
                ("after_name", &last.display_name),
                ("after_id", &last.id),
            ])
            .unwrap()
        ),
        None => "/admin/alto-agencies?page=150".to_string(),
    };
    for path in [
        "/admin/alto-agencies",
        "/admin/alto-agencies?page=150",
        next_to_150.as_str(),
        "/admin/alto-agencies?q=Agency+0999",
    ] {
        let (status, body_len) = get_once(addr, path, &cookie).await;
        assert_eq!(status, 200, "{path} answers 200 to the signed-in admin");
        if !load {
            println!("smoke (cargo test): {path} answered 200 ({body_len} bytes)");
            continue;
        }
        let url = format!("http://{addr}{path}");
        let header = cookie.clone();
        let report = tokio::task::spawn_blocking(move || wrk(&url, &header))
            .await
            .unwrap();
        let met = report.p99_ms <= 50.0 && report.non_2xx == 0;
        println!(
            "| `{path}` ({body_len} bytes) | p99 ≤ 50 ms | {:.2} ms | {:.2} ms | {:.0} | {} |{}",
            report.p50_ms,
            report.p99_ms,
            report.requests_per_second,
            report.non_2xx,
            if met { "" } else { " **target missed**" }
        );
    }
    if load {
        println!("\n{agencies} agencies, {CONNECTIONS} connections, {SECONDS} s each");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// One GET with the session cookie; the status and body length.
async fn get_once(addr: std::net::SocketAddr, path: &str, cookie: &str) -> (u16, usize) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n{cookie}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let text = String::from_utf8_lossy(&answer);
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map_or(0, |(_, b)| b.len());
    (status, body)
}

struct WrkReport {
    p50_ms: f64,
    p99_ms: f64,
    requests_per_second: f64,
    non_2xx: u64,
}

fn wrk(url: &str, cookie_header: &str) -> WrkReport {
    let out = Command::new("wrk")
        .args([
            "-t2",
            &format!("-c{CONNECTIONS}"),
            &format!("-d{SECONDS}s"),
            "--latency",
        ])
        .args(["-H", cookie_header, url])
        .output()
        .expect("wrk is installed (apt-get install wrk)");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "wrk failed: {text}");
    let value_after = |label: &str| -> Option<&str> {
        text.lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(label))
            .map(str::trim)
    };
    WrkReport {
        p50_ms: value_after("50%").map(millis).expect("p50 in wrk output"),
        p99_ms: value_after("99%").map(millis).expect("p99 in wrk output"),
        requests_per_second: value_after("Requests/sec:")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0),
        non_2xx: value_after("Non-2xx or 3xx responses:")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0),
    }
}

/// wrk's latency text ("812.00us", "1.23ms", "1.02s") in milliseconds.
fn millis(v: &str) -> f64 {
    let (number, scale) = if let Some(n) = v.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = v.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = v.strip_suffix('s') {
        (n, 1000.0)
    } else {
        (v, 1.0)
    };
    number.parse::<f64>().unwrap_or(f64::NAN) * scale
}
