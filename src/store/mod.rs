//! The built dataset: every source's graph plus the ontology, in memory (an immutable store of
//! sorted term ids, [`frozen`]) or (feature `rocksdb`, [`Dataset::build_on_disk`]) in an
//! Oxigraph store on disk, where the next start with the same source files opens it instead of
//! building it again. Either way the default graph is the RDF merge of the named graphs, each
//! triple once.
//!
//! A dataset is made by [`crate::build`] and only read afterwards.
//!
//! ```no_run
//! use reti::{store::Dataset, rdf::Base};
//! let dataset = Dataset::build("data".as_ref(), Base::new(Base::DEFAULT)?)?;
//! println!("{} quads", dataset.summary().quads);
//! # Ok::<_, Box<dyn std::error::Error>>(())
//! ```

use crate::diagnostic::Diagnostics;
use crate::rdf::Base;
use oxigraph::model::{
    GraphName, GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Quad,
    QuadRef, TermRef, Triple,
};
use oxigraph::sparql::{PreparedSparqlQuery, QueryEvaluationError, QueryResults, SparqlEvaluator};
use oxigraph::store::{StorageError, Store};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub mod frozen;
pub(crate) mod profile;

use frozen::Frozen;

pub use profile::{DATE_TYPES, Profile, widen_years, year_of};

/// Why a query could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// The query is not valid SPARQL.
    #[error("{0}")]
    Syntax(#[from] oxigraph::sparql::SparqlSyntaxError),
    /// Evaluation failed (or was cancelled).
    #[error("{0}")]
    Evaluation(#[from] oxigraph::sparql::QueryEvaluationError),
}

/// Counts shown by `reti check`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    /// Source files read.
    pub files: usize,
    /// Networks.
    pub networks: usize,
    /// Units of networks.
    pub units: usize,
    /// Other organisations.
    pub organizations: usize,
    /// Places.
    pub places: usize,
    /// Memberships.
    pub memberships: usize,
    /// Stated figures.
    pub figures: usize,
    /// Sources.
    pub sources: usize,
    /// Quads per named graph, by graph IRI.
    pub graphs: BTreeMap<String, usize>,
    /// All quads.
    pub quads: usize,
    /// Distinct triples of the union graph.
    pub triples: usize,
}

/// The file a value kept beside an on-disk store is written to, in the store's directory:
/// `kept-{name}`, so that it cannot be taken for one of the store's own files; `None` for a
/// name that could lead out of the directory.
fn kept_file(name: &str) -> Option<String> {
    let safe = !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    safe.then(|| format!("kept-{name}"))
}

/// Where a dataset's quads are held.
pub enum Storage {
    /// In memory, sorted once by the build ([`frozen`]): the named graphs, whose merge is read
    /// as the default graph.
    Memory(Arc<Frozen>),
    /// An on-disk Oxigraph store (feature `rocksdb`), holding the named graphs and their merge
    /// as its default graph.
    Disk(Store),
}

impl Storage {
    /// The quads matching a pattern, as Oxigraph's `Store::quads_for_pattern` gives them,
    /// except that `graph_name: None` means every named graph, not the default one too.
    pub fn quads_for_pattern<'a>(
        &'a self,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
        graph_name: Option<GraphNameRef<'_>>,
    ) -> Box<dyn Iterator<Item = Result<Quad, StorageError>> + 'a> {
        match self {
            Storage::Memory(frozen) => Box::new(
                frozen
                    .quads_for_pattern(subject, predicate, object, graph_name)
                    .map(Ok),
            ),
            Storage::Disk(store) => {
                let quads = store.quads_for_pattern(subject, predicate, object, graph_name);
                if graph_name.is_some() {
                    Box::new(quads)
                } else {
                    Box::new(quads.filter(|q| {
                        q.as_ref()
                            .map_or(true, |q| !q.graph_name.is_default_graph())
                    }))
                }
            }
        }
    }

    /// Whether the dataset holds `quad` (in the default graph: whether a named graph states
    /// its triple).
    pub fn contains(&self, quad: QuadRef<'_>) -> Result<bool, StorageError> {
        match self {
            Storage::Memory(_) => Ok(self
                .quads_for_pattern(
                    Some(quad.subject),
                    Some(quad.predicate),
                    Some(quad.object),
                    Some(quad.graph_name),
                )
                .next()
                .is_some()),
            Storage::Disk(store) => store.contains(quad),
        }
    }

    fn named_graphs(&self) -> Result<Vec<NamedOrBlankNode>, StorageError> {
        match self {
            Storage::Memory(frozen) => Ok(frozen.named_graphs().collect()),
            Storage::Disk(store) => store.named_graphs().collect(),
        }
    }

    /// Evaluates a prepared query: results own what they need, so they outlive the borrow.
    fn execute(
        &self,
        prepared: PreparedSparqlQuery,
    ) -> Result<QueryResults<'static>, QueryEvaluationError> {
        match self {
            Storage::Memory(frozen) => prepared.on_queryable_dataset(frozen.view()).execute(),
            Storage::Disk(store) => prepared.on_store(store).execute(),
        }
    }
}

/// The dataset, built and loaded.
pub struct Dataset {
    pub(crate) store: Storage,
    pub(crate) base: Base,
    pub(crate) summary: Summary,
    pub(crate) warnings: Diagnostics,
    /// Gathered by the build; `None` for an on-disk store built by a reti that did not keep it.
    pub(crate) profile: Option<Profile>,
    /// The directory of an on-disk store, where [`Dataset::remember`] keeps what it computes.
    pub(crate) dir: Option<PathBuf>,
}

impl Dataset {
    /// `compute`, or what it gave for the same content before: with an on-disk store, the
    /// value is kept beside it (as JSON, under `name`), so a restart reads it instead of
    /// scanning the store again. In memory, it is computed.
    pub fn remember<T, E>(&self, name: &str, compute: impl FnOnce() -> Result<T, E>) -> Result<T, E>
    where
        T: serde::Serialize + serde::de::DeserializeOwned,
    {
        match &self.dir {
            Some(dir) => remember(dir, name, compute),
            None => compute(),
        }
    }

    /// What [`Dataset::keep`] kept under `name` beside an on-disk store; `None` in memory.
    pub fn kept(&self, name: &str) -> Option<Vec<u8>> {
        std::fs::read(self.dir.as_ref()?.join(kept_file(name)?)).ok()
    }

    /// Keeps `bytes` under `name` (a file name of letters, digits, `-`, `_` and `.`) beside an
    /// on-disk store, for as long as the store: what took long to compute from its content
    /// (a stored query's results) is read back by the next start instead. Does nothing in
    /// memory; a failure to write only means the next start computes it again.
    pub fn keep(&self, name: &str, bytes: &[u8]) {
        if let (Some(dir), Some(file)) = (&self.dir, kept_file(name))
            && let Err(e) = write_whole(&dir.join(&file), bytes)
        {
            let path = dir.join(file);
            tracing::warn!(
                "{}: {e}; it is computed again at the next start",
                path.display()
            );
        }
    }

    /// What SHACL validation reported without failing the build (`sh:Warning`, `sh:Info`):
    /// [`Dataset::build`] prints them to standard error.
    pub fn warnings(&self) -> &Diagnostics {
        &self.warnings
    }

    /// The counts of this build.
    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    /// The facts of the VoID description, as the build gathered them: reading them back from
    /// the store would take a full scan. `None` only for an on-disk store built before reti
    /// kept them.
    pub fn profile(&self) -> Option<&Profile> {
        self.profile.as_ref()
    }

    /// The base IRIs were minted from.
    pub fn base(&self) -> &Base {
        &self.base
    }

    /// The store, for read operations not covered here.
    pub fn store(&self) -> &Storage {
        &self.store
    }

    /// The named graphs, sorted.
    pub fn graphs(&self) -> Result<Vec<NamedNode>, StorageError> {
        let mut graphs = Vec::new();
        for g in self.store.named_graphs()? {
            if let oxigraph::model::NamedOrBlankNode::NamedNode(n) = g {
                graphs.push(n);
            }
        }
        graphs.sort();
        Ok(graphs)
    }

    /// Evaluates a parsed query with an evaluator (a cancellation token, say), honouring the
    /// query's own `FROM`/`FROM NAMED` or `dataset` when given.
    pub fn evaluate(
        &self,
        evaluator: SparqlEvaluator,
        query: spargebra::Query,
        dataset: Option<oxigraph::sparql::QueryDataset>,
    ) -> Result<QueryResults<'static>, QueryError> {
        let mut prepared = evaluator.for_query(query);
        if let Some(dataset) = dataset {
            *prepared.dataset_mut() = dataset;
        }
        Ok(self.store.execute(prepared)?)
    }

    /// Whether `iri` is the subject of a triple: the resource exists in the dataset.
    pub fn contains_subject(&self, iri: &NamedNode) -> bool {
        self.store
            .quads_for_pattern(
                Some(iri.as_ref().into()),
                None,
                None,
                Some(GraphNameRef::DefaultGraph),
            )
            .next()
            .is_some()
    }

    /// Evaluates a SPARQL query. The default graph is the merge of all named graphs, so queries
    /// need no `GRAPH` clause unless they ask which source says what.
    pub fn query(&self, sparql: &str) -> Result<QueryResults<'static>, QueryError> {
        let query = SparqlEvaluator::new().parse_query(sparql)?;
        Ok(self.store.execute(query)?)
    }

    /// The quads of every named graph (or of one), sorted, for deterministic dumps. The default
    /// graph is derived from them and left out.
    pub fn sorted_quads(&self, graph: Option<&NamedNode>) -> Result<Vec<Quad>, StorageError> {
        let pattern: Option<GraphNameRef<'_>> = graph.map(|g| g.as_ref().into());
        let mut quads = Vec::new();
        for quad in self.store.quads_for_pattern(None, None, None, pattern) {
            let quad = quad?;
            if !quad.graph_name.is_default_graph() {
                quads.push(quad);
            }
        }
        quads.sort_by_cached_key(sort_key);
        Ok(quads)
    }

    /// Hands `f` every quad of `graphs` (`GraphName::DefaultGraph` is the merged graph) in dump
    /// order: by graph, subject, predicate (`rdf:type` first), object, each by its N-Triples
    /// form. One subject's quads are sorted at a time, so memory grows with the number of
    /// subjects, not of quads: large dumps stream.
    pub(crate) fn for_each_sorted<E: From<StorageError>>(
        &self,
        graphs: &[GraphName],
        mut f: impl FnMut(Quad) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut graphs = graphs.to_vec();
        graphs.sort_by_cached_key(ToString::to_string);
        for graph in &graphs {
            let mut subjects = self.subjects(graph)?;
            subjects.sort_by_cached_key(ToString::to_string);
            for subject in subjects {
                let mut quads = self
                    .store
                    .quads_for_pattern(Some(subject.as_ref()), None, None, Some(graph.as_ref()))
                    .collect::<Result<Vec<_>, _>>()?;
                quads.sort_by_cached_key(sort_key);
                for quad in quads {
                    f(quad)?;
                }
            }
        }
        Ok(())
    }

    /// The distinct subjects of a graph, found by SPARQL, which works on the store's encoded
    /// terms and decodes only the subjects.
    fn subjects(&self, graph: &GraphName) -> Result<Vec<NamedOrBlankNode>, StorageError> {
        let query = match graph {
            GraphName::NamedNode(g) => {
                format!("SELECT DISTINCT ?s WHERE {{ GRAPH {g} {{ ?s ?p ?o }} }}")
            }
            _ => "SELECT DISTINCT ?s WHERE { ?s ?p ?o }".to_owned(),
        };
        let failed = |e: &dyn std::fmt::Display| StorageError::Other(e.to_string().into());
        let prepared = SparqlEvaluator::new()
            .parse_query(&query)
            .map_err(|e| failed(&e))?;
        let results = self.store.execute(prepared).map_err(|e| failed(&e))?;
        let mut subjects = Vec::new();
        if let QueryResults::Solutions(solutions) = results {
            for solution in solutions {
                match solution.map_err(|e| failed(&e))?.get("s") {
                    Some(oxigraph::model::Term::NamedNode(n)) => {
                        subjects.push(NamedOrBlankNode::NamedNode(n.clone()))
                    }
                    Some(oxigraph::model::Term::BlankNode(b)) => {
                        subjects.push(NamedOrBlankNode::BlankNode(b.clone()))
                    }
                    _ => {}
                }
            }
        }
        Ok(subjects)
    }

    /// The triples of the merged graph (or of one named graph), sorted.
    pub fn union_triples(&self, graph: Option<&NamedNode>) -> Result<Vec<Triple>, StorageError> {
        let pattern: GraphNameRef<'_> = match graph {
            Some(g) => g.as_ref().into(),
            None => GraphNameRef::DefaultGraph,
        };
        let mut quads = self
            .store
            .quads_for_pattern(None, None, None, Some(pattern))
            .collect::<Result<Vec<_>, _>>()?;
        quads.sort_by_cached_key(sort_key);
        Ok(quads.into_iter().map(Triple::from).collect())
    }
}

pub(crate) fn triple_key(t: &Triple) -> (String, String, (bool, String), String) {
    sort_key(&Quad::new(
        t.subject.clone(),
        t.predicate.clone(),
        t.object.clone(),
        GraphName::DefaultGraph,
    ))
}

/// Order of dumps: by graph, subject, predicate, object, each by its N-Triples form, except
/// that `rdf:type` comes first among a subject's predicates (as people expect in Turtle).
fn sort_key(q: &Quad) -> (String, String, (bool, String), String) {
    (
        q.graph_name.to_string(),
        q.subject.to_string(),
        (
            q.predicate != oxigraph::model::vocab::rdf::TYPE,
            q.predicate.to_string(),
        ),
        q.object.to_string(),
    )
}

/// See [`Dataset::remember`]. A value that cannot be read back is computed again; one that
/// cannot be written is still returned (the next start computes it again).
fn remember<T, E>(dir: &Path, name: &str, compute: impl FnOnce() -> Result<T, E>) -> Result<T, E>
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let path = dir.join(format!("{name}.json"));
    if let Some(value) = std::fs::read(&path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
    {
        return Ok(value);
    }
    let value = compute()?;
    if let Ok(json) = serde_json::to_vec_pretty(&value) {
        let _ = write_whole(&path, &json);
    }
    Ok(value)
}

/// Writes `bytes` to `path` through a temporary file, so a reader never sees half of them.
pub(crate) fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".partial");
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path)
}

#[cfg(test)]
mod kept_tests {
    use super::kept_file;

    #[test]
    fn kept_values_stay_in_the_store_directory() {
        assert_eq!(
            kept_file("query-sources-0a1b.srj").as_deref(),
            Some("kept-query-sources-0a1b.srj")
        );
        for name in ["", "../store", "a/b", ".hidden", "a\\b", "x\0"] {
            assert_eq!(kept_file(name), None, "{name:?}");
        }
    }
}
