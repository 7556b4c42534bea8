//! HTML pages for people: server-rendered with askama (which escapes everything it prints),
//! in English or Italian, with a nav bar, plain CSS and, on the query page only, plain
//! JavaScript. Nothing is fetched from elsewhere.
//!
//! Every page is made from the immutable [`Served`] content, so a page never mixes two
//! builds.

mod catalog_page;
mod resource;
mod search;
mod text;
mod view;

pub use catalog_page::described_page;
pub use search::{kind_name, search_page};

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
    /// What the header's search box holds (the search of a results page).
    search: String,
    /// Where the language switch leads: this page in the other language.
    lang_href: String,
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
            search: String::new(),
            lang_href: format!("?lang={}", text::text(lang).other_lang),
        }
    }
}

/// Where a link to a resource's page points (see [`view::href`]).
pub fn doc_href(p: &Served, iri: &str) -> Option<String> {
    view::href(p, iri)
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
    /// The number of members, written as the language writes numbers.
    members: String,
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
                members: text::number(lang, members as u64),
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
    let chrome = Chrome::new(Some(&p), lang, "", "home", true);
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

/// The files under `/assets/`, built into the binary: (name, content, media type). YASGUI is
/// vendored as its package built it (`assets/THIRD-PARTY-NOTICES.txt` gives its version and
/// the licences of what it bundles).
pub const ASSETS: &[(&str, &[u8], &str)] = &[
    (
        "style.css",
        include_bytes!("../../assets/style.css"),
        "text/css; charset=utf-8",
    ),
    (
        "query.js",
        include_bytes!("../../assets/query.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "search.js",
        include_bytes!("../../assets/search.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "query-editor.js",
        include_bytes!("../../assets/query-editor.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "yasgui.min.js",
        include_bytes!("../../assets/yasgui.min.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "yasgui.min.css",
        include_bytes!("../../assets/yasgui.min.css"),
        "text/css; charset=utf-8",
    ),
    (
        "THIRD-PARTY-NOTICES.txt",
        include_bytes!("../../assets/THIRD-PARTY-NOTICES.txt"),
        "text/plain; charset=utf-8",
    ),
];

/// `GET /assets/{file}`: from memory, with an `ETag` of its content, compressed once per build
/// for clients that accept it (YASGUI's 1 MB script goes out as about 280 KB of gzip).
pub async fn asset(
    State(state): State<Arc<super::AppState>>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Response {
    let Some((name, body, content_type)) = ASSETS.iter().find(|(name, _, _)| *name == file) else {
        return (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "no such asset\n",
        )
            .into_response();
    };
    let p = state.current();
    let tag = asset_tag(name);
    let mut response = super::cacheable(
        &headers,
        &p,
        p.etag(&tag),
        content_type,
        bytes::Bytes::from_static(body),
    );
    let h = response.headers_mut();
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// `asset-{name}-{digest}`: a new version of a file is a new `ETag` without a new build.
/// Computed once per process (hashing YASGUI's megabyte at every request would cost more than
/// sending it compressed).
fn asset_tag(name: &str) -> String {
    use sha2::Digest;
    static TAGS: std::sync::LazyLock<Vec<(&'static str, String)>> =
        std::sync::LazyLock::new(|| {
            ASSETS
                .iter()
                .map(|(name, body, _)| {
                    let digest = crate::support::digest::hex(&sha2::Sha256::digest(body));
                    (*name, format!("asset-{name}-{}", &digest[..12]))
                })
                .collect()
        });
    TAGS.iter()
        .find(|(n, _)| *n == name)
        .map_or_else(|| format!("asset-{name}"), |(_, tag)| tag.clone())
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
        "selected": selected.map(|q| q.name.as_str()),
        "classes": vocabulary(true),
        "properties": vocabulary(false),
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

/// The ontology's classes (or properties), for the editor's completions: reti's own terms and
/// the ones it reuses, so that nothing needs to be looked up elsewhere.
fn vocabulary(classes: bool) -> Vec<String> {
    use oxigraph::model::vocab::{rdf, rdfs};
    const OWL: &str = "http://www.w3.org/2002/07/owl#";
    let mut out: Vec<String> = crate::rdf::ontology()
        .unwrap_or_default()
        .iter()
        .filter(|t| t.predicate == rdf::TYPE)
        .filter_map(|t| {
            let (NamedOrBlankNode::NamedNode(s), Term::NamedNode(o)) = (&t.subject, &t.object)
            else {
                return None;
            };
            let class = o.as_str() == rdfs::CLASS.as_str() || o.as_str() == format!("{OWL}Class");
            let property = o.as_str() == rdf::PROPERTY.as_str()
                || ["ObjectProperty", "DatatypeProperty", "AnnotationProperty"]
                    .iter()
                    .any(|k| o.as_str() == format!("{OWL}{k}"));
            (if classes { class } else { property }).then(|| s.as_str().to_owned())
        })
        .collect();
    out.sort();
    out.dedup();
    out
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
        chrome: Chrome::new(Some(p), lang, t.queries_title, "queries", true),
        queries: &p.queries,
    })
}

#[derive(Template)]
#[template(path = "stored_query.html")]
struct StoredQueryPage<'a> {
    chrome: Chrome,
    q: &'a StoredQuery,
    table: Option<ResultTable>,
    /// "1 row", "12 rows".
    rows_text: String,
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
    let t = text::text(lang);
    render(&StoredQueryPage {
        rows_text: text::count(
            lang,
            table.as_ref().map_or(0, |t| t.rows.len()),
            t.row_one,
            t.rows,
        ),
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
    /// The exact size, grouped as the language writes numbers.
    bytes: String,
    /// The size in KiB/MiB, as the language writes decimals.
    human: String,
    /// Triples (quads, for formats that keep the graphs), grouped.
    statements: String,
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
    licence: Val,
}

/// The dumps: each file's size, statements and checksum, the licence, and where the catalog
/// describes them.
pub fn dumps_page(p: &Served, lang: Lang) -> String {
    let t = text::text(lang);
    let summary = p.dataset.summary();
    let dumps = p
        .dumps
        .iter()
        .map(|d| {
            let statements = if d.format.keeps_graphs() {
                summary.quads
            } else {
                summary.triples
            };
            DumpRow {
                name: d.name.clone(),
                media_type: if d.compressed {
                    format!("{} + gzip", d.format.media_type())
                } else {
                    d.format.media_type().to_owned()
                },
                bytes: text::number(lang, d.size),
                human: view::human_size_in(d.size, lang),
                statements: text::number(lang, statements as u64),
                sha256: d.sha256.clone(),
                named_graphs: d.format.keeps_graphs(),
            }
        })
        .collect();
    let licence_name = match lang {
        Lang::It => p.config.licence_name_it.clone(),
        Lang::En => p.config.licence_name.clone(),
    }
    .or_else(|| licence_name(&p.config.licence, lang).map(str::to_owned))
    .unwrap_or_else(|| p.config.licence.clone());
    let mut licence = view::link(p, &p.config.licence, None, lang);
    licence.text = licence_name;
    render(&DumpsPage {
        chrome: Chrome::new(Some(p), lang, t.dumps_title, "dumps", true),
        dumps,
        modified: httpdate::fmt_http_date(p.modified),
        modified_iso: super::iso_8601(p.modified),
        licence,
    })
}

/// The name of a licence the catalog knows, in `lang`.
fn licence_name(iri: &str, lang: Lang) -> Option<&'static str> {
    let it = lang == Lang::It;
    let iri = iri.trim_end_matches('/').replace("http://", "https://");
    Some(match iri.as_str() {
        "https://creativecommons.org/licenses/by/4.0" => {
            if it {
                "Creative Commons Attribuzione 4.0 Internazionale (CC BY 4.0)"
            } else {
                "Creative Commons Attribution 4.0 International (CC BY 4.0)"
            }
        }
        "https://creativecommons.org/licenses/by-sa/4.0" => {
            if it {
                "Creative Commons Attribuzione - Condividi allo stesso modo 4.0 (CC BY-SA 4.0)"
            } else {
                "Creative Commons Attribution-ShareAlike 4.0 (CC BY-SA 4.0)"
            }
        }
        "https://creativecommons.org/publicdomain/zero/1.0" => "CC0 1.0",
        "https://opendatacommons.org/licenses/odbl/1-0" => {
            "Open Data Commons Open Database License (ODbL) 1.0"
        }
        _ => return None,
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
    /// "1 member listed", "12 members listed".
    members: String,
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
            members: text::count(lang, n.members as usize, t.member_one, t.member_many),
            figures: n
                .figures
                .iter()
                .map(|f| ReportFigure {
                    measure: f.measure.clone(),
                    stated: format!(
                        "{}{}",
                        if f.lower_bound { "> " } else { "" },
                        text::number(lang, f.value)
                    ),
                    source: said(&f.said),
                    verdict: text::numbers_in(lang, &f.verdict()),
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
            claims: d
                .claims
                .iter()
                .map(|(v, s)| (text::numbers_in(lang, v), said(s)))
                .collect(),
        })
        .collect();
    render(&ReportPage {
        chrome: Chrome::new(Some(p), lang, t.report_title, "report", true),
        networks,
        disagreements,
    })
}
