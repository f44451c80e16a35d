//! UI tests of workshop mode (issue 26): reveal stage by stage, the timer on
//! a manual clock, dot-voting with three participants and its ranking,
//! clearing votes and undo, a scoring round that writes samples, and
//! leaving back to the editor as it was. They drive the real app on a copy
//! of the grocery example with `today` fixed, and assert on the journey
//! and on what the scene is told to draw.

use std::path::Path;

use crate::common::{self, journey, press, undo};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use waymark::edit::Item;
use waymark::model::{CardId, CurveState, Date};
use waymark::ui::app::{StartOptions, WaymarkApp};
use waymark::ui::workshop::Clock;
use waymark::view::scene::WorkshopScene;
use waymark::view::scene::workshop::{DotFilter, Spotlight, Unrevealed};

/// The day these tests run on, whatever the clock says.
const TODAY: Date = Date::constant(2026, 12, 7);

/// The app on a copy of the grocery example in `dir`, with today fixed and
/// the workshop's clock stopped at 100 s.
fn app_in(dir: &Path) -> Harness<'static, WaymarkApp> {
    let file = dir.join("grocery.journey.ron");
    std::fs::copy(common::repo().join(common::EXAMPLE), &file).unwrap();
    let mut h = common::harness(StartOptions {
        file: Some(file),
        ..StartOptions::default()
    });
    h.state_mut().today = Some(TODAY);
    h.state_mut().workshop.clock = Clock::Manual(100.0);
    h.run_steps(2);
    h
}

fn key(h: &mut Harness<'_, WaymarkApp>, key: Key) {
    press(h, Modifiers::NONE, key);
}

fn click(h: &mut Harness<'_, WaymarkApp>, label: &str) {
    h.get_by_label(label).click();
    h.run_steps(3);
}

fn card_id(h: &Harness<'_, WaymarkApp>, title: &str) -> CardId {
    h.state()
        .doc
        .journey
        .cards
        .iter()
        .find(|c| c.title == title)
        .unwrap_or_else(|| panic!("no card {title:?}"))
        .id
}

fn shows(h: &Harness<'_, WaymarkApp>, text: &str) -> bool {
    h.query_all_by_label(text).next().is_some()
}

const FEES: &str = "Show fee table before sign-up";
const BASKET: &str = "Keep basket and slot through 3DS";
const ALLERGEN: &str = "Allergen-aware substitutions";

#[test]
fn the_stages_are_revealed_one_at_a_time_and_nothing_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_in(dir.path());
    key(&mut h, Key::F6);
    assert!(
        h.state().view.presenting.is_some(),
        "workshop mode presents"
    );
    assert!(shows(&h, "Reveal (R)"), "the control bar is shown");
    assert_eq!(h.state().view.workshop.revealed, None, "all shown at first");

    key(&mut h, Key::R);
    assert_eq!(h.state().view.workshop.revealed, Some(1));
    assert!(shows(&h, "1 of 5 stages"));
    key(&mut h, Key::PageDown);
    key(&mut h, Key::PageDown);
    assert_eq!(h.state().view.workshop.revealed, Some(3));
    key(&mut h, Key::PageUp);
    assert_eq!(h.state().view.workshop.revealed, Some(2));
    click(&mut h, "▶");
    assert_eq!(h.state().view.workshop.revealed, Some(3));
    assert_eq!(h.state().view.workshop.unrevealed, Unrevealed::Greyed);
    key(&mut h, Key::G);
    assert_eq!(h.state().view.workshop.unrevealed, Unrevealed::Hidden);

    // L spotlights the stages in turn.
    key(&mut h, Key::L);
    let first = h.state().doc.journey.stages[0].id;
    assert_eq!(
        h.state().view.workshop.spotlight,
        Some(Spotlight::Stage(first))
    );
    key(&mut h, Key::H);
    assert!(!shows(&h, "Reveal (R)"), "H hides the bar");
    assert!(!h.state().is_dirty(), "view state only");
    assert!(!h.state().doc.history().can_undo());
}

#[test]
fn the_timer_counts_down_pauses_and_says_when_time_is_up() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_in(dir.path());
    key(&mut h, Key::F6);
    click(&mut h, "2 min");
    assert!(shows(&h, "2:00"));
    key(&mut h, Key::T);
    h.state_mut().workshop.clock = Clock::Manual(130.0);
    h.run_steps(2);
    assert!(shows(&h, "1:30"), "30 s of 2 min gone");
    assert!(shows(&h, "Pause (T)"));

    key(&mut h, Key::T);
    h.state_mut().workshop.clock = Clock::Manual(500.0);
    h.run_steps(2);
    assert!(shows(&h, "1:30"), "paused time does not count");
    assert!(shows(&h, "Resume (T)"));

    key(&mut h, Key::T);
    h.state_mut().workshop.clock = Clock::Manual(590.0);
    h.run_steps(2);
    assert!(shows(&h, "Time's up"));
    press(&mut h, Modifiers::SHIFT, Key::T);
    assert!(shows(&h, "2:00"), "reset to the full time");
    assert!(!shows(&h, "Time's up"));
}

/// Three participants vote: two with the panel's buttons, one on the map.
fn vote_three(h: &mut Harness<'_, WaymarkApp>) {
    key(h, Key::F6);
    key(h, Key::V);
    key(h, Key::N);
    assert!(shows(h, "Participant 1"));
    click(h, FEES);
    click(h, FEES);
    click(h, BASKET);
    assert!(shows(h, "0 dots left  "));
    click(h, ALLERGEN);
    assert!(
        shows(h, "Participant 1 has no dots left: Next participant (N)"),
        "the panel says why"
    );
    key(h, Key::N);
    assert!(shows(h, "Participant 2"));
    click(h, BASKET);
    click(h, ALLERGEN);
    click(h, BASKET);
    key(h, Key::N);
    // The third on the map: a click on a card puts a dot on it.
    for title in [BASKET, BASKET, FEES] {
        h.get_by_label(&format!("Card: {title}")).click_accesskit();
        h.run_steps(3);
    }
    assert!(
        h.state().view.selection.is_empty(),
        "voting selects nothing"
    );
    key(h, Key::F);
}

#[test]
fn three_participants_vote_and_the_ranking_counts_their_dots() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_in(dir.path());
    vote_three(&mut h);
    let votes = journey(&h).votes;
    assert_eq!(votes.len(), 9);
    assert!(votes.iter().all(|v| v.date == TODAY && v.voter.is_empty()));
    let basket = card_id(&h, BASKET);
    assert_eq!(votes.iter().filter(|v| v.card == basket).count(), 5);
    assert_eq!(
        h.state().view.workshop.dots,
        Some(DotFilter::On(TODAY)),
        "the scene draws today's dots"
    );

    let first = format!("1. {BASKET}\n5 dots · Purchase / Payment fails");
    let second = format!("2. {FEES}\n3 dots · Consideration / Compares delivery fees");
    assert!(shows(&h, &first), "ranked first");
    assert!(shows(&h, &second), "ranked second");
    assert!(shows(
        &h,
        &format!("3. {ALLERGEN}\n1 dot · Delivery / Receives order")
    ));
    click(&mut h, &first);
    assert_eq!(
        h.state().view.workshop.spotlight,
        Some(Spotlight::Card(basket))
    );
}

#[test]
fn clearing_votes_is_one_undo_step_and_each_turn_is_one_too() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_in(dir.path());
    vote_three(&mut h);
    click(&mut h, "Clear today's votes");
    assert!(journey(&h).votes.is_empty());
    assert!(shows(&h, "No votes yet"));
    undo(&mut h);
    assert_eq!(journey(&h).votes.len(), 9, "the clear undone");
    undo(&mut h);
    assert_eq!(journey(&h).votes.len(), 6, "the third participant's turn");
    undo(&mut h);
    assert_eq!(journey(&h).votes.len(), 3, "the second's");
}

#[test]
fn a_scoring_round_writes_samples_and_moves_the_points_to_their_median() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_in(dir.path());
    key(&mut h, Key::F6);
    key(&mut h, Key::S);
    assert!(shows(&h, "Start scoring (N)"));
    key(&mut h, Key::N);
    // Awareness has two steps. Participant 1: +1, +2 (keys 4, 5).
    key(&mut h, Key::Num4);
    key(&mut h, Key::Num5);
    key(&mut h, Key::N);
    // Participant 2: -1, 0 (keys 2, 3).
    key(&mut h, Key::Num2);
    key(&mut h, Key::Num3);
    key(&mut h, Key::N);
    // Participant 3 with the arrows: +1, then -1.
    key(&mut h, Key::ArrowRight);
    key(&mut h, Key::Enter);
    key(&mut h, Key::ArrowLeft);
    key(&mut h, Key::Enter);
    key(&mut h, Key::F);

    let j = journey(&h);
    let persona = j.personas[0].id;
    let steps: Vec<_> = j.stages[0].steps.iter().map(|s| s.id).collect();
    let curve = j.curve_in(persona, CurveState::Current).unwrap();
    let scores = |step| -> Vec<f32> { curve.samples_at(step).iter().map(|s| s.score).collect() };
    assert_eq!(scores(steps[0]), [1.0, -1.0, 1.0]);
    assert_eq!(scores(steps[1]), [2.0, 0.0, -1.0]);
    assert_eq!(curve.points.get(&steps[0]), Some(&1.0), "median");
    assert_eq!(curve.points.get(&steps[1]), Some(&0.0), "median");

    undo(&mut h);
    let j = journey(&h);
    let curve = j.curve_in(persona, CurveState::Current).unwrap();
    assert!(curve.samples_at(steps[0]).is_empty(), "one undo step");
    assert!(curve.samples_at(steps[1]).is_empty());
}

#[test]
fn leaving_workshop_mode_gives_back_the_editor_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_in(dir.path());
    let card = card_id(&h, BASKET);
    h.state_mut().view.select(Item::Card(card));
    h.state_mut()
        .view
        .zoom_around(1.5, egui::pos2(700.0, 400.0));
    h.run_steps(2);
    let before = {
        let app = h.state();
        (app.view.zoom, app.view.offset, app.view.selection.clone())
    };
    assert!(shows(&h, "File"), "the editor's menu bar");

    key(&mut h, Key::F6);
    assert!(
        h.state().view.selection.is_empty(),
        "nothing selected on the projector"
    );
    key(&mut h, Key::R);
    key(&mut h, Key::PageDown);
    key(&mut h, Key::V);
    key(&mut h, Key::Escape);

    let app = h.state();
    assert!(app.view.presenting.is_none());
    assert_eq!(
        (app.view.zoom, app.view.offset, app.view.selection.clone()),
        before
    );
    assert_eq!(
        app.view.workshop,
        WorkshopScene::default(),
        "no reveal left on the editor"
    );
    assert!(shows(&h, "File"), "the menu bar is back");
    assert!(!app.is_dirty());
}

#[test]
fn named_voters_are_saved_with_their_votes() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_in(dir.path());
    key(&mut h, Key::F6);
    key(&mut h, Key::V);
    click(&mut h, "Participants give their names");
    key(&mut h, Key::N);
    h.get_by_label("Name").focus();
    h.run_steps(1);
    h.get_by_label("Name").type_text("Ana");
    h.run_steps(2);
    h.ctx.memory_mut(egui::Memory::stop_text_input);
    h.run_steps(2);
    assert!(shows(&h, "Ana"), "the turn is hers");
    click(&mut h, ALLERGEN);
    key(&mut h, Key::N);
    assert!(
        shows(&h, "Participant 2"),
        "the next one's name is still to type"
    );
    click(&mut h, BASKET);
    key(&mut h, Key::F);
    let votes = journey(&h).votes;
    let voters: Vec<&str> = votes.iter().map(|v| v.voter.as_str()).collect();
    assert_eq!(voters, ["Ana", ""]);
}
