//! What the VoID description and the catalog say of the data beyond the graphs' sizes, made
//! once per build.

use super::*;

/// Vocabularies the data may use, by namespace.
pub(super) const VOCABULARIES: &[&str] = &[
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
    pub(super) counts: Vec<(NamedNode, u64)>,
    /// The vocabularies whose properties or classes the data uses.
    pub(super) vocabularies: Vec<&'static str>,
    /// The example resources that exist.
    pub(super) examples: Vec<NamedNode>,
    /// The earliest and latest year of any date in the sources' graphs (founding dates,
    /// membership starts, figures' dates, periods sources cover); the ontology's own dates are
    /// left out.
    pub(super) years: Option<(i64, i64)>,
}

/// [`Statistics`] as kept on disk: IRIs as strings.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub(super) struct StoredStatistics {
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
                .map_err(|e| BackendError::Query(crate::store::QueryError::Evaluation(e)))?;
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
pub(super) fn vocabularies<'a>(iris: impl Iterator<Item = &'a str>) -> Vec<&'static str> {
    let mut used: BTreeSet<&'static str> = BTreeSet::new();
    for iri in iris {
        if let Some(ns) = VOCABULARIES.iter().find(|ns| iri.starts_with(**ns)) {
            used.insert(ns);
        }
    }
    used.into_iter().collect()
}

/// The example resources (`void:exampleResource`) the data holds.
pub(super) fn examples(backend: &Backend) -> Result<Vec<NamedNode>, BackendError> {
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
