//! How each primitive [`Edit`] changes a journey and which edit undoes it.
//! Every function here either changes the journey and returns the inverse,
//! or returns an error having changed nothing.

use std::collections::BTreeMap;

use crate::edit::{Edit, EditError};
use crate::model::{
    Card, CardId, CurveState, EmotionCurve, Journey, Lane, LaneId, PainId, PainPoint, Persona,
    PersonaId, Sample, Stage, StageId, Step, StepId, clamp_score,
};

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

/// Inserts at `index`, or at the end when `index` is past it.
fn insert_at<T>(items: &mut Vec<T>, index: usize, item: T) {
    let index = index.min(items.len());
    items.insert(index, item);
}

/// Takes out the item `is` finds; returns where it was.
fn take<T>(
    items: &mut Vec<T>,
    what: &str,
    id: u64,
    is: impl Fn(&T) -> bool,
) -> Result<(usize, T), EditError> {
    let index = position(items, what, id, is)?;
    Ok((index, items.remove(index)))
}

/// Puts `new` in the place of the item `is` finds; returns the old one.
fn replace<T>(
    items: &mut [T],
    what: &str,
    id: u64,
    is: impl Fn(&T) -> bool,
    new: T,
) -> Result<T, EditError> {
    let slot = items
        .iter_mut()
        .find(|item| is(item))
        .ok_or_else(|| missing(what, id))?;
    Ok(std::mem::replace(slot, new))
}

/// Moves the item `is` finds to `to` (clamped); returns where it was.
fn move_to<T>(
    items: &mut Vec<T>,
    what: &str,
    id: u64,
    is: impl Fn(&T) -> bool,
    to: usize,
) -> Result<usize, EditError> {
    let (from, item) = take(items, what, id, is)?;
    insert_at(items, to, item);
    Ok(from)
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

/// Applies edits in order; on the first failure, undoes the ones applied.
pub(super) fn batch(journey: &mut Journey, edits: Vec<Edit>) -> Result<Edit, EditError> {
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

pub(super) fn set_meta(journey: &mut Journey, title: String, description: String) -> Edit {
    Edit::SetMeta {
        title: std::mem::replace(&mut journey.title, title),
        description: std::mem::replace(&mut journey.description, description),
    }
}

pub(super) fn insert_persona(
    journey: &mut Journey,
    index: usize,
    persona: Persona,
) -> Result<Edit, EditError> {
    check_fresh(journey, persona.id.0)?;
    let id = persona.id;
    insert_at(&mut journey.personas, index, persona);
    Ok(Edit::RemovePersona(id))
}

pub(super) fn remove_persona(journey: &mut Journey, id: PersonaId) -> Result<Edit, EditError> {
    let (index, persona) = take(&mut journey.personas, "persona", id.0, |p| p.id == id)?;
    Ok(Edit::InsertPersona(index, persona))
}

pub(super) fn update_persona(journey: &mut Journey, persona: Persona) -> Result<Edit, EditError> {
    let id = persona.id;
    let old = replace(
        &mut journey.personas,
        "persona",
        id.0,
        |p| p.id == id,
        persona,
    )?;
    Ok(Edit::UpdatePersona(old))
}

pub(super) fn insert_stage(
    journey: &mut Journey,
    index: usize,
    stage: Stage,
) -> Result<Edit, EditError> {
    check_fresh(journey, stage.id.0)?;
    for step in &stage.steps {
        check_fresh(journey, step.id.0)?;
    }
    let id = stage.id;
    insert_at(&mut journey.stages, index, stage);
    Ok(Edit::RemoveStage(id))
}

pub(super) fn remove_stage(journey: &mut Journey, id: StageId) -> Result<Edit, EditError> {
    let (index, stage) = take(&mut journey.stages, "stage", id.0, |s| s.id == id)?;
    Ok(Edit::InsertStage(index, stage))
}

pub(super) fn rename_stage(
    journey: &mut Journey,
    id: StageId,
    name: String,
) -> Result<Edit, EditError> {
    let stage = stage_mut(journey, id)?;
    Ok(Edit::RenameStage(
        id,
        std::mem::replace(&mut stage.name, name),
    ))
}

pub(super) fn set_stage_goals(
    journey: &mut Journey,
    id: StageId,
    customer: String,
    business: String,
) -> Result<Edit, EditError> {
    let stage = stage_mut(journey, id)?;
    Ok(Edit::SetStageGoals {
        id,
        customer: std::mem::replace(&mut stage.customer_goal, customer),
        business: std::mem::replace(&mut stage.business_goal, business),
    })
}

pub(super) fn set_kpis(
    journey: &mut Journey,
    id: StageId,
    kpis: Vec<crate::model::Kpi>,
) -> Result<Edit, EditError> {
    let stage = stage_mut(journey, id)?;
    Ok(Edit::SetKpis(id, std::mem::replace(&mut stage.kpis, kpis)))
}

pub(super) fn move_stage(journey: &mut Journey, id: StageId, to: usize) -> Result<Edit, EditError> {
    let from = move_to(&mut journey.stages, "stage", id.0, |s| s.id == id, to)?;
    Ok(Edit::MoveStage(id, from))
}

pub(super) fn insert_step(
    journey: &mut Journey,
    stage: StageId,
    index: usize,
    step: Step,
) -> Result<Edit, EditError> {
    check_fresh(journey, step.id.0)?;
    let id = step.id;
    insert_at(&mut stage_mut(journey, stage)?.steps, index, step);
    Ok(Edit::RemoveStep(id))
}

pub(super) fn remove_step(journey: &mut Journey, id: StepId) -> Result<Edit, EditError> {
    let (si, pi) = locate_step(journey, id)?;
    let stage = journey
        .stages
        .get_mut(si)
        .ok_or_else(|| missing("step", id.0))?;
    let step = stage.steps.remove(pi);
    Ok(Edit::InsertStep(stage.id, pi, step))
}

pub(super) fn rename_step(
    journey: &mut Journey,
    id: StepId,
    name: String,
) -> Result<Edit, EditError> {
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

pub(super) fn move_step(
    journey: &mut Journey,
    id: StepId,
    to_stage: StageId,
    to: usize,
) -> Result<Edit, EditError> {
    let (si, pi) = locate_step(journey, id)?;
    // Check the target before taking the step out, so failure changes nothing.
    position(&journey.stages, "stage", to_stage.0, |s| s.id == to_stage)?;
    let from_stage = journey
        .stages
        .get_mut(si)
        .ok_or_else(|| missing("step", id.0))?;
    let from_stage_id = from_stage.id;
    let step = from_stage.steps.remove(pi);
    insert_at(&mut stage_mut(journey, to_stage)?.steps, to, step);
    Ok(Edit::MoveStep(id, from_stage_id, pi))
}

pub(super) fn insert_lane(
    journey: &mut Journey,
    index: usize,
    lane: Lane,
) -> Result<Edit, EditError> {
    check_fresh(journey, lane.id.0)?;
    let id = lane.id;
    insert_at(&mut journey.lanes, index, lane);
    Ok(Edit::RemoveLane(id))
}

pub(super) fn remove_lane(journey: &mut Journey, id: LaneId) -> Result<Edit, EditError> {
    let (index, lane) = take(&mut journey.lanes, "lane", id.0, |l| l.id == id)?;
    Ok(Edit::InsertLane(index, lane))
}

pub(super) fn update_lane(journey: &mut Journey, lane: Lane) -> Result<Edit, EditError> {
    let id = lane.id;
    let old = replace(&mut journey.lanes, "lane", id.0, |l| l.id == id, lane)?;
    Ok(Edit::UpdateLane(old))
}

pub(super) fn move_lane(journey: &mut Journey, id: LaneId, to: usize) -> Result<Edit, EditError> {
    let from = move_to(&mut journey.lanes, "lane", id.0, |l| l.id == id, to)?;
    Ok(Edit::MoveLane(id, from))
}

pub(super) fn insert_card(
    journey: &mut Journey,
    index: usize,
    card: Card,
) -> Result<Edit, EditError> {
    check_fresh(journey, card.id.0)?;
    let id = card.id;
    insert_at(&mut journey.cards, index, card);
    Ok(Edit::RemoveCard(id))
}

pub(super) fn remove_card(journey: &mut Journey, id: CardId) -> Result<Edit, EditError> {
    let (index, card) = take(&mut journey.cards, "card", id.0, |c| c.id == id)?;
    Ok(Edit::InsertCard(index, card))
}

pub(super) fn update_card(journey: &mut Journey, mut card: Card) -> Result<Edit, EditError> {
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

pub(super) fn place_card(
    journey: &mut Journey,
    id: CardId,
    (step, lane): (StepId, LaneId),
    index: usize,
) -> Result<Edit, EditError> {
    let (from, mut card) = take(&mut journey.cards, "card", id.0, |c| c.id == id)?;
    let inverse = Edit::PlaceCard {
        id,
        step: card.step,
        lane: card.lane,
        index: from,
    };
    card.step = step;
    card.lane = lane;
    insert_at(&mut journey.cards, index, card);
    Ok(inverse)
}

fn clamped(points: BTreeMap<StepId, f32>) -> BTreeMap<StepId, f32> {
    points
        .into_iter()
        .map(|(k, v)| (k, clamp_score(v)))
        .collect()
}

pub(super) fn set_curve(
    journey: &mut Journey,
    persona: PersonaId,
    state: CurveState,
    points: Option<BTreeMap<StepId, f32>>,
) -> Result<Edit, EditError> {
    let index = journey
        .curves
        .iter()
        .position(|c| c.persona == persona && c.state == state);
    let old = match (index, points) {
        (Some(i), Some(points)) => {
            let curve = journey
                .curves
                .get_mut(i)
                .ok_or_else(|| missing("curve of persona", persona.0))?;
            Some(std::mem::replace(&mut curve.points, clamped(points)))
        }
        (Some(i), None) => return Ok(Edit::InsertCurve(i, journey.curves.remove(i))),
        (None, Some(points)) => {
            let points = clamped(points);
            journey.curves.push(EmotionCurve {
                state,
                ..EmotionCurve::new(persona, points)
            });
            None
        }
        (None, None) => None,
    };
    Ok(Edit::SetCurve(persona, state, old))
}

pub(super) fn set_samples(
    journey: &mut Journey,
    (persona, state): (PersonaId, CurveState),
    step: StepId,
    samples: Vec<Sample>,
) -> Result<Edit, EditError> {
    if !samples.is_empty() && journey.step(step).is_none() {
        return Err(missing("step", step.0));
    }
    let curve = journey
        .curves
        .iter_mut()
        .find(|c| c.persona == persona && c.state == state)
        .ok_or_else(|| missing("curve of persona", persona.0))?;
    let samples = samples
        .into_iter()
        .map(|s| Sample::new(s.participant, s.score))
        .collect::<Vec<_>>();
    let old = if samples.is_empty() {
        curve.samples.remove(&step)
    } else {
        curve.samples.insert(step, samples)
    };
    Ok(Edit::SetSamples {
        persona,
        state,
        step,
        samples: old.unwrap_or_default(),
    })
}

pub(super) fn insert_curve(
    journey: &mut Journey,
    index: usize,
    curve: EmotionCurve,
) -> Result<Edit, EditError> {
    if journey.curve_in(curve.persona, curve.state).is_some() {
        return Err(EditError(format!(
            "persona {} already has an emotion curve",
            curve.persona.0
        )));
    }
    let (persona, state) = (curve.persona, curve.state);
    insert_at(&mut journey.curves, index, curve);
    Ok(Edit::SetCurve(persona, state, None))
}

pub(super) fn insert_pain(
    journey: &mut Journey,
    index: usize,
    pain: PainPoint,
) -> Result<Edit, EditError> {
    check_fresh(journey, pain.id.0)?;
    let id = pain.id;
    insert_at(&mut journey.pain_points, index, pain);
    Ok(Edit::RemovePain(id))
}

pub(super) fn remove_pain(journey: &mut Journey, id: PainId) -> Result<Edit, EditError> {
    let (index, pain) = take(&mut journey.pain_points, "pain point", id.0, |p| p.id == id)?;
    Ok(Edit::InsertPain(index, pain))
}

pub(super) fn update_pain(journey: &mut Journey, pain: PainPoint) -> Result<Edit, EditError> {
    let id = pain.id;
    let old = replace(
        &mut journey.pain_points,
        "pain point",
        id.0,
        |p| p.id == id,
        pain,
    )?;
    Ok(Edit::UpdatePain(old))
}
