//! The cost of the SPARQL evaluator's cancellation checks (vendor/spareval/PATCHES.md) on
//! ordinary queries: the shipped stored queries (`queries/*.rq`) on the shipped data, and
//! the same queries plus a few heavier joins, sorts and groups on synthetic data of 10 000
//! memberships. Each query is evaluated to its last row, many times over, interleaved; the
//! median time of each is printed. Run it on two builds (the vendored crate with and without
//! its patches) and compare the medians.
//!
//! `cargo bench --bench evaluator` (`RETI_BENCH_ROUNDS=5` for a quicker, noisier run); under
//! `cargo test` each query runs once, untimed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use reti::rdf::Base;
use reti::store::Dataset;
use std::path::Path;
use std::time::{Duration, Instant};

/// The allocator the `reti` binary uses (src/main.rs), so that this measures what users run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const HEAVY: [(&str, &str); 4] = [
    (
        "join-order",
        "PREFIX org: <http://www.w3.org/ns/org#>
         SELECT ?m ?city ?net WHERE { ?m org:member ?city ; org:organization ?net }
         ORDER BY ?city ?net",
    ),
    (
        "group-concat",
        "PREFIX org: <http://www.w3.org/ns/org#>
         SELECT ?net (COUNT(*) AS ?n) (GROUP_CONCAT(STR(?city); separator=\",\") AS ?cities)
         WHERE { ?m org:member ?city ; org:organization ?net } GROUP BY ?net",
    ),
    (
        "optional-distinct",
        "PREFIX org: <http://www.w3.org/ns/org#>
         PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
         SELECT DISTINCT ?city ?label WHERE {
           ?m org:member ?city OPTIONAL { ?city skos:prefLabel ?label FILTER(lang(?label) = \"en\") }
         }",
    ),
    (
        "exists-minus",
        "PREFIX org: <http://www.w3.org/ns/org#>
         SELECT ?m WHERE {
           ?m org:member ?city
           FILTER EXISTS { ?m org:organization ?net }
           MINUS { ?m org:role <http://localhost:7878/id/role/member> }
         }",
    ),
];

fn build(dir: &Path) -> Dataset {
    let base = Base::new(Base::DEFAULT).expect("the default base is valid");
    Dataset::build(dir, base).unwrap_or_else(|e| panic!("the data must build: {e}"))
}

/// Evaluates `query` to its last row; the number of rows.
fn run(dataset: &Dataset, query: &str) -> usize {
    let parsed = spargebra::SparqlParser::new()
        .parse_query(query)
        .unwrap_or_else(|e| panic!("{e}\n{query}"));
    match dataset
        .evaluate(SparqlEvaluator::new(), parsed, None)
        .unwrap_or_else(|e| panic!("{e}\n{query}"))
    {
        QueryResults::Solutions(solutions) => {
            let mut n = 0;
            for s in solutions {
                s.expect("a solution");
                n += 1;
            }
            n
        }
        QueryResults::Boolean(_) => 1,
        QueryResults::Graph(triples) => {
            let mut n = 0;
            for t in triples {
                t.expect("a triple");
                n += 1;
            }
            n
        }
    }
}

fn main() {
    let timed = std::env::args().any(|a| a == "--bench");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = tempfile::tempdir().expect("temporary directory");
    let synthetic = work.path().join("m10000");
    reti::synth::write(
        &reti::synth::Spec {
            networks: 10,
            memberships: 10_000,
            seed: 1,
        },
        &synthetic,
    )
    .expect("synthetic data written");
    let datasets = [
        ("shipped", build(&root.join("data"))),
        ("synthetic", build(&synthetic)),
    ];
    let mut stored: Vec<(String, String)> = std::fs::read_dir(root.join("queries"))
        .expect("queries/")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "rq"))
        .map(|p| {
            let name = p
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            (name, std::fs::read_to_string(&p).expect("a query file"))
        })
        .collect();
    stored.sort();
    let mut cases = Vec::new();
    for (data, dataset) in &datasets {
        for (name, query) in &stored {
            cases.push((format!("{data}/{name}"), dataset, query.clone()));
        }
        if *data == "synthetic" {
            for (name, query) in HEAVY {
                cases.push((format!("{data}/{name}"), dataset, query.to_owned()));
            }
        }
    }
    // RETI_BENCH_ROUNDS: fewer rounds for a quick comparison
    let rounds = if timed {
        std::env::var("RETI_BENCH_ROUNDS")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(41)
    } else {
        1
    };
    let mut times = vec![Vec::new(); cases.len()];
    let mut rows = vec![0; cases.len()];
    for _ in 0..rounds {
        for (i, (_, dataset, query)) in cases.iter().enumerate() {
            // each case takes at least ~20 ms of repetitions, so that clocks resolve it
            let start = Instant::now();
            let mut n = 0u32;
            while n == 0 || (timed && start.elapsed() < Duration::from_millis(20)) {
                rows[i] = run(dataset, query);
                n += 1;
            }
            times[i].push(start.elapsed() / n);
        }
    }
    if !timed {
        return;
    }
    println!("{:<50} {:>8} {:>12}", "query", "rows", "median");
    for (i, (name, _, _)) in cases.iter().enumerate() {
        times[i].sort();
        let median = times[i][times[i].len() / 2];
        println!(
            "{name:<50} {:>8} {:>9.1} us",
            rows[i],
            median.as_secs_f64() * 1e6
        );
    }
}
