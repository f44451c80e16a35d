//! Export speed and memory: `cargo bench --bench export`.
//!
//! Generated maps of 10, 50, 200 and 1,000 steps (ten cards per step) are
//! exported as PNG at scale 1 and 2. Each case runs in its own child process
//! (this binary, re-run with `--case STEPS SCALE`), so the peak memory read
//! from `/proc/self/status` (`VmHWM`) belongs to that export alone. The time
//! is split into rendering (scene, tessellation, CPU rasterization) and PNG
//! encoding (filter and deflate; unmultiplying, over a transparent
//! background) of the same pixels.
//!
//! `cargo bench --bench export -- --quick` skips the 1,000-step maps.
//! `--render STEPS SCALE` (on the built binary) renders one map's bands once
//! and does nothing else: short enough to run under
//! `valgrind --tool=callgrind`, whose instruction count, unlike a time, does
//! not change with the load of a shared machine.
//! Not a criterion benchmark: a 1,000-step export takes seconds, and criterion
//! would need minutes of samples per case for no better figure than the best
//! of three runs printed here.

// Benchmark setup may panic like a test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing)]

use std::io::Write;
use std::process::Command;
use std::time::{Duration, Instant};

use waymark::export::{self, ExportOptions, PngRows};
use waymark::png_stream::BandEncoder;
use waymark::templates::generated;

const STEPS: [usize; 4] = [10, 50, 200, 1000];
const SCALES: [f32; 2] = [1.0, 2.0];
const RUNS: usize = 3;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--case") {
        let steps = args[at + 1].parse().expect("steps");
        let scale = args[at + 2].parse().expect("scale");
        run_case(steps, scale);
        return;
    }
    if let Some(at) = args.iter().position(|a| a == "--render") {
        let steps = args[at + 1].parse().expect("steps");
        let scale = args[at + 2].parse().expect("scale");
        render_once(steps, scale);
        return;
    }
    let quick = args.iter().any(|a| a == "--quick");
    let exe = std::env::current_exe().expect("own path");
    println!(
        "| steps | scale | image (px) | total | rendering | PNG encoding | PNG size | peak memory |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for steps in STEPS {
        if quick && steps > 200 {
            continue;
        }
        for scale in SCALES {
            let out = Command::new(&exe)
                .args(["--case", &steps.to_string(), &scale.to_string()])
                .output()
                .expect("run a case");
            assert!(
                out.status.success(),
                "case {steps} steps at {scale}x failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            print!("{}", String::from_utf8_lossy(&out.stdout));
        }
    }
}

/// Renders every band of a map once, without encoding, and prints
/// the sum of one byte from each band so the work cannot be optimized away.
fn render_once(steps: usize, scale: f32) {
    let journey = generated(steps, steps * 10);
    let options = ExportOptions {
        scale,
        ..ExportOptions::default()
    };
    let mut sum = 0u64;
    export::for_each_band(&journey, &options, |band| {
        sum += u64::from(band.data().get(1000).copied().unwrap_or(0));
        Ok(())
    })
    .expect("render");
    println!("{sum}");
}

/// Writes everything it is given into nothing, counting the bytes.
struct Count(u64);

impl Write for Count {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn run_case(steps: usize, scale: f32) {
    let journey = generated(steps, steps * 10);
    let options = ExportOptions {
        scale,
        ..ExportOptions::default()
    };
    let mut best: Option<(Duration, Duration, Duration)> = None;
    let mut size = (0, 0);
    let mut bytes = 0;
    for _ in 0..RUNS {
        let mut out = Count(0);
        let timings = export::timed_png(&journey, &options, &mut out).expect("export");
        size = timings.size;
        bytes = out.0;
        let run = (timings.total, timings.rendering, timings.encoding);
        if best.is_none_or(|b| run.0 < b.0) {
            best = Some(run);
        }
    }
    let (total, _, _) = best.expect("at least one run");
    // The split, measured on one thread so neither half waits for the other:
    // render every band, and encode each band as it comes.
    let (rendering, encoding) = split(&journey, &options);
    println!(
        "| {steps} | {scale} | {}x{} | {} | {} | {} | {:.1} MB | {} MB |",
        size.0,
        size.1,
        ms(total),
        ms(rendering),
        ms(encoding),
        bytes as f64 / 1e6,
        peak_mb()
    );
}

/// Rendering and PNG encoding of the same bands, one after the other on
/// this thread (best of [`RUNS`]).
fn split(journey: &waymark::model::Journey, options: &ExportOptions) -> (Duration, Duration) {
    let mut best = (Duration::MAX, Duration::MAX);
    for _ in 0..RUNS {
        let (width, height) = export::image_size(journey, options).expect("size");
        let mut rows = PngRows::new(options);
        let mut encoder = BandEncoder::new(Count(0), width, height).expect("header");
        let mut encoding = Duration::ZERO;
        let started = Instant::now();
        export::for_each_band(journey, options, |band| {
            let band_started = Instant::now();
            encoder.write_rows(rows.of(band)).expect("encode");
            encoding += band_started.elapsed();
            Ok(())
        })
        .expect("render");
        let finishing = Instant::now();
        encoder.finish().expect("finish");
        encoding += finishing.elapsed();
        let rendering = started.elapsed().saturating_sub(encoding);
        if rendering + encoding < best.0.saturating_add(best.1) {
            best = (rendering, encoding);
        }
    }
    best
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms >= 1000.0 {
        format!("{:.2} s", ms / 1000.0)
    } else {
        format!("{ms:.0} ms")
    }
}

/// Peak resident memory of this process in MB (Linux), or "?".
fn peak_mb() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or_else(|| "?".to_owned(), |kb| (kb / 1024).to_string())
}
