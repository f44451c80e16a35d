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
