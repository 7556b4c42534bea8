//! The HTTP client of a store's Graph Store and query endpoints: URLs checked up front,
//! Basic and Digest authentication, retries with backoff on server errors, and messages that
//! name the request, the status and what the store said.

use super::*;

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
    pub(super) store: Url,
    query: Option<Url>,
    auth: Auth,
    retries: u32,
    backoff: Duration,
    schemes: Mutex<[Scheme; 2]>,
}

pub(super) fn parse_url(option: &'static str, url: &str) -> Result<Url, PushError> {
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
    pub(crate) fn graph_url(&self, graph: Option<&NamedNode>) -> Url {
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
    pub(super) fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
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
pub(super) fn retryable(status: StatusCode) -> bool {
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
pub(super) fn shown_body(body: &[u8]) -> String {
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
pub(super) fn parse_count(body: &[u8]) -> Result<u64, String> {
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
