//! OCFL 1.1 objects (the Oxford Common File Layout; the studio archive of 第十一条 is
//! one): the conformance declaration, every inventory and its sidecar (root and each
//! version), the version sequence, content paths, the content directories (nothing
//! missing, nothing extra, no empty folders, no links) and the digest of every stored
//! file — each finding with the specification's E/W code. Beyond OCFL: an object whose
//! first version holds a BagIt bag (a dashi archive keeps the sealed application there)
//! has that bag verified too, and `--expect` takes the digest of any version's
//! inventory, proving that the history up to that version is unchanged.

mod block;
pub mod codes;
mod content;
mod digests;
pub mod hashing;
mod head;
pub mod inventory;
mod syntax;
mod versions;

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::progress::Progress;
use crate::seal::digest::hex;
pub use codes::Code;
use inventory::{Inventory, version_number};

/// The folder of the sealed application inside a dashi archive's state.
pub const APPLICATION_DIR: &str = "申报";
/// dashi's note of an add in progress (see `archive`), kept in the object's logs.
pub const PENDING: &str = "logs/dashi-pending.json";

/// One finding about an object, with its OCFL validation code.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub code: Code,
    pub error: bool,
    pub path: Option<String>,
    pub message: String,
}

/// Findings collected while reading an object.
#[derive(Debug, Default)]
pub struct Findings(pub Vec<Finding>);

impl Findings {
    pub fn error(&mut self, code: Code, path: Option<&str>, message: impl Into<String>) {
        self.push(code, true, path, message.into());
    }

    pub fn warn(&mut self, code: Code, path: Option<&str>, message: impl Into<String>) {
        self.push(code, false, path, message.into());
    }

    fn push(&mut self, code: Code, error: bool, path: Option<&str>, message: String) {
        self.0.push(Finding {
            code,
            error,
            path: path.map(str::to_string),
            message,
        });
    }
}

/// One version as the head inventory tells it.
#[derive(Debug, Clone, Serialize)]
pub struct VersionSummary {
    pub name: String,
    pub created: String,
    pub message: Option<String>,
    pub user: Option<String>,
    pub files: usize,
    /// The digest of this version's own inventory (its sidecar's algorithm), when it
    /// has one: what a report printed at that version names.
    pub inventory_digest: Option<String>,
}

/// The verification report of an OCFL object (printed, or as JSON with `--json`).
#[derive(Debug, Clone, Serialize)]
pub struct ObjectReport {
    pub object: String,
    pub id: Option<String>,
    pub spec: Option<String>,
    pub head: Option<String>,
    pub digest_algorithm: Option<String>,
    /// The digest of the root inventory: pins the whole history up to the head.
    pub head_inventory_digest: Option<String>,
    pub versions: Vec<VersionSummary>,
    pub stored_files: usize,
    pub stored_bytes: u64,
    /// The sealed application in the first version, verified as a bag.
    pub application: Option<Box<super::Report>>,
    /// The version whose inventory digest `--expect` named.
    pub expected_version: Option<String>,
    /// A change that was interrupted and waits for `dashi archive repair`.
    pub pending: Option<String>,
    /// The mutable head (预归档): a version not yet committed.
    pub pending_head: Option<PendingHead>,
    pub problems: Vec<Finding>,
    pub intact: bool,
}

/// The mutable head as verified: records 预归档, not yet a version.
#[derive(Debug, Clone, Serialize)]
pub struct PendingHead {
    /// The version it will be (`v5`).
    pub version: String,
    /// How many revisions it has had.
    pub revisions: u32,
    /// Logical files in its state.
    pub files: usize,
    /// Files it stores itself, and their bytes.
    pub stored_files: usize,
    pub stored_bytes: u64,
}

/// Whether a folder is an OCFL object root (it declares itself, or has an inventory
/// and version folders).
pub fn is_object(path: &Path) -> bool {
    let Ok(dir) = std::fs::read_dir(path) else {
        return false;
    };
    let names: Vec<String> = dir
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    let bag_like = |n: &String| {
        n == "bagit.txt"
            || n == "data"
            || n.starts_with("manifest-")
            || n.starts_with("tagmanifest-")
    };
    names.iter().any(|n| n.starts_with("0=ocfl_object"))
        || (names.iter().any(|n| n == "inventory.json") && !names.iter().any(|n| n == "bagit.txt"))
        // A folder with no sign of a bag either (an empty one): judged as an object,
        // whose missing declaration and inventory are its findings (E003, E063).
        || !names.iter().any(bag_like)
}

/// Verifies the OCFL object at `root`. `expect` is a hex digest (any case) that must be
/// the digest of the root or of some version's inventory.
pub fn verify_object(root: &Path, expect: Option<&str>, progress: &dyn Progress) -> ObjectReport {
    let mut findings = Findings::default();
    let mut report = ObjectReport {
        object: root.display().to_string(),
        id: None,
        spec: None,
        head: None,
        digest_algorithm: None,
        head_inventory_digest: None,
        versions: Vec::new(),
        stored_files: 0,
        stored_bytes: 0,
        application: None,
        expected_version: None,
        pending: None,
        pending_head: None,
        problems: Vec::new(),
        intact: false,
    };
    let object = content::Object::read(root, &mut findings, &mut report);
    if let Some(object) = object {
        object.check(&mut findings, &mut report, expect, progress);
    }
    progress.finish();
    report.problems = findings.0;
    report.intact = !report.problems.iter().any(|p| p.error);
    report
}

/// The inventory digest a version's sidecar algorithm gives, in lowercase hex.
pub fn inventory_digest(bytes: &[u8], algorithm: &str) -> Option<String> {
    use sha2::Digest;
    Some(match algorithm {
        "sha512" => hex(&sha2::Sha512::digest(bytes)),
        "sha256" => hex(&sha2::Sha256::digest(bytes)),
        _ => return None,
    })
}

/// The numbers of version folder names.
fn versions_of<'a>(names: impl Iterator<Item = &'a String>) -> BTreeMap<u32, String> {
    names
        .filter_map(|n| version_number(n).map(|(v, _)| (v, n.clone())))
        .collect()
}

/// The OCFL specification version an inventory `type` names.
fn spec_of(inventory: &Inventory) -> Option<&str> {
    inventory
        .kind
        .strip_prefix("https://ocfl.io/")?
        .strip_suffix("/spec/#inventory")
}
