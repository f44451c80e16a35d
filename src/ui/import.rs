//! File ▸ Import… (Mermaid or CSV as a new, unsaved map; files dropped on
//! the window go the same way) and File ▸ Import scores… (a CSV's scores
//! merged into the open map as one undo step). The status line says what
//! was mapped and what was not.
//!
//! A survey's scores belong to one persona: with one persona in the map
//! they go to it; with several, a dialog asks whose they are and whether
//! they score the current or the future state.

use std::path::Path;

use egui::Id;

use crate::edit::commands::Command;
use crate::interop::csv::{Scores, merge_edit};
use crate::model::{CurveState, PersonaId};
use crate::ui::app::WaymarkApp;
use crate::ui::dialogs::{Notice, PathPrompt, PathPurpose};
use crate::ui::document::Status;

/// A survey read from a file, waiting for the user to pick its persona.
#[derive(Debug)]
pub struct PendingScores {
    /// The file's name, for the dialog and the status line.
    name: String,
    /// The scores read.
    scores: Scores,
    /// The state chosen so far.
    state: CurveState,
}

impl WaymarkApp {
    /// Imports a Mermaid journey or a CSV as a new, unsaved map; on error
    /// the current document stays and a notice names the line.
    pub fn import_path(&mut self, path: &Path) {
        match crate::interop::import_file(path) {
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
            Err(message) => self.import_failed("Could not import the file", message),
        }
    }

    fn import_failed(&mut self, title: &str, message: String) {
        self.dialogs.notice = Some(Notice {
            title: title.into(),
            message: message.clone(),
            offer_save_as: false,
        });
        self.say(Status::error(message));
    }

    /// Asks for a Mermaid or CSV file, once unsaved changes are dealt
    /// with; opening it goes through [`Self::open_path`], which imports it.
    pub(super) fn choose_import(&mut self) {
        if self.native_dialogs {
            let dialog = rfd::FileDialog::new()
                .add_filter("Mermaid journey", &crate::interop::mermaid::EXTENSIONS)
                .add_filter("CSV", &[crate::interop::csv::EXTENSION]);
            match self.native_dialog(|| dialog.pick_file()) {
                super::files::Chosen::Path(path) => return self.open_path(&path),
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

    /// Asks for a CSV whose scores to merge into the open map.
    pub(super) fn choose_import_scores(&mut self) {
        self.choose_file(PathPurpose::ImportScores);
    }

    /// Reads a CSV's scores and merges them, asking first whose they are
    /// when a survey meets a map with several personas.
    pub fn import_scores_path(&mut self, path: &Path) {
        let scores = match crate::interop::csv::read_scores_file(path) {
            Ok(scores) => scores,
            Err(message) => return self.import_failed("Could not import the scores", message),
        };
        let name = crate::io::display_name(path);
        let personas = &self.doc.journey.personas;
        if scores.survey.is_none() {
            let first = personas.first().map_or(PersonaId(0), |p| p.id);
            return self.merge_scores(&name, &scores, first, CurveState::Current);
        }
        match personas.as_slice() {
            [] => self.import_failed(
                "Could not import the scores",
                format!(
                    "{name}: a survey's scores go on a persona's curve; this map has no persona yet"
                ),
            ),
            [only] => {
                let only = only.id;
                self.merge_scores(&name, &scores, only, CurveState::Current);
            }
            _ => {
                self.dialogs.scores = Some(PendingScores {
                    name,
                    scores,
                    state: CurveState::Current,
                });
            }
        }
    }

    /// Applies the merge as one undo step and says what it set and what
    /// matched nothing.
    fn merge_scores(&mut self, name: &str, scores: &Scores, persona: PersonaId, state: CurveState) {
        let merge = merge_edit(&self.doc.journey, scores, persona, state);
        let survey = scores
            .survey
            .map(|scale| format!(" (a survey on {})", scale.label()))
            .unwrap_or_default();
        let mut left_out = merge.unknown.clone();
        left_out.extend(scores.warnings.iter().cloned());
        let left_out = if left_out.is_empty() {
            String::new()
        } else {
            format!(". Not imported: {}", left_out.join("; "))
        };
        let text = format!(
            "Imported scores from {name}: {}{survey}{left_out}",
            merge.mapped
        );
        let applied = !merge.edit.is_noop()
            && self.run_command(Command {
                edit: merge.edit,
                select: None,
            });
        self.say(if applied {
            Status::info(text)
        } else {
            Status::error(text)
        });
    }

    /// "Whose scores are these?" for a survey, while one is waiting.
    pub(super) fn scores_dialog(&mut self, ctx: &egui::Context) {
        let Some(pending) = &mut self.dialogs.scores else {
            return;
        };
        let personas: Vec<(PersonaId, String)> = self
            .doc
            .journey
            .personas
            .iter()
            .map(|p| {
                let name = if p.name.trim().is_empty() {
                    "(no name)".to_owned()
                } else {
                    p.name.clone()
                };
                (p.id, name)
            })
            .collect();
        let response = egui::Modal::new(Id::unique("import-scores")).show(ctx, |ui| {
            ui.set_width(420.0);
            ui.heading("Whose scores are these?");
            ui.label(format!(
                "{}: a survey of {} on {}.",
                pending.name,
                crate::ui::count(pending.scores.rows.len(), "score", "scores"),
                pending.scores.survey.map_or("", |s| s.label())
            ));
            ui.horizontal(|ui| {
                for state in CurveState::ALL {
                    ui.radio_value(&mut pending.state, state, state.label());
                }
            });
            ui.add_space(6.0);
            ui.label("Set them as participants' samples on the curve of:");
            let mut chosen = None;
            ui.horizontal_wrapped(|ui| {
                for (id, name) in &personas {
                    if ui.button(name).clicked() {
                        chosen = Some(Some(*id));
                    }
                }
                if ui.button("Cancel").clicked() {
                    chosen = Some(None);
                }
            });
            chosen
        });
        let chosen = if response.should_close() {
            Some(None)
        } else {
            response.inner
        };
        let Some(chosen) = chosen else {
            return;
        };
        let Some(pending) = self.dialogs.scores.take() else {
            return;
        };
        if let Some(persona) = chosen {
            self.merge_scores(&pending.name, &pending.scores, persona, pending.state);
        }
    }
}
