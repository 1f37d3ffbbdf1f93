//! Every stored file hashed once, streaming and on every core, with each algorithm an
//! inventory or the fixity block uses for it; then every manifest and fixity digest
//! held against the files (E023, E092, E093).

use super::codes::Code;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::Findings;
use super::inventory::Inventory;
use crate::progress::{Progress, Silent};

/// Each stored file's digests: content path → algorithm → hex digest.
pub(super) type Stored = BTreeMap<String, BTreeMap<String, String>>;

/// Hashes every stored file once, with every algorithm any inventory or fixity block
/// uses for it. Files not in the head manifest are E023, manifest paths with no file
/// E092.
pub(super) fn content_digests(
    root: &Path,
    files: &BTreeMap<String, u64>,
    head: &Inventory,
    out: &mut Findings,
    progress: &dyn Progress,
) -> Stored {
    let listed: BTreeSet<&str> = head
        .manifest
        .values()
        .flatten()
        .map(String::as_str)
        .collect();
    for path in files.keys() {
        if !listed.contains(path.as_str()) {
            out.error(Code::E023, Some(path), "内容目录中的文件不在 manifest 中");
        }
    }
    for path in &listed {
        if !files.contains_key(*path) {
            out.error(Code::E092, Some(path), "manifest 列出的文件不存在");
        }
    }
    let mut algorithms: BTreeSet<&str> = BTreeSet::from([head.algorithm.as_str()]);
    algorithms.extend(head.fixity.keys().map(String::as_str));
    let algorithms: Vec<&str> = algorithms.into_iter().collect();
    let paths: Vec<&str> = files.keys().map(String::as_str).collect();
    let sizes: Vec<u64> = files.values().copied().collect();
    progress.start(sizes.iter().sum());
    let results = super::hashing::files(root, &paths, &algorithms, progress);
    let mut digests = BTreeMap::new();
    for (path, result) in paths.into_iter().zip(results) {
        match result {
            Ok(d) => {
                digests.insert(path.to_string(), d);
            }
            Err(e) => out.error(Code::E092, Some(path), format!("无法读取：{e}")),
        }
    }
    digests
}

/// Every manifest and fixity digest of an inventory against the files (E092, E093):
/// each file's digest as `stored` or, for an algorithm it lacks, `other` has it.
pub(super) fn check_digests(
    inventory: &Inventory,
    place: &str,
    stored: &Stored,
    other: &Stored,
    out: &mut Findings,
) {
    let digest_of = |path: &str, algorithm: &str| {
        stored
            .get(path)
            .and_then(|d| d.get(algorithm))
            .or_else(|| other.get(path).and_then(|d| d.get(algorithm)))
    };
    for (digest, paths) in &inventory.manifest {
        for path in paths {
            let Some(actual) = digest_of(path, &inventory.algorithm) else {
                continue;
            };
            if !actual.eq_ignore_ascii_case(digest) {
                out.error(
                    Code::E092,
                    Some(path),
                    format!("文件内容与 {place} 的 manifest 摘要不符（已改动）"),
                );
            }
        }
    }
    for (algorithm, block) in &inventory.fixity {
        for (digest, paths) in block {
            for path in paths {
                let Some(actual) = digest_of(path, algorithm) else {
                    continue;
                };
                if !actual.eq_ignore_ascii_case(digest) {
                    out.error(
                        Code::E093,
                        Some(path),
                        format!("文件内容与 {place} 的 fixity（{algorithm}）摘要不符"),
                    );
                }
            }
        }
    }
}

/// The `algorithm` digest of every stored file `inventory` lists that `stored` lacks it
/// for (a version inventory that uses another content algorithm than the head).
pub(super) fn other_digests(root: &Path, inventory: &Inventory, stored: &Stored) -> Stored {
    let algorithm = &inventory.algorithm;
    if !super::hashing::ALGORITHMS.contains(&algorithm.as_str()) {
        return Stored::new();
    }
    let missing: Vec<&str> = inventory
        .manifest
        .values()
        .flatten()
        .filter(|path| {
            stored
                .get(*path)
                .is_some_and(|d| !d.contains_key(algorithm))
        })
        .map(String::as_str)
        .collect();
    let computed = super::hashing::files(root, &missing, &[algorithm], &Silent);
    missing
        .iter()
        .zip(computed)
        .filter_map(|(path, result)| Some((path.to_string(), result.ok()?)))
        .collect()
}
