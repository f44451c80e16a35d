//! Evidence on the map: a card's badge (the icon of its source and the
//! mark of its confidence, each a shape of its own so meaning never rests
//! on colour alone), the assumption filter that fades cards by confidence,
//! and the legend's confidence entries.
//!
//! The badge sits at the right end of the card's bottom row, beside its
//! channel (the layout gives a card with evidence that row), so it never
//! narrows the title.

use egui::epaint::ColorMode;
use egui::{Align2, Color32, Rect, Shape, Stroke, pos2};

use super::ScenePainter;
use crate::model::{Card, Confidence, Journey};
use crate::view::blocks::{CARD_PAD_RIGHT, CARD_PAD_Y, EVIDENCE_ROOM};
use crate::view::frame::{LEGEND_LABEL_INDENT, LegendEntry};
use crate::view::icons::{confidence_icon, icon_font, source_icon};
use crate::view::measure;
use crate::view::theme::Theme;

/// A view filter on assumptions (not saved, not undoable).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum AssumptionFilter {
    /// Every card drawn alike.
    #[default]
    Off,
    /// Assumptions faded, every other card as usual.
    Dim,
    /// Everything but the assumptions faded; assumptions outlined.
    Highlight,
}

impl AssumptionFilter {
    /// Every setting, in menu order.
    pub const ALL: [Self; 3] = [Self::Off, Self::Dim, Self::Highlight];

    /// The words shown in the View menu.
    pub fn label(self) -> &'static str {
        match self {
            Self::Off => "Show all cards alike",
            Self::Dim => "Dim assumptions",
            Self::Highlight => "Highlight assumptions",
        }
    }

    /// Whether `card` is drawn faded under this filter.
    pub fn fades(self, card: &Card) -> bool {
        match self {
            Self::Off => false,
            Self::Dim => is_assumption(card),
            Self::Highlight => !is_assumption(card),
        }
    }

    /// Whether `card` is drawn outlined under this filter.
    pub fn outlines(self, card: &Card) -> bool {
        self == Self::Highlight && is_assumption(card)
    }
}

/// Whether a card is an assumption: its evidence says so. A card without
/// evidence claims nothing, so no filter singles it out as one.
pub fn is_assumption(card: &Card) -> bool {
    card.evidence
        .as_ref()
        .is_some_and(|e| e.confidence == Confidence::Assumption)
}

/// How much of a faded card's colour is left (the rest is the paper's).
const FADE_KEEP: f32 = 0.3;

/// The colour that marks a confidence, beside its shape.
pub fn confidence_color(confidence: Confidence) -> Color32 {
    match confidence {
        Confidence::Validated => Color32::from_rgb(0x1A, 0x7F, 0x37),
        Confidence::SomeEvidence => Color32::from_rgb(0x9A, 0x67, 0x00),
        Confidence::Assumption => Color32::from_rgb(0x82, 0x50, 0xDF),
    }
}

/// Size of the badge's icons in map units.
const BADGE_ICON: f32 = 12.0;
/// Height of the badge.
const BADGE_HEIGHT: f32 = 16.0;
/// Width of the outline of a highlighted assumption.
const OUTLINE: f32 = 2.5;

/// The legend's confidence group: a heading and each level used on the map.
pub fn legend_group(journey: &Journey) -> Vec<LegendEntry> {
    let used: Vec<Confidence> = Confidence::ALL
        .into_iter()
        .filter(|c| {
            (journey.cards.iter())
                .any(|card| card.evidence.as_ref().is_some_and(|e| e.confidence == *c))
        })
        .collect();
    if used.is_empty() {
        return Vec::new();
    }
    let mut group = vec![LegendEntry::Heading("Confidence")];
    group.extend(used.into_iter().map(LegendEntry::Confidence));
    group
}

/// The width a confidence's legend entry needs for its mark and name.
pub fn legend_width(confidence: Confidence, theme: &Theme) -> f32 {
    LEGEND_LABEL_INDENT + measure::width(confidence.label(), &theme.small_font(1.0))
}

impl ScenePainter<'_, '_> {
    /// A card's evidence badge, at the right end of its bottom row, centred
    /// on the row of `row_height`.
    pub(super) fn evidence_badge(&mut self, card: &Card, rect: Rect, row_height: f32) {
        let Some(evidence) = &card.evidence else {
            return;
        };
        // Zoomed out so far that the icons would be drawn larger than the
        // badge, there is no badge: it could not be read.
        if self.enlarged(&icon_font(BADGE_ICON)) {
            return;
        }
        let right = rect.max.x - CARD_PAD_RIGHT + 3.0;
        let mid = rect.max.y - CARD_PAD_Y - row_height / 2.0;
        let badge = Rect::from_min_max(
            pos2(right - EVIDENCE_ROOM, mid - BADGE_HEIGHT / 2.0),
            pos2(right, mid + BADGE_HEIGHT / 2.0),
        );
        let mark = confidence_color(evidence.confidence);
        let fill = Color32::WHITE.lerp_to_gamma(mark, 0.12);
        self.rect(badge, BADGE_HEIGHT / 2.0, fill, Stroke::new(1.0, mark));
        let font = icon_font(BADGE_ICON);
        let (left, mid) = (badge.min.x + 4.0, badge.center().y);
        self.text(
            pos2(left, mid),
            Align2::LEFT_CENTER,
            source_icon(evidence.source),
            &font,
            Color32::from_rgb(0x57, 0x60, 0x6A),
            BADGE_ICON * 2.0,
            1,
        );
        self.text(
            pos2(badge.max.x - 3.0, mid),
            Align2::RIGHT_CENTER,
            confidence_icon(evidence.confidence),
            &font,
            mark,
            BADGE_ICON * 2.0,
            1,
        );
    }

    /// A highlighted assumption's outline, just outside the card.
    pub(super) fn assumption_outline(&mut self, rect: Rect) {
        let color = confidence_color(Confidence::Assumption);
        self.rect(
            rect.expand(OUTLINE),
            6.0 + OUTLINE,
            Color32::TRANSPARENT,
            Stroke::new(OUTLINE, color),
        );
    }

    /// Fades the shapes from `start` on toward the paper, `theme.background`.
    pub(super) fn fade_from(&mut self, start: usize, theme: &Theme) {
        let paper = theme.background;
        for shape in self.shapes.iter_mut().skip(start) {
            fade(shape, paper);
        }
    }

    /// A confidence's legend entry: its mark as on the cards, and its name.
    pub(crate) fn legend_confidence(&mut self, confidence: Confidence, rect: Rect, theme: &Theme) {
        let mid = rect.center().y;
        self.text(
            pos2(rect.min.x + 7.0, mid),
            Align2::CENTER_CENTER,
            confidence_icon(confidence),
            &icon_font(15.0),
            confidence_color(confidence),
            BADGE_ICON * 2.0,
            1,
        );
        self.text(
            pos2(rect.min.x + LEGEND_LABEL_INDENT, mid),
            Align2::LEFT_CENTER,
            confidence.label(),
            &theme.small_font(1.0),
            theme.text,
            rect.width(),
            1,
        );
    }
}

/// `shape` with its colours moved toward `paper`, so what is under a faded
/// card stays hidden (opaque colours stay opaque) and its text stays
/// readable for whoever looks closely.
fn fade(shape: &mut Shape, paper: Color32) {
    let faded = |c: Color32| {
        if c.is_opaque() {
            paper.lerp_to_gamma(c, FADE_KEEP)
        } else {
            c.gamma_multiply(FADE_KEEP)
        }
    };
    match shape {
        Shape::Vec(shapes) => shapes.iter_mut().for_each(|s| fade(s, paper)),
        Shape::Rect(r) => {
            r.fill = faded(r.fill);
            r.stroke.color = faded(r.stroke.color);
        }
        Shape::Circle(c) => {
            c.fill = faded(c.fill);
            c.stroke.color = faded(c.stroke.color);
        }
        Shape::LineSegment { stroke, .. } => stroke.color = faded(stroke.color),
        Shape::Path(p) => {
            p.fill = faded(p.fill);
            if let ColorMode::Solid(c) = &mut p.stroke.color {
                *c = faded(*c);
            }
        }
        Shape::Text(t) => t.opacity_factor *= FADE_KEEP + 0.15,
        Shape::Mesh(m) => {
            for v in &mut std::sync::Arc::make_mut(m).vertices {
                v.color = faded(v.color);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::templates::Template;
    use crate::model::{CardId, Evidence, Source};
    use crate::view::layout::Layout;
    use crate::view::scene::{SceneOptions, build};

    /// A map with a validated card, an assumption and a card without
    /// evidence, side by side in the first lane.
    fn journey() -> Journey {
        let mut journey = Template::FourStage.build("Evidence");
        let lane = journey.lanes.first().map(|l| l.id).expect("a lane");
        let steps: Vec<_> = (journey.stages.iter())
            .flat_map(|s| &s.steps)
            .map(|s| s.id)
            .collect();
        let cards = [
            ("Seen", Some(Confidence::Validated)),
            ("Guess", Some(Confidence::Assumption)),
            ("Plain", None),
        ];
        for (i, ((title, confidence), step)) in cards.into_iter().zip(steps).enumerate() {
            let mut card = Card::new(CardId(900 + i as u64), step, lane, title);
            card.evidence = confidence.map(|confidence| Evidence {
                source: Source::Interview,
                confidence,
                quote: String::new(),
                link: String::new(),
            });
            journey.cards.push(card);
        }
        journey
    }

    fn scene(journey: &Journey, filter: AssumptionFilter) -> Vec<Shape> {
        let theme = Theme::default();
        let layout = Layout::new(journey, &theme);
        let options = SceneOptions {
            assumptions: filter,
            ..SceneOptions::whole(&layout, 1.0)
        };
        let mut headless = crate::export::Headless::new(1.0);
        headless.shapes(1.0, |fonts| {
            build(journey, &layout, &theme, fonts, &options)
        })
    }

    /// The opacity of the title that reads `title`.
    fn opacity(shapes: &[Shape], title: &str) -> f32 {
        (shapes.iter())
            .find_map(|s| match s {
                Shape::Text(t) if t.galley.text() == title => Some(t.opacity_factor),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no title {title:?}"))
    }

    /// Rectangles stroked in the assumption colour without a fill: outlines.
    fn outlines(shapes: &[Shape]) -> usize {
        let color = confidence_color(Confidence::Assumption);
        (shapes.iter())
            .filter(|s| {
                matches!(s, Shape::Rect(r) if r.fill == Color32::TRANSPARENT && r.stroke.color == color)
            })
            .count()
    }

    #[test]
    fn dim_fades_assumptions_and_highlight_fades_the_rest() {
        let journey = journey();
        let off = scene(&journey, AssumptionFilter::Off);
        for title in ["Seen", "Guess", "Plain"] {
            assert!((opacity(&off, title) - 1.0).abs() < 1e-6);
        }
        assert_eq!(outlines(&off), 0);

        let dim = scene(&journey, AssumptionFilter::Dim);
        assert!(opacity(&dim, "Guess") < 0.5);
        assert!((opacity(&dim, "Seen") - 1.0).abs() < 1e-6);
        assert!((opacity(&dim, "Plain") - 1.0).abs() < 1e-6);
        assert_eq!(outlines(&dim), 0);

        let highlight = scene(&journey, AssumptionFilter::Highlight);
        assert!((opacity(&highlight, "Guess") - 1.0).abs() < 1e-6);
        assert!(opacity(&highlight, "Seen") < 0.5);
        assert!(opacity(&highlight, "Plain") < 0.5);
        assert_eq!(outlines(&highlight), 1);
    }

    #[test]
    fn a_faded_card_s_plan_line_fades_with_it() {
        let mut journey = journey();
        let guess = (journey.cards.iter_mut())
            .find(|c| c.title == "Guess")
            .expect("the assumption card");
        guess.plan = Some(crate::model::ActionItem {
            owner: "Ana Ruiz".into(),
            ..crate::model::ActionItem::default()
        });
        let owner_opacity = |shapes: &[Shape]| {
            (shapes.iter())
                .find_map(|s| match s {
                    Shape::Text(t) if t.galley.text().contains("Ana Ruiz") => {
                        Some(t.opacity_factor)
                    }
                    _ => None,
                })
                .expect("the plan line is drawn")
        };
        let off = scene(&journey, AssumptionFilter::Off);
        assert!((owner_opacity(&off) - 1.0).abs() < 1e-6);
        let dim = scene(&journey, AssumptionFilter::Dim);
        assert!(owner_opacity(&dim) < 0.5);
    }

    #[test]
    fn a_faded_card_keeps_its_shapes_and_moves_their_colours_to_the_paper() {
        let journey = journey();
        let (off, dim) = (
            scene(&journey, AssumptionFilter::Off),
            scene(&journey, AssumptionFilter::Dim),
        );
        assert_eq!(off.len(), dim.len());
        let paper = Theme::default().background;
        let changed: Vec<(Color32, Color32)> = (off.iter().zip(&dim))
            .filter_map(|pair| match pair {
                (Shape::Rect(a), Shape::Rect(b)) if a.fill != b.fill && a.fill.is_opaque() => {
                    Some((a.fill, b.fill))
                }
                _ => None,
            })
            .collect();
        assert!(!changed.is_empty());
        let distance = |a: Color32, b: Color32| {
            (a.to_array().iter().zip(b.to_array()))
                .map(|(x, y)| u32::from(x.abs_diff(y)))
                .sum::<u32>()
        };
        for (before, after) in changed {
            assert!(
                distance(after, paper) < distance(before, paper),
                "{before:?} {after:?}"
            );
        }
    }

    #[test]
    fn the_legend_lists_the_confidences_in_use() {
        let journey = journey();
        assert_eq!(
            legend_group(&journey),
            vec![
                LegendEntry::Heading("Confidence"),
                LegendEntry::Confidence(Confidence::Validated),
                LegendEntry::Confidence(Confidence::Assumption),
            ]
        );
        assert!(legend_group(&Template::Blank.build("x")).is_empty());
    }
}
