//! Build script: vendored spec → normalizer → progenitor → `OUT_DIR`.
//!
//! Set `ALTO_SPEC=/path/to/upstream.json` to build straight from a Zoopla document instead of
//! `openapi/alto.json` (it goes through the same facts-only importer first).

#[path = "src/spec/docs.rs"]
#[allow(dead_code)]
mod docs;
#[path = "src/spec/import.rs"]
#[allow(dead_code)]
mod import;
#[path = "src/spec/normalize.rs"]
#[allow(dead_code)]
mod normalize;
#[path = "src/spec/type_names.rs"]
#[allow(dead_code)]
mod type_names;

use std::{env, fs, path::PathBuf};

fn main() {
    for input in [
        "build.rs",
        "openapi/alto.json",
        "openapi/operation-names.json",
        "openapi/type-names.json",
        "src/spec/docs.rs",
        "src/spec/import.rs",
        "src/spec/normalize.rs",
        "src/spec/type_names.rs",
    ] {
        println!("cargo:rerun-if-changed={input}");
    }
    println!("cargo:rerun-if-env-changed=ALTO_SPEC");
    let facts = match env::var("ALTO_SPEC") {
        Ok(upstream) => {
            println!("cargo:rerun-if-changed={upstream}");
            let text = fs::read_to_string(&upstream)
                .unwrap_or_else(|e| panic!("ALTO_SPEC={upstream}: {e}"));
            import::import_str(&text).unwrap_or_else(|e| panic!("ALTO_SPEC={upstream}: {e}"))
        }
        Err(_) => fs::read_to_string("openapi/alto.json").expect("openapi/alto.json"),
    };
    let facts: serde_json::Value = serde_json::from_str(&facts).expect("vendored spec is JSON");
    let names: serde_json::Value = serde_json::from_str(
        &fs::read_to_string("openapi/operation-names.json").expect("operation names"),
    )
    .expect("names are JSON");
    let type_names: serde_json::Value =
        serde_json::from_str(&fs::read_to_string("openapi/type-names.json").expect("type names"))
            .expect("type names are JSON");
    let normalized = normalize::normalize(&facts, &names, &type_names)
        .unwrap_or_else(|e| panic!("normalizing the spec: {e}"));
    let spec: openapiv3::OpenAPI =
        serde_json::from_value(normalized.spec).expect("normalized spec is OpenAPI 3.0");

    let mut settings = progenitor::GenerationSettings::new();
    settings
        .with_interface(progenitor::InterfaceStyle::Builder)
        .with_tag(progenitor::TagStyle::Merged)
        .with_derive("schemars::JsonSchema")
        .with_inner_type("crate::raw::Context".parse().expect("inner type tokens"))
        .with_hooks(progenitor::HooksMode::Expected);
    let tokens = progenitor::Generator::new(&settings)
        .generate_tokens(&spec)
        .expect("progenitor generation");
    let code = prettyplease::unparse(&syn::parse2(tokens).expect("generated code parses"));

    let out = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR"));
    fs::write(out.join("alto_client.rs"), code).expect("write client");
    fs::write(
        out.join("operations.rs"),
        normalize::render_facts_table(&normalized.operations),
    )
    .expect("write facts");
}
