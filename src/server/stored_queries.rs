//! `/queries/`: the stored queries of `queries/` as a read API, the simplest thing for an
//! open-data portal to link: `/queries/{name}` gives the query's current results as CSV (or
//! JSON, TSV, XML; Turtle and JSON-LD for CONSTRUCT) by `Accept` or `?format=`.
//!
//! A stored query's results change only with the data, so each is computed once per build and
//! format, and revalidated by `ETag`.

use super::negotiate::{self, Repr};
use super::{
    ApiError, AppState, Served, cache, cacheable, error_page, pages, plain_error, sparql,
    vary_accept,
};
use crate::server::negotiate::Negotiation;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use std::collections::HashMap;
use std::sync::Arc;

pub use crate::query::stored::StoredQuery;

/// `GET /queries/`: HTML for browsers, JSON otherwise.
pub async fn list(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    asked: Negotiation,
) -> Response {
    let published = state.current();
    super::listing(
        &headers,
        &asked,
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
    asked: Negotiation,
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
    let repr = match asked.repr(&offered) {
        Ok(r)
            if asked.format().is_none()
                && r == Repr::Html
                && !negotiate::prefers_html(&headers) =>
        {
            offered[0]
        }
        Ok(r) => r,
        Err(response) => return *response,
    };
    let lang = asked.lang;
    let etag = if repr == Repr::Html {
        published.etag(&format!("query-{name}-html-{}", lang.tag()))
    } else {
        published.etag(&format!("query-{name}-{}", repr.extension()))
    };
    // the tag names the build, not the results: a client that has them is answered at once,
    // evaluated or not
    if super::not_modified(&headers, &etag, published.modified) {
        let content_type = repr.content_type();
        let unchanged = cacheable(&headers, &published, etag, &content_type, Bytes::new());
        return vary_accept(unchanged);
    }
    let (canonical, cache_status) = match evaluated(&state, &published, &stored).await {
        Ok(evaluated) => evaluated,
        Err(response) => return response,
    };
    let body = if repr == Repr::Html {
        match results(&state, &published, &stored, &canonical, Repr::SparqlJson).await {
            Ok(table) => pages::stored_query_page(&published, &stored, &table, lang).into(),
            Err(e) => return e.into_response(),
        }
    } else {
        match results(&state, &published, &stored, &canonical, repr).await {
            Ok(bytes) => bytes,
            Err(e) => return e.into_response(),
        }
    };
    let content_type = repr.content_type();
    let mut response = vary_accept(cacheable(&headers, &published, etag, &content_type, body));
    cache::status(&mut response, cache_status);
    response
}

/// The results of `stored` as `repr`: made once per build and format from its evaluated
/// results, without evaluating the query again.
async fn results(
    state: &Arc<AppState>,
    published: &Arc<Served>,
    stored: &StoredQuery,
    canonical: &Canonical,
    repr: Repr,
) -> Result<Bytes, ApiError> {
    let limit = state.settings.max_result_bytes;
    if repr == canonical.repr {
        // kept up to four times the size of a served result, so that its other formats can be
        // made; served only within the size
        if canonical.bytes.len() > limit {
            return Err(sparql::too_large(limit));
        }
        return Ok(canonical.bytes.clone());
    }
    let key = (stored.name.clone(), repr);
    if let Some(bytes) = published
        .results
        .lock()
        .ok()
        .and_then(|cache| cache.get(&key).cloned())
    {
        return Ok(bytes);
    }
    let (from, canonical) = (canonical.repr, canonical.bytes.clone());
    let bytes = super::blocking({
        let published = Arc::clone(published);
        move || sparql::reserialize(&published, &canonical, from, repr, limit)
    })
    .await??;
    if let Ok(mut cache) = published.results.lock() {
        cache.insert(key, bytes.clone());
    }
    Ok(bytes)
}

/// A stored query's results as evaluated: SPARQL JSON for solutions and booleans, N-Triples
/// for graphs. Every other format is made from these bytes.
#[derive(Clone)]
pub(crate) struct Canonical {
    /// The serialised results.
    pub bytes: Bytes,
    /// [`Repr::SparqlJson`] or [`Repr::NTriples`].
    pub repr: Repr,
}

/// What evaluating a stored query gave: kept for the build unless the failure may pass (the
/// remote store could not be reached, the evaluating thread failed).
type Outcome = Result<Canonical, ApiError>;

/// One build's stored-query results. A stored query is the publisher's own and its results
/// change only with the data, so each is evaluated once per build, by one task at a time
/// (those asking meanwhile wait for its outcome), under `--stored-query-timeout` rather than
/// a client's `--query-timeout`: a query over a million memberships that takes longer than a
/// client may wait still gets answered, from the evaluation that went on without it.
pub(crate) struct Evaluations {
    slots: HashMap<String, Arc<tokio::sync::Mutex<Option<Outcome>>>>,
}

impl Evaluations {
    /// No results yet for any of `queries`.
    pub fn new(queries: &[StoredQuery]) -> Self {
        Self {
            slots: queries
                .iter()
                .map(|q| (q.name.clone(), Arc::default()))
                .collect(),
        }
    }
}

/// Evaluates `stored` for `published` unless that was done before: the outcome and its
/// `Cache-Status`. A task of its own, so that an evaluation goes on (and its results are kept)
/// when the request that started it has stopped waiting.
fn evaluate(
    state: &Arc<AppState>,
    published: &Arc<Served>,
    stored: &StoredQuery,
) -> tokio::task::JoinHandle<(Outcome, &'static str)> {
    let slot = published.evaluations.slots.get(&stored.name).cloned();
    let (state, published, stored) = (Arc::clone(state), Arc::clone(published), stored.clone());
    tokio::spawn(async move {
        let Some(slot) = slot else {
            let message = format!("no stored query is named {}", stored.name);
            return (
                Err(ApiError::new(StatusCode::NOT_FOUND, message)),
                cache::MISSED,
            );
        };
        let mut slot = slot.lock_owned().await;
        if let Some(outcome) = slot.as_ref() {
            // evaluated while this task waited for the slot
            return (outcome.clone(), cache::COLLAPSED);
        }
        let outcome = async {
            let query = sparql::parse(&published, &stored.text).await?;
            let repr = if sparql::formats_for(&query)[0] == Repr::SparqlJson {
                Repr::SparqlJson
            } else {
                Repr::NTriples
            };
            // an on-disk store keeps the results of the queries evaluated over it, so that a
            // restart has them at once; named by the query's text, which may change while the
            // store stays the same
            let kept = kept_name(&stored, repr);
            let read = super::blocking({
                let (published, kept) = (Arc::clone(&published), kept.clone());
                move || published.dataset.local().and_then(|d| d.kept(&kept))
            });
            if let Some(bytes) = read.await? {
                let bytes = bytes.into();
                return Ok((Canonical { bytes, repr }, cache::HIT));
            }
            let evaluating = Arc::clone(&published);
            let bytes = sparql::run_stored(&state, evaluating, query, repr).await?;
            // a failure to write is logged by `keep`; the results are served all the same
            let _ = super::blocking({
                let bytes = bytes.clone();
                move || {
                    if let Some(dataset) = published.dataset.local() {
                        dataset.keep(&kept, &bytes);
                    }
                }
            })
            .await;
            Ok((Canonical { bytes, repr }, cache::STORED))
        }
        .await;
        let (outcome, status) = match outcome {
            Ok((canonical, status)) => (Ok(canonical), status),
            Err(e) => (Err(e), cache::MISSED),
        };
        // a failure that may pass (the remote store unreachable, a thread lost) is tried again
        // by the next request; any other is the outcome for this build
        let passing = |e: &ApiError| {
            [
                StatusCode::BAD_GATEWAY,
                StatusCode::GATEWAY_TIMEOUT,
                StatusCode::INTERNAL_SERVER_ERROR,
            ]
            .contains(&e.status)
        };
        if !outcome.as_ref().is_err_and(passing) {
            *slot = Some(outcome.clone());
        }
        (outcome, status)
    })
}

/// The name `stored`'s results as `repr` are kept under beside an on-disk store.
fn kept_name(stored: &StoredQuery, repr: Repr) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(stored.text.as_bytes());
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("query-{}-{hex}.{}", stored.name, repr.extension())
}

/// The results of `stored` and their `Cache-Status` (`hit` when they were ready); waits for
/// them up to `--query-timeout`, then answers 503 with `Retry-After` while the evaluation goes
/// on.
async fn evaluated(
    state: &Arc<AppState>,
    published: &Arc<Served>,
    stored: &StoredQuery,
) -> Result<(Canonical, &'static str), Response> {
    // ready: no task, no wait
    if let Some(slot) = published.evaluations.slots.get(&stored.name)
        && let Ok(outcome) = slot.try_lock()
        && let Some(outcome) = outcome.as_ref()
    {
        return match outcome {
            Ok(canonical) => Ok((canonical.clone(), cache::HIT)),
            Err(e) => Err(e.clone().into_response()),
        };
    }
    let task = evaluate(state, published, stored);
    match tokio::time::timeout(state.settings.query_timeout, task).await {
        Ok(Ok((Ok(canonical), status))) => Ok((canonical, status)),
        Ok(Ok((Err(e), _))) => Err(e.into_response()),
        Ok(Err(e)) => {
            tracing::error!("stored query task failed: {e}");
            Err(plain_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the stored query could not be evaluated",
            ))
        }
        Err(_) => {
            let mut response = plain_error(
                StatusCode::SERVICE_UNAVAILABLE,
                &format!(
                    "the results of {} are being computed for this build (each stored query is evaluated once per build); try again shortly",
                    stored.name
                ),
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            Err(response)
        }
    }
}

/// Evaluates the stored queries of the build being served, one after the other, so that the
/// first to ask for each finds its results ready; logs what each took. Stops early when a
/// newer build replaces it (which is warmed up in turn).
pub async fn warm_up(state: Arc<AppState>) {
    let published = state.current();
    for stored in &published.queries {
        if !Arc::ptr_eq(&state.current(), &published) {
            return;
        }
        let started = std::time::Instant::now();
        let name = &stored.name;
        match evaluate(&state, &published, stored).await {
            Ok((Ok(_), _)) => tracing::info!(
                "stored query {name}: results ready in {:.2} s",
                started.elapsed().as_secs_f64()
            ),
            Ok((Err(e), _)) => tracing::warn!(
                "stored query {name} failed ({}): {}",
                e.status.as_u16(),
                e.message
            ),
            Err(e) => tracing::error!("stored query {name}: task failed: {e}"),
        }
    }
}
