//! The eframe application shell: lays out each frame (menu bar, palette,
//! canvas, inspector, status bar, dialogs), collects what the widgets ask
//! for in a [`Queue`], and runs it at the end of the frame. The document's
//! life on disk is [`Document`]'s; each panel and dialog has its own module.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use egui::{Ui, ViewportCommand};

use crate::edit::commands::Command;
use crate::io;
use crate::model::templates::{DEFAULT_TITLE, Template};
use crate::model::{Card, CardId, Date};
use crate::ui::actions::{self, Action, Enabled, Queue};
use crate::ui::canvas::{Canvas, CanvasOutput, Tool, ViewState};
use crate::ui::dialogs::{AfterConfirm, Dialogs, ExternalChange, Notice};
use crate::ui::document::{AutosaveStep, DISK_POLL_INTERVAL, DiskEvent, Document, Status};
use crate::ui::export_dialog::{ExportEvent, ExportUi};
use crate::ui::inspector::{InspectorInput, inspector_ui};
use crate::ui::menus::{MenuBar, StatusBar, menu_bar_ui, status_bar_ui};
use crate::ui::palette::palette_ui;
use crate::ui::plan::{PlanView, plan_ui};
use crate::view::theme::Theme;

const RECENT_KEY: &str = "waymark.recent_files";
const PANELS_KEY: &str = "waymark.panels";
const AUTHOR_KEY: &str = "waymark.author";

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

/// Which panels are open; remembered between runs.
#[derive(Clone, Copy, Debug, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub(super) struct Panels {
    pub(super) palette: bool,
    pub(super) inspector: bool,
    pub(super) plan: bool,
    pub(super) health: bool,
}

impl Default for Panels {
    fn default() -> Self {
        Self {
            palette: true,
            inspector: true,
            plan: false,
            health: false,
        }
    }
}

/// The palette's width (points); its buttons fit it.
pub const PALETTE_WIDTH: f32 = 124.0;

/// The inspector's width (points) until the user drags its edge: narrow
/// windows (a 1366-wide laptop) leave the map more room. Its content
/// wraps to the width, so what is selected never changes it.
pub fn inspector_default_width(window_width: f32) -> f32 {
    if window_width < 1500.0 { 250.0 } else { 290.0 }
}

/// Where closing the window stands.
#[derive(Debug, Default)]
pub(super) struct Closing {
    /// The revision at which the user chose to quit, having saved or
    /// discarded their changes: an edit since (made while waiting for an
    /// export, say) asks again.
    pub(super) allowed_at: Option<u64>,
    /// The window is to close once the running export has finished.
    pub(super) after_export: bool,
}

/// The Waymark editor.
pub struct WaymarkApp {
    /// The open document: journey, file, history, unsaved changes.
    pub doc: Document,
    /// Pan, zoom, selection.
    pub view: ViewState,
    pub(super) theme: Theme,
    /// What widgets asked for this frame.
    pub(super) queue: Queue,
    pub(super) dialogs: Dialogs,
    pub(super) status: Option<Status>,
    pub(super) recent: Vec<PathBuf>,
    /// Cards copied or cut.
    pub(super) clipboard: Vec<Card>,
    pub(super) export: ExportUi,
    /// Whether the palette and the inspector are shown (a UI preference).
    pub(super) panels: Panels,
    pub(super) native_dialogs: bool,
    pub(super) closing: Closing,
    /// The Action plan panel's sort and filters.
    pub(super) plan_view: PlanView,
    /// Who signs revision notes (a UI preference, not in the map).
    pub(super) author: String,
    /// The date the app takes as today; `None` is the real one (tests fix it).
    pub today: Option<Date>,
    /// Workshop mode: reveal, spotlight, timer, voting, scoring.
    pub workshop: crate::ui::workshop::Workshop,
    shown_title: String,
}

impl WaymarkApp {
    /// Creates the app inside eframe.
    pub fn new(cc: &eframe::CreationContext<'_>, options: StartOptions) -> Self {
        cc.egui_ctx
            .set_fonts(crate::view::theme::font_definitions());
        cc.egui_ctx.set_theme(egui::Theme::Light);
        let mut app = Self::headless(options.no_native_dialogs);
        if let Some(storage) = cc.storage {
            app.recent = eframe::get_value(storage, RECENT_KEY).unwrap_or_default();
            app.panels = eframe::get_value(storage, PANELS_KEY).unwrap_or_default();
            app.author = eframe::get_value(storage, AUTHOR_KEY).unwrap_or_default();
        }
        if let Some(fs) = options.save_fs {
            app.doc.set_save_fs(fs);
        }
        if let Some(dir) = options.recovery_dir {
            match crate::io::recovery::Recovery::start(&dir) {
                Ok((recovery, recoverable)) => {
                    app.doc.set_recovery(recovery);
                    app.dialogs.recoverable = recoverable;
                }
                Err(err) => app.say(Status::error(format!(
                    "Autosave is off: cannot use {}: {err}",
                    dir.display()
                ))),
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
            doc: Document::new(Template::FourStage.build(DEFAULT_TITLE)),
            view: ViewState::default(),
            theme: Theme::default(),
            queue: Queue::default(),
            dialogs: Dialogs::default(),
            status: None,
            recent: Vec::new(),
            clipboard: Vec::new(),
            export: ExportUi::default(),
            panels: Panels::default(),
            native_dialogs: !no_native_dialogs,
            closing: Closing::default(),
            plan_view: PlanView::default(),
            author: String::new(),
            today: None,
            workshop: crate::ui::workshop::Workshop::default(),
            shown_title: String::new(),
        }
    }

    /// Snapshots of crashed sessions waiting for Restore or Discard.
    pub fn recoverable(&self) -> &[crate::io::recovery::Recoverable] {
        &self.dialogs.recoverable
    }

    /// This instance's autosave snapshot file, while one is on disk.
    pub fn recovery_snapshot(&self) -> Option<&Path> {
        self.doc.recovery_snapshot()
    }

    /// Whether the document has changes that are not saved.
    pub fn is_dirty(&self) -> bool {
        self.doc.is_dirty()
    }

    /// The status line's current message, if any.
    pub fn status(&self) -> Option<&str> {
        self.status.as_ref().map(|s| s.text.as_str())
    }

    /// Queue an action to run at the end of the frame.
    pub fn queue(&mut self, action: Action) {
        self.queue.actions.push(action);
    }

    /// Runs one action now.
    pub fn run_action(&mut self, ctx: &egui::Context, action: Action) {
        action.run(self, ctx);
    }

    /// Today in the user's time zone (or the date tests fixed).
    pub fn today(&self) -> Date {
        self.today.unwrap_or_else(crate::export::today)
    }

    /// Selects a card and pans the map so it is in view, as a click on a
    /// row of the Action plan does.
    pub fn select_and_reveal(&mut self, card: CardId) {
        self.view.select(crate::edit::Item::Card(card));
        let layout = self
            .view
            .layout(&self.doc.journey, self.doc.revision(), &self.theme);
        let Some(found) = layout.cards.iter().find(|c| c.id == card) else {
            return;
        };
        let on_screen = self.view.map_to_screen() * found.rect;
        let canvas = self.view.screen_rect;
        if canvas.is_positive() && !canvas.contains_rect(on_screen) {
            self.view.offset += canvas.center() - on_screen.center();
            self.view.fitted = false;
            self.view.fit_pending = false;
        }
    }

    /// Puts a message in the status bar.
    pub(super) fn say(&mut self, status: Status) {
        self.status = Some(status);
    }

    /// Runs a command, if there is one (see [`WaymarkApp::run_command`]).
    pub(super) fn command(&mut self, command: Option<Command>) {
        if let Some(command) = command {
            self.run_command(command);
        }
    }

    /// Applies a command's edit as one undo step and selects what it says.
    /// Returns whether it applied.
    pub(super) fn run_command(&mut self, command: Command) -> bool {
        let Command { edit, select } = command;
        match self.doc.apply(edit) {
            Ok(()) => {
                if let Some(selection) = select {
                    self.view.selection = selection;
                }
                true
            }
            Err(err) => {
                self.say(Status::error(format!("Could not apply the change: {err}")));
                false
            }
        }
    }

    /// Forgets the selection and the layout after the journey was replaced,
    /// and fits the new one.
    pub(super) fn reset_view(&mut self) {
        self.view.selection.clear();
        self.view.editing = None;
        self.view.diff = None;
        self.view.invalidate();
        self.view.fit(crate::ui::canvas::FitTarget::Map);
        self.view.forget_saved_view();
    }

    /// After the document was reloaded from its file: the selection goes,
    /// the zoom stays.
    pub(super) fn reloaded(&mut self, status: Status) {
        let zoom = (self.view.zoom, self.view.fit_pending, self.view.fit_target);
        self.reset_view();
        (self.view.zoom, self.view.fit_pending, self.view.fit_target) = zoom;
        self.say(status);
    }

    /// Whether a modal dialog has the user's attention: shortcuts wait, and
    /// so does reacting to the file changing on disk.
    fn modal_open(&self) -> bool {
        self.dialogs.modal_open() || self.export.is_open()
    }

    // ---- frame ------------------------------------------------------------

    fn frame(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        self.view.today = self.today();
        self.handle_close_request(&ctx);
        self.handle_dropped_files(&ctx);
        crate::ui::workshop::begin_frame(self, &ctx);
        if !self.modal_open() {
            self.queue.actions.extend(actions::pressed(&ctx));
        }
        if self.view.presenting.is_none() {
            self.bars_ui(ui);
            self.side_panels_ui(ui);
            self.compare_bar_ui(ui);
        } else {
            crate::ui::workshop::panels_ui(self, ui);
        }
        egui::CentralPanel::no_frame().show(ui, |ui| {
            let canvas = Canvas {
                journey: &self.doc.journey,
                revision: self.doc.revision(),
                theme: &self.theme,
            };
            for output in canvas.show(ui, &mut self.view) {
                match output {
                    CanvasOutput::Edit(edit) => self.queue.edits.push((edit, None)),
                    CanvasOutput::Action(action) => self.queue.actions.push(action),
                }
            }
        });
        crate::ui::workshop::after_canvas(self, &ctx);
        self.dialogs(&ctx);
        self.export_dialog(&ctx);
        self.run_pending(&ctx);
        self.tick(&ctx);
    }

    /// The menu bar on top and the status bar at the bottom.
    fn bars_ui(&mut self, ui: &mut Ui) {
        let history = self.doc.history();
        let bar = MenuBar {
            recent: &self.recent,
            enabled: Enabled {
                can_undo: history.can_undo(),
                can_redo: history.can_redo(),
                has_cards: !self.view.selected_cards().is_empty(),
                has_selection: !self.view.selection.is_empty(),
                can_paste: !self.clipboard.is_empty(),
            },
            palette: self.panels.palette,
            inspector: self.panels.inspector,
            plan: self.panels.plan,
            goals: !self.doc.journey.hide_goals,
        };
        let actions = &mut self.queue.actions;
        egui::Panel::top("menu").show(ui, |ui| menu_bar_ui(ui, &bar, actions));
        let bar = StatusBar {
            zoom: self.view.zoom,
            journey: &self.doc.journey,
            pen: self.view.tool == Tool::Pen,
            export: &self.export,
            status: self.status.as_ref(),
        };
        egui::Panel::bottom("status").show(ui, |ui| status_bar_ui(ui, &bar));
    }

    /// The palette on the left, the inspector on the right and the Action
    /// plan along the bottom between them, when shown.
    fn side_panels_ui(&mut self, ui: &mut Ui) {
        let today = self.view.today;
        // Both panels scroll their content in both directions within
        // their width instead of growing to fit it, so selecting an item
        // with a wide field cannot widen a panel and move the map.
        if self.panels.palette {
            egui::Panel::left("palette")
                .resizable(false)
                .exact_size(PALETTE_WIDTH)
                .show(ui, |ui| {
                    egui::ScrollArea::both().auto_shrink(false).show(ui, |ui| {
                        palette_ui(ui, &mut self.view.tool, &mut self.queue.actions);
                    });
                });
        }
        if self.panels.inspector {
            let primary = self.view.primary();
            egui::Panel::right("inspector")
                .default_size(inspector_default_width(ui.available_width()))
                .min_size(220.0)
                .show(ui, |ui| {
                    egui::ScrollArea::both().auto_shrink(false).show(ui, |ui| {
                        let input = InspectorInput {
                            journey: &self.doc.journey,
                            primary,
                            theme: &self.theme,
                            today,
                            author: &self.author,
                        };
                        inspector_ui(ui, &input, &mut self.queue);
                    });
                });
        }
        // After the side panels, so the inspector keeps the window's full
        // height for editing the item a row selects.
        if self.panels.plan {
            self.plan_panel_ui(ui, today);
        }
        self.health_panel_ui(ui);
    }

    /// The Action plan; a row clicked selects its card and shows it.
    fn plan_panel_ui(&mut self, ui: &mut Ui, today: Date) {
        let selected = match self.view.primary() {
            Some(crate::edit::Item::Card(id)) => Some(id),
            _ => None,
        };
        let clicked = egui::Panel::bottom("action-plan")
            .resizable(true)
            .default_size(240.0)
            .min_size(120.0)
            .show(ui, |ui| {
                plan_ui(ui, &self.doc.journey, today, &mut self.plan_view, selected)
            })
            .inner;
        if let Some(card) = clicked {
            self.select_and_reveal(card);
        }
    }

    /// Shows the export dialog and acts on what it, or a finished export,
    /// has to say.
    fn export_dialog(&mut self, ctx: &egui::Context) {
        match self
            .export
            .show(ctx, &self.doc.journey, self.native_dialogs)
        {
            Some(ExportEvent::Done(message) | ExportEvent::Cancelled(message)) => {
                self.say(Status::info(message));
                if std::mem::take(&mut self.closing.after_export) {
                    // Asks again, as any close does (unsaved changes).
                    ctx.send_viewport_cmd(ViewportCommand::Close);
                }
            }
            Some(ExportEvent::Choose { start, format }) => {
                self.choose_export_file(&start, format);
            }
            Some(ExportEvent::Failed(message)) => {
                // The window stays open, so that the user learns the
                // image was not written.
                self.closing.after_export = false;
                self.dialogs.notice = Some(Notice {
                    title: "Could not export the image".into(),
                    message: message.clone(),
                    offer_save_as: false,
                });
                self.say(Status::error(message));
            }
            None => {}
        }
    }

    /// Runs the edits and actions collected during the frame.
    fn run_pending(&mut self, ctx: &egui::Context) {
        let queue = std::mem::take(&mut self.queue);
        for (edit, gesture) in queue.edits {
            let result = match gesture {
                Some(key) => self.doc.apply_in_gesture(edit, key),
                None => self.doc.apply(edit),
            };
            if let Err(err) = result {
                self.say(Status::error(format!("Could not apply the change: {err}")));
            }
        }
        if queue.end_gesture {
            self.doc.end_gesture();
        }
        for action in queue.actions {
            action.run(self, ctx);
        }
        self.view.prune_selection(&self.doc.journey);
    }

    /// Once a frame: autosave, watch the file on disk, keep the title.
    fn tick(&mut self, ctx: &egui::Context) {
        let now = ctx.input(|i| i.time);
        match self.doc.autosave(now) {
            AutosaveStep::Idle => {}
            AutosaveStep::Due(seconds) => {
                ctx.request_repaint_after(Duration::from_secs_f64(seconds));
            }
            AutosaveStep::Failed(status) => self.say(status),
        }
        if let Some(event) = self.doc.poll_disk(now, self.modal_open()) {
            // egui only repaints on input; keep polling while a file is open.
            ctx.request_repaint_after(Duration::from_secs_f64(DISK_POLL_INTERVAL));
            match event {
                DiskEvent::Nothing => {}
                DiskEvent::Reloaded(status) => self.reloaded(status),
                DiskEvent::Unreadable(status) => self.say(status),
                DiskEvent::Conflict => {
                    self.dialogs.external = Some(ExternalChange::Editing);
                }
            }
        }
        let title = self.doc.window_title();
        if title != self.shown_title {
            ctx.send_viewport_cmd(ViewportCommand::Title(title.clone()));
            self.shown_title = title;
        }
    }

    /// The window's close button (or Quit): waits for a running export,
    /// and asks about unsaved changes.
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
            if self.closing.after_export {
                self.export.cancel();
            } else {
                self.closing.after_export = true;
                // An SVG export cannot be stopped (it takes under a second).
                let again = if self.export.can_cancel() {
                    " (close again to cancel the export and close now)"
                } else {
                    ""
                };
                self.say(Status::info(format!(
                    "Closing once {} is written{again}",
                    path.display()
                )));
            }
            return;
        }
        if self.closing.allowed_at != Some(self.doc.revision()) && self.doc.is_dirty() {
            ctx.send_viewport_cmd(ViewportCommand::CancelClose);
            self.dialogs.confirm = Some(AfterConfirm::Quit);
        }
    }

    /// A file dropped on the window from the desktop is opened.
    fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Option<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .find(|p| !p.as_os_str().is_empty())
        });
        if let Some(path) = dropped {
            self.queue.actions.push(Action::OpenPath(path));
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
        eframe::set_value(storage, AUTHOR_KEY, &self.author);
    }
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
    use crate::edit::Item;

    #[test]
    fn a_new_map_is_fitted_whole_even_after_a_stage_zoom_or_in_presentation() {
        use crate::ui::canvas::FitTarget;
        let mut app = WaymarkApp::headless(true);
        let stage = app.doc.journey.stages[0].id;
        app.view.fit(FitTarget::Stage(stage));
        app.view.start_presenting(0.0);
        app.view.fit(FitTarget::Stage(stage));
        app.reset_view();
        assert_eq!(app.view.fit_target, FitTarget::Map);
        assert!(app.view.fit_pending);
        app.view.fit_pending = false;
        app.view.stop_presenting();
        assert_eq!(
            app.view.fit_target,
            FitTarget::Map,
            "not the old map's stage"
        );
        assert!(app.view.fitted, "fits again once the canvas has its size");
    }

    #[test]
    fn a_command_selects_what_it_made_and_a_failed_one_says_so() {
        let mut app = WaymarkApp::headless(true);
        let journey = &app.doc.journey;
        let command = crate::edit::commands::add_stage(journey, &[]);
        app.command(Some(command));
        let Some(Item::Stage(id)) = app.view.primary() else {
            panic!("the new stage is selected");
        };
        assert!(app.doc.journey.stage(id).is_some());
        assert!(app.is_dirty());
        let stale = Command {
            edit: crate::edit::Edit::RemoveStage(crate::model::StageId(999_999)),
            select: Some(Vec::new()),
        };
        app.command(Some(stale));
        assert!(app.status().unwrap().starts_with("Could not apply"));
        assert_eq!(app.view.primary(), Some(Item::Stage(id)), "selection kept");
    }
}
