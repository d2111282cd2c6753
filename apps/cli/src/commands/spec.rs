//! `alto spec import`.

use crate::args::SpecCommand;
use crate::output::{print_json, Failure};

/// Runs the command.
pub fn run(command: SpecCommand, json: bool) -> Result<(), Failure> {
    match command {
        SpecCommand::Import { upstream, out } => {
            let drift = alto::spec::import_file(&upstream, &out).map_err(|e| {
                Failure::new(
                    format!("import failed: {e}"),
                    Some("pass Zoopla's OpenAPI 3.0 JSON document (alto-api-openapi.json)"),
                )
            })?;
            if json {
                let list = |v: &[alto::spec::drift::Change]| {
                    v.iter().map(|c| serde_json::json!({ "operation": c.operation, "parts": c.parts, "usedByFacade": c.used_by_facade })).collect::<Vec<_>>()
                };
                return print_json(&serde_json::json!({
                    "written": out,
                    "added": list(&drift.added),
                    "removed": list(&drift.removed),
                    "changed": list(&drift.changed),
                    "schemasChanged": drift.schemas_changed,
                }));
            }
            println!("wrote {}", out.display());
            print!("{drift}");
            if !drift.is_empty() {
                println!("next: scripts/update-generated, review the diff, run the tests");
            }
            Ok(())
        }
    }
}
