//! The DCAT-AP (and DCAT-AP_IT) catalog: the catalog, the dataset, one distribution per dump
//! and one through the SPARQL endpoint, the data service, agents, contact point and licence.

use super::*;

/// An agent from `reti.toml`: its own IRI when it has one, else `{base}catalog#{fragment}`.
pub(super) fn agent(
    g: &mut Graph,
    p: &Facts<'_>,
    a: &crate::config::Agent,
    fragment: &str,
) -> NamedNode {
    let node = a
        .iri
        .as_deref()
        .and_then(iri)
        .unwrap_or_else(|| url(p, &format!("catalog#{fragment}")));
    g.a(&node, foaf::AGENT);
    g.a(&node, dcatapit::AGENT);
    g.add(&node, foaf::NAME, Literal::new_simple_literal(&a.name));
    if let Some(id) = a.identifier.as_deref().filter(|s| !s.is_empty()) {
        g.add(&node, dct::IDENTIFIER, Literal::new_simple_literal(id));
    }
    if let Some(kind) = a.kind.as_deref().and_then(iri) {
        let code = local_name(kind.as_str()).to_owned();
        let known = kind
            .as_str()
            .strip_prefix(authority::PUBLISHER_TYPE)
            .and_then(publisher_type_label);
        let label = known.unwrap_or(&code).to_owned();
        g.add(&node, dct::TYPE, kind.clone());
        concept(g, &kind, &label, None);
    }
    if let Some(home) = a.homepage.as_deref().and_then(iri) {
        g.add(&node, foaf::HOMEPAGE, home.clone());
        g.a(&home, foaf::DOCUMENT);
    }
    node
}

/// The licence, described so that harvesters find it in their own registers: ckanext-dcat
/// matches CKAN's register by IRI, then by `dct:title`; ckanext-dcatapit matches the Italian
/// controlled vocabulary by IRI or reference document (the creativecommons.org IRI), then by
/// `foaf:name` per language. Known licences need no configuration; `reti.toml` overrides.
pub(super) fn licence_triples(g: &mut Graph, c: &crate::config::Config, l: &NamedNode) {
    let known = known_licence(l.as_str());
    g.a(l, dct::LICENSE_DOCUMENT);
    let name = c.licence_name.as_deref().or(known.as_ref().map(|k| k.name));
    let name_it = c
        .licence_name_it
        .as_deref()
        .or(known.as_ref().and_then(|k| k.name_it));
    let title = c
        .licence_title
        .as_deref()
        .or(known.as_ref().map(|k| k.title))
        .or(name);
    if let Some(name) = name {
        g.text(l, foaf::NAME, name, "en");
    }
    if let Some(title) = title {
        g.text(l, dct::TITLE, title, "en");
    }
    if let Some(name_it) = name_it {
        g.text(l, foaf::NAME, name_it, "it");
        g.text(l, dct::TITLE, name_it, "it");
    }
    let kind = match c.licence_type.as_deref() {
        Some(t) => iri(t),
        None => known
            .as_ref()
            .map(|k| NamedNode::new_unchecked(format!("{}{}", authority::LICENCE_TYPE, k.kind))),
    };
    if let Some(kind) = kind {
        let code = local_name(kind.as_str()).to_owned();
        let label = licence_type_label(&code).unwrap_or(&code).to_owned();
        g.add(l, dct::TYPE, kind.clone());
        concept(g, &kind, &label, None);
    }
    let same: Vec<NamedNode> = match &c.licence_same_as {
        Some(list) => list.iter().filter_map(|s| iri(s)).collect(),
        None => known
            .as_ref()
            .map(|k| {
                k.same
                    .iter()
                    .map(|s| NamedNode::new_unchecked(*s))
                    .collect()
            })
            .unwrap_or_default(),
    };
    for other in same.iter().filter(|o| *o != l) {
        g.add(l, skos::EXACT_MATCH, other.clone());
    }
    if c.licence_same_as.is_none()
        && let Some(family) = known.as_ref().and_then(|k| k.family)
    {
        g.add(l, skos::CLOSE_MATCH, NamedNode::new_unchecked(family));
    }
}

/// The dataset's `dct:identifier`: `{IPA code}:{local identifier}` as the DCAT-AP_IT
/// guidelines ask, the IPA code being the publisher's identifier; an identifier that has a
/// `:` already (or a publisher without identifier) is left as it is.
pub fn dataset_identifier(c: &crate::config::Config) -> String {
    match c.publisher.identifier.as_deref().filter(|s| !s.is_empty()) {
        Some(ipa) if !c.identifier.contains(':') => format!("{ipa}:{}", c.identifier),
        _ => c.identifier.clone(),
    }
}

/// The keywords, each once: one spelt the same in English and Italian (a name, such as
/// "Eurocities") is a single literal without a language, else a harvester that ignores the
/// language (ckanext-dcat's tags) gets it twice.
pub(super) fn keywords(c: &crate::config::Config) -> Vec<(&str, Option<&'static str>)> {
    let mut out: Vec<(&str, Option<&'static str>)> = Vec::new();
    let both = |k: &str| c.keywords.iter().any(|e| e == k) && c.keywords_it.iter().any(|i| i == k);
    for (list, lang) in [(&c.keywords, "en"), (&c.keywords_it, "it")] {
        for k in list.iter().filter(|k| !k.is_empty()) {
            let entry = (k.as_str(), if both(k) { None } else { Some(lang) });
            if !out.contains(&entry) {
                out.push(entry);
            }
        }
    }
    out
}

/// The DCAT-AP / DCAT-AP_IT catalog.
pub fn catalog_triples(p: &Facts<'_>) -> Vec<Triple> {
    let c = &p.config;
    let mut g = Graph::default();
    let catalog = url(p, "catalog");
    let dataset = url(p, "catalog#dataset");
    let service = url(p, "sparql#service");
    let home = url(p, "");
    let endpoint = url(p, "sparql");
    let (modified_time, build_date) = timestamp(p.modified);
    let modified = Literal::new_typed_literal(modified_time, xsd::DATE_TIME);
    let issued = match c.issued.as_deref() {
        Some(d) if is_date(d) => Literal::new_typed_literal(d, xsd::DATE),
        Some(d) => {
            tracing::warn!(
                "reti.toml: issued = `{d}` is not a date (YYYY-MM-DD); using the build date"
            );
            Literal::new_typed_literal(build_date, xsd::DATE)
        }
        None => Literal::new_typed_literal(build_date, xsd::DATE),
    };

    // agents and contact point
    let publisher = agent(&mut g, p, &c.publisher, "publisher");
    let rights_holder = if c.rights_holder == c.publisher {
        publisher.clone()
    } else {
        agent(&mut g, p, &c.rights_holder, "rights-holder")
    };
    let contact = url(p, "catalog#contact");
    g.a(&contact, vcard::ORGANIZATION);
    g.a(&contact, vcard::KIND);
    g.a(&contact, dcatapit::ORGANIZATION);
    g.add(
        &contact,
        vcard::FN,
        Literal::new_simple_literal(&c.contact.name),
    );
    let mailto = if c.contact.email.starts_with("mailto:") {
        c.contact.email.clone()
    } else {
        format!("mailto:{}", c.contact.email)
    };
    if let Some(mail) = iri(&mailto) {
        g.add(&contact, vcard::HAS_EMAIL, mail);
    }

    // licence
    let licence = iri(&c.licence);
    if let Some(l) = &licence {
        licence_triples(&mut g, c, l);
    }

    // controlled vocabularies
    let theme_scheme = NamedNode::new_unchecked(authority::DATA_THEME);
    let themes: Vec<NamedNode> = c.themes.iter().filter_map(|t| iri(t)).collect();
    for theme in &themes {
        let code = local_name(theme.as_str());
        match theme_labels(code) {
            Some((en, it)) => concept(&mut g, theme, en, Some(it)),
            None => concept(&mut g, theme, code, None),
        }
        if theme
            .as_str()
            .starts_with(&format!("{}/", authority::DATA_THEME))
        {
            g.add(theme, skos::IN_SCHEME, theme_scheme.clone());
        }
    }
    g.a(&theme_scheme, skos::CONCEPT_SCHEME);
    g.text(&theme_scheme, dct::TITLE, "Data theme", "en");
    g.text(&theme_scheme, dct::TITLE, "Tema dei dati", "it");
    let languages: Vec<NamedNode> = c.languages.iter().filter_map(|l| iri(l)).collect();
    for l in &languages {
        g.a(l, dct::LINGUISTIC_SYSTEM);
    }
    let spatial: Vec<NamedNode> = c.spatial.iter().filter_map(|s| iri(s)).collect();
    for s in &spatial {
        g.a(s, dct::LOCATION);
        // DCAT-AP_IT (and ckanext-dcatapit) read the location from this literal only
        g.add(
            s,
            dcatapit::GEOGRAPHICAL_IDENTIFIER,
            Literal::new_simple_literal(s.as_str()),
        );
        if let Some(geometry) = c.spatial_geometry.iter().find(|x| x.iri == s.as_str()) {
            if let Some(bbox) = &geometry.bbox {
                g.typed(s, dcat::BBOX, bbox.as_str(), gsp::WKT_LITERAL);
            }
            if let Some(centroid) = &geometry.centroid {
                g.typed(s, dcat::CENTROID, centroid.as_str(), gsp::WKT_LITERAL);
            }
        }
    }
    let frequency = iri(&c.accrual_periodicity);
    if let Some(f) = &frequency {
        g.a(f, dct::FREQUENCY);
        if f.as_str().starts_with(authority::FREQUENCY)
            && let Some((en, it)) = frequency_labels(local_name(f.as_str()))
        {
            g.text(f, skos::PREF_LABEL, en, "en");
            g.text(f, skos::PREF_LABEL, it, "it");
        }
    }
    let public = NamedNode::new_unchecked(authority::PUBLIC);
    g.a(&public, dct::RIGHTS_STATEMENT);
    let stable = NamedNode::new_unchecked(authority::STABLE);
    concept(&mut g, &stable, "stable", Some("stabile"));
    g.a(&home, foaf::DOCUMENT);
    let ontology = crate::vocab::reti::ONTOLOGY.into_owned();
    g.a(&ontology, dct::STANDARD);
    g.text(&ontology, dct::TITLE, "reti: networks of cities", "en");
    let protocol = NamedNode::new_unchecked(authority::SPARQL_PROTOCOL);
    g.a(&protocol, dct::STANDARD);
    g.text(&protocol, dct::TITLE, "SPARQL 1.1 Protocol", "en");
    let query_language = NamedNode::new_unchecked(authority::SPARQL_QUERY);
    g.a(&query_language, dct::STANDARD);
    g.text(
        &query_language,
        dct::TITLE,
        "SPARQL 1.1 Query Language",
        "en",
    );

    // what the catalog, the dataset and the service share
    let common = |g: &mut Graph, node: &NamedNode| {
        g.add(node, dct::PUBLISHER, publisher.clone());
    };

    // the catalog
    g.a(&catalog, dcat::CATALOG);
    g.a(&catalog, dcatapit::CATALOG);
    g.text(
        &catalog,
        dct::TITLE,
        &format!("{}: data catalog", c.title),
        "en",
    );
    g.text(
        &catalog,
        dct::TITLE,
        &format!("{}: catalogo dei dati", c.title_it),
        "it",
    );
    g.text(
        &catalog,
        dct::DESCRIPTION,
        &format!(
            "The dataset \"{}\", its downloads in six RDF formats and its SPARQL endpoint.",
            c.title
        ),
        "en",
    );
    g.text(
        &catalog,
        dct::DESCRIPTION,
        &format!(
            "Il dataset \"{}\", i suoi scaricamenti in sei formati RDF e il suo endpoint SPARQL.",
            c.title_it
        ),
        "it",
    );
    common(&mut g, &catalog);
    g.add(&catalog, dct::MODIFIED, modified.clone());
    g.add(&catalog, dct::ISSUED, issued.clone());
    g.add(&catalog, foaf::HOMEPAGE, home.clone());
    g.add(&catalog, dcat::THEME_TAXONOMY, theme_scheme.clone());
    g.add(&catalog, dcat::DATASET, dataset.clone());
    g.add(&catalog, dcat::SERVICE, service.clone());
    if let Some(l) = &licence {
        g.add(&catalog, dct::LICENSE, l.clone());
    }
    for l in &languages {
        g.add(&catalog, dct::LANGUAGE, l.clone());
    }
    for s in &spatial {
        g.add(&catalog, dct::SPATIAL, s.clone());
    }

    // the dataset
    g.a(&dataset, dcat::DATASET_CLASS);
    g.a(&dataset, dcatapit::DATASET);
    g.add(
        &dataset,
        dct::IDENTIFIER,
        Literal::new_simple_literal(dataset_identifier(c)),
    );
    g.text(&dataset, dct::TITLE, &c.title, "en");
    g.text(&dataset, dct::TITLE, &c.title_it, "it");
    g.text(&dataset, dct::DESCRIPTION, &c.description, "en");
    g.text(&dataset, dct::DESCRIPTION, &c.description_it, "it");
    common(&mut g, &dataset);
    g.add(&dataset, dct::RIGHTS_HOLDER, rights_holder.clone());
    g.add(&dataset, dcat::CONTACT_POINT, contact.clone());
    g.add(&dataset, dct::MODIFIED, modified.clone());
    g.add(&dataset, dct::ISSUED, issued.clone());
    g.add(&dataset, dcat::LANDING_PAGE, home.clone());
    g.add(&dataset, dct::CONFORMS_TO, ontology.clone());
    g.add(&dataset, dct::ACCESS_RIGHTS, public.clone());
    if let Some(f) = &frequency {
        g.add(&dataset, dct::ACCRUAL_PERIODICITY, f.clone());
    }
    for node in [&dataset, &service] {
        for t in &themes {
            g.add(node, dcat::THEME, t.clone());
        }
        for (k, lang) in keywords(c) {
            match lang {
                Some(lang) => g.text(node, dcat::KEYWORD, k, lang),
                None => g.add(node, dcat::KEYWORD, Literal::new_simple_literal(k)),
            }
        }
    }
    for l in &languages {
        g.add(&dataset, dct::LANGUAGE, l.clone());
    }
    for s in &spatial {
        g.add(&dataset, dct::SPATIAL, s.clone());
    }
    if let Some((from, until)) = p.statistics.years {
        let period = url(p, "catalog#temporal");
        g.a(&period, dct::PERIOD_OF_TIME);
        g.typed(&period, dcat::START_DATE, format!("{from:04}"), xsd::G_YEAR);
        g.typed(&period, dcat::END_DATE, format!("{until:04}"), xsd::G_YEAR);
        // DCAT-AP_IT reads schema.org's dates, as xsd:date: the first day of the first year,
        // the last day of the last
        g.typed(
            &period,
            schema_http::START_DATE,
            format!("{from:04}-01-01"),
            xsd::DATE,
        );
        g.typed(
            &period,
            schema_http::END_DATE,
            format!("{until:04}-12-31"),
            xsd::DATE,
        );
        g.add(&dataset, dct::TEMPORAL, period);
    }

    // one distribution per dump
    for d in p.dumps {
        let ext = d.format.extension();
        let id = if d.compressed {
            format!("{ext}-gz")
        } else {
            ext.to_owned()
        };
        let dist = url(p, &format!("catalog#distribution-{id}"));
        let name = if d.compressed {
            format!("{}, gzip", format_name(d.format))
        } else {
            format_name(d.format).to_owned()
        };
        g.add(&dataset, dcat::DISTRIBUTION, dist.clone());
        g.a(&dist, dcat::DISTRIBUTION_CLASS);
        g.a(&dist, dcatapit::DISTRIBUTION);
        g.text(&dist, dct::TITLE, &format!("{} ({name})", c.title), "en");
        g.text(&dist, dct::TITLE, &format!("{} ({name})", c.title_it), "it");
        let name = format_name(d.format);
        let (mut en, mut it) = if d.format.keeps_graphs() {
            (
                format!("The whole dataset in {name}, one named graph per source."),
                format!("L'intero dataset in {name}, un grafo nominato per fonte."),
            )
        } else {
            (
                format!("The whole dataset in {name}: the merge of the graphs of all sources."),
                format!("L'intero dataset in {name}: l'unione dei grafi di tutte le fonti."),
            )
        };
        if d.compressed {
            en.push_str(&format!(
                " Compressed with gzip: it decompresses to {}.",
                export::dump_file_name(d.format)
            ));
            it.push_str(&format!(
                " Compresso con gzip: decompresso è {}.",
                export::dump_file_name(d.format)
            ));
        }
        g.text(&dist, dct::DESCRIPTION, &en, "en");
        g.text(&dist, dct::DESCRIPTION, &it, "it");
        g.add(&dist, dcat::ACCESS_URL, url(p, "dumps/"));
        g.add(
            &dist,
            dcat::DOWNLOAD_URL,
            url(p, &format!("dumps/{}", d.name)),
        );
        // the media type of the content; a compressed dump says how it is compressed
        // (DCAT 3's dcat:compressFormat; dcat:packageFormat is for archives of several files,
        // which a .gz of one dump is not)
        let media = media_type(&mut g, d.format.media_type());
        g.add(&dist, dcat::MEDIA_TYPE, media);
        if d.compressed {
            let gzip = media_type(&mut g, "application/gzip");
            g.add(&dist, dcat::COMPRESS_FORMAT, gzip);
        }
        let ft =
            NamedNode::new_unchecked(format!("{}{}", authority::FILE_TYPE, file_type(d.format)));
        g.a(&ft, dct::MEDIA_TYPE_OR_EXTENT);
        g.text(&ft, skos::PREF_LABEL, format_name(d.format), "en");
        g.add(&dist, dct::FORMAT, ft);
        g.typed(
            &dist,
            dcat::BYTE_SIZE,
            d.size.to_string(),
            xsd::NON_NEGATIVE_INTEGER,
        );
        let checksum = url(p, &format!("catalog#distribution-{id}-checksum"));
        g.add(&dist, spdx::CHECKSUM, checksum.clone());
        g.a(&checksum, spdx::CHECKSUM_CLASS);
        g.add(&checksum, spdx::ALGORITHM, spdx::SHA256);
        g.typed(
            &checksum,
            spdx::CHECKSUM_VALUE,
            d.sha256.as_str(),
            xsd::HEX_BINARY,
        );
        if let Some(l) = &licence {
            g.add(&dist, dct::LICENSE, l.clone());
        }
        g.add(&dist, dcatap::AVAILABILITY, stable.clone());
        g.add(&dist, dct::MODIFIED, modified.clone());
    }

    // the SPARQL endpoint, as a data service and as a distribution accessed through it
    let dist = url(p, "catalog#distribution-sparql");
    g.add(&dataset, dcat::DISTRIBUTION, dist.clone());
    g.a(&dist, dcat::DISTRIBUTION_CLASS);
    g.a(&dist, dcatapit::DISTRIBUTION);
    g.text(
        &dist,
        dct::TITLE,
        &format!("{} (SPARQL endpoint)", c.title),
        "en",
    );
    g.text(
        &dist,
        dct::TITLE,
        &format!("{} (endpoint SPARQL)", c.title_it),
        "it",
    );
    g.text(
        &dist,
        dct::DESCRIPTION,
        "The whole dataset through SPARQL 1.1 queries; the default graph is the merge of the graphs of all sources, each source's statements are also in their own named graph.",
        "en",
    );
    g.text(
        &dist,
        dct::DESCRIPTION,
        "L'intero dataset tramite interrogazioni SPARQL 1.1; il grafo predefinito è l'unione dei grafi di tutte le fonti, e le affermazioni di ogni fonte sono anche nel loro grafo nominato.",
        "it",
    );
    g.add(&dist, dcat::ACCESS_URL, endpoint.clone());
    g.add(&dist, dcat::ACCESS_SERVICE, service.clone());
    let sparql_type = NamedNode::new_unchecked(format!("{}SPARQLQ", authority::FILE_TYPE));
    g.a(&sparql_type, dct::MEDIA_TYPE_OR_EXTENT);
    g.text(&sparql_type, skos::PREF_LABEL, "SPARQL query", "en");
    g.add(&dist, dct::FORMAT, sparql_type);
    if let Some(l) = &licence {
        g.add(&dist, dct::LICENSE, l.clone());
    }
    g.add(&dist, dcatap::AVAILABILITY, stable.clone());
    g.add(&dist, dct::MODIFIED, modified.clone());

    g.a(&service, dcat::DATA_SERVICE);
    g.text(
        &service,
        dct::TITLE,
        &format!("{}: SPARQL endpoint", c.title),
        "en",
    );
    g.text(
        &service,
        dct::TITLE,
        &format!("{}: endpoint SPARQL", c.title_it),
        "it",
    );
    g.text(
        &service,
        dct::DESCRIPTION,
        "SPARQL 1.1 query endpoint (GET and POST). Its service description is served at the endpoint URL to RDF clients.",
        "en",
    );
    g.text(
        &service,
        dct::DESCRIPTION,
        "Endpoint di interrogazione SPARQL 1.1 (GET e POST). La descrizione del servizio è servita all'URL dell'endpoint ai client RDF.",
        "it",
    );
    g.add(&service, dcat::ENDPOINT_URL, endpoint.clone());
    g.add(&service, dcat::ENDPOINT_DESCRIPTION, endpoint);
    g.add(&service, dcat::SERVES_DATASET, dataset.clone());
    g.add(&service, dct::CONFORMS_TO, protocol);
    g.add(&service, dct::CONFORMS_TO, query_language);
    g.add(&service, dcat::CONTACT_POINT, contact);
    g.add(&service, dct::ACCESS_RIGHTS, public);
    common(&mut g, &service);
    if let Some(l) = &licence {
        g.add(&service, dct::LICENSE, l.clone());
    }
    g.finish()
}
