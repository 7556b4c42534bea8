//! The W3C SPARQL 1.0 (`data-r2`) and 1.1 query evaluation tests, evaluated the way reti's
//! endpoint evaluates a query: on reti's in-memory store, whose default graph is the merge of
//! its named graphs, by [`Dataset::evaluate`].
//!
//! Each test's data (`qt:data`) goes into one named graph of a store built by
//! [`Dataset::from_quads`], so the default graph is that data. Tests reti cannot pose the same
//! way are left out: those with named graphs (`qt:graphData`) and those whose query uses
//! `GRAPH`, `FROM` or `FROM NAMED` (reti's named graphs are its sources, and its default graph
//! is always their merge). That leaves 470 tests ([`SELECTED`]) of the manifests in
//! [`MANIFESTS`], 36 left out there; 444 pass and 26 are known failures.
//!
//! Results are compared with the expected ones (SPARQL XML, JSON, TSV, CSV, or RDF result sets
//! and graphs in Turtle or RDF/XML) as multisets, blank nodes matched by one consistent
//! bijection over the whole result (by canonicalising both as RDF graphs), literals as terms
//! (`"01"^^xsd:integer` is not `"1"^^xsd:integer`). When the query's outermost modifier is
//! `ORDER BY`, the projected variables it sorts on (up to the first sort key that is not a
//! projected variable) must also come in the expected order; solutions that tie on them may
//! come in any order. With `mf:LaxCardinality` (`REDUCED`) the solutions are compared as sets.
//! A CSV result is compared as text cells, as CSV loses datatypes and languages.
//!
//! `tests/w3c/known_failures.txt` lists the tests that fail today, each with why. The test
//! fails on a failure not listed and on a listed test that passes, printing which. After a
//! change of the evaluator, rewrite the list with
//!
//! ```text
//! W3C_BLESS=1 cargo test --test it w3c::
//! ```
//!
//! which keeps the reasons of tests still failing and writes the first line of the failure for
//! new ones (replace it with why), then review the diff. The copied files are
//! exactly those the selected tests read: the test fails on a file under `tests/w3c/` that
//! none reads, so the copy stays small.

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::vocab::rdf;
use oxigraph::model::{
    BlankNode, Graph, GraphName, Literal, NamedNode, NamedOrBlankNode, NamedOrBlankNodeRef, Quad,
    Term, TermRef, Triple, Variable,
};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, QueryResultsSerializer, SliceQueryResultsParserOutput,
};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxrdf::dataset::CanonicalizationAlgorithm;
use reti::rdf::Base;
use reti::store::Dataset;
use spargebra::algebra::{AggregateExpression, Expression, GraphPattern, OrderExpression};
use spargebra::{Query, SparqlParser};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::PathBuf;

/// The IRI the copied suites had in the W3C repository: tests are named, and files resolved,
/// against it, so that test IRIs are the W3C ones.
const W3C_BASE: &str = "https://w3c.github.io/rdf-tests/sparql/";

/// The manifests whose query evaluation tests are run, relative to `tests/w3c/`: those of
/// SPARQL 1.0's `data-r2` evaluation suite and SPARQL 1.1's query language and result format
/// suites (`manifest-evaluation.ttl`, `manifest-sparql11-query.ttl` and
/// `manifest-sparql11-results.ttl` there) that have a test reti can pose.
const MANIFESTS: &[&str] = &[
    "sparql10/algebra/manifest.ttl",
    "sparql10/graph/manifest.ttl",
    "sparql10/ask/manifest.ttl",
    "sparql10/basic/manifest.ttl",
    "sparql10/bnode-coreference/manifest.ttl",
    "sparql10/boolean-effective-value/manifest.ttl",
    "sparql10/bound/manifest.ttl",
    "sparql10/cast/manifest.ttl",
    "sparql10/construct/manifest.ttl",
    "sparql10/distinct/manifest.ttl",
    "sparql10/expr-builtin/manifest.ttl",
    "sparql10/expr-equals/manifest.ttl",
    "sparql10/expr-ops/manifest.ttl",
    "sparql10/i18n/manifest.ttl",
    "sparql10/open-world/manifest.ttl",
    "sparql10/optional-filter/manifest.ttl",
    "sparql10/optional/manifest.ttl",
    "sparql10/reduced/manifest.ttl",
    "sparql10/regex/manifest.ttl",
    "sparql10/solution-seq/manifest.ttl",
    "sparql10/sort/manifest.ttl",
    "sparql10/triple-match/manifest.ttl",
    "sparql10/type-promotion/manifest.ttl",
    "sparql11/aggregates/manifest.ttl",
    "sparql11/bind/manifest.ttl",
    "sparql11/bindings/manifest.ttl",
    "sparql11/cast/manifest.ttl",
    "sparql11/construct/manifest.ttl",
    "sparql11/csv-tsv-res/manifest.ttl",
    "sparql11/exists/manifest.ttl",
    "sparql11/functions/manifest.ttl",
    "sparql11/grouping/manifest.ttl",
    "sparql11/json-res/manifest.ttl",
    "sparql11/negation/manifest.ttl",
    "sparql11/project-expression/manifest.ttl",
    "sparql11/property-path/manifest.ttl",
    "sparql11/subquery/manifest.ttl",
];

/// How many query evaluation tests of [`MANIFESTS`] reti can pose (`mf:QueryEvaluationTest`s
/// and `mf:CSVResultFormatTest`s without `qt:graphData`, `GRAPH`, `FROM` or `FROM NAMED`): a
/// change means tests were lost or gained, and is checked.
const SELECTED: usize = 470;

const MF: &str = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#";
const QT: &str = "http://www.w3.org/2001/sw/DataAccess/tests/test-query#";
const RS: &str = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#";

fn mf(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{MF}{local}"))
}
fn qt(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{QT}{local}"))
}
fn rs(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{RS}{local}"))
}

/// `tests/w3c/`.
fn suite_dir() -> PathBuf {
    super::root().join("tests/w3c")
}

/// The copied file a W3C IRI names.
fn local_path(iri: &str) -> Result<PathBuf, String> {
    let relative = iri
        .strip_prefix(W3C_BASE)
        .ok_or_else(|| format!("{iri} is outside the copied suites"))?;
    Ok(suite_dir().join(relative))
}

/// Reads the file a W3C IRI names, noting that it was read.
struct Files {
    read: BTreeSet<PathBuf>,
}

impl Files {
    fn read(&mut self, iri: &str) -> Result<Vec<u8>, String> {
        let path = local_path(iri)?;
        let bytes =
            std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        self.read.insert(path);
        Ok(bytes)
    }

    fn rdf(&mut self, iri: &str) -> Result<Vec<Quad>, String> {
        let format = match iri.rsplit_once('.').map(|(_, ext)| ext) {
            Some("ttl") => RdfFormat::Turtle,
            Some("nt") => RdfFormat::NTriples,
            Some("rdf") => RdfFormat::RdfXml,
            _ => return Err(format!("{iri}: unknown RDF format")),
        };
        let bytes = self.read(iri)?;
        RdfParser::from_format(format)
            .with_base_iri(iri)
            .map_err(|e| e.to_string())?
            .rename_blank_nodes()
            .for_slice(&bytes)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("{iri}: {e}"))
    }

    fn graph(&mut self, iri: &str) -> Result<Graph, String> {
        Ok(self.rdf(iri)?.into_iter().map(Triple::from).collect())
    }
}

/// A query evaluation test of a manifest.
struct Test {
    iri: String,
    query: String,
    data: Vec<String>,
    result: String,
    lax: bool,
}

/// The query evaluation tests of a manifest, and how many were left out as reti cannot pose
/// them (named graphs).
fn tests_of(manifest: &str, files: &mut Files) -> Result<(Vec<Test>, usize), String> {
    let graph = files.graph(manifest)?;
    let object = |s: NamedOrBlankNodeRef<'_>, p: &NamedNode| {
        graph
            .object_for_subject_predicate(s, p)
            .map(TermRef::into_owned)
    };
    let iri = |t: Option<Term>| match t {
        Some(Term::NamedNode(n)) => Some(n.into_string()),
        _ => None,
    };
    // the manifest node is `<>` in most manifests, `[]` in some
    let Some(manifest_node) = graph
        .subject_for_predicate_object(rdf::TYPE, &mf("Manifest"))
        .map(NamedOrBlankNodeRef::into_owned)
    else {
        return Err(format!("{manifest}: no mf:Manifest"));
    };
    let mut entries = Vec::new();
    let mut list = object(manifest_node.as_ref(), &mf("entries"));
    if list.is_none() {
        return Err(format!("{manifest}: no mf:entries"));
    }
    while let Some(node) = list {
        let node = match node {
            Term::NamedNode(n) if n == rdf::NIL => break,
            Term::NamedNode(n) => NamedOrBlankNode::from(n),
            Term::BlankNode(b) => NamedOrBlankNode::from(b),
            other => return Err(format!("{manifest}: bad list node {other}")),
        };
        if let Some(Term::NamedNode(entry)) = object(node.as_ref(), &rdf::FIRST.into_owned()) {
            entries.push(entry);
        }
        list = object(node.as_ref(), &rdf::REST.into_owned());
    }
    let (mut tests, mut left_out) = (Vec::new(), 0);
    for entry in entries {
        let entry_ref = NamedOrBlankNodeRef::from(entry.as_ref());
        let is = |kind: &str| {
            graph.contains(oxigraph::model::TripleRef::new(
                entry_ref,
                rdf::TYPE,
                &mf(kind),
            ))
        };
        if !is("QueryEvaluationTest") && !is("CSVResultFormatTest") {
            continue;
        }
        let Some(action) = object(entry_ref, &mf("action")) else {
            return Err(format!("{entry}: no mf:action"));
        };
        let action = match &action {
            Term::BlankNode(b) => NamedOrBlankNodeRef::from(b.as_ref()),
            Term::NamedNode(n) => NamedOrBlankNodeRef::from(n.as_ref()),
            other => return Err(format!("{entry}: bad mf:action {other}")),
        };
        if graph
            .objects_for_subject_predicate(action, &qt("graphData"))
            .next()
            .is_some()
        {
            left_out += 1;
            continue;
        }
        let query =
            iri(object(action, &qt("query"))).ok_or_else(|| format!("{entry}: no qt:query"))?;
        let data = graph
            .objects_for_subject_predicate(action, &qt("data"))
            .filter_map(|t| match t {
                TermRef::NamedNode(n) => Some(n.as_str().to_owned()),
                _ => None,
            })
            .collect();
        let result = iri(object(entry_ref, &mf("result")))
            .ok_or_else(|| format!("{entry}: no mf:result"))?;
        let lax = object(entry_ref, &mf("resultCardinality"))
            == Some(Term::NamedNode(mf("LaxCardinality")));
        tests.push(Test {
            iri: entry.into_string(),
            query,
            data,
            result,
            lax,
        });
    }
    Ok((tests, left_out))
}

/// Whether a pattern reads a named graph (`GRAPH`), anywhere, `EXISTS` included.
fn uses_graph(pattern: &GraphPattern) -> bool {
    match pattern {
        GraphPattern::Graph { .. } => true,
        GraphPattern::Bgp { .. } | GraphPattern::Path { .. } | GraphPattern::Values { .. } => false,
        GraphPattern::Join { left, right }
        | GraphPattern::Union { left, right }
        | GraphPattern::Minus { left, right }
        | GraphPattern::Lateral { left, right } => uses_graph(left) || uses_graph(right),
        GraphPattern::LeftJoin {
            left,
            right,
            expression,
        } => uses_graph(left) || uses_graph(right) || expression.as_ref().is_some_and(in_expr),
        GraphPattern::Filter { expr, inner } => in_expr(expr) || uses_graph(inner),
        GraphPattern::Extend {
            inner, expression, ..
        } => in_expr(expression) || uses_graph(inner),
        GraphPattern::OrderBy { inner, expression } => {
            uses_graph(inner)
                || expression.iter().any(|o| match o {
                    OrderExpression::Asc(e) | OrderExpression::Desc(e) => in_expr(e),
                })
        }
        GraphPattern::Group {
            inner, aggregates, ..
        } => {
            uses_graph(inner)
                || aggregates.iter().any(|(_, a)| match a {
                    AggregateExpression::FunctionCall { expr, .. } => in_expr(expr),
                    AggregateExpression::CountSolutions { .. } => false,
                })
        }
        GraphPattern::Project { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. }
        | GraphPattern::Service { inner, .. } => uses_graph(inner),
    }
}

/// Whether an expression has an `EXISTS` that reads a named graph.
fn in_expr(expr: &Expression) -> bool {
    match expr {
        Expression::Exists(p) => uses_graph(p),
        Expression::NamedNode(_)
        | Expression::Literal(_)
        | Expression::Variable(_)
        | Expression::Bound(_) => false,
        Expression::Or(a, b)
        | Expression::And(a, b)
        | Expression::Equal(a, b)
        | Expression::SameTerm(a, b)
        | Expression::Greater(a, b)
        | Expression::GreaterOrEqual(a, b)
        | Expression::Less(a, b)
        | Expression::LessOrEqual(a, b)
        | Expression::Add(a, b)
        | Expression::Subtract(a, b)
        | Expression::Multiply(a, b)
        | Expression::Divide(a, b) => in_expr(a) || in_expr(b),
        Expression::UnaryPlus(a) | Expression::UnaryMinus(a) | Expression::Not(a) => in_expr(a),
        Expression::In(a, list) => in_expr(a) || list.iter().any(in_expr),
        Expression::If(a, b, c) => in_expr(a) || in_expr(b) || in_expr(c),
        Expression::Coalesce(list) | Expression::FunctionCall(_, list) => list.iter().any(in_expr),
    }
}

/// The pattern of a query.
fn pattern_of(query: &Query) -> &GraphPattern {
    match query {
        Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. }
        | Query::Ask { pattern, .. } => pattern,
    }
}

/// The variables a SELECT query's outermost `ORDER BY` sorts on, in order, up to the first
/// sort key that is not a projected variable (solutions tying on those may come in any order,
/// and an expression's value is not in the results); empty when the results are unordered.
fn sort_keys(query: &Query) -> Vec<Variable> {
    let Query::Select { pattern, .. } = query else {
        return Vec::new();
    };
    let mut projected: Option<&[Variable]> = None;
    let mut pattern = pattern;
    loop {
        match pattern {
            GraphPattern::Slice { inner, .. }
            | GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner } => pattern = inner,
            GraphPattern::Project { inner, variables } => {
                projected = Some(variables);
                pattern = inner;
            }
            GraphPattern::OrderBy { expression, .. } => {
                let mut keys = Vec::new();
                for order in expression {
                    let (OrderExpression::Asc(Expression::Variable(v))
                    | OrderExpression::Desc(Expression::Variable(v))) = order
                    else {
                        break;
                    };
                    if !projected.is_some_and(|p| p.contains(v)) {
                        break;
                    }
                    keys.push(v.clone());
                }
                return keys;
            }
            _ => return Vec::new(),
        }
    }
}

/// A result, in the form it is compared in.
#[derive(Debug)]
enum Outcome {
    Boolean(bool),
    /// Variables, sorted, and solutions in their order.
    Solutions {
        variables: Vec<Variable>,
        solutions: Vec<BTreeMap<Variable, Term>>,
        /// Whether the solutions' order is known (an RDF result set without `rs:index` has none).
        ordered: bool,
    },
    /// Boxed: a graph is far larger than the other outcomes.
    Graph(Box<Graph>),
}

impl Outcome {
    fn of(results: QueryResults<'_>) -> Result<Self, String> {
        Ok(match results {
            QueryResults::Boolean(b) => Outcome::Boolean(b),
            QueryResults::Solutions(solutions) => {
                let mut variables = solutions.variables().to_vec();
                variables.sort();
                let solutions = solutions
                    .map(|s| {
                        s.map(|s| {
                            s.iter()
                                .map(|(v, t)| (v.clone(), t.clone()))
                                .collect::<BTreeMap<_, _>>()
                        })
                    })
                    .collect::<Result<_, _>>()
                    .map_err(|e| e.to_string())?;
                Outcome::Solutions {
                    variables,
                    solutions,
                    ordered: true,
                }
            }
            QueryResults::Graph(triples) => Outcome::Graph(Box::new(
                triples
                    .collect::<Result<Graph, _>>()
                    .map_err(|e| e.to_string())?,
            )),
        })
    }

    /// The expected result of a test, from its file.
    fn expected(iri: &str, files: &mut Files) -> Result<Self, String> {
        let extension = iri.rsplit_once('.').map_or("", |(_, ext)| ext);
        let format = match extension {
            "srx" => Some(QueryResultsFormat::Xml),
            "srj" => Some(QueryResultsFormat::Json),
            "tsv" => Some(QueryResultsFormat::Tsv),
            _ => None,
        };
        if extension == "csv" {
            let bytes = files.read(iri)?;
            return csv_outcome(&bytes).map_err(|e| format!("{iri}: {e}"));
        }
        let Some(format) = format else {
            return Self::of_graph(files.graph(iri)?).map_err(|e| format!("{iri}: {e}"));
        };
        let bytes = files.read(iri)?;
        let parsed = QueryResultsParser::from_format(format)
            .for_slice(&bytes)
            .map_err(|e| format!("{iri}: {e}"))?;
        match parsed {
            SliceQueryResultsParserOutput::Boolean(b) => Ok(Outcome::Boolean(b)),
            SliceQueryResultsParserOutput::Solutions(s) => {
                let mut variables = s.variables().to_vec();
                variables.sort();
                let solutions = s
                    .map(|s| s.map(|s| s.iter().map(|(v, t)| (v.clone(), t.clone())).collect()))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| format!("{iri}: {e}"))?;
                Ok(Outcome::Solutions {
                    variables,
                    solutions,
                    ordered: true,
                })
            }
        }
    }

    /// A graph: an RDF result set (`rs:ResultSet`) or a CONSTRUCT/DESCRIBE result.
    fn of_graph(graph: Graph) -> Result<Self, String> {
        let Some(set) = graph
            .subject_for_predicate_object(rdf::TYPE, &rs("ResultSet"))
            .map(NamedOrBlankNodeRef::into_owned)
        else {
            return Ok(Outcome::Graph(Box::new(graph)));
        };
        let object = |s: NamedOrBlankNodeRef<'_>, p: &str| {
            graph
                .object_for_subject_predicate(s, &rs(p))
                .map(TermRef::into_owned)
        };
        if let Some(b) = object(set.as_ref(), "boolean") {
            return Ok(Outcome::Boolean(b == Term::from(Literal::from(true))));
        }
        let mut variables = graph
            .objects_for_subject_predicate(&set, &rs("resultVariable"))
            .map(|t| match t {
                TermRef::Literal(l) => Variable::new(l.value()).map_err(|e| e.to_string()),
                other => Err(format!("bad rs:resultVariable {other}")),
            })
            .collect::<Result<Vec<_>, _>>()?;
        variables.sort();
        let mut solutions = Vec::new();
        for solution in graph.objects_for_subject_predicate(&set, &rs("solution")) {
            let solution = match solution {
                TermRef::BlankNode(b) => NamedOrBlankNodeRef::from(b),
                other => return Err(format!("bad rs:solution {other}")),
            };
            let mut bindings = BTreeMap::new();
            for binding in graph.objects_for_subject_predicate(solution, &rs("binding")) {
                let TermRef::BlankNode(binding) = binding else {
                    return Err(format!("bad rs:binding {binding}"));
                };
                let (Some(Term::Literal(variable)), Some(value)) = (
                    object(binding.into(), "variable"),
                    object(binding.into(), "value"),
                ) else {
                    return Err(format!("incomplete rs:binding {binding}"));
                };
                let variable = Variable::new(variable.value()).map_err(|e| e.to_string())?;
                bindings.insert(variable, value);
            }
            let index = match object(solution, "index") {
                Some(Term::Literal(l)) => {
                    Some(l.value().parse::<u64>().map_err(|e| e.to_string())?)
                }
                _ => None,
            };
            solutions.push((index, bindings));
        }
        let ordered = solutions.iter().all(|(index, _)| index.is_some());
        solutions.sort_by_key(|(index, _)| *index);
        Ok(Outcome::Solutions {
            variables,
            solutions: solutions.into_iter().map(|(_, s)| s).collect(),
            ordered,
        })
    }
}

/// A CSV result as solutions of plain strings (blank nodes as `_:` labels): CSV keeps no more.
fn csv_outcome(bytes: &[u8]) -> Result<Outcome, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes);
    let header = reader.headers().map_err(|e| e.to_string())?.clone();
    let variables = header
        .iter()
        .map(|v| Variable::new(v).map_err(|e| e.to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    let mut solutions = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        let mut solution = BTreeMap::new();
        for (variable, cell) in variables.iter().zip(record.iter()) {
            let term = if cell.is_empty() {
                continue;
            } else if let Some(label) = cell.strip_prefix("_:") {
                Term::from(BlankNode::new(label).map_err(|e| e.to_string())?)
            } else {
                Term::from(Literal::new_simple_literal(cell))
            };
            solution.insert(variable.clone(), term);
        }
        solutions.push(solution);
    }
    let mut variables = variables;
    variables.sort();
    Ok(Outcome::Solutions {
        variables,
        solutions,
        ordered: true,
    })
}

type Solution = BTreeMap<Variable, Term>;

/// Whether two multisets of solutions are equal up to one renaming of blank nodes across all
/// of them (a bijection; `lax`: as sets). Solutions without blank nodes are counted; those
/// with some are matched by a search that backtracks, most constrained first.
fn same_solutions(expected: &[Solution], actual: &[Solution], lax: bool) -> bool {
    fn has_bnode(s: &Solution) -> bool {
        s.values().any(|t| t.is_blank_node())
    }
    fn counted(solutions: &[Solution], lax: bool) -> Vec<(&Solution, usize)> {
        let mut counts: HashMap<&Solution, usize> = HashMap::new();
        for s in solutions {
            let n = counts.entry(s).or_default();
            *n = if lax { 1 } else { *n + 1 };
        }
        counts.into_iter().collect()
    }
    let (e, a) = (counted(expected, lax), counted(actual, lax));
    let ground = |c: &[(&Solution, usize)]| -> HashMap<Solution, usize> {
        c.iter()
            .filter(|(s, _)| !has_bnode(s))
            .map(|(s, n)| ((*s).clone(), *n))
            .collect()
    };
    if ground(&e) != ground(&a) {
        return false;
    }
    let mut e: Vec<_> = e.into_iter().filter(|(s, _)| has_bnode(s)).collect();
    let a: Vec<_> = a.into_iter().filter(|(s, _)| has_bnode(s)).collect();
    if e.len() != a.len() {
        return false;
    }
    // a solution's shape: its values, each blank node as the same placeholder
    let shape = |s: &Solution| -> Vec<(Variable, Option<Term>)> {
        s.iter()
            .map(|(v, t)| (v.clone(), (!t.is_blank_node()).then(|| t.clone())))
            .collect()
    };
    let candidates = |x: &(&Solution, usize)| {
        a.iter()
            .filter(|y| y.1 == x.1 && shape(y.0) == shape(x.0))
            .count()
    };
    e.sort_by_key(candidates);
    let mut used = vec![false; a.len()];
    let mut forward: HashMap<BlankNode, BlankNode> = HashMap::new();
    let mut backward: HashMap<BlankNode, BlankNode> = HashMap::new();
    let mut steps = 0usize;
    search(
        &e,
        &a,
        0,
        &mut used,
        &mut forward,
        &mut backward,
        &mut steps,
    )
}

/// Matches `e[at..]` to unused solutions of `a`, extending the blank node bijection.
fn search(
    e: &[(&Solution, usize)],
    a: &[(&Solution, usize)],
    at: usize,
    used: &mut [bool],
    forward: &mut HashMap<BlankNode, BlankNode>,
    backward: &mut HashMap<BlankNode, BlankNode>,
    steps: &mut usize,
) -> bool {
    let Some((expected, count)) = e.get(at) else {
        return true;
    };
    for (i, (actual, n)) in a.iter().enumerate() {
        *steps += 1;
        if used[i] || n != count || *steps > 1_000_000 {
            continue;
        }
        // try the pairing, noting what it adds to the bijection
        let mut added = Vec::new();
        let mut fits = expected.len() == actual.len();
        for (v, te) in expected.iter() {
            if !fits {
                break;
            }
            fits = match (te, actual.get(v)) {
                (Term::BlankNode(be), Some(Term::BlankNode(ba))) => {
                    match (forward.get(be), backward.get(ba)) {
                        (Some(x), _) => x == ba,
                        (None, Some(_)) => false,
                        (None, None) => {
                            forward.insert(be.clone(), ba.clone());
                            backward.insert(ba.clone(), be.clone());
                            added.push(be.clone());
                            true
                        }
                    }
                }
                (te, Some(ta)) => te == ta,
                (_, None) => false,
            };
        }
        if fits {
            used[i] = true;
            if search(e, a, at + 1, used, forward, backward, steps) {
                return true;
            }
            used[i] = false;
        }
        for be in added {
            if let Some(ba) = forward.remove(&be) {
                backward.remove(&ba);
            }
        }
    }
    false
}

fn show_solutions(solutions: &[BTreeMap<Variable, Term>]) -> String {
    let mut out = String::new();
    for s in solutions.iter().take(40) {
        out.push_str("  {");
        for (v, t) in s {
            let _ = write!(out, " {v}={t}");
        }
        out.push_str(" }\n");
    }
    if solutions.len() > 40 {
        let _ = writeln!(out, "  ... {} more", solutions.len() - 40);
    }
    out
}

/// `Ok` when `actual` is `expected` as the test compares them; else what differs.
fn compare(
    expected: &Outcome,
    actual: &Outcome,
    keys: &[Variable],
    lax: bool,
) -> Result<(), String> {
    match (expected, actual) {
        (Outcome::Boolean(e), Outcome::Boolean(a)) if e == a => Ok(()),
        (Outcome::Graph(e), Outcome::Graph(a)) => {
            let (mut e, mut a) = (Graph::clone(e), Graph::clone(a));
            e.canonicalize(CanonicalizationAlgorithm::Unstable);
            a.canonicalize(CanonicalizationAlgorithm::Unstable);
            if e == a {
                Ok(())
            } else {
                Err(format!("graphs differ\nexpected:\n{e}\nactual:\n{a}"))
            }
        }
        (
            Outcome::Solutions {
                variables: ev,
                solutions: es,
                ordered,
            },
            Outcome::Solutions {
                variables: av,
                solutions: acts,
                ..
            },
        ) => {
            let differ = |what: &str| {
                format!(
                    "{what}\nexpected ({}):\n{}actual ({}):\n{}",
                    es.len(),
                    show_solutions(es),
                    acts.len(),
                    show_solutions(acts)
                )
            };
            if ev != av {
                return Err(format!(
                    "variables differ: expected {ev:?}, actual {av:?}\n{}",
                    differ("")
                ));
            }
            if !same_solutions(es, acts, lax) {
                return Err(differ("solutions differ"));
            }
            if *ordered && !keys.is_empty() && !lax {
                // blank nodes sort in no defined order: any stands for any
                let key = |s: &BTreeMap<Variable, Term>| {
                    keys.iter()
                        .map(|k| match s.get(k) {
                            Some(Term::BlankNode(_)) => Some(None),
                            other => Some(other.cloned()),
                        })
                        .collect::<Vec<_>>()
                };
                let e: Vec<_> = es.iter().map(key).collect();
                let a: Vec<_> = acts.iter().map(key).collect();
                if e != a {
                    return Err(differ(&format!("order on {keys:?} differs")));
                }
            }
            Ok(())
        }
        (e, a) => Err(format!("expected {e:?}\nactual {a:?}")),
    }
}

/// Runs one test on `dataset`.
fn run(test: &Test, query: &Query, dataset: &Dataset, files: &mut Files) -> Result<(), String> {
    let expected = Outcome::expected(&test.result, files)?;
    let results = dataset
        .evaluate(SparqlEvaluator::new(), query.clone(), None)
        .map_err(|e| format!("evaluation failed: {e}"))?;
    let actual = if test.result.ends_with(".csv") {
        let mut bytes = Vec::new();
        match results {
            QueryResults::Solutions(solutions) => {
                let mut writer = QueryResultsSerializer::from_format(QueryResultsFormat::Csv)
                    .serialize_solutions_to_writer(&mut bytes, solutions.variables().to_vec())
                    .map_err(|e| e.to_string())?;
                for solution in solutions {
                    let solution = solution.map_err(|e| format!("evaluation failed: {e}"))?;
                    writer.serialize(&solution).map_err(|e| e.to_string())?;
                }
                writer.finish().map_err(|e| e.to_string())?;
            }
            _ => return Err("a CSV result for a query that is not a SELECT".into()),
        }
        csv_outcome(&bytes)?
    } else {
        Outcome::of(results).map_err(|e| format!("evaluation failed: {e}"))?
    };
    compare(&expected, &actual, &sort_keys(query), test.lax)
}

/// Known failures: test IRI and why, from `tests/w3c/known_failures.txt` (`IRI # reason`).
fn known_failures() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(suite_dir().join("known_failures.txt")).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once(" # ") {
            Some((iri, why)) => (iri.trim().to_owned(), why.trim().to_owned()),
            None => (l.to_owned(), String::new()),
        })
        .collect()
}

const KNOWN_HEADER: &str = "\
# W3C SPARQL query evaluation tests that reti's store and evaluator fail today, one a line:
# the test IRI, ` # `, and why. tests/it/w3c.rs fails on a failure not listed here and on a
# test listed here that passes. To rewrite the list after a change of the evaluator:
#   W3C_BLESS=1 cargo test --test it w3c::
# (reasons of tests still failing are kept; a new line gets the first line of its failure:
# replace it with why).
";

#[test]
fn w3c_sparql_query_evaluation() {
    let mut files = Files {
        read: BTreeSet::new(),
    };
    let mut selected = Vec::new();
    let mut left_out = 0;
    for manifest in MANIFESTS {
        let iri = format!("{W3C_BASE}{manifest}");
        let (tests, out) = tests_of(&iri, &mut files).unwrap_or_else(|e| panic!("{e}"));
        left_out += out;
        let before = selected.len();
        for test in tests {
            let text = files
                .read(&test.query)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_else(|e| panic!("{}: {e}", test.iri));
            // a query that does not parse is posed, and fails: the endpoint would refuse it
            let query = SparqlParser::new()
                .with_base_iri(&test.query)
                .expect("the query IRI is an IRI")
                .parse_query(&text)
                .map_err(|e| format!("the query does not parse: {e}"));
            if query
                .as_ref()
                .is_ok_and(|q| q.dataset().is_some() || uses_graph(pattern_of(q)))
            {
                left_out += 1;
                continue;
            }
            selected.push((test, query));
        }
        assert!(
            selected.len() > before,
            "{manifest} has no test reti can pose: take it out of MANIFESTS and tests/w3c/"
        );
    }

    // each distinct data set loaded once, into one named graph
    let mut stores: HashMap<Vec<String>, Dataset> = HashMap::new();
    let graph = NamedNode::new_unchecked("https://example.org/w3c-test-data");
    let mut failures = BTreeMap::new();
    for (test, query) in &selected {
        let mut data = test.data.clone();
        data.sort();
        if !stores.contains_key(&data) {
            let mut quads = Vec::new();
            for iri in &data {
                match files.rdf(iri) {
                    Ok(q) => quads.extend(q.into_iter().map(|q| {
                        Quad::new(
                            q.subject,
                            q.predicate,
                            q.object,
                            GraphName::from(graph.clone()),
                        )
                    })),
                    Err(e) => panic!("{}: {e}", test.iri),
                }
            }
            let base = Base::new(Base::DEFAULT).expect("default base");
            let dataset = Dataset::from_quads(quads.iter().map(Quad::as_ref), base)
                .unwrap_or_else(|e| panic!("{}: the store refused the data: {e}", test.iri));
            stores.insert(data.clone(), dataset);
        }
        let dataset = &stores[&data];
        let outcome = match query {
            Ok(query) => run(test, query, dataset, &mut files),
            Err(e) => Err(e.clone()),
        };
        if let Err(e) = outcome {
            failures.insert(test.iri.clone(), e);
        }
    }

    let passed = selected.len() - failures.len();
    println!(
        "W3C SPARQL query evaluation: {} selected ({left_out} left out: named graphs), {passed} pass, {} fail",
        selected.len(),
        failures.len()
    );

    let known = known_failures();
    if std::env::var_os("W3C_BLESS").is_some_and(|v| v == "1") {
        let mut text = KNOWN_HEADER.to_owned();
        for (iri, failure) in &failures {
            let why = known.get(iri).cloned().unwrap_or_else(|| {
                let first = failure.lines().next().unwrap_or("");
                format!("NEW: {}", first.chars().take(120).collect::<String>())
            });
            let _ = writeln!(text, "{iri} # {why}");
        }
        std::fs::write(suite_dir().join("known_failures.txt"), text)
            .expect("write tests/w3c/known_failures.txt");
        println!("rewrote tests/w3c/known_failures.txt");
        return;
    }

    let mut report = String::new();
    for (iri, failure) in &failures {
        if !known.contains_key(iri) {
            let _ = writeln!(report, "NEW FAILURE {iri}\n{failure}\n");
        }
    }
    let selected_iris: BTreeSet<&str> = selected.iter().map(|(t, _)| t.iri.as_str()).collect();
    for iri in known.keys() {
        if !failures.contains_key(iri) {
            if selected_iris.contains(iri.as_str()) {
                let _ = writeln!(report, "NOW PASSES {iri}");
            } else {
                let _ = writeln!(report, "NOT A SELECTED TEST {iri}");
            }
        }
    }
    if !report.is_empty() {
        panic!(
            "{report}\nThe W3C results differ from tests/w3c/known_failures.txt. If the change is \
             intended, rewrite the list with `W3C_BLESS=1 cargo test --test it w3c::`, give each \
             new line its reason, and review the diff."
        );
    }

    // the copy holds what the selected tests read, and nothing else
    let mut unused = Vec::new();
    let mut stack = vec![suite_dir()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read tests/w3c") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.parent() != Some(suite_dir().as_path())
                && path.file_name() != Some("LICENSE".as_ref())
                && !files.read.contains(&path)
            {
                unused.push(path);
            }
        }
    }
    unused.sort();
    assert!(
        unused.is_empty(),
        "files under tests/w3c/ that no selected test reads (delete them): {unused:#?}"
    );
    assert_eq!(
        selected.len(),
        SELECTED,
        "the number of selected W3C tests changed: update SELECTED and tests/w3c/README.md"
    );
}

#[test]
fn unordered_comparison_matches_blank_nodes_consistently() {
    let v = |name: &str| Variable::new_unchecked(name);
    let b = |s: &str| Term::from(BlankNode::new_unchecked(s));
    let solution = |pairs: &[(&str, Term)]| -> BTreeMap<Variable, Term> {
        pairs.iter().map(|(n, t)| (v(n), t.clone())).collect()
    };
    let outcome = |rows: Vec<BTreeMap<Variable, Term>>| Outcome::Solutions {
        variables: vec![v("x"), v("y")],
        solutions: rows,
        ordered: true,
    };
    // one node twice, against two nodes: not the same result
    let same = outcome(vec![
        solution(&[("x", b("a")), ("y", b("a"))]),
        solution(&[("x", b("c")), ("y", b("d"))]),
    ]);
    let renamed = outcome(vec![
        solution(&[("x", b("q")), ("y", b("r"))]),
        solution(&[("x", b("p")), ("y", b("p"))]),
    ]);
    let split = outcome(vec![
        solution(&[("x", b("q")), ("y", b("r"))]),
        solution(&[("x", b("p")), ("y", b("s"))]),
    ]);
    assert!(compare(&same, &renamed, &[], false).is_ok());
    assert!(compare(&same, &split, &[], false).is_err());
    // a solution twice is not the same as once, unless the cardinality is lax
    let one = Term::from(Literal::from(1));
    let twice = outcome(vec![
        solution(&[("x", one.clone())]),
        solution(&[("x", one.clone())]),
    ]);
    let once = outcome(vec![solution(&[("x", one.clone())])]);
    assert!(compare(&twice, &once, &[], false).is_err());
    assert!(compare(&twice, &once, &[], true).is_ok());
    // literals as terms
    let typed = outcome(vec![solution(&[(
        "x",
        Term::from(Literal::new_typed_literal(
            "01",
            oxigraph::model::vocab::xsd::INTEGER,
        )),
    )])]);
    assert!(compare(&typed, &once, &[], false).is_err());
    // ORDER BY: the sorted variable's order counts, ties may come in any order
    let rows = |order: &[(i64, &str)]| {
        outcome(
            order
                .iter()
                .map(|(x, y)| {
                    solution(&[
                        ("x", Term::from(Literal::from(*x))),
                        ("y", Term::from(Literal::new_simple_literal(*y))),
                    ])
                })
                .collect(),
        )
    };
    let sorted = rows(&[(1, "a"), (1, "b"), (2, "c")]);
    let ties_swapped = rows(&[(1, "b"), (1, "a"), (2, "c")]);
    let unsorted = rows(&[(2, "c"), (1, "a"), (1, "b")]);
    assert!(compare(&sorted, &ties_swapped, &[v("x")], false).is_ok());
    assert!(compare(&sorted, &unsorted, &[v("x")], false).is_err());
    assert!(compare(&sorted, &unsorted, &[], false).is_ok());
}
