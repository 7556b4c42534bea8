//! Content negotiation: which representation a client gets, from its `Accept` header, a
//! `?format=` parameter or a file extension, and in which language, from `?lang=` or
//! `Accept-Language`. Every handler asks through [`Negotiation`] (or, where the parameters come
//! from a form body, [`choose`]), so an unknown format is the same 400 everywhere and an
//! unacceptable `Accept` the same 406.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use headers_accept::Accept;
use mediatype::MediaType;
use std::str::FromStr;

/// A representation reti can produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Repr {
    /// HTML page.
    Html,
    /// Turtle.
    Turtle,
    /// N-Triples.
    NTriples,
    /// RDF/XML.
    RdfXml,
    /// JSON-LD.
    JsonLd,
    /// TriG.
    TriG,
    /// N-Quads.
    NQuads,
    /// SPARQL results JSON.
    SparqlJson,
    /// SPARQL results XML.
    SparqlXml,
    /// SPARQL results CSV.
    Csv,
    /// SPARQL results TSV.
    Tsv,
    /// Plain JSON (listings).
    Json,
}

impl Repr {
    /// The media type sent in `Content-Type` (and matched against `Accept`).
    pub fn media_type(self) -> &'static str {
        match self {
            Repr::Html => "text/html",
            Repr::Turtle => "text/turtle",
            Repr::NTriples => "application/n-triples",
            Repr::RdfXml => "application/rdf+xml",
            Repr::JsonLd => "application/ld+json",
            Repr::TriG => "application/trig",
            Repr::NQuads => "application/n-quads",
            Repr::SparqlJson => "application/sparql-results+json",
            Repr::SparqlXml => "application/sparql-results+xml",
            Repr::Csv => "text/csv",
            Repr::Tsv => "text/tab-separated-values",
            Repr::Json => "application/json",
        }
    }

    /// `Content-Type` header value, with a charset for text.
    pub fn content_type(self) -> String {
        match self {
            Repr::Html | Repr::Turtle | Repr::Csv | Repr::Tsv => {
                format!("{}; charset=utf-8", self.media_type())
            }
            other => other.media_type().to_owned(),
        }
    }

    /// File extension and `?format=` name.
    pub fn extension(self) -> &'static str {
        match self {
            Repr::Html => "html",
            Repr::Turtle => "ttl",
            Repr::NTriples => "nt",
            Repr::RdfXml => "rdf",
            Repr::JsonLd => "jsonld",
            Repr::TriG => "trig",
            Repr::NQuads => "nq",
            Repr::SparqlJson | Repr::Json => "json",
            Repr::SparqlXml => "xml",
            Repr::Csv => "csv",
            Repr::Tsv => "tsv",
        }
    }

    /// The representation named by a `?format=` value or an extension, among `available`.
    pub fn from_name(name: &str, available: &[Repr]) -> Option<Repr> {
        let name = name.to_ascii_lowercase();
        available.iter().copied().find(|r| {
            r.extension() == name
                || r.media_type() == name
                || matches!(
                    (r, name.as_str()),
                    (Repr::Turtle, "turtle")
                        | (Repr::JsonLd, "json-ld")
                        | (Repr::RdfXml, "rdfxml" | "xml")
                        | (Repr::NTriples, "ntriples")
                        | (Repr::NQuads, "nquads")
                )
        })
    }

    /// Extra media types clients use for the same representation.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Repr::Html => &["application/xhtml+xml"],
            Repr::Turtle => &["application/x-turtle", "application/turtle"],
            Repr::NTriples => &["text/plain"],
            Repr::RdfXml => &["application/xml", "text/xml"],
            Repr::JsonLd => &[],
            Repr::SparqlJson => &["application/json"],
            Repr::SparqlXml => &["application/xml", "text/xml"],
            _ => &[],
        }
    }
}

/// The client accepts none of the representations offered.
#[derive(Debug)]
pub struct NotAcceptable {
    /// What could have been served.
    pub available: Vec<Repr>,
}

impl NotAcceptable {
    /// A message listing what is available.
    pub fn message(&self) -> String {
        let list: Vec<&str> = self.available.iter().map(|r| r.media_type()).collect();
        format!(
            "none of the media types in Accept can be served here; available: {}",
            list.join(", ")
        )
    }
}

/// Chooses among `available` (in the server's order of preference) by the request's `Accept`
/// header. No header, or one that cannot be parsed, means "anything": the first available.
pub fn negotiate(headers: &HeaderMap, available: &[Repr]) -> Result<Repr, NotAcceptable> {
    let Some(value) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return available.first().copied().ok_or(NotAcceptable {
            available: Vec::new(),
        });
    };
    // headers-accept orders by quality; very long headers are cut to keep parsing cheap
    let value: String = value.chars().take(4096).collect();
    let Ok(accept) = Accept::from_str(&value) else {
        return available.first().copied().ok_or(NotAcceptable {
            available: Vec::new(),
        });
    };
    // Offer each representation under its main media type and its aliases.
    let mut offered: Vec<(MediaType<'static>, Repr)> = Vec::new();
    for repr in available {
        for name in std::iter::once(repr.media_type()).chain(repr.aliases().iter().copied()) {
            if let Ok(mt) = MediaType::parse(name)
                && !offered.iter().any(|(m, _)| *m == mt)
            {
                offered.push((mt, *repr));
            }
        }
    }
    let types: Vec<MediaType<'static>> = offered.iter().map(|(m, _)| m.clone()).collect();
    accept
        .negotiate(&types)
        .and_then(|chosen| offered.iter().find(|(m, _)| m == chosen).map(|(_, r)| *r))
        .ok_or_else(|| NotAcceptable {
            available: available.to_vec(),
        })
}

/// The representation a request asks for among `available`: `?format=` when given (a name of
/// [`Repr::from_name`]), else by `Accept`. An unknown format is 400, naming the ones there are;
/// an `Accept` that allows none of them is 406 (with `Vary: Accept`, since another client would
/// get an answer).
pub fn choose(
    headers: &HeaderMap,
    format: Option<&str>,
    available: &[Repr],
) -> Result<Repr, Box<Response>> {
    if let Some(name) = format {
        return Repr::from_name(name, available).ok_or_else(|| {
            let mut names: Vec<&str> = available.iter().map(|r| r.extension()).collect();
            names.dedup();
            Box::new(super::plain_error(
                StatusCode::BAD_REQUEST,
                &format!("unknown format `{name}`; use one of {}", names.join(", ")),
            ))
        });
    }
    negotiate(headers, available).map_err(|e| {
        Box::new(super::vary_accept(super::plain_error(
            StatusCode::NOT_ACCEPTABLE,
            &e.message(),
        )))
    })
}

/// What a request says about the representation and language it wants: `?format=`, `?lang=`,
/// `Accept` and `Accept-Language`, read once by an extractor for every handler.
#[derive(Debug, Clone)]
pub struct Negotiation {
    headers: HeaderMap,
    format: Option<String>,
    /// `?lang=`, else `Accept-Language`.
    pub lang: Lang,
    /// Whether `?lang=` chose the language.
    pub explicit_lang: bool,
}

impl Negotiation {
    /// See [`choose`].
    pub fn repr(&self, available: &[Repr]) -> Result<Repr, Box<Response>> {
        choose(&self.headers, self.format.as_deref(), available)
    }

    /// The `?format=` value, if any.
    pub fn format(&self) -> Option<&str> {
        self.format.as_deref()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Negotiation {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let mut format = None;
        let mut lang = None;
        for (key, value) in form_urlencoded_pairs(parts.uri.query().unwrap_or("")) {
            match key.as_str() {
                "format" if format.is_none() => format = Some(value),
                "lang" if lang.is_none() => lang = Some(value),
                _ => {}
            }
        }
        Ok(Self {
            lang: Lang::from_headers(&parts.headers, lang.as_deref()),
            explicit_lang: lang.is_some(),
            headers: parts.headers.clone(),
            format,
        })
    }
}

/// The pairs of a query string, percent-decoded (`+` is a space); undecodable bytes are
/// replaced, so that a bad `?x=` never stops a page from being served.
fn form_urlencoded_pairs(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    query.split('&').filter(|p| !p.is_empty()).map(|part| {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(&s.replace('+', " "))
                .decode_utf8_lossy()
                .into_owned()
        };
        (decode(k), decode(v))
    })
}

/// Whether the client asks for HTML before any RDF format (browsers do).
pub(crate) fn prefers_html(headers: &HeaderMap) -> bool {
    negotiate(headers, &[Repr::Turtle, Repr::Html]).is_ok_and(|r| r == Repr::Html)
        && headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("html"))
}

/// The reader's language, from `Accept-Language`: Italian or English (the default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// Italian.
    It,
}

impl Lang {
    /// BCP 47 tag.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::It => "it",
        }
    }

    /// The preferred language of `Accept-Language`, or `?lang=` when given.
    pub(crate) fn from_headers(headers: &HeaderMap, explicit: Option<&str>) -> Lang {
        if let Some(l) = explicit {
            return if l.eq_ignore_ascii_case("it") {
                Lang::It
            } else {
                Lang::En
            };
        }
        let Some(value) = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
        else {
            return Lang::En;
        };
        let mut best = (Lang::En, -1.0_f32);
        for part in value.split(',').take(64) {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = pieces
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let lang = if tag == "it" || tag.starts_with("it-") {
                Some(Lang::It)
            } else if tag == "en" || tag.starts_with("en-") {
                Some(Lang::En)
            } else {
                None
            };
            if let Some(lang) = lang
                && q > best.1
            {
                best = (lang, q);
            }
        }
        best.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn accept(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT, HeaderValue::from_str(v).expect("header"));
        h
    }

    #[test]
    fn browsers_get_html_and_rdf_clients_rdf() {
        let docs = [Repr::Turtle, Repr::Html, Repr::JsonLd];
        let firefox = accept("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        assert_eq!(negotiate(&firefox, &docs).ok(), Some(Repr::Html));
        assert_eq!(
            negotiate(&accept("text/turtle"), &docs).ok(),
            Some(Repr::Turtle)
        );
        assert_eq!(
            negotiate(
                &accept("application/ld+json;q=0.9, text/turtle;q=0.5"),
                &docs
            )
            .ok(),
            Some(Repr::JsonLd)
        );
        assert_eq!(negotiate(&accept("*/*"), &docs).ok(), Some(Repr::Turtle));
        assert_eq!(negotiate(&HeaderMap::new(), &docs).ok(), Some(Repr::Turtle));
        assert!(negotiate(&accept("image/png"), &docs).is_err());
        assert!(prefers_html(&firefox));
        assert!(!prefers_html(&accept("*/*")));
    }

    #[test]
    fn languages() {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("it-IT,it;q=0.9,en;q=0.8"),
        );
        assert_eq!(Lang::from_headers(&h, None), Lang::It);
        h.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("de, en;q=0.5, it;q=0.4"),
        );
        assert_eq!(Lang::from_headers(&h, None), Lang::En);
        assert_eq!(Lang::from_headers(&h, Some("it")), Lang::It);
    }
}
