//! The marks of the journey's two states and of its many voices, drawn
//! over the parts they annotate: a planned card's dashed outline and NEW
//! pill, a removed card washed out, struck through and marked REMOVED, a
//! pain solved in the future ticked and faded, each step's gain or loss
//! from the as-is to the to-be curve, the lift an opportunity brings, and
//! the band of participants' scores around a sampled point. What to mark is
//! read from the projected journey ([`crate::view::states`]): a mark shows
//! only in the views that keep its state. The legend's entries explaining
//! them are drawn here too.

use egui::epaint::{CircleShape, PathShape};
use egui::{Align2, Color32, FontId, Pos2, Rect, Shape, Stroke, pos2, vec2};

use super::ScenePainter;
use super::curve::beside_as_is;
use crate::model::{CardState, CurveState, Journey, PersonaId, SpreadKind, StepId, spread};
use crate::view::blocks::CARD_PAD_Y;
use crate::view::frame::{LEGEND_LABEL_INDENT, LEGEND_PERSONA_INDENT, LegendEntry};
use crate::view::layout::{CurveGeom, Layout};
use crate::view::measure;
use crate::view::states::Marker;
use crate::view::theme::Theme;

/// The colour of what the future brings: planned cards, gains, solved pains.
pub const GAIN: Color32 = Color32::from_rgb(0x1B, 0x7A, 0x3E);
/// The colour of what the future takes away: removed cards, losses.
pub const LOSS: Color32 = Color32::from_rgb(0xB3, 0x26, 0x1E);
/// The colour of a planned card's outline and pill.
pub const PLANNED: Color32 = Color32::from_rgb(0x00, 0x6B, 0x8F);

/// The smallest change of score between the states that is labelled.
pub const LABELLED_CHANGE: f32 = 1.0;
/// Half the width of a point's spread band, map units.
const BAND_HALF_WIDTH: f32 = 8.0;
/// Opacity of a spread band, and of its link to a neighbour's.
const BAND_OPACITY: f32 = 0.22;
const BAND_LINK_OPACITY: f32 = 0.1;
/// Space between two change labels at one step, map units.
const CHANGE_ROW: f32 = 14.0;
/// Height of a card's NEW, REMOVED or lift pill, map units.
const PILL_HEIGHT: f32 = 15.0;

/// A mark the legend explains.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StateMark {
    /// A to-be curve drawn dashed beside the as-is one, with the changes.
    ToBe,
    /// A planned card.
    Planned,
    /// A card removed in the future.
    Removed,
    /// A pain solved in the future.
    Solved,
    /// An opportunity's lift.
    Lift,
    /// The band of participants' scores.
    Spread,
}

impl StateMark {
    /// What the legend says of the mark.
    pub fn text(self) -> &'static str {
        match self {
            Self::ToBe => "Future (to-be), dashed; +1 / −1: change from today",
            Self::Planned => "Planned: new in the future",
            Self::Removed => "Removed in the future",
            Self::Solved => "Pain solved in the future",
            Self::Lift => "Opportunity lifts the curve where its pains are",
            Self::Spread => "Band: spread of participants' scores; point: their median",
        }
    }

    /// Where the mark's text starts in its legend slot, after the mark.
    fn indent(self) -> f32 {
        match self {
            Self::ToBe => LEGEND_PERSONA_INDENT,
            Self::Planned => 46.0,
            Self::Removed => 66.0,
            Self::Lift => 44.0,
            Self::Solved | Self::Spread => LEGEND_LABEL_INDENT,
        }
    }

    /// Width of the mark's legend slot, map units (see `LegendEntry::width`).
    pub fn width(self, theme: &Theme) -> f32 {
        self.indent() + measure::width(self.text(), &theme.small_font(1.0)) + 12.0
    }
}

/// The legend's group of state marks the projected journey shows.
pub fn legend_group(journey: &Journey) -> Vec<LegendEntry> {
    let both = journey.personas.iter().any(|p| {
        CurveState::ALL
            .iter()
            .all(|s| journey.curve_in(p.id, *s).is_some())
    });
    let marks = [
        (StateMark::ToBe, both),
        (
            StateMark::Planned,
            journey.cards.iter().any(|c| c.state == CardState::Future),
        ),
        (
            StateMark::Removed,
            journey.cards.iter().any(|c| c.state == CardState::Removed),
        ),
        (
            StateMark::Solved,
            journey.pain_points.iter().any(|p| p.solved_in_future),
        ),
        (
            StateMark::Lift,
            both && journey.pain_points.iter().any(|p| p.opportunity.is_some()),
        ),
        (
            StateMark::Spread,
            journey.curves.iter().any(|c| !c.samples.is_empty()),
        ),
    ];
    let mut group: Vec<LegendEntry> = marks
        .into_iter()
        .filter(|(_, shown)| *shown)
        .map(|(mark, _)| LegendEntry::State(mark))
        .collect();
    if !group.is_empty() {
        group.insert(0, LegendEntry::Heading("States and voices"));
    }
    group
}

/// A score's change as labelled: "+1.5", "−1".
pub fn format_change(change: f32) -> String {
    let text = crate::model::score_text(change);
    text.replace('-', "−")
}

/// The band (map units) of a point's samples at `x`: from the highest to
/// the lowest score of the spread, `None` with fewer than two samples.
pub fn spread_rect(
    layout: &Layout,
    x: f32,
    samples: &[crate::model::Sample],
    kind: SpreadKind,
) -> Option<Rect> {
    if samples.len() < 2 {
        return None;
    }
    let (low, high) = spread(samples, kind)?;
    let (top, bottom) = (layout.score_y(high)?, layout.score_y(low)?);
    Some(Rect::from_x_y_ranges(
        egui::Rangef::new(x - BAND_HALF_WIDTH, x + BAND_HALF_WIDTH),
        egui::Rangef::new(top, bottom),
    ))
}

/// Each step where a persona's to-be score differs from the as-is one:
/// (step, as-is point, to-be point, change), for personas with both
/// curves laid out.
pub fn changes<'l>(
    journey: &'l Journey,
    layout: &'l Layout,
) -> impl Iterator<Item = (PersonaId, StepId, Pos2, Pos2, f32)> + 'l {
    (layout.curves.iter())
        .filter(|c| beside_as_is(layout, c))
        .filter_map(|to_be| {
            let as_is = (layout.curves.iter())
                .find(|c| c.persona == to_be.persona && c.state == CurveState::Current)?;
            let now = journey.curve_in(to_be.persona, CurveState::Current)?;
            let then = journey.curve_in(to_be.persona, CurveState::Future)?;
            Some((to_be, as_is, now, then))
        })
        .flat_map(|(to_be, as_is, now, then)| {
            to_be.points.iter().filter_map(move |(step, future_point)| {
                let current_point = as_is.point_at(*step, future_point.x)?;
                let change = then.points.get(step)? - now.points.get(step)?;
                Some((to_be.persona, *step, current_point, *future_point, change))
            })
        })
}

impl ScenePainter<'_, '_> {
    /// Planned and removed cards' marks, over the cards in view.
    pub(super) fn card_states(
        &mut self,
        journey: &Journey,
        layout: &Layout,
        theme: &Theme,
        visible: Rect,
    ) {
        for (card_box, card) in layout
            .cards_in_view(visible)
            .filter_map(|b| layout.card_of(journey, b).map(|c| (b, c)))
        {
            let rect = card_box.rect;
            match card.state {
                CardState::Current => {}
                CardState::Future => {
                    self.dashed_outline(rect.expand(2.5), PLANNED);
                    self.pill(rect, "NEW", PLANNED);
                }
                CardState::Removed => {
                    self.rect(
                        rect,
                        6.0,
                        theme.background.gamma_multiply(0.6),
                        Stroke::NONE,
                    );
                    let y = rect.min.y + CARD_PAD_Y + 9.0;
                    self.line(
                        pos2(rect.min.x + 6.0, y),
                        pos2(rect.max.x - 6.0, y),
                        Stroke::new(2.0, LOSS),
                    );
                    self.pill(rect, "REMOVED", LOSS);
                }
            }
        }
    }

    /// A dashed rectangle (map units).
    fn dashed_outline(&mut self, rect: Rect, color: Color32) {
        let corners = [
            rect.left_top(),
            rect.right_top(),
            rect.right_bottom(),
            rect.left_bottom(),
            rect.left_top(),
        ];
        let screen: Vec<Pos2> = corners.iter().map(|p| self.to_screen * *p).collect();
        if !Rect::from_points(&screen).intersects(self.clip) {
            return;
        }
        let scale = self.scale();
        self.shapes.extend(Shape::dashed_line(
            &screen,
            Stroke::new(1.8 * scale, color),
            7.0 * scale,
            4.0 * scale,
        ));
    }

    /// A small word in a coloured pill on a card's top edge, at its left.
    fn pill(&mut self, card: Rect, word: &str, color: Color32) {
        let at = pos2(card.min.x + 10.0, card.min.y - PILL_HEIGHT / 2.0);
        self.pill_at(at, Align2::LEFT_TOP, word, color);
    }

    /// A word in a pill placed by `anchor` at `at` (map units).
    fn pill_at(&mut self, at: Pos2, anchor: Align2, word: &str, color: Color32) {
        let font = pill_font();
        // Zoomed far out the word is drawn at the smallest legible size,
        // larger than scaled: the pill grows around it.
        let grow = self.text_px(&font) / (font.size * self.scale()).max(f32::EPSILON);
        let size = vec2(
            (measure::width(word, &font) + 8.0) * grow + 2.0,
            PILL_HEIGHT.max(font.size * 1.4 * grow),
        );
        let rect = anchor.anchor_size(at, size);
        let px = self.text_px(&font);
        let galley = self.galley(word, px, &font, Color32::WHITE, size.x, 1);
        let screen = self.to_screen * rect;
        // Zoomed far out, a pill whose word would cover other text is a
        // plain bar of its colour (the legend says what the colour means).
        let (rect, galley) = match galley {
            Some(galley) if grow <= 1.0 || self.free_of_text(screen, 0) => (rect, Some(galley)),
            _ => {
                let bar = vec2(PILL_HEIGHT * 2.0, PILL_HEIGHT * 0.6);
                (Rect::from_center_size(rect.center(), bar), None)
            }
        };
        self.rect(
            rect,
            rect.height() / 2.0,
            color,
            Stroke::new(1.0, Color32::WHITE),
        );
        if let Some(galley) = galley {
            self.place(galley, rect.center(), Align2::CENTER_CENTER, Color32::WHITE);
        }
    }

    /// Whether no text drawn since shape `from` overlaps `rect` (output
    /// points).
    fn free_of_text(&self, rect: Rect, from: usize) -> bool {
        let shapes = self.shapes.get(from..).unwrap_or_default();
        !shapes.iter().any(
            |shape| matches!(shape, Shape::Text(t) if t.visual_bounding_rect().intersects(rect)),
        )
    }

    /// A tick in a disc of `radius` map units at `center`.
    fn tick(&mut self, center: Pos2, radius: f32, color: Color32) {
        let screen = self.to_screen * center;
        if !self
            .clip
            .expand(radius * 2.0 * self.scale())
            .contains(screen)
        {
            return;
        }
        let r = radius * self.scale();
        self.shapes.push(Shape::Circle(CircleShape {
            center: screen,
            radius: r,
            fill: color,
            stroke: Stroke::new(1.0 * self.scale(), Color32::WHITE),
        }));
        let tick = vec![
            screen + vec2(-0.45 * r, 0.0),
            screen + vec2(-0.1 * r, 0.35 * r),
            screen + vec2(0.5 * r, -0.35 * r),
        ];
        self.shapes.push(Shape::Path(PathShape::line(
            tick,
            Stroke::new((0.25 * r).max(1.0), Color32::WHITE),
        )));
    }

    /// Pains solved in the future: their markers and notes faded and
    /// ticked. Step markers ride along with the header pinned `pin_y` down.
    pub(super) fn solved_pains(
        &mut self,
        journey: &Journey,
        layout: &Layout,
        theme: &Theme,
        (visible, pin_y): (Rect, f32),
    ) {
        let near = visible.x_range().expand(super::MARKER_REACH + 1.0);
        for marker in layout.pains_in(near) {
            let Some(pain) = layout.pain_of(journey, marker) else {
                continue;
            };
            if !pain.solved_in_future {
                continue;
            }
            let pinned = matches!(pain.anchor, crate::model::Anchor::Step(_));
            let center = marker.center + vec2(0.0, if pinned { pin_y } else { 0.0 });
            let screen = self.to_screen * center;
            self.shapes.push(Shape::circle_filled(
                screen,
                theme.pain_radius * self.scale(),
                theme.background.gamma_multiply(0.55),
            ));
            self.tick(center + vec2(7.0, 7.0), 6.0, GAIN);
        }
        for note in (layout.pain_notes.iter()).filter(|n| n.rect.intersects(visible)) {
            let Some(pain) = layout.pain_of_note(journey, note) else {
                continue;
            };
            if !pain.solved_in_future {
                continue;
            }
            let rect = note.rect;
            self.rect(
                rect,
                6.0,
                theme.background.gamma_multiply(0.55),
                Stroke::NONE,
            );
            let word = "SOLVED";
            let at = pos2(rect.max.x - 6.0, rect.max.y - 4.0);
            self.pill_at(at, Align2::RIGHT_BOTTOM, word, GAIN);
        }
    }

    /// In Compare: each step's change from the as-is to the to-be score
    /// where it is at least [`LABELLED_CHANGE`], beside the to-be point,
    /// joined to the as-is point by a thin arrow; and on each opportunity
    /// whose pains sit where a to-be curve rises, the largest such rise.
    pub(super) fn changes(
        &mut self,
        journey: &Journey,
        layout: &Layout,
        theme: &Theme,
        (visible, texts_from): (Rect, usize),
    ) {
        let mut lifts: Vec<(StepId, f32)> = Vec::new();
        let mut all: Vec<_> = changes(journey, layout).collect();
        // Left to right, top to bottom within a step, so the labels at one
        // step can be pushed apart.
        all.sort_by(|a, b| a.3.x.total_cmp(&b.3.x).then(a.3.y.total_cmp(&b.3.y)));
        let mut last_label: Option<(f32, f32)> = None;
        for (_, step, now, then, change) in all {
            if change > 0.0 {
                lifts.push((step, change));
            }
            if change.abs() < LABELLED_CHANGE
                || !visible
                    .x_range()
                    .expand(theme.column_width)
                    .contains(then.x)
            {
                continue;
            }
            let color = if change > 0.0 { GAIN } else { LOSS };
            let up = then.y < now.y;
            let gap = theme.curve_point_radius + 2.0;
            let end = then + vec2(0.0, if up { gap * 0.6 } else { -gap * 0.6 });
            let start = now + vec2(0.0, if up { -gap } else { gap });
            if (end.y - start.y).abs() > 6.0 {
                self.line(start, end, Stroke::new(1.2, color.gamma_multiply(0.7)));
            }
            // Left of the to-be point (the participants' dots are right of
            // it), at least a row below the label above it at this step.
            let font = FontId::new(12.5, crate::view::theme::semibold());
            let px = self.text_px(&font);
            let Some(galley) = self.galley(&format_change(change), px, &font, color, 200.0, 1)
            else {
                continue;
            };
            let row = CHANGE_ROW.max((galley.size().y + 1.0) / self.scale());
            let mut y = then.y;
            if let Some((x, above)) = last_label
                && (x - then.x).abs() < 1.0
            {
                y = y.max(above + row);
            }
            let at = pos2(then.x - theme.curve_point_radius * 0.6 - 5.0, y);
            // Zoomed out, where the scores' labels leave no room, the
            // dashed line and the arrow tell the change without its number.
            let rect = Align2::RIGHT_CENTER.anchor_size(self.to_screen * at, galley.size());
            if self.free_of_text(rect, texts_from) {
                last_label = Some((then.x, y));
                self.place(galley, at, Align2::RIGHT_CENTER, color);
            }
        }
        self.lifts(journey, layout, &lifts);
    }

    /// The lift pill on each opportunity card linked from a pain at a step
    /// where a to-be curve rises.
    fn lifts(&mut self, journey: &Journey, layout: &Layout, lifts: &[(StepId, f32)]) {
        let mut best: Vec<(crate::model::CardId, f32)> = Vec::new();
        for pain in &journey.pain_points {
            let Some(card) = pain.opportunity else {
                continue;
            };
            let step = match pain.anchor {
                crate::model::Anchor::Step(s) | crate::model::Anchor::Curve(_, s) => Some(s),
                crate::model::Anchor::Card(id) => journey.card(id).map(|c| c.step),
            };
            let rise = (lifts.iter())
                .filter(|(s, _)| Some(*s) == step)
                .map(|(_, change)| *change)
                .fold(0.0, f32::max);
            if rise <= 0.0 {
                continue;
            }
            match best.iter_mut().find(|(c, _)| *c == card) {
                Some((_, most)) => *most = most.max(rise),
                None => best.push((card, rise)),
            }
        }
        for (card, rise) in best {
            let Some(card_box) = layout.card(card) else {
                continue;
            };
            let rect = card_box.rect;
            let at = pos2(rect.max.x - 8.0, rect.max.y + PILL_HEIGHT / 2.0);
            let word = format!("lifts {}", format_change(rise));
            self.pill_at(at, Align2::RIGHT_BOTTOM, &word, GAIN);
        }
    }

    /// The bands of participants' scores around each sampled point in
    /// view, linked between neighbouring sampled points, with a dot per
    /// participant; drawn under the curves.
    pub(super) fn spread_bands(
        &mut self,
        journey: &Journey,
        layout: &Layout,
        theme: &Theme,
        (visible, kind): (Rect, SpreadKind),
    ) {
        if layout
            .emotion_plot
            .is_none_or(|plot| !plot.expand(20.0).intersects(visible.y_range()))
        {
            return;
        }
        let x = visible.x_range().expand(theme.column_width);
        for geom in &layout.curves {
            let Some(curve) = journey.curve_in(geom.persona, geom.state) else {
                continue;
            };
            if curve.samples.is_empty() {
                continue;
            }
            let mut color = theme.persona_color(geom.index);
            if beside_as_is(layout, geom) {
                color = color.gamma_multiply(0.6);
            }
            self.curve_bands(layout, geom, curve, (x, kind), color);
        }
    }

    fn curve_bands(
        &mut self,
        layout: &Layout,
        geom: &CurveGeom,
        curve: &crate::model::EmotionCurve,
        (x, kind): (egui::Rangef, SpreadKind),
        color: Color32,
    ) {
        let mut previous: Option<Rect> = None;
        for (step, point) in geom.points_in(x) {
            let samples = curve.samples_at(*step);
            let Some(band) = spread_rect(layout, point.x, samples, kind) else {
                previous = None;
                continue;
            };
            if let Some(before) = previous {
                let link = vec![
                    self.to_screen * before.right_top(),
                    self.to_screen * band.left_top(),
                    self.to_screen * band.left_bottom(),
                    self.to_screen * before.right_bottom(),
                ];
                self.shapes.push(Shape::Path(PathShape::convex_polygon(
                    link,
                    color.gamma_multiply(BAND_LINK_OPACITY),
                    Stroke::NONE,
                )));
            }
            previous = Some(band);
            self.rect(
                band,
                BAND_HALF_WIDTH,
                color.gamma_multiply(BAND_OPACITY),
                Stroke::new(1.0, color.gamma_multiply(0.55)),
            );
            for sample in samples {
                let Some(y) = layout.score_y(sample.score) else {
                    continue;
                };
                self.shapes.push(Shape::circle_filled(
                    self.to_screen * pos2(point.x + BAND_HALF_WIDTH + 4.0, y),
                    2.5 * self.scale(),
                    color.gamma_multiply(0.85),
                ));
            }
        }
    }

    /// A state mark's legend entry: the mark as on the map, and its text.
    pub(super) fn legend_state(&mut self, mark: StateMark, rect: Rect, theme: &Theme) {
        let mid = rect.center().y;
        let left = rect.min.x;
        let label_x = left + mark.indent();
        match mark {
            StateMark::ToBe => {
                let color = theme.text_muted;
                let from = self.to_screen * pos2(left, mid);
                let to = self.to_screen * pos2(left + 28.0, mid);
                let scale = self.scale();
                self.shapes.extend(Shape::dashed_line(
                    &[from, to],
                    Stroke::new(3.0 * scale, color),
                    6.0 * scale,
                    4.0 * scale,
                ));
            }
            StateMark::Planned => {
                self.dashed_outline(
                    Rect::from_min_size(pos2(left, mid - 7.0), vec2(38.0, 14.0)),
                    PLANNED,
                );
                self.pill_at(pos2(left + 3.0, mid), Align2::LEFT_CENTER, "NEW", PLANNED);
            }
            StateMark::Removed => {
                self.pill_at(pos2(left, mid), Align2::LEFT_CENTER, "REMOVED", LOSS);
            }
            StateMark::Solved => {
                self.tick(pos2(left + 8.0, mid), 7.0, GAIN);
            }
            StateMark::Lift => {
                self.pill_at(pos2(left, mid), Align2::LEFT_CENTER, "lifts", GAIN);
            }
            StateMark::Spread => {
                let band = Rect::from_center_size(pos2(left + 8.0, mid), vec2(12.0, 20.0));
                self.rect(
                    band,
                    6.0,
                    theme.text_muted.gamma_multiply(BAND_OPACITY),
                    Stroke::new(1.0, theme.text_muted.gamma_multiply(0.55)),
                );
                self.marker(pos2(left + 8.0, mid), Marker::Circle, 4.0, theme.text_muted);
            }
        }
        self.text(
            pos2(label_x, mid),
            Align2::LEFT_CENTER,
            mark.text(),
            &theme.small_font(1.0),
            theme.text,
            (rect.max.x - label_x) * 1.5,
            1,
        );
    }
}

/// The font of the words in pills.
fn pill_font() -> FontId {
    FontId::new(10.0, crate::view::theme::semibold())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EmotionCurve, Sample};
    use crate::view::scene::test_support::{step_ids, whole_scene};

    /// The four-stage template whose persona has an as-is curve with
    /// three participants' scores at the second step, and a to-be curve.
    fn voiced() -> Journey {
        let mut j = crate::model::templates::Template::FourStage.build("Voices");
        let steps = step_ids(&j);
        let persona = j.personas[0].id;
        let samples = [-2.0, -1.0, 1.0].map(|s| Sample::new("", s)).to_vec();
        let mut now = EmotionCurve::new(
            persona,
            [(steps[0], 0.0), (steps[1], -1.0), (steps[2], 1.0)].into(),
        );
        now.samples.insert(steps[1], samples);
        j.curves = vec![
            now,
            EmotionCurve {
                state: CurveState::Future,
                ..EmotionCurve::new(
                    persona,
                    [(steps[0], 0.5), (steps[1], 1.0), (steps[2], 1.0)].into(),
                )
            },
        ];
        j
    }

    #[test]
    fn the_band_runs_from_the_lowest_to_the_highest_score_around_the_median() {
        let j = voiced();
        let (_, layout, shapes) = whole_scene(&j);
        let step = step_ids(&j)[1];
        let point = layout.curve_point(j.personas[0].id, step).unwrap();
        let samples = j.curves[0].samples_at(step);
        let band = spread_rect(&layout, point.x, samples, SpreadKind::Range).unwrap();
        assert!((band.min.y - layout.score_y(1.0).unwrap()).abs() < 1e-3);
        assert!((band.max.y - layout.score_y(-2.0).unwrap()).abs() < 1e-3);
        assert!(band.y_range().contains(point.y), "the median is inside");
        let middle = spread_rect(&layout, point.x, samples, SpreadKind::MiddleHalf).unwrap();
        assert!(middle.height() < band.height());
        // The scene draws it: a rect of the band's size, and a dot per voice.
        let drawn = shapes.iter().any(|s| {
            matches!(s, Shape::Rect(r) if (r.rect.min.y - band.min.y).abs() < 0.5
                && (r.rect.max.y - band.max.y).abs() < 0.5
                && (r.rect.center().x - point.x).abs() < 0.5)
        });
        assert!(drawn, "no band drawn");
        let one = Sample::new("", 1.0);
        assert_eq!(spread_rect(&layout, 0.0, &[one], SpreadKind::Range), None);
    }

    #[test]
    fn compare_labels_the_large_changes_and_dashes_the_to_be_curve() {
        let j = voiced();
        let (_, layout, shapes) = whole_scene(&j);
        let labels: Vec<String> = shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Text(t) => Some(t.galley.text().to_owned()),
                _ => None,
            })
            .collect();
        assert!(labels.iter().any(|t| t == "+2"), "{labels:?}");
        assert!(
            !labels.iter().any(|t| t == "+0.5"),
            "a small change is not labelled"
        );
        let steps: Vec<f32> = changes(&j, &layout).map(|c| c.4).collect();
        assert_eq!(steps, vec![0.5, 2.0, 0.0]);
        let dashes = shapes
            .iter()
            .filter(|s| matches!(s, Shape::LineSegment { .. }))
            .count();
        assert!(dashes > 20, "{dashes} dashes");
        assert_eq!(legend_group(&j).len(), 3, "heading, to-be and spread");
    }
}
