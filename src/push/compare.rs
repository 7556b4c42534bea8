//! Comparing what a store gives back with what was sent: triple by triple, with the literals
//! stores are known to rewrite into another form of the same value reported as warnings.

use super::*;

/// A graph read back from the target that does not hold the local triples.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The graph.
    pub graph: GraphLabel,
    /// Local triples the target lacks.
    pub only_here: usize,
    /// Triples on the target that are not local.
    pub only_there: usize,
    /// The first differences, each `here:` or `there:` and the triple in N-Triples.
    pub shown: Vec<String>,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "  {}: {} triple{} here not on the store, {} on the store not here{}",
            self.graph,
            self.only_here,
            plural(self.only_here as u32),
            self.only_there,
            if self.only_here + self.only_there > self.shown.len() {
                format!("; the first {}:", self.shown.len())
            } else {
                ":".to_owned()
            }
        )?;
        for line in &self.shown {
            write!(f, "\n    {line}")?;
        }
        Ok(())
    }
}

/// A literal a store is known to keep in another form of the same value. Not a loss: a SPARQL
/// query compares them equal; but documents read from the store show the other form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rewrite {
    /// `xsd:boolean` as `1`/`0` (Virtuoso, in SPARQL results and some serialisations).
    BooleanAsNumber,
    /// An integer in its canonical form (`007` as `7`, `+7` as `7`).
    CanonicalInteger,
    /// A datatype derived from `xsd:integer` (`xsd:nonNegativeInteger`, `xsd:int`…) stored
    /// as `xsd:integer` (Oxigraph).
    IntegerDatatype,
    /// A decimal, float or double in its canonical form (`1.50` as `1.5`, `1e3` as `1.0E3`).
    CanonicalNumber,
    /// A language tag in another case (`en-GB` as `en-gb`).
    LanguageTagCase,
    /// A GeoSPARQL `wktLiteral` turned into Virtuoso's own geometry type
    /// (`virtrdf:Geometry`), its coordinates kept as single-precision floats.
    VirtuosoGeometry,
}

impl fmt::Display for Rewrite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Rewrite::BooleanAsNumber => "xsd:boolean written as 1 or 0 (as Virtuoso does)",
            Rewrite::CanonicalInteger => "an integer in canonical form",
            Rewrite::IntegerDatatype => {
                "an integer of a derived datatype stored as xsd:integer (as Oxigraph does)"
            }
            Rewrite::CanonicalNumber => "a number in canonical form",
            Rewrite::LanguageTagCase => "a language tag in another case",
            Rewrite::VirtuosoGeometry => {
                "a geo:wktLiteral stored as virtrdf:Geometry, its coordinates as 32-bit floats (as Virtuoso does)"
            }
        })
    }
}

/// Whether `there` is `here` rewritten in one of the known ways.
pub fn rewrite(here: &Literal, there: &Literal) -> Option<Rewrite> {
    if here == there {
        return None;
    }
    if let (Some(a), Some(b)) = (here.language(), there.language()) {
        return (here.value() == there.value() && a.eq_ignore_ascii_case(b))
            .then_some(Rewrite::LanguageTagCase);
    }
    let (a, b) = (here.datatype(), there.datatype());
    if a.as_str() == WKT_LITERAL && b.as_str() == VIRTUOSO_GEOMETRY {
        return same_geometry(here.value(), there.value()).then_some(Rewrite::VirtuosoGeometry);
    }
    if a == xsd::BOOLEAN && b == xsd::BOOLEAN {
        let value = |l: &Literal| match l.value().trim() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        };
        return (value(here).is_some() && value(here) == value(there))
            .then_some(Rewrite::BooleanAsNumber);
    }
    if integer_datatype(a) && integer_datatype(b) {
        let value = |l: &Literal| {
            l.value()
                .trim()
                .trim_start_matches('+')
                .parse::<i128>()
                .ok()
        };
        return match (value(here), value(there)) {
            (Some(x), Some(y)) if x == y && a == b => Some(Rewrite::CanonicalInteger),
            (Some(x), Some(y)) if x == y && b == xsd::INTEGER => Some(Rewrite::IntegerDatatype),
            _ => None,
        };
    }
    if a == b && a == xsd::DECIMAL {
        return (decimal(here.value()).is_some()
            && decimal(here.value()) == decimal(there.value()))
        .then_some(Rewrite::CanonicalNumber);
    }
    if a == b && (a == xsd::DOUBLE || a == xsd::FLOAT) {
        let value = |l: &Literal| l.value().trim().parse::<f64>().ok();
        return match (value(here), value(there)) {
            (Some(x), Some(y)) if x == y || (x.is_nan() && y.is_nan()) => {
                Some(Rewrite::CanonicalNumber)
            }
            _ => None,
        };
    }
    None
}

pub(super) const WKT_LITERAL: &str = "http://www.opengis.net/ont/geosparql#wktLiteral";
pub(super) const VIRTUOSO_GEOMETRY: &str = "http://www.openlinksw.com/schemas/virtrdf#Geometry";

/// Whether two WKT texts are the same geometry: the same words and brackets, and coordinates
/// equal to single precision (spaces after commas do not count).
fn same_geometry(a: &str, b: &str) -> bool {
    fn tokens(text: &str) -> Vec<String> {
        text.split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')')
            .filter(|t| !t.is_empty())
            .map(|t| t.to_ascii_uppercase())
            .chain(std::iter::once(
                text.chars().filter(|c| matches!(c, '(' | ')')).collect(),
            ))
            .collect()
    }
    let (x, y) = (tokens(a), tokens(b));
    x.len() == y.len()
        && x.iter()
            .zip(&y)
            .all(|(p, q)| match (p.parse::<f64>(), q.parse::<f64>()) {
                (Ok(p), Ok(q)) => (p - q).abs() <= 1e-6 * p.abs().max(1.0),
                _ => p == q,
            })
}

fn integer_datatype(d: NamedNodeRef<'_>) -> bool {
    [
        xsd::INTEGER,
        xsd::NON_NEGATIVE_INTEGER,
        xsd::POSITIVE_INTEGER,
        xsd::NON_POSITIVE_INTEGER,
        xsd::NEGATIVE_INTEGER,
        xsd::LONG,
        xsd::INT,
        xsd::SHORT,
        xsd::BYTE,
        xsd::UNSIGNED_LONG,
        xsd::UNSIGNED_INT,
        xsd::UNSIGNED_SHORT,
        xsd::UNSIGNED_BYTE,
    ]
    .contains(&d)
}

/// A decimal's value as sign, digits and exponent, without the zeros that do not count.
fn decimal(text: &str) -> Option<(bool, String, i64)> {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if int.is_empty() && frac.is_empty()
        || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let all = format!("{int}{frac}");
    let trimmed = all.trim_start_matches('0');
    let exponent = trimmed.len() as i64 - frac.len() as i64;
    let significant = trimmed.trim_end_matches('0').to_owned();
    if significant.is_empty() {
        return Some((false, String::new(), 0));
    }
    Some((negative, significant, exponent))
}

/// How a graph read back compares with the local one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comparison {
    /// Local triples the target lacks (not counting rewritten literals).
    pub only_here: Vec<Triple>,
    /// Triples on the target that are not local (not counting rewritten literals).
    pub only_there: Vec<Triple>,
    /// Literals kept in another form of the same value: per kind, how many and one example
    /// (here, there).
    pub rewrites: BTreeMap<Rewrite, (usize, String, String)>,
}

impl Comparison {
    /// Whether the graphs hold the same triples, but for known rewrites.
    pub fn same(&self) -> bool {
        self.only_here.is_empty() && self.only_there.is_empty()
    }

    /// The first differences, as the error lists them.
    pub fn shown(&self) -> Vec<String> {
        let mut here: Vec<String> = self.only_here.iter().map(ToString::to_string).collect();
        let mut there: Vec<String> = self.only_there.iter().map(ToString::to_string).collect();
        here.sort();
        there.sort();
        let mut out = Vec::new();
        let (mut h, mut t) = (here.into_iter(), there.into_iter());
        // alternately, so that a changed triple shows next to what it became
        while out.len() < DIFFERENCES_SHOWN {
            match (h.next(), t.next()) {
                (None, None) => break,
                (a, b) => {
                    if let Some(a) = a {
                        out.push(format!("here:  {a} ."));
                    }
                    if let Some(b) = b
                        && out.len() < DIFFERENCES_SHOWN
                    {
                        out.push(format!("there: {b} ."));
                    }
                }
            }
        }
        out
    }
}

/// Compares a graph read back from a store with the local one, triple by triple; blank nodes
/// by isomorphism (both graphs canonicalised, when either has any).
pub fn compare(here: Vec<Triple>, there: Vec<Triple>) -> Comparison {
    let blank = |ts: &[Triple]| {
        ts.iter()
            .any(|t| t.subject.is_blank_node() || t.object.is_blank_node())
    };
    let (here, there) = if blank(&here) || blank(&there) {
        let canonical = |ts: Vec<Triple>| {
            let mut g: oxigraph::model::Graph = ts.into_iter().collect();
            g.canonicalize(oxrdf::dataset::CanonicalizationAlgorithm::Unstable);
            g.iter().map(|t| t.into_owned()).collect::<Vec<_>>()
        };
        (canonical(here), canonical(there))
    } else {
        (here, there)
    };
    let here_set: HashSet<&Triple> = here.iter().collect();
    let there_set: HashSet<&Triple> = there.iter().collect();
    let mut only_here: Vec<&Triple> = here_set.difference(&there_set).copied().collect();
    let only_there: Vec<&Triple> = there_set.difference(&here_set).copied().collect();
    only_here.sort_by_cached_key(|t| t.to_string());
    // the target's extra literals, by subject and predicate, to pair with the local ones
    let mut candidates: HashMap<(&oxigraph::model::NamedOrBlankNode, &NamedNode), Vec<usize>> =
        HashMap::new();
    for (i, t) in only_there.iter().enumerate() {
        if matches!(t.object, Term::Literal(_)) {
            candidates
                .entry((&t.subject, &t.predicate))
                .or_default()
                .push(i);
        }
    }
    let mut paired = vec![false; only_there.len()];
    let mut out = Comparison::default();
    for t in only_here {
        let Term::Literal(mine) = &t.object else {
            out.only_here.push(t.clone());
            continue;
        };
        let found = candidates
            .get(&(&t.subject, &t.predicate))
            .into_iter()
            .flatten()
            .find_map(|&i| {
                let Term::Literal(theirs) = &only_there[i].object else {
                    return None;
                };
                if paired[i] {
                    return None;
                }
                rewrite(mine, theirs).map(|r| (i, r, theirs))
            });
        match found {
            Some((i, kind, theirs)) => {
                paired[i] = true;
                let entry = out
                    .rewrites
                    .entry(kind)
                    .or_insert_with(|| (0, mine.to_string(), theirs.to_string()));
                entry.0 += 1;
            }
            None => out.only_here.push(t.clone()),
        }
    }
    out.only_there = only_there
        .into_iter()
        .zip(paired)
        .filter(|(_, p)| !p)
        .map(|(t, _)| t.clone())
        .collect();
    out.only_there.sort_by_cached_key(|t| t.to_string());
    out
}
