//! The inspector on the right: the fields of the selected item (card,
//! stage, step, lane, pain point, curve point, cell), or of the journey and
//! its personas when nothing is selected. It reads the journey and queues
//! edits (a field typed into is one undo step) and actions.

use egui::{RichText, Ui};

use crate::edit::{Edit, GestureKey, Item};
use crate::model::{
    Anchor, Card, CardId, Channel, Journey, LaneId, LaneKind, PainId, PersonaId, SEVERITY_RANGE,
    StageId, StepId,
};
use crate::ui::actions::{Action, Queue};
use crate::view::theme::Theme;

/// The inspector for the selection's primary item.
pub fn inspector_ui(
    ui: &mut Ui,
    journey: &Journey,
    primary: Option<Item>,
    theme: &Theme,
    queue: &mut Queue,
) {
    ui.add_space(6.0);
    let mut inspector = Inspector {
        journey,
        theme,
        queue,
    };
    match primary {
        Some(Item::Card(id)) => inspector.card_ui(ui, id),
        Some(Item::Stage(id)) => inspector.stage_ui(ui, id),
        Some(Item::Step(id)) => inspector.step_ui(ui, id),
        Some(Item::Lane(id)) => inspector.lane_ui(ui, id),
        Some(Item::Pain(id)) => inspector.pain_ui(ui, id),
        Some(Item::CurvePoint(persona, step)) => inspector.curve_point_ui(ui, persona, step),
        Some(Item::Cell(step, lane)) => inspector.cell_ui(ui, step, lane),
        Some(Item::Persona(_)) | None => inspector.journey_ui(ui),
    }
}

/// One frame of the inspector.
struct Inspector<'a> {
    journey: &'a Journey,
    theme: &'a Theme,
    queue: &'a mut Queue,
}

impl Inspector<'_> {
    /// Queues an edit typed into the field `key` (one undo step per field).
    fn edit(&mut self, edit: Edit, key: GestureKey) {
        self.queue.edits.push((edit, Some(key)));
    }

    fn card_ui(&mut self, ui: &mut Ui, id: CardId) {
        let Some(card) = self.journey.card(id) else {
            return;
        };
        ui.heading("Card");
        let mut c = card.clone();
        let changed = self
            .text_field_ui(ui, "Title", &mut c.title, false)
            .or(self.text_field_ui(ui, "Notes", &mut c.notes, true))
            .or(channel_picker_ui(ui, &mut c.channel));
        if let Some(key) = changed {
            self.edit(Edit::UpdateCard(c), key);
        }
        ui.label(RichText::new(describe_cell(self.journey, card.step, card.lane)).weak());
        self.pain_list_ui(ui, Anchor::Card(id));
    }

    fn stage_ui(&mut self, ui: &mut Ui, id: StageId) {
        let Some(stage) = self.journey.stage(id) else {
            return;
        };
        ui.heading("Stage");
        let mut name = stage.name.clone();
        if let Some(key) = self.text_field_ui(ui, "Name", &mut name, false) {
            self.edit(Edit::RenameStage(id, name), key);
        }
        ui.label(RichText::new(crate::ui::count(stage.steps.len(), "step", "steps")).weak());
        self.buttons_ui(
            ui,
            &[
                Action::AddStep,
                Action::AddStage,
                Action::MoveEarlier,
                Action::MoveLater,
                Action::Delete,
            ],
        );
    }

    fn step_ui(&mut self, ui: &mut Ui, id: StepId) {
        let Some((stage, step)) = self.journey.step(id) else {
            return;
        };
        ui.heading("Step");
        let mut name = step.name.clone();
        if let Some(key) = self.text_field_ui(ui, "Name", &mut name, false) {
            self.edit(Edit::RenameStep(id, name), key);
        }
        ui.label(RichText::new(format!("In stage {}", stage.name)).weak());
        self.buttons_ui(
            ui,
            &[
                Action::AddStep,
                Action::AddPainPoint,
                Action::MoveEarlier,
                Action::MoveLater,
                Action::Delete,
            ],
        );
        self.pain_list_ui(ui, Anchor::Step(id));
    }

    fn lane_ui(&mut self, ui: &mut Ui, id: LaneId) {
        let Some(lane) = self.journey.lane(id) else {
            return;
        };
        ui.heading("Lane");
        let mut l = lane.clone();
        let changed = self
            .text_field_ui(ui, "Name", &mut l.name, false)
            .or(lane_kind_ui(ui, &mut l.kind));
        if let Some(key) = changed {
            self.edit(Edit::UpdateLane(l), key);
        }
        self.buttons_ui(
            ui,
            &[Action::MoveEarlier, Action::MoveLater, Action::Delete],
        );
    }

    fn pain_ui(&mut self, ui: &mut Ui, id: PainId) {
        let Some(pain) = self.journey.pain(id) else {
            return;
        };
        ui.heading("Pain point");
        let mut p = pain.clone();
        let changed = self
            .text_field_ui(ui, "Text", &mut p.text, true)
            .or(severity_ui(ui, &mut p.severity))
            .or(opportunity_ui(ui, self.journey, &mut p.opportunity));
        ui.label(RichText::new(format!("On {}", describe_anchor(self.journey, p.anchor))).weak());
        if let Some(key) = changed {
            self.edit(Edit::UpdatePain(p), key);
        }
        self.buttons_ui(ui, &[Action::Delete]);
    }

    fn curve_point_ui(&mut self, ui: &mut Ui, persona: PersonaId, step: StepId) {
        let journey = self.journey;
        ui.heading("Emotion");
        let name = journey
            .persona(persona)
            .map(|p| p.name.clone())
            .unwrap_or_default();
        let step_name = journey
            .step(step)
            .map(|(_, s)| s.name.clone())
            .unwrap_or_default();
        ui.label(format!("{name} at {step_name}"));
        if let Some(curve) = journey.curve(persona)
            && let Some(score) = curve.points.get(&step)
        {
            let mut value = *score;
            let label = ui.label("Score (-2 … +2)");
            let response = ui
                .add(egui::Slider::new(&mut value, -2.0..=2.0).step_by(0.1))
                .labelled_by(label.id);
            if response.changed() {
                let edit = Edit::set_scores(journey, persona, [(step, value)]);
                self.edit(edit, response.id);
            }
            if response.drag_stopped() || response.lost_focus() {
                self.queue.end_gesture = true;
            }
        }
        self.buttons_ui(ui, &[Action::AddPainPoint, Action::Delete]);
        self.pain_list_ui(ui, Anchor::Curve(persona, step));
    }

    fn cell_ui(&mut self, ui: &mut Ui, step: StepId, lane: LaneId) {
        ui.heading("Cell");
        ui.label(describe_cell(self.journey, step, lane));
        self.buttons_ui(
            ui,
            &[Action::AddCard(None), Action::Paste, Action::AddPainPoint],
        );
    }

    /// Nothing (or a persona) selected: the journey's title and description,
    /// and its personas.
    fn journey_ui(&mut self, ui: &mut Ui) {
        let journey = self.journey;
        ui.heading("Journey");
        let mut title = journey.title.clone();
        let mut description = journey.description.clone();
        let changed = self
            .text_field_ui(ui, "Map title", &mut title, false)
            .or(self.text_field_ui(ui, "Description", &mut description, true));
        if let Some(key) = changed {
            self.edit(Edit::SetMeta { title, description }, key);
        }
        ui.add_space(8.0);
        ui.heading("Personas");
        for (index, persona) in journey.personas.iter().enumerate() {
            ui.push_id(persona.id, |ui| {
                let color = self.theme.persona_color(index);
                ui.horizontal(|ui| {
                    let (rect, _) =
                        ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
                    ui.painter().circle_filled(rect.center(), 6.0, color);
                    ui.label(RichText::new("Curve colour").weak().small());
                });
                let mut p = persona.clone();
                let changed = self
                    .text_field_ui(ui, "Name", &mut p.name, false)
                    .or(self.text_field_ui(ui, "About", &mut p.description, true));
                if let Some(key) = changed {
                    self.edit(Edit::UpdatePersona(p), key);
                }
                if journey.personas.len() > 1 && ui.button("Remove persona").clicked() {
                    let edit = Edit::remove_persona(journey, persona.id);
                    self.queue.edits.push((edit, None));
                }
            });
            ui.separator();
        }
        if journey.personas.len() < 2 && ui.button("Add persona").clicked() {
            self.queue.actions.push(Action::AddPersona);
        }
        ui.add_space(8.0);
        ui.label(RichText::new("Select a card, header or pain point to edit it.").weak());
    }

    /// The pain points on `anchor`, and a button to add one.
    fn pain_list_ui(&mut self, ui: &mut Ui, anchor: Anchor) {
        ui.add_space(8.0);
        ui.label(RichText::new("Pain points").strong());
        for pain in self
            .journey
            .pain_points
            .iter()
            .filter(|p| p.anchor == anchor)
        {
            // Wrapped: a long pain text must not widen the panel.
            ui.horizontal_wrapped(|ui| {
                let (rect, _) =
                    ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
                ui.painter().circle_filled(
                    rect.center(),
                    6.0,
                    self.theme.pain_color(pain.severity),
                );
                ui.label(&pain.text);
            });
        }
        if ui.button("Add pain point").clicked() {
            self.queue.actions.push(Action::AddPainPoint);
        }
    }

    /// A row of buttons that queue actions.
    fn buttons_ui(&mut self, ui: &mut Ui, list: &[Action]) {
        ui.add_space(6.0);
        ui.horizontal_wrapped(|ui| {
            for action in list {
                if ui.button(action.label()).clicked() {
                    self.queue.actions.push(action.clone());
                }
            }
        });
    }

    /// A labelled text field. Returns the field's id when the text changed
    /// (the id groups keystrokes into one undo step); leaving the field
    /// ends the gesture.
    fn text_field_ui(
        &mut self,
        ui: &mut Ui,
        label: &str,
        text: &mut String,
        multiline: bool,
    ) -> Option<GestureKey> {
        let label = ui.label(label);
        let edit = if multiline {
            egui::TextEdit::multiline(text).desired_rows(3)
        } else {
            egui::TextEdit::singleline(text)
        };
        let response = ui
            .add(edit.desired_width(f32::INFINITY))
            .labelled_by(label.id);
        if response.lost_focus() {
            self.queue.end_gesture = true;
        }
        response.changed().then_some(response.id)
    }
}

fn channel_picker_ui(ui: &mut Ui, channel: &mut Option<Channel>) -> Option<GestureKey> {
    let label = ui.label("Channel");
    let mut changed = None;
    egui::ComboBox::from_id_salt("card-channel")
        .selected_text(channel.map_or("None", Channel::label))
        .show_ui(ui, |ui| {
            if ui.selectable_value(channel, None, "None").changed() {
                changed = Some(label.id);
            }
            for c in Channel::ALL {
                if ui.selectable_value(channel, Some(c), c.label()).changed() {
                    changed = Some(label.id);
                }
            }
        })
        .response
        .labelled_by(label.id);
    changed
}

fn lane_kind_ui(ui: &mut Ui, kind: &mut LaneKind) -> Option<GestureKey> {
    let label = ui.label("Kind");
    let mut changed = None;
    egui::ComboBox::from_id_salt("lane-kind")
        .selected_text(kind.label())
        .show_ui(ui, |ui| {
            for k in LaneKind::ALL {
                if ui.selectable_value(kind, k, k.label()).changed() {
                    changed = Some(label.id);
                }
            }
        })
        .response
        .labelled_by(label.id);
    changed
}

fn severity_ui(ui: &mut Ui, severity: &mut u8) -> Option<GestureKey> {
    let label = ui.label("Severity");
    let mut changed = None;
    ui.horizontal_wrapped(|ui| {
        for value in SEVERITY_RANGE {
            let name = match value {
                1 => "1 minor",
                2 => "2 major",
                _ => "3 critical",
            };
            if ui.selectable_value(severity, value, name).changed() {
                changed = Some(label.id);
            }
        }
    });
    changed
}

/// The opportunity a pain point links to: any card in an Opportunities lane.
fn opportunity_ui(
    ui: &mut Ui,
    journey: &Journey,
    opportunity: &mut Option<CardId>,
) -> Option<GestureKey> {
    let opportunities: Vec<&Card> = journey
        .cards
        .iter()
        .filter(|c| {
            journey
                .lane(c.lane)
                .is_some_and(|l| l.kind == LaneKind::Opportunities)
        })
        .collect();
    let label = ui.label("Opportunity");
    let current = opportunity
        .and_then(|id| journey.card(id))
        .map_or_else(|| "None".to_owned(), |c| c.title.clone());
    let mut changed = None;
    egui::ComboBox::from_id_salt("pain-opportunity")
        .width(ui.available_width())
        .truncate()
        .selected_text(current)
        .show_ui(ui, |ui| {
            if ui.selectable_value(opportunity, None, "None").changed() {
                changed = Some(label.id);
            }
            for card in opportunities {
                if ui
                    .selectable_value(opportunity, Some(card.id), &card.title)
                    .changed()
                {
                    changed = Some(label.id);
                }
            }
        })
        .response
        .labelled_by(label.id);
    changed
}

fn describe_cell(journey: &Journey, step: StepId, lane: LaneId) -> String {
    let step = journey.step(step).map_or_else(String::new, |(stage, s)| {
        if s.name.is_empty() {
            stage.name.clone()
        } else {
            format!("{} › {}", stage.name, s.name)
        }
    });
    let lane = journey
        .lane(lane)
        .map(|l| l.name.clone())
        .unwrap_or_default();
    format!("{step} · {lane}")
}

fn describe_anchor(journey: &Journey, anchor: Anchor) -> String {
    match anchor {
        Anchor::Card(id) => journey.card(id).map_or_else(
            || "a missing card".into(),
            |c| format!("card “{}”", c.title),
        ),
        Anchor::Curve(p, s) => format!(
            "the emotion curve of {} at {}",
            journey.persona(p).map_or("?", |p| p.name.as_str()),
            journey.step(s).map_or("?", |(_, s)| s.name.as_str())
        ),
        Anchor::Step(s) => format!(
            "step {}",
            journey.step(s).map_or("?", |(_, s)| s.name.as_str())
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::templates::Template;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable as _;

    /// The inspector for `primary` in the four-stage template.
    fn harness(primary: impl Fn(&Journey) -> Item) -> Harness<'static, (Journey, Queue)> {
        let journey = Template::FourStage.build("t");
        let primary = primary(&journey);
        let mut h = Harness::builder()
            .with_size(egui::vec2(300.0, 800.0))
            .build_ui_state(
                move |ui, (journey, queue): &mut (Journey, Queue)| {
                    inspector_ui(ui, journey, Some(primary), &Theme::default(), queue);
                },
                (journey, Queue::default()),
            );
        h.run();
        h
    }

    #[test]
    fn typing_a_stage_name_queues_renames_of_one_gesture() {
        let mut h = harness(|j| Item::Stage(j.stages[0].id));
        assert!(h.query_by_label("Stage").is_some());
        h.get_by_label("Name").focus();
        h.run();
        h.get_by_label("Name").type_text("!");
        h.run();
        let stage = h.state().0.stages[0].clone();
        let edits = &h.state().1.edits;
        let [(edit, Some(_))] = edits.as_slice() else {
            panic!("one edit with a gesture key: {edits:?}");
        };
        assert_eq!(
            edit,
            &Edit::RenameStage(stage.id, format!("{}!", stage.name))
        );
    }

    #[test]
    fn the_stage_buttons_queue_their_actions() {
        let mut h = harness(|j| Item::Stage(j.stages[0].id));
        h.get_by_label("Move right / down").click();
        h.run();
        assert_eq!(h.state().1.actions, vec![Action::MoveLater]);
    }

    #[test]
    fn nothing_selected_shows_the_journey_and_its_personas() {
        let h = harness(|j| Item::Persona(j.personas[0].id));
        assert!(h.query_by_label("Map title").is_some());
        assert!(h.query_by_label("Add persona").is_some());
    }

    #[test]
    fn cells_and_anchors_are_described_by_name() {
        let j = Template::FourStage.build("t");
        let (stage, step) = (&j.stages[0], &j.stages[0].steps[0]);
        let lane = &j.lanes[1];
        assert_eq!(
            describe_cell(&j, step.id, lane.id),
            format!("{} › {} · {}", stage.name, step.name, lane.name)
        );
        assert_eq!(
            describe_anchor(&j, Anchor::Step(step.id)),
            format!("step {}", step.name)
        );
        assert_eq!(
            describe_anchor(&j, Anchor::Card(CardId(999))),
            "a missing card"
        );
    }
}
