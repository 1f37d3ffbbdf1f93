//! The live preview's scans. The built evidence volume lays out a stand-in for each
//! raster scan (one grey pixel) and puts the scan in afterwards; the preview has no
//! afterwards, so it lays out a stand-in that carries the scan's thumbnail instead (the
//! same one the form shows, already turned as its EXIF says). Thumbnails are kept for
//! the files they were made from, so an edit does not decode every scan again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use crate::media::scan::ScanKind;

/// How many thumbnails are kept.
const KEPT: usize = 64;

type Key = (PathBuf, u64, Option<SystemTime>);

/// A one-page PDF of the scan's shape whose image is its thumbnail; `None` when no
/// thumbnail can be made (the grey stand-in is used then).
pub fn stand_in(path: &Path, kind: ScanKind) -> Option<Vec<u8>> {
    if kind == ScanKind::Pdf {
        return None;
    }
    static KEPT_PAGES: Mutex<BTreeMap<Key, Vec<u8>>> = Mutex::new(BTreeMap::new());
    let meta = std::fs::metadata(path).ok()?;
    let key = (path.to_path_buf(), meta.len(), meta.modified().ok());
    if let Some(page) = KEPT_PAGES.lock().ok()?.get(&key) {
        return Some(page.clone());
    }
    let thumbnail = crate::media::thumbnail(path)?;
    let (w, h) = jpeg_size(&thumbnail.jpeg)?;
    let page = pdf(&thumbnail.jpeg, w, h);
    let mut kept = KEPT_PAGES.lock().ok()?;
    if kept.len() >= KEPT {
        kept.clear();
    }
    kept.insert(key, page.clone());
    Some(page)
}

/// Width and height of a baseline JPEG (its SOF0 segment).
fn jpeg_size(jpeg: &[u8]) -> Option<(u32, u32)> {
    let mut i = 2;
    while i + 9 < jpeg.len() {
        if jpeg[i] != 0xFF {
            return None;
        }
        let marker = jpeg[i + 1];
        let length = usize::from(u16::from_be_bytes([jpeg[i + 2], jpeg[i + 3]]));
        if matches!(marker, 0xC0..=0xC2) {
            let h = u16::from_be_bytes([jpeg[i + 5], jpeg[i + 6]]);
            let w = u16::from_be_bytes([jpeg[i + 7], jpeg[i + 8]]);
            return Some((u32::from(w), u32::from(h)));
        }
        i += 2 + length;
    }
    None
}

/// The page: the long side as the built volume's stand-in has it, the JPEG drawn over
/// the whole page.
fn pdf(jpeg: &[u8], w: u32, h: u32) -> Vec<u8> {
    let scale = super::scan_page::LONG_SIDE / f64::from(w.max(h));
    let (pw, ph) = (
        (f64::from(w) * scale * 100.0).round() / 100.0,
        (f64::from(h) * scale * 100.0).round() / 100.0,
    );
    let content = format!("q {pw} 0 0 {ph} 0 0 cm /Im0 Do Q\n");
    let mut image = format!(
        "<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length {} >>\nstream\n",
        jpeg.len()
    )
    .into_bytes();
    image.extend_from_slice(jpeg);
    image.extend_from_slice(b"\nendstream");
    let page = format!(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pw} {ph}] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>"
    );
    let contents = format!(
        "<< /Length {} >>\nstream\n{content}\nendstream",
        content.len() + 1
    );
    super::scan_page::pdf_of([
        b"<< /Type /Catalog /Pages 2 0 R >>".as_slice(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        page.as_bytes(),
        &image,
        contents.as_bytes(),
    ])
}
