//! Whether an evidence file is a whole, readable scan: a JPEG, PNG or scanner TIFF
//! that decodes completely, or a PDF with its header and end marker. The file is
//! recognised by its content, not its extension, and read through a bounded buffer.
//! A JPEG is decoded strictly: damage that a forgiving decoder papers over (garbled
//! image data shows as noise on paper) is reported, while the scan stays usable.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

/// What kind of scan a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanKind {
    Jpeg,
    Png,
    Pdf,
    /// Scanner output; converted losslessly to PNG for the evidence volume.
    Tiff,
}

impl ScanKind {
    pub fn label(self) -> &'static str {
        match self {
            ScanKind::Jpeg => "JPEG",
            ScanKind::Png => "PNG",
            ScanKind::Pdf => "PDF",
            ScanKind::Tiff => "TIFF",
        }
    }
}

/// Why a scan cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ScanProblem {
    /// The file is not there.
    #[error("文件不存在")]
    Missing,
    /// The path names a folder.
    #[error("这是一个文件夹，不是文件")]
    NotAFile,
    /// The file exists but cannot be read.
    #[error("无法读取：{0}")]
    Unreadable(std::io::Error),
    /// The file is empty.
    #[error("文件是空的（0 字节）")]
    Empty,
    /// The content is no JPEG, PNG, TIFF or PDF (whatever the extension says).
    #[error("文件内容不是 JPEG、PNG、TIFF 或 PDF")]
    UnknownFormat,
    /// The file is cut short (a transfer or scan that did not finish).
    #[error("{0} 文件不完整（末尾缺失），可能在复制或扫描时中断")]
    Truncated(&'static str),
    /// More pixels than a scan of a page has: a decompression bomb or a mistaken setting.
    #[error("{kind} 图像有 {width} × {height} 像素，超出可处理的范围；请以 300–600 dpi 重新扫描")]
    TooLarge {
        kind: &'static str,
        width: u32,
        height: u32,
    },
    /// The image data is damaged.
    #[error("{kind} 图像已损坏，无法完整解码：{detail}")]
    Corrupt { kind: &'static str, detail: String },
}

/// How far from the end the end marker of a JPEG or PDF may sit (trailing padding).
const TAIL: u64 = 4096;

/// A usable scan: what it is, and any damage a forgiving decoder read past.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    pub kind: ScanKind,
    /// What the strict decoder found wrong, when the image still decodes.
    pub damage: Option<String>,
}

/// What kind of scan a file holds, by its first bytes only (for files already
/// inspected).
pub fn sniff(path: &Path) -> Option<ScanKind> {
    let mut head = [0u8; 1024];
    let n = read_up_to(&mut File::open(path).ok()?, &mut head).ok()?;
    kind_of(&head[..n])
}

pub fn kind_of(head: &[u8]) -> Option<ScanKind> {
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ScanKind::Jpeg)
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(ScanKind::Png)
    } else if head.windows(5).any(|w| w == b"%PDF-") {
        Some(ScanKind::Pdf)
    } else if head.starts_with(b"II*\0") || head.starts_with(b"MM\0*") {
        Some(ScanKind::Tiff)
    } else {
        None
    }
}

/// Checks one scan file and tells what it is.
pub fn inspect(path: &Path) -> Result<Scan, ScanProblem> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(ScanProblem::Missing),
        Err(e) => return Err(ScanProblem::Unreadable(e)),
    };
    if meta.is_dir() {
        return Err(ScanProblem::NotAFile);
    }
    if meta.len() == 0 {
        return Err(ScanProblem::Empty);
    }
    let mut file = File::open(path).map_err(ScanProblem::Unreadable)?;
    let mut head = [0u8; 1024];
    let n = read_up_to(&mut file, &mut head).map_err(ScanProblem::Unreadable)?;
    let kind = kind_of(&head[..n]).ok_or(ScanProblem::UnknownFormat)?;
    let mut damage = None;

    let tail = read_tail(&mut file, meta.len()).map_err(ScanProblem::Unreadable)?;
    match kind {
        ScanKind::Jpeg => {
            if !tail.windows(2).any(|w| w == [0xFF, 0xD9]) {
                return Err(ScanProblem::Truncated("JPEG"));
            }
            damage = decode_jpeg_strictly(path)?;
        }
        ScanKind::Png => {
            if !tail.windows(4).any(|w| w == b"IEND") {
                return Err(ScanProblem::Truncated("PNG"));
            }
            decode(path, image::ImageFormat::Png, "PNG")?;
        }
        ScanKind::Pdf => {
            if !tail.windows(5).any(|w| w == b"%%EOF") {
                return Err(ScanProblem::Truncated("PDF"));
            }
        }
        ScanKind::Tiff => decode(path, image::ImageFormat::Tiff, "TIFF")?,
    }
    Ok(Scan { kind, damage })
}

/// Decodes a JPEG with a strict decoder. Damage it finds is returned when a forgiving
/// decode still succeeds (the scan prints, with noise where the data is garbled); a
/// JPEG that does not decode even forgivingly is corrupt.
fn decode_jpeg_strictly(path: &Path) -> Result<Option<String>, ScanProblem> {
    let file = File::open(path).map_err(ScanProblem::Unreadable)?;
    let (width, height) =
        image::ImageReader::with_format(BufReader::new(file), image::ImageFormat::Jpeg)
            .into_dimensions()
            .map_err(|e| ScanProblem::Corrupt {
                kind: "JPEG",
                detail: e.to_string(),
            })?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(ScanProblem::TooLarge {
            kind: "JPEG",
            width,
            height,
        });
    }
    let bytes = std::fs::read(path).map_err(ScanProblem::Unreadable)?;
    if let Some(problem) = super::jpeg::damage(&bytes) {
        decode(path, image::ImageFormat::Jpeg, "JPEG")?;
        return Ok(Some(problem));
    }
    let options = zune_core::options::DecoderOptions::default()
        .set_strict_mode(true)
        .set_max_width(width as usize)
        .set_max_height(height as usize);
    let cursor = zune_core::bytestream::ZCursor::new(&bytes);
    let mut strict = zune_jpeg::JpegDecoder::new_with_options(cursor, options);
    match strict.decode() {
        Ok(_) => Ok(None),
        Err(e) => {
            decode(path, image::ImageFormat::Jpeg, "JPEG")?;
            Ok(Some(e.to_string()))
        }
    }
}

fn read_up_to(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

fn read_tail(file: &mut File, len: u64) -> std::io::Result<Vec<u8>> {
    let start = len.saturating_sub(TAIL);
    file.seek(SeekFrom::Start(start))?;
    let mut tail = Vec::with_capacity(TAIL as usize);
    file.take(TAIL).read_to_end(&mut tail)?;
    Ok(tail)
}

/// The most pixels a scan may have: an A4 page at 1200 dpi (139 million) fits; more is
/// a mistaken scanner setting or an image made to exhaust memory.
const MAX_PIXELS: u64 = 150_000_000;

/// Decodes the whole image, so damage anywhere in it is found now and not on paper.
/// Its size is read from the header first, and an oversized one is refused unread.
fn decode(path: &Path, format: image::ImageFormat, kind: &'static str) -> Result<(), ScanProblem> {
    let corrupt = |e: image::ImageError| ScanProblem::Corrupt {
        kind,
        detail: e.to_string(),
    };
    let file = File::open(path).map_err(ScanProblem::Unreadable)?;
    let (width, height) = image::ImageReader::with_format(BufReader::new(file), format)
        .into_dimensions()
        .map_err(corrupt)?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(ScanProblem::TooLarge {
            kind,
            width,
            height,
        });
    }
    let file = File::open(path).map_err(ScanProblem::Unreadable)?;
    let mut reader = image::ImageReader::with_format(BufReader::new(file), format);
    let mut limits = image::Limits::default();
    // An A4 page at 600 dpi in 16-bit RGBA is about 1.1 GB; allow real scans, refuse bombs.
    limits.max_alloc = Some(1536 * 1024 * 1024);
    reader.limits(limits);
    reader.decode().map(drop).map_err(|e| match e {
        image::ImageError::Limits(_) => ScanProblem::TooLarge {
            kind,
            width,
            height,
        },
        e => corrupt(e),
    })
}
