//! Drives `alto listings`, `alto contacts relate|relationships|unrelate`, `alto file-notes` and
//! `alto documents` as processes against a simulator the test starts.

use std::process::Output;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

/// A sandbox simulator with demo data.
async fn simulator() -> alto_sim::RunningSimulator {
    alto_sim::Simulator::builder()
        .sandbox()
        .seed_demo_data(true)
        .start()
        .await
        .expect("simulator starts")
}

/// Runs `alto` with the simulator's credentials and URL, and `args`.
async fn alto(sim: &alto_sim::RunningSimulator, args: &[&str]) -> Output {
    let creds = sim.credentials();
    let (id, secret) = (creds.client_id.clone(), creds.client_secret.clone());
    let url = sim.base_url();
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        Command::cargo_bin("alto")
            .expect("alto binary")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("ALTO_CLIENT_ID", id)
            .env("ALTO_CLIENT_SECRET", secret)
            .timeout(Duration::from_secs(120))
            .env("ALTO_API_URL", &url)
            .args(&args)
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

/// Runs `alto --json …`, expects success and parses stdout.
async fn alto_json(sim: &alto_sim::RunningSimulator, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = alto(sim, &all).await;
    assert!(
        out.status.success(),
        "alto {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "alto {args:?}: not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The demo flat's property id (two bedrooms).
fn flat(sim: &alto_sim::RunningSimulator) -> String {
    sim.listings(None)
        .iter()
        .find(|l| l.bedrooms == Some(2))
        .and_then(|l| l.property_id)
        .unwrap()
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn listings_list_get_images_download_and_add_a_link() {
    let sim = simulator().await;
    let flat = flat(&sim);

    let all = alto_json(&sim, &["listings", "list"]).await;
    assert_eq!(all.as_array().unwrap().len(), sim.listings(None).len());
    let available = alto_json(&sim, &["listings", "list", "--status", "Available"]).await;
    let available = available.as_array().unwrap();
    assert_eq!(available.len(), 1);
    assert_eq!(available[0]["status"], "Available");
    let text = stdout(&alto(&sim, &["listings", "list", "--status", "Let"]).await);
    assert!(text.starts_with("1 listings"), "{text}");
    assert!(text.contains(&flat), "{text}");

    let got = alto_json(&sim, &["listings", "get", &flat]).await;
    assert_eq!(got[0]["market"], "Rent");
    let text = stdout(&alto(&sim, &["listings", "get", &flat]).await);
    assert!(text.contains("Pulteney Road"), "{text}");

    let text = stdout(&alto(&sim, &["listings", "images", &flat]).await);
    assert_eq!(text.matches("gallery").count(), 2, "{text}");
    let images = alto_json(&sim, &["listings", "images", &flat]).await;
    let src = images["galleryImages"][0]["sizes"]["tile"]["src"]
        .as_str()
        .unwrap();
    let image = src.split('?').next().unwrap().rsplit('/').next().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("front.png");
    let text = stdout(
        &alto(
            &sim,
            &[
                "listings",
                "image",
                &flat,
                image,
                "--size",
                "tile",
                "--out",
                out.to_str().unwrap(),
            ],
        )
        .await,
    );
    assert!(text.contains("image/png"), "{text}");
    assert!(std::fs::read(&out).unwrap().starts_with(b"\x89PNG"));

    let url = "https://tours.example.co.uk/14-pulteney-road";
    let added = alto_json(
        &sim,
        &[
            "listings",
            "add-link",
            &flat,
            "--url",
            url,
            "--description",
            "Tour",
        ],
    )
    .await;
    assert!(added["mediaId"].is_number(), "{added}");
    let tours = sim
        .listing_images(None, flat.parse().unwrap())
        .virtual_tour_links
        .unwrap();
    assert_eq!(tours.len(), 1);
    assert_eq!(tours[0].url.as_deref(), Some(url));

    let bad = alto(&sim, &["listings", "list", "--status", "Sold"]).await;
    assert_eq!(bad.status.code(), Some(2), "a usage error");
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("--status") && err.contains("UnderOffer"),
        "the refusal lists Alto's statuses: {err}"
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn contacts_are_related_listed_and_unrelated() {
    let sim = simulator().await;
    let contacts = sim.contacts(None);
    let (tenant, other) = (
        contacts[0].id.clone().unwrap(),
        contacts[1].id.clone().unwrap(),
    );
    let related = alto_json(&sim, &["contacts", "relate", &tenant, &other]).await;
    assert_eq!(related["created"], true);
    let again = alto_json(&sim, &["contacts", "relate", &tenant, &other]).await;
    assert_eq!(again["created"], false);
    assert_eq!(again["id"], related["id"]);
    let listed = alto_json(&sim, &["contacts", "relationships", &tenant]).await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["relationshipType"], "TenantGuarantor");
    let none = alto_json(
        &sim,
        &[
            "contacts",
            "relationships",
            &tenant,
            "--kind",
            "ForwardingAddress",
        ],
    )
    .await;
    assert!(none.as_array().unwrap().is_empty());
    let id = related["id"].to_string();
    let text = stdout(&alto(&sim, &["contacts", "unrelate", &tenant, &id]).await);
    assert!(text.contains("removed relationship"), "{text}");
    let gone = alto(&sim, &["contacts", "unrelate", &tenant, &id]).await;
    // The operation declares no 404: a relationship already removed is its 400.
    assert_eq!(gone.status.code(), Some(5), "{gone:?}");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn file_notes_are_added_searched_and_edited() {
    let sim = simulator().await;
    let contact = sim.contacts(None)[2].id.clone().unwrap();
    let flat = flat(&sim);
    let added = alto_json(
        &sim,
        &[
            "file-notes",
            "add",
            "--contact",
            &contact,
            "--property",
            &flat,
            "--notes",
            "Asked about parking permits.",
            "--kind",
            "PhoneCall",
        ],
    )
    .await;
    let id = added["id"].to_string();
    let found = alto_json(&sim, &["file-notes", "search", "--contact", &contact]).await;
    assert!(
        found
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["id"] == added["id"] && n["fileNoteType"] == "PhoneCall"),
        "{found}"
    );
    let latest = alto_json(&sim, &["file-notes", "search", "--property", &flat]).await;
    assert_eq!(latest[0]["id"], added["id"]);
    let text = stdout(
        &alto(
            &sim,
            &[
                "file-notes",
                "edit",
                &id,
                "--notes",
                "Asked about parking permits; sent the council link.",
            ],
        )
        .await,
    );
    assert!(text.contains("sent the council link"), "{text}");
    let empty = alto(&sim, &["file-notes", "edit", &id]).await;
    assert!(!empty.status.success());
    assert!(String::from_utf8_lossy(&empty.stderr).contains("changes nothing"));
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn documents_are_listed_per_record_and_downloaded() {
    let sim = simulator().await;
    let flat = flat(&sim);
    let photos = alto_json(
        &sim,
        &[
            "documents",
            "list",
            "--property",
            &flat,
            "--media-type",
            "Photo",
        ],
    )
    .await;
    assert_eq!(photos[0]["fileName"], "living-room.jpg");
    let work_order = sim.work_orders(None)[0].to_string();
    let text = stdout(&alto(&sim, &["documents", "list", "--work-order", &work_order]).await);
    assert!(text.contains("extractor-fan-invoice.pdf"), "{text}");
    let all = alto_json(&sim, &["documents", "list", "--property", &flat]).await;
    let certificate = all
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["fileName"] == "gas-safety-certificate.pdf")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("certificate.pdf");
    let saved = alto_json(
        &sim,
        &[
            "documents",
            "download",
            &certificate,
            "--out",
            out.to_str().unwrap(),
        ],
    )
    .await;
    assert_eq!(saved["bytes"], 19);
    assert_eq!(std::fs::read(&out).unwrap(), b"%PDF-1.4 gas safety");

    let nothing = alto(&sim, &["documents", "list"]).await;
    assert!(!nothing.status.success());
    assert!(String::from_utf8_lossy(&nothing.stderr).contains("exactly one record"));
    sim.shutdown().await;
}
