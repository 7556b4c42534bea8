//! `/dumps/`: the whole dataset in every format, with `SHA256SUMS`, `ETag`/`Last-Modified`
//! revalidation and `Content-Disposition`. (Not in front of a remote store: 404, saying why.)
//!
//! Dumps are files, streamed to clients: a large dataset's would not fit in memory. They are
//! written once per content of the source files, into a directory named after a digest of
//! that content (and of reti's version and the base), so a restart with unchanged data finds
//! them and skips the export.

use super::{
    AppState, BuildOptions, Dump, PublishError, cacheable, cacheable_body, error_page, pages,
};
use crate::dataset::Dataset;
use crate::export::{self, ExportError, Format};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// Directories of dumps kept: the current content's and the previous one's (which requests
/// of the previous build may still be reading).
const KEEP: usize = 2;

/// The dumps of `dataset`, written or found again, and their `SHA256SUMS`.
pub fn prepare(
    dataset: &Dataset,
    options: &BuildOptions,
) -> Result<(Vec<Dump>, String), PublishError> {
    // By default, one directory per data directory and base, so that servers of other data
    // never remove each other's dumps.
    let root = options.dumps_dir.clone().unwrap_or_else(|| {
        let data = std::fs::canonicalize(&options.data).unwrap_or_else(|_| options.data.clone());
        let mut digest = Sha256::new();
        digest.update(data.to_string_lossy().as_bytes());
        digest.update([0]);
        digest.update(options.base.as_str().as_bytes());
        std::env::temp_dir()
            .join("reti-dumps")
            .join(&export::hex(&digest.finalize())[..16])
    });
    let dir = root.join(
        crate::content::digest(&options.data, options.base.as_str()).map_err(|source| {
            ExportError::Write {
                path: options.data.clone(),
                source,
            }
        })?,
    );
    let sums_file = dir.join("SHA256SUMS");
    // SHA256SUMS is moved in last: when it is there, every dump was (unless removed since)
    let found = std::fs::read_to_string(&sums_file)
        .ok()
        .map(|text| parse_sums(&text))
        .filter(|sums| {
            Format::ALL.iter().all(|f| {
                let name = export::dump_file_name(*f);
                dir.join(&name).is_file() && sums.iter().any(|(n, _)| *n == name)
            })
        });
    let sums = match found {
        Some(sums) => sums,
        None => export::export_all(dataset, &dir)?,
    };
    // mark it used, and forget the least recently used others
    crate::content::touch(&dir, "SHA256SUMS");
    crate::content::forget_old(&root, "SHA256SUMS", KEEP);
    let mut dumps = Vec::new();
    for format in Format::ALL {
        let name = export::dump_file_name(format);
        let path = dir.join(&name);
        let size = std::fs::metadata(&path)
            .map_err(|source| ExportError::Write {
                path: path.clone(),
                source,
            })?
            .len();
        let sha256 = sums
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, s)| s.clone())
            .unwrap_or_default();
        let bytes = if size <= options.dumps_in_memory {
            let read = std::fs::read(&path).map_err(|source| ExportError::Write {
                path: path.clone(),
                source,
            })?;
            Some(read.into())
        } else {
            None
        };
        dumps.push(Dump {
            format,
            name,
            path,
            size,
            sha256,
            bytes,
        });
    }
    let listing = dumps
        .iter()
        .map(|d| format!("{}  {}\n", d.sha256, d.name))
        .collect();
    Ok((dumps, listing))
}

fn parse_sums(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|l| l.split_once("  "))
        .map(|(sum, name)| (name.to_owned(), sum.to_owned()))
        .collect()
}

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
                        "byteSize": d.size,
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

/// A dump's body: held in memory (small dumps, the checksums) or read from its file.
enum DumpBody {
    Whole(bytes::Bytes),
    Streamed(Body),
}
use DumpBody::{Streamed, Whole};

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
    let (body, content_type, etag, size) = if name == "SHA256SUMS" {
        let sums = published.sha256sums.clone();
        let size = sums.len() as u64;
        (
            Whole(sums),
            "text/plain; charset=utf-8".to_owned(),
            published.etag("sha256sums"),
            size,
        )
    } else if let Some(d) = published.dumps.iter().find(|d| d.name == name) {
        let ct = match d.format {
            Format::Turtle => "text/turtle; charset=utf-8".to_owned(),
            f => f.media_type().to_owned(),
        };
        let body = match &d.bytes {
            Some(bytes) => Whole(bytes.clone()),
            None => match tokio::fs::File::open(&d.path).await {
                Ok(file) => Streamed(Body::from_stream(
                    tokio_util::io::ReaderStream::with_capacity(file, 1 << 20),
                )),
                Err(e) => {
                    tracing::error!("dump {} cannot be read: {e}", d.path.display());
                    return error_page(
                        &headers,
                        StatusCode::SERVICE_UNAVAILABLE,
                        "the dump cannot be read just now; try again shortly",
                    );
                }
            },
        };
        (body, ct, format!("\"{}\"", d.sha256), d.size)
    } else {
        return error_page(
            &headers,
            StatusCode::NOT_FOUND,
            &format!("no dump is named {name}; see /dumps/"),
        );
    };
    let mut response = match body {
        Whole(bytes) => cacheable(&headers, &published, etag, &content_type, bytes),
        Streamed(body) => cacheable_body(&headers, &published, etag, &content_type, body),
    };
    if response.status() == StatusCode::OK {
        let h = response.headers_mut();
        h.insert(header::CONTENT_LENGTH, HeaderValue::from(size));
        if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
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
