//! `/search`: resources found by any of their labels, in Italian or English, ignoring case and
//! accents, ranked, as JSON for scripts and a page for people; and the search box of every page.

use crate::serve::{TestServer, get, header};
use std::sync::OnceLock;

const BROWSER: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

fn server() -> &'static TestServer {
    static SERVER: OnceLock<TestServer> = OnceLock::new();
    SERVER.get_or_init(TestServer::start)
}

/// `(kind/slug, label, match)` of each result of `/search?q={q}` as JSON.
fn search(q: &str, lang: &str) -> Vec<(String, String, String)> {
    let url = format!(
        "{}?q={}&lang={lang}",
        server().at("/search"),
        percent_encoding::utf8_percent_encode(q, percent_encoding::NON_ALPHANUMERIC)
    );
    let (status, headers, body) = server().block_on(get(&url, &[("Accept", "application/json")]));
    assert_eq!(status, 200, "{q}: {}", String::from_utf8_lossy(&body));
    assert!(header(&headers, "content-type").starts_with("application/json"));
    let doc: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
    assert_eq!(doc["query"], q.trim());
    doc["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            let page = r["page"].as_str().expect("page");
            assert_eq!(
                r["iri"].as_str().expect("iri"),
                server().at(&page.replace("/doc/", "/id/")),
                "the page is the resource's document"
            );
            (
                page.trim_start_matches("/doc/").to_owned(),
                r["label"].as_str().expect("label").to_owned(),
                r["match"].as_str().expect("match").to_owned(),
            )
        })
        .collect()
}

fn kind(r: &(String, String, String)) -> &str {
    r.0.split('/').next().unwrap_or_default()
}

#[test]
fn search_ignores_case_and_accents() {
    for q in ["forli", "FORLÌ", "Forlì", " forlì "] {
        let found = search(q, "en");
        assert_eq!(
            found[0],
            ("place/forli".into(), "Forlì".into(), "exact".into()),
            "{q}"
        );
        assert!(
            found.iter().any(|r| r.0 == "place/province-forli-cesena"),
            "{q}: the province of Forlì-Cesena by its prefix"
        );
    }
}

#[test]
fn search_finds_prefixes_and_words_in_either_language() {
    let reggio = search("reggio", "en");
    assert_eq!(reggio[0].0, "place/reggio-emilia");
    assert_eq!(reggio[0].2, "prefix");
    // a name in Italian finds the place, named in the page's language
    let torino = search("torino", "en");
    assert_eq!(
        torino[0],
        ("place/turin".into(), "Turin".into(), "exact".into())
    );
    let torino_it = search("torino", "it");
    assert_eq!(torino_it[0].1, "Torino");
    // the city before the province also called Torino (an alternative name)
    assert_eq!(torino[1].0, "place/province-torino");
    // a word inside a name
    let creative = search("creative", "en");
    let networks: Vec<&str> = creative
        .iter()
        .filter(|r| kind(r) == "network")
        .map(|r| r.0.as_str())
        .collect();
    assert_eq!(
        networks,
        ["network/uccn", "network/italian-creative-cities"],
        "{creative:?}"
    );
    assert!(creative.iter().all(|r| r.2 != "exact"));
    assert!(search("zzzqqq", "en").is_empty());
}

#[test]
fn results_are_ranked_exact_prefix_word_then_networks_and_places_first() {
    for q in [
        "bergamo", "torino", "reggio", "creative", "uccn", "gai", "forli",
    ] {
        let found = search(q, "en");
        assert!(!found.is_empty(), "{q}");
        let rank = |m: &str| {
            ["exact", "prefix", "word", "words"]
                .iter()
                .position(|x| *x == m)
        };
        for pair in found.windows(2) {
            let (a, b) = (rank(&pair[0].2), rank(&pair[1].2));
            assert!(a <= b, "{q}: {pair:?} out of order");
            if a == b && kind(&pair[0]) == "membership" {
                assert_eq!(kind(&pair[1]), "membership", "{q}: {pair:?}");
            }
            if a == b && ["network", "place"].contains(&kind(&pair[1])) {
                assert!(
                    ["network", "place"].contains(&kind(&pair[0])),
                    "{q}: {pair:?}: networks and places first"
                );
            }
        }
    }
    let bergamo = search("bergamo", "en");
    assert_eq!(bergamo[0].0, "place/bergamo");
    assert!(bergamo.iter().any(|r| kind(r) == "membership"));
}

#[test]
fn people_get_a_page_and_scripts_json_with_vary_accept() {
    let url = server().at("/search?q=forli");
    let (status, headers, body) = server().block_on(get(&url, &[("Accept", BROWSER)]));
    assert_eq!(status, 200);
    assert!(header(&headers, "content-type").starts_with("text/html"));
    assert!(header(&headers, "vary").contains("Accept"));
    let html = String::from_utf8(body).expect("UTF-8");
    assert!(
        html.contains("<a href=\"/doc/place/forli\">Forlì</a>"),
        "{html}"
    );
    assert!(html.contains(" results</p>"));
    // the search box of the results page holds the search
    assert!(html.contains("name=\"q\" value=\"forli\""));
    // and the language switch keeps it
    assert!(html.contains("href=\"?q=forli&#38;lang=it\""), "{html}");
    let (_, headers, body) = server().block_on(get(&url, &[]));
    assert!(header(&headers, "content-type").starts_with("application/json"));
    assert!(header(&headers, "vary").contains("Accept"));
    assert!(serde_json::from_slice::<serde_json::Value>(&body).is_ok());
    // in Italian, with the number of results in words
    let (_, _, body) = server().block_on(get(
        &server().at("/search?q=bergamo&lang=it"),
        &[("Accept", BROWSER)],
    ));
    let html = String::from_utf8(body).expect("UTF-8");
    assert!(html.contains("<html lang=\"it\">") && html.contains(" risultati</p>"));
    assert!(html.contains(">luogo</span>"));
}

#[test]
fn an_empty_or_over_long_search_is_a_400_with_a_message() {
    let long = "a".repeat(201);
    for (q, says) in [
        ("", "give what to search for"),
        ("%20%20", "give what to search for"),
        ("!!", "give what to search for"),
        (long.as_str(), "at most 200"),
    ] {
        for accept in ["application/json", BROWSER] {
            let url = format!("{}?q={q}", server().at("/search"));
            let (status, headers, body) = server().block_on(get(&url, &[("Accept", accept)]));
            let body = String::from_utf8_lossy(&body);
            assert_eq!(status, 400, "{q:?} {accept}: {body}");
            assert!(body.contains(says), "{q:?}: {body}");
            assert!(header(&headers, "vary").contains("Accept"));
        }
    }
    let (status, _, _) = server().block_on(get(&server().at("/search"), &[]));
    assert_eq!(status, 400, "no q at all");
    let (status, _, _) = server().block_on(get(&server().at("/search?q=torino&limit=0"), &[]));
    assert_eq!(status, 400);
    let ok = "a".repeat(200);
    let (status, _, _) = server().block_on(get(&server().at(&format!("/search?q={ok}")), &[]));
    assert_eq!(status, 200, "200 characters are a search");
    let (_, _, body) = server().block_on(get(&server().at("/search?q=torino&limit=1"), &[]));
    let doc: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
    assert_eq!(doc["results"].as_array().map(Vec::len), Some(1));
}

#[test]
fn every_page_has_the_search_box() {
    for path in [
        "/",
        "/doc/place/turin",
        "/doc/network/uccn",
        "/sparql",
        "/queries/",
        "/queries/networks-of-a-city",
        "/dumps/",
        "/report",
        "/ontology",
        "/catalog",
        "/.well-known/void",
        "/search?q=turin",
        "/no/such/page",
    ] {
        let (_, _, body) = server().block_on(get(&server().at(path), &[("Accept", BROWSER)]));
        let html = String::from_utf8(body).expect("UTF-8");
        assert!(
            html.contains(
                "<form class=\"search\" role=\"search\" method=\"get\" action=\"/search\""
            ) && html.contains("<script src=\"/assets/search.js\" defer></script>"),
            "{path} has no search box"
        );
    }
}
