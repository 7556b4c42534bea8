//! Bodies kept for the life of a build: SPARQL answers and documents.
//!
//! The dataset is immutable between builds, so what a request computed from it stays right
//! for as long as its build is published; every build starts with empty caches, so a rebuild
//! needs no invalidation. Each cache is bounded by the bytes it holds, not by entries.

use axum::http::{HeaderName, HeaderValue};
use axum::response::Response;
use bytes::Bytes;

/// `Cache-Status` (RFC 9211) of a body from the cache, or of one a client already had.
pub(crate) const HIT: &str = "reti; hit";
/// `Cache-Status` of a body made now and kept for the next asker.
pub(crate) const STORED: &str = "reti; fwd=miss; stored";
/// `Cache-Status` of a body made now and too large to keep.
pub(crate) const MISSED: &str = "reti; fwd=miss";
/// `Cache-Status` of a body made for another request, which this one waited for.
pub(crate) const COLLAPSED: &str = "reti; fwd=miss; collapsed";

/// Says in the response whether its body came from the cache.
pub fn status(response: &mut Response, status: &'static str) {
    response.headers_mut().insert(
        HeaderName::from_static("cache-status"),
        HeaderValue::from_static(status),
    );
}

/// One body, its content type and its entity tag.
#[derive(Clone)]
pub struct Body {
    /// `Content-Type`.
    pub content_type: String,
    /// `ETag`.
    pub etag: String,
    /// The body.
    pub bytes: Bytes,
}

/// Weighs a body by its size.
#[derive(Clone)]
pub(crate) struct Weight;

impl quick_cache::Weighter<String, Body> for Weight {
    fn weight(&self, key: &String, body: &Body) -> u64 {
        (key.len() + body.content_type.len() + body.etag.len() + body.bytes.len()) as u64
    }
}

/// Bodies by key, up to a number of bytes.
pub struct Bodies {
    cache: quick_cache::sync::Cache<String, Body, Weight>,
    largest: usize,
}

impl Bodies {
    /// Keeps up to `bytes` in all; a body larger than `largest` is never kept (it would push
    /// out many small ones).
    pub fn new(bytes: u64, largest: usize) -> Self {
        // a guess of the number of entries, for the cache's own sizing: bodies of 16 KiB
        let estimated = (bytes / (16 << 10)).max(16) as usize;
        Self {
            cache: quick_cache::sync::Cache::with_weighter(estimated, bytes, Weight),
            largest,
        }
    }

    /// The body kept under `key`.
    pub fn get(&self, key: &str) -> Option<Body> {
        self.cache.get(key)
    }

    /// Keeps a body under each of `keys` (they share its bytes); false if it is too large
    /// to keep.
    pub fn insert(&self, keys: &[&str], content_type: &str, etag: &str, bytes: &Bytes) -> bool {
        if bytes.len() > self.largest {
            return false;
        }
        let body = Body {
            content_type: content_type.to_owned(),
            etag: etag.to_owned(),
            bytes: bytes.clone(),
        };
        for key in keys {
            self.cache.insert((*key).to_owned(), body.clone());
        }
        true
    }
}
