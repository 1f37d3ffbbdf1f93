//! `dashi archive set`: the archive room's settings changed — from options or from a
//! settings file the room edited — checked, then stored as a pending change (预归档)
//! that the next 归档 applies. Numbers already given keep their 档号.

use std::path::{Path, PathBuf};

use super::settings::{self, Retention, Settings};
use crate::archive::head;
use crate::archive::lock::Lock;
use crate::archive::version::{self, Commit, NewFile};
use crate::archive::{Archive, ArchiveError};
use crate::data::load::{Document, LoadError};
use crate::finding::{Code, Finding};

/// The changes asked for.
#[derive(Debug, Default)]
pub struct Changes {
    pub file: Option<PathBuf>,
    pub fonds: Option<String>,
    pub fonds_name: Option<String>,
    pub category: Option<String>,
    pub unit: Option<String>,
    pub operator: Option<String>,
    /// `类别=代码` pairs.
    pub retention: Vec<String>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.file.is_none()
            && self.fonds.is_none()
            && self.fonds_name.is_none()
            && self.category.is_none()
            && self.unit.is_none()
            && self.operator.is_none()
            && self.retention.is_empty()
    }
}

/// Why settings were not changed; the archive is unchanged in every case.
#[derive(Debug, thiserror::Error)]
pub enum SetError {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error("档案设置有错误，未改动")]
    Findings(Vec<(Document, Vec<Finding>)>),
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Archive(#[from] ArchiveError),
}

impl crate::failure::Failure for SetError {
    fn hint(&self) -> Option<String> {
        match self {
            SetError::Load(e) => e.hint(),
            SetError::Archive(e) => e.hint(),
            SetError::Findings(_) => None,
            SetError::Invalid(_) => Some(
                "全宗号 4 位数字或大写字母（如 0001）；门类代码 2 位大写字母（如 WS）；机构代码 1 至 4 位大写字母或数字；保管期限写成 类别=Y、D30 或 D10"
                    .into(),
            ),
        }
    }

    fn exit(&self) -> crate::failure::Exit {
        match self {
            SetError::Load(e) => e.exit(),
            SetError::Archive(_) => crate::failure::Exit::Unusable,
            _ => crate::failure::Exit::Findings,
        }
    }

    fn details(&self) -> Option<crate::failure::Details<'_>> {
        match self {
            SetError::Load(e) => e.details(),
            SetError::Findings(all) => Some(crate::failure::Details::Files(
                crate::finding::by_file(all),
                crate::finding::Blocked::Archive,
            )),
            _ => None,
        }
    }

    fn details_suffice(&self) -> bool {
        matches!(self, SetError::Findings(_))
            || matches!(self, SetError::Load(e) if crate::failure::Failure::details_suffice(e))
    }
}

/// What `set` did.
pub struct Set {
    pub settings: Settings,
    /// Whether they changed (then they wait in the head for the next 归档).
    pub changed: bool,
}

/// The settings in effect for the next 归档: the head's, the filed ones, or defaults.
pub fn current(archive: &Archive) -> Settings {
    settings::stored_in(archive, archive.current())
        .unwrap_or_else(|| settings::defaults_of(archive))
}

/// Applies `changes` to the archive at `root`.
pub fn set(
    root: &Path,
    changes: &Changes,
    created: String,
    wait: std::time::Duration,
) -> Result<Set, SetError> {
    if !root.join("inventory.json").is_file() {
        return Err(ArchiveError::NotAnArchive(root.to_path_buf()).into());
    }
    let _lock = Lock::acquire(root, wait)?;
    version::repair(root)?;
    let mut archive = Archive::open(root)?;
    let before = current(&archive);
    let mut next = match &changes.file {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|source| LoadError::Read {
                path: path.clone(),
                source,
            })?;
            let read = settings::read(path, text)?;
            if !read.findings.is_empty() || read.settings.is_none() {
                return Err(SetError::Findings(vec![(read.doc, read.findings)]));
            }
            read.settings.expect("checked above")
        }
        None => before.clone(),
    };
    for (value, field) in [
        (&changes.fonds, &mut next.fonds),
        (&changes.fonds_name, &mut next.fonds_name),
        (&changes.category, &mut next.category),
        (&changes.unit, &mut next.unit),
        (&changes.operator, &mut next.operator),
    ] {
        if let Some(v) = value {
            *field = v.trim().to_string();
        }
    }
    for pair in &changes.retention {
        let Some((kind, code)) = pair.split_once('=') else {
            return Err(SetError::Invalid(format!(
                "保管期限“{pair}”应写成 类别=代码，如 活动=D10"
            )));
        };
        let (kind, code) = (kind.trim(), code.trim());
        let Some(r) = Retention::from_code(&code.to_ascii_uppercase()) else {
            return Err(SetError::Invalid(format!(
                "保管期限代码“{code}”不是 Y、D30 或 D10"
            )));
        };
        next.retention.insert(kind.to_string(), r);
    }
    if next.fonds.is_empty() && !before.fonds.is_empty() {
        return Err(SetError::Invalid(format!(
            "全宗号已是 {}，不能清空；档案馆改编全宗号时填新的全宗号",
            before.fonds
        )));
    }
    let findings: Vec<Finding> = settings::rules(&next)
        .into_iter()
        .filter(|f| f.code == Code::ArchiveSettings)
        .collect();
    if let Some(f) = findings.first() {
        return Err(SetError::Invalid(f.message.clone()));
    }
    if next == before {
        return Ok(Set {
            settings: next,
            changed: false,
        });
    }
    let mut user = settings::operator(&archive, None);
    if !next.operator.trim().is_empty() {
        user.name = next.operator.trim().to_string();
    }
    head::revise(
        &mut archive,
        Commit {
            message: "修改档案设置（全宗号、门类代码、机构代码、保管期限）".into(),
            user,
            created,
            files: vec![NewFile::from_bytes(
                settings::LOGICAL.into(),
                next.to_toml().into_bytes(),
            )],
            removed: Vec::new(),
        },
    )?;
    Ok(Set {
        settings: next,
        changed: true,
    })
}
