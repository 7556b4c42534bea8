//! The validated domain: sources, networks, places, memberships, concepts, stated figures.
//!
//! This layer knows nothing of files' syntax or of RDF. It merges the records that several
//! sources give about one thing (each kept as a [`Claim`] with its source, because sources may
//! disagree), resolves every reference by slug, and checks the invariants a maintainer can get
//! wrong. All problems are collected, so one run reports them all.

use crate::diagnostic::{Diagnostic, Diagnostics, nearest};
use crate::source::{
    ConceptRecord, FigureRecord, MembershipRecord, NameLists, Names, OrgRecord, PlaceRecord,
    Record, Records, SiteRecord, Text,
};
use foldhash::{HashMap, HashMapExt};
use std::collections::BTreeMap;
use std::fmt;
use std::hash::BuildHasher;

/// Index into [`Model::sources`].
pub(crate) type SourceId = usize;
/// Index into [`Model::concepts`].
pub(crate) type ConceptId = usize;
/// Index into [`Model::orgs`].
pub(crate) type OrgId = usize;
/// Index into [`Model::places`].
pub(crate) type PlaceId = usize;

/// The whole validated dataset.
#[derive(Debug, Default)]
pub struct Model {
    /// Sources, each one named graph.
    pub sources: Vec<Source>,
    /// Fields, roles and measures.
    pub concepts: Vec<Concept>,
    /// Networks, units and other organisations.
    pub orgs: Vec<Org>,
    /// Places.
    pub places: Vec<Place>,
    /// Offices and seats.
    pub offices: Vec<Office>,
    /// Memberships.
    pub memberships: Vec<Membership>,
    /// Stated figures.
    pub figures: Vec<Figure>,
}

/// What one source says about one thing.
#[derive(Debug, Clone)]
pub struct Claim<T> {
    /// Who says it.
    pub source: SourceId,
    /// Where the maintainers wrote it.
    pub origin: Origin,
    /// What it says.
    pub facts: T,
}

/// Where a record was written: reports about the built graph (SHACL violations, say) point
/// back to it, so the maintainer knows which line to fix.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    /// The file.
    pub file: std::path::PathBuf,
    /// 1-based line where the record starts.
    pub line: usize,
}

impl Origin {
    /// Where `record` starts.
    pub fn of<T>(record: &Record<T>) -> Self {
        Self::at(record, record.span.start)
    }

    /// Where byte `offset` of `record`'s file is.
    pub fn at<T>(record: &Record<T>, offset: usize) -> Self {
        Origin {
            file: record.file.path().to_owned(),
            line: record.file.line_column(offset).0,
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file.display(), self.line)
    }
}

/// A source of facts; its claims form one named graph.
#[derive(Debug, Clone)]
pub struct Source {
    /// Stable identifier.
    pub slug: String,
    /// Title.
    pub title: String,
    /// What it is and how it was used.
    pub description: Option<String>,
    /// First date it describes.
    pub covers_from: Option<PartialDate>,
    /// Last date it describes.
    pub covers_until: Option<PartialDate>,
    /// Where it can be read.
    pub urls: Vec<String>,
    /// How to cite it.
    pub citation: Option<String>,
}

/// Names and descriptions by language tag.
#[derive(Debug, Clone, Default)]
pub struct Labels {
    /// Preferred name per language (at most one per language across all claims).
    pub names: BTreeMap<String, String>,
    /// Alternative names per language.
    pub alt: BTreeMap<String, Vec<String>>,
    /// Misspellings kept for search.
    pub hidden: BTreeMap<String, Vec<String>>,
    /// Descriptions per language.
    pub description: BTreeMap<String, String>,
}

/// The concept schemes reti publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scheme {
    /// Creative fields (UNESCO's "clusters").
    Fields,
    /// Roles in a membership.
    Roles,
    /// What a stated figure counts.
    Measures,
}

impl Scheme {
    /// All schemes, in output order.
    pub const ALL: [Scheme; 3] = [Scheme::Fields, Scheme::Roles, Scheme::Measures];

    /// IRI kind of the scheme's concepts (`id/field/…`).
    pub(crate) fn concept_kind(self) -> &'static str {
        match self {
            Scheme::Fields => "field",
            Scheme::Roles => "role",
            Scheme::Measures => "measure",
        }
    }

    /// Slug of the scheme itself (`id/scheme/fields`).
    pub fn slug(self) -> &'static str {
        match self {
            Scheme::Fields => "fields",
            Scheme::Roles => "roles",
            Scheme::Measures => "measures",
        }
    }

    /// Names of the scheme, English then Italian.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Scheme::Fields => ("Creative fields", "Ambiti creativi"),
            Scheme::Roles => ("Roles in a network", "Ruoli in una rete"),
            Scheme::Measures => (
                "Measures of stated figures",
                "Grandezze dei dati dichiarati",
            ),
        }
    }
}

/// A field, role or measure.
#[derive(Debug, Clone)]
pub struct Concept {
    /// Its scheme.
    pub scheme: Scheme,
    /// Stable identifier.
    pub slug: String,
    /// Labels by source.
    pub claims: Vec<Claim<Labels>>,
}

/// The kinds of organisation, each with its own IRI kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgKind {
    /// A network of cities.
    Network,
    /// A forum or working group inside a network.
    Unit,
    /// Any other organisation (a ministry).
    Organization,
}

impl OrgKind {
    /// IRI kind (`id/network/…`).
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Network => "network",
            OrgKind::Unit => "unit",
            OrgKind::Organization => "organization",
        }
    }
}

/// A network, unit or organisation.
#[derive(Debug, Clone)]
pub struct Org {
    /// Kind.
    pub kind: OrgKind,
    /// Stable identifier.
    pub slug: String,
    /// Facts by source.
    pub claims: Vec<Claim<OrgFacts>>,
}

/// What one source says about an organisation.
#[derive(Debug, Clone, Default)]
pub struct OrgFacts {
    /// Names.
    pub labels: Labels,
    /// Founding date.
    pub founded: Option<PartialDate>,
    /// Founding place.
    pub founded_in: Option<PlaceId>,
    /// Called a nonprofit.
    pub nonprofit: bool,
    /// Parent organisation.
    pub part_of: Option<OrgId>,
    /// Linked organisations.
    pub linked_to: Vec<OrgId>,
    /// Recognising authorities.
    pub recognised_by: Vec<OrgId>,
    /// Countries where present.
    pub present_in: Vec<PlaceId>,
    /// Countries cooperating as external partners.
    pub external_partners: Vec<PlaceId>,
}

/// The kinds of place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceKind {
    /// An Italian comune.
    Municipality,
    /// An Italian province.
    Province,
    /// An Italian region.
    Region,
    /// A country.
    Country,
    /// A city outside Italy's municipal registry (Brussels).
    City,
}

impl PlaceKind {
    const NAMES: [(&'static str, PlaceKind); 5] = [
        ("municipality", PlaceKind::Municipality),
        ("province", PlaceKind::Province),
        ("region", PlaceKind::Region),
        ("country", PlaceKind::Country),
        ("city", PlaceKind::City),
    ];

    /// The word used in source files.
    pub fn as_str(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("place", |(n, _)| n)
    }
}

/// A place.
#[derive(Debug, Clone)]
pub struct Place {
    /// Kind.
    pub kind: PlaceKind,
    /// Stable identifier.
    pub slug: String,
    /// Facts by source.
    pub claims: Vec<Claim<PlaceFacts>>,
}

/// What one source says about a place.
#[derive(Debug, Clone, Default)]
pub struct PlaceFacts {
    /// Names.
    pub labels: Labels,
    /// The place it lies in.
    pub part_of: Option<PlaceId>,
    /// ISTAT code.
    pub istat_code: Option<String>,
    /// Short code (province letters).
    pub notation: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub iso_alpha2: Option<String>,
    /// ISO 3166-1 alpha-3.
    pub iso_alpha3: Option<String>,
    /// EU country authority code.
    pub eu_authority: Option<String>,
    /// Wikidata item.
    pub wikidata: Option<String>,
}

/// An office or seat of an organisation (`org:Site` in the data; "site" in reti's code is the
/// static website, [`crate::site`]).
#[derive(Debug, Clone)]
pub struct Office {
    /// Stable identifier.
    pub slug: String,
    /// Whose site.
    pub organization: OrgId,
    /// Where.
    pub place: PlaceId,
    /// What each source says of it.
    pub claims: Vec<Claim<OfficeFacts>>,
}

/// What one source says about a site.
#[derive(Debug, Clone, Default)]
pub struct OfficeFacts {
    /// Names.
    pub labels: Labels,
    /// The source calls it the registered (legal) seat.
    pub registered: bool,
    /// The source says whose site it is and where (not only what it is called).
    pub locates: bool,
}

/// A membership: `member` belongs to `organization` in `role`.
#[derive(Debug, Clone)]
pub struct Membership {
    /// Stable identifier: `{organization}-{member}` plus `-{role}` unless the role is `member`.
    pub slug: String,
    /// The network or unit.
    pub organization: OrgId,
    /// The member place.
    pub member: PlaceId,
    /// The role concept.
    pub role: ConceptId,
    /// Field and start by source.
    pub claims: Vec<Claim<MembershipFacts>>,
}

/// What one source says about a membership.
#[derive(Debug, Clone, Default)]
pub struct MembershipFacts {
    /// The creative field.
    pub field: Option<ConceptId>,
    /// Year it began.
    pub since: Option<i32>,
}

/// What a stated figure is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// An organisation.
    Org(OrgId),
    /// A place.
    Place(PlaceId),
}

/// A figure stated by one source.
#[derive(Debug, Clone)]
pub struct Figure {
    /// Stable identifier: `{of}-{measure}-{source}` plus `-{date}` when dated.
    pub slug: String,
    /// What it is about.
    pub subject: Subject,
    /// What it counts.
    pub measure: ConceptId,
    /// The figure.
    pub value: u64,
    /// The source says "more than".
    pub lower_bound: bool,
    /// Date it refers to.
    pub date: Option<PartialDate>,
    /// Who states it.
    pub source: SourceId,
    /// Where the maintainers wrote it.
    pub origin: Origin,
}

/// A date given to the precision the source gives: a year, a month or a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PartialDate {
    /// `YYYY` (xsd:gYear)
    Year(i32),
    /// `YYYY-MM` (xsd:gYearMonth)
    YearMonth(i32, u8),
    /// `YYYY-MM-DD` (xsd:date)
    Date(i32, u8, u8),
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, checking months and days.
    pub fn parse(s: &str) -> Result<Self, String> {
        let parts: Vec<&str> = s.split('-').collect();
        let number = |p: &str, digits: usize, what: &str| -> Result<u32, String> {
            if p.len() == digits && p.bytes().all(|b| b.is_ascii_digit()) {
                p.parse().map_err(|_| format!("bad {what}"))
            } else {
                Err(format!("the {what} must have {digits} digits"))
            }
        };
        let year = number(parts[0], 4, "year")? as i32;
        let date = match parts.len() {
            1 => PartialDate::Year(year),
            2 | 3 => {
                let month = number(parts[1], 2, "month")?;
                if !(1..=12).contains(&month) {
                    return Err(format!("there is no month {month}"));
                }
                if parts.len() == 2 {
                    PartialDate::YearMonth(year, month as u8)
                } else {
                    let day = number(parts[2], 2, "day")?;
                    if day == 0 || day > days_in_month(year, month) {
                        return Err(format!("{s} is not a day of the calendar"));
                    }
                    PartialDate::Date(year, month as u8, day as u8)
                }
            }
            _ => return Err("expected YYYY, YYYY-MM or YYYY-MM-DD".into()),
        };
        Ok(date)
    }

    /// The year.
    pub fn year(self) -> i32 {
        match self {
            PartialDate::Year(y) | PartialDate::YearMonth(y, _) | PartialDate::Date(y, _, _) => y,
        }
    }

    /// The earliest day it covers, to compare with today.
    fn first_day(self) -> (i32, u8, u8) {
        match self {
            PartialDate::Year(y) => (y, 1, 1),
            PartialDate::YearMonth(y, m) => (y, m, 1),
            PartialDate::Date(y, m, d) => (y, m, d),
        }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PartialDate::Year(y) => write!(f, "{y:04}"),
            PartialDate::YearMonth(y, m) => write!(f, "{y:04}-{m:02}"),
            PartialDate::Date(y, m, d) => write!(f, "{y:04}-{m:02}-{d:02}"),
        }
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// Today's date (UTC), from the system clock: facts dated after it are rejected.
pub fn today() -> (i32, u8, u8) {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    crate::support::dates::civil_from_days((secs / 86_400) as i64)
}

/// Whether `slug` is lowercase ASCII letters and digits in hyphen-separated words.
///
/// Slugs become IRI path segments and file-like names, so nothing else is allowed.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 80
        && slug.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Problems found while building the model.
#[derive(Debug, Default)]
pub struct ModelProblems {
    /// Problems that stand on their own.
    pub problems: Diagnostics,
    /// References to slugs nobody defined: noise when a file failed to parse, since the
    /// definition may be in that file.
    pub unresolved: Diagnostics,
}

impl Model {
    /// Validates and merges `records` into the model, or returns every problem found.
    pub fn build(records: &Records) -> Result<Model, ModelProblems> {
        Self::build_at(records, today())
    }

    /// As [`Model::build`], with "today" given (facts after it are rejected).
    pub(crate) fn build_at(
        records: &Records,
        today: (i32, u8, u8),
    ) -> Result<Model, ModelProblems> {
        Builder::run(records, today)
    }

    /// The concept of `scheme` named `slug`.
    pub fn concept(&self, scheme: Scheme, slug: &str) -> Option<ConceptId> {
        self.concepts
            .iter()
            .position(|c| c.scheme == scheme && c.slug == slug)
    }

    /// The English name of a labelled thing, falling back to any name.
    pub(crate) fn english_name<T>(claims: &[Claim<T>], labels: impl Fn(&T) -> &Labels) -> &str {
        let mut any = None;
        for c in claims {
            let l = labels(&c.facts);
            if let Some(n) = l.names.get("en") {
                return n;
            }
            any = any.or_else(|| l.names.values().next());
        }
        any.map_or("", String::as_str)
    }
}

/// A valid slug close to `s`, offered in error messages.
pub(crate) fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let c = match c {
            'à' | 'á' | 'â' | 'ä' | 'À' | 'Á' => 'a',
            'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            c => c.to_ascii_lowercase(),
        };
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() { "name".into() } else { out }
}

mod builder;

use builder::Builder;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates() {
        assert_eq!(
            PartialDate::parse("2001-07"),
            Ok(PartialDate::YearMonth(2001, 7))
        );
        assert_eq!(
            PartialDate::parse("1997-02-26")
                .map(|d| d.to_string())
                .as_deref(),
            Ok("1997-02-26")
        );
        assert!(PartialDate::parse("1997-02-30").is_err());
        assert!(PartialDate::parse("2000-02-29").is_ok());
        assert!(PartialDate::parse("97").is_err());
        assert!(PartialDate::parse("2001-13").is_err());
    }

    #[test]
    fn civil_dates() {
        assert_eq!(crate::support::dates::civil_from_days(0), (1970, 1, 1));
        assert_eq!(
            crate::support::dates::civil_from_days(20_416),
            (2025, 11, 24)
        );
    }

    #[test]
    fn slugs() {
        assert!(is_valid_slug("reggio-emilia"));
        assert!(!is_valid_slug("Reggio Emilia"));
        assert!(!is_valid_slug("a--b"));
        assert!(!is_valid_slug("-a"));
        assert_eq!(slugify("Forlì Cesena"), "forli-cesena");
    }
}
