//! `reti serve`: the dataset over HTTP — SPARQL endpoint, dereferenceable URIs, HTML pages,
//! dumps, stored queries and catalog metadata.
//!
//! Everything a request may read is built before the server answers: the store, every dump
//! (serialised once per build), checksums, the catalog. A request only reads an immutable
//! [`Publication`] (with the caches of what requests computed from it, [`Served`]); a rebuild
//! makes a new one and swaps it in whole ([`AppState::replace`]), so no request ever sees half
//! of two builds.
//!
//! ```no_run
//! # async fn run() -> anyhow::Result<()> {
//! use reti::publication::{BuildOptions, Publication};
//! use reti::server::{AppState, Settings};
//! let options = BuildOptions::defaults("http://127.0.0.1:7878/")?;
//! let publication = tokio::task::spawn_blocking(move || Publication::build(&options)).await??;
//! let state = AppState::new(publication, Settings::default());
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

use crate::export::{self, Format};
use crate::publication::{BuildOptions, Publication, PublicationError};
use crate::query::BackendError;
use crate::query::remote::RemoteError;
use crate::server::negotiate::Negotiation;
use arc_swap::ArcSwap;
use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::Bytes;
use negotiate::{Lang, Repr};

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};
use tokio::sync::Semaphore;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::cors::{Any, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;

pub use documents::DOCUMENT_FORMATS;
pub use pages::{ASSETS, static_sparql_page};
pub use stored_queries::StoredQuery;

/// A publication as the server serves it: with the caches of what requests computed from it,
/// which go when it is replaced.
pub struct Served {
    publication: Publication,
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
}

impl Served {
    fn new(publication: Publication) -> Self {
        Self {
            evaluations: stored_queries::Evaluations::new(&publication.queries),
            results: Mutex::new(HashMap::new()),
            answers: cache::Bodies::new(64 << 20, 4 << 20),
            documents: cache::Bodies::new(64 << 20, 4 << 20),
            encoded: encoding::Encoded::new(64 << 20),
            publication,
        }
    }
}

impl std::ops::Deref for Served {
    type Target = Publication;

    fn deref(&self) -> &Publication {
        &self.publication
    }
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
    /// Enforced where the global allocator is `reti::support::memory::Counting` (the reti binary).
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
    published: ArcSwap<Served>,
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
    /// State serving `publication`.
    pub fn new(publication: Publication, settings: Settings) -> Arc<Self> {
        let permits = settings.max_concurrent_queries.max(1);
        let clients =
            clients::Clients::new(settings.per_client(), settings.trusted_proxies.clone());
        Arc::new(Self {
            clients,
            query_memory_peak: Arc::default(),
            published: ArcSwap::from_pointee(Served::new(publication)),
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
    /// server started, where the global allocator counts them (`reti::support::memory`).
    pub fn query_memory_peak(&self) -> usize {
        self.query_memory_peak
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The content being served now.
    pub fn current(&self) -> Arc<Served> {
        self.published.load_full()
    }

    /// Serves `publication` from now on; requests under way finish on the old content.
    pub fn replace(&self, publication: Publication) {
        self.published.store(Arc::new(Served::new(publication)));
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

/// Rebuilds from `options` and, only if the build succeeds, swaps the new content in. A failed
/// build changes nothing: the last good content keeps being served. Blocking. With a remote
/// store, this reconnects and reads its counts again (after the store was reloaded, say).
///
/// The in-memory store never frees deleted data, so a reload never clears and refills the
/// store in place: it builds a fresh one beside it, and the old one is dropped once the last
/// request reading it has finished.
pub fn reload(state: &AppState, options: &BuildOptions) -> Result<(), PublicationError> {
    let mut published = Publication::build(options)?;
    for warning in published
        .dataset
        .local()
        .into_iter()
        .flat_map(|d| &d.warnings().0)
    {
        tracing::warn!("{warning}");
    }
    // a remote store's refresh that finds the same data changes no date
    if options.remote.is_some() {
        published.keep_date(&state.current());
    }
    let (quads, version) = (published.dataset.summary().quads, published.version.clone());
    state.replace(published);
    tracing::info!(quads, version = %version, "reloaded");
    Ok(())
}

/// Reloads on SIGHUP and, with `watch`, whenever a file under the data or queries directory,
/// or the configuration file, changes (polled every `interval`). Runs until the process ends;
/// one rebuild at a time.
pub(crate) async fn reload_on_change(
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
            match crate::config::Config::load(file) {
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
    let mut out = Vec::new();
    for dir in dirs {
        if dir.is_file() {
            if let Ok(m) = std::fs::metadata(dir) {
                out.push((dir.clone(), m.len(), m.modified().ok()));
            }
        } else {
            for file in crate::support::fs::files(dir, false).unwrap_or_default() {
                if let Ok(m) = std::fs::metadata(&file) {
                    out.push((file, m.len(), m.modified().ok()));
                }
            }
        }
    }
    out.sort();
    out
}

/// Waits for the shutdown signal (SIGINT or SIGTERM).
pub(crate) async fn shutdown_signal() {
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

pub use crate::support::dates::iso_8601;
