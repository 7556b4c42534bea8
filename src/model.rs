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
pub type SourceId = usize;
/// Index into [`Model::concepts`].
pub type ConceptId = usize;
/// Index into [`Model::orgs`].
pub type OrgId = usize;
/// Index into [`Model::places`].
pub type PlaceId = usize;

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
    pub sites: Vec<Site>,
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
    pub fn concept_kind(self) -> &'static str {
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

/// An office or seat.
#[derive(Debug, Clone)]
pub struct Site {
    /// Stable identifier.
    pub slug: String,
    /// Whose site.
    pub organization: OrgId,
    /// Where.
    pub place: PlaceId,
    /// What each source says of it.
    pub claims: Vec<Claim<SiteFacts>>,
}

/// What one source says about a site.
#[derive(Debug, Clone, Default)]
pub struct SiteFacts {
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
    civil_from_days((secs / 86_400) as i64)
}

/// Gregorian date of a count of days since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i32, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y as i32, m, d)
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

struct Builder<'r> {
    records: &'r Records,
    model: Model,
    problems: Vec<Diagnostic>,
    unresolved: Vec<Diagnostic>,
    today: (i32, u8, u8),
    source_ids: HashMap<String, SourceId>,
    /// Each scheme's concepts by slug (looked up by a borrowed slug, for each membership).
    concept_ids: HashMap<Scheme, HashMap<String, ConceptId>>,
    org_ids: HashMap<String, OrgId>,
    place_ids: HashMap<String, PlaceId>,
    /// Where each entity was first written, for "defined here" hints.
    first_seen: HashMap<(char, usize), (String, usize)>,
    /// Slugs of the figures so far (a place's population is one: there may be many).
    figure_slugs: HashMap<String, Origin>,
}

impl Model {
    /// Validates and merges `records` into the model, or returns every problem found.
    pub fn build(records: &Records) -> Result<Model, ModelProblems> {
        Self::build_at(records, today())
    }

    /// As [`Model::build`], with "today" given (facts after it are rejected).
    pub fn build_at(records: &Records, today: (i32, u8, u8)) -> Result<Model, ModelProblems> {
        let mut b = Builder {
            records,
            model: Model::default(),
            problems: Vec::new(),
            unresolved: Vec::new(),
            today,
            source_ids: HashMap::new(),
            concept_ids: HashMap::new(),
            org_ids: HashMap::new(),
            place_ids: HashMap::new(),
            first_seen: HashMap::new(),
            figure_slugs: Default::default(),
        };
        b.sources();
        b.concepts();
        b.register_orgs_and_places();
        b.orgs();
        b.places();
        b.sites();
        b.memberships();
        b.figures();
        b.check_names();
        b.check_place_cycles();
        if b.problems.is_empty() && b.unresolved.is_empty() {
            Ok(b.model)
        } else {
            let mut problems = Diagnostics(b.problems);
            problems.sort();
            let mut unresolved = Diagnostics(b.unresolved);
            unresolved.sort();
            Err(ModelProblems {
                problems,
                unresolved,
            })
        }
    }

    /// The concept of `scheme` named `slug`.
    pub fn concept(&self, scheme: Scheme, slug: &str) -> Option<ConceptId> {
        self.concepts
            .iter()
            .position(|c| c.scheme == scheme && c.slug == slug)
    }

    /// The English name of a labelled thing, falling back to any name.
    pub fn english_name<T>(claims: &[Claim<T>], labels: impl Fn(&T) -> &Labels) -> &str {
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

impl Builder<'_> {
    fn error<T>(
        &mut self,
        r: &Record<T>,
        span: std::ops::Range<usize>,
        msg: impl Into<String>,
        help: Option<String>,
    ) {
        self.problems.push(r.file.diagnostic(span, msg, help));
    }

    fn check_slug<T>(&mut self, r: &Record<T>, slug: &Text) -> bool {
        if is_valid_slug(slug.get_ref()) {
            return true;
        }
        let suggestion = slugify(slug.get_ref());
        self.error(
            r,
            slug.span(),
            format!("`{}` is not a valid slug", slug.get_ref()),
            Some(format!(
                "slugs are lowercase ASCII letters and digits separated by single hyphens, such as `{suggestion}`"
            )),
        );
        false
    }

    fn date<T>(&mut self, r: &Record<T>, text: &Text, what: &str) -> Option<PartialDate> {
        match PartialDate::parse(text.get_ref()) {
            Ok(d) if d.first_day() > self.today => {
                self.error(r, text.span(), format!("{what} {d} is in the future"), None);
                None
            }
            Ok(d) => Some(d),
            Err(e) => {
                self.error(
                    r,
                    text.span(),
                    format!("bad {what} `{}`: {e}", text.get_ref()),
                    Some("write a date as YYYY, YYYY-MM or YYYY-MM-DD".into()),
                );
                None
            }
        }
    }

    fn source_of<T>(&mut self, r: &Record<T>, source: &Option<Text>) -> Option<SourceId> {
        let Some(source) = source else {
            self.error(
                r,
                r.span.clone(),
                "this record names no source",
                Some("add `source = \"<source slug>\"` to the record, or `default_source = \"…\"` at the top of the file".into()),
            );
            return None;
        };
        let known = &self.source_ids;
        if let Some(&id) = known.get(source.get_ref()) {
            return Some(id);
        }
        let help = hint(
            source.get_ref(),
            known.keys().map(String::as_str),
            "sources are declared with [[source]] in data/sources.toml",
        );
        self.unresolved.push(r.file.diagnostic(
            source.span(),
            format!("unknown source `{}`", source.get_ref()),
            Some(help),
        ));
        None
    }

    fn labels<T>(
        &mut self,
        r: &Record<T>,
        name: &Option<Names>,
        alt: &Option<NameLists>,
        hidden: &Option<NameLists>,
        description: &Option<Names>,
    ) -> Labels {
        let mut labels = Labels::default();
        let check = |b: &mut Self,
                     span: std::ops::Range<usize>,
                     lang: &str,
                     value: &str|
         -> Option<String> {
            let lang_lower = lang.to_ascii_lowercase();
            if oxrdf::Literal::new_language_tagged_literal(value, &lang_lower).is_err() {
                b.error(
                    r,
                    span,
                    format!("`{lang}` is not a language tag"),
                    Some("use a BCP 47 tag such as `en`, `it` or `fr`".into()),
                );
                return None;
            }
            if value.trim().is_empty() {
                b.error(r, span, format!("empty name for language `{lang}`"), None);
                return None;
            }
            Some(lang_lower)
        };
        if let Some(names) = name {
            for (lang, value) in names.get_ref() {
                if let Some(lang) = check(self, names.span(), lang, value) {
                    labels.names.insert(lang, value.trim().to_owned());
                }
            }
        }
        if let Some(names) = description {
            for (lang, value) in names.get_ref() {
                if let Some(lang) = check(self, names.span(), lang, value) {
                    labels.description.insert(lang, value.trim().to_owned());
                }
            }
        }
        for (lists, target) in [(alt, &mut labels.alt), (hidden, &mut labels.hidden)] {
            if let Some(lists) = lists {
                for (lang, values) in lists.get_ref() {
                    for value in values {
                        if let Some(lang) = check(self, lists.span(), lang, value) {
                            target
                                .entry(lang)
                                .or_default()
                                .push(value.trim().to_owned());
                        }
                    }
                }
            }
        }
        labels
    }

    fn sources(&mut self) {
        let records = self.records;
        let mut declared: HashMap<&str, Origin> = HashMap::new();
        for r in &records.sources {
            let s = &r.value;
            if !self.check_slug(r, &s.slug) {
                continue;
            }
            if let Some(first) = declared.get(s.slug.get_ref().as_str()) {
                let message = format!(
                    "source `{}` is declared twice: first at {first}",
                    s.slug.get_ref()
                );
                self.error(
                    r,
                    s.slug.span(),
                    message,
                    Some("give each source one [[source]] record".into()),
                );
                continue;
            }
            let mut urls = Vec::new();
            for url in &s.urls {
                match oxrdf::NamedNode::new(url.get_ref().as_str()) {
                    Ok(_) if url.get_ref().starts_with("http://") || url.get_ref().starts_with("https://") => {
                        urls.push(url.get_ref().clone());
                    }
                    _ => self.error(
                        r,
                        url.span(),
                        format!("`{}` is not a valid web address (IRI)", url.get_ref()),
                        Some("write the full address, such as `https://www.comune.torino.it/`; encode spaces as %20".into()),
                    ),
                }
            }
            let covers_from = s.covers_from.as_ref().and_then(|d| self.date(r, d, "date"));
            let covers_until = s
                .covers_until
                .as_ref()
                .and_then(|d| self.date(r, d, "date"));
            if s.title.get_ref().trim().is_empty() {
                self.error(r, s.title.span(), "a source needs a title", None);
            }
            declared.insert(s.slug.get_ref().as_str(), Origin::of(r));
            self.source_ids
                .insert(s.slug.get_ref().clone(), self.model.sources.len());
            self.model.sources.push(Source {
                slug: s.slug.get_ref().clone(),
                title: s.title.get_ref().trim().to_owned(),
                description: s
                    .description
                    .as_ref()
                    .map(|d| d.get_ref().trim().to_owned()),
                covers_from,
                covers_until,
                urls,
                citation: s.citation.as_ref().map(|c| c.get_ref().trim().to_owned()),
            });
        }
    }

    fn concepts(&mut self) {
        let records = self.records;
        for (scheme, list) in [
            (Scheme::Fields, &records.fields),
            (Scheme::Roles, &records.roles),
            (Scheme::Measures, &records.measures),
        ] {
            let mut seen: HashMap<(String, SourceId), Origin> = HashMap::new();
            for r in list {
                let c: &ConceptRecord = &r.value;
                if !self.check_slug(r, &c.slug) {
                    continue;
                }
                let Some(source) = self.source_of(r, &c.source) else {
                    continue;
                };
                let slug = c.slug.get_ref().clone();
                if let Some(first) = seen.insert((slug.clone(), source), Origin::of(r)) {
                    self.duplicate(r, &c.slug, scheme.concept_kind(), source, &first);
                    continue;
                }
                let labels = self.labels(r, &c.name, &c.alt_names, &c.hidden_names, &c.description);
                let next = self.model.concepts.len();
                let id = *self
                    .concept_ids
                    .entry(scheme)
                    .or_default()
                    .entry(slug.clone())
                    .or_insert(next);
                if id == next {
                    self.first_seen.insert(
                        ('c', id),
                        (
                            r.file.path().display().to_string(),
                            r.file.line_column(r.span.start).0,
                        ),
                    );
                    self.model.concepts.push(Concept {
                        scheme,
                        slug,
                        claims: Vec::new(),
                    });
                }
                self.model.concepts[id].claims.push(Claim {
                    source,
                    origin: Origin::of(r),
                    facts: labels,
                });
            }
        }
    }

    fn duplicate<T>(
        &mut self,
        r: &Record<T>,
        slug: &Text,
        kind: &str,
        source: SourceId,
        first: &Origin,
    ) {
        let source = self.model.sources[source].slug.clone();
        self.error(
            r,
            slug.span(),
            format!(
                "duplicate {kind} `{}`: source `{source}` already has a record for it, at {first}",
                slug.get_ref()
            ),
            Some("merge the two records, or give this one another source".into()),
        );
    }

    /// First pass: every organisation and place slug, so references can point forward.
    fn register_orgs_and_places(&mut self) {
        let records = self.records;
        for (kind, list) in [
            (OrgKind::Network, &records.networks),
            (OrgKind::Unit, &records.units),
            (OrgKind::Organization, &records.organizations),
        ] {
            for r in list {
                let slug = &r.value.slug;
                if !is_valid_slug(slug.get_ref()) {
                    continue;
                }
                let next = self.model.orgs.len();
                let id = *self.org_ids.entry(slug.get_ref().clone()).or_insert(next);
                if id == next {
                    self.model.orgs.push(Org {
                        kind,
                        slug: slug.get_ref().clone(),
                        claims: Vec::new(),
                    });
                    self.first_seen.insert(
                        ('o', id),
                        (
                            r.file.path().display().to_string(),
                            r.file.line_column(r.span.start).0,
                        ),
                    );
                } else if self.model.orgs[id].kind != kind {
                    let other = self.model.orgs[id].kind.as_str();
                    self.error(
                        r,
                        slug.span(),
                        format!("`{}` is already the slug of a {other}", slug.get_ref()),
                        Some(format!("organisation slugs are shared by networks, units and organisations: rename this {}", kind.as_str())),
                    );
                }
            }
        }
        let mut kinds: HashMap<usize, (PlaceKind, String)> = HashMap::new();
        for r in &records.places {
            let p: &PlaceRecord = &r.value;
            if !is_valid_slug(p.slug.get_ref()) {
                continue;
            }
            let next = self.model.places.len();
            let id = *self
                .place_ids
                .entry(p.slug.get_ref().clone())
                .or_insert(next);
            if id == next {
                self.model.places.push(Place {
                    kind: PlaceKind::City,
                    slug: p.slug.get_ref().clone(),
                    claims: Vec::new(),
                });
                self.first_seen.insert(
                    ('p', id),
                    (
                        r.file.path().display().to_string(),
                        r.file.line_column(r.span.start).0,
                    ),
                );
            }
            let Some(kind_text) = &p.kind else { continue };
            let Some(kind) = PlaceKind::NAMES
                .iter()
                .find(|(n, _)| n == kind_text.get_ref())
                .map(|(_, k)| *k)
            else {
                let names: Vec<&str> = PlaceKind::NAMES.iter().map(|(n, _)| *n).collect();
                self.error(
                    r,
                    kind_text.span(),
                    format!("unknown place type `{}`", kind_text.get_ref()),
                    Some(hint(
                        kind_text.get_ref(),
                        names.iter().copied(),
                        "a place type is one of municipality, province, region, country, city",
                    )),
                );
                continue;
            };
            match kinds.get(&id) {
                Some((k, _)) if *k != kind => {
                    let msg = format!(
                        "`{}` is already a {}; a place has one type",
                        p.slug.get_ref(),
                        k.as_str()
                    );
                    self.error(r, kind_text.span(), msg, None);
                }
                Some(_) => {}
                None => {
                    kinds.insert(id, (kind, String::new()));
                    self.model.places[id].kind = kind;
                }
            }
        }
        for (id, place) in self.model.places.iter().enumerate() {
            if kinds.contains_key(&id) {
                continue;
            }
            if let Some(r) = records
                .places
                .iter()
                .find(|r| r.value.slug.get_ref() == &place.slug)
            {
                self.problems.push(r.file.diagnostic(
                    r.value.slug.span(),
                    format!("place `{}` has no type", place.slug),
                    Some("add `type = \"municipality\"` (or province, region, country, city) to one of its records".into()),
                ));
            }
        }
    }

    fn resolve<T>(
        &mut self,
        r: &Record<T>,
        text: &Text,
        what: &str,
        ids: &HashMap<String, usize>,
        where_defined: &str,
    ) -> Option<usize> {
        if let Some(&id) = ids.get(text.get_ref()) {
            return Some(id);
        }
        let help = hint(
            text.get_ref(),
            ids.keys().map(String::as_str),
            where_defined,
        );
        self.unresolved.push(r.file.diagnostic(
            text.span(),
            format!("unknown {what} `{}`", text.get_ref()),
            Some(help),
        ));
        None
    }

    fn resolve_org<T>(&mut self, r: &Record<T>, text: &Text) -> Option<OrgId> {
        let ids = std::mem::take(&mut self.org_ids);
        let id = self.resolve(
            r,
            text,
            "organisation",
            &ids,
            "organisations are defined with [[network]], [[unit]] or [[organization]] records",
        );
        self.org_ids = ids;
        id
    }

    fn resolve_place<T>(&mut self, r: &Record<T>, text: &Text) -> Option<PlaceId> {
        let ids = std::mem::take(&mut self.place_ids);
        let id = self.resolve(
            r,
            text,
            "place",
            &ids,
            "places are defined in data/places/*.places.csv or with [[place]] records",
        );
        self.place_ids = ids;
        id
    }

    fn resolve_country<T>(&mut self, r: &Record<T>, text: &Text) -> Option<PlaceId> {
        let id = self.resolve_place(r, text)?;
        if self.model.places[id].kind != PlaceKind::Country {
            let kind = self.model.places[id].kind.as_str();
            self.error(
                r,
                text.span(),
                format!("`{}` is a {kind}, not a country", text.get_ref()),
                None,
            );
            return None;
        }
        Some(id)
    }

    fn resolve_concept<T>(
        &mut self,
        r: &Record<T>,
        scheme: Scheme,
        text: &Text,
    ) -> Option<ConceptId> {
        // the usual case, a known concept, found without copying anything: the scheme's map is
        // copied only to suggest a name for one that is not
        let ids = self.concept_ids.get(&scheme);
        if let Some(&id) = ids.and_then(|ids| ids.get(text.get_ref())) {
            return Some(id);
        }
        let ids = ids.cloned().unwrap_or_default();
        let what = scheme.concept_kind();
        self.resolve(
            r,
            text,
            what,
            &ids,
            &format!("{what}s are defined with [[{what}]] records in data/vocabulary.toml"),
        )
    }

    fn orgs(&mut self) {
        let records = self.records;
        let mut seen: HashMap<(OrgId, SourceId), Origin> = HashMap::new();
        for list in [&records.networks, &records.units, &records.organizations] {
            for r in list {
                let o: &OrgRecord = &r.value;
                if !self.check_slug(r, &o.slug) {
                    continue;
                }
                let Some(&id) = self.org_ids.get(o.slug.get_ref()) else {
                    continue;
                };
                let Some(source) = self.source_of(r, &o.source) else {
                    continue;
                };
                if let Some(first) = seen.insert((id, source), Origin::of(r)) {
                    let kind = self.model.orgs[id].kind.as_str();
                    self.duplicate(r, &o.slug, kind, source, &first);
                    continue;
                }
                let labels = self.labels(r, &o.name, &o.alt_names, &o.hidden_names, &o.description);
                let founded = o
                    .founded
                    .as_ref()
                    .and_then(|d| self.date(r, d, "founding date"));
                let founded_in = o.founded_in.as_ref().and_then(|p| self.resolve_place(r, p));
                let part_of = o.part_of.as_ref().and_then(|p| self.resolve_org(r, p));
                if part_of == Some(id) {
                    self.error(
                        r,
                        o.slug.span(),
                        "an organisation cannot be part of itself",
                        None,
                    );
                }
                let linked_to = o
                    .linked_to
                    .iter()
                    .filter_map(|t| self.resolve_org(r, t))
                    .collect();
                let recognised_by = o
                    .recognised_by
                    .iter()
                    .filter_map(|t| self.resolve_org(r, t))
                    .collect();
                let present_in = o
                    .present_in
                    .iter()
                    .filter_map(|t| self.resolve_country(r, t))
                    .collect();
                let external_partners = o
                    .external_partners
                    .iter()
                    .filter_map(|t| self.resolve_country(r, t))
                    .collect();
                self.model.orgs[id].claims.push(Claim {
                    source,
                    origin: Origin::of(r),
                    facts: OrgFacts {
                        labels,
                        founded,
                        founded_in,
                        nonprofit: o.nonprofit.as_ref().is_some_and(|n| *n.get_ref()),
                        part_of,
                        linked_to,
                        recognised_by,
                        present_in,
                        external_partners,
                    },
                });
            }
        }
    }

    fn code<T>(
        &mut self,
        r: &Record<T>,
        text: &Option<Text>,
        what: &str,
        valid: impl Fn(&str) -> bool,
        form: &str,
    ) -> Option<String> {
        let text = text.as_ref()?;
        if valid(text.get_ref()) {
            Some(text.get_ref().clone())
        } else {
            self.error(
                r,
                text.span(),
                format!("`{}` is not a valid {what}", text.get_ref()),
                Some(format!("a {what} is {form}")),
            );
            None
        }
    }

    fn places(&mut self) {
        let records = self.records;
        let mut seen: HashMap<(PlaceId, SourceId), Origin> = HashMap::new();
        let digits =
            |n: usize| move |s: &str| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        let upper =
            |n: usize| move |s: &str| s.len() == n && s.bytes().all(|b| b.is_ascii_uppercase());
        for r in &records.places {
            let p: &PlaceRecord = &r.value;
            if !self.check_slug(r, &p.slug) {
                continue;
            }
            let Some(&id) = self.place_ids.get(p.slug.get_ref()) else {
                continue;
            };
            let Some(source) = self.source_of(r, &p.source) else {
                continue;
            };
            if let Some(first) = seen.insert((id, source), Origin::of(r)) {
                self.duplicate(r, &p.slug, "place", source, &first);
                continue;
            }
            let kind = self.model.places[id].kind;
            let labels = self.labels(r, &p.name, &p.alt_names, &p.hidden_names, &p.description);
            let part_of = p.part_of.as_ref().and_then(|t| self.resolve_place(r, t));
            if part_of == Some(id) {
                self.error(r, p.slug.span(), "a place cannot be part of itself", None);
            }
            let istat_code = match kind {
                PlaceKind::Municipality => self.code(
                    r,
                    &p.istat_code,
                    "municipality ISTAT code",
                    digits(6),
                    "6 digits, such as 001272",
                ),
                PlaceKind::Region => self.code(
                    r,
                    &p.istat_code,
                    "region ISTAT code",
                    digits(2),
                    "2 digits, such as 01",
                ),
                _ => {
                    if let Some(t) = &p.istat_code {
                        self.error(
                            r,
                            t.span(),
                            format!("a {} has no ISTAT code in reti", kind.as_str()),
                            None,
                        );
                    }
                    None
                }
            };
            let notation = self.code(
                r,
                &p.notation,
                "notation",
                |s| !s.is_empty() && s.len() <= 8 && s.bytes().all(|b| b.is_ascii_alphanumeric()),
                "up to 8 letters or digits, such as TO",
            );
            let iso_alpha2 = self.code(
                r,
                &p.iso_alpha2,
                "ISO 3166-1 alpha-2 code",
                upper(2),
                "two capital letters, such as IT",
            );
            let iso_alpha3 = self.code(
                r,
                &p.iso_alpha3,
                "ISO 3166-1 alpha-3 code",
                upper(3),
                "three capital letters, such as ITA",
            );
            let eu_authority = self.code(
                r,
                &p.eu_authority,
                "EU country authority code",
                |s| {
                    s.len() == 3
                        && s.bytes()
                            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
                },
                "three capital letters or digits, such as ITA or 1A0",
            );
            let wikidata = self.code(
                r,
                &p.wikidata,
                "Wikidata item",
                |s| {
                    s.len() > 1
                        && s.starts_with('Q')
                        && s[1..].bytes().all(|b| b.is_ascii_digit())
                        && !s[1..].starts_with('0')
                },
                "Q followed by digits, such as Q495",
            );
            if kind != PlaceKind::Country {
                for t in [&p.iso_alpha2, &p.iso_alpha3, &p.eu_authority]
                    .into_iter()
                    .flatten()
                {
                    self.error(
                        r,
                        t.span(),
                        format!(
                            "only countries have ISO or EU authority codes, and `{}` is a {}",
                            p.slug.get_ref(),
                            kind.as_str()
                        ),
                        None,
                    );
                }
            }
            if let Some(pop) = &p.population {
                let date = match &p.population_date {
                    Some(d) => self.date(r, d, "population date"),
                    None => {
                        self.error(
                            r,
                            pop.span(),
                            "a population needs the date it refers to",
                            Some("add `population_date`, such as 2021-01-01".into()),
                        );
                        None
                    }
                };
                let measure = self
                    .concept_ids
                    .get(&Scheme::Measures)
                    .and_then(|ids| ids.get("resident-population"))
                    .copied();
                match (date, measure) {
                    (Some(date), Some(measure)) => self.push_figure(r, pop.span(), Subject::Place(id), measure, *pop.get_ref(), false, Some(date), source),
                    (_, None) => self.unresolved.push(r.file.diagnostic(pop.span(), "a population needs the measure `resident-population`, which is not defined", Some("define it with a [[measure]] record in data/vocabulary.toml".into()))),
                    _ => {}
                }
            }
            self.model.places[id].claims.push(Claim {
                source,
                origin: Origin::of(r),
                facts: PlaceFacts {
                    labels,
                    part_of,
                    istat_code,
                    notation,
                    iso_alpha2,
                    iso_alpha3,
                    eu_authority,
                    wikidata,
                },
            });
        }
    }

    fn sites(&mut self) {
        let records = self.records;
        let mut ids: HashMap<String, usize> = HashMap::new();
        let mut seen: HashMap<(usize, SourceId), Origin> = HashMap::new();
        // (organisation, place, first record) per site, filled by whichever records state them
        let mut located: Vec<(Option<OrgId>, Option<PlaceId>, &Record<SiteRecord>)> = Vec::new();
        let mut claims: Vec<Vec<Claim<SiteFacts>>> = Vec::new();
        for r in &records.sites {
            let s: &SiteRecord = &r.value;
            if !self.check_slug(r, &s.slug) {
                continue;
            }
            let Some(source) = self.source_of(r, &s.source) else {
                continue;
            };
            let org = s.organization.as_ref().and_then(|o| self.resolve_org(r, o));
            let place = s.place.as_ref().and_then(|p| self.resolve_place(r, p));
            let labels = self.labels(r, &s.name, &None, &None, &None);
            let next = located.len();
            let id = *ids.entry(s.slug.get_ref().clone()).or_insert(next);
            if id == next {
                located.push((None, None, r));
                claims.push(Vec::new());
            }
            let (known_org, known_place, _) = &mut located[id];
            let conflict = matches!((*known_org, org), (Some(a), Some(b)) if a != b)
                || matches!((*known_place, place), (Some(a), Some(b)) if a != b);
            if conflict {
                self.error(r, s.slug.span(), format!("site `{}` is given another organisation or place than in an earlier record", s.slug.get_ref()), Some("a site belongs to one organisation in one place; give a different site another slug".into()));
                continue;
            }
            *known_org = known_org.or(org);
            *known_place = known_place.or(place);
            if let Some(first) = seen.insert((id, source), Origin::of(r)) {
                self.duplicate(r, &s.slug, "site", source, &first);
                continue;
            }
            claims[id].push(Claim {
                source,
                origin: Origin::of(r),
                facts: SiteFacts {
                    labels,
                    registered: s.registered,
                    locates: s.organization.is_some() && s.place.is_some(),
                },
            });
        }
        for ((org, place, first), claims) in located.into_iter().zip(claims) {
            let (Some(organization), Some(place)) = (org, place) else {
                self.problems.push(first.file.diagnostic(
                    first.value.slug.span(),
                    format!(
                        "site `{}` has no organisation or no place",
                        first.value.slug.get_ref()
                    ),
                    Some("give `organization` and `place` in one of its records".into()),
                ));
                continue;
            };
            let id = self.model.sites.len();
            self.first_seen.insert(
                ('s', id),
                (
                    first.file.path().display().to_string(),
                    first.file.line_column(first.span.start).0,
                ),
            );
            self.model.sites.push(Site {
                slug: first.value.slug.get_ref().clone(),
                organization,
                place,
                claims,
            });
        }
    }

    fn memberships(&mut self) {
        let records = self.records;
        // Each membership by its slug, which is made from its organisation, member and role:
        // the same three give the same slug, and two memberships with one slug are an error.
        // One table of indices, as large as it can get, once (a million rows would otherwise
        // grow it twenty times over); a table of the three and another of the slugs, each slug
        // copied, missed memory twice as often.
        let rows = records.memberships.len();
        let hasher = foldhash::fast::FixedState::with_seed(0x7e7a_0002);
        let mut by_slug: hashbrown::HashTable<usize> = hashbrown::HashTable::with_capacity(rows);
        let mut slug = String::new();
        let default_role: Text = toml::Spanned::new(0..0, "member".to_owned());
        for r in &records.memberships {
            let m: &MembershipRecord = &r.value;
            let source = self.source_of(r, &m.source);
            let org = self.resolve_org(r, &m.organization);
            let member = self.resolve_place(r, &m.member);
            let role_text = m.role.as_ref().unwrap_or(&default_role);
            let role = if m.role.is_some() {
                self.resolve_concept(r, Scheme::Roles, role_text)
            } else {
                let role = self.model.concept(Scheme::Roles, "member");
                if role.is_none() {
                    self.unresolved.push(r.file.diagnostic(r.span.clone(), "the default role `member` is not defined", Some("define it with a [[role]] record in data/vocabulary.toml, or give this membership a `role`".into())));
                }
                role
            };
            let field = m
                .field
                .as_ref()
                .and_then(|f| self.resolve_concept(r, Scheme::Fields, f));
            let since = m.since.as_ref().and_then(|s| {
                let year = *s.get_ref();
                let founded = org.and_then(|o| {
                    self.model.orgs[o]
                        .claims
                        .iter()
                        .filter_map(|c| c.facts.founded)
                        .map(PartialDate::year)
                        .min()
                });
                if !(1000..=9999).contains(&year) {
                    self.error(
                        r,
                        s.span(),
                        format!("`{year}` is not a year"),
                        Some(
                            "write the year the membership began, with four digits, such as 2014"
                                .into(),
                        ),
                    );
                    None
                } else if year > i64::from(self.today.0) {
                    self.error(r, s.span(), format!("year {year} is in the future"), None);
                    None
                } else if let Some(f) = founded.filter(|&f| year < i64::from(f)) {
                    let name = &self.model.orgs[org.unwrap_or_default()].slug;
                    self.error(
                        r,
                        s.span(),
                        format!(
                            "the membership begins in {year}, before `{name}` was founded in {f}"
                        ),
                        Some("check the year against the sources".into()),
                    );
                    None
                } else {
                    Some(year as i32)
                }
            });
            let (Some(source), Some(org), Some(member), Some(role)) = (source, org, member, role)
            else {
                continue;
            };
            let role_slug = &self.model.concepts[role].slug;
            slug.clear();
            slug.push_str(&self.model.orgs[org].slug);
            slug.push('-');
            slug.push_str(&self.model.places[member].slug);
            if role_slug != "member" {
                slug.push('-');
                slug.push_str(role_slug);
            }
            let memberships = &mut self.model.memberships;
            let entry = by_slug.entry(
                hasher.hash_one(slug.as_str()),
                |&i| memberships.get(i).is_some_and(|m| m.slug == slug),
                |&i| {
                    memberships
                        .get(i)
                        .map_or(0, |m| hasher.hash_one(m.slug.as_str()))
                },
            );
            let id = match entry {
                hashbrown::hash_table::Entry::Occupied(found) => *found.get(),
                hashbrown::hash_table::Entry::Vacant(free) => {
                    free.insert(memberships.len());
                    memberships.push(Membership {
                        slug: slug.clone(),
                        organization: org,
                        member,
                        role,
                        claims: Vec::new(),
                    });
                    memberships.len() - 1
                }
            };
            let held = &self.model.memberships[id];
            if (held.organization, held.member, held.role) != (org, member, role) {
                self.error(
                    r,
                    r.span.clone(),
                    format!("two different memberships would both get the slug `{slug}`"),
                    Some("rename one of the organisations or places involved".into()),
                );
                continue;
            }
            // a source states a membership once: its claims say which sources have
            if let Some(first) = self.model.memberships[id]
                .claims
                .iter()
                .find(|c| c.source == source)
            {
                let msg = format!(
                    "duplicate membership: source `{}` already says `{}` is {} of `{}`, at {}",
                    self.model.sources[source].slug,
                    self.model.places[member].slug,
                    self.model.concepts[role].slug,
                    self.model.orgs[org].slug,
                    first.origin
                );
                self.error(
                    r,
                    m.member.span(),
                    msg,
                    Some(
                        "delete one of the two records (a membership is one record per source)"
                            .into(),
                    ),
                );
                continue;
            }
            self.model.memberships[id].claims.push(Claim {
                source,
                origin: Origin::of(r),
                facts: MembershipFacts { field, since },
            });
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn push_figure<T>(
        &mut self,
        r: &Record<T>,
        span: std::ops::Range<usize>,
        subject: Subject,
        measure: ConceptId,
        value: u64,
        lower_bound: bool,
        date: Option<PartialDate>,
        source: SourceId,
    ) {
        let of = match subject {
            Subject::Org(o) => &self.model.orgs[o].slug,
            Subject::Place(p) => &self.model.places[p].slug,
        };
        let mut slug = format!(
            "{of}-{}-{}",
            self.model.concepts[measure].slug, self.model.sources[source].slug
        );
        if let Some(d) = date {
            slug = format!("{slug}-{d}");
        }
        let origin = Origin::at(r, span.start);
        if let Some(first) = self.figure_slugs.insert(slug.clone(), origin.clone()) {
            self.error(r, span, format!("duplicate figure `{slug}`: this source already states this measure for this date, at {first}"), Some("keep one record, or give the figures different dates".into()));
            return;
        }
        self.model.figures.push(Figure {
            origin,
            slug,
            subject,
            measure,
            value,
            lower_bound,
            date,
            source,
        });
    }

    fn figures(&mut self) {
        let records = self.records;
        for r in &records.figures {
            let f: &FigureRecord = &r.value;
            let source = self.source_of(r, &f.source);
            let subject = if let Some(&o) = self.org_ids.get(f.of.get_ref()) {
                Some(Subject::Org(o))
            } else if let Some(&p) = self.place_ids.get(f.of.get_ref()) {
                Some(Subject::Place(p))
            } else {
                let known = self
                    .org_ids
                    .keys()
                    .chain(self.place_ids.keys())
                    .map(String::as_str);
                let help = hint(
                    f.of.get_ref(),
                    known,
                    "a figure is about an organisation or a place",
                );
                self.unresolved.push(r.file.diagnostic(
                    f.of.span(),
                    format!("unknown organisation or place `{}`", f.of.get_ref()),
                    Some(help),
                ));
                None
            };
            let measure = self.resolve_concept(r, Scheme::Measures, &f.measure);
            let date = f.date.as_ref().and_then(|d| self.date(r, d, "date"));
            let value = match u64::try_from(*f.value.get_ref()) {
                Ok(v) => Some(v),
                Err(_) => {
                    self.error(
                        r,
                        f.value.span(),
                        "a stated figure cannot be negative",
                        None,
                    );
                    None
                }
            };
            if let (Some(source), Some(subject), Some(measure), Some(value)) =
                (source, subject, measure, value)
            {
                self.push_figure(
                    r,
                    f.value.span(),
                    subject,
                    measure,
                    value,
                    f.lower_bound,
                    date,
                    source,
                );
            }
        }
    }

    /// Every thing needs an English name; no language may have two preferred names.
    fn check_names(&mut self) {
        let records = self.records;
        let source_slugs: Vec<String> = self.model.sources.iter().map(|s| s.slug.clone()).collect();
        let check = |b: &mut Self,
                     what: &str,
                     slug: &str,
                     claims: Vec<(SourceId, &Labels)>,
                     tag: (char, usize)| {
            let mut names: BTreeMap<&str, (SourceId, &str)> = BTreeMap::new();
            for (source, labels) in &claims {
                for (lang, name) in &labels.names {
                    if let Some((other, first)) = names.get(lang.as_str()) {
                        if first != name {
                            let (file, line) = b.first_seen.get(&tag).cloned().unwrap_or_default();
                            b.problems.push(Diagnostic {
                                file: file.into(),
                                line,
                                column: 1,
                                message: format!(
                                    "{what} `{slug}` has two `{lang}` names: \"{first}\" (source `{}`) and \"{name}\" (source `{}`)",
                                    source_slugs[*other], source_slugs[*source]
                                ),
                                help: Some("keep one preferred name per language; give the other as `alt_names`".into()),
                            });
                        }
                    } else {
                        names.insert(lang, (*source, name));
                    }
                }
            }
            if !names.contains_key("en") && !claims.is_empty() {
                let (file, line) = b.first_seen.get(&tag).cloned().unwrap_or_default();
                b.problems.push(Diagnostic {
                    file: file.into(),
                    line,
                    column: 1,
                    message: format!("{what} `{slug}` has no English name"),
                    help: Some(
                        "add `name.en = \"…\"` to one of its records (column `name_en` in CSV)"
                            .into(),
                    ),
                });
            }
        };
        let model = std::mem::take(&mut self.model);
        for (i, c) in model.concepts.iter().enumerate() {
            check(
                self,
                c.scheme.concept_kind(),
                &c.slug,
                c.claims.iter().map(|c| (c.source, &c.facts)).collect(),
                ('c', i),
            );
        }
        for (i, o) in model.orgs.iter().enumerate() {
            check(
                self,
                o.kind.as_str(),
                &o.slug,
                o.claims
                    .iter()
                    .map(|c| (c.source, &c.facts.labels))
                    .collect(),
                ('o', i),
            );
        }
        for (i, p) in model.places.iter().enumerate() {
            check(
                self,
                p.kind.as_str(),
                &p.slug,
                p.claims
                    .iter()
                    .map(|c| (c.source, &c.facts.labels))
                    .collect(),
                ('p', i),
            );
        }
        for (i, s) in model.sites.iter().enumerate() {
            check(
                self,
                "site",
                &s.slug,
                s.claims
                    .iter()
                    .map(|c| (c.source, &c.facts.labels))
                    .collect(),
                ('s', i),
            );
        }
        self.model = model;
        let _ = records;
    }

    fn check_place_cycles(&mut self) {
        let n = self.model.places.len();
        for start in 0..n {
            let mut at = start;
            for _ in 0..=n {
                let Some(next) = self.model.places[at]
                    .claims
                    .iter()
                    .find_map(|c| c.facts.part_of)
                else {
                    break;
                };
                if next == start {
                    let (file, line) = self
                        .first_seen
                        .get(&('p', start))
                        .cloned()
                        .unwrap_or_default();
                    self.problems.push(Diagnostic {
                        file: file.into(),
                        line,
                        column: 1,
                        message: format!("place `{}` is, through `part_of`, part of itself", self.model.places[start].slug),
                        help: Some("a municipality is part of a province, a province of a region, a region of a country".into()),
                    });
                    break;
                }
                at = next;
            }
        }
    }
}

/// "did you mean …?" when a known name is near, else where such names are defined.
fn hint<'a>(
    unknown: &str,
    known: impl IntoIterator<Item = &'a str>,
    where_defined: &str,
) -> String {
    match nearest(unknown, known) {
        Some(k) => format!("did you mean `{k}`? ({where_defined})"),
        None => format!("no such name is defined; {where_defined}"),
    }
}

/// A valid slug close to `s`, offered in error messages.
pub fn slugify(s: &str) -> String {
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
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_416), (2025, 11, 24));
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
