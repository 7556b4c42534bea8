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

mod args;
mod check;
mod query;
mod serve;
mod site;

use args::*;
use check::*;
use query::*;
use serve::*;
use site::*;

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

// one argument per option of `reti serve`
