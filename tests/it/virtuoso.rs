//! `reti publish` into OpenLink Virtuoso (Debian's `virtuoso-opensource`, 7.2) and a front end
//! over it, exactly as the README's recipe: graphs arrive intact (read back and compared
//! with the local ones), a second run changes nothing, `--default-graph` ends at once with
//! what to change, and the front end serves what the embedded server serves.

use crate::remote::{
    FrontEnd, assert_same_documents, assert_same_selects, assert_same_stored_queries,
};
use crate::serve::TestServer;
use oxigraph::io::{RdfFormat, RdfParser};
use oxrdf::Graph;
use oxrdf::dataset::CanonicalizationAlgorithm;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// `virtuoso-t` in the foreground, with its database in a temporary folder and its SQL and
/// HTTP servers on free loopback ports; killed on drop. A new database's `dba` password is
/// `dba`.
struct Virtuoso {
    child: Child,
    http: u16,
    dir: tempfile::TempDir,
}

impl Virtuoso {
    fn start() -> Self {
        let binary = "/usr/bin/virtuoso-t";
        assert!(
            Path::new(binary).exists(),
            "these tests need Virtuoso: apt-get install virtuoso-opensource (as .ci/run does)"
        );
        let dir = tempfile::tempdir().expect("temp dir");
        let (sql, http) = (crate::free_port(), crate::free_port());
        let d = dir.path().display();
        // the README's settings: ResultSetMaxRows above the largest answer the front end asks for
        let ini = format!(
            "[Database]\nDatabaseFile = {d}/virtuoso.db\nErrorLogFile = {d}/virtuoso.log\n\
             LockFile = {d}/virtuoso.lck\nTransactionFile = {d}/virtuoso.trx\n\
             xa_persistent_file = {d}/virtuoso.pxa\nStriping = 0\nTempStorage = TempDatabase\n\
             [TempDatabase]\nDatabaseFile = {d}/virtuoso-temp.db\nTransactionFile = {d}/virtuoso-temp.trx\n\
             [Parameters]\nServerPort = 127.0.0.1:{sql}\nDisableUnixSocket = 1\nCheckpointInterval = 0\n\
             DirsAllowed = ., {d}\nNumberOfBuffers = 10000\nMaxDirtyBuffers = 6000\n\
             [HTTPServer]\nServerPort = 127.0.0.1:{http}\nServerRoot = {d}\nServerThreads = 10\n\
             [SPARQL]\nResultSetMaxRows = 1000000\nMaxQueryExecutionTime = 60\n"
        );
        let config = dir.path().join("virtuoso.ini");
        std::fs::write(&config, ini).expect("write virtuoso.ini");
        let child = Command::new(binary)
            .arg("+foreground")
            .arg("+configfile")
            .arg(&config)
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn virtuoso-t");
        let mut server = Virtuoso { child, http, dir };
        let deadline = Instant::now() + Duration::from_secs(120);
        let probe = format!("{}?query=ASK%7B%7D", server.query());
        loop {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!(
                    "virtuoso-t exited with {status}: {}",
                    std::fs::read_to_string(server.dir.path().join("virtuoso.log"))
                        .unwrap_or_default()
                );
            }
            if crate::publish::http("GET", &probe, &[], Vec::new()).0 == 200 {
                return server;
            }
            assert!(
                Instant::now() < deadline,
                "virtuoso did not answer within 120 s"
            );
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    /// The SPARQL query endpoint.
    fn query(&self) -> String {
        format!("http://127.0.0.1:{}/sparql", self.http)
    }

    /// The Graph Store endpoint with Digest authentication.
    fn store(&self) -> String {
        format!("http://127.0.0.1:{}/sparql-graph-crud-auth", self.http)
    }
}

impl Drop for Virtuoso {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn publish(server: &Virtuoso, base: &str, extra: &[&str]) -> Output {
    crate::reti()
        .args(["publish", "--base", base, "--to", &server.store()])
        .args(["--user", "dba", "--password-env", "VIRTUOSO_PASSWORD"])
        .args(["--query-endpoint", &server.query()])
        .args(extra)
        .env("VIRTUOSO_PASSWORD", "dba")
        .output()
        .expect("reti publish")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn canonical(triples: impl IntoIterator<Item = oxrdf::Triple>) -> Graph {
    let mut g: Graph = triples.into_iter().collect();
    g.canonicalize(CanonicalizationAlgorithm::Unstable);
    g
}

#[test]
#[ignore = "needs virtuoso-opensource: apt-get install virtuoso-opensource"]
fn publishing_into_virtuoso_keeps_every_triple_and_a_front_end_serves_it_as_reti_does() {
    let server = Virtuoso::start();
    let local = TestServer::start();
    let base = local.url.clone();
    let published = local.state.current();
    let dataset = published.dataset.local().expect("local data");
    for round in 1..=2 {
        let out = publish(&server, &base, &[]);
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        assert_eq!(out.status.code(), Some(0), "round {round}: {stderr}");
        let graphs = dataset.graphs().expect("graphs").len() + 2;
        assert!(
            stdout.contains(&format!(
                "verified: the {graphs} graphs read back from {} hold the same triples as here (2 literals in another form of the same value: see the warnings)",
                server.store()
            )),
            "round {round}: {stdout}"
        );
        // the one rewrite: the catalog's two WKT literals, made Virtuoso geometries
        let warnings: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("warning:"))
            .collect();
        assert_eq!(warnings.len(), 1, "{stderr}");
        assert!(
            warnings[0].starts_with(&format!("warning: graph <{base}graph/catalog>: 2 literals stored in another form of the same value, a geo:wktLiteral stored as virtrdf:Geometry")),
            "{stderr}"
        );
        let status = if round == 1 { "201 Created" } else { "200 OK" };
        assert_eq!(
            stderr
                .lines()
                .filter(|l| l.contains("] PUT graph <") && l.ends_with(status))
                .count(),
            graphs,
            "round {round}: {stderr}"
        );
    }
    // independently of reti's own check: each graph of `reti export --format nq`, read back
    // from the query endpoint, is the local graph
    for graph in dataset.graphs().expect("graphs") {
        let url = reqwest::Url::parse_with_params(
            &server.query(),
            [(
                "query",
                format!(
                    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{}> {{ ?s ?p ?o }} }}",
                    graph.as_str()
                ),
            )],
        )
        .expect("url");
        let (status, body) = crate::publish::http(
            "GET",
            url.as_str(),
            &[("Accept", "application/n-triples")],
            Vec::new(),
        );
        assert_eq!(status, 200, "{}", text(&body));
        let there = canonical(
            RdfParser::from_format(RdfFormat::NTriples)
                .for_slice(&body)
                .map(|t| oxrdf::Triple::from(t.expect("n-triples"))),
        );
        let here = canonical(dataset.union_triples(Some(&graph)).expect("triples"));
        assert!(
            here == there,
            "graph <{}> differs on Virtuoso",
            graph.as_str()
        );
    }

    // --default-graph: Virtuoso's Graph Store has no default graph; one attempt, what to do
    let started = Instant::now();
    let out = publish(&server, &base, &["--default-graph"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(
            "?default (the default graph) answered 500 Internal Server Error after 1 attempt: "
        ) && stderr.contains("not configured to have default graph")
            && stderr
                .contains("hint: Virtuoso's Graph Store endpoint has no default graph of its own"),
        "{stderr}"
    );
    assert!(!stderr.contains("retrying"), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(30));

    // the front end over Virtuoso: reti's graphs only, and the embedded server's answers
    let remote = FrontEnd::start(&server.query(), &base, Duration::from_secs(30));
    assert_same_selects(&local, &remote);
    // one resource in four: each document is a few queries, and Virtuoso takes its time
    assert_same_documents(&local, &remote, 4);
    assert_same_stored_queries(&local, &remote);
}
