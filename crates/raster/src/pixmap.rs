//! The render target: an RGBA8 image with premultiplied alpha.

use std::fmt;
use std::ops::Range;

use epaint::Color32;

/// An RGBA8 image with premultiplied alpha, row-major, top row first: the
/// render target of [`crate::rasterize`].
#[derive(Clone, PartialEq, Eq)]
pub struct Pixmap {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Premultiplied RGBA8, row-major, `width * height * 4` bytes.
    pub(crate) data: Vec<u8>,
}

impl Pixmap {
    /// A fully transparent pixmap.
    ///
    /// # Panics
    /// If the memory cannot be allocated (callers check sizes first).
    pub fn new(width: u32, height: u32) -> Self {
        let len = byte_len(width, height).unwrap_or(usize::MAX);
        Self {
            width,
            height,
            data: vec![0; len],
        }
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
        let x0 = (columns.start as usize).min(width);
        let x1 = (columns.end as usize).clamp(x0, width);
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
        let index = (y as usize * self.width as usize + x as usize) * 4;
        match self.data.get(index..index + 4)? {
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
        self.data
            .chunks_exact(4)
            .all(|pixel| pixel.get(3) == Some(&255))
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
