//! What one build publishes: the dataset (built here, or a remote store), its dumps, the stored
//! queries, the catalog's facts and documents, and the version and date that ETags and the
//! catalog carry. Immutable once built; the server serves one at a time and swaps in a new one
//! whole, `reti publish` pushes one into a store, `reti site` writes one out.

mod dumps;

use crate::build::BuildError;
use crate::catalog;
use crate::config::{Config, ConfigError};
use crate::export::{Dump, ExportError};
use crate::query::remote::RemoteEndpoint;
use crate::query::stored::{self, StoredQuery};
use crate::query::{Backend, BackendError, Remote};
use crate::rdf::{Base, BaseError};
use crate::store::Dataset;
use bytes::Bytes;
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

/// Where the published content comes from.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Source files.
    pub data: PathBuf,
    /// Stored queries (`*.rq`).
    pub queries: PathBuf,
    /// Catalog metadata.
    pub config: Config,
    /// Base of minted IRIs.
    pub base: Base,
    /// Serve the data of a remote SPARQL endpoint instead of building it from `data`.
    pub remote: Option<RemoteOptions>,
    /// Where dumps are written, and found again by the next start with the same data
    /// (default: `reti-dumps` in the system's temporary directory).
    pub dumps_dir: Option<PathBuf>,
    /// Dumps up to this size are also kept in memory; larger ones are streamed from disk.
    pub dumps_in_memory: u64,
    /// Build the store on disk here (feature `rocksdb`), where the next start with the same
    /// data opens it instead of building it again; `None`: in memory.
    pub store: Option<PathBuf>,
}

/// Dumps up to 32 MiB are kept in memory: a small dataset's are served as fast as by a static
/// file server; a large dataset's are streamed from disk.
pub const DUMPS_IN_MEMORY: u64 = 32 << 20;

/// A remote store to serve (`reti serve --sparql-endpoint`).
#[derive(Debug, Clone)]
pub struct RemoteOptions {
    /// Its query URL (`http://store:7878/query`).
    pub endpoint: String,
    /// How long one request to it may take (504 past that).
    pub timeout: Duration,
}

impl BuildOptions {
    /// A build of `data` with `queries` and `config` under `base`, its dumps in the default
    /// place and the store in memory: what every command starts from.
    pub fn new(data: PathBuf, queries: PathBuf, config: Config, base: Base) -> Self {
        Self {
            data,
            queries,
            config,
            base,
            remote: None,
            dumps_dir: None,
            store: None,
            dumps_in_memory: DUMPS_IN_MEMORY,
        }
    }

    /// The shipped layout (`data/`, `queries/`, default metadata) under `base`.
    pub fn defaults(base: &str) -> Result<Self, BaseError> {
        Ok(Self::new(
            "data".into(),
            "queries".into(),
            Config::default(),
            Base::new(base)?,
        ))
    }
}

/// Why content could not be published. The previous content, if any, stays published.
#[derive(Debug, thiserror::Error)]
pub enum PublicationError {
    /// The data does not build.
    #[error(transparent)]
    Build(#[from] BuildError),
    /// `reti.toml` is invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A stored query is invalid.
    #[error("{0}")]
    Queries(String),
    /// A dump could not be made.
    #[error(transparent)]
    Export(#[from] ExportError),
    /// The remote store cannot be used.
    #[error(transparent)]
    Backend(#[from] BackendError),
}

/// Everything one build publishes. Immutable once built.
pub struct Publication {
    /// The data: the embedded store, or a remote SPARQL endpoint.
    pub dataset: Backend,
    /// Catalog metadata.
    pub config: Config,
    /// The dumps, in the order of [`crate::export::dump_files`]; none when the data is remote (the store's
    /// operator publishes its dumps).
    pub dumps: Vec<Dump>,
    /// `SHA256SUMS` of the dumps.
    pub sha256sums: Bytes,
    /// When the newest source file (data or stored query) was modified: `Last-Modified`, the
    /// catalog's `modified`. Stable across restarts; it changes when a file changes.
    pub modified: SystemTime,
    /// A digest of the dumps, the catalog metadata and the stored queries: changes exactly when
    /// what the server shows changes (used in ETags).
    pub version: String,
    /// Stored queries, by name.
    pub queries: Vec<StoredQuery>,
    /// The counts and facts of the VoID description and the catalog.
    pub statistics: catalog::Statistics,
    /// Every label of the published resources, for `/search`.
    pub search: crate::search::Index,
    /// The catalog's documents, made the first time one is asked for (after [`Publication::
    /// keep_date`], if the caller keeps a previous build's date).
    catalog: OnceLock<catalog::Documents>,
}

impl Publication {
    /// Builds the dataset, the dumps and the stored queries. Blocking: run it off the async
    /// runtime.
    pub fn build(options: &BuildOptions) -> Result<Self, PublicationError> {
        if let Some(remote) = &options.remote {
            return Self::build_remote(options, remote);
        }
        let dataset = match &options.store {
            Some(root) => Dataset::build_on_disk(&options.data, options.base.clone(), root)?,
            None => Dataset::build(&options.data, options.base.clone())?,
        };
        let queries =
            stored::load(&options.queries, &options.base).map_err(PublicationError::Queries)?;
        let (dumps, sha256sums) = dumps::prepare(&dataset, options)?;
        // Everything a response may show: the data, the catalog metadata, the stored queries.
        let version = version(sha256sums.as_bytes(), &options.config, &queries);
        let modified =
            newest_file(&[&options.data, &options.queries]).unwrap_or_else(SystemTime::now);
        let dataset = Backend::Local(dataset);
        let statistics = match &dataset {
            Backend::Local(local) => match local.profile() {
                Some(profile) => catalog::statistics_of(profile, &dataset)?,
                // an on-disk store built before the build gathered them: full scans, kept
                // beside the store so that they run once
                None => local.remember("statistics", || catalog::statistics(&dataset))?,
            },
            Backend::Remote(_) => catalog::statistics(&dataset)?,
        };
        let search = crate::search::Index::build(&dataset, options.base.as_str())?;
        Ok(Self {
            search,
            dataset,
            config: options.config.clone(),
            dumps,
            sha256sums: sha256sums.into(),
            modified,
            version,
            queries,
            statistics,
            catalog: OnceLock::new(),
        })
    }

    /// Connects to the remote store and reads what the VoID description and the catalog need.
    /// No dumps are made; `modified` is now (a refresh that finds the same data keeps the
    /// previous one, see [`reload`]).
    fn build_remote(
        options: &BuildOptions,
        remote: &RemoteOptions,
    ) -> Result<Self, PublicationError> {
        let queries =
            stored::load(&options.queries, &options.base).map_err(PublicationError::Queries)?;
        let endpoint =
            RemoteEndpoint::new(&remote.endpoint, remote.timeout).map_err(BackendError::from)?;
        let dataset = Backend::Remote(Remote::connect(endpoint, Some(options.base.clone()))?);
        let statistics = catalog::statistics(&dataset)?;
        let search = crate::search::Index::build(&dataset, options.base.as_str())?;
        // what the store holds, as far as counts tell
        let summary = dataset.summary();
        let counts = format!("{} {:?} {:?}", summary.triples, summary.graphs, statistics);
        let version = version(counts.as_bytes(), &options.config, &queries);
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Ok(Self {
            search,
            dataset,
            config: options.config.clone(),
            dumps: Vec::new(),
            sha256sums: Bytes::new(),
            modified: SystemTime::UNIX_EPOCH + Duration::from_secs(now),
            version,
            queries,
            statistics,
            catalog: OnceLock::new(),
        })
    }

    /// The base IRI.
    pub fn base(&self) -> &Base {
        self.dataset.base()
    }

    /// `{base}{path}`: the public URL of a path served here.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base().as_str(), path.trim_start_matches('/'))
    }

    /// The catalog, the VoID description and the service description of this build.
    pub fn catalog(&self) -> &catalog::Documents {
        self.catalog.get_or_init(|| {
            catalog::Documents::of(&catalog::Facts {
                base: self.base(),
                config: &self.config,
                dumps: &self.dumps,
                modified: self.modified,
                summary: self.dataset.summary(),
                statistics: &self.statistics,
            })
        })
    }

    /// Takes `previous`'s date when this build found the same data (a remote store's
    /// refresh): a date says when the data changed, not when it was last looked at.
    pub fn keep_date(&mut self, previous: &Publication) {
        if self.version == previous.version {
            self.modified = previous.modified;
            self.catalog = OnceLock::new();
        }
    }

    /// An ETag for a representation of this build's content.
    pub fn etag(&self, what: &str) -> String {
        format!("\"{}-{}\"", self.version, what)
    }
}

/// A digest of what a response may show: the data (`data`: its dumps' checksums, or the remote
/// store's counts), the catalog metadata, the stored queries. Used in ETags.
fn version(data: &[u8], config: &Config, queries: &[StoredQuery]) -> String {
    let mut digest = Sha256::new();
    digest.update(data);
    digest.update(format!("{config:?}").as_bytes());
    for q in queries {
        digest.update(q.name.as_bytes());
        digest.update(q.text.as_bytes());
    }
    crate::support::digest::hex(&digest.finalize())[..16].to_owned()
}

/// The modification time of the newest file under `dirs`, to the second.
fn newest_file(dirs: &[&std::path::Path]) -> Option<SystemTime> {
    let newest = dirs
        .iter()
        .flat_map(|dir| crate::support::fs::files(dir, false).unwrap_or_default())
        .filter_map(|file| std::fs::metadata(file).and_then(|m| m.modified()).ok())
        .max();
    let secs = newest?
        .duration_since(SystemTime::UNIX_EPOCH)
        .ok()?
        .as_secs();
    Some(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))
}
