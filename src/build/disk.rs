//! On-disk stores (`reti serve --store DIR`, feature `rocksdb`).
//!
//! `{root}/{digest}/` holds a RocksDB store (`store/`), the build's counts and warnings
//! (`reti-build.json`, written last: a directory without it is incomplete) and what
//! [`Dataset::remember`] and [`Dataset::keep`] kept (`kept-…`: stored queries' results). The digest is [`crate::support::digest::digest`], so a start with the
//! same source files opens the store in seconds where a rebuild of a million memberships takes
//! minutes. A build goes to a hidden directory first and is moved into place whole.

use super::BuildError;
use crate::diagnostic::Diagnostics;
use crate::rdf::Base;
use crate::store::{Dataset, Profile, Storage, Summary};
use oxigraph::store::Store;
use std::path::Path;

/// Written last into a complete store directory; its modification time is the last use.
const MARKER: &str = "reti-build.json";

/// Store directories kept: the current content's and the previous one's (which requests of
/// the previous build may still be reading).
const KEEP: usize = 2;

/// What a build knows beyond the store's content.
#[derive(serde::Serialize, serde::Deserialize)]
struct Meta {
    summary: Summary,
    warnings: Diagnostics,
    /// Missing from the stores of a reti that did not keep it.
    #[serde(default)]
    profile: Option<Profile>,
}

pub(super) fn build_or_open(
    data_dir: &Path,
    base: Base,
    root: &Path,
) -> Result<Dataset, BuildError> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| BuildError::Disk { path, source }
    };
    if !cfg!(feature = "rocksdb") {
        return Err(BuildError::NoDiskStores);
    }
    let digest = crate::support::digest::digest(data_dir, base.as_str()).map_err(io(data_dir))?;
    let dir = root.join(&digest);
    if !dir.join(MARKER).is_file() {
        std::fs::create_dir_all(root).map_err(io(root))?;
        let partial = root.join(format!(".{digest}.{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&partial);
        std::fs::create_dir_all(&partial).map_err(io(&partial))?;
        let built = create(&partial.join("store"))
            .and_then(|store| Dataset::build_into(data_dir, base.clone(), Some(store)))
            .and_then(|dataset| {
                let meta = Meta {
                    summary: dataset.summary.clone(),
                    warnings: dataset.warnings.clone(),
                    profile: dataset.profile.clone(),
                };
                // the store is closed before it is moved
                drop(dataset);
                write_json(&partial.join(MARKER), &meta)
            });
        if let Err(e) = built {
            let _ = std::fs::remove_dir_all(&partial);
            return Err(e);
        }
        if let Err(e) = std::fs::rename(&partial, &dir) {
            let _ = std::fs::remove_dir_all(&partial);
            // another reti built the same content meanwhile: use its store
            if !dir.join(MARKER).is_file() {
                return Err(io(&dir)(e));
            }
        }
    }
    let dataset = open(&dir, base)?;
    crate::support::digest::touch(&dir, MARKER);
    crate::support::digest::forget_old(root, MARKER, KEEP);
    Ok(dataset)
}

/// Opens the complete store directory `dir`.
fn open(dir: &Path, base: Base) -> Result<Dataset, BuildError> {
    let marker = dir.join(MARKER);
    let text = std::fs::read(&marker).map_err(|source| BuildError::Disk {
        path: marker.clone(),
        source,
    })?;
    let meta: Meta = serde_json::from_slice(&text).map_err(|e| BuildError::Disk {
        path: marker.clone(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
    })?;
    let store = open_read_only(&dir.join("store"))?;
    Ok(Dataset {
        store: Storage::Disk(store),
        base,
        summary: meta.summary,
        warnings: meta.warnings,
        profile: meta.profile,
        dir: Some(dir.to_owned()),
    })
}

#[cfg(feature = "rocksdb")]
fn create(path: &Path) -> Result<Store, BuildError> {
    Ok(Store::open(path)?)
}

#[cfg(feature = "rocksdb")]
fn open_read_only(path: &Path) -> Result<Store, BuildError> {
    Ok(Store::open_read_only(path)?)
}

#[cfg(not(feature = "rocksdb"))]
fn create(_: &Path) -> Result<Store, BuildError> {
    Err(BuildError::NoDiskStores)
}

#[cfg(not(feature = "rocksdb"))]
fn open_read_only(_: &Path) -> Result<Store, BuildError> {
    Err(BuildError::NoDiskStores)
}

/// Writes `value` to `path` through a temporary file, so a reader never sees half of it.
fn write_json(path: &Path, value: &impl serde::Serialize) -> Result<(), BuildError> {
    let json = serde_json::to_vec_pretty(value).map_err(|e| BuildError::Disk {
        path: path.to_owned(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
    })?;
    crate::store::write_whole(path, &json).map_err(|source| BuildError::Disk {
        path: path.to_owned(),
        source,
    })
}
