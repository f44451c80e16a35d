//! Export the whole map as a vector PDF: the SVG export ([`super::svg`]) of
//! the same scene (header, map, legend), parsed by `usvg` and drawn onto one
//! PDF page by `krilla` (through `krilla-svg`).
//!
//! Text stays text: usvg lays out each `<text>` with the app's own faces,
//! handed to its font database from the very bytes egui draws with (no
//! system font is looked up), and krilla writes the glyphs as PDF text with
//! the faces embedded (subset) and a Unicode map, so the PDF's text can be
//! selected, searched and copied. The icon family the SVG names is resolved
//! to the bundled icon font.
//!
//! Units: one map unit is one PDF point. [`Page::Fit`] gives a page the
//! picture's size; [`Page::A4`] and [`Page::A3`] a landscape sheet with the
//! picture scaled to fit inside a 10 mm margin and centred. A fitted page
//! larger than [`MAX_PAGE_SIDE`] is refused with [`ExportError::PageTooLarge`].

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use egui::Vec2;
use krilla::Document;
use krilla::geom::{Size, Transform};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla_svg::{SurfaceExt as _, SvgSettings};
use usvg::fontdb;

use crate::export::svg::{ICON_FAMILY, write_svg_of};
use crate::export::{ExportError, ExportOptions, Geometry, Target, check_options};
use crate::model::Journey;
use crate::view::icons::ICON_FACE;
use crate::view::theme::{REGULAR_FACE, font_definitions};

/// The largest side of a page sized to the map, in points: 200 inches, the
/// largest page PDF readers are required to open (PDF 1.7, annex C).
pub const MAX_PAGE_SIDE: f32 = 14_400.0;

/// Room left around the picture on a sheet of paper, in points (10 mm), so
/// a printer's unprintable edge cuts nothing off.
const PAPER_MARGIN: f32 = 72.0 * 10.0 / 25.4;

/// The page a PDF export draws on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Page {
    /// One page exactly the picture's size.
    #[default]
    Fit,
    /// A4 landscape (297 x 210 mm), the picture scaled to fit and centred.
    A4,
    /// A3 landscape (420 x 297 mm), the picture scaled to fit and centred.
    A3,
}

impl Page {
    /// Every page, in the order the dialog offers them.
    pub const ALL: [Self; 3] = [Self::Fit, Self::A4, Self::A3];

    /// The page's size in points for a picture of `picture` points, and
    /// where the picture goes on it: its scale and its top left corner.
    pub fn place(self, picture: Vec2) -> (Vec2, f32, Vec2) {
        let sheet = match self {
            Self::Fit => return (picture, 1.0, Vec2::ZERO),
            Self::A4 => Vec2::new(mm(297.0), mm(210.0)),
            Self::A3 => Vec2::new(mm(420.0), mm(297.0)),
        };
        let room = sheet - Vec2::splat(2.0 * PAPER_MARGIN);
        let scale = (room.x / picture.x.max(1.0)).min(room.y / picture.y.max(1.0));
        let scale = if scale.is_finite() && scale > 0.0 {
            scale
        } else {
            1.0
        };
        (sheet, scale, (sheet - picture * scale) / 2.0)
    }

    /// How the dialog and messages name the page.
    pub fn label(self) -> &'static str {
        match self {
            Self::Fit => "Fit to map",
            Self::A4 => "A4 landscape",
            Self::A3 => "A3 landscape",
        }
    }
}

/// Millimetres in points.
fn mm(millimetres: f32) -> f32 {
    millimetres * 72.0 / 25.4
}

/// The page size in points an export with these options would have, or
/// why it cannot be made.
pub fn page_size(
    journey: &Journey,
    options: &ExportOptions,
    page: Page,
) -> Result<Vec2, ExportError> {
    let options = pdf_options(options);
    check_options(&options)?;
    let journey = &*options.shown(journey);
    let geometry = Geometry::new(journey, &options);
    checked_page(geometry.frame.size, page)
}

/// The PDF's options: the picture at its natural size, one unit a point.
fn pdf_options(options: &ExportOptions) -> ExportOptions {
    ExportOptions {
        scale: 1.0,
        target: Target::Natural,
        ..*options
    }
}

/// The page for a picture of `picture` points, refused past the limit.
fn checked_page(picture: Vec2, page: Page) -> Result<Vec2, ExportError> {
    let (size, _, _) = page.place(picture);
    if size.x <= MAX_PAGE_SIDE && size.y <= MAX_PAGE_SIDE {
        Ok(size)
    } else {
        Err(ExportError::PageTooLarge {
            width: size.x,
            height: size.y,
        })
    }
}

/// The map as a PDF document, in memory. Returns its bytes and the page
/// size in points.
pub fn pdf_bytes(
    journey: &Journey,
    options: &ExportOptions,
    page: Page,
) -> Result<(Vec<u8>, Vec2), ExportError> {
    let options = pdf_options(options);
    check_options(&options)?;
    let journey = &*options.shown(journey);
    let geometry = Geometry::new(journey, &options);
    let picture = geometry.frame.size;
    let page_size = checked_page(picture, page)?;
    let mut svg = Vec::new();
    write_svg_of(journey, &geometry, &options, &mut svg)?;
    let tree = usvg::Tree::from_data(&svg, &usvg_options())
        .map_err(|e| pdf_error(&format!("the drawing could not be read back: {e}")))?;
    // krilla and krilla-svg are not written to panic, but a library panic
    // on some odd map must end as an error, never take the app down. The
    // tree is dropped with the closure: nothing half-changed is seen again.
    let title = journey.title.clone();
    let drawing = std::panic::AssertUnwindSafe(move || draw(&tree, picture, page, title));
    let bytes = std::panic::catch_unwind(drawing)
        .map_err(|_| pdf_error("the PDF writer stopped unexpectedly"))??;
    Ok((bytes, page_size))
}

/// Writes the map as a PDF into `out`. Returns the page size in points.
pub fn write_pdf(
    journey: &Journey,
    options: &ExportOptions,
    page: Page,
    mut out: impl Write,
) -> Result<Vec2, ExportError> {
    let (bytes, size) = pdf_bytes(journey, options, page)?;
    let io_err = |source| ExportError::Io { path: None, source };
    out.write_all(&bytes).map_err(io_err)?;
    out.flush().map_err(io_err)?;
    Ok(size)
}

/// Writes the PDF to a file atomically (temp file beside it, then rename).
/// Nothing is written when the export is refused.
pub fn save_pdf(
    journey: &Journey,
    options: &ExportOptions,
    page: Page,
    path: &Path,
) -> Result<Vec2, ExportError> {
    // Made before the temp file, so a refused export leaves no trace.
    let (bytes, size) = pdf_bytes(journey, options, page)?;
    crate::export::save_atomically(path, |file| {
        let io_err = |source| ExportError::Io { path: None, source };
        file.write_all(&bytes).map_err(io_err)?;
        file.flush().map_err(io_err)?;
        Ok(size)
    })
}

/// Draws the picture (`tree`, `picture` points) onto one page.
fn draw(
    tree: &usvg::Tree,
    picture: Vec2,
    page: Page,
    title: String,
) -> Result<Vec<u8>, ExportError> {
    let (sheet, scale, at) = page.place(picture);
    let size = |v: Vec2| Size::from_wh(v.x, v.y).ok_or_else(|| pdf_error("the page has no size"));
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(title)
            .creator(format!("Waymark {}", env!("CARGO_PKG_VERSION"))),
    );
    let mut pdf_page = document.start_page_with(PageSettings::new(size(sheet)?));
    let mut surface = pdf_page.surface();
    surface.push_transform(&Transform::from_row(scale, 0.0, 0.0, scale, at.x, at.y));
    let drawn = surface.draw_svg(tree, size(picture)?, SvgSettings::default());
    surface.pop();
    surface.finish();
    pdf_page.finish();
    drawn.ok_or_else(|| pdf_error("the drawing could not be converted"))?;
    document
        .finish()
        .map_err(|e| pdf_error(&format!("the PDF could not be written: {e:?}")))
}

fn pdf_error(message: &str) -> ExportError {
    ExportError::Io {
        path: None,
        source: std::io::Error::other(message.to_owned()),
    }
}

/// usvg's options: the app's faces in its font database (the very bytes
/// egui uses), Inter for any family the SVG names but the icons', and the
/// icon family resolved to the icon font.
fn usvg_options() -> usvg::Options<'static> {
    let fonts = font_definitions();
    let mut db = fontdb::Database::new();
    let mut icons = None;
    let mut regular = None;
    // Inter first: a character it lacks falls back to egui's faces in the
    // order egui tries them.
    let order = fonts
        .families
        .get(&egui::FontFamily::Proportional)
        .cloned()
        .unwrap_or_default();
    let mut keys: Vec<&String> = order.iter().collect();
    keys.extend(fonts.font_data.keys().filter(|key| !order.contains(key)));
    for key in keys {
        let Some(data) = fonts.font_data.get(key) else {
            continue;
        };
        let ids = db.load_font_source(fontdb::Source::Binary(Arc::clone(&data.font)));
        let id = ids
            .get(data.index as usize)
            .or_else(|| ids.first())
            .copied();
        if key == ICON_FACE {
            icons = id;
        } else if key == REGULAR_FACE {
            regular = id;
        }
    }
    let inter = regular
        .and_then(|id| db.face(id))
        .and_then(|face| face.families.first())
        .map_or_else(|| "Inter".to_owned(), |(name, _)| name.clone());
    db.set_sans_serif_family(inter.clone());
    db.set_serif_family(inter.clone());
    let default_font = usvg::FontResolver::default_font_selector();
    let select_font: usvg::FontSelectionFn<'static> = Box::new(move |font, db| {
        let is_icon = (font.families().iter())
            .any(|family| matches!(family, usvg::FontFamily::Named(name) if name == ICON_FAMILY));
        match icons {
            Some(id) if is_icon => Some(id),
            _ => default_font(font, db),
        }
    });
    usvg::Options {
        font_family: inter,
        fontdb: Arc::new(db),
        font_resolver: usvg::FontResolver {
            select_font,
            select_fallback: usvg::FontResolver::default_fallback_selector(),
        },
        ..usvg::Options::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::templates::{Template, generated};

    #[test]
    fn a_fitted_page_is_the_picture_and_paper_centres_it() {
        let picture = Vec2::new(2000.0, 500.0);
        assert_eq!(Page::Fit.place(picture), (picture, 1.0, Vec2::ZERO));
        let (sheet, scale, at) = Page::A4.place(picture);
        assert!((sheet.x - 841.89).abs() < 0.01 && (sheet.y - 595.28).abs() < 0.01);
        // As wide as the sheet within its margins, and centred up and down.
        assert!((picture.x * scale + 2.0 * PAPER_MARGIN - sheet.x).abs() < 0.01);
        assert!((at.x - PAPER_MARGIN).abs() < 0.01);
        assert!((at.y * 2.0 + picture.y * scale - sheet.y).abs() < 0.01);
        let (a3, _, _) = Page::A3.place(picture);
        assert!((a3.x - 1190.55).abs() < 0.01 && (a3.y - 841.89).abs() < 0.01);
    }

    #[test]
    fn a_map_too_large_for_one_page_is_refused_unless_on_paper() {
        let journey = generated(300, 4);
        let options = ExportOptions::default();
        let refused = pdf_bytes(&journey, &options, Page::Fit);
        let Err(err @ ExportError::PageTooLarge { width, .. }) = refused else {
            panic!("refused: {:?}", refused.map(|(_, size)| size));
        };
        assert!(width > MAX_PAGE_SIDE);
        let message = err.to_string();
        assert!(message.contains("--page a3"), "{message}");
        let (bytes, size) = pdf_bytes(&journey, &options, Page::A3).expect("on A3");
        assert!(bytes.starts_with(b"%PDF-"));
        assert!((size.x - 1190.55).abs() < 0.01);
    }

    #[test]
    fn the_pdf_is_one_page_the_size_of_the_picture() {
        let journey = Template::FourStage.build("Checkout");
        let options = ExportOptions::default();
        let (bytes, size) = pdf_bytes(&journey, &options, Page::Fit).expect("a PDF");
        let picture = crate::export::picture_frame(&journey, &options).size;
        assert_eq!(size, picture);
        assert_eq!(page_size(&journey, &options, Page::Fit).ok(), Some(picture));
        assert!(bytes.starts_with(b"%PDF-"));
        // The scale of an image export does not change the page.
        let at_three = ExportOptions {
            scale: 3.0,
            ..options
        };
        let (_, same) = pdf_bytes(&journey, &at_three, Page::Fit).expect("a PDF");
        assert_eq!(same, picture);
    }

    #[test]
    fn the_app_fonts_are_in_the_font_database() {
        let options = usvg_options();
        assert_eq!(options.font_family, "Inter");
        let families: Vec<String> = (options.fontdb.faces())
            .flat_map(|face| face.families.iter().map(|(name, _)| name.clone()))
            .collect();
        assert!(families.iter().any(|f| f == "Inter"), "{families:?}");
        let svg = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="40"><text x="2" y="20" font-family="{ICON_FAMILY}" font-size="16">{}</text></svg>"#,
            crate::view::icons::channel_icon(crate::model::Channel::Web),
        );
        let tree = usvg::Tree::from_data(svg.as_bytes(), &options).expect("parsed");
        assert!(tree.root().has_children(), "the icon is drawn");
    }
}
