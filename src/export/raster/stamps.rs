//! Small triangles drawn from remembered pixels.
//!
//! epaint feathers every rounded rectangle with a fringe of triangles a
//! pixel or two across: about 400,000 of them in a 200-step map at 2x, each
//! set up, tested against its edges and shaded for a pixel or two. The same
//! corner of another card is the same triangle moved by whole pixels
//! (wherever the layout puts cards at the same place in the pixel grid), so
//! a triangle's covered pixels and their colours are remembered under its
//! shape, taken relative to a whole pixel, and its colours, and blended
//! again from there.
//!
//! Coverage is decided on the snapped corners, as for any triangle, and
//! moving them by whole pixels moves it exactly. The colours are worked out
//! from the snapped corners relative to that pixel too (not from the
//! unsnapped positions, which differ in their last bits from card to card),
//! so a small triangle's pixels are a function of what is remembered: the
//! same whether it is drawn afresh or from memory, wherever it is. They are
//! within a level of the colours the other paths would give it, except in
//! slivers under a pixel thick: there the colour changes so fast across the
//! sliver that a corner's 1/512 pixel of snapping can move it by a few
//! levels (GPUs interpolate from snapped corners too).

use super::{
    Frame, GUARD_PX_INT, Planes4, Point, SUBPIXEL, Scissor, Vertex, blend_over, floor_i64,
    inverse_area, narrow_spans, snap, times_texel, triangle_edges,
};

/// Triangles narrower and shorter than this, in pixels, are drawn as
/// stamps: at most four pixel centres each way.
pub(super) const STAMP_PX: f64 = 4.0;

/// Slots of [`Stamps`], a power of two. At 1,024 (135 KB), 78% of a
/// 200-step map's small triangles are found remembered; 4,096 find 84%
/// for 0.4% fewer instructions in all, in four times the memory.
const SLOTS: usize = 1024;

/// Pixels a remembered stamp holds. Most small triangles cover one or two;
/// one covering more is drawn without being remembered.
const PIXELS: usize = 4;

/// A scissor that clips nothing: a stamp holds a triangle's whole coverage,
/// and each drawing of it clips that to its own scissor.
const EVERYWHERE: Scissor = Scissor {
    x0: -GUARD_PX_INT,
    x1: GUARD_PX_INT,
    y0: -GUARD_PX_INT,
    y1: GUARD_PX_INT,
};

/// The pixels of small triangles drawn so far, by shape and colour: keep one
/// for all the bands a thread draws. Direct-mapped: a triangle replaces
/// whatever was remembered in its slot.
pub struct Stamps {
    slots: Vec<Option<Stamp>>,
}

impl Default for Stamps {
    fn default() -> Self {
        Self::with_slots(SLOTS)
    }
}

impl Stamps {
    /// Stamps with `slots` slots (a power of two, or none).
    fn with_slots(slots: usize) -> Self {
        Self {
            slots: vec![None; slots],
        }
    }

    /// Stamps that remember nothing and draw nothing: every small triangle
    /// goes the way of the others.
    #[cfg(test)]
    pub(super) fn none() -> Self {
        Self::with_slots(0)
    }
}

impl std::fmt::Debug for Stamps {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let held = self.slots.iter().filter(|slot| slot.is_some()).count();
        f.debug_struct("Stamps").field("held", &held).finish()
    }
}

/// What a small triangle's pixels depend on.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Key {
    /// Snapped corners, in sub-pixel units from the stamp's anchor: the
    /// whole pixel at or before the smallest x and y of the corners.
    corners: [[i32; 2]; 3],
    colors: [[u8; 4]; 3],
    /// The texture sample every vertex has, as bits.
    texel: [u32; 4],
}

/// A small triangle's covered pixels (from its anchor) and their source
/// colours (premultiplied, `0..=255`).
#[derive(Clone, Copy)]
struct Stamp {
    key: Key,
    len: u8,
    at: [[u8; 2]; PIXELS],
    src: [[f32; 4]; PIXELS],
}

impl Stamps {
    /// Blends a triangle under [`STAMP_PX`] across, with one texture sample
    /// `texel` for all of it, within `scissor`; `min` is the smallest x and y
    /// of its `points`. False (nothing drawn) when it is too large to be
    /// stamped, or when there is nowhere to remember stamps.
    pub(super) fn draw(
        &mut self,
        frame: &mut Frame<'_>,
        scissor: &Scissor,
        points: [Point; 3],
        min: [f64; 2],
        vertices: [&Vertex; 3],
        texel: [f32; 4],
    ) -> bool {
        if self.slots.is_empty() {
            return false;
        }
        // Any whole pixel at or before the corners will do: the pixels are
        // worked out from the corners relative to it. The floor of the
        // smallest coordinate is at or before its snapped value.
        let anchor = min.map(floor_i64);
        let relative = points.map(|p| {
            let [x, y] = p.map(snap);
            [x - anchor[0] * SUBPIXEL, y - anchor[1] * SUBPIXEL]
        });
        let reach = (STAMP_PX as i64 + 2) * SUBPIXEL;
        if !relative.iter().flatten().all(|c| (0..reach).contains(c)) {
            return false;
        }
        let key = Key {
            // In range: checked above.
            corners: relative.map(|p| p.map(|c| c as i32)),
            colors: vertices.map(|v| v.color.to_array()),
            texel: texel.map(f32::to_bits),
        };
        let slot = slot_of(&key) & (self.slots.len() - 1);
        let blend = |frame: &mut Frame<'_>, at: [i64; 2], src: [f32; 4]| {
            let (x, y) = (anchor[0] + at[0], anchor[1] + at[1]);
            let inside =
                (scissor.x0..scissor.x1).contains(&x) && (scissor.y0..scissor.y1).contains(&y);
            if inside
                && let Some(span) = frame.span_mut(y, x, x + 1)
                && let Ok(pixel) = <&mut [u8; 4]>::try_from(span)
            {
                blend_over(pixel, src);
            }
        };
        if let Some(stamp) = self.slots.get(slot).and_then(Option::as_ref)
            && stamp.key == key
        {
            stamp.pixels().for_each(|(at, src)| blend(frame, at, src));
            return true;
        }
        let mut stamp = Stamp {
            key,
            len: 0,
            at: [[0; 2]; PIXELS],
            src: [[0.0; 4]; PIXELS],
        };
        // Drawn as it is worked out; remembered if it fits.
        let mut all_held = true;
        covered_pixels(&key, texel, |at, src| {
            blend(frame, at, src);
            all_held &= stamp.push(at, src);
        });
        if all_held && let Some(slot) = self.slots.get_mut(slot) {
            *slot = Some(stamp);
        }
        true
    }
}

impl Stamp {
    /// Holds one more pixel, if there is room for it and it is near enough.
    fn push(&mut self, at: [i64; 2], src: [f32; 4]) -> bool {
        let i = usize::from(self.len);
        if let (Some(slot_at), Some(slot_src), Ok(x), Ok(y)) = (
            self.at.get_mut(i),
            self.src.get_mut(i),
            u8::try_from(at[0]),
            u8::try_from(at[1]),
        ) {
            *slot_at = [x, y];
            *slot_src = src;
            self.len += 1;
            true
        } else {
            false
        }
    }

    /// The covered pixels, from the anchor, and their colours.
    fn pixels(&self) -> impl Iterator<Item = ([i64; 2], [f32; 4])> + '_ {
        (self.at.iter().zip(&self.src))
            .take(usize::from(self.len))
            .map(|(at, src)| (at.map(i64::from), *src))
    }
}

/// A hash of `key` (the `FxHash` step over its words), its well-mixed high
/// bits shifted down: the slot of [`Stamps`] is its low bits.
fn slot_of(key: &Key) -> usize {
    let pair = |a: u32, b: u32| u64::from(a) << 32 | u64::from(b);
    let [[ax, ay], [bx, by], [cx, cy]] = key.corners.map(|p| p.map(i32::cast_unsigned));
    let [c0, c1, c2] = key.colors.map(u32::from_ne_bytes);
    let [t0, t1, t2, t3] = key.texel;
    let words = [
        pair(ax, ay),
        pair(bx, by),
        pair(cx, cy),
        pair(c0, c1),
        pair(c2, t0),
        pair(t1, t2),
        u64::from(t3),
    ];
    let mut hash = 0u64;
    for word in words {
        hash = (hash.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    (hash >> 32) as usize
}

/// Calls `visit(at, src)` for each pixel whose centre the triangle `key`
/// covers (`at` from the anchor) with its source colour: the vertex colours
/// times `texel`, interpolated over the snapped corners.
fn covered_pixels(key: &Key, texel: [f32; 4], mut visit: impl FnMut([i64; 2], [f32; 4])) {
    let corners = key.corners.map(|p| p.map(i64::from));
    let Some((edges, pixels)) = triangle_edges(corners, &EVERYWHERE) else {
        return;
    };
    let colors = key.colors.map(|color| times_texel(color, texel));
    let [c0, c1, c2] = key.colors;
    let one_color = (c0 == c1 && c1 == c2).then_some(colors[0]);
    let points = corners.map(|p| p.map(|v| v as f64 / SUBPIXEL as f64));
    let planes = Planes4::new(&points, colors, inverse_area(&points));
    narrow_spans(&edges, pixels, |y, x0, x1| {
        for x in x0..x1 {
            let src = one_color.unwrap_or_else(|| planes.at_centre(x, y).0);
            visit([x, y], src);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::{clipped, draw_bands, white_store};
    use super::super::{Bins, ClippedPrimitive, DrawCache, Pixmap};
    use super::*;
    use egui::epaint::Mesh;
    use egui::{Color32, Pos2, pos2};
    use proptest::prelude::*;

    /// A background of noise (a function of the pixel, so it can be moved).
    fn noise(x: i64, y: i64) -> [u8; 4] {
        let mut h = (x.wrapping_mul(0x9e37_79b9) ^ y.wrapping_mul(0x85eb_ca6b)) as u64;
        h ^= h >> 13;
        h = h.wrapping_mul(0xc2b2_ae35);
        let [r, g, b, ..] = h.to_le_bytes();
        [r, g, b, 255]
    }

    /// A `w` x `h` image of [`noise`] moved by `by`.
    fn background(w: u32, h: u32, by: [i64; 2]) -> Pixmap {
        let mut pixmap = Pixmap::new(w, h);
        let width = w as usize;
        for (i, pixel) in pixmap.data_mut().chunks_exact_mut(4).enumerate() {
            let (x, y) = ((i % width) as i64, (i / width) as i64);
            pixel.copy_from_slice(&noise(x - by[0], y - by[1]));
        }
        pixmap
    }

    /// `primitives` drawn over `target` at 1x in bands of `rows`, with
    /// `stamps`.
    fn draw(primitives: &[ClippedPrimitive], target: &mut Pixmap, rows: u32, stamps: &mut Stamps) {
        let mut cache = DrawCache::from(std::mem::replace(stamps, Stamps::none()));
        let store = white_store();
        let bins = Bins::new(primitives, &store, 1.0, 0..target.height, rows);
        let out = draw_bands(primitives, &bins, &store, 1.0, target, Some(&mut cache));
        target.data_mut().copy_from_slice(&out);
        *stamps = cache.stamps;
    }

    /// A mesh of triangles, each corner with its own colour.
    fn triangles(triangles: &[[(Pos2, Color32); 3]]) -> ClippedPrimitive {
        let mut mesh = Mesh::default();
        for corners in triangles {
            let first = mesh.vertices.len() as u32;
            for &(pos, color) in corners {
                mesh.colored_vertex(pos, color);
            }
            mesh.add_triangle(first, first + 1, first + 2);
        }
        clipped(mesh)
    }

    /// A premultiplied colour: the feathering's are translucent.
    fn color() -> impl Strategy<Value = Color32> {
        (0u8..=255, any::<[u8; 3]>()).prop_map(|(a, [r, g, b])| {
            let scale = |c: u8| (u16::from(c) * u16::from(a) / 255) as u8;
            Color32::from_rgba_premultiplied(scale(r), scale(g), scale(b), a)
        })
    }

    /// A small triangle: corners on the 1/256 pixel grid within 3.99 pixels
    /// of one another, from (`8`, `8`).
    fn small_triangle() -> impl Strategy<Value = [(Pos2, Color32); 3]> {
        proptest::array::uniform3(((0u16..1021, 0u16..1021), color())).prop_map(|corners| {
            corners.map(|((x, y), color)| {
                let at = |v: u16| 8.0 + f32::from(v) / 256.0;
                (pos2(at(x), at(y)), color)
            })
        })
    }

    fn moved(triangle: [(Pos2, Color32); 3], by: [i64; 2]) -> [(Pos2, Color32); 3] {
        triangle.map(|(p, c)| (p + egui::vec2(by[0] as f32, by[1] as f32), c))
    }

    proptest! {
        /// A small triangle moved by whole pixels draws the same pixels,
        /// moved, over the same background: whether its stamp is worked
        /// out afresh or found remembered (here from a third place), and
        /// whether the bands cut it or not.
        #[test]
        fn a_stamp_draws_the_same_wherever_and_from_memory(
            triangle in small_triangle(),
            by in (0i64..30, 0i64..20),
            elsewhere in (0i64..30, 0i64..20),
            rows in 1u32..6,
        ) {
            let by = [by.0, by.1];
            let (w, h) = (48, 36);
            let mut fresh = background(w, h, [0, 0]);
            draw(&[triangles(&[triangle])], &mut fresh, h, &mut Stamps::default());

            let mut stamps = Stamps::default();
            let mut scratch = background(w, h, [0, 0]);
            draw(&[triangles(&[moved(triangle, [elsewhere.0, elsewhere.1])])], &mut scratch, h, &mut stamps);
            let mut remembered = background(w, h, by);
            draw(&[triangles(&[moved(triangle, by)])], &mut remembered, rows, &mut stamps);

            for y in 0..i64::from(h) - by[1] {
                for x in 0..i64::from(w) - by[0] {
                    let here = fresh.pixel(x as u32, y as u32);
                    let there = remembered.pixel((x + by[0]) as u32, (y + by[1]) as u32);
                    prop_assert_eq!(here, there, "pixel ({}, {})", x, y);
                }
            }
        }

        /// Stamps cover the pixels the triangle path covers (drawn in one
        /// opaque colour: the same bytes), anywhere, cut by bands. Their
        /// colours come from the snapped corners, the other path's from the
        /// exact ones: the same but for a rounding in a triangle at least a
        /// pixel thick. (A thinner one's colours change faster across it,
        /// and a corner's 1/512 pixel of snapping can move them by more.)
        #[test]
        fn stamps_draw_what_the_triangle_path_draws(
            triangle in small_triangle(),
            at in (-4.0f32..40.0, -4.0f32..30.0),
        ) {
            let triangle = triangle.map(|(p, c)| (p + egui::vec2(at.0, at.1), c));
            let opaque = triangle.map(|(p, _)| (p, Color32::from_rgb(200, 30, 60)));
            let [a, b, c] = triangle.map(|(p, _)| p);
            let longest = (b - a).length().max((c - b).length()).max((a - c).length());
            let thick = (b - a).x.mul_add((c - a).y, -(b - a).y * (c - a).x).abs() / longest >= 1.0;
            for (corners, exact) in [(triangle, false), (opaque, true)] {
                let drawn = |stamps: &mut Stamps| {
                    let mut pixmap = background(48, 36, [0, 0]);
                    draw(&[triangles(&[corners])], &mut pixmap, 7, stamps);
                    pixmap
                };
                let (stamped, plain) = (drawn(&mut Stamps::default()), drawn(&mut Stamps::none()));
                if exact {
                    prop_assert!(stamped.data() == plain.data());
                }
                for (a, b) in stamped.data().iter().zip(plain.data()) {
                    prop_assert!(!thick || a.abs_diff(*b) <= 1, "{} vs {}", a, b);
                }
            }
        }
    }

    /// Thousands of small triangles, more than there are slots, so stamps
    /// replace one another: the same bytes as each drawn with fresh stamps.
    /// A few shapes in many colours, so one slot sees a shape in one colour
    /// and then in another.
    #[test]
    fn replaced_stamps_are_never_confused() {
        for slots in [1, 64, SLOTS] {
            assert_replaced_stamps_are_never_confused(slots);
        }
    }

    fn assert_replaced_stamps_are_never_confused(slots: usize) {
        let mut all = Vec::new();
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        for _ in 0..3 * SLOTS {
            let base = pos2(next(120) as f32, next(90) as f32);
            let color = Color32::from_rgba_premultiplied(0, 0, next(60) as u8, 60);
            // One of eight shapes.
            let shape = next(8) as f32;
            let corner = |dx: f32, dy: f32| (base + egui::vec2(dx, dy + shape / 8.0), color);
            all.push([corner(0.0, 0.0), corner(3.0, 1.0), corner(0.5, 2.5)]);
        }
        let (w, h) = (128, 96);
        let mut shared = background(w, h, [0, 0]);
        let mut stamps = Stamps::with_slots(slots);
        for chunk in all.chunks(64) {
            draw(&[triangles(chunk)], &mut shared, 13, &mut stamps);
        }
        let mut alone = background(w, h, [0, 0]);
        for triangle in &all {
            draw(
                &[triangles(&[*triangle])],
                &mut alone,
                h,
                &mut Stamps::default(),
            );
        }
        assert!(shared.data() == alone.data(), "{slots} slots");
    }
}
