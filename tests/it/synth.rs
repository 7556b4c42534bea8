//! Synthetic data for benchmarks: valid, exactly sized, reproducible.

use crate::reti;
use reti::dataset::Dataset;
use reti::rdf::Base;
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
    let dataset = Dataset::build(dir.path(), Base::new(Base::DEFAULT).expect("base"))
        .unwrap_or_else(|e| panic!("{e}"));
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

    let again = tempfile::tempdir().expect("tempdir");
    let other = tempfile::tempdir().expect("tempdir");
    reti::synth::write(
        &reti::synth::Spec {
            networks: 4,
            memberships: 1000,
            seed: 3,
        },
        again.path(),
    )
    .expect("write");
    reti::synth::write(
        &reti::synth::Spec {
            networks: 4,
            memberships: 1000,
            seed: 4,
        },
        other.path(),
    )
    .expect("write");
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
    let dir = tempfile::tempdir().expect("tempdir");
    reti::synth::write(
        &reti::synth::Spec {
            networks: 3,
            memberships: 1001,
            seed: 9,
        },
        dir.path(),
    )
    .expect("write");
    let dataset = Dataset::build(dir.path(), Base::new(Base::DEFAULT).expect("base"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(dataset.summary().memberships, 1001);
}
