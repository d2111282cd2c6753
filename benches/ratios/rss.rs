//! Peak RSS while streaming reference checks: a fresh client process per size streams the
//! first N checks of a simulator child holding 100,000 and reports its own peak RSS (`VmHWM`).
//! Target: at most 50 MB at 100,000, and flat as the number of pages grows.

use std::process::Command;

use alto::reference_checks::DateRange;
use alto::{AltoClient, Credentials, Endpoints, Environment};
use futures::StreamExt;

use crate::child::SimChild;
use crate::Figure;

const SIZES: [usize; 4] = [100, 10_000, 50_000, 100_000];

pub fn run() -> Figure {
    let sim = SimChild::start(&["sandbox".into(), SIZES[SIZES.len() - 1].to_string()]);
    let mut peaks = Vec::new();
    for n in SIZES {
        let out = Command::new(std::env::current_exe().unwrap())
            .arg("--child-rss")
            .args([
                &sim.base_url,
                &sim.token_url,
                &sim.client_id,
                &sim.client_secret,
            ])
            .arg(n.to_string())
            .output()
            .expect("run the streaming child");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        let mut parts = text.split_whitespace();
        let streamed: usize = parts.next().unwrap().parse().unwrap();
        let peak_kb: u64 = parts.next().unwrap().parse().unwrap();
        assert_eq!(streamed, n, "streamed every check asked for");
        peaks.push((n, peak_kb));
    }
    let first = peaks[0].1 as f64 / 1024.0;
    let last = peaks[peaks.len() - 1].1 as f64 / 1024.0;
    let list = peaks
        .iter()
        .map(|(n, kb)| format!("{n}: {:.1} MB", *kb as f64 / 1024.0))
        .collect::<Vec<_>>()
        .join(", ");
    Figure {
        what: "peak RSS of a client streaming reference checks (100 per page)".into(),
        target: "≤ 50 MB at 100,000, flat",
        measured: format!("{list}; growth {:.1} MB from 100 to 100,000", last - first),
        met: last <= 50.0 && last - first <= 5.0,
    }
}

/// `--child-rss BASE TOKEN ID SECRET N`: streams N checks, prints `N peak-kB`.
pub fn child(args: &[String]) -> i32 {
    let n: usize = args[4].parse().unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let streamed = rt.block_on(async {
        let client = AltoClient::builder()
            .environment(
                Environment::Sandbox,
                Endpoints::custom(&args[0], &args[1]).unwrap(),
                Credentials::new(&args[2], &args[3]),
            )
            .build()
            .unwrap();
        let agency = client.agency(Environment::Sandbox, None, "bench").unwrap();
        agency
            .reference_checks()
            .list(DateRange::default())
            .take(n)
            .fold(0usize, |count, check| async move {
                std::hint::black_box(check.expect("a check"));
                count + 1
            })
            .await
    });
    println!("{streamed} {}", peak_rss_kb());
    0
}

fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
