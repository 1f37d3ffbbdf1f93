//! What every way of reading a bag shares: one entry (a file of the bag), why a bag
//! cannot be read, and the overlap test that refuses archives whose entries share
//! their bytes. `source` (folders and zips) and `iso` (disc images) both build on it.

use std::io;
use std::path::PathBuf;

/// One file of a bag: its path from the bag root and its size.
#[derive(Debug, Clone)]
pub struct Entry {
    pub path: String,
    pub size: u64,
    /// The zip entry index, for zips.
    pub(crate) index: usize,
}

/// Why a bag cannot be read at all, or why a zip is refused.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The path does not exist or cannot be read.
    #[error("无法读取 {}：{}", path.display(), crate::fsio::why(source))]
    Unreadable { path: PathBuf, source: io::Error },
    /// A file that is neither a valid zip nor a valid disc image.
    #[error("{} 不是有效的 zip 压缩包或光盘映像：{detail}", path.display())]
    NotZip { path: PathBuf, detail: String },
    /// An entry that would escape the bag, repeat or share another's data, or is not a
    /// plain file: refused.
    #[error("包中的条目 “{name}” 不安全：{reason}")]
    UnsafeEntry { name: String, reason: &'static str },
    /// A zip whose directory lists more entries than any submission has: refused before
    /// it is read, so its directory cannot fill memory.
    #[error("{} 有 {entries} 个条目，超过 {} 个的上限", path.display(), MAX_ZIP_ENTRIES)]
    TooManyEntries { path: PathBuf, entries: u64 },
    /// Two zip entries under one name: a reader shows one of them, the manifest may
    /// match the other.
    #[error("包中有 {listed} 个条目，其中有重名的（目录中不同的条目只有 {distinct} 个）")]
    RepeatedNames { listed: u64, distinct: usize },
}

/// The most entries a zip may list (a submission has dozens; a zip of many more is
/// not one, and its directory alone would take hundreds of megabytes).
pub const MAX_ZIP_ENTRIES: u64 = 50_000;

impl crate::failure::Failure for SourceError {
    fn hint(&self) -> Option<String> {
        Some(match self {
            SourceError::UnsafeEntry { .. } | SourceError::RepeatedNames { .. } => {
                "此包被改动过或不是 dashi 生成的，不要使用其中的文件".into()
            }
            SourceError::TooManyEntries { .. } => {
                "这不像是一份申报；核对文件是否给错，或请报送单位重新封存".into()
            }
            _ => "给出解压后的包文件夹、.zip 压缩包或 .iso 光盘映像".into(),
        })
    }

    /// A bag that tries to escape or shadow its own files is an integrity failure.
    fn exit(&self) -> crate::failure::Exit {
        match self {
            SourceError::UnsafeEntry { .. } | SourceError::RepeatedNames { .. } => {
                crate::failure::Exit::Findings
            }
            _ => crate::failure::Exit::Unusable,
        }
    }
}

/// Of byte ranges `(start, end, name)`, the name of one that overlaps another.
pub fn first_overlap(mut spans: Vec<(u64, u64, String)>) -> Option<String> {
    spans.retain(|(start, end, _)| end > start);
    spans.sort();
    spans
        .windows(2)
        .find(|w| w[0].1 > w[1].0)
        .map(|w| w[1].2.clone())
}
