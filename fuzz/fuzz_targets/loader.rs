//! Shared by the loader targets: write the input as one source file, load and validate the
//! directory, and check that nothing panics and every diagnostic points inside the file.

use std::path::PathBuf;
use std::sync::OnceLock;

/// A directory for this process, holding only the file under test.
fn dir() -> &'static tempfile::TempDir {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("tempdir"))
}

/// Writes `bytes` as `name` (the only file of the directory), then loads and validates it.
pub fn check(name: &str, bytes: &[u8]) {
    let dir = dir().path();
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let _ = std::fs::remove_file(entry.path());
    }
    let path: PathBuf = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    let loaded = reti::source::load_dir(dir).expect("the directory is readable");
    let lines = String::from_utf8_lossy(bytes).split('\n').count();
    let mut diagnostics = loaded.diagnostics.0.clone();
    if let Err(problems) = reti::model::Model::build(&loaded.records) {
        diagnostics.extend(problems.problems.0);
        diagnostics.extend(problems.unresolved.0);
    }
    for d in diagnostics {
        assert!(d.line >= 1 && d.column >= 1, "{d}");
        assert!(d.line <= lines, "{d}: the file has {lines} lines");
        assert_eq!(d.file, path, "{d}");
    }
}
