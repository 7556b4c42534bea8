//! The web server configurations shipped with an exported site (`_server/`): nginx and Apache
//! rules that make the static files answer as `reti serve` does — the same content negotiation
//! (`Accept`, `?format=`, `?lang=`), the same media types, the same redirects — and, with a
//! SPARQL endpoint, a proxy to it. Written from one table of choices ([`choices`]), so the two
//! servers cannot drift apart.

use super::{DEFAULT_TYPE, FILE_TYPES};
use std::fmt::Write;

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
pub(super) fn server_readme(base: &str) -> String {
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
