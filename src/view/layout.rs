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
use crate::view::blocks::{CardText, card_text, card_text_width, corner_height, pain_text};
use crate::view::measure::{Wrapped, wrap};
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
    /// so a long name wraps short of them.
    pub label_x: Rangef,
    /// The step's name wrapped to `label_x`.
    pub name: Arc<Wrapped>,
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
    /// The stage's name wrapped to the header's width.
    pub name: Arc<Wrapped>,
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
    /// How many pain badges sit on it (its title makes room for them).
    pub badges: usize,
    /// Its text as measured for its height, row by row.
    pub text: CardText,
}

/// A pain point's note: its number, severity and text, in the Pain points
/// lane of its step (or in the row of pain notes under a map without one).
#[derive(Clone, Debug, PartialEq)]
pub struct PainNote {
    /// The pain point.
    pub id: PainId,
    /// Its position in the journey's pain points when laid out.
    pub index: usize,
    /// The number it shares with its marker.
    pub number: usize,
    /// Its column.
    pub step: StepId,
    /// Its rectangle.
    pub rect: Rect,
    /// Its text as measured for its height, row by row.
    pub text: Arc<Wrapped>,
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
    /// Its number: pain points count left to right along the journey.
    pub number: usize,
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
    /// Pain notes, one per marker, left to right.
    pub pain_notes: Vec<PainNote>,
    /// The row of pain notes under the lanes, when the map has pain points
    /// but no Pain points lane to hold their notes.
    pub pain_row: Option<Rangef>,
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
        let badges = badge_counts(journey);
        let width = layout.place_columns(journey, theme, &badges);
        layout.place_headers(journey, theme);
        let lane_of: HashMap<LaneId, usize> = journey
            .lanes
            .iter()
            .enumerate()
            .map(|(i, l)| (l.id, i))
            .collect();
        let stacks = layout.stack_cells(journey, &lane_of, &badges, theme);
        let height = layout.place_lanes(journey, &stacks, theme);
        layout.size = Vec2::new(width, height);
        layout.place_cards(journey, &stacks, &lane_of, theme);
        layout.place_curves(journey, theme);
        layout.place_pains(journey, &stacks, theme);
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
            pain_notes: Vec::new(),
            pain_row: None,
            emotion_plot: None,
            size: Vec2::ZERO,
            card_index: Arc::default(),
            column_index: HashMap::new(),
            pains_by_x: Vec::new(),
        }
    }

    /// Stages and their step columns, left to right; a step's name stops
    /// short of the pain badges at its header's right end. Returns the
    /// map's width.
    fn place_columns(
        &mut self,
        journey: &Journey,
        theme: &Theme,
        badges: &HashMap<Anchor, usize>,
    ) -> f32 {
        let (stage_font, step_font) = (theme.stage_font(1.0), theme.step_font(1.0));
        let mut x = theme.label_width;
        for (index, stage) in journey.stages.iter().enumerate() {
            let start = x;
            for step in &stage.steps {
                let on_header = badges.get(&Anchor::Step(step.id)).copied().unwrap_or(0);
                let right = x + theme.column_width
                    - STEP_LABEL_PADDING
                    - on_header as f32 * (theme.pain_radius * 2.0 + 4.0);
                let label_x = Rangef::new(
                    x + STEP_LABEL_PADDING,
                    right.max(x + 2.0 * STEP_LABEL_PADDING),
                );
                self.column_index.insert(step.id, self.columns.len());
                self.columns.push(Column {
                    step: step.id,
                    stage: stage.id,
                    x: Rangef::new(x, x + theme.column_width),
                    label_x,
                    name: wrap(&step.name, &step_font, label_x.span()),
                });
                x += theme.column_width;
            }
            // A stage without steps still gets a sliver so it can be seen and selected.
            if stage.steps.is_empty() {
                x += theme.card_gap * 2.0;
            }
            let room = x - start - 2.0 * STAGE_LABEL_PADDING;
            self.stages.push(StageBox {
                id: stage.id,
                index,
                x: Rangef::new(start, x),
                name: wrap(&stage.name, &stage_font, room),
            });
        }
        x
    }

    /// The header rows, tall enough for every stage's and step's name
    /// wrapped to its width.
    fn place_headers(&mut self, journey: &Journey, theme: &Theme) {
        let stage_text = (self.stages.iter())
            .map(|b| b.name.height())
            .fold(0.0, f32::max);
        let step_text = (self.columns.iter())
            .map(|c| c.name.height())
            .fold(0.0, f32::max);
        let stage_h = theme
            .stage_header_height
            .max((stage_text + 2.0 * HEADER_PAD_Y).ceil());
        let step_h = theme
            .step_header_height
            .max((step_text + 2.0 * HEADER_PAD_Y).ceil())
            // The corner above the lane labels holds the title and personas.
            .max(corner_height(journey, theme) - stage_h);
        self.stage_header = Rangef::new(0.0, stage_h);
        self.step_header = Rangef::new(stage_h, stage_h + step_h);
    }

    /// Where each card and pain note sits in its cell's stack, and how much
    /// each lane must hold.
    fn stack_cells(
        &self,
        journey: &Journey,
        lane_of: &HashMap<LaneId, usize>,
        badges: &HashMap<Anchor, usize>,
        theme: &Theme,
    ) -> Stacks {
        let card_width = theme.column_width - 2.0 * theme.card_gap;
        let pain_lane = journey
            .lanes
            .iter()
            .position(|l| l.kind == LaneKind::PainPoints)
            .unwrap_or(journey.lanes.len());
        let mut filled: HashMap<(usize, usize), f32> = HashMap::new();
        let mut lane_content = vec![0.0f32; journey.lanes.len() + 1];
        let mut stack = |column: usize, lane: usize, height: f32| {
            let top = filled.entry((column, lane)).or_insert(theme.card_gap);
            let at = *top;
            *top += height + theme.card_gap;
            if let Some(content) = lane_content.get_mut(lane) {
                *content = content.max(*top);
            }
            at
        };
        let cards: Vec<Option<(f32, f32, usize, CardText)>> = journey
            .cards
            .iter()
            .map(|card| {
                let column = *self.column_index.get(&card.step)?;
                let lane = *lane_of.get(&card.lane)?;
                let on_card = badges.get(&Anchor::Card(card.id)).copied().unwrap_or(0);
                let width = card_text_width(card_width, on_card);
                let text = card_text(card, journey.card_notes, width, theme);
                let height = text.height(theme);
                Some((stack(column, lane, height), height, on_card, text))
            })
            .collect();
        let placed: HashMap<CardId, StepId> = (journey.cards.iter().zip(&cards))
            .filter(|(_, stacked)| stacked.is_some())
            .map(|(card, _)| (card.id, card.step))
            .collect();
        let mut notes: Vec<NoteSlot> = (journey.pain_points.iter().enumerate())
            .filter_map(|(index, pain)| {
                let step = self.anchor_step(journey, &placed, pain.anchor)?;
                let column = *self.column_index.get(&step)?;
                let (text, height) = pain_text(pain, card_width, theme);
                Some(NoteSlot {
                    index,
                    number: 0,
                    step,
                    column,
                    top: 0.0,
                    height,
                    text,
                })
            })
            .collect();
        notes.sort_by_key(|n| (n.column, n.index));
        for (i, note) in notes.iter_mut().enumerate() {
            note.number = i + 1;
            note.top = stack(note.column, pain_lane, note.height);
        }
        Stacks {
            cards,
            notes,
            pain_lane,
            lane_content,
        }
    }

    /// The step a pain point's anchor stands in, if its marker can be drawn
    /// (the same conditions as [`Self::place_pains`] and the curves).
    /// `placed` has the step of every card that is on the map.
    fn anchor_step(
        &self,
        journey: &Journey,
        placed: &HashMap<CardId, StepId>,
        anchor: Anchor,
    ) -> Option<StepId> {
        let step = match anchor {
            Anchor::Card(id) => *placed.get(&id)?,
            Anchor::Curve(persona, step) => {
                journey.emotion_lane()?;
                journey.personas.iter().find(|p| p.id == persona)?;
                journey.curve(persona)?.points.get(&step)?;
                step
            }
            Anchor::Step(step) => step,
        };
        self.column_index.contains_key(&step).then_some(step)
    }

    /// Lanes, top to bottom, each tall enough for its fullest cell, then
    /// the row of pain notes if the map needs one. Returns the map's height.
    fn place_lanes(&mut self, journey: &Journey, stacks: &Stacks, theme: &Theme) -> f32 {
        let mut y = self.step_header.max;
        for (i, lane) in journey.lanes.iter().enumerate() {
            let min = if lane.kind == LaneKind::Emotions {
                theme.emotion_lane_height
            } else {
                theme.lane_min_height
            };
            let content = stacks.lane_content.get(i).copied().unwrap_or(0.0);
            let height = content.max(min);
            self.lanes.push(LaneBox {
                id: lane.id,
                kind: lane.kind,
                y: Rangef::new(y, y + height),
            });
            y += height;
        }
        if stacks.pain_lane == journey.lanes.len() && !stacks.notes.is_empty() {
            let content = stacks.lane_content.last().copied().unwrap_or(0.0);
            let height = content.max(theme.lane_min_height);
            self.pain_row = Some(Rangef::new(y, y + height));
            y += height;
        }
        y
    }

    /// Card boxes, stacked in their cells in the journey's order.
    fn place_cards(
        &mut self,
        journey: &Journey,
        stacks: &Stacks,
        lane_of: &HashMap<LaneId, usize>,
        theme: &Theme,
    ) {
        let mut boxes = Vec::with_capacity(journey.cards.len());
        let mut index = CardIndex {
            by_column: vec![Vec::new(); self.columns.len()],
            ..CardIndex::default()
        };
        for (card_index, (card, stacked)) in journey.cards.iter().zip(&stacks.cards).enumerate() {
            let Some((top, height, badges, text)) = stacked else {
                continue;
            };
            let (top, height, badges) = (*top, *height, *badges);
            let Some(&column) = self.column_index.get(&card.step) else {
                continue;
            };
            let (Some(col), Some(lane)) = (
                self.columns.get(column),
                lane_of.get(&card.lane).and_then(|i| self.lanes.get(*i)),
            ) else {
                continue;
            };
            let gap = theme.card_gap;
            let rect = Rect::from_min_max(
                pos2(col.x.min + gap, lane.y.min + top),
                pos2(col.x.max - gap, lane.y.min + top + height),
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
                badges,
                text: text.clone(),
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

    /// Pain markers and notes. A marker sits at the top right inside a
    /// card (its title makes room), above a curve point, or at the right
    /// end of a step's header; several on one anchor line up. Each note
    /// goes in its step's Pain points cell, or in the row of pain notes.
    fn place_pains(&mut self, journey: &Journey, stacks: &Stacks, theme: &Theme) {
        let spacing = theme.pain_radius * 2.0 + 4.0;
        let notes_y = match self.lanes.get(stacks.pain_lane) {
            Some(lane) => Some(lane.y.min),
            None => self.pain_row.map(|r| r.min),
        };
        let mut count: HashMap<Anchor, usize> = HashMap::new();
        for slot in &stacks.notes {
            let Some(pain) = journey.pain_points.get(slot.index) else {
                continue;
            };
            let n = count.entry(pain.anchor).or_insert(0);
            let offset = *n as f32 * spacing;
            *n += 1;
            let center = match pain.anchor {
                Anchor::Card(id) => self.card(id).map(|c| {
                    pos2(
                        c.rect.max.x - theme.pain_radius - 4.0 - offset,
                        c.rect.min.y + theme.pain_radius + 4.0,
                    )
                }),
                Anchor::Curve(persona, step) => self.curve_point(persona, step).map(|p| {
                    pos2(
                        p.x + offset,
                        p.y - theme.curve_point_radius - theme.pain_radius - 4.0,
                    )
                }),
                Anchor::Step(step) => self.column(step).map(|c| {
                    pos2(
                        c.x.max - theme.pain_radius - 4.0 - offset,
                        self.step_header.center(),
                    )
                }),
            };
            let (Some(center), Some(column), Some(top)) =
                (center, self.columns.get(slot.column), notes_y)
            else {
                continue;
            };
            self.pains.push(PainMarker {
                id: pain.id,
                index: slot.index,
                number: slot.number,
                center,
            });
            let top = top + slot.top;
            self.pain_notes.push(PainNote {
                id: pain.id,
                index: slot.index,
                number: slot.number,
                step: slot.step,
                rect: Rect::from_min_max(
                    pos2(column.x.min + theme.card_gap, top),
                    pos2(column.x.max - theme.card_gap, top + slot.height),
                ),
                text: Arc::clone(&slot.text),
            });
        }
        self.pains_by_x = (0..self.pains.len()).collect();
        let pains = &self.pains;
        self.pains_by_x.sort_by(|a, b| {
            let x = |i: &usize| pains.get(*i).map_or(0.0, |m| m.center.x);
            x(a).total_cmp(&x(b))
        });
    }

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
        if let Some(note) = self.pain_notes.iter().find(|n| n.rect.contains(pos)) {
            return Some(Hit::Pain(note.id));
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

/// Where the cards and pain notes sit in their cells (see
/// [`Layout::stack_cells`]).
struct Stacks {
    /// Each card's top within its cell, height and badges on it; `None`
    /// for a card whose cell does not exist.
    cards: Vec<Option<(f32, f32, usize, CardText)>>,
    /// The pain notes, numbered left to right.
    notes: Vec<NoteSlot>,
    /// The lane holding the notes: the Pain points lane, or one past the
    /// last lane for the row of pain notes.
    pain_lane: usize,
    /// Height of the fullest cell of each lane, and of the row of notes.
    lane_content: Vec<f32>,
}

/// A pain note's place in its cell.
struct NoteSlot {
    index: usize,
    number: usize,
    step: StepId,
    column: usize,
    top: f32,
    height: f32,
    text: Arc<Wrapped>,
}

/// How many pain markers each anchor carries.
fn badge_counts(journey: &Journey) -> HashMap<Anchor, usize> {
    let mut count = HashMap::new();
    for pain in &journey.pain_points {
        *count.entry(pain.anchor).or_insert(0) += 1;
    }
    count
}

fn score_to_y(plot: Rangef, score: f32) -> f32 {
    let (lo, hi) = (*SCORE_RANGE.start(), *SCORE_RANGE.end());
    let t = (score.clamp(lo, hi) - lo) / (hi - lo);
    plot.max - t * plot.span()
}

/// Space between a step's name and its column's edges, in map units.
const STEP_LABEL_PADDING: f32 = 8.0;
/// Space between a stage's name and its header's edges.
pub const STAGE_LABEL_PADDING: f32 = 12.0;
/// Space above and below the names in the header rows.
const HEADER_PAD_Y: f32 = 7.0;

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
                channel: Some(Channel::Web),
                ..Card::new(CardId(100 + i), step, lane, format!("c{i}"))
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

#[cfg(test)]
mod text_tests {
    use super::*;
    use crate::model::templates::Template;
    use crate::model::{Card, CardNotes, PainPoint};

    fn lane_of(journey: &Journey, kind: LaneKind) -> LaneId {
        journey
            .lanes
            .iter()
            .find(|l| l.kind == kind)
            .map(|l| l.id)
            .expect("the template has the lane")
    }

    fn card(id: u64, step: StepId, lane: LaneId, title: &str, notes: &str) -> Card {
        Card {
            notes: notes.to_owned(),
            ..Card::new(CardId(id), step, lane, title)
        }
    }

    #[test]
    fn a_card_and_its_lane_grow_with_its_text_and_the_notes_shown() {
        let theme = Theme::default();
        let mut j = Template::FourStage.build("t");
        let actions = lane_of(&j, LaneKind::Actions);
        let [a, b] = [j.stages[0].steps[0].id, j.stages[1].steps[0].id];
        let notes = "First line\nSecond line of notes that only the All setting shows, \
                     long enough to wrap over a few rows of a card";
        j.cards.push(card(100, a, actions, "Short", notes));
        j.cards.push(card(101, b, actions, "Short", ""));
        let short = Layout::new(&j, &theme);
        let lane_before = short.lane(actions).map_or(0.0, |l| l.y.span());
        if let Some(c) = j.cards.first_mut() {
            c.title = "A long title that wraps over several rows on a card of this width".into();
        }
        let long = Layout::new(&j, &theme);
        let height = |l: &Layout, id| l.card(CardId(id)).map_or(0.0, |c| c.rect.height());
        assert!(height(&long, 100) > height(&short, 100) + 20.0);
        assert!(
            (height(&long, 101) - theme.card_height).abs() < 1e-3,
            "neighbours keep their size"
        );
        let lane_after = long.lane(actions).map_or(0.0, |l| l.y.span());
        assert!(
            lane_after > lane_before,
            "the lane grows to its tallest cell"
        );
        j.card_notes = CardNotes::All;
        let all = Layout::new(&j, &theme);
        assert!(height(&all, 100) > height(&long, 100) + 20.0);
        j.card_notes = CardNotes::TitleOnly;
        let titles = Layout::new(&j, &theme);
        assert!(height(&titles, 100) < height(&long, 100));
        // Cards of a lane follow each other without overlapping.
        let next_lane = all
            .lanes
            .iter()
            .find(|l| l.y.min >= all.lane(actions).map_or(0.0, |l| l.y.max));
        let card = all.card(CardId(100)).map(|c| c.rect);
        assert!(card.zip(next_lane).is_some_and(|(c, l)| c.max.y <= l.y.min));
    }

    #[test]
    fn every_pain_point_gets_a_numbered_note_in_its_steps_pain_cell() {
        let theme = Theme::default();
        let mut j = Template::FourStage.build("t");
        let actions = lane_of(&j, LaneKind::Actions);
        let pains = lane_of(&j, LaneKind::PainPoints);
        let [a, b] = [j.stages[0].steps[0].id, j.stages[2].steps[0].id];
        j.cards.push(card(100, b, actions, "Pays", ""));
        for (id, anchor) in [(1, Anchor::Card(CardId(100))), (2, Anchor::Step(a))] {
            j.pain_points.push(PainPoint {
                id: PainId(id),
                severity: 3,
                text: format!("Pain {id} with enough words to wrap on two rows of a note"),
                anchor,
                opportunity: None,
            });
        }
        let l = Layout::new(&j, &theme);
        assert_eq!(l.pain_notes.len(), 2);
        assert!(l.pain_row.is_none(), "the lane holds the notes");
        let lane = l.lane(pains).map_or(Rangef::point(0.0), |b| b.y);
        for note in &l.pain_notes {
            let column = l.column(note.step).map_or(Rangef::point(0.0), |c| c.x);
            assert!(lane.contains(note.rect.min.y) && lane.contains(note.rect.max.y));
            assert!(column.contains(note.rect.center().x));
            assert_eq!(
                l.hit(note.rect.center(), 0.0, &theme),
                Some(Hit::Pain(note.id))
            );
            let marker = l.pains.iter().find(|m| m.id == note.id).map(|m| m.number);
            assert_eq!(
                marker,
                Some(note.number),
                "the note and its marker share a number"
            );
        }
        // Numbered left to right, whatever the order in the file.
        let first = l.pain_notes.iter().find(|n| n.step == a).map(|n| n.number);
        assert_eq!(first, Some(1));
        // A card carrying a badge keeps it inside, clear of the title.
        let marker = l.pains.iter().find(|m| m.id == PainId(1)).map(|m| m.center);
        let rect = l.card(CardId(100)).map(|c| c.rect);
        assert!(marker.zip(rect).is_some_and(|(m, r)| r.contains(m)));
        assert_eq!(l.card(CardId(100)).map(|c| c.badges), Some(1));

        // Without a Pain points lane the notes get a row of their own.
        j.lanes.retain(|lane| lane.id != pains);
        let l = Layout::new(&j, &theme);
        let row = l.pain_row.expect("a row of pain notes");
        assert!(l.lanes.iter().all(|lane| lane.y.max <= row.min));
        assert!((row.max - l.size.y).abs() < 1e-3);
        assert!(l.pain_notes.iter().all(|n| row.contains(n.rect.center().y)));
    }

    #[test]
    fn long_step_and_stage_names_grow_the_header_rows() {
        let theme = Theme::default();
        let mut j = Template::FourStage.build("t");
        let plain = Layout::new(&j, &theme);
        if let Some(step) = j.stages.get_mut(1).and_then(|s| s.steps.first_mut()) {
            step.name = "Compares delivery fees across three rival apps".into();
        }
        let wrapped = Layout::new(&j, &theme);
        assert!(wrapped.step_header.span() > plain.step_header.span() + 10.0);
        assert!((wrapped.step_header.min - wrapped.stage_header.max).abs() < 1e-3);
        assert!(
            wrapped
                .lanes
                .first()
                .is_some_and(|l| l.y.min >= wrapped.step_header.max)
        );
    }
}

#[cfg(test)]
mod size_tests {
    use super::*;

    #[test]
    fn measured_maps_have_whole_sizes_so_scales_are_exact() {
        for steps in [1, 7, 30] {
            let mut journey = crate::model::templates::generated(steps, 6);
            for (i, card) in journey.cards.iter_mut().enumerate() {
                card.title = "A title long enough to wrap ".repeat(i % 4 + 1);
            }
            for step in journey.stages.iter_mut().flat_map(|s| &mut s.steps) {
                step.name = "A step name that wraps over two rows".into();
            }
            let l = Layout::new(&journey, &Theme::default());
            assert!(l.size.x.fract().abs() < f32::EPSILON, "{:?}", l.size);
            assert!(l.size.y.fract().abs() < f32::EPSILON, "{:?}", l.size);
        }
    }
}
