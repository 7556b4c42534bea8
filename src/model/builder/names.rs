//! Checks across entities: names that two things share, names missing a language.

use super::*;

impl Builder<'_> {
    /// Every thing needs an English name; no language may have two preferred names.
    pub(super) fn check_names(&mut self) {
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
        for (i, s) in model.offices.iter().enumerate() {
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
}
