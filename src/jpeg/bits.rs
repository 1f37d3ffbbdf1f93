//! The entropy-coded bits of a baseline JPEG scan: a 64-bit reader that unstuffs
//! 0xFF 0x00 and stops at a marker, and Huffman tables decoded through a 9-bit lookup
//! (longer codes by ITU T.81 F.2.2.3 DECODE). The reader's hot state (the bit buffer and
//! its count) is kept in local variables through a whole block, so that it stays in
//! registers.

/// Codes this long or shorter are decoded by one lookup.
const FAST: u32 = 9;

/// The window of the AC skip table: as many whole AC coefficients (code and magnitude
/// bits) as fit in this many bits are read past by one lookup.
const SKIP: u32 = 12;

/// What went wrong in a block's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bad {
    Huffman,
    Dc,
    TooMany,
    Early,
    Restart,
}

impl Bad {
    pub fn message(self) -> &'static str {
        match self {
            Bad::Huffman => "霍夫曼编码无效",
            Bad::Dc => "直流系数无效",
            Bad::TooMany => "一个图块的系数超过 64 个",
            Bad::Early => "数据提前结束",
            Bad::Restart => "复位标记错位",
        }
    }
}

/// One Huffman table.
#[derive(Clone)]
pub struct Table {
    /// Largest code of each length (1–16), or -1 when there is none.
    max_code: [i32; 17],
    /// Index into `values` of the first code of each length, minus that code.
    offset: [i32; 17],
    values: Vec<u8>,
    /// By the next 9 bits: the code's length (high byte; 0: longer, or none) and its
    /// value (low byte).
    fast: Box<[u16; 1 << FAST]>,
    /// For AC tables, by the next 12 bits: the bits that whole coefficients take
    /// (high byte; 0: none fits, decode one by one), whether the last is the end of
    /// the block (bit 7), and how many positions they advance (bits 0–6).
    skip: Option<Box<[u16; 1 << SKIP]>>,
}

impl Table {
    /// The table of a DHT segment: code counts per length, then the values.
    pub fn new(counts: &[u8; 16], values: Vec<u8>) -> Option<Table> {
        let mut max_code = [-1i32; 17];
        let mut offset = [0i32; 17];
        let mut fast = Box::new([0u16; 1 << FAST]);
        let (mut code, mut k) = (0i32, 0i32);
        for len in 1..=16 {
            let n = i32::from(counts[len - 1]);
            if n > 0 {
                offset[len] = k - code;
                for c in code..code + n {
                    let value = *values.get((c + offset[len]) as usize)?;
                    if len as u32 <= FAST {
                        let shift = FAST - len as u32;
                        let first = (c as usize) << shift;
                        for entry in &mut fast[first..first + (1 << shift)] {
                            *entry = (len as u16) << 8 | u16::from(value);
                        }
                    }
                }
                code += n;
                k += n;
                max_code[len] = code - 1;
            }
            // Codes that overflow their length (or take the all-ones code) make no table.
            if code >= 1 << len {
                return None;
            }
            code <<= 1;
        }
        (k as usize <= values.len()).then_some(Table {
            max_code,
            offset,
            values,
            fast,
            skip: None,
        })
    }

    /// Makes the table able to skip several AC coefficients at once.
    pub fn for_ac(mut self) -> Table {
        let mut skip = Box::new([0u16; 1 << SKIP]);
        for (prefix, entry) in skip.iter_mut().enumerate() {
            let (mut used, mut advance) = (0u32, 0u32);
            let mut end = false;
            while used < SKIP {
                let acc = (prefix as u64) << (64 - SKIP + used);
                let Ok((len, rs)) = self.lookup(acc) else {
                    break;
                };
                let (run, size) = (u32::from(rs >> 4), u32::from(rs & 15));
                // Whole coefficients only, never a bad one (the one-by-one reading
                // reports it), and never past the block's 64 positions.
                let step = match (run, size) {
                    (_, 11..) => break,
                    (0, 0) => 0,
                    (15, 0) => 16,
                    (_, 0) => break,
                    _ => run + 1,
                };
                if used + len + size > SKIP || advance + step > 64 {
                    break;
                }
                used += len + size;
                advance += step;
                if step == 0 {
                    end = true;
                    break;
                }
            }
            if used > 0 {
                *entry = (used as u16) << 8 | u16::from(end) << 7 | advance as u16;
            }
        }
        self.skip = Some(skip);
        self
    }

    /// The length and value of the code at the top of `acc`.
    #[inline(always)]
    fn lookup(&self, acc: u64) -> Result<(u32, u8), Bad> {
        let entry = self.fast[(acc >> (64 - FAST)) as usize];
        if entry >= 1 << 8 {
            return Ok((u32::from(entry >> 8), entry as u8));
        }
        self.lookup_long(acc)
    }

    /// A code longer than the lookup: the longer lengths in turn (the 9-bit prefix is
    /// past every short code, so no shorter length can match).
    #[cold]
    fn lookup_long(&self, acc: u64) -> Result<(u32, u8), Bad> {
        let peek = (acc >> 48) as i32;
        for len in FAST as usize + 1..=16 {
            let code = peek >> (16 - len);
            if code <= self.max_code[len] {
                let index = (self.offset[len] + code) as usize;
                let value = self.values.get(index).copied().ok_or(Bad::Huffman)?;
                return Ok((len as u32, value));
            }
        }
        Err(Bad::Huffman)
    }
}

/// The reader of one scan's data.
pub struct Bits<'a> {
    data: &'a [u8],
    /// The next byte to read; at a marker it stays on the marker's 0xFF.
    pub pos: usize,
    /// Unread bits, most significant first.
    acc: u64,
    /// How many bits of `acc` are valid.
    n: u32,
    /// How many of those (the last ones) are zeros put after the data's end.
    padded: u32,
    /// The marker the data ran into, if any.
    pub marker: Option<u8>,
}

/// Whether any byte of `word` is 0xFF.
#[inline(always)]
fn has_ff(word: u64) -> bool {
    let inverted = !word;
    inverted.wrapping_sub(0x0101_0101_0101_0101) & !inverted & 0x8080_8080_8080_8080 != 0
}

impl<'a> Bits<'a> {
    pub fn new(data: &'a [u8], pos: usize) -> Bits<'a> {
        Bits {
            data,
            pos,
            acc: 0,
            n: 0,
            padded: 0,
            marker: None,
        }
    }

    /// Tops up a buffer of `n` bits to more than 56. Past the data's end, zeros are put
    /// in (and counted).
    #[inline(always)]
    fn refill(&mut self, mut acc: u64, n: u32) -> (u64, u32) {
        // Whole bytes at once when none of the next eight is 0xFF.
        if let Some(eight) = self.data.get(self.pos..self.pos + 8) {
            let word = u64::from_be_bytes(eight.try_into().expect("eight bytes"));
            if !has_ff(word) {
                let bytes = (64 - n) / 8;
                let kept = word & !u64::MAX.checked_shr(8 * bytes).unwrap_or(0);
                acc |= kept >> n;
                self.pos += bytes as usize;
                return (acc, n + 8 * bytes);
            }
        }
        self.refill_bytewise(acc, n)
    }

    #[cold]
    fn refill_bytewise(&mut self, mut acc: u64, mut n: u32) -> (u64, u32) {
        while n <= 56 {
            let mut byte = 0u8;
            if self.marker.is_none() && self.pos < self.data.len() {
                let b = self.data[self.pos];
                if b != 0xFF {
                    byte = b;
                    self.pos += 1;
                } else {
                    match self.data.get(self.pos + 1) {
                        Some(0x00) => {
                            byte = 0xFF;
                            self.pos += 2;
                        }
                        Some(&m) => {
                            self.marker = Some(m);
                            self.padded += 8;
                        }
                        None => {
                            self.pos = self.data.len();
                            self.padded += 8;
                        }
                    }
                }
            } else {
                self.padded += 8;
            }
            acc |= u64::from(byte) << (56 - n);
            n += 8;
        }
        (acc, n)
    }

    /// Decodes one block and returns its DC difference; the AC coefficients are read
    /// past. Bits past the data's end read as zeros; any problem met after them is
    /// reported as the data ending early, which is what it is.
    pub fn block(&mut self, dc: &Table, ac: &Table) -> Result<i32, Bad> {
        let result = self.read_block(dc, ac);
        if self.n < self.padded {
            return Err(Bad::Early);
        }
        result
    }

    #[inline(always)]
    fn read_block(&mut self, dc: &Table, ac: &Table) -> Result<i32, Bad> {
        let (mut acc, mut n) = (self.acc, self.n);
        // A code (≤ 16 bits) and its magnitude bits (≤ 16) need at most 32.
        if n < 32 {
            (acc, n) = self.refill(acc, n);
        }
        let (len, size) = dc.lookup(acc)?;
        if size > 11 {
            self.acc = acc;
            self.n = n;
            return Err(Bad::Dc);
        }
        acc <<= len;
        let diff = if size == 0 {
            0
        } else {
            let value = (acc >> (64 - u32::from(size))) as u32;
            acc <<= size;
            extend(value, size)
        };
        n -= len + u32::from(size);
        let skip = ac.skip.as_deref();
        let mut k = 1;
        let outcome = loop {
            if k >= 64 {
                break Ok(());
            }
            if n < 32 {
                (acc, n) = self.refill(acc, n);
            }
            if let Some(skip) = skip {
                let entry = skip[(acc >> (64 - SKIP)) as usize];
                // An end of block counts as a position here: the block may not reach
                // position 64 before it (the code after would be the next block's).
                let advance = u32::from(entry & 0x7F) + u32::from(entry >> 7 & 1);
                if entry != 0 && k + advance <= 64 {
                    let used = u32::from(entry >> 8);
                    acc <<= used;
                    n -= used;
                    k += advance;
                    if entry & 0x80 != 0 {
                        break Ok(());
                    }
                    continue;
                }
            }
            let (len, rs) = match ac.lookup(acc) {
                Ok(found) => found,
                Err(bad) => break Err(bad),
            };
            let (run, size) = (u32::from(rs >> 4), u32::from(rs & 15));
            acc <<= len + size;
            n -= len + size;
            if size == 0 {
                if run == 15 {
                    k += 16;
                    continue;
                }
                break Ok(());
            }
            k += run;
            if k > 63 || size > 10 {
                break Err(Bad::TooMany);
            }
            k += 1;
        };
        self.acc = acc;
        self.n = n;
        outcome?;
        if k > 64 {
            return Err(Bad::TooMany);
        }
        Ok(diff)
    }

    /// Ends an interval: drops the fill bits of the current byte and reads restart
    /// marker `expected` (0–7).
    pub fn restart(&mut self, expected: u8) -> Result<(), Bad> {
        if self.n <= 56 {
            (self.acc, self.n) = self.refill_bytewise(self.acc, self.n);
        }
        if self.n - self.padded >= 8 || self.marker != Some(0xD0 + expected) {
            return Err(Bad::Restart);
        }
        self.pos += 2;
        self.acc = 0;
        self.n = 0;
        self.padded = 0;
        self.marker = None;
        Ok(())
    }

    /// After the scan's last block: how many whole bytes of data are left before the
    /// next marker (only fill bits may be), and the position of that marker.
    pub fn finish(&mut self) -> (usize, usize) {
        let whole = ((self.n - self.padded) / 8) as usize;
        if self.marker.is_some() || self.pos >= self.data.len() {
            return (whole, self.pos);
        }
        let rest = &self.data[self.pos..];
        let more = rest
            .windows(2)
            .position(|w| w[0] == 0xFF && w[1] != 0x00)
            .unwrap_or(rest.len());
        (whole + more, self.pos + more)
    }
}

/// The signed value of `size` magnitude bits (T.81 F.2.2.1 EXTEND).
#[inline(always)]
pub fn extend(value: u32, size: u8) -> i32 {
    if size == 0 {
        return 0;
    }
    let value = value as i32;
    if value < 1 << (size - 1) {
        value - (1 << size) + 1
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table of two 2-bit codes (values 7, 8) and one of 12 bits (value 9).
    fn small_table() -> Table {
        let mut counts = [0u8; 16];
        counts[1] = 2;
        counts[11] = 1;
        Table::new(&counts, vec![7, 8, 9]).unwrap()
    }

    #[test]
    fn short_and_long_codes_look_up() {
        let table = small_table();
        let top = |bits: u64, len: u32| bits << (64 - len);
        assert_eq!(table.lookup(top(0b00, 2)), Ok((2, 7)));
        assert_eq!(table.lookup(top(0b01, 2)), Ok((2, 8)));
        assert_eq!(table.lookup(top(0b1000_0000_0000, 12)), Ok((12, 9)));
        assert_eq!(table.lookup(top(0b11, 2)), Err(Bad::Huffman));
    }

    #[test]
    fn refills_across_stuffed_bytes_and_stops_at_a_marker() {
        let data = [0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD9];
        let mut bits = Bits::new(&data, 0);
        let (acc, n) = bits.refill(0, 0);
        assert_eq!(acc >> 40, 0x12FF34);
        assert_eq!(n, 64);
        assert_eq!(bits.padded, 40);
        assert_eq!(bits.marker, Some(0xD9));
        assert_eq!(bits.pos, 4);
    }

    #[test]
    fn skipping_reads_what_one_by_one_reads() {
        // AC codes: "0" = EOB, "10" = run 0 size 1, "110" = ZRL, "1110" = run 2 size 2.
        let mut counts = [0u8; 16];
        (counts[0], counts[1], counts[2], counts[3]) = (1, 1, 1, 1);
        let ac = Table::new(&counts, vec![0x00, 0x01, 0xF0, 0x22]).unwrap();
        let dc = Table::new(&[1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], vec![0]).unwrap();
        let skipping = ac.clone().for_ac();
        // Blocks: DC "0" (size 0), then a mix of coefficients. The third runs to
        // position 64 without an end-of-block code (the "0 0" after it are the next
        // block's DC and end of block); the last overruns position 64.
        let cases: [(&str, usize, bool); 5] = [
            ("0 10 1 1110 01 110 10 0 0", 1, true),
            ("0 0", 1, true),
            (
                "0 110 110 110 1110 11 10 1 10 0 10 1 10 1 10 1 10 0 10 0 10 1 10 1 10 1 10 1 10 1",
                1,
                true,
            ),
            (
                "0 110 110 110 1110 11 10 1 10 0 10 1 10 1 10 1 10 0 10 0 10 1 10 1 10 1 10 1 10 1 0 0",
                2,
                true,
            ),
            ("0 110 110 110 110 110", 1, false),
        ];
        for (i, (case, blocks, good)) in cases.iter().enumerate() {
            let mut bits: Vec<u8> = case
                .bytes()
                .filter(|b| *b != b' ')
                .map(|b| b - b'0')
                .collect();
            while !bits.len().is_multiple_of(8) {
                bits.push(1);
            }
            let mut data: Vec<u8> = bits
                .chunks(8)
                .map(|c| c.iter().fold(0, |a, b| a << 1 | b))
                .collect();
            data.extend_from_slice(&[0xFF, 0xD9]);
            let (mut one, mut many) = (Bits::new(&data, 0), Bits::new(&data, 0));
            for _ in 0..*blocks {
                let (a, b) = (one.block(&dc, &ac), many.block(&dc, &skipping));
                assert_eq!(a, b, "case {i}");
                assert_eq!(b.is_ok(), *good, "case {i}");
            }
            if *good {
                assert_eq!(many.finish().0, 0, "case {i}");
            }
        }
    }

    #[test]
    fn refills_eight_plain_bytes_at_once() {
        let data = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        let mut bits = Bits::new(&data, 0);
        let (acc, n) = bits.refill(0xAB << 56, 8);
        assert_eq!(n, 64);
        assert_eq!(acc, 0xAB01_0203_0405_0607);
        assert_eq!(bits.pos, 7);
    }

    #[test]
    fn a_block_of_dc_then_end_of_block() {
        // DC table: one 1-bit code "0" meaning size 2. AC table: one code "0" = EOB.
        let mut counts = [0u8; 16];
        counts[0] = 1;
        let dc = Table::new(&counts, vec![2]).unwrap();
        let ac = Table::new(&counts, vec![0]).unwrap();
        // 0 (size 2), 01 (−2), 0 (EOB), then fill bits.
        let data = [0b0010_1111, 0xFF, 0xD9];
        let mut bits = Bits::new(&data, 0);
        assert_eq!(bits.block(&dc, &ac), Ok(-2));
        assert_eq!(bits.finish(), (0, 1));
        let mut bits = Bits::new(&data, 0);
        assert_eq!(bits.block(&dc, &ac.clone().for_ac()), Ok(-2));
        assert_eq!(bits.finish(), (0, 1));
        // Data that stops inside a block is found out.
        let mut bits = Bits::new(&data[1..], 0);
        assert_eq!(bits.block(&dc, &ac), Err(Bad::Early));
    }
}
