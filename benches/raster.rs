//! Rasterizer speed on its own: `cargo bench --bench raster`.
//!
//! Two figures, best of ten runs each: a 1,000 x 1,000 image covered by
//! 80,000 small translucent triangles (one flat colour, a colour per vertex,
//! and a magnified texture, so every pixel is a true bilinear mix), and a
//! scene like a journey map's (cards, strokes, text, a curve) laid out by
//! egui at 2 pixels per point. Each is followed by the time to encode the same
//! pixels as PNG with the `image` crate, for scale.

// Benchmark setup may panic like a test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing)]

use std::time::Instant;

use egui::epaint::{ClippedPrimitive, ImageDelta, Mesh, Primitive};
use egui::{Color32, ColorImage, Pos2, Rect, TextureId, TextureOptions, pos2, vec2};
use waymark::export::raster::{Pixmap, TextureStore, rasterize};

fn main() {
    small_translucent_triangles();
    egui_scene();
}

/// Best of `runs` timings of `f`, in milliseconds.
fn best_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut best = f64::INFINITY;
    for _ in 0..runs {
        let start = Instant::now();
        f();
        best = best.min(start.elapsed().as_secs_f64() * 1e3);
    }
    best
}

/// Best of ten timings of rasterizing onto a freshly filled `target`.
fn rasterize_ms(
    primitives: &[ClippedPrimitive],
    store: &TextureStore,
    ppp: f32,
    target: &mut Pixmap,
    background: Color32,
) -> f64 {
    let mut best = f64::INFINITY;
    for _ in 0..10 {
        target.fill(background);
        let rows = 0..target.height;
        let start = Instant::now();
        rasterize(primitives, store, ppp, target, rows);
        best = best.min(start.elapsed().as_secs_f64() * 1e3);
    }
    best
}

/// Milliseconds to PNG-encode `pixmap` (straight alpha, default settings).
fn png_ms(pixmap: &Pixmap) -> f64 {
    let rgba = pixmap.to_unmultiplied_rgba();
    best_ms(3, || {
        let mut png = Vec::new();
        image::ImageEncoder::write_image(
            image::codecs::png::PngEncoder::new(&mut png),
            &rgba,
            pixmap.width,
            pixmap.height,
            image::ExtendedColorType::Rgba8,
        )
        .unwrap();
    })
}

fn clipped(mesh: Mesh) -> ClippedPrimitive {
    ClippedPrimitive {
        clip_rect: Rect::EVERYTHING,
        primitive: Primitive::Mesh(mesh),
    }
}

fn small_translucent_triangles() {
    let size = 1000;
    let cell = 5.0;
    let mut gouraud = Mesh::default();
    let cells = (size as f32 / cell) as u32;
    for j in 0..cells {
        for i in 0..cells {
            let min = pos2(i as f32 * cell, j as f32 * cell);
            let idx = gouraud.vertices.len() as u32;
            let corners = [
                vec2(0.0, 0.0),
                vec2(cell, 0.0),
                vec2(0.0, cell),
                vec2(cell, cell),
            ];
            for (k, corner) in corners.into_iter().enumerate() {
                let c = (i * 7 + j * 3 + k as u32 * 50) as u8;
                let color = Color32::from_rgba_unmultiplied(c, 255 - c, 128, 100 + c / 2);
                gouraud.colored_vertex(min + corner, color);
            }
            gouraud.add_triangle(idx, idx + 1, idx + 2);
            gouraud.add_triangle(idx + 2, idx + 1, idx + 3);
        }
    }
    let triangles = gouraud.indices.len() / 3;
    let mut flat = gouraud.clone();
    for v in &mut flat.vertices {
        v.color = Color32::from_rgba_unmultiplied(20, 100, 200, 128);
    }
    let mut textured = gouraud.clone();
    textured.texture_id = TextureId::User(1);
    for v in &mut textured.vertices {
        // Magnified about 4.7 times: every pixel is a true bilinear mix.
        v.uv = pos2(v.pos.x / 300.0, v.pos.y / 300.0);
    }
    let mut store = TextureStore::new();
    let texels = (0..64 * 64)
        .map(|i| Color32::from_white_alpha((i % 251) as u8))
        .collect();
    let image = ColorImage::new([64, 64], texels);
    store.set(
        TextureId::User(1),
        &ImageDelta::full(image, TextureOptions::LINEAR),
    );
    let white = ColorImage::new([1, 1], vec![Color32::WHITE]);
    store.set(
        TextureId::default(),
        &ImageDelta::full(white, TextureOptions::LINEAR),
    );
    let mut pixmap = Pixmap::new(size, size);
    for (name, mesh) in [
        ("flat colour", flat),
        ("per-vertex colour", gouraud),
        ("bilinear textured", textured),
    ] {
        let primitives = [clipped(mesh)];
        let ms = rasterize_ms(&primitives, &store, 1.0, &mut pixmap, Color32::WHITE);
        println!(
            "rasterize {triangles} {name} translucent triangles over {size}x{size}: {ms:.2} ms"
        );
    }
    println!("png encode of the last image: {:.2} ms", png_ms(&pixmap));
}

/// egui output like a journey map's (cards, strokes, text, curves), at 2
/// pixels per point.
fn egui_scene() {
    let (width, height, ppp) = (1200.0, 700.0, 2.0);
    let ctx = egui::Context::default();
    ctx.set_fonts(waymark::view::theme::font_definitions());
    let mut input = egui::RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(width, height))),
        ..Default::default()
    };
    input
        .viewports
        .entry(input.viewport_id)
        .or_default()
        .native_pixels_per_point = Some(ppp);
    let mut output = ctx.run_ui(input, |ui| {
        let painter = ui.painter();
        painter.rect_filled(ui.max_rect(), 0.0, Color32::from_rgb(248, 247, 244));
        for column in 0..8 {
            for row in 0..6 {
                let min = pos2(20.0 + column as f32 * 145.0, 20.0 + row as f32 * 110.0);
                let rect = Rect::from_min_size(min, vec2(130.0, 95.0));
                let fill = Color32::from_rgba_unmultiplied(80, 140, 220, 60);
                painter.rect_filled(rect, 8.0, fill);
                let stroke = egui::Stroke::new(1.5, Color32::from_rgb(60, 90, 160));
                painter.rect_stroke(rect, 8.0, stroke, egui::StrokeKind::Inside);
                for line in 0..3 {
                    painter.text(
                        min + vec2(10.0, 12.0 + line as f32 * 22.0),
                        egui::Align2::LEFT_TOP,
                        "Checkout page",
                        egui::FontId::proportional(14.0),
                        Color32::from_gray(40),
                    );
                }
            }
        }
        let curve: Vec<Pos2> = (0..400)
            .map(|i| {
                let x = 20.0 + i as f32 * 2.9;
                pos2(x, 350.0 + 120.0 * (x / 90.0).sin())
            })
            .collect();
        let stroke = egui::Stroke::new(3.0, Color32::from_rgb(220, 80, 60));
        painter.add(egui::Shape::line(curve, stroke));
    });
    let mut store = TextureStore::new();
    store.apply_and_clear(&mut output.textures_delta);
    let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
    let triangles: usize = (primitives.iter())
        .map(|p| match &p.primitive {
            Primitive::Mesh(mesh) => mesh.indices.len() / 3,
            Primitive::Callback(_) => 0,
        })
        .sum();
    let (w, h) = ((width * ppp) as u32, (height * ppp) as u32);
    let mut pixmap = Pixmap::new(w, h);
    let ppp = output.pixels_per_point;
    let ms = rasterize_ms(&primitives, &store, ppp, &mut pixmap, Color32::TRANSPARENT);
    println!("rasterize egui scene, {triangles} triangles, {w}x{h} px: {ms:.2} ms");
    println!("png encode of the same pixels: {:.2} ms", png_ms(&pixmap));
}
