//! The clipboard: cards copied or cut inside the app (their titles also go
//! to the system clipboard as text, for notes and chats), and the whole map
//! copied as an image for slides.

use crate::edit::commands;
use crate::model::Card;
use crate::ui::app::WaymarkApp;
use crate::ui::document::Status;

/// The largest image put on the clipboard, in pixels: bigger maps are
/// exported to a file instead.
const MAX_CLIPBOARD_PIXELS: u64 = 60_000_000;

impl WaymarkApp {
    /// Copies the selected cards.
    pub(super) fn copy(&mut self, ctx: &egui::Context) {
        let cards: Vec<Card> = self
            .view
            .selected_cards()
            .iter()
            .filter_map(|id| self.doc.journey.card(*id).cloned())
            .collect();
        if cards.is_empty() {
            return;
        }
        let text: Vec<&str> = cards.iter().map(|c| c.title.as_str()).collect();
        ctx.copy_text(text.join("\n"));
        self.say(Status::info(format!(
            "Copied {}",
            crate::ui::count(cards.len(), "card", "cards")
        )));
        self.clipboard = cards;
    }

    /// Copies the selected cards, then removes them.
    pub(super) fn cut(&mut self, ctx: &egui::Context) {
        self.copy(ctx);
        let command = commands::remove_selected_cards(&self.doc.journey, &self.view.selection);
        self.command(command);
    }

    /// Puts the whole map on the clipboard as an image: at 2x (sharp on
    /// slides) when that fits the clipboard, else 1x, else not at all.
    pub(super) fn copy_image(&mut self, ctx: &egui::Context) {
        // Choose the scale before rendering anything.
        let options = crate::export::ExportOptions::default();
        let scale = match crate::export::image_size(&self.doc.journey, &options) {
            Ok((w, h)) if 4 * u64::from(w) * u64::from(h) <= MAX_CLIPBOARD_PIXELS => 2.0,
            Ok((w, h)) if u64::from(w) * u64::from(h) <= MAX_CLIPBOARD_PIXELS => 1.0,
            Ok(_) => {
                return self.say(Status::error(
                    "The map is too large for the clipboard; use File ▸ Export…",
                ));
            }
            Err(err) => return self.say(Status::error(err.to_string())),
        };
        match crate::ui::export_dialog::clipboard_image(
            &self.doc.journey,
            scale,
            (self.view.state, self.view.spread),
        ) {
            Ok(image) => {
                let [w, h] = image.size;
                ctx.copy_image(image);
                self.say(Status::info(format!("Copied the map as a {w}x{h} image")));
            }
            Err(err) => self.say(Status::error(err.to_string())),
        }
    }
}
