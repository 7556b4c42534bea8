//! A resource's page, from the triples of its description: heading, properties grouped and
//! labelled, memberships as tables, incoming links, other formats, and JSON-LD for search
//! engines.

use super::view::{
    Names, ScriptJson, Val, compact, kind_and_slug, link, ontology_labels, term_label, term_val,
};
use crate::server::Served;
use crate::server::negotiate::Lang;
use crate::vocab::{dcterms, org, owl, reti, schema, skos, time};
use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNode, Term, Triple};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A property and its values.
pub struct Group {
    /// The property's label in the reader's language.
    pub label: String,
    /// The property, linked.
    pub prop: Val,
    /// Its values, sorted.
    pub values: Vec<Val>,
}

/// One membership in a table.
pub(crate) struct MemberRow {
    /// The member (on an organisation's page) or the organisation (on a member's page).
    pub who: Val,
    /// The role.
    pub role: Val,
    /// The creative field, if any.
    pub field: Option<Val>,
    /// The year it began, if known.
    pub since: String,
    /// The membership itself.
    pub membership: Val,
    /// The sources that state it, linked to their descriptions.
    pub sources: Vec<Val>,
}

/// Everything a resource page shows.
pub struct Resource {
    /// The label in the reader's language, or the compact IRI.
    pub title: String,
    /// The language of the title, when it differs from the page's.
    pub title_lang: Option<String>,
    /// The resource IRI.
    pub iri: String,
    /// Its classes, linked.
    pub types: Vec<Val>,
    /// Other names in the reader's language (or any).
    pub alt: Vec<String>,
    /// The description in the reader's language (or English, or any).
    pub description: Option<String>,
    /// The description's language when it is not the reader's (only the other language has
    /// one): the page says so.
    pub description_lang: Option<String>,
    /// `(label, href, media type)` of each other format.
    pub formats: Vec<(String, String, String)>,
    /// The query page prefilled with a query of this resource's triples.
    pub query_href: String,
    /// The same query's results as SPARQL JSON.
    pub query_json_href: String,
    /// `DESCRIBE <iri>` as Turtle.
    pub describe_href: String,
    /// The members, when this is an organisation.
    pub members: Vec<MemberRow>,
    /// The organisations it belongs to, when this is a member.
    pub memberships: Vec<MemberRow>,
    /// Its own statements, grouped by property.
    pub groups: Vec<Group>,
    /// Statements of other resources pointing here, grouped by property.
    pub incoming: Vec<Group>,
    /// schema.org JSON-LD.
    pub jsonld: ScriptJson,
}

fn encode(s: &str) -> String {
    utf8_percent_encode(s, NON_ALPHANUMERIC).to_string()
}

/// Properties shown first, in this order; the rest follow by label.
const FIRST: [NamedNodeRef<'static>; 5] = [
    rdf::TYPE,
    skos::PREF_LABEL,
    rdfs::LABEL,
    skos::ALT_LABEL,
    skos::NOTATION,
];

/// Builds the page of `iri` from its description.
pub fn build(
    p: &Served,
    iri: &NamedNode,
    triples: &[Triple],
    lang: Lang,
) -> Result<Resource, crate::query::BackendError> {
    let onto = ontology_labels();
    // labels of everything mentioned: skos:prefLabel first, then rdfs:label
    let mut labels: HashMap<NamedNode, Names> = HashMap::new();
    for pred in [skos::PREF_LABEL, rdfs::LABEL] {
        for t in triples.iter().filter(|t| t.predicate.as_ref() == pred) {
            if let (NamedOrBlankNode::NamedNode(s), Term::Literal(l)) = (&t.subject, &t.object) {
                labels
                    .entry(s.clone())
                    .or_default()
                    .add(l.language().unwrap_or(""), l.value());
            }
        }
    }
    for (k, v) in &onto {
        labels.entry(k.clone()).or_insert_with(|| v.clone());
    }
    let about = |s: &NamedNode, pred: NamedNodeRef<'_>| -> Vec<&Term> {
        triples
            .iter()
            .filter(|t| {
                matches!(&t.subject, NamedOrBlankNode::NamedNode(n) if n == s)
                    && t.predicate.as_ref() == pred
            })
            .map(|t| &t.object)
            .collect()
    };
    let one_node = |s: &NamedNode, pred: NamedNodeRef<'_>| -> Option<NamedNode> {
        about(s, pred).into_iter().find_map(|o| match o {
            Term::NamedNode(n) => Some(n.clone()),
            _ => None,
        })
    };
    let literals = |s: &NamedNode, pred: NamedNodeRef<'_>| -> Names {
        let mut l = Names::default();
        for o in about(s, pred) {
            if let Term::Literal(lit) = o {
                l.add(lit.language().unwrap_or(""), lit.value());
            }
        }
        l
    };

    // memberships: rows on an organisation's or a member's page
    let membership_nodes: BTreeSet<NamedNode> = triples
        .iter()
        .filter(|t| {
            t.predicate.as_ref() == rdf::TYPE
                && matches!(&t.object, Term::NamedNode(o) if o.as_ref() == org::MEMBERSHIP)
        })
        .filter_map(|t| match &t.subject {
            NamedOrBlankNode::NamedNode(n) if n != iri => Some(n.clone()),
            _ => None,
        })
        .collect();
    // who states each membership: one question for all of them
    let all_sources = p
        .dataset
        .sources_of(&membership_nodes.iter().cloned().collect::<Vec<_>>())?;
    let mut members = Vec::new();
    let mut memberships = Vec::new();
    let mut tabled: BTreeSet<NamedNode> = BTreeSet::new();
    for m in &membership_nodes {
        let (Some(member), Some(organization)) = (
            one_node(m, org::MEMBER),
            one_node(m, org::ORGANIZATION_PROP),
        ) else {
            continue;
        };
        let role = one_node(m, org::ROLE);
        let field = one_node(m, reti::CREATIVE_FIELD);
        let since = one_node(m, org::MEMBER_DURING)
            .and_then(|d| one_node(&d, time::HAS_BEGINNING))
            .and_then(|s| {
                about(&s, time::IN_XSD_G_YEAR)
                    .into_iter()
                    .find_map(|o| match o {
                        Term::Literal(l) => Some(l.value().to_owned()),
                        _ => None,
                    })
            })
            .unwrap_or_default();
        let node_link = |n: &NamedNode| link(p, n.as_str(), labels.get(n), lang);
        let sources: Vec<Val> = all_sources
            .get(m)
            .into_iter()
            .flatten()
            .map(|(source, title)| Val {
                text: title.clone(),
                ..link(p, source.as_str(), None, lang)
            })
            .collect();
        let row = |who: &NamedNode| MemberRow {
            who: node_link(who),
            role: role.as_ref().map(node_link).unwrap_or_default(),
            field: field.as_ref().map(node_link),
            since: since.clone(),
            membership: node_link(m),
            sources: sources.clone(),
        };
        if &organization == iri {
            members.push(row(&member));
            tabled.insert(m.clone());
        } else if &member == iri {
            memberships.push(row(&organization));
            tabled.insert(m.clone());
        }
    }
    let by_name = |a: &MemberRow, b: &MemberRow| {
        (a.who.text.to_lowercase(), &a.role.text, &a.since).cmp(&(
            b.who.text.to_lowercase(),
            &b.role.text,
            &b.since,
        ))
    };
    members.sort_by(by_name);
    memberships.sort_by(by_name);

    // own statements, grouped; fragment nodes (`#during`) are shown inside their value
    let fragment_prefix = format!("{}#", iri.as_str());
    let is_part = |n: &NamedNode| n.as_str().starts_with(&fragment_prefix);
    let has_pref = triples.iter().any(|t| {
        matches!(&t.subject, NamedOrBlankNode::NamedNode(n) if n == iri)
            && t.predicate.as_ref() == skos::PREF_LABEL
    });
    let own_labels = literals(iri, skos::PREF_LABEL);
    let own_labels = if has_pref {
        own_labels
    } else {
        literals(iri, rdfs::LABEL)
    };
    let descriptions = literals(iri, dcterms::DESCRIPTION);
    let description = descriptions.pick(lang).map(str::to_owned);
    let description_lang = match descriptions.exact(lang.tag()) {
        Some(_) => None,
        None => description
            .as_ref()
            .and_then(|_| descriptions.first_tag())
            .filter(|tag| !tag.is_empty())
            .map(str::to_owned),
    };
    let mut grouped: BTreeMap<NamedNode, Vec<Val>> = BTreeMap::new();
    for t in triples
        .iter()
        .filter(|t| matches!(&t.subject, NamedOrBlankNode::NamedNode(n) if n == iri))
    {
        let pred = t.predicate.as_ref();
        if (pred == rdfs::LABEL && has_pref)
            || (pred == org::HAS_MEMBER && !members.is_empty())
            || (pred == dcterms::DESCRIPTION && description.is_some() && descriptions.len() <= 1)
        {
            continue;
        }
        let value = match &t.object {
            Term::NamedNode(n) if is_part(n) => {
                let mut parts = Vec::new();
                flatten(p, triples, n, "", &labels, &onto, lang, 0, &mut parts);
                Val {
                    text: String::new(),
                    iri: n.as_str().to_owned(),
                    parts,
                    ..Val::default()
                }
            }
            other => term_val(p, other, &labels, lang),
        };
        grouped.entry(t.predicate.clone()).or_default().push(value);
    }
    let mut groups: Vec<Group> = grouped
        .into_iter()
        .map(|(pred, mut values)| {
            values.sort_by(|a, b| (&a.lang, &a.text).cmp(&(&b.lang, &b.text)));
            Group {
                label: term_label(p, &onto, &pred, lang),
                prop: link(p, pred.as_str(), None, lang),
                values,
            }
        })
        .collect();
    let rank = |g: &Group| {
        FIRST
            .iter()
            .position(|f| f.as_str() == g.prop.iri)
            .unwrap_or(FIRST.len())
    };
    groups.sort_by_key(|g| (rank(g), g.label.to_lowercase()));

    // incoming links, except the memberships already tabled
    let mut incoming_map: BTreeMap<NamedNode, Vec<Val>> = BTreeMap::new();
    for t in triples
        .iter()
        .filter(|t| matches!(&t.object, Term::NamedNode(o) if o == iri))
    {
        let NamedOrBlankNode::NamedNode(s) = &t.subject else {
            continue;
        };
        if s == iri
            || is_part(s)
            || tabled.contains(s)
            || (t.predicate.as_ref() == org::HAS_MEMBER && !memberships.is_empty())
        {
            continue;
        }
        incoming_map
            .entry(t.predicate.clone())
            .or_default()
            .push(link(p, s.as_str(), labels.get(s), lang));
    }
    let incoming: Vec<Group> = incoming_map
        .into_iter()
        .map(|(pred, mut values)| {
            values.sort_by_key(|v| v.text.to_lowercase());
            values.dedup_by(|a, b| a.iri == b.iri);
            Group {
                label: term_label(p, &onto, &pred, lang),
                prop: link(p, pred.as_str(), None, lang),
                values,
            }
        })
        .collect();

    let types: Vec<Val> = about(iri, rdf::TYPE)
        .into_iter()
        .filter_map(|o| match o {
            Term::NamedNode(n) => Some(link(p, n.as_str(), onto.get(n), lang)),
            _ => None,
        })
        .collect();
    let alt_all = literals(iri, skos::ALT_LABEL);
    let mut alt: Vec<String> = about(iri, skos::ALT_LABEL)
        .into_iter()
        .filter_map(|o| match o {
            Term::Literal(l)
                if l.language()
                    .is_none_or(|t| t == lang.tag() || alt_all.exact(lang.tag()).is_none()) =>
            {
                Some(l.value().to_owned())
            }
            _ => None,
        })
        .collect();
    alt.sort();
    alt.dedup();
    let title_picked = own_labels.pick(lang);
    let title = title_picked.map_or_else(|| compact(p, iri.as_str()), str::to_owned);
    let title_lang = if own_labels.exact(lang.tag()).is_some() || title_picked.is_none() {
        None
    } else {
        own_labels
            .first_tag()
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    };

    let (formats, describe_href, query_href, query_json_href) = links(p, iri);
    let jsonld = ScriptJson::new(&jsonld(
        p,
        iri,
        &labels,
        &own_labels,
        &descriptions,
        &members,
        lang,
        &about,
    ));
    Ok(Resource {
        title,
        title_lang,
        iri: iri.as_str().to_owned(),
        types,
        alt,
        description,
        description_lang,
        formats,
        query_href,
        query_json_href,
        describe_href,
        members,
        memberships,
        groups,
        incoming,
        jsonld,
    })
}

type Links = (Vec<(String, String, String)>, String, String, String);

fn links(p: &Served, iri: &NamedNode) -> Links {
    let formats = match kind_and_slug(p, iri.as_str()) {
        Some((kind, slug)) => [
            ("Turtle", "ttl", "text/turtle"),
            ("JSON-LD", "jsonld", "application/ld+json"),
            ("N-Triples", "nt", "application/n-triples"),
            ("RDF/XML", "rdf", "application/rdf+xml"),
        ]
        .iter()
        .map(|(name, ext, mt)| {
            (
                (*name).to_owned(),
                format!("/doc/{kind}/{slug}.{ext}"),
                (*mt).to_owned(),
            )
        })
        .collect(),
        None => Vec::new(),
    };
    let describe = format!("DESCRIBE <{}>", iri.as_str());
    let select = format!(
        "# The statements about {}\nSELECT ?property ?value\nWHERE {{\n  <{}> ?property ?value .\n}}\nORDER BY ?property ?value\n",
        compact(p, iri.as_str()),
        iri.as_str()
    );
    (
        formats,
        format!("/sparql?query={}&format=ttl", encode(&describe)),
        format!("/sparql#query={}", encode(&select)),
        format!("/sparql?query={}&format=json", encode(&select)),
    )
}

/// Statements about a fragment node, as (path of property labels, value), following nested
/// fragments; `rdf:type` is left out.
#[allow(clippy::too_many_arguments)]
fn flatten(
    p: &Served,
    triples: &[Triple],
    node: &NamedNode,
    path: &str,
    labels: &HashMap<NamedNode, Names>,
    onto: &HashMap<NamedNode, Names>,
    lang: Lang,
    depth: usize,
    out: &mut Vec<(String, Val)>,
) {
    if depth > 4 {
        return;
    }
    let prefix = match node.as_str().split_once('#') {
        Some((doc, _)) => format!("{doc}#"),
        None => return,
    };
    for t in triples
        .iter()
        .filter(|t| matches!(&t.subject, NamedOrBlankNode::NamedNode(n) if n == node))
    {
        if t.predicate.as_ref() == rdf::TYPE {
            continue;
        }
        let label = term_label(p, onto, &t.predicate, lang);
        let here = if path.is_empty() {
            label
        } else {
            format!("{path} › {label}")
        };
        match &t.object {
            Term::NamedNode(n) if n.as_str().starts_with(&prefix) && n != node => {
                flatten(p, triples, n, &here, labels, onto, lang, depth + 1, out);
            }
            other => out.push((here, term_val(p, other, labels, lang))),
        }
    }
}

/// schema.org JSON-LD: a network as an `Organization` with its members, a place as a `City`,
/// `Country` or `Place`, anything else as a `Thing`.
#[allow(clippy::too_many_arguments)]
fn jsonld<'t>(
    p: &Served,
    iri: &NamedNode,
    labels: &HashMap<NamedNode, Names>,
    own_labels: &Names,
    descriptions: &Names,
    members: &[MemberRow],
    lang: Lang,
    about: &dyn Fn(&NamedNode, NamedNodeRef<'_>) -> Vec<&'t Term>,
) -> Value {
    let types: Vec<&str> = about(iri, rdf::TYPE)
        .into_iter()
        .filter_map(|o| match o {
            Term::NamedNode(n) => Some(n.as_str()),
            _ => None,
        })
        .collect();
    let has = |t: NamedNodeRef<'_>| types.contains(&t.as_str());
    let kind = kind_and_slug(p, iri.as_str()).map(|(k, _)| k);
    let schema_type = if has(schema::COUNTRY) {
        "Country"
    } else if has(schema::CITY) || has(reti::MUNICIPALITY) {
        "City"
    } else if has(schema::ADMINISTRATIVE_AREA) || has(reti::PROVINCE) || has(reti::REGION) {
        "AdministrativeArea"
    } else if kind == Some("place") {
        "Place"
    } else if has(schema::GOVERNMENT_ORGANIZATION) {
        "GovernmentOrganization"
    } else if has(reti::NETWORK)
        || has(org::ORGANIZATION)
        || has(org::ORGANIZATIONAL_UNIT)
        || matches!(kind, Some("network" | "unit" | "organization"))
    {
        "Organization"
    } else {
        "Thing"
    };
    let mut doc = serde_json::Map::new();
    doc.insert("@context".into(), json!("https://schema.org"));
    doc.insert("@type".into(), json!(schema_type));
    doc.insert("@id".into(), json!(iri.as_str()));
    if let Some((kind, slug)) = kind_and_slug(p, iri.as_str()) {
        doc.insert("url".into(), json!(p.url(&format!("doc/{kind}/{slug}"))));
    }
    if let Some(name) = own_labels.pick(lang) {
        doc.insert("name".into(), json!(name));
    }
    let mut alternate: Vec<&str> = about(iri, skos::ALT_LABEL)
        .into_iter()
        .filter_map(|o| match o {
            Term::Literal(l) => Some(l.value()),
            _ => None,
        })
        .collect();
    alternate.sort_unstable();
    alternate.dedup();
    if !alternate.is_empty() {
        doc.insert("alternateName".into(), json!(alternate));
    }
    if let Some(d) = descriptions.pick(lang) {
        doc.insert("description".into(), json!(d));
    }
    let same_as: Vec<&str> = about(iri, owl::SAME_AS)
        .into_iter()
        .filter_map(|o| match o {
            Term::NamedNode(n) => Some(n.as_str()),
            _ => None,
        })
        .collect();
    if !same_as.is_empty() {
        doc.insert("sameAs".into(), json!(same_as));
    }
    let node_ref = |n: &NamedNode, ty: &str| {
        let mut m = json!({ "@type": ty, "@id": n.as_str() });
        if let Some(name) = labels.get(n).and_then(|l| l.pick(lang)) {
            m["name"] = json!(name);
        }
        m
    };
    if schema_type == "Organization" || schema_type == "GovernmentOrganization" {
        // the most precise founding date any source gives
        if let Some(founded) = about(iri, schema::FOUNDING_DATE)
            .into_iter()
            .filter_map(|o| match o {
                Term::Literal(l) => Some(l.value()),
                _ => None,
            })
            .max_by_key(|v| (v.len(), *v))
        {
            doc.insert("foundingDate".into(), json!(founded));
        }
        let mut seen = BTreeSet::new();
        let list: Vec<Value> = members
            .iter()
            .filter(|m| seen.insert(m.who.iri.clone()))
            .map(|m| json!({ "@type": "City", "@id": m.who.iri, "name": m.who.text }))
            .collect();
        if !list.is_empty() {
            doc.insert("member".into(), Value::Array(list));
        }
        if let Some(parent) = about(iri, org::SUB_ORGANIZATION_OF)
            .into_iter()
            .find_map(|o| match o {
                Term::NamedNode(n) => Some(n),
                _ => None,
            })
        {
            doc.insert(
                "parentOrganization".into(),
                node_ref(parent, "Organization"),
            );
        }
    }
    let parent_place = about(iri, schema::CONTAINED_IN_PLACE)
        .into_iter()
        .find_map(|o| match o {
            Term::NamedNode(n) => Some(n),
            _ => None,
        });
    if let (true, Some(parent)) = (
        matches!(
            schema_type,
            "City" | "Country" | "AdministrativeArea" | "Place"
        ),
        parent_place,
    ) {
        doc.insert("containedInPlace".into(), node_ref(parent, "Place"));
    }
    Value::Object(doc)
}
