//! Walking directories: the one recursive walker behind the source files' reader, the digest of
//! a data directory, the newest modification time and the watcher's fingerprint, so that all of
//! them see the same files.

use std::path::{Path, PathBuf};

/// A directory that could not be listed, and why.
#[derive(Debug)]
pub struct WalkError {
    /// The directory (`dir` itself or one below it).
    pub path: PathBuf,
    /// What the system said.
    pub source: std::io::Error,
}

/// Every file under `dir`, recursively, sorted by path; entries whose name starts with `.` are
/// left out (with their contents) when `skip_hidden` (editors' and version control's files
/// are not data).
pub fn files(dir: &Path, skip_hidden: bool) -> Result<Vec<PathBuf>, WalkError> {
    fn walk(dir: &Path, skip_hidden: bool, out: &mut Vec<PathBuf>) -> Result<(), WalkError> {
        let error = |source| WalkError {
            path: dir.to_owned(),
            source,
        };
        for entry in std::fs::read_dir(dir).map_err(error)? {
            let path = entry.map_err(error)?.path();
            let hidden = path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'));
            if skip_hidden && hidden {
                continue;
            }
            if path.is_dir() {
                walk(&path, skip_hidden, out)?;
            } else {
                out.push(path);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, skip_hidden, &mut out)?;
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_below_sorted_and_hidden_ones_only_when_asked() {
        let dir = tempfile::tempdir().expect("tempdir");
        for file in ["b.toml", "a/c.csv", ".git/HEAD", "a/.d.toml.swp"] {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, "").expect("write");
        }
        let names = |skip| -> Vec<String> {
            files(dir.path(), skip)
                .expect("walk")
                .iter()
                .map(|p| {
                    p.strip_prefix(dir.path())
                        .expect("below")
                        .display()
                        .to_string()
                })
                .collect()
        };
        assert_eq!(names(true), ["a/c.csv", "b.toml"]);
        assert_eq!(
            names(false),
            [".git/HEAD", "a/.d.toml.swp", "a/c.csv", "b.toml"]
        );
        let missing = files(&dir.path().join("nope"), true).expect_err("missing");
        assert_eq!(missing.path, dir.path().join("nope"));
    }
}
