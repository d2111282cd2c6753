//! The spec pipeline end to end: importer reproduces the vendored spec, no prose survives,
//! every operation is generated, and `generated/` matches what build.rs produced.

use std::path::{Path, PathBuf};

#[path = "spec_pipeline/drift_report.rs"]
mod drift_report;
#[path = "spec_pipeline/facade_operations.rs"]
mod facade_operations;

const BUILT_CLIENT: &str = include_str!(concat!(env!("OUT_DIR"), "/alto_client.rs"));
const BUILT_FACTS: &str = include_str!(concat!(env!("OUT_DIR"), "/operations.rs"));

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Zoopla's document, if this machine has it (`ALTO_UPSTREAM_SPEC`, or `../shared/alto-openapi/`
/// beside the checkout). It is third-party data and never committed, so it may be absent.
fn upstream() -> Option<String> {
    let candidates = [
        std::env::var("ALTO_UPSTREAM_SPEC").ok().map(PathBuf::from),
        Some(root().join("../shared/alto-openapi/alto-api-openapi.json")),
        Some(root().join("../../shared/alto-openapi/alto-api-openapi.json")),
        // Where this workplace keeps it, for checkouts elsewhere (CI clones).
        Some(std::path::PathBuf::from(
            "/work/shared/alto-openapi/alto-api-openapi.json",
        )),
    ];
    for path in candidates.into_iter().flatten() {
        if let Ok(text) = std::fs::read_to_string(&path) {
            return Some(text);
        }
    }
    eprintln!("skipping: Zoopla's spec is not on this machine (set ALTO_UPSTREAM_SPEC)");
    None
}

#[test]
fn generated_dir_is_in_sync_with_the_build() {
    let pairs = [
        ("generated/alto_client.rs", BUILT_CLIENT),
        ("generated/operations.rs", BUILT_FACTS),
    ];
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        for (file, built) in pairs {
            std::fs::write(root().join(file), built).unwrap();
        }
        return;
    }
    for (file, built) in pairs {
        let committed = std::fs::read_to_string(root().join(file)).unwrap_or_default();
        assert!(
            committed == built,
            "{file} is stale: run `scripts/update-generated` (UPDATE_GENERATED=1 cargo test -p alto --test spec_pipeline) and commit it"
        );
    }
}

#[test]
fn all_112_operations_are_generated() {
    let spec: serde_json::Value = serde_json::from_str(alto::spec::VENDORED_SPEC).unwrap();
    let in_spec = alto::spec::drift::operations(&spec).len();
    assert_eq!(in_spec, 112, "the vendored spec has {in_spec} operations");
    assert_eq!(alto::raw::facts::OPERATIONS.len(), in_spec);
    for op in alto::raw::facts::OPERATIONS {
        let method = format!("pub fn {}(", op.id);
        assert!(
            BUILT_CLIENT.contains(&method),
            "no raw client method for {} {} ({})",
            op.method,
            op.path,
            op.id
        );
    }
}

#[test]
fn importing_upstream_reproduces_the_vendored_spec_byte_for_byte_twice() {
    let Some(upstream) = upstream() else { return };
    let first = alto::spec::import::import_str(&upstream).unwrap();
    let second = alto::spec::import::import_str(&upstream).unwrap();
    assert_eq!(first, second, "importer is not deterministic");
    let vendored = std::fs::read_to_string(root().join("openapi/alto.json")).unwrap();
    assert!(
        first == vendored,
        "openapi/alto.json differs from a fresh import: run `alto spec import`"
    );
    let outcome = alto::spec::import_with_drift(&upstream, Some(&vendored)).unwrap();
    assert!(outcome.drift.is_empty(), "{}", outcome.drift);
}

fn prose(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                if matches!(k.as_str(), "description" | "summary" | "example" | "title") {
                    if let Some(s) = v.as_str() {
                        out.push(s.to_string());
                    } else if k == "example" {
                        out.push(v.to_string());
                    }
                }
                prose(v, out);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| prose(i, out)),
        _ => {}
    }
}

#[test]
fn no_upstream_prose_survives_in_the_vendored_spec() {
    let Some(upstream) = upstream() else { return };
    let doc: serde_json::Value = serde_json::from_str(&upstream).unwrap();
    let mut texts = Vec::new();
    prose(&doc, &mut texts);
    assert!(
        texts.len() > 500,
        "expected upstream prose to test against, found {}",
        texts.len()
    );
    let vendored = std::fs::read_to_string(root().join("openapi/alto.json")).unwrap();
    // Short strings ("OK", "Success", a field name as title) are not prose worth the name.
    let survivors: Vec<&String> = texts
        .iter()
        .filter(|t| t.split_whitespace().count() >= 4)
        .filter(|t| {
            let escaped = serde_json::to_string(t).unwrap();
            vendored.contains(&escaped[1..escaped.len() - 1])
        })
        .collect();
    assert!(
        survivors.is_empty(),
        "upstream prose found in openapi/alto.json: {:?}",
        &survivors[..survivors.len().min(5)]
    );
    let mut left = Vec::new();
    let mut facts: serde_json::Value = serde_json::from_str(&vendored).unwrap();
    // The API's name is a fact (OpenAPI requires `info.title`), not prose.
    facts["info"].as_object_mut().unwrap().remove("title");
    prose(&facts, &mut left);
    left.retain(|t| !t.is_empty());
    assert!(
        left.is_empty(),
        "prose keys with text in openapi/alto.json: {:?}",
        &left[..left.len().min(5)]
    );
}

#[test]
fn scopes_are_kept_as_facts() {
    let op = alto::raw::facts::operation("get_reference_checks").unwrap();
    assert_eq!(op.route_scopes, &["alto/route:get-referencechecks"]);
    let op = alto::raw::facts::operation("get_appointment").unwrap();
    assert_eq!(op.granted_scopes, &["alto/read:appointments"]);
    let patch = alto::raw::facts::operation("update_contact").unwrap();
    assert_eq!(patch.wire_content_type, Some("application/json-patch+json"));
    assert!(Path::new(&root().join("openapi/README.md")).exists());
}

fn json_file(text: &str) -> serde_json::Map<String, serde_json::Value> {
    serde_json::from_str::<serde_json::Value>(text)
        .unwrap()
        .as_object()
        .cloned()
        .unwrap()
}

#[test]
fn every_operation_has_one_checked_in_readable_name() {
    let spec: serde_json::Value = serde_json::from_str(alto::spec::VENDORED_SPEC).unwrap();
    let names = json_file(alto::spec::OPERATION_NAMES);
    let keys: std::collections::BTreeSet<String> = alto::spec::drift::operations(&spec)
        .into_iter()
        .map(|(key, _)| key)
        .collect();
    let listed: std::collections::BTreeSet<String> = names.keys().cloned().collect();
    let missing: Vec<_> = keys.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&keys).collect();
    assert!(
        missing.is_empty(),
        "operations without a name in openapi/operation-names.json: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "names for operations the spec lacks: {stale:?}"
    );
    let mut seen = std::collections::BTreeMap::new();
    for (key, name) in &names {
        let name = name.as_str().expect("names are strings");
        assert!(
            name.len() <= 32
                && name.starts_with(|c: char| c.is_ascii_lowercase())
                && name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
            "{key}: `{name}` is not a short snake_case name"
        );
        if let Some(other) = seen.insert(name, key) {
            panic!("`{name}` names both {other} and {key}");
        }
    }
    // The generated client uses exactly these names: no operation fell back to a path-derived id.
    let built: std::collections::BTreeSet<&str> = alto::raw::facts::OPERATIONS
        .iter()
        .map(|op| op.id)
        .collect();
    let table: std::collections::BTreeSet<&str> = seen.keys().copied().collect();
    assert_eq!(built, table);
    for op in alto::raw::facts::OPERATIONS {
        assert_eq!(
            names[&format!("{} {}", op.method, op.path)].as_str(),
            Some(op.id)
        );
    }
}

#[test]
fn every_schema_has_one_short_type_name_without_a_namespace() {
    let spec: serde_json::Value = serde_json::from_str(alto::spec::VENDORED_SPEC).unwrap();
    let table: serde_json::Value = serde_json::from_str(alto::spec::TYPE_NAMES).unwrap();
    let (missing, stale) = alto::spec::type_names::table_gaps(&spec, &table);
    assert!(
        missing.is_empty(),
        "schemas without a name in openapi/type-names.json: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "names for schemas the spec lacks: {stale:?}"
    );
    let mut seen = std::collections::BTreeMap::new();
    for (schema, name) in json_file(alto::spec::TYPE_NAMES) {
        let name = name.as_str().expect("names are strings").to_string();
        assert!(
            name.len() <= 45
                && name.starts_with(|c: char| c.is_ascii_uppercase())
                && name.chars().all(|c| c.is_ascii_alphanumeric()),
            "{schema}: `{name}` is not a short PascalCase name"
        );
        for namespace in [
            "AltoContactsApi",
            "AltoServicesSdk",
            "SystemTextJsonPatch",
            "Microsoft",
        ] {
            assert!(
                !name.starts_with(namespace),
                "{schema}: `{name}` keeps its namespace"
            );
        }
        if let Some(other) = seen.insert(name.to_ascii_lowercase(), schema.clone()) {
            panic!("`{name}` names both {other} and {schema}");
        }
        assert!(
            BUILT_CLIENT.contains(&format!("pub struct {name} "))
                || BUILT_CLIENT.contains(&format!("pub struct {name}("))
                || BUILT_CLIENT.contains(&format!("pub enum {name} ")),
            "the generated client has no type {name} (for {schema})"
        );
    }
    let long: Vec<&str> = BUILT_CLIENT
        .lines()
        .filter_map(|l| {
            l.trim_start()
                .strip_prefix("pub struct ")
                .or_else(|| l.trim_start().strip_prefix("pub enum "))
        })
        .filter_map(|rest| rest.split([' ', '(', '<', '{']).next())
        .filter(|name| name.starts_with("Alto") && name.contains("Api"))
        .collect();
    assert!(
        long.is_empty(),
        "generated types with .NET namespaces: {long:?}"
    );
}

/// The doc comments of the built client: the raw methods' (by name) and the types' (by name).
fn built_docs() -> (
    std::collections::BTreeMap<String, String>,
    std::collections::BTreeMap<String, String>,
) {
    fn doc(attrs: &[syn::Attribute]) -> String {
        attrs
            .iter()
            .filter(|a| a.path().is_ident("doc"))
            .filter_map(|a| match &a.meta {
                syn::Meta::NameValue(nv) => match &nv.value {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) => Some(s.value()),
                    _ => None,
                },
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
    let file = syn::parse_file(BUILT_CLIENT).expect("the built client parses");
    let (mut methods, mut types) = (
        std::collections::BTreeMap::new(),
        std::collections::BTreeMap::new(),
    );
    for item in &file.items {
        match item {
            syn::Item::Impl(i)
                if i.trait_.is_none()
                    && quote::ToTokens::to_token_stream(&i.self_ty).to_string() == "Client" =>
            {
                for member in &i.items {
                    if let syn::ImplItem::Fn(f) = member {
                        methods.insert(f.sig.ident.to_string(), doc(&f.attrs));
                    }
                }
            }
            syn::Item::Mod(m) if m.ident == "types" => {
                for inner in m.content.iter().flat_map(|(_, items)| items) {
                    match inner {
                        syn::Item::Struct(s) => {
                            types.insert(s.ident.to_string(), doc(&s.attrs));
                        }
                        syn::Item::Enum(e) => {
                            types.insert(e.ident.to_string(), doc(&e.attrs));
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    (methods, types)
}

#[test]
fn every_raw_method_is_documented_from_facts() {
    let (methods, _) = built_docs();
    for op in alto::raw::facts::OPERATIONS {
        let doc = methods
            .get(op.id)
            .unwrap_or_else(|| panic!("no method {}", op.id));
        let route = if op.route_scopes.is_empty() {
            "per route none stated".to_string()
        } else {
            format!("per route `{}`", op.route_scopes.join("`, `"))
        };
        for needed in [
            format!("`{} {}`", op.method, op.path),
            format!("Sends a `{}` request to `{}`", op.method, op.path),
            "**Scopes**: granted ".to_string(),
            route,
        ] {
            assert!(doc.contains(&needed), "{}: no {needed:?} in\n{doc}", op.id);
        }
        assert!(
            doc.contains("**Success**: ")
                || doc.contains("**Errors**: ")
                || doc.contains("**Responses**: none declared."),
            "{}: no statuses in\n{doc}",
            op.id
        );
        if let Some(token) = op.page_token_param {
            assert!(
                doc.contains(&format!("**Paging**: cursor `{token}`")),
                "{}: no paging in\n{doc}",
                op.id
            );
        }
    }
    let get_checks = &methods["get_reference_checks"];
    assert!(
        get_checks.contains("**Success**: 200 `ReferenceCheckPagedResultsDto`"),
        "{get_checks}"
    );
    assert!(
        get_checks.contains("- `max_results`: `MaxResults` in query, optional, integer (int32)"),
        "{get_checks}"
    );
}

#[test]
fn every_generated_type_of_a_schema_is_documented_with_its_alto_name() {
    let (_, types) = built_docs();
    for (schema, name) in json_file(alto::spec::TYPE_NAMES) {
        let name = name.as_str().unwrap();
        let doc = types.get(name).unwrap_or_else(|| panic!("no type {name}"));
        assert!(
            doc.contains(&format!("Alto schema `{schema}`.")),
            "{name}: {doc}"
        );
    }
}
