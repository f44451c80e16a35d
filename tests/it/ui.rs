//! UI tests: drive the real app with `egui_kittest` (accessible labels, pointer
//! drags, key presses) and assert on the journey.

use std::path::{Path, PathBuf};

use crate::common::{self, EXAMPLE, click, drag, journey, press, redo, undo};
use egui::{Key, Modifiers, Pos2, ViewportCommand, ViewportEvent, ViewportId, pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use waymark::model::{Anchor, Channel, LaneKind};
use waymark::ui::app::{StartOptions, WaymarkApp};
use waymark::view::layout::Layout;
use waymark::view::theme::Theme;

/// The app on `file`.
fn harness(file: Option<PathBuf>) -> Harness<'static, WaymarkApp> {
    common::harness(StartOptions {
        file,
        ..StartOptions::default()
    })
}

fn example() -> Harness<'static, WaymarkApp> {
    harness(Some(PathBuf::from(EXAMPLE)))
}

/// Screen position of a map position in the app's current view.
fn to_screen(h: &Harness<'_, WaymarkApp>, map: Pos2) -> Pos2 {
    h.state().view.map_to_screen() * map
}

/// The layout of the map as the canvas shows it (in the state in view).
fn layout(h: &Harness<'_, WaymarkApp>) -> Layout {
    let shown = h.state().view.state.project(&h.state().doc.journey);
    Layout::new(&shown, &Theme::default())
}

#[test]
fn palette_touchpoint_dropped_on_a_cell_creates_a_card_there() {
    let mut h = example();
    let before = journey(&h);
    let layout = layout(&h);
    // An empty cell: the Thoughts lane of the second step.
    let lane = before
        .lanes
        .iter()
        .find(|l| l.kind == LaneKind::Thoughts)
        .unwrap()
        .id;
    let step = before.steps().nth(1).unwrap().1.id;
    assert_eq!(before.cards_in(step, lane).count(), 0);
    let target = to_screen(&h, layout.cell_rect(step, lane).unwrap().center());
    let source = h.get_by_label("Palette: Email").rect().center();

    drag(&mut h, source, target);

    let after = journey(&h);
    assert_eq!(after.cards.len(), before.cards.len() + 1);
    let created: Vec<_> = after.cards_in(step, lane).collect();
    assert_eq!(created.len(), 1, "one card in the target cell");
    assert_eq!(created[0].channel, Some(Channel::Email));
    // The new card's title is being edited; Esc keeps the suggested one.
    assert!(h.get_by_label("Card title").is_focused());
    press(&mut h, Modifiers::NONE, Key::Escape);
    assert_eq!(journey(&h), after);

    undo(&mut h);
    assert_eq!(journey(&h), before);
    redo(&mut h);
    assert_eq!(journey(&h), after);
}

#[test]
fn palette_drop_outside_any_cell_creates_nothing() {
    let mut h = example();
    let before = journey(&h);
    let source = h.get_by_label("Palette: Web").rect().center();
    // Far below the map, on the empty desk.
    let layout = layout(&h);
    let below = to_screen(&h, pos2(layout.size.x / 2.0, layout.size.y + 60.0));
    drag(&mut h, source, below);
    assert_eq!(journey(&h), before);
    assert!(!h.state().doc.history().can_undo(), "nothing recorded");
}

#[test]
fn dragging_a_card_moves_it_to_another_cell_and_undo_restores_it() {
    let mut h = example();
    let before = journey(&h);
    let card = before.cards[0].clone();
    let layout = layout(&h);
    let target_step = before.steps().nth(3).unwrap().1.id;
    let target = to_screen(
        &h,
        layout.cell_rect(target_step, card.lane).unwrap().center(),
    );
    let from = h
        .get_by_label(&format!("Card: {}", card.title))
        .rect()
        .center();

    drag(&mut h, from, target);

    let moved = journey(&h).card(card.id).cloned().unwrap();
    assert_eq!(moved.step, target_step);
    assert_eq!(moved.lane, card.lane);
    assert_eq!(
        h.state().doc.history().undo_len(),
        1,
        "one drag is one undo step"
    );
    undo(&mut h);
    assert_eq!(journey(&h), before);
    redo(&mut h);
    assert_eq!(journey(&h).card(card.id).unwrap().step, target_step);
}

#[test]
fn dragging_a_card_within_its_cell_reorders_it() {
    let mut h = example();
    let before = journey(&h);
    // A cell with at least two cards.
    let (step, lane) = before
        .cards
        .iter()
        .map(|c| (c.step, c.lane))
        .find(|(s, l)| before.cards_in(*s, *l).count() >= 2)
        .expect("the example has a stacked cell");
    let ids: Vec<_> = before.cards_in(step, lane).map(|c| c.id).collect();
    let layout = layout(&h);
    let first = layout.card(ids[0]).unwrap().rect;
    let last = layout.card(*ids.last().unwrap()).unwrap().rect;
    let from = to_screen(&h, first.center());
    let to = to_screen(&h, pos2(last.center().x, last.max.y - 2.0));
    drag(&mut h, from, to);
    let after: Vec<_> = journey(&h).cards_in(step, lane).map(|c| c.id).collect();
    assert_eq!(after.len(), ids.len());
    assert_eq!(
        *after.last().unwrap(),
        ids[0],
        "the first card went to the bottom"
    );
}

#[test]
fn sketching_the_curve_then_dragging_a_point() {
    let mut h = harness(None);
    let before = journey(&h);
    let persona = before.personas[0].id;
    assert!(before.curve(persona).unwrap().points.is_empty());
    let layout = layout(&h);
    let plot = layout.emotion_plot.unwrap();
    press(&mut h, Modifiers::NONE, Key::E);
    let from = to_screen(&h, pos2(layout.columns[0].x.min + 5.0, plot.max - 5.0));
    let to = to_screen(&h, pos2(layout.columns[3].x.max - 5.0, plot.min + 5.0));
    drag(&mut h, from, to);

    let sketched = journey(&h);
    let points = &sketched.curve(persona).unwrap().points;
    assert_eq!(points.len(), 4, "one point per step: {points:?}");
    let scores: Vec<f32> = sketched.steps().map(|(_, s)| points[&s.id]).collect();
    assert!(
        scores.windows(2).all(|w| w[0] < w[1]),
        "rising stroke: {scores:?}"
    );

    // Back to the select tool, then drag the first point to the top.
    press(&mut h, Modifiers::NONE, Key::E);
    let first_step = sketched.steps().next().unwrap().1.id;
    let layout = Layout::new(&sketched, &Theme::default());
    let point = to_screen(&h, layout.curve_point(persona, first_step).unwrap());
    let top = to_screen(&h, pos2(0.0, plot.min)).y;
    drag(&mut h, point, pos2(point.x, top));
    let adjusted = journey(&h);
    let score = adjusted.curve(persona).unwrap().points[&first_step];
    assert!((score - 2.0).abs() < 0.11, "dragged to the top: {score}");

    undo(&mut h);
    assert_eq!(journey(&h), sketched);
    undo(&mut h);
    assert_eq!(journey(&h), before);
    redo(&mut h);
    redo(&mut h);
    assert_eq!(journey(&h), adjusted);
}

#[test]
fn adding_a_pain_point_to_a_selected_card() {
    let mut h = example();
    let before = journey(&h);
    let card = before.cards[2].clone();
    click(&mut h, &format!("Card: {}", card.title));
    press(&mut h, Modifiers::NONE, Key::P);
    let after = journey(&h);
    assert_eq!(after.pain_points.len(), before.pain_points.len() + 1);
    let pain = after.pain_points.last().unwrap();
    assert_eq!(pain.anchor, Anchor::Card(card.id));
    // The marker is on the map with its text as its label.
    h.run_steps(2);
    assert!(
        h.query_by_label(&format!("Pain point: {}", pain.text))
            .is_some()
    );
    undo(&mut h);
    assert_eq!(journey(&h), before);
    redo(&mut h);
    assert_eq!(journey(&h), after);
}

#[test]
fn renaming_a_stage_in_the_inspector_is_one_undo_step() {
    let mut h = harness(None);
    let before = journey(&h);
    click(&mut h, "Stage: Awareness");
    let field = h.get_by_label("Name");
    field.focus();
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.step();
    h.get_by_label("Name").type_text("Discovery");
    h.run_steps(2);
    assert_eq!(journey(&h).stages[0].name, "Discovery");
    // Leave the field: the typing becomes one undo step.
    h.key_press(Key::Tab);
    h.run_steps(2);
    assert_eq!(h.state().doc.history().undo_len(), 1);
    undo(&mut h);
    assert_eq!(journey(&h), before);
    redo(&mut h);
    assert_eq!(journey(&h).stages[0].name, "Discovery");
}

/// Saves with Ctrl+S (or Ctrl+Shift+S with `save_as`), answering the in-app path prompt.
fn save_via_prompt(h: &mut Harness<'_, WaymarkApp>, path: &Path, save_as: bool) {
    let modifiers = if save_as {
        Modifiers::COMMAND | Modifiers::SHIFT
    } else {
        Modifiers::COMMAND
    };
    press(h, modifiers, Key::S);
    let field = h.get_by_label("File path");
    field.focus();
    h.step();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.step();
    h.get_by_label("File path")
        .type_text(&path.display().to_string());
    h.step();
    h.get_by_label("Save").click();
    h.run_steps(3);
}

#[test]
fn save_then_reopen_gives_the_same_journey() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.journey.ron");
    let mut h = example();
    // Change something so the saved map is not just the example.
    let card = journey(&h).cards[0].clone();
    click(&mut h, &format!("Card: {}", card.title));
    press(&mut h, Modifiers::NONE, Key::P);
    let edited = journey(&h);
    // The example has a path, so Save As asks for the new one.
    save_via_prompt(&mut h, &path, true);
    assert_eq!(h.state().doc.path.as_deref(), Some(path.as_path()));
    assert!(!h.state_mut().is_dirty());

    let reopened = harness(Some(path.clone()));
    assert_eq!(journey(&reopened), edited);
}

#[test]
fn untitled_map_saves_through_the_path_prompt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fresh.journey.ron");
    let mut h = harness(None);
    save_via_prompt(&mut h, &path, false);
    let saved = waymark::io::load(&path).unwrap();
    assert_eq!(saved, journey(&h));
}

#[test]
fn a_malformed_file_is_reported_and_the_editor_keeps_running() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.journey.ron");
    std::fs::write(&path, "(\n  format: 1,\n  title: [oops\n").unwrap();
    let h = harness(Some(path));
    let status = h.state().status().unwrap_or_default().to_owned();
    assert!(status.contains("broken.journey.ron:3:"), "{status}");
    // The default document stays open.
    assert_eq!(journey(&h).stages.len(), 4);
}

#[test]
fn deleting_a_stage_removes_its_cards_and_undo_brings_them_back() {
    let mut h = example();
    let before = journey(&h);
    let stage = before.stages[0].clone();
    click(&mut h, &format!("Stage: {}", stage.name));
    press(&mut h, Modifiers::NONE, Key::Delete);
    let after = journey(&h);
    assert!(after.stage(stage.id).is_none());
    assert!(
        after
            .cards
            .iter()
            .all(|c| stage.steps.iter().all(|s| s.id != c.step))
    );
    assert!(after.problems().is_empty(), "{:?}", after.problems());
    undo(&mut h);
    assert_eq!(journey(&h), before);
}

#[test]
fn arrow_keys_move_the_selected_card_one_step() {
    let mut h = example();
    let before = journey(&h);
    let card = before.cards[0].clone();
    click(&mut h, &format!("Card: {}", card.title));
    press(&mut h, Modifiers::NONE, Key::ArrowRight);
    let next_step = before
        .steps()
        .skip_while(|(_, s)| s.id != card.step)
        .nth(1)
        .unwrap()
        .1
        .id;
    assert_eq!(journey(&h).card(card.id).unwrap().step, next_step);
}

#[test]
fn stage_inspector_adds_a_step_and_moves_the_stage() {
    let mut h = harness(None);
    let before = journey(&h);
    click(&mut h, "Stage: Awareness");
    click(&mut h, "Add step");
    assert_eq!(journey(&h).stages[0].steps.len(), 2);
    // The new step is selected; select the stage again and move it right.
    click(&mut h, "Stage: Awareness");
    click(&mut h, "Move right / down");
    let names: Vec<String> = journey(&h).stages.iter().map(|s| s.name.clone()).collect();
    assert_eq!(names[..2], ["Consideration", "Awareness"]);
    undo(&mut h);
    undo(&mut h);
    assert_eq!(journey(&h), before);
}

#[test]
fn deleting_a_lane_takes_its_cards_and_undo_restores_them() {
    let mut h = example();
    let before = journey(&h);
    let lane = before
        .lanes
        .iter()
        .find(|l| l.kind == LaneKind::Thoughts)
        .unwrap()
        .clone();
    assert!(before.cards.iter().any(|c| c.lane == lane.id));
    click(&mut h, &format!("Lane: {}", lane.name));
    press(&mut h, Modifiers::NONE, Key::Delete);
    let after = journey(&h);
    assert!(after.lane(lane.id).is_none());
    assert!(after.cards.iter().all(|c| c.lane != lane.id));
    assert!(after.problems().is_empty(), "{:?}", after.problems());
    undo(&mut h);
    assert_eq!(journey(&h), before);
}

#[test]
fn copy_a_card_and_paste_it_into_another_cell() {
    let mut h = example();
    let before = journey(&h);
    let card = before.cards[0].clone();
    click(&mut h, &format!("Card: {}", card.title));
    press(&mut h, Modifiers::COMMAND, Key::C);
    // Click an empty cell: the Thoughts lane of the second step.
    let lane = before
        .lanes
        .iter()
        .find(|l| l.kind == LaneKind::Thoughts)
        .unwrap()
        .id;
    let step = before.steps().nth(1).unwrap().1.id;
    let cell = to_screen(&h, layout(&h).cell_rect(step, lane).unwrap().center());
    h.hover_at(cell);
    h.step();
    h.drag_at(cell);
    h.step();
    h.drop_at(cell);
    h.run_steps(2);
    press(&mut h, Modifiers::COMMAND, Key::V);
    let after = journey(&h);
    let pasted: Vec<_> = after.cards_in(step, lane).collect();
    assert_eq!(pasted.len(), 1);
    assert_eq!(pasted[0].title, card.title);
    assert_ne!(pasted[0].id, card.id, "a paste gets a fresh id");
    undo(&mut h);
    assert_eq!(journey(&h), before);
}

#[test]
fn rubber_band_selects_cards_and_delete_removes_them() {
    let mut h = example();
    let before = journey(&h);
    let layout = layout(&h);
    // Sweep the Actions lane across the first two steps, starting in the gap
    // below the cards so the press lands on the map, not on a card.
    let lane = before
        .lanes
        .iter()
        .find(|l| l.kind == LaneKind::Actions)
        .unwrap();
    let lane_box = layout.lane(lane.id).unwrap();
    let from = to_screen(
        &h,
        pos2(layout.columns[0].x.min + 2.0, lane_box.y.max - 2.0),
    );
    let to = to_screen(
        &h,
        pos2(layout.columns[1].x.max - 2.0, lane_box.y.min + 2.0),
    );
    drag(&mut h, from, to);
    let swept: Vec<_> = before
        .cards
        .iter()
        .filter(|c| {
            c.lane == lane.id
                && (c.step == layout.columns[0].step || c.step == layout.columns[1].step)
        })
        .map(|c| c.id)
        .collect();
    assert!(swept.len() >= 2, "the example has cards there");
    let mut selected = h.state().view.selected_cards();
    selected.sort();
    let mut expected = swept.clone();
    expected.sort();
    assert_eq!(selected, expected);
    press(&mut h, Modifiers::NONE, Key::Delete);
    assert!(swept.iter().all(|id| journey(&h).card(*id).is_none()));
    assert_eq!(h.state().doc.history().undo_len(), 1);
}

#[test]
fn new_with_unsaved_changes_asks_first() {
    let mut h = example();
    let card = journey(&h).cards[0].clone();
    click(&mut h, &format!("Card: {}", card.title));
    press(&mut h, Modifiers::NONE, Key::Delete);
    let edited = journey(&h);
    assert!(h.state_mut().is_dirty());

    press(&mut h, Modifiers::COMMAND, Key::N);
    assert!(h.query_by_label("Unsaved changes").is_some());
    click(&mut h, "Cancel");
    assert_eq!(journey(&h), edited, "cancel keeps the document");
    assert!(h.query_by_label("Unsaved changes").is_none());

    press(&mut h, Modifiers::COMMAND, Key::N);
    h.get_by_label("Discard").click();
    h.run_steps(3);
    let fresh = journey(&h);
    assert_eq!(fresh.title, "Untitled journey");
    assert!(fresh.cards.is_empty());
    assert_eq!(h.state().doc.path, None);
    assert!(!h.state_mut().is_dirty());
}

#[test]
fn double_click_edits_a_card_title_in_place() {
    let mut h = example();
    let card = journey(&h).cards[1].clone();
    let center = h
        .get_by_label(&format!("Card: {}", card.title))
        .rect()
        .center();
    h.hover_at(center);
    h.step();
    for pressed in [true, false, true, false] {
        h.event(egui::Event::PointerButton {
            pos: center,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        h.step();
    }
    h.run_steps(2);
    let field = h.get_by_label("Card title");
    assert!(field.is_focused());
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.step();
    h.get_by_label("Card title")
        .type_text("Opens the app on the bus");
    h.step();
    h.key_press(Key::Enter);
    h.run_steps(3);
    assert_eq!(
        journey(&h).card(card.id).unwrap().title,
        "Opens the app on the bus"
    );
    assert_eq!(h.state().doc.history().undo_len(), 1);
    undo(&mut h);
    assert_eq!(journey(&h).card(card.id).unwrap().title, card.title);
}

#[test]
fn presentation_mode_shows_only_the_map_and_esc_leaves_it() {
    let mut h = example();
    assert!(h.query_by_label("Palette: Email").is_some());
    press(&mut h, Modifiers::NONE, Key::F5);
    h.run_steps(2);
    assert!(
        h.query_by_label("Palette: Email").is_none(),
        "palette hidden"
    );
    assert!(h.query_by_label("File").is_none(), "menu bar hidden");
    assert!(
        h.query_by_label("Stage: Awareness").is_some(),
        "the map stays"
    );
    press(&mut h, Modifiers::NONE, Key::Escape);
    h.run_steps(2);
    assert!(h.query_by_label("Palette: Email").is_some());
    // Ctrl+B hides just the palette.
    press(&mut h, Modifiers::COMMAND, Key::B);
    h.run_steps(2);
    assert!(h.query_by_label("Palette: Email").is_none());
    assert!(h.query_by_label("File").is_some());
}

#[test]
fn a_map_with_dangling_references_opens_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dangling.journey.ron");
    let mut j = waymark::model::templates::Template::FourStage.build("Dangling");
    let lane = j.lanes[0].id;
    j.cards.push(waymark::model::Card::new(
        waymark::model::CardId(900),
        waymark::model::StepId(12_345),
        lane,
        "Orphan",
    ));
    waymark::io::save(&path, &j).unwrap();
    let mut h = harness(Some(path));
    h.run_steps(2);
    assert_eq!(journey(&h), j, "opened as it is, nothing dropped");
    let status = h.state().status().unwrap_or_default().to_owned();
    assert!(status.contains("1 problem"), "{status}");
    // The orphan is not on the map, and the map still works.
    assert!(h.query_by_label("Card: Orphan").is_none());
    assert!(h.query_by_label("Stage: Awareness").is_some());
}

/// Types `out` into the open Export dialog and starts the export.
fn start_export(h: &mut Harness<'_, WaymarkApp>, out: &std::path::Path) {
    h.get_by_label("Save to").focus();
    h.step();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.step();
    h.get_by_label("Save to")
        .type_text(&out.display().to_string());
    h.step();
    h.get_by_label("Export").click();
    h.step();
}

/// Steps the app (the export runs on its own thread; the UI keeps running
/// meanwhile) until the status line starts with `status`, for at most a
/// minute. Returns the viewport commands of the frame that showed it.
fn step_until_status(h: &mut Harness<'_, WaymarkApp>, status: &str) -> Vec<ViewportCommand> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_mins(1);
    while std::time::Instant::now() < deadline {
        h.step();
        if h.state().status().is_some_and(|s| s.starts_with(status)) {
            return commands(h);
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("status {:?}, waiting for {status:?}", h.state().status());
}

/// In the open Export dialog: types `out` as the target, clicks Export and
/// runs frames until the background export reports it is done.
fn export_to(h: &mut Harness<'_, WaymarkApp>, out: &std::path::Path) {
    start_export(h, out);
    step_until_status(h, "Exported");
}

/// The window manager's close button: the app is asked to close.
fn request_close(h: &mut Harness<'_, WaymarkApp>) {
    h.input_mut()
        .viewports
        .entry(ViewportId::ROOT)
        .or_default()
        .events
        .push(ViewportEvent::Close);
    h.step();
}

/// What the app told the window to do in the last frame.
fn commands(h: &Harness<'_, WaymarkApp>) -> Vec<ViewportCommand> {
    h.output()
        .viewport_output
        .get(&ViewportId::ROOT)
        .map(|viewport| viewport.commands.clone())
        .unwrap_or_default()
}

/// The app on a generated map of `steps` steps, saved in a folder of its
/// own, exporting it at `scale` (a label of the Export dialog) to `map.png`
/// there.
fn exporting(
    steps: usize,
    scale: &str,
) -> (tempfile::TempDir, PathBuf, Harness<'static, WaymarkApp>) {
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("generated.journey.ron");
    waymark::io::save(
        &map,
        &waymark::model::templates::generated(steps, steps * 10),
    )
    .unwrap();
    let mut h = harness(Some(map));
    press(&mut h, Modifiers::COMMAND, Key::E);
    h.get_by_label(scale).click();
    h.step();
    let out = dir.path().join("map.png");
    start_export(&mut h, &out);
    (dir, out, h)
}

#[test]
fn closing_during_an_export_closes_once_the_image_is_written() {
    let (_dir, out, mut h) = exporting(60, "1x");
    request_close(&mut h);
    assert!(commands(&h).contains(&ViewportCommand::CancelClose));
    let status = h.state().status().unwrap_or_default().to_owned();
    assert!(status.starts_with("Closing once"), "{status}");
    assert!(status.contains("map.png"), "{status}");
    // Once the image is written, the app closes the window itself.
    let closing = step_until_status(&mut h, "Exported");
    assert!(closing.contains(&ViewportCommand::Close), "{closing:?}");
    assert!(image::open(&out).is_ok());
    // The map has no unsaved changes: that close is not held back.
    request_close(&mut h);
    assert!(!commands(&h).contains(&ViewportCommand::CancelClose));
}

#[test]
fn closing_twice_during_an_export_cancels_it_and_closes() {
    let (dir, _out, mut h) = exporting(200, "2x");
    request_close(&mut h);
    assert!(commands(&h).contains(&ViewportCommand::CancelClose));
    request_close(&mut h);
    assert!(commands(&h).contains(&ViewportCommand::CancelClose));
    let closing = step_until_status(&mut h, "Export cancelled");
    assert!(closing.contains(&ViewportCommand::Close), "{closing:?}");
    // Nothing written: no image, no temp file; only the map.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(names, ["generated.journey.ron"]);
}

#[test]
fn an_edit_while_waiting_to_close_asks_about_it_again() {
    let (_dir, _out, mut h) = exporting(60, "1x");
    // Quit from the keyboard: nothing to save yet, so quitting is allowed.
    press(&mut h, Modifiers::COMMAND, Key::Q);
    request_close(&mut h);
    assert!(commands(&h).contains(&ViewportCommand::CancelClose));
    // An edit while the export runs.
    press(&mut h, Modifiers::COMMAND, Key::A);
    press(&mut h, Modifiers::NONE, Key::Delete);
    assert!(h.state_mut().is_dirty());
    let closing = step_until_status(&mut h, "Exported");
    assert!(closing.contains(&ViewportCommand::Close));
    // That close asks about the unsaved edit instead of losing it.
    request_close(&mut h);
    assert!(commands(&h).contains(&ViewportCommand::CancelClose));
}

#[test]
fn export_dialog_writes_a_png_in_the_background() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("checkout.png");
    let mut h = example();
    press(&mut h, Modifiers::COMMAND, Key::E);
    assert!(h.query_by_label("Export map").is_some(), "dialog open");
    // Without the system's file chooser the path is typed: no button for it.
    assert!(h.query_by_label("Choose…").is_none());
    h.get_by_label("2x").click();
    h.step();
    export_to(&mut h, &out);
    let image = image::open(&out).unwrap();
    let options = waymark::export::ExportOptions {
        scale: 2.0,
        ..Default::default()
    };
    let expected = waymark::export::image_size(&journey(&h), &options).unwrap();
    assert_eq!((image.width(), image.height()), expected);
}

#[test]
fn export_dialog_writes_svg_without_the_legend() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = example();
    press(&mut h, Modifiers::COMMAND, Key::E);
    h.get_by_label("SVG (vector)").click();
    h.step();
    h.get_by_label("Legend").click();
    h.step();
    // Choosing SVG changed the suggested file's extension.
    let suggested = h.get_by_label("Save to").value().unwrap_or_default();
    assert!(suggested.ends_with("grocery-checkout.svg"), "{suggested}");
    let out = dir.path().join("deck.svg");
    export_to(&mut h, &out);
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.starts_with("<svg"), "an SVG document");
    assert!(svg.contains(&journey(&h).title), "the header is on");
    assert!(!svg.contains(">Channels<"), "the legend is off");
    // The dialog remembers the choice for the next export.
    press(&mut h, Modifiers::COMMAND, Key::E);
    let suggested = h.get_by_label("Save to").value().unwrap_or_default();
    assert!(
        std::path::Path::new(&suggested)
            .extension()
            .is_some_and(|e| e == "svg"),
        "{suggested}"
    );
}

#[test]
fn copy_map_as_image_puts_a_sharp_picture_on_the_clipboard() {
    let mut h = example();
    press(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::C);
    // kittest runs one frame per queued input event, so the clipboard command
    // is in an earlier frame's output; the status line reports what was copied.
    let options = waymark::export::ExportOptions {
        scale: 2.0,
        ..Default::default()
    };
    let (w, h2) = waymark::export::image_size(&journey(&h), &options).unwrap();
    let status = h.state().status().unwrap_or_default().to_owned();
    assert_eq!(status, format!("Copied the map as a {w}x{h2} image"));
}

// ---- readable where people read it: fit, stage zoom, presentation ----------

/// The app on `file` in a 1366x768 laptop window, both panels open.
fn laptop(file: &str) -> Harness<'static, WaymarkApp> {
    sized(file, egui::vec2(1366.0, 768.0))
}

/// The app on `file` in a window of `size`, both panels open.
fn sized(file: &str, size: egui::Vec2) -> Harness<'static, WaymarkApp> {
    let file = PathBuf::from(file);
    let mut h = Harness::builder()
        .with_size(size)
        .with_step_dt(1.0 / common::FPS as f32)
        .build_eframe(move |cc| {
            WaymarkApp::new(
                cc,
                StartOptions {
                    file: Some(file),
                    no_native_dialogs: true,
                    ..StartOptions::default()
                },
            )
        });
    h.run_steps(4);
    h
}

/// Where the map is: the canvas on screen, and the map's transform to it.
fn placement(h: &Harness<'_, WaymarkApp>) -> (egui::Rect, egui::emath::TSTransform) {
    let view = &h.state().view;
    (view.screen_rect, view.map_to_screen())
}

/// A real double click at `pos` (screen points), long enough after any
/// earlier click not to be taken for a triple click.
fn double_click(h: &mut Harness<'_, WaymarkApp>, pos: Pos2) {
    h.run_steps(common::FPS);
    h.hover_at(pos);
    h.step();
    for pressed in [true, false, true, false] {
        h.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        h.step();
    }
    h.run_steps(3);
}

#[test]
fn selecting_cards_pain_points_steps_and_stages_does_not_move_the_map() {
    for size in [egui::vec2(1366.0, 768.0), egui::vec2(1920.0, 1080.0)] {
        for file in common::EXAMPLES {
            let mut h = sized(file, size);
            let before = placement(&h);
            let j = journey(&h);
            // Their inspectors differ: long pain texts listed under a step
            // or card, an opportunity with a long title, severity buttons.
            let mut labels: Vec<String> = j
                .pain_points
                .iter()
                .map(|p| format!("Pain point: {}", p.text))
                .collect();
            labels.extend(j.steps().map(|(_, s)| format!("Step: {}", s.name)));
            labels.extend(j.stages.iter().map(|s| format!("Stage: {}", s.name)));
            labels.extend(j.cards.iter().take(8).map(|c| format!("Card: {}", c.title)));
            let mut clicked = 0;
            for label in labels {
                if h.query_by_label(&label).is_none() {
                    continue; // culled: not in view
                }
                click(&mut h, &label);
                h.run_steps(2);
                clicked += 1;
                assert!(!h.state().view.selection.is_empty(), "{label} selected");
                assert_eq!(
                    placement(&h),
                    before,
                    "{file} at {size:?}: selecting {label} moved the map"
                );
            }
            assert!(clicked > 20, "{file}: {clicked} items tried");
        }
    }
}

#[test]
fn zoom_to_fit_centres_the_map_and_fills_one_side_of_the_canvas() {
    for file in common::EXAMPLES {
        let mut h = laptop(file);
        // Away from the fit first, then back.
        press(&mut h, Modifiers::COMMAND, Key::Num1);
        press(&mut h, Modifiers::COMMAND, Key::Num0);
        h.run_steps(2);
        let (canvas, to_screen) = placement(&h);
        let map = to_screen * egui::Rect::from_min_size(Pos2::ZERO, layout(&h).size);
        assert!(
            (map.center() - canvas.center()).length() < 1.0,
            "{file}: map {map:?} is centred in {canvas:?}"
        );
        assert!(
            canvas.contains_rect(map),
            "{file}: all of the map is in view"
        );
        let spare = canvas.size() - map.size();
        assert!(
            spare.x.min(spare.y) <= 2.0 * 16.0 + 1.0,
            "{file}: the map fills the width or the height ({spare:?})"
        );
    }
}

#[test]
fn double_clicking_a_stage_header_zooms_to_it_with_readable_titles() {
    let title_size = Theme::default().title_font(1.0).size;
    for file in common::EXAMPLES {
        let mut h = laptop(file);
        let stages = journey(&h).stages.clone();
        for stage in &stages {
            // Back to the whole map, where every header is in view.
            press(&mut h, Modifiers::COMMAND, Key::Num0);
            let header = h.get_by_label(&format!("Stage: {}", stage.name)).rect();
            double_click(&mut h, header.center());
            let (canvas, to_screen) = placement(&h);
            let zoom = to_screen.scaling;
            assert!(
                title_size * zoom >= 11.0,
                "{file}, {}: card titles at {:.1} px",
                stage.name,
                title_size * zoom
            );
            let layout = layout(&h);
            let stage_box = layout.stages.iter().find(|s| s.id == stage.id).unwrap();
            let left = to_screen.translation.x + stage_box.x.min * zoom;
            let labels_end = canvas.min.x + layout.label_x.span() * zoom;
            assert!(
                (left - labels_end).abs() < 1.0,
                "{file}, {}: the stage starts beside the lane labels",
                stage.name
            );
            let right = to_screen.translation.x + stage_box.x.max * zoom;
            assert!(right <= canvas.max.x + 1.0, "{}: stage in view", stage.name);
        }
    }
}

#[test]
fn zoom_to_stage_shortcut_zooms_to_the_selected_card_s_stage() {
    let mut h = laptop(EXAMPLE);
    let j = journey(&h);
    let card = j.cards.last().unwrap().clone();
    let stage = j.step(card.step).unwrap().0.id;
    click(&mut h, &format!("Card: {}", card.title));
    press(&mut h, Modifiers::COMMAND, Key::Num2);
    h.run_steps(2);
    let view = &h.state().view;
    assert_eq!(
        view.fit_target,
        waymark::ui::canvas::FitTarget::Stage(stage)
    );
    let stage_box = layout(&h);
    let stage_box = stage_box.stages.iter().find(|s| s.id == stage).unwrap();
    let to_screen = view.map_to_screen();
    let mid = to_screen * pos2(stage_box.x.center(), 0.0);
    assert!(
        view.screen_rect.x_range().contains(mid.x),
        "the stage is in view"
    );
}

#[test]
fn esc_from_presentation_restores_the_status_bar_and_the_view() {
    let mut h = laptop(EXAMPLE);
    // A view of the user's own: zoomed in, not fitted.
    press(&mut h, Modifiers::COMMAND, Key::Equals);
    h.run_steps(2);
    let before = placement(&h);
    let status = h.state().status().map(str::to_owned);
    assert!(
        h.query_by_label_contains("pain points").is_some(),
        "status bar"
    );

    press(&mut h, Modifiers::NONE, Key::F5);
    h.run_steps(2);
    assert!(h.state().view.presenting.is_some());
    assert!(
        h.query_by_label_contains("pain points").is_none(),
        "bars hidden"
    );
    let presented = placement(&h);
    assert_ne!(presented, before, "the presentation fits the whole window");
    assert_eq!(presented.0.size(), egui::vec2(1366.0, 768.0));
    // Page Down zooms to the first stage, Page Up goes back to the whole map.
    press(&mut h, Modifiers::NONE, Key::PageDown);
    h.run_steps(2);
    let first = journey(&h).stages[0].id;
    assert_eq!(
        h.state().view.fit_target,
        waymark::ui::canvas::FitTarget::Stage(first)
    );
    assert!(placement(&h).1.scaling > presented.1.scaling);
    press(&mut h, Modifiers::NONE, Key::PageUp);
    h.run_steps(2);
    assert_eq!(placement(&h), presented);
    press(&mut h, Modifiers::NONE, Key::PageDown);

    press(&mut h, Modifiers::NONE, Key::Escape);
    h.run_steps(3);
    assert!(h.state().view.presenting.is_none());
    assert_eq!(placement(&h), before, "the view from before");
    assert_eq!(h.state().status().map(str::to_owned), status);
    assert!(
        h.query_by_label_contains("pain points").is_some(),
        "status bar"
    );
    assert!(h.query_by_label_contains("Presentation").is_none());
    assert!(h.query_by_label("Palette: Email").is_some(), "panels back");

    // F5 leaves too, and zoom to fit afterwards shows the map centred.
    press(&mut h, Modifiers::NONE, Key::F5);
    press(&mut h, Modifiers::NONE, Key::F5);
    h.run_steps(2);
    assert_eq!(placement(&h), before);
    press(&mut h, Modifiers::COMMAND, Key::Num0);
    press(&mut h, Modifiers::COMMAND, Key::Num1);
    let (canvas, to_screen) = placement(&h);
    let map = to_screen * egui::Rect::from_min_size(Pos2::ZERO, layout(&h).size);
    assert!(
        map.intersects(canvas) && map.contains(canvas.center()),
        "zoom 100% after a fit shows the middle of the map, not the desk"
    );
}

#[test]
fn a_dropped_card_starts_title_editing_and_the_editor_wraps_a_long_title() {
    let mut h = example();
    let before = journey(&h);
    let lane = before
        .lanes
        .iter()
        .find(|l| l.kind == LaneKind::Thoughts)
        .unwrap()
        .id;
    let step = before.steps().nth(1).unwrap().1.id;
    let target = to_screen(&h, layout(&h).cell_rect(step, lane).unwrap().center());
    let source = h.get_by_label("Palette: Card").rect().center();
    drag(&mut h, source, target);

    let field = h.get_by_label("Card title");
    assert!(
        field.is_focused(),
        "the dropped card's title is being edited"
    );
    let one_row = field.rect().height();
    // The suggested title is selected: typing replaces it.
    let title = "Wonders whether the driver will find the flat without a buzzer";
    field.type_text(title);
    h.run_steps(2);
    let field = h.get_by_label("Card title");
    let card = journey(&h).cards_in(step, lane).next().unwrap().clone();
    let card_rect = to_screen(&h, layout(&h).card(card.id).unwrap().rect.min);
    assert!(
        field.rect().height() > 1.8 * one_row,
        "a long title wraps onto more rows ({} vs {one_row})",
        field.rect().height()
    );
    assert!(
        (field.rect().min - card_rect).length() < 8.0,
        "the editor is on the card: {:?} vs {card_rect:?}",
        field.rect()
    );
    h.key_press(Key::Enter);
    h.run_steps(3);
    assert_eq!(journey(&h).card(card.id).unwrap().title, title);
    assert!(
        h.query_by_label("Card title").is_none(),
        "Enter closes the editor"
    );
}

#[test]
fn new_maps_have_one_default_title_in_the_app_and_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("six.journey.ron");
    let status = common::waymark()
        .args(["new", "--template", "six-stage", "-o"])
        .arg(&path)
        .status()
        .unwrap();
    assert!(status.success());
    let from_cli = waymark::io::load(&path).unwrap();

    let mut h = harness(None);
    h.state_mut().queue(waymark::ui::actions::Action::New(
        waymark::model::templates::Template::SixStage,
    ));
    h.run_steps(3);
    let from_app = journey(&h);
    assert_eq!(from_app.stages.len(), 6);
    assert_eq!(from_app.title, from_cli.title);
    assert_eq!(from_app.title, waymark::model::templates::DEFAULT_TITLE);
}

#[test]
fn save_as_suggests_a_full_path() {
    let mut h = harness(None);
    press(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::S);
    let text = h.get_by_label("File path").value().unwrap_or_default();
    let path = Path::new(&text);
    assert!(path.is_absolute(), "{text}");
    assert!(text.ends_with("untitled-journey.journey.ron"), "{text}");
    assert_eq!(
        path.parent(),
        Some(std::env::current_dir().unwrap().as_path())
    );
}

#[test]
fn hovering_a_card_too_small_to_read_shows_its_whole_text() {
    let mut h = laptop(EXAMPLE);
    assert!(Theme::default().title_font(h.state().view.zoom).size < 11.0);
    let card = journey(&h)
        .cards
        .iter()
        .find(|c| c.notes.len() > 30)
        .unwrap()
        .clone();
    assert!(h.query_by_label(&card.notes).is_none());
    let center = h
        .get_by_label(&format!("Card: {}", card.title))
        .rect()
        .center();
    h.hover_at(center);
    h.run_steps(common::FPS);
    assert!(
        h.query_by_label(&card.notes).is_some(),
        "the notes in a tooltip"
    );
}

#[test]
fn help_about_shows_the_version_licence_and_file_format() {
    let mut h = example();
    click(&mut h, "Help");
    click(&mut h, "About Waymark");
    // A new window measures itself in its first frame and shows in the next.
    h.run_steps(2);
    assert!(h.query_by_label(env!("CARGO_PKG_VERSION")).is_some());
    assert!(h.query_by_label(env!("CARGO_PKG_LICENSE")).is_some());
    let format = waymark::model::FORMAT_VERSION.to_string();
    assert!(h.query_by_label(&format).is_some());
    assert!(
        h.query_by_label("Inter, SIL Open Font License 1.1")
            .is_some()
    );
}
