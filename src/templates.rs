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

    fn stage_names(self) -> &'static [&'static str] {
        match self {
            Self::Blank => &["Stage 1"],
            Self::FourStage => &["Awareness", "Consideration", "Purchase", "Retention"],
            Self::SixStage => &[
                "Awareness",
                "Consideration",
                "Decision",
                "Purchase",
                "Post-purchase",
                "Loyalty/Advocacy",
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
        for name in self.stage_names() {
            let stage = StageId(fresh());
            journey.stages.push(Stage {
                id: stage,
                name: (*name).into(),
                steps: vec![Step {
                    id: StepId(fresh()),
                    name: String::new(),
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
}
