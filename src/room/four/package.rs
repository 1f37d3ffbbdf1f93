//! What a 四性检测 reads: an archive folder, or a 移交 package — a folder or a disc
//! image holding `档案/` (the archive), `归档文件目录/` (xlsx and PDF per volume), the
//! sender's `检测报告.pdf` and `检测报告.json`, `文件目录.xml` and `说明文件.txt` (the
//! carrier's catalogue and note, as archive rooms lay out a transfer carrier). A disc image is read
//! back in full, through both of its name trees, into a temporary folder that is
//! removed afterwards.

use std::path::{Path, PathBuf};

use super::report::FourError;
use crate::verify::source::Source;

/// The archive folder inside a 移交 package.
pub const ARCHIVE_DIR: &str = "档案";
/// The catalogue folder inside a 移交 package.
pub const CATALOGUE_DIR: &str = "归档文件目录";
/// The sender's report and its data.
pub const REPORT_PDF: &str = "检测报告.pdf";
pub const REPORT_JSON: &str = "检测报告.json";
/// The package's note.
pub const README: &str = "说明文件.txt";
/// The catalogue of every 件 on the carrier, as XML.
pub const CATALOGUE_XML: &str = "文件目录.xml";
/// The package's 处理过程: each filed version, when, by whom, what it did.
pub const PROCESS: &str = "处理过程.csv";

/// How the carrier read back.
#[derive(Debug, Default)]
pub struct Carrier {
    pub files: usize,
    pub bytes: u64,
    /// Files that could not be read, with why.
    pub faults: Vec<String>,
}

/// What is checked.
pub struct Package {
    /// The archive (OCFL object) root.
    pub root: PathBuf,
    /// The package folder, for a 移交 package.
    pub transfer: Option<PathBuf>,
    /// The read-back of a disc image.
    pub carrier: Option<Carrier>,
    /// A temporary copy to remove when done.
    temporary: Option<PathBuf>,
    /// The sender checking the package it is assembling (its report is not there yet).
    pub sending: bool,
    /// The package digest the 登记表 gives (`--expect`, 64 hex digits).
    pub expect_package: Option<String>,
    /// The archive's version inventory digest given (`--expect`, 128 hex digits).
    pub expect_version: Option<String>,
}

impl Drop for Package {
    fn drop(&mut self) {
        if let Some(dir) = &self.temporary {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

impl Package {
    pub fn is_transfer(&self) -> bool {
        self.transfer.is_some()
    }

    pub fn open(path: &Path) -> Result<Package, FourError> {
        if path.is_dir() {
            return Package::folder(path, None, None);
        }
        if !crate::verify::iso::is_iso(path) {
            return Err(FourError::NotAnArchive(path.to_path_buf()));
        }
        let source = Source::open(path).map_err(|e| FourError::Read {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })?;
        let temp = std::env::temp_dir().join(format!(
            "dashi-四性-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        let mut carrier = Carrier::default();
        let unreadable = |e: std::io::Error| FourError::Read {
            path: temp.clone(),
            detail: crate::fsio::why(&e),
        };
        std::fs::create_dir_all(&temp).map_err(unreadable)?;
        for entry in source.entries() {
            let dest = temp.join(&entry.path);
            if let Some(parent) = dest.parent() {
                std::fs::create_dir_all(parent).map_err(unreadable)?;
            }
            let mut file = std::fs::File::create(&dest).map_err(unreadable)?;
            let mut failed = None;
            let read = source.stream(entry, &mut |chunk| {
                if failed.is_none()
                    && let Err(e) = std::io::Write::write_all(&mut file, chunk)
                {
                    failed = Some(e);
                }
            });
            match (read, failed) {
                (Ok(n), None) if n == entry.size => {
                    carrier.files += 1;
                    carrier.bytes += n;
                }
                (Ok(n), None) => carrier.faults.push(format!(
                    "{}：读出 {n} 字节，目录记载 {} 字节",
                    entry.path, entry.size
                )),
                (Err(e), _) => carrier.faults.push(format!(
                    "{}：读取失败（{}）",
                    entry.path,
                    crate::fsio::why(&e)
                )),
                (_, Some(e)) => {
                    let _ = std::fs::remove_dir_all(&temp);
                    return Err(unreadable(e));
                }
            }
        }
        Package::folder(&temp.clone(), Some(carrier), Some(temp))
    }

    fn folder(
        dir: &Path,
        carrier: Option<Carrier>,
        temporary: Option<PathBuf>,
    ) -> Result<Package, FourError> {
        let (root, transfer) = if is_object(dir) {
            (dir.to_path_buf(), None)
        } else if is_object(&dir.join(ARCHIVE_DIR)) {
            (dir.join(ARCHIVE_DIR), Some(dir.to_path_buf()))
        } else {
            if let Some(t) = &temporary {
                let _ = std::fs::remove_dir_all(t);
            }
            return Err(FourError::NotAnArchive(dir.to_path_buf()));
        };
        Ok(Package {
            root,
            transfer,
            carrier,
            temporary,
            sending: false,
            expect_package: None,
            expect_version: None,
        })
    }
}

/// Whether `dir` is an archive (an OCFL object): it has a root inventory, or, damaged,
/// still declares itself one (`0=ocfl_object_1.1`) so that the 检测 can say what is
/// missing.
fn is_object(dir: &Path) -> bool {
    dir.join("inventory.json").is_file()
        || std::fs::read_dir(dir).is_ok_and(|entries| {
            entries.flatten().any(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with("0=ocfl_object_")
            })
        })
}
