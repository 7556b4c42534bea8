//! Sources and the concept schemes (roles, fields, measures).

use super::*;

impl Builder<'_> {
    pub(super) fn sources(&mut self) {
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

    pub(super) fn concepts(&mut self) {
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
}
