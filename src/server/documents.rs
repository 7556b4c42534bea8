//! Dereferenceable URIs: `/id/{kind}/{slug}` answers 303 See Other to the document in the
//! negotiated format; `/doc/{kind}/{slug}[.ext]` is the document itself (HTML for people,
//! Turtle, JSON-LD, N-Triples, RDF/XML for machines).

use super::negotiate::{self, Repr};
use super::{AppState, Served, cacheable, error_page, pages, vary_accept, write_graph};
use crate::rdf::KINDS;
use crate::server::negotiate::Negotiation;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use oxigraph::model::NamedNode;
use std::collections::HashMap;
use std::sync::Arc;

/// Formats of a document, in the order offered to a client that accepts anything.
pub const DOCUMENT_FORMATS: [Repr; 5] = [
    Repr::Turtle,
    Repr::Html,
    Repr::JsonLd,
    Repr::NTriples,
    Repr::RdfXml,
];

/// The resource IRI for a kind and slug, if it names something published; the failure
/// response when the backend cannot tell.
async fn resource(
    published: &Arc<Served>,
    headers: &HeaderMap,
    kind: &str,
    slug: &str,
) -> Result<Option<NamedNode>, Response> {
    if !KINDS.contains(&kind) || !crate::model::is_valid_slug(slug) {
        return Ok(None);
    }
    let iri = published.base().mint(kind, slug);
    // a remote store is asked over the network: off the async workers
    let published = Arc::clone(published);
    match super::blocking(move || published.dataset.contains_subject(&iri).map(|c| (c, iri))).await
    {
        Ok(Ok((exists, iri))) => Ok(exists.then_some(iri)),
        Ok(Err(e)) => Err(vary_accept(super::backend_error(headers, &e))),
        Err(e) => Err(e.into_response()),
    }
}

fn not_found(headers: &HeaderMap, kind: &str, slug: &str) -> Response {
    vary_accept(error_page(
        headers,
        StatusCode::NOT_FOUND,
        &format!("no resource is published as id/{kind}/{slug}"),
    ))
}

/// `GET /id/{kind}/{slug}`: 303 to the document.
pub async fn redirect(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path((kind, slug)): Path<(String, String)>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let published = state.current();
    match resource(&published, &headers, &kind, &slug).await {
        Ok(Some(_)) => {}
        Ok(None) => return not_found(&headers, &kind, &slug),
        Err(response) => return response,
    }
    let repr = match negotiate::choose(&headers, None, &DOCUMENT_FORMATS) {
        Ok(r) => r,
        Err(response) => return *response,
    };
    let mut location = published.url(&format!("doc/{kind}/{slug}.{}", repr.extension()));
    // the page asked for in a language is that language's page
    if repr == Repr::Html
        && let Some(lang) = params
            .get("lang")
            .filter(|l| matches!(l.as_str(), "en" | "it"))
    {
        location.push_str("?lang=");
        location.push_str(lang);
    }
    let mut response = (StatusCode::SEE_OTHER, format!("See {location}\n")).into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    vary_accept(response)
}

/// `GET /doc/{kind}/{slug}` (negotiated) or `/doc/{kind}/{slug}.{ext}`.
pub async fn document(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path((kind, file)): Path<(String, String)>,
    asked: Negotiation,
) -> Response {
    let published = state.current();
    let (slug, ext) = match file.rsplit_once('.') {
        Some((slug, ext)) => (slug.to_owned(), Some(ext.to_owned())),
        None => (file.clone(), None),
    };
    let negotiated = ext.is_none();
    let repr = match &ext {
        Some(ext) => Repr::from_name(ext, &DOCUMENT_FORMATS).filter(|r| r.extension() == ext),
        None => match negotiate::choose(&headers, None, &DOCUMENT_FORMATS) {
            Ok(r) => Some(r),
            Err(response) => return *response,
        },
    };
    let lang = asked.lang;
    let tag = |repr: Repr| {
        if repr == Repr::Html {
            format!("{kind}-{slug}-html-{}", lang.tag())
        } else {
            format!("{kind}-{slug}-{}", repr.extension())
        }
    };
    // a document asked for before in this build is the same document
    let cached = repr.and_then(|r| published.documents.get(&tag(r)).map(|hit| (r, hit)));
    let (repr, body, etag, content_type, cache_status) = match cached {
        Some((repr, hit)) => (
            repr,
            hit.bytes,
            hit.etag,
            hit.content_type,
            super::cache::HIT,
        ),
        None => {
            let iri = match resource(&published, &headers, &kind, &slug).await {
                Ok(Some(iri)) => iri,
                Ok(None) => return not_found(&headers, &kind, &slug),
                Err(response) => return response,
            };
            let Some(repr) = repr else {
                return not_found(&headers, &kind, &file);
            };
            // describing and rendering read the store: off the async workers
            let rendered = super::blocking({
                let published = Arc::clone(&published);
                move || {
                    let triples = published.dataset.describe(&iri)?;
                    Ok::<_, crate::query::BackendError>(if repr == Repr::Html {
                        pages::resource_page(&published, &iri, &triples, lang)?.into_bytes()
                    } else {
                        write_graph(&published, &triples, repr)
                    })
                }
            })
            .await;
            let body: bytes::Bytes = match rendered {
                Ok(Ok(body)) => body.into(),
                Ok(Err(e)) => return super::backend_error(&headers, &e),
                Err(e) => return e.into_response(),
            };
            let key = tag(repr);
            let etag = published.etag(&key);
            let content_type = repr.content_type();
            let cache_status = if published
                .documents
                .insert(&[&key], &content_type, &etag, &body)
            {
                super::cache::STORED
            } else {
                super::cache::MISSED
            };
            (repr, body, etag, content_type, cache_status)
        }
    };
    let mut response = cacheable(&headers, &published, etag, &content_type, body);
    super::cache::status(&mut response, cache_status);
    let h = response.headers_mut();
    // written piece by piece: asked for at every request, where formatting each link
    // separately and joining them cost more than finding the cached document
    let doc = published.url(&format!("doc/{kind}/{slug}"));
    let mut links = String::with_capacity(640);
    for r in DOCUMENT_FORMATS
        .iter()
        .filter(|r| **r != repr || negotiated)
    {
        links.push('<');
        links.push_str(&doc);
        links.push('.');
        links.push_str(r.extension());
        links.push_str(">; rel=\"alternate\"; type=\"");
        links.push_str(r.media_type());
        links.push_str("\", ");
    }
    links.push('<');
    links.push_str(published.base().mint(&kind, &slug).as_str());
    links.push_str(">; rel=\"describes\"");
    if let Ok(v) = HeaderValue::from_str(&links) {
        h.insert(header::LINK, v);
    }
    if negotiated {
        if let Ok(v) = HeaderValue::from_str(&format!("{doc}.{}", repr.extension())) {
            h.insert(header::CONTENT_LOCATION, v);
        }
        h.append(header::VARY, HeaderValue::from_static("Accept"));
    }
    if repr == Repr::Html {
        h.append(header::VARY, HeaderValue::from_static("Accept-Language"));
    }
    response
}
