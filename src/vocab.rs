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

/// Declares a namespace's terms as `NamedNodeRef` constants (used here and by other modules
/// with vocabularies of their own, such as the catalog's).
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
pub(crate) use terms;

/// reti's own ontology: only what the reused vocabularies lack.
pub mod reti {
    use super::NamedNodeRef;
    /// The ontology resource itself.
    pub const ONTOLOGY: NamedNodeRef<'static> =
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
    );
}

/// DCAT (only the period bounds are used by the dataset itself).
pub mod dcat {
    terms!("http://www.w3.org/ns/dcat#";
        START_DATE = "startDate",
        END_DATE = "endDate",
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

/// Authority namespaces that reti links to with `owl:sameAs`.
pub mod authority {
    /// Wikidata items: `{WIKIDATA}Q495`.
    pub const WIKIDATA: &str = "http://www.wikidata.org/entity/";
    /// EU Publications Office country authority table: `{EU_COUNTRY}ITA`.
    pub const EU_COUNTRY: &str = "http://publications.europa.eu/resource/authority/country/";
}

/// Prefixes used by every serialisation (Turtle, TriG, RDF/XML, JSON-LD), in output order.
///
/// The data prefixes (`network:`, `place:` …) depend on the deployment base and are added by
/// [`crate::rdf::Base::prefixes`].
pub const VOCABULARY_PREFIXES: &[(&str, &str)] = &[
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
