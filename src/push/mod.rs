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
//! let payloads = push::payloads(published, BodyFormat::NTriples, false)?;
//! let mut target = Target::new("http://localhost:7878/store");
//! target.query = Some("http://localhost:7878/query".into());
//! let remote = StoreClient::new(target)?;
//! let report = push::publish(&remote, &payloads, true, &mut |line| eprintln!("{line}")).await?;
//! println!("{} graphs", report.graphs);
//! # Ok(()) }
//! ```

use crate::export::{self, ExportError, Format};
use crate::publication::Publication;
use crate::rdf::{CATALOG_GRAPH, MERGE_GRAPH};
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

mod client;
mod compare;

pub use client::{Auth, StoreClient, Target};
pub use compare::{Comparison, Difference, Rewrite, compare, rewrite};

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
pub(crate) async fn read_back_all(
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
    use super::client::*;
    use super::compare::*;
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
