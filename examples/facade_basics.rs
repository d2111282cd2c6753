//! Facade basics: configure an [`alto::AltoClient`], scope it to an agency, and list every
//! reference check, page by page.
//!
//! With credentials in the environment (the usual way; `ALTO_ENV` defaults to `sandbox`):
//!
//! ```text
//! ALTO_CLIENT_ID=… ALTO_CLIENT_SECRET=… cargo run --example facade_basics
//! ```
//!
//! In production also set `ALTO_AGENCY_REF` (from the agency's activation email): without it
//! the client refuses to scope to the agency before sending anything.
//!
//! Or with explicit sandbox credentials, built in code (see [`sandbox_client`]):
//!
//! ```text
//! cargo run --example facade_basics -- <client-id> <client-secret>
//! ```

use std::time::Duration;

use alto::paging::{paginate, DEFAULT_PAGE_SIZE};
use alto::raw::{types, ResponseValue};
use alto::{AgencyRef, AltoClient, AltoError, Credentials};
use futures::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let client = match args.as_slice() {
        [client_id, client_secret] => sandbox_client(client_id, client_secret)?,
        _ => AltoClient::from_env()?,
    };

    // The same code serves both environments: sandbox ignores the AgencyRef, production
    // requires it (and fails here, before any request, when it is missing).
    let agency_ref = match std::env::var("ALTO_AGENCY_REF") {
        Ok(raw) if !raw.trim().is_empty() => Some(AgencyRef::parse(&raw)?),
        _ => None,
    };
    let agency = client.default_agency(agency_ref)?;

    // Fails fast with a typed error (bad credentials, unreachable, malformed answer).
    agency.authenticate().await?;

    let agency = &agency;
    let checks: Vec<types::ReferenceCheckDto> = paginate(move |cursor: Option<String>| {
        let request = agency
            .raw()
            .get_reference_checks()
            .max_results(DEFAULT_PAGE_SIZE as i32);
        let request = match cursor {
            Some(cursor) => request.next_token(cursor),
            None => request,
        };
        async move {
            agency
                .send("get_reference_checks", request.send())
                .await
                .map(ResponseValue::into_inner)
        }
    })
    .try_collect()
    .await
    .inspect_err(explain)?;

    println!(
        "{} reference checks in {} for {}",
        checks.len(),
        agency.environment(),
        agency.label()
    );
    for check in checks.iter().take(10) {
        println!(
            "  {} tenancy {:?}: {:?}",
            check
                .reference_check_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            check.tenancy_id,
            check.status
        );
    }
    Ok(())
}

/// A sandbox client from explicit credentials, with the settings a caller usually tunes.
///
/// Credentials are kept as secrets: `Debug` of the client never shows them.
fn sandbox_client(client_id: &str, client_secret: &str) -> Result<AltoClient, AltoError> {
    Ok(AltoClient::builder()
        .sandbox(Credentials::new(client_id, client_secret))
        .timeout(Duration::from_secs(20))
        .token_refresh_margin(Duration::from_secs(120))
        .build()?)
}

/// Every [`AltoError`]'s `Display` already says what to do; some deserve a word more.
fn explain(error: &AltoError) {
    if let AltoError::Forbidden {
        required_scopes, ..
    } = error
    {
        eprintln!("this call needs the scopes {required_scopes:?}");
    }
}
