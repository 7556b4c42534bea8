//! The SPARQL 1.1 Protocol, query only: `GET ?query=`, `POST` of a form or of
//! `application/sparql-query`; `default-graph-uri` and `named-graph-uri`; results by `Accept`.
//!
//! Updates are refused (403): the endpoint is read-only, always. A query runs in a blocking
//! task under a timeout that really cancels it, with a cap on queries running at once. Its
//! whole result is serialised before the status is sent, so a query that times out or grows
//! too large gets a clear error, never a truncated 200.

use super::cache::{self, HIT, MISSED, STORED};
use super::clients::ClientAddress;
use super::negotiate::{self, Lang, Repr};
use super::query_threads;
use super::{ApiError, AppState, Served, pages, plain_error, vary_accept};
use crate::query::BackendError;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{CancellationToken, QueryDataset, QueryEvaluationError, QueryResults};
use spargebra::{Query, SparqlParser};
use std::io::Write;
use std::sync::Arc;

const TABULAR: [Repr; 4] = [Repr::SparqlJson, Repr::SparqlXml, Repr::Csv, Repr::Tsv];
const GRAPH: [Repr; 5] = [
    Repr::Turtle,
    Repr::NTriples,
    Repr::RdfXml,
    Repr::JsonLd,
    Repr::TriG,
];

/// Request parameters, decoded.
#[derive(Debug, Default)]
struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Decodes `a=1&b=2`, refusing percent-encoded bytes that are not UTF-8.
    fn parse(encoded: &str) -> Result<Self, String> {
        let mut pairs = Vec::new();
        for part in encoded.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(&s.replace('+', " "))
                    .decode_utf8()
                    .map(|c| c.into_owned())
                    .map_err(|_| {
                        "a request parameter is not valid UTF-8 once percent-decoded".to_owned()
                    })
            };
            pairs.push((decode(k)?, decode(v)?));
        }
        Ok(Self { pairs })
    }

    fn all(&self, key: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    fn one(&self, key: &str) -> Option<&str> {
        self.all(key).first().copied()
    }
}

/// `GET /sparql`.
pub async fn get(
    State(state): State<Arc<AppState>>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let raw = raw.unwrap_or_default();
    // a query asked again in the same words is answered before anything is decoded
    let exact = exact_key(&raw, &headers);
    let published = state.current();
    if let Some(hit) = published.answers.get(&exact) {
        return answered(
            &headers,
            &published,
            hit.etag,
            &hit.content_type,
            hit.bytes,
            HIT,
        );
    }
    let params = match Params::parse(&raw) {
        Ok(p) => p,
        Err(e) => return plain_error(StatusCode::BAD_REQUEST, &e),
    };
    if params
        .pairs
        .iter()
        .all(|(k, _)| k != "query" && k != "update")
    {
        let published = state.current();
        if negotiate::prefers_html(&headers) {
            let lang = Lang::from_headers(&headers, params.one("lang"));
            let html = pages::query_page(&published, lang, params.one("example"));
            return vary_accept(
                ([(header::CONTENT_TYPE, Repr::Html.content_type())], html).into_response(),
            );
        }
        return super::catalog::service_description_document(&headers, &published);
    }
    answer(&state, client, &headers, &params, None, Some(exact)).await
}

/// The cache key of a GET request exactly as written: its query string and `Accept`.
fn exact_key(raw: &str, headers: &HeaderMap) -> String {
    let mut key = String::with_capacity(raw.len() + 64);
    key.push_str("GET ");
    key.push_str(raw);
    for accept in headers.get_all(header::ACCEPT) {
        key.push('\n');
        key.push_str(accept.to_str().unwrap_or("?"));
    }
    key
}

/// `POST /sparql`.
pub async fn post(
    State(state): State<Arc<AppState>>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Response {
    let url_params = match Params::parse(raw.as_deref().unwrap_or("")) {
        Ok(p) => p,
        Err(e) => return plain_error(StatusCode::BAD_REQUEST, &e),
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    let Ok(text) = std::str::from_utf8(&body) else {
        return plain_error(
            StatusCode::BAD_REQUEST,
            "the request body is not valid UTF-8",
        );
    };
    match content_type.as_str() {
        "application/x-www-form-urlencoded" => match Params::parse(text) {
            Ok(params) => answer(&state, client, &headers, &params, None, None).await,
            Err(e) => plain_error(StatusCode::BAD_REQUEST, &e),
        },
        "application/sparql-query" => {
            answer(
                &state,
                client,
                &headers,
                &url_params,
                Some(text.to_owned()),
                None,
            )
            .await
        }
        "application/sparql-update" => read_only(),
        "" => plain_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "a POST to /sparql needs a Content-Type: application/sparql-query or application/x-www-form-urlencoded",
        ),
        other => plain_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            &format!(
                "cannot read a body of type {other}: send application/sparql-query or application/x-www-form-urlencoded"
            ),
        ),
    }
}

fn read_only_error() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "this SPARQL endpoint is read-only: updates are not accepted",
    )
}

fn read_only() -> Response {
    read_only_error().into_response()
}

async fn answer(
    state: &Arc<AppState>,
    client: Option<std::net::IpAddr>,
    headers: &HeaderMap,
    params: &Params,
    body_query: Option<String>,
    exact: Option<String>,
) -> Response {
    if !params.all("update").is_empty() {
        return read_only();
    }
    let mut queries: Vec<String> = params.all("query").into_iter().map(str::to_owned).collect();
    queries.extend(body_query);
    let text = match queries.as_slice() {
        [one] => one.clone(),
        [] => {
            return plain_error(
                StatusCode::BAD_REQUEST,
                "no query: give one `query` parameter",
            );
        }
        _ => {
            return plain_error(
                StatusCode::BAD_REQUEST,
                "more than one query: give exactly one `query`",
            );
        }
    };
    let published = state.current();
    let key = answer_key(&text, params, headers);
    let etag = format!("W/{}", published.etag(&format!("q{}", &key[..16])));
    if super::not_modified(headers, &etag, published.modified) {
        // same build, same request: the client's copy is this answer
        return answered(headers, &published, etag, "", Bytes::new(), HIT);
    }
    if let Some(hit) = published.answers.get(&key) {
        return answered(
            headers,
            &published,
            hit.etag,
            &hit.content_type,
            hit.bytes,
            HIT,
        );
    }
    let query = match parse(&published, &text).await {
        Ok(q) => q,
        Err(e) => return e.into_response(),
    };
    let dataset = match dataset_of(params) {
        Ok(d) => d,
        Err(e) => return plain_error(StatusCode::BAD_REQUEST, &e),
    };
    let available: &[Repr] = if matches!(query, Query::Select { .. } | Query::Ask { .. }) {
        &TABULAR
    } else {
        &GRAPH
    };
    let repr = match negotiate::choose(headers, params.one("format"), available) {
        Ok(r) => r,
        Err(response) => return *response,
    };
    match run(state, Arc::clone(&published), query, dataset, repr, client).await {
        Ok(bytes) => {
            let content_type = repr.content_type();
            let keys: Vec<&str> = [Some(key.as_str()), exact.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            let status = if published
                .answers
                .insert(&keys, &content_type, &etag, &bytes)
            {
                STORED
            } else {
                MISSED
            };
            answered(headers, &published, etag, &content_type, bytes, status)
        }
        Err(e) => e.into_response(),
    }
}

/// What decides an answer besides the data: the query text, the protocol's dataset
/// parameters, and the format asked for (`format`, else `Accept`). Hashed, so a long query
/// costs the cache 64 bytes.
fn answer_key(text: &str, params: &Params, headers: &HeaderMap) -> String {
    use sha2::Digest;
    let mut digest = sha2::Sha256::new();
    let mut field = |name: &str, value: &[u8]| {
        // lengths first, so no two different requests make the same stream
        digest.update(name.as_bytes());
        digest.update((value.len() as u64).to_le_bytes());
        digest.update(value);
    };
    field("query", text.as_bytes());
    for uri in params.all("default-graph-uri") {
        field("default-graph-uri", uri.as_bytes());
    }
    for uri in params.all("named-graph-uri") {
        field("named-graph-uri", uri.as_bytes());
    }
    match params.one("format") {
        Some(format) => field("format", format.as_bytes()),
        None => {
            for accept in headers.get_all(header::ACCEPT) {
                field("accept", accept.as_bytes());
            }
        }
    }
    crate::support::digest::hex(&digest.finalize())
}

/// An answer with its validators: a client that has it already gets 304. The ETag is weak:
/// the same query on the same build gives the same solutions, though not always in the same
/// order when the query does not fix one.
fn answered(
    headers: &HeaderMap,
    published: &Served,
    etag: String,
    content_type: &str,
    bytes: Bytes,
    cache_status: &'static str,
) -> Response {
    let mut response = super::cacheable(headers, published, etag, content_type, bytes);
    cache::status(&mut response, cache_status);
    vary_accept(response)
}

/// Most brackets (`(`, `{`, `[`) a query may nest.
const MAX_NESTING: usize = 64;
/// Most brackets, operator characters and variable marks a query may hold in all.
const MAX_OPERATORS: usize = 4000;

/// Refuses, before parsing, a query nested too deep to parse or evaluate safely.
///
/// The SPARQL parser and Oxigraph's evaluator recurse once per level of nesting: per bracket,
/// and per operator of a chain such as `1+1+…`, `!!!…` or a run of `OPTIONAL {…}` (each
/// nests the previous ones), so a query of a few hundred kilobytes could overflow the stack,
/// which aborts the whole server, not just the request. The check is lexical and errs on the
/// safe side: after the `\uXXXX` escapes the parser itself decodes first, every bracket and
/// operator character is counted, even in strings, IRIs and comments.
fn check_shape(text: &str) -> Result<(), ApiError> {
    let unescaped;
    let text = if text.contains("\\u") || text.contains("\\U") {
        unescaped = unescape_codepoints(text);
        unescaped.as_str()
    } else {
        text
    };
    let (mut depth, mut deepest, mut operators) = (0usize, 0usize, 0usize);
    for b in text.bytes() {
        match b {
            b'(' | b'{' | b'[' => {
                depth += 1;
                deepest = deepest.max(depth);
                operators += 1;
            }
            b')' | b'}' | b']' => depth = depth.saturating_sub(1),
            // and variables: a few hundred thousand of them take minutes to plan
            b'!' | b'=' | b'<' | b'>' | b'+' | b'-' | b'*' | b'/' | b'|' | b'&' | b'^' | b'?'
            | b'$' => {
                operators += 1;
            }
            _ => {}
        }
    }
    if deepest > MAX_NESTING {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!(
                "the query nests brackets {deepest} deep; this endpoint accepts at most {MAX_NESTING}"
            ),
        ));
    }
    if operators > MAX_OPERATORS {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!(
                "the query has {operators} brackets, operators and variables; this endpoint \
                 accepts at most {MAX_OPERATORS}: split it into smaller queries"
            ),
        ));
    }
    Ok(())
}

/// Decodes `\uXXXX` and `\UXXXXXXXX` as the SPARQL parser does before it reads a query.
fn unescape_codepoints(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let digits = match rest.as_bytes().get(1) {
            Some(b'u') => 4,
            Some(b'U') => 8,
            _ => 0,
        };
        let decoded = rest
            .get(2..2 + digits)
            .filter(|_| digits > 0)
            .and_then(|hex| u32::from_str_radix(hex, 16).ok())
            .and_then(char::from_u32);
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[2 + digits..];
            }
            None => {
                out.push('\\');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Parses a query against the dataset's base; an update gets 403, a syntax error or a query
/// nested too deep 400 with the reason.
pub async fn parse(published: &Arc<Served>, text: &str) -> Result<Query, ApiError> {
    check_shape(text)?;
    let (published, text) = (Arc::clone(published), text.to_owned());
    // the parser recurses over the query's nesting: on a thread with room for it
    query_threads::run(move || parse_checked(&published, &text))
        .await
        .unwrap_or_else(|| {
            Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the query could not be parsed",
            ))
        })
}

fn parse_checked(published: &Served, text: &str) -> Result<Query, ApiError> {
    let parser = || SparqlParser::new().with_base_iri(published.base().as_str());
    let Ok(parser_q) = parser() else {
        return Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the base IRI is invalid",
        ));
    };
    match parser_q.parse_query(text) {
        Ok(q) => Ok(q),
        Err(e) => {
            if parser().is_ok_and(|p| p.parse_update(text).is_ok()) {
                Err(read_only_error())
            } else {
                Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    super::query_errors::explain(
                        text,
                        &e.to_string(),
                        &published.base().prefixes(),
                    ),
                ))
            }
        }
    }
}

fn dataset_of(params: &Params) -> Result<Option<QueryDataset>, String> {
    let default = params.all("default-graph-uri");
    let named = params.all("named-graph-uri");
    if default.is_empty() && named.is_empty() {
        return Ok(None);
    }
    let iri = |s: &str| NamedNode::new(s).map_err(|e| format!("`{s}` is not an IRI: {e}"));
    let mut dataset = QueryDataset::new();
    if !default.is_empty() {
        dataset.set_default_graph(
            default
                .iter()
                .map(|s| iri(s).map(GraphName::from))
                .collect::<Result<_, _>>()?,
        );
    }
    if !named.is_empty() {
        dataset.set_available_named_graphs(
            named
                .iter()
                .map(|s| iri(s).map(NamedOrBlankNode::from))
                .collect::<Result<_, _>>()?,
        );
    } else if !default.is_empty() {
        dataset.set_available_named_graphs(Vec::new());
    }
    Ok(Some(dataset))
}

/// Why a query produced no result.
enum Failure {
    Cancelled,
    /// The query passed its memory budget.
    OutOfMemory(crate::support::memory::Exceeded),
    TooLarge,
    Evaluation(QueryEvaluationError),
    /// The evaluating thread could not start, or panicked.
    Crashed,
    /// The remote store gave no usable answer.
    Backend(BackendError),
}

/// The answer to a result larger than `limit` bytes.
pub(crate) fn too_large(limit: usize) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!(
            "the result is larger than {} MiB; narrow the query or add a LIMIT",
            limit >> 20
        ),
    )
}

/// A writer that refuses to grow past a limit.
struct Capped {
    bytes: Vec<u8>,
    limit: usize,
}

impl Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > self.limit {
            return Err(std::io::Error::other("result too large"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// How long an answer waits, once its query has been cancelled, for the evaluation to notice;
/// then the client is answered anyway and the evaluation keeps its slots until it stops.
const CANCEL_GRACE: std::time::Duration = std::time::Duration::from_millis(900);

/// How long a query waits for its client's turn, when the client already runs its share.
const CLIENT_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

/// What one evaluation may use.
struct Limits {
    timeout: std::time::Duration,
    /// Bytes of the serialised result.
    result_bytes: usize,
    /// Bytes allocated by the evaluation (0: none).
    memory: usize,
    /// Where the most bytes a query allocated at once are kept.
    peak: Arc<std::sync::atomic::AtomicUsize>,
}

/// Cancels a query whose answer nobody waits for any more: a client that closed its
/// connection (the server drops the request's future), or a request cut off by a layer.
struct CancelOnDrop(CancellationToken);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// Evaluates `query` and serialises its whole result as `repr`, under the server's timeout,
/// memory budget, concurrency cap (with `client`'s share of it) and size cap.
pub async fn run(
    state: &Arc<AppState>,
    published: Arc<Served>,
    query: Query,
    dataset: Option<QueryDataset>,
    repr: Repr,
    client: Option<std::net::IpAddr>,
) -> Result<Bytes, ApiError> {
    let settings = &state.settings;
    let timeout = settings.query_timeout;
    // a client's own turn first, so that its queries queue behind each other, not in front
    // of everyone else's; briefly: a client that has its share running is told so
    let Some(slot) = state
        .clients
        .acquire(client, timeout.min(CLIENT_WAIT))
        .await
    else {
        let mut error = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "your address already runs {} queries at once, the most one client may here; \
                 wait for them to finish",
                state.clients.per_client()
            ),
        );
        error.retry_after = Some(5);
        return Err(error);
    };
    let permit =
        tokio::time::timeout(timeout, Arc::clone(&state.query_permits).acquire_owned()).await;
    let Ok(Ok(permit)) = permit else {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "too many queries are running; try again shortly",
        ));
    };
    let limits = Limits {
        timeout,
        result_bytes: settings.max_result_bytes,
        memory: settings.query_memory,
        peak: Arc::clone(&state.query_memory_peak),
    };
    evaluate_capped(
        published,
        query,
        dataset,
        repr,
        limits,
        Box::new((permit, slot)),
    )
    .await
}

/// Evaluates a stored query and serialises its whole result as `repr` (capped at four times
/// the size of a served result, so that the formats made from it can still be served), once
/// the stored queries evaluated before it are done, under `--stored-query-timeout`.
pub(crate) async fn run_stored(
    state: &Arc<AppState>,
    published: Arc<Served>,
    query: Query,
    repr: Repr,
) -> Result<Bytes, ApiError> {
    let Ok(permit) = Arc::clone(&state.stored_permits).acquire_owned().await else {
        return Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the stored queries cannot be evaluated",
        ));
    };
    let limits = Limits {
        timeout: state.settings.stored_query_timeout,
        result_bytes: state.settings.max_result_bytes.saturating_mul(4),
        memory: state.settings.stored_query_memory,
        peak: Arc::clone(&state.query_memory_peak),
    };
    evaluate_capped(published, query, None, repr, limits, Box::new(permit)).await
}

/// Evaluates `query` holding `slots` (given back when the evaluation has really stopped, not
/// when the client is answered), cancelled after the timeout or when its memory budget is
/// passed, its serialised result refused past its size limit. The client is answered at the
/// latest [`CANCEL_GRACE`] after the timeout, whatever the evaluation does.
async fn evaluate_capped(
    published: Arc<Served>,
    query: Query,
    dataset: Option<QueryDataset>,
    repr: Repr,
    limits: Limits,
    slots: Box<dyn Send>,
) -> Result<Bytes, ApiError> {
    let token = CancellationToken::new();
    let _cancel_on_drop = CancelOnDrop(token.clone());
    let task_token = token.clone();
    let (result_limit, memory, peak) = (limits.result_bytes, limits.memory, limits.peak);
    // the evaluator recurses over the query's nesting: on a thread with room for it
    let evaluation = query_threads::run(move || {
        let _slots = slots;
        let budget = crate::support::memory::Budget::enter(memory, &task_token);
        let outcome =
            evaluate_serialized(&published, query, dataset, repr, result_limit, &task_token);
        peak.fetch_max(budget.peak(), std::sync::atomic::Ordering::Relaxed);
        match (outcome, budget.exceeded()) {
            (Err(_), Some(exceeded)) => Err(Failure::OutOfMemory(exceeded)),
            (outcome, _) => outcome,
        }
    });
    tokio::pin!(evaluation);
    let result = tokio::select! {
        result = &mut evaluation => result.unwrap_or(Err(Failure::Crashed)),
        () = tokio::time::sleep(limits.timeout) => {
            token.cancel();
            match tokio::time::timeout(CANCEL_GRACE, &mut evaluation).await {
                Ok(result) => result.unwrap_or(Err(Failure::Crashed)),
                Err(_) => {
                    tracing::warn!(
                        "a query still runs {} ms after it was cancelled; its slot is kept until it stops",
                        CANCEL_GRACE.as_millis()
                    );
                    Err(Failure::Cancelled)
                }
            }
        }
    };
    match result {
        // an answer finished after the timeout is still the right answer
        Ok(bytes) => Ok(bytes.into()),
        Err(Failure::Cancelled) => Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "the query did not finish within {} seconds and was stopped; narrow it or add a LIMIT",
                limits.timeout.as_secs_f64()
            ),
        )),
        Err(Failure::OutOfMemory(exceeded)) => Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("{exceeded} and was stopped; narrow it or add a LIMIT"),
        )),
        Err(Failure::TooLarge) => Err(too_large(result_limit)),
        Err(Failure::Evaluation(e)) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("the query failed: {e}"),
        )),
        Err(Failure::Backend(e)) => Err(super::backend_failure(&e)),
        Err(Failure::Crashed) => {
            tracing::error!("query thread failed");
            Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the query could not be evaluated",
            ))
        }
    }
}

/// Evaluates `query` and serialises its results, on the calling (query) thread.
fn evaluate_serialized(
    published: &Served,
    query: Query,
    dataset: Option<QueryDataset>,
    repr: Repr,
    limit: usize,
    token: &CancellationToken,
) -> Result<Vec<u8>, Failure> {
    // a remote store's request is dropped when the token is cancelled
    let results = published
        .dataset
        .evaluate_until(token, query, dataset)
        .map_err(|e| match e {
            BackendError::Query(crate::store::QueryError::Evaluation(e)) => {
                if token.is_cancelled() || matches!(e, QueryEvaluationError::Cancelled) {
                    Failure::Cancelled
                } else {
                    Failure::Evaluation(e)
                }
            }
            BackendError::Query(crate::store::QueryError::Syntax(e)) => {
                Failure::Evaluation(QueryEvaluationError::Unexpected(Box::new(e)))
            }
            _ if token.is_cancelled() => Failure::Cancelled,
            other => Failure::Backend(other),
        })?;
    let mut out = Capped {
        bytes: Vec::new(),
        limit,
    };
    serialize(published, results, repr, &mut out, token)?;
    // cancelled at the last moment: the result may be cut short
    if token.is_cancelled() {
        return Err(Failure::Cancelled);
    }
    Ok(out.bytes)
}

fn serialize(
    published: &Served,
    results: QueryResults<'static>,
    repr: Repr,
    out: &mut Capped,
    token: &CancellationToken,
) -> Result<(), Failure> {
    let io = |e: std::io::Error| {
        if token.is_cancelled() {
            Failure::Cancelled
        } else if e.to_string() == "result too large" {
            Failure::TooLarge
        } else {
            Failure::Evaluation(QueryEvaluationError::Unexpected(Box::new(e)))
        }
    };
    let eval = |e: QueryEvaluationError| {
        if token.is_cancelled() || matches!(e, QueryEvaluationError::Cancelled) {
            Failure::Cancelled
        } else {
            Failure::Evaluation(e)
        }
    };
    let format = results_format(repr);
    match results {
        QueryResults::Boolean(b) => {
            QueryResultsSerializer::from_format(format)
                .serialize_boolean_to_writer(out, b)
                .map_err(io)?;
        }
        QueryResults::Solutions(solutions) => {
            let mut writer = QueryResultsSerializer::from_format(format)
                .serialize_solutions_to_writer(out, solutions.variables().to_vec())
                .map_err(io)?;
            for solution in solutions {
                writer.serialize(&solution.map_err(eval)?).map_err(io)?;
            }
            writer.finish().map_err(io)?;
        }
        QueryResults::Graph(triples) => {
            let mut all = Vec::new();
            for t in triples {
                all.push(t.map_err(eval)?);
                if all.len() % 4096 == 0 && token.is_cancelled() {
                    return Err(Failure::Cancelled);
                }
            }
            let mut seen = std::collections::HashSet::new();
            all.retain(|t| seen.insert(t.clone()));
            all.sort_by_cached_key(|t| {
                (
                    t.subject.to_string(),
                    t.predicate.to_string(),
                    t.object.to_string(),
                )
            });
            let bytes = super::write_graph(published, &all, repr);
            out.write_all(&bytes).map_err(io)?;
        }
    }
    Ok(())
}

/// The results format of a tabular representation (SPARQL JSON for any other).
fn results_format(repr: Repr) -> QueryResultsFormat {
    match repr {
        Repr::SparqlXml => QueryResultsFormat::Xml,
        Repr::Csv => QueryResultsFormat::Csv,
        Repr::Tsv => QueryResultsFormat::Tsv,
        _ => QueryResultsFormat::Json,
    }
}

/// The results of a query serialised as `from` (SPARQL JSON for solutions and booleans,
/// N-Triples for graphs), serialised again as `to` without evaluating the query again: what
/// a stored query's other formats are made from. Blocking.
pub(crate) fn reserialize(
    published: &Served,
    results: &Bytes,
    from: Repr,
    to: Repr,
    limit: usize,
) -> Result<Bytes, ApiError> {
    let unreadable = |e: &dyn std::fmt::Display| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the stored results could not be read again: {e}"),
        )
    };
    let reader = std::io::Cursor::new(results.clone());
    let results: QueryResults<'static> = if from == Repr::NTriples {
        let quads = oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NTriples)
            .for_reader(reader);
        QueryResults::Graph(oxigraph::sparql::QueryTripleIter::new(quads.map(|quad| {
            quad.map(oxigraph::model::Triple::from)
                .map_err(|e| QueryEvaluationError::Unexpected(Box::new(e)))
        })))
    } else {
        oxigraph::sparql::results::QueryResultsParser::from_format(results_format(from))
            .for_reader(reader)
            .map_err(|e| unreadable(&e))?
            .into()
    };
    let mut out = Capped {
        bytes: Vec::new(),
        limit,
    };
    match serialize(published, results, to, &mut out, &CancellationToken::new()) {
        Ok(()) => Ok(out.bytes.into()),
        Err(Failure::TooLarge) => Err(too_large(limit)),
        Err(Failure::Evaluation(e)) => Err(unreadable(&e)),
        Err(Failure::Backend(e)) => Err(unreadable(&e)),
        Err(Failure::Cancelled | Failure::Crashed | Failure::OutOfMemory(_)) => {
            Err(unreadable(&"stopped"))
        }
    }
}

/// The formats a stored query's results are offered in, for its kind.
pub(crate) fn formats_for(query: &Query) -> &'static [Repr] {
    if matches!(query, Query::Select { .. } | Query::Ask { .. }) {
        &TABULAR
    } else {
        &GRAPH
    }
}
