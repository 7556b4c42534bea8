//! The model as RDF: IRI minting and one named graph per source.
//!
//! Resource IRIs are `{base}id/{kind}/{slug}`; the graph of a source is `{base}graph/{slug}`.
//! The ontology's own IRIs (`reti:`) never depend on the base, so the same data deployed at two
//! addresses shares one vocabulary.
//!
//! ```
//! use reti::rdf::Base;
//! let base = Base::new("https://reti.example.org/")?;
//! assert_eq!(base.mint("place", "turin").as_str(), "https://reti.example.org/id/place/turin");
//! # Ok::<_, Box<dyn std::error::Error>>(())
//! ```

use crate::model::{Claim, Labels, Model, OrgKind, PartialDate, PlaceKind, Subject};
use crate::vocab::{authority, dcat, dcterms, org, owl, prov, reti, schema, skos, time};
use oxrdf::vocab::{rdf, rdfs, xsd};
use oxrdf::{
    GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, Quad, QuadRef, Term, TermRef,
};

/// The ontology, in Turtle, as shipped in `ontology/reti.ttl`.
pub const ONTOLOGY_TTL: &str = include_str!("../ontology/reti.ttl");
/// The SHACL shapes for the data, as shipped in `ontology/shapes.ttl`.
pub const SHAPES_TTL: &str = include_str!("../ontology/shapes.ttl");
/// Slug of the graph that holds the ontology; no source may take it.
pub(crate) const ONTOLOGY_GRAPH: &str = "ontology";

/// Slug of the graph the catalog is published in, `{base}graph/catalog`: the catalog is no
/// graph of the local store (the server computes it per build), but a store that takes over
/// needs it to answer harvesters.
pub(crate) const CATALOG_GRAPH: &str = "catalog";

/// Slug of the graph the merge of the named graphs is published in, `{base}graph/merge`:
/// reti's default graph, as a graph of its own, because stores differ in what their default
/// graph is (Virtuoso's is the union of all graphs, with a triple once per graph) and some
/// cannot have it replaced. Front ends of the store read it as their default graph.
pub(crate) const MERGE_GRAPH: &str = "merge";

/// The kinds of resource reti mints IRIs for, as they appear in `{base}id/{kind}/{slug}`.
pub const KINDS: &[&str] = &[
    "network",
    "unit",
    "organization",
    "place",
    "membership",
    "site",
    "field",
    "role",
    "measure",
    "figure",
    "source",
    "scheme",
];

/// The deployment base under which resource and graph IRIs are minted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base(String);

/// Why a base IRI was refused.
#[derive(Debug, thiserror::Error)]
#[error("invalid base IRI `{iri}`: {reason}")]
pub struct BaseError {
    iri: String,
    reason: String,
}

impl Base {
    /// The default: where `reti serve` listens.
    pub const DEFAULT: &'static str = "http://localhost:7878/";

    /// Checks that `iri` is an absolute http(s) IRI ending in `/`, with no query or fragment.
    pub fn new(iri: &str) -> Result<Self, BaseError> {
        let err = |reason: &str| BaseError {
            iri: iri.to_owned(),
            reason: reason.to_owned(),
        };
        let parsed = oxrdf::NamedNode::new(iri).map_err(|e| err(&e.to_string()))?;
        let s = parsed.as_str();
        if !(s.starts_with("http://") || s.starts_with("https://")) {
            return Err(err("it must start with http:// or https://"));
        }
        if s.contains('?') || s.contains('#') {
            return Err(err("it must not contain a query (?) or fragment (#)"));
        }
        if !s.ends_with('/') {
            return Err(err("it must end with /"));
        }
        Ok(Self(s.to_owned()))
    }

    /// The base as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `{base}id/{kind}/{slug}`. `slug` must be a valid slug ([`crate::model::is_valid_slug`]).
    pub fn mint(&self, kind: &str, slug: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("{}id/{kind}/{slug}", self.0))
    }

    /// `{base}graph/{slug}`: the named graph of a source (or of the ontology).
    pub fn graph(&self, slug: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("{}graph/{slug}", self.0))
    }

    /// Every prefix used in serialisations: the vocabularies', then one per resource kind.
    pub fn prefixes(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = crate::vocab::VOCABULARY_PREFIXES
            .iter()
            .map(|(p, i)| ((*p).to_owned(), (*i).to_owned()))
            .collect();
        for kind in KINDS {
            out.push(((*kind).to_owned(), format!("{}id/{kind}/", self.0)));
        }
        out.push(("graph".to_owned(), format!("{}graph/", self.0)));
        out
    }
}

fn lang(value: &str, tag: &str) -> Term {
    Literal::new_language_tagged_literal_unchecked(value, tag).into()
}

fn typed(value: impl Into<String>, datatype: NamedNodeRef<'_>) -> Term {
    Literal::new_typed_literal(value, datatype).into()
}

fn date_literal(d: PartialDate) -> Term {
    let datatype = match d {
        PartialDate::Year(_) => xsd::G_YEAR,
        PartialDate::YearMonth(..) => xsd::G_YEAR_MONTH,
        PartialDate::Date(..) => xsd::DATE,
    };
    typed(d.to_string(), datatype)
}

/// Hands quads, in the graph of one source at a time, to a sink, as borrowed terms: a sink
/// that keeps each distinct term once (the in-memory store) never copies one it has.
struct Emitter<'a> {
    sink: &'a mut dyn FnMut(QuadRef<'_>),
    graph: GraphNameRef<'a>,
}

impl Emitter<'_> {
    fn add<'o>(&mut self, s: &NamedNode, p: NamedNodeRef<'_>, o: impl Into<TermRef<'o>>) {
        let (s, o, g): (NamedNodeRef<'_>, TermRef<'_>, GraphNameRef<'_>) =
            (s.as_ref(), o.into(), self.graph);
        (self.sink)(QuadRef::new(s, p, o, g));
    }

    fn labels(&mut self, s: &NamedNode, labels: &Labels) {
        for (tag, name) in &labels.names {
            let name = lang(name, tag);
            self.add(s, rdfs::LABEL, &name);
            self.add(s, skos::PREF_LABEL, &name);
        }
        for (tag, names) in &labels.alt {
            for name in names {
                self.add(s, skos::ALT_LABEL, &lang(name, tag));
            }
        }
        for (tag, names) in &labels.hidden {
            for name in names {
                self.add(s, skos::HIDDEN_LABEL, &lang(name, tag));
            }
        }
    }

    fn descriptions(&mut self, s: &NamedNode, p: NamedNodeRef<'_>, labels: &Labels) {
        for (tag, text) in &labels.description {
            self.add(s, p, &lang(text, tag));
        }
    }
}

/// The name of a thing in `tag`, else in English, else any.
fn name_in<'a, T>(claims: &'a [Claim<T>], labels: impl Fn(&T) -> &Labels, tag: &str) -> &'a str {
    claims
        .iter()
        .find_map(|c| labels(&c.facts).names.get(tag))
        .map_or_else(|| Model::english_name(claims, &labels), String::as_str)
}

/// The languages labels made by reti are written in.
const TAGS: [&str; 2] = ["en", "it"];

/// Each thing's name in each of [`TAGS`], looked up once: a million memberships name a
/// hundred thousand places, whose names were otherwise found again, through the place's
/// claims, at each label (four reads from all over memory) and copied.
fn names_in<'a, T: 'a, I>(
    things: impl IntoIterator<Item = &'a [Claim<T>]>,
    labels: I,
) -> Vec<[&'a str; 2]>
where
    I: Fn(&T) -> &Labels + Copy,
{
    things
        .into_iter()
        .map(|claims| TAGS.map(|tag| name_in(claims, labels, tag)))
        .collect()
}

/// The names of the `i`th thing of [`names_in`]'s list (none if there is no such thing).
fn names<'a>(names: &[[&'a str; 2]], i: usize) -> [&'a str; 2] {
    names.get(i).copied().unwrap_or_default()
}

/// Turns the model into quads, one named graph per source, in a deterministic order.
pub fn model_to_quads(model: &Model, base: &Base) -> Vec<Quad> {
    let mut quads = Vec::new();
    emit_quads(model, base, &mut |q| quads.push(q.into_owned()));
    quads
}

/// About how many quads [`emit_quads`] gives for `model`: those of the memberships, at most
/// 13 for each source stating one, which at scale are nearly all. A store sizes its tables by
/// it once instead of growing them by doubling.
pub(crate) fn expected_quads(model: &Model) -> usize {
    model
        .memberships
        .iter()
        .map(|m| m.claims.len())
        .sum::<usize>()
        * 13
}

/// [`model_to_quads`], one borrowed quad at a time: a large model's quads can be loaded while
/// they are made, without ever holding all of them at once, and a term the sink already holds
/// is never copied.
pub fn emit_quads(model: &Model, base: &Base, sink: &mut dyn FnMut(QuadRef<'_>)) {
    let graphs: Vec<GraphName> = model
        .sources
        .iter()
        .map(|s| base.graph(&s.slug).into())
        .collect();
    let mut e = Emitter {
        sink,
        graph: GraphNameRef::DefaultGraph,
    };

    for (i, s) in model.sources.iter().enumerate() {
        e.graph = graphs[i].as_ref();
        let iri = base.mint("source", &s.slug);
        e.add(&iri, rdf::TYPE, prov::ENTITY);
        e.add(&iri, dcterms::TITLE, &lang(&s.title, "en"));
        if let Some(d) = &s.description {
            e.add(&iri, dcterms::DESCRIPTION, &lang(d, "en"));
        }
        if let Some(c) = &s.citation {
            e.add(
                &iri,
                dcterms::BIBLIOGRAPHIC_CITATION,
                &typed(c.clone(), xsd::STRING),
            );
        }
        for url in &s.urls {
            e.add(&iri, rdfs::SEE_ALSO, NamedNodeRef::new_unchecked(url));
        }
        if s.covers_from.is_some() || s.covers_until.is_some() {
            let period = NamedNode::new_unchecked(format!("{}#period", iri.as_str()));
            e.add(&iri, dcterms::TEMPORAL, &period);
            e.add(&period, rdf::TYPE, dcterms::PERIOD_OF_TIME);
            if let Some(d) = s.covers_from {
                e.add(&period, dcat::START_DATE, &date_literal(d));
            }
            if let Some(d) = s.covers_until {
                e.add(&period, dcat::END_DATE, &date_literal(d));
            }
        }
        let graph = base.graph(&s.slug);
        e.add(&graph, prov::WAS_DERIVED_FROM, &iri);
    }

    let concepts: Vec<NamedNode> = model
        .concepts
        .iter()
        .map(|c| base.mint(c.scheme.concept_kind(), &c.slug))
        .collect();
    for (c, iri) in model.concepts.iter().zip(&concepts) {
        let scheme = base.mint("scheme", c.scheme.slug());
        let (en, it) = c.scheme.names();
        for claim in &c.claims {
            e.graph = graphs[claim.source].as_ref();
            e.add(iri, rdf::TYPE, skos::CONCEPT);
            e.add(iri, skos::IN_SCHEME, &scheme);
            e.add(&scheme, rdf::TYPE, skos::CONCEPT_SCHEME);
            e.add(&scheme, skos::HAS_TOP_CONCEPT, iri);
            let names = [lang(en, "en"), lang(it, "it")];
            for p in [rdfs::LABEL, skos::PREF_LABEL] {
                for name in &names {
                    e.add(&scheme, p, name);
                }
            }
            e.labels(iri, &claim.facts);
            e.descriptions(iri, skos::DEFINITION, &claim.facts);
        }
    }

    // Each place's and organisation's IRI made once, not at each quad that names it: a
    // million memberships name a few thousand places, and a term handed over from the same
    // place in memory is recognised by the store without being looked up again.
    let places: Vec<NamedNode> = model
        .places
        .iter()
        .map(|p| base.mint("place", &p.slug))
        .collect();
    let orgs: Vec<NamedNode> = model
        .orgs
        .iter()
        .map(|o| base.mint(o.kind.as_str(), &o.slug))
        .collect();
    let place_iri = |p: usize| &places[p];
    let org_iri = |o: usize| &orgs[o];

    for (id, o) in model.orgs.iter().enumerate() {
        let iri = org_iri(id);
        for claim in &o.claims {
            e.graph = graphs[claim.source].as_ref();
            let f = &claim.facts;
            match o.kind {
                OrgKind::Network => e.add(iri, rdf::TYPE, reti::NETWORK),
                OrgKind::Unit => e.add(iri, rdf::TYPE, org::ORGANIZATIONAL_UNIT),
                OrgKind::Organization => {}
            }
            e.add(iri, rdf::TYPE, org::ORGANIZATION);
            if f.nonprofit {
                e.add(iri, rdf::TYPE, reti::NONPROFIT_ORGANIZATION);
            }
            e.labels(iri, &f.labels);
            e.descriptions(iri, dcterms::DESCRIPTION, &f.labels);
            if let Some(d) = f.founded {
                e.add(iri, schema::FOUNDING_DATE, &date_literal(d));
            }
            if let Some(p) = f.founded_in {
                e.add(iri, schema::FOUNDING_LOCATION, place_iri(p));
            }
            if let Some(p) = f.part_of {
                e.add(iri, org::SUB_ORGANIZATION_OF, org_iri(p));
            }
            for &l in &f.linked_to {
                e.add(iri, org::LINKED_TO, org_iri(l));
            }
            for &r in &f.recognised_by {
                e.add(iri, reti::RECOGNISED_BY, org_iri(r));
            }
            for &c in &f.present_in {
                e.add(iri, schema::AREA_SERVED, place_iri(c));
            }
            for &c in &f.external_partners {
                e.add(iri, reti::EXTERNAL_PARTNER, place_iri(c));
            }
        }
    }

    for (id, p) in model.places.iter().enumerate() {
        let iri = place_iri(id);
        for claim in &p.claims {
            e.graph = graphs[claim.source].as_ref();
            let f = &claim.facts;
            let types: &[NamedNodeRef<'_>] = match p.kind {
                PlaceKind::Municipality => &[reti::MUNICIPALITY, schema::CITY],
                PlaceKind::Province => &[reti::PROVINCE, schema::ADMINISTRATIVE_AREA],
                PlaceKind::Region => &[reti::REGION, schema::ADMINISTRATIVE_AREA],
                PlaceKind::Country => &[schema::COUNTRY],
                PlaceKind::City => &[schema::CITY],
            };
            for t in types {
                e.add(iri, rdf::TYPE, *t);
            }
            e.labels(iri, &f.labels);
            e.descriptions(iri, dcterms::DESCRIPTION, &f.labels);
            if let Some(parent) = f.part_of {
                e.add(iri, schema::CONTAINED_IN_PLACE, place_iri(parent));
            }
            if let Some(code) = &f.istat_code {
                e.add(iri, reti::ISTAT_CODE, &typed(code.clone(), xsd::STRING));
            }
            if let Some(code) = &f.notation {
                e.add(iri, skos::NOTATION, &typed(code.clone(), xsd::STRING));
            }
            if let Some(code) = &f.iso_alpha2 {
                e.add(iri, reti::ISO_ALPHA2, &typed(code.clone(), xsd::STRING));
            }
            if let Some(code) = &f.iso_alpha3 {
                e.add(iri, reti::ISO_ALPHA3, &typed(code.clone(), xsd::STRING));
            }
            if let Some(code) = &f.eu_authority {
                let target = format!("{}{code}", authority::EU_COUNTRY);
                e.add(iri, owl::SAME_AS, &NamedNode::new_unchecked(target));
            }
            if let Some(q) = &f.wikidata {
                let target = format!("{}{q}", authority::WIKIDATA);
                e.add(iri, owl::SAME_AS, &NamedNode::new_unchecked(target));
            }
        }
    }

    for s in &model.offices {
        let iri = base.mint("site", &s.slug);
        let owner = org_iri(s.organization);
        for claim in &s.claims {
            e.graph = graphs[claim.source].as_ref();
            let facts = &claim.facts;
            e.add(&iri, rdf::TYPE, org::SITE);
            e.labels(&iri, &facts.labels);
            if facts.locates {
                e.add(&iri, org::SITE_OF, owner);
                e.add(&iri, schema::CONTAINED_IN_PLACE, place_iri(s.place));
                e.add(owner, org::HAS_SITE, &iri);
            }
            if facts.registered {
                e.add(owner, org::HAS_REGISTERED_SITE, &iri);
            }
        }
    }

    let place_names = names_in(model.places.iter().map(|p| &p.claims[..]), |f| &f.labels);
    let org_names = names_in(model.orgs.iter().map(|o| &o.claims[..]), |f| &f.labels);
    let concept_names = names_in(model.concepts.iter().map(|c| &c.claims[..]), |l| l);
    // the years memberships began, a few dozen, each made once
    let mut years: std::collections::BTreeMap<i32, Term> = std::collections::BTreeMap::new();
    for m in &model.memberships {
        let iri = base.mint("membership", &m.slug);
        let organization = org_iri(m.organization);
        let member = place_iri(m.member);
        let role = &model.concepts[m.role];
        let (place, org, role_name) = (
            names(&place_names, m.member),
            names(&org_names, m.organization),
            names(&concept_names, m.role),
        );
        // the same for every source that states the membership
        let labels: [Term; 2] = std::array::from_fn(|i| {
            lang(
                &format!("{} – {} ({})", place[i], org[i], role_name[i]),
                TAGS[i],
            )
        });
        for claim in &m.claims {
            e.graph = graphs[claim.source].as_ref();
            e.add(&iri, rdf::TYPE, org::MEMBERSHIP);
            for label in &labels {
                e.add(&iri, rdfs::LABEL, label);
            }
            e.add(&iri, org::MEMBER, member);
            e.add(&iri, org::ORGANIZATION_PROP, organization);
            e.add(&iri, org::ROLE, &concepts[m.role]);
            if role.slug == "member" {
                e.add(organization, org::HAS_MEMBER, member);
            }
            if let Some(field) = claim.facts.field {
                e.add(&iri, reti::CREATIVE_FIELD, &concepts[field]);
            }
            if let Some(year) = claim.facts.since {
                let during = NamedNode::new_unchecked(format!("{}#during", iri.as_str()));
                let start = NamedNode::new_unchecked(format!("{}#start", iri.as_str()));
                e.add(&iri, org::MEMBER_DURING, &during);
                e.add(&during, rdf::TYPE, time::INTERVAL);
                e.add(&during, time::HAS_BEGINNING, &start);
                e.add(&start, rdf::TYPE, time::INSTANT);
                let year = years
                    .entry(year)
                    .or_insert_with(|| typed(format!("{year:04}"), xsd::G_YEAR));
                e.add(&start, time::IN_XSD_G_YEAR, &*year);
            }
        }
    }

    for f in &model.figures {
        e.graph = graphs[f.source].as_ref();
        let iri = base.mint("figure", &f.slug);
        let subject = match f.subject {
            Subject::Org(o) => org_iri(o),
            Subject::Place(p) => place_iri(p),
        };
        e.add(subject, reti::STATED_FIGURE_PROP, &iri);
        e.add(&iri, rdf::TYPE, reti::STATED_FIGURE);
        e.add(&iri, reti::MEASURE, &concepts[f.measure]);
        e.add(
            &iri,
            schema::VALUE,
            &typed(f.value.to_string(), xsd::INTEGER),
        );
        if f.lower_bound {
            e.add(&iri, reti::IS_LOWER_BOUND, &typed("true", xsd::BOOLEAN));
        }
        if let Some(d) = f.date {
            e.add(&iri, dcterms::DATE, &date_literal(d));
        }
        for (i, tag) in TAGS.into_iter().enumerate() {
            let over = match (f.lower_bound, tag) {
                (false, _) => "",
                (true, "it") => "oltre ",
                (true, _) => "over ",
            };
            let subject_name = match f.subject {
                Subject::Org(o) => names(&org_names, o)[i],
                Subject::Place(p) => names(&place_names, p)[i],
            };
            let mut text = format!(
                "{subject_name}: {over}{} {}",
                f.value,
                names(&concept_names, f.measure)[i].to_lowercase()
            );
            if let Some(d) = f.date {
                text = format!("{text} ({d})");
            }
            e.add(&iri, rdfs::LABEL, &lang(&text, tag));
        }
    }
}

/// Where each resource's records were written: its IRI (without fragment) → the files and
/// lines of the records that describe it. Lets reports about the graph point at the sources.
pub(crate) fn origins(
    model: &Model,
    base: &Base,
) -> std::collections::BTreeMap<String, std::collections::BTreeSet<crate::model::Origin>> {
    let mut out: std::collections::BTreeMap<
        String,
        std::collections::BTreeSet<crate::model::Origin>,
    > = Default::default();
    let mut add = |iri: NamedNode, origins: &mut dyn Iterator<Item = crate::model::Origin>| {
        out.entry(iri.into_string()).or_default().extend(origins);
    };
    for c in &model.concepts {
        add(
            base.mint(c.scheme.concept_kind(), &c.slug),
            &mut c.claims.iter().map(|c| c.origin.clone()),
        );
    }
    for o in &model.orgs {
        add(
            base.mint(o.kind.as_str(), &o.slug),
            &mut o.claims.iter().map(|c| c.origin.clone()),
        );
    }
    for p in &model.places {
        add(
            base.mint("place", &p.slug),
            &mut p.claims.iter().map(|c| c.origin.clone()),
        );
    }
    for s in &model.offices {
        add(
            base.mint("site", &s.slug),
            &mut s.claims.iter().map(|c| c.origin.clone()),
        );
    }
    for m in &model.memberships {
        add(
            base.mint("membership", &m.slug),
            &mut m.claims.iter().map(|c| c.origin.clone()),
        );
    }
    for f in &model.figures {
        add(
            base.mint("figure", &f.slug),
            &mut std::iter::once(f.origin.clone()),
        );
    }
    out
}

/// Shortens `iri` with the longest matching prefix, when the result cannot be mistaken for an
/// absolute IRI or a blank node.
pub fn compact_iri(iri: &str, prefixes: &[(String, String)]) -> String {
    prefixes
        .iter()
        .filter(|(_, ns)| iri.len() > ns.len() && iri.starts_with(ns.as_str()))
        .max_by_key(|(_, ns)| ns.len())
        .map(|(p, ns)| (p, &iri[ns.len()..]))
        .filter(|(_, local)| !local.starts_with("//"))
        .map_or_else(|| iri.to_owned(), |(p, local)| format!("{p}:{local}"))
}
