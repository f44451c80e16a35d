//! A streaming PNG encoder for images rendered in horizontal bands.
//!
//! The `png` crate's `StreamWriter` with `Compression::Fast` spends more
//! time choosing a filter per row (it tries all five, Paeth dearest) and
//! moving bytes through its chunk buffering than compressing. Here each row
//! gets Sub or Up, chosen from a sample of the row, and is filtered and
//! compressed in one pass by the crate's own `deflate` module, which skips
//! the runs of zeros most rows are, into IDAT-sized payloads; the `png`
//! crate still writes the container (signature, IHDR, chunk framing and
//! CRCs, IEND).
//!
//! Each band is compressed apart, into a piece of the zlib stream that
//! starts afresh (its first row filtered by Sub, its codes its own) and ends
//! on a whole byte, so that an export's threads compress the bands they
//! drew, at once and side by side, and only the writing is in order.

use std::fmt;
use std::io::{self, Write};
use std::sync::{Arc, Mutex, PoisonError};

use crate::export::deflate::{Checksum, Deflater, ZlibStream};

/// Bytes per pixel: RGBA, 8 bits a channel.
const BPP: usize = 4;

/// Largest IDAT payload: a band's compressed bytes are cut into chunks of
/// at most this size, so that a reader's chunk buffer stays small. Big
/// enough that the 12 bytes of chunk framing and the four writes per chunk
/// cost nothing.
const IDAT_LEN: usize = 512 * 1024;

/// The filter choice compares Sub and Up on blocks of this many bytes...
const BLOCK: usize = 256;
/// ...at least this many of them a row (or all of a shorter row)...
const MIN_SAMPLED_BLOCKS: usize = 32;
/// ...and at least one in this many. Sampling one block in 16 chose as well
/// as reading every byte on the benchmark map (the file was 0.1% smaller),
/// and the full estimate cost a fifth of the encoding time; one in 32 chose
/// as well again (files within 0.1%), for half the sampling.
const MAX_SAMPLE_STEP: usize = 32;

/// PNG filter types (PNG spec, section 9.2).
const SUB: u8 = 1;
const UP: u8 = 2;

/// Streams an 8-bit RGBA PNG, a band of rows at a time.
///
/// A band is filtered and compressed by a [`BandCompressor`] (on any thread:
/// a band's compressed data refers to nothing outside it, and its first
/// row is filtered by Sub, which needs no row above) and written in order by
/// [`Self::write_band`]; [`Self::write_rows`] does both.
///
/// All errors are [`io::Error`]s: the writer's own, `InvalidInput` for a
/// misuse (a size PNG can't hold, partial rows, more or fewer rows than the
/// height). After a write error every later call fails too. Dropping the
/// encoder before [`Self::finish`] leaves a truncated file (the `png` crate
/// still ends it with IEND).
pub struct BandEncoder<W: Write> {
    compressor: BandCompressor,
    zlib: ZlibStream,
    png: png::Writer<Shared<W>>,
    /// The caller's writer, shared with `png`: `png::Writer::finish`
    /// consumes its writer, and [`Self::finish`] hands this one back.
    out: Arc<Mutex<W>>,
    height: u32,
    rows_left: u32,
    failed: bool,
}

impl<W: Write> BandEncoder<W> {
    /// Writes the PNG signature and header (RGBA 8-bit) for a `width` x
    /// `height` image.
    pub fn new(out: W, width: u32, height: u32) -> io::Result<Self> {
        let compressor = BandCompressor::new(width)?;
        let out = Arc::new(Mutex::new(out));
        let mut encoder = png::Encoder::new(Shared(Arc::clone(&out)), width, height);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut png = encoder.write_header().map_err(encoding_error)?;
        // The image data is the IDAT chunks' payloads joined, so each band
        // can be a chunk of its own, written without copying: the zlib
        // header is a chunk too.
        png.write_chunk(png::chunk::IDAT, &ZlibStream::HEADER)
            .map_err(encoding_error)?;
        Ok(Self {
            compressor,
            zlib: ZlibStream::new(),
            png,
            out,
            height,
            rows_left: height,
            failed: false,
        })
    }

    /// What compresses this image's bands, for other threads.
    pub fn compressor(&self) -> BandCompressor {
        self.compressor
    }

    /// Appends whole rows: straight-alpha RGBA, `rows.len()` a multiple of
    /// `width * 4`, compressed as one band (on this thread). Partial rows or
    /// more rows than the height are an `InvalidInput` error, and then
    /// nothing of `rows` is written. Each call is a band of its own, which
    /// starts afresh (its first row filtered by Sub, new codes) and costs
    /// about a hundred bytes of codes and framing: hand over many rows at a
    /// time.
    pub fn write_rows(&mut self, rows: &[u8]) -> io::Result<()> {
        self.check_not_failed()?;
        let band = self.compressor.compress(rows)?;
        self.write_band(band)
    }

    /// Appends a band compressed by this encoder's [`Self::compressor`]. More
    /// rows than the height are an `InvalidInput` error, and then nothing of
    /// `band` is written.
    pub fn write_band(&mut self, band: CompressedBand) -> io::Result<()> {
        self.check_not_failed()?;
        let CompressedBand {
            bytes,
            checksum,
            rows,
            row_len,
        } = band;
        if row_len != self.compressor.row_len {
            return Err(invalid(format!(
                "a band of {row_len}-byte rows does not fit an image of {}-byte rows",
                self.compressor.row_len
            )));
        }
        let Some(rows_left) = self.rows_left.checked_sub(rows) else {
            return Err(invalid(format!(
                "{rows} more rows would overflow the image's {} ({} written)",
                self.height,
                self.height - self.rows_left
            )));
        };
        // Until the chunks are written: an error leaves the stream cut short.
        self.failed = true;
        self.zlib.append(checksum);
        for chunk in bytes.chunks(IDAT_LEN) {
            self.png
                .write_chunk(png::chunk::IDAT, chunk)
                .map_err(encoding_error)?;
        }
        self.rows_left = rows_left;
        self.failed = false;
        Ok(())
    }

    /// Checks all rows were written (else `InvalidInput`), finishes the zlib
    /// stream, writes IEND, flushes and returns the writer.
    pub fn finish(self) -> io::Result<W> {
        self.check_not_failed()?;
        if self.rows_left > 0 {
            return Err(invalid(format!(
                "only {} of the image's {} rows were written",
                self.height - self.rows_left,
                self.height
            )));
        }
        let Self {
            zlib, mut png, out, ..
        } = self;
        png.write_chunk(png::chunk::IDAT, &zlib.end())
            .map_err(encoding_error)?;
        // Writes IEND, flushes, and drops `png`'s share of `out`.
        png.finish().map_err(encoding_error)?;
        let out = Arc::try_unwrap(out)
            .map_err(|_| io::Error::other("the PNG writer still holds the output"))?;
        Ok(out.into_inner().unwrap_or_else(PoisonError::into_inner))
    }

    fn check_not_failed(&self) -> io::Result<()> {
        if self.failed {
            Err(io::Error::other("an earlier write of this PNG failed"))
        } else {
            Ok(())
        }
    }
}

/// Filters and compresses bands of one image's rows, on any thread, for
/// its [`BandEncoder::write_band`].
#[derive(Clone, Copy, Debug)]
pub struct BandCompressor {
    row_len: usize,
    /// Sub and Up are compared on one [`BLOCK`] in this many.
    sample_step: usize,
}

impl BandCompressor {
    /// For rows `width` pixels wide.
    fn new(width: u32) -> io::Result<Self> {
        let row_len = usize::try_from(width)
            .ok()
            .and_then(|width| width.checked_mul(BPP))
            .ok_or_else(|| invalid(format!("a PNG {width} pixels wide does not fit in memory")))?;
        Ok(Self {
            row_len,
            sample_step: (row_len / BLOCK / MIN_SAMPLED_BLOCKS).clamp(1, MAX_SAMPLE_STEP),
        })
    }

    /// Filters and compresses whole rows: straight-alpha RGBA, `rows.len()`
    /// a multiple of the row length, else an `InvalidInput` error.
    pub fn compress(&self, rows: &[u8]) -> io::Result<CompressedBand> {
        if !rows.len().is_multiple_of(self.row_len) {
            return Err(invalid(format!(
                "{} bytes is not a whole number of {}-byte rows",
                rows.len(),
                self.row_len
            )));
        }
        let count = u32::try_from(rows.len() / self.row_len)
            .map_err(|_| invalid(format!("{} bytes of rows is too many", rows.len())))?;
        let mut deflate = Deflater::new();
        let mut prior: Option<&[u8]> = None;
        for row in rows.chunks_exact(self.row_len) {
            // The band's first row has no row above: Sub.
            let kind = prior.map_or(SUB, |prior| filter_for(row, prior, self.sample_step));
            deflate.push(&[kind]);
            match prior.filter(|_| kind == UP) {
                Some(prior) => deflate.push_difference(row, prior),
                None => {
                    let (first, rest) = row.split_at(BPP.min(row.len()));
                    deflate.push(first);
                    // Each byte less the one a pixel to its left.
                    deflate.push_difference(rest, row);
                }
            }
            prior = Some(row);
        }
        let (bytes, checksum) = deflate.finish();
        Ok(CompressedBand {
            bytes,
            checksum,
            rows: count,
            row_len: self.row_len,
        })
    }
}

/// A band of rows filtered and compressed: a piece of a PNG's zlib stream,
/// to be written in its place by [`BandEncoder::write_band`].
pub struct CompressedBand {
    bytes: Vec<u8>,
    checksum: Checksum,
    rows: u32,
    row_len: usize,
}

impl fmt::Debug for CompressedBand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CompressedBand")
            .field("bytes", &self.bytes.len())
            .field("rows", &self.rows)
            .finish_non_exhaustive()
    }
}

/// The caller's writer, as the `png` writer sees it.
struct Shared<W>(Arc<Mutex<W>>);

impl<W: Write> Write for Shared<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .write(data)
    }

    fn write_all(&mut self, data: &[u8]) -> io::Result<()> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .write_all(data)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .flush()
    }
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message)
}

/// Keeps the writer's own error (and its kind); the rest are about the image.
fn encoding_error(err: png::EncodingError) -> io::Error {
    match err {
        png::EncodingError::IoError(err) => err,
        other => invalid(other.to_string()),
    }
}

/// The filter for `row`: Up or Sub, whichever has the smaller sum of
/// |filtered byte| on a sample of the row. Avg and Paeth were measured too:
/// with them the file was 5% smaller and encoding twice as slow (runs of
/// zeros, which Sub and Up give flat colour and repeated rows, are what
/// compresses to almost nothing).
fn filter_for(row: &[u8], prior: &[u8], sample_step: usize) -> u8 {
    let (sub_cost, up_cost) = sub_up_costs(row, prior, sample_step);
    // Up on a tie: for a row equal to the one above, it is zeros throughout.
    if up_cost <= sub_cost { UP } else { SUB }
}

/// The sums of |filtered byte| (bytes read as signed) for Sub and for Up on
/// one [`BLOCK`] in `step`, without writing either: the usual estimate of
/// how well a row compresses, and a fair one for Huffman codes, which grow
/// longer the rarer a byte, and bytes far from zero are rare. The first
/// pixel is left out of both.
fn sub_up_costs(row: &[u8], prior: &[u8], step: usize) -> (u64, u64) {
    let right = row.get(BPP..).unwrap_or_default();
    let above = prior.get(BPP..).unwrap_or_default();
    let (mut sub, mut up) = (0, 0);
    for ((right, left), above) in (right.chunks(BLOCK))
        .zip(row.chunks(BLOCK))
        .zip(above.chunks(BLOCK))
        .step_by(step)
    {
        // u16 lanes vectorize well, and 256 bytes of at most 128 fit them.
        let (mut s, mut u) = (0u16, 0u16);
        for ((&x, &left), &above) in right.iter().zip(left).zip(above) {
            // |d| with d read as signed is the smaller of d and -d: that
            // vectorizes to one unsigned minimum.
            let (d, e) = (x.wrapping_sub(left), x.wrapping_sub(above));
            s += u16::from(d.min(d.wrapping_neg()));
            u += u16::from(e.min(e.wrapping_neg()));
        }
        sub += u64::from(s);
        up += u64::from(u);
    }
    (sub, up)
}

/// The IDAT chunks' payloads of a PNG, in order (for tests).
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
pub(crate) fn idat_payloads(png: &[u8]) -> Vec<&[u8]> {
    let mut chunks = Vec::new();
    let mut rest = &png[8..];
    while rest.len() >= 12 {
        let len = u32::from_be_bytes(rest[..4].try_into().unwrap()) as usize;
        if &rest[4..8] == b"IDAT" {
            chunks.push(&rest[8..8 + len]);
        }
        rest = &rest[12 + len..];
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small xorshift generator: deterministic noise without a dependency.
    fn noise(seed: u64, len: usize) -> Vec<u8> {
        let mut state = seed | 1;
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 32) as u8
            })
            .collect()
    }

    /// Encodes `pixels` handing over `batches` rows at a time, cycling.
    fn encode_batches(width: u32, height: u32, pixels: &[u8], batches: &[usize]) -> Vec<u8> {
        let row_len = width as usize * 4;
        let mut encoder = BandEncoder::new(Vec::new(), width, height).unwrap();
        let mut rest = pixels;
        for &rows in batches.iter().cycle() {
            if rest.is_empty() {
                break;
            }
            let (band, tail) = rest.split_at(rows.saturating_mul(row_len).min(rest.len()));
            encoder.write_rows(band).unwrap();
            rest = tail;
        }
        encoder.finish().unwrap()
    }

    /// The image in a PNG, its zlib stream checked as a whole first (the
    /// `png` crate ignores the Adler-32 checksum; `fdeflate` does not).
    fn decode(png: &[u8]) -> (u32, u32, Vec<u8>) {
        let zlib: Vec<u8> = idat_payloads(png).concat();
        fdeflate::decompress_to_vec(&zlib).expect("a valid zlib stream, checksum included");
        let mut reader = png::Decoder::new(std::io::Cursor::new(png))
            .read_info()
            .unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut pixels).unwrap();
        assert_eq!(info.color_type, png::ColorType::Rgba);
        assert_eq!(info.bit_depth, png::BitDepth::Eight);
        pixels.truncate(info.buffer_size());
        (info.width, info.height, pixels)
    }

    fn round_trip(width: u32, height: u32, pixels: &[u8]) {
        for batches in [&[usize::MAX][..], &[1], &[3, 1, 7, 2]] {
            let png = encode_batches(width, height, pixels, batches);
            let (w, h, decoded) = decode(&png);
            assert_eq!((w, h), (width, height));
            assert!(
                decoded == pixels,
                "{width}x{height} in batches of {batches:?}"
            );
        }
    }

    fn gradient(width: u32, height: u32) -> Vec<u8> {
        let mut pixels = Vec::new();
        for y in 0..height {
            for x in 0..width {
                pixels.extend_from_slice(&[(x * 3) as u8, (y * 5) as u8, (x + y) as u8, 200]);
            }
        }
        pixels
    }

    /// Flat, noisy, gradient and repeated stretches, so rows take both filters.
    fn mixed(width: u32, height: u32) -> Vec<u8> {
        let row_len = width as usize * 4;
        let mut pixels = gradient(width, height);
        let h = height as usize;
        let noisy = noise(5, row_len * (h / 3));
        pixels[row_len * (h / 4)..][..noisy.len()].copy_from_slice(&noisy);
        let repeated = pixels[row_len * (h * 2 / 3)..][..row_len].to_vec();
        for row in pixels[row_len * (h * 2 / 3)..row_len * (h * 5 / 6)].chunks_exact_mut(row_len) {
            row.copy_from_slice(&repeated);
        }
        for row in pixels[row_len * (h * 5 / 6)..].chunks_exact_mut(row_len) {
            row[..row_len / 2].fill(0xEE);
        }
        pixels
    }

    #[test]
    fn round_trips_noise() {
        round_trip(37, 23, &noise(7, 37 * 23 * 4));
    }

    #[test]
    fn round_trips_flat_colour() {
        round_trip(40, 30, &[12, 200, 99, 255].repeat(40 * 30));
    }

    #[test]
    fn round_trips_repeated_rows() {
        round_trip(25, 19, &noise(3, 25 * 4).repeat(19));
    }

    #[test]
    fn round_trips_gradients() {
        round_trip(300, 70, &gradient(300, 70));
    }

    #[test]
    fn round_trips_thin_images() {
        round_trip(1, 1, &[1, 2, 3, 4]);
        round_trip(1, 57, &noise(11, 57 * 4));
        round_trip(61, 1, &noise(13, 61 * 4));
        round_trip(
            2,
            2,
            &[0, 0, 0, 0, 255, 255, 255, 255, 7, 7, 7, 7, 0, 0, 0, 1],
        );
    }

    #[test]
    fn round_trips_a_mix() {
        round_trip(90, 60, &mixed(90, 60));
    }

    mod pictures {
        use super::{decode, encode_batches};
        use proptest::prelude::*;

        proptest! {
            /// Any picture made of a few colours (runs, repeats and changes
            /// row to row), handed over in any batches, decodes to itself.
            #[test]
            fn any_picture_round_trips(
                (width, height, pixels) in (1u32..80, 1u32..24).prop_flat_map(|(w, h)| {
                    let colours = prop_oneof![
                        Just([255u8, 255, 255, 255]),
                        Just([240, 242, 245, 255]),
                        any::<[u8; 4]>(),
                    ];
                    (Just(w), Just(h), prop::collection::vec(colours, (w * h) as usize))
                }),
                batches in prop::collection::vec(1usize..6, 1..4),
            ) {
                let pixels: Vec<u8> = pixels.concat();
                let png = encode_batches(width, height, &pixels, &batches);
                let (w, h, decoded) = decode(&png);
                prop_assert_eq!((w, h), (width, height));
                prop_assert!(decoded == pixels);
            }
        }
    }

    #[test]
    fn round_trips_wide_rows_that_are_sampled() {
        // 4,500 px is 18,000 bytes a row: Sub and Up compared on every other block.
        let (width, height) = (4500, 12);
        assert_eq!(
            BandEncoder::new(Vec::new(), width, height)
                .unwrap()
                .compressor()
                .sample_step,
            2
        );
        round_trip(width, height, &mixed(width, height));
    }

    #[test]
    fn round_trips_across_several_idat_chunks() {
        // A band of noise compresses to more than one chunk's worth, and is
        // cut into full chunks and a rest.
        let (width, height) = (1000, 300);
        let pixels = noise(3, width as usize * height as usize * 4);
        let png = encode_batches(width, height, &pixels, &[usize::MAX]);
        let sizes: Vec<usize> = idat_payloads(&png).iter().map(|c| c.len()).collect();
        // The zlib header, three chunks of the band, the stream's end.
        assert_eq!(sizes.len(), 5, "{sizes:?}");
        assert_eq!(sizes[..3], [2, IDAT_LEN, IDAT_LEN]);
        assert!(decode(&png).2 == pixels);
    }

    #[test]
    fn too_many_rows_is_an_error() {
        let mut encoder = BandEncoder::new(Vec::new(), 2, 3).unwrap();
        encoder.write_rows(&[0; 2 * 4 * 2]).unwrap();
        let err = encoder.write_rows(&[0; 2 * 4 * 2]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        assert!(
            err.to_string()
                .contains("overflow the image's 3 (2 written)"),
            "{err}"
        );
        // Nothing was written, so the last row still fits.
        encoder.write_rows(&[9; 2 * 4]).unwrap();
        assert_eq!(
            encoder.write_rows(&[0; 2 * 4]).unwrap_err().kind(),
            io::ErrorKind::InvalidInput
        );
        let png = encoder.finish().unwrap();
        assert_eq!(decode(&png).2, [&[0; 16][..], &[9; 8]].concat());
    }

    #[test]
    fn partial_rows_are_an_error() {
        let mut encoder = BandEncoder::new(Vec::new(), 2, 3).unwrap();
        let err = encoder.write_rows(&[0; 12]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    }

    #[test]
    fn finishing_early_is_an_error() {
        let mut encoder = BandEncoder::new(Vec::new(), 2, 3).unwrap();
        encoder.write_rows(&[0; 2 * 4 * 2]).unwrap();
        let err = encoder.finish().err().unwrap();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        assert!(
            err.to_string().contains("only 2 of the image's 3 rows"),
            "{err}"
        );
    }

    #[test]
    fn a_zero_size_is_an_error() {
        for (width, height) in [(0, 5), (5, 0)] {
            let err = BandEncoder::new(Vec::new(), width, height).err().unwrap();
            assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        }
    }

    /// Takes `room` bytes, then fails.
    struct Full {
        room: usize,
    }

    impl Write for Full {
        fn write(&mut self, data: &[u8]) -> io::Result<usize> {
            if self.room == 0 {
                return Err(io::Error::new(io::ErrorKind::StorageFull, "full"));
            }
            let n = data.len().min(self.room);
            self.room -= n;
            Ok(n)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_failing_writer_gives_its_error_and_no_panic() {
        let (width, height) = (700, 400);
        let pixels = noise(17, 700 * 400 * 4);
        let full_size = encode_batches(width, height, &pixels, &[100]).len();
        for room in [
            0,
            20,
            40,
            IDAT_LEN / 2,
            IDAT_LEN + 30,
            full_size - 13,
            full_size - 1,
        ] {
            let result = BandEncoder::new(Full { room }, width, height).and_then(|mut encoder| {
                let first = pixels
                    .chunks(100 * 700 * 4)
                    .try_for_each(|band| encoder.write_rows(band));
                if first.is_err() {
                    // Once failed, always failed.
                    let again = encoder.write_rows(&pixels[..700 * 4]).unwrap_err();
                    assert_eq!(again.kind(), io::ErrorKind::Other, "{again}");
                    return encoder.finish().map(|_| ()).and(first);
                }
                encoder.finish().map(|_| ())
            });
            let err = result.unwrap_err();
            assert!(
                matches!(
                    err.kind(),
                    io::ErrorKind::StorageFull | io::ErrorKind::Other
                ),
                "room {room}: {err}"
            );
        }
        // With room for every byte, it works.
        let out = BandEncoder::new(Full { room: full_size }, width, height)
            .and_then(|mut encoder| {
                for band in pixels.chunks(100 * 700 * 4) {
                    encoder.write_rows(band)?;
                }
                encoder.finish()
            })
            .unwrap();
        assert_eq!(out.room, 0);
    }

    #[test]
    fn the_writer_comes_back_flushed() {
        let mut file = std::io::BufWriter::new(Vec::new());
        let mut encoder = BandEncoder::new(&mut file, 3, 2).unwrap();
        encoder.write_rows(&noise(1, 3 * 4 * 2)).unwrap();
        encoder.finish().unwrap();
        assert_eq!(file.buffer().len(), 0);
        let png = file.into_inner().unwrap();
        assert_eq!(decode(&png).2, noise(1, 3 * 4 * 2));
    }

    #[test]
    fn repeated_rows_compress_far_better_than_noise() {
        let (width, height) = (500, 200);
        let row = noise(9, width as usize * 4);
        let repeated = encode_batches(width, height, &row.repeat(200), &[usize::MAX]);
        let noisy = noise(9, row.len() * height as usize);
        let random = encode_batches(width, height, &noisy, &[usize::MAX]);
        // In one band, the first row costs as much as a noisy one; the other
        // 199 almost nothing.
        assert!(
            repeated.len() * 50 < random.len(),
            "{} vs {}",
            repeated.len(),
            random.len()
        );
    }

    #[test]
    fn rows_that_shift_take_up_and_rows_that_repeat_a_pixel_take_sub() {
        let row_len = 400 * 4;
        let base = noise(21, row_len);
        // Noise brightened a step: Up leaves 1s, Sub leaves noise.
        let brighter: Vec<u8> = base.iter().map(|b| b.wrapping_add(1)).collect();
        assert_eq!(filter_for(&brighter, &base, 1), UP);
        // A pixel repeated across the row: Sub leaves zeros, Up leaves noise.
        let stripe = [9, 80, 200, 255].repeat(400);
        assert_eq!(filter_for(&stripe, &base, 1), SUB);
        // The same row again: Up, all zeros.
        assert_eq!(filter_for(&stripe, &stripe, 1), UP);
    }

    #[test]
    fn each_row_is_stored_with_the_filter_chosen_for_it() {
        // Rows: noise; that noise brightened (Up); a repeated pixel (Sub);
        // the same again (Up). The first row has no prior: Sub.
        let width = 400;
        let base = noise(21, width * 4);
        let brighter: Vec<u8> = base.iter().map(|b| b.wrapping_add(1)).collect();
        let stripe = [9, 80, 200, 255].repeat(width);
        let pixels = [&base[..], &brighter, &stripe, &stripe].concat();
        let png = encode_batches(width as u32, 4, &pixels, &[usize::MAX]);
        let zlib: Vec<u8> = idat_payloads(&png).concat();
        let raw = fdeflate::decompress_to_vec(&zlib).unwrap();
        let rows: Vec<&[u8]> = raw.chunks_exact(width * 4 + 1).collect();
        let kinds: Vec<u8> = rows.iter().map(|row| row[0]).collect();
        assert_eq!(kinds, [SUB, UP, SUB, UP]);
        assert!(rows[1][1..].iter().all(|&b| b == 1));
        assert_eq!(rows[2][1..5], [9, 80, 200, 255]);
        assert!(rows[2][5..].iter().all(|&b| b == 0));
        assert!(rows[3][1..].iter().all(|&b| b == 0));
    }

    #[test]
    fn bands_compressed_apart_on_other_threads_join_in_order() {
        // The band's first row would take Up (the row above brightened)
        // but has no row above in its band: Sub.
        let (width, height) = (300u32, 40u32);
        let pixels = mixed(width, height);
        let row_len = width as usize * 4;
        let mut encoder = BandEncoder::new(Vec::new(), width, height).unwrap();
        let compressor = encoder.compressor();
        let bands: Vec<CompressedBand> = std::thread::scope(|scope| {
            let threads: Vec<_> = pixels
                .chunks(row_len * 7)
                .map(|band| scope.spawn(move || compressor.compress(band).unwrap()))
                .collect();
            threads.into_iter().map(|t| t.join().unwrap()).collect()
        });
        assert_eq!(bands.len(), 6);
        for band in bands {
            encoder.write_band(band).unwrap();
        }
        let png = encoder.finish().unwrap();
        assert!(decode(&png).2 == pixels);
        let zlib: Vec<u8> = idat_payloads(&png).concat();
        let raw = fdeflate::decompress_to_vec(&zlib).unwrap();
        let kinds: Vec<u8> = raw.chunks_exact(row_len + 1).map(|row| row[0]).collect();
        for (y, kind) in kinds.iter().enumerate() {
            if y % 7 == 0 {
                assert_eq!(*kind, SUB, "row {y} starts a band");
            }
        }
        assert!(kinds.contains(&UP));
    }

    #[test]
    fn a_band_of_another_width_is_an_error() {
        let mut encoder = BandEncoder::new(Vec::new(), 2, 3).unwrap();
        let other = BandEncoder::new(Vec::new(), 3, 2).unwrap().compressor();
        let err = encoder
            .write_band(other.compress(&[0; 3 * 4]).unwrap())
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        // Nothing was written.
        encoder.write_rows(&[5; 2 * 4 * 3]).unwrap();
        assert_eq!(decode(&encoder.finish().unwrap()).2, [5; 24]);
    }

    /// Counts bytes instead of keeping them.
    struct Count(usize);

    impl Write for Count {
        fn write(&mut self, data: &[u8]) -> io::Result<usize> {
            self.0 += data.len();
            Ok(data.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// Renders the benchmark map and times the `png` crate's stream writer
    /// against [`BandEncoder`], best of `RUNS` (3) runs each:
    /// `cargo test --release --lib png_stream::tests::measure -- --ignored --nocapture`
    #[test]
    #[ignore = "a measurement, not a test: renders a large map"]
    fn measure() {
        use crate::export::{ExportError, ExportOptions, for_each_band};
        use std::time::{Duration, Instant};
        let journey = crate::model::templates::generated(200, 2000);
        let runs: usize = (std::env::var("RUNS").ok())
            .and_then(|runs| runs.parse().ok())
            .unwrap_or(3);
        for (scale, max_rows) in [(1.0, u32::MAX), (2.0, 600), (2.0, u32::MAX)] {
            let options = ExportOptions {
                scale,
                ..Default::default()
            };
            let mut bands = Vec::new();
            let (mut width, mut height) = (0, 0);
            // Stopping early is an error from for_each_band; the bands are in.
            let _ = for_each_band(&journey, &options, |band| {
                if height >= max_rows {
                    return Err(ExportError::Stopped);
                }
                // Opaque, so already straight alpha.
                assert!(band.is_opaque());
                bands.push(band.data().to_vec());
                (width, height) = (band.width, height + band.height);
                Ok(())
            });
            println!("\nscale {scale}: {width}x{height}");
            let best = |encode: &dyn Fn() -> usize| {
                let mut best = Duration::MAX;
                let mut size = 0;
                for _ in 0..runs {
                    let started = Instant::now();
                    size = encode();
                    best = best.min(started.elapsed());
                }
                (best, size)
            };
            let (time, size) = best(&|| {
                let mut count = Count(0);
                let mut encoder = png::Encoder::new(&mut count, width, height);
                encoder.set_color(png::ColorType::Rgba);
                encoder.set_depth(png::BitDepth::Eight);
                encoder.set_compression(png::Compression::Fast);
                let mut writer = encoder.write_header().unwrap();
                let mut stream = writer.stream_writer().unwrap();
                for band in &bands {
                    stream.write_all(band).unwrap();
                }
                stream.finish().unwrap();
                writer.finish().unwrap();
                count.0
            });
            println!(
                "png crate, Fast   {:>7.3} s {size:>11} bytes",
                time.as_secs_f64()
            );
            let (time, size) = best(&|| {
                let mut encoder = BandEncoder::new(Count(0), width, height).unwrap();
                for band in &bands {
                    encoder.write_rows(band).unwrap();
                }
                encoder.finish().unwrap().0
            });
            println!(
                "BandEncoder       {:>7.3} s {size:>11} bytes",
                time.as_secs_f64()
            );
        }
    }
}
