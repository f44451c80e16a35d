//! CSV in and out: the map layout and the survey layout with hand-written
//! fixtures (`tests/fixtures/csv/`), their errors, merging scores into an
//! open map, the round trip over arbitrary maps, the command line and the
//! app's File ▸ Import… and Import scores….

#![expect(
    clippy::float_cmp,
    reason = "scores read from text and their medians are exact"
)]

use std::collections::BTreeMap;
use std::path::Path;

use proptest::prelude::*;
use waymark::edit::Edit;
use waymark::interop::csv::{COLUMNS, Scale, import, merge_edit, read_file, scores, write_map};
use waymark::model::{
    Anchor, CardState, Channel, Confidence, CurveState, Journey, LaneKind, Need, PersonaId,
    Priority, ResourceKind, Sample, Source, Status, StepId, median,
};

use crate::common::{fixture, waymark};

fn bytes(name: &str) -> Vec<u8> {
    std::fs::read(fixture(&format!("csv/{name}"))).unwrap()
}

fn step_id(j: &Journey, stage: &str, step: &str) -> StepId {
    j.steps()
        .find(|(s, t)| s.name == stage && t.name == step)
        .map_or_else(|| panic!("no step {stage} / {step}"), |(_, t)| t.id)
}

fn error_of(name: &str) -> String {
    read_file(&fixture(&format!("csv/{name}"))).unwrap_err()
}

// ---- the map layout --------------------------------------------------------

#[test]
fn the_map_layout_reads_every_record_and_field() {
    let imported = import(&bytes("map.csv")).unwrap();
    let j = &imported.journey;
    assert!(j.problems().is_empty(), "{:?}", j.problems());
    assert_eq!(j.title, "Renewal by phone");
    assert_eq!(j.description, "Hand-written, with \"quotes\"");
    let steps: Vec<(&str, &str)> = j
        .steps()
        .map(|(s, t)| (s.name.as_str(), t.name.as_str()))
        .collect();
    assert_eq!(
        steps,
        [
            ("Discover", "Gets a reminder"),
            ("Renew", "Calls the hotline")
        ]
    );
    let lanes: Vec<(&str, LaneKind)> = j.lanes.iter().map(|l| (l.name.as_str(), l.kind)).collect();
    assert_eq!(
        lanes,
        [
            ("Doing", LaneKind::Actions),
            ("Where", LaneKind::Touchpoints),
            ("Ideas", LaneKind::Opportunities),
            ("Needs", LaneKind::Resources),
        ]
    );
    let [opens, letter, online, staff] = j.cards.as_slice() else {
        panic!("{:?}", j.cards);
    };
    assert_eq!(opens.notes, "Two lines,\nsecond one");
    assert_eq!(letter.channel, Some(Channel::Email));
    assert_eq!(letter.state, CardState::Future);
    let evidence = letter.evidence.as_ref().unwrap();
    assert_eq!(
        (evidence.source, evidence.confidence),
        (Source::Survey, Confidence::SomeEvidence)
    );
    assert_eq!(evidence.quote, "\"Too long\"");
    let plan = online.plan.as_ref().unwrap();
    assert_eq!(
        (plan.priority, plan.owner.as_str(), plan.status),
        (Priority::High, "Ana", Status::InProgress)
    );
    assert_eq!(plan.due.unwrap().to_string(), "2026-12-01");
    let resource = staff.resource.as_ref().unwrap();
    assert_eq!(
        (resource.kind, resource.need, resource.cost),
        (ResourceKind::People, Need::Required, Some(1200.5))
    );
    assert_eq!(staff.state, CardState::Removed);
    assert!(opens.plan.is_none() && opens.evidence.is_none() && opens.resource.is_none());

    // Scores: a plain point, a sampled point at its median, a future curve.
    let dana = j.personas[0].id;
    assert_eq!(j.personas.len(), 1);
    let (remind, call) = (j.stages[0].steps[0].id, j.stages[1].steps[0].id);
    let now = j.curve_in(dana, CurveState::Current).unwrap();
    assert_eq!(now.points[&remind], 1.0);
    assert_eq!(now.points[&call], -1.0, "median of -2, -1, 1");
    let names: Vec<&str> = now
        .samples_at(call)
        .iter()
        .map(|s| s.participant.as_str())
        .collect();
    assert_eq!(names, ["Ana", "Ben", ""]);
    assert_eq!(
        j.curve_in(dana, CurveState::Future).unwrap().points[&call],
        2.0
    );

    // Pains: on a card with its opportunity, on the curve, on a step.
    let [on_card, on_curve, on_step] = j.pain_points.as_slice() else {
        panic!("{:?}", j.pain_points);
    };
    assert_eq!(on_card.anchor, Anchor::Card(letter.id));
    assert_eq!(
        (on_card.severity, on_card.opportunity),
        (1, Some(online.id))
    );
    assert!(on_card.solved_in_future);
    assert_eq!(on_curve.anchor, Anchor::Curve(dana, call));
    assert_eq!(on_curve.severity, 3);
    assert_eq!(on_step.anchor, Anchor::Step(call));
    assert!(!on_step.solved_in_future);

    assert!(
        imported
            .mapped
            .contains("2 steps, 4 lanes, 4 cards, 5 scores of 1 persona and 3 pain points"),
        "{}",
        imported.mapped
    );
    assert_eq!(imported.warnings.len(), 1, "{:?}", imported.warnings);
    assert!(
        imported.warnings[0].contains("line 1: column `comment`"),
        "{:?}",
        imported.warnings
    );
}

#[test]
fn columns_in_any_order_and_case_and_lane_kinds_from_names() {
    let imported = import(&bytes("subset.csv")).unwrap();
    let j = &imported.journey;
    assert_eq!(j.lanes.len(), 1);
    assert_eq!(j.lanes[0].kind, LaneKind::Actions);
    let titles: Vec<&str> = j.cards.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(titles, ["Sees the ad", "Clicks"]);
    assert_eq!(j.step_count(), 2);
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
}

#[test]
fn the_export_of_an_example_reads_back_with_its_content() {
    let j = crate::common::load(crate::common::EXAMPLE);
    let text = write_map(&j);
    let mut reader = ::csv::Reader::from_reader(text.as_bytes());
    assert_eq!(reader.headers().unwrap(), COLUMNS.as_slice());
    let rows: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let count = |record: &str| rows.iter().filter(|r| &r[0] == record).count();
    assert_eq!(count("card"), j.cards.len());
    assert_eq!(count("step"), j.step_count());
    assert_eq!(count("pain"), j.pain_points.len());
    let back = import(text.as_bytes()).unwrap();
    assert!(back.warnings.is_empty(), "{:?}", back.warnings);
    assert_eq!(write_map(&back.journey), text);
    assert_eq!(back.journey.cards.len(), j.cards.len());
    assert!(back.journey.problems().is_empty());
}

// ---- the survey layout -----------------------------------------------------

fn survey(name: &str) -> (Journey, String) {
    let imported = import(&bytes(name)).unwrap();
    assert!(imported.journey.problems().is_empty());
    (imported.journey, imported.mapped)
}

fn samples(j: &Journey, stage: &str, step: &str) -> Vec<(String, f32)> {
    let curve = &j.curves[0];
    curve
        .samples_at(step_id(j, stage, step))
        .iter()
        .map(|s| (s.participant.clone(), s.score))
        .collect()
}

#[test]
fn a_survey_on_one_to_five_maps_like_mermaid() {
    let (j, mapped) = survey("survey-1to5.csv");
    assert!(
        mapped.contains("3 participants on the 1..5 scale"),
        "{mapped}"
    );
    assert_eq!(j.stages.len(), 2);
    assert_eq!(j.personas[0].name, "Customer");
    assert_eq!(
        samples(&j, "Discover", "Gets a reminder"),
        [
            ("Ana".into(), 1.0),
            ("Ben".into(), 2.0),
            ("Cleo".into(), 0.0)
        ]
    );
    assert_eq!(
        samples(&j, "Discover", "Reads the letter").len(),
        2,
        "a blank cell is no answer"
    );
    let call = step_id(&j, "Renew", "Calls the hotline");
    assert_eq!(j.curves[0].points[&call], -2.0, "median of -2, -1, -2");
}

#[test]
fn a_survey_with_a_score_below_one_is_on_the_emotion_scale() {
    let (j, mapped) = survey("survey-emotion.csv");
    assert!(mapped.contains("-2..+2"), "{mapped}");
    assert_eq!(
        samples(&j, "", "Calls the hotline"),
        [("P1".into(), -2.0), ("P2".into(), -1.5)]
    );
}

#[test]
fn semicolons_a_bom_crlf_and_decimal_commas_as_spreadsheets_write_them() {
    let (j, _) = survey("survey-semicolon.csv");
    assert_eq!(
        samples(&j, "", "Gets a reminder"),
        [("P1".into(), 1.5), ("P2".into(), 0.5)]
    );
}

#[test]
fn the_first_header_cell_may_name_the_scale() {
    let (j, mapped) = survey("survey-named-scale.csv");
    assert!(mapped.contains("-2..+2"), "{mapped}");
    assert_eq!(
        samples(&j, "", "Gets a reminder"),
        [("P1".into(), 1.0), ("P2".into(), 2.0)]
    );
    let read = scores(&bytes("survey-1to5.csv")).unwrap();
    assert_eq!(read.survey, Some(Scale::OneToFive));
}

// ---- errors ----------------------------------------------------------------

#[test]
fn errors_name_the_file_and_line_and_what_was_expected() {
    for (name, expected) in [
        (
            "err-ragged.csv",
            "err-ragged.csv:3: expected 6 fields, as many as the header row has, found 5",
        ),
        (
            "err-bad-score.csv",
            "err-bad-score.csv:3: expected a score, a number from -2 to 2, found `very good`",
        ),
        ("err-utf8.csv", "err-utf8.csv:3: expected UTF-8 text"),
        (
            "err-missing-column.csv",
            "err-missing-column.csv:1: expected a `step` column",
        ),
        (
            "err-bad-channel.csv",
            "err-bad-channel.csv:2: expected a channel (Web, Email,",
        ),
        (
            "err-record.csv",
            "err-record.csv:3: expected a record of map, stage, step, lane, card, score, sample or pain, found `kpi`",
        ),
        (
            "err-mixed-scale.csv",
            "err-mixed-scale.csv:3: expected scores on one scale",
        ),
        (
            "err-evidence.csv",
            "err-evidence.csv:2: expected both `evidence source` and `confidence`",
        ),
        (
            "err-date.csv",
            "err-date.csv:2: expected a due date as YYYY-MM-DD, found `next week`",
        ),
        (
            "err-no-steps.csv",
            "err-no-steps.csv:1: expected a header row of a participant column and step names",
        ),
    ] {
        let message = error_of(name);
        assert!(message.contains(expected), "{name}: {message}");
        assert!(
            message.starts_with(&fixture("csv").display().to_string()),
            "{message}"
        );
    }
    let no_step = scores(b"record,stage,persona,score\nscore,A,Dana,1\n").unwrap_err();
    assert_eq!(
        no_step.to_string(),
        "1: expected a `step` column in the header row"
    );
    let plan = waymark::interop::plan_csv::plan_csv(
        &crate::common::load(crate::common::EXAMPLE),
        waymark::model::Date::constant(2026, 12, 7),
    )
    .unwrap();
    let err = import(&plan).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("1: expected a map or a survey, found an action plan"),
        "{err}"
    );
    assert_eq!(import(b"").unwrap_err().line, 1);
    assert_eq!(import(b"\n\n").unwrap_err().line, 1);
}

#[test]
fn scores_outside_the_range_are_clamped_with_a_warning() {
    let text = "record,stage,step,persona,score\nscore,A,One,Dana,7\n";
    let imported = import(text.as_bytes()).unwrap();
    assert_eq!(
        imported.journey.curves[0].points.values().next(),
        Some(&2.0)
    );
    assert!(
        imported.warnings[0].contains("line 2: score 7 is outside"),
        "{:?}",
        imported.warnings
    );
}

// ---- merging scores into an open map --------------------------------------

#[test]
fn merging_matches_names_loosely_sets_medians_and_reports_what_matched_nothing() {
    let mut j = crate::common::load(crate::common::EXAMPLE);
    let before = j.clone();
    let maya = j.personas[0].id;
    let read = scores(&bytes("grocery-scores.csv")).unwrap();
    assert!(
        read.warnings[0].contains("1 row that are not scores"),
        "{:?}",
        read.warnings
    );
    let merge = merge_edit(&j, &read, PersonaId(0), CurveState::Current);
    assert_eq!(
        merge.unknown,
        [
            "`Purchase / Teleports home` is not a step of this map (lines 6, 7)",
            "persona `Somebody else` is not in this map (line 8)",
        ]
    );
    assert!(
        merge
            .mapped
            .contains("3 samples at 1 step on Maya Chen, working parent's current curve"),
        "{}",
        merge.mapped
    );
    let undo = merge.edit.apply(&mut j).unwrap();
    let ad = step_id(&j, "Awareness", "Sees Instagram ad");
    let now = j.curve_in(maya, CurveState::Current).unwrap();
    assert_eq!(now.points[&ad], 1.0, "median of 2, 1, -1");
    assert_eq!(now.samples_at(ad).len(), 3);
    let checkout = step_id(&j, "Purchase", "Checkout");
    assert_eq!(
        j.curve_in(maya, CurveState::Future).unwrap().points[&checkout],
        1.5
    );
    assert!(j.problems().is_empty());
    undo.apply(&mut j).unwrap();
    assert_eq!(j, before, "one edit undoes all of it");
}

#[test]
fn merging_a_survey_scores_the_chosen_persona_and_state() {
    let j = crate::common::load(crate::common::EXAMPLE);
    let maya = j.personas[0].id;
    let read = scores(&bytes("grocery-survey.csv")).unwrap();
    let merge = merge_edit(&j, &read, maya, CurveState::Future);
    assert_eq!(
        merge.unknown,
        ["`Nowhere` is not a step of this map (line 2)"]
    );
    let mut after = j.clone();
    merge.edit.apply(&mut after).unwrap();
    let future = after.curve_in(maya, CurveState::Future).unwrap();
    let fails = step_id(&j, "Purchase", "Payment fails");
    assert_eq!(
        future.samples_at(fails),
        [Sample::new("Ana", -2.0), Sample::new("Ben", -2.0)]
    );
    assert_eq!(future.points[&step_id(&j, "Purchase", "Checkout")], -0.5);
    assert_eq!(
        after.curve(maya),
        j.curve(maya),
        "the current curve is left alone"
    );
}

// ---- properties ------------------------------------------------------------

/// What a CSV can hold of a map: names made unique (names are its keys),
/// only what sits on existing steps and lanes, severities in range.
fn csv_shaped(mut j: Journey) -> Journey {
    j.repair();
    let unique = |names: &mut dyn Iterator<Item = &mut String>| {
        let mut seen = std::collections::HashSet::new();
        for (i, name) in names.enumerate() {
            if !seen.insert(name.clone()) {
                *name = format!("{name} #{i}");
                seen.insert(name.clone());
            }
        }
    };
    unique(&mut j.stages.iter_mut().map(|s| &mut s.name));
    for stage in &mut j.stages {
        unique(&mut stage.steps.iter_mut().map(|s| &mut s.name));
    }
    unique(&mut j.lanes.iter_mut().map(|l| &mut l.name));
    unique(&mut j.personas.iter_mut().map(|p| &mut p.name));
    let cells = j.clone();
    j.cards
        .retain(|c| cells.step(c.step).is_some() && cells.lane(c.lane).is_some());
    for pain in &mut j.pain_points {
        pain.severity = pain.severity.clamp(1, 3);
    }
    let cells = j.clone();
    j.pain_points.retain(|p| match p.anchor {
        Anchor::Card(card) => cells.card(card).is_some(),
        Anchor::Curve(persona, step) => {
            cells.persona(persona).is_some() && cells.step(step).is_some()
        }
        Anchor::Step(step) => cells.step(step).is_some(),
    });
    j
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn arbitrary_bytes_give_an_orderly_result(data in proptest::collection::vec(any::<u8>(), 0..400)) {
        if let Err(e) = import(&data) {
            prop_assert!(e.line >= 1, "{e}");
        }
        let _ = scores(&data);
    }

    #[test]
    fn arbitrary_csv_like_text_gives_an_orderly_result(
        header in prop::sample::select(vec!["record,stage,step,lane,lane kind,title,persona,score,pain,anchor,severity", "Participant,A / One,Two"]),
        cells in proptest::collection::vec(proptest::collection::vec("[a-z0-9 .,\"\\-]{0,6}|card|score|sample|pain|step|lane|card", 0..12), 0..8),
    ) {
        let mut text = format!("{header}\n");
        for row in cells {
            text.push_str(&row.join(","));
            text.push('\n');
        }
        if let Ok(imported) = import(text.as_bytes()) {
            prop_assert!(imported.journey.problems().is_empty(), "{:?}\n{text}", imported.journey.problems());
        }
        let _ = scores(text.as_bytes());
    }

    #[test]
    fn export_import_export_gives_the_same_csv(journey in crate::properties::journey()) {
        let journey = csv_shaped(journey);
        let first = write_map(&journey);
        let back = import(first.as_bytes()).map_err(|e| TestCaseError::fail(format!("{e}\n{first}")))?;
        prop_assert!(back.warnings.is_empty(), "{:?}", back.warnings);
        prop_assert!(back.journey.problems().is_empty(), "{:?}", back.journey.problems());
        prop_assert_eq!(write_map(&back.journey), first);

        // What CSV holds survives: cards with their fields, in order, and
        // every score and sample at the same stage and step names.
        let strip = |j: &Journey| -> Vec<_> {
            j.cards.iter().map(|c| (c.title.clone(), c.notes.clone(), c.channel, c.plan.clone(), c.evidence.clone(), c.resource.clone(), c.state)).collect()
        };
        prop_assert_eq!(strip(&back.journey), strip(&journey));
        prop_assert_eq!(scored(&back.journey), scored(&journey));
        prop_assert_eq!(pains(&back.journey), pains(&journey));
    }
}

/// Every pain point's text, severity, future state, where it is (by
/// names) and the title of its opportunity (a link to an untitled card is
/// lost: the CSV names the card by its title).
fn pains(j: &Journey) -> Vec<(String, u8, bool, String, Option<String>)> {
    let step_name = |step| {
        j.step(step)
            .map(|(stage, step)| format!("{} / {}", stage.name, step.name))
    };
    j.pain_points
        .iter()
        .map(|p| {
            let at = match p.anchor {
                Anchor::Card(card) => j
                    .card(card)
                    .map(|c| format!("card {} in {:?}", c.title, step_name(c.step))),
                Anchor::Curve(persona, step) => j
                    .persona(persona)
                    .map(|who| format!("curve of {} at {:?}", who.name, step_name(step))),
                Anchor::Step(step) => Some(format!("step {:?}", step_name(step))),
            };
            // A link to an untitled card has no title to name it by.
            let opportunity = p
                .opportunity
                .and_then(|c| j.card(c))
                .map(|c| c.title.clone())
                .filter(|title| !title.is_empty());
            (
                p.text.clone(),
                p.severity,
                p.solved_in_future,
                at.unwrap_or_default(),
                opportunity,
            )
        })
        .collect()
}

/// A curve point by its persona, state, stage and step names.
type PointKey = (String, CurveState, String, String);

/// Every curve point by persona, state, stage and step names, with its samples.
fn scored(j: &Journey) -> BTreeMap<PointKey, (u32, Vec<(String, u32)>)> {
    let mut out = BTreeMap::new();
    for curve in &j.curves {
        let Some(persona) = j.persona(curve.persona) else {
            continue;
        };
        for (stage, step) in j.steps() {
            if let Some(point) = curve.points.get(&step.id) {
                let samples = curve
                    .samples_at(step.id)
                    .iter()
                    .map(|s| (s.participant.clone(), s.score.to_bits()))
                    .collect();
                if let Some(middle) = median(curve.samples_at(step.id)) {
                    assert_eq!(middle.to_bits(), point.to_bits());
                }
                out.insert(
                    (
                        persona.name.clone(),
                        curve.state,
                        stage.name.clone(),
                        step.name.clone(),
                    ),
                    (point.to_bits(), samples),
                );
            }
        }
    }
    out
}

// ---- the command line ------------------------------------------------------

#[test]
fn cli_export_then_import_round_trips_a_map_as_csv() {
    let dir = tempfile::tempdir().unwrap();
    let example = crate::common::repo().join(crate::common::EXAMPLE);
    let csv_path = dir.path().join("m.csv");
    let output = waymark()
        .arg("export")
        .arg(&example)
        .arg("-o")
        .arg(&csv_path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("52 cards"),
        "{output:?}"
    );
    let map = dir.path().join("m.journey.ron");
    let output = waymark()
        .arg("import")
        .arg(&csv_path)
        .arg("-o")
        .arg(&map)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(
        stdout.contains("mapped 5 stages, 13 steps, 8 lanes, 52 cards"),
        "{stdout}"
    );
    let back = waymark::io::load(&map).unwrap();
    assert_eq!(
        write_map(&back),
        std::fs::read_to_string(&csv_path).unwrap()
    );

    // `--format csv` into a folder, and `--plan` still writes the plan.
    let output = waymark()
        .arg("export")
        .arg(&example)
        .args(["--format", "csv", "-o"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(dir.path().join("grocery-checkout.csv").exists());
    let plan = dir.path().join("plan.csv");
    let output = waymark()
        .arg("export")
        .arg(&example)
        .args(["--plan", "-o"])
        .arg(&plan)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(
        std::fs::read_to_string(&plan)
            .unwrap()
            .starts_with("title,priority")
    );
}

#[test]
fn cli_import_of_a_survey_and_of_a_bad_csv() {
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("s.journey.ron");
    let output = waymark()
        .arg("import")
        .arg(fixture("csv/survey-1to5.csv"))
        .arg("-o")
        .arg(&map)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("on the 1..5 scale"));
    assert_eq!(waymark::io::load(&map).unwrap().step_count(), 3);

    let out = dir.path().join("bad.journey.ron");
    let output = waymark()
        .arg("import")
        .arg(fixture("csv/err-bad-score.csv"))
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("err-bad-score.csv:3: expected a score"),
        "{stderr}"
    );
    assert!(!out.exists());

    let output = waymark()
        .arg("import")
        .arg(fixture("csv/map.csv"))
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("map.csv:1: warning: column `comment`"),
        "{stderr}"
    );
}

// ---- the app ---------------------------------------------------------------

type App = egui_kittest::Harness<'static, waymark::ui::app::WaymarkApp>;

/// File ▸ `entry`, then the path typed into the in-app path entry.
fn through_the_file_menu(h: &mut App, entry: &str, path: &Path, confirm: &str) {
    use egui_kittest::kittest::Queryable as _;
    crate::common::click(h, "File");
    crate::common::click(h, entry);
    // A dialog shows a frame after it opens (egui sizes a new window first).
    h.run_steps(3);
    h.get_by_label("File path").focus();
    h.step();
    h.get_by_label("File path")
        .type_text(&path.display().to_string());
    h.step();
    h.get_by_label(confirm).click();
    h.run_steps(3);
}

fn status(h: &App) -> String {
    h.state().status().unwrap_or_default().to_owned()
}

#[test]
fn file_import_opens_a_mermaid_diagram_and_a_csv_as_new_maps() {
    let mut h = crate::common::harness(waymark::ui::app::StartOptions::default());
    through_the_file_menu(&mut h, "Import…", &fixture("mermaid/basic.mmd"), "Open");
    let from_mermaid = crate::common::journey(&h);
    assert!(
        status(&h).contains("Imported basic.mmd: mapped"),
        "{}",
        status(&h)
    );
    assert!(h.state().doc.path.is_none());
    assert!(from_mermaid.step_count() > 0);

    through_the_file_menu(&mut h, "Import…", &fixture("csv/map.csv"), "Open");
    let journey = crate::common::journey(&h);
    assert_eq!(journey.title, "Renewal by phone", "{}", status(&h));
    assert!(
        status(&h).contains("Imported map.csv: mapped 2 stages"),
        "{}",
        status(&h)
    );
    assert!(h.state().doc.path.is_none(), "a new map, not the .csv file");
}

/// A file dropped from the desktop, as the windowing integration hands it over.
#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn a_dropped_csv_opens_as_a_new_unsaved_map_and_a_broken_one_is_reported() {
    let mut h = crate::common::harness(waymark::ui::app::StartOptions::default());
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(fixture("csv/survey-1to5.csv"))));
    h.run_steps(3);
    let journey = crate::common::journey(&h);
    assert_eq!(journey.step_count(), 3);
    assert!(h.state().doc.path.is_none());
    assert!(
        status(&h).contains("Imported survey-1to5.csv: read a survey of 3 participants"),
        "{}",
        status(&h)
    );

    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(fixture("csv/err-ragged.csv"))));
    h.run_steps(3);
    assert_eq!(crate::common::journey(&h), journey, "the map stays");
    assert!(
        status(&h).contains("err-ragged.csv:3: expected 6 fields"),
        "{}",
        status(&h)
    );
}

#[test]
fn import_scores_of_a_bad_file_names_the_line_and_changes_nothing() {
    let mut h = crate::common::harness(waymark::ui::app::StartOptions::default());
    let before = crate::common::journey(&h);
    through_the_file_menu(
        &mut h,
        "Import scores…",
        &fixture("csv/err-mixed-scale.csv"),
        "Import",
    );
    assert_eq!(crate::common::journey(&h), before);
    assert!(
        status(&h).contains("err-mixed-scale.csv:3: expected scores on one scale"),
        "{}",
        status(&h)
    );
    assert_eq!(h.state().doc.history().undo_len(), 0);
}

#[test]
fn import_scores_merges_as_one_undo_step() {
    let mut h = crate::common::harness(waymark::ui::app::StartOptions {
        file: Some(crate::common::repo().join(crate::common::EXAMPLE)),
        ..Default::default()
    });
    let before = crate::common::journey(&h);
    through_the_file_menu(
        &mut h,
        "Import scores…",
        &fixture("csv/grocery-survey.csv"),
        "Import",
    );
    let after = crate::common::journey(&h);
    let maya = before.personas[0].id;
    let fails = step_id(&after, "Purchase", "Payment fails");
    assert_eq!(after.curve(maya).unwrap().samples_at(fails).len(), 2);
    let text = status(&h);
    assert!(
        text.contains("Imported scores from grocery-survey.csv: set 6 samples at 3 steps"),
        "{text}"
    );
    assert!(
        text.contains("`Nowhere` is not a step of this map (line 2)"),
        "{text}"
    );
    assert_eq!(h.state().doc.history().undo_len(), 1);
    crate::common::press(&mut h, egui::Modifiers::COMMAND, egui::Key::Z);
    assert_eq!(crate::common::journey(&h), before);
}

#[test]
fn a_survey_asks_whose_scores_when_the_map_has_several_personas() {
    let mut h = crate::common::harness(waymark::ui::app::StartOptions {
        file: Some(crate::common::repo().join(crate::common::EXAMPLE)),
        ..Default::default()
    });
    let mut two = crate::common::journey(&h);
    let second = waymark::model::Persona::named(PersonaId(9_000), "Sam");
    let edit = Edit::InsertPersona(1, second);
    h.state_mut().doc.apply(edit).unwrap();
    two.personas
        .push(waymark::model::Persona::named(PersonaId(9_000), "Sam"));
    h.run_steps(2);
    through_the_file_menu(
        &mut h,
        "Import scores…",
        &fixture("csv/grocery-survey.csv"),
        "Import",
    );
    crate::common::click(&mut h, "Future");
    {
        use egui_kittest::kittest::Queryable as _;
        h.get_by_role_and_label(egui::accesskit::Role::Button, "Sam")
            .click();
    }
    h.run_steps(3);
    let after = crate::common::journey(&h);
    let sam = after
        .curve_in(PersonaId(9_000), CurveState::Future)
        .unwrap();
    assert_eq!(sam.samples.len(), 3);
    assert_eq!(
        after.curve(after.personas[0].id),
        two.curve(two.personas[0].id)
    );
    assert!(
        status(&h).contains("on Sam's future curve"),
        "{}",
        status(&h)
    );
}
