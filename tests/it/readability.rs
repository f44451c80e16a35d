//! The map reads where people read it: at fit zoom on a laptop and a
//! projector no text overlaps other text, and exports never cut text and
//! show every pain point's words.

use egui::emath::TSTransform;
use egui::{Pos2, Rect, Shape, Vec2};
use waymark::export::ExportOptions;
use waymark::export::svg::write_svg;
use waymark::model::Journey;
use waymark::ui::app::{PALETTE_WIDTH, inspector_default_width};
use waymark::ui::canvas::{MIN_CANVAS_TEXT, fit};
use waymark::view::layout::Layout;
use waymark::view::scene::{SceneOptions, build};
use waymark::view::theme::{Theme, font_definitions};

use crate::common::{EXAMPLES, load};

/// The canvas area left by the menu bar, the status bar (about 50 points
/// together) and both side panels at their default widths in a window.
fn canvas_in(window: Vec2) -> Vec2 {
    let panels = PALETTE_WIDTH + inspector_default_width(window.x);
    Vec2::new(window.x - panels, window.y - 50.0)
}

/// The canvas areas of a 1366x768 laptop and a 1920x1080 projector.
pub(crate) fn canvases() -> [Vec2; 2] {
    [
        canvas_in(Vec2::new(1366.0, 768.0)),
        canvas_in(Vec2::new(1920.0, 1080.0)),
    ]
}

/// The shapes of the whole map at zoom to fit in `canvas`, as the canvas
/// draws them (text never under the canvas's legible minimum).
pub(crate) fn fitted_scene(journey: &Journey, canvas: Vec2) -> Vec<Shape> {
    let theme = Theme::default();
    let layout = Layout::new(journey, &theme);
    let zoom = fit::fit(layout.map_rect(), canvas, fit::FIT_MARGIN).zoom;
    let options = SceneOptions {
        map_to_screen: TSTransform::from_scaling(zoom),
        clip: Rect::from_min_size(Pos2::ZERO, layout.size * zoom),
        pin: Vec2::ZERO,
        min_text_size: MIN_CANVAS_TEXT,
        corner_text: true,
        assumptions: waymark::view::scene::AssumptionFilter::Off,
        diff: None,
        workshop: waymark::view::scene::WorkshopScene::default(),
    };
    let ctx = egui::Context::default();
    ctx.set_fonts(font_definitions());
    let mut shapes = Vec::new();
    for _ in 0..2 {
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
            shapes = ui.fonts_mut(|fonts| build(journey, &layout, &theme, fonts, &options));
        });
        output.textures_delta.clear();
    }
    shapes
}

/// Each text shape's ink box and text.
pub(crate) fn texts(shapes: &[Shape]) -> Vec<(Rect, String)> {
    shapes
        .iter()
        .filter_map(|shape| match shape {
            Shape::Text(t) if !t.galley.text().trim().is_empty() => {
                Some((t.visual_bounding_rect(), t.galley.text().to_owned()))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn no_text_overlaps_other_text_at_fit_zoom_on_a_laptop_or_a_projector() {
    for path in EXAMPLES {
        let journey = load(path);
        for canvas in canvases() {
            let found = texts(&fitted_scene(&journey, canvas));
            assert!(found.len() > 50, "{path}: only {} texts", found.len());
            let overlaps = overlaps(&found);
            assert!(
                overlaps.is_empty(),
                "{path} at {canvas:?}:\n{}",
                overlaps.join("\n")
            );
        }
    }
}

/// Each pair of texts whose ink boxes overlap, described.
pub(crate) fn overlaps(found: &[(Rect, String)]) -> Vec<String> {
    let mut overlaps = Vec::new();
    for (i, (a, ta)) in found.iter().enumerate() {
        for (b, tb) in found.iter().skip(i + 1) {
            if a.shrink(0.5).intersects(b.shrink(0.5)) {
                overlaps.push(format!("{ta:?} {a:?} overlaps {tb:?} {b:?}"));
            }
        }
    }
    overlaps
}

fn svg_texts(journey: &Journey) -> Vec<String> {
    let mut out = Vec::new();
    write_svg(journey, &ExportOptions::default(), &mut out).unwrap();
    let svg = String::from_utf8(out).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text().map(str::to_owned))
        .collect()
}

#[test]
fn exports_never_cut_text_and_show_every_pain_point() {
    for path in EXAMPLES {
        let journey = load(path);
        let rows = svg_texts(&journey);
        for row in &rows {
            assert!(!row.contains('…'), "{path}: cut text {row:?}");
        }
        let words: Vec<&str> = rows.iter().flat_map(|r| r.split_whitespace()).collect();
        let all = format!(" {} ", words.join(" "));
        for pain in &journey.pain_points {
            let text: Vec<&str> = pain.text.split_whitespace().collect();
            assert!(
                all.contains(&format!(" {} ", text.join(" "))),
                "{path}: pain {:?} is not in the SVG",
                pain.text
            );
        }
        for card in &journey.cards {
            let title: Vec<&str> = card.title.split_whitespace().collect();
            assert!(
                all.contains(&format!(" {} ", title.join(" "))),
                "{path}: card {:?} is not whole in the SVG",
                card.title
            );
        }
    }
}

#[test]
fn clicking_a_pain_note_selects_its_pain_point() {
    use std::path::PathBuf;

    use waymark::edit::Item;
    use waymark::ui::app::StartOptions;

    let mut h = crate::common::harness(StartOptions {
        file: Some(PathBuf::from(crate::common::EXAMPLE)),
        ..StartOptions::default()
    });
    let pain = crate::common::journey(&h).pain_points[2].clone();
    crate::common::click(&mut h, &format!("Pain note: {}", pain.text));
    assert_eq!(h.state().view.selection, vec![Item::Pain(pain.id)]);
}

#[test]
fn view_card_notes_shows_all_notes_as_one_undo_step() {
    use std::path::PathBuf;

    use egui::{Key, Modifiers};
    use egui_kittest::kittest::Queryable as _;
    use waymark::model::CardNotes;
    use waymark::ui::app::StartOptions;

    let mut h = crate::common::harness(StartOptions {
        file: Some(PathBuf::from(crate::common::EXAMPLE)),
        ..StartOptions::default()
    });
    let before = crate::common::journey(&h);
    assert_eq!(before.card_notes, CardNotes::FirstLine);
    h.get_by_label("View").click();
    h.run_steps(2);
    h.get_by_label("Card notes").hover();
    h.run_steps(3);
    h.get_by_label(CardNotes::All.label()).click();
    h.run_steps(2);
    assert_eq!(crate::common::journey(&h).card_notes, CardNotes::All);
    crate::common::press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(crate::common::journey(&h), before);
}
