//! Pain points: a marker (a disc coloured by severity with the pain's
//! number) on its card, curve point or step, and a note with the same
//! number, its severity and its text in the Pain points lane.

use egui::epaint::CircleShape;
use egui::{Align2, Color32, FontId, Pos2, Rect, Shape, Stroke, pos2, vec2};

use super::{MARKER_REACH, ScenePainter};
use crate::model::{Anchor, Journey, LaneKind, PainPoint, severity_label};
use crate::view::blocks::{CARD_PAD_RIGHT, CARD_PAD_Y, NOTE_PAD_LEFT};
use crate::view::layout::{Layout, PainNote};
use crate::view::theme::{Theme, lane_color};

impl ScenePainter<'_, '_> {
    /// The markers in view: those on cards and curve points (`pinned` is
    /// `None`), or those on steps, which ride along with the step header
    /// pinned `pinned` map units down.
    pub(super) fn pain_markers(
        &mut self,
        journey: &Journey,
        layout: &Layout,
        theme: &Theme,
        visible: Rect,
        pinned: Option<f32>,
    ) {
        // Centres just outside the reach are found too, then left out by
        // the exact test in output points.
        let near = visible.x_range().expand(MARKER_REACH + 1.0);
        for marker in layout.pains_in(near) {
            let Some(pain) = layout.pain_of(journey, marker) else {
                continue;
            };
            let on_step = matches!(pain.anchor, Anchor::Step(_));
            match pinned {
                Some(pin_y) if on_step => {
                    let center = marker.center + vec2(0.0, pin_y);
                    self.pain_marker(pain, marker.number, center, theme);
                }
                None if !on_step => self.pain_marker(pain, marker.number, marker.center, theme),
                _ => {}
            }
        }
    }

    /// One marker centred at `center` (map units), if it can be seen.
    fn pain_marker(&mut self, pain: &PainPoint, number: usize, center: Pos2, theme: &Theme) {
        let screen_center = self.to_screen * center;
        if !self
            .clip
            .expand(MARKER_REACH * self.scale())
            .contains(screen_center)
        {
            return;
        }
        self.shapes.push(Shape::Circle(CircleShape {
            center: screen_center,
            radius: theme.pain_radius * self.scale(),
            fill: theme.pain_color(pain.severity),
            stroke: Stroke::new(1.5 * self.scale(), Color32::WHITE),
        }));
        self.text(
            center,
            Align2::CENTER_CENTER,
            &number.to_string(),
            &FontId::proportional(if number < 10 { 13.0 } else { 11.0 }),
            Color32::WHITE,
            40.0,
            1,
        );
    }
}

impl ScenePainter<'_, '_> {
    /// The pain notes in view, and the label of the row of notes under a
    /// map without a Pain points lane.
    pub(super) fn pain_notes(
        &mut self,
        journey: &Journey,
        layout: &Layout,
        theme: &Theme,
        visible: Rect,
    ) {
        for note in layout
            .pain_notes
            .iter()
            .filter(|n| n.rect.intersects(visible))
        {
            if let Some(pain) = layout.pain_of_note(journey, note) {
                self.pain_note(pain, note, theme);
            }
        }
    }

    /// One note: a tinted card with a strip and the marker's disc in the
    /// severity's colour, the text, and the severity's name.
    fn pain_note(&mut self, pain: &PainPoint, note: &PainNote, theme: &Theme) {
        let rect = note.rect;
        let color = theme.pain_color(pain.severity);
        let tint = theme.card_fill.lerp_to_gamma(color, 0.07);
        self.rect(rect, 6.0, color.gamma_multiply(0.55), Stroke::NONE);
        self.rect(rect.shrink(1.0), 5.0, tint, Stroke::NONE);
        let strip = Rect::from_min_size(rect.min, vec2(5.0, rect.height()));
        self.rect(strip.shrink2(vec2(0.0, 0.5)), 2.5, color, Stroke::NONE);
        let disc = pos2(rect.min.x + 19.0, rect.min.y + CARD_PAD_Y + 9.0);
        self.pain_marker(pain, note.number, disc, theme);
        let left = rect.min.x + NOTE_PAD_LEFT;
        let font = theme.label_font(1.0);
        if self.enlarged(&font) {
            // Zoomed far out: what fits beside the disc (a hover shows all).
            let rows = self.rows_that_fit(rect.height() - 2.0 / self.scale(), &font);
            self.text(
                pos2(left, rect.min.y + 1.0 / self.scale()),
                Align2::LEFT_TOP,
                &pain.text,
                &font,
                theme.text,
                rect.max.x - CARD_PAD_RIGHT - left,
                rows,
            );
            return;
        }
        let text = &note.text;
        self.rows(
            pos2(left, rect.min.y + CARD_PAD_Y),
            text,
            &theme.label_font(1.0),
            theme.text,
        );
        self.text(
            pos2(left, rect.max.y - CARD_PAD_Y),
            Align2::LEFT_BOTTOM,
            &capitalized(severity_label(pain.severity)),
            &theme.small_font(1.0),
            color,
            rect.width() - NOTE_PAD_LEFT,
            1,
        );
    }
}

impl ScenePainter<'_, '_> {
    /// The label of the row of pain notes (a map without a Pain points
    /// lane), pinned `pin_x` map units right like the lane labels.
    pub(super) fn pain_row_label(
        &mut self,
        layout: &Layout,
        theme: &Theme,
        visible: Rect,
        pin_x: f32,
    ) {
        let Some(row) = layout.pain_row.filter(|r| r.intersects(visible.y_range())) else {
            return;
        };
        let x = egui::Rangef::new(layout.label_x.min + pin_x, layout.label_x.max + pin_x);
        let rect = Rect::from_x_y_ranges(x, row);
        self.rect(rect, 0.0, theme.label_background, Stroke::NONE);
        let strip = Rect::from_min_size(rect.min, vec2(4.0, rect.height()));
        self.rect(strip, 0.0, lane_color(LaneKind::PainPoints), Stroke::NONE);
        self.text(
            pos2(rect.min.x + 11.0, rect.min.y + 8.0),
            Align2::LEFT_TOP,
            "Pain points",
            &theme.label_font(1.0),
            theme.text,
            rect.width() - 15.0,
            2,
        );
    }
}

/// "critical" as "Critical".
fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}
