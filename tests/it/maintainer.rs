//! The maintainer's path: spreadsheets as they are saved, messages that say how to fix the
//! data, and a network added to a copy of the shipped data that shows up everywhere (with no
//! other test to update than the facts).

use crate::faults::{signal, spawn_serve, wait_for};
use crate::serve::{TestServer, get};
use crate::{copy_dir, data_dir, fixture, reti, root};
use reti::export::Format;
use reti::rdf::Base;
use reti::server::Settings;
use reti::store::Dataset;
use std::path::{Path, PathBuf};

/// `reti ARGS`: exit code, standard output, standard error.
fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = reti().args(args).output().expect("run reti");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `reti check` on `data`, with the configuration `config`.
fn check(data: &Path, config: &Path) -> (Option<i32>, String, String) {
    let (data, config) = (data.display().to_string(), config.display().to_string());
    run(&["check", "--data", &data, "--config", &config])
}

/// A copy of the fixture (`DIR/data`, `DIR/queries`, `DIR/reti.toml`).
fn fixture_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture(), dir.path());
    let path = dir.path().to_owned();
    (dir, path)
}

/// The text as a spreadsheet on Windows saves it: CRLF line ends, a UTF-8 byte-order mark,
/// and `;` between cells when `semicolons` (Excel in an Italian locale).
fn as_excel_saves_it(text: &str, semicolons: bool) -> Vec<u8> {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    for line in text.lines() {
        let line = if semicolons {
            line.replace(',', ";")
        } else {
            line.to_owned()
        };
        bytes.extend_from_slice(line.as_bytes());
        bytes.extend_from_slice(b"\r\n");
    }
    bytes
}

/// The N-Quads of the dataset built from `data`.
fn nquads(data: &Path) -> String {
    let base = Base::new(Base::DEFAULT).expect("base");
    let dataset = Dataset::build(data, base).unwrap_or_else(|e| panic!("build:\n{e}"));
    let mut bytes = Vec::new();
    reti::export::write(&dataset, Format::NQuads, None, &mut bytes).expect("export");
    String::from_utf8(bytes).expect("utf-8")
}

const MEMBERSHIPS: &str = "data/networks/alpha.memberships.csv";
const PLACES: &str = "data/places/cities.places.csv";

fn every_csv(dir: &Path, mut rewrite: impl FnMut(&str) -> Vec<u8>) {
    for file in [MEMBERSHIPS, PLACES] {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path).expect("read");
        std::fs::write(&path, rewrite(&text)).expect("write");
    }
}

#[test]
fn csv_saved_by_spreadsheets_reads_as_the_hand_written_csv() {
    let expected = nquads(&fixture().join("data"));
    let quote_every_cell = |text: &str| {
        text.lines()
            .map(|l| {
                let cells: Vec<String> = l.split(',').map(|c| format!("\"{c}\"")).collect();
                cells.join(",") + "\n"
            })
            .collect::<String>()
            .into_bytes()
    };
    type Rewrite<'a> = &'a dyn Fn(&str) -> Vec<u8>;
    let variants: [(&str, Rewrite<'_>); 6] = [
        ("CRLF", &|t: &str| t.replace('\n', "\r\n").into_bytes()),
        ("BOM", &|t: &str| [b"\xEF\xBB\xBF", t.as_bytes()].concat()),
        ("Excel, English locale", &|t: &str| {
            as_excel_saves_it(t, false)
        }),
        ("Excel, Italian locale", &|t: &str| {
            as_excel_saves_it(t, true)
        }),
        ("every cell quoted", &quote_every_cell),
        ("empty columns after the last", &|t: &str| {
            t.lines()
                .map(|l| format!("{l},,\n"))
                .collect::<String>()
                .into_bytes()
        }),
    ];
    for (name, rewrite) in variants {
        let (_dir, copy) = fixture_copy();
        every_csv(&copy, rewrite);
        assert_eq!(nquads(&copy.join("data")), expected, "{name}");
        let (code, _, stderr) = check(&copy.join("data"), &copy.join("reti.toml"));
        assert_eq!(code, Some(0), "{name}: {stderr}");
        assert_eq!(stderr, "", "{name}");
    }
}

#[test]
fn quoted_cells_keep_commas_and_line_breaks_and_rows_are_numbered_as_in_the_spreadsheet() {
    let (_dir, copy) = fixture_copy();
    // row 3 holds a name with a comma and a line break; row 5 names an unknown place
    std::fs::write(
        copy.join(PLACES),
        as_excel_saves_it(
            "slug,type,name_en,name_it,part_of,wikidata,source\n\
             italy,country,Italy,Italia,,Q38,editors\n\
             turin,city,\"Turin, the capital\nof Piedmont\",Torino,italy,Q495,editors\n\
             milan,city,Milan,Milano,italy,Q490,editors\n\
             forli,city,Forlì,Forlì,itlay,Q13279,editors\n",
            false,
        ),
    )
    .expect("write");
    let (code, _, stderr) = check(&copy.join("data"), &copy.join("reti.toml"));
    assert_eq!(code, Some(1), "{stderr}");
    let places = copy.join(PLACES).display().to_string();
    assert!(
        stderr.contains(&format!("\n{places}:5:24: unknown place `itlay`")),
        "{stderr}"
    );
    assert!(stderr.ends_with("1 problem found\n"), "{stderr}");
    // with the typo fixed, the name is read whole
    let text = std::fs::read(copy.join(PLACES)).expect("read");
    let text = String::from_utf8(text)
        .expect("utf-8")
        .replace("itlay", "italy");
    std::fs::write(copy.join(PLACES), text).expect("write");
    let quads = nquads(&copy.join("data"));
    assert!(
        quads.contains("\"Turin, the capital\\r\\nof Piedmont\"@en")
            || quads.contains("\"Turin, the capital\\nof Piedmont\"@en"),
        "{quads}"
    );
}

#[test]
fn a_crlf_file_reports_problems_at_the_row_a_spreadsheet_shows() {
    let (_dir, copy) = fixture_copy();
    let text = "organization,member,role,field,since,source\n\
                alpha,turin,member,design,2014,city-page\n\
                alpha,turn,member,,,city-page\n";
    std::fs::write(copy.join(MEMBERSHIPS), as_excel_saves_it(text, true)).expect("write");
    let (code, _, stderr) = check(&copy.join("data"), &copy.join("reti.toml"));
    assert_eq!(code, Some(1), "{stderr}");
    let file = copy.join(MEMBERSHIPS).display().to_string();
    assert!(
        stderr.contains(&format!(
            "\n{file}:3:7: unknown place `turn`\n  help: did you mean `turin`?"
        )),
        "{stderr}"
    );
    assert!(stderr.ends_with("1 problem found\n"), "{stderr}");
}

#[test]
fn a_file_saved_as_windows_1252_gets_one_error_naming_its_first_bad_line() {
    let (_dir, copy) = fixture_copy();
    let text = std::fs::read_to_string(copy.join(PLACES)).expect("read");
    // "Forlì" as old Excel saves it: ì is the single byte 0xEC
    let latin1: Vec<u8> = text
        .chars()
        .map(|c| u8::try_from(u32::from(c)).expect("latin-1"))
        .collect();
    std::fs::write(copy.join(PLACES), latin1).expect("write");
    let (code, _, stderr) = check(&copy.join("data"), &copy.join("reti.toml"));
    assert_eq!(code, Some(1), "{stderr}");
    let file = copy.join(PLACES).display().to_string();
    assert!(
        stderr.contains(&format!(
            "\n{file}:5:16: the file is not UTF-8: line 5 has the byte 0xEC \
             (`forli,city,Forlì,Forlì,italy,Q13279,editors` if read as Windows-1252 or Latin-1)"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("\"CSV UTF-8"), "{stderr}");
    // the places it defines are missing, but that is not reported again for every reference
    assert!(stderr.ends_with("1 problem found\n"), "{stderr}");
}

#[test]
fn a_duplicate_names_both_copies() {
    let (_dir, copy) = fixture_copy();
    let path = copy.join(MEMBERSHIPS);
    let mut text = std::fs::read_to_string(&path).expect("read");
    text.push_str("alpha,milan,member,,,city-page\n");
    std::fs::write(&path, text).expect("write");
    let path = copy.join("data/networks/alpha.toml");
    let mut text = std::fs::read_to_string(&path).expect("read");
    text.push_str("\n[[figure]]\nof = \"alpha\"\nmeasure = \"member-cities\"\nvalue = 41\n");
    std::fs::write(&path, text).expect("write");
    let (code, _, stderr) = check(&copy.join("data"), &copy.join("reti.toml"));
    assert_eq!(code, Some(1), "{stderr}");
    let memberships = copy.join(MEMBERSHIPS).display().to_string();
    let alpha = copy.join("data/networks/alpha.toml").display().to_string();
    assert!(
        stderr.contains(&format!(
            "{memberships}:5:7: duplicate membership: source `city-page` already says `milan` \
             is member of `alpha`, at {memberships}:3\n"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "{alpha}:26:9: duplicate figure `alpha-member-cities-city-page`: this source \
             already states this measure for this date, at {alpha}:20\n"
        )),
        "{stderr}"
    );
}

#[test]
fn a_value_of_the_wrong_type_gets_a_hint_saying_what_to_write() {
    let (_dir, copy) = fixture_copy();
    let path = copy.join("data/networks/alpha.toml");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, text.replace("founded = \"1997\"", "founded = 1997")).expect("write");
    let (code, _, stderr) = check(&copy.join("data"), &copy.join("reti.toml"));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains(":7:11: invalid type: integer `1997`, expected a string\n  help: write founded = \"1997\"\n"),
        "{stderr}"
    );
    // the same in reti.toml
    std::fs::write(copy.join("reti.toml"), "title = 2026\n").expect("write");
    let (code, _, stderr) = check(&fixture().join("data"), &copy.join("reti.toml"));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("help: write title = \"2026\""), "{stderr}");
}

/// An IRI of `reti.toml` that is not one is refused when the file is read, at its line, and
/// the server's catalog never silently leaves it out.
#[test]
fn a_bad_iri_in_reti_toml_is_refused_at_its_line() {
    let (_dir, copy) = fixture_copy();
    std::fs::write(
        copy.join("reti.toml"),
        "title = \"Networks\"\nthemes = [\n  \"http://publications.europa.eu/resource/authority/data-theme/SOCI\",\n  \"EDUC theme\",\n]\n",
    )
    .expect("write");
    let (code, _, stderr) = check(&fixture().join("data"), &copy.join("reti.toml"));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("reti.toml:4:4: `themes`: \"EDUC theme\" is not an IRI"),
        "{stderr}"
    );
    assert!(stderr.contains("help: write an absolute IRI"), "{stderr}");
    std::fs::write(
        copy.join("reti.toml"),
        "[contact]\nname = \"Office\"\nemail = \"open data@example.org\"\n",
    )
    .expect("write");
    let (code, _, stderr) = check(&fixture().join("data"), &copy.join("reti.toml"));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("reti.toml:3:10: `contact.email`: \"mailto:open data@example.org\""),
        "{stderr}"
    );
}

#[test]
fn markup_in_a_name_is_published_escaped_and_check_warns() {
    let (_dir, copy) = fixture_copy();
    let path = copy.join("data/networks/alpha.toml");
    let text = std::fs::read_to_string(&path).expect("read");
    let name = "<script>alert(1)</script> Alpha Network";
    std::fs::write(
        &path,
        text.replace("\"Alpha Network\"", &format!("\"{name}\"")),
    )
    .expect("write");
    let (code, _, stderr) = check(&copy.join("data"), &copy.join("reti.toml"));
    assert_eq!(code, Some(0), "{stderr}");
    let alpha = path.display().to_string();
    assert_eq!(
        stderr,
        format!(
            "{alpha}:6:1: warning: the name `{name}` contains markup (`<script>`); it is \
             published as text, so readers will see the markup itself\n  help: write plain \
             text: no HTML tags or entities (use the character itself)\n"
        )
    );
    let s = TestServer::with(Settings::default(), |o| {
        o.data = copy.join("data");
        o.queries = copy.join("queries");
    });
    for page in ["", "doc/network/alpha.html", "doc/place/turin.html"] {
        let (status, _, body) = s.block_on(get(&s.at(page), &[("Accept", "text/html")]));
        let body = String::from_utf8_lossy(&body);
        assert_eq!(status, 200, "{page}");
        assert!(!body.contains("<script>alert"), "{page}: {body}");
        assert!(body.contains("alert(1)"), "{page}");
    }
}

#[test]
fn help_shows_one_example_per_line() {
    let (code, stdout, _) = run(&["check", "--help"]);
    assert_eq!(code, Some(0));
    assert!(
        stdout.contains("Examples:\n  reti check --data data\n  reti check --report\n"),
        "{stdout}"
    );
    let (_, stdout, _) = run(&["export", "--help"]);
    assert!(
        stdout.contains("\n  reti export --all -o dumps/\n  reti export --site public/"),
        "{stdout}"
    );
}

#[test]
fn the_home_pages_json_ld_dates_are_iso_8601() {
    let s = TestServer::with(Settings::default(), |o| {
        o.data = fixture().join("data");
        o.queries = fixture().join("queries");
    });
    let (status, _, body) = s.block_on(get(&s.url, &[("Accept", "text/html")]));
    assert_eq!(status, 200);
    let body = String::from_utf8_lossy(&body);
    let json = body
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .expect("JSON-LD in the home page");
    let json: serde_json::Value = serde_json::from_str(json).expect("JSON");
    let is_iso = |modified: &str| {
        modified.len() == 20
            && modified.bytes().enumerate().all(|(i, b)| match i {
                4 | 7 => b == b'-',
                10 => b == b'T',
                13 | 16 => b == b':',
                19 => b == b'Z',
                _ => b.is_ascii_digit(),
            })
    };
    let modified = json["dateModified"].as_str().expect("dateModified");
    assert!(is_iso(modified), "{modified}");
    // and the list of dumps, for scripts
    let (status, _, body) = s.block_on(get(&s.at("/dumps/"), &[("Accept", "application/json")]));
    assert_eq!(status, 200);
    let json: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
    let modified = json["modified"].as_str().expect("modified");
    assert!(is_iso(modified), "{modified}");
}

// ---------------------------------------------------------------------------------------------
// A sixth network, added to a copy of the shipped data as the README says

/// A network made up for the test (so that it cannot be one a maintainer has added to `data/`
/// since): ten members, five of them new places, saved as Excel in an Italian locale saves CSV;
/// its source; and, when `describe`, its name added to the descriptions in `reti.toml`.
fn add_network(data: &Path, config: &Path, describe: bool) {
    let mut sources = std::fs::read_to_string(data.join("sources.toml")).expect("read");
    sources.push_str(
        "\n[[source]]\nslug = \"suite-source\"\ntitle = \"The suite's source\"\n\
         urls = [\"https://suite.example.org/\"]\n",
    );
    std::fs::write(data.join("sources.toml"), sources).expect("write");
    std::fs::write(
        data.join("networks/suite-network.toml"),
        "default_source = \"suite-source\"\n\n[[network]]\nslug = \"suite-network\"\n\
         name.en = \"Suite Network\"\nname.it = \"Rete della suite\"\nfounded = \"1990\"\n\
         founded_in = \"suite-city-1\"\n\n[[figure]]\nof = \"suite-network\"\n\
         measure = \"member-cities\"\nvalue = 1000\nlower_bound = true\ndate = \"2024\"\n",
    )
    .expect("write");
    let mut members = String::from("organization,member,role,field,since,source\n");
    for city in [
        "turin",
        "milan",
        "bologna",
        "florence",
        "genoa",
        "suite-city-1",
        "suite-city-2",
        "suite-city-3",
        "suite-city-4",
        "suite-city-5",
    ] {
        members.push_str(&format!("suite-network,{city},member,,,suite-source\n"));
    }
    std::fs::write(
        data.join("networks/suite-network.memberships.csv"),
        as_excel_saves_it(&members, true),
    )
    .expect("write");
    let mut places = String::from("slug,type,name_en,name_it,part_of,source\n");
    for (i, country) in ["france", "france", "france", "spain", "spain"]
        .iter()
        .enumerate()
    {
        let n = i + 1;
        places.push_str(&format!(
            "suite-city-{n},city,Suite City {n},Città della suite {n},{country},suite-source\n"
        ));
    }
    std::fs::write(
        data.join("places/suite-network.places.csv"),
        as_excel_saves_it(&places, true),
    )
    .expect("write");
    if describe {
        let text = std::fs::read_to_string(config).expect("read");
        let mut table: toml::Table = toml::from_str(&text).expect("reti.toml");
        for (key, name) in [
            ("description", "Suite Network"),
            ("description_it", "Rete della suite"),
        ] {
            let before = table
                .get(key)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned();
            table.insert(key.into(), format!("{before} {name}.").into());
        }
        std::fs::write(config, toml::to_string(&table).expect("toml")).expect("write");
    }
}

/// The number after `label` in `reti check`'s summary.
fn count(summary: &str, label: &str) -> usize {
    summary
        .lines()
        .find_map(|l| l.trim().strip_prefix(label))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no `{label}` in\n{summary}"))
}

#[test]
fn a_network_added_to_the_shipped_data_is_published_everywhere() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (data, config) = (dir.path().join("data"), dir.path().join("reti.toml"));
    copy_dir(&data_dir(), &data);
    std::fs::copy(root().join("reti.toml"), &config).expect("copy reti.toml");
    let (code, before, stderr) = check(&data, &config);
    assert_eq!(code, Some(0), "{stderr}");
    add_network(&data, &config, true);
    let (code, after, stderr) = check(&data, &config);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        !stderr.contains("suite"),
        "no problem and no warning:\n{stderr}"
    );
    for (label, added) in [
        ("networks", 1),
        ("places", 5),
        ("memberships", 10),
        ("stated figures", 1),
        ("sources", 1),
    ] {
        assert_eq!(
            count(&after, label),
            count(&before, label) + added,
            "{label}"
        );
    }
    let s = TestServer::with(Settings::default(), |o| {
        o.data = data.clone();
        o.config = reti::config::Config::load(&config).expect("reti.toml");
    });
    let page = |path: &str| {
        let (status, _, body) = s.block_on(get(&s.at(path), &[("Accept", "text/html")]));
        assert_eq!(status, 200, "{path}");
        String::from_utf8_lossy(&body).into_owned()
    };
    let home = page("");
    assert!(home.contains(">Suite Network</a>"), "{home}");
    assert!(home.contains(" Suite Network.</"), "{home}");
    assert!(page("doc/network/suite-network.html").contains("Suite City 1"));
    assert!(page("doc/place/turin.html").contains("Suite Network"));
    let members = "SELECT (COUNT(*) AS ?n) WHERE { ?m <http://www.w3.org/ns/org#organization> \
                   <"
    .to_owned()
        + &s.at("id/network/suite-network")
        + "> }";
    let (status, _, body) = s.block_on(get(
        &s.at(&format!(
            "sparql?query={}",
            percent_encoding::utf8_percent_encode(&members, percent_encoding::NON_ALPHANUMERIC)
        )),
        &[("Accept", "text/csv")],
    ));
    assert_eq!(
        (status, String::from_utf8_lossy(&body).as_ref()),
        (200, "n\r\n10\r\n")
    );
    let (status, _, dump) = s.block_on(get(&s.at("dumps/reti.nt"), &[]));
    assert_eq!(status, 200);
    let dump = String::from_utf8_lossy(&dump);
    assert!(dump.contains(&format!("<{}>", s.at("id/place/suite-city-5"))));
    let (status, _, catalog) = s.block_on(get(&s.at("catalog"), &[("Accept", "text/turtle")]));
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&catalog).contains(" Suite Network."));
    // every stored query still answers
    for q in std::fs::read_dir(root().join("queries")).expect("queries") {
        let name = q.expect("entry").path();
        let name = name.file_stem().and_then(|n| n.to_str()).expect("name");
        let (status, _, _) = s.block_on(get(&s.at(&format!("queries/{name}")), &[]));
        assert_eq!(status, 200, "{name}");
    }
}

#[test]
fn check_warns_when_the_description_misses_a_network() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (data, config) = (dir.path().join("data"), dir.path().join("reti.toml"));
    copy_dir(&data_dir(), &data);
    std::fs::copy(root().join("reti.toml"), &config).expect("copy reti.toml");
    add_network(&data, &config, false);
    let (code, _, stderr) = check(&data, &config);
    assert_eq!(code, Some(0), "{stderr}");
    let config = config.display();
    assert!(
        stderr.contains(&format!(
            "{config}: warning: the description and description_it do not mention the network \
             `suite-network` (Suite Network)\n  help: add its name to the dataset's description \
             in {config}: catalogs and the home page show it\n"
        )),
        "{stderr}"
    );
}

#[test]
fn sighup_and_watch_read_reti_toml_again() {
    for watch in [false, true] {
        let (_dir, copy) = fixture_copy();
        let config = copy.join("reti.toml");
        let config_arg = config.display().to_string();
        let queries = copy.join("queries").display().to_string();
        let mut extra = vec!["--config", &config_arg, "--queries", &queries];
        if watch {
            extra.push("--watch");
        }
        let (mut child, url) = spawn_serve(&copy.join("data"), &extra);
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        let catalog = || {
            let (_, _, body) =
                runtime.block_on(get(&format!("{url}catalog"), &[("Accept", "text/turtle")]));
            String::from_utf8_lossy(&body).into_owned()
        };
        assert!(catalog().contains("Which cities belong to the Alpha Network."));
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let text = std::fs::read_to_string(&config).expect("read");
        std::fs::write(
            &config,
            text.replace("the Alpha Network.", "the Alpha and Beta networks."),
        )
        .expect("write");
        if !watch {
            signal(&child, "-HUP");
        }
        wait_for("the new description", || {
            catalog().contains("Which cities belong to the Alpha and Beta networks.")
        });
        // a reti.toml that is not valid keeps the last good one, and says why
        std::fs::write(&config, "title = 2026\n").expect("write");
        if !watch {
            signal(&child, "-HUP");
        }
        std::thread::sleep(std::time::Duration::from_millis(2500));
        assert!(catalog().contains("the Alpha and Beta networks."));
        signal(&child, "-TERM");
        assert_eq!(child.wait().expect("wait").code(), Some(0));
        let mut log = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut log)
            .expect("log");
        assert!(
            log.contains("reload failed; still serving the last good data")
                && log.contains("help: write title = \"2026\""),
            "{log}"
        );
    }
}
