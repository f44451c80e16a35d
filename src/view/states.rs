//! The journey's two states as the map shows them: which state is in view
//! ([`StateView`]: current, future or both compared), the journey as drawn
//! in it ([`StateView::project`]), and the marker shape that tells the
//! personas' curves apart in greyscale print.
//!
//! The projection keeps every id, so the layout's hit tests name the
//! document's items, and it is idempotent (projecting twice in one state
//! gives the same journey), so an export may be handed a projected map.
//! In the projected journey the state fields say what to mark: a card in
//! state `Future` is drawn as planned, `Removed` struck through, a pain
//! `solved_in_future` ticked, a `Future` curve beside a current one dashed.

use std::borrow::Cow;

use crate::model::{CardState, CurveState, Journey};

/// Which state of the journey the map shows (a view choice, not saved).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum StateView {
    /// Today's cards and the as-is curves.
    #[default]
    Current,
    /// Today's cards that stay, the planned ones, and the to-be curves.
    Future,
    /// Both states on one map: both curves, planned and removed cards marked.
    Compare,
}

impl StateView {
    /// Every choice, in menu order.
    pub const ALL: [Self; 3] = [Self::Current, Self::Future, Self::Compare];

    /// The name a menu shows.
    pub fn label(self) -> &'static str {
        match self {
            Self::Current => "Current state",
            Self::Future => "Future state",
            Self::Compare => "Compare current and future",
        }
    }

    /// The one-word name a row of choices shows.
    pub fn short_label(self) -> &'static str {
        match self {
            Self::Current => "Current",
            Self::Future => "Future",
            Self::Compare => "Compare",
        }
    }

    /// The curves that sketching and dragging change in this view: the
    /// to-be ones in the Future view, else the as-is ones.
    pub fn edit_state(self) -> CurveState {
        match self {
            Self::Future => CurveState::Future,
            Self::Current | Self::Compare => CurveState::Current,
        }
    }

    /// The journey as drawn in this view (borrowed when that is the
    /// journey itself): hidden personas' curves left out; in
    /// Current, planned cards and to-be curves left out and nothing marked;
    /// in Future, removed cards, solved pains and as-is curves left out;
    /// in Compare, everything kept.
    pub fn project(self, journey: &Journey) -> Cow<'_, Journey> {
        if !self.changes(journey) {
            return Cow::Borrowed(journey);
        }
        let mut shown = journey.clone();
        // Hidden personas stay in the list (their position gives the
        // others their colours); the strip, header and legend skip them.
        let hidden: Vec<_> = (shown.personas.iter())
            .filter(|p| p.hidden)
            .map(|p| p.id)
            .collect();
        shown.curves.retain(|c| !hidden.contains(&c.persona));
        match self {
            Self::Current => {
                shown.cards.retain(|c| c.state != CardState::Future);
                for card in &mut shown.cards {
                    card.state = CardState::Current;
                }
                shown.curves.retain(|c| c.state == CurveState::Current);
                for pain in &mut shown.pain_points {
                    pain.solved_in_future = false;
                }
            }
            Self::Future => {
                shown.cards.retain(|c| c.state != CardState::Removed);
                shown.curves.retain(|c| c.state == CurveState::Future);
                shown.pain_points.retain(|p| !p.solved_in_future);
            }
            Self::Compare => {}
        }
        let cards: Vec<_> = shown.cards.iter().map(|c| c.id).collect();
        shown.votes.retain(|v| cards.contains(&v.card));
        for pain in &mut shown.pain_points {
            if pain.opportunity.is_some_and(|id| !cards.contains(&id)) {
                pain.opportunity = None;
            }
        }
        Cow::Owned(shown)
    }

    /// Whether [`Self::project`] would change anything.
    fn changes(self, journey: &Journey) -> bool {
        let hidden = journey.personas.iter().any(|p| p.hidden);
        hidden
            || match self {
                Self::Current => {
                    journey.cards.iter().any(|c| c.state != CardState::Current)
                        || journey
                            .curves
                            .iter()
                            .any(|c| c.state != CurveState::Current)
                        || journey.pain_points.iter().any(|p| p.solved_in_future)
                }
                Self::Future => {
                    journey.cards.iter().any(|c| c.state == CardState::Removed)
                        || journey.curves.iter().any(|c| c.state != CurveState::Future)
                        || journey.pain_points.iter().any(|p| p.solved_in_future)
                }
                Self::Compare => false,
            }
    }
}

/// The shape of a persona's curve points and legend mark, so curves are
/// told apart without colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Marker {
    /// A round point.
    Circle,
    /// A square.
    Square,
    /// A square on its corner.
    Diamond,
    /// A triangle pointing up.
    Triangle,
    /// A hexagon.
    Hexagon,
}

impl Marker {
    /// One per persona a map can hold, in the personas' order.
    pub const ALL: [Self; crate::model::MAX_PERSONAS] = [
        Self::Circle,
        Self::Square,
        Self::Diamond,
        Self::Triangle,
        Self::Hexagon,
    ];

    /// The marker of the persona at `index` (cycled past the last).
    pub fn of(index: usize) -> Self {
        Self::ALL
            .get(index % Self::ALL.len())
            .copied()
            .unwrap_or(Self::Circle)
    }

    /// The corners of the marker around the origin for a point of `radius`
    /// (clockwise on screen, y down), or `None` for a circle. The shapes
    /// hold a circle of about 0.8 `radius`, where a face is drawn.
    pub fn corners(self, radius: f32) -> Option<Vec<egui::Vec2>> {
        use std::f32::consts::{FRAC_PI_2, FRAC_PI_3, FRAC_PI_4, TAU};
        let ring = |count: usize, r: f32, start: f32| -> Vec<egui::Vec2> {
            (0..count)
                .map(|i| {
                    let a = start + TAU * i as f32 / count as f32;
                    egui::vec2(a.cos(), a.sin()) * r
                })
                .collect()
        };
        match self {
            Self::Circle => None,
            Self::Square => Some(ring(4, radius * 1.2, FRAC_PI_4)),
            Self::Diamond => Some(ring(4, radius * 1.3, 0.0)),
            // Pointing up; the centre is the centroid, so the face sits low.
            Self::Triangle => Some(ring(3, radius * 1.55, -FRAC_PI_2)),
            Self::Hexagon => Some(ring(6, radius * 1.08, FRAC_PI_3 / 2.0)),
        }
    }

    /// The word for the shape, for the inspector.
    pub fn label(self) -> &'static str {
        match self {
            Self::Circle => "circle",
            Self::Square => "square",
            Self::Diamond => "diamond",
            Self::Triangle => "triangle",
            Self::Hexagon => "hexagon",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Anchor, Card, CardId, EmotionCurve, PainId, PainPoint, Persona, PersonaId, templates,
    };

    /// The four-stage template with a planned, a removed and a lasting
    /// card, a to-be curve, a solved pain and a hidden second persona.
    fn two_states() -> Journey {
        let mut j = templates::Template::FourStage.build("States");
        let step = j.steps().next().map(|(_, s)| s.id).unwrap();
        let lane = j.lanes[0].id;
        let persona = j.personas[0].id;
        for (id, state) in [
            (9_001, CardState::Current),
            (9_002, CardState::Future),
            (9_003, CardState::Removed),
        ] {
            j.cards.push(Card {
                state,
                ..Card::new(CardId(id), step, lane, format!("{state:?}"))
            });
        }
        j.curves.push(EmotionCurve {
            state: CurveState::Future,
            ..EmotionCurve::new(persona, [(step, 1.5)].into())
        });
        j.pain_points.push(PainPoint {
            id: PainId(9_010),
            severity: 2,
            text: "Slow".into(),
            anchor: Anchor::Step(step),
            opportunity: Some(CardId(9_002)),
            solved_in_future: true,
        });
        j.personas.push(Persona {
            hidden: true,
            ..Persona::named(PersonaId(9_020), "Hidden")
        });
        j.curves
            .push(EmotionCurve::new(PersonaId(9_020), [(step, -1.0)].into()));
        j
    }

    fn card_ids(j: &Journey) -> Vec<u64> {
        j.cards
            .iter()
            .map(|c| c.id.0)
            .filter(|id| *id > 9_000)
            .collect()
    }

    #[test]
    fn current_hides_planned_cards_and_the_to_be_curves() {
        let j = two_states();
        let shown = StateView::Current.project(&j);
        assert_eq!(card_ids(&shown), vec![9_001, 9_003]);
        assert!(shown.cards.iter().all(|c| c.state == CardState::Current));
        assert!(shown.curves.iter().all(|c| c.state == CurveState::Current));
        assert!(shown.pain_points.iter().all(|p| !p.solved_in_future));
        assert_eq!(
            shown.pain_points[0].opportunity, None,
            "its card is planned"
        );
    }

    #[test]
    fn future_hides_removed_cards_solved_pains_and_the_as_is_curves() {
        let j = two_states();
        let shown = StateView::Future.project(&j);
        assert_eq!(card_ids(&shown), vec![9_001, 9_002]);
        assert!(shown.curves.iter().all(|c| c.state == CurveState::Future));
        assert_eq!(shown.curves.len(), 1);
        assert!(shown.pain_points.is_empty());
    }

    #[test]
    fn compare_keeps_both_states_and_every_view_leaves_out_hidden_personas() {
        let j = two_states();
        for view in StateView::ALL {
            let shown = view.project(&j);
            assert!(
                shown.curves.iter().all(|c| c.persona != PersonaId(9_020)),
                "{view:?}"
            );
            assert_eq!(*view.project(&shown), *shown, "{view:?} twice");
        }
        let compare = StateView::Compare.project(&j);
        assert_eq!(card_ids(&compare), vec![9_001, 9_002, 9_003]);
        assert_eq!(compare.curves.len(), 2);
    }

    #[test]
    fn a_journey_with_one_state_is_shown_as_it_is() {
        let j = templates::Template::FourStage.build("Plain");
        assert!(matches!(StateView::Current.project(&j), Cow::Borrowed(_)));
        assert!(matches!(StateView::Compare.project(&j), Cow::Borrowed(_)));
    }

    #[test]
    fn five_personas_get_five_distinct_markers() {
        let markers: std::collections::HashSet<Marker> = (0..5).map(Marker::of).collect();
        assert_eq!(markers.len(), 5);
        for marker in Marker::ALL {
            let Some(corners) = marker.corners(10.0) else {
                continue;
            };
            // The face drawn inside fits: every edge is at least 0.75 r out.
            for (i, a) in corners.iter().enumerate() {
                let b = corners[(i + 1) % corners.len()];
                let edge = b - *a;
                let distance = (a.x * edge.y - a.y * edge.x).abs() / edge.length();
                assert!(distance >= 7.5, "{marker:?}: {distance}");
            }
        }
    }
}
