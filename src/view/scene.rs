//! The map as shapes: the only drawing code for the map. The canvas paints
//! these shapes (and adds selection and drag chrome on top); export paints
//! exactly the same shapes.
//!
//! Geometry is computed in map units and mapped through one transform, and
//! text is laid out at the transformed size, so text stays crisp at every zoom
//! level and export scale.

use std::sync::Arc;

use egui::emath::TSTransform;
use egui::epaint::text::{FontsView, LayoutJob, TextFormat, TextWrapping};
use egui::epaint::{CircleShape, CornerRadius, PathShape, RectShape, StrokeKind};
use egui::{Align2, Color32, FontId, Galley, Pos2, Rangef, Rect, Shape, Stroke, Vec2, pos2, vec2};

use crate::model::{Card, Journey, LaneKind, PainPoint, StepId, severity_label};
use crate::view::layout::{ExportFrame, Layout, LegendEntry};
use crate::view::theme::{Theme, channel_color};

/// Text smaller than this many screen points is not drawn: it would be
/// unreadable and would fill the font atlas with useless glyph sizes.
const MIN_TEXT_SIZE: f32 = 3.5;

/// Labels shrunk to fit their column stop at this many output points.
const MIN_LABEL_SIZE: f32 = 7.5;

/// How far (map units) outside the view a curve point's or pain marker's
/// centre can be and still show part of it.
const MARKER_REACH: f32 = 20.0;

/// Width of an emotion curve's line, in map units.
const CURVE_WIDTH: f32 = 3.0;

/// Samples of the smoothed curve between two steps' points.
const CURVE_SAMPLES: usize = 12;

/// How to draw a scene.
#[derive(Clone, Copy, Debug)]
pub struct SceneOptions {
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
}

impl SceneOptions {
    /// Options that draw the whole map at `scale` with no pinning.
    pub fn whole(layout: &Layout, scale: f32) -> Self {
        Self {
            map_to_screen: TSTransform::from_scaling(scale),
            clip: Rect::from_min_size(Pos2::ZERO, layout.size * scale),
            pin: Vec2::ZERO,
            min_text_size: 0.0,
            corner_text: true,
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
    let mut painter = ScenePainter {
        shapes: Vec::new(),
        to_screen: options.map_to_screen,
        clip: options.clip,
        min_text: options.min_text_size,
        fonts,
    };
    let visible = options.map_to_screen.inverse() * options.clip;
    painter.background(layout, theme, visible);
    painter.grid(layout, theme, visible);
    painter.emotion_guides(layout, theme, visible);
    for (card_box, card) in layout
        .cards_in_view(visible)
        .filter_map(|b| layout.card_of(journey, b).map(|c| (b, c)))
    {
        let kind = journey.lane(card.lane).map_or(LaneKind::Notes, |l| l.kind);
        painter.card(card, kind, card_box.rect, theme);
    }
    painter.curves(layout, theme, visible);
    // Markers on steps sit in the (pinned) step header, so they go after it.
    let on_step = |p: &crate::model::PainPoint| matches!(p.anchor, crate::model::Anchor::Step(_));
    let markers_x = visible.x_range().expand(MARKER_REACH + 1.0);
    for marker in layout.pains_in(markers_x) {
        if let Some(pain) = layout.pain_of(journey, marker).filter(|p| !on_step(p)) {
            painter.pain_marker(pain, marker.center, theme);
        }
    }
    painter.headers(journey, layout, theme, visible, options.pin.y);
    for marker in layout.pains_in(markers_x) {
        if let Some(pain) = layout.pain_of(journey, marker).filter(|p| on_step(p)) {
            painter.pain_marker(pain, marker.center + vec2(0.0, options.pin.y), theme);
        }
    }
    painter.lane_labels(journey, layout, theme, visible, options);
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
    let map_options = SceneOptions {
        map_to_screen: TSTransform::from_translation(frame.map_offset),
        clip,
        pin: Vec2::ZERO,
        min_text_size: 0.0,
        corner_text: frame.header.is_none(),
    };
    let mut shapes = build(journey, layout, theme, fonts, &map_options);
    let mut painter = ScenePainter {
        shapes: Vec::new(),
        to_screen: TSTransform::IDENTITY,
        clip,
        min_text: 0.0,
        fonts,
    };
    if let Some(rect) = frame.header {
        painter.header(journey, rect, theme, date);
    }
    for (entry, rect) in &frame.legend {
        if rect.intersects(clip) {
            painter.legend_entry(journey, *entry, *rect, theme);
        }
    }
    shapes.append(&mut painter.shapes);
    shapes
}

/// Shapes of one card drawn at `rect` (map units), for drag previews.
pub fn card_shapes(
    card: &Card,
    lane: LaneKind,
    rect: Rect,
    theme: &Theme,
    fonts: &mut FontsView<'_>,
    map_to_screen: TSTransform,
) -> Vec<Shape> {
    let mut painter = ScenePainter {
        shapes: Vec::new(),
        to_screen: map_to_screen,
        clip: Rect::EVERYTHING,
        min_text: 0.0,
        fonts,
    };
    painter.card(card, lane, rect, theme);
    painter.shapes
}

/// Catmull-Rom spline through the points, sampled into a polyline so the
/// curve is smooth between steps and still passes through every point.
pub fn smooth_curve(points: &[Pos2], samples_per_segment: usize) -> Vec<Pos2> {
    smooth_curve_between(
        points,
        samples_per_segment,
        0,
        points.len().saturating_sub(1),
    )
}

/// The part of [`smooth_curve`] from point `first` to point `last`: the
/// same samples, bit for bit, as the whole curve has there, since the
/// spline at each segment is computed from the same neighbours.
fn smooth_curve_between(
    points: &[Pos2],
    samples_per_segment: usize,
    first: usize,
    last: usize,
) -> Vec<Pos2> {
    let last = last.min(points.len().saturating_sub(1));
    let first = first.min(last);
    if points.len() < 3 {
        return points.get(first..=last).unwrap_or_default().to_vec();
    }
    let n = samples_per_segment.max(1);
    let mut out = Vec::with_capacity((last - first) * n + 1);
    let at = |i: isize| -> Pos2 {
        let last = points.len() as isize - 1;
        points
            .get(i.clamp(0, last) as usize)
            .copied()
            .unwrap_or_default()
    };
    for i in first as isize..last as isize {
        let (p0, p1, p2, p3) = (at(i - 1), at(i), at(i + 1), at(i + 2));
        for s in 0..n {
            let t = s as f32 / n as f32;
            let t2 = t * t;
            let t3 = t2 * t;
            let c = |a: f32, b: f32, c: f32, d: f32| {
                0.5 * ((2.0 * b)
                    + (-a + c) * t
                    + (2.0 * a - 5.0 * b + 4.0 * c - d) * t2
                    + (-a + 3.0 * b - 3.0 * c + d) * t3)
            };
            // Clamp y between the segment's ends so the curve never overshoots
            // the score range or suggests a dip that is not in the data.
            let y = c(p0.y, p1.y, p2.y, p3.y).clamp(p1.y.min(p2.y), p1.y.max(p2.y));
            out.push(pos2(c(p0.x, p1.x, p2.x, p3.x), y));
        }
    }
    out.push(at(last as isize));
    out
}

/// The part of a curve's smoothed line (points in map units, left to
/// right) that can show within `x`: the segments that cross it and one
/// more on each side, so the line's cut ends, where its stroke differs
/// from the whole curve's, lie a segment outside. Only the points the
/// spline of those segments reads are touched.
fn visible_line(points: &[(StepId, Pos2)], x: Rangef) -> Vec<Pos2> {
    let last_point = points.len().saturating_sub(1);
    let first = points
        .partition_point(|(_, p)| p.x < x.min)
        .saturating_sub(2)
        .min(last_point);
    let last = (points.partition_point(|(_, p)| p.x <= x.max) + 1).min(last_point);
    // The spline of a segment reads one point before it and two after.
    let start = first.saturating_sub(1);
    let end = (last + 2).min(last_point);
    let window: Vec<Pos2> = points
        .get(start..=end)
        .unwrap_or_default()
        .iter()
        .map(|(_, p)| *p)
        .collect();
    smooth_curve_between(&window, CURVE_SAMPLES, first - start, last - start)
}

/// Formats a score as shown on the map: "+1.5", "0", "-2".
pub fn format_score(score: f32) -> String {
    let rounded = (score * 10.0).round() / 10.0;
    if rounded.abs() < 0.05 {
        "0".to_owned()
    } else if rounded > 0.0 {
        format!("+{rounded}")
    } else {
        format!("{rounded}")
    }
}

fn shift(range: egui::Rangef, by: f32) -> egui::Rangef {
    egui::Rangef::new(range.min + by, range.max + by)
}

struct ScenePainter<'a, 'f> {
    shapes: Vec<Shape>,
    to_screen: TSTransform,
    clip: Rect,
    min_text: f32,
    fonts: &'a mut FontsView<'f>,
}

impl ScenePainter<'_, '_> {
    fn scale(&self) -> f32 {
        self.to_screen.scaling
    }

    fn rect(&mut self, rect: Rect, radius: f32, fill: Color32, stroke: Stroke) {
        let corners = CornerRadius::same(self.corner(radius));
        self.rect_with_corners(rect, corners, fill, stroke);
    }

    /// A corner radius in map units as epaint wants it: output points, whole.
    fn corner(&self, radius: f32) -> u8 {
        (radius * self.scale()).round().clamp(0.0, 255.0) as u8
    }

    /// [`Self::rect`] with each corner's radius given (output points).
    fn rect_with_corners(
        &mut self,
        rect: Rect,
        corners: CornerRadius,
        fill: Color32,
        stroke: Stroke,
    ) {
        let rect = self.to_screen * rect;
        if !rect.intersects(self.clip) {
            return;
        }
        let stroke = Stroke::new(stroke.width * self.scale(), stroke.color);
        self.shapes.push(Shape::Rect(RectShape::new(
            rect,
            corners,
            fill,
            stroke,
            StrokeKind::Inside,
        )));
    }

    /// A soft shadow 1.5 points below a card with corners of `radius`. Only
    /// its bottom shows below the opaque card, so only the bottom is drawn:
    /// a shadow the size of the card blended every pixel under it, a third
    /// of the blending in a whole-map export.
    fn card_shadow(&mut self, card: Rect, radius: f32) {
        const DROP: f32 = 1.5;
        let bottom = card.max.y + DROP;
        // Tall enough for the rounded corners and the feathered top edge,
        // which must stay hidden under the card.
        let top = (bottom - radius - DROP - 2.0).max(card.min.y + DROP);
        let r = self.corner(radius);
        let corners = CornerRadius {
            nw: 0,
            ne: 0,
            sw: r,
            se: r,
        };
        let shadow = Rect::from_x_y_ranges(card.x_range(), top..=bottom);
        self.rect_with_corners(shadow, corners, Color32::from_black_alpha(18), Stroke::NONE);
    }

    fn line(&mut self, a: Pos2, b: Pos2, stroke: Stroke) {
        let stroke = Stroke::new(stroke.width * self.scale(), stroke.color);
        self.shapes.push(Shape::line_segment(
            [self.to_screen * a, self.to_screen * b],
            stroke,
        ));
    }

    /// The output size of text set in `font` (map units): scaled, at least
    /// the minimum legible size, in half points so zooming reuses glyphs.
    fn text_px(&self, font: &FontId) -> f32 {
        ((font.size * self.scale()).max(self.min_text) * 2.0).round() / 2.0
    }

    /// Lays out text at `px` output points wrapped to `width` map units.
    fn galley(
        &mut self,
        text: &str,
        px: f32,
        font: &FontId,
        color: Color32,
        width: f32,
        rows: usize,
    ) -> Option<Arc<Galley>> {
        if px < MIN_TEXT_SIZE || text.is_empty() {
            return None;
        }
        let mut job = LayoutJob::single_section(
            text.to_owned(),
            TextFormat::simple(FontId::new(px, font.family.clone()), color),
        );
        job.wrap = TextWrapping {
            max_width: (width * self.scale()).max(1.0),
            max_rows: rows,
            break_anywhere: rows == 1,
            overflow_character: Some('…'),
        };
        Some(self.fonts.layout_job(job))
    }

    /// Draws text anchored at a map position.
    #[expect(clippy::too_many_arguments)]
    fn text(
        &mut self,
        pos: Pos2,
        anchor: Align2,
        text: &str,
        font: &FontId,
        color: Color32,
        width: f32,
        rows: usize,
    ) {
        let px = self.text_px(font);
        self.text_at_px(pos, anchor, text, px, font, color, width, rows);
    }

    /// Like [`Self::text`], but shrinks the text until its longest word fits
    /// the width, so a label like "Opportunities" never breaks mid-word.
    #[expect(clippy::too_many_arguments)]
    fn text_fitting_words(
        &mut self,
        pos: Pos2,
        anchor: Align2,
        text: &str,
        font: &FontId,
        color: Color32,
        width: f32,
        rows: usize,
    ) {
        let mut px = self.text_px(font);
        let widest = text
            .split_whitespace()
            .map(|word| {
                self.fonts
                    .layout_no_wrap(word.to_owned(), FontId::new(px, font.family.clone()), color)
                    .size()
                    .x
            })
            .fold(0.0f32, f32::max);
        let room = width * self.scale();
        if widest > room && widest > 0.0 {
            // Never below a size a projector audience can still read.
            px = ((px * room / widest * 2.0).floor() / 2.0).max(MIN_LABEL_SIZE.min(px));
        }
        self.text_at_px(pos, anchor, text, px, font, color, width, rows);
    }

    #[expect(clippy::too_many_arguments)]
    fn text_at_px(
        &mut self,
        pos: Pos2,
        anchor: Align2,
        text: &str,
        px: f32,
        font: &FontId,
        color: Color32,
        width: f32,
        rows: usize,
    ) {
        if let Some(galley) = self.galley(text, px, font, color, width, rows) {
            self.place(galley, pos, anchor, color);
        }
    }

    /// Draws laid-out text anchored at a map position, if it can be seen.
    fn place(&mut self, galley: Arc<Galley>, pos: Pos2, anchor: Align2, color: Color32) {
        let rect = anchor.anchor_size(self.to_screen * pos, galley.size());
        if rect.intersects(self.clip) {
            self.shapes
                .push(Shape::galley(rect.min.round(), galley, color));
        }
    }

    /// The map's paper, except under the lane stripes [`Self::grid`] paints
    /// over it: in an export those are a fifth of the pixels, each painted
    /// twice. The pieces and the stripes meet at the same coordinates,
    /// which epaint rounds to the same pixel edges, so no seam shows.
    fn background(&mut self, layout: &Layout, theme: &Theme, visible: Rect) {
        let map = layout.map_rect();
        let grid_x = Self::grid_x(layout);
        let labels = Rect::from_x_y_ranges(map.min.x..=grid_x.min, map.y_range());
        let mut pieces = vec![labels];
        let mut top = map.min.y;
        for stripe in Self::striped_lanes(layout) {
            pieces.push(Rect::from_x_y_ranges(grid_x, top..=stripe.min));
            top = top.max(stripe.max);
        }
        pieces.push(Rect::from_x_y_ranges(grid_x, top..=map.max.y));
        for piece in pieces {
            let piece = piece.intersect(visible.expand(2.0));
            if piece.is_positive() {
                self.rect(piece, 0.0, theme.background, Stroke::NONE);
            }
        }
    }

    /// Where the grid and the lane stripes run: right of the lane labels.
    fn grid_x(layout: &Layout) -> egui::Rangef {
        egui::Rangef::new(layout.label_x.max, layout.size.x)
    }

    /// The lanes painted with a stripe: every other one, top to bottom.
    fn striped_lanes(layout: &Layout) -> impl Iterator<Item = egui::Rangef> + '_ {
        layout.lanes.iter().skip(1).step_by(2).map(|lane| lane.y)
    }

    fn grid(&mut self, layout: &Layout, theme: &Theme, visible: Rect) {
        let lanes_y = layout.lanes_y();
        let grid_x = Self::grid_x(layout);
        for stripe in Self::striped_lanes(layout) {
            if stripe.intersects(visible.y_range()) {
                let rect = Rect::from_x_y_ranges(grid_x, stripe);
                self.rect(
                    rect.intersect(visible.expand(2.0)),
                    0.0,
                    theme.lane_stripe,
                    Stroke::NONE,
                );
            }
        }
        let thin = Stroke::new(1.0, theme.grid);
        let thick = Stroke::new(2.0, theme.grid.gamma_multiply(0.85));
        let y0 = lanes_y.min.max(visible.min.y - 2.0);
        let y1 = lanes_y.max.min(visible.max.y + 2.0);
        let mut previous_stage = None;
        for column in layout.columns_in(visible.x_range()) {
            let stroke = if previous_stage.is_some_and(|s| s != column.stage) {
                thick
            } else {
                thin
            };
            previous_stage = Some(column.stage);
            self.line(pos2(column.x.min, y0), pos2(column.x.min, y1), stroke);
        }
        let x0 = grid_x.min.max(visible.min.x - 2.0);
        let x1 = grid_x.max.min(visible.max.x + 2.0);
        for lane in &layout.lanes {
            if visible.y_range().contains(lane.y.max) {
                self.line(pos2(x0, lane.y.max), pos2(x1, lane.y.max), thin);
            }
        }
    }

    fn emotion_guides(&mut self, layout: &Layout, theme: &Theme, visible: Rect) {
        let Some(plot) = layout.emotion_plot else {
            return;
        };
        if !plot.intersects(visible.y_range()) {
            return;
        }
        let x0 = layout.label_x.max.max(visible.min.x - 2.0);
        let x1 = layout.size.x.min(visible.max.x + 2.0);
        for score in [-2.0f32, -1.0, 0.0, 1.0, 2.0] {
            let Some(y) = layout.score_y(score) else {
                continue;
            };
            let color = if score == 0.0 {
                theme.grid
            } else {
                theme.grid.gamma_multiply(0.55)
            };
            self.line(pos2(x0, y), pos2(x1, y), Stroke::new(1.0, color));
        }
    }

    fn card(&mut self, card: &Card, lane: LaneKind, rect: Rect, theme: &Theme) {
        if !(self.to_screen * rect).intersects(self.clip) {
            return;
        }
        let accent = theme.card_accent(card.channel, lane);
        let height_px = rect.height() * self.scale();
        // Far out, a card is a coloured block: no shadow, no text that could
        // not be read anyway (and would cost a layout per card per frame).
        let tiny = height_px < self.min_text.max(MIN_TEXT_SIZE) * 1.3;
        if tiny {
            self.rect(
                rect,
                2.0,
                theme.card_fill,
                Stroke::new(1.0, theme.card_border),
            );
            let strip = Rect::from_min_size(rect.min, vec2(5.0, rect.height()));
            self.rect(strip, 0.0, accent, Stroke::NONE);
            return;
        }
        self.card_shadow(rect, 6.0);
        // The border as a fill under the card's fill looks the same as an
        // inside stroke, in a third fewer triangles: a stroke's feathered
        // band costs twice a fill's.
        self.rect(rect, 6.0, theme.card_border, Stroke::NONE);
        self.rect(rect.shrink(1.0), 5.0, theme.card_fill, Stroke::NONE);
        let strip = Rect::from_min_size(rect.min, vec2(5.0, rect.height()));
        self.rect(strip.shrink2(vec2(0.0, 0.5)), 2.5, accent, Stroke::NONE);
        let left = rect.min.x + 13.0;
        let width = rect.max.x - 8.0 - left;
        let title = if card.title.is_empty() {
            "Untitled"
        } else {
            &card.title
        };
        let font = theme.title_font(1.0);
        let natural = font.size * self.scale();
        let drawn = natural.max(self.min_text);
        // Zoomed out, text is enlarged for legibility: the title then gets the
        // whole card, with as many rows as fit.
        let enlarged = drawn > natural * 1.05;
        let rows = if enlarged {
            ((rect.height() * self.scale() - 2.0) / (drawn * 1.15))
                .floor()
                .clamp(1.0, 3.0) as usize
        } else {
            2
        };
        let top = if enlarged { 1.0 / self.scale() } else { 5.0 };
        self.text(
            pos2(left, rect.min.y + top),
            Align2::LEFT_TOP,
            title,
            &font,
            theme.text,
            width,
            rows,
        );
        if enlarged {
            return;
        }
        let first_note = card.notes.lines().next().unwrap_or_default();
        let footer = match card.channel {
            Some(channel) if first_note.is_empty() => channel.label().to_owned(),
            Some(channel) => format!("{} · {first_note}", channel.label()),
            None => first_note.to_owned(),
        };
        let color = card.channel.map_or(theme.text_muted, channel_color);
        self.text(
            pos2(left, rect.max.y - 5.0),
            Align2::LEFT_BOTTOM,
            &footer,
            &theme.small_font(1.0),
            color,
            width,
            1,
        );
    }

    fn curves(&mut self, layout: &Layout, theme: &Theme, visible: Rect) {
        // Points, their score labels and pain markers reach this far out of
        // the plot; bands of an export that miss all that skip the curves.
        let reach = theme.curve_point_radius + theme.pain_radius * 2.0 + 24.0;
        if layout
            .emotion_plot
            .is_none_or(|plot| !plot.expand(reach).intersects(visible.y_range()))
        {
            return;
        }
        // Where curves share a step, the upper point's score goes above it
        // and the others' below theirs, so the labels never meet between
        // two close points. A lone point's score goes below.
        let topmost = |me: usize, step: StepId, Pos2 { x, y }: Pos2| {
            layout
                .curves
                .iter()
                .enumerate()
                .filter(|(other, _)| *other != me)
                .filter_map(|(other, c)| c.point_at(step, x).map(|p| (other, p.y)))
                .fold(None, |shared: Option<bool>, (other, other_y)| {
                    let above = (y, me) < (other_y, other);
                    Some(shared.unwrap_or(true) && above)
                })
                .unwrap_or(false)
        };
        // Room for the stroke and its feathering, in map units.
        let margin = CURVE_WIDTH + 2.0 / self.scale();
        let visible_x = visible.x_range().expand(margin);
        let markers_x = visible.x_range().expand(MARKER_REACH + 1.0);
        for (me, curve) in layout.curves.iter().enumerate() {
            let color = theme.persona_color(curve.index);
            // Only the part in view is stroked: the whole curve of a long
            // map is tens of thousands of points, all tessellated per frame.
            let screen: Vec<Pos2> = visible_line(&curve.points, visible_x)
                .into_iter()
                .map(|p| self.to_screen * p)
                .collect();
            if screen.len() >= 2 {
                self.shapes.push(Shape::Path(PathShape::line(
                    screen,
                    Stroke::new(CURVE_WIDTH * self.scale(), color),
                )));
            }
            for (step, point) in curve.points_in(markers_x) {
                let center = self.to_screen * *point;
                if !self
                    .clip
                    .expand(MARKER_REACH * self.scale())
                    .contains(center)
                {
                    continue;
                }
                self.shapes.push(Shape::Circle(CircleShape {
                    center,
                    radius: theme.curve_point_radius * self.scale(),
                    fill: Color32::WHITE,
                    stroke: Stroke::new(2.5 * self.scale(), color),
                }));
                if let Some(score) = layout.score_at(point.y) {
                    let (offset, anchor) = if topmost(me, *step, *point) {
                        (-(theme.curve_point_radius + 3.0), Align2::CENTER_BOTTOM)
                    } else {
                        (theme.curve_point_radius + 3.0, Align2::CENTER_TOP)
                    };
                    self.text(
                        *point + vec2(0.0, offset),
                        anchor,
                        &format_score(score),
                        &theme.small_font(1.0),
                        color,
                        60.0,
                        1,
                    );
                }
            }
        }
    }

    fn pain_marker(&mut self, pain: &PainPoint, center: Pos2, theme: &Theme) {
        let screen_center = self.to_screen * center;
        if !self
            .clip
            .expand(MARKER_REACH * self.scale())
            .contains(screen_center)
        {
            return;
        }
        self.shapes.push(Shape::Circle(CircleShape {
            center: screen_center,
            radius: theme.pain_radius * self.scale(),
            fill: theme.pain_color(pain.severity),
            stroke: Stroke::new(1.5 * self.scale(), Color32::WHITE),
        }));
        self.text(
            center,
            Align2::CENTER_CENTER,
            &pain.severity.to_string(),
            &FontId::proportional(13.0),
            Color32::WHITE,
            40.0,
            1,
        );
    }

    fn headers(
        &mut self,
        journey: &Journey,
        layout: &Layout,
        theme: &Theme,
        visible: Rect,
        pin_y: f32,
    ) {
        let stage_y = shift(layout.stage_header, pin_y);
        let step_y = shift(layout.step_header, pin_y);
        // Export bands below the header rows skip them whole.
        if !egui::Rangef::new(stage_y.min, step_y.max).intersects(visible.y_range()) {
            return;
        }
        for stage_box in layout.stages_in(visible.x_range()) {
            let Some(stage) = journey.stage(stage_box.id) else {
                continue;
            };
            let rect = Rect::from_x_y_ranges(stage_box.x, stage_y);
            self.rect(rect, 0.0, theme.stage_color(stage_box.index), Stroke::NONE);
            self.line(
                rect.left_top(),
                rect.left_bottom(),
                Stroke::new(2.0, theme.background),
            );
            // Keep a wide stage's name in view while its start is scrolled off.
            let left = (rect.min.x + 12.0).max(visible.min.x + layout.label_x.span() + 12.0);
            let left = left.min(rect.max.x - 40.0).max(rect.min.x + 12.0);
            self.text(
                pos2(left, rect.center().y),
                Align2::LEFT_CENTER,
                &stage.name,
                &theme.stage_font(1.0),
                theme.text,
                rect.max.x - left - 8.0,
                1,
            );
        }
        for column in layout.columns_in(visible.x_range()) {
            let rect = Rect::from_x_y_ranges(column.x, step_y);
            self.rect(rect, 0.0, theme.step_header_fill, Stroke::NONE);
            self.line(
                rect.left_top(),
                rect.left_bottom(),
                Stroke::new(1.0, theme.grid),
            );
            self.line(
                rect.left_bottom(),
                rect.right_bottom(),
                Stroke::new(1.0, theme.grid),
            );
            let name = journey
                .step(column.step)
                .map(|(_, s)| s.name.as_str())
                .unwrap_or_default();
            self.step_name(name, column, rect, theme);
        }
    }

    /// A step's name, centred in its column unless that would run under
    /// the step's pain badges: then it moves left, and a name too long for
    /// the room left of them ends in an ellipsis.
    fn step_name(
        &mut self,
        name: &str,
        column: &crate::view::layout::Column,
        rect: Rect,
        theme: &Theme,
    ) {
        let font = theme.label_font(1.0);
        let px = self.text_px(&font);
        let room = column.label_x;
        let Some(galley) = self.galley(name, px, &font, theme.text_muted, room.span(), 1) else {
            return;
        };
        let width = galley.size().x / self.scale();
        let left = (rect.center().x - width / 2.0)
            .min(room.max - width)
            .max(room.min);
        self.place(
            galley,
            pos2(left, rect.center().y),
            Align2::LEFT_CENTER,
            theme.text_muted,
        );
    }

    /// The export header: title, then personas and date, then description.
    fn header(&mut self, journey: &Journey, rect: Rect, theme: &Theme, date: Option<&str>) {
        use crate::view::layout::{HEADER_ROW_HEIGHT, HEADER_TITLE_HEIGHT};
        if !rect.intersects(self.clip) {
            return;
        }
        let title = if journey.title.trim().is_empty() {
            "Untitled journey"
        } else {
            journey.title.as_str()
        };
        self.text(
            pos2(rect.min.x, rect.min.y + HEADER_TITLE_HEIGHT / 2.0),
            Align2::LEFT_CENTER,
            title,
            &FontId::proportional(26.0),
            theme.text,
            rect.width(),
            1,
        );
        let personas: Vec<&str> = journey.personas.iter().map(|p| p.name.as_str()).collect();
        let mut subtitle = match personas.len() {
            0 => String::new(),
            1 => format!("Persona: {}", personas.join("")),
            _ => format!("Personas: {}", personas.join("; ")),
        };
        if let Some(date) = date {
            if !subtitle.is_empty() {
                subtitle.push_str("   ·   ");
            }
            subtitle.push_str(date);
        }
        let row = |i: f32| rect.min.y + HEADER_TITLE_HEIGHT + HEADER_ROW_HEIGHT * (i + 0.5);
        self.text(
            pos2(rect.min.x, row(0.0)),
            Align2::LEFT_CENTER,
            &subtitle,
            &theme.label_font(1.0),
            theme.text_muted,
            rect.width(),
            1,
        );
        let description = journey.description.lines().next().unwrap_or_default();
        self.text(
            pos2(rect.min.x, row(1.0)),
            Align2::LEFT_CENTER,
            description.trim(),
            &theme.label_font(1.0),
            theme.text_muted,
            rect.width(),
            1,
        );
    }

    /// One legend entry: a swatch or marker, then its name, cut to the slot.
    fn legend_entry(&mut self, journey: &Journey, entry: LegendEntry, rect: Rect, theme: &Theme) {
        let mid = rect.center().y;
        let font = theme.small_font(1.0);
        let label_x = rect.min.x + 22.0;
        let label_width = rect.max.x - label_x - 8.0;
        match entry {
            LegendEntry::Heading(name) => self.text(
                pos2(rect.min.x, mid),
                Align2::LEFT_CENTER,
                name,
                &theme.label_font(1.0),
                theme.text,
                rect.width() - 8.0,
                1,
            ),
            LegendEntry::Channel(channel) => {
                let swatch = Rect::from_center_size(pos2(rect.min.x + 7.0, mid), Vec2::splat(12.0));
                self.rect(swatch, 3.0, channel_color(channel), Stroke::NONE);
                self.text(
                    pos2(label_x, mid),
                    Align2::LEFT_CENTER,
                    channel.label(),
                    &font,
                    theme.text,
                    label_width,
                    1,
                );
            }
            LegendEntry::Severity(severity) => {
                let center = pos2(rect.min.x + 8.0, mid);
                self.shapes.push(Shape::Circle(CircleShape {
                    center: self.to_screen * center,
                    radius: 8.0 * self.scale(),
                    fill: theme.pain_color(severity),
                    stroke: Stroke::NONE,
                }));
                self.text(
                    center,
                    Align2::CENTER_CENTER,
                    &severity.to_string(),
                    &FontId::proportional(11.0),
                    Color32::WHITE,
                    16.0,
                    1,
                );
                self.text(
                    pos2(label_x, mid),
                    Align2::LEFT_CENTER,
                    severity_label(severity),
                    &font,
                    theme.text,
                    label_width,
                    1,
                );
            }
            LegendEntry::Persona(index) => {
                let color = theme.persona_color(index);
                self.line(
                    pos2(rect.min.x, mid),
                    pos2(rect.min.x + 28.0, mid),
                    Stroke::new(3.0, color),
                );
                self.shapes.push(Shape::Circle(CircleShape {
                    center: self.to_screen * pos2(rect.min.x + 14.0, mid),
                    radius: 4.5 * self.scale(),
                    fill: Color32::WHITE,
                    stroke: Stroke::new(2.0 * self.scale(), color),
                }));
                let name = journey
                    .personas
                    .get(index)
                    .map(|p| p.name.as_str())
                    .unwrap_or_default();
                self.text(
                    pos2(rect.min.x + 36.0, mid),
                    Align2::LEFT_CENTER,
                    name,
                    &font,
                    theme.text,
                    rect.width() - 44.0,
                    1,
                );
            }
            LegendEntry::Scale => self.text(
                pos2(rect.min.x, mid),
                Align2::LEFT_CENTER,
                "+2 delighted  ·  0 neutral  ·  −2 frustrated",
                &font,
                theme.text_muted,
                rect.width() - 8.0,
                1,
            ),
        }
    }

    fn lane_labels(
        &mut self,
        journey: &Journey,
        layout: &Layout,
        theme: &Theme,
        visible: Rect,
        options: &SceneOptions,
    ) {
        let pin = options.pin;
        let x = shift(layout.label_x, pin.x);
        for lane_box in &layout.lanes {
            if !lane_box.y.intersects(visible.y_range()) {
                continue;
            }
            let rect = Rect::from_x_y_ranges(x, lane_box.y);
            self.rect(rect, 0.0, theme.label_background, Stroke::NONE);
            self.line(
                rect.left_bottom(),
                rect.right_bottom(),
                Stroke::new(1.0, theme.grid),
            );
            let name = journey
                .lane(lane_box.id)
                .map(|l| l.name.as_str())
                .unwrap_or_default();
            let accent = crate::view::theme::lane_color(lane_box.kind);
            let strip = Rect::from_min_size(rect.min, vec2(4.0, rect.height()));
            self.rect(strip, 0.0, accent, Stroke::NONE);
            self.text_fitting_words(
                pos2(rect.min.x + 11.0, rect.min.y + 8.0),
                Align2::LEFT_TOP,
                name,
                &theme.label_font(1.0),
                theme.text,
                rect.width() - 15.0,
                3,
            );
            if lane_box.kind == LaneKind::Emotions {
                for score in [2.0f32, 0.0, -2.0] {
                    if let Some(y) = layout.score_y(score) {
                        self.text(
                            pos2(rect.max.x - 8.0, y),
                            Align2::RIGHT_CENTER,
                            &format_score(score),
                            &theme.small_font(1.0),
                            theme.text_muted,
                            40.0,
                            1,
                        );
                    }
                }
            }
        }
        // The corner above the labels holds the title and persona, pinned both ways.
        let corner = Rect::from_x_y_ranges(
            x,
            shift(
                egui::Rangef::new(layout.stage_header.min, layout.step_header.max),
                pin.y,
            ),
        );
        self.rect(corner, 0.0, theme.label_background, Stroke::NONE);
        self.line(
            corner.right_top(),
            corner.right_bottom(),
            Stroke::new(1.0, theme.grid),
        );
        if options.corner_text {
            self.text(
                corner.min + vec2(12.0, 8.0),
                Align2::LEFT_TOP,
                &journey.title,
                &theme.label_font(1.0),
                theme.text,
                corner.width() - 20.0,
                1,
            );
            let personas: Vec<&str> = journey.personas.iter().map(|p| p.name.as_str()).collect();
            self.text(
                pos2(corner.min.x + 12.0, corner.max.y - 8.0),
                Align2::LEFT_BOTTOM,
                &personas.join(", "),
                &theme.small_font(1.0),
                theme.text_muted,
                corner.width() - 20.0,
                1,
            );
        }
        // The column edge stays visible over pinned labels.
        self.line(
            pos2(x.max, layout.lanes_y().min),
            pos2(x.max, layout.size.y),
            Stroke::new(1.0, theme.grid),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smooth_curve_passes_through_points_and_stays_in_range() {
        let pts = [
            pos2(0.0, 10.0),
            pos2(10.0, 0.0),
            pos2(20.0, 10.0),
            pos2(30.0, 5.0),
        ];
        let out = smooth_curve(&pts, 8);
        assert_eq!(out.len(), 3 * 8 + 1);
        assert_eq!(out[0], pts[0]);
        assert_eq!(out[8], pts[1]);
        assert_eq!(*out.last().unwrap(), pts[3]);
        assert!(out.iter().all(|p| (0.0..=10.0).contains(&p.y)));
    }

    /// The part of a curve drawn for a view is the whole curve's line
    /// there, bit for bit, and reaches past the view on both sides.
    #[test]
    fn a_curve_in_view_is_a_piece_of_the_whole_curve() {
        let points: Vec<(StepId, Pos2)> = (0..9u64)
            .map(|i| {
                let x = i as f32 * 100.0 + if i % 3 == 0 { 40.0 } else { 0.0 };
                (StepId(i), pos2(x, ((i * 37) % 11) as f32 * 9.0))
            })
            .collect();
        let all: Vec<Pos2> = points.iter().map(|(_, p)| *p).collect();
        let whole = smooth_curve(&all, CURVE_SAMPLES);
        let bits = |line: &[Pos2]| -> Vec<(u32, u32)> {
            line.iter()
                .map(|p| (p.x.to_bits(), p.y.to_bits()))
                .collect()
        };
        for n in 0..=points.len() {
            let part: Vec<Pos2> = all.iter().take(n).copied().collect();
            let shown = visible_line(points.get(..n).unwrap(), Rangef::new(f32::MIN, f32::MAX));
            assert_eq!(
                bits(&shown),
                bits(&smooth_curve(&part, CURVE_SAMPLES)),
                "{n} points"
            );
        }
        for (lo, hi) in [
            (-50.0, 10.0),
            (150.0, 420.0),
            (333.0, 334.0),
            (790.0, 2000.0),
            (-9.0, -5.0),
        ] {
            let shown = visible_line(&points, Rangef::new(lo, hi));
            let start = whole
                .windows(shown.len())
                .position(|w| bits(w) == bits(&shown))
                .unwrap_or_else(|| panic!("{lo}..{hi}: not a piece of the whole line"));
            let end = start + shown.len() - 1;
            assert!(
                start == 0 || whole[start].x < lo,
                "{lo}..{hi} starts in view"
            );
            assert!(
                end == whole.len() - 1 || whole[end].x > hi,
                "{lo}..{hi} ends in view"
            );
        }
    }

    #[test]
    fn scores_format_with_sign() {
        assert_eq!(format_score(1.5), "+1.5");
        assert_eq!(format_score(-2.0), "-2");
        assert_eq!(format_score(0.01), "0");
    }

    /// The journey's whole map as the canvas draws it at zoom 1: the theme,
    /// the layout and the shapes.
    fn whole_scene(journey: &Journey) -> (Theme, Layout, Vec<Shape>) {
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
    fn step_ids(journey: &Journey) -> Vec<crate::model::StepId> {
        journey
            .stages
            .iter()
            .flat_map(|s| &s.steps)
            .map(|s| s.id)
            .collect()
    }

    /// The vertical centre of the text shape that reads `text`.
    fn label_y(shapes: &[Shape], text: &str) -> f32 {
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

    #[test]
    fn with_a_header_the_map_corner_does_not_repeat_the_title() {
        use crate::view::layout::{ExportFrame, FrameParts};
        let journey = crate::model::templates::Template::FourStage.build("A title for the corner");
        assert!(!journey.personas.is_empty());
        let theme = Theme::default();
        let layout = Layout::new(&journey, &theme);
        let mut headless = crate::export::Headless::new(1.0);
        let mut texts_in_corner = |header: bool| {
            let parts = FrameParts {
                header,
                legend: false,
            };
            let frame = ExportFrame::new(&journey, &layout, 24.0, parts);
            let corner = Rect::from_x_y_ranges(
                layout.label_x,
                egui::Rangef::new(layout.stage_header.min, layout.step_header.max),
            )
            .translate(frame.map_offset);
            let shapes = headless.shapes(1.0, |fonts| {
                build_export(
                    &journey,
                    &layout,
                    &frame,
                    &theme,
                    fonts,
                    Rect::EVERYTHING,
                    None,
                )
            });
            shapes
                .iter()
                .filter(|shape| {
                    matches!(shape, Shape::Text(t)
                        if corner.contains(t.visual_bounding_rect().center()))
                })
                .count()
        };
        assert_eq!(texts_in_corner(false), 2, "title and personas");
        assert_eq!(texts_in_corner(true), 0, "the header has them");
    }

    /// The screen rect of the text shape whose text starts with `start`.
    fn text_rect(shapes: &[Shape], start: &str) -> Rect {
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

    #[test]
    fn a_step_name_stops_short_of_the_steps_pain_badges() {
        use crate::model::{Anchor, PainId, PainPoint};
        let mut journey = crate::model::templates::Template::FourStage.build("Badges");
        let ids = step_ids(&journey);
        let [long, short, ..] = ids[..] else {
            panic!("the template has steps");
        };
        for step in journey.stages.iter_mut().flat_map(|s| &mut s.steps) {
            if step.id == long {
                step.name = "Gets a substitution refund by card after a long wait".into();
            } else if step.id == short {
                step.name = "Pays".into();
            }
        }
        journey.pain_points = [long, long, short]
            .into_iter()
            .zip(1..)
            .map(|(step, id)| PainPoint {
                id: PainId(id),
                severity: 2,
                text: "Slow".into(),
                anchor: Anchor::Step(step),
                opportunity: None,
            })
            .collect();
        let (theme, layout, shapes) = whole_scene(&journey);
        let leftmost_badge = |step| {
            let column = layout.column(step).expect("a column");
            layout
                .pains
                .iter()
                .filter(|marker| column.x.contains(marker.center.x))
                .map(|marker| marker.center.x - theme.pain_radius)
                .fold(f32::INFINITY, f32::min)
        };
        let name = text_rect(&shapes, "Gets a substitution");
        assert!(
            name.max.x < leftmost_badge(long),
            "{name:?} runs under a badge at {}",
            leftmost_badge(long)
        );
        let column = layout.column(long).expect("a column");
        assert!(name.min.x >= column.x.min, "{name:?} leaves its column");
        let cut = shapes.iter().any(|shape| {
            matches!(shape, Shape::Text(t) if t.galley.text().starts_with("Gets a")
                && t.galley.rows.iter().any(|row| row.text().ends_with('…')))
        });
        assert!(cut, "the long name ends in an ellipsis");
        // A name with room to spare stays centred over its column.
        let pays = text_rect(&shapes, "Pays");
        let column = layout.column(short).expect("a column");
        assert!(pays.max.x < leftmost_badge(short));
        assert!(
            (pays.center().x - column.x.center()).abs() <= 1.0,
            "{pays:?} is not centred on {:?}",
            column.x
        );
    }

    /// The paper is not painted under the lane stripes, and the two
    /// together still cover the whole map, once.
    #[test]
    fn paper_and_stripes_tile_the_map() {
        let journey = crate::model::templates::Template::FourStage.build("Paper");
        let (theme, layout, shapes) = whole_scene(&journey);
        assert!(layout.lanes.len() >= 3, "stripes between plain lanes");
        let rects = |color: Color32| -> Vec<Rect> {
            shapes
                .iter()
                .filter_map(|shape| match shape {
                    Shape::Rect(r) if r.fill == color => Some(r.rect),
                    _ => None,
                })
                .collect()
        };
        let (paper, stripes) = (rects(theme.background), rects(theme.lane_stripe));
        assert_eq!(stripes.len(), layout.lanes.len() / 2);
        let all: Vec<Rect> = paper.iter().chain(&stripes).copied().collect();
        for (i, a) in all.iter().enumerate() {
            for b in all.iter().skip(i + 1) {
                let overlap = a.intersect(*b);
                assert!(!overlap.is_positive(), "{a:?} and {b:?} overlap");
            }
        }
        let area: f32 = all.iter().map(Rect::area).sum();
        let map = layout.map_rect().area();
        assert!((area - map).abs() < 1.0, "{area} of {map} covered");
    }

    #[test]
    fn where_two_curves_share_a_step_the_upper_score_goes_above() {
        use crate::model::{EmotionCurve, Persona, PersonaId};
        let mut journey = crate::model::templates::Template::FourStage.build("Two curves");
        let steps = step_ids(&journey);
        let (a, b) = (PersonaId(900), PersonaId(901));
        journey.personas = vec![
            Persona {
                id: a,
                name: "A".into(),
                ..journey.personas[0].clone()
            },
            Persona {
                id: b,
                name: "B".into(),
                ..journey.personas[0].clone()
            },
        ];
        // At the first step A is higher, at the second B is; the third is A's alone.
        journey.curves = vec![
            EmotionCurve {
                persona: a,
                points: [(steps[0], 1.0), (steps[1], -1.5), (steps[2], 0.5)].into(),
            },
            EmotionCurve {
                persona: b,
                points: [(steps[0], -1.0), (steps[1], 1.5)].into(),
            },
        ];
        let (_, layout, shapes) = whole_scene(&journey);
        let point_y = |score: f32| layout.score_y(score).unwrap();
        assert!(
            label_y(&shapes, "+1") < point_y(1.0),
            "A's +1 above A's point"
        );
        assert!(
            label_y(&shapes, "-1") > point_y(-1.0),
            "B's -1 below B's point"
        );
        assert!(label_y(&shapes, "+1.5") < point_y(1.5), "B's +1.5 above");
        assert!(label_y(&shapes, "-1.5") > point_y(-1.5), "A's -1.5 below");
        assert!(
            label_y(&shapes, "+0.5") > point_y(0.5),
            "a lone score goes below"
        );
    }
}
