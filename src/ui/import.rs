//! File ▸ Import… and Mermaid files dropped on the window: a diagram
//! becomes a new, unsaved map, and the status line says what was mapped
//! and what was not.

use std::path::Path;

use crate::ui::app::WaymarkApp;
use crate::ui::dialogs::{AfterConfirm, Notice, PathPrompt, PathPurpose};
use crate::ui::document::Status;

impl WaymarkApp {
    /// Imports a Mermaid journey as a new, unsaved map; on error the
    /// current document stays and a notice names the line and column.
    pub fn import_path(&mut self, path: &Path) {
        match crate::interop::mermaid::read_file(path) {
            Ok(imported) => {
                self.doc.start_new(imported.journey);
                self.reset_view();
                let name = crate::io::display_name(path);
                let mut text = format!("Imported {name}: {}", imported.mapped);
                if !imported.warnings.is_empty() {
                    text = format!(
                        "{text}. Not kept as written: {}",
                        imported.warnings.join("; ")
                    );
                }
                self.say(Status::info(text));
            }
            Err(message) => {
                self.dialogs.notice = Some(Notice {
                    title: "Could not import the diagram".into(),
                    message: message.clone(),
                    offer_save_as: false,
                });
                self.say(Status::error(message));
            }
        }
    }

    /// Asks for a Mermaid file; opening it goes through [`Self::open_path`],
    /// which imports `.mmd` files, after unsaved changes are dealt with.
    pub(super) fn choose_import(&mut self, ctx: &egui::Context) {
        if self.native_dialogs {
            let dialog = rfd::FileDialog::new()
                .add_filter("Mermaid journey", &crate::interop::mermaid::EXTENSIONS);
            match self.native_dialog(|| dialog.pick_file()) {
                super::files::Chosen::Path(path) => {
                    return self.confirm_then(ctx, AfterConfirm::OpenPath(path));
                }
                super::files::Chosen::Dismissed => return,
                super::files::Chosen::NoDialog => {}
            }
        }
        self.dialogs.path_prompt = Some(PathPrompt {
            purpose: PathPurpose::Open,
            text: String::new(),
            focus: true,
        });
    }
}
