//! The zlib stream (RFC 1950 and 1951) inside an export's PNG, fed the
//! unfiltered rows and the reference each is filtered against.
//!
//! Why not `fdeflate`, which this replaced: most of an export's bytes (96%
//! on the benchmark map) equal the byte above, so Up filtering makes long
//! runs of zeros. Filtering each row into a buffer and handing it to
//! `fdeflate` wrote those zeros, read them back eight bytes at a time and
//! summed them for the Adler-32 checksum, and `perf` put most of
//! `fdeflate`'s time in that scan. Here the filter and the compressor are
//! one loop: 32 bytes equal to their reference are 32 zeros, counted and
//! never written, and only the bytes that differ are filtered, coded and
//! summed. On the 200-step benchmark map at 2x, encoding took about 12%
//! less time and the file came out 14% smaller: `fdeflate` codes with one
//! fixed table, and here the codes fit the picture.
//!
//! The stream is deflate blocks of literals and runs of zeros (a literal
//! zero, then copies of the byte before: distance 1), and nothing else: no
//! searching for matches. Each block's Huffman codes are made from the
//! symbols of the block before it (every symbol keeps a code), so that
//! each symbol is written as it comes, in one pass.
//!
//! A [`Deflater`] compresses one segment of the stream, which refers to
//! nothing before it and ends on a whole byte (deflate's "sync flush"), so
//! segments can be compressed on different threads and joined in order by
//! a [`ZlibStream`], which writes the header and the end and combines their
//! checksums.

/// Largest code length deflate allows for literal, length and distance codes.
const MAX_CODE_LEN: usize = 15;
/// Largest code length for the code length alphabet.
const MAX_CODE_LEN_LEN: usize = 7;
/// Literal/length symbols: 256 literals, end of block, 29 lengths.
const LITLEN_SYMBOLS: usize = 286;
const END_OF_BLOCK: usize = 256;
/// The length symbol for a copy of 258 bytes (no extra bits).
const LEN_258: usize = 285;
/// Symbols per block: enough that a block's header (about 100 bytes) is
/// small beside it, few enough that the codes follow a change of picture.
const BLOCK_SYMBOLS: u32 = 1 << 15;
/// Symbols in a segment's first block, whose codes know nothing of the
/// picture (all of nearly the same length): a short first block gives the
/// second block codes fitted to the segment at once.
const FIRST_BLOCK_SYMBOLS: u32 = 1 << 11;
/// Runs are cut at this length so that counting them cannot overflow.
const MAX_RUN: u32 = 1 << 30;
/// The order code length code lengths are written in (RFC 1951, 3.2.7).
const CODE_LEN_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];
/// Adler-32's modulus (RFC 1950).
const ADLER_MOD: u64 = 65_521;
/// Bytes summed before the Adler-32 sums are reduced: `b` grows by at most
/// `a` (below 2^8 times this, plus the modulus) a byte, far from `u64`'s limit.
const ADLER_REDUCE_AFTER: u64 = 1 << 20;
/// Bytes compared with their reference at a time.
const WIDE: usize = 32;

/// A code as written: the bits (already in deflate's order) and how many.
#[derive(Clone, Copy, Default)]
struct Code {
    bits: u32,
    len: u32,
}

/// One segment of a zlib stream being compressed. Feed it bytes with
/// [`Self::push`] and [`Self::push_difference`], end it with
/// [`Self::finish`], and put it in its place in the stream with
/// [`ZlibStream::append`].
pub struct Deflater {
    bits: BitWriter,
    /// This block's literal/length codes.
    codes: [Code; LITLEN_SYMBOLS],
    /// A copy of `n` bytes from one back, for `n` in 3..=258: length code,
    /// extra bits and distance code, written as one.
    copies: [Code; 259],
    /// The length symbol of each of `copies`.
    copy_symbols: [u16; 259],
    /// How often each literal/length symbol occurred in this block.
    freq: [u32; LITLEN_SYMBOLS],
    /// Symbols written in this block.
    symbols: u32,
    /// Symbols in this block before it ends.
    block_symbols: u32,
    /// Zeros seen and not yet written.
    run: u32,
    adler: Adler32,
}

impl Default for Deflater {
    fn default() -> Self {
        Self::new()
    }
}

impl Deflater {
    /// A new segment.
    pub fn new() -> Self {
        let mut deflater = Self {
            bits: BitWriter::default(),
            codes: [Code::default(); LITLEN_SYMBOLS],
            copies: [Code::default(); 259],
            copy_symbols: std::array::from_fn(|n| length_symbol(n as u16).0 as u16),
            // Nothing seen yet: the first block's codes are all but even.
            freq: [1; LITLEN_SYMBOLS],
            symbols: 0,
            block_symbols: FIRST_BLOCK_SYMBOLS,
            run: 0,
            adler: Adler32::default(),
        };
        deflater.start_block();
        deflater
    }

    /// Compresses `data` as it is.
    pub fn push(&mut self, data: &[u8]) {
        for &byte in data {
            self.byte(byte);
        }
    }

    /// Compresses `data[i] - reference[i]` (wrapping) for every `i`: a PNG
    /// row filtered by Up (the reference is the row above) or Sub (the row
    /// itself, one pixel to the left). Only as many bytes as the shorter of
    /// the two have.
    pub fn push_difference(&mut self, data: &[u8], reference: &[u8]) {
        let len = data.len().min(reference.len());
        let (data, reference) = (
            data.get(..len).unwrap_or_default(),
            reference.get(..len).unwrap_or_default(),
        );
        let mut data_blocks = data.chunks_exact(WIDE);
        let mut reference_blocks = reference.chunks_exact(WIDE);
        // Equal blocks since the last mixed one, counted here rather than
        // in `self` so that the loop over them stays in registers.
        let mut equal = 0u32;
        for (block, against) in (&mut data_blocks).zip(&mut reference_blocks) {
            // Comparing arrays of a fixed size compiles to vector compares.
            let (Ok(block), Ok(against)) = (
                <&[u8; WIDE]>::try_from(block),
                <&[u8; WIDE]>::try_from(against),
            ) else {
                continue;
            };
            if block == against {
                equal += 1;
                continue;
            }
            self.zeros(std::mem::take(&mut equal) * WIDE as u32);
            self.mixed_block(block, against);
        }
        self.zeros(equal * WIDE as u32);
        for (&x, &r) in (data_blocks.remainder().iter()).zip(reference_blocks.remainder()) {
            self.byte(x.wrapping_sub(r));
        }
    }

    /// Ends the segment on a whole byte and returns its compressed bytes,
    /// and the checksum of what was pushed, for [`ZlibStream::append`].
    pub fn finish(mut self) -> (Vec<u8>, Checksum) {
        self.end_run();
        self.put_symbol(END_OF_BLOCK);
        // An empty stored block (not the last; type 00) pads to a whole
        // byte, then says it holds zero bytes: LEN 0 and its complement.
        self.bits.put(0b000, 3);
        self.bits.align();
        self.bits.out.extend_from_slice(&[0x00, 0x00, 0xff, 0xff]);
        let checksum = self.adler.checksum();
        (self.bits.out, checksum)
    }

    /// Thirty-two bytes, not all equal to their reference. Most such blocks
    /// differ in a byte or two: only those are filtered, coded and summed.
    #[inline]
    fn mixed_block(&mut self, block: &[u8; WIDE], against: &[u8; WIDE]) {
        let mut literals = 0u32;
        for ((x, r), shift) in (block.chunks_exact(8))
            .zip(against.chunks_exact(8))
            .zip((0..).step_by(8))
        {
            if let (Ok(x), Ok(r)) = (<[u8; 8]>::try_from(x), <[u8; 8]>::try_from(r)) {
                literals |= nonzero_bytes(u64::from_ne_bytes(x) ^ u64::from_ne_bytes(r)) << shift;
            }
        }
        let mut symbols = literals.count_ones();
        // Adler-32 over the block: zeros add nothing to `a`, and a byte adds
        // itself to `b` once for each byte from it to the end of the block.
        let (mut sum, mut weighted) = (0u32, 0u32);
        let mut at = 0;
        // The bits and the run stay in registers through the loop (in
        // `self` every literal stored and reloaded them), and go back to
        // `self` around the rare long run.
        let mut bits = self.bits.pending;
        let mut run = self.run;
        while literals != 0 {
            let i = literals.trailing_zeros();
            run += i - at;
            if run == 1 {
                // Most runs between literals are the alpha byte of a pixel.
                self.put_literal_into(&mut bits, 0);
                symbols += 1;
            } else if run > 1 {
                (self.bits.pending, self.run) = (bits, run);
                symbols += self.write_long_run();
                bits = self.bits.pending;
            }
            run = 0;
            if let (Some(&x), Some(&r)) = (block.get(i as usize), against.get(i as usize)) {
                let byte = x.wrapping_sub(r);
                sum += u32::from(byte);
                weighted += u32::from(byte) * (WIDE as u32 - i);
                self.put_literal_into(&mut bits, byte);
            }
            at = i + 1;
            literals &= literals - 1;
        }
        self.bits.pending = bits;
        self.adler.add(WIDE as u64, sum, weighted);
        self.run = run + WIDE as u32 - at;
        // Checked once a block: a block of codes may run a few symbols over.
        self.count_symbols(symbols);
    }

    /// Counts `count` zeros (at most [`MAX_RUN`]).
    #[inline]
    fn zeros(&mut self, count: u32) {
        self.adler.zeros(u64::from(count));
        self.run += count;
        if self.run >= MAX_RUN {
            self.end_run();
        }
    }

    #[inline]
    fn byte(&mut self, byte: u8) {
        if byte == 0 {
            self.zeros(1);
        } else {
            self.adler.add(1, u32::from(byte), u32::from(byte));
            self.end_run();
            self.literal(byte);
        }
    }

    #[inline]
    fn literal(&mut self, byte: u8) {
        self.put_literal(byte);
        self.count_symbols(1);
    }

    /// Counts `symbols` written towards the block's end, and ends the block
    /// when it is full.
    #[inline]
    fn count_symbols(&mut self, symbols: u32) {
        self.symbols += symbols;
        if self.symbols >= self.block_symbols {
            self.next_block();
        }
    }

    /// Writes a literal without counting it towards the block's end.
    #[inline]
    fn put_literal(&mut self, byte: u8) {
        // A byte always indexes the 286 symbols: no bounds check once inlined.
        self.put_symbol(usize::from(byte));
    }

    /// [`Self::put_literal`] with the bit buffer held in `bits`.
    #[inline]
    fn put_literal_into(&mut self, bits: &mut Bits, byte: u8) {
        let symbol = usize::from(byte);
        if let (Some(code), Some(count)) = (self.codes.get(symbol), self.freq.get_mut(symbol)) {
            bits.put(&mut self.bits.out, code.bits, code.len);
            *count += 1;
        }
    }

    /// Writes a symbol and counts it for the next block's codes.
    #[inline]
    fn put_symbol(&mut self, symbol: usize) {
        if let (Some(code), Some(count)) = (self.codes.get(symbol), self.freq.get_mut(symbol)) {
            self.bits.put(code.bits, code.len);
            *count += 1;
        }
    }

    /// Writes the zeros counted so far and counts them towards the block's
    /// end.
    #[inline]
    fn end_run(&mut self) {
        let symbols = self.write_run();
        self.count_symbols(symbols);
    }

    /// Writes the zeros counted so far: a literal zero, then copies of 258
    /// bytes from one back, then one shorter copy or, below three bytes,
    /// literal zeros. Returns how many symbols that took, not yet counted.
    #[inline]
    fn write_run(&mut self) -> u32 {
        match self.run {
            0 => 0,
            // Most runs between literals are the alpha byte of a pixel.
            1 => {
                self.run = 0;
                self.put_literal(0);
                1
            }
            _ => self.write_long_run(),
        }
    }

    #[inline(never)]
    fn write_long_run(&mut self) -> u32 {
        let run = std::mem::take(&mut self.run);
        self.put_literal(0);
        let copied = run - 1;
        let (full, rest) = (copied / 258, copied % 258);
        if let Some(&copy) = self.copies.get(258) {
            for _ in 0..full {
                self.bits.put(copy.bits, copy.len);
            }
        }
        if let Some(count) = self.freq.get_mut(LEN_258) {
            *count += full;
        }
        if rest < 3 {
            for _ in 0..rest {
                self.put_literal(0);
            }
            return 1 + full + rest;
        }
        if let (Some(&copy), Some(&symbol)) = (
            self.copies.get(rest as usize),
            self.copy_symbols.get(rest as usize),
        ) {
            self.bits.put(copy.bits, copy.len);
            if let Some(count) = self.freq.get_mut(usize::from(symbol)) {
                *count += 1;
            }
        }
        2 + full
    }

    /// Ends this block and starts the next with codes made for this one's
    /// symbols.
    fn next_block(&mut self) {
        self.put_symbol(END_OF_BLOCK);
        self.block_symbols = BLOCK_SYMBOLS;
        self.start_block();
    }

    /// Writes a block header (not the last block; dynamic codes) with codes
    /// made from `freq`, each symbol counted once more so that every symbol
    /// has a code, and clears the counts.
    fn start_block(&mut self) {
        let mut freq = std::mem::replace(&mut self.freq, [0; LITLEN_SYMBOLS]);
        for count in &mut freq {
            *count = count.saturating_add(1);
        }
        self.symbols = 0;
        let lit_lengths = code_lengths(&freq, MAX_CODE_LEN);
        // One distance is used (1, code 0); a second, unused, code makes the
        // code complete, which every inflater accepts.
        let dist_lengths = [1u8, 1];
        let lengths: Vec<u8> = lit_lengths.iter().chain(&dist_lengths).copied().collect();
        let code_len_symbols = run_length_code_lengths(&lengths);
        let mut code_len_freq = [0u32; 19];
        for &(symbol, _, _) in &code_len_symbols {
            if let Some(count) = code_len_freq.get_mut(usize::from(symbol)) {
                *count += 1;
            }
        }
        let code_len_lengths = code_lengths(&code_len_freq, MAX_CODE_LEN_LEN);
        let code_len_count = (4..=19)
            .rev()
            .find(|&n| {
                (CODE_LEN_ORDER.get(n - 1)).is_some_and(|&s| code_len_lengths.get(s) != Some(&0))
            })
            .unwrap_or(4);

        let bits = &mut self.bits;
        bits.put(0b100, 3);
        bits.put((LITLEN_SYMBOLS - 257) as u32, 5);
        bits.put((dist_lengths.len() - 1) as u32, 5);
        bits.put((code_len_count - 4) as u32, 4);
        for &symbol in CODE_LEN_ORDER.iter().take(code_len_count) {
            bits.put(
                u32::from(code_len_lengths.get(symbol).copied().unwrap_or(0)),
                3,
            );
        }
        let code_len_codes = canonical_codes(&code_len_lengths);
        for &(symbol, extra_bits, extra) in &code_len_symbols {
            if let Some(code) = code_len_codes.get(usize::from(symbol)) {
                bits.put(code.bits, code.len);
                bits.put(u32::from(extra), u32::from(extra_bits));
            }
        }

        for (code, new) in self.codes.iter_mut().zip(canonical_codes(&lit_lengths)) {
            *code = new;
        }
        let distance_one = canonical_codes(&dist_lengths)
            .first()
            .copied()
            .unwrap_or_default();
        for (n, copy) in self.copies.iter_mut().enumerate().skip(3) {
            let (symbol, extra_bits, extra) = length_symbol(n as u16);
            let length = self.codes.get(symbol).copied().unwrap_or_default();
            let extra_bits = u32::from(extra_bits);
            *copy = Code {
                bits: length.bits
                    | u32::from(extra) << length.len
                    | distance_one.bits << (length.len + extra_bits),
                len: length.len + extra_bits + distance_one.len,
            };
        }
    }
}

/// Bit `i` set for each byte `i` of `word` that is not zero.
#[inline]
fn nonzero_bytes(word: u64) -> u32 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte's high bit, set when the byte is not zero: its own high bit,
    // or a carry out of its low seven bits.
    let high = (word | ((word & LOW7) + LOW7)) & HIGH;
    // The multiplication gathers bit 0 of every byte into the top byte.
    ((high >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u32
}

/// The length symbol of a copy of `length` bytes (3 to 258), its number of
/// extra bits and their value (RFC 1951, 3.2.5).
fn length_symbol(length: u16) -> (usize, u8, u16) {
    if length >= 258 {
        return (LEN_258, 0, 0);
    }
    if length < 11 {
        return (257 + usize::from(length.saturating_sub(3)), 0, 0);
    }
    // Past 10, each group of four symbols doubles the lengths it covers.
    let v = length - 3;
    let extra_bits = 15 - v.leading_zeros() as u16 - 2;
    let symbol = 261 + 4 * usize::from(extra_bits) + usize::from((v >> extra_bits) - 4);
    (symbol, extra_bits as u8, v & ((1 << extra_bits) - 1))
}

/// The code lengths of the sequence `lengths` as code length symbols (RFC
/// 1951, 3.2.7): 0 to 15 as they are, 16 repeats the last length 3 to 6
/// times (2 extra bits), 17 and 18 are 3 to 10 and 11 to 138 zeros (3 and
/// 7 extra bits). Each is `(symbol, extra bits, extra value)`.
fn run_length_code_lengths(lengths: &[u8]) -> Vec<(u8, u8, u16)> {
    let mut symbols = Vec::new();
    let mut rest = lengths;
    while let Some(&len) = rest.first() {
        let same = rest.iter().take_while(|&&l| l == len).count();
        rest = rest.get(same..).unwrap_or_default();
        let mut left = same;
        if len == 0 {
            while left >= 11 {
                let n = left.min(138);
                symbols.push((18, 7, (n - 11) as u16));
                left -= n;
            }
            if left >= 3 {
                symbols.push((17, 3, (left - 3) as u16));
                left = 0;
            }
        } else {
            symbols.push((len, 0, 0));
            left -= 1;
            while left >= 3 {
                let n = left.min(6);
                symbols.push((16, 2, (n - 3) as u16));
                left -= n;
            }
        }
        symbols.extend(std::iter::repeat_n((len, 0, 0), left));
    }
    symbols
}

/// Huffman code lengths for symbols occurring `freq` times, none longer
/// than `limit` bits; 0 for a symbol that does not occur. A lone symbol
/// gets a partner so that the code is complete.
fn code_lengths(freq: &[u32], limit: usize) -> Vec<u8> {
    let mut lengths = vec![0u8; freq.len()];
    // (frequency, symbol) of the symbols that occur, rarest first.
    let mut symbols: Vec<(u64, usize)> = (freq.iter().enumerate())
        .filter(|&(_, &f)| f > 0)
        .map(|(symbol, &f)| (u64::from(f), symbol))
        .collect();
    if symbols.len() < 2 {
        let used = symbols.first().map(|&(_, s)| s);
        let partner = usize::from(used == Some(0));
        symbols.push((1, partner));
        if used.is_none() {
            symbols.push((1, partner + 1));
        }
    }
    symbols.sort_unstable();
    let n = symbols.len();
    // Huffman's construction with two queues: leaves in order, and the
    // internal nodes, which are made in order of weight.
    let mut weight: Vec<u64> = symbols.iter().map(|&(f, _)| f).collect();
    weight.resize(2 * n - 1, 0);
    let mut parent = vec![0usize; 2 * n - 1];
    let (mut leaf, mut inner) = (0, n);
    for node in n..2 * n - 1 {
        let mut take = || {
            let leaf_weight = if leaf < n { weight.get(leaf) } else { None };
            let inner_weight = if inner < node {
                weight.get(inner)
            } else {
                None
            };
            match (leaf_weight, inner_weight) {
                (Some(l), Some(i)) if l > i => {
                    inner += 1;
                    inner - 1
                }
                (Some(_), _) => {
                    leaf += 1;
                    leaf - 1
                }
                _ => {
                    inner += 1;
                    inner - 1
                }
            }
        };
        let (a, b) = (take(), take());
        let sum = weight.get(a).copied().unwrap_or(0) + weight.get(b).copied().unwrap_or(0);
        if let Some(w) = weight.get_mut(node) {
            *w = sum;
        }
        for child in [a, b] {
            if let Some(p) = parent.get_mut(child) {
                *p = node;
            }
        }
    }
    // Depths from the root (the last node) down; parents come after children.
    let mut depth = vec![0usize; 2 * n - 1];
    for node in (0..2 * n - 2).rev() {
        let up = parent.get(node).and_then(|&p| depth.get(p)).copied();
        if let (Some(d), Some(up)) = (depth.get_mut(node), up) {
            *d = up + 1;
        }
    }
    let deepest = depth.iter().take(n).copied().max().unwrap_or(0);
    let mut count = vec![0usize; deepest.max(limit) + 1];
    for &d in depth.iter().take(n) {
        if let Some(c) = count.get_mut(d) {
            *c += 1;
        }
    }
    // Too long: move pairs of the deepest codes up, taking a shorter code
    // down to pair with (the adjustment of JPEG, ITU T.81 annex K.3), which
    // keeps the code complete.
    for len in (limit + 1..count.len()).rev() {
        while count.get(len).is_some_and(|&c| c > 0) {
            let Some(shorter) = (1..len - 1)
                .rev()
                .find(|&j| count.get(j).is_some_and(|&c| c > 0))
            else {
                break;
            };
            for (at, change) in [(len, -2), (len - 1, 1), (shorter + 1, 2), (shorter, -1)] {
                if let Some(c) = count.get_mut(at) {
                    *c = c.saturating_add_signed(change);
                }
            }
        }
    }
    // The longest codes to the rarest symbols.
    let mut rarest_first = symbols.iter();
    for len in (1..=limit).rev() {
        for _ in 0..count.get(len).copied().unwrap_or(0) {
            if let Some(&(_, symbol)) = rarest_first.next()
                && let Some(l) = lengths.get_mut(symbol)
            {
                *l = len as u8;
            }
        }
    }
    lengths
}

/// The canonical codes of code lengths `lengths` (RFC 1951, 3.2.2), bit
/// reversed for writing from the low bit up, with their lengths.
fn canonical_codes(lengths: &[u8]) -> Vec<Code> {
    let mut count = [0u32; MAX_CODE_LEN + 1];
    // Length 0 means no code, and is not counted (RFC 1951's bl_count[0]).
    for &len in lengths.iter().filter(|&&len| len > 0) {
        if let Some(c) = count.get_mut(usize::from(len)) {
            *c += 1;
        }
    }
    let mut next = [0u32; MAX_CODE_LEN + 1];
    let mut code = 0;
    for len in 1..=MAX_CODE_LEN {
        code = (code + count.get(len - 1).copied().unwrap_or(0)) << 1;
        if let Some(n) = next.get_mut(len) {
            *n = code;
        }
    }
    lengths
        .iter()
        .map(|&len| {
            let len = usize::from(len);
            let Some(n) = next.get_mut(len).filter(|_| len > 0) else {
                return Code::default();
            };
            let code = *n;
            *n += 1;
            Code {
                bits: code.reverse_bits() >> (32 - len),
                len: len as u32,
            }
        })
        .collect()
}

/// Bits not yet written out, packed from each byte's low bit up (deflate's
/// bit order). Apart from [`BitWriter`] so a hot loop can hold them in
/// registers.
#[derive(Clone, Copy, Default)]
struct Bits {
    acc: u64,
    /// Bits in `acc`, always below 32 between calls.
    len: u32,
}

impl Bits {
    /// Appends the low `len` bits of `value` (`len` at most 32), moving
    /// whole 32-bit words to `out`.
    #[inline]
    fn put(&mut self, out: &mut Vec<u8>, value: u32, len: u32) {
        self.acc |= u64::from(value) << self.len;
        self.len += len;
        if self.len >= 32 {
            out.extend_from_slice(&(self.acc as u32).to_le_bytes());
            self.acc >>= 32;
            self.len -= 32;
        }
    }
}

/// The compressed bytes and the bits still pending.
#[derive(Default)]
struct BitWriter {
    out: Vec<u8>,
    pending: Bits,
}

impl BitWriter {
    /// Appends the low `len` bits of `value` (`len` at most 32).
    #[inline]
    fn put(&mut self, value: u32, len: u32) {
        self.pending.put(&mut self.out, value, len);
    }

    /// Pads with zero bits to a whole byte and writes what is held.
    fn align(&mut self) {
        let Bits { acc, len } = std::mem::take(&mut self.pending);
        let bytes = len.div_ceil(8) as usize;
        self.out
            .extend_from_slice(acc.to_le_bytes().get(..bytes).unwrap_or_default());
    }
}

/// The running Adler-32 checksum (RFC 1950), reduced only now and then: a
/// zero leaves `a` as it is and adds `a` to `b`, so a run of zeros is one
/// multiplication.
#[derive(Default)]
struct Adler32 {
    /// `a` and `b` not reduced since the last [`Self::reduce`], and the
    /// bytes summed before it.
    sums: Checksum,
    /// Bytes summed since the last [`Self::reduce`].
    unreduced: u64,
}

impl Adler32 {
    /// Adds `count` bytes whose sum is `sum` and whose sum weighted by how
    /// many bytes each precedes (itself included) is `weighted`.
    #[inline]
    fn add(&mut self, count: u64, sum: u32, weighted: u32) {
        self.sums.b += count * self.sums.a + u64::from(weighted);
        self.sums.a += u64::from(sum);
        self.count(count);
    }

    /// Adds `count` zero bytes.
    #[inline]
    fn zeros(&mut self, count: u64) {
        self.sums.b += count * self.sums.a;
        self.count(count);
    }

    #[inline]
    fn count(&mut self, bytes: u64) {
        self.unreduced += bytes;
        if self.unreduced >= ADLER_REDUCE_AFTER {
            self.reduce();
        }
    }

    fn reduce(&mut self) {
        self.sums.a %= ADLER_MOD;
        self.sums.b %= ADLER_MOD;
        self.sums.len += self.unreduced;
        self.unreduced = 0;
    }

    fn checksum(mut self) -> Checksum {
        self.reduce();
        self.sums
    }
}

/// The Adler-32 checksum of a segment's bytes, and how many there were:
/// enough to carry on the checksum of the bytes before them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Checksum {
    /// One plus the sum of the bytes, modulo 65,521.
    a: u64,
    /// The sum of `a` after each byte, modulo 65,521.
    b: u64,
    len: u64,
}

impl Default for Checksum {
    /// No bytes.
    fn default() -> Self {
        Self { a: 1, b: 0, len: 0 }
    }
}

impl Checksum {
    /// The checksum of these bytes followed by `next`'s. Each byte of `next`
    /// would have added to `a` the sum of these bytes (`self.a - 1`) as
    /// well, and so `b` gains that sum once for each byte of `next`.
    #[must_use]
    pub fn then(self, next: Self) -> Self {
        let before = (self.a + ADLER_MOD - 1) % ADLER_MOD;
        Self {
            a: (before + next.a) % ADLER_MOD,
            b: (self.b + next.b + (next.len % ADLER_MOD) * before) % ADLER_MOD,
            len: self.len.saturating_add(next.len),
        }
    }

    /// The checksum as zlib writes it (big-endian after the stream).
    pub fn value(self) -> u32 {
        ((self.b << 16) | self.a) as u32
    }
}

/// A zlib stream made of segments compressed apart, joined in order: its
/// two-byte header, then each segment's bytes (the caller writes them), then
/// [`Self::end`].
#[derive(Default)]
pub struct ZlibStream {
    checksum: Checksum,
}

impl ZlibStream {
    /// Deflate with a 32 KB window; "fastest" level; no dictionary. The two
    /// bytes are a multiple of 31, as the header check requires.
    pub const HEADER: [u8; 2] = [0x78, 0x01];

    /// A stream with no segments yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts in the next segment, whose bytes follow the ones before.
    pub fn append(&mut self, segment: Checksum) {
        self.checksum = self.checksum.then(segment);
    }

    /// The stream's last bytes: an empty final block with the fixed codes
    /// (BFINAL, type 01 and the end-of-block code, seven zero bits), and the
    /// checksum of every segment's bytes.
    pub fn end(self) -> [u8; 6] {
        let [a, b, c, d] = self.checksum.value().to_be_bytes();
        [0x03, 0x00, a, b, c, d]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Adler-32 straight from RFC 1950's definition.
    fn adler32(data: &[u8]) -> u32 {
        let (mut a, mut b) = (1u32, 0u32);
        for &byte in data {
            a = (a + u32::from(byte)) % 65_521;
            b = (b + a) % 65_521;
        }
        (b << 16) | a
    }

    fn inflate(stream: &[u8]) -> Vec<u8> {
        fdeflate::decompress_to_vec(stream).expect("a valid zlib stream")
    }

    /// A whole zlib stream of one segment.
    fn stream(deflater: Deflater) -> Vec<u8> {
        let (bytes, checksum) = deflater.finish();
        let mut zlib = ZlibStream::new();
        zlib.append(checksum);
        [&ZlibStream::HEADER[..], &bytes, &zlib.end()].concat()
    }

    fn compress(data: &[u8]) -> Vec<u8> {
        let mut deflater = Deflater::new();
        deflater.push(data);
        stream(deflater)
    }

    #[test]
    fn an_empty_stream_inflates_to_nothing() {
        assert_eq!(inflate(&compress(&[])), Vec::<u8>::new());
    }

    #[test]
    fn runs_of_every_length_round_trip() {
        // Around every boundary of the run coding: 1 to 3 zeros, copies
        // of 3, 258 and 258 + 1, 2, 3.
        for run in (0..600).chain([1 << 16, (1 << 16) + 257]) {
            let mut data = vec![7u8];
            data.resize(run + 1, 0);
            data.push(9);
            assert_eq!(inflate(&compress(&data)), data, "a run of {run}");
        }
    }

    #[test]
    fn differences_are_what_is_compressed() {
        let reference: Vec<u8> = (0..1000u32).map(|i| (i * 7) as u8).collect();
        let mut data = reference.clone();
        data[40] = 1;
        data[999] = 0;
        let mut deflater = Deflater::new();
        deflater.push_difference(&data, &reference);
        let filtered: Vec<u8> = (data.iter().zip(&reference))
            .map(|(x, r)| x.wrapping_sub(*r))
            .collect();
        assert_eq!(inflate(&stream(deflater)), filtered);
    }

    #[test]
    fn many_blocks_round_trip() {
        // Noise: every byte a literal, so a block ends after the first
        // 2,048 bytes and then every 32,768.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let data: Vec<u8> = (0..300_000)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        let mut deflater = Deflater::new();
        for chunk in data.chunks(10_000) {
            deflater.push(chunk);
        }
        assert_eq!(inflate(&stream(deflater)), data);
    }

    #[test]
    fn checksums_join_across_the_modulus_and_long_segments() {
        // Segments as long as the modulus and longer (the length counts
        // modulo 65,521), past the point where the sums are reduced inside
        // a segment (2^20 bytes), and one whose `a` comes to 0.
        let mut data: Vec<u8> = (0..65_521u32).map(|i| (i % 251) as u8).collect();
        data.extend((0..65_522u32).map(|i| (i % 13) as u8));
        data.extend((0..(1u32 << 20) + 5).map(|i| (i % 7) as u8));
        // 65,520 ones: a = 1 + 65,520 = 0 modulo 65,521.
        data.extend(std::iter::repeat_n(1u8, 65_520));
        let cuts = [0, 65_521, 131_043, 131_043 + (1 << 20) + 5, data.len()];
        let mut zlib = ZlibStream::new();
        let mut joined = ZlibStream::HEADER.to_vec();
        for piece in cuts.windows(2) {
            let mut deflater = Deflater::new();
            deflater.push(&data[piece[0]..piece[1]]);
            let (bytes, checksum) = deflater.finish();
            assert_eq!(checksum.value(), adler32(&data[piece[0]..piece[1]]));
            joined.extend(bytes);
            zlib.append(checksum);
        }
        assert_eq!(adler32(&data[cuts[3]..]) & 0xffff, 0);
        joined.extend(zlib.end());
        assert_eq!(inflate(&joined), data);
        // The inflater does check the checksum.
        let last = joined.len() - 1;
        joined[last] ^= 1;
        assert!(fdeflate::decompress_to_vec(&joined).is_err());
    }

    #[test]
    fn code_lengths_respect_the_limit_and_stay_complete() {
        // Fibonacci frequencies make an unlimited Huffman code as deep as
        // there are symbols.
        let mut freq = vec![1u32, 1];
        while freq.len() < 30 {
            let next = freq[freq.len() - 1] + freq[freq.len() - 2];
            freq.push(next);
        }
        for limit in [7, 15] {
            let lengths = code_lengths(&freq, limit);
            assert!(lengths.iter().all(|&l| (1..=limit as u8).contains(&l)));
            let kraft: f64 = lengths.iter().map(|&l| 0.5f64.powi(i32::from(l))).sum();
            assert!((kraft - 1.0).abs() < 1e-12, "Kraft sum {kraft}");
        }
    }

    #[test]
    fn length_symbols_match_the_table_of_rfc_1951() {
        // (symbol, extra bits, first length) from RFC 1951, 3.2.5.
        let table = [
            (257, 0, 3),
            (264, 0, 10),
            (265, 1, 11),
            (268, 1, 17),
            (269, 2, 19),
            (272, 2, 31),
            (273, 3, 35),
            (277, 4, 67),
            (281, 5, 131),
            (284, 5, 227),
            (285, 0, 258),
        ];
        for (symbol, extra_bits, first) in table {
            assert_eq!(length_symbol(first), (symbol, extra_bits, 0), "{first}");
        }
        assert_eq!(length_symbol(257), (284, 5, 30));
        assert_eq!(length_symbol(12), (265, 1, 1));
    }

    proptest! {
        /// Any bytes, fed whole or against a reference, in any pieces,
        /// come back from an independent inflater (which checks the
        /// Adler-32 too).
        #[test]
        fn anything_round_trips(
            data in prop::collection::vec(prop_oneof![Just(0u8), any::<u8>()], 0..3000),
            reference_seed in any::<u8>(),
            cut in 0usize..3000,
        ) {
            let reference: Vec<u8> = (0..data.len())
                .map(|i| if i % 5 == 0 { reference_seed } else { data[i] })
                .collect();
            let cut = cut.min(data.len());
            let mut deflater = Deflater::new();
            deflater.push(&data[..cut]);
            deflater.push_difference(&data[cut..], &reference[cut..]);
            let expected: Vec<u8> = data[..cut]
                .iter()
                .copied()
                .chain(data[cut..].iter().zip(&reference[cut..]).map(|(x, r)| x.wrapping_sub(*r)))
                .collect();
            prop_assert_eq!(inflate(&stream(deflater)), expected);
        }

        /// Any bytes cut into segments compressed apart (some of them empty)
        /// and joined in order inflate to the bytes, and the joined checksum
        /// (which the inflater checks) is the one of the whole.
        #[test]
        fn segments_joined_in_order_round_trip(
            data in prop::collection::vec(prop_oneof![Just(0u8), any::<u8>()], 0..6000),
            mut cuts in prop::collection::vec(0usize..6000, 0..6),
        ) {
            for cut in &mut cuts {
                *cut = (*cut).min(data.len());
            }
            cuts.sort_unstable();
            let mut zlib = ZlibStream::new();
            let mut joined = ZlibStream::HEADER.to_vec();
            let mut start = 0;
            for end in cuts.into_iter().chain([data.len()]) {
                let mut deflater = Deflater::new();
                deflater.push(&data[start..end]);
                let (bytes, checksum) = deflater.finish();
                prop_assert_eq!(checksum.value(), adler32(&data[start..end]));
                joined.extend(bytes);
                zlib.append(checksum);
                start = end;
            }
            let end = zlib.end();
            prop_assert_eq!(&end[2..], &adler32(&data).to_be_bytes()[..]);
            joined.extend(end);
            prop_assert_eq!(inflate(&joined), data);
        }

        /// Code lengths for any frequencies: within the limit, complete,
        /// and a symbol that occurs has a code.
        #[test]
        fn code_lengths_are_always_a_complete_code(
            freq in prop::collection::vec(prop_oneof![Just(0u32), 1u32..1_000_000], 2..286),
        ) {
            let lengths = code_lengths(&freq, MAX_CODE_LEN);
            let kraft: f64 = lengths.iter().filter(|&&l| l > 0).map(|&l| 0.5f64.powi(i32::from(l))).sum();
            prop_assert!((kraft - 1.0).abs() < 1e-12);
            for (f, l) in freq.iter().zip(&lengths) {
                prop_assert!(usize::from(*l) <= MAX_CODE_LEN);
                prop_assert!(*f == 0 || *l > 0);
            }
        }
    }
}
