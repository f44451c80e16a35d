//! The two states of a journey (current and future) and the many voices on
//! it: participants' scores at a curve point, and dot votes from a workshop.
//!
//! Invariant kept by every command and repaired on load: where a curve point
//! has samples, the point's score is their median, so everything that reads
//! a curve's points (layout, exports, Mermaid) draws the curve through the
//! median without knowing about samples.

use serde::{Deserialize, Serialize};

use super::{CardId, Date, SCORE_RANGE};

/// Which version of the journey a curve belongs to.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum CurveState {
    /// The journey as it is today (as-is).
    #[default]
    Current,
    /// The journey as the team wants it to be (to-be).
    Future,
}

impl CurveState {
    /// Both states, current first.
    pub const ALL: [Self; 2] = [Self::Current, Self::Future];

    /// The name a menu shows.
    pub fn label(self) -> &'static str {
        match self {
            Self::Current => "Current",
            Self::Future => "Future",
        }
    }

    #[expect(
        clippy::trivially_copy_pass_by_ref,
        reason = "serde's skip_serializing_if passes a reference"
    )]
    pub(super) fn is_current(&self) -> bool {
        *self == Self::Current
    }
}

/// Where a card stands between the two states.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CardState {
    /// Exists today and stays.
    #[default]
    Current,
    /// Planned: does not exist yet, will in the future state.
    Future,
    /// Exists today and goes away in the future state.
    Removed,
}

impl CardState {
    /// Every state, in menu order.
    pub const ALL: [Self; 3] = [Self::Current, Self::Future, Self::Removed];

    /// The name a menu shows.
    pub fn label(self) -> &'static str {
        match self {
            Self::Current => "Today and in the future",
            Self::Future => "Future only (planned)",
            Self::Removed => "Today only (removed in the future)",
        }
    }

    /// Whether a card in this state exists in the given curve state.
    pub fn exists_in(self, state: CurveState) -> bool {
        match (self, state) {
            (Self::Current, _)
            | (Self::Future, CurveState::Future)
            | (Self::Removed, CurveState::Current) => true,
            (Self::Future, CurveState::Current) | (Self::Removed, CurveState::Future) => false,
        }
    }

    #[expect(
        clippy::trivially_copy_pass_by_ref,
        reason = "serde's skip_serializing_if passes a reference"
    )]
    pub(super) fn is_current(&self) -> bool {
        *self == Self::Current
    }
}

/// One participant's score at a curve point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sample {
    /// Who scored; empty for an anonymous participant.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub participant: String,
    /// -2.0 ..= 2.0, like a curve point.
    #[serde(deserialize_with = "super::finite_score")]
    pub score: f32,
}

impl Sample {
    /// A named (or, with an empty name, anonymous) participant's score,
    /// clamped to the score range.
    pub fn new(participant: impl Into<String>, score: f32) -> Self {
        Self {
            participant: participant.into(),
            score: score.clamp(*SCORE_RANGE.start(), *SCORE_RANGE.end()),
        }
    }
}

/// The median of the samples' scores; `None` for no samples.
pub fn median(samples: &[Sample]) -> Option<f32> {
    quantile(samples, 0.5)
}

/// A score as the map, the inspector and the diff show it: "+1.5", "0", "-2".
pub fn score_text(score: f32) -> String {
    let rounded = (score * 10.0).round() / 10.0;
    if rounded.abs() < 0.05 {
        "0".to_owned()
    } else if rounded > 0.0 {
        format!("+{rounded}")
    } else {
        format!("{rounded}")
    }
}

/// How far the participants' scores spread at a point.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SpreadKind {
    /// Lowest to highest score.
    #[default]
    Range,
    /// The middle half: first to third quartile.
    MiddleHalf,
}

/// The spread of the samples' scores as (low, high); `None` for no samples.
pub fn spread(samples: &[Sample], kind: SpreadKind) -> Option<(f32, f32)> {
    let (low, high) = match kind {
        SpreadKind::Range => (0.0, 1.0),
        SpreadKind::MiddleHalf => (0.25, 0.75),
    };
    Some((quantile(samples, low)?, quantile(samples, high)?))
}

/// The `q` quantile (0..=1) with linear interpolation between the two
/// nearest scores, so the median of an even count is the mean of the middle
/// two.
fn quantile(samples: &[Sample], q: f32) -> Option<f32> {
    let mut scores: Vec<f32> = samples.iter().map(|s| s.score).collect();
    scores.sort_by(f32::total_cmp);
    let last = scores.len().checked_sub(1)?;
    let at = q.clamp(0.0, 1.0) * last as f32;
    let below = at.floor() as usize;
    let above = at.ceil() as usize;
    let low = *scores.get(below)?;
    let high = *scores.get(above)?;
    // On a sample itself, its score as it is (so -0.0 stays -0.0).
    if below == above {
        return Some(low);
    }
    Some(low + (high - low) * (at - below as f32))
}

/// One dot a participant put on a card in a workshop vote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vote {
    /// The card voted for.
    pub card: CardId,
    /// Who voted; empty for an anonymous vote.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub voter: String,
    /// The day of the session.
    pub date: Date,
}

#[cfg(test)]
#[expect(clippy::float_cmp, reason = "the median of exact scores is exact")]
mod tests {
    use super::*;

    fn samples(scores: &[f32]) -> Vec<Sample> {
        scores.iter().map(|s| Sample::new("", *s)).collect()
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&samples(&[2.0, -1.0, 0.5])), Some(0.5));
        assert_eq!(median(&samples(&[-2.0, 1.0, 0.0, 2.0])), Some(0.5));
        assert_eq!(median(&samples(&[1.5])), Some(1.5));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn spread_is_the_range_or_the_middle_half() {
        let five = samples(&[-2.0, -1.0, 0.0, 1.0, 2.0]);
        assert_eq!(spread(&five, SpreadKind::Range), Some((-2.0, 2.0)));
        assert_eq!(spread(&five, SpreadKind::MiddleHalf), Some((-1.0, 1.0)));
        assert_eq!(
            spread(&samples(&[1.0]), SpreadKind::Range),
            Some((1.0, 1.0))
        );
        assert_eq!(spread(&[], SpreadKind::MiddleHalf), None);
    }

    #[test]
    fn scores_read_with_their_sign() {
        assert_eq!(score_text(1.5), "+1.5");
        assert_eq!(score_text(-2.0), "-2");
        assert_eq!(score_text(0.01), "0");
    }

    #[test]
    fn scores_are_clamped_to_the_curve() {
        assert_eq!(Sample::new("Ana", 7.0).score, 2.0);
        assert_eq!(Sample::new("", -3.0).score, -2.0);
    }

    #[test]
    fn a_card_exists_in_the_states_it_belongs_to() {
        use CurveState::{Current, Future};
        assert!(CardState::Current.exists_in(Current) && CardState::Current.exists_in(Future));
        assert!(!CardState::Future.exists_in(Current) && CardState::Future.exists_in(Future));
        assert!(CardState::Removed.exists_in(Current) && !CardState::Removed.exists_in(Future));
    }
}
