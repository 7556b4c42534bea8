//! Stated figures ("180 cities"), claims of their sources.

use super::*;

impl Builder<'_> {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn push_figure<T>(
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

    pub(super) fn figures(&mut self) {
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
}
