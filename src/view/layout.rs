//! Geometry of a journey map in map units, and hit testing. Pure: no egui
//! context, so it is unit-tested directly and shared by canvas and export.
//!
//! The map's origin is the top-left corner of the label column; x grows to the
//! right through the step columns, y grows down through the header rows and
//! the lanes. Columns, stages and lanes follow each other without overlap,
//! and curve points run left to right; the lookups of what is in view
//! (`columns_in`, `cards_in_view`, `pains_in`, ...) rely on that order, so
//! a view's cost follows what it shows, and they return items in the
//! journey's order.

use std::collections::HashMap;
use std::sync::Arc;

use egui::{Pos2, Rangef, Rect, Vec2, pos2};

use crate::model::{
    Anchor, CardId, Journey, LaneId, LaneKind, PainId, PersonaId, SCORE_RANGE, StageId, StepId,
};
use crate::view::theme::Theme;

/// One step column.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// The step.
    pub step: StepId,
    /// The stage it belongs to.
    pub stage: StageId,
    /// Left and right edge.
    pub x: Rangef,
    /// Where the step's name goes in the step header: the column less its
    /// padding and less the pain badges pinned to the header's right end,
    /// so a long name is cut short with an ellipsis instead of running
    /// under a badge.
    pub label_x: Rangef,
}

/// A stage header spanning its steps.
#[derive(Clone, Debug, PartialEq)]
pub struct StageBox {
    /// The stage.
    pub id: StageId,
    /// Position in the stage list (for its colour).
    pub index: usize,
    /// Left and right edge.
    pub x: Rangef,
}

/// One lane row.
#[derive(Clone, Debug, PartialEq)]
pub struct LaneBox {
    /// The lane.
    pub id: LaneId,
    /// Its kind.
    pub kind: LaneKind,
    /// Top and bottom edge.
    pub y: Rangef,
}

/// Where a card is drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct CardBox {
    /// The card.
    pub id: CardId,
    /// Its position in the journey's card list, for lookups without a search.
    pub index: usize,
    /// Its cell.
    pub step: StepId,
    /// Its cell.
    pub lane: LaneId,
    /// Its rectangle.
    pub rect: Rect,
}

/// A persona's curve points in map units, left to right.
#[derive(Clone, Debug, PartialEq)]
pub struct CurveGeom {
    /// Whose curve.
    pub persona: PersonaId,
    /// Position in the persona list (for its colour).
    pub index: usize,
    /// One point per step that has a score.
    pub points: Vec<(StepId, Pos2)>,
}

impl CurveGeom {
    /// The points whose x lies in `x`, left to right.
    pub fn points_in(&self, x: Rangef) -> &[(StepId, Pos2)] {
        let first = self.points.partition_point(|(_, p)| p.x < x.min);
        let rest = self.points.get(first..).unwrap_or_default();
        let count = rest.partition_point(|(_, p)| p.x <= x.max);
        rest.get(..count).unwrap_or_default()
    }

    /// The point at a step whose column's centre is `x`.
    pub fn point_at(&self, step: StepId, x: f32) -> Option<Pos2> {
        self.points_in(Rangef::point(x))
            .iter()
            .find(|(s, _)| *s == step)
            .map(|(_, p)| *p)
    }
}

/// Where a pain point marker is drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct PainMarker {
    /// The pain point.
    pub id: PainId,
    /// Its position in the journey's pain points when laid out.
    pub index: usize,
    /// Marker centre.
    pub center: Pos2,
}

/// What is under a point of the map.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Hit {
    /// A pain point marker.
    Pain(PainId),
    /// A curve point handle.
    CurvePoint(PersonaId, StepId),
    /// A card.
    Card(CardId),
    /// An empty part of a cell.
    Cell(StepId, LaneId),
    /// A step header.
    StepHeader(StepId),
    /// A stage header.
    StageHeader(StageId),
    /// A lane label.
    LaneLabel(LaneId),
}

/// Lookups of card boxes (indices into [`Layout::cards`]).
#[derive(Debug, Default)]
struct CardIndex {
    by_id: HashMap<CardId, usize>,
    /// Each cell's cards, top to bottom.
    cells: HashMap<(StepId, LaneId), Vec<usize>>,
    /// Each column's cards, so a view finds its cards without visiting the
    /// whole map's.
    by_column: Vec<Vec<usize>>,
}

/// The geometry of a whole map.
#[derive(Clone, Debug)]
pub struct Layout {
    /// Step columns, left to right.
    pub columns: Vec<Column>,
    /// Stage headers, left to right.
    pub stages: Vec<StageBox>,
    /// Lanes, top to bottom.
    pub lanes: Vec<LaneBox>,
    /// Cards, in the journey's card order. Shared between copies of the
    /// layout, like their indexes: the canvas copies it in every frame of
    /// a curve point's drag.
    pub cards: Arc<[CardBox]>,
    /// Emotion curves, one per persona with points.
    pub curves: Vec<CurveGeom>,
    /// Pain markers whose anchor exists.
    pub pains: Vec<PainMarker>,
    /// Stage header row.
    pub stage_header: Rangef,
    /// Step header row.
    pub step_header: Rangef,
    /// Label column.
    pub label_x: Rangef,
    /// Vertical range of the emotion lane's plot area, if there is one.
    pub emotion_plot: Option<Rangef>,
    /// The whole map.
    pub size: Vec2,
    card_index: Arc<CardIndex>,
    column_index: HashMap<StepId, usize>,
    /// Indices into `pains`, sorted by the marker's x.
    pains_by_x: Vec<usize>,
}

impl Layout {
    /// Lays out a journey. Cards in cells that do not exist are left out.
    pub fn new(journey: &Journey, theme: &Theme) -> Self {
        let mut layout = Self::empty(theme);
        let width = layout.place_columns(journey, theme);
        let lane_of: HashMap<LaneId, usize> = journey
            .lanes
            .iter()
            .enumerate()
            .map(|(i, l)| (l.id, i))
            .collect();
        let slots = layout.card_slots(journey, &lane_of);
        let height = layout.place_lanes(journey, &slots, &lane_of, theme);
        layout.size = Vec2::new(width, height);
        layout.place_cards(journey, &slots, &lane_of, theme);
        layout.place_curves(journey, theme);
        layout.place_pains(journey, theme);
        layout
    }

    /// The header rows and the label column, with nothing in them.
    fn empty(theme: &Theme) -> Self {
        Self {
            label_x: Rangef::new(0.0, theme.label_width),
            stage_header: Rangef::new(0.0, theme.stage_header_height),
            step_header: Rangef::new(
                theme.stage_header_height,
                theme.stage_header_height + theme.step_header_height,
            ),
            columns: Vec::new(),
            stages: Vec::new(),
            lanes: Vec::new(),
            cards: Arc::from([]),
            curves: Vec::new(),
            pains: Vec::new(),
            emotion_plot: None,
            size: Vec2::ZERO,
            card_index: Arc::default(),
            column_index: HashMap::new(),
            pains_by_x: Vec::new(),
        }
    }

    /// Stages and their step columns, left to right. Returns the map's width.
    fn place_columns(&mut self, journey: &Journey, theme: &Theme) -> f32 {
        let mut x = theme.label_width;
        for (index, stage) in journey.stages.iter().enumerate() {
            let start = x;
            for step in &stage.steps {
                self.column_index.insert(step.id, self.columns.len());
                self.columns.push(Column {
                    step: step.id,
                    stage: stage.id,
                    x: Rangef::new(x, x + theme.column_width),
                    label_x: Rangef::new(
                        x + STEP_LABEL_PADDING,
                        x + theme.column_width - STEP_LABEL_PADDING,
                    ),
                });
                x += theme.column_width;
            }
            // A stage without steps still gets a sliver so it can be seen and selected.
            if stage.steps.is_empty() {
                x += theme.card_gap * 2.0;
            }
            self.stages.push(StageBox {
                id: stage.id,
                index,
                x: Rangef::new(start, x),
            });
        }
        x
    }

    /// Each card's slot in its cell's stack, or `None` for a card whose
    /// cell does not exist.
    fn card_slots(
        &self,
        journey: &Journey,
        lane_of: &HashMap<LaneId, usize>,
    ) -> Vec<Option<usize>> {
        let mut per_cell: HashMap<(StepId, LaneId), usize> = HashMap::new();
        journey
            .cards
            .iter()
            .map(|card| {
                let placed =
                    self.column_index.contains_key(&card.step) && lane_of.contains_key(&card.lane);
                placed.then(|| {
                    let n = per_cell.entry((card.step, card.lane)).or_insert(0);
                    *n += 1;
                    *n - 1
                })
            })
            .collect()
    }

    /// Lanes, top to bottom, each tall enough for its fullest cell.
    /// Returns the map's height.
    fn place_lanes(
        &mut self,
        journey: &Journey,
        slots: &[Option<usize>],
        lane_of: &HashMap<LaneId, usize>,
        theme: &Theme,
    ) -> f32 {
        let mut lane_max = vec![0usize; journey.lanes.len()];
        for (card, slot) in journey.cards.iter().zip(slots) {
            if let Some(slot) = slot
                && let Some(max) = lane_of.get(&card.lane).and_then(|i| lane_max.get_mut(*i))
            {
                *max = (*max).max(slot + 1);
            }
        }
        let pitch = theme.card_height + theme.card_gap;
        let mut y = self.step_header.max;
        for (lane, max_cards) in journey.lanes.iter().zip(&lane_max) {
            let content = theme.card_gap + *max_cards as f32 * pitch;
            let min = if lane.kind == LaneKind::Emotions {
                theme.emotion_lane_height
            } else {
                theme.lane_min_height
            };
            let height = content.max(min);
            self.lanes.push(LaneBox {
                id: lane.id,
                kind: lane.kind,
                y: Rangef::new(y, y + height),
            });
            y += height;
        }
        y
    }

    /// Card boxes, stacked in their cells in the journey's order.
    fn place_cards(
        &mut self,
        journey: &Journey,
        slots: &[Option<usize>],
        lane_of: &HashMap<LaneId, usize>,
        theme: &Theme,
    ) {
        let pitch = theme.card_height + theme.card_gap;
        let mut boxes = Vec::with_capacity(journey.cards.len());
        let mut index = CardIndex {
            by_column: vec![Vec::new(); self.columns.len()],
            ..CardIndex::default()
        };
        for (card_index, (card, slot)) in journey.cards.iter().zip(slots).enumerate() {
            let Some(slot) = slot else { continue };
            let Some(&column) = self.column_index.get(&card.step) else {
                continue;
            };
            let (Some(col), Some(lane)) = (
                self.columns.get(column),
                lane_of.get(&card.lane).and_then(|i| self.lanes.get(*i)),
            ) else {
                continue;
            };
            let top = lane.y.min + theme.card_gap + *slot as f32 * pitch;
            let rect = Rect::from_min_max(
                pos2(col.x.min + theme.card_gap, top),
                pos2(col.x.max - theme.card_gap, top + theme.card_height),
            );
            let at = boxes.len();
            index.by_id.insert(card.id, at);
            index
                .cells
                .entry((card.step, card.lane))
                .or_default()
                .push(at);
            if let Some(cards) = index.by_column.get_mut(column) {
                cards.push(at);
            }
            boxes.push(CardBox {
                id: card.id,
                index: card_index,
                step: card.step,
                lane: card.lane,
                rect,
            });
        }
        self.cards = boxes.into();
        self.card_index = Arc::new(index);
    }

    /// The emotion lane's plot area and each persona's curve points in it.
    fn place_curves(&mut self, journey: &Journey, theme: &Theme) {
        let Some(lane) = journey
            .emotion_lane()
            .and_then(|l| self.lanes.iter().find(|b| b.id == l.id))
        else {
            return;
        };
        let pad = theme.curve_point_radius + 22.0;
        let plot = Rangef::new(lane.y.min + pad, lane.y.max - pad);
        self.emotion_plot = Some(plot);
        for (index, persona) in journey.personas.iter().enumerate() {
            let Some(curve) = journey.curve(persona.id) else {
                continue;
            };
            let points = self
                .columns
                .iter()
                .filter_map(|c| {
                    curve
                        .points
                        .get(&c.step)
                        .map(|score| (c.step, pos2(c.x.center(), score_to_y(plot, *score))))
                })
                .collect();
            self.curves.push(CurveGeom {
                persona: persona.id,
                index,
                points,
            });
        }
    }

    /// Pain markers: on a card's top edge, above a curve point, or at the
    /// right end of a step's header (the step's name then stops short of
    /// them); several on one anchor line up.
    fn place_pains(&mut self, journey: &Journey, theme: &Theme) {
        let spacing = theme.pain_radius * 2.0 + 4.0;
        let mut count: HashMap<Anchor, usize> = HashMap::new();
        for (index, pain) in journey.pain_points.iter().enumerate() {
            let n = count.entry(pain.anchor).or_insert(0);
            let offset = *n as f32 * spacing;
            *n += 1;
            let center = match pain.anchor {
                Anchor::Card(id) => self.card(id).map(|c| {
                    pos2(
                        c.rect.max.x - theme.pain_radius - 2.0 - offset,
                        c.rect.min.y + 2.0,
                    )
                }),
                Anchor::Curve(persona, step) => self.curve_point(persona, step).map(|p| {
                    pos2(
                        p.x + offset,
                        p.y - theme.curve_point_radius - theme.pain_radius - 4.0,
                    )
                }),
                Anchor::Step(step) => {
                    let header = self.step_header.center();
                    self.column_index
                        .get(&step)
                        .and_then(|i| self.columns.get_mut(*i))
                        .map(|c| {
                            let x = c.x.max - theme.pain_radius - 4.0 - offset;
                            let badge_left = x - theme.pain_radius - 4.0;
                            c.label_x.max = c.label_x.max.min(badge_left).max(c.label_x.min);
                            pos2(x, header)
                        })
                }
            };
            if let Some(center) = center {
                self.pains.push(PainMarker {
                    id: pain.id,
                    index,
                    center,
                });
            }
        }
        self.pains_by_x = (0..self.pains.len()).collect();
        let pains = &self.pains;
        self.pains_by_x.sort_by(|a, b| {
            let x = |i: &usize| pains.get(*i).map_or(0.0, |m| m.center.x);
            x(a).total_cmp(&x(b))
        });
    }

    /// The whole map as a rectangle from the origin.
    pub fn map_rect(&self) -> Rect {
        Rect::from_min_size(Pos2::ZERO, self.size)
    }

    /// Vertical extent of all lanes.
    pub fn lanes_y(&self) -> Rangef {
        Rangef::new(self.step_header.max, self.size.y)
    }

    /// The pain point a marker shows, found like [`Self::card_of`].
    pub fn pain_of<'j>(
        &self,
        journey: &'j Journey,
        marker: &PainMarker,
    ) -> Option<&'j crate::model::PainPoint> {
        at_or_find(&journey.pain_points, marker.index, marker.id, |p| p.id)
    }

    /// The card a box stands for, found by position (the layout was made
    /// from this journey, so the position is right; the id check guards it).
    pub fn card_of<'j>(
        &self,
        journey: &'j Journey,
        card_box: &CardBox,
    ) -> Option<&'j crate::model::Card> {
        at_or_find(&journey.cards, card_box.index, card_box.id, |c| c.id)
    }

    /// The box of a card.
    pub fn card(&self, id: CardId) -> Option<&CardBox> {
        self.card_index
            .by_id
            .get(&id)
            .and_then(|i| self.cards.get(*i))
    }

    /// The column of a step.
    pub fn column(&self, id: StepId) -> Option<&Column> {
        self.column_index
            .get(&id)
            .and_then(|i| self.columns.get(*i))
    }

    /// The box of a lane.
    pub fn lane(&self, id: LaneId) -> Option<&LaneBox> {
        self.lanes.iter().find(|l| l.id == id)
    }

    /// The columns that reach into `x`, left to right.
    pub fn columns_in(&self, x: Rangef) -> &[Column] {
        self.columns.get(self.column_range(x)).unwrap_or_default()
    }

    /// Indices of the columns that reach into `x`.
    fn column_range(&self, x: Rangef) -> std::ops::Range<usize> {
        let first = self.columns.partition_point(|c| c.x.max < x.min);
        let rest = self.columns.get(first..).unwrap_or_default();
        first..first + rest.partition_point(|c| c.x.min <= x.max)
    }

    /// The stages that reach into `x`, left to right.
    pub fn stages_in(&self, x: Rangef) -> &[StageBox] {
        let first = self.stages.partition_point(|s| s.x.max < x.min);
        let rest = self.stages.get(first..).unwrap_or_default();
        let count = rest.partition_point(|s| s.x.min <= x.max);
        rest.get(..count).unwrap_or_default()
    }

    /// The cards that reach into `rect`, in the journey's card order, found
    /// through the columns in view rather than by visiting every card.
    pub fn cards_in_view(&self, rect: Rect) -> impl Iterator<Item = &CardBox> {
        let mut found: Vec<usize> = self
            .card_index
            .by_column
            .get(self.column_range(rect.x_range()))
            .unwrap_or_default()
            .iter()
            .flatten()
            .copied()
            .filter(|i| self.cards.get(*i).is_some_and(|c| c.rect.intersects(rect)))
            .collect();
        found.sort_unstable();
        found.into_iter().filter_map(|i| self.cards.get(i))
    }

    /// The pain markers whose centres lie in `x`, in the journey's order.
    pub fn pains_in(&self, x: Rangef) -> impl Iterator<Item = &PainMarker> {
        let center_x = |i: &usize| self.pains.get(*i).map_or(0.0, |m| m.center.x);
        let first = self.pains_by_x.partition_point(|i| center_x(i) < x.min);
        let rest = self.pains_by_x.get(first..).unwrap_or_default();
        let count = rest.partition_point(|i| center_x(i) <= x.max);
        let mut found = rest.get(..count).unwrap_or_default().to_vec();
        found.sort_unstable();
        found.into_iter().filter_map(|i| self.pains.get(i))
    }

    /// The rectangle of a cell.
    pub fn cell_rect(&self, step: StepId, lane: LaneId) -> Option<Rect> {
        let col = self.column(step)?;
        let lane = self.lane(lane)?;
        Some(Rect::from_x_y_ranges(col.x, lane.y))
    }

    /// Where a persona's curve passes through a step.
    pub fn curve_point(&self, persona: PersonaId, step: StepId) -> Option<Pos2> {
        let x = self.column(step)?.x.center();
        self.curves
            .iter()
            .find(|c| c.persona == persona)?
            .point_at(step, x)
    }

    /// The column under an x coordinate.
    pub fn column_at(&self, x: f32) -> Option<&Column> {
        let i = self.columns.partition_point(|c| c.x.max <= x);
        self.columns.get(i).filter(|c| c.x.contains(x))
    }

    /// The lane under a y coordinate.
    pub fn lane_at(&self, y: f32) -> Option<&LaneBox> {
        let i = self.lanes.partition_point(|l| l.y.max <= y);
        self.lanes.get(i).filter(|l| l.y.contains(y))
    }

    /// The cell under a point.
    pub fn cell_at(&self, pos: Pos2) -> Option<(StepId, LaneId)> {
        Some((self.column_at(pos.x)?.step, self.lane_at(pos.y)?.id))
    }

    /// The cards of a cell, top to bottom.
    pub fn cards_in(&self, step: StepId, lane: LaneId) -> impl Iterator<Item = &CardBox> {
        self.card_index
            .cells
            .get(&(step, lane))
            .into_iter()
            .flatten()
            .filter_map(|i| self.cards.get(*i))
    }

    /// Where in a cell's stack a card dropped at `y` goes (0 = top).
    pub fn slot_at(&self, step: StepId, lane: LaneId, y: f32, ignore: &[CardId]) -> usize {
        self.cards_in(step, lane)
            .filter(|c| !ignore.contains(&c.id))
            .take_while(|c| c.rect.center().y < y)
            .count()
    }

    /// The emotion score at a y coordinate in the emotion lane, clamped.
    pub fn score_at(&self, y: f32) -> Option<f32> {
        let plot = self.emotion_plot?;
        let t = (plot.max - y) / plot.span().max(1.0);
        let (lo, hi) = (*SCORE_RANGE.start(), *SCORE_RANGE.end());
        Some((lo + t * (hi - lo)).clamp(lo, hi))
    }

    /// The y coordinate of a score in the emotion lane.
    pub fn score_y(&self, score: f32) -> Option<f32> {
        self.emotion_plot.map(|plot| score_to_y(plot, score))
    }

    /// The topmost thing under a point, within `slop` map units for small targets.
    pub fn hit(&self, pos: Pos2, slop: f32, theme: &Theme) -> Option<Hit> {
        let near = |c: Pos2, r: f32| c.distance(pos) <= r + slop;
        if let Some(p) = self
            .pains
            .iter()
            .rev()
            .find(|p| near(p.center, theme.pain_radius))
        {
            return Some(Hit::Pain(p.id));
        }
        for curve in self.curves.iter().rev() {
            if let Some((step, _)) = curve
                .points
                .iter()
                .find(|(_, p)| near(*p, theme.curve_point_radius))
            {
                return Some(Hit::CurvePoint(curve.persona, *step));
            }
        }
        if self.label_x.contains(pos.x) {
            return self.lane_at(pos.y).map(|l| Hit::LaneLabel(l.id));
        }
        if self.stage_header.contains(pos.y) {
            return self
                .stages
                .iter()
                .find(|s| s.x.contains(pos.x))
                .map(|s| Hit::StageHeader(s.id));
        }
        if self.step_header.contains(pos.y) {
            return self.column_at(pos.x).map(|c| Hit::StepHeader(c.step));
        }
        let (step, lane) = self.cell_at(pos)?;
        if let Some(card) = self.cards_in(step, lane).find(|c| c.rect.contains(pos)) {
            return Some(Hit::Card(card.id));
        }
        Some(Hit::Cell(step, lane))
    }

    /// Cards whose rectangles intersect a rectangle (rubber-band selection).
    pub fn cards_in_rect(&self, rect: Rect) -> impl Iterator<Item = CardId> + '_ {
        self.cards_in_view(rect).map(|c| c.id)
    }
}

fn score_to_y(plot: Rangef, score: f32) -> f32 {
    let (lo, hi) = (*SCORE_RANGE.start(), *SCORE_RANGE.end());
    let t = (score.clamp(lo, hi) - lo) / (hi - lo);
    plot.max - t * plot.span()
}

/// Space between a step's name and its column's edges, in map units.
const STEP_LABEL_PADDING: f32 = 8.0;

/// `items[index]` when it has `id`, else the item with `id` wherever it is:
/// the layout records positions in the journey it was made from, and the
/// search only runs if the journey has changed since.
fn at_or_find<T, I: Copy + PartialEq>(
    items: &[T],
    index: usize,
    id: I,
    id_of: impl Fn(&T) -> I,
) -> Option<&T> {
    items
        .get(index)
        .filter(|item| id_of(item) == id)
        .or_else(|| items.iter().find(|item| id_of(item) == id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::templates::Template;
    use crate::model::{Card, Channel};

    fn journey_with_cards() -> Journey {
        let mut j = Template::FourStage.build("t");
        let step = j.stages[1].steps[0].id;
        let lane = j.lanes[1].id;
        for i in 0..3 {
            j.cards.push(Card {
                id: CardId(100 + i),
                step,
                lane,
                title: format!("c{i}"),
                notes: String::new(),
                channel: Some(Channel::Web),
            });
        }
        j
    }

    #[test]
    fn columns_and_cells_line_up() {
        let theme = Theme::default();
        let j = journey_with_cards();
        let l = Layout::new(&j, &theme);
        assert_eq!(l.columns.len(), 4);
        assert_eq!(l.lanes.len(), 6);
        let step = j.stages[1].steps[0].id;
        let lane = j.lanes[1].id;
        let cell = l.cell_rect(step, lane).unwrap();
        assert_eq!(l.cell_at(cell.center()), Some((step, lane)));
        // Three stacked cards make their lane taller than the minimum.
        assert!(l.lanes[1].y.span() > theme.lane_min_height);
        let second_box = l.card(CardId(101)).unwrap();
        assert_eq!(l.card_of(&j, second_box).unwrap().title, "c1");
        let second = second_box.rect;
        assert_eq!(
            l.hit(second.center(), 0.0, &theme),
            Some(Hit::Card(CardId(101)))
        );
        assert_eq!(l.slot_at(step, lane, second.center().y + 1.0, &[]), 2);
        assert_eq!(l.slot_at(step, lane, cell.min.y, &[]), 0);
    }

    /// The indexed lookups a view uses find exactly what a pass over the
    /// whole map finds, in the same order.
    #[test]
    fn what_is_in_view_is_found_without_visiting_the_whole_map() {
        let journey = crate::model::templates::generated(60, 700);
        let l = Layout::new(&journey, &Theme::default());
        assert!(!l.pains.is_empty() && !l.curves.is_empty());
        let views = [
            Rect::from_min_max(pos2(-50.0, -50.0), pos2(900.0, 600.0)),
            Rect::from_min_max(pos2(3000.0, 200.0), pos2(4100.5, 900.0)),
            Rect::from_min_max(pos2(l.columns[7].x.max, 0.0), pos2(l.columns[9].x.min, 1e5)),
            Rect::from_min_max(pos2(l.size.x - 10.0, 0.0), pos2(l.size.x + 500.0, 300.0)),
            Rect::from_min_max(pos2(-900.0, 0.0), pos2(-10.0, 300.0)),
            l.map_rect(),
        ];
        for view in views {
            let x = view.x_range();
            let cards: Vec<CardId> = l.cards_in_view(view).map(|c| c.id).collect();
            let all: Vec<CardId> = l
                .cards
                .iter()
                .filter(|c| c.rect.intersects(view))
                .map(|c| c.id)
                .collect();
            assert_eq!(cards, all, "cards in {view:?}");
            let columns: Vec<StepId> = l.columns_in(x).iter().map(|c| c.step).collect();
            let all: Vec<StepId> = l
                .columns
                .iter()
                .filter(|c| c.x.intersects(x))
                .map(|c| c.step)
                .collect();
            assert_eq!(columns, all, "columns in {view:?}");
            let stages: Vec<StageId> = l.stages_in(x).iter().map(|s| s.id).collect();
            let all: Vec<StageId> = l
                .stages
                .iter()
                .filter(|s| s.x.intersects(x))
                .map(|s| s.id)
                .collect();
            assert_eq!(stages, all, "stages in {view:?}");
            let pains: Vec<PainId> = l.pains_in(x).map(|m| m.id).collect();
            let all: Vec<PainId> = l
                .pains
                .iter()
                .filter(|m| x.contains(m.center.x))
                .map(|m| m.id)
                .collect();
            assert_eq!(pains, all, "pains in {view:?}");
            for curve in &l.curves {
                let points = curve.points_in(x);
                let all: Vec<(StepId, Pos2)> = curve
                    .points
                    .iter()
                    .copied()
                    .filter(|(_, p)| x.contains(p.x))
                    .collect();
                assert_eq!(points, &all[..], "points in {view:?}");
            }
        }
        for curve in &l.curves {
            for (step, point) in &curve.points {
                assert_eq!(l.curve_point(curve.persona, *step), Some(*point));
            }
        }
    }

    #[test]
    fn score_maps_both_ways() {
        let theme = Theme::default();
        let l = Layout::new(&journey_with_cards(), &theme);
        for score in [-2.0, -0.5, 0.0, 1.25, 2.0] {
            let y = l.score_y(score).unwrap();
            assert!((l.score_at(y).unwrap() - score).abs() < 1e-4);
        }
        let top = l.score_y(2.0).unwrap();
        assert!((l.score_at(top - 500.0).unwrap() - 2.0).abs() < f32::EPSILON);
    }

    #[test]
    fn headers_and_labels_hit() {
        let theme = Theme::default();
        let j = journey_with_cards();
        let l = Layout::new(&j, &theme);
        let x = l.columns[2].x.center();
        assert_eq!(
            l.hit(pos2(x, 5.0), 0.0, &theme),
            Some(Hit::StageHeader(j.stages[2].id))
        );
        assert_eq!(
            l.hit(pos2(x, l.step_header.center()), 0.0, &theme),
            Some(Hit::StepHeader(j.stages[2].steps[0].id))
        );
        assert_eq!(
            l.hit(pos2(10.0, l.lanes[3].y.center()), 0.0, &theme),
            Some(Hit::LaneLabel(j.lanes[3].id))
        );
        assert_eq!(l.hit(pos2(-5.0, -5.0), 0.0, &theme), None);
    }
}
