//! Workshop mode's marks on the map: dot votes on cards, stages not yet
//! revealed (greyed or hidden) and a spotlight that dims all but one stage,
//! step or card. Drawn last, over the map, so a hidden stage hides its
//! header, cards and curve alike. [`WorkshopScene::default`] draws nothing,
//! which is what the editor and exports use.

use std::collections::HashMap;

use egui::{Color32, Pos2, Rect, Shape, Stroke, pos2};

use crate::model::{CardId, Date, Journey, StageId, StepId, Vote};
use crate::view::layout::Layout;

use super::ScenePainter;

/// The colour of a vote's dot: saturated, readable on every lane's cards.
pub const DOT_COLOR: Color32 = Color32::from_rgb(214, 39, 92);

/// What workshop mode adds to the scene (view state, never saved).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WorkshopScene {
    /// How many stages, from the left, are revealed; `None` shows them all.
    pub revealed: Option<usize>,
    /// How the stages not yet revealed look.
    pub unrevealed: Unrevealed,
    /// The one part of the map not dimmed.
    pub spotlight: Option<Spotlight>,
    /// Which votes show as dots on their cards; `None` shows no dots.
    pub dots: Option<DotFilter>,
}

/// How a stage not yet revealed looks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Unrevealed {
    /// Faded, still readable up close: the room knows what is coming.
    #[default]
    Greyed,
    /// Covered by blank paper.
    Hidden,
}

/// The part of the map a spotlight leaves bright.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spotlight {
    /// A stage's columns.
    Stage(StageId),
    /// A step's column.
    Step(StepId),
    /// One card.
    Card(CardId),
}

/// Which votes count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DotFilter {
    /// Every vote in the map.
    All,
    /// The votes of one session (day).
    On(Date),
}

impl DotFilter {
    /// Whether `vote` counts.
    pub fn counts(self, vote: &Vote) -> bool {
        match self {
            Self::All => true,
            Self::On(date) => vote.date == date,
        }
    }
}

/// How many dots each card has under `filter`.
pub fn dot_counts(votes: &[Vote], filter: DotFilter) -> HashMap<CardId, usize> {
    let mut counts = HashMap::new();
    for vote in votes.iter().filter(|v| filter.counts(v)) {
        *counts.entry(vote.card).or_insert(0) += 1;
    }
    counts
}

impl WorkshopScene {
    /// Whether the stage at `index` (left to right) is shown.
    pub fn is_revealed(&self, index: usize) -> bool {
        self.revealed.is_none_or(|shown| index < shown)
    }

    /// The spotlight's area in map units, if it names something that exists.
    pub fn spotlight_rect(&self, layout: &Layout) -> Option<Rect> {
        let y = egui::Rangef::new(0.0, layout.size.y);
        match self.spotlight? {
            Spotlight::Stage(id) => {
                let stage = layout.stages.iter().find(|s| s.id == id)?;
                Some(Rect::from_x_y_ranges(stage.x, y))
            }
            Spotlight::Step(id) => {
                let column = layout.columns.iter().find(|c| c.step == id)?;
                Some(Rect::from_x_y_ranges(column.x, y))
            }
            Spotlight::Card(id) => {
                let card = layout.cards.iter().find(|c| c.id == id)?;
                Some(card.rect.expand(6.0))
            }
        }
    }
}

/// A dot is at least this many output points across, so it reads from
/// the back of a room when the map is fitted small.
const MIN_DOT_PX: f32 = 13.0;

impl ScenePainter<'_, '_> {
    /// Everything workshop mode adds, over the finished map.
    pub(super) fn workshop(
        &mut self,
        journey: &Journey,
        layout: &Layout,
        visible: Rect,
        look: &WorkshopScene,
    ) {
        if let Some(filter) = look.dots {
            self.dots(journey, layout, visible, look, filter);
        }
        self.unrevealed(layout, look);
        self.spotlight(layout, look);
    }

    fn dots(
        &mut self,
        journey: &Journey,
        layout: &Layout,
        visible: Rect,
        look: &WorkshopScene,
        filter: DotFilter,
    ) {
        let counts = dot_counts(&journey.votes, filter);
        if counts.is_empty() {
            return;
        }
        let revealed: Vec<StageId> = layout
            .stages
            .iter()
            .filter(|s| look.is_revealed(s.index))
            .map(|s| s.id)
            .collect();
        for card in layout.cards_in_view(visible) {
            let Some(&count) = counts.get(&card.id) else {
                continue;
            };
            let shown = layout
                .columns
                .iter()
                .find(|c| c.step == card.step)
                .is_some_and(|c| revealed.contains(&c.stage));
            if shown {
                self.card_dots(card.rect, count);
            }
        }
    }

    /// A row of dots along a card's top edge, from its right corner; more
    /// than fit are one dot with the count in it.
    fn card_dots(&mut self, card: Rect, count: usize) {
        let scale = self.scale().max(f32::EPSILON);
        let radius = (7.0 * scale).max(MIN_DOT_PX / 2.0);
        let step = radius * 2.3;
        let on_screen = self.to_screen * card;
        let fits = ((on_screen.width() - radius) / step).floor().max(1.0) as usize;
        let stroke = Stroke::new((radius * 0.22).max(1.5), Color32::WHITE);
        // Mostly above the card's top edge, so its title stays readable.
        let top = on_screen.top() - radius * 0.8;
        if count <= fits {
            for i in 0..count {
                let centre = pos2(on_screen.right() - radius * 1.2 - step * i as f32, top);
                self.shapes
                    .push(Shape::circle_filled(centre, radius, DOT_COLOR));
                self.shapes
                    .push(Shape::circle_stroke(centre, radius, stroke));
            }
            return;
        }
        let big = radius * 1.5;
        let centre = pos2(on_screen.right() - big, top);
        self.shapes
            .push(Shape::circle_filled(centre, big, DOT_COLOR));
        self.shapes.push(Shape::circle_stroke(centre, big, stroke));
        let font = egui::FontId::proportional(big * 1.15);
        let galley = self
            .fonts
            .layout_no_wrap(count.to_string(), font, Color32::WHITE);
        let pos = centre - galley.size() / 2.0;
        self.shapes.push(Shape::galley(pos, galley, Color32::WHITE));
    }

    fn unrevealed(&mut self, layout: &Layout, look: &WorkshopScene) {
        let (fill, stroke) = match look.unrevealed {
            Unrevealed::Greyed => (
                Color32::from_rgba_unmultiplied(236, 238, 242, 215),
                Stroke::NONE,
            ),
            Unrevealed::Hidden => (Color32::WHITE, Stroke::NONE),
        };
        for stage in layout.stages.iter().filter(|s| !look.is_revealed(s.index)) {
            let rect = Rect::from_x_y_ranges(stage.x, egui::Rangef::new(0.0, layout.size.y));
            self.rect(rect, 0.0, fill, stroke);
        }
    }

    fn spotlight(&mut self, layout: &Layout, look: &WorkshopScene) {
        let Some(spot) = look.spotlight_rect(layout) else {
            return;
        };
        let map = Rect::from_min_size(Pos2::ZERO, layout.size);
        let dim = Color32::from_black_alpha(120);
        // Four bands around the spot, so the spot itself stays untouched.
        let bands = [
            Rect::from_min_max(map.min, pos2(map.max.x, spot.min.y)),
            Rect::from_min_max(pos2(map.min.x, spot.max.y), map.max),
            Rect::from_min_max(pos2(map.min.x, spot.min.y), pos2(spot.min.x, spot.max.y)),
            Rect::from_min_max(pos2(spot.max.x, spot.min.y), pos2(map.max.x, spot.max.y)),
        ];
        for band in bands.into_iter().filter(Rect::is_positive) {
            self.rect(band, 0.0, dim, Stroke::NONE);
        }
        let outline = (3.0 / self.scale().max(f32::EPSILON)).max(1.0);
        self.rect(
            spot.expand(outline / 2.0),
            4.0,
            Color32::TRANSPARENT,
            Stroke::new(outline, Color32::from_rgb(255, 196, 0)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vote(card: u64, day: i8) -> Vote {
        Vote {
            card: CardId(card),
            voter: String::new(),
            date: jiff::civil::date(2026, 12, day),
        }
    }

    #[test]
    fn dots_count_every_vote_or_one_days() {
        let votes = [vote(1, 6), vote(1, 7), vote(2, 7), vote(1, 7)];
        let all = dot_counts(&votes, DotFilter::All);
        assert_eq!(all.get(&CardId(1)), Some(&3));
        let today = dot_counts(&votes, DotFilter::On(jiff::civil::date(2026, 12, 7)));
        assert_eq!(today.get(&CardId(1)), Some(&2));
        assert_eq!(today.get(&CardId(2)), Some(&1));
    }

    /// The grocery example's whole map drawn with `look`.
    fn drawn(journey: &Journey, look: WorkshopScene) -> (Layout, Vec<Shape>) {
        let theme = crate::view::theme::Theme::default();
        let layout = Layout::new(journey, &theme);
        let options = super::super::SceneOptions {
            workshop: look,
            ..super::super::SceneOptions::whole(&layout, 1.0)
        };
        let mut headless = crate::export::Headless::new(1.0);
        let shapes = headless.shapes(1.0, |fonts| {
            super::super::build(journey, &layout, &theme, fonts, &options)
        });
        (layout, shapes)
    }

    fn example() -> Journey {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/grocery-checkout.journey.ron");
        crate::io::load(&path).unwrap()
    }

    #[test]
    fn hidden_stages_are_covered_and_dots_show_on_revealed_cards_only() {
        let mut journey = example();
        let first_stage_card = journey.cards[0].id;
        let first_step = journey.stages[0].steps[0].id;
        assert_eq!(journey.cards[0].step, first_step);
        let last_step = journey.stages[4].steps[0].id;
        let late_card = journey
            .cards
            .iter()
            .find(|c| c.step == last_step)
            .unwrap()
            .id;
        let day = jiff::civil::date(2026, 12, 7);
        for card in [first_stage_card, first_stage_card, late_card] {
            journey.votes.push(Vote {
                card,
                voter: String::new(),
                date: day,
            });
        }
        let look = WorkshopScene {
            revealed: Some(1),
            unrevealed: Unrevealed::Hidden,
            spotlight: None,
            dots: Some(DotFilter::On(day)),
        };
        let (layout, shapes) = drawn(&journey, look);
        let dots = shapes
            .iter()
            .filter(|s| matches!(s, Shape::Circle(c) if c.fill == DOT_COLOR))
            .count();
        assert_eq!(dots, 2, "the late card's dot is in a hidden stage");
        for stage in &layout.stages[1..] {
            let covered = shapes.iter().any(|s| match s {
                Shape::Rect(r) => {
                    r.fill == Color32::WHITE
                        && r.rect.x_range() == stage.x
                        && r.rect.height() >= layout.size.y - 0.5
                }
                _ => false,
            });
            assert!(covered, "stage {} hidden", stage.index);
        }
        let (_, plain) = drawn(&journey, WorkshopScene::default());
        assert!(
            !plain
                .iter()
                .any(|s| matches!(s, Shape::Circle(c) if c.fill == DOT_COLOR)),
            "no dots outside workshop mode"
        );
    }

    #[test]
    fn stages_are_revealed_from_the_left() {
        let look = WorkshopScene {
            revealed: Some(2),
            ..WorkshopScene::default()
        };
        assert!(look.is_revealed(0) && look.is_revealed(1) && !look.is_revealed(2));
        assert!(WorkshopScene::default().is_revealed(99));
    }
}
