//! `alto documents list|download`.

use std::path::PathBuf;

use alto::documents::{Document, DocumentLink, PropertyDocuments};
use alto::ids::{ContactId, DocumentId, PropertyId, TenancyId, WorkOrderId};
use futures::TryStreamExt;

use crate::args::{Connection, DocumentsCommand};
use crate::commands::listings::save;
use crate::output::{print_json, Failure};

/// Runs the command.
pub async fn run(
    connection: &Connection,
    command: DocumentsCommand,
    json: bool,
) -> Result<(), Failure> {
    let agency = crate::connect::agency(connection, None)?;
    let docs = agency.documents();
    match command {
        DocumentsCommand::List {
            contact,
            property,
            tenancy,
            work_order,
            media_type,
        } => {
            let media = media_type;
            let named = [contact, property, tenancy, work_order]
                .iter()
                .filter(|r| r.is_some())
                .count();
            if named != 1 {
                return Err(Failure::new(
                    "name exactly one record",
                    Some("pass one of --contact, --property, --tenancy, --work-order"),
                ));
            }
            let found: Vec<Document> = match (contact, property, tenancy, work_order) {
                (_, _, _, Some(w)) => {
                    if media.is_some() {
                        return Err(Failure::new(
                            "--media-type does not apply to a works order's documents",
                            Some("drop --media-type"),
                        ));
                    }
                    docs.of_work_order(WorkOrderId::new(w))
                        .try_collect()
                        .await?
                }
                (_, Some(p), _, _) => {
                    let filter = PropertyDocuments {
                        media_types: media.into_iter().collect(),
                        file_types: Vec::new(),
                    };
                    docs.of_property(PropertyId::new(p), filter)
                        .try_collect()
                        .await?
                }
                (c, _, t, _) => {
                    let link = match (c, t) {
                        (Some(c), _) => DocumentLink::Contact(ContactId::new(c)),
                        (_, Some(t)) => DocumentLink::Tenancy(TenancyId::new(t)),
                        _ => unreachable!("one record is named"),
                    };
                    match media {
                        Some(m) => docs.list_of_type(link, m).try_collect().await?,
                        None => docs.list(link).try_collect().await?,
                    }
                }
            };
            if json {
                return print_json(&found);
            }
            println!("{} documents", found.len());
            for d in &found {
                println!(
                    "  {:<8}  {:<32}  {:<16}  {}",
                    d.id.as_deref().unwrap_or("-"),
                    d.file_name.as_deref().unwrap_or("-"),
                    d.file_type.as_deref().unwrap_or("-"),
                    d.modified_date
                        .map(|t| t.format("%Y-%m-%d").to_string())
                        .unwrap_or_default(),
                );
            }
            Ok(())
        }
        DocumentsCommand::Download { id, out } => {
            let download = docs.download(DocumentId::new(id)).await?;
            let out = match out {
                Some(out) => out,
                None => PathBuf::from(safe_name(download.file_name(), id)),
            };
            save(download, out, json).await
        }
    }
}

/// The file name Alto sent, reduced to its last path component (never a path elsewhere), or
/// `document-{id}`.
fn safe_name(sent: Option<&str>, id: i64) -> String {
    sent.and_then(|n| n.rsplit(['/', '\\']).next())
        .map(str::trim)
        .filter(|n| !n.is_empty() && *n != "." && *n != "..")
        .map(String::from)
        .unwrap_or_else(|| format!("document-{id}"))
}

#[cfg(test)]
mod tests {
    use super::safe_name;

    #[test]
    fn a_sent_file_name_cannot_escape_the_directory() {
        assert_eq!(safe_name(Some("../../etc/passwd"), 1), "passwd");
        assert_eq!(safe_name(Some(".."), 2), "document-2");
        assert_eq!(safe_name(None, 3), "document-3");
        assert_eq!(safe_name(Some("lease.pdf"), 4), "lease.pdf");
    }
}
