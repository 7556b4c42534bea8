//! The layering of `src/`: data flows one way, from the source files to the server and the
//! command line, and the code says so. Every top-level module has a place in [`LAYERS`]; a
//! module may use only modules placed before it (and the few sideways steps in [`SIDEWAYS`]).
//! The test reads every `crate::` path in `src/` (comments and strings skipped), so a new import
//! that points upwards, or a module missing from the list, fails here, naming the edge.
//!
//! The module graph, as the code has it today:
//! `cargo test --test it architecture -- --nocapture`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The top-level modules of `src/`, in the order data flows through them: each may use only
/// those before it. (`lib.rs` explains each; the README's Architecture section the choices.)
const LAYERS: &[&str] = &[
    // helpers with no knowledge of reti's data: files, digests, dates, HTTP, errors, memory
    "support",
    "diagnostic",
    "vocab",
    "source",
    "synth",
    "config",
    "model",
    "rdf",
    "store",
    "validate",
    "build",
    "export",
    "query",
    "search",
    "catalog",
    "publication",
    "server",
    "push",
    "site",
    "cli",
];

/// Steps between modules that are not ordered by the flow, each with its reason.
const SIDEWAYS: &[(&str, &str, &str)] = &[];

/// Removes comments, string and character literals, keeping everything else.
fn code_only(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let rest = &text[i..];
        if rest.starts_with("//") {
            i += rest.find('\n').unwrap_or(rest.len());
        } else if rest.starts_with("/*") {
            i += rest.find("*/").map_or(rest.len(), |end| end + 2);
        } else if let Some((opening, hashes)) = raw_string_start(rest)
            .filter(|_| !text[..i].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_'))
        {
            let close = format!("\"{}", "#".repeat(hashes));
            i += opening
                + rest[opening..]
                    .find(&close)
                    .map_or(rest.len() - opening, |end| end + close.len());
            out.push_str("\"\"");
        } else if bytes[i] == b'"' {
            i += 1;
            while i < bytes.len() && bytes[i] != b'"' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if let Some(length) = char_literal(rest) {
            i += length;
            out.push_str("' '");
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// The length of a character literal starting here (`'"'`, `'\''`, `'à'`), or none for a
/// lifetime (`'a`).
fn char_literal(rest: &str) -> Option<usize> {
    let mut chars = rest.char_indices();
    if chars.next()?.1 != '\'' {
        return None;
    }
    let (_, first) = chars.next()?;
    if first == '\\' {
        return Some(rest[2..].find('\'').map_or(rest.len(), |end| end + 3));
    }
    let (closing, after) = chars.next()?;
    (after == '\'').then_some(closing + 1)
}

/// `r"`, `r#"`, `br##"`: the length of a raw string's opening and its number of hashes.
fn raw_string_start(rest: &str) -> Option<(usize, usize)> {
    let after = rest.strip_prefix("br").or_else(|| rest.strip_prefix('r'))?;
    let hashes = after.len() - after.trim_start_matches('#').len();
    after[hashes..]
        .starts_with('"')
        .then_some((rest.len() - after.len() + hashes + 1, hashes))
}

fn identifier(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

/// The top-level modules a piece of code names with `crate::…`, including in groups
/// (`use crate::{a::b, c}`).
fn used_modules(code: &str) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        // `reti::crate::` never occurs; `foo_crate::` would not be ours
        if code[..at].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let rest = code[at + "crate::".len()..].trim_start();
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0usize;
            let mut item_start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && (c.is_ascii_alphabetic() || c == '_') => {
                        used.insert(identifier(&group[i..]).to_string());
                        item_start = false;
                    }
                    c if !c.is_whitespace() => item_start = false,
                    _ => {}
                }
            }
        } else {
            let name = identifier(rest);
            if !name.is_empty() {
                used.insert(name.to_string());
            }
        }
    }
    used
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The graph of top-level modules: module → the modules it uses, with the files that do.
fn module_graph() -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
    let src = crate::root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut graph: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for file in files {
        let relative = file.strip_prefix(&src).expect("under src");
        let first = relative.components().next().expect("a component");
        let module = Path::new(first.as_os_str())
            .file_stem()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        if module == "lib" || module == "main" {
            continue;
        }
        let code = code_only(&std::fs::read_to_string(&file).expect("read"));
        let edges = graph.entry(module.clone()).or_default();
        for used in used_modules(&code) {
            if used != module {
                edges
                    .entry(used)
                    .or_default()
                    .insert(relative.display().to_string());
            }
        }
    }
    graph
}

/// A cycle through `start`, if the graph has one.
fn cycle_from(
    graph: &BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
    start: &str,
) -> Option<Vec<String>> {
    fn visit(
        graph: &BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
        node: &str,
        start: &str,
        path: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        for next in graph.get(node).into_iter().flat_map(|edges| edges.keys()) {
            if next == start {
                path.push(next.clone());
                return true;
            }
            if seen.insert(next.clone()) {
                path.push(next.clone());
                if visit(graph, next, start, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    let mut path = vec![start.to_string()];
    let mut seen = BTreeSet::new();
    visit(graph, start, start, &mut path, &mut seen).then_some(path)
}

#[test]
fn the_modules_form_layers_that_only_use_the_ones_before_them() {
    let graph = module_graph();
    println!("the module graph of src/ (module -> the modules it uses):");
    for (module, edges) in &graph {
        let used: Vec<&str> = edges.keys().map(String::as_str).collect();
        println!("  {module} -> {}", used.join(" "));
    }
    let mut problems = Vec::new();
    for module in graph.keys() {
        if !LAYERS.contains(&module.as_str()) {
            problems.push(format!(
                "`{module}` is not in LAYERS (tests/it/architecture.rs): place it after the \
                 modules it uses and before those that use it"
            ));
        }
        if let Some(cycle) = cycle_from(&graph, module) {
            problems.push(format!("an import cycle: {}", cycle.join(" -> ")));
        }
    }
    let place = |m: &str| LAYERS.iter().position(|l| *l == m);
    for (module, edges) in &graph {
        for (used, files) in edges {
            let sideways = SIDEWAYS.iter().any(|(a, b, _)| a == module && b == used);
            if let (Some(from), Some(to)) = (place(module), place(used))
                && to >= from
                && !sideways
            {
                problems.push(format!(
                    "`{module}` uses `{used}`, which comes after it in the flow (in {})",
                    files.iter().cloned().collect::<Vec<_>>().join(", ")
                ));
            }
        }
    }
    problems.dedup();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_reader_of_imports_sees_groups_and_skips_comments_and_strings() {
    let code = code_only(
        "use crate::{a::b, c::{d, e}, f};\n// crate::g\nlet s = \"crate::h\";\nlet q = '\"';\n\
         let r = r#\"crate::i\"#; fn x<'a>(v: &'a crate::j::K) {}\n/* crate::l */ crate::m::n();",
    );
    let used: Vec<String> = used_modules(&code).into_iter().collect();
    assert_eq!(used, ["a", "c", "f", "j", "m"]);
}
