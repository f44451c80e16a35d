//! UI tests of format 2's editing (issue 23): stage goals and KPIs, an
//! opportunity's action item and the Action plan panel, evidence, a persona
//! photo, revision notes (inspector and Save with note), the goals band;
//! each undone and redone. They drive the real app on a copy of the software-trial
//! example with `today` fixed, and assert on the journey.

use std::path::{Path, PathBuf};

use crate::common::{self, journey, press, redo, scroll_click, undo};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use waymark::edit::Item;
use waymark::model::{Confidence, Date, Priority, Source, Status};
use waymark::ui::app::{StartOptions, WaymarkApp};

/// The software-trial example as it was before format 2 (migrated): no
/// goals, KPIs, plans or evidence yet, for the tests to add.
const SAAS: &str = "tests/fixtures/format-1-saas.migrated.journey.ron";
/// The day these tests run on, whatever the clock says.
const TODAY: Date = Date::constant(2026, 12, 7);

/// The app on a copy of the software-trial example in `dir`, with today fixed.
fn app_in(dir: &Path) -> Harness<'static, WaymarkApp> {
    let file = dir.join("saas.journey.ron");
    std::fs::copy(common::repo().join(SAAS), &file).unwrap();
    let mut h = common::harness(StartOptions {
        file: Some(file),
        ..StartOptions::default()
    });
    h.state_mut().today = Some(TODAY);
    h.run_steps(2);
    h
}

/// Replaces the text of the field `label` with `text` and leaves it, ending
/// its undo step. (Tab would focus the next field, where Ctrl+Z is the
/// field's own; Escape would also clear the selection.)
fn type_into(h: &mut Harness<'_, WaymarkApp>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.step();
    h.get_by_label(label).type_text(text);
    h.run_steps(2);
    h.ctx.memory_mut(egui::Memory::stop_text_input);
    h.run_steps(2);
}

/// Picks `choice` from the drop-down labelled `label`.
fn choose(h: &mut Harness<'_, WaymarkApp>, label: &str, choice: &str) {
    scroll_click(h, label);
    h.get_by_label(choice).click();
    h.run_steps(2);
}

fn select(h: &mut Harness<'_, WaymarkApp>, item: Item) {
    h.state_mut().view.select(item);
    h.run_steps(2);
}

fn card_titled(h: &Harness<'_, WaymarkApp>, title: &str) -> waymark::model::Card {
    journey(h)
        .cards
        .into_iter()
        .find(|c| c.title == title)
        .unwrap()
}

#[test]
fn a_stage_goal_is_typed_in_the_inspector_and_undone_in_one_step() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_in(dir.path());
    let before = journey(&h);
    common::click(&mut h, "Stage: Awareness");
    type_into(
        &mut h,
        "Customer goal",
        "Stop losing Fridays to rota clashes",
    );
    type_into(&mut h, "Business goal", "Be on the shortlist");
    let stage = &journey(&h).stages[0];
    assert_eq!(stage.customer_goal, "Stop losing Fridays to rota clashes");
    assert_eq!(stage.business_goal, "Be on the shortlist");
    undo(&mut h);
    assert_eq!(journey(&h).stages[0].business_goal, "");
    undo(&mut h);
    assert_eq!(journey(&h), before);
    redo(&mut h);
    redo(&mut h);
    assert_eq!(journey(&h).stages[0].business_goal, "Be on the shortlist");
}

#[test]
fn a_kpi_from_the_presets_shows_whether_it_is_on_target() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_in(dir.path());
    let before = journey(&h);
    common::click(&mut h, "Stage: Awareness");
    choose(&mut h, "Add KPI", "Time to complete");
    let kpis = journey(&h).stages[0].kpis.clone();
    assert_eq!(kpis.len(), 1);
    assert_eq!(
        (kpis[0].name.as_str(), kpis[0].unit.as_str()),
        ("Time to complete", "min")
    );
    type_into(&mut h, "Value", "12");
    type_into(&mut h, "Target", "10");
    // Less time is better for this preset: 12 minutes misses 10.
    assert!(h.query_by_label_contains("Off target").is_some());
    type_into(&mut h, "Value", "8.5");
    assert!(h.query_by_label_contains("On target").is_some());
    assert!(h.query_by_label_contains("Off target").is_none());
    assert_eq!(journey(&h).stages[0].kpis[0].on_target(), Some(true));
    // A value that is not a number changes nothing.
    type_into(&mut h, "Target", "ten");
    assert_eq!(journey(&h).stages[0].kpis[0].target, Some(10.0));
    assert!(h.query_by_label_contains("is not a number").is_some());
    for _ in 0..4 {
        undo(&mut h);
    }
    assert_eq!(journey(&h), before);
    for _ in 0..4 {
        redo(&mut h);
    }
    assert_eq!(journey(&h).stages[0].kpis[0].value, Some(8.5));
}

#[test]
fn an_opportunity_s_action_item_shows_in_the_action_plan_overdue() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_in(dir.path());
    let before = journey(&h);
    let card = card_titled(&h, "Seasonal seat pricing");
    select(&mut h, Item::Card(card.id));
    type_into(&mut h, "Owner", "Maya (pricing)");
    choose(&mut h, "Status", "In progress");
    choose(&mut h, "Priority", "High");
    type_into(&mut h, "Due", "2026-12-01");
    let plan = card_titled(&h, "Seasonal seat pricing").plan.unwrap();
    assert_eq!(plan.owner, "Maya (pricing)");
    assert_eq!(plan.status, Status::InProgress);
    assert_eq!(plan.priority, Priority::High);
    assert_eq!(plan.due, Some(Date::constant(2026, 12, 1)));
    assert!(h.query_by_label_contains("Overdue").is_some());

    press(&mut h, Modifiers::COMMAND, Key::L);
    assert!(h.query_by_label("Action plan").is_some());
    assert!(h.query_by_label("Maya (pricing)").is_some());
    assert!(
        h.query_by_label("2026-12-01 overdue").is_some()
            || h.query_by_label_contains("2026-12-01 overdue").is_some()
    );
    // The status filter hides it; any status shows it again.
    choose(&mut h, "Show", "Done");
    assert!(h.query_by_label("Maya (pricing)").is_none());
    choose(&mut h, "Show", "Any status");
    assert!(h.query_by_label("Maya (pricing)").is_some());

    for _ in 0..4 {
        undo(&mut h);
    }
    assert_eq!(journey(&h), before);
    for _ in 0..4 {
        redo(&mut h);
    }
    assert_eq!(card_titled(&h, "Seasonal seat pricing").plan, Some(plan));
}

#[test]
fn the_action_plan_sorts_by_a_header_and_a_row_selects_and_reveals_its_card() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_in(dir.path());
    press(&mut h, Modifiers::COMMAND, Key::L);
    let y = |h: &Harness<'_, WaymarkApp>, title: &str| h.get_by_label(title).rect().center().y;
    // Map order first: the demo workspace (Consideration) before the
    // import wizard (Decision).
    assert!(y(&h, "Logistics demo workspace") < y(&h, "Column-mapping import wizard"));
    common::click(&mut h, "Title");
    assert!(y(&h, "Column-mapping import wizard") < y(&h, "Logistics demo workspace"));
    common::click(&mut h, "Title ▲");
    assert!(y(&h, "Logistics demo workspace") < y(&h, "Column-mapping import wizard"));
    assert!(h.query_by_label("Title ▼").is_some());

    // Zoomed in on the first stage, the last opportunity is off screen;
    // clicking its row selects it and brings it into view.
    let card = card_titled(&h, "Fleet operators' user group");
    h.state_mut().view.zoom = 2.0;
    h.state_mut().view.fitted = false;
    h.run_steps(2);
    common::click(&mut h, "Fleet operators' user group");
    let app = h.state();
    assert_eq!(app.view.selection, vec![Item::Card(card.id)]);
    let layout = waymark::view::layout::Layout::new(
        &app.doc.journey,
        &waymark::view::theme::Theme::default(),
    );
    let rect = layout.cards.iter().find(|c| c.id == card.id).unwrap().rect;
    let on_screen = app.view.map_to_screen() * rect;
    assert!(
        app.view.screen_rect.contains_rect(on_screen),
        "{on_screen:?} in {:?}",
        app.view.screen_rect
    );
}

#[test]
fn pain_points_are_linked_to_an_opportunity_by_ticking_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_in(dir.path());
    let before = journey(&h);
    let card = card_titled(&h, "Seasonal seat pricing");
    let pain = before
        .pain_points
        .iter()
        .find(|p| p.opportunity.is_none())
        .unwrap()
        .clone();
    select(&mut h, Item::Card(card.id));
    scroll_click(&mut h, &pain.text);
    let linked = journey(&h);
    assert_eq!(linked.pain(pain.id).unwrap().opportunity, Some(card.id));
    scroll_click(&mut h, &pain.text);
    assert_eq!(journey(&h), before);
    undo(&mut h);
    assert_eq!(journey(&h), linked);
    undo(&mut h);
    assert_eq!(journey(&h), before);
}

#[test]
fn evidence_is_attached_to_a_card_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_in(dir.path());
    let before = journey(&h);
    let card = card_titled(&h, "Shortlists three vendors");
    select(&mut h, Item::Card(card.id));
    scroll_click(&mut h, "Add evidence");
    choose(&mut h, "Source", "Survey");
    choose(&mut h, "Confidence", "Validated");
    type_into(
        &mut h,
        "Quote",
        "We looked at three and picked the cheapest",
    );
    let evidence = card_titled(&h, "Shortlists three vendors")
        .evidence
        .unwrap();
    assert_eq!(evidence.source, Source::Survey);
    assert_eq!(evidence.confidence, Confidence::Validated);
    assert_eq!(evidence.quote, "We looked at three and picked the cheapest");
    scroll_click(&mut h, "Remove evidence");
    assert_eq!(card_titled(&h, "Shortlists three vendors").evidence, None);
    undo(&mut h);
    assert_eq!(
        card_titled(&h, "Shortlists three vendors").evidence,
        Some(evidence)
    );
    for _ in 0..4 {
        undo(&mut h);
    }
    assert_eq!(journey(&h), before);
    redo(&mut h);
    assert!(
        card_titled(&h, "Shortlists three vendors")
            .evidence
            .is_some()
    );
}

/// A 300x200 PNG in `dir`.
fn png_file(dir: &Path) -> PathBuf {
    let path = dir.join("daniel.png");
    image::RgbImage::from_pixel(300, 200, image::Rgb([200, 120, 40]))
        .save(&path)
        .unwrap();
    path
}

#[test]
fn a_persona_photo_is_set_from_a_file_and_undone() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_in(dir.path());
    let before = journey(&h);
    let persona = before.personas[0].id;
    let png = png_file(dir.path());
    // What the native dialog's answer goes through.
    h.state_mut().set_persona_photo(persona, &png);
    h.run_steps(2);
    let photo = journey(&h).personas[0].photo.clone().unwrap();
    let thumbnail = image::load_from_memory(&photo.bytes()).unwrap();
    assert_eq!((thumbnail.width(), thumbnail.height()), (128, 128));
    select(&mut h, Item::Persona(persona));
    assert!(h.query_by_label_contains("Photo of").is_some(), "a preview");
    undo(&mut h);
    assert_eq!(journey(&h), before);
    redo(&mut h);
    assert_eq!(journey(&h).personas[0].photo, Some(photo));

    // A file that is no image says so and changes nothing.
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "hello").unwrap();
    let with_photo = journey(&h);
    h.state_mut().set_persona_photo(persona, &text);
    h.run_steps(2);
    assert_eq!(journey(&h), with_photo);
    assert!(h.query_by_label("Could not use the photo").is_some());
}

#[test]
fn choose_photo_without_a_native_dialog_asks_for_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_in(dir.path());
    let png = png_file(dir.path());
    let persona = journey(&h).personas[1].id;
    select(&mut h, Item::Persona(persona));
    scroll_click(&mut h, "Choose photo…");
    type_into(&mut h, "File path", &png.display().to_string());
    common::click(&mut h, "Use photo");
    assert!(journey(&h).personas[1].photo.is_some());
    scroll_click(&mut h, "Remove photo");
    assert!(journey(&h).personas[1].photo.is_none());
    undo(&mut h);
    assert!(journey(&h).personas[1].photo.is_some());
}

#[test]
fn a_revision_note_is_added_in_the_inspector() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_in(dir.path());
    let before = journey(&h);
    h.state_mut().view.selection.clear();
    h.run_steps(2);
    scroll_click(&mut h, "Add revision note");
    type_into(&mut h, "Note", "Trial analytics for November");
    type_into(&mut h, "Author", "Ana");
    let revisions = journey(&h).revisions;
    let last = revisions.last().unwrap();
    assert_eq!(last.date, TODAY);
    assert_eq!(
        (last.author.as_str(), last.note.as_str()),
        ("Ana", "Trial analytics for November")
    );
    scroll_click(&mut h, "Today");
    assert_eq!(journey(&h).last_reviewed, Some(TODAY));
    for _ in 0..4 {
        undo(&mut h);
    }
    assert_eq!(journey(&h), before);
    for _ in 0..4 {
        redo(&mut h);
    }
    assert_eq!(journey(&h).revisions, revisions);
}

#[test]
fn save_with_note_adds_the_note_marks_the_review_and_saves_in_one_step() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_in(dir.path());
    let before = journey(&h);
    common::click(&mut h, "File");
    scroll_click(&mut h, "Save with revision note…");
    type_into(&mut h, "Author of the note", "Ana");
    h.get_by_label("What changed").focus();
    h.run_steps(1);
    h.get_by_label("What changed")
        .type_text("Goals for every stage");
    h.run_steps(2);
    common::click(&mut h, "Add note and save");
    let after = journey(&h);
    let last = after.revisions.last().unwrap();
    assert_eq!((last.date, last.author.as_str()), (TODAY, "Ana"));
    assert_eq!(last.note, "Goals for every stage");
    assert_eq!(after.last_reviewed, Some(TODAY));
    assert!(!h.state().is_dirty(), "saved");
    let on_disk = waymark::io::load(&dir.path().join("saas.journey.ron")).unwrap();
    assert_eq!(on_disk, after);
    // The author is remembered for the next note.
    common::click(&mut h, "File");
    scroll_click(&mut h, "Save with revision note…");
    assert_eq!(
        h.get_by_label("Author of the note").value().as_deref(),
        Some("Ana")
    );
    common::click(&mut h, "Cancel");
    assert_eq!(h.state().doc.history().undo_len(), 1);
    undo(&mut h);
    assert_eq!(journey(&h), before);
    redo(&mut h);
    assert_eq!(journey(&h), after);
}

#[test]
fn the_goals_band_is_toggled_from_the_view_menu_and_undone() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_in(dir.path());
    assert!(!journey(&h).hide_goals);
    common::click(&mut h, "View");
    common::click(&mut h, "Goals band   Ctrl+Shift+G");
    assert!(journey(&h).hide_goals);
    press(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::G);
    assert!(!journey(&h).hide_goals);
    undo(&mut h);
    assert!(journey(&h).hide_goals);
    undo(&mut h);
    assert!(!journey(&h).hide_goals);
}

#[test]
fn a_bad_due_date_changes_nothing_and_stays_with_its_card() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_in(dir.path());
    let before = journey(&h);
    let pricing = card_titled(&h, "Seasonal seat pricing").id;
    let trust = card_titled(&h, "Public trust centre").id;
    select(&mut h, Item::Card(pricing));
    type_into(&mut h, "Due", "next sprint");
    assert_eq!(journey(&h), before);
    assert!(h.query_by_label_contains("YYYY-MM-DD").is_some());
    select(&mut h, Item::Card(trust));
    assert!(h.query_by_label_contains("YYYY-MM-DD").is_none());
    assert_eq!(h.get_by_label("Due").value().as_deref(), Some(""));
    select(&mut h, Item::Card(pricing));
    assert_eq!(
        h.get_by_label("Due").value().as_deref(),
        Some("next sprint")
    );
    // "Today" replaces the bad text with a date.
    scroll_click(&mut h, "Today");
    let plan = card_titled(&h, "Seasonal seat pricing").plan.unwrap();
    assert_eq!(plan.due, Some(TODAY));
    assert!(h.query_by_label_contains("YYYY-MM-DD").is_none());
}
