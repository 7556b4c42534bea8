//! Catalog metadata over HTTP: the DCAT-AP catalog, VoID, the SPARQL service description, the
//! ontology and the JSON-LD context, read back with Oxigraph's parsers.

use crate::serve::{TestServer, get, header};
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfParser};
use oxrdf::dataset::CanonicalizationAlgorithm;
use oxrdf::vocab::rdf;
use oxrdf::{Graph, NamedNode, NamedNodeRef, NamedOrBlankNode, TermRef};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::sync::OnceLock;

const DCAT: &str = "http://www.w3.org/ns/dcat#";
const DCT: &str = "http://purl.org/dc/terms/";
const SPDX: &str = "http://spdx.org/rdf/terms#";
const VOID: &str = "http://rdfs.org/ns/void#";
const SD: &str = "http://www.w3.org/ns/sparql-service-description#";
const DCATAPIT: &str = "http://dati.gov.it/onto/dcatapit#";
const VCARD: &str = "http://www.w3.org/2006/vcard/ns#";

/// One server for every test of this module.
fn server() -> &'static TestServer {
    static SERVER: OnceLock<TestServer> = OnceLock::new();
    SERVER.get_or_init(TestServer::start)
}

fn iri(ns: &str, local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{ns}{local}"))
}

fn format_of(media_type: &str) -> RdfFormat {
    match media_type {
        "text/turtle" => RdfFormat::Turtle,
        "application/rdf+xml" => RdfFormat::RdfXml,
        "application/ld+json" => RdfFormat::JsonLd {
            profile: JsonLdProfileSet::empty(),
        },
        "application/n-triples" => RdfFormat::NTriples,
        other => panic!("no parser for {other}"),
    }
}

/// GETs `path` as `media_type`, checks the response and parses it.
fn fetch_graph(path: &str, media_type: &str) -> Graph {
    let s = server();
    let (status, headers, body) = s.block_on(get(&s.at(path), &[("Accept", media_type)]));
    assert_eq!(status, 200, "GET {path} as {media_type}");
    assert!(
        header(&headers, "content-type").starts_with(media_type),
        "GET {path} as {media_type}: {}",
        header(&headers, "content-type")
    );
    assert!(
        header(&headers, "vary").contains("Accept"),
        "GET {path}: no Vary: Accept"
    );
    RdfParser::from_format(format_of(media_type))
        .for_slice(&body)
        .map(|q| q.map(oxrdf::Triple::from))
        .collect::<Result<Graph, _>>()
        .unwrap_or_else(|e| panic!("GET {path} as {media_type} does not parse: {e}"))
}

fn canonical(mut g: Graph) -> Graph {
    g.canonicalize(CanonicalizationAlgorithm::Unstable);
    g
}

fn object<'a, 'b>(
    g: &'a Graph,
    s: impl Into<oxrdf::NamedOrBlankNodeRef<'b>>,
    p: &'b NamedNode,
) -> Option<TermRef<'a>> {
    g.object_for_subject_predicate(s, p)
}

fn named(t: TermRef<'_>) -> NamedNode {
    match t {
        TermRef::NamedNode(n) => n.into_owned(),
        other => panic!("not an IRI: {other}"),
    }
}

fn value(t: Option<TermRef<'_>>) -> String {
    match t {
        Some(TermRef::Literal(l)) => l.value().to_owned(),
        other => panic!("not a literal: {other:?}"),
    }
}

fn is_a(g: &Graph, s: NamedNodeRef<'_>, class: &NamedNode) -> bool {
    g.contains(oxrdf::TripleRef::new(s, rdf::TYPE, class))
}

#[test]
fn catalog_turtle_rdfxml_jsonld_and_ntriples_are_isomorphic() {
    let turtle = fetch_graph("catalog", "text/turtle");
    assert!(turtle.len() > 100, "{} triples", turtle.len());
    assert!(
        turtle.iter().all(
            |t| matches!(t.subject, oxrdf::NamedOrBlankNodeRef::NamedNode(_))
                && !matches!(t.object, TermRef::BlankNode(_))
        ),
        "the catalog has blank nodes"
    );
    let expected = canonical(turtle);
    for media_type in [
        "application/rdf+xml",
        "application/ld+json",
        "application/n-triples",
    ] {
        assert_eq!(
            canonical(fetch_graph("catalog", media_type)),
            expected,
            "{media_type} differs from Turtle"
        );
    }
}

#[test]
fn catalog_describes_the_dataset_as_dcat_ap_it_asks() {
    let s = server();
    let g = fetch_graph("catalog", "text/turtle");
    let catalog = NamedNode::new_unchecked(s.at("catalog"));
    let dataset = NamedNode::new_unchecked(s.at("catalog#dataset"));
    assert!(is_a(&g, catalog.as_ref(), &iri(DCAT, "Catalog")));
    assert!(is_a(&g, catalog.as_ref(), &iri(DCATAPIT, "Catalog")));
    assert!(is_a(&g, dataset.as_ref(), &iri(DCAT, "Dataset")));
    assert!(is_a(&g, dataset.as_ref(), &iri(DCATAPIT, "Dataset")));
    assert_eq!(
        object(&g, &catalog, &iri(DCAT, "dataset")),
        Some(dataset.as_ref().into())
    );
    for p in [
        "identifier",
        "modified",
        "rightsHolder",
        "accrualPeriodicity",
        "publisher",
        "title",
        "description",
    ] {
        assert!(
            object(&g, &dataset, &iri(DCT, p)).is_some(),
            "the dataset has no dct:{p}"
        );
    }
    let theme = named(object(&g, &dataset, &iri(DCAT, "theme")).expect("a theme"));
    assert!(
        theme
            .as_str()
            .starts_with("http://publications.europa.eu/resource/authority/data-theme/")
    );
    let publisher = named(object(&g, &dataset, &iri(DCT, "publisher")).expect("publisher"));
    assert!(is_a(
        &g,
        publisher.as_ref(),
        &iri("http://xmlns.com/foaf/0.1/", "Agent")
    ));
    assert!(is_a(&g, publisher.as_ref(), &iri(DCATAPIT, "Agent")));
    let contact = named(object(&g, &dataset, &iri(DCAT, "contactPoint")).expect("contact point"));
    assert!(is_a(&g, contact.as_ref(), &iri(VCARD, "Kind")));
    assert!(!value(object(&g, &contact, &iri(VCARD, "fn"))).is_empty());
    let email = named(object(&g, &contact, &iri(VCARD, "hasEmail")).expect("e-mail"));
    assert!(email.as_str().starts_with("mailto:"), "{email}");
    let licence = named(object(&g, &catalog, &iri(DCT, "license")).expect("licence"));
    assert_eq!(
        licence.as_str(),
        "https://creativecommons.org/licenses/by/4.0/"
    );
    assert!(is_a(&g, licence.as_ref(), &iri(DCT, "LicenseDocument")));
    let modified = object(&g, &dataset, &iri(DCT, "modified")).expect("modified");
    let TermRef::Literal(modified) = modified else {
        panic!("{modified}")
    };
    assert_eq!(modified.datatype(), oxrdf::vocab::xsd::DATE_TIME);
}

/// The literals of `s p`, as `value@lang` (`value` without a language).
fn literals(g: &Graph, s: &NamedNode, p: &NamedNode) -> Vec<String> {
    let mut out: Vec<String> = g
        .objects_for_subject_predicate(s, p)
        .map(|o| match o {
            TermRef::Literal(l) => match l.language() {
                Some(lang) => format!("{}@{lang}", l.value()),
                None => l.value().to_owned(),
            },
            other => panic!("not a literal: {other}"),
        })
        .collect();
    out.sort();
    out
}

/// The IRIs of `s p`, sorted.
fn iris(g: &Graph, s: &NamedNode, p: &NamedNode) -> Vec<String> {
    let mut out: Vec<String> = g
        .objects_for_subject_predicate(s, p)
        .map(|o| named(o).into_string())
        .collect();
    out.sort();
    out
}

#[test]
fn the_licence_is_described_for_ckan_and_dati_gov_it_registers() {
    let s = server();
    let g = fetch_graph("catalog", "text/turtle");
    let licence = NamedNode::new_unchecked("https://creativecommons.org/licenses/by/4.0/");
    let dataset = NamedNode::new_unchecked(s.at("catalog#dataset"));
    // every distribution carries it (harvesters take the licence from there)
    let distributions = iris(&g, &dataset, &iri(DCAT, "distribution"));
    assert_eq!(distributions.len(), 10);
    for d in &distributions {
        let d = NamedNode::new_unchecked(d.as_str());
        assert_eq!(
            iris(&g, &d, &iri(DCT, "license")),
            [licence.as_str()],
            "{d}"
        );
    }
    assert!(is_a(&g, licence.as_ref(), &iri(DCT, "LicenseDocument")));
    assert_eq!(
        iris(&g, &licence, &iri(DCT, "type")),
        ["http://purl.org/adms/licencetype/Attribution"]
    );
    // CKAN's default register titles CC BY "Creative Commons Attribution"; the Italian
    // controlled vocabulary names A.2.1 in Italian
    assert_eq!(
        literals(&g, &licence, &iri(DCT, "title")),
        [
            "Creative Commons Attribution@en",
            "Creative Commons Attribuzione 4.0 Internazionale (CC BY 4.0)@it",
        ]
    );
    assert_eq!(
        literals(&g, &licence, &iri("http://xmlns.com/foaf/0.1/", "name")),
        [
            "Creative Commons Attribution 4.0 International (CC BY 4.0)@en",
            "Creative Commons Attribuzione 4.0 Internazionale (CC BY 4.0)@it",
        ]
    );
    let skos = "http://www.w3.org/2004/02/skos/core#";
    assert_eq!(
        iris(&g, &licence, &iri(skos, "exactMatch")),
        [
            "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0",
            "https://w3id.org/italia/controlled-vocabulary/licences/A21_CCBY40",
        ]
    );
    assert_eq!(
        iris(&g, &licence, &iri(skos, "closeMatch")),
        ["http://www.opendefinition.org/licenses/cc-by"]
    );
}

#[test]
fn another_licence_is_configured_in_reti_toml() {
    let config: reti::config::Config = toml::from_str(
        r#"
licence = "https://example.org/licence/1.0"
licence_name = "Example Licence 1.0"
licence_name_it = "Licenza d'esempio 1.0"
licence_title = "Example Licence"
licence_type = "http://purl.org/adms/licencetype/PublicDomain"
licence_same_as = ["https://w3id.org/italia/controlled-vocabulary/licences/A1_PublicDomain"]
"#,
    )
    .expect("reti.toml");
    let s = TestServer::with(reti::server::Settings::default(), |o| o.config = config);
    let (status, _, body) = s.block_on(get(&s.at("catalog"), &[("Accept", "text/turtle")]));
    assert_eq!(status, 200);
    let g: Graph = RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(&body)
        .map(|q| q.map(oxrdf::Triple::from))
        .collect::<Result<Graph, _>>()
        .expect("turtle");
    let licence = NamedNode::new_unchecked("https://example.org/licence/1.0");
    let catalog = NamedNode::new_unchecked(s.at("catalog"));
    assert_eq!(iris(&g, &catalog, &iri(DCT, "license")), [licence.as_str()]);
    assert_eq!(
        literals(&g, &licence, &iri(DCT, "title")),
        ["Example Licence@en", "Licenza d'esempio 1.0@it"]
    );
    assert_eq!(
        literals(&g, &licence, &iri("http://xmlns.com/foaf/0.1/", "name")),
        ["Example Licence 1.0@en", "Licenza d'esempio 1.0@it"]
    );
    let skos = "http://www.w3.org/2004/02/skos/core#";
    assert_eq!(
        iris(&g, &licence, &iri(skos, "exactMatch")),
        ["https://w3id.org/italia/controlled-vocabulary/licences/A1_PublicDomain"]
    );
    assert!(iris(&g, &licence, &iri(skos, "closeMatch")).is_empty());
    assert_eq!(
        iris(&g, &licence, &iri(DCT, "type")),
        ["http://purl.org/adms/licencetype/PublicDomain"]
    );
}

#[test]
fn dcat_ap_it_reads_its_own_terms() {
    let s = server();
    let g = fetch_graph("catalog", "application/rdf+xml");
    let dataset = NamedNode::new_unchecked(s.at("catalog#dataset"));
    // identifier: {IPA code}:{local identifier}
    assert_eq!(
        literals(&g, &dataset, &iri(DCT, "identifier")),
        ["reti:reti-city-networks"]
    );
    // the rights holder, with its IPA code
    let holder =
        NamedNode::new_unchecked(iris(&g, &dataset, &iri(DCT, "rightsHolder"))[0].as_str());
    assert!(is_a(&g, holder.as_ref(), &iri(DCATAPIT, "Agent")));
    assert_eq!(literals(&g, &holder, &iri(DCT, "identifier")), ["reti"]);
    // temporal coverage in DCAT's terms and in schema.org's, which dcatapit reads
    let period = NamedNode::new_unchecked(iris(&g, &dataset, &iri(DCT, "temporal"))[0].as_str());
    // the shipped data's dates run from 1986 to 2025
    let start = literals(&g, &period, &iri(DCAT, "startDate"));
    let end = literals(&g, &period, &iri(DCAT, "endDate"));
    assert_eq!(
        (start.as_slice(), end.as_slice()),
        (&["1986".to_owned()][..], &["2025".to_owned()][..])
    );
    assert_eq!(
        literals(&g, &period, &iri("http://schema.org/", "startDate")),
        [format!("{}-01-01", start[0])]
    );
    assert_eq!(
        literals(&g, &period, &iri("http://schema.org/", "endDate")),
        [format!("{}-12-31", end[0])]
    );
    // the spatial coverage's identifier, the only place dcatapit looks
    let spatial = NamedNode::new_unchecked(iris(&g, &dataset, &iri(DCT, "spatial"))[0].as_str());
    assert_eq!(
        literals(&g, &spatial, &iri(DCATAPIT, "geographicalIdentifier")),
        ["http://publications.europa.eu/resource/authority/country/ITA"]
    );
    // keywords once each: one spelt alike in both languages has no language
    let keywords = literals(&g, &dataset, &iri(DCAT, "keyword"));
    assert_eq!(
        keywords,
        [
            "Città creative UNESCO@it",
            "Eurocities",
            "UNESCO Creative Cities@en",
            "city networks@en",
            "cultura@it",
            "culture@en",
            "reti di città@it",
        ]
    );
    // media types and formats are labelled
    let dist = NamedNode::new_unchecked(s.at("catalog#distribution-ttl"));
    let media = NamedNode::new_unchecked(iris(&g, &dist, &iri(DCAT, "mediaType"))[0].as_str());
    assert_eq!(
        literals(
            &g,
            &media,
            &iri("http://www.w3.org/2000/01/rdf-schema#", "label")
        ),
        ["text/turtle"]
    );
    let format = NamedNode::new_unchecked(iris(&g, &dist, &iri(DCT, "format"))[0].as_str());
    assert_eq!(
        literals(
            &g,
            &format,
            &iri("http://www.w3.org/2004/02/skos/core#", "prefLabel")
        ),
        ["Turtle@en"]
    );
}

#[test]
fn distributions_state_the_size_and_checksum_of_each_dump() {
    let s = server();
    let g = fetch_graph("catalog", "text/turtle");
    let download = iri(DCAT, "downloadURL");
    let mut names = Vec::new();
    for t in g.triples_for_predicate(&download) {
        let NamedOrBlankNode::NamedNode(dist) = t.subject.into_owned() else {
            panic!()
        };
        let url = named(t.object);
        let path = url
            .as_str()
            .strip_prefix(s.url.as_str())
            .expect("under the base");
        let (status, headers, body) = s.block_on(get(&s.at(path), &[]));
        assert_eq!(status, 200, "{url}");
        let size: usize = value(object(&g, &dist, &iri(DCAT, "byteSize")))
            .parse()
            .expect("byteSize");
        assert_eq!(size, body.len(), "byteSize of {url}");
        let checksum = named(object(&g, &dist, &iri(SPDX, "checksum")).expect("checksum"));
        assert!(is_a(&g, checksum.as_ref(), &iri(SPDX, "Checksum")));
        assert_eq!(
            object(&g, &checksum, &iri(SPDX, "algorithm")),
            Some(iri(SPDX, "checksumAlgorithm_sha256").as_ref().into())
        );
        let TermRef::Literal(digest) =
            object(&g, &checksum, &iri(SPDX, "checksumValue")).expect("value")
        else {
            panic!()
        };
        assert_eq!(digest.datatype(), oxrdf::vocab::xsd::HEX_BINARY);
        assert_eq!(
            digest.value(),
            reti::support::digest::hex(&Sha256::digest(&body)),
            "checksum of {url}"
        );
        let media = named(object(&g, &dist, &iri(DCAT, "mediaType")).expect("mediaType"));
        let served = header(&headers, "content-type");
        let served = served.split(';').next().unwrap_or("");
        // a .gz dump is served as application/gzip, its content's media type beside it
        let compress = object(&g, &dist, &iri(DCAT, "compressFormat")).map(named);
        let content = if let Some(plain) = path.strip_suffix(".gz") {
            assert_eq!(served, "application/gzip");
            assert_eq!(
                compress.as_ref().map(NamedNode::as_str),
                Some("http://www.iana.org/assignments/media-types/application/gzip")
            );
            let (_, plain_headers, _) = s.block_on(get(&s.at(plain), &[]));
            let ct = header(&plain_headers, "content-type");
            ct.split(';').next().unwrap_or("").to_owned()
        } else {
            assert_eq!(compress, None, "{path}");
            served.to_owned()
        };
        assert_eq!(
            media.as_str(),
            format!("http://www.iana.org/assignments/media-types/{content}")
        );
        let format = named(object(&g, &dist, &iri(DCT, "format")).expect("format"));
        assert!(
            format
                .as_str()
                .starts_with("http://publications.europa.eu/resource/authority/file-type/")
        );
        names.push(path.to_owned());
    }
    names.sort();
    assert_eq!(
        names,
        [
            "dumps/reti.jsonld",
            "dumps/reti.nq",
            "dumps/reti.nq.gz",
            "dumps/reti.nt",
            "dumps/reti.nt.gz",
            "dumps/reti.rdf",
            "dumps/reti.trig",
            "dumps/reti.ttl",
            "dumps/reti.ttl.gz"
        ]
    );
}

#[test]
fn the_data_service_endpoint_answers_sparql() {
    let s = server();
    let g = fetch_graph("catalog", "text/turtle");
    let service = NamedNode::new_unchecked(s.at("sparql#service"));
    assert!(is_a(&g, service.as_ref(), &iri(DCAT, "DataService")));
    let served: Vec<_> = g
        .subjects_for_predicate_object(&iri(DCAT, "accessService"), &service)
        .collect();
    assert_eq!(served.len(), 1, "one distribution through the service");
    assert_eq!(
        object(&g, &service, &iri(DCAT, "servesDataset")),
        Some(
            NamedNode::new_unchecked(s.at("catalog#dataset"))
                .as_ref()
                .into()
        )
    );
    let endpoint = named(object(&g, &service, &iri(DCAT, "endpointURL")).expect("endpoint"));
    assert_eq!(endpoint.as_str(), s.at("sparql"));
    let url = format!(
        "{}?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D",
        endpoint.as_str()
    );
    let (status, _, body) = s.block_on(get(&url, &[("Accept", "application/sparql-results+json")]));
    assert_eq!(status, 200);
    let json: serde_json::Value = serde_json::from_slice(&body).expect("JSON results");
    assert_eq!(json["boolean"], true);
}

#[test]
fn void_counts_the_triples_of_the_ntriples_dump() {
    let s = server();
    let void = fetch_graph(".well-known/void", "text/turtle");
    let dataset = NamedNode::new_unchecked(s.at("catalog#dataset"));
    assert!(is_a(&void, dataset.as_ref(), &iri(VOID, "Dataset")));
    let stated: usize = value(object(&void, &dataset, &iri(VOID, "triples")))
        .parse()
        .expect("count");
    let (_, _, nt) = s.block_on(get(&s.at("dumps/reti.nt"), &[]));
    let triples: HashSet<oxrdf::Triple> = RdfParser::from_format(RdfFormat::NTriples)
        .for_slice(&nt)
        .map(|q| q.map(oxrdf::Triple::from))
        .collect::<Result<_, _>>()
        .expect("N-Triples dump parses");
    assert_eq!(stated, triples.len());
    assert_eq!(
        object(&void, &dataset, &iri(VOID, "sparqlEndpoint")),
        Some(NamedNode::new_unchecked(s.at("sparql")).as_ref().into())
    );
    assert_eq!(
        void.objects_for_subject_predicate(&dataset, &iri(VOID, "dataDump"))
            .count(),
        9,
        "six dumps and three of them compressed"
    );
    let summary = s.state.current().dataset.summary().clone();
    let subsets: Vec<NamedNode> = void
        .objects_for_subject_predicate(&dataset, &iri(VOID, "subset"))
        .map(named)
        .collect();
    assert_eq!(subsets.len(), summary.graphs.len());
    for subset in subsets {
        let n: usize = value(object(&void, &subset, &iri(VOID, "triples")))
            .parse()
            .expect("count");
        assert_eq!(Some(&n), summary.graphs.get(subset.as_str()), "{subset}");
    }
    for example in [
        "id/network/uccn",
        "id/place/turin",
        "id/membership/uccn-turin",
    ] {
        let resource = NamedNode::new_unchecked(s.at(example));
        assert!(void.contains(oxrdf::TripleRef::new(
            &dataset,
            &iri(VOID, "exampleResource"),
            &resource
        )));
    }
}

#[test]
fn catalog_and_void_revalidate_and_refuse_what_they_cannot_serve() {
    let s = server();
    for path in ["catalog", ".well-known/void"] {
        let (status, headers, _) = s.block_on(get(&s.at(path), &[("Accept", "text/turtle")]));
        assert_eq!(status, 200);
        let etag = header(&headers, "etag");
        assert!(!etag.is_empty(), "{path}: no ETag");
        assert!(
            !header(&headers, "last-modified").is_empty(),
            "{path}: no Last-Modified"
        );
        let (status, _, body) = s.block_on(get(
            &s.at(path),
            &[("Accept", "text/turtle"), ("If-None-Match", &etag)],
        ));
        assert_eq!(status, 304, "{path}");
        assert!(body.is_empty());
        let (status, headers, _) = s.block_on(get(
            &s.at(path),
            &[("Accept", "application/ld+json"), ("If-None-Match", &etag)],
        ));
        assert_eq!(
            status, 200,
            "{path}: another representation has another ETag"
        );
        assert_ne!(header(&headers, "etag"), etag);
        let (status, headers, _) = s.block_on(get(&s.at(path), &[("Accept", "image/png")]));
        assert_eq!(status, 406, "{path}");
        assert!(header(&headers, "vary").contains("Accept"));
    }
}

#[test]
fn sparql_without_a_query_describes_the_service_to_rdf_clients() {
    let s = server();
    let g = fetch_graph("sparql", "text/turtle");
    let service = NamedNode::new_unchecked(s.at("sparql#service"));
    assert!(is_a(&g, service.as_ref(), &iri(SD, "Service")));
    assert_eq!(
        object(&g, &service, &iri(SD, "endpoint")),
        Some(NamedNode::new_unchecked(s.at("sparql")).as_ref().into())
    );
    let has = |p: &str, o: NamedNode| g.contains(oxrdf::TripleRef::new(&service, &iri(SD, p), &o));
    assert!(has("supportedLanguage", iri(SD, "SPARQL11Query")));
    assert!(has("feature", iri(SD, "UnionDefaultGraph")));
    for f in [
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "RDF_XML",
        "JSON-LD",
    ] {
        assert!(
            has("resultFormat", iri("http://www.w3.org/ns/formats/", f)),
            "{f}"
        );
    }
    let dataset = named(object(&g, &service, &iri(SD, "defaultDataset")).expect("default dataset"));
    let default_graph =
        named(object(&g, &dataset, &iri(SD, "defaultGraph")).expect("default graph"));
    let summary = s.state.current().dataset.summary().clone();
    assert_eq!(
        value(object(&g, &default_graph, &iri(VOID, "triples"))),
        summary.triples.to_string()
    );
    let names: HashSet<String> = g
        .objects_for_subject_predicate(&dataset, &iri(SD, "namedGraph"))
        .map(|n| {
            let TermRef::NamedNode(n) = n else { panic!() };
            named(object(&g, n, &iri(SD, "name")).expect("sd:name"))
                .as_str()
                .to_owned()
        })
        .collect();
    assert_eq!(names, summary.graphs.keys().cloned().collect());
}

#[test]
fn ontology_negotiates_turtle_and_json_ld() {
    let turtle = fetch_graph("ontology", "text/turtle");
    let network = NamedNode::new_unchecked("https://w3id.org/reti/ontology#Network");
    assert!(is_a(
        &turtle,
        network.as_ref(),
        &iri("http://www.w3.org/2002/07/owl#", "Class")
    ));
    let s = server();
    let (_, _, body) = s.block_on(get(&s.at("ontology"), &[("Accept", "text/turtle")]));
    assert_eq!(
        body,
        reti::rdf::ONTOLOGY_TTL.as_bytes(),
        "the Turtle is the ontology file"
    );
    let json_ld = fetch_graph("ontology", "application/ld+json");
    assert_eq!(canonical(json_ld), canonical(turtle));
    for media_type in ["application/rdf+xml", "application/n-triples"] {
        assert!(!fetch_graph("ontology", media_type).is_empty());
    }
    let (status, headers, _) = s.block_on(get(&s.at("ontology"), &[("Accept", "text/html")]));
    assert_eq!(status, 200);
    assert!(header(&headers, "content-type").starts_with("text/html"));
}

#[test]
fn context_jsonld_is_the_context_of_the_dumps() {
    let s = server();
    let (status, headers, body) = s.block_on(get(&s.at("context.jsonld"), &[]));
    assert_eq!(status, 200);
    assert!(header(&headers, "content-type").starts_with("application/ld+json"));
    assert!(!header(&headers, "etag").is_empty());
    let json: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
    let context = json["@context"].as_object().expect("an @context object");
    assert_eq!(context["reti"], "https://w3id.org/reti/ontology#");
    assert_eq!(context["place"], format!("{}id/place/", s.url));
}

#[test]
fn the_example_reti_toml_is_valid_and_documents_every_key() {
    // the publisher edits its values (the description, when a network is added): what must
    // hold is that it loads and that it shows every key there is, set or commented out
    let text = std::fs::read_to_string(crate::root().join("reti.toml")).expect("reti.toml");
    reti::config::Config::load(&crate::root().join("reti.toml")).expect("reti.toml is valid");
    // serde lists the keys it knows when it meets one it does not
    let keys = |toml: &str| -> Vec<String> {
        let e = toml::from_str::<reti::config::Config>(toml).expect_err("unknown key");
        let message = e.message().to_owned();
        // "expected one of `a`, `b`, `c`", or "expected `a` or `b`"
        let expected = message.split_once(", expected ").expect("keys").1;
        expected
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect()
    };
    let mut missing = Vec::new();
    for (table, keys) in [
        ("", keys("no_such_key = 1")),
        (
            "publisher",
            keys("[publisher]\nname = \"x\"\nno_such_key = 1"),
        ),
        ("contact", keys("[contact]\nno_such_key = 1")),
        (
            "spatial_geometry",
            keys("[[spatial_geometry]]\nno_such_key = 1"),
        ),
    ] {
        assert!(keys.len() > 1, "{table}: {keys:?}");
        for key in keys {
            let documented = text.lines().any(|l| {
                let l = l.trim_start_matches(['#', ' ']);
                l.starts_with(&format!("{key} ="))
                    || l.starts_with(&format!("[{key}]"))
                    || l.starts_with(&format!("[[{key}]]"))
            });
            if !documented {
                missing.push(format!("{table}.{key}"));
            }
        }
    }
    assert!(missing.is_empty(), "reti.toml does not show {missing:?}");
}

/// The catalog's documents are made once per build, not per request: every request of a build
/// reads the same ones.
#[test]
fn the_catalog_documents_are_made_once_per_build() {
    let options = reti::publication::BuildOptions::new(
        crate::fixture().join("data"),
        crate::fixture().join("queries"),
        reti::config::Config::default(),
        reti::rdf::Base::new("http://example.org/").expect("base"),
    );
    let publication = reti::publication::Publication::build(&options).expect("build");
    let first = publication.catalog();
    assert!(std::ptr::eq(first, publication.catalog()));
    assert!(!first.catalog.is_empty() && !first.void.is_empty());
    assert!(!first.service_description.is_empty());
    // the graph reti publish sends is the two documents together
    let graph = first.catalog_graph();
    assert!(
        first
            .catalog
            .iter()
            .chain(&first.void)
            .all(|t| graph.contains(t))
    );
}
