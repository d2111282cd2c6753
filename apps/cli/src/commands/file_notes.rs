//! `alto file-notes add|search|edit`.

use alto::file_notes::{FileNote, FileNoteEdit, NewFileNote};
use alto::ids::{ContactId, FileNoteId, PropertyId};

use crate::args::{Connection, FileNotesCommand};
use crate::output::{print_json, Failure};

/// Runs the command.
pub async fn run(
    connection: &Connection,
    command: FileNotesCommand,
    json: bool,
) -> Result<(), Failure> {
    let agency = crate::connect::agency(connection, None)?;
    let notes = agency.file_notes();
    match command {
        FileNotesCommand::Add {
            contact,
            property,
            notes: text,
            title,
            kind,
        } => {
            let mut contacts = contact.into_iter().map(ContactId::new);
            let mut note = match (contacts.next(), property) {
                (Some(first), p) => {
                    let note = NewFileNote::about_contact(first, text);
                    match p {
                        Some(p) => note.property(PropertyId::new(p)),
                        None => note,
                    }
                }
                (None, Some(p)) => NewFileNote::about_property(PropertyId::new(p), text),
                (None, None) => {
                    return Err(Failure::new(
                        "a file note needs a contact or a property",
                        Some("pass --contact ID and/or --property ID"),
                    ))
                }
            };
            for c in contacts {
                note = note.contact(c);
            }
            if let Some(t) = title {
                note = note.title(t);
            }
            if let Some(k) = kind {
                note = note.kind(k);
            }
            let id = notes.create_once(&note).await?;
            if json {
                return print_json(&serde_json::json!({ "id": id }));
            }
            println!("added file note {id}");
            Ok(())
        }
        FileNotesCommand::Search { contact, property } => {
            let found = match (contact, property) {
                (Some(c), _) => notes.search(ContactId::new(c)).await?,
                (None, Some(p)) => vec![notes.for_property(PropertyId::new(p)).await?],
                (None, None) => {
                    return Err(Failure::new(
                        "name a contact or a property",
                        Some("pass --contact ID or --property ID"),
                    ))
                }
            };
            if json {
                return print_json(&found);
            }
            println!("{} file notes", found.len());
            for n in &found {
                print_note(n);
            }
            Ok(())
        }
        FileNotesCommand::Edit {
            id,
            title,
            notes: text,
        } => {
            let mut edit = FileNoteEdit::default();
            if let Some(t) = title {
                edit = edit.title(t);
            }
            if let Some(n) = text {
                edit = edit.notes(n);
            }
            let id = FileNoteId::new(id);
            notes.update(id, &edit).await?;
            let note = notes.get(id).await?;
            if json {
                return print_json(&note);
            }
            print_note(&note);
            Ok(())
        }
    }
}

fn print_note(n: &FileNote) {
    println!(
        "  {:<8}  {}  {:<10}  {}",
        n.id.map(|i| i.to_string()).unwrap_or_default(),
        n.created_date
            .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default(),
        n.file_note_type.map(|k| k.to_string()).unwrap_or_default(),
        n.title.as_deref().unwrap_or(""),
    );
    if let Some(text) = &n.notes {
        println!("            {text}");
    }
}
