//! Text measured in map units with the app's fonts, so the layout can make
//! cards, headers and notes as tall as their text and the scene can draw
//! exactly the rows that were measured, at any zoom or export scale.
//!
//! One font set, independent of any egui context, serves every caller (the
//! canvas, exports on several threads, tests): the layout is a pure function
//! of the journey and the theme, whatever draws it. Results are cached, so
//! laying out a big map again after an edit measures only what changed.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use egui::epaint::text::{Fonts, LayoutJob, TextFormat, TextOptions, TextWrapping};
use egui::{Color32, FontId};

use crate::view::theme::font_definitions;

/// Pixels per map unit the text is measured at: fine enough that row
/// breaks do not depend on pixel rounding.
const MEASURE_PIXELS_PER_POINT: f32 = 2.0;

/// Entries kept before the cache starts again: a map's worth of texts many
/// times over, and a bound on what a long session can hold.
const CACHE_LIMIT: usize = 50_000;

/// Text broken into rows at a width.
#[derive(Clone, Debug, PartialEq)]
pub struct Wrapped {
    /// The rows, top to bottom, as they are drawn.
    pub rows: Vec<String>,
    /// Height of one row in map units.
    pub row_height: f32,
    /// Width of the widest row in map units.
    pub width: f32,
    /// Width of each row in map units.
    pub row_widths: Vec<f32>,
}

impl Wrapped {
    /// Height of all rows in map units.
    pub fn height(&self) -> f32 {
        self.rows.len() as f32 * self.row_height
    }
}

type Key = (String, u32, String, u32);

struct Measurer {
    fonts: Fonts,
    cache: HashMap<Key, Arc<Wrapped>>,
}

static MEASURER: LazyLock<Mutex<Measurer>> = LazyLock::new(|| {
    Mutex::new(Measurer {
        fonts: Fonts::new(TextOptions::default(), font_definitions()),
        cache: HashMap::new(),
    })
});

/// `text` in `font` broken into rows no wider than `width` map units, at
/// spaces where it can and inside a word only where a word alone is wider.
/// Empty text is one empty row, so a placeholder keeps its line.
pub fn wrap(text: &str, font: &FontId, width: f32) -> Arc<Wrapped> {
    let width = width.max(1.0);
    let key = (
        text.to_owned(),
        font.size.to_bits(),
        font.family.to_string(),
        width.to_bits(),
    );
    let mut measurer = MEASURER.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(found) = measurer.cache.get(&key) {
        return Arc::clone(found);
    }
    let wrapped = Arc::new(measure(&mut measurer.fonts, text, font, width));
    if measurer.cache.len() >= CACHE_LIMIT {
        measurer.cache.clear();
    }
    measurer.cache.insert(key, Arc::clone(&wrapped));
    wrapped
}

/// The width of `text` on one row, in map units.
pub fn width(text: &str, font: &FontId) -> f32 {
    wrap(text, font, f32::INFINITY).width
}

/// The height of one row of `font`, in map units.
pub fn row_height(font: &FontId) -> f32 {
    wrap("", font, f32::INFINITY).row_height
}

fn measure(fonts: &mut Fonts, text: &str, font: &FontId, width: f32) -> Wrapped {
    let mut job = LayoutJob::single_section(
        text.to_owned(),
        TextFormat::simple(font.clone(), Color32::WHITE),
    );
    job.wrap = TextWrapping {
        max_width: width,
        ..TextWrapping::default()
    };
    let galley = fonts.layout_uncached(MEASURE_PIXELS_PER_POINT, Arc::new(job));
    let rows: Vec<String> = galley.rows.iter().map(|r| r.row.text()).collect();
    let row_height = galley
        .rows
        .first()
        .map_or(font.size, |r| r.row.height())
        .max(1.0);
    // A row's width ends at its last visible glyph: the space a row breaks
    // after would push a centred row off centre.
    let mut row_widths: Vec<f32> = (galley.rows.iter())
        .map(|r| {
            (r.row.glyphs.iter().rev())
                .find(|g| !g.chr.is_whitespace())
                .map_or(0.0, |g| g.pos.x + g.advance_width)
        })
        .collect();
    let widest = row_widths.iter().copied().fold(0.0, f32::max);
    let rows = if rows.is_empty() {
        row_widths = vec![0.0];
        vec![String::new()]
    } else {
        rows
    };
    Wrapped {
        rows,
        row_height,
        width: widest,
        row_widths,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn font() -> FontId {
        FontId::proportional(14.0)
    }

    #[test]
    fn short_text_is_one_row_and_long_text_wraps_at_spaces() {
        let one = wrap("Checkout", &font(), 200.0);
        assert_eq!(one.rows, vec!["Checkout".to_owned()]);
        let long = "Sees banner on a recipe site while planning the week's dinners";
        let many = wrap(long, &font(), 120.0);
        assert!(many.rows.len() >= 3, "{:?}", many.rows);
        assert!(many.width <= 120.0, "{}", many.width);
        let joined: String = many.rows.concat();
        assert_eq!(
            joined.split_whitespace().collect::<Vec<_>>().join(" "),
            long
        );
        for row in &many.rows {
            assert!(
                !row.trim().is_empty() && long.contains(row.trim()),
                "a row is a run of the text: {row:?}"
            );
        }
        assert!((many.height() - many.rows.len() as f32 * many.row_height).abs() < 1e-3);
    }

    #[test]
    fn narrower_is_never_fewer_rows_and_newlines_break() {
        let text = "Gets substitution request by text with no photo of the item";
        let mut last = 0;
        for width in [400.0, 240.0, 160.0, 100.0, 60.0] {
            let n = wrap(text, &font(), width).rows.len();
            assert!(n >= last, "{n} rows at {width} after {last}");
            last = n;
        }
        assert_eq!(wrap("a\nb", &font(), 400.0).rows.len(), 2);
        assert_eq!(wrap("", &font(), 400.0).rows.len(), 1);
    }

    #[test]
    fn a_bigger_font_is_wider_and_taller() {
        let small = wrap("Payment fails", &font(), f32::INFINITY);
        let big = wrap("Payment fails", &FontId::proportional(28.0), f32::INFINITY);
        assert!(big.width > small.width * 1.8 && big.row_height > small.row_height * 1.8);
        assert!((width("Payment fails", &font()) - small.width).abs() < 1e-3);
        // A row broken after a space is as wide as its words.
        let two = wrap("Gets substitution refund", &font(), 130.0);
        assert_eq!(two.rows.len(), 2, "{:?}", two.rows);
        let first = two.rows[0].trim_end();
        assert!((two.row_widths[0] - width(first, &font())).abs() < 0.5);
        assert!(row_height(&font()) > 10.0);
    }
}
