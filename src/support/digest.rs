//! What a build depends on, as a digest, and directories named by it.
//!
//! A build is a pure function of reti's version, the base and the source files, so whatever it
//! writes to disk (dumps, an on-disk store) can be found again by the next start with the same
//! digest instead of being made again. Each such product lives in `{root}/{digest}/`; a marker
//! file, written last, says the directory is complete, and its modification time says when it
//! was last used.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// A digest of reti's version, `base`, and every file's name and content under `data_dir`.
pub fn digest(data_dir: &Path, base: &str) -> std::io::Result<String> {
    let files = super::fs::files(data_dir, false).map_err(|e| e.source)?;
    let mut digest = Sha256::new();
    digest.update(env!("CARGO_PKG_VERSION").as_bytes());
    digest.update([0]);
    digest.update(base.as_bytes());
    for file in files {
        let relative = file.strip_prefix(data_dir).unwrap_or(&file);
        digest.update([0]);
        digest.update(relative.to_string_lossy().as_bytes());
        digest.update([0]);
        digest.update(std::fs::read(&file)?);
    }
    Ok(hex(&digest.finalize())[..32].to_owned())
}

/// Marks `dir` as used now (by its `marker` file), so [`forget_old`] keeps it.
pub fn touch(dir: &Path, marker: &str) {
    let _ = std::fs::File::open(dir.join(marker)).and_then(|f| f.set_modified(SystemTime::now()));
}

/// Removes all but the `keep` most recently used directories under `root`, by the time of
/// their `marker` file. Hidden directories (builds under way) are left alone.
pub fn forget_old(root: &Path, marker: &str, keep: usize) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    let mut dirs: Vec<(SystemTime, PathBuf)> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.is_dir()
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .map(|p| {
            let used = std::fs::metadata(p.join(marker))
                .and_then(|m| m.modified())
                .unwrap_or(SystemTime::UNIX_EPOCH);
            (used, p)
        })
        .collect();
    dirs.sort_by_key(|d| std::cmp::Reverse(d.0));
    for (_, dir) in dirs.into_iter().skip(keep) {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// Lowercase hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
