//! Memberships: who belongs to which network, in which role and field, since when.

use super::*;

impl Builder<'_> {
    pub(super) fn memberships(&mut self) {
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
}
