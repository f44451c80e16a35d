//! The journey document: plain serde data, no egui types, no I/O.
//!
//! Everything refers to everything else by stable newtype ids, never by index,
//! so references survive reordering, undo and hand edits of the file.

pub mod diff;
pub mod health;
pub mod migrate;
mod plan;
mod problems;
mod strategy;
pub mod templates;
mod voices;

pub use plan::Warning;
pub use problems::Problem;
pub use strategy::{
    ActionItem, Better, Confidence, Date, Evidence, KPI_PRESETS, Kpi, KpiPreset, Need, Photo,
    Priority, Resource, ResourceKind, Revision, Source, Status, number_text, plain_number_text,
};
pub use voices::{CardState, CurveState, Sample, SpreadKind, Vote, median, score_text, spread};

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// The file format version this build writes, and the newest it reads.
pub const FORMAT_VERSION: u32 = 2;

/// Lowest and highest emotion score on the curve.
pub const SCORE_RANGE: std::ops::RangeInclusive<f32> = -2.0..=2.0;

/// The most personas a map holds: more curves than this cannot be told
/// apart on one chart.
pub const MAX_PERSONAS: usize = 5;

macro_rules! id_type {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub u64);
    )*};
}

id_type!(
    /// Identifies a [`Persona`].
    PersonaId,
    /// Identifies a [`Stage`].
    StageId,
    /// Identifies a [`Step`] (one column of the map).
    StepId,
    /// Identifies a [`Lane`] (one row of the map).
    LaneId,
    /// Identifies a [`Card`].
    CardId,
    /// Identifies a [`PainPoint`].
    PainId,
);

/// The document: one journey map.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Journey {
    /// File format version; always first in the file.
    pub format: u32,
    /// Map title, shown in exports and the window title.
    pub title: String,
    /// What the map is about (scope, date, source research).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Why the map exists: the decision it serves.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub objective: String,
    /// The persona's situation and expectations on this journey.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub scenario: String,
    /// When the team last checked the map against reality.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_reviewed: Option<Date>,
    /// The currency of resource costs, e.g. "€" or "USD".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub currency: String,
    /// Whose journey this is (one to [`MAX_PERSONAS`] per map).
    pub personas: Vec<Persona>,
    /// Phases, left to right; each spans one or more steps.
    pub stages: Vec<Stage>,
    /// Rows, top to bottom.
    pub lanes: Vec<Lane>,
    /// Items placed in cells; within a cell, their order here is their order on the map.
    #[serde(default)]
    pub cards: Vec<Card>,
    /// Emotion curves: at most one per persona and state.
    #[serde(default)]
    pub curves: Vec<EmotionCurve>,
    /// Annotations where the experience breaks.
    #[serde(default)]
    pub pain_points: Vec<PainPoint>,
    /// How much of each card's notes the map shows.
    #[serde(default, skip_serializing_if = "CardNotes::is_default")]
    pub card_notes: CardNotes,
    /// Whether the goals band under the stage headers is hidden.
    #[serde(default, skip_serializing_if = "is_false")]
    pub hide_goals: bool,
    /// The review history, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revisions: Vec<Revision>,
    /// Dot votes cast in workshops, in the order cast.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub votes: Vec<Vote>,
    /// Ids of the health rules this map does not want to hear about.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub silenced: BTreeSet<String>,
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
fn is_false(value: &bool) -> bool {
    !*value
}

/// How much of a card's notes the map (canvas and exports) shows under its
/// title. Cards grow to fit what is shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CardNotes {
    /// The title only.
    TitleOnly,
    /// The title and the first line of the notes.
    #[default]
    FirstLine,
    /// The title and all the notes.
    All,
}

impl CardNotes {
    /// Every choice, in menu order.
    pub const ALL: [Self; 3] = [Self::TitleOnly, Self::FirstLine, Self::All];

    /// The name a menu shows.
    pub fn label(self) -> &'static str {
        match self {
            Self::TitleOnly => "Titles only",
            Self::FirstLine => "Titles and first line of notes",
            Self::All => "Titles and all notes",
        }
    }

    #[expect(
        clippy::trivially_copy_pass_by_ref,
        reason = "serde's skip_serializing_if passes a reference"
    )]
    fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// Whose journey a map follows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Persona {
    /// Stable id.
    pub id: PersonaId,
    /// Display name, e.g. "Maya, busy parent".
    pub name: String,
    /// Background and context.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Job or situation, e.g. "First-time buyer, nurse".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub role: String,
    /// What the persona wants to achieve.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub goals: String,
    /// What the persona needs from the business.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub needs: String,
    /// What gets in the way.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub frustrations: String,
    /// Something the persona said, in their words.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub quote: String,
    /// A small photo; an avatar with initials is drawn when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<Photo>,
    /// Left out of the canvas and exports (curves, strip, legend) without
    /// being deleted.
    #[serde(default, skip_serializing_if = "is_false")]
    pub hidden: bool,
}

impl Persona {
    /// A persona with a name and nothing else.
    pub fn named(id: PersonaId, name: impl Into<String>) -> Self {
        Self {
            id,
            name: name.into(),
            description: String::new(),
            role: String::new(),
            goals: String::new(),
            needs: String::new(),
            frustrations: String::new(),
            quote: String::new(),
            photo: None,
            hidden: false,
        }
    }

    /// Up to two initials of the name, for the generated avatar.
    pub fn initials(&self) -> String {
        let name = self.name.split([',', '(']).next().unwrap_or_default();
        name.split_whitespace()
            .filter_map(|word| word.chars().find(|c| c.is_alphanumeric()))
            .take(2)
            .flat_map(char::to_uppercase)
            .collect()
    }
}

/// A phase of the journey, spanning one or more steps (columns).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    /// Stable id.
    pub id: StageId,
    /// Display name, e.g. "Awareness".
    pub name: String,
    /// What the customer wants from this stage.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub customer_goal: String,
    /// What the business wants from this stage.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub business_goal: String,
    /// How the stage is measured.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kpis: Vec<Kpi>,
    /// The columns of this stage, left to right.
    pub steps: Vec<Step>,
}

impl Stage {
    /// A stage with a name and steps and nothing else.
    pub fn new(id: StageId, name: impl Into<String>, steps: Vec<Step>) -> Self {
        Self {
            id,
            name: name.into(),
            customer_goal: String::new(),
            business_goal: String::new(),
            kpis: Vec::new(),
            steps,
        }
    }

    /// Whether the stage has a goal to show in the goals band.
    pub fn has_goals(&self) -> bool {
        !self.customer_goal.trim().is_empty() || !self.business_goal.trim().is_empty()
    }
}

/// One column of the map.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Stable id.
    pub id: StepId,
    /// Display name, e.g. "Sees an ad".
    pub name: String,
}

/// One row of the map.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lane {
    /// Stable id.
    pub id: LaneId,
    /// What the row holds; decides how it is drawn.
    pub kind: LaneKind,
    /// Display name; defaults to the kind's name.
    pub name: String,
}

/// What a lane holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LaneKind {
    /// What the persona does.
    Actions,
    /// Where the persona meets the business; cards carry a channel.
    Touchpoints,
    /// What the persona thinks.
    Thoughts,
    /// The emotion curve lives here.
    Emotions,
    /// Where it hurts.
    PainPoints,
    /// What could be better; its cards are the action plan.
    Opportunities,
    /// What each step needs: people, tools, budget.
    Resources,
    /// Channels in use.
    Channels,
    /// Behind the scenes: systems and teams.
    Backstage,
    /// Measures.
    Kpis,
    /// Who is responsible.
    Owners,
    /// Anything else.
    Notes,
}

impl LaneKind {
    /// Every kind, in menu order.
    pub const ALL: [Self; 12] = [
        Self::Actions,
        Self::Touchpoints,
        Self::Thoughts,
        Self::Emotions,
        Self::PainPoints,
        Self::Opportunities,
        Self::Resources,
        Self::Channels,
        Self::Backstage,
        Self::Kpis,
        Self::Owners,
        Self::Notes,
    ];

    /// Human name, used as the default lane name.
    pub fn label(self) -> &'static str {
        match self {
            Self::Actions => "Actions",
            Self::Touchpoints => "Touchpoints",
            Self::Thoughts => "Thoughts",
            Self::Emotions => "Emotions",
            Self::PainPoints => "Pain points",
            Self::Opportunities => "Opportunities",
            Self::Resources => "Resources",
            Self::Channels => "Channels",
            Self::Backstage => "Backstage",
            Self::Kpis => "KPIs",
            Self::Owners => "Owners",
            Self::Notes => "Notes",
        }
    }
}

/// How a touchpoint reaches the persona.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Channel {
    /// Website.
    Web,
    /// Email.
    Email,
    /// Phone call.
    Phone,
    /// Physical store.
    Store,
    /// Social media.
    Social,
    /// Advertising.
    Ad,
    /// Mobile app.
    App,
    /// Live chat or chatbot.
    Chat,
    /// Customer support.
    Support,
    /// Anything else.
    Other,
}

impl Channel {
    /// Every channel, in palette order.
    pub const ALL: [Self; 10] = [
        Self::Web,
        Self::Email,
        Self::Phone,
        Self::Store,
        Self::Social,
        Self::Ad,
        Self::App,
        Self::Chat,
        Self::Support,
        Self::Other,
    ];

    /// Human name.
    pub fn label(self) -> &'static str {
        match self {
            Self::Web => "Web",
            Self::Email => "Email",
            Self::Phone => "Phone",
            Self::Store => "Store",
            Self::Social => "Social",
            Self::Ad => "Ad",
            Self::App => "App",
            Self::Chat => "Chat",
            Self::Support => "Support",
            Self::Other => "Other",
        }
    }
}

/// An item placed in one cell (step x lane).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Card {
    /// Stable id.
    pub id: CardId,
    /// The column it sits in.
    pub step: StepId,
    /// The row it sits in.
    pub lane: LaneId,
    /// Short headline shown on the card.
    pub title: String,
    /// Longer text; its first line shows on the card.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// For touchpoints: how the persona is reached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    /// For opportunities: the action item (priority, owner, status, due).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<ActionItem>,
    /// Where the card comes from and how sure the team is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
    /// For resources: kind, available or required, cost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<Resource>,
    /// Whether the card exists today, only in the future, or goes away.
    #[serde(default, skip_serializing_if = "CardState::is_current")]
    pub state: CardState,
}

impl Card {
    /// A card with a title in a cell, and nothing else.
    pub fn new(id: CardId, step: StepId, lane: LaneId, title: impl Into<String>) -> Self {
        Self {
            id,
            step,
            lane,
            title: title.into(),
            notes: String::new(),
            channel: None,
            plan: None,
            evidence: None,
            resource: None,
            state: CardState::Current,
        }
    }

    /// Whether the card is marked as an unresearched assumption.
    pub fn is_assumption(&self) -> bool {
        self.evidence
            .as_ref()
            .is_some_and(|e| e.confidence == Confidence::Assumption)
    }
}

/// A persona's emotion across the journey in one state: at most one score
/// per step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmotionCurve {
    /// Whose feelings these are.
    pub persona: PersonaId,
    /// As-is or to-be.
    #[serde(default, skip_serializing_if = "CurveState::is_current")]
    pub state: CurveState,
    /// Score per step, -2.0 ..= 2.0. Keyed by id so the file order is stable.
    /// A file with a score that is not a finite number is refused where the
    /// number stands (`inf` and `NaN` cannot be drawn or compared).
    #[serde(deserialize_with = "finite_scores")]
    pub points: BTreeMap<StepId, f32>,
    /// Individual participants' scores per step; where a step has some, its
    /// point is their median.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub samples: BTreeMap<StepId, Vec<Sample>>,
}

impl EmotionCurve {
    /// A current-state curve with these points and no samples.
    pub fn new(persona: PersonaId, points: BTreeMap<StepId, f32>) -> Self {
        Self {
            persona,
            state: CurveState::Current,
            points,
            samples: BTreeMap::new(),
        }
    }

    /// The participants' scores at a step (empty where there are none).
    pub fn samples_at(&self, step: StepId) -> &[Sample] {
        self.samples.get(&step).map_or(&[], Vec::as_slice)
    }
}

/// A score that is a finite number; anything else is an error at the place
/// it was read, so the message gives its line and column.
#[derive(Deserialize)]
#[serde(try_from = "f32")]
struct FiniteScore(f32);

impl TryFrom<f32> for FiniteScore {
    type Error = String;

    fn try_from(score: f32) -> Result<Self, Self::Error> {
        if score.is_finite() {
            Ok(Self(score))
        } else {
            Err(format!(
                "an emotion score must be a number from -2 to 2, not {score}"
            ))
        }
    }
}

/// Reads one score that must be a finite number.
pub(crate) fn finite_score<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<f32, D::Error> {
    Ok(FiniteScore::deserialize(deserializer)?.0)
}

pub(crate) fn finite_scores<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<StepId, f32>, D::Error> {
    let points = BTreeMap::<StepId, FiniteScore>::deserialize(deserializer)?;
    Ok(points
        .into_iter()
        .map(|(step, score)| (step, score.0))
        .collect())
}

/// Where a pain point is attached.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Anchor {
    /// On a card.
    Card(CardId),
    /// On a persona's emotion curve, at a step.
    Curve(PersonaId, StepId),
    /// On a whole step (column).
    Step(StepId),
}

/// An annotation where the experience breaks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PainPoint {
    /// Stable id.
    pub id: PainId,
    /// 1 (minor) ..= 3 (critical).
    pub severity: u8,
    /// What goes wrong.
    pub text: String,
    /// Where it is attached.
    pub anchor: Anchor,
    /// An opportunity card that addresses it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opportunity: Option<CardId>,
    /// Whether the future state no longer has this pain.
    #[serde(default, skip_serializing_if = "is_false")]
    pub solved_in_future: bool,
}

/// Pain severity bounds.
pub const SEVERITY_RANGE: std::ops::RangeInclusive<u8> = 1..=3;

/// The word for a pain severity, as the inspector and the legend show it.
pub fn severity_label(severity: u8) -> &'static str {
    match severity {
        0 | 1 => "minor",
        2 => "major",
        _ => "critical",
    }
}

impl Journey {
    /// An empty journey with the current format and no stages or lanes.
    pub fn empty(title: impl Into<String>) -> Self {
        Self {
            format: FORMAT_VERSION,
            title: title.into(),
            description: String::new(),
            objective: String::new(),
            scenario: String::new(),
            last_reviewed: None,
            currency: String::new(),
            personas: Vec::new(),
            stages: Vec::new(),
            lanes: Vec::new(),
            cards: Vec::new(),
            curves: Vec::new(),
            pain_points: Vec::new(),
            card_notes: CardNotes::default(),
            hide_goals: false,
            revisions: Vec::new(),
            votes: Vec::new(),
            silenced: BTreeSet::new(),
        }
    }

    /// All steps, left to right, with the stage each belongs to.
    pub fn steps(&self) -> impl Iterator<Item = (&Stage, &Step)> {
        self.stages
            .iter()
            .flat_map(|stage| stage.steps.iter().map(move |step| (stage, step)))
    }

    /// The number of steps (columns).
    pub fn step_count(&self) -> usize {
        self.stages.iter().map(|s| s.steps.len()).sum()
    }

    /// The step with this id and the stage holding it.
    pub fn step(&self, id: StepId) -> Option<(&Stage, &Step)> {
        self.steps().find(|(_, step)| step.id == id)
    }

    /// The stage with this id.
    pub fn stage(&self, id: StageId) -> Option<&Stage> {
        self.stages.iter().find(|s| s.id == id)
    }

    /// The lane with this id.
    pub fn lane(&self, id: LaneId) -> Option<&Lane> {
        self.lanes.iter().find(|l| l.id == id)
    }

    /// The card with this id.
    pub fn card(&self, id: CardId) -> Option<&Card> {
        self.cards.iter().find(|c| c.id == id)
    }

    /// The persona with this id.
    pub fn persona(&self, id: PersonaId) -> Option<&Persona> {
        self.personas.iter().find(|p| p.id == id)
    }

    /// The pain point with this id.
    pub fn pain(&self, id: PainId) -> Option<&PainPoint> {
        self.pain_points.iter().find(|p| p.id == id)
    }

    /// The first persona the map shows (not hidden).
    pub fn first_shown_persona(&self) -> Option<PersonaId> {
        self.personas.iter().find(|p| !p.hidden).map(|p| p.id)
    }

    /// The current-state emotion curve of a persona, if it has one.
    pub fn curve(&self, persona: PersonaId) -> Option<&EmotionCurve> {
        self.curve_in(persona, CurveState::Current)
    }

    /// A persona's emotion curve in one state, if it has one.
    pub fn curve_in(&self, persona: PersonaId, state: CurveState) -> Option<&EmotionCurve> {
        self.curves
            .iter()
            .find(|c| c.persona == persona && c.state == state)
    }

    /// The lane the emotion curve is drawn in: the first Emotions lane.
    pub fn emotion_lane(&self) -> Option<&Lane> {
        self.lanes.iter().find(|l| l.kind == LaneKind::Emotions)
    }

    /// Cards in one cell, in their order on the map.
    pub fn cards_in(&self, step: StepId, lane: LaneId) -> impl Iterator<Item = &Card> {
        self.cards
            .iter()
            .filter(move |c| c.step == step && c.lane == lane)
    }

    /// An id no item in the document has, so a new item never collides.
    ///
    /// Ids share one number space across kinds so a hand-edited file stays
    /// unambiguous to read.
    pub fn next_id(&self) -> u64 {
        let [id] = self.fresh_ids();
        id
    }

    /// `N` distinct ids that no item in the document has: the ones after the
    /// largest id in use, or, when a hand-edited file has taken ids up to
    /// `u64::MAX`, the smallest free ones.
    pub fn fresh_ids<const N: usize>(&self) -> [u64; N] {
        let max = self.ids().map(|(id, _)| id).max().unwrap_or(0);
        if max.checked_add(N as u64).is_some() {
            return std::array::from_fn(|i| max + 1 + i as u64);
        }
        let used: std::collections::HashSet<u64> = self.ids().map(|(id, _)| id).collect();
        let mut free = (1..=u64::MAX).filter(|id| !used.contains(id));
        // A document holds far fewer than 2^64 items, so free ids never run out.
        std::array::from_fn(|_| free.next().unwrap_or(u64::MAX))
    }

    /// Every id in the document, with the kind of item that has it.
    pub fn ids(&self) -> impl Iterator<Item = (u64, &'static str)> + '_ {
        self.personas
            .iter()
            .map(|p| (p.id.0, "persona"))
            .chain(self.stages.iter().map(|s| (s.id.0, "stage")))
            .chain(self.steps().map(|(_, s)| (s.id.0, "step")))
            .chain(self.lanes.iter().map(|l| (l.id.0, "lane")))
            .chain(self.cards.iter().map(|c| (c.id.0, "card")))
            .chain(self.pain_points.iter().map(|p| (p.id.0, "pain point")))
    }
}

/// Clamp a score to the curve's range; NaN becomes neutral.
pub fn clamp_score(score: f32) -> f32 {
    if score.is_nan() {
        0.0
    } else {
        score.clamp(*SCORE_RANGE.start(), *SCORE_RANGE.end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_id_is_above_every_id() {
        let mut j = Journey::empty("t");
        assert_eq!(j.next_id(), 1);
        j.stages.push(Stage::new(
            StageId(4),
            "A",
            vec![Step {
                id: StepId(9),
                name: "s".into(),
            }],
        ));
        assert_eq!(j.next_id(), 10);
    }

    fn with_card_ids(ids: &[u64]) -> Journey {
        let mut j = Journey::empty("t");
        for id in ids {
            j.cards
                .push(Card::new(CardId(*id), StepId(1), LaneId(1), String::new()));
        }
        j
    }

    #[test]
    fn ids_near_the_top_of_the_range_never_collide() {
        let j = with_card_ids(&[u64::MAX, 1, 2, 4]);
        assert_eq!(j.next_id(), 3);
        assert_eq!(j.fresh_ids(), [3, 5, 6]);
        let j = with_card_ids(&[u64::MAX - 1]);
        assert_eq!(j.fresh_ids(), [u64::MAX]);
        assert_eq!(j.fresh_ids(), [1, 2]);
    }

    proptest::proptest! {
        #[test]
        fn fresh_ids_are_distinct_and_unused(
            ids in proptest::collection::vec(
                proptest::prop_oneof![
                    0..64u64,
                    (u64::MAX - 64)..=u64::MAX,
                    proptest::num::u64::ANY,
                ],
                0..40,
            ),
        ) {
            let j = with_card_ids(&ids);
            let fresh: [u64; 7] = j.fresh_ids();
            let unique: std::collections::HashSet<u64> = fresh.iter().copied().collect();
            proptest::prop_assert_eq!(unique.len(), fresh.len());
            for id in &fresh {
                proptest::prop_assert!(!ids.contains(id), "{id} is taken");
            }
            let next = j.next_id();
            proptest::prop_assert!(!ids.contains(&next), "{next} is taken");
        }
    }

    #[test]
    fn dangling_card_is_a_problem() {
        let mut j = Journey::empty("t");
        j.cards
            .push(Card::new(CardId(1), StepId(7), LaneId(8), "Lost"));
        let problems = j.problems();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].message.contains("step 7"));
    }

    #[test]
    fn repair_drops_dangling_links_and_scores_but_keeps_cards() {
        let mut j = crate::model::templates::Template::FourStage.build("t");
        let step = j.steps().next().unwrap().1.id;
        let persona = j.personas[0].id;
        j.curves[0].points.insert(StepId(9_999), 1.0);
        j.curves[0].points.insert(step, 0.5);
        j.pain_points.push(PainPoint {
            id: PainId(8_000),
            severity: 2,
            text: "Slow".into(),
            anchor: Anchor::Step(step),
            opportunity: Some(CardId(7_777)),
            solved_in_future: false,
        });
        j.cards.push(Card::new(
            CardId(8_001),
            StepId(4_242),
            j.lanes[0].id,
            "Orphan",
        ));
        let repairs = j.repair();
        assert_eq!(repairs.len(), 2, "{repairs:?}");
        assert_eq!(j.pain(PainId(8_000)).unwrap().opportunity, None);
        assert_eq!(j.curve(persona).unwrap().points.len(), 1);
        assert!(j.card(CardId(8_001)).is_some(), "text is never dropped");
        assert_eq!(j.problems().len(), 1, "the orphan card is still reported");
        assert!(j.repair().is_empty(), "repairing twice changes nothing");
    }

    #[test]
    fn repair_moves_a_sampled_point_to_the_median_and_drops_stray_votes() {
        let mut j = crate::model::templates::Template::FourStage.build("t");
        let step = j.steps().next().unwrap().1.id;
        let persona = j.personas[0].id;
        j.curves[0].points.insert(step, -2.0);
        let scores = [1.0, 2.0, -1.0].map(|s| Sample::new("", s));
        j.curves[0].samples.insert(step, scores.to_vec());
        j.curves[0].samples.insert(StepId(9_999), scores.to_vec());
        j.votes.push(Vote {
            card: CardId(7_777),
            voter: String::new(),
            date: Date::constant(2026, 12, 7),
        });
        let repairs = j.repair();
        assert_eq!(repairs.len(), 3, "{repairs:?}");
        let curve = j.curve(persona).unwrap();
        assert!(
            (curve.points[&step] - 1.0).abs() < f32::EPSILON,
            "the median of 1, 2, -1"
        );
        assert_eq!(curve.samples.len(), 1);
        assert!(j.votes.is_empty());
        assert!(j.problems().is_empty(), "{:?}", j.problems());
        assert!(j.repair().is_empty(), "repairing twice changes nothing");
    }

    #[test]
    fn a_persona_has_a_current_and_a_future_curve_but_not_two_of_one() {
        let mut j = crate::model::templates::Template::FourStage.build("t");
        let persona = j.personas[0].id;
        j.curves.push(EmotionCurve {
            state: CurveState::Future,
            ..EmotionCurve::new(persona, BTreeMap::new())
        });
        assert!(j.problems().is_empty());
        assert!(j.curve_in(persona, CurveState::Future).is_some());
        j.curves.push(EmotionCurve::new(persona, BTreeMap::new()));
        let problems = j.problems();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("more than one current"));
    }

    #[test]
    fn clamp_score_handles_nan_and_range() {
        assert!((clamp_score(f32::NAN)).abs() < f32::EPSILON);
        assert!((clamp_score(5.0) - 2.0).abs() < f32::EPSILON);
        assert!((clamp_score(-1.5) + 1.5).abs() < f32::EPSILON);
    }
}
