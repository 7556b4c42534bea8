//! Compressed answers, made once a build: a client that accepts brotli or gzip (every browser,
//! most HTTP libraries) gets the cached answer in that coding from a per-build cache, instead of
//! having it compressed again at each request.
//!
//! Handlers mark an answer they hold whole with [`Encodable`] (see [`super::cacheable`]); the
//! [`EncodeLayer`], inside tower-http's compression layer, swaps its body for the compressed
//! one. Answers it does not take (streamed dumps, answers too large to keep, errors) are left
//! to the compression layer, which compresses them as they are sent.
//!
//! The cache is keyed by the answer's `ETag`, which names the build and the representation,
//! and by the coding. The compressed answer's `ETag` is made weak (as nginx does): the bytes
//! differ from the uncompressed ones, but a client revalidating with it still gets 304.

use super::AppState;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;
use futures_util::future::Either;
use std::convert::Infallible;
use std::io::Write;
use std::sync::Arc;
use std::task::{Context, Poll};

/// Smallest answer worth compressing (tower-http's threshold too).
const SMALLEST: usize = 32;
/// Largest answer compressed and kept: the largest dump kept in memory.
const LARGEST: usize = 32 << 20;
/// Brotli's quality: 5 makes answers a tenth smaller than the 4 tower-http uses as they are
/// sent, at tens of megabytes a second; 11 gains 5 % more and is a hundred times slower, which
/// a client crawling every document pays for in full.
const BROTLI_QUALITY: i32 = 5;

/// The whole body of an answer, attached to the response for [`EncodeLayer`].
#[derive(Clone)]
pub struct Encodable(pub Bytes);

/// The content codings kept compressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Coding {
    Brotli,
    Gzip,
}

impl Coding {
    fn name(self) -> &'static str {
        match self {
            Coding::Brotli => "br",
            Coding::Gzip => "gzip",
        }
    }

    fn compress(self, bytes: &[u8]) -> std::io::Result<Vec<u8>> {
        let mut out = Vec::with_capacity(bytes.len() / 4 + 64);
        match self {
            Coding::Brotli => {
                let params = brotli::enc::BrotliEncoderParams {
                    quality: BROTLI_QUALITY,
                    lgwin: 22,
                    ..Default::default()
                };
                brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
                Ok(out)
            }
            Coding::Gzip => {
                let mut encoder =
                    flate2::write::GzEncoder::new(out, flate2::Compression::default());
                encoder.write_all(bytes)?;
                encoder.finish()
            }
        }
    }
}

/// The coding the client prefers among those kept (RFC 9110 §12.5.3): the highest `q`,
/// brotli on a tie (as tower-http chooses); `*` stands for a coding not named; none when
/// the client sent no `Accept-Encoding` or accepts neither.
pub fn preferred(headers: &HeaderMap) -> Option<Coding> {
    let (mut brotli, mut gzip, mut any) = (None, None, None);
    let values = headers.get_all(header::ACCEPT_ENCODING).iter().take(16);
    for value in values.filter_map(|v| v.to_str().ok()) {
        for item in value.split(',').take(64) {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or("").trim();
            let q = parts
                .find_map(|p| {
                    let p = p.trim();
                    let q = p.strip_prefix("q=").or_else(|| p.strip_prefix("Q="))?;
                    q.trim().parse::<f32>().ok()
                })
                .map_or(1.0, |q| {
                    if q.is_finite() {
                        q.clamp(0.0, 1.0)
                    } else {
                        0.0
                    }
                });
            if name.eq_ignore_ascii_case("br") {
                brotli = Some(q);
            } else if name.eq_ignore_ascii_case("gzip") || name.eq_ignore_ascii_case("x-gzip") {
                gzip = Some(q);
            } else if name == "*" {
                any = Some(q);
            }
        }
    }
    let brotli = brotli.or(any).unwrap_or(0.0);
    let gzip = gzip.or(any).unwrap_or(0.0);
    if brotli <= 0.0 && gzip <= 0.0 {
        None
    } else if brotli >= gzip {
        Some(Coding::Brotli)
    } else {
        Some(Coding::Gzip)
    }
}

/// Compressed answers of one build, by coding and `ETag`.
pub(crate) struct Encoded {
    cache: quick_cache::sync::Cache<String, Bytes, Weight>,
}

#[derive(Clone)]
struct Weight;

impl quick_cache::Weighter<String, Bytes> for Weight {
    fn weight(&self, key: &String, body: &Bytes) -> u64 {
        (key.len() + body.len()) as u64
    }
}

impl Encoded {
    /// A cache holding up to `bytes` of compressed answers.
    pub fn new(bytes: u64) -> Self {
        let estimated = (bytes / (4 << 10)).max(16) as usize;
        Self {
            cache: quick_cache::sync::Cache::with_weighter(estimated, bytes, Weight),
        }
    }
}

/// Members of `Cache-Status` (RFC 9211) naming this cache.
const HIT: &str = "reti-compressed; hit";
const STORED: &str = "reti-compressed; fwd=miss; stored";

/// The layer that answers an [`Encodable`] response in the client's preferred coding, from the
/// build's cache of compressed answers, compressing it (off the async threads) the first time.
/// A request that accepts no kept coding goes straight through: the layer sits in front of
/// every request, and written as axum `from_fn` middleware (a boxed clone of the inner service
/// and a boxed future each time), with the body attached to every answer, it cost cached
/// documents 7–13 % of their throughput.
#[derive(Clone)]
pub struct EncodeLayer {
    state: Arc<AppState>,
}

impl EncodeLayer {
    pub fn new(state: Arc<AppState>) -> Self {
        Self { state }
    }
}

impl<S> tower::Layer<S> for EncodeLayer {
    type Service = Encode<S>;

    fn layer(&self, inner: S) -> Encode<S> {
        Encode {
            inner,
            state: Arc::clone(&self.state),
        }
    }
}

/// The service of [`EncodeLayer`].
#[derive(Clone)]
pub struct Encode<S> {
    inner: S,
    state: Arc<AppState>,
}

impl<S> tower::Service<Request> for Encode<S>
where
    S: tower::Service<Request, Response = Response, Error = Infallible>,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Either<S::Future, super::BoxedAnswer>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let Some(coding) = preferred(request.headers()) else {
            return Either::Left(self.inner.call(request));
        };
        let answer = self.inner.call(request);
        let state = Arc::clone(&self.state);
        Either::Right(Box::pin(async move {
            let response = answer.await?;
            Ok(encoded(&state, coding, response).await)
        }))
    }
}

/// `response` in `coding`, if it is [`Encodable`] and worth compressing; else as it is.
async fn encoded(state: &AppState, coding: Coding, mut response: Response) -> Response {
    let Some(Encodable(bytes)) = response.extensions_mut().remove::<Encodable>() else {
        return response;
    };
    let headers = response.headers();
    if response.status() != StatusCode::OK
        || !(SMALLEST..=LARGEST).contains(&bytes.len())
        || headers.contains_key(header::CONTENT_ENCODING)
        || headers.contains_key(header::CONTENT_RANGE)
        || !compressible(headers)
    {
        return response;
    }
    let Some(etag) = headers.get(header::ETAG).and_then(|v| v.to_str().ok()) else {
        return response;
    };
    let etag = etag.to_owned();
    let published = state.current();
    let key = format!("{}\n{etag}", coding.name());
    let (compressed, status) = match published.encoded.cache.get(&key) {
        Some(compressed) => (compressed, HIT),
        None => match super::blocking(move || coding.compress(&bytes)).await {
            Ok(Ok(compressed)) => {
                let compressed = Bytes::from(compressed);
                published.encoded.cache.insert(key, compressed.clone());
                (compressed, STORED)
            }
            Ok(Err(e)) => {
                tracing::error!("an answer could not be compressed: {e}");
                return response;
            }
            Err(_) => return response,
        },
    };
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_ENCODING,
        HeaderValue::from_static(coding.name()),
    );
    h.remove(header::CONTENT_LENGTH);
    h.remove(header::ACCEPT_RANGES);
    if !etag.starts_with("W/")
        && let Ok(weak) = HeaderValue::from_str(&format!("W/{etag}"))
    {
        h.insert(header::ETAG, weak);
    }
    let varies = h.get_all(header::VARY).iter().any(|v| {
        v.to_str()
            .is_ok_and(|v| v.to_ascii_lowercase().contains("accept-encoding"))
    });
    if !varies {
        h.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    h.append(
        HeaderName::from_static("cache-status"),
        HeaderValue::from_static(status),
    );
    *response.body_mut() = Body::from(compressed);
    response
}

/// Whether the content type gains from compression: not images other than SVG (as
/// tower-http's default), nor what is compressed already (the `.gz` dumps, whose bytes are
/// the file itself: compressing them again would send a gzip of a gzip).
pub(crate) fn compressible(headers: &HeaderMap) -> bool {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    (!content_type.starts_with("image/") || content_type.starts_with("image/svg+xml"))
        && !ALREADY_COMPRESSED
            .iter()
            .any(|t| content_type.eq_ignore_ascii_case(t))
}

/// Media types whose content is compressed already.
const ALREADY_COMPRESSED: [&str; 3] = ["application/gzip", "application/x-gzip", "application/zip"];

#[cfg(test)]
mod tests {
    use super::*;

    fn accepting(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append(
                header::ACCEPT_ENCODING,
                HeaderValue::from_str(v).expect("value"),
            );
        }
        headers
    }

    #[test]
    fn the_coding_is_chosen_by_quality_then_brotli() {
        for (values, expected) in [
            (&[][..], None),
            (&[""][..], None),
            (&["identity"][..], None),
            (&["gzip"][..], Some(Coding::Gzip)),
            (&["x-gzip"][..], Some(Coding::Gzip)),
            (&["gzip, deflate, br, zstd"][..], Some(Coding::Brotli)),
            (&["gzip, deflate"][..], Some(Coding::Gzip)),
            (&["br;q=0.5, gzip"][..], Some(Coding::Gzip)),
            (&["gzip;q=0.8", "br;q=0.9"][..], Some(Coding::Brotli)),
            (&["BR;Q=0.2, GZip;q=0.1"][..], Some(Coding::Brotli)),
            (&["*"][..], Some(Coding::Brotli)),
            (&["br;q=0, *"][..], Some(Coding::Gzip)),
            (&["*;q=0"][..], None),
            (&["gzip;q=0, br;q=0"][..], None),
            (&["gzip;q=nonsense"][..], Some(Coding::Gzip)),
            (&["gzip;q=NaN"][..], None),
            (&["deflate"][..], None),
        ] {
            assert_eq!(preferred(&accepting(values)), expected, "{values:?}");
        }
    }

    #[test]
    fn compressed_answers_decode_to_the_same_bytes() {
        use std::io::Read;
        let small = b"<http://example.org/a> <http://example.org/b> \"c\" .\n".repeat(20);
        let large = small.repeat(200);
        for bytes in [small, large] {
            let br = Coding::Brotli.compress(&bytes).expect("brotli");
            let mut decoded = Vec::new();
            brotli::Decompressor::new(&br[..], 4096)
                .read_to_end(&mut decoded)
                .expect("brotli decodes");
            assert_eq!(decoded, bytes);
            assert!(br.len() < bytes.len() / 4, "brotli compresses");
            let gz = Coding::Gzip.compress(&bytes).expect("gzip");
            let mut decoded = Vec::new();
            flate2::read::GzDecoder::new(&gz[..])
                .read_to_end(&mut decoded)
                .expect("gzip decodes");
            assert_eq!(decoded, bytes);
            assert!(gz.len() < bytes.len() / 4, "gzip compresses");
        }
    }
}
