//! The file commands (new, open, save, save as, save with a revision note,
//! recent files) and choosing files, maps and persona photos alike: the
//! system's file dialogs where there are any, the in-app path entry where
//! there are none (no desktop portal, or tests).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui::ViewportCommand;

use crate::edit::Edit;
use crate::io;
use crate::model::{PersonaId, Revision};
use crate::ui::app::WaymarkApp;
use crate::ui::dialogs::{AfterConfirm, ExternalChange, Notice, PathPrompt, PathPurpose, SaveNote};
use crate::ui::document::{SaveProblem, Status};

/// How many recently opened files the File menu offers.
pub const MAX_RECENT: usize = 10;
/// A native dialog that "returns" faster than this never showed: there is no
/// portal or dialog service, so the in-app path entry is used instead.
const NO_DIALOG_THRESHOLD: Duration = Duration::from_millis(150);

/// What a native file dialog answered.
pub(super) enum Chosen {
    /// The file picked.
    Path(PathBuf),
    /// The user closed it without picking.
    Dismissed,
    /// There is no native dialog here: it answered at once.
    NoDialog,
}

/// The folder a file dialog opens in for `file`: its folder, made absolute
/// (desktop portals want absolute paths; a bare name is in the current
/// folder), if it exists.
fn dialog_folder(file: &Path) -> Option<PathBuf> {
    std::path::absolute(io::folder_of(file))
        .ok()
        .filter(|dir| dir.is_dir())
}

/// The full path a file box suggests: the map's own file, else `name` in
/// the current folder `cwd`; relative paths are made absolute against
/// `cwd`, so the user sees which folder the map goes to.
pub fn suggested_path(current: Option<&Path>, name: &str, cwd: Option<&Path>) -> PathBuf {
    let path = current.map_or_else(|| PathBuf::from(name), Path::to_path_buf);
    match cwd {
        Some(cwd) if path.is_relative() => cwd.join(path),
        _ => path,
    }
}

/// The path with the map extension, unless it already ends in `.ron`.
pub fn with_extension(path: PathBuf) -> PathBuf {
    if path.to_string_lossy().ends_with(".ron") {
        path
    } else {
        let mut s = path.into_os_string();
        s.push(".");
        s.push(io::EXTENSION);
        PathBuf::from(s)
    }
}

/// A file-name-friendly version of a title.
pub fn slug(title: &str) -> String {
    let s: String = title
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let s = s
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if s.is_empty() { "journey".into() } else { s }
}

impl WaymarkApp {
    /// Goes on with `after` at once, or asks about unsaved changes first.
    pub(super) fn confirm_then(&mut self, ctx: &egui::Context, after: AfterConfirm) {
        if self.doc.is_dirty() {
            self.dialogs.confirm = Some(after);
        } else {
            self.continue_after(ctx, after);
        }
    }

    /// Does what was asked for once unsaved changes were saved or dropped.
    pub(super) fn continue_after(&mut self, ctx: &egui::Context, after: AfterConfirm) {
        match after {
            AfterConfirm::New(t) => {
                self.doc
                    .start_new(t.build(crate::model::templates::DEFAULT_TITLE));
                self.reset_view();
            }
            AfterConfirm::Open => self.choose_file(PathPurpose::Open),
            AfterConfirm::OpenPath(p) => self.open_path(&p),
            AfterConfirm::Import => self.choose_import(),
            AfterConfirm::Quit => {
                self.closing.allowed_at = Some(self.doc.revision());
                ctx.send_viewport_cmd(ViewportCommand::Close);
            }
        }
    }

    /// Open a file, keeping the current document if it cannot be read.
    /// A Mermaid diagram (`.mmd`) or a CSV is imported as a new, unsaved map.
    pub fn open_path(&mut self, path: &Path) {
        if crate::interop::is_importable(path) {
            return self.import_path(path);
        }
        match self.doc.open(path) {
            Ok(status) => {
                self.reset_view();
                self.remember_recent(path);
                self.say(status);
            }
            Err(err) => {
                self.dialogs.notice = Some(Notice {
                    title: "Could not open the map".into(),
                    message: err.to_string(),
                    offer_save_as: false,
                });
                self.say(Status::error(err.to_string()));
            }
        }
    }

    /// Saves to the document's file, or asks where.
    pub(super) fn save(&mut self) {
        match self.doc.path.clone() {
            Some(path) => {
                self.save_to(&path);
            }
            None => self.choose_file(PathPurpose::SaveAs),
        }
    }

    /// Save to a path; on success it becomes the document's path. Saving
    /// over the document's own file after someone else changed it asks
    /// first (Overwrite / Reload / Save As) and returns false.
    pub fn save_to(&mut self, path: &Path) -> bool {
        match self.doc.save_to(path) {
            Ok(status) => self.saved(path, status),
            Err(SaveProblem::ChangedOnDisk) => {
                self.dialogs.external = Some(ExternalChange::Saving);
                false
            }
            Err(SaveProblem::Failed(err)) => self.save_failed(&err),
        }
    }

    /// Save to a path without asking about changes on disk.
    pub(super) fn save_over(&mut self, path: &Path) -> bool {
        match self.doc.save_over(path) {
            Ok(status) => self.saved(path, status),
            Err(err) => self.save_failed(&err),
        }
    }

    fn saved(&mut self, path: &Path, status: Status) -> bool {
        self.remember_recent(path);
        self.say(status);
        true
    }

    fn save_failed(&mut self, err: &io::SaveError) -> bool {
        self.dialogs.notice = Some(Notice {
            title: "Could not save the map".into(),
            message: format!("{err}\nYour changes are still open here. Save them somewhere else?"),
            offer_save_as: true,
        });
        self.say(Status::error(err.to_string()));
        false
    }

    /// Puts `path` first in the recent files.
    pub(super) fn remember_recent(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.recent.retain(|p| *p != path);
        self.recent.insert(0, path);
        self.recent.truncate(MAX_RECENT);
    }

    /// Native dialog where there is one; the in-app path entry otherwise.
    pub(super) fn choose_file(&mut self, purpose: PathPurpose) {
        let suggested = format!("{}.{}", slug(&self.doc.journey.title), io::EXTENSION);
        let cwd = std::env::current_dir().ok();
        let full = suggested_path(self.doc.path.as_deref(), &suggested, cwd.as_deref());
        if self.native_dialogs {
            let mut dialog = match purpose {
                PathPurpose::Photo(_) => {
                    rfd::FileDialog::new().add_filter("Photo", &["png", "jpg", "jpeg"])
                }
                PathPurpose::Open | PathPurpose::SaveAs | PathPurpose::Compare => {
                    rfd::FileDialog::new().add_filter("Journey map", &["ron"])
                }
                PathPurpose::ImportScores => {
                    rfd::FileDialog::new().add_filter("CSV", &[crate::interop::csv::EXTENSION])
                }
            };
            if let Some(dir) = dialog_folder(&full) {
                dialog = dialog.set_directory(dir);
            }
            let name = self
                .doc
                .path
                .as_deref()
                .map_or_else(|| suggested.clone(), io::display_name);
            let chosen = self.native_dialog(|| match purpose {
                PathPurpose::Open
                | PathPurpose::Photo(_)
                | PathPurpose::Compare
                | PathPurpose::ImportScores => dialog.pick_file(),
                PathPurpose::SaveAs => dialog.set_file_name(name).save_file(),
            });
            match (chosen, purpose) {
                (Chosen::Path(path), PathPurpose::Open) => return self.open_path(&path),
                (Chosen::Path(path), PathPurpose::ImportScores) => {
                    return self.import_scores_path(&path);
                }
                (Chosen::Path(path), PathPurpose::Photo(persona)) => {
                    return self.set_persona_photo(persona, &path);
                }
                (Chosen::Path(path), PathPurpose::Compare) => {
                    return self.compare_with_file(&path);
                }
                (Chosen::Path(path), PathPurpose::SaveAs) => {
                    self.save_to(&with_extension(path));
                    return;
                }
                (Chosen::Dismissed, _) => return,
                (Chosen::NoDialog, _) => {}
            }
        }
        let text = match (purpose, &self.doc.path) {
            (PathPurpose::SaveAs, _) | (PathPurpose::Open, Some(_)) => full.display().to_string(),
            (PathPurpose::Open, None)
            | (PathPurpose::Photo(_) | PathPurpose::Compare | PathPurpose::ImportScores, _) => {
                String::new()
            }
        };
        self.dialogs.path_prompt = Some(PathPrompt {
            purpose,
            text,
            focus: true,
        });
    }

    /// "Choose photo…" of a persona: the system's file dialog (as Open
    /// uses it), or the in-app path entry.
    pub(super) fn choose_photo(&mut self, persona: PersonaId) {
        self.choose_file(PathPurpose::Photo(persona));
    }

    /// Makes the image at `path` the persona's photo (a square thumbnail),
    /// as one undo step; a file that cannot be used is reported and
    /// changes nothing. What a file dialog picked goes through here.
    pub fn set_persona_photo(&mut self, persona: PersonaId, path: &Path) {
        let Some(mut updated) = self.doc.journey.persona(persona).cloned() else {
            return;
        };
        match io::photo::photo_from_file(path) {
            Ok(photo) => {
                updated.photo = Some(photo);
                if let Err(err) = self.doc.apply(Edit::UpdatePersona(updated)) {
                    self.say(Status::error(format!("Could not set the photo: {err}")));
                } else {
                    self.say(Status::info(format!("Photo set from {}", path.display())));
                }
            }
            Err(err) => {
                self.dialogs.notice = Some(Notice {
                    title: "Could not use the photo".into(),
                    message: err.to_string(),
                    offer_save_as: false,
                });
                self.say(Status::error(err.to_string()));
            }
        }
    }

    /// Opens "Save with revision note", dated today, signed with the
    /// remembered author.
    pub(super) fn open_save_note(&mut self) {
        self.dialogs.save_note = Some(SaveNote {
            date: self.today(),
            author: self.author.clone(),
            note: String::new(),
            mark_reviewed: true,
            focus: true,
        });
    }

    /// Adds the form's revision note (and the review date, if asked) as one
    /// undo step, remembers the author, and saves.
    pub fn save_with_note(&mut self, form: &SaveNote) {
        let journey = &self.doc.journey;
        let mut revisions = journey.revisions.clone();
        revisions.push(Revision {
            date: form.date,
            author: form.author.trim().to_owned(),
            note: form.note.trim().to_owned(),
        });
        let last_reviewed = if form.mark_reviewed {
            Some(form.date)
        } else {
            journey.last_reviewed
        };
        form.author.trim().clone_into(&mut self.author);
        let edit = Edit::SetReview {
            last_reviewed,
            revisions,
        };
        match self.doc.apply(edit) {
            Ok(()) => self.save(),
            Err(err) => self.say(Status::error(format!("Could not add the note: {err}"))),
        }
    }

    /// The system's save dialog for the export, starting from `start`; the
    /// file picked goes into the Export dialog. Where there is no such
    /// dialog, the button goes and the path is typed.
    pub(super) fn choose_export_file(
        &mut self,
        start: &Path,
        format: crate::ui::export_dialog::ExportKind,
    ) {
        let mut dialog =
            rfd::FileDialog::new().add_filter(format.filter_name(), &[format.extension()]);
        if let Some(dir) = dialog_folder(start) {
            dialog = dialog.set_directory(dir);
        }
        if let Some(file) = start.file_name() {
            dialog = dialog.set_file_name(file.to_string_lossy());
        }
        match self.native_dialog(|| dialog.save_file()) {
            Chosen::Path(path) => self.export.set_path(&path),
            Chosen::Dismissed => {}
            Chosen::NoDialog => self.say(Status::error(
                "No file chooser on this system: type the path to save to",
            )),
        }
    }

    /// Runs a native file dialog. One that answers at once is taken to be
    /// missing (no desktop portal), and native dialogs are not tried again.
    pub(super) fn native_dialog(&mut self, run: impl FnOnce() -> Option<PathBuf>) -> Chosen {
        let started = Instant::now();
        match run() {
            Some(path) => Chosen::Path(path),
            None if started.elapsed() > NO_DIALOG_THRESHOLD => Chosen::Dismissed,
            None => {
                self.native_dialogs = false;
                Chosen::NoDialog
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_dialogs_open_in_the_file_folder_made_absolute() {
        let here = std::env::current_dir().unwrap();
        assert_eq!(dialog_folder(Path::new("map.png")), Some(here.clone()));
        assert_eq!(
            dialog_folder(Path::new("examples/grocery-checkout.journey.ron")),
            Some(here.join("examples"))
        );
        assert_eq!(dialog_folder(Path::new("/no/such/folder/map.png")), None);
    }

    #[test]
    fn a_native_dialog_that_answers_at_once_is_taken_to_be_missing() {
        let mut app = WaymarkApp::headless(false);
        assert!(app.native_dialogs);
        assert!(matches!(app.native_dialog(|| None), Chosen::NoDialog));
        assert!(!app.native_dialogs, "not tried again");
        let mut app = WaymarkApp::headless(false);
        let slow = || {
            std::thread::sleep(NO_DIALOG_THRESHOLD * 2);
            None
        };
        assert!(matches!(app.native_dialog(slow), Chosen::Dismissed));
        assert!(app.native_dialogs);
        let picked = app.native_dialog(|| Some(PathBuf::from("/decks/map.png")));
        assert!(matches!(picked, Chosen::Path(p) if p == Path::new("/decks/map.png")));
    }

    #[test]
    fn save_as_suggests_a_full_path_in_the_map_s_folder_or_the_current_one() {
        let cwd = Path::new("/home/ana/maps");
        assert_eq!(
            suggested_path(None, "untitled-journey.journey.ron", Some(cwd)),
            PathBuf::from("/home/ana/maps/untitled-journey.journey.ron")
        );
        assert_eq!(
            suggested_path(Some(Path::new("examples/a.journey.ron")), "x", Some(cwd)),
            PathBuf::from("/home/ana/maps/examples/a.journey.ron")
        );
        assert_eq!(
            suggested_path(Some(Path::new("/srv/b.journey.ron")), "x", Some(cwd)),
            PathBuf::from("/srv/b.journey.ron")
        );
    }

    #[test]
    fn save_paths_get_the_extension_and_titles_make_file_names() {
        assert_eq!(
            with_extension(PathBuf::from("maps/trial")),
            PathBuf::from("maps/trial.journey.ron")
        );
        assert_eq!(
            with_extension(PathBuf::from("a.journey.ron")),
            PathBuf::from("a.journey.ron")
        );
        assert_eq!(
            slug("Weekly grocery order: mobile!"),
            "weekly-grocery-order-mobile"
        );
        assert_eq!(slug("¿?"), "journey");
    }

    #[test]
    fn a_note_without_marking_the_review_keeps_the_date_and_asks_where_to_save() {
        let mut app = WaymarkApp::headless(true);
        app.today = Some(crate::model::Date::constant(2026, 12, 7));
        app.open_save_note();
        let mut form = app.dialogs.save_note.take().unwrap();
        assert_eq!(form.date, crate::model::Date::constant(2026, 12, 7));
        assert!(form.mark_reviewed, "on by default");
        form.mark_reviewed = false;
        form.author = " Ana ".into();
        form.note = "First draft".into();
        app.save_with_note(&form);
        let journey = &app.doc.journey;
        assert_eq!(journey.last_reviewed, None);
        assert_eq!(journey.revisions.len(), 1);
        assert_eq!(journey.revisions[0].author, "Ana");
        assert_eq!(app.author, "Ana", "remembered for the next note");
        assert_eq!(app.doc.history().undo_len(), 1);
        // An untitled map asks where to save it.
        assert!(app.dialogs.path_prompt.is_some());
    }

    #[test]
    fn recent_files_are_unique_newest_first_and_bounded() {
        let mut app = WaymarkApp::headless(true);
        for i in 0..15 {
            app.remember_recent(Path::new(&format!("/nonexistent/{i}.journey.ron")));
        }
        app.remember_recent(Path::new("/nonexistent/3.journey.ron"));
        assert_eq!(app.recent.len(), MAX_RECENT);
        assert_eq!(app.recent[0], PathBuf::from("/nonexistent/3.journey.ron"));
        assert_eq!(
            app.recent
                .iter()
                .filter(|p| p.ends_with("3.journey.ron"))
                .count(),
            1
        );
    }
}
