//! Evidence on the map: a card's badge (the icon of its source and the
//! mark of its confidence, each a shape of its own so meaning never rests
//! on colour alone), the assumption filter that fades cards by confidence,
//! and the legend's confidence entries.
//!
//! The badge sits at the top right of the card, left of any pain badges;
//! the card's title wraps short of it ([`crate::view::blocks::EVIDENCE_ROOM`]).

use egui::epaint::ColorMode;
use egui::{Align2, Color32, Rect, Shape, Stroke, pos2};

use super::ScenePainter;
use crate::model::{Card, Confidence, Journey};
use crate::view::blocks::{BADGE_ROOM, EVIDENCE_ROOM};
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
const BADGE_ICON: f32 = 13.0;
/// Height of the badge.
const BADGE_HEIGHT: f32 = 18.0;
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
    /// A card's evidence badge, inside its top right corner, left of its
    /// `pain_badges`.
    pub(super) fn evidence_badge(&mut self, card: &Card, rect: Rect, pain_badges: usize) {
        let Some(evidence) = &card.evidence else {
            return;
        };
        let right = rect.max.x - 4.0 - pain_badges as f32 * BADGE_ROOM;
        let badge = Rect::from_min_max(
            pos2(right - EVIDENCE_ROOM + 4.0, rect.min.y + 4.0),
            pos2(right, rect.min.y + 4.0 + BADGE_HEIGHT),
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
            (std::sync::Arc::make_mut(m).vertices.iter_mut()).for_each(|v| v.color = faded(v.color))
        }
        _ => {}
    }
}
