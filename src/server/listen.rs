//! Accepting connections: HTTP/1.1 and HTTP/2, a time limit on reading request headers (a
//! client that trickles its headers is dropped instead of holding a connection), and a
//! graceful shutdown that finishes the requests under way.

use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::time::Duration;
use tokio::net::TcpListener;

/// How long a client may take to send its request headers.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How long requests under way may take to finish once shutdown has begun.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// Serves `app` on `listener` until `shutdown` resolves, then waits for open connections to
/// finish (up to [`SHUTDOWN_GRACE`]).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    serve_with_header_timeout(listener, app, shutdown, HEADER_READ_TIMEOUT).await
}

/// As [`serve`], with another limit than [`HEADER_READ_TIMEOUT`] on reading request headers
/// (the tests use a short one to watch a slow client being dropped).
pub async fn serve_with_header_timeout(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()>,
    header_read_timeout: Duration,
) -> std::io::Result<()> {
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout);
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(e) => {
                        // out of file descriptors, say: wait a little rather than spin
                        tracing::warn!("accept failed: {e}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let service = TowerToHyperService::new(app.clone());
                let connection = builder.serve_connection_with_upgrades(TokioIo::new(stream), service);
                let connection = graceful.watch(connection.into_owned());
                tokio::spawn(async move {
                    let _ = connection.await;
                });
            }
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            "some connections were still open after {} s; closing",
            SHUTDOWN_GRACE.as_secs()
        );
    }
    Ok(())
}
