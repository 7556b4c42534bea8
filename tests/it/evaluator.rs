//! The SPARQL evaluator (Oxigraph's, vendored with patches: vendor/spareval/PATCHES.md), on
//! reti's in-memory store:
//!
//! - a query that runs away (products of patterns, sorts, groups, closures of property paths,
//!   strings that double) stops once its cancellation token is cancelled, and its caller gets
//!   `Cancelled`: never solutions, never another error, never a silent end;
//! - the operators whose errors used to turn into results (OFFSET, EXISTS, NOT EXISTS, MINUS)
//!   still answer exactly when nothing is cancelled;
//! - ORDER BY orders any mix of terms in one fixed order (a total order: it used to panic);
//! - the evaluator says which materialising operator a thread is in.

use oxigraph::model::{Literal, NamedNode, Term};
use oxigraph::sparql::{CancellationToken, QueryEvaluationError, QueryResults, SparqlEvaluator};
use proptest::prelude::*;
use reti::rdf::Base;
use reti::store::{Dataset, QueryError};
use std::cmp::Ordering;
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// How long a cancelled evaluation may take to stop before the test gives up on it.
const STOP_WITHIN: Duration = Duration::from_secs(10);

/// Four disjoint triple patterns, for products.
const P1: &str = "?a ?b ?c .";
const P2: &str = "?d ?e ?f .";
const P3: &str = "?g ?h ?i .";
const P4: &str = "?j ?k ?l .";

/// Synthetic data large enough for the closure of a property path to run away.
fn synthetic() -> &'static Dataset {
    static DATASET: OnceLock<(tempfile::TempDir, Dataset)> = OnceLock::new();
    &DATASET
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("temporary directory");
            let spec = reti::synth::Spec {
                networks: 5,
                memberships: 3_000,
                seed: 11,
            };
            reti::synth::write(&spec, dir.path()).expect("synthetic data written");
            let base = Base::new(Base::DEFAULT).expect("default base");
            let dataset = Dataset::build(dir.path(), base).expect("synthetic data builds");
            (dir, dataset)
        })
        .1
}

/// Evaluates `query` on `dataset` to its last solution (or triple) on a thread of its own, with
/// a token cancelled ~100 ms after the start; what the evaluation ended with: the number of
/// results, or the error. Fails if the evaluation has not ended `STOP_WITHIN` later.
fn evaluate_cancelled(dataset: &'static Dataset, query: &str) -> Result<usize, QueryError> {
    let token = CancellationToken::new();
    let parsed = spargebra::SparqlParser::new()
        .parse_query(query)
        .unwrap_or_else(|e| panic!("{e}\n{query}"));
    let (send, receive) = mpsc::channel();
    let evaluation_token = token.clone();
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || {
            let evaluator = SparqlEvaluator::new().with_cancellation_token(evaluation_token);
            let outcome = (|| {
                Ok(match dataset.evaluate(evaluator, parsed, None)? {
                    QueryResults::Solutions(solutions) => {
                        let mut n = 0;
                        for s in solutions {
                            s?;
                            n += 1;
                        }
                        n
                    }
                    QueryResults::Graph(triples) => {
                        let mut n = 0;
                        for t in triples {
                            t?;
                            n += 1;
                        }
                        n
                    }
                    QueryResults::Boolean(_) => 1,
                })
            })();
            drop(send.send(outcome));
        })
        .expect("evaluation thread");
    std::thread::sleep(Duration::from_millis(100));
    token.cancel();
    match receive.recv_timeout(STOP_WITHIN) {
        Ok(outcome) => outcome,
        Err(_) => panic!(
            "the evaluation did not stop within {STOP_WITHIN:?} of its cancellation:\n{query}"
        ),
    }
}

/// `query` runs away on `dataset`; cancelled, it must end with `Cancelled` and nothing else.
fn assert_cancelled(dataset: &'static Dataset, query: &str) {
    match evaluate_cancelled(dataset, query) {
        Err(QueryError::Evaluation(QueryEvaluationError::Cancelled)) => {}
        Ok(n) => panic!("a cancelled evaluation gave {n} result(s) and no error:\n{query}"),
        Err(e) => panic!("a cancelled evaluation failed with another error ({e}):\n{query}"),
    }
}

fn shipped() -> &'static Dataset {
    crate::shipped()
}

#[test]
fn cancelled_counts_over_products_of_three_to_six_patterns() {
    let patterns = [P1, P2, P3, P4, "?m ?n2 ?o .", "?p ?q ?r ."];
    for n in 3..=6 {
        let body = patterns[..n].join(" ");
        assert_cancelled(
            shipped(),
            &format!("SELECT (COUNT(*) AS ?n) WHERE {{ {body} }}"),
        );
    }
}

#[test]
fn cancelled_sort_over_a_product() {
    assert_cancelled(
        shipped(),
        &format!("SELECT * WHERE {{ {P1} {P2} {P3} }} ORDER BY ?c DESC(?f) LIMIT 1"),
    );
}

#[test]
fn cancelled_distinct_and_reduced_over_products() {
    assert_cancelled(
        shipped(),
        &format!("SELECT DISTINCT ?c ?f ?i WHERE {{ {P1} {P2} {P3} }}"),
    );
    assert_cancelled(
        shipped(),
        &format!(
            "SELECT REDUCED ?c WHERE {{ {P1} {P2} {P3} FILTER(CONCAT(STR(?c), STR(?i)) = \"never\") }}"
        ),
    );
}

#[test]
fn cancelled_group_by_with_group_concat_and_other_aggregates() {
    assert_cancelled(
        shipped(),
        &format!(
            "SELECT ?b (GROUP_CONCAT(STR(?c); separator=\",\") AS ?all) \
             WHERE {{ {P1} {P2} {P3} }} GROUP BY ?b"
        ),
    );
    assert_cancelled(
        shipped(),
        &format!(
            "SELECT (COUNT(DISTINCT ?c) AS ?n) (MAX(?f) AS ?max) (SUM(STRLEN(STR(?i))) AS ?s) \
             WHERE {{ {P1} {P2} {P3} }}"
        ),
    );
}

#[test]
fn cancelled_offset_is_an_error_not_an_empty_page() {
    assert_cancelled(
        shipped(),
        &format!("SELECT * WHERE {{ {P1} {P2} {P3} }} OFFSET 1000000000 LIMIT 1"),
    );
}

#[test]
fn cancelled_nested_optionals_over_products() {
    assert_cancelled(
        shipped(),
        &format!(
            "SELECT (COUNT(*) AS ?n) WHERE {{ {P1} OPTIONAL {{ {P2} OPTIONAL {{ {P3} }} }} }}"
        ),
    );
    assert_cancelled(
        shipped(),
        &format!("SELECT * WHERE {{ {P1} {P2} OPTIONAL {{ {P3} FILTER(?i = ?c && ?i = 0) }} }}"),
    );
}

#[test]
fn cancelled_minus_over_a_product() {
    // the right side is built in memory: a product that never ends
    assert_cancelled(
        shipped(),
        &format!("SELECT * WHERE {{ ?a ?b ?c MINUS {{ ?a ?e ?f . {P3} {P4} }} }}"),
    );
    // the left side is the product
    assert_cancelled(
        shipped(),
        &format!("SELECT (COUNT(*) AS ?n) WHERE {{ {P1} {P2} {P3} MINUS {{ ?a ?b 0 }} }}"),
    );
}

#[test]
fn cancelled_exists_and_not_exists_over_products() {
    let values = (1..=20)
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(" ");
    let never = format!("{P1} {P2} {P3} FILTER(?v = 0)");
    // EXISTS used to take the cancellation for a solution: 20 rows
    assert_cancelled(
        shipped(),
        &format!("SELECT ?v WHERE {{ VALUES ?v {{ {values} }} FILTER EXISTS {{ {never} }} }}"),
    );
    // NOT EXISTS: 0 rows
    assert_cancelled(
        shipped(),
        &format!("SELECT ?v WHERE {{ VALUES ?v {{ {values} }} FILTER NOT EXISTS {{ {never} }} }}"),
    );
    assert_cancelled(
        shipped(),
        &format!("ASK {{ VALUES ?v {{ {values} }} FILTER NOT EXISTS {{ {never} }} }}"),
    );
    assert_cancelled(
        shipped(),
        &format!(
            "SELECT ?v ?w WHERE {{ VALUES ?v {{ {values} }} \
             BIND(COALESCE(EXISTS {{ {never} }}, true) AS ?w) }}"
        ),
    );
}

#[test]
fn cancelled_products_of_values() {
    // 40^6 rows, from few values, so that the plan is made well within the 100 ms
    let values = (1..=40)
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(" ");
    let blocks = ["?x", "?y", "?z", "?u", "?v", "?w"]
        .map(|v| format!("VALUES {v} {{ {values} }}"))
        .join(" ");
    assert_cancelled(
        shipped(),
        &format!("SELECT (COUNT(*) AS ?n) WHERE {{ {blocks} }}"),
    );
    assert_cancelled(
        shipped(),
        &format!("SELECT DISTINCT ?x ?w WHERE {{ {blocks} }}"),
    );
}

#[test]
fn cancelled_closures_of_property_paths() {
    let p = "<http://www.w3.org/ns/org#member>";
    assert_cancelled(
        synthetic(),
        &format!("SELECT (COUNT(*) AS ?n) WHERE {{ ?s ({p}|!{p})* ?o }}"),
    );
    assert_cancelled(
        synthetic(),
        &format!("SELECT (COUNT(*) AS ?n) WHERE {{ ?s ({p}|!{p})+/({p}|^{p})* ?o }}"),
    );
}

#[test]
fn cancelled_string_doubling_stops_at_the_next_step() {
    // 2^40 bytes at the end: only cancellation keeps this within memory
    let mut query = String::from("SELECT ?x40 WHERE { BIND(\"ab\" AS ?x0) ");
    for i in 1..=40 {
        query.push_str(&format!("BIND(CONCAT(?x{0}, ?x{0}) AS ?x{1}) ", i - 1, i));
    }
    query.push('}');
    assert_cancelled(shipped(), &query);
    let mut query = String::from("SELECT ?y WHERE { BIND(\"ab\" AS ?x0) ");
    for i in 1..=40 {
        query.push_str(&format!(
            "BIND(REPLACE(CONCAT(UCASE(?x{0}), LCASE(?x{0})), \"A\", \"a\") AS ?x{1}) ",
            i - 1,
            i
        ));
    }
    query.push_str("BIND(STRLEN(?x40) AS ?y) }");
    assert_cancelled(shipped(), &query);
}

#[test]
fn cancelled_subqueries_and_unions_of_products() {
    assert_cancelled(
        shipped(),
        &format!(
            "SELECT (COUNT(*) AS ?n) WHERE {{ {{ SELECT ?a ?d WHERE {{ {P1} {P2} }} }} {P3} }}"
        ),
    );
    assert_cancelled(
        shipped(),
        &format!(
            "SELECT (COUNT(*) AS ?n) WHERE {{ {{ {P1} {P2} {P3} }} UNION {{ {P4} ?m ?n2 ?o . ?p ?q ?r }} }}"
        ),
    );
}

#[test]
fn cancelled_shapes_the_checks_were_not_written_for() {
    for query in [
        format!("CONSTRUCT {{ ?a ?b ?i }} WHERE {{ {P1} {P2} {P3} }}"),
        format!(
            "DESCRIBE ?a WHERE {{ {P1} {P2} {P3} FILTER(CONCAT(STR(?c), STR(?i)) = \"never\") }}"
        ),
        format!("ASK {{ {P1} {P2} {P3} FILTER(CONCAT(STR(?c), STR(?i)) = \"never\") }}"),
        format!(
            "SELECT ?a WHERE {{ {P1} {{ SELECT * WHERE {{ {P2} {P3} }} LIMIT 100000000 }} \
             FILTER(REGEX(STR(?i), \"^never$\")) }}"
        ),
        format!(
            "SELECT * WHERE {{ GRAPH ?gx {{ {P1} }} GRAPH ?gy {{ {P2} }} {P3} FILTER(CONCAT(STR(?gx), STR(?i)) = \"never\") }}"
        ),
        format!(
            "SELECT ?c (COUNT(*) AS ?n) WHERE {{ {P1} {P2} {P3} }} GROUP BY ?c \
             HAVING (COUNT(*) > 1) ORDER BY DESC(?n) LIMIT 3"
        ),
        format!(
            "SELECT * WHERE {{ {P1} {P2} {P3} BIND(CONCAT(STR(?c), STR(?f)) AS ?cf) }} OFFSET 10"
        ),
        format!(
            "SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ {P2} {P3} FILTER NOT EXISTS {{ ?d ?e ?c }} }} }}"
        ),
    ] {
        assert_cancelled(shipped(), &query);
    }
}

/// Runs a SELECT query on `dataset` without cancellation; each row's cells in variable order.
fn rows(dataset: &Dataset, query: &str) -> Vec<Vec<String>> {
    let parsed = spargebra::SparqlParser::new()
        .parse_query(query)
        .unwrap_or_else(|e| panic!("{e}\n{query}"));
    let Ok(QueryResults::Solutions(solutions)) =
        dataset.evaluate(SparqlEvaluator::new(), parsed, None)
    else {
        panic!("not evaluated as a SELECT query:\n{query}")
    };
    let variables = solutions.variables().to_vec();
    solutions
        .map(|s| {
            let s = s.unwrap_or_else(|e| panic!("{e}\n{query}"));
            variables
                .iter()
                .map(|v| s.get(v).map(Term::to_string).unwrap_or_default())
                .collect()
        })
        .collect()
}

fn ints(rows: &[Vec<String>]) -> Vec<String> {
    rows.iter()
        .map(|r| {
            r.join(" ")
                .replace("^^<http://www.w3.org/2001/XMLSchema#integer>", "")
        })
        .collect()
}

#[test]
fn offset_and_limit_are_exact() {
    let q = "SELECT ?x ?y WHERE { VALUES ?x { 1 2 3 } VALUES ?y { 10 20 } } \
             ORDER BY ?x ?y OFFSET 2 LIMIT 3";
    assert_eq!(
        ints(&rows(shipped(), q)),
        ["\"2\" \"10\"", "\"2\" \"20\"", "\"3\" \"10\""]
    );
    let q = "SELECT ?x WHERE { VALUES ?x { 1 2 3 } } OFFSET 3";
    assert!(rows(shipped(), q).is_empty());
    // over the store: the shipped data has 2 405 triples or more, one row past the 2 000th
    let all = rows(
        shipped(),
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o",
    );
    let page = rows(
        shipped(),
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o OFFSET 2000 LIMIT 5",
    );
    assert_eq!(page, all[2000..2005]);
}

#[test]
fn exists_and_not_exists_are_exact() {
    let q = "SELECT ?v WHERE { VALUES ?v { 1 2 3 4 } \
             FILTER EXISTS { VALUES ?w { 2 4 6 } FILTER(?w = ?v) } } ORDER BY ?v";
    assert_eq!(ints(&rows(shipped(), q)), ["\"2\"", "\"4\""]);
    let q = "SELECT ?v WHERE { VALUES ?v { 1 2 3 4 } \
             FILTER NOT EXISTS { VALUES ?w { 2 4 6 } FILTER(?w = ?v) } } ORDER BY ?v";
    assert_eq!(ints(&rows(shipped(), q)), ["\"1\"", "\"3\""]);
    // the brief's shape, small enough to finish: the pattern has no solution
    let values = (1..=20)
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(" ");
    let never = "?a ?b ?c . FILTER(?v = 0)";
    let q = format!("SELECT ?v WHERE {{ VALUES ?v {{ {values} }} FILTER EXISTS {{ {never} }} }}");
    assert!(rows(shipped(), &q).is_empty());
    let q =
        format!("SELECT ?v WHERE {{ VALUES ?v {{ {values} }} FILTER NOT EXISTS {{ {never} }} }}");
    assert_eq!(rows(shipped(), &q).len(), 20);
    // on the store: the networks that have at least one member, and those with none
    let with = "PREFIX org: <http://www.w3.org/ns/org#> \
                SELECT (COUNT(*) AS ?n) WHERE { ?net a org:Organization \
                FILTER EXISTS { ?m org:organization ?net } }";
    let without = "PREFIX org: <http://www.w3.org/ns/org#> \
                   SELECT (COUNT(*) AS ?n) WHERE { ?net a org:Organization \
                   FILTER NOT EXISTS { ?m org:organization ?net } }";
    let all = "PREFIX org: <http://www.w3.org/ns/org#> \
               SELECT (COUNT(*) AS ?n) WHERE { ?net a org:Organization }";
    let count = |q: &str| -> i64 {
        let r = rows(shipped(), q);
        r[0][0]
            .trim_start_matches('"')
            .split('"')
            .next()
            .and_then(|n| n.parse().ok())
            .expect("a count")
    };
    assert_eq!(count(with) + count(without), count(all));
}

#[test]
fn minus_and_optional_are_exact() {
    let q = "SELECT ?v WHERE { VALUES ?v { 1 2 3 4 } MINUS { VALUES ?v { 2 3 } } } ORDER BY ?v";
    assert_eq!(ints(&rows(shipped(), q)), ["\"1\"", "\"4\""]);
    // no shared variable: MINUS removes nothing
    let q = "SELECT ?v WHERE { VALUES ?v { 1 2 } MINUS { VALUES ?w { 1 } } } ORDER BY ?v";
    assert_eq!(ints(&rows(shipped(), q)), ["\"1\"", "\"2\""]);
    // a right side with variables the left lacks, and one bound only sometimes
    let q = "SELECT ?v ?x WHERE { VALUES (?v ?x) { (1 10) (2 20) (3 UNDEF) } \
             MINUS { VALUES (?v ?x) { (1 11) (2 20) (3 30) } } } ORDER BY ?v";
    assert_eq!(ints(&rows(shipped(), q)), ["\"1\" \"10\""]);
    let q = "SELECT ?x ?y WHERE { VALUES ?x { 1 2 3 } \
             OPTIONAL { VALUES (?x ?y) { (1 5) (1 6) (3 7) } FILTER(?y != 6 || ?x = 1) } } \
             ORDER BY ?x ?y";
    assert_eq!(
        ints(&rows(shipped(), q)),
        ["\"1\" \"5\"", "\"1\" \"6\"", "\"2\" ", "\"3\" \"7\""]
    );
}

/// The terms of the fixed-order test, in the order ORDER BY must give them.
fn mixed_terms_in_order() -> Vec<&'static str> {
    vec![
        // unbound first
        "UNDEF",
        // IRIs by their string
        "<http://example.org/a>",
        "<http://example.org/b>",
        "<urn:x>",
        // numbers: NaN, then by value, then integer < decimal < float < double
        "\"NaN\"^^<http://www.w3.org/2001/XMLSchema#double>",
        "\"-INF\"^^<http://www.w3.org/2001/XMLSchema#double>",
        "-5",
        // the same value: by datatype
        "0",
        "\"-0\"^^<http://www.w3.org/2001/XMLSchema#double>",
        "1",
        "1.0",
        "\"1\"^^<http://www.w3.org/2001/XMLSchema#float>",
        "1e0",
        "1.5",
        "9",
        "10",
        // 2^53 and 2^53 + 1, which a comparison in xsd:double cannot tell apart
        "\"9007199254740992\"^^<http://www.w3.org/2001/XMLSchema#double>",
        "9007199254740993",
        "\"INF\"^^<http://www.w3.org/2001/XMLSchema#double>",
        // booleans
        "false",
        "true",
        // strings, simple and language-tagged: by value (code points), then datatype IRI
        // (rdf:langString before xsd:string), then tag; strings that look like numbers are
        // strings
        "\"10\"",
        "\"9\"",
        "\"abc\"@en",
        "\"abc\"",
        "\"abd\"@en",
        "\"zzz\"@de",
        // dateTimes: timeline (without timezone as if in UTC), without before with
        // values with a year together (gYear, date, dateTime): by the start of their period
        "\"2019\"^^<http://www.w3.org/2001/XMLSchema#gYear>",
        "\"2020-01-01\"^^<http://www.w3.org/2001/XMLSchema#date>",
        "\"2020-01-01T00:00:00Z\"^^<http://www.w3.org/2001/XMLSchema#dateTime>",
        "\"2020-01-01T05:00:00+02:00\"^^<http://www.w3.org/2001/XMLSchema#dateTime>",
        "\"2020-01-01T04:00:00\"^^<http://www.w3.org/2001/XMLSchema#dateTime>",
        "\"2020-01-01T04:00:00Z\"^^<http://www.w3.org/2001/XMLSchema#dateTime>",
        // durations: by length, a month as 30.436875 days
        "\"P30D\"^^<http://www.w3.org/2001/XMLSchema#dayTimeDuration>",
        "\"P1M\"^^<http://www.w3.org/2001/XMLSchema#duration>",
        "\"P31D\"^^<http://www.w3.org/2001/XMLSchema#dayTimeDuration>",
        // other literals, invalid lexical forms included: by datatype IRI, then lexical form
        "\"x\"^^<http://example.org/datatype>",
        "\"abc\"^^<http://www.w3.org/2001/XMLSchema#integer>",
        "\"abd\"^^<http://www.w3.org/2001/XMLSchema#integer>",
    ]
}

#[test]
fn order_by_gives_one_fixed_order_for_a_mixed_bag_of_terms() {
    let expected = mixed_terms_in_order();
    // the VALUES block in several orders of input: the output must not depend on it
    let mut inputs = vec![expected.clone()];
    let mut reversed = expected.clone();
    reversed.reverse();
    inputs.push(reversed);
    let mut interleaved = expected.clone();
    interleaved.sort_by_key(|t| t.len());
    inputs.push(interleaved);
    for input in inputs {
        let q = format!(
            "SELECT ?t WHERE {{ VALUES ?t {{ {} }} }} ORDER BY ?t",
            input.join(" ")
        );
        let got = rows(shipped(), &q)
            .into_iter()
            .map(|r| r[0].clone())
            .collect::<Vec<_>>();
        let want = expected
            .iter()
            .map(|t| match *t {
                "UNDEF" => String::new(),
                t => canonical(t),
            })
            .collect::<Vec<_>>();
        assert_eq!(got, want, "input order: {input:?}");
    }
}

/// A term as the query results print it (typed numbers in full).
fn canonical(term: &str) -> String {
    let q = format!("SELECT ?t WHERE {{ VALUES ?t {{ {term} }} }}");
    rows(crate::shipped(), &q)[0][0].clone()
}

#[test]
fn order_by_on_every_object_of_the_store_neither_panics_nor_depends_on_input_order() {
    // mixed objects: IRIs, strings, language-tagged strings, numbers, dates, years
    let asc = rows(
        shipped(),
        "SELECT ?o WHERE { { SELECT DISTINCT ?o WHERE { ?s ?p ?o } } } ORDER BY ?o",
    );
    let by_subject = rows(
        shipped(),
        "SELECT ?o WHERE { { SELECT DISTINCT ?o WHERE { ?s ?p ?o } ORDER BY DESC(?o) } } ORDER BY ?o",
    );
    assert_eq!(asc, by_subject);
    let desc = rows(
        shipped(),
        "SELECT ?o WHERE { { SELECT DISTINCT ?o WHERE { ?s ?p ?o } } } ORDER BY DESC(?o)",
    );
    let mut reversed = desc.clone();
    reversed.reverse();
    assert_eq!(asc, reversed);
    // and a product, where the unpatched comparator panicked
    let q = "SELECT ?c WHERE { ?a ?b ?c . VALUES ?k { 1 2 3 4 5 6 7 8 } } ORDER BY ?c LIMIT 1";
    assert_eq!(rows(shipped(), q).len(), 1);
}

#[test]
fn the_evaluator_names_the_operator_a_thread_is_in() {
    let seen: Arc<Mutex<Vec<Option<&'static str>>>> = Arc::default();
    let probe = NamedNode::new_unchecked("http://example.org/probe");
    let recorder = Arc::clone(&seen);
    let evaluator = || {
        let recorder = Arc::clone(&recorder);
        SparqlEvaluator::new().with_custom_function(probe.clone(), move |args| {
            recorder
                .lock()
                .expect("recorder")
                .push(spareval::current_operator());
            args.first().cloned()
        })
    };
    let cases = [
        (
            "SELECT ?x WHERE { VALUES ?x { 2 1 } } ORDER BY (<http://example.org/probe>(?x))",
            "ORDER BY",
        ),
        (
            "SELECT (SUM(<http://example.org/probe>(?x)) AS ?s) WHERE { VALUES ?x { 1 2 } }",
            "GROUP BY",
        ),
        (
            "SELECT ?x WHERE { VALUES ?x { 1 2 } \
             FILTER EXISTS { BIND(<http://example.org/probe>(?x) AS ?y) } }",
            "EXISTS",
        ),
        (
            "SELECT ?x ?y WHERE { VALUES ?x { 1 2 } OPTIONAL { VALUES ?y { 3 } \
             FILTER(<http://example.org/probe>(?y) = 3) } }",
            "OPTIONAL",
        ),
        (
            "SELECT ?y WHERE { BIND(CONCAT(\"a\", <http://example.org/probe>(\"b\")) AS ?y) }",
            "CONCAT",
        ),
    ];
    for (query, operator) in cases {
        seen.lock().expect("recorder").clear();
        let parsed = spargebra::SparqlParser::new()
            .parse_query(query)
            .expect("query");
        let Ok(QueryResults::Solutions(solutions)) = shipped().evaluate(evaluator(), parsed, None)
        else {
            panic!("not evaluated: {query}")
        };
        for s in solutions {
            s.expect("solution");
        }
        let seen = seen.lock().expect("recorder").clone();
        assert!(!seen.is_empty(), "the probe was not called: {query}");
        assert!(
            seen.iter().all(|s| *s == Some(operator)),
            "{query}: {seen:?}, expected {operator}"
        );
    }
    assert_eq!(spareval::current_operator(), None);
}

/// Random terms of every kind ORDER BY may meet.
fn any_term() -> impl Strategy<Value = Option<Term>> {
    let xsd =
        |local: &str| NamedNode::new_unchecked(format!("http://www.w3.org/2001/XMLSchema#{local}"));
    let typed = move |local: &'static str, value: String| -> Term {
        Literal::new_typed_literal(value, xsd(local)).into()
    };
    let number_text = prop_oneof![
        any::<i64>().prop_map(|v| v.to_string()),
        (-3i64..3).prop_map(|v| v.to_string()),
        (0i64..4).prop_map(|v| (9_007_199_254_740_990 + v).to_string()),
        any::<f64>().prop_map(|v| v.to_string()),
        (-300i32..300, 0u32..1000).prop_map(|(a, b)| format!("{a}.{b:03}")),
        Just("NaN".to_owned()),
        Just("INF".to_owned()),
        Just("-INF".to_owned()),
        Just("-0".to_owned()),
        Just("0.0".to_owned()),
        Just("1e300".to_owned()),
        Just("123456789012345678901.5".to_owned()),
        Just("abc".to_owned()),
    ];
    let date_time = (
        1990i32..2030,
        1u32..13,
        1u32..29,
        0u32..24,
        prop_oneof![
            Just(String::new()),
            Just("Z".to_owned()),
            Just("+14:00".to_owned()),
            Just("-14:00".to_owned()),
            Just("+02:00".to_owned()),
        ],
    )
        .prop_map(|(y, m, d, h, tz)| format!("{y}-{m:02}-{d:02}T{h:02}:00:00{tz}"));
    prop_oneof![
        Just(None),
        "[a-c]{1,3}".prop_map(|id| Some(oxigraph::model::BlankNode::new_unchecked(id).into())),
        "[a-c]{1,3}".prop_map(|s| Some(NamedNode::new_unchecked(format!("http://e/{s}")).into())),
        (
            prop_oneof![
                Just("integer"),
                Just("decimal"),
                Just("float"),
                Just("double"),
                Just("int"),
                Just("string"),
                Just("boolean"),
            ],
            number_text.clone()
        )
            .prop_map(move |(dt, v)| Some(typed(dt, v))),
        number_text.prop_map(|v| Some(Literal::new_simple_literal(v).into())),
        (
            "[a-c]{0,3}",
            prop_oneof![Just("en"), Just("de"), Just("en-gb")]
        )
            .prop_map(|(v, l)| Some(Literal::new_language_tagged_literal_unchecked(v, l).into())),
        date_time.prop_map(move |v| Some(typed("dateTime", v))),
        (
            1990i32..2030,
            prop_oneof![Just(""), Just("Z"), Just("+13:00")]
        )
            .prop_map(move |(y, tz)| Some(typed("date", format!("{y}-06-15{tz}")))),
        (1990i32..2030).prop_map(move |y| Some(typed("gYear", y.to_string()))),
        (0u32..3, 0u32..40)
            .prop_map(move |(m, d)| { Some(typed("duration", format!("P{m}M{d}D"))) }),
        (0u32..40).prop_map(move |d| Some(typed("dayTimeDuration", format!("P{d}D")))),
        (0u32..3).prop_map(move |m| Some(typed("yearMonthDuration", format!("P{m}M")))),
        "[a-c0-9]{1,3}".prop_map(|v| Some(
            Literal::new_typed_literal(v, NamedNode::new_unchecked("http://e/dt")).into()
        )),
    ]
}

fn cmp(a: &Option<Term>, b: &Option<Term>) -> Ordering {
    spareval::order_by_cmp(a.as_ref(), b.as_ref())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn the_order_of_order_by_is_total(a in any_term(), b in any_term(), c in any_term()) {
        // antisymmetric (and reflexive)
        prop_assert_eq!(cmp(&a, &b), cmp(&b, &a).reverse());
        prop_assert_eq!(cmp(&a, &a), Ordering::Equal);
        // transitive, for every arrangement of the three
        for (x, y, z) in [(&a, &b, &c), (&a, &c, &b), (&b, &a, &c), (&b, &c, &a), (&c, &a, &b), (&c, &b, &a)] {
            if cmp(x, y) != Ordering::Greater && cmp(y, z) != Ordering::Greater {
                prop_assert_ne!(cmp(x, z), Ordering::Greater, "{:?} <= {:?} <= {:?}", x, y, z);
            }
            if cmp(x, y) == Ordering::Equal && cmp(y, z) == Ordering::Equal {
                prop_assert_eq!(cmp(x, z), Ordering::Equal);
            }
        }
    }

    #[test]
    fn sorting_any_mix_of_terms_never_panics_and_is_ordered(
        mut terms in proptest::collection::vec(any_term(), 0..120)
    ) {
        terms.sort_by(cmp);
        for i in 0..terms.len() {
            for j in i + 1..terms.len() {
                prop_assert_ne!(cmp(&terms[i], &terms[j]), Ordering::Greater);
            }
        }
        let mut again = terms.clone();
        again.reverse();
        again.sort_unstable_by(cmp);
        for (x, y) in terms.iter().zip(&again) {
            prop_assert_eq!(cmp(x, y), Ordering::Equal);
        }
    }
}
