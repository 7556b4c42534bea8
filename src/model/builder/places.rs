//! Places, their hierarchy (no cycles) and codes.

use super::*;

impl Builder<'_> {
    pub(super) fn places(&mut self) {
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

    pub(super) fn check_place_cycles(&mut self) {
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
