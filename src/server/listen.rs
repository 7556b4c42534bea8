//! Accepting connections: HTTP/1.1 and HTTP/2, served on one thread per core, a time limit on
//! reading request headers (a client that trickles its headers is dropped instead of holding
//! a connection), and a graceful shutdown that finishes the requests under way.

use axum::Extension;
use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpListener;
use tower::Layer;

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
///
/// Connections are served on threads of their own, one per core, each running a
/// single-threaded runtime; this task only accepts them and hands them out in turn. A
/// connection stays on its thread, so answering a request wakes no other thread: on the
/// work-stealing runtime, where idle workers are woken to look for work, a cached answer
/// took a quarter more CPU time (BENCHMARKS.md). Oxigraph's calls still run on the
/// blocking pool or the query threads, so one long query holds up no other request.
pub async fn serve_with_header_timeout(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()>,
    header_read_timeout: Duration,
) -> std::io::Result<()> {
    let count = std::thread::available_parallelism().map_or(1, usize::from);
    let mut threads = Vec::with_capacity(count);
    for index in 0..count {
        threads.push(ConnectionThread::start(
            index,
            app.clone(),
            header_read_timeout,
        )?);
    }
    tokio::pin!(shutdown);
    let mut next = 0;
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted.and_then(|(stream, peer)| Ok((stream.into_std()?, peer))) {
                    Ok(stream) => stream,
                    Err(e) => {
                        // out of file descriptors, say: wait a little rather than spin
                        tracing::warn!("accept failed: {e}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                next = (next + 1) % threads.len();
                if threads[next].connections.send(stream).is_err() {
                    tracing::error!("a connection thread has stopped; the connection is closed");
                }
            }
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    // closing the hand-over ends each thread's loop: it finishes its requests and stops
    let mut finished = Vec::with_capacity(threads.len());
    for thread in threads {
        finished.push(thread.finished);
    }
    for done in finished {
        let _ = done.await;
    }
    Ok(())
}

/// A thread serving the connections handed to it, on a runtime of its own.
struct ConnectionThread {
    connections: tokio::sync::mpsc::UnboundedSender<(std::net::TcpStream, SocketAddr)>,
    finished: tokio::sync::oneshot::Receiver<()>,
}

impl ConnectionThread {
    fn start(index: usize, app: Router, header_read_timeout: Duration) -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let (connections, mut handed) = tokio::sync::mpsc::unbounded_channel();
        let (done, finished) = tokio::sync::oneshot::channel();
        std::thread::Builder::new()
            .name(format!("reti-http-{index}"))
            .spawn(move || {
                runtime.block_on(async move {
                    let mut builder = Builder::new(TokioExecutor::new());
                    builder
                        .http1()
                        .timer(TokioTimer::new())
                        .header_read_timeout(header_read_timeout);
                    let graceful = GracefulShutdown::new();
                    while let Some((stream, peer)) = handed.recv().await {
                        let peer: SocketAddr = peer;
                        let stream = match tokio::net::TcpStream::from_std(stream) {
                            Ok(stream) => stream,
                            Err(e) => {
                                tracing::warn!("a connection could not be served: {e}");
                                continue;
                            }
                        };
                        // the peer's address, for the clients' fair shares of the query slots
                        let service = TowerToHyperService::new(
                            Extension(ConnectInfo(peer)).layer(app.clone()),
                        );
                        let connection =
                            builder.serve_connection_with_upgrades(TokioIo::new(stream), service);
                        let connection = graceful.watch(connection.into_owned());
                        tokio::spawn(async move {
                            let _ = connection.await;
                        });
                    }
                    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
                        .await
                        .is_err()
                    {
                        tracing::warn!(
                            "some connections were still open after {} s; closing",
                            SHUTDOWN_GRACE.as_secs()
                        );
                    }
                });
                let _ = done.send(());
            })?;
        Ok(Self {
            connections,
            finished,
        })
    }
}
