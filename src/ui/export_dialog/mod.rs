//! The Export dialog and the background export job it starts, so the editor
//! stays responsive while a large map renders.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use egui::{Id, RichText, Ui};

use crate::export::{self, Background, ExportError, ExportOptions, Format, SlideSize, Target};
use crate::model::Journey;

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
        /// The format chosen, for the chooser's filter.
        format: Format,
    },
}

#[derive(Debug)]
struct Dialog {
    options: ExportOptions,
    format: Format,
    path: String,
    /// The size line for the options it was computed for: a layout of the
    /// whole map is not needed every frame the dialog is open.
    size: Option<(ExportOptions, SizeLine)>,
}

impl Dialog {
    /// The file the export writes: the path typed, with the format's
    /// extension.
    fn target(&self) -> PathBuf {
        with_extension(PathBuf::from(self.path.trim()), self.format)
    }

    /// The files the export writes: the target, or numbered ones beside it
    /// when a slide export makes several images.
    fn targets(&self) -> Vec<PathBuf> {
        let target = self.target();
        match self.size.as_ref().map(|(_, size)| size) {
            Some(Ok(size)) if size.count > 1 => (1..=size.count)
                .map(|index| export::numbered(&target, index))
                .collect(),
            _ => vec![target],
        }
    }
}

/// The image size and how many images, or why there can be no image.
type SizeLine = Result<Images, String>;

/// What an export will write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Images {
    /// Each image's size in pixels.
    width: u32,
    /// Each image's height in pixels.
    height: u32,
    /// How many images: more than one when a slide export splits the map.
    count: usize,
}

#[derive(Debug)]
struct Job {
    path: PathBuf,
    /// Thousandths done.
    progress: Arc<AtomicU32>,
    /// Set to stop the export after the band it is writing; `None` for an
    /// SVG export, which cannot be stopped (it takes well under a second).
    cancel: Option<Arc<AtomicBool>>,
    handle: JoinHandle<Result<Vec<export::Written>, ExportError>>,
}

/// What the dialog remembers between exports.
#[derive(Clone, Copy, Debug)]
struct Remembered {
    options: ExportOptions,
    format: Format,
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
        let format = self.last.map_or(Format::Png, |last| last.format);
        let path = map_path.map_or_else(
            || format!("{}.{}", crate::ui::files::slug(title), format.extension()),
            |p| p.with_file_name(format.image_name(p)).display().to_string(),
        );
        let mut options = self
            .last
            .map_or_else(ExportOptions::for_images, |last| last.options);
        // The header's date is the day of the export, not of the last one.
        options.date = Some(export::today());
        self.dialog = Some(Dialog {
            options,
            format,
            path,
            size: None,
        });
    }

    /// Whether the dialog is open.
    pub fn is_open(&self) -> bool {
        self.dialog.is_some()
    }

    /// Whether a running export can be cancelled: a PNG export stops after
    /// the band it is writing (an SVG export takes well under a second).
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

    /// Puts `path` (with the chosen format's extension) in the open dialog's
    /// "Save to" field.
    pub fn set_path(&mut self, path: &Path) {
        if let Some(dialog) = &mut self.dialog {
            dialog.path = with_extension(path.to_path_buf(), dialog.format)
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
                ui.heading("Export image");
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
                let (options, format) = (dialog.options, dialog.format);
                let path = dialog.target();
                self.last = Some(Remembered { options, format });
                self.dialog = None;
                self.start(journey.clone(), options, format, path);
            } else if close {
                self.dialog = None;
            } else if choose {
                return Some(ExportEvent::Choose {
                    start: PathBuf::from(dialog.path.trim()),
                    format: dialog.format,
                });
            }
        }
        self.poll(ctx)
    }

    fn start(&mut self, journey: Journey, options: ExportOptions, format: Format, path: PathBuf) {
        let progress = Arc::new(AtomicU32::new(0));
        let cancel = (format == Format::Png).then(|| Arc::new(AtomicBool::new(false)));
        let (shared, stop) = (Arc::clone(&progress), cancel.clone().unwrap_or_default());
        let target = path.clone();
        let handle = std::thread::spawn(move || {
            export::save_images(&journey, &options, format, &target, |fraction| {
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
            Ok(Ok(written)) => ExportEvent::Done(done_message(&job.path, &written)),
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

/// What the dialog's options asked for.
struct Body {
    /// "Choose…" was clicked.
    choose: bool,
    /// The path cannot be written: a folder, or in a folder that does not
    /// exist.
    unwritable: bool,
}

/// What the user should know, before exporting, about the path they
/// typed (`typed`, which the export gives the format's extension: `path`;
/// a split slide export writes the numbered `files` beside it): it cannot
/// be written (`Err`), or it replaces files (`Ok`).
fn path_note(typed: &Path, path: &Path, files: &[PathBuf]) -> Option<Result<String, String>> {
    if typed.as_os_str().is_empty() {
        return Some(Err("Type where to save the image".into()));
    }
    // A folder would get the extension as a hidden file name inside it
    // (`decks/` -> `decks/.png`): not what anyone means.
    if typed.is_dir() || path.is_dir() {
        return Some(Err(format!(
            "{} is a folder: add a file name",
            typed.display()
        )));
    }
    let folder = crate::io::folder_of(path);
    if !folder.is_dir() {
        return Some(Err(format!("There is no folder {}", folder.display())));
    }
    let replaced: Vec<String> = (files.iter())
        .filter(|file| file.is_file())
        .map(|file| {
            file.file_name().map_or_else(
                || file.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
        })
        .collect();
    match replaced.as_slice() {
        [] => None,
        [name] => Some(Ok(format!("Replaces the existing {name}"))),
        [first, .., last] => Some(Ok(format!(
            "Replaces the existing {first} to {last} ({} files)",
            replaced.len()
        ))),
    }
}

/// The dialog's options.
fn dialog_body(ui: &mut Ui, dialog: &mut Dialog, journey: &Journey, can_choose: bool) -> Body {
    egui::Grid::new("export-options")
        .num_columns(2)
        .spacing([12.0, 8.0])
        .show(ui, |ui| {
            picture_rows_ui(ui, dialog);
            size_row_ui(ui, dialog, journey);
            path_rows_ui(ui, dialog, can_choose)
        })
        .inner
}

/// Format, what to include, scale, background and margin.
fn picture_rows_ui(ui: &mut Ui, dialog: &mut Dialog) {
    ui.label("Format");
    ui.horizontal(|ui| {
        for (value, name) in [(Format::Png, "PNG image"), (Format::Svg, "SVG (vector)")] {
            if ui.radio_value(&mut dialog.format, value, name).changed() {
                dialog.path = with_extension(PathBuf::from(dialog.path.trim()), value)
                    .display()
                    .to_string();
            }
        }
    });
    ui.end_row();

    ui.label("Include");
    ui.horizontal(|ui| {
        ui.checkbox(&mut dialog.options.header, "Header")
            .on_hover_text("Title, personas and today's date above the map");
        ui.checkbox(&mut dialog.options.legend, "Legend")
            .on_hover_text("Channels, pain severity and the emotion scale below the map");
    });
    ui.end_row();

    ui.label("Fit to");
    ui.horizontal(|ui| {
        let targets = [
            (Target::Natural, "Natural size"),
            (Target::Slide(SlideSize::Hd), "Slide 1920×1080"),
            (Target::Slide(SlideSize::Uhd), "Slide 3840×2160"),
        ];
        for (value, name) in targets {
            let hint = match value {
                Target::Natural => "The whole map at the chosen scale",
                Target::Slide(_) => {
                    "16:9, the map fitted to the slide; a map too wide to read on one \
                     slide is split by stage into numbered images"
                }
            };
            ui.radio_value(&mut dialog.options.target, value, name)
                .on_hover_text(hint);
        }
    });
    ui.end_row();

    let label = ui.label("Scale");
    let natural = dialog.options.target == Target::Natural;
    ui.add_enabled_ui(natural, |ui| scale_ui(ui, dialog, label.id));
    ui.end_row();

    ui.label("Background");
    ui.horizontal(|ui| {
        for (value, name) in [
            (Background::White, "White"),
            (Background::Transparent, "Transparent"),
            (Background::Theme, "Map colour"),
        ] {
            ui.radio_value(&mut dialog.options.background, value, name);
        }
    });
    ui.end_row();

    let label = ui.label("Margin");
    ui.add(egui::DragValue::new(&mut dialog.options.margin).range(crate::export::MARGINS))
        .labelled_by(label.id);
    ui.end_row();
}

/// The scale buttons and a field for any other scale (a slide's scale is
/// what fits it).
fn scale_ui(ui: &mut Ui, dialog: &mut Dialog, label: Id) {
    ui.horizontal(|ui| {
        for scale in [1.0f32, 2.0, 3.0, 4.0] {
            let selected = (dialog.options.scale - scale).abs() < f32::EPSILON;
            if ui.selectable_label(selected, format!("{scale}x")).clicked() {
                dialog.options.scale = scale;
            }
        }
        ui.add(
            egui::DragValue::new(&mut dialog.options.scale)
                .range(crate::export::SCALES)
                .speed(0.05)
                .suffix("x"),
        )
        .labelled_by(label);
    });
}

/// The image's size, worked out again only when the options change.
fn size_row_ui(ui: &mut Ui, dialog: &mut Dialog, journey: &Journey) {
    ui.label("Size");
    let stale = dialog
        .size
        .as_ref()
        .is_none_or(|(options, _)| *options != dialog.options);
    if stale {
        dialog.size = Some((dialog.options, images(journey, &dialog.options)));
    }
    let vector = dialog.format == Format::Svg;
    match dialog.size.as_ref().map(|(_, size)| size) {
        Some(Ok(size)) if size.count > 1 => ui.label(size_line(size, vector)).on_hover_text(
            "The whole map on one slide would make card titles too small to read: \
             it is split by stage, each slide as wide as still reads",
        ),
        Some(Ok(size)) => ui.label(size_line(size, vector)),
        Some(Err(err)) => ui.label(RichText::new(err).color(ui.visuals().error_fg_color)),
        None => ui.label(""),
    };
    ui.end_row();
}

/// What the export with `options` will write, or why it cannot.
fn images(journey: &Journey, options: &ExportOptions) -> SizeLine {
    let (width, height) = export::image_size(journey, options).map_err(|e| e.to_string())?;
    let count = match options.target {
        Target::Natural => 1,
        Target::Slide(_) => export::slides(journey, options).len(),
    };
    Ok(Images {
        width,
        height,
        count,
    })
}

/// The size line: "1920 × 1080 pixels", and how many slides a split makes.
fn size_line(size: &Images, vector: bool) -> String {
    let Images {
        width,
        height,
        count,
    } = *size;
    let each = if vector {
        format!("{width} × {height} (vector: sharp at any size)")
    } else {
        format!("{width} × {height} pixels")
    };
    if count > 1 {
        format!("{count} slides of {each}")
    } else {
        each
    }
}

/// Where the image goes (typed, or chosen), and what to know about it.
fn path_rows_ui(ui: &mut Ui, dialog: &mut Dialog, can_choose: bool) -> Body {
    let mut choose = false;
    let label = ui.label("Save to");
    ui.horizontal(|ui| {
        let width = if can_choose { 200.0 } else { 280.0 };
        ui.add(egui::TextEdit::singleline(&mut dialog.path).desired_width(width))
            .labelled_by(label.id);
        if can_choose {
            choose = ui
                .button("Choose…")
                .on_hover_text("Pick the folder and file name")
                .clicked();
        }
    });
    ui.end_row();

    // Checked every frame the dialog is shown (a few file-system
    // lookups), so that it is right after the file appears or goes.
    // The row is there even when empty: the modal is centred, and a
    // row coming and going as the path is typed would move Export.
    let mut unwritable = false;
    let typed = Path::new(dialog.path.trim());
    let note = match path_note(typed, &dialog.target(), &dialog.targets()) {
        Some(Err(problem)) => {
            unwritable = true;
            RichText::new(problem).color(ui.visuals().error_fg_color)
        }
        Some(Ok(note)) => RichText::new(note).color(ui.visuals().warn_fg_color),
        None => RichText::new(""),
    };
    ui.label("");
    ui.label(note);
    ui.end_row();
    Body { choose, unwritable }
}

/// The path with the format's extension: an image extension is replaced,
/// anything else (`map.v2`) is kept and the extension added.
fn with_extension(path: PathBuf, format: Format) -> PathBuf {
    if Format::of(&path).is_some() {
        path.with_extension(format.extension())
    } else {
        let mut s = path.into_os_string();
        s.push(".");
        s.push(format.extension());
        PathBuf::from(s)
    }
}

/// Renders the map at `scale` for the clipboard.
pub fn clipboard_image(journey: &Journey, scale: f32) -> Result<egui::ColorImage, ExportError> {
    let options = ExportOptions {
        scale,
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
