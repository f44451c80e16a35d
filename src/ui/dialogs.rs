//! The app's modal dialogs: unsaved changes, the in-app path entry (where
//! there is no native file chooser), notices, a file changed on disk, crash
//! recovery, and "Save with revision note". Each `*_dialog` function shows one and returns what the
//! user chose, as an enum; the app acts on the choices (`WaymarkApp::dialogs`).

use std::path::PathBuf;

use egui::{Id, RichText, Ui};

use crate::io::recovery::Recoverable;
use crate::model::templates::Template;
use crate::model::{Date, PersonaId};
use crate::ui::actions::Action;
use crate::ui::app::WaymarkApp;
use crate::ui::document::Status;
use crate::ui::files::with_extension;

/// What to do once the user has answered "Save / Discard / Cancel".
#[derive(Clone, Debug, PartialEq)]
pub enum AfterConfirm {
    /// Start a new map from a template.
    New(Template),
    /// Choose a file to open.
    Open,
    /// Open this file.
    OpenPath(PathBuf),
    /// Choose a Mermaid or CSV file to import as a new map.
    Import,
    /// Close the window.
    Quit,
}

/// The answer to "Save the changes first?".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnsavedChoice {
    /// Save, then go on.
    Save,
    /// Drop the changes, then go on.
    Discard,
    /// Do not go on.
    Cancel,
}

/// What the in-app path entry is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathPurpose {
    /// Open the file typed.
    Open,
    /// Save the map to the file typed.
    SaveAs,
    /// Use the image typed as this persona's photo.
    Photo(PersonaId),
    /// Compare the open map with the map typed (File ▸ Compare with…).
    Compare,
    /// Merge the scores of the CSV typed into the open map.
    ImportScores,
}

/// The in-app path entry, while it is open.
#[derive(Debug)]
pub struct PathPrompt {
    /// What the path is for.
    pub purpose: PathPurpose,
    /// The path typed so far.
    pub text: String,
    /// Give the field keyboard focus on the next frame.
    pub focus: bool,
}

/// A message that needs the user's attention.
#[derive(Debug)]
pub struct Notice {
    /// The dialog's heading.
    pub title: String,
    /// What happened.
    pub message: String,
    /// Offer Save As… (after a failed save).
    pub offer_save_as: bool,
}

/// When the document's file was found changed by another program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExternalChange {
    /// On saving over it: offer Overwrite.
    Saving,
    /// While editing with unsaved changes: offer to keep them.
    Editing,
}

/// The answer to "The file changed on disk".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExternalChoice {
    /// Save over the other program's version.
    Overwrite,
    /// Take the file on disk; unsaved changes are lost.
    Reload,
    /// Keep editing this version; do not ask again about this change.
    KeepMine,
    /// Save this version as another file.
    SaveAs,
}

/// The answer to the recovery dialog: what to do with which snapshot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecoveryChoice {
    /// Open the snapshot as the document.
    Restore(usize),
    /// Open it, then choose where to save it.
    SaveAs(usize),
    /// Delete it.
    Discard(usize),
    /// Keep the snapshots and ask at the next start.
    Later,
}

/// The dialogs that are open.
#[derive(Debug, Default)]
pub struct Dialogs {
    /// Unsaved changes, and what was asked for.
    pub confirm: Option<AfterConfirm>,
    /// The in-app path entry.
    pub path_prompt: Option<PathPrompt>,
    /// A survey's scores, waiting for the user to say whose they are.
    pub scores: Option<crate::ui::import::PendingScores>,
    /// A message.
    pub notice: Option<Notice>,
    /// The document's file changed on disk.
    pub external: Option<ExternalChange>,
    /// Snapshots of crashed sessions, offered until restored or discarded.
    pub recoverable: Vec<Recoverable>,
    /// The keyboard shortcuts window (not modal).
    pub shortcuts: bool,
    /// The "About Waymark" window (not modal).
    pub about: bool,
    /// "Save with revision note", while it is open.
    pub save_note: Option<SaveNote>,
}

/// The "Save with revision note" dialog's fields.
#[derive(Clone, Debug, PartialEq)]
pub struct SaveNote {
    /// The note's date (today).
    pub date: Date,
    /// Who writes it (remembered between runs).
    pub author: String,
    /// What changed.
    pub note: String,
    /// Also set the map's "last reviewed" date to `date`.
    pub mark_reviewed: bool,
    /// Give the note field keyboard focus on the next frame.
    pub focus: bool,
}

/// The answer to "Save with revision note".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveNoteChoice {
    /// Add the note and save.
    Save,
    /// Close without a note or a save.
    Cancel,
}

/// "Save with revision note": date, author, note, "mark as reviewed";
/// `None` while it stays open.
pub fn save_note_dialog(ctx: &egui::Context, form: &mut SaveNote) -> Option<SaveNoteChoice> {
    let response = egui::Modal::new(Id::unique("save-with-note")).show(ctx, |ui| {
        ui.set_width(420.0);
        ui.heading("Save with revision note");
        ui.label(format!("Date: {}", form.date));
        let label = ui.label("Author of the note");
        ui.add(egui::TextEdit::singleline(&mut form.author).desired_width(f32::INFINITY))
            .labelled_by(label.id);
        let label = ui.label("What changed");
        let note = ui
            .add(
                egui::TextEdit::multiline(&mut form.note)
                    .desired_rows(3)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        if form.focus {
            note.request_focus();
            form.focus = false;
        }
        ui.checkbox(&mut form.mark_reviewed, "Mark the map as reviewed today");
        ui.add_space(8.0);
        let ready = !form.note.trim().is_empty();
        ui.horizontal(|ui| {
            let save = ui
                .add_enabled(ready, egui::Button::new("Add note and save"))
                .on_disabled_hover_text("Write what changed first");
            if save.clicked() {
                Some(SaveNoteChoice::Save)
            } else if ui.button("Cancel").clicked() {
                Some(SaveNoteChoice::Cancel)
            } else {
                None
            }
        })
        .inner
    });
    if response.should_close() {
        Some(SaveNoteChoice::Cancel)
    } else {
        response.inner
    }
}

impl Dialogs {
    /// Whether a modal dialog has the user's attention.
    pub fn modal_open(&self) -> bool {
        self.confirm.is_some()
            || self.path_prompt.is_some()
            || self.scores.is_some()
            || self.notice.is_some()
            || self.external.is_some()
            || !self.recoverable.is_empty()
            || self.save_note.is_some()
    }
}

/// "Save the changes to `name` first?"; closing it cancels.
pub fn unsaved_dialog(ctx: &egui::Context, name: &str) -> Option<UnsavedChoice> {
    let response = egui::Modal::new(Id::unique("unsaved-changes")).show(ctx, |ui| {
        ui.set_width(360.0);
        ui.heading("Unsaved changes");
        ui.label(format!("Save the changes to {name} first?"));
        ui.add_space(8.0);
        choice_buttons_ui(
            ui,
            &[
                ("Save", UnsavedChoice::Save),
                ("Discard", UnsavedChoice::Discard),
                ("Cancel", UnsavedChoice::Cancel),
            ],
        )
    });
    if response.should_close() {
        Some(UnsavedChoice::Cancel)
    } else {
        response.inner
    }
}

/// A row of buttons; returns the choice of the one clicked.
fn choice_buttons_ui<T: Clone>(ui: &mut Ui, buttons: &[(&str, T)]) -> Option<T> {
    ui.horizontal(|ui| {
        let mut choice = None;
        for (label, value) in buttons {
            if ui.button(*label).clicked() {
                choice = Some(value.clone());
            }
        }
        choice
    })
    .inner
}

/// The answer to the in-app path entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathAnswer {
    /// Open, or save to, this file.
    Chosen(PathBuf),
    /// Cancelled, or confirmed with no path.
    Cancelled,
}

/// The answer to a notice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeChoice {
    /// Seen.
    Ok,
    /// Save the map somewhere else (offered after a failed save).
    SaveAs,
}

/// The in-app path entry; `None` while it stays open.
pub fn path_dialog(ctx: &egui::Context, prompt: &mut PathPrompt) -> Option<PathAnswer> {
    let (title, confirm, hint) = match prompt.purpose {
        PathPurpose::Open => ("Open map", "Open", "maps/checkout.journey.ron"),
        PathPurpose::SaveAs => ("Save map as", "Save", "maps/checkout.journey.ron"),
        PathPurpose::Compare => (
            "Compare with map",
            "Compare",
            "maps/checkout-old.journey.ron",
        ),
        PathPurpose::Photo(_) => (
            "Choose a photo (PNG or JPEG)",
            "Use photo",
            "pictures/daniel.jpg",
        ),
        PathPurpose::ImportScores => ("Import scores (CSV)", "Import", "survey.csv"),
    };
    let response = egui::Modal::new(Id::unique("path-prompt")).show(ctx, |ui| {
        ui.set_width(460.0);
        ui.heading(title);
        let label = ui.label("File path");
        let edit = ui
            .add(
                egui::TextEdit::singleline(&mut prompt.text)
                    .desired_width(f32::INFINITY)
                    .hint_text(hint),
            )
            .labelled_by(label.id);
        if prompt.focus {
            edit.request_focus();
            prompt.focus = false;
        }
        let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let text = prompt.text.trim();
        let chosen = if text.is_empty() {
            PathAnswer::Cancelled
        } else {
            PathAnswer::Chosen(PathBuf::from(text))
        };
        let clicked = choice_buttons_ui(
            ui,
            &[(confirm, chosen.clone()), ("Cancel", PathAnswer::Cancelled)],
        );
        if enter { Some(chosen) } else { clicked }
    });
    if response.should_close() {
        Some(PathAnswer::Cancelled)
    } else {
        response.inner
    }
}

/// A message with OK (and Save As… when offered); closing it is OK.
pub fn notice_dialog(ctx: &egui::Context, notice: &Notice) -> Option<NoticeChoice> {
    let response = egui::Modal::new(Id::unique("notice")).show(ctx, |ui| {
        ui.set_width(440.0);
        ui.heading(&notice.title);
        ui.label(&notice.message);
        ui.add_space(8.0);
        let buttons: &[(&str, NoticeChoice)] = if notice.offer_save_as {
            &[("Save As…", NoticeChoice::SaveAs), ("OK", NoticeChoice::Ok)]
        } else {
            &[("OK", NoticeChoice::Ok)]
        };
        choice_buttons_ui(ui, buttons)
    });
    if response.should_close() {
        Some(NoticeChoice::Ok)
    } else {
        response.inner
    }
}

/// Asks what to do about the document's file (`name`), changed on disk:
/// before saving over it (Overwrite / Reload / Save As… / Cancel), or when
/// noticed with unsaved changes (Reload / Keep my version / Save As…).
/// Closing it keeps this version.
pub fn external_dialog(
    ctx: &egui::Context,
    change: ExternalChange,
    name: &str,
) -> Option<ExternalChoice> {
    use ExternalChoice::{KeepMine, Overwrite, Reload, SaveAs};
    let response = egui::Modal::new(Id::unique("external-change")).show(ctx, |ui| {
        ui.set_width(460.0);
        ui.heading("The file changed on disk");
        ui.label(format!(
            "{name} was changed by another program since you opened or saved it here."
        ));
        match change {
            ExternalChange::Saving => {
                ui.label("Overwrite it with your version, reload it (your unsaved changes are lost), or save your version as another file?");
                ui.add_space(8.0);
                choice_buttons_ui(
                    ui,
                    &[
                        ("Overwrite", Overwrite),
                        ("Reload", Reload),
                        ("Save As…", SaveAs),
                        ("Cancel", KeepMine),
                    ],
                )
            }
            ExternalChange::Editing => {
                ui.label("You have unsaved changes. Reload it (your unsaved changes are lost), keep your version, or save your version as another file?");
                ui.add_space(8.0);
                choice_buttons_ui(
                    ui,
                    &[
                        ("Reload", Reload),
                        ("Keep my version", KeepMine),
                        ("Save As…", SaveAs),
                    ],
                )
            }
        }
    });
    if response.should_close() {
        Some(ExternalChoice::KeepMine)
    } else {
        response.inner
    }
}

/// Offers the snapshots of crashed sessions: Restore, Save As… (restore,
/// then choose where to save), or Discard each; or decide later.
pub fn recovery_dialog(ctx: &egui::Context, entries: &[Recoverable]) -> Option<RecoveryChoice> {
    let now = std::time::SystemTime::now();
    egui::Modal::new(Id::unique("recovery"))
        .show(ctx, |ui| {
            ui.set_width(520.0);
            ui.heading("Recover unsaved work");
            ui.label(
                "Waymark did not close normally last time. These maps had changes that were not saved:",
            );
            ui.add_space(6.0);
            let mut choice = None;
            for (index, entry) in entries.iter().enumerate() {
                ui.push_id(index, |ui| {
                    if let Some(chosen) = snapshot_ui(ui, entry, index, now) {
                        choice = Some(chosen);
                    }
                });
            }
            ui.add_space(6.0);
            if ui
                .button("Decide later")
                .on_hover_text("Keep the snapshots and ask again at the next start")
                .clicked()
            {
                choice = Some(RecoveryChoice::Later);
            }
            choice
        })
        .inner
}

/// One snapshot of the recovery dialog, with its buttons.
fn snapshot_ui(
    ui: &mut Ui,
    entry: &Recoverable,
    index: usize,
    now: std::time::SystemTime,
) -> Option<RecoveryChoice> {
    ui.group(|ui| {
        ui.set_width(ui.available_width());
        let title = entry
            .snapshot
            .as_ref()
            .map_or("Unreadable snapshot", |s| s.journey.title.as_str());
        ui.label(RichText::new(title).strong());
        ui.label(RichText::new(entry.describe(now)).weak());
        ui.horizontal(|ui| {
            let readable = entry.snapshot.is_ok();
            let mut choice = None;
            if ui
                .add_enabled(readable, egui::Button::new("Restore"))
                .clicked()
            {
                choice = Some(RecoveryChoice::Restore(index));
            }
            if ui
                .add_enabled(readable, egui::Button::new("Save As…"))
                .clicked()
            {
                choice = Some(RecoveryChoice::SaveAs(index));
            }
            if ui.button("Discard").clicked() {
                choice = Some(RecoveryChoice::Discard(index));
            }
            choice
        })
        .inner
    })
    .inner
}

impl WaymarkApp {
    /// Shows the open dialogs and acts on what the user chose.
    pub(super) fn dialogs(&mut self, ctx: &egui::Context) {
        if let Some(after) = self.dialogs.confirm.clone()
            && let Some(choice) = unsaved_dialog(ctx, &self.doc.name())
        {
            self.dialogs.confirm = None;
            self.on_unsaved(ctx, after, choice);
        }
        if let Some(prompt) = &mut self.dialogs.path_prompt
            && let Some(answer) = path_dialog(ctx, prompt)
        {
            let purpose = prompt.purpose;
            self.dialogs.path_prompt = None;
            match (answer, purpose) {
                (PathAnswer::Chosen(path), PathPurpose::Open) => self.open_path(&path),
                (PathAnswer::Chosen(path), PathPurpose::SaveAs) => {
                    self.save_to(&with_extension(path));
                }
                (PathAnswer::Chosen(path), PathPurpose::Photo(persona)) => {
                    self.set_persona_photo(persona, &path);
                }
                (PathAnswer::Chosen(path), PathPurpose::Compare) => self.compare_with_file(&path),
                (PathAnswer::Chosen(path), PathPurpose::ImportScores) => {
                    self.import_scores_path(&path);
                }
                (PathAnswer::Cancelled, _) => {}
            }
        }
        self.scores_dialog(ctx);
        if let Some(notice) = &self.dialogs.notice
            && let Some(choice) = notice_dialog(ctx, notice)
        {
            self.dialogs.notice = None;
            if choice == NoticeChoice::SaveAs {
                self.queue.actions.push(Action::SaveAs);
            }
        }
        if let Some(change) = self.dialogs.external
            && let Some(choice) = external_dialog(ctx, change, &self.external_name())
        {
            self.dialogs.external = None;
            self.on_external(choice);
        }
        if !self.dialogs.recoverable.is_empty()
            && let Some(choice) = recovery_dialog(ctx, &self.dialogs.recoverable)
        {
            self.on_recovery(choice);
        }
        if let Some(form) = &mut self.dialogs.save_note
            && let Some(choice) = save_note_dialog(ctx, form)
        {
            let form = self.dialogs.save_note.take();
            if let (SaveNoteChoice::Save, Some(form)) = (choice, form) {
                self.save_with_note(&form);
            }
        }
        crate::ui::help::shortcuts_window(ctx, &mut self.dialogs.shortcuts);
        crate::ui::about::about_window(ctx, &mut self.dialogs.about);
    }

    fn on_unsaved(&mut self, ctx: &egui::Context, after: AfterConfirm, choice: UnsavedChoice) {
        match choice {
            UnsavedChoice::Save => {
                let saved = match self.doc.path.clone() {
                    Some(path) => self.save_to(&path),
                    None => {
                        // Ask where; the original request is dropped so
                        // nothing is lost if the user cancels there.
                        self.queue.actions.push(Action::SaveAs);
                        false
                    }
                };
                if saved {
                    self.continue_after(ctx, after);
                }
            }
            UnsavedChoice::Discard => {
                if let Some(problem) = self.doc.discard_changes() {
                    self.say(problem);
                }
                self.continue_after(ctx, after);
            }
            UnsavedChoice::Cancel => {}
        }
    }

    /// The changed file, as the external-change dialog names it.
    fn external_name(&self) -> String {
        self.doc
            .path
            .as_deref()
            .map_or_else(|| "The file".to_owned(), |p| p.display().to_string())
    }

    fn on_external(&mut self, choice: ExternalChoice) {
        let Some(path) = self.doc.path.clone() else {
            return;
        };
        match choice {
            ExternalChoice::Overwrite => {
                self.save_over(&path);
            }
            ExternalChoice::Reload => {
                match self.doc.reload("your unsaved changes were discarded") {
                    Ok(status) => self.reloaded(status),
                    Err(status) => self.say(status),
                }
            }
            ExternalChoice::SaveAs => self.queue.actions.push(Action::SaveAs),
            ExternalChoice::KeepMine => self.doc.keep_mine(),
        }
    }

    fn on_recovery(&mut self, choice: RecoveryChoice) {
        match choice {
            RecoveryChoice::Later => self.dialogs.recoverable.clear(),
            RecoveryChoice::Discard(index) => {
                if index < self.dialogs.recoverable.len() {
                    let entry = self.dialogs.recoverable.remove(index);
                    if let Err(err) = entry.discard() {
                        self.say(Status::error(format!(
                            "Could not discard the snapshot: {err}"
                        )));
                    }
                }
            }
            RecoveryChoice::SaveAs(index) => {
                self.restore(index);
                self.queue.actions.push(Action::SaveAs);
            }
            RecoveryChoice::Restore(index) => self.restore(index),
        }
    }

    /// Opens a crashed session's snapshot as the document; the others are
    /// offered again at the next start.
    fn restore(&mut self, index: usize) {
        if index >= self.dialogs.recoverable.len() {
            return;
        }
        let entry = self.dialogs.recoverable.remove(index);
        let Some(status) = self.doc.restore(&entry) else {
            return;
        };
        self.reset_view();
        let more = match self.dialogs.recoverable.len() {
            0 => String::new(),
            n => format!("; {n} more will be offered at the next start"),
        };
        self.say(Status {
            text: status.text + &more,
            ..status
        });
        self.dialogs.recoverable.clear();
    }
}
