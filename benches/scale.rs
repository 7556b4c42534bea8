//! Build and export at scale, against the physical limit: Oxigraph's own bulk loader reading
//! the same dataset's N-Quads dump, in this process, in the same run.
//!
//! ```text
//! cargo bench --bench scale -- --sizes 1000,10000,100000 --runs 3
//! cargo bench --bench scale -- --sizes 1000000 --runs 1 --formats nt   # about 10 minutes
//! cargo bench --bench scale -- --smoke      # one tiny size, once
//! cargo test --benches                      # the same smoke run, as CI does
//! cargo bench --bench scale --features rocksdb -- --store --sizes 1000000 --runs 1 --formats ''
//! ```
//!
//! With `--store` (feature `rocksdb`), both sides build on disk instead: reti's
//! `Dataset::build_on_disk` (as `reti serve --store`) against the bulk loader of an on-disk
//! Oxigraph store, each run into a fresh directory.
//!
//! For each size (memberships, over 10 networks, from `reti synth`'s generator with seed 1) it
//! prints the median build time of reti (source files → validated model → store, with the
//! merged default graph), the median time of `Store::bulk_loader` loading the N-Quads dump
//! of the same build (named graphs only: the file users download), their ratio, the same
//! against the bulk load of everything reti's store holds (the N-Quads dump plus the merged
//! default graph, as N-Triples lines), the time per membership, and the peak memory of each (the rise of the process's peak resident set,
//! reset before each step through `/proc/self/clear_refs`). Then the export of every format:
//! MB/s and peak memory. Timings are printed, never asserted.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

use oxigraph::io::RdfFormat;
use oxigraph::store::Store;
use reti::export::{self, Format};
use reti::rdf::Base;
use reti::store::Dataset;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

/// The allocator the `reti` binary uses (src/main.rs), so that this measures what users run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Options {
    sizes: Vec<usize>,
    runs: usize,
    formats: Vec<Format>,
    /// Build on disk (`--store`) instead of in memory.
    on_disk: bool,
}

/// A fresh directory for an on-disk store, under the benchmark's temporary directory.
fn fresh_dir(work: &Path) -> std::path::PathBuf {
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    work.join(format!("store-{n}"))
}

fn options() -> Options {
    let mut options = Options {
        sizes: vec![1_000, 10_000, 100_000],
        runs: 3,
        formats: Format::ALL.to_vec(),
        on_disk: false,
    };
    // run by `cargo test --benches` (no `--bench`): the smoke mode, so CI checks it still runs
    if !std::env::args().any(|a| a == "--bench") {
        options.sizes = vec![200];
        options.runs = 1;
    }
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--smoke" => {
                options.sizes = vec![200];
                options.runs = 1;
            }
            "--sizes" => {
                options.sizes = args
                    .next()
                    .unwrap_or_default()
                    .split(',')
                    .filter_map(|s| s.trim().replace('_', "").parse().ok())
                    .collect();
            }
            "--runs" => options.runs = args.next().and_then(|r| r.parse().ok()).unwrap_or(3),
            // formats to time the export of (`--formats nt,nq`; `--formats ''` for none)
            "--formats" => {
                let names = args.next().unwrap_or_default();
                options.formats = Format::ALL
                    .into_iter()
                    .filter(|f| names.split(',').any(|n| n.trim() == f.extension()))
                    .collect();
            }
            "--store" if cfg!(feature = "rocksdb") => options.on_disk = true,
            "--store" => {
                eprintln!(
                    "--store needs the rocksdb feature: cargo bench --bench scale --features rocksdb -- --store"
                );
                std::process::exit(2);
            }
            _ => {} // `--bench`, passed by cargo
        }
    }
    options
}

/// Resident memory now and at its peak since the last reset, in bytes.
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
            .map_or(0, |kb| kb * 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Runs `f`, returning its result, its time and how far it raised the resident set.
fn measured<T>(f: impl FnOnce() -> T) -> (T, Duration, u64) {
    // Memory freed by an earlier step would otherwise be reused unseen: give it back first.
    // SAFETY: mi_collect only releases memory the allocator (reti's, mimalloc) holds free.
    unsafe {
        libmimalloc_sys::mi_collect(true);
    }
    // "5" resets the peak resident set to the current one (Linux ≥ 4.0)
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let (before, _) = memory();
    let start = Instant::now();
    let out = f();
    let elapsed = start.elapsed();
    let (_, peak) = memory();
    (out, elapsed, peak.saturating_sub(before))
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

fn build(dir: &Path, store: Option<&Path>) -> Dataset {
    let base = Base::new(Base::DEFAULT).expect("the default base is valid");
    match store {
        Some(root) => Dataset::build_on_disk(dir, base, root),
        None => Dataset::build(dir, base),
    }
    .unwrap_or_else(|e| panic!("synthetic data must build: {e}"))
}

#[cfg(feature = "rocksdb")]
fn new_store(on_disk: Option<&Path>) -> Store {
    match on_disk {
        Some(dir) => Store::open(dir).expect("on-disk store"),
        None => Store::new().expect("in-memory store"),
    }
}

#[cfg(not(feature = "rocksdb"))]
fn new_store(_: Option<&Path>) -> Store {
    Store::new().expect("in-memory store")
}

fn bulk_load(nquads: &Path, on_disk: Option<&Path>) -> Store {
    let store = new_store(on_disk);
    let file = std::fs::File::open(nquads).expect("the dump was just written");
    let mut loader = store.bulk_loader();
    loader
        .load_from_reader(RdfFormat::NQuads, std::io::BufReader::new(file))
        .expect("reti's own N-Quads parse");
    loader.commit().expect("commit");
    store
}

/// A writer that only counts.
struct Counter(u64);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn main() {
    let options = options();
    let work = tempfile::tempdir().expect("temporary directory");
    // a fresh directory per run when building on disk
    let place = || options.on_disk.then(|| fresh_dir(work.path()));
    let forget = |dir: Option<std::path::PathBuf>| {
        if let Some(dir) = dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    };
    let on_disk = if options.on_disk { ", on disk" } else { "" };
    println!("## Build (median of {} runs{on_disk})\n", options.runs);
    println!(
        "| memberships | quads | N-Quads MB | reti build s | bulk load s | ratio | bulk load of the store's content s | ratio | µs/membership | reti peak MB | bulk peak MB | reti peak / N-Quads |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut exports = Vec::new();
    for &size in &options.sizes {
        let data = work.path().join(format!("m{size}"));
        let spec = reti::synth::Spec {
            networks: 10,
            memberships: size,
            seed: 1,
        };
        reti::synth::write(&spec, &data).expect("synthetic data written");
        let nquads = work.path().join(format!("m{size}.nq"));

        let mut times = Vec::new();
        let mut peak = 0;
        let mut kept = None;
        let mut kept_dir = None;
        for _ in 0..options.runs {
            drop(kept.take());
            forget(kept_dir.take());
            let dir = place();
            let (dataset, t, p) = measured(|| build(&data, dir.as_deref()));
            times.push(t);
            peak = peak.max(p);
            kept = Some(dataset);
            kept_dir = dir;
        }
        let dataset = kept.expect("at least one run");
        let reti_time = median(times);
        let file = std::fs::File::create(&nquads).expect("dump file");
        export::write(
            &dataset,
            Format::NQuads,
            None,
            std::io::BufWriter::new(file),
        )
        .expect("export");
        // the store's whole content: the named graphs, then the merged default graph
        let content = work.path().join(format!("m{size}.content.nq"));
        std::fs::copy(&nquads, &content).expect("copy");
        let file = std::fs::OpenOptions::new()
            .append(true)
            .open(&content)
            .expect("content file");
        export::write(
            &dataset,
            Format::NTriples,
            None,
            std::io::BufWriter::new(file),
        )
        .expect("export");
        let quads = dataset.summary().quads;
        // export: each format, streamed into a counter
        for &format in &options.formats {
            let ((), t, p) = measured(|| {
                let mut counter = Counter(0);
                export::write(&dataset, format, None, &mut counter).expect("export");
                exports.push((size, format, counter.0, Duration::ZERO, 0));
            });
            if let Some(last) = exports.last_mut() {
                last.3 = t;
                last.4 = p;
            }
        }
        drop(dataset);
        forget(kept_dir);

        let mut times = Vec::new();
        let mut bulk_peak = 0;
        for _ in 0..options.runs {
            let dir = place();
            let (store, t, p) = measured(|| bulk_load(&nquads, dir.as_deref()));
            times.push(t);
            bulk_peak = bulk_peak.max(p);
            drop(store);
            forget(dir);
        }
        let bulk_time = median(times);
        let mut times = Vec::new();
        for _ in 0..options.runs {
            let dir = place();
            let (store, t, _) = measured(|| bulk_load(&content, dir.as_deref()));
            times.push(t);
            drop(store);
            forget(dir);
        }
        let content_time = median(times);
        let nq_bytes = std::fs::metadata(&nquads).map_or(0, |m| m.len());
        println!(
            "| {size} | {quads} | {:.1} | {:.3} | {:.3} | {:.2}× | {:.3} | {:.2}× | {:.1} | {:.0} | {:.0} | {:.2}× |",
            mb(nq_bytes),
            reti_time.as_secs_f64(),
            bulk_time.as_secs_f64(),
            reti_time.as_secs_f64() / bulk_time.as_secs_f64(),
            content_time.as_secs_f64(),
            reti_time.as_secs_f64() / content_time.as_secs_f64(),
            reti_time.as_secs_f64() * 1e6 / size as f64,
            mb(peak),
            mb(bulk_peak),
            peak as f64 / nq_bytes.max(1) as f64,
        );
        let _ = std::fs::remove_file(&nquads);
        let _ = std::fs::remove_file(&content);
        let _ = std::fs::remove_dir_all(&data);
    }
    println!("\n## Export (whole dataset, one run each)\n");
    println!("| memberships | format | MB | s | MB/s | peak MB |");
    println!("|---:|---|---:|---:|---:|---:|");
    for (size, format, bytes, t, peak) in exports {
        println!(
            "| {size} | {} | {:.1} | {:.3} | {:.0} | {:.0} |",
            format.extension(),
            mb(bytes),
            t.as_secs_f64(),
            mb(bytes) / t.as_secs_f64().max(1e-9),
            mb(peak),
        );
    }
}
