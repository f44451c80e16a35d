//! The inspector for the smaller items: a step, a lane, a pain point, a
//! point of an emotion curve, an empty cell.

use egui::{RichText, Ui};

use super::{Inspector, describe_anchor, describe_cell};
use crate::edit::{Edit, GestureKey};
use crate::model::{
    Anchor, Card, CardId, Journey, LaneId, LaneKind, PainId, PersonaId, SEVERITY_RANGE, StepId,
};
use crate::ui::actions::Action;

impl Inspector<'_> {
    pub(super) fn step_ui(&mut self, ui: &mut Ui, id: StepId) {
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

    pub(super) fn lane_ui(&mut self, ui: &mut Ui, id: LaneId) {
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

    pub(super) fn pain_ui(&mut self, ui: &mut Ui, id: PainId) {
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
        self.solved_ui(ui, pain);
        self.buttons_ui(ui, &[Action::Delete]);
    }

    pub(super) fn curve_point_ui(&mut self, ui: &mut Ui, persona: PersonaId, step: StepId) {
        self.voices_ui(ui, persona, step);
    }

    pub(super) fn cell_ui(&mut self, ui: &mut Ui, step: StepId, lane: LaneId) {
        ui.heading("Cell");
        ui.label(describe_cell(self.journey, step, lane));
        self.buttons_ui(
            ui,
            &[Action::AddCard(None), Action::Paste, Action::AddPainPoint],
        );
    }
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
    let opportunities: Vec<&Card> = journey.opportunities();
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
