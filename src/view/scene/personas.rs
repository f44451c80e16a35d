//! The persona strip under the map (placed by
//! [`crate::view::layout::PersonaStrip`]): one block per persona with its
//! avatar, name, role, quote and labelled goals, needs and frustrations.
//! [`ScenePainter::avatar`] is the one place a persona's picture is drawn.

use egui::{Align2, Rect, Stroke, pos2};

use super::ScenePainter;
use crate::model::{Journey, Persona};
use crate::view::layout::{AVATAR_SIZE, BAND_PAD, Layout, PersonaBlock};
use crate::view::theme::Theme;

/// Space between the avatar and the name.
const NAME_LEFT: f32 = AVATAR_SIZE + 12.0;

impl ScenePainter<'_, '_> {
    /// The persona strip, where it reaches into view.
    pub(super) fn persona_strip(
        &mut self,
        journey: &Journey,
        layout: &Layout,
        theme: &Theme,
        visible: Rect,
    ) {
        let Some(strip) = layout
            .personas
            .as_ref()
            .filter(|s| s.y.intersects(visible.y_range()))
        else {
            return;
        };
        let row = Rect::from_x_y_ranges(
            egui::Rangef::new(layout.label_x.max, layout.size.x),
            strip.y,
        );
        self.rect(row, 0.0, theme.lane_stripe, Stroke::NONE);
        self.line(
            row.left_top(),
            row.right_top(),
            Stroke::new(1.0, theme.grid),
        );
        for block in strip.blocks.iter().filter(|b| b.rect.intersects(visible)) {
            let persona = journey
                .personas
                .get(block.index)
                .filter(|p| p.id == block.id)
                .or_else(|| journey.persona(block.id));
            if let Some(persona) = persona {
                self.persona_block(persona, block, theme);
            }
        }
    }

    /// One persona's block.
    fn persona_block(&mut self, persona: &Persona, block: &PersonaBlock, theme: &Theme) {
        let rect = block.rect;
        self.rect(rect, 6.0, theme.card_border, Stroke::NONE);
        self.rect(rect.shrink(1.0), 5.0, theme.card_fill, Stroke::NONE);
        self.avatar(persona, block.avatar, theme.persona_color(block.index));
        if self.enlarged(&theme.small_font(1.0)) {
            self.persona_far(block, theme);
            return;
        }
        let left = block.avatar.min.x + NAME_LEFT;
        let (title, small) = (theme.title_font(1.0), theme.small_font(1.0));
        self.rows(
            pos2(left, block.avatar.min.y),
            &block.name,
            &title,
            theme.text,
        );
        if let Some(role) = &block.role {
            let at = pos2(left, block.avatar.min.y + block.name.height());
            self.rows(at, role, &small, theme.text_muted);
        }
        if let Some((quote, top)) = &block.quote {
            let at = pos2(rect.min.x + BAND_PAD, rect.min.y + top);
            self.rows(at, quote, &theme.label_font(1.0), theme.text);
        }
        for (offset, fact) in &block.facts {
            self.labelled(rect.min + *offset, fact, theme);
        }
    }

    /// A persona's block zoomed out so far that text is enlarged: one row
    /// each of name, role, quote and facts at the legible size, top down,
    /// as many as the block holds.
    fn persona_far(&mut self, block: &PersonaBlock, theme: &Theme) {
        let rect = block.rect;
        let (title, small) = (theme.title_font(1.0), theme.small_font(1.0));
        let row =
            |painter: &Self, font: &egui::FontId| painter.text_px(font) * 1.2 / painter.scale();
        let left = block.avatar.min.x + NAME_LEFT;
        let beside = rect.max.x - BAND_PAD - left;
        let mut y = block.avatar.min.y;
        let name = block.name.rows.join(" ");
        self.text(
            pos2(left, y),
            Align2::LEFT_TOP,
            &name,
            &title,
            theme.text,
            beside,
            1,
        );
        y += row(self, &title);
        if let Some(role) = &block.role
            && y + row(self, &small) <= block.avatar.max.y
        {
            let role = role.rows.join(" ");
            self.text(
                pos2(left, y),
                Align2::LEFT_TOP,
                &role,
                &small,
                theme.text_muted,
                beside,
                1,
            );
        }
        let inner = rect.width() - 2.0 * BAND_PAD;
        let mut y = y.max(block.avatar.max.y) + 2.0 / self.scale();
        let fits = |y: f32, painter: &Self| y + row(painter, &small) <= rect.max.y - 2.0;
        if let Some((quote, _)) = &block.quote
            && fits(y, self)
        {
            let quote = quote.rows.join(" ");
            let at = pos2(rect.min.x + BAND_PAD, y);
            self.text(at, Align2::LEFT_TOP, &quote, &small, theme.text, inner, 1);
            y += row(self, &small);
        }
        // Facts in their columns, one row each, below the quote.
        let mut rows_at: Vec<(f32, f32)> = Vec::new();
        for (offset, fact) in &block.facts {
            let x = rect.min.x + offset.x;
            let at = rows_at
                .iter()
                .find(|(fx, _)| (*fx - x).abs() < 0.5)
                .map_or(y, |(_, fy)| *fy);
            if !fits(at, self) {
                continue;
            }
            let text = format!("{}: {}", fact.label, fact.text.rows.join(" "));
            self.text(
                pos2(x, at),
                Align2::LEFT_TOP,
                &text,
                &small,
                theme.text,
                fact.width,
                1,
            );
            rows_at.retain(|(fx, _)| (*fx - x).abs() >= 0.5);
            rows_at.push((x, at + row(self, &small)));
        }
    }
}
