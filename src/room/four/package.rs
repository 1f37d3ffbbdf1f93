//! What a 四性检测 reads: an archive folder, or a 移交 package — a folder or a disc
//! image holding `档案/` (the archive), `归档文件目录/` (xlsx and PDF per volume), the
//! sender's `检测报告.pdf` and `检测报告.json`, `文件目录.xml` and `说明文件.txt` (the
//! carrier's catalogue and note, as archive rooms lay out a transfer carrier). A disc image is read
//! back in full, through both of its name trees, into a temporary folder that is
//! removed afterwards.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

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
#[derive(Debug)]
pub struct Carrier {
    pub files: usize,
    pub bytes: u64,
    /// Files that could not be read, with why, and a read too slow for a sound disc.
    pub faults: Vec<String>,
}

/// The slowest a sound carrier reads (DA/T 70 4-4), in bytes a second: a DVD drive at
/// its slowest reads about 1.4 MB/s, while a scratched or ageing disc makes the drive
/// retry each bad sector and falls far below.
pub const MIN_SPEED: f64 = 1_000_000.0;

/// How long a read must take before its speed is judged: a short read's time is
/// mostly opening the image, not reading it.
pub const MEASURED_AFTER: Duration = Duration::from_secs(2);

/// Why a read of `bytes` that took `took` is too slow for a sound carrier, if it is.
pub fn too_slow(bytes: u64, took: Duration) -> Option<String> {
    let speed = bytes as f64 / took.as_secs_f64().max(f64::EPSILON);
    (took >= MEASURED_AFTER && speed < MIN_SPEED).then(|| {
        format!(
            "读出 {bytes} 字节用时 {:.1} 秒，平均 {:.2} MB/s，低于 {:.0} MB/s：光盘可能划伤或老化，请换一台光驱再读；仍然过慢的光盘应重新刻录",
            took.as_secs_f64(),
            speed / 1e6,
            MIN_SPEED / 1e6
        )
    })
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
        // The whole read is timed, its directory trees included.
        let started = Instant::now();
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
        let unreadable = |e: std::io::Error| FourError::Read {
            path: temp.clone(),
            detail: crate::fsio::why(&e),
        };
        std::fs::create_dir_all(&temp).map_err(unreadable)?;
        let unread = match source.unpack(&temp, &mut |_, _| {}) {
            Ok(unread) => unread,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&temp);
                return Err(unreadable(e));
            }
        };
        let read: Vec<_> = source
            .entries()
            .iter()
            .filter(|e| !unread.iter().any(|(path, _)| *path == e.path))
            .collect();
        let bytes = read.iter().map(|e| e.size).sum();
        let mut faults: Vec<String> = unread
            .into_iter()
            .map(|(path, why)| format!("{path}：{why}"))
            .collect();
        faults.extend(too_slow(bytes, started.elapsed()));
        let carrier = Carrier {
            files: read.len(),
            bytes,
            faults,
        };
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
