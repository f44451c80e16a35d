//! Map health: `waymark check` prints a finding of every rule on a crafted
//! map, silenced rules stay silent, and the Map health panel selects a
//! finding's card and silences and unsilences rules as undoable edits.

use std::path::Path;

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable as _;
use waymark::edit::Item;
use waymark::model::health::RULES;
use waymark::model::templates::Template;
use waymark::model::{
    ActionItem, Anchor, Card, CardId, Confidence, Date, Evidence, Journey, Kpi, LaneKind, PainId,
    PainPoint, Persona, PersonaId, Source, Stage, StageId, Step, StepId,
};
use waymark::ui::app::StartOptions;

use crate::common::{self, press, waymark};

const TODAY: &str = "2026-12-07";

/// A map with a finding of every rule, and the assumption card's id.
fn crafted() -> (Journey, CardId) {
    let mut j = Template::FourStage.build("Crafted");
    let mut next = 1000u64;
    let mut fresh = || {
        next += 1;
        next
    };
    let lane = |j: &Journey, kind| j.lanes.iter().find(|l| l.kind == kind).unwrap().id;
    let steps: Vec<StepId> = j.steps().map(|(_, s)| s.id).collect();
    // Scores on every step but the first.
    for step in &steps[1..] {
        j.curves[0].points.insert(*step, 1.0);
    }
    // Over 20 steps.
    j.stages.push(Stage::new(
        StageId(fresh()),
        "Long tail",
        (0..18)
            .map(|i| Step {
                id: StepId(fresh()),
                name: format!("Extra {i}"),
            })
            .collect(),
    ));
    for (_, step) in j
        .steps()
        .skip(4)
        .map(|(a, s)| (a.id, s.id))
        .collect::<Vec<_>>()
    {
        j.curves[0].points.insert(step, 0.0);
    }
    let opportunities = lane(&j, LaneKind::Opportunities);
    j.cards.push(Card::new(
        CardId(fresh()),
        steps[0],
        opportunities,
        "Bare idea",
    ));
    let mut late = Card::new(CardId(fresh()), steps[1], opportunities, "Late fix");
    late.plan = Some(ActionItem {
        owner: "Ana".into(),
        due: Some(Date::constant(2026, 11, 1)),
        ..ActionItem::default()
    });
    j.cards.push(late);
    let actions = lane(&j, LaneKind::Actions);
    let assumption = CardId(fresh());
    let mut card = Card::new(assumption, steps[1], actions, "Reads reviews first");
    card.evidence = Some(Evidence {
        source: Source::Assumption,
        confidence: Confidence::Assumption,
        quote: String::new(),
        link: String::new(),
    });
    j.cards.push(card);
    let touchpoints = lane(&j, LaneKind::Touchpoints);
    j.cards
        .push(Card::new(CardId(fresh()), steps[2], touchpoints, "Hotline"));
    j.stages[0].kpis.push(Kpi::named("NPS"));
    j.personas
        .push(Persona::named(PersonaId(fresh()), "Second persona"));
    j.pain_points.push(PainPoint {
        id: PainId(fresh()),
        severity: 2,
        text: "Slow".into(),
        anchor: Anchor::Step(steps[0]),
        opportunity: None,
        solved_in_future: false,
    });
    // Thoughts stays empty; never reviewed.
    (j, assumption)
}

fn check(path: &Path) -> (i32, String) {
    let output = waymark()
        .args(["check", "--today", TODAY])
        .arg(path)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn check_prints_a_finding_of_every_rule_and_still_passes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crafted.journey.ron");
    let (j, _) = crafted();
    waymark::io::save(&path, &j).unwrap();
    let (code, out) = check(&path);
    assert_eq!(code, 0, "{out}");
    for rule in RULES {
        let suffix = format!(" [{}]", rule.id);
        assert!(
            out.lines()
                .any(|l| l.contains(": warning: ") && l.ends_with(&suffix)),
            "no {} finding in\n{out}",
            rule.id
        );
    }
    assert!(out.contains("card \"Reads reviews first\" is marked as an assumption"));
    assert!(out.contains("lane \"Thoughts\" has no cards"));
    assert!(out.contains("the map has 22 steps, more than 20"));
}

#[test]
fn silenced_rules_stay_silent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crafted.journey.ron");
    let (mut j, _) = crafted();
    j.silenced = ["assumption", "empty-lane"].map(String::from).into();
    waymark::io::save(&path, &j).unwrap();
    let (code, out) = check(&path);
    assert_eq!(code, 0);
    assert!(!out.contains("[assumption]"), "{out}");
    assert!(!out.contains("[empty-lane]"), "{out}");
    assert!(out.contains("[stage-without-goal]"), "{out}");
    j.silenced = RULES.iter().map(|r| r.id.to_owned()).collect();
    waymark::io::save(&path, &j).unwrap();
    let (_, out) = check(&path);
    assert!(!out.contains("warning"), "{out}");
}

fn app_with_crafted(
    dir: &Path,
) -> (
    egui_kittest::Harness<'static, waymark::ui::app::WaymarkApp>,
    CardId,
) {
    let path = dir.join("crafted.journey.ron");
    let (j, card) = crafted();
    waymark::io::save(&path, &j).unwrap();
    let mut h = common::harness(StartOptions {
        file: Some(path),
        ..StartOptions::default()
    });
    h.state_mut().today = Some(jiff::civil::date(2026, 12, 7));
    press(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::H);
    h.run_steps(2);
    (h, card)
}

#[test]
fn clicking_a_health_finding_selects_its_card() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, card) = app_with_crafted(dir.path());
    assert!(h.query_by_label("Map health").is_some());
    let finding = "card \"Reads reviews first\" is marked as an assumption";
    h.get_by_label(finding).scroll_to_me();
    h.run_steps(30);
    h.get_by_label(finding).click();
    h.run_steps(2);
    assert_eq!(h.state().view.selection, vec![Item::Card(card)]);
}

#[test]
fn silence_and_unsilence_are_undoable_edits() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = app_with_crafted(dir.path());
    let before = common::journey(&h);
    let heading = "Step without an emotion score (1)";
    assert!(h.query_by_label(heading).is_some());
    // The first rule with findings is "unscored-step".
    let silence = h.get_all_by_label("Silence for this map").next().unwrap();
    silence.click();
    h.run_steps(2);
    let silenced = common::journey(&h).silenced;
    assert_eq!(silenced.iter().collect::<Vec<_>>(), ["unscored-step"]);
    assert!(
        h.query_by_label(heading).is_none(),
        "silenced rules are not listed"
    );
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(common::journey(&h), before);
    press(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    assert_eq!(common::journey(&h).silenced, silenced);
    h.get_by_label("Unsilence unscored-step").scroll_to_me();
    h.run_steps(30);
    h.get_by_label("Unsilence unscored-step").click();
    h.run_steps(2);
    assert!(common::journey(&h).silenced.is_empty());
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(common::journey(&h).silenced, silenced);
}
