//! A streaming PNG encoder for images rendered in horizontal bands.
//!
//! The `png` crate's `StreamWriter` with `Compression::Fast` spends most of
//! its time choosing a filter per row (it tries all five) and moving bytes
//! through its chunk buffering. Here each row gets a filter chosen cheaply,
//! [`fdeflate`] compresses straight into an IDAT-sized buffer, and the `png`
//! crate still writes the container (signature, IHDR, chunk CRCs, IEND).

use std::io::{self, Write};
use std::sync::{Arc, Mutex, PoisonError};

/// Bytes per pixel: RGBA, 8 bits a channel.
const BPP: usize = 4;

/// IDAT payload size. Big enough that the 12 bytes of chunk framing and the
/// four writes per chunk cost nothing, small enough to stay in cache.
const IDAT_LEN: usize = 512 * 1024;

/// PNG filter type bytes (PNG spec, section 9.2).
const NONE: u8 = 0;
const SUB: u8 = 1;
const UP: u8 = 2;
const AVG: u8 = 3;
const PAETH: u8 = 4;

/// How a row's filter is chosen. Only for measuring alternatives.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    /// Sub for every row.
    Sub,
    /// Up for every row (None for the first).
    Up,
    /// Up when the row repeats the previous one, else Sub.
    SameUpElseSub,
    /// Up when the row repeats, else the smaller sum of |filtered| of Sub and Up.
    MinSubUp,
    /// Up when the row repeats, else the smaller sum of |filtered| of all four.
    MinAll,
    /// As `MinSubUp`, both sums in one pass that writes nothing.
    FusedSubUp,
    /// As `FusedSubUp`, over one 256-byte block in `n`.
    SampledSubUp(usize),
    /// As `SampledSubUp`, Sub computed first.
    SubFirstSampled(usize),
    /// As `SampledSubUp`, costs from fdeflate's code lengths.
    BitsSubUp(usize),
    /// As `MinSubUp`, Avg also a candidate.
    MinSubUpAvg,
}

/// Streams an 8-bit RGBA PNG, a band of rows at a time.
///
/// After an error the encoder is in an unknown state; drop it.
pub struct BandEncoder<W: Write> {
    deflate: fdeflate::Compressor<Idat<W>>,
    /// The caller's writer, shared with the `png` writer inside `deflate`:
    /// `png::Writer::finish` consumes its writer, and [`Self::finish`] hands
    /// the caller's back.
    out: Arc<Mutex<W>>,
    row_len: usize,
    height: u32,
    rows_left: u32,
    /// The last row written, for Up across `write_rows` calls; empty before
    /// the first row.
    prior: Vec<u8>,
    /// The filter type byte and the filtered row.
    filtered: Vec<u8>,
    /// A second candidate, so choosing between two filters costs no copy.
    candidate: Vec<u8>,
    strategy: Strategy,
}

impl<W: Write> BandEncoder<W> {
    /// Writes the PNG signature and header (RGBA 8-bit) for a `width` x
    /// `height` image.
    ///
    /// Errors are `io::Error`s: the writer's own, or `InvalidInput` for a
    /// size PNG can't hold (zero, or a row too long for memory).
    pub fn new(out: W, width: u32, height: u32) -> io::Result<Self> {
        Self::with_strategy(out, width, height, Strategy::MinSubUp)
    }

    #[doc(hidden)]
    pub fn with_strategy(out: W, width: u32, height: u32, strategy: Strategy) -> io::Result<Self> {
        let row_len = usize::try_from(width)
            .ok()
            .and_then(|width| width.checked_mul(BPP))
            .ok_or_else(|| invalid(format!("a PNG {width} pixels wide does not fit in memory")))?;
        let out = Arc::new(Mutex::new(out));
        let mut encoder = png::Encoder::new(Shared(Arc::clone(&out)), width, height);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let png = encoder.write_header().map_err(encoding_error)?;
        let idat = Idat {
            buf: Vec::with_capacity(IDAT_LEN),
            png,
        };
        Ok(Self {
            deflate: fdeflate::Compressor::new(idat)?,
            out,
            row_len,
            height,
            rows_left: height,
            prior: Vec::new(),
            filtered: Vec::with_capacity(row_len + 1),
            candidate: Vec::with_capacity(row_len + 1),
            strategy,
        })
    }

    /// Appends whole rows: straight-alpha RGBA, `rows.len()` a multiple of
    /// `width * 4`. More rows than the height is an `InvalidInput` error, and
    /// then nothing of `rows` is written.
    pub fn write_rows(&mut self, rows: &[u8]) -> io::Result<()> {
        if !rows.len().is_multiple_of(self.row_len) {
            return Err(invalid(format!(
                "{} bytes is not a whole number of {}-byte rows",
                rows.len(),
                self.row_len
            )));
        }
        let count = rows.len() / self.row_len;
        let Some(rows_left) = u32::try_from(count)
            .ok()
            .and_then(|count| self.rows_left.checked_sub(count))
        else {
            return Err(invalid(format!(
                "{count} more rows would overflow the image's {} ({} written)",
                self.height,
                self.height - self.rows_left
            )));
        };
        let mut prior = (!self.prior.is_empty()).then_some(self.prior.as_slice());
        for row in rows.chunks_exact(self.row_len) {
            filter_row(
                self.strategy,
                row,
                prior,
                &mut self.filtered,
                &mut self.candidate,
            );
            self.deflate.write_data(&self.filtered)?;
            prior = Some(row);
        }
        // One copy per band, not per row: rows within a band use the
        // caller's slice as their prior.
        if let Some(last) = rows.chunks_exact(self.row_len).next_back() {
            self.prior.clear();
            self.prior.extend_from_slice(last);
        }
        self.rows_left = rows_left;
        Ok(())
    }

    /// Checks all rows were written (else `InvalidInput`), finishes the zlib
    /// stream, writes IEND, flushes and returns the writer.
    pub fn finish(self) -> io::Result<W> {
        if self.rows_left > 0 {
            return Err(invalid(format!(
                "only {} of the image's {} rows were written",
                self.height - self.rows_left,
                self.height
            )));
        }
        let idat = self.deflate.finish()?;
        let Idat { buf, mut png } = idat;
        if !buf.is_empty() {
            png.write_chunk(png::chunk::IDAT, &buf)
                .map_err(encoding_error)?;
        }
        // Writes IEND and flushes; it drops the `png` writer's share of `out`.
        png.finish().map_err(encoding_error)?;
        let out = Arc::try_unwrap(self.out)
            .map_err(|_| io::Error::other("the PNG writer still holds the output"))?;
        Ok(out.into_inner().unwrap_or_else(PoisonError::into_inner))
    }
}

/// Collects fdeflate's output (it writes 8 bytes at a time) into IDAT chunks.
struct Idat<W: Write> {
    buf: Vec<u8>,
    png: png::Writer<Shared<W>>,
}

impl<W: Write> Write for Idat<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= IDAT_LEN {
            self.png
                .write_chunk(png::chunk::IDAT, &self.buf)
                .map_err(encoding_error)?;
            self.buf.clear();
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
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

/// Writes `row`'s filter type byte and filtered bytes into `out`.
fn filter_row(
    strategy: Strategy,
    row: &[u8],
    prior: Option<&[u8]>,
    out: &mut Vec<u8>,
    spare: &mut Vec<u8>,
) {
    let Some(prior) = prior else {
        // The first row: Up is None there, and Sub suits flat colour.
        if strategy == Strategy::Up {
            filter_into(out, NONE, row, |o| o.copy_from_slice(row));
        } else {
            filter_into(out, SUB, row, |o| sub(row, o));
        }
        return;
    };
    let repeats = row == prior;
    match strategy {
        Strategy::Sub => filter_into(out, SUB, row, |o| sub(row, o)),
        Strategy::Up => filter_into(out, UP, row, |o| up(row, prior, o)),
        _ if repeats => {
            // All zeros: fdeflate codes them as runs, a few bits per 258 bytes.
            filter_into(out, UP, row, |o| o.fill(0));
        }
        Strategy::SameUpElseSub => filter_into(out, SUB, row, |o| sub(row, o)),
        Strategy::MinSubUp => {
            filter_into(out, SUB, row, |o| sub(row, o));
            filter_into(spare, UP, row, |o| up(row, prior, o));
            if cost(spare) < cost(out) {
                std::mem::swap(out, spare);
            }
        }
        Strategy::FusedSubUp | Strategy::SampledSubUp(_) => {
            let step = match strategy {
                Strategy::SampledSubUp(n) => n,
                _ => 1,
            };
            let (sub_cost, up_cost) = sub_up_costs(row, prior, step);
            if up_cost < sub_cost {
                filter_into(out, UP, row, |o| up(row, prior, o));
            } else {
                filter_into(out, SUB, row, |o| sub(row, o));
            }
        }
        Strategy::SubFirstSampled(step) => {
            // Sub first streams the row into cache for the sampled reads.
            filter_into(out, SUB, row, |o| sub(row, o));
            let (sub_cost, up_cost) = sub_up_costs(row, prior, step);
            if up_cost < sub_cost {
                filter_into(out, UP, row, |o| up(row, prior, o));
            }
        }
        Strategy::BitsSubUp(step) => {
            let (sub_cost, up_cost) = sub_up_bits(row, prior, step);
            if up_cost < sub_cost {
                filter_into(out, UP, row, |o| up(row, prior, o));
            } else {
                filter_into(out, SUB, row, |o| sub(row, o));
            }
        }
        Strategy::MinSubUpAvg => {
            filter_into(out, SUB, row, |o| sub(row, o));
            let mut best = cost(out);
            for kind in [UP, AVG] {
                filter_into(spare, kind, row, |o| match kind {
                    UP => up(row, prior, o),
                    _ => avg(row, prior, o),
                });
                let c = cost(spare);
                if c < best {
                    best = c;
                    std::mem::swap(out, spare);
                }
            }
        }
        Strategy::MinAll => {
            filter_into(out, SUB, row, |o| sub(row, o));
            let mut best = cost(out);
            for kind in [UP, AVG, PAETH] {
                filter_into(spare, kind, row, |o| match kind {
                    UP => up(row, prior, o),
                    AVG => avg(row, prior, o),
                    _ => paeth(row, prior, o),
                });
                let c = cost(spare);
                if c < best {
                    best = c;
                    std::mem::swap(out, spare);
                }
            }
        }
    }
}

fn filter_into(out: &mut Vec<u8>, kind: u8, row: &[u8], filter: impl FnOnce(&mut [u8])) {
    // Rows are all one length, so this only allocates on the first row.
    out.resize(row.len() + 1, 0);
    if let Some((first, body)) = out.split_first_mut() {
        *first = kind;
        filter(body);
    }
}

/// The sum of the filtered bytes read as signed: the usual estimate of how
/// well a row compresses, and a close one for fdeflate, whose fixed Huffman
/// code lengths grow with distance from zero.
fn cost(filtered: &[u8]) -> u64 {
    let body = filtered.get(1..).unwrap_or_default();
    // u16 lanes vectorize well; 256 bytes can't overflow them.
    body.chunks(256)
        .map(|chunk| {
            u64::from(
                chunk
                    .iter()
                    .map(|&b| u16::from(b.cast_signed().unsigned_abs()))
                    .sum::<u16>(),
            )
        })
        .sum()
}

/// [`cost`] of Sub and of Up, without writing either; the first pixel is
/// left out of both.
fn sub_up_costs(row: &[u8], prior: &[u8], step: usize) -> (u64, u64) {
    let right = row.get(BPP..).unwrap_or_default();
    let above = prior.get(BPP..).unwrap_or_default();
    let (mut sub, mut up) = (0, 0);
    for ((right, left), above) in right
        .chunks(256)
        .zip(row.chunks(256))
        .zip(above.chunks(256))
        .step_by(step)
    {
        let (mut s, mut u) = (0u16, 0u16);
        for ((&x, &left), &above) in right.iter().zip(left).zip(above) {
            s += u16::from(x.wrapping_sub(left).cast_signed().unsigned_abs());
            u += u16::from(x.wrapping_sub(above).cast_signed().unsigned_abs());
        }
        sub += u64::from(s);
        up += u64::from(u);
    }
    (sub, up)
}

/// About how many bits fdeflate spends on a byte: its literal code lengths
/// (from 3 bits for ±1 to 12), and zeros nearly free as they come in runs.
#[allow(clippy::indexing_slicing)] // const evaluation: a bad index fails the build
const BITS: [u8; 256] = {
    let mut bits = [0; 256];
    let mut i = 1;
    while i < 256 {
        let v = if i < 128 { i } else { 256 - i };
        let mut len = 12;
        let limits = [1, 2, 3, 5, 7, 10, 15, 22, 31, 43];
        let mut k = 0;
        while k < limits.len() {
            if v < limits[k] {
                len = 2 + k as u8;
                break;
            }
            k += 1;
        }
        bits[i] = len;
        i += 1;
    }
    bits[0] = 1;
    bits
};

#[allow(clippy::indexing_slicing)] // a u8 index into 256 entries
fn sub_up_bits(row: &[u8], prior: &[u8], step: usize) -> (u64, u64) {
    let right = row.get(BPP..).unwrap_or_default();
    let above = prior.get(BPP..).unwrap_or_default();
    let (mut sub, mut up) = (0, 0);
    for ((right, left), above) in right
        .chunks(256)
        .zip(row.chunks(256))
        .zip(above.chunks(256))
        .step_by(step)
    {
        for ((&x, &left), &above) in right.iter().zip(left).zip(above) {
            sub += u64::from(BITS[usize::from(x.wrapping_sub(left))]);
            up += u64::from(BITS[usize::from(x.wrapping_sub(above))]);
        }
    }
    (sub, up)
}

fn sub(row: &[u8], out: &mut [u8]) {
    let (first, rest) = out.split_at_mut(BPP.min(out.len()));
    first.copy_from_slice(row.get(..first.len()).unwrap_or_default());
    let right = row.get(BPP..).unwrap_or_default();
    for ((o, &x), &left) in rest.iter_mut().zip(right).zip(row) {
        *o = x.wrapping_sub(left);
    }
}

fn up(row: &[u8], prior: &[u8], out: &mut [u8]) {
    for ((o, &x), &above) in out.iter_mut().zip(row).zip(prior) {
        *o = x.wrapping_sub(above);
    }
}

fn avg(row: &[u8], prior: &[u8], out: &mut [u8]) {
    let (first, rest) = out.split_at_mut(BPP.min(out.len()));
    for ((o, &x), &above) in first.iter_mut().zip(row).zip(prior) {
        *o = x.wrapping_sub(above / 2);
    }
    let right = row.get(BPP..).unwrap_or_default();
    let above = prior.get(BPP..).unwrap_or_default();
    for (((o, &x), &left), &above) in rest.iter_mut().zip(right).zip(row).zip(above) {
        *o = x.wrapping_sub(u16::midpoint(u16::from(left), u16::from(above)) as u8);
    }
}

fn paeth(row: &[u8], prior: &[u8], out: &mut [u8]) {
    let (first, rest) = out.split_at_mut(BPP.min(out.len()));
    // With no pixel to the left, Paeth predicts the pixel above.
    for ((o, &x), &above) in first.iter_mut().zip(row).zip(prior) {
        *o = x.wrapping_sub(above);
    }
    let right = row.get(BPP..).unwrap_or_default();
    let above = prior.get(BPP..).unwrap_or_default();
    for ((((o, &x), &a), &b), &c) in rest.iter_mut().zip(right).zip(row).zip(above).zip(prior) {
        *o = x.wrapping_sub(paeth_predictor(a, b, c));
    }
}

fn paeth_predictor(a: u8, b: u8, c: u8) -> u8 {
    let (ia, ib, ic) = (i16::from(a), i16::from(b), i16::from(c));
    let p = ia + ib - ic;
    let (pa, pb, pc) = ((p - ia).abs(), (p - ib).abs(), (p - ic).abs());
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
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

    fn encode_batches(
        strategy: Strategy,
        width: u32,
        height: u32,
        pixels: &[u8],
        batches: &[usize],
    ) -> Vec<u8> {
        let row_len = width as usize * 4;
        let mut encoder = BandEncoder::with_strategy(Vec::new(), width, height, strategy).unwrap();
        let mut rest = pixels;
        for &rows in batches.iter().cycle() {
            if rest.is_empty() {
                break;
            }
            let (band, tail) = rest.split_at((rows * row_len).min(rest.len()));
            encoder.write_rows(band).unwrap();
            rest = tail;
        }
        encoder.finish().unwrap()
    }

    fn decode(png: &[u8]) -> (u32, u32, Vec<u8>) {
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

    const STRATEGIES: [Strategy; 13] = [
        Strategy::Sub,
        Strategy::Up,
        Strategy::SameUpElseSub,
        Strategy::MinSubUpAvg,
        Strategy::SubFirstSampled(16),
        Strategy::MinSubUp,
        Strategy::FusedSubUp,
        Strategy::SampledSubUp(4),
        Strategy::SampledSubUp(16),
        Strategy::SampledSubUp(17),
        Strategy::BitsSubUp(1),
        Strategy::BitsSubUp(16),
        Strategy::MinAll,
    ];

    fn round_trip(width: u32, height: u32, pixels: &[u8]) {
        for strategy in STRATEGIES {
            for batches in [&[usize::MAX][..], &[1], &[3, 1, 7, 2]] {
                let png = encode_batches(strategy, width, height, pixels, batches);
                let (w, h, decoded) = decode(&png);
                assert_eq!((w, h), (width, height));
                assert!(
                    decoded == pixels,
                    "{strategy:?} {width}x{height} {batches:?}"
                );
            }
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
    }

    #[test]
    fn round_trips_a_mix_across_idat_chunks() {
        // Flat, noisy and repeated stretches, big enough for several IDATs.
        let (width, height) = (700, 400);
        let row_len = width as usize * 4;
        let mut pixels = gradient(width, height);
        let noisy = noise(5, row_len * 150);
        pixels[row_len * 100..row_len * 250].copy_from_slice(&noisy);
        let repeated = pixels[row_len * 250..row_len * 251].to_vec();
        for row in pixels[row_len * 251..row_len * 320].chunks_exact_mut(row_len) {
            row.copy_from_slice(&repeated);
        }
        let png = encode_batches(Strategy::MinSubUp, width, height, &pixels, &[64, 13]);
        assert!(png.len() > IDAT_LEN, "only {} bytes", png.len());
        assert!(decode(&png).2 == pixels);
    }

    #[test]
    fn too_many_rows_is_an_error() {
        let mut encoder = BandEncoder::new(Vec::new(), 2, 3).unwrap();
        encoder.write_rows(&[0; 2 * 4 * 2]).unwrap();
        let err = encoder.write_rows(&[0; 2 * 4 * 2]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        // Nothing was written, so the last row still fits.
        encoder.write_rows(&[0; 2 * 4]).unwrap();
        assert_eq!(
            encoder.write_rows(&[0; 2 * 4]).unwrap_err().kind(),
            io::ErrorKind::InvalidInput
        );
        encoder.finish().unwrap();
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

    #[test]
    fn the_writer_comes_back_flushed() {
        let mut file = std::io::BufWriter::new(Vec::new());
        let mut encoder = BandEncoder::new(&mut file, 3, 2).unwrap();
        encoder.write_rows(&noise(1, 3 * 4 * 2)).unwrap();
        encoder.finish().unwrap();
        let png = file.into_inner().unwrap();
        assert_eq!(decode(&png).2, noise(1, 3 * 4 * 2));
    }

    #[test]
    fn repeated_rows_compress_far_better_than_noise() {
        let (width, height) = (500, 200);
        let row = noise(9, width as usize * 4);
        let repeated = encode_batches(Strategy::MinSubUp, width, height, &row.repeat(200), &[50]);
        let noisy = noise(9, row.len() * height as usize);
        let random = encode_batches(Strategy::MinSubUp, width, height, &noisy, &[50]);
        // The first row costs as much as a noisy one; the other 199 almost nothing.
        assert!(
            repeated.len() * 50 < random.len(),
            "{} vs {}",
            repeated.len(),
            random.len()
        );
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
    /// against each strategy here (best of several runs):
    /// `cargo test --release --lib png_stream::tests::measure -- --ignored --nocapture`
    #[test]
    #[ignore = "a measurement, not a test: renders a large map"]
    fn measure() {
        use crate::export::{ExportOptions, for_each_band};
        use std::time::{Duration, Instant};
        let journey = crate::templates::generated(200, 2000);
        let runs: usize = std::env::var("RUNS")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(3);
        let full = std::env::var("FULL").is_ok();
        for (scale, max_rows) in [(1.0, u32::MAX), (2.0, 600), (2.0, u32::MAX)] {
            if full && (max_rows != u32::MAX || scale < 1.5) {
                continue;
            }
            let options = ExportOptions {
                scale,
                ..Default::default()
            };
            let mut bands = Vec::new();
            let (mut width, mut height) = (0, 0);
            // Stopping early is an error from for_each_band; the bands are in.
            let _ = for_each_band(&journey, &options, |band| {
                if height >= max_rows {
                    return Err(crate::export::ExportError::Stopped);
                }
                assert!(band.is_opaque());
                bands.push(band.data().to_vec());
                (width, height) = (band.width, height + band.height);
                Ok(())
            });
            println!("\nscale {scale}: {width}x{height}");
            let best = |f: &dyn Fn() -> usize| {
                let mut best = Duration::MAX;
                let mut size = 0;
                for _ in 0..runs {
                    let started = Instant::now();
                    size = f();
                    best = best.min(started.elapsed());
                }
                (best, size)
            };
            let png_crate = || {
                let mut out = Vec::new();
                let mut encoder = png::Encoder::new(&mut out, width, height);
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
                out.len()
            };
            let (time, size) = if std::env::var("SKIP_PNG").is_ok() {
                (Duration::ZERO, 0)
            } else {
                best(&png_crate)
            };
            println!(
                "png crate Fast      {:>8.3} s {size:>11} bytes",
                time.as_secs_f64()
            );
            let only = std::env::var("ONLY").unwrap_or_default();
            for strategy in STRATEGIES {
                if !format!("{strategy:?}").contains(&only) {
                    continue;
                }
                let (time, size) = best(&|| {
                    let mut encoder =
                        BandEncoder::with_strategy(Count(0), width, height, strategy).unwrap();
                    for band in &bands {
                        encoder.write_rows(band).unwrap();
                    }
                    encoder.finish().unwrap().0
                });
                println!(
                    "{:<19} {:>8.3} s {size:>11} bytes",
                    format!("{strategy:?}"),
                    time.as_secs_f64()
                );
            }
        }
    }
}
