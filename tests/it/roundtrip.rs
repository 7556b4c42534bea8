//! Every export format parses back (with Oxigraph's parsers) to a graph or dataset isomorphic to
//! the store, and exporting twice gives byte-identical files.

use crate::{reti, shipped};
use oxigraph::io::RdfParser;
use oxrdf::dataset::CanonicalizationAlgorithm;
use oxrdf::{Dataset, Graph, GraphName, Quad};
use reti::export::{self, Format};

fn canonical_dataset(quads: impl IntoIterator<Item = Quad>) -> Dataset {
    let mut d: Dataset = quads.into_iter().collect();
    d.canonicalize(CanonicalizationAlgorithm::Unstable);
    d
}

fn canonical_graph(quads: impl IntoIterator<Item = Quad>) -> Graph {
    let mut g: Graph = quads.into_iter().map(oxrdf::Triple::from).collect();
    g.canonicalize(CanonicalizationAlgorithm::Unstable);
    g
}

fn parse(format: Format, bytes: &[u8]) -> Vec<Quad> {
    RdfParser::from_format(format.parser_format())
        .for_slice(bytes)
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|e| panic!("{format} export does not parse: {e}"))
}

fn export(format: Format) -> Vec<u8> {
    let mut bytes = Vec::new();
    export::write(shipped(), format, None, &mut bytes).expect("export");
    bytes
}

#[test]
fn every_format_parses_back_isomorphic_to_the_store() {
    let store_quads = shipped().sorted_quads(None).expect("quads");
    let dataset = canonical_dataset(store_quads.clone());
    let union = canonical_graph(store_quads);
    for format in Format::ALL {
        let parsed = parse(format, &export(format));
        if format.keeps_graphs() {
            assert!(
                parsed
                    .iter()
                    .all(|q| q.graph_name != GraphName::DefaultGraph)
            );
            assert_eq!(
                canonical_dataset(parsed),
                dataset,
                "{format} differs from the store"
            );
        } else {
            assert!(
                parsed
                    .iter()
                    .all(|q| q.graph_name == GraphName::DefaultGraph)
            );
            assert_eq!(
                canonical_graph(parsed),
                union,
                "{format} differs from the union graph"
            );
        }
    }
}

#[test]
fn exports_are_byte_identical_across_runs_and_processes() {
    for format in Format::ALL {
        let a = reti()
            .args(["export", "--format", format.extension()])
            .output()
            .expect("run");
        let b = reti()
            .args(["export", "--format", format.extension()])
            .output()
            .expect("run");
        assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
        assert_eq!(
            a.stdout, b.stdout,
            "{format} export differs between two runs"
        );
        assert_eq!(
            a.stdout,
            export(format),
            "{format}: binary and library differ"
        );
    }
}

#[test]
fn turtle_uses_the_ontology_prefixes_and_json_ld_a_real_context() {
    let ttl = String::from_utf8(export(Format::Turtle)).expect("utf8");
    for prefix in [
        "@prefix reti: <https://w3id.org/reti/ontology#> .",
        "@prefix org: <http://www.w3.org/ns/org#> .",
        "@prefix place: <http://localhost:7878/id/place/> .",
    ] {
        assert!(ttl.contains(prefix), "missing {prefix}");
    }
    assert!(
        ttl.contains("membership:uccn-turin a org:Membership"),
        "compact names used"
    );
    let json: serde_json::Value = serde_json::from_slice(&export(Format::JsonLd)).expect("json");
    assert_eq!(json["@context"]["org"], "http://www.w3.org/ns/org#");
    let turin = json["@graph"]
        .as_array()
        .expect("graph")
        .iter()
        .find(|n| n["@id"] == "place:turin")
        .expect("place:turin node");
    assert_eq!(turin["reti:istatCode"], "001272");
    assert!(
        turin["@type"]
            .as_array()
            .expect("types")
            .contains(&"reti:Municipality".into())
    );
}

#[test]
fn one_graph_can_be_exported_alone() {
    let graph = shipped().base().graph("turin-networks-page");
    let mut bytes = Vec::new();
    export::write(shipped(), Format::NQuads, Some(&graph), &mut bytes).expect("export");
    let parsed = parse(Format::NQuads, &bytes);
    assert!(!parsed.is_empty());
    assert!(
        parsed
            .iter()
            .all(|q| q.graph_name == GraphName::NamedNode(graph.clone()))
    );
    let expected = shipped().sorted_quads(Some(&graph)).expect("quads");
    assert_eq!(canonical_dataset(parsed), canonical_dataset(expected));
}

#[test]
fn export_all_writes_every_format_and_checksums() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("dumps");
    let result = reti()
        .args(["export", "--all", "-o"])
        .arg(&out)
        .output()
        .expect("run");
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let sums = std::fs::read_to_string(out.join("SHA256SUMS")).expect("SHA256SUMS");
    let lines: Vec<&str> = sums.lines().collect();
    let files = export::dump_files();
    assert_eq!(lines.len(), files.len());
    for (line, (format, compressed, name)) in lines.iter().zip(files) {
        let bytes = std::fs::read(out.join(&name)).expect("dump");
        use sha2::Digest;
        let digest = reti::support::digest::hex(&sha2::Sha256::digest(&bytes));
        assert_eq!(*line, format!("{digest}  {name}"));
        let plain = if compressed {
            let mut plain = Vec::new();
            std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut plain)
                .expect("gunzip");
            plain
        } else {
            bytes
        };
        assert_eq!(
            plain,
            export(format),
            "{name} equals the single-format export"
        );
    }
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .expect("read")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "SHA256SUMS",
            "reti.jsonld",
            "reti.nq",
            "reti.nq.gz",
            "reti.nt",
            "reti.nt.gz",
            "reti.rdf",
            "reti.trig",
            "reti.ttl",
            "reti.ttl.gz"
        ]
    );
}
