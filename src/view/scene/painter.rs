//! The scene's drawing primitives: rectangles, lines and text in map
//! units, mapped to output points through one transform and skipped when
//! wholly outside the clip. Text is laid out at its output size.

use std::sync::Arc;

use egui::epaint::text::{LayoutJob, TextFormat, TextWrapping};
use egui::epaint::{CornerRadius, RectShape, StrokeKind};
use egui::{Align2, Color32, FontId, Galley, Pos2, Rect, Shape, Stroke, pos2};

use crate::view::measure::Wrapped;

use super::{MIN_TEXT_SIZE, ScenePainter};

impl ScenePainter<'_, '_> {
    /// Output points per map unit.
    pub(super) fn scale(&self) -> f32 {
        self.to_screen.scaling
    }

    /// A rectangle in map units with corners of `radius` map units.
    pub(super) fn rect(&mut self, rect: Rect, radius: f32, fill: Color32, stroke: Stroke) {
        let corners = CornerRadius::same(self.corner(radius));
        self.rect_with_corners(rect, corners, fill, stroke);
    }

    /// A corner radius in map units as epaint wants it: output points, whole.
    pub(super) fn corner(&self, radius: f32) -> u8 {
        (radius * self.scale()).round().clamp(0.0, 255.0) as u8
    }

    /// [`Self::rect`] with each corner's radius given (output points).
    pub(super) fn rect_with_corners(
        &mut self,
        rect: Rect,
        corners: CornerRadius,
        fill: Color32,
        stroke: Stroke,
    ) {
        let rect = self.to_screen * rect;
        if !rect.intersects(self.clip) {
            return;
        }
        let stroke = Stroke::new(stroke.width * self.scale(), stroke.color);
        self.shapes.push(Shape::Rect(RectShape::new(
            rect,
            corners,
            fill,
            stroke,
            StrokeKind::Inside,
        )));
    }

    /// A line segment in map units.
    pub(super) fn line(&mut self, a: Pos2, b: Pos2, stroke: Stroke) {
        let stroke = Stroke::new(stroke.width * self.scale(), stroke.color);
        self.shapes.push(Shape::line_segment(
            [self.to_screen * a, self.to_screen * b],
            stroke,
        ));
    }

    /// The output size of text set in `font` (map units): scaled, at least
    /// the minimum legible size, in half points so zooming reuses glyphs.
    pub(super) fn text_px(&self, font: &FontId) -> f32 {
        ((font.size * self.scale()).max(self.min_text) * 2.0).round() / 2.0
    }

    /// Whether text in `font` is drawn larger than its scaled size (zoomed
    /// far out on the canvas): rows measured at map size do not apply then.
    pub(super) fn enlarged(&self, font: &FontId) -> bool {
        self.min_text > font.size * self.scale() * 1.05
    }

    /// How many rows of `font` as drawn fit in `height` map units (at
    /// least one).
    pub(super) fn rows_that_fit(&self, height: f32, font: &FontId) -> usize {
        let row = self.text_px(font) * 1.2;
        ((height * self.scale()) / row).floor().max(1.0) as usize
    }

    /// Lays out text at `px` output points wrapped to `width` map units.
    pub(super) fn galley(
        &mut self,
        text: &str,
        px: f32,
        font: &FontId,
        color: Color32,
        width: f32,
        rows: usize,
    ) -> Option<Arc<Galley>> {
        if px < MIN_TEXT_SIZE || text.is_empty() {
            return None;
        }
        let max_width = (width * self.scale()).max(1.0);
        let mut job = LayoutJob::single_section(
            visible_part(text, px, max_width, rows),
            TextFormat::simple(FontId::new(px, font.family.clone()), color),
        );
        job.wrap = TextWrapping {
            max_width,
            max_rows: rows,
            break_anywhere: rows == 1,
            overflow_character: Some('…'),
        };
        Some(self.fonts.layout_job(job))
    }

    /// Draws text anchored at a map position.
    #[expect(clippy::too_many_arguments)]
    pub(super) fn text(
        &mut self,
        pos: Pos2,
        anchor: Align2,
        text: &str,
        font: &FontId,
        color: Color32,
        width: f32,
        rows: usize,
    ) {
        let px = self.text_px(font);
        self.text_at_px(pos, anchor, text, px, font, color, width, rows);
    }

    /// Like [`Self::text`], at `px` output points.
    #[expect(clippy::too_many_arguments)]
    fn text_at_px(
        &mut self,
        pos: Pos2,
        anchor: Align2,
        text: &str,
        px: f32,
        font: &FontId,
        color: Color32,
        width: f32,
        rows: usize,
    ) {
        if let Some(galley) = self.galley(text, px, font, color, width, rows) {
            self.place(galley, pos, anchor, color);
        }
    }

    /// Draws rows measured by the layout, each on its own line from
    /// `top_left`, at `font`'s size scaled (never enlarged: rows measured
    /// at one size are only right at that size).
    pub(super) fn rows(&mut self, top_left: Pos2, rows: &Wrapped, font: &FontId, color: Color32) {
        self.rows_from(|_| top_left.x, top_left.y, rows, font, color);
    }

    /// [`Self::rows`], each row centred on `centre_x`.
    pub(super) fn rows_centred(
        &mut self,
        centre_x: f32,
        top: f32,
        rows: &Wrapped,
        font: &FontId,
        color: Color32,
    ) {
        let left = |i: usize| centre_x - rows.row_widths.get(i).copied().unwrap_or(0.0) / 2.0;
        self.rows_from(left, top, rows, font, color);
    }

    /// Draws each row `i` of `rows` from `left(i)`, `top` down.
    fn rows_from(
        &mut self,
        left: impl Fn(usize) -> f32,
        top: f32,
        rows: &Wrapped,
        font: &FontId,
        color: Color32,
    ) {
        let px = ((font.size * self.scale()) * 2.0).round() / 2.0;
        if px < MIN_TEXT_SIZE {
            return;
        }
        for (i, row) in rows.rows.iter().enumerate() {
            let (x, y) = (left(i), top + i as f32 * rows.row_height);
            let width = rows.row_widths.get(i).copied().unwrap_or(rows.width);
            let line = Rect::from_min_max(pos2(x, y), pos2(x + width, y + rows.row_height));
            if row.trim().is_empty() || !(self.to_screen * line).intersects(self.clip) {
                continue;
            }
            let galley = self.fonts.layout_no_wrap(
                row.trim_end().to_owned(),
                FontId::new(px, font.family.clone()),
                color,
            );
            self.place(galley, pos2(x, y), Align2::LEFT_TOP, color);
        }
    }

    /// Draws laid-out text anchored at a map position, if it can be seen.
    pub(super) fn place(&mut self, galley: Arc<Galley>, pos: Pos2, anchor: Align2, color: Color32) {
        let rect = anchor.anchor_size(self.to_screen * pos, galley.size());
        if rect.intersects(self.clip) {
            self.shapes
                .push(Shape::galley(rect.min.round(), galley, color));
        }
    }
}

/// No glyph of the bundled fonts is narrower than this share of its size,
/// so a row `w` pixels wide holds at most `w / (px * NARROWEST_GLYPH)`
/// characters.
const NARROWEST_GLYPH: f32 = 0.15;

/// The start of `text` that `rows` rows of `width_px` can show at `px`,
/// ending in "…" when cut: text the map cannot show is never laid out, so a
/// note of megabytes costs what its first lines cost (laying out 50 MB took
/// seconds and gigabytes).
fn visible_part(text: &str, px: f32, width_px: f32, rows: usize) -> String {
    let per_row = (width_px / (px * NARROWEST_GLYPH)).ceil().max(1.0) as usize + 1;
    let limit = per_row.saturating_mul(rows).saturating_add(1);
    match text.char_indices().nth(limit) {
        Some((end, _)) => format!("{}…", text.get(..end).unwrap_or(text)),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::visible_part;

    #[test]
    fn only_what_the_rows_can_show_is_kept() {
        assert_eq!(visible_part("short", 10.0, 100.0, 2), "short");
        let huge = "word ".repeat(1_000_000);
        let kept = visible_part(&huge, 10.0, 100.0, 2);
        assert!(kept.len() < 200, "{}", kept.len());
        assert!(kept.ends_with('…'));
        assert!(huge.starts_with(kept.trim_end_matches('…')));
        // Cut on a character boundary, whatever the script.
        let wide = "ﺵ🧭".repeat(10_000);
        assert!(visible_part(&wide, 10.0, 100.0, 1).ends_with('…'));
    }
}
