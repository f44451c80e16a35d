//! Older file formats and the steps that bring them to the current one.
//!
//! Each format that ever shipped keeps its own serde types here, and each
//! step converts format N to N + 1, so a file of any age is upgraded one step
//! at a time and every step is tested on its own fixture
//! (`tests/fixtures/format-N.journey.ron`). Types that did not change between
//! formats are shared with [`crate::model`].

use serde::Deserialize;

use crate::model::{FORMAT_VERSION, Journey, Lane, PersonaId, StepId};

/// Format 1, the first release: no objective, goals, KPIs, action items,
/// evidence, resources, rich personas or revision notes; empty descriptions
/// were written out.
pub mod v1 {
    use std::collections::BTreeMap;

    use super::{Deserialize, Lane};
    use crate::model::{
        Anchor, CardId, CardNotes, Channel, LaneId, PainId, PersonaId, StageId, Step, StepId,
    };

    /// A format 1 journey.
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Journey {
        /// Always 1.
        pub format: u32,
        /// Unchanged.
        pub title: String,
        /// Unchanged.
        #[serde(default)]
        pub description: String,
        /// Gained role, goals, needs, frustrations, quote and photo in format 2.
        pub personas: Vec<Persona>,
        /// Gained goals and KPIs in format 2.
        pub stages: Vec<Stage>,
        /// Unchanged (format 2 added the Resources kind).
        pub lanes: Vec<Lane>,
        /// Gained action items, evidence and resources in format 2.
        #[serde(default)]
        pub cards: Vec<Card>,
        /// Unchanged.
        #[serde(default)]
        pub curves: Vec<EmotionCurve>,
        /// Unchanged.
        #[serde(default)]
        pub pain_points: Vec<PainPoint>,
        /// Unchanged.
        #[serde(default)]
        pub card_notes: CardNotes,
    }

    /// A format 1 persona.
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Persona {
        /// Unchanged.
        pub id: PersonaId,
        /// Unchanged.
        pub name: String,
        /// Unchanged.
        #[serde(default)]
        pub description: String,
    }

    /// A format 1 stage.
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Stage {
        /// Unchanged.
        pub id: StageId,
        /// Unchanged.
        pub name: String,
        /// Unchanged.
        pub steps: Vec<Step>,
    }

    /// A format 1 card.
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Card {
        /// Unchanged.
        pub id: CardId,
        /// Unchanged.
        pub step: StepId,
        /// Unchanged.
        pub lane: LaneId,
        /// Unchanged.
        pub title: String,
        /// Unchanged.
        #[serde(default)]
        pub notes: String,
        /// Unchanged.
        #[serde(default)]
        pub channel: Option<Channel>,
    }

    /// A format 1 emotion curve (format 2 added states and samples).
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct EmotionCurve {
        /// Unchanged.
        pub persona: PersonaId,
        /// Unchanged.
        #[serde(deserialize_with = "crate::model::finite_scores")]
        pub points: BTreeMap<StepId, f32>,
    }

    /// A format 1 pain point (format 2 added "solved in the future").
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct PainPoint {
        /// Unchanged.
        pub id: PainId,
        /// Unchanged.
        pub severity: u8,
        /// Unchanged.
        pub text: String,
        /// Unchanged.
        pub anchor: Anchor,
        /// Unchanged.
        #[serde(default)]
        pub opportunity: Option<CardId>,
    }
}

/// Format 1 -> 2: every new field starts empty; nothing is lost or moved.
pub fn v1_to_v2(old: v1::Journey) -> Journey {
    use crate::model::{Card, Persona, Stage};
    let mut journey = Journey::empty(old.title);
    journey.description = old.description;
    journey.personas = old
        .personas
        .into_iter()
        .map(|p| Persona {
            description: p.description,
            ..Persona::named(p.id, p.name)
        })
        .collect();
    journey.stages = old
        .stages
        .into_iter()
        .map(|s| Stage::new(s.id, s.name, s.steps))
        .collect();
    journey.lanes = old.lanes;
    journey.cards = old
        .cards
        .into_iter()
        .map(|c| Card {
            notes: c.notes,
            channel: c.channel,
            ..Card::new(c.id, c.step, c.lane, c.title)
        })
        .collect();
    journey.curves = old
        .curves
        .into_iter()
        .map(|c| crate::model::EmotionCurve::new(c.persona, c.points))
        .collect();
    journey.pain_points = old
        .pain_points
        .into_iter()
        .map(|p| crate::model::PainPoint {
            id: p.id,
            severity: p.severity,
            text: p.text,
            anchor: p.anchor,
            opportunity: p.opportunity,
            solved_in_future: false,
        })
        .collect();
    journey.card_notes = old.card_notes;
    journey
}

/// Format 0, the pre-release format: the title was called `name`, and
/// emotion scores were one flat list of `(persona, step, score)` entries
/// instead of one curve per persona.
pub mod v0 {
    use super::v1::PainPoint;
    use super::v1::{Card, Persona, Stage};
    use super::{Deserialize, Lane, PersonaId, StepId};

    /// A format 0 journey.
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Journey {
        /// Always 0.
        pub format: u32,
        /// Became `title` in format 1.
        pub name: String,
        /// Unchanged.
        #[serde(default)]
        pub description: String,
        /// Unchanged.
        pub personas: Vec<Persona>,
        /// Unchanged.
        pub stages: Vec<Stage>,
        /// Unchanged.
        pub lanes: Vec<Lane>,
        /// Unchanged.
        #[serde(default)]
        pub cards: Vec<Card>,
        /// Became one `EmotionCurve` per persona in format 1.
        #[serde(default)]
        pub emotions: Vec<Emotion>,
        /// Unchanged.
        #[serde(default)]
        pub pain_points: Vec<PainPoint>,
    }

    /// One score on the flat format 0 emotion list.
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Emotion {
        /// Whose feeling.
        pub persona: PersonaId,
        /// At which step.
        pub step: StepId,
        /// -2 ..= 2.
        pub score: f32,
    }
}

/// Format 0 -> 1: rename `name` to `title`; group the flat emotion list into
/// one curve per persona, in the order the personas first appear (a later
/// duplicate score for the same step wins, as it did when format 0 was drawn).
pub fn v0_to_v1(old: v0::Journey) -> v1::Journey {
    let mut curves: Vec<v1::EmotionCurve> = Vec::new();
    for emotion in old.emotions {
        let index = match curves.iter().position(|c| c.persona == emotion.persona) {
            Some(index) => index,
            None => {
                curves.push(v1::EmotionCurve {
                    persona: emotion.persona,
                    points: std::collections::BTreeMap::new(),
                });
                curves.len() - 1
            }
        };
        if let Some(curve) = curves.get_mut(index) {
            curve.points.insert(emotion.step, emotion.score);
        }
    }
    v1::Journey {
        format: 1,
        title: old.name,
        description: old.description,
        personas: old.personas,
        stages: old.stages,
        lanes: old.lanes,
        cards: old.cards,
        curves,
        pain_points: old.pain_points,
        card_notes: crate::model::CardNotes::default(),
    }
}

/// Parses `text` written in the older `format` and migrates it step by step
/// to [`FORMAT_VERSION`]. `None` when no such format ever existed.
pub fn upgrade(
    format: u32,
    text: &str,
    options: &ron::Options,
) -> Option<Result<Journey, ron::error::SpannedError>> {
    // Each arm parses its own format and hands the result to the next steps;
    // a future format 3 adds `v2_to_v3` after each chain and an arm for 2.
    let current = match format {
        0 => options
            .from_str::<v0::Journey>(text)
            .map(v0_to_v1)
            .map(v1_to_v2),
        1 => options.from_str::<v1::Journey>(text).map(v1_to_v2),
        _ => return None,
    };
    debug_assert!(
        current.as_ref().is_err() || current.as_ref().is_ok_and(|j| j.format == FORMAT_VERSION)
    );
    Some(current)
}
