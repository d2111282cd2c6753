//! Side-by-side ratios: each figure is measured against its baseline in the same run,
//! because these machines are noisy. Prints a Markdown table for `docs/performance.md`.
//!
//! ```text
//! cargo bench --bench ratios                    # every section
//! cargo bench --bench ratios -- throughput cpu  # some: throughput tokens cpu poll rss
//! ```
//!
//! Under `cargo test` (no `--bench` argument) only the token section runs, as a smoke test.
//!
//! The simulator runs in a child process (this binary, started again with `--child-sim`), so
//! the client's CPU time and memory are its own. The CPU section needs the Python baseline:
//! `bench/python/setup.sh` once.

mod child;
mod cpu;
mod poll;
mod rss;
mod throughput;
mod tokens;

/// One line of the results table.
pub struct Figure {
    /// What was measured.
    pub what: String,
    /// The target, as the issue states it.
    pub target: &'static str,
    /// The measured value, with its baseline.
    pub measured: String,
    /// Whether the target was met.
    pub met: bool,
}

const SECTIONS: [&str; 5] = ["throughput", "tokens", "cpu", "poll", "rss"];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(code) = child::run_if_child(&args) {
        std::process::exit(code);
    }
    // `cargo test --all-targets` runs this binary too, without `--bench`: then only the quick
    // token section runs, as a smoke test that fails when its figure misses its target.
    if !args.iter().any(|a| a == "--bench") {
        let figure = tokens::run();
        println!("smoke (cargo test): {}: {}", figure.what, figure.measured);
        std::process::exit(if figure.met { 0 } else { 1 });
    }
    let chosen: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let runs = |s: &str| chosen.is_empty() || chosen.contains(&s);
    if let Some(unknown) = chosen.iter().find(|s| !SECTIONS.contains(s)) {
        eprintln!(
            "unknown section {unknown}; sections: {}",
            SECTIONS.join(" ")
        );
        std::process::exit(2);
    }
    let mut figures = Vec::new();
    if runs("throughput") {
        figures.push(throughput::run());
    }
    if runs("tokens") {
        figures.push(tokens::run());
    }
    if runs("cpu") {
        figures.extend(cpu::run());
    }
    if runs("poll") {
        figures.push(poll::run());
    }
    if runs("rss") {
        figures.push(rss::run());
    }
    println!("\n| figure | target | measured | met |\n|---|---|---|---|");
    for f in &figures {
        println!(
            "| {} | {} | {} | {} |",
            f.what,
            f.target,
            f.measured,
            if f.met { "yes" } else { "**no**" }
        );
    }
    println!(
        "\nmeasured {} on {} cores",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
}
