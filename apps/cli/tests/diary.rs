//! Drives `alto appointments …` and `alto calendar …` as processes against a simulator the test
//! starts.

use std::time::Duration;

use alto::appointments::NewViewing;
use alto::contacts::{Address, NewContact, NewPerson};
use alto::ids::{AppointmentId, BranchId, ContactId, NegotiatorId};
use alto::properties::{Market, PropertyDetails};
use alto::{AltoClient, Endpoints, Environment};
use assert_cmd::Command;
use futures::TryStreamExt;

/// The `alto` binary with a clean environment, pointed at `sim`.
fn alto(sim: &alto_sim::RunningSimulator) -> Command {
    let creds = sim.credentials();
    let mut cmd = Command::cargo_bin("alto").expect("alto binary");
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("ALTO_CLIENT_ID", &creds.client_id)
        .env("ALTO_CLIENT_SECRET", &creds.client_secret)
        .env("ALTO_API_URL", sim.base_url())
        .timeout(Duration::from_secs(120));
    cmd
}

/// Runs the command off the async runtime (the simulator runs on it).
async fn run(mut cmd: Command) -> std::process::Output {
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

/// A simulator with a viewing on Saturday 24 October 2026, 10:00 BST, of a property by two
/// applicants; returns it with the viewing and its negotiator.
async fn simulator_with_a_viewing() -> (alto_sim::RunningSimulator, AppointmentId, NegotiatorId) {
    let sim = alto_sim::Simulator::builder()
        .sandbox()
        .seed_demo_data(true)
        .start()
        .await
        .expect("simulator starts");
    let client = AltoClient::builder()
        .environment(
            Environment::Sandbox,
            Endpoints::custom(sim.base_url(), sim.token_url()).unwrap(),
            sim.credentials().to_alto(),
        )
        .build()
        .unwrap();
    let agency = client.agency(Environment::Sandbox, None, "cli").unwrap();
    let branch = agency.branches().list().try_next().await.unwrap().unwrap();
    let branch = BranchId::new(branch.branch_id.unwrap().parse().unwrap());
    let negotiator = agency
        .branches()
        .negotiators()
        .try_next()
        .await
        .unwrap()
        .unwrap();
    let negotiator = NegotiatorId::new(negotiator.id.unwrap().parse().unwrap());
    let owner = NewContact::new(branch, NewPerson::new("Whitfield").forename("Eleanor"));
    let property = agency
        .properties()
        .create_with_new_owner(
            &owner,
            PropertyDetails {
                address: Address::new("8", "Cotham Hill", "Bristol", "BS6 6LA"),
                market: Market::Rent,
                branch: Some(branch),
                negotiator: Some(negotiator),
            },
        )
        .await
        .unwrap();
    let mut applicants = Vec::new();
    for surname in ["Okafor", "Shah"] {
        let c = agency
            .contacts()
            .create(&NewContact::new(branch, NewPerson::new(surname)))
            .await
            .unwrap();
        applicants.push(ContactId::parse("t", c.id.as_deref()).unwrap());
    }
    let start = "2026-10-24T09:00:00Z".parse().unwrap();
    let viewing = NewViewing::new(
        property.property,
        applicants[0],
        negotiator,
        start,
        start + chrono::Duration::minutes(30),
    )
    .and_applicant(applicants[1]);
    let viewing = agency
        .appointments()
        .create_viewing(&viewing)
        .await
        .unwrap();
    (sim, viewing, negotiator)
}

fn ok(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn appointment_types_get_and_reschedule() {
    let (sim, viewing, _) = simulator_with_a_viewing().await;

    let mut types = alto(&sim);
    types.args(["--json", "appointments", "types"]);
    let listed: Vec<serde_json::Value> = serde_json::from_str(&ok(&run(types).await)).unwrap();
    assert!(
        listed
            .iter()
            .any(|t| t["id"] == 1 && t["name"] == "Meeting"),
        "{listed:?}"
    );

    let mut get = alto(&sim);
    get.args(["appointments", "get", &viewing.to_string()]);
    let shown = ok(&run(get).await);
    assert!(shown.contains("Viewing"), "{shown}");
    assert!(
        shown.contains("2026-10-24 10:00 – 10:30"),
        "UK local time: {shown}"
    );
    assert_eq!(
        shown
            .lines()
            .find(|l| l.contains("contacts:"))
            .map(|l| l.split(',').count()),
        Some(2),
        "two applicants: {shown}"
    );

    sim.clear_requests();
    let mut reschedule = alto(&sim);
    reschedule.args([
        "appointments",
        "reschedule",
        &viewing.to_string(),
        "--kind",
        "viewing",
        "--start",
        "2026-10-26T10:00",
        "--end",
        "2026-10-26T10:45",
    ]);
    let said = ok(&run(reschedule).await);
    assert!(said.contains("Mon 26 Oct 2026 10:00 – 10:45"), "{said}");
    let stored = sim
        .appointments(None)
        .into_iter()
        .find(|a| a.id == Some(viewing.0))
        .unwrap();
    assert_eq!(
        stored.start_date.map(|d| d.naive_utc().to_string()),
        Some("2026-10-26 10:00:00".to_string()),
        "the diary holds the new UK local time"
    );
    assert!(sim
        .requests()
        .iter()
        .any(|r| r.method == "PATCH" && r.path == format!("/appointments/viewings/{viewing}")));

    sim.clear_requests();
    let mut backwards = alto(&sim);
    backwards.args([
        "appointments",
        "reschedule",
        &viewing.to_string(),
        "--kind",
        "viewing",
        "--start",
        "2026-10-26T11:00",
        "--end",
        "2026-10-26T10:00",
    ]);
    let out = run(backwards).await;
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("invalid request"), "{stderr}");
    assert!(stderr.contains("hint: fix the input"), "{stderr}");
    assert!(
        sim.requests().iter().all(|r| r.method != "PATCH"),
        "nothing sent for a backwards time"
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn calendar_writes_an_ics_file_in_uk_local_time() {
    let (sim, viewing, negotiator) = simulator_with_a_viewing().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("diary.ics");
    let mut export = alto(&sim);
    export.args([
        "calendar",
        "--negotiator",
        &negotiator.to_string(),
        "--from",
        "2026-10-19",
        "--to",
        "2026-11-02",
        "--output",
        path.to_str().unwrap(),
    ]);
    let said = ok(&run(export).await);
    assert!(said.contains("wrote 1 appointments"), "{said}");
    let ics = std::fs::read_to_string(&path).unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"), "{ics}");
    assert!(
        ics.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/London\r\n"),
        "{ics}"
    );
    assert!(
        ics.contains("DTSTART;TZID=Europe/London:20261024T100000\r\n"),
        "{ics}"
    );
    assert!(
        ics.contains(&format!("UID:alto-appointment-{viewing}-0\r\n")),
        "{ics}"
    );

    let mut neither = alto(&sim);
    neither.args(["calendar", "--from", "2026-10-19", "--to", "2026-11-02"]);
    let out = run(neither).await;
    assert_eq!(
        out.status.code(),
        Some(2),
        "clap refuses a calendar of no one"
    );
    sim.shutdown().await;
}
