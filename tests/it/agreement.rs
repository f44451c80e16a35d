//! The canvas and the export draw the same picture: the real app's canvas at
//! zoom 100%, rendered by the project's CPU rasterizer, matches the PNG export
//! at scale 1 over the whole map area.

use std::path::PathBuf;

use egui_kittest::Harness;
use waymark::export::{ExportOptions, render};
use waymark::ui::app::{StartOptions, WaymarkApp};

use crate::common::CpuRenderer;

#[test]
fn canvas_at_zoom_one_matches_the_export_at_scale_one() {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(2560.0, 2200.0))
        .renderer(CpuRenderer::default())
        .build_eframe(|cc| {
            WaymarkApp::new(
                cc,
                StartOptions {
                    file: Some(PathBuf::from("examples/grocery-checkout.journey.ron")),
                    no_native_dialogs: true,
                    ..StartOptions::default()
                },
            )
        });
    harness.run_steps(3);
    // Hide the panels so the whole map fits in the window at 100%.
    // (Not presentation mode: it draws the export's header and legend
    // around the map, as a framed export does.)
    for action in [
        waymark::ui::actions::Action::TogglePalette,
        waymark::ui::actions::Action::ToggleInspector,
    ] {
        harness.state_mut().queue(action);
    }
    harness.run_steps(3);
    {
        let view = &mut harness.state_mut().view;
        view.zoom = 1.0;
        view.offset = egui::vec2(20.0, 30.0);
        view.fitted = false;
    }
    harness.remove_cursor();
    harness.run_steps(3);

    let canvas = harness.render().unwrap();
    let (width, height) = canvas.dimensions();
    let options = ExportOptions {
        margin: 0.0,
        ..ExportOptions::default()
    }
    .map_only();
    let export = render(&harness.state().doc.journey, &options).unwrap();
    // The canvas starts below the menu bar.
    let origin = harness.state().view.map_to_screen() * egui::Pos2::ZERO;
    let canvas_min = harness.state().view.screen_rect.min;
    assert_eq!(origin, canvas_min + egui::vec2(20.0, 30.0), "map origin");
    assert_eq!(origin, origin.round(), "on whole pixels");
    let (left, top) = (origin.x as u32, origin.y as u32);
    let canvas_max = harness.state().view.screen_rect.max;
    assert!(
        export.width as f32 <= canvas_max.x - origin.x
            && export.height as f32 <= canvas_max.y - origin.y
            && canvas_max.x <= width as f32
            && canvas_max.y <= height as f32,
        "whole map visible"
    );

    let mut differing = 0u64;
    let mut worst = 0u8;
    for y in 0..export.height {
        for x in 0..export.width {
            let a = export.pixel(x, y).unwrap().to_array();
            let b = canvas.get_pixel(x + left, y + top).0;
            let diff = a
                .iter()
                .zip(b)
                .map(|(p, q)| p.abs_diff(q))
                .max()
                .unwrap_or(0);
            worst = worst.max(diff);
            if diff > 2 {
                differing += 1;
            }
        }
    }
    let total = u64::from(export.width) * u64::from(export.height);
    eprintln!("{differing} of {total} pixels differ by more than 2 levels; worst {worst}");
    // A glyph's edge row is blended bilinearly with the atlas texel beyond
    // it, and the canvas's atlas also holds the UI's glyphs, so a glyph's
    // neighbour there can differ from the export's: with Inter, two pixels
    // of the grocery map's "+1.5" (18 levels). Anything more is a real
    // disagreement.
    assert!(
        differing <= 4,
        "{differing} of {total} pixels differ by more than 2 levels (worst {worst})"
    );
}
