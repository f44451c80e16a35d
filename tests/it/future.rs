//! UI tests of the current and future states and of many voices (issue 24):
//! switching the view between Current, Future and Compare, sketching a
//! to-be curve, marking cards planned and removed, scoring a point with
//! participants' scores, hiding a persona, copying the current curve to
//! the future; each change undone and redone. They drive the real app and
//! assert on the journey and on what the view lays out.

use std::path::PathBuf;

use crate::common::{self, drag, journey, press, redo, scroll_click, undo};
use egui::accesskit::Role;
use egui::{Key, Modifiers, Pos2, pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use waymark::edit::Item;
use waymark::model::{CardState, CurveState, PersonaId, StepId};
use waymark::ui::app::{StartOptions, WaymarkApp};
use waymark::view::layout::Layout;
use waymark::view::states::StateView;
use waymark::view::theme::Theme;

const SAAS: &str = "examples/saas-trial.journey.ron";

fn harness(file: Option<PathBuf>) -> Harness<'static, WaymarkApp> {
    common::harness(StartOptions {
        file,
        ..StartOptions::default()
    })
}

/// The app on a copy of the software-trial example (saved edits must not touch it).
fn saas(dir: &std::path::Path) -> Harness<'static, WaymarkApp> {
    let file = dir.join("saas.journey.ron");
    std::fs::copy(common::repo().join(SAAS), &file).unwrap();
    harness(Some(file))
}

/// The layout the canvas draws now (of the journey as the view shows it).
fn shown_layout(h: &mut Harness<'_, WaymarkApp>) -> std::sync::Arc<Layout> {
    let app = h.state_mut();
    let revision = app.doc.revision();
    let journey = app.doc.journey.clone();
    app.view.layout(&journey, revision, &Theme::default())
}

fn to_screen(h: &Harness<'_, WaymarkApp>, map: Pos2) -> Pos2 {
    h.state().view.map_to_screen() * map
}

fn select(h: &mut Harness<'_, WaymarkApp>, item: Item) {
    h.state_mut().view.select(item);
    h.run_steps(2);
}

/// Daniel, the software-trial example's first persona, and his import step, where
/// six participants scored him.
const DANIEL: PersonaId = PersonaId(1);
const IMPORT: StepId = StepId(12);

#[test]
fn the_state_keys_switch_what_the_map_shows_and_record_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = saas(dir.path());
    let j = journey(&h);
    let planned = j
        .cards
        .iter()
        .find(|c| c.state == CardState::Future)
        .unwrap()
        .id;
    let removed = j
        .cards
        .iter()
        .find(|c| c.state == CardState::Removed)
        .unwrap()
        .id;
    let curves = |layout: &Layout, state| layout.curves.iter().filter(|c| c.state == state).count();

    let layout = shown_layout(&mut h);
    assert_eq!(h.state().view.state, StateView::Current);
    assert!(layout.card(planned).is_none() && layout.card(removed).is_some());
    assert_eq!(
        (
            curves(&layout, CurveState::Current),
            curves(&layout, CurveState::Future)
        ),
        (2, 0)
    );

    press(&mut h, Modifiers::NONE, Key::F8);
    let layout = shown_layout(&mut h);
    assert_eq!(h.state().view.state, StateView::Future);
    assert!(layout.card(planned).is_some() && layout.card(removed).is_none());
    assert_eq!(
        (
            curves(&layout, CurveState::Current),
            curves(&layout, CurveState::Future)
        ),
        (0, 2)
    );

    press(&mut h, Modifiers::NONE, Key::F9);
    let layout = shown_layout(&mut h);
    assert_eq!(h.state().view.state, StateView::Compare);
    assert!(layout.card(planned).is_some() && layout.card(removed).is_some());
    assert_eq!(
        (
            curves(&layout, CurveState::Current),
            curves(&layout, CurveState::Future)
        ),
        (2, 2)
    );

    press(&mut h, Modifiers::NONE, Key::F7);
    assert_eq!(h.state().view.state, StateView::Current);
    assert_eq!(journey(&h), j, "a view choice changes nothing in the map");
    assert!(
        !h.state().doc.history().can_undo(),
        "and is not an undo step"
    );
}

#[test]
fn sketching_in_the_future_view_draws_the_to_be_curve() {
    let mut h = harness(None);
    let before = journey(&h);
    let persona = before.personas[0].id;
    press(&mut h, Modifiers::NONE, Key::F8);
    let layout = shown_layout(&mut h);
    let plot = layout.emotion_plot.unwrap();
    press(&mut h, Modifiers::NONE, Key::E);
    let from = to_screen(&h, pos2(layout.columns[0].x.min + 5.0, plot.max - 5.0));
    let to = to_screen(&h, pos2(layout.columns[3].x.max - 5.0, plot.min + 5.0));
    drag(&mut h, from, to);
    let sketched = journey(&h);
    let future = sketched.curve_in(persona, CurveState::Future).unwrap();
    assert_eq!(future.points.len(), 4, "{:?}", future.points);
    assert_eq!(
        sketched.curve(persona),
        before.curve(persona),
        "the as-is curve is untouched"
    );
    // Compare draws both: the to-be curve beside the (empty) as-is one.
    press(&mut h, Modifiers::NONE, Key::F9);
    let layout = shown_layout(&mut h);
    assert!(
        layout
            .curves
            .iter()
            .any(|c| c.state == CurveState::Future && c.points.len() == 4)
    );
    undo(&mut h);
    assert_eq!(journey(&h), before);
    redo(&mut h);
    assert_eq!(journey(&h), sketched);
}

#[test]
fn a_card_is_marked_planned_and_another_removed_each_one_step() {
    let mut h = harness(Some(PathBuf::from(common::EXAMPLE)));
    let before = journey(&h);
    let (first, second) = (before.cards[0].clone(), before.cards[1].clone());
    select(&mut h, Item::Card(first.id));
    scroll_click(&mut h, CardState::Future.label());
    select(&mut h, Item::Card(second.id));
    scroll_click(&mut h, CardState::Removed.label());
    let marked = journey(&h);
    assert_eq!(marked.card(first.id).unwrap().state, CardState::Future);
    assert_eq!(marked.card(second.id).unwrap().state, CardState::Removed);
    // The Current view leaves the planned card out; Future, the removed one.
    let layout = shown_layout(&mut h);
    assert!(layout.card(first.id).is_none() && layout.card(second.id).is_some());
    press(&mut h, Modifiers::NONE, Key::F8);
    let layout = shown_layout(&mut h);
    assert!(layout.card(first.id).is_some() && layout.card(second.id).is_none());
    undo(&mut h);
    assert_eq!(
        journey(&h).card(second.id).unwrap().state,
        CardState::Current
    );
    undo(&mut h);
    assert_eq!(journey(&h), before);
    redo(&mut h);
    redo(&mut h);
    assert_eq!(journey(&h), marked);
}

/// Sets the score in the row `row` ("1.", "2.", ...) of the point's
/// participants' scores by typing it.
fn type_score(h: &mut Harness<'_, WaymarkApp>, row: &str, score: &str) {
    h.get_by_role_and_label(Role::SpinButton, row).focus();
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.step();
    h.get_by_role_and_label(Role::SpinButton, row)
        .type_text(score);
    h.run_steps(1);
    h.key_press(Key::Enter);
    h.run_steps(3);
}

#[test]
fn three_participants_scores_move_the_point_to_their_median_with_a_band() {
    let mut h = harness(None);
    let before = journey(&h);
    let persona = before.personas[0].id;
    let step = before.steps().nth(1).unwrap().1.id;
    select(&mut h, Item::CurvePoint(persona, step));
    scroll_click(&mut h, "Add score");
    scroll_click(&mut h, "Add score");
    scroll_click(&mut h, "Add score");
    let added = journey(&h);
    assert_eq!(added.curve(persona).unwrap().samples_at(step).len(), 3);
    type_score(&mut h, "1.", "-2");
    type_score(&mut h, "2.", "1");
    let scored = journey(&h);
    let samples = scored.curve(persona).unwrap().samples_at(step);
    let scores: Vec<f32> = samples.iter().map(|s| s.score).collect();
    assert_eq!(scores, vec![-2.0, 1.0, 0.0], "{samples:?}");
    let point = scored.curve(persona).unwrap().points[&step];
    assert!(point.abs() < 1e-6, "the median of -2, 1, 0 is 0: {point}");
    // The canvas draws the band from -2 to +1 around the point.
    let layout = shown_layout(&mut h);
    let x = layout.curve_point(persona, step).unwrap().x;
    let band = waymark::view::scene::states::spread_rect(
        &layout,
        x,
        samples,
        waymark::model::SpreadKind::Range,
    )
    .unwrap();
    assert!((band.min.y - layout.score_y(1.0).unwrap()).abs() < 1e-3);
    assert!((band.max.y - layout.score_y(-2.0).unwrap()).abs() < 1e-3);
    // Each change was one step: two scores typed, three added.
    undo(&mut h);
    undo(&mut h);
    assert_eq!(journey(&h), added);
    for _ in 0..3 {
        undo(&mut h);
    }
    assert_eq!(journey(&h), before);
    for _ in 0..5 {
        redo(&mut h);
    }
    assert_eq!(journey(&h), scored);
}

#[test]
fn a_point_with_participants_scores_is_not_dragged() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = saas(dir.path());
    let before = journey(&h);
    let layout = shown_layout(&mut h);
    let point = to_screen(&h, layout.curve_point(DANIEL, IMPORT).unwrap());
    let plot = layout.emotion_plot.unwrap();
    let top = to_screen(&h, pos2(0.0, plot.min)).y;
    drag(&mut h, point, pos2(point.x, top));
    assert_eq!(
        journey(&h),
        before,
        "the median stays where the scores put it"
    );
    assert!(!h.state().doc.history().can_undo());
    // A point without scores beside it is dragged as always.
    let first = StepId(4);
    let point = to_screen(&h, layout.curve_point(DANIEL, first).unwrap());
    drag(&mut h, point, pos2(point.x, top));
    let moved = journey(&h).curve(DANIEL).unwrap().points[&first];
    assert!((moved - 2.0).abs() < 0.11, "dragged to the top: {moved}");
}

#[test]
fn hiding_a_persona_leaves_it_out_of_the_map_in_one_step() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = saas(dir.path());
    let before = journey(&h);
    select(&mut h, Item::Persona(DANIEL));
    scroll_click(&mut h, "Hide from the map and exports");
    let hidden = journey(&h);
    assert!(hidden.persona(DANIEL).unwrap().hidden);
    let layout = shown_layout(&mut h);
    assert!(layout.curves.iter().all(|c| c.persona != DANIEL));
    let strip = layout.personas.as_ref().unwrap();
    assert!(strip.blocks.iter().all(|b| b.id != DANIEL));
    undo(&mut h);
    assert_eq!(journey(&h), before);
    let layout = shown_layout(&mut h);
    assert!(layout.curves.iter().any(|c| c.persona == DANIEL));
    redo(&mut h);
    assert_eq!(journey(&h), hidden);
}

#[test]
fn the_pen_draws_for_the_first_persona_the_map_shows() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = saas(dir.path());
    select(&mut h, Item::Persona(DANIEL));
    scroll_click(&mut h, "Hide from the map and exports");
    press(&mut h, Modifiers::NONE, Key::Escape);
    let before = journey(&h);
    let shown = before.personas.iter().find(|p| !p.hidden).unwrap().id;
    assert_ne!(shown, DANIEL);
    let layout = shown_layout(&mut h);
    let plot = layout.emotion_plot.unwrap();
    press(&mut h, Modifiers::NONE, Key::E);
    let from = to_screen(&h, pos2(layout.columns[0].x.min + 5.0, plot.max - 5.0));
    let to = to_screen(&h, pos2(layout.columns[2].x.max - 5.0, plot.min + 5.0));
    drag(&mut h, from, to);
    let sketched = journey(&h);
    assert_eq!(
        sketched.curve(DANIEL),
        before.curve(DANIEL),
        "hidden: untouched"
    );
    assert_ne!(
        sketched.curve(shown),
        before.curve(shown),
        "the shown one is drawn"
    );
}

#[test]
fn copying_the_current_curve_starts_the_future_one_in_one_step() {
    let mut h = harness(Some(PathBuf::from(common::EXAMPLE)));
    let before = journey(&h);
    let persona = before.personas[0].id;
    assert!(before.curve_in(persona, CurveState::Future).is_none());
    select(&mut h, Item::Persona(persona));
    scroll_click(&mut h, "Copy current curve to future");
    let copied = journey(&h);
    assert_eq!(
        copied.curve_in(persona, CurveState::Future).unwrap().points,
        copied.curve(persona).unwrap().points
    );
    undo(&mut h);
    assert_eq!(journey(&h), before);
    redo(&mut h);
    assert_eq!(journey(&h), copied);
}

/// Export options for the tests' pictures: 1x, no date, in `state`.
fn export_options(state: StateView) -> waymark::export::ExportOptions {
    waymark::export::ExportOptions {
        state,
        date: None,
        ..waymark::export::ExportOptions::default()
    }
}

/// The pixel (r, g, b) of the exported picture at a map position.
fn pixel_at(
    journey: &waymark::model::Journey,
    options: &waymark::export::ExportOptions,
    map: Pos2,
) -> [u8; 3] {
    let frame = waymark::export::picture_frame(journey, options);
    let image = waymark::export::render(journey, options).unwrap();
    let at = (map + frame.map_offset) * options.scale;
    let (x, y) = (at.x.round() as usize, at.y.round() as usize);
    let i = (y * image.width as usize + x) * 4;
    let data = image.data();
    [data[i], data[i + 1], data[i + 2]]
}

/// Blue is Daniel's colour: much more blue than red.
fn bluish([r, _, b]: [u8; 3]) -> bool {
    i32::from(b) - i32::from(r) > 60
}

#[test]
fn a_compare_export_draws_the_as_is_and_the_to_be_curve() {
    let j = common::load(SAAS);
    let theme = Theme::default();
    let compare = export_options(StateView::Compare);
    let shown = compare.shown(&j);
    let layout = Layout::dated(&shown, &theme, None);
    let geom = |state| {
        layout
            .curves
            .iter()
            .find(|c| c.persona == DANIEL && c.state == state)
            .unwrap()
    };
    let ring = |state, radius: f32| {
        let (_, p) = geom(state)
            .points
            .iter()
            .find(|(s, _)| *s == IMPORT)
            .unwrap();
        *p + egui::vec2(radius, 0.0)
    };
    // The rings of both points at the import step: the as-is one (radius
    // 9) and the smaller to-be one (0.6 of it).
    let as_is = ring(CurveState::Current, theme.curve_point_radius);
    let to_be = ring(CurveState::Future, theme.curve_point_radius * 0.6);
    assert!(bluish(pixel_at(&j, &compare, as_is)), "as-is ring");
    assert!(bluish(pixel_at(&j, &compare, to_be)), "to-be ring");
    // Current draws no to-be point there (its lanes hold fewer cards and
    // its emotion lane is not stretched for two curves: it is placed anew).
    let current = export_options(StateView::Current);
    let current_layout = Layout::dated(&current.shown(&j), &theme, None);
    let to_be_score = j.curve_in(DANIEL, CurveState::Future).unwrap().points[&IMPORT];
    let there = pos2(to_be.x, current_layout.score_y(to_be_score).unwrap());
    assert!(
        !bluish(pixel_at(&j, &current, there)),
        "no to-be ring today"
    );
}

#[test]
fn a_compare_svg_has_a_dashed_to_be_line_and_hidden_personas_are_absent() {
    let mut j = common::load(SAAS);
    let svg = |j: &waymark::model::Journey, state| {
        let mut out = Vec::new();
        waymark::export::svg::write_svg(j, &export_options(state), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    // Daniel's to-be dashes: short lines in his colour, lightened (its
    // blue unmultiplied from 75% comes back a shade off).
    let dashes = |svg: &str| {
        svg.lines()
            .filter(|l| l.starts_with("<line") && l.contains(r##"stroke="#0073b3""##))
            .filter(|l| l.contains(r#"stroke-opacity="0.75""#))
            .count()
    };
    let compare = svg(&j, StateView::Compare);
    assert!(dashes(&compare) > 20, "{} dashes", dashes(&compare));
    assert_eq!(dashes(&svg(&j, StateView::Current)), 0);
    assert!(
        compare.contains("Future (to-be), dashed"),
        "the legend says so"
    );
    assert!(compare.contains("Priya Raman"));
    j.personas[1].hidden = true;
    for state in StateView::ALL {
        let hidden = svg(&j, state);
        assert!(
            !hidden.contains("Priya Raman"),
            "{state:?}: no name in header, strip or legend"
        );
        assert!(hidden.contains("Daniel Okafor"));
    }
}

#[test]
fn the_command_line_exports_the_compare_state() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("compare.svg");
    let status = common::waymark()
        .args([
            "export",
            SAAS,
            "--state",
            "compare",
            "--date",
            "2026-12-07",
            "-o",
        ])
        .arg(&out)
        .current_dir(common::repo())
        .status()
        .unwrap();
    assert!(status.success());
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.contains("Planned: new in the future"));
    let bad = common::waymark()
        .args(["export", SAAS, "--state", "someday", "-o"])
        .arg(dir.path().join("x.png"))
        .current_dir(common::repo())
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2), "a usage error");
}
