//! The project's CPU rasterizer for egui's tessellated output.
//!
//! Export and image-snapshot tests draw with this instead of a GPU, so the
//! picture must come out the way egui's own renderers (`egui_glow`,
//! `egui-wgpu`) would draw the same [`ClippedPrimitive`]s. What they do, and
//! what this module does to match:
//!
//! - **Premultiplied alpha, blended in gamma space.** `egui_glow` sets
//!   `blend_func_separate(ONE, ONE_MINUS_SRC_ALPHA, ONE_MINUS_DST_ALPHA, ONE)`
//!   and disables `FRAMEBUFFER_SRGB` (egui-wgpu uses the same blend state), so
//!   every channel is `dst = src + dst * (1 - src.a)` on the sRGB-encoded
//!   bytes (for alpha, `src.a * (1 - dst.a) + dst.a` is the same value). The
//!   result is rounded to the nearest byte, like a GPU's unorm8 conversion.
//! - **Vertex colour times texture, in gamma space.** The vertex shader passes
//!   `a_srgba / 255.0` through untouched; the fragment shader computes
//!   `v_rgba_in_gamma * texture2D(u_sampler, v_tc)` ("the only way to get text
//!   to look right"). Both factors are premultiplied, so the product is too.
//! - **Textures are sampled as plain (gamma-encoded) bytes.** `egui_glow`
//!   uploads every texture as `RGBA8` with `srgb_textures = false` ("egui wants
//!   normal sRGB-unaware textures"), so the GPU filters the raw premultiplied
//!   bytes / 255 without any sRGB decoding; we do exactly that. The font atlas
//!   is no exception: since epaint 0.37 it is an `ImageData::Color` of
//!   premultiplied white (`Color32::from_white_alpha(coverage)`) uploaded the
//!   same way, with [`TextureOptions::LINEAR`].
//! - **Filtering follows egui-wgpu's `predictable_texture_filtering`** (the
//!   mode `egui_kittest` snapshots use): bilinear is four taps at texel centres
//!   (`uv * size - 0.5`), each wrapped by the texture's wrap mode, mixed in x
//!   then y; nearest picks `floor(uv * size)`. As in that mode, the filter is
//!   chosen by `options.magnification`, and mipmaps are not used. Hardware
//!   samplers differ from this only in sub-byte filtering precision.
//! - **No dithering.** egui's renderers dither by default; their predictable
//!   (snapshot) options turn it off, and so do we: output is deterministic.
//! - **Scissor = clip rect in pixels, rounded** exactly like `egui_glow`'s
//!   `set_clip_rect`: `(clip_rect * pixels_per_point).round()` per side.
//! - **Rasterization like a GPU without MSAA** (egui anti-aliases with feathered
//!   geometry): positions snapped to 1/256 pixel, a pixel is covered when its
//!   centre is inside the triangle, and the top-left fill rule decides centres
//!   exactly on an edge, so two triangles sharing an edge never both draw a
//!   pixel (no double-blended seams in translucent feathering). Either winding
//!   is drawn (egui emits both; its renderers disable culling).
//! - **Missing textures:** a mesh whose texture is not in the [`TextureStore`]
//!   is skipped, as `egui_glow` does ("Failed to find texture"), rather than
//!   drawn with a made-up texel. [`Primitive::Callback`] is skipped too.
//!
//! Coverage uses exact integer edge functions; each row's covered span is
//! walked down from them exactly, so long thin slivers (epaint's feathering)
//! cost their area, not their bounding box. Colours and texture coordinates
//! are plane equations evaluated at pixel centres, independent of where a band
//! or span starts, so rendering in bands gives the same bytes as one pass.
//! Three shapes of triangles are drawn whole rather than one by one, because
//! a row then needs one span where it needed several: a fill's fan (epaint
//! fills every path as a fan from its first point) with one colour, as one
//! convex polygon, with exactly the triangles' pixels; two triangles
//! making an upright rectangle (a glyph), shaded by the first triangle's
//! plane, which is the second's up to rounding (one level, rarely); and two
//! triangles making a quadrilateral with two vertical sides of one colour
//! each (the feathering down a card's side or a grid line), whose rows
//! between its slanted ends are one span each with the same colours, worked
//! out once (the rows its ends cross are drawn as its triangles). And a
//! triangle only a few pixels wide (epaint's feathering down a side or
//! around a rounded corner) tests its pixel centres directly instead of
//! setting up the walk. One under four pixels each way with a single
//! texture sample (the feathering around rounded corners: the same few
//! shapes at every card's corners) is drawn from stamps (`stamps.rs`),
//! which remember such triangles' pixels by shape and colour; its colours
//! come from its snapped corners, within a level of the exact ones but in
//! slivers under a pixel thick. A mesh its caller marks as a sprite
//! ([`Bins::with_sprites`]: the export's cards) is drawn once onto a clear
//! image and blended over the output from there wherever the same mesh
//! comes again (the caller can say so, where it repeats a mesh, or it is
//! found by comparing meshes).
//! Bytes are rounded to nearest; a constant translucent colour (most fills)
//! blends in 8.8 fixed point, within 1/100 of a level of the float result.
//! Other blending works on a pixel's four channels at once with SSE2 on
//! x86-64, giving the bytes of the channel-by-channel definition.
//! Spans whose pixel centres land exactly on texel centres of one texture row
//! (epaint's text: glyphs rasterized at the output scale, placed on whole
//! pixels) read the texels directly: that is what bilinear (or nearest)
//! filtering gives there, offsets under 1e-4 texel being treated as none.
//! A glyph (two triangles, an upright rectangle of one colour on whole
//! pixels) is found once, when the triangles are sorted into bands, and
//! drawn in each band it crosses as its block of texels.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use egui::epaint::{ImageDelta, Primitive, Vertex};
use egui::{
    ClippedPrimitive, Color32, ImageData, Rect, TextureFilter, TextureId, TextureOptions,
    TextureWrapMode, TexturesDelta,
};

mod sprites;
mod stamps;
use sprites::Sprites;
use stamps::Stamps;

/// Sub-pixel precision of snapped vertex positions (8 bits, like GPUs).
const SUBPIXEL: i64 = 256;
/// Half a pixel in sub-pixel units: pixel centres sit at `x * SUBPIXEL + HALF`.
const HALF: i64 = SUBPIXEL / 2;
/// Triangles reaching further than this many pixels from the origin are first
/// clipped to this square, which keeps every edge function inside `i64`.
const GUARD_PX: f64 = 2_097_152.0; // 2^21
/// Pixel columns and rows beyond the guard band are never drawn.
const GUARD_PX_INT: i64 = 2_097_152;
/// `1 / 255`: multiplying is much faster than dividing in the pixel loops.
const INV_255: f32 = 1.0 / 255.0;

// ----------------------------------------------------------------------------
// Pixmap

/// An RGBA8 image with premultiplied alpha, row-major, top row first: the
/// render target of [`rasterize`].
#[derive(Clone, PartialEq, Eq)]
pub struct Pixmap {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Premultiplied RGBA8, row-major, `width * height * 4` bytes.
    data: Vec<u8>,
}

impl Pixmap {
    /// A fully transparent pixmap.
    ///
    /// # Panics
    /// If the memory cannot be allocated; use [`Self::try_new`] for sizes that
    /// come from the user.
    pub fn new(width: u32, height: u32) -> Self {
        let len = byte_len(width, height).unwrap_or(usize::MAX);
        Self {
            width,
            height,
            data: vec![0; len],
        }
    }

    /// A fully transparent pixmap, or `None` if its size overflows or the
    /// memory cannot be allocated.
    pub fn try_new(width: u32, height: u32) -> Option<Self> {
        let len = byte_len(width, height)?;
        let mut data = Vec::new();
        data.try_reserve_exact(len).ok()?;
        data.resize(len, 0);
        Some(Self {
            width,
            height,
            data,
        })
    }

    /// Makes this a `width` x `height` pixmap, keeping its memory: a band
    /// buffer reused for a band of another height costs no fresh pages.
    /// The pixels are left unspecified (whatever was there, or transparent).
    ///
    /// # Panics
    /// If more memory is needed and cannot be allocated, like [`Self::new`].
    pub fn reshape(&mut self, width: u32, height: u32) {
        let len = byte_len(width, height).unwrap_or(usize::MAX);
        self.data.resize(len, 0);
        self.width = width;
        self.height = height;
    }

    /// Set every pixel to `color` (premultiplied, like every [`Color32`]).
    pub fn fill(&mut self, color: Color32) {
        let (pixels, _) = self.data.as_chunks_mut::<4>();
        pixels.fill(color.to_array());
    }

    /// Fills with `color` all but the pixels in columns `columns` of rows
    /// `rows`: they are about to be painted over by something opaque.
    pub fn fill_around(&mut self, color: Color32, columns: Range<u32>, rows: Range<u32>) {
        let rgba = color.to_array();
        let width = self.width as usize;
        if width == 0 {
            return;
        }
        let (x0, x1) = (
            (columns.start as usize).min(width),
            (columns.end as usize).clamp(columns.start as usize, width),
        );
        for (y, row) in self.data.chunks_exact_mut(width * 4).enumerate() {
            let (pixels, _) = row.as_chunks_mut::<4>();
            if rows.contains(&(y as u32)) {
                let (left, rest) = pixels.split_at_mut(x0);
                left.fill(rgba);
                rest.get_mut(x1 - x0..).unwrap_or_default().fill(rgba);
            } else {
                pixels.fill(rgba);
            }
        }
    }

    /// The premultiplied colour at (`x`, `y`), or `None` outside the image.
    pub fn pixel(&self, x: u32, y: u32) -> Option<Color32> {
        if x >= self.width || y >= self.height {
            return None;
        }
        let index = (y as usize)
            .checked_mul(self.width as usize)?
            .checked_add(x as usize)?
            .checked_mul(4)?;
        match self.data.get(index..index.checked_add(4)?)? {
            &[r, g, b, a] => Some(Color32::from_rgba_premultiplied(r, g, b, a)),
            _ => None,
        }
    }

    /// The premultiplied RGBA8 bytes, row-major, top row first.
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// The premultiplied RGBA8 bytes, mutable (e.g. to copy a rendered band
    /// into a taller image). The length cannot change.
    pub fn data_mut(&mut self) -> &mut [u8] {
        &mut self.data
    }

    /// The image as straight-alpha RGBA8 (what PNG stores).
    ///
    /// Each colour channel becomes `round(c * 255 / a)` (at most 255). Fully
    /// transparent pixels become `[0, 0, 0, 0]`: premultiplied "additive" colour
    /// with zero alpha has no straight-alpha equivalent.
    pub fn to_unmultiplied_rgba(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.unmultiply_into(&mut out);
        out
    }

    /// Whether every pixel is fully opaque.
    pub fn is_opaque(&self) -> bool {
        // AND-ing a block of whole pixels as words without stopping early
        // vectorizes; stopping per pixel, or picking out the alpha bytes,
        // does not, and this runs on every exported band.
        self.data.chunks(1024).all(|block| {
            let (pixels, _) = block.as_chunks::<4>();
            let all = (pixels.iter()).fold(u32::MAX, |all, p| all & u32::from_ne_bytes(*p));
            let [_, _, _, alpha] = all.to_ne_bytes();
            alpha == 255
        })
    }

    /// The pixels as straight-alpha RGBA bytes, as PNG wants them: this
    /// pixmap's own bytes when it is opaque (a white or theme background;
    /// there is nothing to unmultiply), else unmultiplied into `scratch`.
    pub fn straight_alpha<'a>(&'a self, scratch: &'a mut Vec<u8>) -> &'a [u8] {
        if self.is_opaque() {
            &self.data
        } else {
            self.unmultiply_into(scratch);
            scratch
        }
    }

    /// [`Self::to_unmultiplied_rgba`] into a reused buffer (replacing its
    /// contents), so a banded export allocates once.
    pub fn unmultiply_into(&self, out: &mut Vec<u8>) {
        out.clear();
        out.extend_from_slice(&self.data);
        let (pixels, _) = out.as_chunks_mut::<4>();
        for pixel in pixels {
            // Opaque pixels (most of a map) are already straight.
            if let [r, g, b, a @ 0..=254] = pixel {
                let a = *a;
                *r = unmultiply(*r, a);
                *g = unmultiply(*g, a);
                *b = unmultiply(*b, a);
            }
        }
    }
}

impl fmt::Debug for Pixmap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pixmap")
            .field("width", &self.width)
            .field("height", &self.height)
            .finish_non_exhaustive()
    }
}

fn byte_len(width: u32, height: u32) -> Option<usize> {
    (width as usize)
        .checked_mul(height as usize)?
        .checked_mul(4)
}

/// One premultiplied channel to straight alpha, rounded to nearest.
fn unmultiply(channel: u8, alpha: u8) -> u8 {
    match alpha {
        0 => 0,
        255 => channel,
        a => {
            let (c, a) = (u32::from(channel), u32::from(a));
            ((c * 255 + a / 2) / a).min(255) as u8
        }
    }
}

// ----------------------------------------------------------------------------
// Textures

/// One texture as the renderer holds it: premultiplied [`Color32`] texels,
/// row-major, plus the sampling options egui gave it.
#[derive(Clone, PartialEq)]
pub struct Texture {
    width: usize,
    height: usize,
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

    /// Texel at a wrapped (in-range) index as `0..=255` floats.
    #[inline]
    fn texel(&self, index: usize) -> [f32; 4] {
        self.pixels
            .get(index)
            .map_or([0.0; 4], |c| map4(c.to_array(), f32::from))
    }

    /// The texels under a span of `len` pixels whose centres map exactly
    /// (within `tolerance` texel, see [`aligned_tolerance`]) onto
    /// consecutive texel centres of one row, starting at texel-space
    /// position (`u`, `v`) and stepping (`du`, `dv`) per pixel; `None`
    /// otherwise. Text drawn by epaint is like this: glyphs are rasterized
    /// at the output scale and placed on whole pixels.
    #[inline]
    fn aligned_row(
        &self,
        [u, du]: [f32; 2],
        [v, dv]: [f32; 2],
        len: usize,
        tolerance: f32,
    ) -> Option<&[Color32]> {
        if !aligned_steps(du, dv, len, tolerance) {
            return None;
        }
        let (ix, iy) = texel_near([u, v], tolerance)?;
        let x = usize::try_from(ix).ok()?;
        let y = usize::try_from(iy).ok()?;
        if y >= self.height || x.checked_add(len)? > self.width {
            return None;
        }
        let start = y * self.width + x;
        self.pixels.get(start..start + len)
    }

    /// [`Self::aligned_row`] for `rows` rows at once, from the texel-space
    /// positions of the first row's start (`first`) and the last row's
    /// (`last`): where both are within `tolerance` of texel centres in one
    /// column, `rows - 1` texel rows apart, the index of the first row's
    /// first texel (each row then starts a texture row further on). The
    /// positions between are affine in the row, so their distances from
    /// the texel centres are too: every row is within `tolerance`, as
    /// [`Self::aligned_row`] would find row by row.
    fn block_from(
        &self,
        first: [f32; 2],
        last: [f32; 2],
        rows: usize,
        len: usize,
        tolerance: f32,
    ) -> Option<usize> {
        let (x0, y0) = texel_near(first, tolerance)?;
        let (x1, y1) = texel_near(last, tolerance)?;
        let (x, y) = (usize::try_from(x0).ok()?, usize::try_from(y0).ok()?);
        let down = i64::try_from(rows.checked_sub(1)?).ok()?;
        let whole = x1 == x0
            && y1 == y0.checked_add(down)?
            && y.checked_add(rows)? <= self.height
            && x.checked_add(len)? <= self.width;
        whole.then_some(y * self.width + x)
    }

    /// Sample at texel-space position (`u * width`, `v * height`), as
    /// premultiplied `0..=255` floats.
    #[inline]
    fn sample(&self, tx: f32, ty: f32) -> [f32; 4] {
        let (w, h) = (self.width as i64, self.height as i64);
        let wrap = self.options.wrap_mode;
        if self.options.magnification == TextureFilter::Nearest {
            let x = wrap_coord(floor_to_texel(tx), w, wrap);
            let y = wrap_coord(floor_to_texel(ty), h, wrap);
            return self.texel(y as usize * self.width + x as usize);
        }
        let (px, py) = (tx - 0.5, ty - 0.5);
        let (ix, iy) = (floor_to_texel(px), floor_to_texel(py));
        let (ax, ay) = (px - ix as f32, py - iy as f32);
        let (x0, x1, y0, y1) = if wrap == TextureWrapMode::ClampToEdge {
            (
                ix.clamp(0, w - 1),
                (ix + 1).clamp(0, w - 1),
                iy.clamp(0, h - 1),
                (iy + 1).clamp(0, h - 1),
            )
        } else {
            (
                wrap_coord(ix, w, wrap),
                wrap_coord(ix + 1, w, wrap),
                wrap_coord(iy, h, wrap),
                wrap_coord(iy + 1, h, wrap),
            )
        };
        let (row0, row1) = (y0 as usize * self.width, y1 as usize * self.width);
        let (x0, x1) = (x0 as usize, x1 as usize);
        let pair = |row: usize| {
            if x1 == x0 + 1 {
                // Usual case: neighbours in one row, one bounds check.
                if let Some(&[a, b]) = self.pixels.get(row + x0..row + x0 + 2) {
                    return (map4(a.to_array(), f32::from), map4(b.to_array(), f32::from));
                }
            }
            (self.texel(row + x0), self.texel(row + x1))
        };
        let ((tl, tr), (bl, br)) = (pair(row0), pair(row1));
        lerp4(lerp4(tl, tr, ax), lerp4(bl, br, ax), ay)
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

/// `array.map(f)` for three elements, which the optimizer reliably inlines
/// (`<[T; N]>::map` with a large closure it may not, in hot loops).
#[inline]
fn map3<T, U>([a, b, c]: [T; 3], mut f: impl FnMut(T) -> U) -> [U; 3] {
    [f(a), f(b), f(c)]
}

/// [`map3`] for four elements.
#[inline]
fn map4<T, U>([a, b, c, d]: [T; 4], mut f: impl FnMut(T) -> U) -> [U; 4] {
    [f(a), f(b), f(c), f(d)]
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

/// How far (in texels) a pixel centre may be from a texel centre, over a
/// whole span, and still be read as that texel, near the origin.
const ALIGNED: f32 = 1.0e-4;

/// How far (in texels) a pixel centre of a shape whose vertices are at
/// most `extent` pixels from the origin may be from a texel centre, at the
/// start of a span or by drifting along it, and still be read as that
/// texel.
///
/// epaint places glyphs on whole pixels, but in points held as `f32`: each
/// vertex is off its pixel by up to half a unit in the last place, 2^-24
/// of its value. At a scale of 2 or 4 that error is zero, but at 3 a glyph
/// 35,000 points from the left edge is up to 0.006 pixel off, and its span
/// drifts by as much again from its other corner. Read as a bilinear
/// sample, such a glyph blends in up to 1.3% of its neighbouring texels,
/// which no one can see, and sampling every glyph of a wide map made it
/// take twice as long to draw at 3x as it would have. Within this
/// tolerance a glyph is read as the texels egui placed.
#[inline]
fn aligned_tolerance(extent: f64) -> f32 {
    /// Two vertices' rounding, 2^-24 of the position each.
    const ROUNDING: f64 = 1.0 / 8_388_608.0;
    (f64::from(ALIGNED) + extent.abs() * ROUNDING) as f32
}

/// Whether steps of (`du`, `dv`) texels per pixel stay within `tolerance`
/// of one texel along x over `len` pixels.
#[inline]
fn aligned_steps(du: f32, dv: f32, len: usize, tolerance: f32) -> bool {
    let drift = len as f32;
    (du - 1.0).abs() * drift <= tolerance && dv.abs() * drift <= tolerance
}

/// The texel whose centre texel-space position (`u`, `v`) is within
/// `tolerance` of, if any.
#[inline]
fn texel_near([u, v]: [f32; 2], tolerance: f32) -> Option<(i64, i64)> {
    let (tx, ty) = (u - 0.5, v - 0.5);
    let (ix, iy) = (floor_to_texel(tx + 0.5), floor_to_texel(ty + 0.5));
    let near = (tx - ix as f32).abs() <= tolerance && (ty - iy as f32).abs() <= tolerance;
    near.then_some((ix, iy))
}

/// `floor(v)` as a texel coordinate; huge or NaN values stay far outside the
/// texture without overflowing later arithmetic. (Inline: without SSE4.1,
/// `f32::floor` is a library call.)
#[inline]
fn floor_to_texel(v: f32) -> i64 {
    let v = v.clamp(-1.0e9, 1.0e9);
    let t = v as i64;
    if t as f32 > v { t - 1 } else { t }
}

/// Map a texel coordinate into `0..n` by the wrap mode (as egui-wgpu's shader).
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

    /// Apply egui's texture changes: every set (whole images and partial
    /// updates at [`ImageDelta::pos`], in order), then every free.
    ///
    /// egui frees textures "after painting"; applying the frees here means a
    /// texture freed in the same frame that still draws it is not drawn.
    ///
    /// `delta` is not emptied, and egui panics (in debug builds) when a
    /// non-empty [`TexturesDelta`] is dropped: call `delta.clear()` afterwards,
    /// or use [`Self::apply_and_clear`].
    pub fn apply(&mut self, delta: &TexturesDelta) {
        for (&id, image_deltas) in &delta.set {
            for image_delta in image_deltas {
                self.set(id, image_delta);
            }
        }
        for id in &delta.free {
            self.free(*id);
        }
    }

    /// [`Self::apply`], then clear `delta` so it can be dropped.
    pub fn apply_and_clear(&mut self, delta: &mut TexturesDelta) {
        self.apply(delta);
        delta.clear();
    }

    /// Apply one image delta: a whole texture (`pos: None`) replaces `id`; a
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
            self.textures.insert(
                id,
                Arc::new(Texture {
                    width,
                    height,
                    pixels: image.pixels.clone(),
                    options: delta.options,
                }),
            );
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

    /// Forget texture `id`.
    pub fn free(&mut self, id: TextureId) {
        self.textures.remove(&id);
    }

    /// The texture `id`, if egui has set it.
    pub fn get(&self, id: TextureId) -> Option<&Texture> {
        self.textures.get(&id).map(|texture| &**texture)
    }

    /// How many textures are held.
    pub fn len(&self) -> usize {
        self.textures.len()
    }

    /// Whether no texture is held.
    pub fn is_empty(&self) -> bool {
        self.textures.is_empty()
    }
}

// ----------------------------------------------------------------------------
// Rasterization

/// Draw egui's tessellated output into `target`, blending over what is there.
///
/// Vertex positions and clip rects are in points and are scaled by
/// `pixels_per_point`. Output pixel (x, y) covers `[x, x+1) x [y, y+1)` in
/// pixel space and is sampled at its centre. Row 0 of `target` is output row
/// `band.start`; only rows `band.start..band.end` (at most `target.height` of
/// them) are drawn, so a tall image can be rendered in horizontal bands with
/// identical results to one pass.
///
/// Meshes whose texture is not in `textures` are skipped, as are paint
/// callbacks and invalid indices. See the [module docs](self) for how this
/// matches egui's GPU renderers.
pub fn rasterize(
    primitives: &[ClippedPrimitive],
    textures: &TextureStore,
    pixels_per_point: f32,
    target: &mut Pixmap,
    band: Range<u32>,
) {
    // One bin of all the rows: the same drawing as an export's bands.
    let rows = band.end.saturating_sub(band.start);
    let bins = Bins::new(primitives, textures, pixels_per_point, band, rows);
    rasterize_bin(
        primitives,
        &bins,
        0,
        textures,
        pixels_per_point,
        target,
        &mut DrawCache::default(),
    );
}

/// Whether `mesh` (in points from a whole pixel) is small enough to be
/// drawn as a sprite at `pixels_per_point` (see [`Bins::with_sprites`]).
pub fn fits_sprite(mesh: &egui::epaint::Mesh, pixels_per_point: f32) -> bool {
    sprites::placement(mesh, f64::from(pixels_per_point)).is_some()
}

/// What a drawing thread keeps from one band to the next: the pixels of
/// small triangles and of sprites (see [`Bins::with_sprites`]). Any cache
/// gives the same pixels; a warm one is faster.
#[derive(Debug, Default)]
pub struct DrawCache {
    stamps: Stamps,
    sprites: Sprites,
}

#[cfg(test)]
impl From<Stamps> for DrawCache {
    fn from(stamps: Stamps) -> Self {
        Self {
            stamps,
            sprites: Sprites::default(),
        }
    }
}

/// The entry of a bin that stands for a whole primitive drawn as a sprite.
/// No triangle starts there: triangles start at multiples of three.
const SPRITE_ENTRY: u32 = u32::MAX - 1;

/// The primitive of a bin's entry that stands for a [`Glyph`], whose index
/// among the bins' glyphs is the entry's second number. No primitive has
/// it: there are fewer than `u32::MAX` of them.
const GLYPH_ENTRY: u32 = u32::MAX;

/// Two triangles of a mesh that are a glyph, as epaint lays out text: an
/// upright rectangle of one colour whose texels lie one to one on its
/// pixels (see [`RectPair::glyph_texels`]). Found once when the triangles
/// are binned, and drawn in each band it crosses as the block of texels
/// it is, without looking at its triangles again.
#[derive(Clone, Copy, Debug)]
struct Glyph {
    /// The primitive it belongs to (its clip rect and texture).
    primitive: u32,
    /// The pixels whose centres are in it, within the guard band.
    pixels: PixelBox,
    /// The index of the texel under its first pixel.
    start: usize,
    color: Color32,
}

impl Glyph {
    /// The triangles from index `first` of `mesh` (with `texture`), if
    /// they are a glyph covering some pixel at `ppp`.
    fn find(
        mesh: &egui::epaint::Mesh,
        first: u32,
        primitive: u32,
        texture: &Texture,
        ppp: f64,
    ) -> Option<Self> {
        if !has_vertical_side(mesh, first) {
            return None;
        }
        let pair = TrianglePair::find(mesh, first)?;
        let rect = RectPair::find(&pair)?;
        let ([x_lo, y_lo], [x_hi, y_hi]) = rect.pixel_span(ppp)?;
        let pixels = PixelBox {
            x_lo,
            x_hi,
            y_lo,
            y_hi,
        };
        if x_lo > x_hi || y_lo > y_hi {
            return None;
        }
        let start = rect.glyph_texels(texture, ppp, &pixels)?;
        let [a, _] = rect.diagonal;
        Some(Self {
            primitive,
            pixels,
            start,
            color: a.color,
        })
    }

    /// Draws it within `scissor`, from `texture` (the one it was found
    /// with): the pixels [`fill_rect`] gives its triangles.
    fn draw(&self, frame: &mut Frame<'_>, scissor: &Scissor, texture: &Texture) {
        let PixelBox {
            x_lo,
            x_hi,
            y_lo,
            y_hi,
        } = self.pixels;
        let Some(clip) = PixelBox::clipped([x_lo, y_lo], [x_hi, y_hi], scissor) else {
            return;
        };
        // Within the glyph: one texel further for each pixel across, one
        // texture row for each pixel down.
        let (Ok(down), Ok(across)) = (
            usize::try_from(clip.y_lo - y_lo),
            usize::try_from(clip.x_lo - x_lo),
        ) else {
            return;
        };
        let start = self.start + down * texture.width + across;
        blend_block(
            frame,
            clip.y_lo..clip.y_hi + 1,
            clip.x_lo..clip.x_hi + 1,
            texture,
            start,
            unit_color(self.color.to_array()),
        );
    }
}

/// Adds `entry` to each of `bins` (of `per` rows, the first at row 0) that
/// rows `top..=bottom` cross.
fn push_rows(bins: &mut [Vec<(u32, u32)>], top: i64, bottom: i64, per: i64, entry: (u32, u32)) {
    let first = top.div_euclid(per).max(0);
    let end = (bottom.div_euclid(per) + 1).clamp(0, bins.len() as i64);
    for bin in bins.iter_mut().take(end as usize).skip(first as usize) {
        bin.push(entry);
    }
}

/// A primitive drawn as a sprite (see [`Bins::with_sprites`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpriteAt {
    /// The primitive whose place in the drawing order the sprite takes,
    /// and whose clip rect it is drawn within.
    pub primitive: usize,
    /// The primitive whose mesh is drawn: `primitive` itself, or an
    /// earlier one when the mesh repeats (`primitive`'s own mesh, an empty
    /// one, is then not drawn). One mesh drawn at many anchors is one
    /// sprite, found without comparing meshes.
    pub mesh: usize,
    /// The output pixel the mesh is in points from.
    pub anchor: [i64; 2],
}

/// Sets each [`Bins`] apart from every other, for a thread's sprites to
/// remember which of its meshes they have found.
static NEXT_BINS: AtomicU64 = AtomicU64::new(0);

/// Triangles sorted into horizontal bins of output rows, each bin in drawing
/// order, so a tall picture drawn band by band visits a triangle only in the
/// bands it can touch instead of testing every triangle for every band. A
/// sprite is one entry, in the bins it touches.
#[derive(Debug)]
pub struct Bins {
    /// Unlike any other `Bins`'.
    id: u64,
    rows: Range<u32>,
    rows_per_bin: u32,
    /// `(primitive, first index of the triangle)` per bin, or
    /// `(primitive, SPRITE_ENTRY)` for a sprite.
    triangles: Vec<Vec<(u32, u32)>>,
    /// Each primitive drawn as a sprite, by primitive.
    sprites: Vec<Option<sprites::Placed>>,
    /// The glyphs found, by the second number of their entries.
    glyphs: Vec<Glyph>,
}

impl Bins {
    /// Sorts the triangles of `primitives` into bins of `rows_per_bin`
    /// output rows covering `rows`. `textures` are those they will be drawn
    /// with (glyphs are set up here, see [`Glyph`]).
    pub fn new(
        primitives: &[ClippedPrimitive],
        textures: &TextureStore,
        pixels_per_point: f32,
        rows: Range<u32>,
        rows_per_bin: u32,
    ) -> Self {
        Self::with_sprites(
            primitives,
            &[],
            textures,
            pixels_per_point,
            rows,
            rows_per_bin,
        )
    }

    /// [`Bins::new`], with some primitives drawn as sprites: `sprites`
    /// lists them, each with its mesh and its anchor, a pixel of the
    /// output. The mesh is in points from the anchor (a vertex at `p` is at
    /// output pixel `anchor + p * pixels_per_point`) and is drawn onto an
    /// image of its own, which is remembered by its mesh and blended over
    /// the output: a mesh repeated across a picture (a card) is drawn once.
    /// Within a level of drawing it in place, where translucent triangles
    /// overlap; the same pixels in any band, whether remembered or not.
    pub fn with_sprites(
        primitives: &[ClippedPrimitive],
        sprites: &[SpriteAt],
        textures: &TextureStore,
        pixels_per_point: f32,
        rows: Range<u32>,
        rows_per_bin: u32,
    ) -> Self {
        let ppp = f64::from(pixels_per_point);
        let mut placed = Vec::new();
        if !sprites.is_empty() {
            placed.resize(primitives.len(), None);
            // Where each mesh lies and its hash, worked out once however
            // often it is drawn.
            let mut looks = vec![None; primitives.len()];
            for sprite in sprites {
                let mesh =
                    primitives
                        .get(sprite.mesh)
                        .and_then(|clipped| match &clipped.primitive {
                            Primitive::Mesh(mesh) => Some(mesh),
                            Primitive::Callback(_) => None,
                        });
                if let (Some(slot), Some(look), Some(mesh)) = (
                    placed.get_mut(sprite.primitive),
                    looks.get_mut(sprite.mesh),
                    mesh,
                ) {
                    let look = *look.get_or_insert_with(|| sprites::Look::of(mesh, ppp));
                    *slot = Some(look.map(|look| sprites::Placed {
                        anchor: sprite.anchor,
                        mesh: sprite.mesh as u32,
                        look,
                    }));
                }
            }
        }
        let rows_per_bin = rows_per_bin.max(1);
        let count = rows.end.saturating_sub(rows.start).div_ceil(rows_per_bin) as usize;
        // Most triangles fall in one bin: room for an even share and a
        // quarter more saves growing (and copying) each bin many times.
        let triangles: usize = primitives
            .iter()
            .map(|clipped| match &clipped.primitive {
                Primitive::Mesh(mesh) => mesh.indices.len() / 3,
                Primitive::Callback(_) => 0,
            })
            .sum();
        let share = triangles / count.max(1);
        let mut bins: Vec<_> = (0..count)
            .map(|_| Vec::with_capacity(share + share / 4))
            .collect();
        let first_row = f64::from(rows.start);
        // A multiplication instead of a division per triangle: the row of
        // slack either side below absorbs its rounding.
        let per_row = 1.0 / f64::from(rows_per_bin);
        let last_bin = count as i64 - 1;
        let per_bin = i64::from(rows_per_bin);
        let mut glyphs = Vec::new();
        for (p, clipped) in primitives.iter().enumerate() {
            let Primitive::Mesh(mesh) = &clipped.primitive else {
                continue;
            };
            if let Some(&Some(placed)) = placed.get(p) {
                // Listed as a sprite but too large for one: its mesh is not
                // where it would be drawn in place, so it is not drawn.
                let Some(sprites::Placed { anchor, look, .. }) = placed else {
                    continue;
                };
                let place = look.place;
                let top = anchor[1] + place.from[1] - i64::from(rows.start);
                let bottom = top + i64::from(place.size[1]) - 1;
                push_rows(&mut bins, top, bottom, per_bin, (p as u32, SPRITE_ENTRY));
                continue;
            }
            let clip_top = f64::from(clipped.clip_rect.min.y) * ppp;
            let clip_bottom = f64::from(clipped.clip_rect.max.y) * ppp;
            let y =
                |index: u32| (mesh.vertices.get(index as usize)).map(|v| f64::from(v.pos.y) * ppp);
            let texture = textures.get(mesh.texture_id);
            let mut pair_ends = None;
            for (t, triangle) in mesh.indices.chunks_exact(3).enumerate() {
                if pair_ends.take() == Some(t) {
                    continue;
                }
                // Glyphs (most of the triangles of a map) are set up here
                // once, instead of in each band they cross.
                let glyph = texture
                    .zip(u32::try_from(p).ok())
                    .and_then(|(texture, p)| Glyph::find(mesh, (t * 3) as u32, p, texture, ppp));
                if let Some(glyph) = glyph {
                    pair_ends = Some(t + 1);
                    let top = glyph.pixels.y_lo - i64::from(rows.start);
                    let bottom = glyph.pixels.y_hi - i64::from(rows.start);
                    let entry = (GLYPH_ENTRY, glyphs.len() as u32);
                    push_rows(&mut bins, top, bottom, per_bin, entry);
                    glyphs.push(glyph);
                    continue;
                }
                // A triangle with a missing vertex is not drawn either.
                let &[i, j, k] = triangle else {
                    continue;
                };
                let (Some(a), Some(b), Some(c)) = (y(i), y(j), y(k)) else {
                    continue;
                };
                // A row is drawn when its pixel centre is covered; one row
                // of slack either side keeps rounding from losing any. Plain
                // comparisons (`f64::min` also checks for NaN): a NaN puts
                // the triangle in some bins or none, and drawing skips it
                // anyway.
                let lower = |p: f64, q: f64| if p < q { p } else { q };
                let higher = |p: f64, q: f64| if p > q { p } else { q };
                let lo = higher(lower(lower(a, b), c), clip_top) - 1.0;
                let hi = lower(higher(higher(a, b), c), clip_bottom) + 1.0;
                let first = floor_i64((lo - first_row) * per_row).max(0);
                let last = floor_i64((hi - first_row) * per_row).min(last_bin);
                if first > last {
                    continue;
                }
                let entry = (p as u32, (t * 3) as u32);
                for bin in bins.iter_mut().take(last as usize + 1).skip(first as usize) {
                    bin.push(entry);
                }
            }
        }
        Self {
            id: NEXT_BINS.fetch_add(1, Ordering::Relaxed),
            rows,
            rows_per_bin,
            triangles: bins,
            sprites: placed.into_iter().map(Option::flatten).collect(),
            glyphs,
        }
    }

    /// How many bins (bands) there are.
    pub fn len(&self) -> usize {
        self.triangles.len()
    }

    /// Whether there are no bins.
    pub fn is_empty(&self) -> bool {
        self.triangles.is_empty()
    }

    /// The output rows of bin `bin`.
    pub fn band(&self, bin: usize) -> Range<u32> {
        let start = self
            .rows
            .start
            .saturating_add((bin as u32).saturating_mul(self.rows_per_bin));
        start..start.saturating_add(self.rows_per_bin).min(self.rows.end)
    }
}

/// [`rasterize`] for the rows of one bin of `bins` (made from the same
/// `primitives` and `textures`), visiting only the triangles sorted into
/// it: drawing every bin gives the same pixels as one pass over all the
/// rows. `cache` holds pixels worked out by earlier calls, to be kept from
/// one band to the next (any [`DrawCache`] gives the same pixels; a warm
/// one is faster).
pub fn rasterize_bin(
    primitives: &[ClippedPrimitive],
    bins: &Bins,
    bin: usize,
    textures: &TextureStore,
    pixels_per_point: f32,
    target: &mut Pixmap,
    cache: &mut DrawCache,
) {
    let DrawCache { stamps, sprites } = cache;
    let Some(entries) = bins.triangles.get(bin) else {
        return;
    };
    sprites.use_bins(bins.id);
    let Some(mut frame) = Frame::new(target, bins.band(bin), pixels_per_point) else {
        return;
    };
    let ppp = f64::from(pixels_per_point);
    let mut texel_cache = TexelCache::default();
    let mut current = None;
    let mut at = 0;
    while let Some(&(p, first)) = entries.get(at) {
        at += 1;
        let glyph = match p {
            GLYPH_ENTRY => match bins.glyphs.get(first as usize) {
                Some(glyph) => Some(glyph),
                None => continue,
            },
            _ => None,
        };
        if glyph.is_none() && first == SPRITE_ENTRY {
            let placed = bins.sprites.get(p as usize).copied().flatten();
            let mesh = placed
                .and_then(|placed| primitives.get(placed.mesh as usize))
                .and_then(|clipped| match &clipped.primitive {
                    Primitive::Mesh(mesh) => Some(mesh),
                    Primitive::Callback(_) => None,
                });
            let scissor = primitives
                .get(p as usize)
                .and_then(|clipped| Scissor::new(clipped.clip_rect, pixels_per_point, &frame));
            if let (Some(placed), Some(mesh), Some(scissor)) = (placed, mesh, scissor) {
                sprites.draw(&mut frame, &scissor, mesh, &placed, ppp, textures);
            }
            continue;
        }
        let p = glyph.map_or(p, |glyph| glyph.primitive);
        if current.as_ref().is_none_or(|(at, _)| *at != p) {
            texel_cache.uv = None;
            let prepared = primitives
                .get(p as usize)
                .and_then(|clipped| prepare(clipped, textures, pixels_per_point, &frame));
            current = Some((p, prepared));
        }
        let Some((_, Some((mesh, texture, scissor)))) = &current else {
            continue;
        };
        if let Some(glyph) = glyph {
            glyph.draw(&mut frame, scissor, texture);
            continue;
        }
        // A fill's fan drawn as one polygon: one span per row instead of
        // one per triangle the row crosses (a rounded card's row crosses
        // a dozen of them).
        let mut pen = Pen {
            frame: &mut frame,
            scissor,
            texture,
            ppp,
            texel_cache: &mut texel_cache,
            stamps: &mut *stamps,
        };
        let fan = fan_len(mesh, entries.get(at - 1..).unwrap_or_default());
        if fan > 1 && fill_fan(&mut pen, mesh, first, fan) {
            at += fan - 1;
            continue;
        }
        // Two triangles making an upright rectangle (a glyph): one span
        // per row, no edges to walk. Or a quadrilateral with two vertical
        // sides (the feathering down a card's side, a vertical line): no
        // edges to walk between its ends.
        let pair = entries
            .get(at)
            .filter(|&&(q, second)| q == p && second == first + 3)
            .filter(|_| has_vertical_side(mesh, first))
            .and_then(|_| TrianglePair::find(mesh, first));
        if let Some(pair) = pair {
            if let Some(rect) = RectPair::find(&pair)
                && fill_rect(&mut pen, &rect)
            {
                at += 1;
                continue;
            }
            if let Some(quad) = VerticalQuad::find(&pair) {
                fill_vertical_quad(&mut pen, &quad);
                at += 1;
                continue;
            }
        }
        if let Some(triangle) = mesh.indices.get(first as usize..first as usize + 3) {
            draw_indexed(&mut pen, mesh, triangle);
        }
    }
}

/// Two consecutive triangles of a mesh that together are an upright
/// rectangle, split along a diagonal, with colours and texture coordinates
/// affine over it.
struct RectPair<'a> {
    /// The first triangle, whose shading the whole rectangle gets.
    triangle: [&'a Vertex; 3],
    /// Its two vertices at opposite corners (the diagonal), and the third.
    diagonal: [&'a Vertex; 2],
    corner: &'a Vertex,
    min: egui::Pos2,
    max: egui::Pos2,
}

/// Whether two vertices of the triangle from index `first` have the same x.
/// Each triangle of an upright rectangle or of a [`VerticalQuad`] has a
/// vertical side, and the feathering around rounded corners (most
/// triangles that are neither) has none: this cheap test spares those the
/// search for a pair.
#[inline]
fn has_vertical_side(mesh: &egui::epaint::Mesh, first: u32) -> bool {
    let first = first as usize;
    let Some(&[a, b, c]) = mesh.indices.get(first..first + 3) else {
        return false;
    };
    let x = |i: u32| mesh.vertices.get(i as usize).map(|v| v.pos.x.to_bits());
    let (a, b, c) = (x(a), x(b), x(c));
    a.is_some() && (a == b || b == c || c == a)
}

/// Two consecutive triangles of a mesh sharing an edge (their diagonal),
/// each with its own vertex on its side of it: a quadrilateral.
struct TrianglePair<'a> {
    /// The first triangle, in its index order.
    first: [&'a Vertex; 3],
    /// The second triangle, in its index order.
    second: [&'a Vertex; 3],
    /// The corners in order around the quadrilateral: an end of the
    /// diagonal, the first triangle's own vertex, the diagonal's other end,
    /// the second triangle's own vertex.
    corners: [&'a Vertex; 4],
}

impl<'a> TrianglePair<'a> {
    /// The triangles from index `first` and `first + 3`, if they share an edge.
    fn find(mesh: &'a egui::epaint::Mesh, first: u32) -> Option<Self> {
        let first = first as usize;
        let (one, two) = mesh.indices.get(first..first + 6)?.split_at(3);
        let own_one = one.iter().find(|i| !two.contains(i))?;
        let own_two = two.iter().find(|i| !one.contains(i))?;
        let mut shared = one.iter().filter(|i| two.contains(i));
        let (&d0, &d1) = (shared.next()?, shared.next()?);
        let vertex = |i: u32| mesh.vertices.get(i as usize);
        Some(Self {
            first: [
                vertex(*one.first()?)?,
                vertex(*one.get(1)?)?,
                vertex(*one.get(2)?)?,
            ],
            second: [
                vertex(*two.first()?)?,
                vertex(*two.get(1)?)?,
                vertex(*two.get(2)?)?,
            ],
            corners: [
                vertex(d0)?,
                vertex(*own_one)?,
                vertex(d1)?,
                vertex(*own_two)?,
            ],
        })
    }
}

impl<'a> RectPair<'a> {
    /// The pair, if it is an upright rectangle with affine shading.
    fn find(pair: &TrianglePair<'a>) -> Option<Self> {
        // `a`–`b` is the diagonal; `c` and `d` are the other two corners.
        let [a, c, b, d] = pair.corners;
        let corners = |c: &Vertex, d: &Vertex| {
            c.pos == egui::pos2(a.pos.x, b.pos.y) && d.pos == egui::pos2(b.pos.x, a.pos.y)
        };
        // Exact comparisons: the corners must be the very same coordinates.
        let differ = |p: f32, q: f32| p.to_bits() != q.to_bits();
        let upright = differ(a.pos.x, b.pos.x)
            && differ(a.pos.y, b.pos.y)
            && (corners(c, d) || corners(d, c));
        // Affine: both diagonals have the same midpoint value.
        let midpoint = |p: &Vertex, q: &Vertex| {
            let mut color = [0u16; 4];
            for ((sum, p), q) in color
                .iter_mut()
                .zip(p.color.to_array())
                .zip(q.color.to_array())
            {
                *sum = u16::from(p) + u16::from(q);
            }
            let uv = ((p.uv.x + q.uv.x).to_bits(), (p.uv.y + q.uv.y).to_bits());
            (color, uv)
        };
        let affine = midpoint(a, b) == midpoint(c, d);
        (upright && affine).then(|| Self {
            triangle: pair.first,
            diagonal: [a, b],
            corner: c,
            min: a.pos.min(b.pos),
            max: a.pos.max(b.pos),
        })
    }
}

/// A [`TrianglePair`] whose quadrilateral has two vertical sides, each
/// with one colour and one texture coordinate all along it: epaint's
/// feathering down a card's side or a vertical line, and a vertical line's
/// core. Every row between its two slanted ends crosses it in the same
/// pixels, shaded the same, so those rows need no edges walked.
struct VerticalQuad<'a> {
    /// The two triangles, as the mesh has them.
    triangles: [[&'a Vertex; 3]; 2],
    /// The sides' x, left then right (points).
    x: [f32; 2],
    /// The lower of the sides' tops and the higher of their bottoms
    /// (points): between them every row crosses both sides.
    y: [f32; 2],
}

impl<'a> VerticalQuad<'a> {
    /// The pair, if it is such a quadrilateral.
    fn find(pair: &TrianglePair<'a>) -> Option<Self> {
        let [d0, c, d1, d] = pair.corners;
        let same = |p: f32, q: f32| p.to_bits() == q.to_bits();
        // One colour and one texture coordinate down the whole side.
        let side = |p: &Vertex, q: &Vertex| {
            same(p.pos.x, q.pos.x)
                && p.color == q.color
                && same(p.uv.x, q.uv.x)
                && same(p.uv.y, q.uv.y)
        };
        // Sides `p`–`q` and `r`–`s`, the ends `q`–`r` and `s`–`p`: the ends
        // must join top to top and bottom to bottom, or the quadrilateral
        // crosses itself.
        let sides = |p: &Vertex, q: &Vertex, r: &Vertex, s: &Vertex| {
            (side(p, q) && side(r, s) && (q.pos.y < p.pos.y) == (r.pos.y < s.pos.y))
                .then_some([[p.pos, q.pos], [r.pos, s.pos]])
        };
        let [one, two] = sides(d0, c, d1, d).or_else(|| sides(c, d1, d, d0))?;
        let span = |[p, q]: [egui::Pos2; 2]| [p.y.min(q.y), p.y.max(q.y)];
        let ([top_one, bottom_one], [top_two, bottom_two]) = (span(one), span(two));
        let (x_one, x_two) = (one[0].x, two[0].x);
        let all_finite = [x_one, x_two, top_one, bottom_one, top_two, bottom_two]
            .iter()
            .all(|v| v.is_finite());
        let proper = top_one < bottom_one && top_two < bottom_two && !same(x_one, x_two);
        (all_finite && proper).then(|| Self {
            triangles: [pair.first, pair.second],
            x: [x_one.min(x_two), x_one.max(x_two)],
            y: [top_one.max(top_two), bottom_one.min(bottom_two)],
        })
    }
}

/// Draws a [`RectPair`]: the pixels whose centres are in the rectangle,
/// the top and left edges in and the bottom and right out, as the two
/// triangles' top-left rule gives. Their shading is the first triangle's
/// plane, the same function as the second's (which may round a value
/// differently by one level). Returns `false`, having drawn nothing, past
/// the guard band.
fn fill_rect(pen: &mut Pen<'_, '_>, rect: &RectPair<'_>) -> bool {
    let ppp = pen.ppp;
    let Some((first, last)) = rect.pixel_span(ppp) else {
        return false;
    };
    let Some(pixels) = PixelBox::clipped(first, last, pen.scissor) else {
        return true;
    };
    let (rows, columns) = (pixels.y_lo..pixels.y_hi + 1, pixels.x_lo..pixels.x_hi + 1);
    let points = pixel_points(rect.triangle, ppp);
    let shading = Shading::new(&points, rect.triangle, pen.texture, pen.texel_cache);
    shading.shade_rows(pen.frame, rows, columns, pen.texture);
    true
}

impl RectPair<'_> {
    /// The first and last pixels (x, y) whose centres are in the
    /// rectangle at `ppp` (on or after its start, before its end), or
    /// `None` past the guard band.
    fn pixel_span(&self, ppp: f64) -> Option<([i64; 2], [i64; 2])> {
        let [x0, y0, x1, y1] =
            [self.min.x, self.min.y, self.max.x, self.max.y].map(|c| f64::from(c) * ppp);
        if ![x0, y0, x1, y1].iter().all(|c| c.abs() <= GUARD_PX) {
            return None;
        }
        let first = |start: f64| ceil_div(snap(start) - HALF, SUBPIXEL);
        let last = |end: f64| floor_div(snap(end) - HALF - 1, SUBPIXEL);
        Some(([first(x0), first(y0)], [last(x1), last(y1)]))
    }

    /// Where the rectangle is a glyph (one colour, its texture coordinates
    /// along its sides, its texels one to one on its `pixels`, as epaint
    /// places text): the index of the texel under the first of them.
    ///
    /// The same texels as [`Shading::shade_rows`] finds through the first
    /// triangle's planes (within the same tolerance, worked out from the
    /// corners directly).
    fn glyph_texels(&self, texture: &Texture, ppp: f64, pixels: &PixelBox) -> Option<usize> {
        let [a, b] = self.diagonal;
        let c = self.corner;
        let same = |p: f32, q: f32| p.to_bits() == q.to_bits();
        // `c` shares its x with `a` or with `b`, and so must its u.
        let along_sides = if same(c.pos.x, a.pos.x) {
            same(c.uv.x, a.uv.x) && same(c.uv.y, b.uv.y)
        } else {
            same(c.uv.x, b.uv.x) && same(c.uv.y, a.uv.y)
        };
        if !(along_sides && a.color == b.color && a.color == c.color) {
            return None;
        }
        let [w, h] = [texture.width as f64, texture.height as f64];
        let [ax, ay, bx, by] = [a.pos.x, a.pos.y, b.pos.x, b.pos.y].map(|v| f64::from(v) * ppp);
        let [au, av] = [f64::from(a.uv.x) * w, f64::from(a.uv.y) * h];
        let [bu, bv] = [f64::from(b.uv.x) * w, f64::from(b.uv.y) * h];
        let (du, dv) = ((bu - au) / (bx - ax), (bv - av) / (by - ay));
        let width = usize::try_from(pixels.x_hi - pixels.x_lo + 1).ok()?;
        let rows = usize::try_from(pixels.y_hi - pixels.y_lo + 1).ok()?;
        let extent = [ax, ay, bx, by]
            .iter()
            .fold(0.0, |far: f64, c| far.max(c.abs()));
        let tolerance = aligned_tolerance(extent);
        if !aligned_steps(du as f32, 0.0, width, tolerance) {
            return None;
        }
        let centre = |p: i64| p as f64 + 0.5;
        let u = (au + (centre(pixels.x_lo) - ax) * du) as f32;
        let v = |y: i64| (av + (centre(y) - ay) * dv) as f32;
        texture.block_from(
            [u, v(pixels.y_lo)],
            [u, v(pixels.y_hi)],
            rows,
            width,
            tolerance,
        )
    }
}

/// Blends `src` times the texels of a block of `texture`, from texel
/// `start` on and one texture row further down for each row, over
/// `columns` of the rows `rows` of `frame`.
fn blend_block(
    frame: &mut Frame<'_>,
    rows: Range<i64>,
    columns: Range<i64>,
    texture: &Texture,
    start: usize,
    src: [f32; 4],
) {
    let width = usize::try_from(columns.end - columns.start).unwrap_or(0);
    for (k, y) in rows.enumerate() {
        let texels = texture
            .pixels
            .get(start + k * texture.width..)
            .and_then(|row| row.get(..width));
        if let (Some(span), Some(texels)) = (frame.span_mut(y, columns.start, columns.end), texels)
        {
            blend_texels(span.as_chunks_mut::<4>().0, texels, |_| src);
        }
    }
}

/// Draws a [`VerticalQuad`]: each row between its ends as one span,
/// shaded by the first triangle's plane (the same function as the
/// second's, which may round a value differently by one level), and the
/// rows its ends cross as its two triangles, clipped to those rows. The
/// coverage is the two triangles': the left side in, the right side out.
fn fill_vertical_quad(pen: &mut Pen<'_, '_>, quad: &VerticalQuad<'_>) {
    let ppp = pen.ppp;
    let [x0, x1] = quad.x.map(|v| f64::from(v) * ppp);
    let [y0, y1] = quad.y.map(|v| f64::from(v) * ppp);
    let scissor = *pen.scissor;
    // Rows whose centres are below both sides' tops and above both their
    // bottoms, so the ends are nowhere in them.
    let (middle_start, middle_end) = if [x0, x1, y0, y1].iter().all(|c| c.abs() <= GUARD_PX) {
        (
            (floor_div(snap(y0) - HALF, SUBPIXEL) + 1).max(scissor.y0),
            ceil_div(snap(y1) - HALF, SUBPIXEL).min(scissor.y1),
        )
    } else {
        (scissor.y1, scissor.y1)
    };
    if middle_start >= middle_end {
        for triangle in quad.triangles {
            draw_triangle(pen, triangle);
        }
        return;
    }
    for rows in [scissor.y0..middle_start, middle_end..scissor.y1] {
        if rows.is_empty() {
            continue;
        }
        let ends = Scissor {
            y0: rows.start,
            y1: rows.end,
            ..scissor
        };
        let mut pen = Pen {
            frame: &mut *pen.frame,
            scissor: &ends,
            texture: pen.texture,
            ppp,
            texel_cache: &mut *pen.texel_cache,
            stamps: &mut *pen.stamps,
        };
        for triangle in quad.triangles {
            draw_triangle(&mut pen, triangle);
        }
    }
    let first = ceil_div(snap(x0) - HALF, SUBPIXEL).max(scissor.x0);
    let end = (floor_div(snap(x1) - HALF - 1, SUBPIXEL) + 1).min(scissor.x1);
    if first >= end {
        return;
    }
    let [a, ..] = quad.triangles;
    let points = pixel_points(a, ppp);
    let shading = Shading::new(&points, a, pen.texture, pen.texel_cache);
    shading.shade_rows(pen.frame, middle_start..middle_end, first..end, pen.texture);
}

/// At most this many triangles of a fan are drawn as one polygon (longer
/// fans are drawn as several).
const MAX_FAN: usize = 62;

/// How many of `entries` (all of one mesh), from the first, are the
/// consecutive triangles of a fan with one colour and one texture
/// coordinate: `[pivot, a, b]`, `[pivot, b, c]`, `[pivot, c, d]`… That is how
/// epaint fills a path (every filled shape), and when the path is convex the
/// fan can be drawn as one polygon with the same pixels.
fn fan_len(mesh: &egui::epaint::Mesh, entries: &[(u32, u32)]) -> usize {
    let Some(&(p, first)) = entries.first() else {
        return 0;
    };
    let triangle = |first: u32| {
        let i = first as usize;
        match mesh.indices.get(i..i + 3) {
            Some(&[a, b, c]) => Some([a, b, c]),
            _ => None,
        }
    };
    let look = |index: u32| {
        mesh.vertices
            .get(index as usize)
            .map(|v| (v.color, v.uv.x.to_bits(), v.uv.y.to_bits()))
    };
    let Some([pivot, a, mut last]) = triangle(first) else {
        return 0;
    };
    let Some(common) = look(a) else {
        return 0;
    };
    if look(pivot) != Some(common) || look(last) != Some(common) {
        return 0;
    }
    let mut len = 1;
    for &(q, next) in entries.iter().skip(1).take(MAX_FAN - 1) {
        let follows = q == p && Some(next) == first.checked_add(3 * len as u32);
        let Some([b, c, d]) = triangle(next).filter(|_| follows) else {
            break;
        };
        if b != pivot || c != last || look(d) != Some(common) {
            break;
        }
        last = d;
        len += 1;
    }
    len
}

/// The mesh, its texture and its scissor, or `None` when nothing of the
/// primitive can be drawn.
fn prepare<'a>(
    clipped: &'a ClippedPrimitive,
    textures: &'a TextureStore,
    pixels_per_point: f32,
    frame: &Frame<'_>,
) -> Option<(&'a egui::epaint::Mesh, &'a Texture, Scissor)> {
    let Primitive::Mesh(mesh) = &clipped.primitive else {
        return None;
    };
    let texture = textures.get(mesh.texture_id)?;
    if texture.width == 0 || texture.height == 0 {
        return None;
    }
    let scissor = Scissor::new(clipped.clip_rect, pixels_per_point, frame)?;
    Some((mesh, texture, scissor))
}

/// Draws the triangle whose three indices are `triangle`.
#[inline]
fn draw_indexed(pen: &mut Pen<'_, '_>, mesh: &egui::epaint::Mesh, triangle: &[u32]) {
    let vertex = |i: usize| {
        triangle
            .get(i)
            .and_then(|&index| mesh.vertices.get(index as usize))
    };
    if let (Some(a), Some(b), Some(c)) = (vertex(0), vertex(1), vertex(2)) {
        draw_triangle(pen, [a, b, c]);
    }
}

/// What a primitive's triangles are drawn with: the band, the primitive's
/// scissor and texture, the scale, and the last texel sampled.
struct Pen<'p, 'f> {
    frame: &'p mut Frame<'f>,
    scissor: &'p Scissor,
    texture: &'p Texture,
    ppp: f64,
    texel_cache: &'p mut TexelCache,
    stamps: &'p mut Stamps,
}

/// The band of the target being drawn.
struct Frame<'a> {
    data: &'a mut [u8],
    /// Bytes per row.
    stride: usize,
    /// Output row of the first row in `data`.
    row0: i64,
    /// One past the last column drawn.
    x_end: i64,
    /// One past the last output row drawn.
    y_end: i64,
}

impl<'a> Frame<'a> {
    /// The rows `band` of `target` (row 0 of `target` is output row
    /// `band.start`), or `None` when nothing can be drawn.
    fn new(target: &'a mut Pixmap, band: Range<u32>, pixels_per_point: f32) -> Option<Self> {
        if !(pixels_per_point.is_finite() && pixels_per_point > 0.0) {
            return None;
        }
        let width = (target.width as usize).min(GUARD_PX_INT as usize);
        let stride = target.width as usize * 4;
        let rows_held = target.data.len().checked_div(stride).unwrap_or(0);
        let rows = u64::from(band.end.saturating_sub(band.start))
            .min(u64::from(target.height))
            .min(rows_held as u64);
        let row0 = i64::from(band.start);
        let frame = Frame {
            data: &mut target.data,
            stride,
            row0,
            x_end: width as i64,
            y_end: (row0 + rows as i64).min(GUARD_PX_INT),
        };
        (frame.x_end > 0 && frame.y_end > row0).then_some(frame)
    }

    /// Bytes of output row `y`, columns `x0..x1` (already clipped to the frame).
    #[inline]
    fn span_mut(&mut self, y: i64, x0: i64, x1: i64) -> Option<&mut [u8]> {
        let row = usize::try_from(y - self.row0).ok()?;
        let start = row * self.stride + usize::try_from(x0).ok()? * 4;
        let end = row * self.stride + usize::try_from(x1).ok()? * 4;
        self.data.get_mut(start..end)
    }
}

/// Pixels that may be drawn: the clip rect rounded like `egui_glow`'s
/// `set_clip_rect`, intersected with the frame. Half-open, in output pixels.
#[derive(Clone, Copy, Debug)]
struct Scissor {
    x0: i64,
    x1: i64,
    y0: i64,
    y1: i64,
}

impl Scissor {
    fn new(clip: Rect, pixels_per_point: f32, frame: &Frame<'_>) -> Option<Self> {
        // Same arithmetic as egui_glow: f32 multiply, then round.
        let round = |v: f32| (pixels_per_point * v).round() as i64;
        let scissor = Self {
            x0: round(clip.min.x).max(0),
            x1: round(clip.max.x).min(frame.x_end),
            y0: round(clip.min.y).max(frame.row0),
            y1: round(clip.max.y).min(frame.y_end),
        };
        (scissor.x0 < scissor.x1 && scissor.y0 < scissor.y1).then_some(scissor)
    }
}

type Point = [f64; 2];

/// A pixel-space coordinate snapped to the sub-pixel grid, as every shape's
/// vertices are before their coverage is decided.
#[inline]
fn snap(v: f64) -> i64 {
    floor_i64(v * SUBPIXEL as f64 + 0.5)
}

/// The vertices' positions in output pixels.
#[inline]
fn pixel_points(vertices: [&Vertex; 3], ppp: f64) -> [Point; 3] {
    map3(vertices, |v| {
        [f64::from(v.pos.x) * ppp, f64::from(v.pos.y) * ppp]
    })
}

fn draw_triangle(pen: &mut Pen<'_, '_>, vertices: [&Vertex; 3]) {
    let ppp = pen.ppp;
    let points = pixel_points(vertices, ppp);
    if points.iter().flatten().any(|c| !c.is_finite()) {
        return;
    }
    // Cheap rejection first: most triangles miss a band or a clip rect.
    let (mut min, mut max) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    for p in &points {
        for axis in 0..2 {
            if let (Some(lo), Some(hi), Some(&v)) =
                (min.get_mut(axis), max.get_mut(axis), p.get(axis))
            {
                *lo = lo.min(v);
                *hi = hi.max(v);
            }
        }
    }
    let [min_x, min_y] = min;
    let [max_x, max_y] = max;
    let outside = max_x < pen.scissor.x0 as f64
        || min_x > pen.scissor.x1 as f64
        || max_y < pen.scissor.y0 as f64
        || min_y > pen.scissor.y1 as f64;
    if outside {
        return;
    }
    // Most of epaint's feathering slivers and small corner fans cover no
    // pixel centre at all: skip them before the costly shading set-up. The
    // slack keeps this conservative against snapping to 1/256 pixel.
    let slack = 1.0 / SUBPIXEL as f64;
    let no_column = ceil_i64(min_x - 0.5 - slack) > floor_i64(max_x - 0.5 + slack);
    let no_row = ceil_i64(min_y - 0.5 - slack) > floor_i64(max_y - 0.5 + slack);
    if no_column || no_row {
        return;
    }

    let within_guard =
        min_x >= -GUARD_PX && max_x <= GUARD_PX && min_y >= -GUARD_PX && max_y <= GUARD_PX;
    if within_guard
        && max_x - min_x < stamps::STAMP_PX
        && max_y - min_y < stamps::STAMP_PX
        && same_uv(vertices)
    {
        let texel = pen.texel_cache.texel(pen.texture, vertices[0]);
        let min = [min_x, min_y];
        if (pen.stamps).draw(pen.frame, pen.scissor, points, min, vertices, texel) {
            return;
        }
    }
    // Shading is set up only when coverage finds a pixel: most of the
    // remaining slivers still cover none once the edges are tested exactly.
    let mut shading = LazyShading {
        points,
        vertices,
        cache: pen.texel_cache,
        shading: None,
    };
    if within_guard {
        fill_triangle(pen.frame, pen.scissor, &mut shading, pen.texture, points);
        return;
    }
    // Clip to the guard square, then draw the polygon as a fan. Shading still
    // comes from the whole triangle, so the result is unchanged inside it.
    let polygon = clip_to_guard(points);
    let pts = polygon.as_slice();
    if let Some((&first, rest)) = pts.split_first() {
        for pair in rest.windows(2) {
            if let &[b, c] = pair {
                fill_triangle(
                    pen.frame,
                    pen.scissor,
                    &mut shading,
                    pen.texture,
                    [first, b, c],
                );
            }
        }
    }
}

/// A triangle's [`Shading`], set up on first use.
struct LazyShading<'v, 'c> {
    points: [Point; 3],
    vertices: [&'v Vertex; 3],
    cache: &'c mut TexelCache,
    shading: Option<Shading>,
}

impl LazyShading<'_, '_> {
    #[inline]
    fn get(&mut self, texture: &Texture) -> &Shading {
        self.shading
            .get_or_insert_with(|| Shading::new(&self.points, self.vertices, texture, self.cache))
    }
}

/// A convex polygon of at most 3 + 4 vertices (a triangle clipped by a square).
struct Polygon {
    points: [Point; 8],
    len: usize,
}

impl Polygon {
    fn new() -> Self {
        Self {
            points: [[0.0; 2]; 8],
            len: 0,
        }
    }

    fn push(&mut self, p: Point) {
        if let Some(slot) = self.points.get_mut(self.len) {
            *slot = p;
            self.len += 1;
        }
    }

    fn as_slice(&self) -> &[Point] {
        self.points.get(..self.len).unwrap_or(&[])
    }
}

/// Sutherland–Hodgman against the guard square. Intersections are computed
/// from the edge's endpoints in a canonical order, so two triangles sharing an
/// edge get bit-identical new vertices and still meet without seams.
fn clip_to_guard(triangle: [Point; 3]) -> Polygon {
    let mut polygon = Polygon::new();
    for p in triangle {
        polygon.push(p);
    }
    for (axis, bound) in [(0, -GUARD_PX), (0, GUARD_PX), (1, -GUARD_PX), (1, GUARD_PX)] {
        let inside = |p: &Point| {
            let v = p.get(axis).copied().unwrap_or(0.0);
            if bound < 0.0 { v >= bound } else { v <= bound }
        };
        let input = polygon.as_slice();
        let mut output = Polygon::new();
        let previous = input.iter().cycle().skip(input.len().saturating_sub(1));
        for (prev, cur) in previous.zip(input) {
            match (inside(prev), inside(cur)) {
                (true, true) => output.push(*cur),
                (true, false) => output.push(intersect(*prev, *cur, axis, bound)),
                (false, true) => {
                    output.push(intersect(*prev, *cur, axis, bound));
                    output.push(*cur);
                }
                (false, false) => {}
            }
        }
        polygon = output;
    }
    polygon
}

/// Where segment `a`–`b` crosses the line `p[axis] == bound`.
fn intersect(a: Point, b: Point, axis: usize, bound: f64) -> Point {
    let (a, b) = if (a[0], a[1]) <= (b[0], b[1]) {
        (a, b)
    } else {
        (b, a)
    };
    let other = 1 - axis;
    let along = |p: Point, i: usize| p.get(i).copied().unwrap_or(0.0);
    let t = (bound - along(a, axis)) / (along(b, axis) - along(a, axis));
    let mut p = [bound; 2];
    if let Some(slot) = p.get_mut(other) {
        *slot = along(a, other) + t * (along(b, other) - along(a, other));
    }
    p
}

/// Draws the fan of `len` triangles from index `first` of `mesh` (see
/// [`fan_len`]) as one convex polygon, with the pixels the triangles one by
/// one would give: inside a convex polygon every pixel centre is claimed by
/// exactly one of the fan's triangles (the top-left rule), and on its
/// boundary the polygon's edges decide as the triangles' do. Returns `false`,
/// having drawn nothing, when that does not hold: the polygon is not convex
/// once snapped, or reaches past the guard band.
fn fill_fan(pen: &mut Pen<'_, '_>, mesh: &egui::epaint::Mesh, first: u32, len: usize) -> bool {
    let ppp = pen.ppp;
    let first = first as usize;
    let Some(indices) = mesh.indices.get(first..first + 3 * len) else {
        return false;
    };
    let vertex = |i: Option<&u32>| i.and_then(|&i| mesh.vertices.get(i as usize));
    let (Some(pivot), Some(a), Some(b)) = (
        vertex(indices.first()),
        vertex(indices.get(1)),
        vertex(indices.get(2)),
    ) else {
        return false;
    };
    let outer = indices.chunks_exact(3).map(|t| vertex(t.get(2)));
    let mut polygon = ConvexPolygon::new();
    for v in [Some(pivot), Some(a)].into_iter().chain(outer) {
        let Some(v) = v else {
            return false;
        };
        let [x, y] = [v.pos.x, v.pos.y].map(|c| f64::from(c) * ppp);
        // Also false for NaN.
        if !(x.abs() <= GUARD_PX && y.abs() <= GUARD_PX) {
            return false;
        }
        polygon.push([x, y].map(snap));
    }
    if !polygon.make_convex_positive() {
        return false;
    }
    let Some(rows) = polygon.pixel_box(pen.scissor) else {
        // Nothing of it within the scissor: nor of any of its triangles.
        return true;
    };
    let points = pixel_points([pivot, a, b], ppp);
    let shading = Shading::new(&points, [pivot, a, b], pen.texture, pen.texel_cache);
    polygon.for_each_span(rows, |y, x0, x1| {
        if let Some(span) = pen.frame.span_mut(y, x0, x1) {
            shading.shade_span(span, pen.texture, x0, y);
        }
    });
    true
}

/// Output pixels `x_lo..=x_hi` of rows `y_lo..=y_hi`, never empty.
#[derive(Clone, Copy, Debug)]
struct PixelBox {
    x_lo: i64,
    x_hi: i64,
    y_lo: i64,
    y_hi: i64,
}

impl PixelBox {
    /// Pixels `first..=last` (x, y) within the scissor, if any are left.
    fn clipped(first: [i64; 2], last: [i64; 2], scissor: &Scissor) -> Option<Self> {
        let pixels = Self {
            x_lo: first[0].max(scissor.x0),
            x_hi: last[0].min(scissor.x1 - 1),
            y_lo: first[1].max(scissor.y0),
            y_hi: last[1].min(scissor.y1 - 1),
        };
        (pixels.x_lo <= pixels.x_hi && pixels.y_lo <= pixels.y_hi).then_some(pixels)
    }

    /// The pixels whose centres are in the sub-pixel box `min..=max`
    /// (x, y), within the scissor, if any.
    fn centres_in(min: [i64; 2], max: [i64; 2], scissor: &Scissor) -> Option<Self> {
        Self::clipped(
            min.map(|v| ceil_div(v - HALF, SUBPIXEL)),
            max.map(|v| floor_div(v - HALF, SUBPIXEL)),
            scissor,
        )
    }
}

/// A polygon in sub-pixel units, checked convex and turned to the triangles'
/// positive winding before it is drawn.
struct ConvexPolygon {
    points: [[i64; 2]; MAX_FAN + 2],
    len: usize,
}

impl ConvexPolygon {
    fn new() -> Self {
        Self {
            points: [[0; 2]; MAX_FAN + 2],
            len: 0,
        }
    }

    fn as_slice(&self) -> &[[i64; 2]] {
        self.points.get(..self.len).unwrap_or(&[])
    }

    /// Adds a vertex, dropping a repeat of the last one (a zero-length edge
    /// would wrongly exclude every row; its triangles have no area).
    fn push(&mut self, p: [i64; 2]) {
        if self.as_slice().last() == Some(&p) {
            return;
        }
        if let Some(slot) = self.points.get_mut(self.len) {
            *slot = p;
            self.len += 1;
        }
    }

    /// Checks the polygon is convex and simple and turns it to positive
    /// winding (as `fill_triangle` turns each triangle); `false` if it is
    /// not convex, or has no area.
    fn make_convex_positive(&mut self) -> bool {
        if self.as_slice().first() == self.as_slice().last() {
            self.len = self.len.saturating_sub(1);
        }
        let points = self.as_slice();
        let n = points.len();
        if n < 3 {
            return false;
        }
        let at = |i: usize| points.get(i % n).copied().unwrap_or_default();
        let edge = |i: usize| {
            let (p, q) = (at(i), at(i + 1));
            [q[0] - p[0], q[1] - p[1]]
        };
        let origin = at(0);
        let mut area: i128 = 0;
        let (mut left_turns, mut right_turns) = (false, false);
        let mut x_turns = 0;
        let mut last_dx = 0;
        let mut y_turns = 0;
        let mut last_dy = 0;
        for i in 0..n {
            let (p, q) = (at(i), at(i + 1));
            area += i128::from(p[0] - origin[0]) * i128::from(q[1] - origin[1])
                - i128::from(p[1] - origin[1]) * i128::from(q[0] - origin[0]);
            let ([ax, ay], [bx, by]) = (edge(i), edge(i + 1));
            let turn = i128::from(ax) * i128::from(by) - i128::from(ay) * i128::from(bx);
            left_turns |= turn > 0;
            right_turns |= turn < 0;
            // A simple convex polygon's edges turn from going right to
            // going left exactly twice, and from down to up; one that winds
            // twice or doubles back on itself, more often.
            if ax != 0 {
                if last_dx != 0 && (ax > 0) != (last_dx > 0) {
                    x_turns += 1;
                }
                last_dx = ax;
            }
            if ay != 0 {
                if last_dy != 0 && (ay > 0) != (last_dy > 0) {
                    y_turns += 1;
                }
                last_dy = ay;
            }
        }
        // The cyclic pair: the last horizontal direction against the first.
        if let Some(first_dx) = (0..n).map(|i| edge(i)[0]).find(|&dx| dx != 0)
            && (first_dx > 0) != (last_dx > 0)
        {
            x_turns += 1;
        }
        if let Some(first_dy) = (0..n).map(|i| edge(i)[1]).find(|&dy| dy != 0)
            && (first_dy > 0) != (last_dy > 0)
        {
            y_turns += 1;
        }
        if area == 0 || (left_turns && right_turns) || x_turns > 2 || y_turns > 2 {
            return false;
        }
        if area < 0 {
            self.points.get_mut(..n).unwrap_or_default().reverse();
        }
        true
    }

    /// The pixel box of the polygon within the scissor, if any.
    fn pixel_box(&self, scissor: &Scissor) -> Option<PixelBox> {
        let points = self.as_slice();
        let min = |axis: usize| points.iter().filter_map(|p| p.get(axis)).min().copied();
        let max = |axis: usize| points.iter().filter_map(|p| p.get(axis)).max().copied();
        PixelBox::centres_in([min(0)?, min(1)?], [max(0)?, max(1)?], scissor)
    }

    /// Calls `span(y, x0, x1)` for each row's covered pixels `x0..x1`. A
    /// row of a convex polygon is bounded by one edge running up (its left
    /// side) and one running down (its right side), so only those two are
    /// walked, plus the horizontal edges' all-or-nothing test.
    fn for_each_span(&self, pixels: PixelBox, mut span: impl FnMut(i64, i64, i64)) {
        let points = self.as_slice();
        let n = points.len();
        let px = pixels.x_lo * SUBPIXEL + HALF;
        let mut left = Chain::new();
        let mut right = Chain::new();
        let mut horizontal = Chain::new();
        for i in 0..n {
            let (Some(&p), Some(&q)) = (points.get(i), points.get((i + 1) % n)) else {
                continue;
            };
            let edge = Edge::between(p, q);
            match edge.dy.signum() {
                -1 => left.push(edge),
                1 => right.push(edge),
                _ => horizontal.push(edge),
            }
        }
        left.sort();
        right.sort();
        let last = pixels.x_hi - pixels.x_lo;
        for y in pixels.y_lo..=pixels.y_hi {
            let centre = y * SUBPIXEL + HALF;
            let k_min = left.bound_at(centre, px);
            let k_max = right.bound_at(centre, px);
            let (Some(k_min), Some(k_max)) = (k_min, k_max) else {
                continue;
            };
            let (k_min, k_max) = (k_min.max(0), k_max.min(last));
            let flat_ok = horizontal.edges().iter().all(|h| h.at([px, centre]) >= 0);
            if flat_ok && k_min <= k_max {
                span(y, pixels.x_lo + k_min, pixels.x_lo + k_max + 1);
            }
        }
    }
}

/// The edges of one side of a convex polygon, top to bottom, walked down
/// the rows.
struct Chain {
    edges: [Edge; MAX_FAN + 2],
    len: usize,
    /// The edge bounding the current row, and its walk (from the next
    /// row on).
    at: usize,
    walk: Option<Bound>,
}

impl Chain {
    fn new() -> Self {
        let none = Edge::between([0, 0], [0, 0]);
        Self {
            edges: [none; MAX_FAN + 2],
            len: 0,
            at: 0,
            walk: None,
        }
    }

    fn push(&mut self, edge: Edge) {
        if let Some(slot) = self.edges.get_mut(self.len) {
            *slot = edge;
            self.len += 1;
        }
    }

    fn edges(&self) -> &[Edge] {
        self.edges.get(..self.len).unwrap_or(&[])
    }

    fn sort(&mut self) {
        let len = self.len;
        if let Some(edges) = self.edges.get_mut(..len) {
            edges.sort_unstable_by_key(Edge::top);
        }
    }

    /// The bound on `k` (pixels right of the box's first column `px`) that
    /// this side's edge gives at the row whose centre is `centre`, or `None`
    /// if no edge of this side reaches that row. Called for every row in
    /// turn: each call readies the walk for the next row.
    fn bound_at(&mut self, centre: i64, px: i64) -> Option<i64> {
        while self
            .edges()
            .get(self.at)
            .is_some_and(|e| e.bottom() < centre)
        {
            self.at += 1;
            self.walk = None;
        }
        let edge = *self.edges().get(self.at)?;
        if edge.top() > centre {
            return None;
        }
        let bound = self.walk.get_or_insert_with(|| {
            Bound::new(
                edge.at([px, centre]),
                -edge.dy * SUBPIXEL,
                edge.dx * SUBPIXEL,
            )
        });
        let k = match bound {
            Bound::Left(walk) | Bound::Right(walk) => Some(walk.k),
            Bound::Horizontal { .. } => None,
        };
        bound.next_row();
        k
    }
}

/// One edge function `E(p) = dx * (p.y - y0) - dy * (p.x - x0)`, positive
/// inside, in 1/256-pixel units, with the top-left rule folded into `bias`.
#[derive(Clone, Copy)]
struct Edge {
    x0: i64,
    y0: i64,
    dx: i64,
    dy: i64,
    /// 0 for top and left edges (a centre exactly on them is inside), -1 else.
    bias: i64,
}

impl Edge {
    /// The edge from `p` to `q` of a shape with positive winding.
    fn between(p: [i64; 2], q: [i64; 2]) -> Self {
        let (dx, dy) = (q[0] - p[0], q[1] - p[1]);
        // With y down and positive area, a top edge runs right along the top
        // and a left edge runs upwards.
        let top_left = (dy == 0 && dx > 0) || dy < 0;
        Self {
            x0: p[0],
            y0: p[1],
            dx,
            dy,
            bias: if top_left { 0 } else { -1 },
        }
    }

    /// `E(p)` plus the bias: the point `p` is covered when this is `>= 0`.
    #[inline]
    fn at(&self, [px, py]: [i64; 2]) -> i64 {
        self.dx * (py - self.y0) - self.dy * (px - self.x0) + self.bias
    }

    fn top(&self) -> i64 {
        self.y0.min(self.y0 + self.dy)
    }

    fn bottom(&self) -> i64 {
        self.y0.max(self.y0 + self.dy)
    }
}

/// Rasterize the coverage of one triangle (pixel-space points) and shade each
/// covered span.
fn fill_triangle(
    frame: &mut Frame<'_>,
    scissor: &Scissor,
    shading: &mut LazyShading<'_, '_>,
    texture: &Texture,
    points: [Point; 3],
) {
    let Some((edges, pixels)) = triangle_edges(map3(points, |p| p.map(snap)), scissor) else {
        return;
    };
    let span = |y: i64, x0: i64, x1: i64| {
        if let Some(span) = frame.span_mut(y, x0, x1) {
            shading.get(texture).shade_span(span, texture, x0, y);
        }
    };
    if pixels.x_hi - pixels.x_lo < NARROW_PX {
        narrow_spans(&edges, pixels, span);
    } else {
        walked_spans(&edges, pixels, span);
    }
}

/// The edges of the triangle with `corners` (snapped), turned to positive
/// winding, and the pixels within `scissor` whose centres it may cover;
/// `None` when it has no area or no such pixels.
#[inline]
fn triangle_edges(corners: [[i64; 2]; 3], scissor: &Scissor) -> Option<([Edge; 3], PixelBox)> {
    let [a, mut b, mut c] = corners;
    let area = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
    if area == 0 {
        return None;
    }
    if area < 0 {
        std::mem::swap(&mut b, &mut c);
    }
    let edges = [
        Edge::between(a, b),
        Edge::between(b, c),
        Edge::between(c, a),
    ];
    let min = [a[0].min(b[0]).min(c[0]), a[1].min(b[1]).min(c[1])];
    let max = [a[0].max(b[0]).max(c[0]), a[1].max(b[1]).max(c[1])];
    PixelBox::centres_in(min, max, scissor).map(|pixels| (edges, pixels))
}

/// Calls `span(y, x0, x1)` for each row's pixels `x0..x1` within `pixels`
/// whose centres are inside `edges`.
fn walked_spans(edges: &[Edge; 3], pixels: PixelBox, mut span: impl FnMut(i64, i64, i64)) {
    let PixelBox {
        x_lo,
        x_hi,
        y_lo,
        y_hi,
    } = pixels;
    // Along a row an edge function changes by `step` per pixel; the covered
    // pixels `k` (offsets from x_lo) are those where all three
    // `value + step * k >= 0`. Each edge bounds k from one side; the bounds
    // are walked down the rows exactly.
    let (px, py) = (x_lo * SUBPIXEL + HALF, y_lo * SUBPIXEL + HALF);
    let mut bounds = map3(*edges, |e| {
        Bound::new(e.at([px, py]), -e.dy * SUBPIXEL, e.dx * SUBPIXEL)
    });
    let last = x_hi - x_lo;
    for y in y_lo..=y_hi {
        let (mut k_min, mut k_max) = (0, last);
        for bound in &mut bounds {
            match bound {
                Bound::Left(walk) => k_min = k_min.max(walk.k),
                Bound::Right(walk) => k_max = k_max.min(walk.k),
                Bound::Horizontal { value, .. } => {
                    if *value < 0 {
                        k_max = -1;
                    }
                }
            }
            bound.next_row();
        }
        if k_min <= k_max {
            span(y, x_lo + k_min, x_lo + k_max + 1);
        }
    }
}

/// Triangles whose pixel box is under this many pixels wide (epaint's
/// feathering: the fringes down a card's sides and around its rounded
/// corners) test each pixel centre against the edges directly: setting up
/// the exact row walk, with its divisions, and stepping three bounds per row
/// cost more than testing the few pixels of a row.
const NARROW_PX: i64 = 4;

/// [`walked_spans`] for a narrow pixel box: the same spans, each centre
/// tested with the edge functions, stepped from pixel to pixel (exactly, in
/// integers) rather than evaluated anew.
fn narrow_spans(edges: &[Edge; 3], pixels: PixelBox, mut span: impl FnMut(i64, i64, i64)) {
    let first = [pixels.x_lo * SUBPIXEL + HALF, pixels.y_lo * SUBPIXEL + HALF];
    let mut row_start = edges.map(|e| e.at(first));
    let along = edges.map(|e| -e.dy * SUBPIXEL);
    let down = edges.map(|e| e.dx * SUBPIXEL);
    for y in pixels.y_lo..=pixels.y_hi {
        let mut values = row_start;
        // A row of a triangle is one run of pixels.
        let mut run: Option<(i64, i64)> = None;
        for x in pixels.x_lo..=pixels.x_hi {
            if values.iter().all(|&v| v >= 0) {
                run = Some((run.map_or(x, |(x0, _)| x0), x + 1));
            } else if run.is_some() {
                break;
            }
            for (v, step) in values.iter_mut().zip(along) {
                *v += step;
            }
        }
        if let Some((x0, x1)) = run {
            span(y, x0, x1);
        }
        for (v, step) in row_start.iter_mut().zip(down) {
            *v += step;
        }
    }
}

/// How one edge limits the covered pixels of each row.
enum Bound {
    /// Covered pixels have `k >= walk.k`.
    Left(Walk),
    /// Covered pixels have `k <= walk.k`.
    Right(Walk),
    /// A horizontal edge: a row is wholly in or out.
    Horizontal { value: i64, per_row: i64 },
}

/// An integer `k = floor(value / divisor)` (or its negation) tracked exactly
/// as `value` grows by a fixed amount per row, without dividing.
struct Walk {
    k: i64,
    /// `value - divisor * floor(value / divisor)`, in `0..divisor`.
    remainder: i64,
    divisor: i64,
    /// `per_row = quotient * divisor + rest`, `rest` in `0..divisor`.
    quotient: i64,
    rest: i64,
    /// `1` for right edges (`k = floor`), `-1` for left ones (`k = -floor`).
    sign: i64,
}

impl Bound {
    /// The bound from an edge function's `value` at the first pixel of the
    /// first row, its change per pixel along a row (`step`) and per row.
    fn new(value: i64, step: i64, per_row: i64) -> Self {
        if step == 0 {
            return Self::Horizontal { value, per_row };
        }
        let divisor = step.abs();
        // Left (step > 0): the first k with value + step * k >= 0 is
        // -floor(value / step). Right: the last one is floor(value / -step).
        let sign = if step > 0 { -1 } else { 1 };
        let (k, remainder) = floor_div_rem(value, divisor);
        let (quotient, rest) = floor_div_rem(per_row, divisor);
        let walk = Walk {
            k: sign * k,
            remainder,
            divisor,
            quotient,
            rest,
            sign,
        };
        if step > 0 {
            Self::Left(walk)
        } else {
            Self::Right(walk)
        }
    }

    #[inline]
    fn next_row(&mut self) {
        match self {
            Self::Left(walk) | Self::Right(walk) => {
                let mut floor_step = walk.quotient;
                walk.remainder += walk.rest;
                if walk.remainder >= walk.divisor {
                    walk.remainder -= walk.divisor;
                    floor_step += 1;
                }
                walk.k += walk.sign * floor_step;
            }
            Self::Horizontal { value, per_row } => *value += *per_row,
        }
    }
}

/// `floor(v)` for `v` well inside the `i64` range (inline, unlike `f64::floor`
/// without SSE4.1); saturates beyond it.
#[inline]
fn floor_i64(v: f64) -> i64 {
    let t = v as i64;
    if t as f64 > v { t.saturating_sub(1) } else { t }
}

/// `ceil(v)`, like [`floor_i64`].
#[inline]
fn ceil_i64(v: f64) -> i64 {
    floor_i64(-v).saturating_neg()
}

/// `(floor(n / d), n - d * floor(n / d))` for `d > 0`: a floating-point
/// estimate made exact with integers (a 64-bit integer division costs several
/// times more, and every triangle needs six).
#[inline]
fn floor_div_rem(n: i64, d: i64) -> (i64, i64) {
    let mut q = floor_i64(n as f64 / d as f64);
    let mut r = n - q * d;
    while r < 0 {
        q -= 1;
        r += d;
    }
    while r >= d {
        q += 1;
        r -= d;
    }
    (q, r)
}

#[inline]
fn floor_div(n: i64, d: i64) -> i64 {
    n.div_euclid(d)
}

#[inline]
fn ceil_div(n: i64, d: i64) -> i64 {
    -(-n).div_euclid(d)
}

/// A linear function of pixel position: `value = base + dx * x + dy * y`.
#[derive(Clone, Copy, Default)]
struct Plane {
    base: f64,
    dx: f64,
    dy: f64,
}

impl Plane {
    /// The plane through `(points[i], values[i])`.
    fn new(points: &[Point; 3], values: [f64; 3], inv_area: f64) -> Self {
        let [[x0, y0], [x1, y1], [x2, y2]] = *points;
        let [f0, f1, f2] = values;
        let (d1, d2) = (f1 - f0, f2 - f0);
        let dx = (d1 * (y2 - y0) - d2 * (y1 - y0)) * inv_area;
        let dy = (d2 * (x1 - x0) - d1 * (x2 - x0)) * inv_area;
        if dx.is_finite() && dy.is_finite() {
            Self {
                base: f0 - dx * x0 - dy * y0,
                dx,
                dy,
            }
        } else {
            Self {
                base: f0,
                dx: 0.0,
                dy: 0.0,
            }
        }
    }

    /// Value at the centre of pixel (`x`, `y`).
    #[inline]
    fn at_centre(&self, x: i64, y: i64) -> f32 {
        plane_at_centre(self.base, self.dx, self.dy, x, y)
    }
}

/// `1 / (twice the signed area)` of a triangle: what [`Plane::new`] divides by.
fn inverse_area(points: &[Point; 3]) -> f64 {
    let [[x0, y0], [x1, y1], [x2, y2]] = *points;
    1.0 / ((x1 - x0) * (y2 - y0) - (y1 - y0) * (x2 - x0))
}

/// `base + dx * x + dy * y` at the centre of pixel (`x`, `y`): one formula
/// for [`Plane`] and [`Planes4`], so a value never depends on which of them
/// held the plane.
#[inline]
fn plane_at_centre(base: f64, dx: f64, dy: f64, x: i64, y: i64) -> f32 {
    (base + dx * (x as f64 + 0.5) + dy * (y as f64 + 0.5)) as f32
}

/// Four planes (one per channel), evaluated along a span. Stored by
/// coefficient rather than by plane, so a span's four start values are
/// computed side by side.
#[derive(Clone, Copy, Default)]
struct Planes4 {
    base: [f64; 4],
    dx: [f64; 4],
    dy: [f64; 4],
    /// `dx` as the per-pixel step along a span.
    step: [f32; 4],
}

impl Planes4 {
    fn new(points: &[Point; 3], values: [[f32; 4]; 3], inv_area: f64) -> Self {
        let planes: [Plane; 4] = std::array::from_fn(|i| {
            let channel = map3(values, |v| f64::from(v.get(i).copied().unwrap_or(0.0)));
            Plane::new(points, channel, inv_area)
        });
        Self {
            base: planes.map(|p| p.base),
            dx: planes.map(|p| p.dx),
            dy: planes.map(|p| p.dy),
            step: planes.map(|p| p.dx as f32),
        }
    }

    /// Values at the centre of pixel (`x`, `y`) and their steps along x.
    #[inline]
    fn at_centre(&self, x: i64, y: i64) -> ([f32; 4], [f32; 4]) {
        let mut values = [0.0; 4];
        for (((value, base), dx), dy) in values.iter_mut().zip(self.base).zip(self.dx).zip(self.dy)
        {
            *value = plane_at_centre(base, dx, dy, x, y);
        }
        (values, self.step)
    }
}

/// How a triangle's pixels get their source colour (premultiplied; "255"
/// means scaled to `0..=255`).
enum Shading {
    /// Same opaque colour everywhere.
    Opaque([u8; 4]),
    /// Same translucent colour everywhere.
    Translucent(ConstantBlend),
    /// Vertex colour varies, the texture sample does not: colour x texel,
    /// interpolated directly.
    Gouraud(Planes4),
    /// Texture coordinates vary (text, images); colour (`0..=1`) may vary.
    Textured {
        color: Planes4,
        /// All three vertices have the same colour.
        one_color: bool,
        /// `u * width`, `v * height`.
        texel_u: Plane,
        texel_v: Plane,
        /// How far a pixel centre may be from a texel centre and still be
        /// read as that texel: [`aligned_tolerance`] of the vertices.
        aligned: f32,
    },
}

/// The texture sample of the last triangle in a mesh whose texture
/// coordinates are all equal (meshes usually reuse one: epaint's `WHITE_UV`).
#[derive(Default)]
struct TexelCache {
    /// The coordinates' bits.
    uv: Option<(u32, u32)>,
    texel: [f32; 4],
}

impl TexelCache {
    /// The sample of `texture` at `vertex`'s texture coordinates.
    fn texel(&mut self, texture: &Texture, vertex: &Vertex) -> [f32; 4] {
        let uv = (vertex.uv.x.to_bits(), vertex.uv.y.to_bits());
        if self.uv != Some(uv) {
            self.texel = texture.sample(
                vertex.uv.x * texture.width as f32,
                vertex.uv.y * texture.height as f32,
            );
            self.uv = Some(uv);
        }
        self.texel
    }
}

/// Whether the three vertices have the same texture coordinates (epaint's
/// `WHITE_UV` for everything but text and images).
fn same_uv([v0, v1, v2]: [&Vertex; 3]) -> bool {
    let uv_bits = |v: &Vertex| (v.uv.x.to_bits(), v.uv.y.to_bits());
    uv_bits(v0) == uv_bits(v1) && uv_bits(v1) == uv_bits(v2)
}

/// A vertex colour as the shader sees it: each channel in `0..=1`.
fn unit_color(color: [u8; 4]) -> [f32; 4] {
    map4(color, |c| f32::from(c) / 255.0)
}

/// A vertex colour (`0..=255`) times a texel (premultiplied `0..=255`): the
/// source colour, `0..=255`, of a shape whose texture sample does not vary.
fn times_texel(color: [u8; 4], texel: [f32; 4]) -> [f32; 4] {
    let mut c = unit_color(color);
    for (c, t) in c.iter_mut().zip(texel) {
        *c *= t;
    }
    c
}

impl Shading {
    fn new(
        points: &[Point; 3],
        vertices: [&Vertex; 3],
        texture: &Texture,
        cache: &mut TexelCache,
    ) -> Self {
        let [v0, v1, v2] = vertices;
        let same_color = v0.color == v1.color && v1.color == v2.color;
        let [w, h] = [texture.width as f32, texture.height as f32];
        let unit = |v: &Vertex| unit_color(v.color.to_array());
        let inv_area = inverse_area(points);

        if same_uv(vertices) {
            let texel = cache.texel(texture, v0);
            if same_color {
                let src = times_texel(v0.color.to_array(), texel);
                return if src[3] >= 255.0 {
                    Self::Opaque(map4(src, to_u8))
                } else {
                    Self::Translucent(ConstantBlend::new(src))
                };
            }
            let colors = map3(vertices, |v| times_texel(v.color.to_array(), texel));
            return Self::Gouraud(Planes4::new(points, colors, inv_area));
        }
        let texel_plane = |f: fn(&Vertex) -> f32, size: f32| {
            Plane::new(
                points,
                map3(vertices, |v| f64::from(f(v)) * f64::from(size)),
                inv_area,
            )
        };
        let extent = points
            .iter()
            .flatten()
            .fold(0.0, |far: f64, c| far.max(c.abs()));
        Self::Textured {
            color: Planes4::new(points, map3(vertices, unit), inv_area),
            one_color: same_color,
            texel_u: texel_plane(|v| v.uv.x, w),
            texel_v: texel_plane(|v| v.uv.y, h),
            aligned: aligned_tolerance(extent),
        }
    }

    /// [`Self::shade_span`] for columns `x` of every row of `rows`, with
    /// what is the same in every row worked out once where that pays: a
    /// narrow column whose colours do not change down the rows (the
    /// feathering down a vertical edge) has its colours kept. (Glyphs,
    /// which would pay too, are found before this, see [`Glyph`].)
    fn shade_rows(
        &self,
        frame: &mut Frame<'_>,
        rows: Range<i64>,
        x: Range<i64>,
        texture: &Texture,
    ) {
        /// Widest column whose colours are kept.
        const KEPT: usize = 8;
        let width = usize::try_from(x.end - x.start).unwrap_or(0);
        match self {
            Self::Gouraud(planes) if planes.dy.iter().all(|&dy| dy == 0.0) && width <= KEPT => {
                // The same colours shade_span would compute for any row: the
                // plane at the row's centre adds `dy * y`, which is zero.
                let (start, step) = planes.at_centre(x.start, rows.start);
                let mut colors = [[0.0; 4]; KEPT];
                let mut k = 0.0;
                for color in &mut colors {
                    *color = ramp(start, step, k);
                    k += 1.0;
                }
                for y in rows {
                    if let Some(span) = frame.span_mut(y, x.start, x.end) {
                        for (pixel, color) in span.as_chunks_mut::<4>().0.iter_mut().zip(&colors) {
                            blend_over(pixel, *color);
                        }
                    }
                }
            }
            _ => {
                for y in rows {
                    if let Some(span) = frame.span_mut(y, x.start, x.end) {
                        self.shade_span(span, texture, x.start, y);
                    }
                }
            }
        }
    }

    /// Shade and blend the pixels of one covered span starting at (`x`, `y`).
    #[inline]
    fn shade_span(&self, span: &mut [u8], texture: &Texture, x: i64, y: i64) {
        let (pixels, _) = span.as_chunks_mut::<4>();
        match self {
            Self::Opaque(rgba) => pixels.fill(*rgba),
            Self::Translucent(blend) => blend.apply(span),
            Self::Gouraud(planes) => {
                let (start, step) = planes.at_centre(x, y);
                if step.iter().all(|&s| s == 0.0) {
                    // One colour along the row: the feathering along a
                    // horizontal edge.
                    blend_repeated(pixels, start);
                    return;
                }
                let mut k = 0.0;
                for pixel in pixels {
                    blend_over(pixel, ramp(start, step, k));
                    k += 1.0;
                }
            }
            Self::Textured {
                color,
                one_color,
                texel_u,
                texel_v,
                aligned,
            } => {
                let (start, step) = color.at_centre(x, y);
                let (u, du) = (texel_u.at_centre(x, y), texel_u.dx as f32);
                let (v, dv) = (texel_v.at_centre(x, y), texel_v.dx as f32);
                if let Some(texels) = texture.aligned_row([u, du], [v, dv], pixels.len(), *aligned)
                {
                    // Each pixel centre is a texel centre: the sample is the texel.
                    if *one_color {
                        // All text. Equal vertex colours give planes with
                        // zero slopes, so `start + step * k` is `start`:
                        // the same products without the ramp.
                        blend_texels(pixels, texels, |_| start);
                    } else {
                        blend_texels(pixels, texels, |k| ramp(start, step, k));
                    }
                    return;
                }
                let mut k = 0.0;
                for pixel in pixels {
                    let texel = texture.sample(u + du * k, v + dv * k);
                    blend_over(pixel, times(ramp(start, step, k), texel));
                    k += 1.0;
                }
            }
        }
    }
}

/// `start + step * k` per channel: the colour `k` pixels along a span.
#[inline]
fn ramp(start: [f32; 4], step: [f32; 4], k: f32) -> [f32; 4] {
    [
        start[0] + step[0] * k,
        start[1] + step[1] * k,
        start[2] + step[2] * k,
        start[3] + step[3] * k,
    ]
}

/// The product per channel.
#[inline]
fn times(a: [f32; 4], b: [f32; 4]) -> [f32; 4] {
    [a[0] * b[0], a[1] * b[1], a[2] * b[2], a[3] * b[3]]
}

/// Blends `pixels` with `texels` times a colour, `color(k)` for the pixel
/// `k` along the span; a clear texel leaves its pixel as it is.
#[inline]
fn blend_texels(pixels: &mut [[u8; 4]], texels: &[Color32], color: impl Fn(f32) -> [f32; 4]) {
    let mut k = 0.0;
    for (pixel, texel) in pixels.iter_mut().zip(texels) {
        if *texel != Color32::TRANSPARENT {
            blend_over(pixel, times(color(k), map4(texel.to_array(), f32::from)));
        }
        k += 1.0;
    }
}

/// [`blend_over`] of `src` over every pixel, blending each run of equal
/// pixels once: under a horizontal edge's feathering most of a row is one
/// colour (the paper, a card), and the blend is a pure function of the
/// pixel, so the bytes are the same.
#[inline]
fn blend_repeated(pixels: &mut [[u8; 4]], src: [f32; 4]) {
    let mut last: Option<([u8; 4], [u8; 4])> = None;
    for pixel in pixels {
        *pixel = match last {
            Some((before, after)) if before == *pixel => after,
            _ => {
                let before = *pixel;
                blend_over(pixel, src);
                last = Some((before, *pixel));
                *pixel
            }
        };
    }
}

/// [`blend`] of `src` (premultiplied, `0..=255`) over the pixel.
#[inline]
fn blend_over(pixel: &mut [u8; 4], src: [f32; 4]) {
    blend(pixel, src, 1.0 - src[3] * INV_255);
}

/// `dst = src + dst * keep` per channel with `keep = 1 - src.a`, colours in
/// `0..=255`, each rounded like [`to_u8`].
#[inline]
fn blend(pixel: &mut [u8; 4], src: [f32; 4], keep: f32) {
    #[cfg(target_arch = "x86_64")]
    {
        *pixel = sse2::blend(*pixel, src, keep);
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        *pixel = blend_scalar(*pixel, src, keep);
    }
}

/// [`blend`] one channel at a time: the definition the SSE2 version must
/// match, byte for byte.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
#[inline]
fn blend_scalar(pixel: [u8; 4], src: [f32; 4], keep: f32) -> [u8; 4] {
    let mut out = [0; 4];
    for ((o, s), d) in out.iter_mut().zip(src).zip(pixel) {
        *o = to_u8(s + f32::from(d) * keep);
    }
    out
}

/// [`blend`] with the four channels in one SSE2 register (every x86-64 CPU
/// has SSE2, so these intrinsics are safe to call). Per-pixel blending
/// (feathering, text) otherwise spends most of its time moving single
/// channels between registers to round and pack them.
#[cfg(target_arch = "x86_64")]
mod sse2 {
    use safe_arch::{
        add_m128, convert_to_i32_m128i_from_m128, convert_to_m128_from_i32_m128i,
        get_i32_from_m128i_s, m128, max_m128, min_m128, mul_m128, pack_i16_to_u8_m128i,
        pack_i32_to_i16_m128i, set_i32_m128i_s, set_splat_m128, unpack_low_i8_m128i,
        unpack_low_i16_m128i, zeroed_m128, zeroed_m128i,
    };

    #[inline]
    pub(super) fn blend(pixel: [u8; 4], src: [f32; 4], keep: f32) -> [u8; 4] {
        let zero = zeroed_m128i();
        let dst = set_i32_m128i_s(i32::from_le_bytes(pixel));
        let dst = unpack_low_i16_m128i(unpack_low_i8_m128i(dst, zero), zero);
        let dst = convert_to_m128_from_i32_m128i(dst);
        let value = add_m128(m128::from_array(src), mul_m128(dst, set_splat_m128(keep)));
        // Clamped as `to_u8` clamps. With this operand order NaN comes out
        // of both as NaN, which converts to i32::MIN and packs to 0: what
        // `to_u8` gives for NaN.
        let value = max_m128(zeroed_m128(), min_m128(set_splat_m128(255.0), value));
        // Rounds to nearest even (the default MXCSR mode, which Rust never
        // changes), like `to_u8`.
        let int = convert_to_i32_m128i_from_m128(value);
        let bytes = pack_i16_to_u8_m128i(pack_i32_to_i16_m128i(int, zero), zero);
        get_i32_from_m128i_s(bytes).to_le_bytes()
    }
}

/// Blending one translucent colour over spans of RGBA bytes: the fill of
/// most shapes. Same formula as [`blend`], but in 8.8 fixed point, four pixels
/// at a time, which vectorizes well. Its error is below 1/100 of a level, so
/// it rounds differently from [`blend`] only for values that close to a
/// rounding boundary.
struct ConstantBlend {
    /// Source colour x 256, for four pixels.
    src: [u16; 16],
    /// `(1 - src.a) * 65536`, at most 65535.
    keep: u16,
}

impl ConstantBlend {
    /// Blend `src` (premultiplied, `0..=255`).
    fn new(src: [f32; 4]) -> Self {
        let fixed = |v: f32, scale: f32| (v * scale + 0.5).clamp(0.0, 65535.0) as u16;
        let [r, g, b, a] = map4(src, |c| fixed(c, 256.0));
        Self {
            src: [r, g, b, a, r, g, b, a, r, g, b, a, r, g, b, a],
            keep: fixed(1.0 - src[3] * INV_255, 65536.0),
        }
    }

    #[inline]
    fn apply(&self, span: &mut [u8]) {
        let keep = self.keep;
        let channel = |d: u8, s: u16| {
            // d * (1 - src.a) in 8.8 fixed point, truncated.
            let kept = ((u32::from(u16::from(d) << 8) * u32::from(keep)) >> 16) as u16;
            (s.saturating_add(kept).saturating_add(128) >> 8) as u8
        };
        let (quads, rest) = span.as_chunks_mut::<16>();
        for quad in quads {
            for (d, s) in quad.iter_mut().zip(self.src) {
                *d = channel(*d, s);
            }
        }
        for (d, s) in rest.iter_mut().zip(self.src) {
            *d = channel(*d, s);
        }
    }
}

/// Round to the nearest byte (ties to even), saturating: a GPU's unorm8
/// conversion. Adding 2^23 leaves the rounded integer in the low mantissa
/// bits, which keeps this branch-free and vectorizable (`as u8` is not).
#[inline]
fn to_u8(v: f32) -> u8 {
    (v.clamp(0.0, 255.0) + 8_388_608.0).to_bits() as u8
}

// ----------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use egui::epaint::Mesh;
    use egui::{ColorImage, Pos2, Vec2, pos2, vec2};

    const RED: Color32 = Color32::from_rgb(200, 40, 90);

    /// A store holding the 1x1 white texture meshes without textures use.
    pub(super) fn white_store() -> TextureStore {
        let mut store = TextureStore::new();
        let mut delta = TexturesDelta::default();
        delta.set.insert(
            TextureId::default(),
            [ImageDelta::full(
                ColorImage::new([1, 1], vec![Color32::WHITE]),
                TextureOptions::LINEAR,
            )]
            .into_iter()
            .collect(),
        );
        store.apply_and_clear(&mut delta);
        store
    }

    pub(super) fn clipped(mesh: Mesh) -> ClippedPrimitive {
        ClippedPrimitive {
            clip_rect: Rect::EVERYTHING,
            primitive: Primitive::Mesh(mesh),
        }
    }

    fn quad(rect: Rect, color: Color32) -> Mesh {
        let mut mesh = Mesh::default();
        mesh.add_colored_rect(rect, color);
        mesh
    }

    /// The fan epaint fills a path with (`[pivot, i - 1, i]`), and the same
    /// triangles each with vertices of their own, which are drawn one by one.
    fn fan_and_loose(points: &[Pos2], color: Color32) -> (Mesh, Mesh) {
        let mut fan = Mesh::default();
        for &p in points {
            fan.colored_vertex(p, color);
        }
        for i in 2..points.len() {
            fan.add_triangle(0, i as u32 - 1, i as u32);
        }
        let loose = loose(&fan);
        (fan, loose)
    }

    /// `mesh` with every triangle given vertices of its own: nothing in it
    /// can be drawn merged with its neighbour.
    fn loose(mesh: &Mesh) -> Mesh {
        let mut out = Mesh::with_texture(mesh.texture_id);
        for &i in &mesh.indices {
            out.vertices.push(mesh.vertices[i as usize]);
            out.indices.push(out.vertices.len() as u32 - 1);
        }
        out
    }

    /// The fan and the loose triangles draw the same bytes over white, at
    /// scale `ppp`, in a 48x48 image.
    fn assert_fan_draws_like_its_triangles(points: &[Pos2], ppp: f32) {
        let color = Color32::from_rgba_premultiplied(90, 20, 50, 150);
        let (fan, loose) = fan_and_loose(points, color);
        let store = white_store();
        let draw = |mesh: Mesh| render(&[clipped(mesh)], &store, ppp, [48, 48], Color32::WHITE);
        assert!(
            draw(fan).data() == draw(loose).data(),
            "fan {points:?} at {ppp}x"
        );
    }

    fn triangle(points: [Pos2; 3], color: Color32) -> Mesh {
        let mut mesh = Mesh::default();
        for p in points {
            mesh.colored_vertex(p, color);
        }
        mesh.add_triangle(0, 1, 2);
        mesh
    }

    fn render(
        primitives: &[ClippedPrimitive],
        store: &TextureStore,
        ppp: f32,
        [w, h]: [u32; 2],
        background: Color32,
    ) -> Pixmap {
        let mut pixmap = Pixmap::new(w, h);
        pixmap.fill(background);
        rasterize(primitives, store, ppp, &mut pixmap, 0..h);
        pixmap
    }

    /// Pixels that differ from `background`.
    fn painted(pixmap: &Pixmap, background: Color32) -> Vec<(u32, u32)> {
        let mut out = vec![];
        for y in 0..pixmap.height {
            for x in 0..pixmap.width {
                if pixmap.pixel(x, y).unwrap() != background {
                    out.push((x, y));
                }
            }
        }
        out
    }

    fn block(xs: Range<u32>, ys: Range<u32>) -> Vec<(u32, u32)> {
        ys.flat_map(|y| xs.clone().map(move |x| (x, y))).collect()
    }

    #[test]
    fn opaque_rectangle_is_exact_without_seam() {
        let store = white_store();
        let rect = Rect::from_min_max(pos2(1.3, 2.7), pos2(13.2, 12.9));
        let pixmap = render(
            &[clipped(quad(rect, RED))],
            &store,
            1.0,
            [16, 16],
            Color32::WHITE,
        );
        for y in 0..16 {
            for x in 0..16 {
                let centre = pos2(x as f32 + 0.5, y as f32 + 0.5);
                let expected = if rect.contains(centre) {
                    RED
                } else {
                    Color32::WHITE
                };
                assert_eq!(pixmap.pixel(x, y), Some(expected), "pixel {x},{y}");
            }
        }
    }

    #[test]
    fn translucent_quad_blends_every_pixel_exactly_once() {
        let store = white_store();
        let color = Color32::from_rgba_unmultiplied(0, 0, 255, 128);
        // The diagonal x + y = 10 passes through pixel centres.
        let rect = Rect::from_min_max(pos2(0.0, 0.0), pos2(10.0, 10.0));
        // Both diagonals, and both windings.
        let mut other = Mesh::default();
        for p in [
            rect.left_top(),
            rect.right_top(),
            rect.right_bottom(),
            rect.left_bottom(),
        ] {
            other.colored_vertex(p + vec2(0.0, 12.0), color);
        }
        other.add_triangle(0, 1, 2);
        other.add_triangle(0, 3, 2);
        let primitives = [clipped(quad(rect, color)), clipped(other)];
        let pixmap = render(&primitives, &store, 1.0, [12, 24], Color32::WHITE);
        let once = Color32::from_rgba_premultiplied(127, 127, 255, 255);
        for (x, y) in block(0..10, 0..10).into_iter().chain(block(0..10, 12..22)) {
            assert_eq!(pixmap.pixel(x, y), Some(once), "pixel {x},{y}");
        }
        assert_eq!(painted(&pixmap, Color32::WHITE).len(), 200);
    }

    #[test]
    fn pixel_aligned_edges_follow_top_left_rule() {
        let store = white_store();
        let bg = Color32::TRANSPARENT;
        // A rectangle whose edges run through pixel centres: the left and top
        // rows of centres are in, the right and bottom ones out.
        let rect = Rect::from_min_max(pos2(2.5, 1.5), pos2(5.5, 4.5));
        let pixmap = render(&[clipped(quad(rect, RED))], &store, 1.0, [8, 8], bg);
        assert_eq!(painted(&pixmap, bg), block(2..5, 1..4));

        let covers = |points: [Pos2; 3], x: u32, y: u32| {
            let pixmap = render(&[clipped(triangle(points, RED))], &store, 1.0, [8, 8], bg);
            pixmap.pixel(x, y) == Some(RED)
        };
        // Vertical edge x = 2.5 through the centre of pixel (2, 4).
        assert!(covers(
            [pos2(2.5, 0.0), pos2(2.5, 8.0), pos2(8.0, 4.0)],
            2,
            4
        ));
        assert!(!covers(
            [pos2(2.5, 0.0), pos2(2.5, 8.0), pos2(-3.0, 4.0)],
            2,
            4
        ));
        assert!(covers(
            [pos2(2.5, 0.0), pos2(2.5, 8.0), pos2(-3.0, 4.0)],
            1,
            4
        ));
        // Horizontal edge y = 1.5 through the centre of pixel (4, 1).
        assert!(covers(
            [pos2(0.0, 1.5), pos2(8.0, 1.5), pos2(4.0, 7.0)],
            4,
            1
        ));
        assert!(!covers(
            [pos2(0.0, 1.5), pos2(8.0, 1.5), pos2(4.0, -4.0)],
            4,
            1
        ));
        assert!(covers(
            [pos2(0.0, 1.5), pos2(8.0, 1.5), pos2(4.0, -4.0)],
            4,
            0
        ));
        // Reversed winding changes nothing.
        assert!(covers(
            [pos2(8.0, 4.0), pos2(2.5, 8.0), pos2(2.5, 0.0)],
            2,
            4
        ));
        assert!(!covers(
            [pos2(-3.0, 4.0), pos2(2.5, 8.0), pos2(2.5, 0.0)],
            2,
            4
        ));
    }

    #[test]
    fn clip_rect_is_rounded_to_pixels_and_honoured() {
        let store = white_store();
        let bg = Color32::WHITE;
        let full = Rect::from_min_max(pos2(0.0, 0.0), pos2(12.0, 12.0));
        let primitive = ClippedPrimitive {
            clip_rect: Rect::from_min_max(pos2(2.4, 3.6), pos2(7.5, 9.2)),
            primitive: Primitive::Mesh(quad(full, RED)),
        };
        let pixmap = render(std::slice::from_ref(&primitive), &store, 1.0, [12, 12], bg);
        // round(): 2.4 -> 2, 3.6 -> 4, 7.5 -> 8, 9.2 -> 9.
        assert_eq!(painted(&pixmap, bg), block(2..8, 4..9));
        // In points: at 2 pixels per point the scissor is 4.8.. -> 5.., etc.
        let pixmap = render(&[primitive], &store, 2.0, [24, 24], bg);
        assert_eq!(painted(&pixmap, bg), block(5..15, 7..18));
    }

    fn image_store(
        pixels: Vec<Color32>,
        size: [usize; 2],
        options: TextureOptions,
    ) -> TextureStore {
        let mut store = TextureStore::new();
        let mut delta = TexturesDelta::default();
        delta.set.insert(
            TextureId::User(1),
            [ImageDelta::full(ColorImage::new(size, pixels), options)]
                .into_iter()
                .collect(),
        );
        store.apply_and_clear(&mut delta);
        store
    }

    fn textured_quad(rect: Rect, tint: Color32) -> Mesh {
        let mut mesh = Mesh::with_texture(TextureId::User(1));
        mesh.add_rect_with_uv(
            rect,
            Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0)),
            tint,
        );
        mesh
    }

    #[test]
    fn texture_is_sampled_bilinearly_and_tinted() {
        let texels = vec![
            Color32::from_rgb(255, 0, 0),
            Color32::from_rgb(0, 255, 0),
            Color32::from_rgb(0, 0, 255),
            Color32::WHITE,
        ];
        let store = image_store(texels.clone(), [2, 2], TextureOptions::LINEAR);
        let rect = Rect::from_min_max(pos2(0.0, 0.0), pos2(4.0, 4.0));
        let pixmap = render(
            &[clipped(textured_quad(rect, Color32::WHITE))],
            &store,
            1.0,
            [4, 4],
            Color32::BLACK,
        );
        // Centre (1.5, 1.5) -> uv 0.375 -> texel space 0.25 from the first
        // texel centre: weights 0.75 / 0.25 in x and y.
        // r = mix(mix(255, 0), mix(0, 255)) = 159.375, g = b = 63.75.
        assert_eq!(pixmap.pixel(1, 1), Some(Color32::from_rgb(159, 64, 64)));
        // Corners clamp to the edge texels.
        assert_eq!(pixmap.pixel(0, 0), Some(texels[0]));
        assert_eq!(pixmap.pixel(3, 3), Some(texels[3]));

        // Vertex colour multiplies the sample, in gamma space.
        let tint = Color32::from_rgba_premultiplied(128, 128, 128, 128);
        let pixmap = render(
            &[clipped(textured_quad(rect, tint))],
            &store,
            1.0,
            [4, 4],
            Color32::TRANSPARENT,
        );
        assert_eq!(
            pixmap.pixel(0, 0),
            Some(Color32::from_rgba_premultiplied(128, 0, 0, 128))
        );

        // Nearest filtering picks texels.
        let store = image_store(texels.clone(), [2, 2], TextureOptions::NEAREST);
        let pixmap = render(
            &[clipped(textured_quad(rect, Color32::WHITE))],
            &store,
            1.0,
            [4, 4],
            Color32::BLACK,
        );
        assert_eq!(pixmap.pixel(1, 1), Some(texels[0]));
        assert_eq!(pixmap.pixel(2, 1), Some(texels[1]));
        assert_eq!(pixmap.pixel(1, 2), Some(texels[2]));
    }

    #[test]
    fn texels_mapped_one_to_one_are_copied_exactly() {
        // The path text takes: pixel centres on texel centres.
        let texels: Vec<Color32> = (0..16u8)
            .map(|i| Color32::from_rgba_premultiplied(i * 9, i * 5, i * 3, i * 15))
            .collect();
        let store = image_store(texels.clone(), [4, 4], TextureOptions::LINEAR);
        let rect = Rect::from_min_size(pos2(2.0, 1.0), vec2(4.0, 4.0));
        let black = Color32::BLACK;
        let pixmap = render(
            &[clipped(textured_quad(rect, Color32::WHITE))],
            &store,
            1.0,
            [8, 6],
            black,
        );
        for y in 0..4 {
            for x in 0..4 {
                let texel = texels[y * 4 + x];
                // Over opaque black, premultiplied texels come out as they are.
                let expected =
                    Color32::from_rgba_premultiplied(texel.r(), texel.g(), texel.b(), 255);
                assert_eq!(
                    pixmap.pixel(x as u32 + 2, y as u32 + 1),
                    Some(expected),
                    "texel {x},{y}"
                );
            }
        }
        // Half a pixel off, it is a true bilinear mix instead.
        let shifted = rect.translate(vec2(0.5, 0.0));
        let pixmap = render(
            &[clipped(textured_quad(shifted, Color32::WHITE))],
            &store,
            1.0,
            [8, 6],
            black,
        );
        let mix = |a: u8, b: u8| f32::midpoint(f32::from(a), f32::from(b)).round_ties_even() as u8;
        let (left, right) = (texels[5], texels[6]);
        assert_eq!(
            pixmap.pixel(4, 2),
            Some(Color32::from_rgba_premultiplied(
                mix(left.r(), right.r()),
                mix(left.g(), right.g()),
                mix(left.b(), right.b()),
                255
            ))
        );
    }

    #[test]
    fn a_glyph_on_whole_pixels_far_out_at_3x_is_read_as_its_texels() {
        // A checkerboard, so any blending of neighbours shows.
        let texels: Vec<Color32> = (0..16)
            .map(|i| {
                if (i + i / 4) % 2 == 0 {
                    Color32::WHITE
                } else {
                    Color32::TRANSPARENT
                }
            })
            .collect();
        let store = image_store(texels.clone(), [4, 4], TextureOptions::LINEAR);
        let ppp = 3.0;
        // On whole pixels (105,002 and 3) as epaint places a glyph, but in
        // f32 points, which are off those pixels by 0.004 pixel this far out.
        let left = 105_002.0 / ppp;
        let top = 1.0;
        let draw = |shift: f32| {
            let rect = Rect::from_min_size(pos2(left + shift, top), vec2(4.0 / ppp, 4.0 / ppp));
            render(
                &[clipped(textured_quad(rect, Color32::WHITE))],
                &store,
                ppp,
                [105_010, 8],
                Color32::BLACK,
            )
        };
        let on_pixels = draw(0.0);
        for y in 0..4 {
            for x in 0..4 {
                let texel = texels[y * 4 + x];
                assert_eq!(
                    on_pixels.pixel(105_002 + x as u32, 3 + y as u32),
                    Some(Color32::from_rgba_premultiplied(
                        texel.r(),
                        texel.g(),
                        texel.b(),
                        255
                    )),
                    "texel {x},{y}"
                );
            }
        }
        // A tenth of a pixel off is no rounding error: a bilinear mix.
        let off = draw(0.1 / ppp);
        let pixel = off.pixel(105_003, 3).map(|c| c.r());
        assert!(
            pixel.is_some_and(|r| (20..=40).contains(&r)),
            "a tenth of the white texel to the right of a clear one: {pixel:?}"
        );
    }

    #[test]
    fn missing_texture_skips_the_mesh() {
        let store = white_store();
        let rect = Rect::from_min_max(pos2(0.0, 0.0), pos2(4.0, 4.0));
        let pixmap = render(
            &[clipped(textured_quad(rect, Color32::WHITE))],
            &store,
            1.0,
            [4, 4],
            Color32::BLACK,
        );
        assert!(painted(&pixmap, Color32::BLACK).is_empty());
    }

    /// epaint's tessellator at 1 pixel per point, with its default
    /// feathering.
    fn tessellator() -> egui::epaint::Tessellator {
        let options = egui::epaint::TessellationOptions::default();
        egui::epaint::Tessellator::new(1.0, options, [1, 1], vec![])
    }

    /// A small scene exercising every shading path, clip rects and edges.
    fn busy_scene() -> (Vec<ClippedPrimitive>, TextureStore) {
        let mut store = image_store(
            (0..16)
                .map(|i| Color32::from_rgba_premultiplied(i * 15, 255 - i * 15, 90, 200))
                .collect(),
            [4, 4],
            TextureOptions::LINEAR_REPEAT,
        );
        store.set(
            TextureId::default(),
            &ImageDelta::full(
                ColorImage::new([1, 1], vec![Color32::WHITE]),
                TextureOptions::LINEAR,
            ),
        );
        let mut primitives = vec![clipped(quad(
            Rect::from_min_max(pos2(1.2, 0.7), pos2(15.3, 20.1)),
            Color32::from_rgba_unmultiplied(20, 120, 220, 140),
        ))];
        let mut fan = Mesh::default();
        fan.colored_vertex(
            pos2(8.5, 10.5),
            Color32::from_rgba_unmultiplied(255, 200, 0, 255),
        );
        for i in 0..12 {
            let angle = i as f32 / 12.0 * std::f32::consts::TAU;
            let alpha = (i * 20) as u8;
            fan.colored_vertex(
                pos2(8.5, 10.5) + 7.3 * vec2(angle.cos(), angle.sin()),
                Color32::from_rgba_unmultiplied(10, 90, 200, alpha),
            );
        }
        for i in 0..12 {
            fan.add_triangle(0, 1 + i, 1 + (i + 1) % 12);
        }
        primitives.push(clipped(fan));
        let mut image = Mesh::with_texture(TextureId::User(1));
        image.vertices.extend([
            Vertex {
                pos: pos2(2.0, 3.0),
                uv: pos2(-0.3, 0.1),
                color: Color32::WHITE,
            },
            Vertex {
                pos: pos2(14.0, 6.0),
                uv: pos2(2.2, -0.4),
                color: Color32::from_gray(180),
            },
            Vertex {
                pos: pos2(5.0, 19.0),
                uv: pos2(0.4, 1.9),
                color: Color32::WHITE,
            },
        ]);
        image.add_triangle(0, 1, 2);
        primitives.push(ClippedPrimitive {
            clip_rect: Rect::from_min_max(pos2(3.3, 4.4), pos2(12.6, 16.5)),
            primitive: Primitive::Mesh(image),
        });
        // epaint's own feathering: a rounded, stroked rectangle (a card)
        // and a ring, their feathered quads slanted and graded, cut by
        // band edges.
        let mut tessellator = tessellator();
        let mut outlines = Mesh::default();
        let card = Rect::from_min_max(pos2(2.3, 5.6), pos2(14.1, 17.2));
        tessellator.tessellate_shape(
            egui::Shape::Rect(egui::epaint::RectShape::new(
                card,
                3.0,
                Color32::from_rgb(250, 240, 200),
                egui::Stroke::new(1.4, Color32::from_rgb(30, 60, 90)),
                egui::StrokeKind::Inside,
            )),
            &mut outlines,
        );
        tessellator.tessellate_shape(
            egui::Shape::circle_stroke(pos2(9.0, 8.0), 5.5, (1.0, Color32::RED)),
            &mut outlines,
        );
        primitives.push(clipped(outlines));
        // Far beyond the guard band: clipped before rasterization.
        primitives.push(clipped(quad(
            Rect::from_min_max(pos2(-1.0e8, 13.25), pos2(1.0e8, 1.0e9)),
            Color32::from_rgba_unmultiplied(0, 0, 0, 60),
        )));
        (primitives, store)
    }

    #[test]
    fn rendering_in_bands_equals_one_pass() {
        let (primitives, store) = busy_scene();
        for ppp in [1.0, 1.5] {
            let whole = render(&primitives, &store, ppp, [17, 21], Color32::WHITE);
            let mut banded = vec![];
            for band in 0..3 {
                let mut pixmap = Pixmap::new(17, 7);
                pixmap.fill(Color32::WHITE);
                rasterize(
                    &primitives,
                    &store,
                    ppp,
                    &mut pixmap,
                    band * 7..band * 7 + 7,
                );
                banded.extend_from_slice(pixmap.data());
            }
            assert_eq!(whole.data(), banded.as_slice());
            assert!(painted(&whole, Color32::WHITE).len() > 200);
        }
    }

    #[test]
    fn binned_bands_equal_one_pass() {
        let (primitives, store) = busy_scene();
        for (ppp, rows_per_bin) in [(1.0, 7), (1.5, 4), (1.0, 1), (2.0, 30)] {
            let whole = render(&primitives, &store, ppp, [17, 21], Color32::WHITE);
            let bins = Bins::new(&primitives, &store, ppp, 0..21, rows_per_bin);
            assert_eq!(bins.len(), 21usize.div_ceil(rows_per_bin as usize));
            let banded = banded(&primitives, &bins, &store, ppp, 17);
            assert_eq!(whole.data(), banded.as_slice(), "{ppp} {rows_per_bin}");
        }
        // A bin holds only the triangles that reach its rows.
        let (primitives, store) = busy_scene();
        let bins = Bins::new(&primitives, &store, 1.0, 0..21, 1);
        let total = triangle_count(&primitives);
        assert!(bins.triangles.iter().any(|b| b.len() < total));
    }

    #[test]
    fn glyphs_are_found_once_and_drawn_as_their_triangles_in_any_band() {
        // Texels of every alpha, so any misplaced row or column shows.
        let texels: Vec<Color32> = (0..64u8)
            .map(|i| {
                let a = ((u32::from(i) * 37) % 251) as u8;
                Color32::from_rgba_premultiplied(a / 2, a / 3, a, a)
            })
            .collect();
        let store = image_store(texels, [8, 8], TextureOptions::LINEAR);
        let at = |x: f32, y: f32| Rect::from_min_size(pos2(x, y), vec2(8.0, 8.0));
        let blue = Color32::from_rgb(30, 80, 200);
        // The texture the wrong way round: u down, v across.
        let mut turned = Mesh::with_texture(TextureId::User(1));
        let rect = at(31.0, 4.0);
        for (pos, uv) in [
            (rect.left_top(), pos2(0.0, 0.0)),
            (rect.right_top(), pos2(0.0, 1.0)),
            (rect.right_bottom(), pos2(1.0, 1.0)),
            (rect.left_bottom(), pos2(1.0, 0.0)),
        ] {
            turned.vertices.push(Vertex {
                pos,
                uv,
                color: Color32::WHITE,
            });
        }
        turned.add_triangle(0, 1, 2);
        turned.add_triangle(0, 2, 3);
        let mut text = Mesh::with_texture(TextureId::User(1));
        text.append(textured_quad(at(1.0, 2.0), Color32::WHITE));
        text.append(textured_quad(at(11.0, 5.0), blue));
        // Half a pixel off: sampled, not copied.
        text.append(textured_quad(at(21.5, 3.0), Color32::WHITE));
        text.append(turned);
        // A clip rect cutting through glyphs.
        let mut cut = Mesh::with_texture(TextureId::User(1));
        cut.append(textured_quad(at(3.0, 7.0), blue));
        cut.append(textured_quad(at(36.0, 9.0), Color32::WHITE));
        let primitives = [
            clipped(text),
            ClippedPrimitive {
                clip_rect: Rect::from_min_max(pos2(5.0, 8.0), pos2(40.0, 13.0)),
                primitive: Primitive::Mesh(cut),
            },
        ];
        let size = [44, 18];
        let bins = Bins::new(&primitives, &store, 1.0, 0..size[1], size[1]);
        assert_eq!(bins.glyphs.len(), 4, "the glyphs on whole pixels");
        let whole = render(&primitives, &store, 1.0, size, Color32::WHITE);
        for rows in [1, 3, 7] {
            let bins = Bins::new(&primitives, &store, 1.0, 0..size[1], rows);
            let banded = banded(&primitives, &bins, &store, 1.0, size[0]);
            assert!(whole.data() == banded.as_slice(), "bands of {rows}");
        }
        // Each mesh's first triangles, then their second ones: no pair is
        // a glyph, and every triangle is drawn on its own, to the same
        // pixels.
        let apart: Vec<ClippedPrimitive> = primitives
            .iter()
            .map(|clipped| {
                let mut clipped = clipped.clone();
                if let Primitive::Mesh(mesh) = &mut clipped.primitive {
                    let triangles: Vec<&[u32]> = mesh.indices.chunks(3).collect();
                    let (even, odd): (Vec<_>, Vec<_>) =
                        triangles.iter().enumerate().partition(|(i, _)| i % 2 == 0);
                    mesh.indices = even
                        .into_iter()
                        .chain(odd)
                        .flat_map(|(_, triangle)| triangle.iter().copied())
                        .collect();
                }
                clipped
            })
            .collect();
        let bins = Bins::new(&apart, &store, 1.0, 0..size[1], size[1]);
        assert!(bins.glyphs.is_empty());
        let drawn = render(&apart, &store, 1.0, size, Color32::WHITE);
        assert!(drawn.data() == whole.data());
        assert!(painted(&whole, Color32::WHITE).len() > 250);
    }

    /// Many feathered outlines (cards, rings, curves), cut by bands
    /// through their slanted, graded quads: each band draws its part of a
    /// shape as one pass does, so the bytes are one pass's.
    #[test]
    fn feathering_cut_by_bands_equals_one_pass() {
        let mut tessellator = tessellator();
        let mut mesh = Mesh::default();
        for i in 0..40 {
            let f = f32::from(i);
            let at = pos2(7.0 + (f * 37.3) % 150.0, 5.0 + (f * 23.9) % 140.0);
            let color = Color32::from_rgb(40 + i * 5, 200 - i * 4, 90);
            let stroke = egui::Stroke::new(0.6 + (f * 0.37) % 2.0, color);
            tessellator.tessellate_shape(
                egui::Shape::Rect(egui::epaint::RectShape::new(
                    Rect::from_min_size(at, vec2(20.0 + f % 9.0, 11.0 + f % 5.0)),
                    1.0 + f % 6.0,
                    Color32::from_rgb(250, 245, 235),
                    stroke,
                    egui::StrokeKind::Inside,
                )),
                &mut mesh,
            );
            tessellator.tessellate_shape(
                egui::Shape::circle_stroke(at + vec2(9.0, 4.0), 2.0 + f % 11.0, stroke),
                &mut mesh,
            );
        }
        let primitives = [clipped(mesh)];
        let store = white_store();
        for ppp in [1.0, 1.5] {
            let size = (180.0 * ppp) as u32;
            let whole = render(&primitives, &store, ppp, [size, size], Color32::WHITE);
            let bins = Bins::new(&primitives, &store, ppp, 0..size, 7);
            let banded = banded(&primitives, &bins, &store, ppp, size);
            assert!(whole.data() == banded.as_slice(), "{ppp}x");
        }
    }

    /// Every bin of `bins` drawn over white, `width` pixels wide, one after
    /// the other, with the stamps of the bins before (an export's thread
    /// keeps them too): the bytes of the whole image.
    fn banded(
        primitives: &[ClippedPrimitive],
        bins: &Bins,
        store: &TextureStore,
        ppp: f32,
        width: u32,
    ) -> Vec<u8> {
        let mut white = Pixmap::new(width, bins.rows.end);
        white.fill(Color32::WHITE);
        let mut cache = DrawCache::default();
        draw_bands(primitives, bins, store, ppp, &white, Some(&mut cache))
    }

    /// Every bin of `bins` drawn at `ppp` over its rows of `background`
    /// (which holds output rows from 0), one after the other, with `cache`
    /// (or a fresh one for each band when `None`): the bytes of the whole
    /// image.
    pub(super) fn draw_bands(
        primitives: &[ClippedPrimitive],
        bins: &Bins,
        store: &TextureStore,
        ppp: f32,
        background: &Pixmap,
        mut cache: Option<&mut DrawCache>,
    ) -> Vec<u8> {
        let width = background.width;
        let bytes = width as usize * 4;
        let mut out = Vec::new();
        for bin in 0..bins.len() {
            let band = bins.band(bin);
            let mut pixmap = Pixmap::new(width, band.len() as u32);
            let range = band.start as usize * bytes..band.end as usize * bytes;
            pixmap.data_mut().copy_from_slice(&background.data()[range]);
            let mut fresh = DrawCache::default();
            let cache = cache.as_deref_mut().unwrap_or(&mut fresh);
            rasterize_bin(primitives, bins, bin, store, ppp, &mut pixmap, cache);
            out.extend_from_slice(pixmap.data());
        }
        out
    }

    /// How many triangles the meshes of `primitives` hold.
    fn triangle_count(primitives: &[ClippedPrimitive]) -> usize {
        primitives
            .iter()
            .map(|p| match &p.primitive {
                Primitive::Mesh(mesh) => mesh.indices.len() / 3,
                Primitive::Callback(_) => 0,
            })
            .sum()
    }

    #[test]
    fn huge_triangles_are_exact_and_seamless() {
        let store = white_store();
        let color = Color32::from_rgba_unmultiplied(0, 0, 255, 128);
        let rect = Rect::from_min_max(pos2(-3.0e8, -1.0e9), pos2(7.0e8, 2.0e9));
        let pixmap = render(
            &[clipped(quad(rect, color))],
            &store,
            1.0,
            [9, 9],
            Color32::WHITE,
        );
        let once = Color32::from_rgba_premultiplied(127, 127, 255, 255);
        assert!(
            block(0..9, 0..9)
                .into_iter()
                .all(|(x, y)| pixmap.pixel(x, y) == Some(once))
        );
    }

    #[test]
    fn two_pixels_per_point_doubles_each_side() {
        let store = white_store();
        let bg = Color32::TRANSPARENT;
        let primitives = [clipped(quad(
            Rect::from_min_max(pos2(1.0, 1.0), pos2(3.0, 3.0)),
            RED,
        ))];
        let one = render(&primitives, &store, 1.0, [8, 8], bg);
        assert_eq!(painted(&one, bg), block(1..3, 1..3));
        let two = render(&primitives, &store, 2.0, [8, 8], bg);
        assert_eq!(painted(&two, bg), block(2..6, 2..6));
    }

    #[test]
    fn unmultiplied_output_rounds_to_nearest() {
        let mut pixmap = Pixmap::new(3, 1);
        pixmap.data = vec![64, 1, 128, 128, 7, 7, 7, 0, 10, 20, 30, 255];
        assert_eq!(
            pixmap.to_unmultiplied_rgba(),
            // 64 * 255 / 128 = 127.5 -> 128; 1 * 255 / 128 = 1.99 -> 2.
            vec![128, 2, 255, 128, 0, 0, 0, 0, 10, 20, 30, 255]
        );
        assert_eq!(
            pixmap.pixel(1, 0),
            Some(Color32::from_rgba_premultiplied(7, 7, 7, 0))
        );
        assert_eq!(pixmap.pixel(3, 0), None);
        assert!(Pixmap::try_new(u32::MAX, u32::MAX).is_none());
    }

    #[test]
    fn is_opaque_sees_every_alpha() {
        let mut pixmap = Pixmap::new(700, 3);
        pixmap.fill(Color32::WHITE);
        assert!(pixmap.is_opaque());
        for at in [0, 255 * 4 + 3, 1000 * 4 + 3, pixmap.data.len() - 1] {
            let mut other = pixmap.clone();
            other.data[at] = 254;
            assert_eq!(other.is_opaque(), at % 4 != 3, "byte {at}");
        }
        assert!(Pixmap::new(0, 0).is_opaque());
    }

    #[test]
    fn fill_around_leaves_exactly_the_hole() {
        let red = Color32::RED;
        let mut pixmap = Pixmap::new(6, 5);
        pixmap.fill_around(red, 2..4, 1..3);
        for y in 0..5 {
            for x in 0..6 {
                let hole = (2..4).contains(&x) && (1..3).contains(&y);
                let expected = if hole { Color32::TRANSPARENT } else { red };
                assert_eq!(pixmap.pixel(x, y), Some(expected), "({x}, {y})");
            }
        }
        // A hole reaching past the edges, or inside out, is clipped.
        let mut pixmap = Pixmap::new(6, 5);
        pixmap.fill_around(red, 4..99, 3..99);
        assert_eq!(pixmap.pixel(5, 4), Some(Color32::TRANSPARENT));
        assert_eq!(pixmap.pixel(3, 4), Some(red));
        let (from, to) = (5, 2);
        pixmap.fill_around(Color32::BLUE, from..to, 0..5);
        assert!(
            pixmap
                .data
                .chunks_exact(4)
                .all(|p| p == Color32::BLUE.to_array())
        );
        Pixmap::new(0, 3).fill_around(red, 0..1, 0..1);
    }

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
        assert!(store.is_empty());
    }

    #[test]
    fn egui_context_output_renders_rect_and_text() {
        let ctx = egui::Context::default();
        ctx.set_fonts(crate::view::theme::font_definitions());
        let raw_input = egui::RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(160.0, 48.0))),
            ..Default::default()
        };
        let rect = Rect::from_min_max(pos2(4.0, 4.0), pos2(36.0, 44.0));
        let fill = Color32::from_rgb(30, 160, 90);
        let mut full_output = ctx.run_ui(raw_input, |ui| {
            ui.painter().rect_filled(rect, 0.0, fill);
            ui.painter().text(
                pos2(44.0, 24.0),
                egui::Align2::LEFT_CENTER,
                "Hello",
                egui::FontId::proportional(24.0),
                Color32::BLACK,
            );
        });
        let mut store = TextureStore::new();
        store.apply_and_clear(&mut full_output.textures_delta);
        assert!(store.get(TextureId::default()).is_some(), "font atlas");
        let ppp = full_output.pixels_per_point;
        let primitives = ctx.tessellate(full_output.shapes, ppp);
        let pixmap = render(&primitives, &store, ppp, [160, 48], Color32::WHITE);

        assert_eq!(pixmap.pixel(20, 24), Some(fill));
        let mut dark = 0;
        for y in 8..40 {
            for x in 44..150 {
                let [r, g, b, _] = pixmap.pixel(x, y).unwrap().to_array();
                if r < 100 && g < 100 && b < 100 {
                    dark += 1;
                }
            }
        }
        assert!(
            dark > 50,
            "only {dark} dark pixels where the text should be"
        );
        // Nothing is painted outside the rect and the text.
        assert_eq!(pixmap.pixel(150, 4), Some(Color32::WHITE));
    }

    /// Best of `runs` timings of `f`, in milliseconds.
    fn best_ms(runs: usize, mut f: impl FnMut()) -> f64 {
        let mut best = f64::INFINITY;
        for _ in 0..runs {
            let start = std::time::Instant::now();
            f();
            best = best.min(start.elapsed().as_secs_f64() * 1e3);
        }
        best
    }

    /// Best of `runs` timings of rasterizing onto a freshly filled `target`.
    fn rasterize_ms(
        runs: usize,
        primitives: &[ClippedPrimitive],
        store: &TextureStore,
        ppp: f32,
        target: &mut Pixmap,
        background: Color32,
    ) -> f64 {
        let mut best = f64::INFINITY;
        for _ in 0..runs {
            target.fill(background);
            let rows = 0..target.height;
            let start = std::time::Instant::now();
            rasterize(primitives, store, ppp, target, rows);
            best = best.min(start.elapsed().as_secs_f64() * 1e3);
        }
        best
    }

    /// Milliseconds to PNG-encode `pixmap` (straight alpha, default settings).
    fn png_ms(pixmap: &Pixmap) -> f64 {
        let rgba = pixmap.to_unmultiplied_rgba();
        best_ms(3, || {
            let mut png = Vec::new();
            image::ImageEncoder::write_image(
                image::codecs::png::PngEncoder::new(&mut png),
                &rgba,
                pixmap.width,
                pixmap.height,
                image::ExtendedColorType::Rgba8,
            )
            .unwrap();
        })
    }

    /// Speed figure, not a test:
    /// `cargo test --release --lib raster::tests::timing -- --ignored --nocapture`.
    #[test]
    #[ignore = "timing printout"]
    fn timing_small_translucent_triangles() {
        let size = 1000;
        let cell = 5.0;
        let mut gouraud = Mesh::default();
        let cells = (size as f32 / cell) as u32;
        for j in 0..cells {
            for i in 0..cells {
                let min = pos2(i as f32 * cell, j as f32 * cell);
                let idx = gouraud.vertices.len() as u32;
                let corners = [
                    vec2(0.0, 0.0),
                    vec2(cell, 0.0),
                    vec2(0.0, cell),
                    vec2(cell, cell),
                ];
                for (k, corner) in corners.into_iter().enumerate() {
                    let c = (i * 7 + j * 3 + k as u32 * 50) as u8;
                    let color = Color32::from_rgba_unmultiplied(c, 255 - c, 128, 100 + c / 2);
                    gouraud.colored_vertex(min + corner, color);
                }
                gouraud.add_triangle(idx, idx + 1, idx + 2);
                gouraud.add_triangle(idx + 2, idx + 1, idx + 3);
            }
        }
        let triangles = gouraud.indices.len() / 3;
        let mut flat = gouraud.clone();
        for v in &mut flat.vertices {
            v.color = Color32::from_rgba_unmultiplied(20, 100, 200, 128);
        }
        let mut textured = gouraud.clone();
        textured.texture_id = TextureId::User(1);
        for v in &mut textured.vertices {
            // Magnified about 4.7 times: every pixel is a true bilinear mix.
            v.uv = pos2(v.pos.x / 300.0, v.pos.y / 300.0);
        }
        let mut store = image_store(
            (0..64 * 64)
                .map(|i| Color32::from_white_alpha((i % 251) as u8))
                .collect(),
            [64, 64],
            TextureOptions::LINEAR,
        );
        store.set(
            TextureId::default(),
            &ImageDelta::full(
                ColorImage::new([1, 1], vec![Color32::WHITE]),
                TextureOptions::LINEAR,
            ),
        );
        let mut pixmap = Pixmap::new(size, size);
        for (name, mesh) in [
            ("flat colour", flat),
            ("per-vertex colour", gouraud),
            ("bilinear textured", textured),
        ] {
            let primitives = [clipped(mesh)];
            let ms = rasterize_ms(10, &primitives, &store, 1.0, &mut pixmap, Color32::WHITE);
            println!(
                "rasterize {triangles} {name} translucent triangles over {size}x{size}: {ms:.2} ms"
            );
        }
        println!("png encode of the last image: {:.2} ms", png_ms(&pixmap));
    }

    /// Speed figure for egui output like a journey map's (cards, strokes,
    /// text, curves), at 2 pixels per point.
    #[test]
    #[ignore = "timing printout"]
    fn timing_egui_scene() {
        let (width, height, ppp) = (1200.0, 700.0, 2.0);
        let ctx = egui::Context::default();
        ctx.set_fonts(crate::view::theme::font_definitions());
        let mut input = egui::RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(width, height))),
            ..Default::default()
        };
        input
            .viewports
            .entry(input.viewport_id)
            .or_default()
            .native_pixels_per_point = Some(ppp);
        let mut output = ctx.run_ui(input, |ui| {
            let painter = ui.painter();
            painter.rect_filled(ui.max_rect(), 0.0, Color32::from_rgb(248, 247, 244));
            for column in 0..8 {
                for row in 0..6 {
                    let min = pos2(20.0 + column as f32 * 145.0, 20.0 + row as f32 * 110.0);
                    let rect = Rect::from_min_size(min, vec2(130.0, 95.0));
                    let fill = Color32::from_rgba_unmultiplied(80, 140, 220, 60);
                    painter.rect_filled(rect, 8.0, fill);
                    painter.rect_stroke(
                        rect,
                        8.0,
                        egui::Stroke::new(1.5, Color32::from_rgb(60, 90, 160)),
                        egui::StrokeKind::Inside,
                    );
                    for line in 0..3 {
                        painter.text(
                            min + vec2(10.0, 12.0 + line as f32 * 22.0),
                            egui::Align2::LEFT_TOP,
                            "Checkout page",
                            egui::FontId::proportional(14.0),
                            Color32::from_gray(40),
                        );
                    }
                }
            }
            let curve: Vec<Pos2> = (0..400)
                .map(|i| {
                    let x = 20.0 + i as f32 * 2.9;
                    pos2(x, 350.0 + 120.0 * (x / 90.0).sin())
                })
                .collect();
            painter.add(egui::Shape::line(
                curve,
                egui::Stroke::new(3.0, Color32::from_rgb(220, 80, 60)),
            ));
        });
        let mut store = TextureStore::new();
        store.apply_and_clear(&mut output.textures_delta);
        let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
        let triangles = triangle_count(&primitives);
        let (w, h) = ((width * ppp) as u32, (height * ppp) as u32);
        let mut pixmap = Pixmap::new(w, h);
        let ppp = output.pixels_per_point;
        let ms = rasterize_ms(
            5,
            &primitives,
            &store,
            ppp,
            &mut pixmap,
            Color32::TRANSPARENT,
        );
        println!("rasterize egui scene, {triangles} triangles, {w}x{h} px: {ms:.2} ms");
        println!("png encode of the same pixels: {:.2} ms", png_ms(&pixmap));
    }

    /// Points around an ellipse in order: a convex polygon, unless snapping
    /// to half pixels makes it degenerate or dents it.
    fn ellipse(centre: Pos2, radii: Vec2, angles: &[f32], snap: bool) -> Vec<Pos2> {
        let mut angles = angles.to_vec();
        angles.sort_by(f32::total_cmp);
        angles
            .iter()
            .map(|a| {
                let p = centre + vec2(radii.x * a.cos(), radii.y * a.sin());
                if snap {
                    pos2((p.x * 2.0).round() / 2.0, (p.y * 2.0).round() / 2.0)
                } else {
                    p
                }
            })
            .collect()
    }

    proptest::proptest! {
        /// A glyph drawn as a whole (found when binned and copied as a
        /// block of texels, see [`Glyph`], or else filled as a rectangle)
        /// gives the bytes of each of its rows shaded alone: on texel
        /// centres, a hair or half a pixel off them, and stretched or
        /// squashed so texels no longer step one to one (the rows of a
        /// glyph are read as one block of texture rows only when they step
        /// one texture row a row).
        #[test]
        fn a_glyph_box_shades_like_its_rows(
            x in 0u32..8,
            y in 0u32..8,
            offset in proptest::sample::select(vec![0.0f32, 1.0e-5, 0.25, 0.5]),
            size in (1usize..7, 1usize..7),
            at in (0usize..3, 0usize..3),
            stretch in proptest::sample::select(vec![1.0f32, 1.000_01, 1.5]),
            tall in proptest::sample::select(vec![1.0f32, 1.000_1, 2.0, 0.5]),
            drop in proptest::sample::select(vec![0.0f32, 0.25]),
            tint in proptest::array::uniform4(0u8..=255),
            texels in proptest::collection::vec(proptest::array::uniform4(0u8..=255), 64),
            ppp in proptest::sample::select(vec![1.0f32, 2.0]),
        ) {
            // The glyph is `size` texels at `at` in an 8x8 atlas.
            let (w, h) = size;
            let pixels = texels
                .iter()
                .map(|&[r, g, b, a]| Color32::from_rgba_premultiplied(r, g, b, a))
                .collect();
            let store = image_store(pixels, [8, 8], TextureOptions::LINEAR);
            let [r, g, b, a] = tint;
            // Squashed to half height a quarter pixel down, every other
            // texture row is on a pixel centre.
            let min = pos2(x as f32 + offset, y as f32 + drop) / ppp;
            let rect = Rect::from_min_size(min, vec2(w as f32 * stretch, h as f32 * tall) / ppp);
            let uv = Rect::from_min_size(
                pos2(at.0 as f32, at.1 as f32) / 8.0,
                vec2(w as f32, h as f32) / 8.0,
            );
            let mut mesh = Mesh::with_texture(TextureId::User(1));
            mesh.add_rect_with_uv(rect, uv, Color32::from_rgba_premultiplied(r, g, b, a));
            let texture = store.get(TextureId::User(1)).expect("the texture");
            let pair = TrianglePair::find(&mesh, 0).expect("two triangles");
            let rect = RectPair::find(&pair).expect("an upright rectangle");
            let (first, last) = rect.pixel_span(f64::from(ppp)).expect("near the origin");
            let points = pixel_points(rect.triangle, f64::from(ppp));
            let shading = Shading::new(&points, rect.triangle, texture, &mut TexelCache::default());
            let background = |pixmap: &mut Pixmap| pixmap.fill(Color32::from_rgb(30, 140, 200));
            let mut together = Pixmap::new(16, 16);
            background(&mut together);
            let mut alone = together.clone();
            let primitives = [clipped(mesh)];
            rasterize(&primitives, &store, ppp, &mut together, 0..16);
            let mut frame = Frame::new(&mut alone, 0..16, ppp).expect("a frame");
            for row in first[1]..=last[1].min(15) {
                let columns = first[0]..last[0].min(15) + 1;
                if let Some(span) = frame.span_mut(row, columns.start, columns.end) {
                    shading.shade_span(span, texture, columns.start, row);
                }
            }
            proptest::prop_assert!(together.data() == alone.data());
            // On texel centres, one to one, it is a glyph. (The values
            // are picked from lists: the very same floats.)
            #[allow(clippy::float_cmp)]
            let exact = offset == 0.0 && stretch == 1.0 && tall == 1.0 && drop == 0.0;
            let bins = Bins::new(&primitives, &store, ppp, 0..16, 16);
            proptest::prop_assert!(!exact || bins.glyphs.len() == 1);
        }

        /// Drawn as one polygon, a convex fill's fan covers exactly the pixels
        /// its triangles do, each once (a translucent colour would show a
        /// pixel blended twice), with centres exactly on edges and vertices.
        #[test]
        fn a_convex_fan_draws_like_its_triangles(
            cx in 8.0f32..40.0,
            cy in 8.0f32..40.0,
            rx in 0.5f32..30.0,
            ry in 0.5f32..30.0,
            angles in proptest::collection::vec(0.0f32..std::f32::consts::TAU, 3..40),
            snap in proptest::bool::ANY,
            reverse in proptest::bool::ANY,
            turn in 0usize..40,
            ppp in proptest::sample::select(vec![0.75f32, 1.0, 1.25]),
        ) {
            let mut points = ellipse(pos2(cx, cy), vec2(rx, ry), &angles, snap);
            if reverse {
                points.reverse();
            }
            let turn = turn % points.len();
            points.rotate_left(turn);
            assert_fan_draws_like_its_triangles(&points, ppp);
        }

        /// Any other fan (concave, self-overlapping, off the image) is
        /// drawn triangle by triangle: the same bytes again.
        #[test]
        fn any_fan_draws_like_its_triangles(
            points in proptest::collection::vec((-10.0f32..60.0, -10.0f32..60.0), 3..12),
        ) {
            let points: Vec<Pos2> = points.into_iter().map(|(x, y)| pos2(x, y)).collect();
            assert_fan_draws_like_its_triangles(&points, 1.0);
        }
    }

    /// The polygon path is really taken for convex fills (else the tests
    /// above compare the triangle path with itself), and refused for what
    /// is not convex.
    #[test]
    fn convex_fans_are_found_and_checked() {
        let square = [
            pos2(2.0, 2.0),
            pos2(30.0, 2.0),
            pos2(30.0, 20.0),
            pos2(2.0, 20.0),
        ];
        let (fan, loose) = fan_and_loose(&square, RED);
        let entries = |mesh: &Mesh| -> Vec<(u32, u32)> {
            (0..mesh.indices.len() as u32 / 3)
                .map(|t| (0, 3 * t))
                .collect()
        };
        assert_eq!(fan_len(&fan, &entries(&fan)), 2);
        assert_eq!(fan_len(&loose, &entries(&loose)), 1);
        let mut shaded = fan.clone();
        shaded.vertices[2].color = Color32::BLUE;
        assert_eq!(fan_len(&shaded, &entries(&shaded)), 0, "one colour only");

        let polygon = |points: &[[i64; 2]]| {
            let mut polygon = ConvexPolygon::new();
            for &p in points {
                polygon.push(p);
            }
            polygon
        };
        let square = [[0, 0], [10, 0], [10, 10], [0, 10]];
        let mut clockwise = polygon(&square);
        assert!(clockwise.make_convex_positive());
        let mut anticlockwise = polygon(&[[0, 0], [0, 10], [10, 10], [10, 0]]);
        assert!(anticlockwise.make_convex_positive());
        assert_eq!(clockwise.as_slice().len(), 4);
        // Repeated points are dropped, collinear ones kept.
        let mut repeats = polygon(&[[0, 0], [0, 0], [5, 0], [10, 0], [10, 10], [0, 10], [0, 0]]);
        assert!(repeats.make_convex_positive());
        assert_eq!(repeats.as_slice().len(), 5);
        // A dent, a pentagram (turns all one way, winds twice), a spike
        // doubling back, a line.
        let dent = [[0, 0], [10, 0], [5, 3], [10, 10], [0, 10]];
        let star = [[0, -10], [6, 8], [-10, -3], [10, -3], [-6, 8]];
        let spike = [[0, 0], [10, 0], [10, 10], [10, 20], [10, 10], [0, 10]];
        let line = [[0, 0], [5, 5], [10, 10]];
        for points in [&dent[..], &star, &spike, &line] {
            assert!(!polygon(points).make_convex_positive(), "{points:?}");
        }
    }

    /// Two drawings over white paint the same pixels, within one level.
    fn same_but_rounding(
        merged: &Pixmap,
        one_by_one: &Pixmap,
    ) -> Result<(), proptest::test_runner::TestCaseError> {
        for (a, b) in merged
            .data()
            .chunks_exact(4)
            .zip(one_by_one.data().chunks_exact(4))
        {
            let painted = |p: &[u8]| p != [255; 4];
            proptest::prop_assert_eq!(painted(a), painted(b));
            for (a, b) in a.iter().zip(b) {
                proptest::prop_assert!(a.abs_diff(*b) <= 1, "{:?} vs {:?}", a, b);
            }
        }
        Ok(())
    }

    proptest::proptest! {
        /// Two triangles making an upright rectangle (a glyph; a gradient)
        /// are drawn as one: the same pixels as the triangles one by one,
        /// shaded the same but for rounding (at most one level).
        #[test]
        fn a_rectangle_pair_draws_like_its_triangles(
            x in 0.0f32..30.0,
            y in 0.0f32..30.0,
            w in 0.2f32..30.0,
            h in 0.2f32..30.0,
            left in 0u8..=255,
            right in 0u8..=255,
            textured in proptest::bool::ANY,
            ppp in proptest::sample::select(vec![0.75f32, 1.0, 1.25]),
        ) {
            let rect = Rect::from_min_size(pos2(x, y), vec2(w, h));
            let shade = |a: u8| Color32::from_rgba_premultiplied(a / 2, a / 3, a, a);
            let mesh = if textured {
                textured_quad(rect, shade(left))
            } else {
                // Colour changing across, as epaint feathers a vertical edge.
                let mut mesh = Mesh::default();
                for (corner, a) in [
                    (rect.left_top(), left),
                    (rect.right_top(), right),
                    (rect.left_bottom(), left),
                    (rect.right_bottom(), right),
                ] {
                    mesh.colored_vertex(corner, shade(a));
                }
                mesh.add_triangle(0, 1, 2);
                mesh.add_triangle(2, 1, 3);
                mesh
            };
            let texels = vec![Color32::RED, Color32::GREEN, Color32::BLUE, Color32::WHITE];
            let mut store = image_store(texels, [2, 2], TextureOptions::LINEAR);
            store.set(
                TextureId::default(),
                &ImageDelta::full(
                    ColorImage::new([1, 1], vec![Color32::WHITE]),
                    TextureOptions::LINEAR,
                ),
            );
            let draw = |mesh: Mesh| render(&[clipped(mesh)], &store, ppp, [48, 48], Color32::WHITE);
            same_but_rounding(&draw(mesh.clone()), &draw(loose(&mesh)))?;
        }
    }

    proptest::proptest! {
        /// Two triangles making a quadrilateral with vertical sides (the
        /// feathering down a card's side) draw the same pixels as the
        /// triangles one by one, shaded the same but for rounding (at most
        /// one level), whichever diagonal splits them, clipped or not.
        #[test]
        fn a_vertical_quad_draws_like_its_triangles(
            x in 0.0f32..30.0,
            w in 0.2f32..8.0,
            tops in (0.0f32..20.0, 0.0f32..20.0),
            heights in (0.2f32..25.0, 0.2f32..25.0),
            left in 0u8..=255,
            right in 0u8..=255,
            other_diagonal in proptest::bool::ANY,
            clip in proptest::option::of((0.0f32..40.0, 0.0f32..40.0)),
            ppp in proptest::sample::select(vec![0.75f32, 1.0, 1.25]),
        ) {
            let shade = |a: u8| Color32::from_rgba_premultiplied(a / 2, a / 3, a, a);
            let (top_left, top_right) = tops;
            let mut mesh = Mesh::default();
            for (pos, a) in [
                (pos2(x, top_left), left),
                (pos2(x + w, top_right), right),
                (pos2(x + w, top_right + heights.1), right),
                (pos2(x, top_left + heights.0), left),
            ] {
                mesh.colored_vertex(pos, shade(a));
            }
            if other_diagonal {
                mesh.add_triangle(1, 2, 3);
                mesh.add_triangle(3, 0, 1);
            } else {
                mesh.add_triangle(0, 1, 2);
                mesh.add_triangle(2, 3, 0);
            }
            let pair = TrianglePair::find(&mesh, 0);
            proptest::prop_assert!(pair.and_then(|p| VerticalQuad::find(&p)).is_some());
            let clip_rect = clip.map_or(Rect::EVERYTHING, |(y0, y1)| {
                Rect::from_x_y_ranges(x + w * 0.3..=x + 40.0, y0.min(y1)..=y0.max(y1))
            });
            let store = white_store();
            let draw = |mesh: Mesh| {
                let primitive = ClippedPrimitive {
                    clip_rect,
                    primitive: Primitive::Mesh(mesh),
                };
                render(&[primitive], &store, ppp, [48, 64], Color32::WHITE)
            };
            same_but_rounding(&draw(mesh.clone()), &draw(loose(&mesh)))?;
        }
    }

    /// epaint's feathering down a vertical line and a card's sides takes
    /// the vertical-quad path; quadrilaterals it would draw wrongly do not.
    #[test]
    fn vertical_quads_are_found() {
        let mut tessellator = tessellator();
        let quads = |shape: egui::Shape, tessellator: &mut egui::epaint::Tessellator| {
            let mut mesh = Mesh::default();
            tessellator.tessellate_shape(shape, &mut mesh);
            (0..mesh.indices.len() as u32 / 3 - 1)
                .filter_map(|t| TrianglePair::find(&mesh, t * 3))
                .filter(|pair| VerticalQuad::find(pair).is_some())
                .count()
        };
        let line = egui::Shape::line_segment(
            [pos2(10.3, 2.0), pos2(10.3, 40.0)],
            egui::Stroke::new(1.0, Color32::from_rgb(200, 200, 210)),
        );
        assert!(quads(line, &mut tessellator) >= 2, "both fringes of a line");
        let card = egui::Shape::Rect(egui::epaint::RectShape::filled(
            Rect::from_min_max(pos2(2.0, 3.0), pos2(40.0, 30.0)),
            5.0,
            Color32::WHITE,
        ));
        assert!(quads(card, &mut tessellator) >= 2, "both sides of a card");

        let corners = [
            pos2(0.0, 0.0),
            pos2(4.0, 0.0),
            pos2(4.0, 10.0),
            pos2(0.0, 10.0),
        ];
        let quad = |positions: [Pos2; 4], colors: [Color32; 4]| {
            let mut mesh = Mesh::default();
            for (pos, color) in positions.into_iter().zip(colors) {
                mesh.colored_vertex(pos, color);
            }
            mesh.add_triangle(0, 1, 2);
            mesh.add_triangle(2, 3, 0);
            TrianglePair::find(&mesh, 0)
                .and_then(|pair| VerticalQuad::find(&pair))
                .is_some()
        };
        let sides = [RED, Color32::BLUE, Color32::BLUE, RED];
        assert!(quad(corners, sides));
        // The cheap test before the search passes both shapes' triangles,
        // and not a corner's slanted ones.
        let mut tessellated = Mesh::default();
        tessellator.tessellate_shape(
            egui::Shape::line_segment([pos2(3.3, 2.0), pos2(3.3, 20.0)], (1.0, RED)),
            &mut tessellated,
        );
        let glyph = textured_quad(Rect::from_min_max(pos2(2.0, 3.0), pos2(9.0, 7.0)), RED);
        for mesh in [&tessellated, &glyph] {
            let pairs = (0..mesh.indices.len() as u32 / 3).map(|t| t * 3);
            assert!(pairs.filter(|&t| has_vertical_side(mesh, t)).count() >= 2);
        }
        let mut slanted = Mesh::default();
        for pos in [pos2(0.0, 0.0), pos2(3.0, 1.0), pos2(1.0, 4.0)] {
            slanted.colored_vertex(pos, RED);
        }
        slanted.add_triangle(0, 1, 2);
        assert!(!has_vertical_side(&slanted, 0));
        // One side with two colours: its rows are not all the same.
        assert!(!quad(
            corners,
            [RED, Color32::BLUE, Color32::BLUE, Color32::BLUE]
        ));
        // A side that leans.
        let leaning = [corners[0], corners[1], pos2(4.5, 10.0), corners[3]];
        assert!(!quad(leaning, sides));
        // Crossed ends (a bow tie): the two triangles overlap.
        let crossed = [corners[0], corners[2], corners[1], corners[3]];
        assert!(!quad(crossed, sides));
        // Sides in the same place.
        let flat = [corners[0], corners[0], corners[3], corners[3]];
        assert!(!quad(flat, sides));
    }

    /// The rectangle path is really taken for epaint's quads (else the
    /// test above compares the triangle path with itself).
    #[test]
    fn rectangle_pairs_are_found() {
        let rect = Rect::from_min_max(pos2(2.0, 3.0), pos2(9.0, 7.0));
        let glyph = textured_quad(rect, Color32::WHITE);
        let is_rect = |mesh: &Mesh| {
            TrianglePair::find(mesh, 0)
                .and_then(|pair| RectPair::find(&pair))
                .is_some()
        };
        assert!(is_rect(&glyph));
        assert!(TrianglePair::find(&loose(&glyph), 0).is_none());
        // Not affine: one corner's colour is off.
        let mut bent = glyph.clone();
        bent.vertices[3].color = Color32::RED;
        assert!(!is_rect(&bent));
        // Not upright.
        let mut skewed = glyph;
        skewed.vertices[0].pos.x += 0.5;
        assert!(!is_rect(&skewed));
    }

    proptest::proptest! {
        /// Narrow triangles test each pixel centre instead of walking the
        /// edges: the same spans, top-left rule and all (corners on pixel
        /// centres and edges through them are likely at these sizes), short
        /// or tall.
        #[test]
        fn narrow_triangles_cover_what_the_walk_covers(
            points in proptest::array::uniform3((0i64..6 * 4, 0i64..40 * 4)),
        ) {
            // Quarter-pixel steps: vertices often exactly on a centre, and
            // edges through them.
            let [a, b, c] = points.map(|(x, y)| [x * SUBPIXEL / 4, y * SUBPIXEL / 4]);
            let area = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
            proptest::prop_assume!(area != 0);
            let (b, c) = if area < 0 { (c, b) } else { (b, c) };
            let edges = [Edge::between(a, b), Edge::between(b, c), Edge::between(c, a)];
            let pixels = PixelBox { x_lo: 0, x_hi: 6, y_lo: 0, y_hi: 40 };
            let spans = |narrow: bool| {
                let mut out = Vec::new();
                let collect = |y, x0, x1| out.push((y, x0, x1));
                if narrow {
                    narrow_spans(&edges, pixels, collect);
                } else {
                    walked_spans(&edges, pixels, collect);
                }
                out
            };
            proptest::prop_assert_eq!(spans(true), spans(false));
        }
    }

    proptest::proptest! {
        /// A textured span of one colour skips the colour ramp: the same
        /// bytes as the general path, whose ramp then has zero steps.
        #[test]
        fn a_one_color_textured_span_shades_like_the_ramp(
            texels in proptest::collection::vec(proptest::prelude::any::<[u8; 4]>(), 16),
            pixels in proptest::collection::vec(proptest::prelude::any::<[u8; 4]>(), 1..16),
            color in proptest::array::uniform4(0.0f32..=1.0),
        ) {
            let texture = Texture {
                width: 16,
                height: 1,
                pixels: texels
                    .iter()
                    .map(|&[r, g, b, a]| Color32::from_rgba_premultiplied(r, g, b, a))
                    .collect(),
                options: TextureOptions::LINEAR,
            };
            let flat = |c: f32| Plane { base: f64::from(c), dx: 0.0, dy: 0.0 };
            let shading = |one_color: bool| Shading::Textured {
                color: Planes4 {
                    base: color.map(f64::from),
                    dx: [0.0; 4],
                    dy: [0.0; 4],
                    step: [0.0; 4],
                },
                one_color,
                // Texel centres on pixel centres: the aligned path.
                texel_u: Plane { base: 0.0, dx: 1.0, dy: 0.0 },
                texel_v: flat(0.5),
                aligned: ALIGNED,
            };
            let shade = |one_color: bool| {
                let mut bytes: Vec<u8> = pixels.iter().flatten().copied().collect();
                shading(one_color).shade_span(&mut bytes, &texture, 0, 0);
                bytes
            };
            proptest::prop_assert_eq!(shade(true), shade(false));
        }
    }

    /// Blend inputs: anything a float can be, ties halfway between bytes
    /// (where rounding to even decides), and the usual range.
    #[cfg(target_arch = "x86_64")]
    fn blend_value() -> impl proptest::strategy::Strategy<Value = f32> {
        use proptest::prelude::*;
        prop_oneof![
            any::<f32>(),
            Just(f32::NAN),
            Just(f32::INFINITY),
            Just(f32::NEG_INFINITY),
            (0u16..=514).prop_map(|n| f32::from(n) * 0.5 - 1.0),
            -2.0f32..300.0,
        ]
    }

    proptest::proptest! {
        /// Blending one colour over a row, each run of equal pixels once,
        /// gives the bytes of blending every pixel.
        #[test]
        fn a_repeated_blend_matches_pixel_by_pixel(
            runs in proptest::collection::vec(
                (proptest::prelude::any::<[u8; 4]>(), 1usize..6),
                0..12,
            ),
            src in proptest::array::uniform4(0.0f32..=255.0),
        ) {
            let row: Vec<[u8; 4]> = runs
                .iter()
                .flat_map(|&(pixel, n)| std::iter::repeat_n(pixel, n))
                .collect();
            let mut repeated = row.clone();
            blend_repeated(&mut repeated, src);
            let mut each = row;
            for pixel in &mut each {
                blend_over(pixel, src);
            }
            proptest::prop_assert_eq!(repeated, each);
        }
    }

    #[cfg(target_arch = "x86_64")]
    proptest::proptest! {
        /// The SSE2 blend gives the bytes of the channel-by-channel
        /// definition, rounding, clamping and NaN included.
        #[test]
        fn the_sse2_blend_matches_the_scalar_one(
            pixel in proptest::prelude::any::<[u8; 4]>(),
            src in proptest::array::uniform4(blend_value()),
            keep in blend_value(),
        ) {
            proptest::prop_assert_eq!(sse2::blend(pixel, src, keep), blend_scalar(pixel, src, keep));
        }
    }
}
