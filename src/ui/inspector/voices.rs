//! The inspector's fields for the journey's two states and its many
//! voices: a curve point's score, or the participants' scores whose median
//! it is (each added, changed or removed as one undo step), in the state
//! the map shows; a card's state; a pain solved in the future; whether a
//! persona is hidden.

use egui::{RichText, Ui};

use super::Inspector;
use crate::edit::Edit;
use crate::model::{
    Card, CardState, CurveState, PainPoint, Persona, PersonaId, Sample, StepId, median,
};
use crate::ui::actions::Action;

/// Room a row of scores keeps right of the name for the score and Remove.
const ROW_ROOM: f32 = 136.0;

impl Inspector<'_> {
    /// A selected curve point: its score, or the scores it is the median
    /// of, on the curve of the state in view.
    pub(super) fn voices_ui(&mut self, ui: &mut Ui, persona: PersonaId, step: StepId) {
        let journey = self.journey;
        let state = self.state.edit_state();
        ui.heading("Emotion");
        let name = journey.persona(persona).map_or("", |p| p.name.as_str());
        let step_name = journey.step(step).map_or("", |(_, s)| s.name.as_str());
        let curve_name = match state {
            CurveState::Current => "current",
            CurveState::Future => "future",
        };
        ui.label(format!("{name} at {step_name} ({curve_name} curve)"));
        let curve = journey.curve_in(persona, state);
        let samples = curve.map_or(&[][..], |c| c.samples_at(step));
        let point = curve.and_then(|c| c.points.get(&step)).copied();
        match (point, samples.is_empty()) {
            (Some(score), true) => self.score_slider_ui(ui, (persona, state, step), score),
            (Some(score), false) => {
                ui.label(format!(
                    "Median {} of {}",
                    crate::model::score_text(score),
                    crate::ui::count(samples.len(), "score", "scores")
                ));
            }
            (None, _) => {
                ui.label(RichText::new("No score here yet").weak());
            }
        }
        self.samples_ui(ui, (persona, state, step), samples, point);
        self.buttons_ui(ui, &[Action::AddPainPoint, Action::Delete]);
        self.pain_list_ui(ui, crate::model::Anchor::Curve(persona, step));
    }

    /// The point's score as a slider, when no participants scored it.
    fn score_slider_ui(
        &mut self,
        ui: &mut Ui,
        (persona, state, step): (PersonaId, CurveState, StepId),
        score: f32,
    ) {
        let mut value = score;
        let label = ui.label("Score (-2 … +2)");
        let response = ui
            .add(egui::Slider::new(&mut value, -2.0..=2.0).step_by(0.1))
            .labelled_by(label.id);
        if response.changed() {
            let edit = Edit::set_scores_in(self.journey, persona, state, [(step, value)]);
            self.edit(edit, response.id);
        }
        if response.drag_stopped() || response.lost_focus() {
            self.queue.end_gesture = true;
        }
    }

    /// The participants' scores, a row each (name, score, remove), and a
    /// button that adds one.
    fn samples_ui(
        &mut self,
        ui: &mut Ui,
        (persona, state, step): (PersonaId, CurveState, StepId),
        samples: &[Sample],
        point: Option<f32>,
    ) {
        Self::section_ui(ui, "Participants' scores");
        let journey = self.journey;
        let set = |samples: Vec<Sample>| Edit::set_samples(journey, persona, state, step, samples);
        for (i, sample) in samples.iter().enumerate() {
            let mut name = sample.participant.clone();
            let mut score = sample.score;
            let mut removed = false;
            ui.horizontal(|ui| {
                let label = ui.label(format!("{}.", i + 1));
                // The name takes what the score and Remove leave of the row.
                let width = (ui.available_width() - ROW_ROOM).max(60.0);
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut name)
                            .hint_text("anonymous")
                            .desired_width(width),
                    )
                    .labelled_by(label.id);
                let value = ui
                    .add(
                        egui::DragValue::new(&mut score)
                            .range(-2.0..=2.0)
                            .speed(0.05)
                            .fixed_decimals(1),
                    )
                    .on_hover_text("Score (-2 … +2)")
                    .labelled_by(label.id);
                removed = ui.button("Remove").clicked();
                for response in [&field, &value] {
                    if response.lost_focus() || response.drag_stopped() {
                        self.queue.end_gesture = true;
                    }
                }
                let key = if field.changed() {
                    Some(field.id)
                } else {
                    value.changed().then_some(value.id)
                };
                if let Some(key) = key.filter(|_| !removed) {
                    let mut changed = samples.to_vec();
                    if let Some(s) = changed.get_mut(i) {
                        *s = Sample::new(name.clone(), score);
                    }
                    self.edit(set(changed), key);
                }
            });
            if removed {
                let mut fewer = samples.to_vec();
                fewer.remove(i);
                self.edit_once(set(fewer));
            }
        }
        if samples.is_empty() {
            ui.label(
                RichText::new("One score per participant; the point goes to their median.").weak(),
            );
        }
        if ui.button("Add score").clicked() {
            let start = median(samples).or(point).unwrap_or(0.0);
            let mut more = samples.to_vec();
            // The first added voice keeps the point's own score with it.
            if more.is_empty() && point.is_some() {
                more.push(Sample::new("", start));
            }
            more.push(Sample::new("", start));
            self.edit_once(set(more));
        }
    }

    /// Whether a card exists today, only in the future, or goes away:
    /// a radio button each, a change one undo step.
    pub(super) fn card_state_ui(&mut self, ui: &mut Ui, card: &Card) {
        Self::section_ui(ui, "State");
        let mut state = card.state;
        for choice in CardState::ALL {
            if ui.radio_value(&mut state, choice, choice.label()).changed() {
                self.edit_once(Edit::UpdateCard(Card {
                    state,
                    ..card.clone()
                }));
            }
        }
    }

    /// "Solved in the future" for a pain point, one undo step.
    pub(super) fn solved_ui(&mut self, ui: &mut Ui, pain: &PainPoint) {
        let mut solved = pain.solved_in_future;
        if ui
            .checkbox(&mut solved, "Solved in the future state")
            .changed()
        {
            self.edit_once(Edit::UpdatePain(PainPoint {
                solved_in_future: solved,
                ..pain.clone()
            }));
        }
    }

    /// Whether a persona is hidden from the map and exports, one undo
    /// step, and the button that starts its to-be curve from the as-is one.
    pub(super) fn persona_states_ui(&mut self, ui: &mut Ui, persona: &Persona) {
        let mut hidden = persona.hidden;
        if ui
            .checkbox(&mut hidden, "Hide from the map and exports")
            .changed()
        {
            self.edit_once(Edit::UpdatePersona(Persona {
                hidden,
                ..persona.clone()
            }));
        }
        if ui.button("Copy current curve to future").clicked() {
            (self.queue.actions).push(Action::CopyCurveToFuture(Some(persona.id)));
        }
    }
}
