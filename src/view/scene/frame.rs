//! What an exported picture shows around the map: the header (title,
//! personas, dates, objective, scenario, description) and the legend's
//! entries.

use egui::epaint::CircleShape;
use egui::{Align2, Color32, Rect, Shape, Stroke, Vec2, pos2};

use super::ScenePainter;
use super::bands::OVERDUE;
use crate::model::{Journey, severity_label};
use crate::view::frame::{
    LEGEND_LABEL_INDENT, LEGEND_OVERDUE_TEXT, LEGEND_PERSONA_INDENT, LEGEND_SCALE_TEXT,
    LegendEntry, header_blocks, legend_kpi_text,
};
use crate::view::theme::{Theme, channel_color};

/// How much wider than its slot a legend name may be drawn: the slot is
/// measured to hold it, and text drawn at a rounded pixel size can come
/// out a little wider than measured, which must not cut it.
const LEGEND_TEXT_SLACK: f32 = 1.5;

impl ScenePainter<'_, '_> {
    /// The export header: title, then personas and date, then description,
    /// in the rows the frame measured them in (see
    /// [`crate::view::frame::header_blocks`]).
    pub(super) fn header(
        &mut self,
        journey: &Journey,
        rect: Rect,
        theme: &Theme,
        date: Option<&str>,
    ) {
        if !(self.to_screen * rect).intersects(self.clip) {
            return;
        }
        let mut y = rect.min.y;
        for block in header_blocks(journey, date, rect.width(), theme) {
            let color = if block.muted {
                theme.text_muted
            } else {
                theme.text
            };
            let row_height = block.text.row_height;
            for row in &block.text.rows {
                // Each row is drawn whole: text drawn at a rounded pixel
                // size may be a little wider than measured, and must not
                // be cut for it.
                self.text(
                    pos2(rect.min.x, y + row_height / 2.0),
                    Align2::LEFT_CENTER,
                    row.trim_end(),
                    &block.font,
                    color,
                    rect.width() * 1.5,
                    1,
                );
                y += row_height;
            }
            y += block.gap;
        }
    }

    /// One legend entry: a swatch or marker, then its name, which its slot
    /// was measured to hold.
    pub(super) fn legend_entry(
        &mut self,
        journey: &Journey,
        entry: LegendEntry,
        rect: Rect,
        theme: &Theme,
    ) {
        let mid = rect.center().y;
        let font = theme.small_font(1.0);
        let label_x = rect.min.x + LEGEND_LABEL_INDENT;
        let label_width = rect.width() * LEGEND_TEXT_SLACK;
        match entry {
            LegendEntry::Heading(name) => self.text(
                pos2(rect.min.x, mid),
                Align2::LEFT_CENTER,
                name,
                &theme.label_font(1.0),
                theme.text,
                label_width,
                1,
            ),
            LegendEntry::Channel(channel) => {
                let swatch = Rect::from_center_size(pos2(rect.min.x + 7.0, mid), Vec2::splat(12.0));
                self.rect(swatch, 3.0, channel_color(channel), Stroke::NONE);
                self.text(
                    pos2(label_x, mid),
                    Align2::LEFT_CENTER,
                    channel.label(),
                    &font,
                    theme.text,
                    label_width,
                    1,
                );
            }
            LegendEntry::Severity(severity) => {
                self.legend_severity(severity, rect, theme);
            }
            LegendEntry::Confidence(c) => self.legend_confidence(c, rect, theme),
            LegendEntry::Persona(index) => {
                let name = journey
                    .personas
                    .get(index)
                    .map(|p| p.name.as_str())
                    .unwrap_or_default();
                self.legend_persona(index, name, rect, theme);
            }
            LegendEntry::Kpi(on) => {
                self.kpi_mark(pos2(rect.min.x + 8.0, mid), Some(on));
                self.text(
                    pos2(label_x, mid),
                    Align2::LEFT_CENTER,
                    legend_kpi_text(on),
                    &font,
                    theme.text,
                    label_width,
                    1,
                );
            }
            LegendEntry::Overdue => {
                let swatch =
                    Rect::from_center_size(pos2(rect.min.x + 7.0, mid), Vec2::new(12.0, 4.0));
                self.rect(swatch, 1.0, OVERDUE, Stroke::NONE);
                self.text(
                    pos2(label_x, mid),
                    Align2::LEFT_CENTER,
                    LEGEND_OVERDUE_TEXT,
                    &font,
                    OVERDUE,
                    label_width,
                    1,
                );
            }
            LegendEntry::Diff(mark) => self.legend_diff(mark, rect, theme),
            LegendEntry::Scale => self.text(
                pos2(rect.min.x, mid),
                Align2::LEFT_CENTER,
                LEGEND_SCALE_TEXT,
                &font,
                theme.text_muted,
                label_width,
                1,
            ),
        }
    }

    /// A severity's marker, as on the map, and its name.
    fn legend_severity(&mut self, severity: u8, rect: Rect, theme: &Theme) {
        let mid = rect.center().y;
        let center = pos2(rect.min.x + 8.0, mid);
        self.shapes.push(Shape::Circle(CircleShape {
            center: self.to_screen * center,
            radius: 8.0 * self.scale(),
            fill: theme.pain_color(severity),
            stroke: Stroke::NONE,
        }));
        // No number in the disc: on the map a marker's number is the pain
        // point's, and the legend only explains the colour.
        let label_x = rect.min.x + LEGEND_LABEL_INDENT;
        self.text(
            pos2(label_x, mid),
            Align2::LEFT_CENTER,
            severity_label(severity),
            &theme.small_font(1.0),
            theme.text,
            rect.width() * LEGEND_TEXT_SLACK,
            1,
        );
    }

    /// A piece of a persona's curve with a point on it, and the persona's name.
    fn legend_persona(&mut self, index: usize, name: &str, rect: Rect, theme: &Theme) {
        let mid = rect.center().y;
        let color = theme.persona_color(index);
        self.line(
            pos2(rect.min.x, mid),
            pos2(rect.min.x + 28.0, mid),
            Stroke::new(3.0, color),
        );
        self.shapes.push(Shape::Circle(CircleShape {
            center: self.to_screen * pos2(rect.min.x + 14.0, mid),
            radius: 4.5 * self.scale(),
            fill: Color32::WHITE,
            stroke: Stroke::new(2.0 * self.scale(), color),
        }));
        self.text(
            pos2(rect.min.x + LEGEND_PERSONA_INDENT, mid),
            Align2::LEFT_CENTER,
            name,
            &theme.small_font(1.0),
            theme.text,
            rect.width() * LEGEND_TEXT_SLACK,
            1,
        );
    }
}
