//! The catalog (DCAT-AP) and the VoID description as pages for people: the same triples the
//! RDF documents hold, one section per described thing, properties named in words, values in
//! the reader's language (with a note where only the other language has one), links between
//! the sections. RDF clients still get Turtle, RDF/XML, JSON-LD or N-Triples by `Accept`.

use super::{Chrome, render, text, view};
use crate::server::Served;
use crate::server::negotiate::Lang;
use askama::Template;
use oxigraph::model::{NamedOrBlankNode, Term, Triple};
use std::collections::BTreeMap;

/// A value as shown.
pub struct Value {
    text: String,
    href: Option<String>,
    /// The literal's language, when it is not the page's.
    lang: Option<String>,
    /// Shown in the other language because the page's has none.
    other_lang: bool,
}

struct Property {
    label: String,
    iri: String,
    values: Vec<Value>,
}

struct Thing {
    id: String,
    heading: String,
    types: String,
    properties: Vec<Property>,
}

#[derive(Template)]
#[template(path = "described.html")]
struct DescribedPage {
    chrome: Chrome,
    heading: String,
    intro: &'static str,
    /// `?format=` values of the RDF documents.
    path: &'static str,
    things: Vec<Thing>,
}

/// Words for the properties and classes the catalog and VoID use, in English and Italian.
const NAMES: &[(&str, &str, &str)] = &[
    (
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        "type",
        "tipo",
    ),
    ("http://purl.org/dc/terms/title", "title", "titolo"),
    (
        "http://purl.org/dc/terms/description",
        "description",
        "descrizione",
    ),
    ("http://purl.org/dc/terms/publisher", "publisher", "editore"),
    (
        "http://purl.org/dc/terms/rightsHolder",
        "rights holder",
        "titolare",
    ),
    ("http://purl.org/dc/terms/license", "licence", "licenza"),
    (
        "http://purl.org/dc/terms/modified",
        "modified",
        "modificato",
    ),
    ("http://purl.org/dc/terms/issued", "issued", "pubblicato"),
    ("http://purl.org/dc/terms/language", "language", "lingua"),
    (
        "http://purl.org/dc/terms/identifier",
        "identifier",
        "identificativo",
    ),
    ("http://purl.org/dc/terms/format", "format", "formato"),
    (
        "http://purl.org/dc/terms/spatial",
        "spatial coverage",
        "copertura geografica",
    ),
    (
        "http://purl.org/dc/terms/temporal",
        "temporal coverage",
        "copertura temporale",
    ),
    (
        "http://purl.org/dc/terms/accrualPeriodicity",
        "update frequency",
        "frequenza di aggiornamento",
    ),
    (
        "http://purl.org/dc/terms/conformsTo",
        "conforms to",
        "conforme a",
    ),
    (
        "http://purl.org/dc/terms/accessRights",
        "access rights",
        "diritti di accesso",
    ),
    ("http://purl.org/dc/terms/type", "type", "tipo"),
    ("http://purl.org/dc/terms/source", "source", "fonte"),
    ("http://www.w3.org/ns/dcat#dataset", "dataset", "dataset"),
    (
        "http://www.w3.org/ns/dcat#distribution",
        "distribution",
        "distribuzione",
    ),
    (
        "http://www.w3.org/ns/dcat#downloadURL",
        "download",
        "scaricamento",
    ),
    ("http://www.w3.org/ns/dcat#accessURL", "access", "accesso"),
    (
        "http://www.w3.org/ns/dcat#mediaType",
        "media type",
        "tipo di contenuto",
    ),
    (
        "http://www.w3.org/ns/dcat#compressFormat",
        "compression",
        "compressione",
    ),
    (
        "http://www.w3.org/ns/dcat#byteSize",
        "size (bytes)",
        "dimensione (byte)",
    ),
    (
        "http://www.w3.org/ns/dcat#keyword",
        "keyword",
        "parola chiave",
    ),
    ("http://www.w3.org/ns/dcat#theme", "theme", "tema"),
    ("http://www.w3.org/ns/dcat#themeTaxonomy", "themes", "temi"),
    (
        "http://www.w3.org/ns/dcat#contactPoint",
        "contact",
        "contatto",
    ),
    (
        "http://www.w3.org/ns/dcat#landingPage",
        "home page",
        "pagina iniziale",
    ),
    ("http://www.w3.org/ns/dcat#service", "service", "servizio"),
    (
        "http://www.w3.org/ns/dcat#accessService",
        "access service",
        "servizio di accesso",
    ),
    (
        "http://www.w3.org/ns/dcat#endpointURL",
        "endpoint",
        "endpoint",
    ),
    (
        "http://www.w3.org/ns/dcat#endpointDescription",
        "endpoint description",
        "descrizione dell'endpoint",
    ),
    ("http://www.w3.org/ns/dcat#servesDataset", "serves", "serve"),
    ("http://www.w3.org/ns/dcat#startDate", "start", "inizio"),
    ("http://www.w3.org/ns/dcat#endDate", "end", "fine"),
    (
        "http://spdx.org/rdf/terms#checksum",
        "checksum",
        "somma di controllo",
    ),
    ("http://spdx.org/rdf/terms#checksumValue", "value", "valore"),
    (
        "http://spdx.org/rdf/terms#algorithm",
        "algorithm",
        "algoritmo",
    ),
    ("http://xmlns.com/foaf/0.1/name", "name", "nome"),
    (
        "http://xmlns.com/foaf/0.1/homepage",
        "home page",
        "pagina iniziale",
    ),
    (
        "http://xmlns.com/foaf/0.1/primaryTopic",
        "describes",
        "descrive",
    ),
    ("http://rdfs.org/ns/void#triples", "triples", "triple"),
    ("http://rdfs.org/ns/void#entities", "entities", "entità"),
    ("http://rdfs.org/ns/void#classes", "classes", "classi"),
    (
        "http://rdfs.org/ns/void#properties",
        "properties",
        "proprietà",
    ),
    (
        "http://rdfs.org/ns/void#distinctSubjects",
        "distinct subjects",
        "soggetti distinti",
    ),
    (
        "http://rdfs.org/ns/void#distinctObjects",
        "distinct objects",
        "oggetti distinti",
    ),
    (
        "http://rdfs.org/ns/void#sparqlEndpoint",
        "SPARQL endpoint",
        "endpoint SPARQL",
    ),
    ("http://rdfs.org/ns/void#dataDump", "dump", "dump"),
    (
        "http://rdfs.org/ns/void#vocabulary",
        "vocabulary",
        "vocabolario",
    ),
    ("http://rdfs.org/ns/void#subset", "subset", "sottoinsieme"),
    (
        "http://rdfs.org/ns/void#exampleResource",
        "example",
        "esempio",
    ),
    (
        "http://rdfs.org/ns/void#uriSpace",
        "URI space",
        "spazio degli URI",
    ),
    (
        "http://rdfs.org/ns/void#rootResource",
        "root resource",
        "risorsa radice",
    ),
    (
        "http://rdfs.org/ns/void#feature",
        "feature",
        "caratteristica",
    ),
    (
        "http://www.w3.org/2004/02/skos/core#prefLabel",
        "name",
        "nome",
    ),
    (
        "http://www.w3.org/2004/02/skos/core#exactMatch",
        "same as",
        "equivale a",
    ),
    (
        "http://www.w3.org/2004/02/skos/core#closeMatch",
        "close to",
        "simile a",
    ),
    (
        "http://www.w3.org/2000/01/rdf-schema#label",
        "label",
        "etichetta",
    ),
    ("http://www.w3.org/2006/vcard/ns#fn", "name", "nome"),
    (
        "http://www.w3.org/2006/vcard/ns#hasEmail",
        "e-mail",
        "e-mail",
    ),
    (
        "http://www.w3.org/2006/vcard/ns#hasURL",
        "web site",
        "sito web",
    ),
];

/// Namespaces of the catalog's vocabularies the dataset's own prefixes do not cover.
const PREFIXES: &[(&str, &str)] = &[
    ("dcatapit", "http://dati.gov.it/onto/dcatapit#"),
    ("dcatap", "http://data.europa.eu/r5r/"),
    ("vcard", "http://www.w3.org/2006/vcard/ns#"),
    ("void", "http://rdfs.org/ns/void#"),
    ("spdx", "http://spdx.org/rdf/terms#"),
    ("sd", "http://www.w3.org/ns/sparql-service-description#"),
];

/// An IRI shortened with the dataset's prefixes and the catalog's.
fn compact(p: &Served, iri: &str) -> String {
    PREFIXES
        .iter()
        .find_map(|(prefix, ns)| {
            iri.strip_prefix(ns)
                .filter(|local| !local.is_empty())
                .map(|local| format!("{prefix}:{local}"))
        })
        .unwrap_or_else(|| view::compact(p, iri))
}

fn name_of(p: &Served, iri: &str, lang: Lang) -> String {
    NAMES.iter().find(|(i, _, _)| *i == iri).map_or_else(
        || compact(p, iri),
        |(_, en, it)| if lang == Lang::It { it } else { en }.to_string(),
    )
}

fn key(node: &NamedOrBlankNode) -> String {
    match node {
        NamedOrBlankNode::NamedNode(n) => n.as_str().to_owned(),
        NamedOrBlankNode::BlankNode(b) => format!("_:{}", b.as_str()),
    }
}

/// An `id` for a thing's section: its fragment, or `b-` and its blank node's label.
fn anchor(k: &str) -> String {
    if let Some(b) = k.strip_prefix("_:") {
        return format!("b-{b}");
    }
    let tail = k.rsplit(['#', '/']).next().unwrap_or(k);
    let tail: String = tail
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if tail.is_empty() {
        "top".to_owned()
    } else {
        tail
    }
}

/// The page of `triples` (the catalog's or VoID's); `first` is described first.
pub fn described_page(
    p: &Served,
    lang: Lang,
    triples: &[Triple],
    first: &str,
    void: bool,
) -> String {
    let t = text::text(lang);
    let mut by_subject: BTreeMap<String, BTreeMap<String, Vec<&Term>>> = BTreeMap::new();
    for tr in triples {
        by_subject
            .entry(key(&tr.subject))
            .or_default()
            .entry(tr.predicate.as_str().to_owned())
            .or_default()
            .push(&tr.object);
    }
    // a thing said to be no more than of a type gets no section: links go to it directly
    by_subject.retain(|_, props| {
        props
            .keys()
            .any(|prop| !prop.ends_with("22-rdf-syntax-ns#type"))
    });
    // anchors unique per subject
    let mut anchors: BTreeMap<String, String> = BTreeMap::new();
    for k in by_subject.keys() {
        let mut a = anchor(k);
        while anchors.values().any(|v| *v == a) {
            a.push('-');
        }
        anchors.insert(k.clone(), a);
    }
    let pick_text = |props: &BTreeMap<String, Vec<&Term>>| -> Option<String> {
        for prop in [
            "http://purl.org/dc/terms/title",
            "http://xmlns.com/foaf/0.1/name",
            "http://www.w3.org/2006/vcard/ns#fn",
            "http://www.w3.org/2004/02/skos/core#prefLabel",
            "http://www.w3.org/2000/01/rdf-schema#label",
        ] {
            let mut labels = view::Names::default();
            for o in props.get(prop).into_iter().flatten() {
                if let Term::Literal(l) = o {
                    labels.add(l.language().unwrap_or(""), l.value());
                }
            }
            if let Some(l) = labels.pick(lang) {
                return Some(l.to_owned());
            }
        }
        None
    };
    let headings: BTreeMap<String, String> = by_subject
        .iter()
        .map(|(k, props)| {
            (
                k.clone(),
                pick_text(props).unwrap_or_else(|| view::compact(p, k)),
            )
        })
        .collect();
    let value = |o: &Term| -> Value {
        match o {
            Term::NamedNode(n) => {
                if let Some(a) = anchors.get(n.as_str()) {
                    Value {
                        text: headings.get(n.as_str()).cloned().unwrap_or_default(),
                        href: Some(format!("#{a}")),
                        lang: None,
                        other_lang: false,
                    }
                } else {
                    Value {
                        text: n.as_str().to_owned(),
                        href: view::href(p, n.as_str()),
                        lang: None,
                        other_lang: false,
                    }
                }
            }
            Term::BlankNode(b) => {
                let k = format!("_:{}", b.as_str());
                Value {
                    text: headings.get(&k).cloned().unwrap_or_default(),
                    href: anchors.get(&k).map(|a| format!("#{a}")),
                    lang: None,
                    other_lang: false,
                }
            }
            Term::Literal(l) => {
                let shown = match l.value().parse::<u64>() {
                    Ok(n) if l.datatype().as_str().ends_with("nteger") => text::number(lang, n),
                    _ => l.value().to_owned(),
                };
                Value {
                    text: shown,
                    href: None,
                    lang: l.language().filter(|t| *t != lang.tag()).map(str::to_owned),
                    other_lang: false,
                }
            }
            // a quoted triple (RDF 1.2, when a dependency enables it): the catalog has none
            #[allow(unreachable_patterns)]
            other => Value {
                text: other.to_string(),
                href: None,
                lang: None,
                other_lang: false,
            },
        }
    };
    let mut order: Vec<&String> = by_subject.keys().collect();
    order.sort_by_key(|k| (k.as_str() != first, k.starts_with("_:"), (*k).clone()));
    let things = order
        .into_iter()
        .map(|k| {
            let props = &by_subject[k];
            let types = props
                .get("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
                .into_iter()
                .flatten()
                .map(|o| match o {
                    Term::NamedNode(n) => compact(p, n.as_str()),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(", ");
            let properties = props
                .iter()
                .filter(|(prop, _)| !prop.ends_with("22-rdf-syntax-ns#type"))
                .map(|(prop, objects)| {
                    // literals in the page's language (and untagged); the other language's
                    // only where the page's has none, marked as such
                    let tagged = |want: &str| {
                        objects
                            .iter()
                            .any(|o| matches!(o, Term::Literal(l) if l.language() == Some(want)))
                    };
                    let has_own = tagged(lang.tag());
                    let values = objects
                        .iter()
                        .filter(|o| match o {
                            Term::Literal(l) => match l.language() {
                                None => true,
                                Some(tag) => tag == lang.tag() || !has_own,
                            },
                            _ => true,
                        })
                        .map(|o| {
                            let mut v = value(o);
                            v.other_lang = v.lang.is_some() && !has_own;
                            v
                        })
                        .collect();
                    Property {
                        label: name_of(p, prop, lang),
                        iri: prop.clone(),
                        values,
                    }
                })
                .collect();
            Thing {
                id: anchors[k].clone(),
                heading: headings[k].clone(),
                types,
                properties,
            }
        })
        .collect();
    let (heading, intro, path, active) = if void {
        (t.void_title, t.void_intro, "/.well-known/void", "")
    } else {
        (t.catalog_title, t.catalog_intro, "/catalog", "catalog")
    };
    render(&DescribedPage {
        chrome: Chrome::new(Some(p), lang, heading, active, true),
        heading: heading.to_owned(),
        intro,
        path,
        things,
    })
}
