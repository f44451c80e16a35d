//! What an exported picture shows around the map: the header (title,
//! personas, date, description) and the legend's entries.

use egui::epaint::CircleShape;
use egui::{Align2, Color32, Rect, Shape, Stroke, Vec2, pos2};

use super::ScenePainter;
use crate::model::{Journey, severity_label};
use crate::view::frame::LegendEntry;
use crate::view::theme::{Theme, channel_color};

/// Where an entry's name starts, after its swatch or marker (map units).
const LEGEND_LABEL_INDENT: f32 = 22.0;

impl ScenePainter<'_, '_> {
    /// The export header: title, then personas and date, then description.
    pub(super) fn header(
        &mut self,
        journey: &Journey,
        rect: Rect,
        theme: &Theme,
        date: Option<&str>,
    ) {
        use crate::view::frame::{HEADER_ROW_HEIGHT, HEADER_TITLE_HEIGHT};
        if !(self.to_screen * rect).intersects(self.clip) {
            return;
        }
        let title = if journey.title.trim().is_empty() {
            "Untitled journey"
        } else {
            journey.title.as_str()
        };
        self.text(
            pos2(rect.min.x, rect.min.y + HEADER_TITLE_HEIGHT / 2.0),
            Align2::LEFT_CENTER,
            title,
            &theme.header_title_font(1.0),
            theme.text,
            rect.width(),
            1,
        );
        let personas: Vec<&str> = journey.personas.iter().map(|p| p.name.as_str()).collect();
        let mut subtitle = match personas.len() {
            0 => String::new(),
            1 => format!("Persona: {}", personas.join("")),
            _ => format!("Personas: {}", personas.join("; ")),
        };
        if let Some(date) = date {
            if !subtitle.is_empty() {
                subtitle.push_str("   ·   ");
            }
            subtitle.push_str(date);
        }
        let row = |i: f32| rect.min.y + HEADER_TITLE_HEIGHT + HEADER_ROW_HEIGHT * (i + 0.5);
        self.text(
            pos2(rect.min.x, row(0.0)),
            Align2::LEFT_CENTER,
            &subtitle,
            &theme.label_font(1.0),
            theme.text_muted,
            rect.width(),
            1,
        );
        let description = journey.description.lines().next().unwrap_or_default();
        self.text(
            pos2(rect.min.x, row(1.0)),
            Align2::LEFT_CENTER,
            description.trim(),
            &theme.label_font(1.0),
            theme.text_muted,
            rect.width(),
            1,
        );
    }

    /// One legend entry: a swatch or marker, then its name, cut to the slot.
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
        let label_width = rect.max.x - label_x - 8.0;
        match entry {
            LegendEntry::Heading(name) => self.text(
                pos2(rect.min.x, mid),
                Align2::LEFT_CENTER,
                name,
                &theme.label_font(1.0),
                theme.text,
                rect.width() - 8.0,
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
            LegendEntry::Persona(index) => {
                let name = journey
                    .personas
                    .get(index)
                    .map(|p| p.name.as_str())
                    .unwrap_or_default();
                self.legend_persona(index, name, rect, theme);
            }
            LegendEntry::Scale => self.text(
                pos2(rect.min.x, mid),
                Align2::LEFT_CENTER,
                "+2 delighted  ·  0 neutral  ·  −2 frustrated",
                &font,
                theme.text_muted,
                rect.width() - 8.0,
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
            rect.max.x - label_x - 8.0,
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
            pos2(rect.min.x + 36.0, mid),
            Align2::LEFT_CENTER,
            name,
            &theme.small_font(1.0),
            theme.text,
            rect.width() - 44.0,
            1,
        );
    }
}
