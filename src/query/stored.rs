//! Stored queries: the `*.rq` files of `queries/`, each with a title and a description, checked
//! when a build reads them and moved to the deployment's base.

/// A stored query, read from `queries/{name}.rq`.
#[derive(Debug, Clone)]
pub struct StoredQuery {
    /// File stem: `networks-of-a-city`.
    pub name: String,
    /// From the `# title:` header line.
    pub title: String,
    /// From the `# description:` header line.
    pub description: String,
    /// The query text.
    pub text: String,
}

/// The base stored queries are written with: their IRIs are moved to the deployment base.
pub const QUERIES_BASE: &str = crate::rdf::Base::DEFAULT;

/// Reads every `*.rq` file of `dir`, checking it has a title, a description, and parses.
/// IRIs written under [`QUERIES_BASE`] are rewritten to `base`, so the same files serve any
/// deployment.
pub fn load(dir: &std::path::Path, base: &crate::rdf::Base) -> Result<Vec<StoredQuery>, String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read the queries directory {}: {e}", dir.display()))?;
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "rq"))
        .collect();
    paths.sort();
    let mut queries = Vec::new();
    for path in paths {
        let shown = path.display();
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("{shown}: cannot read: {e}"))?
            .replace(&format!("<{QUERIES_BASE}"), &format!("<{}", base.as_str()));
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        if !crate::model::is_valid_slug(&name) {
            return Err(format!(
                "{shown}: the file name must be lowercase words joined by hyphens"
            ));
        }
        let header = |key: &str| {
            text.lines()
                .take_while(|l| l.starts_with('#'))
                .find_map(|l| {
                    l.strip_prefix('#')
                        .map(str::trim)
                        .and_then(|l| l.strip_prefix(key))
                        .map(|v| v.trim().to_owned())
                })
                .filter(|v| !v.is_empty())
        };
        let title = header("title:")
            .ok_or_else(|| format!("{shown}:1:1: no `# title:` line at the top"))?;
        let description = header("description:")
            .ok_or_else(|| format!("{shown}:1:1: no `# description:` line at the top"))?;
        spargebra::SparqlParser::new()
            .parse_query(&text)
            .map_err(|e| format!("{shown}: not valid SPARQL: {e}"))?;
        queries.push(StoredQuery {
            name,
            title,
            description,
            text,
        });
    }
    Ok(queries)
}
