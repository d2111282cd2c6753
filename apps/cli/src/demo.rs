//! `alto demo`: the seed workflow end to end, on the embedded simulator by default.
//!
//! token → owner contact → property with owner → documents → viewing → tenancy tenants and
//! guarantors → reference checks of the last 7 days → mark one Completed.

use alto::contacts::{Address, NewContact, NewPerson, PhoneType};
use alto::documents::DocumentLink;
use alto::ids::{BranchId, NegotiatorId};
use alto::properties::{Market, PropertyDetails};
use alto::reference_checks::{DateRange, ReferenceCheckStatus};
use alto::{AgencyClient, AltoClient, ConfigError, Environment};
use chrono::{Duration, DurationRound, Utc};
use futures::TryStreamExt;
use serde::Serialize;

use crate::args::{Connection, DemoArgs, EnvironmentArg};
use crate::output::{print_json, Failure};

/// One step of the demo and what it did.
#[derive(Debug, Serialize)]
struct Step {
    step: &'static str,
    result: String,
}

/// Everything the demo did.
#[derive(Debug, Serialize)]
struct Summary {
    target: String,
    environment: String,
    steps: Vec<Step>,
}

/// Runs the demo.
pub async fn run(args: &DemoArgs, json: bool) -> Result<(), Failure> {
    let connection = &args.connection;
    let (agency, simulator, target) = if use_simulator(connection, args)? {
        let sim = crate::simulator::start_for_demo(args).await?;
        let local = Connection {
            environment: Some(EnvironmentArg::Sandbox),
            api_url: Some(sim.api_url()),
            token_url: Some(sim.token_url()),
            agency_ref: None,
        };
        let agency = crate::connect::agency(&local, Some(sim.credentials()))?;
        (agency, Some(sim), "embedded simulator".to_string())
    } else {
        let agency = crate::connect::agency(connection, None)?;
        let target = agency.api_url().to_string();
        (agency, None, target)
    };
    let mut summary = Summary {
        target,
        environment: agency.environment().to_string(),
        steps: Vec::new(),
    };
    let outcome = workflow(&agency, &mut summary, json).await;
    if let Some(sim) = simulator {
        sim.stop().await;
    }
    outcome?;
    if json {
        print_json(&summary)?;
    } else {
        println!(
            "demo finished: every step of the seed workflow ran against the {}",
            summary.target
        );
    }
    Ok(())
}

/// The demo creates contacts, properties, documents and appointments, so it leaves the
/// simulator only on an explicit choice: `--api-url` on the command line, or `--live` (never in
/// production). Credentials or `ALTO_API_URL` in the environment are not a choice: they may be
/// left over from real work.
fn use_simulator(connection: &Connection, args: &DemoArgs) -> Result<bool, Failure> {
    let configured = AltoClient::builder()
        .from_env_with(crate::connect::overrides(connection))
        .and_then(|builder| builder.build());
    let environment = match &configured {
        Ok(client) => client.default_environment(),
        Err(ConfigError::MissingCredentials { environment }) => *environment,
        Err(_) => Environment::Sandbox,
    };
    if args.live && environment == Environment::Production {
        return Err(Failure::usage(
            "alto demo --live refuses production: the demo creates contacts, properties, documents and appointments",
            Some("run it on Alto's sandbox (--env sandbox --live), or on the embedded simulator (no flags)"),
        ));
    }
    if args.simulator || !(args.live || connection.api_url.is_some()) {
        if configured.is_ok() {
            eprintln!("note: alto demo runs on the embedded simulator; pass --live (Alto's sandbox) or --api-url to use the configured Alto");
        }
        return Ok(true);
    }
    Ok(false)
}

fn record(summary: &mut Summary, json: bool, step: &'static str, result: String) {
    if !json {
        println!("  ✓ {step:<32} {result}");
    }
    summary.steps.push(Step { step, result });
}

fn first_id(raw: Option<&str>, what: &str) -> Result<i64, Failure> {
    raw.and_then(|s| s.trim().parse().ok())
        .ok_or_else(|| Failure::new(format!("Alto listed a {what} without a numeric id"), None))
}

async fn workflow(agency: &AgencyClient, s: &mut Summary, json: bool) -> Result<(), Failure> {
    if !json {
        println!("Alto demo on the {} ({})", s.target, s.environment);
    }
    agency.authenticate().await?;
    record(
        s,
        json,
        "token",
        "access token obtained (client credentials)".into(),
    );

    let branch = agency
        .branches()
        .list()
        .try_next()
        .await?
        .ok_or_else(|| Failure::new("the agency has no branches", None))?;
    let branch = BranchId::new(first_id(branch.branch_id.as_deref(), "branch")?);
    let negotiator = agency
        .branches()
        .negotiators()
        .try_next()
        .await?
        .ok_or_else(|| Failure::new("the agency has no negotiators", None))?;
    let negotiator = NegotiatorId::new(first_id(negotiator.id.as_deref(), "negotiator")?);
    record(
        s,
        json,
        "branch and negotiator",
        format!("branch {branch}, negotiator {negotiator}"),
    );

    let owner = NewContact::new(
        branch,
        NewPerson::new("Whitfield")
            .title("Mrs")
            .forename("Eleanor")
            .email("eleanor.whitfield@example.co.uk")
            .phone(PhoneType::Mobile, "07700 900123"),
    )
    .address(Address::new("12", "Cranbrook Road", "Bristol", "BS6 7BL"))
    .potential_landlord();
    let details = PropertyDetails {
        address: Address::new("Flat 3, 41", "Gloucester Road", "Bristol", "BS7 8AD"),
        market: Market::Rent,
        branch: Some(branch),
        negotiator: Some(negotiator),
    };
    let created = agency
        .properties()
        .create_with_new_owner(&owner, details)
        .await
        .map_err(|e| Failure::new(e.to_string(), Some("the error names the step that failed")))?;
    let how = if created.owner_created {
        "created"
    } else {
        "already in Alto"
    };
    record(
        s,
        json,
        "owner contact",
        format!("contact {} ({how})", created.owner),
    );
    let how = if created.property_created {
        "created"
    } else {
        "already in Alto"
    };
    record(
        s,
        json,
        "property with owner",
        format!(
            "property {} owned by contact {} ({how})",
            created.property, created.owner
        ),
    );

    let applicant = NewContact::new(
        branch,
        NewPerson::new("Okafor")
            .forename("Daniel")
            .email("daniel.okafor@example.co.uk"),
    )
    .and_person(
        NewPerson::new("Okafor")
            .forename("Grace")
            .email("grace.okafor@example.co.uk"),
    )
    .map_err(|e| Failure::new(e.to_string(), None))?;
    let (applicant, _) = agency.contacts().create_or_existing(&applicant).await?;
    record(
        s,
        json,
        "applicant contact",
        format!("contact {applicant} (two people)"),
    );

    let documents = agency.documents();
    let id_doc = documents
        .upload_once(
            "owner-id-check.pdf",
            "application/pdf",
            demo_pdf("Owner ID check"),
            DocumentLink::Contact(created.owner),
        )
        .await?;
    let gas_doc = documents
        .upload_once(
            "gas-safety-certificate.pdf",
            "application/pdf",
            demo_pdf("Gas safety"),
            DocumentLink::Property(created.property),
        )
        .await?;
    record(
        s,
        json,
        "documents",
        format!(
            "document {id_doc} on contact {}, document {gas_doc} on property {}",
            created.owner, created.property
        ),
    );

    let start = (Utc::now() + Duration::days(1))
        .duration_trunc(Duration::hours(1))
        .unwrap_or_else(|_| Utc::now());
    let viewing = alto::appointments::NewViewing::new(
        created.property,
        applicant,
        negotiator,
        start,
        start + Duration::minutes(30),
    )
    .notes("Demo viewing")
    .confirmed();
    let appointment = agency.appointments().create_viewing(&viewing).await?;
    record(
        s,
        json,
        "viewing appointment",
        format!(
            "appointment {appointment} at {}",
            start.format("%Y-%m-%d %H:%M UTC")
        ),
    );

    let tenancy = agency
        .tenancies()
        .list()
        .try_next()
        .await?
        .ok_or_else(|| Failure::new("the agency has no tenancies", None))?;
    let tenancy_id = alto::ids::TenancyId::new(
        tenancy
            .id
            .map(i64::from)
            .ok_or_else(|| Failure::new("a tenancy without an id", None))?,
    );
    let mut people = Vec::new();
    for (tenant, guarantors) in agency
        .tenancies()
        .tenants_with_guarantors(tenancy_id)
        .await?
    {
        let names: Vec<String> = guarantors
            .iter()
            .map(|g| format!("contact {}", g.contact))
            .collect();
        people.push(format!(
            "tenant {} (contact {}) guaranteed by [{}]",
            tenant.tenant,
            tenant.contact,
            names.join(", ")
        ));
    }
    record(
        s,
        json,
        "tenancy tenants and guarantors",
        format!("tenancy {tenancy_id}: {}", people.join("; ")),
    );

    let checks: Vec<_> = agency
        .reference_checks()
        .list(DateRange::last_days(7))
        .try_collect()
        .await?;
    let pending: Vec<_> = checks
        .iter()
        .filter(|c| c.status == Some(ReferenceCheckStatus::Pending))
        .collect();
    record(
        s,
        json,
        "reference checks (last 7 days)",
        format!("{} found, {} pending", checks.len(), pending.len()),
    );

    match pending.first().and_then(|c| c.reference_check_id) {
        Some(id) => {
            agency
                .reference_checks()
                .set_status(id, ReferenceCheckStatus::Completed)
                .await?;
            record(
                s,
                json,
                "reference check completed",
                format!("{id} marked Completed"),
            );
        }
        None => record(
            s,
            json,
            "reference check completed",
            "nothing pending to complete".into(),
        ),
    }
    Ok(())
}

/// A tiny valid PDF, so the uploaded documents open.
fn demo_pdf(title: &str) -> bytes::Bytes {
    format!("%PDF-1.4\n% {title}\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n").into_bytes().into()
}
