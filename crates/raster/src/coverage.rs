//! Which pixels a triangle covers: vertices snapped to 1/256 pixel, exact
//! integer edge functions, pixel centres, the top-left rule.

use crate::shade::Point;

/// Sub-pixel precision of snapped vertex positions (8 bits, like GPUs).
const SUBPIXEL: i64 = 256;
/// Half a pixel in sub-pixel units: pixel centres sit at `x * SUBPIXEL + HALF`.
const HALF: i64 = SUBPIXEL / 2;
/// Triangles reaching further than this many pixels from the origin are first
/// clipped to this square, which keeps every edge function inside `i64`.
pub(crate) const GUARD_PX: f64 = 2_097_152.0; // 2^21

/// Output pixels `x_lo..=x_hi` of rows `y_lo..=y_hi`, never empty.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PixelBox {
    pub(crate) x_lo: i64,
    pub(crate) x_hi: i64,
    pub(crate) y_lo: i64,
    pub(crate) y_hi: i64,
}

/// One edge function `E(p) = dx * (p.y - y0) - dy * (p.x - x0)`, positive
/// inside, in sub-pixel units, with the top-left rule folded into `bias`.
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
        let bias = if top_left { 0 } else { -1 };
        let [x0, y0] = p;
        Self {
            x0,
            y0,
            dx,
            dy,
            bias,
        }
    }

    /// `E(p)` plus the bias: the point `p` is covered when this is `>= 0`.
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

/// Calls `span(y, x0, x1)` for each row's pixels `x0..x1` whose centres the
/// triangle at `points` (output pixels, within the guard square) covers,
/// within `clip` (half-open `[x0, x1, y0, y1]`).
pub(crate) fn for_each_span(points: [Point; 3], clip: [i64; 4], span: impl FnMut(i64, i64, i64)) {
    let Some((edges, pixels)) = triangle_edges(points.map(|p| p.map(snap)), clip) else {
        return;
    };
    if pixels.x_hi - pixels.x_lo < NARROW_PX {
        narrow_spans(&edges, pixels, span);
    } else {
        walked_spans(&edges, pixels, span);
    }
}

/// A pixel-space coordinate snapped to the sub-pixel grid.
pub(crate) fn snap(v: f64) -> i64 {
    floor_i64(v * SUBPIXEL as f64 + 0.5)
}

/// The pixels within `clip` whose centres are in the sub-pixel box
/// `min..=max` (x, y), if any.
fn centres_in(min: [i64; 2], max: [i64; 2], clip: [i64; 4]) -> Option<PixelBox> {
    let [x0, x1, y0, y1] = clip;
    let first = |v: i64| ceil_div(v - HALF, SUBPIXEL);
    let last = |v: i64| floor_div(v - HALF, SUBPIXEL);
    let pixels = PixelBox {
        x_lo: first(min[0]).max(x0),
        x_hi: last(max[0]).min(x1 - 1),
        y_lo: first(min[1]).max(y0),
        y_hi: last(max[1]).min(y1 - 1),
    };
    (pixels.x_lo <= pixels.x_hi && pixels.y_lo <= pixels.y_hi).then_some(pixels)
}

/// Calls `span(y, x0, x1)` for each row's pixels `x0..x1` within `clip`
/// whose centres the convex polygon with `corners` (sub-pixel units,
/// positive winding) covers. A row of a convex polygon is bounded by one
/// edge running up (its left side) and one running down (its right side):
/// only those two are walked, plus the horizontal edges' all-or-nothing test.
pub(crate) fn for_each_polygon_span(
    corners: &[[i64; 2]],
    clip: [i64; 4],
    mut span: impl FnMut(i64, i64, i64),
) {
    let (mut min, mut max) = ([i64::MAX; 2], [i64::MIN; 2]);
    for &[x, y] in corners {
        min = [min[0].min(x), min[1].min(y)];
        max = [max[0].max(x), max[1].max(y)];
    }
    let Some(pixels) = centres_in(min, max, clip) else {
        return;
    };
    let next = corners.iter().cycle().skip(1);
    let edges = corners.iter().zip(next).map(|(&p, &q)| Edge::between(p, q));
    let (mut left, mut right) = (Chain::default(), Chain::default());
    let mut flat = Vec::new();
    for edge in edges {
        match edge.dy.signum() {
            -1 => left.edges.push(edge),
            1 => right.edges.push(edge),
            _ => flat.push(edge),
        }
    }
    left.edges.sort_unstable_by_key(Edge::top);
    right.edges.sort_unstable_by_key(Edge::top);
    let px = pixels.x_lo * SUBPIXEL + HALF;
    let last = pixels.x_hi - pixels.x_lo;
    for y in pixels.y_lo..=pixels.y_hi {
        let centre = y * SUBPIXEL + HALF;
        let (k_min, k_max) = (left.bound_at(centre, px), right.bound_at(centre, px));
        let (Some(k_min), Some(k_max)) = (k_min, k_max) else {
            continue;
        };
        let (k_min, k_max) = (k_min.max(0), k_max.min(last));
        if k_min <= k_max && flat.iter().all(|h| h.at([px, centre]) >= 0) {
            span(y, pixels.x_lo + k_min, pixels.x_lo + k_max + 1);
        }
    }
}

/// The edges of one side of a convex polygon, top to bottom, walked down
/// the rows.
#[derive(Default)]
struct Chain {
    edges: Vec<Edge>,
    /// The edge bounding the current row, and its walk from there.
    at: usize,
    walk: Option<Bound>,
}

impl Chain {
    /// The bound on `k` (pixels right of the column whose centre is `px`)
    /// this side gives the row whose centre is `centre`, or `None` if no
    /// edge of this side reaches it. Called for each row in turn.
    fn bound_at(&mut self, centre: i64, px: i64) -> Option<i64> {
        while self.edges.get(self.at).is_some_and(|e| e.bottom() < centre) {
            self.at += 1;
            self.walk = None;
        }
        let edge = self.edges.get(self.at)?;
        if edge.top() > centre {
            return None;
        }
        let per_row = edge.dx * SUBPIXEL;
        let bound = (self.walk)
            .get_or_insert_with(|| Bound::new(edge.at([px, centre]), -edge.dy * SUBPIXEL, per_row));
        let k = match bound {
            Bound::Left(walk) | Bound::Right(walk) => Some(walk.k),
            Bound::Horizontal { .. } => None,
        };
        bound.next_row();
        k
    }
}

/// The edges of the triangle with `corners` (snapped), turned to positive
/// winding, and the pixels within `clip` whose centres it may cover;
/// `None` when it has no area or no such pixels.
fn triangle_edges(corners: [[i64; 2]; 3], clip: [i64; 4]) -> Option<([Edge; 3], PixelBox)> {
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
    centres_in(min, max, clip).map(|pixels| (edges, pixels))
}

/// Calls `span(y, x0, x1)` for each row's pixels `x0..x1` within `pixels`
/// whose centres are inside `edges`. Along a row an edge function changes
/// by a fixed step per pixel, so each edge bounds the covered pixels from
/// one side; the bounds are walked down the rows exactly, in integers.
fn walked_spans(edges: &[Edge; 3], pixels: PixelBox, mut span: impl FnMut(i64, i64, i64)) {
    let PixelBox {
        x_lo,
        x_hi,
        y_lo,
        y_hi,
    } = pixels;
    let (px, py) = (x_lo * SUBPIXEL + HALF, y_lo * SUBPIXEL + HALF);
    let mut bounds = edges.map(|e| Bound::new(e.at([px, py]), -e.dy * SUBPIXEL, e.dx * SUBPIXEL));
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
/// feathering down a side or around a corner) have their pixel centres
/// tested directly: setting up the walk, which divides, costs more than
/// testing the few pixels of a row.
const NARROW_PX: i64 = 4;

/// [`walked_spans`] for a narrow pixel box: the same spans, each centre
/// tested against the edges, whose values are stepped exactly in integers.
fn narrow_spans(edges: &[Edge; 3], pixels: PixelBox, mut span: impl FnMut(i64, i64, i64)) {
    let first = [pixels.x_lo * SUBPIXEL + HALF, pixels.y_lo * SUBPIXEL + HALF];
    let mut row = edges.map(|e| e.at(first));
    let (along, down) = (
        edges.map(|e| -e.dy * SUBPIXEL),
        edges.map(|e| e.dx * SUBPIXEL),
    );
    for y in pixels.y_lo..=pixels.y_hi {
        let mut values = row;
        // A row of a triangle is one run of pixels.
        let mut run: Option<(i64, i64)> = None;
        for x in pixels.x_lo..=pixels.x_hi {
            if values.iter().all(|&v| v >= 0) {
                run = Some((run.map_or(x, |(x0, _)| x0), x + 1));
            } else if run.is_some() {
                break;
            }
            values
                .iter_mut()
                .zip(along)
                .for_each(|(v, step)| *v += step);
        }
        if let Some((x0, x1)) = run {
            span(y, x0, x1);
        }
        row.iter_mut().zip(down).for_each(|(v, step)| *v += step);
    }
}

/// How one edge limits the covered pixels `k` (offsets from the first
/// column) of each row.
enum Bound {
    /// Covered pixels have `k >= walk.k`.
    Left(Walk),
    /// Covered pixels have `k <= walk.k`.
    Right(Walk),
    /// A horizontal edge: a row is wholly in or out.
    Horizontal { value: i64, per_row: i64 },
}

/// `k = floor(value / divisor)` (or its negation) tracked exactly as
/// `value` grows by a fixed amount per row, without dividing.
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

/// `floor(v)`, saturating beyond the `i64` range (inline, unlike
/// `f64::floor` without SSE4.1).
pub(crate) fn floor_i64(v: f64) -> i64 {
    let t = v as i64;
    if t as f64 > v { t.saturating_sub(1) } else { t }
}

/// `(floor(n / d), n - d * floor(n / d))` for `d > 0`: a floating-point
/// estimate made exact in integers (a 64-bit division costs several times
/// more, and every triangle needs six).
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

fn floor_div(n: i64, d: i64) -> i64 {
    n.div_euclid(d)
}

fn ceil_div(n: i64, d: i64) -> i64 {
    -(-n).div_euclid(d)
}

/// The triangle clipped to the guard square (Sutherland–Hodgman), as a
/// convex polygon of at most seven points. Intersections are computed from
/// an edge's endpoints in a canonical order, so two triangles sharing an
/// edge get bit-identical new vertices and still meet without seams.
pub(crate) fn clip_to_guard(triangle: [Point; 3]) -> Vec<Point> {
    let mut polygon = triangle.to_vec();
    for (axis, bound) in [(0, -GUARD_PX), (0, GUARD_PX), (1, -GUARD_PX), (1, GUARD_PX)] {
        let along = |p: &Point| p.get(axis).copied().unwrap_or(0.0);
        let inside = |p: &Point| {
            if bound < 0.0 {
                along(p) >= bound
            } else {
                along(p) <= bound
            }
        };
        let mut output = Vec::with_capacity(polygon.len() + 1);
        let previous = polygon.iter().cycle().skip(polygon.len().saturating_sub(1));
        for (prev, cur) in previous.zip(&polygon) {
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
    let along = |p: Point, i: usize| p.get(i).copied().unwrap_or(0.0);
    let other = 1 - axis;
    let t = (bound - along(a, axis)) / (along(b, axis) - along(a, axis));
    let mut p = [bound; 2];
    if let Some(slot) = p.get_mut(other) {
        *slot = along(a, other) + t * (along(b, other) - along(a, other));
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The walked spans, and the narrow path's, are exactly the pixel
        /// centres inside the triangle by the edge functions (top-left rule and all: corners
        /// on pixel centres and edges through them are likely here).
        #[test]
        fn walked_spans_cover_exactly_the_centres_inside(
            points in proptest::array::uniform3((0i64..6 * 4, 0i64..40 * 4)),
        ) {
            // Quarter-pixel steps: vertices often exactly on a centre, and
            // edges through them.
            let corners = points.map(|(x, y)| [x * SUBPIXEL / 4, y * SUBPIXEL / 4]);
            let Some((edges, pixels)) = triangle_edges(corners, [0, 7, 0, 41]) else {
                return Ok(());
            };
            let mut walked = Vec::new();
            walked_spans(&edges, pixels, |y, x0, x1| walked.extend((x0..x1).map(|x| (x, y))));
            let mut narrow = Vec::new();
            narrow_spans(&edges, pixels, |y, x0, x1| narrow.extend((x0..x1).map(|x| (x, y))));
            proptest::prop_assert_eq!(&narrow, &walked);
            let mut tested = Vec::new();
            for y in pixels.y_lo..=pixels.y_hi {
                for x in pixels.x_lo..=pixels.x_hi {
                    let centre = [x * SUBPIXEL + HALF, y * SUBPIXEL + HALF];
                    if edges.iter().all(|e| e.at(centre) >= 0) {
                        tested.push((x, y));
                    }
                }
            }
            proptest::prop_assert_eq!(walked, tested);
        }
    }
}
