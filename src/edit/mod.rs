//! Every change to a journey is one [`Edit`], applied in one place
//! ([`Edit::apply`]), which returns the edit that undoes it; [`History`]
//! keeps those inverses for undo and redo.
//!
//! Primitive edits each know how to invert themselves (`apply`); compound
//! changes are batches of them (`compound`); [`commands`] turn a user's
//! intent and [`Item`] selection into edits, without egui.

mod apply;
pub mod commands;
mod compound;
mod history;
mod selection;

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{
    Card, CardId, CardNotes, CurveState, Date, EmotionCurve, Journey, Kpi, Lane, LaneId, PainId,
    PainPoint, Persona, PersonaId, Revision, Sample, Stage, StageId, Step, StepId, Vote,
};

pub use history::{GestureKey, History};
pub use selection::Item;

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
    /// Set why the map exists, the persona's scenario and the currency of costs.
    SetBrief {
        /// New objective.
        objective: String,
        /// New scenario and expectations.
        scenario: String,
        /// New currency.
        currency: String,
    },
    /// Set the review date and the revision notes.
    SetReview {
        /// When the map was last reviewed.
        last_reviewed: Option<Date>,
        /// The whole review history.
        revisions: Vec<Revision>,
    },
    /// Choose how much of the cards' notes the map shows.
    SetCardNotes(CardNotes),
    /// Hide (`true`) or show the goals band.
    SetHideGoals(bool),
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
    /// Set a stage's customer and business goals.
    SetStageGoals {
        /// The stage.
        id: StageId,
        /// What the customer wants.
        customer: String,
        /// What the business wants.
        business: String,
    },
    /// Replace a stage's KPIs.
    SetKpis(StageId, Vec<Kpi>),
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
    /// Replace the points of a persona's curve in a state (`None` removes
    /// the curve with its samples). Samples are left as they are: commands
    /// that change a sampled point change its samples too.
    SetCurve(PersonaId, CurveState, Option<BTreeMap<StepId, f32>>),
    /// Replace the participants' scores at one point of an existing curve
    /// (empty removes them). The point itself is set by `SetCurve`.
    SetSamples {
        /// Whose curve.
        persona: PersonaId,
        /// Which of the persona's curves.
        state: CurveState,
        /// The point.
        step: StepId,
        /// The scores, in the order given.
        samples: Vec<Sample>,
    },
    /// Put a removed curve back at its position (the inverse of removing one).
    InsertCurve(usize, EmotionCurve),
    /// Insert a pain point at a position.
    InsertPain(usize, PainPoint),
    /// Remove a pain point.
    RemovePain(PainId),
    /// Replace a pain point's fields.
    UpdatePain(PainPoint),
    /// Replace the workshop votes.
    SetVotes(Vec<Vote>),
    /// Replace the set of silenced health rules.
    SetSilenced(BTreeSet<String>),
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

impl Edit {
    /// Applies the edit and returns the edit that undoes it.
    ///
    /// On error the journey is left exactly as it was (a failing batch rolls
    /// back the part it had applied).
    pub fn apply(self, journey: &mut Journey) -> Result<Edit, EditError> {
        let j = journey;
        match self {
            Edit::Batch(edits) => apply::batch(j, edits),
            Edit::SetMeta { title, description } => Ok(apply::set_meta(j, title, description)),
            Edit::SetBrief {
                objective,
                scenario,
                currency,
            } => Ok(Edit::SetBrief {
                objective: std::mem::replace(&mut j.objective, objective),
                scenario: std::mem::replace(&mut j.scenario, scenario),
                currency: std::mem::replace(&mut j.currency, currency),
            }),
            Edit::SetReview {
                last_reviewed,
                revisions,
            } => Ok(Edit::SetReview {
                last_reviewed: std::mem::replace(&mut j.last_reviewed, last_reviewed),
                revisions: std::mem::replace(&mut j.revisions, revisions),
            }),
            Edit::SetCardNotes(shown) => Ok(Edit::SetCardNotes(std::mem::replace(
                &mut j.card_notes,
                shown,
            ))),
            Edit::SetHideGoals(hide) => Ok(Edit::SetHideGoals(std::mem::replace(
                &mut j.hide_goals,
                hide,
            ))),
            Edit::InsertPersona(index, persona) => apply::insert_persona(j, index, persona),
            Edit::RemovePersona(id) => apply::remove_persona(j, id),
            Edit::UpdatePersona(persona) => apply::update_persona(j, persona),
            Edit::InsertStage(index, stage) => apply::insert_stage(j, index, stage),
            Edit::RemoveStage(id) => apply::remove_stage(j, id),
            Edit::RenameStage(id, name) => apply::rename_stage(j, id, name),
            Edit::SetStageGoals {
                id,
                customer,
                business,
            } => apply::set_stage_goals(j, id, customer, business),
            Edit::SetKpis(id, kpis) => apply::set_kpis(j, id, kpis),
            Edit::MoveStage(id, to) => apply::move_stage(j, id, to),
            Edit::InsertStep(stage, index, step) => apply::insert_step(j, stage, index, step),
            Edit::RemoveStep(id) => apply::remove_step(j, id),
            Edit::RenameStep(id, name) => apply::rename_step(j, id, name),
            Edit::MoveStep(id, stage, to) => apply::move_step(j, id, stage, to),
            Edit::InsertLane(index, lane) => apply::insert_lane(j, index, lane),
            Edit::RemoveLane(id) => apply::remove_lane(j, id),
            Edit::UpdateLane(lane) => apply::update_lane(j, lane),
            Edit::MoveLane(id, to) => apply::move_lane(j, id, to),
            Edit::InsertCard(index, card) => apply::insert_card(j, index, card),
            Edit::RemoveCard(id) => apply::remove_card(j, id),
            Edit::UpdateCard(card) => apply::update_card(j, card),
            Edit::PlaceCard {
                id,
                step,
                lane,
                index,
            } => apply::place_card(j, id, (step, lane), index),
            Edit::SetCurve(persona, state, points) => apply::set_curve(j, persona, state, points),
            Edit::SetSamples {
                persona,
                state,
                step,
                samples,
            } => apply::set_samples(j, (persona, state), step, samples),
            Edit::InsertCurve(index, curve) => apply::insert_curve(j, index, curve),
            Edit::InsertPain(index, pain) => apply::insert_pain(j, index, pain),
            Edit::RemovePain(id) => apply::remove_pain(j, id),
            Edit::UpdatePain(pain) => apply::update_pain(j, pain),
            Edit::SetVotes(votes) => Ok(Edit::SetVotes(std::mem::replace(&mut j.votes, votes))),
            Edit::SetSilenced(rules) => {
                Ok(Edit::SetSilenced(std::mem::replace(&mut j.silenced, rules)))
            }
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

#[cfg(test)]
pub(crate) mod fixture {
    //! Journeys for the edit tests.

    use crate::model::templates::Template;
    use crate::model::{Card, CardId, Channel, Journey, LaneKind};

    /// The four-stage template with two cards in the first touchpoints
    /// cell and one in the second step's actions cell.
    pub fn with_cards() -> Journey {
        let mut j = Template::FourStage.build("t");
        let steps: Vec<_> = j.steps().map(|(_, s)| s.id).collect();
        let lane = |kind| {
            j.lanes
                .iter()
                .find(|l| l.kind == kind)
                .map(|l| l.id)
                .expect("the template has this lane")
        };
        let (touch, actions) = (lane(LaneKind::Touchpoints), lane(LaneKind::Actions));
        for (title, step, lane, channel) in [
            ("Sees an ad", steps[0], touch, Some(Channel::Ad)),
            ("Reads reviews", steps[0], touch, Some(Channel::Web)),
            ("Compares prices", steps[1], actions, None),
        ] {
            let id = CardId(j.next_id());
            j.cards.push(Card {
                channel,
                ..Card::new(id, step, lane, title)
            });
        }
        j
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::templates::Template;

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
    fn every_primitive_edit_is_undone_by_its_inverse() {
        let mut j = fixture::with_cards();
        let before = j.clone();
        let stage = j.stages[0].id;
        let step = j.stages[0].steps[0].id;
        let card = j.cards[0].clone();
        let lane = j.lanes[0].clone();
        let persona = j.personas[0].clone();
        let fresh = j.next_id();
        let edits = [
            Edit::MoveStage(stage, 2),
            Edit::MoveStep(step, j.stages[1].id, 1),
            Edit::MoveLane(lane.id, 3),
            Edit::UpdateLane(Lane {
                name: "Doing".into(),
                ..lane
            }),
            Edit::UpdatePersona(Persona {
                name: "Sam".into(),
                ..persona
            }),
            Edit::UpdateCard(Card {
                title: "Renamed".into(),
                ..card.clone()
            }),
            Edit::PlaceCard {
                id: card.id,
                step: j.stages[3].steps[0].id,
                lane: card.lane,
                index: 0,
            },
            Edit::RenameStep(step, "First".into()),
            Edit::InsertStep(
                stage,
                0,
                Step {
                    id: StepId(fresh),
                    name: "Before".into(),
                },
            ),
            Edit::SetSamples {
                persona: persona.id,
                state: CurveState::Current,
                step,
                samples: vec![Sample::new("Ana", 1.0), Sample::new("", -2.0)],
            },
            Edit::SetCurve(persona.id, CurveState::Future, Some(BTreeMap::new())),
            Edit::SetVotes(vec![Vote {
                card: card.id,
                voter: "Ana".into(),
                date: Date::constant(2026, 12, 7),
            }]),
            Edit::SetSilenced(BTreeSet::from(["assumption".to_owned()])),
            Edit::SetCurve(
                persona.id,
                CurveState::Current,
                Some(BTreeMap::from([(step, 9.0)])),
            ),
            Edit::SetCurve(persona.id, CurveState::Current, None),
            Edit::InsertPain(
                0,
                PainPoint {
                    id: PainId(fresh + 1),
                    severity: 3,
                    text: "Slow".into(),
                    anchor: crate::model::Anchor::Step(step),
                    opportunity: None,
                    solved_in_future: false,
                },
            ),
        ];
        for edit in edits {
            let mut changed = j.clone();
            let inverse = edit.clone().apply(&mut changed).unwrap();
            assert_ne!(changed, j, "{edit:?} changes the journey");
            inverse.apply(&mut changed).unwrap();
            assert_eq!(changed, before, "{edit:?} is undone");
        }
        let clamped = Edit::SetCurve(
            persona.id,
            CurveState::Current,
            Some(BTreeMap::from([(step, 9.0)])),
        );
        clamped.apply(&mut j).unwrap();
        let score = j.curve(persona.id).unwrap().points[&step];
        assert!((score - 2.0).abs() < f32::EPSILON, "clamped to +2");
    }

    #[test]
    fn samples_move_the_point_to_their_median_and_undo_restores_both() {
        let mut j = fixture::with_cards();
        let before = j.clone();
        let persona = j.personas[0].id;
        let step = j.stages[1].steps[0].id;
        let samples = [2.0, -1.0, 0.5, 1.0].map(|s| Sample::new("", s)).to_vec();
        let edit = Edit::set_samples(&j, persona, CurveState::Current, step, samples.clone());
        let undo = edit.apply(&mut j).unwrap();
        let curve = j.curve(persona).unwrap();
        assert!(
            (curve.points[&step] - 0.75).abs() < f32::EPSILON,
            "the mean of the middle two"
        );
        assert_eq!(curve.samples_at(step), samples.as_slice());
        // Scoring the point by hand drops the voices it no longer matches.
        let sketch = Edit::set_scores(&j, persona, [(step, -2.0)]);
        let undo_sketch = sketch.apply(&mut j).unwrap();
        assert!(j.curve(persona).unwrap().samples.is_empty());
        undo_sketch.apply(&mut j).unwrap();
        assert_eq!(j.curve(persona).unwrap().samples_at(step).len(), 4);
        undo.apply(&mut j).unwrap();
        assert_eq!(j, before);
    }

    #[test]
    fn samples_at_several_steps_in_one_edit_each_set_their_median() {
        let mut j = fixture::with_cards();
        let before = j.clone();
        let persona = j.personas[0].id;
        let (a, b) = (j.stages[0].steps[0].id, j.stages[1].steps[0].id);
        let voices = |scores: [f32; 3]| scores.map(|s| Sample::new("", s)).to_vec();
        let edit = Edit::set_curve_steps(
            &j,
            (persona, CurveState::Current),
            [],
            [(a, voices([-2.0, -1.0, 2.0])), (b, voices([1.0, 2.0, 0.0]))],
        );
        let undo = edit.apply(&mut j).unwrap();
        let curve = j.curve(persona).unwrap();
        assert!((curve.points[&a] + 1.0).abs() < f32::EPSILON, "{curve:?}");
        assert!((curve.points[&b] - 1.0).abs() < f32::EPSILON, "{curve:?}");
        assert_eq!(curve.samples.len(), 2);
        undo.apply(&mut j).unwrap();
        assert_eq!(j, before);
    }

    #[test]
    fn removing_a_persona_removes_both_curves_and_deleting_a_card_its_votes() {
        let mut j = fixture::with_cards();
        let persona = j.personas[0].id;
        let future = Edit::SetCurve(persona, CurveState::Future, Some(BTreeMap::new()));
        future.apply(&mut j).unwrap();
        let card = j.cards[0].id;
        j.votes.push(Vote {
            card,
            voter: String::new(),
            date: Date::constant(2026, 12, 7),
        });
        let before = j.clone();
        let undo = Edit::remove_cards(&j, &[card]).apply(&mut j).unwrap();
        assert!(j.votes.is_empty());
        undo.apply(&mut j).unwrap();
        assert_eq!(j, before);
        Edit::remove_persona(&j, persona).apply(&mut j).unwrap();
        assert!(j.curves.iter().all(|c| c.persona != persona));
    }

    #[test]
    fn an_id_in_use_is_refused() {
        let mut j = fixture::with_cards();
        let before = j.clone();
        let mut card = j.cards[0].clone();
        card.id = CardId(j.stages[0].id.0);
        assert!(Edit::InsertCard(0, card).apply(&mut j).is_err());
        assert_eq!(j, before);
    }
}
