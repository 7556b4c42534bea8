//! The command line's arguments, as clap parses them.

use super::*;

/// reti publishes which cities belong to which networks — in which role and field, since when,
/// according to which source — as Linked Open Data.
#[derive(Debug, Parser)]
#[command(name = "reti", version, about, long_about = None)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(super) command: Command,
}

#[derive(Debug, Args)]
pub(super) struct DataArgs {
    /// Directory of source files (TOML and CSV).
    #[arg(long, default_value = "data", value_name = "DIR")]
    pub(super) data: PathBuf,
    /// Base IRI resources are minted under: {base}id/{kind}/{slug}.
    #[arg(long, default_value = Base::DEFAULT, value_name = "IRI")]
    pub(super) base: String,
}

#[derive(Debug, Subcommand)]
pub(super) enum Command {
    /// Write synthetic source files at any scale, reproducibly from a seed, for benchmarks and
    /// scale tests (not real data).
    ///
    /// Example: reti synth --networks 10 --memberships 100000 --seed 1 -o /tmp/synth
    #[command(verbatim_doc_comment)]
    Synth {
        /// Networks.
        #[arg(long, default_value_t = 10)]
        networks: usize,
        /// Memberships in all.
        #[arg(long, default_value_t = 1000)]
        memberships: usize,
        /// Seed: the same seed gives byte-identical files.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Directory to write (a data directory for --data).
        #[arg(long, short, value_name = "DIR")]
        output: PathBuf,
    },
    /// Build the dataset and publish it over HTTP: SPARQL endpoint, dereferenceable URIs,
    /// HTML pages, dumps, stored queries, DCAT catalog and VoID.
    ///
    /// The base IRI defaults to the address served (http://localhost:7878/ for the default
    /// --bind). Stop with Ctrl-C or SIGTERM: requests under way are finished first.
    ///
    /// Examples:
    ///   reti serve
    ///   reti serve --bind 0.0.0.0:8080 --base https://reti.example.org/
    ///   reti serve --sparql-endpoint http://store:7878/query --base https://reti.example.org/
    ///   curl -H 'Accept: text/turtle' -L http://localhost:7878/id/place/turin
    #[command(verbatim_doc_comment)]
    Serve {
        /// Directory of source files (TOML and CSV).
        #[arg(long, default_value = "data", value_name = "DIR")]
        data: PathBuf,
        /// Base IRI resources are minted under (default: the address served).
        #[arg(long, value_name = "IRI")]
        base: Option<String>,
        /// Address and port to listen on.
        #[arg(long, default_value = "127.0.0.1:7878", value_name = "ADDR")]
        bind: String,
        /// Directory of stored queries (*.rq).
        #[arg(long, default_value = "queries", value_name = "DIR")]
        queries: PathBuf,
        /// Catalog metadata (publisher, licence, contact); optional.
        #[arg(long, default_value = "reti.toml", value_name = "FILE")]
        config: PathBuf,
        /// Seconds a SPARQL query may run before it is cancelled.
        #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
        query_timeout: f64,
        /// Seconds a stored query (--queries) may run before it is cancelled. Each is evaluated
        /// once per build, in the background from start-up; a request waits for it at most
        /// --query-timeout, then gets 503 with Retry-After while the evaluation goes on.
        #[arg(long, default_value_t = 600.0, value_name = "SECONDS")]
        stored_query_timeout: f64,
        /// SPARQL queries evaluated at once.
        #[arg(long, default_value_t = 4, value_name = "N")]
        max_concurrent_queries: usize,
        /// SPARQL queries one client address may run at once (default: half of
        /// --max-concurrent-queries, rounded up); another waits up to a second for its turn,
        /// then gets 429.
        #[arg(long, value_name = "N")]
        max_queries_per_client: Option<usize>,
        /// A reverse proxy (address or network, e.g. 127.0.0.1 or 10.0.0.0/8) whose
        /// X-Forwarded-For header names the client; repeat for several. Nobody else's is
        /// believed.
        #[arg(long, value_name = "ADDR[/BITS]")]
        trusted_proxy: Vec<crate::server::clients::Network>,
        /// Mebibytes a query may allocate (sorts, hash tables, groups, strings it makes);
        /// past it the query is stopped with 503. 0: no budget.
        #[arg(long, default_value_t = 512, value_name = "MIB")]
        query_memory: usize,
        /// Mebibytes a stored query may allocate (they run one at a time).
        #[arg(long, default_value_t = 2048, value_name = "MIB")]
        stored_query_memory: usize,
        /// Rebuild and swap in the data whenever a file under --data or --queries changes
        /// (SIGHUP always does). A failed rebuild logs every problem and keeps serving.
        #[arg(long)]
        watch: bool,
        /// Serve the data of a remote SPARQL store instead of building it from --data: its
        /// query URL (Oxigraph http://store:7878/query, Virtuoso http://store:8890/sparql,
        /// QLever http://store:7001/, Fuseki http://store:3030/ds/query). It must hold what
        /// `reti export --format nq` writes, with `--format nt` as its default graph. --base
        /// defaults to the base the stored data was exported with. Dumps are not served, and
        /// --watch does not apply (SIGHUP reads the store's counts again). Exits with 1 if the
        /// store cannot be reached at start-up.
        #[arg(long, value_name = "URL")]
        sparql_endpoint: Option<String>,
        /// Seconds one request to the --sparql-endpoint may take (then 504 Gateway Timeout).
        #[arg(long, default_value_t = 30.0, value_name = "SECONDS")]
        remote_timeout: f64,
        /// Directory for the dumps, which are served from disk. A start with the same data
        /// finds the dumps it wrote before and skips exporting them. Default: reti-dumps in
        /// the system's temporary directory.
        #[arg(long, value_name = "DIR")]
        dumps_dir: Option<PathBuf>,
        /// Build the store on disk, under DIR, instead of in memory: a start with the same
        /// data (and base) opens the store it built before instead of building it again, which
        /// for a million memberships is seconds instead of minutes. The two most recently used
        /// stores are kept. Needs a reti built with `--features rocksdb`.
        #[arg(long, value_name = "DIR", conflicts_with = "sparql_endpoint")]
        store: Option<PathBuf>,
    },
    /// Validate the source files and print a summary, or every problem found.
    ///
    /// Exit status 0 when the data is valid, 1 when it is not (each problem is printed as
    /// file:line:column: message, with a hint).
    ///
    /// With --report, also print the reconciliation report: each stated figure beside what
    /// the data lists (UCCN: 180 cities stated, 8 listed), and each point where two sources
    /// disagree, with both sources and their dates.
    ///
    /// Examples:
    ///   reti check --data data
    ///   reti check --report
    #[command(verbatim_doc_comment)]
    Check {
        #[command(flatten)]
        data: DataArgs,
        /// Also print the reconciliation report.
        #[arg(long)]
        report: bool,
        /// Catalog metadata, checked too: its description should name every network.
        #[arg(long, default_value = "reti.toml", value_name = "FILE")]
        config: PathBuf,
    },
    /// Serialise the dataset (all graphs, or one) in an RDF format.
    ///
    /// Graph formats (ttl, nt, rdf, jsonld) get the union of the named graphs; trig and nq keep
    /// one graph per source. Output is byte-identical across runs on the same data. With -o,
    /// the file is replaced only once complete. With --all -o DIR, every format is written as
    /// DIR/reti.{ext} with DIR/SHA256SUMS.
    ///
    /// With --site DIR, the whole site as static files (every document in every format, the
    /// pages, dumps, catalog, ontology, stored queries and their results) with nginx and Apache
    /// configurations that redirect and negotiate like `reti serve`; see DIR/_server/README.txt.
    ///
    /// Examples:
    ///   reti export --format ttl -o reti.ttl
    ///   reti export --format nq --graph http://localhost:7878/graph/turin-networks-page
    ///   reti export --all -o dumps/
    ///   reti export --site public/ --base https://reti.example.org/
    #[command(verbatim_doc_comment)]
    Export {
        #[command(flatten)]
        data: DataArgs,
        /// Output format.
        #[arg(long, short, value_enum, default_value = "ttl")]
        format: Format,
        /// Export only this named graph (one per source; see `reti check`).
        #[arg(long, value_name = "IRI")]
        graph: Option<String>,
        /// Write to this file (or, with --all, this directory) instead of standard output.
        #[arg(long, short, value_name = "PATH")]
        output: Option<PathBuf>,
        /// Write every format plus SHA256SUMS into the directory given by -o.
        #[arg(long, requires = "output", conflicts_with_all = ["format", "graph"])]
        all: bool,
        /// Write the static site into this directory (replaced only once complete, and only if
        /// it is empty or a site written before). Give --base the address it will be served at.
        #[arg(long, value_name = "DIR", conflicts_with_all = ["output", "all", "format", "graph"])]
        site: Option<PathBuf>,
        /// With --site: directory of stored queries (*.rq).
        #[arg(long, default_value = "queries", value_name = "DIR")]
        queries: PathBuf,
        /// With --site: catalog metadata (publisher, licence, contact); optional.
        #[arg(long, default_value = "reti.toml", value_name = "FILE")]
        config: PathBuf,
        /// With --site: a live SPARQL endpoint that /sparql redirects to. Without it, /sparql on
        /// the static site answers 501 with a page pointing to the dumps and stored queries.
        #[arg(long, value_name = "URL", requires = "site")]
        sparql_endpoint: Option<String>,
    },
    /// Run a SPARQL query over the union of all graphs (GRAPH ?g reaches each source's graph).
    ///
    /// SELECT and ASK results print as a table on a terminal and as CSV otherwise, unless
    /// --format says; CONSTRUCT and DESCRIBE results print as Turtle unless --format says.
    ///
    /// Examples:
    ///   reti query queries/networks-of-a-city.rq
    ///   reti query -e 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' --format json
    #[command(verbatim_doc_comment)]
    Query {
        #[command(flatten)]
        data: DataArgs,
        /// File holding the query (- for standard input).
        #[arg(required_unless_present = "expression", conflicts_with = "expression")]
        file: Option<PathBuf>,
        /// The query itself.
        #[arg(long, short = 'e', value_name = "QUERY")]
        expression: Option<String>,
        /// Output format.
        #[arg(long, short, value_enum)]
        format: Option<QueryFormat>,
        /// Seconds the query may run before it is stopped (default: no limit).
        #[arg(long, value_name = "SECONDS")]
        timeout: Option<f64>,
        /// Mebibytes the query may allocate before it is stopped (default: no limit).
        #[arg(long, value_name = "MIB")]
        memory: Option<usize>,
    },
    /// Push the dataset into another triple store with the SPARQL 1.1 Graph Store Protocol:
    /// one PUT per named graph (each source's, the ontology's, the catalog as
    /// {base}graph/catalog, and their merge as {base}graph/merge, which front ends read as
    /// their default graph), each replacing that graph on the target; then every graph is read
    /// back and compared with the local one, triple by triple.
    ///
    /// The store's own default graph is left alone unless --default-graph is given. Running it
    /// again leaves the target as the first run did. Exit status 1 when a request fails or a
    /// graph read back differs (literals a store is known to keep in another form of the same
    /// value are warnings).
    ///
    /// Examples:
    ///   reti publish --to http://localhost:7879/store --query-endpoint http://localhost:7879/query
    ///   reti publish --to https://db.example.org/sparql-graph-crud-auth --user dba --password-env VIRTUOSO_PASSWORD --query-endpoint https://db.example.org/sparql
    ///   reti publish --to http://localhost:7879/store --dry-run
    #[command(verbatim_doc_comment)]
    Publish {
        #[command(flatten)]
        data: DataArgs,
        /// The target's Graph Store Protocol endpoint (Oxigraph: …/store; Fuseki: …/DATASET/data).
        #[arg(long, value_name = "URL")]
        to: String,
        /// The target's SPARQL query endpoint, to check each graph's triple count there too
        /// (what front ends will read).
        #[arg(long, value_name = "URL")]
        query_endpoint: Option<String>,
        /// Do not read the graphs back to compare them with the local ones.
        #[arg(long)]
        no_verify: bool,
        /// User name, sent (Digest or Basic, as the store asks) once the store answers 401.
        #[arg(long, value_name = "NAME")]
        user: Option<String>,
        /// Password for --user (visible to other users in the process list: prefer --password-env).
        #[arg(
            long,
            value_name = "PASSWORD",
            requires = "user",
            conflicts_with = "password_env"
        )]
        password: Option<String>,
        /// Environment variable holding the password for --user.
        #[arg(long, value_name = "VAR", requires = "user")]
        password_env: Option<String>,
        /// Environment variable holding a bearer token (sent as Authorization: Bearer).
        #[arg(long, value_name = "VAR", conflicts_with = "user")]
        token_env: Option<String>,
        /// Retries of a request after a connection failure or a 502, 503, 504 or 429 answer,
        /// waiting 0.5 s, 1 s, 2 s… (at most 30 s, or the store's Retry-After) in between.
        /// Other errors are final at once.
        #[arg(long, default_value_t = 4, value_name = "N")]
        retries: u32,
        /// Seconds each request may take.
        #[arg(long, default_value_t = 60.0, value_name = "SECONDS")]
        timeout: f64,
        /// Serialisation of the graphs sent: N-Triples, which every store reads the same, or
        /// Turtle (smaller; Virtuoso misreads `\#` in its prefixed names).
        #[arg(long, short, value_enum, default_value = "nt")]
        format: crate::push::BodyFormat,
        /// Also replace the target's default graph with the merge of the named graphs (for
        /// other clients of a store whose default graph is a graph of its own; Virtuoso's is
        /// not).
        #[arg(long)]
        default_graph: bool,
        /// Print each request that would be sent (method, URL, content type, triples, bytes)
        /// and send nothing.
        #[arg(long)]
        dry_run: bool,
        /// Directory of stored queries (*.rq), as for serve (the catalog lists them).
        #[arg(long, default_value = "queries", value_name = "DIR")]
        queries: PathBuf,
        /// Catalog metadata (publisher, licence, contact), as for serve.
        #[arg(long, default_value = "reti.toml", value_name = "FILE")]
        config: PathBuf,
    },
}

/// Output formats of `reti query`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum QueryFormat {
    /// Aligned columns (SELECT, ASK).
    Table,
    /// SPARQL 1.1 Query Results JSON (SELECT, ASK).
    Json,
    /// SPARQL 1.1 Query Results CSV (SELECT, ASK).
    Csv,
    /// SPARQL 1.1 Query Results TSV (SELECT, ASK).
    Tsv,
    /// SPARQL Query Results XML (SELECT, ASK).
    Xml,
    /// Turtle (CONSTRUCT, DESCRIBE).
    Ttl,
    /// N-Triples (CONSTRUCT, DESCRIBE).
    Nt,
    /// JSON-LD, compacted (CONSTRUCT, DESCRIBE).
    Jsonld,
    /// RDF/XML (CONSTRUCT, DESCRIBE).
    Rdf,
}
