//! Property tests: whatever the source files hold, the loader and the model answer with records
//! or with diagnostics that point inside the files, never with a panic; every dataset of valid
//! records with arbitrary names, codes, dates, language tags and IRIs round-trips through RDF;
//! and minted IRIs are always valid IRIs.

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Quad, Term};
use proptest::prelude::*;
use reti::diagnostic::Diagnostic;
use reti::export::Format;
use reti::model::{Model, is_valid_slug};
use reti::rdf::Base;
use reti::store::Dataset;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

// ---------------------------------------------------------------------------------------------
// Generators

fn slug() -> impl Strategy<Value = String> {
    "[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}"
}

/// Any text, often with what breaks naive escaping: quotes, backslashes, markup, newlines,
/// control characters, non-ASCII. Never blank, since the model rejects blank names.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{1,24}",
        "[ a-zA-Z]{0,6}[\"'\\\\<>&;,#=\\[\\]{}\n\r\t][ a-zA-Z0-9]{0,6}",
        any::<String>(),
        Just("\u{202E}Torino\u{0}\u{7F}\u{FEFF}".to_owned()),
    ]
    .prop_filter("not blank", |s| !s.trim().is_empty())
}

fn lang() -> impl Strategy<Value = String> {
    prop_oneof![Just("it".to_owned()), "[a-z]{2,3}(-[a-z]{2}|-[0-9]{3})?"]
        .prop_filter("not en", |l| l != "en")
}

fn iri() -> impl Strategy<Value = String> {
    "https?://[a-z0-9]{1,10}(\\.[a-z]{2,5}){0,2}(:[0-9]{1,4})?(/[a-zA-Z0-9._~é-]{0,8}){0,3}(\\?[a-z=&]{0,8})?"
}

/// A date as the source files write it, with the parts the model checks.
fn date() -> impl Strategy<Value = String> {
    (1000..=2020i32, 1..=12u8, 1..=28u8, 0..3usize).prop_map(|(y, m, d, precision)| match precision
    {
        0 => format!("{y:04}"),
        1 => format!("{y:04}-{m:02}"),
        _ => format!("{y:04}-{m:02}-{d:02}"),
    })
}

#[derive(Debug, Clone)]
struct Names {
    en: String,
    other: BTreeMap<String, String>,
    alt: Vec<String>,
    description: Option<String>,
}

fn names() -> impl Strategy<Value = Names> {
    (
        text(),
        proptest::collection::btree_map(lang(), text(), 0..3),
        proptest::collection::vec(text(), 0..2),
        proptest::option::of(text()),
    )
        .prop_map(|(en, other, alt, description)| Names {
            en,
            other,
            alt,
            description,
        })
}

#[derive(Debug, Clone)]
struct SourceSpec {
    slug: String,
    title: String,
    urls: Vec<String>,
    covers_from: Option<String>,
}

#[derive(Debug, Clone)]
struct PlaceSpec {
    slug: String,
    names: Names,
    istat: String,
    wikidata: String,
    population: u32,
    in_csv: bool,
}

#[derive(Debug, Clone)]
struct NetworkSpec {
    slug: String,
    names: Names,
    founded: String,
}

#[derive(Debug, Clone)]
struct MembershipSpec {
    network: usize,
    place: usize,
    since: Option<i32>,
    in_csv: bool,
}

/// A dataset of valid records with arbitrary content.
#[derive(Debug, Clone)]
struct Spec {
    sources: Vec<SourceSpec>,
    places: Vec<PlaceSpec>,
    networks: Vec<NetworkSpec>,
    memberships: Vec<MembershipSpec>,
}

fn unique_by<T>(mut items: Vec<T>, key: impl Fn(&T) -> String) -> Vec<T> {
    let mut seen = BTreeSet::new();
    items.retain(|i| seen.insert(key(i)));
    items
}

fn spec() -> impl Strategy<Value = Spec> {
    let sources = proptest::collection::vec(
        (
            slug(),
            text(),
            proptest::collection::vec(iri(), 0..3),
            proptest::option::of(date()),
        )
            .prop_map(|(slug, title, urls, covers_from)| SourceSpec {
                slug,
                title,
                urls,
                covers_from,
            }),
        1..3,
    );
    let places = proptest::collection::vec(
        (
            slug(),
            names(),
            "[0-9]{6}",
            "Q[1-9][0-9]{0,7}",
            any::<u32>(),
            any::<bool>(),
        )
            .prop_map(
                |(slug, names, istat, wikidata, population, in_csv)| PlaceSpec {
                    slug: format!("p-{slug}"),
                    names,
                    istat,
                    wikidata,
                    population,
                    in_csv,
                },
            ),
        1..5,
    );
    let networks = proptest::collection::vec(
        (slug(), names(), date()).prop_map(|(slug, names, founded)| NetworkSpec {
            slug: format!("n-{slug}"),
            names,
            founded,
        }),
        1..3,
    );
    let memberships = proptest::collection::vec(
        (
            any::<prop::sample::Index>(),
            any::<prop::sample::Index>(),
            proptest::option::of(2021..=2024i32),
            any::<bool>(),
        ),
        0..6,
    );
    (sources, places, networks, memberships).prop_map(|(sources, places, networks, ms)| {
        let sources = unique_by(sources, |s| s.slug.clone());
        let places = unique_by(places, |p| p.slug.clone());
        let networks = unique_by(networks, |n| n.slug.clone());
        let memberships = unique_by(
            ms.into_iter()
                .map(|(n, p, since, in_csv)| MembershipSpec {
                    network: n.index(networks.len()),
                    place: p.index(places.len()),
                    since,
                    in_csv,
                })
                .collect(),
            |m| format!("{}/{}", m.network, m.place),
        );
        Spec {
            sources,
            places,
            networks,
            memberships,
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Writing source files

/// A TOML basic string: quotes, backslashes and every control character escaped.
fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{7F}' => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A CSV cell, always quoted.
fn csv_cell(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn toml_names(out: &mut String, names: &Names) {
    let _ = writeln!(out, "name.en = {}", toml_str(&names.en));
    for (lang, name) in &names.other {
        let _ = writeln!(out, "name.{lang} = {}", toml_str(name));
    }
    if !names.alt.is_empty() {
        let list: Vec<String> = names.alt.iter().map(|n| toml_str(n)).collect();
        let _ = writeln!(out, "alt_names.en = [{}]", list.join(", "));
    }
    if let Some(d) = &names.description {
        let _ = writeln!(out, "description.en = {}", toml_str(d));
    }
}

/// The files of `spec`, by path relative to the data directory.
fn render(spec: &Spec) -> Vec<(String, String)> {
    let source = &spec.sources[0].slug;
    let mut sources = String::new();
    for s in &spec.sources {
        let _ = writeln!(sources, "[[source]]\nslug = \"{}\"", s.slug);
        let _ = writeln!(sources, "title = {}", toml_str(&s.title));
        let urls: Vec<String> = s.urls.iter().map(|u| toml_str(u)).collect();
        let _ = writeln!(sources, "urls = [{}]", urls.join(", "));
        if let Some(d) = &s.covers_from {
            let _ = writeln!(sources, "covers_from = \"{d}\"");
        }
        sources.push('\n');
    }
    let vocabulary = format!(
        "default_source = \"{source}\"\n\n[[role]]\nslug = \"member\"\nname.en = \"member\"\n\n\
         [[measure]]\nslug = \"resident-population\"\nname.en = \"resident population\"\n"
    );
    // Every municipality lies in a province, region and country, as the SHACL shapes require
    // (they are checked too when the `shacl` feature is on).
    let mut places_toml = format!(
        "default_source = \"{source}\"\n\n\
         [[place]]\nslug = \"gen-country\"\ntype = \"country\"\nname.en = \"Country\"\n\n\
         [[place]]\nslug = \"gen-region\"\ntype = \"region\"\nname.en = \"Region\"\npart_of = \"gen-country\"\n\n\
         [[place]]\nslug = \"gen-province\"\ntype = \"province\"\nname.en = \"Province\"\npart_of = \"gen-region\"\n"
    );
    let mut places_csv = String::from(
        "slug,type,name_en,name_it,part_of,istat_code,population,population_date,wikidata,source\n",
    );
    for p in &spec.places {
        // CSV has columns for English and Italian names only
        let csv = p.in_csv && p.names.other.keys().all(|l| l == "it") && p.names.alt.is_empty();
        if csv && p.names.description.is_none() {
            let _ = writeln!(
                places_csv,
                "{},municipality,{},{},gen-province,{},{},2021-01-01,{},{source}",
                p.slug,
                csv_cell(&p.names.en),
                csv_cell(p.names.other.get("it").map_or("", String::as_str)),
                p.istat,
                p.population,
                p.wikidata,
            );
        } else {
            let _ = writeln!(
                places_toml,
                "\n[[place]]\nslug = \"{}\"\ntype = \"municipality\"\npart_of = \"gen-province\"\n\
                 istat_code = \"{}\"\nwikidata = \"{}\"\npopulation = {}\npopulation_date = \"2021-01-01\"",
                p.slug, p.istat, p.wikidata, p.population
            );
            toml_names(&mut places_toml, &p.names);
        }
    }
    let mut networks = format!("default_source = \"{source}\"\n");
    for n in &spec.networks {
        let _ = writeln!(
            networks,
            "\n[[network]]\nslug = \"{}\"\nfounded = \"{}\"",
            n.slug, n.founded
        );
        toml_names(&mut networks, &n.names);
    }
    let mut memberships_csv = String::from("organization,member,role,field,since,source\n");
    for m in &spec.memberships {
        let (n, p) = (&spec.networks[m.network].slug, &spec.places[m.place].slug);
        let since = m.since.map(|y| y.to_string()).unwrap_or_default();
        if m.in_csv {
            let _ = writeln!(memberships_csv, "{n},{p},member,,{since},{source}");
        } else {
            let _ = writeln!(
                networks,
                "\n[[membership]]\norganization = \"{n}\"\nmember = \"{p}\""
            );
            if let Some(y) = m.since {
                let _ = writeln!(networks, "since = {y}");
            }
        }
    }
    let mut files = vec![
        ("sources.toml".to_owned(), sources),
        ("vocabulary.toml".to_owned(), vocabulary),
        ("networks/all.toml".to_owned(), networks),
    ];
    if places_toml.contains("[[place]]") {
        files.push(("places/other.toml".to_owned(), places_toml));
    }
    if places_csv.lines().count() > 1 {
        files.push(("places/all.places.csv".to_owned(), places_csv));
    }
    if memberships_csv.lines().count() > 1 {
        files.push(("networks/all.memberships.csv".to_owned(), memberships_csv));
    }
    files
}

fn write_files(dir: &Path, files: &[(String, Vec<u8>)]) {
    for (name, content) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, content).expect("write");
    }
}

// ---------------------------------------------------------------------------------------------
// Properties

/// Asserts that a diagnostic points at a line and column that exist in its file.
fn check_position(d: &Diagnostic) -> Result<(), TestCaseError> {
    prop_assert!(d.line >= 1 && d.column >= 1, "{d}");
    let bytes = std::fs::read(&d.file).map_err(|e| TestCaseError::fail(format!("{d}: {e}")))?;
    let text = String::from_utf8_lossy(&bytes);
    let lines: Vec<&str> = text.split('\n').collect();
    prop_assert!(
        d.line <= lines.len(),
        "{d}: the file has {} lines",
        lines.len()
    );
    // a CSV file's lines are its rows, as a spreadsheet numbers them: a quoted cell may hold
    // line breaks, so a row may span several lines of text
    let csv = d.file.extension().is_some_and(|e| e == "csv");
    let width = if csv {
        text.chars().count()
    } else {
        lines[d.line - 1].chars().count()
    };
    prop_assert!(
        d.column <= width + 1,
        "{d}: line {} has {width} characters",
        d.line
    );
    Ok(())
}

/// Loads and validates `dir`: a panic fails the test; every diagnostic must point inside its
/// file. Returns whether everything was accepted.
fn load_and_check(dir: &Path) -> Result<bool, TestCaseError> {
    let loaded = reti::source::load_dir(dir).map_err(|e| TestCaseError::fail(e.to_string()))?;
    for d in &loaded.diagnostics.0 {
        check_position(d)?;
    }
    match Model::build(&loaded.records) {
        Ok(_) => Ok(loaded.diagnostics.is_empty()),
        Err(problems) => {
            for d in problems.problems.0.iter().chain(&problems.unresolved.0) {
                check_position(d)?;
            }
            Ok(false)
        }
    }
}

/// TOML-like text: fragments of real records and keys mixed with arbitrary text.
fn tomlish() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        Just("[[source]]\n".to_owned()),
        Just("[[place]]\n".to_owned()),
        Just("[[network]]\n".to_owned()),
        Just("[[membership]]\n".to_owned()),
        Just("[[figure]]\n".to_owned()),
        Just("[[site]]\n".to_owned()),
        Just("[[role]]\n".to_owned()),
        Just("default_source = \"s\"\n".to_owned()),
        Just("slug = \"s\"\ntitle = \"T\"\n".to_owned()),
        Just("source = \"s\"\n".to_owned()),
        Just("type = \"municipality\"\n".to_owned()),
        (
            prop_oneof![
                Just("slug"),
                Just("name.en"),
                Just("name.x-y"),
                Just("founded"),
                Just("since"),
                Just("value"),
                Just("population"),
                Just("istat_code"),
                Just("wikidata"),
                Just("urls"),
                Just("organization"),
                Just("member"),
                Just("measure"),
                Just("of"),
                Just("date"),
                Just("part_of"),
            ],
            prop_oneof![
                text().prop_map(|t| toml_str(&t)),
                any::<i64>().prop_map(|n| n.to_string()),
                date().prop_map(|d| toml_str(&d)),
                slug().prop_map(|s| toml_str(&s)),
                Just("[\"a\", 1]".to_owned()),
                Just("{ en = \"x\" }".to_owned()),
                "\\PC{0,10}",
            ]
        )
            .prop_map(|(k, v)| format!("{k} = {v}\n")),
        "\\PC{0,12}\n?",
        any::<String>(),
    ];
    proptest::collection::vec(fragment, 0..12).prop_map(|f| f.concat())
}

/// CSV-like text: a header of known and unknown columns, then rows of arbitrary cells.
fn csvish() -> impl Strategy<Value = String> {
    let column = prop_oneof![
        Just("slug".to_owned()),
        Just("type".to_owned()),
        Just("name_en".to_owned()),
        Just("source".to_owned()),
        Just("organization".to_owned()),
        Just("member".to_owned()),
        Just("since".to_owned()),
        Just("population".to_owned()),
        "[a-z_]{0,8}",
    ];
    let cell = prop_oneof![
        text().prop_map(|t| csv_cell(&t)),
        "[^,\n\"]{0,8}",
        "\"[^\"]{0,5}",
        any::<i64>().prop_map(|n| n.to_string()),
        Just("\"\"\"".to_owned()),
    ];
    (
        proptest::collection::vec(column, 0..6),
        proptest::collection::vec(
            (
                proptest::collection::vec(cell, 0..7),
                prop_oneof![Just("\n"), Just("\r\n"), Just("\r"), Just("")],
            ),
            0..5,
        ),
    )
        .prop_map(|(header, rows)| {
            let mut out = header.join(",") + "\n";
            for (cells, end) in rows {
                out.push_str(&cells.join(","));
                out.push_str(end);
            }
            out
        })
}

/// A byte-level change to a file.
#[derive(Debug, Clone)]
enum Mutation {
    Truncate(prop::sample::Index),
    Insert(prop::sample::Index, Vec<u8>),
    Delete(prop::sample::Index, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<prop::sample::Index>().prop_map(Mutation::Truncate),
        (
            any::<prop::sample::Index>(),
            prop_oneof![
                proptest::collection::vec(any::<u8>(), 1..4),
                prop_oneof![
                    Just(b"\"".to_vec()),
                    Just(b"\n".to_vec()),
                    Just(b",".to_vec()),
                    Just(b"[[".to_vec()),
                    Just(b"=".to_vec()),
                    Just("\u{e9}".as_bytes().to_vec()),
                    Just(vec![0xC3]),
                ],
            ]
        )
            .prop_map(|(i, b)| Mutation::Insert(i, b)),
        (any::<prop::sample::Index>(), 1..20usize).prop_map(|(i, n)| Mutation::Delete(i, n)),
    ]
}

fn mutate(bytes: &mut Vec<u8>, m: &Mutation) {
    let len = bytes.len();
    match m {
        Mutation::Truncate(i) => bytes.truncate(i.index(len + 1)),
        Mutation::Insert(i, b) => {
            let at = i.index(len + 1);
            bytes.splice(at..at, b.iter().copied());
        }
        Mutation::Delete(i, n) => {
            let at = i.index(len + 1);
            bytes.drain(at..(at + n).min(len));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Arbitrary bytes, TOML-like and CSV-like text, in each kind of file.
    #[test]
    fn arbitrary_files_never_panic_the_loader(
        toml in prop_oneof![tomlish().prop_map(String::into_bytes), any::<Vec<u8>>()],
        places in prop_oneof![csvish().prop_map(String::into_bytes), any::<Vec<u8>>()],
        memberships in csvish(),
        other_csv in proptest::option::of(csvish()),
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut files = vec![
            ("a.toml".to_owned(), toml),
            ("x/b.places.csv".to_owned(), places),
            ("x/c.memberships.csv".to_owned(), memberships.into_bytes()),
        ];
        if let Some(other) = other_csv {
            files.push(("d.csv".to_owned(), other.into_bytes()));
        }
        write_files(dir.path(), &files);
        load_and_check(dir.path())?;
    }

    /// Valid datasets broken in a few places: problems are reported where they are.
    #[test]
    fn broken_valid_files_are_reported_inside_the_files(
        spec in spec(),
        which in any::<prop::sample::Index>(),
        mutations in proptest::collection::vec(mutation(), 1..4),
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut files: Vec<(String, Vec<u8>)> =
            render(&spec).into_iter().map(|(n, t)| (n, t.into_bytes())).collect();
        let i = which.index(files.len());
        for m in &mutations {
            mutate(&mut files[i].1, m);
        }
        write_files(dir.path(), &files);
        load_and_check(dir.path())?;
    }
}

fn parse_quads(bytes: &[u8], format: RdfFormat) -> BTreeSet<String> {
    RdfParser::from_format(format)
        .for_slice(bytes)
        .map(|q| q.unwrap_or_else(|e| panic!("the export does not parse: {e}")))
        .map(|q: Quad| q.to_string())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Every valid dataset is accepted and survives N-Quads and TriG unchanged, with every
    /// name, code and year it was given.
    #[test]
    fn valid_records_round_trip_through_rdf(spec in spec()) {
        let dir = tempfile::tempdir().expect("tempdir");
        let files: Vec<(String, Vec<u8>)> =
            render(&spec).into_iter().map(|(n, t)| (n, t.into_bytes())).collect();
        write_files(dir.path(), &files);
        prop_assert!(load_and_check(dir.path())?, "{:#?}", files);
        let dataset = match Dataset::build(dir.path(), Base::new(Base::DEFAULT).expect("base")) {
            Ok(d) => d,
            Err(e) => return Err(TestCaseError::fail(format!("{e}"))),
        };
        let stored: BTreeSet<String> = dataset
            .sorted_quads(None)
            .expect("quads")
            .iter()
            .map(ToString::to_string)
            .collect();
        for (format, parser) in [(Format::NQuads, RdfFormat::NQuads), (Format::TriG, RdfFormat::TriG)] {
            let mut bytes = Vec::new();
            reti::export::write(&dataset, format, None, &mut bytes).expect("export");
            let parsed = parse_quads(&bytes, parser);
            prop_assert_eq!(&parsed, &stored, "{:?}", format);
        }
        let mut bytes = Vec::new();
        reti::export::write(&dataset, Format::NQuads, None, &mut bytes).expect("export");
        let quads: Vec<Quad> = RdfParser::from_format(RdfFormat::NQuads)
            .for_slice(&bytes)
            .collect::<Result<_, _>>()
            .expect("parse");
        let literals: BTreeSet<(String, String)> = quads
            .iter()
            .filter_map(|q| match &q.object {
                Term::Literal(l) => Some((
                    l.value().to_owned(),
                    l.language().map_or_else(|| l.datatype().as_str().to_owned(), str::to_owned),
                )),
                _ => None,
            })
            .collect();
        let iris: BTreeSet<String> = quads
            .iter()
            .flat_map(|q| [q.subject.to_string(), q.object.to_string()])
            .collect();
        let has = |value: &str, tag: &str| literals.contains(&(value.trim().to_owned(), tag.to_owned()));
        let xsd = |t: &str| format!("http://www.w3.org/2001/XMLSchema#{t}");
        for named in spec.places.iter().map(|p| &p.names).chain(spec.networks.iter().map(|n| &n.names)) {
            prop_assert!(has(&named.en, "en"), "{:?} not in the graph", named.en);
            for (lang, name) in &named.other {
                prop_assert!(has(name, lang), "{name:?}@{lang} not in the graph");
            }
            for alt in &named.alt {
                prop_assert!(has(alt, "en"), "{alt:?} not in the graph");
            }
            if let Some(d) = &named.description {
                prop_assert!(has(d, "en"), "{d:?} not in the graph");
            }
        }
        for s in &spec.sources {
            prop_assert!(has(&s.title, "en"));
            for url in &s.urls {
                prop_assert!(iris.contains(&format!("<{url}>")), "{url} not in the graph");
            }
        }
        for p in &spec.places {
            prop_assert!(has(&p.istat, &xsd("string")), "{} not in the graph", p.istat);
            prop_assert!(has(&p.population.to_string(), &xsd("integer")));
            let wikidata = format!("<http://www.wikidata.org/entity/{}>", p.wikidata);
            prop_assert!(iris.contains(&wikidata), "{wikidata} not in the graph");
        }
        for n in &spec.networks {
            let founded = has(&n.founded, &xsd("gYear"))
                || has(&n.founded, &xsd("gYearMonth"))
                || has(&n.founded, &xsd("date"));
            prop_assert!(founded, "{} not in the graph", n.founded);
        }
        for m in &spec.memberships {
            if let Some(y) = m.since {
                prop_assert!(has(&format!("{y:04}"), &xsd("gYear")), "{y} not in the graph");
            }
            let iri = format!(
                "<{}id/membership/{}-{}>",
                Base::DEFAULT,
                spec.networks[m.network].slug,
                spec.places[m.place].slug
            );
            prop_assert!(iris.contains(&iri), "{iri} not in the graph");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// IRIs

fn base() -> impl Strategy<Value = String> {
    "https?://[a-z0-9]{1,10}(\\.[a-z0-9-]{1,6}){0,2}(:[0-9]{1,5})?(/[a-zA-Z0-9._~!$&'()*+,;=:@é\u{4e2d}-]{1,8}){0,3}/"
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Valid bases × valid slugs always mint valid IRIs, for every kind and for graphs.
    #[test]
    fn minting_gives_valid_iris(
        base in base(),
        slug in prop_oneof![slug(), "[a-z0-9]{1,60}(-[a-z0-9]{1,9}){0,3}", "[a-z0-9-]{1,90}"],
    ) {
        let base = Base::new(&base).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assume!(is_valid_slug(&slug));
        for kind in reti::rdf::KINDS {
            let minted = base.mint(kind, &slug);
            let checked = oxrdf::NamedNode::new(minted.as_str());
            prop_assert!(checked.is_ok(), "{minted}: {checked:?}");
            prop_assert_eq!(minted.as_str(), format!("{}id/{kind}/{slug}", base.as_str()));
        }
        prop_assert!(oxrdf::NamedNode::new(base.graph(&slug).as_str()).is_ok());
    }

    /// Whatever `Base::new` accepts is an absolute http(s) IRI ending in `/`, with no query or
    /// fragment; anything else is refused with a message.
    #[test]
    fn base_accepts_only_http_iris_ending_in_a_slash(
        candidate in prop_oneof![
            base(),
            "\\PC{0,30}",
            "(https?|ftp|urn|file|HTTP)://[a-z.:/?#%@\\[\\] -]{0,20}",
            base().prop_map(|b| format!("{b}?q=1/")),
            base().prop_map(|b| format!("{b}#/")),
            base().prop_map(|b| b.trim_end_matches('/').to_owned()),
        ],
    ) {
        match Base::new(&candidate) {
            Ok(b) => {
                prop_assert!(oxrdf::NamedNode::new(b.as_str()).is_ok());
                prop_assert!(b.as_str().starts_with("http://") || b.as_str().starts_with("https://"));
                prop_assert!(b.as_str().ends_with('/'));
                prop_assert!(!b.as_str().contains('?') && !b.as_str().contains('#'));
            }
            Err(e) => prop_assert!(e.to_string().contains("invalid base IRI")),
        }
    }

    /// Slugs the model accepts never need escaping in an IRI; anything else is refused.
    #[test]
    fn valid_slugs_are_plain(s in "\\PC{0,12}|[a-z0-9-]{0,12}") {
        if is_valid_slug(&s) {
            prop_assert!(s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
            prop_assert!(!s.starts_with('-') && !s.ends_with('-') && !s.contains("--"));
        }
    }
}

#[test]
fn base_refuses_what_it_should() {
    for bad in [
        "",
        "localhost:7878/",
        "//example.org/",
        "ftp://example.org/",
        "urn:x:y/",
        "http://example.org",
        "http://example.org/x",
        "http://example.org/?q=/",
        "http://example.org/#/",
        "http://exa mple.org/",
        "http://example.org/<x>/",
        "http://[::1/",
        "http://example.org/%zz/",
        "http://example.org/\u{0}/",
        "HTTP://EXAMPLE.ORG",
    ] {
        assert!(Base::new(bad).is_err(), "{bad:?} was accepted");
    }
    for good in [
        "http://localhost:7878/",
        "https://reti.example.org/",
        "https://example.org/data/reti/",
        "http://127.0.0.1:0/",
        "http://[::1]:8080/",
        "https://exämple.org/città/",
    ] {
        assert!(Base::new(good).is_ok(), "{good:?} was refused");
    }
}
