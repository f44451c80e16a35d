//! Export the whole map as an image, headlessly: no GPU, no window.
//!
//! PNG: the scene's shapes are tessellated by epaint and drawn by the
//! rasterizer crate ([`raster`]) in horizontal bands on every core (`bands`),
//! each band compressed by the thread that drew it and written in order
//! ([`encode`]) into a temp file beside the target, so memory stays bounded
//! however large the map. SVG: the same shapes as vector elements; PDF: that
//! SVG on a PDF page, text as text ([`pdf`]). A slide
//! export fits the picture to a 16:9 image, split by stage when needed
//! ([`slides`]).

mod bands;
pub mod diff;
pub mod encode;
mod headless;
mod options;
pub mod pdf;
pub mod slides;
pub mod svg;

use std::io::Write;
use std::ops::ControlFlow;
use std::path::Path;
use std::time::{Duration, Instant};

pub use waymark_raster as raster;

pub(crate) use headless::Headless;
pub use options::{
    Background, DEFAULT_SCALE, ExportError, ExportOptions, Format, MARGINS, MAX_PIXELS, MAX_SIDE,
    MIN_SLIDE_TITLE_PX, SCALES, SlideSize, Target, format_date, image_size, picture_frame, today,
};
pub(crate) use options::{Geometry, check_options, save_atomically};
pub use slides::{Slide, Written, numbered, save_images, slides};

use crate::model::Journey;
use bands::{StageTimes, render_bands_then};
use encode::BandEncoder;
use raster::Pixmap;

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
    let journey = &*options.shown(journey);
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
/// summed over the threads.
pub fn timed_png(
    journey: &Journey,
    options: &ExportOptions,
    threads: Option<usize>,
    out: impl Write + Send,
) -> Result<PngTimings, ExportError> {
    let journey = &*options.shown(journey);
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
    let (width, height) = geometry.pixel_size(options)?;
    let mut encoder = BandEncoder::new(out, width, height).map_err(io_err)?;
    let compressor = encoder.compressor();
    let mut done = 0u32;
    // Each thread compresses the bands it draws, while they are still in
    // its cache; only the writing is in order.
    let background = options.background.color(&geometry.theme);
    let opaque = background.is_some_and(|color| color.is_opaque());
    let prepare = || {
        let mut straight = Vec::new();
        move |band: Pixmap| {
            let rows = png_rows(&band, opaque, &mut straight);
            let compressed = compressor.compress(rows).map_err(io_err)?;
            Ok(((compressed, band.height), Some(band)))
        }
    };
    let sink = |(compressed, rows)| {
        encoder.write_band(compressed).map_err(io_err)?;
        done += rows;
        match progress(done as f32 / height as f32) {
            ControlFlow::Continue(()) => Ok(None),
            ControlFlow::Break(()) => Err(ExportError::Stopped),
        }
    };
    let size = (width, height);
    let mut times = render_bands_then(journey, geometry, options, size, threads, prepare, sink)?;
    let finishing = Instant::now();
    encoder.finish().map_err(io_err)?;
    times.encoding += finishing.elapsed();
    Ok(PngTimings {
        size,
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
    let journey = &*options.shown(journey);
    let geometry = Geometry::new(journey, options);
    save_png_of(journey, &geometry, options, path, progress)
}

/// [`save_png_with_progress`] with the geometry worked out.
pub(crate) fn save_png_of(
    journey: &Journey,
    geometry: &Geometry,
    options: &ExportOptions,
    path: &Path,
    progress: impl FnMut(f32) -> ControlFlow<()> + Send,
) -> Result<(u32, u32), ExportError> {
    // Check the size first so a refused export leaves no trace on disk.
    geometry.pixel_size(options)?;
    let threads = export_threads();
    save_atomically(path, |file| {
        let timings = encode(journey, geometry, options, threads, file, progress)?;
        Ok(timings.size)
    })
}

/// Renders the whole map into one pixmap (premultiplied RGBA); for tests and
/// small images.
pub fn render(journey: &Journey, options: &ExportOptions) -> Result<Pixmap, ExportError> {
    let journey = &*options.shown(journey);
    let geometry = Geometry::new(journey, options);
    let (width, height) = geometry.pixel_size(options)?;
    let mut image = Pixmap::new(width, height);
    let mut at = 0;
    let target = image.data_mut();
    render_bands(journey, &geometry, options, export_threads(), |band| {
        let bytes = band.data();
        if let Some(target) = target.get_mut(at..at + bytes.len()) {
            target.copy_from_slice(bytes);
        }
        at += bytes.len();
        Ok(Some(band))
    })?;
    Ok(image)
}

/// Renders the map band after band, top to bottom (premultiplied RGBA, as
/// wide as the image), drawn on one thread besides this one, handing each
/// band to `sink`; an error from `sink` stops the export. Returns the image
/// size. This is the whole export minus the encoding, for custom sinks and
/// for measuring rasterization alone.
pub fn for_each_band(
    journey: &Journey,
    options: &ExportOptions,
    mut sink: impl FnMut(&Pixmap) -> Result<(), ExportError> + Send,
) -> Result<(u32, u32), ExportError> {
    let journey = &*options.shown(journey);
    let geometry = Geometry::new(journey, options);
    let size = geometry.pixel_size(options)?;
    render_bands(journey, &geometry, options, 1, |band| {
        sink(&band)?;
        Ok(Some(band))
    })?;
    Ok(size)
}

/// The rows of `band` as the PNG encoder takes them. Over an opaque
/// background every pixel stays opaque (blending over alpha 255 gives 255):
/// the band's own bytes are straight alpha. Else they are unmultiplied into
/// `straight`.
fn png_rows<'a>(band: &'a Pixmap, opaque: bool, straight: &'a mut Vec<u8>) -> &'a [u8] {
    if opaque {
        band.data()
    } else {
        band.unmultiply_into(straight);
        straight
    }
}

/// How many threads draw and encode an export: one per core, at most four
/// (each thread keeps a band in memory).
fn export_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
}

/// Renders the map in bands on `threads` threads and hands them to `sink`
/// in order, top to bottom; `sink` may hand a band back to be drawn into
/// again.
fn render_bands(
    journey: &Journey,
    geometry: &Geometry,
    options: &ExportOptions,
    threads: usize,
    sink: impl FnMut(Pixmap) -> Result<Option<Pixmap>, ExportError> + Send,
) -> Result<StageTimes, ExportError> {
    let size = geometry.pixel_size(options)?;
    let as_drawn = || |band| Ok((band, None));
    render_bands_then(journey, geometry, options, size, threads, as_drawn, sink)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::templates::generated;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Every band of a wide map drawn on `threads` threads, as the sink saw
    /// them, in order.
    fn bands_on(threads: usize, journey: &Journey, options: &ExportOptions) -> Vec<Vec<u8>> {
        let geometry = Geometry::new(journey, options);
        let mut bands = Vec::new();
        render_bands(journey, &geometry, options, threads, |band| {
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
        let mut calls = 0;
        let failed = render_bands(&journey, &geometry, &options, 3, |_| {
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
        let panicked = render_bands(&journey, &geometry, &options, 3, |_| {
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
        let (journey, options) = several_bands();
        let calls = AtomicUsize::new(0);
        let stopped = save_png_with_progress(&journey, &options, &path, |_| {
            calls.fetch_add(1, Ordering::Relaxed);
            ControlFlow::Break(())
        });
        assert!(matches!(stopped, Err(ExportError::Stopped)), "{stopped:?}");
        let calls = calls.load(Ordering::Relaxed);
        assert_eq!(calls, 1, "no band is written after the stop");
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
        let size = geometry.pixel_size(&options).unwrap();
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
        // The failure stops the others at their next band: each thread
        // fails at most one band more.
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
                fdeflate::decompress_to_vec(&encode::tests::idat_payloads(&png).concat()).unwrap();
                let decoded = image::load_from_memory(&png).unwrap().into_rgba8();
                assert!(
                    decoded.as_raw() == &expected,
                    "{threads} threads, {background:?}"
                );
            }
        }
    }
}
