//! The inspector for a stage: its name, the customer's and the business's
//! goals, and its KPIs (from the presets or any name), each with its value,
//! target and whether it is on target, in words and a mark.

use egui::{RichText, Ui};

use super::Inspector;
use super::fields::choice_ui;
use crate::edit::{Edit, GestureKey};
use crate::model::{Better, KPI_PRESETS, Kpi, Stage, StageId};
use crate::ui::actions::Action;

/// The words of a KPI on target are green, off target red (the words and
/// the mark say it too).
const ON_TARGET: egui::Color32 = egui::Color32::from_rgb(0x1A, 0x7F, 0x37);
const OFF_TARGET: egui::Color32 = egui::Color32::from_rgb(0xCF, 0x22, 0x2E);

/// Whether a KPI meets its target, in words with a mark (never colour alone).
pub fn target_state(kpi: &Kpi) -> &'static str {
    match kpi.on_target() {
        Some(true) => "✓ On target",
        Some(false) => "✗ Off target",
        None if kpi.target.is_none() => "No target yet",
        None => "Not measured yet",
    }
}

impl Inspector<'_> {
    pub(super) fn stage_ui(&mut self, ui: &mut Ui, id: StageId) {
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
        Self::section_ui(ui, "Goals");
        let mut customer = stage.customer_goal.clone();
        let mut business = stage.business_goal.clone();
        let changed = self
            .text_field_ui(ui, "Customer goal", &mut customer, true)
            .or(self.text_field_ui(ui, "Business goal", &mut business, true));
        if let Some(key) = changed {
            let edit = Edit::SetStageGoals {
                id,
                customer,
                business,
            };
            self.edit(edit, key);
        }
        self.kpis_ui(ui, stage);
    }

    /// The stage's KPIs and the ways to add one; all one [`Edit::SetKpis`].
    fn kpis_ui(&mut self, ui: &mut Ui, stage: &Stage) {
        Self::section_ui(ui, "KPIs");
        let mut kpis = stage.kpis.clone();
        let mut changed = None;
        let mut remove = None;
        for (index, kpi) in kpis.iter_mut().enumerate() {
            ui.push_id(("kpi", index), |ui| {
                ui.group(|ui| {
                    changed = changed.or(self.kpi_ui(ui, kpi));
                    if ui.button("Remove KPI").clicked() {
                        remove = Some(index);
                    }
                });
            });
        }
        let mut once = false;
        if let Some(index) = remove
            && index < kpis.len()
        {
            kpis.remove(index);
            once = true;
        }
        if let Some(kpi) = add_kpi_ui(ui) {
            kpis.push(kpi);
            once = true;
        }
        if once {
            self.edit_once(Edit::SetKpis(stage.id, kpis));
        } else if let Some(key) = changed {
            self.edit(Edit::SetKpis(stage.id, kpis), key);
        }
    }

    /// One KPI's fields and its state.
    fn kpi_ui(&mut self, ui: &mut Ui, kpi: &mut Kpi) -> Option<GestureKey> {
        let state = target_state(kpi);
        let color = match kpi.on_target() {
            Some(true) => ON_TARGET,
            Some(false) => OFF_TARGET,
            None => ui.visuals().weak_text_color(),
        };
        ui.label(RichText::new(&kpi.name).strong());
        ui.label(
            RichText::new(format!(
                "{state}: {} (target {})",
                kpi.value_text(),
                kpi.target_text()
            ))
            .color(color),
        );
        let better = [
            (Better::Higher, "Higher is better"),
            (Better::Lower, "Lower is better"),
        ];
        let name = self.text_field_ui(ui, "KPI name", &mut kpi.name, false);
        // Value, target and unit side by side: short fields, read together.
        let numbers = ui.columns(3, |columns| match columns {
            [value, target, unit] => self
                .number_field_ui(value, "Value", &mut kpi.value)
                .or(self.number_field_ui(target, "Target", &mut kpi.target))
                .or(self.text_field_ui(unit, "Unit", &mut kpi.unit, false)),
            _ => None,
        });
        name.or(numbers)
            .or(choice_ui(ui, "Direction", &mut kpi.better, &better))
            .or(self.date_field_ui(ui, "Measured", &mut kpi.measured))
    }
}

/// "Add KPI": a preset from the list, or a name typed in.
fn add_kpi_ui(ui: &mut Ui) -> Option<Kpi> {
    let mut added = None;
    let label = ui.label("Add KPI");
    egui::ComboBox::from_id_salt("add-kpi")
        .selected_text("Choose a KPI…")
        .show_ui(ui, |ui| {
            for preset in &KPI_PRESETS {
                if ui.selectable_label(false, preset.name).clicked() {
                    added = Some(Kpi {
                        unit: preset.unit.to_owned(),
                        better: preset.better,
                        ..Kpi::named(preset.name)
                    });
                }
            }
        })
        .response
        .labelled_by(label.id);
    let name_id = ui.make_persistent_id("new-kpi-name");
    let mut name: String = ui.data(|d| d.get_temp(name_id)).unwrap_or_default();
    let label = ui.label("Other KPI");
    ui.horizontal(|ui| {
        let width = (ui.available_width() - 110.0).max(80.0);
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut name)
                    .desired_width(width)
                    .hint_text("any name"),
            )
            .labelled_by(label.id);
        let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let add = ui.add_enabled(!name.trim().is_empty(), egui::Button::new("Add named KPI"));
        if (enter || add.clicked()) && !name.trim().is_empty() {
            added = Some(Kpi::named(name.trim()));
            name.clear();
        }
    });
    ui.data_mut(|d| d.insert_temp(name_id, name));
    added
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kpi_says_whether_it_is_on_target_in_words() {
        let mut kpi = Kpi::named("NPS");
        assert_eq!(target_state(&kpi), "No target yet");
        kpi.target = Some(40.0);
        assert_eq!(target_state(&kpi), "Not measured yet");
        kpi.value = Some(45.0);
        assert_eq!(target_state(&kpi), "✓ On target");
        kpi.better = Better::Lower;
        assert_eq!(target_state(&kpi), "✗ Off target");
    }
}
