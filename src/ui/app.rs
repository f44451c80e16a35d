//! The eframe application: menus, palette, inspector, status bar and the
//! canvas, plus the document lifecycle (new, open, save, unsaved changes).
//!
//! Widgets never change the journey directly: they push [`Action`]s and
//! [`Edit`]s during the frame, and `WaymarkApp::run_pending` applies them at
//! the end of it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::{Color32, Id, RichText, Ui, ViewportCommand};

use crate::edit::{Edit, GestureKey, History};
use crate::io;
use crate::model::templates::Template;
use crate::model::{
    Anchor, Card, CardId, Channel, Journey, Lane, LaneId, LaneKind, PainId, PainPoint, Persona,
    PersonaId, SEVERITY_RANGE, Stage, StageId, Step, StepId,
};
use crate::ui::actions::{Action, Direction, SHORTCUTS};
use crate::ui::canvas::{Canvas, CanvasOutput, Item, PaletteItem, Tool, ViewState, pain_anchor};
use crate::view::theme::{Theme, channel_color, channel_glyph};

const RECENT_KEY: &str = "waymark.recent_files";
const PANELS_KEY: &str = "waymark.panels";
const MAX_RECENT: usize = 10;
/// A native dialog that "returns" faster than this never showed: there is no
/// portal or dialog service, so the in-app path entry is used instead.
const NO_DIALOG_THRESHOLD: Duration = Duration::from_millis(150);

/// What a native file dialog answered.
enum Chosen {
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
/// How long after the last edit the recovery snapshot is written: long
/// enough not to write during a burst of typing, short enough that a crash
/// loses at most a couple of seconds.
const AUTOSAVE_DELAY: f64 = 1.5;
/// How often the open file is checked for changes on disk.
const DISK_POLL_INTERVAL: f64 = 1.0;

/// Options for starting the app (tests turn native dialogs off).
#[derive(Clone, Debug, Default)]
pub struct StartOptions {
    /// A file to open at start.
    pub file: Option<PathBuf>,
    /// Use the in-app path entry instead of native file dialogs.
    pub no_native_dialogs: bool,
    /// Where autosave snapshots go and crashed sessions are looked for
    /// (see [`crate::io::recovery`]). `None` turns autosave and recovery off;
    /// the binary passes [`crate::io::recovery::default_dir`].
    pub recovery_dir: Option<PathBuf>,
    /// The file system seam saves go through; `None` is the real one.
    /// Tests pass [`io::FailingFs`] to make a save fail at a chosen step.
    pub save_fs: Option<Arc<dyn io::SaveFs>>,
}

/// What to do once the user has answered "Save / Discard / Cancel".
#[derive(Clone, Debug, PartialEq)]
enum AfterConfirm {
    New(Template),
    Open,
    OpenPath(PathBuf),
    Quit,
}

/// What the in-app path entry is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PathPurpose {
    Open,
    SaveAs,
}

#[derive(Debug)]
struct PathPrompt {
    purpose: PathPurpose,
    text: String,
    focus: bool,
}

/// The file on disk changed since it was opened or saved here.
#[derive(Debug)]
struct ExternalChange {
    /// True when the user asked to save: offer Overwrite. Otherwise the
    /// change was noticed while editing with unsaved changes.
    saving: bool,
}

/// When the recovery snapshot was last brought up to date.
#[derive(Debug, Default)]
struct Autosave {
    /// The history revision seen last frame, to notice edits.
    seen_revision: u64,
    /// When (in `egui::InputState::time` seconds) the revision last changed.
    changed_at: f64,
    /// The revision the snapshot on disk holds, if there is one.
    written: Option<u64>,
    /// The last write failed; said once until a write succeeds.
    failing: bool,
}

/// A message that needs the user's attention.
#[derive(Debug)]
struct Notice {
    title: String,
    message: String,
    offer_save_as: bool,
}

/// Which side panels are open; remembered between runs.
#[derive(Clone, Copy, Debug, serde::Serialize, serde::Deserialize)]
#[serde(default)]
struct Panels {
    palette: bool,
    inspector: bool,
    /// Presentation mode: only the map, fitted (for projectors).
    #[serde(skip)]
    presenting: bool,
}

impl Default for Panels {
    fn default() -> Self {
        Self {
            palette: true,
            inspector: true,
            presenting: false,
        }
    }
}

/// The open document.
#[derive(Debug)]
pub struct Document {
    /// The journey being edited.
    pub journey: Journey,
    /// Where it is saved, if it has been.
    pub path: Option<PathBuf>,
    /// The journey as last saved or opened, to tell whether there are unsaved changes.
    saved: Journey,
    /// The file as last read or written here, to notice changes made by
    /// others (git pull, a sync client, another editor).
    stamp: Option<io::DiskStamp>,
}

impl Document {
    fn new(journey: Journey, path: Option<PathBuf>) -> Self {
        Self {
            saved: journey.clone(),
            journey,
            path,
            stamp: None,
        }
    }
}

/// The Waymark editor.
pub struct WaymarkApp {
    /// The open document.
    pub doc: Document,
    /// Undo and redo.
    pub history: History,
    /// Pan, zoom, selection.
    pub view: ViewState,
    theme: Theme,
    actions: Vec<Action>,
    edits: Vec<(Edit, Option<GestureKey>)>,
    end_gesture: bool,
    confirm: Option<AfterConfirm>,
    path_prompt: Option<PathPrompt>,
    notice: Option<Notice>,
    status: Option<(String, bool)>,
    recent: Vec<PathBuf>,
    clipboard: Vec<Card>,
    show_shortcuts: bool,
    export: crate::ui::export_dialog::ExportUi,
    /// Whether the palette and the inspector are shown (a UI preference).
    panels: Panels,
    native_dialogs: bool,
    /// The revision at which the user chose to quit, having saved or
    /// discarded their changes: an edit since (made while waiting for an
    /// export, say) asks again.
    close_allowed_at: Option<u64>,
    /// The window is to close once the running export has finished.
    close_after_export: bool,
    shown_title: String,
    dirty_cache: (u64, bool),
    save_fs: Arc<dyn io::SaveFs>,
    recovery: Option<crate::io::recovery::Recovery>,
    /// Snapshots of crashed sessions, offered until restored or discarded.
    recoverable: Vec<crate::io::recovery::Recoverable>,
    autosave: Autosave,
    /// When (egui time) the file on disk is next checked for changes.
    next_disk_poll: f64,
    external: Option<ExternalChange>,
    /// A changed file on disk the user chose not to reload, so the same
    /// change is not asked about (or re-read) every second.
    kept_over_disk: Option<io::DiskStamp>,
}

impl WaymarkApp {
    /// Creates the app inside eframe.
    pub fn new(cc: &eframe::CreationContext<'_>, options: StartOptions) -> Self {
        cc.egui_ctx
            .set_fonts(crate::view::theme::font_definitions());
        cc.egui_ctx.set_theme(egui::Theme::Light);
        let recent = cc
            .storage
            .and_then(|s| eframe::get_value::<Vec<PathBuf>>(s, RECENT_KEY))
            .unwrap_or_default();
        let mut app = Self::headless(options.no_native_dialogs);
        app.recent = recent;
        app.panels = cc
            .storage
            .and_then(|s| eframe::get_value::<Panels>(s, PANELS_KEY))
            .unwrap_or_default();
        if let Some(fs) = options.save_fs {
            app.save_fs = fs;
        }
        if let Some(dir) = options.recovery_dir {
            match crate::io::recovery::Recovery::start(&dir) {
                Ok((recovery, recoverable)) => {
                    app.recovery = Some(recovery);
                    app.recoverable = recoverable;
                }
                Err(err) => app.set_status(
                    format!("Autosave is off: cannot use {}: {err}", dir.display()),
                    true,
                ),
            }
        }
        if let Some(path) = options.file {
            app.open_path(&path);
        }
        app
    }

    /// The app without eframe (for tests and benchmarks).
    pub fn headless(no_native_dialogs: bool) -> Self {
        Self {
            doc: Document::new(Template::FourStage.build("Untitled journey"), None),
            history: History::default(),
            view: ViewState::default(),
            theme: Theme::default(),
            actions: Vec::new(),
            edits: Vec::new(),
            end_gesture: false,
            confirm: None,
            path_prompt: None,
            notice: None,
            status: None,
            recent: Vec::new(),
            clipboard: Vec::new(),
            show_shortcuts: false,
            export: crate::ui::export_dialog::ExportUi::default(),
            panels: Panels::default(),
            native_dialogs: !no_native_dialogs,
            close_allowed_at: None,
            close_after_export: false,
            shown_title: String::new(),
            dirty_cache: (u64::MAX, false),
            save_fs: Arc::new(io::RealFs),
            recovery: None,
            recoverable: Vec::new(),
            autosave: Autosave::default(),
            next_disk_poll: 0.0,
            external: None,
            kept_over_disk: None,
        }
    }

    /// Snapshots of crashed sessions waiting for Restore or Discard.
    pub fn recoverable(&self) -> &[crate::io::recovery::Recoverable] {
        &self.recoverable
    }

    /// This instance's autosave snapshot file, while one is on disk.
    pub fn recovery_snapshot(&self) -> Option<&Path> {
        self.recovery
            .as_ref()
            .filter(|r| r.has_snapshot())
            .map(crate::io::recovery::Recovery::snapshot_path)
    }

    /// Whether the document has changes that are not saved.
    pub fn is_dirty(&mut self) -> bool {
        let revision = self.history.revision();
        if self.dirty_cache.0 != revision {
            self.dirty_cache = (revision, self.doc.journey != self.doc.saved);
        }
        self.dirty_cache.1
    }

    /// The status line's current message, if any.
    pub fn status(&self) -> Option<&str> {
        self.status.as_ref().map(|(s, _)| s.as_str())
    }

    /// Queue an action to run at the end of the frame.
    pub fn queue(&mut self, action: Action) {
        self.actions.push(action);
    }

    /// Replace the document with a journey (after open or new).
    fn replace_document(&mut self, journey: Journey, path: Option<PathBuf>) {
        self.doc = Document::new(journey, path);
        self.history.clear();
        self.view.selection.clear();
        self.view.editing = None;
        self.view.invalidate();
        self.view.fit_pending = true;
        self.dirty_cache = (u64::MAX, false);
    }

    /// Open a file, keeping the current document if it cannot be read.
    pub fn open_path(&mut self, path: &Path) {
        match io::open(path) {
            Ok(loaded) => {
                let problems = loaded.journey.problems();
                self.replace_document(loaded.journey, Some(path.to_path_buf()));
                self.doc.stamp = Some(loaded.stamp);
                self.remember_recent(path);
                let mut notes = Vec::new();
                if let Some(format) = loaded.migrated_from {
                    notes.push(format!(
                        "upgraded from format {format}; saving writes format {}",
                        crate::model::FORMAT_VERSION
                    ));
                }
                if let Some(first) = loaded.repairs.first() {
                    notes.push(format!(
                        "repaired {} broken reference(s) ({first}); saving keeps the repair",
                        loaded.repairs.len()
                    ));
                }
                let notes = if notes.is_empty() {
                    String::new()
                } else {
                    format!(": {}", notes.join("; "))
                };
                if problems.is_empty() {
                    self.set_status(format!("Opened {}{notes}", path.display()), false);
                } else {
                    self.set_status(
                        format!(
                            "Opened {} with {} problem(s); run `waymark check` for details. First: {}{notes}",
                            path.display(),
                            problems.len(),
                            problems.first().map(ToString::to_string).unwrap_or_default()
                        ),
                        true,
                    );
                }
            }
            Err(err) => {
                self.notice = Some(Notice {
                    title: "Could not open the map".into(),
                    message: err.to_string(),
                    offer_save_as: false,
                });
                self.set_status(err.to_string(), true);
            }
        }
    }

    /// Save to a path; on success it becomes the document's path. Saving
    /// over the document's own file after someone else changed it asks
    /// first (Overwrite / Reload / Save As) and returns false.
    pub fn save_to(&mut self, path: &Path) -> bool {
        let own_file = self.doc.path.as_deref() == Some(path);
        if own_file
            && let Some(stamp) = &self.doc.stamp
            && matches!(stamp.check(path), io::DiskState::Changed(_))
        {
            self.external = Some(ExternalChange { saving: true });
            return false;
        }
        self.save_over(path)
    }

    /// Save to a path without asking about changes on disk.
    fn save_over(&mut self, path: &Path) -> bool {
        match io::save_with(self.save_fs.as_ref(), path, &self.doc.journey) {
            Ok(stamp) => {
                self.doc.path = Some(path.to_path_buf());
                self.doc.saved = self.doc.journey.clone();
                self.doc.stamp = Some(stamp);
                self.kept_over_disk = None;
                self.dirty_cache = (u64::MAX, false);
                self.remember_recent(path);
                self.set_status(format!("Saved {}", path.display()), false);
                self.clear_snapshot();
                true
            }
            Err(err) => {
                self.notice = Some(Notice {
                    title: "Could not save the map".into(),
                    message: format!(
                        "{err}\nYour changes are still open here. Save them somewhere else?"
                    ),
                    offer_save_as: true,
                });
                self.set_status(err.to_string(), true);
                false
            }
        }
    }

    /// Removes this instance's recovery snapshot: the document was saved or
    /// its changes explicitly discarded.
    fn clear_snapshot(&mut self) {
        if let Some(recovery) = &self.recovery
            && let Err(err) = recovery.clear()
        {
            self.set_status(
                format!("Could not remove the autosave snapshot: {err}"),
                true,
            );
        }
        self.autosave.written = None;
    }

    /// Writes the recovery snapshot once edits have paused; removes it when
    /// the document matches its file again. Runs every frame.
    fn autosave(&mut self, ctx: &egui::Context) {
        if self.recovery.is_none() {
            return;
        }
        let now = ctx.input(|i| i.time);
        let revision = self.history.revision();
        if revision != self.autosave.seen_revision {
            self.autosave.seen_revision = revision;
            self.autosave.changed_at = now;
        }
        if !self.is_dirty() {
            // Nothing unsaved: the file itself is the copy to keep.
            if self.autosave.written.is_some() {
                self.clear_snapshot();
            }
            return;
        }
        if self.autosave.written == Some(revision) {
            return;
        }
        let due = self.autosave.changed_at + AUTOSAVE_DELAY;
        if now < due {
            ctx.request_repaint_after(Duration::from_secs_f64(due - now));
            return;
        }
        let Some(recovery) = &self.recovery else {
            return;
        };
        match recovery.write(
            self.doc.path.as_deref(),
            self.doc.stamp.as_ref(),
            &self.doc.journey,
        ) {
            Ok(()) => {
                self.autosave.written = Some(revision);
                self.autosave.failing = false;
            }
            Err(err) => {
                // Try again after the next edit; say it once, not every frame.
                self.autosave.written = Some(revision);
                if !self.autosave.failing {
                    self.autosave.failing = true;
                    self.set_status(format!("Autosave failed: {err}"), true);
                }
            }
        }
    }

    /// About once a second, checks whether the document's file changed on
    /// disk: reloads it when there are no local changes, asks otherwise.
    fn poll_disk(&mut self, ctx: &egui::Context) {
        let now = ctx.input(|i| i.time);
        if now < self.next_disk_poll {
            return;
        }
        self.next_disk_poll = now + DISK_POLL_INTERVAL;
        let busy = self.modal_open();
        let (Some(path), Some(stamp)) = (self.doc.path.clone(), &self.doc.stamp) else {
            return;
        };
        // egui only repaints on input; keep polling while a file is open.
        ctx.request_repaint_after(Duration::from_secs_f64(DISK_POLL_INTERVAL));
        if busy {
            return;
        }
        if let Some(kept) = &self.kept_over_disk
            && matches!(
                kept.check(&path),
                io::DiskState::Same | io::DiskState::Touched(_)
            )
        {
            return;
        }
        match stamp.check(&path) {
            io::DiskState::Touched(stamp) => self.doc.stamp = Some(stamp),
            io::DiskState::Changed(_) => {
                if self.is_dirty() {
                    self.external = Some(ExternalChange { saving: false });
                } else {
                    self.reload(&path, "it changed on disk");
                }
            }
            io::DiskState::Same | io::DiskState::Missing => {}
        }
    }

    /// Replaces the document with its file on disk, keeping the view.
    fn reload(&mut self, path: &Path, why: &str) {
        match io::open(path) {
            Ok(loaded) => {
                let view = (self.view.zoom, self.view.fit_pending);
                self.replace_document(loaded.journey, Some(path.to_path_buf()));
                (self.view.zoom, self.view.fit_pending) = view;
                self.doc.stamp = Some(loaded.stamp);
                self.kept_over_disk = None;
                self.set_status(format!("Reloaded {}: {why}", path.display()), false);
            }
            Err(err) => {
                // Half-written by the other program, perhaps: keep ours and
                // look again when the file changes next. The document's own
                // stamp stays, so a save still asks before overwriting.
                self.set_status(
                    format!(
                        "{} changed on disk but cannot be read: {err}",
                        path.display()
                    ),
                    true,
                );
                self.kept_over_disk = io::DiskStamp::read(path);
            }
        }
    }

    /// Opens a crashed session's snapshot as the document: marked unsaved,
    /// with its original path, and the snapshot kept (now this instance's)
    /// until the document is saved or discarded.
    fn restore(&mut self, index: usize) {
        if index >= self.recoverable.len() {
            return;
        }
        let entry = self.recoverable.remove(index);
        let Ok(snapshot) = &entry.snapshot else {
            return;
        };
        if let Some(recovery) = &self.recovery
            && let Err(err) = recovery.adopt(&entry)
        {
            self.set_status(format!("Could not take over the snapshot: {err}"), true);
        }
        let journey = snapshot.journey.clone();
        let path = snapshot.path.clone();
        let base_hash = snapshot.base_hash;
        // "Unsaved" means: differs from the file as it is on disk now (or
        // from nothing, for a map that was never saved).
        let on_disk = path.as_deref().and_then(|p| io::open(p).ok());
        self.replace_document(journey, path.clone());
        if let Some(loaded) = on_disk {
            self.doc.saved = loaded.journey;
            self.doc.stamp = Some(match base_hash {
                // The file changed after the edits were made (a git pull
                // after the crash): keep the stamp of the file they were made
                // on, so the next poll asks and saving cannot silently
                // overwrite the newer file.
                Some(hash) if hash != loaded.stamp.hash => io::DiskStamp {
                    modified: None,
                    len: 0,
                    hash,
                },
                _ => loaded.stamp,
            });
        } else {
            self.doc.saved = Journey::empty("");
        }
        self.dirty_cache = (u64::MAX, false);
        self.autosave.written = Some(self.history.revision());
        self.autosave.seen_revision = self.history.revision();
        let name = path
            .as_deref()
            .map_or_else(|| "the unsaved map".to_owned(), |p| p.display().to_string());
        let more = if self.recoverable.is_empty() {
            String::new()
        } else {
            format!(
                "; {} more will be offered at the next start",
                self.recoverable.len()
            )
        };
        self.set_status(
            format!("Restored {name} from autosave; save to keep it{more}"),
            false,
        );
        self.recoverable.clear();
    }

    fn remember_recent(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.recent.retain(|p| *p != path);
        self.recent.insert(0, path);
        self.recent.truncate(MAX_RECENT);
    }

    fn set_status(&mut self, message: String, is_error: bool) {
        self.status = Some((message, is_error));
    }

    fn window_title(&mut self) -> String {
        let name = self
            .doc
            .path
            .as_deref()
            .map_or_else(|| "Untitled".to_owned(), io::display_name);
        let marker = if self.is_dirty() { "• " } else { "" };
        format!("{marker}{name} — Waymark")
    }

    // ---- frame ------------------------------------------------------------

    fn frame(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        self.handle_close_request(&ctx);
        self.handle_dropped_files(&ctx);
        self.consume_shortcuts(&ctx);

        let presenting = self.panels.presenting;
        if !presenting {
            egui::Panel::top("menu").show(ui, |ui| self.menu_bar(ui));
            egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        }
        if self.panels.palette && !presenting {
            egui::Panel::left("palette")
                .resizable(false)
                .exact_size(124.0)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical().show(ui, |ui| self.palette(ui));
                });
        }
        if self.panels.inspector && !presenting {
            // Narrow windows (a 1366-wide laptop) leave the map more room.
            let narrow = ui.available_width() < 1500.0;
            egui::Panel::right("inspector")
                .default_size(if narrow { 250.0 } else { 290.0 })
                .min_size(220.0)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical().show(ui, |ui| self.inspector(ui));
                });
        }
        egui::CentralPanel::no_frame().show(ui, |ui| {
            let canvas = Canvas {
                journey: &self.doc.journey,
                revision: self.history.revision(),
                theme: &self.theme,
            };
            for output in canvas.show(ui, &mut self.view) {
                match output {
                    CanvasOutput::Edit(edit) => self.edits.push((edit, None)),
                    CanvasOutput::Action(action) => self.actions.push(action),
                }
            }
        });

        self.dialogs(&ctx);
        match self
            .export
            .show(&ctx, &self.doc.journey, self.native_dialogs)
        {
            Some(
                crate::ui::export_dialog::ExportEvent::Done(message)
                | crate::ui::export_dialog::ExportEvent::Cancelled(message),
            ) => {
                self.set_status(message, false);
                if std::mem::take(&mut self.close_after_export) {
                    // Asks again, as any close does (unsaved changes).
                    ctx.send_viewport_cmd(ViewportCommand::Close);
                }
            }
            Some(crate::ui::export_dialog::ExportEvent::Choose { start, format }) => {
                self.choose_export_file(&start, format);
            }
            Some(crate::ui::export_dialog::ExportEvent::Failed(message)) => {
                // The window stays open, so that the user learns the
                // image was not written.
                self.close_after_export = false;
                self.notice = Some(Notice {
                    title: "Could not export the image".into(),
                    message: message.clone(),
                    offer_save_as: false,
                });
                self.set_status(message, true);
            }
            None => {}
        }
        self.run_pending(&ctx);
        self.autosave(&ctx);
        self.poll_disk(&ctx);

        let title = self.window_title();
        if title != self.shown_title {
            ctx.send_viewport_cmd(ViewportCommand::Title(title.clone()));
            self.shown_title = title;
        }
    }

    fn handle_close_request(&mut self, ctx: &egui::Context) {
        if !ctx.input(|i| i.viewport().close_requested()) {
            return;
        }
        if let Some(path) = self.export.running().map(Path::to_path_buf) {
            // Closing now would end the export half-done: the image asked
            // for would not be there, and its temp file would be left
            // beside it. The window closes once the export has finished;
            // asked again, it stops the export first.
            ctx.send_viewport_cmd(ViewportCommand::CancelClose);
            if self.close_after_export {
                self.export.cancel();
            } else {
                self.close_after_export = true;
                // An SVG export cannot be stopped (it takes under a second).
                let again = if self.export.can_cancel() {
                    " (close again to cancel the export and close now)"
                } else {
                    ""
                };
                self.set_status(
                    format!("Closing once {} is written{again}", path.display()),
                    false,
                );
            }
            return;
        }
        if self.close_allowed_at != Some(self.history.revision()) && self.is_dirty() {
            ctx.send_viewport_cmd(ViewportCommand::CancelClose);
            self.confirm = Some(AfterConfirm::Quit);
        }
    }

    fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if let Some(path) = dropped.into_iter().next() {
            self.actions.push(Action::OpenPath(path));
        }
    }

    /// Whether a modal dialog has the user's attention: shortcuts wait, and
    /// so does reacting to the file changing on disk.
    fn modal_open(&self) -> bool {
        self.confirm.is_some()
            || self.path_prompt.is_some()
            || self.notice.is_some()
            || self.external.is_some()
            || !self.recoverable.is_empty()
            || self.export.is_open()
    }

    fn consume_shortcuts(&mut self, ctx: &egui::Context) {
        if self.modal_open() {
            return;
        }
        let typing = ctx.text_edit_focused();
        for (shortcut, action) in SHORTCUTS {
            if typing && !action.works_while_typing(*shortcut) {
                continue;
            }
            if ctx.input_mut(|i| i.consume_shortcut(shortcut)) {
                self.actions.push(action.clone());
            }
        }
    }

    fn menu_item(&mut self, ui: &mut Ui, action: Action, enabled: bool) {
        let mut button = egui::Button::new(action.label());
        if let Some(shortcut) = action.shortcut() {
            button = button.shortcut_text(ui.ctx().format_shortcut(&shortcut));
        }
        if ui.add_enabled(enabled, button).clicked() {
            self.actions.push(action);
            ui.close();
        }
    }

    fn menu_bar(&mut self, ui: &mut Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                ui.menu_button("New", |ui| {
                    for t in Template::ALL {
                        self.menu_item(ui, Action::New(t), true);
                    }
                });
                self.menu_item(ui, Action::Open, true);
                let recent = self.recent.clone();
                ui.add_enabled_ui(!recent.is_empty(), |ui| {
                    ui.menu_button("Open recent", |ui| {
                        for path in recent {
                            let label = path.display().to_string();
                            if ui.button(label).clicked() {
                                self.actions.push(Action::OpenPath(path));
                                ui.close();
                            }
                        }
                    });
                });
                ui.separator();
                self.menu_item(ui, Action::Save, true);
                self.menu_item(ui, Action::SaveAs, true);
                ui.separator();
                self.menu_item(ui, Action::Export, true);
                self.menu_item(ui, Action::CopyImage, true);
                ui.separator();
                self.menu_item(ui, Action::Quit, true);
            });
            ui.menu_button("Edit", |ui| {
                let can_undo = self.history.can_undo();
                let can_redo = self.history.can_redo();
                let has_cards = !self.view.selected_cards().is_empty();
                let has_selection = !self.view.selection.is_empty();
                self.menu_item(ui, Action::Undo, can_undo);
                self.menu_item(ui, Action::Redo, can_redo);
                ui.separator();
                self.menu_item(ui, Action::Cut, has_cards);
                self.menu_item(ui, Action::Copy, has_cards);
                self.menu_item(ui, Action::Paste, !self.clipboard.is_empty());
                self.menu_item(ui, Action::Duplicate, has_cards);
                self.menu_item(ui, Action::Delete, has_selection);
                ui.separator();
                self.menu_item(ui, Action::EditTitle, has_cards);
                self.menu_item(ui, Action::SelectAll, true);
                self.menu_item(ui, Action::MoveEarlier, has_selection);
                self.menu_item(ui, Action::MoveLater, has_selection);
            });
            ui.menu_button("Insert", |ui| {
                self.menu_item(ui, Action::AddCard(None), true);
                self.menu_item(ui, Action::AddPainPoint, true);
                ui.separator();
                self.menu_item(ui, Action::AddStage, true);
                self.menu_item(ui, Action::AddStep, true);
                ui.menu_button("Lane", |ui| {
                    for kind in LaneKind::ALL {
                        self.menu_item(ui, Action::AddLane(kind), true);
                    }
                });
                self.menu_item(ui, Action::AddPersona, true);
            });
            ui.menu_button("View", |ui| {
                self.menu_item(ui, Action::ZoomToFit, true);
                self.menu_item(ui, Action::ZoomIn, true);
                self.menu_item(ui, Action::ZoomOut, true);
                self.menu_item(ui, Action::ZoomReset, true);
                ui.separator();
                self.menu_item(ui, Action::TogglePen, true);
                self.menu_item(ui, Action::Present, true);
                ui.separator();
                let mut palette = self.panels.palette;
                let mut inspector = self.panels.inspector;
                let shortcut = |a: &Action| {
                    a.shortcut()
                        .map(|s| ui.ctx().format_shortcut(&s))
                        .unwrap_or_default()
                };
                let (p_keys, i_keys) = (
                    shortcut(&Action::TogglePalette),
                    shortcut(&Action::ToggleInspector),
                );
                if ui
                    .add(egui::Checkbox::new(
                        &mut palette,
                        format!("Palette   {p_keys}"),
                    ))
                    .changed()
                {
                    self.actions.push(Action::TogglePalette);
                }
                if ui
                    .add(egui::Checkbox::new(
                        &mut inspector,
                        format!("Inspector   {i_keys}"),
                    ))
                    .changed()
                {
                    self.actions.push(Action::ToggleInspector);
                }
            });
            ui.menu_button("Help", |ui| {
                self.menu_item(ui, Action::ShowShortcuts, true);
            });
        });
    }

    fn status_bar(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            ui.label(format!("{:.0}%", self.view.zoom * 100.0));
            ui.separator();
            let j = &self.doc.journey;
            ui.label(format!(
                "{} stages · {} steps · {} cards · {} pain points",
                j.stages.len(),
                j.step_count(),
                j.cards.len(),
                j.pain_points.len()
            ));
            ui.separator();
            if self.view.tool == Tool::Pen {
                ui.label(
                    RichText::new("Emotion pen: drag across the Emotions lane (E to stop)")
                        .strong(),
                );
                ui.separator();
            }
            if let Some(fraction) = self.export.progress() {
                ui.add(
                    egui::ProgressBar::new(fraction)
                        .desired_width(160.0)
                        .text("Exporting…"),
                );
                if self.export.can_cancel()
                    && ui
                        .small_button("Cancel export")
                        .on_hover_text("Stop the export; nothing is written")
                        .clicked()
                {
                    self.export.cancel();
                }
                ui.separator();
            }
            if let Some((message, is_error)) = &self.status {
                let color = if *is_error {
                    Color32::from_rgb(0xCF, 0x22, 0x2E)
                } else {
                    ui.visuals().weak_text_color()
                };
                ui.label(RichText::new(message).color(color));
            }
        });
    }

    fn palette(&mut self, ui: &mut Ui) {
        ui.add_space(6.0);
        ui.heading("Tools");
        ui.horizontal_wrapped(|ui| {
            if ui
                .selectable_label(self.view.tool == Tool::Select, "Select")
                .on_hover_text("Select, move and edit (Esc)")
                .clicked()
            {
                self.view.tool = Tool::Select;
            }
            if ui
                .selectable_label(self.view.tool == Tool::Pen, "Pen")
                .on_hover_text("Sketch the emotion curve across the Emotions lane (E)")
                .clicked()
            {
                self.actions.push(Action::TogglePen);
            }
        });
        ui.add_space(10.0);
        ui.heading("Touchpoints");
        ui.label(RichText::new("Drag onto a cell").weak());
        ui.add_space(4.0);
        for channel in Channel::ALL {
            self.palette_entry(ui, PaletteItem::Touchpoint(channel));
        }
        ui.add_space(10.0);
        ui.heading("Cards");
        self.palette_entry(ui, PaletteItem::Card);
    }

    fn palette_entry(&self, ui: &mut Ui, item: PaletteItem) {
        let (label, color, glyph) = match item {
            PaletteItem::Touchpoint(c) => (c.label(), channel_color(c), channel_glyph(c)),
            PaletteItem::Card => ("Card", Color32::from_rgb(0x57, 0x60, 0x6A), "+"),
        };
        let id = Id::unique(("palette", label));
        let dragging = ui.ctx().is_being_dragged(id);
        let response = ui
            .dnd_drag_source(id, item, |ui| {
                let (rect, _) = ui.allocate_exact_size(
                    egui::vec2(ui.available_width(), 26.0),
                    egui::Sense::hover(),
                );
                let painter = ui.painter();
                painter.rect_filled(rect, 4.0, ui.visuals().faint_bg_color);
                let chip = egui::Rect::from_min_size(
                    rect.min + egui::vec2(4.0, 3.0),
                    egui::vec2(26.0, 20.0),
                );
                painter.rect_filled(chip, 4.0, color);
                painter.text(
                    chip.center(),
                    egui::Align2::CENTER_CENTER,
                    glyph,
                    egui::FontId::proportional(13.0),
                    Color32::WHITE,
                );
                painter.text(
                    egui::pos2(chip.max.x + 8.0, rect.center().y),
                    egui::Align2::LEFT_CENTER,
                    label,
                    egui::FontId::proportional(14.0),
                    ui.visuals().text_color(),
                );
            })
            .response;
        if dragging {
            // The entry follows the pointer; keep a faint copy in the list.
            ui.painter().rect_stroke(
                response.rect,
                4.0,
                egui::Stroke::new(1.0, color.gamma_multiply(0.5)),
                egui::StrokeKind::Inside,
            );
            ui.painter().text(
                response.rect.left_center() + egui::vec2(38.0, 0.0),
                egui::Align2::LEFT_CENTER,
                label,
                egui::FontId::proportional(14.0),
                ui.visuals().weak_text_color(),
            );
        }
        response.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Palette: {label}"))
        });
        response.on_hover_cursor(egui::CursorIcon::Grab);
    }

    // ---- inspector --------------------------------------------------------

    fn inspector(&mut self, ui: &mut Ui) {
        ui.add_space(6.0);
        let journey = &self.doc.journey;
        let mut edits: Vec<(Edit, Option<GestureKey>)> = Vec::new();
        let mut end_gesture = false;
        let mut actions = Vec::new();
        match self.view.primary() {
            Some(Item::Card(id)) => {
                if let Some(card) = journey.card(id) {
                    ui.heading("Card");
                    let mut c = card.clone();
                    let changed = text_field(ui, "Title", &mut c.title, false, &mut end_gesture)
                        .or(text_field(
                            ui,
                            "Notes",
                            &mut c.notes,
                            true,
                            &mut end_gesture,
                        ))
                        .or(channel_picker(ui, &mut c.channel));
                    if let Some(key) = changed {
                        edits.push((Edit::UpdateCard(c), Some(key)));
                    }
                    ui.label(RichText::new(describe_cell(journey, card.step, card.lane)).weak());
                    self.pain_list(ui, Anchor::Card(id), &mut actions);
                }
            }
            Some(Item::Stage(id)) => {
                if let Some(stage) = journey.stage(id) {
                    ui.heading("Stage");
                    let mut name = stage.name.clone();
                    if let Some(key) = text_field(ui, "Name", &mut name, false, &mut end_gesture) {
                        edits.push((Edit::RenameStage(id, name), Some(key)));
                    }
                    ui.label(RichText::new(format!("{} step(s)", stage.steps.len())).weak());
                    stage_buttons(
                        ui,
                        &mut actions,
                        &[
                            Action::AddStep,
                            Action::AddStage,
                            Action::MoveEarlier,
                            Action::MoveLater,
                            Action::Delete,
                        ],
                    );
                }
            }
            Some(Item::Step(id)) => {
                if let Some((stage, step)) = journey.step(id) {
                    ui.heading("Step");
                    let mut name = step.name.clone();
                    if let Some(key) = text_field(ui, "Name", &mut name, false, &mut end_gesture) {
                        edits.push((Edit::RenameStep(id, name), Some(key)));
                    }
                    ui.label(RichText::new(format!("In stage {}", stage.name)).weak());
                    stage_buttons(
                        ui,
                        &mut actions,
                        &[
                            Action::AddStep,
                            Action::AddPainPoint,
                            Action::MoveEarlier,
                            Action::MoveLater,
                            Action::Delete,
                        ],
                    );
                    self.pain_list(ui, Anchor::Step(id), &mut actions);
                }
            }
            Some(Item::Lane(id)) => {
                if let Some(lane) = journey.lane(id) {
                    ui.heading("Lane");
                    let mut l = lane.clone();
                    let mut changed = text_field(ui, "Name", &mut l.name, false, &mut end_gesture);
                    let label = ui.label("Kind");
                    egui::ComboBox::from_id_salt("lane-kind")
                        .selected_text(l.kind.label())
                        .show_ui(ui, |ui| {
                            for kind in LaneKind::ALL {
                                if ui
                                    .selectable_value(&mut l.kind, kind, kind.label())
                                    .changed()
                                {
                                    changed = Some(label.id);
                                }
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    if let Some(key) = changed {
                        edits.push((Edit::UpdateLane(l), Some(key)));
                    }
                    stage_buttons(
                        ui,
                        &mut actions,
                        &[Action::MoveEarlier, Action::MoveLater, Action::Delete],
                    );
                }
            }
            Some(Item::Pain(id)) => {
                if let Some(pain) = journey.pain(id) {
                    ui.heading("Pain point");
                    let mut p = pain.clone();
                    let mut changed = text_field(ui, "Text", &mut p.text, true, &mut end_gesture);
                    let label = ui.label("Severity");
                    ui.horizontal(|ui| {
                        for severity in SEVERITY_RANGE {
                            let name = match severity {
                                1 => "1 minor",
                                2 => "2 major",
                                _ => "3 critical",
                            };
                            if ui
                                .selectable_value(&mut p.severity, severity, name)
                                .changed()
                            {
                                changed = Some(label.id);
                            }
                        }
                    });
                    let opportunities: Vec<&Card> = journey
                        .cards
                        .iter()
                        .filter(|c| {
                            journey
                                .lane(c.lane)
                                .is_some_and(|l| l.kind == LaneKind::Opportunities)
                        })
                        .collect();
                    let label = ui.label("Opportunity");
                    let current = p
                        .opportunity
                        .and_then(|id| journey.card(id))
                        .map_or_else(|| "None".to_owned(), |c| c.title.clone());
                    egui::ComboBox::from_id_salt("pain-opportunity")
                        .selected_text(current)
                        .show_ui(ui, |ui| {
                            if ui
                                .selectable_value(&mut p.opportunity, None, "None")
                                .changed()
                            {
                                changed = Some(label.id);
                            }
                            for card in opportunities {
                                if ui
                                    .selectable_value(
                                        &mut p.opportunity,
                                        Some(card.id),
                                        &card.title,
                                    )
                                    .changed()
                                {
                                    changed = Some(label.id);
                                }
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    ui.label(
                        RichText::new(format!("On {}", describe_anchor(journey, p.anchor))).weak(),
                    );
                    if let Some(key) = changed {
                        edits.push((Edit::UpdatePain(p), Some(key)));
                    }
                    stage_buttons(ui, &mut actions, &[Action::Delete]);
                }
            }
            Some(Item::CurvePoint(persona, step)) => {
                ui.heading("Emotion");
                let name = journey
                    .persona(persona)
                    .map(|p| p.name.clone())
                    .unwrap_or_default();
                let step_name = journey
                    .step(step)
                    .map(|(_, s)| s.name.clone())
                    .unwrap_or_default();
                ui.label(format!("{name} at {step_name}"));
                if let Some(curve) = journey.curve(persona)
                    && let Some(score) = curve.points.get(&step)
                {
                    let mut value = *score;
                    let label = ui.label("Score (-2 … +2)");
                    let response = ui
                        .add(egui::Slider::new(&mut value, -2.0..=2.0).step_by(0.1))
                        .labelled_by(label.id);
                    if response.changed() {
                        let edit = Edit::set_scores(journey, persona, [(step, value)]);
                        edits.push((edit, Some(response.id)));
                    }
                    if response.drag_stopped() || response.lost_focus() {
                        end_gesture = true;
                    }
                }
                stage_buttons(ui, &mut actions, &[Action::AddPainPoint, Action::Delete]);
                self.pain_list(ui, Anchor::Curve(persona, step), &mut actions);
            }
            Some(Item::Cell(step, lane)) => {
                ui.heading("Cell");
                ui.label(describe_cell(journey, step, lane));
                stage_buttons(
                    ui,
                    &mut actions,
                    &[Action::AddCard(None), Action::Paste, Action::AddPainPoint],
                );
            }
            Some(Item::Persona(_)) | None => {}
        }
        if matches!(self.view.primary(), None | Some(Item::Persona(_))) {
            self.journey_inspector(ui, &mut edits, &mut end_gesture, &mut actions);
        }
        self.edits.extend(edits);
        self.end_gesture |= end_gesture;
        self.actions.extend(actions);
    }

    fn journey_inspector(
        &self,
        ui: &mut Ui,
        edits: &mut Vec<(Edit, Option<GestureKey>)>,
        end_gesture: &mut bool,
        actions: &mut Vec<Action>,
    ) {
        let journey = &self.doc.journey;
        ui.heading("Journey");
        let mut title = journey.title.clone();
        let mut description = journey.description.clone();
        let changed = text_field(ui, "Map title", &mut title, false, end_gesture).or(text_field(
            ui,
            "Description",
            &mut description,
            true,
            end_gesture,
        ));
        if let Some(key) = changed {
            edits.push((Edit::SetMeta { title, description }, Some(key)));
        }
        ui.add_space(8.0);
        ui.heading("Personas");
        for (index, persona) in journey.personas.iter().enumerate() {
            ui.push_id(persona.id, |ui| {
                let color = self.theme.persona_color(index);
                ui.horizontal(|ui| {
                    let (rect, _) =
                        ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
                    ui.painter().circle_filled(rect.center(), 6.0, color);
                    ui.label(RichText::new("Curve colour").weak().small());
                });
                let mut p = persona.clone();
                let changed = text_field(ui, "Name", &mut p.name, false, end_gesture).or(
                    text_field(ui, "About", &mut p.description, true, end_gesture),
                );
                if let Some(key) = changed {
                    edits.push((Edit::UpdatePersona(p), Some(key)));
                }
                if journey.personas.len() > 1 && ui.button("Remove persona").clicked() {
                    edits.push((Edit::remove_persona(journey, persona.id), None));
                }
            });
            ui.separator();
        }
        if journey.personas.len() < 2 && ui.button("Add persona").clicked() {
            actions.push(Action::AddPersona);
        }
        ui.add_space(8.0);
        ui.label(RichText::new("Select a card, header or pain point to edit it.").weak());
    }

    fn pain_list(&self, ui: &mut Ui, anchor: Anchor, actions: &mut Vec<Action>) {
        let pains: Vec<&PainPoint> = self
            .doc
            .journey
            .pain_points
            .iter()
            .filter(|p| p.anchor == anchor)
            .collect();
        ui.add_space(8.0);
        ui.label(RichText::new("Pain points").strong());
        for pain in pains {
            ui.horizontal(|ui| {
                let (rect, _) =
                    ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
                ui.painter().circle_filled(
                    rect.center(),
                    6.0,
                    self.theme.pain_color(pain.severity),
                );
                ui.label(&pain.text);
            });
        }
        if ui.button("Add pain point").clicked() {
            actions.push(Action::AddPainPoint);
        }
    }

    // ---- dialogs ----------------------------------------------------------

    fn dialogs(&mut self, ctx: &egui::Context) {
        if let Some(after) = self.confirm.clone() {
            let name = self
                .doc
                .path
                .as_deref()
                .map_or_else(|| "Untitled".to_owned(), io::display_name);
            let response = egui::Modal::new(Id::unique("unsaved-changes")).show(ctx, |ui| {
                ui.set_width(360.0);
                ui.heading("Unsaved changes");
                ui.label(format!("Save the changes to {name} first?"));
                ui.add_space(8.0);
                let mut choice = None;
                ui.horizontal(|ui| {
                    if ui.button("Save").clicked() {
                        choice = Some(0);
                    }
                    if ui.button("Discard").clicked() {
                        choice = Some(1);
                    }
                    if ui.button("Cancel").clicked() {
                        choice = Some(2);
                    }
                });
                choice
            });
            let choice = if response.should_close() {
                Some(2)
            } else {
                response.inner
            };
            match choice {
                Some(0) => {
                    self.confirm = None;
                    let saved = match self.doc.path.clone() {
                        Some(path) => self.save_to(&path),
                        None => {
                            // Ask where; the original request is dropped so
                            // nothing is lost if the user cancels there.
                            self.actions.push(Action::SaveAs);
                            false
                        }
                    };
                    if saved {
                        self.continue_after(ctx, after);
                    }
                }
                Some(1) => {
                    self.confirm = None;
                    self.doc.saved = self.doc.journey.clone();
                    self.dirty_cache = (u64::MAX, false);
                    self.clear_snapshot();
                    self.continue_after(ctx, after);
                }
                Some(_) => self.confirm = None,
                None => {}
            }
        }
        if let Some(prompt) = &mut self.path_prompt {
            let title = match prompt.purpose {
                PathPurpose::Open => "Open map",
                PathPurpose::SaveAs => "Save map as",
            };
            let mut result = None;
            let response = egui::Modal::new(Id::unique("path-prompt")).show(ctx, |ui| {
                ui.set_width(460.0);
                ui.heading(title);
                let label = ui.label("File path");
                let edit = ui
                    .add(
                        egui::TextEdit::singleline(&mut prompt.text)
                            .desired_width(f32::INFINITY)
                            .hint_text("maps/checkout.journey.ron"),
                    )
                    .labelled_by(label.id);
                if prompt.focus {
                    edit.request_focus();
                    prompt.focus = false;
                }
                let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                ui.horizontal(|ui| {
                    if ui
                        .button(if prompt.purpose == PathPurpose::Open {
                            "Open"
                        } else {
                            "Save"
                        })
                        .clicked()
                        || enter
                    {
                        result = Some(true);
                    }
                    if ui.button("Cancel").clicked() {
                        result = Some(false);
                    }
                });
            });
            if response.should_close() {
                result = Some(false);
            }
            if let Some(ok) = result {
                let purpose = prompt.purpose;
                let text = prompt.text.trim().to_owned();
                self.path_prompt = None;
                if ok && !text.is_empty() {
                    let path = PathBuf::from(text);
                    match purpose {
                        PathPurpose::Open => self.open_path(&path),
                        PathPurpose::SaveAs => {
                            self.save_to(&with_extension(path));
                        }
                    }
                }
            }
        }
        if let Some(notice) = &self.notice {
            let mut close = false;
            let mut save_as = false;
            let response = egui::Modal::new(Id::unique("notice")).show(ctx, |ui| {
                ui.set_width(440.0);
                ui.heading(&notice.title);
                ui.label(&notice.message);
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if notice.offer_save_as && ui.button("Save As…").clicked() {
                        save_as = true;
                    }
                    if ui.button("OK").clicked() {
                        close = true;
                    }
                });
            });
            if close || save_as || response.should_close() {
                self.notice = None;
            }
            if save_as {
                self.actions.push(Action::SaveAs);
            }
        }
        self.external_dialog(ctx);
        self.recovery_dialog(ctx);
        if self.show_shortcuts {
            let mut open = true;
            egui::Window::new("Keyboard shortcuts")
                .open(&mut open)
                .collapsible(false)
                .resizable(false)
                .show(ctx, shortcuts_table);
            self.show_shortcuts = open;
        }
    }

    /// Asks what to do about a file that changed on disk: before saving
    /// over it (Overwrite / Reload / Save As…), or when noticed while there
    /// are unsaved changes (Reload / Keep my version / Save As…).
    fn external_dialog(&mut self, ctx: &egui::Context) {
        let Some(change) = &self.external else {
            return;
        };
        let saving = change.saving;
        let name = self
            .doc
            .path
            .as_deref()
            .map_or_else(|| "The file".to_owned(), |p| p.display().to_string());
        let response = egui::Modal::new(Id::unique("external-change")).show(ctx, |ui| {
            ui.set_width(460.0);
            ui.heading("The file changed on disk");
            ui.label(format!(
                "{name} was changed by another program since you opened or saved it here."
            ));
            ui.label(if saving {
                "Overwrite it with your version, reload it (your unsaved changes are lost), or save your version as another file?"
            } else {
                "You have unsaved changes. Reload it (your unsaved changes are lost), keep your version, or save your version as another file?"
            });
            ui.add_space(8.0);
            let mut choice = None;
            ui.horizontal(|ui| {
                if saving && ui.button("Overwrite").clicked() {
                    choice = Some("overwrite");
                }
                if ui.button("Reload").clicked() {
                    choice = Some("reload");
                }
                if !saving && ui.button("Keep my version").clicked() {
                    choice = Some("keep");
                }
                if ui.button("Save As…").clicked() {
                    choice = Some("save as");
                }
                if saving && ui.button("Cancel").clicked() {
                    choice = Some("keep");
                }
            });
            choice
        });
        let choice = if response.should_close() {
            Some("keep")
        } else {
            response.inner
        };
        let Some(choice) = choice else {
            return;
        };
        self.external = None;
        let Some(path) = self.doc.path.clone() else {
            return;
        };
        match choice {
            "overwrite" => {
                self.save_over(&path);
            }
            "reload" => {
                self.reload(&path, "your unsaved changes were discarded");
                self.clear_snapshot();
            }
            "save as" => self.actions.push(Action::SaveAs),
            _ => {
                // Keep editing; do not ask again about this same change.
                self.kept_over_disk = io::DiskStamp::read(&path);
            }
        }
    }

    /// Offers the snapshots of crashed sessions: Restore, Save As… (restore,
    /// then choose where to save), or Discard.
    fn recovery_dialog(&mut self, ctx: &egui::Context) {
        if self.recoverable.is_empty() {
            return;
        }
        let now = std::time::SystemTime::now();
        let mut choice = None;
        let mut later = false;
        egui::Modal::new(Id::unique("recovery")).show(ctx, |ui| {
            ui.set_width(520.0);
            ui.heading("Recover unsaved work");
            ui.label(
                "Waymark did not close normally last time. These maps had changes that were not saved:",
            );
            ui.add_space(6.0);
            for (index, entry) in self.recoverable.iter().enumerate() {
                ui.push_id(index, |ui| {
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
                            if ui.add_enabled(readable, egui::Button::new("Restore")).clicked() {
                                choice = Some((index, "restore"));
                            }
                            if ui.add_enabled(readable, egui::Button::new("Save As…")).clicked() {
                                choice = Some((index, "save as"));
                            }
                            if ui.button("Discard").clicked() {
                                choice = Some((index, "discard"));
                            }
                        });
                    });
                });
            }
            ui.add_space(6.0);
            if ui
                .button("Decide later")
                .on_hover_text("Keep the snapshots and ask again at the next start")
                .clicked()
            {
                later = true;
            }
        });
        if later {
            self.recoverable.clear();
            return;
        }
        match choice {
            Some((index, "discard")) => {
                if let Some(entry) = self.recoverable.get(index) {
                    if let Err(err) = entry.discard() {
                        self.set_status(format!("Could not discard the snapshot: {err}"), true);
                    }
                    self.recoverable.remove(index);
                }
            }
            Some((index, "save as")) => {
                self.restore(index);
                self.actions.push(Action::SaveAs);
            }
            Some((index, _)) => self.restore(index),
            None => {}
        }
    }

    fn continue_after(&mut self, ctx: &egui::Context, after: AfterConfirm) {
        match after {
            AfterConfirm::New(t) => self.replace_document(t.build("Untitled journey"), None),
            AfterConfirm::Open => self.choose_file(PathPurpose::Open),
            AfterConfirm::OpenPath(p) => self.open_path(&p),
            AfterConfirm::Quit => {
                self.close_allowed_at = Some(self.history.revision());
                ctx.send_viewport_cmd(ViewportCommand::Close);
            }
        }
    }

    /// The system's save dialog for the export, starting from `start`; the
    /// file picked goes into the Export dialog. Where there is no such
    /// dialog, the button goes and the path is typed.
    fn choose_export_file(&mut self, start: &Path, format: crate::export::Format) {
        let name = match format {
            crate::export::Format::Png => "PNG image",
            crate::export::Format::Svg => "SVG image",
        };
        let mut dialog = rfd::FileDialog::new().add_filter(name, &[format.extension()]);
        if let Some(dir) = dialog_folder(start) {
            dialog = dialog.set_directory(dir);
        }
        if let Some(file) = start.file_name() {
            dialog = dialog.set_file_name(file.to_string_lossy());
        }
        match self.native_dialog(|| dialog.save_file()) {
            Chosen::Path(path) => self.export.set_path(&path),
            Chosen::Dismissed => {}
            Chosen::NoDialog => self.set_status(
                "No file chooser on this system: type the path to save to".into(),
                true,
            ),
        }
    }

    /// Runs a native file dialog. One that answers at once is taken to be
    /// missing (no desktop portal), and native dialogs are not tried again.
    fn native_dialog(&mut self, run: impl FnOnce() -> Option<PathBuf>) -> Chosen {
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

    /// Native dialog where there is one; the in-app path entry otherwise.
    fn choose_file(&mut self, purpose: PathPurpose) {
        if self.native_dialogs {
            let mut dialog = rfd::FileDialog::new().add_filter("Journey map", &["ron"]);
            if let Some(dir) = self.doc.path.as_deref().and_then(dialog_folder) {
                dialog = dialog.set_directory(dir);
            }
            let name = self.doc.path.as_deref().map_or_else(
                || format!("{}.{}", slug(&self.doc.journey.title), io::EXTENSION),
                io::display_name,
            );
            let chosen = self.native_dialog(|| match purpose {
                PathPurpose::Open => dialog.pick_file(),
                PathPurpose::SaveAs => dialog.set_file_name(name).save_file(),
            });
            match (chosen, purpose) {
                (Chosen::Path(path), PathPurpose::Open) => return self.open_path(&path),
                (Chosen::Path(path), PathPurpose::SaveAs) => {
                    self.save_to(&with_extension(path));
                    return;
                }
                (Chosen::Dismissed, _) => return,
                (Chosen::NoDialog, _) => {}
            }
        }
        let text = match (purpose, &self.doc.path) {
            (_, Some(path)) => path.display().to_string(),
            (PathPurpose::SaveAs, None) => {
                format!("{}.{}", slug(&self.doc.journey.title), io::EXTENSION)
            }
            (PathPurpose::Open, None) => String::new(),
        };
        self.path_prompt = Some(PathPrompt {
            purpose,
            text,
            focus: true,
        });
    }

    // ---- actions ----------------------------------------------------------

    /// Runs the actions and edits collected during the frame.
    fn run_pending(&mut self, ctx: &egui::Context) {
        for (edit, gesture) in std::mem::take(&mut self.edits) {
            let result = match gesture {
                Some(key) => self
                    .history
                    .apply_in_gesture(&mut self.doc.journey, edit, key),
                None => self.history.apply(&mut self.doc.journey, edit),
            };
            if let Err(err) = result {
                self.set_status(format!("Could not apply the change: {err}"), true);
            }
        }
        if std::mem::take(&mut self.end_gesture) {
            self.history.end_gesture();
        }
        for action in std::mem::take(&mut self.actions) {
            self.run_action(ctx, action);
        }
        self.view.prune_selection(&self.doc.journey);
    }

    fn apply(&mut self, edit: Edit) -> bool {
        match self.history.apply(&mut self.doc.journey, edit) {
            Ok(()) => true,
            Err(err) => {
                self.set_status(format!("Could not apply the change: {err}"), true);
                false
            }
        }
    }

    fn confirm_then(&mut self, ctx: &egui::Context, after: AfterConfirm) {
        if self.is_dirty() {
            self.confirm = Some(after);
        } else {
            self.continue_after(ctx, after);
        }
    }

    /// Runs one action now.
    pub fn run_action(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::New(t) => self.confirm_then(ctx, AfterConfirm::New(t)),
            Action::Open => self.confirm_then(ctx, AfterConfirm::Open),
            Action::OpenPath(p) => self.confirm_then(ctx, AfterConfirm::OpenPath(p)),
            Action::Quit => self.confirm_then(ctx, AfterConfirm::Quit),
            Action::Save => match self.doc.path.clone() {
                Some(path) => {
                    self.save_to(&path);
                }
                None => self.choose_file(PathPurpose::SaveAs),
            },
            Action::SaveAs => self.choose_file(PathPurpose::SaveAs),
            Action::Undo => {
                if !self.history.undo(&mut self.doc.journey) {
                    self.set_status("Nothing to undo".into(), false);
                }
            }
            Action::Redo => {
                if !self.history.redo(&mut self.doc.journey) {
                    self.set_status("Nothing to redo".into(), false);
                }
            }
            Action::Delete => self.delete_selection(),
            Action::Duplicate => self.duplicate(),
            Action::Copy => self.copy(ctx),
            Action::Cut => {
                self.copy(ctx);
                let cards = self.view.selected_cards();
                if !cards.is_empty() {
                    self.apply(Edit::remove_cards(&self.doc.journey, &cards));
                }
            }
            Action::Paste => self.paste(),
            Action::SelectAll => {
                self.view.selection = self
                    .doc
                    .journey
                    .cards
                    .iter()
                    .map(|c| Item::Card(c.id))
                    .collect();
            }
            Action::SelectNone => {
                self.view.selection.clear();
                self.view.tool = Tool::Select;
                if self.panels.presenting {
                    self.panels.presenting = false;
                    self.view.fit_pending = true;
                }
            }
            Action::Nudge(direction) => self.nudge(direction),
            Action::EditTitle => {
                if let Some(Item::Card(id)) = self.view.primary()
                    && let Some(card) = self.doc.journey.card(id)
                {
                    self.view.editing = Some((id, card.title.clone()));
                    self.view.request_editor_focus();
                }
            }
            Action::AddPainPoint => self.add_pain_point(),
            Action::AddCard(channel) => self.add_card(channel),
            Action::AddStage => self.add_stage(),
            Action::AddStep => self.add_step(),
            Action::AddLane(kind) => self.add_lane(kind),
            Action::AddPersona => self.add_persona(),
            Action::MoveEarlier => self.move_selected(false),
            Action::MoveLater => self.move_selected(true),
            Action::TogglePen => {
                self.view.tool = match self.view.tool {
                    Tool::Select => Tool::Pen,
                    Tool::Pen => Tool::Select,
                };
                if self.view.tool == Tool::Pen && self.doc.journey.emotion_lane().is_none() {
                    self.set_status(
                        "Add an Emotions lane (Insert ▸ Lane) to draw the curve".into(),
                        true,
                    );
                }
            }
            Action::ZoomToFit => self.view.fit_pending = true,
            Action::ZoomIn => self.view.zoom_around(1.25, self.view.screen_rect.center()),
            Action::ZoomOut => self.view.zoom_around(0.8, self.view.screen_rect.center()),
            Action::ZoomReset => {
                let factor = 1.0 / self.view.zoom;
                self.view
                    .zoom_around(factor, self.view.screen_rect.center());
            }
            Action::ShowShortcuts => self.show_shortcuts = !self.show_shortcuts,
            Action::Export => self
                .export
                .open(self.doc.path.as_deref(), &self.doc.journey.title),
            Action::CopyImage => self.copy_image(ctx),
            Action::TogglePalette => self.panels.palette = !self.panels.palette,
            Action::Present => {
                self.panels.presenting = !self.panels.presenting;
                self.view.fit_pending = true;
                if self.panels.presenting {
                    self.set_status("Presentation mode: F5 or Esc to leave".into(), false);
                }
            }
            Action::ToggleInspector => self.panels.inspector = !self.panels.inspector,
        }
    }

    fn fresh_id(&self) -> u64 {
        self.doc.journey.next_id()
    }

    /// The cell new cards go to: the selected cell or card's cell, else the
    /// first touchpoints cell.
    fn target_cell(&self) -> Option<(StepId, LaneId)> {
        let j = &self.doc.journey;
        match self.view.primary() {
            Some(Item::Cell(s, l)) => return Some((s, l)),
            Some(Item::Card(id)) => return j.card(id).map(|c| (c.step, c.lane)),
            _ => {}
        }
        let step = match self.view.primary() {
            Some(Item::Step(s)) => Some(s),
            _ => j.steps().next().map(|(_, s)| s.id),
        }?;
        let lane = match self.view.primary() {
            Some(Item::Lane(l)) => Some(l),
            _ => j
                .lanes
                .iter()
                .find(|l| l.kind == LaneKind::Touchpoints)
                .or_else(|| j.lanes.first())
                .map(|l| l.id),
        }?;
        Some((step, lane))
    }

    fn add_card(&mut self, channel: Option<Channel>) {
        let Some((step, lane)) = self.target_cell() else {
            self.set_status("Add a stage and a lane first".into(), true);
            return;
        };
        let id = CardId(self.fresh_id());
        let index = crate::ui::canvas::insertion_index(&self.doc.journey, step, lane, usize::MAX);
        let card = Card {
            id,
            step,
            lane,
            title: String::new(),
            notes: String::new(),
            channel,
        };
        if self.apply(Edit::InsertCard(index, card)) {
            self.view.select(Item::Card(id));
            self.view.editing = Some((id, String::new()));
            self.view.request_editor_focus();
        }
    }

    fn add_pain_point(&mut self) {
        let Some(anchor) = pain_anchor(&self.doc.journey, self.view.primary()) else {
            self.set_status(
                "Select a card, a curve point or a step to add a pain point to".into(),
                true,
            );
            return;
        };
        let id = PainId(self.fresh_id());
        let pain = PainPoint {
            id,
            severity: 2,
            text: "New pain point".into(),
            anchor,
            opportunity: None,
        };
        let index = self.doc.journey.pain_points.len();
        if self.apply(Edit::InsertPain(index, pain)) {
            self.view.select(Item::Pain(id));
        }
    }

    fn add_stage(&mut self) {
        let j = &self.doc.journey;
        let index = match self.view.primary() {
            Some(Item::Stage(id)) => j
                .stages
                .iter()
                .position(|s| s.id == id)
                .map_or(j.stages.len(), |i| i + 1),
            Some(Item::Step(id) | Item::Cell(id, _)) => j
                .stages
                .iter()
                .position(|s| s.steps.iter().any(|st| st.id == id))
                .map_or(j.stages.len(), |i| i + 1),
            _ => j.stages.len(),
        };
        let id = self.fresh_id();
        let stage = Stage {
            id: StageId(id),
            name: "New stage".into(),
            steps: vec![Step {
                id: StepId(id + 1),
                name: String::new(),
            }],
        };
        if self.apply(Edit::InsertStage(index, stage)) {
            self.view.select(Item::Stage(StageId(id)));
        }
    }

    fn add_step(&mut self) {
        let j = &self.doc.journey;
        let target = match self.view.primary() {
            Some(Item::Step(id) | Item::Cell(id, _)) => j.stages.iter().find_map(|s| {
                s.steps
                    .iter()
                    .position(|st| st.id == id)
                    .map(|i| (s.id, i + 1))
            }),
            Some(Item::Stage(id)) => j.stage(id).map(|s| (s.id, s.steps.len())),
            _ => j.stages.last().map(|s| (s.id, s.steps.len())),
        };
        let Some((stage, index)) = target else {
            self.add_stage();
            return;
        };
        let id = StepId(self.fresh_id());
        if self.apply(Edit::InsertStep(
            stage,
            index,
            Step {
                id,
                name: "New step".into(),
            },
        )) {
            self.view.select(Item::Step(id));
        }
    }

    fn add_lane(&mut self, kind: LaneKind) {
        let j = &self.doc.journey;
        let index = match self.view.primary() {
            Some(Item::Lane(id) | Item::Cell(_, id)) => j
                .lanes
                .iter()
                .position(|l| l.id == id)
                .map_or(j.lanes.len(), |i| i + 1),
            _ => j.lanes.len(),
        };
        let id = LaneId(self.fresh_id());
        let lane = Lane {
            id,
            kind,
            name: kind.label().into(),
        };
        if self.apply(Edit::InsertLane(index, lane)) {
            self.view.select(Item::Lane(id));
        }
    }

    fn add_persona(&mut self) {
        let id = PersonaId(self.fresh_id());
        let index = self.doc.journey.personas.len();
        let edit = Edit::Batch(vec![
            Edit::InsertPersona(
                index,
                Persona {
                    id,
                    name: format!("Persona {}", index + 1),
                    description: String::new(),
                },
            ),
            Edit::SetCurve(id, Some(std::collections::BTreeMap::new())),
        ]);
        if self.apply(edit) {
            self.view.select(Item::Persona(id));
        }
    }

    fn delete_selection(&mut self) {
        let j = &self.doc.journey;
        let cards = self.view.selected_cards();
        let edit = if cards.is_empty() {
            match self.view.primary() {
                Some(Item::Stage(id)) => Some(Edit::remove_stage(j, id)),
                Some(Item::Step(id)) => Some(Edit::remove_step(j, id)),
                Some(Item::Lane(id)) => Some(Edit::remove_lane(j, id)),
                Some(Item::Pain(id)) => Some(Edit::RemovePain(id)),
                Some(Item::CurvePoint(persona, step)) => Edit::remove_curve_point(j, persona, step),
                Some(Item::Persona(id)) if j.personas.len() > 1 => {
                    Some(Edit::remove_persona(j, id))
                }
                _ => None,
            }
        } else {
            Some(Edit::remove_cards(j, &cards))
        };
        if let Some(edit) = edit
            && self.apply(edit)
        {
            self.view.selection.clear();
        }
    }

    fn duplicate(&mut self) {
        let ids = self.view.selected_cards();
        let mut journey = self.doc.journey.clone();
        let mut edits = Vec::new();
        let mut new_ids = Vec::new();
        for id in ids {
            let Some(index) = journey.cards.iter().position(|c| c.id == id) else {
                continue;
            };
            let Some(card) = journey.cards.get(index).cloned() else {
                continue;
            };
            let copy = Card {
                id: CardId(journey.next_id()),
                ..card
            };
            new_ids.push(copy.id);
            let edit = Edit::InsertCard(index + 1, copy);
            if edit.clone().apply(&mut journey).is_ok() {
                edits.push(edit);
            }
        }
        if !edits.is_empty() && self.apply(Edit::Batch(edits)) {
            self.view.selection = new_ids.into_iter().map(Item::Card).collect();
        }
    }

    /// Puts the whole map on the clipboard as an image (at 2x, sharp on slides).
    fn copy_image(&mut self, ctx: &egui::Context) {
        const MAX_CLIPBOARD_PIXELS: u64 = 60_000_000;
        // Choose the scale before rendering: 2x when it fits the clipboard,
        // else 1x, else nothing is rendered at all.
        let options = crate::export::ExportOptions::default();
        let scale = match crate::export::image_size(&self.doc.journey, &options) {
            Ok((w, h)) if 4 * u64::from(w) * u64::from(h) <= MAX_CLIPBOARD_PIXELS => 2.0,
            Ok((w, h)) if u64::from(w) * u64::from(h) <= MAX_CLIPBOARD_PIXELS => 1.0,
            Ok(_) => {
                self.set_status(
                    "The map is too large for the clipboard; use File ▸ Export image…".into(),
                    true,
                );
                return;
            }
            Err(err) => {
                self.set_status(err.to_string(), true);
                return;
            }
        };
        match crate::ui::export_dialog::clipboard_image(&self.doc.journey, scale) {
            Ok(image) => {
                let [w, h] = image.size;
                ctx.copy_image(image);
                self.set_status(format!("Copied the map as a {w}x{h} image"), false);
            }
            Err(err) => self.set_status(err.to_string(), true),
        }
    }

    fn copy(&mut self, ctx: &egui::Context) {
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
        self.set_status(format!("Copied {} card(s)", cards.len()), false);
        self.clipboard = cards;
    }

    fn paste(&mut self) {
        if self.clipboard.is_empty() {
            return;
        }
        let target = self.target_cell();
        let mut journey = self.doc.journey.clone();
        let mut edits = Vec::new();
        let mut new_ids = Vec::new();
        for card in &self.clipboard {
            let (step, lane) = match target {
                Some(cell) => cell,
                None => (card.step, card.lane),
            };
            if journey.step(step).is_none() || journey.lane(lane).is_none() {
                continue;
            }
            let index = crate::ui::canvas::insertion_index(&journey, step, lane, usize::MAX);
            let copy = Card {
                id: CardId(journey.next_id()),
                step,
                lane,
                ..card.clone()
            };
            new_ids.push(copy.id);
            let edit = Edit::InsertCard(index, copy);
            if edit.clone().apply(&mut journey).is_ok() {
                edits.push(edit);
            }
        }
        if !edits.is_empty() && self.apply(Edit::Batch(edits)) {
            self.view.selection = new_ids.into_iter().map(Item::Card).collect();
        }
    }

    fn nudge(&mut self, direction: Direction) {
        let ids = self.view.selected_cards();
        if ids.is_empty() {
            return;
        }
        let j = &self.doc.journey;
        let steps: Vec<StepId> = j.steps().map(|(_, s)| s.id).collect();
        let lanes: Vec<LaneId> = j.lanes.iter().map(|l| l.id).collect();
        let neighbour = |list: &[u64], current: u64, forward: bool| -> Option<u64> {
            let i = list.iter().position(|x| *x == current)?;
            if forward {
                list.get(i + 1).copied()
            } else {
                i.checked_sub(1).and_then(|k| list.get(k)).copied()
            }
        };
        let step_ids: Vec<u64> = steps.iter().map(|s| s.0).collect();
        let lane_ids: Vec<u64> = lanes.iter().map(|l| l.0).collect();
        let mut journey = j.clone();
        let mut edits = Vec::new();
        for id in ids {
            let Some(card) = journey.card(id).cloned() else {
                continue;
            };
            let (step, lane) = match direction {
                Direction::Left | Direction::Right => {
                    match neighbour(&step_ids, card.step.0, direction == Direction::Right) {
                        Some(s) => (StepId(s), card.lane),
                        None => return,
                    }
                }
                Direction::Up | Direction::Down => {
                    match neighbour(&lane_ids, card.lane.0, direction == Direction::Down) {
                        Some(l) => (card.step, LaneId(l)),
                        None => return,
                    }
                }
            };
            let edit = Edit::move_card_to_cell(&journey, id, step, lane, usize::MAX);
            if edit.clone().apply(&mut journey).is_ok() {
                edits.push(edit);
            }
        }
        self.apply(Edit::Batch(edits));
    }

    fn move_selected(&mut self, later: bool) {
        let j = &self.doc.journey;
        let edit = match self.view.primary() {
            Some(Item::Stage(id)) => j.stages.iter().position(|s| s.id == id).and_then(|i| {
                let to = if later { i + 1 } else { i.checked_sub(1)? };
                (to < j.stages.len()).then_some(Edit::MoveStage(id, to))
            }),
            Some(Item::Lane(id)) => j.lanes.iter().position(|l| l.id == id).and_then(|i| {
                let to = if later { i + 1 } else { i.checked_sub(1)? };
                (to < j.lanes.len()).then_some(Edit::MoveLane(id, to))
            }),
            Some(Item::Step(id)) => {
                let stages: Vec<(StageId, usize, Option<usize>)> = j
                    .stages
                    .iter()
                    .map(|s| {
                        (
                            s.id,
                            s.steps.len(),
                            s.steps.iter().position(|st| st.id == id),
                        )
                    })
                    .collect();
                stages
                    .iter()
                    .enumerate()
                    .find_map(|(si, (stage, len, pos))| {
                        let pos = (*pos)?;
                        if later {
                            if pos + 1 < *len {
                                Some(Edit::MoveStep(id, *stage, pos + 1))
                            } else {
                                // Past the stage's end: first step of the next stage.
                                stages
                                    .get(si + 1)
                                    .map(|(next, _, _)| Edit::MoveStep(id, *next, 0))
                            }
                        } else if pos > 0 {
                            Some(Edit::MoveStep(id, *stage, pos - 1))
                        } else {
                            si.checked_sub(1)
                                .and_then(|k| stages.get(k))
                                .map(|(prev, plen, _)| Edit::MoveStep(id, *prev, *plen))
                        }
                    })
            }
            _ => None,
        };
        if let Some(edit) = edit {
            self.apply(edit);
        }
    }
}

impl eframe::App for WaymarkApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.frame(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, RECENT_KEY, &self.recent);
        eframe::set_value(storage, PANELS_KEY, &self.panels);
    }
}

/// A labelled text field. Returns the field's id when the text changed (the
/// id groups keystrokes into one undo step); sets `end_gesture` when focus leaves.
fn text_field(
    ui: &mut Ui,
    label: &str,
    text: &mut String,
    multiline: bool,
    end_gesture: &mut bool,
) -> Option<GestureKey> {
    let label = ui.label(label);
    let edit = if multiline {
        egui::TextEdit::multiline(text).desired_rows(3)
    } else {
        egui::TextEdit::singleline(text)
    };
    let response = ui
        .add(edit.desired_width(f32::INFINITY))
        .labelled_by(label.id);
    if response.lost_focus() {
        *end_gesture = true;
    }
    response.changed().then_some(response.id)
}

fn channel_picker(ui: &mut Ui, channel: &mut Option<Channel>) -> Option<GestureKey> {
    let label = ui.label("Channel");
    let mut changed = None;
    egui::ComboBox::from_id_salt("card-channel")
        .selected_text(channel.map_or("None", Channel::label))
        .show_ui(ui, |ui| {
            if ui.selectable_value(channel, None, "None").changed() {
                changed = Some(label.id);
            }
            for c in Channel::ALL {
                if ui.selectable_value(channel, Some(c), c.label()).changed() {
                    changed = Some(label.id);
                }
            }
        })
        .response
        .labelled_by(label.id);
    changed
}

fn stage_buttons(ui: &mut Ui, actions: &mut Vec<Action>, list: &[Action]) {
    ui.add_space(6.0);
    ui.horizontal_wrapped(|ui| {
        for action in list {
            if ui.button(action.label()).clicked() {
                actions.push(action.clone());
            }
        }
    });
}

fn describe_cell(journey: &Journey, step: StepId, lane: LaneId) -> String {
    let step = journey.step(step).map_or_else(String::new, |(stage, s)| {
        if s.name.is_empty() {
            stage.name.clone()
        } else {
            format!("{} › {}", stage.name, s.name)
        }
    });
    let lane = journey
        .lane(lane)
        .map(|l| l.name.clone())
        .unwrap_or_default();
    format!("{step} · {lane}")
}

fn describe_anchor(journey: &Journey, anchor: Anchor) -> String {
    match anchor {
        Anchor::Card(id) => journey.card(id).map_or_else(
            || "a missing card".into(),
            |c| format!("card “{}”", c.title),
        ),
        Anchor::Curve(p, s) => format!(
            "the emotion curve of {} at {}",
            journey.persona(p).map_or("?", |p| p.name.as_str()),
            journey.step(s).map_or("?", |(_, s)| s.name.as_str())
        ),
        Anchor::Step(s) => format!(
            "step {}",
            journey.step(s).map_or("?", |(_, s)| s.name.as_str())
        ),
    }
}

fn shortcuts_table(ui: &mut Ui) {
    let max_height = ui.ctx().content_rect().height() * 0.7;
    egui::ScrollArea::vertical()
        .max_height(max_height)
        .show(ui, shortcuts_grid);
}

fn shortcuts_grid(ui: &mut Ui) {
    egui::Grid::new("shortcuts")
        .striped(true)
        .num_columns(2)
        .show(ui, |ui| {
            // File, edit, canvas, view: the order people look for them in.
            let order = [
                Action::New(Template::FourStage),
                Action::Open,
                Action::Save,
                Action::SaveAs,
                Action::Quit,
                Action::Undo,
                Action::Redo,
                Action::Cut,
                Action::Copy,
                Action::Paste,
                Action::Duplicate,
                Action::Delete,
                Action::SelectAll,
                Action::SelectNone,
                Action::EditTitle,
                Action::Nudge(Direction::Left),
                Action::Nudge(Direction::Right),
                Action::Nudge(Direction::Up),
                Action::Nudge(Direction::Down),
                Action::AddPainPoint,
                Action::TogglePen,
                Action::ZoomToFit,
                Action::ZoomReset,
                Action::ZoomIn,
                Action::ZoomOut,
                Action::TogglePalette,
                Action::ToggleInspector,
                Action::Present,
                Action::Export,
                Action::CopyImage,
                Action::ShowShortcuts,
            ];
            for action in order {
                let keys: Vec<String> = SHORTCUTS
                    .iter()
                    .filter(|(_, a)| *a == action)
                    .map(|(s, _)| ui.ctx().format_shortcut(s))
                    .collect();
                if keys.is_empty() {
                    continue;
                }
                ui.label(action.label());
                ui.label(RichText::new(keys.join("  or  ")).monospace());
                ui.end_row();
            }
            for (what, how) in [
                ("Pan", "Scroll, middle-drag, or Space+drag"),
                ("Zoom", "Ctrl+scroll or pinch"),
                (
                    "Add a card",
                    "Drag from the palette, or double-click a cell",
                ),
                ("Edit a card title", "Double-click the card"),
                (
                    "Set an emotion",
                    "Double-click in the Emotions lane, or drag a point",
                ),
                (
                    "Select several",
                    "Shift+click, or drag a box on empty space",
                ),
            ] {
                ui.label(what);
                ui.label(RichText::new(how).weak());
                ui.end_row();
            }
        });
}

fn with_extension(path: PathBuf) -> PathBuf {
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
pub(crate) fn slug(title: &str) -> String {
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

fn app_icon() -> Option<egui::IconData> {
    let image = image::load_from_memory(include_bytes!("../../assets/icon.png"))
        .ok()?
        .into_rgba8();
    Some(egui::IconData {
        width: image.width(),
        height: image.height(),
        rgba: image.into_raw(),
    })
}

/// Opens the editor window; returns when it closes.
pub fn run_native(file: Option<PathBuf>) -> ExitCode {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Waymark")
        .with_app_id("waymark")
        .with_inner_size([1280.0, 800.0])
        .with_min_inner_size([720.0, 480.0])
        .with_drag_and_drop(true);
    if let Some(icon) = app_icon() {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        renderer: eframe::Renderer::Glow,
        ..Default::default()
    };
    let no_native_dialogs = std::env::var_os("WAYMARK_NO_NATIVE_DIALOGS").is_some();
    let result = eframe::run_native(
        "Waymark",
        options,
        Box::new(move |cc| {
            Ok(Box::new(WaymarkApp::new(
                cc,
                StartOptions {
                    file,
                    no_native_dialogs,
                    recovery_dir: crate::io::recovery::default_dir(),
                    save_fs: None,
                },
            )))
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("waymark: could not open a window: {err}");
            ExitCode::from(crate::cli::EXIT_BAD_INPUT)
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
    fn window_title_names_the_file_and_marks_unsaved_changes() {
        let mut app = WaymarkApp::headless(true);
        assert_eq!(app.window_title(), "Untitled — Waymark");
        app.doc.path = Some(PathBuf::from("/maps/checkout.journey.ron"));
        assert_eq!(app.window_title(), "checkout.journey.ron — Waymark");
        let stage = app.doc.journey.stages[0].id;
        app.history
            .apply(
                &mut app.doc.journey,
                Edit::RenameStage(stage, "Discover".into()),
            )
            .unwrap();
        assert_eq!(app.window_title(), "• checkout.journey.ron — Waymark");
        // Undoing back to the saved state clears the marker.
        app.history.undo(&mut app.doc.journey);
        assert_eq!(app.window_title(), "checkout.journey.ron — Waymark");
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
