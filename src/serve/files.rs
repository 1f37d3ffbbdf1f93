//! Files the form brings in and hands out: a scan dropped on an evidence entry is
//! checked as `dashi check` checks scans and stored under `evidence/` by a name dashi
//! chooses (the sender's name only suggests it); the packet `build` made is offered
//! for download by the names of that build only.

use std::path::{Path, PathBuf};

use crate::media::scan::{self, ScanKind};

/// The largest scan accepted.
pub const MAX_SCAN: usize = 40 * 1024 * 1024;
/// Where scans go, beside the data file.
pub const EVIDENCE: &str = "evidence";

/// A safe file name from the name a browser sent: its last component only, without
/// what file systems treat specially, with the extension of what the bytes are.
pub fn safe_name(sent: &str, kind: ScanKind) -> String {
    let last = sent.rsplit(['/', '\\']).next().unwrap_or("");
    let stem = last.rsplit_once('.').map_or(last, |(stem, _)| stem);
    let stem: String = stem
        .trim_matches(|c: char| c == '.' || c.is_whitespace())
        .chars()
        .take(40)
        .collect();
    let stem = crate::portable::portable(&stem, "扫描件");
    let ext = match kind {
        ScanKind::Jpeg => "jpg",
        ScanKind::Png => "png",
        ScanKind::Pdf => "pdf",
        ScanKind::Tiff => "tif",
    };
    format!("{stem}.{ext}")
}

/// Stores an uploaded scan under `base/evidence/`; returns its path relative to `base`
/// (as the data file writes it). A name already taken by other bytes gets `-2`, `-3` ….
pub fn store_scan(base: &Path, sent: &str, bytes: &[u8]) -> Result<String, String> {
    let kind = scan::kind_of(bytes).ok_or("不是 JPEG、PNG、TIFF 或 PDF 文件")?;
    let dir = base.join(EVIDENCE);
    crate::fsio::create_dirs(&dir).map_err(|e| crate::fsio::why(&e))?;
    let name = safe_name(sent, kind);
    let (stem, ext) = name.rsplit_once('.').expect("a name with an extension");
    let chosen = (1..)
        .map(|n| {
            if n == 1 {
                name.clone()
            } else {
                format!("{stem}-{n}.{ext}")
            }
        })
        .find(|candidate| match std::fs::read(dir.join(candidate)) {
            Ok(existing) => existing == bytes,
            Err(_) => true,
        })
        .expect("some name is free");
    let path = dir.join(&chosen);
    crate::fsio::write_atomic(&path, bytes).map_err(|e| crate::fsio::why(&e))?;
    // Checked as `dashi check` checks it; a scan that would not print is not kept.
    match scan::inspect(&path) {
        Ok(_) => Ok(format!("{EVIDENCE}/{chosen}")),
        Err(problem) => {
            let _ = std::fs::remove_file(&path);
            Err(format!("这个文件不能作为扫描件：{problem}"))
        }
    }
}

/// A file of the last build, by its name (nothing else is served).
pub fn built(files: &[PathBuf], name: &str) -> Option<PathBuf> {
    files
        .iter()
        .find(|f| f.file_name().is_some_and(|n| n.to_string_lossy() == name))
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_the_sender_stay_inside() {
        assert_eq!(safe_name("../../x.jpg", ScanKind::Jpeg), "x.jpg");
        assert_eq!(
            safe_name("C:\\Users\\a\\身份证.JPEG", ScanKind::Jpeg),
            "身份证.jpg"
        );
        assert_eq!(safe_name("CON.png", ScanKind::Png), "CON_.png");
        assert_eq!(safe_name("...", ScanKind::Pdf), "扫描件.pdf");
        assert_eq!(safe_name("a.exe", ScanKind::Pdf), "a.pdf");
    }
}
