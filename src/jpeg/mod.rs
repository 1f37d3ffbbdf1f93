//! Baseline JPEG read the way a decoder does, block by block, without computing a
//! pixel: the markers, the Huffman tables and every block's DC coefficient (the mean of
//! its 8 × 8 samples). Two uses: `check::jpeg` notices damaged data that forgiving
//! decoders print as noise, and `dc` makes an image at an eighth of the size from the
//! DC coefficients alone, which is all a thumbnail needs. Progressive, lossless,
//! hierarchical and arithmetic-coded JPEGs are not walked.

pub mod bits;
pub mod dc;

use bits::{Bits, Table};

/// A component of the frame.
#[derive(Debug, Clone, Copy)]
pub struct Component {
    pub id: u8,
    /// Horizontal and vertical sampling factors.
    pub h: usize,
    pub v: usize,
    /// The quantization table it uses.
    pub tq: usize,
}

/// The frame header (SOF0/SOF1) and what the other segments said about it.
#[derive(Debug, Clone)]
pub struct Frame {
    pub width: usize,
    pub height: usize,
    pub components: Vec<Component>,
    /// The Adobe APP14 colour transform, when there is one (0: none, 1: YCbCr).
    pub adobe_transform: Option<u8>,
    /// MCUs across and down in an interleaved scan.
    pub mcus_x: usize,
    pub mcus_y: usize,
}

impl Frame {
    pub fn h_max(&self) -> usize {
        self.components.iter().map(|c| c.h).max().unwrap_or(1)
    }

    pub fn v_max(&self) -> usize {
        self.components.iter().map(|c| c.v).max().unwrap_or(1)
    }
}

/// One block as the walk meets it.
pub struct Block {
    /// Which component of the frame.
    pub component: usize,
    /// Its place in the component's grid of blocks.
    pub x: usize,
    pub y: usize,
    /// Its DC coefficient, dequantized: 8 × the mean of its level-shifted samples.
    pub dc: i32,
    /// The DC quantizer (the coefficient's precision).
    pub step: i32,
}

/// How a walk ended.
pub enum Walked {
    /// Through to the end of the image.
    Done(Frame),
    /// Not a JPEG this walk reads (progressive, arithmetic coded, no frame, CMYK…).
    NotWalked,
    /// The data stops making sense, for the reason given.
    Damaged(String),
}

/// Reads a 2-byte big-endian length at `at` and returns the segment's body.
fn segment(bytes: &[u8], at: usize) -> Option<&[u8]> {
    let len = usize::from(u16::from_be_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]));
    bytes.get(at + 2..at + len)
}

/// Walks every block of a baseline JPEG, calling `on_block` for each; an error from it
/// ends the walk as damage.
pub fn walk(bytes: &[u8], mut on_block: impl FnMut(&Frame, Block) -> Result<(), String>) -> Walked {
    match walk_segments(bytes, &mut on_block) {
        Ok(Some(frame)) => Walked::Done(frame),
        Ok(None) => Walked::NotWalked,
        Err(problem) => Walked::Damaged(problem),
    }
}

/// The tables a scan may use, as the segments before it set them.
struct Tables {
    dc: [Option<Table>; 4],
    ac: [Option<Table>; 4],
    /// The DC quantizer of each quantization table.
    dc_step: [i32; 4],
    restart_interval: usize,
}

/// `Ok(None)`: not walked (or no image at all).
fn walk_segments(
    bytes: &[u8],
    on_block: &mut impl FnMut(&Frame, Block) -> Result<(), String>,
) -> Result<Option<Frame>, String> {
    let mut tables = Tables {
        dc: [None, None, None, None],
        ac: [None, None, None, None],
        dc_step: [1; 4],
        restart_interval: 0,
    };
    let mut frame: Option<Frame> = None;
    let mut adobe_transform = None;
    let mut at = 2;
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xFF {
            return Err("标记之间有多余的数据".into());
        }
        let marker = bytes[at + 1];
        match marker {
            0xFF => {
                at += 1;
                continue;
            }
            0xD9 => return Ok(frame),
            0xC0 | 0xC1 => {
                let Some(body) = segment(bytes, at + 2) else {
                    return Ok(None);
                };
                frame = match read_frame(body, adobe_transform)? {
                    Some(f) => Some(f),
                    None => return Ok(None),
                };
            }
            // Progressive, lossless, hierarchical or arithmetic coded: not walked.
            0xC2 | 0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => return Ok(None),
            0xC4 => {
                let Some(body) = segment(bytes, at + 2) else {
                    return Ok(None);
                };
                if read_huffman(body, &mut tables).is_none() {
                    return Ok(None);
                }
            }
            0xDB => {
                let Some(body) = segment(bytes, at + 2) else {
                    return Ok(None);
                };
                if read_quantizers(body, &mut tables).is_none() {
                    return Ok(None);
                }
            }
            0xDD => {
                let Some(&[a, b, ..]) = segment(bytes, at + 2) else {
                    return Ok(None);
                };
                tables.restart_interval = usize::from(u16::from_be_bytes([a, b]));
            }
            0xEE => {
                if let Some(body) = segment(bytes, at + 2)
                    && body.starts_with(b"Adobe")
                {
                    adobe_transform = body.get(11).copied();
                    if let Some(f) = &mut frame {
                        f.adobe_transform = adobe_transform;
                    }
                }
            }
            0xDA => {
                let Some(frame) = frame.as_ref() else {
                    return Ok(None);
                };
                let Some(body) = segment(bytes, at + 2) else {
                    return Ok(None);
                };
                let Some(mut scan) = read_scan(body, frame, &tables) else {
                    return Ok(None);
                };
                let mut bits = Bits::new(bytes, at + 2 + body.len() + 2);
                walk_scan(&mut bits, &mut scan, frame, &tables, on_block)?;
                // After the last block only fill bits may remain before the marker.
                let (leftover, marker) = bits.finish();
                if leftover > 0 {
                    return Err(format!("最后一块之后还有 {leftover} 字节多余的数据"));
                }
                at = marker;
                continue;
            }
            0xD0..=0xD7 | 0x01 => {
                at += 2;
                continue;
            }
            _ => {}
        }
        let Some(&[a, b]) = bytes.get(at + 2..at + 4) else {
            return Ok(None);
        };
        at += 2 + usize::from(u16::from_be_bytes([a, b]));
    }
    Ok(frame)
}

/// The frame header; `Ok(None)` for frames this walk does not read.
fn read_frame(body: &[u8], adobe_transform: Option<u8>) -> Result<Option<Frame>, String> {
    let Some(&[_, h1, h2, w1, w2, n]) = body.get(..6) else {
        return Ok(None);
    };
    let (height, width) = (
        usize::from(u16::from_be_bytes([h1, h2])),
        usize::from(u16::from_be_bytes([w1, w2])),
    );
    let mut components = Vec::new();
    for i in 0..usize::from(n) {
        let Some(c) = body.get(6 + 3 * i..9 + 3 * i) else {
            return Ok(None);
        };
        let (h, v) = (usize::from(c[1] >> 4), usize::from(c[1] & 15));
        if h == 0 || v == 0 {
            return Err("帧头中的采样系数无效".into());
        }
        components.push(Component {
            id: c[0],
            h,
            v,
            tq: usize::from(c[2] & 3),
        });
    }
    if components.is_empty() || width == 0 || height == 0 {
        return Ok(None);
    }
    let mut frame = Frame {
        width,
        height,
        components,
        adobe_transform,
        mcus_x: 0,
        mcus_y: 0,
    };
    frame.mcus_x = width.div_ceil(8 * frame.h_max());
    frame.mcus_y = height.div_ceil(8 * frame.v_max());
    Ok(Some(frame))
}

fn read_huffman(body: &[u8], tables: &mut Tables) -> Option<()> {
    let mut p = 0;
    while p + 17 <= body.len() {
        let class_id = body[p];
        let counts: [u8; 16] = body[p + 1..p + 17].try_into().ok()?;
        let total: usize = counts.iter().map(|&c| usize::from(c)).sum();
        let values = body.get(p + 17..p + 17 + total)?.to_vec();
        let table = Table::new(&counts, values)?;
        let slot = usize::from(class_id & 3);
        if class_id >> 4 == 0 {
            tables.dc[slot] = Some(table);
        } else {
            tables.ac[slot] = Some(table.for_ac());
        }
        p += 17 + total;
    }
    Some(())
}

fn read_quantizers(body: &[u8], tables: &mut Tables) -> Option<()> {
    let mut p = 0;
    while p < body.len() {
        let (precision, slot) = (body[p] >> 4, usize::from(body[p] & 3));
        let step = if precision == 0 {
            i32::from(*body.get(p + 1)?)
        } else {
            i32::from(u16::from_be_bytes([*body.get(p + 1)?, *body.get(p + 2)?]))
        };
        tables.dc_step[slot] = step.max(1);
        p += 1 + if precision == 0 { 64 } else { 128 };
    }
    Some(())
}

/// One component of a scan: its place in the frame, blocks per MCU and tables.
struct ScanComponent {
    index: usize,
    component: Component,
    dc: Table,
    ac: Table,
    dc_step: i32,
}

fn read_scan(body: &[u8], frame: &Frame, tables: &Tables) -> Option<Vec<ScanComponent>> {
    let n = usize::from(*body.first()?);
    let mut scan = Vec::new();
    for i in 0..n {
        let id = *body.get(1 + 2 * i)?;
        let selectors = *body.get(2 + 2 * i)?;
        let index = frame.components.iter().position(|c| c.id == id)?;
        let component = frame.components[index];
        scan.push(ScanComponent {
            index,
            component,
            dc: tables.dc[usize::from(selectors >> 4) & 3].clone()?,
            ac: tables.ac[usize::from(selectors & 15) & 3].clone()?,
            dc_step: tables.dc_step[component.tq],
        });
    }
    (!scan.is_empty()).then_some(scan)
}

/// Decodes every block of one scan, in order.
fn walk_scan(
    bits: &mut Bits<'_>,
    scan: &mut [ScanComponent],
    frame: &Frame,
    tables: &Tables,
    on_block: &mut impl FnMut(&Frame, Block) -> Result<(), String>,
) -> Result<(), String> {
    // A scan of one component goes through its own blocks, row by row; a scan of
    // several, MCU by MCU, each component's h × v blocks in turn.
    let single = scan.len() == 1;
    let (across, mcus) = if single {
        let c = scan[0].component;
        let w = (frame.width * c.h).div_ceil(frame.h_max()).div_ceil(8);
        let h = (frame.height * c.v).div_ceil(frame.v_max()).div_ceil(8);
        (w, w * h)
    } else {
        (frame.mcus_x, frame.mcus_x * frame.mcus_y)
    };
    let mut next_restart = 0u8;
    let mut predictors = vec![0i32; scan.len()];
    let interval = tables.restart_interval;
    for mcu in 0..mcus {
        if interval > 0 && mcu > 0 && mcu % interval == 0 {
            bits.restart(next_restart)
                .map_err(|b| b.message().to_string())?;
            next_restart = (next_restart + 1) % 8;
            predictors.iter_mut().for_each(|p| *p = 0);
        }
        let (mx, my) = (mcu % across, mcu / across);
        for (s, predictor) in scan.iter().zip(predictors.iter_mut()) {
            let (h, v) = if single {
                (1, 1)
            } else {
                (s.component.h, s.component.v)
            };
            for i in 0..h * v {
                *predictor += bits
                    .block(&s.dc, &s.ac)
                    .map_err(|b| b.message().to_string())?;
                on_block(
                    frame,
                    Block {
                        component: s.index,
                        x: mx * h + i % h,
                        y: my * v + i / h,
                        dc: *predictor * s.dc_step,
                        step: s.dc_step,
                    },
                )?;
            }
        }
    }
    Ok(())
}
