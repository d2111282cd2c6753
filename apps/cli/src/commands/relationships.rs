//! `alto contacts relate|relationships|unrelate`.

use alto::ids::{ContactId, RelationshipId};
use alto::AgencyClient;

use crate::args::ContactsCommand;
use crate::output::{print_json, Failure};

/// Runs one of the relationship subcommands of `alto contacts`.
pub async fn run(
    agency: &AgencyClient,
    command: ContactsCommand,
    json: bool,
) -> Result<(), Failure> {
    let contacts = agency.contacts();
    match command {
        ContactsCommand::Relate {
            contact,
            related,
            kind,
        } => {
            let (id, created) = contacts
                .relate(ContactId::new(contact), kind, ContactId::new(related))
                .await?;
            if json {
                return print_json(&serde_json::json!({ "id": id, "created": created }));
            }
            let verb = if created {
                "related"
            } else {
                "already related"
            };
            println!(
                "{verb}: contact {related} is {kind} of contact {contact} (relationship {id})"
            );
            Ok(())
        }
        ContactsCommand::Relationships { contact, kind } => {
            let found = contacts
                .relationships(ContactId::new(contact), &kind)
                .await?;
            if json {
                return print_json(&found);
            }
            println!("{} relationships of contact {contact}", found.len());
            for r in &found {
                println!(
                    "  {:<8}  {:<17}  contact {}",
                    r.relationship_id.map(|i| i.to_string()).unwrap_or_default(),
                    r.relationship_type
                        .map(|k| k.to_string())
                        .unwrap_or_default(),
                    r.related_contact_id
                        .map(|i| i.to_string())
                        .unwrap_or_default(),
                );
            }
            Ok(())
        }
        ContactsCommand::Unrelate {
            contact,
            relationship,
        } => {
            contacts
                .unrelate(ContactId::new(contact), RelationshipId::new(relationship))
                .await?;
            if json {
                return print_json(&serde_json::json!({ "removed": relationship }));
            }
            println!("removed relationship {relationship} from contact {contact}");
            Ok(())
        }
        other => Err(Failure::new(
            format!("not a relationship command: {other:?}"),
            None,
        )),
    }
}
