//! The emotion curves: a smooth line through each persona's points, the
//! points and their score labels. Only the part of a line in view is
//! sampled and stroked; the samples are the whole curve's, bit for bit.

use egui::epaint::{CircleShape, PathShape};
use egui::{Align2, Color32, Pos2, Rangef, Rect, Shape, Stroke, pos2, vec2};

use super::{MARKER_REACH, ScenePainter, format_score};
use crate::model::StepId;
use crate::view::layout::Layout;
use crate::view::theme::Theme;

/// Width of an emotion curve's line, in map units.
const CURVE_WIDTH: f32 = 3.0;

/// Samples of the smoothed curve between two steps' points.
const CURVE_SAMPLES: usize = 12;

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

/// Whether the score label of curve `me`'s point at `step` goes above
/// it. Where curves share a step, the upper point's label goes above and
/// the others' below theirs, so labels never meet between two close
/// points; a lone point's label goes below.
fn label_above(layout: &Layout, me: usize, step: StepId, Pos2 { x, y }: Pos2) -> bool {
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
}

impl ScenePainter<'_, '_> {
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
        for (me, curve) in layout.curves.iter().enumerate() {
            let color = theme.persona_color(curve.index);
            self.curve_line(&curve.points, line_x, color);
            for (step, point) in curve.points_in(points_x) {
                let score = layout.score_at(point.y);
                let above = label_above(layout, me, *step, *point);
                self.curve_point(*point, score, above, color, theme);
            }
        }
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
        color: Color32,
        theme: &Theme,
    ) {
        let center = self.to_screen * point;
        if !self
            .clip
            .expand(MARKER_REACH * self.scale())
            .contains(center)
        {
            return;
        }
        self.shapes.push(Shape::Circle(CircleShape {
            center,
            radius: theme.curve_point_radius * self.scale(),
            fill: Color32::WHITE,
            stroke: Stroke::new(2.5 * self.scale(), color),
        }));
        let Some(score) = score else {
            return;
        };
        let (offset, anchor) = if label_above {
            (-(theme.curve_point_radius + 3.0), Align2::CENTER_BOTTOM)
        } else {
            (theme.curve_point_radius + 3.0, Align2::CENTER_TOP)
        };
        self.text(
            point + vec2(0.0, offset),
            anchor,
            &format_score(score),
            &theme.small_font(1.0),
            color,
            60.0,
            1,
        );
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
