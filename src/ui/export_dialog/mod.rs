//! The Export dialog and the background export job it starts, so the editor
//! stays responsive while a large map renders. It writes PNG, SVG, PDF,
//! Mermaid and CSV ([`ExportKind`]); the file's extension follows the kind
//! chosen.

mod kind;
mod rows;

pub use kind::ExportKind;

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use egui::Id;

use crate::export::pdf::Page;
use crate::export::{self, ExportError, ExportOptions};
use crate::model::{Journey, SpreadKind};
use crate::view::states::StateView;
use rows::dialog_body;

/// What the dialog, or a finished export, has to say.
#[derive(Debug, PartialEq, Eq)]
pub enum ExportEvent {
    /// The image was written: a message for the status bar.
    Done(String),
    /// The export failed: a message for the user.
    Failed(String),
    /// The user cancelled the export and nothing was written: a message
    /// for the status bar.
    Cancelled(String),
    /// The user asked for the system's file chooser to pick where the image
    /// goes, starting from the path in the dialog; the answer comes back
    /// through [`ExportUi::set_path`].
    Choose {
        /// The path in the dialog.
        start: PathBuf,
        /// The kind chosen, for the chooser's filter.
        format: ExportKind,
    },
}

#[derive(Debug)]
struct Dialog {
    options: ExportOptions,
    kind: ExportKind,
    /// The page of a PDF.
    page: Page,
    path: String,
    /// The size line for the choices it was computed for: a layout of the
    /// whole map is not needed every frame the dialog is open.
    size: Option<(Choices, SizeLine)>,
}

/// What the size line depends on.
type Choices = (ExportOptions, ExportKind, Page);

impl Dialog {
    /// The file the export writes: the path typed, with the format's
    /// extension.
    fn target(&self) -> PathBuf {
        with_extension(PathBuf::from(self.path.trim()), self.kind)
    }

    /// The files the export writes: the target, or numbered ones beside it
    /// when a slide export makes several images.
    fn targets(&self) -> Vec<PathBuf> {
        let target = self.target();
        match self.size.as_ref().map(|(_, size)| size) {
            Some(Ok(size)) if size.files > 1 => (1..=size.files)
                .map(|index| export::numbered(&target, index))
                .collect(),
            _ => vec![target],
        }
    }
}

/// What the export will write, or why it cannot.
type SizeLine = Result<Plan, String>;

/// What an export will write.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Plan {
    /// The size line: "1920 × 1080 pixels", "12 tasks", ...
    line: String,
    /// Why the line says what it says, if that needs saying.
    hint: Option<&'static str>,
    /// How many files: more than one when a slide export splits the map.
    files: usize,
}

#[derive(Debug)]
struct Job {
    path: PathBuf,
    /// Thousandths done.
    progress: Arc<AtomicU32>,
    /// Set to stop the export after the band it is writing; `None` for
    /// the other kinds, which cannot be stopped (they take about a second).
    cancel: Option<Arc<AtomicBool>>,
    /// The status line when it is done.
    handle: JoinHandle<Result<String, ExportError>>,
}

/// What the dialog remembers between exports.
#[derive(Clone, Copy, Debug)]
struct Remembered {
    options: ExportOptions,
    kind: ExportKind,
    page: Page,
}

/// The export dialog and at most one running export.
#[derive(Debug, Default)]
pub struct ExportUi {
    dialog: Option<Dialog>,
    job: Option<Job>,
    last: Option<Remembered>,
}

impl ExportUi {
    /// Opens the dialog, suggesting a file next to the map.
    pub fn open(&mut self, map_path: Option<&Path>, title: &str) {
        let kind = self.last.map_or(ExportKind::Png, |last| last.kind);
        let page = self.last.map_or(Page::Fit, |last| last.page);
        let path = map_path.map_or_else(
            || format!("{}.{}", crate::ui::files::slug(title), kind.extension()),
            |p| p.with_file_name(kind.file_name(p)).display().to_string(),
        );
        let mut options = self
            .last
            .map_or_else(ExportOptions::for_images, |last| last.options);
        // The header's date is the day of the export, not of the last one.
        options.date = Some(export::today());
        self.dialog = Some(Dialog {
            options,
            kind,
            page,
            path,
            size: None,
        });
    }

    /// Draws the export in the state the canvas shows (current, future or
    /// compare) with its score bands, so the picture is what the user sees;
    /// the dialog's State row can change it.
    pub fn follow_view(&mut self, state: StateView, spread: SpreadKind) {
        if let Some(dialog) = &mut self.dialog {
            dialog.options.state = state;
            dialog.options.spread = spread;
        }
    }

    /// Whether the dialog is open.
    pub fn is_open(&self) -> bool {
        self.dialog.is_some()
    }

    /// Whether a running export can be cancelled: a PNG export stops after
    /// the band it is writing (the others take about a second).
    pub fn can_cancel(&self) -> bool {
        self.job
            .as_ref()
            .and_then(|job| job.cancel.as_ref())
            .is_some_and(|cancel| !cancel.load(Ordering::Relaxed))
    }

    /// Stops the running PNG export; nothing is written.
    pub fn cancel(&self) {
        if let Some(cancel) = self.job.as_ref().and_then(|job| job.cancel.as_ref()) {
            cancel.store(true, Ordering::Relaxed);
        }
    }

    /// The file the running export writes, if one is running.
    pub fn running(&self) -> Option<&Path> {
        self.job.as_ref().map(|job| job.path.as_path())
    }

    /// Fraction done of the running export, if one is running.
    pub fn progress(&self) -> Option<f32> {
        self.job
            .as_ref()
            .map(|job| job.progress.load(Ordering::Relaxed) as f32 / 1000.0)
    }

    /// Puts `path` (with the chosen kind's extension) in the open dialog's
    /// "Save to" field.
    pub fn set_path(&mut self, path: &Path) {
        if let Some(dialog) = &mut self.dialog {
            dialog.path = with_extension(path.to_path_buf(), dialog.kind)
                .display()
                .to_string();
        }
    }

    /// Shows the dialog (if open) and checks on the running export.
    /// `can_choose` offers a button for the system's file chooser (where
    /// there is one).
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        journey: &Journey,
        can_choose: bool,
    ) -> Option<ExportEvent> {
        if let Some(dialog) = &mut self.dialog {
            let mut start = false;
            let mut close = false;
            let mut choose = false;
            let response = egui::Modal::new(Id::unique("export-dialog")).show(ctx, |ui| {
                ui.set_width(420.0);
                ui.heading("Export map");
                let body = dialog_body(ui, dialog, journey, can_choose);
                choose = body.choose;
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    let busy = self.job.is_some();
                    let ready = !busy && !body.unwritable;
                    if ui.add_enabled(ready, egui::Button::new("Export")).clicked() {
                        start = true;
                    }
                    if ui.button("Cancel").clicked() {
                        close = true;
                    }
                });
            });
            if response.should_close() {
                close = true;
            }
            if start {
                let (options, kind, page) = (dialog.options, dialog.kind, dialog.page);
                let path = dialog.target();
                self.last = Some(Remembered {
                    options,
                    kind,
                    page,
                });
                self.dialog = None;
                self.start(journey.clone(), options, (kind, page), path);
            } else if close {
                self.dialog = None;
            } else if choose {
                return Some(ExportEvent::Choose {
                    start: PathBuf::from(dialog.path.trim()),
                    format: dialog.kind,
                });
            }
        }
        self.poll(ctx)
    }

    /// Starts writing `path` on a thread of its own.
    fn start(
        &mut self,
        journey: Journey,
        options: ExportOptions,
        (kind, page): (ExportKind, Page),
        path: PathBuf,
    ) {
        let progress = Arc::new(AtomicU32::new(0));
        let cancel = (kind == ExportKind::Png).then(|| Arc::new(AtomicBool::new(false)));
        let (shared, stop) = (Arc::clone(&progress), cancel.clone().unwrap_or_default());
        let target = path.clone();
        let handle = std::thread::spawn(move || {
            write_export(&journey, &options, (kind, page), &target, |fraction| {
                shared.store((fraction * 1000.0) as u32, Ordering::Relaxed);
                if stop.load(Ordering::Relaxed) {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            })
        });
        self.job = Some(Job {
            path,
            progress,
            cancel,
            handle,
        });
    }

    fn poll(&mut self, ctx: &egui::Context) -> Option<ExportEvent> {
        let finished = self.job.as_ref()?.handle.is_finished();
        if !finished {
            ctx.request_repaint_after(Duration::from_millis(100));
            return None;
        }
        let job = self.job.take()?;
        Some(match job.handle.join() {
            Ok(Ok(message)) => ExportEvent::Done(message),
            Ok(Err(ExportError::Stopped))
                if job
                    .cancel
                    .as_ref()
                    .is_some_and(|c| c.load(Ordering::Relaxed)) =>
            {
                ExportEvent::Cancelled(format!(
                    "Export cancelled: {} was not written",
                    job.path.display()
                ))
            }
            Ok(Err(err)) => ExportEvent::Failed(err.to_string()),
            Err(_) => ExportEvent::Failed(format!(
                "{}: the export stopped unexpectedly; the map is unchanged",
                job.path.display()
            )),
        })
    }
}

/// Writes the export (on the job's thread); the status line when done.
fn write_export(
    journey: &Journey,
    options: &ExportOptions,
    (kind, page): (ExportKind, Page),
    target: &Path,
    progress: impl FnMut(f32) -> ControlFlow<()> + Send,
) -> Result<String, ExportError> {
    match kind {
        ExportKind::Png | ExportKind::Svg => {
            let format = kind.image().unwrap_or(export::Format::Png);
            let written = export::save_images(journey, options, format, target, progress)?;
            Ok(done_message(target, &written))
        }
        ExportKind::Pdf => {
            let size = export::pdf::save_pdf(journey, options, page, target)?;
            Ok(format!(
                "Exported {} ({:.0} × {:.0} points, {})",
                target.display(),
                size.x,
                size.y,
                page.label()
            ))
        }
        ExportKind::Mermaid => {
            let text = crate::interop::mermaid::export(journey);
            write_text(target, &text)?;
            let tasks = crate::ui::count(journey.step_count(), "task", "tasks");
            Ok(format!("Exported {} ({tasks})", target.display()))
        }
        ExportKind::Csv => {
            write_text(target, &crate::interop::csv::write_map(journey))?;
            Ok(format!(
                "Exported {} ({})",
                target.display(),
                rows_of(journey)
            ))
        }
    }
}

/// What a CSV export holds, in words.
fn rows_of(journey: &Journey) -> String {
    format!(
        "{}, {}",
        crate::ui::count(journey.cards.len(), "card", "cards"),
        crate::ui::count(journey.pain_points.len(), "pain point", "pain points")
    )
}

/// Writes a text export atomically, its error in an export's words.
fn write_text(target: &Path, text: &str) -> Result<(), ExportError> {
    crate::io::write_atomic(target, text.as_bytes()).map_err(|e| ExportError::Io {
        path: Some(e.path.clone()),
        source: std::io::Error::new(e.source.kind(), e.reason()),
    })
}

/// The status line after an export: the file and its size, or for several
/// slides the first and last file.
fn done_message(path: &Path, written: &[export::Written]) -> String {
    match written {
        [(file, (w, h))] => format!("Exported {} ({w}x{h})", file.display()),
        [(first, (w, h)), .., (last, _)] => format!(
            "Exported {} slides, {} to {} ({w}x{h} each)",
            written.len(),
            first.display(),
            last.file_name().map_or_else(
                || last.display().to_string(),
                |name| name.to_string_lossy().into_owned()
            ),
        ),
        [] => format!("Exported nothing to {}", path.display()),
    }
}

/// The path with the kind's extension: the extension of a kind the dialog
/// writes is replaced, anything else (`map.v2`) is kept and the extension
/// added.
fn with_extension(path: PathBuf, kind: ExportKind) -> PathBuf {
    if ExportKind::of(&path).is_some() {
        path.with_extension(kind.extension())
    } else {
        let mut s = path.into_os_string();
        s.push(".");
        s.push(kind.extension());
        PathBuf::from(s)
    }
}

/// Renders the map at `scale` for the clipboard, in the state the canvas
/// shows.
pub fn clipboard_image(
    journey: &Journey,
    scale: f32,
    (state, spread): (StateView, SpreadKind),
) -> Result<egui::ColorImage, ExportError> {
    let options = ExportOptions {
        scale,
        state,
        spread,
        ..ExportOptions::default()
    };
    let pixmap = export::render(journey, &options)?;
    Ok(egui::ColorImage::from_rgba_premultiplied(
        [pixmap.width as usize, pixmap.height as usize],
        pixmap.data(),
    ))
}

#[cfg(test)]
mod tests;
