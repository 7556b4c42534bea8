//! The VoID description (`/.well-known/void`).

use super::*;

/// The VoID description.
pub fn void_triples(p: &Facts<'_>) -> Vec<Triple> {
    let c = &p.config;
    let summary = p.summary;
    let mut g = Graph::default();
    let document = url(p, ".well-known/void");
    let dataset = url(p, "catalog#dataset");
    g.a(&document, void::DATASET_DESCRIPTION);
    g.text(
        &document,
        dct::TITLE,
        &format!("VoID description of \"{}\"", c.title),
        "en",
    );
    g.add(&document, foaf::PRIMARY_TOPIC, dataset.clone());

    g.a(&dataset, void::DATASET);
    g.text(&dataset, dct::TITLE, &c.title, "en");
    g.text(&dataset, dct::TITLE, &c.title_it, "it");
    g.text(&dataset, dct::DESCRIPTION, &c.description, "en");
    g.text(&dataset, dct::DESCRIPTION, &c.description_it, "it");
    if let Some(l) = iri(&c.licence) {
        g.add(&dataset, dct::LICENSE, l);
    }
    g.typed(
        &dataset,
        dct::MODIFIED,
        timestamp(p.modified).0,
        xsd::DATE_TIME,
    );
    g.add(&dataset, foaf::HOMEPAGE, url(p, ""));
    g.add(&dataset, foaf::PAGE, url(p, "catalog"));
    g.add(&dataset, void::SPARQL_ENDPOINT, url(p, "sparql"));
    for d in p.dumps {
        g.add(
            &dataset,
            void::DATA_DUMP,
            url(p, &format!("dumps/{}", d.name)),
        );
        let feature = match d.format {
            Format::Turtle => formats::TURTLE,
            Format::TriG => formats::TRIG,
            Format::NTriples => formats::N_TRIPLES,
            Format::NQuads => formats::N_QUADS,
            Format::JsonLd => formats::JSON_LD,
            Format::RdfXml => formats::RDF_XML,
        };
        g.add(&dataset, void::FEATURE, feature);
    }
    let number = |n: u64| Literal::new_typed_literal(n.to_string(), xsd::INTEGER);
    g.add(&dataset, void::TRIPLES, number(summary.triples as u64));
    let id_space = url(p, "id/").into_string();
    g.add(
        &dataset,
        void::URI_SPACE,
        Literal::new_simple_literal(&id_space),
    );
    for (property, n) in &p.statistics.counts {
        g.add(&dataset, property.as_ref(), number(*n));
    }
    for ns in &p.statistics.vocabularies {
        g.add(&dataset, void::VOCABULARY, NamedNode::new_unchecked(*ns));
    }
    for example in &p.statistics.examples {
        g.add(&dataset, void::EXAMPLE_RESOURCE, example.clone());
    }
    for (graph, quads) in &summary.graphs {
        let Ok(subset) = NamedNode::new(graph.as_str()) else {
            continue;
        };
        g.add(&dataset, void::SUBSET, subset.clone());
        g.a(&subset, void::DATASET);
        g.add(&subset, void::TRIPLES, number(*quads as u64));
        g.add(&subset, void::SPARQL_ENDPOINT, url(p, "sparql"));
        if let Some(l) = iri(&c.licence) {
            g.add(&subset, dct::LICENSE, l);
        }
    }
    g.finish()
}
