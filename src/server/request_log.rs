//! The request log: one line per request (method, target, status, time to the response head)
//! at INFO, under the target `reti::request`.
//!
//! An event, not tower-http's span per request: at one connection the span (made, entered at
//! each poll, formatted into the line) cost a tenth of a cached answer's time. And a layer of
//! its own rather than axum `from_fn` middleware, which clones the whole stack of services
//! inside it and boxes a future at every request, logged or not (BENCHMARKS.md).

use axum::extract::Request;
use axum::response::Response;
use futures_util::future::Either;
use std::convert::Infallible;
use std::task::{Context, Poll};

/// Logs each request when `reti::request` is enabled at INFO; else passes it straight on.
#[derive(Clone, Copy, Default)]
pub struct RequestLogLayer;

impl<S> tower::Layer<S> for RequestLogLayer {
    type Service = RequestLog<S>;

    fn layer(&self, inner: S) -> RequestLog<S> {
        RequestLog { inner }
    }
}

/// The service of [`RequestLogLayer`].
#[derive(Clone)]
pub struct RequestLog<S> {
    inner: S,
}

impl<S> tower::Service<Request> for RequestLog<S>
where
    S: tower::Service<Request, Response = Response, Error = Infallible>,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Either<S::Future, super::BoxedAnswer>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        if !tracing::enabled!(target: "reti::request", tracing::Level::INFO) {
            return Either::Left(self.inner.call(request));
        }
        let started = std::time::Instant::now();
        let method = request.method().clone();
        let uri = request.uri().clone();
        let answer = self.inner.call(request);
        Either::Right(Box::pin(async move {
            let response = answer.await?;
            tracing::info!(
                target: "reti::request",
                "{method} {uri} {} {:.2} ms",
                response.status().as_u16(),
                started.elapsed().as_secs_f64() * 1000.0
            );
            Ok(response)
        }))
    }
}
