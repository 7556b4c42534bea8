//! Criterion benchmarks of the build and the export at small and medium sizes, with
//! confidence intervals (benches/scale.rs covers 100 k – 1 M memberships and peak memory):
//!
//! - `build/reti/{M}`: source files of M synthetic memberships → validated model → store;
//! - `build/oxigraph_bulk_load_nquads/{M}`: the peer, Oxigraph's bulk loader reading the
//!   N-Quads dump of the same build from memory;
//! - `export/{format}/{M}`: the whole dataset in each format, as bytes per second.
//!
//! `cargo bench --bench build`; under `cargo test` each runs once, untimed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use oxigraph::io::RdfFormat;
use oxigraph::store::Store;
use reti::export::{self, Format};
use reti::rdf::Base;
use reti::store::Dataset;
use std::path::Path;

/// The allocator the `reti` binary uses (src/main.rs), so that this measures what users run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SIZES: [usize; 2] = [1_000, 10_000];

fn build(dir: &Path) -> Dataset {
    let base = Base::new(Base::DEFAULT).expect("the default base is valid");
    Dataset::build(dir, base).unwrap_or_else(|e| panic!("synthetic data must build: {e}"))
}

fn benches(c: &mut Criterion) {
    let work = tempfile::tempdir().expect("temporary directory");
    let mut built = Vec::new();
    for size in SIZES {
        let dir = work.path().join(format!("m{size}"));
        let spec = reti::synth::Spec {
            networks: 10,
            memberships: size,
            seed: 1,
        };
        reti::synth::write(&spec, &dir).expect("synthetic data written");
        let dataset = build(&dir);
        let mut nquads = Vec::new();
        export::write(&dataset, Format::NQuads, None, &mut nquads).expect("export");
        built.push((size, dir, dataset, nquads));
    }

    let mut group = c.benchmark_group("build");
    group.sample_size(10);
    for (size, dir, _, nquads) in &built {
        group.throughput(Throughput::Elements(*size as u64));
        group.bench_with_input(BenchmarkId::new("reti", size), dir, |b, dir| {
            b.iter(|| build(dir));
        });
        group.bench_with_input(
            BenchmarkId::new("oxigraph_bulk_load_nquads", size),
            nquads,
            |b, nquads| {
                b.iter(|| {
                    let store = Store::new().expect("store");
                    let mut loader = store.bulk_loader();
                    loader
                        .load_from_slice(RdfFormat::NQuads, nquads)
                        .expect("reti's N-Quads parse");
                    loader.commit().expect("commit");
                    store
                });
            },
        );
    }
    group.finish();

    let mut group = c.benchmark_group("export");
    group.sample_size(10);
    for (size, _, dataset, _) in &built {
        for format in Format::ALL {
            let mut bytes = Vec::new();
            export::write(dataset, format, None, &mut bytes).expect("export");
            group.throughput(Throughput::Bytes(bytes.len() as u64));
            group.bench_with_input(
                BenchmarkId::new(format.extension(), size),
                dataset,
                |b, dataset| {
                    b.iter(|| {
                        let mut out = Vec::with_capacity(bytes.len());
                        export::write(dataset, format, None, &mut out).expect("export");
                        out
                    });
                },
            );
        }
    }
    group.finish();
}

criterion_group!(build_and_export, benches);
criterion_main!(build_and_export);
