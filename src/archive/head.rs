//! 预归档 and 归档: records go first into the object's mutable head (OCFL community
//! extension 0005-mutable-head), one revision per add, and are filed as an immutable
//! version (归档) when it matters: `dashi archive commit`, before a report that prints a
//! digest, before an export, and when a record of a later quarter arrives. An archive
//! of five years so has a few dozen versions instead of hundreds, and its inventories
//! (each version keeps a copy that lists every earlier version) stay small.
//!
//! The layout is the extension's:
//! `extensions/0005-mutable-head/{root-inventory.json.sha512, revisions/rN, head/}`,
//! where `head/` is a version folder whose inventory lists the root's versions and
//! the pending one, its new files under `head/content/rN/`.
//!
//! Every change is noted first in `logs/dashi-pending.json` (the step, the version,
//! the revision and the digest the new inventory will have) and staged under `logs/`,
//! then moved into place by renames; `version::repair` finishes or undoes a change
//! that was interrupted at any point. A revision's steps:
//! 1. note; 2. stage the new files, the new head inventory and sidecar (and for a new
//!    head, the whole extension folder); 3. rename into place (the extension folder in
//!    one step, or the revision marker, the content folder, the inventory, then the
//!    sidecar); 4. remove the staging and the note.
//!
//! A commit's steps: 1. note; 2. the head's inventory is replaced by the committed
//!    one (content paths under `vN/`); 3. `head/` is renamed to `vN`; 4. the root
//!    inventory and sidecar are written; 5. the extension folder goes; 6. the note.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::inventory::{self, ALGORITHM, Block, Inventory, Version};
use super::version::{self, Commit, Committed, Pending, Step};
use super::{Archive, ArchiveError};

/// The extension's folder in the object root.
pub const DIR: &str = "extensions/0005-mutable-head";
/// The head's folder, relative to the object root.
pub const HEAD: &str = "extensions/0005-mutable-head/head";

/// The mutable head as read.
#[derive(Debug, Clone)]
pub struct Head {
    pub inventory: Inventory,
    /// The digest of the head inventory.
    pub digest: String,
    /// The number of the newest revision.
    pub revision: u32,
}

impl Head {
    /// The pending version's name (`v5`).
    pub fn version(&self) -> &str {
        &self.inventory.head
    }
}

/// Reads the mutable head of the object at `root`, if it has an active one.
pub fn read(root: &Path) -> Result<Option<Head>, ArchiveError> {
    let path = root.join(HEAD).join("inventory.json");
    if !path.is_file() {
        return Ok(None);
    }
    let broken = |detail: String| ArchiveError::Inventory {
        path: root.join(HEAD),
        detail,
    };
    let (inventory, digest) = inventory::read(&path).map_err(|e| broken(e.to_string()))?;
    let sidecar = fs::read_to_string(root.join(HEAD).join(format!("inventory.json.{ALGORITHM}")))
        .map_err(|e| broken(format!("inventory.json.{ALGORITHM}：{e}")))?;
    if sidecar.split_whitespace().next() != Some(digest.as_str()) {
        return Err(broken(
            "inventory.json 与 inventory.json.sha512 不符".into(),
        ));
    }
    Ok(Some(Head {
        inventory,
        digest,
        revision: revisions(root).last().copied().unwrap_or(0),
    }))
}

/// The revision markers' numbers, in order.
fn revisions(root: &Path) -> Vec<u32> {
    let mut numbers: Vec<u32> = fs::read_dir(root.join(DIR).join("revisions"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_prefix('r')?
                .parse::<u32>()
                .ok()
        })
        .collect();
    numbers.sort_unstable();
    numbers
}

/// What a revision did.
#[derive(Debug, Clone)]
pub struct Revised {
    /// The pending version (`v5`).
    pub version: String,
    /// The revision (`r3`).
    pub revision: String,
    /// Logical paths stored, with their sizes.
    pub stored: Vec<(String, u64)>,
    /// Logical paths whose content the object already held.
    pub referenced: Vec<String>,
}

/// Adds `change.files` to the mutable head (making one if there is none) as its next
/// revision. The caller holds the archive's lock and has run `repair`.
pub fn revise(archive: &mut Archive, change: Commit) -> Result<Revised, ArchiveError> {
    let root = archive.root.clone();
    let (mut next, number, message) = match &archive.head {
        Some(head) => {
            let mut next = head.inventory.clone();
            // The pending block is changed: read it from its raw form.
            let version = next.version(next.head_number()).map(|(_, v)| v);
            if let (Some(last), Some(version)) = (next.versions.0.last_mut(), version) {
                last.1 = Block::Made(version);
            }
            let message = joined(pending_message(&head.inventory), &change.message);
            (next, head.revision + 1, message)
        }
        None => {
            let mut next = archive.inventory.clone();
            let state = next
                .version(next.head_number())
                .map(|(_, v)| v.state)
                .unwrap_or_default();
            next.head = next.next_name();
            next.versions.0.push((
                next.head.clone(),
                Block::Made(Version {
                    created: String::new(),
                    message: String::new(),
                    state,
                    user: change.user.clone(),
                }),
            ));
            (next, 1, joined("", &change.message))
        }
    };
    let revision = format!("r{number}");
    // Filed content a correction takes out of the state (its bytes stay in the
    // versions that had it, so the manifest keeps it).
    if let Some((_, Block::Made(v))) = next.versions.0.last_mut() {
        for listed in v.state.values_mut() {
            listed.retain(|p| !change.removed.contains(p));
        }
        v.state.retain(|_, listed| !listed.is_empty());
    }
    let content = format!("{HEAD}/{}/{revision}/", next.content_dir());
    let placed = version::place(&mut next, &change.files, &content)?;
    if let Some((_, Block::Made(v))) = next.versions.0.last_mut() {
        v.created = change.created;
        v.message = message;
        v.user = change.user;
    }
    let digest = next.digest();
    let name = next.head.clone();
    version::note(
        &root,
        &Pending {
            step: Step::Revision,
            version: name.clone(),
            revision: Some(revision.clone()),
            inventory_digest: digest.clone(),
        },
    )?;
    let staging = version::staging(&root, &revision)?;
    let fresh = archive.head.is_none();
    // For a new head the whole extension folder is staged and appears in one rename.
    let head_dir = if fresh {
        staging.join("head")
    } else {
        staging.clone()
    };
    for (file, path) in &placed.to_write {
        let inner = path.strip_prefix(&format!("{HEAD}/")).unwrap_or(path);
        version::copy_checked(file, &head_dir.join(inner))?;
    }
    fs::create_dir_all(&head_dir).map_err(ArchiveError::io(&head_dir))?;
    version::write_inventory(&head_dir, &next, &digest)?;
    let marker = staging.join("revisions").join(&revision);
    crate::fsio::create_dirs(marker.parent().expect("has a parent"))
        .map_err(ArchiveError::io(&marker))?;
    fs::write(&marker, &revision).map_err(ArchiveError::io(&marker))?;
    if fresh {
        let sidecar = format!("inventory.json.{ALGORITHM}");
        let copy = staging.join(format!("root-inventory.json.{ALGORITHM}"));
        fs::copy(root.join(&sidecar), &copy).map_err(ArchiveError::io(&copy))?;
    }
    version::sync_tree(&staging);
    install(&root, &staging, &revision, fresh, next.content_dir())?;
    version::done(&root)?;
    archive.head = Some(Head {
        inventory: next,
        digest,
        revision: number,
    });
    Ok(Revised {
        version: name,
        revision,
        stored: placed.stored,
        referenced: placed.referenced,
    })
}

/// Moves a staged revision into place: a new head's whole extension folder in one
/// rename; else the marker, the content folder, the inventory, then its sidecar.
fn install(
    root: &Path,
    staging: &Path,
    revision: &str,
    fresh: bool,
    content: &str,
) -> Result<(), ArchiveError> {
    let ext = root.join(DIR);
    if fresh {
        let parent = ext.parent().expect("has a parent");
        fs::create_dir_all(parent).map_err(ArchiveError::io(parent))?;
        fs::rename(staging, &ext).map_err(ArchiveError::io(&ext))?;
        version::sync_dir(parent);
        return Ok(());
    }
    let into = |from: PathBuf, to: PathBuf| -> Result<(), ArchiveError> {
        if from.exists() {
            fs::rename(&from, &to).map_err(ArchiveError::io(&to))?;
        }
        Ok(())
    };
    into(
        staging.join("revisions").join(revision),
        ext.join("revisions").join(revision),
    )?;
    let content_dir = root.join(HEAD).join(content);
    fs::create_dir_all(&content_dir).map_err(ArchiveError::io(&content_dir))?;
    into(
        staging.join(content).join(revision),
        content_dir.join(revision),
    )?;
    version::sync_dir(&content_dir);
    for name in [
        "inventory.json".to_string(),
        format!("inventory.json.{ALGORITHM}"),
    ] {
        into(staging.join(&name), root.join(HEAD).join(&name))?;
    }
    version::sync_dir(&root.join(HEAD));
    fs::remove_dir_all(staging).map_err(ArchiveError::io(staging))
}

/// The pending version's message: what each revision added, in order.
fn pending_message(inventory: &Inventory) -> String {
    inventory
        .version(inventory.head_number())
        .map(|(_, v)| v.message)
        .unwrap_or_default()
}

/// The message of a head: what each revision added, in order.
fn joined(before: impl AsRef<str>, more: &str) -> String {
    match before.as_ref() {
        "" => more.to_string(),
        before => format!("{before}；{more}"),
    }
}

/// Files the pending head into an immutable version (归档). `message` replaces the
/// head's own (the list of what its revisions added). Returns `None` when nothing is
/// pending. The caller holds the lock and has run `repair`.
pub fn commit(
    archive: &mut Archive,
    message: Option<&str>,
    created: String,
) -> Result<Option<Committed>, ArchiveError> {
    // Taken, not copied: an archive of years has a large inventory.
    let Some(head) = archive.head.take() else {
        return Ok(None);
    };
    let root = archive.root.clone();
    let name = head.inventory.head.clone();
    let mut next = head.inventory;
    let from = format!("{HEAD}/");
    let to = format!("{name}/");
    let moved = |path: &mut String| {
        if let Some(rest) = path.strip_prefix(&from) {
            *path = format!("{to}{rest}");
        }
    };
    next.manifest.values_mut().flatten().for_each(moved);
    next.fixity
        .values_mut()
        .flat_map(BTreeMap::values_mut)
        .flatten()
        .for_each(moved);
    let mut version = next
        .version(next.head_number())
        .map(|(_, v)| v)
        .ok_or_else(|| ArchiveError::NoVersion(name.clone()))?;
    version.created = created;
    if let Some(message) = message.map(str::trim).filter(|m| !m.is_empty()) {
        version.message = message.to_string();
    }
    if let Some(last) = next.versions.0.last_mut() {
        last.1 = Block::Made(version);
    }
    let digest = next.digest();
    version::note(
        &root,
        &Pending {
            step: Step::Commit,
            version: name.clone(),
            revision: None,
            inventory_digest: digest.clone(),
        },
    )?;
    version::write_inventory(&root.join(HEAD), &next, &digest)?;
    version::sync_dir(&root.join(HEAD));
    finish_commit(&root, &name, &digest)?;
    let stored = placed_in(&next, &to, &root);
    archive.inventory = next;
    archive.digest = digest.clone();
    archive.head = None;
    Ok(Some(Committed {
        version: name,
        digest,
        stored,
        referenced: Vec::new(),
    }))
}

/// The rest of a commit once the head holds the committed inventory (also what repair
/// runs): the head becomes `vN`, the root inventory follows, the extension goes.
pub(super) fn finish_commit(root: &Path, name: &str, digest: &str) -> Result<(), ArchiveError> {
    let head = root.join(HEAD);
    let version_dir = root.join(name);
    if head.is_dir() && !version_dir.exists() {
        fs::rename(&head, &version_dir).map_err(ArchiveError::io(&version_dir))?;
        version::sync_dir(root);
    }
    let bytes =
        fs::read(version_dir.join("inventory.json")).map_err(ArchiveError::io(&version_dir))?;
    let sidecar = version_dir.join(format!("inventory.json.{ALGORITHM}"));
    if !fs::read_to_string(&sidecar).is_ok_and(|s| s.starts_with(digest)) {
        crate::fsio::write_atomic(&sidecar, format!("{digest}  inventory.json\n").as_bytes())
            .map_err(ArchiveError::io(&sidecar))?;
    }
    version::write_inventory_pair(root, &bytes, digest)?;
    version::sync_dir(root);
    remove_extension(root)?;
    version::done(root)
}

/// Removes the extension folder (and `extensions/` when nothing else is in it).
pub(super) fn remove_extension(root: &Path) -> Result<(), ArchiveError> {
    let ext = root.join(DIR);
    if ext.exists() {
        fs::remove_dir_all(&ext).map_err(ArchiveError::io(&ext))?;
    }
    let parent = root.join("extensions");
    if fs::read_dir(&parent).is_ok_and(|mut d| d.next().is_none()) {
        fs::remove_dir(&parent).map_err(ArchiveError::io(&parent))?;
    }
    version::sync_dir(root);
    Ok(())
}

/// The files a version folder stores (content paths below the version and revision
/// folders), with their sizes.
fn placed_in(inventory: &Inventory, prefix: &str, root: &Path) -> Vec<(String, u64)> {
    inventory
        .manifest
        .values()
        .flatten()
        .filter(|c| c.starts_with(prefix))
        .map(|c| {
            let size = fs::metadata(root.join(c)).map_or(0, |m| m.len());
            let shown = c.splitn(4, '/').nth(3).unwrap_or(c);
            (shown.to_string(), size)
        })
        .collect()
}

/// Undoes an interrupted revision `revision` whose inventory was not yet in place.
pub(super) fn undo_revision(root: &Path, revision: &str) -> Result<(), ArchiveError> {
    let content = root.join(HEAD).join("content").join(revision);
    if content.exists() {
        fs::remove_dir_all(&content).map_err(ArchiveError::io(&content))?;
    }
    if !root.join(HEAD).join("inventory.json").is_file() {
        remove_extension(root)?;
    } else {
        let marker = root.join(DIR).join("revisions").join(revision);
        if marker.exists() {
            fs::remove_file(&marker).map_err(ArchiveError::io(&marker))?;
        }
    }
    Ok(())
}

/// What a withdrawal did.
#[derive(Debug, Clone)]
pub struct Withdrawn {
    /// The pending version (`v5`).
    pub version: String,
    /// The revision that recorded it, or `None` when nothing was left pending and the
    /// whole head went.
    pub revision: Option<String>,
    /// Stored files removed with it (content only the withdrawn records used).
    pub removed: usize,
}

/// Takes `paths` back out of the mutable head before they are filed (撤回). Content
/// only they used leaves the manifest and the disk, since a head may be rewritten and
/// OCFL allows no file that no inventory lists. When nothing is left pending, the whole
/// head goes, as the extension allows. The caller holds the lock, has run `repair`,
/// and gives paths that are pending and not filed.
pub fn withdraw(
    archive: &mut Archive,
    paths: &[String],
    message: &str,
    user: inventory::User,
    created: String,
) -> Result<Withdrawn, ArchiveError> {
    let root = archive.root.clone();
    let Some(head) = archive.head.clone() else {
        return Err(ArchiveError::NoVersion("预归档".into()));
    };
    let mut next = head.inventory.clone();
    let n = next.head_number();
    let Some((_, mut pending)) = next.version(n) else {
        return Err(ArchiveError::NoVersion(head.version().to_string()));
    };
    for listed in pending.state.values_mut() {
        listed.retain(|p| !paths.contains(p));
    }
    pending.state.retain(|_, listed| !listed.is_empty());
    let filed = archive.inventory.state(archive.inventory.head_number());
    let left: BTreeMap<String, String> = pending
        .state
        .iter()
        .flat_map(|(d, ps)| ps.iter().map(move |p| (p.clone(), d.clone())))
        .collect();
    let version = head.version().to_string();
    if left == filed {
        // Nothing pending is left: the head goes whole (moved aside in one rename).
        version::note(
            &root,
            &Pending {
                step: Step::Withdraw,
                version: version.clone(),
                revision: None,
                inventory_digest: archive.digest.clone(),
            },
        )?;
        let removed = placed_in(&head.inventory, HEAD, &root).len();
        discard(&root)?;
        version::done(&root)?;
        archive.head = None;
        return Ok(Withdrawn {
            version,
            revision: None,
            removed,
        });
    }
    pending.message = joined(pending_message(&head.inventory), message);
    pending.created = created;
    pending.user = user;
    if let Some(last) = next.versions.0.last_mut() {
        last.1 = Block::Made(pending);
    }
    // Content no version uses any more leaves the manifest (only the head's can).
    let mut used = std::collections::BTreeSet::new();
    for k in 1..=n {
        if let Some((_, v)) = next.version(k) {
            used.extend(v.state.into_keys());
        }
    }
    let orphans: Vec<String> = next
        .manifest
        .keys()
        .filter(|d| !used.contains(*d))
        .cloned()
        .collect();
    let mut removed = 0;
    for digest in &orphans {
        removed += next.manifest.remove(digest).map_or(0, |v| v.len());
        for by_digest in next.fixity.values_mut() {
            by_digest.retain(|_, paths| {
                paths.retain(|p| next.manifest.values().flatten().any(|m| m == p));
                !paths.is_empty()
            });
        }
    }
    let number = head.revision + 1;
    let revision = format!("r{number}");
    let digest = next.digest();
    version::note(
        &root,
        &Pending {
            step: Step::Withdraw,
            version: version.clone(),
            revision: Some(revision.clone()),
            inventory_digest: digest.clone(),
        },
    )?;
    let staging = version::staging(&root, &revision)?;
    version::write_inventory(&staging, &next, &digest)?;
    let marker = staging.join("revisions").join(&revision);
    crate::fsio::create_dirs(marker.parent().expect("has a parent"))
        .map_err(ArchiveError::io(&marker))?;
    fs::write(&marker, &revision).map_err(ArchiveError::io(&marker))?;
    version::sync_tree(&staging);
    install(&root, &staging, &revision, false, next.content_dir())?;
    prune(&root, &next)?;
    version::done(&root)?;
    archive.head = Some(Head {
        inventory: next,
        digest,
        revision: number,
    });
    Ok(Withdrawn {
        version,
        revision: Some(revision),
        removed,
    })
}

/// Moves the extension folder aside in one rename, then removes it.
pub(super) fn discard(root: &Path) -> Result<(), ArchiveError> {
    let ext = root.join(DIR);
    if ext.exists() {
        let aside = version::staging(root, "discarded-head")?;
        if let Some(parent) = aside.parent() {
            fs::create_dir_all(parent).map_err(ArchiveError::io(parent))?;
        }
        fs::rename(&ext, &aside).map_err(ArchiveError::io(&aside))?;
        version::sync_dir(&root.join("extensions"));
        fs::remove_dir_all(&aside).map_err(ArchiveError::io(&aside))?;
    }
    remove_extension(root)
}

/// Removes from the head's content every file its inventory does not list, and the
/// folders that leaves empty (OCFL allows neither, E023, E024).
pub(super) fn prune(root: &Path, inventory: &Inventory) -> Result<(), ArchiveError> {
    let listed: std::collections::BTreeSet<&str> = inventory
        .manifest
        .values()
        .flatten()
        .map(String::as_str)
        .collect();
    let content = root.join(HEAD).join(inventory.content_dir());
    let mut folders = Vec::new();
    for entry in crate::walk::below(&content, |_| true).flatten() {
        let rel = crate::walk::relative(root, entry.path());
        if entry.file_type().is_dir() {
            folders.push(entry.path().to_path_buf());
        } else if !listed.contains(rel.as_str()) {
            fs::remove_file(entry.path()).map_err(ArchiveError::io(entry.path()))?;
        }
    }
    // Deepest first, so a folder's emptied children go before it.
    folders.sort_by_key(|f| std::cmp::Reverse(f.components().count()));
    for folder in folders {
        if fs::read_dir(&folder).is_ok_and(|mut d| d.next().is_none()) {
            fs::remove_dir(&folder).map_err(ArchiveError::io(&folder))?;
        }
    }
    version::sync_dir(&content);
    Ok(())
}
