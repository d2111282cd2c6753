//! `alto contacts create|get` (and `relate|relationships|unrelate`, in `relationships`).

use alto::contacts::{NewContact, NewPerson, PhoneType};
use alto::ids::{BranchId, ContactId};

use crate::args::{Connection, ContactsCommand};
use crate::output::{print_json, Failure};

/// Runs the command.
pub async fn run(
    connection: &Connection,
    command: ContactsCommand,
    json: bool,
) -> Result<(), Failure> {
    let agency = crate::connect::agency(connection, None)?;
    match command {
        ContactsCommand::Create {
            branch,
            surname,
            forename,
            email,
            mobile,
        } => {
            let mut person = NewPerson::new(surname);
            if let Some(f) = forename {
                person = person.forename(f);
            }
            if let Some(e) = email {
                person = person.email(e);
            }
            if let Some(m) = mobile {
                person = person.phone(PhoneType::Mobile, m);
            }
            let contact = agency
                .contacts()
                .create(&NewContact::new(BranchId::new(branch), person))
                .await?;
            if json {
                return print_json(&contact);
            }
            println!("created contact {}", contact.id.as_deref().unwrap_or("?"));
            Ok(())
        }
        ContactsCommand::Get { id } => {
            let contact = agency.contacts().get(ContactId::new(id)).await?;
            if json {
                return print_json(&contact);
            }
            println!("contact {}", contact.id.as_deref().unwrap_or("?"));
            for p in contact.people.iter().flatten() {
                println!(
                    "  {} {}",
                    p.forename.as_deref().unwrap_or(""),
                    p.surname.as_deref().unwrap_or("")
                );
            }
            Ok(())
        }
        // Listings, relationships, file notes, record documents
        command @ (ContactsCommand::Relate { .. }
        | ContactsCommand::Relationships { .. }
        | ContactsCommand::Unrelate { .. }) => {
            crate::commands::relationships::run(&agency, command, json).await
        }
    }
}
