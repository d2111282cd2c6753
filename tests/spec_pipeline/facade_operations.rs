//! The table of operations the facade calls (`alto::operations`) against the facade's code:
//! read with `syn`, every function of `src/` outside the raw client and the spec pipeline.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;

/// What one facade function names: operation constants and raw client methods it calls, and
/// string literals that spell an operation id.
#[derive(Default, Debug)]
struct Uses {
    constants: BTreeSet<String>,
    raw_calls: BTreeSet<String>,
    literals: BTreeSet<String>,
}

fn flatten(tokens: TokenStream, out: &mut Vec<TokenTree>) {
    for t in tokens {
        match t {
            TokenTree::Group(g) => {
                out.push(TokenTree::Group(g.clone()));
                flatten(g.stream(), out);
            }
            other => out.push(other),
        }
    }
}

fn scan(tokens: TokenStream, ids: &BTreeSet<String>) -> Uses {
    let mut flat = Vec::new();
    flatten(tokens, &mut flat);
    let mut uses = Uses::default();
    for (i, t) in flat.iter().enumerate() {
        let next = |k: usize| flat.get(i + k);
        match t {
            TokenTree::Ident(id) if id == "operations" => {
                if let (
                    Some(TokenTree::Punct(a)),
                    Some(TokenTree::Punct(b)),
                    Some(TokenTree::Ident(name)),
                ) = (next(1), next(2), next(3))
                {
                    if a.as_char() == ':' && b.as_char() == ':' {
                        uses.constants.insert(name.to_string());
                    }
                }
            }
            TokenTree::Punct(p) if p.as_char() == '.' => {
                if let (Some(TokenTree::Ident(m)), Some(TokenTree::Group(_))) = (next(1), next(2)) {
                    if ids.contains(&m.to_string()) {
                        uses.raw_calls.insert(m.to_string());
                    }
                }
            }
            TokenTree::Literal(l) => {
                let text = l.to_string();
                if let Some(s) = text.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
                    if ids.contains(s) {
                        uses.literals.insert(s.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    uses
}

fn is_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.to_token_stream()
            .to_string()
            .replace(' ', "")
            .contains("cfg(test)")
    })
}

fn walk_items(
    items: &[syn::Item],
    module: &str,
    ids: &BTreeSet<String>,
    out: &mut BTreeMap<String, Uses>,
) {
    for item in items {
        match item {
            syn::Item::Fn(f) if !is_test(&f.attrs) => {
                out.insert(
                    format!("{module}::{}", f.sig.ident),
                    scan(f.block.to_token_stream(), ids),
                );
            }
            syn::Item::Impl(i) if !is_test(&i.attrs) => {
                let ty = match &*i.self_ty {
                    syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
                    _ => None,
                }
                .unwrap_or_else(|| module.to_string());
                for member in &i.items {
                    if let syn::ImplItem::Fn(f) = member {
                        let uses = scan(f.block.to_token_stream(), ids);
                        let entry = out.entry(format!("{ty}::{}", f.sig.ident)).or_default();
                        entry.constants.extend(uses.constants);
                        entry.raw_calls.extend(uses.raw_calls);
                        entry.literals.extend(uses.literals);
                    }
                }
            }
            syn::Item::Mod(m) if !is_test(&m.attrs) => {
                if let Some((_, inner)) = &m.content {
                    walk_items(inner, &format!("{module}::{}", m.ident), ids, out);
                }
            }
            _ => {}
        }
    }
}

fn facade_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if path.is_dir() {
            if name != "raw" && name != "spec" {
                facade_files(&path, out);
            }
        } else if name.ends_with(".rs") && name != "operations.rs" {
            out.push(path);
        }
    }
}

/// Every facade function and what it names.
fn facade_uses() -> BTreeMap<String, Uses> {
    let ids: BTreeSet<String> = alto::raw::facts::OPERATIONS
        .iter()
        .map(|op| op.id.to_string())
        .collect();
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    facade_files(&src, &mut files);
    let mut out = BTreeMap::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let parsed = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let module = file
            .strip_prefix(&src)
            .unwrap()
            .with_extension("")
            .to_string_lossy()
            .replace('/', "::");
        walk_items(&parsed.items, &module, &ids, &mut out);
    }
    out
}

#[test]
fn the_facade_operations_table_matches_the_code_both_ways() {
    let table = alto::operations::FACADE_OPERATIONS;
    let uses = facade_uses();
    assert!(
        uses.len() > 50,
        "the scan found only {} facade functions",
        uses.len()
    );
    let mut derived: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut problems = Vec::new();
    for (function, u) in &uses {
        for c in &u.constants {
            derived
                .entry(c.to_ascii_lowercase())
                .or_default()
                .insert(function.clone());
        }
        for call in &u.raw_calls {
            if !u.constants.contains(&call.to_ascii_uppercase()) {
                problems.push(format!(
                    "{function} calls the raw `{call}` without naming operations::{}",
                    call.to_ascii_uppercase()
                ));
            }
        }
        for l in &u.literals {
            problems.push(format!(
                "{function} spells the operation id \"{l}\": use operations::{}",
                l.to_ascii_uppercase()
            ));
        }
    }
    for entry in table {
        assert!(
            alto::raw::facts::operation(entry.id).is_some(),
            "{} is in the table but not an operation of the raw client",
            entry.id
        );
        let listed: BTreeSet<String> = entry.callers.iter().map(|c| c.to_string()).collect();
        let found = derived.remove(entry.id).unwrap_or_default();
        if listed != found {
            problems.push(format!(
                "{}: the table lists {listed:?}, the code calls it from {found:?}",
                entry.id
            ));
        }
    }
    for (id, functions) in derived {
        problems.push(format!(
            "{id} is called from {functions:?} but is not in the table"
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let mut ids: Vec<&str> = table.iter().map(|e| e.id).collect();
    let sorted = {
        let mut s = ids.clone();
        s.sort();
        s
    };
    assert_eq!(ids, sorted, "keep the table sorted by id");
    ids.dedup();
    assert_eq!(ids.len(), table.len(), "an operation is listed twice");
}
