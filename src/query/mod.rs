//! Where the published data is read from: the embedded store built from the source files
//! ([`Backend::Local`]), or a remote SPARQL endpoint that holds the same quads
//! ([`Backend::Remote`], `reti serve --sparql-endpoint`), so that many stateless front ends can
//! serve one big store.
//!
//! The front end (documents, pages, stored queries, catalog, report) asks every question
//! through [`Backend`]. Each operation is written once, in terms of a few batched lookups or of
//! SPARQL, so both backends give the same answers; the remote one sends each batch as one
//! query.
//!
//! The remote store holds what `reti publish` sends: the named graphs (each source's and the
//! ontology), and their merge as the graph `{base}graph/merge`. Every query the front end sends
//! names its dataset: that merge as the default graph (`default-graph-uri`) and reti's graphs
//! as the named ones (`named-graph-uri`). So a store whose default graph is the union of all
//! its graphs (Virtuoso), which would give each triple once per graph that states it, answers
//! as the embedded store does, and its own graphs (Virtuoso's system graphs, other datasets,
//! the catalog graph reti publishes for harvesters) are neither counted nor queried. A store
//! without the merge graph (loaded by hand from `reti export`) is asked without a dataset: its
//! default graph must then be the merge.

pub mod remote;
pub mod report;
pub mod stored;

use crate::rdf::Base;
use crate::store::{Dataset, QueryError, Summary};
use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedOrBlankNode, Term, Triple};
use oxigraph::sparql::{
    CancellationToken, QueryDataset, QueryEvaluationError, QueryResults, SparqlEvaluator,
};
use oxigraph::store::StorageError;
use remote::{Form, RemoteEndpoint, RemoteError};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Why the backend could not answer.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    /// The embedded store failed.
    #[error("store error: {0}")]
    Store(#[from] StorageError),
    /// A query is invalid or failed in the embedded store.
    #[error(transparent)]
    Query(#[from] QueryError),
    /// The remote endpoint gave no usable answer.
    #[error(transparent)]
    Remote(#[from] RemoteError),
    /// The remote store does not hold reti's data under the expected base.
    #[error("{0}")]
    Setup(String),
}

/// A source of SPARQL answers over reti's data: the embedded dataset or a backend. The
/// reconciliation report is computed through it, so `reti check --report` and `/report` on a
/// front end of a remote store agree.
pub trait Sparql {
    /// The base IRIs were minted from.
    fn base(&self) -> &Base;
    /// Evaluates a query whose IRIs are absolute.
    fn sparql(&self, query: &str) -> Result<QueryResults<'static>, BackendError>;
}

impl Sparql for Dataset {
    fn base(&self) -> &Base {
        Dataset::base(self)
    }

    fn sparql(&self, query: &str) -> Result<QueryResults<'static>, BackendError> {
        Ok(self.query(query)?)
    }
}

/// The data behind a front end.
pub enum Backend {
    /// The embedded store, built from the source files.
    Local(Dataset),
    /// A remote SPARQL endpoint holding the exported quads.
    Remote(Remote),
}

/// A remote store, connected: its endpoint, the base its IRIs are under, and counts read once
/// at connection (graph sizes for VoID and the service description).
pub struct Remote {
    endpoint: RemoteEndpoint,
    base: Base,
    summary: Summary,
    /// The merge graph, when the store holds one: the default graph of every query.
    merge: Option<NamedNode>,
    /// reti's graphs in the store (sources and ontology): the named graphs of every query.
    graphs: Vec<NamedNode>,
    /// Whether `GRAPH` patterns are restricted in the query text rather than by
    /// `named-graph-uri`: for a store that keeps all its graphs as named graphs when only the
    /// default graph is given, and whose planner gives up on many named graphs (Virtuoso:
    /// "Stack Overflow in cost model" with ten).
    filter_graphs: bool,
}

impl Remote {
    /// Connects to `endpoint`: finds the base of the reti data it holds (the graph
    /// `{base}graph/ontology`), checks it against `base` when one is given, and reads the
    /// counts. Fails when the store is unreachable or holds no reti data under that base.
    pub fn connect(endpoint: RemoteEndpoint, base: Option<Base>) -> Result<Self, BackendError> {
        let found = remote_bases(&endpoint)?;
        let base = match (base, found.as_slice()) {
            (Some(b), found) if found.iter().any(|f| f == b.as_str()) => b,
            (Some(b), []) => return Err(no_reti_data(&endpoint, Some(&b))),
            (Some(b), found) => {
                return Err(BackendError::Setup(format!(
                    "the SPARQL endpoint {} holds reti data under {}, not under --base {}: give \
                     the base the data was exported with",
                    endpoint.url(),
                    found.join(", "),
                    b.as_str()
                )));
            }
            (None, [one]) => Base::new(one).map_err(|e| BackendError::Setup(e.to_string()))?,
            (None, []) => return Err(no_reti_data(&endpoint, None)),
            (None, several) => {
                return Err(BackendError::Setup(format!(
                    "the SPARQL endpoint {} holds reti data under several bases ({}): choose \
                     one with --base",
                    endpoint.url(),
                    several.join(", ")
                )));
            }
        };
        let mut remote = Self {
            endpoint,
            base,
            summary: Summary::default(),
            merge: None,
            graphs: Vec::new(),
            filter_graphs: false,
        };
        remote.read_summary()?;
        if let Some(merge) = &remote.merge {
            // does the store keep its named graphs when only the default graph is named?
            let probe = remote.endpoint.query(
                "ASK { GRAPH ?g { ?s ?p ?o } }",
                Form::Tabular,
                &[("default-graph-uri", merge.as_str())],
            )?;
            remote.filter_graphs = matches!(probe, QueryResults::Boolean(true));
        }
        Ok(remote)
    }

    /// The merge graph the store holds, read as the default graph of every query (`None`:
    /// the store's own default graph is read).
    pub fn merge_graph(&self) -> Option<&NamedNode> {
        self.merge.as_ref()
    }

    /// The base the store's IRIs are under.
    pub fn base(&self) -> &Base {
        &self.base
    }

    /// The endpoint.
    pub fn endpoint(&self) -> &RemoteEndpoint {
        &self.endpoint
    }

    /// Finds reti's graphs in the store (those under `{base}graph/`, but the catalog and the
    /// merge, which the embedded store does not hold as named graphs) and counts them; the
    /// triples are those of the merge graph when the store holds one.
    fn read_summary(&mut self) -> Result<(), BackendError> {
        let prefix = self.base.graph("").as_str().to_owned();
        let catalog = self.base.graph(crate::rdf::CATALOG_GRAPH);
        let merge = self.base.graph(crate::rdf::MERGE_GRAPH);
        let query = format!(
            "SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), {})) }} GROUP BY ?g",
            oxigraph::model::Literal::new_simple_literal(&prefix)
        );
        let mut summary = Summary::default();
        let mut graphs = Vec::new();
        let mut merge_triples = None;
        for row in rows(self.endpoint.query(&query, Form::Tabular, &[])?)? {
            if let (Some(Term::NamedNode(g)), Some(n)) = (row.get("g"), number(&row, "n")) {
                if *g == merge {
                    merge_triples = Some(n);
                } else if *g != catalog {
                    summary.graphs.insert(g.as_str().to_owned(), n);
                    summary.quads += n;
                    graphs.push(g.clone());
                }
            }
        }
        graphs.sort();
        self.graphs = graphs;
        self.merge = merge_triples.map(|_| merge);
        summary.triples = match merge_triples {
            Some(n) => n,
            None => {
                let rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")?;
                rows.first().and_then(|r| number(r, "n")).unwrap_or(0)
            }
        };
        self.summary = summary;
        Ok(())
    }

    /// The protocol's dataset parameters every query of the front end carries: the merge as
    /// default graph, reti's graphs as named graphs. None without a merge graph (a store
    /// loaded by hand, whose default graph is the merge): naming graphs only would leave the
    /// default graph empty.
    fn dataset(&self) -> Vec<(&'static str, &str)> {
        let Some(merge) = &self.merge else {
            return Vec::new();
        };
        let mut params = vec![("default-graph-uri", merge.as_str())];
        if !self.filter_graphs {
            for g in &self.graphs {
                params.push(("named-graph-uri", g.as_str()));
            }
        }
        params
    }

    /// A query as the store is sent it: with its `GRAPH` patterns restricted to reti's graphs
    /// when the store is asked that way ([`Remote::filter_graphs`]).
    fn for_store(&self, query: &spargebra::Query) -> String {
        if !self.filter_graphs || query_dataset(query).is_some() {
            return query.to_string();
        }
        let mut query = query.clone();
        match &mut query {
            spargebra::Query::Select { pattern, .. }
            | spargebra::Query::Construct { pattern, .. }
            | spargebra::Query::Describe { pattern, .. }
            | spargebra::Query::Ask { pattern, .. } => restrict_graphs(pattern, &self.graphs),
        }
        query.to_string()
    }

    /// Runs a query of the front end's own over reti's dataset in the store.
    fn run(&self, query: &str, form: Form) -> Result<QueryResults<'static>, RemoteError> {
        if self.filter_graphs
            && let Ok(parsed) = spargebra::SparqlParser::new().parse_query(query)
        {
            return self
                .endpoint
                .query(&self.for_store(&parsed), form, &self.dataset());
        }
        self.endpoint.query(query, form, &self.dataset())
    }

    fn select(&self, query: &str) -> Result<Vec<HashMap<String, Term>>, BackendError> {
        rows(self.run(query, Form::Tabular)?)
    }

    /// The text and the dataset parameters of a client's query sent to the store: the parsed
    /// query written back (relative IRIs are already resolved against this front end's base,
    /// not the store's), and without a dataset of its own, reti's graphs as its dataset.
    fn request(
        &self,
        query: &spargebra::Query,
        dataset: Option<&QueryDataset>,
    ) -> (String, Vec<(&'static str, String)>) {
        let params = self.client_dataset(query, dataset);
        let text = match dataset {
            Some(_) => query.to_string(),
            None => self.for_store(query),
        };
        (text, params)
    }

    /// The protocol parameters of a client's query: the dataset it asked for (`dataset`, from
    /// `default-graph-uri`/`named-graph-uri`; what it leaves out is reti's), none when the
    /// query names its own with `FROM`/`FROM NAMED`, else reti's.
    fn client_dataset(
        &self,
        query: &spargebra::Query,
        dataset: Option<&QueryDataset>,
    ) -> Vec<(&'static str, String)> {
        let own = self.dataset();
        let ours = |name: &str| -> Vec<(&'static str, String)> {
            own.iter()
                .filter(|(k, _)| *k == name)
                .map(|(k, v)| (*k, (*v).to_owned()))
                .collect()
        };
        let Some(dataset) = dataset else {
            if query_dataset(query).is_some() {
                return Vec::new();
            }
            return own.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
        };
        let mut params = Vec::new();
        match dataset.default_graph_graphs() {
            Some(graphs) => {
                for g in graphs {
                    match g {
                        GraphName::NamedNode(n) => {
                            params.push(("default-graph-uri", n.as_str().to_owned()));
                        }
                        // reti's default graph: the merge
                        GraphName::DefaultGraph => params.extend(ours("default-graph-uri")),
                        GraphName::BlankNode(_) => {}
                    }
                }
            }
            None => params.extend(ours("default-graph-uri")),
        }
        match dataset.available_named_graphs() {
            Some(graphs) => {
                for g in graphs {
                    if let NamedOrBlankNode::NamedNode(n) = g {
                        params.push(("named-graph-uri", n.as_str().to_owned()));
                    }
                }
            }
            None => params.extend(ours("named-graph-uri")),
        }
        params
    }
}

/// Restricts every `GRAPH` pattern of `pattern` to `graphs`: `GRAPH ?g {…}` gets
/// `FILTER(?g IN (…))`, `GRAPH <other> {…}` matches nothing. (Patterns inside `EXISTS` and
/// `SERVICE` are left alone: reti's own queries put no `GRAPH` there.)
fn restrict_graphs(pattern: &mut spargebra::algebra::GraphPattern, graphs: &[NamedNode]) {
    use spargebra::algebra::{Expression, GraphPattern};
    use spargebra::term::NamedNodePattern;
    let placeholder = || GraphPattern::Bgp {
        patterns: Vec::new(),
    };
    match pattern {
        GraphPattern::Graph { name, inner } => {
            restrict_graphs(inner, graphs);
            let condition = match name {
                NamedNodePattern::Variable(v) => Expression::In(
                    Box::new(Expression::Variable(v.clone())),
                    graphs.iter().cloned().map(Expression::NamedNode).collect(),
                ),
                NamedNodePattern::NamedNode(n) if graphs.contains(n) => return,
                NamedNodePattern::NamedNode(_) => Expression::Literal(false.into()),
            };
            let graph = std::mem::replace(pattern, placeholder());
            *pattern = GraphPattern::Filter {
                expr: condition,
                inner: Box::new(graph),
            };
        }
        GraphPattern::Join { left, right }
        | GraphPattern::LeftJoin { left, right, .. }
        | GraphPattern::Lateral { left, right }
        | GraphPattern::Union { left, right }
        | GraphPattern::Minus { left, right } => {
            restrict_graphs(left, graphs);
            restrict_graphs(right, graphs);
        }
        GraphPattern::Filter { inner, .. }
        | GraphPattern::Extend { inner, .. }
        | GraphPattern::OrderBy { inner, .. }
        | GraphPattern::Project { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. }
        | GraphPattern::Group { inner, .. } => restrict_graphs(inner, graphs),
        GraphPattern::Bgp { .. }
        | GraphPattern::Path { .. }
        | GraphPattern::Values { .. }
        | GraphPattern::Service { .. } => {}
    }
}

/// The `FROM`/`FROM NAMED` of a parsed query.
fn query_dataset(query: &spargebra::Query) -> Option<&spargebra::algebra::QueryDataset> {
    match query {
        spargebra::Query::Select { dataset, .. }
        | spargebra::Query::Construct { dataset, .. }
        | spargebra::Query::Describe { dataset, .. }
        | spargebra::Query::Ask { dataset, .. } => dataset.as_ref(),
    }
}

/// The bases under which `endpoint` holds reti data: `{base}` for each graph
/// `{base}graph/ontology` that holds reti's ontology.
fn remote_bases(endpoint: &RemoteEndpoint) -> Result<Vec<String>, BackendError> {
    let query = format!(
        "SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {} a <http://www.w3.org/2002/07/owl#Ontology> }} }}",
        crate::vocab::reti::ONTOLOGY
    );
    let suffix = format!("graph/{}", crate::rdf::ONTOLOGY_GRAPH);
    let mut bases: Vec<String> = rows(endpoint.query(&query, Form::Tabular, &[])?)?
        .iter()
        .filter_map(|row| match row.get("g") {
            Some(Term::NamedNode(g)) => g.as_str().strip_suffix(&suffix).map(str::to_owned),
            _ => None,
        })
        .collect();
    bases.sort();
    bases.dedup();
    Ok(bases)
}

fn no_reti_data(endpoint: &RemoteEndpoint, base: Option<&Base>) -> BackendError {
    let graph = base.map_or_else(
        || format!("{{base}}graph/{}", crate::rdf::ONTOLOGY_GRAPH),
        |b| b.graph(crate::rdf::ONTOLOGY_GRAPH).as_str().to_owned(),
    );
    BackendError::Setup(format!(
        "the SPARQL endpoint {} holds no reti data (no graph {graph} with reti's ontology): load \
         what `reti export --format nq` writes into it, and `reti export --format nt` into its \
         default graph",
        endpoint.url()
    ))
}

/// The solutions of a SELECT, each as variable → value.
fn rows(results: QueryResults<'static>) -> Result<Vec<HashMap<String, Term>>, BackendError> {
    let QueryResults::Solutions(solutions) = results else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for s in solutions {
        let s = s.map_err(|e| BackendError::Query(QueryError::Evaluation(e)))?;
        out.push(
            s.iter()
                .map(|(v, t)| (v.as_str().to_owned(), t.clone()))
                .collect(),
        );
    }
    Ok(out)
}

fn number(row: &HashMap<String, Term>, var: &str) -> Option<usize> {
    match row.get(var) {
        Some(Term::Literal(l)) => l.value().parse().ok(),
        _ => None,
    }
}

impl Sparql for Backend {
    fn base(&self) -> &Base {
        Backend::base(self)
    }

    fn sparql(&self, query: &str) -> Result<QueryResults<'static>, BackendError> {
        match self {
            Self::Local(d) => Ok(d.query(query)?),
            Self::Remote(r) => {
                let parsed = spargebra::SparqlParser::new()
                    .parse_query(query)
                    .map_err(QueryError::from)?;
                let params = r.client_dataset(&parsed, None);
                let params: Vec<(&str, &str)> =
                    params.iter().map(|(k, v)| (*k, v.as_str())).collect();
                Ok(r.endpoint
                    .query(&r.for_store(&parsed), Form::of(&parsed), &params)?)
            }
        }
    }
}

impl Backend {
    /// The base IRIs are minted under.
    pub fn base(&self) -> &Base {
        match self {
            Self::Local(d) => d.base(),
            Self::Remote(r) => &r.base,
        }
    }

    /// The counts: for a remote store, read when it was connected (triples, quads per graph;
    /// the counts of `reti check`, which come from the source files, are zero).
    pub fn summary(&self) -> &Summary {
        match self {
            Self::Local(d) => d.summary(),
            Self::Remote(r) => &r.summary,
        }
    }

    /// The embedded dataset, when the data is local (dumps are made from it).
    pub fn local(&self) -> Option<&Dataset> {
        match self {
            Self::Local(d) => Some(d),
            Self::Remote(_) => None,
        }
    }

    /// The remote endpoint, when the data is remote.
    pub fn remote(&self) -> Option<&RemoteEndpoint> {
        match self {
            Self::Local(_) => None,
            Self::Remote(r) => Some(&r.endpoint),
        }
    }

    /// Evaluates a parsed query (with the protocol's `default-graph-uri`/`named-graph-uri` as
    /// `dataset`): in the store with `evaluator` (its cancellation token), or on the remote
    /// endpoint under its timeout.
    pub fn evaluate(
        &self,
        evaluator: SparqlEvaluator,
        query: spargebra::Query,
        dataset: Option<QueryDataset>,
    ) -> Result<QueryResults<'static>, BackendError> {
        match self {
            Self::Local(d) => Ok(d.evaluate(evaluator, query, dataset)?),
            Self::Remote(r) => {
                let (text, params) = r.request(&query, dataset.as_ref());
                let params: Vec<(&str, &str)> =
                    params.iter().map(|(k, v)| (*k, v.as_str())).collect();
                Ok(r.endpoint.query(&text, Form::of(&query), &params)?)
            }
        }
    }

    /// [`Self::evaluate`] under `cancel`: in the store, the evaluator stops at its next check;
    /// on a remote store, the request is dropped (and its connection closed) as soon as the
    /// token is cancelled, so neither this front end nor the store keeps working for a client
    /// that was answered 503. Cancelled evaluations fail with
    /// [`QueryEvaluationError::Cancelled`].
    pub fn evaluate_until(
        &self,
        cancel: &CancellationToken,
        query: spargebra::Query,
        dataset: Option<QueryDataset>,
    ) -> Result<QueryResults<'static>, BackendError> {
        match self {
            Self::Local(d) => Ok(d.evaluate(
                SparqlEvaluator::new().with_cancellation_token(cancel.clone()),
                query,
                dataset,
            )?),
            Self::Remote(r) => {
                let (text, params) = r.request(&query, dataset.as_ref());
                let params: Vec<(&str, &str)> =
                    params.iter().map(|(k, v)| (*k, v.as_str())).collect();
                r.endpoint
                    .query_until(&text, Form::of(&query), &params, cancel)?
                    .ok_or(BackendError::Query(QueryError::Evaluation(
                        QueryEvaluationError::Cancelled,
                    )))
            }
        }
    }

    /// Whether `iri` is the subject of a triple: the resource exists.
    pub fn contains_subject(&self, iri: &NamedNode) -> Result<bool, BackendError> {
        match self {
            Self::Local(d) => Ok(d.contains_subject(iri)),
            Self::Remote(r) => match r.run(&format!("ASK {{ {iri} ?p ?o }}"), Form::Tabular)? {
                QueryResults::Boolean(b) => Ok(b),
                _ => Err(RemoteError::Invalid {
                    url: r.endpoint.url().to_owned(),
                    reason: "an ASK query got no boolean".to_owned(),
                }
                .into()),
            },
        }
    }

    /// The description of a resource: see [`Dataset::describe`].
    pub fn describe(&self, iri: &NamedNode) -> Result<Vec<Triple>, BackendError> {
        match self {
            Self::Local(d) => Ok(describe(d, iri)?),
            Self::Remote(r) => Ok(describe(r, iri)?),
        }
    }

    /// The sources that state each subject's type: `(source IRI, title)` per named graph that
    /// types it, in graph order. One query per 200 subjects, on either backend.
    pub(crate) fn sources_of(
        &self,
        subjects: &[NamedNode],
    ) -> Result<BTreeMap<NamedNode, Vec<(NamedNode, String)>>, BackendError> {
        let mut out = BTreeMap::new();
        for chunk in subjects.chunks(CHUNK) {
            let query = format!(
                "SELECT DISTINCT ?s ?g ?source ?title WHERE {{
                   VALUES ?s {{ {} }}
                   GRAPH ?g {{ ?s a ?type }}
                   ?g <http://www.w3.org/ns/prov#wasDerivedFrom> ?source .
                   FILTER(isIRI(?source))
                   OPTIONAL {{ ?source <http://purl.org/dc/terms/title> ?title FILTER(isLiteral(?title)) }}
                 }}",
                values(chunk)
            );
            // subject → graph → source → title
            type Found = BTreeMap<NamedNode, BTreeMap<NamedNode, Option<String>>>;
            let mut found: BTreeMap<NamedNode, Found> = BTreeMap::new();
            for row in self.select(&query)? {
                let (Some(Term::NamedNode(s)), Some(Term::NamedNode(g))) =
                    (row.get("s"), row.get("g"))
                else {
                    continue;
                };
                let Some(Term::NamedNode(source)) = row.get("source") else {
                    continue;
                };
                let title = match row.get("title") {
                    Some(Term::Literal(l)) => Some(l.value().to_owned()),
                    _ => None,
                };
                let slot = found
                    .entry(s.clone())
                    .or_default()
                    .entry(g.clone())
                    .or_default()
                    .entry(source.clone())
                    .or_default();
                if slot.is_none() {
                    *slot = title;
                }
            }
            for s in chunk {
                let sources = found
                    .remove(s)
                    .unwrap_or_default()
                    .into_values()
                    .flatten()
                    .map(|(source, title)| {
                        let title = title.unwrap_or_else(|| source.as_str().to_owned());
                        (source, title)
                    })
                    .collect();
                out.insert(s.clone(), sources);
            }
        }
        Ok(out)
    }

    /// The rows of a SELECT query, from either backend.
    fn select(&self, query: &str) -> Result<Vec<HashMap<String, Term>>, BackendError> {
        match self {
            Self::Local(d) => rows(d.query(query)?),
            Self::Remote(r) => r.select(query),
        }
    }
}

/// Most IRIs put in one `VALUES` block.
const CHUNK: usize = 200;

fn values(nodes: &[NamedNode]) -> String {
    nodes
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

// ---------------------------------------------------------------------------------------------
// Descriptions

/// The lookups a description is made of, each over the merged graph and in batches, so that a
/// remote store answers each batch in one round trip.
pub(crate) trait Lookups {
    type Error;
    /// The triples whose subject is one of `subjects`.
    fn about(&self, subjects: &[NamedNode]) -> Result<Vec<Triple>, Self::Error>;
    /// The triples whose object is `object`.
    fn pointing_at(&self, object: &NamedNode) -> Result<Vec<Triple>, Self::Error>;
    /// Those of `subjects` that are memberships or sites.
    fn detailed(&self, subjects: &[NamedNode]) -> Result<HashSet<NamedNode>, Self::Error>;
    /// The `rdfs:label` and `skos:prefLabel` triples of `nodes`.
    fn labels(&self, nodes: &[NamedNode]) -> Result<Vec<Triple>, Self::Error>;
}

/// See [`Dataset::describe`].
pub(crate) fn describe<L: Lookups>(l: &L, iri: &NamedNode) -> Result<Vec<Triple>, L::Error> {
    let mut out: HashSet<Triple> = HashSet::new();
    let mut mentioned: BTreeSet<NamedNode> = BTreeSet::new();
    whole(l, std::slice::from_ref(iri), &mut out, &mut mentioned)?;
    // incoming links; memberships and sites pointing here are described whole
    let mut pointing: BTreeSet<NamedNode> = BTreeSet::new();
    for t in l.pointing_at(iri)? {
        if let NamedOrBlankNode::NamedNode(s) = &t.subject {
            mentioned.insert(s.clone());
            pointing.insert(s.clone());
        }
        out.insert(t);
    }
    let pointing: Vec<NamedNode> = pointing.into_iter().collect();
    let mut details: BTreeSet<NamedNode> = BTreeSet::new();
    for chunk in pointing.chunks(CHUNK) {
        details.extend(l.detailed(chunk)?);
    }
    let details: Vec<NamedNode> = details.into_iter().collect();
    whole(l, &details, &mut out, &mut mentioned)?;
    // labels of everything mentioned
    let mentioned: Vec<NamedNode> = mentioned.into_iter().collect();
    for chunk in mentioned.chunks(CHUNK) {
        out.extend(l.labels(chunk)?);
    }
    let mut triples: Vec<Triple> = out.into_iter().collect();
    triples.sort_by_cached_key(crate::store::triple_key);
    Ok(triples)
}

/// Each of `roots` with its `#fragment` parts (followed through the objects of what is
/// gathered), with everything they say; the named objects are `mentioned`.
fn whole<L: Lookups>(
    l: &L,
    roots: &[NamedNode],
    out: &mut HashSet<Triple>,
    mentioned: &mut BTreeSet<NamedNode>,
) -> Result<(), L::Error> {
    // node → the `{root}#` prefixes under which it was reached
    let mut seen: HashSet<(NamedNode, String)> = HashSet::new();
    let mut todo: Vec<(NamedNode, String)> = roots
        .iter()
        .map(|r| (r.clone(), format!("{}#", r.as_str())))
        .collect();
    while !todo.is_empty() {
        todo.retain(|entry| seen.insert(entry.clone()));
        let mut prefixes: BTreeMap<NamedNode, Vec<String>> = BTreeMap::new();
        for (node, prefix) in todo.drain(..) {
            prefixes.entry(node).or_default().push(prefix);
        }
        let subjects: Vec<NamedNode> = prefixes.keys().cloned().collect();
        for chunk in subjects.chunks(CHUNK) {
            for t in l.about(chunk)? {
                if let (NamedOrBlankNode::NamedNode(s), Term::NamedNode(o)) =
                    (&t.subject, &t.object)
                {
                    for prefix in prefixes.get(s).into_iter().flatten() {
                        if o.as_str().starts_with(prefix.as_str()) {
                            todo.push((o.clone(), prefix.clone()));
                        }
                    }
                    mentioned.insert(o.clone());
                }
                out.insert(t);
            }
        }
    }
    Ok(())
}

impl Lookups for Dataset {
    type Error = StorageError;

    fn about(&self, subjects: &[NamedNode]) -> Result<Vec<Triple>, StorageError> {
        let mut out = Vec::new();
        for s in subjects {
            for q in self.store().quads_for_pattern(
                Some(s.as_ref().into()),
                None,
                None,
                Some(GraphNameRef::DefaultGraph),
            ) {
                out.push(Triple::from(q?));
            }
        }
        Ok(out)
    }

    fn pointing_at(&self, object: &NamedNode) -> Result<Vec<Triple>, StorageError> {
        self.store()
            .quads_for_pattern(
                None,
                None,
                Some(object.as_ref().into()),
                Some(GraphNameRef::DefaultGraph),
            )
            .map(|q| q.map(Triple::from))
            .collect()
    }

    fn detailed(&self, subjects: &[NamedNode]) -> Result<HashSet<NamedNode>, StorageError> {
        let mut out = HashSet::new();
        for s in subjects {
            for class in [crate::vocab::org::MEMBERSHIP, crate::vocab::org::SITE] {
                if self.store().contains(oxigraph::model::QuadRef::new(
                    s,
                    rdf::TYPE,
                    class,
                    GraphNameRef::DefaultGraph,
                ))? {
                    out.insert(s.clone());
                }
            }
        }
        Ok(out)
    }

    fn labels(&self, nodes: &[NamedNode]) -> Result<Vec<Triple>, StorageError> {
        let mut out = Vec::new();
        for m in nodes {
            for p in [rdfs::LABEL, crate::vocab::skos::PREF_LABEL] {
                for q in self.store().quads_for_pattern(
                    Some(m.as_ref().into()),
                    Some(p),
                    None,
                    Some(GraphNameRef::DefaultGraph),
                ) {
                    out.push(Triple::from(q?));
                }
            }
        }
        Ok(out)
    }
}

impl Remote {
    fn triples(&self, query: &str) -> Result<Vec<Triple>, RemoteError> {
        let mut out = Vec::new();
        if let QueryResults::Solutions(solutions) = self.run(query, Form::Tabular)? {
            for s in solutions.flatten() {
                let subject: NamedOrBlankNode = match s.get("s") {
                    Some(Term::NamedNode(n)) => n.clone().into(),
                    Some(Term::BlankNode(b)) => b.clone().into(),
                    _ => continue,
                };
                let (Some(Term::NamedNode(p)), Some(o)) = (s.get("p"), s.get("o")) else {
                    continue;
                };
                out.push(Triple::new(subject, p.clone(), o.clone()));
            }
        }
        Ok(out)
    }
}

impl Lookups for Remote {
    type Error = RemoteError;

    fn about(&self, subjects: &[NamedNode]) -> Result<Vec<Triple>, RemoteError> {
        self.triples(&format!(
            "SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {} }} ?s ?p ?o }}",
            values(subjects)
        ))
    }

    fn pointing_at(&self, object: &NamedNode) -> Result<Vec<Triple>, RemoteError> {
        self.triples(&format!(
            "SELECT ?s ?p ?o WHERE {{ ?s ?p {object} BIND({object} AS ?o) }}"
        ))
    }

    fn detailed(&self, subjects: &[NamedNode]) -> Result<HashSet<NamedNode>, RemoteError> {
        let query = format!(
            "SELECT DISTINCT ?s WHERE {{ VALUES ?s {{ {} }} VALUES ?c {{ {} {} }} ?s a ?c }}",
            values(subjects),
            crate::vocab::org::MEMBERSHIP,
            crate::vocab::org::SITE
        );
        let mut out = HashSet::new();
        if let QueryResults::Solutions(solutions) = self.run(&query, Form::Tabular)? {
            for s in solutions.flatten() {
                if let Some(Term::NamedNode(n)) = s.get("s") {
                    out.insert(n.clone());
                }
            }
        }
        Ok(out)
    }

    fn labels(&self, nodes: &[NamedNode]) -> Result<Vec<Triple>, RemoteError> {
        self.triples(&format!(
            "SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {} }} VALUES ?p {{ {} {} }} ?s ?p ?o }}",
            values(nodes),
            rdfs::LABEL,
            crate::vocab::skos::PREF_LABEL
        ))
    }
}
