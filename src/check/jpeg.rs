//! Walks the entropy-coded data of a baseline JPEG the way a decoder does, without
//! computing a single pixel, and says where it stops making sense. Forgiving decoders
//! read past garbled data and print noise; like libjpeg's "Corrupt JPEG data"
//! warnings, this notices a Huffman code that no table holds, a block with more than
//! 64 coefficients, a brightness (DC value) outside what 8-bit samples can give, a
//! restart marker out of turn, data that ends before the last block, and data left
//! over after it. Progressive JPEGs are not walked (the strict decoder judges them).

/// One Huffman table in the form of ITU T.81 F.2.2.3 (DECODE).
#[derive(Clone)]
struct Table {
    /// Largest code of each length (1–16), or -1 when there is none.
    max_code: [i32; 17],
    /// Index into `values` of the first code of each length, minus that code.
    offset: [i32; 17],
    values: Vec<u8>,
}

impl Table {
    fn new(counts: &[u8; 16], values: Vec<u8>) -> Option<Table> {
        let mut max_code = [-1i32; 17];
        let mut offset = [0i32; 17];
        let (mut code, mut k) = (0i32, 0i32);
        for len in 1..=16 {
            let n = i32::from(counts[len - 1]);
            if n > 0 {
                offset[len] = k - code;
                code += n;
                k += n;
                max_code[len] = code - 1;
            }
            code <<= 1;
        }
        (k as usize <= values.len()).then_some(Table {
            max_code,
            offset,
            values,
        })
    }
}

/// A component of the frame and the tables its scan uses.
#[derive(Clone, Copy)]
struct Component {
    id: u8,
    h: usize,
    v: usize,
    /// The quantization table it uses.
    tq: usize,
}

/// Reads the entropy-coded bits of one scan, unstuffing 0xFF 0x00.
struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
    byte: u8,
    left: u8,
    /// A marker met inside the data (the scan ends there).
    marker: Option<u8>,
}

impl Bits<'_> {
    fn bit(&mut self) -> Result<u32, String> {
        if self.left == 0 {
            if self.marker.is_some() || self.pos >= self.data.len() {
                return Err("数据提前结束".into());
            }
            let b = self.data[self.pos];
            if b == 0xFF {
                match self.data.get(self.pos + 1) {
                    Some(0x00) => self.pos += 2,
                    Some(&m) => {
                        self.marker = Some(m);
                        return Err("数据提前结束".into());
                    }
                    None => return Err("数据提前结束".into()),
                }
            } else {
                self.pos += 1;
            }
            self.byte = b;
            self.left = 8;
        }
        self.left -= 1;
        Ok(u32::from((self.byte >> self.left) & 1))
    }

    fn bits(&mut self, n: u8) -> Result<u32, String> {
        let mut v = 0;
        for _ in 0..n {
            v = (v << 1) | self.bit()?;
        }
        Ok(v)
    }

    fn decode(&mut self, table: &Table) -> Result<u8, String> {
        let mut code = self.bit()? as i32;
        for len in 1..=16 {
            if code <= table.max_code[len] {
                let index = (table.offset[len] + code) as usize;
                return table
                    .values
                    .get(index)
                    .copied()
                    .ok_or_else(|| "霍夫曼编码无效".to_string());
            }
            code = (code << 1) | self.bit()? as i32;
        }
        Err("霍夫曼编码无效".into())
    }

    /// Drops the fill bits of the current byte and reads a restart marker.
    fn restart(&mut self, expected: u8) -> Result<(), String> {
        self.left = 0;
        let at = self.pos;
        match (self.data.get(at), self.data.get(at + 1)) {
            (Some(0xFF), Some(&m)) if m == 0xD0 + expected => {
                self.pos += 2;
                Ok(())
            }
            _ => Err("复位标记错位".into()),
        }
    }
}

/// Reads the 2-byte big-endian length of a segment at `at` and returns its body.
fn segment(bytes: &[u8], at: usize) -> Option<&[u8]> {
    let len = usize::from(u16::from_be_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]));
    bytes.get(at + 2..at + len)
}

/// What is wrong with the entropy-coded data of a baseline JPEG, if anything. `None`
/// also for JPEGs this walk does not cover (progressive, arithmetic coding).
pub fn damage(bytes: &[u8]) -> Option<String> {
    let mut dc: [Option<Table>; 4] = [None, None, None, None];
    let mut ac: [Option<Table>; 4] = [None, None, None, None];
    let mut frame: Option<(usize, usize, Vec<Component>)> = None;
    let mut restart_interval = 0usize;
    // The DC quantizer of each table.
    let mut dc_step = [1i32; 4];
    let mut at = 2;
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xFF {
            return Some("标记之间有多余的数据".into());
        }
        let marker = bytes[at + 1];
        match marker {
            0xFF => {
                at += 1;
                continue;
            }
            0xD9 => return None,
            0xC0 | 0xC1 => {
                let body = segment(bytes, at + 2)?;
                let height = usize::from(u16::from_be_bytes([*body.get(1)?, *body.get(2)?]));
                let width = usize::from(u16::from_be_bytes([*body.get(3)?, *body.get(4)?]));
                let n = usize::from(*body.get(5)?);
                let mut components = Vec::new();
                for i in 0..n {
                    let c = body.get(6 + 3 * i..9 + 3 * i)?;
                    let (h, v) = (usize::from(c[1] >> 4), usize::from(c[1] & 15));
                    if h == 0 || v == 0 {
                        return Some("帧头中的采样系数无效".into());
                    }
                    components.push(Component {
                        id: c[0],
                        h,
                        v,
                        tq: usize::from(c[2] & 3),
                    });
                }
                frame = Some((width, height, components));
            }
            // Progressive, lossless, hierarchical or arithmetic coded: not walked.
            0xC2 | 0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => return None,
            0xC4 => {
                let body = segment(bytes, at + 2)?;
                let mut p = 0;
                while p + 17 <= body.len() {
                    let class_id = body[p];
                    let counts: [u8; 16] = body[p + 1..p + 17].try_into().ok()?;
                    let total: usize = counts.iter().map(|&c| usize::from(c)).sum();
                    let values = body.get(p + 17..p + 17 + total)?.to_vec();
                    let table = Table::new(&counts, values)?;
                    let slot = usize::from(class_id & 3);
                    if class_id >> 4 == 0 {
                        dc[slot] = Some(table);
                    } else {
                        ac[slot] = Some(table);
                    }
                    p += 17 + total;
                }
            }
            0xDB => {
                let body = segment(bytes, at + 2)?;
                let mut p = 0;
                while p < body.len() {
                    let (precision, slot) = (body[p] >> 4, usize::from(body[p] & 3));
                    let step = if precision == 0 {
                        i32::from(*body.get(p + 1)?)
                    } else {
                        i32::from(u16::from_be_bytes([*body.get(p + 1)?, *body.get(p + 2)?]))
                    };
                    dc_step[slot] = step.max(1);
                    p += 1 + if precision == 0 { 64 } else { 128 };
                }
            }
            0xDD => {
                let body = segment(bytes, at + 2)?;
                restart_interval = usize::from(u16::from_be_bytes([*body.first()?, *body.get(1)?]));
            }
            0xDA => {
                let (width, height, components) = frame.as_ref()?;
                let body = segment(bytes, at + 2)?;
                let n = usize::from(*body.first()?);
                let mut scan = Vec::new();
                for i in 0..n {
                    let id = *body.get(1 + 2 * i)?;
                    let tables = *body.get(2 + 2 * i)?;
                    let component = *components.iter().find(|c| c.id == id)?;
                    let dc_table = dc[usize::from(tables >> 4) & 3].clone()?;
                    let ac_table = ac[usize::from(tables & 15) & 3].clone()?;
                    scan.push(ScanComponent {
                        blocks: 0,
                        dc: dc_table,
                        ac: ac_table,
                        dc_step: dc_step[component.tq],
                        component,
                    });
                }
                let data_start = at + 2 + body.len() + 2;
                let mut bits = Bits {
                    data: bytes,
                    pos: data_start,
                    byte: 0,
                    left: 0,
                    marker: None,
                };
                let h_max = components.iter().map(|c| c.h).max()?;
                let v_max = components.iter().map(|c| c.v).max()?;
                if let Err(problem) = walk_scan(
                    &mut bits,
                    &mut scan,
                    (*width, *height, h_max, v_max),
                    restart_interval,
                ) {
                    return Some(problem);
                }
                // After the last block only fill bits may remain before the marker.
                let rest = &bytes[bits.pos..];
                let leftover = rest
                    .windows(2)
                    .position(|w| w[0] == 0xFF && w[1] != 0x00)
                    .unwrap_or(rest.len());
                if leftover > 0 {
                    return Some(format!("最后一块之后还有 {leftover} 字节多余的数据"));
                }
                at = bits.pos;
                continue;
            }
            0xD0..=0xD7 | 0x01 => {
                at += 2;
                continue;
            }
            _ => {}
        }
        let len = usize::from(u16::from_be_bytes([
            *bytes.get(at + 2)?,
            *bytes.get(at + 3)?,
        ]));
        at += 2 + len;
    }
    None
}

/// One component of a scan: its blocks per MCU, tables and DC quantizer.
struct ScanComponent {
    component: Component,
    blocks: usize,
    dc: Table,
    ac: Table,
    dc_step: i32,
}

/// Decodes every block of one scan, checking each step.
fn walk_scan(
    bits: &mut Bits<'_>,
    scan: &mut [ScanComponent],
    (width, height, h_max, v_max): (usize, usize, usize, usize),
    restart_interval: usize,
) -> Result<(), String> {
    let mcus = if scan.len() == 1 {
        let c = scan[0].component;
        scan[0].blocks = 1;
        let w = (width * c.h).div_ceil(h_max).div_ceil(8);
        let h = (height * c.v).div_ceil(v_max).div_ceil(8);
        w * h
    } else {
        for s in scan.iter_mut() {
            s.blocks = s.component.h * s.component.v;
        }
        width.div_ceil(8 * h_max) * height.div_ceil(8 * v_max)
    };
    let mut next_restart = 0u8;
    let mut predictors = vec![0i32; scan.len()];
    for mcu in 0..mcus {
        if restart_interval > 0 && mcu > 0 && mcu % restart_interval == 0 {
            bits.restart(next_restart)?;
            next_restart = (next_restart + 1) % 8;
            predictors.iter_mut().for_each(|p| *p = 0);
        }
        for (s, predictor) in scan.iter().zip(predictors.iter_mut()) {
            for _ in 0..s.blocks {
                *predictor += block(bits, &s.dc, &s.ac)?;
                // F(0,0) of level-shifted 8-bit samples lies in [-1024, 1016].
                let dc = *predictor * s.dc_step;
                if !(-1024 - s.dc_step..=1016 + s.dc_step).contains(&dc) {
                    return Err("图块亮度超出可能的范围".into());
                }
            }
        }
    }
    bits.left = 0;
    Ok(())
}

/// Decodes one block; returns its DC difference.
fn block(bits: &mut Bits<'_>, dc: &Table, ac: &Table) -> Result<i32, String> {
    let size = bits.decode(dc)?;
    if size > 11 {
        return Err("直流系数无效".into());
    }
    let diff = extend(bits.bits(size)?, size);
    let mut k = 1;
    while k < 64 {
        let rs = bits.decode(ac)?;
        let (run, size) = (usize::from(rs >> 4), rs & 15);
        if size == 0 {
            if run == 15 {
                k += 16;
                continue;
            }
            break;
        }
        k += run;
        if k > 63 || size > 10 {
            return Err("一个图块的系数超过 64 个".into());
        }
        bits.bits(size)?;
        k += 1;
    }
    if k > 64 {
        return Err("一个图块的系数超过 64 个".into());
    }
    Ok(diff)
}

/// The signed value of `size` magnitude bits (T.81 F.2.2.1 EXTEND).
fn extend(value: u32, size: u8) -> i32 {
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
