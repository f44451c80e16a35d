//! A headless egui context with the app's fonts: what every export lays out
//! text and tessellates shapes with, the same way the canvas does.

use egui::{Pos2, Rect, Vec2};

use crate::export::raster::TextureStore;
use crate::view::theme::font_definitions;

/// A headless egui context with the app's fonts, ready to lay out text.
pub(crate) struct Headless {
    ctx: egui::Context,
    /// The font atlas, as egui last changed it.
    pub(crate) textures: TextureStore,
}

impl Headless {
    pub(crate) fn new(pixels_per_point: f32) -> Self {
        let ctx = egui::Context::default();
        ctx.set_fonts(font_definitions());
        let mut headless = Self {
            ctx,
            textures: TextureStore::new(),
        };
        // The first pass installs the fonts at this pixel density.
        headless.shapes(pixels_per_point, |_| Vec::new());
        headless
    }

    /// Registers the personas' photos that decode under their texture ids
    /// ([`crate::view::photo::texture_id`]), so the avatars that show them
    /// rasterize; a photo that does not decode is drawn as initials.
    pub(crate) fn add_photos(&mut self, personas: &[crate::model::Persona]) {
        for (id, image) in crate::view::photo::pictures(personas) {
            let delta = egui::epaint::ImageDelta::full(
                egui::ImageData::Color(image),
                egui::TextureOptions::LINEAR,
            );
            self.textures.set(id, &delta);
        }
    }

    /// Runs one pass that builds shapes (laying out text) and applies the
    /// font atlas changes; the shapes are returned untessellated.
    pub(crate) fn shapes(
        &mut self,
        pixels_per_point: f32,
        build: impl FnOnce(&mut egui::epaint::text::FontsView<'_>) -> Vec<egui::Shape>,
    ) -> Vec<egui::Shape> {
        let mut build = Some(build);
        let mut shapes = Vec::new();
        let input = egui::RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, Vec2::splat(1024.0))),
            ..Default::default()
        };
        self.ctx.set_pixels_per_point(pixels_per_point);
        let mut output = self.ctx.run_ui(input, |ui| {
            if let Some(build) = build.take() {
                shapes = ui.fonts_mut(build);
            }
        });
        self.textures.apply_and_clear(&mut output.textures_delta);
        shapes
    }

    /// `shapes` tessellated into triangles, unclipped, as egui would for
    /// the screen (its options and the font atlas's discs).
    pub(crate) fn tessellate(
        &self,
        shapes: Vec<egui::Shape>,
        pixels_per_point: f32,
    ) -> Vec<egui::ClippedPrimitive> {
        let clipped = (shapes.into_iter())
            .map(|shape| egui::epaint::ClippedShape::new(Rect::EVERYTHING, shape))
            .collect();
        self.ctx.tessellate(clipped, pixels_per_point)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use egui::emath::TSTransform;
    use egui::{Color32, pos2, vec2};

    use super::*;
    use crate::export::raster::{self, Pixmap};
    use crate::model::{Persona, PersonaId, Photo};
    use crate::view::photo::tests::solid_png;
    use crate::view::scene;

    const RING: Color32 = Color32::from_rgb(0, 0, 255);

    /// `persona`'s avatar in a 40-point box at (10, 10), drawn at 2x on
    /// white as the PNG export draws it.
    fn avatar_pixmap(persona: &Persona) -> (Pixmap, Vec<egui::Shape>) {
        let mut headless = Headless::new(2.0);
        headless.add_photos(std::slice::from_ref(persona));
        let rect = Rect::from_min_size(pos2(10.0, 10.0), vec2(40.0, 40.0));
        let shapes = headless.shapes(2.0, |fonts| {
            scene::avatar_shapes(persona, rect, RING, fonts, TSTransform::IDENTITY)
        });
        let primitives = headless.tessellate(shapes.clone(), 2.0);
        let mut pixmap = Pixmap::new(120, 120);
        pixmap.fill(Color32::WHITE);
        raster::rasterize(&primitives, &headless.textures, 2.0, &mut pixmap, 0..120);
        (pixmap, shapes)
    }

    fn near(a: Option<Color32>, b: Color32) -> bool {
        a.is_some_and(|a| (a.to_array().iter().zip(b.to_array())).all(|(x, y)| x.abs_diff(y) <= 8))
    }

    #[test]
    fn a_photo_is_drawn_on_a_disc_in_the_png() {
        let mut persona = Persona::named(PersonaId(5), "Ana Lima");
        persona.photo = Some(Photo::from_bytes(&solid_png(16, 16, [220, 30, 30])));
        let (pixmap, _) = avatar_pixmap(&persona);
        // The centre of the disc (30, 30 points) shows the photo.
        let red = Color32::from_rgb(220, 30, 30);
        assert!(
            near(pixmap.pixel(60, 60), red),
            "{:?}",
            pixmap.pixel(60, 60)
        );
        assert!(
            near(pixmap.pixel(45, 75), red),
            "{:?}",
            pixmap.pixel(45, 75)
        );
        // The box's corner is outside the circle: paper.
        assert!(near(pixmap.pixel(23, 23), Color32::WHITE));
        // The ring, in the persona's colour, edges the disc.
        let ring = pixmap.pixel(60, 21).unwrap_or_default();
        assert!(ring.b() > 150 && ring.r() < 120, "{ring:?}");
    }

    #[test]
    fn a_photo_that_is_not_an_image_falls_back_to_initials() {
        let mut persona = Persona::named(PersonaId(5), "Ana Lima");
        persona.photo = Some(Photo::from_bytes(b"<html>not a photo</html>"));
        let (pixmap, shapes) = avatar_pixmap(&persona);
        assert!(shapes.iter().all(|s| !matches!(s, egui::Shape::Mesh(_))));
        let initials = shapes.iter().find_map(|s| match s {
            egui::Shape::Text(t) => Some(t.galley.text().to_owned()),
            _ => None,
        });
        assert_eq!(initials.as_deref(), Some("AL"));
        // A disc in the persona's colour.
        assert!(
            near(pixmap.pixel(60, 26), RING),
            "{:?}",
            pixmap.pixel(60, 26)
        );
        assert!(near(pixmap.pixel(23, 23), Color32::WHITE));
    }
}
