//! A CPU rasterizer for epaint's [`ClippedPrimitive`]s that draws what egui's GPU
//! renderers (`egui_glow`, `egui-wgpu`) draw: premultiplied alpha blended in gamma
//! space (`dst = src + dst * (1 - src.a)` on the sRGB bytes, rounded to nearest, no
//! dithering); vertex colour times texture sample, both in gamma; textures as plain
//! bytes filtered like egui-wgpu's predictable filtering (bilinear between texel
//! centres or nearest, by `options.magnification`; no mipmaps); the scissor is the
//! clip rect in pixels rounded per side, as `egui_glow` does; positions snap to 1/256
//! pixel and a pixel is drawn when its centre is inside a triangle (either winding),
//! the top-left rule deciding centres on an edge; missing textures and paint
//! callbacks are skipped. Colours and texture coordinates are planes evaluated at
//! pixel centres, so drawing in bands ([`Bins`]) gives the bytes of one pass.
//! A colour constant over a triangle blends in 8.8 fixed point (within 1/100 level);
//! spans whose pixels sit on texel centres (text) read the texels; a convex fan of
//! one colour (an epaint fill) is drawn as one polygon with its triangles' pixels.

mod coverage;
mod fan;
mod pixmap;
mod shade;
mod texture;

use std::ops::Range;

use epaint::{ClippedPrimitive, Mesh, Primitive, Rect, Vertex};

pub use pixmap::Pixmap;
pub use texture::{Texture, TextureStore};

use coverage::GUARD_PX;
use shade::{Point, Shading};

/// Draws egui's tessellated output into `target`, blending over what is there.
///
/// Vertex positions and clip rects are in points and are scaled by
/// `pixels_per_point`. Output pixel (x, y) covers `[x, x+1) x [y, y+1)` in
/// pixel space and is sampled at its centre. Row 0 of `target` is output row
/// `band.start`; only rows `band.start..band.end` (at most `target.height` of
/// them) are drawn, so a tall image can be rendered in horizontal bands with
/// identical results to one pass.
pub fn rasterize(
    primitives: &[ClippedPrimitive],
    textures: &TextureStore,
    pixels_per_point: f32,
    target: &mut Pixmap,
    band: Range<u32>,
) {
    // One bin of all the rows: the same drawing as an export's bands.
    let rows = band.end.saturating_sub(band.start);
    let bins = Bins::new(primitives, pixels_per_point, band, rows);
    rasterize_bin(primitives, &bins, 0, textures, pixels_per_point, target);
}

/// Triangles sorted into horizontal bins of output rows, each bin in drawing
/// order, so a tall picture drawn band by band ([`rasterize_bin`]) visits a
/// triangle only in the bands it can touch.
#[derive(Debug)]
pub struct Bins {
    rows: Range<u32>,
    rows_per_bin: u32,
    /// `(primitive, first index of the triangle)` per bin.
    triangles: Vec<Vec<(u32, u32)>>,
}

impl Bins {
    /// Sorts the triangles of `primitives` into bins of `rows_per_bin`
    /// output rows covering `rows`.
    pub fn new(
        primitives: &[ClippedPrimitive],
        pixels_per_point: f32,
        rows: Range<u32>,
        rows_per_bin: u32,
    ) -> Self {
        let ppp = f64::from(pixels_per_point);
        let rows_per_bin = rows_per_bin.max(1);
        let count = rows.end.saturating_sub(rows.start).div_ceil(rows_per_bin) as usize;
        let mut bins = vec![Vec::new(); count];
        let (first_row, per_bin) = (f64::from(rows.start), f64::from(rows_per_bin));
        let last_bin = count as i64 - 1;
        for (p, clipped) in primitives.iter().enumerate() {
            let Primitive::Mesh(mesh) = &clipped.primitive else {
                continue;
            };
            let clip_top = f64::from(clipped.clip_rect.min.y) * ppp;
            let clip_bottom = f64::from(clipped.clip_rect.max.y) * ppp;
            let y = |i: u32| {
                mesh.vertices
                    .get(i as usize)
                    .map(|v| f64::from(v.pos.y) * ppp)
            };
            for (t, triangle) in mesh.indices.chunks_exact(3).enumerate() {
                let &[i, j, k] = triangle else { continue };
                let (Some(a), Some(b), Some(c)) = (y(i), y(j), y(k)) else {
                    continue;
                };
                // A row is drawn when its centre is covered; a row of slack
                // either side keeps rounding from losing any.
                let (top, bottom) = min_max([a, b, c]);
                let lo = top.max(clip_top) - 1.0;
                let hi = bottom.min(clip_bottom) + 1.0;
                let first = coverage::floor_i64((lo - first_row) / per_bin).max(0);
                let last = coverage::floor_i64((hi - first_row) / per_bin).min(last_bin);
                if first <= last {
                    let bins = bins.get_mut(first as usize..=last as usize);
                    for bin in bins.unwrap_or_default() {
                        bin.push((p as u32, (t * 3) as u32));
                    }
                }
            }
        }
        Self {
            rows,
            rows_per_bin,
            triangles: bins,
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
        let start =
            (self.rows.start).saturating_add((bin as u32).saturating_mul(self.rows_per_bin));
        start..start.saturating_add(self.rows_per_bin).min(self.rows.end)
    }
}

/// [`rasterize`] for the rows of one bin of `bins` (made from the same
/// `primitives`), visiting only the triangles sorted into it: drawing every
/// bin gives the same pixels as one pass over all the rows.
pub fn rasterize_bin(
    primitives: &[ClippedPrimitive],
    bins: &Bins,
    bin: usize,
    textures: &TextureStore,
    pixels_per_point: f32,
    target: &mut Pixmap,
) {
    let Some(entries) = bins.triangles.get(bin) else {
        return;
    };
    let Some(mut frame) = Frame::new(target, bins.band(bin), pixels_per_point) else {
        return;
    };
    let mut current: Option<(u32, Option<Pen<'_>>)> = None;
    let mut at = 0;
    while let Some(&(p, first)) = entries.get(at) {
        if current.as_ref().is_none_or(|(at, _)| *at != p) {
            let pen = (primitives.get(p as usize))
                .and_then(|clipped| Pen::new(clipped, textures, pixels_per_point, &frame));
            current = Some((p, pen));
        }
        at += 1;
        let Some((_, Some(pen))) = &current else {
            continue;
        };
        let fan = fan::fan_len(pen.mesh, entries.get(at - 1..).unwrap_or_default());
        if fan > 1 && pen.fill_fan(&mut frame, first as usize, fan) {
            at += fan - 1;
        } else {
            pen.draw(&mut frame, first as usize);
        }
    }
}

/// The band of the target being drawn.
struct Frame<'a> {
    data: &'a mut [u8],
    /// Bytes per row.
    stride: usize,
    /// The output row of the first row in `data`.
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
        let stride = target.width as usize * 4;
        let rows_held = target.data.len().checked_div(stride).unwrap_or(0);
        let rows = u64::from(band.end.saturating_sub(band.start))
            .min(u64::from(target.height))
            .min(rows_held as u64);
        let row0 = i64::from(band.start);
        let guard = GUARD_PX as i64;
        let frame = Frame {
            data: &mut target.data,
            stride,
            row0,
            x_end: i64::from(target.width).min(guard),
            y_end: (row0 + rows as i64).min(guard),
        };
        (frame.x_end > 0 && frame.y_end > row0).then_some(frame)
    }

    /// The bytes of output row `y`, columns `x0..x1` (already clipped to the frame).
    #[inline]
    fn span_mut(&mut self, y: i64, x0: i64, x1: i64) -> Option<&mut [u8]> {
        let row = usize::try_from(y - self.row0).ok()? * self.stride;
        let start = row + usize::try_from(x0).ok()? * 4;
        let end = row + usize::try_from(x1).ok()? * 4;
        self.data.get_mut(start..end)
    }
}

/// What one primitive's triangles are drawn with.
struct Pen<'a> {
    mesh: &'a Mesh,
    texture: &'a Texture,
    /// The clip rect rounded to pixels like `egui_glow`'s `set_clip_rect`,
    /// within the frame: half-open `[x0, x1, y0, y1]`.
    scissor: [i64; 4],
    ppp: f64,
}

impl<'a> Pen<'a> {
    /// `None` when nothing of the primitive can be drawn.
    fn new(
        clipped: &'a ClippedPrimitive,
        textures: &'a TextureStore,
        pixels_per_point: f32,
        frame: &Frame<'_>,
    ) -> Option<Self> {
        let Primitive::Mesh(mesh) = &clipped.primitive else {
            return None;
        };
        let texture = textures.get(mesh.texture_id)?;
        if texture.width == 0 || texture.height == 0 {
            return None;
        }
        // The same arithmetic as egui_glow: an f32 multiply, then round.
        let round = |v: f32| (pixels_per_point * v).round() as i64;
        let Rect { min, max } = clipped.clip_rect;
        let scissor = [
            round(min.x).max(0),
            round(max.x).min(frame.x_end),
            round(min.y).max(frame.row0),
            round(max.y).min(frame.y_end),
        ];
        let [x0, x1, y0, y1] = scissor;
        let ppp = f64::from(pixels_per_point);
        (x0 < x1 && y0 < y1).then_some(Self {
            mesh,
            texture,
            scissor,
            ppp,
        })
    }

    /// Draws the fan of `len` triangles from index `first` (see
    /// [`fan::fan_len`]) as one convex polygon, with the pixels its
    /// triangles would get; `false`, having drawn nothing, when its outline
    /// is not convex or reaches past the guard band.
    fn fill_fan(&self, frame: &mut Frame<'_>, first: usize, len: usize) -> bool {
        let Some((outline, pivot)) = fan::convex_outline(self.mesh, first, len, self.ppp) else {
            return false;
        };
        // One colour and texture coordinate: the pivot's shading is the fan's.
        let shading = Shading::flat(pivot, self.texture);
        coverage::for_each_polygon_span(&outline, self.scissor, |y, x0, x1| {
            if let Some(bytes) = frame.span_mut(y, x0, x1) {
                shading.shade_span(bytes, self.texture, x0, y);
            }
        });
        true
    }

    /// Draws the triangle whose indices start at `first`; one with an
    /// index past the vertices is skipped.
    fn draw(&self, frame: &mut Frame<'_>, first: usize) {
        let vertex = |i: usize| {
            let index = self.mesh.indices.get(first + i)?;
            self.mesh.vertices.get(*index as usize)
        };
        if let (Some(a), Some(b), Some(c)) = (vertex(0), vertex(1), vertex(2)) {
            self.draw_triangle(frame, [a, b, c]);
        }
    }

    fn draw_triangle(&self, frame: &mut Frame<'_>, vertices: [&Vertex; 3]) {
        let ppp = self.ppp;
        let points: [Point; 3] =
            vertices.map(|v| [f64::from(v.pos.x) * ppp, f64::from(v.pos.y) * ppp]);
        if points.iter().flatten().any(|c| !c.is_finite()) {
            return;
        }
        let [x0, x1, y0, y1] = self.scissor.map(|v| v as f64);
        let (min_x, max_x) = min_max(points.map(|[x, _]| x));
        let (min_y, max_y) = min_max(points.map(|[_, y]| y));
        if max_x < x0 || min_x > x1 || max_y < y0 || min_y > y1 {
            return;
        }
        // Shading is set up only when coverage finds a pixel: most of
        // epaint's feathering slivers cover none.
        let mut shading = None;
        let texture = self.texture;
        let mut span = |y: i64, x0: i64, x1: i64| {
            if let Some(bytes) = frame.span_mut(y, x0, x1) {
                let shading =
                    shading.get_or_insert_with(|| Shading::new(&points, vertices, texture));
                shading.shade_span(bytes, texture, x0, y);
            }
        };
        let within_guard = [min_x, min_y].iter().all(|&v| v >= -GUARD_PX)
            && [max_x, max_y].iter().all(|&v| v <= GUARD_PX);
        if within_guard {
            coverage::for_each_span(points, self.scissor, &mut span);
            return;
        }
        // Clipped to the guard square and drawn as a fan; the shading still
        // comes from the whole triangle.
        let polygon = coverage::clip_to_guard(points);
        if let Some((&first, rest)) = polygon.split_first() {
            for pair in rest.windows(2) {
                if let &[b, c] = pair {
                    coverage::for_each_span([first, b, c], self.scissor, &mut span);
                }
            }
        }
    }
}

/// The least and the greatest of three values.
fn min_max([a, b, c]: [f64; 3]) -> (f64, f64) {
    (a.min(b).min(c), a.max(b).max(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use epaint::textures::{TextureOptions, TexturesDelta};
    use epaint::{Color32, ColorImage, ImageDelta, Pos2, TextureId, pos2, vec2};

    const RED: Color32 = Color32::from_rgb(200, 40, 90);

    /// A store holding the 1x1 white texture meshes without textures use.
    fn white_store() -> TextureStore {
        let mut store = TextureStore::new();
        let white = ColorImage::new([1, 1], vec![Color32::WHITE]);
        store.set(
            TextureId::default(),
            &ImageDelta::full(white, TextureOptions::LINEAR),
        );
        store
    }

    fn clipped(mesh: Mesh) -> ClippedPrimitive {
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
        let primitives = [clipped(quad(rect, RED))];
        let pixmap = render(&primitives, &store, 1.0, [16, 16], Color32::WHITE);
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
        let (top, bottom) = (pos2(2.5, 0.0), pos2(2.5, 8.0));
        // Vertical edge x = 2.5 through the centre of pixel (2, 4).
        assert!(covers([top, bottom, pos2(8.0, 4.0)], 2, 4));
        assert!(!covers([top, bottom, pos2(-3.0, 4.0)], 2, 4));
        assert!(covers([top, bottom, pos2(-3.0, 4.0)], 1, 4));
        // Horizontal edge y = 1.5 through the centre of pixel (4, 1).
        let (left, right) = (pos2(0.0, 1.5), pos2(8.0, 1.5));
        assert!(covers([left, right, pos2(4.0, 7.0)], 4, 1));
        assert!(!covers([left, right, pos2(4.0, -4.0)], 4, 1));
        assert!(covers([left, right, pos2(4.0, -4.0)], 4, 0));
        // Reversed winding changes nothing.
        assert!(covers([pos2(8.0, 4.0), bottom, top], 2, 4));
        assert!(!covers([pos2(-3.0, 4.0), bottom, top], 2, 4));
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
        let image = ImageDelta::full(ColorImage::new(size, pixels), options);
        delta.push(TextureId::User(1), image);
        store.apply_and_clear(&mut delta);
        store
    }

    fn textured_quad(rect: Rect, tint: Color32) -> Mesh {
        let mut mesh = Mesh::with_texture(TextureId::User(1));
        let uv = Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0));
        mesh.add_rect_with_uv(rect, uv, tint);
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
        let draw = |store: &TextureStore, tint: Color32, background: Color32| {
            let primitives = [clipped(textured_quad(rect, tint))];
            render(&primitives, store, 1.0, [4, 4], background)
        };
        let pixmap = draw(&store, Color32::WHITE, Color32::BLACK);
        // Centre (1.5, 1.5) -> uv 0.375 -> texel space 0.25 from the first
        // texel centre: weights 0.75 / 0.25 in x and y.
        // r = mix(mix(255, 0), mix(0, 255)) = 159.375, g = b = 63.75.
        assert_eq!(pixmap.pixel(1, 1), Some(Color32::from_rgb(159, 64, 64)));
        // Corners clamp to the edge texels.
        assert_eq!(pixmap.pixel(0, 0), Some(texels[0]));
        assert_eq!(pixmap.pixel(3, 3), Some(texels[3]));

        // The vertex colour multiplies the sample, in gamma space.
        let tint = Color32::from_rgba_premultiplied(128, 128, 128, 128);
        let pixmap = draw(&store, tint, Color32::TRANSPARENT);
        let half_red = Color32::from_rgba_premultiplied(128, 0, 0, 128);
        assert_eq!(pixmap.pixel(0, 0), Some(half_red));

        // Nearest filtering picks texels.
        let store = image_store(texels.clone(), [2, 2], TextureOptions::NEAREST);
        let pixmap = draw(&store, Color32::WHITE, Color32::BLACK);
        assert_eq!(pixmap.pixel(1, 1), Some(texels[0]));
        assert_eq!(pixmap.pixel(2, 1), Some(texels[1]));
        assert_eq!(pixmap.pixel(1, 2), Some(texels[2]));
    }

    #[test]
    fn texels_mapped_one_to_one_are_copied_exactly() {
        // Text is drawn like this: pixel centres on texel centres.
        let texels: Vec<Color32> = (0..16u8)
            .map(|i| Color32::from_rgba_premultiplied(i * 9, i * 5, i * 3, i * 15))
            .collect();
        let store = image_store(texels.clone(), [4, 4], TextureOptions::LINEAR);
        let rect = Rect::from_min_size(pos2(2.0, 1.0), vec2(4.0, 4.0));
        let draw = |rect: Rect| {
            let primitives = [clipped(textured_quad(rect, Color32::WHITE))];
            render(&primitives, &store, 1.0, [8, 6], Color32::BLACK)
        };
        let pixmap = draw(rect);
        for y in 0..4 {
            for x in 0..4 {
                let texel = texels[y * 4 + x];
                // Over opaque black, premultiplied texels come out as they are.
                let expected =
                    Color32::from_rgba_premultiplied(texel.r(), texel.g(), texel.b(), 255);
                let at = pixmap.pixel(x as u32 + 2, y as u32 + 1);
                assert_eq!(at, Some(expected), "texel {x},{y}");
            }
        }
        // Half a pixel off, it is a true bilinear mix instead.
        let pixmap = draw(rect.translate(vec2(0.5, 0.0)));
        let mix = |a: u8, b: u8| f32::midpoint(f32::from(a), f32::from(b)).round_ties_even() as u8;
        let (left, right) = (texels[5], texels[6]);
        let expected = Color32::from_rgba_premultiplied(
            mix(left.r(), right.r()),
            mix(left.g(), right.g()),
            mix(left.b(), right.b()),
            255,
        );
        assert_eq!(pixmap.pixel(4, 2), Some(expected));
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
        let (left, top) = (105_002.0 / ppp, 1.0);
        let draw = |shift: f32| {
            let rect = Rect::from_min_size(pos2(left + shift, top), vec2(4.0 / ppp, 4.0 / ppp));
            let primitives = [clipped(textured_quad(rect, Color32::WHITE))];
            render(&primitives, &store, ppp, [105_010, 8], Color32::BLACK)
        };
        let on_pixels = draw(0.0);
        for y in 0..4 {
            for x in 0..4 {
                let texel = texels[y * 4 + x];
                let expected =
                    Color32::from_rgba_premultiplied(texel.r(), texel.g(), texel.b(), 255);
                let at = on_pixels.pixel(105_002 + x as u32, 3 + y as u32);
                assert_eq!(at, Some(expected), "texel {x},{y}");
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
        let primitives = [clipped(textured_quad(rect, Color32::WHITE))];
        let pixmap = render(&primitives, &store, 1.0, [4, 4], Color32::BLACK);
        assert!(painted(&pixmap, Color32::BLACK).is_empty());
    }

    /// epaint's tessellator at 1 pixel per point, with its default feathering.
    fn tessellator() -> epaint::Tessellator {
        let options = epaint::TessellationOptions::default();
        epaint::Tessellator::new(1.0, options, [1, 1], vec![])
    }

    /// A small scene exercising every shading path, clip rects and edges.
    fn busy_scene() -> (Vec<ClippedPrimitive>, TextureStore) {
        let texels = (0..16)
            .map(|i| Color32::from_rgba_premultiplied(i * 15, 255 - i * 15, 90, 200))
            .collect();
        let mut store = image_store(texels, [4, 4], TextureOptions::LINEAR_REPEAT);
        let white = ColorImage::new([1, 1], vec![Color32::WHITE]);
        store.set(
            TextureId::default(),
            &ImageDelta::full(white, TextureOptions::LINEAR),
        );
        let mut primitives = vec![clipped(quad(
            Rect::from_min_max(pos2(1.2, 0.7), pos2(15.3, 20.1)),
            Color32::from_rgba_unmultiplied(20, 120, 220, 140),
        ))];
        let mut fan = Mesh::default();
        let centre = pos2(8.5, 10.5);
        fan.colored_vertex(centre, Color32::from_rgb(255, 200, 0));
        for i in 0..12 {
            let angle = i as f32 / 12.0 * std::f32::consts::TAU;
            let color = Color32::from_rgba_unmultiplied(10, 90, 200, (i * 20) as u8);
            fan.colored_vertex(centre + 7.3 * vec2(angle.cos(), angle.sin()), color);
        }
        for i in 0..12 {
            fan.add_triangle(0, 1 + i, 1 + (i + 1) % 12);
        }
        primitives.push(clipped(fan));
        let mut image = Mesh::with_texture(TextureId::User(1));
        for (pos, uv, color) in [
            (pos2(2.0, 3.0), pos2(-0.3, 0.1), Color32::WHITE),
            (pos2(14.0, 6.0), pos2(2.2, -0.4), Color32::from_gray(180)),
            (pos2(5.0, 19.0), pos2(0.4, 1.9), Color32::WHITE),
        ] {
            image.vertices.push(Vertex { pos, uv, color });
        }
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
            epaint::Shape::Rect(epaint::RectShape::new(
                card,
                3.0,
                Color32::from_rgb(250, 240, 200),
                epaint::Stroke::new(1.4, Color32::from_rgb(30, 60, 90)),
                epaint::StrokeKind::Inside,
            )),
            &mut outlines,
        );
        tessellator.tessellate_shape(
            epaint::Shape::circle_stroke(pos2(9.0, 8.0), 5.5, (1.0, Color32::RED)),
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
                let rows = band * 7..band * 7 + 7;
                rasterize(&primitives, &store, ppp, &mut pixmap, rows);
                banded.extend_from_slice(pixmap.data());
            }
            assert_eq!(whole.data(), banded.as_slice());
            assert!(painted(&whole, Color32::WHITE).len() > 200);
        }
    }

    /// Every bin of `bins` drawn over white, `width` pixels wide, one after
    /// the other: the bytes of the whole image.
    fn banded(
        primitives: &[ClippedPrimitive],
        bins: &Bins,
        store: &TextureStore,
        ppp: f32,
        width: u32,
    ) -> Vec<u8> {
        let mut out = Vec::new();
        for bin in 0..bins.len() {
            let mut pixmap = Pixmap::new(width, bins.band(bin).len() as u32);
            pixmap.fill(Color32::WHITE);
            rasterize_bin(primitives, bins, bin, store, ppp, &mut pixmap);
            out.extend_from_slice(pixmap.data());
        }
        out
    }

    #[test]
    fn binned_bands_equal_one_pass() {
        let (primitives, store) = busy_scene();
        for (ppp, rows_per_bin) in [(1.0, 7), (1.5, 4), (1.0, 1), (2.0, 30)] {
            let whole = render(&primitives, &store, ppp, [17, 21], Color32::WHITE);
            let bins = Bins::new(&primitives, ppp, 0..21, rows_per_bin);
            assert_eq!(bins.len(), 21usize.div_ceil(rows_per_bin as usize));
            let banded = banded(&primitives, &bins, &store, ppp, 17);
            assert_eq!(whole.data(), banded.as_slice(), "{ppp} {rows_per_bin}");
        }
        // A bin holds only the triangles that reach its rows.
        let bins = Bins::new(&primitives, 1.0, 0..21, 1);
        let total: usize = (primitives.iter())
            .map(|p| match &p.primitive {
                Primitive::Mesh(mesh) => mesh.indices.len() / 3,
                Primitive::Callback(_) => 0,
            })
            .sum();
        assert!(bins.triangles.iter().any(|b| b.len() < total));
    }

    #[test]
    fn glyphs_cut_by_clip_rects_and_bands_equal_one_pass() {
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
            let color = Color32::WHITE;
            turned.vertices.push(Vertex { pos, uv, color });
        }
        turned.add_triangle(0, 1, 2);
        turned.add_triangle(0, 2, 3);
        let mut text = Mesh::with_texture(TextureId::User(1));
        text.append(turned);
        text.append(textured_quad(at(1.0, 2.0), Color32::WHITE));
        text.append(textured_quad(at(11.0, 5.0), blue));
        // Half a pixel off: sampled between texels.
        text.append(textured_quad(at(21.5, 3.0), Color32::WHITE));
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
        let whole = render(&primitives, &store, 1.0, size, Color32::WHITE);
        for rows in [1, 3, 7] {
            let bins = Bins::new(&primitives, 1.0, 0..size[1], rows);
            let banded = banded(&primitives, &bins, &store, 1.0, size[0]);
            assert!(whole.data() == banded.as_slice(), "bands of {rows}");
        }
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
            let stroke = epaint::Stroke::new(0.6 + (f * 0.37) % 2.0, color);
            tessellator.tessellate_shape(
                epaint::Shape::Rect(epaint::RectShape::new(
                    Rect::from_min_size(at, vec2(20.0 + f % 9.0, 11.0 + f % 5.0)),
                    1.0 + f % 6.0,
                    Color32::from_rgb(250, 245, 235),
                    stroke,
                    epaint::StrokeKind::Inside,
                )),
                &mut mesh,
            );
            tessellator.tessellate_shape(
                epaint::Shape::circle_stroke(at + vec2(9.0, 4.0), 2.0 + f % 11.0, stroke),
                &mut mesh,
            );
        }
        let primitives = [clipped(mesh)];
        let store = white_store();
        for ppp in [1.0, 1.5] {
            let size = (180.0 * ppp) as u32;
            let whole = render(&primitives, &store, ppp, [size, size], Color32::WHITE);
            let bins = Bins::new(&primitives, ppp, 0..size, 7);
            let banded = banded(&primitives, &bins, &store, ppp, size);
            assert!(whole.data() == banded.as_slice(), "{ppp}x");
        }
    }

    #[test]
    fn huge_triangles_are_exact_and_seamless() {
        let store = white_store();
        let color = Color32::from_rgba_unmultiplied(0, 0, 255, 128);
        let rect = Rect::from_min_max(pos2(-3.0e8, -1.0e9), pos2(7.0e8, 2.0e9));
        let primitives = [clipped(quad(rect, color))];
        let pixmap = render(&primitives, &store, 1.0, [9, 9], Color32::WHITE);
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
        let rect = Rect::from_min_max(pos2(1.0, 1.0), pos2(3.0, 3.0));
        let primitives = [clipped(quad(rect, RED))];
        let one = render(&primitives, &store, 1.0, [8, 8], bg);
        assert_eq!(painted(&one, bg), block(1..3, 1..3));
        let two = render(&primitives, &store, 2.0, [8, 8], bg);
        assert_eq!(painted(&two, bg), block(2..6, 2..6));
    }

    #[test]
    fn egui_context_output_renders_rect_and_text() {
        // egui's default fonts: the rasterizer knows nothing of the app's.
        let ctx = egui::Context::default();
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
        let dark = block(44..150, 8..40)
            .into_iter()
            .filter(|&(x, y)| {
                let [r, g, b, _] = pixmap.pixel(x, y).unwrap().to_array();
                r < 100 && g < 100 && b < 100
            })
            .count();
        assert!(
            dark > 50,
            "only {dark} dark pixels where the text should be"
        );
        // Nothing is painted outside the rect and the text.
        assert_eq!(pixmap.pixel(150, 4), Some(Color32::WHITE));
    }
}
