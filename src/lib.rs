//! reti publishes city networks — who belongs to which network, in which role and field, since
//! when, and according to which source — as Linked Open Data.
//!
//! Data flows one way, and the modules are listed in that order: each uses only those before it
//! (`tests/it/architecture.rs` checks it).
//!
//! ```text
//! data/*.toml|csv ─► source ─► model ─► rdf ─► store ◄─ build ─► export, query, catalog
//!                                                        └─► publication ─► server, push, site ─► cli
//! ```
//!
//! - [`support`]: helpers that know nothing of reti's data; [`diagnostic`]: messages that point
//!   into files; [`vocab`]: every IRI, once;
//! - [`source`] reads the maintainers' files, keeping positions for error messages ([`synth`]
//!   writes synthetic ones); [`config`] reads `reti.toml`;
//! - [`model`] merges and validates them (knows nothing of files or RDF);
//! - [`rdf`] turns the model into quads, one named graph per source;
//! - [`store`] holds the quads (in memory, sorted once, then only read; or on disk), [`build`]
//!   makes it and [`validate`] checks it against the SHACL shapes;
//! - [`export`] serialises it deterministically; [`query`] asks it (or a remote store) questions;
//!   [`search`] finds its resources by name;
//!   [`catalog`] describes it (DCAT-AP, VoID);
//! - [`publication`] is what one build publishes, which [`server`] serves, [`push`] sends to a
//!   triple store and [`site`] writes as a static website; [`cli`] is the command line.

// helpers, messages, names
pub mod support;

pub mod diagnostic;

pub mod vocab;

// the source files
pub mod source;

pub mod synth;

pub mod config;

pub mod model;

// RDF and the store
pub mod rdf;

pub mod store;

pub mod validate;

pub mod build;

// what is made of a build
pub mod export;

pub mod query;

pub mod search;

pub mod catalog;

pub mod publication;

// where it goes
pub mod server;

pub mod push;

pub mod site;

// the command line is where reti talks to a person on standard error
#[allow(clippy::print_stderr)]
pub mod cli;
