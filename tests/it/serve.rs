//! A real server on 127.0.0.1:0 for the HTTP tests, with a real HTTP client.

use reti::publication::{BuildOptions, Publication};
use reti::server::{AppState, Settings};
use std::sync::Arc;
use std::time::Duration;

/// A running server: its address, base IRI (the same) and state.
pub struct TestServer {
    /// `http://127.0.0.1:PORT/`
    pub url: String,
    /// The state, to inspect or replace what is served.
    pub state: Arc<AppState>,
    runtime: tokio::runtime::Runtime,
    /// Where this server's dumps are written (unless the test chose a directory).
    _dumps: tempfile::TempDir,
}

impl TestServer {
    /// Serves the shipped data with default settings.
    pub fn start() -> Self {
        Self::with_settings(Settings::default())
    }

    /// Serves the shipped data with `settings`.
    pub fn with_settings(settings: Settings) -> Self {
        Self::with(settings, |_| {})
    }

    /// Serves the shipped data, with build options adjusted by `adjust`.
    pub fn with(settings: Settings, adjust: impl FnOnce(&mut BuildOptions)) -> Self {
        Self::with_header_timeout(settings, adjust, reti::server::listen::HEADER_READ_TIMEOUT)
    }

    /// As [`TestServer::with`], dropping clients that take longer than `header_timeout` to
    /// send their request headers.
    pub fn with_header_timeout(
        settings: Settings,
        adjust: impl FnOnce(&mut BuildOptions),
        header_timeout: Duration,
    ) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind");
        let address = listener.local_addr().expect("address");
        let url = format!("http://{address}/");
        let mut options = BuildOptions::defaults(&url).expect("base");
        options.data = crate::data_dir();
        options.queries = crate::root().join("queries");
        let dumps = tempfile::tempdir().expect("dumps directory");
        options.dumps_dir = Some(dumps.path().to_owned());
        adjust(&mut options);
        let published = Publication::build(&options).unwrap_or_else(|e| panic!("build: {e}"));
        let state = AppState::new(published, settings);
        let app = reti::server::app(Arc::clone(&state));
        runtime.spawn(async move {
            let _ = reti::server::listen::serve_with_header_timeout(
                listener,
                app,
                std::future::pending(),
                header_timeout,
            )
            .await;
        });
        TestServer {
            url,
            state,
            runtime,
            _dumps: dumps,
        }
    }

    /// `{url}{path}`
    pub fn at(&self, path: &str) -> String {
        format!("{}{}", self.url, path.trim_start_matches('/'))
    }

    /// Runs a future on the server's runtime (for async clients).
    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.runtime.block_on(f)
    }
}

/// A client that does not follow redirects nor decompress, so tests see exactly what is sent.
pub fn client() -> reqwest::Client {
    reti::support::http::install_tls_provider();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_gzip()
        .no_brotli()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client")
}

/// GET `url` with headers; returns status, headers and body.
pub async fn get(
    url: &str,
    headers: &[(&str, &str)],
) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let mut request = client().get(url);
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.bytes().await.expect("body").to_vec();
    (status, headers, body)
}

/// A header's value as a string ("" when absent).
pub fn header(headers: &reqwest::header::HeaderMap, name: &str) -> String {
    headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(", ")
}
