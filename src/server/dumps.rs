//! `/dumps/`: the whole dataset in every format, with `SHA256SUMS`, `ETag`/`Last-Modified`
//! revalidation and `Content-Disposition`. (Not in front of a remote store: 404, saying why.)
//!
//! Dumps are files, streamed to clients: a large dataset's would not fit in memory. They are
//! written once per content of the source files, into a directory named after a digest of
//! that content (and of reti's version and the base), so a restart with unchanged data finds
//! them and skips the export.

use super::{AppState, cacheable, cacheable_body, error_page, not_modified, pages, plain_error};
use crate::export::Format;
use crate::server::negotiate::Negotiation;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

use std::sync::Arc;

/// `GET /dumps/`: HTML for browsers, JSON otherwise.
pub async fn list(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    asked: Negotiation,
) -> Response {
    let published = state.current();
    if published.dataset.remote().is_some() {
        return not_here(&headers);
    }
    super::listing(
        &headers,
        &asked,
        &published,
        "dumps",
        |lang| pages::dumps_page(&published, lang),
        || {
            let files: Vec<serde_json::Value> = published
                .dumps
                .iter()
                .map(|d| {
                    let mut file = serde_json::json!({
                        "name": d.name,
                        "url": published.url(&format!("dumps/{}", d.name)),
                        "mediaType": d.format.media_type(),
                        "byteSize": d.size,
                        "sha256": d.sha256,
                        "namedGraphs": d.format.keeps_graphs(),
                    });
                    if d.compressed {
                        // the file is the gzip of the dump of mediaType (DCAT's compressFormat)
                        file["compressFormat"] = "application/gzip".into();
                    }
                    file
                })
                .collect();
            serde_json::json!({
                "dumps": files,
                "checksums": published.url("dumps/SHA256SUMS"),
                "modified": super::iso_8601(published.modified),
            })
        },
    )
}

/// Where a dump's bytes come from: memory (small dumps, the checksums) or its file.
enum Source {
    Memory(bytes::Bytes),
    File(std::path::PathBuf),
}

/// What a `Range` header asks of a representation of `len` bytes (RFC 9110 §14).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ranged {
    /// The whole representation: no `Range`, one reti ignores (another unit, bad syntax, more
    /// than one range), or an `If-Range` that does not match.
    Whole,
    /// Bytes `first..=last`.
    Part {
        /// First byte.
        first: u64,
        /// Last byte, included.
        last: u64,
    },
    /// No byte of the range exists: 416.
    Unsatisfiable,
}

/// What `Range` (with `If-Range`) asks of a representation of `len` bytes whose validators are
/// `etag` (strong) and `last_modified`. One range only: a request for several gets the whole
/// representation, which RFC 9110 §14.2 allows, rather than a `multipart/byteranges` answer
/// no download tool needs.
pub(crate) fn ranged(headers: &HeaderMap, etag: &str, last_modified: &str, len: u64) -> Ranged {
    let Some(range) = headers.get(header::RANGE).and_then(|v| v.to_str().ok()) else {
        return Ranged::Whole;
    };
    if let Some(condition) = headers.get(header::IF_RANGE) {
        // an entity tag matches by strong comparison only; a date, only the exact
        // Last-Modified (§13.1.5); anything else fails, and the whole representation is sent
        let condition = condition.to_str().unwrap_or("").trim();
        let matches = if condition.starts_with('"') || condition.starts_with("W/") {
            !condition.starts_with("W/") && condition == etag
        } else {
            httpdate::parse_http_date(condition).is_ok()
                && httpdate::parse_http_date(last_modified).ok()
                    == httpdate::parse_http_date(condition).ok()
        };
        if !matches {
            return Ranged::Whole;
        }
    }
    let Some((unit, set)) = range.split_once('=') else {
        return Ranged::Whole;
    };
    if !unit.trim().eq_ignore_ascii_case("bytes") || set.contains(',') {
        return Ranged::Whole;
    }
    let Some((first, last)) = set.trim().split_once('-') else {
        return Ranged::Whole;
    };
    let number = |s: &str| -> Option<u64> {
        let s = s.trim();
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        // a number past u64 is past any file's end
        Some(s.parse().unwrap_or(u64::MAX))
    };
    match (first.trim().is_empty(), number(first), number(last)) {
        // bytes=-N: the last N bytes
        (true, _, Some(suffix)) => {
            if suffix == 0 || len == 0 {
                Ranged::Unsatisfiable
            } else {
                Ranged::Part {
                    first: len.saturating_sub(suffix),
                    last: len - 1,
                }
            }
        }
        // bytes=F- and bytes=F-L
        (false, Some(first), last) if last.is_some() || last_is_empty(set) => {
            if last.is_some_and(|l| l < first) {
                Ranged::Whole
            } else if first >= len {
                Ranged::Unsatisfiable
            } else {
                Ranged::Part {
                    first,
                    last: last.map_or(len - 1, |l| l.min(len - 1)),
                }
            }
        }
        _ => Ranged::Whole,
    }
}

/// Whether `F-` has nothing after the dash.
fn last_is_empty(set: &str) -> bool {
    set.split_once('-')
        .is_some_and(|(_, l)| l.trim().is_empty())
}

/// `GET /dumps/{file}`: only the published names are served; anything else is 404. A single
/// byte range is answered with 206 (`wget -c`, `curl -C -` resume a broken download), from the
/// file itself for a dump not held in memory; `.gz` dumps are sent as they are, never
/// compressed again.
pub async fn file(
    State(state): State<Arc<AppState>>,
    method: Method,
    headers: HeaderMap,
    Path(name): Path<String>,
) -> Response {
    let published = state.current();
    if published.dataset.remote().is_some() {
        return not_here(&headers);
    }
    let (source, content_type, etag, size, compressed) = if name == "SHA256SUMS" {
        let sums = published.sha256sums.clone();
        let size = sums.len() as u64;
        (
            Source::Memory(sums),
            "text/plain; charset=utf-8".to_owned(),
            published.etag("sha256sums"),
            size,
            false,
        )
    } else if let Some(d) = published.dumps.iter().find(|d| d.name == name) {
        let ct = match d.format {
            _ if d.compressed => "application/gzip".to_owned(),
            Format::Turtle => "text/turtle; charset=utf-8".to_owned(),
            f => f.media_type().to_owned(),
        };
        let source = match &d.bytes {
            Some(bytes) => Source::Memory(bytes.clone()),
            None => Source::File(d.path.clone()),
        };
        (
            source,
            ct,
            format!("\"{}\"", d.sha256),
            d.size,
            d.compressed,
        )
    } else {
        return error_page(
            &headers,
            StatusCode::NOT_FOUND,
            &format!("no dump is named {name}; see /dumps/"),
        );
    };
    let last_modified = httpdate::fmt_http_date(published.modified);
    // preconditions first (RFC 9110 §13.2.2): a 304 is never a range
    let range = if method == Method::GET && !not_modified(&headers, &etag, published.modified) {
        ranged(&headers, &etag, &last_modified, size)
    } else {
        Ranged::Whole
    };
    let (first, last) = match range {
        Ranged::Whole => (0, size.saturating_sub(1)),
        Ranged::Part { first, last } => (first, last),
        Ranged::Unsatisfiable => {
            let mut response = plain_error(
                StatusCode::RANGE_NOT_SATISFIABLE,
                &format!("the range asked for is past the end of {name} ({size} bytes)"),
            );
            let h = response.headers_mut();
            if let Ok(v) = HeaderValue::from_str(&format!("bytes */{size}")) {
                h.insert(header::CONTENT_RANGE, v);
            }
            h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
            return response;
        }
    };
    let length = if size == 0 { 0 } else { last - first + 1 };
    let body = match source {
        // the compressed copies made once a build are for the whole answer only, and a .gz
        // file is never compressed again
        Source::Memory(bytes) if range == Ranged::Whole && !compressed => Whole(bytes),
        Source::Memory(bytes) => {
            let (from, to) = (first as usize, (first + length) as usize);
            Streamed(Body::from(
                bytes.slice(from.min(bytes.len())..to.min(bytes.len())),
            ))
        }
        Source::File(path) => match open_at(&path, first).await {
            Ok(file) => Streamed(Body::from_stream(
                tokio_util::io::ReaderStream::with_capacity(
                    tokio::io::AsyncReadExt::take(file, length),
                    1 << 20,
                ),
            )),
            Err(e) => {
                tracing::error!("dump {} cannot be read: {e}", path.display());
                return error_page(
                    &headers,
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the dump cannot be read just now; try again shortly",
                );
            }
        },
    };
    let mut response = match body {
        Whole(bytes) => cacheable(&headers, &published, etag, &content_type, bytes),
        Streamed(body) => cacheable_body(&headers, &published, etag, &content_type, body),
    };
    let status = response.status();
    let h = response.headers_mut();
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if status == StatusCode::OK {
        h.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
        if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
        if let Ranged::Part { first, last } = range {
            *response.status_mut() = StatusCode::PARTIAL_CONTENT;
            if let Ok(v) = HeaderValue::from_str(&format!("bytes {first}-{last}/{size}")) {
                response.headers_mut().insert(header::CONTENT_RANGE, v);
            }
        }
    }
    response.into_response()
}

/// A dump's body: held whole (for the compressed copies made once a build) or streamed.
enum DumpBody {
    Whole(bytes::Bytes),
    Streamed(Body),
}
use DumpBody::{Streamed, Whole};

/// The file, positioned at `offset`.
async fn open_at(path: &std::path::Path, offset: u64) -> std::io::Result<tokio::fs::File> {
    let mut file = tokio::fs::File::open(path).await?;
    if offset > 0 {
        tokio::io::AsyncSeekExt::seek(&mut file, std::io::SeekFrom::Start(offset)).await?;
    }
    Ok(file)
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
