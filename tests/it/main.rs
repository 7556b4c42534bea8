//! Integration tests: one binary, one module per concern.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod architecture;
mod bad_input;
mod bounded;
mod catalog;
mod cli;
mod dumps;
mod evaluator;
mod facts;
mod faults;
mod hostile;
mod maintainer;
mod pages;
mod props;
mod publish;
mod queries;
mod remote;
mod report;
mod roundtrip;
mod search;
mod serve;
mod server;
mod shacl;
mod site;
mod store;
mod synth;
mod virtuoso;
mod w3c;

/// As in the reti binary: queries' memory budgets are kept by the allocator.
#[global_allocator]
static ALLOCATOR: reti::support::memory::Counting<mimalloc::MiMalloc> =
    reti::support::memory::Counting(mimalloc::MiMalloc);

use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;
use reti::rdf::Base;
use reti::store::Dataset;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The repository root (where `data/` and `queries/` live).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped data directory.
pub fn data_dir() -> PathBuf {
    root().join("data")
}

/// The small dataset made for the tests of behaviour (`tests/fixtures/small/`: `data/`,
/// `queries/`, `reti.toml`), which does not change when the shipped data does.
pub fn fixture() -> PathBuf {
    root().join("tests/fixtures/small")
}

/// Copies a directory tree (the shipped data, say, to break a copy of it on purpose).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// A loopback port nobody listens on now (another process may take it before it is used:
/// callers that start a server on it retry or tolerate that).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// The `oxigraph` server command (`pip install oxigraph`); the tests that need it fail without
/// it rather than pass untested.
pub fn oxigraph() -> Command {
    match Command::new("oxigraph").arg("--version").output() {
        Ok(out) if out.status.success() => Command::new("oxigraph"),
        _ => panic!(
            "these tests need the `oxigraph` server on PATH: \
             python3 -m pip install oxigraph==0.5.13 (as .ci/run does)"
        ),
    }
}

/// The `reti` binary built for these tests.
pub fn reti() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_reti"));
    cmd.current_dir(root());
    cmd
}

/// The shipped dataset under the default base, built once for all tests.
pub fn shipped() -> &'static Dataset {
    static DATASET: OnceLock<Dataset> = OnceLock::new();
    DATASET.get_or_init(|| {
        let base = Base::new(Base::DEFAULT).expect("default base is valid");
        match Dataset::build(&data_dir(), base) {
            Ok(d) => d,
            Err(e) => panic!("the shipped data does not build:\n{e}"),
        }
    })
}

/// A term as the tests write it: IRIs shortened with the dataset's prefixes (`place:turin`),
/// literals as their lexical value, with `@lang` when tagged.
pub fn show(term: &Term) -> String {
    let prefixes = shipped().base().prefixes();
    match term {
        Term::NamedNode(n) => reti::rdf::compact_iri(n.as_str(), &prefixes),
        Term::Literal(l) => match l.language() {
            Some(tag) => format!("{}@{tag}", l.value()),
            None => l.value().to_owned(),
        },
        other => other.to_string(),
    }
}

/// Runs a SELECT query on the shipped data; each row's cells in variable order, unbound as "".
pub fn select(query: &str) -> Vec<Vec<String>> {
    let results = match shipped().query(query) {
        Ok(r) => r,
        Err(e) => panic!("query failed: {e}\n{query}"),
    };
    let QueryResults::Solutions(solutions) = results else {
        panic!("not a SELECT query:\n{query}")
    };
    let variables = solutions.variables().to_vec();
    solutions
        .map(|s| {
            let s = s.expect("solution");
            variables
                .iter()
                .map(|v| s.get(v).map(show).unwrap_or_default())
                .collect()
        })
        .collect()
}

/// Runs an ASK query on the shipped data.
pub fn ask(query: &str) -> bool {
    match shipped().query(query) {
        Ok(QueryResults::Boolean(b)) => b,
        Ok(_) => panic!("not an ASK query:\n{query}"),
        Err(e) => panic!("query failed: {e}\n{query}"),
    }
}

/// The prefixes every test query may use.
pub const PREFIXES: &str = "\
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX reti: <https://w3id.org/reti/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX place: <http://localhost:7878/id/place/>
PREFIX network: <http://localhost:7878/id/network/>
PREFIX unit: <http://localhost:7878/id/unit/>
PREFIX role: <http://localhost:7878/id/role/>
PREFIX field: <http://localhost:7878/id/field/>
PREFIX measure: <http://localhost:7878/id/measure/>
PREFIX site: <http://localhost:7878/id/site/>
PREFIX graph: <http://localhost:7878/graph/>
PREFIX source: <http://localhost:7878/id/source/>
";

/// `rows!["a", "b"; "c", "d"]`: expected rows of strings.
#[macro_export]
macro_rules! rows {
    ($($($cell:expr),+);* $(;)?) => {
        vec![$(vec![$($cell.to_string()),+]),*] as Vec<Vec<String>>
    };
}
