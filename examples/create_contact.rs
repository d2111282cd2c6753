//! The seed README's first example in Rust: create a contact.
//!
//! ```sh
//! cargo run --example create_contact                      # on the embedded simulator
//! ALTO_CLIENT_ID=… ALTO_CLIENT_SECRET=… cargo run --example create_contact   # sandbox
//! ```

use alto::contacts::{NewContact, NewPerson};
use alto::ids::BranchId;
use alto::{AltoClient, Endpoints, Environment};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Real credentials when set, otherwise a simulator on loopback.
    let (client, _simulator) = match AltoClient::from_env() {
        Ok(client) => (client, None),
        Err(_) => {
            let sim = alto_sim::Simulator::builder()
                .sandbox()
                .seed_demo_data(true)
                .start()
                .await?;
            let client = AltoClient::builder()
                .environment(
                    Environment::Sandbox,
                    Endpoints::custom(sim.base_url(), sim.token_url())?,
                    sim.credentials().to_alto(),
                )
                .build()?;
            (client, Some(sim))
        }
    };
    // Sandbox takes no AgencyRef; in production pass Some(agency_ref).
    let agency = client.default_agency(None)?;

    let contact = NewContact::new(
        BranchId::new(1),
        NewPerson::new("Doe")
            .forename("John")
            .email("john.doe@example.com"),
    );
    match agency.contacts().create(&contact).await {
        Ok(created) => println!("created contact {}", created.id.unwrap_or_default()),
        Err(alto::AltoError::Duplicate { existing, .. }) => {
            println!("Alto already has this contact: {existing:?}")
        }
        Err(e) => return Err(e.into()),
    }
    Ok(())
}
