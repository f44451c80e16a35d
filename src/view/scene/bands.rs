//! The strategy rows: the goals band and the KPI row under the step
//! header, their labels in the label column, each stage's resource total
//! in the Resources lane, and the plan line of cards (an action item's
//! status, owner and due date, or a resource's need and cost).
//!
//! No colour carries meaning alone: a KPI's mark is a tick or a cross in
//! its circle, and an overdue item says "overdue".

use egui::epaint::CircleShape;
use egui::{Align2, Color32, Pos2, Rect, Shape, Stroke, pos2, vec2};

use super::{ScenePainter, shift};
use crate::model::{Journey, LaneKind};
use crate::view::blocks::CARD_PAD_LEFT;
use crate::view::layout::{
    BAND_PAD, KPI_MARK_ROOM, KpiText, LabelledText, Layout, kpi_bottom, label_font,
};
use crate::view::measure::wrap;
use crate::view::theme::{Theme, lane_color};

/// A KPI that meets its target (its tick's circle), and the legend's.
pub const ON_TARGET: Color32 = Color32::from_rgb(0x1A, 0x7F, 0x37);
/// A KPI that misses its target (its cross's circle).
pub const OFF_TARGET: Color32 = Color32::from_rgb(0xC0, 0x1F, 0x2B);
/// A KPI without a value or a target.
const NO_TARGET: Color32 = Color32::from_rgb(0x8C, 0x95, 0x9F);
/// An overdue action item's plan line: dark enough for small text.
pub const OVERDUE: Color32 = Color32::from_rgb(0xB4, 0x23, 0x18);
/// Radius of a KPI's mark.
const MARK_RADIUS: f32 = 8.0;

impl ScenePainter<'_, '_> {
    /// The goals band and the KPI row, where they reach into view.
    pub(super) fn bands(&mut self, layout: &Layout, theme: &Theme, visible: Rect) {
        let small = theme.small_font(1.0);
        for (rect, cell) in layout.goals.iter().flat_map(|b| b.cells_in(visible)) {
            self.band_cell(rect, theme);
            if self.enlarged(&small) {
                // Too far out for the measured rows: each goal on a row of
                // its own at the legible size, as many as the whole cell
                // holds (one goal's own room may hold none).
                let text: Vec<String> = (cell.content.iter())
                    .map(|b| format!("{}: {}", b.label, b.text.rows.join(" ")))
                    .collect();
                let room = rect.shrink2(vec2(BAND_PAD, BAND_PAD / 2.0));
                self.fitted(room, &text.join("\n"), &small, theme.text);
                continue;
            }
            for block in &cell.content {
                self.labelled(rect.min + vec2(BAND_PAD, 0.0), block, theme);
            }
        }
        for (rect, cell) in layout.kpis.iter().flat_map(|b| b.cells_in(visible)) {
            self.band_cell(rect, theme);
            for kpi in &cell.content {
                let at = rect.min + vec2(BAND_PAD, 0.0);
                self.kpi(at, kpi, rect.max.x - BAND_PAD, theme);
            }
        }
    }

    /// A band cell's paper and edges.
    fn band_cell(&mut self, rect: Rect, theme: &Theme) {
        self.rect(rect, 0.0, theme.card_fill, Stroke::NONE);
        let grid = Stroke::new(1.0, theme.grid);
        self.line(
            rect.left_top(),
            rect.left_bottom(),
            Stroke::new(2.0, theme.grid),
        );
        self.line(rect.left_bottom(), rect.right_bottom(), grid);
    }

    /// A label over its text, the block's top left at `origin`.
    pub(super) fn labelled(&mut self, origin: Pos2, block: &LabelledText, theme: &Theme) {
        let small = theme.small_font(1.0);
        if self.enlarged(&small) {
            // Too far out for the measured rows: label and text run on,
            // as much as the block's room holds at the legible size.
            let room = Rect::from_min_max(
                origin + vec2(0.0, block.top),
                origin + vec2(block.width, block.bottom(theme)),
            );
            let text = format!("{}: {}", block.label, block.text.rows.join(" "));
            self.fitted(room, &text, &small, theme.text);
            return;
        }
        // At its measured size, like the text under it: enlarged, it would
        // run into it.
        let font = label_font(theme);
        let label = wrap(block.label, &font, f32::INFINITY);
        self.rows(
            origin + vec2(0.0, block.top),
            &label,
            &font,
            theme.text_muted,
        );
        self.rows(
            origin + vec2(0.0, block.text_top(theme)),
            &block.text,
            &theme.small_font(1.0),
            theme.text,
        );
    }

    /// One KPI: its mark, name, value and target, and the date measured;
    /// its cell ends at `right`.
    fn kpi(&mut self, origin: Pos2, kpi: &KpiText, right: f32, theme: &Theme) {
        let mut y = origin.y + kpi.top;
        let small = theme.small_font(1.0);
        let enlarged = self.enlarged(&small);
        // Level with the first row, as drawn.
        let row = if enlarged {
            self.text_px(&small) * 1.2 / self.scale()
        } else {
            kpi.name.row_height
        };
        self.kpi_mark(pos2(origin.x + MARK_RADIUS, y + row / 2.0), kpi.on_target);
        let left = origin.x + KPI_MARK_ROOM;
        if enlarged {
            let room = Rect::from_min_max(pos2(left, y), pos2(right, origin.y + kpi_bottom(kpi)));
            self.fitted(room, &kpi.summary, &small, theme.text);
            return;
        }
        self.rows(pos2(left, y), &kpi.name, &label_font(theme), theme.text);
        y += kpi.name.height();
        self.rows(pos2(left, y), &kpi.figures, &small, theme.text);
        y += kpi.figures.height();
        if let Some(measured) = &kpi.measured {
            self.rows(pos2(left, y), measured, &small, theme.text_muted);
        }
    }

    /// `text` in `rect` at the legible size, as many rows as fit (at
    /// least one), ending in "…" when cut.
    /// Nothing when not even one row fits: it would run into what follows.
    pub(super) fn fitted(&mut self, rect: Rect, text: &str, font: &egui::FontId, color: Color32) {
        let row = self.text_px(font) * 1.2;
        let rows = ((rect.height() * self.scale()) / row).floor() as usize;
        if rows == 0 {
            return;
        }
        self.text(
            rect.min,
            Align2::LEFT_TOP,
            text,
            font,
            color,
            rect.width(),
            rows,
        );
    }

    /// A KPI's mark at `center`: a tick on green when on target, a cross
    /// on red when off, a dash on grey when it cannot be told.
    pub(super) fn kpi_mark(&mut self, center: Pos2, on_target: Option<bool>) {
        let fill = match on_target {
            Some(true) => ON_TARGET,
            Some(false) => OFF_TARGET,
            None => NO_TARGET,
        };
        let screen = self.to_screen * center;
        // Zoomed far out, the mark keeps a size whose tick or cross can be
        // told apart, within the room left of the KPI's text.
        let least = (self.min_text * 0.5).min(KPI_MARK_ROOM * 0.4 * self.scale());
        let radius = (MARK_RADIUS * self.scale()).max(least);
        let grow = radius / (MARK_RADIUS * self.scale()).max(f32::EPSILON);
        if !self.clip.expand(radius).contains(screen) {
            return;
        }
        self.shapes.push(Shape::Circle(CircleShape {
            center: screen,
            radius,
            fill,
            stroke: Stroke::NONE,
        }));
        let ink = Stroke::new(1.8 * grow, Color32::WHITE);
        let at = |dx: f32, dy: f32| center + vec2(dx, dy) * grow;
        match on_target {
            Some(true) => {
                self.line(at(-4.0, 0.5), at(-1.2, 3.3), ink);
                self.line(at(-1.2, 3.3), at(4.2, -3.0), ink);
            }
            Some(false) => {
                self.line(at(-3.3, -3.3), at(3.3, 3.3), ink);
                self.line(at(-3.3, 3.3), at(3.3, -3.3), ink);
            }
            None => self.line(at(-3.5, 0.0), at(3.5, 0.0), ink),
        }
    }

    /// The labels of the bands in the label column, `pin_x` map units right.
    pub(super) fn band_labels(
        &mut self,
        layout: &Layout,
        theme: &Theme,
        visible: Rect,
        pin_x: f32,
    ) {
        let x = shift(layout.label_x, pin_x);
        let rows = [
            (
                layout.goals.as_ref().map(|b| b.y),
                "Goals",
                LaneKind::Actions,
            ),
            (layout.kpis.as_ref().map(|b| b.y), "KPIs", LaneKind::Kpis),
            (
                layout.personas.as_ref().map(|s| s.y),
                "Personas",
                LaneKind::Emotions,
            ),
        ];
        for (y, name, kind) in rows {
            let Some(y) = y.filter(|y| y.intersects(visible.y_range())) else {
                continue;
            };
            self.row_label(Rect::from_x_y_ranges(x, y), name, lane_color(kind), theme);
        }
    }

    /// A row's label cell: like a lane's, with its colour strip.
    fn row_label(&mut self, rect: Rect, name: &str, color: Color32, theme: &Theme) {
        self.rect(rect, 0.0, theme.label_background, Stroke::NONE);
        self.line(
            rect.left_bottom(),
            rect.right_bottom(),
            Stroke::new(1.0, theme.grid),
        );
        let strip = Rect::from_min_size(rect.min, vec2(4.0, rect.height()));
        self.rect(strip, 0.0, color, Stroke::NONE);
        self.text(
            pos2(rect.min.x + 10.0, rect.min.y + 8.0),
            Align2::LEFT_TOP,
            name,
            &theme.label_font(1.0),
            theme.text,
            rect.width() - 14.0,
            1,
        );
    }

    /// Each stage's resource total at the bottom of the Resources lane.
    pub(super) fn resource_totals(&mut self, layout: &Layout, theme: &Theme, visible: Rect) {
        for total in layout
            .resource_totals
            .iter()
            .filter(|t| t.rect.intersects(visible))
        {
            let rect = total.rect;
            self.line(
                rect.left_top(),
                rect.right_top(),
                Stroke::new(1.0, lane_color(LaneKind::Resources)),
            );
            self.text(
                pos2(rect.max.x - 4.0, rect.center().y),
                Align2::RIGHT_CENTER,
                &total.text.rows.concat(),
                &label_font(theme),
                theme.text,
                rect.width() - 4.0,
                1,
            );
        }
    }

    /// The plan line of the cards in view that carry an action item or a
    /// resource, under their notes (the card was measured with it).
    pub(super) fn card_facts(
        &mut self,
        journey: &Journey,
        layout: &Layout,
        theme: &Theme,
        (visible, filter): (Rect, super::AssumptionFilter),
    ) {
        let small = theme.small_font(1.0);
        // Enlarged, a card shows its title alone.
        if self.enlarged(&theme.title_font(1.0)) {
            return;
        }
        for card_box in layout.cards_in_view(visible) {
            let Some(facts) = &card_box.text.facts else {
                continue;
            };
            let Some(card) = layout.card_of(journey, card_box) else {
                continue;
            };
            let start = self.shapes.len();
            let color = if facts.overdue {
                OVERDUE
            } else {
                theme.text_muted
            };
            let pos = card_box.rect.min + vec2(CARD_PAD_LEFT, card_box.text.facts_top());
            self.rows(pos, &facts.rows, &small, color);
            // The plan line fades with the rest of its card.
            if filter.fades(card) {
                self.fade_from(start, theme);
            }
        }
    }
}
