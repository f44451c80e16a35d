//! The CPU rasterizer against a real renderer: one frame of the real app,
//! drawn by egui's own wgpu renderer (on a software Vulkan driver such as
//! Debian's `mesa-vulkan-drivers`) and by the project's rasterizer from the
//! same tessellated shapes, must agree to within filtering precision.
//!
//! CI installs the driver and sets `WAYMARK_REQUIRE_GPU`, so there the check
//! always runs; elsewhere it is skipped, saying what to install, when no
//! adapter is found.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use egui::TexturesDelta;
use egui_kittest::wgpu::WgpuTestRenderer;
use egui_kittest::{Harness, TestRenderer};
use waymark::export::raster::Pixmap;
use waymark::ui::app::{StartOptions, WaymarkApp};

use crate::common::{CpuRenderer, EXAMPLE};

/// Draws every frame twice: with wgpu (returned, as the harness expects) and
/// with the CPU rasterizer (kept in `cpu`).
struct Both {
    gpu: WgpuTestRenderer,
    cpu: CpuRenderer,
    cpu_frame: Arc<Mutex<Option<Pixmap>>>,
}

impl TestRenderer for Both {
    fn handle_delta(&mut self, delta: &mut TexturesDelta) {
        // The wgpu renderer drains the delta, so the CPU side sees it first.
        let mut copy = delta.clone();
        self.cpu.handle_delta(&mut copy);
        self.gpu.handle_delta(delta);
    }

    fn render(
        &mut self,
        ctx: &egui::Context,
        output: &egui::FullOutput,
    ) -> Result<image::RgbaImage, String> {
        *self.cpu_frame.lock().unwrap() = Some(self.cpu.pixmap(ctx, output));
        self.gpu.render(ctx, output)
    }
}

/// A wgpu renderer, or why there is none.
fn gpu_renderer() -> Result<WgpuTestRenderer, String> {
    // egui_kittest panics when it finds no adapter; that is the one answer
    // here that means "nothing to test against" rather than a failure.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let made = std::panic::catch_unwind(WgpuTestRenderer::new);
    std::panic::set_hook(previous);
    made.map_err(|panic| {
        panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default()
    })
}

/// Per-pixel differences between two RGBA images of one size: the largest
/// channel difference at each pixel.
fn differences(a: &[u8], b: &[u8]) -> Vec<u8> {
    a.chunks_exact(4)
        .zip(b.chunks_exact(4))
        .map(|(p, q)| {
            p.iter()
                .zip(q)
                .map(|(x, y)| x.abs_diff(*y))
                .max()
                .unwrap_or(0)
        })
        .collect()
}

/// Pixels that differ by more than this many levels count as different.
const LEVELS: u8 = 4;
/// At most this share of the pixels may differ (filtering precision at the
/// edges of text); a picture moved by one pixel differs in far more.
const SHARE: f64 = 0.001;

/// The share of pixels that differ by more than [`LEVELS`], the mean
/// difference and the worst.
fn compare(a: &[u8], b: &[u8]) -> (f64, f64, u8) {
    let diffs = differences(a, b);
    let over = diffs.iter().filter(|d| **d > LEVELS).count();
    let sum: u64 = diffs.iter().map(|d| u64::from(*d)).sum();
    let n = diffs.len().max(1) as f64;
    (
        over as f64 / n,
        sum as f64 / n,
        diffs.iter().copied().max().unwrap_or(0),
    )
}

#[test]
fn the_rasterizer_draws_a_frame_like_egui_wgpu() {
    for pixels_per_point in [1.0, 2.0] {
        if !frames_agree(pixels_per_point) {
            return;
        }
    }
}

/// Draws one frame of the app at `pixels_per_point` both ways and compares;
/// false when there is no adapter to draw with (and that is allowed here).
fn frames_agree(pixels_per_point: f32) -> bool {
    let gpu = match gpu_renderer() {
        Ok(gpu) => gpu,
        Err(why) => {
            assert!(
                std::env::var_os("WAYMARK_REQUIRE_GPU").is_none(),
                "a wgpu adapter is required here but none was found: {why}"
            );
            eprintln!(
                "skipped: no wgpu adapter ({why}); on Debian, \
                 `apt-get install mesa-vulkan-drivers` gives a software one"
            );
            return false;
        }
    };
    let cpu = Arc::new(Mutex::new(None));
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1366.0, 768.0))
        .with_pixels_per_point(pixels_per_point)
        .renderer(Both {
            gpu,
            cpu: CpuRenderer::default(),
            cpu_frame: Arc::clone(&cpu),
        })
        .build_eframe(|cc| {
            WaymarkApp::new(
                cc,
                StartOptions {
                    file: Some(PathBuf::from(EXAMPLE)),
                    no_native_dialogs: true,
                    ..StartOptions::default()
                },
            )
        });
    harness.remove_cursor();
    harness.run_steps(4);
    let gpu = harness.render().unwrap();
    let cpu = cpu.lock().unwrap().take().unwrap();
    assert_eq!((gpu.width(), gpu.height()), (cpu.width, cpu.height));

    let (share, mean, worst) = compare(gpu.as_raw(), cpu.data());
    eprintln!(
        "wgpu against the CPU rasterizer at {pixels_per_point}x: {:.3}% of pixels differ by \
         more than {LEVELS} levels, mean difference {mean:.4} levels, worst {worst}",
        share * 100.0
    );
    assert!(
        share <= SHARE,
        "{:.3}% of pixels differ by more than {LEVELS} levels (mean {mean:.4}, worst {worst})",
        share * 100.0
    );

    // The check has teeth: the same picture one pixel to the right fails it.
    let row = cpu.width as usize * 4;
    let shifted: Vec<u8> = cpu
        .data()
        .chunks_exact(row)
        .flat_map(|r| {
            r[..4]
                .iter()
                .chain(&r[..row - 4])
                .copied()
                .collect::<Vec<_>>()
        })
        .collect();
    let (moved, _, _) = compare(gpu.as_raw(), &shifted);
    assert!(
        moved > SHARE * 10.0,
        "a one-pixel shift changes only {:.3}% of pixels",
        moved * 100.0
    );
    true
}
