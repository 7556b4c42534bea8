//! Every query bounded, from outside: runaway queries of many shapes are stopped and answered
//! with a message (never 200, never cached), their evaluation really ends, memory stays within
//! the budget, an abandoned query is cancelled, and one client address cannot take every
//! query slot.

use crate::serve::{TestServer, header};
use reti::server::Settings;
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// Four and five patterns that share no variable: 2 405 triples to the power of each.
const P4: &str = "?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l";
const P5: &str = "?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o";

/// `BIND("ab" AS ?x0)` then `steps` times `BIND(CONCAT(?xN, ?xN) AS ?xN+1)`: a string that
/// doubles at each step, on one row.
fn doubling(steps: usize) -> String {
    doubling_from("ab", steps)
}

/// As [`doubling`], from `seed`.
fn doubling_from(seed: &str, steps: usize) -> String {
    let mut q = String::from("SELECT (STRLEN(?x");
    q.push_str(&steps.to_string());
    q.push_str(") AS ?n) WHERE { BIND(\"");
    q.push_str(seed);
    q.push_str("\" AS ?x0) ");
    for i in 0..steps {
        q.push_str(&format!("BIND(CONCAT(?x{i}, ?x{i}) AS ?x{}) ", i + 1));
    }
    q.push('}');
    q
}

/// The runaway queries of `tests/runaway/` (see its README): name and text.
fn runaways() -> Vec<(String, String)> {
    let dir = crate::root().join("tests/runaway");
    let mut queries: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("tests/runaway")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "rq"))
        .map(|path| {
            let name = path
                .file_stem()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            (name, std::fs::read_to_string(&path).expect("query"))
        })
        .collect();
    queries.sort();
    assert!(queries.len() >= 30, "{} runaway queries", queries.len());
    queries
}

fn runaway_settings() -> Settings {
    Settings {
        query_timeout: Duration::from_secs(1),
        max_concurrent_queries: 8,
        max_queries_per_client: Some(8),
        query_memory: 256 << 20,
        ..Settings::default()
    }
}

/// POSTs `query` as a form from the address `from`; returns status, headers and body.
async fn post_query(
    url: &str,
    query: &str,
    from: Option<IpAddr>,
    forwarded: Option<&str>,
) -> (u16, reqwest::header::HeaderMap, String) {
    reti::support::http::install_tls_provider();
    let mut builder = reqwest::Client::builder()
        .no_gzip()
        .no_brotli()
        .timeout(Duration::from_secs(120));
    if let Some(ip) = from {
        builder = builder.local_address(ip);
    }
    let client = builder.build().expect("client");
    let mut request = client
        .post(format!("{url}sparql"))
        .header(
            "accept",
            "application/sparql-results+json, text/turtle;q=0.5",
        )
        .header("content-type", "application/sparql-query")
        .body(query.to_owned());
    if let Some(f) = forwarded {
        request = request.header("x-forwarded-for", f);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.text().await.expect("body"))
}

/// Waits until no query is being evaluated; false if some still are after `bound`.
fn all_stopped(s: &TestServer, bound: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < bound {
        if s.state.running_queries() == 0 {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

#[test]
fn runaway_queries_are_stopped_with_a_message_and_their_evaluation_ends() {
    let settings = runaway_settings();
    let budget = settings.query_memory;
    let s = TestServer::with_settings(settings);
    let url = s.url.clone();
    let answers = s.block_on(async {
        // six at a time, within the address's share of eight (a slot comes back when its
        // evaluation has ended, which may be just after the answer)
        let turns = std::sync::Arc::new(tokio::sync::Semaphore::new(6));
        let tasks: Vec<_> = runaways()
            .into_iter()
            .map(|(name, query)| {
                let url = url.clone();
                let turns = std::sync::Arc::clone(&turns);
                tokio::spawn(async move {
                    let _turn = turns.acquire().await.expect("turn");
                    let first = post_query(&url, &query, None, None).await;
                    // asked again: evaluated again (never a cached cut-short answer)
                    let second = post_query(&url, &query, None, None).await;
                    (name, first, second)
                })
            })
            .collect();
        let mut answers = Vec::new();
        for task in tasks {
            answers.push(task.await.expect("task"));
        }
        answers
    });
    let mut wrong = Vec::new();
    for (name, (status, headers, body), (again, again_headers, _)) in &answers {
        let name = name.as_str();
        let stopped = *status == 503
            && (body.contains("did not finish within 1 seconds and was stopped")
                || body.contains("memory budget of 256 MiB"));
        if !stopped {
            wrong.push(format!("{name}: {status} {body:.300}"));
        }
        if header(headers, "content-type") != "text/plain; charset=utf-8" {
            wrong.push(format!("{name}: {}", header(headers, "content-type")));
        }
        if *again != 503 || header(again_headers, "cache-status").contains("hit") {
            wrong.push(format!(
                "{name}, asked again: {again} {}",
                header(again_headers, "cache-status")
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "not stopped as they should be:\n{}",
        wrong.join("\n")
    );
    // the evaluations really end (their slots come back), well before any query would finish
    assert!(
        all_stopped(&s, Duration::from_secs(30)),
        "{} queries still running 30 s after their answers",
        s.state.running_queries()
    );
    // memory: a query may pass its budget by its last allocation, never by more
    let peak = s.state.query_memory_peak();
    if reti::support::memory::is_counting() {
        assert!(peak > 0, "the budget was never charged");
        assert!(
            peak <= 2 * budget + (16 << 20),
            "a query held {} MiB against a budget of {} MiB",
            peak >> 20,
            budget >> 20
        );
    }
}

#[test]
fn a_query_past_its_memory_budget_is_stopped_and_says_where() {
    let settings = Settings {
        query_timeout: Duration::from_secs(60),
        query_memory: 64 << 20,
        ..Settings::default()
    };
    let s = TestServer::with_settings(settings);
    assert!(
        reti::support::memory::is_counting(),
        "the tests count memory"
    );
    for query in [
        "SELECT ?c (GROUP_CONCAT(STR(?f)) AS ?all) WHERE { ?a ?b ?c . ?d ?e ?f } GROUP BY ?c"
            .to_owned(),
        doubling(28),
        // 3 x 2^k bytes: the string that would pass 64 MiB (50 MB, beside the 50 MB already
        // bound) is refused before it is made, not noticed after
        doubling_from("abc", 28),
    ] {
        let (status, _, body) = s.block_on(post_query(&s.url, &query, None, None));
        assert_eq!(status, 503, "{body}");
        assert!(
            body.starts_with("the query needed more than its memory budget of 64 MiB"),
            "{body}"
        );
        assert!(body.contains("narrow it or add a LIMIT"), "{body}");
    }
    assert!(all_stopped(&s, Duration::from_secs(30)));
    // strings are refused before they grow past the budget: the budget holds
    assert!(
        s.state.query_memory_peak() <= (64 << 20) + (4 << 20),
        "{} MiB",
        s.state.query_memory_peak() >> 20
    );
    // and a query within the budget is answered
    let (status, _, body) = s.block_on(post_query(
        &s.url,
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        None,
        None,
    ));
    assert_eq!(status, 200, "{body}");
}

#[test]
fn order_by_over_every_kind_of_term_answers_in_one_order() {
    let s = TestServer::start();
    let terms = r#"
        VALUES ?o { UNDEF <http://example.org/b> <http://example.org/a> "b" "a"@en "a"@it "A"
          "10" "9" 10 9 9.5 "NaN"^^<http://www.w3.org/2001/XMLSchema#double>
          "INF"^^<http://www.w3.org/2001/XMLSchema#double> "-INF"^^<http://www.w3.org/2001/XMLSchema#float>
          "abc"^^<http://www.w3.org/2001/XMLSchema#integer> true false
          "2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date>
          "2020-01-01T00:00:00"^^<http://www.w3.org/2001/XMLSchema#dateTime>
          "2020-01-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>
          "2020-01-01T10:00:00+14:00"^^<http://www.w3.org/2001/XMLSchema#dateTime>
          "P1M"^^<http://www.w3.org/2001/XMLSchema#duration> "P30D"^^<http://www.w3.org/2001/XMLSchema#duration>
          "x"^^<http://example.org/custom> "1"^^<http://example.org/custom> }"#;
    let mut answers = Vec::new();
    for (i, order) in ["ORDER BY ?o", "ORDER BY ?o ", "ORDER BY DESC(?o)"]
        .iter()
        .enumerate()
    {
        let query = format!(
            "SELECT ?o WHERE {{ {{ {terms} }} UNION {{ ?s ?p ?o }} UNION {{ BIND(BNODE() AS ?o) }} }} {order}"
        );
        let (status, _, body) = s.block_on(post_query(&s.url, &query, None, None));
        assert_eq!(status, 200, "{order}: {body:.500}");
        if i < 2 {
            answers.push(body);
        }
    }
    // the same query in other words (not the cache): the same order (blank nodes are made
    // anew for each evaluation)
    let without_blank_nodes = |answer: &str| {
        answer
            .split("\"type\":\"bnode\",\"value\":\"")
            .map(|part| part.split_once('"').map_or(part, |(_, rest)| rest))
            .collect::<Vec<_>>()
            .join("")
    };
    assert_eq!(
        without_blank_nodes(&answers[0]),
        without_blank_nodes(&answers[1])
    );
    // on a store of mixed terms alone, too
    let (status, _, body) = s.block_on(post_query(
        &s.url,
        "SELECT ?o WHERE { ?s ?p ?o . ?s2 ?p2 ?o2 } ORDER BY ?o2 ?o LIMIT 5",
        None,
        None,
    ));
    assert!(status == 200 || status == 503, "{status} {body:.300}");
}

#[test]
fn a_query_whose_client_went_away_is_cancelled() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let settings = Settings {
        query_timeout: Duration::from_secs(120),
        ..Settings::default()
    };
    let s = TestServer::with_settings(settings);
    let address = s
        .url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let body = format!(
        "query={}",
        percent_encoding::utf8_percent_encode(
            &format!("SELECT (COUNT(*) AS ?n) WHERE {{ {P4} }}"),
            percent_encoding::NON_ALPHANUMERIC
        )
    );
    s.block_on(async {
        let mut stream = tokio::net::TcpStream::connect(&address).await.expect("connect");
        let request = format!(
            "POST /sparql HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).await.expect("send");
        // the query is under way
        let start = Instant::now();
        while s.state.running_queries() == 0 && start.elapsed() < Duration::from_secs(30) {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert_eq!(s.state.running_queries(), 1, "the query did not start");
        let mut buf = [0u8; 16];
        let read = tokio::time::timeout(Duration::from_millis(500), stream.read(&mut buf)).await;
        assert!(read.is_err(), "answered already: {read:?}");
        drop(stream);
    });
    // well before its two-minute timeout
    assert!(
        all_stopped(&s, Duration::from_secs(20)),
        "the query of a client that went away kept running"
    );
}

fn loopback(last: u8) -> Option<IpAddr> {
    Some(IpAddr::from([127, 0, 0, last]))
}

#[test]
fn one_address_cannot_take_every_query_slot() {
    let settings = Settings {
        query_timeout: Duration::from_secs(15),
        max_concurrent_queries: 4,
        ..Settings::default()
    };
    let max = settings.max_concurrent_queries;
    let s = TestServer::with_settings(settings);
    let url = s.url.clone();
    let state = std::sync::Arc::clone(&s.state);
    let (runaway_answers, asks, most_running) = s.block_on(async move {
        let runaway = format!("SELECT (COUNT(*) AS ?n) WHERE {{ {P5} }}");
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let (url, runaway) = (url.clone(), runaway.clone());
                tokio::spawn(async move { post_query(&url, &runaway, loopback(1), None).await })
            })
            .collect();
        // the runaways take their share
        tokio::time::sleep(Duration::from_millis(300)).await;
        let mut asks = Vec::new();
        let mut most_running = 0;
        for i in 0..5 {
            most_running = most_running.max(state.running_queries());
            // in other words each time: evaluated, not answered from the cache
            let ask = format!("# {i}\nASK {{}}");
            let answer = post_query(&url, &ask, loopback(2), None).await;
            asks.push((answer.0, answer.2, tasks.iter().all(|t| t.is_finished())));
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let mut runaway_answers = Vec::new();
        for task in tasks {
            let (status, headers, body) = task.await.expect("task");
            most_running = most_running.max(state.running_queries());
            runaway_answers.push((status, header(&headers, "retry-after"), body));
        }
        (runaway_answers, asks, most_running)
    });
    for (status, body, all_runaways_done) in &asks {
        assert_eq!(*status, 200, "{body}");
        assert_eq!(body, "{\"head\":{},\"boolean\":true}");
        assert!(!all_runaways_done, "answered only after the runaways");
    }
    // the runaway client: stopped at the timeout, or refused its turn with 429
    for (status, retry_after, body) in &runaway_answers {
        match status {
            503 => assert!(body.contains("was stopped"), "{body}"),
            429 => {
                assert_eq!(retry_after, "5");
                assert!(
                    body.starts_with("your address already runs 2 queries at once"),
                    "{body}"
                );
            }
            other => panic!("{other}: {body}"),
        }
    }
    assert!(
        runaway_answers.iter().any(|(status, ..)| *status == 429),
        "one address ran more than its share"
    );
    assert!(most_running <= max, "{most_running} queries at once");
    assert!(all_stopped(&s, Duration::from_secs(30)));
}

#[test]
fn forwarded_addresses_share_out_the_slots_only_behind_a_trusted_proxy() {
    let runaway = format!("SELECT (COUNT(*) AS ?n) WHERE {{ {P5} }}");
    for trusted in [true, false] {
        let settings = Settings {
            query_timeout: Duration::from_secs(3),
            max_concurrent_queries: 4,
            max_queries_per_client: Some(1),
            trusted_proxies: if trusted {
                vec!["127.0.0.0/30".parse().expect("network")]
            } else {
                Vec::new()
            },
            ..Settings::default()
        };
        let s = TestServer::with_settings(settings);
        let url = s.url.clone();
        let (other, same) = s.block_on(async {
            // a runaway from 203.0.113.1 holds that address's one slot for the timeout
            let held = {
                let (url, runaway) = (url.clone(), runaway.clone());
                tokio::spawn(async move {
                    post_query(&url, &runaway, loopback(1), Some("203.0.113.1")).await
                })
            };
            tokio::time::sleep(Duration::from_millis(300)).await;
            // (each in other words: an answer from the cache needs no turn)
            let other = post_query(&url, "# other\nASK {}", loopback(1), Some("203.0.113.2")).await;
            let same = post_query(
                &url,
                "# same\nASK {}",
                loopback(2),
                Some("198.51.100.1, 203.0.113.1"),
            )
            .await;
            let (status, _, body) = held.await.expect("held");
            assert_eq!(status, 503, "{body}");
            (other.0, same.0)
        });
        if trusted {
            // another client behind the proxy has its own share; the same client, seen
            // through a chain whose other hops it wrote itself, has not
            assert_eq!((other, same), (200, 429), "behind a trusted proxy");
        } else {
            // the header is not believed: the peer is the client
            assert_eq!(other, 429, "X-Forwarded-For believed from anyone");
            assert_eq!(same, 200, "127.0.0.2 is another client");
        }
    }
}

#[test]
fn reti_query_stops_at_its_timeout_and_its_memory_budget() {
    let out = crate::reti()
        .args([
            "query",
            "--timeout",
            "1",
            "-e",
            &format!("SELECT (COUNT(*) AS ?n) WHERE {{ {P5} }}"),
        ])
        .output()
        .expect("reti query");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the query did not finish within 1 seconds and was stopped (--timeout)"),
        "{stderr}"
    );
    let out = crate::reti()
        .args(["query", "--memory", "32", "-e", &doubling(27)])
        .output()
        .expect("reti query");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the query needed more than its memory budget of 32 MiB"),
        "{stderr}"
    );
    // within both, the answer
    let out = crate::reti()
        .args([
            "query",
            "--timeout",
            "60",
            "--memory",
            "64",
            "--format",
            "csv",
            "-e",
            &doubling(10),
        ])
        .output()
        .expect("reti query");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "n\r\n2048\r\n");
}
