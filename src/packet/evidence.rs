//! The evidence catalogue: every item of 第八条 4–5 in the order the evidence volume
//! binds them — the unit's licence first, then the master's, then each member's ID
//! card, qualification certificates, awards and technical recognitions — with the
//! short Chinese name each file carries in the sealed bag and on the disc.

use rayon::prelude::*;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::data::model::{Application, Evidence, Owner};
use crate::media::scan::{self, ScanKind};
use crate::seal::digest::{self, ManifestLine};

/// The longest name dashi gives a file (the disc's Joliet limit, extension included).
pub const MAX_NAME_CHARS: usize = 64;

pub use crate::seal::digest::{EVIDENCE_DIR, SOURCE_DIR};

/// One catalogue entry.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// 1-based position in the catalogue.
    pub number: usize,
    pub id: String,
    pub title: String,
    /// What it proves (营业执照, 身份证 …).
    pub kind: &'static str,
    /// Whose it is: 申报单位, or the person's name.
    pub holder: String,
    pub certificate_number: Option<String>,
    /// The scan on disk, if the item is a copy.
    #[serde(skip)]
    pub source: Option<PathBuf>,
    #[serde(skip)]
    pub scan: Option<ScanKind>,
    /// File name in the bag (`03-身份证-王建军.jpg`).
    pub bag_name: Option<String>,
    /// Path the typst world serves the scan under (`/evidence/3.jpg`).
    pub world_path: Option<String>,
    /// Pages the scan fills in the volume (PDF pages; 1 for an image).
    pub pages: usize,
}

/// Orders the evidence and names each file. `pages_of` tells how many pages a PDF
/// scan has (images fill one page). The scans have passed `check` already, so only
/// their first bytes are read here.
pub fn catalogue(
    app: &Application,
    base_dir: &Path,
    pages_of: &dyn Fn(&Path) -> usize,
) -> Vec<Item> {
    let mut used = std::collections::BTreeSet::new();
    order(app)
        .into_iter()
        .enumerate()
        .map(|(i, index)| {
            let e = &app.evidence[index];
            let number = i + 1;
            let holder = holder_name(app, e);
            let source = e
                .file
                .as_deref()
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .map(|f| base_dir.join(f));
            let scan = source.as_deref().and_then(scan::sniff);
            let extension = source.as_deref().map(|p| extension_of(p, scan));
            let bag_name = extension.as_deref().map(|ext| {
                let name = unique(bag_name(number, e.kind.label(), &holder, ext), &used);
                used.insert(name.clone());
                name
            });
            let pages = match (scan, source.as_deref()) {
                (Some(ScanKind::Pdf), Some(p)) => pages_of(p).max(1),
                (Some(_), _) => 1,
                _ => 0,
            };
            Item {
                number,
                id: e.id.trim().to_string(),
                title: e.title.trim().to_string(),
                kind: e.kind.label(),
                holder,
                certificate_number: e
                    .certificate_number
                    .as_deref()
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(str::to_string),
                // Every scan reaches typst as PDF: PDF scans as they are, images as
                // one-page PDFs (`scan_page`).
                world_path: extension.map(|_| format!("/evidence/{number}.pdf")),
                source,
                scan,
                bag_name,
                pages,
            }
        })
        .collect()
}

pub use crate::data::catalogue::order;

fn holder_name(app: &Application, e: &Evidence) -> String {
    match e.owner {
        Owner::Unit => "申报单位".to_string(),
        Owner::Master => app.master.name.trim().to_string(),
        Owner::Member => e.member.as_deref().unwrap_or("").trim().to_string(),
    }
}

/// The file's extension as stored in the bag: the scan's own kind.
fn extension_of(path: &Path, scan: Option<ScanKind>) -> String {
    match scan {
        Some(ScanKind::Jpeg) => "jpg".into(),
        Some(ScanKind::Png) => "png".into(),
        Some(ScanKind::Pdf) => "pdf".into(),
        Some(ScanKind::Tiff) => "tif".into(),
        None => path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .unwrap_or_else(|| "bin".into()),
    }
}

/// `NN-种类-所属.ext`, without characters that file systems, zip tools or BagIt
/// readers treat specially, at most 64 characters.
pub fn bag_name(number: usize, kind: &str, holder: &str, ext: &str) -> String {
    let clean = crate::portable::portable(holder, "");
    let head = format!("{number:02}-{kind}-");
    let tail = format!(".{ext}");
    let room = MAX_NAME_CHARS.saturating_sub(head.chars().count() + tail.chars().count());
    let holder: String = clean.trim().chars().take(room).collect();
    format!("{head}{holder}{tail}")
}

fn unique(name: String, used: &std::collections::BTreeSet<String>) -> String {
    if !used.contains(&name) {
        return name;
    }
    let (stem, ext) = name.rsplit_once('.').unwrap_or((&name, ""));
    (2..)
        .map(|n| {
            let suffix = format!("-{n}");
            let keep = MAX_NAME_CHARS - suffix.chars().count() - ext.chars().count() - 1;
            let stem: String = stem.chars().take(keep).collect();
            format!("{stem}{suffix}.{ext}")
        })
        .find(|candidate| !used.contains(candidate))
        .expect("some suffix is free")
}

/// Manifest lines of the evidence files and the source data, as they sit in the bag,
/// with each file's size (the seal reuses them rather than hashing again).
pub fn manifest_lines(
    items: &[Item],
    data_file: &Path,
) -> std::io::Result<Vec<(ManifestLine, u64)>> {
    let mut files: Vec<(String, &Path)> = items
        .iter()
        .filter_map(|item| {
            let (source, name) = (item.source.as_deref()?, item.bag_name.as_ref()?);
            Some((format!("{EVIDENCE_DIR}/{name}"), source))
        })
        .collect();
    files.push((
        format!("{SOURCE_DIR}/{}", source_name(data_file)),
        data_file,
    ));
    files
        .par_iter()
        .map(|(path, source)| {
            let (digest, size) = digest::sha256_file(source)?;
            Ok((
                ManifestLine {
                    digest,
                    path: path.clone(),
                },
                size,
            ))
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

/// The data file's name in the bag: its own name when that is safe, else studio.toml.
pub fn source_name(data_file: &Path) -> String {
    let json = data_file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let fallback = if json { "studio.json" } else { "studio.toml" };
    data_file
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| {
            n.chars().count() <= MAX_NAME_CHARS
                && !n
                    .chars()
                    .any(|c| c.is_control() || "/\\%:*?\"<>|".contains(c))
        })
        .unwrap_or(fallback)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_short_and_clean() {
        assert_eq!(
            bag_name(3, "身份证", "王建军", "jpg"),
            "03-身份证-王建军.jpg"
        );
        let long = "很".repeat(100);
        let name = bag_name(12, "职业技能等级证书", &long, "pdf");
        assert_eq!(name.chars().count(), MAX_NAME_CHARS);
        assert!(name.ends_with(".pdf"));
        assert_eq!(bag_name(1, "其他", "a%b/c\nd", "png"), "01-其他-abcd.png");
        let mut used = std::collections::BTreeSet::new();
        used.insert("01-其他-x.png".to_string());
        assert_eq!(unique("01-其他-x.png".into(), &used), "01-其他-x-2.png");
    }
}
