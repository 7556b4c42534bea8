//! Bad source files: each mistake a maintainer can make is rejected with the file, line and
//! column of the mistake, a hint, exit status 1, and nothing written.

use crate::copy_dir;
use crate::{data_dir, reti};
use std::fs;
use std::path::PathBuf;

/// A copy of the shipped data in a temporary directory, to break on purpose.
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

    /// Replaces the first `from` in `file` by `to`; returns the 1-based line and column where
    /// `to` now starts.
    fn replace(&self, file: &str, from: &str, to: &str) -> (usize, usize) {
        let path = self.path(file);
        let text = fs::read_to_string(&path).expect("read fixture file");
        let at = text
            .find(from)
            .unwrap_or_else(|| panic!("`{from}` not in {file}"));
        let new = format!("{}{to}{}", &text[..at], &text[at + from.len()..]);
        fs::write(&path, new).expect("write fixture file");
        position(&text, at)
    }

    fn append(&self, file: &str, extra: &str) -> (usize, usize) {
        let path = self.path(file);
        let text = fs::read_to_string(&path).expect("read fixture file");
        fs::write(&path, format!("{text}{extra}")).expect("write fixture file");
        position(&format!("{text}{extra}"), text.len())
    }

    /// Runs `reti check` on the fixture: asserts exit status 1 and returns standard error.
    fn check_fails(&self) -> String {
        let out = reti()
            .arg("check")
            .arg("--data")
            .arg(self.data())
            .output()
            .expect("run reti");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(1), "stderr:\n{stderr}");
        assert!(out.stdout.is_empty(), "nothing on stdout when invalid");
        stderr
    }

    /// Asserts that the check reports `message` at `file:line:column`.
    fn expect(&self, file: &str, (line, column): (usize, usize), message: &str) -> String {
        let stderr = self.check_fails();
        let location = format!("{}:{line}:{column}: ", self.path(file).display());
        let found = stderr
            .lines()
            .any(|l| l.starts_with(&location) && l.contains(message));
        assert!(found, "expected `{location}… {message}` in:\n{stderr}");
        stderr
    }
}

fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[test]
fn toml_syntax_error() {
    let f = Fixture::new();
    let at = f.replace(
        "networks/gai.toml",
        "founded = \"1997\"",
        "founded = \"1997",
    );
    let stderr = f.check_fails();
    let location = format!("{}:{}:", f.path("networks/gai.toml").display(), at.0);
    assert!(stderr.contains(&location), "{stderr}");
}

#[test]
fn unknown_key_suggests_the_right_one() {
    let f = Fixture::new();
    let at = f.replace(
        "networks/gai.toml",
        "founded = \"1997\"",
        "fonded = \"1997\"",
    );
    let stderr = f.expect("networks/gai.toml", at, "unknown field `fonded`");
    assert!(stderr.contains("did you mean `founded`?"), "{stderr}");
}

#[test]
fn unknown_member_suggests_the_nearest_place() {
    let f = Fixture::new();
    let (line, _) = f.replace(
        "networks/gai.memberships.csv",
        "gai,turin,member",
        "gai,turn,member",
    );
    let stderr = f.expect(
        "networks/gai.memberships.csv",
        (line, 5),
        "unknown place `turn`",
    );
    assert!(stderr.contains("did you mean `turin`?"), "{stderr}");
}

#[test]
fn unknown_field_and_role_and_source() {
    let f = Fixture::new();
    let (line, _) = f.replace(
        "networks/uccn.memberships.csv",
        "uccn,rome,member,film,,",
        "uccn,rome,mebmer,cinema,,",
    );
    f.replace(
        "networks/uccn.toml",
        "source = \"reti-editors\"",
        "source = \"reti-editor\"",
    );
    let stderr = f.expect(
        "networks/uccn.memberships.csv",
        (line, 11),
        "unknown role `mebmer`",
    );
    assert!(stderr.contains("did you mean `member`?"), "{stderr}");
    // every problem at once
    f.expect(
        "networks/uccn.memberships.csv",
        (line, 18),
        "unknown field `cinema`",
    );
    let stderr = f.expect(
        "networks/uccn.toml",
        find(&f, "networks/uccn.toml", "\"reti-editor\""),
        "unknown source `reti-editor`",
    );
    assert!(stderr.contains("did you mean `reti-editors`?"), "{stderr}");
}

fn find(f: &Fixture, file: &str, needle: &str) -> (usize, usize) {
    let text = fs::read_to_string(f.path(file)).expect("read");
    position(&text, text.find(needle).expect("needle"))
}

#[test]
fn duplicate_slug_for_the_same_source() {
    let f = Fixture::new();
    let at = f.append(
        "networks/gai.toml",
        "\n[[network]]\nslug = \"gai\"\nname.en = \"Another GAI\"\n",
    );
    let at = (at.0 + 2, 8);
    f.expect("networks/gai.toml", at, "duplicate network `gai`");
}

#[test]
fn bad_year() {
    let f = Fixture::new();
    let (line, _) = f.replace(
        "networks/uccn.memberships.csv",
        "design,2014,",
        "design,20x4,",
    );
    f.expect(
        "networks/uccn.memberships.csv",
        (line, 26),
        "`since` must be a whole number, not `20x4`",
    );
}

#[test]
fn year_before_the_network_existed() {
    let f = Fixture::new();
    let (line, _) = f.replace(
        "networks/uccn.memberships.csv",
        "design,2014,",
        "design,1994,",
    );
    f.expect(
        "networks/uccn.memberships.csv",
        (line, 26),
        "before `uccn` was founded in 2004",
    );
}

#[test]
fn bad_founding_date() {
    let f = Fixture::new();
    let at = f.replace("networks/bjcem.toml", "\"2001-07\"", "\"2001-13\"");
    f.expect(
        "networks/bjcem.toml",
        at,
        "bad founding date `2001-13`: there is no month 13",
    );
}

#[test]
fn bad_iri() {
    let f = Fixture::new();
    let at = f.replace(
        "sources.toml",
        "\"https://www.awn.it/\"",
        "\"https://www.awn.it/a b\"",
    );
    f.expect("sources.toml", at, "is not a valid web address (IRI)");
}

#[test]
fn missing_required_field() {
    let f = Fixture::new();
    f.replace(
        "networks/eurocities.toml",
        "organization = \"eurocities\"\nmember = \"turin\"\n",
        "member = \"turin\"\n",
    );
    let stderr = f.check_fails();
    assert!(stderr.contains("missing field `organization`"), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{}:",
            f.path("networks/eurocities.toml").display()
        )),
        "{stderr}"
    );
}

#[test]
fn record_without_source() {
    let f = Fixture::new();
    f.replace(
        "networks/gai.toml",
        "default_source = \"turin-networks-page\"\n",
        "",
    );
    let stderr = f.check_fails();
    let at = find(&f, "networks/gai.toml", "slug = \"gai\"");
    assert!(
        stderr.contains(&format!(
            "{}:{}:",
            f.path("networks/gai.toml").display(),
            at.0 - 1
        )) && stderr.contains("this record names no source"),
        "{stderr}"
    );
}

#[test]
fn empty_file() {
    let f = Fixture::new();
    fs::write(f.path("networks/new.toml"), "\n# nothing yet\n").expect("write");
    f.expect("networks/new.toml", (1, 1), "the file defines no records");
    fs::write(f.path("networks/new.toml"), "").expect("write");
    f.expect("networks/new.toml", (1, 1), "the file is empty");
}

#[test]
fn wrong_encoding() {
    let f = Fixture::new();
    let path = f.path("places/other.toml");
    let mut bytes = fs::read(&path).expect("read");
    let text = String::from_utf8(bytes.clone()).expect("utf8");
    let at = text.find("Bruxelles").expect("Bruxelles") + 2;
    bytes.splice(at..at + 1, [0xE9]); // Latin-1 é
    fs::write(&path, bytes).expect("write");
    let stderr = f.expect(
        "places/other.toml",
        position(&text, at),
        &format!(
            "the file is not UTF-8: line {} has the byte 0xE9",
            position(&text, at).0
        ),
    );
    assert!(stderr.contains("save it as UTF-8"), "{stderr}");
}

#[test]
fn duplicate_membership() {
    let f = Fixture::new();
    let at = f.append(
        "networks/gai.memberships.csv",
        "gai,asti,member,,,turin-networks-page\n",
    );
    f.expect(
        "networks/gai.memberships.csv",
        (at.0, 5),
        "duplicate membership: source `turin-networks-page` already says `asti` is member of `gai`",
    );
}

#[test]
fn two_memberships_with_one_slug() {
    // `gai` with `asti` as chair and `gai` with `asti-chair` as member would both be
    // `membership/gai-asti-chair`: the second is refused, where it is written.
    let f = Fixture::new();
    f.append(
        "places/other.toml",
        "\n[[place]]\nslug = \"asti-chair\"\ntype = \"city\"\nsource = \"reti-editors\"\nname.en = \"Asti Chair\"\n",
    );
    f.append(
        "networks/gai.memberships.csv",
        "gai,asti,chair,,,turin-networks-page\n",
    );
    let at = f.append(
        "networks/gai.memberships.csv",
        "gai,asti-chair,member,,,turin-networks-page\n",
    );
    let stderr = f.expect(
        "networks/gai.memberships.csv",
        (at.0, 1),
        "two different memberships would both get the slug `gai-asti-chair`",
    );
    assert_eq!(
        stderr.matches("would both get the slug").count(),
        1,
        "{stderr}"
    );
}

#[test]
fn invalid_slug_gets_a_suggestion() {
    let f = Fixture::new();
    let (line, _) = f.replace(
        "places/other.toml",
        "slug = \"brussels\"\ntype",
        "slug = \"Bruxelles Capitale\"\ntype",
    );
    let stderr = f.expect(
        "places/other.toml",
        (line, 8),
        "`Bruxelles Capitale` is not a valid slug",
    );
    assert!(stderr.contains("`bruxelles-capitale`"), "{stderr}");
}

#[test]
fn bad_codes() {
    let f = Fixture::new();
    let (line, _) = f.replace("places/municipalities.places.csv", "001272", "1272");
    f.expect(
        "places/municipalities.places.csv",
        (line, 49),
        "`1272` is not a valid municipality ISTAT code",
    );
    let (line, _) = f.replace("places/countries.places.csv", ",Q38,", ",38,");
    let stderr = f.check_fails();
    assert!(
        stderr.contains(&format!("countries.places.csv:{line}:"))
            && stderr.contains("`38` is not a valid Wikidata item"),
        "{stderr}"
    );
}

#[test]
fn unknown_csv_column() {
    let f = Fixture::new();
    f.replace(
        "networks/gai.memberships.csv",
        "organization,member,role,field,since,source",
        "organization,member,rol,field,since,source",
    );
    let stderr = f.expect(
        "networks/gai.memberships.csv",
        (1, 21),
        "unknown column `rol`",
    );
    assert!(stderr.contains("did you mean `role`?"), "{stderr}");
}

#[test]
fn countries_are_not_places_of_other_kinds() {
    let f = Fixture::new();
    let at = f.replace("networks/bjcem.toml", "\"albania\", ", "\"turin\", ");
    f.expect(
        "networks/bjcem.toml",
        at,
        "`turin` is a municipality, not a country",
    );
}

#[test]
fn two_english_names_for_one_thing() {
    let f = Fixture::new();
    f.replace(
        "networks/gai.toml",
        "name.it = \"GAI – Associazione",
        "name.en = \"GAI association\"\nname.it = \"GAI – Associazione",
    );
    let stderr = f.check_fails();
    assert!(
        stderr.contains("network `gai` has two `en` names"),
        "{stderr}"
    );
}

#[test]
fn a_failed_build_writes_nothing() {
    let f = Fixture::new();
    let out = f.dir.path().join("out");
    // a good export first
    let status = reti()
        .args(["export", "--format", "nt", "--data"])
        .arg(f.data())
        .arg("-o")
        .arg(&out)
        .status()
        .expect("run");
    assert!(status.success());
    let good = fs::read(&out).expect("good export");
    // then break the data: the export fails and the good file is untouched
    f.replace(
        "networks/gai.memberships.csv",
        "gai,turin,member",
        "gai,turn,member",
    );
    let result = reti()
        .args(["export", "--format", "nt", "--data"])
        .arg(f.data())
        .arg("-o")
        .arg(&out)
        .output()
        .expect("run");
    assert_eq!(result.status.code(), Some(1));
    assert_eq!(fs::read(&out).expect("still there"), good);
    let dumps = f.dir.path().join("dumps");
    let result = reti()
        .args(["export", "--all", "--data"])
        .arg(f.data())
        .arg("-o")
        .arg(&dumps)
        .output()
        .expect("run");
    assert_eq!(result.status.code(), Some(1));
    assert!(!dumps.exists(), "no dump directory after a failed build");
    let leftovers: Vec<_> = fs::read_dir(f.dir.path())
        .expect("read")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".reti-"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files left behind");
}

#[test]
fn a_broken_file_does_not_hide_problems_in_other_files() {
    let f = Fixture::new();
    f.replace(
        "networks/bjcem.toml",
        "founded = \"2001-07\"",
        "founded = 2001-07-",
    );
    let (line, _) = f.replace(
        "networks/uccn.memberships.csv",
        "design,2014,",
        "design,20x4,",
    );
    let stderr = f.check_fails();
    assert!(
        stderr.contains(&format!("{}:", f.path("networks/bjcem.toml").display())),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("uccn.memberships.csv:{line}:26:")),
        "{stderr}"
    );
}

#[test]
fn a_site_needs_an_owner_and_a_place_in_one_of_its_records() {
    let f = Fixture::new();
    let text = fs::read_to_string(f.path("networks/eurocities.toml")).expect("read");
    let without = text.replacen(
        "organization = \"eurocities\"\nplace = \"brussels\"\n",
        "",
        1,
    );
    assert_ne!(text, without);
    fs::write(f.path("networks/eurocities.toml"), without).expect("write");
    let at = find(&f, "networks/eurocities.toml", "\"eurocities-secretariat\"");
    f.expect(
        "networks/eurocities.toml",
        at,
        "site `eurocities-secretariat` has no organisation or no place",
    );
}
