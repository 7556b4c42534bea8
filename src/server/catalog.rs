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

use super::negotiate::{self, Lang, Repr};
use super::{AppState, Published, cacheable, plain_error, vary_accept};
use crate::backend::{Backend, BackendError, Sparql};
use crate::dataset::{DATE_TYPES, Profile, widen_years, year_of};
use crate::export::{self, Format};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{Literal, NamedNode, NamedNodeRef, Term, Triple};
use oxigraph::sparql::QueryResults;
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::SystemTime;

/// The vocabulary terms of catalog metadata.
#[allow(dead_code)]
mod ns {
    /// DCAT 3.
    pub mod dcat {
        crate::vocab::terms!("http://www.w3.org/ns/dcat#";
            CATALOG = "Catalog", DATASET_CLASS = "Dataset", DISTRIBUTION_CLASS = "Distribution",
            DATA_SERVICE = "DataService", DATASET = "dataset", SERVICE = "service",
            DISTRIBUTION = "distribution", DOWNLOAD_URL = "downloadURL", ACCESS_URL = "accessURL",
            ACCESS_SERVICE = "accessService", MEDIA_TYPE = "mediaType", BYTE_SIZE = "byteSize",
            THEME = "theme", THEME_TAXONOMY = "themeTaxonomy", KEYWORD = "keyword",
            CONTACT_POINT = "contactPoint", ENDPOINT_URL = "endpointURL",
            ENDPOINT_DESCRIPTION = "endpointDescription", SERVES_DATASET = "servesDataset",
            LANDING_PAGE = "landingPage", START_DATE = "startDate", END_DATE = "endDate",
            BBOX = "bbox", CENTROID = "centroid", COMPRESS_FORMAT = "compressFormat",
        );
    }
    /// DCMI terms.
    pub mod dct {
        crate::vocab::terms!("http://purl.org/dc/terms/";
            TITLE = "title", DESCRIPTION = "description", IDENTIFIER = "identifier",
            ISSUED = "issued", MODIFIED = "modified", PUBLISHER = "publisher",
            RIGHTS_HOLDER = "rightsHolder", LICENSE = "license", LANGUAGE = "language",
            SPATIAL = "spatial", TEMPORAL = "temporal", ACCRUAL_PERIODICITY = "accrualPeriodicity",
            FORMAT = "format", CONFORMS_TO = "conformsTo", TYPE = "type",
            ACCESS_RIGHTS = "accessRights", LICENSE_DOCUMENT = "LicenseDocument",
            LOCATION = "Location", PERIOD_OF_TIME = "PeriodOfTime", FREQUENCY = "Frequency",
            LINGUISTIC_SYSTEM = "LinguisticSystem", MEDIA_TYPE = "MediaType",
            MEDIA_TYPE_OR_EXTENT = "MediaTypeOrExtent", STANDARD = "Standard",
            RIGHTS_STATEMENT = "RightsStatement",
        );
    }
    /// FOAF.
    pub mod foaf {
        crate::vocab::terms!("http://xmlns.com/foaf/0.1/";
            AGENT = "Agent", DOCUMENT = "Document", NAME = "name", HOMEPAGE = "homepage",
            PAGE = "page", PRIMARY_TOPIC = "primaryTopic",
        );
    }
    /// vCard.
    pub mod vcard {
        crate::vocab::terms!("http://www.w3.org/2006/vcard/ns#";
            ORGANIZATION = "Organization", KIND = "Kind", FN = "fn", HAS_EMAIL = "hasEmail",
        );
    }
    /// SPDX (checksums).
    pub mod spdx {
        crate::vocab::terms!("http://spdx.org/rdf/terms#";
            CHECKSUM_CLASS = "Checksum", CHECKSUM = "checksum", ALGORITHM = "algorithm",
            CHECKSUM_VALUE = "checksumValue", SHA256 = "checksumAlgorithm_sha256",
        );
    }
    /// DCAT-AP's own terms.
    pub mod dcatap {
        crate::vocab::terms!("http://data.europa.eu/r5r/"; AVAILABILITY = "availability");
    }
    /// DCAT-AP_IT.
    pub mod dcatapit {
        crate::vocab::terms!("http://dati.gov.it/onto/dcatapit#";
            CATALOG = "Catalog", DATASET = "Dataset", DISTRIBUTION = "Distribution",
            AGENT = "Agent", ORGANIZATION = "Organization",
            GEOGRAPHICAL_IDENTIFIER = "geographicalIdentifier",
        );
    }
    /// schema.org under `http://`, as DCAT-AP_IT and its harvesters spell it for the temporal
    /// coverage (the data itself uses `https://schema.org/`).
    pub mod schema_http {
        crate::vocab::terms!("http://schema.org/"; START_DATE = "startDate", END_DATE = "endDate");
    }
    /// RDF Schema.
    pub mod rdfs {
        crate::vocab::terms!("http://www.w3.org/2000/01/rdf-schema#"; LABEL = "label");
    }
    /// SKOS.
    pub mod skos {
        crate::vocab::terms!("http://www.w3.org/2004/02/skos/core#";
            CONCEPT = "Concept", CONCEPT_SCHEME = "ConceptScheme", PREF_LABEL = "prefLabel",
            IN_SCHEME = "inScheme", EXACT_MATCH = "exactMatch", CLOSE_MATCH = "closeMatch",
        );
    }
    /// VoID.
    pub mod void {
        crate::vocab::terms!("http://rdfs.org/ns/void#";
            DATASET = "Dataset", DATASET_DESCRIPTION = "DatasetDescription",
            SPARQL_ENDPOINT = "sparqlEndpoint", DATA_DUMP = "dataDump", TRIPLES = "triples",
            ENTITIES = "entities", DISTINCT_SUBJECTS = "distinctSubjects",
            DISTINCT_OBJECTS = "distinctObjects", PROPERTIES = "properties", CLASSES = "classes",
            VOCABULARY = "vocabulary", URI_SPACE = "uriSpace",
            EXAMPLE_RESOURCE = "exampleResource", SUBSET = "subset", FEATURE = "feature",
        );
    }
    /// SPARQL 1.1 Service Description.
    pub mod sd {
        crate::vocab::terms!("http://www.w3.org/ns/sparql-service-description#";
            SERVICE = "Service", ENDPOINT = "endpoint", SUPPORTED_LANGUAGE = "supportedLanguage",
            SPARQL11_QUERY = "SPARQL11Query", RESULT_FORMAT = "resultFormat", FEATURE = "feature",
            UNION_DEFAULT_GRAPH = "UnionDefaultGraph",
            DEFAULT_ENTAILMENT_REGIME = "defaultEntailmentRegime",
            DEFAULT_DATASET = "defaultDataset", DATASET = "Dataset", DEFAULT_GRAPH = "defaultGraph",
            GRAPH_CLASS = "Graph", NAMED_GRAPH = "namedGraph", NAMED_GRAPH_CLASS = "NamedGraph",
            NAME = "name", GRAPH = "graph",
        );
    }
    /// W3C format IRIs.
    pub mod formats {
        crate::vocab::terms!("http://www.w3.org/ns/formats/";
            TURTLE = "Turtle", TRIG = "TriG", N_TRIPLES = "N-Triples", N_QUADS = "N-Quads",
            JSON_LD = "JSON-LD", RDF_XML = "RDF_XML", RESULTS_JSON = "SPARQL_Results_JSON",
            RESULTS_XML = "SPARQL_Results_XML", RESULTS_CSV = "SPARQL_Results_CSV",
            RESULTS_TSV = "SPARQL_Results_TSV",
        );
    }
    /// GeoSPARQL.
    pub mod gsp {
        crate::vocab::terms!("http://www.opengis.net/ont/geosparql#"; WKT_LITERAL = "wktLiteral");
    }
}

use ns::{dcat, dcatap, dcatapit, dct, foaf, formats, gsp, sd, spdx, vcard, void};
use ns::{rdfs, schema_http, skos};

/// Prefixes of catalog documents beyond the dataset's own.
const CATALOG_PREFIXES: &[(&str, &str)] = &[
    ("dcatap", dcatap::NAMESPACE),
    ("dcatapit", dcatapit::NAMESPACE),
    ("sd", sd::NAMESPACE),
    ("spdx", spdx::NAMESPACE),
    ("vcard", vcard::NAMESPACE),
    ("void", void::NAMESPACE),
];

/// Authority tables and specifications the catalog refers to.
mod authority {
    /// EU file types: `{FILE_TYPE}RDF_TURTLE`.
    pub const FILE_TYPE: &str = "http://publications.europa.eu/resource/authority/file-type/";
    /// The EU data-theme table (a concept scheme).
    pub const DATA_THEME: &str = "http://publications.europa.eu/resource/authority/data-theme";
    /// EU frequencies.
    pub const FREQUENCY: &str = "http://publications.europa.eu/resource/authority/frequency/";
    /// Planned availability "stable".
    pub const STABLE: &str =
        "http://publications.europa.eu/resource/authority/planned-availability/STABLE";
    /// Public access.
    pub const PUBLIC: &str = "http://publications.europa.eu/resource/authority/access-right/PUBLIC";
    /// IANA media types: `{IANA}text/turtle`.
    pub const IANA: &str = "http://www.iana.org/assignments/media-types/";
    /// ADMS publisher types.
    pub const PUBLISHER_TYPE: &str = "http://purl.org/adms/publishertype/";
    /// ADMS licence types.
    pub const LICENCE_TYPE: &str = "http://purl.org/adms/licencetype/";
    /// SPARQL 1.1 Protocol.
    pub const SPARQL_PROTOCOL: &str = "https://www.w3.org/TR/sparql11-protocol/";
    /// SPARQL 1.1 Query Language.
    pub const SPARQL_QUERY: &str = "https://www.w3.org/TR/sparql11-query/";
    /// Simple entailment.
    pub const SIMPLE_ENTAILMENT: &str = "http://www.w3.org/ns/entailment/Simple";
}

/// Graph representations offered, in order of preference for a client that accepts anything.
const RDF_FORMATS: [Repr; 4] = [Repr::Turtle, Repr::RdfXml, Repr::JsonLd, Repr::NTriples];

/// Representations of the ontology.
const ONTOLOGY_FORMATS: [Repr; 5] = [
    Repr::Turtle,
    Repr::Html,
    Repr::JsonLd,
    Repr::RdfXml,
    Repr::NTriples,
];

// ---------------------------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------------------------

/// `GET /catalog`: the DCAT-AP catalog (Turtle, RDF/XML, JSON-LD, N-Triples).
pub async fn catalog(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    described(state.current(), headers, params, "catalog", catalog_triples).await
}

/// Whether a page for people is asked for: `?format=html`, or a browser's `Accept` without
/// `?format=` (RDF clients and `Accept: */*` keep getting Turtle).
fn wants_page(headers: &HeaderMap, params: &HashMap<String, String>) -> bool {
    match params.get("format") {
        Some(f) => f == "html",
        None => negotiate::prefers_html(headers),
    }
}

/// `GET /.well-known/void`: the VoID description of the dataset.
pub async fn void(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    described(state.current(), headers, params, "void", void_triples).await
}

/// A description computed from the store (off the async workers), then negotiated and made
/// cacheable.
async fn described(
    p: Arc<Published>,
    headers: HeaderMap,
    params: HashMap<String, String>,
    what: &str,
    describe: fn(&Published) -> Vec<Triple>,
) -> Response {
    let triples = match super::blocking({
        let p = Arc::clone(&p);
        move || describe(&p)
    })
    .await
    {
        Ok(t) => t,
        Err(e) => return axum::response::IntoResponse::into_response(e),
    };
    if wants_page(&headers, &params) {
        let lang = Lang::from_headers(&headers, params.get("lang").map(String::as_str));
        let (first, void) = if what == "void" {
            (p.url("catalog#dataset"), true)
        } else {
            (p.url("catalog"), false)
        };
        let html = super::pages::described_page(&p, lang, &triples, &first, void);
        let digest = export::hex(&Sha256::digest(html.as_bytes()));
        let etag = p.etag(&format!("{what}-html-{}-{}", lang.tag(), &digest[..16]));
        let mut r = vary_accept(cacheable(
            &headers,
            &p,
            etag,
            &Repr::Html.content_type(),
            html,
        ));
        r.headers_mut()
            .append(header::VARY, HeaderValue::from_static("Accept-Language"));
        return r;
    }
    rdf_response(&headers, &params, &p, what, || triples)
}

/// `GET /ontology`: HTML for browsers, the ontology's Turtle (verbatim), JSON-LD, RDF/XML or
/// N-Triples for machines.
pub async fn ontology(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let p = state.current();
    let repr = match choose(&headers, &params, &ONTOLOGY_FORMATS) {
        Ok(r) => r,
        Err(response) => return *response,
    };
    let response = match repr {
        Repr::Html => {
            let lang = Lang::from_headers(&headers, params.get("lang").map(String::as_str));
            let html = super::pages::ontology_page(&p, lang);
            let etag = p.etag(&format!("ontology-html-{}", lang.tag()));
            let mut r = cacheable(&headers, &p, etag, &repr.content_type(), html);
            r.headers_mut()
                .append(header::VARY, HeaderValue::from_static("Accept-Language"));
            r
        }
        Repr::Turtle => cacheable(
            &headers,
            &p,
            p.etag("ontology-ttl"),
            &repr.content_type(),
            crate::rdf::ONTOLOGY_TTL,
        ),
        _ => {
            let body = super::write_graph(&p, &ontology_triples(), repr);
            let etag = p.etag(&format!("ontology-{}", repr.extension()));
            cacheable(&headers, &p, etag, &repr.content_type(), body)
        }
    };
    vary_accept(response)
}

/// `GET /context.jsonld`: the `@context` of reti's JSON-LD.
pub async fn context(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let p = state.current();
    let doc = serde_json::json!({ "@context": crate::jsonld::context(&p.base().prefixes()) });
    let body = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    cacheable(
        &headers,
        &p,
        p.etag("context"),
        Repr::JsonLd.media_type(),
        body,
    )
}

/// The representation asked for by `?format=` or, without it, by `Accept`; or the error
/// response (404 for an unknown `?format=`, 406 when nothing acceptable can be served).
fn choose(
    headers: &HeaderMap,
    params: &HashMap<String, String>,
    available: &[Repr],
) -> Result<Repr, Box<Response>> {
    if let Some(name) = params.get("format") {
        return Repr::from_name(name, available).ok_or_else(|| {
            let list: Vec<&str> = available.iter().map(|r| r.extension()).collect();
            Box::new(plain_error(
                StatusCode::NOT_FOUND,
                &format!("unknown format `{name}`; available: {}", list.join(", ")),
            ))
        });
    }
    negotiate::negotiate(headers, available).map_err(|e| {
        Box::new(vary_accept(plain_error(
            StatusCode::NOT_ACCEPTABLE,
            &e.message(),
        )))
    })
}

/// A negotiated, cacheable RDF document. Its `ETag` includes a digest of the body: the
/// catalog also changes when `reti.toml` or the build time changes, not only the data.
fn rdf_response(
    headers: &HeaderMap,
    params: &HashMap<String, String>,
    p: &Published,
    what: &str,
    triples: impl FnOnce() -> Vec<Triple>,
) -> Response {
    let repr = match choose(headers, params, &RDF_FORMATS) {
        Ok(r) => r,
        Err(response) => return *response,
    };
    let body = write(p, &triples(), repr);
    let digest = export::hex(&Sha256::digest(&body));
    let etag = p.etag(&format!("{what}-{}-{}", repr.extension(), &digest[..16]));
    vary_accept(cacheable(headers, p, etag, &repr.content_type(), body))
}

/// Serialises with the dataset's prefixes and the catalog vocabularies' (`dcatapit:`, `sd:`,
/// `spdx:`, `vcard:`, `void:`…).
fn write(p: &Published, triples: &[Triple], repr: Repr) -> Vec<u8> {
    super::write_graph_with(p, triples, repr, CATALOG_PREFIXES)
}

/// `GET /sparql` for RDF clients: the service description, negotiated and cacheable.
pub fn service_description_document(headers: &HeaderMap, p: &Published) -> Response {
    rdf_response(headers, &HashMap::new(), p, "service-description", || {
        service_description(p)
    })
}

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

/// An IRI from `reti.toml`; an invalid one is left out (with a warning), never published.
fn iri(value: &str) -> Option<NamedNode> {
    match NamedNode::new(value) {
        Ok(n) => Some(n),
        Err(e) => {
            tracing::warn!(
                "reti.toml: `{value}` is not a valid IRI ({e}); left out of the catalog"
            );
            None
        }
    }
}

fn url(p: &Published, path: &str) -> NamedNode {
    // the base is a valid IRI and the paths are fixed ASCII
    NamedNode::new_unchecked(p.url(path))
}

fn local_name(iri: &str) -> &str {
    iri.rsplit(['/', '#']).next().unwrap_or(iri)
}

/// English and Italian names of the EU data themes.
fn theme_labels(code: &str) -> Option<(&'static str, &'static str)> {
    Some(match code {
        "AGRI" => (
            "Agriculture, fisheries, forestry and food",
            "Agricoltura, pesca, silvicoltura e prodotti alimentari",
        ),
        "ECON" => ("Economy and finance", "Economia e finanze"),
        "EDUC" => (
            "Education, culture and sport",
            "Istruzione, cultura e sport",
        ),
        "ENER" => ("Energy", "Energia"),
        "ENVI" => ("Environment", "Ambiente"),
        "GOVE" => ("Government and public sector", "Governo e settore pubblico"),
        "HEAL" => ("Health", "Salute"),
        "INTR" => ("International issues", "Tematiche internazionali"),
        "JUST" => (
            "Justice, legal system and public safety",
            "Giustizia, sistema giuridico e sicurezza pubblica",
        ),
        "REGI" => ("Regions and cities", "Regioni e città"),
        "SOCI" => ("Population and society", "Popolazione e società"),
        "TECH" => ("Science and technology", "Scienza e tecnologia"),
        "TRAN" => ("Transport", "Trasporti"),
        "OP_DATPRO" => ("Provisional data", "Dati provvisori"),
        _ => return None,
    })
}

/// Names of the ADMS publisher types.
fn publisher_type_label(code: &str) -> Option<&'static str> {
    Some(match code {
        "Academia-ScientificOrganisation" => "Academia/Scientific organisation",
        "Company" => "Company",
        "IndustryConsortium" => "Industry consortium",
        "LocalAuthority" => "Local authority",
        "NationalAuthority" => "National authority",
        "NonGovernmentalOrganisation" => "Non-governmental organisation",
        "NonProfitOrganisation" => "Non-profit organisation",
        "PrivateIndividual(s)" => "Private individual(s)",
        "RegionalAuthority" => "Regional authority",
        "StandardisationBody" => "Standardisation body",
        "SupraNationalAuthority" => "Supra-national authority",
        _ => return None,
    })
}

/// Names of the ADMS licence types.
fn licence_type_label(code: &str) -> Option<&'static str> {
    Some(match code {
        "Attribution" => "Attribution",
        "PublicDomain" => "Public domain",
        "ShareAlike" => "Share-alike",
        "NonCommercialUseOnly" => "Non-commercial use only",
        "NoDerivativeWork" => "No derivative work",
        _ => return None,
    })
}

/// What the catalog says of a well-known licence, so that harvesters find it in their own
/// registers without configuration.
struct KnownLicence {
    /// Its full English name (`foaf:name`@en).
    name: &'static str,
    /// Its name in the Italian controlled vocabulary of licences (`foaf:name`@it,
    /// `dct:title`@it): ckanext-dcatapit matches it per language.
    name_it: Option<&'static str>,
    /// The title of CKAN's default licence register (`ckan/model/license.py`), which
    /// ckanext-dcat matches against `dct:title` when the licence IRI is not the register's.
    title: &'static str,
    /// ADMS licence type (`http://purl.org/adms/licencetype/…`).
    kind: &'static str,
    /// The same licence in other registers (`skos:exactMatch`): the Italian controlled
    /// vocabulary (`https://w3id.org/italia/controlled-vocabulary/licences/…`) and the EU
    /// licence authority table.
    same: &'static [&'static str],
    /// The licence family in CKAN's default register (`http://www.opendefinition.org/…`,
    /// `skos:closeMatch`: the register names the family, not the version).
    family: Option<&'static str>,
}

/// Well-known licences, by IRI (scheme and final slash ignored). Names and IRIs as their
/// registers give them: CKAN's default licence register, the Italian controlled vocabulary of
/// licences (dati.gov.it), the EU licence table.
fn known_licence(iri: &str) -> Option<KnownLicence> {
    let key = iri
        .trim_start_matches("http://")
        .trim_start_matches("https://")
        .trim_end_matches('/');
    Some(match key {
        "creativecommons.org/licenses/by/4.0"
        | "creativecommons.org/licenses/by/4.0/legalcode"
        | "publications.europa.eu/resource/authority/licence/CC_BY_4_0"
        | "w3id.org/italia/controlled-vocabulary/licences/A21_CCBY40" => KnownLicence {
            name: "Creative Commons Attribution 4.0 International (CC BY 4.0)",
            name_it: Some("Creative Commons Attribuzione 4.0 Internazionale (CC BY 4.0)"),
            title: "Creative Commons Attribution",
            kind: "Attribution",
            same: &[
                "https://w3id.org/italia/controlled-vocabulary/licences/A21_CCBY40",
                "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0",
            ],
            family: Some("http://www.opendefinition.org/licenses/cc-by"),
        },
        "creativecommons.org/licenses/by-sa/4.0" => KnownLicence {
            name: "Creative Commons Attribution-ShareAlike 4.0 International (CC BY-SA 4.0)",
            name_it: None,
            title: "Creative Commons Attribution Share-Alike",
            kind: "ShareAlike",
            same: &[],
            family: Some("http://www.opendefinition.org/licenses/cc-by-sa"),
        },
        "creativecommons.org/publicdomain/zero/1.0" => KnownLicence {
            name: "Creative Commons CC0 1.0 Universal (CC0 1.0)",
            name_it: Some(
                "Creative Commons CC0 1.0 Universale - Public Domain Dedication (CC0 1.0)",
            ),
            title: "Creative Commons CCZero",
            kind: "PublicDomain",
            same: &["https://w3id.org/italia/controlled-vocabulary/licences/A11_CCO10"],
            family: Some("http://www.opendefinition.org/licenses/cc-zero"),
        },
        "opendatacommons.org/licenses/odbl/1-0" | "opendatacommons.org/licenses/odbl/1.0" => {
            KnownLicence {
                name: "Open Data Commons Open Database License (ODbL) 1.0",
                name_it: Some("Open Data Commons Open Database License 1.0 (ODbL)"),
                title: "Open Data Commons Open Database License (ODbL)",
                kind: "ShareAlike",
                same: &["https://w3id.org/italia/controlled-vocabulary/licences/A310_ODBL"],
                family: Some("http://www.opendefinition.org/licenses/odc-odbl"),
            }
        }
        "www.dati.gov.it/iodl/2.0" | "www.dati.gov.it/content/italian-open-data-license-v20" => {
            KnownLicence {
                name: "Italian Open Data License 2.0 (IODL 2.0)",
                name_it: None,
                title: "Italian Open Data License 2.0 (IODL 2.0)",
                kind: "Attribution",
                same: &[],
                family: None,
            }
        }
        _ => return None,
    })
}

/// English and Italian names of EU frequencies.
fn frequency_labels(code: &str) -> Option<(&'static str, &'static str)> {
    Some(match code {
        "IRREG" => ("irregular", "irregolare"),
        "UNKNOWN" => ("unknown", "sconosciuto"),
        "NEVER" => ("never", "mai"),
        "CONT" => ("continuous", "continuo"),
        "DAILY" => ("daily", "giornaliero"),
        "WEEKLY" => ("weekly", "settimanale"),
        "MONTHLY" => ("monthly", "mensile"),
        "QUARTERLY" => ("quarterly", "trimestrale"),
        "ANNUAL" => ("annual", "annuale"),
        "BIENNIAL" => ("biennial", "biennale"),
        _ => return None,
    })
}

/// A concept of a controlled vocabulary, typed and labelled as DCAT-AP's shapes ask.
fn concept(g: &mut Graph, node: &NamedNode, en: &str, it: Option<&str>) {
    g.a(node, skos::CONCEPT);
    g.text(node, skos::PREF_LABEL, en, "en");
    if let Some(it) = it {
        g.text(node, skos::PREF_LABEL, it, "it");
    }
}

/// The EU file type of a dump format.
fn file_type(format: Format) -> &'static str {
    match format {
        Format::Turtle => "RDF_TURTLE",
        Format::TriG => "RDF_TRIG",
        Format::NTriples => "RDF_N_TRIPLES",
        Format::NQuads => "RDF_N_QUADS",
        Format::JsonLd => "JSON_LD",
        Format::RdfXml => "RDF_XML",
    }
}

/// An IANA media type's IRI, typed and labelled with the media type itself (a harvester
/// that reads labels, as ckanext-dcat does, gets `text/turtle`, not the IRI).
fn media_type(g: &mut Graph, media_type: &str) -> NamedNode {
    let node = NamedNode::new_unchecked(format!("{}{media_type}", authority::IANA));
    g.a(&node, dct::MEDIA_TYPE);
    g.add(&node, rdfs::LABEL, Literal::new_simple_literal(media_type));
    node
}

/// The name of a dump format, as people call it.
fn format_name(format: Format) -> &'static str {
    match format {
        Format::Turtle => "Turtle",
        Format::TriG => "TriG",
        Format::NTriples => "N-Triples",
        Format::NQuads => "N-Quads",
        Format::JsonLd => "JSON-LD",
        Format::RdfXml => "RDF/XML",
    }
}

/// `YYYY-MM-DDThh:mm:ssZ` and `YYYY-MM-DD` of a time (UTC).
pub(super) fn timestamp(t: SystemTime) -> (String, String) {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    // civil-from-days (Howard Hinnant's algorithm)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let date = format!("{year:04}-{month:02}-{day:02}");
    let time = format!(
        "{date}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    );
    (time, date)
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

/// An agent from `reti.toml`: its own IRI when it has one, else `{base}catalog#{fragment}`.
fn agent(g: &mut Graph, p: &Published, a: &crate::config::Agent, fragment: &str) -> NamedNode {
    let node = a
        .iri
        .as_deref()
        .and_then(iri)
        .unwrap_or_else(|| url(p, &format!("catalog#{fragment}")));
    g.a(&node, foaf::AGENT);
    g.a(&node, dcatapit::AGENT);
    g.add(&node, foaf::NAME, Literal::new_simple_literal(&a.name));
    if let Some(id) = a.identifier.as_deref().filter(|s| !s.is_empty()) {
        g.add(&node, dct::IDENTIFIER, Literal::new_simple_literal(id));
    }
    if let Some(kind) = a.kind.as_deref().and_then(iri) {
        let code = local_name(kind.as_str()).to_owned();
        let known = kind
            .as_str()
            .strip_prefix(authority::PUBLISHER_TYPE)
            .and_then(publisher_type_label);
        let label = known.unwrap_or(&code).to_owned();
        g.add(&node, dct::TYPE, kind.clone());
        concept(g, &kind, &label, None);
    }
    if let Some(home) = a.homepage.as_deref().and_then(iri) {
        g.add(&node, foaf::HOMEPAGE, home.clone());
        g.a(&home, foaf::DOCUMENT);
    }
    node
}

/// The licence, described so that harvesters find it in their own registers: ckanext-dcat
/// matches CKAN's register by IRI, then by `dct:title`; ckanext-dcatapit matches the Italian
/// controlled vocabulary by IRI or reference document (the creativecommons.org IRI), then by
/// `foaf:name` per language. Known licences need no configuration; `reti.toml` overrides.
fn licence_triples(g: &mut Graph, c: &crate::config::Config, l: &NamedNode) {
    let known = known_licence(l.as_str());
    g.a(l, dct::LICENSE_DOCUMENT);
    let name = c.licence_name.as_deref().or(known.as_ref().map(|k| k.name));
    let name_it = c
        .licence_name_it
        .as_deref()
        .or(known.as_ref().and_then(|k| k.name_it));
    let title = c
        .licence_title
        .as_deref()
        .or(known.as_ref().map(|k| k.title))
        .or(name);
    if let Some(name) = name {
        g.text(l, foaf::NAME, name, "en");
    }
    if let Some(title) = title {
        g.text(l, dct::TITLE, title, "en");
    }
    if let Some(name_it) = name_it {
        g.text(l, foaf::NAME, name_it, "it");
        g.text(l, dct::TITLE, name_it, "it");
    }
    let kind = match c.licence_type.as_deref() {
        Some(t) => iri(t),
        None => known
            .as_ref()
            .map(|k| NamedNode::new_unchecked(format!("{}{}", authority::LICENCE_TYPE, k.kind))),
    };
    if let Some(kind) = kind {
        let code = local_name(kind.as_str()).to_owned();
        let label = licence_type_label(&code).unwrap_or(&code).to_owned();
        g.add(l, dct::TYPE, kind.clone());
        concept(g, &kind, &label, None);
    }
    let same: Vec<NamedNode> = match &c.licence_same_as {
        Some(list) => list.iter().filter_map(|s| iri(s)).collect(),
        None => known
            .as_ref()
            .map(|k| {
                k.same
                    .iter()
                    .map(|s| NamedNode::new_unchecked(*s))
                    .collect()
            })
            .unwrap_or_default(),
    };
    for other in same.iter().filter(|o| *o != l) {
        g.add(l, skos::EXACT_MATCH, other.clone());
    }
    if c.licence_same_as.is_none()
        && let Some(family) = known.as_ref().and_then(|k| k.family)
    {
        g.add(l, skos::CLOSE_MATCH, NamedNode::new_unchecked(family));
    }
}

/// The dataset's `dct:identifier`: `{IPA code}:{local identifier}` as the DCAT-AP_IT
/// guidelines ask, the IPA code being the publisher's identifier; an identifier that has a
/// `:` already (or a publisher without identifier) is left as it is.
pub fn dataset_identifier(c: &crate::config::Config) -> String {
    match c.publisher.identifier.as_deref().filter(|s| !s.is_empty()) {
        Some(ipa) if !c.identifier.contains(':') => format!("{ipa}:{}", c.identifier),
        _ => c.identifier.clone(),
    }
}

/// The keywords, each once: one spelt the same in English and Italian (a name, such as
/// "Eurocities") is a single literal without a language, else a harvester that ignores the
/// language (ckanext-dcat's tags) gets it twice.
fn keywords(c: &crate::config::Config) -> Vec<(&str, Option<&'static str>)> {
    let mut out: Vec<(&str, Option<&'static str>)> = Vec::new();
    let both = |k: &str| c.keywords.iter().any(|e| e == k) && c.keywords_it.iter().any(|i| i == k);
    for (list, lang) in [(&c.keywords, "en"), (&c.keywords_it, "it")] {
        for k in list.iter().filter(|k| !k.is_empty()) {
            let entry = (k.as_str(), if both(k) { None } else { Some(lang) });
            if !out.contains(&entry) {
                out.push(entry);
            }
        }
    }
    out
}

/// The DCAT-AP / DCAT-AP_IT catalog.
fn catalog_triples(p: &Published) -> Vec<Triple> {
    let c = &p.config;
    let mut g = Graph::default();
    let catalog = url(p, "catalog");
    let dataset = url(p, "catalog#dataset");
    let service = url(p, "sparql#service");
    let home = url(p, "");
    let endpoint = url(p, "sparql");
    let (modified_time, build_date) = timestamp(p.modified);
    let modified = Literal::new_typed_literal(modified_time, xsd::DATE_TIME);
    let issued = match c.issued.as_deref() {
        Some(d) if is_date(d) => Literal::new_typed_literal(d, xsd::DATE),
        Some(d) => {
            tracing::warn!(
                "reti.toml: issued = `{d}` is not a date (YYYY-MM-DD); using the build date"
            );
            Literal::new_typed_literal(build_date, xsd::DATE)
        }
        None => Literal::new_typed_literal(build_date, xsd::DATE),
    };

    // agents and contact point
    let publisher = agent(&mut g, p, &c.publisher, "publisher");
    let rights_holder = if c.rights_holder == c.publisher {
        publisher.clone()
    } else {
        agent(&mut g, p, &c.rights_holder, "rights-holder")
    };
    let contact = url(p, "catalog#contact");
    g.a(&contact, vcard::ORGANIZATION);
    g.a(&contact, vcard::KIND);
    g.a(&contact, dcatapit::ORGANIZATION);
    g.add(
        &contact,
        vcard::FN,
        Literal::new_simple_literal(&c.contact.name),
    );
    let mailto = if c.contact.email.starts_with("mailto:") {
        c.contact.email.clone()
    } else {
        format!("mailto:{}", c.contact.email)
    };
    if let Some(mail) = iri(&mailto) {
        g.add(&contact, vcard::HAS_EMAIL, mail);
    }

    // licence
    let licence = iri(&c.licence);
    if let Some(l) = &licence {
        licence_triples(&mut g, c, l);
    }

    // controlled vocabularies
    let theme_scheme = NamedNode::new_unchecked(authority::DATA_THEME);
    let themes: Vec<NamedNode> = c.themes.iter().filter_map(|t| iri(t)).collect();
    for theme in &themes {
        let code = local_name(theme.as_str());
        match theme_labels(code) {
            Some((en, it)) => concept(&mut g, theme, en, Some(it)),
            None => concept(&mut g, theme, code, None),
        }
        if theme
            .as_str()
            .starts_with(&format!("{}/", authority::DATA_THEME))
        {
            g.add(theme, skos::IN_SCHEME, theme_scheme.clone());
        }
    }
    g.a(&theme_scheme, skos::CONCEPT_SCHEME);
    g.text(&theme_scheme, dct::TITLE, "Data theme", "en");
    g.text(&theme_scheme, dct::TITLE, "Tema dei dati", "it");
    let languages: Vec<NamedNode> = c.languages.iter().filter_map(|l| iri(l)).collect();
    for l in &languages {
        g.a(l, dct::LINGUISTIC_SYSTEM);
    }
    let spatial: Vec<NamedNode> = c.spatial.iter().filter_map(|s| iri(s)).collect();
    for s in &spatial {
        g.a(s, dct::LOCATION);
        // DCAT-AP_IT (and ckanext-dcatapit) read the location from this literal only
        g.add(
            s,
            dcatapit::GEOGRAPHICAL_IDENTIFIER,
            Literal::new_simple_literal(s.as_str()),
        );
        if let Some(geometry) = c.spatial_geometry.iter().find(|x| x.iri == s.as_str()) {
            if let Some(bbox) = &geometry.bbox {
                g.typed(s, dcat::BBOX, bbox.as_str(), gsp::WKT_LITERAL);
            }
            if let Some(centroid) = &geometry.centroid {
                g.typed(s, dcat::CENTROID, centroid.as_str(), gsp::WKT_LITERAL);
            }
        }
    }
    let frequency = iri(&c.accrual_periodicity);
    if let Some(f) = &frequency {
        g.a(f, dct::FREQUENCY);
        if f.as_str().starts_with(authority::FREQUENCY)
            && let Some((en, it)) = frequency_labels(local_name(f.as_str()))
        {
            g.text(f, skos::PREF_LABEL, en, "en");
            g.text(f, skos::PREF_LABEL, it, "it");
        }
    }
    let public = NamedNode::new_unchecked(authority::PUBLIC);
    g.a(&public, dct::RIGHTS_STATEMENT);
    let stable = NamedNode::new_unchecked(authority::STABLE);
    concept(&mut g, &stable, "stable", Some("stabile"));
    g.a(&home, foaf::DOCUMENT);
    let ontology = crate::vocab::reti::ONTOLOGY.into_owned();
    g.a(&ontology, dct::STANDARD);
    g.text(&ontology, dct::TITLE, "reti: networks of cities", "en");
    let protocol = NamedNode::new_unchecked(authority::SPARQL_PROTOCOL);
    g.a(&protocol, dct::STANDARD);
    g.text(&protocol, dct::TITLE, "SPARQL 1.1 Protocol", "en");
    let query_language = NamedNode::new_unchecked(authority::SPARQL_QUERY);
    g.a(&query_language, dct::STANDARD);
    g.text(
        &query_language,
        dct::TITLE,
        "SPARQL 1.1 Query Language",
        "en",
    );

    // what the catalog, the dataset and the service share
    let common = |g: &mut Graph, node: &NamedNode| {
        g.add(node, dct::PUBLISHER, publisher.clone());
    };

    // the catalog
    g.a(&catalog, dcat::CATALOG);
    g.a(&catalog, dcatapit::CATALOG);
    g.text(
        &catalog,
        dct::TITLE,
        &format!("{}: data catalog", c.title),
        "en",
    );
    g.text(
        &catalog,
        dct::TITLE,
        &format!("{}: catalogo dei dati", c.title_it),
        "it",
    );
    g.text(
        &catalog,
        dct::DESCRIPTION,
        &format!(
            "The dataset \"{}\", its downloads in six RDF formats and its SPARQL endpoint.",
            c.title
        ),
        "en",
    );
    g.text(
        &catalog,
        dct::DESCRIPTION,
        &format!(
            "Il dataset \"{}\", i suoi scaricamenti in sei formati RDF e il suo endpoint SPARQL.",
            c.title_it
        ),
        "it",
    );
    common(&mut g, &catalog);
    g.add(&catalog, dct::MODIFIED, modified.clone());
    g.add(&catalog, dct::ISSUED, issued.clone());
    g.add(&catalog, foaf::HOMEPAGE, home.clone());
    g.add(&catalog, dcat::THEME_TAXONOMY, theme_scheme.clone());
    g.add(&catalog, dcat::DATASET, dataset.clone());
    g.add(&catalog, dcat::SERVICE, service.clone());
    if let Some(l) = &licence {
        g.add(&catalog, dct::LICENSE, l.clone());
    }
    for l in &languages {
        g.add(&catalog, dct::LANGUAGE, l.clone());
    }
    for s in &spatial {
        g.add(&catalog, dct::SPATIAL, s.clone());
    }

    // the dataset
    g.a(&dataset, dcat::DATASET_CLASS);
    g.a(&dataset, dcatapit::DATASET);
    g.add(
        &dataset,
        dct::IDENTIFIER,
        Literal::new_simple_literal(dataset_identifier(c)),
    );
    g.text(&dataset, dct::TITLE, &c.title, "en");
    g.text(&dataset, dct::TITLE, &c.title_it, "it");
    g.text(&dataset, dct::DESCRIPTION, &c.description, "en");
    g.text(&dataset, dct::DESCRIPTION, &c.description_it, "it");
    common(&mut g, &dataset);
    g.add(&dataset, dct::RIGHTS_HOLDER, rights_holder.clone());
    g.add(&dataset, dcat::CONTACT_POINT, contact.clone());
    g.add(&dataset, dct::MODIFIED, modified.clone());
    g.add(&dataset, dct::ISSUED, issued.clone());
    g.add(&dataset, dcat::LANDING_PAGE, home.clone());
    g.add(&dataset, dct::CONFORMS_TO, ontology.clone());
    g.add(&dataset, dct::ACCESS_RIGHTS, public.clone());
    if let Some(f) = &frequency {
        g.add(&dataset, dct::ACCRUAL_PERIODICITY, f.clone());
    }
    for node in [&dataset, &service] {
        for t in &themes {
            g.add(node, dcat::THEME, t.clone());
        }
        for (k, lang) in keywords(c) {
            match lang {
                Some(lang) => g.text(node, dcat::KEYWORD, k, lang),
                None => g.add(node, dcat::KEYWORD, Literal::new_simple_literal(k)),
            }
        }
    }
    for l in &languages {
        g.add(&dataset, dct::LANGUAGE, l.clone());
    }
    for s in &spatial {
        g.add(&dataset, dct::SPATIAL, s.clone());
    }
    if let Some((from, until)) = p.statistics.years {
        let period = url(p, "catalog#temporal");
        g.a(&period, dct::PERIOD_OF_TIME);
        g.typed(&period, dcat::START_DATE, format!("{from:04}"), xsd::G_YEAR);
        g.typed(&period, dcat::END_DATE, format!("{until:04}"), xsd::G_YEAR);
        // DCAT-AP_IT reads schema.org's dates, as xsd:date: the first day of the first year,
        // the last day of the last
        g.typed(
            &period,
            schema_http::START_DATE,
            format!("{from:04}-01-01"),
            xsd::DATE,
        );
        g.typed(
            &period,
            schema_http::END_DATE,
            format!("{until:04}-12-31"),
            xsd::DATE,
        );
        g.add(&dataset, dct::TEMPORAL, period);
    }

    // one distribution per dump
    for d in &p.dumps {
        let ext = d.format.extension();
        let id = if d.compressed {
            format!("{ext}-gz")
        } else {
            ext.to_owned()
        };
        let dist = url(p, &format!("catalog#distribution-{id}"));
        let name = if d.compressed {
            format!("{}, gzip", format_name(d.format))
        } else {
            format_name(d.format).to_owned()
        };
        g.add(&dataset, dcat::DISTRIBUTION, dist.clone());
        g.a(&dist, dcat::DISTRIBUTION_CLASS);
        g.a(&dist, dcatapit::DISTRIBUTION);
        g.text(&dist, dct::TITLE, &format!("{} ({name})", c.title), "en");
        g.text(&dist, dct::TITLE, &format!("{} ({name})", c.title_it), "it");
        let name = format_name(d.format);
        let (mut en, mut it) = if d.format.keeps_graphs() {
            (
                format!("The whole dataset in {name}, one named graph per source."),
                format!("L'intero dataset in {name}, un grafo nominato per fonte."),
            )
        } else {
            (
                format!("The whole dataset in {name}: the merge of the graphs of all sources."),
                format!("L'intero dataset in {name}: l'unione dei grafi di tutte le fonti."),
            )
        };
        if d.compressed {
            en.push_str(&format!(
                " Compressed with gzip: it decompresses to {}.",
                export::dump_file_name(d.format)
            ));
            it.push_str(&format!(
                " Compresso con gzip: decompresso è {}.",
                export::dump_file_name(d.format)
            ));
        }
        g.text(&dist, dct::DESCRIPTION, &en, "en");
        g.text(&dist, dct::DESCRIPTION, &it, "it");
        g.add(&dist, dcat::ACCESS_URL, url(p, "dumps/"));
        g.add(
            &dist,
            dcat::DOWNLOAD_URL,
            url(p, &format!("dumps/{}", d.name)),
        );
        // the media type of the content; a compressed dump says how it is compressed
        // (DCAT 3's dcat:compressFormat; dcat:packageFormat is for archives of several files,
        // which a .gz of one dump is not)
        let media = media_type(&mut g, d.format.media_type());
        g.add(&dist, dcat::MEDIA_TYPE, media);
        if d.compressed {
            let gzip = media_type(&mut g, "application/gzip");
            g.add(&dist, dcat::COMPRESS_FORMAT, gzip);
        }
        let ft =
            NamedNode::new_unchecked(format!("{}{}", authority::FILE_TYPE, file_type(d.format)));
        g.a(&ft, dct::MEDIA_TYPE_OR_EXTENT);
        g.text(&ft, skos::PREF_LABEL, format_name(d.format), "en");
        g.add(&dist, dct::FORMAT, ft);
        g.typed(
            &dist,
            dcat::BYTE_SIZE,
            d.size.to_string(),
            xsd::NON_NEGATIVE_INTEGER,
        );
        let checksum = url(p, &format!("catalog#distribution-{id}-checksum"));
        g.add(&dist, spdx::CHECKSUM, checksum.clone());
        g.a(&checksum, spdx::CHECKSUM_CLASS);
        g.add(&checksum, spdx::ALGORITHM, spdx::SHA256);
        g.typed(
            &checksum,
            spdx::CHECKSUM_VALUE,
            d.sha256.as_str(),
            xsd::HEX_BINARY,
        );
        if let Some(l) = &licence {
            g.add(&dist, dct::LICENSE, l.clone());
        }
        g.add(&dist, dcatap::AVAILABILITY, stable.clone());
        g.add(&dist, dct::MODIFIED, modified.clone());
    }

    // the SPARQL endpoint, as a data service and as a distribution accessed through it
    let dist = url(p, "catalog#distribution-sparql");
    g.add(&dataset, dcat::DISTRIBUTION, dist.clone());
    g.a(&dist, dcat::DISTRIBUTION_CLASS);
    g.a(&dist, dcatapit::DISTRIBUTION);
    g.text(
        &dist,
        dct::TITLE,
        &format!("{} (SPARQL endpoint)", c.title),
        "en",
    );
    g.text(
        &dist,
        dct::TITLE,
        &format!("{} (endpoint SPARQL)", c.title_it),
        "it",
    );
    g.text(
        &dist,
        dct::DESCRIPTION,
        "The whole dataset through SPARQL 1.1 queries; the default graph is the merge of the graphs of all sources, each source's statements are also in their own named graph.",
        "en",
    );
    g.text(
        &dist,
        dct::DESCRIPTION,
        "L'intero dataset tramite interrogazioni SPARQL 1.1; il grafo predefinito è l'unione dei grafi di tutte le fonti, e le affermazioni di ogni fonte sono anche nel loro grafo nominato.",
        "it",
    );
    g.add(&dist, dcat::ACCESS_URL, endpoint.clone());
    g.add(&dist, dcat::ACCESS_SERVICE, service.clone());
    let sparql_type = NamedNode::new_unchecked(format!("{}SPARQLQ", authority::FILE_TYPE));
    g.a(&sparql_type, dct::MEDIA_TYPE_OR_EXTENT);
    g.text(&sparql_type, skos::PREF_LABEL, "SPARQL query", "en");
    g.add(&dist, dct::FORMAT, sparql_type);
    if let Some(l) = &licence {
        g.add(&dist, dct::LICENSE, l.clone());
    }
    g.add(&dist, dcatap::AVAILABILITY, stable.clone());
    g.add(&dist, dct::MODIFIED, modified.clone());

    g.a(&service, dcat::DATA_SERVICE);
    g.text(
        &service,
        dct::TITLE,
        &format!("{}: SPARQL endpoint", c.title),
        "en",
    );
    g.text(
        &service,
        dct::TITLE,
        &format!("{}: endpoint SPARQL", c.title_it),
        "it",
    );
    g.text(
        &service,
        dct::DESCRIPTION,
        "SPARQL 1.1 query endpoint (GET and POST). Its service description is served at the endpoint URL to RDF clients.",
        "en",
    );
    g.text(
        &service,
        dct::DESCRIPTION,
        "Endpoint di interrogazione SPARQL 1.1 (GET e POST). La descrizione del servizio è servita all'URL dell'endpoint ai client RDF.",
        "it",
    );
    g.add(&service, dcat::ENDPOINT_URL, endpoint.clone());
    g.add(&service, dcat::ENDPOINT_DESCRIPTION, endpoint);
    g.add(&service, dcat::SERVES_DATASET, dataset.clone());
    g.add(&service, dct::CONFORMS_TO, protocol);
    g.add(&service, dct::CONFORMS_TO, query_language);
    g.add(&service, dcat::CONTACT_POINT, contact);
    g.add(&service, dct::ACCESS_RIGHTS, public);
    common(&mut g, &service);
    if let Some(l) = &licence {
        g.add(&service, dct::LICENSE, l.clone());
    }
    g.finish()
}

/// The catalog and the VoID description as one graph: what `reti publish` puts into
/// `{base}graph/catalog`, so a store that takes over still holds what harvesters read at
/// `/catalog` and `/.well-known/void`. Built by the same functions as those documents.
pub fn catalog_graph(p: &Published) -> Vec<Triple> {
    let mut g = Graph(catalog_triples(p));
    g.0.extend(void_triples(p));
    g.finish()
}

/// Serialises [`catalog_graph`] with the prefixes `/catalog` uses.
pub fn write_catalog_graph(p: &Published, triples: &[Triple], format: Format) -> Vec<u8> {
    let repr = match format {
        Format::NTriples => Repr::NTriples,
        Format::RdfXml => Repr::RdfXml,
        Format::JsonLd => Repr::JsonLd,
        _ => Repr::Turtle,
    };
    write(p, triples, repr)
}

/// Vocabularies the data may use, by namespace.
const VOCABULARIES: &[&str] = &[
    crate::vocab::org::NAMESPACE,
    crate::vocab::skos::NAMESPACE,
    crate::vocab::schema::NAMESPACE,
    crate::vocab::prov::NAMESPACE,
    crate::vocab::time::NAMESPACE,
    crate::vocab::dcterms::NAMESPACE,
    crate::vocab::reti::NAMESPACE,
    crate::vocab::owl::NAMESPACE,
    crate::vocab::dcat::NAMESPACE,
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://xmlns.com/foaf/0.1/",
    "http://purl.org/vocab/vann/",
];

/// What the VoID description and the catalog say of the data beyond the graphs' sizes: made
/// once per build, never per request; from what the build gathered ([`Profile`]) for the
/// embedded store, by SPARQL for a remote one (at connection).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(into = "StoredStatistics", from = "StoredStatistics")]
pub struct Statistics {
    /// `void:distinctSubjects`, `void:distinctObjects`, `void:properties`, `void:classes`,
    /// `void:entities`, in this order.
    counts: Vec<(NamedNode, u64)>,
    /// The vocabularies whose properties or classes the data uses.
    vocabularies: Vec<&'static str>,
    /// The example resources that exist.
    examples: Vec<NamedNode>,
    /// The earliest and latest year of any date in the sources' graphs (founding dates,
    /// membership starts, figures' dates, periods sources cover); the ontology's own dates are
    /// left out.
    years: Option<(i64, i64)>,
}

/// [`Statistics`] as kept on disk: IRIs as strings.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct StoredStatistics {
    counts: Vec<(String, u64)>,
    vocabularies: Vec<String>,
    examples: Vec<String>,
    years: Option<(i64, i64)>,
}

impl From<Statistics> for StoredStatistics {
    fn from(s: Statistics) -> Self {
        Self {
            counts: s
                .counts
                .into_iter()
                .map(|(p, n)| (p.into_string(), n))
                .collect(),
            vocabularies: s.vocabularies.iter().map(|v| (*v).to_owned()).collect(),
            examples: s.examples.into_iter().map(NamedNode::into_string).collect(),
            years: s.years,
        }
    }
}

impl From<StoredStatistics> for Statistics {
    /// What is not an IRI, or not a known vocabulary, is left out (the file was written by
    /// reti, so nothing is).
    fn from(s: StoredStatistics) -> Self {
        Self {
            counts: s
                .counts
                .into_iter()
                .filter_map(|(p, n)| Some((NamedNode::new(p).ok()?, n)))
                .collect(),
            vocabularies: s
                .vocabularies
                .iter()
                .filter_map(|v| VOCABULARIES.iter().find(|known| **known == v).copied())
                .collect(),
            examples: s
                .examples
                .into_iter()
                .filter_map(|e| NamedNode::new(e).ok())
                .collect(),
            years: s.years,
        }
    }
}

/// Reads the [`Statistics`] from the backend, by SPARQL.
pub fn statistics(backend: &Backend) -> Result<Statistics, BackendError> {
    let id_space = format!("{}id/", backend.base().as_str());
    let select = |query: &str| -> Result<Vec<Term>, BackendError> {
        let QueryResults::Solutions(solutions) = backend.sparql(query)? else {
            return Ok(Vec::new());
        };
        let mut values = Vec::new();
        for solution in solutions {
            let solution = solution
                .map_err(|e| BackendError::Query(crate::dataset::QueryError::Evaluation(e)))?;
            if let Some(Some(value)) = solution.values().first() {
                values.push(value.clone());
            }
        }
        Ok(values)
    };
    let mut statistics = Statistics::default();
    let counts = [
        (
            void::DISTINCT_SUBJECTS,
            "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }".to_owned(),
        ),
        (
            void::DISTINCT_OBJECTS,
            "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }".to_owned(),
        ),
        (
            void::PROPERTIES,
            "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }".to_owned(),
        ),
        (
            void::CLASSES,
            "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }".to_owned(),
        ),
        (
            void::ENTITIES,
            format!(
                "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), \"{id_space}\")) }}"
            ),
        ),
    ];
    for (property, query) in counts {
        if let Some(Term::Literal(l)) = select(&query)?.first()
            && let Ok(n) = l.value().parse()
        {
            statistics.counts.push((property.into_owned(), n));
        }
    }
    // the vocabularies whose properties or classes the data uses
    let terms = select("SELECT DISTINCT ?t WHERE { { ?s ?t ?o } UNION { ?s a ?t } }")?;
    statistics.vocabularies = vocabularies(terms.iter().filter_map(|t| match t {
        Term::NamedNode(n) => Some(n.as_str()),
        _ => None,
    }));
    statistics.examples = examples(backend)?;
    let ontology = backend.base().graph(crate::rdf::ONTOLOGY_GRAPH);
    let dates = select(&format!(
        "SELECT DISTINCT ?o WHERE {{
           GRAPH ?g {{ ?s ?p ?o }}
           FILTER(?g != {ontology} && isLiteral(?o))
           FILTER(DATATYPE(?o) IN ({}, {}, {}, {}))
         }}",
        DATE_TYPES[0], DATE_TYPES[1], DATE_TYPES[2], DATE_TYPES[3]
    ))?;
    for date in dates {
        let Term::Literal(l) = date else {
            continue;
        };
        let Some(year) = year_of(l.as_ref()) else {
            continue;
        };
        statistics.years = Some(widen_years(statistics.years, year));
    }
    Ok(statistics)
}

/// The [`Statistics`] from what the build gathered: the same values as [`statistics`], without
/// its full scans of the store (more than ten minutes on disk at a million memberships).
pub fn statistics_of(profile: &Profile, backend: &Backend) -> Result<Statistics, BackendError> {
    let count = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
    let classes: Vec<&str> = profile
        .classes
        .iter()
        .filter_map(|c| c.strip_prefix('<')?.strip_suffix('>'))
        .collect();
    Ok(Statistics {
        counts: vec![
            (
                void::DISTINCT_SUBJECTS.into_owned(),
                profile.distinct_subjects,
            ),
            (
                void::DISTINCT_OBJECTS.into_owned(),
                profile.distinct_objects,
            ),
            (
                void::PROPERTIES.into_owned(),
                count(profile.properties.len()),
            ),
            (void::CLASSES.into_owned(), count(profile.classes.len())),
            (void::ENTITIES.into_owned(), profile.entities),
        ],
        vocabularies: vocabularies(profile.properties.iter().map(String::as_str).chain(classes)),
        examples: examples(backend)?,
        years: profile.years,
    })
}

/// The [`VOCABULARIES`] some of `iris` belong to, in their order.
fn vocabularies<'a>(iris: impl Iterator<Item = &'a str>) -> Vec<&'static str> {
    let mut used: BTreeSet<&'static str> = BTreeSet::new();
    for iri in iris {
        if let Some(ns) = VOCABULARIES.iter().find(|ns| iri.starts_with(**ns)) {
            used.insert(ns);
        }
    }
    used.into_iter().collect()
}

/// The example resources (`void:exampleResource`) the data holds.
fn examples(backend: &Backend) -> Result<Vec<NamedNode>, BackendError> {
    let mut examples = Vec::new();
    for (kind, slug) in [
        ("network", "uccn"),
        ("place", "turin"),
        ("membership", "uccn-turin"),
    ] {
        let example = backend.base().mint(kind, slug);
        if backend.contains_subject(&example)? {
            examples.push(example);
        }
    }
    Ok(examples)
}

/// The VoID description.
fn void_triples(p: &Published) -> Vec<Triple> {
    let c = &p.config;
    let summary = p.dataset.summary();
    let mut g = Graph::default();
    let document = url(p, ".well-known/void");
    let dataset = url(p, "catalog#dataset");
    g.a(&document, void::DATASET_DESCRIPTION);
    g.text(
        &document,
        dct::TITLE,
        &format!("VoID description of \"{}\"", c.title),
        "en",
    );
    g.add(&document, foaf::PRIMARY_TOPIC, dataset.clone());

    g.a(&dataset, void::DATASET);
    g.text(&dataset, dct::TITLE, &c.title, "en");
    g.text(&dataset, dct::TITLE, &c.title_it, "it");
    g.text(&dataset, dct::DESCRIPTION, &c.description, "en");
    g.text(&dataset, dct::DESCRIPTION, &c.description_it, "it");
    if let Some(l) = iri(&c.licence) {
        g.add(&dataset, dct::LICENSE, l);
    }
    g.typed(
        &dataset,
        dct::MODIFIED,
        timestamp(p.modified).0,
        xsd::DATE_TIME,
    );
    g.add(&dataset, foaf::HOMEPAGE, url(p, ""));
    g.add(&dataset, foaf::PAGE, url(p, "catalog"));
    g.add(&dataset, void::SPARQL_ENDPOINT, url(p, "sparql"));
    for d in &p.dumps {
        g.add(
            &dataset,
            void::DATA_DUMP,
            url(p, &format!("dumps/{}", d.name)),
        );
        let feature = match d.format {
            Format::Turtle => formats::TURTLE,
            Format::TriG => formats::TRIG,
            Format::NTriples => formats::N_TRIPLES,
            Format::NQuads => formats::N_QUADS,
            Format::JsonLd => formats::JSON_LD,
            Format::RdfXml => formats::RDF_XML,
        };
        g.add(&dataset, void::FEATURE, feature);
    }
    let number = |n: u64| Literal::new_typed_literal(n.to_string(), xsd::INTEGER);
    g.add(&dataset, void::TRIPLES, number(summary.triples as u64));
    let id_space = p.url("id/");
    g.add(
        &dataset,
        void::URI_SPACE,
        Literal::new_simple_literal(&id_space),
    );
    for (property, n) in &p.statistics.counts {
        g.add(&dataset, property.as_ref(), number(*n));
    }
    for ns in &p.statistics.vocabularies {
        g.add(&dataset, void::VOCABULARY, NamedNode::new_unchecked(*ns));
    }
    for example in &p.statistics.examples {
        g.add(&dataset, void::EXAMPLE_RESOURCE, example.clone());
    }
    for (graph, quads) in &summary.graphs {
        let Ok(subset) = NamedNode::new(graph.as_str()) else {
            continue;
        };
        g.add(&dataset, void::SUBSET, subset.clone());
        g.a(&subset, void::DATASET);
        g.add(&subset, void::TRIPLES, number(*quads as u64));
        g.add(&subset, void::SPARQL_ENDPOINT, url(p, "sparql"));
        if let Some(l) = iri(&c.licence) {
            g.add(&subset, dct::LICENSE, l);
        }
    }
    g.finish()
}

/// The SPARQL 1.1 service description of `/sparql` (`{base}sparql#service`, the same resource
/// as the catalog's `dcat:DataService`).
pub fn service_description(p: &Published) -> Vec<Triple> {
    let summary = p.dataset.summary();
    let mut g = Graph::default();
    let service = url(p, "sparql#service");
    let dataset = url(p, "sparql#dataset");
    let default_graph = url(p, "sparql#default-graph");
    g.a(&service, sd::SERVICE);
    g.text(
        &service,
        dct::TITLE,
        &format!("{}: SPARQL endpoint", p.config.title),
        "en",
    );
    g.add(&service, sd::ENDPOINT, url(p, "sparql"));
    g.add(&service, sd::SUPPORTED_LANGUAGE, sd::SPARQL11_QUERY);
    for format in [
        formats::RESULTS_JSON,
        formats::RESULTS_XML,
        formats::RESULTS_CSV,
        formats::RESULTS_TSV,
        formats::TURTLE,
        formats::N_TRIPLES,
        formats::RDF_XML,
        formats::JSON_LD,
        formats::TRIG,
    ] {
        g.add(&service, sd::RESULT_FORMAT, format);
    }
    g.add(&service, sd::FEATURE, sd::UNION_DEFAULT_GRAPH);
    g.add(
        &service,
        sd::DEFAULT_ENTAILMENT_REGIME,
        NamedNode::new_unchecked(authority::SIMPLE_ENTAILMENT),
    );
    g.add(&service, sd::DEFAULT_DATASET, dataset.clone());
    g.a(&dataset, sd::DATASET);
    g.add(&dataset, sd::DEFAULT_GRAPH, default_graph.clone());
    g.a(&default_graph, sd::GRAPH_CLASS);
    let number = |n: usize| Literal::new_typed_literal(n.to_string(), xsd::INTEGER);
    g.add(&default_graph, void::TRIPLES, number(summary.triples));
    let graphs_prefix = p.url("graph/");
    for (i, (graph, quads)) in summary.graphs.iter().enumerate() {
        let Ok(name) = NamedNode::new(graph.as_str()) else {
            continue;
        };
        let slug = graph
            .strip_prefix(&graphs_prefix)
            .filter(|s| crate::model::is_valid_slug(s))
            .map_or_else(|| i.to_string(), str::to_owned);
        let named = url(p, &format!("sparql#named-graph-{slug}"));
        g.add(&dataset, sd::NAMED_GRAPH, named.clone());
        g.a(&named, sd::NAMED_GRAPH_CLASS);
        g.add(&named, sd::NAME, name.clone());
        g.add(&named, sd::GRAPH, name.clone());
        g.a(&name, sd::GRAPH_CLASS);
        g.add(&name, void::TRIPLES, number(*quads));
    }
    g.finish()
}

/// The ontology's triples, sorted.
fn ontology_triples() -> Vec<Triple> {
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

    #[test]
    fn timestamps_are_utc_dates() {
        let t = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(951_782_400 + 3_723);
        assert_eq!(
            timestamp(t),
            ("2000-02-29T01:02:03Z".to_owned(), "2000-02-29".to_owned())
        );
        assert_eq!(timestamp(SystemTime::UNIX_EPOCH).1, "1970-01-01");
    }

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
            let dataset = crate::dataset::Dataset::build(dir, base.clone()).expect("build");
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
