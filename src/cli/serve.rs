//! `reti serve`: build (or connect to a remote store), then serve until a signal.

use super::*;

#[allow(clippy::too_many_arguments)]
pub(super) async fn serve(
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
pub(super) async fn remote_base(
    remote: &crate::publication::RemoteOptions,
) -> Result<String, Failure> {
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
pub(super) fn remote_failure(e: crate::query::BackendError) -> Failure {
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
