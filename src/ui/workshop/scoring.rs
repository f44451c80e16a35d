//! The scoring round: each participant in turn scores every step of one
//! stage from -2 to +2; at the end the scores become participants'
//! samples on a persona's current curve, one undo step for the round.
//! A named participant's earlier sample at a step is replaced; anonymous
//! participants are always added.

use egui::{Key, RichText, Ui};

use crate::edit::Edit;
use crate::model::{CurveState, Journey, PersonaId, Sample, StageId, StepId};

use super::big;

/// The scores a participant can give, left to right.
pub const SCORES: [i8; 5] = [-2, -1, 0, 1, 2];

/// Where the round stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Phase {
    /// The facilitator picks the stage and the persona.
    #[default]
    Setup,
    /// A participant is scoring the steps.
    Scoring,
    /// The participant has scored every step.
    TurnDone,
}

/// A scoring round in progress.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scoring {
    /// The stage whose steps are scored.
    pub stage: Option<StageId>,
    /// Whose curve the scores go on.
    pub persona: Option<PersonaId>,
    /// Participants type their names.
    pub named: bool,
    /// Where the round stands.
    pub phase: Phase,
    /// The participant scoring now, from 1.
    pub participant: usize,
    /// Their name, when named.
    pub name: String,
    /// The step being scored (index into the stage's steps).
    pub cursor: usize,
    /// The score the arrow keys have moved to.
    pub pick: i8,
    /// This participant's scores so far.
    pub current: Vec<i8>,
    /// The finished participants: name (empty: anonymous) and scores.
    pub done: Vec<(String, Vec<i8>)>,
    /// What the last finished round did, for the panel to say.
    pub last_result: Option<String>,
}

/// What the scoring panel asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScoreEvent {
    /// Start the round with participant 1.
    Start,
    /// Score the current step.
    Score(i8),
    /// Hand over to the next participant.
    Next,
    /// Write the scores to the curve.
    Finish,
}

impl Scoring {
    /// The stage's steps.
    pub fn steps(&self, journey: &Journey) -> Vec<StepId> {
        self.stage
            .and_then(|id| journey.stage(id))
            .map(|s| s.steps.iter().map(|step| step.id).collect())
            .unwrap_or_default()
    }

    /// Starts the round (stage and persona chosen).
    pub fn start(&mut self) {
        self.done.clear();
        self.last_result = None;
        self.participant = 0;
        self.begin_turn();
    }

    fn begin_turn(&mut self) {
        self.participant += 1;
        self.name.clear();
        self.current.clear();
        self.cursor = 0;
        self.pick = 0;
        self.phase = Phase::Scoring;
    }

    /// Records `score` for the current step and moves to the next.
    pub fn score(&mut self, score: i8, step_count: usize) {
        if self.phase != Phase::Scoring {
            return;
        }
        self.current.push(score.clamp(-2, 2));
        self.cursor += 1;
        self.pick = 0;
        if self.cursor >= step_count {
            self.phase = Phase::TurnDone;
        }
    }

    /// Keeps the finished participant's scores and starts the next turn.
    pub fn next(&mut self) {
        self.keep_turn();
        self.begin_turn();
    }

    fn keep_turn(&mut self) {
        if self.phase == Phase::TurnDone && !self.current.is_empty() {
            let name = if self.named {
                self.name.trim().to_owned()
            } else {
                String::new()
            };
            self.done.push((name, std::mem::take(&mut self.current)));
        }
    }

    /// Ends the round: the edit that writes every step's samples (one undo
    /// step), or `None` when nobody finished scoring.
    pub fn finish(&mut self, journey: &Journey) -> Option<Edit> {
        self.keep_turn();
        self.phase = Phase::Setup;
        let persona = self.persona?;
        if self.done.is_empty() {
            return None;
        }
        let curve = journey.curve_in(persona, CurveState::Current);
        let mut samples_at = Vec::new();
        for (i, step) in self.steps(journey).into_iter().enumerate() {
            let mut samples: Vec<Sample> = curve
                .map(|c| c.samples_at(step).to_vec())
                .unwrap_or_default();
            for (name, scores) in &self.done {
                let Some(score) = scores.get(i) else {
                    continue;
                };
                if !name.is_empty() {
                    samples.retain(|s| s.participant != *name);
                }
                samples.push(Sample::new(name.clone(), f32::from(*score)));
            }
            samples_at.push((step, samples));
        }
        let edit = Edit::set_curve_steps(journey, (persona, CurveState::Current), [], samples_at);
        self.done.clear();
        Some(edit)
    }

    /// The score keys of a scoring turn, consumed before the app's
    /// shortcuts see them: arrows move the pick, Enter gives it.
    pub fn keys(&mut self, ctx: &egui::Context) -> Option<ScoreEvent> {
        if self.phase != Phase::Scoring || ctx.text_edit_focused() {
            return None;
        }
        ctx.input_mut(|i| {
            use egui::Modifiers as M;
            if i.consume_key(M::NONE, Key::ArrowLeft) || i.consume_key(M::NONE, Key::ArrowDown) {
                self.pick = (self.pick - 1).max(-2);
            }
            if i.consume_key(M::NONE, Key::ArrowRight) || i.consume_key(M::NONE, Key::ArrowUp) {
                self.pick = (self.pick + 1).min(2);
            }
            i.consume_key(M::NONE, Key::Enter)
                .then_some(ScoreEvent::Score(self.pick))
        })
    }
}

/// The scoring panel.
pub fn panel_ui(ui: &mut Ui, scoring: &mut Scoring, journey: &Journey) -> Option<ScoreEvent> {
    ui.heading(big("Scoring round", 26.0));
    ui.add_space(6.0);
    match scoring.phase {
        Phase::Setup => setup_ui(ui, scoring, journey),
        Phase::Scoring => scoring_ui(ui, scoring, journey),
        Phase::TurnDone => turn_done_ui(ui, scoring),
    }
}

fn setup_ui(ui: &mut Ui, scoring: &mut Scoring, journey: &Journey) -> Option<ScoreEvent> {
    if let Some(done) = &scoring.last_result {
        ui.label(big(done, 20.0).color(egui::Color32::from_rgb(0, 110, 50)));
    }
    let stage_name = scoring
        .stage
        .and_then(|id| journey.stage(id))
        .map_or("", |s| s.name.as_str());
    egui::ComboBox::from_label("Stage to score")
        .selected_text(stage_name)
        .show_ui(ui, |ui| {
            for stage in &journey.stages {
                ui.selectable_value(&mut scoring.stage, Some(stage.id), &stage.name);
            }
        });
    let persona_name = scoring
        .persona
        .and_then(|id| journey.persona(id))
        .map_or("", |p| p.name.as_str());
    egui::ComboBox::from_label("Persona's curve")
        .selected_text(persona_name)
        .show_ui(ui, |ui| {
            for persona in &journey.personas {
                ui.selectable_value(&mut scoring.persona, Some(persona.id), &persona.name);
            }
        });
    ui.checkbox(&mut scoring.named, "Participants give their names");
    ui.add_space(10.0);
    let ready = !scoring.steps(journey).is_empty() && scoring.persona.is_some();
    let start = ui.add_enabled(ready, egui::Button::new(big("Start scoring (N)", 22.0)));
    start.clicked().then_some(ScoreEvent::Start)
}

fn scoring_ui(ui: &mut Ui, scoring: &mut Scoring, journey: &Journey) -> Option<ScoreEvent> {
    let steps = scoring.steps(journey);
    if scoring.named {
        ui.horizontal(|ui| {
            let label = ui.label(big("Name", 20.0));
            ui.add(
                egui::TextEdit::singleline(&mut scoring.name)
                    .font(egui::FontId::proportional(20.0)),
            )
            .labelled_by(label.id);
        });
    }
    let who = if scoring.named && !scoring.name.trim().is_empty() {
        scoring.name.trim().to_owned()
    } else {
        format!("Participant {}", scoring.participant)
    };
    ui.label(big(&who, 30.0).strong());
    let step_name = steps
        .get(scoring.cursor)
        .and_then(|id| journey.step(*id))
        .map_or("", |(_, s)| s.name.as_str());
    ui.label(big(
        &format!("Step {} of {}", scoring.cursor + 1, steps.len()),
        20.0,
    ));
    ui.label(big(step_name, 28.0).strong());
    ui.label("How does this step feel? (keys 1–5, or arrows and Enter)");
    ui.add_space(6.0);
    let mut event = None;
    ui.horizontal(|ui| {
        for (key, score) in SCORES.iter().enumerate() {
            let text = crate::model::score_text(f32::from(*score));
            let mut button =
                egui::Button::new(big(&text, 30.0).strong()).min_size(egui::vec2(62.0, 62.0));
            if *score == scoring.pick {
                button = button.selected(true);
            }
            let response = ui.add(button).on_hover_text(format!("Key {}", key + 1));
            if response.clicked() {
                event = Some(ScoreEvent::Score(*score));
            }
        }
    });
    ui.label(big(
        "-2 frustrated   ·   0 neutral   ·   +2 delighted",
        17.0,
    ));
    event
}

fn turn_done_ui(ui: &mut Ui, scoring: &mut Scoring) -> Option<ScoreEvent> {
    let scores: Vec<String> = scoring
        .current
        .iter()
        .map(|s| crate::model::score_text(f32::from(*s)))
        .collect();
    ui.label(big(
        &format!("Thank you, participant {}", scoring.participant),
        24.0,
    ));
    ui.label(RichText::new(format!("Scores: {}", scores.join("  "))).size(20.0));
    ui.add_space(10.0);
    let mut event = None;
    if ui.button(big("Next participant (N)", 20.0)).clicked() {
        event = Some(ScoreEvent::Next);
    }
    if ui.button(big("Finish round (F)", 20.0)).clicked() {
        event = Some(ScoreEvent::Finish);
    }
    event
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> Journey {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/grocery-checkout.journey.ron");
        crate::io::load(&path).unwrap()
    }

    #[test]
    fn a_round_adds_anonymous_samples_and_replaces_a_named_one() {
        let mut journey = example();
        let stage = journey.stages[0].id;
        let persona = journey.personas[0].id;
        let steps: Vec<StepId> = journey.stages[0].steps.iter().map(|s| s.id).collect();
        let first = steps[0];
        let earlier = vec![Sample::new("Ana", -2.0), Sample::new("", 1.0)];
        Edit::set_samples(&journey, persona, CurveState::Current, first, earlier)
            .apply(&mut journey)
            .unwrap();
        let mut round = Scoring {
            stage: Some(stage),
            persona: Some(persona),
            named: true,
            ..Scoring::default()
        };
        round.start();
        round.name = "Ana".into();
        for _ in &steps {
            round.score(2, steps.len());
        }
        assert_eq!(round.phase, Phase::TurnDone);
        round.next();
        round.named = false;
        for _ in &steps {
            round.score(1, steps.len());
        }
        let edit = round.finish(&journey).unwrap();
        edit.apply(&mut journey).unwrap();
        let curve = journey.curve_in(persona, CurveState::Current).unwrap();
        let at_first: Vec<(&str, f32)> = curve
            .samples_at(first)
            .iter()
            .map(|s| (s.participant.as_str(), s.score))
            .collect();
        assert_eq!(at_first, [("", 1.0), ("Ana", 2.0), ("", 1.0)]);
        assert_eq!(curve.points.get(&first), Some(&1.0), "the median");
        for step in &steps[1..] {
            assert_eq!(curve.samples_at(*step).len(), 2);
            assert_eq!(curve.points.get(step), Some(&1.5));
        }
    }
}
