//! A photo's or scan's thumbnail and when the photo was taken (EXIF). A JPEG is decoded
//! by jpeg-decoder at the smallest DCT scale that still gives a thumbnail's size (an
//! eighth for a camera photo: one value per 8 × 8 block, so a 3000 × 4000 photo is never
//! decoded whole); a PDF scan's first page is drawn by hayro.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::scan::{self, ScanKind};

/// The longer side of a thumbnail, in pixels.
const THUMB: u32 = 360;

/// A photo's thumbnail (JPEG bytes) and the time in its EXIF, if any.
pub struct Thumbnail {
    pub jpeg: Vec<u8>,
    pub taken: Option<String>,
}

/// Whether a file is a photo (JPEG or PNG).
pub fn is_photo(path: &Path) -> bool {
    matches!(scan::sniff(path), Some(ScanKind::Jpeg | ScanKind::Png))
}

/// The day a photo was taken, from its EXIF (read from the file's head only).
pub fn taken_on(photo: &Path) -> Option<crate::data::dates::Date> {
    let mut head = vec![0u8; 128 * 1024];
    let n = File::open(photo).ok()?.read(&mut head).ok()?;
    let taken = super::exif::of_jpeg(&head[..n]).and_then(super::exif::taken)?;
    crate::data::dates::Date::parse(&taken.get(..10)?.replace(':', "-"))
}

/// The thumbnail of a photo; `None` when it cannot be read.
pub fn thumbnail(path: &Path) -> Option<Thumbnail> {
    let kind = scan::sniff(path)?;
    let (image, taken) = match kind {
        ScanKind::Jpeg => {
            let bytes = std::fs::read(path).ok()?;
            let exif = super::exif::of_jpeg(&bytes);
            let taken = exif.and_then(super::exif::taken);
            let orientation = exif.and_then(super::exif::orientation).unwrap_or(1);
            (turn(scaled_jpeg(&bytes)?, orientation), taken)
        }
        ScanKind::Png => (png_within_limits(path)?, None),
        ScanKind::Pdf => (pdf_first_page(path)?, None),
        _ => return None,
    };
    let small = image.thumbnail(THUMB, THUMB).to_rgb8();
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 80)
        .encode_image(&small)
        .ok()?;
    Some(Thumbnail { jpeg, taken })
}

/// The most memory a PNG may take to decode for a thumbnail: a PNG cannot be decoded
/// at a smaller scale, so one of 144 megapixels (about 430 MB) is not decoded at all.
const MAX_DECODE: u64 = 64 * 1024 * 1024;

/// The largest PDF scan drawn for a thumbnail (a bigger one shows none).
const MAX_PDF: u64 = 20 * 1024 * 1024;

/// The first page of a PDF scan, drawn at a thumbnail's size on white.
fn pdf_first_page(path: &Path) -> Option<image::DynamicImage> {
    if std::fs::metadata(path).ok()?.len() > MAX_PDF {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    let pdf = hayro::hayro_syntax::Pdf::new(std::sync::Arc::new(bytes)).ok()?;
    let page = pdf.pages().first()?;
    let (w, h) = page.render_dimensions();
    let scale = THUMB as f32 / w.max(h).max(1.0);
    let settings = hayro::RenderSettings {
        x_scale: scale,
        y_scale: scale,
        bg_color: hayro::vello_cpu::color::palette::css::WHITE,
        ..Default::default()
    };
    let pixmap = hayro::render(
        page,
        &hayro::RenderCache::new(),
        &hayro::hayro_interpret::InterpreterSettings::default(),
        &settings,
    );
    let (pw, ph) = (u32::from(pixmap.width()), u32::from(pixmap.height()));
    image::RgbaImage::from_raw(pw, ph, pixmap.data_as_u8_slice().to_vec())
        .map(|rgba| image::DynamicImage::ImageRgb8(image::DynamicImage::ImageRgba8(rgba).to_rgb8()))
}

/// A PNG decoded whole, unless that takes more than `MAX_DECODE`.
fn png_within_limits(path: &Path) -> Option<image::DynamicImage> {
    let mut reader = image::ImageReader::open(path).ok()?;
    reader.set_format(image::ImageFormat::Png);
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_DECODE);
    reader.limits(limits);
    reader.decode().ok()
}

/// A JPEG decoded at the smallest DCT scale that still gives a thumbnail's size; none
/// for one larger than a scan may be (its header alone can claim 65535 × 65535, whose
/// every block would be decoded, real or not).
fn scaled_jpeg(bytes: &[u8]) -> Option<image::DynamicImage> {
    let mut decoder = jpeg_decoder::Decoder::new(bytes);
    decoder.read_info().ok()?;
    let info = decoder.info()?;
    if u64::from(info.width) * u64::from(info.height) > scan::MAX_PIXELS {
        return None;
    }
    let scale = |side: u16| (u32::from(side) / 8).max(THUMB).min(u32::from(side)) as u16;
    decoder.scale(scale(info.width), scale(info.height)).ok()?;
    let pixels = decoder.decode().ok()?;
    let info = decoder.info()?;
    let (w, h) = (u32::from(info.width), u32::from(info.height));
    match info.pixel_format {
        jpeg_decoder::PixelFormat::L8 => {
            image::GrayImage::from_raw(w, h, pixels).map(image::DynamicImage::ImageLuma8)
        }
        jpeg_decoder::PixelFormat::RGB24 => {
            image::RgbImage::from_raw(w, h, pixels).map(image::DynamicImage::ImageRgb8)
        }
        jpeg_decoder::PixelFormat::CMYK32 => {
            let rgb: Vec<u8> = pixels
                .chunks(4)
                .flat_map(|p| {
                    let k = u16::from(p[3]);
                    [p[0], p[1], p[2]].map(|c| (u16::from(c) * k / 255) as u8)
                })
                .collect();
            image::RgbImage::from_raw(w, h, rgb).map(image::DynamicImage::ImageRgb8)
        }
        jpeg_decoder::PixelFormat::L16 => None,
    }
}

/// Turns a decoded photo as its EXIF orientation says.
fn turn(image: image::DynamicImage, orientation: u8) -> image::DynamicImage {
    match orientation {
        2 => image.fliph(),
        3 => image.rotate180(),
        4 => image.flipv(),
        5 => image.rotate90().fliph(),
        6 => image.rotate90(),
        7 => image.rotate270().fliph(),
        8 => image.rotate270(),
        _ => image,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG whose frame header claims 65535 × 32767 pixels (found by the fuzz run:
    /// decoded at an eighth it took over 10 s and 256 MB) has no thumbnail; the same
    /// file at its real size has one.
    #[test]
    fn a_jpeg_claiming_billions_of_pixels_gets_no_thumbnail() {
        let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/evidence/营业执照.jpg");
        let real = std::fs::read(sample).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("scan.jpg");
        std::fs::write(&path, &real).unwrap();
        assert!(thumbnail(&path).is_some());
        let sof = real
            .windows(2)
            .position(|w| w[0] == 0xFF && matches!(w[1], 0xC0..=0xC2))
            .unwrap();
        let mut huge = real.clone();
        huge[sof + 5..sof + 9].copy_from_slice(&[0x7F, 0xFF, 0xFF, 0xFF]);
        std::fs::write(&path, &huge).unwrap();
        assert!(thumbnail(&path).is_none());
    }
}
