//! The stored queries in `queries/`: every file has the header the server reads, parses and
//! runs, and each one's exact result on the shipped data (checked against the source text).

use crate::{root, rows, select, shipped};
use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;

/// The queries whose exact results this module asserts; every file in `queries/` must be one.
const TESTED: &[&str] = &[
    "bjcem-countries",
    "creative-fields",
    "disagreements",
    "gai-members-by-region",
    "italian-creative-cities-by-field",
    "members-with-wikidata",
    "network-summary",
    "networks-of-a-city",
    "places-in-several-networks",
    "sources",
    "stated-vs-listed",
    "turin-offices",
    "uccn-member-counts-over-time",
];

fn query_files() -> Vec<PathBuf> {
    let dir = root().join("queries");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rq"))
        .collect();
    files.sort();
    files
}

fn read(path: &std::path::Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs `queries/{name}.rq` on the shipped data.
fn run(name: &str) -> Vec<Vec<String>> {
    select(&read(&root().join("queries").join(format!("{name}.rq"))))
}

#[test]
fn every_query_has_a_header_parses_and_runs() {
    let files = query_files();
    assert!(
        files.len() >= 10,
        "expected at least 10 queries, found {}",
        files.len()
    );
    let mut titles = BTreeSet::new();
    for path in &files {
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        assert!(
            !name.is_empty()
                && name.split('-').all(|w| !w.is_empty()
                    && w.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())),
            "{}: query files are named in kebab-case",
            path.display()
        );
        let text = read(path);
        let mut lines = text.lines();
        let title = lines.next().and_then(|l| l.strip_prefix("# title: "));
        let description = lines.next().and_then(|l| l.strip_prefix("# description: "));
        let (Some(title), Some(description)) = (title, description) else {
            panic!(
                "{}: must start with `# title: …` and `# description: …` lines",
                path.display()
            )
        };
        assert!(!title.trim().is_empty(), "{}: empty title", path.display());
        assert!(
            !description.trim().is_empty(),
            "{}: empty description",
            path.display()
        );
        assert!(
            titles.insert(title.to_owned()),
            "{}: title {title:?} is used twice",
            path.display()
        );
        assert!(
            text.contains("ORDER BY"),
            "{}: results must be ordered",
            path.display()
        );
        if let Err(e) = shipped().query(&text) {
            panic!("{} does not run: {e}", path.display());
        }
    }
}

#[test]
fn every_query_has_its_result_tested() {
    let files: BTreeSet<String> = query_files()
        .iter()
        .filter_map(|p| p.file_stem()?.to_str().map(str::to_owned))
        .collect();
    let tested: BTreeSet<String> = TESTED.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(
        files, tested,
        "each file in queries/ needs a test of its exact result here"
    );
}

/// Turin's memberships: UCCN (design, 2014, per the Turin page and the designation records), the Italian coordination (design), Eurocities and its public-art working group (coordinator per the Turin page, chair per Eurocities), GAI as member and holding presidency and national secretariat (two sources each).
#[test]
fn networks_of_a_city() {
    // network, organization, label, roleLabel, fieldLabel, year, sources
    let expected = rows![
        "network:eurocities", "network:eurocities", "Eurocities@en", "Member@en", "", "", "1";
        "network:eurocities", "unit:eurocities-public-art", "Working group on public art@en", "Chair@en", "", "", "1";
        "network:eurocities", "unit:eurocities-public-art", "Working group on public art@en", "Coordinator@en", "", "", "1";
        "network:gai", "network:gai", "GAI – Association for the Circuit of Young Italian Artists@en", "Member@en", "", "", "1";
        "network:gai", "network:gai", "GAI – Association for the Circuit of Young Italian Artists@en", "National secretariat@en", "", "", "2";
        "network:gai", "network:gai", "GAI – Association for the Circuit of Young Italian Artists@en", "Presidency@en", "", "", "2";
        "network:italian-creative-cities", "network:italian-creative-cities", "Coordination of the Italian UNESCO Creative Cities@en", "Member@en", "Design@en", "", "1";
        "network:uccn", "network:uccn", "UNESCO Creative Cities Network@en", "Member@en", "Design@en", "2014", "2"
    ];
    assert_eq!(run("networks-of-a-city"), expected);
}

/// The eight cities of the Turin page with their fields ("cinema" is Film, "hcrafts" is Crafts and Folk Art) and designation years.
#[test]
fn italian_creative_cities_by_field() {
    // field, fieldLabel, city, label, year
    let expected = rows![
        "field:crafts-and-folk-art", "Crafts and Folk Art@en", "place:fabriano", "Fabriano@en", "2013";
        "field:crafts-and-folk-art", "Crafts and Folk Art@en", "place:biella", "Biella@en", "2019";
        "field:design", "Design@en", "place:turin", "Turin@en", "2014";
        "field:film", "Film@en", "place:rome", "Rome@en", "2015";
        "field:gastronomy", "Gastronomy@en", "place:parma", "Parma@en", "2015";
        "field:gastronomy", "Gastronomy@en", "place:alba", "Alba@en", "2017";
        "field:gastronomy", "Gastronomy@en", "place:bergamo", "Bergamo@en", "2019";
        "field:music", "Music@en", "place:bologna", "Bologna@en", "2006"
    ];
    assert_eq!(run("italian-creative-cities-by-field"), expected);
}

/// The 33 administrations of the Turin page: 31 municipalities, the Province of Matera (Basilicata) and the Piedmont Region (itself).
#[test]
fn gai_members_by_region() {
    // region, regionLabel, member, label
    let expected = rows![
        "place:apulia", "Apulia@en", "place:bari", "Bari@en";
        "place:basilicata", "Basilicata@en", "place:province-matera", "Province of Matera@en";
        "place:calabria", "Calabria@en", "place:cosenza", "Cosenza@en";
        "place:campania", "Campania@en", "place:naples", "Naples@en";
        "place:campania", "Campania@en", "place:salerno", "Salerno@en";
        "place:emilia-romagna", "Emilia-Romagna@en", "place:bologna", "Bologna@en";
        "place:emilia-romagna", "Emilia-Romagna@en", "place:ferrara", "Ferrara@en";
        "place:emilia-romagna", "Emilia-Romagna@en", "place:forli", "Forlì@en";
        "place:emilia-romagna", "Emilia-Romagna@en", "place:modena", "Modena@en";
        "place:emilia-romagna", "Emilia-Romagna@en", "place:parma", "Parma@en";
        "place:emilia-romagna", "Emilia-Romagna@en", "place:ravenna", "Ravenna@en";
        "place:emilia-romagna", "Emilia-Romagna@en", "place:reggio-emilia", "Reggio Emilia@en";
        "place:friuli-venezia-giulia", "Friuli-Venezia Giulia@en", "place:trieste", "Trieste@en";
        "place:lazio", "Lazio@en", "place:rome", "Rome@en";
        "place:liguria", "Liguria@en", "place:genoa", "Genoa@en";
        "place:lombardy", "Lombardy@en", "place:como", "Como@en";
        "place:lombardy", "Lombardy@en", "place:mantua", "Mantua@en";
        "place:lombardy", "Lombardy@en", "place:milan", "Milan@en";
        "place:lombardy", "Lombardy@en", "place:pavia", "Pavia@en";
        "place:marche", "Marche@en", "place:ancona", "Ancona@en";
        "place:molise", "Molise@en", "place:campobasso", "Campobasso@en";
        "place:piedmont", "Piedmont@en", "place:asti", "Asti@en";
        "place:piedmont", "Piedmont@en", "place:piedmont", "Piedmont@en";
        "place:piedmont", "Piedmont@en", "place:turin", "Turin@en";
        "place:sardinia", "Sardinia@en", "place:cagliari", "Cagliari@en";
        "place:sicily", "Sicily@en", "place:messina", "Messina@en";
        "place:trentino-alto-adige-sudtirol", "Trentino-Alto Adige/Südtirol@en", "place:trent", "Trent@en";
        "place:tuscany", "Tuscany@en", "place:florence", "Florence@en";
        "place:tuscany", "Tuscany@en", "place:pisa", "Pisa@en";
        "place:tuscany", "Tuscany@en", "place:prato", "Prato@en";
        "place:tuscany", "Tuscany@en", "place:siena", "Siena@en";
        "place:umbria", "Umbria@en", "place:perugia", "Perugia@en";
        "place:veneto", "Veneto@en", "place:padua", "Padua@en"
    ];
    assert_eq!(run("gai-members-by-region"), expected);
}

/// 21 countries on the Turin page, 20 in the later profile (no Morocco); partners Algeria, Austria, Israel, Kosovo vs Austria, Israel, Kosovo.
#[test]
fn bjcem_countries() {
    // relation, country, label, sourceTitle
    let expected = rows![
        "present in", "place:albania", "Albania@en", "History and later public profile of BJCEM@en";
        "present in", "place:albania", "Albania@en", "The international networks of the City of Turin@en";
        "present in", "place:bosnia-and-herzegovina", "Bosnia and Herzegovina@en", "History and later public profile of BJCEM@en";
        "present in", "place:bosnia-and-herzegovina", "Bosnia and Herzegovina@en", "The international networks of the City of Turin@en";
        "present in", "place:croatia", "Croatia@en", "History and later public profile of BJCEM@en";
        "present in", "place:croatia", "Croatia@en", "The international networks of the City of Turin@en";
        "present in", "place:cyprus", "Cyprus@en", "History and later public profile of BJCEM@en";
        "present in", "place:cyprus", "Cyprus@en", "The international networks of the City of Turin@en";
        "present in", "place:egypt", "Egypt@en", "History and later public profile of BJCEM@en";
        "present in", "place:egypt", "Egypt@en", "The international networks of the City of Turin@en";
        "present in", "place:france", "France@en", "History and later public profile of BJCEM@en";
        "present in", "place:france", "France@en", "The international networks of the City of Turin@en";
        "present in", "place:greece", "Greece@en", "History and later public profile of BJCEM@en";
        "present in", "place:greece", "Greece@en", "The international networks of the City of Turin@en";
        "present in", "place:italy", "Italy@en", "History and later public profile of BJCEM@en";
        "present in", "place:italy", "Italy@en", "The international networks of the City of Turin@en";
        "present in", "place:lebanon", "Lebanon@en", "History and later public profile of BJCEM@en";
        "present in", "place:lebanon", "Lebanon@en", "The international networks of the City of Turin@en";
        "present in", "place:malta", "Malta@en", "History and later public profile of BJCEM@en";
        "present in", "place:malta", "Malta@en", "The international networks of the City of Turin@en";
        "present in", "place:montenegro", "Montenegro@en", "History and later public profile of BJCEM@en";
        "present in", "place:montenegro", "Montenegro@en", "The international networks of the City of Turin@en";
        "present in", "place:morocco", "Morocco@en", "The international networks of the City of Turin@en";
        "present in", "place:palestine", "Palestine@en", "History and later public profile of BJCEM@en";
        "present in", "place:palestine", "Palestine@en", "The international networks of the City of Turin@en";
        "present in", "place:portugal", "Portugal@en", "History and later public profile of BJCEM@en";
        "present in", "place:portugal", "Portugal@en", "The international networks of the City of Turin@en";
        "present in", "place:san-marino", "San Marino@en", "History and later public profile of BJCEM@en";
        "present in", "place:san-marino", "San Marino@en", "The international networks of the City of Turin@en";
        "present in", "place:serbia", "Serbia@en", "History and later public profile of BJCEM@en";
        "present in", "place:serbia", "Serbia@en", "The international networks of the City of Turin@en";
        "present in", "place:slovenia", "Slovenia@en", "History and later public profile of BJCEM@en";
        "present in", "place:slovenia", "Slovenia@en", "The international networks of the City of Turin@en";
        "present in", "place:spain", "Spain@en", "History and later public profile of BJCEM@en";
        "present in", "place:spain", "Spain@en", "The international networks of the City of Turin@en";
        "present in", "place:tunisia", "Tunisia@en", "History and later public profile of BJCEM@en";
        "present in", "place:tunisia", "Tunisia@en", "The international networks of the City of Turin@en";
        "present in", "place:turkey", "Turkey@en", "History and later public profile of BJCEM@en";
        "present in", "place:turkey", "Turkey@en", "The international networks of the City of Turin@en";
        "present in", "place:united-kingdom", "United Kingdom@en", "History and later public profile of BJCEM@en";
        "present in", "place:united-kingdom", "United Kingdom@en", "The international networks of the City of Turin@en";
        "external partner", "place:algeria", "Algeria@en", "The international networks of the City of Turin@en";
        "external partner", "place:austria", "Austria@en", "History and later public profile of BJCEM@en";
        "external partner", "place:austria", "Austria@en", "The international networks of the City of Turin@en";
        "external partner", "place:israel", "Israel@en", "History and later public profile of BJCEM@en";
        "external partner", "place:israel", "Israel@en", "The international networks of the City of Turin@en";
        "external partner", "place:kosovo", "Kosovo@en", "History and later public profile of BJCEM@en";
        "external partner", "place:kosovo", "Kosovo@en", "The international networks of the City of Turin@en"
    ];
    assert_eq!(run("bjcem-countries"), expected);
}

/// Turin in UCCN, the Italian coordination, Eurocities and GAI; Bologna, Parma and Rome also in GAI; the other creative cities in UCCN and the coordination only.
#[test]
fn places_in_several_networks() {
    // place, label, networks
    let expected = rows![
        "place:turin", "Turin@en", "4";
        "place:bologna", "Bologna@en", "3";
        "place:parma", "Parma@en", "3";
        "place:rome", "Rome@en", "3";
        "place:alba", "Alba@en", "2";
        "place:bergamo", "Bergamo@en", "2";
        "place:biella", "Biella@en", "2";
        "place:fabriano", "Fabriano@en", "2"
    ];
    assert_eq!(run("places-in-several-networks"), expected);
}

/// Every figure stated about a network, beside the members listed: 1 for Eurocities (Turin), 33 for GAI, 8 for UCCN.
#[test]
fn stated_vs_listed() {
    // network, label, measureLabel, value, lowerBound, date, sourceTitle, listed
    let expected = rows![
        "network:eurocities", "Eurocities@en", "Citizens@en", "130000000", "true", "", "Eurocities' own account of the network@en", "1";
        "network:eurocities", "Eurocities@en", "Citizens@en", "130000000", "false", "", "The international networks of the City of Turin@en", "1";
        "network:eurocities", "Eurocities@en", "Countries@en", "38", "false", "", "Eurocities' own account of the network@en", "1";
        "network:eurocities", "Eurocities@en", "Countries@en", "39", "false", "", "The international networks of the City of Turin@en", "1";
        "network:eurocities", "Eurocities@en", "Full members@en", "135", "false", "", "The international networks of the City of Turin@en", "1";
        "network:eurocities", "Eurocities@en", "Member cities@en", "200", "true", "", "Eurocities' own account of the network@en", "1";
        "network:eurocities", "Eurocities@en", "Partner cities@en", "45", "false", "", "The international networks of the City of Turin@en", "1";
        "network:eurocities", "Eurocities@en", "Thematic forums@en", "6", "false", "", "Eurocities' own account of the network@en", "1";
        "network:eurocities", "Eurocities@en", "Thematic forums@en", "6", "false", "", "The international networks of the City of Turin@en", "1";
        "network:gai", "GAI – Association for the Circuit of Young Italian Artists@en", "Public administrations@en", "21", "false", "", "History and offices of the GAI association@en", "33";
        "network:gai", "GAI – Association for the Circuit of Young Italian Artists@en", "Public administrations@en", "33", "false", "", "The international networks of the City of Turin@en", "33";
        "network:uccn", "UNESCO Creative Cities Network@en", "Countries@en", "100", "true", "2025-10-30", "UNESCO Creative Cities Network announcements@en", "8";
        "network:uccn", "UNESCO Creative Cities Network@en", "Member cities@en", "180", "false", "", "The international networks of the City of Turin@en", "8";
        "network:uccn", "UNESCO Creative Cities Network@en", "Member cities@en", "116", "false", "2015", "UNESCO Creative Cities Network announcements@en", "8";
        "network:uccn", "UNESCO Creative Cities Network@en", "Member cities@en", "180", "false", "2017-10", "UNESCO Creative Cities Network announcements@en", "8";
        "network:uccn", "UNESCO Creative Cities Network@en", "Member cities@en", "246", "false", "2019-10", "UNESCO Creative Cities Network announcements@en", "8";
        "network:uccn", "UNESCO Creative Cities Network@en", "Member cities@en", "295", "false", "2021", "UNESCO Creative Cities Network announcements@en", "8";
        "network:uccn", "UNESCO Creative Cities Network@en", "Member cities@en", "350", "false", "2023", "UNESCO Creative Cities Network announcements@en", "8";
        "network:uccn", "UNESCO Creative Cities Network@en", "Member cities@en", "408", "false", "2025-10-30", "UNESCO Creative Cities Network announcements@en", "8"
    ];
    assert_eq!(run("stated-vs-listed"), expected);
}

/// Presidency and national secretariat of GAI, coordination and chair of the public-art group, and BJCEM's general secretariat.
#[test]
fn turin_offices() {
    // organization, organizationLabel, office, officeLabel
    let expected = rows![
        "network:bjcem", "BJCEM@en", "site:bjcem-general-secretariat", "BJCEM general secretariat@en";
        "network:gai", "GAI – Association for the Circuit of Young Italian Artists@en", "role:national-secretariat", "National secretariat@en";
        "network:gai", "GAI – Association for the Circuit of Young Italian Artists@en", "role:presidency", "Presidency@en";
        "unit:eurocities-public-art", "Working group on public art@en", "role:chair", "Chair@en";
        "unit:eurocities-public-art", "Working group on public art@en", "role:coordinator", "Coordinator@en"
    ];
    assert_eq!(run("turin-offices"), expected);
}

/// The 37 members of any network; the Province of Matera and Piedmont have no Wikidata item in the data.
#[test]
fn members_with_wikidata() {
    // place, label, wikidata
    let expected = rows![
        "place:alba", "Alba@en", "wd:Q18341";
        "place:ancona", "Ancona@en", "wd:Q3415";
        "place:asti", "Asti@en", "wd:Q6122";
        "place:bari", "Bari@en", "wd:Q3519";
        "place:bergamo", "Bergamo@en", "wd:Q628";
        "place:biella", "Biella@en", "wd:Q18021";
        "place:bologna", "Bologna@en", "wd:Q1891";
        "place:cagliari", "Cagliari@en", "wd:Q1897";
        "place:campobasso", "Campobasso@en", "wd:Q3497";
        "place:como", "Como@en", "wd:Q1308";
        "place:cosenza", "Cosenza@en", "wd:Q13619";
        "place:fabriano", "Fabriano@en", "wd:Q13145";
        "place:ferrara", "Ferrara@en", "wd:Q13362";
        "place:florence", "Florence@en", "wd:Q2044";
        "place:forli", "Forlì@en", "wd:Q13367";
        "place:genoa", "Genoa@en", "wd:Q1449";
        "place:mantua", "Mantua@en", "wd:Q6247";
        "place:messina", "Messina@en", "wd:Q13666";
        "place:milan", "Milan@en", "wd:Q490";
        "place:modena", "Modena@en", "wd:Q279";
        "place:naples", "Naples@en", "wd:Q2634";
        "place:padua", "Padua@en", "wd:Q617";
        "place:parma", "Parma@en", "wd:Q2683";
        "place:pavia", "Pavia@en", "wd:Q6259";
        "place:perugia", "Perugia@en", "wd:Q3437";
        "place:piedmont", "Piedmont@en", "";
        "place:pisa", "Pisa@en", "wd:Q13375";
        "place:prato", "Prato@en", "wd:Q13377";
        "place:province-matera", "Province of Matera@en", "";
        "place:ravenna", "Ravenna@en", "wd:Q13364";
        "place:reggio-emilia", "Reggio Emilia@en", "wd:Q13360";
        "place:rome", "Rome@en", "wd:Q220";
        "place:salerno", "Salerno@en", "wd:Q1083";
        "place:siena", "Siena@en", "wd:Q2751";
        "place:trent", "Trent@en", "wd:Q3376";
        "place:trieste", "Trieste@en", "wd:Q546";
        "place:turin", "Turin@en", "wd:Q495"
    ];
    assert_eq!(run("members-with-wikidata"), expected);
}

/// Founding dates as the sources give them (GAI: 1997 on the Turin page, 26 February 1997 in its records); no founding date for the Italian coordination; no members for BJCEM (countries are not members).
#[test]
fn network_summary() {
    // network, label, founded, members
    let expected = rows![
        "network:bjcem", "BJCEM@en", "2001-07", "0";
        "network:italian-creative-cities", "Coordination of the Italian UNESCO Creative Cities@en", "", "8";
        "network:eurocities", "Eurocities@en", "1986", "1";
        "network:gai", "GAI – Association for the Circuit of Young Italian Artists@en", "1997", "33";
        "network:gai", "GAI – Association for the Circuit of Young Italian Artists@en", "1997-02-26", "33";
        "network:uccn", "UNESCO Creative Cities Network@en", "2004", "8"
    ];
    assert_eq!(run("network-summary"), expected);
}

/// The nine sources, each with its own graph; the ontology graph is not a source.
#[test]
fn sources() {
    // graph, source, title, triples
    let expected = rows![
        "graph:uccn-designations", "source:uccn-designations", "Designation years of the Italian UNESCO Creative Cities@en", "114";
        "graph:eurocities-website", "source:eurocities-website", "Eurocities' own account of the network@en", "52";
        "graph:bjcem-profile", "source:bjcem-profile", "History and later public profile of BJCEM@en", "40";
        "graph:gai-records", "source:gai-records", "History and offices of the GAI association@en", "30";
        "graph:country-codes", "source:country-codes", "ISO 3166-1 codes, EU country authority codes and Wikidata items of countries@en", "234";
        "graph:istat-comuni-italiani", "source:istat-comuni-italiani", "ISTAT codes, names, provinces, regions and 2021 populations of Italian municipalities@en", "874";
        "graph:reti-editors", "source:reti-editors", "Names and translations by the reti editors@en", "408";
        "graph:turin-networks-page", "source:turin-networks-page", "The international networks of the City of Turin@en", "589";
        "graph:unesco-announcements", "source:unesco-announcements", "UNESCO Creative Cities Network announcements@en", "99"
    ];
    assert_eq!(run("sources"), expected);
}

/// UNESCO's dated counts, then the Turin page's undated 180 with the period the page covers.
#[test]
fn uccn_member_counts_over_time() {
    // date, value, lowerBound, sourceTitle, coversFrom, coversUntil
    let expected = rows![
        "2015", "116", "false", "UNESCO Creative Cities Network announcements@en", "", "";
        "2017-10", "180", "false", "UNESCO Creative Cities Network announcements@en", "", "";
        "2019-10", "246", "false", "UNESCO Creative Cities Network announcements@en", "", "";
        "2021", "295", "false", "UNESCO Creative Cities Network announcements@en", "", "";
        "2023", "350", "false", "UNESCO Creative Cities Network announcements@en", "", "";
        "2025-10-30", "408", "false", "UNESCO Creative Cities Network announcements@en", "", "";
        "", "180", "false", "The international networks of the City of Turin@en", "2017", "2018"
    ];
    assert_eq!(run("uccn-member-counts-over-time"), expected);
}

/// Morocco and Algeria (BJCEM), 38 vs 39 countries (Eurocities), 21 vs 33 administrations and 1997-02-26 vs 1997 (GAI).
#[test]
fn disagreements() {
    // network, label, aspect, value, sourceTitle, otherValue, otherSourceTitle
    let expected = rows![
        "network:bjcem", "BJCEM@en", "external partner", "Algeria", "The international networks of the City of Turin@en", "(not listed)", "History and later public profile of BJCEM@en";
        "network:bjcem", "BJCEM@en", "present in", "Morocco", "The international networks of the City of Turin@en", "(not listed)", "History and later public profile of BJCEM@en";
        "network:eurocities", "Eurocities@en", "Countries", "38", "Eurocities' own account of the network@en", "39", "The international networks of the City of Turin@en";
        "network:gai", "GAI – Association for the Circuit of Young Italian Artists@en", "Public administrations", "21", "History and offices of the GAI association@en", "33", "The international networks of the City of Turin@en";
        "network:gai", "GAI – Association for the Circuit of Young Italian Artists@en", "founding date", "1997-02-26", "History and offices of the GAI association@en", "1997", "The international networks of the City of Turin@en"
    ];
    assert_eq!(run("disagreements"), expected);
}

/// The seven UNESCO fields; the Turin page's "Cinema" and "New media" are kept as alternative names.
#[test]
fn creative_fields() {
    // field, label, labelIt, altLabel, cities
    let expected = rows![
        "field:crafts-and-folk-art", "Crafts and Folk Art@en", "Artigianato e arte popolare@it", "", "2";
        "field:design", "Design@en", "Design@it", "", "1";
        "field:film", "Film@en", "Cinema@it", "Cinema@en", "1";
        "field:gastronomy", "Gastronomy@en", "Gastronomia@it", "", "3";
        "field:literature", "Literature@en", "Letteratura@it", "", "0";
        "field:media-arts", "Media Arts@en", "Arti multimediali@it", "New media@en", "0";
        "field:music", "Music@en", "Musica@it", "", "1"
    ];
    assert_eq!(run("creative-fields"), expected);
}
