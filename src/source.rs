//! Reading the maintainers' files in `data/`: TOML records and CSV tables, with positions.
//!
//! This layer knows nothing of RDF. It turns each file into records that remember where every
//! value was written, so the model layer can say `data/networks/gai.toml:12:10: unknown place`.
//! A file that cannot be read is reported and skipped; the other files are still read, so one
//! pass reports every problem.
//!
//! A record is what one source says about one thing: the same thing may appear in several
//! records, one per source, and the model merges them.
//!
//! ```
//! let dir = tempfile::tempdir()?;
//! std::fs::write(dir.path().join("a.toml"), "[[source]]\nslug = \"s\"\ntitle = \"T\"\n")?;
//! let loaded = reti::source::load_dir(dir.path())?;
//! assert!(loaded.diagnostics.is_empty());
//! assert_eq!(loaded.records.sources[0].value.slug.get_ref(), "s");
//! # Ok::<_, Box<dyn std::error::Error>>(())
//! ```

use crate::diagnostic::{Diagnostic, Diagnostics, SourceText, nearest};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::Spanned;

/// A string as written, with its byte range in the file.
pub type Text = Spanned<String>;
/// Names by language tag: `name = { en = "Turin", it = "Torino" }`.
pub type Names = Spanned<BTreeMap<String, String>>;
/// Several names by language tag: `alt_names = { en = ["UCCN"] }`.
pub(crate) type NameLists = Spanned<BTreeMap<String, Vec<String>>>;

/// Errors that stop reading before any file is looked at.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The data directory itself cannot be listed.
    #[error("cannot read the data directory {}: {source}", path.display())]
    Directory {
        /// The directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// One record and the file it was written in.
#[derive(Debug, Clone)]
pub struct Record<T> {
    /// The file.
    pub file: Arc<SourceText>,
    /// Where the whole record stands in the file.
    pub span: Range<usize>,
    /// The record.
    pub value: T,
}

impl<T> Record<T> {
    /// A diagnostic pointing at `span` in this record's file.
    pub fn error(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        self.file.diagnostic(span, message, None)
    }
}

/// A source of facts: a text, a reference table, a website. Each becomes one named graph.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRecord {
    /// Stable identifier, used in IRIs and by `source = "…"` in records.
    pub slug: Text,
    /// Title, in English.
    pub title: Text,
    /// What the source is and how it was used.
    pub description: Option<Text>,
    /// First year (or month, or day) the source describes.
    pub covers_from: Option<Text>,
    /// Last year (or month, or day) the source describes.
    pub covers_until: Option<Text>,
    /// Where the source can be read.
    #[serde(default)]
    pub urls: Vec<Text>,
    /// How to cite it.
    pub citation: Option<Text>,
}

/// A concept of one of reti's schemes: a creative field, a role, a measure.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConceptRecord {
    /// Stable identifier.
    pub slug: Text,
    /// The source of this record (defaults to the file's `default_source`).
    pub source: Option<Text>,
    /// Preferred name per language.
    pub name: Option<Names>,
    /// Other names per language (the sources' wording).
    pub alt_names: Option<NameLists>,
    /// Misspellings found in a source, kept so searches still find the concept.
    pub hidden_names: Option<NameLists>,
    /// Description per language.
    pub description: Option<Names>,
}

/// A network, an organisational unit of one, or another organisation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgRecord {
    /// Stable identifier.
    pub slug: Text,
    /// The source of this record.
    pub source: Option<Text>,
    /// Preferred name per language.
    pub name: Option<Names>,
    /// Other names per language.
    pub alt_names: Option<NameLists>,
    /// Misspellings found in a source.
    pub hidden_names: Option<NameLists>,
    /// Description per language.
    pub description: Option<Names>,
    /// Founding date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub founded: Option<Text>,
    /// Place of foundation (a place slug).
    pub founded_in: Option<Text>,
    /// Whether the source calls it a nonprofit.
    pub nonprofit: Option<Spanned<bool>>,
    /// The organisation it is a unit of.
    pub part_of: Option<Text>,
    /// Organisations it is linked to without being part of them.
    #[serde(default)]
    pub linked_to: Vec<Text>,
    /// Authorities that recognise it.
    #[serde(default)]
    pub recognised_by: Vec<Text>,
    /// Countries where it is present (not members: countries are never members).
    #[serde(default)]
    pub present_in: Vec<Text>,
    /// Countries it cooperates with as external partners.
    #[serde(default)]
    pub external_partners: Vec<Text>,
}

/// A municipality, province, region, country or other city.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceRecord {
    /// Stable identifier.
    pub slug: Text,
    /// The source of this record.
    pub source: Option<Text>,
    /// `municipality`, `province`, `region`, `country` or `city`.
    #[serde(rename = "type")]
    pub kind: Option<Text>,
    /// Preferred name per language.
    pub name: Option<Names>,
    /// Other names per language.
    pub alt_names: Option<NameLists>,
    /// Misspellings found in a source.
    pub hidden_names: Option<NameLists>,
    /// Description per language.
    pub description: Option<Names>,
    /// The place it lies in (municipality → province → region → country).
    pub part_of: Option<Text>,
    /// ISTAT code (6 digits for a municipality, 2 for a region).
    pub istat_code: Option<Text>,
    /// Short code, such as a province's two letters.
    pub notation: Option<Text>,
    /// ISO 3166-1 alpha-2 code.
    pub iso_alpha2: Option<Text>,
    /// ISO 3166-1 alpha-3 code.
    pub iso_alpha3: Option<Text>,
    /// EU Publications Office country authority code.
    pub eu_authority: Option<Text>,
    /// Wikidata item, `Q…`.
    pub wikidata: Option<Text>,
    /// Resident population.
    pub population: Option<Spanned<u64>>,
    /// Date the population refers to.
    pub population_date: Option<Text>,
}

/// An office or seat of an organisation in a place.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteRecord {
    /// Stable identifier.
    pub slug: Text,
    /// The source of this record.
    pub source: Option<Text>,
    /// Name per language.
    pub name: Option<Names>,
    /// The organisation whose site it is (in at least one of the site's records).
    pub organization: Option<Text>,
    /// The place it is in (in at least one of the site's records).
    pub place: Option<Text>,
    /// Whether it is the registered (legal) seat.
    #[serde(default)]
    pub registered: bool,
}

/// A place's membership of an organisation, in a role, maybe for a field, maybe since a year.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MembershipRecord {
    /// The network or unit.
    pub organization: Text,
    /// The member place.
    pub member: Text,
    /// The role (defaults to `member`).
    pub role: Option<Text>,
    /// The creative field.
    pub field: Option<Text>,
    /// Year the membership began.
    pub since: Option<Spanned<i64>>,
    /// The source of this record.
    pub source: Option<Text>,
}

/// A figure a source states: "180 cities", "33 public administrations".
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FigureRecord {
    /// What the figure is about (an organisation or place slug).
    pub of: Text,
    /// What it measures (a measure slug).
    pub measure: Text,
    /// The figure.
    pub value: Spanned<i64>,
    /// The source says "more than" or "over".
    #[serde(default)]
    pub lower_bound: bool,
    /// Date the figure refers to: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub date: Option<Text>,
    /// The source of this record.
    pub source: Option<Text>,
}

/// The shape of every TOML file in `data/`: any file may hold any kind of record.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DataFile {
    default_source: Option<Text>,
    #[serde(default)]
    source: Vec<Spanned<SourceRecord>>,
    #[serde(default)]
    field: Vec<Spanned<ConceptRecord>>,
    #[serde(default)]
    role: Vec<Spanned<ConceptRecord>>,
    #[serde(default)]
    measure: Vec<Spanned<ConceptRecord>>,
    #[serde(default)]
    network: Vec<Spanned<OrgRecord>>,
    #[serde(default)]
    unit: Vec<Spanned<OrgRecord>>,
    #[serde(default)]
    organization: Vec<Spanned<OrgRecord>>,
    #[serde(default)]
    place: Vec<Spanned<PlaceRecord>>,
    #[serde(default)]
    site: Vec<Spanned<SiteRecord>>,
    #[serde(default)]
    membership: Vec<Spanned<MembershipRecord>>,
    #[serde(default)]
    figure: Vec<Spanned<FigureRecord>>,
}

/// Every record read, by kind, in file order.
#[derive(Debug, Default)]
pub struct Records {
    /// `[[source]]`
    pub sources: Vec<Record<SourceRecord>>,
    /// `[[field]]`
    pub fields: Vec<Record<ConceptRecord>>,
    /// `[[role]]`
    pub roles: Vec<Record<ConceptRecord>>,
    /// `[[measure]]`
    pub measures: Vec<Record<ConceptRecord>>,
    /// `[[network]]`
    pub networks: Vec<Record<OrgRecord>>,
    /// `[[unit]]`
    pub units: Vec<Record<OrgRecord>>,
    /// `[[organization]]`
    pub organizations: Vec<Record<OrgRecord>>,
    /// `[[place]]` and rows of `*.places.csv`
    pub places: Vec<Record<PlaceRecord>>,
    /// `[[site]]`
    pub sites: Vec<Record<SiteRecord>>,
    /// `[[membership]]` and rows of `*.memberships.csv`
    pub memberships: Vec<Record<MembershipRecord>>,
    /// `[[figure]]`
    pub figures: Vec<Record<FigureRecord>>,
}

/// What reading `data/` gave: the records of the files that could be read, and the problems.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The records.
    pub records: Records,
    /// Problems in files that could not be read; their records are missing.
    pub diagnostics: Diagnostics,
    /// How many files were read.
    pub files: usize,
    /// What is accepted but probably a mistake (markup in a name).
    pub warnings: Diagnostics,
}

/// Reads every `*.toml`, `*.places.csv` and `*.memberships.csv` file under `dir`, recursively,
/// in path order. Other files (a README, say) are left alone.
pub fn load_dir(dir: &Path) -> Result<Loaded, SourceError> {
    let paths = crate::support::fs::files(dir, true).map_err(|e| SourceError::Directory {
        path: e.path,
        source: e.source,
    })?;
    let mut loaded = Loaded::default();
    for path in paths {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let kind = if name.ends_with(".toml") {
            FileKind::Toml
        } else if name.ends_with(".places.csv") {
            FileKind::Places
        } else if name.ends_with(".memberships.csv") {
            FileKind::Memberships
        } else if name.ends_with(".csv") {
            loaded.diagnostics.0.push(Diagnostic {
                file: path.clone(),
                line: 1,
                column: 1,
                message: "reti does not know what this CSV file holds".into(),
                help: Some(
                    "name it `*.places.csv` (one place per row) or `*.memberships.csv` \
                     (one membership per row)"
                        .into(),
                ),
            });
            continue;
        } else {
            continue;
        };
        loaded.files += 1;
        let file = match read_text(&path, !matches!(kind, FileKind::Toml)) {
            Ok(file) => file,
            Err(d) => {
                loaded.diagnostics.0.push(d);
                continue;
            }
        };
        let result = match kind {
            FileKind::Toml => read_toml(&file, &mut loaded.records),
            FileKind::Places => read_places_csv(&file, &mut loaded.records),
            FileKind::Memberships => read_memberships_csv(&file, &mut loaded.records),
        };
        loaded.diagnostics.0.extend(result);
    }
    loaded.warnings = markup_warnings(&loaded.records);
    Ok(loaded)
}

/// Names and descriptions that hold markup (`<script>`, `<b>`, `&amp;`): they are published
/// as text, escaped on every page, so a reader sees the tags themselves; they are most likely
/// pasted from a web page, or an attempt to inject a script.
fn markup_warnings(records: &Records) -> Diagnostics {
    let mut warnings = Vec::new();
    let mut check = |file: &Arc<SourceText>, span: Range<usize>, what: &str, text: &str| {
        if let Some(markup) = markup_in(text) {
            warnings.push(file.diagnostic(
                span,
                format!(
                    "warning: the {what} `{}` contains markup (`{markup}`); it is published as \
                     text, so readers will see the markup itself",
                    text.trim()
                ),
                Some(
                    "write plain text: no HTML tags or entities (use the character itself)".into(),
                ),
            ));
        }
    };
    fn texts<'a>(
        names: &'a [Option<&'a Names>],
        lists: &'a [Option<&'a NameLists>],
    ) -> impl Iterator<Item = (Range<usize>, &'a str)> {
        names
            .iter()
            .flatten()
            .flat_map(|n| n.get_ref().values().map(|v| (n.span(), v.as_str())))
            .chain(lists.iter().flatten().flat_map(|l| {
                l.get_ref()
                    .values()
                    .flatten()
                    .map(|v| (l.span(), v.as_str()))
            }))
    }
    for r in &records.sources {
        check(
            &r.file,
            r.value.title.span(),
            "title",
            r.value.title.get_ref(),
        );
    }
    for r in records
        .fields
        .iter()
        .chain(&records.roles)
        .chain(&records.measures)
    {
        let v = &r.value;
        let names = [v.name.as_ref(), v.description.as_ref()];
        let lists = [v.alt_names.as_ref(), v.hidden_names.as_ref()];
        for (span, text) in texts(&names, &lists) {
            check(&r.file, span, "name", text);
        }
    }
    for r in records
        .networks
        .iter()
        .chain(&records.units)
        .chain(&records.organizations)
    {
        let v = &r.value;
        let names = [v.name.as_ref(), v.description.as_ref()];
        let lists = [v.alt_names.as_ref(), v.hidden_names.as_ref()];
        for (span, text) in texts(&names, &lists) {
            check(&r.file, span, "name", text);
        }
    }
    for r in &records.places {
        let v = &r.value;
        let names = [v.name.as_ref(), v.description.as_ref()];
        let lists = [v.alt_names.as_ref(), v.hidden_names.as_ref()];
        for (span, text) in texts(&names, &lists) {
            check(&r.file, span, "name", text);
        }
    }
    for r in &records.sites {
        for (span, text) in texts(&[r.value.name.as_ref()], &[]) {
            check(&r.file, span, "name", text);
        }
    }
    Diagnostics(warnings)
}

/// The first HTML tag (`<b>`, `</i>`, `<!--`) or character reference (`&amp;`, `&#233;`) in
/// `text`.
fn markup_in(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let next = bytes.get(i + 1).copied().unwrap_or(b' ');
        let end = |close: u8| {
            text[i..]
                .find(close as char)
                .map(|e| &text[i..=i + e])
                .filter(|m| m.len() <= 40)
        };
        if b == b'<'
            && (next.is_ascii_alphabetic() || matches!(next, b'/' | b'!' | b'?'))
            && let Some(tag) = end(b'>')
        {
            return Some(tag);
        }
        if b == b'&'
            && (next.is_ascii_alphabetic() || next == b'#')
            && let Some(m) = end(b';')
            && m[1..m.len() - 1]
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'#')
        {
            return Some(m);
        }
    }
    None
}

enum FileKind {
    Toml,
    Places,
    Memberships,
}

/// Reads a file as UTF-8 without the byte-order mark spreadsheets write, pointing at the first
/// line that is not UTF-8 (one problem per file: every later line of a Windows-1252 file would
/// be wrong the same way). A CSV file's lines are its rows, as a spreadsheet numbers them.
fn read_text(path: &Path, csv: bool) -> Result<Arc<SourceText>, Diagnostic> {
    let mut bytes = std::fs::read(path).map_err(|e| Diagnostic {
        file: path.to_owned(),
        line: 1,
        column: 1,
        message: format!("cannot read the file: {e}"),
        help: None,
    })?;
    if bytes.starts_with(UTF8_BOM) {
        bytes.drain(..UTF8_BOM.len());
    }
    match String::from_utf8(bytes) {
        Ok(text) if csv => {
            let rows = csv_row_starts(&text, csv_delimiter(&text));
            Ok(SourceText::with_line_starts(path.to_owned(), text, rows))
        }
        Ok(text) => Ok(SourceText::new(path.to_owned(), text)),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let line_start = bytes[..valid]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let line_end = bytes[valid..]
                .iter()
                .position(|&b| b == b'\n' || b == b'\r')
                .map_or(bytes.len(), |i| valid + i);
            // what the line says if it was saved as Latin-1 / Windows-1252, which is what
            // spreadsheets on Windows write when not asked for UTF-8
            let shown: String = bytes[line_start..line_end]
                .iter()
                .map(|&b| match b {
                    0x20..=0x7E | 0xA0..=0xFF => char::from(b),
                    _ => '?',
                })
                .collect();
            let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let text = if csv {
                let rows = csv_row_starts(&prefix, csv_delimiter(&prefix));
                SourceText::with_line_starts(path.to_owned(), prefix, rows)
            } else {
                SourceText::new(path.to_owned(), prefix)
            };
            let (line, _) = text.line_column(valid);
            let bad = bytes[valid];
            let help = if csv {
                "save it as \"CSV UTF-8\": in Excel, File > Save As > \"CSV UTF-8 (Comma delimited) \
                 (*.csv)\"; in LibreOffice, Save As > Text CSV with Character set \"Unicode \
                 (UTF-8)\"; Google Sheets always downloads UTF-8"
            } else {
                "save it as UTF-8 (in your editor's encoding menu, or Save As > Encoding: UTF-8)"
            };
            Err(text.diagnostic(
                valid..valid,
                format!(
                    "the file is not UTF-8: line {line} has the byte 0x{bad:02X} \
                     (`{}` if read as Windows-1252 or Latin-1); the file was probably saved by an \
                     old spreadsheet or editor in a Windows encoding",
                    shown.trim()
                ),
                Some(help.into()),
            ))
        }
    }
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The separator of a CSV file, from its header: `;` when the header has semicolons and no
/// commas (Excel in Italian, French or German locales saves "CSV" so), `\t` for a header of
/// tabs only, else `,`. Header cells are column names, which hold neither.
fn csv_delimiter(text: &str) -> u8 {
    let header = text.split(['\n', '\r']).next().unwrap_or("");
    let has = |c: char| header.contains(c);
    if !has(',') && has(';') {
        b';'
    } else if !has(',') && !has(';') && has('\t') {
        b'\t'
    } else {
        b','
    }
}

/// Where each row of a CSV file starts: after every line break that is not inside a quoted
/// cell, so that a cell holding a line break (a spreadsheet writes it quoted) does not shift the
/// numbers of the rows below, and row numbers are those a spreadsheet shows (the header is
/// row 1). A quote opens a quoted cell only at the start of a cell, as in the CSV reader.
fn csv_row_starts(text: &str, delimiter: u8) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    let mut quoted = false;
    let mut cell_start = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if quoted {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                }
            }
        } else if b == b'"' && cell_start {
            quoted = true;
            cell_start = false;
        } else if b == b'\n' {
            starts.push(i + 1);
            cell_start = true;
        } else {
            cell_start = b == delimiter || b == b'\r';
        }
        i += 1;
    }
    starts
}

fn read_toml(file: &Arc<SourceText>, records: &mut Records) -> Vec<Diagnostic> {
    if file.text().trim().is_empty() {
        return vec![file.diagnostic(
            0..0,
            "the file is empty",
            Some("add records such as `[[network]]` or delete the file".into()),
        )];
    }
    let data: DataFile = match toml::from_str(file.text()) {
        Ok(data) => data,
        Err(e) => return vec![toml_diagnostic(file, &e)],
    };
    let before = records.total();
    let d = &data.default_source;
    records.sources.extend(wrap(file, data.source));
    records.fields.extend(with_default(file, data.field, d));
    records.roles.extend(with_default(file, data.role, d));
    records.measures.extend(with_default(file, data.measure, d));
    records.networks.extend(with_default(file, data.network, d));
    records.units.extend(with_default(file, data.unit, d));
    records
        .organizations
        .extend(with_default(file, data.organization, d));
    records.places.extend(with_default(file, data.place, d));
    records.sites.extend(with_default(file, data.site, d));
    records
        .memberships
        .extend(with_default(file, data.membership, d));
    records.figures.extend(with_default(file, data.figure, d));
    if records.total() == before {
        return vec![file.diagnostic(
            0..0,
            "the file defines no records",
            Some("add records such as `[[network]]` or delete the file".into()),
        )];
    }
    Vec::new()
}

fn wrap<T>(file: &Arc<SourceText>, list: Vec<Spanned<T>>) -> Vec<Record<T>> {
    list.into_iter()
        .map(|r| Record {
            file: Arc::clone(file),
            span: r.span(),
            value: r.into_inner(),
        })
        .collect()
}

/// Records that name their source, falling back to the file's `default_source`.
trait Sourced {
    fn source_mut(&mut self) -> &mut Option<Text>;
}

macro_rules! sourced {
    ($($t:ty),*) => {$(
        impl Sourced for $t {
            fn source_mut(&mut self) -> &mut Option<Text> {
                &mut self.source
            }
        }
    )*};
}
sourced!(
    ConceptRecord,
    OrgRecord,
    PlaceRecord,
    SiteRecord,
    MembershipRecord,
    FigureRecord
);

fn with_default<T: Sourced>(
    file: &Arc<SourceText>,
    list: Vec<Spanned<T>>,
    default: &Option<Text>,
) -> Vec<Record<T>> {
    let mut list = wrap(file, list);
    for r in &mut list {
        let source = r.value.source_mut();
        if source.is_none() {
            source.clone_from(default);
        }
    }
    list
}

impl Records {
    fn total(&self) -> usize {
        self.sources.len()
            + self.fields.len()
            + self.roles.len()
            + self.measures.len()
            + self.networks.len()
            + self.units.len()
            + self.organizations.len()
            + self.places.len()
            + self.sites.len()
            + self.memberships.len()
            + self.figures.len()
    }
}

/// Turns a TOML error into a diagnostic, suggesting the nearest key for an unknown one and
/// the right way to write a value of the wrong type.
fn toml_diagnostic(file: &SourceText, e: &toml::de::Error) -> Diagnostic {
    let message = e.message().trim().to_owned();
    let span = e.span().unwrap_or(0..0);
    let help =
        unknown_field_help(&message).or_else(|| type_error_help(file.text(), &span, &message));
    file.diagnostic(span, message, help)
}

/// serde says "invalid type: integer `1990`, expected a string" for `founded = 1990`: say what
/// to write instead (`write founded = "1990"`). `span` is the value's, in `text`.
pub(crate) fn type_error_help(text: &str, span: &Range<usize>, message: &str) -> Option<String> {
    let rest = message.strip_prefix("invalid type: ")?;
    let (found, expected) = rest.split_once(", expected ")?;
    let value = text.get(span.clone())?.trim();
    // the key is what stands before `=` on the value's line
    let line_start = text.get(..span.start)?.rfind('\n').map_or(0, |i| i + 1);
    let key = text
        .get(line_start..span.start)?
        .trim_end()
        .strip_suffix('=')?
        .trim();
    let key = if key.is_empty() || key.contains(['[', '{', ',']) {
        "the key"
    } else {
        key
    };
    let unquoted = value.trim_matches(|c| c == '"' || c == '\'');
    let write = if expected.contains("string") && !found.starts_with("string") {
        format!(
            "{key} = \"{}\"",
            value.replace('\\', "\\\\").replace('"', "\\\"")
        )
    } else if (expected.contains("integer")
        || expected.starts_with("i64")
        || expected.starts_with("u64"))
        && found.starts_with("string")
        && !unquoted.is_empty()
        && unquoted.bytes().all(|b| b.is_ascii_digit())
    {
        format!("{key} = {unquoted}")
    } else if expected.contains("bool") && found.starts_with("string") {
        format!("{key} = true (or false), without quotes")
    } else if (expected.contains("sequence") || expected.contains("array"))
        && found.starts_with("string")
    {
        format!("{key} = [{value}]")
    } else {
        return None;
    };
    Some(format!("write {write}"))
}

/// serde says "unknown field `nam`, expected one of `slug`, `name`": suggest `name`.
fn unknown_field_help(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (unknown, expected) = rest.split_once('`')?;
    let known: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    Some(match nearest(unknown, known.iter().copied()) {
        Some(k) => format!("did you mean `{k}`?"),
        None => format!("the keys allowed here are: {}", known.join(", ")),
    })
}

/// One CSV row, borrowed from the reader: each cell's value and byte range, by the header's
/// column names.
struct Row<'a> {
    columns: &'a [String],
    record: &'a csv::StringRecord,
    ranges: &'a [Range<usize>],
    span: Range<usize>,
}

impl Row<'_> {
    /// Each cell with its column's name and byte range.
    fn cells(&self) -> impl Iterator<Item = (&str, &str, &Range<usize>)> {
        self.columns
            .iter()
            .zip(self.record.iter())
            .zip(self.ranges)
            .map(|((c, v), r)| (c.as_str(), v, r))
    }

    fn text(&self, column: &str) -> Option<Text> {
        // a column named twice is refused with the header; the last one is read
        self.cells()
            .filter(|(c, _, _)| *c == column)
            .last()
            .filter(|(_, v, _)| !v.trim().is_empty())
            .map(|(_, v, r)| Spanned::new(r.clone(), v.trim().to_owned()))
    }

    fn names(&self, prefix: &str) -> Option<Names> {
        let map: BTreeMap<String, String> = self
            .cells()
            .filter_map(|(k, v, _)| {
                let lang = k.strip_prefix(prefix)?;
                (!v.trim().is_empty()).then(|| (lang.to_owned(), v.trim().to_owned()))
            })
            .collect();
        (!map.is_empty()).then(|| Spanned::new(self.span.clone(), map))
    }

    fn name_lists(&self, prefix: &str) -> Option<NameLists> {
        let map: BTreeMap<String, Vec<String>> = self
            .cells()
            .filter_map(|(k, v, _)| {
                let lang = k.strip_prefix(prefix)?;
                let names: Vec<String> = v
                    .split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect();
                (!names.is_empty()).then(|| (lang.to_owned(), names))
            })
            .collect();
        (!map.is_empty()).then(|| Spanned::new(self.span.clone(), map))
    }

    fn integer(
        &self,
        file: &SourceText,
        column: &str,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<Spanned<i64>> {
        let text = self.text(column)?;
        match text.get_ref().parse::<i64>() {
            Ok(n) => Some(Spanned::new(text.span(), n)),
            Err(_) => {
                errors.push(file.diagnostic(
                    text.span(),
                    format!(
                        "`{column}` must be a whole number, not `{}`",
                        text.get_ref()
                    ),
                    None,
                ));
                None
            }
        }
    }
}

/// Columns allowed in `*.places.csv`; `name_{lang}` and `alt_names_{lang}` are allowed for any
/// language tag.
const PLACE_COLUMNS: &[&str] = &[
    "slug",
    "type",
    "part_of",
    "istat_code",
    "notation",
    "iso_alpha2",
    "iso_alpha3",
    "eu_authority",
    "wikidata",
    "population",
    "population_date",
    "source",
];
const MEMBERSHIP_COLUMNS: &[&str] = &["organization", "member", "role", "field", "since", "source"];

/// Reads a CSV file's rows, checking its header against the allowed columns, and hands each
/// well-formed row to `each` as it is read: a file of a million rows is never held as rows.
fn read_csv(
    file: &SourceText,
    allowed: &[&str],
    required: &[&str],
    per_language: &[&str],
    errors: &mut Vec<Diagnostic>,
    mut each: impl FnMut(&Row<'_>, &mut Vec<Diagnostic>),
) {
    let text = file.text();
    if text.trim().is_empty() {
        errors.push(file.diagnostic(
            0..0,
            "the file is empty",
            Some(format!(
                "start it with a header row naming its columns: {}",
                allowed.join(",")
            )),
        ));
        return;
    }
    let delimiter = csv_delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut header = csv::StringRecord::new();
    match reader.read_record(&mut header) {
        Ok(true) => {}
        Ok(false) => return,
        Err(e) => {
            errors.push(csv_error(file, &e));
            return;
        }
    }
    let mut header_cells = Vec::new();
    cell_ranges(text, 0, delimiter, &mut header_cells);
    let mut columns: Vec<String> = Vec::new();
    for (i, name) in header.iter().enumerate() {
        let name = name.trim();
        let range = header_cells.get(i).cloned().unwrap_or(0..0);
        // a spreadsheet may save empty columns after the last one used: nothing to read there
        let known = name.is_empty()
            || allowed.contains(&name)
            || per_language
                .iter()
                .any(|p| name.strip_prefix(p).is_some_and(|l| !l.is_empty()));
        if !known {
            let suggestion = nearest(name, allowed.iter().copied())
                .map(|k| format!("did you mean `{k}`?"))
                .unwrap_or_else(|| format!("the columns allowed are: {}", allowed.join(", ")));
            errors.push(file.diagnostic(
                range,
                format!("unknown column `{name}`"),
                Some(suggestion),
            ));
        }
        if !name.is_empty() && columns.iter().any(|c| c == name) {
            errors.push(file.diagnostic(
                header_cells.get(i).cloned().unwrap_or(0..0),
                format!("column `{name}` appears twice"),
                None,
            ));
        }
        columns.push(name.to_owned());
    }
    for req in required {
        if !columns.iter().any(|c| c == req) {
            errors.push(file.diagnostic(
                0..0,
                format!("the header has no `{req}` column"),
                Some(format!("add `{req}` to the first row")),
            ));
        }
    }
    // one record and one list of ranges, refilled for each row
    let mut row = csv::StringRecord::new();
    let mut ranges = Vec::new();
    loop {
        match reader.read_record(&mut row) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                errors.push(csv_error(file, &e));
                // the reader goes on after a malformed record, as its iterator did
                continue;
            }
        }
        // after a CRLF line end, the reader's position is the LF's: the row starts after it
        let mut start = row.position().map_or(0, |p| p.byte() as usize);
        while matches!(text.as_bytes().get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        cell_ranges(text, start, delimiter, &mut ranges);
        if row.len() != columns.len() {
            errors.push(file.diagnostic(
                start..start,
                format!(
                    "this row has {} cells but the header has {} columns",
                    row.len(),
                    columns.len()
                ),
                Some(format!(
                    "check for a missing or extra `{0}`; quote cells that contain `{0}`",
                    char::from(delimiter)
                )),
            ));
            continue;
        }
        let end = ranges.last().map_or(start, |r| r.end);
        let row = Row {
            columns: &columns,
            record: &row,
            ranges: &ranges,
            span: start..end,
        };
        each(&row, errors);
    }
}

fn csv_error(file: &SourceText, e: &csv::Error) -> Diagnostic {
    let offset = e.position().map_or(0, |p| p.byte() as usize);
    file.diagnostic(offset..offset, format!("malformed CSV: {e}"), None)
}

/// Byte ranges of the cells of the CSV record that starts at `start` (quotes included), into
/// `ranges` (emptied first).
fn cell_ranges(text: &str, start: usize, delimiter: u8, ranges: &mut Vec<Range<usize>>) {
    let bytes = text.as_bytes();
    ranges.clear();
    let mut i = start;
    loop {
        let cell_start = i;
        if bytes.get(i) == Some(&b'"') {
            i += 1;
            while i < bytes.len() {
                if bytes[i] == b'"' {
                    if bytes.get(i + 1) == Some(&b'"') {
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                i += 1;
            }
        }
        while i < bytes.len() && bytes[i] != delimiter && !matches!(bytes[i], b'\n' | b'\r') {
            i += 1;
        }
        ranges.push(cell_start..i);
        if bytes.get(i) == Some(&delimiter) {
            i += 1;
        } else {
            return;
        }
    }
}

fn read_places_csv(file: &Arc<SourceText>, records: &mut Records) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let places = &mut records.places;
    let each = |row: &Row<'_>, errors: &mut Vec<Diagnostic>| {
        let Some(slug) = row.text("slug") else {
            errors.push(file.diagnostic(row.span.clone(), "this row has no `slug`", None));
            return;
        };
        let population = row
            .integer(file, "population", errors)
            .and_then(|n| match u64::try_from(*n.get_ref()) {
                Ok(v) => Some(Spanned::new(n.span(), v)),
                Err(_) => {
                    errors.push(file.diagnostic(n.span(), "a population cannot be negative", None));
                    None
                }
            });
        places.push(Record {
            file: Arc::clone(file),
            span: row.span.clone(),
            value: PlaceRecord {
                slug,
                source: row.text("source"),
                kind: row.text("type"),
                name: row.names("name_"),
                alt_names: row.name_lists("alt_names_"),
                hidden_names: None,
                description: None,
                part_of: row.text("part_of"),
                istat_code: row.text("istat_code"),
                notation: row.text("notation"),
                iso_alpha2: row.text("iso_alpha2"),
                iso_alpha3: row.text("iso_alpha3"),
                eu_authority: row.text("eu_authority"),
                wikidata: row.text("wikidata"),
                population,
                population_date: row.text("population_date"),
            },
        });
    };
    read_csv(
        file,
        PLACE_COLUMNS,
        &["slug", "source"],
        &["name_", "alt_names_"],
        &mut errors,
        each,
    );
    errors
}

fn read_memberships_csv(file: &Arc<SourceText>, records: &mut Records) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let memberships = &mut records.memberships;
    let each = |row: &Row<'_>, errors: &mut Vec<Diagnostic>| {
        let (Some(organization), Some(member)) = (row.text("organization"), row.text("member"))
        else {
            errors.push(file.diagnostic(
                row.span.clone(),
                "this row needs both an `organization` and a `member`",
                None,
            ));
            return;
        };
        let since = row.integer(file, "since", errors);
        memberships.push(Record {
            file: Arc::clone(file),
            span: row.span.clone(),
            value: MembershipRecord {
                organization,
                member,
                role: row.text("role"),
                field: row.text("field"),
                since,
                source: row.text("source"),
            },
        });
    };
    read_csv(
        file,
        MEMBERSHIP_COLUMNS,
        &["organization", "member", "source"],
        &[],
        &mut errors,
        each,
    );
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_ranges_handle_quotes_and_commas() {
        let text = "a,\"b, c\",d\nx,y,z\n";
        // what the buffer held before is replaced
        let mut ranges = Vec::from([99..99, 100..100]);
        cell_ranges(text, 0, b',', &mut ranges);
        assert_eq!(ranges, vec![0..1, 2..8, 9..10]);
        cell_ranges(text, 11, b',', &mut ranges);
        assert_eq!(ranges, vec![11..12, 13..14, 15..16]);
    }

    #[test]
    fn type_errors_say_what_to_write() {
        let text = "[[network]]\nslug = \"x\"\nfounded = 1990\n";
        let start = text.find("1990").unwrap_or(0);
        let help = type_error_help(
            text,
            &(start..start + 4),
            "invalid type: integer `1990`, expected a string",
        );
        assert_eq!(help.as_deref(), Some("write founded = \"1990\""));
        let text = "present_in = \"italy\"\n";
        let help = type_error_help(
            text,
            &(13..20),
            "invalid type: string \"italy\", expected a sequence",
        );
        assert_eq!(help.as_deref(), Some("write present_in = [\"italy\"]"));
    }

    #[test]
    fn csv_rows_are_counted_as_a_spreadsheet_does() {
        // a quoted cell with a line break is one row; CRLF ends a row like LF
        let text = "a;b\r\n\"x\ny\";2\r\nz;3\r\n";
        assert_eq!(csv_delimiter(text), b';');
        assert_eq!(csv_row_starts(text, b';'), vec![0, 5, 14, 19]);
        assert_eq!(csv_delimiter("a,b;c\n"), b',');
    }

    #[test]
    fn markup_is_found_and_plain_text_is_not() {
        assert_eq!(markup_in("<script>alert(1)</script>"), Some("<script>"));
        assert_eq!(markup_in("Forlì &amp; Cesena"), Some("&amp;"));
        assert_eq!(markup_in("Turin < Milan & Rome; a<b"), None);
    }

    #[test]
    fn unknown_field_suggests_nearest() {
        let help = unknown_field_help("unknown field `nmae`, expected one of `slug`, `name`");
        assert_eq!(help.as_deref(), Some("did you mean `name`?"));
    }
}
