//! HTML pages for people. (Being written: see the HTML issue work.)

use super::negotiate::Lang;
use super::{Published, StoredQuery};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use oxigraph::model::{NamedNode, Triple};
use std::sync::Arc;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `GET /`.
pub async fn home(State(state): State<Arc<super::AppState>>, _headers: HeaderMap) -> Response {
    let p = state.current();
    Html(format!("<h1>{}</h1>", escape(&p.config.title))).into_response()
}

/// `GET /assets/{file}`.
pub async fn asset(Path(_file): Path<String>) -> Response {
    StatusCode::NOT_FOUND.into_response()
}

/// A resource's page.
pub fn resource_page(_p: &Published, iri: &NamedNode, triples: &[Triple], _lang: Lang) -> String {
    format!(
        "<h1>{}</h1><p>{} triples</p>",
        escape(iri.as_str()),
        triples.len()
    )
}

/// The query page.
pub fn query_page(_p: &Published, _lang: Lang, _example: Option<&str>) -> String {
    "<h1>SPARQL</h1>".into()
}

/// The stored queries.
pub fn queries_page(_p: &Published, _lang: Lang) -> String {
    "<h1>Queries</h1>".into()
}

/// One stored query with its results (SPARQL JSON).
pub fn stored_query_page(
    _p: &Published,
    q: &StoredQuery,
    _results_json: &[u8],
    _lang: Lang,
) -> String {
    format!("<h1>{}</h1>", escape(&q.title))
}

/// The dumps.
pub fn dumps_page(_p: &Published, _lang: Lang) -> String {
    "<h1>Dumps</h1>".into()
}

/// The ontology.
pub fn ontology_page(_p: &Published, _lang: Lang) -> String {
    "<h1>Ontology</h1>".into()
}

/// An error.
pub fn error_page(status: StatusCode, message: &str, _lang: Lang) -> String {
    format!("<h1>{}</h1><p>{}</p>", status.as_u16(), escape(message))
}
