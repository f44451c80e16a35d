//! What `waymark check` reports about a journey, and the repairs that lose
//! nothing the user wrote. The editor opens a map with problems and shows
//! them; it never refuses one for them.

use std::collections::HashSet;

use super::{
    Anchor, CardId, EmotionCurve, FORMAT_VERSION, Journey, MAX_PERSONAS, PainPoint, SCORE_RANGE,
    SEVERITY_RANGE, StepId, median,
};

/// Something wrong with a journey that the editor tolerates but `waymark check` reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Human-readable description naming the offending item.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl Journey {
    /// Everything `waymark check` should report: dangling references,
    /// duplicate ids, out-of-range values.
    pub fn problems(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        if self.format != FORMAT_VERSION {
            out.push(format!(
                "format is {} but this version of Waymark writes {FORMAT_VERSION}",
                self.format
            ));
        }
        self.duplicate_ids(&mut out);
        self.structure_problems(&mut out);
        self.curve_problems(&mut out);
        for pain in &self.pain_points {
            self.pain_problems(pain, &mut out);
        }
        if self.personas.len() > MAX_PERSONAS {
            out.push(format!(
                "the map has {} personas; at most {MAX_PERSONAS} can be told apart",
                self.personas.len()
            ));
        }
        for vote in &self.votes {
            if self.card(vote.card).is_none() {
                out.push(format!(
                    "a vote is for card {}, which does not exist",
                    vote.card.0
                ));
            }
        }
        out.into_iter().map(|message| Problem { message }).collect()
    }

    fn duplicate_ids(&self, out: &mut Vec<String>) {
        let mut seen = HashSet::new();
        for (id, what) in self.ids() {
            if !seen.insert(id) {
                out.push(format!(
                    "id {id} is used more than once (again by a {what})"
                ));
            }
        }
    }

    /// Stages without steps and cards in cells that do not exist.
    fn structure_problems(&self, out: &mut Vec<String>) {
        for stage in &self.stages {
            if stage.steps.is_empty() {
                out.push(format!(
                    "stage {} \"{}\" has no steps",
                    stage.id.0, stage.name
                ));
            }
        }
        for card in &self.cards {
            if self.step(card.step).is_none() {
                out.push(format!(
                    "card {} \"{}\" is in step {}, which does not exist",
                    card.id.0, card.title, card.step.0
                ));
            }
            if self.lane(card.lane).is_none() {
                out.push(format!(
                    "card {} \"{}\" is in lane {}, which does not exist",
                    card.id.0, card.title, card.lane.0
                ));
            }
        }
    }

    fn curve_problems(&self, out: &mut Vec<String>) {
        let mut curve_owners = HashSet::new();
        for curve in &self.curves {
            if self.persona(curve.persona).is_none() {
                out.push(format!(
                    "an emotion curve belongs to persona {}, which does not exist",
                    curve.persona.0
                ));
            }
            if !curve_owners.insert((curve.persona, curve.state)) {
                out.push(format!(
                    "persona {} has more than one {} emotion curve",
                    curve.persona.0,
                    curve.state.label().to_lowercase()
                ));
            }
            self.point_problems(curve, out);
        }
    }

    fn point_problems(&self, curve: &EmotionCurve, out: &mut Vec<String>) {
        for step in curve.samples.keys() {
            if self.step(*step).is_none() {
                out.push(format!(
                    "the emotion curve of persona {} has participants' scores at step {}, which does not exist",
                    curve.persona.0, step.0
                ));
            }
        }
        for (step, score) in &curve.points {
            if self.step(*step).is_none() {
                out.push(format!(
                    "the emotion curve of persona {} has a point at step {}, which does not exist",
                    curve.persona.0, step.0
                ));
            }
            if !SCORE_RANGE.contains(score) {
                out.push(format!(
                    "the emotion curve of persona {} has score {score} at step {}, outside -2..=2",
                    curve.persona.0, step.0
                ));
            }
        }
    }

    fn pain_problems(&self, pain: &PainPoint, out: &mut Vec<String>) {
        if !SEVERITY_RANGE.contains(&pain.severity) {
            out.push(format!(
                "pain point {} has severity {}, outside 1..=3",
                pain.id.0, pain.severity
            ));
        }
        if !self.anchor_exists(pain.anchor) {
            out.push(format!(
                "pain point {} \"{}\" is attached to {}, which does not exist",
                pain.id.0,
                pain.text,
                describe_anchor(pain.anchor)
            ));
        }
        if let Some(card) = pain.opportunity
            && self.card(card).is_none()
        {
            out.push(format!(
                "pain point {} links to opportunity card {}, which does not exist",
                pain.id.0, card.0
            ));
        }
    }

    /// Repairs references that do not resolve where that loses nothing the
    /// user wrote: a pain point's link to a missing opportunity card is
    /// dropped, emotion scores and samples at steps that no longer exist and
    /// votes for cards that no longer exist are removed, and a point with
    /// participants' scores is moved to their median (hand edits of the
    /// samples win over the point).
    /// Everything else (cards in missing cells, pain points on missing
    /// anchors, duplicate ids) holds text and is left for `waymark check` to
    /// report. Returns one sentence per repair.
    pub fn repair(&mut self) -> Vec<String> {
        let mut repairs = Vec::new();
        let cards: HashSet<CardId> = self.cards.iter().map(|c| c.id).collect();
        for pain in &mut self.pain_points {
            if let Some(card) = pain.opportunity
                && !cards.contains(&card)
            {
                pain.opportunity = None;
                repairs.push(format!(
                    "removed pain point {}'s link to opportunity card {}, which does not exist",
                    pain.id.0, card.0
                ));
            }
        }
        let steps: HashSet<StepId> = self.steps().map(|(_, s)| s.id).collect();
        let votes = self.votes.len();
        self.votes.retain(|v| cards.contains(&v.card));
        if self.votes.len() < votes {
            repairs.push(format!(
                "removed {} votes for cards that do not exist",
                votes - self.votes.len()
            ));
        }
        for curve in &mut self.curves {
            let persona = curve.persona.0;
            curve.samples.retain(|step, samples| {
                let keep = steps.contains(step) && !samples.is_empty();
                if !steps.contains(step) {
                    repairs.push(format!(
                        "removed participants' scores of persona {persona} at step {}, which does not exist",
                        step.0
                    ));
                }
                keep
            });
            for (step, samples) in &curve.samples {
                let Some(middle) = median(samples) else {
                    continue;
                };
                if curve.points.get(step).map(|p| p.to_bits()) != Some(middle.to_bits()) {
                    curve.points.insert(*step, middle);
                    repairs.push(format!(
                        "set the emotion score of persona {persona} at step {} to {middle}, the median of its participants' scores",
                        step.0
                    ));
                }
            }
            curve.points.retain(|step, _| {
                let keep = steps.contains(step);
                if !keep {
                    repairs.push(format!(
                        "removed the emotion score of persona {persona} at step {}, which does not exist",
                        step.0
                    ));
                }
                keep
            });
        }
        repairs
    }

    /// Whether the thing a pain point is attached to exists.
    pub fn anchor_exists(&self, anchor: Anchor) -> bool {
        match anchor {
            Anchor::Card(id) => self.card(id).is_some(),
            Anchor::Curve(persona, step) => {
                self.persona(persona).is_some() && self.step(step).is_some()
            }
            Anchor::Step(step) => self.step(step).is_some(),
        }
    }
}

fn describe_anchor(anchor: Anchor) -> String {
    match anchor {
        Anchor::Card(id) => format!("card {}", id.0),
        Anchor::Curve(persona, step) => {
            format!("the curve of persona {} at step {}", persona.0, step.0)
        }
        Anchor::Step(step) => format!("step {}", step.0),
    }
}
