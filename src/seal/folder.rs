//! `dashi seal DIR -o NAME.zip`: any folder becomes a bag — its files, in name order,
//! under `data/` — serialized as a zip named after the bag.

use std::path::{Path, PathBuf};

use super::bag::{self, Bag, BagSpec, Content, SealError};
use crate::data::dates::Date;
use crate::progress::Progress;

/// The Bag-Software-Agent of every bag dashi makes.
pub fn agent() -> String {
    format!("dashi {}", env!("CARGO_PKG_VERSION"))
}

/// Seals every file under `dir` into the zip `dest`, dated `date`.
/// `progress` hears of every byte hashed and every byte written.
pub fn seal_folder(
    dir: &Path,
    dest: &Path,
    date: Date,
    progress: &dyn Progress,
) -> Result<Bag, SealError> {
    let files = files_under(dir, dest)?;
    let total: u64 = files
        .iter()
        .filter_map(|(_, p)| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    progress.start(2 * total);
    let name = bag_name(dest);
    let spec = BagSpec {
        name: name.clone(),
        payload: files
            .into_iter()
            .map(|(rel, path)| (format!("data/{rel}"), Content::Disk(path)))
            .collect(),
        info: vec![
            ("External-Identifier".into(), name),
            ("Bagging-Date".into(), date.to_string()),
        ],
        known: Default::default(),
        tags: Vec::new(),
    };
    let bag = bag::seal(spec, &agent(), progress)?;
    super::zip::write(&bag.name, &bag.files, dest, date, progress)?;
    progress.finish();
    Ok(bag)
}

/// A bag folder's Bagging-Date, so what is made of the bag carries its date and not
/// today's; `None` when the bag does not record one.
pub fn bag_date(bag: &Path) -> Option<Date> {
    std::fs::read_to_string(bag.join("bag-info.txt"))
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("Bagging-Date: "))
                .and_then(|d| Date::parse(d.trim()))
        })
}

/// The paths the tag manifests of the bag folder `bag` list.
pub fn tag_listed(bag: &Path) -> std::collections::BTreeSet<String> {
    let Ok(dir) = std::fs::read_dir(bag) else {
        return Default::default();
    };
    dir.filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("tagmanifest-"))
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .flat_map(|text| {
            text.lines()
                .filter_map(|l| l.split_once(' ').map(|(_, p)| p.trim().to_string()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The bag's name: the zip's file name without `.zip`.
pub fn bag_name(dest: &Path) -> String {
    dest.file_stem()
        .and_then(|s| s.to_str())
        .filter(|s| !s.is_empty())
        .unwrap_or("bag")
        .to_string()
}

/// Every file under `root` (except `skip`), in name order, with its `/`-separated path
/// from `root`. Symbolic links and names that are not UTF-8 are refused.
pub fn files_under(root: &Path, skip: &Path) -> Result<Vec<(String, PathBuf)>, SealError> {
    let mut files = Vec::new();
    for entry in crate::walk::below(root, |_| true) {
        let entry = entry.map_err(|u| SealError::Read {
            path: u.path,
            source: u.source,
        })?;
        let path = entry.path();
        let rel = path
            .strip_prefix(root)
            .expect("under the root")
            .to_str()
            .ok_or_else(|| SealError::Name {
                path: path.to_string_lossy().into_owned(),
                reason: "不是有效的 UTF-8 文件名",
            })?
            .replace('\\', "/");
        if entry.file_type().is_symlink() {
            return Err(SealError::Name {
                path: rel,
                reason: "是符号链接；请放入文件本身",
            });
        }
        if !entry.file_type().is_dir() && path != skip {
            files.push((rel, path.to_path_buf()));
        }
    }
    Ok(files)
}
