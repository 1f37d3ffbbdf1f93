//! Version folders: what may sit in them (an inventory, its sidecars, the content
//! directory), their content walked (no links, no empty folders), and each version's
//! own inventory held against the head's (E037, E019, E040, E066, E023, W011).

use super::codes::Code;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::Findings;
use super::inventory::Inventory;

/// The files of a version folder: inventory and sidecars directly in it (E015 for
/// others), the content folder walked into `files` (path → size), other folders W002.
pub(super) fn version_folder(
    dir: &Path,
    name: &str,
    content_dir: &str,
    out: &mut Findings,
    files: &mut BTreeMap<String, u64>,
) -> BTreeSet<String> {
    let mut top = BTreeSet::new();
    for entry in crate::walk::below(dir, |_| false) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(unreadable) => {
                out.error(
                    Code::Unreadable,
                    Some(&place(dir, name, &unreadable.path)),
                    format!("无法读取：{}", crate::fsio::why(&unreadable.source)),
                );
                continue;
            }
        };
        let entry_name = entry.file_name().to_string_lossy().into_owned();
        let path = format!("{name}/{entry_name}");
        let t = entry.file_type();
        if t.is_symlink() {
            out.error(Code::E090, Some(&path), "对象中不能有符号链接");
        } else if t.is_dir() && entry_name == content_dir {
            walk(entry.path(), &path, out, files);
        } else if t.is_dir() {
            out.warn(
                Code::W002,
                Some(&path),
                "版本目录中不应有内容目录以外的目录",
            );
        } else if entry_name == "inventory.json" || entry_name.starts_with("inventory.json.") {
            top.insert(entry_name);
        } else {
            out.error(
                Code::E015,
                Some(&path),
                "版本目录中只能有清单、旁注文件和内容目录",
            );
        }
    }
    top
}

/// Every file of a content folder `dir` (logical place `rel`) into `files`; links
/// (E090), other kinds of entry (E090) and empty folders (E024) are findings, and a
/// folder that cannot be read is said as unreadable, never as empty.
fn walk(dir: &Path, rel: &str, out: &mut Findings, files: &mut BTreeMap<String, u64>) {
    let mut folders: Vec<String> = Vec::new();
    let mut not_empty: BTreeSet<String> = BTreeSet::new();
    for entry in crate::walk::from(dir) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(unreadable) => {
                let path = place(dir, rel, &unreadable.path);
                not_empty.insert(path.clone());
                out.error(
                    Code::Unreadable,
                    Some(&path),
                    format!("无法读取：{}", crate::fsio::why(&unreadable.source)),
                );
                continue;
            }
        };
        let path = place(dir, rel, entry.path());
        if entry.depth() > 0 {
            let parent = path.rsplit_once('/').map_or(rel, |(p, _)| p);
            not_empty.insert(parent.to_string());
        }
        let kind = entry.file_type();
        if kind.is_symlink() {
            out.error(Code::E090, Some(&path), "对象中不能有符号链接");
        } else if kind.is_dir() {
            folders.push(path);
        } else if kind.is_file() {
            files.insert(path, entry.metadata().map_or(0, |m| m.len()));
        } else {
            out.error(Code::E090, Some(&path), "对象中只能有普通文件和目录");
        }
    }
    for folder in folders.iter().filter(|f| !not_empty.contains(*f)) {
        out.error(Code::E024, Some(folder), "内容目录中不能有空目录");
    }
}

/// The logical place of `path` under the content folder `dir` whose place is `rel`.
fn place(dir: &Path, rel: &str, path: &Path) -> String {
    match crate::walk::relative(dir, path) {
        inner if inner.is_empty() => rel.to_string(),
        inner => format!("{rel}/{inner}"),
    }
}

/// A version inventory agrees with the head about every version it has (E037, E019,
/// E040, E066, W011).
pub(super) fn compare_inventories(
    n: u32,
    name: &str,
    version: &Inventory,
    head: &Inventory,
    out: &mut Findings,
) {
    let place = format!("{name}/inventory.json");
    if version.id != head.id {
        out.error(
            Code::E037,
            Some(&place),
            format!("对象 id “{}” 与根清单的 “{}” 不同", version.id, head.id),
        );
    }
    if version.content_directory != head.content_directory {
        out.error(Code::E019, Some(&place), "contentDirectory 与根清单不同");
    }
    if version.head != name {
        out.error(
            Code::E040,
            Some(&place),
            format!("版本目录 {name} 中清单的 head 为 “{}”", version.head),
        );
    }
    for (k, (vname, block)) in &version.versions {
        if *k > n {
            out.error(
                Code::E040,
                Some(&place),
                format!("版本 {name} 的清单中出现了更晚的 {vname}"),
            );
            continue;
        }
        let Some((_, current)) = head.versions.get(k) else {
            continue;
        };
        let same_state = if version.algorithm == head.algorithm {
            block.state == current.state
        } else {
            version.resolved(*k) == head.resolved(*k)
        };
        if !same_state {
            out.error(
                Code::E066,
                Some(&place),
                format!("{name} 清单中的 {vname} 与根清单中的 {vname} 内容不同"),
            );
        }
        if block.created != current.created
            || block.message != current.message
            || block.user != current.user
        {
            out.warn(
                Code::W011,
                Some(&place),
                format!("{name} 清单中 {vname} 的时间、说明或用户与根清单不同"),
            );
        }
    }
    // Files stored by this and earlier versions are all in its manifest (E023).
    let known: BTreeSet<&str> = version
        .manifest
        .values()
        .flatten()
        .map(String::as_str)
        .collect();
    for (k, (vname, _)) in &head.versions {
        if *k > n {
            continue;
        }
        let prefix = format!("{vname}/{}/", head.content_directory);
        for path in head
            .manifest
            .values()
            .flatten()
            .filter(|p| p.starts_with(&prefix))
        {
            if !known.contains(path.as_str()) {
                out.error(
                    Code::E023,
                    Some(&place),
                    format!("清单的 manifest 中缺少 “{path}”"),
                );
            }
        }
    }
}
