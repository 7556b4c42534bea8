//! Building a dataset: the source files read, the model validated, the quads made and loaded
//! into a fresh store (in memory, or on disk with the `rocksdb` feature), and the graph checked
//! against the SHACL shapes. All or nothing: callers never see a half-built store.
//!
//! ```no_run
//! use reti::{store::Dataset, rdf::Base};
//! let dataset = Dataset::build("data".as_ref(), Base::new(Base::DEFAULT)?)?;
//! println!("{} quads", dataset.summary().quads);
//! # Ok::<_, Box<dyn std::error::Error>>(())
//! ```

mod disk;

use crate::diagnostic::Diagnostics;
use crate::model::{Model, ModelProblems, OrgKind};
use crate::rdf::{self, Base};
use crate::source::{self, SourceError};
use crate::store::frozen::{self, Frozen, FrozenBuilder};
use crate::store::{Dataset, Profile, Storage, Summary, profile};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, Quad, QuadRef};
use oxigraph::store::{StorageError, Store};
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
        dataset.warnings = all;
        Ok(dataset)
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

    /// Loads a validated model and the ontology into a fresh store.
    ///
    /// The quads go into the store as they are made, so a large model never exists as a whole
    /// list of quads: in memory, borrowed, on the thread that makes them; on disk, a batch at a
    /// time to Oxigraph's bulk loader on another thread. Each quad goes into its source's
    /// graph. The default graph is the RDF merge of the named graphs, a set: a triple
    /// stated by two sources is in it once (Oxigraph's own "default graph as union" is a bag, in
    /// which it would match twice). In memory the store reads the merge from its sorted orders;
    /// on disk it is stored, one copy of each triple.
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
                // one's once all are in, on both cores (src/store/frozen.rs).
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
}

#[cfg(test)]
mod counted_tests {
    use super::*;
    use oxigraph::model::{BlankNode, NamedNode, Term};

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
