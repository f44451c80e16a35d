//! One full frame of the real canvas (UI, layout, scene, tessellation) in a
//! headless egui context, on generated maps of 1,000 and 10,000 cards (100
//! and 1,000 steps, the same density), at 100% and fitted. Neither map fits
//! the screen, so "fit" is the smallest zoom, 10%, with about 75 columns in
//! view. A frame's work should follow what is in view: the two maps' idle
//! frames at 100% should cost the same.
//!
//! `cargo bench --bench canvas`

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use waymark::model::Journey;
use waymark::model::templates::generated;
use waymark::ui::canvas::{Canvas, ViewState};
use waymark::view::theme::{Theme, font_definitions};

/// A laptop screen.
const SCREEN: egui::Vec2 = egui::vec2(1366.0, 768.0);

fn raw_input() -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, SCREEN)),
        ..Default::default()
    }
}

/// Runs one frame and tessellates it; returns the triangle count so the work
/// cannot be optimised away.
fn frame(
    ctx: &egui::Context,
    journey: &Journey,
    revision: u64,
    theme: &Theme,
    view: &mut ViewState,
) -> usize {
    let output = ctx.run_ui(raw_input(), |ui| {
        egui::CentralPanel::no_frame().show(ui, |ui| {
            let canvas = Canvas {
                journey,
                revision,
                theme,
            };
            canvas.show(ui, view);
        });
    });
    let meshes = ctx.tessellate(output.shapes, output.pixels_per_point);
    meshes
        .iter()
        .map(|m| match &m.primitive {
            egui::epaint::Primitive::Mesh(mesh) => mesh.indices.len() / 3,
            egui::epaint::Primitive::Callback(_) => 0,
        })
        .sum()
}

fn canvas_frame(c: &mut Criterion) {
    let mut group = c.benchmark_group("canvas_frame");
    let theme = Theme::default();
    for (steps, cards) in [(100usize, 1_000usize), (1_000, 10_000)] {
        let journey = generated(steps, cards);
        for zoom in ["100%", "fit"] {
            let ctx = egui::Context::default();
            ctx.set_fonts(font_definitions());
            let mut view = ViewState::default();
            // Warm up: fonts, layout cache and the fitted view.
            frame(&ctx, &journey, 0, &theme, &mut view);
            if zoom == "100%" {
                view.zoom = 1.0;
                view.fitted = false;
            }
            frame(&ctx, &journey, 0, &theme, &mut view);
            group.bench_function(BenchmarkId::new(format!("idle {zoom}"), cards), |b| {
                b.iter(|| frame(&ctx, &journey, 0, &theme, &mut view));
            });
            // After an edit the layout is recomputed in the same frame.
            let mut revision = 1;
            group.bench_function(BenchmarkId::new(format!("after edit {zoom}"), cards), |b| {
                b.iter(|| {
                    revision += 1;
                    frame(&ctx, &journey, revision, &theme, &mut view)
                });
            });
        }
    }
    group.finish();
}

criterion_group!(benches, canvas_frame);
criterion_main!(benches);
