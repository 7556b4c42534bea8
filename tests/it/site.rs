//! `reti export --site`: the static site has every document, is deterministic, equals the live
//! server's bodies, and real nginx and Apache servers, configured with the snippets written
//! into it, redirect and negotiate like the live server.

use crate::serve::{TestServer, get, header};
use oxigraph::io::{RdfFormat, RdfParser};
use oxrdf::dataset::CanonicalizationAlgorithm;
use reti::config::Config;
use reti::publication::BuildOptions;
use reti::rdf::Base;
use reti::server::Settings;
use reti::site::{FILE_TYPES, SiteError, SiteOptions, export_site};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The public address the test site is made for (never contacted).
const BASE: &str = "https://reti.example.org/";
/// The live endpoint of the second test site.
const ENDPOINT: &str = "https://sparql.example.org/reti/sparql";

fn options(endpoint: Option<&str>) -> SiteOptions {
    SiteOptions {
        build: BuildOptions {
            data: crate::data_dir(),
            queries: crate::root().join("queries"),
            config: Config::default(),
            base: Base::new(BASE).expect("base"),
            remote: None,
            dumps_dir: None,
            store: None,
            dumps_in_memory: reti::publication::DUMPS_IN_MEMORY,
        },
        sparql_endpoint: endpoint.map(str::to_owned),
    }
}

/// A directory the web servers (which may drop to www-data) can read.
fn public_tempdir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))
            .expect("chmod");
    }
    dir
}

/// A site exported once for the module: (its directory, number of resources).
struct Exported {
    _dir: tempfile::TempDir,
    root: PathBuf,
    resources: usize,
}

fn export(endpoint: Option<&str>) -> Exported {
    let dir = public_tempdir();
    let root = dir.path().join("site");
    let summary = export_site(&options(endpoint), &root).unwrap_or_else(|e| panic!("{e}"));
    Exported {
        _dir: dir,
        root,
        resources: summary.resources,
    }
}

fn site() -> &'static Exported {
    static SITE: OnceLock<Exported> = OnceLock::new();
    SITE.get_or_init(|| export(None))
}

fn site_with_endpoint() -> &'static Exported {
    static SITE: OnceLock<Exported> = OnceLock::new();
    SITE.get_or_init(|| export(Some(ENDPOINT)))
}

/// The live server, under the same base as the site.
fn live() -> &'static TestServer {
    static SERVER: OnceLock<TestServer> = OnceLock::new();
    SERVER.get_or_init(|| {
        TestServer::with(Settings::default(), |o| {
            o.base = Base::new(BASE).expect("base");
        })
    })
}

/// Every file under `root`, by '/'-separated relative path.
fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).expect("under root");
                let rel = rel.to_string_lossy().replace('\\', "/");
                out.insert(rel, std::fs::read(&path).expect("read"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".reti-"))
        .collect()
}

#[test]
fn the_site_has_every_document_and_is_byte_identical_across_runs() {
    let first = site();
    let files = tree(&first.root);
    for kind_slug in [
        "place/turin",
        "place/reggio-emilia",
        "network/gai",
        "network/uccn",
        "membership/uccn-turin",
        "source/turin-networks-page",
    ] {
        for ext in ["html", "ttl", "jsonld", "nt", "rdf"] {
            let file = format!("doc/{kind_slug}.{ext}");
            assert!(files.contains_key(&file), "{file} is missing");
        }
    }
    for file in [
        "index.html",
        "_lang/it/index.html",
        "_lang/it/doc/place/turin.html",
        "assets/style.css",
        "assets/query.js",
        "assets/search.js",
        "assets/yasgui.min.js",
        "assets/yasgui.min.css",
        "assets/THIRD-PARTY-NOTICES.txt",
        "context.jsonld",
        "dumps/reti.ttl",
        "dumps/reti.ttl.gz",
        "dumps/reti.trig",
        "dumps/reti.nt",
        "dumps/reti.nt.gz",
        "dumps/reti.nq",
        "dumps/reti.nq.gz",
        "dumps/reti.jsonld",
        "dumps/reti.rdf",
        "dumps/SHA256SUMS",
        "dumps/index.html",
        "dumps/index.json",
        "queries/index.html",
        "queries/index.json",
        "queries/networks-of-a-city.csv",
        "queries/networks-of-a-city.srj",
        "queries/networks-of-a-city.srx",
        "queries/networks-of-a-city.tsv",
        "queries/networks-of-a-city.html",
        "catalog.ttl",
        "catalog.rdf",
        "catalog.jsonld",
        "catalog.nt",
        "catalog.html",
        ".well-known/void.ttl",
        ".well-known/void.html",
        "ontology.html",
        "ontology.ttl",
        "ontology.jsonld",
        "ontology.rdf",
        "ontology.nt",
        "report.html",
        "report.ttl",
        "sparql.html",
        "_errors/404.html",
        "_errors/404.txt",
        "_server/nginx-http.conf",
        "_server/nginx.conf",
        "_server/apache.conf",
        ".htaccess",
    ] {
        assert!(files.contains_key(file), "{file} is missing");
    }
    // every resource the server dereferences, in the five formats, and nothing else under doc/
    let expected = crate::select(
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o \
         FILTER(isIRI(?s) && REGEX(STR(?s), '^http://localhost:7878/id/[a-z]+/[a-z0-9-]+$')) }",
    );
    assert_eq!(first.resources.to_string(), expected[0][0]);
    let docs = files.keys().filter(|f| f.starts_with("doc/")).count();
    assert_eq!(docs, 5 * first.resources);
    // the Italian copies are the pages (and the report, whose labels are translated)
    assert!(
        files
            .keys()
            .filter_map(|f| f.strip_prefix("_lang/it/doc/"))
            .all(|f| f.ends_with(".html"))
    );
    assert_eq!(
        files["dumps/SHA256SUMS"],
        live().state.current().sha256sums.to_vec()
    );
    // a second run gives the same bytes
    let second = export(None);
    assert_eq!(tree(&second.root), files, "two runs differ");
}

/// The request the live server answers with a file's content.
fn request_for(file: &str) -> (String, Vec<(&'static str, &'static str)>) {
    let (file, mut headers) = match file.strip_prefix("_lang/it/") {
        Some(rest) => (rest, vec![("Accept-Language", "it")]),
        None => (file, vec![]),
    };
    let (stem, ext) = file.rsplit_once('.').unwrap_or((file, ""));
    let path = match (stem, ext) {
        ("index", "html") => "/".to_owned(),
        ("dumps/index" | "queries/index", _) => {
            headers.push((
                "Accept",
                if ext == "html" {
                    "text/html"
                } else {
                    "application/json"
                },
            ));
            format!("/{}", &stem[..stem.len() - "index".len()])
        }
        ("catalog" | ".well-known/void" | "ontology" | "report", _) => {
            format!("/{stem}?format={ext}")
        }
        (_, _) if stem.starts_with("queries/") => {
            let format = match ext {
                "srj" => "json",
                "srx" => "xml",
                other => other,
            };
            format!("/{stem}?format={format}")
        }
        _ => format!("/{file}"),
    };
    (path, headers)
}

#[test]
fn every_file_is_the_live_servers_body() {
    let s = live();
    let mut compared = 0;
    for (file, bytes) in tree(&site().root) {
        let own = ["_server/", "_errors/", "_lang/it/_errors/", ".htaccess"];
        if own.iter().any(|p| file.starts_with(p)) || file.ends_with("sparql.html") {
            continue;
        }
        let (path, headers) = request_for(&file);
        let (status, _, body) = s.block_on(get(&s.at(&path), &headers));
        assert_eq!(status, 200, "{file}: GET {path}");
        assert!(body == bytes, "{file} differs from GET {path} {headers:?}");
        compared += 1;
    }
    assert!(compared > 5 * site().resources, "{compared} files compared");
}

#[test]
fn a_failed_build_keeps_the_site_and_only_sites_are_replaced() {
    let dir = public_tempdir();
    let root = dir.path().join("site");
    export_site(&options(None), &root).expect("export");
    let before = tree(&root);
    // broken data: the build fails, the site stays as it was
    let data = dir.path().join("data");
    crate::copy_dir(&crate::data_dir(), &data);
    let csv = data.join("networks/gai.memberships.csv");
    let broken = std::fs::read_to_string(&csv)
        .expect("read")
        .replacen("turin", "turn", 1);
    std::fs::write(&csv, broken).expect("write");
    let mut bad = options(None);
    bad.build.data = data;
    let err = export_site(&bad, &root).expect_err("broken data");
    assert!(
        err.to_string()
            .contains("unknown source `turn-networks-page`"),
        "{err}"
    );
    assert_eq!(tree(&root), before);
    // a second export replaces the site (same content), leaving nothing behind
    export_site(&options(None), &root).expect("export again");
    assert_eq!(tree(&root), before);
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
    // a directory that is not a site is never replaced
    let other = dir.path().join("home");
    std::fs::create_dir(&other).expect("mkdir");
    std::fs::write(other.join("notes.txt"), "mine").expect("write");
    let err = export_site(&options(None), &other).expect_err("not a site");
    assert!(matches!(err, SiteError::NotASite { .. }), "{err}");
    assert_eq!(
        std::fs::read_to_string(other.join("notes.txt")).expect("read"),
        "mine"
    );
    // URLs that would change the meaning of the configuration are refused
    let mut unsafe_endpoint = options(Some("https://x.org/$host"));
    unsafe_endpoint.build.data = crate::data_dir();
    let err = export_site(&unsafe_endpoint, &dir.path().join("x")).expect_err("unsafe");
    assert!(
        matches!(err, SiteError::UnsafeUrl { found: '$', .. }),
        "{err}"
    );
}

#[test]
fn the_configurations_type_every_extension_the_site_has() {
    let files = tree(&site().root);
    let nginx = String::from_utf8_lossy(&files["_server/nginx.conf"]).into_owned();
    let apache = String::from_utf8_lossy(&files[".htaccess"]).into_owned();
    assert_eq!(files[".htaccess"], files["_server/apache.conf"]);
    let mut extensions: Vec<&str> = files
        .keys()
        .filter(|f| !f.starts_with("_server/"))
        .filter_map(|f| f.rsplit('/').next())
        .filter_map(|name| name.rsplit_once('.').map(|(_, ext)| ext))
        .filter(|ext| !ext.is_empty() && *ext != "htaccess")
        .collect();
    extensions.sort_unstable();
    extensions.dedup();
    assert!(extensions.len() >= 13, "{extensions:?}");
    for ext in extensions {
        let (_, content_type) = FILE_TYPES
            .iter()
            .find(|(e, _)| *e == ext)
            .unwrap_or_else(|| panic!("no type for .{ext}"));
        let media = content_type.split(';').next().expect("media type");
        assert!(
            nginx.contains(&format!("    {media} {ext};\n")),
            "nginx does not type .{ext}"
        );
        assert!(
            apache.contains(&format!("AddType \"{content_type}\" .{ext}\n")),
            "Apache does not type .{ext}"
        );
    }
    // the snippets redirect to the base, like the live server
    assert!(nginx.contains(&format!(
        "return 303 {BASE}doc/$reti_kind/$reti_slug.$reti_doc;"
    )));
    assert!(apache.contains(&format!("{BASE}doc/$1/$2.%{{ENV:RETI_DOC}} [R=303")));
}

// ---------------------------------------------------------------------------------------------
// Real web servers
// ---------------------------------------------------------------------------------------------

/// A web server serving a site on a loopback port; stopped when dropped.
struct WebServer {
    child: Child,
    url: String,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for WebServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl WebServer {
    fn at(&self, path: &str) -> String {
        format!("{}{}", self.url, path.trim_start_matches('/'))
    }
}

/// Waits until `port` accepts connections; panics with the server's log if it exits first.
fn wait_for(child: &mut Child, port: u16, log: &Path, name: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            let log = std::fs::read_to_string(log).unwrap_or_default();
            panic!("{name} exited ({status}) before listening:\n{log}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{name} did not listen on port {port} within 20 s");
}

/// The first of `candidates` that exists, or a failure saying how to install it.
fn program(candidates: &[&str], package: &str) -> PathBuf {
    candidates
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "{package} is not installed; the static-site tests run it: \
                 apt-get install {package}"
            )
        })
}

fn nginx(site: &Path) -> WebServer {
    let nginx = program(&["/usr/sbin/nginx", "/usr/bin/nginx"], "nginx");
    let dir = public_tempdir();
    let d = dir.path().display();
    let port = crate::free_port();
    let server = site.join("_server");
    let conf = format!(
        "daemon off;\nmaster_process off;\nworker_processes 1;\npid {d}/nginx.pid;\n\
         error_log {d}/error.log warn;\nevents {{ worker_connections 64; }}\nhttp {{\n\
         access_log off;\nclient_body_temp_path {d}/body;\nproxy_temp_path {d}/proxy;\n\
         fastcgi_temp_path {d}/fastcgi;\nuwsgi_temp_path {d}/uwsgi;\nscgi_temp_path {d}/scgi;\n\
         include {http};\nserver {{\nlisten 127.0.0.1:{port};\nroot {root};\ninclude {server_conf};\n}}\n}}\n",
        http = server.join("nginx-http.conf").display(),
        root = site.display(),
        server_conf = server.join("nginx.conf").display(),
    );
    let conf_path = dir.path().join("nginx.conf");
    std::fs::write(&conf_path, conf).expect("write nginx.conf");
    let log = dir.path().join("error.log");
    let mut child = Command::new(&nginx)
        .arg("-p")
        .arg(dir.path())
        .arg("-e")
        .arg(&log)
        .arg("-c")
        .arg(&conf_path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", nginx.display()));
    wait_for(&mut child, port, &log, "nginx");
    WebServer {
        child,
        url: format!("http://127.0.0.1:{port}/"),
        log,
        _dir: dir,
    }
}

/// Apache, with the site's rules as `.htaccess` or included in its `<Directory>` block.
fn apache(site: &Path, htaccess: bool) -> WebServer {
    let apache = program(&["/usr/sbin/apache2", "/usr/sbin/httpd"], "apache2");
    let modules = ["/usr/lib/apache2/modules", "/usr/lib/httpd/modules"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_dir())
        .expect("Apache modules directory");
    let dir = public_tempdir();
    let d = dir.path().display();
    let port = crate::free_port();
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let mut conf = format!("ServerRoot {d}\n");
    for (name, file) in [
        ("mpm_event", "mpm_event"),
        ("authz_core", "authz_core"),
        ("mime", "mime"),
        ("rewrite", "rewrite"),
        ("headers", "headers"),
        ("dir", "dir"),
    ] {
        conf += &format!(
            "LoadModule {name}_module {}/mod_{file}.so\n",
            modules.display()
        );
    }
    if is_root {
        conf += "User www-data\nGroup www-data\n";
    }
    let rules = if htaccess {
        "AllowOverride All".to_owned()
    } else {
        format!(
            "AllowOverride None\nInclude {}",
            site.join("_server/apache.conf").display()
        )
    };
    conf += &format!(
        "Listen 127.0.0.1:{port}\nServerName localhost\nPidFile {d}/httpd.pid\n\
         ErrorLog {d}/error.log\nLogLevel warn\nDefaultRuntimeDir {d}\n\
         TypesConfig /etc/mime.types\nDocumentRoot {root}\n\
         <Directory />\nAllowOverride None\nRequire all denied\n</Directory>\n\
         <Directory {root}>\n{rules}\nRequire all granted\n</Directory>\n\
         <FilesMatch \"^\\.ht\">\nRequire all denied\n</FilesMatch>\n",
        root = site.display(),
    );
    let conf_path = dir.path().join("httpd.conf");
    std::fs::write(&conf_path, conf).expect("write httpd.conf");
    let log = dir.path().join("error.log");
    let mut child = Command::new(&apache)
        .arg("-X")
        .arg("-DFOREGROUND")
        .arg("-f")
        .arg(&conf_path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", apache.display()));
    wait_for(&mut child, port, &log, "apache2");
    WebServer {
        child,
        url: format!("http://127.0.0.1:{port}/"),
        log,
        _dir: dir,
    }
}

const BROWSER: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

/// Requests the static server must answer as the live server does.
const CASES: &[(&str, &[(&str, &str)])] = &[
    ("/id/place/turin", &[("Accept", "text/turtle")]),
    ("/id/place/turin", &[("Accept", BROWSER)]),
    ("/id/place/turin", &[("Accept", "application/ld+json")]),
    ("/id/place/turin", &[("Accept", "application/n-triples")]),
    ("/id/place/turin", &[("Accept", "application/rdf+xml")]),
    ("/id/place/turin", &[("Accept", "*/*")]),
    (
        "/id/network/gai",
        &[("Accept", "application/ld+json, text/turtle;q=0.5")],
    ),
    ("/id/membership/uccn-turin", &[("Accept", "text/turtle")]),
    ("/id/place/atlantis", &[("Accept", "text/turtle")]),
    ("/id/planet/turin", &[("Accept", "text/turtle")]),
    ("/id/place/turin", &[("Accept", "image/png")]),
    ("/doc/place/turin", &[("Accept", "application/ld+json")]),
    ("/doc/place/turin", &[("Accept", BROWSER)]),
    (
        "/doc/place/turin",
        &[("Accept", BROWSER), ("Accept-Language", "it-IT,it;q=0.9")],
    ),
    ("/doc/place/turin.ttl", &[]),
    ("/doc/place/turin.html?lang=it", &[("Accept", BROWSER)]),
    ("/doc/place/atlantis.ttl", &[]),
    ("/", &[("Accept", BROWSER)]),
    ("/?lang=it", &[("Accept", BROWSER)]),
    ("/dumps/", &[("Accept", BROWSER)]),
    ("/dumps", &[("Accept", "application/json")]),
    ("/dumps/reti.nq", &[]),
    ("/dumps/reti.ttl", &[]),
    // the compressed dumps are gzip files, as themselves, whatever the client accepts
    ("/dumps/reti.nt.gz", &[]),
    ("/dumps/reti.ttl.gz", &[("Accept-Encoding", "gzip, br")]),
    // a resumed download: the same bytes from the same offset
    ("/dumps/reti.nt", &[("Range", "bytes=100-199")]),
    ("/dumps/reti.nq.gz", &[("Range", "bytes=1000-")]),
    ("/dumps/SHA256SUMS", &[]),
    ("/queries/", &[("Accept", "application/json")]),
    ("/queries/networks-of-a-city", &[]),
    ("/queries/networks-of-a-city?format=json", &[]),
    ("/queries/networks-of-a-city?format=xml", &[]),
    (
        "/queries/networks-of-a-city",
        &[("Accept", "text/tab-separated-values")],
    ),
    ("/queries/networks-of-a-city", &[("Accept", BROWSER)]),
    ("/queries/networks-of-a-city?format=html&lang=it", &[]),
    ("/queries/networks-of-a-city?format=pdf", &[]),
    ("/catalog", &[("Accept", "text/turtle")]),
    ("/catalog", &[("Accept", "application/ld+json")]),
    ("/catalog", &[("Accept", BROWSER)]),
    ("/catalog?format=nt", &[]),
    ("/.well-known/void", &[("Accept", "text/turtle")]),
    (
        "/.well-known/void",
        &[("Accept", BROWSER), ("Accept-Language", "it")],
    ),
    ("/catalog?format=html", &[]),
    ("/ontology", &[("Accept", BROWSER)]),
    ("/ontology", &[("Accept", "text/turtle")]),
    ("/report", &[("Accept", BROWSER), ("Accept-Language", "it")]),
    ("/report?format=ttl", &[]),
    ("/context.jsonld", &[]),
    ("/assets/style.css", &[]),
];

/// The graph of an RDF body, canonicalised.
fn graph(content_type: &str, body: &[u8]) -> Option<oxrdf::Graph> {
    let format = match content_type.split(';').next().unwrap_or("") {
        "text/turtle" => RdfFormat::Turtle,
        "application/n-triples" => RdfFormat::NTriples,
        "application/rdf+xml" => RdfFormat::RdfXml,
        "application/ld+json" => RdfFormat::JsonLd {
            profile: oxigraph::io::JsonLdProfileSet::empty(),
        },
        _ => return None,
    };
    let mut g: oxrdf::Graph = RdfParser::from_format(format)
        .for_slice(body)
        .map(|q| oxrdf::Triple::from(q.unwrap_or_else(|e| panic!("does not parse: {e}"))))
        .collect();
    g.canonicalize(CanonicalizationAlgorithm::Unstable);
    Some(g)
}

/// Checks every case against the live server, following 303s on both.
fn behaves_like_the_live_server(web: &WebServer, name: &str) {
    let s = live();
    for (path, headers) in CASES {
        let what = format!("{name}: GET {path} {headers:?}");
        let (live_status, live_h, live_body) = s.block_on(get(&s.at(path), headers));
        let (status, h, body) = s.block_on(get(&web.at(path), headers));
        assert_eq!(status, live_status, "{what}");
        if status >= 400 {
            continue;
        }
        assert_eq!(header(&h, "access-control-allow-origin"), "*", "{what}");
        let (live_h, live_body, h, body) = if status == 303 {
            let location = header(&h, "location");
            assert_eq!(location, header(&live_h, "location"), "{what}");
            assert!(header(&h, "vary").contains("Accept"), "{what}");
            let doc = location.strip_prefix(BASE).expect("under the base");
            let (live_status, live_h, live_body) = s.block_on(get(&s.at(doc), headers));
            let (status, h, body) = s.block_on(get(&web.at(doc), headers));
            assert_eq!((status, live_status), (200, 200), "{what} → {doc}");
            (live_h, live_body, h, body)
        } else {
            (live_h, live_body, h, body)
        };
        let content_type = header(&h, "content-type");
        assert_eq!(content_type, header(&live_h, "content-type"), "{what}");
        for same in ["content-encoding", "content-range"] {
            assert_eq!(header(&h, same), header(&live_h, same), "{what}: {same}");
        }
        // a range is a part of a document, not one to parse
        let part = !header(&h, "content-range").is_empty();
        if let Some(g) = (!part).then(|| graph(&content_type, &body)).flatten() {
            assert!(
                Some(g) == graph(&content_type, &live_body),
                "{what}: not isomorphic to the live document"
            );
        }
        assert!(
            body == live_body,
            "{what}: body differs from the live server's"
        );
        for negotiated in ["/doc/place/turin", "/catalog", "/queries/"] {
            if path.starts_with(negotiated) && !path.contains('.') {
                assert!(header(&h, "vary").contains("Accept"), "{what}: no Vary");
            }
        }
    }
    // what only the static site does: no SPARQL endpoint, no configuration served
    let (status, h, body) = s.block_on(get(&web.at("/sparql"), &[("Accept", BROWSER)]));
    assert_eq!(status, 501, "{name}: /sparql");
    assert_eq!(header(&h, "content-type"), "text/html; charset=utf-8");
    assert!(
        String::from_utf8_lossy(&body).contains("static copy"),
        "{name}"
    );
    let (status, _, body) = s.block_on(get(
        &web.at("/sparql"),
        &[("Accept", BROWSER), ("Accept-Language", "it")],
    ));
    assert_eq!(status, 501);
    assert!(
        String::from_utf8_lossy(&body).contains("copia statica"),
        "{name}"
    );
    for private in ["/_server/nginx.conf", "/_lang/it/index.html", "/.htaccess"] {
        let (status, _, _) = s.block_on(get(&web.at(private), &[]));
        assert!(
            matches!(status, 403 | 404),
            "{name}: {private} gave {status}"
        );
    }
    let (status, h, body) = s.block_on(get(&web.at("/doc/place/atlantis"), &[("Accept", BROWSER)]));
    assert_eq!(status, 404);
    assert_eq!(header(&h, "content-type"), "text/html; charset=utf-8");
    assert!(String::from_utf8_lossy(&body).contains("nothing is published"));
    let log = std::fs::read_to_string(&web.log).unwrap_or_default();
    assert!(
        !log.contains("[emerg]") && !log.contains("[alert]"),
        "{name}:\n{log}"
    );
}

/// With `--sparql-endpoint`, `/sparql` is a 307 to it, query string kept.
fn redirects_queries_to_the_endpoint(web: &WebServer, name: &str) {
    let s = live();
    let (status, h, _) = s.block_on(get(&web.at("/sparql?query=ASK%7B%7D"), &[]));
    assert_eq!(status, 307, "{name}");
    assert_eq!(
        header(&h, "location"),
        format!("{ENDPOINT}?query=ASK%7B%7D")
    );
    assert_eq!(header(&h, "access-control-allow-origin"), "*");
}

#[test]
#[ignore = "needs nginx: apt-get install nginx (then cargo test -- --include-ignored)"]
fn nginx_with_the_snippet_serves_the_site_like_the_live_server() {
    let web = nginx(&site().root);
    behaves_like_the_live_server(&web, "nginx");
    let web = nginx(&site_with_endpoint().root);
    redirects_queries_to_the_endpoint(&web, "nginx");
}

#[test]
#[ignore = "needs Apache: apt-get install apache2 (then cargo test -- --include-ignored)"]
fn apache_with_the_rules_serves_the_site_like_the_live_server() {
    for htaccess in [true, false] {
        let name = if htaccess {
            "apache2 (.htaccess)"
        } else {
            "apache2 (apache.conf)"
        };
        let web = apache(&site().root, htaccess);
        behaves_like_the_live_server(&web, name);
        let web = apache(&site_with_endpoint().root, htaccess);
        redirects_queries_to_the_endpoint(&web, name);
    }
}

#[test]
fn the_cli_writes_the_site_and_refuses_conflicting_options() {
    let dir = public_tempdir();
    let root = dir.path().join("public");
    let out = crate::reti()
        .args(["export", "--site"])
        .arg(&root)
        .args(["--base", BASE])
        .output()
        .expect("run reti");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("wrote the site to"), "{stderr}");
    let files = tree(&root);
    let library = tree(&site().root);
    assert_eq!(files["doc/place/turin.ttl"], library["doc/place/turin.ttl"]);
    assert_eq!(files["_server/nginx.conf"], library["_server/nginx.conf"]);
    for args in [
        vec!["export", "--site", "x", "-o", "y"],
        vec!["export", "--site", "x", "--all"],
        vec!["export", "--site", "x", "--format", "nt"],
        vec!["export", "--sparql-endpoint", "https://x.org/sparql"],
        vec!["export", "--site", "x", "--base", "https://x.org/$x/"],
    ] {
        let out = crate::reti().args(&args).output().expect("run reti");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}
