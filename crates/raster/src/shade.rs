//! How a triangle's covered pixels get their colour, and how it is blended.

use epaint::{Color32, Vertex};

use crate::texture::Texture;

/// A point in output pixels.
pub(crate) type Point = [f64; 2];

/// `1 / 255`: multiplying is much faster than dividing in the pixel loops.
const INV_255: f32 = 1.0 / 255.0;

/// A linear function of pixel position: `value = base + dx * x + dy * y`.
#[derive(Clone, Copy, Default)]
pub(crate) struct Plane {
    base: f64,
    dx: f64,
    dy: f64,
}

impl Plane {
    /// The plane through `(points[i], values[i])`, given `1 / (twice the
    /// signed area)` of the triangle; flat when that is not finite.
    fn new(points: &[Point; 3], values: [f64; 3], inv_area: f64) -> Self {
        let [[x0, y0], [x1, y1], [x2, y2]] = *points;
        let [f0, f1, f2] = values;
        let (d1, d2) = (f1 - f0, f2 - f0);
        let dx = (d1 * (y2 - y0) - d2 * (y1 - y0)) * inv_area;
        let dy = (d2 * (x1 - x0) - d1 * (x2 - x0)) * inv_area;
        if dx.is_finite() && dy.is_finite() {
            let base = f0 - dx * x0 - dy * y0;
            Self { base, dx, dy }
        } else {
            Self {
                base: f0,
                dx: 0.0,
                dy: 0.0,
            }
        }
    }

    /// The value at the centre of pixel (`x`, `y`).
    #[inline]
    fn at_centre(&self, x: i64, y: i64) -> f32 {
        (self.base + self.dx * (x as f64 + 0.5) + self.dy * (y as f64 + 0.5)) as f32
    }
}

/// Four planes, one per channel.
#[derive(Clone, Copy)]
pub(crate) struct Planes4([Plane; 4], [f32; 4]);

impl Planes4 {
    fn new(points: &[Point; 3], values: [[f32; 4]; 3], inv_area: f64) -> Self {
        let planes: [Plane; 4] = std::array::from_fn(|i| {
            let channel = values.map(|v| f64::from(v.get(i).copied().unwrap_or(0.0)));
            Plane::new(points, channel, inv_area)
        });
        Self(planes, planes.map(|plane| plane.dx as f32))
    }

    /// The values at the centre of pixel (`x`, `y`), and their steps along x.
    #[inline]
    fn at_centre(&self, x: i64, y: i64) -> ([f32; 4], [f32; 4]) {
        (self.0.map(|plane| plane.at_centre(x, y)), self.1)
    }
}

/// How a triangle's pixels get their source colour (premultiplied, in
/// `0..=255`).
pub(crate) enum Shading {
    /// The same opaque colour everywhere.
    Opaque([u8; 4]),
    /// The same translucent colour everywhere.
    Translucent(ConstantBlend),
    /// The vertex colour varies, the texture sample does not: colour times
    /// texel, interpolated.
    Gouraud(Planes4),
    /// The texture coordinates vary (text, images); the colour (`0..=1`)
    /// may too. `u * width` and `v * height` are planes of their own.
    Textured([Plane; 2], Planes4),
}

/// The sample of `texture` at `vertex`'s texture coordinates.
fn sample_at(texture: &Texture, vertex: &Vertex) -> [f32; 4] {
    let [w, h] = [texture.width as f32, texture.height as f32];
    texture.sample(vertex.uv.x * w, vertex.uv.y * h)
}

/// A vertex colour as the shader sees it: each channel in `0..=1`.
fn unit_color(v: &Vertex) -> [f32; 4] {
    v.color.to_array().map(|c| f32::from(c) / 255.0)
}

impl Shading {
    /// The shading of the triangle with these `vertices`, at `points` in
    /// output pixels, drawn with `texture`.
    pub(crate) fn new(points: &[Point; 3], vertices: [&Vertex; 3], texture: &Texture) -> Self {
        let [v0, v1, v2] = vertices;
        let [[x0, y0], [x1, y1], [x2, y2]] = *points;
        let inv_area = 1.0 / ((x1 - x0) * (y2 - y0) - (y1 - y0) * (x2 - x0));
        let [w, h] = [texture.width as f32, texture.height as f32];
        let uv_bits = |v: &Vertex| (v.uv.x.to_bits(), v.uv.y.to_bits());
        if uv_bits(v0) == uv_bits(v1) && uv_bits(v1) == uv_bits(v2) {
            if v0.color == v1.color && v1.color == v2.color {
                return Self::flat(v0, texture);
            }
            let texel = sample_at(texture, v0);
            let source = |v: &Vertex| times(unit_color(v), texel);
            return Self::Gouraud(Planes4::new(points, vertices.map(source), inv_area));
        }
        let texel_plane = |f: fn(&Vertex) -> f32, size: f32| {
            let values = vertices.map(|v| f64::from(f(v)) * f64::from(size));
            Plane::new(points, values, inv_area)
        };
        Self::Textured(
            [texel_plane(|v| v.uv.x, w), texel_plane(|v| v.uv.y, h)],
            Planes4::new(points, vertices.map(unit_color), inv_area),
        )
    }

    /// The shading of a shape whose vertices all have `vertex`'s colour and
    /// texture coordinates.
    pub(crate) fn flat(vertex: &Vertex, texture: &Texture) -> Self {
        let src = times(unit_color(vertex), sample_at(texture, vertex));
        if src[3] >= 255.0 {
            Self::Opaque(src.map(to_u8))
        } else {
            Self::Translucent(ConstantBlend::new(src))
        }
    }

    /// Shades and blends the pixels of one covered span starting at (`x`, `y`).
    #[inline]
    pub(crate) fn shade_span(&self, span: &mut [u8], texture: &Texture, x: i64, y: i64) {
        let (pixels, _) = span.as_chunks_mut::<4>();
        match self {
            Self::Opaque(rgba) => pixels.fill(*rgba),
            Self::Translucent(blend) => blend.apply(span),
            Self::Gouraud(planes) => {
                let (start, step) = planes.at_centre(x, y);
                let mut k = 0.0;
                for pixel in pixels {
                    blend_over(pixel, ramp(start, step, k));
                    k += 1.0;
                }
            }
            Self::Textured([texel_u, texel_v], color) => {
                let (start, step) = color.at_centre(x, y);
                let (u, du) = (texel_u.at_centre(x, y), texel_u.dx as f32);
                let (v, dv) = (texel_v.at_centre(x, y), texel_v.dx as f32);
                let extent = (x.abs().max(y.abs()) as usize + pixels.len()) as f32;
                if let Some(texels) = texture.aligned_row([u, du], [v, dv], pixels.len(), extent) {
                    // Each pixel centre is a texel centre (text): the
                    // sample is the texel.
                    let mut k = 0.0;
                    for (pixel, texel) in pixels.iter_mut().zip(texels) {
                        if *texel != Color32::TRANSPARENT {
                            let texel = texel.to_array().map(f32::from);
                            blend_over(pixel, times(ramp(start, step, k), texel));
                        }
                        k += 1.0;
                    }
                    return;
                }
                let mut k = 0.0;
                for pixel in pixels {
                    let texel = texture.sample(u + du * k, v + dv * k);
                    // A clear sample leaves the pixel as it is.
                    if texel.iter().any(|&c| c != 0.0) {
                        blend_over(pixel, times(ramp(start, step, k), texel));
                    }
                    k += 1.0;
                }
            }
        }
    }
}

/// `start + step * k` per channel: the colour `k` pixels along a span.
#[inline]
fn ramp(start: [f32; 4], step: [f32; 4], k: f32) -> [f32; 4] {
    let mut out = start;
    for (o, s) in out.iter_mut().zip(step) {
        *o += s * k;
    }
    out
}

/// The product per channel.
#[inline]
fn times(a: [f32; 4], b: [f32; 4]) -> [f32; 4] {
    let mut out = a;
    for (o, b) in out.iter_mut().zip(b) {
        *o *= b;
    }
    out
}

/// `dst = src + dst * (1 - src.a)` per channel, `src` premultiplied in
/// `0..=255`, each channel rounded like [`to_u8`].
#[inline]
fn blend_over(pixel: &mut [u8; 4], src: [f32; 4]) {
    let keep = 1.0 - src[3] * INV_255;
    for (d, s) in pixel.iter_mut().zip(src) {
        *d = to_u8(s + f32::from(*d) * keep);
    }
}

/// Blends one translucent colour over spans of RGBA bytes, the fill of most
/// shapes: [`blend_over`]'s formula in 8.8 fixed point, which vectorizes.
/// Its error is below 1/100 of a level, so it rounds differently only for
/// values that close to a rounding boundary.
pub(crate) struct ConstantBlend {
    /// The source colour times 256, for four pixels.
    src: [u16; 16],
    /// `(1 - src.a) * 65536`, at most 65535.
    keep: u16,
}

impl ConstantBlend {
    fn new(src: [f32; 4]) -> Self {
        let fixed = |v: f32, scale: f32| (v * scale + 0.5).clamp(0.0, 65535.0) as u16;
        let [r, g, b, a] = src.map(|c| fixed(c, 256.0));
        Self {
            src: [r, g, b, a, r, g, b, a, r, g, b, a, r, g, b, a],
            keep: fixed(1.0 - src[3] * INV_255, 65536.0),
        }
    }

    #[inline]
    fn apply(&self, span: &mut [u8]) {
        let keep = u32::from(self.keep);
        let channel = |d: u8, s: u16| {
            // d * (1 - src.a) in 8.8 fixed point, truncated.
            let kept = (((u32::from(d) << 8) * keep) >> 16) as u16;
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

/// Rounds to the nearest byte (ties to even), saturating: a GPU's unorm8
/// conversion. Adding 2^23 leaves the rounded integer in the low mantissa
/// bits, which keeps this branch-free (`as u8` is not).
#[inline]
fn to_u8(v: f32) -> u8 {
    (v.clamp(0.0, 255.0) + 8_388_608.0).to_bits() as u8
}
