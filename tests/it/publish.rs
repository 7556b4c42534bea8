//! `reti publish`: against a real Oxigraph server (`pip install oxigraph`), and against fake
//! stores that fail, count wrong, change what they store, or ask for credentials.

use crate::serve::client;
use crate::{reti, root, shipped};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use oxigraph::io::{RdfFormat, RdfParser};
use oxrdf::dataset::CanonicalizationAlgorithm;
use oxrdf::{Graph, NamedNode};
use reti::publication::{BuildOptions, Publication};
use std::collections::BTreeMap;
use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::process::{Child, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------
// A real Oxigraph server
// ---------------------------------------------------------------------------------------------

/// `oxigraph serve` on a free port, killed on drop.
pub(crate) struct Oxigraph {
    child: Child,
    url: String,
}

impl Oxigraph {
    /// Starts a server on `location` (kept across restarts), on a free port.
    pub(crate) fn start(location: &Path) -> Self {
        // a free port may be taken between dropping the probe and the server binding it: retry
        for _ in 0..5 {
            let port = crate::free_port();
            let mut child = crate::oxigraph()
                .arg("serve")
                .arg("--location")
                .arg(location)
                .arg("--bind")
                .arg(format!("127.0.0.1:{port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn oxigraph");
            let url = format!("http://127.0.0.1:{port}/");
            let deadline = Instant::now() + Duration::from_secs(30);
            while Instant::now() < deadline {
                if child.try_wait().expect("try_wait").is_some() {
                    break;
                }
                if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
                    && http(
                        "GET",
                        &format!("{url}query?query=ASK%7B%7D"),
                        &[],
                        Vec::new(),
                    )
                    .0 == 200
                {
                    return Oxigraph { child, url };
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("oxigraph serve did not start on {}", location.display());
    }

    pub(crate) fn store(&self) -> String {
        format!("{}store", self.url)
    }

    pub(crate) fn query(&self) -> String {
        format!("{}query", self.url)
    }

    pub(crate) fn port(&self) -> u16 {
        self.url
            .trim_end_matches('/')
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("port")
    }

    pub(crate) fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Oxigraph {
    fn drop(&mut self) {
        self.kill();
    }
}

/// One request with a fresh runtime: status and body.
pub(crate) fn http(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> (u16, Vec<u8>) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut request = client().request(method, url).body(body);
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        match request.send().await {
            Ok(r) => {
                let status = r.status().as_u16();
                (
                    status,
                    r.bytes().await.map(|b| b.to_vec()).unwrap_or_default(),
                )
            }
            Err(_) => (0, Vec::new()),
        }
    })
}

/// Triples per named graph on a SPARQL endpoint.
fn remote_counts(query_endpoint: &str) -> BTreeMap<String, u64> {
    let url = reqwest::Url::parse_with_params(
        query_endpoint,
        [(
            "query",
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        )],
    )
    .expect("url");
    let (status, body) = http(
        "GET",
        url.as_str(),
        &[("Accept", "application/sparql-results+json")],
        Vec::new(),
    );
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let json: serde_json::Value = serde_json::from_slice(&body).expect("json");
    json["results"]["bindings"]
        .as_array()
        .expect("bindings")
        .iter()
        .map(|b| {
            (
                b["g"]["value"].as_str().expect("g").to_owned(),
                b["n"]["value"].as_str().expect("n").parse().expect("count"),
            )
        })
        .collect()
}

/// What `reti publish` builds from the shipped files (the catalog needs the whole build).
fn published() -> Publication {
    let mut options = BuildOptions::defaults(reti::rdf::Base::DEFAULT).expect("base");
    options.data = crate::data_dir();
    options.queries = root().join("queries");
    options.config = reti::config::Config::load(&root().join("reti.toml")).expect("reti.toml");
    Publication::build(&options).expect("build")
}

fn catalog_graph() -> NamedNode {
    NamedNode::new_unchecked(format!("{}graph/catalog", reti::rdf::Base::DEFAULT))
}

fn merge_graph() -> NamedNode {
    NamedNode::new_unchecked(format!("{}graph/merge", reti::rdf::Base::DEFAULT))
}

/// The local graphs as the target should hold them: every named graph, plus the catalog and
/// the merge.
fn local_counts(p: &Publication) -> BTreeMap<String, u64> {
    let mut counts: BTreeMap<String, u64> = shipped()
        .summary()
        .graphs
        .iter()
        .map(|(g, n)| (g.clone(), *n as u64))
        .collect();
    counts.insert(
        catalog_graph().as_str().to_owned(),
        p.catalog().catalog_graph().len() as u64,
    );
    counts.insert(
        merge_graph().as_str().to_owned(),
        shipped().summary().triples as u64,
    );
    counts
}

fn canonical(triples: impl IntoIterator<Item = oxrdf::Triple>) -> Graph {
    let mut g: Graph = triples.into_iter().collect();
    g.canonicalize(CanonicalizationAlgorithm::Unstable);
    g
}

/// Triples as an Oxigraph store keeps them: it stores a literal of a derived XSD datatype
/// (the catalog's `xsd:nonNegativeInteger` byte sizes) under its primitive one (`xsd:integer`).
fn as_oxigraph_stores(triples: Vec<oxrdf::Triple>) -> Vec<oxrdf::Triple> {
    let store = oxigraph::store::Store::new().expect("store");
    for t in triples {
        store
            .insert(&t.in_graph(oxrdf::GraphName::DefaultGraph))
            .expect("insert");
    }
    store
        .iter()
        .map(|q| oxrdf::Triple::from(q.expect("quad")))
        .collect()
}

/// Each graph on the target, fetched back with the Graph Store Protocol, is isomorphic to the
/// local one.
fn assert_graphs_isomorphic(server: &Oxigraph, p: &Publication) {
    let mut expected: Vec<(NamedNode, Vec<oxrdf::Triple>)> = shipped()
        .graphs()
        .expect("graphs")
        .into_iter()
        .map(|g| {
            let triples = shipped().union_triples(Some(&g)).expect("triples");
            (g, triples)
        })
        .collect();
    expected.push((catalog_graph(), p.catalog().catalog_graph()));
    expected.push((merge_graph(), shipped().union_triples(None).expect("merge")));
    for (graph, triples) in expected {
        let url = reqwest::Url::parse_with_params(&server.store(), [("graph", graph.as_str())])
            .expect("url");
        let (status, body) = http(
            "GET",
            url.as_str(),
            &[("Accept", "application/n-triples")],
            Vec::new(),
        );
        assert_eq!(status, 200, "GET {url}");
        let remote: Vec<oxrdf::Triple> = RdfParser::from_format(RdfFormat::NTriples)
            .for_slice(&body)
            .map(|q| oxrdf::Triple::from(q.expect("n-triples")))
            .collect();
        let (remote, local) = (canonical(remote), canonical(as_oxigraph_stores(triples)));
        if remote != local {
            let show = |a: &Graph, b: &Graph| {
                a.iter()
                    .filter(|t| !b.contains(*t))
                    .take(5)
                    .map(|t| t.to_string())
                    .collect::<Vec<_>>()
            };
            panic!(
                "graph <{}> on the target is not the local graph\nonly there: {:#?}\nonly here: {:#?}",
                graph.as_str(),
                show(&remote, &local),
                show(&local, &remote)
            );
        }
    }
}

fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = reti();
    cmd.arg("publish").args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run reti publish")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `{store}?graph={IRI}` as reti sends it.
fn put_url(store: &str, graph: &str) -> String {
    reqwest::Url::parse_with_params(store, [("graph", graph)])
        .expect("url")
        .to_string()
}

#[test]
#[ignore = "needs the oxigraph server: pip install oxigraph==0.5.13"]
fn publishing_to_oxigraph_keeps_every_graph_and_a_second_run_changes_nothing() {
    let location = tempfile::tempdir().expect("tempdir");
    let server = Oxigraph::start(location.path());
    let p = published();
    let expected = local_counts(&p);
    assert_eq!(
        expected.len(),
        shipped().graphs().expect("graphs").len() + 2
    );
    for round in 1..=2 {
        let out = run(
            &["--to", &server.store(), "--query-endpoint", &server.query()],
            &[],
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "round {round}: {}",
            text(&out.stderr)
        );
        assert_eq!(remote_counts(&server.query()), expected, "round {round}");
        let stdout = text(&out.stdout);
        assert!(
            stdout.contains(&format!(
                "published {} graphs ({} triples) to {}",
                expected.len(),
                expected.values().sum::<u64>(),
                server.store()
            )),
            "{stdout}"
        );
        assert!(
            stdout.contains(&format!(
                "verified: the {} graphs read back from {} hold the same triples as here (",
                expected.len(),
                server.store()
            )),
            "{stdout}"
        );
        assert!(
            stdout.contains(&format!(
                "counted: the {} named graphs hold as many triples at {}",
                expected.len(),
                server.query()
            )),
            "{stdout}"
        );
        // Oxigraph keeps the catalog's byte sizes (xsd:nonNegativeInteger) as xsd:integer:
        // named, and only a warning
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains(&format!("warning: graph <{}>: ", catalog_graph().as_str()))
                && stderr.contains(
                    "an integer of a derived datatype stored as xsd:integer (as Oxigraph does)"
                ),
            "{stderr}"
        );
        // every PUT shows in the progress: created on the first run, replaced on the second
        let status = if round == 1 {
            "201 Created"
        } else {
            "204 No Content"
        };
        let stderr = text(&out.stderr);
        for graph in expected.keys() {
            let line = stderr
                .lines()
                .find(|l| l.contains(&format!("] PUT graph <{graph}> (")))
                .unwrap_or_else(|| panic!("no progress line for {graph} in\n{stderr}"));
            assert!(line.ends_with(status), "{line}");
        }
    }
    // no blank nodes anywhere: the counts above can only stay equal because PUT replaces
    let (_, body) = http(
        "GET",
        reqwest::Url::parse_with_params(
            &server.query(),
            [(
                "query",
                "ASK { GRAPH ?g { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) } }",
            )],
        )
        .expect("url")
        .as_str(),
        &[("Accept", "application/sparql-results+json")],
        Vec::new(),
    );
    assert!(text(&body).contains("false"), "{}", text(&body));
    // the default graph was not sent
    assert_eq!(
        count_default_graph(&server),
        0,
        "the default graph should stay empty"
    );
    assert_graphs_isomorphic(&server, &p);
}

fn count_default_graph(server: &Oxigraph) -> u64 {
    let url = reqwest::Url::parse_with_params(
        &server.query(),
        [("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")],
    )
    .expect("url");
    let (_, body) = http(
        "GET",
        url.as_str(),
        &[("Accept", "application/sparql-results+json")],
        Vec::new(),
    );
    let json: serde_json::Value = serde_json::from_slice(&body).expect("json");
    json["results"]["bindings"][0]["n"]["value"]
        .as_str()
        .expect("n")
        .parse()
        .expect("count")
}

#[test]
#[ignore = "needs the oxigraph server: pip install oxigraph==0.5.13"]
fn the_default_graph_is_sent_only_when_asked() {
    let location = tempfile::tempdir().expect("tempdir");
    let server = Oxigraph::start(location.path());
    let out = run(
        &[
            "--to",
            &server.store(),
            "--query-endpoint",
            &server.query(),
            "--default-graph",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        count_default_graph(&server),
        shipped().summary().triples as u64
    );
    assert!(text(&out.stderr).contains("PUT the default graph ("));
    assert_eq!(remote_counts(&server.query()), local_counts(&published()));
}

#[test]
#[ignore = "needs the oxigraph server: pip install oxigraph==0.5.13"]
fn a_store_stopped_mid_publish_fails_naming_the_graph_and_a_rerun_completes() {
    let location = tempfile::tempdir().expect("tempdir");
    let upstream = Arc::new(Mutex::new(Some(Oxigraph::start(location.path()))));
    let upstream_store = upstream.lock().expect("lock").as_ref().expect("up").store();
    // a reverse proxy in front of the store, which stops the store once the first PUT is
    // through; then it answers 502, as a real gateway would
    let proxy = Fake::start({
        let upstream = Arc::clone(&upstream);
        move |seen, n| {
            if n == 1 {
                drop(upstream.lock().expect("lock").take());
            }
            let target = format!(
                "{upstream_store}?{}",
                seen.target.split_once('?').map_or("", |(_, q)| q)
            );
            let content_type = seen.header("content-type");
            async move {
                let response = client()
                    .put(&target)
                    .header("content-type", content_type)
                    .body(seen.body)
                    .send()
                    .await;
                match response {
                    Ok(r) => Reply::new(r.status().as_u16(), ""),
                    Err(_) => Reply::new(502, "upstream store unavailable"),
                }
            }
        }
    });
    let graphs = shipped().graphs().expect("graphs");
    let proxied_store = format!("{}store", proxy.url);
    let out = run(
        &["--to", &proxied_store, "--retries", "1", "--no-verify"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    let second = graphs[1].as_str();
    assert!(
        stderr.contains(&format!(
            "error: PUT {} (graph <{second}>) answered 502 Bad Gateway after 2 attempts: upstream store unavailable",
            put_url(&proxied_store, second)
        )),
        "{stderr}"
    );
    assert!(stderr.contains("hint: the store kept failing"), "{stderr}");
    assert_eq!(proxy.seen().len(), 3, "one PUT through, then two refused");
    // restarted on the same location, the store holds the first graph only; a rerun completes
    let server = Oxigraph::start(location.path());
    assert_eq!(
        remote_counts(&server.query())
            .keys()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        vec![graphs[0].as_str()]
    );
    let out = run(
        &["--to", &server.store(), "--query-endpoint", &server.query()],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("verified: "));
    assert_eq!(remote_counts(&server.query()), local_counts(&published()));
}

#[test]
fn an_unreachable_store_fails_after_the_retries_naming_the_graph_and_url() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let store = format!("http://127.0.0.1:{port}/store");
    let out = run(&["--to", &store, "--retries", "2"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    let first = shipped().graphs().expect("graphs")[0].as_str().to_owned();
    assert!(
        stderr.contains(&format!(
            "error: PUT {} (graph <{first}>) got no answer after 3 attempts: ",
            put_url(&store, &first)
        )),
        "{stderr}"
    );
    assert!(stderr.contains("Connection refused"), "{stderr}");
    assert_eq!(stderr.matches("retrying in").count(), 2, "{stderr}");
}

// ---------------------------------------------------------------------------------------------
// Fake stores
// ---------------------------------------------------------------------------------------------

/// A request a fake store received.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    /// Path and query.
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> String {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The decoded value of a query parameter.
    fn param(&self, name: &str) -> Option<String> {
        let url = reqwest::Url::parse(&format!("http://x{}", self.target)).ok()?;
        url.query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }
}

/// A fake store's answer.
struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
}

impl Reply {
    fn new(status: u16, body: &str) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: body.to_owned(),
        }
    }

    fn with(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_owned()));
        self
    }
}

type Script = dyn Fn(Seen, usize) -> Pin<Box<dyn Future<Output = Reply> + Send>> + Send + Sync;

#[derive(Clone)]
struct FakeState {
    seen: Arc<Mutex<Vec<Seen>>>,
    script: Arc<Script>,
}

/// A store that records every request and answers as `script` says (given the request and
/// its index).
struct Fake {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    _runtime: tokio::runtime::Runtime,
}

impl Fake {
    fn start<F, Fut>(script: F) -> Self
    where
        F: Fn(Seen, usize) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Reply> + Send + 'static,
    {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind");
        let url = format!("http://{}/", listener.local_addr().expect("address"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let state = FakeState {
            seen: Arc::clone(&seen),
            script: Arc::new(move |s, n| Box::pin(script(s, n))),
        };
        let app = axum::Router::new().fallback(answer).with_state(state);
        runtime.spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Fake {
            url,
            seen,
            _runtime: runtime,
        }
    }

    /// A store that answers every request with `status`.
    fn always(status: u16) -> Self {
        Self::start(move |_, _| async move { Reply::new(status, "") })
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("lock").clone()
    }

    fn store(&self) -> String {
        format!("{}store", self.url)
    }
}

async fn answer(State(state): State<FakeState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX)
        .await
        .map(|b| b.to_vec())
        .unwrap_or_default();
    let seen = Seen {
        method: parts.method.to_string(),
        target: parts
            .uri
            .path_and_query()
            .map_or_else(String::new, |p| p.to_string()),
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| (k.to_string(), String::from_utf8_lossy(v.as_bytes()).into()))
            .collect(),
        body,
    };
    let n = {
        let mut all = state.seen.lock().expect("lock");
        all.push(seen.clone());
        all.len() - 1
    };
    let reply = (state.script)(seen, n).await;
    let mut response = Response::builder().status(reply.status);
    for (k, v) in reply.headers {
        response = response.header(k, v);
    }
    response.body(Body::from(reply.body)).expect("response")
}

#[test]
fn server_errors_are_retried_with_backoff_and_client_errors_are_not() {
    let fake = Fake::start(|_, n| async move {
        if n < 2 {
            Reply::new(503, "busy")
        } else {
            Reply::new(204, "")
        }
    });
    let started = Instant::now();
    let out = run(&["--to", &fake.store(), "--no-verify"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let graphs = shipped().graphs().expect("graphs").len() + 2;
    let seen = fake.seen();
    assert_eq!(seen.len(), graphs + 2);
    // the first graph was tried three times, with 0.5 s then 1 s between
    assert!(seen[..3].iter().all(|s| s.target == seen[0].target));
    assert_ne!(seen[3].target, seen[0].target);
    assert!(started.elapsed() >= Duration::from_millis(1500));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("503 Service Unavailable; retrying in 0.5 s (1 of 4 retries)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("retrying in 1.0 s (2 of 4 retries)"),
        "{stderr}"
    );
    assert!(
        stderr.contains(": 204 No Content after 3 attempts"),
        "{stderr}"
    );
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("not verified: the graphs were not read back (--no-verify)"),
        "{stdout}"
    );
    assert!(!seen.iter().any(|s| s.method != "PUT"));

    let fake =
        Fake::start(|_, _| async { Reply::new(400, "Parse error on line 3: unexpected '.'\n") });
    let out = run(&["--to", &fake.store()], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(fake.seen().len(), 1, "a 400 is not retried");
    let first = shipped().graphs().expect("graphs")[0].as_str().to_owned();
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "error: PUT {} (graph <{first}>) answered 400 Bad Request after 1 attempt: Parse error on line 3: unexpected '.'\n  hint: the store could not take the graph",
            put_url(&fake.store(), &first)
        )),
        "{stderr}"
    );
}

/// A store that takes every PUT and counts what each graph received on `/query`, answering
/// `adjust(graph, count)`.
fn counting_store(adjust: fn(&str, u64) -> u64) -> Fake {
    let counts: Arc<Mutex<BTreeMap<String, u64>>> = Arc::default();
    Fake::start(move |seen, _| {
        let counts = Arc::clone(&counts);
        async move {
            if seen.method == "PUT" {
                let graph = seen.param("graph").expect("?graph=");
                assert_eq!(seen.header("content-type"), "application/n-triples");
                let n = RdfParser::from_format(RdfFormat::NTriples)
                    .for_slice(&seen.body)
                    .count() as u64;
                counts.lock().expect("lock").insert(graph, n);
                return Reply::new(204, "");
            }
            let query = seen.param("query").expect("?query=");
            let graph = query
                .split_once("GRAPH <")
                .and_then(|(_, rest)| rest.split_once('>'))
                .map(|(g, _)| g.to_owned())
                .expect("GRAPH <g>");
            let n = counts
                .lock()
                .expect("lock")
                .get(&graph)
                .copied()
                .unwrap_or(0);
            let json = format!(
                r#"{{"head":{{"vars":["n"]}},"results":{{"bindings":[{{"n":{{"type":"literal","datatype":"http://www.w3.org/2001/XMLSchema#integer","value":"{}"}}}}]}}}}"#,
                adjust(&graph, n)
            );
            Reply::new(200, &json).with("content-type", "application/sparql-results+json")
        }
    })
}

#[test]
fn a_wrong_count_on_the_target_fails_naming_the_graph() {
    let fake = counting_store(|graph, n| {
        if graph.ends_with("/graph/ontology") {
            n - 1
        } else {
            n
        }
    });
    let query = format!("{}query", fake.url);
    let out = run(
        &[
            "--to",
            &fake.store(),
            "--query-endpoint",
            &query,
            "--no-verify",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let ontology = shipped().base().graph("ontology");
    let n = shipped().summary().graphs[ontology.as_str()];
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "error: 1 graph on the target differs from the local data (counted at {query}):\n  <{}>: {n} triples here, {} on the target\n  hint: run reti publish again",
            ontology.as_str(),
            n - 1
        )),
        "{stderr}"
    );
    // every graph was counted, with the query the task names
    let queries: Vec<String> = fake
        .seen()
        .iter()
        .filter(|s| s.method == "GET")
        .map(|s| s.param("query").expect("query"))
        .collect();
    assert_eq!(queries.len(), local_counts(&published()).len());
    assert!(queries.contains(&format!(
        "SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{}> {{ ?s ?p ?o }} }}",
        catalog_graph().as_str()
    )));

    // the same store counting right: verified
    let fake = counting_store(|_, n| n);
    let query = format!("{}query", fake.url);
    let out = run(
        &[
            "--to",
            &fake.store(),
            "--query-endpoint",
            &query,
            "--no-verify",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn a_dry_run_sends_nothing_and_lists_every_graph() {
    let fake = Fake::always(204);
    let out = run(&["--to", &fake.store(), "--dry-run", "--format", "nt"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(fake.seen().len(), 0);
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    let p = published();
    let expected = local_counts(&p);
    assert_eq!(
        lines[0],
        format!("dry run: {} requests, none sent", expected.len())
    );
    assert_eq!(lines.len(), expected.len() + 1);
    let payloads =
        reti::push::payloads(&p, reti::push::BodyFormat::NTriples, false).expect("payloads");
    for (graph, n) in &expected {
        let bytes = payloads
            .iter()
            .find(|x| x.graph.as_ref().map(|g| g.as_str()) == Some(graph.as_str()))
            .expect("payload")
            .body
            .len();
        let line = format!(
            "PUT {}  application/n-triples  {n} triples  {bytes} bytes  (graph <{graph}>)",
            put_url(&fake.store(), graph)
        );
        assert!(lines.contains(&line.as_str()), "{line} not in\n{stdout}");
    }
}

#[test]
fn basic_auth_is_sent_once_the_store_asks_and_a_wrong_password_is_named() {
    let fake = Fake::start(|seen, _| async move {
        match seen.header("authorization").as_str() {
            // u:secret
            "Basic dTpzZWNyZXQ=" => Reply::new(204, ""),
            _ => Reply::new(401, "login").with("www-authenticate", "Basic realm=\"store\""),
        }
    });
    let out = run(
        &[
            "--to",
            &fake.store(),
            "--no-verify",
            "--user",
            "u",
            "--password-env",
            "RETI_TEST_PASSWORD",
        ],
        &[("RETI_TEST_PASSWORD", "secret")],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let seen = fake.seen();
    let graphs = local_counts(&published()).len();
    // one unauthenticated probe, then every PUT with the credentials
    assert_eq!(seen.len(), graphs + 1);
    assert_eq!(seen[0].header("authorization"), "");
    assert!(
        seen[1..]
            .iter()
            .all(|s| s.header("authorization") == "Basic dTpzZWNyZXQ=")
    );

    let out = run(
        &[
            "--to",
            &fake.store(),
            "--no-verify",
            "--user",
            "u",
            "--password",
            "wrong",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("answered 401 Unauthorized after 1 attempt: login"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: the store refused the credentials: check --user and --password"),
        "{stderr}"
    );

    // without credentials, the hint says which options give them
    let out = run(&["--to", &fake.store()], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("hint: the store asks for credentials: give --user"));
}

#[test]
fn a_bearer_token_comes_from_the_environment_never_the_command_line() {
    let fake = Fake::start(|seen, _| async move {
        if seen.header("authorization") == "Bearer tok-123" {
            Reply::new(204, "")
        } else {
            Reply::new(401, "bad token")
        }
    });
    let out = run(
        &[
            "--to",
            &fake.store(),
            "--no-verify",
            "--token-env",
            "RETI_TEST_TOKEN",
        ],
        &[("RETI_TEST_TOKEN", "tok-123")],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let seen = fake.seen();
    assert_eq!(seen.len(), local_counts(&published()).len());
    assert!(
        seen.iter()
            .all(|s| s.header("authorization") == "Bearer tok-123")
    );

    // an unset variable is a usage error, before anything is built or sent
    let out = run(
        &[
            "--to",
            &fake.store(),
            "--no-verify",
            "--token-env",
            "RETI_TEST_UNSET_TOKEN",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("the environment variable RETI_TEST_UNSET_TOKEN is not set"),
        "{}",
        text(&out.stderr)
    );
    let out = run(
        &[
            "--to",
            &fake.store(),
            "--no-verify",
            "--token-env",
            "RETI_TEST_TOKEN",
        ],
        &[("RETI_TEST_TOKEN", "nope")],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("hint: the store refused the token"));
    assert_eq!(fake.seen().len(), seen.len() + 1);
}

#[test]
fn digest_auth_answers_the_challenge_and_never_sends_the_password() {
    const CHALLENGE: &str = r#"Digest realm="virtuoso", nonce="6c1a2b3c4d", opaque="5ccc069c403ebaf9", qop="auth", algorithm="MD5""#;
    let fake = Fake::start(|seen, _| async move {
        let header = seen.header("authorization");
        let valid = header.starts_with("Digest ")
            && digest_auth::AuthorizationHeader::parse(&header).is_ok_and(|sent| {
                // the server side: recompute the response from the known password
                let mut expected = sent.clone();
                let context = digest_auth::AuthContext::new_with_method(
                    "dba",
                    "s3cret",
                    seen.target.as_str(),
                    Option::<&[u8]>::None,
                    digest_auth::HttpMethod::PUT,
                );
                expected.digest(&context);
                sent.uri == seen.target
                    && sent.username == "dba"
                    && sent.nonce == "6c1a2b3c4d"
                    && sent.response == expected.response
            });
        if valid {
            Reply::new(201, "")
        } else {
            Reply::new(401, "").with("www-authenticate", CHALLENGE)
        }
    });
    let out = run(
        &[
            "--to",
            &fake.store(),
            "--no-verify",
            "--user",
            "dba",
            "--password-env",
            "RETI_TEST_PASSWORD",
        ],
        &[("RETI_TEST_PASSWORD", "s3cret")],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let seen = fake.seen();
    assert_eq!(seen.len(), local_counts(&published()).len() + 1);
    assert!(
        seen.iter()
            .all(|s| !s.header("authorization").starts_with("Basic"))
    );
    assert!(
        seen[1..]
            .iter()
            .all(|s| s.header("authorization").starts_with("Digest "))
    );
    // the nonce count goes up with each request on the same nonce
    assert!(seen[2].header("authorization").contains("nc=00000002"));

    let out = run(
        &[
            "--to",
            &fake.store(),
            "--no-verify",
            "--user",
            "dba",
            "--password-env",
            "RETI_TEST_PASSWORD",
        ],
        &[("RETI_TEST_PASSWORD", "wrong")],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("check --user and --password"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn bad_options_are_usage_errors() {
    for (args, message) in [
        (
            vec!["--to", "ftp://example.org/store"],
            "--to `ftp://example.org/store` is not a usable URL: only http and https are supported",
        ),
        (
            vec!["--to", "http://u:p@example.org/store"],
            "put credentials in --user and --password-env, not in the URL",
        ),
        (
            vec!["--to", "http://example.org/store", "--user", "u"],
            "--user needs --password-env VAR (or --password)",
        ),
        (
            vec!["--to", "http://example.org/store", "--timeout", "0"],
            "--timeout must be a positive number of seconds",
        ),
    ] {
        let out = run(&args, &[]);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(text(&out.stderr).contains(message), "{}", text(&out.stderr));
    }
}

#[test]
fn a_request_slower_than_the_timeout_fails_and_is_retried() {
    let fake = Fake::start(|_, _| async {
        tokio::time::sleep(Duration::from_secs(5)).await;
        Reply::new(204, "")
    });
    let started = Instant::now();
    let out = run(
        &["--to", &fake.store(), "--timeout", "0.3", "--retries", "1"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(started.elapsed() < Duration::from_secs(4));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("got no answer after 2 attempts: "),
        "{stderr}"
    );
    assert!(stderr.contains("timed out"), "{stderr}");
    assert_eq!(fake.seen().len(), 2);
}

/// A store that keeps what each PUT sent and answers a GET of that graph with it, changed by
/// `change`.
fn keeping_store(change: fn(&str) -> String) -> Fake {
    let graphs: Arc<Mutex<BTreeMap<String, Vec<u8>>>> = Arc::default();
    Fake::start(move |seen, _| {
        let graphs = Arc::clone(&graphs);
        async move {
            let graph = seen.param("graph").unwrap_or_default();
            match seen.method.as_str() {
                "PUT" => {
                    graphs.lock().expect("lock").insert(graph, seen.body);
                    Reply::new(204, "")
                }
                _ => match graphs.lock().expect("lock").get(&graph) {
                    Some(body) => Reply::new(200, &change(&String::from_utf8_lossy(body)))
                        .with("content-type", "application/n-triples"),
                    None => Reply::new(404, "no such graph"),
                },
            }
        }
    })
}

const BOOLEAN_TRUE: &str = "\"true\"^^<http://www.w3.org/2001/XMLSchema#boolean>";

#[test]
fn every_graph_is_read_back_and_compared_triple_by_triple() {
    // a store that keeps everything as sent: verified, by content
    let fake = keeping_store(str::to_owned);
    let out = run(&["--to", &fake.store()], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let graphs = local_counts(&published()).len();
    assert_eq!(
        text(&out.stdout).lines().nth(1),
        Some(
            format!(
                "verified: the {graphs} graphs read back from {} hold the same triples as here",
                fake.store()
            )
            .as_str()
        )
    );
    let seen = fake.seen();
    assert_eq!(seen.len(), 2 * graphs, "one PUT and one GET per graph");
    assert!(
        seen[graphs..]
            .iter()
            .all(|s| s.method == "GET" && s.header("accept").starts_with("application/n-triples"))
    );

    // booleans kept as 1 (as Virtuoso does in results): the same values, a named warning
    let fake = keeping_store(|body| {
        body.replace(
            BOOLEAN_TRUE,
            "\"1\"^^<http://www.w3.org/2001/XMLSchema#boolean>",
        )
    });
    let out = run(&["--to", &fake.store()], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "warning: graph <{}>: 3 literals stored in another form of the same value, xsd:boolean written as 1 or 0 (as Virtuoso does): e.g. {BOOLEAN_TRUE} is \"1\"^^<http://www.w3.org/2001/XMLSchema#boolean> on the store",
            merge_graph().as_str()
        )),
        "{stderr}"
    );
    assert!(
        text(&out.stdout).contains(" hold the same triples as here (6 literals in another form of the same value: see the warnings)"),
        "{}",
        text(&out.stdout)
    );

    // IRIs damaged as Virtuoso's Turtle parser does with `\#`: exit 1, the differences listed
    // (an IRI with a backslash in it, escaped as N-Triples allows)
    let fake = keeping_store(|body| body.replace("#start>", "\\u005C#start>"));
    let out = run(&["--to", &fake.store()], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "error: 2 graphs read back from {1} differ from the local data:\n  graph <{0}graph/uccn-designations>: 24 triples here not on the store, 24 on the store not here; the first 10:\n    here:  <{0}id/membership/uccn-alba#during> <http://www.w3.org/2006/time#hasBeginning> <{0}id/membership/uccn-alba#start> .\n    there: <{0}id/membership/uccn-alba#during> <http://www.w3.org/2006/time#hasBeginning> <{0}id/membership/uccn-alba\\#start> .\n    here:  <{0}id/membership/uccn-alba#start> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/2006/time#Instant> .",
            reti::rdf::Base::DEFAULT,
            fake.store()
        )),
        "{stderr}"
    );
    assert!(stderr.contains("hint: the store changed or dropped these triples: if they were sent as Turtle (--format ttl), send N-Triples"), "{stderr}");
    assert!(
        !text(&out.stdout).contains("verified"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn only_answers_that_say_later_are_retried() {
    // Virtuoso's answer to `PUT …?default`: permanent, ended at once with what to change
    let fake = Fake::start(|seen, _| async move {
        if seen.param("graph").is_none() {
            Reply::new(
                500,
                "<h3>Error 22023</h3><xmp>The request to SPARQL 1.1 Graph Store endpoint contains \"default\" param but the endpoint is not configured to have default graph</xmp>",
            )
        } else {
            Reply::new(204, "")
        }
    });
    let started = Instant::now();
    let out = run(
        &["--to", &fake.store(), "--default-graph", "--no-verify"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        started.elapsed() < Duration::from_millis(400 + 5000),
        "no backoff"
    );
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "error: PUT {}?default (the default graph) answered 500 Internal Server Error after 1 attempt: <h3>Error 22023</h3><xmp>The request to SPARQL 1.1 Graph Store endpoint contains \"default\" param but the endpoint is not configured to have default graph</xmp>\n  hint: Virtuoso's Graph Store endpoint has no default graph of its own",
            fake.store()
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("retrying"), "{stderr}");
    let graphs = local_counts(&published()).len();
    assert_eq!(fake.seen().len(), graphs + 1, "the default graph once");

    // 500 and 501 without a known message: once, each
    for (status, reason) in [(500, "Internal Server Error"), (501, "Not Implemented")] {
        let fake = Fake::start(move |_, _| async move { Reply::new(status, "no") });
        let out = run(&["--to", &fake.store()], &[]);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            text(&out.stderr).contains(&format!("answered {status} {reason} after 1 attempt: no")),
            "{}",
            text(&out.stderr)
        );
        assert_eq!(fake.seen().len(), 1, "{status} is not retried");
    }

    // 429, 502 and 504 are, with Retry-After honoured
    for status in [429, 502, 504] {
        let fake = Fake::start(move |_, n| async move {
            if n == 0 {
                Reply::new(status, "later").with("retry-after", "0")
            } else {
                Reply::new(204, "")
            }
        });
        let out = run(&["--to", &fake.store(), "--no-verify"], &[]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert!(
            text(&out.stderr).contains(" after 2 attempts"),
            "{}",
            text(&out.stderr)
        );
        assert_eq!(fake.seen().len(), graphs + 1);
    }
}
