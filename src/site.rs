//! `reti export --site DIR`: the whole published site as static files, for a static host or a
//! CDN when traffic outgrows one process.
//!
//! Every file is what `reti serve` answers for the same request under the same base: the site
//! is made by building one [`Published`] and asking the server's own router, in process, for
//! every document in every format, the home page, the dumps, the catalog, VoID, the ontology,
//! the stored queries and their results, the report and the assets. So live and static output
//! share one code path, and a file of the site is byte-identical to the live body.
//!
//! What a file tree cannot do by itself — 303 redirects from `/id/…`, content negotiation,
//! `?format=` and `?lang=`, media types, CORS — the server configuration written into the site
//! does: `_server/nginx-http.conf` and `_server/nginx.conf` for nginx, `.htaccess` (the same
//! rules as `_server/apache.conf`) for Apache. Negotiation there is coarse: the first media type
//! of `Accept` that the site has wins, q-values are not weighed.
//!
//! Layout: `doc/{kind}/{slug}.{html,ttl,jsonld,nt,rdf}`, `index.html`, `dumps/…`,
//! `dumps/index.{html,json}`, `queries/index.{html,json}`, `queries/{name}.{ext}` (SPARQL
//! results JSON and XML as `.srj` and `.srx`, their registered extensions), `catalog.{ext}`,
//! `.well-known/void.{ext}`, `ontology.{ext}`, `report.{ext}`, `context.jsonld`, `assets/`,
//! `sparql.html` (the page that says there is no endpoint here), `_errors/404.{html,txt}`, and
//! `_lang/it/…`: the Italian version of every file whose content depends on the language.
//!
//! The site is built in a temporary directory beside `DIR` and moved into place only once
//! complete, so a failed build never replaces a good site.

use crate::export;
use crate::rdf::KINDS;
use crate::server::negotiate::Lang;
use crate::server::{AppState, BuildOptions, DOCUMENT_FORMATS, PublishError, Published, Settings};
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Request, StatusCode, header};
use bytes::Bytes;
use oxigraph::model::{GraphNameRef, NamedOrBlankNode};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;
use tower::ServiceExt;

/// What to publish as a static site.
#[derive(Debug, Clone)]
pub struct SiteOptions {
    /// The data, stored queries, catalog metadata and base, as for `reti serve`. The base is
    /// where the site will be served: every IRI, link and redirect uses it.
    pub build: BuildOptions,
    /// A live SPARQL endpoint that `/sparql` on the static site redirects to (307, query
    /// string kept). Without it, `/sparql` answers 501 with a page that points to the dumps and
    /// the stored queries.
    pub sparql_endpoint: Option<String>,
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteSummary {
    /// Files written (configuration included).
    pub files: usize,
    /// Their total size.
    pub bytes: u64,
    /// Resources with documents (`/id/{kind}/{slug}`).
    pub resources: usize,
}

/// Why a site could not be written. The directory, if it held a site, is left as it was.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    /// The data, queries or metadata do not build.
    #[error(transparent)]
    Publish(#[from] PublishError),
    /// A file or directory could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// Where.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The target exists and is not a site this command wrote: it is never replaced.
    #[error(
        "{} exists, is not empty and is not a site written by `reti export --site` (it has no \
         _server/nginx.conf); remove it or choose another directory",
        dir.display()
    )]
    NotASite {
        /// The directory given.
        dir: PathBuf,
    },
    /// The server did not answer 200 for something it publishes (a bug, or broken content).
    #[error("the server answered {status} for {uri}: {body}")]
    Status {
        /// The request.
        uri: String,
        /// Its status.
        status: u16,
        /// The start of the body.
        body: String,
    },
    /// The server answered in a media type the site has no file extension for.
    #[error(
        "the server answered {uri} as `{content_type}`, which the static site has no extension for"
    )]
    UnknownType {
        /// The request.
        uri: String,
        /// Its `Content-Type`.
        content_type: String,
    },
    /// Two different files would have the same name.
    #[error(
        "two different files would be written to {file}; a stored query named like a listing \
         (`index`) clashes with it: rename the query"
    )]
    Clash {
        /// The file.
        file: String,
    },
    /// A URL cannot be written into a server configuration safely.
    #[error(
        "{what} `{url}` cannot be written into the server configuration: it contains `{found}`; \
         give an http(s) URL without spaces, quotes, `$`, `%`, `;`, `\\`, braces or `#`"
    )]
    UnsafeUrl {
        /// Which option.
        what: &'static str,
        /// Its value.
        url: String,
        /// The character refused.
        found: char,
    },
    /// The in-process runtime could not start.
    #[error("cannot start the runtime that renders the site: {0}")]
    Runtime(std::io::Error),
}

/// Every kind of file the site holds, by extension, with the `Content-Type` the live server
/// sends for it. The server configurations are written from this table, and every file of the
/// site is named by it, so a type can never be missing from one of them.
pub const FILE_TYPES: &[(&str, &str)] = &[
    ("html", "text/html; charset=utf-8"),
    ("css", "text/css; charset=utf-8"),
    ("js", "text/javascript; charset=utf-8"),
    ("ttl", "text/turtle; charset=utf-8"),
    ("jsonld", "application/ld+json"),
    ("nt", "application/n-triples"),
    ("rdf", "application/rdf+xml"),
    ("trig", "application/trig"),
    ("nq", "application/n-quads"),
    ("csv", "text/csv; charset=utf-8"),
    ("tsv", "text/tab-separated-values; charset=utf-8"),
    ("srj", "application/sparql-results+json"),
    ("srx", "application/sparql-results+xml"),
    ("json", "application/json"),
    ("txt", "text/plain; charset=utf-8"),
    // the compressed dumps, served as the files they are: never as a Content-Encoding of the
    // dump inside
    ("gz", "application/gzip"),
];

/// Files without an extension (`dumps/SHA256SUMS`) are served as this.
pub const DEFAULT_TYPE: &str = "text/plain; charset=utf-8";

/// The extension of the site's files for a `Content-Type`.
fn extension_for(content_type: &str) -> Option<&'static str> {
    let media = content_type.split(';').next().unwrap_or("").trim();
    FILE_TYPES
        .iter()
        .find(|(_, ct)| ct.split(';').next().unwrap_or("").trim() == media)
        .map(|(ext, _)| *ext)
}

/// Builds the data and writes the static site to `dir`, replacing the site there (only a site
/// this command wrote, never another directory). Blocking.
pub fn export_site(options: &SiteOptions, dir: &Path) -> Result<SiteSummary, SiteError> {
    check_url("--base", options.build.base.as_str())?;
    if let Some(endpoint) = &options.sparql_endpoint {
        check_url("--sparql-endpoint", endpoint)?;
    }
    if !replaceable(dir) {
        return Err(SiteError::NotASite {
            dir: dir.to_owned(),
        });
    }
    let published = Published::build(&options.build)?;
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let write_err = |path: &Path| {
        let path = path.to_owned();
        move |source| SiteError::Write { path, source }
    };
    std::fs::create_dir_all(&parent).map_err(write_err(&parent))?;
    export::sweep_abandoned(&parent);
    let staging = tempfile::Builder::new()
        .prefix(&export::temp_prefix())
        .tempdir_in(&parent)
        .map_err(write_err(&parent))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(SiteError::Runtime)?;
    let summary = runtime.block_on(render(published, options, staging.path()))?;
    #[cfg(unix)]
    {
        // a temporary directory is private; a site must be readable by the web server
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(staging.path(), std::fs::Permissions::from_mode(0o755))
            .map_err(write_err(staging.path()))?;
    }
    install(staging, dir, &parent)?;
    Ok(summary)
}

/// Whether `dir` may be replaced: absent, empty, or a site this command wrote.
fn replaceable(dir: &Path) -> bool {
    match std::fs::read_dir(dir) {
        Err(_) => !dir.exists(),
        Ok(mut entries) => {
            entries.next().is_none() || dir.join("_server").join("nginx.conf").is_file()
        }
    }
}

/// Moves the complete site from `staging` to `dir`. An old site is first moved aside (in one
/// rename), then removed once the new one is in place; if the second rename fails, the old
/// site is moved back.
fn install(staging: tempfile::TempDir, dir: &Path, parent: &Path) -> Result<(), SiteError> {
    let err = |path: &Path| {
        let path = path.to_owned();
        move |source| SiteError::Write { path, source }
    };
    if !dir.exists() {
        let staged = staging.keep();
        return std::fs::rename(&staged, dir).map_err(|e| {
            let _ = std::fs::remove_dir_all(&staged);
            err(dir)(e)
        });
    }
    let aside = tempfile::Builder::new()
        .prefix(&export::temp_prefix())
        .tempdir_in(parent)
        .map_err(err(parent))?;
    // renaming a directory onto an empty one replaces it
    std::fs::rename(dir, aside.path()).map_err(err(dir))?;
    let staged = staging.keep();
    if let Err(e) = std::fs::rename(&staged, dir) {
        let _ = std::fs::rename(aside.path(), dir);
        let _ = std::fs::remove_dir_all(&staged);
        return Err(err(dir)(e));
    }
    drop(aside); // removes the old site
    Ok(())
}

/// Refuses characters that would change the meaning of a server configuration line.
fn check_url(what: &'static str, url: &str) -> Result<(), SiteError> {
    let unsafe_char = url.chars().find(|c| {
        c.is_whitespace()
            || c.is_control()
            || matches!(
                c,
                '"' | '\'' | '$' | '%' | ';' | '\\' | '{' | '}' | '#' | '`'
            )
    });
    if let Some(found) = unsafe_char {
        return Err(SiteError::UnsafeUrl {
            what,
            url: url.to_owned(),
            found,
        });
    }
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return Err(SiteError::UnsafeUrl {
            what,
            url: url.to_owned(),
            found: url.chars().next().unwrap_or(' '),
        });
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

/// The files written so far, and where.
struct Out {
    root: PathBuf,
    written: BTreeMap<String, Bytes>,
    bytes: u64,
    modified: SystemTime,
}

impl Out {
    /// Writes `rel` ('/'-separated, made of slugs and known names). Writing the same content
    /// twice is harmless; different content under one name is a clash.
    fn put(&mut self, rel: &str, body: Bytes) -> Result<(), SiteError> {
        if let Some(before) = self.written.get(rel) {
            return if *before == body {
                Ok(())
            } else {
                Err(SiteError::Clash {
                    file: rel.to_owned(),
                })
            };
        }
        let path = self.root.join(rel);
        let err = |source| SiteError::Write {
            path: path.clone(),
            source,
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(err)?;
        }
        let mut file = std::fs::File::create(&path).map_err(err)?;
        file.write_all(&body).map_err(err)?;
        // the files carry the data's date, so Last-Modified is the live server's
        file.set_modified(self.modified).map_err(err)?;
        self.bytes += body.len() as u64;
        self.written.insert(rel.to_owned(), body);
        Ok(())
    }
}

/// Asks the router for every published thing and writes the answers under `root`.
async fn render(
    published: Published,
    options: &SiteOptions,
    root: &Path,
) -> Result<SiteSummary, SiteError> {
    let resources = resources(&published);
    let dumps: Vec<String> = published.dumps.iter().map(|d| d.name.clone()).collect();
    let queries: Vec<String> = published.queries.iter().map(|q| q.name.clone()).collect();
    let state = AppState::new(published, Settings::default());
    let mut site = Site {
        router: crate::server::app(Arc::clone(&state)),
        out: Out {
            root: root.to_owned(),
            written: BTreeMap::new(),
            bytes: 0,
            modified: state.current().modified,
        },
    };
    site.save("/", "text/html", Name::File("index.html"))
        .await?;
    for (asset, _, _) in crate::server::ASSETS {
        let path = format!("/assets/{asset}");
        site.save(&path, "*/*", Name::File(&path[1..])).await?;
    }
    site.save("/context.jsonld", "*/*", Name::File("context.jsonld"))
        .await?;
    for (kind, slug) in &resources {
        for repr in DOCUMENT_FORMATS {
            let path = format!("/doc/{kind}/{slug}.{}", repr.extension());
            site.save(&path, "*/*", Name::File(&path[1..])).await?;
        }
    }
    for name in dumps.iter().map(String::as_str).chain(["SHA256SUMS"]) {
        let path = format!("/dumps/{name}");
        site.save(&path, "*/*", Name::File(&path[1..])).await?;
    }
    for listing in ["dumps", "queries"] {
        let path = format!("/{listing}/");
        for accept in ["text/html", "application/json"] {
            site.save(&path, accept, Name::Stem(&format!("{listing}/index")))
                .await?;
        }
    }
    // every format a stored query offers (the others answer 400)
    const QUERY_FORMATS: [&str; 10] = [
        "csv", "json", "tsv", "xml", "html", "ttl", "nt", "rdf", "jsonld", "trig",
    ];
    for name in &queries {
        for format in QUERY_FORMATS {
            let path = format!("/queries/{name}?format={format}");
            site.save_offered(&path, &format!("queries/{name}")).await?;
        }
    }
    let all_formats: Vec<&str> = DOCUMENT_FORMATS.iter().map(|r| r.extension()).collect();
    for (path, stem) in [
        ("/catalog", "catalog"),
        ("/.well-known/void", ".well-known/void"),
        ("/ontology", "ontology"),
        ("/report", "report"),
    ] {
        for format in &all_formats {
            site.save_offered(&format!("{path}?format={format}"), stem)
                .await?;
        }
    }
    // pages rendered outside the router: the 404 and, without an endpoint, /sparql
    let current = state.current();
    let mut pages: Vec<(&str, [Bytes; 2])> = Vec::new();
    let mut not_found = [Bytes::new(), Bytes::new()];
    for (i, lang) in [Lang::En, Lang::It].into_iter().enumerate() {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_static("text/html"));
        headers.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static(lang.tag()),
        );
        let page = crate::server::error_page(&headers, StatusCode::NOT_FOUND, NOT_FOUND);
        not_found[i] = body_of(page).await?;
    }
    pages.push(("_errors/404.html", not_found));
    if options.sparql_endpoint.is_none() {
        let page = |lang| Bytes::from(crate::server::static_sparql_page(&current, lang));
        pages.push(("sparql.html", [page(Lang::En), page(Lang::It)]));
    }
    for (file, [english, italian]) in pages {
        site.put_both(file, english, italian)?;
    }
    let text = body_of(crate::server::plain_error(StatusCode::NOT_FOUND, NOT_FOUND)).await?;
    site.out.put("_errors/404.txt", text)?;
    let base = current.base().as_str().to_owned();
    let endpoint = options.sparql_endpoint.as_deref();
    site.out
        .put("_server/nginx-http.conf", Bytes::from(nginx_http_conf()))?;
    site.out.put(
        "_server/nginx.conf",
        Bytes::from(nginx_conf(&base, endpoint)),
    )?;
    let apache = Bytes::from(apache_conf(&base, endpoint));
    site.out.put("_server/apache.conf", apache.clone())?;
    site.out.put(".htaccess", apache)?;
    site.out
        .put("_server/README.txt", Bytes::from(server_readme(&base)))?;
    Ok(SiteSummary {
        files: site.out.written.len(),
        bytes: site.out.bytes,
        resources: resources.len(),
    })
}

/// The message of the site's 404 pages.
const NOT_FOUND: &str = "nothing is published at this address";

/// Where a language's files go: English at the top, Italian under `_lang/it/`.
fn lang_prefix(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "",
        Lang::It => "_lang/it/",
    }
}

/// `(kind, slug)` of every resource the server dereferences: each subject `{base}id/{kind}/{slug}`
/// of the merged graph with a known kind and a valid slug. Sorted.
fn resources(published: &Published) -> BTreeSet<(String, String)> {
    let prefix = format!("{}id/", published.base().as_str());
    let mut out = BTreeSet::new();
    // The site is always exported from source files, so its store is local.
    let Some(dataset) = published.dataset.local() else {
        return out;
    };
    let quads =
        dataset
            .store()
            .quads_for_pattern(None, None, None, Some(GraphNameRef::DefaultGraph));
    for quad in quads.flatten() {
        let NamedOrBlankNode::NamedNode(subject) = quad.subject else {
            continue;
        };
        let Some((kind, slug)) = subject
            .as_str()
            .strip_prefix(&prefix)
            .and_then(|rest| rest.split_once('/'))
        else {
            continue;
        };
        if KINDS.contains(&kind) && crate::model::is_valid_slug(slug) {
            out.insert((kind.to_owned(), slug.to_owned()));
        }
    }
    out
}

/// How a file is named: exactly, or a stem plus the extension of its `Content-Type`.
enum Name<'a> {
    File(&'a str),
    Stem(&'a str),
}

struct Site {
    router: Router,
    out: Out,
}

impl Site {
    /// GET `uri` in process.
    async fn get(
        &self,
        uri: &str,
        accept: &str,
        lang: Lang,
    ) -> Result<(StatusCode, String, Bytes), SiteError> {
        let request = Request::builder()
            .uri(uri)
            .header(header::ACCEPT, accept)
            .header(header::ACCEPT_LANGUAGE, lang.tag())
            .body(Body::empty())
            .map_err(|e| SiteError::Status {
                uri: uri.to_owned(),
                status: 0,
                body: e.to_string(),
            })?;
        let response = match self.router.clone().oneshot(request).await {
            Ok(r) => r,
            Err(never) => match never {},
        };
        let status = response.status();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let body = body_of(response).await?;
        Ok((status, content_type, body))
    }

    /// Saves the answer to `uri` (English, and Italian where it differs); it must be 200.
    async fn save(&mut self, uri: &str, accept: &str, name: Name<'_>) -> Result<(), SiteError> {
        if !self.save_if_offered(uri, accept, &name).await? {
            let (status, _, body) = self.get(uri, accept, Lang::En).await?;
            return Err(status_error(uri, status, &body));
        }
        Ok(())
    }

    /// Saves the answer to `uri` if it is offered: 400 and 404 (a format not offered there)
    /// are skipped; any other status but 200 is an error.
    async fn save_offered(&mut self, uri: &str, stem: &str) -> Result<(), SiteError> {
        self.save_if_offered(uri, "*/*", &Name::Stem(stem)).await?;
        Ok(())
    }

    async fn save_if_offered(
        &mut self,
        uri: &str,
        accept: &str,
        name: &Name<'_>,
    ) -> Result<bool, SiteError> {
        let (status, content_type, english) = self.get(uri, accept, Lang::En).await?;
        match status {
            StatusCode::OK => {}
            StatusCode::BAD_REQUEST | StatusCode::NOT_FOUND if matches!(name, Name::Stem(_)) => {
                return Ok(false);
            }
            _ => return Err(status_error(uri, status, &english)),
        }
        let file = match name {
            Name::File(f) => (*f).to_owned(),
            Name::Stem(stem) => {
                let ext = extension_for(&content_type).ok_or_else(|| SiteError::UnknownType {
                    uri: uri.to_owned(),
                    content_type: content_type.clone(),
                })?;
                format!("{stem}.{ext}")
            }
        };
        let (_, _, italian) = self.get(uri, accept, Lang::It).await?;
        self.put_both(&file, english, italian)?;
        Ok(true)
    }

    /// Writes `file`, and its Italian version where it differs.
    fn put_both(&mut self, file: &str, english: Bytes, italian: Bytes) -> Result<(), SiteError> {
        if italian != english {
            self.out
                .put(&format!("{}{file}", lang_prefix(Lang::It)), italian)?;
        }
        self.out.put(file, english)
    }
}

fn status_error(uri: &str, status: StatusCode, body: &[u8]) -> SiteError {
    SiteError::Status {
        uri: uri.to_owned(),
        status: status.as_u16(),
        body: String::from_utf8_lossy(body).chars().take(300).collect(),
    }
}

async fn body_of(response: axum::response::Response) -> Result<Bytes, SiteError> {
    axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .map_err(|e| SiteError::Status {
            uri: String::new(),
            status: 500,
            body: format!("cannot read a response body: {e}"),
        })
}

// ---------------------------------------------------------------------------------------------
// Server configuration
// ---------------------------------------------------------------------------------------------

/// Where a choice is made from.
#[derive(Clone, Copy)]
enum Source {
    /// The `Accept` header.
    Accept,
    /// The `?format=` parameter.
    Format,
    /// Another choice.
    Choice(&'static str),
}

/// A test on the source: a case-insensitive regular expression (for `?format=`, of the whole
/// value), the source being empty, or equal to a value.
#[derive(Clone)]
enum Test {
    Regex(String),
    Empty,
    Equals(&'static str),
}

/// A value: literal or another choice.
#[derive(Clone, Copy)]
enum Value {
    Lit(&'static str),
    Choice(&'static str),
}

/// A variable the configuration computes from the request: the first case that matches wins.
/// Written as an nginx `map` and as a chain of Apache `RewriteCond`s.
struct Choice {
    name: &'static str,
    source: Source,
    cases: Vec<(Test, Value)>,
    default: Value,
}

/// A representation as the `Accept` header asks for it: the extension (or token) it is
/// stored under, and the media types (a regular expression) that ask for it.
type Offer = (&'static str, &'static str);

const TURTLE: Offer = ("ttl", r"text/turtle|application/(x-)?turtle");
const HTML: Offer = ("html", r"text/html|application/xhtml\+xml");
const JSONLD: Offer = ("jsonld", r"application/ld\+json");
const NTRIPLES: Offer = ("nt", r"application/n-triples|text/plain");
const RDFXML: Offer = ("rdf", r"application/rdf\+xml|application/xml|text/xml");
const WILDCARD: &str = r"\*/\*|text/\*|application/\*";

/// A choice by `Accept`: the first offer listed first in the header, else the first offer
/// (in the server's order of preference) anywhere in it, else `wildcard` for `*/*`.
fn accept_choice(
    name: &'static str,
    offers: &[Offer],
    empty: &'static str,
    wildcard: &'static str,
    unmatched: &'static str,
) -> Choice {
    let mut cases = vec![(Test::Empty, Value::Lit(empty))];
    for (ext, types) in offers {
        cases.push((Test::Regex(format!(r"^\s*({types})")), Value::Lit(ext)));
    }
    for (ext, types) in offers {
        cases.push((Test::Regex(format!("({types})")), Value::Lit(ext)));
    }
    cases.push((Test::Regex(WILDCARD.to_owned()), Value::Lit(wildcard)));
    Choice {
        name,
        source: Source::Accept,
        cases,
        default: Value::Lit(unmatched),
    }
}

/// A choice by `?format=` (names as the server takes them), or by `absent` without one.
fn format_choice(
    name: &'static str,
    names: &[(&'static str, &'static str)],
    absent: &'static str,
    unknown: &'static str,
) -> Choice {
    let mut cases = vec![(Test::Empty, Value::Choice(absent))];
    for (pattern, ext) in names {
        cases.push((Test::Regex((*pattern).to_owned()), Value::Lit(ext)));
    }
    Choice {
        name,
        source: Source::Format,
        cases,
        default: Value::Lit(unknown),
    }
}

const DOC_FORMAT_NAMES: [(&str, &str); 5] = [
    ("ttl|turtle|text/turtle", "ttl"),
    ("html|text/html", "html"),
    ("jsonld|json-ld|application/ld\\+json", "jsonld"),
    ("nt|ntriples|application/n-triples", "nt"),
    ("rdf|rdfxml|xml|application/rdf\\+xml", "rdf"),
];

/// Every choice the configurations make, in dependency order.
fn choices() -> Vec<Choice> {
    let query_offers: [Offer; 12] = [
        HTML,
        ("csv", "text/csv"),
        ("srj", r"application/sparql-results\+json|application/json"),
        ("tsv", "text/tab-separated-values"),
        ("srx", r"application/sparql-results\+xml"),
        // application/xml: SPARQL XML for a SELECT, RDF/XML for a CONSTRUCT
        ("xml", "application/xml|text/xml"),
        TURTLE,
        ("nt", "application/n-triples|text/plain"),
        ("rdf", r"application/rdf\+xml"),
        JSONLD,
        ("trig", "application/trig"),
        ("any", WILDCARD),
    ];
    vec![
        // documents, the catalog, VoID, the report, the ontology: Turtle, HTML, JSON-LD,
        // N-Triples, RDF/XML
        accept_choice(
            "doc",
            &[TURTLE, HTML, JSONLD, NTRIPLES, RDFXML],
            "ttl",
            "ttl",
            "none",
        ),
        format_choice("doc_format", &DOC_FORMAT_NAMES, "doc", "none"),
        // listings: HTML for browsers, JSON otherwise
        accept_choice(
            "list",
            &[HTML, ("json", "application/json")],
            "json",
            "json",
            "json",
        ),
        // stored queries: "any" is the query's first format (CSV, or Turtle for CONSTRUCT)
        accept_choice("query", &query_offers, "any", "any", "none"),
        format_choice(
            "query_format",
            &[
                ("csv|text/csv", "csv"),
                ("json|application/sparql-results\\+json", "srj"),
                ("tsv|text/tab-separated-values", "tsv"),
                ("xml", "xml"),
                ("application/sparql-results\\+xml", "srx"),
                ("ttl|turtle|text/turtle", "ttl"),
                ("nt|ntriples|application/n-triples", "nt"),
                ("rdf|rdfxml|application/rdf\\+xml", "rdf"),
                ("jsonld|json-ld|application/ld\\+json", "jsonld"),
                ("trig|application/trig", "trig"),
                ("html|text/html", "html"),
            ],
            "query",
            "bad",
        ),
        // the files to try after the chosen one: "xml" is SPARQL XML or RDF/XML, "any" is
        // CSV or Turtle
        Choice {
            name: "query_a",
            source: Source::Choice("query_format"),
            cases: vec![
                (Test::Equals("xml"), Value::Lit("srx")),
                (Test::Equals("any"), Value::Lit("csv")),
            ],
            default: Value::Lit("-"),
        },
        Choice {
            name: "query_b",
            source: Source::Choice("query_format"),
            cases: vec![
                (Test::Equals("xml"), Value::Lit("rdf")),
                (Test::Equals("any"), Value::Lit("ttl")),
            ],
            default: Value::Lit("-"),
        },
        // errors: a page for browsers, text otherwise
        accept_choice("error", &[HTML], "txt", "txt", "txt"),
    ]
}

fn nginx_value(v: Value) -> String {
    match v {
        Value::Lit(s) => s.to_owned(),
        Value::Choice(c) => format!("$reti_{c}"),
    }
}

/// The `http {}` part for nginx: the maps that negotiate.
pub fn nginx_http_conf() -> String {
    let mut out = String::from(
        "# reti static site: the maps that choose a representation. Include this file once in\n\
         # the http {} block, and _server/nginx.conf in the server {} block that serves the site.\n\
         # Negotiation is coarse: the first media type of Accept that the site has wins (q-values\n\
         # are not weighed), then the first the site prefers anywhere in the header.\n\n",
    );
    // ?lang=it, or no ?lang= and Italian first in Accept-Language
    out.push_str(
        "map \"$arg_lang|$http_accept_language\" $reti_lang {\n    default en;\n    \
         \"~*^it\\|\" it;\n    \"~*^\\|\\s*it(-|,|;|\\s|$)\" it;\n}\n\n",
    );
    for choice in choices() {
        let source = match choice.source {
            Source::Accept => "$http_accept".to_owned(),
            Source::Format => "$arg_format".to_owned(),
            Source::Choice(c) => format!("$reti_{c}"),
        };
        let _ = writeln!(out, "map {source} $reti_{} {{", choice.name);
        let _ = writeln!(out, "    default {};", nginx_value(choice.default));
        for (test, value) in &choice.cases {
            let key = match (test, choice.source) {
                (Test::Empty, _) => "\"\"".to_owned(),
                (Test::Regex(r), Source::Format) => format!("\"~*^({r})$\""),
                (Test::Regex(r), _) => format!("\"~*{r}\""),
                (Test::Equals(s), _) => format!("\"{s}\""),
            };
            let _ = writeln!(out, "    {key} {};", nginx_value(*value));
        }
        out.push_str("}\n\n");
    }
    out.push_str(
        "# Vary for HTML, which depends on the language\n\
         map $uri $reti_vary_html {\n    default \"\";\n    \"~\\.html$\" Accept-Language;\n}\n",
    );
    out
}

/// The `server {}` part for nginx: types, redirects, negotiation, CORS.
pub fn nginx_conf(base: &str, sparql_endpoint: Option<&str>) -> String {
    let origin = base.trim_end_matches('/');
    let mut types = String::new();
    for (ext, ct) in FILE_TYPES {
        let media = ct.split(';').next().unwrap_or(ct);
        let _ = writeln!(types, "    {media} {ext};");
    }
    let charset_types: Vec<&str> = FILE_TYPES
        .iter()
        // text/html always is: naming it again is a warning
        .filter(|(_, ct)| ct.contains("charset=") && !ct.starts_with("text/html"))
        .map(|(_, ct)| ct.split(';').next().unwrap_or(ct))
        .collect();
    let sparql = match sparql_endpoint {
        Some(endpoint) => format!(
            "# /sparql: the live endpoint (307 keeps the method and the body)\n\
             location = /sparql {{\n    add_header Access-Control-Allow-Origin * always;\n    \
             return 307 {endpoint}$is_args$args;\n}}\n"
        ),
        None => "# /sparql: no endpoint on a static site; a page says where the data is\n\
                 location = /sparql {\n    add_header Access-Control-Allow-Origin * always;\n    \
                 error_page 501 /sparql.html;\n    return 501;\n}\n"
            .to_owned(),
    };
    format!(
        r#"# reti static site, for the server {{}} block that serves it (with `root` set to the site).
# The maps are in _server/nginx-http.conf, to include once in the http {{}} block.
# Written for the base {base}: the redirects point there.

types {{
{types}}}
default_type text/plain;
charset utf-8;
charset_types {charset_types};
index index.html;
error_page 404 /_errors/404.$reti_error;

# never served directly
location ^~ /_server/ {{ return 404; }}
location = /.htaccess {{ return 404; }}
location ^~ /_lang/ {{ internal; }}
location ^~ /_errors/ {{
    internal;
    add_header Vary Accept always;
    add_header Access-Control-Allow-Origin * always;
    try_files /_lang/$reti_lang$uri $uri =404;
}}

# /id/{{kind}}/{{slug}}: 303 See Other to the document in the negotiated format
location ~ "^/id/(?<reti_kind>[a-z]+)/(?<reti_slug>[a-z0-9-]+)$" {{
    add_header Vary Accept always;
    add_header Access-Control-Allow-Origin * always;
    if (!-f $document_root/doc/$reti_kind/$reti_slug.ttl) {{ return 404; }}
    if ($reti_doc = none) {{ return 406; }}
    return 303 {base}doc/$reti_kind/$reti_slug.$reti_doc;
}}

# /doc/{{kind}}/{{slug}} without extension: negotiated
location ~ "^(?<reti_path>/doc/[a-z]+/[a-z0-9-]+)$" {{
    add_header Vary "Accept, Accept-Language" always;
    add_header Access-Control-Allow-Origin * always;
    add_header Content-Location {origin}$reti_path.$reti_doc;
    if ($reti_doc = none) {{ return 406; }}
    try_files /_lang/$reti_lang$uri.$reti_doc $uri.$reti_doc =404;
}}

location = / {{
    add_header Vary Accept-Language always;
    add_header Access-Control-Allow-Origin * always;
    try_files /_lang/$reti_lang/index.html /index.html =404;
}}

# /dumps/ and /queries/: HTML for browsers, JSON otherwise
location ~ "^/(?<reti_listing>dumps|queries)/?$" {{
    add_header Vary "Accept, Accept-Language" always;
    add_header Access-Control-Allow-Origin * always;
    try_files /_lang/$reti_lang/$reti_listing/index.$reti_list /$reti_listing/index.$reti_list =404;
}}

location ~ "^/dumps/(?<reti_dump>reti\.[a-z]+(\.gz)?|SHA256SUMS)$" {{
    add_header Access-Control-Allow-Origin * always;
    add_header Content-Disposition 'attachment; filename="$reti_dump"';
    try_files $uri =404;
}}

# /queries/{{name}}: the results, by ?format= or Accept
location ~ "^/queries/(?<reti_query_name>[a-z0-9-]+)$" {{
    add_header Vary "Accept, Accept-Language" always;
    add_header Access-Control-Allow-Origin * always;
    if ($reti_query_format = bad) {{ return 400; }}
    if ($reti_query_format = none) {{ return 406; }}
    try_files /_lang/$reti_lang/queries/$reti_query_name.$reti_query_format
              /queries/$reti_query_name.$reti_query_format
              /queries/$reti_query_name.$reti_query_a
              /queries/$reti_query_name.$reti_query_b
              =404;
}}

# the catalog, VoID, the ontology and the report: pages for people, RDF for machines
location ~ "^/(?<reti_page>catalog|\.well-known/void|ontology|report)$" {{
    add_header Vary "Accept, Accept-Language" always;
    add_header Access-Control-Allow-Origin * always;
    if ($reti_doc_format = none) {{ return 406; }}
    try_files /_lang/$reti_lang/$reti_page.$reti_doc_format /$reti_page.$reti_doc_format =404;
}}

{sparql}
# everything else: the file itself (documents by extension, dumps, assets, results)
location / {{
    add_header Vary $reti_vary_html always;
    add_header Access-Control-Allow-Origin * always;
    try_files /_lang/$reti_lang$uri $uri =404;
}}
"#,
        charset_types = charset_types.join(" "),
    )
}

fn apache_value(v: Value) -> String {
    match v {
        Value::Lit(s) => s.to_owned(),
        Value::Choice(c) => format!("%{{ENV:RETI_{}}}", c.to_ascii_uppercase()),
    }
}

/// The Apache rules (for `.htaccess`, or a `<Directory>` block of the site): mod_rewrite,
/// mod_headers and mod_mime.
pub fn apache_conf(base: &str, sparql_endpoint: Option<&str>) -> String {
    let mut out = format!(
        "# reti static site for Apache 2.4 (mod_rewrite, mod_headers, mod_mime), served at the\n\
         # root of its host, as .htaccess (AllowOverride All) or inside the site's <Directory>.\n\
         # Written for the base {base}: the redirects point there. Negotiation is coarse: the\n\
         # first media type of Accept that the site has wins (q-values are not weighed).\n\n\
         Options -MultiViews -Indexes\nDirectoryIndex index.html\n\
         # /dumps and /queries are pages, not directories to redirect to with a slash\n\
         DirectorySlash Off\n\n"
    );
    for (ext, ct) in FILE_TYPES {
        let _ = writeln!(out, "AddType \"{ct}\" .{ext}");
    }
    let _ = write!(
        out,
        "<Files \"SHA256SUMS\">\n    ForceType \"{DEFAULT_TYPE}\"\n</Files>\n\
         # a .gz dump is a gzip file, not a dump sent with Content-Encoding: gzip\n\
         RemoveEncoding .gz\n\n\
         Header always set Access-Control-Allow-Origin \"*\"\n\
         Header always merge Vary Accept env=RETI_VARY\n\
         Header always merge Vary Accept env=REDIRECT_RETI_VARY\n\
         <FilesMatch \"\\.html$\">\n    Header merge Vary Accept-Language\n</FilesMatch>\n\
         Header set Content-Disposition \"attachment; filename=\\\"%{{RETI_DUMP}}e\\\"\" env=RETI_DUMP\n\n\
         # a page for browsers, text otherwise (RETI_ERROR is chosen below)\n\
         ErrorDocument 404 /_errors/404.%{{reqenv:RETI_ERROR}}%{{reqenv:REDIRECT_RETI_ERROR}}\n\n\
         RewriteEngine On\n\n\
         # never served directly\n\
         RewriteCond %{{ENV:REDIRECT_STATUS}} ^$\n\
         RewriteRule ^(_server|_lang|_errors)(/|$)|^\\.htaccess$ - [R=404,L]\n\n\
         # the reader's language: ?lang=it, or no ?lang= and Italian first in Accept-Language\n\
         RewriteCond %{{QUERY_STRING}} (^|&)lang=it(&|$) [NC]\n\
         RewriteRule ^ - [E=RETI_LANG:it]\n\
         RewriteCond %{{QUERY_STRING}} !(^|&)lang=\n\
         RewriteCond %{{HTTP:Accept-Language}} ^\\s*it(-|,|;|\\s|$) [NC,NV]\n\
         RewriteRule ^ - [E=RETI_LANG:it]\n\n\
         # the representation asked for (first case that matches)\n"
    );
    for choice in choices() {
        let var = format!("RETI_{}", choice.name.to_ascii_uppercase());
        for (test, value) in &choice.cases {
            let _ = writeln!(out, "RewriteCond %{{ENV:{var}}} ^$");
            let cond = match (test, choice.source) {
                (Test::Empty, Source::Accept) => "%{HTTP:Accept} ^$ [NV]".to_owned(),
                (Test::Regex(r), Source::Accept) => format!("%{{HTTP:Accept}} {r} [NC,NV]"),
                (Test::Empty, Source::Format) => "%{QUERY_STRING} !(^|&)format=[^&]".to_owned(),
                (Test::Regex(r), Source::Format) => {
                    format!("%{{QUERY_STRING}} (^|&)format=({r})(&|$) [NC]")
                }
                (Test::Equals(s), Source::Choice(c)) => {
                    format!("%{{ENV:RETI_{}}} ={s}", c.to_ascii_uppercase())
                }
                (Test::Empty, Source::Choice(c)) => {
                    format!("%{{ENV:RETI_{}}} ^$", c.to_ascii_uppercase())
                }
                (Test::Regex(r), Source::Choice(c)) => {
                    format!("%{{ENV:RETI_{}}} {r} [NC]", c.to_ascii_uppercase())
                }
                (Test::Equals(s), Source::Accept) => format!("%{{HTTP:Accept}} ={s} [NV]"),
                (Test::Equals(s), Source::Format) => {
                    format!("%{{QUERY_STRING}} (^|&)format={s}(&|$)")
                }
            };
            let _ = writeln!(out, "RewriteCond {cond}");
            let _ = writeln!(out, "RewriteRule ^ - [E={var}:{}]", apache_value(*value));
        }
        let _ = writeln!(
            out,
            "RewriteCond %{{ENV:{var}}} ^$\nRewriteRule ^ - [E={var}:{}]\n",
            apache_value(choice.default)
        );
    }
    // A rewrite to `target` (a path under the site) when the file exists; [END] stops here.
    let try_file = |out: &mut String, pattern: &str, target: &str, italian: bool| {
        if italian {
            let _ = writeln!(out, "RewriteCond %{{ENV:RETI_LANG}} =it");
        }
        let _ = writeln!(
            out,
            "RewriteCond %{{DOCUMENT_ROOT}}/{target} -f\nRewriteRule {pattern} /{target} [END,E=RETI_VARY:1]"
        );
    };
    out.push_str(
        "# /id/{kind}/{slug}: 303 See Other to the document in the negotiated format\n\
         RewriteCond %{DOCUMENT_ROOT}/doc/$1/$2.ttl !-f\n\
         RewriteRule ^id/([a-z]+)/([a-z0-9-]+)$ - [R=404,L]\n\
         RewriteCond %{ENV:RETI_DOC} =none\n\
         RewriteRule ^id/[a-z]+/[a-z0-9-]+$ - [R=406,L,E=RETI_VARY:1]\n",
    );
    let _ = writeln!(
        out,
        "RewriteRule ^id/([a-z]+)/([a-z0-9-]+)$ {base}doc/$1/$2.%{{ENV:RETI_DOC}} [R=303,L,E=RETI_VARY:1]\n"
    );
    out.push_str(
        "# /doc/{kind}/{slug} without extension: negotiated\n\
         RewriteCond %{ENV:RETI_DOC} =none\n\
         RewriteRule ^doc/[a-z]+/[a-z0-9-]+$ - [R=406,L,E=RETI_VARY:1]\n",
    );
    let doc = "^(doc/[a-z]+/[a-z0-9-]+)$";
    try_file(&mut out, doc, "_lang/it/$1.%{ENV:RETI_DOC}", true);
    let _ = writeln!(
        out,
        "RewriteRule {doc} /$1.%{{ENV:RETI_DOC}} [END,E=RETI_VARY:1]\n"
    );
    out.push_str("# the home page\n");
    try_file(&mut out, "^$", "_lang/it/index.html", true);
    out.push_str("\n# /dumps/ and /queries/: HTML for browsers, JSON otherwise\n");
    let listing = "^(dumps|queries)/?$";
    try_file(
        &mut out,
        listing,
        "_lang/it/$1/index.%{ENV:RETI_LIST}",
        true,
    );
    try_file(&mut out, listing, "$1/index.%{ENV:RETI_LIST}", false);
    out.push_str(
        "RewriteRule ^dumps/(reti\\.[a-z]+(\\.gz)?|SHA256SUMS)$ - [E=RETI_DUMP:$1]\n\n\
         # /queries/{name}: the results, by ?format= or Accept\n\
         RewriteCond %{ENV:RETI_QUERY_FORMAT} =bad\n\
         RewriteRule ^queries/[a-z0-9-]+$ - [R=400,L]\n\
         RewriteCond %{ENV:RETI_QUERY_FORMAT} =none\n\
         RewriteRule ^queries/[a-z0-9-]+$ - [R=406,L,E=RETI_VARY:1]\n",
    );
    let query = "^queries/([a-z0-9-]+)$";
    try_file(
        &mut out,
        query,
        "_lang/it/queries/$1.%{ENV:RETI_QUERY_FORMAT}",
        true,
    );
    for var in ["QUERY_FORMAT", "QUERY_A", "QUERY_B"] {
        try_file(
            &mut out,
            query,
            &format!("queries/$1.%{{ENV:RETI_{var}}}"),
            false,
        );
    }
    out.push_str(
        "\n# the catalog, VoID, the ontology and the report: pages for people, RDF for machines\n\
         RewriteCond %{ENV:RETI_DOC_FORMAT} =none\n\
         RewriteRule ^(catalog|\\.well-known/void|ontology|report)$ - [R=406,L,E=RETI_VARY:1]\n",
    );
    let page = "^(catalog|\\.well-known/void|ontology|report)$";
    try_file(&mut out, page, "_lang/it/$1.%{ENV:RETI_DOC_FORMAT}", true);
    try_file(&mut out, page, "$1.%{ENV:RETI_DOC_FORMAT}", false);
    out.push_str("RewriteRule ^(catalog|\\.well-known/void|ontology|report)$ - [R=404,L]\n\n");
    match sparql_endpoint {
        Some(endpoint) => {
            let _ = writeln!(
                out,
                "# /sparql: the live endpoint (307 keeps the method and the body)\n\
                 RewriteRule ^sparql$ {endpoint} [R=307,L,QSA]\n"
            );
        }
        None => out.push_str(
            "# /sparql: no endpoint on a static site; a page says where the data is\n\
             ErrorDocument 501 /sparql.html\n\
             RewriteCond %{ENV:REDIRECT_STATUS} ^$\n\
             RewriteRule ^sparql$ - [R=501,L]\n\n",
        ),
    }
    out.push_str("# everything else: the Italian file where there is one, else the file\n");
    let _ = writeln!(
        out,
        "RewriteCond %{{ENV:RETI_LANG}} =it\nRewriteCond %{{DOCUMENT_ROOT}}/_lang/it/$1 -f\n\
         RewriteRule ^(.+)$ /_lang/it/$1 [END]"
    );
    out
}

/// What `_server/` holds and how to use it.
fn server_readme(base: &str) -> String {
    format!(
        "This directory holds the server configuration of a static copy of reti's site, made by\n\
         `reti export --site` for the base {base}.\n\n\
         nginx: in the http {{}} block,   include /path/to/site/_server/nginx-http.conf;\n\
         \x20      in the server {{}} block, root /path/to/site;  include /path/to/site/_server/nginx.conf;\n\
         Apache: serve the site at the root of a host with AllowOverride All (the site's .htaccess),\n\
         \x20       or put `Include /path/to/site/_server/apache.conf` in its <Directory> block.\n\n\
         Both make /id/{{kind}}/{{slug}} answer 303 See Other to\n\
         /doc/{{kind}}/{{slug}}.{{html,ttl,jsonld,nt,rdf}} by Accept,\n\
         negotiate /doc/... without extension, /catalog, /ontology, /report, /queries/... and the\n\
         listings, set the media types and CORS. Negotiation is coarse: the first media type of\n\
         Accept the site has wins; q-values are not weighed.\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::negotiate::Repr;

    #[test]
    fn every_offered_representation_has_a_file_type() {
        for repr in DOCUMENT_FORMATS {
            assert!(extension_for(&repr.content_type()).is_some(), "{repr:?}");
        }
        for repr in [
            Repr::SparqlJson,
            Repr::SparqlXml,
            Repr::Csv,
            Repr::Tsv,
            Repr::Json,
            Repr::TriG,
            Repr::NQuads,
        ] {
            assert!(extension_for(&repr.content_type()).is_some(), "{repr:?}");
        }
        assert_eq!(
            extension_for("application/sparql-results+json"),
            Some("srj")
        );
        assert_eq!(extension_for("text/turtle; charset=utf-8"), Some("ttl"));
    }

    #[test]
    fn urls_that_would_break_a_configuration_are_refused() {
        assert!(check_url("--base", "https://reti.example.org/").is_ok());
        for bad in [
            "https://x.org/a b/",
            "https://x.org/$host/",
            "https://x.org/;/",
            "https://x.org/%20/",
            "ftp://x.org/",
            "https://x.org/\"/",
        ] {
            assert!(check_url("--base", bad).is_err(), "{bad}");
        }
    }
}
