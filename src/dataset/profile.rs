//! What the VoID description says of the data (distinct subjects and objects, properties,
//! classes, entities, the years the dates span), gathered while the build makes its quads.
//!
//! The same facts read back by SPARQL are full scans of the store: seconds in memory, but more
//! than ten minutes on a RocksDB store of a million memberships, which made the first start of
//! `reti serve --store` wait that long after its build. Each quad passes through the build's
//! producer thread once anyway, and that thread waits on the loader, so here they cost nothing
//! measurable (BENCHMARKS.md, "Optimisations").

use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{
    GraphName, LiteralRef, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term,
};

/// The datatypes whose values are dates, for [`Profile::years`].
pub const DATE_TYPES: [NamedNodeRef<'static>; 4] =
    [xsd::G_YEAR, xsd::G_YEAR_MONTH, xsd::DATE, xsd::DATE_TIME];

/// The year of a date literal of one of the [`DATE_TYPES`]: its first four characters.
pub fn year_of(literal: LiteralRef<'_>) -> Option<i64> {
    literal.value().get(..4)?.parse().ok()
}

/// `years`, the earliest and latest year so far, widened to take in `year`.
pub fn widen_years(years: Option<(i64, i64)>, year: i64) -> (i64, i64) {
    match years {
        None => (year, year),
        Some((lo, hi)) => (lo.min(year), hi.max(year)),
    }
}

/// The facts of the merged (default) graph the VoID description states: the same values the
/// server's SPARQL scans read from the store (a unit test of the catalog compares them), which
/// it still uses for a remote store.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Profile {
    /// Distinct subjects of the merged graph.
    pub distinct_subjects: u64,
    /// Distinct objects of the merged graph.
    pub distinct_objects: u64,
    /// The predicates of the merged graph, sorted.
    pub properties: Vec<String>,
    /// The classes (objects of `rdf:type`) of the merged graph, in N-Triples syntax, sorted.
    pub classes: Vec<String>,
    /// Distinct subjects minted in the dataset's `id/` space.
    pub entities: u64,
    /// The earliest and latest year of any date in the sources' graphs (the ontology's own
    /// dates are left out).
    pub years: Option<(i64, i64)>,
}

/// Gathers a [`Profile`], one quad at a time.
pub(super) struct Profiler {
    id_space: String,
    ontology: NamedNode,
    // 64-bit hashes: a collision would make a count one short, nothing worse, and is about
    // as likely as one in a million at ten million terms
    subjects: foldhash::HashSet<u64>,
    objects: foldhash::HashSet<u64>,
    properties: foldhash::HashSet<String>,
    classes: foldhash::HashSet<String>,
    entities: u64,
    years: Option<(i64, i64)>,
}

impl Profiler {
    pub(super) fn new(base: &crate::rdf::Base) -> Self {
        Self {
            id_space: format!("{}id/", base.as_str()),
            ontology: base.graph(crate::rdf::ONTOLOGY_GRAPH),
            subjects: Default::default(),
            objects: Default::default(),
            properties: Default::default(),
            classes: Default::default(),
            entities: 0,
            years: None,
        }
    }

    /// Records a quad seen for the first time; `new_triple` if its triple is new to the
    /// merged graph too.
    pub(super) fn add(&mut self, quad: &Quad, new_triple: bool) {
        if let Term::Literal(literal) = &quad.object
            && DATE_TYPES.contains(&literal.datatype())
            && !matches!(&quad.graph_name, GraphName::NamedNode(g) if *g == self.ontology)
            && let Some(year) = year_of(literal.as_ref())
        {
            self.years = Some(widen_years(self.years, year));
        }
        if !new_triple {
            return;
        }
        if self.subjects.insert(hash64(&quad.subject))
            && let NamedOrBlankNode::NamedNode(s) = &quad.subject
            && s.as_str().starts_with(&self.id_space)
        {
            self.entities += 1;
        }
        self.objects.insert(hash64(&quad.object));
        if !self.properties.contains(quad.predicate.as_str()) {
            self.properties.insert(quad.predicate.as_str().to_owned());
        }
        if quad.predicate == rdf::TYPE {
            let class = quad.object.to_string();
            if !self.classes.contains(&class) {
                self.classes.insert(class);
            }
        }
    }

    pub(super) fn finish(self) -> Profile {
        let sorted = |set: foldhash::HashSet<String>| {
            let mut all: Vec<String> = set.into_iter().collect();
            all.sort();
            all
        };
        Profile {
            distinct_subjects: self.subjects.len() as u64,
            distinct_objects: self.objects.len() as u64,
            properties: sorted(self.properties),
            classes: sorted(self.classes),
            entities: self.entities,
            years: self.years,
        }
    }
}

fn hash64(value: &impl std::hash::Hash) -> u64 {
    use std::hash::BuildHasher;
    foldhash::quality::FixedState::with_seed(0x5eed_0003).hash_one(value)
}
