//! Adding a version, crash-safely, and finishing or undoing one that was interrupted.
//!
//! The steps, each leaving the object readable as the old or the new version:
//! 1. the new inventory is made in memory (forward delta: a file whose digest the
//!    object already holds is referenced, never stored again), and its digest noted in
//!    `logs/dashi-pending.json`;
//! 2. the new files, inventory and sidecar are written into `logs/dashi-staging-vN/`,
//!    each checked against its digest and synced — invisible to OCFL, logs are ignored;
//! 3. the staging folder is renamed to `vN` (one atomic step);
//! 4. the root inventory is replaced, then its sidecar (each atomically);
//! 5. the note is removed.
//!
//! Killed anywhere, `dashi verify` reads the object at the old version (up to step 3)
//! or at the new one (from step 4), and `repair` (also run before every add) finishes
//! the add when `vN` is complete, or rolls it back.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256, Sha512};

use super::inventory::{self, ALGORITHM, Block, FIXITY, Inventory, User, Version, hex};
use super::{Archive, ArchiveError, head};
use crate::verify::ocfl::PENDING;

/// Where a new file's bytes come from.
#[derive(Debug, Clone)]
pub enum Content {
    File(PathBuf),
    Bytes(std::sync::Arc<Vec<u8>>),
}

/// A file a version adds, at its logical path, with its digests.
#[derive(Debug, Clone)]
pub struct NewFile {
    pub logical: String,
    pub content: Content,
    pub sha512: String,
    pub sha256: String,
    pub size: u64,
}

impl NewFile {
    /// A file on disk, hashed while streaming.
    pub fn from_file(logical: String, path: &Path) -> io::Result<NewFile> {
        let (sha512, sha256, size) = digests(fs::File::open(path)?)?;
        Ok(NewFile {
            logical,
            content: Content::File(path.to_path_buf()),
            sha512,
            sha256,
            size,
        })
    }

    /// Bytes dashi made (a report).
    pub fn from_bytes(logical: String, bytes: Vec<u8>) -> NewFile {
        let (sha512, sha256, size) = digests(&bytes[..]).expect("reading memory works");
        NewFile {
            logical,
            content: Content::Bytes(std::sync::Arc::new(bytes)),
            sha512,
            sha256,
            size,
        }
    }
}

/// sha512, sha256 and size of everything a reader yields.
fn digests(reader: impl Read) -> io::Result<(String, String, u64)> {
    let (mut a, mut b) = (Sha512::new(), Sha256::new());
    let size = crate::seal::digest::stream(reader, |chunk| {
        a.update(chunk);
        b.update(chunk);
    })?;
    Ok((hex(&a.finalize()), hex(&b.finalize()), size))
}

/// What a new version is.
pub struct Commit {
    pub message: String,
    pub user: User,
    pub created: String,
    pub files: Vec<NewFile>,
    /// Logical paths of filed content that leave the state (a correction's 移出); their
    /// bytes stay in the versions that had them.
    pub removed: Vec<String>,
}

/// What a committed version holds.
#[derive(Debug, Clone)]
pub struct Committed {
    pub version: String,
    /// The digest of its inventory: pins the history up to it.
    pub digest: String,
    /// Logical paths stored, with their sizes.
    pub stored: Vec<(String, u64)>,
    /// Logical paths whose content the object already held (referenced, not stored).
    pub referenced: Vec<String>,
}

/// The step a note describes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Step {
    /// A whole version written at once (dashi before 预归档, and `archive init`).
    #[default]
    Version,
    /// A revision of the mutable head (预归档).
    Revision,
    /// The mutable head filed as a version (归档).
    Commit,
    /// Records taken back out of the mutable head (撤回): a revision, or with no
    /// revision the whole head discarded.
    Withdraw,
}

/// dashi's note of a change in progress, written before anything else and removed
/// last: what `repair` goes by.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Pending {
    #[serde(default)]
    pub step: Step,
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
    pub inventory_digest: String,
}

/// Writes the note of a change about to start.
pub(super) fn note(root: &Path, note: &Pending) -> Result<(), ArchiveError> {
    let logs = root.join("logs");
    fs::create_dir_all(&logs).map_err(ArchiveError::io(&logs))?;
    let path = root.join(PENDING);
    crate::fsio::write_atomic(&path, &serde_json::to_vec(note).expect("a note serializes"))
        .map_err(ArchiveError::io(&path))
}

/// Removes the note: the change is complete.
pub(super) fn done(root: &Path) -> Result<(), ArchiveError> {
    let path = root.join(PENDING);
    if path.exists() {
        fs::remove_file(&path).map_err(ArchiveError::io(&path))?;
    }
    Ok(())
}

/// A fresh staging folder `logs/dashi-staging-<name>/`.
pub(super) fn staging(root: &Path, name: &str) -> Result<PathBuf, ArchiveError> {
    let staging = root.join("logs").join(format!("dashi-staging-{name}"));
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(ArchiveError::io(&staging))?;
    }
    Ok(staging)
}

/// Where a change's files go, and what it did with each.
pub(super) struct Placed<'a> {
    /// Files to write, with their content paths.
    pub to_write: Vec<(&'a NewFile, String)>,
    pub stored: Vec<(String, u64)>,
    pub referenced: Vec<String>,
}

/// Adds `files` to the newest version block of `next` (which must be `Made`): each in
/// the state, and in the manifest and fixity under `content` (a content path prefix
/// ending in `/`) unless the object already holds its digest.
pub(super) fn place<'a>(
    next: &mut Inventory,
    files: &'a [NewFile],
    content: &str,
) -> Result<Placed<'a>, ArchiveError> {
    let Some((_, Block::Made(version))) = next.versions.0.last_mut() else {
        return Err(ArchiveError::NoVersion(next.head.clone()));
    };
    let mut state = std::mem::take(&mut version.state);
    let mut placed = Placed {
        to_write: Vec::new(),
        stored: Vec::new(),
        referenced: Vec::new(),
    };
    let existing: std::collections::BTreeSet<String> = state.values().flatten().cloned().collect();
    for file in files {
        if existing.contains(&file.logical) {
            if !crate::archive::replaceable(&file.logical) {
                return Err(ArchiveError::Exists(file.logical.clone()));
            }
            // A description the archive room keeps current: the new one replaces it.
            for paths in state.values_mut() {
                paths.retain(|p| p != &file.logical);
            }
            state.retain(|_, paths| !paths.is_empty());
        }
        state
            .entry(file.sha512.clone())
            .or_default()
            .push(file.logical.clone());
        if next.manifest.contains_key(&file.sha512) {
            placed.referenced.push(file.logical.clone());
            continue;
        }
        let path = format!("{content}{}", file.logical);
        next.manifest
            .insert(file.sha512.clone(), vec![path.clone()]);
        next.fixity
            .entry(FIXITY.into())
            .or_default()
            .entry(file.sha256.clone())
            .or_default()
            .push(path.clone());
        placed.stored.push((file.logical.clone(), file.size));
        placed.to_write.push((file, path));
    }
    for paths in state.values_mut() {
        paths.sort();
    }
    if let Some((_, Block::Made(version))) = next.versions.0.last_mut() {
        version.state = state;
    }
    Ok(placed)
}

/// Adds a version holding `commit.files` (which must be new logical paths) in one
/// step: used for the first version, which `archive init` writes. The caller holds
/// the archive's lock.
pub fn commit(archive: &mut Archive, commit: Commit) -> Result<Committed, ArchiveError> {
    let name = archive.inventory.next_name();
    let mut next = archive.inventory.clone();
    let state = next
        .version(archive.inventory.head_number())
        .map(|(_, v)| v.state)
        .unwrap_or_default();
    next.head = name.clone();
    next.versions.0.push((
        name.clone(),
        Block::Made(Version {
            created: commit.created,
            message: commit.message,
            state,
            user: commit.user,
        }),
    ));
    let content = format!("{name}/{}/", next.content_dir());
    let placed = place(&mut next, &commit.files, &content)?;
    let digest = next.digest();

    // 1. The note.
    note(
        &archive.root,
        &Pending {
            step: Step::Version,
            version: name.clone(),
            revision: None,
            inventory_digest: digest.clone(),
        },
    )?;

    // 2. The staged version.
    let staging = staging(&archive.root, &name)?;
    for (file, content) in &placed.to_write {
        let dest = staging.join(content.strip_prefix(&format!("{name}/")).unwrap_or(content));
        copy_checked(file, &dest)?;
    }
    fs::create_dir_all(&staging).map_err(ArchiveError::io(&staging))?;
    write_inventory(&staging, &next, &digest)?;
    sync_tree(&staging);

    // 3. The version appears whole.
    let version_dir = archive.root.join(&name);
    fs::rename(&staging, &version_dir).map_err(ArchiveError::io(&version_dir))?;
    sync_dir(&archive.root);

    // 4. The root inventory, then its sidecar.
    write_inventory(&archive.root, &next, &digest)?;
    sync_dir(&archive.root);

    // 5. Done.
    done(&archive.root)?;
    archive.inventory = next;
    archive.digest = digest.clone();
    Ok(Committed {
        version: name,
        digest,
        stored: placed.stored,
        referenced: placed.referenced,
    })
}

/// Copies a new file into place, checking that what was written is what was hashed.
pub(super) fn copy_checked(file: &NewFile, dest: &Path) -> Result<(), ArchiveError> {
    if let Some(parent) = dest.parent() {
        fs::create_dir_all(parent).map_err(ArchiveError::io(parent))?;
    }
    let (sha512, _, _) = match &file.content {
        Content::Bytes(bytes) => {
            fs::write(dest, bytes.as_slice()).map_err(ArchiveError::io(dest))?;
            digests(&bytes[..]).map_err(ArchiveError::io(dest))?
        }
        Content::File(source) => {
            let mut from = fs::File::open(source).map_err(ArchiveError::io(source))?;
            let mut to = fs::File::create(dest).map_err(ArchiveError::io(dest))?;
            let mut tee = inventory::Hashing::new(&mut to);
            io::copy(&mut from, &mut tee).map_err(ArchiveError::io(dest))?;
            let sha512 = tee.finish();
            to.sync_all().map_err(ArchiveError::io(dest))?;
            (sha512, String::new(), 0)
        }
    };
    if sha512 != file.sha512 {
        let path = match &file.content {
            Content::File(p) => p.clone(),
            Content::Bytes(_) => dest.to_path_buf(),
        };
        return Err(ArchiveError::Changed(path));
    }
    Ok(())
}

/// `inventory.json` (streamed) then its sidecar, each replaced atomically; the written
/// bytes must have `digest`.
pub(super) fn write_inventory(
    dir: &Path,
    inventory: &Inventory,
    digest: &str,
) -> Result<(), ArchiveError> {
    let path = dir.join("inventory.json");
    let mut written = String::new();
    crate::fsio::write_via(
        &path,
        |file| {
            written = inventory.write_to(file).map_err(ArchiveError::io(dir))?;
            Ok(())
        },
        ArchiveError::io(&path),
    )?;
    if written != digest {
        return Err(ArchiveError::io(&path)(std::io::Error::other(
            "版本清单两次写出的内容不同",
        )));
    }
    let sidecar = dir.join(format!("inventory.json.{ALGORITHM}"));
    crate::fsio::write_atomic(&sidecar, format!("{digest}  inventory.json\n").as_bytes())
        .map_err(ArchiveError::io(&sidecar))
}

/// `inventory.json` then its sidecar, each replaced atomically.
pub(super) fn write_inventory_pair(
    dir: &Path,
    bytes: &[u8],
    digest: &str,
) -> Result<(), ArchiveError> {
    let inventory = dir.join("inventory.json");
    crate::fsio::write_atomic(&inventory, bytes).map_err(ArchiveError::io(&inventory))?;
    let sidecar = dir.join(format!("inventory.json.{ALGORITHM}"));
    crate::fsio::write_atomic(&sidecar, format!("{digest}  inventory.json\n").as_bytes())
        .map_err(ArchiveError::io(&sidecar))
}

/// Syncs a folder's entry list (where the platform allows it).
pub(super) fn sync_dir(dir: &Path) {
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Syncs every folder of a tree (best effort: a folder that cannot be read cannot have
/// been written by dashi either).
pub(super) fn sync_tree(dir: &Path) {
    for entry in crate::walk::from(dir).flatten() {
        if entry.file_type().is_dir() {
            sync_dir(entry.path());
        }
    }
}

/// A change that was interrupted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Interrupted {
    /// The writing of a whole version.
    Version(String),
    /// A revision of the mutable head: the pending version and the revision.
    Revision(String, String),
    /// The filing of the mutable head as this version.
    Commit(String),
    /// Taking records back out of the pending version.
    Withdraw(String),
}

/// What `repair` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Repaired {
    /// Nothing was interrupted.
    Nothing,
    /// The interrupted change was complete on disk and is now finished.
    Finished(Interrupted),
    /// The interrupted change was undone; the archive is as before it.
    RolledBack(Interrupted),
}

/// `dashi archive repair`: takes the archive's lock (waiting for a running add), then
/// finishes or rolls back a change that was interrupted.
pub fn repair_archive(root: &Path, wait: std::time::Duration) -> Result<Repaired, ArchiveError> {
    if !root.join("inventory.json").is_file() {
        return Err(ArchiveError::NotAnArchive(root.to_path_buf()));
    }
    let _lock = super::lock::Lock::acquire(root, wait)?;
    repair(root)
}

/// Finishes or rolls back a change that was interrupted. The caller holds the lock.
pub fn repair(root: &Path) -> Result<Repaired, ArchiveError> {
    let pending = root.join(PENDING);
    let note: Option<Pending> = fs::read(&pending)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok());
    let logs = root.join("logs");
    remove_temporaries(root);
    let repaired = match note {
        None => {
            // No change was under way: what a finished commit may have left of the
            // extension folder (it goes last) is removed.
            if !root.join(head::HEAD).join("inventory.json").is_file() {
                head::remove_extension(root)?;
            }
            Repaired::Nothing
        }
        Some(note) => match note.step {
            Step::Version => repair_version(root, &note)?,
            Step::Revision => repair_revision(root, &note)?,
            Step::Commit => repair_commit(root, &note)?,
            Step::Withdraw => repair_withdraw(root, &note)?,
        },
    };
    remove_staging(&logs);
    sync_dir(root);
    done(root)?;
    Ok(repaired)
}

/// A whole version: finished when its folder is complete, else removed (the root
/// still names the old version: it is written only after the folder is whole).
fn repair_version(root: &Path, note: &Pending) -> Result<Repaired, ArchiveError> {
    let version_dir = root.join(&note.version);
    let what = Interrupted::Version(note.version.clone());
    if complete(&version_dir, note) {
        let bytes =
            fs::read(version_dir.join("inventory.json")).map_err(ArchiveError::io(&version_dir))?;
        write_inventory_pair(root, &bytes, &note.inventory_digest)?;
        return Ok(Repaired::Finished(what));
    }
    if version_dir.exists() {
        fs::remove_dir_all(&version_dir).map_err(ArchiveError::io(&version_dir))?;
    }
    Ok(Repaired::RolledBack(what))
}

/// A revision: finished when the head inventory is the noted one (its sidecar may
/// still be the old one's), else undone.
fn repair_revision(root: &Path, note: &Pending) -> Result<Repaired, ArchiveError> {
    let revision = note.revision.clone().unwrap_or_default();
    let what = Interrupted::Revision(note.version.clone(), revision.clone());
    let dir = root.join(head::HEAD);
    if digest_of(&dir.join("inventory.json")).as_deref() == Some(note.inventory_digest.as_str()) {
        let bytes = fs::read(dir.join("inventory.json")).map_err(ArchiveError::io(&dir))?;
        write_inventory_pair(&dir, &bytes, &note.inventory_digest)?;
        return Ok(Repaired::Finished(what));
    }
    head::undo_revision(root, &revision)?;
    Ok(Repaired::RolledBack(what))
}

/// A commit: finished once the committed inventory was written (into the head, the
/// version folder or the root), else the head stays pending as it was.
fn repair_commit(root: &Path, note: &Pending) -> Result<Repaired, ArchiveError> {
    let what = Interrupted::Commit(note.version.clone());
    let digest = note.inventory_digest.as_str();
    let is = |path: PathBuf| digest_of(&path).as_deref() == Some(digest);
    let written = is(root.join("inventory.json"))
        || is(root.join(&note.version).join("inventory.json"))
        || is(root.join(head::HEAD).join("inventory.json"));
    if !written {
        return Ok(Repaired::RolledBack(what));
    }
    if is(root.join("inventory.json")) {
        write_inventory_pair(
            root,
            &fs::read(root.join("inventory.json")).map_err(ArchiveError::io(root))?,
            digest,
        )?;
        head::remove_extension(root)?;
    } else {
        head::finish_commit(root, &note.version, digest)?;
    }
    Ok(Repaired::Finished(what))
}

/// A withdrawal: a discarded head is discarded to the end; a revision is finished
/// when the head inventory is the noted one (then content it no longer lists goes),
/// else undone (nothing was removed before the inventory was in place).
fn repair_withdraw(root: &Path, note: &Pending) -> Result<Repaired, ArchiveError> {
    let what = Interrupted::Withdraw(note.version.clone());
    let Some(revision) = &note.revision else {
        head::discard(root)?;
        return Ok(Repaired::Finished(what));
    };
    let dir = root.join(head::HEAD);
    if digest_of(&dir.join("inventory.json")).as_deref() == Some(note.inventory_digest.as_str()) {
        let bytes = fs::read(dir.join("inventory.json")).map_err(ArchiveError::io(&dir))?;
        write_inventory_pair(&dir, &bytes, &note.inventory_digest)?;
        let (inventory, _) =
            inventory::read(&dir.join("inventory.json")).map_err(ArchiveError::io(&dir))?;
        head::prune(root, &inventory)?;
        return Ok(Repaired::Finished(what));
    }
    head::undo_revision(root, revision)?;
    Ok(Repaired::RolledBack(what))
}

/// The sha512 of a file's bytes, if it can be read.
/// The digest of version `name`'s inventory (what a report of that version names).
pub fn version_digest(root: &Path, name: &str) -> Option<String> {
    digest_of(&root.join(name).join("inventory.json"))
}

fn digest_of(path: &Path) -> Option<String> {
    use sha2::Digest;
    fs::read(path)
        .ok()
        .map(|bytes| hex(&Sha512::digest(&bytes)))
}

/// The root inventory, its sidecar and the note are written beside their names and
/// renamed into place; a kill before the rename leaves the temporary file
/// (`.inventory.json.<pid>.<n>.tmp`), which OCFL does not allow in the object root
/// (E001). Such files go, from the root, `logs/`, and the mutable head.
fn remove_temporaries(root: &Path) {
    for dir in [
        root.to_path_buf(),
        root.join("logs"),
        root.join(head::HEAD),
        root.join(head::DIR),
    ] {
        for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
            if crate::fsio::is_temporary(&entry.file_name().to_string_lossy()) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

fn remove_staging(logs: &Path) {
    for entry in fs::read_dir(logs).into_iter().flatten().flatten() {
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with("dashi-staging-")
        {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether a version folder is whole: its inventory is the noted one, with its sidecar,
/// and every file it stores is there with its digest.
fn complete(dir: &Path, note: &Pending) -> bool {
    let Ok((inventory, digest)) = inventory::read(&dir.join("inventory.json")) else {
        return false;
    };
    let sidecar =
        fs::read_to_string(dir.join(format!("inventory.json.{ALGORITHM}"))).unwrap_or_default();
    if digest != note.inventory_digest || !sidecar.starts_with(&digest) {
        return false;
    }
    let prefix = format!("{}/", note.version);
    let root = dir.parent().unwrap_or(dir);
    inventory.manifest.iter().all(|(sha512, paths)| {
        paths.iter().filter(|p| p.starts_with(&prefix)).all(|p| {
            fs::File::open(root.join(p))
                .and_then(digests)
                .is_ok_and(|(d, _, _)| &d == sha512)
        })
    })
}
