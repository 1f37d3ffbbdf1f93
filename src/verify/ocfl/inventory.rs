//! One OCFL inventory (`inventory.json`), read and judged on its own: its keys and
//! their types, the digest algorithm, the version sequence and head, each version's
//! `created`, `state`, `message` and `user`, the manifest and fixity blocks, and every
//! content and logical path. What needs the disk (files, sidecars, other inventories)
//! is judged by the object check that reads it.

use super::codes::Code;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use std::sync::Arc;

use rayon::prelude::*;
use serde_json::{Map, Value};

use super::Findings;
use super::syntax::{content_path_ok, is_digest, is_uri, short, string_array, unique_paths};

/// The keys an inventory may hold (E102 for any other).
const KEYS: [&str; 8] = [
    "id",
    "type",
    "digestAlgorithm",
    "head",
    "contentDirectory",
    "manifest",
    "versions",
    "fixity",
];

/// Fixity algorithms of the specification and its Digest Algorithms extension.
const FIXITY_ALGORITHMS: [&str; 11] = [
    "md5",
    "sha1",
    "sha256",
    "sha512",
    "blake2b-512",
    "blake2b-160",
    "blake2b-256",
    "blake2b-384",
    "sha512/256",
    "size",
    "crc32",
];

/// One version block.
#[derive(Debug, Clone, Default)]
pub struct Version {
    pub created: String,
    /// Logical path → digest (shared with the inventory whose same block was judged).
    pub state: Arc<BTreeMap<String, String>>,
    pub message: Option<String>,
    pub user: Option<(String, Option<String>)>,
}

/// An inventory as far as it could be read.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    pub id: String,
    pub kind: String,
    pub algorithm: String,
    pub head: String,
    pub content_directory: String,
    /// Digest → content paths.
    pub manifest: BTreeMap<String, Vec<String>>,
    /// By version number (1, 2, …), with the directory name as written.
    pub versions: BTreeMap<u32, (String, Version)>,
    /// Algorithm → digest → content paths.
    pub fixity: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    /// Whether the version names are zero-padded (and to what width).
    pub padding: Option<usize>,
    /// Each version block as read (for `read`'s `known`).
    pub blocks: Map<String, Value>,
}

impl Inventory {
    /// Content path → digest.
    pub fn content_digests(&self) -> BTreeMap<&str, &str> {
        self.manifest
            .iter()
            .flat_map(|(d, paths)| paths.iter().map(move |p| (p.as_str(), d.as_str())))
            .collect()
    }

    /// Logical path → the content path holding it, for one version.
    pub fn resolved(&self, version: u32) -> BTreeMap<String, String> {
        let Some((_, v)) = self.versions.get(&version) else {
            return BTreeMap::new();
        };
        v.state
            .iter()
            .filter_map(|(logical, digest)| {
                let content = self.manifest.get(digest)?.first()?;
                Some((logical.clone(), content.clone()))
            })
            .collect()
    }
}

/// The number of a version directory name (`v3`, `v003`), and its padding width (the
/// digits' count when zero-padded).
pub fn version_number(name: &str) -> Option<(u32, Option<usize>)> {
    let digits = name.strip_prefix('v')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u32 = digits.parse().ok()?;
    if n == 0 {
        return None;
    }
    Some((n, digits.starts_with('0').then_some(digits.len())))
}

/// Reads and judges an inventory; `place` names it in findings (`inventory.json`,
/// `v2/inventory.json`). The one reading of an inventory: the whole text parsed as
/// JSON, then every member judged from that. A version block equal, as JSON, to the
/// same version's block in `known` (the root inventory, judged in full) under the same
/// digest algorithm is taken as judged there (a long history repeats every earlier
/// version in every version's inventory).
pub fn read(
    text: &[u8],
    place: &str,
    known: Option<&Inventory>,
    out: &mut Findings,
) -> Option<Inventory> {
    let value: Value = match serde_json::from_slice(text) {
        Ok(value) => value,
        Err(e) => {
            out.error(Code::E033, Some(place), not_json(e));
            return None;
        }
    };
    let Value::Object(mut owned) = value else {
        out.error(Code::E033, Some(place), "清单不是一个 JSON 对象");
        return None;
    };
    let map = &owned;
    let mut inv = Inventory::default();
    for key in map.keys() {
        if !KEYS.contains(&key.as_str()) {
            out.error(
                Code::E102,
                Some(place),
                format!("清单中有规范未定义的键 “{key}”"),
            );
        }
    }
    let text_of = |key: &str, code: Code, out: &mut Findings| -> Option<String> {
        match map.get(key) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                out.error(code, Some(place), format!("“{key}”须为字符串"));
                None
            }
            None => {
                out.error(Code::E036, Some(place), format!("清单缺少必需的键 “{key}”"));
                None
            }
        }
    };
    inv.id = text_of("id", Code::E037, out).unwrap_or_default();
    if !inv.id.is_empty() && !is_uri(&inv.id) {
        out.warn(
            Code::W005,
            Some(place),
            format!("对象 id “{}” 不是 URI", inv.id),
        );
    }
    inv.kind = text_of("type", Code::E038, out).unwrap_or_default();
    inv.algorithm = text_of("digestAlgorithm", Code::E025, out).unwrap_or_default();
    match inv.algorithm.as_str() {
        "sha512" => {}
        "sha256" => out.warn(
            Code::W004,
            Some(place),
            "内容摘要算法用的是 sha256，规范建议 sha512",
        ),
        "" => {}
        other => out.error(
            Code::E025,
            Some(place),
            format!("内容摘要算法须为 sha512 或 sha256，不能是 “{other}”"),
        ),
    }
    inv.head = text_of("head", Code::E040, out).unwrap_or_default();
    inv.content_directory = match map.get("contentDirectory") {
        None => "content".into(),
        Some(Value::String(dir)) => {
            if dir.contains('/') {
                out.error(
                    Code::E017,
                    Some(place),
                    format!("contentDirectory “{dir}” 含有 /"),
                );
            }
            if dir == "." || dir == ".." || dir.is_empty() {
                out.error(
                    Code::E018,
                    Some(place),
                    format!("contentDirectory 不能是 “{dir}”"),
                );
            }
            dir.clone()
        }
        Some(_) => {
            out.error(Code::E017, Some(place), "contentDirectory 须为字符串");
            "content".into()
        }
    };
    read_manifest(map, place, &mut inv, out);
    let known = known.filter(|k| k.algorithm == inv.algorithm);
    super::block::read_versions(map.get("versions"), place, known, &mut inv, out);
    read_fixity(map, place, &mut inv, out);
    check_references(place, &inv, out);
    if let Some(Value::Object(blocks)) = owned.remove("versions") {
        inv.blocks = blocks;
    }
    Some(inv)
}

pub(super) fn not_json(e: serde_json::Error) -> String {
    format!("不是有效的 JSON：{e}")
}

fn read_manifest(map: &Map<String, Value>, place: &str, inv: &mut Inventory, out: &mut Findings) {
    let manifest = match map.get("manifest") {
        Some(Value::Object(m)) => m,
        Some(_) => {
            out.error(Code::E106, Some(place), "manifest 须为 JSON 对象");
            return;
        }
        None => {
            out.error(Code::E041, Some(place), "清单缺少 manifest");
            return;
        }
    };
    let mut lower = BTreeSet::new();
    let mut all_paths = Vec::new();
    for (digest, paths) in manifest {
        if !lower.insert(digest.to_lowercase()) {
            out.error(
                Code::E096,
                Some(place),
                format!(
                    "manifest 中摘要 {} 出现不止一次（不分大小写）",
                    short(digest)
                ),
            );
        }
        if !is_digest(digest, &inv.algorithm) {
            out.error(
                Code::E050,
                Some(place),
                format!(
                    "manifest 中的 “{}” 不是 {} 摘要",
                    short(digest),
                    inv.algorithm
                ),
            );
        }
        let Some(paths) = string_array(paths) else {
            out.error(
                Code::E092,
                Some(place),
                "manifest 的每个值须为内容路径的数组",
            );
            continue;
        };
        for path in &paths {
            content_path_ok(path, place, out);
        }
        all_paths.extend(paths.iter().cloned());
        inv.manifest.insert(digest.clone(), paths);
    }
    unique_paths(
        all_paths.iter().map(String::as_str),
        Code::E101,
        "内容路径",
        place,
        out,
    );
}

fn read_fixity(map: &Map<String, Value>, place: &str, inv: &mut Inventory, out: &mut Findings) {
    let fixity = match map.get("fixity") {
        None => return,
        Some(Value::Object(f)) => f,
        Some(_) => {
            out.error(Code::E111, Some(place), "fixity 须为 JSON 对象");
            return;
        }
    };
    let known: BTreeSet<&str> = inv
        .manifest
        .values()
        .flatten()
        .map(String::as_str)
        .collect();
    for (algorithm, block) in fixity {
        if !FIXITY_ALGORITHMS.contains(&algorithm.as_str()) {
            out.error(
                Code::E056,
                Some(place),
                format!("fixity 中的算法 “{algorithm}” 不受规范承认"),
            );
        }
        let Some(block) = block.as_object() else {
            out.error(
                Code::E057,
                Some(place),
                format!("fixity.{algorithm} 须为 JSON 对象"),
            );
            continue;
        };
        let mut lower = BTreeSet::new();
        let mut digests = BTreeMap::new();
        for (digest, paths) in block {
            if !lower.insert(digest.to_lowercase()) {
                out.error(
                    Code::E097,
                    Some(place),
                    format!("fixity.{algorithm} 中摘要 {} 出现不止一次", short(digest)),
                );
            }
            let Some(paths) = string_array(paths) else {
                out.error(
                    Code::E057,
                    Some(place),
                    format!("fixity.{algorithm} 的值须为路径数组"),
                );
                continue;
            };
            for path in &paths {
                if content_path_ok(path, place, out) && !known.contains(path.as_str()) {
                    out.error(
                        Code::E057,
                        Some(place),
                        format!("fixity.{algorithm} 中的 “{path}” 不在 manifest 中"),
                    );
                }
            }
            digests.insert(digest.clone(), paths);
        }
        inv.fixity.insert(algorithm.clone(), digests);
    }
}

/// State digests are in the manifest (E050); every manifest digest is used (E107);
/// content paths sit in a version's content directory (E042, E015).
fn check_references(place: &str, inv: &Inventory, out: &mut Findings) {
    // Each version's state against the manifest (on every core: a long history has
    // thousands of state entries): the digests it lacks, and which entries it uses.
    let index: HashMap<&str, usize> = inv
        .manifest
        .keys()
        .enumerate()
        .map(|(i, digest)| (digest.as_str(), i))
        .collect();
    let versions: Vec<&(String, Version)> = inv.versions.values().collect();
    let looked: Vec<(Vec<&str>, Vec<bool>)> = versions
        .par_iter()
        .map(|(_, version)| {
            let mut missing = Vec::new();
            let mut uses = vec![false; index.len()];
            for digest in version.state.values() {
                match index.get(digest.as_str()) {
                    Some(&at) => uses[at] = true,
                    None => missing.push(digest.as_str()),
                }
            }
            (missing, uses)
        })
        .collect();
    let mut used = vec![false; index.len()];
    for ((name, _), (missing, uses)) in versions.iter().zip(looked) {
        for digest in missing {
            out.error(
                Code::E050,
                Some(place),
                format!("版本 {name} 的摘要 {} 不在 manifest 中", short(digest)),
            );
        }
        for (used, uses) in used.iter_mut().zip(uses) {
            *used |= uses;
        }
    }
    let names: BTreeSet<&str> = inv.versions.values().map(|(n, _)| n.as_str()).collect();
    for ((digest, paths), used) in inv.manifest.iter().zip(used) {
        if !used {
            out.error(
                Code::E107,
                Some(place),
                format!("manifest 中的摘要 {} 不属于任何版本", short(digest)),
            );
        }
        for path in paths {
            let mut parts = path.splitn(3, '/');
            let (version, dir) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            if !names.contains(version) {
                out.error(
                    Code::E042,
                    Some(place),
                    format!("内容路径 “{path}” 不在任何版本目录下"),
                );
            } else if dir != inv.content_directory || parts.next().is_none() {
                out.error(
                    Code::E015,
                    Some(place),
                    format!(
                        "内容路径 “{path}” 不在版本的内容目录 {} 中",
                        inv.content_directory
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_names() {
        assert_eq!(version_number("v3"), Some((3, None)));
        assert_eq!(version_number("v003"), Some((3, Some(3))));
        assert_eq!(version_number("v0"), None);
        assert_eq!(version_number("1"), None);
    }
}
