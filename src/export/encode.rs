//! PNG encoding of an image drawn in bands: each band is filtered and
//! compressed on its own (on any thread) into raw deflate that ends on a full
//! flush, so the bands' pieces joined in order are one zlib stream; its Adler-32
//! is combined from the bands'. The `png` crate writes the container (header,
//! chunk framing and CRCs, IEND) and the pieces go out as raw IDAT chunks.
//! A band's first row is filtered by Sub (it has no row above in its band),
//! every other row by Up.

use std::io::{self, Write};

use flate2::{Compress, Compression, FlushCompress};

/// Bytes per pixel: RGBA, 8 bits a channel.
const BPP: usize = 4;
/// Largest IDAT payload: a band's compressed bytes are cut into chunks of at
/// most this size, so that a reader's chunk buffer stays small.
const IDAT_LEN: usize = 512 * 1024;
/// zlib's level: the fastest that still looks for repeats.
const LEVEL: u32 = 2;
/// The zlib header: deflate with a 32 KB window, a fast level, no dictionary.
const ZLIB_HEADER: [u8; 2] = [0x78, 0x01];
/// A final, empty block with fixed codes: ends the deflate stream.
const FINAL_BLOCK: [u8; 2] = [0x03, 0x00];
/// PNG filter types (PNG spec, section 9.2).
const SUB: u8 = 1;
const UP: u8 = 2;

/// Streams an 8-bit RGBA PNG, a band of rows at a time.
///
/// A band is filtered and compressed by a [`BandCompressor`] (on any thread)
/// and written in order by [`Self::write_band`]; [`Self::write_rows`] does
/// both. All errors are [`io::Error`]s: the writer's own, `InvalidInput` for a
/// misuse (a size PNG can't hold, partial rows, more or fewer rows than the
/// height). After a write error every later call fails too.
pub struct BandEncoder<W: Write> {
    compressor: BandCompressor,
    png: png::Writer<W>,
    height: u32,
    rows_left: u32,
    /// The Adler-32 of the rows written so far, filter bytes included.
    adler: u32,
    failed: bool,
}

impl<W: Write> BandEncoder<W> {
    /// Writes the PNG signature and header (RGBA 8-bit) for a `width` x
    /// `height` image.
    pub fn new(out: W, width: u32, height: u32) -> io::Result<Self> {
        let compressor = BandCompressor::new(width)?;
        let mut encoder = png::Encoder::new(out, width, height);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut png = encoder.write_header().map_err(encoding_error)?;
        png.write_chunk(png::chunk::IDAT, &ZLIB_HEADER)
            .map_err(encoding_error)?;
        Ok(Self {
            compressor,
            png,
            height,
            rows_left: height,
            adler: 1,
            failed: false,
        })
    }

    /// What compresses this image's bands, for other threads.
    pub fn compressor(&self) -> BandCompressor {
        self.compressor
    }

    /// Appends whole rows (straight-alpha RGBA), compressed as one band on
    /// this thread.
    pub fn write_rows(&mut self, rows: &[u8]) -> io::Result<()> {
        self.check_not_failed()?;
        let band = self.compressor.compress(rows)?;
        self.write_band(band)
    }

    /// Appends a band compressed by this encoder's [`Self::compressor`]. A
    /// band of other rows, or more rows than the height, is an
    /// `InvalidInput` error, and then nothing of `band` is written.
    pub fn write_band(&mut self, band: CompressedBand) -> io::Result<()> {
        self.check_not_failed()?;
        let CompressedBand {
            bytes,
            adler,
            len,
            rows,
            row_len,
        } = band;
        if row_len != self.compressor.row_len {
            let message = format!(
                "a band of {row_len}-byte rows does not fit an image of {}-byte rows",
                self.compressor.row_len
            );
            return Err(invalid(message));
        }
        let Some(rows_left) = self.rows_left.checked_sub(rows) else {
            let written = self.height - self.rows_left;
            let message = format!(
                "{rows} more rows would overflow the image's {} ({written} written)",
                self.height
            );
            return Err(invalid(message));
        };
        // Until the chunks are written: an error leaves the stream cut short.
        self.failed = true;
        for chunk in bytes.chunks(IDAT_LEN) {
            (self.png.write_chunk(png::chunk::IDAT, chunk)).map_err(encoding_error)?;
        }
        self.adler = zlib_rs::adler32::adler32_combine(self.adler, adler, len);
        self.rows_left = rows_left;
        self.failed = false;
        Ok(())
    }

    /// Checks all rows were written (else `InvalidInput`), ends the zlib
    /// stream, writes IEND and flushes.
    pub fn finish(mut self) -> io::Result<()> {
        self.check_not_failed()?;
        if self.rows_left > 0 {
            let written = self.height - self.rows_left;
            let message = format!(
                "only {written} of the image's {} rows were written",
                self.height
            );
            return Err(invalid(message));
        }
        let mut end = FINAL_BLOCK.to_vec();
        end.extend_from_slice(&self.adler.to_be_bytes());
        (self.png.write_chunk(png::chunk::IDAT, &end)).map_err(encoding_error)?;
        self.png.finish().map_err(encoding_error)
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
}

impl BandCompressor {
    /// For rows `width` pixels wide.
    fn new(width: u32) -> io::Result<Self> {
        let row_len = usize::try_from(width)
            .ok()
            .and_then(|width| width.checked_mul(BPP))
            .ok_or_else(|| invalid(format!("a PNG {width} pixels wide does not fit in memory")))?;
        Ok(Self { row_len })
    }

    /// Filters and compresses whole rows: straight-alpha RGBA, `rows.len()`
    /// a multiple of the row length, else an `InvalidInput` error.
    pub fn compress(&self, rows: &[u8]) -> io::Result<CompressedBand> {
        let row_len = self.row_len;
        if row_len == 0 || !rows.len().is_multiple_of(row_len) {
            let message = format!(
                "{} bytes is not a whole number of {row_len}-byte rows",
                rows.len()
            );
            return Err(invalid(message));
        }
        let count = u32::try_from(rows.len() / row_len)
            .map_err(|_| invalid(format!("{} bytes of rows is too many", rows.len())))?;
        let mut deflate = Compress::new(Compression::new(LEVEL), false);
        let mut bytes = Vec::with_capacity(rows.len() / 32 + 1024);
        let mut filtered = Vec::with_capacity(row_len + 1);
        let mut adler = 1;
        let mut prior: Option<&[u8]> = None;
        for row in rows.chunks_exact(row_len) {
            filter(row, prior, &mut filtered);
            adler = zlib_rs::adler32::adler32(adler, &filtered);
            deflate_into(&mut deflate, &filtered, &mut bytes, FlushCompress::None)?;
            prior = Some(row);
        }
        deflate_into(&mut deflate, &[], &mut bytes, FlushCompress::Full)?;
        // Bands wait their turn compressed: only what they hold, not the room.
        bytes.shrink_to_fit();
        Ok(CompressedBand {
            bytes,
            adler,
            len: (row_len as u64 + 1) * u64::from(count),
            rows: count,
            row_len,
        })
    }
}

/// `row` filtered into `out`, its filter type first: Up from `prior`, or
/// Sub without one.
fn filter(row: &[u8], prior: Option<&[u8]>, out: &mut Vec<u8>) {
    out.resize(row.len() + 1, 0);
    let Some((kind, filtered)) = out.split_first_mut() else {
        return;
    };
    match prior {
        Some(prior) => {
            *kind = UP;
            for ((f, x), up) in filtered.iter_mut().zip(row).zip(prior) {
                *f = x.wrapping_sub(*up);
            }
        }
        None => {
            *kind = SUB;
            let (first, rest) = filtered.split_at_mut(BPP.min(row.len()));
            first.copy_from_slice(row.get(..first.len()).unwrap_or_default());
            let right = row.get(BPP..).unwrap_or_default();
            for ((f, x), left) in rest.iter_mut().zip(right).zip(row) {
                *f = x.wrapping_sub(*left);
            }
        }
    }
}

/// Deflates all of `input` into `out` (growing it as needed), then flushes
/// as `flush` asks.
fn deflate_into(
    deflate: &mut Compress,
    mut input: &[u8],
    out: &mut Vec<u8>,
    flush: FlushCompress,
) -> io::Result<()> {
    loop {
        if out.capacity() - out.len() < 256 {
            out.reserve(out.capacity().max(64 * 1024));
        }
        let before = deflate.total_in();
        (deflate.compress_vec(input, out, flush)).map_err(io::Error::other)?;
        let taken = usize::try_from(deflate.total_in() - before).unwrap_or(usize::MAX);
        input = input.get(taken..).unwrap_or_default();
        // Done once deflate has taken everything and had room to spare
        // (zlib's sign that a flush is complete).
        if input.is_empty() && out.len() < out.capacity() {
            return Ok(());
        }
    }
}

/// A band of rows filtered and compressed: a piece of a PNG's zlib stream,
/// to be written in its place by [`BandEncoder::write_band`].
pub struct CompressedBand {
    bytes: Vec<u8>,
    /// The Adler-32 of the band's filtered bytes, and their count.
    adler: u32,
    len: u64,
    rows: u32,
    row_len: usize,
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The IDAT chunks' payloads of a PNG, in order.
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
        let mut png = Vec::new();
        let mut encoder = BandEncoder::new(&mut png, width, height).unwrap();
        let mut rest = pixels;
        for &rows in batches.iter().cycle() {
            if rest.is_empty() {
                break;
            }
            let (band, tail) = rest.split_at(rows.saturating_mul(row_len).min(rest.len()));
            encoder.write_rows(band).unwrap();
            rest = tail;
        }
        encoder.finish().unwrap();
        png
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

    /// The filter type of each row of a PNG.
    fn filters(png: &[u8], row_len: usize) -> Vec<u8> {
        let zlib: Vec<u8> = idat_payloads(png).concat();
        let raw = fdeflate::decompress_to_vec(&zlib).unwrap();
        raw.chunks_exact(row_len + 1).map(|row| row[0]).collect()
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

    /// Flat, noisy, gradient and repeated stretches.
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
        let pixels = [0, 0, 0, 0, 255, 255, 255, 255, 7, 7, 7, 7, 0, 0, 0, 1];
        round_trip(2, 2, &pixels);
    }

    #[test]
    fn round_trips_a_mix() {
        round_trip(90, 60, &mixed(90, 60));
    }

    #[test]
    fn round_trips_wide_rows() {
        round_trip(4500, 12, &mixed(4500, 12));
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
        let mut png = Vec::new();
        let mut encoder = BandEncoder::new(&mut png, 2, 3).unwrap();
        encoder.write_rows(&[0; 2 * 4 * 2]).unwrap();
        let err = encoder.write_rows(&[0; 2 * 4 * 2]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        let message = err.to_string();
        assert!(
            message.contains("overflow the image's 3 (2 written)"),
            "{message}"
        );
        // Nothing was written, so the last row still fits.
        encoder.write_rows(&[9; 2 * 4]).unwrap();
        let more = encoder.write_rows(&[0; 2 * 4]).unwrap_err();
        assert_eq!(more.kind(), io::ErrorKind::InvalidInput);
        encoder.finish().unwrap();
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
        let message = err.to_string();
        assert!(
            message.contains("only 2 of the image's 3 rows"),
            "{message}"
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
                    return encoder.finish().and(first);
                }
                encoder.finish()
            });
            let err = result.unwrap_err();
            let kind = err.kind();
            let expected = matches!(kind, io::ErrorKind::StorageFull | io::ErrorKind::Other);
            assert!(expected, "room {room}: {err}");
        }
        // With room for every byte, it works.
        let mut out = Full { room: full_size };
        let mut encoder = BandEncoder::new(&mut out, width, height).unwrap();
        for band in pixels.chunks(100 * 700 * 4) {
            encoder.write_rows(band).unwrap();
        }
        encoder.finish().unwrap();
        assert_eq!(out.room, 0);
    }

    #[test]
    fn the_writer_is_flushed() {
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
        let (repeated, random) = (repeated.len(), random.len());
        assert!(repeated * 50 < random, "{repeated} vs {random}");
    }

    #[test]
    fn each_band_starts_with_sub_and_goes_on_with_up() {
        let width = 400;
        let base = noise(21, width * 4);
        let stripe = [9, 80, 200, 255].repeat(width);
        let pixels = [&base[..], &stripe, &stripe, &base, &stripe].concat();
        let png = encode_batches(width as u32, 5, &pixels, &[3]);
        assert_eq!(filters(&png, width * 4), [SUB, UP, UP, SUB, UP]);
        let zlib: Vec<u8> = idat_payloads(&png).concat();
        let raw = fdeflate::decompress_to_vec(&zlib).unwrap();
        let rows: Vec<&[u8]> = raw.chunks_exact(width * 4 + 1).collect();
        // Up: each byte less the one above.
        let up: Vec<u8> = stripe
            .iter()
            .zip(&base)
            .map(|(s, b)| s.wrapping_sub(*b))
            .collect();
        assert_eq!(rows[1][1..], up[..]);
        assert!(rows[2][1..].iter().all(|&b| b == 0), "the same row again");
        // Sub: the first pixel as it is, then each byte less the one a
        // pixel to its left.
        assert_eq!(rows[3][1..5], base[..4]);
        assert_eq!(rows[3][5], base[4].wrapping_sub(base[0]));
    }

    #[test]
    fn bands_compressed_apart_on_other_threads_join_in_order() {
        let (width, height) = (300u32, 40u32);
        let pixels = mixed(width, height);
        let row_len = width as usize * 4;
        let mut png = Vec::new();
        let mut encoder = BandEncoder::new(&mut png, width, height).unwrap();
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
        encoder.finish().unwrap();
        assert!(decode(&png).2 == pixels);
        for (y, kind) in filters(&png, row_len).into_iter().enumerate() {
            let expected = if y % 7 == 0 { SUB } else { UP };
            assert_eq!(kind, expected, "row {y}");
        }
    }

    #[test]
    fn a_band_of_another_width_is_an_error() {
        let mut png = Vec::new();
        let mut encoder = BandEncoder::new(&mut png, 2, 3).unwrap();
        let other = BandEncoder::new(Vec::new(), 3, 2).unwrap().compressor();
        let band = other.compress(&[0; 3 * 4]).unwrap();
        let err = encoder.write_band(band).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        // Nothing was written.
        encoder.write_rows(&[5; 2 * 4 * 3]).unwrap();
        encoder.finish().unwrap();
        assert_eq!(decode(&png).2, [5; 24]);
    }
}
