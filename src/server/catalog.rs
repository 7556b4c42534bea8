//! `/catalog`, `/.well-known/void`, `/ontology`, `/context.jsonld` and the service description
//! of `/sparql`: the documents of [`crate::catalog`], made once per build, negotiated and
//! revalidated here.

use super::negotiate::{self, Repr};
use super::{AppState, Served, cacheable, vary_accept};
use crate::catalog;
use crate::server::negotiate::Negotiation;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use oxigraph::model::Triple;
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// Graph representations offered, in order of preference for a client that accepts anything.
const RDF_FORMATS: [Repr; 4] = [Repr::Turtle, Repr::RdfXml, Repr::JsonLd, Repr::NTriples];

/// Representations of the ontology.
const ONTOLOGY_FORMATS: [Repr; 5] = [
    Repr::Turtle,
    Repr::Html,
    Repr::JsonLd,
    Repr::RdfXml,
    Repr::NTriples,
];

// ---------------------------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------------------------

/// `GET /catalog`: the DCAT-AP catalog (Turtle, RDF/XML, JSON-LD, N-Triples).
pub async fn catalog(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    asked: Negotiation,
) -> Response {
    let p = state.current();
    if wants_page(&headers, asked.format()) {
        let first = p.url("catalog");
        return page(
            &headers,
            &p,
            &asked,
            "catalog",
            &p.catalog().catalog,
            &first,
        );
    }
    rdf_response(
        &headers,
        asked.format(),
        &p,
        "catalog",
        &p.catalog().catalog,
    )
}

/// `GET /.well-known/void`: the VoID description of the dataset.
pub async fn void(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    asked: Negotiation,
) -> Response {
    let p = state.current();
    if wants_page(&headers, asked.format()) {
        let first = p.url("catalog#dataset");
        return page(&headers, &p, &asked, "void", &p.catalog().void, &first);
    }
    rdf_response(&headers, asked.format(), &p, "void", &p.catalog().void)
}

/// Whether a page for people is asked for: `?format=html`, or a browser's `Accept` without
/// `?format=` (RDF clients and `Accept: */*` keep getting Turtle).
fn wants_page(headers: &HeaderMap, format: Option<&str>) -> bool {
    match format {
        Some(f) => f == "html",
        None => negotiate::prefers_html(headers),
    }
}

/// The catalog's or VoID's triples as a page (see [`super::pages::described_page`]).
fn page(
    headers: &HeaderMap,
    p: &Served,
    asked: &Negotiation,
    what: &str,
    triples: &[Triple],
    first: &str,
) -> Response {
    let lang = asked.lang;
    let html = super::pages::described_page(p, lang, triples, first, what == "void");
    let digest = crate::support::digest::hex(&Sha256::digest(html.as_bytes()));
    let etag = p.etag(&format!("{what}-html-{}-{}", lang.tag(), &digest[..16]));
    let mut r = vary_accept(cacheable(
        headers,
        p,
        etag,
        &Repr::Html.content_type(),
        html,
    ));
    r.headers_mut()
        .append(header::VARY, HeaderValue::from_static("Accept-Language"));
    r
}

/// `GET /ontology`: HTML for browsers, the ontology's Turtle (verbatim), JSON-LD, RDF/XML or
/// N-Triples for machines.
pub async fn ontology(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    asked: Negotiation,
) -> Response {
    let p = state.current();
    let repr = match negotiate::choose(&headers, asked.format(), &ONTOLOGY_FORMATS) {
        Ok(r) => r,
        Err(response) => return *response,
    };
    let response = match repr {
        Repr::Html => {
            let lang = asked.lang;
            let html = super::pages::ontology_page(&p, lang);
            let etag = p.etag(&format!("ontology-html-{}", lang.tag()));
            let mut r = cacheable(&headers, &p, etag, &repr.content_type(), html);
            r.headers_mut()
                .append(header::VARY, HeaderValue::from_static("Accept-Language"));
            r
        }
        Repr::Turtle => cacheable(
            &headers,
            &p,
            p.etag("ontology-ttl"),
            &repr.content_type(),
            crate::rdf::ONTOLOGY_TTL,
        ),
        _ => {
            let body = super::write_graph(&p, &catalog::ontology_triples(), repr);
            let etag = p.etag(&format!("ontology-{}", repr.extension()));
            cacheable(&headers, &p, etag, &repr.content_type(), body)
        }
    };
    vary_accept(response)
}

/// `GET /context.jsonld`: the `@context` of reti's JSON-LD.
pub async fn context(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let p = state.current();
    let doc =
        serde_json::json!({ "@context": crate::export::jsonld::context(&p.base().prefixes()) });
    let body = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    cacheable(
        &headers,
        &p,
        p.etag("context"),
        Repr::JsonLd.media_type(),
        body,
    )
}

/// A negotiated, cacheable RDF document. Its `ETag` includes a digest of the body: the
/// catalog also changes when `reti.toml` or the build time changes, not only the data.
fn rdf_response(
    headers: &HeaderMap,
    format: Option<&str>,
    p: &Served,
    what: &str,
    triples: &[Triple],
) -> Response {
    let repr = match negotiate::choose(headers, format, &RDF_FORMATS) {
        Ok(r) => r,
        Err(response) => return *response,
    };
    let body = write(p, triples, repr);
    let digest = crate::support::digest::hex(&Sha256::digest(&body));
    let etag = p.etag(&format!("{what}-{}-{}", repr.extension(), &digest[..16]));
    vary_accept(cacheable(headers, p, etag, &repr.content_type(), body))
}

/// Serialises with the dataset's prefixes and the catalog vocabularies' (`dcatapit:`, `sd:`,
/// `spdx:`, `vcard:`, `void:`…).
fn write(p: &Served, triples: &[Triple], repr: Repr) -> Vec<u8> {
    super::write_graph_with(p, triples, repr, catalog::CATALOG_PREFIXES)
}

/// `GET /sparql` for RDF clients: the service description, negotiated and cacheable.
pub(crate) fn service_description_document(headers: &HeaderMap, p: &Served) -> Response {
    rdf_response(
        headers,
        None,
        p,
        "service-description",
        &p.catalog().service_description,
    )
}
