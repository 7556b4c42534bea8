//! A remote SPARQL endpoint (Oxigraph, Virtuoso, QLever, Fuseki...) spoken to over the SPARQL
//! 1.1 Protocol: a `POST` of a form, results read with Oxigraph's own parsers.
//!
//! Calls are synchronous, like the embedded store's, so the front end runs them the same way:
//! on the blocking pool (or a query thread), never on an async worker. Under the hood the
//! asynchronous HTTP client runs on the server's own runtime, whose handle is captured when the
//! endpoint is made; no second runtime or thread is started.

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::vocab::xsd;
use oxigraph::model::{Literal, Term};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput,
};
use oxigraph::sparql::{
    CancellationToken, QueryEvaluationError, QueryResults, QuerySolution, QuerySolutionIter,
    QueryTripleIter, Variable,
};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use std::sync::Arc;
use std::time::Duration;

/// Why the remote endpoint gave no usable answer. Each says which endpoint and what to check.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RemoteError {
    /// `--sparql-endpoint` is not an `http://` URL.
    #[error(
        "--sparql-endpoint `{url}` is not an http:// URL ({reason}); give the query URL of the \
         store, e.g. http://store:7878/query (TLS is not built in: reach the store over the \
         internal network, or through a local TLS proxy)"
    )]
    BadUrl {
        /// The URL given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The connection could not be made or broke.
    #[error(
        "the SPARQL endpoint {url} cannot be reached ({reason}); check that the store is \
         running and that --sparql-endpoint points at it"
    )]
    Unreachable {
        /// The endpoint.
        url: String,
        /// The client's reason.
        reason: String,
    },
    /// No complete answer within the timeout.
    #[error(
        "the SPARQL endpoint {url} did not answer within {seconds} s (--remote-timeout): the \
         store is overloaded or the query is too costly"
    )]
    Timeout {
        /// The endpoint.
        url: String,
        /// The timeout.
        seconds: f64,
    },
    /// An error status.
    #[error("the SPARQL endpoint {url} answered {status}: {message}")]
    Status {
        /// The endpoint.
        url: String,
        /// The HTTP status.
        status: u16,
        /// The start of the body it sent.
        message: String,
    },
    /// A response in a format reti cannot read, or not valid in its format.
    #[error("the SPARQL endpoint {url} sent a response reti cannot read: {reason}")]
    Invalid {
        /// The endpoint.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A response larger than reti accepts.
    #[error("the SPARQL endpoint {url} sent more than {mib} MiB; narrow the query or add a LIMIT")]
    TooLarge {
        /// The endpoint.
        url: String,
        /// The limit, in MiB.
        mib: usize,
    },
    /// The endpoint was made or used outside a Tokio runtime: a defect of the caller.
    #[error("the SPARQL endpoint client needs the server's runtime: {0}")]
    NoRuntime(String),
}

/// What kind of result a query gives, so the right formats are asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// SELECT or ASK: a SPARQL results document.
    Tabular,
    /// CONSTRUCT or DESCRIBE: an RDF graph.
    Graph,
}

impl Form {
    /// The form of a parsed query.
    pub fn of(query: &spargebra::Query) -> Self {
        match query {
            spargebra::Query::Select { .. } | spargebra::Query::Ask { .. } => Self::Tabular,
            _ => Self::Graph,
        }
    }

    fn accept(self) -> &'static str {
        match self {
            Self::Tabular => {
                "application/sparql-results+json, application/sparql-results+xml;q=0.9, \
                 text/tab-separated-values;q=0.5"
            }
            Self::Graph => {
                "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5, \
                 application/n-quads;q=0.4"
            }
        }
    }
}

/// Form values: everything but letters, digits and `-._~` is percent-encoded.
const FORM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Largest response read from the endpoint. Results documents are larger than what the front
/// end serves from them (which is capped separately), hence the margin.
pub(crate) const MAX_RESPONSE_BYTES: usize = 256 << 20;

/// A remote SPARQL query endpoint. Cheap to clone.
#[derive(Clone)]
pub struct RemoteEndpoint {
    url: Arc<str>,
    client: reqwest::Client,
    timeout: Duration,
    runtime: tokio::runtime::Handle,
}

impl std::fmt::Debug for RemoteEndpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteEndpoint")
            .field("url", &self.url)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl RemoteEndpoint {
    /// An endpoint at `url` (its query URL: `http://host:7878/query` for Oxigraph), each request
    /// cut off after `timeout`. Must be called inside the runtime that will carry the requests
    /// (the server's, or a blocking task of it).
    pub fn new(url: &str, timeout: Duration) -> Result<Self, RemoteError> {
        let bad = |reason: &str| RemoteError::BadUrl {
            url: url.to_owned(),
            reason: reason.to_owned(),
        };
        let parsed = reqwest::Url::parse(url).map_err(|e| bad(&e.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(bad(&format!(
                "the scheme is {}: use http or https",
                parsed.scheme()
            )));
        }
        if parsed.host_str().is_none_or(str::is_empty) {
            return Err(bad("it has no host"));
        }
        let runtime = tokio::runtime::Handle::try_current()
            .map_err(|e| RemoteError::NoRuntime(e.to_string()))?;
        crate::support::http::install_tls_provider();
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .user_agent(concat!("reti/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| RemoteError::Unreachable {
                url: url.to_owned(),
                reason: crate::support::error_chain(&e),
            })?;
        Ok(Self {
            url: url.into(),
            client,
            timeout,
            runtime,
        })
    }

    /// The query URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The per-request timeout.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Runs `query` on the endpoint, with protocol `params` (`default-graph-uri`,
    /// `named-graph-uri`) beside it, and reads the whole answer. Blocking: call it from the
    /// blocking pool or a plain thread.
    pub fn query(
        &self,
        query: &str,
        form: Form,
        params: &[(&str, &str)],
    ) -> Result<QueryResults<'static>, RemoteError> {
        let (content_type, body) = self.post(query, form, params, None)?.ok_or_else(|| {
            RemoteError::NoRuntime("a query without a cancellation token was cancelled".into())
        })?;
        self.read(&content_type, body, form)
    }

    /// [`Self::query`], given up as soon as `cancel` is cancelled (a client gone, the server's
    /// query timeout): the request is dropped, which closes its connection, so the store can
    /// stop working on it too. `Ok(None)` when cancelled.
    pub(crate) fn query_until(
        &self,
        query: &str,
        form: Form,
        params: &[(&str, &str)],
        cancel: &CancellationToken,
    ) -> Result<Option<QueryResults<'static>>, RemoteError> {
        let Some((content_type, body)) = self.post(query, form, params, Some(cancel))? else {
            return Ok(None);
        };
        if cancel.is_cancelled() {
            return Ok(None);
        }
        self.read(&content_type, body, form).map(Some)
    }

    /// Sends the query and reads the raw answer: its media type and body. `None` when `cancel`
    /// was cancelled first.
    fn post(
        &self,
        query: &str,
        form: Form,
        params: &[(&str, &str)],
        cancel: Option<&CancellationToken>,
    ) -> Result<Option<(String, Vec<u8>)>, RemoteError> {
        let mut body = format!("query={}", utf8_percent_encode(query, FORM));
        for (k, v) in params {
            body.push_str(&format!("&{k}={}", utf8_percent_encode(v, FORM)));
        }
        let request = self
            .client
            .post(&*self.url)
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .header(reqwest::header::ACCEPT, form.accept())
            .body(body);
        let exchange = async move {
            let mut response = request.send().await?;
            let status = response.status();
            let content_type = response
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned();
            let limit = if status.is_success() {
                MAX_RESPONSE_BYTES
            } else {
                // an error body is only quoted
                4096
            };
            let mut bytes = Vec::new();
            let mut truncated = false;
            while let Some(chunk) = response.chunk().await? {
                if bytes.len() + chunk.len() > limit {
                    truncated = true;
                    break;
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok::<_, reqwest::Error>((status, content_type, bytes, truncated))
        };
        // spareval's token has no waker: it is polled, often enough to drop a request within
        // a few tens of milliseconds of the cancellation
        let cancelled = async move {
            match cancel {
                Some(token) => {
                    while !token.is_cancelled() {
                        tokio::time::sleep(CANCEL_POLL).await;
                    }
                }
                None => std::future::pending::<()>().await,
            }
        };
        let raced = self.block_on(async move {
            tokio::select! {
                answer = exchange => Some(answer),
                () = cancelled => None,
            }
        });
        let Some(answer) = raced else {
            return Ok(None);
        };
        let (status, content_type, bytes, truncated) =
            answer.map_err(|e| self.transport_error(&e))?;
        if !status.is_success() {
            let text = String::from_utf8_lossy(&bytes);
            let mut message: String = text.trim().chars().take(500).collect();
            if message.is_empty() {
                message = status.canonical_reason().unwrap_or("error").to_owned();
            }
            return Err(RemoteError::Status {
                url: self.url.to_string(),
                status: status.as_u16(),
                message,
            });
        }
        if truncated {
            return Err(RemoteError::TooLarge {
                url: self.url.to_string(),
                mib: MAX_RESPONSE_BYTES >> 20,
            });
        }
        Ok(Some((content_type, bytes)))
    }

    /// Runs a future on the server's runtime from synchronous code: the blocking pool or a
    /// plain thread. (On a worker of a multi-threaded runtime, the worker is first handed over
    /// to blocking work.)
    fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        match tokio::runtime::Handle::try_current().map(|h| h.runtime_flavor()) {
            Ok(tokio::runtime::RuntimeFlavor::MultiThread) => {
                tokio::task::block_in_place(|| self.runtime.block_on(future))
            }
            _ => self.runtime.block_on(future),
        }
    }

    fn transport_error(&self, e: &reqwest::Error) -> RemoteError {
        if e.is_timeout() {
            RemoteError::Timeout {
                url: self.url.to_string(),
                seconds: self.timeout.as_secs_f64(),
            }
        } else {
            RemoteError::Unreachable {
                url: self.url.to_string(),
                reason: crate::support::error_chain(e),
            }
        }
    }

    /// Parses a whole answer, so a malformed one is an error here rather than halfway through
    /// serving it.
    fn read(
        &self,
        content_type: &str,
        body: Vec<u8>,
        form: Form,
    ) -> Result<QueryResults<'static>, RemoteError> {
        let invalid = |reason: String| RemoteError::Invalid {
            url: self.url.to_string(),
            reason,
        };
        let media_type = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if form == Form::Graph {
            let format = RdfFormat::from_media_type(&media_type).ok_or_else(|| {
                invalid(format!(
                    "a graph was expected, the media type is `{content_type}`"
                ))
            })?;
            let mut triples = Vec::new();
            for quad in RdfParser::from_format(format).for_slice(&body) {
                let quad = quad.map_err(|e| invalid(e.to_string()))?;
                triples.push(Ok(oxigraph::model::Triple::from(quad)));
            }
            return Ok(QueryResults::Graph(QueryTripleIter::new(
                triples.into_iter(),
            )));
        }
        let format = match media_type.as_str() {
            "application/sparql-results+json" | "application/json" => QueryResultsFormat::Json,
            "application/sparql-results+xml" | "application/xml" | "text/xml" => {
                QueryResultsFormat::Xml
            }
            "text/tab-separated-values" => QueryResultsFormat::Tsv,
            _ => {
                return Err(invalid(format!(
                    "SPARQL results were expected, the media type is `{content_type}`"
                )));
            }
        };
        let parsed = QueryResultsParser::from_format(format)
            .for_reader(std::io::Cursor::new(body))
            .map_err(|e| invalid(e.to_string()))?;
        match parsed {
            ReaderQueryResultsParserOutput::Boolean(b) => Ok(QueryResults::Boolean(b)),
            ReaderQueryResultsParserOutput::Solutions(solutions) => {
                let variables: Arc<[oxigraph::sparql::Variable]> = solutions.variables().into();
                // Virtuoso answers an ASK in JSON as a table of one integer, `?__ASK_RETVAL`
                if let [only] = &*variables
                    && only.as_str() == "__ASK_RETVAL"
                {
                    let mut answer = false;
                    for solution in solutions {
                        let solution = solution.map_err(|e| invalid(e.to_string()))?;
                        if let Some(Term::Literal(l)) = solution.get(0) {
                            answer |= !matches!(l.value(), "0" | "false");
                        }
                    }
                    return Ok(QueryResults::Boolean(answer));
                }
                let mut rows = Vec::new();
                for solution in solutions {
                    let solution = solution.map_err(|e| invalid(e.to_string()))?;
                    rows.push(Ok::<_, QueryEvaluationError>(canonical_booleans(solution)));
                }
                Ok(QueryResults::Solutions(QuerySolutionIter::new(
                    variables, rows,
                )))
            }
        }
    }
}

/// How often a running request looks at its cancellation token.
const CANCEL_POLL: Duration = Duration::from_millis(20);

/// `"1"^^xsd:boolean` as `"true"^^xsd:boolean` (and `"0"` as `"false"`): the same values,
/// written as reti's own store writes them. Virtuoso answers every boolean in SPARQL results
/// as 1 or 0 (while its graph serialisations keep `true`), which would make a front end's
/// answers differ from the embedded server's byte for byte.
fn canonical_booleans(solution: QuerySolution) -> QuerySolution {
    let rewrite = solution.values().iter().any(|v| {
        matches!(v, Some(Term::Literal(l)) if l.datatype() == xsd::BOOLEAN && matches!(l.value(), "1" | "0"))
    });
    if !rewrite {
        return solution;
    }
    let variables: Arc<[Variable]> = solution.variables().into();
    let values: Vec<Option<Term>> = solution
        .values()
        .iter()
        .map(|v| match v {
            Some(Term::Literal(l)) if l.datatype() == xsd::BOOLEAN => match l.value() {
                "1" => Some(Literal::from(true).into()),
                "0" => Some(Literal::from(false).into()),
                _ => v.clone(),
            },
            _ => v.clone(),
        })
        .collect();
    QuerySolution::from((variables, values))
}
