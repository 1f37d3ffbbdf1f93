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
use super::{Archive, ArchiveError};
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

/// dashi's note of an add in progress.
#[derive(serde::Serialize, serde::Deserialize)]
struct Pending {
    version: String,
    inventory_digest: String,
}

/// Adds a version holding `commit.files` (which must be new logical paths). The caller
/// holds the archive's lock.
pub fn commit(archive: &mut Archive, commit: Commit) -> Result<Committed, ArchiveError> {
    let name = archive.inventory.next_name();
    let previous = archive.inventory.state(archive.inventory.head_number());
    let mut next = archive.inventory.clone();
    let mut state: std::collections::BTreeMap<String, Vec<String>> = next
        .version(archive.inventory.head_number())
        .map(|(_, v)| v.state)
        .unwrap_or_default();
    let content_dir = next.content_dir().to_string();
    let mut stored = Vec::new();
    let mut referenced = Vec::new();
    let mut to_write: Vec<(&NewFile, String)> = Vec::new();
    for file in &commit.files {
        if previous.contains_key(&file.logical) {
            return Err(ArchiveError::Exists(file.logical.clone()));
        }
        state
            .entry(file.sha512.clone())
            .or_default()
            .push(file.logical.clone());
        if next.manifest.contains_key(&file.sha512) {
            referenced.push(file.logical.clone());
        } else {
            let content = format!("{name}/{content_dir}/{}", file.logical);
            next.manifest
                .insert(file.sha512.clone(), vec![content.clone()]);
            next.fixity
                .entry(FIXITY.into())
                .or_default()
                .entry(file.sha256.clone())
                .or_default()
                .push(content.clone());
            stored.push((file.logical.clone(), file.size));
            to_write.push((file, content));
        }
    }
    for paths in state.values_mut() {
        paths.sort();
    }
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
    let digest = next.digest();

    // 1. The note.
    let logs = archive.root.join("logs");
    fs::create_dir_all(&logs).map_err(ArchiveError::io(&logs))?;
    let note = Pending {
        version: name.clone(),
        inventory_digest: digest.clone(),
    };
    let pending = archive.root.join(PENDING);
    crate::fsio::write_atomic(
        &pending,
        &serde_json::to_vec(&note).expect("a note serializes"),
    )
    .map_err(ArchiveError::io(&pending))?;

    // 2. The staged version.
    let staging = logs.join(format!("dashi-staging-{name}"));
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(ArchiveError::io(&staging))?;
    }
    for (file, content) in &to_write {
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
    fs::remove_file(&pending).map_err(ArchiveError::io(&pending))?;
    archive.inventory = next;
    archive.digest = digest.clone();
    Ok(Committed {
        version: name,
        digest,
        stored,
        referenced,
    })
}

/// Copies a new file into place, checking that what was written is what was hashed.
fn copy_checked(file: &NewFile, dest: &Path) -> Result<(), ArchiveError> {
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
fn write_inventory(dir: &Path, inventory: &Inventory, digest: &str) -> Result<(), ArchiveError> {
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
fn write_inventory_pair(dir: &Path, bytes: &[u8], digest: &str) -> Result<(), ArchiveError> {
    let inventory = dir.join("inventory.json");
    crate::fsio::write_atomic(&inventory, bytes).map_err(ArchiveError::io(&inventory))?;
    let sidecar = dir.join(format!("inventory.json.{ALGORITHM}"));
    crate::fsio::write_atomic(&sidecar, format!("{digest}  inventory.json\n").as_bytes())
        .map_err(ArchiveError::io(&sidecar))
}

/// Syncs a folder's entry list (where the platform allows it).
fn sync_dir(dir: &Path) {
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Syncs every folder of a tree (best effort: a folder that cannot be read cannot have
/// been written by dashi either).
fn sync_tree(dir: &Path) {
    for entry in crate::walk::from(dir).flatten() {
        if entry.file_type().is_dir() {
            sync_dir(entry.path());
        }
    }
}

/// What `repair` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Repaired {
    /// No add was interrupted.
    Nothing,
    /// The interrupted add of this version was complete and is now the head.
    Finished(String),
    /// The interrupted add of this version was undone.
    RolledBack(String),
}

/// `dashi archive repair`: takes the archive's lock (waiting for a running add), then
/// finishes or rolls back an add that was interrupted.
pub fn repair_archive(root: &Path, wait: std::time::Duration) -> Result<Repaired, ArchiveError> {
    if !root.join("inventory.json").is_file() {
        return Err(ArchiveError::NotAnArchive(root.to_path_buf()));
    }
    let _lock = super::lock::Lock::acquire(root, wait)?;
    repair(root)
}

/// Finishes or rolls back an add that was interrupted. The caller holds the lock.
pub fn repair(root: &Path) -> Result<Repaired, ArchiveError> {
    let pending = root.join(PENDING);
    let note: Option<Pending> = fs::read(&pending)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok());
    let logs = root.join("logs");
    remove_temporaries(root);
    let Some(note) = note else {
        remove_staging(&logs);
        if pending.exists() {
            fs::remove_file(&pending).map_err(ArchiveError::io(&pending))?;
        }
        return Ok(Repaired::Nothing);
    };
    let version_dir = root.join(&note.version);
    if complete(&version_dir, &note) {
        let bytes =
            fs::read(version_dir.join("inventory.json")).map_err(ArchiveError::io(&version_dir))?;
        write_inventory_pair(root, &bytes, &note.inventory_digest)?;
        sync_dir(root);
        remove_staging(&logs);
        fs::remove_file(&pending).map_err(ArchiveError::io(&pending))?;
        return Ok(Repaired::Finished(note.version));
    }
    // Not complete: the root still names the old version (it is written only after
    // the version folder is whole), so the new one goes.
    if version_dir.exists() {
        fs::remove_dir_all(&version_dir).map_err(ArchiveError::io(&version_dir))?;
    }
    remove_staging(&logs);
    sync_dir(root);
    fs::remove_file(&pending).map_err(ArchiveError::io(&pending))?;
    Ok(Repaired::RolledBack(note.version))
}

/// The root inventory, its sidecar and the pending note are written beside their names
/// and renamed into place; a kill before the rename leaves the temporary file
/// (`.inventory.json.<pid>.<n>.tmp`), which OCFL does not allow in the object root
/// (E001). Such files go, from the root and from `logs/`.
fn remove_temporaries(root: &Path) {
    for dir in [root.to_path_buf(), root.join("logs")] {
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
