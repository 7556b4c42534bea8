//! `reti check`: the summary of a build and the warnings a maintainer should see.

use super::*;

/// The networks of the data that the dataset's description in `reti.toml` does not name, in
/// English or in Italian: the description is what portals and search engines show, and it is
/// written by hand, so a network added to the data is easily forgotten there.
pub(super) fn description_warnings(
    dataset: &Dataset,
    config: &crate::config::Config,
    file: &std::path::Path,
) -> Result<Vec<String>, Failure> {
    let query = "PREFIX reti: <https://w3id.org/reti/ontology#> \
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#> \
        SELECT ?network ?name WHERE { ?network a reti:Network . \
        OPTIONAL { ?network skos:prefLabel|skos:altLabel ?name } }";
    let mut names: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    if let QueryResults::Solutions(rows) = dataset.query(query)? {
        for row in rows {
            let row = row?;
            let Some(Term::NamedNode(network)) = row.get("network") else {
                continue;
            };
            let entry = names.entry(network.as_str().to_owned()).or_default();
            if let Some(Term::Literal(name)) = row.get("name") {
                entry.push(name.value().to_owned());
            }
        }
    }
    let described = |text: &str, names: &[String]| {
        let text = text.to_lowercase();
        names.iter().any(|n| text.contains(&n.to_lowercase()))
    };
    let mut warnings = Vec::new();
    for (network, names) in &names {
        let slug = network.rsplit('/').next().unwrap_or(network);
        let mut all = names.clone();
        all.push(slug.to_owned());
        let (en, it) = (
            described(&config.description, &all),
            described(&config.description_it, &all),
        );
        if en && it {
            continue;
        }
        let key = match (en, it) {
            (false, false) => "description and description_it do",
            (false, true) => "description does",
            _ => "description_it does",
        };
        let shown = names.first().map_or(slug, String::as_str);
        warnings.push(format!(
            "{}: warning: the {key} not mention the network `{slug}` ({shown})\n  help: \
             add its name to the dataset's description in {}: catalogs and the home page \
             show it",
            file.display(),
            file.display()
        ));
    }
    Ok(warnings)
}

pub(super) fn print_summary(
    out: &mut impl Write,
    data: &DataArgs,
    dataset: &Dataset,
) -> std::io::Result<()> {
    let s = dataset.summary();
    writeln!(
        out,
        "ok: {} is valid ({} files read)",
        data.data.display(),
        s.files
    )?;
    for (label, n) in [
        ("networks", s.networks),
        ("units", s.units),
        ("organisations", s.organizations),
        ("places", s.places),
        ("memberships", s.memberships),
        ("stated figures", s.figures),
        ("sources", s.sources),
    ] {
        writeln!(out, "  {label:<15} {n:>6}")?;
    }
    writeln!(out, "triples per graph:")?;
    for (graph, n) in &s.graphs {
        writeln!(out, "  {n:>6}  {graph}")?;
    }
    writeln!(
        out,
        "  {:>6}  quads in all, {} distinct triples in the union graph",
        s.quads, s.triples
    )
}
