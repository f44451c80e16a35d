//! The layout's lookups: what is where, and what is under a point.

use egui::{Pos2, Rangef, Rect};

use super::{
    CardBox, Column, CurveGeom, Hit, LaneBox, Layout, PainMarker, PainNote, PersonaBlock, StageBox,
    at_or_find, score_to_y,
};
use crate::model::{CardId, CurveState, Journey, LaneId, PersonaId, SCORE_RANGE, StageId, StepId};
use crate::view::theme::Theme;

impl Layout {
    /// Numbers the pain points from `before + 1` rather than 1: the part of
    /// a map on one slide keeps the numbers of the whole map.
    pub fn number_pains_after(&mut self, before: usize) {
        for marker in &mut self.pains {
            marker.number += before;
        }
        for note in &mut self.pain_notes {
            note.number += before;
        }
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

    /// The pain point a note shows, found like [`Self::card_of`].
    pub fn pain_of_note<'j>(
        &self,
        journey: &'j Journey,
        note: &PainNote,
    ) -> Option<&'j crate::model::PainPoint> {
        at_or_find(&journey.pain_points, note.index, note.id, |p| p.id)
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

    /// The curves whose points are handles (can be selected and dragged):
    /// a persona's current curve where it has one, else its future one. In
    /// Compare the future curve is drawn for comparison only.
    pub fn handled_curves(&self) -> impl DoubleEndedIterator<Item = &CurveGeom> {
        self.curves.iter().filter(|curve| {
            curve.state == CurveState::Current
                || !(self.curves.iter())
                    .any(|c| c.persona == curve.persona && c.state == CurveState::Current)
        })
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
        for curve in self.handled_curves().rev() {
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
        if let Some(stage) = self.band_stage_at(pos) {
            return Some(Hit::StageHeader(stage));
        }
        if let Some(block) = self.persona_at(pos) {
            return Some(Hit::Persona(block.id));
        }
        if let Some(note) = self.pain_notes.iter().find(|n| n.rect.contains(pos)) {
            return Some(Hit::Pain(note.id));
        }
        let (step, lane) = self.cell_at(pos)?;
        if let Some(card) = self.cards_in(step, lane).find(|c| c.rect.contains(pos)) {
            return Some(Hit::Card(card.id));
        }
        Some(Hit::Cell(step, lane))
    }

    /// The stage whose goals or KPIs cell is under a point.
    pub fn band_stage_at(&self, pos: Pos2) -> Option<StageId> {
        let goals = (self.goals.as_ref())
            .filter(|b| b.y.contains(pos.y))
            .and_then(|b| b.cell_at(pos.x).map(|c| c.stage));
        let kpis = (self.kpis.as_ref())
            .filter(|b| b.y.contains(pos.y))
            .and_then(|b| b.cell_at(pos.x).map(|c| c.stage));
        goals.or(kpis)
    }

    /// The persona block under a point.
    pub fn persona_at(&self, pos: Pos2) -> Option<&PersonaBlock> {
        (self.personas.as_ref())
            .filter(|s| s.y.contains(pos.y))
            .and_then(|s| s.blocks.iter().find(|b| b.rect.contains(pos)))
    }

    /// Cards whose rectangles intersect a rectangle (rubber-band selection).
    pub fn cards_in_rect(&self, rect: Rect) -> impl Iterator<Item = CardId> + '_ {
        self.cards_in_view(rect).map(|c| c.id)
    }
}
