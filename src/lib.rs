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
//! - [`dataset`] stores the quads with the ontology, in memory (sorted once, then only read)
//!   or on disk, and [`validate`] checks the graph against the SHACL shapes;
//! - [`export`] and [`jsonld`] serialise it deterministically; [`cli`] is the command line.

pub mod backend;
pub mod cli;
pub mod config;
pub mod content;
pub mod dataset;
pub mod diagnostic;
pub mod export;
pub mod jsonld;
pub mod memory;
pub mod model;
pub mod publish;
pub mod rdf;
pub mod report;
pub mod search;
pub mod server;
pub mod site;
pub mod source;
pub mod synth;
pub mod validate;
pub mod vocab;
