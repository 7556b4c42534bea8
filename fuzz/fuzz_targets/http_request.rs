//! Arbitrary requests to the router serving the shipped data: never a panic, never a 5xx but
//! the 503 of a query that runs past its (short) timeout.
#![no_main]

use axum::body::Body;
use axum::http::{HeaderValue, Method, Request, header};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use reti::publication::{BuildOptions, Publication};
use reti::server::{AppState, Settings};
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tower::ServiceExt;

#[derive(Debug, Arbitrary)]
struct Input {
    method: u8,
    route: u8,
    path: String,
    query: String,
    accept: String,
    accept_language: String,
    content_type: u8,
    other_content_type: String,
    body: Vec<u8>,
}

const METHODS: &[&str] = &["GET", "POST", "HEAD", "OPTIONS", "PUT", "DELETE", "PATCH"];
const ROUTES: &[&str] = &[
    "/",
    "/health",
    "/sparql",
    "/id/place/",
    "/id/network/",
    "/doc/place/",
    "/doc/network/",
    "/doc/membership/",
    "/queries/",
    "/dumps/",
    "/catalog",
    "/.well-known/void",
    "/ontology",
    "/context.jsonld",
    "/assets/",
    "",
];
const CONTENT_TYPES: &[&str] = &[
    "application/sparql-query",
    "application/x-www-form-urlencoded",
    "application/sparql-update",
    "text/plain",
];

struct Server {
    runtime: tokio::runtime::Runtime,
    app: axum::Router,
}

fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut options = BuildOptions::defaults("http://localhost:7878/").expect("base");
        options.data = root.join("data");
        options.queries = root.join("queries");
        let published = Publication::build(&options).unwrap_or_else(|e| panic!("build: {e}"));
        let settings = Settings {
            query_timeout: Duration::from_millis(300),
            ..Settings::default()
        };
        let state = AppState::new(published, settings);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        Server {
            runtime,
            app: reti::server::app(Arc::clone(&state)),
        }
    })
}

fn request(input: &Input) -> Option<Request<Body>> {
    let method =
        Method::from_bytes(METHODS[usize::from(input.method) % METHODS.len()].as_bytes()).ok()?;
    let route = ROUTES[usize::from(input.route) % ROUTES.len()];
    let mut uri = format!("{route}{}", input.path);
    if !input.query.is_empty() {
        uri = format!("{uri}?{}", input.query);
    }
    let mut builder = Request::builder().method(method).uri(uri);
    for (name, value) in [
        (header::ACCEPT, input.accept.as_str()),
        (header::ACCEPT_LANGUAGE, input.accept_language.as_str()),
    ] {
        if !value.is_empty() {
            builder = builder.header(name, HeaderValue::from_str(value).ok()?);
        }
    }
    let content_type = CONTENT_TYPES
        .get(usize::from(input.content_type))
        .copied()
        .unwrap_or(input.other_content_type.as_str());
    if !content_type.is_empty() {
        builder = builder.header(
            header::CONTENT_TYPE,
            HeaderValue::from_str(content_type).ok()?,
        );
    }
    builder.body(Body::from(input.body.clone())).ok()
}

fuzz_target!(|input: Input| {
    let Some(request) = request(&input) else {
        return;
    };
    let server = server();
    let status = server.runtime.block_on(async {
        let response = server
            .app
            .clone()
            .oneshot(request)
            .await
            .expect("the router is infallible");
        let status = response.status();
        // read the whole body: compression and streaming run too
        let _ = axum::body::to_bytes(response.into_body(), usize::MAX).await;
        status
    });
    assert!(
        !status.is_server_error() || status.as_u16() == 503,
        "{status} for {input:?}"
    );
});
