//! `reti publish`: pushes the dataset into another triple store through the SPARQL 1.1 Graph
//! Store HTTP Protocol, for when one reti process is no longer enough.
//!
//! Each named graph goes in one `PUT {store}?graph={IRI}`, which replaces that graph on the
//! target atomically: a second run leaves the target as the first did, and blank nodes (the
//! shipped data has none) cannot pile up, since every PUT drops what the graph held. The
//! graphs are every source's graph, the ontology's (`{base}graph/ontology`), the catalog
//! (DCAT-AP and VoID, exactly as `reti serve` shows them at `/catalog` and
//! `/.well-known/void`) as `{base}graph/catalog`, and the merge of the source graphs and the
//! ontology (reti's own default graph) as `{base}graph/merge`: a front end
//! (`reti serve --sparql-endpoint`) reads that graph as its default graph, so a store whose
//! default graph is the union of all its graphs (Virtuoso) does not answer each triple once
//! per graph that states it. The store's own default graph is replaced only when asked
//! ([`Payload::default_graph`]). Graphs are sent as N-Triples by default: no prefixes and no
//! escapes for a store's parser to misread (Virtuoso's Turtle parser keeps the backslash of
//! `\#` in prefixed names).
//!
//! Afterwards each graph is read back from the store (a Graph Store `GET`) and compared with
//! the local one triple by triple ([`compare`]): a store that dropped or changed triples is
//! caught, and the literals stores are known to rewrite into another form of the same value
//! ([`Rewrite`]) are reported as warnings.
//!
//! ```no_run
//! # async fn run(published: &reti::publication::Publication) -> Result<(), reti::push::PushError> {
//! use reti::push::{self, Auth, BodyFormat, StoreClient, Target};
//! let payloads = publish::payloads(published, BodyFormat::NTriples, false)?;
//! let mut target = Target::new("http://localhost:7878/store");
//! target.query = Some("http://localhost:7878/query".into());
//! let remote = StoreClient::new(target)?;
//! let report = publish::publish(&remote, &payloads, true, &mut |line| eprintln!("{line}")).await?;
//! println!("{} graphs", report.graphs);
//! # Ok(()) }
//! ```

use crate::export::{self, ExportError, Format};
use crate::publication::Publication;
use bytes::Bytes;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::NamedNode;
use oxigraph::model::vocab::xsd;
use oxigraph::model::{Literal, NamedNodeRef, Term, Triple};
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, RETRY_AFTER, WWW_AUTHENTICATE};
use reqwest::{Method, StatusCode, Url};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

use crate::rdf::{CATALOG_GRAPH, MERGE_GRAPH};

/// Differences listed per graph when a graph read back differs.
const DIFFERENCES_SHOWN: usize = 10;

/// The longest wait between two attempts, whatever the backoff or `Retry-After` say.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// How much of a server's answer an error message shows.
const BODY_SHOWN: usize = 600;

/// Why publishing failed. Graphs sent before the failure stay replaced on the target; running
/// again replaces them all.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    /// `--to` or `--query-endpoint` is not an http(s) URL.
    #[error("{option} `{url}` is not a usable URL: {reason}")]
    Url {
        /// Which option.
        option: &'static str,
        /// What was given.
        url: String,
        /// Why it is refused.
        reason: String,
    },
    /// A source took the name of a graph reti publish adds (the catalog, the merge).
    #[error(
        "the dataset already has a graph <{graph}>, where reti publish puts {what}; rename the source with the slug `{slug}` in the sources file"
    )]
    GraphTaken {
        /// The graph IRI.
        graph: String,
        /// Its slug.
        slug: &'static str,
        /// What reti publish puts there.
        what: &'static str,
    },
    /// The content was built over a remote store, which has no local graphs to send.
    #[error(
        "reti publish sends a dataset built from source files, not one read from a remote store"
    )]
    NotLocal,
    /// A graph could not be serialised.
    #[error("cannot serialise {graph}: {source}")]
    Serialise {
        /// The graph.
        graph: GraphLabel,
        /// Why.
        source: ExportError,
    },
    /// The HTTP client could not be set up (TLS, say).
    #[error("cannot set up the HTTP client: {0}")]
    Client(String),
    /// The target answered with an error status (after retrying 502, 503, 504 and 429).
    #[error(
        "{request} answered {status} after {attempts} attempt{s}: {body}\n  hint: {hint}",
        s = plural(*attempts)
    )]
    Refused {
        /// The request.
        request: Box<Request>,
        /// The status answered.
        status: StatusCode,
        /// Requests made (502, 503, 504 and 429 answers are retried).
        attempts: u32,
        /// The server's message, truncated.
        body: String,
        /// What to do about it.
        hint: String,
    },
    /// The target could not be reached (after retrying).
    #[error(
        "{request} got no answer after {attempts} attempt{s}: {reason}\n  hint: check that the store is running and that --to (or --query-endpoint) is its address; a slow store may need a longer --timeout",
        s = plural(*attempts)
    )]
    Unreachable {
        /// The request.
        request: Box<Request>,
        /// Requests made.
        attempts: u32,
        /// The client's error, with its causes.
        reason: String,
    },
    /// A count query did not answer with a number.
    #[error(
        "{request} gave no count: {reason}\n  hint: --query-endpoint must be the store's SPARQL query endpoint (answering application/sparql-results+json)"
    )]
    BadCount {
        /// The count query.
        request: Box<Request>,
        /// What was wrong with the answer.
        reason: String,
    },
    /// Some graphs read back from the target do not hold the local triples.
    #[error(
        "{n} graph{s} read back from {store} differ{v} from the local data:\n{list}\n  hint: the store changed or dropped these triples: if they were sent as Turtle (--format ttl), send N-Triples (the default), which no parser misreads; else look for another writer, a rule set or a parse error in the store's log, then run reti publish again",
        n = graphs.len(),
        s = plural(graphs.len() as u32),
        v = if graphs.len() == 1 { "s" } else { "" },
        list = graphs.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
    )]
    Differ {
        /// The Graph Store endpoint the graphs were read from.
        store: Url,
        /// The graphs that differ.
        graphs: Vec<Difference>,
    },
    /// A graph read back is in a format reti cannot read.
    #[error(
        "{request} answered a graph reti cannot read: {reason}\n  hint: the Graph Store endpoint must answer GET with N-Triples, Turtle or RDF/XML; give --no-verify to skip reading the graphs back"
    )]
    Unreadable {
        /// The GET.
        request: Box<Request>,
        /// What is wrong.
        reason: String,
    },
    /// Some graphs on the target do not hold as many triples as the local ones.
    #[error(
        "{n} graph{s} on the target differ{v} from the local data (counted at {endpoint}):\n{list}\n  hint: run reti publish again; if the counts still differ, the store is changing or dropping triples (another writer, a rule set, a parse error in its log)",
        n = graphs.len(),
        s = plural(graphs.len() as u32),
        v = if graphs.len() == 1 { "s" } else { "" },
        list = graphs.iter().map(|m| format!("  <{}>: {} triples here, {} on the target", m.graph, m.local, m.remote)).collect::<Vec<_>>().join("\n")
    )]
    Mismatch {
        /// The query endpoint.
        endpoint: Url,
        /// The graphs that differ.
        graphs: Vec<Mismatch>,
    },
}

fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A graph whose count on the target differs from the local one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The graph IRI.
    pub graph: String,
    /// Triples in the local graph.
    pub local: usize,
    /// Triples the target counted.
    pub remote: u64,
}

/// A request to the target, as error messages name it: `PUT {url} (graph <IRI>)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `PUT`, or `GET` for a count query.
    pub method: Method,
    /// The request URL.
    pub url: Url,
    /// The graph sent or counted.
    pub graph: GraphLabel,
}

impl fmt::Display for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} ({})", self.method, self.url, self.graph)
    }
}

/// A graph as error messages name it: `graph <IRI>` or `the default graph`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphLabel(pub Option<NamedNode>);

impl fmt::Display for GraphLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(g) => write!(f, "graph <{}>", g.as_str()),
            None => f.write_str("the default graph"),
        }
    }
}

/// The serialisation sent in each PUT. N-Triples, the default, has no prefixes and no escapes
/// in IRIs, so every store reads it the same (Virtuoso's Turtle parser keeps the backslash of
/// `\#` in a prefixed name, storing another IRI); Turtle is smaller on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BodyFormat {
    /// Turtle (`text/turtle`).
    #[value(name = "ttl", alias = "turtle")]
    Turtle,
    /// N-Triples (`application/n-triples`).
    #[value(name = "nt", alias = "ntriples")]
    NTriples,
}

impl BodyFormat {
    fn format(self) -> Format {
        match self {
            BodyFormat::Turtle => Format::Turtle,
            BodyFormat::NTriples => Format::NTriples,
        }
    }

    /// The `Content-Type` of the PUT.
    pub fn media_type(self) -> &'static str {
        self.format().media_type()
    }
}

/// One graph, serialised and ready to send.
#[derive(Debug, Clone)]
pub struct Payload {
    /// The graph it replaces on the target; `None` for the default graph.
    pub graph: Option<NamedNode>,
    /// Triples in it (the local count verification compares with).
    pub triples: usize,
    /// `Content-Type` of the body.
    pub content_type: &'static str,
    /// The serialised graph.
    pub body: Bytes,
    /// Its format, to read it back when comparing with the target's copy.
    pub format: BodyFormat,
}

impl Payload {
    /// The graph as messages name it.
    pub fn label(&self) -> GraphLabel {
        GraphLabel(self.graph.clone())
    }

    /// Whether this is the default graph (the merge of the named graphs).
    pub fn default_graph(&self) -> bool {
        self.graph.is_none()
    }

    /// The triples sent, read back from the body.
    pub fn triples(&self) -> Result<Vec<Triple>, String> {
        RdfParser::from_format(self.format.format().parser_format())
            .for_slice(&self.body)
            .map(|q| q.map(Triple::from).map_err(|e| e.to_string()))
            .collect()
    }
}

/// The graphs to send, in order: each named graph of the store (sources and ontology, sorted),
/// the catalog, the merge of the named graphs as a graph of its own, then — with
/// `default_graph` — the merge again as the store's default graph.
pub fn payloads(
    published: &Publication,
    format: BodyFormat,
    default_graph: bool,
) -> Result<Vec<Payload>, PushError> {
    let dataset = published.dataset.local().ok_or(PushError::NotLocal)?;
    let store_error = |graph: Option<NamedNode>| {
        move |e: oxigraph::store::StorageError| PushError::Serialise {
            graph: GraphLabel(graph),
            source: ExportError::Store(e),
        }
    };
    let catalog = published.base().graph(CATALOG_GRAPH);
    let merge = published.base().graph(MERGE_GRAPH);
    let graphs = dataset.graphs().map_err(store_error(None))?;
    for (graph, slug, what) in [
        (&catalog, CATALOG_GRAPH, "the catalog"),
        (&merge, MERGE_GRAPH, "the merge of the named graphs"),
    ] {
        if graphs.contains(graph) {
            return Err(PushError::GraphTaken {
                graph: graph.as_str().to_owned(),
                slug,
                what,
            });
        }
    }
    let mut out = Vec::with_capacity(graphs.len() + 2);
    for graph in graphs {
        let mut body = Vec::new();
        export::write(dataset, format.format(), Some(&graph), &mut body).map_err(|source| {
            PushError::Serialise {
                graph: GraphLabel(Some(graph.clone())),
                source,
            }
        })?;
        let triples = dataset
            .summary()
            .graphs
            .get(graph.as_str())
            .copied()
            .unwrap_or_default();
        out.push(Payload {
            graph: Some(graph),
            triples,
            content_type: format.media_type(),
            body: body.into(),
            format,
        });
    }
    let triples = published.catalog().catalog_graph();
    out.push(Payload {
        graph: Some(catalog),
        triples: triples.len(),
        content_type: format.media_type(),
        body: crate::catalog::write_catalog_graph(published.base(), &triples, format.format())
            .into(),
        format,
    });
    let mut body = Vec::new();
    export::write(dataset, format.format(), None, &mut body).map_err(|source| {
        PushError::Serialise {
            graph: GraphLabel(Some(merge.clone())),
            source,
        }
    })?;
    let body = Bytes::from(body);
    if default_graph {
        out.push(Payload {
            graph: Some(merge),
            triples: dataset.summary().triples,
            content_type: format.media_type(),
            body: body.clone(),
            format,
        });
        out.push(Payload {
            graph: None,
            triples: dataset.summary().triples,
            content_type: format.media_type(),
            body,
            format,
        });
    } else {
        out.push(Payload {
            graph: Some(merge),
            triples: dataset.summary().triples,
            content_type: format.media_type(),
            body,
            format,
        });
    }
    Ok(out)
}

/// How to authenticate to the target.
#[derive(Clone, Default, PartialEq, Eq)]
pub enum Auth {
    /// No credentials.
    #[default]
    None,
    /// A user and password, sent only once the server asks (HTTP 401), in the scheme it asks
    /// for: Digest (Virtuoso) when offered, else Basic. So a password never travels in clear
    /// to a server that wants a digest.
    Password {
        /// User name.
        user: String,
        /// Password.
        password: String,
    },
    /// `Authorization: Bearer {token}` on every request.
    Bearer(String),
}

impl fmt::Debug for Auth {
    // never print secrets
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::None => f.write_str("None"),
            Auth::Password { user, .. } => write!(f, "Password {{ user: {user:?}, .. }}"),
            Auth::Bearer(_) => f.write_str("Bearer(..)"),
        }
    }
}

/// Where and how to publish.
#[derive(Debug, Clone)]
pub struct Target {
    /// The Graph Store endpoint (`…/store` on Oxigraph, `…/DATASET/data` on Fuseki).
    pub store: String,
    /// The SPARQL query endpoint counts are also checked on, when given.
    pub query: Option<String>,
    /// Credentials.
    pub auth: Auth,
    /// Retries of a request after a connection failure or a 502, 503, 504 or 429 answer.
    pub retries: u32,
    /// Time allowed for each request, from connecting to the end of the answer.
    pub timeout: Duration,
    /// Wait before the first retry; doubled at each retry, up to 30 s.
    pub backoff: Duration,
}

impl Target {
    /// `store` with no credentials, no verification, 4 retries from 0.5 s, 60 s per request.
    pub fn new(store: &str) -> Self {
        Self {
            store: store.to_owned(),
            query: None,
            auth: Auth::None,
            retries: 4,
            timeout: Duration::from_secs(60),
            backoff: Duration::from_millis(500),
        }
    }
}

/// Which endpoint a request goes to: each keeps its own authentication state, as a digest
/// challenge may differ between them.
#[derive(Debug, Clone, Copy)]
enum Endpoint {
    Store,
    Query,
}

/// What the server asked for last, so later requests answer it without another 401.
#[derive(Debug, Clone)]
enum Scheme {
    /// Not asked yet: send no credentials.
    Unknown,
    /// Basic.
    Basic,
    /// Digest, with the server's last challenge (its nonce count goes up with each use).
    Digest(Box<digest_auth::WwwAuthenticateHeader>),
}

/// A target store, connected.
pub struct StoreClient {
    http: reqwest::Client,
    store: Url,
    query: Option<Url>,
    auth: Auth,
    retries: u32,
    backoff: Duration,
    schemes: Mutex<[Scheme; 2]>,
}

fn parse_url(option: &'static str, url: &str) -> Result<Url, PushError> {
    let err = |reason: String| PushError::Url {
        option,
        url: url.to_owned(),
        reason,
    };
    let parsed = Url::parse(url).map_err(|e| err(e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(err("only http and https are supported".into()));
    }
    if parsed.fragment().is_some() {
        return Err(err("remove the #fragment".into()));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(err(
            "put credentials in --user and --password-env, not in the URL".into(),
        ));
    }
    Ok(parsed)
}

/// An answer with a success status.
struct Answer {
    status: StatusCode,
    content_type: String,
    body: Bytes,
    attempts: u32,
}

/// What a graph is read back in: N-Triples first, like what is sent.
const READ_BACK: &str =
    "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5, text/plain;q=0.1";

/// A request that did not succeed.
enum Failure {
    Status {
        status: StatusCode,
        body: Bytes,
        attempts: u32,
        credentials_sent: bool,
    },
    Unreachable {
        reason: String,
        attempts: u32,
    },
}

impl StoreClient {
    /// Checks the URLs and sets up the client.
    pub fn new(target: Target) -> Result<Self, PushError> {
        let store = parse_url("--to", &target.store)?;
        let query = target
            .query
            .as_deref()
            .map(|q| parse_url("--query-endpoint", q))
            .transpose()?;
        crate::support::http::install_tls_provider();
        let http = reqwest::Client::builder()
            .user_agent(concat!("reti/", env!("CARGO_PKG_VERSION")))
            .timeout(target.timeout)
            .connect_timeout(target.timeout.min(Duration::from_secs(10)))
            .build()
            .map_err(|e| PushError::Client(crate::support::error_chain(&e)))?;
        Ok(Self {
            http,
            store,
            query,
            auth: target.auth,
            retries: target.retries,
            backoff: target.backoff,
            schemes: Mutex::new([Scheme::Unknown, Scheme::Unknown]),
        })
    }

    /// `{store}?graph={IRI}`, or `{store}?default` for the default graph.
    pub fn graph_url(&self, graph: Option<&NamedNode>) -> Url {
        let mut url = self.store.clone();
        match graph {
            Some(g) => {
                url.query_pairs_mut().append_pair("graph", g.as_str());
            }
            None => {
                let query = match url.query() {
                    Some(q) if !q.is_empty() => format!("{q}&default"),
                    _ => "default".to_owned(),
                };
                url.set_query(Some(&query));
            }
        }
        url
    }

    /// The query endpoint, when verification was asked for.
    pub fn query_endpoint(&self) -> Option<&Url> {
        self.query.as_ref()
    }

    /// Replaces one graph on the target. Returns the status and the number of requests made.
    pub async fn put(
        &self,
        payload: &Payload,
        log: &mut dyn FnMut(&str),
    ) -> Result<(StatusCode, u32), PushError> {
        let url = self.graph_url(payload.graph.as_ref());
        let answer = self
            .send(
                Endpoint::Store,
                Method::PUT,
                &url,
                Some((payload.body.clone(), payload.content_type)),
                None,
                log,
            )
            .await
            .map_err(|f| self.failure(f, payload.label(), Method::PUT, url))?;
        Ok((answer.status, answer.attempts))
    }

    /// The triples the target holds in a graph, read with a Graph Store `GET` (in N-Triples
    /// when the store offers it). A graph the store does not have (404) is empty.
    pub async fn get(
        &self,
        graph: Option<&NamedNode>,
        log: &mut dyn FnMut(&str),
    ) -> Result<Vec<Triple>, PushError> {
        let url = self.graph_url(graph);
        let label = GraphLabel(graph.cloned());
        let request = |url: &Url| {
            Box::new(Request {
                method: Method::GET,
                url: url.clone(),
                graph: label.clone(),
            })
        };
        let answer = match self
            .send(
                Endpoint::Store,
                Method::GET,
                &url,
                None,
                Some(READ_BACK),
                log,
            )
            .await
        {
            Ok(answer) => answer,
            Err(Failure::Status {
                status: StatusCode::NOT_FOUND,
                ..
            }) => return Ok(Vec::new()),
            Err(f) => return Err(self.failure(f, label.clone(), Method::GET, url)),
        };
        let unreadable = |reason: String| PushError::Unreadable {
            request: request(&url),
            reason,
        };
        if answer.status == StatusCode::NO_CONTENT || answer.body.is_empty() {
            return Ok(Vec::new());
        }
        let media_type = answer
            .content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let format = match media_type.as_str() {
            // some stores label N-Triples as plain text
            "text/plain" => RdfFormat::NTriples,
            m => RdfFormat::from_media_type(m).ok_or_else(|| {
                unreadable(format!(
                    "its media type is `{}`",
                    answer.content_type.as_str()
                ))
            })?,
        };
        // lenient: an IRI a store damaged (a backslash kept from a Turtle escape) is read as
        // it is, to be listed as a difference rather than stop the comparison
        let mut parser = RdfParser::from_format(format).lenient();
        if let Some(g) = graph {
            parser = parser
                .with_base_iri(g.as_str())
                .map_err(|e| unreadable(e.to_string()))?;
        }
        parser
            .for_slice(&answer.body)
            .map(|q| {
                q.map(Triple::from)
                    .map_err(|e| unreadable(format!("{} does not parse: {e}", format.name())))
            })
            .collect()
    }

    /// The number of triples the target holds in `graph`, by
    /// `SELECT (COUNT(*) AS ?n) { GRAPH <g> { ?s ?p ?o } }`. `None` without a query endpoint.
    pub async fn count(
        &self,
        graph: &NamedNode,
        log: &mut dyn FnMut(&str),
    ) -> Result<Option<u64>, PushError> {
        let Some(endpoint) = &self.query else {
            return Ok(None);
        };
        let mut url = endpoint.clone();
        url.query_pairs_mut().append_pair(
            "query",
            &format!(
                "SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{}> {{ ?s ?p ?o }} }}",
                graph.as_str()
            ),
        );
        let label = GraphLabel(Some(graph.clone()));
        let answer = self
            .send(
                Endpoint::Query,
                Method::GET,
                &url,
                None,
                Some("application/sparql-results+json"),
                log,
            )
            .await
            .map_err(|f| self.failure(f, label.clone(), Method::GET, url.clone()))?;
        parse_count(&answer.body)
            .map(Some)
            .map_err(|reason| PushError::BadCount {
                request: Box::new(Request {
                    method: Method::GET,
                    url,
                    graph: label,
                }),
                reason,
            })
    }

    fn failure(&self, failure: Failure, graph: GraphLabel, method: Method, url: Url) -> PushError {
        let request = Box::new(Request { method, url, graph });
        match failure {
            Failure::Unreachable { reason, attempts } => PushError::Unreachable {
                request,
                attempts,
                reason,
            },
            Failure::Status {
                status,
                body,
                attempts,
                credentials_sent,
            } => PushError::Refused {
                hint: self.hint(status, credentials_sent, &request.method, &body),
                request,
                status,
                attempts,
                body: shown_body(&body),
            },
        }
    }

    fn hint(
        &self,
        status: StatusCode,
        credentials_sent: bool,
        method: &Method,
        body: &[u8],
    ) -> String {
        let put = method == Method::PUT;
        if let Some(known) = known_problem(body).filter(|_| status.is_server_error()) {
            return known.into();
        }
        match status.as_u16() {
            401 => match (&self.auth, credentials_sent) {
                (Auth::None, _) => "the store asks for credentials: give --user and --password-env (or --password), or --token-env".into(),
                (Auth::Bearer(_), _) => "the store refused the token: check the variable named by --token-env".into(),
                (Auth::Password { .. }, true) => "the store refused the credentials: check --user and --password (or --password-env)".into(),
                (Auth::Password { .. }, false) => "the store asks for an authentication scheme reti does not speak (only Basic and Digest): use --token-env if it takes a bearer token".into(),
            },
            403 => "the store refused access: the user needs write permission (Virtuoso: SPARQL_UPDATE role; GraphDB: write access to the repository)".into(),
            404 | 405 if put => "--to must be the store's Graph Store Protocol endpoint (Oxigraph …/store, Fuseki …/DATASET/data, Virtuoso …/sparql-graph-crud-auth, GraphDB …/repositories/REPO/rdf-graphs/service)".into(),
            404 | 405 => "--query-endpoint must be the store's SPARQL query endpoint (Oxigraph …/query, Fuseki …/DATASET/sparql, Virtuoso …/sparql)".into(),
            413 => "the store refused a graph this large: raise its request size limit".into(),
            415 => "the store does not take this format: try the other --format (ttl or nt)".into(),
            400 if put => "the store could not take the graph: see its message above".into(),
            400 => "the store could not answer the count query: see its message above".into(),
            s if retryable(status) => format!("the store kept failing ({s}): look at its log, then run reti publish again (graphs already sent are replaced again, nothing is duplicated)"),
            501 => "the store does not implement this request (see its message): it may not be a Graph Store Protocol endpoint, or not for this kind of graph".into(),
            s if s >= 500 => "the store failed on this request, which is not retried (a 500 names a problem that does not pass by itself): see its message and its log, fix the cause, then run reti publish again (graphs already sent are replaced again, nothing is duplicated)".into(),
            _ => "see the store's message above".into(),
        }
    }

    /// Sends one request: without credentials until the server asks for them (then in the
    /// scheme it asks), retrying connection failures and the answers that say "later" (502,
    /// 503, 504, 429) with exponential backoff. Any other error is final at once: a 500 or
    /// 501 names a problem that the same request meets again.
    async fn send(
        &self,
        endpoint: Endpoint,
        method: Method,
        url: &Url,
        body: Option<(Bytes, &'static str)>,
        accept: Option<&'static str>,
        log: &mut dyn FnMut(&str),
    ) -> Result<Answer, Failure> {
        let mut attempts = 0;
        let mut challenges = 0;
        loop {
            attempts += 1;
            let mut request = self.http.request(method.clone(), url.clone());
            if let Some((bytes, content_type)) = &body {
                request = request
                    .header(CONTENT_TYPE, *content_type)
                    .body(bytes.clone());
            }
            if let Some(accept) = accept {
                request = request.header(ACCEPT, accept);
            }
            let (request, credentials_sent) =
                self.authorize(request, endpoint, &method, url, body.as_ref().map(|b| &b.0));
            let result = match request.send().await {
                Ok(response) => {
                    let status = response.status();
                    let headers = response.headers().clone();
                    response.bytes().await.map(|b| (status, headers, b))
                }
                Err(e) => Err(e),
            };
            let (status, headers, bytes) = match result {
                Ok(answer) => answer,
                Err(e) => {
                    // the URL is in the message already
                    let reason = crate::support::error_chain(&e.without_url());
                    if attempts > self.retries {
                        return Err(Failure::Unreachable { reason, attempts });
                    }
                    let wait = self.delay(attempts, None);
                    log(&format!(
                        "  {method} {url}: {reason}; retrying in {:.1} s ({} of {} retries)",
                        wait.as_secs_f64(),
                        attempts,
                        self.retries
                    ));
                    tokio::time::sleep(wait).await;
                    continue;
                }
            };
            if status == StatusCode::UNAUTHORIZED
                && challenges < 2
                && self.accept_challenge(endpoint, &headers, credentials_sent)
            {
                // an authentication round trip, not a failure: not counted as an attempt
                challenges += 1;
                attempts -= 1;
                continue;
            }
            if status.is_success() {
                let content_type = headers
                    .get(CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_owned();
                return Ok(Answer {
                    status,
                    content_type,
                    body: bytes,
                    attempts,
                });
            }
            if retryable(status) && attempts <= self.retries {
                let wait = self.delay(attempts, retry_after(&headers));
                log(&format!(
                    "  {method} {url}: {status}; retrying in {:.1} s ({} of {} retries)",
                    wait.as_secs_f64(),
                    attempts,
                    self.retries
                ));
                tokio::time::sleep(wait).await;
                continue;
            }
            return Err(Failure::Status {
                status,
                body: bytes,
                attempts,
                credentials_sent,
            });
        }
    }

    /// Exponential backoff from the configured first wait, or the server's `Retry-After`, never
    /// above [`MAX_BACKOFF`].
    fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        let exponential = self
            .backoff
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
        retry_after.unwrap_or(exponential).min(MAX_BACKOFF)
    }

    /// Adds the credentials the server asked for (if any); says whether any were added.
    fn authorize(
        &self,
        request: reqwest::RequestBuilder,
        endpoint: Endpoint,
        method: &Method,
        url: &Url,
        body: Option<&Bytes>,
    ) -> (reqwest::RequestBuilder, bool) {
        match &self.auth {
            Auth::None => (request, false),
            Auth::Bearer(token) => (request.bearer_auth(token), true),
            Auth::Password { user, password } => {
                let mut schemes = self.schemes.lock().unwrap_or_else(|e| e.into_inner());
                match &mut schemes[endpoint as usize] {
                    Scheme::Unknown => (request, false),
                    Scheme::Basic => (request.basic_auth(user, Some(password)), true),
                    Scheme::Digest(challenge) => {
                        let uri = match url.query() {
                            Some(q) => format!("{}?{q}", url.path()),
                            None => url.path().to_owned(),
                        };
                        let context = digest_auth::AuthContext::new_with_method(
                            user.as_str(),
                            password.as_str(),
                            uri,
                            body.map(|b| b.as_ref()),
                            digest_auth::HttpMethod(method.as_str().to_owned().into()),
                        );
                        match challenge.respond(&context) {
                            Ok(header) => (
                                request.header(
                                    reqwest::header::AUTHORIZATION,
                                    header.to_header_string(),
                                ),
                                true,
                            ),
                            // a challenge we cannot answer: the 401 that follows says so
                            Err(_) => (request, false),
                        }
                    }
                }
            }
        }
    }

    /// Takes a 401's challenge; true when it is worth sending the request again.
    fn accept_challenge(&self, endpoint: Endpoint, headers: &HeaderMap, sent: bool) -> bool {
        if !matches!(self.auth, Auth::Password { .. }) {
            return false;
        }
        let offered: Vec<&str> = headers
            .get_all(WWW_AUTHENTICATE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        let scheme_of = |s: &str| {
            s.split_whitespace()
                .next()
                .unwrap_or("")
                .to_ascii_lowercase()
        };
        let mut schemes = self.schemes.lock().unwrap_or_else(|e| e.into_inner());
        let state = &mut schemes[endpoint as usize];
        if let Some(digest) = offered.iter().find(|s| scheme_of(s) == "digest") {
            let Ok(challenge) = digest_auth::parse(digest.trim_start()) else {
                return false;
            };
            // again only with a new nonce (or one the server calls stale): the same challenge
            // twice means the credentials are wrong
            let retry = match &*state {
                Scheme::Digest(old) => challenge.stale || challenge.nonce != old.nonce || !sent,
                _ => true,
            };
            *state = Scheme::Digest(Box::new(challenge));
            return retry;
        }
        if offered.iter().any(|s| scheme_of(s) == "basic") {
            let retry = !(sent && matches!(state, Scheme::Basic));
            *state = Scheme::Basic;
            return retry;
        }
        false
    }
}

/// Whether an answer says "try again later": a gateway that could not reach the store, a store
/// that is starting or overloaded, a rate limit.
fn retryable(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 502 | 503 | 504)
}

/// What to change for the errors stores are known to answer, recognised by their message.
fn known_problem(body: &[u8]) -> Option<&'static str> {
    let text = String::from_utf8_lossy(body);
    if text.contains("not configured to have default graph") {
        // Virtuoso 7: Error 22023 on `PUT …?default`
        return Some(
            "Virtuoso's Graph Store endpoint has no default graph of its own (its default graph is the union of all graphs): leave out --default-graph; reti publish always sends the merge of the named graphs as the graph {base}graph/merge, which front ends (reti serve --sparql-endpoint) read as their default graph",
        );
    }
    if text.contains("SR186") || text.contains("No permission to execute") {
        // Virtuoso: the user lacks the SPARQL_UPDATE role
        return Some(
            "the user may not write: grant it the SPARQL_UPDATE role (Virtuoso, in isql: GRANT SPARQL_UPDATE TO \"user\";)",
        );
    }
    None
}

/// `Retry-After` in seconds (the HTTP-date form is rare from stores and ignored).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

/// The server's message, on one line and truncated.
fn shown_body(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return "(no message)".into();
    }
    match text.char_indices().nth(BODY_SHOWN) {
        Some((i, _)) => format!("{}… (truncated)", &text[..i]),
        None => text,
    }
}

/// `?n` of the first row of SPARQL JSON results.
fn parse_count(body: &[u8]) -> Result<u64, String> {
    let json: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| format!("the answer is not SPARQL JSON results ({e})"))?;
    let value = json
        .pointer("/results/bindings/0/n/value")
        .and_then(serde_json::Value::as_str)
        .ok_or("the answer has no ?n in its first row")?;
    value
        .trim()
        .parse()
        .map_err(|_| format!("?n is `{value}`, not a count"))
}

/// What a publish did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Graphs sent.
    pub graphs: usize,
    /// Triples sent, over all graphs.
    pub triples: usize,
    /// Graphs read back and found to hold the same triples (`None`: not read back).
    pub compared: Option<usize>,
    /// Literals the store keeps in another form of the same value, over all graphs.
    pub rewritten: usize,
    /// Graphs whose count was checked on the query endpoint (`None`: none given).
    pub verified: Option<usize>,
}

/// Sends every payload in order, then (with `read_back`) reads each graph back and compares it
/// with the local one, then checks each named graph's count on the query endpoint, if any.
/// Stops at the first graph the target does not take.
pub async fn publish(
    remote: &StoreClient,
    payloads: &[Payload],
    read_back: bool,
    log: &mut dyn FnMut(&str),
) -> Result<Report, PushError> {
    for (i, payload) in payloads.iter().enumerate() {
        let (status, attempts) = remote.put(payload, log).await?;
        log(&format!(
            "[{}/{}] PUT {} ({} triples, {} bytes): {status}{}",
            i + 1,
            payloads.len(),
            payload.label(),
            payload.triples,
            payload.body.len(),
            if attempts > 1 {
                format!(" after {attempts} attempts")
            } else {
                String::new()
            }
        ));
    }
    let (compared, rewritten) = if read_back {
        let (n, rewritten) = read_back_all(remote, payloads, log).await?;
        (Some(n), rewritten)
    } else {
        (None, 0)
    };
    let verified = verify(remote, payloads, log).await?;
    Ok(Report {
        graphs: payloads.len(),
        triples: payloads.iter().map(|p| p.triples).sum(),
        compared,
        rewritten,
        verified,
    })
}

/// Reads every graph back and compares it with what was sent. Returns the graphs compared and
/// the literals rewritten into another form of the same value (each kind logged as a
/// warning); fails listing every graph that differs otherwise.
pub async fn read_back_all(
    remote: &StoreClient,
    payloads: &[Payload],
    log: &mut dyn FnMut(&str),
) -> Result<(usize, usize), PushError> {
    let mut differ = Vec::new();
    let mut rewritten = 0;
    for payload in payloads {
        let local = payload.triples().map_err(|reason| PushError::Unreadable {
            request: Box::new(Request {
                method: Method::PUT,
                url: remote.graph_url(payload.graph.as_ref()),
                graph: payload.label(),
            }),
            reason: format!("reti cannot read back what it sent: {reason}"),
        })?;
        let there = remote.get(payload.graph.as_ref(), log).await?;
        let comparison = compare(local, there);
        for (rewrite, (n, here, there)) in &comparison.rewrites {
            rewritten += n;
            log(&format!(
                "warning: {}: {n} literal{} stored in another form of the same value, {rewrite}: e.g. {here} is {there} on the store",
                payload.label(),
                plural(*n as u32)
            ));
        }
        if !comparison.same() {
            differ.push(Difference {
                graph: payload.label(),
                only_here: comparison.only_here.len(),
                only_there: comparison.only_there.len(),
                shown: comparison.shown(),
            });
        }
    }
    if differ.is_empty() {
        Ok((payloads.len(), rewritten))
    } else {
        Err(PushError::Differ {
            store: remote.store.clone(),
            graphs: differ,
        })
    }
}

/// A graph read back from the target that does not hold the local triples.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The graph.
    pub graph: GraphLabel,
    /// Local triples the target lacks.
    pub only_here: usize,
    /// Triples on the target that are not local.
    pub only_there: usize,
    /// The first differences, each `here:` or `there:` and the triple in N-Triples.
    pub shown: Vec<String>,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "  {}: {} triple{} here not on the store, {} on the store not here{}",
            self.graph,
            self.only_here,
            plural(self.only_here as u32),
            self.only_there,
            if self.only_here + self.only_there > self.shown.len() {
                format!("; the first {}:", self.shown.len())
            } else {
                ":".to_owned()
            }
        )?;
        for line in &self.shown {
            write!(f, "\n    {line}")?;
        }
        Ok(())
    }
}

/// A literal a store is known to keep in another form of the same value. Not a loss: a SPARQL
/// query compares them equal; but documents read from the store show the other form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rewrite {
    /// `xsd:boolean` as `1`/`0` (Virtuoso, in SPARQL results and some serialisations).
    BooleanAsNumber,
    /// An integer in its canonical form (`007` as `7`, `+7` as `7`).
    CanonicalInteger,
    /// A datatype derived from `xsd:integer` (`xsd:nonNegativeInteger`, `xsd:int`…) stored
    /// as `xsd:integer` (Oxigraph).
    IntegerDatatype,
    /// A decimal, float or double in its canonical form (`1.50` as `1.5`, `1e3` as `1.0E3`).
    CanonicalNumber,
    /// A language tag in another case (`en-GB` as `en-gb`).
    LanguageTagCase,
    /// A GeoSPARQL `wktLiteral` turned into Virtuoso's own geometry type
    /// (`virtrdf:Geometry`), its coordinates kept as single-precision floats.
    VirtuosoGeometry,
}

impl fmt::Display for Rewrite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Rewrite::BooleanAsNumber => "xsd:boolean written as 1 or 0 (as Virtuoso does)",
            Rewrite::CanonicalInteger => "an integer in canonical form",
            Rewrite::IntegerDatatype => {
                "an integer of a derived datatype stored as xsd:integer (as Oxigraph does)"
            }
            Rewrite::CanonicalNumber => "a number in canonical form",
            Rewrite::LanguageTagCase => "a language tag in another case",
            Rewrite::VirtuosoGeometry => {
                "a geo:wktLiteral stored as virtrdf:Geometry, its coordinates as 32-bit floats (as Virtuoso does)"
            }
        })
    }
}

/// Whether `there` is `here` rewritten in one of the known ways.
pub fn rewrite(here: &Literal, there: &Literal) -> Option<Rewrite> {
    if here == there {
        return None;
    }
    if let (Some(a), Some(b)) = (here.language(), there.language()) {
        return (here.value() == there.value() && a.eq_ignore_ascii_case(b))
            .then_some(Rewrite::LanguageTagCase);
    }
    let (a, b) = (here.datatype(), there.datatype());
    if a.as_str() == WKT_LITERAL && b.as_str() == VIRTUOSO_GEOMETRY {
        return same_geometry(here.value(), there.value()).then_some(Rewrite::VirtuosoGeometry);
    }
    if a == xsd::BOOLEAN && b == xsd::BOOLEAN {
        let value = |l: &Literal| match l.value().trim() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        };
        return (value(here).is_some() && value(here) == value(there))
            .then_some(Rewrite::BooleanAsNumber);
    }
    if integer_datatype(a) && integer_datatype(b) {
        let value = |l: &Literal| {
            l.value()
                .trim()
                .trim_start_matches('+')
                .parse::<i128>()
                .ok()
        };
        return match (value(here), value(there)) {
            (Some(x), Some(y)) if x == y && a == b => Some(Rewrite::CanonicalInteger),
            (Some(x), Some(y)) if x == y && b == xsd::INTEGER => Some(Rewrite::IntegerDatatype),
            _ => None,
        };
    }
    if a == b && a == xsd::DECIMAL {
        return (decimal(here.value()).is_some()
            && decimal(here.value()) == decimal(there.value()))
        .then_some(Rewrite::CanonicalNumber);
    }
    if a == b && (a == xsd::DOUBLE || a == xsd::FLOAT) {
        let value = |l: &Literal| l.value().trim().parse::<f64>().ok();
        return match (value(here), value(there)) {
            (Some(x), Some(y)) if x == y || (x.is_nan() && y.is_nan()) => {
                Some(Rewrite::CanonicalNumber)
            }
            _ => None,
        };
    }
    None
}

const WKT_LITERAL: &str = "http://www.opengis.net/ont/geosparql#wktLiteral";
const VIRTUOSO_GEOMETRY: &str = "http://www.openlinksw.com/schemas/virtrdf#Geometry";

/// Whether two WKT texts are the same geometry: the same words and brackets, and coordinates
/// equal to single precision (spaces after commas do not count).
fn same_geometry(a: &str, b: &str) -> bool {
    fn tokens(text: &str) -> Vec<String> {
        text.split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')')
            .filter(|t| !t.is_empty())
            .map(|t| t.to_ascii_uppercase())
            .chain(std::iter::once(
                text.chars().filter(|c| matches!(c, '(' | ')')).collect(),
            ))
            .collect()
    }
    let (x, y) = (tokens(a), tokens(b));
    x.len() == y.len()
        && x.iter()
            .zip(&y)
            .all(|(p, q)| match (p.parse::<f64>(), q.parse::<f64>()) {
                (Ok(p), Ok(q)) => (p - q).abs() <= 1e-6 * p.abs().max(1.0),
                _ => p == q,
            })
}

fn integer_datatype(d: NamedNodeRef<'_>) -> bool {
    [
        xsd::INTEGER,
        xsd::NON_NEGATIVE_INTEGER,
        xsd::POSITIVE_INTEGER,
        xsd::NON_POSITIVE_INTEGER,
        xsd::NEGATIVE_INTEGER,
        xsd::LONG,
        xsd::INT,
        xsd::SHORT,
        xsd::BYTE,
        xsd::UNSIGNED_LONG,
        xsd::UNSIGNED_INT,
        xsd::UNSIGNED_SHORT,
        xsd::UNSIGNED_BYTE,
    ]
    .contains(&d)
}

/// A decimal's value as sign, digits and exponent, without the zeros that do not count.
fn decimal(text: &str) -> Option<(bool, String, i64)> {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if int.is_empty() && frac.is_empty()
        || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let all = format!("{int}{frac}");
    let trimmed = all.trim_start_matches('0');
    let exponent = trimmed.len() as i64 - frac.len() as i64;
    let significant = trimmed.trim_end_matches('0').to_owned();
    if significant.is_empty() {
        return Some((false, String::new(), 0));
    }
    Some((negative, significant, exponent))
}

/// How a graph read back compares with the local one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comparison {
    /// Local triples the target lacks (not counting rewritten literals).
    pub only_here: Vec<Triple>,
    /// Triples on the target that are not local (not counting rewritten literals).
    pub only_there: Vec<Triple>,
    /// Literals kept in another form of the same value: per kind, how many and one example
    /// (here, there).
    pub rewrites: BTreeMap<Rewrite, (usize, String, String)>,
}

impl Comparison {
    /// Whether the graphs hold the same triples, but for known rewrites.
    pub fn same(&self) -> bool {
        self.only_here.is_empty() && self.only_there.is_empty()
    }

    /// The first differences, as the error lists them.
    pub fn shown(&self) -> Vec<String> {
        let mut here: Vec<String> = self.only_here.iter().map(ToString::to_string).collect();
        let mut there: Vec<String> = self.only_there.iter().map(ToString::to_string).collect();
        here.sort();
        there.sort();
        let mut out = Vec::new();
        let (mut h, mut t) = (here.into_iter(), there.into_iter());
        // alternately, so that a changed triple shows next to what it became
        while out.len() < DIFFERENCES_SHOWN {
            match (h.next(), t.next()) {
                (None, None) => break,
                (a, b) => {
                    if let Some(a) = a {
                        out.push(format!("here:  {a} ."));
                    }
                    if let Some(b) = b
                        && out.len() < DIFFERENCES_SHOWN
                    {
                        out.push(format!("there: {b} ."));
                    }
                }
            }
        }
        out
    }
}

/// Compares a graph read back from a store with the local one, triple by triple; blank nodes
/// by isomorphism (both graphs canonicalised, when either has any).
pub fn compare(here: Vec<Triple>, there: Vec<Triple>) -> Comparison {
    let blank = |ts: &[Triple]| {
        ts.iter()
            .any(|t| t.subject.is_blank_node() || t.object.is_blank_node())
    };
    let (here, there) = if blank(&here) || blank(&there) {
        let canonical = |ts: Vec<Triple>| {
            let mut g: oxigraph::model::Graph = ts.into_iter().collect();
            g.canonicalize(oxrdf::dataset::CanonicalizationAlgorithm::Unstable);
            g.iter().map(|t| t.into_owned()).collect::<Vec<_>>()
        };
        (canonical(here), canonical(there))
    } else {
        (here, there)
    };
    let here_set: HashSet<&Triple> = here.iter().collect();
    let there_set: HashSet<&Triple> = there.iter().collect();
    let mut only_here: Vec<&Triple> = here_set.difference(&there_set).copied().collect();
    let only_there: Vec<&Triple> = there_set.difference(&here_set).copied().collect();
    only_here.sort_by_cached_key(|t| t.to_string());
    // the target's extra literals, by subject and predicate, to pair with the local ones
    let mut candidates: HashMap<(&oxigraph::model::NamedOrBlankNode, &NamedNode), Vec<usize>> =
        HashMap::new();
    for (i, t) in only_there.iter().enumerate() {
        if matches!(t.object, Term::Literal(_)) {
            candidates
                .entry((&t.subject, &t.predicate))
                .or_default()
                .push(i);
        }
    }
    let mut paired = vec![false; only_there.len()];
    let mut out = Comparison::default();
    for t in only_here {
        let Term::Literal(mine) = &t.object else {
            out.only_here.push(t.clone());
            continue;
        };
        let found = candidates
            .get(&(&t.subject, &t.predicate))
            .into_iter()
            .flatten()
            .find_map(|&i| {
                let Term::Literal(theirs) = &only_there[i].object else {
                    return None;
                };
                if paired[i] {
                    return None;
                }
                rewrite(mine, theirs).map(|r| (i, r, theirs))
            });
        match found {
            Some((i, kind, theirs)) => {
                paired[i] = true;
                let entry = out
                    .rewrites
                    .entry(kind)
                    .or_insert_with(|| (0, mine.to_string(), theirs.to_string()));
                entry.0 += 1;
            }
            None => out.only_here.push(t.clone()),
        }
    }
    out.only_there = only_there
        .into_iter()
        .zip(paired)
        .filter(|(_, p)| !p)
        .map(|(t, _)| t.clone())
        .collect();
    out.only_there.sort_by_cached_key(|t| t.to_string());
    out
}

/// Compares each named graph's count on the target with the local one. The default graph is
/// not counted: what a store's default graph holds depends on its configuration (union or not).
pub async fn verify(
    remote: &StoreClient,
    payloads: &[Payload],
    log: &mut dyn FnMut(&str),
) -> Result<Option<usize>, PushError> {
    let Some(endpoint) = remote.query_endpoint().cloned() else {
        return Ok(None);
    };
    let mut differ = Vec::new();
    let mut checked = 0;
    for payload in payloads {
        let Some(graph) = &payload.graph else {
            continue;
        };
        let Some(remote_count) = remote.count(graph, log).await? else {
            return Ok(None);
        };
        checked += 1;
        if remote_count != payload.triples as u64 {
            differ.push(Mismatch {
                graph: graph.as_str().to_owned(),
                local: payload.triples,
                remote: remote_count,
            });
        }
    }
    if differ.is_empty() {
        Ok(Some(checked))
    } else {
        Err(PushError::Mismatch {
            endpoint,
            graphs: differ,
        })
    }
}

/// What `--dry-run` prints: one line per request that would be sent.
pub fn plan(remote: &StoreClient, payloads: &[Payload]) -> Vec<String> {
    payloads
        .iter()
        .map(|p| {
            format!(
                "PUT {}  {}  {} triples  {} bytes  ({})",
                remote.graph_url(p.graph.as_ref()),
                p.content_type,
                p.triples,
                p.body.len(),
                p.label()
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_read_from_sparql_json() {
        let body = br#"{"head":{"vars":["n"]},"results":{"bindings":[{"n":{"type":"literal","datatype":"http://www.w3.org/2001/XMLSchema#integer","value":"42"}}]}}"#;
        assert_eq!(parse_count(body), Ok(42));
        assert!(parse_count(b"<html>").is_err());
        assert!(parse_count(br#"{"results":{"bindings":[]}}"#).is_err());
    }

    #[test]
    fn bodies_are_shown_on_one_line_and_truncated() {
        assert_eq!(shown_body(b"bad\n  turtle"), "bad turtle");
        assert_eq!(shown_body(b""), "(no message)");
        let long = "x".repeat(BODY_SHOWN + 10);
        assert_eq!(
            shown_body(long.as_bytes()),
            format!("{}… (truncated)", "x".repeat(BODY_SHOWN))
        );
    }

    #[test]
    fn graph_urls_keep_the_store_query() {
        let mut target = Target::new("http://h:1/store?key=v");
        target.retries = 0;
        let remote = StoreClient::new(target).expect("remote");
        let g = NamedNode::new_unchecked("http://x/graph/a b#c");
        assert_eq!(
            remote.graph_url(Some(&g)).as_str(),
            "http://h:1/store?key=v&graph=http%3A%2F%2Fx%2Fgraph%2Fa+b%23c"
        );
        assert_eq!(
            remote.graph_url(None).as_str(),
            "http://h:1/store?key=v&default"
        );
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let remote = StoreClient::new(Target::new("http://h:1/store")).expect("remote");
        assert_eq!(remote.delay(1, None), Duration::from_millis(500));
        assert_eq!(remote.delay(3, None), Duration::from_secs(2));
        assert_eq!(remote.delay(20, None), MAX_BACKOFF);
        assert_eq!(
            remote.delay(1, Some(Duration::from_secs(3))),
            Duration::from_secs(3)
        );
    }

    fn lit(value: &str, datatype: &str) -> Literal {
        Literal::new_typed_literal(value, NamedNode::new_unchecked(datatype))
    }

    const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

    #[test]
    fn known_rewrites_are_named_and_other_changes_are_not() {
        let x = |t: &str| format!("{XSD}{t}");
        let cases = [
            (
                lit("true", &x("boolean")),
                lit("1", &x("boolean")),
                Some(Rewrite::BooleanAsNumber),
            ),
            (lit("false", &x("boolean")), lit("1", &x("boolean")), None),
            (
                lit("007", &x("integer")),
                lit("7", &x("integer")),
                Some(Rewrite::CanonicalInteger),
            ),
            (
                lit("42", &x("nonNegativeInteger")),
                lit("42", &x("integer")),
                Some(Rewrite::IntegerDatatype),
            ),
            (lit("42", &x("integer")), lit("43", &x("integer")), None),
            (lit("42", &x("integer")), lit("42", &x("string")), None),
            (
                lit("1.50", &x("decimal")),
                lit("1.5", &x("decimal")),
                Some(Rewrite::CanonicalNumber),
            ),
            (lit("1.50", &x("decimal")), lit("15.0", &x("decimal")), None),
            (
                lit("1e3", &x("double")),
                lit("1.0E3", &x("double")),
                Some(Rewrite::CanonicalNumber),
            ),
            (
                lit("POINT(12.57 42.50)", WKT_LITERAL),
                lit("POINT(12.569999694824 42.5)", VIRTUOSO_GEOMETRY),
                Some(Rewrite::VirtuosoGeometry),
            ),
            (
                lit("POINT(12.57 42.50)", WKT_LITERAL),
                lit("POINT(12.6 42.5)", VIRTUOSO_GEOMETRY),
                None,
            ),
            (
                lit("2020-01-01", &x("date")),
                lit("2020-01-01Z", &x("date")),
                None,
            ),
        ];
        for (here, there, expected) in cases {
            assert_eq!(rewrite(&here, &there), expected, "{here} -> {there}");
        }
        let en = Literal::new_language_tagged_literal_unchecked("Turin", "en-GB");
        let lower = Literal::new_language_tagged_literal_unchecked("Turin", "en-gb");
        assert_eq!(rewrite(&en, &lower), Some(Rewrite::LanguageTagCase));
    }

    #[test]
    fn comparison_pairs_rewrites_and_lists_the_rest() {
        let s = NamedNode::new_unchecked("http://x/s");
        let p = NamedNode::new_unchecked("http://x/p");
        let q = NamedNode::new_unchecked("http://x/q");
        let t = |p: &NamedNode, o: Term| Triple::new(s.clone(), p.clone(), o);
        let here = vec![
            t(&p, lit("true", &format!("{XSD}boolean")).into()),
            t(&q, NamedNode::new_unchecked("http://x/a#b").into()),
        ];
        let there = vec![
            t(&p, lit("1", &format!("{XSD}boolean")).into()),
            t(&q, NamedNode::new_unchecked("http://x/a\\#b").into()),
        ];
        let c = compare(here.clone(), there);
        assert!(!c.same());
        assert_eq!(c.only_here, vec![here[1].clone()]);
        assert_eq!(c.only_there.len(), 1);
        assert_eq!(c.rewrites.len(), 1);
        assert_eq!(c.rewrites[&Rewrite::BooleanAsNumber].0, 1);
        assert_eq!(
            c.shown(),
            vec![
                "here:  <http://x/s> <http://x/q> <http://x/a#b> .".to_owned(),
                "there: <http://x/s> <http://x/q> <http://x/a\\#b> .".to_owned()
            ]
        );
        // blank nodes by isomorphism: other labels, the same graph
        let b = |id: &str| oxigraph::model::BlankNode::new_unchecked(id);
        let one = vec![Triple::new(b("x"), p.clone(), Term::from(b("y")))];
        let two = vec![Triple::new(b("u"), p.clone(), Term::from(b("v")))];
        assert!(compare(one.clone(), two).same());
        let three = vec![Triple::new(b("u"), p.clone(), Term::from(b("u")))];
        assert!(!compare(one, three).same());
    }

    #[test]
    fn only_answers_that_say_later_are_retried() {
        for (status, retried) in [
            (429, true),
            (500, false),
            (501, false),
            (502, true),
            (503, true),
            (504, true),
            (400, false),
        ] {
            assert_eq!(
                retryable(StatusCode::from_u16(status).expect("status")),
                retried,
                "{status}"
            );
        }
    }

    #[test]
    fn urls_must_be_http_without_credentials() {
        for bad in [
            "ftp://h/store",
            "not a url",
            "http://u:p@h/store",
            "http://h/store#x",
        ] {
            assert!(
                matches!(parse_url("--to", bad), Err(PushError::Url { .. })),
                "{bad}"
            );
        }
    }
}
