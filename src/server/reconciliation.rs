//! `/report`: the reconciliation report — a page for people, RDF for machines.

use super::documents::DOCUMENT_FORMATS;
use super::negotiate::Repr;
use super::{AppState, cacheable, pages, vary_accept, write_graph};
use crate::server::negotiate::Negotiation;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// `GET /report`.
pub async fn report(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    asked: Negotiation,
) -> Response {
    let published = state.current();
    let repr = match asked.repr(&DOCUMENT_FORMATS) {
        Ok(r) => r,
        Err(response) => return *response,
    };
    let lang = asked.lang;
    let built = super::blocking({
        let published = Arc::clone(&published);
        move || {
            let report = crate::query::report::reconcile(&published.dataset, lang.tag())?;
            Ok::<_, crate::query::report::ReportError>(if repr == Repr::Html {
                pages::report_page(&published, &report, lang).into_bytes()
            } else {
                let iri = oxigraph::model::NamedNode::new_unchecked(published.url("report"));
                write_graph(&published, &report.to_triples(&iri), repr)
            })
        }
    })
    .await;
    let body = match built {
        Ok(Ok(body)) => body,
        Ok(Err(crate::query::report::ReportError::Query(e))) => {
            return super::backend_error(&headers, &e);
        }
        Ok(Err(e)) => return super::plain_error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
        Err(e) => return e.into_response(),
    };
    let tag = format!("report-{}-{}", repr.extension(), lang.tag());
    vary_accept(cacheable(
        &headers,
        &published,
        published.etag(&tag),
        &repr.content_type(),
        body,
    ))
}
