//! File ▸ Compare with… (another map file) and Compare with git HEAD (the
//! map's committed version, read with `git show`): the visual diff over
//! the canvas, with a bar naming what it compares with, until closed
//! (its Close button, or Esc with nothing selected). The overlay is view
//! state: opening, changing or closing it is never an undo step.

use std::path::Path;
use std::process::Command;

use egui::{Color32, RichText, Ui};

use crate::io;
use crate::model::Journey;
use crate::model::diff::ChangeKind;
use crate::ui::app::WaymarkApp;
use crate::ui::dialogs::{Notice, PathPurpose};
use crate::ui::document::Status;
use crate::view::scene::{DiffMark, DiffOverlay};

impl WaymarkApp {
    /// Asks for the map file to compare with.
    pub(super) fn choose_compare(&mut self) {
        self.choose_file(PathPurpose::Compare);
    }

    /// Compares the open map with the map in `path`; a file that cannot be
    /// read is reported and changes nothing.
    pub fn compare_with_file(&mut self, path: &Path) {
        match io::load(path) {
            Ok(old) => self.start_compare(old, io::display_name(path)),
            Err(err) => {
                let message = err.to_string();
                self.dialogs.notice = Some(Notice {
                    title: "Could not compare".into(),
                    message: message.clone(),
                    offer_save_as: false,
                });
                self.say(Status::error(message));
            }
        }
    }

    /// Compares the open map with the version of its file in git's HEAD.
    pub fn compare_with_head(&mut self) {
        let Some(path) = self.doc.path.clone() else {
            self.say(Status::error(
                "Save the map in a git repository to compare it with git HEAD",
            ));
            return;
        };
        match head_version(&path) {
            Ok(old) => self.start_compare(old, "git HEAD".to_owned()),
            Err(message) => self.say(Status::error(message)),
        }
    }

    /// Shows the diff from `old` over the canvas.
    pub fn start_compare(&mut self, old: Journey, name: String) {
        let overlay = DiffOverlay::new(old, &self.doc.journey, name);
        let text = format!("Comparing with {}: {}", overlay.name, counts(&overlay));
        self.view.diff = Some(overlay);
        self.say(Status::info(text));
    }

    /// Hides the diff.
    pub fn close_compare(&mut self) {
        if self.view.diff.take().is_some() {
            self.say(Status::info("Comparison closed"));
        }
    }

    /// The bar above the canvas while comparing: what with, how much
    /// changed, the marks' colours, and Close.
    pub(super) fn compare_bar_ui(&mut self, ui: &mut Ui) {
        let Some(overlay) = &self.view.diff else {
            return;
        };
        let mut close = false;
        egui::Panel::top("compare").show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                let summary = overlay.diff.summary();
                ui.label(RichText::new(format!("Comparing with {}", overlay.name)).strong())
                    .on_hover_text(summary);
                ui.label(format!("— {}", counts(overlay)));
                for mark in [DiffMark::Added, DiffMark::Changed, DiffMark::Removed] {
                    ui.label(RichText::new(format!("■ {}", mark.label())).color(mark.color()));
                }
                let omitted = overlay.omitted_notes(&self.doc.journey).len();
                if omitted > 0 {
                    ui.label(
                        RichText::new(format!("{omitted} removed not drawn (step or lane gone)"))
                            .color(Color32::GRAY),
                    );
                }
                close = ui.button("Close").clicked();
            });
        });
        if close {
            self.close_compare();
        }
    }
}

/// "2 added, 1 removed, 3 changed", or "no changes".
fn counts(overlay: &DiffOverlay) -> String {
    if overlay.diff.is_empty() {
        return "no changes".to_owned();
    }
    let n = |kind| overlay.diff.of_kind(kind).count();
    format!(
        "{} added, {} removed, {} changed",
        n(ChangeKind::Added),
        n(ChangeKind::Removed),
        n(ChangeKind::Changed)
    )
}

/// The map at `path` as committed in HEAD of the git repository holding it.
pub fn head_version(path: &Path) -> Result<Journey, String> {
    let name = io::display_name(path);
    let folder = io::folder_of(path);
    let output = Command::new("git")
        .arg("-C")
        .arg(folder)
        .arg("show")
        .arg(format!("HEAD:./{name}"))
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => {
                "Cannot compare with git HEAD: the git command is not installed".to_owned()
            }
            _ => format!("Cannot run git: {e}"),
        })?;
    if !output.status.success() {
        let said = String::from_utf8_lossy(&output.stderr);
        let said = said.lines().next().unwrap_or_default().trim();
        return Err(format!(
            "{name} is not in git's HEAD (is it in a repository and committed?): {said}"
        ));
    }
    let label = Path::new("HEAD").join(&name);
    io::parse_bytes(&output.stdout, &label).map_err(|e| e.to_string())
}
