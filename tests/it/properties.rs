//! Property tests: the RON round trip, random edits then undo-all/redo-all,
//! and parsers that never panic on arbitrary input.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use proptest::prelude::*;
use proptest::sample::{Index, Selector};
use proptest::strategy::ValueTree as _;
use waymark::edit::{Edit, History};
use waymark::io::{LoadError, parse_bytes, parse_str, to_string};
use waymark::model::templates::Template;
use waymark::model::{
    ActionItem, Anchor, Better, Card, CardId, CardNotes, CardState, Channel, Confidence,
    CurveState, Date, EmotionCurve, Evidence, FORMAT_VERSION, Journey, Kpi, Lane, LaneId, LaneKind,
    MAX_PERSONAS, Need, PainId, PainPoint, Persona, PersonaId, Photo, Priority, Resource,
    ResourceKind, Revision, Sample, Stage, StageId, Status, Step, StepId, Vote, median,
};

const CASES: u32 = 128;

fn path() -> &'static Path {
    Path::new("prop.journey.ron")
}

// ---- strategies -----------------------------------------------------------

/// Text that stresses escaping: quotes, backslashes, newlines, control
/// characters, emoji, right-to-left and invisible characters.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<String>(),
        3 => "[a-zA-Z0-9 \"\\\\\n\r\t'(),:/{}\\[\\]#🧭👩🏽‍💻שלוםمرحبا\u{202e}\u{200b}\u{feff}]{0,24}",
        1 => prop::sample::select(vec![
            String::new(),
            "\"".to_owned(),
            "\\".to_owned(),
            "\\\"".to_owned(),
            "\n".to_owned(),
            "\r\n".to_owned(),
            "\0".to_owned(),
            "\u{7f}".to_owned(),
            "\u{feff}starts with a BOM".to_owned(),
            "r#\"raw\"#".to_owned(),
            "// not a comment".to_owned(),
            "/* nor this */".to_owned(),
            "emoji 🧭🛒💳 and ZWJ 👨‍👩‍👧".to_owned(),
            "עברית: תשלום נכשל".to_owned(),
            "العربية: فشل الدفع".to_owned(),
            "mixed \u{202e}RTL override\u{202c} end".to_owned(),
        ]),
    ]
}

fn channel() -> impl Strategy<Value = Channel> {
    prop::sample::select(Channel::ALL.to_vec())
}

fn lane_kind() -> impl Strategy<Value = LaneKind> {
    prop::sample::select(LaneKind::ALL.to_vec())
}

/// Finite scores in -2..=2, with the edge cases weighted in.
fn score() -> impl Strategy<Value = f32> {
    prop_oneof![
        4 => -2.0f32..=2.0,
        1 => prop::sample::select(vec![
            0.0f32,
            -0.0,
            2.0,
            -2.0,
            0.1,
            1.0 / 3.0,
            -1.999_999,
            f32::MIN_POSITIVE,
            f32::from_bits(1),
        ]),
    ]
}

/// Finite numbers for KPIs and costs, edge cases weighted in.
fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => -1e6f64..1e6,
        1 => prop::num::f64::NORMAL | prop::num::f64::SUBNORMAL | prop::num::f64::ZERO,
        1 => prop::sample::select(vec![0.0, -0.0, 0.1, 1.0 / 3.0, 99.5, f64::MAX, f64::MIN]),
    ]
}

/// The shape of a journey, before ids are handed out.
#[derive(Clone, Debug)]
struct Shape {
    personas: usize,
    /// Steps per stage.
    stages: Vec<usize>,
    lanes: usize,
    cards: usize,
    pains: usize,
}

fn shape() -> impl Strategy<Value = Shape> {
    (
        0..=MAX_PERSONAS,
        prop::collection::vec(1..=4usize, 0..=5),
        0..=6usize,
        0..=16usize,
        0..=6usize,
    )
        .prop_map(|(personas, stages, lanes, cards, pains)| Shape {
            personas,
            stages,
            lanes,
            cards,
            pains,
        })
}

/// Everything random about a journey except its shape and ids.
#[derive(Clone, Debug)]
struct Fill {
    title: String,
    description: String,
    texts: Vec<String>,
    kinds: Vec<LaneKind>,
    channels: Vec<Option<Channel>>,
    picks: Vec<Index>,
    scores: Vec<Option<f32>>,
    curve_for: Vec<bool>,
    severities: Vec<u8>,
    numbers: Vec<f64>,
    sample_scores: Vec<f32>,
}

pub(crate) fn journey() -> impl Strategy<Value = Journey> {
    shape().prop_flat_map(|shape| {
        let id_count = shape.personas
            + shape.stages.len()
            + shape.stages.iter().sum::<usize>()
            + shape.lanes
            + shape.cards
            + shape.pains;
        let steps: usize = shape.stages.iter().sum();
        let fill = (
            text(),
            text(),
            prop::collection::vec(text(), 64),
            prop::collection::vec(lane_kind(), shape.lanes),
            prop::collection::vec(prop::option::of(channel()), shape.cards),
            prop::collection::vec(any::<Index>(), 64),
            prop::collection::vec(
                prop::option::weighted(0.8, score()),
                steps * 2 * MAX_PERSONAS,
            ),
            prop::collection::vec(any::<bool>(), 2 * MAX_PERSONAS),
            prop::collection::vec(prop_oneof![4 => 1..=3u8, 1 => any::<u8>()], shape.pains),
            prop::collection::vec(number(), 16),
            prop::collection::vec(score(), 16),
        )
            .prop_map(
                |(
                    title,
                    description,
                    texts,
                    kinds,
                    channels,
                    picks,
                    scores,
                    curve_for,
                    severities,
                    numbers,
                    sample_scores,
                )| Fill {
                    title,
                    description,
                    texts,
                    kinds,
                    channels,
                    picks,
                    scores,
                    curve_for,
                    severities,
                    numbers,
                    sample_scores,
                },
            );
        // Unique ids across all kinds, in a random order, anywhere in u64.
        let ids = prop::collection::btree_set(any::<u64>(), id_count)
            .prop_map(|set| set.into_iter().collect::<Vec<_>>())
            .prop_shuffle();
        (Just(shape), ids, fill).prop_map(|(shape, ids, fill)| build(&shape, &ids, fill))
    })
}

/// Where a built journey's ids, texts and choices come from, in order.
struct Source<'a> {
    ids: std::slice::Iter<'a, u64>,
    texts: std::iter::Cycle<std::vec::IntoIter<String>>,
    picks: std::iter::Cycle<std::vec::IntoIter<Index>>,
    numbers: std::iter::Cycle<std::vec::IntoIter<f64>>,
    scores: std::iter::Cycle<std::vec::IntoIter<f32>>,
}

impl Source<'_> {
    fn id(&mut self) -> u64 {
        *self.ids.next().expect("enough ids")
    }

    fn text(&mut self) -> String {
        self.texts.next().unwrap_or_default()
    }

    fn pick(&mut self, len: usize) -> usize {
        self.picks.next().map_or(0, |p| p.index(len.max(1)))
    }

    fn one_of<T: Copy>(&mut self, all: &[T]) -> T {
        all[self.pick(all.len())]
    }

    fn maybe<T>(&mut self, make: impl FnOnce(&mut Self) -> T) -> Option<T> {
        (self.pick(2) == 0).then(|| make(self))
    }

    fn number(&mut self) -> f64 {
        self.numbers.next().unwrap_or_default()
    }

    fn date(&mut self) -> Date {
        let (year, month, day) = (self.pick(200), self.pick(12), self.pick(31));
        // Day 29..31 of a short month rolls back to a day that exists.
        Date::new(1900 + year as i16, 1 + month as i8, 1 + day as i8)
            .unwrap_or_else(|_| Date::constant(2026, 2, 28))
    }

    fn kpi(&mut self) -> Kpi {
        Kpi {
            value: self.maybe(Self::number),
            target: self.maybe(Self::number),
            unit: self.text(),
            better: self.one_of(&[Better::Higher, Better::Lower]),
            measured: self.maybe(Self::date),
            ..Kpi::named(self.text())
        }
    }

    fn action_item(&mut self) -> ActionItem {
        ActionItem {
            priority: self.one_of(&Priority::ALL),
            owner: self.text(),
            status: self.one_of(&Status::ALL),
            due: self.maybe(Self::date),
        }
    }

    fn evidence(&mut self) -> Evidence {
        Evidence {
            source: self.one_of(&waymark::model::Source::ALL),
            confidence: self.one_of(&Confidence::ALL),
            quote: self.text(),
            link: self.text(),
        }
    }

    fn resource(&mut self) -> Resource {
        Resource {
            kind: self.one_of(&ResourceKind::ALL),
            need: self.one_of(&Need::ALL),
            cost: self.maybe(Self::number),
        }
    }

    /// Zero to three participants' scores, named or anonymous.
    fn samples(&mut self) -> Vec<Sample> {
        (0..self.pick(4))
            .map(|_| {
                let name = if self.pick(2) == 0 {
                    self.text()
                } else {
                    String::new()
                };
                Sample::new(name, self.scores.next().unwrap_or_default())
            })
            .collect()
    }

    fn revision(&mut self) -> Revision {
        Revision {
            date: self.date(),
            author: self.text(),
            note: self.text(),
        }
    }

    /// A rich persona: every format 2 field, a photo of random bytes.
    fn persona(&mut self) -> Persona {
        let (id, name) = (PersonaId(self.id()), self.text());
        Persona {
            description: self.text(),
            role: self.text(),
            goals: self.text(),
            needs: self.text(),
            frustrations: self.text(),
            quote: self.text(),
            photo: self.maybe(|src| Photo::from_bytes(src.text().as_bytes())),
            hidden: self.pick(4) == 0,
            ..Persona::named(id, name)
        }
    }
}

fn build(shape: &Shape, ids: &[u64], fill: Fill) -> Journey {
    let mut src = Source {
        ids: ids.iter(),
        texts: fill.texts.into_iter().cycle(),
        picks: fill.picks.into_iter().cycle(),
        numbers: fill.numbers.into_iter().cycle(),
        scores: fill.sample_scores.into_iter().cycle(),
    };
    let mut journey = Journey::empty(fill.title);
    journey.format = FORMAT_VERSION;
    journey.description = fill.description;
    journey.objective = src.text();
    journey.scenario = src.text();
    journey.currency = src.text();
    journey.last_reviewed = src.maybe(Source::date);
    journey.hide_goals = src.pick(2) == 0;
    journey.revisions = (0..src.pick(3)).map(|_| src.revision()).collect();
    journey.card_notes = CardNotes::ALL[src.pick(CardNotes::ALL.len())];
    for _ in 0..shape.personas {
        let persona = src.persona();
        journey.personas.push(persona);
    }
    for &steps in &shape.stages {
        let stage_id = StageId(src.id());
        let steps = (0..steps)
            .map(|_| Step {
                id: StepId(src.id()),
                name: src.text(),
            })
            .collect();
        journey.stages.push(Stage {
            customer_goal: src.text(),
            business_goal: src.text(),
            kpis: (0..src.pick(3)).map(|_| src.kpi()).collect(),
            ..Stage::new(stage_id, src.text(), steps)
        });
    }
    for kind in fill.kinds {
        journey.lanes.push(Lane {
            id: LaneId(src.id()),
            kind,
            name: src.text(),
        });
    }
    build_cards(&mut journey, &mut src, fill.channels);
    build_curves(&mut journey, &mut src, fill.scores, fill.curve_for);
    build_pains(&mut journey, &mut src, fill.severities);
    let cards: Vec<CardId> = journey.cards.iter().map(|c| c.id).collect();
    for _ in 0..src.pick(5) {
        if let Some(card) = cards.get(src.pick(cards.len())) {
            let (voter, date) = (src.text(), src.date());
            journey.votes.push(Vote {
                card: *card,
                voter,
                date,
            });
        }
    }
    journey.silenced = (0..src.pick(3)).map(|_| src.text()).collect();
    journey
}

fn build_cards(journey: &mut Journey, src: &mut Source<'_>, channels: Vec<Option<Channel>>) {
    let step_ids: Vec<StepId> = journey.steps().map(|(_, s)| s.id).collect();
    let lane_ids: Vec<LaneId> = journey.lanes.iter().map(|l| l.id).collect();
    for channel in channels {
        // Valid-ish: usually an existing cell, a dangling id when there is none.
        let step = step_ids
            .get(src.pick(step_ids.len()))
            .copied()
            .unwrap_or(StepId(7));
        let lane = lane_ids
            .get(src.pick(lane_ids.len()))
            .copied()
            .unwrap_or(LaneId(8));
        let (id, title) = (CardId(src.id()), src.text());
        journey.cards.push(Card {
            notes: src.text(),
            channel,
            plan: src.maybe(Source::action_item),
            evidence: src.maybe(Source::evidence),
            resource: src.maybe(Source::resource),
            state: src.one_of(&CardState::ALL),
            ..Card::new(id, step, lane, title)
        });
    }
}

/// A current and maybe a future curve per persona; some points hold
/// participants' scores, and then the point is their median.
fn build_curves(
    journey: &mut Journey,
    src: &mut Source<'_>,
    scores: Vec<Option<f32>>,
    curve_for: Vec<bool>,
) {
    let step_ids: Vec<StepId> = journey.steps().map(|(_, s)| s.id).collect();
    let persona_ids: Vec<PersonaId> = journey.personas.iter().map(|p| p.id).collect();
    let mut scores = scores.into_iter();
    let owners = persona_ids
        .iter()
        .flat_map(|p| CurveState::ALL.map(|state| (*p, state)));
    for ((persona, state), has_curve) in owners.zip(curve_for) {
        let mut points: BTreeMap<StepId, f32> = step_ids
            .iter()
            .zip(scores.by_ref())
            .filter_map(|(step, score)| score.map(|s| (*step, s)))
            .collect();
        let mut samples = BTreeMap::new();
        for (step, point) in &mut points {
            let some = src.samples();
            if let Some(middle) = median(&some) {
                *point = middle;
                samples.insert(*step, some);
            }
        }
        if has_curve {
            journey.curves.push(EmotionCurve {
                state,
                samples,
                ..EmotionCurve::new(persona, points)
            });
        }
    }
}

fn build_pains(journey: &mut Journey, src: &mut Source<'_>, severities: Vec<u8>) {
    let step_ids: Vec<StepId> = journey.steps().map(|(_, s)| s.id).collect();
    let persona_ids: Vec<PersonaId> = journey.personas.iter().map(|p| p.id).collect();
    let card_ids: Vec<CardId> = journey.cards.iter().map(|c| c.id).collect();
    for severity in severities {
        let step = step_ids
            .get(src.pick(step_ids.len()))
            .copied()
            .unwrap_or(StepId(3));
        let anchor = match src.pick(3) {
            0 => card_ids
                .get(src.pick(card_ids.len()))
                .map_or(Anchor::Step(step), |c| Anchor::Card(*c)),
            1 => persona_ids
                .get(src.pick(persona_ids.len()))
                .map_or(Anchor::Step(step), |p| Anchor::Curve(*p, step)),
            _ => Anchor::Step(step),
        };
        let opportunity = if src.pick(2) == 0 {
            card_ids.get(src.pick(card_ids.len())).copied()
        } else {
            None
        };
        journey.pain_points.push(PainPoint {
            id: PainId(src.id()),
            severity,
            text: src.text(),
            anchor,
            opportunity,
            solved_in_future: src.pick(3) == 0,
        });
    }
}

// ---- (a) round trip -------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn ron_round_trip(journey in journey()) {
        let text = to_string(&journey);
        let back = parse_str(&text, path())
            .map_err(|e| TestCaseError::fail(format!("{e}\n--- text ---\n{text}")))?;
        prop_assert_eq!(&back, &journey);
        prop_assert_eq!(to_string(&back), text, "to_string is not a fixpoint");
    }

    #[test]
    fn round_trip_through_bytes_with_bom(journey in journey()) {
        let text = format!("\u{feff}{}", to_string(&journey));
        let back = parse_bytes(text.as_bytes(), path())
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back, journey);
    }
}

// ---- (a') format 1 migrates without loss --------------------------------

/// The journey as format 1 could hold it: every format 2 field emptied.
fn as_format_1(mut journey: Journey) -> Journey {
    journey.objective.clear();
    journey.scenario.clear();
    journey.currency.clear();
    journey.last_reviewed = None;
    journey.hide_goals = false;
    journey.revisions.clear();
    journey.votes.clear();
    journey.silenced.clear();
    journey.curves.retain(|c| c.state == CurveState::Current);
    for curve in &mut journey.curves {
        curve.samples.clear();
    }
    for pain in &mut journey.pain_points {
        pain.solved_in_future = false;
    }
    journey.personas = journey
        .personas
        .into_iter()
        .map(|p| Persona {
            description: p.description,
            ..Persona::named(p.id, p.name)
        })
        .collect();
    journey.stages = journey
        .stages
        .into_iter()
        .map(|s| Stage::new(s.id, s.name, s.steps))
        .collect();
    for card in &mut journey.cards {
        card.plan = None;
        card.evidence = None;
        card.resource = None;
        card.state = CardState::Current;
    }
    journey
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    /// Any map format 1 could hold, written in format 1, opens as the same
    /// map in the current format.
    #[test]
    fn format_1_migrates_losing_nothing(journey in journey()) {
        let old = as_format_1(journey);
        let text = to_string(&old).replacen(
            &format!("format: {FORMAT_VERSION},"),
            "format: 1,",
            1,
        );
        let back = parse_str(&text, path())
            .map_err(|e| TestCaseError::fail(format!("{e}\n--- text ---\n{text}")))?;
        prop_assert_eq!(back, old);
    }
}

// ---- (b) random edits, then undo all and redo all -------------------------

/// One random user action; its edit is derived from the journey as it is
/// when the action runs, so every edit is valid.
#[derive(Clone, Debug)]
struct Action {
    kind: u8,
    a: Selector,
    b: Selector,
    c: Selector,
    text: String,
    score: f32,
    lane_kind: LaneKind,
    channel: Option<Channel>,
}

const ACTION_KINDS: u8 = 40;

fn action() -> impl Strategy<Value = Action> {
    (
        0..ACTION_KINDS,
        any::<Selector>(),
        any::<Selector>(),
        any::<Selector>(),
        text(),
        -3.0f32..=3.0,
        lane_kind(),
        prop::option::of(channel()),
    )
        .prop_map(|(kind, a, b, c, text, score, lane_kind, channel)| Action {
            kind,
            a,
            b,
            c,
            text,
            score,
            lane_kind,
            channel,
        })
}

/// Where the edits start: an empty template or one of the rich example maps.
fn start() -> impl Strategy<Value = Journey> {
    let mut starts: Vec<Journey> = Template::ALL
        .iter()
        .map(|t| t.build("Random edits"))
        .collect();
    for name in ["grocery-checkout", "saas-trial", "outpatient-visit"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .join(format!("{name}.journey.ron"));
        starts.push(waymark::io::load(&path).expect("the example maps load"));
    }
    prop::sample::select(starts)
}

/// What one action does to the history: a single edit, or a gesture of edits
/// sharing one undo step.
enum Change {
    One(Edit),
    Gesture(Vec<Edit>),
}

fn steps_of(j: &Journey) -> Vec<StepId> {
    j.steps().map(|(_, s)| s.id).collect()
}

/// Derives a valid edit from the current journey, or `None` when the action
/// does not apply (e.g. "remove a card" when there are none).
#[allow(clippy::too_many_lines)]
fn derive(j: &Journey, act: &Action) -> Option<Change> {
    let steps = steps_of(j);
    let lanes: Vec<LaneId> = j.lanes.iter().map(|l| l.id).collect();
    let stages: Vec<StageId> = j.stages.iter().map(|s| s.id).collect();
    let cards: Vec<CardId> = j.cards.iter().map(|c| c.id).collect();
    let personas: Vec<PersonaId> = j.personas.iter().map(|p| p.id).collect();
    let pains: Vec<PainId> = j.pain_points.iter().map(|p| p.id).collect();
    let fresh = j.next_id();
    let pick_step = |s: &Selector| s.try_select(steps.iter().copied());
    let pick_lane = |s: &Selector| s.try_select(lanes.iter().copied());
    let pick_card = |s: &Selector| s.try_select(cards.iter().copied());
    let text = act.text.clone();
    let edit = match act.kind {
        // Add a card to an existing cell.
        0 | 1 => {
            let step = pick_step(&act.a)?;
            let lane = pick_lane(&act.b)?;
            let index = act.c.select(0..=j.cards.len());
            Edit::InsertCard(
                index,
                Card {
                    channel: act.channel,
                    ..Card::new(CardId(fresh), step, lane, text)
                },
            )
        }
        2 => Edit::remove_cards(j, &[pick_card(&act.a)?]),
        3 | 4 => {
            let card = pick_card(&act.a)?;
            let step = pick_step(&act.b)?;
            let lane = pick_lane(&act.c)?;
            let slot = act.a.select(0..=j.cards.len());
            Edit::move_card_to_cell(j, card, step, lane, slot)
        }
        5 => {
            let card = j.card(pick_card(&act.a)?)?;
            Edit::UpdateCard(Card {
                title: text.clone(),
                notes: text,
                channel: act.channel,
                ..card.clone()
            })
        }
        6 => Edit::RenameStage(act.a.try_select(stages.iter().copied())?, text),
        7 => Edit::RenameStep(pick_step(&act.a)?, text),
        // Set one point of a persona's curve (out-of-range scores get clamped).
        8 | 9 => {
            let persona = act.a.try_select(personas.iter().copied())?;
            let step = pick_step(&act.b)?;
            let mut points = j
                .curve(persona)
                .map(|c| c.points.clone())
                .unwrap_or_default();
            points.insert(step, act.score);
            Edit::SetCurve(persona, CurveState::Current, Some(points))
        }
        10 => {
            let persona = act.a.try_select(personas.iter().copied())?;
            let mut points = j.curve(persona)?.points.clone();
            let step = act.b.try_select(points.keys().copied())?;
            points.remove(&step);
            Edit::SetCurve(persona, CurveState::Current, Some(points))
        }
        11 | 12 => {
            let anchor = match act.b.select(0..3) {
                0 => Anchor::Card(pick_card(&act.a)?),
                1 => Anchor::Curve(
                    act.a.try_select(personas.iter().copied())?,
                    pick_step(&act.c)?,
                ),
                _ => Anchor::Step(pick_step(&act.a)?),
            };
            let opportunity = if act.c.select(0..2) == 0 {
                pick_card(&act.c)
            } else {
                None
            };
            Edit::InsertPain(
                act.a.select(0..=j.pain_points.len()),
                PainPoint {
                    id: PainId(fresh),
                    severity: act.c.select(1..=3u8),
                    text,
                    anchor,
                    opportunity,
                    solved_in_future: act.b.select(0..2) == 0,
                },
            )
        }
        13 => Edit::RemovePain(act.a.try_select(pains.iter().copied())?),
        14 => {
            let pain = j.pain(act.a.try_select(pains.iter().copied())?)?;
            Edit::UpdatePain(PainPoint {
                severity: act.b.select(1..=3u8),
                text,
                ..pain.clone()
            })
        }
        15 => Edit::remove_stage(j, act.a.try_select(stages.iter().copied())?),
        16 => Edit::remove_lane(j, pick_lane(&act.a)?),
        17 => {
            // Removing a stage's last step would leave an empty stage; the UI
            // removes the stage instead.
            let step = pick_step(&act.a)?;
            let (stage, _) = j.step(step)?;
            if stage.steps.len() < 2 {
                return None;
            }
            Edit::remove_step(j, step)
        }
        18 => {
            let stage = j.stage(act.a.try_select(stages.iter().copied())?)?;
            Edit::InsertStep(
                stage.id,
                act.b.select(0..=stage.steps.len()),
                Step {
                    id: StepId(fresh),
                    name: text,
                },
            )
        }
        19 => Edit::InsertStage(
            act.a.select(0..=j.stages.len()),
            Stage::new(
                StageId(fresh),
                text,
                (1..=act.b.select(1..=3u64))
                    .map(|i| Step {
                        id: StepId(fresh + i),
                        name: format!("Step {i}"),
                    })
                    .collect(),
            ),
        ),
        20 => Edit::MoveStage(
            act.a.try_select(stages.iter().copied())?,
            act.b.select(0..=j.stages.len()),
        ),
        21 => {
            let step = pick_step(&act.a)?;
            let (from, _) = j.step(step)?;
            let to = j.stage(act.b.try_select(stages.iter().copied())?)?;
            if from.id != to.id && from.steps.len() < 2 {
                return None;
            }
            Edit::MoveStep(step, to.id, act.c.select(0..=to.steps.len()))
        }
        22 => Edit::InsertLane(
            act.a.select(0..=j.lanes.len()),
            Lane {
                id: LaneId(fresh),
                kind: act.lane_kind,
                name: text,
            },
        ),
        23 => Edit::MoveLane(pick_lane(&act.a)?, act.b.select(0..=j.lanes.len())),
        24 => {
            let lane = j.lane(pick_lane(&act.a)?)?;
            Edit::UpdateLane(Lane {
                kind: act.lane_kind,
                name: text,
                ..lane.clone()
            })
        }
        25 => {
            if act.b.select(0..2) == 0 {
                let persona = act.a.try_select(personas.iter().copied())?;
                Edit::remove_persona(j, persona)
            } else {
                Edit::InsertPersona(
                    act.a.select(0..=j.personas.len()),
                    Persona::named(PersonaId(fresh), text),
                )
            }
        }
        27..=33 => return strategy_edit(j, act).map(Change::One),
        34..=39 => return voices_edit(j, act).map(Change::One),
        // A gesture: typing a step name character by character, or dragging
        // a card through several cells, is one undo step.
        _ => {
            if act.b.select(0..2) == 0 {
                let step = pick_step(&act.a)?;
                let names: Vec<String> = act
                    .text
                    .char_indices()
                    .map(|(i, c)| act.text[..i + c.len_utf8()].to_owned())
                    .take(8)
                    .collect();
                if names.is_empty() {
                    return None;
                }
                return Some(Change::Gesture(
                    names
                        .into_iter()
                        .map(|n| Edit::RenameStep(step, n))
                        .collect(),
                ));
            }
            let card = pick_card(&act.a)?;
            let mut moves = Vec::new();
            for selector in [&act.a, &act.b, &act.c] {
                let step = pick_step(selector)?;
                let lane = pick_lane(selector)?;
                moves.push((step, lane));
            }
            return Some(Change::Gesture(
                moves
                    .into_iter()
                    .map(|(step, lane)| Edit::PlaceCard {
                        id: card,
                        step,
                        lane,
                        index: act.c.select(0..j.cards.len()),
                    })
                    .collect(),
            ));
        }
    };
    Some(Change::One(edit))
}

/// A random edit of the format 2 fields: the brief, the review history, the
/// goals band, a stage's goals or KPIs, a card's action item, evidence and
/// resource, a persona's rich fields.
fn strategy_edit(j: &Journey, act: &Action) -> Option<Edit> {
    let stages: Vec<StageId> = j.stages.iter().map(|s| s.id).collect();
    let text = act.text.clone();
    let month = 1 + act.c.select(0..12u8) as i8;
    let date = Date::constant(2026, month, 1 + act.b.select(0..28u8) as i8);
    let edit = match act.kind {
        27 => Edit::SetBrief {
            objective: text.clone(),
            scenario: text.chars().rev().collect(),
            currency: ["", "€", "USD"][act.b.select(0..3)].to_owned(),
        },
        28 => {
            let mut revisions = j.revisions.clone();
            if act.b.select(0..2) == 0 || revisions.is_empty() {
                let revision = Revision {
                    date,
                    author: text.to_uppercase(),
                    note: text,
                };
                revisions.insert(act.a.select(0..=revisions.len()), revision);
            } else {
                revisions.remove(act.a.select(0..revisions.len()));
            }
            Edit::SetReview {
                last_reviewed: (act.c.select(0..2) == 0).then_some(date),
                revisions,
            }
        }
        29 => Edit::SetHideGoals(!j.hide_goals),
        30 => Edit::SetStageGoals {
            id: act.a.try_select(stages.iter().copied())?,
            customer: text.clone(),
            business: text.to_lowercase(),
        },
        31 => {
            let stage = j.stage(act.a.try_select(stages.iter().copied())?)?;
            let mut kpis = stage.kpis.clone();
            if act.b.select(0..2) == 0 || kpis.is_empty() {
                let kpi = Kpi {
                    value: Some(f64::from(act.score)),
                    target: (act.c.select(0..2) == 0).then_some(1.5),
                    measured: Some(date),
                    ..Kpi::named(text)
                };
                kpis.insert(act.c.select(0..=kpis.len()), kpi);
            } else {
                kpis.remove(act.c.select(0..kpis.len()));
            }
            Edit::SetKpis(stage.id, kpis)
        }
        32 => {
            let card = j.card(act.a.try_select(j.cards.iter().map(|c| c.id))?)?;
            let on = |s: &Selector| s.select(0..3) != 0;
            Edit::UpdateCard(Card {
                plan: on(&act.a).then(|| ActionItem {
                    priority: Priority::ALL[act.b.select(0..3)],
                    owner: text.clone(),
                    status: Status::ALL[act.c.select(0..4)],
                    due: Some(date),
                }),
                evidence: on(&act.b).then(|| Evidence {
                    source: waymark::model::Source::ALL[act.c.select(0..6)],
                    confidence: Confidence::ALL[act.a.select(0..3)],
                    quote: text.clone(),
                    link: String::new(),
                }),
                resource: on(&act.c).then(|| Resource {
                    kind: ResourceKind::ALL[act.a.select(0..3)],
                    need: Need::ALL[act.b.select(0..2)],
                    cost: Some(f64::from(act.score) * 1000.0),
                }),
                ..card.clone()
            })
        }
        _ => {
            let persona = j.persona(act.a.try_select(j.personas.iter().map(|p| p.id))?)?;
            Edit::UpdatePersona(Persona {
                role: text.clone(),
                goals: text.to_uppercase(),
                needs: text.to_lowercase(),
                frustrations: text.chars().rev().collect(),
                quote: text.clone(),
                photo: (act.b.select(0..2) == 0).then(|| Photo::from_bytes(text.as_bytes())),
                ..persona.clone()
            })
        }
    };
    Some(edit)
}

/// A random edit of the future state and the many voices: a to-be curve
/// point, participants' scores, a card's state, a persona hidden, a pain
/// solved in the future, votes and silenced health rules.
fn voices_edit(j: &Journey, act: &Action) -> Option<Edit> {
    let personas: Vec<PersonaId> = j.personas.iter().map(|p| p.id).collect();
    let steps = steps_of(j);
    let state = CurveState::ALL[act.c.select(0..2)];
    let edit = match act.kind {
        34 => {
            let persona = act.a.try_select(personas.iter().copied())?;
            let step = act.b.try_select(steps.iter().copied())?;
            Edit::set_scores_in(j, persona, state, [(step, act.score)])
        }
        35 => {
            let persona = act.a.try_select(personas.iter().copied())?;
            let step = act.b.try_select(steps.iter().copied())?;
            let samples = act
                .text
                .chars()
                .take(4)
                .enumerate()
                .map(|(i, c)| Sample::new(c.to_string(), act.score - i as f32))
                .collect();
            Edit::set_samples(j, persona, state, step, samples)
        }
        36 => {
            let card = j.card(act.a.try_select(j.cards.iter().map(|c| c.id))?)?;
            Edit::UpdateCard(Card {
                state: CardState::ALL[act.b.select(0..3)],
                ..card.clone()
            })
        }
        37 => {
            if act.b.select(0..2) == 0 {
                let persona = j.persona(act.a.try_select(personas.iter().copied())?)?;
                Edit::UpdatePersona(Persona {
                    hidden: !persona.hidden,
                    ..persona.clone()
                })
            } else {
                let pain = j.pain(act.a.try_select(j.pain_points.iter().map(|p| p.id))?)?;
                Edit::UpdatePain(PainPoint {
                    solved_in_future: !pain.solved_in_future,
                    ..pain.clone()
                })
            }
        }
        38 => {
            let mut votes = j.votes.clone();
            if act.b.select(0..3) == 0 {
                votes.clear();
            } else {
                let card = act.a.try_select(j.cards.iter().map(|c| c.id))?;
                let date = Date::constant(2026, 12, 1 + act.c.select(0..28u8) as i8);
                votes.push(Vote {
                    card,
                    voter: act.text.clone(),
                    date,
                });
            }
            Edit::SetVotes(votes)
        }
        _ => {
            let mut silenced = j.silenced.clone();
            if !silenced.remove(&act.text) {
                silenced.insert(act.text.clone());
            }
            Edit::SetSilenced(silenced)
        }
    };
    Some(edit)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn random_edits_undo_and_redo_exactly(
        start in start(),
        actions in prop::collection::vec(action(), 1..40),
    ) {
        let mut journey = start;
        let mut history = History::default();
        // The journey before every recorded undo step, and at the end.
        let mut snapshots = vec![journey.clone()];
        for (n, act) in actions.iter().enumerate() {
            let Some(step) = derive(&journey, act) else { continue };
            let before = journey.clone();
            match step {
                Change::One(edit) => {
                    let noop = edit.is_noop();
                    history
                        .apply(&mut journey, edit.clone())
                        .map_err(|e| TestCaseError::fail(format!("action {n} {edit:?}: {e}")))?;
                    if noop {
                        prop_assert_eq!(&journey, &before);
                        continue;
                    }
                }
                Change::Gesture(edits) => {
                    let key = egui::Id::unique(("gesture", n));
                    for edit in edits {
                        history
                            .apply_in_gesture(&mut journey, edit.clone(), key)
                            .map_err(|e| TestCaseError::fail(format!("action {n} {edit:?}: {e}")))?;
                    }
                    history.end_gesture();
                }
            }
            // Valid edits on a valid journey keep it valid.
            let problems = journey.problems();
            prop_assert!(problems.is_empty(), "after action {} {:?}: {:?}", n, act, problems);
            snapshots.push(journey.clone());
        }
        prop_assert_eq!(history.undo_len(), snapshots.len() - 1);
        let last = journey.clone();

        // Undo everything, one step at a time, through every earlier state.
        for expected in snapshots.iter().rev().skip(1) {
            prop_assert!(history.undo(&mut journey));
            prop_assert_eq!(&journey, expected);
        }
        prop_assert!(!history.undo(&mut journey));
        prop_assert_eq!(&journey, &snapshots[0]);

        // Redo everything, back through every later state.
        for expected in snapshots.iter().skip(1) {
            prop_assert!(history.redo(&mut journey));
            prop_assert_eq!(&journey, expected);
        }
        prop_assert!(!history.redo(&mut journey));
        prop_assert_eq!(&journey, &last);

        // The edited journey still survives a save and reopen.
        let text = to_string(&journey);
        let reopened = parse_str(&text, path()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(reopened, journey);
    }
}

/// Removing a persona (and so its curve) and undoing must give back the very
/// same document, curves in their original order.
#[test]
fn undo_of_curve_removal_restores_curve_order() {
    let mut journey = Template::FourStage.build("t");
    let second = PersonaId(journey.next_id());
    let mut history = History::default();
    let insert = Edit::InsertPersona(1, Persona::named(second, "Second"));
    history.apply(&mut journey, insert).unwrap();
    history
        .apply(
            &mut journey,
            Edit::SetCurve(second, CurveState::Current, Some(BTreeMap::new())),
        )
        .unwrap();
    let before = journey.clone();
    let first = journey.personas[0].id;
    let remove = Edit::remove_persona(&journey, first);
    history.apply(&mut journey, remove).unwrap();
    assert!(history.undo(&mut journey));
    assert_eq!(journey, before);
}

// ---- (c) parsers never panic ----------------------------------------------

/// Loads bytes; whatever happens, it must be an orderly result, and anything
/// that opens must save and reopen to the same text.
fn parse_is_orderly(bytes: &[u8]) -> Result<(), TestCaseError> {
    match parse_bytes(bytes, path()) {
        Ok(journey) => {
            let text = to_string(&journey);
            let again = parse_str(&text, path())
                .map_err(|e| TestCaseError::fail(format!("opened but cannot reopen: {e}")))?;
            prop_assert_eq!(to_string(&again), text);
        }
        Err(err) => {
            let message = err.to_string();
            prop_assert!(message.starts_with("prop.journey.ron:"), "{}", message);
            if let LoadError::Parse { line, col, .. } | LoadError::Encoding { line, col, .. } = err
            {
                prop_assert!(line >= 1 && col >= 1, "{}", message);
                let lines = bytes.split(|b| *b == b'\n').count();
                prop_assert!(
                    line <= lines.max(1),
                    "line {} of {}: {}",
                    line,
                    lines,
                    message
                );
            }
        }
    }
    Ok(())
}

/// A realistic valid file to mutate.
fn seed_text() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/grocery-checkout.journey.ron");
    std::fs::read_to_string(path)
        .unwrap_or_else(|_| to_string(&Template::SixStage.build("Seed \"map\" ✈")))
}

#[derive(Clone, Debug)]
enum Mutation {
    Truncate(Index),
    Delete(Index, usize),
    Insert(Index, Vec<u8>),
    Replace(Index, u8),
    Duplicate(Index, usize),
    Swap(Index, Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let syntax =
        prop::sample::select(b"()[]{},:\"\\'#/*rSomeNone-.0123456789eE+ \n\x00\xff".to_vec());
    prop_oneof![
        any::<Index>().prop_map(Mutation::Truncate),
        (any::<Index>(), 1..64usize).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (any::<Index>(), prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(i, b)| Mutation::Insert(i, b)),
        (any::<Index>(), syntax).prop_map(|(i, b)| Mutation::Replace(i, b)),
        (any::<Index>(), 1..200usize).prop_map(|(i, n)| Mutation::Duplicate(i, n)),
        (any::<Index>(), any::<Index>()).prop_map(|(i, j)| Mutation::Swap(i, j)),
    ]
}

fn mutate(bytes: &mut Vec<u8>, mutation: &Mutation) {
    let len = bytes.len().max(1);
    match mutation {
        Mutation::Truncate(i) => bytes.truncate(i.index(len)),
        Mutation::Delete(i, n) => {
            let start = i.index(len).min(bytes.len());
            let end = (start + n).min(bytes.len());
            bytes.drain(start..end);
        }
        Mutation::Insert(i, new) => {
            let at = i.index(len + 1).min(bytes.len());
            bytes.splice(at..at, new.iter().copied());
        }
        Mutation::Replace(i, b) => {
            if let Some(slot) = bytes.get_mut(i.index(len)) {
                *slot = *b;
            }
        }
        Mutation::Duplicate(i, n) => {
            let start = i.index(len).min(bytes.len());
            let end = (start + n).min(bytes.len());
            let copy = bytes[start..end].to_vec();
            bytes.splice(end..end, copy);
        }
        Mutation::Swap(i, j) => {
            let (i, j) = (i.index(len), j.index(len));
            if i < bytes.len() && j < bytes.len() {
                bytes.swap(i, j);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        parse_is_orderly(&bytes)?;
    }

    #[test]
    fn arbitrary_text_never_panics(text in "[(){}\\[\\],:\"\\\\a-zA-Z0-9_ .\n-]{0,256}") {
        parse_is_orderly(text.as_bytes())?;
        // With a valid header in front, the parser gets past the format gate.
        parse_is_orderly(format!("(format: 1, {text}").as_bytes())?;
    }

    #[test]
    fn mutated_files_never_panic(mutations in prop::collection::vec(mutation(), 1..6)) {
        let mut bytes = seed_text().into_bytes();
        for m in &mutations {
            mutate(&mut bytes, m);
        }
        parse_is_orderly(&bytes)?;
    }

    #[test]
    fn truncated_files_never_panic(cut in any::<Index>()) {
        let text = seed_text();
        let bytes = text.as_bytes();
        let cut = cut.index(bytes.len());
        parse_is_orderly(&bytes[..cut])?;
    }
}

/// Deep nesting is refused with an error, not a stack overflow.
#[test]
fn deep_nesting_is_an_error() {
    for open in ["[", "(", "{", "Some("] {
        for prefix in [
            "",
            "(format: 1, title: \"x\", personas: ",
            "(format: 1, extra: ",
        ] {
            let text = format!("{prefix}{}", open.repeat(100_000));
            let err = parse_str(&text, path()).expect_err("deep nesting must not parse");
            assert!(err.to_string().starts_with("prop.journey.ron:"), "{err}");
        }
    }
}

/// Every card id, step id etc. a generated journey uses is distinct: the
/// generator's own invariant, checked so failures above mean what they say.
#[test]
fn generated_ids_are_unique() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    for _ in 0..32 {
        let journey = journey().new_tree(&mut runner).unwrap().current();
        let ids: Vec<u64> = journey
            .personas
            .iter()
            .map(|p| p.id.0)
            .chain(journey.stages.iter().map(|s| s.id.0))
            .chain(journey.steps().map(|(_, s)| s.id.0))
            .chain(journey.lanes.iter().map(|l| l.id.0))
            .chain(journey.cards.iter().map(|c| c.id.0))
            .chain(journey.pain_points.iter().map(|p| p.id.0))
            .collect();
        let unique: BTreeSet<u64> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len());
    }
}
