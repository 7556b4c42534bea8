//! `reti serve`: the dataset over HTTP — SPARQL endpoint, dereferenceable URIs, HTML pages,
//! dumps, stored queries and catalog metadata.
//!
//! Everything a request may read is built before the server answers: the store, every dump
//! (serialised once per build), checksums, the catalog. A request only reads an immutable
//! [`Published`]; a rebuild makes a new one and swaps it in whole ([`AppState::replace`]), so no
//! request ever sees half of two builds.
//!
//! ```no_run
//! # async fn run() -> anyhow::Result<()> {
//! use reti::server::{AppState, BuildOptions, Published, Settings};
//! let options = BuildOptions::defaults("http://127.0.0.1:7878/")?;
//! let published = tokio::task::spawn_blocking(move || Published::build(&options)).await??;
//! let state = AppState::new(published, Settings::default());
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:7878").await?;
//! axum::serve(listener, reti::server::app(state)).await?;
//! # Ok(()) }
//! ```

mod cache;
mod catalog;
pub mod clients;
mod documents;
mod dumps;
mod encoding;
pub mod listen;
pub mod negotiate;
mod pages;
mod query_errors;
mod query_threads;
mod reconciliation;
mod request_log;
mod search;
mod sparql;
mod stored_queries;
pub use stored_queries::warm_up;

use crate::backend::remote::{RemoteEndpoint, RemoteError};
use crate::backend::{Backend, BackendError, Remote};
use crate::config::{Config, ConfigError};
use crate::dataset::{BuildError, Dataset};
use crate::export::{self, ExportError, Format};
use crate::rdf::{Base, BaseError};
use arc_swap::ArcSwap;
use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::Bytes;
use negotiate::{Lang, Repr};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};
use tokio::sync::Semaphore;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::cors::{Any, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;

pub use catalog::{catalog_graph, write_catalog_graph};
pub use documents::DOCUMENT_FORMATS;
pub use pages::{ASSETS, static_sparql_page};
pub use stored_queries::StoredQuery;

/// Where the published content comes from.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Source files.
    pub data: PathBuf,
    /// Stored queries (`*.rq`).
    pub queries: PathBuf,
    /// Catalog metadata.
    pub config: Config,
    /// Base of minted IRIs.
    pub base: Base,
    /// Serve the data of a remote SPARQL endpoint instead of building it from `data`.
    pub remote: Option<RemoteOptions>,
    /// Where dumps are written, and found again by the next start with the same data
    /// (default: `reti-dumps` in the system's temporary directory).
    pub dumps_dir: Option<PathBuf>,
    /// Dumps up to this size are also kept in memory; larger ones are streamed from disk.
    pub dumps_in_memory: u64,
    /// Build the store on disk here (feature `rocksdb`), where the next start with the same
    /// data opens it instead of building it again; `None`: in memory.
    pub store: Option<PathBuf>,
}

/// Dumps up to 32 MiB are kept in memory: a small dataset's are served as fast as by a static
/// file server; a large dataset's are streamed from disk.
pub const DUMPS_IN_MEMORY: u64 = 32 << 20;

/// A remote store to serve (`reti serve --sparql-endpoint`).
#[derive(Debug, Clone)]
pub struct RemoteOptions {
    /// Its query URL (`http://store:7878/query`).
    pub endpoint: String,
    /// How long one request to it may take (504 past that).
    pub timeout: Duration,
}

impl BuildOptions {
    /// The shipped layout (`data/`, `queries/`, default metadata) under `base`.
    pub fn defaults(base: &str) -> Result<Self, BaseError> {
        Ok(Self {
            data: "data".into(),
            queries: "queries".into(),
            config: Config::default(),
            base: Base::new(base)?,
            remote: None,
            dumps_dir: None,
            store: None,
            dumps_in_memory: DUMPS_IN_MEMORY,
        })
    }
}

/// Why content could not be published. The previous content, if any, stays published.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// The data does not build.
    #[error(transparent)]
    Build(#[from] BuildError),
    /// `reti.toml` is invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A stored query is invalid.
    #[error("{0}")]
    Queries(String),
    /// A dump could not be made.
    #[error(transparent)]
    Export(#[from] ExportError),
    /// The remote store cannot be used.
    #[error(transparent)]
    Backend(#[from] BackendError),
}

/// One dump file, serialised once per build (or found from an earlier run with the same
/// data) and served from disk: a large dataset's dumps need not fit in memory.
#[derive(Debug, Clone)]
pub struct Dump {
    /// Its format (of the decompressed content, for a compressed dump).
    pub format: Format,
    /// Whether the file is the format's dump compressed with gzip (`reti.{ext}.gz`): served
    /// as itself, `application/gzip`, never with a `Content-Encoding`.
    pub compressed: bool,
    /// `reti.{ext}` or `reti.{ext}.gz`.
    pub name: String,
    /// The file.
    pub path: PathBuf,
    /// Its size in bytes.
    pub size: u64,
    /// The content, when small enough to keep in memory (see [`dumps`]): served without
    /// reading the file.
    pub bytes: Option<Bytes>,
    /// Lowercase hex SHA-256 of the content.
    pub sha256: String,
}

/// Everything one build publishes. Immutable once built.
pub struct Published {
    /// The data: the embedded store, or a remote SPARQL endpoint.
    pub dataset: Backend,
    /// Catalog metadata.
    pub config: Config,
    /// The dumps, in the order of [`crate::export::dump_files`]; none when the data is remote (the store's
    /// operator publishes its dumps).
    pub dumps: Vec<Dump>,
    /// `SHA256SUMS` of the dumps.
    pub sha256sums: Bytes,
    /// When the newest source file (data or stored query) was modified: `Last-Modified`, the
    /// catalog's `modified`. Stable across restarts; it changes when a file changes.
    pub modified: SystemTime,
    /// A digest of the dumps, the catalog metadata and the stored queries: changes exactly when
    /// what the server shows changes (used in ETags).
    pub version: String,
    /// Stored queries, by name.
    pub queries: Vec<StoredQuery>,
    /// Stored queries' results, evaluated once per build.
    evaluations: stored_queries::Evaluations,
    /// Serialised results of stored queries, by query name and representation.
    results: Mutex<HashMap<(String, Repr), Bytes>>,
    /// Answers of the SPARQL endpoint, by request (see [`sparql`]): the data cannot change
    /// within a build, so a query asked again is answered from here.
    answers: cache::Bodies,
    /// Documents (`/doc/…`), by resource, format and language.
    documents: cache::Bodies,
    /// Answers compressed for clients that accept it, by coding and `ETag`.
    encoded: encoding::Encoded,
    /// The counts and facts of the VoID description and the catalog.
    statistics: catalog::Statistics,
    /// Every label of the published resources, for `/search`.
    pub search: crate::search::Index,
}

impl Published {
    /// Builds the dataset, the dumps and the stored queries. Blocking: run it off the async
    /// runtime.
    pub fn build(options: &BuildOptions) -> Result<Self, PublishError> {
        if let Some(remote) = &options.remote {
            return Self::build_remote(options, remote);
        }
        let dataset = match &options.store {
            Some(root) => Dataset::build_on_disk(&options.data, options.base.clone(), root)?,
            None => Dataset::build(&options.data, options.base.clone())?,
        };
        let queries =
            stored_queries::load(&options.queries, &options.base).map_err(PublishError::Queries)?;
        let (dumps, sha256sums) = dumps::prepare(&dataset, options)?;
        // Everything a response may show: the data, the catalog metadata, the stored queries.
        let version = version(sha256sums.as_bytes(), &options.config, &queries);
        let modified =
            newest_file(&[&options.data, &options.queries]).unwrap_or_else(SystemTime::now);
        let dataset = Backend::Local(dataset);
        let statistics = match &dataset {
            Backend::Local(local) => match local.profile() {
                Some(profile) => catalog::statistics_of(profile, &dataset)?,
                // an on-disk store built before the build gathered them: full scans, kept
                // beside the store so that they run once
                None => local.remember("statistics", || catalog::statistics(&dataset))?,
            },
            Backend::Remote(_) => catalog::statistics(&dataset)?,
        };
        let search = crate::search::Index::build(&dataset, options.base.as_str())?;
        Ok(Self {
            search,
            dataset,
            config: options.config.clone(),
            dumps,
            sha256sums: sha256sums.into(),
            modified,
            version,
            evaluations: stored_queries::Evaluations::new(&queries),
            queries,
            results: Mutex::new(HashMap::new()),
            answers: cache::Bodies::new(64 << 20, 4 << 20),
            documents: cache::Bodies::new(64 << 20, 4 << 20),
            encoded: encoding::Encoded::new(64 << 20),
            statistics,
        })
    }

    /// Connects to the remote store and reads what the VoID description and the catalog need.
    /// No dumps are made; `modified` is now (a refresh that finds the same data keeps the
    /// previous one, see [`reload`]).
    fn build_remote(options: &BuildOptions, remote: &RemoteOptions) -> Result<Self, PublishError> {
        let queries =
            stored_queries::load(&options.queries, &options.base).map_err(PublishError::Queries)?;
        let endpoint =
            RemoteEndpoint::new(&remote.endpoint, remote.timeout).map_err(BackendError::from)?;
        let dataset = Backend::Remote(Remote::connect(endpoint, Some(options.base.clone()))?);
        let statistics = catalog::statistics(&dataset)?;
        let search = crate::search::Index::build(&dataset, options.base.as_str())?;
        // what the store holds, as far as counts tell
        let summary = dataset.summary();
        let counts = format!("{} {:?} {:?}", summary.triples, summary.graphs, statistics);
        let version = version(counts.as_bytes(), &options.config, &queries);
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Ok(Self {
            search,
            dataset,
            config: options.config.clone(),
            dumps: Vec::new(),
            sha256sums: Bytes::new(),
            modified: SystemTime::UNIX_EPOCH + Duration::from_secs(now),
            version,
            evaluations: stored_queries::Evaluations::new(&queries),
            queries,
            results: Mutex::new(HashMap::new()),
            answers: cache::Bodies::new(64 << 20, 4 << 20),
            documents: cache::Bodies::new(64 << 20, 4 << 20),
            encoded: encoding::Encoded::new(64 << 20),
            statistics,
        })
    }

    /// The base IRI.
    pub fn base(&self) -> &Base {
        self.dataset.base()
    }

    /// `{base}{path}`: the public URL of a path served here.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base().as_str(), path.trim_start_matches('/'))
    }

    /// An ETag for a representation of this build's content.
    pub fn etag(&self, what: &str) -> String {
        format!("\"{}-{}\"", self.version, what)
    }
}

/// A digest of what a response may show: the data (`data`: its dumps' checksums, or the remote
/// store's counts), the catalog metadata, the stored queries. Used in ETags.
fn version(data: &[u8], config: &Config, queries: &[StoredQuery]) -> String {
    let mut digest = Sha256::new();
    digest.update(data);
    digest.update(format!("{config:?}").as_bytes());
    for q in queries {
        digest.update(q.name.as_bytes());
        digest.update(q.text.as_bytes());
    }
    export::hex(&digest.finalize())[..16].to_owned()
}

/// The modification time of the newest file under `dirs`, to the second.
fn newest_file(dirs: &[&std::path::Path]) -> Option<SystemTime> {
    fn walk(dir: &std::path::Path, newest: &mut Option<SystemTime>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, newest);
            } else if let Ok(m) = entry.metadata().and_then(|m| m.modified()) {
                *newest = Some(newest.map_or(m, |n| n.max(m)));
            }
        }
    }
    let mut newest = None;
    for dir in dirs {
        walk(dir, &mut newest);
    }
    let secs = newest?
        .duration_since(SystemTime::UNIX_EPOCH)
        .ok()?
        .as_secs();
    Some(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))
}

/// Limits that protect the server.
#[derive(Debug, Clone)]
pub struct Settings {
    /// A query running longer is cancelled and answered with 503.
    pub query_timeout: Duration,
    /// A stored query (`queries/`) running longer is cancelled: they are evaluated once per
    /// build, in the background from start-up, so they may take longer than a client's.
    pub stored_query_timeout: Duration,
    /// Queries evaluated at once; others wait (up to the timeout) for a turn.
    pub max_concurrent_queries: usize,
    /// Largest request body accepted.
    pub max_body_bytes: usize,
    /// Largest serialised query result; a larger one is refused rather than truncated.
    pub max_result_bytes: usize,
    /// Bytes a query may allocate while it is evaluated and serialised (sorts, hash tables,
    /// groups, strings made by expressions); past it the query is stopped. 0: no budget.
    /// Enforced where the global allocator is `reti::memory::Counting` (the reti binary).
    pub query_memory: usize,
    /// The same for a stored query: they run one at a time, in the background.
    pub stored_query_memory: usize,
    /// Queries one client address may run at once; `None`: half the concurrent queries
    /// (rounded up), so that one address never holds every slot.
    pub max_queries_per_client: Option<usize>,
    /// Proxies (addresses or networks) whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<clients::Network>,
}

impl Settings {
    /// Most queries one address may run at once.
    pub fn per_client(&self) -> usize {
        self.max_queries_per_client
            .unwrap_or(self.max_concurrent_queries.div_ceil(2))
            .clamp(1, self.max_concurrent_queries.max(1))
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            query_timeout: Duration::from_secs(10),
            stored_query_timeout: Duration::from_secs(600),
            max_concurrent_queries: 4,
            max_body_bytes: 1 << 20,
            max_result_bytes: 64 << 20,
            query_memory: 512 << 20,
            stored_query_memory: 2 << 30,
            max_queries_per_client: None,
            trusted_proxies: Vec::new(),
        }
    }
}

/// The state shared by all requests.
pub struct AppState {
    published: ArcSwap<Published>,
    /// Limits.
    pub settings: Settings,
    query_permits: Arc<Semaphore>,
    /// Stored queries are evaluated one at a time, beside the clients' queries rather than
    /// in their place: a long one never holds a permit a client's query is waiting for.
    stored_permits: Arc<Semaphore>,
    /// Each client address's share of `query_permits`.
    clients: Arc<clients::Clients>,
    /// Most bytes one query has allocated at once, since start-up.
    query_memory_peak: Arc<std::sync::atomic::AtomicUsize>,
}

impl AppState {
    /// State serving `published`.
    pub fn new(published: Published, settings: Settings) -> Arc<Self> {
        let permits = settings.max_concurrent_queries.max(1);
        let clients =
            clients::Clients::new(settings.per_client(), settings.trusted_proxies.clone());
        Arc::new(Self {
            clients,
            query_memory_peak: Arc::default(),
            published: ArcSwap::from_pointee(published),
            settings,
            query_permits: Arc::new(Semaphore::new(permits)),
            stored_permits: Arc::new(Semaphore::new(1)),
        })
    }

    /// Clients' queries being evaluated now, including those whose clients were already
    /// answered (timed out) and whose evaluation has not stopped yet.
    pub fn running_queries(&self) -> usize {
        self.settings
            .max_concurrent_queries
            .max(1)
            .saturating_sub(self.query_permits.available_permits())
    }

    /// Most bytes one query (a client's or a stored one) has allocated at once since the
    /// server started, where the global allocator counts them (`reti::memory`).
    pub fn query_memory_peak(&self) -> usize {
        self.query_memory_peak
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The content being served now.
    pub fn current(&self) -> Arc<Published> {
        self.published.load_full()
    }

    /// Serves `published` from now on; requests under way finish on the old content.
    pub fn replace(&self, published: Published) {
        self.published.store(Arc::new(published));
    }
}

/// An answer still to come, as the layers that skip their work for most requests return it
/// when they do it (`encoding`, `request_log`).
type BoxedAnswer = std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<Response, std::convert::Infallible>> + Send>,
>;

/// The router, shared by `reti serve` and the tests.
pub fn app(state: Arc<AppState>) -> Router {
    let body_limit = state.settings.max_body_bytes;
    let encoding_state = Arc::clone(&state);
    let request_timeout = state.settings.query_timeout + Duration::from_secs(30);
    Router::new()
        .route("/", get(pages::home))
        .route("/health", get(health))
        .route("/sparql", get(sparql::get).post(sparql::post))
        .route("/id/{kind}/{slug}", get(documents::redirect))
        .route("/doc/{kind}/{file}", get(documents::document))
        .route("/queries", get(stored_queries::list))
        .route("/queries/", get(stored_queries::list))
        .route("/queries/{name}", get(stored_queries::run))
        .route("/dumps", get(dumps::list))
        .route("/dumps/", get(dumps::list))
        .route("/dumps/{file}", get(dumps::file))
        .route("/report", get(reconciliation::report))
        .route("/catalog", get(catalog::catalog))
        .route("/.well-known/void", get(catalog::void))
        .route("/ontology", get(catalog::ontology))
        .route("/context.jsonld", get(catalog::context))
        .route("/assets/{file}", get(pages::asset))
        .route("/search", get(search::search))
        .fallback(not_found)
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(body_limit))
        // a request (body included) that takes longer than a query may is cut off with 408
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            request_timeout,
        ))
        // cached answers compressed once a build; the layer after it compresses the others
        .layer(encoding::EncodeLayer::new(encoding_state))
        // what the encoding layer did not take, compressed as it is sent; never what is
        // compressed already (the .gz dumps), nor a range (tower-http skips Content-Range)
        .layer(
            CompressionLayer::new().compress_when(DefaultPredicate::new().and(
                |_: StatusCode,
                 _: axum::http::Version,
                 h: &HeaderMap,
                 _: &axum::http::Extensions| { encoding::compressible(h) },
            )),
        )
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([
                    axum::http::Method::GET,
                    axum::http::Method::HEAD,
                    axum::http::Method::POST,
                ])
                .allow_headers(Any)
                .expose_headers([
                    header::ETAG,
                    header::LAST_MODIFIED,
                    header::LINK,
                    header::CONTENT_LOCATION,
                    header::CONTENT_DISPOSITION,
                ]),
        )
        .layer(request_log::RequestLogLayer)
}

async fn health() -> &'static str {
    "ok\n"
}

async fn not_found(headers: HeaderMap, request: Request) -> Response {
    let path = request.uri().path().to_owned();
    error_page(
        &headers,
        StatusCode::NOT_FOUND,
        &format!("nothing is published at {path}"),
    )
}

/// An error answered in the form the client reads: an HTML page for browsers, plain text
/// otherwise.
pub fn error_page(headers: &HeaderMap, status: StatusCode, message: &str) -> Response {
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
pub fn plain_error(status: StatusCode, message: &str) -> Response {
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
        BackendError::Query(crate::dataset::QueryError::Syntax(e)) => {
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
pub fn backend_error(headers: &HeaderMap, e: &BackendError) -> Response {
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
pub fn not_modified(headers: &HeaderMap, etag: &str, modified: SystemTime) -> bool {
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
    published: &Published,
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
pub fn cacheable_body(
    headers: &HeaderMap,
    published: &Published,
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
    params: &HashMap<String, String>,
    published: &Published,
    what: &str,
    page: impl FnOnce(Lang) -> String,
    json: impl FnOnce() -> serde_json::Value,
) -> Response {
    let repr = negotiate::negotiate(headers, &[Repr::Json, Repr::Html]).unwrap_or(Repr::Json);
    let (body, tag) = if repr == Repr::Html {
        let lang = Lang::from_headers(headers, params.get("lang").map(String::as_str));
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
pub fn vary_accept(mut response: Response) -> Response {
    response
        .headers_mut()
        .append(header::VARY, HeaderValue::from_static("Accept"));
    response
}

/// Serialises triples in a graph representation, with the dataset's prefixes.
pub fn write_graph(
    published: &Published,
    triples: &[oxigraph::model::Triple],
    repr: Repr,
) -> Vec<u8> {
    write_graph_with(published, triples, repr, &[])
}

/// Serialises triples in a graph representation, with the dataset's prefixes and `extra` ones.
pub fn write_graph_with(
    published: &Published,
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
    let mut bytes = Vec::new();
    let mut prefixes = published.base().prefixes();
    prefixes.extend(
        extra
            .iter()
            .map(|(p, i)| ((*p).to_owned(), (*i).to_owned())),
    );
    let result = if format == Format::TriG {
        let quads: Vec<oxigraph::model::Quad> = triples
            .iter()
            .map(|t| t.clone().in_graph(oxigraph::model::GraphName::DefaultGraph))
            .collect();
        export::write_quads(&quads, format, &prefixes, &mut bytes)
    } else {
        export::write_triples(triples, format, &prefixes, &mut bytes)
    };
    // writing to memory cannot fail; an empty body would be the only outcome
    if result.is_err() {
        bytes.clear();
    }
    bytes
}

/// Rebuilds from `options` and, only if the build succeeds, swaps the new content in. A failed
/// build changes nothing: the last good content keeps being served. Blocking. With a remote
/// store, this reconnects and reads its counts again (after the store was reloaded, say).
///
/// The in-memory store never frees deleted data, so a reload never clears and refills the
/// store in place: it builds a fresh one beside it, and the old one is dropped once the last
/// request reading it has finished.
pub fn reload(state: &AppState, options: &BuildOptions) -> Result<(), PublishError> {
    let mut published = Published::build(options)?;
    // a remote store's refresh that finds the same data changes no date
    let previous = state.current();
    if options.remote.is_some() && previous.version == published.version {
        published.modified = previous.modified;
    }
    let (quads, version) = (published.dataset.summary().quads, published.version.clone());
    state.replace(published);
    tracing::info!(quads, version = %version, "reloaded");
    Ok(())
}

/// Reloads on SIGHUP and, with `watch`, whenever a file under the data or queries directory,
/// or the configuration file, changes (polled every `interval`). Runs until the process ends;
/// one rebuild at a time.
pub async fn reload_on_change(
    state: Arc<AppState>,
    options: BuildOptions,
    watch: bool,
    interval: Duration,
) {
    #[cfg(unix)]
    let mut hangup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()).ok();
    // the catalog metadata (`reti.toml`) is read again too: its description names the networks
    let config_file = options.config.file.path().map(Path::to_owned);
    let mut dirs = vec![options.data.clone(), options.queries.clone()];
    dirs.extend(config_file.clone());
    let fingerprint = {
        let dirs = dirs.clone();
        move || files_fingerprint(&dirs)
    };
    let mut seen = fingerprint();
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        #[cfg(unix)]
        let signalled = async {
            match hangup.as_mut() {
                Some(h) => {
                    h.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let signalled = std::future::pending::<()>();
        let why = tokio::select! {
            () = signalled => "SIGHUP",
            _ = ticker.tick(), if watch => {
                let now = fingerprint();
                if now == seen {
                    continue;
                }
                seen = now;
                "a file changed"
            }
        };
        tracing::info!("reloading ({why})");
        let mut options = options.clone();
        if let Some(file) = &config_file {
            match Config::load(file) {
                Ok(config) => options.config = config,
                Err(e) => {
                    tracing::error!("reload failed; still serving the last good data:\n{e}");
                    continue;
                }
            }
        }
        let reloading = Arc::clone(&state);
        match tokio::task::spawn_blocking(move || reload(&reloading, &options)).await {
            Ok(Ok(())) => {
                tokio::spawn(warm_up(Arc::clone(&state)));
            }
            Ok(Err(e)) => tracing::error!("reload failed; still serving the last good data:\n{e}"),
            Err(e) => tracing::error!("reload task failed; still serving the last good data: {e}"),
        }
    }
}

/// Paths, sizes and modification times of every file under `dirs` (or of `dirs` themselves,
/// when files): changes when a file is added, removed, or written.
fn files_fingerprint(dirs: &[PathBuf]) -> Vec<(PathBuf, u64, Option<SystemTime>)> {
    fn walk(dir: &std::path::Path, out: &mut Vec<(PathBuf, u64, Option<SystemTime>)>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if let Ok(m) = entry.metadata() {
                out.push((path, m.len(), m.modified().ok()));
            }
        }
    }
    let mut out = Vec::new();
    for dir in dirs {
        if dir.is_file() {
            if let Ok(m) = std::fs::metadata(dir) {
                out.push((dir.clone(), m.len(), m.modified().ok()));
            }
        } else {
            walk(dir, &mut out);
        }
    }
    out.sort();
    out
}

/// Waits for the shutdown signal (SIGINT or SIGTERM).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests under way");
}

/// A time as ISO 8601 in UTC (`2026-12-07T22:27:36Z`): what schema.org's dates and the
/// `datetime` attribute of `<time>` expect (the HTTP date format is for headers only).
pub fn iso_8601(t: std::time::SystemTime) -> String {
    catalog::timestamp(t).0
}

#[cfg(test)]
mod iso_tests {
    #[test]
    fn iso_8601_in_utc() {
        let t =
            std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(951_782_400 + 3_723);
        assert_eq!(super::iso_8601(t), "2000-02-29T01:02:03Z");
    }
}
