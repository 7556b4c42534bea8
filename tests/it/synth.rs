//! Synthetic data for benchmarks: valid, exactly sized, reproducible.

use crate::reti;
use reti::rdf::Base;
use reti::store::Dataset;
use std::collections::BTreeMap;
use std::path::Path;

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for sub in ["", "places", "networks"] {
        for entry in std::fs::read_dir(dir.join(sub)).expect("read") {
            let path = entry.expect("entry").path();
            if path.is_file() {
                out.insert(
                    path.strip_prefix(dir)
                        .expect("prefix")
                        .display()
                        .to_string(),
                    std::fs::read(&path).expect("file"),
                );
            }
        }
    }
    out
}

/// Writes synthetic files into a fresh temporary directory.
fn synth(networks: usize, memberships: usize, seed: u64) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = reti::synth::Spec {
        networks,
        memberships,
        seed,
    };
    reti::synth::write(&spec, dir.path()).expect("write");
    dir
}

/// Builds the files of `dir`, which must be valid.
fn build(dir: &Path) -> Dataset {
    Dataset::build(dir, Base::new(Base::DEFAULT).expect("base")).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn synthetic_data_is_valid_exactly_sized_and_reproducible() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = reti()
        .args([
            "synth",
            "--networks",
            "4",
            "--memberships",
            "1000",
            "--seed",
            "3",
            "-o",
        ])
        .arg(dir.path())
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dataset = build(dir.path());
    let s = dataset.summary();
    assert_eq!((s.networks, s.memberships), (4, 1000));
    assert_eq!(
        s.places,
        1 + 1 + 3 + 250,
        "a country, a region, 3 provinces, 250 towns"
    );
    // two sources, as in the real data: some memberships have a year from the second
    assert_eq!(
        s.graphs
            .keys()
            .filter(|g| g.contains("/graph/synthetic-"))
            .count(),
        2
    );

    let again = synth(4, 1000, 3);
    let other = synth(4, 1000, 4);
    assert_eq!(
        files(dir.path()),
        files(again.path()),
        "the same seed gives the same files"
    );
    assert_ne!(
        files(dir.path()),
        files(other.path()),
        "another seed gives other files"
    );
}

#[test]
fn uneven_sizes_are_exact_too() {
    let dir = synth(3, 1001, 9);
    let dataset = build(dir.path());
    assert_eq!(dataset.summary().memberships, 1001);
}
