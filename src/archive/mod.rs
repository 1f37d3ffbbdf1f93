//! The studio's own archive (专门档案, 第十一条): one OCFL 1.1 object per studio. Its
//! first version is the sealed application — the bag exactly as sealed, tag files
//! included, under `申报/` — so the seal and the evidence digest printed on the 承诺书
//! can be recomputed from it at any time. Records are added to the mutable head
//! (预归档, `head`) and filed as versions (归档), crash-safely under a lock (`version`,
//! `lock`); at 归档 the archive room (`crate::room`, above this module) gives each 件 its 档号.
//! `log` tells the history, `export` gives any version as a sealed BagIt zip.
//!
//! The object id is `urn:dashi:studio:<统一社会信用代码>:<first 16 hex of the seal>`:
//! derived from the application once, it never changes, even when the studio's name
//! does (a new 领办人 under 第十二条（二）).

pub mod export;
pub mod head;
pub mod init;
pub mod inventory;
pub mod lock;
pub mod log;
pub mod version;

use std::path::{Path, PathBuf};

use crate::data::model::Application;
use crate::verify::ocfl::APPLICATION_DIR;
use inventory::Inventory;

/// The logical folder of the records.
pub const RECORDS_DIR: &str = "记录";
/// The archive room's settings (全宗号, 门类, 保管期限…), kept current.
pub const SETTINGS_FILE: &str = "档案设置.toml";
/// The folder of the 件 descriptions, kept current.
pub const ITEMS_DIR: &str = "归档信息";

/// Whether a logical path is one the archive keeps current (a newer version may replace
/// it): the archive room's settings and the 件 descriptions. Everything else is added
/// once, never replaced.
pub fn replaceable(logical: &str) -> bool {
    logical == SETTINGS_FILE
        || logical
            .strip_prefix(ITEMS_DIR)
            .is_some_and(|rest| rest.starts_with('/') && !rest[1..].contains('/'))
}

/// Why an archive could not be read or changed; it is unchanged in every case.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// The folder is not an archive dashi can add to.
    #[error("{} 不是工作室档案（缺少 inventory.json）", .0.display())]
    NotAnArchive(PathBuf),
    /// The root inventory cannot be read or does not match its sidecar.
    #[error("{} 的版本清单无法读取或与摘要旁注不符：{detail}", path.display())]
    Inventory { path: PathBuf, detail: String },
    /// The folder for a new archive is already in use.
    #[error("{} 已存在且不是空文件夹", .0.display())]
    Occupied(PathBuf),
    /// Another dashi is adding to the archive.
    #[error("档案 {} 正被另一个 dashi 使用（正在添加记录）", .0.display())]
    Locked(PathBuf),
    /// A logical path the archive already holds.
    #[error("档案中已有 {0}")]
    Exists(String),
    /// A file changed between checking and storing it.
    #[error("{} 在存档过程中被改动", .0.display())]
    Changed(PathBuf),
    /// The version asked for does not exist.
    #[error("档案中没有版本 {0}")]
    NoVersion(String),
    /// A file or folder could not be read or written.
    #[error("无法读写 {}：{}", path.display(), crate::fsio::why(source))]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A record's sheet (记录单) could not be typeset at 归档.
    #[error("无法排版记录单：{0}")]
    Sheet(String),
    /// The export could not be sealed.
    #[error(transparent)]
    Seal(#[from] crate::seal::bag::SealError),
    /// Files the archive holds are missing or cut: nothing is built on top of it.
    #[error("档案已损坏，不能再加入或归档：{}", shown(.0))]
    Damaged(Vec<String>),
}

/// At most five of `faults`, then how many more.
fn shown(faults: &[String]) -> String {
    let mut out = faults
        .iter()
        .take(5)
        .cloned()
        .collect::<Vec<_>>()
        .join("；");
    if faults.len() > 5 {
        out += &format!("；等 {} 处", faults.len());
    }
    out
}

impl ArchiveError {
    pub fn io(path: &Path) -> impl Fn(std::io::Error) -> ArchiveError + use<> {
        let path = path.to_path_buf();
        move |source| ArchiveError::Io {
            path: path.clone(),
            source,
        }
    }
}

impl crate::failure::Failure for ArchiveError {
    fn hint(&self) -> Option<String> {
        Some(
            match self {
                ArchiveError::NotAnArchive(_) => {
                    "先用 dashi archive init 档案文件夹 --from 申报压缩包 建立档案"
                }
                ArchiveError::Inventory { .. } => {
                    "用 dashi verify 档案文件夹 查看档案的状况；若有未完成的添加，运行 dashi archive repair"
                }
                ArchiveError::Occupied(_) => "换一个不存在的文件夹名，或先清空该文件夹",
                ArchiveError::Locked(_) => "等另一个添加完成后再试；确无其他 dashi 在运行时重试即可",
                ArchiveError::Exists(_) => "记录加入档案后不能修改；更正时另写一条记录，用 corrects 指明",
                ArchiveError::Changed(_) => "文件在存档时被其他程序改动，档案未改变；确认文件不再变动后重试",
                ArchiveError::NoVersion(_) => "用 dashi archive log 查看档案中的版本",
                ArchiveError::Damaged(_) => {
                    "运行 dashi verify 档案 查看损坏之处；从备份恢复缺失或损坏的文件（或整份档案）后再加入；恢复之前档案不作任何改动"
                }
                ArchiveError::Sheet(_) => "档案未改变；检查记录中的文字能否用申报时的字体打印后重试",
                ArchiveError::Io { .. } | ArchiveError::Seal(_) => {
                    "确认文件夹可以读写、磁盘没有写满；档案未改变"
                }
            }
            .into(),
        )
    }
}

/// An archive opened for reading or adding.
pub struct Archive {
    pub root: PathBuf,
    pub inventory: Inventory,
    /// The digest of the root inventory.
    pub digest: String,
    /// The pending records (预归档), when there are any.
    pub head: Option<head::Head>,
}

impl Archive {
    /// Opens the archive at `root`: its root inventory, checked against its sidecar.
    pub fn open(root: &Path) -> Result<Archive, ArchiveError> {
        let path = root.join("inventory.json");
        if !path.is_file() {
            return Err(ArchiveError::NotAnArchive(root.to_path_buf()));
        }
        let broken = |detail: String| ArchiveError::Inventory {
            path: root.to_path_buf(),
            detail,
        };
        let (inventory, digest) = inventory::read(&path).map_err(|e| broken(e.to_string()))?;
        let sidecar = std::fs::read_to_string(root.join("inventory.json.sha512"))
            .map_err(|e| broken(format!("inventory.json.sha512：{e}")))?;
        if sidecar.split_whitespace().next() != Some(digest.as_str()) {
            return Err(broken(
                "inventory.json 与 inventory.json.sha512 不符".into(),
            ));
        }
        Ok(Archive {
            root: root.to_path_buf(),
            inventory,
            digest,
            head: head::read(root)?,
        })
    }

    /// Opens a damaged archive for a 四性检测: when its root inventory is gone, does
    /// not read or does not match its sidecar, the newest version's own copy that reads
    /// stands in (named in the second value). `None` when none reads.
    pub fn open_damaged(root: &Path) -> Option<(Archive, String)> {
        let mut versions: Vec<u32> = std::fs::read_dir(root)
            .ok()?
            .flatten()
            .filter_map(|e| inventory::number(&e.file_name().to_string_lossy()))
            .collect();
        versions.sort_unstable();
        versions.into_iter().rev().find_map(|n| {
            let copy = format!("v{n}/inventory.json");
            let (inventory, digest) = inventory::read(&root.join(&copy)).ok()?;
            let archive = Archive {
                root: root.to_path_buf(),
                inventory,
                digest,
                head: None,
            };
            Some((archive, copy))
        })
    }

    /// What the archive's inventories name that is not on disk: each version's
    /// inventory and every stored file (a look at each, no hashing).
    pub fn missing(&self) -> Vec<String> {
        let mut out = Vec::new();
        for n in 1..=self.inventory.head_number() {
            let path = format!("v{n}/inventory.json");
            if !self.root.join(&path).is_file() {
                out.push(format!("{path} 缺失"));
            }
        }
        for content in self.current().manifest.values().flatten() {
            if !self.root.join(content).is_file() {
                out.push(format!("{content} 缺失"));
            }
        }
        out
    }

    /// The inventory that includes the pending records: the mutable head's when there
    /// is one, else the root's.
    pub fn current(&self) -> &Inventory {
        self.head.as_ref().map_or(&self.inventory, |h| &h.inventory)
    }

    /// Where the file at a logical path of version `n` (the pending one included) is
    /// stored.
    pub fn stored(&self, n: u32, logical: &str) -> Option<PathBuf> {
        let inventory = self.current();
        let state = inventory.state(n);
        let content = inventory.content_of(state.get(logical)?)?;
        Some(self.root.join(content))
    }

    /// The studio's application, read from the data file sealed in the first version.
    pub fn application(&self) -> Option<Application> {
        let state = self.inventory.state(1);
        let prefix = format!("{APPLICATION_DIR}/data/源数据/");
        let (logical, _) = state.iter().find(|(p, _)| p.starts_with(&prefix))?;
        let path = self.stored(1, logical)?;
        let text = std::fs::read_to_string(&path).ok()?;
        crate::data::load::read_partial(&path, text)
            .ok()
            .map(|p| p.value)
    }

    /// The user recorded on the newest version, for the next one.
    pub fn last_user(&self) -> Option<inventory::User> {
        self.current()
            .versions
            .0
            .last()
            .and_then(|(_, block)| block.version())
            .map(|v| v.user)
    }
}
