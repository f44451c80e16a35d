//! Fills drawn as one polygon: epaint fills a path as a fan of triangles
//! from its first point, and a rounded card's row crosses a dozen of them.
//! A fan of one colour and texture coordinate whose snapped outline is
//! convex is drawn a span per row, with exactly its triangles' pixels:
//! inside a convex polygon the top-left rule gives each pixel centre to one
//! of the fan's triangles, and on its outline the polygon's edges decide as
//! the triangles' do. Anything else is drawn triangle by triangle.

use epaint::{Mesh, Vertex};

use crate::coverage::{self, GUARD_PX};

/// The most triangles drawn as one fan.
pub(crate) const MAX_FAN: usize = 64;

/// How many of `entries` (`(primitive, first index)`, from the first), are
/// the consecutive triangles of a fan of `mesh` with one colour and texture
/// coordinate: `[pivot, a, b]`, `[pivot, b, c]`, `[pivot, c, d]`...
pub(crate) fn fan_len(mesh: &Mesh, entries: &[(u32, u32)]) -> usize {
    let Some(&(p, first)) = entries.first() else {
        return 0;
    };
    let triangle = |first: u32| match mesh.indices.get(first as usize..first as usize + 3) {
        Some(&[a, b, c]) => Some([a, b, c]),
        _ => None,
    };
    let look = |index: u32| {
        let v = mesh.vertices.get(index as usize)?;
        Some((v.color, v.uv.x.to_bits(), v.uv.y.to_bits()))
    };
    let Some([pivot, a, mut last]) = triangle(first) else {
        return 0;
    };
    let common = look(pivot);
    if common.is_none() || look(a) != common || look(last) != common {
        return 0;
    }
    let mut len = 1;
    for &(q, next) in entries.iter().skip(1).take(MAX_FAN - 1) {
        let follows = q == p && next == first + 3 * len as u32;
        match triangle(next).filter(|_| follows) {
            Some([b, c, d]) if b == pivot && c == last && look(d) == common => last = d,
            _ => break,
        }
        len += 1;
    }
    len
}

/// The outline of the fan of `len` triangles from index `first` of `mesh`
/// in sub-pixel units at `ppp`, turned to positive winding, and its pivot;
/// `None` when it is not convex, has no area, or reaches past the guard band.
pub(crate) fn convex_outline(
    mesh: &Mesh,
    first: usize,
    len: usize,
    ppp: f64,
) -> Option<(Vec<[i64; 2]>, &Vertex)> {
    let indices = mesh.indices.get(first..first + 3 * len)?;
    let pivot = mesh.vertices.get(*indices.first()? as usize)?;
    let thirds = indices.chunks_exact(3).filter_map(|t| t.get(2));
    let mut outline: Vec<[i64; 2]> = Vec::with_capacity(len + 2);
    for &index in indices.iter().take(2).chain(thirds) {
        let v = mesh.vertices.get(index as usize)?;
        let [x, y] = [v.pos.x, v.pos.y].map(|c| f64::from(c) * ppp);
        // Also false for NaN.
        if !(x.abs() <= GUARD_PX && y.abs() <= GUARD_PX) {
            return None;
        }
        let point = [x, y].map(coverage::snap);
        // A repeated point makes an edge of no length: its triangle has no
        // area, and the edge would wrongly exclude every row.
        if outline.last() != Some(&point) {
            outline.push(point);
        }
    }
    if outline.len() > 1 && outline.first() == outline.last() {
        outline.pop();
    }
    make_convex_positive(&mut outline).then_some((outline, pivot))
}

/// Whether `points` are a convex polygon with an area that winds once;
/// turns it to positive winding if so.
fn make_convex_positive(points: &mut [[i64; 2]]) -> bool {
    let n = points.len();
    if n < 3 {
        return false;
    }
    let at = |i: usize| points.get(i % n).copied().unwrap_or_default();
    let edge = |i: usize| {
        let (p, q) = (at(i), at(i + 1));
        [i128::from(q[0] - p[0]), i128::from(q[1] - p[1])]
    };
    let origin = at(0).map(i128::from);
    let (mut area, mut left, mut right) = (0, false, false);
    for i in 0..n {
        let (p, q) = (at(i).map(i128::from), at(i + 1).map(i128::from));
        area += (p[0] - origin[0]) * (q[1] - origin[1]) - (p[1] - origin[1]) * (q[0] - origin[0]);
        let ([ax, ay], [bx, by]) = (edge(i), edge(i + 1));
        let turn = ax * by - ay * bx;
        left |= turn > 0;
        right |= turn < 0;
    }
    // A simple convex polygon's edges turn from going right to going left
    // twice, and from going down to going up; one that winds twice, or
    // doubles back on itself, more often.
    let turns = |axis: usize| {
        let signs: Vec<bool> = (0..n)
            .filter_map(|i| edge(i).get(axis).copied())
            .filter(|&d| d != 0)
            .map(|d| d > 0)
            .collect();
        let changes = signs.windows(2).filter(|w| w.first() != w.last()).count();
        changes + usize::from(signs.first() != signs.last())
    };
    if area == 0 || (left && right) || turns(0) > 2 || turns(1) > 2 {
        return false;
    }
    if area < 0 {
        points.reverse();
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Pixmap, TextureStore, rasterize};
    use epaint::textures::TextureOptions;
    use epaint::{ClippedPrimitive, Color32, ColorImage, ImageDelta, Pos2, Primitive, Rect};
    use epaint::{TextureId, pos2, vec2};

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
        let mut loose = Mesh::default();
        for &i in &fan.indices {
            loose.vertices.push(fan.vertices[i as usize]);
            loose.indices.push(loose.vertices.len() as u32 - 1);
        }
        (fan, loose)
    }

    /// The fan and the loose triangles draw the same bytes over white, at
    /// scale `ppp`, in a 48x48 image.
    fn assert_fan_draws_like_its_triangles(points: &[Pos2], ppp: f32) {
        let color = Color32::from_rgba_premultiplied(90, 20, 50, 150);
        let (fan, loose) = fan_and_loose(points, color);
        let mut store = TextureStore::new();
        let white = ColorImage::new([1, 1], vec![Color32::WHITE]);
        store.set(
            TextureId::default(),
            &ImageDelta::full(white, TextureOptions::LINEAR),
        );
        let draw = |mesh: Mesh| {
            let primitive = ClippedPrimitive {
                clip_rect: Rect::EVERYTHING,
                primitive: Primitive::Mesh(mesh),
            };
            let mut pixmap = Pixmap::new(48, 48);
            pixmap.fill(Color32::WHITE);
            rasterize(&[primitive], &store, ppp, &mut pixmap, 0..48);
            pixmap
        };
        let (fan, loose) = (draw(fan), draw(loose));
        assert!(fan.data() == loose.data(), "fan {points:?} at {ppp}x");
    }

    /// Points around an ellipse in order: a convex polygon, unless snapping
    /// to half pixels makes it degenerate or dents it.
    fn ellipse(centre: Pos2, radii: epaint::Vec2, angles: &[f32], snap: bool) -> Vec<Pos2> {
        let mut angles = angles.to_vec();
        angles.sort_by(f32::total_cmp);
        let on_half_pixels = |p: Pos2| pos2((p.x * 2.0).round() / 2.0, (p.y * 2.0).round() / 2.0);
        (angles.iter())
            .map(|a| centre + vec2(radii.x * a.cos(), radii.y * a.sin()))
            .map(|p| if snap { on_half_pixels(p) } else { p })
            .collect()
    }

    proptest::proptest! {
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
        let red = Color32::from_rgb(200, 40, 90);
        let (fan, loose) = fan_and_loose(&square, red);
        let entries = |mesh: &Mesh| -> Vec<(u32, u32)> {
            (0..mesh.indices.len() as u32 / 3)
                .map(|t| (0, 3 * t))
                .collect()
        };
        assert_eq!(fan_len(&fan, &entries(&fan)), 2);
        assert!(convex_outline(&fan, 0, 2, 1.0).is_some());
        assert_eq!(fan_len(&loose, &entries(&loose)), 1);
        let mut shaded = fan.clone();
        shaded.vertices[2].color = Color32::BLUE;
        assert_eq!(fan_len(&shaded, &entries(&shaded)), 0, "one colour only");

        let convex = |points: &[[i64; 2]]| make_convex_positive(&mut points.to_vec());
        assert!(convex(&[[0, 0], [10, 0], [10, 10], [0, 10]]));
        assert!(convex(&[[0, 0], [0, 10], [10, 10], [10, 0]]));
        assert!(
            convex(&[[0, 0], [5, 0], [10, 0], [10, 10], [0, 10]]),
            "collinear"
        );
        // A dent, a pentagram (turns all one way, winds twice), a spike
        // doubling back, a line.
        let dent = [[0, 0], [10, 0], [5, 3], [10, 10], [0, 10]];
        let star = [[0, -10], [6, 8], [-10, -3], [10, -3], [-6, 8]];
        let spike = [[0, 0], [10, 0], [10, 10], [10, 20], [10, 10], [0, 10]];
        let line = [[0, 0], [5, 5], [10, 10]];
        for points in [&dent[..], &star, &spike, &line] {
            assert!(!convex(points), "{points:?}");
        }
        let mut anticlockwise = vec![[0, 0], [0, 10], [10, 10], [10, 0]];
        assert!(make_convex_positive(&mut anticlockwise));
        assert_eq!(anticlockwise[1], [10, 10], "turned to positive winding");
    }
}
