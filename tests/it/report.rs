//! The reconciliation report: stated figures beside what the data lists, and disagreements
//! between sources, the same in `reti check --report`, on the page and in RDF.

use crate::serve::{TestServer, get, header};
use crate::{reti, shipped};
use reti::query::report::{Listed, reconcile};

#[test]
fn figures_are_set_beside_what_the_data_lists() {
    let report = reconcile(shipped(), "en").expect("report");
    let network = |slug: &str| {
        report
            .networks
            .iter()
            .find(|n| n.network.as_str().ends_with(&format!("/network/{slug}")))
            .unwrap_or_else(|| panic!("{slug} in the report"))
    };
    let uccn = network("uccn");
    assert_eq!(uccn.members, 8);
    let text_figure = uccn
        .figures
        .iter()
        .find(|f| f.said.title == "The international networks of the City of Turin")
        .expect("the page's figure");
    assert_eq!(
        (text_figure.value, text_figure.listed, text_figure.agrees()),
        (180, Some(8), Some(false))
    );
    assert_eq!(text_figure.said.when.as_deref(), Some("2017–2018"));
    assert_eq!(text_figure.verdict(), "8 of 180 listed");
    let gai = network("gai");
    let verdicts: Vec<(u64, String)> = gai.figures.iter().map(|f| (f.value, f.verdict())).collect();
    assert_eq!(
        verdicts,
        [
            (21, "33 listed, more than the 21 stated".to_owned()),
            (33, "33 listed ✓".to_owned())
        ]
    );
    let eurocities = network("eurocities");
    let partner = eurocities
        .figures
        .iter()
        .find(|f| f.measure == "Partner cities")
        .expect("partner cities");
    assert_eq!(
        (partner.value, partner.listed),
        (45, None),
        "no partner city is listed, so not comparable"
    );
    let citizens = eurocities
        .figures
        .iter()
        .find(|f| f.kind == Some(Listed::PopulationOfMembers) && !f.lower_bound)
        .expect("citizens");
    assert_eq!(citizens.listed, Some(848_196), "Turin's 2021 population");
    assert!(network("bjcem").figures.is_empty());
}

#[test]
fn disagreements_name_both_sources() {
    let report = reconcile(shipped(), "en").expect("report");
    type Row = (String, String, Vec<(String, String)>);
    let found: Vec<Row> = report
        .disagreements
        .iter()
        .map(|d| {
            (
                d.subject_name.clone(),
                d.about.clone(),
                d.claims
                    .iter()
                    .map(|(v, s)| (v.clone(), s.title.clone()))
                    .collect(),
            )
        })
        .collect();
    let page = "The international networks of the City of Turin".to_owned();
    let expected = vec![
        (
            "BJCEM".to_owned(),
            "area served: Morocco".to_owned(),
            vec![
                (
                    "no".to_owned(),
                    "History and later public profile of BJCEM".to_owned(),
                ),
                ("yes".to_owned(), page.clone()),
            ],
        ),
        (
            "BJCEM".to_owned(),
            "external partner: Algeria".to_owned(),
            vec![
                (
                    "no".to_owned(),
                    "History and later public profile of BJCEM".to_owned(),
                ),
                ("yes".to_owned(), page.clone()),
            ],
        ),
        (
            "Eurocities".to_owned(),
            "citizens".to_owned(),
            vec![
                (
                    "more than 130000000".to_owned(),
                    "Eurocities' own account of the network".to_owned(),
                ),
                ("130000000".to_owned(), page.clone()),
            ],
        ),
        (
            "Eurocities".to_owned(),
            "countries".to_owned(),
            vec![
                (
                    "38".to_owned(),
                    "Eurocities' own account of the network".to_owned(),
                ),
                ("39".to_owned(), page.clone()),
            ],
        ),
        (
            "GAI – Association for the Circuit of Young Italian Artists".to_owned(),
            "founding date".to_owned(),
            vec![
                (
                    "1997-02-26".to_owned(),
                    "History and offices of the GAI association".to_owned(),
                ),
                ("1997".to_owned(), page.clone()),
            ],
        ),
        (
            "GAI – Association for the Circuit of Young Italian Artists".to_owned(),
            "public administrations".to_owned(),
            vec![
                (
                    "21".to_owned(),
                    "History and offices of the GAI association".to_owned(),
                ),
                ("33".to_owned(), page.clone()),
            ],
        ),
        (
            "Turin in Working group on public art".to_owned(),
            "role".to_owned(),
            vec![
                (
                    "Chair".to_owned(),
                    "Eurocities' own account of the network".to_owned(),
                ),
                ("Coordinator".to_owned(), page.clone()),
            ],
        ),
    ];
    assert_eq!(found, expected);
}

#[test]
fn check_report_prints_it() {
    let out = reti().args(["check", "--report"]).output().expect("run");
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    for line in [
        "UNESCO Creative Cities Network — 8 members listed",
        "  Member cities: 180 (The international networks of the City of Turin, 2017–2018) — 8 of 180 listed",
        "  Public administrations: 33 (The international networks of the City of Turin, 2017–2018) — 33 listed ✓",
        "  Full members: 135 (The international networks of the City of Turin, 2017–2018) — 1 of 135 listed",
        "BJCEM — area served: Morocco",
    ] {
        assert!(
            stdout.lines().any(|l| l == line),
            "missing `{line}` in:\n{stdout}"
        );
    }
}

#[test]
fn the_report_is_a_page_and_an_rdf_resource() {
    let s = TestServer::start();
    let (status, h, body) = s.block_on(get(
        &s.at("report"),
        &[("Accept", "text/html"), ("Accept-Language", "it")],
    ));
    assert_eq!(status, 200);
    assert!(header(&h, "content-type").starts_with("text/html"));
    let html = String::from_utf8_lossy(&body);
    assert!(
        html.contains("Rapporto di riconciliazione") && html.contains("33 listed ✓"),
        "{html}"
    );
    let (status, h, body) = s.block_on(get(&s.at("report"), &[("Accept", "text/turtle")]));
    assert_eq!(status, 200);
    assert!(header(&h, "vary").contains("Accept"));
    let graph: oxrdf::Graph = oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
        .for_slice(&body)
        .map(|q| oxrdf::Triple::from(q.expect("turtle")))
        .collect();
    let figure = oxrdf::NamedNode::new(s.at("id/figure/uccn-member-cities-turin-networks-page"))
        .expect("iri");
    let listed = graph
        .object_for_subject_predicate(&figure, reti::vocab::reti::LISTED_VALUE)
        .map(|o| o.to_string());
    assert_eq!(
        listed.as_deref(),
        Some("\"8\"^^<http://www.w3.org/2001/XMLSchema#integer>")
    );
    let disagreements = graph
        .subjects_for_predicate_object(
            oxigraph::model::vocab::rdf::TYPE,
            reti::vocab::reti::DISAGREEMENT,
        )
        .count();
    assert_eq!(disagreements, 7);
}
