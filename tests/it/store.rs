//! `reti serve --store DIR`: the on-disk store (feature `rocksdb`) answers exactly as the
//! in-memory one, a start with the same data opens the store built before, a failed build
//! leaves the good store alone, and only the two most recently used stores are kept. Without
//! the feature, `--store` is a usage error that says how to get it.

#[cfg(feature = "rocksdb")]
mod on_disk {
    use crate::serve::{TestServer, get};
    use reti::build::BuildError;
    use reti::rdf::Base;
    use reti::server::Settings;
    use reti::store::Dataset;
    use std::path::{Path, PathBuf};

    const BASE: &str = "http://reti.test/";

    fn base() -> Base {
        Base::new(BASE).expect("base")
    }

    /// A copy of the shipped data, to change.
    fn data_copy() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("data");
        crate::copy_dir(&crate::data_dir(), &data);
        (dir, data)
    }

    /// The store directories under `root` (hidden ones, builds under way, included).
    fn stores(root: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(root)
            .expect("store root")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// Appends a comment to a source file: new content, same facts.
    fn touch_content(data: &Path, note: &str) {
        let file = data.join("networks/uccn.toml");
        let mut text = std::fs::read_to_string(&file).expect("uccn.toml");
        text.push_str(&format!("\n# {note}\n"));
        std::fs::write(&file, text).expect("write");
    }

    /// Servers of the shipped data: one in memory, one on disk with its stores under `root`.
    fn servers(root: &Path) -> (TestServer, TestServer) {
        let in_memory = TestServer::with(Settings::default(), |o| {
            o.base = base();
        });
        let on_disk = TestServer::with(Settings::default(), |o| {
            o.base = base();
            o.store = Some(root.to_owned());
        });
        (in_memory, on_disk)
    }

    fn build(data: &Path, root: &Path) -> Result<Dataset, BuildError> {
        Dataset::build_on_disk(data, base(), root)
    }

    #[test]
    fn the_on_disk_store_serves_what_the_in_memory_store_serves() {
        let root = tempfile::tempdir().expect("store root");
        let (in_memory, on_disk) = servers(root.path());
        // the dumps are exported from each store: byte-identical dumps, identical stores
        let sums = |s: &TestServer| s.block_on(get(&s.at("dumps/SHA256SUMS"), &[]));
        let (status, _, memory_sums) = sums(&in_memory);
        assert_eq!(status, 200);
        assert_eq!(sums(&on_disk).2, memory_sums);
        // every stored query, every document format, the catalog's counts
        let mut paths: Vec<String> = std::fs::read_dir(crate::root().join("queries"))
            .expect("queries")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "rq"))
            .map(|p| {
                let name = p.file_stem().expect("stem").to_string_lossy().into_owned();
                format!("queries/{name}")
            })
            .collect();
        assert!(paths.len() >= 5, "{paths:?}");
        paths.extend(
            [
                "doc/place/turin.ttl",
                "doc/network/uccn.jsonld",
                "doc/place/turin.html",
                ".well-known/void",
                "sparql?query=SELECT%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20%7B%20GRAPH%20%3Fg%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20%7D",
            ]
            .map(str::to_owned),
        );
        for path in paths {
            let (a_status, _, a) = in_memory.block_on(get(&in_memory.at(&path), &[]));
            let (b_status, _, b) = on_disk.block_on(get(&on_disk.at(&path), &[]));
            assert_eq!((a_status, b_status), (200, 200), "{path}");
            assert_eq!(
                String::from_utf8_lossy(&b),
                String::from_utf8_lossy(&a),
                "{path}"
            );
        }
    }

    #[test]
    fn a_restart_gives_the_stored_queries_results_kept_beside_the_store() {
        let root = tempfile::tempdir().expect("store root");
        let queries = tempfile::tempdir().expect("queries");
        let write = |text: &str| {
            let query =
                format!("# title: Networks\n# description: Networks, for a test.\n{text}\n");
            std::fs::write(queries.path().join("networks.rq"), query).expect("write");
        };
        write("SELECT ?n WHERE { ?n a <https://w3id.org/reti/ontology#Network> } ORDER BY ?n");
        let start = || {
            TestServer::with(Settings::default(), |o| {
                o.base = base();
                o.store = Some(root.path().to_owned());
                o.queries = queries.path().to_owned();
            })
        };
        let ask = |s: &TestServer| s.block_on(get(&s.at("queries/networks?format=csv"), &[]));
        let first = start();
        let (status, h, evaluated) = ask(&first);
        assert_eq!(status, 200);
        assert_eq!(
            crate::serve::header(&h, "cache-status"),
            "reti; fwd=miss; stored"
        );
        drop(first);
        // the next start, with no warm-up, answers from what the first one kept
        let second = start();
        let (status, h, body) = ask(&second);
        assert_eq!(status, 200);
        assert_eq!(crate::serve::header(&h, "cache-status"), "reti; hit");
        assert_eq!(body, evaluated);
        drop(second);
        // a changed query is evaluated again, over the same store
        write(
            "SELECT ?n WHERE { ?n a <https://w3id.org/reti/ontology#Network> } ORDER BY DESC(?n)",
        );
        let third = start();
        let (status, h, body) = ask(&third);
        assert_eq!(status, 200);
        assert_eq!(
            crate::serve::header(&h, "cache-status"),
            "reti; fwd=miss; stored"
        );
        let lines = |b: &[u8]| {
            String::from_utf8_lossy(b)
                .lines()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        let (mut ascending, descending) = (lines(&evaluated), lines(&body));
        assert!(ascending.len() > 2, "{ascending:?}");
        ascending[1..].reverse();
        assert_eq!(descending, ascending);
    }

    #[test]
    fn a_start_with_the_same_data_opens_the_store_built_before() {
        let (_dir, data) = data_copy();
        let root = tempfile::tempdir().expect("store root");
        let first = build(&data, root.path()).expect("first build");
        let quads = first.summary().quads;
        let profile = first.profile().cloned();
        assert!(profile.is_some(), "the build gathers the VoID statistics");
        let kept: u32 = first.remember("answer", || Ok::<_, ()>(42)).expect("kept");
        assert_eq!(kept, 42);
        drop(first);
        let names = stores(root.path());
        assert_eq!(names.len(), 1, "{names:?}");
        // What a build knows beyond the store is read back, not computed again: change it on
        // disk and the next start shows the change (a rebuild would show the real counts).
        let marker = root.path().join(&names[0]).join("reti-build.json");
        let meta = std::fs::read_to_string(&marker).expect("marker");
        let forged = meta.replace(&format!("\"quads\": {quads}"), "\"quads\": 7");
        assert_ne!(forged, meta, "{meta}");
        std::fs::write(&marker, forged).expect("forge");
        let second = build(&data, root.path()).expect("second start");
        assert_eq!(second.summary().quads, 7);
        assert_eq!(second.profile().cloned(), profile);
        let again: u32 = second.remember("answer", || Ok::<_, ()>(0)).expect("kept");
        assert_eq!(again, 42);
        // and the store itself is the one built before, with all its data
        assert!(second.contains_subject(&base().mint("place", "turin")));
        assert_eq!(stores(root.path()), names);
    }

    /// A store built by a reti that did not gather the VoID statistics while building (its
    /// marker has no `profile`) still opens, and the server reads them from the store instead.
    #[test]
    fn a_store_without_gathered_statistics_still_describes_itself() {
        let root = tempfile::tempdir().expect("store root");
        drop(build(&crate::data_dir(), root.path()).expect("build"));
        let names = stores(root.path());
        let marker = root.path().join(&names[0]).join("reti-build.json");
        let mut meta: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&marker).expect("marker")).expect("json");
        assert!(
            meta["profile"]["distinct_subjects"].as_u64() > Some(0),
            "{meta}"
        );
        meta.as_object_mut().expect("object").remove("profile");
        std::fs::write(&marker, serde_json::to_vec(&meta).expect("json")).expect("write");
        assert_eq!(
            build(&crate::data_dir(), root.path())
                .expect("open")
                .profile(),
            None
        );
        let (in_memory, on_disk) = servers(root.path());
        let void = |s: &TestServer| s.block_on(get(&s.at(".well-known/void"), &[]));
        let (status, _, expected) = void(&in_memory);
        assert_eq!(status, 200);
        let (status, _, read) = void(&on_disk);
        assert_eq!(status, 200);
        assert_eq!(
            String::from_utf8_lossy(&read),
            String::from_utf8_lossy(&expected)
        );
        // what the scans read is kept beside the store, for the next start
        assert!(
            root.path()
                .join(&names[0])
                .join("statistics.json")
                .is_file()
        );
    }

    #[test]
    fn a_failed_build_leaves_the_good_store_alone() {
        let (_dir, data) = data_copy();
        let root = tempfile::tempdir().expect("store root");
        drop(build(&data, root.path()).expect("good build"));
        let good = stores(root.path());
        let networks = data.join("networks/uccn.toml");
        let text = std::fs::read_to_string(&networks).expect("uccn.toml");
        std::fs::write(&networks, format!("{text}\n[[network]\n")).expect("break");
        match build(&data, root.path()) {
            Err(BuildError::Invalid(problems)) => {
                let shown = problems.to_string();
                assert!(shown.contains("uccn.toml"), "{shown}");
            }
            Err(other) => panic!("expected the file's problems, got {other}"),
            Ok(_) => panic!("a broken file built"),
        }
        // nothing left of the failed build, and the good store still opens
        assert_eq!(stores(root.path()), good);
        std::fs::write(&networks, text).expect("mend");
        let reopened = build(&data, root.path()).expect("good data again");
        assert!(reopened.contains_subject(&base().mint("network", "uccn")));
        assert_eq!(stores(root.path()), good);
    }

    #[test]
    fn the_two_most_recently_used_stores_are_kept() {
        let (_dir, data) = data_copy();
        let root = tempfile::tempdir().expect("store root");
        let mut built = Vec::new();
        for note in ["first", "second", "third"] {
            touch_content(&data, note);
            drop(build(&data, root.path()).expect("build"));
            let now = stores(root.path());
            let new: Vec<String> = now
                .iter()
                .filter(|n| !built.contains(*n))
                .cloned()
                .collect();
            assert_eq!(new.len(), 1, "{note}: {now:?}");
            built.push(new[0].clone());
            // modification times are compared: keep the builds apart
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let mut expected = vec![built[1].clone(), built[2].clone()];
        expected.sort();
        assert_eq!(stores(root.path()), expected);
    }
}

#[cfg(not(feature = "rocksdb"))]
#[test]
fn without_the_feature_store_is_a_usage_error_that_says_how_to_get_it() {
    let root = tempfile::tempdir().expect("store root");
    let out = crate::reti()
        .args(["serve", "--bind", "127.0.0.1:0", "--store"])
        .arg(root.path())
        .output()
        .expect("run reti");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cargo build --release --features rocksdb"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_dir(root.path()).expect("root").count(), 0);
}
