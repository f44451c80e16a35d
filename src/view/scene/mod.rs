//! The map as shapes: the only drawing code for the map. The canvas paints
//! these shapes (and adds only its interaction chrome on top); PNG and SVG
//! export paint exactly the same shapes.
//!
//! Geometry is in map units, mapped to output points through one transform;
//! text is laid out at its output size, so it stays crisp at every zoom and
//! export scale. Only what reaches into the clip is built, and building a
//! part of the map gives the same shapes as that part of the whole map.
//! Each file draws one part: `grid` (paper, stripes, grid lines), `cards`,
//! `curve`, `pains`, `headers` (pinned headers, lane labels, corner),
//! `frame` (an export's header and legend), `bands` (goals, KPIs, resource
//! totals, cards' plan lines), `personas` (the persona strip), `evidence`
//! (badges and the assumption filter), `avatar` (a persona's photo or
//! initials), `workshop` (votes' dots, reveal, spotlight), `diff` (the
//! visual diff overlay), `states` (the marks of the current and future
//! states and the bands of participants' scores); `painter` has the
//! primitives.

mod avatar;
mod bands;
mod cards;
mod curve;
mod diff;
pub mod evidence;
mod frame;
mod grid;
mod headers;
mod pains;
mod painter;
mod personas;
pub mod states;
pub mod workshop;

use egui::emath::TSTransform;
use egui::epaint::text::FontsView;
use egui::{Pos2, Rect, Shape, Vec2};

use crate::model::{Card, Journey, SpreadKind};
use crate::view::frame::ExportFrame;
use crate::view::layout::Layout;
use crate::view::theme::Theme;

pub use avatar::avatar_shapes;
pub use bands::{OFF_TARGET, ON_TARGET, OVERDUE};
pub use cards::CardLook;
pub use curve::smooth_curve;
pub use diff::{DiffMark, DiffOverlay};
pub use evidence::AssumptionFilter;
pub use workshop::WorkshopScene;

/// Text smaller than this many screen points is not drawn: it would be
/// unreadable and would fill the font atlas with useless glyph sizes.
const MIN_TEXT_SIZE: f32 = 3.5;

/// Labels shrunk to fit their column stop at this many output points.
const MIN_LABEL_SIZE: f32 = 7.5;

/// How far (map units) outside the view a curve point's or pain marker's
/// centre can be and still show part of it.
const MARKER_REACH: f32 = 20.0;

/// How to draw a scene.
#[derive(Clone, Copy, Debug)]
pub struct SceneOptions<'a> {
    /// Maps map units to output points (pan and zoom, or export scale).
    pub map_to_screen: TSTransform,
    /// Output area that is visible; shapes wholly outside it are skipped.
    pub clip: Rect,
    /// Shift in map units applied to the label column (x) and the header rows
    /// (y), so they stay in view while the map is panned. Zero for export.
    pub pin: Vec2,
    /// Text is drawn at least this large (output points) when zoomed out;
    /// zero draws text at exactly its scaled size (export).
    pub min_text_size: f32,
    /// Whether the corner above the lane labels names the map and its
    /// personas. An export with a header names them in full above the map,
    /// and a cut-off copy in the corner only looked like a mistake.
    pub corner_text: bool,
    /// Which cards the assumption filter fades or outlines.
    pub assumptions: AssumptionFilter,
    /// How the bands around sampled curve points spread. (The state shown
    /// is in the journey handed to [`build`], projected by
    /// [`crate::view::states::StateView::project`].)
    pub spread: SpreadKind,
    /// What changed since another version of the map, drawn over it.
    pub diff: Option<&'a DiffOverlay>,
    /// Workshop mode's reveal, spotlight and dots (default: none).
    pub workshop: WorkshopScene,
}

impl SceneOptions<'_> {
    /// Options that draw the whole map at `scale` with no pinning.
    pub fn whole(layout: &Layout, scale: f32) -> Self {
        Self {
            map_to_screen: TSTransform::from_scaling(scale),
            clip: Rect::from_min_size(Pos2::ZERO, layout.size * scale),
            pin: Vec2::ZERO,
            min_text_size: 0.0,
            corner_text: true,
            assumptions: AssumptionFilter::Off,
            spread: SpreadKind::Range,
            diff: None,
            workshop: WorkshopScene::default(),
        }
    }
}

/// Builds the shapes of the map.
pub fn build(
    journey: &Journey,
    layout: &Layout,
    theme: &Theme,
    fonts: &mut FontsView<'_>,
    options: &SceneOptions,
) -> Vec<Shape> {
    let mut painter = ScenePainter::new(
        fonts,
        options.map_to_screen,
        options.clip,
        options.min_text_size,
    );
    let visible = options.map_to_screen.inverse() * options.clip;
    painter.background(layout, theme, visible);
    painter.stripes(layout, theme, visible);
    painter.emotion_background(layout, theme, visible);
    painter.grid_lines(layout, theme, visible);
    painter.emotion_guides(layout, theme, visible);
    painter.bands(layout, theme, visible);
    painter.persona_strip(journey, layout, theme, visible);
    painter.resource_totals(layout, theme, visible);
    painter.cards(journey, layout, theme, visible, options.assumptions);
    painter.card_facts(journey, layout, theme, (visible, options.assumptions));
    painter.card_states(journey, layout, theme, visible);
    painter.pain_notes(journey, layout, theme, visible);
    painter.spread_bands(journey, layout, theme, (visible, options.spread));
    let curve_texts = painter.shapes.len();
    painter.curves(layout, theme, visible);
    painter.changes(journey, layout, theme, (visible, curve_texts));
    if let Some(diff) = options.diff {
        painter.diff_overlay(journey, diff, layout, theme, visible);
    }
    painter.pain_markers(journey, layout, theme, visible, None);
    painter.headers(journey, layout, theme, visible, options.pin.y);
    // Markers on steps sit in the (pinned) step header, so they go after it.
    painter.pain_markers(journey, layout, theme, visible, Some(options.pin.y));
    painter.solved_pains(journey, layout, theme, (visible, options.pin.y));
    if let Some(diff) = options.diff {
        painter.diff_marks(diff, layout, theme, (visible, options.pin.y));
    }
    painter.band_labels(layout, theme, visible, options.pin.x);
    painter.lane_labels(journey, layout, theme, visible, options);
    painter.pain_row_label(layout, theme, visible, options.pin.x);
    painter.workshop(journey, layout, visible, &options.workshop);
    painter.shapes
}

/// Builds the shapes of an exported picture: the map placed in `frame`, with
/// the frame's header and legend. Coordinates are output points; `clip` is
/// the part being drawn (a band). `date` is shown in the header.
pub fn build_export(
    journey: &Journey,
    layout: &Layout,
    frame: &ExportFrame,
    theme: &Theme,
    fonts: &mut FontsView<'_>,
    clip: Rect,
    date: Option<&str>,
) -> Vec<Shape> {
    let over = (None, SpreadKind::Range);
    build_export_with(journey, layout, frame, theme, fonts, (clip, date), over)
}

/// [`build_export`] with `diff` drawn over the map (`waymark diff -o`) and
/// the bands of participants' scores spread as `spread`.
pub fn build_export_with(
    journey: &Journey,
    layout: &Layout,
    frame: &ExportFrame,
    theme: &Theme,
    fonts: &mut FontsView<'_>,
    (clip, date): (Rect, Option<&str>),
    (diff, spread): (Option<&DiffOverlay>, SpreadKind),
) -> Vec<Shape> {
    let map_options = SceneOptions {
        map_to_screen: TSTransform::from_translation(frame.map_offset),
        clip,
        pin: Vec2::ZERO,
        min_text_size: 0.0,
        corner_text: frame.header.is_none(),
        assumptions: AssumptionFilter::Off,
        spread,
        diff,
        workshop: WorkshopScene::default(),
    };
    build_framed(journey, layout, frame, theme, fonts, &map_options, date)
}

/// [`build_export`] through any transform: the map drawn with `options`,
/// the frame's header and legend placed around it (presentation mode
/// zooms and pans the whole picture).
pub fn build_framed(
    journey: &Journey,
    layout: &Layout,
    frame: &ExportFrame,
    theme: &Theme,
    fonts: &mut FontsView<'_>,
    options: &SceneOptions,
    date: Option<&str>,
) -> Vec<Shape> {
    let mut shapes = build(journey, layout, theme, fonts, options);
    let clip = options.clip;
    let to_screen = options.map_to_screen * TSTransform::from_translation(-frame.map_offset);
    let visible = to_screen.inverse() * clip;
    // The header and legend are laid out for their measured text: drawn
    // larger than scaled, their entries would run into each other.
    let mut painter = ScenePainter::new(fonts, to_screen, clip, 0.0);
    if let Some(rect) = frame.header {
        painter.header(journey, rect, theme, date);
    }
    for (entry, rect) in &frame.legend {
        if rect.intersects(visible) {
            painter.legend_entry(journey, *entry, *rect, theme);
        }
    }
    shapes.append(&mut painter.shapes);
    shapes
}

/// Shapes of one card drawn at `rect` (map units), for drag previews.
pub fn card_shapes(
    card: &Card,
    look: CardLook,
    rect: Rect,
    theme: &Theme,
    fonts: &mut FontsView<'_>,
    map_to_screen: TSTransform,
) -> Vec<Shape> {
    let mut painter = ScenePainter::new(fonts, map_to_screen, Rect::EVERYTHING, 0.0);
    painter.card(card, look, rect, theme);
    painter.shapes
}

/// A range moved by `by`.
fn shift(range: egui::Rangef, by: f32) -> egui::Rangef {
    egui::Rangef::new(range.min + by, range.max + by)
}

/// Collects the shapes of a scene drawn through one transform.
struct ScenePainter<'a, 'f> {
    shapes: Vec<Shape>,
    /// Map units to output points.
    to_screen: TSTransform,
    /// Output area; shapes wholly outside it are skipped.
    clip: Rect,
    /// Smallest text size drawn, in output points (see [`SceneOptions`]).
    min_text: f32,
    fonts: &'a mut FontsView<'f>,
}

impl<'a, 'f> ScenePainter<'a, 'f> {
    fn new(
        fonts: &'a mut FontsView<'f>,
        to_screen: TSTransform,
        clip: Rect,
        min_text: f32,
    ) -> Self {
        Self {
            shapes: Vec::new(),
            to_screen,
            clip,
            min_text,
            fonts,
        }
    }
}

/// Helpers the scene's tests share.
#[cfg(test)]
pub(crate) mod test_support {
    use egui::{Rect, Shape};

    use super::{SceneOptions, build};
    use crate::model::Journey;
    use crate::view::layout::Layout;
    use crate::view::theme::Theme;

    /// The journey's whole map as the canvas draws it at zoom 1: the theme,
    /// the layout and the shapes.
    pub(crate) fn whole_scene(journey: &Journey) -> (Theme, Layout, Vec<Shape>) {
        let theme = Theme::default();
        let layout = Layout::new(journey, &theme);
        let mut headless = crate::export::Headless::new(1.0);
        let shapes = headless.shapes(1.0, |fonts| {
            build(
                journey,
                &layout,
                &theme,
                fonts,
                &SceneOptions::whole(&layout, 1.0),
            )
        });
        (theme, layout, shapes)
    }

    /// The journey's steps, left to right.
    pub(crate) fn step_ids(journey: &Journey) -> Vec<crate::model::StepId> {
        journey
            .stages
            .iter()
            .flat_map(|s| &s.steps)
            .map(|s| s.id)
            .collect()
    }

    /// The vertical centre of the text shape that reads `text`.
    pub(crate) fn label_y(shapes: &[Shape], text: &str) -> f32 {
        shapes
            .iter()
            .find_map(|shape| match shape {
                Shape::Text(t) if t.galley.text() == text => {
                    Some(t.visual_bounding_rect().center().y)
                }
                _ => None,
            })
            .unwrap_or_else(|| panic!("no label {text:?}"))
    }

    /// The screen rect of the text shape whose text starts with `start`.
    pub(crate) fn text_rect(shapes: &[Shape], start: &str) -> Rect {
        shapes
            .iter()
            .find_map(|shape| match shape {
                Shape::Text(t) if t.galley.text().starts_with(start) => {
                    Some(t.visual_bounding_rect())
                }
                _ => None,
            })
            .unwrap_or_else(|| panic!("no text starting {start:?}"))
    }
}
