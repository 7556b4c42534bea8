//! What every handler answers with: error pages and plain errors with the right status for
//! each failure, revalidation (`ETag`, `Last-Modified`, `304`), cacheable bodies, listings,
//! `Vary`, graphs serialised with the dataset's prefixes, and blocking calls off the async
//! workers.

use super::negotiate::{self, Lang, Negotiation, Repr};
use super::{encoding, pages};
use crate::export::{self, Format};
use crate::publication::Publication;
use crate::query::BackendError;
use crate::query::remote::RemoteError;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use std::time::SystemTime;

/// An error answered in the form the client reads: an HTML page for browsers, plain text
/// otherwise.
pub(crate) fn error_page(headers: &HeaderMap, status: StatusCode, message: &str) -> Response {
    if negotiate::prefers_html(headers) {
        let lang = Lang::from_headers(headers, None);
        let html = pages::error_page(status, message, lang);
        (
            status,
            [(header::CONTENT_TYPE, Repr::Html.content_type())],
            html,
        )
            .into_response()
    } else {
        plain_error(status, message)
    }
}

/// An error status with a message for the client, sent as plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The status.
    pub status: StatusCode,
    /// What went wrong and, where possible, what to do about it.
    pub message: String,
    /// Seconds after which trying again may succeed (`Retry-After`).
    pub retry_after: Option<u32>,
}

impl ApiError {
    /// An error with `status` and `message`.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            retry_after: None,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = plain_error(self.status, &self.message);
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
        }
        response
    }
}

/// A plain-text error.
pub(crate) fn plain_error(status: StatusCode, message: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("{message}\n"),
    )
        .into_response()
}

/// The answer to a failure of the data's backend: 502 Bad Gateway when the remote store
/// cannot be reached, answers with an error or with something unreadable; 504 Gateway Timeout
/// when it does not answer in time; 413 for an answer too large. The client is told what
/// happened without the store's internal address; the log gets everything.
pub fn backend_failure(e: &BackendError) -> ApiError {
    let remote = match e {
        BackendError::Remote(remote) => remote,
        BackendError::Query(crate::store::QueryError::Syntax(e)) => {
            return ApiError::new(
                StatusCode::BAD_REQUEST,
                format!("the query is not valid SPARQL: {e}"),
            );
        }
        other => {
            tracing::error!("{other}");
            return ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, other.to_string());
        }
    };
    tracing::warn!("{remote}");
    const STORE: &str = "the SPARQL store behind this server";
    match remote {
        RemoteError::Timeout { seconds, .. } => ApiError::new(
            StatusCode::GATEWAY_TIMEOUT,
            format!(
                "{STORE} did not answer within {seconds} s; try again later, or narrow the query"
            ),
        ),
        RemoteError::Unreachable { .. } | RemoteError::BadUrl { .. } => ApiError::new(
            StatusCode::BAD_GATEWAY,
            format!("{STORE} cannot be reached; try again later"),
        ),
        RemoteError::Status {
            status, message, ..
        } => ApiError::new(
            StatusCode::BAD_GATEWAY,
            format!("{STORE} answered {status}: {message}"),
        ),
        RemoteError::Invalid { reason, .. } => ApiError::new(
            StatusCode::BAD_GATEWAY,
            format!("{STORE} sent an answer that cannot be read: {reason}"),
        ),
        RemoteError::TooLarge { mib, .. } => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("{STORE} sent more than {mib} MiB; narrow the query or add a LIMIT"),
        ),
        RemoteError::NoRuntime(_) => ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the request could not be completed",
        ),
    }
}

/// A backend failure answered in the form the client reads (see [`backend_failure`]).
pub(crate) fn backend_error(headers: &HeaderMap, e: &BackendError) -> Response {
    let e = backend_failure(e);
    error_page(headers, e.status, &e.message)
}

/// Runs `f`, which reads the store, on the blocking thread pool: Oxigraph's calls are
/// synchronous, and a long one must not stall the async workers that serve other requests.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f).await.map_err(|e| {
        tracing::error!("blocking task failed: {e}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the request could not be completed",
        )
    })
}

/// Whether the request's validators match: answer 304 Not Modified.
pub(crate) fn not_modified(headers: &HeaderMap, etag: &str, modified: SystemTime) -> bool {
    if let Some(tags) = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    {
        let weak = |t: &str| t.trim().trim_start_matches("W/").to_owned();
        return tags
            .split(',')
            .any(|t| t.trim() == "*" || weak(t) == weak(etag));
    }
    if let Some(since) = headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok())
    {
        let modified_secs = modified
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let since_secs = since
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        return modified_secs <= since_secs;
    }
    false
}

/// A cacheable response of this build's content: `ETag`, `Last-Modified`, 304 on revalidation;
/// for a client that accepts compression, the body is attached, for the compressed copies made
/// once a build (see [`encoding`]).
pub fn cacheable(
    headers: &HeaderMap,
    published: &Publication,
    etag: String,
    content_type: &str,
    body: impl Into<Bytes>,
) -> Response {
    let bytes = body.into();
    let mut response = cacheable_body(headers, published, etag, content_type, bytes.clone());
    if response.status() == StatusCode::OK && encoding::preferred(headers).is_some() {
        response.extensions_mut().insert(encoding::Encodable(bytes));
    }
    response
}

/// As [`cacheable`], for a body that is not held whole (a dump streamed from its file).
pub(crate) fn cacheable_body(
    headers: &HeaderMap,
    published: &Publication,
    etag: String,
    content_type: &str,
    body: impl Into<Body>,
) -> Response {
    let last_modified = httpdate::fmt_http_date(published.modified);
    if not_modified(headers, &etag, published.modified) {
        return (
            StatusCode::NOT_MODIFIED,
            [(header::ETAG, etag), (header::LAST_MODIFIED, last_modified)],
        )
            .into_response();
    }
    let mut response = Response::new(body.into());
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(&last_modified) {
        h.insert(header::LAST_MODIFIED, v);
    }
    response
}

/// A listing (of dumps, of stored queries): an HTML page for browsers, in the reader's
/// language, JSON otherwise; negotiated and cacheable.
pub fn listing(
    headers: &HeaderMap,
    asked: &Negotiation,
    published: &Publication,
    what: &str,
    page: impl FnOnce(Lang) -> String,
    json: impl FnOnce() -> serde_json::Value,
) -> Response {
    let repr = match asked.format() {
        Some(_) => match asked.repr(&[Repr::Json, Repr::Html]) {
            Ok(r) => r,
            Err(response) => return *response,
        },
        None => negotiate::negotiate(headers, &[Repr::Json, Repr::Html]).unwrap_or(Repr::Json),
    };
    let (body, tag) = if repr == Repr::Html {
        let lang = asked.lang;
        (page(lang), format!("{what}-html-{}", lang.tag()))
    } else {
        (json().to_string(), format!("{what}-json"))
    };
    vary_accept(cacheable(
        headers,
        published,
        published.etag(&tag),
        &repr.content_type(),
        body,
    ))
}

/// Adds `Vary: Accept` (the response depends on content negotiation).
pub(crate) fn vary_accept(mut response: Response) -> Response {
    response
        .headers_mut()
        .append(header::VARY, HeaderValue::from_static("Accept"));
    response
}

/// Serialises triples in a graph representation, with the dataset's prefixes.
pub(crate) fn write_graph(
    published: &Publication,
    triples: &[oxigraph::model::Triple],
    repr: Repr,
) -> Vec<u8> {
    write_graph_with(published, triples, repr, &[])
}

/// Serialises triples in a graph representation, with the dataset's prefixes and `extra` ones.
pub(crate) fn write_graph_with(
    published: &Publication,
    triples: &[oxigraph::model::Triple],
    repr: Repr,
    extra: &[(&str, &str)],
) -> Vec<u8> {
    let format = match repr {
        Repr::NTriples => Format::NTriples,
        Repr::RdfXml => Format::RdfXml,
        Repr::JsonLd => Format::JsonLd,
        Repr::TriG => Format::TriG,
        _ => Format::Turtle,
    };
    let mut prefixes = published.base().prefixes();
    prefixes.extend(
        extra
            .iter()
            .map(|(p, i)| ((*p).to_owned(), (*i).to_owned())),
    );
    export::write_graph(triples, format, &prefixes)
}
