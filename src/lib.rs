//! reti publishes city networks — who belongs to which network, in which role and field, since
//! when, and according to which source — as Linked Open Data.
//!
//! Data flows one way:
//!
//! ```text
//! data/*.toml|csv ─► source ─► model ─► rdf ─► dataset (quad store) ─► export
//! ontology/*.ttl ─────────────────────────────┘
//! ```
//!
//! - [`source`] reads the maintainers' files, keeping positions for error messages;
//! - [`model`] merges and validates them (knows nothing of files or RDF);
//! - [`rdf`] turns the model into quads, one named graph per source, under [`vocab`];
//! - [`dataset`] bulk-loads the quads with the ontology into an in-memory store, and
//!   [`validate`] checks the graph against the SHACL shapes;
//! - [`export`] and [`jsonld`] serialise it deterministically; [`cli`] is the command line.

/// mimalloc, for every binary built from this crate (`reti`, the tests, the benchmarks, so that
/// they measure what users run). A build makes and drops tens of millions of small strings, on
/// one thread while another frees them: with glibc's allocator a third of a million-membership
/// build went to `malloc` and `free` (BENCHMARKS.md, "Optimisations").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod backend;
pub mod cli;
pub mod config;
pub mod content;
pub mod dataset;
pub mod diagnostic;
pub mod export;
pub mod jsonld;
pub mod model;
pub mod publish;
pub mod rdf;
pub mod report;
pub mod server;
pub mod site;
pub mod source;
pub mod synth;
pub mod validate;
pub mod vocab;
