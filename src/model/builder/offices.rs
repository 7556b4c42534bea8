//! Offices of organisations (`org:Site`).

use super::*;

impl Builder<'_> {
    pub(super) fn offices(&mut self) {
        let records = self.records;
        let mut ids: HashMap<String, usize> = HashMap::new();
        let mut seen: HashMap<(usize, SourceId), Origin> = HashMap::new();
        // (organisation, place, first record) per site, filled by whichever records state them
        let mut located: Vec<(Option<OrgId>, Option<PlaceId>, &Record<SiteRecord>)> = Vec::new();
        let mut claims: Vec<Vec<Claim<OfficeFacts>>> = Vec::new();
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
                facts: OfficeFacts {
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
            let id = self.model.offices.len();
            self.first_seen.insert(
                ('s', id),
                (
                    first.file.path().display().to_string(),
                    first.file.line_column(first.span.start).0,
                ),
            );
            self.model.offices.push(Office {
                slug: first.value.slug.get_ref().clone(),
                organization,
                place,
                claims,
            });
        }
    }
}
