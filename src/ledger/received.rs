//! What a studio hands in for a round, opened without trusting any of it: its report
//! (the PDF and the `--json` that `dashi report` writes) and the archive export the
//! report was made from. The export is verified as a bag, unpacked (each file hashed
//! as it is written), and checked against the inventory it carries
//! (`dashi-inventory.json`, the exported version's own): that inventory's digest is
//! the one the report must print, and every file of the version's state must be in
//! the payload with its digest, nothing more. The unpacked bag then reads as an archive
//! (`crate::report::facts::gather`) from which the report is computed again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha512};

use crate::archive::Archive;
use crate::archive::export::INVENTORY_TAG;
use crate::archive::inventory::{self, hex};
use crate::fsio::TempDir;

/// The files of one submission, found in its folder.
#[derive(Debug, Clone)]
pub struct Submission {
    pub folder: PathBuf,
    pub json: PathBuf,
    pub pdf: Option<PathBuf>,
    pub export: PathBuf,
}

/// The submission in `folder`: one report JSON, its PDF beside it (same name), and
/// one export zip. `Err` says what is missing, in words.
pub fn find(folder: &Path) -> Result<Submission, String> {
    let mut json = Vec::new();
    let mut pdf = Vec::new();
    let mut zip = Vec::new();
    let entries = std::fs::read_dir(folder)
        .map_err(|e| format!("无法读取文件夹：{}", crate::fsio::why(&e)))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "json" => json.push(path),
            "pdf" => pdf.push(path),
            "zip" => zip.push(path),
            _ => {}
        }
    }
    json.sort();
    pdf.sort();
    zip.sort();
    let [json] = &json[..] else {
        return Err(format!(
            "应有一个报告的 JSON 文件（dashi report --json 写出的），实有 {} 个",
            json.len()
        ));
    };
    let [export] = &zip[..] else {
        return Err(format!(
            "应有一个档案导出包（dashi archive export 写出的 zip），实有 {} 个",
            zip.len()
        ));
    };
    let stem = json.file_stem();
    let pdf = pdf
        .iter()
        .find(|p| p.file_stem() == stem)
        .or_else(|| pdf.first().filter(|_| pdf.len() == 1))
        .cloned();
    Ok(Submission {
        folder: folder.to_path_buf(),
        json: json.clone(),
        pdf,
        export: export.clone(),
    })
}

/// An export opened: the unpacked bag read as an archive of the exported version.
pub struct Opened {
    /// Where the bag was unpacked; removed when dropped.
    _temp: TempDir,
    pub archive: Archive,
    /// The exported version (`v3`) and its inventory's digest, recomputed.
    pub version: String,
    pub digest: String,
    /// The inventory, as received (kept in the ledger: later rounds compare the
    /// history it lists).
    pub inventory: Vec<u8>,
    /// The application seal of the bag the archive began with (its v1), as bag-info
    /// says it.
    pub archive_id: String,
}

/// Opens the export `zip`; `Err` says, in words, why it cannot be trusted.
pub fn open(zip: &Path) -> Result<Opened, String> {
    let report = crate::verify::verify(zip, None, &crate::progress::Silent)
        .map_err(|e| format!("导出包无法读取：{e}"))?;
    if !report.intact {
        let first: Vec<String> = report
            .problems
            .iter()
            .filter(|p| p.error)
            .take(3)
            .map(|p| match &p.path {
                Some(path) => format!("{path}：{}", p.message),
                None => p.message.clone(),
            })
            .collect();
        return Err(format!("导出包校验不通过：{}", first.join("；")));
    }
    let temp = TempDir::new("dashi-received").map_err(|e| e.to_string())?;
    let digests = unpack(zip, temp.path())?;
    let tag = temp.path().join(INVENTORY_TAG);
    if !tag.is_file() {
        return Err(format!(
            "导出包中没有 {INVENTORY_TAG}（版本清单）：请用新版 dashi archive export 重新导出报告所依据的版本"
        ));
    }
    let inventory_bytes = std::fs::read(&tag).map_err(|e| e.to_string())?;
    let (mut inventory, digest) =
        inventory::read(&tag).map_err(|e| format!("{INVENTORY_TAG} 无法读取：{e}"))?;
    let info = bag_info(&temp.path().join("bag-info.txt"));
    let version = inventory.head.clone();
    if info.get("Dashi-Archive-Version") != Some(&version)
        || info.get("Dashi-Archive-Inventory-Digest") != Some(&digest)
    {
        return Err("导出包的 bag-info.txt 与其中的版本清单不符".into());
    }
    // The version's state against the payload, file by file.
    let state = inventory.state(inventory.head_number());
    let mut payload: BTreeMap<String, String> = digests
        .into_iter()
        .filter_map(|(path, d)| Some((path.strip_prefix("data/")?.to_string(), d)))
        .collect();
    let mut manifest = BTreeMap::new();
    for (logical, expected) in &state {
        match payload.remove(logical) {
            Some(d) if &d == expected => {
                manifest
                    .entry(expected.clone())
                    .or_insert_with(|| vec![format!("data/{logical}")]);
            }
            Some(_) => return Err(format!("导出包中的 {logical} 与版本清单记载的不同")),
            None => return Err(format!("导出包中缺少版本清单记载的 {logical}")),
        }
    }
    if let Some((extra, _)) = payload.into_iter().next() {
        return Err(format!("导出包中的 {extra} 不在版本清单中"));
    }
    inventory.manifest = manifest;
    let archive_id = inventory.id.clone();
    Ok(Opened {
        archive: Archive {
            root: temp.path().to_path_buf(),
            inventory,
            digest: digest.clone(),
            head: None,
        },
        _temp: temp,
        version,
        digest,
        inventory: inventory_bytes,
        archive_id,
    })
}

/// Unpacks a zip into `dest`, with the SHA-512 of each file taken as it is written.
fn unpack(zip: &Path, dest: &Path) -> Result<BTreeMap<String, String>, String> {
    let source = crate::verify::source::Source::open(zip).map_err(|e| e.to_string())?;
    let mut hashers: BTreeMap<&str, Sha512> = source
        .entries()
        .iter()
        .map(|e| (e.path.as_str(), Sha512::new()))
        .collect();
    let unread = source
        .unpack(dest, &mut |entry, chunk| {
            if let Some(hasher) = hashers.get_mut(entry.path.as_str()) {
                hasher.update(chunk);
            }
        })
        .map_err(|e| e.to_string())?;
    if let Some((path, why)) = unread.first() {
        return Err(format!("{path}：{why}"));
    }
    Ok(hashers
        .into_iter()
        .map(|(path, hasher)| (path.to_string(), hex(&hasher.finalize())))
        .collect())
}

/// The fields of a bag-info.txt.
fn bag_info(path: &Path) -> BTreeMap<String, String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let (k, v) = l.split_once(": ")?;
            Some((k.trim().to_string(), v.trim().to_string()))
        })
        .collect()
}
