//! Hostile requests against a real server: odd and encoded paths, path traversal, huge bodies,
//! headers and parameter lists, deeply nested queries, clients that trickle their headers, and
//! markup planted in the data. None may crash the server, hang it, leak a file or get a 500.

use crate::copy_dir;
use crate::serve::{TestServer, client, get, header};
use reti::server::Settings;
use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const BROWSER: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

/// One server over the shipped data for the tests that do not change it.
fn server() -> &'static TestServer {
    static SERVER: OnceLock<TestServer> = OnceLock::new();
    SERVER.get_or_init(TestServer::start)
}

/// `127.0.0.1:PORT` of a test server.
fn address(server: &TestServer) -> String {
    server
        .url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned()
}

/// Sends `request` as written (no client normalises it) and reads the whole answer; the
/// request should say `Connection: close`.
async fn raw(server: &TestServer, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(address(server)).await.expect("connect");
    stream.write_all(request).await.expect("write");
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut answer));
    read.await.expect("answered in time").expect("read");
    String::from_utf8_lossy(&answer).into_owned()
}

/// The status code of a raw HTTP/1.1 answer.
fn status_of(answer: &str) -> u16 {
    answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP answer: {answer:.200}"))
}

/// Text that must never appear in an answer: the start of files a traversal would reach.
const LEAKS: &[&str] = &["[package]", "root:x:", "[[source]]", "slug,type", "PREFIX "];

#[test]
fn encoded_and_non_ascii_paths_get_a_clean_404_or_400() {
    let s = server();
    for (path, expected) in [
        ("/doc/place/tor%C3%ADno", &[404][..]),
        ("/doc/place/tor%C3%ADno.html", &[404]),
        ("/id/place/%E2%80%AE", &[404]),
        ("/id/place/%E2%80%AEnirut", &[404]),
        ("/id/place/Turin", &[404]),
        ("/doc/place/TURIN.ttl", &[404]),
        ("/doc/place/turin.TTL", &[404]),
        ("/id/place/tur%00in", &[404]),
        ("/doc/place/turin%00.html", &[404]),
        ("/doc/place/turin.html%00", &[404]),
        ("/id/%00/turin", &[404]),
        ("/dumps/reti.ttl%00", &[404]),
        ("/queries/sources%00", &[404]),
        ("/assets/style.css%00", &[404]),
        ("/doc/place/turin.html%0D%0ASet-Cookie:%20x=1", &[404]),
        (
            "/id/place/turin%0D%0ALocation:%20http://evil.example/",
            &[404],
        ),
        // overlong UTF-8 (`/` as two bytes) and lone continuation bytes are not UTF-8
        ("/doc/place/%C0%AF", &[400, 404]),
        ("/id/place/%C0%AF..%C0%AFetc", &[400, 404]),
        ("/dumps/%C0%AF", &[400, 404]),
        ("/queries/%80", &[400, 404]),
        ("/assets/%FF", &[400, 404]),
        ("/doc/%C0%AE%C0%AE/x", &[400, 404]),
        ("/%C0%AF", &[404]),
        ("/sparql/%00", &[404]),
        (&"/doc/place/a".repeat(2000), &[404]),
        (&format!("/id/place/{}", "é".repeat(5000)), &[404]),
    ] {
        for accept in ["*/*", BROWSER, "text/turtle"] {
            let (status, headers, body) = s.block_on(get(&s.at(path), &[("Accept", accept)]));
            assert!(
                expected.contains(&status),
                "GET {path:.80} ({accept}): {status}\n{}",
                String::from_utf8_lossy(&body)
            );
            // nothing smuggled into a header from the path
            assert!(header(&headers, "set-cookie").is_empty(), "{path:.80}");
            assert!(header(&headers, "location").is_empty(), "{path:.80}");
        }
    }
    // the same resource under its own name still answers
    let (status, _, _) = s.block_on(get(&s.at("/doc/place/turin.ttl"), &[]));
    assert_eq!(status, 200);
}

#[test]
fn a_path_is_never_echoed_as_markup() {
    let s = server();
    for path in [
        "/doc/place/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/id/place/%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E",
        "/no/such/%3Cscript%3Ealert(1)%3C/script%3E",
        "/dumps/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/queries/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    ] {
        let (status, headers, body) = s.block_on(get(&s.at(path), &[("Accept", BROWSER)]));
        let body = String::from_utf8_lossy(&body);
        assert_eq!(status, 404, "{path}: {body}");
        if header(&headers, "content-type").starts_with("text/html") {
            assert!(!body.contains("<script>alert"), "{path}: {body}");
            assert!(!body.contains("<img src=x"), "{path}: {body}");
        }
    }
}

#[test]
fn traversal_in_dump_document_and_asset_paths_finds_nothing() {
    let s = server();
    for path in [
        "/dumps/..%2f..%2fCargo.toml",
        "/dumps/..%2F..%2Fdata%2Fsources.toml",
        "/dumps/%2e%2e%2fCargo.toml",
        "/dumps/..%5c..%5cCargo.toml",
        "/dumps/%2fetc%2fpasswd",
        "/doc/place/..%2F..%2Fdata",
        "/doc/place/..%2F..%2FCargo.toml",
        "/doc/%2e%2e/%2e%2e/etc/passwd",
        "/doc/%2e%2e/%2e%2e%2fetc%2fpasswd",
        "/doc/..%2f..%2f..%2fetc/passwd",
        "/id/place/..%2f..%2f..%2fetc%2fpasswd",
        "/queries/..%2fqueries%2fsources.rq",
        "/queries/..%2F..%2Fqueries%2Fsources",
        "/assets/..%2f..%2fCargo.toml",
        "/assets/..%2ftemplates%2fbase.html",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/ontology/..%2f..%2fCargo.toml",
    ] {
        let (status, _, body) = s.block_on(get(&s.at(path), &[]));
        let body = String::from_utf8_lossy(&body);
        assert_eq!(status, 404, "{path}: {body}");
        for leak in LEAKS {
            assert!(!body.contains(leak), "{path} leaks `{leak}`: {body}");
        }
    }
    // unnormalised `..` segments, which an ordinary client would resolve before sending
    for path in [
        "/dumps/../Cargo.toml",
        "/dumps/../../../../etc/passwd",
        "/doc/place/../../Cargo.toml",
        "/assets/../src/lib.rs",
        "/queries/../queries/sources.rq",
        "/../../etc/passwd",
        "/dumps/..\\..\\Cargo.toml",
    ] {
        let request =
            format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        let answer = s.block_on(raw(s, request.as_bytes()));
        let status = status_of(&answer);
        assert!(matches!(status, 400 | 404), "{path}: {answer}");
        for leak in LEAKS {
            assert!(!answer.contains(leak), "{path} leaks `{leak}`: {answer}");
        }
    }
}

#[test]
fn a_ten_megabyte_query_is_refused_with_413_at_once() {
    let s = server();
    let head = |length: &str| {
        format!(
            "POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/sparql-query\r\n\
             {length}\r\nConnection: close\r\n\r\n"
        )
    };
    // announced by Content-Length: refused before the body is read
    let started = Instant::now();
    let answer = s.block_on(async {
        let mut stream = TcpStream::connect(address(s)).await.expect("connect");
        let request = head(&format!("Content-Length: {}", 10 << 20)) + "SELECT * WHERE { ?s ?p \"";
        stream.write_all(request.as_bytes()).await.expect("write");
        let mut answer = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer));
        let _ = read.await.expect("answered without the body");
        String::from_utf8_lossy(&answer).into_owned()
    });
    assert_eq!(status_of(&answer), 413, "{answer:.300}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );

    // sent in chunks, with no length announced: cut off at the limit (the server answers and
    // closes while the client is still sending, so the client may only see the connection go)
    let started = Instant::now();
    let answer = s.block_on(async {
        let stream = TcpStream::connect(address(s)).await.expect("connect");
        let (mut reader, mut writer) = stream.into_split();
        let writing = tokio::spawn(async move {
            let _ = writer
                .write_all(head("Transfer-Encoding: chunked").as_bytes())
                .await;
            let chunk = format!("{:x}\r\n{}\r\n", 64 << 10, "x".repeat(64 << 10));
            for _ in 0..160 {
                if writer.write_all(chunk.as_bytes()).await.is_err() {
                    return;
                }
            }
            let _ = writer.write_all(b"0\r\n\r\n").await;
        });
        let mut answer = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(10), reader.read_to_end(&mut answer));
        let _ = read.await.expect("answered in time");
        writing.abort();
        String::from_utf8_lossy(&answer).into_owned()
    });
    if !answer.is_empty() {
        assert_eq!(status_of(&answer), 413, "{answer:.300}");
    }
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    let (status, _, _) = s.block_on(get(&s.at("/health"), &[]));
    assert_eq!(status, 200);
}

/// POSTs a query; returns status and message.
fn post_query(s: &TestServer, query: String) -> (u16, String) {
    s.block_on(async {
        let response = client()
            .post(s.at("/sparql"))
            .header("Content-Type", "application/sparql-query")
            .header("Accept", "application/sparql-results+json")
            .body(query)
            .send()
            .await
            .expect("POST");
        let status = response.status().as_u16();
        (status, response.text().await.unwrap_or_default())
    })
}

#[test]
fn deeply_nested_queries_are_refused_not_a_crash() {
    let s = server();
    for depth in [10_000, 100_000] {
        let groups = format!(
            "SELECT * WHERE {} ?s ?p ?o {}",
            "{ ".repeat(depth),
            "} ".repeat(depth)
        );
        let parentheses = format!(
            "SELECT * WHERE {{ ?s ?p ?o FILTER({}1{}) }}",
            "(".repeat(depth),
            ")".repeat(depth)
        );
        let negations = format!("ASK {{ FILTER({}true) }}", "!".repeat(depth));
        let unbalanced = format!("SELECT * WHERE {}", "{ ".repeat(depth));
        let paths = format!(
            "SELECT * WHERE {{ ?s {}<p>{} ?o }}",
            "(".repeat(depth),
            ")".repeat(depth)
        );
        let collections = format!(
            "SELECT * WHERE {{ ?s ?p {}1{} }}",
            "(".repeat(depth),
            ")".repeat(depth)
        );
        let blank_nodes = format!(
            "SELECT * WHERE {{ ?s ?p {} }}",
            "[ <p> ".repeat(depth) + &"] ".repeat(depth)
        );
        for (what, query) in [
            ("groups", groups),
            ("parentheses", parentheses),
            ("negations", negations),
            ("unbalanced", unbalanced),
            ("paths", paths),
            ("collections", collections),
            ("blank nodes", blank_nodes),
        ] {
            let started = Instant::now();
            let (status, message) = post_query(s, query);
            assert!(
                (400..500).contains(&status),
                "{depth} nested {what}: {status} {message:.300}"
            );
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "{depth} nested {what} took {:?}",
                started.elapsed()
            );
        }
    }
    // by GET too (the URL is limited in length: 2000 levels), escaped as the parser decodes
    // escapes first, and a modestly nested query still runs
    for nested in [
        format!("ASK {}{}", "{".repeat(2000), "}".repeat(2000)),
        format!("ASK {}{}", "\\u007B".repeat(2000), "\\u007D".repeat(2000)),
        format!("ASK {{ FILTER({}1) }}", "-".repeat(8000)),
    ] {
        let url = reqwest::Url::parse_with_params(&s.at("/sparql"), [("query", nested.as_str())])
            .expect("url");
        let (status, _, body) = s.block_on(get(url.as_str(), &[]));
        assert!(
            (400..500).contains(&status),
            "{status} {:.200}",
            String::from_utf8_lossy(&body)
        );
    }
    let modest = format!(
        "SELECT * WHERE {} ?s ?p ?o FILTER({}1{}) {} LIMIT 1",
        "{ ".repeat(20),
        "(".repeat(20),
        ")".repeat(20),
        "} ".repeat(20)
    );
    let (status, message) = post_query(s, modest);
    assert_eq!(status, 200, "{message}");
    let (status, _, _) = s.block_on(get(&s.at("/health"), &[]));
    assert_eq!(status, 200, "the server survived");
}

#[test]
fn ten_thousand_accept_entries_are_answered_quickly() {
    let s = server();
    let many: Vec<String> = (0..10_000)
        .map(|i| format!("application/x-nothing-{i};q=0.{}", i % 9 + 1))
        .collect();
    let junk_then_turtle = format!("{}, text/turtle", many.join(", "));
    let turtle_then_junk = format!("text/turtle, {}", many.join(", "));
    let wildcards = vec!["*/*;q=0.1"; 10_000].join(",");
    for (accept, expected) in [
        (junk_then_turtle.as_str(), &[200, 406][..]),
        (turtle_then_junk.as_str(), &[200]),
        (wildcards.as_str(), &[200]),
    ] {
        for path in [
            "/doc/place/turin",
            "/sparql?query=ASK%7B%7D",
            "/catalog",
            "/",
        ] {
            let started = Instant::now();
            let (status, _, _) = s.block_on(get(&s.at(path), &[("Accept", accept)]));
            assert!(
                expected.contains(&status) || (path == "/sparql?query=ASK%7B%7D" && status == 406),
                "{path} with Accept of {} bytes: {status}",
                accept.len()
            );
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "{path} took {:?}",
                started.elapsed()
            );
        }
    }
    // the cut header still negotiates: Turtle first wins
    let (status, headers, _) = s.block_on(get(
        &s.at("/doc/place/turin"),
        &[("Accept", turtle_then_junk.as_str())],
    ));
    assert_eq!(status, 200);
    assert!(header(&headers, "content-type").starts_with("text/turtle"));
}

#[test]
fn odd_headers_and_parameter_lists_get_a_4xx_or_200() {
    let s = server();
    let languages: String = (0..10_000)
        .map(|i| format!("x{i};q=0.{}", i % 9 + 1))
        .collect::<Vec<_>>()
        .join(", ");
    let languages_it_last = format!("{languages}, it");
    let big = "a".repeat(100 << 10);
    let comma_bomb = ",".repeat(100 << 10);
    let headers: Vec<(&str, &str)> = vec![
        ("If-Modified-Since", "yesterday"),
        ("If-Modified-Since", "Mon, 99 Foo 2024 99:99:99 GMT"),
        ("If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT"),
        ("If-Modified-Since", "Fri, 31 Dec 9999 23:59:59 GMT"),
        ("If-Modified-Since", "-1"),
        ("If-None-Match", "W/"),
        ("If-None-Match", big.as_str()),
        ("If-None-Match", comma_bomb.as_str()),
        ("Accept-Language", languages.as_str()),
        ("Accept-Language", languages_it_last.as_str()),
        ("Accept-Language", ";;;q=;q=NaN,it;q=inf,en;q=-1"),
        ("Accept-Encoding", comma_bomb.as_str()),
        ("Accept", comma_bomb.as_str()),
        ("Accept", ";q=0.5, /, */, text/, ;;;"),
        ("X-Padding", big.as_str()),
        ("Cookie", big.as_str()),
        ("Range", "bytes=0-1,2-3,4-5,0-"),
        ("Range", "bytes=99999999999999999999-"),
    ];
    let paths = [
        "/",
        "/doc/place/turin.html",
        "/doc/network/uccn",
        "/id/place/turin",
        "/dumps/reti.ttl",
        "/dumps/",
        "/queries/sources",
        "/sparql",
        "/catalog",
    ];
    for path in paths {
        for (name, value) in &headers {
            let (status, _, _) = s.block_on(get(&s.at(path), &[(name, value), ("Accept", "*/*")]));
            assert!(
                status < 500 && status != 304 || (*name == "If-Modified-Since" && status == 304),
                "{path} with {name} of {} bytes: {status}",
                value.len()
            );
        }
    }
    // a 10 000-entry Accept-Language still picks a language
    let (status, _, body) = s.block_on(get(
        &s.at("/doc/place/turin.html"),
        &[("Accept-Language", languages.as_str())],
    ));
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&body).contains("<html lang=\"en\">"));

    // 1000 query parameters, repeated and empty ones included
    let mut params: Vec<String> = (0..1000).map(|i| format!("p{i}={i}")).collect();
    params.extend(["lang=it", "lang=en", "format=", "=", "&&&", "%ZZ=%ZZ"].map(String::from));
    let params = params.join("&");
    for path in [
        "/",
        "/doc/place/turin.html",
        "/dumps/",
        "/queries/sources",
        "/sparql",
        "/catalog",
    ] {
        let (status, _, body) = s.block_on(get(
            &format!("{}?{params}", s.at(path)),
            &[("Accept", BROWSER)],
        ));
        assert!(
            status < 500,
            "{path} with 1000 parameters: {status} {:.200}",
            String::from_utf8_lossy(&body)
        );
    }
    let query = format!("query=ASK%7B%7D&{params}");
    let (status, _, body) = s.block_on(get(&format!("{}?{query}", s.at("/sparql")), &[]));
    assert!(
        status == 200 || status == 400,
        "{status} {:.200}",
        String::from_utf8_lossy(&body)
    );
    // a thousand queries at once is one too many, not a thousand evaluations
    let queries = vec!["query=ASK%7B%7D"; 1000].join("&");
    let (status, _, _) = s.block_on(get(&format!("{}?{queries}", s.at("/sparql")), &[]));
    assert_eq!(status, 400);
}

#[test]
fn a_client_that_trickles_its_headers_is_dropped_and_others_are_served() {
    let timeout = Duration::from_secs(3);
    let s = TestServer::with_header_timeout(Settings::default(), |_| {}, timeout);
    let request = b"GET /health HTTP/1.1\r\nHost: localhost\r\nUser-Agent: slowloris\r\nX-Slow: 1234567890\r\n\r\n";
    let (dropped_after, served_meanwhile) = s.block_on(async {
        let stream = TcpStream::connect(address(&s)).await.expect("connect");
        let (mut reader, mut writer) = stream.into_split();
        let started = Instant::now();
        let trickle = tokio::spawn(async move {
            for byte in request {
                if writer.write_all(&[*byte]).await.is_err() {
                    return;
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
        // meanwhile, other clients are answered at once
        let mut served = 0;
        for _ in 0..3 {
            tokio::time::sleep(Duration::from_millis(500)).await;
            let quick = Instant::now();
            let (status, _, _) = get(&s.at("/health"), &[]).await;
            if status == 200 && quick.elapsed() < Duration::from_secs(1) {
                served += 1;
            }
        }
        // the slow client's connection is closed by the server: a read ends
        let mut buf = [0u8; 1024];
        let mut answer = Vec::new();
        loop {
            match tokio::time::timeout(Duration::from_secs(30), reader.read(&mut buf)).await {
                Ok(Ok(0)) | Ok(Err(_)) => break,
                Ok(Ok(n)) => answer.extend_from_slice(&buf[..n]),
                Err(_) => panic!("the server kept the slow connection open for 30 s"),
            }
        }
        trickle.abort();
        let text = String::from_utf8_lossy(&answer).into_owned();
        assert!(
            !text.contains("200 OK"),
            "the trickled request was served: {text}"
        );
        (started.elapsed(), served)
    });
    assert!(
        dropped_after >= timeout - Duration::from_millis(500)
            && dropped_after < timeout + Duration::from_secs(3),
        "dropped after {dropped_after:?}"
    );
    assert_eq!(
        served_meanwhile, 3,
        "other requests were answered meanwhile"
    );
    assert_eq!(
        reti::server::listen::HEADER_READ_TIMEOUT,
        Duration::from_secs(10),
        "reti serve's own limit"
    );
}

// ---------------------------------------------------------------------------------------------
// Markup in the data

const SCRIPT: &str = "<script>alert(1)</script>";
const IMG: &str = "\"><img src=x onerror=alert(1)>";

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "`{from}` not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

/// Every `<script type="application/ld+json">` and `application/json` block, parsed.
fn script_json(html: &str) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for opening in [
        "<script type=\"application/ld+json\">",
        "<script type=\"application/json\" id=\"query-data\">",
    ] {
        for s in html.split(opening).skip(1) {
            let json = &s[..s.find("</script>").expect("script end")];
            out.push(
                serde_json::from_str(json)
                    .unwrap_or_else(|e| panic!("script JSON does not parse: {e}\n{json}")),
            );
        }
    }
    out
}

fn strings_in(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|v| strings_in(v, out)),
        serde_json::Value::Object(o) => o.values().for_each(|v| strings_in(v, out)),
        _ => {}
    }
}

#[test]
fn markup_in_names_and_descriptions_is_escaped_on_every_page_that_shows_it() {
    let evil_name = format!("Turin {SCRIPT} {IMG}");
    let evil_description = format!("A city {IMG} with {SCRIPT} in its description");
    let evil_network = format!("creativity {SCRIPT} and {IMG} as a strategic factor");
    let evil_title = format!("Members {SCRIPT} {IMG}");
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let queries = dir.path().join("queries");
    copy_dir(&crate::data_dir(), &data);
    copy_dir(&crate::root().join("queries"), &queries);
    // a member city's name (a CSV cell, quoted) and description (TOML)
    let csv_cell = format!("\"{}\"", evil_name.replace('"', "\"\""));
    edit(
        &data.join("places/municipalities.places.csv"),
        "turin,municipality,Turin,",
        &format!("turin,municipality,{csv_cell},"),
    );
    let toml_string = |s: &str| serde_json::to_string(s).expect("quoted");
    edit(
        &data.join("places/other.toml"),
        "slug = \"turin\"\nsource = \"turin-networks-page\"\n",
        &format!(
            "slug = \"turin\"\nsource = \"turin-networks-page\"\ndescription.en = {}\n",
            toml_string(&evil_description)
        ),
    );
    // a network's description
    edit(
        &data.join("networks/uccn.toml"),
        "creativity as a strategic factor",
        &evil_network,
    );
    // a stored query's title and description, shown on the query pages
    edit(
        &queries.join("members-with-wikidata.rq"),
        "# title: Members and their Wikidata items",
        &format!("# title: {evil_title}"),
    );
    edit(
        &queries.join("members-with-wikidata.rq"),
        "# description: Every place",
        &format!("# description: {IMG} Every place"),
    );
    let evil = TestServer::with(Settings::default(), |options| {
        options.data = data.clone();
        options.queries = queries.clone();
    });

    // (page, strings it must show as text)
    let pages: &[(&str, &[&str])] = &[
        ("/doc/place/turin.html", &[&evil_name, &evil_description]),
        ("/doc/network/uccn.html", &[&evil_name, &evil_network]),
        ("/doc/network/gai.html", &[&evil_name]),
        ("/doc/membership/uccn-turin.html", &[&evil_name]),
        ("/", &[]),
        ("/queries/members-with-wikidata", &[&evil_name, &evil_title]),
        ("/queries/", &[&evil_title]),
        ("/sparql", &[]),
        ("/sparql?example=members-with-wikidata", &[&evil_title]),
        ("/sparql?example=%3Cscript%3Ealert(1)%3C%2Fscript%3E", &[]),
    ];
    for (path, shown) in pages {
        for lang in ["en", "it"] {
            let (status, _, body) = evil.block_on(get(
                &evil.at(path),
                &[("Accept", BROWSER), ("Accept-Language", lang)],
            ));
            let html = String::from_utf8(body).expect("UTF-8");
            assert_eq!(status, 200, "{path}: {html}");
            assert!(!html.contains(SCRIPT), "{path} ({lang}): markup injected");
            assert!(!html.contains("<img"), "{path} ({lang}): markup injected");
            assert!(
                !html.contains(IMG),
                "{path} ({lang}): attribute broken out of"
            );
            assert_eq!(
                html.matches("<script").count(),
                html.matches("</script>").count(),
                "{path}: a script element opened by the data"
            );
            let mut strings = Vec::new();
            for block in script_json(&html) {
                strings_in(&block, &mut strings);
            }
            if lang == "en" {
                for text in *shown {
                    // shown escaped in the page, or intact inside a JSON block
                    let escaped = text
                        .replace('&', "&#38;")
                        .replace('<', "&#60;")
                        .replace('>', "&#62;")
                        .replace('"', "&#34;");
                    let escaped_named = text
                        .replace('&', "&amp;")
                        .replace('<', "&lt;")
                        .replace('>', "&gt;")
                        .replace('"', "&quot;");
                    assert!(
                        html.contains(&escaped)
                            || html.contains(&escaped_named)
                            || strings.iter().any(|s| s.contains(*text)),
                        "{path}: `{text}` not shown"
                    );
                }
            }
        }
    }
    // the JSON-LD of the city's page carries the name intact, escaped for the script element
    let (_, _, body) = evil.block_on(get(
        &evil.at("/doc/place/turin.html"),
        &[("Accept", BROWSER), ("Accept-Language", "en")],
    ));
    let html = String::from_utf8(body).expect("UTF-8");
    let mut strings = Vec::new();
    for block in script_json(&html) {
        strings_in(&block, &mut strings);
    }
    assert!(strings.iter().any(|s| s == &evil_name), "{strings:?}");
    assert!(
        strings.iter().any(|s| s == &evil_description),
        "{strings:?}"
    );
    assert!(html.contains("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"));
    // the machine formats carry it as data
    let (status, _, body) = evil.block_on(get(&evil.at("/doc/place/turin.jsonld"), &[]));
    assert_eq!(status, 200);
    let json: serde_json::Value = serde_json::from_slice(&body).expect("JSON-LD");
    let mut strings = Vec::new();
    strings_in(&json, &mut strings);
    assert!(strings.iter().any(|s| s == &evil_name));
}
