//! A persona's avatar: the photo clipped to a circle (a textured mesh under
//! [`photo::texture_id`], which whoever paints the scene supplies), or,
//! without a photo that decodes, a disc in the persona's colour with the
//! initials of the name.

use egui::epaint::{Mesh, Vertex};
use egui::{Align2, Color32, FontId, Pos2, Rect, Shape, Stroke, emath::TSTransform, pos2};

use super::ScenePainter;
use crate::model::Persona;
use crate::view::icons;
use crate::view::photo;
use crate::view::theme::semibold;

/// Corners of the circle a photo is clipped to: smooth at 3x for the
/// largest avatar.
const SEGMENTS: usize = 64;

impl ScenePainter<'_, '_> {
    /// `persona`'s avatar in the circle inscribed in `rect` (map units),
    /// ringed in `color` (the persona's colour).
    pub(crate) fn avatar(&mut self, persona: &Persona, rect: Rect, color: Color32) {
        let screen = self.to_screen * rect;
        if !screen.intersects(self.clip) {
            return;
        }
        let radius = rect.width().min(rect.height()) / 2.0;
        let centre = rect.center();
        let ring = Stroke::new((radius * 0.08).clamp(1.0, 3.0) * self.scale(), color);
        let (centre_px, radius_px) = (self.to_screen * centre, radius * self.scale());
        if photo::picture(persona).is_some() {
            self.shapes
                .push(Shape::mesh(photo_disc(persona, centre_px, radius_px)));
            // The ring's feathered edge hides the mesh's hard one.
            self.shapes.push(Shape::circle_stroke(
                centre_px,
                radius_px - ring.width / 2.0,
                ring,
            ));
            return;
        }
        self.shapes
            .push(Shape::circle_filled(centre_px, radius_px, color));
        let initials = persona.initials();
        let (text, font) = if initials.is_empty() {
            (icons::PERSONA, icons::icon_font(radius * 1.3))
        } else {
            (initials.as_str(), FontId::new(radius * 0.8, semibold()))
        };
        self.text(
            centre,
            Align2::CENTER_CENTER,
            text,
            &font,
            Color32::WHITE,
            radius * 2.0,
            1,
        );
    }
}

/// The photo of `persona` on a disc (output points): a fan of triangles
/// around the centre, each corner sampling the photo where it lies.
fn photo_disc(persona: &Persona, centre: Pos2, radius: f32) -> Mesh {
    let mut mesh = Mesh::with_texture(photo::texture_id(persona.id));
    let uv = |p: Pos2| {
        pos2(
            0.5 + (p.x - centre.x) / (2.0 * radius),
            0.5 + (p.y - centre.y) / (2.0 * radius),
        )
    };
    mesh.vertices.push(Vertex {
        pos: centre,
        uv: uv(centre),
        color: Color32::WHITE,
    });
    for i in 0..=SEGMENTS {
        let angle = std::f32::consts::TAU * i as f32 / SEGMENTS as f32;
        let p = centre + radius * egui::Vec2::angled(angle);
        mesh.vertices.push(Vertex {
            pos: p,
            uv: uv(p),
            color: Color32::WHITE,
        });
    }
    for i in 1..=SEGMENTS as u32 {
        mesh.indices.extend([0, i, i + 1]);
    }
    mesh
}

/// `persona`'s avatar in the circle inscribed in `rect` (map units, drawn
/// through `map_to_screen`), ringed in `color`: for parts of the map drawn
/// outside the scene, like [`super::card_shapes`].
pub fn avatar_shapes(
    persona: &Persona,
    rect: Rect,
    color: Color32,
    fonts: &mut egui::epaint::text::FontsView<'_>,
    map_to_screen: TSTransform,
) -> Vec<Shape> {
    let mut painter = ScenePainter::new(fonts, map_to_screen, Rect::EVERYTHING, 0.0);
    painter.avatar(persona, rect, color);
    painter.shapes
}
