//! Where zoom to fit, zoom to a stage and presentation mode put the map:
//! pure functions of map geometry and the canvas's size, so tests can
//! check what a user at a given window size would see without a window.
//!
//! A [`Placement`] is a zoom and the screen offset of the map's origin from
//! the canvas's top-left corner, the two numbers [`super::ViewState`] keeps.

use egui::{Rangef, Rect, Vec2, vec2};

use super::ZOOM_RANGE;

/// Space kept free (screen points) between a fitted map and the canvas's
/// edges.
pub const FIT_MARGIN: f32 = 16.0;

/// A stage zoomed to is shown at least this large: card titles (the
/// theme's title font, 14.5 map units) come out at 12 points or more, a
/// size that reads on a laptop and on a projector.
pub const STAGE_MIN_ZOOM: f32 = 12.0 / 14.5;

/// Zooming to a narrow stage (one step, or a few on a wide screen) stops
/// here, so its cards do not become posters and more lanes stay in view;
/// the next stage shows beside it.
pub const STAGE_MAX_ZOOM: f32 = 1.5;

/// A zoom and the map origin's screen offset from the canvas's top-left.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placement {
    /// Zoom factor (1 = 100%).
    pub zoom: f32,
    /// Screen offset of the map origin from the canvas's top-left corner.
    pub offset: Vec2,
}

/// Fits `target` (map units; the map, or the map with an export's header
/// and legend around it) in a canvas of `canvas` points, as large as it
/// goes with `margin` left free on every side, and centred both ways.
pub fn fit(target: Rect, canvas: Vec2, margin: f32) -> Placement {
    let avail = (canvas - Vec2::splat(2.0 * margin)).max(Vec2::splat(1.0));
    let size = target.size().max(Vec2::splat(1.0));
    let zoom = (avail.x / size.x)
        .min(avail.y / size.y)
        .clamp(*ZOOM_RANGE.start(), *ZOOM_RANGE.end());
    // Centred, also when the zoom range stops the map from filling the
    // canvas (a map far too big or far too small for it).
    let used = size * zoom;
    let offset = (canvas - used) / 2.0 - target.min.to_vec2() * zoom;
    Placement { zoom, offset }
}

/// How much of a stage zooming to it shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StageFit {
    /// Its columns fill the canvas's width; the lanes from the top, as
    /// many as fit (the editor, where the user scrolls on).
    Width,
    /// All of it, every lane, as large as fits (presentation mode: the
    /// audience sees the stage's pain points and opportunities too).
    Whole,
}

/// Zooms to one stage: its columns (`stage_x`, map units) beside the lane
/// labels (`label_width` map units, pinned to the canvas's left edge while
/// the map is panned), as large as `how` allows, between
/// [`STAGE_MIN_ZOOM`] and [`STAGE_MAX_ZOOM`]. The top of the map
/// (`map_height` map units tall) is at the top of the canvas, or the map is
/// centred in height where it is shorter than the canvas.
pub fn stage(
    stage_x: Rangef,
    label_width: f32,
    map_height: f32,
    canvas: Vec2,
    how: StageFit,
) -> Placement {
    let width = (label_width + stage_x.span()).max(1.0);
    let mut zoom = (canvas.x - FIT_MARGIN) / width;
    if how == StageFit::Whole {
        zoom = zoom.min((canvas.y - 2.0 * FIT_MARGIN) / map_height.max(1.0));
    }
    let zoom = zoom.clamp(STAGE_MIN_ZOOM, STAGE_MAX_ZOOM);
    // The stage starts just right of the pinned labels.
    let x = label_width * zoom - stage_x.min * zoom;
    let spare = canvas.y - map_height * zoom;
    let y = if spare > 2.0 * FIT_MARGIN {
        spare / 2.0
    } else {
        FIT_MARGIN
    };
    Placement {
        zoom,
        offset: vec2(x, y),
    }
}

/// The screen size of text set at `map_size` map units, at `zoom`.
pub fn text_px(map_size: f32, zoom: f32) -> f32 {
    map_size * zoom
}

#[cfg(test)]
mod tests {
    use egui::{Rangef, Rect, pos2, vec2};

    use super::*;

    fn close(a: f32, b: f32) -> bool {
        (a - b).abs() < 0.01
    }

    #[test]
    fn a_wide_map_fills_the_width_and_is_centred_in_height() {
        let map = Rect::from_min_size(pos2(0.0, 0.0), vec2(3000.0, 800.0));
        let canvas = vec2(1000.0, 700.0);
        let p = fit(map, canvas, 16.0);
        assert!(close(p.zoom, 968.0 / 3000.0), "{p:?}");
        assert!(close(p.offset.x, 16.0));
        let height = 800.0 * p.zoom;
        assert!(close(p.offset.y, (700.0 - height) / 2.0), "{p:?}");
    }

    #[test]
    fn a_tall_map_fills_the_height_and_is_centred_in_width() {
        let map = Rect::from_min_size(pos2(0.0, 0.0), vec2(500.0, 2000.0));
        let p = fit(map, vec2(1200.0, 800.0), 10.0);
        assert!(close(p.zoom, 780.0 / 2000.0));
        assert!(close(p.offset.y, 10.0));
        assert!(close(p.offset.x, (1200.0 - 500.0 * p.zoom) / 2.0));
    }

    #[test]
    fn a_target_that_starts_above_the_map_puts_the_map_below_it() {
        // An export frame: header 100 units above the map, 50 to the left.
        let target = Rect::from_min_size(pos2(-50.0, -100.0), vec2(1100.0, 700.0));
        let p = fit(target, vec2(1100.0, 700.0), 0.0);
        assert!(close(p.zoom, 1.0));
        assert!(close(p.offset.x, 50.0) && close(p.offset.y, 100.0), "{p:?}");
    }

    #[test]
    fn a_tiny_map_stops_at_the_largest_zoom_and_stays_centred() {
        let map = Rect::from_min_size(pos2(0.0, 0.0), vec2(10.0, 10.0));
        let p = fit(map, vec2(800.0, 600.0), 16.0);
        assert!(close(p.zoom, *ZOOM_RANGE.end()));
        assert!(close(p.offset.x, (800.0 - 40.0) / 2.0));
        assert!(close(p.offset.y, (600.0 - 40.0) / 2.0));
    }

    #[test]
    fn a_stage_fills_the_width_beside_the_labels() {
        // Three 176-unit steps starting after two earlier stages.
        let stage_x = Rangef::new(150.0 + 5.0 * 176.0, 150.0 + 8.0 * 176.0);
        let canvas = vec2(1000.0, 600.0);
        let p = stage(stage_x, 150.0, 900.0, canvas, StageFit::Width);
        assert!(close(p.zoom, (1000.0 - FIT_MARGIN) / (150.0 + 3.0 * 176.0)));
        // The stage's left edge is where the pinned labels end.
        assert!(close(stage_x.min * p.zoom + p.offset.x, 150.0 * p.zoom));
        assert!(stage_x.max * p.zoom + p.offset.x <= 1000.0 + 0.01);
        assert!(close(p.offset.y, FIT_MARGIN), "taller than the canvas: top");
    }

    /// The canvas of a 1366x768 window with both panels open: the
    /// palette, the inspector at its default width, the menu and status
    /// bars (about 24 points each).
    fn laptop_canvas() -> egui::Vec2 {
        use crate::ui::app::{PALETTE_WIDTH, inspector_default_width};
        let width = 1366.0 - PALETTE_WIDTH;
        vec2(width - inspector_default_width(width), 768.0 - 2.0 * 24.0)
    }

    #[test]
    fn every_stage_of_the_examples_zooms_to_readable_titles_on_a_laptop() {
        let theme = crate::view::theme::Theme::default();
        let title = theme.title_font(1.0).size;
        let canvas = laptop_canvas();
        for name in ["grocery-checkout", "saas-trial"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("examples/{name}.journey.ron"));
            let journey = crate::io::load(&path).unwrap();
            let layout = crate::view::layout::Layout::new(&journey, &theme);
            let label = layout.label_x.span();
            for (stage_box, how) in layout
                .stages
                .iter()
                .flat_map(|s| [(s, StageFit::Width), (s, StageFit::Whole)])
            {
                let p = stage(stage_box.x, label, layout.size.y, canvas, how);
                let px = text_px(title, p.zoom);
                let index = stage_box.index;
                assert!(px >= 11.0, "{name}: stage {index} {how:?} at {px:.1} px");
                // It fits beside the labels unless that would make it unreadable.
                let right = stage_box.x.max * p.zoom + p.offset.x;
                assert!(p.zoom <= STAGE_MIN_ZOOM + 1e-4 || right <= canvas.x + 0.01);
            }
        }
    }

    #[test]
    fn a_whole_stage_shows_every_lane_when_that_stays_readable() {
        let stage_x = Rangef::new(150.0, 150.0 + 3.0 * 176.0);
        let canvas = vec2(1920.0, 1080.0);
        let p = stage(stage_x, 150.0, 900.0, canvas, StageFit::Whole);
        assert!(close(p.zoom, (1080.0 - 2.0 * FIT_MARGIN) / 900.0), "{p:?}");
        assert!(
            900.0 * p.zoom + p.offset.y <= 1080.0 + 0.01,
            "the bottom lane in view"
        );
        let width = stage(stage_x, 150.0, 900.0, canvas, StageFit::Width);
        assert!(width.zoom > p.zoom, "filling the width cuts lanes off");
    }

    #[test]
    fn a_wide_stage_stays_readable_and_a_narrow_one_is_not_blown_up() {
        let wide = Rangef::new(150.0, 150.0 + 12.0 * 176.0);
        let p = stage(wide, 150.0, 900.0, vec2(1000.0, 600.0), StageFit::Width);
        assert!(close(p.zoom, STAGE_MIN_ZOOM));
        assert!(text_px(14.5, p.zoom) >= 12.0 - 0.01);
        let narrow = Rangef::new(150.0, 326.0);
        let p = stage(narrow, 150.0, 100.0, vec2(3000.0, 600.0), StageFit::Whole);
        assert!(close(p.zoom, STAGE_MAX_ZOOM));
        // A short map is centred in height.
        assert!(close(p.offset.y, (600.0 - 100.0 * p.zoom) / 2.0));
    }
}
