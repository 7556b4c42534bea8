//! The builder behind [`Model::build`]: one file per kind of entity, each checking its records
//! and adding them to the model; the helpers they share (errors, references, labels) are here.

mod figures;
mod memberships;
mod names;
mod offices;
mod orgs;
mod places;
mod sources;

use super::*;

pub(super) struct Builder<'r> {
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

impl Builder<'_> {
    /// Checks `records` and builds the model from them, entity by entity, collecting every
    /// problem.
    pub(super) fn run(records: &Records, today: (i32, u8, u8)) -> Result<Model, ModelProblems> {
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
        b.offices();
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
