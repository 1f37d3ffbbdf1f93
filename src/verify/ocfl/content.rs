//! The object on disk: the root folder's entries and conformance declaration, every
//! inventory with its sidecar, the version folders and their content, each file hashed
//! once (streaming, on every core) with every algorithm an inventory or the fixity
//! block uses for it.

use super::codes::Code;
use super::digests::Stored;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use super::digests::{check_digests, content_digests, other_digests};
use super::inventory::{self, Inventory};
use super::syntax::short;
use super::versions::{compare_inventories, version_folder};
use super::{
    Findings, ObjectReport, PENDING, VersionSummary, inventory_digest, spec_of, versions_of,
};
use crate::progress::{Progress, Silent};

/// Extensions registered with the OCFL editors (W013 for others).
const EXTENSIONS: [&str; 10] = [
    "0001-digest-algorithms",
    "0002-flat-direct-storage-layout",
    "0003-hash-and-id-n-tuple-storage-layout",
    "0004-hashed-n-tuple-storage-layout",
    "0005-mutable-head",
    "0006-flat-omit-prefix-storage-layout",
    "0007-n-tuple-omit-prefix-storage-layout",
    "0008-schema-registry",
    "0009-digest-algorithms",
    "0010-differential-versioning",
];

/// An inventory file as read: its bytes' digest and what it says.
pub(super) struct Read_ {
    pub(super) digest: Option<String>,
    pub(super) inventory: Inventory,
}

/// A version inventory judged: its digest, and the OCFL version its `type` names.
type Judged = (Option<String>, String);

/// What `check` needs of the object after its root was read.
pub(super) struct Object {
    root: PathBuf,
    /// Root entries that are folders / files, by name.
    dirs: BTreeSet<String>,
    spec: String,
    head: Read_,
}

impl Object {
    /// Reads the root: declaration, root inventory and sidecar; `None` when there is no
    /// inventory to go on.
    pub(super) fn read(
        root: &Path,
        out: &mut Findings,
        report: &mut ObjectReport,
    ) -> Option<Object> {
        let entries = match fs::read_dir(root) {
            Ok(dir) => dir.filter_map(Result::ok).collect::<Vec<_>>(),
            Err(e) => {
                out.error(Code::E003, None, format!("无法读取对象根目录：{e}"));
                return None;
            }
        };
        let mut dirs = BTreeSet::new();
        let mut files = BTreeSet::new();
        for entry in &entries {
            let name = entry.file_name().to_string_lossy().into_owned();
            match entry.file_type() {
                Ok(t) if t.is_symlink() => {
                    out.error(Code::E090, Some(&name), "对象中不能有符号链接");
                }
                Ok(t) if t.is_dir() => {
                    dirs.insert(name);
                }
                Ok(_) => {
                    files.insert(name);
                }
                Err(_) => {}
            }
        }
        if dirs.is_empty() && files.is_empty() {
            out.error(Code::E003, None, "对象根目录是空的");
            out.error(Code::E063, None, "缺少 inventory.json");
            return None;
        }
        let spec = declaration(root, &files, out).unwrap_or_else(|| "1.1".into());
        report.spec = Some(spec.clone());
        let pending = read_pending(root);
        for name in &files {
            let allowed = name.starts_with("0=")
                || name == "inventory.json"
                || name.starts_with("inventory.json.");
            if !allowed {
                out.error(Code::E001, Some(name), "对象根目录中不能有此文件");
            }
        }
        for name in &dirs {
            if version_number_ok(name) || name == "logs" || name == "extensions" {
                continue;
            }
            out.error(Code::E001, Some(name), "对象根目录中不能有此目录");
        }
        if dirs.contains("extensions") {
            extensions(&root.join("extensions"), out);
        }
        let Some(head) = read_inventory(root, "", &files, None, out) else {
            if !files.contains("inventory.json") {
                out.error(Code::E063, None, "缺少对象根目录中的 inventory.json");
            }
            return None;
        };
        if let Some(step) = &pending {
            // What the interrupted change left is reported as found (as other
            // validators do); the note says what finishes it.
            report.pending = Some(format!("有一次未完成的{step}"));
        }
        if !head.inventory.kind.is_empty()
            && head.inventory.kind != format!("https://ocfl.io/{spec}/spec/#inventory")
        {
            out.error(
                Code::E038,
                Some("inventory.json"),
                format!("type “{}” 与声明的 OCFL {spec} 不符", head.inventory.kind),
            );
        }
        report.id = Some(head.inventory.id.clone()).filter(|s| !s.is_empty());
        report.head = Some(head.inventory.head.clone()).filter(|s| !s.is_empty());
        report.digest_algorithm = Some(head.inventory.algorithm.clone());
        report.head_inventory_digest = head.digest.clone();
        Some(Object {
            root: root.to_path_buf(),
            dirs,
            spec,
            head,
        })
    }

    /// Versions, content and digests; the mutable head (预归档) meanwhile, its findings
    /// after the others.
    pub(super) fn check(
        self,
        out: &mut Findings,
        report: &mut ObjectReport,
        expect: Option<&str>,
        progress: &dyn Progress,
    ) {
        let (stored, (mut found, pending_head)) = rayon::join(
            || self.versions_and_content(out, report, expect, progress),
            || {
                // (Its few files are not counted in the progress of the content.)
                let mut found = Findings::default();
                let head = super::head::check(&self.root, &self.head, &mut found, &Silent);
                (found, head)
            },
        );
        out.0.append(&mut found.0);
        report.pending_head = pending_head;
        // A long history's inventory is many small allocations: let go of it on
        // another thread, not before the report.
        rayon::spawn(move || drop((self, stored)));
    }

    /// Every version folder, its content and its inventory, held against the root
    /// inventory; the stored files' digests.
    fn versions_and_content(
        &self,
        out: &mut Findings,
        report: &mut ObjectReport,
        expect: Option<&str>,
        progress: &dyn Progress,
    ) -> Stored {
        let head = &self.head.inventory;
        let listed: BTreeMap<u32, String> = head
            .versions
            .iter()
            .map(|(n, (name, _))| (*n, name.clone()))
            .collect();
        self.folders_match_versions(&listed, out);
        let (files, with_inventory) = self.version_folders(&listed, out);
        // Every stored file: listed, present, and with the digests the head inventory
        // and the fixity block give it; meanwhile the application (its findings said
        // last). Then each version's own inventory, read and judged in full.
        let (stored, (mut bag_found, bag)) = rayon::join(
            || content_digests(&self.root, &files, head, out, progress),
            || {
                let mut found = Findings::default();
                let bag = application(&self.root, head, &mut found);
                (found, bag)
            },
        );
        report.stored_files = files.len();
        report.stored_bytes = files.values().sum();
        check_digests(head, "inventory.json", &stored, &Stored::new(), out);
        let own = self.version_inventories(&listed, &with_inventory, &stored, out);
        // The versions as the head tells them, with their own inventories' digests.
        report.versions = head
            .versions
            .values()
            .map(|(name, v)| VersionSummary {
                name: name.clone(),
                created: v.created.clone(),
                message: v.message.clone(),
                user: v.user.as_ref().map(|(n, _)| n.clone()),
                files: v.state.len(),
                inventory_digest: own.get(name).cloned().flatten(),
            })
            .collect();
        if let Some(expect) = expect {
            expected(expect, report, out);
        }
        report.application = bag;
        out.0.append(&mut bag_found.0);
        stored
    }

    /// E046, E010: the version folders on disk are the versions the head lists.
    fn folders_match_versions(&self, listed: &BTreeMap<u32, String>, out: &mut Findings) {
        for name in versions_of(self.dirs.iter()).values() {
            if !listed.values().any(|l| l == name) {
                out.error(
                    Code::E046,
                    Some(name),
                    format!("版本目录 {name} 不在根清单中（根清单不是最新的）"),
                );
            }
        }
        for name in listed.values() {
            if !self.dirs.contains(name) {
                out.error(
                    Code::E010,
                    Some(name),
                    format!("根清单列出的版本目录 {name} 不存在"),
                );
            }
        }
    }

    /// Each version folder: its files and content (path → size), and the versions that
    /// have their own inventory (W010 for the others). Their inventories are read
    /// later, one at a time: an object of many versions has as many whole inventories.
    fn version_folders(
        &self,
        listed: &BTreeMap<u32, String>,
        out: &mut Findings,
    ) -> (BTreeMap<String, u64>, Vec<(u32, String)>) {
        let head = &self.head.inventory;
        let mut files: BTreeMap<String, u64> = BTreeMap::new();
        let mut with_inventory: Vec<(u32, String)> = Vec::new();
        // Walked on every core, each folder's findings kept in the versions' order.
        let listed: Vec<(&u32, &String)> = listed.iter().collect();
        let walked: Vec<_> = listed
            .par_iter()
            .map(|(_, name)| {
                let dir = self.root.join(name);
                if !dir.is_dir() {
                    return None;
                }
                let mut found = Findings::default();
                let mut content = BTreeMap::new();
                let version_files = version_folder(
                    &dir,
                    name,
                    &head.content_directory,
                    &mut found,
                    &mut content,
                );
                Some((found, content, version_files))
            })
            .collect();
        for ((n, name), walked) in listed.into_iter().zip(walked) {
            let Some((mut found, mut content, version_files)) = walked else {
                continue;
            };
            out.0.append(&mut found.0);
            files.append(&mut content);
            if version_files.contains("inventory.json") {
                with_inventory.push((*n, name.clone()));
            } else {
                out.warn(
                    Code::W010,
                    Some(name),
                    format!("版本目录 {name} 中没有 inventory.json"),
                );
            }
        }
        (files, with_inventory)
    }

    /// Each version's own inventory (on every core, one at a time on each: an object
    /// of many versions has as many whole inventories), read and judged in full, held
    /// against the head and the files, then let go; the spec versions in order (E103).
    /// Returns each version's inventory digest.
    fn version_inventories(
        &self,
        listed: &BTreeMap<u32, String>,
        with_inventory: &[(u32, String)],
        stored: &Stored,
        out: &mut Findings,
    ) -> BTreeMap<String, Option<String>> {
        let last = listed.values().last().cloned();
        let judged: Vec<(Findings, Option<Judged>)> = with_inventory
            .par_iter()
            .map(|(n, name)| {
                let mut found = Findings::default();
                let is_last = last.as_ref() == Some(name);
                let judged = self.version_inventory(*n, name, is_last, stored, &mut found);
                (found, judged)
            })
            .collect();
        let mut own: BTreeMap<String, Option<String>> = BTreeMap::new();
        let mut spec_before = "1.0".to_string();
        for ((_, name), (mut found, judged)) in with_inventory.iter().zip(judged) {
            out.0.append(&mut found.0);
            if let Some((digest, spec)) = judged {
                spec_in_order(name, spec, &mut spec_before, out);
                own.insert(name.clone(), digest);
            }
        }
        if spec_before > self.spec {
            out.error(
                Code::E103,
                None,
                format!(
                    "版本清单采用的 OCFL {spec_before} 晚于对象声明的 {}",
                    self.spec
                ),
            );
        }
        own
    }

    /// The inventory of version `n` (folder `name`): its sidecar, whether it is the
    /// root's when it is the last (E064), what it says of each version against the head,
    /// its digests against the files. Its digest and OCFL version, when it reads.
    fn version_inventory(
        &self,
        n: u32,
        name: &str,
        is_last: bool,
        stored: &Stored,
        out: &mut Findings,
    ) -> Option<Judged> {
        let head = &self.head.inventory;
        let dir = self.root.join(name);
        let version_files: BTreeSet<String> = fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|f| f.starts_with("inventory.json"))
            .collect();
        let read = read_inventory(&dir, name, &version_files, Some(head), out)?;
        if is_last
            && read.digest.is_some()
            && head_digest_with(&self.head, &read.inventory.algorithm) != read.digest
        {
            head_differs(name, out);
        }
        compare_inventories(n, name, &read.inventory, head, out);
        let spec = spec_of(&read.inventory).unwrap_or("1.1").to_string();
        let other = other_digests(&self.root, &read.inventory, stored);
        let place = format!("{name}/inventory.json");
        check_digests(&read.inventory, &place, stored, &other, out);
        Some((read.digest, spec))
    }
}

/// E064: the root inventory must be the newest version's.
fn head_differs(name: &str, out: &mut Findings) {
    out.error(
        Code::E064,
        Some("inventory.json"),
        format!("根目录的 inventory.json 与最新版本 {name} 中的不同"),
    );
}

/// E103: a version's inventory may not take an older OCFL version than the one before.
fn spec_in_order(name: &str, spec: String, before: &mut String, out: &mut Findings) {
    if spec < *before {
        out.error(
            Code::E103,
            Some(name),
            format!("版本 {name} 的清单采用 OCFL {spec}，早于前一版本的 {before}"),
        );
    }
    *before = spec;
}

fn version_number_ok(name: &str) -> bool {
    inventory::version_number(name).is_some()
}

/// The conformance declaration `0=ocfl_object_1.1` (E003–E007); its version.
fn declaration(root: &Path, files: &BTreeSet<String>, out: &mut Findings) -> Option<String> {
    let declared: Vec<&String> = files.iter().filter(|n| n.starts_with("0=")).collect();
    let [name] = declared.as_slice() else {
        out.error(
            Code::E003,
            None,
            if declared.is_empty() {
                "缺少版本声明文件 0=ocfl_object_1.1".to_string()
            } else {
                "版本声明文件不止一个".to_string()
            },
        );
        return None;
    };
    let value = name.trim_start_matches("0=");
    let Some(version) = value.strip_prefix("ocfl_object_") else {
        out.error(
            Code::E006,
            Some(name),
            "版本声明文件名须为 0=ocfl_object_1.1",
        );
        return None;
    };
    if !["1.0", "1.1"].contains(&version) {
        out.error(
            Code::E006,
            Some(name),
            format!("不认识的 OCFL 版本 {version}"),
        );
    }
    let text = fs::read(root.join(name)).unwrap_or_default();
    if text != format!("{value}\n").as_bytes() {
        out.error(
            Code::E007,
            Some(name),
            format!("版本声明文件的内容须为 “{value}” 加换行"),
        );
    }
    Some(version.to_string())
}

/// dashi's note of an interrupted change, as words: which change, of which version.
fn read_pending(root: &Path) -> Option<String> {
    let text = fs::read(root.join(PENDING)).ok()?;
    let value: serde_json::Value = serde_json::from_slice(&text).ok()?;
    let version = value.get("version")?.as_str()?;
    Some(match value.get("step").and_then(|s| s.as_str()) {
        Some("revision") => format!(
            "预归档（{version} 的修订 {}）",
            value.get("revision").and_then(|r| r.as_str()).unwrap_or("")
        ),
        Some("commit") => format!("归档（{version}）"),
        _ => format!("添加（{version}）"),
    })
}

/// The extensions folder holds only folders (E067), named as registered (W013).
fn extensions(dir: &Path, out: &mut Findings) {
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = format!("extensions/{name}");
        if !entry.file_type().is_ok_and(|t| t.is_dir()) {
            out.error(Code::E067, Some(&path), "extensions 目录中只能有扩展子目录");
        } else if !EXTENSIONS.contains(&name.as_str()) {
            out.warn(
                Code::W013,
                Some(&path),
                format!("“{name}” 不是已登记的扩展名"),
            );
        }
    }
}

/// An inventory and its sidecar in `dir` (`place` is "" for the root or the version
/// name), its blocks that are `known`'s taken as judged there (`inventory::read`);
/// `None` when there is no readable inventory.
fn read_inventory(
    dir: &Path,
    place: &str,
    files: &BTreeSet<String>,
    known: Option<&Inventory>,
    out: &mut Findings,
) -> Option<Read_> {
    let bytes = inventory_bytes(dir, place, files, out)?;
    parse_inventory(dir, place, files, bytes, known, out)
}

/// An inventory's bytes judged, with its sidecar.
fn parse_inventory(
    dir: &Path,
    place: &str,
    files: &BTreeSet<String>,
    bytes: Vec<u8>,
    known: Option<&Inventory>,
    out: &mut Findings,
) -> Option<Read_> {
    let place_of = at(place, "inventory.json");
    let (inventory, digest) = read_hashed(&bytes, &bytes, &place_of, known, out)?;
    sidecar(
        dir,
        place,
        files,
        &inventory.algorithm,
        digest.as_deref(),
        out,
    );
    Some(Read_ { digest, inventory })
}

/// An inventory read and judged from `text` (`inventory::read`), and the digest of
/// `hashed` (its bytes on disk) with the algorithm it names.
pub(super) fn read_hashed(
    text: &[u8],
    hashed: &[u8],
    place: &str,
    known: Option<&Inventory>,
    out: &mut Findings,
) -> Option<(Inventory, Option<String>)> {
    let inventory = inventory::read(text, place, known, out)?;
    let digest = inventory_digest(hashed, &inventory.algorithm);
    Some((inventory, digest))
}

/// `name` in the folder `place` ("" for the root), as findings name it.
fn at(place: &str, name: &str) -> String {
    if place.is_empty() {
        name.to_string()
    } else {
        format!("{place}/{name}")
    }
}

/// The bytes of the inventory in `dir`, if there is one that reads.
fn inventory_bytes(
    dir: &Path,
    place: &str,
    files: &BTreeSet<String>,
    out: &mut Findings,
) -> Option<Vec<u8>> {
    if !files.contains("inventory.json") {
        return None;
    }
    match fs::read(dir.join("inventory.json")) {
        Ok(b) => Some(b),
        Err(e) => {
            out.error(
                Code::E033,
                Some(&at(place, "inventory.json")),
                format!("无法读取：{e}"),
            );
            None
        }
    }
}

/// The sidecar of an inventory whose digest is `digest` (E058, E059, E060, E061).
pub(super) fn sidecar(
    dir: &Path,
    place: &str,
    files: &BTreeSet<String>,
    algorithm: &str,
    digest: Option<&str>,
    out: &mut Findings,
) {
    let name = format!("inventory.json.{algorithm}");
    if !files.contains(&name) {
        match files.iter().find(|f| f.starts_with("inventory.json.")) {
            Some(other) => out.error(
                Code::E059,
                Some(&at(place, other)),
                format!("旁注文件的算法与清单的 {algorithm} 不符"),
            ),
            None => out.error(
                Code::E058,
                Some(&at(place, "inventory.json")),
                "缺少摘要旁注文件",
            ),
        }
        return;
    }
    let text = fs::read_to_string(dir.join(&name)).unwrap_or_default();
    let mut parts = text.split_whitespace();
    match (parts.next(), parts.next(), parts.next()) {
        (Some(recorded), Some("inventory.json"), None) => {
            if Some(recorded.to_lowercase().as_str()) != digest {
                out.error(
                    Code::E060,
                    Some(&at(place, "inventory.json")),
                    format!("旁注文件记录的摘要 {} 与清单不符", short(recorded)),
                );
            }
        }
        _ => out.error(
            Code::E061,
            Some(&at(place, &name)),
            "旁注文件须为“摘要 inventory.json”一行",
        ),
    }
}

/// The head inventory's digest in another algorithm (version inventories may use one).
fn head_digest_with(head: &Read_, algorithm: &str) -> Option<String> {
    if head.inventory.algorithm == algorithm {
        head.digest.clone()
    } else {
        None
    }
}

/// `--expect`: the digest of the root inventory or of a version's inventory.
fn expected(expect: &str, report: &mut ObjectReport, out: &mut Findings) {
    let wanted = expect.to_lowercase();
    if report.head_inventory_digest.as_deref() == Some(wanted.as_str()) {
        report.expected_version = report.head.clone();
        return;
    }
    let found = report
        .versions
        .iter()
        .find(|v| v.inventory_digest.as_deref() == Some(wanted.as_str()));
    match found {
        Some(v) => report.expected_version = Some(v.name.clone()),
        None => out.error(
            Code::Expect,
            None,
            format!(
                "核对摘要 {} 不是本档案任何版本清单的摘要：该版本或其以前的历史已被改动，或摘要抄错",
                short(&wanted)
            ),
        ),
    }
}

/// A dashi archive keeps the sealed application as its first version's `申报/`: that
/// bag is verified where it is stored (its report, when there is one).
fn application(
    root: &Path,
    head: &Inventory,
    out: &mut Findings,
) -> Option<Box<crate::verify::Report>> {
    let (name, first) = head.versions.get(&1)?;
    let bagit = format!("{}/bagit.txt", super::APPLICATION_DIR);
    if !first.state.contains_key(&bagit) {
        return None;
    }
    let folder = root
        .join(name)
        .join(&head.content_directory)
        .join(super::APPLICATION_DIR);
    match crate::verify::verify(&folder, None, &crate::progress::Silent) {
        Ok(bag) => {
            if !bag.intact {
                for p in bag.problems.iter().filter(|p| p.error) {
                    out.error(
                        Code::E092,
                        Some(&format!(
                            "{name}/{}/{}/{}",
                            head.content_directory,
                            super::APPLICATION_DIR,
                            p.path.as_deref().unwrap_or("")
                        )),
                        format!("申报材料包：{}", p.message),
                    );
                }
            }
            Some(Box::new(bag))
        }
        Err(e) => {
            out.error(Code::E092, Some(&bagit), format!("申报材料包无法读取：{e}"));
            None
        }
    }
}
