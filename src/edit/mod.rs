//! Every change to a journey is one [`Edit`], applied in one place
//! ([`Edit::apply`]), which returns the edit that undoes it. [`History`] keeps
//! those inverses for undo and redo.
//!
//! Compound changes (delete a stage with its cards and pain points) are built
//! as [`Edit::Batch`]es of primitive edits by the constructor functions below,
//! so each primitive only has to know how to invert itself.

use std::collections::{BTreeMap, VecDeque};

use crate::model::{
    Anchor, Card, CardId, EmotionCurve, Journey, Lane, LaneId, PainId, PainPoint, Persona,
    PersonaId, Stage, StageId, Step, StepId, clamp_score,
};

/// One change to a journey.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Several edits applied in order as one undo step.
    Batch(Vec<Edit>),
    /// Set the title and description.
    SetMeta {
        /// New title.
        title: String,
        /// New description.
        description: String,
    },
    /// Insert a persona at a position.
    InsertPersona(usize, Persona),
    /// Remove a persona (its curve must be removed first by the caller).
    RemovePersona(PersonaId),
    /// Replace a persona's fields.
    UpdatePersona(Persona),
    /// Insert a stage, with its steps, at a position.
    InsertStage(usize, Stage),
    /// Remove a stage with its steps (cards must be removed first).
    RemoveStage(StageId),
    /// Rename a stage.
    RenameStage(StageId, String),
    /// Move a stage to a new position.
    MoveStage(StageId, usize),
    /// Insert a step into a stage at a position.
    InsertStep(StageId, usize, Step),
    /// Remove a step (cards must be removed first).
    RemoveStep(StepId),
    /// Rename a step.
    RenameStep(StepId, String),
    /// Move a step to a position within a (possibly different) stage.
    MoveStep(StepId, StageId, usize),
    /// Insert a lane at a position.
    InsertLane(usize, Lane),
    /// Remove a lane (cards must be removed first).
    RemoveLane(LaneId),
    /// Replace a lane's name and kind.
    UpdateLane(Lane),
    /// Move a lane to a new position.
    MoveLane(LaneId, usize),
    /// Insert a card at a position in the card list.
    InsertCard(usize, Card),
    /// Remove a card.
    RemoveCard(CardId),
    /// Replace a card's text fields and channel (not its cell).
    UpdateCard(Card),
    /// Put a card in a cell at a position of the card list.
    PlaceCard {
        /// The card.
        id: CardId,
        /// Target column.
        step: StepId,
        /// Target row.
        lane: LaneId,
        /// Index in the card list after the card was taken out.
        index: usize,
    },
    /// Replace a persona's whole emotion curve (`None` removes it).
    SetCurve(PersonaId, Option<BTreeMap<StepId, f32>>),
    /// Put a removed curve back at its position (the inverse of removing one).
    InsertCurve(usize, EmotionCurve),
    /// Insert a pain point at a position.
    InsertPain(usize, PainPoint),
    /// Remove a pain point.
    RemovePain(PainId),
    /// Replace a pain point's fields.
    UpdatePain(PainPoint),
}

/// Why an edit could not be applied. The journey is unchanged when this is returned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditError(pub String);

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EditError {}

fn missing(what: &str, id: u64) -> EditError {
    EditError(format!("{what} {id} does not exist"))
}

fn position<T>(
    items: &[T],
    what: &str,
    id: u64,
    is: impl Fn(&T) -> bool,
) -> Result<usize, EditError> {
    items.iter().position(is).ok_or_else(|| missing(what, id))
}

/// Locates a step: (stage index, step index within that stage).
fn locate_step(journey: &Journey, id: StepId) -> Result<(usize, usize), EditError> {
    journey
        .stages
        .iter()
        .enumerate()
        .find_map(|(si, stage)| {
            stage
                .steps
                .iter()
                .position(|s| s.id == id)
                .map(|pi| (si, pi))
        })
        .ok_or_else(|| missing("step", id.0))
}

fn stage_mut(journey: &mut Journey, id: StageId) -> Result<&mut Stage, EditError> {
    journey
        .stages
        .iter_mut()
        .find(|s| s.id == id)
        .ok_or_else(|| missing("stage", id.0))
}

impl Edit {
    /// Applies the edit and returns the edit that undoes it.
    ///
    /// On error the journey is left exactly as it was (a failing batch rolls
    /// back the part it had applied).
    pub fn apply(self, journey: &mut Journey) -> Result<Edit, EditError> {
        match self {
            Edit::Batch(edits) => {
                let mut inverses = Vec::with_capacity(edits.len());
                for edit in edits {
                    match edit.apply(journey) {
                        Ok(inverse) => inverses.push(inverse),
                        Err(err) => {
                            for inverse in inverses.into_iter().rev() {
                                // Inverses of edits that just succeeded always apply.
                                let _ = inverse.apply(journey);
                            }
                            return Err(err);
                        }
                    }
                }
                inverses.reverse();
                Ok(Edit::Batch(inverses))
            }
            Edit::SetMeta { title, description } => {
                let old_title = std::mem::replace(&mut journey.title, title);
                let old_description = std::mem::replace(&mut journey.description, description);
                Ok(Edit::SetMeta {
                    title: old_title,
                    description: old_description,
                })
            }
            Edit::InsertPersona(index, persona) => {
                check_fresh(journey, persona.id.0)?;
                let id = persona.id;
                let index = index.min(journey.personas.len());
                journey.personas.insert(index, persona);
                Ok(Edit::RemovePersona(id))
            }
            Edit::RemovePersona(id) => {
                let index = position(&journey.personas, "persona", id.0, |p| p.id == id)?;
                let persona = journey.personas.remove(index);
                Ok(Edit::InsertPersona(index, persona))
            }
            Edit::UpdatePersona(persona) => {
                let slot = journey
                    .personas
                    .iter_mut()
                    .find(|p| p.id == persona.id)
                    .ok_or_else(|| missing("persona", persona.id.0))?;
                Ok(Edit::UpdatePersona(std::mem::replace(slot, persona)))
            }
            Edit::InsertStage(index, stage) => {
                check_fresh(journey, stage.id.0)?;
                for step in &stage.steps {
                    check_fresh(journey, step.id.0)?;
                }
                let id = stage.id;
                let index = index.min(journey.stages.len());
                journey.stages.insert(index, stage);
                Ok(Edit::RemoveStage(id))
            }
            Edit::RemoveStage(id) => {
                let index = position(&journey.stages, "stage", id.0, |s| s.id == id)?;
                let stage = journey.stages.remove(index);
                Ok(Edit::InsertStage(index, stage))
            }
            Edit::RenameStage(id, name) => {
                let stage = stage_mut(journey, id)?;
                Ok(Edit::RenameStage(
                    id,
                    std::mem::replace(&mut stage.name, name),
                ))
            }
            Edit::MoveStage(id, to) => {
                let from = position(&journey.stages, "stage", id.0, |s| s.id == id)?;
                let stage = journey.stages.remove(from);
                let to = to.min(journey.stages.len());
                journey.stages.insert(to, stage);
                Ok(Edit::MoveStage(id, from))
            }
            Edit::InsertStep(stage_id, index, step) => {
                check_fresh(journey, step.id.0)?;
                let id = step.id;
                let stage = stage_mut(journey, stage_id)?;
                let index = index.min(stage.steps.len());
                stage.steps.insert(index, step);
                Ok(Edit::RemoveStep(id))
            }
            Edit::RemoveStep(id) => {
                let (si, pi) = locate_step(journey, id)?;
                let stage = journey
                    .stages
                    .get_mut(si)
                    .ok_or_else(|| missing("step", id.0))?;
                let step = stage.steps.remove(pi);
                Ok(Edit::InsertStep(stage.id, pi, step))
            }
            Edit::RenameStep(id, name) => {
                let (si, pi) = locate_step(journey, id)?;
                let step = journey
                    .stages
                    .get_mut(si)
                    .and_then(|s| s.steps.get_mut(pi))
                    .ok_or_else(|| missing("step", id.0))?;
                Ok(Edit::RenameStep(
                    id,
                    std::mem::replace(&mut step.name, name),
                ))
            }
            Edit::MoveStep(id, to_stage, to) => {
                let (si, pi) = locate_step(journey, id)?;
                // Check the target before taking the step out, so failure changes nothing.
                position(&journey.stages, "stage", to_stage.0, |s| s.id == to_stage)?;
                let from_stage = journey
                    .stages
                    .get_mut(si)
                    .ok_or_else(|| missing("step", id.0))?;
                let from_stage_id = from_stage.id;
                let step = from_stage.steps.remove(pi);
                let target = stage_mut(journey, to_stage)?;
                let to = to.min(target.steps.len());
                target.steps.insert(to, step);
                Ok(Edit::MoveStep(id, from_stage_id, pi))
            }
            Edit::InsertLane(index, lane) => {
                check_fresh(journey, lane.id.0)?;
                let id = lane.id;
                let index = index.min(journey.lanes.len());
                journey.lanes.insert(index, lane);
                Ok(Edit::RemoveLane(id))
            }
            Edit::RemoveLane(id) => {
                let index = position(&journey.lanes, "lane", id.0, |l| l.id == id)?;
                let lane = journey.lanes.remove(index);
                Ok(Edit::InsertLane(index, lane))
            }
            Edit::UpdateLane(lane) => {
                let slot = journey
                    .lanes
                    .iter_mut()
                    .find(|l| l.id == lane.id)
                    .ok_or_else(|| missing("lane", lane.id.0))?;
                Ok(Edit::UpdateLane(std::mem::replace(slot, lane)))
            }
            Edit::MoveLane(id, to) => {
                let from = position(&journey.lanes, "lane", id.0, |l| l.id == id)?;
                let lane = journey.lanes.remove(from);
                let to = to.min(journey.lanes.len());
                journey.lanes.insert(to, lane);
                Ok(Edit::MoveLane(id, from))
            }
            Edit::InsertCard(index, card) => {
                check_fresh(journey, card.id.0)?;
                let id = card.id;
                let index = index.min(journey.cards.len());
                journey.cards.insert(index, card);
                Ok(Edit::RemoveCard(id))
            }
            Edit::RemoveCard(id) => {
                let index = position(&journey.cards, "card", id.0, |c| c.id == id)?;
                let card = journey.cards.remove(index);
                Ok(Edit::InsertCard(index, card))
            }
            Edit::UpdateCard(mut card) => {
                let slot = journey
                    .cards
                    .iter_mut()
                    .find(|c| c.id == card.id)
                    .ok_or_else(|| missing("card", card.id.0))?;
                // The cell is PlaceCard's business, so an update never moves a card.
                card.step = slot.step;
                card.lane = slot.lane;
                Ok(Edit::UpdateCard(std::mem::replace(slot, card)))
            }
            Edit::PlaceCard {
                id,
                step,
                lane,
                index,
            } => {
                let from = position(&journey.cards, "card", id.0, |c| c.id == id)?;
                let mut card = journey.cards.remove(from);
                let inverse = Edit::PlaceCard {
                    id,
                    step: card.step,
                    lane: card.lane,
                    index: from,
                };
                card.step = step;
                card.lane = lane;
                let index = index.min(journey.cards.len());
                journey.cards.insert(index, card);
                Ok(inverse)
            }
            Edit::SetCurve(persona, points) => {
                let index = journey.curves.iter().position(|c| c.persona == persona);
                let old = match (index, points) {
                    (Some(i), Some(points)) => {
                        let curve = journey
                            .curves
                            .get_mut(i)
                            .ok_or_else(|| missing("curve of persona", persona.0))?;
                        let points = points
                            .into_iter()
                            .map(|(k, v)| (k, clamp_score(v)))
                            .collect();
                        Some(std::mem::replace(&mut curve.points, points))
                    }
                    (Some(i), None) => {
                        return Ok(Edit::InsertCurve(i, journey.curves.remove(i)));
                    }
                    (None, Some(points)) => {
                        let points = points
                            .into_iter()
                            .map(|(k, v)| (k, clamp_score(v)))
                            .collect();
                        journey
                            .curves
                            .push(crate::model::EmotionCurve { persona, points });
                        None
                    }
                    (None, None) => None,
                };
                Ok(Edit::SetCurve(persona, old))
            }
            Edit::InsertCurve(index, curve) => {
                if journey.curve(curve.persona).is_some() {
                    return Err(EditError(format!(
                        "persona {} already has an emotion curve",
                        curve.persona.0
                    )));
                }
                let persona = curve.persona;
                let index = index.min(journey.curves.len());
                journey.curves.insert(index, curve);
                Ok(Edit::SetCurve(persona, None))
            }
            Edit::InsertPain(index, pain) => {
                check_fresh(journey, pain.id.0)?;
                let id = pain.id;
                let index = index.min(journey.pain_points.len());
                journey.pain_points.insert(index, pain);
                Ok(Edit::RemovePain(id))
            }
            Edit::RemovePain(id) => {
                let index = position(&journey.pain_points, "pain point", id.0, |p| p.id == id)?;
                let pain = journey.pain_points.remove(index);
                Ok(Edit::InsertPain(index, pain))
            }
            Edit::UpdatePain(pain) => {
                let slot = journey
                    .pain_points
                    .iter_mut()
                    .find(|p| p.id == pain.id)
                    .ok_or_else(|| missing("pain point", pain.id.0))?;
                Ok(Edit::UpdatePain(std::mem::replace(slot, pain)))
            }
        }
    }

    // ---- compound edits ---------------------------------------------------

    /// Removes cards together with the pain points attached to them and the
    /// links from pain points that name them as their opportunity.
    pub fn remove_cards(journey: &Journey, ids: &[CardId]) -> Edit {
        let mut edits = Vec::new();
        for pain in &journey.pain_points {
            if let Anchor::Card(card) = pain.anchor
                && ids.contains(&card)
            {
                edits.push(Edit::RemovePain(pain.id));
            } else if let Some(op) = pain.opportunity
                && ids.contains(&op)
            {
                edits.push(Edit::UpdatePain(PainPoint {
                    opportunity: None,
                    ..pain.clone()
                }));
            }
        }
        edits.extend(ids.iter().map(|id| Edit::RemoveCard(*id)));
        Edit::Batch(edits)
    }

    /// Removes steps with their cards, curve points and pain points.
    fn remove_steps_contents(journey: &Journey, steps: &[StepId]) -> Vec<Edit> {
        let cards: Vec<CardId> = journey
            .cards
            .iter()
            .filter(|c| steps.contains(&c.step))
            .map(|c| c.id)
            .collect();
        let mut edits = vec![Edit::remove_cards(journey, &cards)];
        for pain in &journey.pain_points {
            let on_step = match pain.anchor {
                Anchor::Step(s) | Anchor::Curve(_, s) => steps.contains(&s),
                Anchor::Card(_) => false,
            };
            if on_step {
                edits.push(Edit::RemovePain(pain.id));
            }
        }
        for curve in &journey.curves {
            if curve.points.keys().any(|s| steps.contains(s)) {
                let points = curve
                    .points
                    .iter()
                    .filter(|(s, _)| !steps.contains(s))
                    .map(|(s, v)| (*s, *v))
                    .collect();
                edits.push(Edit::SetCurve(curve.persona, Some(points)));
            }
        }
        edits
    }

    /// Removes a step with everything in it.
    pub fn remove_step(journey: &Journey, id: StepId) -> Edit {
        let mut edits = Self::remove_steps_contents(journey, &[id]);
        edits.push(Edit::RemoveStep(id));
        Edit::Batch(edits)
    }

    /// Removes a stage with its steps and everything in them.
    pub fn remove_stage(journey: &Journey, id: StageId) -> Edit {
        let steps: Vec<StepId> = journey
            .stage(id)
            .map(|s| s.steps.iter().map(|st| st.id).collect())
            .unwrap_or_default();
        let mut edits = Self::remove_steps_contents(journey, &steps);
        edits.push(Edit::RemoveStage(id));
        Edit::Batch(edits)
    }

    /// Removes a lane with its cards.
    pub fn remove_lane(journey: &Journey, id: LaneId) -> Edit {
        let cards: Vec<CardId> = journey
            .cards
            .iter()
            .filter(|c| c.lane == id)
            .map(|c| c.id)
            .collect();
        Edit::Batch(vec![
            Edit::remove_cards(journey, &cards),
            Edit::RemoveLane(id),
        ])
    }

    /// Sets the scores of some steps on a persona's curve (starting the
    /// curve if there is none), keeping its other points.
    pub fn set_scores(
        journey: &Journey,
        persona: PersonaId,
        scores: impl IntoIterator<Item = (StepId, f32)>,
    ) -> Edit {
        let mut points = journey
            .curve(persona)
            .map(|c| c.points.clone())
            .unwrap_or_default();
        points.extend(scores);
        Edit::SetCurve(persona, Some(points))
    }

    /// Removes one point of a curve with the pain points anchored on it.
    pub fn remove_curve_point(journey: &Journey, persona: PersonaId, step: StepId) -> Option<Edit> {
        let curve = journey.curve(persona)?;
        let mut points = curve.points.clone();
        points.remove(&step);
        let mut edits: Vec<Edit> = journey
            .pain_points
            .iter()
            .filter(|p| p.anchor == Anchor::Curve(persona, step))
            .map(|p| Edit::RemovePain(p.id))
            .collect();
        edits.push(Edit::SetCurve(persona, Some(points)));
        Some(Edit::Batch(edits))
    }

    /// Removes a persona with its emotion curve and the pain points on it.
    pub fn remove_persona(journey: &Journey, id: PersonaId) -> Edit {
        let mut edits: Vec<Edit> = journey
            .pain_points
            .iter()
            .filter(|p| matches!(p.anchor, Anchor::Curve(persona, _) if persona == id))
            .map(|p| Edit::RemovePain(p.id))
            .collect();
        if journey.curve(id).is_some() {
            edits.push(Edit::SetCurve(id, None));
        }
        edits.push(Edit::RemovePersona(id));
        Edit::Batch(edits)
    }

    /// Moves a card into a cell, at `slot` among the cards already there
    /// (the card itself not counted). `slot` past the end appends.
    pub fn move_card_to_cell(
        journey: &Journey,
        id: CardId,
        step: StepId,
        lane: LaneId,
        slot: usize,
    ) -> Edit {
        let others: Vec<usize> = journey
            .cards
            .iter()
            .filter(|c| c.id != id)
            .enumerate()
            .filter(|(_, c)| c.step == step && c.lane == lane)
            .map(|(i, _)| i)
            .collect();
        let index = match others.get(slot) {
            Some(i) => *i,
            None => others
                .last()
                .map_or(journey.cards.len().saturating_sub(1), |i| i + 1),
        };
        Edit::PlaceCard {
            id,
            step,
            lane,
            index,
        }
    }

    /// Whether applying this edit would change nothing (an empty batch).
    pub fn is_noop(&self) -> bool {
        match self {
            Edit::Batch(edits) => edits.iter().all(Edit::is_noop),
            _ => false,
        }
    }
}

fn check_fresh(journey: &Journey, id: u64) -> Result<(), EditError> {
    if id_in_use(journey, id) {
        Err(EditError(format!("id {id} is already in use")))
    } else {
        Ok(())
    }
}

fn id_in_use(journey: &Journey, id: u64) -> bool {
    journey.personas.iter().any(|p| p.id.0 == id)
        || journey.stages.iter().any(|s| s.id.0 == id)
        || journey.steps().any(|(_, s)| s.id.0 == id)
        || journey.lanes.iter().any(|l| l.id.0 == id)
        || journey.cards.iter().any(|c| c.id.0 == id)
        || journey.pain_points.iter().any(|p| p.id.0 == id)
}

/// Which gesture an edit belongs to, so that a text field typed into
/// character by character becomes one undo step.
pub type GestureKey = egui::Id;

/// Undo and redo stacks of inverse edits, bounded in length.
#[derive(Debug)]
pub struct History {
    undo: VecDeque<Edit>,
    redo: Vec<Edit>,
    /// The gesture the newest undo entry belongs to, while it is still going on.
    open_gesture: Option<GestureKey>,
    limit: usize,
    /// Counts every change to the journey, so views can cache derived data.
    revision: u64,
}

impl Default for History {
    fn default() -> Self {
        Self::new(500)
    }
}

impl History {
    /// An empty history keeping at most `limit` undo steps.
    pub fn new(limit: usize) -> Self {
        Self {
            undo: VecDeque::new(),
            redo: Vec::new(),
            open_gesture: None,
            limit: limit.max(1),
            revision: 0,
        }
    }

    /// Applies an edit as its own undo step.
    pub fn apply(&mut self, journey: &mut Journey, edit: Edit) -> Result<(), EditError> {
        self.open_gesture = None;
        self.push(journey, edit)
    }

    /// Applies an edit that is part of an ongoing gesture: consecutive edits
    /// with the same key share one undo step until [`History::end_gesture`].
    pub fn apply_in_gesture(
        &mut self,
        journey: &mut Journey,
        edit: Edit,
        key: GestureKey,
    ) -> Result<(), EditError> {
        if self.open_gesture == Some(key) && !self.undo.is_empty() {
            // The undo entry of the gesture's first edit already restores the
            // state from before the gesture, so later inverses are not needed.
            edit.apply(journey)?;
            self.redo.clear();
            self.revision += 1;
            Ok(())
        } else {
            self.push(journey, edit)?;
            self.open_gesture = Some(key);
            Ok(())
        }
    }

    /// Ends the current gesture: the next edit starts a new undo step.
    pub fn end_gesture(&mut self) {
        self.open_gesture = None;
    }

    fn push(&mut self, journey: &mut Journey, edit: Edit) -> Result<(), EditError> {
        if edit.is_noop() {
            return Ok(());
        }
        let inverse = edit.apply(journey)?;
        self.undo.push_back(inverse);
        while self.undo.len() > self.limit {
            self.undo.pop_front();
        }
        self.redo.clear();
        self.revision += 1;
        Ok(())
    }

    /// Undoes the newest step. Returns false when there is nothing to undo.
    pub fn undo(&mut self, journey: &mut Journey) -> bool {
        self.open_gesture = None;
        let Some(inverse) = self.undo.pop_back() else {
            return false;
        };
        match inverse.apply(journey) {
            Ok(redo) => {
                self.redo.push(redo);
                self.revision += 1;
                true
            }
            // Cannot happen while all changes go through the history; drop the
            // entry rather than get stuck on it.
            Err(_) => false,
        }
    }

    /// Redoes the newest undone step. Returns false when there is nothing to redo.
    pub fn redo(&mut self, journey: &mut Journey) -> bool {
        self.open_gesture = None;
        let Some(edit) = self.redo.pop() else {
            return false;
        };
        match edit.apply(journey) {
            Ok(inverse) => {
                self.undo.push_back(inverse);
                self.revision += 1;
                true
            }
            Err(_) => false,
        }
    }

    /// Whether there is a step to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is a step to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Number of undo steps kept.
    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }

    /// Changes every time the journey changes through this history.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Forgets everything (after opening another document).
    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
        self.open_gesture = None;
        self.revision += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::templates::Template;

    #[test]
    fn remove_stage_then_undo_restores_everything() {
        let mut j = Template::FourStage.build("t");
        let before = j.clone();
        let stage = j.stages[0].id;
        let mut h = History::default();
        let edit = Edit::remove_stage(&j, stage);
        h.apply(&mut j, edit).unwrap();
        assert_eq!(j.stages.len(), 3);
        assert!(h.undo(&mut j));
        assert_eq!(j, before);
        assert!(h.redo(&mut j));
        assert_eq!(j.stages.len(), 3);
    }

    #[test]
    fn failing_batch_changes_nothing() {
        let mut j = Template::FourStage.build("t");
        let before = j.clone();
        let stage = j.stages[0].id;
        let edit = Edit::Batch(vec![
            Edit::RenameStage(stage, "New".into()),
            Edit::RemoveCard(CardId(999_999)),
        ]);
        assert!(edit.apply(&mut j).is_err());
        assert_eq!(j, before);
    }

    #[test]
    fn gesture_is_one_undo_step() {
        let mut j = Template::FourStage.build("t");
        let stage = j.stages[0].id;
        let mut h = History::default();
        let key = egui::Id::unique("typing");
        for name in ["A", "Aw", "Awe"] {
            h.apply_in_gesture(&mut j, Edit::RenameStage(stage, name.into()), key)
                .unwrap();
        }
        h.end_gesture();
        assert_eq!(h.undo_len(), 1);
        h.undo(&mut j);
        assert_eq!(j.stages[0].name, "Awareness");
    }

    #[test]
    fn history_is_bounded() {
        let mut j = Template::FourStage.build("t");
        let stage = j.stages[0].id;
        let mut h = History::new(3);
        for i in 0..10 {
            h.apply(&mut j, Edit::RenameStage(stage, i.to_string()))
                .unwrap();
        }
        assert_eq!(h.undo_len(), 3);
    }
}
