//! `/dumps/`: the whole dataset in every format, made once per build, with `SHA256SUMS`,
//! `ETag`/`Last-Modified` revalidation and `Content-Disposition`. (Not in front of a remote
//! store: 404, saying why.)

use super::{AppState, cacheable, error_page, pages};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// `GET /dumps/`: HTML for browsers, JSON otherwise.
pub async fn list(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    axum::extract::Query(params): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Response {
    let published = state.current();
    if published.dataset.remote().is_some() {
        return not_here(&headers);
    }
    super::listing(
        &headers,
        &params,
        &published,
        "dumps",
        |lang| pages::dumps_page(&published, lang),
        || {
            let files: Vec<serde_json::Value> = published
                .dumps
                .iter()
                .map(|d| {
                    serde_json::json!({
                        "name": d.name,
                        "url": published.url(&format!("dumps/{}", d.name)),
                        "mediaType": d.format.media_type(),
                        "byteSize": d.bytes.len(),
                        "sha256": d.sha256,
                        "namedGraphs": d.format.keeps_graphs(),
                    })
                })
                .collect();
            serde_json::json!({
                "dumps": files,
                "checksums": published.url("dumps/SHA256SUMS"),
                "modified": httpdate::fmt_http_date(published.modified),
            })
        },
    )
}

/// `GET /dumps/{file}`: only the published names are served; anything else is 404.
pub async fn file(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(name): Path<String>,
) -> Response {
    let published = state.current();
    if published.dataset.remote().is_some() {
        return not_here(&headers);
    }
    let (bytes, content_type, etag) = if name == "SHA256SUMS" {
        (
            published.sha256sums.clone(),
            "text/plain; charset=utf-8".to_owned(),
            published.etag("sha256sums"),
        )
    } else if let Some(d) = published.dumps.iter().find(|d| d.name == name) {
        let ct = match d.format {
            crate::export::Format::Turtle => "text/turtle; charset=utf-8".to_owned(),
            f => f.media_type().to_owned(),
        };
        (d.bytes.clone(), ct, format!("\"{}\"", d.sha256))
    } else {
        return error_page(
            &headers,
            StatusCode::NOT_FOUND,
            &format!("no dump is named {name}; see /dumps/"),
        );
    };
    let mut response = cacheable(&headers, &published, etag, &content_type, bytes);
    if response.status() == StatusCode::OK
        && let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
    {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, v);
    }
    response.into_response()
}

/// A front end of a remote store makes no dumps: the store holds the data, and its operator
/// publishes the files it was loaded from.
fn not_here(headers: &HeaderMap) -> Response {
    error_page(
        headers,
        StatusCode::NOT_FOUND,
        "this server publishes the data of a remote SPARQL store and makes no dumps: the \
         store's operator publishes the files it was loaded from; /sparql answers CONSTRUCT \
         queries for any part of the data",
    )
}
