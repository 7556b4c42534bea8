//! SHACL validation of the built graph against the shapes of `ontology/shapes.ttl`.
//!
//! reti's own model checks catch what a maintainer can get wrong in one record; the shapes say
//! what the published graph as a whole must look like. [`Dataset::build`] runs both, so no
//! command publishes a graph that does not conform. The engine is the `shacl` crate of the
//! rudof project (Core SHACL, native in-memory mode), enabled by the cargo feature `shacl`:
//! without it, [`validate`] finds nothing and [`ENABLED`] is false.
//!
//! The data graph is the merge of all named graphs (the store's default graph), ontology
//! included, the same graph `reti export` writes and `tests/python/independent_check.py`
//! validates with pyshacl. Each result becomes a [`Diagnostic`] at the first record that
//! describes the focus node (where its records were written).
//!
//! [`Dataset::build`]: crate::store::Dataset::build

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::Origin;
use crate::store::Dataset;
use oxigraph::model::Triple;
use std::fmt;
use std::path::Path;

/// Whether this build of reti validates with SHACL (the cargo feature `shacl`).
pub const ENABLED: bool = cfg!(feature = "shacl");

/// How serious a result is: its shape's `sh:severity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// `sh:Info`: printed, does not fail the build.
    Info,
    /// `sh:Warning`: printed, does not fail the build.
    Warning,
    /// `sh:Violation` (and any other severity): fails the build.
    Violation,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Violation => "violation",
        })
    }
}

/// One result of the validation report.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// `sh:resultSeverity`.
    pub severity: Severity,
    /// `sh:focusNode`: the full IRI of the resource (or the N-Triples form of another term).
    pub focus: String,
    /// `sh:resultPath`, its IRIs compacted with the dataset's prefixes (`reti:istatCode`).
    pub path: Option<String>,
    /// `sh:value`, when the result is about one value other than the focus node (IRIs
    /// compacted).
    pub value: Option<String>,
    /// `sh:resultMessage` in English (or in any language given), else the constraint
    /// component that failed.
    pub message: String,
    /// `sh:sourceShape`, compacted.
    pub shape: Option<String>,
}

/// Why validation could not run: a defect of reti itself (shapes that do not compile, say).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ValidationError(pub String);

/// Starts compiling the shipped shapes on another thread, so that they are ready by the time
/// the graph is built (it takes about as long as building it). Without the `shacl` feature,
/// does nothing.
pub(crate) fn prepare() {
    #[cfg(feature = "shacl")]
    std::thread::spawn(|| {
        let _ = engine::shapes();
    });
}

/// Validates the dataset's merged graph against the shipped shapes; returns every result,
/// sorted (empty when the data conforms, or when reti was built without the `shacl` feature).
pub fn validate(dataset: &Dataset) -> Result<Vec<Finding>, ValidationError> {
    if !ENABLED {
        // nothing would read them: decoding the merged graph cost a tenth of a build's time and
        // a copy of the graph in memory (gigabytes at a million memberships)
        return Ok(Vec::new());
    }
    let mut triples = Vec::new();
    for quad in dataset.store().quads_for_pattern(
        None,
        None,
        None,
        Some(oxigraph::model::GraphNameRef::DefaultGraph),
    ) {
        triples.push(Triple::from(
            quad.map_err(|e| ValidationError(e.to_string()))?,
        ));
    }
    validate_triples(triples, &dataset.base().prefixes())
}

/// Validates a graph against the shipped shapes; IRIs of paths, values and shapes in the
/// findings are compacted with `prefixes`. Empty without the `shacl` feature.
pub(crate) fn validate_triples(
    triples: impl IntoIterator<Item = Triple>,
    prefixes: &[(String, String)],
) -> Result<Vec<Finding>, ValidationError> {
    #[cfg(feature = "shacl")]
    {
        engine::validate(triples, prefixes)
    }
    #[cfg(not(feature = "shacl"))]
    {
        let _ = (triples.into_iter(), prefixes);
        Ok(Vec::new())
    }
}

/// The findings as diagnostics: `(violations, others)`. Each points at the first record that
/// describes the focus node (`origins_of`, where its records were written say), or at `data_dir` when
/// none does, column 1, and lists the other records that describe it in its help.
pub fn diagnostics(
    findings: &[Finding],
    origins_of: impl Fn(&str) -> Vec<Origin>,
    data_dir: &Path,
) -> (Diagnostics, Diagnostics) {
    let mut violations = Diagnostics::default();
    let mut others = Diagnostics::default();
    for finding in findings {
        let origins = origins_of(&finding.focus);
        let (file, line) = origins
            .first()
            .map_or_else(|| (data_dir.to_owned(), 1), |o| (o.file.clone(), o.line));
        let mut context = format!("focus {}", finding.focus);
        if let Some(path) = &finding.path {
            context.push_str(&format!(", path {path}"));
        }
        if let Some(value) = &finding.value {
            context.push_str(&format!(", value {value}"));
        }
        let help = (origins.len() > 1).then(|| {
            let rest: Vec<String> = origins[1..].iter().map(ToString::to_string).collect();
            format!("{} is also described at {}", finding.focus, rest.join(", "))
        });
        let diagnostic = Diagnostic {
            file,
            line,
            column: 1,
            message: format!(
                "SHACL {}: {} ({context})",
                finding.severity, finding.message
            ),
            help,
        };
        match finding.severity {
            Severity::Violation => violations.0.push(diagnostic),
            Severity::Warning | Severity::Info => others.0.push(diagnostic),
        }
    }
    violations.sort();
    others.sort();
    (violations, others)
}

#[cfg(feature = "shacl")]
mod engine {
    use super::{Finding, Severity, ValidationError};
    use crate::rdf::compact_iri;
    use oxigraph::model::Triple;
    use rudof_rdf::rdf_core::term::Object;
    use rudof_rdf::rdf_core::{RDFFormat, SHACLPath};
    use rudof_rdf::rdf_impl::{OxigraphInMemory, ReaderMode};
    use shacl::ir::IRSchema;
    use shacl::validator::processor::{GraphValidation, ShaclProcessor};
    use shacl::validator::store::Graph;
    use shacl::validator::{ShaclConfig, ShaclValidationMode};
    use std::sync::OnceLock;

    /// The shipped shapes, compiled once per process.
    pub(super) fn shapes() -> Result<&'static IRSchema, ValidationError> {
        static SHAPES: OnceLock<Result<IRSchema, String>> = OnceLock::new();
        SHAPES
            .get_or_init(|| {
                IRSchema::from_str(
                    crate::rdf::SHAPES_TTL,
                    &RDFFormat::Turtle,
                    None,
                    &ReaderMode::default(),
                )
                .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(|e| ValidationError(format!("the shipped SHACL shapes do not compile: {e}")))
    }

    pub(super) fn validate(
        triples: impl IntoIterator<Item = Triple>,
        prefixes: &[(String, String)],
    ) -> Result<Vec<Finding>, ValidationError> {
        let shapes = shapes()?;
        let mut data = OxigraphInMemory::new();
        for t in triples {
            data.add_triple_ref(&t.subject, &t.predicate, &t.object)
                .map_err(|e| ValidationError(e.to_string()))?;
        }
        let report = GraphValidation::new(Graph::from(data))
            .validate(
                shapes,
                &ShaclValidationMode::Native,
                &ShaclConfig::default(),
            )
            .map_err(|e| ValidationError(format!("SHACL validation failed: {e}")))?;
        let mut findings: Vec<Finding> = report
            .results()
            .iter()
            .map(|r| Finding {
                severity: match r.severity() {
                    shacl::types::Severity::Info
                    | shacl::types::Severity::Debug
                    | shacl::types::Severity::Trace => Severity::Info,
                    shacl::types::Severity::Warning => Severity::Warning,
                    _ => Severity::Violation,
                },
                focus: object(r.focus_node(), None),
                path: r.path().map(|p| path(p, prefixes)),
                value: r
                    .value()
                    .filter(|v| *v != r.focus_node())
                    .map(|v| object(v, Some(prefixes))),
                message: message(r.message())
                    .unwrap_or_else(|| object(r.constraint_component(), Some(prefixes))),
                shape: r.source().map(|s| object(s, Some(prefixes))),
            })
            .collect();
        findings.sort();
        findings.dedup();
        Ok(findings)
    }

    /// The English message, else the untagged one, else any.
    fn message(messages: &shacl::types::MessageMap) -> Option<String> {
        let mut all: Vec<(Option<&str>, &String)> = messages
            .iter()
            .map(|(lang, m)| (lang.as_ref().map(|l| l.as_str()), m))
            .collect();
        all.sort_by_key(|(lang, _)| match lang {
            Some(l) if l.eq_ignore_ascii_case("en") => (0, *lang),
            None => (1, None),
            _ => (2, *lang),
        });
        all.first().map(|(_, m)| (*m).clone())
    }

    /// An IRI as is (or compacted when given prefixes); other terms in their display form.
    fn object(term: &Object, prefixes: Option<&[(String, String)]>) -> String {
        match (term, prefixes) {
            (Object::Iri(iri), Some(prefixes)) => compact_iri(iri.as_str(), prefixes),
            (Object::Iri(iri), None) => iri.as_str().to_owned(),
            (other, _) => other.to_string(),
        }
    }

    /// A SHACL path in SPARQL property-path syntax, its IRIs compacted.
    fn path(path: &SHACLPath, prefixes: &[(String, String)]) -> String {
        let join = |paths: &[SHACLPath], sep: &str| {
            let parts: Vec<String> = paths.iter().map(|p| path_in(p, prefixes)).collect();
            parts.join(sep)
        };
        match path {
            SHACLPath::Predicate { pred } => compact_iri(pred.as_str(), prefixes),
            SHACLPath::Sequence { paths } => join(paths, "/"),
            SHACLPath::Alternative { paths } => join(paths, "|"),
            SHACLPath::Inverse { path } => format!("^{}", path_in(path, prefixes)),
            SHACLPath::ZeroOrMore { path } => format!("{}*", path_in(path, prefixes)),
            SHACLPath::OneOrMore { path } => format!("{}+", path_in(path, prefixes)),
            SHACLPath::ZeroOrOne { path } => format!("{}?", path_in(path, prefixes)),
        }
    }

    /// A path nested in another: parenthesised unless it is a single predicate.
    fn path_in(p: &SHACLPath, prefixes: &[(String, String)]) -> String {
        match p {
            SHACLPath::Predicate { .. } => path(p, prefixes),
            _ => format!("({})", path(p, prefixes)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(
        severity: Severity,
        focus: &str,
        path: Option<&str>,
        value: Option<&str>,
    ) -> Finding {
        Finding {
            severity,
            focus: focus.to_owned(),
            path: path.map(str::to_owned),
            value: value.map(str::to_owned),
            message: "Something is wrong: fix it.".to_owned(),
            shape: None,
        }
    }

    #[test]
    fn findings_point_at_the_records_of_their_focus_node() {
        let origin = |file: &str, line| Origin {
            file: file.into(),
            line,
        };
        let origins_of = |iri: &str| match iri.split('#').next() {
            Some("http://x/id/place/a") => vec![origin("data/p.csv", 7)],
            Some("http://x/id/network/n") => {
                vec![origin("data/n.toml", 1), origin("data/m.csv", 3)]
            }
            _ => Vec::new(),
        };
        let findings = [
            finding(
                Severity::Violation,
                "http://x/id/place/a",
                Some("reti:istatCode"),
                None,
            ),
            finding(
                Severity::Warning,
                "http://x/id/network/n",
                Some("rdfs:label"),
                Some("\"x\"@de"),
            ),
            finding(Severity::Violation, "http://x/id/nothing", None, None),
        ];
        let (violations, others) = diagnostics(&findings, origins_of, Path::new("data"));
        let shown: Vec<String> = violations.0.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "data:1:1: SHACL violation: Something is wrong: fix it. (focus http://x/id/nothing)",
                "data/p.csv:7:1: SHACL violation: Something is wrong: fix it. \
                 (focus http://x/id/place/a, path reti:istatCode)",
            ]
        );
        let shown: Vec<String> = others.0.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "data/n.toml:1:1: SHACL warning: Something is wrong: fix it. \
                 (focus http://x/id/network/n, path rdfs:label, value \"x\"@de)\n  \
                 help: http://x/id/network/n is also described at data/m.csv:3"
            ]
        );
    }
}

#[cfg(all(test, feature = "shacl"))]
mod engine_tests {
    use super::*;
    use oxigraph::io::{RdfFormat, RdfParser};

    /// A graph that breaks one constraint of each kind the shapes use (sh:equals, sh:uniqueLang,
    /// sh:languageIn, sh:qualifiedValueShape, sh:or of datatypes and of classes, sh:not,
    /// sh:pattern on a sequence path, sh:maxCount, sh:class, sh:minCount), with the results
    /// pyshacl 0.40.1 gives for it (focus node, source shape): the engines must agree.
    const BROKEN: &str = r#"
@prefix reti: <https://w3id.org/reti/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://example.org/id/> .

ex:bad a reti:Network, org:Organization, org:Site ;
    rdfs:label "Bad"@en, "Bad again"@en, "Schlecht"@de ;
    skos:prefLabel "Cattivo"@it ;
    schema:foundingDate "1999" ;
    schema:foundingLocation ex:nowhere .

ex:m a org:Membership ;
    org:member ex:bad ;
    org:organization ex:bad ;
    org:role ex:someField ;
    org:memberDuring ex:i1, ex:i2 .

ex:someField a skos:Concept ;
    skos:inScheme <http://example.org/id/scheme/fields> ;
    skos:prefLabel "Some field"@en ;
    rdfs:label "Some field"@en .
"#;

    const PYSHACL: &[(&str, &str)] = &[
        ("ex:bad", "Network-foundingDate"),
        ("ex:bad", "Network-foundingLocation"),
        ("ex:bad", "Network-label"),
        ("ex:bad", "Network-label-equals-prefLabel"),
        ("ex:bad", "Network-prefLabel-en"),
        ("ex:bad", "NetworkShape"),
        ("ex:bad", "Site-containedInPlace"),
        ("ex:bad", "Site-label"),
        ("ex:bad", "Site-siteOf"),
        ("ex:bad", "SiteShape"),
        ("ex:m", "Membership-member-place"),
        ("ex:m", "Membership-memberDuring"),
        ("ex:m", "Membership-role-scheme"),
        ("ex:someField", "Concept-inScheme"),
    ];

    #[test]
    fn every_kind_of_constraint_is_checked_as_pyshacl_does() {
        let triples = RdfParser::from_format(RdfFormat::Turtle)
            .for_slice(BROKEN.as_bytes())
            .map(|q| Triple::from(q.expect("test graph parses")));
        let mut prefixes: Vec<(String, String)> = crate::vocab::VOCABULARY_PREFIXES
            .iter()
            .map(|(p, ns)| ((*p).to_owned(), (*ns).to_owned()))
            .collect();
        prefixes.push(("ex".to_owned(), "http://example.org/id/".to_owned()));
        prefixes.push(("sh".to_owned(), "https://w3id.org/reti/shapes#".to_owned()));
        let findings = validate_triples(triples, &prefixes).expect("validation runs");
        let mut found: Vec<(String, String)> = findings
            .iter()
            .map(|f| {
                let shape = f.shape.clone().unwrap_or_default();
                let focus = crate::rdf::compact_iri(&f.focus, &prefixes);
                (focus, shape.trim_start_matches("sh:").to_owned())
            })
            .collect();
        found.sort();
        found.dedup();
        let expected: Vec<(String, String)> = PYSHACL
            .iter()
            .map(|(f, s)| ((*f).to_owned(), (*s).to_owned()))
            .collect();
        assert_eq!(found, expected, "{findings:#?}");
        assert!(findings.iter().all(|f| f.severity == Severity::Violation));
        let scheme = findings
            .iter()
            .find(|f| f.shape.as_deref() == Some("sh:Membership-role-scheme"))
            .expect("role scheme result");
        assert_eq!(scheme.path.as_deref(), Some("org:role/skos:inScheme"));
        assert!(
            scheme.message.starts_with("The role of a membership"),
            "{scheme:?}"
        );
    }
}
