//! Version folders: what may sit in them (an inventory, its sidecars, the content
//! directory), their content walked (no links, no empty folders), and each version's
//! own inventory held against the head's (E037, E019, E040, E066, E023, W011).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
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
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let entry_name = entry.file_name().to_string_lossy().into_owned();
        let path = format!("{name}/{entry_name}");
        match entry.file_type() {
            Ok(t) if t.is_symlink() => out.error("E090", Some(&path), "对象中不能有符号链接"),
            Ok(t) if t.is_dir() && entry_name == content_dir => {
                walk(&entry.path(), &path, out, files);
            }
            Ok(t) if t.is_dir() => {
                out.warn("W002", Some(&path), "版本目录中不应有内容目录以外的目录")
            }
            Ok(_)
                if entry_name == "inventory.json" || entry_name.starts_with("inventory.json.") =>
            {
                top.insert(entry_name);
            }
            Ok(_) => out.error(
                "E015",
                Some(&path),
                "版本目录中只能有清单、旁注文件和内容目录",
            ),
            Err(_) => {}
        }
    }
    top
}

fn walk(dir: &Path, rel: &str, out: &mut Findings, files: &mut BTreeMap<String, u64>) {
    let mut any = false;
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        any = true;
        let path = format!("{rel}/{}", entry.file_name().to_string_lossy());
        match entry.file_type() {
            Ok(t) if t.is_symlink() => out.error("E090", Some(&path), "对象中不能有符号链接"),
            Ok(t) if t.is_dir() => walk(&entry.path(), &path, out, files),
            Ok(t) if t.is_file() => {
                files.insert(path, entry.metadata().map_or(0, |m| m.len()));
            }
            Ok(_) => out.error("E090", Some(&path), "对象中只能有普通文件和目录"),
            Err(_) => {}
        }
    }
    if !any {
        out.error("E024", Some(rel), "内容目录中不能有空目录");
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
            "E037",
            Some(&place),
            format!("对象 id “{}” 与根清单的 “{}” 不同", version.id, head.id),
        );
    }
    if version.content_directory != head.content_directory {
        out.error("E019", Some(&place), "contentDirectory 与根清单不同");
    }
    if version.head != name {
        out.error(
            "E040",
            Some(&place),
            format!("版本目录 {name} 中清单的 head 为 “{}”", version.head),
        );
    }
    for (k, (vname, block)) in &version.versions {
        if *k > n {
            out.error(
                "E040",
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
                "E066",
                Some(&place),
                format!("{name} 清单中的 {vname} 与根清单中的 {vname} 内容不同"),
            );
        }
        if block.created != current.created
            || block.message != current.message
            || block.user != current.user
        {
            out.warn(
                "W011",
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
                    "E023",
                    Some(&place),
                    format!("清单的 manifest 中缺少 “{path}”"),
                );
            }
        }
    }
}
