//! `/queries/`: the stored queries of `queries/` as a read API, the simplest thing for an
//! open-data portal to link: `/queries/{name}` gives the query's current results as CSV (or
//! JSON, TSV, XML; Turtle and JSON-LD for CONSTRUCT) by `Accept` or `?format=`.
//!
//! A stored query's results change only with the data, so each is computed once per build and
//! format, and revalidated by `ETag`.

use super::negotiate::{self, Lang, Repr};
use super::{AppState, Published, cacheable, error_page, pages, plain_error, sparql, vary_accept};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::Arc;

/// A stored query, read from `queries/{name}.rq`.
#[derive(Debug, Clone)]
pub struct StoredQuery {
    /// File stem: `networks-of-a-city`.
    pub name: String,
    /// From the `# title:` header line.
    pub title: String,
    /// From the `# description:` header line.
    pub description: String,
    /// The query text.
    pub text: String,
}

/// The base stored queries are written with: their IRIs are moved to the deployment base.
pub const QUERIES_BASE: &str = crate::rdf::Base::DEFAULT;

/// Reads every `*.rq` file of `dir`, checking it has a title, a description, and parses.
/// IRIs written under [`QUERIES_BASE`] are rewritten to `base`, so the same files serve any
/// deployment.
pub fn load(dir: &std::path::Path, base: &crate::rdf::Base) -> Result<Vec<StoredQuery>, String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read the queries directory {}: {e}", dir.display()))?;
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "rq"))
        .collect();
    paths.sort();
    let mut queries = Vec::new();
    for path in paths {
        let shown = path.display();
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("{shown}: cannot read: {e}"))?
            .replace(&format!("<{QUERIES_BASE}"), &format!("<{}", base.as_str()));
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        if !crate::model::is_valid_slug(&name) {
            return Err(format!(
                "{shown}: the file name must be lowercase words joined by hyphens"
            ));
        }
        let header = |key: &str| {
            text.lines()
                .take_while(|l| l.starts_with('#'))
                .find_map(|l| {
                    l.strip_prefix('#')
                        .map(str::trim)
                        .and_then(|l| l.strip_prefix(key))
                        .map(|v| v.trim().to_owned())
                })
                .filter(|v| !v.is_empty())
        };
        let title = header("title:")
            .ok_or_else(|| format!("{shown}:1:1: no `# title:` line at the top"))?;
        let description = header("description:")
            .ok_or_else(|| format!("{shown}:1:1: no `# description:` line at the top"))?;
        spargebra::SparqlParser::new()
            .parse_query(&text)
            .map_err(|e| format!("{shown}: not valid SPARQL: {e}"))?;
        queries.push(StoredQuery {
            name,
            title,
            description,
            text,
        });
    }
    Ok(queries)
}

/// `GET /queries/`: HTML for browsers, JSON otherwise.
pub async fn list(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    axum::extract::Query(params): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Response {
    let published = state.current();
    super::listing(
        &headers,
        &params,
        &published,
        "queries",
        |lang| pages::queries_page(&published, lang),
        || {
            let list: Vec<serde_json::Value> = published
                .queries
                .iter()
                .map(|q| {
                    serde_json::json!({
                        "name": q.name,
                        "title": q.title,
                        "description": q.description,
                        "url": published.url(&format!("queries/{}", q.name)),
                        "query": q.text,
                    })
                })
                .collect();
            serde_json::json!({ "queries": list })
        },
    )
}

/// `GET /queries/{name}`: the results, by `?format=` or `Accept` (HTML for browsers).
pub async fn run(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let published = state.current();
    let Some(stored) = published.queries.iter().find(|q| q.name == name).cloned() else {
        return error_page(
            &headers,
            StatusCode::NOT_FOUND,
            &format!("no stored query is named {name}; see /queries/"),
        );
    };
    let query = match sparql::parse(&published, &stored.text).await {
        Ok(q) => q,
        Err(e) => return e.into_response(),
    };
    let formats = sparql::formats_for(&query);
    let mut offered: Vec<Repr> = vec![formats[0]];
    if formats[0] == Repr::SparqlJson {
        // CSV first: the simplest thing to link from a portal
        offered = vec![Repr::Csv, Repr::SparqlJson, Repr::Tsv, Repr::SparqlXml];
    } else {
        offered.extend(formats[1..].iter().copied());
    }
    offered.push(Repr::Html);
    let repr = match params.get("format") {
        Some(f) => match Repr::from_name(f, &offered) {
            Some(r) => r,
            None => {
                let names: Vec<&str> = offered.iter().map(|r| r.extension()).collect();
                return plain_error(
                    StatusCode::BAD_REQUEST,
                    &format!("unknown format `{f}`; use one of {}", names.join(", ")),
                );
            }
        },
        None => match negotiate::negotiate(&headers, &offered) {
            Ok(r) if r == Repr::Html && !negotiate::prefers_html(&headers) => offered[0],
            Ok(r) => r,
            Err(e) => return vary_accept(plain_error(StatusCode::NOT_ACCEPTABLE, &e.message())),
        },
    };
    if repr == Repr::Html {
        let lang = Lang::from_headers(&headers, params.get("lang").map(String::as_str));
        let table = match results(&state, &published, &stored, query, Repr::SparqlJson).await {
            Ok(bytes) => bytes,
            Err(e) => return e.into_response(),
        };
        let html = pages::stored_query_page(&published, &stored, &table, lang);
        return vary_accept(cacheable(
            &headers,
            &published,
            published.etag(&format!("query-{name}-html-{}", lang.tag())),
            &repr.content_type(),
            html,
        ));
    }
    match results(&state, &published, &stored, query, repr).await {
        Ok(bytes) => vary_accept(cacheable(
            &headers,
            &published,
            published.etag(&format!("query-{name}-{}", repr.extension())),
            &repr.content_type(),
            bytes,
        ))
        .into_response(),
        Err(e) => e.into_response(),
    }
}

/// The serialised results of a stored query, computed once per build and format.
async fn results(
    state: &Arc<AppState>,
    published: &Arc<Published>,
    stored: &StoredQuery,
    query: spargebra::Query,
    repr: Repr,
) -> Result<bytes::Bytes, super::ApiError> {
    let key = (stored.name.clone(), repr);
    if let Some(bytes) = published
        .results
        .lock()
        .ok()
        .and_then(|cache| cache.get(&key).cloned())
    {
        return Ok(bytes);
    }
    let bytes = sparql::run(state, Arc::clone(published), query, None, repr).await?;
    if let Ok(mut cache) = published.results.lock() {
        cache.insert(key, bytes.clone());
    }
    Ok(bytes)
}
