//! Export speed and memory: `cargo bench --bench export`.
//!
//! Generated maps of 10, 50, 200 and 1,000 steps (ten cards per step) are
//! exported as PNG at scale 1 and 2. Each case runs in its own child process
//! (this binary, re-run with `--case STEPS SCALE`), so the peak memory read
//! from `/proc/self/status` (`VmHWM`) belongs to that export alone. The time
//! is split into building the scene (shapes, text layout, tessellation),
//! rasterizing its triangles (binning them into bands, filling the
//! background, drawing) and PNG encoding (filter and deflate; unmultiplying,
//! over a transparent background) of the same pixels.
//!
//! `cargo bench --bench export -- --quick` skips the 1,000-step maps.
//! `--encoders STEPS SCALE` renders a map's bands once, then times the `png`
//! crate's own stream writer against the export's band encoder on them.
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
use std::time::Duration;

use waymark::export::{self, ExportOptions};
use waymark::model::templates::generated;

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
    if let Some(at) = args.iter().position(|a| a == "--encoders") {
        let steps = args[at + 1].parse().expect("steps");
        let scale = args[at + 2].parse().expect("scale");
        compare_encoders(steps, scale);
        return;
    }
    let quick = args.iter().any(|a| a == "--quick");
    let exe = std::env::current_exe().expect("own path");
    println!(
        "| steps | scale | image (px) | total | scene | rasterization | PNG encoding | PNG size | peak memory |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
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

/// Renders a map's bands once, then encodes them on this thread with the
/// `png` crate's stream writer (fast compression) and with the export's
/// band encoder, best of [`RUNS`] each: time and size.
fn compare_encoders(steps: usize, scale: f32) {
    use waymark::export::encode::BandEncoder;
    let journey = generated(steps, steps * 10);
    let options = ExportOptions {
        scale,
        ..ExportOptions::default()
    };
    let mut bands = Vec::new();
    let (width, height) = export::for_each_band(&journey, &options, |band| {
        // Opaque (a white background), so already straight alpha.
        bands.push(band.data().to_vec());
        Ok(())
    })
    .expect("render");
    println!("{steps} steps at {scale}x: {width}x{height}");
    let best = |encode: &dyn Fn() -> u64| {
        let mut best = Duration::MAX;
        let mut size = 0;
        for _ in 0..RUNS {
            let started = std::time::Instant::now();
            size = encode();
            best = best.min(started.elapsed());
        }
        println!("{}, {:.1} MB", ms(best), size as f64 / 1e6);
    };
    print!("png crate, Compression::Fast: ");
    best(&|| {
        let mut count = Count(0);
        let mut encoder = png::Encoder::new(&mut count, width, height);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Fast);
        let mut writer = encoder.write_header().expect("header");
        let mut stream = writer.stream_writer().expect("stream");
        for band in &bands {
            stream.write_all(band).expect("rows");
        }
        stream.finish().expect("finish");
        writer.finish().expect("finish");
        count.0
    });
    print!("export's band encoder: ");
    best(&|| {
        let mut count = Count(0);
        let mut encoder = BandEncoder::new(&mut count, width, height).expect("header");
        for band in &bands {
            encoder.write_rows(band).expect("rows");
        }
        encoder.finish().expect("finish");
        count.0
    });
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
    let mut best: Option<Duration> = None;
    let mut size = (0, 0);
    let mut bytes = 0;
    for _ in 0..RUNS {
        let mut out = Count(0);
        let timings = export::timed_png(&journey, &options, None, &mut out).expect("export");
        size = timings.size;
        bytes = out.0;
        if best.is_none_or(|b| timings.total < b) {
            best = Some(timings.total);
        }
    }
    let total = best.expect("at least one run");
    // The split, measured on one thread so no stage waits for another.
    let split = split(&journey, &options);
    println!(
        "| {steps} | {scale} | {}x{} | {} | {} | {} | {} | {:.1} MB | {} MB |",
        size.0,
        size.1,
        ms(total),
        ms(split.scene),
        ms(split.rasterization),
        ms(split.encoding),
        bytes as f64 / 1e6,
        peak_mb()
    );
}

/// The export on this thread alone, each stage timed (the run of
/// [`RUNS`] with the shortest total).
fn split(journey: &waymark::model::Journey, options: &ExportOptions) -> export::PngTimings {
    (0..RUNS)
        .map(|_| export::timed_png(journey, options, Some(1), Count(0)).expect("export"))
        .min_by_key(|timings| timings.total)
        .expect("at least one run")
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
