//! What pages are made of: labels in the reader's language, links to local documents, values,
//! and JSON that is safe inside a `<script>` element.

use crate::server::Served;
use crate::server::negotiate::Lang;
use crate::vocab::reti;
use oxigraph::model::vocab::rdfs;
use oxigraph::model::{NamedNode, Term};
use std::collections::{BTreeMap, HashMap};
use std::fmt;

/// The labels of one thing, by language tag ("" for none).
#[derive(Debug, Default, Clone)]
pub struct Names(BTreeMap<String, String>);

impl Names {
    /// Adds a label; the first one given for a language wins.
    pub fn add(&mut self, lang: &str, value: &str) {
        self.0
            .entry(lang.to_ascii_lowercase())
            .or_insert_with(|| value.to_owned());
    }

    /// The label in `lang`, else in English, else any (untagged first, then by tag).
    pub fn pick(&self, lang: Lang) -> Option<&str> {
        self.0
            .get(lang.tag())
            .or_else(|| self.0.get("en"))
            .or_else(|| self.0.get(""))
            .or_else(|| self.0.values().next())
            .map(String::as_str)
    }

    /// How many languages have a label.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The language of the label [`Names::pick`] gives for English ("" when untagged).
    pub(crate) fn first_tag(&self) -> Option<&str> {
        if self.0.contains_key("en") {
            return Some("en");
        }
        self.0.keys().next().map(String::as_str)
    }

    /// The label in exactly `tag`.
    pub fn exact(&self, tag: &str) -> Option<&str> {
        self.0.get(tag).map(String::as_str)
    }
}

/// JSON to put inside a `<script>` element: `<`, `>` and `&` are written as `\u003c`, `\u003e`
/// and `\u0026`, so no string in the data can close the element or open a comment. The only
/// way to make one is [`ScriptJson::new`], which is why askama may print it unescaped.
pub struct ScriptJson(String);

impl ScriptJson {
    /// Serialises `value` for a `<script>` element.
    pub fn new(value: &serde_json::Value) -> Self {
        let json = value.to_string();
        let mut out = String::with_capacity(json.len());
        for c in json.chars() {
            match c {
                '<' => out.push_str("\\u003c"),
                '>' => out.push_str("\\u003e"),
                '&' => out.push_str("\\u0026"),
                '\u{2028}' => out.push_str("\\u2028"),
                '\u{2029}' => out.push_str("\\u2029"),
                c => out.push(c),
            }
        }
        Self(out)
    }
}

impl fmt::Display for ScriptJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

// Safe to print as is: see `ScriptJson::new`.
impl askama::filters::HtmlSafe for ScriptJson {}

/// One value shown on a page: a link, or text with an optional language tag; `parts` are the
/// statements of a node that has no page of its own (a membership's `#during`), flattened.
#[derive(Debug, Clone, Default)]
pub(crate) struct Val {
    /// Where the value links to, if anywhere.
    pub href: Option<String>,
    /// What is shown.
    pub text: String,
    /// The full IRI, shown as a tooltip ("" for literals).
    pub iri: String,
    /// The literal's language tag, if shown.
    pub lang: Option<String>,
    /// Statements about a fragment node: (path of property labels, value).
    pub parts: Vec<(String, Val)>,
}

impl Val {
    /// Plain text.
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            ..Self::default()
        }
    }
}

/// Where a link to `iri` points: `/doc/{kind}/{slug}` for resources published here,
/// `/ontology#{term}` for the ontology's terms, the IRI itself for other http(s) IRIs, and
/// nowhere for any other scheme (`javascript:` must never become a link).
pub fn href(p: &Served, iri: &str) -> Option<String> {
    let local = format!("{}id/", p.base().as_str());
    if let Some(rest) = iri.strip_prefix(&local) {
        return Some(format!("/doc/{rest}"));
    }
    if let Some(term) = iri.strip_prefix(reti::NAMESPACE) {
        return Some(format!("/ontology#{term}"));
    }
    if iri == reti::ONTOLOGY.as_str() {
        return Some("/ontology".to_owned());
    }
    if let Some(rest) = iri.strip_prefix(p.base().as_str()) {
        return Some(format!("/{rest}"));
    }
    let lower = iri.get(..8).unwrap_or(iri).to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")).then(|| iri.to_owned())
}

/// `(kind, slug)` of a resource published here.
pub(crate) fn kind_and_slug<'a>(p: &Served, iri: &'a str) -> Option<(&'a str, &'a str)> {
    let local = format!("{}id/", p.base().as_str());
    iri.strip_prefix(&local)?.split_once('/')
}

/// An IRI shortened with the dataset's prefixes (`place:turin`, `wd:Q495`).
pub fn compact(p: &Served, iri: &str) -> String {
    crate::export::jsonld::compact_iri(iri, &p.base().prefixes())
}

/// A link to `iri` labelled in the reader's language (or by its compact IRI).
pub fn link(p: &Served, iri: &str, labels: Option<&Names>, lang: Lang) -> Val {
    let text = labels
        .and_then(|l| l.pick(lang))
        .map_or_else(|| compact(p, iri), str::to_owned);
    Val {
        href: href(p, iri),
        text,
        iri: iri.to_owned(),
        lang: None,
        parts: Vec::new(),
    }
}

/// A literal or link for a term.
pub(crate) fn term_val(
    p: &Served,
    term: &Term,
    labels: &HashMap<NamedNode, Names>,
    lang: Lang,
) -> Val {
    match term {
        Term::NamedNode(n) => link(p, n.as_str(), labels.get(n), lang),
        Term::Literal(l) => Val {
            text: l.value().to_owned(),
            lang: l.language().map(str::to_owned),
            ..Val::default()
        },
        other => Val::text(other.to_string()),
    }
}

/// The `rdfs:label`s of the (embedded) ontology: properties and classes, reti's and reused ones.
pub(crate) fn ontology_labels() -> HashMap<NamedNode, Names> {
    let mut out: HashMap<NamedNode, Names> = HashMap::new();
    for t in crate::rdf::ontology()
        .unwrap_or_default()
        .iter()
        .filter(|t| t.predicate == rdfs::LABEL)
    {
        if let (oxigraph::model::NamedOrBlankNode::NamedNode(s), Term::Literal(l)) =
            (&t.subject, &t.object)
        {
            out.entry(s.clone())
                .or_default()
                .add(l.language().unwrap_or(""), l.value());
        }
    }
    out
}

/// The label of a property or class, from the ontology, with fallbacks for the few RDF terms
/// it does not label.
pub(crate) fn term_label(
    p: &Served,
    onto: &HashMap<NamedNode, Names>,
    iri: &NamedNode,
    lang: Lang,
) -> String {
    if let Some(l) = onto.get(iri).and_then(|l| l.pick(lang)) {
        return l.to_owned();
    }
    let it = lang == Lang::It;
    match iri.as_str() {
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" => {
            if it { "tipo" } else { "type" }.to_owned()
        }
        "http://www.w3.org/2000/01/rdf-schema#label" => {
            if it { "etichetta" } else { "label" }.to_owned()
        }
        "http://www.w3.org/2000/01/rdf-schema#comment" => {
            if it { "commento" } else { "comment" }.to_owned()
        }
        other => compact(p, other),
    }
}

/// A byte count in KiB, MiB or GiB (bytes below 1 KiB), with the language's decimal mark:
/// `108.6 KiB`, `108,6 KiB`.
pub fn human_size_in(bytes: u64, lang: Lang) -> String {
    const UNITS: [&str; 3] = ["KiB", "MiB", "GiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut size = bytes as f64 / 1024.0;
    let mut unit = 0;
    while size >= 1024.0 && unit < UNITS.len() - 1 {
        size /= 1024.0;
        unit += 1;
    }
    format!("{} {}", super::text::decimal(lang, size), UNITS[unit])
}

/// A SPARQL JSON results document as a table: variables, then rows of cells.
pub(crate) struct ResultTable {
    /// Column names.
    pub vars: Vec<String>,
    /// Rows of cells, in column order (an unbound cell is empty text).
    pub rows: Vec<Vec<Val>>,
    /// The answer of an ASK query.
    pub boolean: Option<bool>,
}

/// Reads SPARQL JSON results; `None` if `bytes` are not such a document.
pub(crate) fn result_table(p: &Served, bytes: &[u8]) -> Option<ResultTable> {
    let doc: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    if let Some(b) = doc.get("boolean").and_then(serde_json::Value::as_bool) {
        return Some(ResultTable {
            vars: Vec::new(),
            rows: Vec::new(),
            boolean: Some(b),
        });
    }
    let vars: Vec<String> = doc
        .pointer("/head/vars")?
        .as_array()?
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    let bindings = doc.pointer("/results/bindings")?.as_array()?;
    let rows = bindings
        .iter()
        .map(|b| {
            vars.iter()
                .map(|v| {
                    let Some(cell) = b.get(v) else {
                        return Val::default();
                    };
                    let value = cell
                        .get("value")
                        .and_then(serde_json::Value::as_str)
                        .unwrap_or_default();
                    match cell.get("type").and_then(serde_json::Value::as_str) {
                        Some("uri") => Val {
                            href: href(p, value),
                            text: compact(p, value),
                            iri: value.to_owned(),
                            ..Val::default()
                        },
                        Some("bnode") => Val::text(format!("_:{value}")),
                        _ => Val {
                            text: value.to_owned(),
                            lang: cell
                                .get("xml:lang")
                                .and_then(serde_json::Value::as_str)
                                .map(str::to_owned),
                            ..Val::default()
                        },
                    }
                })
                .collect()
        })
        .collect();
    Some(ResultTable {
        vars,
        rows,
        boolean: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_script_element() {
        let v = serde_json::json!({ "name": "</script><script>alert(1)</script> & <!--" });
        let s = ScriptJson::new(&v).to_string();
        assert!(
            !s.contains('<') && !s.contains('>') && !s.contains('&'),
            "{s}"
        );
        let back: serde_json::Value = serde_json::from_str(&s).expect("still JSON");
        assert_eq!(back, v);
    }

    #[test]
    fn labels_fall_back_to_english_then_any() {
        let mut l = Names::default();
        l.add("de", "Turin (de)");
        assert_eq!(l.pick(Lang::It), Some("Turin (de)"));
        l.add("en", "Turin");
        assert_eq!(l.pick(Lang::It), Some("Turin"));
        l.add("it", "Torino");
        assert_eq!(l.pick(Lang::It), Some("Torino"));
        assert_eq!(l.pick(Lang::En), Some("Turin"));
    }

    #[test]
    fn sizes() {
        assert_eq!(human_size_in(512, Lang::En), "512 B");
        assert_eq!(human_size_in(2048, Lang::En), "2.0 KiB");
        assert_eq!(human_size_in(111_206, Lang::It), "108,6 KiB");
        assert_eq!(human_size_in(5 << 20, Lang::En), "5.0 MiB");
    }
}
