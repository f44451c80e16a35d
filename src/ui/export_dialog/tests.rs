// Tests fail loudly on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::export::{SlideSize, Target};
use crate::model::templates::Template;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};

struct State {
    export: ExportUi,
    journey: Journey,
    can_choose: bool,
    events: Vec<ExportEvent>,
}

/// The dialog open for `maps/checkout.journey.ron`.
fn harness(can_choose: bool) -> Harness<'static, State> {
    let mut export = ExportUi::default();
    export.open(Some(Path::new("maps/checkout.journey.ron")), "Checkout");
    let state = State {
        export,
        journey: Template::FourStage.build("Checkout"),
        can_choose,
        events: Vec::new(),
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(800.0, 600.0))
        .build_ui_state(
            |ui, state: &mut State| {
                let ctx = ui.ctx().clone();
                if let Some(event) = state.export.show(&ctx, &state.journey, state.can_choose) {
                    state.events.push(event);
                }
            },
            state,
        );
    harness.run();
    harness
}

/// What the running export ends with.
fn finished(export: &mut ExportUi) -> ExportEvent {
    let ctx = egui::Context::default();
    let deadline = std::time::Instant::now() + Duration::from_mins(5);
    while std::time::Instant::now() < deadline {
        if let Some(event) = export.poll(&ctx) {
            return event;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("the export did not end");
}

fn save_to(h: &Harness<'_, State>) -> String {
    h.get_by_label("Save to").value().unwrap_or_default()
}

#[test]
fn choose_asks_for_the_file_chooser_and_takes_its_answer() {
    let mut h = harness(true);
    h.get_by_label("Choose…").click();
    h.run();
    assert_eq!(
        h.state().events,
        vec![ExportEvent::Choose {
            start: PathBuf::from("maps/checkout.png"),
            format: ExportKind::Png,
        }]
    );
    assert!(h.state().export.is_open(), "the dialog stays open");
    // The chooser's answer gets the format's extension.
    h.state_mut()
        .export
        .set_path(Path::new("/decks/q3/journey"));
    h.run();
    assert_eq!(save_to(&h), "/decks/q3/journey.png");
    h.get_by_label("SVG (vector)").click();
    h.run();
    h.state_mut()
        .export
        .set_path(Path::new("/decks/q3/journey.png"));
    h.run();
    assert_eq!(save_to(&h), "/decks/q3/journey.svg");
}

#[test]
fn the_dialog_says_when_a_path_replaces_a_file_or_cannot_be_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(false);
    let type_path = |h: &mut Harness<'_, State>, path: &Path| {
        if let Some(dialog) = &mut h.state_mut().export.dialog {
            dialog.path = path.display().to_string();
        }
        h.run();
    };
    let export_clicked = |h: &mut Harness<'_, State>| {
        h.get_by_label("Export").click();
        h.run();
        h.state().export.running().is_some()
    };

    // Nothing to say about a new file in a folder that is there.
    type_path(&mut h, &dir.path().join("deck.png"));
    assert!(h.query_by_label_contains("Replaces").is_none());
    assert!(h.query_by_label_contains("folder").is_none());

    // A file that is there gets replaced, with a word beforehand.
    let existing = dir.path().join("deck.png");
    std::fs::write(&existing, "an older export").unwrap();
    type_path(&mut h, &existing);
    assert!(h.query_by_label("Replaces the existing deck.png").is_some());
    assert!(export_clicked(&mut h));
    assert!(matches!(
        finished(&mut h.state_mut().export),
        ExportEvent::Done(_)
    ));
    assert!(image::open(&existing).is_ok(), "replaced by the image");

    // Paths that cannot be written say why, and Export waits.
    let missing = dir.path().join("no-such-folder");
    for (path, problem) in [
        (
            missing.join("deck.png"),
            format!("There is no folder {}", missing.display()),
        ),
        (
            dir.path().to_path_buf(),
            format!("{} is a folder: add a file name", dir.path().display()),
        ),
        (PathBuf::new(), "Type where to save the image".to_owned()),
    ] {
        h.state_mut().export.open(None, "Checkout");
        type_path(&mut h, &path);
        assert!(h.query_by_label(&problem).is_some(), "{problem}");
        assert!(!export_clicked(&mut h), "{path:?} not exported");
        assert!(h.state().export.is_open());
    }
}

#[test]
fn a_cancelled_export_writes_nothing_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.png");
    let mut export = ExportUi::default();
    // A map whose export takes far longer than the cancel below: it
    // stops after its first band.
    let journey = crate::model::templates::generated(200, 2000);
    let png = (ExportKind::Png, Page::Fit);
    export.start(journey, ExportOptions::default(), png, path.clone());
    assert!(export.can_cancel());
    export.cancel();
    assert!(!export.can_cancel(), "cancelled once");
    let event = finished(&mut export);
    assert_eq!(
        event,
        ExportEvent::Cancelled(format!(
            "Export cancelled: {} was not written",
            path.display()
        ))
    );
    assert!(export.progress().is_none(), "no export running");
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn an_svg_export_offers_no_cancel() {
    let dir = tempfile::tempdir().unwrap();
    let mut export = ExportUi::default();
    let journey = Template::FourStage.build("Checkout");
    let path = dir.path().join("map.svg");
    let svg = (ExportKind::Svg, Page::Fit);
    export.start(journey, ExportOptions::default(), svg, path.clone());
    assert!(!export.can_cancel());
    let event = finished(&mut export);
    assert!(matches!(event, ExportEvent::Done(_)), "{event:?}");
    assert!(path.exists());
}

#[test]
fn without_a_file_chooser_the_path_is_typed() {
    let h = harness(false);
    assert!(h.query_by_label("Choose…").is_none());
    assert_eq!(save_to(&h), "maps/checkout.png");
    assert!(h.state().events.is_empty());
}

#[test]
fn images_start_at_scale_two() {
    let h = harness(false);
    let dialog = h.state().export.dialog.as_ref().unwrap();
    assert!((dialog.options.scale - 2.0).abs() < f32::EPSILON);
    assert_eq!(dialog.options.target, Target::Natural);
    let two = h.get_by_label("2x").accesskit_node().toggled();
    assert_eq!(two, Some(egui::accesskit::Toggled::True));
    let one = export::image_size(&h.state().journey, &ExportOptions::default()).unwrap();
    let size = format!("{} × {} pixels", one.0 * 2, one.1 * 2);
    assert!(h.query_by_label(&size).is_some(), "{size}");
}

#[test]
fn a_slide_export_says_how_many_slides_and_writes_them_numbered() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(false);
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/grocery-checkout.journey.ron");
    h.state_mut().journey = crate::io::load(&example).unwrap();
    h.get_by_label("Slide 1920×1080").click();
    h.run();
    let dialog = h.state().export.dialog.as_ref().unwrap();
    assert_eq!(dialog.options.target, Target::Slide(SlideSize::Hd));
    let count = export::slides(&h.state().journey, &dialog.options).len();
    assert!(count > 1, "the example is split");
    let line = format!("{count} slides of 1920 × 1080 pixels");
    assert!(h.query_by_label(&line).is_some(), "{line}");
    // The scale is what fits the slide: its buttons are off.
    assert!(h.get_by_label("3x").accesskit_node().is_disabled());
    // The numbered files there are replaced, with a word beforehand.
    let path = dir.path().join("deck.png");
    std::fs::write(dir.path().join("deck-1.png"), "older").unwrap();
    std::fs::write(dir.path().join("deck-2.png"), "older").unwrap();
    if let Some(dialog) = &mut h.state_mut().export.dialog {
        dialog.path = path.display().to_string();
    }
    h.run();
    let note = "Replaces the existing deck-1.png to deck-2.png (2 files)";
    assert!(h.query_by_label(note).is_some(), "{note}");
    h.get_by_label("Export").click();
    h.run();
    let ExportEvent::Done(message) = finished(&mut h.state_mut().export) else {
        panic!("the export ends well");
    };
    let first = dir.path().join("deck-1.png");
    assert_eq!(
        message,
        format!(
            "Exported {count} slides, {} to deck-{count}.png (1920x1080 each)",
            first.display()
        )
    );
    for index in 1..=count {
        let image = image::open(dir.path().join(format!("deck-{index}.png"))).unwrap();
        assert_eq!((image.width(), image.height()), (1920, 1080));
    }
    assert!(!path.exists());
}

#[test]
fn choosing_pdf_mermaid_and_csv_writes_them_with_their_extensions() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(false);
    let typed = dir.path().join("deck.png");
    if let Some(dialog) = &mut h.state_mut().export.dialog {
        dialog.path = typed.display().to_string();
    }
    h.run();

    // PDF: the extension follows, the page is offered, A4 is chosen.
    h.get_by_label("PDF (vector)").click();
    h.run();
    let pdf = dir.path().join("deck.pdf");
    assert_eq!(save_to(&h), pdf.display().to_string());
    assert!(
        h.query_by_label("Slide 1920×1080").is_none(),
        "a page, not a slide"
    );
    h.get_by_label("A4 landscape").click();
    h.run();
    assert!(h.query_by_label("A4 landscape, 842 × 595 points").is_some());
    // The scale is for pixels: off for a PDF.
    assert!(h.get_by_label("3x").accesskit_node().is_disabled());
    h.get_by_label("Export").click();
    h.run();
    let ExportEvent::Done(message) = finished(&mut h.state_mut().export) else {
        panic!("the PDF export ends well");
    };
    assert!(message.contains("A4 landscape"), "{message}");
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(!typed.exists());

    // The dialog opens again on PDF and A4; now Mermaid.
    h.state_mut().export.open(None, "Checkout");
    h.run();
    assert_eq!(save_to(&h), "checkout.pdf");
    let dialog = h.state().export.dialog.as_ref().unwrap();
    assert_eq!((dialog.kind, dialog.page), (ExportKind::Pdf, Page::A4));
    if let Some(dialog) = &mut h.state_mut().export.dialog {
        dialog.path = pdf.display().to_string();
    }
    h.get_by_label("Mermaid").click();
    h.run();
    let mmd = dir.path().join("deck.mmd");
    assert_eq!(save_to(&h), mmd.display().to_string());
    // A diagram is text: the picture's options are off.
    assert!(h.get_by_label("Header").accesskit_node().is_disabled());
    let steps = h.state().journey.step_count();
    assert!(
        h.query_by_label(&format!("A journey of {steps} tasks"))
            .is_some()
    );
    h.get_by_label("Export").click();
    h.run();
    let ExportEvent::Done(message) = finished(&mut h.state_mut().export) else {
        panic!("the Mermaid export ends well");
    };
    assert_eq!(
        message,
        format!("Exported {} ({steps} tasks)", mmd.display())
    );
    let text = std::fs::read_to_string(&mmd).unwrap();
    assert_eq!(text, crate::interop::mermaid::export(&h.state().journey));
    assert!(text.contains("journey"));

    // CSV: the whole map as a table.
    h.state_mut().export.open(None, "Checkout");
    if let Some(dialog) = &mut h.state_mut().export.dialog {
        dialog.path = mmd.display().to_string();
    }
    h.run();
    h.get_by_label("CSV").click();
    h.run();
    let csv = dir.path().join("deck.csv");
    assert_eq!(save_to(&h), csv.display().to_string());
    h.get_by_label("Export").click();
    h.run();
    let event = finished(&mut h.state_mut().export);
    assert!(matches!(event, ExportEvent::Done(_)), "{event:?}");
    let text = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(text, crate::interop::csv::write_map(&h.state().journey));
}

#[test]
fn the_export_draws_the_state_the_canvas_shows_unless_the_dialog_changes_it() {
    let mut h = harness(false);
    h.state_mut()
        .export
        .follow_view(StateView::Compare, SpreadKind::MiddleHalf);
    h.run();
    let options = |h: &Harness<'_, State>| h.state().export.dialog.as_ref().unwrap().options;
    assert_eq!(options(&h).state, StateView::Compare);
    assert_eq!(options(&h).spread, SpreadKind::MiddleHalf);
    h.get_by_label("Future").click();
    h.run();
    assert_eq!(options(&h).state, StateView::Future);
    // A table has no state to draw.
    h.get_by_label("CSV").click();
    h.run();
    assert!(h.get_by_label("Future").accesskit_node().is_disabled());
}
