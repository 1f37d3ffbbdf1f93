//! A raster scan as a one-page PDF, so that typst places it in the evidence volume
//! without decoding it: typst keeps every raster image it lays out decoded in memory
//! until the PDF is written (about 26 MB for an A4 colour page at 300 dpi), while it
//! embeds a PDF page as it is. A JPEG goes in byte for byte (DCTDecode; its EXIF
//! orientation applied by the page's transform); a PNG's compressed data goes in as
//! it is where PDF can carry it (FlateDecode with PNG predictors); anything else (TIFF,
//! a PNG with transparency or interlacing) is decoded once, here, one at a time, and
//! stored losslessly. Nothing is recompressed with loss.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use crate::check::scan::ScanKind;

/// The longer side of the page, in points: only the aspect ratio matters, typst scales
/// the page into the type area.
const LONG_SIDE: f64 = 842.0;

/// Why a scan could not be wrapped (it passed `check`, so this means it changed).
#[derive(Debug, thiserror::Error)]
pub enum WrapError {
    #[error("无法读取：{0}")]
    Read(#[from] std::io::Error),
    #[error("图像无法解码：{0}")]
    Decode(String),
}

/// The image XObject of a page: its dictionary entries and stream.
struct Picture {
    width: u32,
    height: u32,
    /// Dictionary entries besides Type, Subtype, Width, Height, Length.
    entries: String,
    data: Vec<u8>,
    /// EXIF orientation (1–8).
    orientation: u8,
}

/// The one-page PDF of a raster scan.
pub fn wrap(path: &Path, kind: ScanKind) -> Result<Vec<u8>, WrapError> {
    let bytes = std::fs::read(path)?;
    let picture = match kind {
        ScanKind::Jpeg => jpeg(bytes),
        ScanKind::Png => match png(&bytes) {
            Some(picture) => Ok(picture),
            None => decoded(&bytes),
        },
        ScanKind::Tiff | ScanKind::Pdf => decoded(&bytes),
    }?;
    Ok(page(&picture))
}

/// A JPEG as it is. Its frame header gives size and components; an Adobe marker means
/// inverted CMYK, as Photoshop writes it.
fn jpeg(bytes: Vec<u8>) -> Result<Picture, WrapError> {
    let mut at = 2;
    let (mut width, mut height, mut components) = (0u32, 0u32, 0u8);
    let mut adobe = false;
    let mut orientation = 1;
    while at + 4 <= bytes.len() && bytes[at] == 0xFF {
        let marker = bytes[at + 1];
        if marker == 0xFF {
            at += 1;
            continue;
        }
        if matches!(marker, 0xD8 | 0x01 | 0xD0..=0xD7) {
            at += 2;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        let body = bytes.get(at + 4..at + 2 + len).unwrap_or(&[]);
        match marker {
            0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF if body.len() >= 6 => {
                height = u32::from(u16::from_be_bytes([body[1], body[2]]));
                width = u32::from(u16::from_be_bytes([body[3], body[4]]));
                components = body[5];
            }
            0xEE if body.starts_with(b"Adobe") => adobe = true,
            0xE1 if body.starts_with(b"Exif\0\0") => {
                orientation = exif_orientation(&body[6..]).unwrap_or(1);
            }
            0xDA => break,
            _ => {}
        }
        at += 2 + len;
    }
    let colour = match components {
        1 => "/ColorSpace /DeviceGray",
        3 => "/ColorSpace /DeviceRGB",
        4 if adobe => "/ColorSpace /DeviceCMYK /Decode [1 0 1 0 1 0 1 0]",
        4 => "/ColorSpace /DeviceCMYK",
        _ => return Err(WrapError::Decode("JPEG 的颜色分量数不受支持".into())),
    };
    if width == 0 || height == 0 {
        return Err(WrapError::Decode("JPEG 没有帧头".into()));
    }
    Ok(Picture {
        width,
        height,
        entries: format!("{colour} /BitsPerComponent 8 /Filter /DCTDecode"),
        data: bytes,
        orientation,
    })
}

/// The orientation tag (0x0112) of an EXIF block's first image directory.
fn exif_orientation(tiff: &[u8]) -> Option<u8> {
    let big = match tiff.get(..2)? {
        b"MM" => true,
        b"II" => false,
        _ => return None,
    };
    let u16_at = |at: usize| -> Option<u16> {
        let b: [u8; 2] = tiff.get(at..at + 2)?.try_into().ok()?;
        Some(if big {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let b: [u8; 4] = tiff.get(at..at + 4)?.try_into().ok()?;
        Some(if big {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    };
    let ifd = u32_at(4)? as usize;
    let count = usize::from(u16_at(ifd)?);
    (0..count).find_map(|i| {
        let entry = ifd + 2 + i * 12;
        (u16_at(entry)? == 0x0112)
            .then(|| u16_at(entry + 8))
            .flatten()
            .map(|v| v as u8)
            .filter(|v| (1..=8).contains(v))
    })
}

/// A PNG whose compressed data PDF reads as it is: not interlaced, no transparency,
/// grey, RGB or palette colour. `None` for any other PNG.
fn png(bytes: &[u8]) -> Option<Picture> {
    let mut at = 8;
    let (mut width, mut height, mut depth, mut colour, mut interlace) = (0, 0, 0u8, 0u8, 1u8);
    let mut palette: Option<&[u8]> = None;
    let mut data = Vec::new();
    while at + 8 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[at..at + 4].try_into().ok()?) as usize;
        let kind = &bytes[at + 4..at + 8];
        let body = bytes.get(at + 8..at + 8 + len)?;
        match kind {
            b"IHDR" if body.len() >= 13 => {
                width = u32::from_be_bytes(body[0..4].try_into().ok()?);
                height = u32::from_be_bytes(body[4..8].try_into().ok()?);
                (depth, colour, interlace) = (body[8], body[9], body[12]);
            }
            b"PLTE" => palette = Some(body),
            b"tRNS" => return None,
            b"IDAT" => data.extend_from_slice(body),
            b"IEND" => break,
            _ => {}
        }
        at += 12 + len;
    }
    if interlace != 0 || width == 0 || height == 0 {
        return None;
    }
    let (space, colours) = match (colour, palette) {
        (0, _) => ("/DeviceGray".to_string(), 1),
        (2, _) if depth >= 8 => ("/DeviceRGB".to_string(), 3),
        (3, Some(palette)) if palette.len() % 3 == 0 && !palette.is_empty() => {
            let mut hex = String::with_capacity(palette.len() * 2);
            for b in palette {
                let _ = write!(hex, "{b:02x}");
            }
            (
                format!("[/Indexed /DeviceRGB {} <{hex}>]", palette.len() / 3 - 1),
                1,
            )
        }
        _ => return None,
    };
    Some(Picture {
        width,
        height,
        entries: format!(
            "/ColorSpace {space} /BitsPerComponent {depth} /Filter /FlateDecode /DecodeParms << /Predictor 15 /Colors {colours} /BitsPerComponent {depth} /Columns {width} >>"
        ),
        data,
        orientation: 1,
    })
}

/// Any other image, decoded and stored losslessly as 8-bit grey or RGB (transparency
/// laid over white paper, as it prints).
fn decoded(bytes: &[u8]) -> Result<Picture, WrapError> {
    let image = image::load_from_memory(bytes).map_err(|e| WrapError::Decode(e.to_string()))?;
    let (width, height) = (image.width(), image.height());
    let grey = !image.color().has_color();
    let mut samples: Vec<u8> = if image.color().has_alpha() {
        let rgba = image.to_rgba8();
        rgba.pixels()
            .flat_map(|p| {
                let a = u16::from(p[3]);
                let over = move |c: u8| ((u16::from(c) * a + 255 * (255 - a)) / 255) as u8;
                [over(p[0]), over(p[1]), over(p[2])]
            })
            .collect()
    } else if grey {
        image.to_luma8().into_raw()
    } else {
        image.to_rgb8().into_raw()
    };
    if grey && image.color().has_alpha() {
        samples = samples.chunks(3).map(|c| c[0]).collect();
    }
    drop(image);
    let mut encoder =
        flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&samples)?;
    let data = encoder.finish()?;
    let space = if grey { "/DeviceGray" } else { "/DeviceRGB" };
    Ok(Picture {
        width,
        height,
        entries: format!("/ColorSpace {space} /BitsPerComponent 8 /Filter /FlateDecode"),
        data,
        orientation: 1,
    })
}

/// The page: one image filling it, turned as its EXIF orientation says.
fn page(picture: &Picture) -> Vec<u8> {
    let turned = picture.orientation >= 5;
    let (w, h) = if turned {
        (f64::from(picture.height), f64::from(picture.width))
    } else {
        (f64::from(picture.width), f64::from(picture.height))
    };
    let scale = LONG_SIDE / w.max(h);
    let (pw, ph) = (round(w * scale), round(h * scale));
    // Where the image's unit square goes (see EXIF 2.3, tag Orientation).
    let [a, b, c, d, e, f] = match picture.orientation {
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
    let mut out: Vec<u8> = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    let mut object = |out: &mut Vec<u8>, head: String, stream: Option<&[u8]>| {
        offsets.push(out.len());
        out.extend_from_slice(head.as_bytes());
        if let Some(stream) = stream {
            out.extend_from_slice(b"\nstream\n");
            out.extend_from_slice(stream);
            out.extend_from_slice(b"\nendstream");
        }
        out.extend_from_slice(b"\nendobj\n");
    };
    object(
        &mut out,
        "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>".into(),
        None,
    );
    object(
        &mut out,
        "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>".into(),
        None,
    );
    object(
        &mut out,
        format!(
            "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pw} {ph}] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>"
        ),
        None,
    );
    object(
        &mut out,
        format!(
            "4 0 obj\n<< /Type /XObject /Subtype /Image /Width {} /Height {} {} /Length {} >>",
            picture.width,
            picture.height,
            picture.entries,
            picture.data.len()
        ),
        Some(&picture.data),
    );
    object(
        &mut out,
        format!("5 0 obj\n<< /Length {} >>", content.len()),
        Some(content.as_bytes()),
    );
    let xref = out.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1);
    for offset in &offsets {
        let _ = write!(table, "{offset:010} 00000 n \n");
    }
    let _ = write!(
        table,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        offsets.len() + 1
    );
    out.extend_from_slice(table.as_bytes());
    out
}

fn round(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jpeg_page_holds_the_jpeg_byte_for_byte() {
        let mut jpeg = Vec::new();
        let img = image::RgbImage::from_pixel(40, 20, image::Rgb([10, 200, 30]));
        image::codecs::jpeg::JpegEncoder::new(&mut jpeg)
            .encode_image(&img)
            .unwrap();
        let picture = super::jpeg(jpeg.clone()).unwrap();
        assert_eq!((picture.width, picture.height), (40, 20));
        let pdf = page(&picture);
        assert!(pdf.windows(jpeg.len()).any(|w| w == jpeg.as_slice()));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/MediaBox [0 0 842 421]"), "{text}");
        let parsed = hayro_syntax::Pdf::new(std::sync::Arc::new(pdf)).unwrap();
        assert_eq!(parsed.pages().len(), 1);
    }

    #[test]
    fn exif_orientation_is_read() {
        // Big-endian TIFF header, one entry: Orientation = 6.
        let tiff = [
            b'M', b'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0,
            0, 0, 0, 0,
        ];
        assert_eq!(exif_orientation(&tiff), Some(6));
    }
}
