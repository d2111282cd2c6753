//! `alto spec import` and `alto spec diff`.

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
                let mut report = drift.to_json();
                report["written"] = serde_json::json!(out);
                return print_json(&report);
            }
            println!("wrote {}", out.display());
            print!("{drift}");
            if !drift.is_empty() {
                println!("next: scripts/update-generated, review the diff, run the tests (docs/spec-drift.md)");
            }
            Ok(())
        }
        SpecCommand::Diff { old, new } => {
            let drift = alto::spec::diff_files(&old, &new).map_err(|e| {
                Failure::new(
                    format!("diff failed: {e}"),
                    Some("pass two OpenAPI 3.0 JSON documents: Zoopla's or openapi/alto.json"),
                )
            })?;
            if json {
                return print_json(&drift.to_json());
            }
            print!("{drift}");
            Ok(())
        }
    }
}
