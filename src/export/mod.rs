//! Serialising the dataset: deterministic, prefixed, and never leaving a partial file behind.
//!
//! Every format is written from sorted quads, so two exports of the same data are
//! byte-identical and a diff of two dumps shows what changed in the data. Graph formats
//! (Turtle, N-Triples, RDF/XML, JSON-LD) get the union of the named graphs; TriG and N-Quads
//! keep one graph per source.

pub mod jsonld;

use crate::store::Dataset;
use crate::support::digest::hex;
use bytes::Bytes;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, NamedNode, Quad, Triple};
use oxigraph::store::StorageError;
use sha2::{Digest, Sha256};
use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// A dump format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Format {
    /// Turtle (union graph).
    #[value(name = "ttl", alias = "turtle")]
    Turtle,
    /// TriG (one graph per source).
    #[value(name = "trig")]
    TriG,
    /// N-Triples (union graph).
    #[value(name = "nt", alias = "ntriples")]
    NTriples,
    /// N-Quads (one graph per source).
    #[value(name = "nq", alias = "nquads")]
    NQuads,
    /// JSON-LD, compacted (union graph).
    #[value(name = "jsonld", alias = "json-ld")]
    JsonLd,
    /// RDF/XML (union graph).
    #[value(name = "rdf", alias = "rdfxml")]
    RdfXml,
}

impl Format {
    /// Every format, in the order dumps are listed.
    pub const ALL: [Format; 6] = [
        Format::Turtle,
        Format::TriG,
        Format::NTriples,
        Format::NQuads,
        Format::JsonLd,
        Format::RdfXml,
    ];

    /// File extension, also the `--format` name.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Turtle => "ttl",
            Format::TriG => "trig",
            Format::NTriples => "nt",
            Format::NQuads => "nq",
            Format::JsonLd => "jsonld",
            Format::RdfXml => "rdf",
        }
    }

    /// IANA media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::JsonLd => "application/ld+json",
            other => other.rdf_format().media_type(),
        }
    }

    /// Whether the format keeps named graphs.
    pub fn keeps_graphs(self) -> bool {
        matches!(self, Format::TriG | Format::NQuads)
    }

    fn rdf_format(self) -> RdfFormat {
        match self {
            Format::Turtle => RdfFormat::Turtle,
            Format::TriG => RdfFormat::TriG,
            Format::NTriples => RdfFormat::NTriples,
            Format::NQuads => RdfFormat::NQuads,
            Format::JsonLd => RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            },
            Format::RdfXml => RdfFormat::RdfXml,
        }
    }

    /// The format of Oxigraph's parsers that reads this format back.
    pub fn parser_format(self) -> RdfFormat {
        self.rdf_format()
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

/// Why an export failed. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The store could not be read.
    #[error("store error: {0}")]
    Store(#[from] StorageError),
    /// The output could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// Where.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// Writing to standard output failed.
    #[error("cannot write the output: {0}")]
    Io(#[from] io::Error),
    /// `--graph` names no graph of the dataset.
    #[error("the dataset has no graph <{graph}>; its graphs are:\n{known}")]
    UnknownGraph {
        /// The graph asked for.
        graph: String,
        /// The graphs there are, one per line.
        known: String,
    },
}

/// Writes the dataset (or one of its graphs) in `format` to `out`.
pub fn write(
    dataset: &Dataset,
    format: Format,
    graph: Option<&NamedNode>,
    out: impl Write,
) -> Result<(), ExportError> {
    if let Some(g) = graph {
        let graphs = dataset.graphs()?;
        if !graphs.contains(g) {
            return Err(ExportError::UnknownGraph {
                graph: g.as_str().to_owned(),
                known: graphs
                    .iter()
                    .map(|g| format!("  {}", g.as_str()))
                    .collect::<Vec<_>>()
                    .join("\n"),
            });
        }
    }
    let prefixes = dataset.base().prefixes();
    let graphs: Vec<GraphName> = match graph {
        Some(g) => vec![g.clone().into()],
        None if format.keeps_graphs() => {
            dataset.graphs()?.into_iter().map(GraphName::from).collect()
        }
        None => vec![GraphName::DefaultGraph],
    };
    // streamed, one subject at a time
    if format == Format::JsonLd {
        // the merged graph (or the one asked for) as one compacted document
        let mut writer = jsonld::Writer::new(out, &prefixes)?;
        dataset.for_each_sorted(&graphs, |q| {
            writer.triple(&Triple::from(q)).map_err(ExportError::Io)
        })?;
        writer.finish()?;
        return Ok(());
    }
    let mut serializer = serializer(format, &prefixes).for_writer(out);
    if format.keeps_graphs() {
        dataset.for_each_sorted(&graphs, |q| {
            serializer.serialize_quad(&q).map_err(ExportError::Io)
        })?;
    } else {
        dataset.for_each_sorted(&graphs, |q| {
            serializer
                .serialize_triple(&Triple::from(q))
                .map_err(ExportError::Io)
        })?;
    }
    serializer.finish()?.flush()?;
    Ok(())
}

/// Writes quads in a dataset format (TriG, N-Quads).
pub(crate) fn write_quads(
    quads: &[Quad],
    format: Format,
    prefixes: &[(String, String)],
    out: impl Write,
) -> io::Result<()> {
    let mut serializer = serializer(format, prefixes).for_writer(out);
    for q in quads {
        serializer.serialize_quad(q)?;
    }
    serializer.finish()?.flush()
}

/// Writes triples in a graph format (Turtle, N-Triples, RDF/XML, JSON-LD).
pub(crate) fn write_triples(
    triples: &[Triple],
    format: Format,
    prefixes: &[(String, String)],
    out: impl Write,
) -> io::Result<()> {
    if format == Format::JsonLd {
        let mut writer = jsonld::Writer::new(out, prefixes)?;
        for t in triples {
            writer.triple(t)?;
        }
        writer.finish()?;
        return Ok(());
    }
    let mut serializer = serializer(format, prefixes).for_writer(out);
    for t in triples {
        serializer.serialize_triple(t)?;
    }
    serializer.finish()?.flush()
}

fn serializer(format: Format, prefixes: &[(String, String)]) -> RdfSerializer {
    let mut serializer = RdfSerializer::from_format(format.rdf_format());
    if !matches!(format, Format::NTriples | Format::NQuads) {
        for (p, iri) in prefixes {
            // every prefix is a valid IRI (checked by the base and by reti's constants)
            if let Ok(s) = serializer.clone().with_prefix(p, iri) {
                serializer = s;
            }
        }
    }
    serializer
}

/// Writes `path` atomically: the content goes to a temporary file beside it, which replaces
/// `path` only once complete. A failure leaves `path` as it was.
pub(crate) fn write_atomically(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    let err = |source| ExportError::Write {
        path: path.to_owned(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    sweep_abandoned(&dir);
    let mut tmp = tempfile::Builder::new()
        .prefix(&temp_prefix())
        .tempfile_in(&dir)
        .map_err(err)?;
    {
        let mut w = io::BufWriter::new(tmp.as_file_mut());
        fill(&mut w)?;
        w.flush().map_err(err)?;
    }
    tmp.as_file().sync_all().map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}

/// Temporary files and directories are named `.reti-{pid}-…`, so one whose process is gone
/// can be told from one being written now.
pub(crate) fn temp_prefix() -> String {
    format!(".reti-{}-", std::process::id())
}

/// Removes what an export killed midway left behind in `dir` (its temporary file or
/// directory; the target itself was never touched). Only on Linux, where `/proc` says which
/// processes are alive; elsewhere the hidden leftovers stay.
pub(crate) fn sweep_abandoned(dir: &Path) {
    if !cfg!(target_os = "linux") {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix(".reti-")
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists() {
            continue;
        }
        let path = entry.path();
        let _ = if path.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
    }
}

/// Exports one format to a file, atomically.
pub(crate) fn export_file(
    dataset: &Dataset,
    format: Format,
    graph: Option<&NamedNode>,
    path: &Path,
) -> Result<(), ExportError> {
    write_atomically(path, |w| write(dataset, format, graph, w))
}

/// Name of each dump file: `reti.{ext}`.
pub(crate) fn dump_file_name(format: Format) -> String {
    format!("reti.{}", format.extension())
}

/// The formats whose dump is also written gzip-compressed, as `reti.{ext}.gz`: the
/// line-based ones that bulk consumers and mirrors fetch, and Turtle. Compressing costs about
/// as much as serialising, so the verbose JSON-LD and RDF/XML, rarely fetched whole, are not
/// compressed too (an HTTP client still gets them in gzip or brotli by `Accept-Encoding`).
pub const COMPRESSED: [Format; 3] = [Format::Turtle, Format::NTriples, Format::NQuads];

/// Name of a compressed dump: `reti.{ext}.gz`.
pub(crate) fn gzip_file_name(format: Format) -> String {
    format!("reti.{}.gz", format.extension())
}

/// Every file `export_all` writes but `SHA256SUMS`, in the order listed: each format's dump,
/// followed by its compressed copy when it has one. `(format, compressed, name)`.
pub fn dump_files() -> Vec<(Format, bool, String)> {
    let mut files = Vec::new();
    for format in Format::ALL {
        files.push((format, false, dump_file_name(format)));
        if COMPRESSED.contains(&format) {
            files.push((format, true, gzip_file_name(format)));
        }
    }
    files
}

/// A gzip stream that is the same for the same content: no file name and a zero modification
/// time in its header (RFC 1952), so a build's `.gz` dumps, and their checksums, are identical
/// every time the same data is exported.
pub(crate) fn gzip_writer<W: Write>(out: W) -> flate2::write::GzEncoder<W> {
    flate2::GzBuilder::new()
        .mtime(0)
        .write(out, flate2::Compression::default())
}

/// Writes every format as `reti.{ext}` into `dir`, the [`COMPRESSED`] ones also as
/// `reti.{ext}.gz` (in the same pass), then `SHA256SUMS` (in `sha256sum -c` format), in the
/// order of [`dump_files`]. Every file is complete before any is moved into `dir`; returns the
/// checksums.
pub fn export_all(dataset: &Dataset, dir: &Path) -> Result<Vec<(String, String)>, ExportError> {
    let err = |source| ExportError::Write {
        path: dir.to_owned(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(err)?;
    sweep_abandoned(dir);
    let staging = tempfile::Builder::new()
        .prefix(&temp_prefix())
        .tempdir_in(dir)
        .map_err(err)?;
    let mut sums = Vec::new();
    for format in Format::ALL {
        let name = dump_file_name(format);
        let path = staging.path().join(&name);
        let create = |path: &Path| {
            std::fs::File::create(path).map_err(|source| ExportError::Write {
                path: path.to_owned(),
                source,
            })
        };
        // streamed to the file and hashed on the way: a dump is never whole in memory
        let mut out = Hashing {
            inner: io::BufWriter::new(create(&path)?),
            digest: Sha256::new(),
        };
        let gzip_name = gzip_file_name(format);
        let gzip_path = staging.path().join(&gzip_name);
        let compressed = if COMPRESSED.contains(&format) {
            // compressed in the same pass, hashed as written
            Some(gzip_writer(Hashing {
                inner: io::BufWriter::new(create(&gzip_path)?),
                digest: Sha256::new(),
            }))
        } else {
            None
        };
        let mut tee = Tee {
            first: &mut out,
            second: compressed,
        };
        write(dataset, format, None, &mut tee)?;
        let compressed = tee.second.take();
        out.inner.flush().map_err(|source| ExportError::Write {
            path: path.clone(),
            source,
        })?;
        sums.push((name, hex(&out.digest.finalize())));
        if let Some(gz) = compressed {
            let failed = |source| ExportError::Write {
                path: gzip_path.clone(),
                source,
            };
            let mut hashed = gz.finish().map_err(failed)?;
            hashed.inner.flush().map_err(failed)?;
            sums.push((gzip_name, hex(&hashed.digest.finalize())));
        }
    }
    let listing: String = sums
        .iter()
        .map(|(name, sum)| format!("{sum}  {name}\n"))
        .collect();
    let path = staging.path().join("SHA256SUMS");
    std::fs::write(&path, listing).map_err(|source| ExportError::Write { path, source })?;
    let mut names: Vec<String> = sums.iter().map(|(n, _)| n.clone()).collect();
    names.push("SHA256SUMS".into());
    for name in names {
        let target = dir.join(&name);
        std::fs::rename(staging.path().join(&name), &target).map_err(|source| {
            ExportError::Write {
                path: target.clone(),
                source,
            }
        })?;
    }
    Ok(sums)
}

/// A writer that writes everything to two writers (a dump and its compressed copy).
struct Tee<'a, A, B> {
    first: &'a mut A,
    second: Option<B>,
}

impl<A: Write, B: Write> Write for Tee<'_, A, B> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.first.write(buf)?;
        if let Some(second) = &mut self.second {
            second.write_all(&buf[..n])?;
        }
        Ok(n)
    }
    /// Flushes the dump only: a flushed gzip stream ends its deflate block early, which costs
    /// compression; the compressed copy is finished once the dump is whole.
    fn flush(&mut self) -> io::Result<()> {
        self.first.flush()
    }
}

/// A writer that hashes what passes through it.
struct Hashing<W> {
    inner: W,
    digest: Sha256,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.digest.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Serialises triples in a graph format with `prefixes` (TriG: in the default graph), in
/// memory.
pub(crate) fn write_graph(
    triples: &[Triple],
    format: Format,
    prefixes: &[(String, String)],
) -> Vec<u8> {
    let mut bytes = Vec::new();
    let result = if format == Format::TriG {
        let quads: Vec<Quad> = triples
            .iter()
            .map(|t| t.clone().in_graph(GraphName::DefaultGraph))
            .collect();
        write_quads(&quads, format, prefixes, &mut bytes)
    } else {
        write_triples(triples, format, prefixes, &mut bytes)
    };
    // writing to memory cannot fail; an empty body would be the only outcome
    if result.is_err() {
        bytes.clear();
    }
    bytes
}

/// One dump file, serialised once per build (or found from an earlier run with the same
/// data) and served from disk: a large dataset's dumps need not fit in memory.
#[derive(Debug, Clone)]
pub struct Dump {
    /// Its format (of the decompressed content, for a compressed dump).
    pub format: Format,
    /// Whether the file is the format's dump compressed with gzip (`reti.{ext}.gz`): served
    /// as itself, `application/gzip`, never with a `Content-Encoding`.
    pub compressed: bool,
    /// `reti.{ext}` or `reti.{ext}.gz`.
    pub name: String,
    /// The file.
    pub path: PathBuf,
    /// Its size in bytes.
    pub size: u64,
    /// The content, when small enough to keep in memory: served without reading the file.
    pub bytes: Option<Bytes>,
    /// Lowercase hex SHA-256 of the content.
    pub sha256: String,
}
