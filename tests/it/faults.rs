//! Reloads and faults: a rebuild swaps in new data whole or not at all; killing the server
//! or an export midway corrupts nothing.

use crate::copy_dir;
use crate::serve::{TestServer, get, header};
use crate::{data_dir, reti, root};
use reti::publication::BuildOptions;
use reti::server::Settings;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// A copy of the shipped data.
fn data_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    copy_dir(&data_dir(), &data);
    (dir, data)
}

/// Adds Ancona to the coordination (a visible change) and makes the file newer than anything
/// before.
fn add_member(data: &Path) {
    let file = data.join("networks/italian-creative-cities.memberships.csv");
    let mut text = std::fs::read_to_string(&file).expect("read");
    text.push_str("italian-creative-cities,ancona,member,music,,turin-networks-page\n");
    std::fs::write(&file, text).expect("write");
    let later = SystemTime::now() + Duration::from_secs(5);
    std::fs::File::options()
        .write(true)
        .open(&file)
        .and_then(|f| f.set_modified(later))
        .expect("touch");
}

fn break_data(data: &Path) {
    let file = data.join("networks/gai.memberships.csv");
    let text = std::fs::read_to_string(&file)
        .expect("read")
        .replace("gai,turin,member", "gai,turn,member");
    std::fs::write(&file, text).expect("write");
}

fn members_of_coordination(s: &TestServer) -> String {
    let q = "SELECT (COUNT(*) AS ?n) WHERE { ?n <http://www.w3.org/ns/org#hasMember> ?m . FILTER(STRENDS(STR(?n), 'italian-creative-cities')) }";
    let url = s.at(&format!(
        "sparql?query={}",
        percent_encoding::utf8_percent_encode(q, percent_encoding::NON_ALPHANUMERIC)
    ));
    String::from_utf8_lossy(&s.block_on(get(&url, &[("Accept", "text/csv")])).2).into_owned()
}

#[test]
fn a_reload_swaps_in_the_new_data_and_a_failed_one_keeps_the_last_good() {
    let (_dir, data) = data_copy();
    let s = TestServer::with(Settings::default(), |o| o.data = data.clone());
    let options = BuildOptions {
        data: data.clone(),
        queries: root().join("queries"),
        ..BuildOptions::defaults(&s.url).expect("base")
    };
    let (_, before, _) = s.block_on(get(&s.at("dumps/reti.nq"), &[]));
    let catalog_before = String::from_utf8_lossy(
        &s.block_on(get(&s.at("catalog"), &[("Accept", "text/turtle")]))
            .2,
    )
    .into_owned();
    assert_eq!(members_of_coordination(&s), "n\r\n8\r\n");

    add_member(&data);
    reti::server::reload(&s.state, &options).expect("reload");
    assert_eq!(members_of_coordination(&s), "n\r\n9\r\n");
    let (_, after, _) = s.block_on(get(&s.at("dumps/reti.nq"), &[]));
    assert_ne!(
        header(&before, "etag"),
        header(&after, "etag"),
        "the dump's ETag changes with the swap"
    );
    assert_ne!(
        header(&before, "last-modified"),
        header(&after, "last-modified")
    );
    let catalog_after = String::from_utf8_lossy(
        &s.block_on(get(&s.at("catalog"), &[("Accept", "text/turtle")]))
            .2,
    )
    .into_owned();
    let modified = |t: &str| {
        t.lines()
            .find(|l| l.contains("dcterms:modified"))
            .map(str::to_owned)
    };
    assert_ne!(
        modified(&catalog_before),
        modified(&catalog_after),
        "the catalog's modified changes"
    );
    // an old ETag no longer revalidates
    let (status, _, _) = s.block_on(get(
        &s.at("dumps/reti.nq"),
        &[("If-None-Match", &header(&before, "etag"))],
    ));
    assert_eq!(status, 200);

    break_data(&data);
    let error = reti::server::reload(&s.state, &options).expect_err("broken data");
    assert!(
        error.to_string().contains("unknown place `turn`"),
        "{error}"
    );
    assert_eq!(
        members_of_coordination(&s),
        "n\r\n9\r\n",
        "still the last good data"
    );
    let (status, still, _) = s.block_on(get(&s.at("dumps/reti.nq"), &[]));
    assert_eq!(status, 200);
    assert_eq!(header(&still, "etag"), header(&after, "etag"));
}

/// `reti serve` on `data`, with the address it printed.
pub(crate) fn spawn_serve(data: &Path, extra: &[&str]) -> (Child, String) {
    let mut child = reti()
        .args(["serve", "--bind", "127.0.0.1:0", "--data"])
        .arg(data)
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("line");
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .expect("address")
        .to_owned();
    (child, url)
}

fn etag_of(runtime: &tokio::runtime::Runtime, url: &str) -> String {
    header(
        &runtime.block_on(get(&format!("{url}dumps/reti.nq"), &[])).1,
        "etag",
    )
}

pub(crate) fn wait_for(what: &str, done: impl FnMut() -> bool) {
    wait_every(Duration::from_millis(100), what, done);
}

fn wait_every(step: Duration, what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "timed out waiting for {what}"
        );
        std::thread::sleep(step);
    }
}

pub(crate) fn signal(child: &Child, sig: &str) {
    let status = std::process::Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
}

#[test]
fn sighup_reloads_and_a_broken_reload_logs_and_keeps_serving() {
    let (_dir, data) = data_copy();
    let (mut child, url) = spawn_serve(&data, &[]);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let first = etag_of(&runtime, &url);
    add_member(&data);
    signal(&child, "-HUP");
    wait_for("the reload", || etag_of(&runtime, &url) != first);
    let second = etag_of(&runtime, &url);
    break_data(&data);
    signal(&child, "-HUP");
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(etag_of(&runtime, &url), second, "still the last good data");
    signal(&child, "-TERM");
    assert_eq!(child.wait().expect("wait").code(), Some(0));
    let log = log_of(&mut child);
    assert!(
        log.contains("reload failed; still serving the last good data")
            && log.contains("unknown place `turn`"),
        "{log}"
    );
}

/// What the server wrote to standard error, once it has exited.
fn log_of(child: &mut Child) -> String {
    let mut log = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut log)
        .expect("log");
    log
}

#[test]
fn serve_logs_one_line_per_request_and_flushes_it_on_exit() {
    let (mut child, url) = spawn_serve(&data_dir(), &[]);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let (status, _, _) = runtime.block_on(get(&format!("{url}health"), &[]));
    assert_eq!(status, 200);
    let (status, _, _) = runtime.block_on(get(&format!("{url}nothing?here=1"), &[]));
    assert_eq!(status, 404);
    // terminated at once: the lines queued for the log's thread must still be written
    signal(&child, "-TERM");
    assert_eq!(child.wait().expect("wait").code(), Some(0));
    let log = log_of(&mut child);
    let requests: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("reti::request"))
        .collect();
    assert_eq!(requests.len(), 2, "{log}");
    assert!(requests[0].contains("INFO"), "{log}");
    assert!(requests[0].contains(" GET /health 200 "), "{log}");
    assert!(requests[1].contains(" GET /nothing?here=1 404 "), "{log}");
    assert!(requests.iter().all(|l| l.ends_with(" ms")), "{log}");
}

#[test]
fn watch_reloads_when_a_file_changes() {
    let (_dir, data) = data_copy();
    let (mut child, url) = spawn_serve(&data, &["--watch"]);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let first = etag_of(&runtime, &url);
    std::thread::sleep(Duration::from_millis(1200));
    add_member(&data);
    wait_for("the watched change", || etag_of(&runtime, &url) != first);
    signal(&child, "-TERM");
    assert_eq!(child.wait().expect("wait").code(), Some(0));
}

#[test]
fn killing_the_server_mid_download_or_mid_reload_corrupts_nothing() {
    let (_dir, data) = data_copy();
    let (mut child, url) = spawn_serve(&data, &[]);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    // a client that gives up midway leaves the server serving
    runtime.block_on(async {
        let mut response = crate::serve::client()
            .get(format!("{url}dumps/reti.nq"))
            .send()
            .await
            .expect("get");
        let _ = response.chunk().await.expect("first chunk");
        drop(response);
    });
    let sums = String::from_utf8_lossy(
        &runtime
            .block_on(get(&format!("{url}dumps/SHA256SUMS"), &[]))
            .2,
    )
    .into_owned();
    let (status, _, body) = runtime.block_on(get(&format!("{url}dumps/reti.nq"), &[]));
    assert_eq!(status, 200);
    use sha2::Digest;
    assert!(sums.contains(&reti::support::digest::hex(&sha2::Sha256::digest(&body))));
    // killed in the middle of a reload (SIGKILL right after SIGHUP)
    add_member(&data);
    signal(&child, "-HUP");
    signal(&child, "-KILL");
    let _ = child.wait();
    // the next start serves the data as the files are now: serve never writes to data/
    let (mut child, url) = spawn_serve(&data, &[]);
    let served = runtime.block_on(get(&format!("{url}dumps/reti.nq"), &[])).2;
    let expected = reti()
        .args([
            "export",
            "--format",
            "nq",
            "--base",
            &url.replace("127.0.0.1", "localhost"),
            "--data",
        ])
        .arg(&data)
        .output()
        .expect("export");
    assert!(expected.status.success());
    assert_eq!(served, expected.stdout);
    signal(&child, "-TERM");
    let _ = child.wait();
}

/// Source files for `places` municipalities in one network: enough data that an export takes
/// a while to write.
fn big_data(data: &Path, places: usize) {
    // synthetic test data (not shipped): codes from 900000 up, so the towns conform to the
    // shapes too (a municipality needs an ISTAT code) when SHACL validation is compiled in
    let mut csv = String::from("slug,type,name_en,name_it,part_of,istat_code,source\n");
    let mut members = String::from("organization,member,role,field,since,source\n");
    for i in 0..places {
        csv.push_str(&format!(
            "town-{i},municipality,Town {i},Città {i},province-torino,{},turin-networks-page\n",
            900_000 + i
        ));
        members.push_str(&format!("gai,town-{i},member,,,turin-networks-page\n"));
    }
    std::fs::write(data.join("places/towns.places.csv"), csv).expect("write");
    std::fs::write(data.join("networks/towns.memberships.csv"), members).expect("write");
}

#[test]
fn an_export_killed_midway_leaves_the_previous_file_whole() {
    let (dir, data) = data_copy();
    big_data(&data, 15_000);
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).expect("mkdir");
    let target = out.join("reti.nt");
    std::fs::write(&target, "previous complete export\n").expect("write");
    let mut child = reti()
        .args(["export", "--format", "nt", "--data"])
        .arg(&data)
        .arg("-o")
        .arg(&target)
        .spawn()
        .expect("spawn");
    // wait until the temporary file exists, i.e. the export is being written, then kill it
    wait_every(Duration::from_millis(2), "the temporary file", || {
        std::fs::read_dir(&out)
            .expect("read")
            .filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().starts_with(".reti-"))
    });
    child.kill().expect("kill");
    let _ = child.wait();
    assert_eq!(
        std::fs::read_to_string(&target).expect("target"),
        "previous complete export\n",
        "the target is untouched"
    );
    // the next export replaces it and sweeps the abandoned temporary file
    let status = reti()
        .args(["export", "--format", "nt", "--data"])
        .arg(&data)
        .arg("-o")
        .arg(&target)
        .status()
        .expect("run");
    assert!(status.success());
    assert!(
        std::fs::read_to_string(&target)
            .expect("target")
            .contains("town-14999")
    );
    let leftovers: Vec<String> = std::fs::read_dir(&out)
        .expect("read")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".reti-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
