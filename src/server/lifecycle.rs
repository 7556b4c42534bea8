//! A server's life: rebuilding on SIGHUP or when files change (a failed build keeps the last
//! good one), and stopping gracefully on SIGTERM or Ctrl-C.

use super::{AppState, warm_up};
use crate::publication::{BuildOptions, Publication, PublicationError};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// Rebuilds from `options` and, only if the build succeeds, swaps the new content in. A failed
/// build changes nothing: the last good content keeps being served. Blocking. With a remote
/// store, this reconnects and reads its counts again (after the store was reloaded, say).
///
/// The in-memory store never frees deleted data, so a reload never clears and refills the
/// store in place: it builds a fresh one beside it, and the old one is dropped once the last
/// request reading it has finished.
pub fn reload(state: &AppState, options: &BuildOptions) -> Result<(), PublicationError> {
    let mut published = Publication::build(options)?;
    for warning in published
        .dataset
        .local()
        .into_iter()
        .flat_map(|d| &d.warnings().0)
    {
        tracing::warn!("{warning}");
    }
    // a remote store's refresh that finds the same data changes no date
    if options.remote.is_some() {
        published.keep_date(&state.current());
    }
    let (quads, version) = (published.dataset.summary().quads, published.version.clone());
    state.replace(published);
    tracing::info!(quads, version = %version, "reloaded");
    Ok(())
}

/// Reloads on SIGHUP and, with `watch`, whenever a file under the data or queries directory,
/// or the configuration file, changes (polled every `interval`). Runs until the process ends;
/// one rebuild at a time.
pub(crate) async fn reload_on_change(
    state: Arc<AppState>,
    options: BuildOptions,
    watch: bool,
    interval: Duration,
) {
    #[cfg(unix)]
    let mut hangup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()).ok();
    // the catalog metadata (`reti.toml`) is read again too: its description names the networks
    let config_file = options.config.file.path().map(Path::to_owned);
    let mut dirs = vec![options.data.clone(), options.queries.clone()];
    dirs.extend(config_file.clone());
    let fingerprint = {
        let dirs = dirs.clone();
        move || files_fingerprint(&dirs)
    };
    let mut seen = fingerprint();
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        #[cfg(unix)]
        let signalled = async {
            match hangup.as_mut() {
                Some(h) => {
                    h.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let signalled = std::future::pending::<()>();
        let why = tokio::select! {
            () = signalled => "SIGHUP",
            _ = ticker.tick(), if watch => {
                let now = fingerprint();
                if now == seen {
                    continue;
                }
                seen = now;
                "a file changed"
            }
        };
        tracing::info!("reloading ({why})");
        let mut options = options.clone();
        if let Some(file) = &config_file {
            match crate::config::Config::load(file) {
                Ok(config) => options.config = config,
                Err(e) => {
                    tracing::error!("reload failed; still serving the last good data:\n{e}");
                    continue;
                }
            }
        }
        let reloading = Arc::clone(&state);
        match tokio::task::spawn_blocking(move || reload(&reloading, &options)).await {
            Ok(Ok(())) => {
                tokio::spawn(warm_up(Arc::clone(&state)));
            }
            Ok(Err(e)) => tracing::error!("reload failed; still serving the last good data:\n{e}"),
            Err(e) => tracing::error!("reload task failed; still serving the last good data: {e}"),
        }
    }
}

/// Paths, sizes and modification times of every file under `dirs` (or of `dirs` themselves,
/// when files): changes when a file is added, removed, or written.
fn files_fingerprint(dirs: &[PathBuf]) -> Vec<(PathBuf, u64, Option<SystemTime>)> {
    let mut out = Vec::new();
    for dir in dirs {
        if dir.is_file() {
            if let Ok(m) = std::fs::metadata(dir) {
                out.push((dir.clone(), m.len(), m.modified().ok()));
            }
        } else {
            for file in crate::support::fs::files(dir, false).unwrap_or_default() {
                if let Ok(m) = std::fs::metadata(&file) {
                    out.push((file, m.len(), m.modified().ok()));
                }
            }
        }
    }
    out.sort();
    out
}

/// Waits for the shutdown signal (SIGINT or SIGTERM).
pub(crate) async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests under way");
}
