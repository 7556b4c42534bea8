//! `reti query`: results printed as a table for people or in a SPARQL results format.

use super::*;

pub(super) fn print_results(
    out: &mut Vec<u8>,
    dataset: &Dataset,
    results: QueryResults<'static>,
    format: Option<QueryFormat>,
) -> Result<(), Failure> {
    use QueryFormat as F;
    let tabular = |f: QueryFormat| match f {
        F::Json => Some(QueryResultsFormat::Json),
        F::Csv => Some(QueryResultsFormat::Csv),
        F::Tsv => Some(QueryResultsFormat::Tsv),
        F::Xml => Some(QueryResultsFormat::Xml),
        _ => None,
    };
    match results {
        QueryResults::Boolean(value) => {
            let format = format.unwrap_or(default_tabular_format());
            if format == F::Table {
                writeln!(out, "{value}")?;
                return Ok(());
            }
            let Some(f) = tabular(format) else {
                return Err(usage(format!("--format {format:?} is for CONSTRUCT and DESCRIBE results; an ASK query gives a boolean").to_lowercase()));
            };
            QueryResultsSerializer::from_format(f).serialize_boolean_to_writer(out, value)?;
        }
        QueryResults::Solutions(solutions) => {
            let format = format.unwrap_or(default_tabular_format());
            let variables = solutions.variables().to_vec();
            let rows: Vec<QuerySolution> = solutions.collect::<Result<_, _>>()?;
            if format == F::Table {
                let prefixes = dataset.base().prefixes();
                write_table(
                    out,
                    &variables
                        .iter()
                        .map(|v| v.as_str().to_owned())
                        .collect::<Vec<_>>(),
                    &rows,
                    &prefixes,
                )?;
                return Ok(());
            }
            let Some(f) = tabular(format) else {
                return Err(usage(format!("--format {format:?} is for CONSTRUCT and DESCRIBE results; use table, json, csv, tsv or xml for a SELECT query").to_lowercase()));
            };
            let mut serializer = QueryResultsSerializer::from_format(f)
                .serialize_solutions_to_writer(out, variables)?;
            for row in &rows {
                serializer.serialize(row)?;
            }
            serializer.finish()?;
        }
        QueryResults::Graph(triples) => {
            let format = match format.unwrap_or(F::Ttl) {
                F::Ttl => Format::Turtle,
                F::Nt => Format::NTriples,
                F::Jsonld => Format::JsonLd,
                F::Rdf => Format::RdfXml,
                other => {
                    return Err(usage(format!("--format {other:?} is for SELECT and ASK results; use ttl, nt, jsonld or rdf for a CONSTRUCT or DESCRIBE query").to_lowercase()));
                }
            };
            let mut triples: Vec<_> = triples.collect::<Result<_, _>>()?;
            triples.sort_by_cached_key(|t| {
                (
                    t.subject.to_string(),
                    t.predicate.to_string(),
                    t.object.to_string(),
                )
            });
            triples.dedup();
            export::write_triples(&triples, format, &dataset.base().prefixes(), out)?;
        }
    }
    Ok(())
}

pub(super) fn default_tabular_format() -> QueryFormat {
    if std::io::stdout().is_terminal() {
        QueryFormat::Table
    } else {
        QueryFormat::Csv
    }
}

/// A term as people read it: a prefixed name, a plain literal value.
pub(super) fn display_term(term: &Term, prefixes: &[(String, String)]) -> String {
    match term {
        Term::NamedNode(n) => crate::export::jsonld::compact_iri(n.as_str(), prefixes),
        Term::BlankNode(b) => format!("_:{}", b.as_str()),
        Term::Literal(l) => match l.language() {
            Some(tag) => format!("{} @{tag}", l.value()),
            None => l.value().to_owned(),
        },
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

pub(super) fn write_table(
    out: &mut impl Write,
    variables: &[String],
    rows: &[QuerySolution],
    prefixes: &[(String, String)],
) -> std::io::Result<()> {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            variables
                .iter()
                .map(|v| {
                    row.get(v.as_str())
                        .map(|t| display_term(t, prefixes).replace(['\n', '\r', '\t'], " "))
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect();
    let widths: Vec<usize> = variables
        .iter()
        .enumerate()
        .map(|(i, v)| {
            cells
                .iter()
                .map(|r| r[i].chars().count())
                .chain([v.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |out: &mut dyn Write, values: &[String]| -> std::io::Result<()> {
        let padded: Vec<String> = values
            .iter()
            .zip(&widths)
            .map(|(v, w)| format!("{v}{}", " ".repeat(w - v.chars().count())))
            .collect();
        writeln!(out, "{}", padded.join(" | ").trim_end())
    };
    line(out, variables)?;
    writeln!(
        out,
        "{}",
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("-+-")
    )?;
    for row in &cells {
        line(out, row)?;
    }
    writeln!(
        out,
        "({} row{})",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    )
}
