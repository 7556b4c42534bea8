//! The SPARQL 1.1 service description of `/sparql`.

use super::*;

/// The SPARQL 1.1 service description of `/sparql` (`{base}sparql#service`, the same resource
/// as the catalog's `dcat:DataService`).
pub fn service_description(p: &Facts<'_>) -> Vec<Triple> {
    let summary = p.summary;
    let mut g = Graph::default();
    let service = url(p, "sparql#service");
    let dataset = url(p, "sparql#dataset");
    let default_graph = url(p, "sparql#default-graph");
    g.a(&service, sd::SERVICE);
    g.text(
        &service,
        dct::TITLE,
        &format!("{}: SPARQL endpoint", p.config.title),
        "en",
    );
    g.add(&service, sd::ENDPOINT, url(p, "sparql"));
    g.add(&service, sd::SUPPORTED_LANGUAGE, sd::SPARQL11_QUERY);
    for format in [
        formats::RESULTS_JSON,
        formats::RESULTS_XML,
        formats::RESULTS_CSV,
        formats::RESULTS_TSV,
        formats::TURTLE,
        formats::N_TRIPLES,
        formats::RDF_XML,
        formats::JSON_LD,
        formats::TRIG,
    ] {
        g.add(&service, sd::RESULT_FORMAT, format);
    }
    g.add(&service, sd::FEATURE, sd::UNION_DEFAULT_GRAPH);
    g.add(
        &service,
        sd::DEFAULT_ENTAILMENT_REGIME,
        NamedNode::new_unchecked(authority::SIMPLE_ENTAILMENT),
    );
    g.add(&service, sd::DEFAULT_DATASET, dataset.clone());
    g.a(&dataset, sd::DATASET);
    g.add(&dataset, sd::DEFAULT_GRAPH, default_graph.clone());
    g.a(&default_graph, sd::GRAPH_CLASS);
    let number = |n: usize| Literal::new_typed_literal(n.to_string(), xsd::INTEGER);
    g.add(&default_graph, void::TRIPLES, number(summary.triples));
    let graphs_prefix = url(p, "graph/").into_string();
    for (i, (graph, quads)) in summary.graphs.iter().enumerate() {
        let Ok(name) = NamedNode::new(graph.as_str()) else {
            continue;
        };
        let slug = graph
            .strip_prefix(&graphs_prefix)
            .filter(|s| crate::model::is_valid_slug(s))
            .map_or_else(|| i.to_string(), str::to_owned);
        let named = url(p, &format!("sparql#named-graph-{slug}"));
        g.add(&dataset, sd::NAMED_GRAPH, named.clone());
        g.a(&named, sd::NAMED_GRAPH_CLASS);
        g.add(&named, sd::NAME, name.clone());
        g.add(&named, sd::GRAPH, name.clone());
        g.a(&name, sd::GRAPH_CLASS);
        g.add(&name, void::TRIPLES, number(*quads));
    }
    g.finish()
}
