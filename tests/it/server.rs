//! The HTTP interface against a real server: SPARQL protocol, dereferenceable URIs, dumps,
//! stored queries, caching, compression, CORS and limits.

use crate::serve::{TestServer, client, get, header};
use crate::{rows, select};
use oxigraph::io::{RdfFormat, RdfParser};
use oxrdf::dataset::CanonicalizationAlgorithm;
use reti::server::Settings;
use std::sync::OnceLock;
use std::time::Duration;

fn server() -> &'static TestServer {
    static SERVER: OnceLock<TestServer> = OnceLock::new();
    SERVER.get_or_init(TestServer::start)
}

fn text(body: &[u8]) -> String {
    String::from_utf8_lossy(body).into_owned()
}

fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

const COUNT_GAI: &str = "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?x <http://www.w3.org/ns/org#organization> ?gai ; <http://www.w3.org/ns/org#member> ?m . FILTER(STRENDS(STR(?gai), '/network/gai')) }";

fn parse_graph(format: RdfFormat, body: &[u8]) -> oxrdf::Graph {
    let mut g: oxrdf::Graph = RdfParser::from_format(format)
        .for_slice(body)
        .map(|q| oxrdf::Triple::from(q.unwrap_or_else(|e| panic!("{format} does not parse: {e}"))))
        .collect();
    g.canonicalize(CanonicalizationAlgorithm::Unstable);
    g
}

#[test]
fn sparql_get_post_form_and_post_query_give_the_same_answer() {
    let s = server();
    let (status, headers, body) = s.block_on(get(
        &s.at(&format!("sparql?query={}", encode(COUNT_GAI))),
        &[("Accept", "application/sparql-results+json")],
    ));
    assert_eq!(status, 200);
    assert_eq!(
        header(&headers, "content-type"),
        "application/sparql-results+json"
    );
    assert!(header(&headers, "vary").contains("Accept"));
    let json: serde_json::Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(json["results"]["bindings"][0]["n"]["value"], "33");

    let form = s.block_on(async {
        client()
            .post(s.at("sparql"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "text/csv")
            .body(format!("query={}", encode(COUNT_GAI)))
            .send()
            .await
            .expect("post")
    });
    assert_eq!(form.status(), 200);
    assert_eq!(
        header(form.headers(), "content-type"),
        "text/csv; charset=utf-8"
    );
    assert_eq!(s.block_on(form.text()).expect("body"), "n\r\n33\r\n");

    let direct = s.block_on(async {
        client()
            .post(s.at("sparql"))
            .header("Content-Type", "application/sparql-query")
            .header("Accept", "text/tab-separated-values")
            .body(COUNT_GAI)
            .send()
            .await
            .expect("post")
    });
    assert_eq!(direct.status(), 200);
    assert_eq!(s.block_on(direct.text()).expect("body"), "?n\n33\n");
}

#[test]
fn sparql_result_formats_by_accept() {
    let s = server();
    let url = s.at(&format!("sparql?query={}", encode(COUNT_GAI)));
    let (_, h, body) = s.block_on(get(&url, &[("Accept", "application/sparql-results+xml")]));
    assert_eq!(header(&h, "content-type"), "application/sparql-results+xml");
    assert!(
        text(&body).contains(
            "<literal datatype=\"http://www.w3.org/2001/XMLSchema#integer\">33</literal>"
        )
    );
    let (_, h, _) = s.block_on(get(&url, &[]));
    assert_eq!(
        header(&h, "content-type"),
        "application/sparql-results+json",
        "JSON by default"
    );
    let construct = "CONSTRUCT { ?n a <https://w3id.org/reti/ontology#Network> } WHERE { ?n a <https://w3id.org/reti/ontology#Network> }";
    let url = s.at(&format!("sparql?query={}", encode(construct)));
    let mut graphs = Vec::new();
    for (accept, format) in [
        ("text/turtle", RdfFormat::Turtle),
        ("application/n-triples", RdfFormat::NTriples),
        ("application/rdf+xml", RdfFormat::RdfXml),
        (
            "application/ld+json",
            RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            },
        ),
        ("application/trig", RdfFormat::TriG),
    ] {
        let (status, h, body) = s.block_on(get(&url, &[("Accept", accept)]));
        assert_eq!(status, 200, "{accept}");
        assert!(header(&h, "content-type").starts_with(accept), "{accept}");
        let g = parse_graph(format, &body);
        let networks = crate::shipped().summary().networks;
        assert_eq!(g.len(), networks, "{accept}: one triple per network");
        graphs.push(g);
    }
    assert!(
        graphs.windows(2).all(|w| w[0] == w[1]),
        "all formats give the same graph"
    );
    let (status, _, _) = s.block_on(get(&url, &[("Accept", "application/sparql-results+json")]));
    assert_eq!(status, 406, "a graph cannot be sent as SPARQL JSON");
}

#[test]
fn sparql_protocol_errors() {
    let s = server();
    let post = |content_type: Option<&str>, body: Vec<u8>| {
        s.block_on(async {
            let mut r = client().post(s.at("sparql")).body(body);
            if let Some(ct) = content_type {
                r = r.header("Content-Type", ct);
            }
            let r = r.send().await.expect("post");
            (r.status().as_u16(), r.text().await.expect("text"))
        })
    };
    // syntax error: 400 with the parser's message
    let (status, _, body) = s.block_on(get(
        &s.at(&format!(
            "sparql?query={}",
            encode("SELECT ?x WHERE { ?x ?y }")
        )),
        &[],
    ));
    assert_eq!(status, 400);
    assert!(
        text(&body).contains("the query is not valid SPARQL"),
        "{}",
        text(&body)
    );
    // two queries
    let (status, _, body) = s.block_on(get(
        &s.at(&format!("sparql?query={0}&query={0}", encode(COUNT_GAI))),
        &[],
    ));
    assert_eq!(status, 400);
    assert!(text(&body).contains("more than one query"));
    // no query in a POST
    assert_eq!(
        post(
            Some("application/x-www-form-urlencoded"),
            b"default-graph-uri=http%3A%2F%2Fx".to_vec()
        )
        .0,
        400
    );
    // wrong or missing content type
    assert_eq!(
        post(Some("text/plain"), COUNT_GAI.as_bytes().to_vec()).0,
        415
    );
    assert_eq!(post(None, COUNT_GAI.as_bytes().to_vec()).0, 415);
    // body not UTF-8
    let (status, body) = post(Some("application/sparql-query"), vec![0x53, 0xff, 0xfe]);
    assert_eq!(status, 400);
    assert!(body.contains("not valid UTF-8"));
    let (status, _, _) = s.block_on(get(&s.at("sparql?query=%FF"), &[]));
    assert_eq!(status, 400);
    // unsupported Accept
    let (status, _, body) = s.block_on(get(
        &s.at(&format!("sparql?query={}", encode(COUNT_GAI))),
        &[("Accept", "image/png")],
    ));
    assert_eq!(status, 406);
    assert!(text(&body).contains("application/sparql-results+json"));
    // updates, however sent, are forbidden
    let update = "INSERT DATA { <http://e/s> <http://e/p> <http://e/o> }";
    assert_eq!(
        post(
            Some("application/sparql-update"),
            update.as_bytes().to_vec()
        )
        .0,
        403
    );
    assert_eq!(
        post(
            Some("application/x-www-form-urlencoded"),
            format!("update={}", encode(update)).into_bytes()
        )
        .0,
        403
    );
    assert_eq!(
        post(Some("application/sparql-query"), update.as_bytes().to_vec()).0,
        403
    );
    assert_eq!(
        s.block_on(get(
            &s.at(&format!("sparql?update={}", encode(update))),
            &[]
        ))
        .0,
        403
    );
    assert_eq!(
        s.block_on(get(
            &s.at(&format!(
                "sparql?query={}",
                encode("DELETE WHERE { ?s ?p ?o }")
            )),
            &[]
        ))
        .0,
        403
    );
    // and the data is untouched
    assert_eq!(
        select("SELECT (COUNT(*) AS ?n) WHERE { <http://e/s> ?p ?o }"),
        rows!["0"]
    );
}

#[test]
fn default_and_named_graph_parameters_are_honoured() {
    let s = server();
    let count = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://www.w3.org/2006/time#inXSDGYear> ?y }";
    let graph = s.at("graph/uccn-designations");
    let other = s.at("graph/turin-networks-page");
    let csv = |query: &str, params: &str| {
        let (status, _, body) = s.block_on(get(
            &s.at(&format!("sparql?query={}{params}", encode(query))),
            &[("Accept", "text/csv")],
        ));
        assert_eq!(status, 200, "{}", text(&body));
        text(&body)
    };
    assert_eq!(csv(count, ""), "n\r\n8\r\n");
    assert_eq!(
        csv(count, &format!("&default-graph-uri={}", encode(&graph))),
        "n\r\n8\r\n"
    );
    assert_eq!(
        csv(count, &format!("&default-graph-uri={}", encode(&other))),
        "n\r\n0\r\n"
    );
    let named = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }";
    // one graph per source, and the ontology's
    let graphs = crate::shipped().summary().graphs.len();
    assert_eq!(csv(named, ""), format!("n\r\n{graphs}\r\n"));
    assert_eq!(
        csv(
            named,
            &format!(
                "&named-graph-uri={}&named-graph-uri={}",
                encode(&graph),
                encode(&other)
            )
        ),
        "n\r\n2\r\n"
    );
    let (status, _, _) = s.block_on(get(
        &s.at(&format!(
            "sparql?query={}&default-graph-uri=not%20an%20iri",
            encode(count)
        )),
        &[],
    ));
    assert_eq!(status, 400);
}

#[test]
fn a_runaway_query_is_stopped_at_the_timeout_while_others_are_answered() {
    let s = TestServer::with_settings(Settings {
        query_timeout: Duration::from_secs(2),
        max_concurrent_queries: 4,
        ..Settings::default()
    });
    let runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";
    let (slow, fast) = s.block_on(async {
        let url = s.at(&format!("sparql?query={}", encode(runaway)));
        let slow = tokio::spawn(async move { get(&url, &[]).await });
        tokio::time::sleep(Duration::from_millis(300)).await;
        let fast = get(
            &s.at(&format!("sparql?query={}", encode(COUNT_GAI))),
            &[("Accept", "text/csv")],
        )
        .await;
        (slow.await.expect("join"), fast)
    });
    assert_eq!(
        fast.0, 200,
        "another query is answered while the runaway one runs"
    );
    assert_eq!(text(&fast.2), "n\r\n33\r\n");
    assert_eq!(slow.0, 503, "{}", text(&slow.2));
    assert!(
        text(&slow.2).contains("did not finish within 2 seconds"),
        "{}",
        text(&slow.2)
    );
}

#[test]
fn resource_iris_redirect_by_format() {
    let s = server();
    for (accept, ext) in [
        (
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "html",
        ),
        ("text/turtle", "ttl"),
        ("application/ld+json", "jsonld"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "rdf"),
        ("*/*", "ttl"),
    ] {
        let (status, h, _) = s.block_on(get(&s.at("id/place/turin"), &[("Accept", accept)]));
        assert_eq!(status, 303, "{accept}");
        assert_eq!(
            header(&h, "location"),
            s.at(&format!("doc/place/turin.{ext}")),
            "{accept}"
        );
        assert!(header(&h, "vary").contains("Accept"));
    }
    let (status, _, _) = s.block_on(get(
        &s.at("id/place/atlantis"),
        &[("Accept", "text/turtle")],
    ));
    assert_eq!(status, 404);
    let (status, _, _) = s.block_on(get(&s.at("id/planet/turin"), &[("Accept", "text/turtle")]));
    assert_eq!(status, 404);
    let (status, _, _) = s.block_on(get(&s.at("id/place/turin"), &[("Accept", "image/png")]));
    assert_eq!(status, 406);
}

#[test]
fn documents_describe_their_resource_in_every_format() {
    let s = server();
    let mut graphs = Vec::new();
    for (ext, ct, format) in [
        ("ttl", "text/turtle; charset=utf-8", RdfFormat::Turtle),
        ("nt", "application/n-triples", RdfFormat::NTriples),
        ("rdf", "application/rdf+xml", RdfFormat::RdfXml),
        (
            "jsonld",
            "application/ld+json",
            RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            },
        ),
    ] {
        let (status, h, body) = s.block_on(get(&s.at(&format!("doc/network/gai.{ext}")), &[]));
        assert_eq!(status, 200, "{ext}");
        assert_eq!(header(&h, "content-type"), ct);
        assert!(header(&h, "link").contains("rel=\"alternate\""), "{ext}");
        assert!(!header(&h, "etag").is_empty());
        graphs.push(parse_graph(format, &body));
    }
    assert!(
        graphs.windows(2).all(|w| w[0] == w[1]),
        "the formats of a document are isomorphic"
    );
    let ttl = text(&s.block_on(get(&s.at("doc/network/gai.ttl"), &[])).2);
    // its own triples, its members through their memberships, and the labels of what it links to
    assert!(ttl.contains("reti:recognisedBy organization:mibact"));
    assert!(ttl.contains("membership:gai-turin-presidency"));
    assert!(
        ttl.contains("organization:mibact rdfs:label \"MiBACT\"@en")
            || ttl.contains("organization:mibact rdfs:label \"MiBACT\"@en ,"),
        "{ttl}"
    );
    assert!(ttl.contains("place:province-matera rdfs:label"));
    // a city's document holds its memberships (incoming) with their years
    let turin = text(&s.block_on(get(&s.at("doc/place/turin.ttl"), &[])).2);
    assert!(
        turin.contains("membership:uccn-turin a org:Membership"),
        "{turin}"
    );
    assert!(turin.contains("\"2014\"^^xsd:gYear"));
    assert!(turin.contains("network:uccn rdfs:label"));
}

#[test]
fn documents_negotiate_without_extension() {
    let s = server();
    let (status, h, body) = s.block_on(get(
        &s.at("doc/place/turin"),
        &[("Accept", "application/ld+json")],
    ));
    assert_eq!(status, 200);
    assert_eq!(header(&h, "content-type"), "application/ld+json");
    assert_eq!(
        header(&h, "content-location"),
        s.at("doc/place/turin.jsonld")
    );
    assert!(header(&h, "vary").contains("Accept"));
    let links = header(&h, "link");
    for ext in ["html", "ttl", "nt", "rdf", "jsonld"] {
        assert!(
            links.contains(&format!(
                "<{}>; rel=\"alternate\"",
                s.at(&format!("doc/place/turin.{ext}"))
            )),
            "{links}"
        );
    }
    let json: serde_json::Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(json["@context"]["place"], s.at("id/place/"));
    // unknown resources: 404 as HTML for browsers, as text for RDF clients
    let (status, h, _) = s.block_on(get(&s.at("doc/place/atlantis"), &[("Accept", "text/html")]));
    assert_eq!(status, 404);
    assert!(header(&h, "content-type").starts_with("text/html"));
    let (status, h, _) = s.block_on(get(
        &s.at("doc/place/atlantis.ttl"),
        &[("Accept", "text/turtle")],
    ));
    assert_eq!(status, 404);
    assert!(header(&h, "content-type").starts_with("text/plain"));
    let (status, _, _) = s.block_on(get(&s.at("doc/place/turin.exe"), &[]));
    assert_eq!(status, 404);
}

#[test]
fn dumps_are_listed_checksummed_cached_and_compressed() {
    let s = server();
    let (status, h, body) = s.block_on(get(&s.at("dumps/"), &[("Accept", "application/json")]));
    assert_eq!(status, 200);
    assert_eq!(header(&h, "content-type"), "application/json");
    let listing: serde_json::Value = serde_json::from_slice(&body).expect("json");
    let dumps = listing["dumps"].as_array().expect("dumps");
    // six formats, and Turtle, N-Triples and N-Quads also compressed
    assert_eq!(dumps.len(), 9);
    let (_, _, sums) = s.block_on(get(&s.at("dumps/SHA256SUMS"), &[]));
    let sums = text(&sums);
    let mut union: Option<oxrdf::Graph> = None;
    for d in dumps {
        let name = d["name"].as_str().expect("name");
        let (status, h, body) = s.block_on(get(&s.at(&format!("dumps/{name}")), &[]));
        assert_eq!(status, 200);
        use sha2::Digest;
        let digest = reti::support::digest::hex(&sha2::Sha256::digest(&body));
        assert_eq!(d["sha256"], digest.as_str());
        assert_eq!(d["byteSize"], body.len());
        assert!(sums.contains(&format!("{digest}  {name}\n")));
        assert_eq!(
            header(&h, "content-disposition"),
            format!("attachment; filename=\"{name}\"")
        );
        assert_eq!(header(&h, "etag"), format!("\"{digest}\""));
        assert!(!header(&h, "last-modified").is_empty());
        let format = RdfFormat::from_media_type(d["mediaType"].as_str().expect("type"))
            .expect("known format");
        let plain = if name.ends_with(".gz") {
            assert_eq!(d["compressFormat"], "application/gzip");
            let mut plain = Vec::new();
            std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&body[..]), &mut plain)
                .expect("gunzip");
            plain
        } else {
            body.clone()
        };
        let g = parse_graph(format, &plain);
        match &union {
            None => union = Some(g),
            Some(u) => assert_eq!(
                u, &g,
                "{name} is isomorphic to the other dumps (as a merged graph)"
            ),
        }
        // revalidation
        let (status, _, body) = s.block_on(get(
            &s.at(&format!("dumps/{name}")),
            &[("If-None-Match", &format!("\"{digest}\""))],
        ));
        assert_eq!(status, 304);
        assert!(body.is_empty());
        let lm = header(&h, "last-modified");
        assert_eq!(
            s.block_on(get(
                &s.at(&format!("dumps/{name}")),
                &[("If-Modified-Since", &lm)]
            ))
            .0,
            304
        );
    }
    // gzip when asked
    let (status, h, gz) = s.block_on(get(&s.at("dumps/reti.nt"), &[("Accept-Encoding", "gzip")]));
    assert_eq!(status, 200);
    assert_eq!(header(&h, "content-encoding"), "gzip");
    let (_, _, plain) = s.block_on(get(&s.at("dumps/reti.nt"), &[]));
    assert!(gz.len() < plain.len() / 3, "compressed");
    // HEAD
    let head = s.block_on(async {
        client()
            .head(s.at("dumps/reti.ttl"))
            .send()
            .await
            .expect("head")
    });
    assert_eq!(head.status(), 200);
    assert_eq!(
        header(head.headers(), "content-type"),
        "text/turtle; charset=utf-8"
    );
    assert!(s.block_on(head.bytes()).expect("body").is_empty());
    // nothing else is served from /dumps/, whatever the path
    for path in [
        "dumps/reti.xyz",
        "dumps/..%2FCargo.toml",
        "dumps/%2e%2e%2fsrc%2flib.rs",
        "dumps/.%2E/.%2E/etc/passwd",
    ] {
        let (status, _, body) = s.block_on(get(&s.at(path), &[]));
        assert_eq!(status, 404, "{path}: {}", text(&body));
    }
}

#[test]
fn stored_queries_are_a_read_api() {
    let s = server();
    let (status, h, body) = s.block_on(get(&s.at("queries/"), &[("Accept", "application/json")]));
    assert_eq!(status, 200);
    assert_eq!(header(&h, "content-type"), "application/json");
    let list: serde_json::Value = serde_json::from_slice(&body).expect("json");
    let names: Vec<&str> = list["queries"]
        .as_array()
        .expect("queries")
        .iter()
        .map(|q| q["name"].as_str().expect("name"))
        .collect();
    assert!(
        names.contains(&"turin-offices") && names.len() >= 10,
        "{names:?}"
    );
    // CSV by default, the same rows as the query run locally; other formats by Accept or ?format=
    let expected = select(
        &std::fs::read_to_string(crate::root().join("queries/gai-members-by-region.rq"))
            .expect("query"),
    );
    let (status, h, body) = s.block_on(get(&s.at("queries/gai-members-by-region"), &[]));
    assert_eq!(status, 200);
    assert_eq!(header(&h, "content-type"), "text/csv; charset=utf-8");
    assert_eq!(text(&body).lines().count(), expected.len() + 1);
    let (_, h, body) = s.block_on(get(&s.at("queries/gai-members-by-region?format=json"), &[]));
    assert_eq!(
        header(&h, "content-type"),
        "application/sparql-results+json"
    );
    let json: serde_json::Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(
        json["results"]["bindings"].as_array().expect("rows").len(),
        expected.len()
    );
    let (_, h, _) = s.block_on(get(
        &s.at("queries/gai-members-by-region"),
        &[("Accept", "text/tab-separated-values")],
    ));
    assert_eq!(
        header(&h, "content-type"),
        "text/tab-separated-values; charset=utf-8"
    );
    let etag = header(&h, "etag");
    assert_eq!(
        s.block_on(get(
            &s.at("queries/gai-members-by-region"),
            &[
                ("Accept", "text/tab-separated-values"),
                ("If-None-Match", &etag)
            ]
        ))
        .0,
        304
    );
    assert_eq!(
        s.block_on(get(&s.at("queries/gai-members-by-region?format=xlsx"), &[]))
            .0,
        400
    );
    assert_eq!(s.block_on(get(&s.at("queries/no-such-query"), &[])).0, 404);
    // one status and one message for an unknown ?format= wherever it is read
    for path in [
        "queries/gai-members-by-region?format=xlsx",
        "catalog?format=xlsx",
        ".well-known/void?format=xlsx",
        "ontology?format=xlsx",
        "report?format=xlsx",
        "queries/?format=xlsx",
        "dumps/?format=xlsx",
        "sparql?query=ASK%7B%7D&format=xlsx",
    ] {
        let (status, headers, body) = s.block_on(get(&s.at(path), &[]));
        assert_eq!(status, 400, "{path}");
        assert_eq!(
            header(&headers, "content-type"),
            "text/plain; charset=utf-8",
            "{path}"
        );
        assert!(
            text(&body).starts_with("unknown format `xlsx`; use one of "),
            "{path}: {}",
            text(&body)
        );
    }
}

#[test]
fn stored_query_results_follow_the_deployment_base() {
    // the shipped queries name resources under http://localhost:7878/; the test server's base
    // is http://127.0.0.1:PORT/, yet the results are those of the shipped data
    let s = server();
    let (_, _, body) = s.block_on(get(&s.at("queries/turin-offices?format=csv"), &[]));
    assert!(text(&body).lines().count() > 1, "{}", text(&body));
    assert!(text(&body).contains(&s.at("id/")), "{}", text(&body));
}

#[test]
fn cors_health_and_unknown_paths() {
    let s = server();
    let (status, h, _) = s.block_on(get(
        &s.at("doc/place/turin.ttl"),
        &[("Origin", "https://portal.example.org")],
    ));
    assert_eq!(status, 200);
    assert_eq!(header(&h, "access-control-allow-origin"), "*");
    let preflight = s.block_on(async {
        client()
            .request(reqwest::Method::OPTIONS, s.at("sparql"))
            .header("Origin", "https://portal.example.org")
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "content-type")
            .send()
            .await
            .expect("options")
    });
    assert_eq!(preflight.status(), 200);
    assert_eq!(
        header(preflight.headers(), "access-control-allow-origin"),
        "*"
    );
    let (status, _, body) = s.block_on(get(&s.at("health"), &[]));
    assert_eq!((status, text(&body).as_str()), (200, "ok\n"));
    let (status, h, _) = s.block_on(get(&s.at("no/such/page"), &[("Accept", "text/turtle")]));
    assert_eq!(status, 404);
    assert!(header(&h, "content-type").starts_with("text/plain"));
}

#[test]
fn request_bodies_are_limited() {
    use std::io::{Read, Write};
    let s = server();
    // The declared length alone is refused: the server answers 413 before any of the body is
    // sent (a client that sends the body anyway may find the connection closed under it).
    let address = s.url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = std::net::TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        stream,
        "POST /sparql HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/sparql-query\r\n\
         Content-Length: {}\r\n\r\nSELECT",
        2 << 20
    )
    .expect("send");
    let mut head = [0u8; 64];
    let n = stream.read(&mut head).expect("an answer before the body");
    assert!(
        text(&head[..n]).starts_with("HTTP/1.1 413 "),
        "{}",
        text(&head[..n])
    );
}

#[test]
fn listing_pages_switch_language_by_link() {
    let s = server();
    for path in ["?lang=it", "dumps/?lang=it", "queries/?lang=it"] {
        let (status, _, body) = s.block_on(get(
            &s.at(path),
            &[("Accept", "text/html"), ("Accept-Language", "en")],
        ));
        assert_eq!(status, 200, "{path}");
        assert!(text(&body).contains("<html lang=\"it\""), "{path}");
    }
}

/// The dataset is immutable between builds: a query asked again, or a document, is answered
/// from the build's cache (`Cache-Status`, RFC 9211), revalidated by ETag, and forgotten when
/// the data changes.
#[test]
fn answers_and_documents_are_cached_per_build_and_revalidated() {
    let data = tempfile::tempdir().expect("tempdir");
    crate::copy_dir(&crate::data_dir(), data.path());
    let s = TestServer::with(Settings::default(), |o| o.data = data.path().to_owned());
    let query = "SELECT ?name WHERE { ?n a <https://w3id.org/reti/ontology#Network> ; \
                 <http://www.w3.org/2000/01/rdf-schema#label> ?name FILTER(LANG(?name) = 'en') } \
                 ORDER BY ?name";
    let url = s.at(&format!("sparql?query={}", encode(query)));
    let csv = [("Accept", "text/csv")];

    let (status, first, body) = s.block_on(get(&url, &csv));
    assert_eq!(status, 200);
    assert_eq!(header(&first, "cache-status"), "reti; fwd=miss; stored");
    let etag = header(&first, "etag");
    assert!(etag.starts_with("W/\""), "{etag}");
    assert!(text(&body).contains("GAI – Association for the Circuit of Young Italian Artists"));

    let (status, again, cached) = s.block_on(get(&url, &csv));
    assert_eq!(status, 200);
    assert_eq!(header(&again, "cache-status"), "reti; hit");
    assert_eq!(header(&again, "etag"), etag);
    assert_eq!(header(&again, "content-type"), "text/csv; charset=utf-8");
    assert_eq!(cached, body);

    // another format is another answer
    let (_, json, _) = s.block_on(get(&url, &[("Accept", "application/sparql-results+json")]));
    assert_eq!(header(&json, "cache-status"), "reti; fwd=miss; stored");
    assert_ne!(header(&json, "etag"), etag);

    // a client that has the answer gets 304, without a body
    let (status, h, empty) = s.block_on(get(
        &url,
        &[("Accept", "text/csv"), ("If-None-Match", &etag)],
    ));
    assert_eq!(status, 304);
    assert_eq!(header(&h, "etag"), etag);
    assert!(empty.is_empty());

    // documents: one entry per resource, format and language
    let doc = s.at("doc/network/gai.ttl");
    let (status, h, turtle) = s.block_on(get(&doc, &[]));
    assert_eq!(status, 200);
    assert_eq!(header(&h, "cache-status"), "reti; fwd=miss; stored");
    let (status, h, again) = s.block_on(get(&doc, &[]));
    assert_eq!(status, 200);
    assert_eq!(header(&h, "cache-status"), "reti; hit");
    assert_eq!(header(&h, "content-type"), "text/turtle; charset=utf-8");
    assert_eq!(again, turtle);
    let page = s.at("doc/network/gai");
    for lang in ["en", "it"] {
        let html = [("Accept", "text/html"), ("Accept-Language", lang)];
        let (_, h, first) = s.block_on(get(&page, &html));
        assert_eq!(
            header(&h, "cache-status"),
            "reti; fwd=miss; stored",
            "{lang}"
        );
        let (_, h, second) = s.block_on(get(&page, &html));
        assert_eq!(header(&h, "cache-status"), "reti; hit", "{lang}");
        assert_eq!(first, second);
        assert!(text(&second).contains(&format!("lang=\"{lang}\"")));
    }
    // an unknown resource is not found, however often it is asked for
    for _ in 0..2 {
        assert_eq!(
            s.block_on(get(&s.at("doc/network/nowhere.ttl"), &[])).0,
            404
        );
    }

    // the data changes: the old answer is neither served nor revalidated
    let gai = data.path().join("networks/gai.toml");
    let changed = std::fs::read_to_string(&gai).expect("gai.toml").replace(
        "Circuit of Young Italian Artists\"",
        "Circuit of Young Italian Artists (renamed)\"",
    );
    std::fs::write(&gai, changed).expect("write");
    let mut options = reti::publication::BuildOptions::defaults(&s.url).expect("base");
    options.data = data.path().to_owned();
    options.queries = crate::root().join("queries");
    reti::server::reload(&s.state, &options).expect("reload");
    let (status, h, body) = s.block_on(get(
        &url,
        &[("Accept", "text/csv"), ("If-None-Match", &etag)],
    ));
    assert_eq!(status, 200);
    assert_eq!(header(&h, "cache-status"), "reti; fwd=miss; stored");
    assert_ne!(header(&h, "etag"), etag);
    assert!(text(&body).contains("Young Italian Artists (renamed)"));
    let (_, h, turtle) = s.block_on(get(&doc, &[]));
    assert_eq!(header(&h, "cache-status"), "reti; fwd=miss; stored");
    assert!(text(&turtle).contains("Young Italian Artists (renamed)"));
}

/// Dumps are files, streamed with their length; a start with the same data finds them and
/// does not export again; changed data gets dumps of its own; a dump removed by hand is made
/// again.
#[test]
fn dumps_are_files_found_again_by_a_start_with_the_same_data() {
    let data = tempfile::tempdir().expect("tempdir");
    crate::copy_dir(&crate::data_dir(), data.path());
    let dumps = tempfile::tempdir().expect("tempdir");
    let options = |base: &str| {
        let mut o = reti::publication::BuildOptions::defaults(base).expect("base");
        o.data = data.path().to_owned();
        o.queries = crate::root().join("queries");
        o.dumps_dir = Some(dumps.path().to_owned());
        o
    };
    let s = TestServer::with(Settings::default(), |o| *o = options("http://x.invalid/"));
    let first = s.state.current();
    let nt = first
        .dumps
        .iter()
        .find(|d| d.name == "reti.nt")
        .expect("reti.nt");
    assert!(nt.path.starts_with(dumps.path()));
    assert!(nt.bytes.is_some(), "a small dump is kept in memory");
    let (status, h, body) = s.block_on(get(&s.at("dumps/reti.nt"), &[]));
    assert_eq!(status, 200);
    assert_eq!(header(&h, "content-length"), nt.size.to_string());
    assert_eq!(body, std::fs::read(&nt.path).expect("dump file"));

    // larger than what is kept in memory: streamed from the file, the same bytes
    let streaming = TestServer::with(Settings::default(), |o| {
        *o = options("http://x.invalid/");
        o.dumps_in_memory = 0;
    });
    let current = streaming.state.current();
    assert!(current.dumps.iter().all(|d| d.bytes.is_none()));
    for d in &current.dumps {
        let (status, h, streamed) =
            streaming.block_on(get(&streaming.at(&format!("dumps/{}", d.name)), &[]));
        assert_eq!(status, 200, "{}", d.name);
        assert_eq!(header(&h, "content-length"), d.size.to_string());
        assert_eq!(
            streamed,
            std::fs::read(&d.path).expect("dump file"),
            "{}",
            d.name
        );
    }
    let written = std::fs::metadata(&nt.path)
        .expect("meta")
        .modified()
        .expect("mtime");

    // the same data again: the same files, not written again
    let again =
        reti::publication::Publication::build(&options("http://x.invalid/")).expect("build");
    let nt_again = again
        .dumps
        .iter()
        .find(|d| d.name == "reti.nt")
        .expect("reti.nt");
    assert_eq!(nt_again.path, nt.path);
    assert_eq!(nt_again.sha256, nt.sha256);
    let mtime = std::fs::metadata(&nt.path)
        .expect("meta")
        .modified()
        .expect("mtime");
    assert_eq!(mtime, written, "the dump was written again");

    // another base: other dumps, beside the first
    let other =
        reti::publication::Publication::build(&options("http://y.invalid/")).expect("build");
    let nt_other = other
        .dumps
        .iter()
        .find(|d| d.name == "reti.nt")
        .expect("reti.nt");
    assert_ne!(nt_other.path, nt.path);
    assert!(nt.path.is_file());
    assert!(
        String::from_utf8_lossy(&std::fs::read(&nt_other.path).expect("dump"))
            .contains("<http://y.invalid/id/")
    );

    // a dump removed by hand is made again, the same
    std::fs::remove_file(&nt.path).expect("remove");
    let remade =
        reti::publication::Publication::build(&options("http://x.invalid/")).expect("build");
    let nt_remade = remade
        .dumps
        .iter()
        .find(|d| d.name == "reti.nt")
        .expect("reti.nt");
    assert_eq!(nt_remade.sha256, nt.sha256);
    assert_eq!(std::fs::read(&nt.path).expect("dump"), body);
}

/// The solutions of a tabular answer, each as its sorted `?var=term` pairs, in sorted order
/// (GROUP BY without ORDER BY may list them in any order), after the variables; CSV's lines.
fn solutions_of(format: &str, body: &[u8]) -> Vec<String> {
    use oxigraph::sparql::results::{
        QueryResultsFormat, QueryResultsParser, SliceQueryResultsParserOutput,
    };
    if format == "csv" {
        // CSV is lossy (no parser reads it back): its lines
        let mut lines: Vec<String> = text(body).lines().map(str::to_owned).collect();
        lines[1..].sort();
        return lines;
    }
    let format = match format {
        "tsv" => QueryResultsFormat::Tsv,
        "xml" => QueryResultsFormat::Xml,
        _ => QueryResultsFormat::Json,
    };
    let parsed = QueryResultsParser::from_format(format)
        .for_slice(body)
        .unwrap_or_else(|e| panic!("{format:?} does not parse: {e}"));
    let SliceQueryResultsParserOutput::Solutions(solutions) = parsed else {
        panic!("not solutions");
    };
    let variables: Vec<String> = solutions
        .variables()
        .iter()
        .map(ToString::to_string)
        .collect();
    let mut rows: Vec<String> = solutions
        .map(|solution| {
            let solution = solution.unwrap_or_else(|e| panic!("{format:?}: {e}"));
            let mut pairs: Vec<String> = solution.iter().map(|(v, t)| format!("{v}={t}")).collect();
            pairs.sort();
            pairs.join(" ")
        })
        .collect();
    rows.sort();
    rows.insert(0, variables.join(" "));
    rows
}

#[test]
fn every_stored_query_in_every_format_equals_the_endpoints_answer() {
    // each stored query is evaluated once per build; its other formats are made from that
    // evaluation, and must say what the endpoint says when it evaluates the same text
    let s = server();
    let (_, _, body) = s.block_on(get(&s.at("queries/"), &[("Accept", "application/json")]));
    let list: serde_json::Value = serde_json::from_slice(&body).expect("json");
    let queries = list["queries"].as_array().expect("queries");
    assert!(queries.len() >= 10, "{queries:?}");
    for q in queries {
        let name = q["name"].as_str().expect("name");
        let query = q["query"].as_str().expect("query text");
        let graph = query.contains("CONSTRUCT") || query.contains("DESCRIBE");
        let formats: &[(&str, &str)] = if graph {
            &[("ttl", "text/turtle"), ("nt", "application/n-triples")]
        } else {
            &[
                ("csv", "text/csv"),
                ("json", "application/sparql-results+json"),
                ("tsv", "text/tab-separated-values"),
                ("xml", "application/sparql-results+xml"),
            ]
        };
        for (format, accept) in formats {
            let (status, _, stored) =
                s.block_on(get(&s.at(&format!("queries/{name}?format={format}")), &[]));
            assert_eq!(status, 200, "{name} as {format}: {}", text(&stored));
            let (status, _, direct) = s.block_on(get(
                &s.at(&format!("sparql?query={}", encode(query))),
                &[("Accept", accept)],
            ));
            assert_eq!(status, 200, "{name} at the endpoint: {}", text(&direct));
            if graph {
                let rdf = if *format == "ttl" {
                    RdfFormat::Turtle
                } else {
                    RdfFormat::NTriples
                };
                assert_eq!(
                    parse_graph(rdf, &stored),
                    parse_graph(rdf, &direct),
                    "{name}"
                );
            } else {
                let solutions = solutions_of(format, &stored);
                assert!(solutions.len() > 1, "{name}: {solutions:?}");
                assert_eq!(
                    solutions,
                    solutions_of(format, &direct),
                    "{name} as {format}"
                );
            }
        }
    }
}

/// A server of the shipped data whose stored queries are `queries` (name, text).
fn with_queries(settings: Settings, queries: &[(&str, &str)]) -> (TestServer, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("queries directory");
    for (name, text) in queries {
        std::fs::write(
            dir.path().join(format!("{name}.rq")),
            format!("# title: {name}\n# description: {name}, for a test.\n{text}\n"),
        )
        .expect("write the query");
    }
    let path = dir.path().to_owned();
    let s = TestServer::with(settings, move |options| options.queries = path);
    (s, dir)
}

#[test]
fn a_stored_query_longer_than_a_client_may_wait_is_answered_once_evaluated() {
    // a million memberships' stored queries can take longer than --query-timeout; they are
    // the publisher's own, evaluated once per build, so the evaluation goes on without the
    // client, who is told to come back, and is answered from it then
    let pairs = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }";
    let networks = "CONSTRUCT { ?n a <https://w3id.org/reti/ontology#Network> } WHERE { ?n a <https://w3id.org/reti/ontology#Network> }";
    let (s, _queries) = with_queries(
        Settings {
            query_timeout: Duration::from_millis(10),
            stored_query_timeout: Duration::from_secs(300),
            ..Settings::default()
        },
        &[("pairs", pairs), ("networks", networks)],
    );
    let (status, h, body) = s.block_on(get(&s.at("queries/pairs?format=csv"), &[]));
    assert_eq!(status, 503, "{}", text(&body));
    assert_eq!(header(&h, "retry-after"), "5");
    assert!(
        text(&body).contains("being computed for this build"),
        "{}",
        text(&body)
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(240);
    let body = loop {
        let (status, h, body) = s.block_on(get(&s.at("queries/pairs?format=csv"), &[]));
        if status == 200 {
            // ready when asked, or finished while this request waited for it
            let cache_status = header(&h, "cache-status");
            assert!(
                ["reti; hit", "reti; fwd=miss; collapsed"].contains(&cache_status.as_str()),
                "{cache_status}"
            );
            break body;
        }
        assert_eq!(status, 503, "{}", text(&body));
        assert!(std::time::Instant::now() < deadline, "never evaluated");
        std::thread::sleep(Duration::from_millis(200));
    };
    let triples: u64 = select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0][0]
        .parse()
        .expect("a number");
    assert_eq!(text(&body), format!("n\r\n{}\r\n", triples * triples));
    // the other formats come from the same evaluation, at once
    let (status, h, body) = s.block_on(get(&s.at("queries/pairs?format=json"), &[]));
    assert_eq!(
        (status, header(&h, "cache-status").as_str()),
        (200, "reti; hit")
    );
    let json: serde_json::Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(
        json["results"]["bindings"][0]["n"]["value"],
        (triples * triples).to_string()
    );
    // a CONSTRUCT is kept as N-Triples and given in each RDF format
    let networks_nt = loop {
        let (status, _, body) = s.block_on(get(&s.at("queries/networks?format=nt"), &[]));
        if status == 200 {
            break body;
        }
        assert!(std::time::Instant::now() < deadline, "never evaluated");
        std::thread::sleep(Duration::from_millis(200));
    };
    let expected = parse_graph(RdfFormat::NTriples, &networks_nt);
    assert_eq!(
        expected.len(),
        select("SELECT ?n WHERE { ?n a <https://w3id.org/reti/ontology#Network> }").len()
    );
    for (format, parsed) in [
        ("ttl", RdfFormat::Turtle),
        (
            "jsonld",
            RdfFormat::JsonLd {
                profile: Default::default(),
            },
        ),
        ("rdf", RdfFormat::RdfXml),
    ] {
        let (status, _, body) = s.block_on(get(
            &s.at(&format!("queries/networks?format={format}")),
            &[],
        ));
        assert_eq!(status, 200, "{format}: {}", text(&body));
        assert_eq!(parse_graph(parsed, &body), expected, "{format}");
    }
}

#[test]
fn warming_up_evaluates_every_stored_query_before_it_is_asked() {
    let s = TestServer::start();
    let state = std::sync::Arc::clone(&s.state);
    s.block_on(reti::server::warm_up(state));
    let (_, _, body) = s.block_on(get(&s.at("queries/"), &[("Accept", "application/json")]));
    let list: serde_json::Value = serde_json::from_slice(&body).expect("json");
    for q in list["queries"].as_array().expect("queries") {
        let name = q["name"].as_str().expect("name");
        let (status, h, _) = s.block_on(get(&s.at(&format!("queries/{name}")), &[]));
        assert_eq!(status, 200, "{name}");
        assert_eq!(header(&h, "cache-status"), "reti; hit", "{name}");
    }
}

#[test]
fn a_request_under_way_when_shutdown_begins_is_answered_before_the_server_stops() {
    use reti::publication::{BuildOptions, Publication};
    use reti::server::AppState;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = listener.local_addr().expect("address");
        let mut options = BuildOptions::defaults(&format!("http://{address}/")).expect("base");
        options.data = crate::data_dir();
        let dumps = tempfile::tempdir().expect("dumps directory");
        options.dumps_dir = Some(dumps.path().to_owned());
        let published = Publication::build(&options).unwrap_or_else(|e| panic!("build: {e}"));
        let app = reti::server::app(AppState::new(published, Settings::default()));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(reti::server::listen::serve(listener, app, async {
            let _ = stopped.await;
        }));
        // a query whose body is not all sent when the shutdown begins
        let query = b"ASK { ?s ?p ?o }";
        let mut stream = tokio::net::TcpStream::connect(address)
            .await
            .expect("connect");
        let head = format!(
            "POST /sparql HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/sparql-query\r\nAccept: application/sparql-results+json\r\nContent-Length: {}\r\n\r\n",
            query.len()
        );
        stream.write_all(head.as_bytes()).await.expect("head");
        stream.write_all(&query[..5]).await.expect("part");
        tokio::time::sleep(Duration::from_millis(500)).await;
        stop.send(()).expect("the server is running");
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert!(
            !server.is_finished(),
            "the server stopped with a request under way"
        );
        stream.write_all(&query[5..]).await.expect("rest");
        let mut answer = Vec::new();
        tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut answer))
            .await
            .expect("the answer came within 30 s")
            .expect("read");
        let answer = text(&answer);
        assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
        assert!(answer.ends_with("{\"head\":{},\"boolean\":true}"), "{answer}");
        let stopped = tokio::time::timeout(Duration::from_secs(30), server)
            .await
            .expect("the server stopped once the request was answered");
        assert!(matches!(stopped, Ok(Ok(()))), "{stopped:?}");
    });
}

#[test]
fn a_document_asked_again_is_answered_from_the_cache_with_the_same_headers() {
    // a server of its own: the first request must be the first one this build sees
    let s = TestServer::start();
    let doc = s.at("doc/place/turin");
    let expected_link = format!(
        "<{doc}.html>; rel=\"alternate\"; type=\"text/html\", \
         <{doc}.jsonld>; rel=\"alternate\"; type=\"application/ld+json\", \
         <{doc}.nt>; rel=\"alternate\"; type=\"application/n-triples\", \
         <{doc}.rdf>; rel=\"alternate\"; type=\"application/rdf+xml\", \
         <{}>; rel=\"describes\"",
        s.at("id/place/turin")
    );
    let mut answers = Vec::new();
    for _ in 0..2 {
        let (status, h, body) = s.block_on(get(&format!("{doc}.ttl"), &[]));
        assert_eq!(status, 200);
        assert_eq!(header(&h, "link"), expected_link);
        assert_eq!(header(&h, "content-type"), "text/turtle; charset=utf-8");
        assert_eq!(header(&h, "content-location"), "");
        let kept = ["etag", "last-modified"].map(|name| header(&h, name));
        answers.push((header(&h, "cache-status"), kept, body));
    }
    assert_eq!(answers[0].0, "reti; fwd=miss; stored");
    assert_eq!(answers[1].0, "reti; hit");
    assert_eq!(answers[0].1, answers[1].1, "etag and last-modified");
    assert!(answers[0].1.iter().all(|v| !v.is_empty()));
    assert_eq!(answers[0].2, answers[1].2, "the same bytes");
    // negotiated: every format is an alternate, and the document names its own URL
    let (status, h, _) = s.block_on(get(&doc, &[("Accept", "text/turtle")]));
    assert_eq!(status, 200);
    assert_eq!(header(&h, "cache-status"), "reti; hit");
    assert_eq!(
        header(&h, "link"),
        format!("<{doc}.ttl>; rel=\"alternate\"; type=\"text/turtle\", {expected_link}")
    );
    assert_eq!(header(&h, "content-location"), format!("{doc}.ttl"));
}

fn decode(coding: &str, body: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    match coding {
        "br" => brotli::Decompressor::new(body, 4096).read_to_end(&mut out),
        "gzip" => flate2::read::GzDecoder::new(body).read_to_end(&mut out),
        other => panic!("unexpected coding {other}"),
    }
    .unwrap_or_else(|e| panic!("{coding} does not decode: {e}"));
    out
}

#[test]
fn compressed_answers_are_made_once_a_build_and_revalidate() {
    // a server of its own: the first compressed answer must be the first this build makes
    let s = TestServer::start();
    let json = ("Accept", "application/sparql-results+json");
    let answers = [
        (s.at("doc/place/turin.ttl"), ("Accept", "text/turtle")),
        (s.at(&format!("sparql?query={}", encode(COUNT_GAI))), json),
        (s.at("dumps/reti.nt"), ("Accept", "*/*")),
    ];
    for (url, accept) in &answers {
        let (status, plain_headers, plain) = s.block_on(get(url, &[*accept]));
        assert_eq!(status, 200, "{url}");
        let tag = header(&plain_headers, "etag");
        let weak = if tag.starts_with("W/") {
            tag.clone()
        } else {
            format!("W/{tag}")
        };
        for (coding, accepted) in [("br", "gzip, deflate, br, zstd"), ("gzip", "gzip, deflate")] {
            let mut seen = Vec::new();
            for _ in 0..2 {
                let (status, h, body) =
                    s.block_on(get(url, &[*accept, ("Accept-Encoding", accepted)]));
                assert_eq!(status, 200, "{url} {coding}");
                assert_eq!(header(&h, "content-encoding"), coding, "{url}");
                assert_eq!(decode(coding, &body), plain, "{url} {coding}");
                assert!(body.len() < plain.len(), "{url} {coding} compresses");
                assert_eq!(header(&h, "etag"), weak, "{url} {coding}");
                assert!(
                    header(&h, "vary")
                        .to_ascii_lowercase()
                        .contains("accept-encoding"),
                    "{url} {coding}"
                );
                seen.push((header(&h, "cache-status"), body));
            }
            assert!(
                seen[0].0.ends_with("reti-compressed; fwd=miss; stored"),
                "{url} {coding}: {}",
                seen[0].0
            );
            assert!(
                seen[1].0.ends_with("reti-compressed; hit"),
                "{url} {coding}: {}",
                seen[1].0
            );
            assert_eq!(seen[0].1, seen[1].1, "the same compressed bytes");
            // a client holding the compressed answer revalidates it
            let (status, _, body) = s.block_on(get(
                url,
                &[
                    *accept,
                    ("Accept-Encoding", accepted),
                    ("If-None-Match", &weak),
                ],
            ));
            assert_eq!((status, body.len()), (304, 0), "{url} {coding}");
        }
        // a client that accepts no coding gets the answer as it is
        let (_, h, body) = s.block_on(get(url, &[*accept, ("Accept-Encoding", "identity")]));
        assert_eq!(header(&h, "content-encoding"), "");
        assert_eq!(header(&h, "etag"), tag);
        assert_eq!(body, plain);
    }
}
