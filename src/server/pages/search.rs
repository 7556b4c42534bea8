//! The search page: the results of `/search?q=` for people, with the form to search again.

use super::{Chrome, render, text, view};
use crate::search::Hit;
use crate::server::Served;
use crate::server::negotiate::Lang;
use askama::Template;

/// One result as shown.
pub struct Row {
    pub href: String,
    pub label: String,
    pub lang: String,
    pub kind: String,
    pub matched: Option<String>,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    chrome: Chrome,
    q: String,
    rows: Vec<Row>,
    count: String,
}

/// What a kind of resource is called, in `lang`.
pub fn kind_name(kind: &str, lang: Lang) -> String {
    let it = lang == Lang::It;
    match kind {
        "network" => if it { "rete" } else { "network" }.to_owned(),
        "unit" => if it { "sezione" } else { "unit" }.to_owned(),
        "organization" => if it { "organizzazione" } else { "organisation" }.to_owned(),
        "place" => if it { "luogo" } else { "place" }.to_owned(),
        "membership" => if it { "adesione" } else { "membership" }.to_owned(),
        "site" => if it { "sito" } else { "site" }.to_owned(),
        "field" => if it { "ambito" } else { "field" }.to_owned(),
        "role" => if it { "ruolo" } else { "role" }.to_owned(),
        "measure" => if it { "misura" } else { "measure" }.to_owned(),
        "figure" => if it {
            "dato dichiarato"
        } else {
            "stated figure"
        }
        .to_owned(),
        "source" => if it { "fonte" } else { "source" }.to_owned(),
        "scheme" => if it { "vocabolario" } else { "vocabulary" }.to_owned(),
        other => other.to_owned(),
    }
}

/// The results as shown: linked to their pages, their kind in the reader's language.
pub fn rows(p: &Served, hits: &[Hit], lang: Lang) -> Vec<Row> {
    hits.iter()
        .map(|h| Row {
            href: view::href(p, &h.iri).unwrap_or_default(),
            label: h.label.clone(),
            lang: h.lang.clone(),
            kind: kind_name(&h.kind, lang),
            matched: h.matched.clone(),
        })
        .collect()
}

/// `/search?q=` for people.
pub fn search_page(p: &Served, q: &str, hits: &[Hit], lang: Lang) -> String {
    let t = text::text(lang);
    let mut chrome = Chrome::new(Some(p), lang, format!("{} “{q}”", t.search_title), "", true);
    chrome.search = q.to_owned();
    chrome.lang_href = format!(
        "?q={}&lang={}",
        percent_encoding::utf8_percent_encode(q, percent_encoding::NON_ALPHANUMERIC),
        t.other_lang
    );
    render(&SearchPage {
        count: text::count(lang, hits.len(), t.result_one, t.result_many),
        rows: rows(p, hits, lang),
        q: q.to_owned(),
        chrome,
    })
}
