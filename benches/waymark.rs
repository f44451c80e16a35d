//! Benchmarks: `cargo bench --bench waymark` (add `-- --quick` for a fast pass).
//!
//! Loading and saving large maps; the maps come from
//! `waymark::model::templates::generated`. Canvas frames are in `benches/canvas.rs`.

// Benchmark setup may panic like a test.
#![allow(clippy::expect_used)]

use std::hint::black_box;
use std::path::Path;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use waymark::io;
use waymark::model::templates::generated;

// ---- load and save ----------------------------------------------------------

fn load_save(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temp dir for save benchmarks");
    let mut group = c.benchmark_group("load_save");
    // Each iteration takes tens of milliseconds; ten samples are plenty.
    group.sample_size(10);
    for (steps, cards) in [(200, 10_000), (1000, 20_000)] {
        let journey = generated(steps, cards);
        let text = io::to_string(&journey);
        let label = format!("{cards}_cards");
        group.throughput(Throughput::Bytes(text.len() as u64));

        group.bench_with_input(BenchmarkId::new("parse_str", &label), &text, |b, text| {
            b.iter(|| io::parse_str(black_box(text), Path::new("bench.journey.ron")));
        });
        group.bench_with_input(BenchmarkId::new("to_string", &label), &journey, |b, j| {
            b.iter(|| io::to_string(black_box(j)));
        });
        let path = dir.path().join(format!("{label}.journey.ron"));
        io::save(&path, &journey).expect("the benchmark journey saves");
        group.bench_with_input(BenchmarkId::new("save", &label), &journey, |b, j| {
            b.iter(|| io::save(black_box(&path), black_box(j)));
        });
        group.bench_with_input(BenchmarkId::new("load", &label), &path, |b, path| {
            b.iter(|| io::load(black_box(path)));
        });
    }
    group.finish();
}

criterion_group!(load_save_benches, load_save);

// ---- canvas frames ------------------------------------------------------------

criterion_main!(load_save_benches);
