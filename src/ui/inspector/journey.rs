//! The inspector with nothing selected: the map's title and description,
//! its brief (objective, scenario, currency), its review (last reviewed,
//! revision notes) and its personas.

use egui::{RichText, Ui};

use super::Inspector;
use super::fields::parse_date;
use crate::edit::Edit;
use crate::model::{Journey, Revision};
use crate::ui::actions::Action;

impl Inspector<'_> {
    /// Nothing selected: the journey's own fields and its personas.
    pub(super) fn journey_ui(&mut self, ui: &mut Ui) {
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
        self.brief_ui(ui, journey);
        self.review_ui(ui, journey);
        self.personas_ui(ui, journey);
        ui.add_space(8.0);
        ui.label(RichText::new("Select a card, header or pain point to edit it.").weak());
    }

    /// Objective, scenario and currency.
    fn brief_ui(&mut self, ui: &mut Ui, journey: &Journey) {
        let mut objective = journey.objective.clone();
        let mut scenario = journey.scenario.clone();
        let mut currency = journey.currency.clone();
        let changed = self
            .text_field_ui(ui, "Objective", &mut objective, true)
            .or(self.text_field_ui(ui, "Scenario", &mut scenario, true))
            .or(self.text_field_ui(ui, "Currency", &mut currency, false));
        if let Some(key) = changed {
            let edit = Edit::SetBrief {
                objective,
                scenario,
                currency,
            };
            self.edit(edit, key);
        }
    }

    /// The last review and the revision notes, all one [`Edit::SetReview`].
    fn review_ui(&mut self, ui: &mut Ui, journey: &Journey) {
        Self::section_ui(ui, "Review");
        let mut last_reviewed = journey.last_reviewed;
        let mut revisions = journey.revisions.clone();
        let mut changed = self.date_field_ui(ui, "Last reviewed", &mut last_reviewed);
        let mut once = false;
        Self::section_ui(ui, "Revision notes");
        let mut remove = None;
        for (index, revision) in revisions.iter_mut().enumerate() {
            ui.push_id(("revision", index), |ui| {
                ui.group(|ui| {
                    let date = self
                        .parsed_field_ui(
                            ui,
                            "Date",
                            &revision.date.to_string(),
                            |text| {
                                parse_date(text)?
                                    .ok_or_else(|| "A revision note needs a date".to_owned())
                            },
                            None,
                        )
                        .map(|(date, key)| {
                            revision.date = date;
                            key
                        });
                    let fields = date
                        .or(self.text_field_ui(ui, "Author", &mut revision.author, false))
                        .or(self.text_field_ui(ui, "Note", &mut revision.note, true));
                    changed = changed.or(fields);
                    if ui.button("Remove revision note").clicked() {
                        remove = Some(index);
                    }
                });
            });
        }
        if let Some(index) = remove
            && index < revisions.len()
        {
            revisions.remove(index);
            once = true;
        }
        if ui.button("Add revision note").clicked() {
            revisions.push(Revision {
                date: self.today,
                author: self.author.to_owned(),
                note: String::new(),
            });
            once = true;
        }
        let edit = Edit::SetReview {
            last_reviewed,
            revisions,
        };
        if once {
            self.edit_once(edit);
        } else if let Some(key) = changed {
            self.edit(edit, key);
        }
    }

    /// The personas, each in a section (closed at first, so the map's own
    /// fields stay in view) headed by its name in its curve's colour (and
    /// the colour shown as a dot inside, so it is not told by text alone).
    fn personas_ui(&mut self, ui: &mut Ui, journey: &Journey) {
        ui.add_space(8.0);
        ui.heading("Personas");
        for (index, persona) in journey.personas.iter().enumerate() {
            let color = self.theme.persona_color(index);
            let title = RichText::new(&persona.name).color(color).strong();
            egui::CollapsingHeader::new(title)
                .id_salt(("persona", persona.id))
                .show(ui, |ui| {
                    ui.horizontal(|ui| {
                        let (rect, _) =
                            ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
                        ui.painter().circle_filled(rect.center(), 6.0, color);
                        ui.label(RichText::new("Curve colour").weak().small());
                    });
                    self.persona_fields_ui(ui, persona);
                    if journey.personas.len() > 1 && ui.button("Remove persona").clicked() {
                        let edit = Edit::remove_persona(journey, persona.id);
                        self.edit_once(edit);
                    }
                });
        }
        if journey.personas.len() < crate::model::MAX_PERSONAS && ui.button("Add persona").clicked()
        {
            self.queue.actions.push(Action::AddPersona);
        }
    }
}
