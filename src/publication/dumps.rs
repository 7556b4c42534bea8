//! The dumps of a build: written once per content of the source files, into a directory named
//! after a digest of that content (and of reti's version and the base), so a restart with
//! unchanged data finds them and skips the export.

use super::{BuildOptions, PublicationError};
use crate::export::{self, Dump, ExportError};
use crate::store::Dataset;
use sha2::{Digest, Sha256};

/// Directories of dumps kept: the current content's and the previous one's (which requests
/// of the previous build may still be reading).
const KEEP: usize = 2;

/// The dumps of `dataset`, written or found again, and their `SHA256SUMS`.
pub(super) fn prepare(
    dataset: &Dataset,
    options: &BuildOptions,
) -> Result<(Vec<Dump>, String), PublicationError> {
    // By default, one directory per data directory and base, so that servers of other data
    // never remove each other's dumps.
    let root = options.dumps_dir.clone().unwrap_or_else(|| {
        let data = std::fs::canonicalize(&options.data).unwrap_or_else(|_| options.data.clone());
        let mut digest = Sha256::new();
        digest.update(data.to_string_lossy().as_bytes());
        digest.update([0]);
        digest.update(options.base.as_str().as_bytes());
        std::env::temp_dir()
            .join("reti-dumps")
            .join(&crate::support::digest::hex(&digest.finalize())[..16])
    });
    let dir = root.join(
        crate::support::digest::digest(&options.data, options.base.as_str()).map_err(|source| {
            ExportError::Write {
                path: options.data.clone(),
                source,
            }
        })?,
    );
    let sums_file = dir.join("SHA256SUMS");
    // SHA256SUMS is moved in last: when it is there, every dump was (unless removed since)
    let found = std::fs::read_to_string(&sums_file)
        .ok()
        .map(|text| parse_sums(&text))
        .filter(|sums| {
            export::dump_files()
                .iter()
                .all(|(_, _, name)| dir.join(name).is_file() && sums.iter().any(|(n, _)| n == name))
        });
    let sums = match found {
        Some(sums) => sums,
        None => export::export_all(dataset, &dir)?,
    };
    // mark it used, and forget the least recently used others
    crate::support::digest::touch(&dir, "SHA256SUMS");
    crate::support::digest::forget_old(&root, "SHA256SUMS", KEEP);
    let mut dumps = Vec::new();
    for (format, compressed, name) in export::dump_files() {
        let path = dir.join(&name);
        let size = std::fs::metadata(&path)
            .map_err(|source| ExportError::Write {
                path: path.clone(),
                source,
            })?
            .len();
        let sha256 = sums
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, s)| s.clone())
            .unwrap_or_default();
        let bytes = if size <= options.dumps_in_memory {
            let read = std::fs::read(&path).map_err(|source| ExportError::Write {
                path: path.clone(),
                source,
            })?;
            Some(read.into())
        } else {
            None
        };
        dumps.push(Dump {
            format,
            compressed,
            name,
            path,
            size,
            sha256,
            bytes,
        });
    }
    let listing = dumps
        .iter()
        .map(|d| format!("{}  {}\n", d.sha256, d.name))
        .collect();
    Ok((dumps, listing))
}

fn parse_sums(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|l| l.split_once("  "))
        .map(|(sum, name)| (name.to_owned(), sum.to_owned()))
        .collect()
}
