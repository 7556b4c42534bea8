//! HTML pages for people: server-rendered with askama (which escapes everything it prints),
//! in English or Italian, with a nav bar, plain CSS and, on the query page only, plain
//! JavaScript. Nothing is fetched from elsewhere.
//!
//! Every page is made from the immutable [`Served`] content, so a page never mixes two
//! builds.

mod resource;
mod text;
mod view;

use super::negotiate::Lang;
use super::{Served, StoredQuery};
use crate::query::{BackendError, Sparql};
use crate::server::negotiate::Negotiation;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term, Triple};
use oxigraph::sparql::QueryResults;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use text::Text;
use view::{Names, ResultTable, ScriptJson, Val};

/// What every page has: language, strings, title, nav.
struct Chrome {
    lang: &'static str,
    t: &'static Text,
    title: String,
    site: String,
    /// The nav entry of this page.
    active: &'static str,
    /// Whether the page honours `?lang=`, so a link can switch language.
    lang_switch: bool,
}

impl Chrome {
    fn new(
        p: Option<&Served>,
        lang: Lang,
        title: impl Into<String>,
        active: &'static str,
        lang_switch: bool,
    ) -> Self {
        let site = match (p, lang) {
            (Some(p), Lang::It) if !p.config.title_it.is_empty() => p.config.title_it.clone(),
            (Some(p), _) => p.config.title.clone(),
            (None, Lang::It) => "Reti di città".to_owned(),
            (None, Lang::En) => "Networks of cities".to_owned(),
        };
        Self {
            lang: lang.tag(),
            t: text::text(lang),
            title: title.into(),
            site,
            active,
            lang_switch,
        }
    }
}

fn render(template: &impl Template) -> String {
    template.render().unwrap_or_else(|e| {
        tracing::error!("cannot render a page: {e}");
        "<!DOCTYPE html><title>Error</title><p>This page could not be rendered.</p>".to_owned()
    })
}

// ---------------------------------------------------------------------------------------------
// Home

struct NetworkRow {
    link: Val,
    founded: String,
    members: usize,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    description: String,
    networks: Vec<NetworkRow>,
    jsonld: ScriptJson,
}

const NETWORKS_QUERY: &str = "\
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX reti: <https://w3id.org/reti/ontology#>
SELECT ?n ?label ?founded (COUNT(DISTINCT ?m) AS ?members)
WHERE {
  ?n a reti:Network .
  OPTIONAL { ?n skos:prefLabel ?label }
  OPTIONAL { ?n schema:foundingDate ?founded }
  OPTIONAL { ?ms org:organization ?o ; org:member ?m . ?o org:subOrganizationOf* ?n }
}
GROUP BY ?n ?label ?founded";

fn networks(p: &Served, lang: Lang) -> Result<Vec<NetworkRow>, BackendError> {
    let mut found: BTreeMap<NamedNode, (Names, Vec<String>, usize)> = BTreeMap::new();
    if let QueryResults::Solutions(solutions) = p.dataset.sparql(NETWORKS_QUERY)? {
        for s in solutions.flatten() {
            let Some(Term::NamedNode(n)) = s.get("n").cloned() else {
                continue;
            };
            let entry = found.entry(n).or_default();
            if let Some(Term::Literal(l)) = s.get("label") {
                entry.0.add(l.language().unwrap_or(""), l.value());
            }
            if let Some(Term::Literal(l)) = s.get("founded")
                && !entry.1.iter().any(|f| f == l.value())
            {
                entry.1.push(l.value().to_owned());
            }
            if let Some(Term::Literal(l)) = s.get("members") {
                entry.2 = entry.2.max(l.value().parse().unwrap_or(0));
            }
        }
    }
    let mut rows: Vec<NetworkRow> = found
        .into_iter()
        .map(|(n, (labels, mut founded, members))| {
            founded.sort();
            // one year per network: "1997" and "1997-02-26" are the same founding
            let years: Vec<String> = founded
                .iter()
                .map(|f| f.chars().take(4).collect::<String>())
                .collect();
            let mut years = years;
            years.dedup();
            NetworkRow {
                link: view::link(p, n.as_str(), Some(&labels), lang),
                founded: years.join(", "),
                members,
            }
        })
        .collect();
    rows.sort_by_key(|r| r.link.text.to_lowercase());
    Ok(rows)
}

/// `GET /`.
pub async fn home(
    State(state): State<Arc<super::AppState>>,
    headers: HeaderMap,
    asked: Negotiation,
) -> Response {
    let p = state.current();
    let lang = asked.lang;
    let chrome = Chrome::new(Some(&p), lang, "", "home", false);
    let description = match lang {
        Lang::It if !p.config.description_it.is_empty() => p.config.description_it.clone(),
        _ => p.config.description.clone(),
    };
    let jsonld = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": p.url(""),
        "name": chrome.site,
        "description": description,
        "license": p.config.licence,
        "keywords": p.config.keywords,
        "inLanguage": ["en", "it"],
        "dateModified": super::iso_8601(p.modified),
        "distribution": p.dumps.iter().filter(|d| !d.compressed).map(|d| serde_json::json!({
            "@type": "DataDownload",
            "contentUrl": p.url(&format!("dumps/{}", d.name)),
            "encodingFormat": d.format.media_type(),
            "contentSize": d.size.to_string(),
        })).collect::<Vec<_>>(),
    });
    let rows = match super::blocking({
        let p = Arc::clone(&p);
        move || networks(&p, lang)
    })
    .await
    {
        Ok(Ok(rows)) => rows,
        Ok(Err(e)) => return super::backend_error(&headers, &e),
        Err(e) => return e.into_response(),
    };
    let page = HomePage {
        networks: rows,
        description,
        jsonld: ScriptJson::new(&jsonld),
        chrome,
    };
    let html = render(&page);
    let etag = p.etag(&format!("home-html-{}", lang.tag()));
    let mut response = super::cacheable(
        &headers,
        &p,
        etag,
        &super::negotiate::Repr::Html.content_type(),
        html,
    );
    response
        .headers_mut()
        .append(header::VARY, HeaderValue::from_static("Accept-Language"));
    response
}

// ---------------------------------------------------------------------------------------------
// Assets

const STYLE_CSS: &str = include_str!("../../assets/style.css");
const QUERY_JS: &str = include_str!("../../assets/query.js");

/// `GET /assets/{file}`.
pub(crate) async fn asset(Path(file): Path<String>) -> Response {
    let (body, content_type) = match file.as_str() {
        "style.css" => (STYLE_CSS, "text/css; charset=utf-8"),
        "query.js" => (QUERY_JS, "text/javascript; charset=utf-8"),
        _ => {
            return (
                StatusCode::NOT_FOUND,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                "no such asset\n",
            )
                .into_response();
        }
    };
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body,
    )
        .into_response()
}

// ---------------------------------------------------------------------------------------------
// Resources

#[derive(Template)]
#[template(path = "resource.html")]
struct ResourcePage {
    chrome: Chrome,
    r: resource::Resource,
}

/// A resource's page. Blocking: it asks the backend for the sources of its memberships.
pub(crate) fn resource_page(
    p: &Served,
    iri: &NamedNode,
    triples: &[Triple],
    lang: Lang,
) -> Result<String, BackendError> {
    let r = resource::build(p, iri, triples, lang)?;
    Ok(render(&ResourcePage {
        chrome: Chrome::new(Some(p), lang, r.title.clone(), "", true),
        r,
    }))
}

// ---------------------------------------------------------------------------------------------
// Queries

#[derive(Template)]
#[template(path = "query.html")]
struct QueryPage<'a> {
    chrome: Chrome,
    queries: &'a [StoredQuery],
    selected: Option<&'a StoredQuery>,
    text: String,
    data: ScriptJson,
}

const DEFAULT_QUERY: &str = "\
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX reti: <https://w3id.org/reti/ontology#>

SELECT ?network ?name
WHERE {
  ?network a reti:Network ;
    skos:prefLabel ?name .
}
ORDER BY ?name
";

/// The query page.
pub(crate) fn query_page(p: &Served, lang: Lang, example: Option<&str>) -> String {
    let selected = example.and_then(|e| p.queries.iter().find(|q| q.name == e));
    let text = selected.map_or_else(|| DEFAULT_QUERY.to_owned(), |q| q.text.clone());
    let data = serde_json::json!({
        "queries": p.queries.iter().map(|q| serde_json::json!({
            "name": q.name, "title": q.title, "description": q.description, "text": q.text,
        })).collect::<Vec<_>>(),
        "base": p.base().as_str(),
        "prefixes": p.base().prefixes(),
    });
    let t = text::text(lang);
    render(&QueryPage {
        chrome: Chrome::new(Some(p), lang, t.query_title, "query", true),
        queries: &p.queries,
        selected,
        text,
        data: ScriptJson::new(&data),
    })
}

#[derive(Template)]
#[template(path = "static_sparql.html")]
struct StaticSparqlPage {
    chrome: Chrome,
}

/// What a static copy of the site (`reti export --site`) shows at `/sparql`, which it cannot
/// answer: where the dumps and the stored queries' results are instead.
pub fn static_sparql_page(p: &Served, lang: Lang) -> String {
    let t = text::text(lang);
    render(&StaticSparqlPage {
        chrome: Chrome::new(Some(p), lang, t.query_title, "query", true),
    })
}

#[derive(Template)]
#[template(path = "queries.html")]
struct QueriesPage<'a> {
    chrome: Chrome,
    queries: &'a [StoredQuery],
}

/// The stored queries.
pub(crate) fn queries_page(p: &Served, lang: Lang) -> String {
    let t = text::text(lang);
    render(&QueriesPage {
        chrome: Chrome::new(Some(p), lang, t.queries_title, "queries", false),
        queries: &p.queries,
    })
}

#[derive(Template)]
#[template(path = "stored_query.html")]
struct StoredQueryPage<'a> {
    chrome: Chrome,
    q: &'a StoredQuery,
    table: Option<ResultTable>,
    raw: String,
}

/// One stored query with its results (SPARQL JSON).
pub(crate) fn stored_query_page(
    p: &Served,
    q: &StoredQuery,
    results_json: &[u8],
    lang: Lang,
) -> String {
    let table = view::result_table(p, results_json);
    let raw = if table.is_none() {
        String::from_utf8_lossy(results_json).into_owned()
    } else {
        String::new()
    };
    render(&StoredQueryPage {
        chrome: Chrome::new(Some(p), lang, q.title.clone(), "queries", true),
        q,
        table,
        raw,
    })
}

// ---------------------------------------------------------------------------------------------
// Dumps

struct DumpRow {
    name: String,
    media_type: String,
    bytes: usize,
    human: String,
    sha256: String,
    named_graphs: bool,
}

#[derive(Template)]
#[template(path = "dumps.html")]
struct DumpsPage {
    chrome: Chrome,
    dumps: Vec<DumpRow>,
    modified: String,
    modified_iso: String,
}

/// The dumps.
pub(crate) fn dumps_page(p: &Served, lang: Lang) -> String {
    let t = text::text(lang);
    let dumps = p
        .dumps
        .iter()
        .map(|d| DumpRow {
            name: d.name.clone(),
            media_type: if d.compressed {
                format!("{} + gzip", d.format.media_type())
            } else {
                d.format.media_type().to_owned()
            },
            bytes: d.size as usize,
            human: view::human_size(d.size as usize),
            sha256: d.sha256.clone(),
            named_graphs: d.format.keeps_graphs(),
        })
        .collect();
    render(&DumpsPage {
        chrome: Chrome::new(Some(p), lang, t.dumps_title, "dumps", false),
        dumps,
        modified: httpdate::fmt_http_date(p.modified),
        modified_iso: super::iso_8601(p.modified),
    })
}

// ---------------------------------------------------------------------------------------------
// Ontology

struct TermRow {
    id: String,
    name: String,
    iri: String,
    en: String,
    it: String,
    comment: String,
    kind: String,
}

#[derive(Template)]
#[template(path = "ontology.html")]
struct OntologyPage {
    chrome: Chrome,
    heading: String,
    description: String,
    version: String,
    classes: Vec<TermRow>,
    properties: Vec<TermRow>,
    reused: Vec<TermRow>,
}

/// The ontology.
pub(crate) fn ontology_page(p: &Served, lang: Lang) -> String {
    use oxigraph::model::vocab::{rdf, rdfs};
    const OWL_CLASS: &str = "http://www.w3.org/2002/07/owl#Class";
    const OWL_VERSION_INFO: &str = "http://www.w3.org/2002/07/owl#versionInfo";
    let mut terms: BTreeMap<NamedNode, HashMap<NamedNode, Vec<Term>>> = BTreeMap::new();
    for t in crate::rdf::ontology().unwrap_or_default() {
        if let NamedOrBlankNode::NamedNode(s) = &t.subject {
            terms
                .entry(s.clone())
                .or_default()
                .entry(t.predicate.clone())
                .or_default()
                .push(t.object.clone());
        }
    }
    let literal = |props: &HashMap<NamedNode, Vec<Term>>,
                   pred: oxigraph::model::NamedNodeRef<'_>| {
        let mut l = Names::default();
        for o in props.get(&pred.into_owned()).into_iter().flatten() {
            if let Term::Literal(lit) = o {
                l.add(lit.language().unwrap_or(""), lit.value());
            }
        }
        l
    };
    let t = text::text(lang);
    let onto_iri = crate::vocab::reti::ONTOLOGY.into_owned();
    let meta = terms.get(&onto_iri).cloned().unwrap_or_default();
    let heading = literal(&meta, crate::vocab::dcterms::TITLE)
        .pick(lang)
        .unwrap_or(t.ontology_title)
        .to_owned();
    let description = literal(&meta, crate::vocab::dcterms::DESCRIPTION)
        .pick(lang)
        .unwrap_or_default()
        .to_owned();
    let version = meta
        .get(&NamedNode::new_unchecked(OWL_VERSION_INFO))
        .and_then(|v| v.first())
        .map(|t| match t {
            Term::Literal(l) => l.value().to_owned(),
            other => other.to_string(),
        })
        .unwrap_or_default();
    let onto_labels = view::ontology_labels();
    let (mut classes, mut properties, mut reused) = (Vec::new(), Vec::new(), Vec::new());
    for (term, props) in &terms {
        if *term == onto_iri {
            continue;
        }
        let labels = literal(props, rdfs::LABEL);
        if labels.len() == 0 {
            continue;
        }
        let comments = literal(props, rdfs::COMMENT);
        let types: Vec<&str> = props
            .get(&rdf::TYPE.into_owned())
            .into_iter()
            .flatten()
            .filter_map(|o| match o {
                Term::NamedNode(n) => Some(n.as_str()),
                _ => None,
            })
            .collect();
        let is_class = types
            .iter()
            .any(|t| *t == OWL_CLASS || *t == rdfs::CLASS.as_str());
        let kind = types
            .iter()
            .map(|t| view::term_label(p, &onto_labels, &NamedNode::new_unchecked(*t), lang))
            .collect::<Vec<_>>()
            .join(", ");
        let ours = term.as_str().strip_prefix(crate::vocab::reti::NAMESPACE);
        let row = TermRow {
            id: ours.map_or_else(
                || view::compact(p, term.as_str()).replace(':', "-"),
                str::to_owned,
            ),
            name: view::compact(p, term.as_str()),
            iri: term.as_str().to_owned(),
            en: labels.exact("en").unwrap_or_default().to_owned(),
            it: labels.exact("it").unwrap_or_default().to_owned(),
            comment: comments.pick(lang).unwrap_or_default().to_owned(),
            kind,
        };
        match (ours.is_some(), is_class) {
            (true, true) => classes.push(row),
            (true, false) => properties.push(row),
            (false, _) => reused.push(row),
        }
    }
    render(&OntologyPage {
        chrome: Chrome::new(Some(p), lang, t.ontology_title, "ontology", true),
        heading,
        description,
        version,
        classes,
        properties,
        reused,
    })
}

// ---------------------------------------------------------------------------------------------
// Errors

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    status: u16,
    reason: String,
    message: String,
}

/// An error.
pub(crate) fn error_page(status: StatusCode, message: &str, lang: Lang) -> String {
    let reason = status.canonical_reason().unwrap_or("Error").to_owned();
    render(&ErrorPage {
        chrome: Chrome::new(
            None,
            lang,
            format!("{} {reason}", status.as_u16()),
            "",
            false,
        ),
        status: status.as_u16(),
        reason,
        message: message.to_owned(),
    })
}

// ---------------------------------------------------------------------------------------------
// Reconciliation report

struct ReportFigure {
    measure: String,
    stated: String,
    source: String,
    verdict: String,
    agrees: bool,
}

struct ReportNetwork {
    name: String,
    href: String,
    members: u64,
    figures: Vec<ReportFigure>,
}

struct ReportDisagreement {
    subject: String,
    about: String,
    claims: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    chrome: Chrome,
    networks: Vec<ReportNetwork>,
    disagreements: Vec<ReportDisagreement>,
}

fn said(s: &crate::query::report::Said) -> String {
    match &s.when {
        Some(w) => format!("{} ({w})", s.title),
        None => s.title.clone(),
    }
}

/// The reconciliation report.
pub(crate) fn report_page(p: &Served, report: &crate::query::report::Report, lang: Lang) -> String {
    let t = text::text(lang);
    let networks = report
        .networks
        .iter()
        .map(|n| ReportNetwork {
            name: n.name.clone(),
            href: view::href(p, n.network.as_str()).unwrap_or_default(),
            members: n.members,
            figures: n
                .figures
                .iter()
                .map(|f| ReportFigure {
                    measure: f.measure.clone(),
                    stated: format!("{}{}", if f.lower_bound { "> " } else { "" }, f.value),
                    source: said(&f.said),
                    verdict: f.verdict(),
                    agrees: f.agrees() == Some(true),
                })
                .collect(),
        })
        .collect();
    let disagreements = report
        .disagreements
        .iter()
        .map(|d| ReportDisagreement {
            subject: d.subject_name.clone(),
            about: d.about.clone(),
            claims: d.claims.iter().map(|(v, s)| (v.clone(), said(s))).collect(),
        })
        .collect();
    render(&ReportPage {
        chrome: Chrome::new(Some(p), lang, t.report_title, "report", true),
        networks,
        disagreements,
    })
}
