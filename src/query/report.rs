//! The reconciliation report: each stated figure beside what the data lists, and each point
//! where two sources disagree, with both sources and their dates.
//!
//! A stated figure ("180 cities") is a claim of its source, not a count of the data; the report
//! puts the two side by side so a maintainer sees what the dataset does and does not list. It is
//! computed from the built dataset alone (by SPARQL), so `reti check --report`, the `/report` page
//! and its RDF form always agree.

use crate::query::{BackendError, Sparql};
use crate::vocab::{dcterms, org, reti, schema};
use oxigraph::model::{Literal, NamedNode, Term, Triple};
use oxigraph::sparql::QueryResults;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// What a measure is compared with in the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listed {
    /// Distinct members with the role `member`.
    Members,
    /// Distinct countries the listed members lie in.
    CountriesOfMembers,
    /// Sum of the listed members' latest resident population.
    PopulationOfMembers,
    /// Organisational units of the network (forums, working groups).
    Units,
}

/// How each measure is reconciled, by measure slug. A measure not listed here is reported as
/// "not comparable": add it when a new measure has a count in the data.
pub(crate) const MEASURES: &[(&str, Listed)] = &[
    ("member-cities", Listed::Members),
    ("full-members", Listed::Members),
    ("public-administrations", Listed::Members),
    ("countries", Listed::CountriesOfMembers),
    ("citizens", Listed::PopulationOfMembers),
    ("thematic-forums", Listed::Units),
];

/// A source's claim: who says it and of when.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Said {
    /// The source entity.
    pub source: NamedNode,
    /// Its title.
    pub title: String,
    /// The date the claim refers to, or the period the source covers ("2017–2018").
    pub when: Option<String>,
}

/// One stated figure and what the data lists for it.
#[derive(Debug, Clone)]
pub struct FigureCheck {
    /// The figure resource.
    pub figure: NamedNode,
    /// The measure's label.
    pub measure: String,
    /// The stated value.
    pub value: u64,
    /// The source said "more than".
    pub lower_bound: bool,
    /// Who states it, of when.
    pub said: Said,
    /// What the data lists, when comparable.
    pub listed: Option<u64>,
    /// What that count is.
    pub kind: Option<Listed>,
}

impl FigureCheck {
    /// Whether the listed count is what the figure states (or, for "more than", exceeds it).
    pub fn agrees(&self) -> Option<bool> {
        self.listed.map(|l| {
            if self.lower_bound {
                l > self.value
            } else {
                l == self.value
            }
        })
    }

    /// The comparison in words.
    pub fn verdict(&self) -> String {
        if let (Some(Listed::PopulationOfMembers), Some(l)) = (self.kind, self.listed) {
            return format!("the listed members have {l} residents");
        }
        match (self.listed, self.agrees()) {
            (None, _) => "not comparable with the data".into(),
            (Some(l), Some(true)) => format!("{l} listed ✓"),
            (Some(l), _) if self.lower_bound => format!("{l} listed, not more than {}", self.value),
            (Some(l), _) if l < self.value => format!("{l} of {} listed", self.value),
            (Some(l), _) => format!("{l} listed, more than the {} stated", self.value),
        }
    }
}

/// A network's figures.
#[derive(Debug, Clone)]
pub struct NetworkReport {
    /// The network.
    pub network: NamedNode,
    /// Its name.
    pub name: String,
    /// Distinct members listed with the role `member`.
    pub members: u64,
    /// Its stated figures, by measure then date.
    pub figures: Vec<FigureCheck>,
}

/// A point where sources disagree.
#[derive(Debug, Clone)]
pub struct Disagreement {
    /// What it is about.
    pub subject: NamedNode,
    /// Its name.
    pub subject_name: String,
    /// The property or measure in question, in words.
    pub about: String,
    /// The property, when the disagreement is about one.
    pub property: Option<NamedNode>,
    /// Each claim: what it says, and who says it.
    pub claims: Vec<(String, Said)>,
}

/// The whole report.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Per network.
    pub networks: Vec<NetworkReport>,
    /// Where sources disagree.
    pub disagreements: Vec<Disagreement>,
}

/// A figure's subject, measure and date (`None`: undated).
type FigureKey = (NamedNode, NamedNode, Option<String>);
/// What a source says, and the source.
type Claim = (String, Said);

/// Why the report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A query of the report failed (or the remote store did not answer it).
    #[error("cannot compute the reconciliation report: {0}")]
    Query(#[from] BackendError),
    /// A result could not be read.
    #[error("cannot compute the reconciliation report: {0}")]
    Results(String),
}

struct Ctx<'a> {
    dataset: &'a dyn Sparql,
    lang: &'a str,
    names: BTreeMap<NamedNode, BTreeMap<String, String>>,
    /// Each source graph's source, as said by default (its coverage as the date).
    sources: BTreeMap<NamedNode, Said>,
}

impl Ctx<'_> {
    fn rows(&self, query: &str) -> Result<Vec<BTreeMap<String, Term>>, ReportError> {
        let results = self.dataset.sparql(query)?;
        let QueryResults::Solutions(solutions) = results else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for s in solutions {
            let s = s.map_err(|e| ReportError::Results(e.to_string()))?;
            out.push(
                s.iter()
                    .map(|(v, t)| (v.as_str().to_owned(), t.clone()))
                    .collect(),
            );
        }
        Ok(out)
    }

    fn name(&self, n: &NamedNode) -> String {
        self.names
            .get(n)
            .and_then(|l| {
                l.get(self.lang)
                    .or_else(|| l.get("en"))
                    .or_else(|| l.values().next())
            })
            .cloned()
            .unwrap_or_else(|| n.as_str().to_owned())
    }

    /// Who says what a graph holds, of `date` (or of the period the source covers).
    fn said(&self, graph: &Term, date: Option<String>) -> Option<Said> {
        let Term::NamedNode(g) = graph else {
            return None;
        };
        let s = self.sources.get(g)?;
        Some(Said {
            when: date.or_else(|| s.when.clone()),
            ..s.clone()
        })
    }
}

fn node(row: &BTreeMap<String, Term>, var: &str) -> Option<NamedNode> {
    match row.get(var) {
        Some(Term::NamedNode(n)) => Some(n.clone()),
        _ => None,
    }
}

fn text(row: &BTreeMap<String, Term>, var: &str) -> Option<String> {
    match row.get(var) {
        Some(Term::Literal(l)) => Some(l.value().to_owned()),
        Some(Term::NamedNode(n)) => Some(n.as_str().to_owned()),
        _ => None,
    }
}

const PREFIXES: &str = "PREFIX org: <http://www.w3.org/ns/org#>
PREFIX reti: <https://w3id.org/reti/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX time: <http://www.w3.org/2006/time#>
";

/// Computes the report, with names in `lang` (falling back to English).
pub fn reconcile(dataset: &impl Sparql, lang: &str) -> Result<Report, ReportError> {
    let mut ctx = Ctx {
        dataset,
        lang,
        names: BTreeMap::new(),
        sources: BTreeMap::new(),
    };
    for row in ctx.rows(&format!(
        "{PREFIXES} SELECT ?s ?l WHERE {{ ?s rdfs:label ?l }}"
    ))? {
        if let (Some(s), Some(Term::Literal(l))) = (node(&row, "s"), row.get("l")) {
            ctx.names
                .entry(s)
                .or_default()
                .insert(l.language().unwrap_or("").to_owned(), l.value().to_owned());
        }
    }
    for row in ctx.rows(&format!(
        "{PREFIXES} SELECT ?g ?src ?title ?from ?until WHERE {{
           ?g prov:wasDerivedFrom ?src . ?src dcterms:title ?title .
           OPTIONAL {{ ?src dcterms:temporal ?p . OPTIONAL {{ ?p dcat:startDate ?from }} OPTIONAL {{ ?p dcat:endDate ?until }} }}
         }}"
    ))? {
        let (Some(g), Some(src), Some(title)) = (node(&row, "g"), node(&row, "src"), text(&row, "title")) else { continue };
        let when = match (text(&row, "from"), text(&row, "until")) {
            (Some(a), Some(b)) if a == b => Some(a),
            (Some(a), Some(b)) => Some(format!("{a}–{b}")),
            (Some(a), None) => Some(format!("from {a}")),
            (None, Some(b)) => Some(format!("until {b}")),
            (None, None) => None,
        };
        ctx.sources.insert(g, Said { source: src, title, when });
    }
    let ctx = ctx;
    let lookup = |graph: &Term, date: Option<String>| ctx.said(graph, date);

    let member_role = dataset.base().mint("role", "member");
    let mut report = Report::default();
    let networks = ctx.rows(&format!(
        "{PREFIXES} SELECT ?n (COUNT(DISTINCT ?m) AS ?members) WHERE {{
           ?n a reti:Network .
           OPTIONAL {{ ?x org:organization ?n ; org:role <{member_role}> ; org:member ?m }}
         }} GROUP BY ?n ORDER BY ?n",
        member_role = member_role.as_str()
    ))?;
    for row in networks {
        let Some(n) = node(&row, "n") else { continue };
        let members = text(&row, "members")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let listed = |kind: Listed| -> Result<u64, ReportError> {
            let query = match kind {
                Listed::Members => return Ok(members),
                Listed::CountriesOfMembers => format!(
                    "{PREFIXES} SELECT (COUNT(DISTINCT ?c) AS ?v) WHERE {{
                       ?x org:organization <{n}> ; org:role <{r}> ; org:member ?m .
                       ?m schema:containedInPlace* ?c . ?c a schema:Country }}",
                    n = n.as_str(), r = member_role.as_str()
                ),
                Listed::PopulationOfMembers => format!(
                    "{PREFIXES} SELECT (SUM(?pop) AS ?v) WHERE {{
                       {{ SELECT DISTINCT ?m WHERE {{ ?x org:organization <{n}> ; org:role <{r}> ; org:member ?m }} }}
                       ?m reti:statedFigure ?f . ?f schema:value ?pop ; reti:measure ?measure .
                       FILTER(STRENDS(STR(?measure), '/measure/resident-population'))
                       FILTER NOT EXISTS {{ ?m reti:statedFigure ?g . ?g reti:measure ?measure ; dcterms:date ?d2 .
                                            ?f dcterms:date ?d1 . FILTER(STR(?d2) > STR(?d1)) }} }}",
                    n = n.as_str(), r = member_role.as_str()
                ),
                Listed::Units => format!(
                    "{PREFIXES} SELECT (COUNT(DISTINCT ?u) AS ?v) WHERE {{ ?u org:subOrganizationOf <{n}> }}",
                    n = n.as_str()
                ),
            };
            Ok(ctx
                .rows(&query)?
                .first()
                .and_then(|r| text(r, "v"))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0))
        };
        let mut figures = Vec::new();
        for f in ctx.rows(&format!(
            "{PREFIXES} SELECT ?f ?measure ?value ?date ?lb ?g WHERE {{
               GRAPH ?g {{ <{n}> reti:statedFigure ?f . ?f reti:measure ?measure ; schema:value ?value .
                          OPTIONAL {{ ?f dcterms:date ?date }} OPTIONAL {{ ?f reti:isLowerBound ?lb }} }}
             }} ORDER BY ?measure ?date ?g",
            n = n.as_str()
        ))? {
            let (Some(figure), Some(measure), Some(value), Some(g)) =
                (node(&f, "f"), node(&f, "measure"), text(&f, "value"), f.get("g"))
            else {
                continue;
            };
            let Some(said) = lookup(g, text(&f, "date")) else { continue };
            let slug = measure.as_str().rsplit('/').next().unwrap_or_default();
            let kind = MEASURES.iter().find(|(m, _)| *m == slug).map(|(_, k)| *k);
            let listed = match kind {
                Some(kind) => Some(listed(kind)?),
                None => None,
            };
            figures.push(FigureCheck {
                figure,
                measure: ctx.name(&measure),
                value: value.parse().unwrap_or(0),
                lower_bound: text(&f, "lb").is_some_and(|v| v == "true"),
                said,
                listed,
                kind,
            });
        }
        report.networks.push(NetworkReport {
            name: ctx.name(&n),
            network: n,
            members,
            figures,
        });
    }

    // Figures: the same measure of the same thing for the same date (or undated), different
    // values from different sources.
    let mut figure_claims: BTreeMap<FigureKey, Vec<Claim>> = BTreeMap::new();
    for row in ctx.rows(&format!(
        "{PREFIXES} SELECT ?s ?measure ?value ?date ?lb ?g WHERE {{
           GRAPH ?g {{ ?s reti:statedFigure ?f . ?f reti:measure ?measure ; schema:value ?value .
                      OPTIONAL {{ ?f dcterms:date ?date }} OPTIONAL {{ ?f reti:isLowerBound ?lb }} }} }}"
    ))? {
        let (Some(s), Some(measure), Some(value), Some(g)) = (node(&row, "s"), node(&row, "measure"), text(&row, "value"), row.get("g")) else { continue };
        let date = text(&row, "date");
        let Some(said) = lookup(g, date.clone()) else { continue };
        let over = if text(&row, "lb").is_some_and(|v| v == "true") { "more than " } else { "" };
        figure_claims.entry((s, measure, date)).or_default().push((format!("{over}{value}"), said));
    }
    for ((s, measure, _), claims) in figure_claims {
        let values: BTreeSet<&String> = claims.iter().map(|(v, _)| v).collect();
        let sources: BTreeSet<&NamedNode> = claims.iter().map(|(_, s)| &s.source).collect();
        if values.len() > 1 && sources.len() > 1 {
            report.disagreements.push(Disagreement {
                subject_name: ctx.name(&s),
                subject: s,
                about: ctx.name(&measure).to_lowercase(),
                property: None,
                claims,
            });
        }
    }

    // Single-valued properties given differently by different sources.
    for property in [
        schema::FOUNDING_DATE,
        schema::FOUNDING_LOCATION,
        crate::vocab::time::IN_XSD_G_YEAR,
        reti::CREATIVE_FIELD,
    ] {
        let mut by_subject: BTreeMap<NamedNode, Vec<(String, Said)>> = BTreeMap::new();
        for row in ctx.rows(&format!(
            "{PREFIXES} SELECT ?s ?o ?g WHERE {{ GRAPH ?g {{ ?s <{p}> ?o }} }} ORDER BY ?s ?g",
            p = property.as_str()
        ))? {
            let (Some(s), Some(o), Some(g)) = (node(&row, "s"), row.get("o"), row.get("g")) else {
                continue;
            };
            let value = match o {
                Term::NamedNode(n) => ctx.name(n),
                Term::Literal(l) => l.value().to_owned(),
                other => other.to_string(),
            };
            if let Some(said) = lookup(g, None) {
                by_subject.entry(s).or_default().push((value, said));
            }
        }
        for (s, claims) in by_subject {
            let values: BTreeSet<&String> = claims.iter().map(|(v, _)| v).collect();
            if values.len() > 1 {
                report.disagreements.push(Disagreement {
                    subject_name: ctx.name(&s),
                    subject: s,
                    about: ctx.name(&NamedNode::from(property)).to_lowercase(),
                    property: Some(property.into()),
                    claims,
                });
            }
        }
    }

    // Lists: an item one source gives and another source, giving the same list, leaves out.
    for property in [schema::AREA_SERVED, reti::EXTERNAL_PARTNER] {
        let mut lists: BTreeMap<NamedNode, BTreeMap<NamedNode, (Said, BTreeSet<NamedNode>)>> =
            BTreeMap::new();
        for row in ctx.rows(&format!(
            "{PREFIXES} SELECT ?s ?o ?g WHERE {{ GRAPH ?g {{ ?s <{p}> ?o }} }}",
            p = property.as_str()
        ))? {
            let (Some(s), Some(o), Some(g)) = (node(&row, "s"), node(&row, "o"), row.get("g"))
            else {
                continue;
            };
            let Some(said) = lookup(g, None) else {
                continue;
            };
            lists
                .entry(s)
                .or_default()
                .entry(said.source.clone())
                .or_insert((said, BTreeSet::new()))
                .1
                .insert(o);
        }
        for (s, by_source) in lists {
            if by_source.len() < 2 {
                continue;
            }
            let all: BTreeSet<&NamedNode> =
                by_source.values().flat_map(|(_, items)| items).collect();
            for item in all {
                let stating: Vec<&Said> = by_source
                    .values()
                    .filter(|(_, i)| i.contains(item))
                    .map(|(s, _)| s)
                    .collect();
                if stating.len() == by_source.len() {
                    continue;
                }
                let claims = by_source
                    .values()
                    .map(|(said, items)| {
                        (
                            if items.contains(item) { "yes" } else { "no" }.to_owned(),
                            said.clone(),
                        )
                    })
                    .collect();
                report.disagreements.push(Disagreement {
                    subject_name: ctx.name(&s),
                    subject: s.clone(),
                    about: format!(
                        "{}: {}",
                        ctx.name(&NamedNode::from(property)).to_lowercase(),
                        ctx.name(item)
                    ),
                    property: Some(property.into()),
                    claims,
                });
            }
        }
    }

    // Roles: the same member and organisation in different roles by different sources.
    let mut roles: BTreeMap<(NamedNode, NamedNode), Vec<(String, Said)>> = BTreeMap::new();
    for row in ctx.rows(&format!(
        "{PREFIXES} SELECT ?m ?o ?role ?g WHERE {{ GRAPH ?g {{ ?x org:member ?m ; org:organization ?o ; org:role ?role }} }} ORDER BY ?m ?o ?g"
    ))? {
        let (Some(m), Some(o), Some(role), Some(g)) = (node(&row, "m"), node(&row, "o"), node(&row, "role"), row.get("g")) else { continue };
        if role == member_role {
            continue;
        }
        if let Some(said) = lookup(g, None) {
            roles.entry((m, o)).or_default().push((ctx.name(&role), said));
        }
    }
    for ((m, o), claims) in roles {
        let by_source: BTreeMap<&NamedNode, BTreeSet<&String>> =
            claims.iter().fold(BTreeMap::new(), |mut acc, (r, s)| {
                acc.entry(&s.source).or_insert_with(BTreeSet::new).insert(r);
                acc
            });
        let distinct: BTreeSet<&BTreeSet<&String>> = by_source.values().collect();
        if by_source.len() > 1 && distinct.len() > 1 {
            report.disagreements.push(Disagreement {
                subject_name: format!("{} in {}", ctx.name(&m), ctx.name(&o)),
                subject: o.clone(),
                about: "role".into(),
                property: Some(org::ROLE.into()),
                claims,
            });
        }
    }
    report
        .disagreements
        .sort_by(|a, b| (&a.subject_name, &a.about).cmp(&(&b.subject_name, &b.about)));
    // claims by source title: not in the order a store happens to return them
    for d in &mut report.disagreements {
        d.claims.sort_by(|(va, sa), (vb, sb)| {
            (&sa.title, va, &sa.source).cmp(&(&sb.title, vb, &sb.source))
        });
    }
    Ok(report)
}

fn said_text(s: &Said) -> String {
    match &s.when {
        Some(w) => format!("{}, {w}", s.title),
        None => s.title.clone(),
    }
}

impl Report {
    /// The report as text, for `reti check --report`.
    pub(crate) fn to_text(&self) -> String {
        let mut out = String::from("Stated figures beside what the data lists\n");
        for n in &self.networks {
            let _ = writeln!(
                out,
                "\n{} — {} member{} listed",
                n.name,
                n.members,
                if n.members == 1 { "" } else { "s" }
            );
            if n.figures.is_empty() {
                let _ = writeln!(out, "  (no stated figures)");
            }
            for f in &n.figures {
                let over = if f.lower_bound { "more than " } else { "" };
                let _ = writeln!(
                    out,
                    "  {}: {over}{} ({}) — {}",
                    f.measure,
                    f.value,
                    said_text(&f.said),
                    f.verdict()
                );
            }
        }
        let _ = writeln!(out, "\nWhere sources disagree\n");
        if self.disagreements.is_empty() {
            let _ = writeln!(out, "  (nowhere)");
        }
        for d in &self.disagreements {
            let _ = writeln!(out, "{} — {}", d.subject_name, d.about);
            for (value, said) in &d.claims {
                let _ = writeln!(out, "  {value}: {}", said_text(said));
            }
        }
        out
    }

    /// The report as RDF: each figure with the count the data lists (`reti:listedValue`), and
    /// each disagreement as a `reti:Disagreement` naming its subject, property and sources.
    pub(crate) fn to_triples(&self, report: &NamedNode) -> Vec<Triple> {
        use oxigraph::model::vocab::{rdf, rdfs, xsd};
        let mut out = Vec::new();
        out.push(Triple::new(
            report.clone(),
            rdf::TYPE,
            crate::vocab::prov::ENTITY,
        ));
        out.push(Triple::new(
            report.clone(),
            dcterms::TITLE,
            Literal::new_language_tagged_literal_unchecked("Reconciliation report", "en"),
        ));
        for n in &self.networks {
            for f in &n.figures {
                if let Some(l) = f.listed {
                    out.push(Triple::new(
                        f.figure.clone(),
                        reti::LISTED_VALUE,
                        Literal::new_typed_literal(l.to_string(), xsd::INTEGER),
                    ));
                }
            }
        }
        for (i, d) in self.disagreements.iter().enumerate() {
            let node =
                NamedNode::new_unchecked(format!("{}#disagreement-{}", report.as_str(), i + 1));
            out.push(Triple::new(report.clone(), dcterms::HAS_PART, node.clone()));
            out.push(Triple::new(node.clone(), rdf::TYPE, reti::DISAGREEMENT));
            out.push(Triple::new(
                node.clone(),
                dcterms::SUBJECT,
                d.subject.clone(),
            ));
            if let Some(p) = &d.property {
                out.push(Triple::new(node.clone(), reti::DISAGREES_ON, p.clone()));
            }
            let claims: Vec<String> = d
                .claims
                .iter()
                .map(|(v, s)| format!("{v} ({})", said_text(s)))
                .collect();
            out.push(Triple::new(
                node.clone(),
                rdfs::LABEL,
                Literal::new_language_tagged_literal_unchecked(
                    format!("{} — {}: {}", d.subject_name, d.about, claims.join("; ")),
                    "en",
                ),
            ));
            for (_, s) in &d.claims {
                out.push(Triple::new(
                    node.clone(),
                    crate::vocab::prov::WAS_DERIVED_FROM,
                    s.source.clone(),
                ));
            }
        }
        out.sort_by_cached_key(|t| t.to_string());
        out.dedup();
        out
    }
}
