//! Pain point markers: a disc coloured by severity with its number.

use egui::epaint::CircleShape;
use egui::{Align2, Color32, FontId, Pos2, Rect, Shape, Stroke, vec2};

use super::{MARKER_REACH, ScenePainter};
use crate::model::{Anchor, Journey, PainPoint};
use crate::view::layout::Layout;
use crate::view::theme::Theme;

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
                    self.pain_marker(pain, marker.center + vec2(0.0, pin_y), theme);
                }
                None if !on_step => self.pain_marker(pain, marker.center, theme),
                _ => {}
            }
        }
    }

    /// One marker centred at `center` (map units), if it can be seen.
    fn pain_marker(&mut self, pain: &PainPoint, center: Pos2, theme: &Theme) {
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
            &pain.severity.to_string(),
            &FontId::proportional(13.0),
            Color32::WHITE,
            40.0,
            1,
        );
    }
}
