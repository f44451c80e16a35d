//! Compound edits: one user-level change (delete a stage with its cards,
//! pain points and curve points) built as an [`Edit::Batch`] of primitive
//! edits, so each primitive only has to know how to invert itself.

use crate::edit::Edit;
use crate::model::{
    Anchor, CardId, CurveState, Journey, LaneId, PainPoint, PersonaId, Sample, StageId, StepId,
    median,
};

impl Edit {
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
        if journey.votes.iter().any(|v| ids.contains(&v.card)) {
            let votes = journey.votes.iter().filter(|v| !ids.contains(&v.card));
            edits.push(Edit::SetVotes(votes.cloned().collect()));
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
            for step in curve.samples.keys().filter(|s| steps.contains(s)) {
                edits.push(Edit::SetSamples {
                    persona: curve.persona,
                    state: curve.state,
                    step: *step,
                    samples: Vec::new(),
                });
            }
            if curve.points.keys().any(|s| steps.contains(s)) {
                let points = curve
                    .points
                    .iter()
                    .filter(|(s, _)| !steps.contains(s))
                    .map(|(s, v)| (*s, *v))
                    .collect();
                edits.push(Edit::SetCurve(curve.persona, curve.state, Some(points)));
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

    /// Sets the scores of some steps on a persona's current curve (starting
    /// the curve if there is none), keeping its other points.
    pub fn set_scores(
        journey: &Journey,
        persona: PersonaId,
        scores: impl IntoIterator<Item = (StepId, f32)>,
    ) -> Edit {
        Self::set_scores_in(journey, persona, CurveState::Current, scores)
    }

    /// Sets the scores of some steps on a persona's curve in a state
    /// (starting the curve if there is none), keeping its other points. A
    /// step scored this way loses its participants' samples, because the
    /// point would no longer be their median.
    pub fn set_scores_in(
        journey: &Journey,
        persona: PersonaId,
        state: CurveState,
        scores: impl IntoIterator<Item = (StepId, f32)>,
    ) -> Edit {
        Self::set_curve_steps(journey, (persona, state), scores, [])
    }

    /// Replaces the participants' scores at one step of a persona's curve
    /// and moves the point to their median (starting the curve if there is
    /// none). With no samples the point keeps its score.
    pub fn set_samples(
        journey: &Journey,
        persona: PersonaId,
        state: CurveState,
        step: StepId,
        samples: Vec<Sample>,
    ) -> Edit {
        Self::set_curve_steps(journey, (persona, state), [], [(step, samples)])
    }

    /// Sets bare scores and participants' samples at any steps of one
    /// curve as one edit, so several steps never overwrite each other's
    /// points: a step given samples gets their median (given none, it keeps
    /// its score and loses its samples), a step given a bare score loses the
    /// samples it no longer matches. Starts the curve when a score needs it.
    pub fn set_curve_steps(
        journey: &Journey,
        (persona, state): (PersonaId, CurveState),
        scores: impl IntoIterator<Item = (StepId, f32)>,
        samples: impl IntoIterator<Item = (StepId, Vec<Sample>)>,
    ) -> Edit {
        let curve = journey.curve_in(persona, state);
        let sampled = |step: StepId| curve.is_some_and(|c| c.samples.contains_key(&step));
        let set = |step, samples| Edit::SetSamples {
            persona,
            state,
            step,
            samples,
        };
        let mut points = curve.map(|c| c.points.clone()).unwrap_or_default();
        let mut edits = Vec::new();
        for (step, score) in scores {
            points.insert(step, score);
            if sampled(step) {
                edits.push(set(step, Vec::new()));
            }
        }
        for (step, samples) in samples {
            if let Some(middle) = median(&samples) {
                points.insert(step, middle);
            }
            if !samples.is_empty() || sampled(step) {
                edits.push(set(step, samples));
            }
        }
        // Samples need the curve, and a median or score is a new point: a
        // missing curve with nothing to add stays missing.
        if curve.map_or(!points.is_empty(), |c| c.points != points) {
            edits.insert(0, Edit::SetCurve(persona, state, Some(points)));
        }
        match <[Edit; 1]>::try_from(edits) {
            Ok([one]) => one,
            Err(edits) => Edit::Batch(edits),
        }
    }

    /// Removes one point of a persona's curve in a state, with its samples
    /// and the pain points anchored on it (those belong to the current
    /// curve).
    pub fn remove_curve_point(
        journey: &Journey,
        persona: PersonaId,
        state: CurveState,
        step: StepId,
    ) -> Option<Edit> {
        let curve = journey.curve_in(persona, state)?;
        let mut points = curve.points.clone();
        points.remove(&step);
        let mut edits: Vec<Edit> = journey
            .pain_points
            .iter()
            .filter(|p| state == CurveState::Current && p.anchor == Anchor::Curve(persona, step))
            .map(|p| Edit::RemovePain(p.id))
            .collect();
        if curve.samples.contains_key(&step) {
            edits.push(Edit::SetSamples {
                persona,
                state,
                step,
                samples: Vec::new(),
            });
        }
        edits.push(Edit::SetCurve(persona, state, Some(points)));
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
        for state in CurveState::ALL {
            if journey.curve_in(id, state).is_some() {
                edits.push(Edit::SetCurve(id, state, None));
            }
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removing_a_card_takes_its_pain_points_and_unlinks_opportunities() {
        let mut j = crate::edit::fixture::with_cards();
        let card = j.cards[0].id;
        let other = j.cards[1].id;
        j.pain_points.push(PainPoint {
            id: crate::model::PainId(j.next_id()),
            severity: 2,
            text: "on the card".into(),
            anchor: Anchor::Card(card),
            opportunity: None,
            solved_in_future: false,
        });
        j.pain_points.push(PainPoint {
            id: crate::model::PainId(j.next_id()),
            severity: 1,
            text: "linked to it".into(),
            anchor: Anchor::Card(other),
            opportunity: Some(card),
            solved_in_future: false,
        });
        let before = j.clone();
        let inverse = Edit::remove_cards(&j, &[card]).apply(&mut j).unwrap();
        assert!(j.card(card).is_none());
        assert_eq!(j.pain_points.len(), before.pain_points.len() - 1);
        assert!(j.pain_points.iter().all(|p| p.opportunity != Some(card)));
        inverse.apply(&mut j).unwrap();
        assert_eq!(j, before);
    }

    #[test]
    fn moving_a_card_to_a_slot_puts_it_there_among_the_cell_cards() {
        let mut j = crate::edit::fixture::with_cards();
        let first = j.cards[0].clone();
        let (step, lane) = (first.step, first.lane);
        let moved = j
            .cards
            .iter()
            .find(|c| (c.step, c.lane) != (step, lane))
            .unwrap()
            .id;
        Edit::move_card_to_cell(&j, moved, step, lane, 0)
            .apply(&mut j)
            .unwrap();
        let in_cell: Vec<CardId> = j.cards_in(step, lane).map(|c| c.id).collect();
        assert_eq!(in_cell.first(), Some(&moved));
        assert!(in_cell.contains(&first.id));
    }
}
