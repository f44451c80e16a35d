//! Cards: a rounded block with a channel strip, its wrapped title, notes,
//! its channel's icon and name, and its evidence badge; zoomed far out,
//! only a coloured block. The assumption filter fades or outlines a card
//! as a whole, whatever it is drawn as.

use egui::epaint::CornerRadius;
use egui::{Align2, Color32, Pos2, Rect, Stroke, pos2, vec2};

use super::{AssumptionFilter, MIN_TEXT_SIZE, ScenePainter};
use crate::model::{Card, Channel, Journey, LaneKind};
use crate::view::blocks::{
    CARD_PAD_LEFT, CARD_PAD_RIGHT, CARD_PAD_Y, CARD_TEXT_GAP, CardText, EVIDENCE_ROOM,
    card_text_width,
};
use crate::view::icons::{channel_icon, icon_font};
use crate::view::layout::Layout;
use crate::view::measure;
use crate::view::theme::{Theme, channel_color};

/// Width of a channel's icon and the space after it, before its name.
const ICON_ROOM: f32 = 18.0;

/// What decides a card's look besides its own fields.
#[derive(Clone, Copy, Debug)]
pub struct CardLook<'t> {
    /// The kind of its lane (its accent without a channel).
    pub lane: LaneKind,
    /// Pain badges on it, which its title makes room for.
    pub badges: usize,
    /// Its text, as the layout measured it.
    pub text: &'t CardText,
}

impl ScenePainter<'_, '_> {
    /// The cards in view, in the journey's order.
    pub(super) fn cards(
        &mut self,
        journey: &Journey,
        layout: &Layout,
        theme: &Theme,
        visible: Rect,
        filter: AssumptionFilter,
    ) {
        for (card_box, card) in layout
            .cards_in_view(visible)
            .filter_map(|b| layout.card_of(journey, b).map(|c| (b, c)))
        {
            let kind = journey.lane(card.lane).map_or(LaneKind::Notes, |l| l.kind);
            let look = CardLook {
                lane: kind,
                badges: card_box.badges,
                text: &card_box.text,
            };
            let start = self.shapes.len();
            if filter.outlines(card) {
                self.assumption_outline(card_box.rect);
            }
            self.card(card, look, card_box.rect, theme);
            if filter.fades(card) {
                self.fade_from(start, theme);
            }
        }
    }

    /// One card at `rect` (map units), skipped when out of the clip.
    pub(super) fn card(&mut self, card: &Card, look: CardLook, rect: Rect, theme: &Theme) {
        if !(self.to_screen * rect).intersects(self.clip) {
            return;
        }
        let accent = theme.card_accent(card.channel, look.lane);
        let height_px = rect.height() * self.scale();
        // Far out, a card is a coloured block: no shadow, no text that could
        // not be read anyway (and would cost a layout per card per frame).
        let tiny = height_px < self.min_text.max(MIN_TEXT_SIZE) * 1.3;
        if tiny {
            self.rect(
                rect,
                2.0,
                theme.card_fill,
                Stroke::new(1.0, theme.card_border),
            );
            let strip = Rect::from_min_size(rect.min, vec2(5.0, rect.height()));
            self.rect(strip, 0.0, accent, Stroke::NONE);
            return;
        }
        self.card_shadow(rect, 6.0);
        // The border as a fill under the card's fill looks the same as an
        // inside stroke, in a third fewer triangles: a stroke's feathered
        // band costs twice a fill's.
        self.rect(rect, 6.0, theme.card_border, Stroke::NONE);
        self.rect(rect.shrink(1.0), 5.0, theme.card_fill, Stroke::NONE);
        let strip = Rect::from_min_size(rect.min, vec2(5.0, rect.height()));
        self.rect(strip.shrink2(vec2(0.0, 0.5)), 2.5, accent, Stroke::NONE);
        self.card_text(card, look, rect, theme);
        if !self.enlarged(&theme.title_font(1.0)) {
            let row = measure::row_height(&theme.small_font(1.0));
            self.evidence_badge(card, rect, row);
        }
    }

    /// A card's text: every row measured by the layout at its natural
    /// size; zoomed out so far that text is enlarged for legibility, the
    /// title alone, as much of it as the card holds (a hover shows it all).
    fn card_text(&mut self, card: &Card, look: CardLook<'_>, rect: Rect, theme: &Theme) {
        let left = rect.min.x + CARD_PAD_LEFT;
        let width = card_text_width(rect.width(), look.badges);
        let font = theme.title_font(1.0);
        if self.enlarged(&font) {
            let rows = self.rows_that_fit(rect.height() - 2.0 / self.scale(), &font);
            let title = if card.title.trim().is_empty() {
                "Untitled"
            } else {
                &card.title
            };
            self.text(
                pos2(left, rect.min.y + 1.0 / self.scale()),
                Align2::LEFT_TOP,
                title,
                &font,
                theme.text,
                width,
                rows,
            );
            return;
        }
        let text = look.text;
        let mut y = rect.min.y + CARD_PAD_Y;
        self.rows(pos2(left, y), &text.title, &font, theme.text);
        y += text.title.height() + CARD_TEXT_GAP;
        if let Some(notes) = &text.notes {
            self.rows(
                pos2(left, y),
                notes,
                &theme.small_font(1.0),
                theme.text_muted,
            );
        }
        if let (Some(label), Some(channel)) = (text.channel, card.channel) {
            let bottom_left = pos2(left, rect.max.y - CARD_PAD_Y);
            let badged = card.evidence.is_some();
            self.channel_row(label, channel, bottom_left, (rect, badged), theme);
        }
    }

    /// The channel's icon and name on the card's last row, from `bottom_left`.
    fn channel_row(
        &mut self,
        label: &str,
        channel: Channel,
        bottom_left: Pos2,
        (rect, card_has_badge): (Rect, bool),
        theme: &Theme,
    ) {
        let small = theme.small_font(1.0);
        let color = channel_color(channel);
        let icon = icon_font(small.size + 2.0);
        // The icon sits on the row's middle, a little larger than the text.
        let mid = bottom_left.y - measure::row_height(&small) / 2.0;
        // Enlarged (zoomed far out), the icon would run into the name.
        if self.enlarged(&icon) {
            let width = rect.max.x - CARD_PAD_RIGHT - bottom_left.x;
            self.text(
                bottom_left,
                Align2::LEFT_BOTTOM,
                label,
                &small,
                color,
                width,
                1,
            );
            return;
        }
        self.text(
            pos2(bottom_left.x, mid),
            Align2::LEFT_CENTER,
            channel_icon(channel),
            &icon,
            color,
            ICON_ROOM,
            1,
        );
        let label_left = bottom_left.x + ICON_ROOM;
        let badge = if card_has_badge { EVIDENCE_ROOM } else { 0.0 };
        self.text(
            pos2(label_left, bottom_left.y),
            Align2::LEFT_BOTTOM,
            label,
            &small,
            color,
            rect.max.x - CARD_PAD_RIGHT - badge - label_left,
            1,
        );
    }

    /// A soft shadow 1.5 points below a card with corners of `radius`. Only
    /// its bottom shows below the opaque card, so only the bottom is drawn:
    /// a shadow the size of the card blended every pixel under it, a third
    /// of the blending in a whole-map export.
    fn card_shadow(&mut self, card: Rect, radius: f32) {
        const DROP: f32 = 1.5;
        let bottom = card.max.y + DROP;
        // Tall enough for the rounded corners and the feathered top edge,
        // which must stay hidden under the card.
        let top = (bottom - radius - DROP - 2.0).max(card.min.y + DROP);
        let r = self.corner(radius);
        let corners = CornerRadius {
            nw: 0,
            ne: 0,
            sw: r,
            se: r,
        };
        let shadow = Rect::from_x_y_ranges(card.x_range(), top..=bottom);
        self.rect_with_corners(shadow, corners, Color32::from_black_alpha(18), Stroke::NONE);
    }
}
