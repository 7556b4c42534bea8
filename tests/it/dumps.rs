//! Dumps that resume and come compressed: byte ranges (RFC 9110 §14) on every dump, held in
//! memory or streamed from its file, and the `.gz` copies written once per build.

use crate::serve::{TestServer, get, header};
use reti::server::Settings;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::sync::OnceLock;

/// Dumps kept in memory (the default for small data).
fn in_memory() -> &'static TestServer {
    static SERVER: OnceLock<TestServer> = OnceLock::new();
    SERVER.get_or_init(TestServer::start)
}

/// Dumps streamed from their files.
fn streamed() -> &'static TestServer {
    static SERVER: OnceLock<TestServer> = OnceLock::new();
    SERVER.get_or_init(|| {
        TestServer::with(Settings::default(), |o| {
            o.dumps_in_memory = 0;
        })
    })
}

fn servers() -> [&'static TestServer; 2] {
    [in_memory(), streamed()]
}

/// `name` in SHA256SUMS.
fn sum_of(s: &TestServer, name: &str) -> String {
    let (status, _, body) = s.block_on(get(&s.at("dumps/SHA256SUMS"), &[]));
    assert_eq!(status, 200);
    String::from_utf8(body)
        .expect("utf-8")
        .lines()
        .find_map(|l| {
            let (sum, file) = l.split_once("  ")?;
            (file == name).then(|| sum.to_owned())
        })
        .unwrap_or_else(|| panic!("{name} is not in SHA256SUMS"))
}

fn whole(s: &TestServer, name: &str) -> Vec<u8> {
    let (status, _, body) = s.block_on(get(&s.at(&format!("dumps/{name}")), &[]));
    assert_eq!(status, 200, "{name}");
    body
}

#[test]
fn a_range_is_answered_with_206_and_exactly_those_bytes() {
    for s in servers() {
        let full = whole(s, "reti.nt");
        let len = full.len();
        let etag = format!("\"{}\"", sum_of(s, "reti.nt"));
        for (range, first, last) in [
            ("bytes=0-99", 0, 99),
            ("bytes=100-", 100, len - 1),
            ("bytes=-10", len - 10, len - 1),
            // a last byte past the end is the end (§14.1.2)
            (&format!("bytes=5-{}", len + 1000) as &str, 5, len - 1),
            // more than the whole length from the end is the whole
            (&format!("bytes=-{}", len + 7) as &str, 0, len - 1),
        ] {
            let (status, h, body) = s.block_on(get(&s.at("dumps/reti.nt"), &[("Range", range)]));
            assert_eq!(status, 206, "{range}");
            assert_eq!(
                header(&h, "content-range"),
                format!("bytes {first}-{last}/{len}"),
                "{range}"
            );
            assert_eq!(header(&h, "content-length"), (last - first + 1).to_string());
            assert_eq!(header(&h, "accept-ranges"), "bytes");
            assert_eq!(header(&h, "etag"), etag);
            assert_eq!(header(&h, "content-type"), "application/n-triples");
            assert_eq!(body, full[first..=last], "{range}");
        }
        // a range is over the identity bytes: never compressed, whatever the client accepts
        let (status, h, body) = s.block_on(get(
            &s.at("dumps/reti.nt"),
            &[("Range", "bytes=0-99"), ("Accept-Encoding", "br, gzip")],
        ));
        assert_eq!(status, 206);
        assert_eq!(header(&h, "content-encoding"), "");
        assert_eq!(body, full[..100]);
    }
}

#[test]
fn whole_dumps_say_they_accept_ranges() {
    for s in servers() {
        for name in ["reti.ttl", "reti.nt", "reti.nt.gz", "SHA256SUMS"] {
            let (status, h, _) = s.block_on(get(&s.at(&format!("dumps/{name}")), &[]));
            assert_eq!(status, 200, "{name}");
            assert_eq!(header(&h, "accept-ranges"), "bytes", "{name}");
            assert_eq!(header(&h, "content-range"), "", "{name}");
        }
    }
}

#[test]
fn a_range_past_the_end_is_416_with_the_length() {
    for s in servers() {
        let len = whole(s, "reti.ttl").len();
        for range in [
            format!("bytes={len}-"),
            format!("bytes={}-", len * 2),
            "bytes=-0".into(),
        ] {
            let (status, h, _) = s.block_on(get(&s.at("dumps/reti.ttl"), &[("Range", &range)]));
            assert_eq!(status, 416, "{range}");
            assert_eq!(
                header(&h, "content-range"),
                format!("bytes */{len}"),
                "{range}"
            );
        }
    }
}

#[test]
fn ranges_reti_does_not_serve_get_the_whole_dump() {
    let s = in_memory();
    let full = whole(s, "reti.ttl");
    for range in [
        "bytes=0-9,20-29",
        "items=0-9",
        "bytes=9-0",
        "bytes=a-b",
        "bytes=-",
        "bytes 0-9",
    ] {
        let (status, h, body) = s.block_on(get(&s.at("dumps/reti.ttl"), &[("Range", range)]));
        assert_eq!(status, 200, "{range}");
        assert_eq!(header(&h, "content-range"), "", "{range}");
        assert_eq!(body, full, "{range}");
    }
}

#[test]
fn if_range_resumes_only_the_same_dump() {
    for s in servers() {
        let full = whole(s, "reti.nq");
        let etag = format!("\"{}\"", sum_of(s, "reti.nq"));
        let (_, h, _) = s.block_on(get(&s.at("dumps/reti.nq"), &[]));
        let last_modified = header(&h, "last-modified");
        // the same dump: the range
        for validator in [etag.as_str(), last_modified.as_str()] {
            let (status, _, body) = s.block_on(get(
                &s.at("dumps/reti.nq"),
                &[("Range", "bytes=10-19"), ("If-Range", validator)],
            ));
            assert_eq!(status, 206, "If-Range: {validator}");
            assert_eq!(body, full[10..20]);
        }
        // another dump (or a weak tag, or another date): the whole of this one
        for validator in [
            "\"0000000000000000000000000000000000000000000000000000000000000000\"".to_owned(),
            format!("W/{etag}"),
            "Tue, 01 Jan 2019 00:00:00 GMT".to_owned(),
            "not a validator".to_owned(),
        ] {
            let (status, h, body) = s.block_on(get(
                &s.at("dumps/reti.nq"),
                &[("Range", "bytes=10-19"), ("If-Range", &validator)],
            ));
            assert_eq!(status, 200, "If-Range: {validator}");
            assert_eq!(header(&h, "content-range"), "");
            assert_eq!(body, full, "If-Range: {validator}");
        }
    }
}

#[test]
fn a_download_cut_halfway_resumes_to_the_published_checksum() {
    for s in servers() {
        for name in ["reti.nt", "reti.ttl.gz"] {
            let full = whole(s, name);
            let cut = full.len() / 2;
            let mut file = full[..cut].to_vec();
            // what `wget -c` and `curl -C -` send
            let (status, h, rest) = s.block_on(get(
                &s.at(&format!("dumps/{name}")),
                &[("Range", &format!("bytes={cut}-"))],
            ));
            assert_eq!(status, 206, "{name}");
            assert_eq!(
                header(&h, "content-range"),
                format!("bytes {cut}-{}/{}", full.len() - 1, full.len())
            );
            file.extend(rest);
            assert_eq!(
                reti::support::digest::hex(&Sha256::digest(&file)),
                sum_of(s, name),
                "{name} resumed"
            );
        }
    }
}

#[test]
fn each_gz_dump_decompresses_to_the_plain_dump() {
    let s = in_memory();
    let p = s.state.current();
    let compressed: Vec<&str> = p
        .dumps
        .iter()
        .filter(|d| d.compressed)
        .map(|d| d.name.as_str())
        .collect();
    assert_eq!(compressed, ["reti.ttl.gz", "reti.nt.gz", "reti.nq.gz"]);
    for name in compressed {
        // served as itself, even to a client that accepts gzip: never gzipped again
        let (status, h, body) = s.block_on(get(
            &s.at(&format!("dumps/{name}")),
            &[("Accept-Encoding", "gzip, br")],
        ));
        assert_eq!(status, 200, "{name}");
        assert_eq!(header(&h, "content-type"), "application/gzip");
        assert_eq!(header(&h, "content-encoding"), "", "{name}");
        assert_eq!(header(&h, "content-length"), body.len().to_string());
        assert_eq!(
            header(&h, "content-disposition"),
            format!("attachment; filename=\"{name}\"")
        );
        assert_eq!(
            reti::support::digest::hex(&Sha256::digest(&body)),
            sum_of(s, name)
        );
        // a gzip header without file name and with a zero time (RFC 1952): the same bytes
        // for the same data
        assert_eq!(&body[..3], &[0x1f, 0x8b, 8]);
        assert_eq!(body[3] & 0x08, 0, "{name}: no FNAME");
        assert_eq!(&body[4..8], &[0, 0, 0, 0], "{name}: MTIME 0");
        let mut plain = Vec::new();
        flate2::read::GzDecoder::new(&body[..])
            .read_to_end(&mut plain)
            .expect("gunzip");
        let plain_name = name.strip_suffix(".gz").expect(".gz");
        assert_eq!(plain, whole(s, plain_name), "{name}");
    }
}

#[test]
fn the_same_data_gives_the_same_gz_bytes() {
    let a = tempfile::tempdir().expect("tempdir");
    let b = tempfile::tempdir().expect("tempdir");
    let dataset = crate::shipped();
    let first = reti::export::export_all(dataset, a.path()).expect("export");
    let second = reti::export::export_all(dataset, b.path()).expect("export");
    assert_eq!(first, second);
    let names: Vec<&str> = first.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "reti.ttl",
            "reti.ttl.gz",
            "reti.trig",
            "reti.nt",
            "reti.nt.gz",
            "reti.nq",
            "reti.nq.gz",
            "reti.jsonld",
            "reti.rdf"
        ]
    );
    for (name, sum) in &first {
        let bytes = std::fs::read(a.path().join(name)).expect("file");
        assert_eq!(
            &reti::support::digest::hex(&Sha256::digest(&bytes)),
            sum,
            "{name}"
        );
    }
}

#[test]
fn the_dumps_listing_names_the_compressed_copies() {
    let s = in_memory();
    let (status, _, body) = s.block_on(get(&s.at("dumps/"), &[("Accept", "application/json")]));
    assert_eq!(status, 200);
    let listing: serde_json::Value = serde_json::from_slice(&body).expect("json");
    let files = listing["dumps"].as_array().expect("dumps");
    let gz = files
        .iter()
        .find(|f| f["name"] == "reti.nt.gz")
        .expect("reti.nt.gz listed");
    assert_eq!(gz["mediaType"], "application/n-triples");
    assert_eq!(gz["compressFormat"], "application/gzip");
    assert_eq!(gz["sha256"], sum_of(s, "reti.nt.gz"));
    let (status, _, page) = s.block_on(get(&s.at("dumps/"), &[("Accept", "text/html")]));
    assert_eq!(status, 200);
    let page = String::from_utf8(page).expect("utf-8");
    for name in ["reti.ttl.gz", "reti.nt.gz", "reti.nq.gz"] {
        assert!(page.contains(&format!("href=\"/dumps/{name}\"")), "{name}");
    }
}
