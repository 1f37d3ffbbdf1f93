//! Whether an evidence file is a whole, readable scan: a JPEG, PNG or scanner TIFF
//! that decodes completely, or a PDF with its header and end marker. The file is
//! recognised by its content, not its extension, and read once, through a buffer. A
//! JPEG is decoded strictly (zune-jpeg): damage that a forgiving decoder papers over
//! (garbled image data shows as noise on paper) is reported, while the scan stays usable
//! if a forgiving decoder still reads it whole.

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
    /// Reading the file met a defect of dashi's (a panic, caught).
    #[error("{0}；请把这个文件发给 dashi 的维护者")]
    Defect(String),
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

/// Checks one scan file and tells what it is. A defect of dashi's or of a decoder that
/// this file meets (a panic) is this file's problem, never the end of the command.
pub fn inspect(path: &Path) -> Result<Scan, ScanProblem> {
    crate::failure::caught(path, || inspect_file(path))
        .unwrap_or_else(|said| Err(ScanProblem::Defect(said)))
}

fn inspect_file(path: &Path) -> Result<Scan, ScanProblem> {
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
    let tail = read_tail(&mut file, meta.len()).map_err(ScanProblem::Unreadable)?;
    let end_marker: &[u8] = match kind {
        ScanKind::Jpeg => &[0xFF, 0xD9],
        ScanKind::Png => b"IEND",
        ScanKind::Pdf => b"%%EOF",
        ScanKind::Tiff => b"",
    };
    if !end_marker.is_empty() && !tail.windows(end_marker.len()).any(|w| w == end_marker) {
        return Err(ScanProblem::Truncated(kind.label()));
    }
    file.seek(SeekFrom::Start(0))
        .map_err(ScanProblem::Unreadable)?;
    let damage = match kind {
        ScanKind::Jpeg => jpeg(file)?,
        ScanKind::Png => decode(file, image::ImageFormat::Png, "PNG").map(|()| None)?,
        ScanKind::Tiff => decode(file, image::ImageFormat::Tiff, "TIFF").map(|()| None)?,
        ScanKind::Pdf => None,
    };
    Ok(Scan { kind, damage })
}

/// Decodes a JPEG in one pass with a strict decoder. Damage it finds is returned when a
/// forgiving decode still succeeds (the scan prints, with noise where the data is
/// garbled; only such a scan is decoded twice); a JPEG that does not decode even
/// forgivingly is corrupt.
fn jpeg(mut file: File) -> Result<Option<String>, ScanProblem> {
    let corrupt = |e: zune_jpeg::errors::DecodeErrors| ScanProblem::Corrupt {
        kind: "JPEG",
        detail: in_words(&e),
    };
    let options = |strict: bool| {
        zune_core::options::DecoderOptions::default()
            .set_strict_mode(strict)
            .set_max_width(usize::MAX)
            .set_max_height(usize::MAX)
    };
    let mut strict =
        zune_jpeg::JpegDecoder::new_with_options(BufReader::new(&mut file), options(true));
    strict.decode_headers().map_err(corrupt)?;
    let (width, height) = strict
        .info()
        .map(|info| (u32::from(info.width), u32::from(info.height)))
        .ok_or(ScanProblem::Corrupt {
            kind: "JPEG",
            detail: "没有图像尺寸".into(),
        })?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(ScanProblem::TooLarge {
            kind: "JPEG",
            width,
            height,
        });
    }
    let damage = match strict.decode() {
        Ok(_) => return Ok(None),
        Err(e) => in_words(&e),
    };
    drop(strict);
    file.seek(SeekFrom::Start(0))
        .map_err(ScanProblem::Unreadable)?;
    zune_jpeg::JpegDecoder::new_with_options(BufReader::new(file), options(false))
        .decode()
        .map_err(corrupt)?;
    Ok(Some(damage))
}

/// What a JPEG decoder's error means, in words a clerk can act on.
fn in_words(error: &zune_jpeg::errors::DecodeErrors) -> String {
    use zune_jpeg::errors::DecodeErrors as E;
    let text = error.to_string();
    let said = match error {
        E::ExhaustedData => "图像数据提前结束",
        E::HuffmanDecode(_) => "霍夫曼编码表或编码无效",
        E::SofError(_) | E::ZeroError | E::LargeDimensions(_) => "图像尺寸或帧头无效",
        E::DqtError(_) => "量化表无效",
        E::SosError(_) => "扫描头无效",
        E::IllegalMagicBytes(_) => "不是 JPEG 文件",
        E::IoErrors(_) => "读取文件时出错",
        E::Unsupported(_) => "使用了不支持的 JPEG 编码方式",
        _ if text.contains("Huffman") => "图像数据中有无效的霍夫曼编码",
        _ if text.contains("Premature") || text.contains("No more bytes") => "图像数据提前结束",
        _ if text.contains("Extra bytes") => "图像数据之后有多余的内容",
        _ if text.contains("arker") => "图像数据中有不该出现的标记",
        _ => "图像数据不合 JPEG 规范",
    };
    said.to_string()
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
pub(super) const MAX_PIXELS: u64 = 150_000_000;

/// Decodes the whole image, so damage anywhere in it is found now and not on paper.
/// Its size is read from the header first, and an oversized one is refused unread.
fn decode(file: File, format: image::ImageFormat, kind: &'static str) -> Result<(), ScanProblem> {
    use image::ImageDecoder;
    let corrupt = |e: image::ImageError| ScanProblem::Corrupt {
        kind,
        detail: e.to_string(),
    };
    let mut reader = image::ImageReader::with_format(BufReader::new(file), format);
    let mut limits = image::Limits::default();
    // An A4 page at 600 dpi in 16-bit RGBA is about 1.1 GB; allow real scans, refuse bombs.
    limits.max_alloc = Some(1536 * 1024 * 1024);
    reader.limits(limits);
    let decoder = reader.into_decoder().map_err(corrupt)?;
    let (width, height) = decoder.dimensions();
    let too_large = ScanProblem::TooLarge {
        kind,
        width,
        height,
    };
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(too_large);
    }
    image::DynamicImage::from_decoder(decoder)
        .map(drop)
        .map_err(|e| match e {
            image::ImageError::Limits(_) => too_large,
            e => corrupt(e),
        })
}
