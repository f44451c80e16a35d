//! Renders an export in horizontal bands on every core, handing the bands
//! to a sink in order, top to bottom. The scene is built a slab of rows at
//! a time (shapes, text, tessellation, triangles sorted into bands) on this
//! thread, while worker threads draw the last slab's bands and `prepare` each
//! (compress it, while it is in their cache) and a writer thread hands them
//! to the sink in order. Memory stays bounded: a slab is built only once the
//! last one's bands are nearly all taken (so two are in memory, rarely
//! three), with a band per worker and the prepared bands waiting for the sink.

use std::collections::BTreeMap;
use std::ops::Range;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel, sync_channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use egui::{Color32, Pos2, Rect};

use crate::export::raster::{Bins, Pixmap, TextureStore, rasterize_bin};
use crate::export::{ExportError, ExportOptions, Geometry, Headless, format_date};
use crate::model::Journey;
use crate::view::scene;

/// Bytes of pixels rendered at a time: a band is as many rows as fit, and
/// at least [`MIN_BAND_ROWS`]; the smaller the band, the more of it is still
/// in the cache when it is compressed.
const BAND_BYTES: u64 = 8 * 1024 * 1024;
/// Below this many rows, setting up again each shape a band crosses costs
/// more than the cache saves.
const MIN_BAND_ROWS: u64 = 12;
/// Rows of output whose scene is built at once (bands share it), rounded
/// up to whole bands.
const SLAB_ROWS: u32 = 256;

/// Time spent in each stage of an export, summed over its threads.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct StageTimes {
    /// Building slabs' scenes and tessellating them.
    pub(crate) scene: Duration,
    /// Sorting slabs' triangles into bands, and drawing bands.
    pub(crate) rasterization: Duration,
    /// Preparing bands for the sink, and in the sink (encoding).
    pub(crate) encoding: Duration,
}

/// A band drawn and prepared (with what may be drawn into again, and the
/// time each took), or why not.
type Prepared<T> = Result<(T, Option<Pixmap>, Duration, Duration), ExportError>;

/// Renders the map in bands on `threads` threads; each band is first handed
/// to a `prepare` on the thread that drew it (each thread makes its own with
/// `prepare`), and what that returns goes to `sink` in order, on this
/// thread. A band handed back by either is drawn into again. An error from
/// either, or a panic anywhere, stops the export.
pub(crate) fn render_bands_then<T, M, P, S>(
    journey: &Journey,
    geometry: &Geometry,
    options: &ExportOptions,
    (width, height): (u32, u32),
    threads: usize,
    prepare: M,
    mut sink: S,
) -> Result<StageTimes, ExportError>
where
    T: Send,
    M: Fn() -> P + Sync,
    P: FnMut(Pixmap) -> Result<(T, Option<Pixmap>), ExportError>,
    S: FnMut(T) -> Result<Option<Pixmap>, ExportError> + Send,
{
    let mut headless = Headless::new(geometry.scale);
    headless.add_photos(&journey.personas);
    let band_rows = (BAND_BYTES / (u64::from(width) * 4)).clamp(MIN_BAND_ROWS, 512) as u32;
    let mut slabs = SlabBuilder {
        journey,
        geometry,
        date: options.date.map(format_date),
        headless,
        scale: geometry.scale,
        size: (width, height),
        band_rows,
        slab_rows: band_rows.saturating_mul(SLAB_ROWS.div_ceil(band_rows)),
        top: 0,
        times: StageTimes::default(),
    };
    let canvas = BandCanvas::new(geometry, options, width);
    let threads = threads.max(1);
    let stop = AtomicBool::new(false);
    // Bands given back, to draw into again: fresh memory costs page faults.
    let spare = Mutex::new(Vec::new());
    // Room for a few bands: the next slab is built only once this one is
    // nearly all taken, so at most two are in memory.
    let (jobs, queue) = sync_channel::<(Arc<Slab>, usize, usize)>(threads);
    let queue = Mutex::new(queue);
    let (done, finished) = channel();
    let (queued, written) = std::thread::scope(|scope| {
        for _ in 0..threads {
            let done = done.clone();
            let (queue, stop, canvas, spare, prepare) = (&queue, &stop, &canvas, &spare, &prepare);
            scope.spawn(move || {
                let mut prepare = prepare();
                loop {
                    // (Not `while let`: its guard would hold the queue
                    // through the whole band.)
                    let job = lock(queue).recv();
                    let Ok((slab, bin, seq)) = job else { break };
                    // After a failure the queue is only emptied, so that
                    // the thread queueing never waits for nothing.
                    if stop.load(Ordering::Relaxed) {
                        continue;
                    }
                    let band = lock(spare).pop();
                    let drawn = catch_unwind(AssertUnwindSafe(|| {
                        draw_and_prepare(canvas, &slab, bin, band, &mut prepare)
                    }));
                    // Dropping the last band of a slab frees its scene.
                    drop(slab);
                    let drawn = drawn.unwrap_or_else(|_| Err(stopped_unexpectedly()));
                    // A failure stops the other threads at their next band.
                    let failed = drawn.is_err();
                    let unread = done.send((seq, drawn)).is_err();
                    stop.fetch_or(failed || unread, Ordering::Relaxed);
                }
            });
        }
        drop(done);
        let (spare_ref, stop_ref) = (&spare, &stop);
        let writer = scope.spawn(move || write_in_order(finished, &mut sink, spare_ref, stop_ref));
        let queued = catch_unwind(AssertUnwindSafe(|| {
            let mut queued = 0;
            while let Some(slab) = slabs.next_slab() {
                let slab = Arc::new(slab);
                for bin in 0..slab.bins.len() {
                    let job = (Arc::clone(&slab), bin, queued);
                    if stop.load(Ordering::Relaxed) || jobs.send(job).is_err() {
                        return queued;
                    }
                    queued += 1;
                }
            }
            queued
        }));
        stop.fetch_or(queued.is_err(), Ordering::Relaxed);
        // The workers leave once the queue is empty.
        drop(jobs);
        let written = writer
            .join()
            .unwrap_or_else(|_| Err(stopped_unexpectedly()));
        (queued.map_err(|_| stopped_unexpectedly()), written)
    });
    let (written, mut times) = written?;
    if queued? != written {
        return Err(stopped_unexpectedly());
    }
    times.scene += slabs.times.scene;
    times.rasterization += slabs.times.rasterization;
    Ok(times)
}

/// Draws bin `bin` of `slab` (into `band`, if one is spare) and prepares it.
fn draw_and_prepare<T>(
    canvas: &BandCanvas,
    slab: &Slab,
    bin: usize,
    band: Option<Pixmap>,
    prepare: &mut impl FnMut(Pixmap) -> Result<(T, Option<Pixmap>), ExportError>,
) -> Prepared<T> {
    let started = Instant::now();
    let band = canvas.draw(slab, bin, band);
    let drawn = Instant::now();
    let (prepared, back) = prepare(band)?;
    Ok((prepared, back, drawn - started, drawn.elapsed()))
}

/// Hands the prepared bands, as they arrive from `finished`, to `sink` in
/// order, until the workers are done; on an error, `stop` is set. The
/// number of bands written, and the time drawing, preparing and writing.
fn write_in_order<T>(
    finished: Receiver<(usize, Prepared<T>)>,
    sink: &mut impl FnMut(T) -> Result<Option<Pixmap>, ExportError>,
    spare: &Mutex<Vec<Pixmap>>,
    stop: &AtomicBool,
) -> Result<(usize, StageTimes), ExportError> {
    let mut times = StageTimes::default();
    let mut waiting = BTreeMap::new();
    let mut next = 0;
    let mut write = |seq, prepared: Prepared<T>| {
        let (prepared, back, drawing, preparing) = prepared?;
        times.rasterization += drawing;
        times.encoding += preparing;
        lock(spare).extend(back);
        waiting.insert(seq, prepared);
        while let Some(prepared) = waiting.remove(&next) {
            let started = Instant::now();
            let back = catch_unwind(AssertUnwindSafe(|| sink(prepared)))
                .unwrap_or_else(|_| Err(stopped_unexpectedly()))?;
            lock(spare).extend(back);
            times.encoding += started.elapsed();
            next += 1;
        }
        Ok(())
    };
    for (seq, prepared) in finished {
        if let Err(err) = write(seq, prepared) {
            stop.store(true, Ordering::Relaxed);
            return Err(err);
        }
    }
    Ok((next, times))
}

/// An error for a panic in the export's threads.
fn stopped_unexpectedly() -> ExportError {
    ExportError::Io {
        path: None,
        source: std::io::Error::other("the export's renderer stopped unexpectedly"),
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A slab's scene, drawn from by every thread.
struct Slab {
    primitives: Vec<egui::ClippedPrimitive>,
    bins: Bins,
    textures: TextureStore,
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
    /// Building the scenes so far, and sorting their triangles into bands.
    times: StageTimes,
}

impl SlabBuilder<'_> {
    /// The next slab, if any.
    fn next_slab(&mut self) -> Option<Slab> {
        let started = Instant::now();
        let (width, height) = self.size;
        let (top, scale) = (self.top, self.scale);
        if top >= height {
            return None;
        }
        // The first slab is one band, so that the workers start soon.
        let rows = if top == 0 {
            self.band_rows
        } else {
            self.slab_rows
        };
        let end = top.saturating_add(rows).min(height);
        // The slab in output points (pixels are points * scale).
        let slab_points = Rect::from_min_max(
            Pos2::new(0.0, top as f32 / scale),
            Pos2::new(width as f32 / scale, end as f32 / scale),
        )
        .expand(2.0);
        let Geometry {
            theme,
            layout,
            frame,
            diff,
            ..
        } = self.geometry;
        let diff = diff.as_ref();
        let (journey, date) = (self.journey, self.date.as_deref());
        let shapes = self.headless.shapes(scale, |fonts| {
            let at = (slab_points, date);
            scene::build_export_with(journey, layout, frame, theme, fonts, at, diff)
        });
        let primitives = self.headless.tessellate(shapes, scale);
        let binning = Instant::now();
        let bins = Bins::new(&primitives, scale, top..end, self.band_rows);
        // Sorting triangles into bands is the rasterizer's work.
        self.times.rasterization += binning.elapsed();
        self.times.scene += binning - started;
        self.top = end;
        let textures = self.headless.textures.clone();
        Some(Slab {
            primitives,
            bins,
            textures,
        })
    }
}

/// What every band is drawn with.
struct BandCanvas {
    width: u32,
    scale: f32,
    background: Color32,
    /// Columns and rows (of the image) under the map's opaque paper, which
    /// the scene paints first: filling the background there would only be
    /// painted over.
    paper: Option<(Range<u32>, Range<u32>)>,
}

impl BandCanvas {
    fn new(geometry: &Geometry, options: &ExportOptions, width: u32) -> Self {
        let Geometry {
            theme,
            layout,
            frame,
            scale,
            ..
        } = geometry;
        let scale = *scale;
        let background = options.background.color(theme);
        // Two pixels of slack keep the paper's feathered edges blending
        // over the real background.
        let paper = theme.background.is_opaque().then(|| {
            let map = Rect::from_min_size(frame.map_offset.to_pos2(), layout.size) * scale;
            let px = |v: f32| v.clamp(0.0, u32::MAX as f32) as u32;
            (
                px(map.min.x.ceil() + 2.0)..px(map.max.x.floor() - 2.0),
                px(map.min.y.ceil() + 2.0)..px(map.max.y.floor() - 2.0),
            )
        });
        Self {
            width,
            scale,
            background: background.unwrap_or(Color32::TRANSPARENT),
            paper,
        }
    }

    fn draw(&self, slab: &Slab, bin: usize, spare: Option<Pixmap>) -> Pixmap {
        let rows = slab.bins.band(bin);
        let height = rows.end.saturating_sub(rows.start);
        let mut band = spare.map_or_else(
            || Pixmap::new(self.width, height),
            |mut band| {
                band.reshape(self.width, height);
                band
            },
        );
        match &self.paper {
            Some((columns, paper)) => {
                let top = rows.start;
                let paper = paper.start.saturating_sub(top)..paper.end.saturating_sub(top);
                band.fill_around(self.background, columns.clone(), paper);
            }
            None => band.fill(self.background),
        }
        let (primitives, bins, textures) = (&slab.primitives, &slab.bins, &slab.textures);
        rasterize_bin(primitives, bins, bin, textures, self.scale, &mut band);
        band
    }
}
