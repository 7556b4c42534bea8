//! The command line as a user meets it: exit codes, summaries, help, output formats.

use crate::reti;

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = reti().args(args).output().expect("run reti");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn check_prints_a_summary() {
    let data = crate::fixture().join("data");
    let config = crate::fixture().join("reti.toml");
    let (code, stdout, stderr) = run(&[
        "check",
        "--data",
        &data.display().to_string(),
        "--config",
        &config.display().to_string(),
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stderr, "");
    assert_eq!(
        stdout,
        format!(
            "ok: {} is valid (5 files read)
  networks             1
  units                0
  organisations        0
  places               4
  memberships          3
  stated figures       1
  sources              3
triples per graph:
      40  http://localhost:7878/graph/city-page
      66  http://localhost:7878/graph/editors
      17  http://localhost:7878/graph/network-records
     251  http://localhost:7878/graph/ontology
     374  quads in all, 372 distinct triples in the union graph
",
            data.display()
        )
    );
}

#[test]
fn check_passes_on_the_shipped_data_without_warnings() {
    let (code, stdout, stderr) = run(&["check"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stderr, "", "the shipped reti.toml names every network");
    assert!(stdout.starts_with("ok: data is valid"), "{stdout}");
}

#[test]
fn base_changes_every_minted_iri() {
    let (code, stdout, stderr) = run(&[
        "export",
        "--format",
        "nt",
        "--base",
        "https://reti.example.org/",
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("<https://reti.example.org/id/place/turin>"));
    assert!(!stdout.contains("localhost"));
    // the ontology's namespace does not depend on the base
    assert!(stdout.contains("<https://w3id.org/reti/ontology#Network>"));
}

#[test]
fn usage_errors_exit_2() {
    let (code, _, stderr) = run(&["export", "--format", "xlsx"]);
    assert_eq!(code, Some(2), "{stderr}");
    let (code, _, stderr) = run(&["check", "--base", "not an iri"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("invalid base IRI"), "{stderr}");
    let (code, _, stderr) = run(&["check", "--base", "http://example.org/no-slash"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("it must end with /"), "{stderr}");
    let (code, _, _) = run(&["query"]);
    assert_eq!(code, Some(2));
    let (code, _, stderr) = run(&[
        "query",
        "-e",
        "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
        "--format",
        "ttl",
    ]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("for construct and describe results"),
        "{stderr}"
    );
}

#[test]
fn query_errors_exit_1_with_the_parser_message() {
    let (code, _, stderr) = run(&["query", "-e", "SELECT ?x WHERE { ?x ?y }"]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("the query is not valid SPARQL"), "{stderr}");
    let (code, _, stderr) = run(&["export", "--graph", "http://localhost:7878/graph/nope"]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("the dataset has no graph <http://localhost:7878/graph/nope>"),
        "{stderr}"
    );
    let (code, _, stderr) = run(&["check", "--data", "no-such-dir"]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("cannot read the data directory no-such-dir"),
        "{stderr}"
    );
}

#[test]
fn query_formats() {
    let q = "PREFIX org: <http://www.w3.org/ns/org#> SELECT (COUNT(DISTINCT ?m) AS ?members) WHERE { <http://localhost:7878/id/network/gai> org:hasMember ?m }";
    let (code, stdout, _) = run(&["query", "-e", q]);
    assert_eq!(code, Some(0));
    assert_eq!(stdout, "members\r\n33\r\n", "CSV when not on a terminal");
    let (_, stdout, _) = run(&["query", "-e", q, "--format", "table"]);
    assert_eq!(stdout, "members\n-------\n33\n(1 row)\n");
    let (_, stdout, _) = run(&["query", "-e", q, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(json["results"]["bindings"][0]["members"]["value"], "33");
    let (_, stdout, _) = run(&["query", "-e", q, "--format", "tsv"]);
    assert_eq!(stdout, "?members\n33\n");
    let (_, stdout, _) = run(&["query", "-e", q, "--format", "xml"]);
    assert!(
        stdout.contains(
            "<literal datatype=\"http://www.w3.org/2001/XMLSchema#integer\">33</literal>"
        ),
        "{stdout}"
    );
    let (_, stdout, _) = run(&["query", "-e", "ASK { ?s ?p ?o }", "--format", "table"]);
    assert_eq!(stdout, "true\n");
    let construct = "PREFIX org: <http://www.w3.org/ns/org#> CONSTRUCT { ?n org:hasMember <http://localhost:7878/id/place/alba> } WHERE { ?n org:hasMember <http://localhost:7878/id/place/alba> }";
    let (_, stdout, _) = run(&["query", "-e", construct]);
    assert!(
        stdout.contains("network:uccn org:hasMember place:alba"),
        "{stdout}"
    );
    let (_, stdout, _) = run(&["query", "-e", construct, "--format", "jsonld"]);
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(json["@graph"][0]["@id"], "network:italian-creative-cities");
}

#[test]
fn query_from_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("q.rq");
    std::fs::write(&file, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://localhost:7878/graph/uccn-designations> { ?s <http://www.w3.org/2006/time#inXSDGYear> ?y } }").expect("write");
    let (code, stdout, stderr) = run(&["query", file.to_str().expect("path"), "--format", "csv"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout, "n\r\n8\r\n");
}

#[test]
fn every_command_has_help_with_an_example() {
    for cmd in ["check", "export", "query"] {
        let (code, stdout, _) = run(&[cmd, "--help"]);
        assert_eq!(code, Some(0));
        assert!(
            stdout.contains("Example"),
            "{cmd} --help has an example:\n{stdout}"
        );
    }
}

#[test]
fn serve_starts_answers_and_stops_cleanly_on_sigterm() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let mut child = reti()
        .args(["serve", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn reti serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("first line");
    // "reti: serving N quads on http://127.0.0.1:PORT/ (IRIs under http://localhost:PORT/)"
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_owned();
    let port = url
        .trim_end_matches('/')
        .rsplit(':')
        .next()
        .expect("port")
        .to_owned();
    assert!(
        line.contains(&format!("IRIs under http://localhost:{port}/")),
        "{line}"
    );
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let (status, _, body) = runtime.block_on(crate::serve::get(&format!("{url}health"), &[]));
    assert_eq!((status, body.as_slice()), (200, b"ok\n".as_slice()));
    let (status, headers, _) = runtime.block_on(crate::serve::get(
        &format!("{url}id/place/turin"),
        &[("Accept", "text/turtle")],
    ));
    assert_eq!(status, 303);
    assert_eq!(
        crate::serve::header(&headers, "location"),
        format!("http://localhost:{port}/doc/place/turin.ttl")
    );
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(0), "a graceful shutdown exits 0");
    let mut log = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut log)
        .expect("log");
    assert!(
        log.contains("reti::request: GET /health 200 ")
            && log.contains("reti::request: GET /id/place/turin 303 "),
        "one log line per request:\n{log}"
    );
    assert!(log.contains("shutting down"), "{log}");
}

#[test]
fn serve_refuses_bad_data_with_the_same_messages_as_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("a.toml"),
        "[[network]]\nslug = \"x\"\nsource = \"nope\"\n",
    )
    .expect("write");
    let out = reti()
        .args(["serve", "--bind", "127.0.0.1:0", "--data"])
        .arg(dir.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("a.toml:3:10: unknown source `nope`"),
        "{stderr}"
    );
}
