//! Export the whole map as a PNG image, headlessly: the scene's shapes are
//! tessellated by epaint and rasterized on the CPU by [`crate::export::raster`], in
//! horizontal bands (about 8 MB of pixels each, or 12 rows of a very wide
//! image) drawn and compressed on every core, and written in order by
//! [`crate::export::png_stream`]'s encoder into a temp file beside the target, so
//! memory stays bounded however large the map. No GPU, no window.

mod deflate;
pub mod png_stream;
pub mod raster;
pub mod svg;

use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::io::Write;
use std::ops::{ControlFlow, Range};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use egui::{Color32, Pos2, Rect, Vec2};
use rustc_hash::FxHashMap;

use crate::model::Journey;
use crate::view::layout::{ExportFrame, FrameParts, Layout};
use crate::view::scene;
use crate::view::theme::{Theme, font_definitions};
use png_stream::BandEncoder;
use raster::{Bins, DrawCache, Pixmap, SpriteAt, TextureStore, rasterize_bin};

/// Largest width or height of an exported image, in pixels (PNG allows 2^31 - 1).
pub const MAX_SIDE: u32 = 1 << 20;
/// Largest number of pixels in an exported image (8 GB as RGBA, streamed in
/// bands; a 1,000-step map at 2x with header and legend is about 1.05e9).
pub const MAX_PIXELS: u64 = 2_000_000_000;
/// Bytes of pixels rendered at a time: a band is as many rows as fit, and
/// at least [`MIN_BAND_ROWS`]. A thread compresses each band as soon as it
/// has drawn it: the smaller the band, the more of it is still in the
/// cache, but every shape crossing a band is set up again for it.
const BAND_BYTES: u64 = 8 * 1024 * 1024;
/// Below this many rows, setting up the shapes again for each band costs
/// more than the cache saves (a 1,000-step map at 2x, 1.4 MB a row: 2.2 s
/// in bands of 11 rows, 2.4 s in bands of 5).
const MIN_BAND_ROWS: u64 = 12;
/// Bands drawn or being drawn but not yet in the sink, per thread, at
/// most: a thread that finishes its band before the one above it is written
/// can start on another (compressed bands are small).
const AHEAD_PER_THREAD: usize = 2;
/// Rows of output whose scene is built at once (bands share it), rounded
/// up to whole bands.
const SLAB_ROWS: u32 = 256;

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

/// How to export.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ExportOptions {
    /// Pixels per map unit: 1 for screens, 2 or 3 for sharp slides.
    pub scale: f32,
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
}

impl Default for ExportOptions {
    /// Header and legend on, dated today (local time).
    fn default() -> Self {
        Self {
            scale: 1.0,
            background: Background::White,
            margin: 24.0,
            header: true,
            legend: true,
            date: Some(today()),
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
    /// The scale is not a positive, finite number.
    BadScale(f32),
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
            Self::BadScale(scale) => write!(f, "scale {scale} is not a positive number"),
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
/// picture's parts around it, in map units.
pub(crate) struct Geometry {
    pub(crate) theme: Theme,
    pub(crate) layout: Layout,
    pub(crate) frame: ExportFrame,
}

/// The theme every export is drawn in.
fn export_theme() -> Theme {
    Theme::default()
}

impl Geometry {
    pub(crate) fn new(journey: &Journey, options: &ExportOptions) -> Self {
        let theme = export_theme();
        let layout = Layout::new(journey, &theme);
        let frame = ExportFrame::new(journey, &layout, options.margin, options.parts());
        Self {
            theme,
            layout,
            frame,
        }
    }

    /// The image size in pixels at `scale`, or why a PNG cannot hold it.
    fn pixel_size(&self, scale: f32) -> Result<(u32, u32), ExportError> {
        pixel_size(self.frame.size, scale)
    }
}

/// The exported image's size in pixels, or why it cannot be made.
pub fn image_size(journey: &Journey, options: &ExportOptions) -> Result<(u32, u32), ExportError> {
    Geometry::new(journey, options).pixel_size(options.scale)
}

/// A scale is a positive, finite number.
pub(crate) fn check_scale(scale: f32) -> Result<(), ExportError> {
    if scale.is_finite() && scale > 0.0 {
        Ok(())
    } else {
        Err(ExportError::BadScale(scale))
    }
}

fn pixel_size(frame: Vec2, scale: f32) -> Result<(u32, u32), ExportError> {
    check_scale(scale)?;
    let width = (f64::from(frame.x) * f64::from(scale)).ceil().max(1.0) as u64;
    let height = (f64::from(frame.y) * f64::from(scale)).ceil().max(1.0) as u64;
    let side_ok = width <= u64::from(MAX_SIDE) && height <= u64::from(MAX_SIDE);
    if side_ok && width * height <= MAX_PIXELS {
        return Ok((width as u32, height as u32));
    }
    let by_side = f64::from(MAX_SIDE) / f64::from(frame.x.max(frame.y).max(1.0));
    let by_area = (MAX_PIXELS as f64 / (f64::from(frame.x) * f64::from(frame.y)).max(1.0)).sqrt();
    Err(ExportError::TooLarge {
        width,
        height,
        max_scale: (by_side.min(by_area) * 100.0).floor() as f32 / 100.0,
    })
}

/// Sprite runs are at most this many pixels each way: a card at 4x fits.
const SPRITE_SIDE_PX: f32 = 1024.0;

/// Whether `shape` is drawn as a sprite (see [`Bins::with_sprites`]):
/// rounded rectangles no larger than [`SPRITE_SIDE_PX`], which repeat
/// across a map (a card is four) and whose feathered corners cost far more
/// to draw than to copy. A square-cornered rectangle is as quick to fill
/// as to copy. Text rarely repeats, nor do the emotion curves' points
/// (each at its own fraction of a pixel: drawn as sprites, half of them
/// would be drawn twice, for more work in all).
fn is_sprite(shape: &egui::Shape, pixels_per_point: f32) -> bool {
    let egui::Shape::Rect(rect) = shape else {
        return false;
    };
    let rounded = rect.corner_radius != egui::CornerRadius::ZERO || rect.blur_width > 0.0;
    rounded && fits_sprite_run(shape.visual_bounding_rect(), pixels_per_point)
}

/// Whether shapes covering `bounds` (points) can be one sprite.
fn fits_sprite_run(bounds: Rect, pixels_per_point: f32) -> bool {
    let size = bounds.size() * pixels_per_point;
    size.x <= SPRITE_SIDE_PX && size.y <= SPRITE_SIDE_PX
}

/// The smallest whole number of points that is a whole number of pixels
/// at `pixels_per_point` (1 at 1x to 4x, 2 at 1.5x and 2.5x), or 1 when
/// none under 64 is: then moving a sprite's shapes is not exact in `f32`,
/// and where epaint rounds an edge at exactly half a pixel, either way
/// is as likely.
fn whole_pixel_points(pixels_per_point: f32) -> f32 {
    (1..64u8)
        .map(f32::from)
        .find(|points| (points * pixels_per_point).fract() == 0.0)
        .unwrap_or(1.0)
}

/// The callback standing for run `run` (see [`SpriteRun`]).
fn sprite_marker(run: usize) -> egui::Shape {
    egui::Shape::Callback(egui::epaint::PaintCallback {
        rect: Rect::ZERO,
        callback: Arc::new(SpriteRun(run)),
    })
}

/// Stands in for the run of sprite shapes with this index among the shapes
/// egui tessellates, or ends it among the runs' own shapes.
struct SpriteRun(usize);

/// A run of consecutive sprite shapes.
struct Run {
    shapes: Vec<egui::Shape>,
    /// Their visual bounds, in points.
    bounds: Rect,
}

impl Run {
    /// Where the run is tessellated from: a whole pixel (the anchor) and
    /// the same place in points (the offset).
    ///
    /// Before the shapes, so that what epaint rounds to whole pixels (or
    /// pixel centres) is positive there as it is in place (it rounds
    /// halves away from zero). On whole points that are whole pixels, so
    /// that moving there is exact in `f32`: a rectangle's edge half a pixel
    /// off the grid (a card's shadow, 1.5 points below it at 3x) then rounds
    /// the way it would in place, and every card of a size and colour gets
    /// the same mesh to the bit.
    fn origin(&self, pixels_per_point: f32) -> ([i64; 2], egui::Vec2) {
        let step = whole_pixel_points(pixels_per_point);
        let offset = [self.bounds.min.x, self.bounds.min.y]
            .map(|v| ((v - 2.0 / pixels_per_point) / step).floor() * step);
        let anchor = offset.map(|v| (v * pixels_per_point).round() as i64);
        (anchor, egui::vec2(offset[0], offset[1]))
    }
}

/// The runs of a slab that are the same shapes once moved to their
/// origins (every card of a size and accent): tessellated once, drawn at
/// each run's anchor.
#[derive(Default)]
struct RunKinds {
    /// Each kind's shapes, moved.
    kinds: Vec<Vec<egui::Shape>>,
    /// The kinds whose shapes have this many shapes and these bounds (the
    /// bits of their corners), to compare a run's shapes with.
    by_look: FxHashMap<(usize, [u32; 4]), Vec<usize>>,
}

impl RunKinds {
    /// The kind of a run whose shapes, moved, are `moved`.
    fn kind_of(&mut self, moved: Vec<egui::Shape>) -> usize {
        let bounds = moved.iter().fold(Rect::NOTHING, |all, shape| {
            all.union(shape.visual_bounding_rect())
        });
        let look = (
            moved.len(),
            [bounds.min.x, bounds.min.y, bounds.max.x, bounds.max.y].map(f32::to_bits),
        );
        let alike = self.by_look.entry(look).or_default();
        // Equal shapes tessellate to the same mesh: tessellating is a
        // function of the shapes alone (and of the options and the font
        // atlas's discs, the same for the whole slab).
        if let Some(&kind) = alike
            .iter()
            .find(|&&kind| self.kinds.get(kind) == Some(&moved))
        {
            return kind;
        }
        let kind = self.kinds.len();
        alike.push(kind);
        self.kinds.push(moved);
        kind
    }
}

/// One of the meshes of a kind of run, as a slab's runs are listed.
enum KindMesh {
    /// Not listed yet.
    Waiting(egui::epaint::Mesh),
    /// Listed as this primitive, which the kind's other runs are drawn from.
    Drawn(usize),
}

/// A slab's tessellated shapes: egui's primitives, and which of them are
/// sprites, each with its anchor (see [`Bins::with_sprites`]).
struct Tessellated {
    primitives: Vec<egui::ClippedPrimitive>,
    sprites: Vec<SpriteAt>,
}

/// A headless egui context with the app's fonts, ready to lay out text.
pub(crate) struct Headless {
    ctx: egui::Context,
    textures: TextureStore,
}

impl Headless {
    pub(crate) fn new(pixels_per_point: f32) -> Self {
        let ctx = egui::Context::default();
        ctx.set_fonts(font_definitions());
        let mut headless = Self {
            ctx,
            textures: TextureStore::new(),
        };
        // The first pass installs the fonts at this pixel density.
        headless.pass(pixels_per_point, |_| Vec::new());
        headless
    }

    /// Runs one pass that builds shapes (laying out text), applies the font
    /// atlas changes and tessellates. Runs of [`is_sprite`] shapes are
    /// moved to a whole pixel near them, tessellated there once for all
    /// the runs that are then the same shapes (see [`RunKinds`]), and
    /// listed with that pixel (see [`Bins::with_sprites`]).
    fn pass(
        &mut self,
        pixels_per_point: f32,
        build: impl FnOnce(&mut egui::epaint::text::FontsView<'_>) -> Vec<egui::Shape>,
    ) -> Tessellated {
        let shapes = self.shapes(pixels_per_point, build);
        // egui tessellates everything else in one go; each run of sprite
        // shapes waits in its place as a callback, which egui keeps as it is.
        let mut runs: Vec<Run> = Vec::new();
        let mut clipped = Vec::with_capacity(shapes.len());
        let mut in_run = false;
        for shape in shapes {
            let sprite = is_sprite(&shape, pixels_per_point);
            if sprite
                && in_run
                && let Some(run) = runs.last_mut()
            {
                let bounds = run.bounds.union(shape.visual_bounding_rect());
                if fits_sprite_run(bounds, pixels_per_point) {
                    run.bounds = bounds;
                    run.shapes.push(shape);
                    continue;
                }
            }
            in_run = sprite;
            let shape = if sprite {
                let marker = sprite_marker(runs.len());
                runs.push(Run {
                    bounds: shape.visual_bounding_rect(),
                    shapes: vec![shape],
                });
                marker
            } else {
                shape
            };
            clipped.push(egui::epaint::ClippedShape::new(Rect::EVERYTHING, shape));
        }
        let in_place = self.ctx.tessellate(clipped, pixels_per_point);
        let mut kinds = RunKinds::default();
        let placed: Vec<_> = runs
            .into_iter()
            .map(|run| {
                let (anchor, offset) = run.origin(pixels_per_point);
                let moved = run
                    .shapes
                    .into_iter()
                    .map(|mut shape| {
                        shape.translate(-offset);
                        shape
                    })
                    .collect();
                (kinds.kind_of(moved), anchor, offset)
            })
            .collect();
        let mut meshes: Vec<Vec<KindMesh>> = self
            .tessellate_kinds(kinds.kinds, pixels_per_point)
            .into_iter()
            .map(|of_kind| of_kind.into_iter().map(KindMesh::Waiting).collect())
            .collect();
        let mut out = Tessellated {
            primitives: Vec::with_capacity(in_place.len() + placed.len()),
            sprites: Vec::with_capacity(placed.len()),
        };
        for primitive in in_place {
            let run = match &primitive.primitive {
                egui::epaint::Primitive::Callback(callback) => {
                    callback.callback.downcast_ref::<SpriteRun>()
                }
                egui::epaint::Primitive::Mesh(_) => None,
            };
            let Some(&SpriteRun(run)) = run else {
                out.primitives.push(primitive);
                continue;
            };
            let Some(&(kind, anchor, offset)) = placed.get(run) else {
                continue;
            };
            let Some(of_kind) = meshes.get_mut(kind) else {
                continue;
            };
            for slot in of_kind {
                let at = out.primitives.len();
                // The mesh put here, and the primitive it is drawn from as
                // a sprite, if it is one.
                let (mesh, sprite) = match slot {
                    // Drawn from the first; this one's own is empty.
                    KindMesh::Drawn(first) => (egui::epaint::Mesh::default(), Some(*first)),
                    KindMesh::Waiting(mesh) if raster::fits_sprite(mesh, pixels_per_point) => {
                        let mesh = std::mem::take(mesh);
                        *slot = KindMesh::Drawn(at);
                        (mesh, Some(at))
                    }
                    KindMesh::Waiting(mesh) => {
                        // Runs are kept under SPRITE_SIDE_PX and are finite,
                        // so this is not expected; should a mesh not fit, it
                        // is moved back and drawn in place rather than lost.
                        let mut mesh = mesh.clone();
                        mesh.translate(offset);
                        (mesh, None)
                    }
                };
                if let Some(from) = sprite {
                    out.sprites.push(SpriteAt {
                        primitive: at,
                        mesh: from,
                        anchor,
                    });
                }
                out.primitives.push(egui::ClippedPrimitive {
                    clip_rect: Rect::EVERYTHING,
                    primitive: egui::epaint::Primitive::Mesh(mesh),
                });
            }
        }
        out
    }

    /// Each kind of run's shapes (already moved to its origin), tessellated
    /// by egui in one go as everything else is (the same options and the
    /// font atlas's discs for small filled circles): the meshes of each.
    fn tessellate_kinds(
        &self,
        kinds: Vec<Vec<egui::Shape>>,
        pixels_per_point: f32,
    ) -> Vec<Vec<egui::epaint::Mesh>> {
        let count = kinds.len();
        let mut shapes = Vec::with_capacity(count * 5);
        for (i, kind) in kinds.into_iter().enumerate() {
            for shape in kind {
                shapes.push(egui::epaint::ClippedShape::new(Rect::EVERYTHING, shape));
            }
            // Ends the kind, and its mesh: egui starts a new one after it.
            shapes.push(egui::epaint::ClippedShape::new(
                Rect::EVERYTHING,
                sprite_marker(i),
            ));
        }
        let mut meshes = vec![Vec::new(); count];
        let mut of_kind = Vec::new();
        for primitive in self.ctx.tessellate(shapes, pixels_per_point) {
            match primitive.primitive {
                egui::epaint::Primitive::Mesh(mesh) => of_kind.push(mesh),
                egui::epaint::Primitive::Callback(callback) => {
                    if let Some(&SpriteRun(kind)) = callback.callback.downcast_ref::<SpriteRun>()
                        && let Some(slot) = meshes.get_mut(kind)
                    {
                        *slot = std::mem::take(&mut of_kind);
                    }
                }
            }
        }
        meshes
    }

    /// Runs one pass that builds shapes (laying out text) and applies the
    /// font atlas changes; the shapes are returned untessellated.
    pub(crate) fn shapes(
        &mut self,
        pixels_per_point: f32,
        build: impl FnOnce(&mut egui::epaint::text::FontsView<'_>) -> Vec<egui::Shape>,
    ) -> Vec<egui::Shape> {
        let mut build = Some(build);
        let mut shapes = Vec::new();
        let input = egui::RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, Vec2::splat(1024.0))),
            ..Default::default()
        };
        self.ctx.set_pixels_per_point(pixels_per_point);
        let output = self.ctx.run_ui(input, |ui| {
            if let Some(build) = build.take() {
                shapes = ui.fonts_mut(build);
            }
        });
        let mut output = output;
        self.textures.apply_and_clear(&mut output.textures_delta);
        shapes
    }
}

/// Renders the map and streams it into `out` as a PNG. Returns the image size.
pub fn write_png(
    journey: &Journey,
    options: &ExportOptions,
    out: impl Write + Send,
) -> Result<(u32, u32), ExportError> {
    write_png_with_progress(journey, options, out, no_progress)
}

/// [`write_png`], reporting the fraction done (0..=1) after each band.
/// `progress` answering [`ControlFlow::Break`] stops the export with
/// [`ExportError::Stopped`] (cancelled by the user).
pub fn write_png_with_progress(
    journey: &Journey,
    options: &ExportOptions,
    out: impl Write + Send,
    progress: impl FnMut(f32) -> ControlFlow<()> + Send,
) -> Result<(u32, u32), ExportError> {
    let geometry = Geometry::new(journey, options);
    encode(journey, &geometry, options, export_threads(), out, progress).map(|timings| timings.size)
}

/// Where the time of one PNG export went.
#[derive(Clone, Copy, Debug)]
pub struct PngTimings {
    /// The image size in pixels.
    pub size: (u32, u32),
    /// The whole export.
    pub total: Duration,
    /// Building the scene: shapes, text layout and tessellation into
    /// triangles.
    pub scene: Duration,
    /// Rasterizing the triangles: sorting them into bands and drawing
    /// them (and filling the background).
    pub rasterization: Duration,
    /// Unpremultiplying, filtering and compressing the same pixels.
    pub encoding: Duration,
}

/// [`write_png`], measuring its stages separately (benchmarks), on
/// `threads` threads (`None`: as many as an export uses). The stages are
/// summed over the threads, so on one thread they add up to the total.
pub fn timed_png(
    journey: &Journey,
    options: &ExportOptions,
    threads: Option<usize>,
    out: impl Write + Send,
) -> Result<PngTimings, ExportError> {
    let geometry = Geometry::new(journey, options);
    let threads = threads.unwrap_or_else(export_threads);
    encode(journey, &geometry, options, threads, out, no_progress)
}

/// The progress callback of an export nobody watches: it always goes on.
fn no_progress(_: f32) -> ControlFlow<()> {
    ControlFlow::Continue(())
}

fn encode(
    journey: &Journey,
    geometry: &Geometry,
    options: &ExportOptions,
    threads: usize,
    out: impl Write + Send,
    mut progress: impl FnMut(f32) -> ControlFlow<()> + Send,
) -> Result<PngTimings, ExportError> {
    let started = Instant::now();
    let io_err = |source| ExportError::Io { path: None, source };
    let (width, height) = geometry.pixel_size(options.scale)?;
    let mut encoder = BandEncoder::new(out, width, height).map_err(io_err)?;
    let compressor = encoder.compressor();
    let mut done = 0u32;
    let mut times = render_bands_then(
        journey,
        geometry,
        options,
        (width, height),
        threads,
        // Each thread compresses the bands it draws, while they are still
        // in its cache; only the writing is in order.
        || {
            // Over a transparent background, each thread unmultiplies into
            // a band-sized buffer of its own.
            let mut png_rows = PngRows::with_theme(&geometry.theme, options);
            move |band: Pixmap| {
                let compressed = compressor.compress(png_rows.of(&band)).map_err(io_err)?;
                Ok(((compressed, band.height), Some(band)))
            }
        },
        |(compressed, rows)| {
            encoder.write_band(compressed).map_err(io_err)?;
            done += rows;
            match progress(done as f32 / height as f32) {
                ControlFlow::Continue(()) => Ok(None),
                ControlFlow::Break(()) => Err(ExportError::Stopped),
            }
        },
    )?;
    let finishing = Instant::now();
    encoder.finish().map_err(io_err)?;
    times.encoding += finishing.elapsed();
    Ok(PngTimings {
        size: (width, height),
        total: started.elapsed(),
        scene: times.scene,
        rasterization: times.rasterization,
        encoding: times.encoding,
    })
}

/// Renders the map and writes it to a PNG file atomically (temp file, rename).
pub fn save_png(
    journey: &Journey,
    options: &ExportOptions,
    path: &Path,
) -> Result<(u32, u32), ExportError> {
    save_png_with_progress(journey, options, path, no_progress)
}

/// [`save_png`], reporting the fraction done (0..=1) as it goes. The PNG is
/// streamed into a temp file beside the target, never held in memory whole.
/// `progress` answering [`ControlFlow::Break`] stops the export with
/// [`ExportError::Stopped`], and nothing is written.
pub fn save_png_with_progress(
    journey: &Journey,
    options: &ExportOptions,
    path: &Path,
    progress: impl FnMut(f32) -> ControlFlow<()> + Send,
) -> Result<(u32, u32), ExportError> {
    let geometry = Geometry::new(journey, options);
    // Check the size first so a refused export leaves no trace on disk.
    geometry.pixel_size(options.scale)?;
    save_atomically(path, |file| {
        encode(
            journey,
            &geometry,
            options,
            export_threads(),
            file,
            progress,
        )
        .map(|timings| timings.size)
    })
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
            source: e.source,
        }),
        (Some(Ok(value)), Ok(())) => Ok(value),
        (None, Ok(())) => Err(ExportError::Io {
            path: Some(path.to_path_buf()),
            source: std::io::Error::other("nothing was written"),
        }),
    }
}

/// Renders the whole map into one pixmap (premultiplied RGBA); for tests and
/// small images.
pub fn render(journey: &Journey, options: &ExportOptions) -> Result<Pixmap, ExportError> {
    let geometry = Geometry::new(journey, options);
    let (width, height) = geometry.pixel_size(options.scale)?;
    let mut image = Pixmap::new(width, height);
    let mut row = 0usize;
    let stride = width as usize * 4;
    let target = image.data_mut();
    render_bands(
        journey,
        &geometry,
        options,
        (width, height),
        export_threads(),
        |band| {
            let start = row * stride;
            let bytes = band.data();
            if let Some(target) = target.get_mut(start..start + bytes.len()) {
                target.copy_from_slice(bytes);
            }
            row += band.height as usize;
            Ok(Some(band))
        },
    )?;
    Ok(image)
}

/// How an export's bands become the rows its PNG encoder takes.
///
/// Over an opaque background every pixel stays opaque (blending over alpha
/// 255 gives 255): the band's own bytes are the straight-alpha rows, with
/// no need to check each band for opacity first. Over a transparent one
/// the band is unmultiplied.
///
/// (Writing RGB for opaque images was measured: the file was 8% smaller,
/// but dropping every fourth byte cost more than deflating it.)
pub struct PngRows {
    opaque: bool,
    /// Unmultiplied rows, reused from band to band.
    straight: Vec<u8>,
}

impl PngRows {
    /// For an export with `options`.
    pub fn new(options: &ExportOptions) -> Self {
        Self::with_theme(&export_theme(), options)
    }

    fn with_theme(theme: &Theme, options: &ExportOptions) -> Self {
        let background = options.background.color(theme);
        Self {
            opaque: background.is_some_and(|color| color.is_opaque()),
            straight: Vec::new(),
        }
    }

    /// The rows of `band` for the encoder.
    pub fn of<'a>(&'a mut self, band: &'a Pixmap) -> &'a [u8] {
        if self.opaque {
            band.data()
        } else {
            band.straight_alpha(&mut self.straight)
        }
    }
}

/// Renders the map band after band, top to bottom (premultiplied RGBA, as
/// wide as the image), on this thread alone, handing each band to `sink`; an
/// error from `sink` stops the export. Returns the image size. This is the
/// whole export minus the encoding, for custom sinks and for measuring
/// rasterization alone.
pub fn for_each_band(
    journey: &Journey,
    options: &ExportOptions,
    mut sink: impl FnMut(&Pixmap) -> Result<(), ExportError> + Send,
) -> Result<(u32, u32), ExportError> {
    let geometry = Geometry::new(journey, options);
    let size = geometry.pixel_size(options.scale)?;
    render_bands(journey, &geometry, options, size, 1, |band| {
        sink(&band)?;
        Ok(Some(band))
    })?;
    Ok(size)
}

/// How many threads draw and encode an export: one per core, at most four
/// (each thread keeps more bands in memory).
fn export_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
}

/// Renders the map in bands on `threads` threads and hands the bands to
/// `sink` in order, top to bottom; `sink` may hand a band back to be drawn
/// into again. Returns the time spent in each stage, summed over the
/// threads.
fn render_bands<S>(
    journey: &Journey,
    geometry: &Geometry,
    options: &ExportOptions,
    size: (u32, u32),
    threads: usize,
    sink: S,
) -> Result<StageTimes, ExportError>
where
    S: FnMut(Pixmap) -> Result<Option<Pixmap>, ExportError> + Send,
{
    let as_drawn = || |band| Ok((band, None));
    render_bands_then(journey, geometry, options, size, threads, as_drawn, sink)
}

/// [`render_bands`], with each band first handed to a `prepare` on the
/// thread that drew it, as soon as it is drawn (each thread makes its own
/// with `prepare`); what that returns goes to `sink` in order, and the band
/// it may hand back is drawn into again. The time in `prepare` and `sink`
/// is the encoding's.
///
/// The threads share the work: whoever is free hands the next band to the
/// sink when it is ready (one at a time, in order), else draws and prepares
/// a band, else builds the next slab's scene. A slab's scene (its
/// tessellated shapes, triangles sorted into bands, and a snapshot of the
/// font atlas) is built once and drawn from by all threads, so memory does
/// not grow with the threads, and at most two bands per thread are drawn
/// ahead of the sink.
fn render_bands_then<T, M, P, S>(
    journey: &Journey,
    geometry: &Geometry,
    options: &ExportOptions,
    (width, height): (u32, u32),
    threads: usize,
    prepare: M,
    sink: S,
) -> Result<StageTimes, ExportError>
where
    T: Send,
    M: Fn() -> P + Sync,
    P: FnMut(Pixmap) -> Result<(T, Option<Pixmap>), ExportError>,
    S: FnMut(T) -> Result<Option<Pixmap>, ExportError> + Send,
{
    let Geometry {
        theme,
        layout,
        frame,
    } = geometry;
    let scale = options.scale;
    let background = options
        .background
        .color(theme)
        .unwrap_or(Color32::TRANSPARENT);
    // The scene paints the map's opaque paper first: under it, filling in
    // the background would only be painted over. Two pixels of slack keep
    // the paper's feathered edges blending over the real background.
    let paper = theme.background.is_opaque().then(|| {
        let map = Rect::from_min_size(frame.map_offset.to_pos2(), layout.size) * scale;
        let px = |v: f32| v.clamp(0.0, u32::MAX as f32) as u32;
        (
            px(map.min.x.ceil() + 2.0)..px(map.max.x.floor() - 2.0),
            px(map.min.y.ceil() + 2.0)..px(map.max.y.floor() - 2.0),
        )
    });
    let band_rows = (BAND_BYTES / (u64::from(width) * 4)).clamp(MIN_BAND_ROWS, 512) as u32;
    let slabs = SlabBuilder {
        journey,
        geometry,
        date: options.date.map(format_date),
        headless: Headless::new(scale),
        scale,
        size: (width, height),
        band_rows,
        // A wide map has short bands, and rebuilding every card's shapes
        // and text for each of them cost more than drawing the pixels. A
        // slab's meshes are bounded by what fits in SLAB_ROWS rows, so
        // memory stays bounded. Slabs are whole bands, so that only the
        // image's last band is short.
        slab_rows: band_rows.saturating_mul(SLAB_ROWS.div_ceil(band_rows)),
        top: 0,
    };
    let pipeline = Pipeline {
        state: Mutex::new(PipelineState {
            slabs: Some(slabs),
            jobs: VecDeque::new(),
            queued: 0,
            drawing: 0,
            drawn: BTreeMap::new(),
            next: 0,
            sink: Some(sink),
            spare: Vec::new(),
            failure: None,
            times: StageTimes::default(),
        }),
        changed: Condvar::new(),
        canvas: BandCanvas {
            width,
            scale,
            background,
            paper,
        },
        threads: threads.max(1),
    };
    // Every thread is spawned, so a panic in any of them becomes an error.
    let all_finished = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.max(1))
            .map(|_| scope.spawn(|| pipeline.work(prepare())))
            .collect();
        // Join them all: a panicked thread left unjoined would panic here.
        let mut all_finished = true;
        for worker in workers {
            all_finished &= worker.join().is_ok();
        }
        all_finished
    });
    let state = pipeline
        .state
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    if let Some(failure) = state.failure {
        return Err(failure);
    }
    if !all_finished {
        return Err(stopped_unexpectedly());
    }
    Ok(state.times)
}

/// Time spent in each stage of an export, summed over its threads.
#[derive(Clone, Copy, Debug, Default)]
struct StageTimes {
    /// Building slabs' scenes and tessellating them.
    scene: Duration,
    /// Sorting slabs' triangles into bands, and drawing bands.
    rasterization: Duration,
    /// Preparing bands for the sink, and in the sink (encoding).
    encoding: Duration,
}

fn stopped_unexpectedly() -> ExportError {
    ExportError::Io {
        path: None,
        source: std::io::Error::other("the export's renderer stopped unexpectedly"),
    }
}

/// The work of one export, shared by its threads.
struct Pipeline<'a, T, S> {
    state: Mutex<PipelineState<'a, T, S>>,
    /// Signalled whenever the state changes in a way another thread may be
    /// waiting for.
    changed: Condvar,
    canvas: BandCanvas,
    /// The threads working.
    threads: usize,
}

struct PipelineState<'a, T, S> {
    /// Builds the slab scenes; `None` while a thread builds with it.
    slabs: Option<SlabBuilder<'a>>,
    /// Bands to draw, in order.
    jobs: VecDeque<BandJob>,
    /// Bands queued so far (the next band's number).
    queued: usize,
    /// Bands being drawn.
    drawing: usize,
    /// Drawn and prepared bands waiting for the sink, by number.
    drawn: BTreeMap<usize, T>,
    /// The number of the next band for the sink.
    next: usize,
    /// `None` while a thread is handing it a band.
    sink: Option<S>,
    /// Bands given back, to draw into again: fresh memory costs page
    /// faults.
    spare: Vec<Pixmap>,
    failure: Option<ExportError>,
    times: StageTimes,
}

/// One band to draw: bin `bin` of `slab`, the `seq`th band of the image.
struct BandJob {
    slab: Arc<Slab>,
    bin: usize,
    seq: usize,
}

/// A slab's scene, drawn from by every thread.
struct Slab {
    primitives: Vec<egui::ClippedPrimitive>,
    bins: Bins,
    textures: TextureStore,
}

/// What every band is drawn with.
struct BandCanvas {
    width: u32,
    scale: f32,
    background: Color32,
    /// Columns and rows (of the image) under the map's opaque paper.
    paper: Option<(Range<u32>, Range<u32>)>,
}

impl BandCanvas {
    fn draw(&self, job: &BandJob, spare: Option<Pixmap>, cache: &mut DrawCache) -> Pixmap {
        let rows = job.slab.bins.band(job.bin);
        let height = rows.end.saturating_sub(rows.start);
        let mut band = spare.map_or_else(
            || Pixmap::new(self.width, height),
            |mut band| {
                band.reshape(self.width, height);
                band
            },
        );
        match &self.paper {
            Some((columns, paper_rows)) => {
                let top = rows.start;
                let paper_rows =
                    paper_rows.start.saturating_sub(top)..paper_rows.end.saturating_sub(top);
                band.fill_around(self.background, columns.clone(), paper_rows);
            }
            None => band.fill(self.background),
        }
        let slab = &job.slab;
        rasterize_bin(
            &slab.primitives,
            &slab.bins,
            job.bin,
            &slab.textures,
            self.scale,
            &mut band,
            cache,
        );
        band
    }
}

/// Builds the scene of one slab of rows after another.
struct SlabBuilder<'a> {
    journey: &'a Journey,
    geometry: &'a Geometry,
    date: Option<String>,
    headless: Headless,
    scale: f32,
    size: (u32, u32),
    band_rows: u32,
    slab_rows: u32,
    /// The first row of the next slab.
    top: u32,
}

impl SlabBuilder<'_> {
    /// Whether every slab has been built.
    fn is_done(&self) -> bool {
        self.top >= self.size.1
    }

    /// The next slab, and how long of building it went to sorting its
    /// triangles into bands (the rasterizer's work, not the scene's).
    fn next_slab(&mut self) -> Option<(Slab, Duration)> {
        if self.is_done() {
            return None;
        }
        let (width, height) = self.size;
        let (top, scale) = (self.top, self.scale);
        // The first slab is one band, so that the other threads, which
        // have nothing to do until it is built, start soon.
        let rows = if top == 0 {
            self.band_rows
        } else {
            self.slab_rows
        };
        let end = top.saturating_add(rows).min(height);
        // The slab in output points (the scene works in points; pixels are points * scale).
        let slab_points = Rect::from_min_max(
            Pos2::new(0.0, top as f32 / scale),
            Pos2::new(width as f32 / scale, end as f32 / scale),
        )
        .expand(2.0);
        let Geometry {
            theme,
            layout,
            frame,
        } = self.geometry;
        let (journey, date) = (self.journey, self.date.as_deref());
        let Tessellated {
            primitives,
            sprites,
        } = self.headless.pass(scale, |fonts| {
            scene::build_export(journey, layout, frame, theme, fonts, slab_points, date)
        });
        let binning = Instant::now();
        let textures = &self.headless.textures;
        let bins = Bins::with_sprites(
            &primitives,
            &sprites,
            textures,
            scale,
            top..end,
            self.band_rows,
        );
        let binning = binning.elapsed();
        self.top = end;
        let slab = Slab {
            primitives,
            bins,
            textures: self.headless.textures.clone(),
        };
        Some((slab, binning))
    }
}

impl<'a, T, S> Pipeline<'a, T, S>
where
    S: FnMut(T) -> Result<Option<Pixmap>, ExportError>,
{
    fn lock(&self) -> MutexGuard<'_, PipelineState<'a, T, S>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// One thread's share: hand a band to the sink, draw and `prepare` a
    /// band, or build a slab, whichever can be done, until the image is done
    /// or something failed.
    fn work(&self, mut prepare: impl FnMut(Pixmap) -> Result<(T, Option<Pixmap>), ExportError>) {
        let _unwinding = StopOthersOnPanic(self);
        // This thread's small triangles and sprites, kept from band to band.
        let mut cache = DrawCache::default();
        let mut state = self.lock();
        loop {
            if state.failure.is_some() {
                break;
            }
            let next = state.next;
            if state.sink.is_some()
                && let Some(band) = state.drawn.remove(&next)
                && let Some(mut sink) = state.sink.take()
            {
                drop(state);
                let started = Instant::now();
                let result = sink(band);
                let took = started.elapsed();
                state = self.lock();
                state.times.encoding += took;
                state.sink = Some(sink);
                state.next += 1;
                match result {
                    Ok(Some(band)) => state.spare.push(band),
                    Ok(None) => {}
                    Err(err) => {
                        state.failure.get_or_insert(err);
                    }
                }
                self.changed.notify_all();
                continue;
            }
            // The next slab is built while the other threads draw the last
            // bands of this one: built only once none was left, every
            // other thread waited for it.
            if state.jobs.len() < self.threads
                && state.slabs.as_ref().is_some_and(|slabs| !slabs.is_done())
                && let Some(mut slabs) = state.slabs.take()
            {
                drop(state);
                let started = Instant::now();
                let slab = slabs.next_slab();
                let took = started.elapsed();
                state = self.lock();
                let binning = slab
                    .as_ref()
                    .map_or(Duration::ZERO, |(_, binning)| *binning);
                state.times.scene += took.saturating_sub(binning);
                state.times.rasterization += binning;
                if let Some(slab) = slab.map(|(slab, _)| Arc::new(slab)) {
                    for bin in 0..slab.bins.len() {
                        let seq = state.queued;
                        state.queued += 1;
                        let slab = Arc::clone(&slab);
                        state.jobs.push_back(BandJob { slab, bin, seq });
                    }
                }
                state.slabs = Some(slabs);
                self.changed.notify_all();
                continue;
            }
            if state.drawn.len() + state.drawing < self.threads * AHEAD_PER_THREAD
                && let Some(job) = state.jobs.pop_front()
            {
                state.drawing += 1;
                let spare = state.spare.pop();
                drop(state);
                let started = Instant::now();
                let band = self.canvas.draw(&job, spare, &mut cache);
                // Dropping the last band of a slab frees its scene.
                drop(job.slab);
                let drawn = Instant::now();
                let prepared = prepare(band);
                let (drawing, preparing) = (drawn - started, drawn.elapsed());
                state = self.lock();
                state.times.rasterization += drawing;
                state.times.encoding += preparing;
                state.drawing -= 1;
                match prepared {
                    Ok((band, spare)) => {
                        state.drawn.insert(job.seq, band);
                        state.spare.extend(spare);
                    }
                    Err(err) => {
                        state.failure.get_or_insert(err);
                    }
                }
                self.changed.notify_all();
                continue;
            }
            let finished = state.slabs.as_ref().is_some_and(SlabBuilder::is_done)
                && state.jobs.is_empty()
                && state.drawing == 0
                && state.drawn.is_empty()
                && state.sink.is_some();
            if finished {
                break;
            }
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        drop(state);
        self.changed.notify_all();
    }
}

/// Stops the other threads of an export when this one panics: they would
/// wait forever for the band it was drawing.
struct StopOthersOnPanic<'p, 'a, T, S>(&'p Pipeline<'a, T, S>);

impl<T, S> Drop for StopOthersOnPanic<'_, '_, T, S> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let pipeline = self.0;
            let mut state = pipeline
                .state
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            state.failure.get_or_insert_with(stopped_unexpectedly);
            drop(state);
            pipeline.changed.notify_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::templates::{Template, generated};
    use egui::pos2;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Every band of a wide map drawn on `threads` threads, as the sink saw
    /// them, in order.
    fn bands_on(threads: usize, journey: &Journey, options: &ExportOptions) -> Vec<Vec<u8>> {
        let geometry = Geometry::new(journey, options);
        let size = geometry.pixel_size(options.scale).unwrap();
        let mut bands = Vec::new();
        render_bands(journey, &geometry, options, size, threads, |band| {
            bands.push(band.data().to_vec());
            Ok(Some(band))
        })
        .unwrap();
        bands
    }

    /// A map wide enough at 2x to be drawn in several bands.
    fn several_bands() -> (Journey, ExportOptions) {
        let options = ExportOptions {
            scale: 2.0,
            ..ExportOptions::default()
        };
        (generated(40, 400), options)
    }

    /// A card's shapes as the scene draws them, from `min`: a shadow, a
    /// border, a fill and an accent strip half a point in from the card's
    /// top and bottom, so at 3x its ends are half a pixel off the grid;
    /// and beside it an emotion curve's point, a circle, which is drawn in
    /// place and ends the card's run.
    fn card_shapes(min: Pos2) -> Vec<egui::Shape> {
        let rect = Rect::from_min_size(min, egui::vec2(150.0, 62.0));
        let rounded =
            |rect: Rect, radius: f32, color: Color32| egui::Shape::rect_filled(rect, radius, color);
        let shadow = Rect::from_x_y_ranges(rect.x_range(), rect.max.y - 9.0..=rect.max.y + 1.5);
        let strip = Rect::from_min_size(rect.min, egui::vec2(5.0, rect.height()))
            .shrink2(egui::vec2(0.0, 0.5));
        vec![
            rounded(shadow, 6.0, Color32::from_black_alpha(18)),
            rounded(rect, 6.0, Color32::from_rgb(190, 195, 205)),
            rounded(rect.shrink(1.0), 5.0, Color32::WHITE),
            rounded(strip, 2.5, Color32::from_rgb(40, 90, 200)),
            egui::Shape::Circle(egui::epaint::CircleShape {
                center: rect.right_center() + egui::vec2(8.25, 0.25),
                radius: 5.0,
                fill: Color32::WHITE,
                stroke: egui::Stroke::new(2.5, Color32::from_rgb(191, 56, 137)),
            }),
        ]
    }

    #[test]
    fn cards_anywhere_are_one_sprite_drawn_as_in_place() {
        for scale in [1.0_f32, 1.5, 2.0, 3.0] {
            let mut headless = Headless::new(scale);
            // Cards on whole pixels: one near the origin, one 30,000 points
            // out, and one on a pixel that is not a whole number of points
            // (at 1.5x, 12.67 points are 19 pixels: its anchor must be on
            // whole points an even number from the origin, or its 1.5
            // pixels a point would not be whole). Lines between them make
            // them three runs.
            let on_pixel = |v: f32| (v * scale).round() / scale;
            let near = pos2(12.0, 20.0);
            let far = near + egui::vec2(29_988.0, 180.0);
            let odd = pos2(on_pixel(12.7), on_pixel(100.3));
            let line = || {
                egui::Shape::line_segment(
                    [pos2(0.0, 5.0), pos2(40.0, 5.0)],
                    egui::Stroke::new(1.0, Color32::GRAY),
                )
            };
            let shapes = [
                card_shapes(near),
                vec![line()],
                card_shapes(odd),
                vec![line()],
                card_shapes(far),
            ]
            .concat();
            let built = shapes.clone();
            let Tessellated {
                primitives,
                sprites,
            } = headless.pass(scale, |_| built);
            assert_eq!(sprites.len(), 3, "{scale}x");
            let mesh = |at: usize| match &primitives[at].primitive {
                egui::epaint::Primitive::Mesh(mesh) => mesh.clone(),
                egui::epaint::Primitive::Callback(_) => panic!("a mesh"),
            };
            // Moved to their origins, the near and far cards are the same
            // shapes: the far one is drawn from the near one's mesh, and
            // has none of its own.
            assert_eq!(sprites[0].mesh, sprites[0].primitive, "{scale}x");
            assert_eq!(sprites[2].mesh, sprites[0].primitive, "{scale}x");
            assert!(!mesh(sprites[0].mesh).is_empty(), "{scale}x");
            assert!(mesh(sprites[2].primitive).is_empty(), "{scale}x");
            let apart = [far.x - near.x, far.y - near.y].map(|v| (v * scale).round() as i64);
            let moved = [0, 1].map(|axis| sprites[2].anchor[axis] - sprites[0].anchor[axis]);
            assert_eq!(moved, apart, "{scale}x: anchors as far apart as the cards");

            // The near cards drawn as sprites and in place: the same
            // picture, within the rounding of blending twice. (The far one
            // is the near one's mesh, drawn from its anchor.)
            let clipped = shapes
                .into_iter()
                .map(|shape| egui::epaint::ClippedShape::new(Rect::EVERYTHING, shape))
                .collect();
            let in_place = headless.ctx.tessellate(clipped, scale);
            let (w, h) = ((190.0 * scale) as u32, (180.0 * scale) as u32);
            let draw = |primitives: &[egui::ClippedPrimitive], sprites: &[SpriteAt]| {
                let textures = &headless.textures;
                let bins = Bins::with_sprites(primitives, sprites, textures, scale, 0..h, 16);
                let mut cache = DrawCache::default();
                let mut image = Vec::new();
                for bin in 0..bins.len() {
                    let mut band = Pixmap::new(w, bins.band(bin).len() as u32);
                    band.fill(Color32::from_gray(240));
                    rasterize_bin(
                        primitives, &bins, bin, textures, scale, &mut band, &mut cache,
                    );
                    image.extend_from_slice(band.data());
                }
                image
            };
            let (plain, drawn) = (draw(&in_place, &[]), draw(&primitives, &sprites));
            let worst = plain.iter().zip(&drawn).map(|(a, b)| a.abs_diff(*b)).max();
            assert!(worst <= Some(2), "{scale}x: {worst:?}");
            // The cards are there, not skipped in both: their strips.
            for card in [near, odd] {
                let [x, y] = [card.x + 2.0, card.y + 30.0].map(|v| (v * scale) as usize);
                let at = (y * w as usize + x) * 4;
                assert_eq!(drawn[at..at + 4], [40, 90, 200, 255], "{scale}x");
            }
        }
    }

    #[test]
    fn runs_are_one_kind_only_when_their_moved_shapes_are_equal() {
        let mut kinds = RunKinds::default();
        let accented = |accent: Color32| {
            let mut shapes = card_shapes(pos2(2.0, 2.0));
            shapes.truncate(4);
            if let Some(egui::Shape::Rect(strip)) = shapes.last_mut() {
                strip.fill = accent;
            }
            shapes
        };
        let blue = Color32::from_rgb(40, 90, 200);
        // One bit of one colour apart: the same bounds, another kind.
        let other = Color32::from_rgb(40, 90, 201);
        assert_eq!(kinds.kind_of(accented(blue)), 0);
        assert_eq!(kinds.kind_of(accented(other)), 1);
        assert_eq!(kinds.kind_of(accented(blue)), 0);
        let mut shorter = accented(blue);
        shorter.pop();
        assert_eq!(kinds.kind_of(shorter), 2);
        let mut moved = accented(blue);
        for shape in &mut moved {
            shape.translate(egui::vec2(0.0, 0.5));
        }
        assert_eq!(kinds.kind_of(moved), 3);
        assert_eq!(kinds.kinds.len(), 4);
    }

    #[test]
    fn only_small_rounded_rectangles_are_sprites() {
        let rect = |size: f32, radius: f32| {
            egui::Shape::rect_filled(
                Rect::from_min_size(pos2(3.0, 4.0), egui::vec2(size, size / 2.0)),
                radius,
                Color32::RED,
            )
        };
        assert!(is_sprite(&rect(200.0, 6.0), 4.0));
        assert!(!is_sprite(&rect(200.0, 0.0), 4.0), "square corners");
        assert!(!is_sprite(&rect(300.0, 6.0), 4.0), "over 1,024 pixels");
        let point = egui::Shape::circle_filled(pos2(10.0, 10.0), 5.0, Color32::RED);
        assert!(!is_sprite(&point, 1.0));
    }

    #[test]
    fn shapes_too_far_apart_for_one_sprite_are_two() {
        let mut headless = Headless::new(1.0);
        let square = |x: f32| {
            egui::Shape::rect_filled(
                Rect::from_min_size(pos2(x, 10.0), egui::vec2(20.0, 20.0)),
                4.0,
                Color32::RED,
            )
        };
        let Tessellated {
            primitives,
            sprites,
        } = headless.pass(1.0, |_| vec![square(10.0), square(30.0), square(3000.0)]);
        // The first two together, the third alone, each from just before it.
        let anchors: Vec<_> = sprites.iter().map(|sprite| sprite.anchor).collect();
        assert_eq!(anchors, [[8, 8], [2998, 8]]);
        assert_eq!(primitives.len(), 2);
    }

    #[test]
    fn threads_draw_the_same_bands_in_the_same_order() {
        let (journey, options) = several_bands();
        let alone = bands_on(1, &journey, &options);
        assert!(alone.len() > 4, "several bands: {}", alone.len());
        for threads in [2, 4] {
            assert!(
                bands_on(threads, &journey, &options) == alone,
                "{threads} threads"
            );
        }
    }

    #[test]
    fn a_failing_or_panicking_sink_stops_every_thread() {
        let (journey, options) = several_bands();
        let geometry = Geometry::new(&journey, &options);
        let size = geometry.pixel_size(options.scale).unwrap();
        let mut calls = 0;
        let failed = render_bands(&journey, &geometry, &options, size, 3, |_| {
            calls += 1;
            if calls == 2 {
                Err(ExportError::Stopped)
            } else {
                Ok(None)
            }
        });
        assert!(matches!(failed, Err(ExportError::Stopped)), "{failed:?}");
        assert_eq!(calls, 2, "no band after the failure");
        let mut calls = 0;
        let panicked = render_bands(&journey, &geometry, &options, size, 3, |_| {
            calls += 1;
            assert!(calls < 3, "the sink breaks on the third band");
            Ok(None)
        });
        let Err(ExportError::Io { source, .. }) = panicked else {
            panic!("a panic is an error: {panicked:?}");
        };
        assert!(
            source.to_string().contains("stopped unexpectedly"),
            "{source}"
        );
    }

    #[test]
    fn a_progress_that_says_stop_writes_nothing() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let path = dir.path().join("map.png");
        // Many bands, so stopping after the first leaves most undone.
        let journey = generated(40, 400);
        let options = ExportOptions {
            scale: 2.0,
            ..ExportOptions::default()
        };
        let calls = AtomicUsize::new(0);
        let stopped = save_png_with_progress(&journey, &options, &path, |_| {
            calls.fetch_add(1, Ordering::Relaxed);
            ControlFlow::Break(())
        });
        assert!(matches!(stopped, Err(ExportError::Stopped)), "{stopped:?}");
        assert_eq!(
            calls.load(Ordering::Relaxed),
            1,
            "no band is written after the stop"
        );
        let left: Vec<_> = std::fs::read_dir(dir.path()).expect("the dir").collect();
        assert!(left.is_empty(), "no image and no temp file: {left:?}");
        // Answering Continue, the same export is written whole.
        let mut fractions = Vec::new();
        save_png_with_progress(&journey, &options, &path, |fraction| {
            fractions.push(fraction);
            ControlFlow::Continue(())
        })
        .expect("the export");
        assert!(fractions.len() > 1, "{fractions:?}");
        assert_eq!(fractions.last().copied(), Some(1.0));
        assert!(path.exists());
    }

    #[test]
    fn a_failing_prepare_stops_every_thread() {
        let (journey, options) = several_bands();
        let geometry = Geometry::new(&journey, &options);
        let size = geometry.pixel_size(options.scale).unwrap();
        let prepared = AtomicUsize::new(0);
        let mut written = 0;
        let failed = render_bands_then(
            &journey,
            &geometry,
            &options,
            size,
            3,
            || {
                // Two bands are prepared, and every one after them fails.
                |band: Pixmap| {
                    if prepared.fetch_add(1, Ordering::SeqCst) >= 2 {
                        Err(ExportError::Stopped)
                    } else {
                        Ok(((), Some(band)))
                    }
                }
            },
            |()| {
                written += 1;
                Ok(None)
            },
        );
        assert!(matches!(failed, Err(ExportError::Stopped)), "{failed:?}");
        assert!(written <= 2, "{written} bands written");
        // A thread whose band fails stops; the others stop at the failure
        // they see, or after failing on the band they had.
        assert!(prepared.load(Ordering::SeqCst) <= 2 + 3);
    }

    #[test]
    fn bands_compressed_on_each_thread_decode_to_the_rendered_pixels() {
        let (journey, mut options) = several_bands();
        for background in [Background::White, Background::Transparent] {
            options.background = background;
            let expected = render(&journey, &options).unwrap().to_unmultiplied_rgba();
            for threads in [1, 3] {
                let mut png = Vec::new();
                timed_png(&journey, &options, Some(threads), &mut png).unwrap();
                // The joined checksum is right (the `png` crate does not
                // check it; `fdeflate` does).
                fdeflate::decompress_to_vec(
                    &crate::export::png_stream::idat_payloads(&png).concat(),
                )
                .unwrap();
                let decoded = image::load_from_memory(&png).unwrap().into_rgba8();
                assert!(
                    decoded.as_raw() == &expected,
                    "{threads} threads, {background:?}"
                );
            }
        }
    }

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
        assert!(image_size(&j, &fits).is_ok(), "the suggested scale fits");
        assert!(matches!(
            image_size(
                &j,
                &ExportOptions {
                    scale: f32::NAN,
                    ..options
                }
            ),
            Err(ExportError::BadScale(_))
        ));
    }

    #[test]
    fn scale_two_doubles_the_size() {
        let j = Template::Blank.build("b");
        let one = image_size(&j, &ExportOptions::default()).unwrap();
        let two = image_size(
            &j,
            &ExportOptions {
                scale: 2.0,
                ..ExportOptions::default()
            },
        )
        .unwrap();
        assert_eq!((two.0, two.1), (one.0 * 2, one.1 * 2));
    }
}
