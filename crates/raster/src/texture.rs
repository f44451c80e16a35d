//! The textures egui hands a renderer, and how they are sampled.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use epaint::textures::{TextureFilter, TextureOptions, TextureWrapMode};
use epaint::{Color32, ImageData, ImageDelta, TextureId};

/// One texture as the renderer holds it: premultiplied [`Color32`] texels,
/// row-major, plus the sampling options egui gave it.
#[derive(Clone, PartialEq)]
pub struct Texture {
    pub(crate) width: usize,
    pub(crate) height: usize,
    pixels: Vec<Color32>,
    options: TextureOptions,
}

impl Texture {
    /// `[width, height]` in texels.
    pub fn size(&self) -> [usize; 2] {
        [self.width, self.height]
    }

    /// Filtering and wrapping used when sampling.
    pub fn options(&self) -> TextureOptions {
        self.options
    }

    /// The texel at (`x`, `y`), or `None` outside the texture.
    pub fn pixel(&self, x: usize, y: usize) -> Option<Color32> {
        if x >= self.width {
            return None;
        }
        self.pixels
            .get(y.checked_mul(self.width)?.checked_add(x)?)
            .copied()
    }

    /// The texel at (wrapped, in range) `x`, `y` as `0..=255` floats.
    #[inline]
    fn texel(&self, x: i64, y: i64) -> [f32; 4] {
        let index = y as usize * self.width + x as usize;
        self.pixels
            .get(index)
            .map_or([0.0; 4], |c| c.to_array().map(f32::from))
    }

    /// The sample at texel-space position (`u * width`, `v * height`), as
    /// premultiplied `0..=255` floats: egui-wgpu's predictable filtering.
    /// Bilinear mixes the four texels around (`tx - 0.5`, `ty - 0.5`) in x,
    /// then y; nearest takes the texel under the position.
    #[inline]
    pub(crate) fn sample(&self, tx: f32, ty: f32) -> [f32; 4] {
        let (w, h) = (self.width as i64, self.height as i64);
        let wrap = self.options.wrap_mode;
        if self.options.magnification == TextureFilter::Nearest {
            let x = wrap_coord(floor_to_texel(tx), w, wrap);
            let y = wrap_coord(floor_to_texel(ty), h, wrap);
            return self.texel(x, y);
        }
        let (px, py) = (tx - 0.5, ty - 0.5);
        let (ix, iy) = (floor_to_texel(px), floor_to_texel(py));
        let (ax, ay) = (px - ix as f32, py - iy as f32);
        let (x0, x1) = (wrap_coord(ix, w, wrap), wrap_coord(ix + 1, w, wrap));
        let (y0, y1) = (wrap_coord(iy, h, wrap), wrap_coord(iy + 1, h, wrap));
        let top = lerp4(self.texel(x0, y0), self.texel(x1, y0), ax);
        let bottom = lerp4(self.texel(x0, y1), self.texel(x1, y1), ax);
        lerp4(top, bottom, ay)
    }
}

/// How far (in texels) a pixel centre may be from a texel centre, over a
/// span, and still be read as that texel: epaint places glyphs on whole
/// pixels, but in `f32` points, which far from the origin are off by up to
/// 2^-24 of the position (at 3x, 0.006 pixel 35,000 points out).
const ALIGNED: f32 = 1.0e-4;
/// Two vertices' rounding, 2^-24 of the position each.
const ROUNDING: f32 = 1.0 / 8_388_608.0;

impl Texture {
    /// The texels under a span of `len` pixels whose centres are texel
    /// centres of one row (within [`ALIGNED`], plus the `f32` rounding of
    /// positions up to `extent` pixels from the origin), starting at
    /// texel-space position (`u`, `v`) and stepping (`du`, `dv`) per pixel;
    /// `None` otherwise. There, bilinear or nearest filtering gives the
    /// texels themselves.
    #[inline]
    pub(crate) fn aligned_row(
        &self,
        [u, du]: [f32; 2],
        [v, dv]: [f32; 2],
        len: usize,
        extent: f32,
    ) -> Option<&[Color32]> {
        let tolerance = ALIGNED + extent * ROUNDING;
        let drift = len as f32;
        if (du - 1.0).abs() * drift > tolerance || dv.abs() * drift > tolerance {
            return None;
        }
        // The texel whose centre is nearest.
        let (x, y) = (floor_to_texel(u), floor_to_texel(v));
        if (u - 0.5 - x as f32).abs() > tolerance || (v - 0.5 - y as f32).abs() > tolerance {
            return None;
        }
        let (x, y) = (usize::try_from(x).ok()?, usize::try_from(y).ok()?);
        if y >= self.height || x.checked_add(len)? > self.width {
            return None;
        }
        let start = y * self.width + x;
        self.pixels.get(start..start + len)
    }
}

impl fmt::Debug for Texture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Texture")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// `a + (b - a) * t` per channel.
#[inline]
fn lerp4(a: [f32; 4], b: [f32; 4], t: f32) -> [f32; 4] {
    let mut out = a;
    for (o, b) in out.iter_mut().zip(b) {
        *o += (b - *o) * t;
    }
    out
}

/// `floor(v)` as a texel coordinate; huge or NaN values stay far outside the
/// texture without overflowing later arithmetic.
#[inline]
fn floor_to_texel(v: f32) -> i64 {
    let v = v.clamp(-1.0e9, 1.0e9);
    let t = v as i64;
    if t as f32 > v { t - 1 } else { t }
}

/// Maps a texel coordinate into `0..n` by the wrap mode (as egui-wgpu's shader).
#[inline]
fn wrap_coord(i: i64, n: i64, mode: TextureWrapMode) -> i64 {
    match mode {
        TextureWrapMode::ClampToEdge => i.clamp(0, (n - 1).max(0)),
        TextureWrapMode::Repeat => i.rem_euclid(n.max(1)),
        TextureWrapMode::MirroredRepeat => {
            let period = (2 * n).max(1);
            let phase = i.rem_euclid(period);
            phase.min(period - 1 - phase)
        }
    }
}

/// The textures egui has asked the renderer to hold, keyed by [`TextureId`]
/// (the font atlas is `TextureId::default()`).
///
/// Cloning is cheap: textures are shared until one side changes them, so a
/// snapshot can be drawn from on other threads while egui goes on patching.
#[derive(Clone, Debug, Default)]
pub struct TextureStore {
    textures: HashMap<TextureId, Arc<Texture>>,
}

impl TextureStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Applies egui's texture changes: every set (whole images and partial
    /// updates at [`ImageDelta::pos`], in order), then every free.
    ///
    /// egui frees textures "after painting"; applying the frees here means a
    /// texture freed in the same frame that still draws it is not drawn.
    ///
    /// `delta` is not emptied, and egui panics (in debug builds) when a
    /// non-empty [`epaint::textures::TexturesDelta`] is dropped: call
    /// `delta.clear()` afterwards, or use [`Self::apply_and_clear`].
    pub fn apply(&mut self, delta: &epaint::textures::TexturesDelta) {
        for (&id, image_deltas) in &delta.set {
            for image_delta in image_deltas {
                self.set(id, image_delta);
            }
        }
        for id in &delta.free {
            self.free(*id);
        }
    }

    /// [`Self::apply`], then clears `delta` so it can be dropped.
    pub fn apply_and_clear(&mut self, delta: &mut epaint::textures::TexturesDelta) {
        self.apply(delta);
        delta.clear();
    }

    /// Applies one image delta: a whole texture (`pos: None`) replaces `id`; a
    /// patch (`pos: Some`) is copied into the existing texture, clipped to its
    /// size. A patch for an unknown texture, or an image whose pixel count does
    /// not match its size, is ignored.
    pub fn set(&mut self, id: TextureId, delta: &ImageDelta) {
        let ImageData::Color(image) = &delta.image;
        let [width, height] = image.size;
        if width.checked_mul(height) != Some(image.pixels.len()) {
            return;
        }
        let Some([x0, y0]) = delta.pos else {
            let pixels = image.pixels.clone();
            let options = delta.options;
            let texture = Texture {
                width,
                height,
                pixels,
                options,
            };
            self.textures.insert(id, Arc::new(texture));
            return;
        };
        let Some(texture) = self.textures.get_mut(&id).map(Arc::make_mut) else {
            return;
        };
        // Like `egui_glow`, a patch also (re)sets the sampling options.
        texture.options = delta.options;
        let columns = width.min(texture.width.saturating_sub(x0));
        if columns == 0 {
            return;
        }
        for (row, source) in image.pixels.chunks_exact(width).enumerate() {
            let Some(y) = y0.checked_add(row).filter(|&y| y < texture.height) else {
                break;
            };
            let start = y * texture.width + x0;
            if let (Some(dst), Some(src)) = (
                texture.pixels.get_mut(start..start + columns),
                source.get(..columns),
            ) {
                dst.copy_from_slice(src);
            }
        }
    }

    /// Forgets texture `id`.
    pub fn free(&mut self, id: TextureId) {
        self.textures.remove(&id);
    }

    /// The texture `id`, if egui has set it.
    pub fn get(&self, id: TextureId) -> Option<&Texture> {
        self.textures.get(&id).map(|texture| &**texture)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use epaint::ColorImage;
    use epaint::textures::TexturesDelta;

    #[test]
    fn texture_store_applies_patches_and_frees() {
        let mut store = TextureStore::new();
        let id = TextureId::Managed(7);
        let mut delta = TexturesDelta::default();
        delta.push(
            id,
            ImageDelta::full(
                ColorImage::filled([4, 3], Color32::BLACK),
                TextureOptions::LINEAR,
            ),
        );
        let patch = ColorImage::new(
            [3, 2],
            vec![
                Color32::WHITE,
                Color32::RED,
                Color32::BLUE,
                Color32::GREEN,
                Color32::GRAY,
                Color32::GOLD,
            ],
        );
        // Overlaps the right edge: clipped to the texture.
        delta.push(
            id,
            ImageDelta::partial([2, 1], patch, TextureOptions::NEAREST),
        );
        // A patch for a texture that does not exist is ignored.
        delta.push(
            TextureId::Managed(8),
            ImageDelta::partial(
                [0, 0],
                ColorImage::filled([1, 1], Color32::RED),
                TextureOptions::LINEAR,
            ),
        );
        store.apply_and_clear(&mut delta);
        let texture = store.get(id).unwrap();
        assert_eq!(texture.size(), [4, 3]);
        assert_eq!(texture.options(), TextureOptions::NEAREST);
        assert_eq!(texture.pixel(1, 1), Some(Color32::BLACK));
        assert_eq!(texture.pixel(2, 1), Some(Color32::WHITE));
        assert_eq!(texture.pixel(3, 1), Some(Color32::RED));
        assert_eq!(texture.pixel(2, 2), Some(Color32::GREEN));
        assert_eq!(texture.pixel(3, 2), Some(Color32::GRAY));
        assert_eq!(texture.pixel(4, 2), None);
        assert!(store.get(TextureId::Managed(8)).is_none());

        delta.free(id);
        store.apply_and_clear(&mut delta);
        assert!(store.get(id).is_none(), "freed");
    }
}
