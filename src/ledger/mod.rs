//! The bureau's years (第十二条, 第六条, 第十条, 第十四条, 第十六条): a ledger (台账) of
//! every studio the bureau 认定ed and everything since. The ledger is an OCFL object of
//! the bureau's, written by the same crash-safe version writer as a studio's archive
//! (`crate::archive::version`), one version per action: each action is one dated,
//! attributed entry (`entry`), with what it received beside it, and nothing is ever
//! overwritten. What the ledger knows is its entries read in order (`state`); what falls
//! due on a day is read from that (`due`). A round (`round`) receives each studio's
//! report with the archive export it was made from, verifies the export and computes the
//! report again from its records (`received`, `compare`); results come from the experts'
//! scores (`results`), a 不合格 with its 限期整改通知书; 撤销 and the lists the rules
//! ask for (`lists`) come from the entries.

pub mod change;
pub mod compare;
pub mod due;
pub mod enter;
pub mod entry;
pub mod funds;
pub mod lists;
pub mod provenance;
pub mod received;
pub mod results;
pub mod round;
pub(crate) mod sheets;
pub mod state;
pub mod summary;

use std::path::{Path, PathBuf};

use crate::archive::inventory::{User, created};
use crate::archive::lock::{self, Lock};
use crate::archive::version::{self, Commit, NewFile};
use crate::archive::{Archive, ArchiveError};
use crate::data::dates::Date;
use entry::{Action, Entry, FORMAT, Settings};

/// The logical folder of the entries.
pub const ENTRIES_DIR: &str = "条目";
/// The logical folder of what rounds received (reports, the inventories they name).
pub const RECEIVED_DIR: &str = "收到";
/// The logical folder of the documents the bureau issued (整改通知书, 撤销决定).
pub const ISSUED_DIR: &str = "发文";

/// Why the ledger could not be read or changed; it is unchanged in every case.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    /// The folder holds no ledger.
    #[error("{} 不是台账（缺少 inventory.json）", .0.display())]
    NotALedger(PathBuf),
    /// An entry of the ledger does not read.
    #[error("台账中的条目 {path} 无法读取：{detail}")]
    Entry { path: String, detail: String },
    /// The ledger's store (its OCFL object) could not be read or written.
    #[error(transparent)]
    Store(#[from] ArchiveError),
    /// A file given to a command cannot be used; the message names it and the line.
    #[error("{message}")]
    Input { message: String, hint: String },
    /// A studio the ledger does not hold.
    #[error("台账中没有工作室 {0}")]
    UnknownStudio(String),
    /// A document could not be typeset.
    #[error(transparent)]
    Typeset(#[from] crate::typeset::TypesetError),
    /// intake's decisions or output folder could not be read.
    #[error(transparent)]
    Intake(#[from] crate::intake::IntakeError),
    /// An output could not be written.
    #[error("无法写入 {}：{}", path.display(), crate::fsio::why(source))]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl LedgerError {
    pub fn input(message: impl Into<String>, hint: impl Into<String>) -> LedgerError {
        LedgerError::Input {
            message: message.into(),
            hint: hint.into(),
        }
    }

    pub fn write(path: &Path) -> impl Fn(std::io::Error) -> LedgerError + use<> {
        let path = path.to_path_buf();
        move |source| LedgerError::Write {
            path: path.clone(),
            source,
        }
    }
}

impl crate::failure::Failure for LedgerError {
    fn hint(&self) -> Option<String> {
        match self {
            LedgerError::NotALedger(_) => Some("先用 dashi ledger init 台账文件夹 建立台账".into()),
            LedgerError::Entry { .. } => Some(
                "用 dashi verify 台账文件夹 查看台账是否完好；从备份恢复后再试，台账未改变".into(),
            ),
            LedgerError::Store(e) => e.hint(),
            LedgerError::Input { hint, .. } => Some(hint.clone()),
            LedgerError::UnknownStudio(_) => {
                Some("用 dashi ledger status 台账 查看台账中工作室的编号".into())
            }
            LedgerError::Typeset(e) => e.hint(),
            LedgerError::Intake(e) => e.hint(),
            LedgerError::Write { source, .. } => crate::fsio::write_hint(source)
                .or_else(|| Some("确认输出位置可以写入、磁盘没有写满".into())),
        }
    }
}

/// A ledger opened for reading: its entries in order.
pub struct Ledger {
    pub root: PathBuf,
    pub archive: Archive,
    pub entries: Vec<Entry>,
}

impl Ledger {
    /// Opens the ledger at `root` and reads its entries.
    pub fn open(root: &Path) -> Result<Ledger, LedgerError> {
        let archive = match Archive::open(root) {
            Err(ArchiveError::NotAnArchive(_)) => {
                return Err(LedgerError::NotALedger(root.to_path_buf()));
            }
            // An action stopped between its inventory and the inventory's sidecar:
            // finished (or undone) first, as the next change would.
            Err(ArchiveError::Inventory { .. })
                if root.join(crate::verify::ocfl::PENDING).exists() =>
            {
                {
                    let _lock = Lock::acquire(root, lock::WAIT)?;
                    version::repair(root)?;
                }
                Archive::open(root)?
            }
            other => other?,
        };
        let head = archive.inventory.head_number();
        let state = archive.inventory.state(head);
        let mut entries = Vec::new();
        for logical in state.keys().filter(|p| is_entry(p)) {
            let broken = |detail: String| LedgerError::Entry {
                path: logical.clone(),
                detail,
            };
            let stored = archive
                .stored(head, logical)
                .ok_or_else(|| broken("版本清单中找不到它的内容".into()))?;
            let text = std::fs::read_to_string(&stored).map_err(|e| broken(e.to_string()))?;
            let entry: Entry = serde_json::from_str(&text).map_err(|e| broken(e.to_string()))?;
            entries.push(entry);
        }
        entries.sort_by_key(|e| e.number);
        Ok(Ledger {
            root: root.to_path_buf(),
            archive,
            entries,
        })
    }

    /// Opens the ledger for a command that will change it: an action an earlier run
    /// left part way is finished or undone first (under the lock), so that what the
    /// command reads includes it and it is never entered twice.
    pub fn open_to_change(root: &Path, wait: std::time::Duration) -> Result<Ledger, LedgerError> {
        if !root.join("inventory.json").is_file() {
            return Err(LedgerError::NotALedger(root.to_path_buf()));
        }
        {
            let _lock = Lock::acquire(root, wait)?;
            version::repair(root)?;
        }
        Ledger::open(root)
    }

    /// What the entries say.
    pub fn state(&self) -> state::State {
        state::State::of(&self.entries)
    }

    /// The settings in force (the newest settings entry's).
    pub fn settings(&self) -> Settings {
        self.state().settings
    }
}

/// Whether a logical path is an entry.
fn is_entry(logical: &str) -> bool {
    logical
        .strip_prefix(ENTRIES_DIR)
        .is_some_and(|rest| rest.starts_with('/') && rest.ends_with(".json"))
}

/// The ledger object's id.
fn object_id(bureau: &str) -> String {
    format!("urn:dashi:ledger:{}", bureau.trim())
}

/// Who a version is by.
fn user(by: &str, bureau: &str) -> User {
    User {
        name: format!("{}（{}）", by.trim(), bureau.trim()),
        address: "urn:dashi:ledger:operator".into(),
    }
}

/// `dashi ledger init`: a new ledger whose first version holds its settings.
pub fn init(
    root: &Path,
    settings: Settings,
    date: Date,
    by: &str,
    now: i64,
) -> Result<String, LedgerError> {
    let bureau = settings.bureau.clone();
    let entry = Entry {
        format: FORMAT.into(),
        number: 1,
        date,
        by: by.trim().to_string(),
        action: Action::Settings(settings),
    };
    let committed = crate::archive::init::create(
        root,
        &object_id(&bureau),
        Commit {
            message: format!("台账建立：{bureau}"),
            user: user(by, &bureau),
            created: created(now),
            files: vec![entry_file(&entry)],
            removed: Vec::new(),
        },
    )?;
    Ok(committed.version)
}

/// The entry's file.
fn entry_file(entry: &Entry) -> NewFile {
    NewFile::from_bytes(
        format!(
            "{ENTRIES_DIR}/{:04}-{}.json",
            entry.number,
            entry.action.name()
        ),
        serde_json::to_vec_pretty(entry).expect("an entry serializes"),
    )
}

/// What an action adds besides its entry.
pub struct Appended {
    pub number: u32,
    pub version: String,
}

/// Who acts on the ledger at `root`, on which day, and how long to wait for another
/// dashi using it.
pub struct Actor<'a> {
    pub root: &'a Path,
    /// The day the action takes effect.
    pub date: Date,
    /// 经办人.
    pub by: &'a str,
    /// Now in Unix seconds (the version's time).
    pub now: i64,
    pub wait: std::time::Duration,
}

/// Adds one action as one version: its entry and `files` (under the ledger's lock,
/// after finishing or undoing an action that was interrupted). Each file's logical
/// path gets the entry's number after its first folder (`收到/0007/…`). `summary` is
/// the version's message after the entry's name.
pub fn append(
    actor: &Actor<'_>,
    action: Action,
    files: Vec<NewFile>,
    summary: &str,
) -> Result<Appended, LedgerError> {
    let Actor {
        root,
        date,
        by,
        now,
        wait,
    } = *actor;
    if !root.join("inventory.json").is_file() {
        return Err(LedgerError::NotALedger(root.to_path_buf()));
    }
    let _lock = Lock::acquire(root, wait)?;
    version::repair(root)?;
    let ledger = Ledger::open(root)?;
    let number = ledger.entries.iter().map(|e| e.number).max().unwrap_or(0) + 1;
    let bureau = ledger.settings().bureau;
    let entry = Entry {
        format: FORMAT.into(),
        number,
        date,
        by: by.trim().to_string(),
        action,
    };
    let mut archive = ledger.archive;
    let mut all = vec![entry_file(&entry)];
    // Each action's files go in a folder of its own number: a studio's report received
    // again in a later action never meets the earlier one's path.
    all.extend(files.into_iter().map(|mut f| {
        f.logical = match f.logical.split_once('/') {
            Some((top, rest)) => format!("{top}/{number:04}/{rest}"),
            None => format!("{number:04}/{}", f.logical),
        };
        f
    }));
    let committed = version::commit(
        &mut archive,
        Commit {
            message: format!("{number} {}：{summary}", entry.action.name()),
            user: user(by, &bureau),
            created: created(now),
            files: all,
            removed: Vec::new(),
        },
    )?;
    Ok(Appended {
        number,
        version: committed.version,
    })
}

/// The ledger's secret (`logs/dashi-ledger.key`, beside the object's content, owner
/// only): the ledger keeps people's IDs only as digests keyed by it, so a 领办人变更
/// can be cross-checked while the entries alone do not give the numbers away.
pub fn secret(root: &Path) -> Result<crate::intake::secret::Secret, LedgerError> {
    let logs = root.join("logs");
    crate::fsio::create_dirs(&logs).map_err(LedgerError::write(&logs))?;
    Ok(crate::intake::secret::Secret::of_file(
        &logs.join(KEY_FILE),
    )?)
}

/// The ledger's key file, in its `logs/`.
pub const KEY_FILE: &str = "dashi-ledger.key";

/// A bureau's document (`doc`, filled from `data`) as PDF, dated `today`.
pub fn document(
    renderer: &crate::typeset::Renderer,
    doc: crate::render::Doc,
    data: &serde_json::Value,
    bureau: &str,
    ident: &str,
    today: Date,
) -> Result<Vec<u8>, LedgerError> {
    Ok(renderer.pdf_of(data, doc, bureau, Default::default(), ident, today)?)
}
