//! Reading a bag on a disc image in place. The files are listed through the Rock Ridge
//! names (the preferred tree); a disc also carries a Joliet tree, which is what Windows
//! shows, and a crafted image could give that tree other bytes under the same names.
//! So both trees are listed and must name the same files over the same bytes. A
//! listing also refuses files that share bytes (each read again, without end) and a
//! directory that leads back to one already listed (a walk that never ends).

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use hadris_fs::{DirEntry, Extent, NodeId};
use hadris_iso::Namespace;

use super::entry::{Entry, SourceError, first_overlap};

pub(super) type IsoVolume =
    hadris_fs::sync::Volume<hadris_iso::sync::IsoFs<hadris_storage::host::FileDevice>>;

/// An ISO 9660 image has "CD001" at the start of its volume descriptors.
pub(crate) fn is_iso(path: &Path) -> bool {
    use std::io::{Seek, SeekFrom};
    let mut magic = [0u8; 5];
    File::open(path)
        .and_then(|mut f| {
            f.seek(SeekFrom::Start(32769))?;
            f.read_exact(&mut magic)
        })
        .is_ok()
        && &magic == b"CD001"
}

/// Mounts the tree `namespace` of the image at `path`.
pub(super) fn mount(path: &Path, namespace: Namespace) -> io::Result<IsoVolume> {
    let device = hadris_storage::host::FileDevice::open(path)?;
    let iso =
        hadris_iso::sync::IsoFs::mount_namespace(device, hadris_fs::MountOptions::new(), namespace)
            .map_err(|e| io::Error::other(e.to_string()))?;
    Ok(hadris_fs::sync::Volume::new(iso))
}

/// One file of a tree: its size and where its bytes lie in the image.
struct Listed {
    size: u64,
    extents: Vec<(u64, u64)>,
}

/// Lists the bag on the image at `path` and returns the mounted preferred tree for
/// reading it.
pub(super) fn open(path: &Path) -> Result<(Vec<Entry>, IsoVolume), SourceError> {
    let not_iso = |detail: String| SourceError::NotZip {
        path: path.to_path_buf(),
        detail,
    };
    let volume = mount(path, Namespace::Preferred).map_err(|e| not_iso(e.to_string()))?;
    let files = list(&volume).map_err(|e| e.or_else(not_iso))?;
    let spans = files
        .iter()
        .flat_map(|(path, f)| {
            f.extents
                .iter()
                .map(|&(start, end)| (start, end, path.clone()))
        })
        .collect();
    if let Some(name) = first_overlap(spans) {
        return Err(SourceError::UnsafeEntry {
            name,
            reason: "与另一文件共用光盘映像中的同一段数据",
        });
    }
    if has_joliet(&volume) {
        let joliet = mount(path, Namespace::Joliet).map_err(|e| not_iso(e.to_string()))?;
        let shown = list(&joliet).map_err(|e| e.or_else(not_iso))?;
        compare(&files, &shown)?;
    }
    let entries = files
        .into_iter()
        .map(|(path, f)| Entry {
            path,
            size: f.size,
            index: 0,
        })
        .collect();
    Ok((entries, volume))
}

/// Whether the image has a Joliet tree besides the mounted one (without Rock Ridge the
/// Joliet tree is the one mounted, already listed).
fn has_joliet(volume: &IsoVolume) -> bool {
    volume.lock().is_ok_and(|fs| {
        let trees = fs.namespaces();
        trees.contains(Namespace::Joliet) && trees.preferred() != Namespace::Joliet
    })
}

/// The Joliet tree `shown` must hold exactly the files of `files`, each over the same
/// bytes of the image.
fn compare(
    files: &BTreeMap<String, Listed>,
    shown: &BTreeMap<String, Listed>,
) -> Result<(), SourceError> {
    let differs = |name: &String, reason| SourceError::UnsafeEntry {
        name: name.clone(),
        reason,
    };
    for (name, file) in files {
        match shown.get(name) {
            None => return Err(differs(name, "在 Joliet 目录树（Windows 显示的）中没有")),
            Some(other) if other.size != file.size || other.extents != file.extents => {
                return Err(differs(
                    name,
                    "在 Joliet 目录树（Windows 显示的）中指向另外的数据",
                ));
            }
            Some(_) => {}
        }
    }
    match shown.keys().find(|name| !files.contains_key(*name)) {
        Some(name) => Err(differs(
            name,
            "只在 Joliet 目录树（Windows 显示的）中有，校验的目录树中没有",
        )),
        None => Ok(()),
    }
}

/// Why a tree could not be listed: a refusal, or a reading failure to describe.
enum ListError {
    Unsafe(SourceError),
    Read(String),
}

impl ListError {
    fn or_else(self, describe: impl FnOnce(String) -> SourceError) -> SourceError {
        match self {
            ListError::Unsafe(e) => e,
            ListError::Read(detail) => describe(detail),
        }
    }
}

/// Every file of the mounted tree, by path, refusing a directory that leads back to
/// one already listed.
fn list(volume: &IsoVolume) -> Result<BTreeMap<String, Listed>, ListError> {
    let read = |e: &dyn std::fmt::Display| ListError::Read(e.to_string());
    let mut files = BTreeMap::new();
    let mut listed = HashSet::new();
    let mut pending = vec![String::new()];
    while let Some(dir) = pending.pop() {
        let items: Vec<DirEntry> = volume
            .read_dir(format!("/{dir}"))
            .map_err(|e| read(&e))?
            .collect::<Result<_, _>>()
            .map_err(|e| read(&e))?;
        for item in items {
            let name = String::from_utf8_lossy(item.name().as_bytes()).into_owned();
            if name == "." || name == ".." || name.is_empty() {
                continue;
            }
            let rel = if dir.is_empty() {
                name
            } else {
                format!("{dir}/{name}")
            };
            if item.file_type().is_dir() {
                if !listed.insert(item.node()) {
                    return Err(ListError::Unsafe(SourceError::UnsafeEntry {
                        name: rel,
                        reason: "指向已列出的目录（目录结构成环）",
                    }));
                }
                pending.push(rel);
            } else {
                let extents = extents(volume, item.node())
                    .map_err(|e| read(&e))?
                    .iter()
                    .map(|e| (e.offset(), e.end()))
                    .collect();
                files.insert(
                    rel,
                    Listed {
                        size: item.metadata().len(),
                        extents,
                    },
                );
            }
        }
    }
    Ok(files)
}

/// The non-empty extents of a file in the image, in file order.
fn extents(volume: &IsoVolume, node: NodeId) -> io::Result<Vec<Extent>> {
    let mut fs = volume.lock().map_err(|e| io::Error::other(e.to_string()))?;
    let mut out = Vec::new();
    let mut batch = [Extent::new(0, 0); 16];
    loop {
        let from = out.last().map_or(0, |e: &Extent| e.file_offset() + e.len());
        let n = fs
            .extents(node, from, &mut batch)
            .map_err(|e| io::Error::other(e.to_string()))?;
        out.extend_from_slice(&batch[..n]);
        if n < batch.len() {
            return Ok(out);
        }
    }
}
