//! Older file formats and the steps that bring them to the current one.
//!
//! Each format that ever shipped keeps its own serde types here, and each
//! step converts format N to N + 1, so a file of any age is upgraded one step
//! at a time and every step is tested on its own fixture
//! (`tests/fixtures/format-N.journey.ron`). Types that did not change between
//! formats are shared with [`crate::model`].

use serde::Deserialize;

use crate::model::{
    Card, EmotionCurve, FORMAT_VERSION, Journey, Lane, PainPoint, Persona, PersonaId, Stage, StepId,
};

/// Format 0, the pre-release format: the title was called `name`, and
/// emotion scores were one flat list of `(persona, step, score)` entries
/// instead of one curve per persona.
pub mod v0 {
    use super::{Card, Deserialize, Lane, PainPoint, Persona, PersonaId, Stage, StepId};

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
pub fn v0_to_v1(old: v0::Journey) -> Journey {
    let mut curves: Vec<EmotionCurve> = Vec::new();
    for emotion in old.emotions {
        let index = match curves.iter().position(|c| c.persona == emotion.persona) {
            Some(index) => index,
            None => {
                curves.push(EmotionCurve {
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
    Journey {
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
    // Each arm parses its own format and hands the result to the next step;
    // a future format 2 adds `v1_to_v2` after `v0_to_v1` and an arm for 1.
    let current = match format {
        0 => options.from_str::<v0::Journey>(text).map(v0_to_v1),
        _ => return None,
    };
    debug_assert!(
        current.as_ref().is_err() || current.as_ref().is_ok_and(|j| j.format == FORMAT_VERSION)
    );
    Some(current)
}
