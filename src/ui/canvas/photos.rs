//! The personas' photos as egui textures for the canvas. The scene names a
//! photo by a texture id derived from its persona
//! ([`crate::view::photo::texture_id`]); egui hands out its own ids, so the
//! canvas loads each photo once (again only when it changes, by the hash of
//! its bytes) and points the scene's photo meshes at the loaded texture.

use std::collections::HashMap;
use std::sync::Arc;

use egui::{Shape, TextureHandle, TextureId, TextureOptions};

use crate::model::Persona;
use crate::view::photo;

/// The photos loaded into egui, by the id the scene draws them under, with
/// the hash of the photo each holds.
#[derive(Default)]
pub struct PhotoTextures {
    loaded: HashMap<TextureId, (u64, TextureHandle)>,
    /// The journey revision the textures were last brought up to date for.
    revision: Option<u64>,
}

impl std::fmt::Debug for PhotoTextures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PhotoTextures")
            .field("loaded", &self.loaded.len())
            .field("revision", &self.revision)
            .finish()
    }
}

impl PhotoTextures {
    /// Loads the photos that are new or changed and frees those no persona
    /// shows any more. Photos that do not decode are left out (the scene
    /// draws initials for them). Only a new journey revision can change
    /// them, so other frames do nothing.
    pub fn update(&mut self, ctx: &egui::Context, personas: &[Persona], revision: u64) {
        if self.revision == Some(revision) {
            return;
        }
        self.revision = Some(revision);
        let mut keep = Vec::new();
        for persona in personas {
            let Some(stored) = &persona.photo else {
                continue;
            };
            let id = photo::texture_id(persona.id);
            let hash = photo::photo_hash(stored);
            if self.loaded.get(&id).is_none_or(|(h, _)| *h != hash)
                && let Some(image) = photo::picture(persona)
            {
                let handle = ctx.load_texture(
                    format!("persona-photo-{}", persona.id.0),
                    Arc::unwrap_or_clone(image),
                    TextureOptions::LINEAR,
                );
                self.loaded.insert(id, (hash, handle));
            }
            keep.push(id);
        }
        self.loaded.retain(|id, _| keep.contains(id));
    }

    /// Checks the photos again on the next update, whatever its revision
    /// (after the journey was replaced by one whose history starts again).
    pub fn mark_stale(&mut self) {
        self.revision = None;
    }

    /// Points the scene's photo meshes at the loaded textures.
    pub fn remap(&self, shapes: &mut [Shape]) {
        if self.loaded.is_empty() {
            return;
        }
        for shape in shapes {
            match shape {
                Shape::Vec(inner) => self.remap(inner),
                Shape::Mesh(mesh) => {
                    if let Some((_, handle)) = self.loaded.get(&mesh.texture_id) {
                        Arc::make_mut(mesh).texture_id = handle.id();
                    }
                }
                _ => {}
            }
        }
    }
}
