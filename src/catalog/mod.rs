//! Catalog metadata: the DCAT-AP (and DCAT-AP_IT) catalog that open-data portals harvest, the
//! VoID description, the SPARQL 1.1 service description, the ontology and the JSON-LD context.
//!
//! Everything here is described with IRIs, never blank nodes, so each document is the same on
//! every request of a build. The IRIs, all under the deployment base:
//!
//! | IRI | what |
//! |---|---|
//! | `{base}catalog` | the `dcat:Catalog` (and `dcatapit:Catalog`) |
//! | `{base}catalog#dataset` | the `dcat:Dataset`; also the `void:Dataset` of `/.well-known/void` |
//! | `{base}catalog#distribution-{ext}` | one `dcat:Distribution` per dump (`ttl`, `trig`, `nt`, `nq`, `jsonld`, `rdf`) |
//! | `{base}catalog#distribution-{ext}-checksum` | its `spdx:Checksum` |
//! | `{base}catalog#distribution-sparql` | the distribution accessed through the SPARQL endpoint |
//! | `{base}sparql#service` | the `dcat:DataService`, which is also the `sd:Service` |
//! | `{base}sparql#dataset`, `#default-graph`, `#named-graph-{slug}` | the service description's dataset and graphs |
//! | `{base}catalog#publisher`, `#rights-holder`, `#contact`, `#temporal` | agents (unless `reti.toml` gives an IRI), contact point, temporal coverage |
//! | `{base}graph/{slug}` | each named graph, described as a `void:Dataset` subset and an `sd:Graph` |
//!
//! Things the catalog points at that others define (licence, EU themes, languages, frequency,
//! file types, IANA media types, standards) keep their own IRIs, typed as the DCAT-AP range
//! shapes ask, so a harvester recognises them.

use crate::config::Config;
use crate::export::{self, Dump, Format};
use crate::query::{Backend, BackendError, Sparql};
use crate::rdf::Base;
use crate::store::{DATE_TYPES, Profile, Summary, widen_years, year_of};
use crate::support::dates::timestamp;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{Literal, NamedNode, NamedNodeRef, Term, Triple};
use oxigraph::sparql::QueryResults;
use std::collections::BTreeSet;
use std::time::SystemTime;

use crate::vocab::{
    authority, dcat, dcatap, dcatapit, dcterms as dct, foaf, formats, gsp, rdfs, schema_http, sd,
    skos, spdx, vcard, void,
};

/// Prefixes of catalog documents beyond the dataset's own.
pub(crate) const CATALOG_PREFIXES: &[(&str, &str)] = &[
    ("dcatap", dcatap::NAMESPACE),
    ("dcatapit", dcatapit::NAMESPACE),
    ("sd", sd::NAMESPACE),
    ("spdx", spdx::NAMESPACE),
    ("vcard", vcard::NAMESPACE),
    ("void", void::NAMESPACE),
];

/// What a build's catalog documents say: the catalog, the VoID description and the service
/// description are made from these alone, once per build.
pub struct Facts<'a> {
    /// The deployment base, under which every catalog IRI is minted.
    pub base: &'a Base,
    /// `reti.toml`.
    pub config: &'a Config,
    /// The dumps (none in front of a remote store).
    pub dumps: &'a [Dump],
    /// When the source files last changed.
    pub modified: SystemTime,
    /// The build's counts.
    pub summary: &'a Summary,
    /// The facts beyond the counts.
    pub statistics: &'a Statistics,
}

mod codes;
mod dcat_ap;
mod service;
mod statistics;
mod void_description;

use codes::*;
pub use dcat_ap::{catalog_triples, dataset_identifier};
pub use service::service_description;
pub use statistics::{Statistics, statistics, statistics_of};
pub use void_description::void_triples;

// ---------------------------------------------------------------------------------------------
// Building graphs
// ---------------------------------------------------------------------------------------------

/// Triples under construction; [`Graph::finish`] dedups and sorts them (subject, then
/// `rdf:type` first, predicate, object) so that output is deterministic and JSON-LD groups
/// each subject in one node.
#[derive(Default)]
struct Graph(Vec<Triple>);

impl Graph {
    fn add(&mut self, s: &NamedNode, p: NamedNodeRef<'_>, o: impl Into<Term>) {
        self.0.push(Triple::new(s.clone(), p, o.into()));
    }

    fn a(&mut self, s: &NamedNode, class: NamedNodeRef<'_>) {
        self.add(s, rdf::TYPE, class);
    }

    fn text(&mut self, s: &NamedNode, p: NamedNodeRef<'_>, value: &str, lang: &str) {
        if value.is_empty() {
            return;
        }
        match Literal::new_language_tagged_literal(value, lang) {
            Ok(l) => self.add(s, p, l),
            Err(_) => self.add(s, p, Literal::new_simple_literal(value)),
        }
    }

    fn typed(
        &mut self,
        s: &NamedNode,
        p: NamedNodeRef<'_>,
        value: impl Into<String>,
        datatype: NamedNodeRef<'_>,
    ) {
        self.add(s, p, Literal::new_typed_literal(value, datatype));
    }

    fn finish(self) -> Vec<Triple> {
        let mut triples = self.0;
        triples.sort_by_cached_key(|t| {
            (
                t.subject.to_string(),
                t.predicate != rdf::TYPE,
                t.predicate.to_string(),
                t.object.to_string(),
            )
        });
        triples.dedup();
        triples
    }
}

/// An IRI from `reti.toml`, where [`crate::config::Config::load`] refused any that is not one
/// (a configuration made in code without it: an invalid one is left out, never published).
fn iri(value: &str) -> Option<NamedNode> {
    NamedNode::new(value).ok()
}

fn url(p: &Facts<'_>, path: &str) -> NamedNode {
    // the base is a valid IRI and the paths are fixed ASCII
    NamedNode::new_unchecked(format!(
        "{}{}",
        p.base.as_str(),
        path.trim_start_matches('/')
    ))
}

fn local_name(iri: &str) -> &str {
    iri.rsplit(['/', '#']).next().unwrap_or(iri)
}

/// A concept of a controlled vocabulary, typed and labelled as DCAT-AP's shapes ask.
fn concept(g: &mut Graph, node: &NamedNode, en: &str, it: Option<&str>) {
    g.a(node, skos::CONCEPT);
    g.text(node, skos::PREF_LABEL, en, "en");
    if let Some(it) = it {
        g.text(node, skos::PREF_LABEL, it, "it");
    }
}

/// Whether `s` is an `xsd:date` (`YYYY-MM-DD`).
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// A build's catalog documents, made once (the first time one is asked for) and served as they
/// are on every request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Documents {
    /// `/catalog`: DCAT-AP and DCAT-AP_IT.
    pub catalog: Vec<Triple>,
    /// `/.well-known/void`.
    pub void: Vec<Triple>,
    /// The service description of `/sparql`.
    pub service_description: Vec<Triple>,
}

impl Documents {
    /// Makes every document from the build's facts.
    pub fn of(facts: &Facts<'_>) -> Self {
        Self {
            catalog: catalog_triples(facts),
            void: void_triples(facts),
            service_description: service_description(facts),
        }
    }

    /// The catalog and the VoID description as one graph: what `reti publish` puts into
    /// `{base}graph/catalog`, so a store that takes over still holds what harvesters read at
    /// `/catalog` and `/.well-known/void`.
    pub fn catalog_graph(&self) -> Vec<Triple> {
        let mut g = Graph(self.catalog.clone());
        g.0.extend(self.void.iter().cloned());
        g.finish()
    }
}

/// Serialises [`catalog_graph`] with the dataset's prefixes and the catalog's.
pub(crate) fn write_catalog_graph(base: &Base, triples: &[Triple], format: Format) -> Vec<u8> {
    export::write_graph(triples, format, &catalog_prefixes(base))
}

/// The dataset's prefixes and the catalog vocabularies' (`dcatapit:`, `sd:`, `spdx:`,
/// `vcard:`, `void:`…).
pub(crate) fn catalog_prefixes(base: &Base) -> Vec<(String, String)> {
    let mut prefixes = base.prefixes();
    prefixes.extend(
        CATALOG_PREFIXES
            .iter()
            .map(|(p, i)| ((*p).to_owned(), (*i).to_owned())),
    );
    prefixes
}

/// The ontology's triples, sorted.
pub(crate) fn ontology_triples() -> Vec<Triple> {
    let mut g = Graph::default();
    for quad in RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(crate::rdf::ONTOLOGY_TTL.as_bytes())
        .flatten()
    {
        g.0.push(Triple::from(quad));
    }
    g.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The statistics the build gathers are those the SPARQL scans read back, on the shipped
    /// data and on synthetic data.
    #[test]
    fn gathered_statistics_equal_the_scanned_ones() {
        let base = crate::rdf::Base::new(crate::rdf::Base::DEFAULT).expect("base");
        let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let synthetic = tempfile::tempdir().expect("tempdir");
        let spec = crate::synth::Spec {
            networks: 4,
            memberships: 400,
            seed: 11,
        };
        crate::synth::write(&spec, synthetic.path()).expect("synth");
        for dir in [shipped.as_path(), synthetic.path()] {
            let dataset = crate::store::Dataset::build(dir, base.clone()).expect("build");
            let profile = dataset.profile().expect("gathered").clone();
            let backend = Backend::Local(dataset);
            let scanned = statistics(&backend).expect("scanned");
            let gathered = statistics_of(&profile, &backend).expect("gathered");
            assert_eq!(gathered, scanned, "{}", dir.display());
            assert_eq!(scanned.counts.len(), 5);
            assert!(scanned.counts.iter().all(|(_, n)| *n > 0), "{scanned:?}");
            assert!(scanned.vocabularies.len() >= 5, "{scanned:?}");
            assert!(scanned.years.is_some(), "{scanned:?}");
        }
    }

    #[test]
    fn dates_are_checked() {
        assert!(is_date("2026-01-31"));
        assert!(!is_date("2026-1-31"));
        assert!(!is_date("yesterday"));
    }
}
