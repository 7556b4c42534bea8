//! `GET /search?q=`: resources by any of their labels, for people (HTML) and scripts (JSON),
//! answered from the index built with the data ([`crate::search`]).

use super::negotiate::{self, Lang, Repr};
use super::{AppState, cacheable, error_page, pages, vary_accept};
use crate::search::MAX_QUERY_CHARS;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Arc;

/// At most this many results: a search is for finding one thing, not listing the dataset.
const LIMIT: usize = 50;

/// `GET /search?q=[&limit=][&lang=]`.
pub async fn search(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let p = state.current();
    let repr = negotiate::negotiate(&headers, &[Repr::Json, Repr::Html]).unwrap_or(Repr::Json);
    let repr = match params.get("format").map(String::as_str) {
        Some("json") => Repr::Json,
        Some("html") => Repr::Html,
        _ => repr,
    };
    let lang = Lang::from_headers(&headers, params.get("lang").map(String::as_str));
    let q = params.get("q").map_or("", |q| q.trim());
    let bad = |message: String| {
        let mut response = if repr == Repr::Html {
            error_page(&headers, StatusCode::BAD_REQUEST, &message)
        } else {
            super::plain_error(StatusCode::BAD_REQUEST, &message)
        };
        response
            .headers_mut()
            .append(header::VARY, HeaderValue::from_static("Accept"));
        response
    };
    if crate::search::fold(q).is_empty() {
        return bad(
            "give what to search for as ?q=, at least one letter or digit (/search?q=bergamo)"
                .to_owned(),
        );
    }
    let chars = q.chars().count();
    if chars > MAX_QUERY_CHARS {
        return bad(format!(
            "the search is {chars} characters long; at most {MAX_QUERY_CHARS} are accepted"
        ));
    }
    let limit = match params.get("limit").map(|l| l.parse::<usize>()) {
        None => LIMIT,
        Some(Ok(l)) if (1..=LIMIT).contains(&l) => l,
        Some(_) => return bad(format!("limit must be a number from 1 to {LIMIT}")),
    };
    let hits = p.search.search(q, lang.tag(), limit);
    let (body, content_type) = if repr == Repr::Html {
        (
            pages::search_page(&p, q, &hits, lang),
            Repr::Html.content_type(),
        )
    } else {
        let results: Vec<serde_json::Value> = hits
            .iter()
            .map(|h| {
                let mut hit = serde_json::json!({
                    "iri": h.iri,
                    "label": h.label,
                    "lang": h.lang,
                    "kind": h.kind,
                    "kindLabel": pages::kind_name(&h.kind, lang),
                    "page": super::pages::doc_href(&p, &h.iri),
                    "match": h.rank.name(),
                });
                if let Some(m) = &h.matched {
                    hit["matched"] = m.clone().into();
                }
                hit
            })
            .collect();
        (
            serde_json::json!({ "query": q, "results": results }).to_string(),
            Repr::Json.content_type(),
        )
    };
    let key = format!(
        "{q}\u{0}{limit}\u{0}{}\u{0}{}",
        lang.tag(),
        repr.extension()
    );
    let digest = crate::support::digest::hex(&Sha256::digest(key.as_bytes()));
    let etag = p.etag(&format!("search-{}", &digest[..16]));
    let mut response = vary_accept(cacheable(&headers, &p, etag, &content_type, body));
    response
        .headers_mut()
        .append(header::VARY, HeaderValue::from_static("Accept-Language"));
    response
}
