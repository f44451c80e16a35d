//! The inspector for a persona: who they are (name, about, role), what they
//! want and what gets in the way, their words, their photo, whether they
//! are hidden, and their to-be curve started from the as-is one.

use egui::{RichText, Ui};

use super::Inspector;
use crate::edit::Edit;
use crate::model::{Persona, PersonaId};
use crate::ui::actions::Action;

impl Inspector<'_> {
    /// A selected persona.
    pub(super) fn persona_ui(&mut self, ui: &mut Ui, id: PersonaId) {
        let Some(persona) = self.journey.persona(id) else {
            return;
        };
        ui.heading("Persona");
        self.persona_fields_ui(ui, persona);
    }

    /// Every field of a persona, one [`Edit::UpdatePersona`] per change.
    pub(super) fn persona_fields_ui(&mut self, ui: &mut Ui, persona: &Persona) {
        let mut p = persona.clone();
        let changed = self
            .text_field_ui(ui, "Name", &mut p.name, false)
            .or(self.text_field_ui(ui, "About", &mut p.description, true))
            .or(self.text_field_ui(ui, "Role", &mut p.role, false))
            .or(self.text_field_ui(ui, "Goals", &mut p.goals, true))
            .or(self.text_field_ui(ui, "Needs", &mut p.needs, true))
            .or(self.text_field_ui(ui, "Frustrations", &mut p.frustrations, true))
            .or(self.text_field_ui(ui, "Quote", &mut p.quote, true));
        if let Some(key) = changed {
            self.edit(Edit::UpdatePersona(p), key);
        }
        self.photo_ui(ui, persona);
        self.persona_states_ui(ui, persona);
    }

    /// The photo: a preview, and buttons to choose or remove one.
    fn photo_ui(&mut self, ui: &mut Ui, persona: &Persona) {
        ui.label(RichText::new("Photo").strong());
        if let Some(texture) = photo_texture(ui, persona) {
            ui.add(
                egui::Image::from_texture(egui::load::SizedTexture::from(&texture))
                    .fit_to_exact_size(egui::vec2(64.0, 64.0))
                    .corner_radius(32.0)
                    .alt_text(format!("Photo of {}", persona.name)),
            );
        } else if persona.photo.is_some() {
            ui.label(RichText::new("The photo cannot be shown").weak());
        } else {
            ui.label(RichText::new("No photo: the map shows initials").weak());
        }
        ui.horizontal_wrapped(|ui| {
            if ui
                .button("Choose photo…")
                .on_hover_text("A PNG or JPEG image; a square thumbnail is kept in the map")
                .clicked()
            {
                self.queue.actions.push(Action::ChoosePhoto(persona.id));
            }
            if persona.photo.is_some() && ui.button("Remove photo").clicked() {
                let mut p = persona.clone();
                p.photo = None;
                self.edit_once(Edit::UpdatePersona(p));
            }
        });
    }
}

/// The photo as a texture, from the picture the map's avatars draw
/// ([`crate::view::photo::picture`], decoded once), kept by the photo's
/// hash in egui's memory; `None` without a photo or when it cannot be
/// decoded.
fn photo_texture(ui: &Ui, persona: &Persona) -> Option<egui::TextureHandle> {
    let photo = persona.photo.as_ref()?;
    let id = egui::Id::unique("persona-photo").with(crate::view::photo::photo_hash(photo));
    if let Some(texture) = ui.data(|d| d.get_temp::<egui::TextureHandle>(id)) {
        return Some(texture);
    }
    let color = std::sync::Arc::unwrap_or_clone(crate::view::photo::picture(persona)?);
    let texture = ui
        .ctx()
        .load_texture("persona-photo", color, egui::TextureOptions::LINEAR);
    ui.data_mut(|d| d.insert_temp(id, texture.clone()));
    Some(texture)
}
