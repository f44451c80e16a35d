//! The emotion curves: a band behind the plot from frustrated (red, at
//! the bottom) to delighted (green, at the top), a light fill under each
//! persona's line, the smooth line through its points, and at each point
//! a face that smiles or frowns with the score, and the score. Only the
//! part of a line in view is sampled; the samples are the whole curve's,
//! bit for bit. Everything is rects, convex paths and circles, so the SVG
//! export draws it as the canvas does.

use egui::epaint::{CircleShape, PathShape};
use egui::{Align2, Color32, Pos2, Rangef, Rect, Shape, Stroke, pos2, vec2};

use super::{MARKER_REACH, ScenePainter};
use crate::model::score_text;
use crate::model::{CurveState, StepId};
use crate::view::layout::{CurveGeom, Layout};
use crate::view::states::Marker;
use crate::view::theme::Theme;

/// Width of an emotion curve's line, in map units.
const CURVE_WIDTH: f32 = 3.0;

/// Samples of the smoothed curve between two steps' points.
const CURVE_SAMPLES: usize = 12;

/// The band's colour at the frustrated end of the scale.
const FRUSTRATED: Color32 = Color32::from_rgb(0xD9, 0x3F, 0x3F);
/// The band's colour at the delighted end of the scale.
const DELIGHTED: Color32 = Color32::from_rgb(0x2F, 0xA8, 0x5A);
/// The band's opacity at either end; it fades to none at 0, so cards
/// and text on it keep their contrast.
const BAND_OPACITY: f32 = 0.13;
/// Height (output points) of the horizontal stripes the band is drawn
/// in: a step of colour between stripes is then one or two levels.
const BAND_STRIPE_HEIGHT: f32 = 5.0;
/// Opacity of the fill under a persona's line.
const FILL_OPACITY: f32 = 0.08;
/// Opacity of a to-be curve drawn beside the as-is one.
const TO_BE_OPACITY: f32 = 0.75;
/// Length of a to-be curve's dashes and of the gaps between, map units.
const TO_BE_DASH: f32 = 9.0;
const TO_BE_GAP: f32 = 6.0;
/// A point's face is drawn only when the point is at least this many
/// output points across; smaller, it is a plain ring.
const MIN_FACE_RADIUS: f32 = 6.0;

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
pub(super) fn visible_line(points: &[(StepId, Pos2)], x: Rangef) -> Vec<Pos2> {
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

/// The band's colour at a score: green above 0, red below, stronger
/// towards either end.
fn band_color(score: f32) -> Color32 {
    let t = (score / 2.0).clamp(-1.0, 1.0);
    let end = if t >= 0.0 { DELIGHTED } else { FRUSTRATED };
    end.gamma_multiply(t.abs() * BAND_OPACITY)
}

/// `top` (premultiplied) blended over the opaque `paper`, as a rasterizer
/// would blend it.
fn over(top: Color32, paper: Color32) -> Color32 {
    let keep = 255 - u16::from(top.a());
    let mix = |t: u8, p: u8| (u16::from(t) + (u16::from(p) * keep + 127) / 255).min(255) as u8;
    Color32::from_rgb(
        mix(top.r(), paper.r()),
        mix(top.g(), paper.g()),
        mix(top.b(), paper.b()),
    )
}

/// `line` split where it crosses the horizontal line at `base`: runs that
/// stay on one side (`true`: above, smaller y), each ending and the next
/// starting at the crossing.
fn runs_by_side(line: &[Pos2], base: f32) -> Vec<(Vec<Pos2>, bool)> {
    let mut runs: Vec<(Vec<Pos2>, bool)> = Vec::new();
    let mut run: Vec<Pos2> = Vec::new();
    let mut above = line.first().is_none_or(|p| p.y <= base);
    for pair in line.windows(2) {
        let [a, b] = pair else { continue };
        if run.is_empty() {
            run.push(*a);
        }
        let crosses = (a.y - base) * (b.y - base) < 0.0;
        if crosses {
            let t = (base - a.y) / (b.y - a.y);
            let at = pos2(a.x + (b.x - a.x) * t, base);
            run.push(at);
            runs.push((std::mem::take(&mut run), above));
            above = b.y < base;
            run.push(at);
        }
        run.push(*b);
    }
    if run.len() >= 2 {
        runs.push((run, above));
    }
    runs
}

/// `line` (left to right, y down) cut into pieces whose area down to any
/// lower horizontal line is convex, as egui fills only convex paths: a
/// piece ends where the line turns upwards. Neighbours share their end.
fn convex_pieces(line: &[Pos2]) -> Vec<&[Pos2]> {
    let mut pieces = Vec::new();
    let mut start = 0;
    for (i, w) in line.windows(3).enumerate() {
        let [a, b, c] = w else { continue };
        let (ab, bc) = (*b - *a, *c - *b);
        if ab.x * bc.y - ab.y * bc.x < -1e-3 {
            pieces.extend(line.get(start..=i + 1));
            start = i + 1;
        }
    }
    if line.len() >= 2 {
        pieces.extend(line.get(start..));
    }
    pieces
}

/// Whether the score label of curve `me`'s point at `step` goes above
/// it. Where curves share a step, the upper point's label goes above and
/// the others' below theirs, so labels never meet between two close
/// points; a lone point's label goes below.
fn label_above(layout: &Layout, me: usize, step: StepId, Pos2 { x, y }: Pos2) -> bool {
    layout
        .curves
        .iter()
        .enumerate()
        .filter(|(other, c)| *other != me && !beside_as_is(layout, c))
        .filter_map(|(other, c)| c.point_at(step, x).map(|p| (other, p.y)))
        .fold(None, |shared: Option<bool>, (other, other_y)| {
            let above = (y, me) < (other_y, other);
            Some(shared.unwrap_or(true) && above)
        })
        .unwrap_or(false)
}

/// Whether `curve` is a to-be curve drawn beside its persona's as-is one
/// (Compare): dashed and lighter, with small plain points and no scores.
pub(super) fn beside_as_is(layout: &Layout, curve: &CurveGeom) -> bool {
    curve.state == CurveState::Future
        && (layout.curves.iter())
            .any(|c| c.persona == curve.persona && c.state == CurveState::Current)
}

impl ScenePainter<'_, '_> {
    /// What lies behind the emotion lane's guides and cards: the band from
    /// frustrated to delighted over the lane's width in view, then, if the
    /// theme has them, each persona's fill between its line and the
    /// neutral line.
    pub(super) fn emotion_background(&mut self, layout: &Layout, theme: &Theme, visible: Rect) {
        let Some(plot) = layout.emotion_plot else {
            return;
        };
        let Some((index, lane)) =
            (layout.lanes.iter().enumerate()).find(|(_, l)| l.y.contains(plot.center()))
        else {
            return;
        };
        // Opaque stripes, the band already blended over the lane's paper:
        // blending a fifth of a big export's pixels cost a seventh of its time.
        let paper = Self::lane_paper(layout, index, theme);
        let x = Rangef::new(
            layout.label_x.max.max(visible.min.x - 1.0),
            layout.size.x.min(visible.max.x + 1.0),
        );
        if !lane.y.intersects(visible.y_range()) || x.min >= x.max {
            return;
        }
        let count = (lane.y.span() * self.scale() / BAND_STRIPE_HEIGHT).clamp(8.0, 96.0) as usize;
        for k in 0..count {
            let at = |k: usize| lane.y.min + lane.y.span() * k as f32 / count as f32;
            let y = Rangef::new(at(k), at(k + 1));
            let color = band_color(layout.score_at(y.center()).unwrap_or(0.0));
            if color.a() > 0 {
                let color = over(color, paper);
                self.rect(Rect::from_x_y_ranges(x, y), 0.0, color, Stroke::NONE);
            }
        }
        if theme.curve_fill {
            let line_x = visible.x_range().expand(CURVE_WIDTH + 2.0 / self.scale());
            for curve in layout.curves.iter().filter(|c| !beside_as_is(layout, c)) {
                let color = theme.persona_color(curve.index);
                let base = layout.score_y(0.0).unwrap_or(lane.y.max);
                self.curve_fill(&curve.points, line_x, base, color);
            }
        }
    }

    /// A light fill between a curve's line (the part within `x`) and the
    /// neutral line at `base`, above it where the curve is above, below it
    /// where it is below, in convex pieces.
    fn curve_fill(&mut self, points: &[(StepId, Pos2)], x: Rangef, base: f32, color: Color32) {
        let line = visible_line(points, x);
        let fill = color.gamma_multiply(FILL_OPACITY);
        for (run, above) in runs_by_side(&line, base) {
            // Below the base, the same shape mirrored is cut the same way.
            let mirror = |p: Pos2| {
                if above {
                    p
                } else {
                    pos2(p.x, 2.0 * base - p.y)
                }
            };
            let mirrored: Vec<Pos2> = run.iter().map(|p| mirror(*p)).collect();
            for piece in convex_pieces(&mirrored) {
                let (Some(first), Some(last)) = (piece.first(), piece.last()) else {
                    continue;
                };
                let mut polygon: Vec<Pos2> =
                    piece.iter().map(|p| self.to_screen * mirror(*p)).collect();
                polygon.push(self.to_screen * pos2(last.x, base));
                polygon.push(self.to_screen * pos2(first.x, base));
                if !above {
                    polygon.reverse();
                }
                self.shapes.push(Shape::Path(PathShape::convex_polygon(
                    polygon,
                    fill,
                    Stroke::NONE,
                )));
            }
        }
    }

    /// Each persona's curve in view: its line, then its points with their
    /// scores.
    pub(super) fn curves(&mut self, layout: &Layout, theme: &Theme, visible: Rect) {
        // Points, their score labels and pain markers reach this far out of
        // the plot; bands of an export that miss all that skip the curves.
        let reach = theme.curve_point_radius + theme.pain_radius * 2.0 + 24.0;
        if layout
            .emotion_plot
            .is_none_or(|plot| !plot.expand(reach).intersects(visible.y_range()))
        {
            return;
        }
        // Room for the stroke and its feathering, in map units.
        let line_x = visible.x_range().expand(CURVE_WIDTH + 2.0 / self.scale());
        // Centres just outside the reach are found too, then left out by
        // the exact test in output points.
        let points_x = visible.x_range().expand(MARKER_REACH + 1.0);
        // The to-be curves of Compare first, under the as-is ones.
        let mut order: Vec<(usize, &CurveGeom)> = layout.curves.iter().enumerate().collect();
        order.sort_by_key(|(_, c)| !beside_as_is(layout, c));
        for (me, curve) in order {
            let color = theme.persona_color(curve.index);
            let marker = Marker::of(curve.index);
            if beside_as_is(layout, curve) {
                let light = color.gamma_multiply(TO_BE_OPACITY);
                self.dashed_curve_line(&curve.points, line_x, light);
                for (_, point) in curve.points_in(points_x) {
                    self.marker(*point, marker, theme.curve_point_radius * 0.6, light);
                }
                continue;
            }
            self.curve_line(&curve.points, line_x, color);
            for (step, point) in curve.points_in(points_x) {
                let score = layout.score_at(point.y);
                let above = label_above(layout, me, *step, *point);
                self.curve_point(*point, score, above, (color, marker), theme);
            }
        }
    }

    /// [`Self::curve_line`] in dashes, for a to-be curve beside an as-is one.
    fn dashed_curve_line(&mut self, points: &[(StepId, Pos2)], x: Rangef, color: Color32) {
        let screen: Vec<Pos2> = visible_line(points, x)
            .into_iter()
            .map(|p| self.to_screen * p)
            .collect();
        let scale = self.scale();
        let stroke = Stroke::new(CURVE_WIDTH * scale, color);
        self.shapes.extend(Shape::dashed_line(
            &screen,
            stroke,
            TO_BE_DASH * scale,
            TO_BE_GAP * scale,
        ));
    }

    /// A persona's point marker (white inside) centred at `point` (map
    /// units), `radius` map units; `None` when out of the clip, else its
    /// centre and radius on screen.
    pub(super) fn marker(
        &mut self,
        point: Pos2,
        marker: Marker,
        radius: f32,
        color: Color32,
    ) -> Option<(Pos2, f32)> {
        let center = self.to_screen * point;
        if !self
            .clip
            .expand(MARKER_REACH * self.scale())
            .contains(center)
        {
            return None;
        }
        // A smaller marker (a to-be point) gets a thinner ring.
        let width = 2.5 * (radius / 9.0).clamp(0.6, 1.0);
        let stroke = Stroke::new(width * self.scale(), color);
        let radius = radius * self.scale();
        match marker.corners(radius) {
            None => self.shapes.push(Shape::Circle(CircleShape {
                center,
                radius,
                fill: Color32::WHITE,
                stroke,
            })),
            Some(corners) => {
                let points = corners.into_iter().map(|c| center + c).collect();
                self.shapes.push(Shape::Path(PathShape::convex_polygon(
                    points,
                    Color32::WHITE,
                    stroke,
                )));
            }
        }
        Some((center, radius))
    }

    /// The smoothed line through a curve's points, the part within `x`:
    /// the whole line of a long map is tens of thousands of points, which
    /// were all tessellated every frame.
    fn curve_line(&mut self, points: &[(StepId, Pos2)], x: Rangef, color: Color32) {
        let screen: Vec<Pos2> = visible_line(points, x)
            .into_iter()
            .map(|p| self.to_screen * p)
            .collect();
        if screen.len() >= 2 {
            self.shapes.push(Shape::Path(PathShape::line(
                screen,
                Stroke::new(CURVE_WIDTH * self.scale(), color),
            )));
        }
    }

    /// A curve point's handle and its score, above or below it.
    fn curve_point(
        &mut self,
        point: Pos2,
        score: Option<f32>,
        label_above: bool,
        (color, marker): (Color32, Marker),
        theme: &Theme,
    ) {
        let Some((center, radius)) = self.marker(point, marker, theme.curve_point_radius, color)
        else {
            return;
        };
        let Some(score) = score else {
            return;
        };
        if radius >= MIN_FACE_RADIUS {
            self.face(center, radius, score, color);
        }
        let (offset, anchor) = if label_above {
            (-(theme.curve_point_radius + 3.0), Align2::CENTER_BOTTOM)
        } else {
            (theme.curve_point_radius + 3.0, Align2::CENTER_TOP)
        };
        self.text(
            point + vec2(0.0, offset),
            anchor,
            &score_text(score),
            &theme.small_font(1.0),
            color,
            // Wide enough for any score at any zoom: a score is never cut.
            200.0,
            1,
        );
    }

    /// Eyes and a mouth inside a point's ring of `radius` (output points):
    /// the mouth curves up into a smile for a positive score, down into a
    /// frown for a negative one, and is straight at 0.
    fn face(&mut self, center: Pos2, radius: f32, score: f32, color: Color32) {
        let eye = (radius * 0.12).max(0.8);
        for side in [-1.0, 1.0] {
            let at = center + vec2(side * radius * 0.32, -radius * 0.2);
            self.shapes.push(Shape::circle_filled(at, eye, color));
        }
        let bend = (score / 2.0).clamp(-1.0, 1.0) * radius * 0.24;
        let (half, base) = (radius * 0.4, center.y + radius * 0.3);
        let mouth: Vec<Pos2> = (0..=8)
            .map(|i| {
                let t = i as f32 / 4.0 - 1.0;
                pos2(center.x + t * half, base + bend * (0.5 - t * t))
            })
            .collect();
        let stroke = Stroke::new((radius * 0.13).max(0.8), color);
        self.shapes
            .push(Shape::Path(PathShape::line(mouth, stroke)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::scene::test_support::{label_y, step_ids, whole_scene};

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
            EmotionCurve::new(
                a,
                [(steps[0], 1.0), (steps[1], -1.5), (steps[2], 0.5)].into(),
            ),
            EmotionCurve::new(b, [(steps[0], -1.0), (steps[1], 1.5)].into()),
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

    /// A journey with one persona whose curve goes from -2 up to +2 and
    /// down to -1.
    fn rising_journey() -> crate::model::Journey {
        use crate::model::EmotionCurve;
        let mut journey = crate::model::templates::Template::FourStage.build("Faces");
        let steps = step_ids(&journey);
        let persona = journey.personas[0].id;
        journey.curves = vec![EmotionCurve::new(
            persona,
            [(steps[0], -2.0), (steps[1], 2.0), (steps[2], -1.0)].into(),
        )];
        journey
    }

    /// The band is green above the middle of the scale and red below it,
    /// faint enough to read dark text on, opaque (blended over the lane's
    /// paper already), and stays right of the labels.
    #[test]
    fn the_band_runs_from_red_at_the_bottom_to_green_at_the_top() {
        let (theme, layout, shapes) = whole_scene(&rising_journey());
        let zero = layout.score_y(0.0).unwrap();
        let (index, lane) = (layout.lanes.iter().enumerate())
            .find(|(_, l)| l.y.contains(zero))
            .expect("the emotion lane");
        let paper = ScenePainter::lane_paper(&layout, index, &theme);
        let band: Vec<(Rect, Color32)> = shapes
            .iter()
            .filter_map(|shape| match shape {
                Shape::Rect(r) if r.fill != paper && r.rect.width() > theme.column_width * 2.0 => {
                    Some((r.rect, r.fill))
                }
                _ => None,
            })
            .filter(|(rect, _)| lane.y.contains(rect.center().y))
            .collect();
        assert!(band.len() >= 16, "{} stripes", band.len());
        let distance = |c: Color32| {
            [(c.r(), paper.r()), (c.g(), paper.g()), (c.b(), paper.b())]
                .into_iter()
                .map(|(a, b)| a.abs_diff(b))
                .max()
                .unwrap_or(0)
        };
        for (rect, color) in &band {
            assert!(
                rect.min.x >= layout.label_x.max,
                "{rect:?} under the labels"
            );
            assert_eq!(color.a(), 255, "{color:?} is blended already");
            assert!(
                f32::from(distance(*color)) <= BAND_OPACITY * 255.0 + 1.0,
                "{color:?} too strong"
            );
            let (r, g) = (i16::from(color.r()), i16::from(color.g()));
            let (pr, pg) = (i16::from(paper.r()), i16::from(paper.g()));
            if rect.max.y <= zero {
                assert!(g - pg > r - pr, "{rect:?} above 0 is {color:?}");
            } else if rect.min.y >= zero {
                assert!(r - pr > g - pg, "{rect:?} below 0 is {color:?}");
            }
        }
        let strongest = |above: bool| {
            band.iter()
                .filter(|(rect, _)| (rect.center().y < zero) == above)
                .map(|(_, c)| distance(*c))
                .max()
                .unwrap_or(0)
        };
        assert!(strongest(true) > 8 && strongest(false) > 8);
    }

    #[test]
    fn blending_over_paper_matches_the_blend_of_a_translucent_colour() {
        let paper = Color32::from_rgb(250, 250, 248);
        assert_eq!(super::over(Color32::TRANSPARENT, paper), paper);
        let red = Color32::from_rgb(200, 40, 40).gamma_multiply(0.5);
        let mixed = super::over(red, paper);
        assert!(mixed.r() > mixed.g() && mixed.a() == 255);
        assert!(mixed.g() < paper.g() && mixed.g() > 100);
    }

    /// The mouths drawn inside the points: (left end, middle, right end),
    /// left to right.
    fn mouths(shapes: &[Shape]) -> Vec<(Pos2, Pos2, Pos2)> {
        shapes
            .iter()
            .filter_map(|shape| match shape {
                Shape::Path(p) if !p.closed && p.points.len() == 9 => {
                    Some((p.points[0], p.points[4], p.points[8]))
                }
                _ => None,
            })
            .collect()
    }

    /// Each point has a face at zoom 100% that smiles for a good score and
    /// frowns for a bad one; zoomed out, where a face could not be read,
    /// the points are plain rings.
    #[test]
    fn faces_smile_and_frown_with_the_score_where_they_can_be_seen() {
        let journey = rising_journey();
        let (_, layout, shapes) = whole_scene(&journey);
        let near = mouths(&shapes);
        assert_eq!(near.len(), 3, "one face per point");
        let [frown, smile, frown_a_bit] = near[..] else {
            unreachable!()
        };
        // y grows downwards: a smile's ends are above its middle.
        assert!(smile.0.y < smile.1.y && smile.2.y < smile.1.y, "{smile:?}");
        assert!(frown.0.y > frown.1.y, "{frown:?}");
        let depth = |(end, middle, _): (Pos2, Pos2, Pos2)| (end.y - middle.y).abs();
        assert!(depth(frown_a_bit) < depth(frown), "a milder frown");
        for ((_, middle, _), (_, point)) in near.iter().zip(&layout.curves[0].points) {
            let radius = Theme::default().curve_point_radius;
            assert!(
                middle.distance(*point) < radius,
                "{middle:?} far from {point:?}"
            );
        }
        let theme = Theme::default();
        let mut headless = crate::export::Headless::new(1.0);
        let options = crate::view::scene::SceneOptions::whole(&layout, 0.4);
        let far = headless.shapes(1.0, |fonts| {
            crate::view::scene::build(&journey, &layout, &theme, fonts, &options)
        });
        assert!(mouths(&far).is_empty(), "no faces at 40%");
    }

    /// The fill under a line is drawn in pieces egui can fill (convex),
    /// which together follow the line from its first point to its last.
    #[test]
    fn the_fill_under_a_curve_is_convex_pieces_along_the_line() {
        let line = smooth_curve(
            &[
                pos2(0.0, 80.0),
                pos2(100.0, 10.0),
                pos2(200.0, 90.0),
                pos2(300.0, 20.0),
                pos2(400.0, 50.0),
            ],
            CURVE_SAMPLES,
        );
        let pieces = convex_pieces(&line);
        assert!(pieces.len() >= 2, "the line dips, so it is cut");
        assert_eq!(pieces.first().and_then(|p| p.first()), line.first());
        assert_eq!(pieces.last().and_then(|p| p.last()), line.last());
        for pair in pieces.windows(2) {
            assert_eq!(pair[0].last(), pair[1].first(), "pieces share their ends");
        }
        let bottom = 100.0;
        for piece in pieces {
            let mut polygon = piece.to_vec();
            polygon.push(pos2(piece.last().unwrap().x, bottom));
            polygon.push(pos2(piece[0].x, bottom));
            let n = polygon.len();
            for i in 0..n {
                let (a, b, c) = (polygon[i], polygon[(i + 1) % n], polygon[(i + 2) % n]);
                let turn = (b - a).x * (c - b).y - (b - a).y * (c - b).x;
                assert!(turn >= -1e-3, "not convex at {b:?}");
            }
        }
        // The scene fills under the persona's line with such pieces.
        let (theme, layout, shapes) = whole_scene(&rising_journey());
        let fill = theme.persona_color(0).gamma_multiply(FILL_OPACITY);
        let filled = shapes
            .iter()
            .filter(|s| matches!(s, Shape::Path(p) if p.closed && p.fill == fill))
            .count();
        assert!(filled >= 2, "{filled} pieces");
        assert!(layout.emotion_plot.is_some());
    }

    #[test]
    fn a_line_crossing_the_neutral_line_splits_into_runs_on_each_side() {
        let line = [
            pos2(0.0, -10.0),
            pos2(10.0, 10.0),
            pos2(20.0, 30.0),
            pos2(30.0, -5.0),
        ];
        let runs = super::runs_by_side(&line, 0.0);
        let sides: Vec<bool> = runs.iter().map(|(_, above)| *above).collect();
        assert_eq!(sides, vec![true, false, true]);
        // Each run ends where the next starts, on the neutral line.
        for pair in runs.windows(2) {
            let (end, start) = (pair[0].0.last().copied(), pair[1].0.first().copied());
            assert_eq!(end, start);
            assert!(end.is_some_and(|p| p.y.abs() < 1e-4));
        }
        assert_eq!(runs[0].0.first(), Some(&pos2(0.0, -10.0)));
        assert_eq!(runs[2].0.last(), Some(&pos2(30.0, -5.0)));
    }
}
