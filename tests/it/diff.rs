//! The visual diff: `waymark diff` exit codes and summaries on edited
//! copies of the examples, the picture's marks (PNG and SVG), git's
//! external diff driver in a real repository, the diff's properties, and
//! File ▸ Compare with… in the app.

use std::path::{Path, PathBuf};
use std::process::Command;

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable as _;
use proptest::prelude::*;
use waymark::export::{ExportOptions, Format};
use waymark::model::diff::{ChangeKind, DiffSubject, diff};
use waymark::model::{Card, CardId, Journey, StepId};
use waymark::ui::app::StartOptions;
use waymark::view::frame::{ExportFrame, FrameParts};
use waymark::view::layout::Layout;
use waymark::view::scene::{DiffMark, DiffOverlay};
use waymark::view::theme::Theme;

use crate::common::{self, EXAMPLES, click, waymark};

/// A copy of `journey` with its first card renamed, its last card removed,
/// a card added beside the first, and the first score of the first curve
/// changed. Returns the copy and the names the summary must show.
fn edited(journey: &Journey) -> (Journey, Vec<String>) {
    let mut new = journey.clone();
    let mut names = Vec::new();
    let first = new.cards.first().unwrap().clone();
    new.cards[0].title = format!("{} (revised)", first.title);
    names.push(format!("\"{} (revised)\"", first.title));
    let removed = new.cards.pop().unwrap();
    names.push(format!("- \"{}\"", removed.title));
    // A new id, never the removed card's.
    let id = CardId(journey.next_id());
    new.cards
        .push(Card::new(id, first.step, first.lane, "Price match promise"));
    names.push("+ \"Price match promise\" (".to_owned());
    if let Some(curve) = new.curves.first_mut()
        && let Some((_, score)) = curve.points.iter_mut().next()
    {
        *score = if *score > 0.0 { -1.0 } else { 1.0 };
        names.push("Scores:".to_owned());
    }
    (new, names)
}

fn run(args: &[&Path]) -> (i32, String, String) {
    let output = waymark().arg("diff").args(args).output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_map_and_itself_exit_0_with_no_changes() {
    let example = common::repo().join(common::EXAMPLE);
    let (code, out, _) = run(&[&example, &example]);
    assert_eq!(code, 0);
    assert_eq!(out, "No changes.\n");
}

#[test]
fn edited_copies_of_every_example_exit_1_naming_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    for example in EXAMPLES {
        let old = common::load(example);
        let (new, names) = edited(&old);
        let path = dir.path().join("new.journey.ron");
        waymark::io::save(&path, &new).unwrap();
        let (code, out, err) = run(&[&common::repo().join(example), &path]);
        assert_eq!(code, 1, "{example}: {err}");
        assert!(out.contains("Cards:\n"), "{example}: {out}");
        for name in &names {
            assert!(
                out.contains(name.as_str()),
                "{example}: no {name:?} in\n{out}"
            );
        }
    }
}

#[test]
fn an_unreadable_map_is_an_error_naming_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.journey.ron");
    std::fs::write(&bad, "(\n  format: 2,\n  title: oops,\n)").unwrap();
    let example = common::repo().join(common::EXAMPLE);
    let (code, _, err) = run(&[&example, &bad]);
    assert_eq!(code, 2);
    assert!(err.starts_with(&format!("{}:3:", bad.display())), "{err}");
    let missing = dir.path().join("missing.journey.ron");
    let (code, _, err) = run(&[&missing, &example]);
    assert_eq!(code, 2);
    assert!(err.contains("missing.journey.ron"), "{err}");
}

#[test]
fn a_missing_argument_or_an_unknown_image_type_is_a_usage_error() {
    let example = common::repo().join(common::EXAMPLE);
    assert_eq!(run(&[&example]).0, 2);
    let output = waymark()
        .args(["diff", common::EXAMPLE, common::EXAMPLE, "-o", "diff.gif"])
        .current_dir(common::repo())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

/// The grocery example and a copy with a card added, one removed (whose
/// cell stays) and a score changed.
fn grocery_pair() -> (Journey, Journey, CardId, Card) {
    let old = common::load(common::EXAMPLE);
    let mut new = old.clone();
    let removed = new.cards.remove(3);
    let first = new.cards[0].clone();
    let added = CardId(new.next_id());
    new.cards
        .insert(0, Card::new(added, first.step, first.lane, "Price match"));
    let curve = &mut new.curves[0];
    let step = *curve.points.keys().nth(2).unwrap();
    curve.points.insert(step, -2.0);
    (old, new, added, removed)
}

fn diff_options() -> ExportOptions {
    ExportOptions {
        scale: 1.0,
        header: false,
        legend: false,
        date: Some(jiff::civil::date(2026, 12, 7)),
        ..ExportOptions::default()
    }
}

/// Where the map's origin is in a picture of `new` drawn with [`diff_options`].
fn map_offset(new: &Journey, layout: &Layout) -> egui::Vec2 {
    let parts = FrameParts {
        header: false,
        legend: false,
    };
    ExportFrame::new(new, layout, 24.0, parts).map_offset
}

fn near(pixel: [u8; 4], color: egui::Color32) -> bool {
    let [r, g, b, _] = pixel;
    let d = |a: u8, b: u8| i32::from(a).abs_diff(i32::from(b));
    d(r, color.r()) + d(g, color.g()) + d(b, color.b()) < 60
}

#[test]
fn the_png_outlines_an_added_card_and_draws_a_ghost_of_a_removed_one() {
    let (old, new, added, removed) = grocery_pair();
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("diff.png");
    let overlay = DiffOverlay::new(old, &new, "old");
    waymark::export::diff::save_diff_image(&new, overlay, &diff_options(), Format::Png, &png)
        .unwrap();
    let image = image::open(&png).unwrap().into_rgba8();
    let theme = Theme::default();
    let layout = Layout::dated(&new, &theme, diff_options().date);
    let offset = map_offset(&new, &layout);
    let pixel = |x: f32, y: f32| image.get_pixel(x.round() as u32, y.round() as u32).0;
    let any_near = |points: &mut dyn Iterator<Item = (f32, f32)>, color| {
        let mut found = false;
        for (x, y) in points {
            found |= near(pixel(x, y), color);
        }
        found
    };

    // The added card: its left and top edges, 3 units out, in the add colour.
    let rect = layout.card(added).unwrap().rect.translate(offset);
    let add = DiffMark::Added.color();
    let left_edge = (0..20).map(|i| (rect.min.x - 3.0, rect.min.y + 4.0 + i as f32));
    assert!(
        any_near(&mut left_edge.clone(), add),
        "no added outline at {rect:?}"
    );
    let (top_y, xs) = (rect.min.y - 3.0, rect.min.x..rect.max.x);
    let top = (xs.start as u32..xs.end as u32).map(|x| (x as f32, top_y));
    assert!(any_near(&mut top.clone(), add));
    // ... and not where no card changed: the map's bottom-left cell.
    let quiet = (0..20).map(|i| (offset.x + 200.0 + i as f32, offset.y + layout.size.y - 4.0));
    assert!(!any_near(&mut quiet.clone(), add));

    // The removed card: a dashed ghost at the bottom of its old cell.
    let cell = layout
        .cell_rect(removed.step, removed.lane)
        .unwrap()
        .translate(offset);
    let remove = DiffMark::Removed.color();
    let bottom = cell.max.y - theme.card_gap / 2.0;
    let ghost_edge =
        ((cell.min.x + 12.0) as u32..(cell.max.x - 12.0) as u32).map(|x| (x as f32, bottom));
    let hits = ghost_edge
        .filter(|(x, y)| near(pixel(*x, *y), remove) || near(pixel(*x, *y - 1.0), remove))
        .count();
    assert!(hits > 20, "{hits} ghost pixels at the bottom of {cell:?}");
}

#[test]
fn the_svg_draws_the_old_curve_dashed() {
    let (old, new, _, _) = grocery_pair();
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("diff.svg");
    let overlay = DiffOverlay::new(old.clone(), &new, "old");
    waymark::export::diff::save_diff_image(&new, overlay, &diff_options(), Format::Svg, &svg)
        .unwrap();
    let text = std::fs::read_to_string(&svg).unwrap();
    let [r, g, b, _] = Theme::default()
        .persona_color(0)
        .gamma_multiply(0.85)
        .to_srgba_unmultiplied();
    let stroke = format!("stroke=\"#{r:02x}{g:02x}{b:02x}\"");
    let dashes = text
        .lines()
        .filter(|l| l.starts_with("<line") && l.contains(&stroke))
        .count();
    assert!(dashes > 20, "{dashes} dashes of the old curve");
    // The same maps with nothing changed draw no old curve.
    let same = dir.path().join("same.svg");
    let overlay = DiffOverlay::new(old.clone(), &old, "old");
    waymark::export::diff::save_diff_image(&old, overlay, &diff_options(), Format::Svg, &same)
        .unwrap();
    let text = std::fs::read_to_string(&same).unwrap();
    assert!(
        !text
            .lines()
            .any(|l| l.starts_with("<line") && l.contains(&stroke))
    );
}

#[test]
fn the_cli_writes_a_picture_with_the_changes_legend() {
    let (old, new, _, _) = grocery_pair();
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (
        dir.path().join("a.journey.ron"),
        dir.path().join("b.journey.ron"),
    );
    waymark::io::save(&a, &old).unwrap();
    waymark::io::save(&b, &new).unwrap();
    let svg = dir.path().join("diff.svg");
    let (code, out, err) = run(&[&a, &b, Path::new("-o"), &svg]);
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("wrote "), "{out}");
    let text = std::fs::read_to_string(&svg).unwrap();
    for mark in DiffMark::ALL {
        assert!(
            text.contains(mark.label()),
            "no legend entry {:?}",
            mark.label()
        );
    }
}

/// `git`, when it is installed; `None` (after saying so) when it is not,
/// unless `WAYMARK_REQUIRE_TOOLS` asks for every tool.
fn git() -> Option<PathBuf> {
    let found = Command::new("git").arg("--version").output().is_ok();
    if !found {
        assert!(
            std::env::var_os("WAYMARK_REQUIRE_TOOLS").is_none(),
            "git is required here but was not found"
        );
        eprintln!("skipped: git is not installed");
        return None;
    }
    Some(PathBuf::from("git"))
}

fn git_in(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .unwrap();
    assert!(output.status.success(), "git {args:?}: {output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A repository with the grocery example committed as `map.journey.ron`
/// and edited in the work tree.
fn repository() -> Option<(tempfile::TempDir, Journey, Journey)> {
    git()?;
    let dir = tempfile::tempdir().unwrap();
    let (old, new, _, _) = grocery_pair();
    git_in(dir.path(), &["init", "-q"]);
    let map = dir.path().join("map.journey.ron");
    waymark::io::save(&map, &old).unwrap();
    git_in(dir.path(), &["add", "map.journey.ron"]);
    git_in(dir.path(), &["commit", "-q", "-m", "map"]);
    waymark::io::save(&map, &new).unwrap();
    Some((dir, old, new))
}

#[test]
fn git_diff_prints_the_summary_through_the_external_driver() {
    let Some((dir, _, _)) = repository() else {
        return;
    };
    std::fs::write(
        dir.path().join(".gitattributes"),
        "*.journey.ron diff=waymark\n",
    )
    .unwrap();
    let command = format!("'{}' git-diff", env!("CARGO_BIN_EXE_waymark"));
    git_in(dir.path(), &["config", "diff.waymark.command", &command]);
    let out = git_in(dir.path(), &["diff", "--ext-diff"]);
    assert!(
        out.contains("waymark diff a/map.journey.ron b/map.journey.ron"),
        "{out}"
    );
    assert!(out.contains("+ \"Price match\" ("), "{out}");
    assert!(out.contains("Scores:\n"), "{out}");
    // Without the driver, git diffs the text, and the change is a few lines.
    let raw = git_in(dir.path(), &["diff", "--no-ext-diff", "--stat"]);
    assert!(raw.contains("map.journey.ron"), "{raw}");
}

#[test]
fn git_diff_compares_an_added_file_with_an_empty_map() {
    let example = common::repo().join(common::EXAMPLE);
    let example = example.to_string_lossy();
    let args = [
        "map.journey.ron",
        "/dev/null",
        "0",
        "0",
        &example,
        "1",
        "100644",
    ];
    let output = waymark().arg("git-diff").args(args).output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(out.contains("Stages:\n  + \"Awareness\""), "{out}");
}

#[test]
fn compare_with_git_head_in_the_app_shows_the_committed_changes() {
    let Some((dir, old, new)) = repository() else {
        return;
    };
    let mut app = waymark::ui::app::WaymarkApp::headless(true);
    app.open_path(&dir.path().join("map.journey.ron"));
    assert_eq!(app.doc.journey, new);
    app.compare_with_head();
    let overlay = app.view.diff.as_ref().expect("comparing");
    assert_eq!(overlay.old, old);
    assert_eq!(overlay.name, "git HEAD");
    assert!(!overlay.diff.is_empty());
}

#[test]
fn compare_with_git_head_outside_a_repository_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("map.journey.ron");
    waymark::io::save(&map, &common::load(common::EXAMPLE)).unwrap();
    let err = waymark::ui::compare::head_version(&map).unwrap_err();
    assert!(err.contains("map.journey.ron"), "{err}");
}

#[test]
fn compare_with_a_file_shows_the_overlay_until_closed() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new, added, _) = grocery_pair();
    let (a, b) = (
        dir.path().join("old.journey.ron"),
        dir.path().join("new.journey.ron"),
    );
    waymark::io::save(&a, &old).unwrap();
    waymark::io::save(&b, &new).unwrap();
    let mut h = common::harness(StartOptions {
        file: Some(b.clone()),
        ..StartOptions::default()
    });
    click(&mut h, "File");
    click(&mut h, "Compare with…");
    // The path entry shows a frame later (egui sizes a new window first).
    h.run_steps(3);
    h.get_by_label("File path").focus();
    h.step();
    h.get_by_label("File path")
        .type_text(&a.display().to_string());
    h.step();
    click(&mut h, "Compare");
    h.run_steps(2);
    let overlay = h.state().view.diff.as_ref().expect("comparing");
    assert_eq!(
        overlay.kind_of(&DiffSubject::Card(added)),
        Some(ChangeKind::Added)
    );
    assert!(h.query_by_label("Comparing with old.journey.ron").is_some());
    // Comparing is not an edit: nothing to undo.
    assert!(!h.state().doc.history().can_undo());
    click(&mut h, "Close");
    assert!(h.state().view.diff.is_none());
    assert!(h.query_by_label("Comparing with old.journey.ron").is_none());

    // Esc closes it too.
    h.state_mut().compare_with_file(&a);
    h.run_steps(2);
    assert!(h.state().view.diff.is_some());
    common::press(&mut h, Modifiers::NONE, Key::Escape);
    assert!(h.state().view.diff.is_none());
    assert_eq!(common::journey(&h), new);
}

/// An edit the property test makes, by the kind of item it touches.
#[derive(Clone, Debug)]
enum RandomEdit {
    RenameCard(prop::sample::Index, String),
    RemoveCard(prop::sample::Index),
    MoveCard(prop::sample::Index, prop::sample::Index),
    AddCard(prop::sample::Index, String),
    Score(prop::sample::Index, f32),
    RenameStage(prop::sample::Index, String),
    RenameLane(prop::sample::Index, String),
    PainText(prop::sample::Index, String),
}

fn random_edit() -> impl Strategy<Value = RandomEdit> {
    let text = "[a-z ]{1,12}";
    prop_oneof![
        (any::<prop::sample::Index>(), text).prop_map(|(i, t)| RandomEdit::RenameCard(i, t)),
        any::<prop::sample::Index>().prop_map(RandomEdit::RemoveCard),
        (any::<prop::sample::Index>(), any::<prop::sample::Index>())
            .prop_map(|(i, j)| RandomEdit::MoveCard(i, j)),
        (any::<prop::sample::Index>(), text).prop_map(|(i, t)| RandomEdit::AddCard(i, t)),
        (any::<prop::sample::Index>(), -2.0f32..=2.0).prop_map(|(i, s)| RandomEdit::Score(i, s)),
        (any::<prop::sample::Index>(), text).prop_map(|(i, t)| RandomEdit::RenameStage(i, t)),
        (any::<prop::sample::Index>(), text).prop_map(|(i, t)| RandomEdit::RenameLane(i, t)),
        (any::<prop::sample::Index>(), text).prop_map(|(i, t)| RandomEdit::PainText(i, t)),
    ]
}

/// The item `i` picks, if there is any.
fn pick<T>(items: &mut [T], i: prop::sample::Index) -> Option<&mut T> {
    let at = i.index(items.len().max(1));
    items.get_mut(at)
}

/// Applies `edit` to `j`; returns the subject it touched.
fn apply(j: &mut Journey, edit: &RandomEdit) -> Option<DiffSubject> {
    let steps: Vec<StepId> = j.steps().map(|(_, s)| s.id).collect();
    match edit {
        RandomEdit::RenameCard(i, text) => {
            let card = pick(&mut j.cards, *i)?;
            card.title.clone_from(text);
            Some(DiffSubject::Card(card.id))
        }
        RandomEdit::RemoveCard(i) => {
            if j.cards.is_empty() {
                return None;
            }
            let card = j.cards.remove(i.index(j.cards.len()));
            Some(DiffSubject::Card(card.id))
        }
        RandomEdit::MoveCard(i, to) => {
            let step = *steps.get(to.index(steps.len().max(1)))?;
            let card = pick(&mut j.cards, *i)?;
            card.step = step;
            Some(DiffSubject::Card(card.id))
        }
        RandomEdit::AddCard(i, text) => {
            let step = *steps.get(i.index(steps.len().max(1)))?;
            let lane = j.lanes.first()?.id;
            let id = CardId(j.next_id());
            j.cards.push(Card::new(id, step, lane, text.clone()));
            Some(DiffSubject::Card(id))
        }
        RandomEdit::Score(i, score) => {
            let step = *steps.get(i.index(steps.len().max(1)))?;
            let curve = j.curves.first_mut()?;
            curve.points.insert(step, *score);
            Some(DiffSubject::Score(curve.persona, curve.state, step))
        }
        RandomEdit::RenameStage(i, text) => {
            let stage = pick(&mut j.stages, *i)?;
            stage.name.clone_from(text);
            Some(DiffSubject::Stage(stage.id))
        }
        RandomEdit::RenameLane(i, text) => {
            let lane = pick(&mut j.lanes, *i)?;
            lane.name.clone_from(text);
            Some(DiffSubject::Lane(lane.id))
        }
        RandomEdit::PainText(i, text) => {
            let pain = pick(&mut j.pain_points, *i)?;
            pain.text.clone_from(text);
            Some(DiffSubject::Pain(pain.id))
        }
    }
}

/// Whether the subject's data differs between the two maps.
fn differs(old: &Journey, new: &Journey, subject: &DiffSubject) -> bool {
    match subject {
        DiffSubject::Card(id) => old.card(*id) != new.card(*id),
        DiffSubject::Score(p, state, s) => {
            let score = |j: &Journey| {
                j.curve_in(*p, *state)
                    .and_then(|c| c.points.get(s))
                    .copied()
            };
            score(old) != score(new)
        }
        DiffSubject::Stage(id) => {
            old.stage(*id).map(|s| &s.name) != new.stage(*id).map(|s| &s.name)
        }
        DiffSubject::Lane(id) => old.lane(*id) != new.lane(*id),
        DiffSubject::Pain(id) => old.pain(*id) != new.pain(*id),
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn a_map_diffed_with_itself_is_empty(journey in crate::properties::journey()) {
        let d = diff(&journey, &journey);
        prop_assert!(d.is_empty(), "{}", d.summary());
    }

    #[test]
    fn random_edits_are_each_named(
        journey in crate::properties::journey(),
        edits in prop::collection::vec(random_edit(), 1..8),
    ) {
        let mut new = journey.clone();
        let touched: Vec<DiffSubject> = edits.iter().filter_map(|e| apply(&mut new, e)).collect();
        let d = diff(&journey, &new);
        for subject in touched.iter().filter(|s| differs(&journey, &new, s)) {
            prop_assert!(
                d.kind_of(subject).is_some(),
                "{subject:?} is not in\n{}", d.summary()
            );
        }
        prop_assert_eq!(d.is_empty(), journey == new, "{}", d.summary());
    }
}
