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
mod lifecycle;
pub mod listen;
pub mod negotiate;
mod pages;
mod query_errors;
mod query_threads;
mod reconciliation;
mod request_log;
mod respond;
mod search;
mod sparql;
mod stored_queries;
pub use stored_queries::warm_up;

pub use lifecycle::reload;
pub(crate) use lifecycle::{reload_on_change, shutdown_signal};
pub use respond::{ApiError, backend_failure, blocking, cacheable, listing};
pub(crate) use respond::{
    backend_error, cacheable_body, error_page, not_modified, plain_error, vary_accept, write_graph,
    write_graph_with,
};

use crate::publication::Publication;
use arc_swap::ArcSwap;
use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::get;
use bytes::Bytes;
use negotiate::Repr;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
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

pub use crate::support::dates::iso_8601;
