//! The simulator in a child process: `--child-sim sandbox CHECKS` or
//! `--child-sim production AGENCIES CHECKS_PER_AGENCY LATENCY_MS`. It prints one line,
//! `READY base-url token-url client-id client-secret`, and serves until its standard input closes.

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::Duration;

use alto_sim::{Faults, Simulator};

/// A running simulator child; dropping it closes its standard input, which stops it.
pub struct SimChild {
    child: Child,
    _stdin: ChildStdin,
    /// API base URL.
    pub base_url: String,
    /// Token URL.
    pub token_url: String,
    /// Client id.
    pub client_id: String,
    /// Client secret (the simulator's, not a real one).
    pub client_secret: String,
}

impl Drop for SimChild {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl SimChild {
    /// Starts `this-binary --child-sim ARGS` and waits for it to be ready.
    pub fn start(args: &[String]) -> SimChild {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .arg("--child-sim")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the simulator child");
        let stdin = child.stdin.take().unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let parts: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(
            parts.first(),
            Some(&"READY"),
            "simulator child said {line:?}"
        );
        SimChild {
            child,
            _stdin: stdin,
            base_url: parts[1].into(),
            token_url: parts[2].into(),
            client_id: parts[3].into(),
            client_secret: parts[4].into(),
        }
    }

    /// The facade's endpoints for this simulator.
    pub fn endpoints(&self) -> alto::Endpoints {
        alto::Endpoints::custom(&self.base_url, &self.token_url).unwrap()
    }

    /// The facade's credentials for this simulator.
    pub fn credentials(&self) -> alto::Credentials {
        alto::Credentials::new(&self.client_id, &self.client_secret)
    }
}

/// `AgencyRef` of the `i`-th production agency of a child.
pub fn agency_ref(i: usize) -> String {
    format!("00000000-0000-4000-8000-{i:012}")
}

/// Runs a child role if `args` name one; returns its exit code.
pub fn run_if_child(args: &[String]) -> Option<i32> {
    match args.first().map(String::as_str) {
        Some("--child-sim") => Some(serve(&args[1..])),
        Some("--child-rss") => Some(crate::rss::child(&args[1..])),
        _ => None,
    }
}

fn serve(args: &[String]) -> i32 {
    let num = |i: usize| -> usize { args[i].parse().expect("a number") };
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let (builder, agencies, checks) = match args[0].as_str() {
            "sandbox" => (Simulator::builder().sandbox(), vec![None], num(1)),
            "production" => {
                let refs: Vec<String> = (0..num(1)).map(agency_ref).collect();
                let faults = Faults::default().latency(Duration::from_millis(num(3) as u64));
                // No demo data: exactly CHECKS_PER_AGENCY checks each.
                let builder = Simulator::builder()
                    .production(refs.iter().map(|r| (r.clone(), format!("Agency {r}"))))
                    .seed_demo_data(false)
                    .faults(faults);
                (builder, refs.into_iter().map(Some).collect(), num(2))
            }
            other => panic!("unknown simulator kind {other}"),
        };
        let sim = builder.start().await.expect("simulator");
        let now = chrono::Utc::now();
        for agency in &agencies {
            for k in 0..checks {
                sim.add_reference_check(
                    agency.as_deref(),
                    now - chrono::Duration::seconds(k as i64 + 1),
                );
            }
        }
        let c = sim.credentials();
        println!(
            "READY {} {} {} {}",
            sim.base_url(),
            sim.token_url(),
            c.client_id,
            c.client_secret
        );
        // Serve until the parent closes our standard input (or dies).
        tokio::task::spawn_blocking(|| {
            let mut sink = String::new();
            while std::io::stdin().read_line(&mut sink).is_ok_and(|n| n > 0) {}
        })
        .await
        .unwrap();
    });
    0
}
