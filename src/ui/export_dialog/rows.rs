//! The Export dialog's rows: the kind of file, what the picture holds, its
//! size, and where it goes. Rows a kind has no use for stay in place,
//! greyed out, so the dialog does not jump as the kind changes.

use std::path::{Path, PathBuf};

use egui::{Id, RichText, Ui};

use super::{Dialog, ExportKind, Plan, SizeLine, with_extension};
use crate::export::pdf::Page;
use crate::export::{self, Background, ExportOptions, SlideSize, Target};
use crate::model::Journey;
use crate::view::states::StateView;

/// What the dialog's options asked for.
pub(super) struct Body {
    /// "Choose…" was clicked.
    pub(super) choose: bool,
    /// The path cannot be written: a folder, or in a folder that does not
    /// exist.
    pub(super) unwritable: bool,
}

/// What the user should know, before exporting, about the path they
/// typed (`typed`, which the export gives the format's extension: `path`;
/// a split slide export writes the numbered `files` beside it): it cannot
/// be written (`Err`), or it replaces files (`Ok`).
pub(super) fn path_note(
    typed: &Path,
    path: &Path,
    files: &[PathBuf],
) -> Option<Result<String, String>> {
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
pub(super) fn dialog_body(
    ui: &mut Ui,
    dialog: &mut Dialog,
    journey: &Journey,
    can_choose: bool,
) -> Body {
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

/// Format, what to include, fit or page, scale, background and margin.
fn picture_rows_ui(ui: &mut Ui, dialog: &mut Dialog) {
    ui.label("Format");
    ui.horizontal(|ui| {
        for kind in ExportKind::ALL {
            let radio = ui.radio_value(&mut dialog.kind, kind, kind.label());
            if radio.on_hover_text(kind.hint()).changed() {
                dialog.path = with_extension(PathBuf::from(dialog.path.trim()), kind)
                    .display()
                    .to_string();
            }
        }
    });
    ui.end_row();

    // A diagram or a table is text: none of the picture's options apply.
    let picture = !matches!(dialog.kind, ExportKind::Mermaid | ExportKind::Csv);
    ui.label("Include");
    ui.add_enabled_ui(picture, |ui| include_ui(ui, dialog));
    ui.end_row();

    if dialog.kind == ExportKind::Pdf {
        page_row_ui(ui, dialog);
    } else {
        ui.label("Fit to");
        ui.add_enabled_ui(picture, |ui| fit_ui(ui, dialog));
        ui.end_row();
    }

    ui.label("State");
    ui.add_enabled_ui(picture, |ui| state_ui(ui, dialog));
    ui.end_row();

    let label = ui.label("Scale");
    let scaled = dialog.options.target == Target::Natural && dialog.kind.image().is_some();
    ui.add_enabled_ui(scaled, |ui| scale_ui(ui, dialog, label.id));
    ui.end_row();

    ui.label("Background");
    ui.add_enabled_ui(picture, |ui| background_ui(ui, dialog));
    ui.end_row();

    let label = ui.label("Margin");
    ui.add_enabled_ui(picture, |ui| {
        ui.add(egui::DragValue::new(&mut dialog.options.margin).range(export::MARGINS))
            .labelled_by(label.id);
    });
    ui.end_row();
}

/// Which state of the journey the picture draws.
fn state_ui(ui: &mut Ui, dialog: &mut Dialog) {
    ui.horizontal(|ui| {
        for state in StateView::ALL {
            ui.radio_value(&mut dialog.options.state, state, state.short_label())
                .on_hover_text(state.label());
        }
    });
}

/// The PDF's page: the map's own size, or a sheet of paper.
fn page_row_ui(ui: &mut Ui, dialog: &mut Dialog) {
    ui.label("Page");
    ui.horizontal(|ui| {
        for page in Page::ALL {
            let hint = match page {
                Page::Fit => "One page exactly the size of the map",
                Page::A4 | Page::A3 => "Landscape paper, the map scaled to fit and centred",
            };
            ui.radio_value(&mut dialog.page, page, page.label())
                .on_hover_text(hint);
        }
    });
    ui.end_row();
}

/// The header and legend checkboxes.
fn include_ui(ui: &mut Ui, dialog: &mut Dialog) {
    ui.horizontal(|ui| {
        ui.checkbox(&mut dialog.options.header, "Header")
            .on_hover_text("Title, personas and today's date above the map");
        ui.checkbox(&mut dialog.options.legend, "Legend")
            .on_hover_text("Channels, pain severity and the emotion scale below the map");
    });
}

/// Natural size or a slide.
fn fit_ui(ui: &mut Ui, dialog: &mut Dialog) {
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
}

/// What goes behind the map.
fn background_ui(ui: &mut Ui, dialog: &mut Dialog) {
    ui.horizontal(|ui| {
        for (value, name) in [
            (Background::White, "White"),
            (Background::Transparent, "Transparent"),
            (Background::Theme, "Map colour"),
        ] {
            ui.radio_value(&mut dialog.options.background, value, name);
        }
    });
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
                .range(export::SCALES)
                .speed(0.05)
                .suffix("x"),
        )
        .labelled_by(label);
    });
}

/// What the export will write, worked out again only when the choices
/// change.
fn size_row_ui(ui: &mut Ui, dialog: &mut Dialog, journey: &Journey) {
    ui.label("Size");
    let choices = (dialog.options, dialog.kind, dialog.page);
    if dialog.size.as_ref().is_none_or(|(was, _)| *was != choices) {
        dialog.size = Some((choices, plan(journey, choices)));
    }
    match dialog.size.as_ref().map(|(_, size)| size) {
        Some(Ok(Plan {
            line,
            hint: Some(hint),
            ..
        })) => ui.label(line).on_hover_text(*hint),
        Some(Ok(plan)) => ui.label(&plan.line),
        Some(Err(err)) => ui.label(RichText::new(err).color(ui.visuals().error_fg_color)),
        None => ui.label(""),
    };
    ui.end_row();
}

/// What the export with these choices will write, or why it cannot.
fn plan(journey: &Journey, (options, kind, page): super::Choices) -> SizeLine {
    let single = |line: String| Plan {
        line,
        hint: None,
        files: 1,
    };
    match kind {
        ExportKind::Pdf => {
            let size =
                export::pdf::page_size(journey, &options, page).map_err(|e| e.to_string())?;
            let (width, height) = (size.x.round(), size.y.round());
            Ok(match page {
                Page::Fit => single(format!("{width} × {height} points, one page (vector)")),
                Page::A4 | Page::A3 => {
                    single(format!("{}, {width} × {height} points", page.label()))
                }
            })
        }
        ExportKind::Mermaid => Ok(single(format!(
            "A journey of {}",
            crate::ui::count(journey.step_count(), "task", "tasks")
        ))),
        ExportKind::Csv => Ok(single(format!("A table of {}", super::rows_of(journey)))),
        ExportKind::Png | ExportKind::Svg => images(journey, &options, kind == ExportKind::Svg),
    }
}

/// What the image export with `options` will write, or why it cannot.
fn images(journey: &Journey, options: &ExportOptions, vector: bool) -> SizeLine {
    let (width, height) = export::image_size(journey, options).map_err(|e| e.to_string())?;
    let count = match options.target {
        Target::Natural => 1,
        Target::Slide(_) => export::slides(journey, options).len(),
    };
    let each = if vector {
        format!("{width} × {height} (vector: sharp at any size)")
    } else {
        format!("{width} × {height} pixels")
    };
    Ok(if count > 1 {
        Plan {
            line: format!("{count} slides of {each}"),
            hint: Some(
                "The whole map on one slide would make card titles too small to read: \
                 it is split by stage, each slide as wide as still reads",
            ),
            files: count,
        }
    } else {
        Plan {
            line: each,
            hint: None,
            files: 1,
        }
    })
}

/// Where the image goes (typed, or chosen), and what to know about it.
pub(super) fn path_rows_ui(ui: &mut Ui, dialog: &mut Dialog, can_choose: bool) -> Body {
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
