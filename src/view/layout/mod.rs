//! Geometry of a journey map in map units, and hit testing. Pure: no egui
//! context, so it is unit-tested directly and shared by canvas and export.
//!
//! The map's origin is the top-left corner of the label column; x grows to the
//! right through the step columns, y grows down through the header rows, the
//! goals band and KPI row (`bands`), the lanes, the row of pain notes and the
//! persona strip (`personas`); `lookup` answers what is where. Today's date
//! is an input ([`Layout::dated`]), never read here. Rows, columns, stages
//! and lanes follow each other without overlap,
//! and curve points run left to right; the lookups of what is in view
//! (`columns_in`, `cards_in_view`, `pains_in`, ...) rely on that order, so
//! a view's cost follows what it shows, and they return items in the
//! journey's order.

use std::collections::HashMap;
use std::sync::Arc;

use egui::{Pos2, Rangef, Rect, Vec2, pos2};

pub use bands::{
    BAND_GAP, BAND_PAD, BUSINESS_GOAL, Band, BandCell, CUSTOMER_GOAL, KPI_MARK_ROOM, KpiText,
    LabelledText, ResourceTotal, kpi_bottom, label_font,
};
pub use personas::{AVATAR_SIZE, PersonaBlock, PersonaStrip};

use crate::model::{
    Anchor, CardId, CurveState, Date, Journey, LaneId, LaneKind, PainId, PersonaId, SCORE_RANGE,
    StageId, StepId,
};
use crate::view::blocks::{CardText, card_text, card_text_width, corner_height, pain_text};
use crate::view::measure::{Wrapped, wrap};
use crate::view::theme::Theme;

mod bands;
mod lookup;
mod personas;
#[cfg(test)]
mod tests;

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
    /// As-is or to-be: a journey shown in Compare has both per persona.
    pub state: CurveState,
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
    /// A stage header, or the stage's cell in the goals band or KPI row.
    StageHeader(StageId),
    /// A persona's block in the persona strip.
    Persona(PersonaId),
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
    /// Each stage's goals, under the step header, when the map shows them.
    pub goals: Option<Band<Vec<LabelledText>>>,
    /// Each stage's KPIs, under the goals band, when a stage has any.
    pub kpis: Option<Band<Vec<KpiText>>>,
    /// The total cost of each stage's resources, in the Resources lane.
    pub resource_totals: Vec<ResourceTotal>,
    /// The personas under the lanes, when one has more than a name.
    pub personas: Option<PersonaStrip>,
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
    /// Lays out a journey with no date: no action item is overdue.
    pub fn new(journey: &Journey, theme: &Theme) -> Self {
        Self::dated(journey, theme, None)
    }

    /// Lays out a journey on `today`, which decides which action items say
    /// "overdue". Cards in cells that do not exist are left out.
    pub fn dated(journey: &Journey, theme: &Theme, today: Option<Date>) -> Self {
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
        let stacks = layout.stack_cells(journey, &lane_of, &badges, (theme, today));
        let lanes_top = layout.place_bands(journey, theme, layout.step_header.max);
        let height = layout.place_lanes(journey, &stacks, theme, lanes_top);
        layout.size = Vec2::new(width, height);
        layout.size.y = layout.place_personas(journey, theme, height);
        layout.place_cards(journey, &stacks, &lane_of, theme);
        layout.place_curves(journey, theme);
        layout.place_pains(journey, &stacks, theme);
        layout.place_totals(journey, theme);
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
            goals: None,
            kpis: None,
            resource_totals: Vec::new(),
            personas: None,
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
        (theme, today): (&Theme, Option<Date>),
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
                let plan = (today, journey.currency.as_str());
                let text = card_text(card, journey.card_notes, width, theme, plan);
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
                (CurveState::ALL.iter())
                    .find_map(|state| journey.curve_in(persona, *state)?.points.get(&step))?;
                step
            }
            Anchor::Step(step) => step,
        };
        self.column_index.contains_key(&step).then_some(step)
    }

    /// Lanes, top to bottom, each tall enough for its fullest cell, then
    /// the row of pain notes if the map needs one. Returns the map's height.
    /// The first Resources lane keeps room under its cards for the stage
    /// totals.
    fn place_lanes(&mut self, journey: &Journey, stacks: &Stacks, theme: &Theme, top: f32) -> f32 {
        let mut y = top;
        let totals_lane = (journey.lanes.iter()).position(|l| l.kind == LaneKind::Resources);
        let total_room = Self::total_room(journey, theme).unwrap_or(0.0);
        // Two curves per persona (Compare) need more room to be told apart
        // than one line does.
        let crowded = (journey.curves.iter())
            .any(|c| c.state == CurveState::Future && journey.curve(c.persona).is_some());
        let emotion_height = theme.emotion_lane_height * if crowded { 1.4 } else { 1.0 };
        for (i, lane) in journey.lanes.iter().enumerate() {
            let min = if lane.kind == LaneKind::Emotions {
                emotion_height
            } else {
                theme.lane_min_height
            };
            let mut content = stacks.lane_content.get(i).copied().unwrap_or(0.0);
            if totals_lane == Some(i) {
                content += total_room;
            }
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

    /// The emotion lane's plot area and each persona's curve points in it,
    /// the current curve before the future one.
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
        let curves = (journey.personas.iter().enumerate()).flat_map(|(index, persona)| {
            (CurveState::ALL.iter()).filter_map(move |state| {
                journey
                    .curve_in(persona.id, *state)
                    .map(|curve| (index, curve))
            })
        });
        for (index, curve) in curves {
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
                persona: curve.persona,
                index,
                state: curve.state,
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
