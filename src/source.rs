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
pub type NameLists = Spanned<BTreeMap<String, Vec<String>>>;

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
}

/// Reads every `*.toml`, `*.places.csv` and `*.memberships.csv` file under `dir`, recursively,
/// in path order. Other files (a README, say) are left alone.
pub fn load_dir(dir: &Path) -> Result<Loaded, SourceError> {
    let mut paths = Vec::new();
    collect_files(dir, &mut paths)?;
    paths.sort();
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
        let file = match read_text(&path) {
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
    Ok(loaded)
}

enum FileKind {
    Toml,
    Places,
    Memberships,
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), SourceError> {
    let err = |source| SourceError::Directory {
        path: dir.to_owned(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(err)? {
        let path = entry.map_err(err)?.path();
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            collect_files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// Reads a file as UTF-8, pointing at the first byte that is not.
fn read_text(path: &Path) -> Result<Arc<SourceText>, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| Diagnostic {
        file: path.to_owned(),
        line: 1,
        column: 1,
        message: format!("cannot read the file: {e}"),
        help: None,
    })?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceText::new(path.to_owned(), text)),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let bad = bytes[valid];
            let text = SourceText::new(path.to_owned(), prefix);
            Err(text.diagnostic(
                valid..valid,
                format!("the file is not valid UTF-8 (byte 0x{bad:02X})"),
                Some("save the file as UTF-8 (files from spreadsheets are often Latin-1 or Windows-1252)".into()),
            ))
        }
    }
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

/// Turns a TOML error into a diagnostic, suggesting the nearest key for an unknown one.
fn toml_diagnostic(file: &SourceText, e: &toml::de::Error) -> Diagnostic {
    let message = e.message().trim().to_owned();
    let help = unknown_field_help(&message);
    file.diagnostic(e.span().unwrap_or(0..0), message, help)
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
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
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
    cell_ranges(text, 0, &mut header_cells);
    let mut columns: Vec<String> = Vec::new();
    for (i, name) in header.iter().enumerate() {
        let name = name.trim();
        let range = header_cells.get(i).cloned().unwrap_or(0..0);
        let known = allowed.contains(&name)
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
        if columns.iter().any(|c| c == name) {
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
        let start = row.position().map_or(0, |p| p.byte() as usize);
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        cell_ranges(text, start, &mut ranges);
        if row.len() != columns.len() {
            errors.push(file.diagnostic(
                start..start,
                format!(
                    "this row has {} cells but the header has {} columns",
                    row.len(),
                    columns.len()
                ),
                Some("check for a missing or extra comma; quote cells that contain commas".into()),
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
fn cell_ranges(text: &str, start: usize, ranges: &mut Vec<Range<usize>>) {
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
        while i < bytes.len() && !matches!(bytes[i], b',' | b'\n' | b'\r') {
            i += 1;
        }
        ranges.push(cell_start..i);
        if bytes.get(i) == Some(&b',') {
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
        cell_ranges(text, 0, &mut ranges);
        assert_eq!(ranges, vec![0..1, 2..8, 9..10]);
        cell_ranges(text, 11, &mut ranges);
        assert_eq!(ranges, vec![11..12, 13..14, 15..16]);
    }

    #[test]
    fn unknown_field_suggests_nearest() {
        let help = unknown_field_help("unknown field `nmae`, expected one of `slug`, `name`");
        assert_eq!(help.as_deref(), Some("did you mean `name`?"));
    }
}
