//! Cards: a rounded block with a channel strip, a title and a footer;
//! zoomed far out, only a coloured block.

use egui::epaint::CornerRadius;
use egui::{Align2, Color32, Rect, Stroke, pos2, vec2};

use super::{MIN_TEXT_SIZE, ScenePainter};
use crate::model::{Card, Journey, LaneKind};
use crate::view::layout::Layout;
use crate::view::theme::{Theme, channel_color};

impl ScenePainter<'_, '_> {
    /// The cards in view, in the journey's order.
    pub(super) fn cards(
        &mut self,
        journey: &Journey,
        layout: &Layout,
        theme: &Theme,
        visible: Rect,
    ) {
        for (card_box, card) in layout
            .cards_in_view(visible)
            .filter_map(|b| layout.card_of(journey, b).map(|c| (b, c)))
        {
            let kind = journey.lane(card.lane).map_or(LaneKind::Notes, |l| l.kind);
            self.card(card, kind, card_box.rect, theme);
        }
    }

    /// One card at `rect` (map units), skipped when out of the clip.
    pub(super) fn card(&mut self, card: &Card, lane: LaneKind, rect: Rect, theme: &Theme) {
        if !(self.to_screen * rect).intersects(self.clip) {
            return;
        }
        let accent = theme.card_accent(card.channel, lane);
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
        self.card_text(card, rect, theme);
    }

    /// A card's title and, unless zoomed out so far that the title is
    /// enlarged, its footer: the channel and the first line of its notes.
    fn card_text(&mut self, card: &Card, rect: Rect, theme: &Theme) {
        let left = rect.min.x + 13.0;
        let width = rect.max.x - 8.0 - left;
        let title = if card.title.is_empty() {
            "Untitled"
        } else {
            &card.title
        };
        let font = theme.title_font(1.0);
        let natural = font.size * self.scale();
        let drawn = natural.max(self.min_text);
        // Zoomed out, text is enlarged for legibility: the title then gets the
        // whole card, with as many rows as fit.
        let enlarged = drawn > natural * 1.05;
        let rows = if enlarged {
            ((rect.height() * self.scale() - 2.0) / (drawn * 1.15))
                .floor()
                .clamp(1.0, 3.0) as usize
        } else {
            2
        };
        let top = if enlarged { 1.0 / self.scale() } else { 5.0 };
        self.text(
            pos2(left, rect.min.y + top),
            Align2::LEFT_TOP,
            title,
            &font,
            theme.text,
            width,
            rows,
        );
        if enlarged {
            return;
        }
        let first_note = card.notes.lines().next().unwrap_or_default();
        let footer = match card.channel {
            Some(channel) if first_note.is_empty() => channel.label().to_owned(),
            Some(channel) => format!("{} · {first_note}", channel.label()),
            None => first_note.to_owned(),
        };
        let color = card.channel.map_or(theme.text_muted, channel_color);
        self.text(
            pos2(left, rect.max.y - 5.0),
            Align2::LEFT_BOTTOM,
            &footer,
            &theme.small_font(1.0),
            color,
            width,
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
