//! SHACL validation of the built graph (`ontology/shapes.ttl`, rudof's engine): the shipped data
//! conforms, and data that reti's own model accepts but a shape rejects is refused by every
//! command, pointing at the file and line of the record that describes the focus node.
//! Only with the `shacl` feature (CI runs `cargo test --features shacl`).
#![cfg(feature = "shacl")]

use crate::copy_dir;
use crate::{data_dir, reti, shipped};
use reti::rdf::Base;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

#[test]
fn the_shipped_data_conforms_to_the_shapes() {
    const { assert!(reti::validate::ENABLED) };
    let findings = reti::validate::validate(shipped()).expect("validation runs");
    assert!(findings.is_empty(), "{findings:#?}");
    assert!(shipped().warnings().is_empty());
}

/// A copy of the shipped data in a temporary directory, broken on purpose.
struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        copy_dir(&data_dir(), &dir.path().join("data"));
        Fixture { dir }
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn path(&self, file: &str) -> PathBuf {
        self.data().join(file)
    }

    /// Appends `row` to `file`; returns its 1-based line.
    fn append(&self, file: &str, row: &str) -> usize {
        let path = self.path(file);
        let text = fs::read_to_string(&path).expect("read fixture file");
        assert!(text.ends_with('\n'));
        fs::write(&path, format!("{text}{row}\n")).expect("write fixture file");
        text.lines().count() + 1
    }

    /// Replaces the first `from` in `file` by `to`.
    fn replace(&self, file: &str, from: &str, to: &str) {
        let path = self.path(file);
        let text = fs::read_to_string(&path).expect("read fixture file");
        assert!(text.contains(from), "`{from}` not in {file}");
        fs::write(&path, text.replacen(from, to, 1)).expect("write fixture file");
    }

    /// Asserts that `check`, `export -o FILE`, `export --all -o DIR` and `serve` all exit with
    /// status 1, write nothing, and report `expected` (a whole line of standard error).
    fn refused_everywhere(&self, expected: &str) -> String {
        let out = run(reti().arg("check").arg("--data").arg(self.data()));
        let stderr = refused(&out, expected, "check");
        assert!(out.stdout.is_empty(), "nothing on stdout when invalid");

        let file = self.dir.path().join("reti.ttl");
        let out = run(reti()
            .args(["export", "--format", "ttl", "--data"])
            .arg(self.data())
            .arg("-o")
            .arg(&file));
        refused(&out, expected, "export -o");
        assert!(!file.exists(), "nothing written by a refused export");

        let dumps = self.dir.path().join("dumps");
        let out = run(reti()
            .args(["export", "--all", "--data"])
            .arg(self.data())
            .arg("-o")
            .arg(&dumps));
        refused(&out, expected, "export --all");
        assert!(!dumps.exists(), "no dump directory after a refused build");

        let out = run(reti()
            .args(["export", "--format", "nt", "--data"])
            .arg(self.data()));
        refused(&out, expected, "export to stdout");
        assert!(out.stdout.is_empty(), "nothing on stdout when invalid");

        let out = run(reti()
            .args(["query", "-e", "ASK {}", "--data"])
            .arg(self.data()));
        refused(&out, expected, "query");

        let out = serve(&self.data());
        refused(&out, expected, "serve");
        stderr
    }
}

fn run(cmd: &mut std::process::Command) -> Output {
    cmd.output().expect("run reti")
}

/// Runs `reti serve` on `data` (IRIs under the default base, as the other commands mint
/// them); it must exit, not serve, within a minute.
fn serve(data: &Path) -> Output {
    let mut child = reti()
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--base",
            Base::DEFAULT,
            "--data",
        ])
        .arg(data)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start reti serve");
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let out = child.wait_with_output().expect("output");
            panic!(
                "reti serve is serving invalid data:\n{}",
                String::from_utf8_lossy(&out.stdout)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().expect("output")
}

/// Asserts exit status 1 and that standard error has the line `expected`; returns stderr.
fn refused(out: &Output, expected: &str, what: &str) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{what}: stderr:\n{stderr}");
    assert!(
        stderr.lines().any(|l| l == expected),
        "{what}: expected the line\n{expected}\nin:\n{stderr}"
    );
    stderr
}

fn place(slug: &str) -> String {
    format!("{}id/place/{slug}", Base::DEFAULT)
}

#[test]
fn a_municipality_without_istat_code_is_refused_at_its_row() {
    let f = Fixture::new();
    let file = "places/municipalities.places.csv";
    let line = f.append(
        file,
        "testville,municipality,Testville,Testville,province-cuneo,,,,,istat-comuni-italiani",
    );
    let expected = format!(
        "{}:{line}:1: SHACL violation: A municipality needs exactly one ISTAT code \
         (reti:istatCode), a string of six digits with leading zeros (e.g. \"001272\" for \
         Turin): fix `istat_code` in the municipality record (row of the municipalities CSV); \
         keep it quoted so that the leading zeros survive. (focus {}, path reti:istatCode)",
        f.path(file).display(),
        place("testville"),
    );
    let stderr = f.refused_everywhere(&expected);
    assert!(stderr.contains("1 problem found"), "{stderr}");
}

#[test]
fn a_province_outside_any_region_is_refused_at_its_row() {
    let f = Fixture::new();
    let file = "places/provinces.places.csv";
    let line = f.append(
        file,
        "province-test,province,Testshire,Provincia di Test,,,TT,istat-comuni-italiani",
    );
    let expected = format!(
        "{}:{line}:1: SHACL violation: A province must be contained in exactly one region \
         (schema:containedInPlace a reti:Region): set `part_of` of the province to the slug of \
         a defined region (e.g. piedmont). (focus {}, path schema:containedInPlace)",
        f.path(file).display(),
        place("province-test"),
    );
    f.refused_everywhere(&expected);
}

#[test]
fn a_violation_on_a_resource_of_several_records_names_them_all() {
    // The Province of Matera is described by two records of places/other.toml; the second
    // gives its region. Without it, the province is in no region.
    let f = Fixture::new();
    let file = "places/other.toml";
    let text = fs::read_to_string(f.path(file)).expect("read");
    let lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == "slug = \"province-matera\"")
        .map(|(i, _)| i) // the `[[place]]` line before it, 1-based
        .collect();
    assert_eq!(lines.len(), 2, "two records describe province-matera");
    f.replace(
        file,
        "name.it = \"Provincia di Matera\"\npart_of = \"basilicata\"\n",
        "name.it = \"Provincia di Matera\"\n",
    );
    let expected = format!(
        "{}:{}:1: SHACL violation: A province must be contained in exactly one region \
         (schema:containedInPlace a reti:Region): set `part_of` of the province to the slug of \
         a defined region (e.g. piedmont). (focus {}, path schema:containedInPlace)",
        f.path(file).display(),
        lines[0],
        place("province-matera"),
    );
    let stderr = f.refused_everywhere(&expected);
    let help = format!(
        "  help: {} is also described at {}:{}",
        place("province-matera"),
        f.path(file).display(),
        lines[1],
    );
    assert!(stderr.lines().any(|l| l == help), "{help}\nin:\n{stderr}");
}

#[test]
fn the_library_refuses_too() {
    let f = Fixture::new();
    let file = "places/regions.places.csv";
    let line = f.append(
        file,
        "testregion,region,Testregion,Regione di Test,,99,istat-comuni-italiani",
    );
    let base = Base::new(Base::DEFAULT).expect("base");
    let Err(reti::build::BuildError::Invalid(diagnostics)) =
        reti::store::Dataset::build(&f.data(), base)
    else {
        panic!("data with a region in no country builds");
    };
    assert_eq!(diagnostics.len(), 1, "{diagnostics}");
    let d = &diagnostics.0[0];
    assert_eq!(
        (d.file.as_path(), d.line, d.column),
        (f.path(file).as_path(), line, 1)
    );
    assert!(
        d.message
            .starts_with("SHACL violation: A region must be contained in exactly one country")
            && d.message.ends_with(&format!(
                "(focus {}, path schema:containedInPlace)",
                place("testregion")
            )),
        "{d}"
    );
    assert_eq!(d.help, None);
}
