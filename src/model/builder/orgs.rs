//! Networks, their units and other organisations; the names every file may refer to.

use super::*;

impl Builder<'_> {
    /// First pass: every organisation and place slug, so references can point forward.
    pub(super) fn register_orgs_and_places(&mut self) {
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

    pub(super) fn orgs(&mut self) {
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
}
