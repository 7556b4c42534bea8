//! The HTML front end, as a reader sees it through a browser: pages in English or Italian,
//! members as tables, links by label, alternate formats, embedded JSON-LD, the query pages,
//! and nothing in the data able to inject markup.

use crate::copy_dir;
use crate::serve::{TestServer, get, header};
use reti::server::Settings;
use std::sync::OnceLock;

const BROWSER: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

/// One server over the shipped data for the read-only tests.
fn server() -> &'static TestServer {
    static SERVER: OnceLock<TestServer> = OnceLock::new();
    SERVER.get_or_init(TestServer::start)
}

/// GET as a browser in `lang`; asserts 200 and HTML, returns the page.
fn page_on(server: &TestServer, path: &str, lang: &str) -> String {
    let (status, headers, body) = server.block_on(get(
        &server.at(path),
        &[("Accept", BROWSER), ("Accept-Language", lang)],
    ));
    let body = String::from_utf8(body).expect("UTF-8 page");
    assert_eq!(status, 200, "GET {path}:\n{body}");
    assert!(
        header(&headers, "content-type").starts_with("text/html"),
        "GET {path}: {}",
        header(&headers, "content-type")
    );
    body
}

fn page(path: &str, lang: &str) -> String {
    page_on(server(), path, lang)
}

/// Text with tags removed, entities decoded and spaces collapsed.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#34;", "\"")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#38;", "&")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The body rows of the first `<table class="{class}">`, as the text of their cells.
fn table_rows(html: &str, class: &str) -> Vec<Vec<String>> {
    let start = html
        .find(&format!("<table class=\"{class}"))
        .unwrap_or_else(|| panic!("no table of class {class}"));
    let table = &html[start..start + html[start..].find("</table>").expect("table end")];
    let body = &table[table.find("<tbody>").expect("tbody")..];
    body.split("<tr")
        .skip(1)
        .map(|row| {
            let mut cells = Vec::new();
            for piece in row.split("<t").skip(1) {
                if piece.starts_with('d') || piece.starts_with('h') {
                    let content = &piece[piece.find('>').map_or(0, |i| i + 1)..];
                    let end = content.find("</t").unwrap_or(content.len());
                    cells.push(text(&content[..end]));
                }
            }
            cells
        })
        .collect()
}

/// Every `href="…"` of a page, decoded.
fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .map(|s| {
            s[..s.find('"').unwrap_or(0)]
                .replace("&#38;", "&")
                .replace("&amp;", "&")
        })
        .collect()
}

/// The JSON-LD blocks of a page, parsed.
fn json_ld(html: &str) -> Vec<serde_json::Value> {
    html.split("<script type=\"application/ld+json\">")
        .skip(1)
        .map(|s| {
            let json = &s[..s.find("</script>").expect("script end")];
            serde_json::from_str(json)
                .unwrap_or_else(|e| panic!("JSON-LD does not parse: {e}\n{json}"))
        })
        .collect()
}

#[test]
fn home_page_links_to_each_network_and_to_the_services() {
    let home = page("/", "en");
    assert!(home.contains("<html lang=\"en\">"));
    assert!(home.contains("<h1>Networks of cities</h1>"), "{home}");
    let hrefs = links(&home);
    for slug in [
        "uccn",
        "eurocities",
        "gai",
        "bjcem",
        "italian-creative-cities",
    ] {
        let target = format!("/doc/network/{slug}");
        assert!(hrefs.contains(&target), "no link to {target}");
        page(&target, "en");
    }
    for service in [
        "/sparql",
        "/dumps/",
        "/queries/",
        "/catalog",
        "/.well-known/void",
        "/ontology",
    ] {
        assert!(hrefs.iter().any(|h| h == service), "no link to {service}");
    }
    let networks = table_rows(&home, "networks");
    // one row per network of the data (the shipped networks' facts are in facts.rs)
    assert_eq!(
        networks.len(),
        crate::shipped().summary().networks,
        "{networks:?}"
    );
    assert!(
        networks.contains(&vec![
            "UNESCO Creative Cities Network".to_owned(),
            "2004".to_owned(),
            "8".to_owned()
        ]),
        "{networks:?}"
    );
    let italian = page("/", "it-IT,it;q=0.9");
    assert!(italian.contains("<html lang=\"it\">") && italian.contains("<h1>Reti di città</h1>"));
    assert!(
        table_rows(&italian, "networks")
            .iter()
            .any(|r| r[0] == "Rete delle Città creative UNESCO")
    );
}

#[test]
fn a_network_page_lists_its_members_with_field_and_year() {
    let uccn = page("/doc/network/uccn.html", "en");
    assert!(uccn.contains("<h1>UNESCO Creative Cities Network</h1>"));
    let rows = table_rows(&uccn, "members");
    let members: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        members,
        [
            "Alba", "Bergamo", "Biella", "Bologna", "Fabriano", "Parma", "Rome", "Turin"
        ]
    );
    let turin = rows.iter().find(|r| r[0] == "Turin").expect("Turin row");
    assert_eq!(&turin[..4], ["Turin", "Member", "Design", "2014"]);
    let bologna = rows
        .iter()
        .find(|r| r[0] == "Bologna")
        .expect("Bologna row");
    assert_eq!(&bologna[..4], ["Bologna", "Member", "Music", "2006"]);
    // members are linked by label to their own pages
    assert!(uccn.contains("<a href=\"/doc/place/turin\""));
    assert!(uccn.contains(">Turin</a>"));
}

#[test]
fn a_city_page_lists_its_networks_and_offices() {
    let turin = page("/doc/place/turin.html", "en");
    let rows = table_rows(&turin, "memberships");
    let row = |org: &str, role: &str| {
        rows.iter()
            .find(|r| r[0] == org && r[1] == role)
            .unwrap_or_else(|| panic!("no {org}/{role} row in {rows:?}"))
    };
    assert_eq!(
        &row("UNESCO Creative Cities Network", "Member")[2..4],
        ["Design", "2014"]
    );
    row("Eurocities", "Member");
    row(
        "GAI – Association for the Circuit of Young Italian Artists",
        "Presidency",
    );
    row(
        "Coordination of the Italian UNESCO Creative Cities",
        "Member",
    );
    // outgoing links are followed by label, to the local document or to Wikidata
    assert!(turin.contains("<a href=\"/doc/place/province-torino\""));
    assert!(turin.contains("href=\"http://www.wikidata.org/entity/Q495\""));
    // incoming links: BJCEM's secretariat is in Turin
    assert!(
        text(&turin).contains("BJCEM"),
        "no incoming link from BJCEM's site"
    );
}

#[test]
fn pages_speak_the_readers_language() {
    let it = page("/doc/place/turin.html", "it-IT,it;q=0.9,en;q=0.8");
    assert!(it.contains("<html lang=\"it\">"));
    assert!(it.contains("<h1>Torino</h1>"), "Italian heading");
    for ui in [
        "Altri formati",
        "Interroga questa risorsa",
        "Ruolo",
        "Ambito",
        "Proprietà",
    ] {
        assert!(it.contains(ui), "no Italian UI string {ui}");
    }
    assert!(
        table_rows(&it, "memberships")
            .iter()
            .any(|r| r[0] == "Rete delle Città creative UNESCO" && r[1] == "Membro")
    );
    let en = page("/doc/place/turin.html", "en-GB,en;q=0.9");
    assert!(
        en.contains("<html lang=\"en\">")
            && en.contains("<h1>Turin</h1>")
            && en.contains("Other formats")
    );
    // ?lang= wins over Accept-Language, and the page offers the switch
    let switched = page("/doc/place/turin.html?lang=it", "en");
    assert!(switched.contains("<h1>Torino</h1>"));
    assert!(en.contains("href=\"?lang=it\""));
    // a property's label comes from the ontology, in the reader's language
    assert!(
        it.contains(">situato in</a>") && en.contains(">contained in place</a>"),
        "property labels"
    );
}

#[test]
fn pages_embed_schema_org_json_ld() {
    let uccn = json_ld(&page("/doc/network/uccn.html", "en"));
    assert_eq!(uccn.len(), 1);
    let network = &uccn[0];
    assert_eq!(network["@context"], "https://schema.org");
    assert_eq!(network["@type"], "Organization");
    assert_eq!(network["name"], "UNESCO Creative Cities Network");
    assert_eq!(network["foundingDate"], "2004");
    let members = network["member"].as_array().expect("member list");
    assert_eq!(members.len(), 8);
    assert!(
        members
            .iter()
            .any(|m| m["name"] == "Turin" && m["@type"] == "City")
    );
    let turin = &json_ld(&page("/doc/place/turin.html", "it"))[0];
    assert_eq!(turin["@type"], "City");
    assert_eq!(turin["name"], "Torino");
    assert_eq!(
        turin["sameAs"],
        serde_json::json!(["http://www.wikidata.org/entity/Q495"])
    );
    let italy = &json_ld(&page("/doc/place/italy.html", "en"))[0];
    assert_eq!(italy["@type"], "Country");
    assert_eq!(italy["name"], "Italy");
    let home = &json_ld(&page("/", "en"))[0];
    assert_eq!(home["@type"], "Dataset");
}

#[test]
fn pages_link_to_the_other_formats_and_to_a_query_of_the_resource() {
    let turin = page("/doc/place/turin.html", "en");
    let hrefs = links(&turin);
    for (ext, media) in [
        ("ttl", "text/turtle"),
        ("jsonld", "application/ld+json"),
        ("nt", "application/n-triples"),
        ("rdf", "application/rdf+xml"),
    ] {
        let target = format!("/doc/place/turin.{ext}");
        assert!(hrefs.contains(&target), "no link to {target}");
        let (status, headers, _) = server().block_on(get(&server().at(&target), &[]));
        assert_eq!(status, 200);
        assert!(header(&headers, "content-type").starts_with(media));
    }
    // the query link opens the query page prefilled; its JSON twin answers with the triples
    assert!(hrefs.iter().any(|h| h.starts_with("/sparql#query=")));
    let json = hrefs
        .iter()
        .find(|h| h.starts_with("/sparql?query=") && h.ends_with("format=json"))
        .expect("JSON query link");
    let (status, _, body) = server().block_on(get(&server().at(json), &[]));
    assert_eq!(status, 200);
    let results: serde_json::Value = serde_json::from_slice(&body).expect("SPARQL JSON");
    assert!(
        results["results"]["bindings"]
            .as_array()
            .is_some_and(|b| b.len() > 5)
    );
    let describe = hrefs
        .iter()
        .find(|h| h.contains("DESCRIBE"))
        .expect("DESCRIBE link");
    let (status, _, body) = server().block_on(get(&server().at(describe), &[]));
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&body).contains("Q495"));
}

#[test]
fn query_page_offers_every_stored_query() {
    let html = page("/sparql", "en");
    assert!(html.contains("<textarea id=\"query\""));
    assert!(html.contains("<script src=\"/assets/query.js\"></script>"));
    for q in &server().state.current().queries {
        assert!(
            html.contains(&format!("<option value=\"{}\"", q.name)),
            "{} not offered",
            q.name
        );
    }
    let chosen = page("/sparql?example=turin-offices", "en");
    assert!(chosen.contains("<option value=\"turin-offices\" selected>"));
    assert!(
        text(&chosen)
            .contains("SELECT DISTINCT ?organization ?organizationLabel ?office ?officeLabel")
    );
    // the stored queries are given to the script as JSON it can parse
    let data = chosen
        .split("<script type=\"application/json\" id=\"query-data\">")
        .nth(1)
        .expect("query data");
    let data: serde_json::Value =
        serde_json::from_str(&data[..data.find("</script>").expect("end")]).expect("JSON");
    assert!(
        data["queries"]
            .as_array()
            .is_some_and(|q| q.iter().any(|q| q["name"] == "networks-of-a-city"))
    );
}

#[test]
fn stored_queries_dumps_and_ontology_pages() {
    let list = page("/queries/", "en");
    let hrefs = links(&list);
    for q in &server().state.current().queries {
        assert!(text(&list).contains(&q.title), "{} not listed", q.title);
        for format in ["csv", "json"] {
            assert!(hrefs.contains(&format!("/queries/{}?format={format}", q.name)));
        }
    }
    let results = page("/queries/networks-of-a-city", "en");
    let rows = table_rows(&results, "results");
    // IRIs shortened and linked, literals with their language tag
    assert!(
        rows.iter().any(|r| r[0] == "network:uccn"
            && r[2] == "UNESCO Creative Cities Network en"
            && r[5] == "2014"),
        "{rows:?}"
    );
    assert!(results.contains("<a href=\"/doc/network/uccn\""));
    assert!(
        text(&results).contains("BIND(<http"),
        "the query text is shown"
    );

    let dumps = page("/dumps/", "en");
    let rows = table_rows(&dumps, "dumps");
    let published = server().state.current();
    assert_eq!(rows.len(), published.dumps.len());
    for d in &published.dumps {
        assert!(links(&dumps).contains(&format!("/dumps/{}", d.name)));
        assert!(
            rows.iter().any(|r| r[0] == d.name
                && r[2].ends_with(&format!("({} B)", spaced(d.size as usize)))
                && r[5] == d.sha256),
            "{} row",
            d.name
        );
    }
    assert!(links(&dumps).contains(&"/dumps/SHA256SUMS".to_owned()));
    assert!(dumps.contains(&httpdate::fmt_http_date(published.modified)));

    let ontology = page("/ontology", "it");
    assert!(ontology.contains("<html lang=\"it\">"));
    let classes = table_rows(&ontology, "terms");
    assert!(
        classes.iter().any(|r| r[0].starts_with("reti:Network")
            && r[1] == "network of cities"
            && r[2] == "rete di città"),
        "{classes:?}"
    );
    assert!(
        ontology.contains("id=\"Network\"") && ontology.contains("id=\"creativeField\""),
        "terms are anchors for /ontology#term links"
    );
    assert!(
        ontology.contains("org:Membership") && ontology.contains(">adesione<"),
        "reused terms with their labels"
    );
}

#[test]
fn assets_are_served_with_their_types_and_nothing_else() {
    for (path, media) in [
        ("/assets/style.css", "text/css"),
        ("/assets/query.js", "text/javascript"),
        ("/assets/search.js", "text/javascript"),
        ("/assets/query-editor.js", "text/javascript"),
        ("/assets/yasgui.min.js", "text/javascript"),
        ("/assets/yasgui.min.css", "text/css"),
        ("/assets/THIRD-PARTY-NOTICES.txt", "text/plain"),
    ] {
        let (status, headers, body) = server().block_on(get(&server().at(path), &[]));
        assert_eq!(status, 200, "{path}");
        assert!(
            header(&headers, "content-type").starts_with(media),
            "{path}"
        );
        assert!(
            header(&headers, "cache-control").contains("max-age"),
            "{path}"
        );
        assert!(!body.is_empty());
    }
    let (status, _, _) = server().block_on(get(&server().at("/assets/../Cargo.toml"), &[]));
    assert_eq!(status, 404);
    let (status, _, _) = server().block_on(get(&server().at("/assets/other.js"), &[]));
    assert_eq!(status, 404);
}

#[test]
fn unknown_pages_are_404_pages_for_browsers() {
    let url = server().at("/no/such/page");
    let (status, headers, body) =
        server().block_on(get(&url, &[("Accept", BROWSER), ("Accept-Language", "it")]));
    let body = String::from_utf8(body).expect("UTF-8");
    assert_eq!(status, 404);
    assert!(header(&headers, "content-type").starts_with("text/html"));
    assert!(
        body.contains("<html lang=\"it\">")
            && body.contains("/no/such/page")
            && body.contains("Torna alla pagina iniziale")
    );
    assert!(body.contains("<nav"), "the error page has the nav bar");
    let (status, _, _) = server().block_on(get(
        &server().at("/doc/place/atlantis.html"),
        &[("Accept", BROWSER)],
    ));
    assert_eq!(status, 404);
}

#[test]
fn markup_in_the_data_is_shown_as_text_and_cannot_leave_the_json_ld() {
    const EVIL: &str = r#"GAI </script><script>alert("x")</script> & <b>bold</b> <!--"#;
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    copy_dir(&crate::data_dir(), &data);
    let file = data.join("networks/gai.toml");
    let original = std::fs::read_to_string(&file).expect("gai.toml");
    let name = "name.en = \"GAI – Association for the Circuit of Young Italian Artists\"";
    assert!(original.contains(name));
    let toml_string = serde_json::to_string(EVIL).expect("quoted"); // a valid TOML basic string too
    let changed = original
        .replacen(name, &format!("name.en = {toml_string}"), 1)
        .replacen(
            "alt_names.en = [\"GAI\"]",
            &format!("alt_names.en = [\"GAI\", {toml_string}]"),
            1,
        );
    std::fs::write(&file, changed).expect("write");
    let evil = TestServer::with(Settings::default(), |options| options.data = data.clone());

    for path in [
        "/doc/network/gai.html",
        "/doc/place/turin.html",
        "/",
        "/doc/membership/gai-turin.html",
    ] {
        let html = page_on(&evil, path, "en");
        assert!(
            !html.contains("<script>alert"),
            "{path}: markup injected:\n{html}"
        );
        assert!(!html.contains("<b>bold"), "{path}: markup injected");
        // every script element that opens is one of ours, and closes where we close it
        assert_eq!(
            html.matches("<script").count(),
            html.matches("</script>").count(),
            "{path}"
        );
        for block in json_ld(&html) {
            let dump = block.to_string();
            if path == "/doc/network/gai.html" {
                assert_eq!(block["name"], EVIL, "the name survives intact in JSON-LD");
                assert!(
                    block["alternateName"]
                        .as_array()
                        .is_some_and(|a| a.contains(&serde_json::json!(EVIL)))
                );
            }
            assert!(!dump.is_empty());
        }
        if path != "/" {
            assert!(
                html.contains("GAI &#60;/script&#62;&#60;script&#62;alert(&#34;x&#34;)")
                    || html.contains("GAI &lt;/script&gt;&lt;script&gt;alert(&quot;x&quot;)"),
                "{path}: name not shown escaped"
            );
        }
    }
    let gai = page_on(&evil, "/doc/network/gai.html", "en");
    assert!(
        gai.contains("\\u003c/script\\u003e\\u003cscript\\u003ealert"),
        "JSON-LD escapes < and >"
    );
    assert!(
        text(&gai).contains(EVIL),
        "the reader sees the name as written"
    );
}

#[test]
fn membership_tables_say_which_sources_state_each_membership() {
    let s = crate::serve::TestServer::start();
    let (status, _, body) = s.block_on(crate::serve::get(
        &s.at("doc/network/uccn.html"),
        &[("Accept", "text/html"), ("Accept-Language", "en")],
    ));
    assert_eq!(status, 200);
    let html = String::from_utf8_lossy(&body);
    let turin_row = html
        .split("<tr>")
        .find(|row| row.contains(">Turin<"))
        .expect("a row for Turin");
    assert!(
        turin_row.contains("The international networks of the City of Turin"),
        "{turin_row}"
    );
    assert!(
        turin_row.contains("Designation years of the Italian UNESCO Creative Cities"),
        "{turin_row}"
    );
    assert!(
        turin_row.contains("/doc/source/uccn-designations"),
        "{turin_row}"
    );
    let (_, _, body) = s.block_on(crate::serve::get(
        &s.at("doc/place/turin.html"),
        &[("Accept", "text/html"), ("Accept-Language", "it")],
    ));
    let html = String::from_utf8_lossy(&body);
    assert!(
        html.contains(">Secondo<"),
        "the column is labelled in Italian"
    );
    let chair = html
        .split("<tr>")
        .find(|row| row.contains("/doc/role/chair"))
        .expect("the chair row");
    assert!(
        chair.contains("Eurocities&#39; own account of the network")
            && !chair.contains("City of Turin"),
        "{chair}"
    );
}

/// GET without following redirects (the test client follows none).
fn get_raw(path: &str, headers: &[(&str, &str)]) -> (u16, reqwest::header::HeaderMap, String) {
    let client = crate::serve::client();
    server().block_on(async {
        let mut request = client.get(server().at(path));
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        let response = request.send().await.expect("response");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        (status, headers, response.text().await.unwrap_or_default())
    })
}

#[test]
fn the_language_asked_for_is_kept_through_the_303() {
    let (status, headers, _) = get_raw("/id/place/turin?lang=it", &[("Accept", BROWSER)]);
    assert_eq!(status, 303);
    let location = header(&headers, "location");
    assert_eq!(location, server().at("/doc/place/turin.html?lang=it"));
    // followed by a browser that prefers English: the Italian page
    let it = page(
        location
            .trim_start_matches(&server().at(""))
            .trim_start_matches('/'),
        "en-GB,en;q=0.9",
    );
    assert!(it.contains("<html lang=\"it\">") && it.contains("<h1>Torino</h1>"));
    // machines are not sent a language they cannot use, nor an unknown one
    let (_, headers, _) = get_raw("/id/place/turin?lang=it", &[("Accept", "text/turtle")]);
    assert_eq!(
        header(&headers, "location"),
        server().at("/doc/place/turin.ttl")
    );
    let (_, headers, _) = get_raw("/id/place/turin?lang=xx", &[("Accept", BROWSER)]);
    assert_eq!(
        header(&headers, "location"),
        server().at("/doc/place/turin.html")
    );
}

#[test]
fn every_kind_of_page_has_a_language_switch() {
    for path in [
        "/",
        "/dumps/",
        "/queries/",
        "/queries/networks-of-a-city",
        "/sparql",
        "/report",
        "/ontology",
        "/catalog",
        "/.well-known/void",
        "/doc/place/turin",
    ] {
        let en = page(path, "en");
        assert!(
            en.contains("href=\"?lang=it\" hreflang=\"it\" lang=\"it\">Italiano</a>"),
            "{path}: no switch to Italian"
        );
        let sep = if path.contains('?') { '&' } else { '?' };
        let it = page(&format!("{path}{sep}lang=it"), "en");
        assert!(
            it.contains("<html lang=\"it\">"),
            "{path}?lang=it is not Italian"
        );
        assert!(
            it.contains("href=\"?lang=en\" hreflang=\"en\" lang=\"en\">English</a>"),
            "{path}: no switch back to English"
        );
    }
    assert!(page("/?lang=it", "en").contains("<h2>Reti</h2>"));
    assert!(page("/dumps/?lang=it", "en").contains("<h1>Scarica i dati</h1>"));
}

#[test]
fn a_description_only_in_the_other_language_says_so() {
    let it = page("/doc/network/uccn?lang=it", "it");
    let lead = it
        .split("<p class=\"lead\" lang=\"en\">")
        .nth(1)
        .expect("the English description, marked as English");
    assert!(lead.contains("</p>\n<p class=\"note other-lang\">Disponibile solo in inglese.</p>"));
    let en = page("/doc/network/uccn", "en");
    assert!(!en.contains("other-lang"), "nothing to say in English");
    assert!(en.contains("<p class=\"lead\">"));
}

#[test]
fn numbers_and_plurals_follow_the_language() {
    let en_html = page("/report", "en");
    // grouped with no-break spaces, which never break a number across lines
    assert!(en_html.contains("130\u{a0}000\u{a0}000"), "{en_html}");
    let en = text(&en_html);
    let it = text(&page("/report?lang=it", "it"));
    assert!(!en.contains("(1 members listed)"), "{en}");
    assert!(en.contains("(1 member listed)"), "{en}");
    assert!(en.contains(" members listed)"));
    assert!(it.contains("(1 membro elencato)"), "{it}");
    assert!(!it.contains("(1 membri elencati)"));
    // 130 000 000 residents, stated by a source
    assert!(en.contains("130 000 000"), "{en}");
    assert!(it.contains("130.000.000"), "{it}");
    assert!(!en.contains("130000000") && !it.contains("130000000"));
    // the home page's member counts and the downloads' sizes
    let dumps_it = text(&page("/dumps/?lang=it", "it"));
    assert!(dumps_it.contains(" KiB ("), "{dumps_it}");
    let triples = crate::shipped().summary().triples as u64;
    let grouped_it = format!("{}.{:03}", triples / 1000, triples % 1000);
    assert!(
        triples >= 1000 && dumps_it.contains(&grouped_it),
        "{grouped_it} in {dumps_it}"
    );
}

/// `n` in groups of three digits, as [`text`] shows the no-break spaces of an English page.
fn spaced(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

#[test]
fn downloads_give_sizes_statements_licence_checksums_and_the_catalog() {
    let html = page("/dumps/", "en");
    let rows = table_rows(&html, "dumps");
    let summary = crate::shipped().summary();
    let group = spaced;
    let nt = rows.iter().find(|r| r[0] == "reti.nt").expect("reti.nt");
    assert!(
        nt[2].ends_with(" KiB") || nt[2].contains(" KiB ("),
        "a readable size, not only bytes: {nt:?}"
    );
    assert!(nt[2].contains(" B)"), "and the exact bytes: {nt:?}");
    assert_eq!(nt[3], group(summary.triples), "triples of reti.nt");
    let nq = rows.iter().find(|r| r[0] == "reti.nq").expect("reti.nq");
    assert_eq!(nq[3], group(summary.quads), "quads of reti.nq");
    assert!(nt[5].len() == 64 && nt[5].chars().all(|c| c.is_ascii_hexdigit()));
    assert!(html.contains(
        "rel=\"license\">Creative Commons Attribution 4.0 International (CC BY 4.0)</a>"
    ));
    assert!(html.contains("href=\"https://creativecommons.org/licenses/by/4.0/\""));
    for link in ["/catalog", "/.well-known/void", "/dumps/SHA256SUMS"] {
        assert!(links(&html).iter().any(|l| l == link), "no link to {link}");
    }
    // the checksum shown is the file's
    let (_, _, sums) = server().block_on(get(&server().at("/dumps/SHA256SUMS"), &[]));
    assert!(String::from_utf8_lossy(&sums).contains(&format!("{}  reti.nt", nt[5])));
}

#[test]
fn the_catalog_and_void_are_pages_for_people_and_rdf_for_machines() {
    let html = page("/catalog", "en");
    assert!(html.contains("<h1>Catalog</h1>"));
    assert!(html.contains("<section id=\"dataset\" class=\"described\">"));
    // every dump's download link, the licence, the endpoint
    for d in ["reti.ttl", "reti.nt", "reti.jsonld", "reti.nt.gz"] {
        assert!(
            links(&html).iter().any(|l| *l == format!("/dumps/{d}")),
            "no download link to {d}"
        );
    }
    assert!(html.contains(">licence</dt>"));
    assert!(links(&html).iter().any(|l| l == "/catalog?format=ttl"));
    let it = page("/catalog?lang=it", "it");
    assert!(it.contains("<h1>Catalogo</h1>") && it.contains(">licenza</dt>"));
    let void = page("/.well-known/void", "en");
    assert!(void.contains("<h1>VoID description</h1>"));
    let triples = crate::shipped().summary().triples;
    assert!(
        text(&void).contains(&format!("triples {}", triples / 1000)),
        "the triple count"
    );
    // RDF clients still get RDF
    for (path, accept, media) in [
        ("/catalog", "text/turtle", "text/turtle"),
        ("/catalog", "*/*", "text/turtle"),
        ("/catalog", "application/rdf+xml", "application/rdf+xml"),
        ("/.well-known/void", "text/turtle", "text/turtle"),
        ("/catalog?format=jsonld", BROWSER, "application/ld+json"),
    ] {
        let (status, headers, _) =
            server().block_on(get(&server().at(path), &[("Accept", accept)]));
        assert_eq!(status, 200);
        assert!(
            header(&headers, "content-type").starts_with(media),
            "{path} {accept}: {}",
            header(&headers, "content-type")
        );
        assert!(header(&headers, "vary").contains("Accept"));
    }
    // linked from Home and Downloads
    for from in ["/", "/dumps/"] {
        let l = links(&page(from, "en"));
        assert!(
            l.iter().any(|x| x == "/catalog") && l.iter().any(|x| x == "/.well-known/void"),
            "{from}"
        );
    }
}

#[test]
fn yasgui_is_served_compressed_once_with_its_notices() {
    let url = server().at("/assets/yasgui.min.js");
    let client = crate::serve::client();
    let fetch = |encoding: &'static str| {
        let client = client.clone();
        let url = url.clone();
        server().block_on(async move {
            let r = client
                .get(&url)
                .header("Accept-Encoding", encoding)
                .send()
                .await
                .expect("response");
            let headers = r.headers().clone();
            (headers, r.bytes().await.expect("body").len())
        })
    };
    let (plain_headers, plain) = fetch("identity");
    assert!(plain > 900_000, "the whole bundle: {plain}");
    assert!(header(&plain_headers, "etag").starts_with('"'));
    let (headers, gzipped) = fetch("gzip");
    assert_eq!(header(&headers, "content-encoding"), "gzip");
    assert!(gzipped < plain / 3, "{gzipped} of {plain}");
    let (headers, _) = fetch("gzip");
    assert!(
        header(&headers, "cache-status").contains("reti-compressed; hit"),
        "{:?}",
        header(&headers, "cache-status")
    );
    let (_, _, notices) =
        server().block_on(get(&server().at("/assets/THIRD-PARTY-NOTICES.txt"), &[]));
    let notices = String::from_utf8(notices).expect("UTF-8");
    for needle in [
        "@zazuko/yasgui 4.6.2",
        "MIT",
        "jquery",
        "datatables.net",
        "codemirror",
        "dompurify",
        "MPL-2.0 OR Apache-2.0",
        "CC BY 4.0",
    ] {
        assert!(notices.contains(needle), "the notices name {needle}");
    }
    // the query page loads it, from here only, and keeps the plain form for browsers without
    // JavaScript
    let html = page("/sparql", "en");
    for needle in [
        "<link rel=\"stylesheet\" href=\"/assets/yasgui.min.css\">",
        "<script src=\"/assets/yasgui.min.js\"></script>",
        "<script src=\"/assets/query-editor.js\"></script>",
        "<textarea id=\"query\" name=\"query\"",
    ] {
        assert!(html.contains(needle), "{needle}");
    }
    assert!(!html.contains("src=\"http") && !html.contains("href=\"//"));
}

#[test]
fn an_undeclared_prefix_is_named_with_the_prefixes_to_declare() {
    let query = "SELECT ?x WHERE {\n  ?x org:memberOf ?n\n}";
    let url = format!(
        "{}?query={}",
        server().at("/sparql"),
        percent_encoding::utf8_percent_encode(query, percent_encoding::NON_ALPHANUMERIC)
    );
    let (status, _, body) =
        server().block_on(get(&url, &[("Accept", "application/sparql-results+json")]));
    let body = String::from_utf8(body).expect("UTF-8");
    assert_eq!(status, 400);
    assert!(
        body.starts_with("the query is not valid SPARQL: the prefix `org:` (line 2, column 6) is not declared; add `PREFIX org: <http://www.w3.org/ns/org#>` before the query."),
        "{body}"
    );
    assert!(body.contains("\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>"));
    assert!(!body.contains("\\u{"), "no Unicode ranges: {body}");
}
