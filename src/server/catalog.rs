//! Catalog metadata: DCAT-AP catalog, VoID, SPARQL service description, ontology, JSON-LD
//! context. (Being written: see the catalog work.)

use super::{AppState, Published};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use oxigraph::model::Triple;
use std::sync::Arc;

/// `GET /catalog`.
pub async fn catalog(State(_state): State<Arc<AppState>>) -> Response {
    "catalog".into_response()
}

/// `GET /.well-known/void`.
pub async fn void(State(_state): State<Arc<AppState>>) -> Response {
    "void".into_response()
}

/// `GET /ontology`.
pub async fn ontology(State(_state): State<Arc<AppState>>) -> Response {
    "ontology".into_response()
}

/// `GET /context.jsonld`.
pub async fn context(State(_state): State<Arc<AppState>>) -> Response {
    "context".into_response()
}

/// The SPARQL service description.
pub fn service_description(_p: &Published) -> Vec<Triple> {
    Vec::new()
}
