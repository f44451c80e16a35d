//! Starting points for a new journey.

use crate::model::{
    EmotionCurve, Journey, Lane, LaneId, LaneKind, Persona, PersonaId, Stage, StageId, Step, StepId,
};

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
        journey.personas.push(Persona {
            id: persona,
            name: "Primary persona".into(),
            description: String::new(),
        });
        for (name, step) in self.stages() {
            let stage = StageId(fresh());
            journey.stages.push(Stage {
                id: stage,
                name: (*name).into(),
                steps: vec![Step {
                    id: StepId(fresh()),
                    name: (*step).into(),
                }],
            });
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
        journey.curves.push(EmotionCurve {
            persona,
            points: std::collections::BTreeMap::new(),
        });
        journey
    }
}

/// A large, realistic map for benchmarks and stress tests: `steps` columns in
/// stages of ten, eight lanes, `cards` cards spread over the cells (none in
/// the emotion lane), two personas with a curve point at every step, and a
/// pain point for about every fiftieth card.
pub fn generated(steps: usize, cards: usize) -> Journey {
    use crate::model::{Anchor, Card, CardId, Channel, PainId, PainPoint};
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
    let pick = |list: &[u64], i: usize| list.get(i % list.len().max(1)).copied().unwrap_or(0);
    let mut next = 0u64;
    let mut fresh = || {
        next += 1;
        next
    };
    let mut journey = Journey::empty(format!("Generated journey: {cards} cards"));
    journey.description =
        "Generated for benchmarks: a subscription service from the first ad to renewal.".into();
    let personas: Vec<u64> = ["Maya Chen, working parent", "Daniel Okafor, ops lead"]
        .iter()
        .map(|name| {
            let id = fresh();
            journey.personas.push(Persona {
                id: PersonaId(id),
                name: (*name).into(),
                description: "Busy, price-aware, orders on the phone between meetings.".into(),
            });
            id
        })
        .collect();
    let mut step_no = 0;
    let mut n = 0;
    while step_no < steps {
        let stage = StageId(fresh());
        let count = (steps - step_no).min(10);
        let name = STAGES.get(n % STAGES.len()).copied().unwrap_or("Stage");
        journey.stages.push(Stage {
            id: stage,
            name: format!("{name} {}", n / STAGES.len() + 1),
            steps: (step_no..step_no + count)
                .map(|i| Step {
                    id: StepId(fresh()),
                    name: format!("Step {}: compares delivery fees", i + 1),
                })
                .collect(),
        });
        step_no += count;
        n += 1;
    }
    for kind in LANES {
        journey.lanes.push(Lane {
            id: LaneId(fresh()),
            kind,
            name: kind.label().into(),
        });
    }
    let step_ids: Vec<u64> = journey.steps().map(|(_, s)| s.id.0).collect();
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
        let id = CardId(fresh());
        journey.cards.push(Card {
            id,
            step: StepId(pick(&step_ids, i / card_lanes.len())),
            lane,
            title: format!("Card {i}: checks the \"slot\" price"),
            notes: if i % 3 == 0 {
                "Saw the fee only after entering a postcode.\nWants it up front.".into()
            } else {
                String::new()
            },
            channel: (kind == LaneKind::Touchpoints)
                .then(|| Channel::ALL.get(i % Channel::ALL.len()).copied())
                .flatten(),
        });
    }
    for (p, persona) in personas.iter().enumerate() {
        let points = step_ids
            .iter()
            .enumerate()
            .map(|(i, step)| (StepId(*step), ((i + p * 7) as f32 * 0.37).sin() * 2.0))
            .collect();
        journey.curves.push(EmotionCurve {
            persona: PersonaId(*persona),
            points,
        });
    }
    let card_ids: Vec<u64> = journey.cards.iter().map(|c| c.id.0).collect();
    for (n, card) in card_ids.iter().step_by(50).enumerate() {
        let step = StepId(pick(&step_ids, n * 7));
        let anchor = match n % 3 {
            0 => Anchor::Card(CardId(*card)),
            1 => Anchor::Curve(PersonaId(pick(&personas, n)), step),
            _ => Anchor::Step(step),
        };
        journey.pain_points.push(PainPoint {
            id: PainId(fresh()),
            severity: (n % 3) as u8 + 1,
            text: "Payment fails at the bank check and the basket is lost".into(),
            anchor,
            opportunity: None,
        });
    }
    journey
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
