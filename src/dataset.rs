//! The built dataset: every source's graph plus the ontology, in memory (an immutable store of
//! sorted term ids, [`frozen`]) or (feature `rocksdb`, [`Dataset::build_on_disk`]) in an
//! Oxigraph store on disk, where the next start with the same source files opens it instead of
//! building it again. Either way the default graph is the RDF merge of the named graphs, each
//! triple once.
//!
//! Building is all-or-nothing: the files are read, the model validated, the quads made, and only
//! then is a fresh store filled. Callers never see a half-built store.
//!
//! ```no_run
//! use reti::{dataset::Dataset, rdf::Base};
//! let dataset = Dataset::build("data".as_ref(), Base::new(Base::DEFAULT)?)?;
//! println!("{} quads", dataset.summary().quads);
//! # Ok::<_, Box<dyn std::error::Error>>(())
//! ```

use crate::diagnostic::Diagnostics;
use crate::model::{Model, ModelProblems, OrgKind};
use crate::rdf::{self, Base};
use crate::source::{self, SourceError};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{
    GraphName, GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Quad,
    QuadRef, TermRef, Triple,
};
use oxigraph::sparql::{PreparedSparqlQuery, QueryEvaluationError, QueryResults, SparqlEvaluator};
use oxigraph::store::{StorageError, Store};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod disk;
pub mod frozen;
mod profile;

use frozen::{Frozen, FrozenBuilder};

pub use profile::{DATE_TYPES, Profile, widen_years, year_of};

/// Why a dataset could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The data directory could not be listed.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// The files have problems; each is listed.
    #[error("{0}")]
    Invalid(Diagnostics),
    /// The shipped ontology does not parse: a defect of reti itself.
    #[error("the ontology shipped with reti does not parse: {0}")]
    Ontology(String),
    /// The shipped SHACL shapes could not be used: a defect of reti itself.
    #[error("{0}")]
    Shapes(String),
    /// The store refused the data.
    #[error("store error: {0}")]
    Store(#[from] StorageError),
    /// The thread that makes the quads failed: a defect of reti itself.
    #[error("the build stopped: the thread making the quads failed")]
    Count,
    /// An on-disk store, or what is kept beside it, could not be read or written.
    #[error("{}: {source}", path.display())]
    Disk {
        /// The file or directory.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// An on-disk store was asked of a reti built without them.
    #[error(
        "this reti was built without on-disk stores: build it with `cargo build --release --features rocksdb`, or leave out --store to build in memory"
    )]
    NoDiskStores,
}

/// Quads handed from the thread that makes them to the one that loads them, at a time.
const LOAD_BATCH: usize = 1 << 14;

/// The quads and triples a build has made so far, by 128-bit hash (two 64-bit hashes with
/// different seeds: a collision, which would drop a quad, is as likely as a cosmic-ray bit
/// flip), the quads per named graph and the [`Profile`]. Lets the build count and skip repeats
/// without keeping a copy of every quad.
struct Seen {
    quads: foldhash::HashSet<u128>,
    triples: foldhash::HashSet<u128>,
    graphs: foldhash::HashMap<String, usize>,
    profile: profile::Profiler,
}

impl Seen {
    fn new(base: &Base) -> Self {
        Self {
            quads: Default::default(),
            triples: Default::default(),
            graphs: Default::default(),
            profile: profile::Profiler::new(base),
        }
    }

    /// Records `quad`: `None` if it was seen before, else whether its triple is new.
    fn add(&mut self, quad: &Quad) -> Option<bool> {
        let triple = hash128(&(&quad.subject, &quad.predicate, &quad.object));
        let hashed = hash128(&(triple, &quad.graph_name));
        if !self.quads.insert(hashed) {
            return None;
        }
        let graph = match &quad.graph_name {
            GraphName::NamedNode(n) => n.as_str(),
            _ => "",
        };
        match self.graphs.get_mut(graph) {
            Some(n) => *n += 1,
            None => {
                self.graphs.insert(graph.to_owned(), 1);
            }
        }
        let new_triple = self.triples.insert(triple);
        self.profile.add(quad, new_triple);
        Some(new_triple)
    }

    /// What a build keeps once every quad is made.
    fn counted(self) -> Counted {
        Counted {
            graphs: self.graphs,
            triples: self.triples.len(),
            profile: self.profile.finish(),
        }
    }
}

/// A build's counts, once every quad is made.
struct Counted {
    graphs: foldhash::HashMap<String, usize>,
    triples: usize,
    profile: Profile,
}

impl Counted {
    /// The counts of an in-memory store, read off its sorted orders: the same a [`Seen`] would
    /// have gathered, without its sets (a unit test compares them).
    fn of_frozen(frozen: &Frozen, base: &Base) -> Self {
        let mut graphs: foldhash::HashMap<String, usize> = Default::default();
        for run in frozen.runs(frozen::Order::Gspo, &[], 1) {
            // keyed as `Seen` keys them: blank node graphs together under ""
            let graph = match run.first().and_then(|e| frozen.term(e[0])) {
                Some(oxigraph::model::TermRef::NamedNode(g)) => g.as_str(),
                _ => "",
            };
            *graphs.entry(graph.to_owned()).or_default() += run.len();
        }
        Counted {
            graphs,
            triples: frozen.runs(frozen::Order::Spog, &[], 3).count(),
            profile: Profile::of_frozen(frozen, base),
        }
    }
}

fn hash128(value: &impl std::hash::Hash) -> u128 {
    use std::hash::BuildHasher;
    let low = foldhash::quality::FixedState::with_seed(0x5eed_0001).hash_one(value);
    let high = foldhash::quality::FixedState::with_seed(0x5eed_0002).hash_one(value);
    (u128::from(high) << 64) | u128::from(low)
}

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
    store: Storage,
    base: Base,
    summary: Summary,
    warnings: Diagnostics,
    /// Gathered by the build; `None` for an on-disk store built by a reti that did not keep it.
    profile: Option<Profile>,
    /// The directory of an on-disk store, where [`Dataset::remember`] keeps what it computes.
    dir: Option<PathBuf>,
}

impl Dataset {
    /// Reads `data_dir`, validates it and loads it with the ontology into a fresh store.
    pub fn build(data_dir: &Path, base: Base) -> Result<Self, BuildError> {
        Self::build_into(data_dir, base, None)
    }

    /// Like [`Dataset::build`], into an on-disk store under `root`, or opens the one a build of
    /// the same source files (and base, and reti version) left there: a restart with a million
    /// memberships then takes seconds instead of a rebuild. The store is built in a hidden
    /// directory and moved into place whole, so a failed build leaves the good ones untouched;
    /// the two most recently used are kept. Needs the `rocksdb` feature.
    pub fn build_on_disk(data_dir: &Path, base: Base, root: &Path) -> Result<Self, BuildError> {
        disk::build_or_open(data_dir, base, root)
    }

    /// `compute`, or what it gave for the same content before: with an on-disk store, the
    /// value is kept beside it (as JSON, under `name`), so a restart reads it instead of
    /// scanning the store again. In memory, it is computed.
    pub fn remember<T, E>(&self, name: &str, compute: impl FnOnce() -> Result<T, E>) -> Result<T, E>
    where
        T: serde::Serialize + serde::de::DeserializeOwned,
    {
        match &self.dir {
            Some(dir) => disk::remember(dir, name, compute),
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
            && let Err(e) = disk::write_whole(&dir.join(file), bytes)
        {
            tracing::warn!("{e}; it is computed again at the next start");
        }
    }

    /// Builds into `on_disk` when given, else in memory.
    fn build_into(data_dir: &Path, base: Base, on_disk: Option<Store>) -> Result<Self, BuildError> {
        crate::validate::prepare();
        let loaded = source::load_dir(data_dir)?;
        let built = Model::build(&loaded.records);
        let files = loaded.files;
        let source_warnings = loaded.warnings.clone();
        let model = match built {
            Ok(model) if loaded.diagnostics.is_empty() => {
                // The model holds all it needs: free the records before the store grows.
                drop(loaded);
                model
            }
            Ok(_) => return Err(BuildError::Invalid(loaded.diagnostics)),
            Err(ModelProblems {
                problems,
                unresolved,
            }) => {
                let mut all = loaded.diagnostics;
                let parse_failed = !all.is_empty();
                all.0.extend(problems.0);
                // A reference to a name defined in an unreadable file is not a problem of its own.
                if !parse_failed {
                    all.0.extend(unresolved.0);
                }
                all.sort();
                return Err(BuildError::Invalid(all));
            }
        };
        let mut dataset = Self::load(&model, base, on_disk)?;
        dataset.summary.files = files;
        // The graph as a whole must conform to the shipped SHACL shapes (with the `shacl`
        // feature): violations refuse the build; warnings are printed and kept.
        let findings =
            crate::validate::validate(&dataset).map_err(|e| BuildError::Shapes(e.to_string()))?;
        // Only a build with findings needs to know where each resource was written.
        let origins = if findings.is_empty() {
            Default::default()
        } else {
            rdf::origins(&model, dataset.base())
        };
        let origins_of = |iri: &str| {
            let resource = iri.split('#').next().unwrap_or(iri);
            origins
                .get(resource)
                .map(|o| o.iter().cloned().collect())
                .unwrap_or_default()
        };
        let (violations, warnings) = crate::validate::diagnostics(&findings, origins_of, data_dir);
        if !violations.is_empty() {
            return Err(BuildError::Invalid(violations));
        }
        let mut all = source_warnings;
        all.0.extend(warnings.0);
        for warning in &all.0 {
            eprintln!("{warning}");
        }
        dataset.warnings = all;
        Ok(dataset)
    }

    /// Loads a validated model and the ontology into a fresh store.
    ///
    /// The quads go into the store as they are made, so a large model never exists as a whole
    /// list of quads: in memory, borrowed, on the thread that makes them; on disk, a batch at a
    /// time to Oxigraph's bulk loader on another thread. Each quad goes into its source's
    /// graph. The default graph is the RDF merge of the named graphs, a set: a triple
    /// stated by two sources is in it once (Oxigraph's own "default graph as union" is a bag, in
    /// which it would match twice). In memory the store reads the merge from its sorted orders;
    /// on disk it is stored, one copy of each triple.
    pub fn from_model(model: &Model, base: Base) -> Result<Self, BuildError> {
        Self::load(model, base, None)
    }

    /// An in-memory dataset of the given quads alone: no source files, model, ontology or
    /// SHACL validation. The store, its default graph (the merge of the named graphs) and
    /// [`Dataset::evaluate`] are those of a build, so that the query evaluation the endpoint
    /// does can be checked on data of one's own: the W3C SPARQL test suites run this way
    /// (`tests/it/w3c.rs`). Every quad must be in a named graph; a quad of the default graph
    /// is refused ([`BuildError::Store`]), as the default graph is made from the named ones.
    pub fn from_quads<'a>(
        quads: impl IntoIterator<Item = QuadRef<'a>>,
        base: Base,
    ) -> Result<Self, BuildError> {
        let mut builder = FrozenBuilder::default();
        for quad in quads {
            builder.insert(quad)?;
        }
        let frozen = builder.finish()?;
        let counted = Counted::of_frozen(&frozen, &base);
        let summary = Summary {
            quads: counted.graphs.values().sum(),
            graphs: counted.graphs.into_iter().collect(),
            triples: counted.triples,
            ..Summary::default()
        };
        Ok(Self {
            store: Storage::Memory(Arc::new(frozen)),
            base,
            summary,
            warnings: Diagnostics::default(),
            profile: Some(counted.profile),
            dir: None,
        })
    }

    fn load(model: &Model, base: Base, on_disk: Option<Store>) -> Result<Self, BuildError> {
        let ontology_graph = base.graph(rdf::ONTOLOGY_GRAPH);
        let ontology = RdfParser::from_format(RdfFormat::Turtle)
            .without_named_graphs()
            .with_default_graph(ontology_graph)
            .for_slice(rdf::ONTOLOGY_TTL.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| BuildError::Ontology(e.to_string()))?;
        let (seen, store) = match on_disk {
            Some(store) => Self::load_on_disk(model, &base, ontology, store)?,
            None => {
                // In memory, the named graphs only: the store reads their merge as the default
                // graph. Each quad goes to the store as it is made, borrowed: a term the store
                // holds is copied at most into the batch of terms waiting to be looked up, and
                // nothing made on one thread is freed on another. A large build's quads are
                // sorted a chunk at a time on the other core while the rest come in, a small
                // one's once all are in, on both cores (src/dataset/frozen.rs).
                let mut builder = FrozenBuilder::with_capacity(rdf::expected_quads(model));
                let mut failed = None;
                let mut insert = |quad: QuadRef<'_>| {
                    if failed.is_none()
                        && let Err(e) = builder.insert(quad)
                    {
                        failed = Some(e);
                    }
                };
                ontology.iter().for_each(|quad| insert(quad.as_ref()));
                rdf::emit_quads(model, &base, &mut insert);
                if let Some(e) = failed {
                    return Err(e.into());
                }
                let frozen = builder.finish()?;
                (
                    Counted::of_frozen(&frozen, &base),
                    Storage::Memory(Arc::new(frozen)),
                )
            }
        };
        let count = |kind| model.orgs.iter().filter(|o| o.kind == kind).count();
        let summary = Summary {
            files: 0,
            networks: count(OrgKind::Network),
            units: count(OrgKind::Unit),
            organizations: count(OrgKind::Organization),
            places: model.places.len(),
            memberships: model.memberships.len(),
            figures: model.figures.len(),
            sources: model.sources.len(),
            quads: seen.graphs.values().sum(),
            graphs: seen.graphs.into_iter().collect(),
            triples: seen.triples,
        };
        Ok(Self {
            warnings: Diagnostics::default(),
            store,
            base,
            summary,
            profile: Some(seen.profile),
            dir: None,
        })
    }

    /// Loads into an on-disk store: quads are made on one thread and loaded by Oxigraph's bulk
    /// loader on another, a batch at a time, so both cores work. Repeated quads are dropped as
    /// they come, and each triple's copy in the default graph is made once.
    fn load_on_disk(
        model: &Model,
        base: &Base,
        ontology: Vec<Quad>,
        store: Store,
    ) -> Result<(Counted, Storage), BuildError> {
        std::thread::scope(|scope| {
            // each new quad, and whether its triple is new (then it also goes to the default
            // graph)
            let (batches, received) = std::sync::mpsc::sync_channel::<Vec<(Quad, bool)>>(8);
            let producer = scope.spawn(move || {
                let mut seen = Seen::new(base);
                let mut batch = Vec::with_capacity(LOAD_BATCH);
                let mut push = |quad: QuadRef<'_>| {
                    let quad = quad.into_owned();
                    // Only new quads go to the loader, which is the slower side.
                    let Some(new_triple) = seen.add(&quad) else {
                        return;
                    };
                    batch.push((quad, new_triple));
                    if batch.len() >= LOAD_BATCH {
                        let next = Vec::with_capacity(LOAD_BATCH);
                        // Nobody receives once the loader has failed: the rest is dropped.
                        let _ = batches.send(std::mem::replace(&mut batch, next));
                    }
                };
                ontology.iter().for_each(|quad| push(quad.as_ref()));
                rdf::emit_quads(model, base, &mut push);
                let _ = batches.send(batch);
                seen
            });
            // one long iterator into the bulk loader, which gathers big batches and writes each
            // as sorted files on a thread of its own (small batches would make thousands of
            // files); it takes owned quads, so the default graph's are copies
            let mut loader = store.bulk_loader();
            loader.load_quads(received.into_iter().flat_map(|batch| {
                batch.into_iter().flat_map(|(quad, new_triple)| {
                    let merged = new_triple.then(|| {
                        Quad::new(
                            quad.subject.clone(),
                            quad.predicate.clone(),
                            quad.object.clone(),
                            GraphName::DefaultGraph,
                        )
                    });
                    merged.into_iter().chain(std::iter::once(quad))
                })
            }))?;
            loader.commit()?;
            let seen = producer.join().map_err(|_| BuildError::Count)?;
            Ok((seen.counted(), Storage::Disk(store)))
        })
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

    /// The description of a resource, from the merged graph: its own triples (and those of its
    /// `#fragment` parts), the triples pointing at it, the whole of each membership or site that
    /// points at it (a city's memberships, a network's members), and the labels of everything
    /// these mention. Sorted.
    pub fn describe(&self, iri: &NamedNode) -> Result<Vec<Triple>, StorageError> {
        // written once for the embedded store and for a remote one
        crate::backend::describe(self, iri)
    }

    /// The sources that state `subject`'s type: one `(source IRI, title)` per named graph that
    /// types it, in graph order. This is how pages say "according to" for a membership.
    pub fn sources_of(
        &self,
        subject: &NamedNode,
    ) -> Result<Vec<(NamedNode, String)>, StorageError> {
        use oxigraph::model::vocab::rdf;
        use oxigraph::model::{NamedOrBlankNode, Term};
        let mut graphs: Vec<NamedNode> = Vec::new();
        for q in
            self.store
                .quads_for_pattern(Some(subject.as_ref().into()), Some(rdf::TYPE), None, None)
        {
            if let GraphName::NamedNode(g) = q?.graph_name
                && !graphs.contains(&g)
            {
                graphs.push(g);
            }
        }
        graphs.sort();
        let default = Some(GraphNameRef::DefaultGraph);
        let mut sources = Vec::new();
        for g in graphs {
            for q in self.store.quads_for_pattern(
                Some(g.as_ref().into()),
                Some(crate::vocab::prov::WAS_DERIVED_FROM),
                None,
                default,
            ) {
                let Term::NamedNode(source) = q?.object else {
                    continue;
                };
                let title = self
                    .store
                    .quads_for_pattern(
                        Some(NamedOrBlankNode::from(source.clone()).as_ref()),
                        Some(crate::vocab::dcterms::TITLE),
                        None,
                        default,
                    )
                    .filter_map(Result::ok)
                    .find_map(|q| match q.object {
                        Term::Literal(l) => Some(l.value().to_owned()),
                        _ => None,
                    })
                    .unwrap_or_else(|| source.as_str().to_owned());
                sources.push((source, title));
            }
        }
        Ok(sources)
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
    pub fn for_each_sorted<E: From<StorageError>>(
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

#[cfg(test)]
mod counted_tests {
    use super::*;
    use oxigraph::model::{BlankNode, Term};

    /// The model's quads and the ontology's, as a build makes them.
    fn quads(dir: &Path, base: &Base) -> Vec<Quad> {
        let loaded = source::load_dir(dir).expect("readable");
        let model = Model::build(&loaded.records).expect("valid");
        let mut quads: Vec<Quad> = RdfParser::from_format(RdfFormat::Turtle)
            .without_named_graphs()
            .with_default_graph(base.graph(rdf::ONTOLOGY_GRAPH))
            .for_slice(rdf::ONTOLOGY_TTL.as_bytes())
            .collect::<Result<_, _>>()
            .expect("ontology");
        rdf::emit_quads(&model, base, &mut |q| quads.push(q.into_owned()));
        quads
    }

    /// The counts read off the sorted store are those the sets of the on-disk build gather,
    /// on the shipped data and on synthetic data, with quads stated twice, a triple stated by
    /// a second graph and triples in two blank node graphs.
    #[test]
    fn counts_of_the_sorted_store_equal_the_gathered_ones() {
        let base = Base::new(Base::DEFAULT).expect("base");
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let synthetic = tempfile::tempdir().expect("tempdir");
        let spec = crate::synth::Spec {
            networks: 4,
            memberships: 400,
            seed: 5,
        };
        crate::synth::write(&spec, synthetic.path()).expect("synth");
        for dir in [shipped.as_path(), synthetic.path()] {
            let mut quads = quads(dir, &base);
            let restated: Vec<Quad> = quads.iter().take(50).cloned().collect();
            let other = base.graph("another-source");
            let blank = [BlankNode::default(), BlankNode::default()];
            for (i, q) in restated.into_iter().enumerate() {
                let mut elsewhere = q.clone();
                elsewhere.graph_name = other.clone().into();
                let mut unnamed = q.clone();
                unnamed.graph_name = blank[i % 2].clone().into();
                quads.extend([q, elsewhere, unnamed]);
            }
            let mut seen = Seen::new(&base);
            let mut builder = FrozenBuilder::default();
            for quad in quads {
                seen.add(&quad);
                builder.insert(&quad).expect("named graph");
            }
            let gathered = seen.counted();
            let read = Counted::of_frozen(&builder.finish().expect("few terms"), &base);
            assert_eq!(read.graphs, gathered.graphs, "{}", dir.display());
            assert_eq!(read.triples, gathered.triples, "{}", dir.display());
            assert_eq!(read.profile, gathered.profile, "{}", dir.display());
            assert!(read.graphs.len() > 2 && read.profile.entities > 0);
            assert!(read.profile.years.is_some() && !read.profile.classes.is_empty());
        }
    }

    /// A date stated only by the ontology is not one of the data's years.
    #[test]
    fn the_ontologys_dates_are_not_the_datas() {
        let base = Base::new(Base::DEFAULT).expect("base");
        let date = |value: &str, graph: NamedNode| {
            Quad::new(
                base.graph("x"),
                NamedNode::new_unchecked("http://purl.org/dc/terms/issued"),
                Term::Literal(oxigraph::model::Literal::new_typed_literal(
                    value,
                    oxigraph::model::vocab::xsd::DATE,
                )),
                graph,
            )
        };
        let mut builder = FrozenBuilder::default();
        builder
            .insert(&date("1999-01-01", base.graph(rdf::ONTOLOGY_GRAPH)))
            .expect("insert");
        builder
            .insert(&date("2004-05-06", base.graph("source")))
            .expect("insert");
        let read = Counted::of_frozen(&builder.finish().expect("few terms"), &base);
        assert_eq!(read.profile.years, Some((2004, 2004)));
    }
}
