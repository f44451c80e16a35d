//! Small meshes drawn once and copied.
//!
//! Every card of a journey map is the same four rounded rectangles (its
//! shadow, border, fill and accent strip): about 450 triangles, most of
//! them epaint's feathering a pixel or two across, which cost more than
//! half the drawing of an export. The export tessellates such a run of
//! shapes near the origin, from a whole pixel (its anchor) instead of
//! where it is, and hands the rasterizer that mesh and the anchor (see
//! [`super::Bins::with_sprites`]). Cards of one size and accent then have the
//! same mesh to the bit, wherever they are (tessellated in place, their
//! vertices would differ in their last bits with the distance from the
//! origin). The mesh is drawn once onto a clear image of its own (a
//! sprite), remembered under the mesh, and blended over the band from
//! there: the opaque middle of a card is a copy, only its edges and shadow
//! blend. The export tessellates the cards of a slab that are the same
//! shapes once, and says which mesh each is drawn from, so a thread
//! compares that mesh with those it holds once per slab, not once per card
//! and band.
//!
//! The sprite is drawn from the remembered mesh, so it is the same whether
//! drawn afresh or found, on any thread, in any band. Blending it is
//! blending its triangles one after another over a clear image and the
//! result over the band: `src + dst * (1 - src.a)` composes that way, up to
//! the rounding of each step to a byte (a level, where feathering and the
//! shadow overlap).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use egui::epaint::{Mesh, Primitive, Vertex};
use egui::{ClippedPrimitive, Rect, TextureId};
use rustc_hash::FxHasher;

use super::{
    Frame, GUARD_PX, Pixmap, SUBPIXEL, Scissor, TextureStore, blend_over, rasterize, snap,
};

/// Sprites are at most this many pixels each way (a card at 4x is about
/// 650 by 270). The export makes runs of at most 1,024 pixels, and draws
/// a mesh that would not fit in place instead.
const MAX_SIDE: i64 = 2048;

/// Bytes of sprite pixels a thread keeps. Past this it forgets them all and
/// starts again: a map has a handful of card sizes and accents, so this is
/// only reached by maps with many sizes, or at large scales.
const BUDGET: usize = 48 << 20;

/// Where a sprite's mesh lies from its anchor: the whole pixel at or
/// before its smallest snapped x and y, and its size in pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Placement {
    pub(super) from: [i64; 2],
    pub(super) size: [u32; 2],
}

/// Where `mesh` lies at `ppp` pixels per point, or `None` when it is not to
/// be drawn as a sprite (too large, empty, or not finite).
pub(super) fn placement(mesh: &Mesh, ppp: f64) -> Option<Placement> {
    // Snapping is monotonic: the extremes of the positions give the
    // extremes of the snapped positions.
    let mut min = [f32::INFINITY; 2];
    let mut max = [f32::NEG_INFINITY; 2];
    for vertex in &mesh.vertices {
        let [x, y] = [vertex.pos.x, vertex.pos.y];
        if x.is_nan() || y.is_nan() {
            return None;
        }
        min = [min[0].min(x), min[1].min(y)];
        max = [max[0].max(x), max[1].max(y)];
    }
    let pixel = |v: f32| {
        let v = f64::from(v) * ppp;
        (-GUARD_PX..=GUARD_PX).contains(&v).then(|| snap(v))
    };
    let (min, max) = (
        [pixel(min[0])?, pixel(min[1])?],
        [pixel(max[0])?, pixel(max[1])?],
    );
    let from = min.map(|v| v.div_euclid(SUBPIXEL));
    // A pixel is covered when its centre is inside, so the last one that can
    // be is the one whose centre is before the largest coordinate.
    let side = |max: i64, from: i64| (max - from * SUBPIXEL) / SUBPIXEL + 1;
    let size = [side(max[0], from[0]), side(max[1], from[1])];
    if size.iter().any(|&s| s > MAX_SIDE) {
        return None;
    }
    Some(Placement {
        from,
        size: size.map(|s| s as u32),
    })
}

/// What a sprite's mesh looks like, worked out once however often it is
/// drawn: where it lies from its anchor, and its [`hash_of`].
#[derive(Clone, Copy, Debug)]
pub(super) struct Look {
    pub(super) place: Placement,
    hash: u64,
}

impl Look {
    /// `mesh`'s at `ppp` pixels per point; `None` when it is not to be
    /// drawn as a sprite.
    pub(super) fn of(mesh: &Mesh, ppp: f64) -> Option<Self> {
        Some(Self {
            place: placement(mesh, ppp)?,
            hash: hash_of(mesh, ppp),
        })
    }
}

/// A primitive to be drawn as a sprite, as [`super::Bins`] keeps it: its
/// anchor (an output pixel), the primitive whose mesh it draws, and how
/// that mesh looks.
#[derive(Clone, Copy, Debug)]
pub(super) struct Placed {
    pub(super) anchor: [i64; 2],
    pub(super) mesh: u32,
    pub(super) look: Look,
}

/// The sprites a thread has drawn, by mesh. Keep one for all the bands a
/// thread draws.
pub(super) struct Sprites {
    /// By [`hash_of`] their mesh.
    held: HashMap<u64, Vec<Sprite>, BuildHasherDefault<FxHasher>>,
    bytes: usize,
    budget: usize,
    /// The [`super::Bins`] being drawn from.
    bins: u64,
    /// Where in `held` the meshes of those bins' primitives are (by
    /// primitive): each is compared with what is held once, not once per
    /// card and band.
    found: HashMap<u32, (u64, usize), BuildHasherDefault<FxHasher>>,
}

impl Default for Sprites {
    fn default() -> Self {
        Self::with_budget(BUDGET)
    }
}

impl std::fmt::Debug for Sprites {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sprites")
            .field("held", &self.held.values().map(Vec::len).sum::<usize>())
            .field("bytes", &self.bytes)
            .field("budget", &self.budget)
            .field("bins", &self.bins)
            .field("found", &self.found.len())
            .finish()
    }
}

impl Sprites {
    /// Sprites that keep at most `budget` bytes.
    fn with_budget(budget: usize) -> Self {
        Self {
            held: HashMap::default(),
            bytes: 0,
            budget,
            bins: u64::MAX,
            found: HashMap::default(),
        }
    }

    /// Draws from the bins with `id` from now on: their primitives are not
    /// those of any others.
    pub(super) fn use_bins(&mut self, id: u64) {
        if self.bins != id {
            self.bins = id;
            self.found.clear();
        }
    }

    /// Blends the sprite of `mesh` (the mesh of primitive `placed.mesh` of
    /// the bins in use), placed at `placed`, over `frame` within `scissor`,
    /// drawing it first if it is not held.
    pub(super) fn draw(
        &mut self,
        frame: &mut Frame<'_>,
        scissor: &Scissor,
        mesh: &Mesh,
        placed: &Placed,
        ppp: f64,
        textures: &TextureStore,
    ) {
        let Placed {
            anchor,
            mesh: primitive,
            look: Look { place, hash },
        } = *placed;
        let at = [anchor[0] + place.from[0], anchor[1] + place.from[1]];
        let found = match self.found.get(&primitive) {
            Some(&found) => Some(found),
            None => self.held.get(&hash).and_then(|sprites| {
                let index = sprites.iter().position(|sprite| sprite.is_of(mesh, ppp))?;
                self.found.insert(primitive, (hash, index));
                Some((hash, index))
            }),
        };
        let held = found.and_then(|(hash, index)| self.held.get(&hash)?.get(index));
        if let Some(sprite) = held {
            sprite.blend(frame, scissor, at);
            return;
        }
        let Some(sprite) = Sprite::draw(mesh, ppp, place, textures) else {
            return;
        };
        sprite.blend(frame, scissor, at);
        let bytes = sprite.bytes();
        if self.bytes + bytes > self.budget {
            self.held.clear();
            self.found.clear();
            self.bytes = 0;
        }
        self.bytes += bytes;
        let held = self.held.entry(hash).or_default();
        self.found.insert(primitive, (hash, held.len()));
        held.push(sprite);
    }
}

/// A hash of what `mesh`'s pixels depend on at `ppp`: its texture and
/// vertices and indices, as bits.
fn hash_of(mesh: &Mesh, ppp: f64) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write_u64(ppp.to_bits());
    match mesh.texture_id {
        TextureId::Managed(id) => hasher.write_u64(id),
        TextureId::User(id) => hasher.write_u64(!id),
    }
    hasher.write(bytes_of(&mesh.vertices));
    hasher.write(bytemuck::cast_slice(&mesh.indices));
    hasher.finish()
}

/// Vertices as their bytes, to compare and hash them bit for bit.
fn bytes_of(vertices: &[Vertex]) -> &[u8] {
    bytemuck::cast_slice(vertices)
}

/// A mesh drawn on a clear image, with each row's pixels sorted into runs
/// to skip (clear), copy (opaque) or blend, and the mesh it was drawn
/// from.
struct Sprite {
    ppp: f64,
    mesh: Mesh,
    width: usize,
    pixels: Vec<[u8; 4]>,
    /// Runs of each row: `rows[y]..rows[y + 1]` index `runs`.
    rows: Vec<usize>,
    runs: Vec<Run>,
}

/// Pixels `start..end` of a row, all opaque or all translucent.
#[derive(Clone, Copy)]
struct Run {
    start: u32,
    end: u32,
    opaque: bool,
}

impl Sprite {
    /// `mesh`, lying at `place` at `ppp` pixels per point, drawn on a clear
    /// image of its own.
    fn draw(mesh: &Mesh, ppp: f64, place: Placement, textures: &TextureStore) -> Option<Self> {
        let [width, height] = place.size;
        let mut image = Pixmap::try_new(width, height)?;
        // In pixels from the image's corner, drawn at one pixel per point:
        // computed from the mesh alone, so the image is a function of it.
        let [fx, fy] = place.from.map(|v| v as f64);
        let pixel = |v: f32, from: f64| (f64::from(v) * ppp - from) as f32;
        let vertices = mesh
            .vertices
            .iter()
            .map(|vertex| Vertex {
                pos: egui::pos2(pixel(vertex.pos.x, fx), pixel(vertex.pos.y, fy)),
                ..*vertex
            })
            .collect();
        let primitives = [ClippedPrimitive {
            clip_rect: Rect::EVERYTHING,
            primitive: Primitive::Mesh(Mesh {
                indices: mesh.indices.clone(),
                vertices,
                texture_id: mesh.texture_id,
            }),
        }];
        // Not a sprite itself, so drawn triangle by triangle.
        rasterize(&primitives, textures, 1.0, &mut image, 0..height);
        let pixels = image.data().as_chunks::<4>().0.to_vec();
        let width = width as usize;
        let mut rows = vec![0];
        let mut runs = Vec::new();
        for row in pixels.chunks_exact(width.max(1)) {
            let mut x = 0;
            while let Some(&pixel) = row.get(x) {
                let kind = |p: [u8; 4]| (p != [0; 4]).then_some(p[3] == u8::MAX);
                let start = x;
                while row.get(x).is_some_and(|&p| kind(p) == kind(pixel)) {
                    x += 1;
                }
                if let Some(opaque) = kind(pixel) {
                    runs.push(Run {
                        start: start as u32,
                        end: x as u32,
                        opaque,
                    });
                }
            }
            rows.push(runs.len());
        }
        Some(Self {
            ppp,
            mesh: mesh.clone(),
            width,
            pixels,
            rows,
            runs,
        })
    }

    /// Whether this is the sprite of `mesh` at `ppp`: the same bits.
    fn is_of(&self, mesh: &Mesh, ppp: f64) -> bool {
        self.ppp.to_bits() == ppp.to_bits()
            && self.mesh.texture_id == mesh.texture_id
            && bytes_of(&self.mesh.vertices) == bytes_of(&mesh.vertices)
            && self.mesh.indices == mesh.indices
    }

    /// The memory it holds.
    fn bytes(&self) -> usize {
        self.pixels.len() * 4
            + self.rows.len() * size_of::<usize>()
            + self.runs.len() * size_of::<Run>()
            + self.mesh.vertices.len() * size_of::<Vertex>()
            + self.mesh.indices.len() * 4
    }

    /// Blends it over `frame` within `scissor`, its top left pixel at
    /// `anchor`.
    fn blend(&self, frame: &mut Frame<'_>, scissor: &Scissor, anchor: [i64; 2]) {
        let [ax, ay] = anchor;
        let height = self.rows.len().saturating_sub(1) as i64;
        for y in ay.max(scissor.y0)..(ay + height).min(scissor.y1) {
            let row = (y - ay) as usize;
            let (Some(&first), Some(&last)) = (self.rows.get(row), self.rows.get(row + 1)) else {
                continue;
            };
            for run in self.runs.get(first..last).unwrap_or_default() {
                let x0 = (ax + i64::from(run.start)).max(scissor.x0);
                let x1 = (ax + i64::from(run.end)).min(scissor.x1);
                if x0 >= x1 {
                    continue;
                }
                let at = row * self.width + (x0 - ax) as usize;
                let (Some(src), Some(dst)) = (
                    self.pixels.get(at..at + (x1 - x0) as usize),
                    frame.span_mut(y, x0, x1),
                ) else {
                    continue;
                };
                if run.opaque {
                    dst.copy_from_slice(src.as_flattened());
                } else {
                    for (pixel, src) in dst.as_chunks_mut::<4>().0.iter_mut().zip(src) {
                        blend_over(pixel, src.map(f32::from));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{clipped, draw_bands, white_store};
    use super::super::{Bins, DrawCache, SpriteAt};
    use super::*;
    use egui::epaint::{CornerRadius, RectShape, Shape, TessellationOptions, Tessellator};
    use egui::{Color32, Pos2, Stroke, StrokeKind, Vec2, pos2, vec2};

    /// A card as the scene draws one, from `min` (points): a shadow below
    /// it, a border, a fill and an accent strip half a point in from its
    /// top and bottom.
    fn card(min: Pos2, accent: Color32) -> Vec<Shape> {
        let rect = Rect::from_min_size(min, vec2(80.0, 31.0));
        let rounded = |rect: Rect, radius: f32, color: Color32| {
            Shape::Rect(RectShape::new(
                rect,
                radius,
                color,
                Stroke::NONE,
                StrokeKind::Inside,
            ))
        };
        let shadow = Rect::from_x_y_ranges(rect.x_range(), rect.max.y - 9.0..=rect.max.y + 1.5);
        let mut shadow = RectShape::filled(shadow, 0.0, Color32::from_black_alpha(18));
        shadow.corner_radius = CornerRadius {
            nw: 0,
            ne: 0,
            sw: 6,
            se: 6,
        };
        let strip = Rect::from_min_size(rect.min, vec2(5.0, rect.height())).shrink2(vec2(0.0, 0.5));
        vec![
            Shape::Rect(shadow),
            rounded(rect, 6.0, Color32::from_rgb(190, 195, 205)),
            rounded(rect.shrink(1.0), 5.0, Color32::WHITE),
            rounded(strip, 2.5, accent),
        ]
    }

    /// `shapes` moved by `-offset` and tessellated at `ppp`.
    fn tessellate(shapes: &[Shape], ppp: f32, offset: Vec2) -> Mesh {
        let mut tessellator =
            Tessellator::new(ppp, TessellationOptions::default(), [1, 1], Vec::new());
        let mut mesh = Mesh::default();
        for shape in shapes {
            let mut shape = shape.clone();
            shape.translate(-offset);
            tessellator.tessellate_shape(shape, &mut mesh);
        }
        mesh
    }

    /// A background of noise over which translucent pixels show.
    fn background(w: u32, h: u32) -> Pixmap {
        let mut pixmap = Pixmap::new(w, h);
        for (i, pixel) in pixmap.data_mut().chunks_exact_mut(4).enumerate() {
            let n = (i as u32).wrapping_mul(0x9e37_79b9) >> 24;
            pixel.copy_from_slice(&[230 - (n % 40) as u8, 235, 240, 255]);
        }
        pixmap
    }

    /// `primitives`, some of them `sprites`, drawn at `ppp` over
    /// [`background`] in bands of `rows`, with `cache` (a fresh one per band
    /// when `None`).
    fn draw(
        primitives: &[ClippedPrimitive],
        sprites: &[SpriteAt],
        ppp: f32,
        [w, h]: [u32; 2],
        rows: u32,
        cache: Option<&mut DrawCache>,
    ) -> Pixmap {
        let store = white_store();
        let bins = Bins::with_sprites(primitives, sprites, &store, ppp, 0..h, rows);
        let out = draw_bands(primitives, &bins, &store, ppp, &background(w, h), cache);
        let mut pixmap = Pixmap::new(w, h);
        pixmap.data_mut().copy_from_slice(&out);
        pixmap
    }

    /// Primitive `primitive` drawn from `anchor` as a sprite of its own mesh.
    fn own(primitive: usize, anchor: [i64; 2]) -> SpriteAt {
        SpriteAt {
            primitive,
            mesh: primitive,
            anchor,
        }
    }

    /// Cards in place, moved for sprites, and the sprites.
    type Cards = (Vec<ClippedPrimitive>, Vec<ClippedPrimitive>, Vec<SpriteAt>);

    /// Cards at `places` (points, on whole pixels at `ppp` or half a pixel
    /// off), drawn in place and as sprites tessellated from whole points
    /// `step` apart that are whole pixels.
    fn in_place_and_as_sprites(places: &[Pos2], ppp: f32, step: f32) -> Cards {
        let accents = [
            Color32::from_rgb(40, 90, 200),
            Color32::from_rgb(200, 40, 60),
        ];
        let mut in_place = Vec::new();
        let mut moved = Vec::new();
        let mut sprites = Vec::new();
        for (i, &min) in places.iter().enumerate() {
            let shapes = card(min, accents[i % 2]);
            in_place.push(clipped(tessellate(&shapes, ppp, Vec2::ZERO)));
            let offset = ((min - vec2(2.0, 2.0)) / step).floor() * step;
            let anchor = [offset.x, offset.y].map(|v| (v * ppp).round() as i64);
            sprites.push(own(moved.len(), anchor));
            moved.push(clipped(tessellate(&shapes, ppp, offset.to_vec2())));
        }
        (in_place, moved, sprites)
    }

    #[test]
    fn a_sprite_draws_what_its_triangles_draw_in_place() {
        for (ppp, step) in [(1.0, 1.0), (2.0, 1.0), (3.0, 1.0), (1.5, 2.0)] {
            let places = [
                pos2(4.0, 3.0),
                pos2(96.0, 3.0),
                pos2(4.0 + 1.0 / ppp, 40.5),
                pos2(101.0, 41.0),
            ];
            let (in_place, moved, sprites) = in_place_and_as_sprites(&places, ppp, step);
            let size = [(190.0 * ppp) as u32, (80.0 * ppp) as u32];
            let plain = draw(&in_place, &[], ppp, size, size[1], None);
            let drawn = draw(
                &moved,
                &sprites,
                ppp,
                size,
                7,
                Some(&mut DrawCache::default()),
            );
            let mut differ = 0;
            for (a, b) in plain.data().iter().zip(drawn.data()) {
                assert!(a.abs_diff(*b) <= 2, "{ppp}x: {a} against {b}");
                differ += usize::from(a != b);
            }
            // Not drawn the same way: the shadow under the feathering
            // rounds differently here and there.
            assert!(differ > 0, "{ppp}x");
        }
    }

    #[test]
    fn a_sprite_gives_the_same_bytes_in_any_band_and_from_memory() {
        let places: Vec<Pos2> = (0..12)
            .map(|i| pos2(4.0 + 92.0 * (i % 4) as f32, 3.0 + 38.0 * (i / 4) as f32))
            .collect();
        for (ppp, step) in [(1.0, 1.0), (3.0, 1.0)] {
            let (_, moved, sprites) = in_place_and_as_sprites(&places, ppp, step);
            let size = [(380.0 * ppp) as u32, (120.0 * ppp) as u32];
            let whole = draw(&moved, &sprites, ppp, size, size[1], None);
            let mut warm = DrawCache::default();
            for rows in [1, 5, 16] {
                let banded = draw(&moved, &sprites, ppp, size, rows, Some(&mut warm));
                assert!(banded.data() == whole.data(), "{ppp}x in bands of {rows}");
                let fresh = draw(&moved, &sprites, ppp, size, rows, None);
                assert!(fresh.data() == whole.data(), "{ppp}x in bands of {rows}");
            }
            // Twelve cards, two meshes: ten found.
            assert_eq!(warm.sprites.held.values().map(Vec::len).sum::<usize>(), 2);
        }
    }

    #[test]
    fn a_mesh_drawn_from_many_anchors_draws_as_its_copies() {
        let (_, moved, _) = in_place_and_as_sprites(&[pos2(3.0, 3.0), pos2(95.0, 3.0)], 2.0, 1.0);
        let anchors = [[2, 2], [190, 2], [4, 80], [195, 81], [380, 40]];
        // Each card with a copy of its mesh, and each drawn from the first
        // two primitives, the others empty.
        let copied: Vec<_> = (0..anchors.len()).map(|i| moved[i % 2].clone()).collect();
        let copies: Vec<_> = anchors
            .iter()
            .enumerate()
            .map(|(i, &a)| own(i, a))
            .collect();
        let from: Vec<_> = (0..anchors.len())
            .map(|i| match i {
                0 | 1 => moved[i].clone(),
                _ => clipped(Mesh::default()),
            })
            .collect();
        let shared: Vec<_> = anchors
            .iter()
            .enumerate()
            .map(|(i, &anchor)| SpriteAt {
                primitive: i,
                mesh: i % 2,
                anchor,
            })
            .collect();
        let size = [600, 160];
        let alone = draw(&copied, &copies, 2.0, size, size[1], None);
        let mut warm = DrawCache::default();
        for rows in [1, 7, 160] {
            let drawn = draw(&from, &shared, 2.0, size, rows, Some(&mut warm));
            assert!(drawn.data() == alone.data(), "bands of {rows}");
        }
        assert_eq!(warm.sprites.held.values().map(Vec::len).sum::<usize>(), 2);
    }

    #[test]
    fn what_was_found_for_some_bins_is_not_taken_for_others() {
        // The same primitive numbers, other meshes: a mesh found for the
        // first bins must be looked for again in the second.
        let one = card(pos2(2.0, 2.0), Color32::from_rgb(40, 90, 200));
        let other = card(pos2(2.0, 2.0), Color32::from_rgb(200, 40, 60));
        let first = [clipped(tessellate(&one, 1.0, Vec2::ZERO))];
        let second = [clipped(tessellate(&other, 1.0, Vec2::ZERO))];
        let sprites = [own(0, [10, 5])];
        let size = [120, 50];
        let mut cache = DrawCache::default();
        let _ = draw(&first, &sprites, 1.0, size, 10, Some(&mut cache));
        let after = draw(&second, &sprites, 1.0, size, 10, Some(&mut cache));
        let fresh = draw(&second, &sprites, 1.0, size, 10, None);
        assert!(after.data() == fresh.data());
        assert!(fresh.data() != draw(&first, &sprites, 1.0, size, 10, None).data());
    }

    #[test]
    fn forgotten_or_different_sprites_are_never_confused() {
        // The same card in two accents one bit apart, then in many places.
        let one = card(pos2(2.0, 2.0), Color32::from_rgb(40, 90, 200));
        let other = card(pos2(2.0, 2.0), Color32::from_rgb(40, 90, 201));
        let (a, b) = (
            tessellate(&one, 2.0, Vec2::ZERO),
            tessellate(&other, 2.0, Vec2::ZERO),
        );
        let mut primitives = Vec::new();
        let mut sprites = Vec::new();
        for i in 0..8_i64 {
            sprites.push(own(primitives.len(), [i * 37, (i % 3) * 29]));
            primitives.push(clipped(if i % 3 == 0 { a.clone() } else { b.clone() }));
        }
        let size = [500, 260];
        let fresh = draw(&primitives, &sprites, 2.0, size, 9, None);
        for budget in [0, 100_000, BUDGET] {
            let mut cache = DrawCache {
                sprites: Sprites::with_budget(budget),
                ..DrawCache::default()
            };
            let shared = draw(&primitives, &sprites, 2.0, size, 9, Some(&mut cache));
            assert!(shared.data() == fresh.data(), "budget {budget}");
            assert!(
                cache.sprites.bytes <= budget.max(200_000),
                "budget {budget}"
            );
        }
    }

    #[test]
    fn a_mesh_too_large_or_not_finite_is_no_sprite() {
        let mut mesh = Mesh::default();
        mesh.add_colored_rect(
            Rect::from_min_size(pos2(0.0, 0.0), vec2(10.0, 10.0)),
            Color32::RED,
        );
        assert_eq!(
            placement(&mesh, 2.0),
            Some(Placement {
                from: [0, 0],
                size: [21, 21]
            })
        );
        assert_eq!(placement(&mesh, 300.0), None);
        mesh.vertices[0].pos.x = f32::NAN;
        assert_eq!(placement(&mesh, 1.0), None);
        assert_eq!(placement(&Mesh::default(), 1.0), None);
        // Listed as a sprite but too large: drawn nowhere (its mesh is not
        // where it would be drawn in place), rather than in the wrong place.
        let mut large = Mesh::default();
        large.add_colored_rect(
            Rect::from_min_size(pos2(0.0, 0.0), vec2(3000.0, 2.0)),
            Color32::RED,
        );
        let drawn = draw(&[clipped(large)], &[own(0, [0, 0])], 1.0, [40, 4], 4, None);
        assert!(drawn.data() == background(40, 4).data());
    }
}
