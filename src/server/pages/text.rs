//! The interface strings, in English and Italian.

use crate::server::negotiate::Lang;

/// Every string a page shows that is not data.
pub struct Text {
    pub other_lang: &'static str,
    pub other_lang_name: &'static str,
    pub skip: &'static str,
    pub nav: &'static str,
    pub nav_home: &'static str,
    pub nav_query: &'static str,
    pub nav_queries: &'static str,
    pub nav_dumps: &'static str,
    pub nav_report: &'static str,
    pub nav_ontology: &'static str,
    pub nav_catalog: &'static str,
    pub footer: &'static str,
    // home
    pub networks: &'static str,
    pub network: &'static str,
    pub founded: &'static str,
    pub members_listed: &'static str,
    pub explore: &'static str,
    pub explore_query: &'static str,
    pub explore_queries: &'static str,
    pub explore_dumps: &'static str,
    pub explore_catalog: &'static str,
    pub explore_void: &'static str,
    pub explore_ontology: &'static str,
    pub home_uris: &'static str,
    // resource pages
    pub identifier: &'static str,
    pub formats: &'static str,
    pub query_this: &'static str,
    pub query_this_json: &'static str,
    pub describe_turtle: &'static str,
    pub also_known_as: &'static str,
    pub members: &'static str,
    pub memberships: &'static str,
    pub member: &'static str,
    pub organisation: &'static str,
    pub role: &'static str,
    pub field: &'static str,
    pub since: &'static str,
    pub details: &'static str,
    /// Column of the sources that state a membership.
    pub sources: &'static str,
    pub properties: &'static str,
    pub referenced_by: &'static str,
    // query page
    pub query_title: &'static str,
    pub query_intro: &'static str,
    pub examples: &'static str,
    pub no_example: &'static str,
    pub your_query: &'static str,
    pub run: &'static str,
    pub running: &'static str,
    pub results: &'static str,
    pub rows: &'static str,
    pub row_one: &'static str,
    pub no_rows: &'static str,
    pub download: &'static str,
    pub query_failed: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub needs_js: &'static str,
    // stored queries
    pub queries_title: &'static str,
    pub queries_intro: &'static str,
    pub query_text: &'static str,
    pub open_in_editor: &'static str,
    pub view: &'static str,
    // dumps
    pub report_title: &'static str,
    pub report_intro: &'static str,
    pub report_no_figures: &'static str,
    pub report_measure: &'static str,
    pub report_stated: &'static str,
    pub report_source: &'static str,
    pub report_listed: &'static str,
    pub report_disagreements: &'static str,
    pub report_none: &'static str,
    pub report_subject: &'static str,
    pub report_claims: &'static str,
    pub dumps_title: &'static str,
    pub dumps_intro: &'static str,
    pub file: &'static str,
    pub media_type: &'static str,
    pub size: &'static str,
    pub checksums: &'static str,
    pub last_updated: &'static str,
    pub named_graphs: &'static str,
    // ontology
    pub ontology_title: &'static str,
    pub classes: &'static str,
    pub object_properties: &'static str,
    pub reused_terms: &'static str,
    pub term: &'static str,
    pub label_en: &'static str,
    pub label_it: &'static str,
    pub comment: &'static str,
    pub ontology_download: &'static str,
    // errors
    pub back_home: &'static str,
    pub search_title: &'static str,
    pub search_label: &'static str,
    pub search_placeholder: &'static str,
    pub search_button: &'static str,
    pub search_none: &'static str,
    pub search_found_as: &'static str,
    pub search_hint: &'static str,
    pub result_one: &'static str,
    pub result_many: &'static str,
    pub member_one: &'static str,
    pub member_many: &'static str,
    pub only_other_lang: &'static str,
    pub triples: &'static str,
    pub licence: &'static str,
    pub catalog_title: &'static str,
    pub catalog_intro: &'static str,
    pub void_title: &'static str,
    pub void_intro: &'static str,
    pub for_machines: &'static str,
    pub about_catalog: &'static str,
    pub query_editor_hint: &'static str,
    pub endpoint_label: &'static str,
    pub tab_name: &'static str,
    pub page_size: &'static str,
}

/// English.
pub(crate) static EN: Text = Text {
    other_lang: "it",
    other_lang_name: "Italiano",
    skip: "Skip to the content",
    nav: "Main navigation",
    nav_home: "Home",
    nav_query: "Query",
    nav_queries: "Stored queries",
    nav_dumps: "Downloads",
    nav_report: "Report",
    nav_ontology: "Ontology",
    nav_catalog: "Catalog",
    footer: "Linked open data: every page is also available as Turtle, JSON-LD, N-Triples and RDF/XML.",
    networks: "Networks",
    network: "Network",
    founded: "Founded",
    members_listed: "Members listed",
    explore: "Use the data",
    explore_query: "Query the data with SPARQL",
    explore_queries: "Ready-made queries, with results as CSV or JSON",
    explore_dumps: "Download the whole dataset (Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML)",
    explore_catalog: "Catalog (DCAT-AP)",
    explore_void: "VoID description",
    explore_ontology: "The ontology: classes and properties",
    home_uris: "Every resource has an IRI under /id/ that redirects to its document under /doc/.",
    identifier: "Identifier",
    formats: "Other formats",
    query_this: "Query this resource",
    query_this_json: "its triples (SPARQL JSON)",
    describe_turtle: "DESCRIBE (Turtle)",
    also_known_as: "Also known as",
    members: "Members",
    memberships: "Networks",
    member: "Member",
    organisation: "Network or unit",
    role: "Role",
    field: "Field",
    since: "Since",
    details: "Membership",
    sources: "According to",
    properties: "Properties",
    referenced_by: "Referenced by",
    query_title: "Query the data",
    query_intro: "Write a SPARQL query, or start from one of the stored queries. The default graph is the merge of every source's graph.",
    examples: "Stored queries",
    no_example: "— choose a stored query —",
    your_query: "SPARQL query",
    run: "Run",
    running: "Running…",
    results: "Results",
    rows: "rows",
    row_one: "row",
    no_rows: "No results.",
    download: "Download",
    query_failed: "The query failed",
    yes: "yes",
    no: "no",
    needs_js: "Without JavaScript, Run shows the raw results.",
    queries_title: "Stored queries",
    queries_intro: "Tested example queries. Each one's results are published at a stable address, as HTML, CSV or JSON.",
    query_text: "The query",
    open_in_editor: "Open in the query editor",
    view: "Results",
    report_title: "Reconciliation report",
    report_intro: "Each figure a source states beside what this dataset lists, and each point where two sources disagree, with both sources and their dates. A stated figure is the source's claim, not a count of the data.",
    report_no_figures: "No source states a figure about this network.",
    report_measure: "Measure",
    report_stated: "Stated",
    report_source: "Source",
    report_listed: "In the data",
    report_disagreements: "Where sources disagree",
    report_none: "Nowhere.",
    report_subject: "About",
    report_claims: "What each source says",
    dumps_title: "Downloads",
    dumps_intro: "The whole dataset in every format, made once per build. TriG and N-Quads keep one named graph per source; the other formats give their merge.",
    file: "File",
    media_type: "Media type",
    size: "Size",
    checksums: "Checksums (SHA256SUMS)",
    last_updated: "Last updated",
    named_graphs: "Named graphs",
    ontology_title: "Ontology",
    classes: "Classes",
    object_properties: "Properties",
    reused_terms: "Reused terms",
    term: "Term",
    label_en: "English",
    label_it: "Italian",
    comment: "Definition",
    ontology_download: "The ontology as Turtle",
    back_home: "Back to the home page",
    search_title: "Search",
    search_label: "Search by name",
    search_placeholder: "A city, a network…",
    search_button: "Search",
    search_none: "Nothing found by that name. Try the beginning of a name, in Italian or English.",
    search_found_as: "found as",
    search_hint: "Type two letters or more for suggestions.",
    result_one: "result",
    result_many: "results",
    member_one: "member listed",
    member_many: "members listed",
    only_other_lang: "Only available in Italian.",
    triples: "Triples",
    licence: "Licence",
    catalog_title: "Catalog",
    catalog_intro: "The dataset's description for open-data portals (DCAT-AP 3 and DCAT-AP_IT): what it is, who publishes it, under which licence, and every way to get it.",
    void_title: "VoID description",
    void_intro: "The dataset described with VoID: its size, its graphs, the vocabularies it uses, and where to query and download it.",
    for_machines: "For machines",
    about_catalog: "Catalog and VoID",
    endpoint_label: "SPARQL endpoint",
    tab_name: "Name of the tab",
    page_size: "Rows per page",
    query_editor_hint: "The editor highlights SPARQL, completes the dataset's prefixes, classes and properties (Ctrl+Space), marks errors, and sorts and pages the results. The address keeps the query: copy it to share it.",
};

/// Italiano.
pub static IT: Text = Text {
    other_lang: "en",
    other_lang_name: "English",
    skip: "Vai al contenuto",
    nav: "Navigazione principale",
    nav_home: "Inizio",
    nav_query: "Interroga",
    nav_queries: "Query salvate",
    nav_dumps: "Scarica",
    nav_report: "Rapporto",
    nav_ontology: "Ontologia",
    nav_catalog: "Catalogo",
    footer: "Dati aperti collegati: ogni pagina è disponibile anche in Turtle, JSON-LD, N-Triples e RDF/XML.",
    networks: "Reti",
    network: "Rete",
    founded: "Fondazione",
    members_listed: "Membri elencati",
    explore: "Usa i dati",
    explore_query: "Interroga i dati con SPARQL",
    explore_queries: "Query pronte, con i risultati in CSV o JSON",
    explore_dumps: "Scarica l'intero dataset (Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML)",
    explore_catalog: "Catalogo (DCAT-AP)",
    explore_void: "Descrizione VoID",
    explore_ontology: "L'ontologia: classi e proprietà",
    home_uris: "Ogni risorsa ha un IRI sotto /id/ che rimanda al suo documento sotto /doc/.",
    identifier: "Identificativo",
    formats: "Altri formati",
    query_this: "Interroga questa risorsa",
    query_this_json: "le sue triple (SPARQL JSON)",
    describe_turtle: "DESCRIBE (Turtle)",
    also_known_as: "Detto anche",
    members: "Membri",
    memberships: "Reti",
    member: "Membro",
    organisation: "Rete o unità",
    role: "Ruolo",
    field: "Ambito",
    since: "Dal",
    details: "Adesione",
    sources: "Secondo",
    properties: "Proprietà",
    referenced_by: "Citato da",
    query_title: "Interroga i dati",
    query_intro: "Scrivi una query SPARQL, o parti da una delle query salvate. Il grafo predefinito è l'unione dei grafi di tutte le fonti.",
    examples: "Query salvate",
    no_example: "— scegli una query salvata —",
    your_query: "Query SPARQL",
    run: "Esegui",
    running: "In esecuzione…",
    results: "Risultati",
    rows: "righe",
    row_one: "riga",
    no_rows: "Nessun risultato.",
    download: "Scarica",
    query_failed: "La query non è riuscita",
    yes: "sì",
    no: "no",
    needs_js: "Senza JavaScript, Esegui mostra i risultati grezzi.",
    queries_title: "Query salvate",
    queries_intro: "Query di esempio verificate. I risultati di ciascuna sono pubblicati a un indirizzo stabile, in HTML, CSV o JSON.",
    query_text: "La query",
    open_in_editor: "Apri nell'editor di query",
    view: "Risultati",
    report_title: "Rapporto di riconciliazione",
    report_intro: "Ogni dato dichiarato da una fonte accanto a ciò che questo dataset elenca, e ogni punto in cui due fonti non concordano, con entrambe le fonti e le loro date. Un dato dichiarato è un'affermazione della fonte, non un conteggio dei dati.",
    report_no_figures: "Nessuna fonte dichiara dati su questa rete.",
    report_measure: "Grandezza",
    report_stated: "Dichiarato",
    report_source: "Fonte",
    report_listed: "Nei dati",
    report_disagreements: "Dove le fonti non concordano",
    report_none: "In nessun punto.",
    report_subject: "Su",
    report_claims: "Che cosa dice ciascuna fonte",
    dumps_title: "Scarica i dati",
    dumps_intro: "L'intero dataset in ogni formato, prodotto a ogni aggiornamento. TriG e N-Quads mantengono un grafo per fonte; gli altri formati ne danno l'unione.",
    file: "File",
    media_type: "Tipo di contenuto",
    size: "Dimensione",
    checksums: "Somme di controllo (SHA256SUMS)",
    last_updated: "Ultimo aggiornamento",
    named_graphs: "Grafi con nome",
    ontology_title: "Ontologia",
    classes: "Classi",
    object_properties: "Proprietà",
    reused_terms: "Termini riusati",
    term: "Termine",
    label_en: "Inglese",
    label_it: "Italiano",
    comment: "Definizione",
    ontology_download: "L'ontologia in Turtle",
    back_home: "Torna alla pagina iniziale",
    search_title: "Cerca",
    search_label: "Cerca per nome",
    search_placeholder: "Una città, una rete…",
    search_button: "Cerca",
    search_none: "Nessun risultato con questo nome. Prova l'inizio di un nome, in italiano o in inglese.",
    search_found_as: "trovato come",
    search_hint: "Digita almeno due lettere per i suggerimenti.",
    result_one: "risultato",
    result_many: "risultati",
    member_one: "membro elencato",
    member_many: "membri elencati",
    only_other_lang: "Disponibile solo in inglese.",
    triples: "Triple",
    licence: "Licenza",
    catalog_title: "Catalogo",
    catalog_intro: "La descrizione del dataset per i portali di dati aperti (DCAT-AP 3 e DCAT-AP_IT): che cos'è, chi lo pubblica, con quale licenza, e ogni modo per ottenerlo.",
    void_title: "Descrizione VoID",
    void_intro: "Il dataset descritto con VoID: le sue dimensioni, i suoi grafi, i vocabolari che usa, e dove interrogarlo e scaricarlo.",
    for_machines: "Per le macchine",
    about_catalog: "Catalogo e VoID",
    endpoint_label: "Endpoint SPARQL",
    tab_name: "Nome della scheda",
    page_size: "Righe per pagina",
    query_editor_hint: "L'editor evidenzia SPARQL, completa i prefissi, le classi e le proprietà del dataset (Ctrl+Spazio), segnala gli errori, e ordina e impagina i risultati. L'indirizzo conserva la query: copialo per condividerla.",
};

/// The strings for a language.
pub fn text(lang: Lang) -> &'static Text {
    match lang {
        Lang::En => &EN,
        Lang::It => &IT,
    }
}

/// `n` with the language's digit grouping: `130,000,000`-style groups are written
/// `130 000 000` in English (no-break spaces, as the SI writes them) and `130.000.000` in
/// Italian.
pub fn number(lang: Lang, n: u64) -> String {
    let sep = match lang {
        Lang::En => '\u{a0}',
        Lang::It => '.',
    };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// A decimal number as the language writes it (`1.5` / `1,5`).
pub fn decimal(lang: Lang, x: f64) -> String {
    let s = format!("{x:.1}");
    match lang {
        Lang::En => s,
        Lang::It => s.replace('.', ","),
    }
}

/// `n` and the noun that goes with it: `1 result`, `2 results`, `1 risultato`,
/// `1.234 risultati` (both languages take the singular for one only).
pub fn count(lang: Lang, n: usize, one: &str, many: &str) -> String {
    format!(
        "{} {}",
        number(lang, n as u64),
        if n == 1 { one } else { many }
    )
}

/// Every number in `s` of four digits or more, grouped as [`number`] does: for figures stated
/// in sources, kept as the source gave them (`> 130000000` → `> 130 000 000`).
pub fn numbers_in(lang: Lang, s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        match digits.parse::<u64>() {
            Ok(n) if digits.len() >= 4 && !digits.starts_with('0') => {
                out.push_str(&number(lang, n))
            }
            _ => out.push_str(digits),
        }
        digits.clear();
    };
    for c in s.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            flush(&mut digits, &mut out);
            out.push(c);
        }
    }
    flush(&mut digits, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_plurals_by_language() {
        assert_eq!(number(Lang::En, 130_000_000), "130\u{a0}000\u{a0}000");
        assert_eq!(number(Lang::It, 130_000_000), "130.000.000");
        assert_eq!(number(Lang::It, 999), "999");
        assert_eq!(number(Lang::En, 1000), "1\u{a0}000");
        assert_eq!(count(Lang::En, 1, "member", "members"), "1 member");
        assert_eq!(count(Lang::It, 12_345, "triple", "triple"), "12.345 triple");
        assert_eq!(
            numbers_in(Lang::It, "8 of 130000000, 1234"),
            "8 of 130.000.000, 1.234"
        );
        assert_eq!(decimal(Lang::It, 1.25), "1,2");
    }
}
