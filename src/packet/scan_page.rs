//! Scans in the evidence volume without ever holding them in memory. Typst keeps every
//! image it lays out decoded until the whole PDF is written (about 26 MB for an A4
//! colour page at 300 dpi), and writes the PDF as one buffer. So typst lays out each
//! raster scan as a stand-in: a one-page PDF of the scan's shape (from its header
//! only) whose image is a single white pixel marked `/DashiScan n`. Once typst has
//! written the volume, `complete` appends a PDF incremental update (ISO 32000-1 7.5.6)
//! that gives each marked image object its real data, streamed from disk: a JPEG byte
//! for byte (DCTDecode), a PNG's compressed data as it is where PDF can carry it
//! (FlateDecode with PNG predictors), anything else (TIFF, a PNG with transparency or
//! interlacing) decoded, one at a time, and stored losslessly. Nothing is recompressed
//! with loss, and memory stays flat whatever the number of scans.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::media::scan::ScanKind;

/// The longer side of a stand-in page, in points: only the aspect ratio matters, typst
/// scales the page into the type area.
pub(super) const LONG_SIDE: f64 = 842.0;

/// The key that marks a stand-in's image object with its catalogue number.
const MARK: &str = "/DashiScan";

/// Why a scan could not be placed (it passed `check`, so it changed since).
#[derive(Debug, thiserror::Error)]
pub enum ScanPageError {
    #[error("无法读取 {}：{}", path.display(), crate::fsio::why(source))]
    Read { path: PathBuf, source: io::Error },
    #[error("{} 无法解码：{detail}", path.display())]
    Decode { path: PathBuf, detail: String },
    #[error("无法写入佐证材料册：{0}")]
    Write(#[from] io::Error),
    #[error("排版结果中找不到佐证材料 {0} 的占位图像")]
    Unplaced(usize),
}

/// A scan's pixel size and EXIF orientation (1–8), as its header tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    pub width: u32,
    pub height: u32,
    pub orientation: u8,
}

/// How a scan's pixels go into the PDF.
enum Encoding {
    /// The JPEG file as it is.
    Jpeg { components: u8, adobe: bool },
    /// A PNG's IDAT data as it is.
    Png {
        depth: u8,
        colours: u8,
        palette: Option<Vec<u8>>,
    },
    /// Decoded and deflated.
    Decoded,
}

fn read_err(path: &Path) -> impl FnOnce(io::Error) -> ScanPageError + use<> {
    let path = path.to_path_buf();
    move |source| ScanPageError::Read { path, source }
}

/// Reads what the stand-in and the final image need from a scan's header.
fn inspect(path: &Path, kind: ScanKind) -> Result<(Shape, Encoding), ScanPageError> {
    let file = File::open(path).map_err(read_err(path))?;
    let mut reader = BufReader::new(file);
    let found = match kind {
        ScanKind::Jpeg => jpeg_header(&mut reader).map_err(read_err(path))?,
        ScanKind::Png => png_header(&mut reader).map_err(read_err(path))?,
        _ => None,
    };
    if let Some(found) = found {
        return Ok(found);
    }
    let (width, height) = image::ImageReader::open(path)
        .map_err(read_err(path))?
        .with_guessed_format()
        .map_err(read_err(path))?
        .into_dimensions()
        .map_err(|e| ScanPageError::Decode {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })?;
    Ok((
        Shape {
            width,
            height,
            orientation: 1,
        },
        Encoding::Decoded,
    ))
}

fn jpeg_header(reader: &mut (impl Read + Seek)) -> io::Result<Option<(Shape, Encoding)>> {
    let mut soi = [0u8; 2];
    reader.read_exact(&mut soi)?;
    let (mut width, mut height, mut components) = (0u32, 0u32, 0u8);
    let (mut adobe, mut orientation) = (false, 1);
    loop {
        let mut marker = [0u8; 2];
        reader.read_exact(&mut marker)?;
        if marker[0] != 0xFF {
            return Ok(None);
        }
        if matches!(marker[1], 0xD8 | 0x01 | 0xD0..=0xD7 | 0xFF) {
            if marker[1] == 0xFF {
                reader.seek(SeekFrom::Current(-1))?;
            }
            continue;
        }
        let mut len = [0u8; 2];
        reader.read_exact(&mut len)?;
        let len = usize::from(u16::from_be_bytes(len)).saturating_sub(2);
        let wanted = matches!(marker[1], 0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF | 0xE1 | 0xEE);
        if marker[1] == 0xDA {
            break;
        }
        if !wanted {
            reader.seek(SeekFrom::Current(len as i64))?;
            continue;
        }
        let mut body = vec![0u8; len];
        reader.read_exact(&mut body)?;
        match marker[1] {
            0xE1 if body.starts_with(b"Exif\0\0") => {
                orientation = crate::media::exif::orientation(&body[6..]).unwrap_or(1);
            }
            0xEE => adobe |= body.starts_with(b"Adobe"),
            0xE1 => {}
            _ if body.len() >= 6 => {
                height = u32::from(u16::from_be_bytes([body[1], body[2]]));
                width = u32::from(u16::from_be_bytes([body[3], body[4]]));
                components = body[5];
            }
            _ => {}
        }
    }
    if width == 0 || height == 0 || !matches!(components, 1 | 3 | 4) {
        return Ok(None);
    }
    Ok(Some((
        Shape {
            width,
            height,
            orientation,
        },
        Encoding::Jpeg { components, adobe },
    )))
}

/// The chunks of a PNG: (type, offset of the data, length).
fn png_chunks(reader: &mut (impl Read + Seek)) -> io::Result<Vec<([u8; 4], u64, u32)>> {
    reader.seek(SeekFrom::Start(8))?;
    let mut chunks = Vec::new();
    loop {
        let mut head = [0u8; 8];
        if reader.read_exact(&mut head).is_err() {
            break;
        }
        let len = u32::from_be_bytes(head[..4].try_into().expect("4 bytes"));
        let kind: [u8; 4] = head[4..].try_into().expect("4 bytes");
        let at = reader.stream_position()?;
        chunks.push((kind, at, len));
        if &kind == b"IEND" {
            break;
        }
        reader.seek(SeekFrom::Current(i64::from(len) + 4))?;
    }
    Ok(chunks)
}

/// A PNG whose data PDF reads as it is: not interlaced, no transparency, grey, RGB or
/// palette colour.
fn png_header(reader: &mut (impl Read + Seek)) -> io::Result<Option<(Shape, Encoding)>> {
    let chunks = png_chunks(reader)?;
    let read = |reader: &mut dyn ReadSeek, at: u64, len: u32| -> io::Result<Vec<u8>> {
        reader.seek(SeekFrom::Start(at))?;
        let mut body = vec![0u8; len as usize];
        reader.read_exact(&mut body)?;
        Ok(body)
    };
    let Some(&(_, at, len)) = chunks.iter().find(|c| &c.0 == b"IHDR") else {
        return Ok(None);
    };
    let ihdr = read(reader, at, len.min(13))?;
    if ihdr.len() < 13 || chunks.iter().any(|c| &c.0 == b"tRNS") || ihdr[12] != 0 {
        return Ok(None);
    }
    let width = u32::from_be_bytes(ihdr[0..4].try_into().expect("4 bytes"));
    let height = u32::from_be_bytes(ihdr[4..8].try_into().expect("4 bytes"));
    let (depth, colour) = (ihdr[8], ihdr[9]);
    let palette = match chunks.iter().find(|c| &c.0 == b"PLTE") {
        Some(&(_, at, len)) if len % 3 == 0 && len > 0 && len <= 768 => {
            Some(read(reader, at, len)?)
        }
        _ => None,
    };
    let colours = match (colour, &palette) {
        (0, _) => 1,
        (2, _) if depth >= 8 => 3,
        (3, Some(_)) => 1,
        _ => return Ok(None),
    };
    let palette = if colour == 3 { palette } else { None };
    Ok(Some((
        Shape {
            width,
            height,
            orientation: 1,
        },
        Encoding::Png {
            depth,
            colours,
            palette,
        },
    )))
}

trait ReadSeek: Read + Seek {}
impl<T: Read + Seek> ReadSeek for T {}

/// What typst lays out for scan `number`: a one-page PDF of the scan's shape, turned
/// as its EXIF orientation says, whose image is one white pixel marked with `number`.
pub fn stand_in(path: &Path, kind: ScanKind, number: usize) -> Result<Vec<u8>, ScanPageError> {
    let (shape, _) = inspect(path, kind)?;
    let turned = shape.orientation >= 5;
    let (w, h) = if turned {
        (f64::from(shape.height), f64::from(shape.width))
    } else {
        (f64::from(shape.width), f64::from(shape.height))
    };
    let scale = LONG_SIDE / w.max(h);
    let (pw, ph) = (round(w * scale), round(h * scale));
    // Where the image's unit square goes (EXIF 2.3, tag Orientation).
    let [a, b, c, d, e, f] = match shape.orientation {
        2 => [-pw, 0.0, 0.0, ph, pw, 0.0],
        3 => [-pw, 0.0, 0.0, -ph, pw, ph],
        4 => [pw, 0.0, 0.0, -ph, 0.0, ph],
        5 => [0.0, -ph, -pw, 0.0, pw, ph],
        6 => [0.0, -ph, pw, 0.0, 0.0, ph],
        7 => [0.0, ph, pw, 0.0, 0.0, 0.0],
        8 => [0.0, ph, -pw, 0.0, pw, 0.0],
        _ => [pw, 0.0, 0.0, ph, 0.0, 0.0],
    };
    let content = format!("q {a} {b} {c} {d} {e} {f} cm /Im0 Do Q\n");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pw} {ph}] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>"
        ),
        format!(
            "<< /Type /XObject /Subtype /Image {MARK} {number} /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 1 >>\nstream\n\u{7f}\nendstream"
        ),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len() + 1
        ),
    ];
    Ok(pdf_of(objects.iter().map(String::as_bytes)))
}

/// A PDF file of `objects` (numbered from 1; the first is the catalogue), with its
/// cross-reference table and trailer.
pub(super) fn pdf_of<'a>(objects: impl IntoIterator<Item = &'a [u8]>) -> Vec<u8> {
    let mut out: Vec<u8> = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for object in objects {
        offsets.push(out.len());
        let _ = writeln!(out, "{} 0 obj", offsets.len());
        out.extend_from_slice(object);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    let _ = write!(out, "xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1);
    for offset in &offsets {
        let _ = writeln!(out, "{offset:010} 00000 n ");
    }
    let _ = write!(
        out,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        offsets.len() + 1
    );
    out
}

fn round(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// Writes the evidence volume: typst's `pdf` as it is, then an incremental update that
/// replaces each stand-in's image with its scan from `scans` (catalogue number → file).
pub fn complete(
    pdf: &[u8],
    scans: &BTreeMap<usize, (PathBuf, ScanKind)>,
    out: &mut impl Write,
) -> Result<(), ScanPageError> {
    out.write_all(pdf)?;
    if scans.is_empty() {
        return Ok(());
    }
    let placed = stand_ins(pdf);
    let trailer = Trailer::read(pdf).ok_or_else(|| {
        ScanPageError::Write(io::Error::other("typst's PDF has no readable trailer"))
    })?;
    let mut at = pdf.len() as u64;
    if !pdf.ends_with(b"\n") {
        out.write_all(b"\n")?;
        at += 1;
    }
    let mut written: Vec<(u32, u64)> = Vec::new();
    let mut objects: Vec<(u32, usize)> = Vec::new();
    for &number in scans.keys() {
        let found: Vec<u32> = placed
            .iter()
            .filter(|(_, n)| *n == number)
            .map(|(object, _)| *object)
            .collect();
        if found.is_empty() {
            return Err(ScanPageError::Unplaced(number));
        }
        objects.extend(found.into_iter().map(|object| (object, number)));
    }
    objects.sort_unstable();
    let mut counted = Counted { out, bytes: 0 };
    for (object, number) in objects {
        let (path, kind) = &scans[&number];
        written.push((object, at + counted.bytes));
        writeln!(counted, "{object} 0 obj")?;
        image_object(path, *kind, &mut counted)?;
        counted.write_all(b"\nendobj\n")?;
    }
    let xref = at + counted.bytes;
    let mut table = String::from("xref\n");
    for (object, offset) in &written {
        let _ = write!(table, "{object} 1\n{offset:010} 00000 n \n");
    }
    let _ = write!(
        table,
        "trailer\n<< /Size {}{} /Prev {} >>\nstartxref\n{xref}\n%%EOF\n",
        trailer.size, trailer.rest, trailer.startxref
    );
    counted.write_all(table.as_bytes())?;
    Ok(())
}

/// Counts what passes through, for the cross-reference offsets.
struct Counted<'a, W: Write> {
    out: &'a mut W,
    bytes: u64,
}

impl<W: Write> Write for Counted<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.out.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// One scan as a PDF image object (dictionary and stream), streamed from its file.
fn image_object(path: &Path, kind: ScanKind, out: &mut impl Write) -> Result<(), ScanPageError> {
    let (shape, encoding) = inspect(path, kind)?;
    let (width, height) = (shape.width, shape.height);
    match encoding {
        Encoding::Jpeg { components, adobe } => {
            let colour = match (components, adobe) {
                (1, _) => "/DeviceGray",
                (3, _) => "/DeviceRGB",
                (_, true) => "/DeviceCMYK /Decode [1 0 1 0 1 0 1 0]",
                (_, false) => "/DeviceCMYK",
            };
            let mut file = File::open(path).map_err(read_err(path))?;
            let len = file.metadata().map_err(read_err(path))?.len();
            write!(
                out,
                "<< /Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace {colour} /BitsPerComponent 8 /Filter /DCTDecode /Length {len} >>\nstream\n"
            )?;
            let copied = io::copy(&mut (&mut file).take(len), out).map_err(read_err(path))?;
            if copied != len {
                return Err(ScanPageError::Read {
                    path: path.to_path_buf(),
                    source: io::Error::other("文件在排版时被改动"),
                });
            }
        }
        Encoding::Png {
            depth,
            colours,
            palette,
        } => {
            let space = match &palette {
                Some(palette) => {
                    let mut hex = String::with_capacity(palette.len() * 2);
                    for b in palette {
                        let _ = write!(hex, "{b:02x}");
                    }
                    format!("[/Indexed /DeviceRGB {} <{hex}>]", palette.len() / 3 - 1)
                }
                None if colours == 1 => "/DeviceGray".into(),
                None => "/DeviceRGB".into(),
            };
            let mut file = BufReader::new(File::open(path).map_err(read_err(path))?);
            let idat: Vec<(u64, u32)> = png_chunks(&mut file)
                .map_err(read_err(path))?
                .into_iter()
                .filter(|c| &c.0 == b"IDAT")
                .map(|(_, at, len)| (at, len))
                .collect();
            let len: u64 = idat.iter().map(|(_, len)| u64::from(*len)).sum();
            write!(
                out,
                "<< /Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace {space} /BitsPerComponent {depth} /Filter /FlateDecode /DecodeParms << /Predictor 15 /Colors {colours} /BitsPerComponent {depth} /Columns {width} >> /Length {len} >>\nstream\n"
            )?;
            for (at, len) in idat {
                file.seek(SeekFrom::Start(at)).map_err(read_err(path))?;
                io::copy(&mut (&mut file).take(u64::from(len)), out).map_err(read_err(path))?;
            }
        }
        Encoding::Decoded => {
            let (grey, data) = decoded(path)?;
            let space = if grey { "/DeviceGray" } else { "/DeviceRGB" };
            write!(
                out,
                "<< /Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace {space} /BitsPerComponent 8 /Filter /FlateDecode /Length {} >>\nstream\n",
                data.len()
            )?;
            out.write_all(&data)?;
        }
    }
    out.write_all(b"\nendstream")?;
    Ok(())
}

/// An image decoded and deflated as 8-bit grey or RGB, transparency laid over white
/// paper as it prints; the decoded pixels are freed before the next scan.
fn decoded(path: &Path) -> Result<(bool, Vec<u8>), ScanPageError> {
    let decode_err = |e: image::ImageError| ScanPageError::Decode {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    let image = image::ImageReader::open(path)
        .map_err(read_err(path))?
        .with_guessed_format()
        .map_err(read_err(path))?
        .decode()
        .map_err(decode_err)?;
    let grey = !image.color().has_color();
    let alpha = image.color().has_alpha();
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    let over =
        |c: u8, a: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
    match (grey, alpha) {
        (true, false) => encoder.write_all(image.to_luma8().as_raw())?,
        (true, true) => {
            let samples: Vec<u8> = image
                .to_luma_alpha8()
                .pixels()
                .map(|p| over(p[0], p[1]))
                .collect();
            encoder.write_all(&samples)?;
        }
        (false, false) => encoder.write_all(image.to_rgb8().as_raw())?,
        (false, true) => {
            let samples: Vec<u8> = image
                .to_rgba8()
                .pixels()
                .flat_map(|p| [over(p[0], p[3]), over(p[1], p[3]), over(p[2], p[3])])
                .collect();
            encoder.write_all(&samples)?;
        }
    }
    Ok((grey, encoder.finish()?))
}

/// The marked stand-in image objects in typst's PDF: (object number, scan number).
fn stand_ins(pdf: &[u8]) -> Vec<(u32, usize)> {
    let mark = MARK.as_bytes();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = find(&pdf[from..], mark).map(|i| i + from) {
        from = i + mark.len();
        let number: String = pdf[from..]
            .iter()
            .skip_while(|b| b.is_ascii_whitespace())
            .take_while(|b| b.is_ascii_digit())
            .map(|&b| b as char)
            .collect();
        let Ok(number) = number.parse::<usize>() else {
            continue;
        };
        // The object this dictionary belongs to: the nearest `N 0 obj` before it, whose
        // dictionary is an image's.
        let Some(start) = rfind(&pdf[..i], b" 0 obj") else {
            continue;
        };
        let digits_start = pdf[..start]
            .iter()
            .rposition(|b| !b.is_ascii_digit())
            .map_or(0, |p| p + 1);
        let Ok(object) = std::str::from_utf8(&pdf[digits_start..start])
            .unwrap_or("")
            .parse::<u32>()
        else {
            continue;
        };
        let dict = &pdf[start..i];
        let is_image =
            find(dict, b"/Subtype/Image").is_some() || find(dict, b"/Subtype /Image").is_some();
        // The dictionary ends where its object's stream or the object ends.
        let tail_end = [find(&pdf[i..], b"stream"), find(&pdf[i..], b"endobj")]
            .into_iter()
            .flatten()
            .min()
            .map_or(pdf.len(), |e| i + e);
        let tail = &pdf[i..tail_end];
        let is_image = is_image
            || find(tail, b"/Subtype/Image").is_some()
            || find(tail, b"/Subtype /Image").is_some();
        if is_image && find(&pdf[start..i], b"endobj").is_none() {
            found.push((object, number));
        }
    }
    found
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// What the incremental update's trailer repeats from typst's.
struct Trailer {
    size: u32,
    /// `/Root …`, `/Info …` and `/ID […]`, as written.
    rest: String,
    startxref: u64,
}

impl Trailer {
    fn read(pdf: &[u8]) -> Option<Trailer> {
        let tail = &pdf[pdf.len().saturating_sub(4096)..];
        let text = String::from_utf8_lossy(tail);
        let startxref: u64 = text
            .rsplit_once("startxref")?
            .1
            .split_whitespace()
            .next()?
            .parse()
            .ok()?;
        let dict = text.rsplit_once("trailer")?.1;
        let dict = &dict[dict.find("<<")? + 2..dict.rfind(">>")?];
        let value = |key: &str| -> Option<String> {
            let start = dict.find(key)? + key.len();
            let rest = &dict[start..];
            let end = rest
                .find(|c: char| c == '/' && !rest.starts_with('['))
                .unwrap_or(rest.len());
            let value = if rest.trim_start().starts_with('[') {
                &rest[..rest.find(']')? + 1]
            } else {
                &rest[..end]
            };
            Some(value.trim().to_string())
        };
        let size = value("/Size")?.parse().ok()?;
        let mut rest = format!(" /Root {}", value("/Root")?);
        if let Some(info) = value("/Info") {
            let _ = write!(rest, " /Info {info}");
        }
        if let Some(id) = value("/ID") {
            let _ = write!(rest, " /ID {id}");
        }
        Some(Trailer {
            size,
            rest,
            startxref,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typst_trailers_are_read() {
        let pdf = b"%PDF-1.7\n...xref\n0 1\ntrailer\n<</Size 182/Root 181 0 R/Info 179 0 R/ID[(zgk==)(6Fz==)]>>\nstartxref\n868460\n%%EOF\n";
        let trailer = Trailer::read(pdf).unwrap();
        assert_eq!(trailer.size, 182);
        assert_eq!(trailer.startxref, 868460);
        assert_eq!(
            trailer.rest,
            " /Root 181 0 R /Info 179 0 R /ID [(zgk==)(6Fz==)]"
        );
    }

    #[test]
    fn marked_images_are_found_and_nothing_else() {
        let pdf = b"7 0 obj\n<</Author(/DashiScan 3)>>\nendobj\n12 0 obj\n<</BitsPerComponent 8/DashiScan 4/Subtype/Image/Type/XObject>>\nstream\n\x7f\nendstream\nendobj\n";
        assert_eq!(stand_ins(pdf), vec![(12, 4)]);
    }
}
