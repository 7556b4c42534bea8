//! What the VoID description says of the data (distinct subjects and objects, properties,
//! classes, entities, the years the dates span), gathered while the build makes its quads.
//!
//! The same facts read back by SPARQL are full scans of the store: seconds in memory, but more
//! than ten minutes on a RocksDB store of a million memberships, which made the first start of
//! `reti serve --store` wait that long after its build. Each quad passes through the build's
//! producer thread once anyway, and that thread waits on the loader, so here they cost nothing
//! measurable (BENCHMARKS.md, "Optimisations"). In memory they are read off the store's sorted
//! orders instead ([`Profile::of_frozen`]), where each distinct value is a run of entries: no
//! set of what was seen is needed at all.

use super::frozen::{Frozen, Ids, Order};
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{
    GraphName, LiteralRef, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term, TermRef,
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

impl Profile {
    /// The profile of an in-memory store: the same facts [`Profiler`] gathers, read off its
    /// sorted orders (a unit test compares the two).
    pub(crate) fn of_frozen(frozen: &Frozen, base: &crate::rdf::Base) -> Self {
        let id_space = format!("{}id/", base.as_str());
        let ontology = frozen.id(base.graph(crate::rdf::ONTOLOGY_GRAPH).as_ref().into());
        let first = |run: &[Ids]| run.first().map_or(u32::MAX, |e| e[0]);
        let (mut distinct_subjects, mut entities) = (0, 0);
        for run in frozen.runs(Order::Spog, &[], 1) {
            distinct_subjects += 1;
            if let Some(TermRef::NamedNode(s)) = frozen.term(first(run))
                && s.as_str().starts_with(&id_space)
            {
                entities += 1;
            }
        }
        let (mut distinct_objects, mut years) = (0, None);
        for run in frozen.runs(Order::Ospg, &[], 1) {
            distinct_objects += 1;
            // the entries are object, subject, predicate, graph
            if let Some(TermRef::Literal(literal)) = frozen.term(first(run))
                && DATE_TYPES.contains(&literal.datatype())
                && run.iter().any(|e| Some(e[3]) != ontology)
                && let Some(year) = year_of(literal)
            {
                years = Some(widen_years(years, year));
            }
        }
        let written = |id: u32| frozen.term(id).map(|t| t.to_string());
        let properties = frozen
            .runs(Order::Posg, &[], 1)
            .filter_map(|run| match frozen.term(first(run)) {
                Some(TermRef::NamedNode(p)) => Some(p.as_str().to_owned()),
                _ => None,
            })
            .collect();
        let classes = match frozen.id(rdf::TYPE.into()) {
            Some(ty) => frozen
                .runs(Order::Posg, &[ty], 2)
                .filter_map(|run| written(run.first()?[1]))
                .collect(),
            None => Vec::new(),
        };
        let sorted = |mut all: Vec<String>| {
            all.sort();
            all
        };
        Self {
            distinct_subjects,
            distinct_objects,
            properties: sorted(properties),
            classes: sorted(classes),
            entities,
            years,
        }
    }
}

/// Gathers a [`Profile`], one quad at a time.
pub(crate) struct Profiler {
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
    pub(crate) fn new(base: &crate::rdf::Base) -> Self {
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
    pub(crate) fn add(&mut self, quad: &Quad, new_triple: bool) {
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

    pub(crate) fn finish(self) -> Profile {
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
