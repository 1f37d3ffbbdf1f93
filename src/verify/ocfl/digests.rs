//! Every stored file hashed once, streaming and on every core, with each algorithm an
//! inventory or the fixity block uses for it; then every manifest and fixity digest
//! held against the files (E023, E092, E093).

use super::codes::Code;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Read;
use std::path::Path;

use super::Findings;
use super::inventory::Inventory;
use crate::progress::Progress;

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
    let mut algorithms: BTreeSet<String> = BTreeSet::from([head.algorithm.clone()]);
    algorithms.extend(head.fixity.keys().cloned());
    let algorithms: Vec<String> = algorithms
        .into_iter()
        .filter(|a| ["md5", "sha1", "sha256", "sha512"].contains(&a.as_str()))
        .collect();
    let jobs: Vec<(&String, &u64)> = files.iter().collect();
    progress.start(files.values().sum());
    let results = jobs
        .par_iter()
        .map(|(path, _)| {
            let mut hashers: Vec<(String, Box<dyn sha2::digest::DynDigest>)> =
                algorithms.iter().map(|a| (a.clone(), hasher(a))).collect();
            let mut file = fs::File::open(root.join(path))?;
            let mut buffer = vec![0u8; 256 * 1024];
            loop {
                let n = file.read(&mut buffer)?;
                if n == 0 {
                    break;
                }
                for (_, h) in hashers.iter_mut() {
                    h.update(&buffer[..n]);
                }
                progress.advance(n as u64);
            }
            Ok::<_, std::io::Error>(
                hashers
                    .into_iter()
                    .map(|(a, h)| (a, crate::seal::digest::hex(&h.finalize())))
                    .collect::<BTreeMap<String, String>>(),
            )
        })
        .collect::<Vec<_>>();
    let mut digests = BTreeMap::new();
    for ((path, _), result) in jobs.into_iter().zip(results) {
        match result {
            Ok(d) => {
                digests.insert(path.clone(), d);
            }
            Err(e) => out.error(Code::E092, Some(path), format!("无法读取：{e}")),
        }
    }
    digests
}

fn hasher(algorithm: &str) -> Box<dyn sha2::digest::DynDigest> {
    match algorithm {
        "md5" => Box::new(md5::Md5::default()),
        "sha1" => Box::new(sha1::Sha1::default()),
        "sha256" => Box::new(sha2::Sha256::default()),
        _ => Box::new(sha2::Sha512::default()),
    }
}

/// Every manifest and fixity digest of an inventory against the files (E092, E093).
pub(super) fn check_digests(
    inventory: &Inventory,
    place: &str,
    stored: &Stored,
    out: &mut Findings,
) {
    for (digest, paths) in &inventory.manifest {
        for path in paths {
            let Some(actual) = stored.get(path).and_then(|d| d.get(&inventory.algorithm)) else {
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
                let Some(actual) = stored.get(path).and_then(|d| d.get(algorithm)) else {
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

/// Adds the `algorithm` digest of every stored file `inventory` lists that lacks it (a
/// version inventory that uses another content algorithm than the head).
pub(super) fn ensure(root: &Path, inventory: &Inventory, stored: &mut Stored) {
    let algorithm = &inventory.algorithm;
    if !["md5", "sha1", "sha256", "sha512"].contains(&algorithm.as_str()) {
        return;
    }
    for path in inventory.manifest.values().flatten() {
        let Some(digests) = stored.get_mut(path) else {
            continue;
        };
        if digests.contains_key(algorithm) {
            continue;
        }
        let mut h = hasher(algorithm);
        let Ok(mut file) = fs::File::open(root.join(path)) else {
            continue;
        };
        let mut buffer = vec![0u8; 256 * 1024];
        while let Ok(n) = file.read(&mut buffer) {
            if n == 0 {
                break;
            }
            h.update(&buffer[..n]);
        }
        digests.insert(algorithm.clone(), crate::seal::digest::hex(&h.finalize()));
    }
}
