//! `dashi record withdraw`: takes records back out of the archive while they are still
//! 预归档 (in the mutable head, not yet filed): the record, its attachments and any
//! content only they used. Filed records stay for ever; they are corrected by a new
//! record (`corrects`).

use std::path::Path;

use crate::archive::head::{self, Withdrawn};
use crate::archive::inventory::created;
use crate::archive::lock::Lock;
use crate::archive::log::{self, RecordLine};
use crate::archive::version::{self, Repaired};
use crate::archive::{Archive, ArchiveError};

/// Why records could not be withdrawn; the archive is then unchanged.
#[derive(Debug, thiserror::Error)]
pub enum WithdrawError {
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    #[error("记录 {0} 已归档，不能撤回")]
    Filed(String),
    #[error("档案中没有预归档的记录 {0}")]
    NotPending(String),
}

impl crate::failure::Failure for WithdrawError {
    fn hint(&self) -> Option<String> {
        match self {
            WithdrawError::Archive(e) => e.hint(),
            WithdrawError::Filed(id) => Some(format!(
                "已归档的记录永久保存；要改正它，另写一条更正记录（corrects = \"{id}\"）后用 dashi record add 加入"
            )),
            WithdrawError::NotPending(_) => {
                Some("用 dashi archive log 档案 查看预归档的记录及其编号；编号不带 .toml".into())
            }
        }
    }
}

/// What a withdrawal did.
#[derive(Debug)]
pub struct Taken {
    pub repaired: Repaired,
    pub records: Vec<RecordLine>,
    pub withdrawn: Withdrawn,
    /// Records still pending after it.
    pub still_pending: usize,
}

/// Withdraws the pending records `ids` from the archive at `root` at `now`.
pub fn withdraw(
    root: &Path,
    ids: &[String],
    now: i64,
    lock_wait: std::time::Duration,
) -> Result<Taken, WithdrawError> {
    let _lock = Lock::acquire(root, lock_wait)?;
    let repaired = version::repair(root)?;
    let mut archive = Archive::open(root)?;
    let pending = log::pending(&archive);
    let filed = archive.inventory.state(archive.inventory.head_number());
    let mut records = Vec::new();
    for id in ids {
        let id = id.trim().trim_end_matches(".toml");
        match pending.iter().find(|r| r.id == id) {
            Some(r) => {
                if !records.iter().any(|x: &RecordLine| x.id == r.id) {
                    records.push(r.clone());
                }
            }
            None if filed
                .keys()
                .any(|p| log::is_record_path(p) && p.ends_with(&format!("/{id}.toml"))) =>
            {
                return Err(WithdrawError::Filed(id.to_string()));
            }
            None => return Err(WithdrawError::NotPending(id.to_string())),
        }
    }
    let state = archive.current().state(archive.current().head_number());
    // Each record's file (记录/<类别>/<编号>.toml) and its folder of attachments.
    let folders: Vec<String> = state
        .keys()
        .filter(|p| log::is_record_path(p) && !filed.contains_key(*p))
        .filter(|p| {
            records
                .iter()
                .any(|r| p.ends_with(&format!("/{}.toml", r.id)))
        })
        .map(|p| p.trim_end_matches(".toml").to_string())
        .collect();
    let paths: Vec<String> = state
        .keys()
        .filter(|p| !filed.contains_key(*p))
        .filter(|p| {
            folders
                .iter()
                .any(|f| **p == format!("{f}.toml") || p.starts_with(&format!("{f}/")))
        })
        .cloned()
        .collect();
    let message = format!(
        "撤回预归档的记录：{}",
        records
            .iter()
            .map(|r| format!("{} {}《{}》", r.kind, r.id, r.title))
            .collect::<Vec<_>>()
            .join("；")
    );
    let user = crate::room::settings::operator(&archive, None);
    let withdrawn = head::withdraw(&mut archive, &paths, &message, user, created(now))?;
    let still_pending = log::pending(&archive).len();
    Ok(Taken {
        repaired,
        records,
        withdrawn,
        still_pending,
    })
}
