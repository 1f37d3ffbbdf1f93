//! Where a bag's files are read from: a folder (or a mounted disc), a zip or a disc
//! image read in place (never extracted to disk). A zip whose entries escape the bag
//! (absolute paths, `..`, backslashes), repeat a name (also after Unicode NFC), share
//! compressed data with another entry (an overlapping bomb) or hold more bytes than
//! their header says is refused: reading is bounded by the declared sizes, so a zip
//! bomb cannot fill memory or disk.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::zip_dir;

use unicode_normalization::UnicodeNormalization;

pub use super::entry::{Entry, SourceError, first_overlap};

/// A readable bag.
pub enum Source {
    Folder {
        root: PathBuf,
        entries: Vec<Entry>,
    },
    Zip {
        file: PathBuf,
        entries: Vec<Entry>,
        archives: Handles<zip::ZipArchive<File>>,
    },
    /// A disc image, read through its Rock Ridge (or Joliet) names.
    Iso {
        file: PathBuf,
        entries: Vec<Entry>,
        volumes: Handles<super::iso::IsoVolume>,
    },
}

/// Opened readers of one archive kept for reuse: each entry borrows one instead of
/// parsing the archive's directory again, and no more are ever open than threads read
/// at once. A reader that failed is dropped, not returned.
pub struct Handles<H> {
    free: Mutex<Vec<H>>,
}

impl<H> Handles<H> {
    fn new(first: H) -> Self {
        Handles {
            free: Mutex::new(vec![first]),
        }
    }

    fn with<R>(
        &self,
        open: impl FnOnce() -> io::Result<H>,
        read: impl FnOnce(&mut H) -> io::Result<R>,
    ) -> io::Result<R> {
        let free = || self.free.lock().unwrap_or_else(|e| e.into_inner());
        let taken = free().pop();
        let mut handle = match taken {
            Some(handle) => handle,
            None => open()?,
        };
        let result = read(&mut handle);
        if result.is_ok() {
            free().push(handle);
        }
        result
    }
}

impl Source {
    /// Opens a bag folder or a bag zip.
    pub fn open(path: &Path) -> Result<Source, SourceError> {
        let meta = std::fs::metadata(path).map_err(|source| SourceError::Unreadable {
            path: path.to_path_buf(),
            source,
        })?;
        if meta.is_dir() {
            let mut entries = Vec::new();
            walk(path, &mut entries)?;
            entries.sort_by(|a, b| a.path.cmp(&b.path));
            Ok(Source::Folder {
                root: path.to_path_buf(),
                entries,
            })
        } else if super::iso::is_iso(path) {
            let (entries, volume) = super::iso::open(path)?;
            Ok(Source::Iso {
                file: path.to_path_buf(),
                entries,
                volumes: Handles::new(volume),
            })
        } else {
            open_zip(path)
        }
    }

    /// Whether the bag is a disc (an image, or a folder with the disc's guide files):
    /// then index.html and 校验说明.txt must be there too.
    pub fn is_disc(&self) -> bool {
        match self {
            Source::Iso { .. } => true,
            Source::Folder { entries, .. } => entries
                .iter()
                .any(|e| e.path == crate::disc::INDEX_NAME || e.path == crate::disc::README_NAME),
            Source::Zip { .. } => false,
        }
    }

    pub fn entries(&self) -> &[Entry] {
        match self {
            Source::Folder { entries, .. }
            | Source::Zip { entries, .. }
            | Source::Iso { entries, .. } => entries,
        }
    }

    /// Streams one file through `sink` in fixed-size chunks; returns the bytes read.
    /// A zip entry is decompressed only up to its declared size, and one that holds
    /// more (or less) is an error.
    pub fn stream(&self, entry: &Entry, sink: &mut dyn FnMut(&[u8])) -> io::Result<u64> {
        let mut buffer = vec![0u8; 256 * 1024];
        match self {
            Source::Folder { root, .. } => pump(
                &mut File::open(root.join(&entry.path))?,
                &mut buffer,
                u64::MAX,
                sink,
            ),
            Source::Zip { file, archives, .. } => archives.with(
                || zip::ZipArchive::new(File::open(file)?).map_err(io::Error::other),
                |archive| {
                    let mut reader = archive.by_index(entry.index).map_err(io::Error::other)?;
                    let n = pump(&mut reader, &mut buffer, entry.size, sink)?;
                    if n != entry.size {
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            "条目解压后的大小与声明不符",
                        ));
                    }
                    Ok(n)
                },
            ),
            Source::Iso { file, volumes, .. } => volumes.with(
                || super::iso::mount(file, hadris_iso::Namespace::Preferred),
                |volume| {
                    let mut reader = volume
                        .open(
                            format!("/{}", entry.path),
                            hadris_fs::OpenOptions::new().read(),
                        )
                        .map_err(|e| io::Error::other(e.to_string()))?;
                    pump(&mut reader, &mut buffer, entry.size, sink)
                },
            ),
        }
    }
}

impl Source {
    /// Writes every file into `dest` as it streams, handing each chunk with its entry to
    /// `seen` on the way (to digest what was written without reading it again). A file
    /// that cannot be read whole is named in the result with why, and the rest go on; a
    /// file that cannot be written is an error.
    pub fn unpack(
        &self,
        dest: &Path,
        seen: &mut dyn FnMut(&Entry, &[u8]),
    ) -> io::Result<Vec<(String, String)>> {
        let mut unread = Vec::new();
        for entry in self.entries() {
            let path = dest.join(&entry.path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            let mut file = io::BufWriter::new(File::create(&path)?);
            let mut failed = None;
            let read = self.stream(entry, &mut |chunk| {
                seen(entry, chunk);
                if failed.is_none()
                    && let Err(e) = io::Write::write_all(&mut file, chunk)
                {
                    failed = Some(e);
                }
            });
            if let Some(e) = failed.or_else(|| io::Write::flush(&mut file).err()) {
                return Err(e);
            }
            match read {
                Ok(n) if n == entry.size => {}
                Ok(n) => unread.push((
                    entry.path.clone(),
                    format!("读出 {n} 字节，目录记载 {} 字节", entry.size),
                )),
                Err(e) => unread.push((
                    entry.path.clone(),
                    format!("读取失败（{}）", crate::fsio::why(&e)),
                )),
            }
        }
        Ok(unread)
    }
}

/// Copies `reader` into `sink`, failing once more than `limit` bytes come out.
pub(super) fn pump(
    reader: &mut dyn Read,
    buffer: &mut [u8],
    limit: u64,
    sink: &mut dyn FnMut(&[u8]),
) -> io::Result<u64> {
    let mut total = 0u64;
    loop {
        let n = match reader.read(buffer) {
            Ok(0) => return Ok(total),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        total += n as u64;
        if total > limit {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "条目解压后比声明的大小更大（可能是压缩炸弹），已停止读取",
            ));
        }
        sink(&buffer[..n]);
    }
}

/// Every file of the bag folder `root`. Links are refused (a link may point outside the
/// bag: content the bag does not hold, lost on any copy) and so are FIFOs and devices
/// (they never end).
fn walk(root: &Path, out: &mut Vec<Entry>) -> Result<(), SourceError> {
    for entry in crate::walk::below(root, |_| true) {
        let entry = entry.map_err(|u| SourceError::Unreadable {
            path: u.path,
            source: u.source,
        })?;
        let rel = crate::walk::relative(root, entry.path());
        let kind = entry.file_type();
        if kind.is_dir() {
            continue;
        }
        if kind.is_file() {
            let meta = entry.metadata().map_err(|e| SourceError::Unreadable {
                path: entry.path().to_path_buf(),
                source: e
                    .into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("无法读取")),
            })?;
            out.push(Entry {
                path: rel,
                size: meta.len(),
                index: 0,
            });
        } else {
            return Err(SourceError::UnsafeEntry {
                name: rel,
                reason: if kind.is_symlink() {
                    "是符号链接，包中只应有文件本身"
                } else {
                    "不是普通文件（设备或管道）"
                },
            });
        }
    }
    Ok(())
}

/// What the zip reader says, in Chinese: a system error in words, its own by kind.
fn zip_why(e: &zip::result::ZipError) -> String {
    use zip::result::ZipError as Z;
    match e {
        Z::Io(io) => crate::fsio::why(io),
        Z::InvalidArchive(_) => "不是有效的 zip 结构（可能被截断或损坏）".into(),
        Z::UnsupportedArchive(_) => "用了不支持的 zip 功能（如加密或分卷）".into(),
        Z::FileNotFound => "找不到条目".into(),
        Z::InvalidPassword => "压缩包是加密的".into(),
        _ => "无法读取的 zip 结构".into(),
    }
}

fn open_zip(path: &Path) -> Result<Source, SourceError> {
    let file = File::open(path).map_err(|source| SourceError::Unreadable {
        path: path.to_path_buf(),
        source,
    })?;
    // The directory's own count, read before the zip crate reads the directory: a
    // zip of too many entries is refused before it takes memory, and a count the
    // crate's index does not reach means two entries share a name.
    let listed = zip_dir::entry_count(&file).map_err(|detail| SourceError::NotZip {
        path: path.to_path_buf(),
        detail,
    })?;
    if listed > super::entry::MAX_ZIP_ENTRIES {
        return Err(SourceError::TooManyEntries {
            path: path.to_path_buf(),
            entries: listed,
        });
    }
    let mut headers = file.try_clone().map_err(|source| SourceError::Unreadable {
        path: path.to_path_buf(),
        source,
    })?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| SourceError::NotZip {
        path: path.to_path_buf(),
        detail: zip_why(&e),
    })?;
    if listed != archive.len() as u64 {
        return Err(SourceError::RepeatedNames {
            listed,
            distinct: archive.len(),
        });
    }
    let mut names = std::collections::BTreeSet::new();
    let mut locals = Vec::new();
    let mut raw = Vec::new();
    let mut spans = Vec::new();
    for index in 0..archive.len() {
        let entry = archive
            .by_index_raw(index)
            .map_err(|e| SourceError::NotZip {
                path: path.to_path_buf(),
                detail: zip_why(&e),
            })?;
        let name = entry
            .name()
            .map_err(|e| SourceError::NotZip {
                path: path.to_path_buf(),
                detail: zip_why(&e),
            })?
            .to_string();
        let unsafe_entry = |reason| SourceError::UnsafeEntry {
            name: name.clone(),
            reason,
        };
        if name.contains('\\') {
            return Err(unsafe_entry("含有反斜杠"));
        }
        if name.starts_with('/') || name.chars().nth(1) == Some(':') {
            return Err(unsafe_entry("是绝对路径"));
        }
        if name.split('/').any(|p| p == "..") {
            return Err(unsafe_entry("含有 ..，会指向压缩包之外"));
        }
        if !names.insert(name.nfc().collect::<String>()) {
            return Err(unsafe_entry("与另一条目重名（Unicode 规范化后相同）"));
        }
        if entry.is_symlink() {
            return Err(unsafe_entry("是符号链接，包中只应有文件本身"));
        }
        locals.push((
            entry.header_start(),
            entry.name_raw().to_vec(),
            name.clone(),
        ));
        let data_start = entry.data_start().unwrap_or(entry.header_start());
        spans.push((
            entry.header_start(),
            data_start.saturating_add(entry.compressed_size()),
            name.clone(),
        ));
        if !entry.is_dir() {
            raw.push((name, entry.size(), index));
        }
    }
    // Entries that share bytes are how a small zip unpacks to petabytes with every
    // declared size true (an overlapping zip bomb); no honest writer makes them.
    if let Some(name) = first_overlap(spans) {
        return Err(SourceError::UnsafeEntry {
            name,
            reason: "与另一条目共用同一段压缩数据（重叠型压缩炸弹）",
        });
    }
    // The name in an entry's own (local) header is what most unzip tools show and
    // extract under; it must be the directory's.
    for (at, raw_name, name) in locals {
        if zip_dir::local_name(&mut headers, at).as_deref() != Some(raw_name.as_slice()) {
            return Err(SourceError::UnsafeEntry {
                name,
                reason: "本地文件头中的文件名与目录中的不同（解压工具会显示另一个文件）",
            });
        }
    }
    // A serialized bag has one top-level folder: the bag.
    let top: std::collections::BTreeSet<&str> = raw
        .iter()
        .map(|(n, _, _)| n.split('/').next().unwrap_or(""))
        .collect();
    let prefix = match top.into_iter().collect::<Vec<_>>().as_slice() {
        [one] if raw.iter().all(|(n, _, _)| n.contains('/')) => format!("{one}/"),
        _ => String::new(),
    };
    let mut entries: Vec<Entry> = raw
        .into_iter()
        .map(|(name, size, index)| Entry {
            path: name[prefix.len()..].to_string(),
            size,
            index,
        })
        .collect();
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Source::Zip {
        file: path.to_path_buf(),
        entries,
        archives: Handles::new(archive),
    })
}
