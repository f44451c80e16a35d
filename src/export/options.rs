//! What every export shares, whatever its format: the options, the errors,
//! the image's size and its limits, and writing a file atomically.

use std::fmt;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

use egui::{Color32, Vec2};

use crate::model::{Journey, SpreadKind};
use crate::view::frame::{ExportFrame, FrameParts};
use crate::view::layout::Layout;
use crate::view::states::StateView;
use crate::view::theme::Theme;

/// Largest width or height of an exported image, in pixels (PNG allows 2^31 - 1).
pub const MAX_SIDE: u32 = 1 << 20;
/// Largest number of pixels in an exported image (8 GB as RGBA, streamed in
/// bands; a 1,000-step map at 2x with header and legend is about 1.05e9).
pub const MAX_PIXELS: u64 = 2_000_000_000;

/// What goes behind the map.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Background {
    /// Plain white: slides and print.
    #[default]
    White,
    /// No background around the map: the margin stays see-through.
    Transparent,
    /// The map's own paper colour.
    Theme,
}

/// An image format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A bitmap at the chosen scale.
    Png,
    /// Vector shapes and editable text.
    Svg,
}

impl Format {
    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Svg => "svg",
        }
    }

    /// The image file name for a map: `maps/checkout.journey.ron` ->
    /// `checkout.png` (or `.svg`).
    pub fn image_name(self, map: &Path) -> PathBuf {
        let name = crate::io::display_name(map);
        let stem = name
            .strip_suffix(crate::io::EXTENSION)
            .and_then(|s| s.strip_suffix('.'))
            .or_else(|| name.strip_suffix(".ron"))
            .unwrap_or(&name);
        PathBuf::from(format!("{stem}.{}", self.extension()))
    }

    /// The format a file name asks for, by its extension.
    pub fn of(path: &Path) -> Option<Self> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "png" => Some(Self::Png),
            "svg" => Some(Self::Svg),
            _ => None,
        }
    }
}

impl Background {
    /// The colour behind the map, or `None` for a see-through background.
    pub fn color(self, theme: &Theme) -> Option<Color32> {
        match self {
            Self::White => Some(Color32::WHITE),
            Self::Transparent => None,
            Self::Theme => Some(theme.background),
        }
    }
}

/// The size of a 16:9 slide an export can fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SlideSize {
    /// 1920x1080 pixels (full HD).
    #[value(name = "1080")]
    Hd,
    /// 3840x2160 pixels (4K).
    #[value(name = "2160")]
    Uhd,
}

impl SlideSize {
    /// Both sizes, smallest first.
    pub const ALL: [Self; 2] = [Self::Hd, Self::Uhd];

    /// Width and height in pixels.
    pub fn pixels(self) -> (u32, u32) {
        match self {
            Self::Hd => (1920, 1080),
            Self::Uhd => (3840, 2160),
        }
    }

    /// The smallest card title that still reads on this slide, in pixels:
    /// 14 on a 1080-pixel-high slide, in proportion on larger ones.
    pub fn min_title_px(self) -> f32 {
        MIN_SLIDE_TITLE_PX * self.pixels().1 as f32 / 1080.0
    }
}

/// The smallest card title, in pixels, that reads on a 1920x1080 slide.
pub const MIN_SLIDE_TITLE_PX: f32 = 14.0;

/// What an export's image is fitted to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Target {
    /// The picture's own size times [`ExportOptions::scale`].
    #[default]
    Natural,
    /// A 16:9 slide: the picture scaled to fit and centred; a map too wide
    /// to read at that size is split into several slides by stage (see
    /// [`crate::export::slides`]).
    Slide(SlideSize),
}

/// The scale an image export starts from (the dialog and the command
/// line): sharp on slides and high-density screens.
pub const DEFAULT_SCALE: f32 = 2.0;

/// How to export.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ExportOptions {
    /// Pixels per map unit: 1 for screens, 2 or 3 for sharp slides. Not
    /// used for a slide, whose scale is what fits it.
    pub scale: f32,
    /// What the image is fitted to.
    pub target: Target,
    /// What goes behind the map.
    pub background: Background,
    /// Space around the picture, in map units.
    pub margin: f32,
    /// A header above the map: title, personas and [`Self::date`].
    pub header: bool,
    /// A legend below the map: channels, pain severity, emotion scale.
    pub legend: bool,
    /// The date the header shows, if any.
    pub date: Option<jiff::civil::Date>,
    /// Which state of the journey the picture shows (current, future or
    /// both compared).
    pub state: StateView,
    /// How the bands around participants' scores spread.
    pub spread: SpreadKind,
}

impl Default for ExportOptions {
    /// One pixel per map unit (the canvas at 100%), at the natural size,
    /// header and legend on, dated today (local time). Exports the user
    /// starts begin at [`DEFAULT_SCALE`] instead.
    fn default() -> Self {
        Self {
            scale: 1.0,
            target: Target::Natural,
            background: Background::White,
            margin: 24.0,
            header: true,
            legend: true,
            date: Some(today()),
            state: StateView::Current,
            spread: SpreadKind::Range,
        }
    }
}

/// Today's date where the user is (UTC if the time zone is unknown).
pub fn today() -> jiff::civil::Date {
    jiff::Zoned::now().date()
}

/// A date as the header shows it: "22 November 2026".
pub fn format_date(date: jiff::civil::Date) -> String {
    date.strftime("%-d %B %Y").to_string()
}

impl ExportOptions {
    /// The journey as the picture shows it in [`Self::state`]: every export
    /// draws this (projecting twice changes nothing).
    pub fn shown<'j>(&self, journey: &'j Journey) -> std::borrow::Cow<'j, Journey> {
        self.state.project(journey)
    }

    /// What an export the user starts begins with: [`DEFAULT_SCALE`], at the
    /// natural size.
    pub fn for_images() -> Self {
        Self {
            scale: DEFAULT_SCALE,
            ..Self::default()
        }
    }

    /// The map alone: no header, no legend (what the canvas shows).
    #[must_use]
    pub fn map_only(self) -> Self {
        Self {
            header: false,
            legend: false,
            ..self
        }
    }

    fn parts(&self) -> FrameParts {
        FrameParts {
            header: self.header,
            legend: self.legend,
        }
    }
}

/// Why an export failed.
#[derive(Debug)]
pub enum ExportError {
    /// The image would be larger than PNG or memory allows.
    TooLarge {
        /// Requested width in pixels.
        width: u64,
        /// Requested height in pixels.
        height: u64,
        /// The largest scale that would fit.
        max_scale: f32,
    },
    /// A PDF page sized to the map would be larger than PDF readers open
    /// (see [`crate::export::pdf::MAX_PAGE_SIDE`]).
    PageTooLarge {
        /// Page width in points.
        width: f32,
        /// Page height in points.
        height: f32,
    },
    /// The scale is outside [`SCALES`] (or not a number).
    BadScale(f32),
    /// The margin is outside [`MARGINS`] (or not a number).
    BadMargin(f32),
    /// The export was stopped before it finished (its output went away, or
    /// its progress callback asked it to stop).
    Stopped,
    /// Writing the image failed.
    Io {
        /// The file being written, when there is one.
        path: Option<PathBuf>,
        /// What went wrong.
        source: std::io::Error,
    },
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge {
                width,
                height,
                max_scale,
            } => write!(
                f,
                "the image would be {width}x{height} pixels, more than a PNG export can hold \
                 (at most {MAX_SIDE} pixels a side and {MAX_PIXELS} in all); \
                 export at scale {max_scale:.2} or lower (--scale {max_scale:.2}), or as SVG"
            ),
            Self::PageTooLarge { width, height } => write!(
                f,
                "the page would be {width:.0}x{height:.0} points, more than a PDF page can be \
                 (at most {} points a side); export on a sheet of paper that the map is \
                 scaled to fit (--page a3 or --page a4), or as SVG",
                crate::export::pdf::MAX_PAGE_SIDE
            ),
            Self::BadScale(scale) => write!(
                f,
                "scale {scale} is out of range: expected a number from {} to {}",
                SCALES.start(),
                SCALES.end()
            ),
            Self::BadMargin(margin) => write!(
                f,
                "margin {margin} is out of range: expected a number from {} to {}",
                MARGINS.start(),
                MARGINS.end()
            ),
            Self::Stopped => write!(f, "the export was stopped before it finished"),
            Self::Io {
                path: Some(path),
                source,
            } => write!(f, "{}: could not write the image: {source}", path.display()),
            Self::Io { path: None, source } => write!(f, "could not write the image: {source}"),
        }
    }
}

impl std::error::Error for ExportError {}

/// The geometry of one export, computed once: the map's layout and the
/// picture's parts around it, in map units, and the scale it is drawn at.
pub(crate) struct Geometry {
    pub(crate) theme: Theme,
    pub(crate) layout: Layout,
    pub(crate) frame: ExportFrame,
    /// Pixels per map unit: the options' scale, or what fits the slide.
    pub(crate) scale: f32,
    /// The image's fixed size in pixels (a slide), if it has one.
    slide: Option<(u32, u32)>,
    /// How the bands around participants' scores spread.
    pub(crate) spread: SpreadKind,
    /// A visual diff drawn over the map (`waymark diff -o`).
    pub(crate) diff: Option<crate::view::scene::DiffOverlay>,
}

/// The theme every export is drawn in.
pub(crate) fn export_theme() -> Theme {
    Theme::default()
}

impl Geometry {
    pub(crate) fn new(journey: &Journey, options: &ExportOptions) -> Self {
        Self::with_theme(journey, options, export_theme())
    }

    /// The geometry of one slide of a split map: its stages keep the
    /// colours, and its pain points the numbers, they have in the whole map.
    pub(crate) fn of_slide(slide: &crate::export::Slide, options: &ExportOptions) -> Self {
        let mut theme = export_theme();
        if !theme.stage_colors.is_empty() {
            let first = slide.first_stage % theme.stage_colors.len();
            theme.stage_colors.rotate_left(first);
        }
        let mut geometry = Self::with_theme(&slide.journey, options, theme);
        geometry.layout.number_pains_after(slide.pains_before);
        geometry
    }

    fn with_theme(journey: &Journey, options: &ExportOptions, theme: Theme) -> Self {
        // The header's date is the day overdue action items are judged on.
        let layout = Layout::dated(journey, &theme, options.date);
        let date = options.date.map(format_date);
        let parts = options.parts();
        let margin = options.margin;
        let frame_at = |width: f32| {
            ExportFrame::spanning(journey, &layout, margin, parts, date.as_deref(), width)
        };
        match options.target {
            Target::Natural => Self {
                frame: frame_at(layout.size.x),
                theme,
                layout,
                scale: options.scale,
                slide: None,
                spread: options.spread,
                diff: None,
            },
            Target::Slide(size) => {
                let (width, height) = size.pixels();
                let pixels = Vec2::new(width as f32, height as f32);
                let scale =
                    slide_scale(pixels, margin, layout.size.x, |width| frame_at(width).size);
                let text_width = pixels.x / scale - 2.0 * margin;
                let stacked = frame_at(text_width);
                // A map too tall for a slide with the header above it and the
                // legend below reads larger with them in a column beside it.
                let beside = ExportFrame::beside(journey, &layout, margin, parts, date.as_deref());
                let beside_scale = fit_scale(beside.size, pixels);
                let (frame, scale) = if beside_scale > scale * 1.01 {
                    (beside, beside_scale)
                } else {
                    (stacked, scale)
                };
                Self {
                    frame: frame.centred_in(pixels / scale),
                    theme,
                    layout,
                    scale,
                    slide: Some((width, height)),
                    spread: options.spread,
                    diff: None,
                }
            }
        }
    }

    /// The image size in pixels, or why a PNG cannot hold it.
    pub(crate) fn pixel_size(&self, options: &ExportOptions) -> Result<(u32, u32), ExportError> {
        check_options(options)?;
        match self.slide {
            Some(size) => Ok(size),
            None => pixel_size(self.frame.size, self.scale),
        }
    }
}

/// The largest scale at which `picture` (map units) fits `pixels`.
fn fit_scale(picture: Vec2, pixels: Vec2) -> f32 {
    let scale = (pixels.x / picture.x.max(1.0)).min(pixels.y / picture.y.max(1.0));
    if scale.is_finite() && scale > 0.0 {
        scale
    } else {
        1.0
    }
}

/// The largest scale at which a picture fits a slide of `pixels`, its
/// header and legend as wide as the slide: `picture(width)` is the
/// picture's size with them `width` map units wide. The wider they are the
/// fewer rows they take, so a narrow map's slide is drawn larger than its
/// own picture would fit.
fn slide_scale(pixels: Vec2, margin: f32, map_width: f32, picture: impl Fn(f32) -> Vec2) -> f32 {
    // At the map's own width the picture fits at `low`; wider, it is no
    // taller, so it fits at `low` with the slide's width too.
    let mut low = fit_scale(picture(map_width), pixels);
    let mut high = pixels.x / (map_width + 2.0 * margin).max(1.0);
    let fits = |scale: f32| {
        let width = pixels.x / scale - 2.0 * margin;
        picture(width).y * scale <= pixels.y
    };
    if high <= low {
        return low;
    }
    if fits(high) {
        return high;
    }
    // The picture's height times the scale grows with the scale: halve the
    // interval until it is a fraction of a pixel in 1,000.
    while high - low > low * 1e-4 {
        let mid = f32::midpoint(low, high);
        if fits(mid) {
            low = mid;
        } else {
            high = mid;
        }
    }
    low
}

/// Where the parts of the exported picture go, in map units (for a slide,
/// on the slide, at the scale that fits it).
pub fn picture_frame(journey: &Journey, options: &ExportOptions) -> ExportFrame {
    Geometry::new(&options.shown(journey), options).frame
}

/// The exported image's size in pixels, or why it cannot be made.
pub fn image_size(journey: &Journey, options: &ExportOptions) -> Result<(u32, u32), ExportError> {
    Geometry::new(&options.shown(journey), options).pixel_size(options)
}

/// The scales every export accepts (the command line and the dialog offer
/// the same): below, a map is a few pixels; above, even a small map passes
/// the size limit.
pub const SCALES: RangeInclusive<f32> = 0.1..=8.0;
/// The margins every export accepts, in map units.
pub const MARGINS: RangeInclusive<f32> = 0.0..=400.0;

/// Scale and margin within [`SCALES`] and [`MARGINS`], checked before any
/// drawing for every format. A slide's scale is what fits it, whatever the
/// options say.
pub(crate) fn check_options(options: &ExportOptions) -> Result<(), ExportError> {
    if options.target == Target::Natural && !SCALES.contains(&options.scale) {
        Err(ExportError::BadScale(options.scale))
    } else if !MARGINS.contains(&options.margin) {
        Err(ExportError::BadMargin(options.margin))
    } else {
        Ok(())
    }
}

fn pixel_size(frame: Vec2, scale: f32) -> Result<(u32, u32), ExportError> {
    let (width, height) = pixels(frame, scale);
    if fits(width, height) {
        return Ok((width as u32, height as u32));
    }
    let by_side = f64::from(MAX_SIDE) / f64::from(frame.x.max(frame.y).max(1.0));
    let by_area = (MAX_PIXELS as f64 / (f64::from(frame.x) * f64::from(frame.y)).max(1.0)).sqrt();
    // Rounding each side up can still tip the largest scale over the
    // limit by a pixel row; step down until it fits.
    let mut hundredths = (by_side.min(by_area) * 100.0).floor() as u32;
    while hundredths > 1 {
        let (w, h) = pixels(frame, hundredths as f32 / 100.0);
        if fits(w, h) {
            break;
        }
        hundredths -= 1;
    }
    Err(ExportError::TooLarge {
        width,
        height,
        max_scale: hundredths as f32 / 100.0,
    })
}

/// The pixel size of `frame` at `scale`, each side rounded up.
fn pixels(frame: Vec2, scale: f32) -> (u64, u64) {
    let side = |v: f32| (f64::from(v) * f64::from(scale)).ceil().max(1.0) as u64;
    (side(frame.x), side(frame.y))
}

/// Whether a PNG export can hold an image this size.
fn fits(width: u64, height: u64) -> bool {
    width <= u64::from(MAX_SIDE) && height <= u64::from(MAX_SIDE) && width * height <= MAX_PIXELS
}

/// Runs `write` on a temp file beside `path` and renames it into place only
/// if it succeeds, so a failed export never leaves a partial image behind.
pub(crate) fn save_atomically<T>(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<&std::fs::File>) -> Result<T, ExportError>,
) -> Result<T, ExportError> {
    // The writer's own error is kept as it is; io only learns that it failed.
    let mut result = None;
    let saved = crate::io::write_atomic_with(path, |file| match write(file) {
        Ok(value) => {
            result = Some(Ok(value));
            Ok(())
        }
        Err(err) => {
            let message = err.to_string();
            result = Some(Err(err));
            Err(std::io::Error::other(message))
        }
    });
    match (result, saved) {
        (Some(Err(ExportError::Io { path: None, source })), _) => Err(ExportError::Io {
            path: Some(path.to_path_buf()),
            source,
        }),
        (Some(Err(err)), _) => Err(err),
        (_, Err(e)) => Err(ExportError::Io {
            path: Some(path.to_path_buf()),
            source: std::io::Error::new(e.source.kind(), e.reason()),
        }),
        (Some(Ok(value)), Ok(())) => Ok(value),
        (None, Ok(())) => Err(ExportError::Io {
            path: Some(path.to_path_buf()),
            source: std::io::Error::other("nothing was written"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::templates::{Template, generated};

    #[test]
    fn too_large_suggests_a_scale_that_fits() {
        let j = generated(2_000, 10);
        let options = ExportOptions {
            scale: 4.0,
            ..ExportOptions::default()
        };
        let Err(ExportError::TooLarge { max_scale, .. }) = image_size(&j, &options) else {
            panic!("a 2,000-step map at 4x is too large");
        };
        assert!(max_scale > 0.0 && max_scale < 4.0);
        let fits = ExportOptions {
            scale: max_scale,
            ..options
        };
        assert!(
            image_size(&j, &fits).is_ok(),
            "the suggested scale {max_scale} fits: {:?}",
            image_size(&j, &fits)
        );
        let nan = ExportOptions {
            scale: f32::NAN,
            ..options
        };
        assert!(matches!(
            image_size(&j, &nan),
            Err(ExportError::BadScale(_))
        ));
    }

    #[test]
    fn scales_and_margins_out_of_range_are_refused_by_every_format() {
        let j = Template::Blank.build("b");
        for (scale, margin) in [
            (1e-4, 24.0),
            (1e-9, 24.0),
            (1e9, 24.0),
            (1.0, f32::NAN),
            (1.0, -1.0),
        ] {
            let options = ExportOptions {
                scale,
                margin,
                ..ExportOptions::default()
            };
            let refused =
                |e: &ExportError| matches!(e, ExportError::BadScale(_) | ExportError::BadMargin(_));
            assert!(image_size(&j, &options).is_err_and(|e| refused(&e)));
            assert!(crate::export::render(&j, &options).is_err_and(|e| refused(&e)));
            let svg = crate::export::svg::write_svg(&j, &options, Vec::new());
            assert!(svg.is_err_and(|e| refused(&e)), "{scale} {margin}");
        }
        let message = ExportError::BadScale(1e-4).to_string();
        assert!(message.contains("from 0.1 to 8"), "{message}");
    }

    #[test]
    fn scale_two_doubles_the_size() {
        let j = Template::Blank.build("b");
        let one = image_size(&j, &ExportOptions::default()).unwrap();
        let two = ExportOptions {
            scale: 2.0,
            ..ExportOptions::default()
        };
        let two = image_size(&j, &two).unwrap();
        assert_eq!((two.0, two.1), (one.0 * 2, one.1 * 2));
    }
}
