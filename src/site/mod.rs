//! `reti export --site DIR`: the whole published site as static files, for a static host or a
//! CDN when traffic outgrows one process.
//!
//! Every file is what `reti serve` answers for the same request under the same base: the site
//! is made by building one [`Publication`] and asking the server's own router, in process, for
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
use crate::publication::{BuildOptions, Publication, PublicationError};
use crate::rdf::KINDS;
use crate::server::negotiate::Lang;
use crate::server::{AppState, DOCUMENT_FORMATS, Settings};
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Request, StatusCode, header};
use bytes::Bytes;
use oxigraph::model::{GraphNameRef, NamedOrBlankNode};
use std::collections::{BTreeMap, BTreeSet};
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
    /// What the build warned about, for the command line to show.
    pub warnings: crate::diagnostic::Diagnostics,
}

/// Why a site could not be written. The directory, if it held a site, is left as it was.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    /// The data, queries or metadata do not build.
    #[error(transparent)]
    Publish(#[from] PublicationError),
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
pub(crate) const DEFAULT_TYPE: &str = "text/plain; charset=utf-8";

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
    let published = Publication::build(&options.build)?;
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
    published: Publication,
    options: &SiteOptions,
    root: &Path,
) -> Result<SiteSummary, SiteError> {
    let resources = resources(&published);
    let dumps: Vec<String> = published.dumps.iter().map(|d| d.name.clone()).collect();
    let queries: Vec<String> = published.queries.iter().map(|q| q.name.clone()).collect();
    let warnings = published
        .dataset
        .local()
        .map(|d| d.warnings().clone())
        .unwrap_or_default();
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
        warnings,
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
fn resources(published: &Publication) -> BTreeSet<(String, String)> {
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

mod rules;

use rules::server_readme;
pub use rules::{apache_conf, nginx_conf, nginx_http_conf};

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
