//! Finding resources by name: an index of every label of the published resources, built once
//! per build, that a person can search as they type.
//!
//! People type "forli" for Forlì, "reggio" for Reggio Emilia, "creative" for the UNESCO Creative
//! Cities Network: labels and queries are compared folded (lower case, accents removed, any run
//! of punctuation or spaces as one space), in Italian and English alike. A result is ranked by
//! how its best label matches (the whole label, then its beginning, then the beginning of one of
//! its words, then every word of the query at the beginning of some word), then by what it is
//! (networks and places before the memberships that name them), then by whether the label that
//! matched is a name of it or only an alternative one (the city of Torino before the province
//! also called Torino), then by its shortest matching label.

use crate::query::{Backend, BackendError, Sparql};
use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;
use std::collections::HashMap;

/// The longest query accepted, in characters: no label is longer, and a longer one is not a
/// search but a mistake (or an attempt to make the server work).
pub const MAX_QUERY_CHARS: usize = 200;

/// How a label matches a query, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Match {
    /// The whole label ("Forlì" for "forli").
    Exact,
    /// The label's beginning ("Reggio Emilia" for "reggio").
    Prefix,
    /// The beginning of one of its words ("UNESCO Creative Cities Network" for "creative").
    Word,
    /// Every word of the query begins some word of the label ("cities creative").
    Words,
}

impl Match {
    /// Its name in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Match::Exact => "exact",
            Match::Prefix => "prefix",
            Match::Word => "word",
            Match::Words => "words",
        }
    }
}

/// One label of a resource.
#[derive(Debug, Clone)]
struct Label {
    text: String,
    /// Language tag, lower case ("" when untagged).
    lang: String,
    /// [`fold`]ed.
    key: String,
    /// Preferred labels are what a resource is called; others only find it.
    preferred: bool,
}

#[derive(Debug, Clone)]
struct Entry {
    iri: String,
    kind: String,
    labels: Vec<Label>,
}

/// A resource found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Its IRI.
    pub iri: String,
    /// Its kind, as in `{base}id/{kind}/{slug}`.
    pub kind: String,
    /// What it is called in the language asked for (else English, else any).
    pub label: String,
    /// The language of `label` ("" when untagged).
    pub lang: String,
    /// The label that matched, when it is not `label` (an alternative name, the other
    /// language's name).
    pub matched: Option<String>,
    /// How it matched.
    pub rank: Match,
}

/// Every label of the published resources, folded for searching. Immutable once built.
#[derive(Debug, Default, Clone)]
pub struct Index {
    entries: Vec<Entry>,
}

/// The label properties a resource is found by; the first is preferred.
const LABELS_QUERY: &str = "\
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?s ?p ?label WHERE {
  VALUES ?p { skos:prefLabel rdfs:label dcterms:title skos:altLabel skos:hiddenLabel }
  ?s ?p ?label .
  FILTER(isIRI(?s) && isLiteral(?label) && STRSTARTS(STR(?s), ?prefix))
}";

impl Index {
    /// Reads every label of the resources minted under `{base}id/` (one query, also against a
    /// remote store).
    pub fn build(dataset: &Backend, base: &str) -> Result<Self, BackendError> {
        let prefix = format!("{base}id/");
        let literal = format!("\"{}\"", prefix.replace('\\', "\\\\").replace('"', "\\\""));
        let query = LABELS_QUERY.replace("?prefix", &literal);
        let mut rows = Vec::new();
        if let QueryResults::Solutions(solutions) = dataset.sparql(&query)? {
            for solution in solutions.flatten() {
                let (Some(Term::NamedNode(s)), Some(Term::NamedNode(p)), Some(Term::Literal(l))) =
                    (solution.get("s"), solution.get("p"), solution.get("label"))
                else {
                    continue;
                };
                let Some(kind) = s
                    .as_str()
                    .strip_prefix(&prefix)
                    .and_then(|rest| rest.split_once('/'))
                    .map(|(kind, _)| kind.to_owned())
                else {
                    continue;
                };
                let preferred =
                    !p.as_str().ends_with("altLabel") && !p.as_str().ends_with("hiddenLabel");
                rows.push((
                    s.as_str().to_owned(),
                    kind,
                    l.language().unwrap_or("").to_owned(),
                    l.value().to_owned(),
                    preferred,
                ));
            }
        }
        Ok(Self::from_labels(rows))
    }

    /// An index of `(iri, kind, language, label, preferred)`.
    pub fn from_labels(
        labels: impl IntoIterator<Item = (String, String, String, String, bool)>,
    ) -> Self {
        let mut by_iri: HashMap<String, usize> = HashMap::new();
        let mut entries: Vec<Entry> = Vec::new();
        for (iri, kind, lang, text, preferred) in labels {
            let key = fold(&text);
            if key.is_empty() {
                continue;
            }
            let at = *by_iri.entry(iri.clone()).or_insert_with(|| {
                entries.push(Entry {
                    iri,
                    kind,
                    labels: Vec::new(),
                });
                entries.len() - 1
            });
            let labels = &mut entries[at].labels;
            let lang = lang.to_ascii_lowercase();
            if !labels.iter().any(|l| l.text == text && l.lang == lang) {
                labels.push(Label {
                    text,
                    lang,
                    key,
                    preferred,
                });
            }
        }
        // the same order whatever order the store gave the labels in
        for e in &mut entries {
            e.labels.sort_by(|a, b| {
                (!a.preferred, &a.lang, &a.text).cmp(&(!b.preferred, &b.lang, &b.text))
            });
        }
        entries.sort_by(|a, b| a.iri.cmp(&b.iri));
        Self { entries }
    }

    /// How many resources can be found.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing can be found.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The best `limit` resources for `query`, labelled in `lang` ("en" or "it"). A query that
    /// folds to nothing (only punctuation) finds nothing.
    pub fn search(&self, query: &str, lang: &str, limit: usize) -> Vec<Hit> {
        let q = fold(query);
        if q.is_empty() {
            return Vec::new();
        }
        let words: Vec<&str> = q.split(' ').collect();
        let mut found: Vec<(Match, u8, bool, usize, &Entry, &Label)> = Vec::new();
        for entry in &self.entries {
            let best = entry
                .labels
                .iter()
                .filter_map(|l| matches(&l.key, &q, &words).map(|m| (m, l.key.len(), l)))
                .min_by_key(|(m, len, l)| (*m, !l.preferred, *len));
            if let Some((m, len, label)) = best {
                found.push((
                    m,
                    kind_order(&entry.kind),
                    !label.preferred,
                    len,
                    entry,
                    label,
                ));
            }
        }
        found.sort_by(|a, b| (a.0, a.1, a.2, a.3, &a.4.iri).cmp(&(b.0, b.1, b.2, b.3, &b.4.iri)));
        found
            .into_iter()
            .take(limit)
            .map(|(rank, _, _, _, entry, matched)| {
                let shown = pick(&entry.labels, lang);
                let (label, label_lang) = shown.map_or_else(
                    || (matched.text.clone(), matched.lang.clone()),
                    |l| (l.text.clone(), l.lang.clone()),
                );
                Hit {
                    matched: (matched.text != label).then(|| matched.text.clone()),
                    iri: entry.iri.clone(),
                    kind: entry.kind.clone(),
                    label,
                    lang: label_lang,
                    rank,
                }
            })
            .collect()
    }
}

/// The preferred label in `lang`, else in English, else untagged, else any preferred one.
fn pick<'a>(labels: &'a [Label], lang: &str) -> Option<&'a Label> {
    let preferred = || labels.iter().filter(|l| l.preferred);
    preferred()
        .find(|l| l.lang == lang)
        .or_else(|| preferred().find(|l| l.lang == "en"))
        .or_else(|| preferred().find(|l| l.lang.is_empty()))
        .or_else(|| preferred().next())
}

/// Networks first, then places, then what belongs to them, memberships last: what a person
/// typing a name most likely looks for.
fn kind_order(kind: &str) -> u8 {
    match kind {
        "network" => 0,
        "place" => 1,
        "unit" | "organization" => 2,
        "site" => 3,
        "field" | "role" | "scheme" | "source" | "measure" => 4,
        "figure" => 5,
        "membership" => 7,
        _ => 6,
    }
}

/// How the folded `label` matches the folded query `q` (of `words`).
fn matches(label: &str, q: &str, words: &[&str]) -> Option<Match> {
    if label == q {
        return Some(Match::Exact);
    }
    if label.starts_with(q) {
        return Some(Match::Prefix);
    }
    if label
        .match_indices(q)
        .any(|(at, _)| at > 0 && label.as_bytes()[at - 1] == b' ')
    {
        return Some(Match::Word);
    }
    if words.len() > 1
        && words
            .iter()
            .all(|w| label.split(' ').any(|lw| lw.starts_with(w)))
    {
        return Some(Match::Words);
    }
    None
}

/// A string as it is compared: lower case, Latin letters without their accents ("Forlì" →
/// "forli", "Ærø" → "aero"), every run of other characters that are not letters or digits as
/// one space, none at either end ("Forlì-Cesena" → "forli cesena", "L'Aquila" → "l aquila").
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        let code = c as u32;
        if (0x300..0x370).contains(&code) {
            // a combining accent of decomposed text
            continue;
        }
        if (0xC0..0x250).contains(&code) {
            let folded = FOLD[(code - 0xC0) as usize];
            if !folded.is_empty() {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                out.push_str(folded);
                continue;
            }
        }
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else {
            space = true;
        }
    }
    out
}

/// ASCII letters of U+00C0..U+024F without their accents ("" where a character has none).
const FOLD: [&str; 0x190] = [
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i", "d", "n", "o",
    "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss", "a", "a", "a", "a", "a", "a",
    "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i", "d", "n", "o", "o", "o", "o", "o", "", "o",
    "u", "u", "u", "u", "y", "th", "y", "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c",
    "c", "c", "d", "d", "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g",
    "g", "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i", "i", "i",
    "ij", "ij", "j", "j", "k", "k", "", "l", "l", "l", "l", "l", "l", "l", "l", "l", "l", "n", "n",
    "n", "n", "n", "n", "n", "", "", "o", "o", "o", "o", "o", "o", "oe", "oe", "r", "r", "r", "r",
    "r", "r", "s", "s", "s", "s", "s", "s", "s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u",
    "u", "u", "u", "u", "u", "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z",
    "z", "s", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "",
    "", "", "", "", "", "", "", "", "", "", "", "o", "o", "", "", "", "", "", "", "", "", "", "",
    "", "", "", "u", "u", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "",
    "", "dz", "dz", "dz", "lj", "lj", "lj", "nj", "nj", "nj", "a", "a", "i", "i", "o", "o", "u",
    "u", "u", "u", "u", "u", "u", "u", "u", "u", "", "a", "a", "a", "a", "", "", "", "", "g", "g",
    "k", "k", "o", "o", "o", "o", "", "", "j", "dz", "dz", "dz", "g", "g", "", "", "n", "n", "a",
    "a", "", "", "", "", "a", "a", "a", "a", "e", "e", "e", "e", "i", "i", "i", "i", "o", "o", "o",
    "o", "r", "r", "r", "r", "u", "u", "u", "u", "s", "s", "t", "t", "", "", "h", "h", "", "", "",
    "", "", "", "a", "a", "e", "e", "o", "o", "o", "o", "o", "o", "o", "o", "y", "y", "", "", "",
    "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "",
    "",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> Index {
        let row = |iri: &str, kind: &str, lang: &str, label: &str, preferred: bool| {
            (
                format!("http://x/id/{kind}/{iri}"),
                kind.to_owned(),
                lang.to_owned(),
                label.to_owned(),
                preferred,
            )
        };
        Index::from_labels([
            row("forli", "place", "", "Forlì", true),
            row("forli-m", "membership", "en", "Forlì in the GAI", true),
            row("reggio-emilia", "place", "it", "Reggio nell'Emilia", true),
            row("reggio-emilia", "place", "en", "Reggio Emilia", true),
            row("reggio-calabria", "place", "", "Reggio Calabria", true),
            row(
                "uccn",
                "network",
                "en",
                "UNESCO Creative Cities Network",
                true,
            ),
            row(
                "uccn",
                "network",
                "it",
                "Rete delle città creative UNESCO",
                true,
            ),
            row("uccn", "network", "", "UCCN", false),
            row("province-torino", "place", "en", "Province of Torino", true),
            row("province-torino", "place", "it", "Torino", false),
            row("turin", "place", "en", "Turin", true),
            row("turin", "place", "it", "Torino", true),
        ])
    }

    fn iris(hits: &[Hit]) -> Vec<&str> {
        hits.iter()
            .map(|h| h.iri.rsplit('/').next().unwrap_or_default())
            .collect()
    }

    #[test]
    fn folding_drops_case_accents_and_punctuation() {
        assert_eq!(fold("Forlì"), "forli");
        assert_eq!(fold("  FORLÌ-Cesena "), "forli cesena");
        assert_eq!(fold("Forli\u{300}"), "forli");
        assert_eq!(fold("L'Aquila"), "l aquila");
        assert_eq!(fold("Ærøskøbing"), "aeroskobing");
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("!!"), "");
    }

    #[test]
    fn accents_and_case_are_ignored() {
        let hits = index().search("forli", "en", 10);
        assert_eq!(iris(&hits), ["forli", "forli-m"]);
        assert_eq!(hits[0].rank, Match::Exact);
        assert_eq!(hits[0].label, "Forlì");
        assert_eq!(hits[1].rank, Match::Prefix);
    }

    #[test]
    fn exact_before_prefix_before_word_and_networks_first() {
        let hits = index().search("reggio", "it", 10);
        assert_eq!(iris(&hits), ["reggio-emilia", "reggio-calabria"]);
        assert_eq!(hits[0].label, "Reggio nell'Emilia");
        assert_eq!(hits[1].rank, Match::Prefix);
        let hits = index().search("creative", "en", 10);
        assert_eq!(iris(&hits), ["uccn"]);
        assert_eq!(hits[0].rank, Match::Word);
        assert_eq!(hits[0].label, "UNESCO Creative Cities Network");
        // an alternative name finds it, and the page's language names it
        let hits = index().search("uccn", "it", 10);
        assert_eq!(hits[0].rank, Match::Exact);
        assert_eq!(hits[0].label, "Rete delle città creative UNESCO");
        assert_eq!(hits[0].matched.as_deref(), Some("UCCN"));
    }

    #[test]
    fn either_language_finds_and_words_in_any_order() {
        let hits = index().search("torino", "en", 10);
        assert_eq!(iris(&hits), ["turin", "province-torino"]);
        assert_eq!(hits[0].label, "Turin");
        assert_eq!(hits[0].matched.as_deref(), Some("Torino"));
        let hits = index().search("cities creat", "en", 10);
        assert_eq!(iris(&hits), ["uccn"]);
        assert_eq!(hits[0].rank, Match::Words);
        assert!(index().search("--", "en", 10).is_empty());
        assert!(index().search("milano", "en", 10).is_empty());
        assert_eq!(index().search("re", "en", 1).len(), 1);
    }
}
