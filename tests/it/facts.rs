//! The shipped data says what the sources say: exact facts, checked against the source text
//! and the reference files.

use crate::{PREFIXES, ask, rows, select, shipped};

fn q(body: &str) -> String {
    format!("{PREFIXES}\n{body}")
}

#[test]
fn gai_lists_exactly_33_members_31_municipalities_1_province_1_region() {
    let kinds = select(&q("
        SELECT ?kind (COUNT(DISTINCT ?m) AS ?n) WHERE {
          ?ms org:organization network:gai ; org:role role:member ; org:member ?m .
          ?m a ?kind . FILTER(?kind IN (reti:Municipality, reti:Province, reti:Region))
        } GROUP BY ?kind ORDER BY ?kind"));
    assert_eq!(
        kinds,
        rows!["reti:Municipality", "31"; "reti:Province", "1"; "reti:Region", "1"]
    );
    let all = select(&q(
        "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { network:gai org:hasMember ?m }",
    ));
    assert_eq!(all, rows!["33"]);
    let special = select(&q("
        SELECT ?m WHERE { network:gai org:hasMember ?m . FILTER NOT EXISTS { ?m a reti:Municipality } } ORDER BY ?m"));
    assert_eq!(special, rows!["place:piedmont"; "place:province-matera"]);
}

#[test]
fn turin_relates_to_all_five_networks_in_the_right_way() {
    let memberships = select(&q("
        SELECT ?org ?role ?field ?year WHERE {
          ?m org:member place:turin ; org:organization ?org ; org:role ?role .
          OPTIONAL { ?m reti:creativeField ?field }
          OPTIONAL { ?m org:memberDuring/time:hasBeginning/time:inXSDGYear ?year }
        } ORDER BY ?org ?role"));
    assert_eq!(
        memberships,
        rows![
            "network:eurocities", "role:member", "", "";
            "network:gai", "role:member", "", "";
            "network:gai", "role:national-secretariat", "", "";
            "network:gai", "role:presidency", "", "";
            "network:italian-creative-cities", "role:member", "field:design", "";
            "network:uccn", "role:member", "field:design", "2014";
            "unit:eurocities-public-art", "role:chair", "", "";
            "unit:eurocities-public-art", "role:coordinator", "", "";
        ]
    );
    // the public-art working group belongs to Eurocities' Culture Forum
    assert!(ask(&q(
        "ASK { unit:eurocities-public-art org:subOrganizationOf unit:eurocities-culture-forum .
                          unit:eurocities-culture-forum org:subOrganizationOf network:eurocities }"
    )));
    // Turin is the seat of BJCEM's general secretariat, but not a member of BJCEM
    assert!(ask(&q("ASK { network:bjcem org:hasSite site:bjcem-general-secretariat .
                          site:bjcem-general-secretariat a org:Site ; schema:containedInPlace place:turin ;
                          org:siteOf network:bjcem }")));
    assert!(!ask(&q("ASK { ?m org:organization network:bjcem }")));
}

#[test]
fn uccn_has_seven_fields_and_the_italian_cities_their_field_and_year() {
    let fields = select(&q("
        SELECT ?f ?en ?it WHERE {
          ?f skos:inScheme <http://localhost:7878/id/scheme/fields> ; skos:prefLabel ?en , ?it .
          FILTER(lang(?en) = 'en' && lang(?it) = 'it')
        } ORDER BY ?f"));
    assert_eq!(
        fields,
        rows![
            "field:crafts-and-folk-art", "Crafts and Folk Art@en", "Artigianato e arte popolare@it";
            "field:design", "Design@en", "Design@it";
            "field:film", "Film@en", "Cinema@it";
            "field:gastronomy", "Gastronomy@en", "Gastronomia@it";
            "field:literature", "Literature@en", "Letteratura@it";
            "field:media-arts", "Media Arts@en", "Arti multimediali@it";
            "field:music", "Music@en", "Musica@it";
        ]
    );
    // the text's wording kept: "New media" and "Cinema" as alternative labels, typos as hidden
    let wording = select(&q("
        SELECT ?f ?p ?l WHERE { GRAPH graph:turin-networks-page {
          ?f skos:inScheme <http://localhost:7878/id/scheme/fields> ; ?p ?l .
          FILTER(?p IN (skos:altLabel, skos:hiddenLabel)) } } ORDER BY ?f ?p"));
    assert_eq!(
        wording,
        rows![
            "field:crafts-and-folk-art", "skos:hiddenLabel", "hcrafts and folk art@en";
            "field:film", "skos:altLabel", "Cinema@en";
            "field:gastronomy", "skos:hiddenLabel", "Gastonomy@en";
            "field:media-arts", "skos:altLabel", "New media@en";
        ]
    );
    let cities = select(&q("
        SELECT ?city ?field ?year WHERE {
          ?m org:organization network:uccn ; org:member ?city ; reti:creativeField ?field ;
             org:memberDuring/time:hasBeginning/time:inXSDGYear ?year .
        } ORDER BY ?year ?city"));
    assert_eq!(
        cities,
        rows![
            "place:bologna", "field:music", "2006";
            "place:fabriano", "field:crafts-and-folk-art", "2013";
            "place:turin", "field:design", "2014";
            "place:parma", "field:gastronomy", "2015";
            "place:rome", "field:film", "2015";
            "place:alba", "field:gastronomy", "2017";
            "place:bergamo", "field:gastronomy", "2019";
            "place:biella", "field:crafts-and-folk-art", "2019";
        ]
    );
    assert!(ask(&q(
        "ASK { ?m org:member place:rome ; org:organization network:uccn ; reti:creativeField field:film }"
    )));
}

#[test]
fn the_coordination_has_the_eight_cities() {
    let members = select(&q(
        "SELECT ?m WHERE { network:italian-creative-cities org:hasMember ?m } ORDER BY ?m",
    ));
    assert_eq!(
        members,
        rows!["place:alba"; "place:bergamo"; "place:biella"; "place:bologna"; "place:fabriano"; "place:parma"; "place:rome"; "place:turin"]
    );
}

#[test]
fn stated_figures_are_data_with_their_source_not_member_counts() {
    let figures = select(&q("
        SELECT ?g ?measure ?value ?date ?over WHERE {
          GRAPH ?g { network:eurocities reti:statedFigure ?f . ?f reti:measure ?measure ; schema:value ?value .
                     OPTIONAL { ?f dcterms:date ?date } OPTIONAL { ?f reti:isLowerBound ?over } }
        } ORDER BY ?g ?measure"));
    assert_eq!(
        figures,
        rows![
            "graph:eurocities-website", "measure:citizens", "130000000", "", "true";
            "graph:eurocities-website", "measure:countries", "38", "", "";
            "graph:eurocities-website", "measure:member-cities", "200", "", "true";
            "graph:eurocities-website", "measure:thematic-forums", "6", "", "";
            "graph:turin-networks-page", "measure:citizens", "130000000", "", "";
            "graph:turin-networks-page", "measure:countries", "39", "", "";
            "graph:turin-networks-page", "measure:full-members", "135", "", "";
            "graph:turin-networks-page", "measure:partner-cities", "45", "", "";
            "graph:turin-networks-page", "measure:thematic-forums", "6", "", "";
        ]
    );
    let uccn = select(&q("
        SELECT ?value (COUNT(DISTINCT ?m) AS ?listed) WHERE {
          GRAPH graph:turin-networks-page { network:uccn reti:statedFigure ?f . ?f schema:value ?value }
          network:uccn org:hasMember ?m
        } GROUP BY ?value"));
    assert_eq!(uccn, rows!["180", "8"]);
}

#[test]
fn bjcem_countries_per_source_and_countries_are_never_members() {
    let per_source = |g: &str, p: &str| {
        select(&q(&format!(
            "SELECT (COUNT(?c) AS ?n) WHERE {{ GRAPH graph:{g} {{ network:bjcem {p} ?c }} ?c a schema:Country }}"
        )))
    };
    assert_eq!(
        per_source("turin-networks-page", "schema:areaServed"),
        rows!["21"]
    );
    assert_eq!(
        per_source("turin-networks-page", "reti:externalPartner"),
        rows!["4"]
    );
    assert_eq!(
        per_source("bjcem-profile", "schema:areaServed"),
        rows!["20"]
    );
    assert_eq!(
        per_source("bjcem-profile", "reti:externalPartner"),
        rows!["3"]
    );
    let only_in_text = select(&q("
        SELECT ?p ?c WHERE {
          GRAPH graph:turin-networks-page { network:bjcem ?p ?c }
          FILTER(?p IN (schema:areaServed, reti:externalPartner))
          FILTER NOT EXISTS { GRAPH graph:bjcem-profile { network:bjcem ?p ?c } }
        } ORDER BY ?p"));
    assert_eq!(
        only_in_text,
        rows!["schema:areaServed", "place:morocco"; "reti:externalPartner", "place:algeria"]
    );
    assert!(!ask(&q("ASK { ?m org:member ?c . ?c a schema:Country }")));
    assert!(ask(&q(
        "ASK { network:bjcem org:hasRegisteredSite ?s . ?s schema:containedInPlace place:brussels .
                          place:brussels schema:containedInPlace place:belgium }"
    )));
}

#[test]
fn places_carry_their_reference_facts_in_the_reference_graph() {
    let turin = select(&q("
        SELECT ?it ?en ?istat ?province ?region ?country ?wd ?pop WHERE {
          GRAPH graph:istat-comuni-italiani {
            place:turin rdfs:label ?it , ?en ; reti:istatCode ?istat ; schema:containedInPlace ?province ;
                        owl:sameAs ?wd ; reti:statedFigure ?f .
            ?f reti:measure measure:resident-population ; schema:value ?pop ; dcterms:date '2021-01-01'^^xsd:date .
            FILTER(lang(?it) = 'it' && lang(?en) = 'en')
          }
          ?province schema:containedInPlace ?region . ?region schema:containedInPlace ?country .
        }"));
    assert_eq!(
        turin,
        rows![
            "Torino@it",
            "Turin@en",
            "001272",
            "place:province-torino",
            "place:piedmont",
            "place:italy",
            "wd:Q495",
            "848196"
        ]
    );
    let italy = select(&q("
        SELECT ?a2 ?a3 ?same WHERE { place:italy reti:isoAlpha2 ?a2 ; reti:isoAlpha3 ?a3 ; owl:sameAs ?same } ORDER BY ?same"));
    assert_eq!(
        italy,
        rows![
            "IT", "ITA", "http://publications.europa.eu/resource/authority/country/ITA";
            "IT", "ITA", "wd:Q38";
        ]
    );
    // Kosovo has no ISO 3166-1 code; XK is user-assigned and kept as a notation only
    assert!(!ask(&q("ASK { place:kosovo reti:isoAlpha2 ?c }")));
    assert!(ask(&q(
        "ASK { place:kosovo skos:notation 'XK' ; owl:sameAs <http://publications.europa.eu/resource/authority/country/1A0> }"
    )));
    // the text's graph holds no identifier and no designation year
    assert!(!ask(&q(
        "ASK { GRAPH graph:turin-networks-page { ?s reti:istatCode|owl:sameAs|time:inXSDGYear ?o } }"
    )));
    // every municipality the text names has both names, a code, a population and a Wikidata item
    let complete = select(&q("
        SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {
          ?m a reti:Municipality ; rdfs:label ?it , ?en ; reti:istatCode ?c ; owl:sameAs ?wd ; reti:statedFigure ?f .
          FILTER(lang(?it) = 'it' && lang(?en) = 'en')
        }"));
    assert_eq!(complete, rows!["35"]);
}

#[test]
fn every_statement_is_in_a_source_graph_that_names_its_source() {
    // The default graph is exactly the merge of the named graphs (each triple once).
    let store = shipped().store();
    let mut named = std::collections::HashSet::new();
    let mut default = std::collections::HashSet::new();
    let every_named = store.quads_for_pattern(None, None, None, None);
    let merged = store.quads_for_pattern(
        None,
        None,
        None,
        Some(oxigraph::model::GraphNameRef::DefaultGraph),
    );
    for quad in every_named.chain(merged) {
        let quad = quad.expect("quad");
        assert!(
            !quad.subject.is_blank_node() && !quad.object.is_blank_node(),
            "no blank nodes: {quad}"
        );
        let triple = oxigraph::model::Triple::from(quad.clone());
        if quad.graph_name.is_default_graph() {
            assert!(default.insert(triple), "a default-graph triple twice");
        } else {
            named.insert(triple);
        }
    }
    assert_eq!(default, named);
    assert_eq!(
        select(&q("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")),
        rows![named.len()]
    );
    let unexplained = select(&q("
        SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != graph:ontology)
          FILTER NOT EXISTS { GRAPH ?g { ?g prov:wasDerivedFrom ?src . ?src a prov:Entity ; dcterms:title ?t } } }
        GROUP BY ?g"));
    assert_eq!(unexplained, Vec::<Vec<String>>::new());
    let text = select(&q("
        SELECT ?title WHERE { GRAPH graph:turin-networks-page { source:turin-networks-page a prov:Entity ;
          dcterms:title ?title ; dcterms:description ?d } }"));
    assert_eq!(
        text,
        rows!["The international networks of the City of Turin@en"]
    );
}

#[test]
fn founding_dates_and_disagreements_are_kept_with_their_sources() {
    let founded = select(&q("
        SELECT ?n ?date ?g WHERE { GRAPH ?g { ?n a reti:Network ; schema:foundingDate ?date } } ORDER BY ?n ?g"));
    assert_eq!(
        founded,
        rows![
            "network:bjcem", "2001-07", "graph:bjcem-profile";
            "network:bjcem", "2001-07", "graph:turin-networks-page";
            "network:eurocities", "1986", "graph:eurocities-website";
            "network:eurocities", "1986", "graph:turin-networks-page";
            "network:gai", "1997-02-26", "graph:gai-records";
            "network:gai", "1997", "graph:turin-networks-page";
            "network:uccn", "2004", "graph:turin-networks-page";
            "network:uccn", "2004", "graph:unesco-announcements";
        ]
    );
    assert!(ask(&q(
        "ASK { network:gai a reti:NonprofitOrganization ; reti:recognisedBy ?o . ?o rdfs:label 'MiBACT'@en }"
    )));
}
