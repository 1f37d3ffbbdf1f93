//! The mutable head of OCFL community extension 0005 (a dashi archive's 预归档): a
//! version kept under `extensions/0005-mutable-head/head` until it is committed. Other
//! validators look only at the extension's name; here the head is judged as the
//! extension asks: a valid version whose inventory lists the root's versions unchanged
//! and one more, written when the root had the sidecar it copied, with a revision
//! marker for every change, and every pending file present with its digests.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use super::codes::Code;
use super::content::Read_;
use super::digests::{check_digests, content_digests};
use super::inventory::Inventory;
use super::versions::{compare_inventories, version_folder};
use super::{Findings, PendingHead};
use crate::progress::Progress;

/// The extension's folder.
pub const DIR: &str = "extensions/0005-mutable-head";
/// The head version's folder.
const HEAD: &str = "extensions/0005-mutable-head/head";

/// Judges the mutable head of the object at `root`, whose root inventory is `rooted`.
pub(super) fn check(
    root: &Path,
    rooted: &Read_,
    out: &mut Findings,
    progress: &dyn Progress,
) -> Option<PendingHead> {
    let ext = root.join(DIR);
    if !ext.is_dir() {
        return None;
    }
    let head_dir = root.join(HEAD);
    if !head_dir.join("inventory.json").is_file() {
        out.error(
            Code::MutableHead,
            Some(DIR),
            "没有 head/inventory.json：没有进行中的预归档时不应有这个目录（运行 dashi archive repair）",
        );
        return None;
    }
    layout(&ext, out);
    conflict(&ext, rooted, out);
    let revisions = revisions(&ext, out);
    let mut files = BTreeMap::new();
    let top = version_folder(&head_dir, HEAD, "content", out, &mut files);
    let bytes = fs::read(head_dir.join("inventory.json")).ok()?;
    let name = next_name(&rooted.inventory);
    let place = format!("{HEAD}/inventory.json");
    let Ok(text) = std::str::from_utf8(&bytes) else {
        out.error(Code::E033, Some(&place), "清单不是 UTF-8 文本");
        return None;
    };
    // Read as it reads once committed (content paths under the next version's name),
    // and judged in full like any version inventory.
    let committed = as_committed(text, &name);
    let (mut head, digest) = super::content::read_hashed(
        committed.as_bytes(),
        &bytes,
        &place,
        Some(&rooted.inventory),
        out,
    )?;
    super::content::sidecar(
        &head_dir,
        HEAD,
        &top,
        &head.algorithm,
        digest.as_deref(),
        out,
    );
    let n = rooted
        .inventory
        .versions
        .keys()
        .last()
        .copied()
        .unwrap_or(0);
    let root_name = rooted.inventory.head.clone();
    if head.head != name {
        out.error(
            Code::MutableHead,
            Some(&place),
            format!(
                "预归档的版本应为根清单最新版本之后的 {name}，清单写的是 “{}”",
                head.head
            ),
        );
    }
    compare_inventories(n, &root_name, &rooted.inventory, &head, out);
    // Back to the paths on disk, for the pending files only.
    back_to_head(&mut head, &name);
    let pending = pending_only(&head);
    for path in pending.manifest.values().flatten() {
        let revision = path
            .strip_prefix(&format!("{HEAD}/content/"))
            .and_then(|rest| rest.split('/').next())
            .and_then(|r| r.strip_prefix('r')?.parse::<u32>().ok());
        if revision.is_none_or(|r| r == 0 || r > revisions) {
            out.error(
                Code::MutableHead,
                Some(path),
                "预归档的文件不在某个已标记修订（revisions/rN）的 content/rN 目录中",
            );
        }
    }
    let stored = content_digests(root, &files, &pending, out, progress);
    check_digests(&pending, &place, &stored, &Default::default(), out);
    let state = head
        .versions
        .get(&(n + 1))
        .map(|(_, v)| v.state.len())
        .unwrap_or(0);
    Some(PendingHead {
        version: name,
        revisions,
        files: state,
        stored_files: files.len(),
        stored_bytes: files.values().sum(),
    })
}

/// The extension folder holds exactly its three children.
fn layout(ext: &Path, out: &mut Findings) {
    let expected = BTreeSet::from(["root-inventory.json.sha512", "revisions", "head"]);
    let mut seen = BTreeSet::new();
    for entry in fs::read_dir(ext).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if expected.contains(name.as_str()) {
            seen.insert(name);
        } else {
            out.error(
                Code::MutableHead,
                Some(&format!("{DIR}/{name}")),
                "扩展目录中只能有 root-inventory.json.sha512、revisions 和 head",
            );
        }
    }
    for name in expected {
        if !seen.contains(name) {
            out.error(
                Code::MutableHead,
                Some(&format!("{DIR}/{name}")),
                "扩展目录缺少此项",
            );
        }
    }
}

/// The root inventory is the one the head was made on (else a version was made beside
/// the head: a version conflict).
fn conflict(ext: &Path, rooted: &Read_, out: &mut Findings) {
    let Ok(text) = fs::read_to_string(ext.join("root-inventory.json.sha512")) else {
        return;
    };
    let copied = text.split_whitespace().next().unwrap_or("").to_lowercase();
    if Some(copied.as_str()) != rooted.digest.as_deref() {
        out.error(
            Code::MutableHead,
            Some(&format!("{DIR}/root-inventory.json.sha512")),
            "预归档开始后根清单被改动（版本冲突）：预归档的版本与根目录的版本不再衔接",
        );
    }
}

/// The revision markers r1…rN, each holding its own name; returns N.
fn revisions(ext: &Path, out: &mut Findings) -> u32 {
    let dir = ext.join("revisions");
    let mut numbers = Vec::new();
    for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = format!("{DIR}/revisions/{name}");
        let number = name
            .strip_prefix('r')
            .and_then(|n| n.parse::<u32>().ok())
            .filter(|n| *n > 0 && format!("r{n}") == name);
        match number {
            Some(n) if fs::read(entry.path()).is_ok_and(|b| b == name.as_bytes()) => {
                numbers.push(n);
            }
            Some(_) => out.error(
                Code::MutableHead,
                Some(&path),
                format!("修订标记的内容须为 “{name}”，不带空白"),
            ),
            None => out.error(
                Code::MutableHead,
                Some(&path),
                "revisions 中只能有修订标记 r1、r2……",
            ),
        }
    }
    numbers.sort_unstable();
    if numbers
        .iter()
        .enumerate()
        .any(|(i, n)| *n as usize != i + 1)
    {
        out.error(
            Code::MutableHead,
            Some(&format!("{DIR}/revisions")),
            "修订标记须从 r1 起连续",
        );
    }
    numbers.last().copied().unwrap_or(0)
}

/// The name the next version of the root gets, padded as the root's are.
fn next_name(root: &Inventory) -> String {
    let n = root.versions.keys().last().copied().unwrap_or(0) + 1;
    match root.padding {
        Some(width) => format!("v{n:0>width$}", width = width.saturating_sub(1)),
        None => format!("v{n}"),
    }
}

/// The head inventory as it reads once committed: content paths under `name/`. (The
/// paths begin with the head folder right after their opening quote, and a quote
/// cannot occur inside that folder's name.)
fn as_committed(text: &str, name: &str) -> String {
    text.replace(&format!("\"{HEAD}/"), &format!("\"{name}/"))
}

/// The content paths of version `name` back under the head folder.
fn back_to_head(inventory: &mut Inventory, name: &str) {
    let prefix = format!("{name}/");
    let back = |path: &mut String| {
        if let Some(rest) = path.strip_prefix(&prefix) {
            *path = format!("{HEAD}/{rest}");
        }
    };
    inventory.manifest.values_mut().flatten().for_each(back);
    inventory
        .fixity
        .values_mut()
        .flat_map(BTreeMap::values_mut)
        .flatten()
        .for_each(back);
}

/// The manifest and fixity entries of the pending files only (with the algorithm:
/// what the digest check reads).
fn pending_only(inventory: &Inventory) -> Inventory {
    let mine = |paths: &Vec<String>| paths.iter().any(|p| p.starts_with(HEAD));
    let entries = |block: &BTreeMap<String, Vec<String>>| -> BTreeMap<String, Vec<String>> {
        block
            .iter()
            .filter(|(_, paths)| mine(paths))
            .map(|(digest, paths)| (digest.clone(), paths.clone()))
            .collect()
    };
    Inventory {
        algorithm: inventory.algorithm.clone(),
        manifest: entries(&inventory.manifest),
        fixity: inventory
            .fixity
            .iter()
            .map(|(algorithm, block)| (algorithm.clone(), entries(block)))
            .collect(),
        ..Inventory::default()
    }
}
