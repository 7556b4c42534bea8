//! IRIs of every vocabulary term reti writes, as constants.
//!
//! Modelled on `oxrdf::vocab`: code that mints triples names terms by constant, so a typo is a
//! compile error rather than a silently wrong predicate in the published data.
//!
//! ```
//! use reti::vocab::org;
//! assert_eq!(org::MEMBER.as_str(), "http://www.w3.org/ns/org#member");
//! ```

use oxrdf::NamedNodeRef;

/// Declares a namespace's terms as `NamedNodeRef` constants. Every vocabulary reti writes, the
/// data's and the catalog's, is declared here once.
macro_rules! terms {
    ($ns:literal; $($name:ident = $local:literal),* $(,)?) => {
        /// The namespace IRI.
        pub const NAMESPACE: &str = $ns;
        $(
            #[doc = concat!("`", $ns, $local, "`")]
            pub const $name: oxrdf::NamedNodeRef<'static> =
                oxrdf::NamedNodeRef::new_unchecked(concat!($ns, $local));
        )*
    };
}

/// reti's own ontology: only what the reused vocabularies lack.
pub mod reti {
    use super::NamedNodeRef;
    /// The ontology resource itself.
    pub(crate) const ONTOLOGY: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/reti/ontology");
    terms!("https://w3id.org/reti/ontology#";
        NETWORK = "Network",
        NONPROFIT_ORGANIZATION = "NonprofitOrganization",
        STATED_FIGURE = "StatedFigure",
        MUNICIPALITY = "Municipality",
        PROVINCE = "Province",
        REGION = "Region",
        CREATIVE_FIELD = "creativeField",
        STATED_FIGURE_PROP = "statedFigure",
        MEASURE = "measure",
        IS_LOWER_BOUND = "isLowerBound",
        EXTERNAL_PARTNER = "externalPartner",
        RECOGNISED_BY = "recognisedBy",
        ISTAT_CODE = "istatCode",
        ISO_ALPHA2 = "isoAlpha2",
        ISO_ALPHA3 = "isoAlpha3",
        LISTED_VALUE = "listedValue",
        DISAGREEMENT = "Disagreement",
        DISAGREES_ON = "disagreesOn",
    );
}

/// W3C Organization Ontology.
pub mod org {
    terms!("http://www.w3.org/ns/org#";
        ORGANIZATION = "Organization",
        ORGANIZATIONAL_UNIT = "OrganizationalUnit",
        MEMBERSHIP = "Membership",
        SITE = "Site",
        MEMBER = "member",
        ORGANIZATION_PROP = "organization",
        ROLE = "role",
        MEMBER_DURING = "memberDuring",
        HAS_MEMBER = "hasMember",
        SUB_ORGANIZATION_OF = "subOrganizationOf",
        LINKED_TO = "linkedTo",
        HAS_SITE = "hasSite",
        HAS_REGISTERED_SITE = "hasRegisteredSite",
        SITE_OF = "siteOf",
    );
}

/// SKOS.
pub mod skos {
    terms!("http://www.w3.org/2004/02/skos/core#";
        CONCEPT = "Concept",
        CONCEPT_SCHEME = "ConceptScheme",
        PREF_LABEL = "prefLabel",
        ALT_LABEL = "altLabel",
        HIDDEN_LABEL = "hiddenLabel",
        IN_SCHEME = "inScheme",
        HAS_TOP_CONCEPT = "hasTopConcept",
        NOTATION = "notation",
        DEFINITION = "definition",
        EXACT_MATCH = "exactMatch",
        CLOSE_MATCH = "closeMatch",
    );
}

/// schema.org.
pub mod schema {
    terms!("https://schema.org/";
        CITY = "City",
        COUNTRY = "Country",
        ADMINISTRATIVE_AREA = "AdministrativeArea",
        GOVERNMENT_ORGANIZATION = "GovernmentOrganization",
        FOUNDING_DATE = "foundingDate",
        FOUNDING_LOCATION = "foundingLocation",
        AREA_SERVED = "areaServed",
        CONTAINED_IN_PLACE = "containedInPlace",
        VALUE = "value",
    );
}

/// DCMI Metadata Terms.
pub mod dcterms {
    terms!("http://purl.org/dc/terms/";
        TITLE = "title",
        DESCRIPTION = "description",
        DATE = "date",
        CREATOR = "creator",
        TEMPORAL = "temporal",
        PERIOD_OF_TIME = "PeriodOfTime",
        BIBLIOGRAPHIC_CITATION = "bibliographicCitation",
        HAS_PART = "hasPart",
        SUBJECT = "subject",
        IDENTIFIER = "identifier",
        ISSUED = "issued",
        MODIFIED = "modified",
        PUBLISHER = "publisher",
        RIGHTS_HOLDER = "rightsHolder",
        LICENSE = "license",
        LANGUAGE = "language",
        SPATIAL = "spatial",
        ACCRUAL_PERIODICITY = "accrualPeriodicity",
        FORMAT = "format",
        CONFORMS_TO = "conformsTo",
        TYPE = "type",
        ACCESS_RIGHTS = "accessRights",
        LICENSE_DOCUMENT = "LicenseDocument",
        LOCATION = "Location",
        FREQUENCY = "Frequency",
        LINGUISTIC_SYSTEM = "LinguisticSystem",
        MEDIA_TYPE = "MediaType",
        MEDIA_TYPE_OR_EXTENT = "MediaTypeOrExtent",
        STANDARD = "Standard",
        RIGHTS_STATEMENT = "RightsStatement",
    );
}

/// DCAT 3: the period bounds of the data, and the catalog.
pub mod dcat {
    terms!("http://www.w3.org/ns/dcat#";
        START_DATE = "startDate",
        END_DATE = "endDate",
        CATALOG = "Catalog",
        DATASET_CLASS = "Dataset",
        DISTRIBUTION_CLASS = "Distribution",
        DATA_SERVICE = "DataService",
        DATASET = "dataset",
        SERVICE = "service",
        DISTRIBUTION = "distribution",
        DOWNLOAD_URL = "downloadURL",
        ACCESS_URL = "accessURL",
        ACCESS_SERVICE = "accessService",
        MEDIA_TYPE = "mediaType",
        BYTE_SIZE = "byteSize",
        THEME = "theme",
        THEME_TAXONOMY = "themeTaxonomy",
        KEYWORD = "keyword",
        CONTACT_POINT = "contactPoint",
        ENDPOINT_URL = "endpointURL",
        ENDPOINT_DESCRIPTION = "endpointDescription",
        SERVES_DATASET = "servesDataset",
        LANDING_PAGE = "landingPage",
        BBOX = "bbox",
        CENTROID = "centroid",
        COMPRESS_FORMAT = "compressFormat",
    );
}

/// PROV-O.
pub mod prov {
    terms!("http://www.w3.org/ns/prov#";
        ENTITY = "Entity",
        WAS_DERIVED_FROM = "wasDerivedFrom",
    );
}

/// OWL-Time.
pub mod time {
    terms!("http://www.w3.org/2006/time#";
        INTERVAL = "Interval",
        INSTANT = "Instant",
        HAS_BEGINNING = "hasBeginning",
        IN_XSD_G_YEAR = "inXSDGYear",
    );
}

/// OWL (identity links to authorities).
pub mod owl {
    terms!("http://www.w3.org/2002/07/owl#";
        SAME_AS = "sameAs",
    );
}

/// FOAF.
pub mod foaf {
    terms!("http://xmlns.com/foaf/0.1/";
        AGENT = "Agent",
        DOCUMENT = "Document",
        NAME = "name",
        HOMEPAGE = "homepage",
        PAGE = "page",
        PRIMARY_TOPIC = "primaryTopic",
    );
}

/// vCard.
pub mod vcard {
    terms!("http://www.w3.org/2006/vcard/ns#";
        ORGANIZATION = "Organization",
        KIND = "Kind",
        FN = "fn",
        HAS_EMAIL = "hasEmail",
    );
}

/// SPDX (checksums).
pub mod spdx {
    terms!("http://spdx.org/rdf/terms#";
        CHECKSUM_CLASS = "Checksum",
        CHECKSUM = "checksum",
        ALGORITHM = "algorithm",
        CHECKSUM_VALUE = "checksumValue",
        SHA256 = "checksumAlgorithm_sha256",
    );
}

/// DCAT-AP's own terms.
pub mod dcatap {
    terms!("http://data.europa.eu/r5r/";
        AVAILABILITY = "availability",
    );
}

/// DCAT-AP_IT.
pub mod dcatapit {
    terms!("http://dati.gov.it/onto/dcatapit#";
        CATALOG = "Catalog",
        DATASET = "Dataset",
        DISTRIBUTION = "Distribution",
        AGENT = "Agent",
        ORGANIZATION = "Organization",
        GEOGRAPHICAL_IDENTIFIER = "geographicalIdentifier",
    );
}

/// schema.org under `http://`, as DCAT-AP_IT and its harvesters spell it for the temporal
/// coverage (the data itself uses `https://schema.org/`).
pub mod schema_http {
    terms!("http://schema.org/";
        START_DATE = "startDate",
        END_DATE = "endDate",
    );
}

/// RDF Schema.
pub mod rdfs {
    terms!("http://www.w3.org/2000/01/rdf-schema#";
        LABEL = "label",
    );
}

/// VoID.
pub mod void {
    terms!("http://rdfs.org/ns/void#";
        DATASET = "Dataset",
        DATASET_DESCRIPTION = "DatasetDescription",
        SPARQL_ENDPOINT = "sparqlEndpoint",
        DATA_DUMP = "dataDump",
        TRIPLES = "triples",
        ENTITIES = "entities",
        DISTINCT_SUBJECTS = "distinctSubjects",
        DISTINCT_OBJECTS = "distinctObjects",
        PROPERTIES = "properties",
        CLASSES = "classes",
        VOCABULARY = "vocabulary",
        URI_SPACE = "uriSpace",
        EXAMPLE_RESOURCE = "exampleResource",
        SUBSET = "subset",
        FEATURE = "feature",
    );
}

/// SPARQL 1.1 Service Description.
pub mod sd {
    terms!("http://www.w3.org/ns/sparql-service-description#";
        SERVICE = "Service",
        ENDPOINT = "endpoint",
        SUPPORTED_LANGUAGE = "supportedLanguage",
        SPARQL11_QUERY = "SPARQL11Query",
        RESULT_FORMAT = "resultFormat",
        FEATURE = "feature",
        UNION_DEFAULT_GRAPH = "UnionDefaultGraph",
        DEFAULT_ENTAILMENT_REGIME = "defaultEntailmentRegime",
        DEFAULT_DATASET = "defaultDataset",
        DATASET = "Dataset",
        DEFAULT_GRAPH = "defaultGraph",
        GRAPH_CLASS = "Graph",
        NAMED_GRAPH = "namedGraph",
        NAMED_GRAPH_CLASS = "NamedGraph",
        NAME = "name",
        GRAPH = "graph",
    );
}

/// W3C format IRIs.
pub mod formats {
    terms!("http://www.w3.org/ns/formats/";
        TURTLE = "Turtle",
        TRIG = "TriG",
        N_TRIPLES = "N-Triples",
        N_QUADS = "N-Quads",
        JSON_LD = "JSON-LD",
        RDF_XML = "RDF_XML",
        RESULTS_JSON = "SPARQL_Results_JSON",
        RESULTS_XML = "SPARQL_Results_XML",
        RESULTS_CSV = "SPARQL_Results_CSV",
        RESULTS_TSV = "SPARQL_Results_TSV",
    );
}

/// GeoSPARQL.
pub mod gsp {
    terms!("http://www.opengis.net/ont/geosparql#";
        WKT_LITERAL = "wktLiteral",
    );
}

/// Authority tables: those reti links to with `owl:sameAs`, and those the catalog refers to.
pub mod authority {
    /// Wikidata items: `{WIKIDATA}Q495`.
    pub const WIKIDATA: &str = "http://www.wikidata.org/entity/";
    /// EU Publications Office country authority table: `{EU_COUNTRY}ITA`.
    pub const EU_COUNTRY: &str = "http://publications.europa.eu/resource/authority/country/";
    /// EU file types: `{FILE_TYPE}RDF_TURTLE`.
    pub const FILE_TYPE: &str = "http://publications.europa.eu/resource/authority/file-type/";
    /// The EU data-theme table (a concept scheme).
    pub(crate) const DATA_THEME: &str =
        "http://publications.europa.eu/resource/authority/data-theme";
    /// EU frequencies.
    pub(crate) const FREQUENCY: &str =
        "http://publications.europa.eu/resource/authority/frequency/";
    /// Planned availability "stable".
    pub(crate) const STABLE: &str =
        "http://publications.europa.eu/resource/authority/planned-availability/STABLE";
    /// Public access.
    pub(crate) const PUBLIC: &str =
        "http://publications.europa.eu/resource/authority/access-right/PUBLIC";
    /// IANA media types: `{IANA}text/turtle`.
    pub const IANA: &str = "http://www.iana.org/assignments/media-types/";
    /// ADMS publisher types.
    pub(crate) const PUBLISHER_TYPE: &str = "http://purl.org/adms/publishertype/";
    /// ADMS licence types.
    pub(crate) const LICENCE_TYPE: &str = "http://purl.org/adms/licencetype/";
    /// SPARQL 1.1 Protocol.
    pub(crate) const SPARQL_PROTOCOL: &str = "https://www.w3.org/TR/sparql11-protocol/";
    /// SPARQL 1.1 Query Language.
    pub(crate) const SPARQL_QUERY: &str = "https://www.w3.org/TR/sparql11-query/";
    /// Simple entailment.
    pub(crate) const SIMPLE_ENTAILMENT: &str = "http://www.w3.org/ns/entailment/Simple";
}

/// Prefixes used by every serialisation (Turtle, TriG, RDF/XML, JSON-LD), in output order.
///
/// The data prefixes (`network:`, `place:` …) depend on the deployment base and are added by
/// [`crate::rdf::Base::prefixes`].
pub(crate) const VOCABULARY_PREFIXES: &[(&str, &str)] = &[
    ("dcat", dcat::NAMESPACE),
    ("dcterms", dcterms::NAMESPACE),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("org", org::NAMESPACE),
    ("owl", owl::NAMESPACE),
    ("prov", prov::NAMESPACE),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("reti", reti::NAMESPACE),
    ("schema", schema::NAMESPACE),
    ("skos", skos::NAMESPACE),
    ("time", time::NAMESPACE),
    ("vann", "http://purl.org/vocab/vann/"),
    ("wd", authority::WIKIDATA),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
];
