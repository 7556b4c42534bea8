//! The `reti` command line: argument parsing and the commands, with exit codes
//! 0 (ok), 1 (data, query or output error) and 2 (usage error).

use crate::build::BuildError;
use crate::export::{self, Format};
use crate::rdf::Base;
use crate::store::Dataset;
use anyhow::Context;
use clap::{Args, Parser, Subcommand, ValueEnum};
use oxigraph::model::{NamedNode, Term};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{CancellationToken, QueryResults, QuerySolution, SparqlEvaluator};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// reti publishes which cities belong to which networks — in which role and field, since when,
/// according to which source — as Linked Open Data.
#[derive(Debug, Parser)]
#[command(name = "reti", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Args)]
struct DataArgs {
    /// Directory of source files (TOML and CSV).
    #[arg(long, default_value = "data", value_name = "DIR")]
    data: PathBuf,
    /// Base IRI resources are minted under: {base}id/{kind}/{slug}.
    #[arg(long, default_value = Base::DEFAULT, value_name = "IRI")]
    base: String,
}

#[derive(Debug, Subcommand)]
enum Command {
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
enum QueryFormat {
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

/// A failure with its exit code.
struct Failure {
    code: u8,
    error: anyhow::Error,
}

impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure {
            code: 1,
            error: e.into(),
        }
    }
}

/// The value of a duration option: a positive number of seconds that a `Duration` can hold.
fn seconds(option: &str, value: f64) -> Result<std::time::Duration, Failure> {
    std::time::Duration::try_from_secs_f64(value)
        .ok()
        .filter(|d| !d.is_zero() && value > 0.0)
        .ok_or_else(|| usage(format!("{option} must be a positive number of seconds")))
}

fn mebibytes(option: &str, value: usize) -> Result<usize, Failure> {
    value
        .checked_mul(1 << 20)
        .ok_or_else(|| usage(format!("{option} is too large")))
}

fn usage(message: String) -> Failure {
    Failure {
        code: 2,
        error: anyhow::anyhow!(message),
    }
}

/// Parses the process arguments and runs the command.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure { code, error }) => {
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "error: {error:#}");
            ExitCode::from(code)
        }
    }
}

/// Prints a build's warnings (SHACL warnings, sources' notes) to standard error, where the
/// maintainer running the command sees them; a build never prints.
fn print_warnings(dataset: Option<&Dataset>) {
    for warning in dataset.into_iter().flat_map(|d| &d.warnings().0) {
        eprintln!("{warning}");
    }
}

fn build(data: &DataArgs) -> Result<Dataset, Failure> {
    let base = Base::new(&data.base).map_err(|e| usage(e.to_string()))?;
    let built = Dataset::build(&data.data, base);
    if let Ok(dataset) = &built {
        print_warnings(Some(dataset));
    }
    built.map_err(|e| match e {
        BuildError::Invalid(d) => Failure {
            code: 1,
            error: anyhow::anyhow!("{} is not valid:\n{d}", data.data.display()),
        },
        other => other.into(),
    })
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Synth {
            networks,
            memberships,
            seed,
            output,
        } => {
            if networks == 0 {
                return Err(usage("--networks must be at least 1".into()));
            }
            let spec = crate::synth::Spec {
                networks,
                memberships,
                seed,
            };
            crate::synth::write(&spec, &output)
                .with_context(|| format!("cannot write to {}", output.display()))?;
            eprintln!(
                "wrote {memberships} memberships in {networks} networks to {}",
                output.display()
            );
            Ok(())
        }
        Command::Serve {
            data,
            base,
            bind,
            queries,
            config,
            query_timeout,
            stored_query_timeout,
            max_concurrent_queries,
            max_queries_per_client,
            trusted_proxy,
            query_memory,
            stored_query_memory,
            watch,
            sparql_endpoint,
            remote_timeout,
            dumps_dir,
            store,
        } => {
            let query_timeout = seconds("--query-timeout", query_timeout)?;
            let stored_query_timeout = seconds("--stored-query-timeout", stored_query_timeout)?;
            let remote_timeout = seconds("--remote-timeout", remote_timeout)?;
            if watch && sparql_endpoint.is_some() {
                return Err(usage(
                    "--watch rebuilds from --data, but with --sparql-endpoint the data is in the remote store: send SIGHUP to read its counts again".into(),
                ));
            }
            if store.is_some() && !cfg!(feature = "rocksdb") {
                return Err(usage(BuildError::NoDiskStores.to_string()));
            }
            let remote = sparql_endpoint.map(|endpoint| crate::publication::RemoteOptions {
                endpoint,
                timeout: remote_timeout,
            });
            let config = crate::config::Config::load(&config)?;
            let settings = crate::server::Settings {
                query_timeout,
                stored_query_timeout,
                max_concurrent_queries,
                max_queries_per_client,
                trusted_proxies: trusted_proxy,
                query_memory: mebibytes("--query-memory", query_memory)?,
                stored_query_memory: mebibytes("--stored-query-memory", stored_query_memory)?,
                ..crate::server::Settings::default()
            };
            if !crate::support::memory::is_counting() && settings.query_memory > 0 {
                tracing::warn!(
                    "the global allocator does not count queries' memory: --query-memory is not enforced"
                );
            }
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(serve(
                data, base, bind, queries, config, settings, watch, remote, dumps_dir, store,
            ))
        }
        Command::Check {
            data,
            report,
            config,
        } => {
            let config_file = config;
            let config = crate::config::Config::load(&config_file)?;
            let dataset = build(&data)?;
            for warning in description_warnings(&dataset, &config, &config_file)? {
                eprintln!("{warning}");
            }
            let mut out = std::io::stdout().lock();
            print_summary(&mut out, &data, &dataset)?;
            if report {
                let report = crate::query::report::reconcile(&dataset, "en")?;
                writeln!(out, "\n{}", report.to_text().trim_end())?;
            }
            Ok(())
        }
        Command::Export {
            site: Some(dir),
            data,
            queries,
            config,
            sparql_endpoint,
            ..
        } => export_site(data, queries, config, sparql_endpoint, &dir),
        Command::Export {
            data,
            format,
            graph,
            output,
            all,
            ..
        } => {
            let graph = graph
                .map(|g| NamedNode::new(&g).map_err(|e| usage(format!("--graph `{g}`: {e}"))))
                .transpose()?;
            let dataset = build(&data)?;
            match (all, output) {
                (true, Some(dir)) => {
                    let sums = export::export_all(&dataset, &dir)?;
                    eprintln!(
                        "wrote {} dumps and SHA256SUMS to {}",
                        sums.len(),
                        dir.display()
                    );
                }
                (_, Some(path)) => export::export_file(&dataset, format, graph.as_ref(), &path)?,
                (_, None) => {
                    let mut bytes = Vec::new();
                    export::write(&dataset, format, graph.as_ref(), &mut bytes)?;
                    std::io::stdout().lock().write_all(&bytes)?;
                }
            }
            Ok(())
        }
        Command::Query {
            data,
            file,
            expression,
            format,
            timeout,
            memory,
        } => {
            let timeout = timeout.map(|t| seconds("--timeout", t)).transpose()?;
            let memory = memory
                .map(|m| mebibytes("--memory", m))
                .transpose()?
                .unwrap_or(0);
            let query = match (expression, file) {
                (Some(q), _) => q,
                (None, Some(path)) if path.as_os_str() == "-" => {
                    std::io::read_to_string(std::io::stdin())
                        .context("cannot read the query from standard input")?
                }
                (None, Some(path)) => std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read the query file {}", path.display()))?,
                (None, None) => return Err(usage("give a query file or -e QUERY".into())),
            };
            let dataset = build(&data)?;
            let token = CancellationToken::new();
            if let Some(timeout) = timeout {
                let token = token.clone();
                // ends with the process if the query ends first
                std::thread::spawn(move || {
                    std::thread::sleep(timeout);
                    token.cancel();
                });
            }
            let budget = crate::support::memory::Budget::enter(memory, &token);
            let stopped = |budget: &crate::support::memory::Budget| {
                if let Some(exceeded) = budget.exceeded() {
                    Some(anyhow::anyhow!("{exceeded} and was stopped (--memory)"))
                } else if token.is_cancelled() {
                    Some(anyhow::anyhow!(
                        "the query did not finish within {} seconds and was stopped (--timeout)",
                        timeout.unwrap_or_default().as_secs_f64()
                    ))
                } else {
                    None
                }
            };
            let evaluator = SparqlEvaluator::new().with_cancellation_token(token.clone());
            let evaluated = spargebra::SparqlParser::new()
                .parse_query(&query)
                .map_err(|e| anyhow::anyhow!("the query is not valid SPARQL: {e}"))
                .and_then(|parsed| {
                    dataset
                        .evaluate(evaluator, parsed, None)
                        .map_err(|e| anyhow::anyhow!("the query failed: {e}"))
                });
            let mut bytes = Vec::new();
            let printed = match evaluated {
                Ok(results) => print_results(&mut bytes, &dataset, results, format),
                Err(e) => Err(e.into()),
            };
            if let Some(e) = stopped(&budget) {
                return Err(e.into());
            }
            drop(budget);
            printed?;
            std::io::stdout().lock().write_all(&bytes)?;
            Ok(())
        }
        Command::Publish {
            data,
            to,
            query_endpoint,
            no_verify,
            user,
            password,
            password_env,
            token_env,
            retries,
            timeout,
            format,
            default_graph,
            dry_run,
            queries,
            config,
        } => {
            let timeout = seconds("--timeout", timeout)?;
            let from_env = |option: &str, var: &str| {
                std::env::var(var).map_err(|_| {
                    usage(format!(
                        "{option} {var}: the environment variable {var} is not set (or not UTF-8)"
                    ))
                })
            };
            let auth = match (user, password, password_env, token_env) {
                (Some(user), Some(password), _, _) => {
                    crate::push::Auth::Password { user, password }
                }
                (Some(user), None, Some(var), _) => crate::push::Auth::Password {
                    user,
                    password: from_env("--password-env", &var)?,
                },
                (Some(_), None, None, _) => {
                    return Err(usage(
                        "--user needs --password-env VAR (or --password)".into(),
                    ));
                }
                (None, _, _, Some(var)) => {
                    crate::push::Auth::Bearer(from_env("--token-env", &var)?)
                }
                (None, _, _, None) => crate::push::Auth::None,
            };
            let remote = crate::push::StoreClient::new(crate::push::Target {
                store: to.clone(),
                query: query_endpoint,
                auth,
                retries,
                timeout,
                backoff: std::time::Duration::from_millis(500),
            })
            .map_err(|e| usage(e.to_string()))?;
            let base = Base::new(&data.base).map_err(|e| usage(e.to_string()))?;
            let options = crate::publication::BuildOptions::new(
                data.data.clone(),
                queries,
                crate::config::Config::load(&config)?,
                base,
            );
            let published =
                crate::publication::Publication::build(&options).map_err(|e| match e {
                    crate::publication::PublicationError::Build(BuildError::Invalid(d)) => {
                        Failure {
                            code: 1,
                            error: anyhow::anyhow!("{} is not valid:\n{d}", data.data.display()),
                        }
                    }
                    other => other.into(),
                })?;
            print_warnings(published.dataset.local());
            let payloads = crate::push::payloads(&published, format, default_graph)?;
            if dry_run {
                let mut out = std::io::stdout().lock();
                writeln!(out, "dry run: {} requests, none sent", payloads.len())?;
                for line in crate::push::plan(&remote, &payloads) {
                    writeln!(out, "{line}")?;
                }
                return Ok(());
            }
            let runtime = tokio::runtime::Runtime::new()?;
            let report = runtime.block_on(crate::push::publish(
                &remote,
                &payloads,
                !no_verify,
                &mut |line| eprintln!("{line}"),
            ))?;
            println!(
                "published {} graphs ({} triples) to {to}",
                report.graphs, report.triples
            );
            match report.compared {
                Some(n) if report.rewritten > 0 => println!(
                    "verified: the {n} graphs read back from {to} hold the same triples as here ({} literal{} in another form of the same value: see the warnings)",
                    report.rewritten,
                    if report.rewritten == 1 { "" } else { "s" }
                ),
                Some(n) => println!(
                    "verified: the {n} graphs read back from {to} hold the same triples as here"
                ),
                None => println!("not verified: the graphs were not read back (--no-verify)"),
            }
            if let (Some(n), Some(endpoint)) = (report.verified, remote.query_endpoint()) {
                println!("counted: the {n} named graphs hold as many triples at {endpoint}");
            }
            Ok(())
        }
    }
}

fn export_site(
    data: DataArgs,
    queries: PathBuf,
    config: PathBuf,
    sparql_endpoint: Option<String>,
    dir: &std::path::Path,
) -> Result<(), Failure> {
    let base = Base::new(&data.base).map_err(|e| usage(e.to_string()))?;
    if base.as_str() == Base::DEFAULT {
        eprintln!(
            "note: no --base given: IRIs, links and redirects point to {}; give --base the \
             address the site will be served at",
            Base::DEFAULT
        );
    }
    let options = crate::site::SiteOptions {
        build: crate::publication::BuildOptions::new(
            data.data.clone(),
            queries,
            crate::config::Config::load(&config)?,
            base,
        ),
        sparql_endpoint,
    };
    let summary = crate::site::export_site(&options, dir).map_err(|e| match e {
        crate::site::SiteError::Publish(crate::publication::PublicationError::Build(
            BuildError::Invalid(d),
        )) => Failure {
            code: 1,
            error: anyhow::anyhow!("{} is not valid:\n{d}", data.data.display()),
        },
        e @ crate::site::SiteError::UnsafeUrl { .. } => usage(e.to_string()),
        other => other.into(),
    })?;
    for warning in &summary.warnings.0 {
        eprintln!("{warning}");
    }
    eprintln!(
        "wrote the site to {}: {} files, {} bytes, documents for {} resources",
        dir.display(),
        summary.files,
        summary.bytes,
        summary.resources
    );
    Ok(())
}

// one argument per option of `reti serve`
#[allow(clippy::too_many_arguments)]
async fn serve(
    data: PathBuf,
    base: Option<String>,
    bind: String,
    queries: PathBuf,
    config: crate::config::Config,
    settings: crate::server::Settings,
    watch: bool,
    remote: Option<crate::publication::RemoteOptions>,
    dumps_dir: Option<PathBuf>,
    store: Option<PathBuf>,
) -> Result<(), Failure> {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // One line per request, written to standard error by a thread of its own: written by the
    // worker that answers, it took about a tenth of a trivial answer's time at one connection
    // (BENCHMARKS.md). Not lossy: a full queue slows answers down rather than dropping lines. The guard flushes
    // what is queued when `serve` returns.
    let (log, _flush_log_on_return) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        .finish(std::io::stderr());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(log)
        .try_init();
    let listener = tokio::net::TcpListener::bind(&bind)
        .await
        .map_err(|e| usage(format!("cannot listen on {bind}: {e}")))?;
    let address = listener.local_addr()?;
    let base = match (base, &remote) {
        (Some(b), _) => b,
        // the base the store's data was exported with
        (None, Some(remote)) => remote_base(remote).await?,
        (None, None) if address.ip().is_loopback() => {
            format!("http://localhost:{}/", address.port())
        }
        (None, None) => format!("http://{address}/"),
    };
    let base = Base::new(&base).map_err(|e| usage(e.to_string()))?;
    let options = crate::publication::BuildOptions {
        remote,
        dumps_dir,
        store,
        ..crate::publication::BuildOptions::new(data.clone(), queries, config, base)
    };
    let build_options = options.clone();
    let published =
        tokio::task::spawn_blocking(move || crate::publication::Publication::build(&build_options))
            .await
            .map_err(|e| anyhow::anyhow!("the build task failed: {e}"))?
            .map_err(|e| match e {
                crate::publication::PublicationError::Build(BuildError::Invalid(d)) => Failure {
                    code: 1,
                    error: anyhow::anyhow!("{} is not valid:\n{d}", data.display()),
                },
                crate::publication::PublicationError::Backend(e) => remote_failure(e),
                other => other.into(),
            })?;
    print_warnings(published.dataset.local());
    let quads = published.dataset.summary().quads;
    let published_remote = published.dataset.remote().map(|r| r.url().to_owned());
    let base = published.base().as_str().to_owned();
    let state = crate::server::AppState::new(published, settings);
    // the stored queries' results, ready before their first asker comes
    tokio::spawn(crate::server::warm_up(std::sync::Arc::clone(&state)));
    tokio::spawn(crate::server::reload_on_change(
        std::sync::Arc::clone(&state),
        options,
        watch,
        std::time::Duration::from_secs(1),
    ));
    match published_remote {
        Some(url) => println!(
            "reti: serving {quads} quads on http://{address}/ (IRIs under {base}; data from the SPARQL store {url})"
        ),
        None => println!("reti: serving {quads} quads on http://{address}/ (IRIs under {base})"),
    }
    let _ = std::io::stdout().flush();
    crate::server::listen::serve(
        listener,
        crate::server::app(state),
        crate::server::shutdown_signal(),
    )
    .await?;
    Ok(())
}

/// The base of the reti data a remote store holds (see [`crate::query::Remote::connect`]).
async fn remote_base(remote: &crate::publication::RemoteOptions) -> Result<String, Failure> {
    let remote = remote.clone();
    tokio::task::spawn_blocking(move || {
        let endpoint = crate::query::remote::RemoteEndpoint::new(&remote.endpoint, remote.timeout)
            .map_err(crate::query::BackendError::from)?;
        crate::query::Remote::connect(endpoint, None).map(|r| r.base().as_str().to_owned())
    })
    .await
    .map_err(|e| anyhow::anyhow!("the start-up task failed: {e}"))?
    .map_err(remote_failure)
}

/// A remote store that cannot be used at start-up: a usage error for a bad URL, else 1.
fn remote_failure(e: crate::query::BackendError) -> Failure {
    match e {
        crate::query::BackendError::Remote(
            e @ crate::query::remote::RemoteError::BadUrl { .. },
        ) => usage(e.to_string()),
        e => Failure {
            code: 1,
            error: anyhow::anyhow!("cannot serve the remote SPARQL store: {e}"),
        },
    }
}

/// The networks of the data that the dataset's description in `reti.toml` does not name, in
/// English or in Italian: the description is what portals and search engines show, and it is
/// written by hand, so a network added to the data is easily forgotten there.
fn description_warnings(
    dataset: &Dataset,
    config: &crate::config::Config,
    file: &std::path::Path,
) -> Result<Vec<String>, Failure> {
    let query = "PREFIX reti: <https://w3id.org/reti/ontology#> \
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#> \
        SELECT ?network ?name WHERE { ?network a reti:Network . \
        OPTIONAL { ?network skos:prefLabel|skos:altLabel ?name } }";
    let mut names: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    if let QueryResults::Solutions(rows) = dataset.query(query)? {
        for row in rows {
            let row = row?;
            let Some(Term::NamedNode(network)) = row.get("network") else {
                continue;
            };
            let entry = names.entry(network.as_str().to_owned()).or_default();
            if let Some(Term::Literal(name)) = row.get("name") {
                entry.push(name.value().to_owned());
            }
        }
    }
    let described = |text: &str, names: &[String]| {
        let text = text.to_lowercase();
        names.iter().any(|n| text.contains(&n.to_lowercase()))
    };
    let mut warnings = Vec::new();
    for (network, names) in &names {
        let slug = network.rsplit('/').next().unwrap_or(network);
        let mut all = names.clone();
        all.push(slug.to_owned());
        let (en, it) = (
            described(&config.description, &all),
            described(&config.description_it, &all),
        );
        if en && it {
            continue;
        }
        let key = match (en, it) {
            (false, false) => "description and description_it do",
            (false, true) => "description does",
            _ => "description_it does",
        };
        let shown = names.first().map_or(slug, String::as_str);
        warnings.push(format!(
            "{}: warning: the {key} not mention the network `{slug}` ({shown})\n  help: \
             add its name to the dataset's description in {}: catalogs and the home page \
             show it",
            file.display(),
            file.display()
        ));
    }
    Ok(warnings)
}

fn print_summary(out: &mut impl Write, data: &DataArgs, dataset: &Dataset) -> std::io::Result<()> {
    let s = dataset.summary();
    writeln!(
        out,
        "ok: {} is valid ({} files read)",
        data.data.display(),
        s.files
    )?;
    for (label, n) in [
        ("networks", s.networks),
        ("units", s.units),
        ("organisations", s.organizations),
        ("places", s.places),
        ("memberships", s.memberships),
        ("stated figures", s.figures),
        ("sources", s.sources),
    ] {
        writeln!(out, "  {label:<15} {n:>6}")?;
    }
    writeln!(out, "triples per graph:")?;
    for (graph, n) in &s.graphs {
        writeln!(out, "  {n:>6}  {graph}")?;
    }
    writeln!(
        out,
        "  {:>6}  quads in all, {} distinct triples in the union graph",
        s.quads, s.triples
    )
}

fn print_results(
    out: &mut Vec<u8>,
    dataset: &Dataset,
    results: QueryResults<'static>,
    format: Option<QueryFormat>,
) -> Result<(), Failure> {
    use QueryFormat as F;
    let tabular = |f: QueryFormat| match f {
        F::Json => Some(QueryResultsFormat::Json),
        F::Csv => Some(QueryResultsFormat::Csv),
        F::Tsv => Some(QueryResultsFormat::Tsv),
        F::Xml => Some(QueryResultsFormat::Xml),
        _ => None,
    };
    match results {
        QueryResults::Boolean(value) => {
            let format = format.unwrap_or(default_tabular_format());
            if format == F::Table {
                writeln!(out, "{value}")?;
                return Ok(());
            }
            let Some(f) = tabular(format) else {
                return Err(usage(format!("--format {format:?} is for CONSTRUCT and DESCRIBE results; an ASK query gives a boolean").to_lowercase()));
            };
            QueryResultsSerializer::from_format(f).serialize_boolean_to_writer(out, value)?;
        }
        QueryResults::Solutions(solutions) => {
            let format = format.unwrap_or(default_tabular_format());
            let variables = solutions.variables().to_vec();
            let rows: Vec<QuerySolution> = solutions.collect::<Result<_, _>>()?;
            if format == F::Table {
                let prefixes = dataset.base().prefixes();
                write_table(
                    out,
                    &variables
                        .iter()
                        .map(|v| v.as_str().to_owned())
                        .collect::<Vec<_>>(),
                    &rows,
                    &prefixes,
                )?;
                return Ok(());
            }
            let Some(f) = tabular(format) else {
                return Err(usage(format!("--format {format:?} is for CONSTRUCT and DESCRIBE results; use table, json, csv, tsv or xml for a SELECT query").to_lowercase()));
            };
            let mut serializer = QueryResultsSerializer::from_format(f)
                .serialize_solutions_to_writer(out, variables)?;
            for row in &rows {
                serializer.serialize(row)?;
            }
            serializer.finish()?;
        }
        QueryResults::Graph(triples) => {
            let format = match format.unwrap_or(F::Ttl) {
                F::Ttl => Format::Turtle,
                F::Nt => Format::NTriples,
                F::Jsonld => Format::JsonLd,
                F::Rdf => Format::RdfXml,
                other => {
                    return Err(usage(format!("--format {other:?} is for SELECT and ASK results; use ttl, nt, jsonld or rdf for a CONSTRUCT or DESCRIBE query").to_lowercase()));
                }
            };
            let mut triples: Vec<_> = triples.collect::<Result<_, _>>()?;
            triples.sort_by_cached_key(|t| {
                (
                    t.subject.to_string(),
                    t.predicate.to_string(),
                    t.object.to_string(),
                )
            });
            triples.dedup();
            export::write_triples(&triples, format, &dataset.base().prefixes(), out)?;
        }
    }
    Ok(())
}

fn default_tabular_format() -> QueryFormat {
    if std::io::stdout().is_terminal() {
        QueryFormat::Table
    } else {
        QueryFormat::Csv
    }
}

/// A term as people read it: a prefixed name, a plain literal value.
fn display_term(term: &Term, prefixes: &[(String, String)]) -> String {
    match term {
        Term::NamedNode(n) => crate::export::jsonld::compact_iri(n.as_str(), prefixes),
        Term::BlankNode(b) => format!("_:{}", b.as_str()),
        Term::Literal(l) => match l.language() {
            Some(tag) => format!("{} @{tag}", l.value()),
            None => l.value().to_owned(),
        },
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

fn write_table(
    out: &mut impl Write,
    variables: &[String],
    rows: &[QuerySolution],
    prefixes: &[(String, String)],
) -> std::io::Result<()> {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            variables
                .iter()
                .map(|v| {
                    row.get(v.as_str())
                        .map(|t| display_term(t, prefixes).replace(['\n', '\r', '\t'], " "))
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect();
    let widths: Vec<usize> = variables
        .iter()
        .enumerate()
        .map(|(i, v)| {
            cells
                .iter()
                .map(|r| r[i].chars().count())
                .chain([v.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |out: &mut dyn Write, values: &[String]| -> std::io::Result<()> {
        let padded: Vec<String> = values
            .iter()
            .zip(&widths)
            .map(|(v, w)| format!("{v}{}", " ".repeat(w - v.chars().count())))
            .collect();
        writeln!(out, "{}", padded.join(" | ").trim_end())
    };
    line(out, variables)?;
    writeln!(
        out,
        "{}",
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("-+-")
    )?;
    for row in &cells {
        line(out, row)?;
    }
    writeln!(
        out,
        "({} row{})",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    )
}
