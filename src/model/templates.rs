//! Starting points for a new journey.

use crate::model::{
    Anchor, Card, CardId, Channel, EmotionCurve, Journey, Lane, LaneId, LaneKind, PainId,
    PainPoint, Persona, PersonaId, Stage, StageId, Step, StepId,
};

/// The title of a new map until its author names it: the same from the
/// app's File ▸ New and from `waymark new`.
pub const DEFAULT_TITLE: &str = "Untitled journey";

/// A starting point for a new map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Template {
    /// One stage, one step, the core lanes.
    Blank,
    /// Awareness, Consideration, Purchase, Retention.
    FourStage,
    /// Awareness, Consideration, Decision, Purchase, Post-purchase, Loyalty/Advocacy.
    SixStage,
}

impl Template {
    /// Every template, in menu order.
    pub const ALL: [Self; 3] = [Self::Blank, Self::FourStage, Self::SixStage];

    /// Human name for menus.
    pub fn label(self) -> &'static str {
        match self {
            Self::Blank => "Blank",
            Self::FourStage => "Four stages",
            Self::SixStage => "Six stages",
        }
    }

    /// Stage names, each with the name of its first step (a starting point
    /// that shows where step names go; workshops rename them).
    fn stages(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Self::Blank => &[("Stage 1", "Step 1")],
            Self::FourStage => &[
                ("Awareness", "Notices the need"),
                ("Consideration", "Compares options"),
                ("Purchase", "Buys"),
                ("Retention", "Uses and comes back"),
            ],
            Self::SixStage => &[
                ("Awareness", "Notices the need"),
                ("Consideration", "Researches options"),
                ("Decision", "Chooses"),
                ("Purchase", "Pays"),
                ("Post-purchase", "Receives and uses"),
                ("Loyalty/Advocacy", "Recommends"),
            ],
        }
    }

    /// Builds a journey from this template.
    pub fn build(self, title: &str) -> Journey {
        let mut journey = Journey::empty(title);
        let mut next = 1u64;
        let mut fresh = || {
            let id = next;
            next += 1;
            id
        };
        let persona = PersonaId(fresh());
        journey
            .personas
            .push(Persona::named(persona, "Primary persona"));
        for (name, step) in self.stages() {
            let stage = StageId(fresh());
            journey.stages.push(Stage::new(
                stage,
                *name,
                vec![Step {
                    id: StepId(fresh()),
                    name: (*step).into(),
                }],
            ));
        }
        let kinds: &[LaneKind] = match self {
            Self::Blank => &[
                LaneKind::Actions,
                LaneKind::Touchpoints,
                LaneKind::Emotions,
                LaneKind::PainPoints,
            ],
            Self::FourStage | Self::SixStage => &[
                LaneKind::Actions,
                LaneKind::Touchpoints,
                LaneKind::Thoughts,
                LaneKind::Emotions,
                LaneKind::PainPoints,
                LaneKind::Opportunities,
            ],
        };
        for kind in kinds {
            journey.lanes.push(Lane {
                id: LaneId(fresh()),
                kind: *kind,
                name: kind.label().into(),
            });
        }
        journey.curves.push(EmotionCurve::new(
            persona,
            std::collections::BTreeMap::new(),
        ));
        journey
    }
}

/// A large, realistic map for benchmarks and stress tests: `steps` columns in
/// stages of ten, eight lanes, `cards` cards spread over the cells (none in
/// the emotion lane), two personas with a curve point at every step, and a
/// pain point for about every fiftieth card.
pub fn generated(steps: usize, cards: usize) -> Journey {
    let mut ids = Ids(0);
    let mut journey = Journey::empty(format!("Generated journey: {cards} cards"));
    journey.description =
        "Generated for benchmarks: a subscription service from the first ad to renewal.".into();
    let personas: Vec<u64> = ["Maya Chen, working parent", "Daniel Okafor, ops lead"]
        .iter()
        .map(|name| {
            let id = ids.fresh();
            journey.personas.push(Persona {
                description: "Busy, price-aware, orders on the phone between meetings.".into(),
                ..Persona::named(PersonaId(id), *name)
            });
            id
        })
        .collect();
    generated_structure(&mut journey, &mut ids, steps);
    let step_ids: Vec<u64> = journey.steps().map(|(_, s)| s.id.0).collect();
    generated_cards(&mut journey, &mut ids, &step_ids, cards);
    for (p, persona) in personas.iter().enumerate() {
        let points = step_ids
            .iter()
            .enumerate()
            .map(|(i, step)| (StepId(*step), ((i + p * 7) as f32 * 0.37).sin() * 2.0))
            .collect();
        journey
            .curves
            .push(EmotionCurve::new(PersonaId(*persona), points));
    }
    generated_pains(&mut journey, &mut ids, &step_ids, &personas);
    journey
}

/// Hands out ids in order, so a generated map is the same every time.
struct Ids(u64);

impl Ids {
    fn fresh(&mut self) -> u64 {
        self.0 += 1;
        self.0
    }
}

/// The element of `list` at `i`, wrapping around; 0 for an empty list.
fn pick(list: &[u64], i: usize) -> u64 {
    list.get(i % list.len().max(1)).copied().unwrap_or(0)
}

/// Stages of ten steps each, named after the usual phases, and eight lanes.
fn generated_structure(journey: &mut Journey, ids: &mut Ids, steps: usize) {
    const LANES: [LaneKind; 8] = [
        LaneKind::Actions,
        LaneKind::Touchpoints,
        LaneKind::Thoughts,
        LaneKind::Emotions,
        LaneKind::PainPoints,
        LaneKind::Opportunities,
        LaneKind::Backstage,
        LaneKind::Owners,
    ];
    const STAGES: [&str; 5] = [
        "Awareness",
        "Consideration",
        "Purchase",
        "Delivery",
        "Retention",
    ];
    let mut step_no = 0;
    let mut n = 0;
    while step_no < steps {
        let stage = StageId(ids.fresh());
        let count = (steps - step_no).min(10);
        let name = STAGES.get(n % STAGES.len()).copied().unwrap_or("Stage");
        journey.stages.push(Stage::new(
            stage,
            format!("{name} {}", n / STAGES.len() + 1),
            (step_no..step_no + count)
                .map(|i| Step {
                    id: StepId(ids.fresh()),
                    name: format!("Step {}: compares delivery fees", i + 1),
                })
                .collect(),
        ));
        step_no += count;
        n += 1;
    }
    for kind in LANES {
        journey.lanes.push(Lane {
            id: LaneId(ids.fresh()),
            kind,
            name: kind.label().into(),
        });
    }
}

/// `cards` cards dealt over every lane but the emotion lane, step by step.
fn generated_cards(journey: &mut Journey, ids: &mut Ids, step_ids: &[u64], cards: usize) {
    let card_lanes: Vec<(LaneId, LaneKind)> = journey
        .lanes
        .iter()
        .filter(|l| l.kind != LaneKind::Emotions)
        .map(|l| (l.id, l.kind))
        .collect();
    for i in 0..cards {
        let Some((lane, kind)) = card_lanes.get(i % card_lanes.len().max(1)).copied() else {
            break;
        };
        let id = CardId(ids.fresh());
        let (step, title) = (
            StepId(pick(step_ids, i / card_lanes.len())),
            format!("Card {i}: checks the \"slot\" price"),
        );
        journey.cards.push(Card {
            notes: if i % 3 == 0 {
                "Saw the fee only after entering a postcode.\nWants it up front.".into()
            } else {
                String::new()
            },
            channel: (kind == LaneKind::Touchpoints)
                .then(|| Channel::ALL.get(i % Channel::ALL.len()).copied())
                .flatten(),
            ..Card::new(id, step, lane, title)
        });
    }
}

/// A pain point for every fiftieth card, anchored in turn on the card, a
/// curve point and a step.
fn generated_pains(journey: &mut Journey, ids: &mut Ids, step_ids: &[u64], personas: &[u64]) {
    let card_ids: Vec<u64> = journey.cards.iter().map(|c| c.id.0).collect();
    for (n, card) in card_ids.iter().step_by(50).enumerate() {
        let step = StepId(pick(step_ids, n * 7));
        let anchor = match n % 3 {
            0 => Anchor::Card(CardId(*card)),
            1 => Anchor::Curve(PersonaId(pick(personas, n)), step),
            _ => Anchor::Step(step),
        };
        journey.pain_points.push(PainPoint {
            id: PainId(ids.fresh()),
            severity: (n % 3) as u8 + 1,
            text: "Payment fails at the bank check and the basket is lost".into(),
            anchor,
            opportunity: None,
            solved_in_future: false,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_valid() {
        for t in Template::ALL {
            let j = t.build("x");
            assert!(j.problems().is_empty(), "{t:?}: {:?}", j.problems());
            assert!(j.emotion_lane().is_some());
        }
        assert_eq!(Template::SixStage.build("x").stages.len(), 6);
        assert_eq!(Template::FourStage.build("x").stages[3].name, "Retention");
    }

    #[test]
    fn generated_maps_are_valid_and_sized() {
        let j = generated(25, 300);
        assert_eq!(j.step_count(), 25);
        assert_eq!(j.stages.len(), 3);
        assert_eq!(j.cards.len(), 300);
        assert!(j.problems().is_empty(), "{:?}", j.problems());
    }
}
