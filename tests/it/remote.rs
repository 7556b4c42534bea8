//! `reti serve --sparql-endpoint`: a front end over a real Oxigraph server (the `oxigraph`
//! binary, `pip install oxigraph`) that `reti publish` filled answers as the embedded store
//! does; a store that is down, hangs or fails gives 502 or 504, never a 500; a query whose
//! token is cancelled is dropped at once.

use crate::serve::{TestServer, client, get, header};
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfParser};
use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput,
};
use oxrdf::Graph;
use oxrdf::dataset::CanonicalizationAlgorithm;
use reti::publication::{BuildOptions, Publication, PublicationError, RemoteOptions};
use reti::query::Sparql;
use reti::server::{AppState, Settings};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// An Oxigraph server holding the shipped data under `base`, put there as the README says:
/// `oxigraph serve`, then `reti publish --base BASE --to …/store`. Killed on drop.
pub(crate) struct Store {
    server: crate::publish::Oxigraph,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Store {
    fn start(base: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let server = crate::publish::Oxigraph::start(&dir.path().join("db"));
        let out = crate::reti()
            .args(["publish", "--base", base, "--to", &server.store()])
            .output()
            .expect("reti publish");
        assert!(
            out.status.success(),
            "reti publish into oxigraph failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let port = server.port();
        Store {
            server,
            port,
            _dir: dir,
        }
    }

    /// The query URL.
    fn url(&self) -> String {
        self.server.query()
    }

    fn kill(&mut self) {
        self.server.kill();
    }
}

/// A reti front end of a remote store, served on 127.0.0.1 like [`TestServer`].
pub(crate) struct FrontEnd {
    url: String,
    state: Arc<AppState>,
    options: BuildOptions,
    runtime: tokio::runtime::Runtime,
}

impl FrontEnd {
    pub(crate) fn try_start(
        endpoint: &str,
        base: &str,
        timeout: Duration,
    ) -> Result<Self, PublicationError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind");
        let url = format!("http://{}/", listener.local_addr().expect("address"));
        let mut options = BuildOptions::defaults(base).expect("base");
        options.queries = crate::root().join("queries");
        options.data = std::path::PathBuf::from("/nonexistent: the data is remote");
        options.remote = Some(RemoteOptions {
            endpoint: endpoint.to_owned(),
            timeout,
        });
        let build = options.clone();
        let published = runtime
            .block_on(runtime.spawn_blocking(move || Publication::build(&build)))
            .expect("build task")?;
        let state = AppState::new(published, Settings::default());
        let app = reti::server::app(Arc::clone(&state));
        runtime.spawn(async move {
            let _ = reti::server::listen::serve(listener, app, std::future::pending()).await;
        });
        Ok(FrontEnd {
            url,
            state,
            options,
            runtime,
        })
    }

    pub(crate) fn start(endpoint: &str, base: &str, timeout: Duration) -> Self {
        Self::try_start(endpoint, base, timeout)
            .unwrap_or_else(|e| panic!("the front end does not start: {e}"))
    }

    pub(crate) fn at(&self, path: &str) -> String {
        format!("{}{}", self.url, path.trim_start_matches('/'))
    }
}

/// The embedded-store server, a store holding the same data under its base, and a front end
/// of that store.
fn setup(timeout: Duration) -> (TestServer, Store, FrontEnd) {
    let local = TestServer::start();
    let store = Store::start(&local.url);
    let remote = FrontEnd::start(&store.url(), &local.url, timeout);
    (local, store, remote)
}

/// Status, content type and body.
pub(crate) type Answer = (u16, String, Vec<u8>);

/// GETs `path` from the embedded server and from the front end.
pub(crate) fn both(
    local: &TestServer,
    remote: &FrontEnd,
    path: &str,
    headers: &[(&str, &str)],
) -> (Answer, Answer) {
    local.block_on(async {
        let (ls, lh, lb) = get(&local.at(path), headers).await;
        let (rs, rh, rb) = get(&remote.at(path), headers).await;
        (
            (ls, header(&lh, "content-type"), lb),
            (rs, header(&rh, "content-type"), rb),
        )
    })
}

pub(crate) fn graph(body: &[u8], format: RdfFormat, what: &str) -> Graph {
    let mut g = RdfParser::from_format(format)
        .for_slice(body)
        .map(|q| q.map(oxrdf::Triple::from))
        .collect::<Result<Graph, _>>()
        .unwrap_or_else(|e| panic!("{what} does not parse: {e}"));
    g.canonicalize(CanonicalizationAlgorithm::Unstable);
    g
}

pub(crate) const JSON_LD: RdfFormat = RdfFormat::JsonLd {
    profile: JsonLdProfileSet::empty(),
};

/// Solutions of a SPARQL JSON results document, each as its values in variable order; or the
/// boolean of an ASK as one row.
pub(crate) fn solutions(body: &[u8], what: &str) -> Vec<Vec<Option<Term>>> {
    match QueryResultsParser::from_format(QueryResultsFormat::Json)
        .for_reader(body)
        .unwrap_or_else(|e| panic!("{what}: not SPARQL JSON: {e}"))
    {
        ReaderQueryResultsParserOutput::Boolean(b) => {
            vec![vec![Some(oxigraph::model::Literal::from(b).into())]]
        }
        ReaderQueryResultsParserOutput::Solutions(s) => {
            s.map(|s| s.expect("solution").values().to_vec()).collect()
        }
    }
}

pub(crate) fn sorted(mut rows: Vec<Vec<Option<Term>>>) -> Vec<Vec<Option<Term>>> {
    rows.sort_by_key(|r| format!("{r:?}"));
    rows
}

pub(crate) fn title(html: &[u8]) -> String {
    let html = String::from_utf8_lossy(html);
    let start = html.find("<title>").map_or(0, |i| i + "<title>".len());
    let end = html[start..].find("</title>").map_or(start, |i| start + i);
    html[start..end].to_owned()
}

#[test]
#[ignore = "needs the oxigraph server: pip install oxigraph==0.5.13"]
fn documents_are_those_of_the_embedded_store() {
    let (local, _store, remote) = setup(Duration::from_secs(30));
    assert_same_documents(&local, &remote, 1);
}

/// The Turtle of every `every`th resource, and the JSON-LD and HTML of the places, networks and
/// memberships among them, are those of the embedded server; so are a 303 and the home
/// page's table.
pub(crate) fn assert_same_documents(local: &TestServer, remote: &FrontEnd, every: usize) {
    let published = local.state.current();
    let base = published.base().as_str().to_owned();
    let QueryResults::Solutions(subjects) = published
        .dataset
        .sparql(&format!(
            "SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), \"{base}id/\") && !CONTAINS(STR(?s), \"#\")) }} ORDER BY ?s"
        ))
        .expect("resources")
    else {
        panic!("not solutions")
    };
    let resources: Vec<String> = subjects
        .map(|s| match s.expect("solution").get("s") {
            Some(Term::NamedNode(n)) => n.as_str()[base.len() + "id/".len()..].to_owned(),
            other => panic!("not an IRI: {other:?}"),
        })
        .collect();
    assert!(resources.len() > 200, "{} resources", resources.len());
    let mut detailed = 0;
    for resource in resources.iter().step_by(every) {
        // Turtle of every resource: the same graph
        let path = format!("doc/{resource}.ttl");
        let ((ls, _, lb), (rs, rt, rb)) = both(local, remote, &path, &[]);
        assert_eq!((ls, rs), (200, 200), "GET /{path}");
        assert_eq!(rt, "text/turtle; charset=utf-8", "GET /{path}");
        assert_eq!(
            graph(&rb, RdfFormat::Turtle, &path),
            graph(&lb, RdfFormat::Turtle, &path),
            "/{path}: the front end's graph differs from the embedded store's"
        );
        let kind = resource.split('/').next().unwrap_or_default();
        if !["place", "network", "membership"].contains(&kind) {
            continue;
        }
        detailed += 1;
        // JSON-LD: the same graph; HTML: the same page
        let path = format!("doc/{resource}.jsonld");
        let ((ls, _, lb), (rs, _, rb)) = both(local, remote, &path, &[]);
        assert_eq!((ls, rs), (200, 200), "GET /{path}");
        assert_eq!(
            graph(&rb, JSON_LD, &path),
            graph(&lb, JSON_LD, &path),
            "/{path}"
        );
        let path = format!("doc/{resource}.html");
        let ((ls, _, lb), (rs, rt, rb)) = both(local, remote, &path, &[]);
        assert_eq!((ls, rs), (200, 200), "GET /{path}");
        assert_eq!(rt, "text/html; charset=utf-8", "GET /{path}");
        assert!(!title(&rb).is_empty(), "/{path} has no title");
        assert_eq!(title(&rb), title(&lb), "/{path}: title");
        assert!(
            rb == lb,
            "/{path}: the front end's page differs from the embedded store's"
        );
    }
    assert!(
        detailed > 100 / every,
        "{detailed} places, networks and memberships"
    );

    // dereferencing: the same 303
    let ((ls, _, _), (rs, _, _)) = both(local, remote, "id/place/turin", &[]);
    assert_eq!((ls, rs), (303, 303));
    let location = local.block_on(async {
        let r = client()
            .get(remote.at("id/place/turin"))
            .header("Accept", "application/ld+json")
            .send()
            .await
            .expect("GET");
        header(r.headers(), "location")
    });
    assert_eq!(location, format!("{base}doc/place/turin.jsonld"));

    // the home page lists the same networks
    let ((ls, _, lb), (rs, _, rb)) = both(local, remote, "", &[("Accept", "text/html")]);
    assert_eq!((ls, rs), (200, 200));
    let home = |b: &[u8]| {
        let html = String::from_utf8_lossy(b).into_owned();
        let start = html.find("<table").expect("a table of networks");
        let end = html.find("</table>").expect("a table of networks");
        html[start..end].to_owned()
    };
    assert_eq!(home(&rb), home(&lb));
}

#[test]
#[ignore = "needs the oxigraph server: pip install oxigraph==0.5.13"]
fn a_resource_the_store_lacks_is_404() {
    let (local, _store, remote) = setup(Duration::from_secs(30));
    for path in [
        "id/place/atlantis",
        "doc/place/atlantis.ttl",
        "doc/place/atlantis",
    ] {
        let ((ls, _, _), (rs, rt, rb)) = both(&local, &remote, path, &[]);
        assert_eq!((ls, rs), (404, 404), "GET /{path}");
        assert_eq!(rt, "text/plain; charset=utf-8");
        assert_eq!(
            String::from_utf8_lossy(&rb),
            "no resource is published as id/place/atlantis\n"
        );
    }
    let ((_, _, _), (rs, rt, _)) = both(
        &local,
        &remote,
        "doc/place/atlantis",
        &[("Accept", "text/html")],
    );
    assert_eq!((rs, rt.as_str()), (404, "text/html; charset=utf-8"));
}

#[test]
#[ignore = "needs the oxigraph server: pip install oxigraph==0.5.13"]
fn stored_queries_give_the_same_results() {
    let (local, _store, remote) = setup(Duration::from_secs(30));
    assert_same_stored_queries(&local, &remote);
}

/// Every stored query answers the same solutions or graph from the front end.
pub(crate) fn assert_same_stored_queries(local: &TestServer, remote: &FrontEnd) {
    let queries = local.state.current().queries.clone();
    assert!(queries.len() >= 5, "{} stored queries", queries.len());
    for q in &queries {
        let parsed = spargebra::SparqlParser::new()
            .parse_query(&q.text)
            .expect("a stored query parses");
        let ordered = q.text.to_ascii_uppercase().contains("ORDER BY");
        if matches!(
            parsed,
            spargebra::Query::Select { .. } | spargebra::Query::Ask { .. }
        ) {
            let path = format!("queries/{}?format=json", q.name);
            let ((ls, _, lb), (rs, rt, rb)) = both(local, remote, &path, &[]);
            assert_eq!((ls, rs), (200, 200), "GET /{path}");
            assert_eq!(rt, "application/sparql-results+json", "GET /{path}");
            let (l, r) = (solutions(&lb, &path), solutions(&rb, &path));
            assert!(!l.is_empty(), "{}: no results to compare", q.name);
            if ordered {
                assert_eq!(r, l, "{}: the solutions differ", q.name);
            } else {
                assert_eq!(sorted(r), sorted(l), "{}: the solutions differ", q.name);
            }
        } else {
            let path = format!("queries/{}?format=ttl", q.name);
            let ((ls, _, lb), (rs, _, rb)) = both(local, remote, &path, &[]);
            assert_eq!((ls, rs), (200, 200), "GET /{path}");
            assert_eq!(
                graph(&rb, RdfFormat::Turtle, &path),
                graph(&lb, RdfFormat::Turtle, &path),
                "{}: the graphs differ",
                q.name
            );
        }
    }
    // the page of a query, for browsers
    let ((_, _, _), (rs, rt, _)) = both(
        local,
        remote,
        &format!("queries/{}", queries[0].name),
        &[("Accept", "text/html")],
    );
    assert_eq!((rs, rt.as_str()), (200, "text/html; charset=utf-8"));
}

const DCT_MODIFIED: &str = "http://purl.org/dc/terms/modified";
const DCT_ISSUED: &str = "http://purl.org/dc/terms/issued";
const VOID_DATA_DUMP: &str = "http://rdfs.org/ns/void#dataDump";
const VOID_FEATURE: &str = "http://rdfs.org/ns/void#feature";
const DCAT_DISTRIBUTION: &str = "http://www.w3.org/ns/dcat#distribution";

/// The triples of `a` not in `b`, as N-Triples lines.
pub(crate) fn minus(a: &Graph, b: &Graph) -> Vec<oxrdf::Triple> {
    a.iter()
        .filter(|t| !b.contains(*t))
        .map(|t| t.into_owned())
        .collect()
}

#[test]
#[ignore = "needs the oxigraph server: pip install oxigraph==0.5.13"]
fn catalog_void_and_service_description_differ_only_by_the_dumps() {
    let (local, _store, remote) = setup(Duration::from_secs(30));
    let base = local.url.clone();
    let fetch = |path: &str| {
        let ((ls, _, lb), (rs, _, rb)) = both(&local, &remote, path, &[("Accept", "text/turtle")]);
        assert_eq!((ls, rs), (200, 200), "GET /{path}");
        (
            graph(&lb, RdfFormat::Turtle, path),
            graph(&rb, RdfFormat::Turtle, path),
        )
    };
    let is_dump_distribution = |term: &str| {
        term.strip_prefix(&format!("<{base}catalog#distribution-"))
            .is_some_and(|rest| !rest.starts_with("sparql"))
    };

    // the service description: the same (graph sizes are counted on the store)
    let (l, r) = fetch("sparql");
    assert_eq!(r, l, "the service descriptions differ");

    // VoID: the same counts and vocabularies; no dumps, and a date of its own
    let (l, r) = fetch(".well-known/void");
    let (lost, gained) = (minus(&l, &r), minus(&r, &l));
    let dumps: Vec<_> = lost
        .iter()
        .filter(|t| [VOID_DATA_DUMP, VOID_FEATURE].contains(&t.predicate.as_str()))
        .collect();
    assert_eq!(
        dumps.len(),
        15,
        "void:dataDump of 9 dumps (6 and 3 compressed), void:feature of 6 formats"
    );
    for t in lost.iter().chain(&gained) {
        assert!(
            [VOID_DATA_DUMP, VOID_FEATURE, DCT_MODIFIED].contains(&t.predicate.as_str()),
            "VoID differs by {t}"
        );
    }
    assert_eq!(
        gained.len(),
        lost.len() - 15,
        "only dct:modified is replaced"
    );

    // the catalog: no dump distributions (nor their checksums); dates of its own
    let (l, r) = fetch("catalog");
    let (lost, gained) = (minus(&l, &r), minus(&r, &l));
    let mut distributions = 0;
    for t in &lost {
        let (s, o, p) = (
            t.subject.to_string(),
            t.object.to_string(),
            t.predicate.as_str(),
        );
        let about_a_dump = is_dump_distribution(&s);
        let link_to_a_dump = p == DCAT_DISTRIBUTION && is_dump_distribution(&o);
        let date = [DCT_MODIFIED, DCT_ISSUED].contains(&p);
        // the media types and file types only the dumps had (their types and labels)
        let format_of_the_dumps = lost
            .iter()
            .any(|d| is_dump_distribution(&d.subject.to_string()) && d.object.to_string() == s);
        assert!(
            about_a_dump || link_to_a_dump || date || format_of_the_dumps,
            "the catalog lost {t}"
        );
        distributions += usize::from(link_to_a_dump);
    }
    assert_eq!(distributions, 9, "one dcat:distribution per dump is gone");
    for t in &gained {
        assert!(
            [DCT_MODIFIED, DCT_ISSUED].contains(&t.predicate.as_str()),
            "the catalog gained {t}"
        );
    }
    assert!(
        r.triples_for_predicate(&oxrdf::NamedNode::new_unchecked(DCAT_DISTRIBUTION))
            .any(|t| t.object.to_string() == format!("<{base}catalog#distribution-sparql>")),
        "the SPARQL distribution is still there"
    );

    // /dumps/ says why there is nothing
    for path in ["dumps/", "dumps/reti.ttl", "dumps/SHA256SUMS"] {
        let ((ls, _, _), (rs, _, rb)) = both(&local, &remote, path, &[]);
        assert_eq!((ls, rs), (200, 404), "GET /{path}");
        assert!(
            String::from_utf8_lossy(&rb).contains("makes no dumps"),
            "GET /{path}: {}",
            String::from_utf8_lossy(&rb)
        );
    }

    // the ontology and the report, as the embedded server gives them
    for (path, accept) in [
        ("ontology", "text/turtle"),
        ("ontology", "text/html"),
        ("report", "text/turtle"),
        ("report", "text/html"),
    ] {
        let ((ls, _, lb), (rs, _, rb)) = both(&local, &remote, path, &[("Accept", accept)]);
        assert_eq!((ls, rs), (200, 200), "GET /{path} as {accept}");
        assert!(rb == lb, "GET /{path} as {accept}: different bodies");
    }

    // SIGHUP's refresh finds the same data: same version, same date
    let before = remote.state.current();
    let (state, options) = (Arc::clone(&remote.state), remote.options.clone());
    remote
        .runtime
        .block_on(
            remote
                .runtime
                .spawn_blocking(move || reti::server::reload(&state, &options)),
        )
        .expect("reload task")
        .expect("reload");
    let after = remote.state.current();
    assert!(!Arc::ptr_eq(&before, &after), "a new build is served");
    assert_eq!(after.version, before.version);
    assert_eq!(after.modified, before.modified);
}

#[test]
#[ignore = "needs the oxigraph server: pip install oxigraph==0.5.13"]
fn sparql_is_proxied_with_the_local_protocol() {
    let (local, _store, remote) = setup(Duration::from_secs(30));
    let post = |url: String, content_type: &'static str, body: String, accept: &'static str| {
        local.block_on(async move {
            let r = client()
                .post(url)
                .header("Content-Type", content_type)
                .header("Accept", accept)
                .body(body)
                .send()
                .await
                .expect("POST");
            let status = r.status().as_u16();
            let ct = header(r.headers(), "content-type");
            (status, ct, r.bytes().await.expect("body").to_vec())
        })
    };
    let form = |q: &str| {
        format!(
            "query={}",
            percent_encoding::utf8_percent_encode(q, percent_encoding::NON_ALPHANUMERIC)
        )
    };
    let both_post = |body: String, content_type: &'static str, accept: &'static str| {
        (
            post(local.at("sparql"), content_type, body.clone(), accept),
            post(remote.at("sparql"), content_type, body, accept),
        )
    };
    let form_type = "application/x-www-form-urlencoded";

    // a SELECT by form, JSON results: the same solutions
    let select = format!(
        "{}SELECT ?city ?network WHERE {{ ?m org:member ?city ; org:organization ?network }}",
        crate::PREFIXES
    );
    let ((ls, _, lb), (rs, rt, rb)) =
        both_post(form(&select), form_type, "application/sparql-results+json");
    assert_eq!((ls, rs), (200, 200));
    assert_eq!(rt, "application/sparql-results+json");
    let rows = solutions(&rb, "SELECT");
    assert!(rows.len() > 50, "{} memberships", rows.len());
    assert_eq!(sorted(rows), sorted(solutions(&lb, "SELECT")));

    // an ordered SELECT by GET as CSV, with a relative IRI (resolved against the base): the
    // same bytes
    let ordered = "SELECT ?p ?o WHERE { <id/place/turin> ?p ?o } ORDER BY ?p ?o";
    let path = format!(
        "sparql?query={}",
        percent_encoding::utf8_percent_encode(ordered, percent_encoding::NON_ALPHANUMERIC)
    );
    let ((ls, _, lb), (rs, rt, rb)) = both(&local, &remote, &path, &[("Accept", "text/csv")]);
    assert_eq!((ls, rs), (200, 200));
    assert_eq!(rt, "text/csv; charset=utf-8");
    assert!(rb.len() > 200, "{}", String::from_utf8_lossy(&rb));
    assert_eq!(String::from_utf8_lossy(&rb), String::from_utf8_lossy(&lb));

    // a CONSTRUCT sent as application/sparql-query, as JSON-LD: the same graph
    let construct = format!(
        "{}CONSTRUCT {{ ?m ?p ?o }} WHERE {{ ?m a org:Membership ; ?p ?o }}",
        crate::PREFIXES
    );
    let ((ls, _, lb), (rs, rt, rb)) =
        both_post(construct, "application/sparql-query", "application/ld+json");
    assert_eq!((ls, rs), (200, 200));
    assert_eq!(rt, "application/ld+json");
    assert_eq!(
        graph(&rb, JSON_LD, "CONSTRUCT"),
        graph(&lb, JSON_LD, "CONSTRUCT")
    );

    // an ASK, and a dataset chosen by the protocol: the same answers
    let ((_, _, lb), (rs, _, rb)) = both_post(
        form("ASK { ?s a <https://w3id.org/reti/ontology#Network> }"),
        form_type,
        "application/sparql-results+json",
    );
    assert_eq!(rs, 200);
    assert_eq!(solutions(&rb, "ASK"), solutions(&lb, "ASK"));
    let graph_iri = format!("{}graph/gai-records", local.url);
    let body = format!(
        "{}&default-graph-uri={}",
        form("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
        percent_encoding::utf8_percent_encode(&graph_iri, percent_encoding::NON_ALPHANUMERIC)
    );
    let ((_, _, lb), (rs, _, rb)) = both_post(body, form_type, "application/sparql-results+json");
    assert_eq!(rs, 200);
    let count = solutions(&rb, "COUNT");
    assert_eq!(count, solutions(&lb, "COUNT"));
    let total = solutions(&rb, "COUNT")[0][0].clone();
    assert!(
        matches!(&total, Some(Term::Literal(l)) if l.value().parse::<u64>().is_ok_and(|n| n > 0 && n < 2000)),
        "triples of one graph: {total:?}"
    );

    // updates, however sent, are refused; bad queries are 400, as locally
    for (body, content_type) in [
        (
            "update=INSERT%20DATA%20%7B%3Ca%3Ab%3E%20%3Ca%3Ab%3E%20%3Ca%3Ab%3E%7D".to_owned(),
            form_type,
        ),
        (
            "INSERT DATA { <a:b> <a:b> <a:b> }".to_owned(),
            "application/sparql-update",
        ),
        (form("INSERT DATA { <a:b> <a:b> <a:b> }"), form_type),
    ] {
        let ((ls, _, _), (rs, _, rb)) = both_post(body, content_type, "*/*");
        assert_eq!((ls, rs), (403, 403), "an update as {content_type}");
        assert_eq!(
            String::from_utf8_lossy(&rb),
            "this SPARQL endpoint is read-only: updates are not accepted\n"
        );
    }
    let ((ls, _, _), (rs, _, _)) = both_post(form("SELECT WHERE"), form_type, "*/*");
    assert_eq!((ls, rs), (400, 400));
    // the store still holds what it held
    let ((_, _, lb), (_, _, rb)) = both_post(
        form("ASK { <a:b> ?p ?o }"),
        form_type,
        "application/sparql-results+json",
    );
    assert_eq!(solutions(&rb, "ASK"), solutions(&lb, "ASK"));
}

/// A TCP server on `port` that, until dropped (or for 60 s at most), accepts connections and
/// either never answers (`answer` is `None`) or answers each request with `answer`.
struct FakeStore {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FakeStore {
    fn start(port: u16, answer: Option<&'static str>) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind the store's port");
        listener.set_nonblocking(true).expect("nonblocking");
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(60);
            let mut held = Vec::new();
            while !stopped.load(Ordering::Relaxed) && Instant::now() < deadline {
                match listener.accept() {
                    Ok((mut stream, _)) => {
                        let Some(answer) = answer else {
                            held.push(stream);
                            continue;
                        };
                        let _ = stream.set_nonblocking(false);
                        let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                        // read the request (headers and body) before answering
                        let mut request = Vec::new();
                        let mut buf = [0u8; 4096];
                        while let Ok(n) = stream.read(&mut buf) {
                            if n == 0 {
                                break;
                            }
                            request.extend_from_slice(&buf[..n]);
                            let text = String::from_utf8_lossy(&request).to_ascii_lowercase();
                            if let Some(end) = text.find("\r\n\r\n") {
                                let length = text
                                    .lines()
                                    .find_map(|l| l.strip_prefix("content-length:"))
                                    .and_then(|v| v.trim().parse::<usize>().ok())
                                    .unwrap_or(0);
                                if request.len() >= end + 4 + length {
                                    break;
                                }
                            }
                        }
                        let _ = stream.write_all(answer.as_bytes());
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        FakeStore {
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for FakeStore {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // the port is free again once the listener is closed
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[test]
#[ignore = "needs the oxigraph server: pip install oxigraph==0.5.13"]
fn a_store_that_is_down_hangs_or_fails_gives_502_or_504() {
    let timeout = Duration::from_secs(1);
    let (local, mut store, remote) = setup(timeout);
    let port = store.port;
    let fetch = |path: &str, accept: &str| {
        local.block_on(async {
            let started = Instant::now();
            let (status, headers, body) = get(&remote.at(path), &[("Accept", accept)]).await;
            (
                status,
                header(&headers, "content-type"),
                String::from_utf8_lossy(&body).into_owned(),
                started.elapsed(),
            )
        })
    };
    let query = |accept: &str| {
        fetch(
            "sparql?query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D%20LIMIT%201",
            accept,
        )
    };
    assert_eq!(fetch("doc/place/turin.ttl", "text/turtle").0, 200);

    // the store is down: 502, with a message, as text or as a page
    store.kill();
    // (a document already served in this build is kept by the front end, and still served)
    assert_eq!(fetch("doc/place/turin.ttl", "text/turtle").0, 200);
    for path in [
        "doc/place/rome.ttl",
        "id/place/turin",
        "queries/networks-of-a-city",
    ] {
        let (status, content_type, body, _) = fetch(path, "*/*");
        assert_eq!(status, 502, "GET /{path}: {body}");
        assert_eq!(content_type, "text/plain; charset=utf-8");
        assert_eq!(
            body,
            "the SPARQL store behind this server cannot be reached; try again later\n"
        );
    }
    for path in ["doc/place/turin", "", "report"] {
        let (status, content_type, body, _) = fetch(path, "text/html");
        assert_eq!(status, 502, "GET /{path} as HTML");
        assert_eq!(content_type, "text/html; charset=utf-8");
        assert!(body.contains("cannot be reached"), "{body}");
    }
    let (status, _, body, _) = query("application/sparql-results+json");
    assert_eq!(status, 502, "{body}");
    assert!(body.contains("cannot be reached"), "{body}");
    // what needs no store still works
    assert_eq!(fetch("ontology", "text/turtle").0, 200);
    assert_eq!(fetch("catalog", "text/turtle").0, 200);

    // the store hangs: 504 once the timeout has passed
    {
        let _hanging = FakeStore::start(port, None);
        for (path, accept) in [
            ("doc/place/rome.ttl", "text/turtle"),
            ("doc/place/turin", "text/html"),
        ] {
            let (status, content_type, body, elapsed) = fetch(path, accept);
            assert_eq!(status, 504, "GET /{path}: {body}");
            assert!(content_type.starts_with(if accept == "text/html" {
                "text/html"
            } else {
                "text/plain"
            }));
            assert!(body.contains("did not answer within 1 s"), "{body}");
            assert!(
                elapsed >= timeout && elapsed < timeout * 5,
                "answered after {elapsed:?}"
            );
        }
        let (status, _, body, elapsed) = query("application/sparql-results+json");
        assert_eq!(status, 504, "{body}");
        assert!(elapsed < timeout * 5, "answered after {elapsed:?}");
    }

    // the store fails: 502, quoting it
    {
        let _failing = FakeStore::start(
            port,
            Some(
                "HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\ncontent-length: 11\r\nconnection: close\r\n\r\nstore busy\n",
            ),
        );
        let (status, _, body, _) = fetch("doc/place/rome.ttl", "text/turtle");
        assert_eq!(status, 502, "{body}");
        assert_eq!(
            body,
            "the SPARQL store behind this server answered 503: store busy\n"
        );
        let (status, _, body, _) = query("text/csv");
        assert_eq!(status, 502, "{body}");
    }
    {
        let _garbled = FakeStore::start(
            port,
            Some(
                "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 6\r\nconnection: close\r\n\r\n<html>",
            ),
        );
        let (status, _, body, _) = fetch("doc/place/rome.ttl", "text/turtle");
        assert_eq!(status, 502, "{body}");
        assert!(
            body.contains("sent an answer that cannot be read"),
            "{body}"
        );
    }
}

#[test]
#[ignore = "needs the oxigraph server: pip install oxigraph==0.5.13"]
fn start_up_needs_a_store_with_reti_data_under_the_base() {
    let local = TestServer::start();
    let store = Store::start(&local.url);
    // another base than the data's
    let Err(e) = FrontEnd::try_start(
        &store.url(),
        "https://reti.example.org/",
        Duration::from_secs(5),
    ) else {
        panic!("a front end started under a base the store does not hold")
    };
    assert_eq!(
        e.to_string(),
        format!(
            "the SPARQL endpoint {} holds reti data under {}, not under --base https://reti.example.org/: give the base the data was exported with",
            store.url(),
            local.url
        )
    );

    // the binary: the base is found in the store when not given
    let mut child = crate::reti()
        .args(["serve", "--bind", "127.0.0.1:0", "--sparql-endpoint"])
        .arg(store.url())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("reti serve");
    let mut first = String::new();
    let mut stdout = child.stdout.take().expect("stdout");
    let mut byte = [0u8; 1];
    while stdout.read(&mut byte).is_ok_and(|n| n == 1) && byte[0] != b'\n' {
        first.push(byte[0] as char);
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        first.contains(&format!(
            "(IRIs under {}; data from the SPARQL store {})",
            local.url,
            store.url()
        )),
        "{first}"
    );

    // a store that is down: exit 1, saying so
    let dead = format!("http://127.0.0.1:{}/query", crate::free_port());
    let out = crate::reti()
        .args(["serve", "--bind", "127.0.0.1:0", "--sparql-endpoint", &dead])
        .output()
        .expect("reti serve");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with(&format!(
            "error: cannot serve the remote SPARQL store: the SPARQL endpoint {dead} cannot be reached ("
        )),
        "{stderr}"
    );

    // usage errors: exit 2
    for args in [
        vec!["--sparql-endpoint", "ftp://store.example.org/query"],
        vec!["--sparql-endpoint", &dead, "--watch"],
        vec!["--sparql-endpoint", &dead, "--remote-timeout", "0"],
        vec!["--sparql-endpoint", &dead, "--remote-timeout", "1e300"],
    ] {
        let out = crate::reti()
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(&args)
            .output()
            .expect("reti serve");
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// SELECT queries over the default graph and the named graphs give the same JSON results:
/// byte for byte where the order is total, else the same rows as many times each (a store
/// orders ties its own way). Each row once: a store whose default graph is the union of its
/// graphs would give a triple once per graph. The front end counts reti's graphs only.
pub(crate) fn assert_same_selects(local: &TestServer, remote: &FrontEnd) {
    let (l, r) = (local.state.current(), remote.state.current());
    assert_eq!(r.dataset.summary().graphs, l.dataset.summary().graphs);
    assert_eq!(r.dataset.summary().quads, l.dataset.summary().quads);
    assert_eq!(r.dataset.summary().triples, l.dataset.summary().triples);
    for (query, total_order) in [
        (
            "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o",
            false,
        ),
        ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", true),
        (
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
            true,
        ),
        ("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", false),
        (
            "SELECT ?s ?o WHERE { ?s a <http://www.w3.org/ns/org#Membership> ; ?p ?o FILTER(isLiteral(?o)) }",
            false,
        ),
        ("ASK { ?s ?p true }", true),
    ] {
        let path = format!(
            "sparql?query={}",
            percent_encoding::utf8_percent_encode(query, percent_encoding::NON_ALPHANUMERIC)
        );
        let accept = [("Accept", "application/sparql-results+json")];
        let ((ls, _, lb), (rs, _, rb)) = both(local, remote, &path, &accept);
        assert_eq!(
            (ls, rs),
            (200, 200),
            "{query}: {}",
            String::from_utf8_lossy(&rb)
        );
        if total_order {
            assert!(
                rb == lb,
                "{query}: the front end answers\n{}\nthe embedded server\n{}",
                String::from_utf8_lossy(&rb),
                String::from_utf8_lossy(&lb)
            );
        } else {
            let (r, l) = (solutions(&rb, query), solutions(&lb, query));
            assert!(l.len() > 100, "{query}: {} rows", l.len());
            assert_eq!(r.len(), l.len(), "{query}: rows");
            assert!(sorted(r) == sorted(l), "{query}: the rows differ");
        }
    }
}

/// Sets its flag when dropped: a request handler of a fake store, dropped when its client
/// closes the connection.
struct Dropped(Arc<AtomicBool>);

impl Drop for Dropped {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

#[test]
fn a_remote_query_is_dropped_as_soon_as_its_token_is_cancelled() {
    use oxigraph::sparql::{CancellationToken, QueryEvaluationError};
    use reti::query::remote::RemoteEndpoint;
    use reti::query::{Backend, BackendError, Remote};
    use reti::store::QueryError;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let url = format!("http://{}/sparql", listener.local_addr().expect("address"));
    let dropped = Arc::new(AtomicBool::new(false));
    // a store holding reti's ontology graph under http://example.org/, which never answers a
    // query about <urn:slow>
    let app = axum::Router::new().fallback({
        let dropped = Arc::clone(&dropped);
        move |body: String| {
            let dropped = Arc::clone(&dropped);
            async move {
                let json = |body: &str| {
                    axum::response::Response::builder()
                        .header("content-type", "application/sparql-results+json")
                        .body(axum::body::Body::from(body.to_owned()))
                        .expect("response")
                };
                if body.contains("urn%3Aslow") {
                    let _guard = Dropped(dropped);
                    std::future::pending::<()>().await;
                }
                if body.contains("Ontology") {
                    return json(
                        r#"{"head":{"vars":["g"]},"results":{"bindings":[{"g":{"type":"uri","value":"http://example.org/graph/ontology"}}]}}"#,
                    );
                }
                json(r#"{"head":{"vars":["g","n"]},"results":{"bindings":[]}}"#)
            }
        }
    });
    runtime.spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let endpoint = {
        let _context = runtime.enter();
        RemoteEndpoint::new(&url, Duration::from_secs(120)).expect("endpoint")
    };
    let backend = Backend::Remote(Remote::connect(endpoint, None).expect("connect"));
    let query = spargebra::SparqlParser::new()
        .parse_query("SELECT * WHERE { ?s <urn:slow> ?o }")
        .expect("query");
    let token = CancellationToken::new();
    let canceller = {
        let token = token.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            token.cancel();
        })
    };
    let started = Instant::now();
    let result = backend.evaluate_until(&token, query, None);
    canceller.join().expect("canceller");
    assert!(
        matches!(
            result,
            Err(BackendError::Query(QueryError::Evaluation(
                QueryEvaluationError::Cancelled
            )))
        ),
        "{:?}",
        result.err()
    );
    // ended by the token, not by the 120 s timeout
    assert!(started.elapsed() < Duration::from_secs(60));
    // and the store saw the request go away
    let deadline = Instant::now() + Duration::from_secs(10);
    while !dropped.load(Ordering::SeqCst) {
        assert!(
            Instant::now() < deadline,
            "the store's handler was never dropped: the request was not aborted"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(backend);
    drop(runtime);
}

#[test]
#[ignore = "needs the oxigraph server: pip install oxigraph==0.5.13"]
fn selects_and_counts_are_those_of_the_embedded_store() {
    let (local, _store, remote) = setup(Duration::from_secs(30));
    assert_same_selects(&local, &remote);
}
